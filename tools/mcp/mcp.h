/* wasmbox's MCP server (tools/mcp/README.md): newline-delimited JSON-RPC 2.0
 * on a pair of file descriptors, tools from an mcp_backend, prompts and
 * resources from skills. */
#ifndef WASMBOX_TOOLS_MCP_H
#define WASMBOX_TOOLS_MCP_H

#include "mcp_backend.h"
#include "skill.h"

#include <stdbool.h>
#include <stddef.h>

/* Defaults of the caps (each a flag of `wasmbox mcp`). */
#define MCP_DEFAULT_MAX_MESSAGE ((size_t)32 << 20) /* bytes of one message */
#define MCP_DEFAULT_MAX_QUEUE 64   /* tool calls queued or running at once */
#define MCP_DEFAULT_PAGE_SIZE 100  /* items per tools/prompts/resources page */
#define MCP_MAX_JOBS 256

typedef struct mcp_config {
    size_t jobs;        /* worker threads (calls run at once), 1..MCP_MAX_JOBS */
    size_t max_message; /* bytes of one message, newline excluded */
    size_t max_queue;   /* calls accepted and not yet answered, >= jobs */
    size_t page_size;   /* items per list page, >= 1 */
    const char *server_version;
    /* The tool list may change while serving: initialize announces
     * tools.listChanged, and mcp_notify_tools_changed() tells clients. */
    bool tools_list_changed;
} mcp_config;

/* Fills the defaults (jobs: the number of online cores). */
void mcp_config_defaults(mcp_config *cfg);

/* Serves one client: reads requests from in_fd until end of input, answers on
 * out_fd, then waits for the calls under way and returns 0. Returns 1 when
 * out_fd broke (the client went away) or threads could not start (a message
 * on stderr). skills may be NULL. mcp_stop() (async-signal-safe) makes it
 * cancel every call and return promptly. */
int mcp_serve(const mcp_config *cfg, const mcp_backend *tools, const mcp_skills *skills,
              int in_fd, int out_fd);
void mcp_stop(void);

/* The backend's tool list changed (call after the change, from any
 * thread): sends notifications/tools/list_changed to the clients being
 * served (stdio: once initialized; HTTP: every open GET stream). */
void mcp_notify_tools_changed(void);

/* The Streamable HTTP transport (tools/mcp/README.md "HTTP"). */
typedef struct mcp_http_config {
    const char *host;           /* the address to bind: an IPv4 or IPv6 literal */
    unsigned port;              /* 0: any free port (printed on stderr) */
    const char *token;          /* bearer token required, or NULL */
    const char *const *origins; /* Origin values accepted besides the server's own */
    size_t norigins;
    /* Called once listening, with the port (for tests and --listen :0). */
    void (*on_listen)(void *ctx, unsigned port);
    void *on_listen_ctx;
} mcp_http_config;

/* Serves MCP over HTTP (POST /mcp) until mcp_stop(); 0 then, 1 when the
 * socket could not be bound (a message on stderr). */
int mcp_serve_http(const mcp_config *cfg, const mcp_http_config *http, const mcp_backend *tools,
                   const mcp_skills *skills);

#endif
