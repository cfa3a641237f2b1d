/* One Server-Sent Events stream of the HTTP transport: the bytes of the
 * events other threads make (a call's worker and progress sender, the
 * list_changed notifier) until libmicrohttpd's connection thread sends
 * them. Each event is "event: message\ndata: JSON\n\n" (a JSON-RPC
 * message printed on one line, as the SSE format and MCP's Streamable HTTP
 * transport have it). Bounded: past max_bytes unsent, a notification is
 * dropped and the stream marked broken (its reader ends it: a client that
 * does not read gets no growing buffer); a response is always kept. */
#include "mcp_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void mcp_sse_init(mcp_sse *e, size_t max_bytes)
{
    memset(e, 0, sizeof *e);
    e->max_bytes = max_bytes;
    pthread_mutex_init(&e->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&e->cv, &ca);
    pthread_condattr_destroy(&ca);
}

void mcp_sse_destroy(mcp_sse *e)
{
    pthread_cond_destroy(&e->cv);
    pthread_mutex_destroy(&e->mu);
    free(e->buf);
    e->buf = NULL;
}

/* Appends n bytes; under mu. */
static bool append(mcp_sse *e, const char *p, size_t n)
{
    if (e->len + n > e->cap) {
        size_t cap = e->cap ? e->cap : 4096;
        while (cap < e->len + n)
            cap *= 2;
        char *nb = realloc(e->buf, cap);
        if (!nb)
            return false;
        e->buf = nb;
        e->cap = cap;
    }
    memcpy(e->buf + e->len, p, n);
    e->len += n;
    return true;
}

bool mcp_sse_event(mcp_sse *e, const char *json, size_t len, bool must)
{
    static const char head[] = "event: message\ndata: ";
    pthread_mutex_lock(&e->mu);
    bool ok = !e->ended && !e->broken;
    if (ok && !must && e->len - e->off + len > e->max_bytes) {
        e->broken = true; /* the client stopped reading */
        ok = false;
    }
    if (ok) {
        size_t before = e->len;
        ok = append(e, head, sizeof head - 1) && append(e, json, len) && append(e, "\n\n", 2);
        if (!ok) {
            e->len = before;
            e->broken = true;
        }
    }
    pthread_cond_broadcast(&e->cv);
    pthread_mutex_unlock(&e->mu);
    return ok;
}

void mcp_sse_end(mcp_sse *e, bool broken)
{
    pthread_mutex_lock(&e->mu);
    e->ended = true;
    e->broken = e->broken || broken;
    pthread_cond_broadcast(&e->cv);
    pthread_mutex_unlock(&e->mu);
}

long mcp_sse_take(mcp_sse *e, char *out, size_t max, int wait_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
    until.tv_sec += wait_ms / 1000 + until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    pthread_mutex_lock(&e->mu);
    while (e->off == e->len && !e->ended && !e->broken)
        if (pthread_cond_timedwait(&e->cv, &e->mu, &until) == ETIMEDOUT)
            break;
    long r;
    if (e->broken) {
        r = MCP_SSE_BROKEN;
    } else if (e->off < e->len) {
        size_t n = e->len - e->off < max ? e->len - e->off : max;
        memcpy(out, e->buf + e->off, n);
        e->off += n;
        if (e->off == e->len)
            e->off = e->len = 0;
        r = (long)n;
    } else {
        r = e->ended ? MCP_SSE_ENDED : 0;
    }
    pthread_mutex_unlock(&e->mu);
    return r;
}
