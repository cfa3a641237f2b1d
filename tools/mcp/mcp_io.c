/* The stdio transport: newline-delimited messages in, whole lines out. */
#include "mcp_internal.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK 65536
/* A write of at most PIPE_BUF bytes to a pipe poll() called writable does
 * not block, so a writer stuck behind a client that never reads still sees
 * mcp_stop() within POLL_MS. */
#define WRITE_PIECE 4096
#define POLL_MS 200

/* Reads more bytes after r->len; 0 at end of input, -1 on error. */
static ssize_t fill(mcp_reader *r)
{
    if (r->cap - r->len < READ_CHUNK) {
        size_t cap = r->cap ? r->cap : READ_CHUNK * 2;
        while (cap - r->len < READ_CHUNK)
            cap *= 2;
        char *nb = realloc(r->buf, cap + 1);
        if (!nb)
            return -1;
        r->buf = nb;
        r->cap = cap;
    }
    for (;;) {
        ssize_t n = read(r->fd, r->buf + r->len, READ_CHUNK);
        if (n >= 0 || errno != EINTR || mcp_stop_requested)
            return n;
    }
}

int mcp_read_line(mcp_reader *r, char **line, size_t *len)
{
    bool skipping = false; /* inside a line over the cap: drop its bytes */
    for (;;) {
        /* (nothing buffered yet: buf may still be NULL) */
        char *nl = r->len > r->start ? memchr(r->buf + r->start, '\n', r->len - r->start) : NULL;
        if (nl) {
            size_t n = (size_t)(nl - (r->buf + r->start));
            char *at = r->buf + r->start;
            r->start += n + 1;
            if (skipping || n > r->max + 1)
                return MCP_TOO_LONG;
            if (n && at[n - 1] == '\r')
                n--;
            if (n > r->max)
                return MCP_TOO_LONG;
            at[n] = '\0';
            *line = at;
            *len = n;
            return MCP_LINE;
        }
        /* No newline in what is buffered: keep it (at the front), or drop it
         * when the line is already over the cap. */
        size_t rest = r->len - r->start;
        if (rest > r->max + 1) {
            skipping = true;
            rest = 0;
        }
        if (rest)
            memmove(r->buf, r->buf + r->start, rest);
        r->start = 0;
        r->len = rest;
        if (r->eof) {
            if (skipping)
                return MCP_TOO_LONG;
            if (!r->len)
                return MCP_EOF;
            /* The last line had no newline: take it as a message. */
            if (r->buf[r->len - 1] == '\r')
                r->len--;
            r->buf[r->len] = '\0';
            *line = r->buf;
            *len = r->len;
            r->len = 0;
            return MCP_LINE;
        }
        if (mcp_stop_requested)
            return MCP_EOF;
        ssize_t got = fill(r);
        if (got < 0)
            return mcp_stop_requested ? MCP_EOF : MCP_READ_ERROR;
        if (got == 0)
            r->eof = true;
        r->len += (size_t)got;
    }
}

/* Writes all of buf, a piece at a time, giving up when the peer is gone or
 * the server is told to stop. */
static bool write_all(int fd, const char *buf, size_t len)
{
    while (len) {
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        int r = poll(&p, 1, POLL_MS);
        if (mcp_stop_requested)
            return false;
        if (r < 0 && errno != EINTR)
            return false;
        if (r <= 0)
            continue;
        if (p.revents & (POLLERR | POLLNVAL))
            return false;
        ssize_t n = write(fd, buf, len < WRITE_PIECE ? len : WRITE_PIECE);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return false;
        }
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

bool mcp_send(mcp_server *s, const cJSON *msg)
{
    /* A response to a request of a batch goes into the batch's answer. */
    if (mcp_tl_batch && !cJSON_GetObjectItemCaseSensitive(msg, "method"))
        return mcp_batch_add(mcp_tl_batch, msg);
    /* The message and its newline in one buffer, printed before the lock
     * is taken: one line, never split by another writer, and the writer
     * holds the lock only while it writes. */
    size_t n;
    char *line = mcp_json_line(msg, &n);
    if (!line) {
        fprintf(stderr, "wasmbox mcp: out of memory printing a message; dropped\n");
        return false;
    }
    bool ok = false;
    pthread_mutex_lock(&s->out_lock);
    if (s->sink) {
        s->sink(s->sink_ctx, line, n - 1);
        ok = true;
    } else if (!s->out_broken) {
        ok = write_all(s->out_fd, line, n);
        if (!ok)
            s->out_broken = true;
    }
    pthread_mutex_unlock(&s->out_lock);
    free(line);
    return ok;
}

static cJSON *envelope(const cJSON *id)
{
    cJSON *m = cJSON_CreateObject();
    if (!m)
        return NULL;
    cJSON_AddStringToObject(m, "jsonrpc", "2.0");
    cJSON_AddItemToObject(m, "id", id ? cJSON_Duplicate(id, true) : cJSON_CreateNull());
    return m;
}

void mcp_shape_stateless(cJSON *result, int ttl_ms)
{
    if (!result)
        return;
    cJSON_AddStringToObject(result, "resultType", "complete");
    if (ttl_ms >= 0) {
        cJSON_AddNumberToObject(result, "ttlMs", ttl_ms);
        cJSON_AddStringToObject(result, "cacheScope", "private");
    }
}

void mcp_send_result(mcp_server *s, const cJSON *id, cJSON *result)
{
    if (s->req_stateless)
        mcp_shape_stateless(result, s->req_ttl_ms);
    mcp_send_response(s, id, result);
}

void mcp_send_response(mcp_server *s, const cJSON *id, cJSON *result)
{
    cJSON *m = envelope(id);
    if (!m || !result) {
        cJSON_Delete(m);
        cJSON_Delete(result);
        mcp_send_error(s, id, RPC_INTERNAL_ERROR, "out of memory building the result");
        return;
    }
    cJSON_AddItemToObject(m, "result", result);
    mcp_send(s, m);
    cJSON_Delete(m);
}

static void send_error(mcp_server *s, const cJSON *id, int code, cJSON *data, const char *msg)
{
    cJSON *m = envelope(id);
    cJSON *e = cJSON_CreateObject();
    if (m && e) {
        cJSON_AddNumberToObject(e, "code", code);
        cJSON_AddStringToObject(e, "message", msg);
        if (data) {
            cJSON_AddItemToObject(e, "data", data);
            data = NULL;
        }
        cJSON_AddItemToObject(m, "error", e);
        e = NULL;
        mcp_send(s, m);
    } else {
        /* Out of memory: the error still goes out, written by hand. */
        static const char oom[] =
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,\"message\":\"out of memory\"}}\n";
        pthread_mutex_lock(&s->out_lock);
        if (!s->out_broken && !write_all(s->out_fd, oom, sizeof oom - 1))
            s->out_broken = true;
        pthread_mutex_unlock(&s->out_lock);
    }
    cJSON_Delete(data);
    cJSON_Delete(e);
    cJSON_Delete(m);
}

void mcp_send_error(mcp_server *s, const cJSON *id, int code, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    send_error(s, id, code, NULL, msg);
}

void mcp_send_error_data(mcp_server *s, const cJSON *id, int code, cJSON *data, const char *fmt,
                         ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    send_error(s, id, code, data, msg);
}
