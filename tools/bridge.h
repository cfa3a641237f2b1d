/* wasmbox tool bridge: agent tools (a manifest + a WebAssembly module each)
 * called with a JSON input, run in a fresh sandbox holding the intersection of
 * what the tool's manifest asks for and what the operator's policy allows.
 *
 * One wbt_bridge holds every tool: the built-in ones, then those of the user
 * tool directories. It is immutable once opened, and shared by threads: any
 * number of wbt_bridge_call may run on it at once. Each call gets its own
 * store, instance, WASI shim and watchdog thread; each tool's module is
 * compiled once (on its first call) and shared (wb_module_compile).
 *
 * The bridge never exits the process and never prints: every outcome of a
 * call, including a tool that traps, loops, floods its output or prints
 * garbage, is a result object with is_error set. tools/README.md, "The tool
 * bridge", documents manifests, the capability intersection, limits and
 * the result; tools/manifest.schema.json is the manifest format.
 *
 * Thread safety: wbt_bridge_open/close from one thread; everything else on
 * an open bridge from any thread. */
#ifndef WASMBOX_TOOLS_BRIDGE_H
#define WASMBOX_TOOLS_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "../policy/policy.h"

typedef struct wbt_bridge wbt_bridge;

typedef struct wbt_bridge_config {
    /* Directory of the built-in tools' manifests (each names its module,
     * relative to itself). NULL: $WASMBOX_BUILTIN_DIR if set, else found
     * from the running executable (/proc/self/exe: DIR/tools next to it,
     * then DIR/../lib/wasmbox/tools); "" : no built-in tools. */
    const char *builtin_dir;
    /* User tool directories: every *.json in them is a manifest. Searched
     * after the built-ins; a name defined twice is a load error. */
    const char *const *tool_dirs;
    size_t n_tool_dirs;
    /* The operator's policy, already checked (wb_policy_check). NOT copied:
     * it must stay alive and unchanged until wbt_bridge_close. NULL: the
     * empty policy (nothing allowed, default limits). Its dirs/work_dir
     * are not given to tools as such: the workspace is (below), with the
     * mode the policy gives it (see tools/README.md "Capability
     * intersection"). Its audit path, if set, receives one tool.call record
     * per call (and the WASI and network records of the call). */
    const wb_policy *policy;
    /* Host directory the tools work on (mapped at its own absolute path,
     * PWD set to it); NULL for none. Made absolute (realpath) at open. */
    const char *workspace;
    /* The operator's word on writing there: tools whose manifest asks for
     * "write" get the workspace read-write unless this is set or the policy
     * maps the workspace (or a directory holding it) read-only. */
    bool workspace_read_only;
} wbt_bridge_config;

/* Loads and checks every manifest (and that its module file exists). Each
 * module is compiled on the tool's first call and then shared; a module
 * that does not compile makes that tool's calls is_error results saying
 * so (status "error"). On failure
 * returns -1, *out = NULL, and err holds one line naming the file, the key
 * and the fix ("tools/x.json: capabilities.filesystem: must be none, read
 * or write (got \"rw\")"). 0 on success. */
int wbt_bridge_open(const wbt_bridge_config *cfg, wbt_bridge **out, char *err, size_t errlen);
void wbt_bridge_close(wbt_bridge *b); /* NULL is a no-op; no call may be running */

size_t wbt_bridge_count(const wbt_bridge *b);
/* The normalized manifest of tool i (in load order: built-ins by name, then
 * each user directory by name): {"name", "description", "input_schema",
 * "output_schema" (only if declared), "capabilities": {"filesystem",
 * "network", "env"}, "limits": {"timeout", "fuel", "memory", "output",
 * "stack"} (those the manifest sets), "module" (absolute path)}. Owned by
 * the bridge; NULL if i is out of range. */
const cJSON *wbt_bridge_manifest(const wbt_bridge *b, size_t i);
const cJSON *wbt_bridge_find(const wbt_bridge *b, const char *name); /* NULL: no such tool */

/* Cancellation: fire from any thread (a signal handler excepted); every call
 * using it stops within milliseconds (the store is interrupted, blocking
 * WASI calls and guest HTTP wake), its result has status "cancelled". Firing
 * before the call starts cancels it at once. One cancel may serve several
 * calls; free it only when no call uses it. */
typedef struct wbt_cancel wbt_cancel;
wbt_cancel *wbt_cancel_new(void); /* NULL: out of memory */
void wbt_cancel_fire(wbt_cancel *c);
bool wbt_cancel_fired(const wbt_cancel *c);
void wbt_cancel_free(wbt_cancel *c);

/* Called every progress_ms (0: never) while the tool runs, from the call's
 * watchdog thread (not the calling thread), never after wbt_bridge_call
 * returned. fuel_used is as of the tool's last host call. Must not block. */
typedef void (*wbt_progress_fn)(void *ud, uint64_t fuel_used, uint64_t elapsed_ms);

typedef struct wbt_call_opts {
    wbt_cancel *cancel;      /* may be NULL */
    wbt_progress_fn progress; /* may be NULL */
    void *progress_ud;
    unsigned progress_ms;
    const char *call_id;     /* written in the tool.call audit record (an MCP
                                request id); may be NULL */
} wbt_call_opts;

/* Validates input against the tool's input_schema, then runs the tool in a
 * fresh store/instance of its shared compiled module, with the intersected
 * capabilities and limits, and returns a new result object (the caller frees
 * it with cJSON_Delete):
 *
 *   {"content": [{"type":"text","text":...} | {"type":"image","data":...,"mimeType":...}, ...],
 *    "is_error": bool,
 *    "structuredContent": {...},            (only if the tool returned one)
 *    "meta": {"status": "exited"|"trap"|"limit"|"cancelled"|"error",
 *             "exit_code": int|null, "fuel_used": int, "wall_ms": int,
 *             "peak_memory_bytes": int, "limit": "timeout"|"fuel"|"memory"|"output"|null,
 *             "message": string|null}}
 *
 * An unknown tool or an input that fails the schema is an is_error result
 * with status "error" (the tool is not run). opts may be NULL. Returns NULL
 * only when out of memory. */
cJSON *wbt_bridge_call(wbt_bridge *b, const char *name, const cJSON *input,
                       const wbt_call_opts *opts);
/* The same with the input as JSON text (len bytes, at most 16 MiB): text
 * that is not exactly one JSON value is an is_error result naming the byte
 * where it goes wrong (status "error", the tool not run), audited like any
 * call. The audit record's input digest is of these bytes. */
#define WBT_MAX_INPUT_BYTES ((size_t)16 << 20)
cJSON *wbt_bridge_call_text(wbt_bridge *b, const char *name, const char *text, size_t len,
                            const wbt_call_opts *opts);

#endif
