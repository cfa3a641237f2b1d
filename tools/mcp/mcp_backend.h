/* The tools an MCP server offers, as the server sees them: a table of
 * functions over whatever runs the calls. `wasmbox mcp` fills it from the
 * tool bridge (tools/bridge.h); tests fill it with a test double. Keeping the
 * server behind this table lets its protocol be tested without sandboxes. */
#ifndef WASMBOX_TOOLS_MCP_BACKEND_H
#define WASMBOX_TOOLS_MCP_BACKEND_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

/* Called while a call runs (on any thread), at most every few hundred ms. */
typedef void (*mcp_progress_fn)(void *ctx, uint64_t fuel_used, uint64_t elapsed_ms);

typedef struct mcp_call_opts {
    void *cancel;             /* the backend's cancel token for this call */
    mcp_progress_fn progress; /* NULL: the client asked for no progress */
    void *progress_ctx;
    const char *call_id;      /* the JSON-RPC id as text, for logs and audit */
} mcp_call_opts;

typedef struct mcp_backend {
    void *self;
    size_t (*count)(void *self);
    /* The normalized manifest of tool i (< count): name, description,
     * input_schema, output_schema (optional), capabilities, limits. Owned by
     * the backend, alive and unchanged while the server runs. The list may
     * change (then mcp_notify_tools_changed): NULL for an i past its end. */
    const cJSON *(*manifest)(void *self, size_t i);
    /* Runs tool `name` on `input` (an object). Returns a new object
     * {content: [...], is_error: bool, structuredContent?: any, meta?: {...}},
     * or NULL when memory ran out. Thread-safe; never exits the process. */
    cJSON *(*call)(void *self, const char *name, const cJSON *input, const mcp_call_opts *opts);
    /* Cancel tokens: new (NULL when memory ran out), fire (any thread, any
     * number of times; the call stops within milliseconds), free. */
    void *(*cancel_new)(void *self);
    void (*cancel_fire)(void *token);
    void (*cancel_free)(void *token);
} mcp_backend;

#endif
