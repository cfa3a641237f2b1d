/* The Streamable HTTP transport on libmicrohttpd: one endpoint, /mcp.
 * POST: one JSON-RPC message per request, answered as application/json (a
 * notification: 202 and no body), or, for a tools/call asking for progress
 * from a client that accepts text/event-stream, as an SSE stream: the
 * progress notifications, then the response. Each POST is served by its own
 * small server (mcp_server_open with a sink collecting the answer), so every
 * check of the stdio server applies unchanged. GET: a session's standalone
 * SSE stream, for notifications the server starts (tools/list_changed).
 * Sessions (Mcp-Session-Id) for the initialize-era revisions; none for
 * 2026-07-28 requests, which carry everything in _meta. Origin validated
 * (DNS rebinding), optional bearer token, size and time caps. */
#include "mcp_internal.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_SESSIONS 1024
#define CONNECTION_TIMEOUT_S 600 /* longer than a tool call may run by default */
#define MAX_GET_STREAMS 64       /* standalone GET streams open at once, at most */
#define SSE_MAX_UNSENT (1u << 20) /* notification bytes a client may leave unread */
#define SSE_WAIT_MS 200          /* how often a stream's sender looks at the stop flag */
#define SSE_KEEPALIVE_MS 15000   /* a comment on an idle GET stream: a gone client shows */

typedef struct session {
    char id[33];           /* 128 random bits, hex */
    const char *version;   /* negotiated by initialize */
    time_t last_used;
} session;

/* A POST's server while it runs, so a cancel in another POST finds it. */
typedef struct live_call {
    struct live_call *next;
    char session[33];
    char *id_key;
    mcp_server *srv;
    bool cancelled; /* a cancel came while the call waited for its turn */
} live_call;

/* A session's standalone GET stream (server-initiated notifications). */
typedef struct get_stream {
    struct get_stream *next;
    struct http_state *h;
    char session[33];
    mcp_sse sse;
    int idle_ms; /* since the last bytes sent */
} get_stream;

typedef struct http_state {
    const mcp_config *cfg;
    const mcp_http_config *http;
    const mcp_backend *tools;
    const mcp_skills *skills;
    char own_origins[4][80];
    pthread_mutex_t lock; /* sessions and live calls */
    sem_t running;        /* --jobs tool calls at once; the others wait */
    session sessions[MAX_SESSIONS];
    size_t nsessions;
    live_call *live;
    get_stream *streams;  /* under lock */
    size_t nstreams;
} http_state;

typedef struct upload {
    char *body;
    size_t len, cap;
    bool too_large;
} upload;

/* One POST's message while it is served: its own server, its place among
 * the live calls, and where its answer goes. On the heap: an SSE answer
 * outlives the request handler (the response's free callback ends it). */
typedef struct post_call {
    http_state *h;
    mcp_server srv;
    live_call lc;
    bool holds_slot;     /* one of the --jobs slots (h->running) */
    bool sse;            /* answered as an event stream */
    mcp_sse stream;
    char *last_response; /* JSON answer: the message with an id */
} post_call;

/* The server's output for one POST: kept (JSON), or queued as an event. */
static void collect(void *ctx, const char *text, size_t len)
{
    post_call *pc = ctx;
    cJSON *m = cJSON_ParseWithLength(text, len);
    /* (an array: the answer to a batch) */
    bool response = cJSON_IsArray(m) || (m && cJSON_GetObjectItemCaseSensitive(m, "id") &&
                                         !cJSON_GetObjectItemCaseSensitive(m, "method"));
    cJSON_Delete(m);
    if (pc->sse) {
        mcp_sse_event(&pc->stream, text, len, response);
        if (response)
            mcp_sse_end(&pc->stream, false);
        return;
    }
    if (response) {
        char *copy = malloc(len + 1);
        if (copy) {
            memcpy(copy, text, len);
            copy[len] = '\0';
            free(pc->last_response);
            pc->last_response = copy;
        }
    }
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, const char *body,
                             const char *session_id, const char *extra_header, const char *extra_value)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(body ? strlen(body) : 0, (void *)(body ? body : ""),
                                                             MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    if (body && *body)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    if (session_id)
        MHD_add_response_header(r, "Mcp-Session-Id", session_id);
    if (extra_header)
        MHD_add_response_header(r, extra_header, extra_value);
    enum MHD_Result ok = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ok;
}

/* An HTTP-level refusal with a JSON-RPC error body saying why. */
static enum MHD_Result refuse(struct MHD_Connection *conn, unsigned status, int code, const char *msg,
                              const char *hdr, const char *value)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "jsonrpc", "2.0");
    cJSON_AddNullToObject(m, "id");
    cJSON *e = cJSON_AddObjectToObject(m, "error");
    cJSON_AddNumberToObject(e, "code", code);
    cJSON_AddStringToObject(e, "message", msg);
    char *text = cJSON_PrintUnformatted(m);
    cJSON_Delete(m);
    enum MHD_Result r = reply(conn, status, text, NULL, hdr, value);
    free(text);
    return r;
}

static bool origin_ok(const http_state *h, const char *origin)
{
    if (!origin)
        return true; /* not a browser: nothing to rebind */
    for (size_t i = 0; i < 4; i++)
        if (h->own_origins[i][0] && !strcmp(origin, h->own_origins[i]))
            return true;
    for (size_t i = 0; i < h->http->norigins; i++)
        if (!strcmp(origin, h->http->origins[i]))
            return true;
    return false;
}

static bool token_ok(const http_state *h, const char *auth)
{
    if (!h->http->token)
        return true;
    size_t n = strlen(h->http->token);
    if (!auth || strncmp(auth, "Bearer ", 7) || strlen(auth + 7) != n)
        return false;
    return CRYPTO_memcmp(auth + 7, h->http->token, n) == 0;
}

static session *find_session(http_state *h, const char *id)
{
    for (size_t i = 0; id && i < h->nsessions; i++)
        if (!strcmp(h->sessions[i].id, id))
            return &h->sessions[i];
    return NULL;
}

/* A new session (the least recently used one goes when the table is full). */
static bool new_session(http_state *h, const char *version, char out[33])
{
    unsigned char raw[16];
    if (RAND_bytes(raw, sizeof raw) != 1)
        return false;
    for (size_t i = 0; i < 16; i++)
        sprintf(out + 2 * i, "%02x", raw[i]);
    size_t slot = h->nsessions;
    if (slot == MAX_SESSIONS) {
        slot = 0;
        for (size_t i = 1; i < MAX_SESSIONS; i++)
            if (h->sessions[i].last_used < h->sessions[slot].last_used)
                slot = i;
    } else {
        h->nsessions++;
    }
    memcpy(h->sessions[slot].id, out, 33);
    h->sessions[slot].version = version;
    h->sessions[slot].last_used = time(NULL);
    return true;
}

static void cancel_live(http_state *h, const char *sess, const char *id_key)
{
    pthread_mutex_lock(&h->lock);
    for (live_call *c = h->live; c; c = c->next)
        if (!strcmp(c->session, sess) && !strcmp(c->id_key, id_key)) {
            c->cancelled = true;
            mcp_pool_cancel(c->srv, id_key);
        }
    pthread_mutex_unlock(&h->lock);
}

static bool known_version(const char *v)
{
    if (!strcmp(v, MCP_STATELESS_VERSION))
        return true;
    for (size_t i = 0; i < mcp_nversions; i++)
        if (!strcmp(v, mcp_versions[i]))
            return true;
    return false;
}

/* The POST's call is over (waits for it): its --jobs slot and its place
 * among the live calls go. */
static void post_finish(post_call *pc)
{
    http_state *h = pc->h;
    mcp_pool_finish(&pc->srv);
    if (pc->holds_slot)
        sem_post(&h->running);
    pc->holds_slot = false;
    if (pc->lc.id_key) {
        pthread_mutex_lock(&h->lock);
        for (live_call **p = &h->live; *p; p = &(*p)->next)
            if (*p == &pc->lc) {
                *p = pc->lc.next;
                break;
            }
        pthread_mutex_unlock(&h->lock);
        free(pc->lc.id_key);
        pc->lc.id_key = NULL;
    }
}

static void post_free(post_call *pc)
{
    mcp_server_close(&pc->srv);
    mcp_sse_destroy(&pc->stream);
    free(pc->last_response);
    free(pc);
}

/* libmicrohttpd's reader of an SSE answer (on the connection's own thread,
 * where it may block): the events as they come. A call cancelled by
 * notifications/cancelled answers nothing, so the stream also ends once no
 * call is pending. A client that went away does not cancel the call (the
 * transport specification: disconnection is not cancellation); its answer
 * is dropped. */
static ssize_t post_stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    post_call *pc = cls;
    for (;;) {
        long n = mcp_sse_take(&pc->stream, buf, max, SSE_WAIT_MS);
        if (n > 0)
            return n;
        if (n == MCP_SSE_ENDED)
            return MHD_CONTENT_READER_END_OF_STREAM;
        if (n == MCP_SSE_BROKEN || mcp_stop_requested)
            return MHD_CONTENT_READER_END_WITH_ERROR;
        pthread_mutex_lock(&pc->srv.lock);
        bool idle = pc->srv.pending == 0;
        pthread_mutex_unlock(&pc->srv.lock);
        if (idle)
            mcp_sse_end(&pc->stream, false);
    }
}

static void post_stream_free(void *cls)
{
    post_call *pc = cls;
    post_finish(pc);
    post_free(pc);
}

static void sse_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
}

/* Answers the POST with its event stream; pc is the stream's from here. */
static enum MHD_Result stream_answer(struct MHD_Connection *conn, post_call *pc)
{
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384, post_stream_read, pc, post_stream_free);
    if (!r) {
        post_stream_free(pc);
        return MHD_NO;
    }
    sse_headers(r);
    enum MHD_Result ok = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r); /* frees pc now if it was not queued */
    return ok;
}

/* One whole POST body. */
static enum MHD_Result handle(http_state *h, struct MHD_Connection *conn, const char *body, size_t len)
{
    const char *sid = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Mcp-Session-Id");
    const char *hv = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "MCP-Protocol-Version");
    if (hv && !known_version(hv))
        return refuse(conn, MHD_HTTP_BAD_REQUEST, RPC_INVALID_REQUEST,
                      "MCP-Protocol-Version names a revision this server does not speak", NULL, NULL);
    /* What the message is, for the session rules (the server checks it
     * fully). */
    cJSON *msg = cJSON_ParseWithLength(body, len);
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(msg, "method");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(msg, "params");
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(params, "_meta");
    bool stateless = cJSON_IsObject(meta) && cJSON_GetObjectItemCaseSensitive(meta, MCP_META_VERSION);
    bool is_init = cJSON_IsString(method) && !strcmp(method->valuestring, "initialize");
    bool discover = cJSON_IsString(method) && !strcmp(method->valuestring, "server/discover");
    char sess[33] = "";
    const char *version = NULL;
    bool initialized = false;
    /* A batch (2025-03-26 sessions only) needs its session too. */
    bool batch = cJSON_IsArray(msg);
    if ((cJSON_IsString(method) || batch) && !stateless && !is_init && !discover) {
        pthread_mutex_lock(&h->lock);
        session *se = find_session(h, sid);
        if (se) {
            se->last_used = time(NULL);
            version = se->version;
            initialized = true;
            memcpy(sess, se->id, 33);
        }
        pthread_mutex_unlock(&h->lock);
        if (!sid && (batch || strcmp(method->valuestring, "ping"))) {
            cJSON_Delete(msg);
            return refuse(conn, MHD_HTTP_BAD_REQUEST, RPC_INVALID_REQUEST,
                          "no Mcp-Session-Id header: send initialize first, or give _meta["
                          "\"" MCP_META_VERSION "\"]: \"" MCP_STATELESS_VERSION "\"",
                          NULL, NULL);
        }
        if (sid && !initialized) {
            cJSON_Delete(msg);
            return refuse(conn, MHD_HTTP_NOT_FOUND, RPC_INVALID_REQUEST,
                          "unknown or expired Mcp-Session-Id: initialize again", NULL, NULL);
        }
    }
    /* A cancel reaches the call wherever it runs. */
    if (cJSON_IsString(method) && !strcmp(method->valuestring, "notifications/cancelled")) {
        const cJSON *rid = cJSON_GetObjectItemCaseSensitive(params, "requestId");
        char *key = (cJSON_IsString(rid) || cJSON_IsNumber(rid)) ? cJSON_PrintUnformatted(rid) : NULL;
        char of[33] = ""; /* copied under the lock: a session may go meanwhile */
        pthread_mutex_lock(&h->lock);
        session *se = find_session(h, sid);
        if (se)
            memcpy(of, se->id, 33);
        pthread_mutex_unlock(&h->lock);
        if (key)
            cancel_live(h, of, key);
        free(key);
        cJSON_Delete(msg);
        return reply(conn, MHD_HTTP_ACCEPTED, NULL, NULL, NULL, NULL);
    }

    /* A call that reports progress is answered as an event stream when the
     * client takes one (MCP transports, "Sending Messages to the Server":
     * text/event-stream or application/json); everything else, answered at
     * once or with nothing to send before its answer, as JSON. */
    const char *acc = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    const cJSON *token = cJSON_IsObject(meta) ? cJSON_GetObjectItemCaseSensitive(meta, "progressToken") : NULL;
    bool is_call = cJSON_IsString(method) && !strcmp(method->valuestring, "tools/call") && id;
    post_call *pc = calloc(1, sizeof *pc);
    if (!pc) {
        cJSON_Delete(msg);
        return refuse(conn, MHD_HTTP_SERVICE_UNAVAILABLE, RPC_INTERNAL_ERROR, "out of memory", NULL, NULL);
    }
    pc->h = h;
    pc->sse = is_call && token && acc && strstr(acc, "text/event-stream");
    mcp_sse_init(&pc->stream, SSE_MAX_UNSENT);
    /* One call at a time; a batch may queue as many as it holds, up to the cap. */
    mcp_config one = *h->cfg;
    one.jobs = 1;
    one.max_queue = 1;
    if (batch && (size_t)cJSON_GetArraySize(msg) > 1)
        one.max_queue = (size_t)cJSON_GetArraySize(msg) < h->cfg->max_queue ? (size_t)cJSON_GetArraySize(msg)
                                                                             : h->cfg->max_queue;
    if (!mcp_server_open(&pc->srv, &one, h->tools, h->skills, -1, collect, pc)) {
        mcp_sse_destroy(&pc->stream);
        free(pc);
        cJSON_Delete(msg);
        return refuse(conn, MHD_HTTP_SERVICE_UNAVAILABLE, RPC_SERVER_BUSY, "could not start a worker",
                      NULL, NULL);
    }
    pc->srv.initialized = initialized;
    pc->srv.version = version;
    pc->lc.srv = &pc->srv;
    memcpy(pc->lc.session, sess, 33);
    if (is_call) {
        pc->lc.id_key = cJSON_PrintUnformatted(id);
        if (pc->lc.id_key) {
            pthread_mutex_lock(&h->lock);
            pc->lc.next = h->live;
            h->live = &pc->lc;
            pthread_mutex_unlock(&h->lock);
        }
    }
    if (pc->lc.id_key || batch) { /* (a batch may hold calls) */
        while (sem_wait(&h->running) && !mcp_stop_requested)
            ;
        pc->holds_slot = true;
    }
    pthread_mutex_lock(&h->lock);
    bool skip = pc->lc.cancelled; /* cancelled before it could start: not run */
    pthread_mutex_unlock(&h->lock);
    cJSON_Delete(msg);
    if (!skip)
        mcp_handle_line(&pc->srv, body, len);
    if (pc->sse && !skip)
        return stream_answer(conn, pc);

    post_finish(pc); /* the call, if any, has answered */
    char new_id[33] = "";
    if (is_init && pc->srv.initialized) {
        pthread_mutex_lock(&h->lock);
        bool ok = new_session(h, pc->srv.version, new_id);
        pthread_mutex_unlock(&h->lock);
        if (!ok)
            new_id[0] = '\0';
    }
    enum MHD_Result r;
    const char *ans = pc->last_response;
    /* An error whose request could not be read (no id) is the request's
     * fault: 400, the JSON-RPC error as the body. */
    if (ans && strstr(ans, "\"id\":null,\"error\""))
        r = reply(conn, MHD_HTTP_BAD_REQUEST, ans, NULL, NULL, NULL);
    else if (ans)
        r = reply(conn, MHD_HTTP_OK, ans, new_id[0] ? new_id : NULL, NULL, NULL);
    else /* a notification or response, or a cancelled request */
        r = reply(conn, MHD_HTTP_ACCEPTED, NULL, NULL, NULL, NULL);
    post_free(pc);
    return r;
}

/* The sender of a GET stream: its events, a keep-alive comment when idle
 * (so a client that went away is noticed: the write fails), the end when
 * its session ends or the server stops. */
static ssize_t get_stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    get_stream *g = cls;
    for (;;) {
        long n = mcp_sse_take(&g->sse, buf, max, SSE_WAIT_MS);
        if (n > 0) {
            g->idle_ms = 0;
            return n;
        }
        if (n == MCP_SSE_ENDED)
            return MHD_CONTENT_READER_END_OF_STREAM;
        if (n == MCP_SSE_BROKEN || mcp_stop_requested)
            return MHD_CONTENT_READER_END_WITH_ERROR;
        g->idle_ms += SSE_WAIT_MS;
        static const char keepalive[] = ": keep-alive\n\n";
        if (g->idle_ms >= SSE_KEEPALIVE_MS && max >= sizeof keepalive - 1) {
            g->idle_ms = 0;
            memcpy(buf, keepalive, sizeof keepalive - 1);
            return (ssize_t)(sizeof keepalive - 1);
        }
    }
}

static void get_stream_free(void *cls)
{
    get_stream *g = cls;
    http_state *h = g->h;
    pthread_mutex_lock(&h->lock);
    for (get_stream **p = &h->streams; *p; p = &(*p)->next)
        if (*p == g) {
            *p = g->next;
            h->nstreams--;
            break;
        }
    pthread_mutex_unlock(&h->lock);
    mcp_sse_destroy(&g->sse);
    free(g);
}

/* GET /mcp: the session's standalone stream (MCP transports, "Listening
 * for Messages from the Server"). It carries server-initiated
 * notifications only (notifications/tools/list_changed): this server sends
 * no requests to clients, and answers every request on its own POST. */
static enum MHD_Result open_get_stream(http_state *h, struct MHD_Connection *conn)
{
    const char *acc = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    if (!acc || (!strstr(acc, "text/event-stream") && !strstr(acc, "*/*")))
        return refuse(conn, MHD_HTTP_NOT_ACCEPTABLE, RPC_INVALID_REQUEST,
                      "GET /mcp opens an event stream: Accept must allow text/event-stream", NULL, NULL);
    const char *sid = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Mcp-Session-Id");
    if (!sid)
        return refuse(conn, MHD_HTTP_BAD_REQUEST, RPC_INVALID_REQUEST,
                      "GET /mcp needs the Mcp-Session-Id header of an initialized session", NULL, NULL);
    get_stream *g = calloc(1, sizeof *g);
    if (!g)
        return MHD_NO;
    g->h = h;
    mcp_sse_init(&g->sse, SSE_MAX_UNSENT);
    pthread_mutex_lock(&h->lock);
    session *se = find_session(h, sid);
    /* At most half the connections (--max-queue + 8), so that streams left
     * open never keep POSTs out. */
    size_t cap = (h->cfg->max_queue + 8) / 2 < MAX_GET_STREAMS ? (h->cfg->max_queue + 8) / 2 : MAX_GET_STREAMS;
    bool room = h->nstreams < cap;
    if (se && room) {
        se->last_used = time(NULL);
        memcpy(g->session, se->id, 33);
        g->next = h->streams;
        h->streams = g;
        h->nstreams++;
    }
    pthread_mutex_unlock(&h->lock);
    if (!se || !room) {
        mcp_sse_destroy(&g->sse);
        free(g);
        return !se ? refuse(conn, MHD_HTTP_NOT_FOUND, RPC_INVALID_REQUEST,
                            "unknown or expired Mcp-Session-Id: initialize again", NULL, NULL)
                   : refuse(conn, MHD_HTTP_SERVICE_UNAVAILABLE, RPC_SERVER_BUSY,
                            "too many GET streams open (half the connections, at most 64); "
                            "retry later",
                            "Retry-After", "5");
    }
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, get_stream_read, g, get_stream_free);
    if (!r) {
        get_stream_free(g);
        return MHD_NO;
    }
    sse_headers(r);
    enum MHD_Result ok = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

/* Sends one notification to every open GET stream (a stream whose client
 * left too much unread is ended). */
static void notify_streams(void *ctx, const char *json)
{
    http_state *h = ctx;
    pthread_mutex_lock(&h->lock);
    for (get_stream *g = h->streams; g; g = g->next)
        mcp_sse_event(&g->sse, json, strlen(json), false);
    pthread_mutex_unlock(&h->lock);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *data_size, void **con_cls)
{
    (void)version;
    http_state *h = cls;
    upload *up = *con_cls;
    if (!up) {
        /* First call: the headers. Refusals go out before any body is read. */
        if (strcmp(url, "/mcp"))
            return refuse(conn, MHD_HTTP_NOT_FOUND, RPC_INVALID_REQUEST, "the MCP endpoint is /mcp", NULL, NULL);
        if (!origin_ok(h, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin")))
            return refuse(conn, MHD_HTTP_FORBIDDEN, RPC_INVALID_REQUEST,
                          "Origin not allowed (--allow-origin)", NULL, NULL);
        if (!token_ok(h, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization")))
            return refuse(conn, MHD_HTTP_UNAUTHORIZED, RPC_INVALID_REQUEST,
                          "a bearer token is required (Authorization: Bearer ...)",
                          MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
        if (!strcmp(method, "DELETE")) {
            const char *sid = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Mcp-Session-Id");
            pthread_mutex_lock(&h->lock);
            session *se = find_session(h, sid);
            if (se) {
                for (get_stream *g = h->streams; g; g = g->next)
                    if (!strcmp(g->session, se->id))
                        mcp_sse_end(&g->sse, false);
                *se = h->sessions[--h->nsessions];
            }
            pthread_mutex_unlock(&h->lock);
            return se ? reply(conn, MHD_HTTP_NO_CONTENT, NULL, NULL, NULL, NULL)
                      : refuse(conn, MHD_HTTP_NOT_FOUND, RPC_INVALID_REQUEST, "no such session", NULL, NULL);
        }
        if (!strcmp(method, "GET"))
            return open_get_stream(h, conn);
        if (strcmp(method, "POST"))
            return refuse(conn, MHD_HTTP_METHOD_NOT_ALLOWED, RPC_INVALID_REQUEST,
                          "POST JSON-RPC messages to /mcp, GET its notification stream, "
                          "DELETE the session",
                          MHD_HTTP_HEADER_ALLOW, "GET, POST, DELETE");
        const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        if (!ct || strncasecmp(ct, "application/json", 16))
            return refuse(conn, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, RPC_INVALID_REQUEST,
                          "Content-Type must be application/json", NULL, NULL);
        const char *acc = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
        if (acc && !strstr(acc, "application/json") && !strstr(acc, "*/*"))
            return refuse(conn, MHD_HTTP_NOT_ACCEPTABLE, RPC_INVALID_REQUEST,
                          "Accept must allow application/json", NULL, NULL);
        up = calloc(1, sizeof *up);
        if (!up)
            return MHD_NO;
        *con_cls = up;
        return MHD_YES;
    }
    if (*data_size) {
        /* The body, up to the message cap; past it, read and dropped. */
        if (!up->too_large && up->len + *data_size > h->cfg->max_message) {
            up->too_large = true;
            free(up->body);
            up->body = NULL;
        }
        if (!up->too_large) {
            if (up->len + *data_size > up->cap) {
                size_t cap = up->cap ? up->cap : 65536;
                while (cap < up->len + *data_size)
                    cap *= 2;
                char *nb = realloc(up->body, cap);
                if (!nb)
                    return MHD_NO;
                up->body = nb;
                up->cap = cap;
            }
            memcpy(up->body + up->len, data, *data_size);
            up->len += *data_size;
        }
        *data_size = 0;
        return MHD_YES;
    }
    if (up->too_large) {
        char msg[128];
        snprintf(msg, sizeof msg, "message over %zu bytes (the cap, --max-message)", h->cfg->max_message);
        return refuse(conn, MHD_HTTP_CONTENT_TOO_LARGE, RPC_INVALID_REQUEST, msg, NULL, NULL);
    }
    return handle(h, conn, up->body ? up->body : "", up->len);
}

static void on_done(void *cls, struct MHD_Connection *conn, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    upload *up = *con_cls;
    if (up) {
        free(up->body);
        free(up);
        *con_cls = NULL;
    }
}

int mcp_serve_http(const mcp_config *cfg, const mcp_http_config *http, const mcp_backend *tools,
                   const mcp_skills *skills)
{
    http_state *h = calloc(1, sizeof *h);
    if (!h)
        return 1;
    h->cfg = cfg;
    h->http = http;
    h->tools = tools;
    h->skills = skills;
    pthread_mutex_init(&h->lock, NULL);
    sem_init(&h->running, 0, (unsigned)cfg->jobs);
    struct sockaddr_storage ss = {0};
    socklen_t sl;
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG;
    if (inet_pton(AF_INET, http->host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)http->port);
        sl = sizeof *v4;
    } else if (inet_pton(AF_INET6, http->host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)http->port);
        sl = sizeof *v6;
        flags |= MHD_USE_IPv6;
    } else {
        fprintf(stderr, "wasmbox mcp: --listen: %s is not an IP address (e.g. 127.0.0.1:8080)\n", http->host);
        sem_destroy(&h->running);
        pthread_mutex_destroy(&h->lock);
        free(h);
        return 1;
    }
    (void)sl;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)http->port, NULL, NULL, on_request, h, MHD_OPTION_SOCK_ADDR, &ss,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)(cfg->max_queue + 8), MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)CONNECTION_TIMEOUT_S, MHD_OPTION_NOTIFY_COMPLETED, on_done, h, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "wasmbox mcp: cannot listen on %s:%u\n", http->host, http->port);
        sem_destroy(&h->running);
        pthread_mutex_destroy(&h->lock);
        free(h);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : http->port;
    /* A browser page on this very server is the one origin allowed besides
     * --allow-origin. */
    const char *host = strchr(http->host, ':') ? NULL : http->host;
    snprintf(h->own_origins[0], sizeof h->own_origins[0], "http://%s:%u", host ? host : "[::1]", port);
    snprintf(h->own_origins[1], sizeof h->own_origins[1], "http://localhost:%u", port);
    fprintf(stderr, "wasmbox mcp: listening on http://%s%s%s:%u/mcp\n", host ? "" : "[", http->host,
            host ? "" : "]", port);
    mcp_notify_http(notify_streams, h);
    if (http->on_listen)
        http->on_listen(http->on_listen_ctx, port);
    while (!mcp_stop_requested) {
        struct timespec nap = {0, 100000000};
        nanosleep(&nap, NULL);
    }
    mcp_notify_http(NULL, NULL);
    /* Calls under way are cancelled (the servers of live POSTs). */
    pthread_mutex_lock(&h->lock);
    for (live_call *c = h->live; c; c = c->next)
        mcp_pool_cancel_all(c->srv);
    pthread_mutex_unlock(&h->lock);
    MHD_stop_daemon(d);
    sem_destroy(&h->running);
    pthread_mutex_destroy(&h->lock);
    free(h);
    return 0;
}
