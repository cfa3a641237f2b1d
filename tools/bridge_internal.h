/* The tool bridge's parts, shared between its files (bridge*.c) and its unit
 * tests. Not for other users: bridge.h is the public contract. */
#ifndef WASMBOX_TOOLS_BRIDGE_INTERNAL_H
#define WASMBOX_TOOLS_BRIDGE_INTERNAL_H

#include "bridge.h"

#include "../vm/vm.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>

/* Whether a JSON number is whole: what floor(d) == d says (NaN: no; the
 * infinities and every |d| >= 2^52: yes), without libm's floor, which
 * would keep libm loaded in every process for these few checks
 * (bench/README.md "Start-up"). */
static inline bool wbt_is_whole(double d)
{
    if (!(fabs(d) < 0x1p52))
        return d == d;
    return (double)(int64_t)d == d;
}

/* ---- JSON Schema subset (bridge_schema.c) ---- */

/* Deepest schema or input nesting followed (deeper is an error, not a crash). */
#define WBT_SCHEMA_MAX_DEPTH 64

/* Checks that schema uses only the keywords tool schemas use (type,
 * properties, required, enum, const, minimum, maximum, minLength, maxLength,
 * items, additionalProperties; description, title, default and examples are
 * documentation) with values of the right shape. False with err naming the
 * keyword's path below `where` ("input_schema.properties.offset.minimum:
 * must be a number"). */
bool wbt_schema_check(const cJSON *schema, const char *where, char *err, size_t errlen);

/* Validates value against a schema that passed wbt_schema_check. Returns
 * the number of violations found and writes them, one a line ("input.offset:
 * must be an integer >= 0 (got -3)"), into err (cut to fit, at most 16
 * listed). `root` names the value in messages ("input"). */
size_t wbt_schema_validate(const cJSON *schema, const cJSON *value, const char *root, char *err,
                           size_t errlen);

/* ---- manifests (bridge_manifest.c) ---- */

/* The limits a manifest sets; 0 where it sets none (then the operator's or
 * the global default applies: bridge_caps.c). */
typedef struct wbt_limits {
    uint64_t timeout_ms, fuel, memory, output, stack;
} wbt_limits;

typedef enum wbt_fs { WBT_FS_NONE, WBT_FS_READ, WBT_FS_WRITE } wbt_fs;

typedef struct wbt_tool {
    cJSON *manifest;        /* normalized (bridge.h) */
    const char *name;       /* inside manifest */
    const cJSON *input_schema, *output_schema; /* inside manifest; output may be NULL */
    wbt_fs fs;
    bool network_none;      /* "network": "none" */
    wb_host_pattern *hosts; /* else these patterns */
    size_t nhosts;
    char **env;             /* names */
    size_t nenv;
    wbt_limits limits;
    char *module_path;      /* absolute */
    /* Compiled on the first call (so `tool call` and a server starting up
     * compile only what is used), then shared by every call: under mu. */
    pthread_mutex_t mu;
    bool mu_ready;
    wb_module *module;
    char *compile_error;    /* the first compile's failure, kept */
} wbt_tool;

/* Loads the manifest at path (the JSON text already read) into *t, without
 * compiling the module (its file must exist). False with err naming the file
 * and key. */
bool wbt_manifest_parse(wbt_tool *t, const char *path, const char *text, size_t len, char *err,
                        size_t errlen);
void wbt_tool_free(wbt_tool *t);

/* ---- the capability intersection (bridge_caps.c) ---- */

/* What one call may do: a policy built from the operator's and the
 * manifest's (only the fields net/ and the sandbox read), plus the
 * workspace's mode. Owns its arrays. */
typedef struct wbt_grant {
    wb_policy policy;       /* hosts, env, limits, net keys; no dirs */
    wbt_fs fs;              /* what the workspace is mapped as (NONE: not mapped) */
    char *pwd_env;          /* "PWD=/abs/ws" or NULL */
} wbt_grant;

/* Fills g for tool t under the operator's policy op (never NULL here) and
 * workspace ws (absolute or NULL; ws_writable: the operator allows writing
 * there). False only when out of memory. */
bool wbt_grant_make(wbt_grant *g, const wbt_tool *t, const wb_policy *op, const char *ws,
                    bool ws_writable);
void wbt_grant_free(wbt_grant *g);
/* The meet of two host patterns: true with *out the set of (scheme, host,
 * port) both match, expressed as one pattern; false when they share nothing
 * or the meet cannot be written as one pattern (then it is left out: the
 * intersection may only ever be smaller). */
bool wbt_host_meet(const wb_host_pattern *a, const wb_host_pattern *b, wb_host_pattern *out);
/* Does the operator's policy let tools write into ws? (A map of ws or an
 * ancestor decides, read-only winning; none: writable unless the caller
 * said read-only.) */
bool wbt_workspace_writable(const wb_policy *op, const char *ws, bool read_only_flag);

/* ---- cancellation and the call's watchdog (bridge_watch.c) ---- */

typedef struct wbt_watch wbt_watch;
/* Arms the calling thread's watchdog (a thread made on the thread's first
 * call, kept until the thread ends) for one call: at the deadline
 * (timeout_ms from now; WB_UNLIMITED: none) or when cancel fires, it
 * interrupts the store, the WASI shim and guest HTTP; every progress_ms it
 * calls progress. NULL on failure. One call at a time per thread. */
typedef struct wbt_watch_cfg {
    uint64_t timeout_ms;
    wb_store *store;
    struct wb_wasi *wasi;
    wbt_cancel *cancel;
    wbt_progress_fn progress;
    void *progress_ud;
    unsigned progress_ms;
    /* The output cap: the shim cuts past it but lets the tool go on (as
     * `wasmbox run` does); a call's result is lost by then, so the watchdog
     * stops the tool once the two memfds hold more than max_output bytes
     * (checked every WBT_OUTPUT_CHECK_MS). -1 / WB_UNLIMITED: no check. */
    int out_fd, err_fd;
    uint64_t max_output;
    /* On a cancel, guest HTTP ends too: its deadline moves to now and
     * abort_fd (an eventfd in the call's wb_net_options) wakes any wait. */
    struct wb_guest_http *http;
    int abort_fd;
} wbt_watch_cfg;
#define WBT_OUTPUT_CHECK_MS 10
wbt_watch *wbt_watch_start(const wbt_watch_cfg *cfg);
/* Disarms it: when this returns, the watchdog no longer uses anything of the
 * call (cfg's store, shim, fds). Tells why the guest was interrupted, if it was. */
typedef enum wbt_stop { WBT_STOP_NONE, WBT_STOP_TIMEOUT, WBT_STOP_CANCEL, WBT_STOP_OUTPUT } wbt_stop;
wbt_stop wbt_watch_stop(wbt_watch *w);
/* The CLOCK_MONOTONIC ms of the deadline (INT64_MAX: none). */
int64_t wbt_watch_deadline_ms(const wbt_watch *w);
uint64_t wbt_now_ms(void);

/* ---- a call's stdio, kept per thread (bridge_stdio.c) ---- */

/* stdin, stdout, stderr (memfds) and the abort eventfd of one call. */
typedef struct wbt_stdio {
    int in, out, err, abort;
} wbt_stdio;
/* The calling thread's set, emptied (sizes 0, offsets 0, no status flags,
 * the eventfd's count 0) with input on stdin; a new set when the thread has
 * none. False with errno when no set can be made. */
bool wbt_stdio_take(wbt_stdio *s, const char *input, size_t len);
/* Gives the set back to the thread for its next call (or closes it). */
void wbt_stdio_give(wbt_stdio *s);

/* ---- running one call (bridge_run.c) ---- */

typedef enum wbt_status {
    WBT_EXITED, WBT_TRAP, WBT_LIMIT, WBT_CANCELLED, WBT_ERROR
} wbt_status;

typedef struct wbt_run {
    wbt_status status;
    int exit_code;           /* when EXITED */
    const char *limit;       /* "timeout", "fuel", "memory", "output" or NULL */
    char message[1024];      /* trap/limit/error text, "" when exited */
    uint64_t fuel_used, wall_ms, peak_memory;
    char *out, *err;         /* stdout and stderr as written (NUL-terminated) */
    size_t out_len, err_len;
    bool output_cut;         /* stdout+stderr reached the output limit */
} wbt_run;

/* Runs tool t with input (JSON text) on stdin under grant g. Never fails
 * without filling r (status ERROR and a message). */
void wbt_run_tool(const wbt_tool *t, const wbt_grant *g, const char *workspace,
                  const char *input, size_t input_len, const wbt_call_opts *opts,
                  wb_audit *audit, wbt_run *r);
void wbt_run_free(wbt_run *r);

/* ---- the result (bridge_result.c) ---- */

/* Turns a finished run into the result object of bridge.h (NULL: out of
 * memory). */
cJSON *wbt_result_make(const wbt_tool *t, const wbt_run *r);
/* An is_error result for a call that did not run (unknown tool, bad input). */
cJSON *wbt_result_error(const char *message);
/* The value at the start of text (len bytes: valid UTF-8, no NUL) as
 * cJSON_ParseWithOpts would give it, with *end just past it; NULL when the
 * text is outside the subset it reads (objects, arrays, strings without \u
 * escapes or control bytes, true, false, null) or not JSON: then parse it
 * with cJSON (bridge_result_parse.c). */
cJSON *wbt_result_parse_fast(const char *text, size_t len, const char **end);

#endif
