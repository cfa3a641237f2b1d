/* The MCP server's parts, shared between its files (not a public header). */
#ifndef WASMBOX_TOOLS_MCP_INTERNAL_H
#define WASMBOX_TOOLS_MCP_INTERNAL_H

#include "mcp.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* JSON-RPC 2.0 error codes, and MCP's. */
enum {
    RPC_PARSE_ERROR = -32700,
    RPC_INVALID_REQUEST = -32600,
    RPC_METHOD_NOT_FOUND = -32601,
    RPC_INVALID_PARAMS = -32602,
    RPC_INTERNAL_ERROR = -32603,
    RPC_SERVER_BUSY = -32000,        /* implementation-defined range */
    MCP_RESOURCE_NOT_FOUND = -32002, /* MCP: resources/read of an unknown URI */
    MCP_UNSUPPORTED_VERSION = -32022, /* 2026-07-28: a _meta version not served */
};

/* Protocol revisions, newest first; the first is answered to any other. */
extern const char *const mcp_versions[];
extern const size_t mcp_nversions;
/* The stateless revision: no handshake, the version in every request's
 * _meta (mcp_rpc.c "era"). */
#define MCP_STATELESS_VERSION "2026-07-28"
#define MCP_META_VERSION "io.modelcontextprotocol/protocolVersion"
#define MCP_META_CAPS "io.modelcontextprotocol/clientCapabilities"
#define MCP_META_INFO "io.modelcontextprotocol/clientInfo"
/* Cache hint of list results in 2026-07-28: the lists change only when the
 * operator changes a --tools directory (or restarts the server). */
#define MCP_LIST_TTL_MS 60000

/* msg as one line of compact JSON ending in '\n' (*len counts it; a NUL
 * follows), the same bytes as cJSON_PrintUnformatted plus the newline,
 * faster on long strings (mcp_json.c). NULL when out of memory. */
char *mcp_json_line(const cJSON *msg, size_t *len);

/* One tools/call from its acceptance to its answer. */
typedef struct mcp_job {
    struct mcp_job *next;   /* in the queue, then in the running list */
    cJSON *id;              /* the request's id (string or integer) */
    char *id_key;           /* id as compact JSON text: "7", "\"a\"" */
    char *tool;
    cJSON *args;
    cJSON *progress_token;  /* NULL: no progress asked */
    uint64_t last_progress; /* the last progress value queued */
    uint64_t progress_fuel;
    bool progress_pending;  /* a progress notification waits for the sender */
    bool done;              /* the call returned: no more progress */
    const char *version;    /* the request's protocol revision */
    bool stateless;         /* 2026-07-28: resultType on the result */
    struct mcp_batch *batch; /* the batch it came in, or NULL (a reference) */
    void *cancel;           /* backend token */
    bool cancelled;         /* notifications/cancelled came: answer nothing */
    struct mcp_server *srv;
} mcp_job;

/* Where messages go instead of out_fd (the HTTP transport): called with
 * one message's text (no newline), under out_lock. */
typedef void (*mcp_sink_fn)(void *ctx, const char *text, size_t len);

typedef struct mcp_server {
    mcp_config cfg;
    mcp_sink_fn sink;
    void *sink_ctx;
    const mcp_backend *tools;
    const mcp_skills *skills;
    int in_fd, out_fd;

    /* The writer: one message at a time, each a whole line. */
    pthread_mutex_t out_lock;
    bool out_broken;

    /* Lifecycle (touched by the reader thread only). */
    bool initialized;       /* initialize answered */
    /* initialize answered and notifications/tools/list_changed may go out
     * (read by the thread that sends them, mcp_notify.c). */
    atomic_bool announced;
    const char *version;    /* the negotiated revision */
    /* The request being dispatched (reader thread only): its revision (the
     * negotiated one, or 2026-07-28 from its _meta), and for a stateless
     * one the cache hint its result gets (-1: none). */
    const char *req_version;
    bool req_stateless;
    int req_ttl_ms;

    /* Calls: queue (FIFO), running list, counts; all under lock. */
    pthread_mutex_t lock;
    pthread_cond_t work;
    mcp_job *queue_head, *queue_tail, *running;
    size_t pending;         /* queued + running */
    bool closing;           /* end of input: workers finish and leave */
    pthread_t *threads;
    size_t nthreads;

    /* Progress: the backend's callback must not block, so it only records
     * the figures; a thread of its own sends them. progress_lock is held
     * while it sends, and by a worker marking its call done, so no progress
     * goes out after the call's answer. Order: progress_lock, then lock. */
    pthread_mutex_t progress_lock;
    pthread_cond_t progress_wake;
    pthread_t progress_thread;
    bool progress_started;
    bool progress_stopping; /* under lock */
} mcp_server;

/* Sets up a server (threads started) writing to out_fd, or to sink when
 * given; false with a message on stderr. close waits for the calls queued
 * and running, then frees. (mcp_serve.c) */
bool mcp_server_open(mcp_server *s, const mcp_config *cfg, const mcp_backend *tools,
                     const mcp_skills *skills, int out_fd, mcp_sink_fn sink, void *sink_ctx);
void mcp_server_close(mcp_server *s);

/* ---- output (mcp_io.c) ---- */
/* Writes msg as one line; false when out_fd broke (then it stays broken). */
bool mcp_send(mcp_server *s, const cJSON *msg);
/* Builds and sends {"jsonrpc":"2.0","id":id,"result":result}; takes result. */
void mcp_send_response(mcp_server *s, const cJSON *id, cJSON *result);
/* The same for the request the reader is dispatching: a stateless request's
 * result gets resultType and its cache hints first. Reader thread only. */
void mcp_send_result(mcp_server *s, const cJSON *id, cJSON *result);
/* Adds resultType "complete" and, when ttl_ms >= 0, ttlMs and cacheScope. */
void mcp_shape_stateless(cJSON *result, int ttl_ms);
/* Builds and sends an error; id NULL means null. message is printf-style. */
void mcp_send_error(mcp_server *s, const cJSON *id, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same with a data member (taken). */
void mcp_send_error_data(mcp_server *s, const cJSON *id, int code, cJSON *data, const char *fmt,
                         ...) __attribute__((format(printf, 5, 6)));

/* ---- input (mcp_io.c) ---- */
typedef struct mcp_reader {
    int fd;
    char *buf;       /* bytes read and not yet consumed */
    size_t len, cap, start;
    size_t max;      /* cap of one line */
    bool eof;
} mcp_reader;
enum { MCP_LINE, MCP_TOO_LONG, MCP_EOF, MCP_READ_ERROR };
/* The next line (without its newline or a CR before it), NUL-terminated, in
 * *line (valid until the next call). MCP_TOO_LONG: a line over max was
 * skipped whole. */
int mcp_read_line(mcp_reader *r, char **line, size_t *len);

/* ---- messages (mcp_rpc.c) ---- */
/* Parses one message (or batch), checks it and dispatches it. */
void mcp_handle_line(mcp_server *s, const char *line, size_t len);
/* Checks one parsed message (an element of a batch too) and dispatches it. */
void mcp_handle_message(mcp_server *s, const cJSON *msg);

/* ---- batches of 2025-03-26 (mcp_batch.c) ---- */
#define MCP_MAX_BATCH 1000 /* messages in one batch */
typedef struct mcp_batch {
    pthread_mutex_t lock;
    size_t refs;       /* the reader while it dispatches, and each queued call */
    cJSON *responses;  /* an array */
    mcp_server *srv;
} mcp_batch;
/* The batch whose responses this thread is making, or NULL: mcp_send adds
 * a response to it instead of writing it. */
extern _Thread_local mcp_batch *mcp_tl_batch;
void mcp_handle_batch(mcp_server *s, const cJSON *batch);
mcp_batch *mcp_batch_ref(mcp_batch *b);
bool mcp_batch_add(mcp_batch *b, const cJSON *response);
/* The last reference sends the array of responses (nothing when empty). */
void mcp_batch_release(mcp_batch *b);
/* The first byte where text is not UTF-8, or len when it all is. */
size_t mcp_utf8_check(const char *text, size_t len);

/* ---- methods ---- */
void mcp_method_initialize(mcp_server *s, const cJSON *id, const cJSON *params);
void mcp_method_discover(mcp_server *s, const cJSON *id, const cJSON *params);
void mcp_method_tools_list(mcp_server *s, const cJSON *id, const cJSON *params);
void mcp_method_tools_call(mcp_server *s, const cJSON *id, const cJSON *params);
void mcp_method_prompts_list(mcp_server *s, const cJSON *id, const cJSON *params);
void mcp_method_prompts_get(mcp_server *s, const cJSON *id, const cJSON *params);
void mcp_method_resources_list(mcp_server *s, const cJSON *id, const cJSON *params);
void mcp_method_resources_read(mcp_server *s, const cJSON *id, const cJSON *params);
void mcp_method_templates_list(mcp_server *s, const cJSON *id, const cJSON *params);
void mcp_notification_cancelled(mcp_server *s, const cJSON *params);

/* Whether the negotiated revision is at least `version` (dates compare as text). */
bool mcp_version_at_least(const mcp_server *s, const char *version);

/* ---- pagination (mcp_page.c) ---- */
/* Reads params.cursor into *offset (0 without one); false after sending
 * -32602 for a cursor this server did not give. */
bool mcp_page_start(mcp_server *s, const cJSON *id, const cJSON *params, size_t total,
                    size_t *offset);
/* Adds nextCursor to result when items remain after end. */
bool mcp_page_next(cJSON *result, size_t end, size_t total);
/* Checks that params holds only the listed members (and _meta); false after
 * sending -32602 naming the first other one. */
bool mcp_params_only(mcp_server *s, const cJSON *id, const cJSON *params, const char *const *names);

/* ---- calls (mcp_pool.c) ---- */
bool mcp_pool_start(mcp_server *s);
/* Queues a job; false when the queue is full (the job is not taken). */
bool mcp_pool_submit(mcp_server *s, mcp_job *job);
/* Whether a call with this id is queued or running. */
bool mcp_pool_has_id(mcp_server *s, const char *id_key);
/* Marks the call cancelled and fires its token; false when none has the id. */
bool mcp_pool_cancel(mcp_server *s, const char *id_key);
/* Cancels every call (on mcp_stop). */
void mcp_pool_cancel_all(mcp_server *s);
/* Lets the workers finish what is queued, then joins them. */
void mcp_pool_finish(mcp_server *s);
void mcp_job_free(mcp_job *job);
/* Runs a job on a worker and answers it (mcp_tools.c). */
void mcp_run_job(mcp_job *job);
/* The progress sender (mcp_progress.c). */
bool mcp_progress_start(mcp_server *s);
void mcp_progress_stop(mcp_server *s);
void mcp_progress_record(mcp_job *job, uint64_t fuel_used, uint64_t elapsed_ms);
void mcp_progress_done(mcp_job *job);

/* ---- Server-Sent Events streams of the HTTP transport (mcp_sse.c) ---- */
typedef struct mcp_sse {
    pthread_mutex_t mu;
    pthread_cond_t cv;   /* bytes came, or the stream ended */
    char *buf;           /* events not yet sent: buf[off..len) */
    size_t len, off, cap;
    size_t max_bytes;    /* unsent bytes past which notifications break it */
    bool ended;          /* no more events: the reader ends once drained */
    bool broken;         /* ends at once, with an error */
} mcp_sse;
enum { MCP_SSE_ENDED = -1, MCP_SSE_BROKEN = -2 };
void mcp_sse_init(mcp_sse *e, size_t max_bytes);
void mcp_sse_destroy(mcp_sse *e);
/* Queues one event carrying a JSON-RPC message. must: a response, kept
 * whatever the cap; else dropped (false, the stream broken) past it. */
bool mcp_sse_event(mcp_sse *e, const char *json, size_t len, bool must);
void mcp_sse_end(mcp_sse *e, bool broken);
/* Up to max bytes of events into out, waiting up to wait_ms for some: the
 * count, 0 when none came in time, MCP_SSE_ENDED once ended and drained,
 * MCP_SSE_BROKEN when broken. */
long mcp_sse_take(mcp_sse *e, char *out, size_t max, int wait_ms);

/* ---- notifications the server starts (mcp_notify.c) ---- */
/* The transport serving now: a stdio server (NULL: none), or HTTP's sender
 * to every GET stream (fn NULL: none). */
void mcp_notify_stdio(mcp_server *s);
void mcp_notify_http(void (*fn)(void *ctx, const char *json), void *ctx);

/* Set by mcp_stop() (a signal handler may call it). */
extern volatile sig_atomic_t mcp_stop_requested;

#endif
