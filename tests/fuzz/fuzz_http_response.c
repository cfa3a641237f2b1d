/* the HTTP response parser (net/http_response.c)
 * Input: byte 0 chooses the request kind and limits, byte 1 seeds the sizes
 * of the pieces; the rest is what the server sent.
 * Properties checked on every input (http_response.h):
 * - no crash, leak or read outside the bytes fed (each piece is copied into
 *   a buffer of exactly its size);
 * - the outcome does not depend on how the bytes were cut up: the whole input
 *   in one feed, and the same bytes in pieces of 1 to 16 bytes (draining the
 *   body with take_body when byte 0 asks for streaming), give the same
 *   result, error text, status, reason, headers, body and consumed count;
 * - once DONE or ERROR, further feeds and EOF change nothing;
 * - the limits hold: no line, head or body beyond what was allowed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/http_response.h"

#define FAIL(...) (fprintf(stderr, "fuzz_http_response: " __VA_ARGS__), fputc('\n', stderr), abort())

enum { F_HEAD = 1, F_SMALL = 2, F_EOF = 4, F_STREAM = 8 };

static const wb_http_limits small_limits = {
    .max_line = 40, .max_headers = 3, .max_header_bytes = 200, .max_body = 100};

typedef struct outcome {
    wb_http_result rc;
    size_t consumed;
    uint8_t *body;   /* taken and remaining body bytes, in order */
    size_t body_len;
} outcome;

static void body_add(outcome *o, const void *p, size_t n)
{
    if (!n)
        return;
    o->body = realloc(o->body, o->body_len + n);
    if (!o->body)
        abort();
    memcpy(o->body + o->body_len, p, n);
    o->body_len += n;
}

/* Feeds data[0..len) as one piece (seed 0) or in pieces of 1-16 bytes. */
static wb_http_response *parse(const wb_http_limits *lim, unsigned flags, unsigned seed,
                               const uint8_t *data, size_t len, outcome *o)
{
    wb_http_response *r = wb_http_response_new(lim, flags & F_HEAD);
    if (!r)
        FAIL("wb_http_response_new refused valid limits");
    memset(o, 0, sizeof *o);
    o->rc = WB_HTTP_MORE;
    size_t at = 0;
    while (at < len && o->rc == WB_HTTP_MORE) {
        size_t n = len - at;
        if (seed) {
            seed = seed * 1103515245u + 12345u;
            size_t want = 1 + (seed >> 16) % 16;
            n = n < want ? n : want;
        }
        uint8_t *piece = malloc(n);
        if (!piece)
            abort();
        memcpy(piece, data + at, n);
        size_t used = 0;
        o->rc = wb_http_response_feed(r, piece, n, &used);
        free(piece);
        if (o->rc != WB_HTTP_ERROR) {
            if (used > n || (o->rc == WB_HTTP_MORE && used != n))
                FAIL("fed %zu bytes, %zu reported consumed, result %d", n, used, o->rc);
            o->consumed += used;
        }
        at += n;
        if ((flags & F_STREAM) && wb_http_response_head_done(r)) {
            uint8_t buf[7];
            size_t got;
            while ((got = wb_http_response_take_body(r, buf, sizeof buf)) > 0)
                body_add(o, buf, got);
        }
    }
    if (o->rc == WB_HTTP_MORE && (flags & F_EOF))
        o->rc = wb_http_response_eof(r);
    size_t rest;
    const uint8_t *b = wb_http_response_body(r, &rest);
    if (!b)
        FAIL("body pointer is NULL");
    body_add(o, b, rest);
    return r;
}

static void check_limits(const wb_http_response *r, const wb_http_limits *lim, const outcome *o)
{
    if (o->rc != WB_HTTP_DONE)
        return;
    size_t n = wb_http_response_header_count(r), raw_len;
    const char *raw = wb_http_response_raw_headers(r, &raw_len);
    if (n > lim->max_headers || raw_len > lim->max_header_bytes + 4 * lim->max_headers)
        FAIL("%zu headers in %zu bytes passed limits of %zu and %zu", n, raw_len,
             lim->max_headers, lim->max_header_bytes);
    if (wb_http_response_body_total(r) > lim->max_body || o->body_len > lim->max_body)
        FAIL("body of %zu bytes passed the limit of %llu", o->body_len,
             (unsigned long long)lim->max_body);
    for (size_t i = 0; i < n; i++) {
        const char *name, *value;
        size_t nl, vl;
        if (!wb_http_response_header_at(r, i, &name, &nl, &value, &vl))
            FAIL("header %zu of %zu missing", i, n);
        if (name < raw || name + nl > raw + raw_len || value < raw || value + vl > raw + raw_len)
            FAIL("header %zu points outside the raw headers", i);
        if (nl > lim->max_line || vl > lim->max_line)
            FAIL("header %zu longer than a line may be", i);
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)(nl < 63 ? nl : 63), name);
        if (nl < 63 && !wb_http_response_header(r, key, NULL))
            FAIL("header %zu (%s) not found by name", i, key);
    }
}

static void same(const wb_http_response *a, const outcome *oa, const wb_http_response *b,
                 const outcome *ob)
{
    if (oa->rc != ob->rc)
        FAIL("whole: result %d (%s); in pieces: result %d (%s)", oa->rc,
             wb_http_response_error(a), ob->rc, wb_http_response_error(b));
    if (strcmp(wb_http_response_error(a), wb_http_response_error(b)))
        FAIL("whole: error \"%s\"; in pieces: \"%s\"", wb_http_response_error(a),
             wb_http_response_error(b));
    if (oa->rc != WB_HTTP_DONE)
        return;
    size_t la, lb;
    const char *ra = wb_http_response_raw_headers(a, &la), *rb = wb_http_response_raw_headers(b, &lb);
    if (wb_http_response_status(a) != wb_http_response_status(b) ||
        wb_http_response_minor_version(a) != wb_http_response_minor_version(b) ||
        strcmp(wb_http_response_reason(a), wb_http_response_reason(b)) || la != lb ||
        memcmp(ra, rb, la) || wb_http_response_header_count(a) != wb_http_response_header_count(b))
        FAIL("status line or headers differ between whole and pieces");
    if (oa->consumed != ob->consumed)
        FAIL("whole consumed %zu bytes, pieces %zu", oa->consumed, ob->consumed);
    if (oa->body_len != ob->body_len || (oa->body_len && memcmp(oa->body, ob->body, oa->body_len)) ||
        wb_http_response_body_total(a) != wb_http_response_body_total(b))
        FAIL("body differs between whole (%zu bytes) and pieces (%zu bytes)", oa->body_len,
             ob->body_len);
}

/* After DONE or ERROR nothing changes. */
static void finished_stays(wb_http_response *r, const outcome *o)
{
    if (o->rc == WB_HTTP_MORE)
        return;
    int status = wb_http_response_status(r);
    size_t used = 99;
    if (wb_http_response_feed(r, "HTTP/1.1 200 OK\r\n", 17, &used) != o->rc ||
        (o->rc == WB_HTTP_DONE && used != 0) || wb_http_response_eof(r) != o->rc ||
        wb_http_response_status(r) != status)
        FAIL("a finished response (result %d) changed on more input", o->rc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    unsigned flags = data[0], seed = data[1] | 0x100u;
    const wb_http_limits *lim = flags & F_SMALL ? &small_limits : &wb_http_default_limits;
    outcome oa, ob;
    wb_http_response *a = parse(lim, flags & ~(unsigned)F_STREAM, 0, data + 2, size - 2, &oa);
    wb_http_response *b = parse(lim, flags, seed, data + 2, size - 2, &ob);
    same(a, &oa, b, &ob);
    check_limits(a, lim, &oa);
    check_limits(b, lim, &ob);
    finished_stays(a, &oa);
    finished_stays(b, &ob);
    wb_http_response_free(a);
    wb_http_response_free(b);
    free(oa.body);
    free(ob.body);
    return 0;
}
