/* Unit tests for net/http_response.c. Every input is fed twice, whole and one
 * byte at a time, and both runs must end in exactly the same state: the
 * parser's answers may not depend on how the bytes were split. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../net/http_response.h"

typedef struct run_result {
    wb_http_result rc;
    size_t consumed; /* total bytes the parser took */
    char err[256];
    int status;
    char reason[128];
    char *raw;
    size_t raw_len;
    uint8_t *body;
    size_t body_len;
    size_t nheaders;
} run_result;

static void run_free(run_result *r) {
    free(r->raw);
    free(r->body);
}

/* Feeds in pieces of `step` bytes (0: all at once); signals EOF at the end
 * when `eof` is set and the parser still wants more. */
static run_result run(const char *in, size_t len, const wb_http_limits *lim, bool head,
                      size_t step, bool eof) {
    run_result out;
    memset(&out, 0, sizeof out);
    wb_http_response *p = wb_http_response_new(lim, head);
    assert_non_null(p);
    wb_http_result rc = WB_HTTP_MORE;
    size_t off = 0;
    while (off < len && rc == WB_HTTP_MORE) {
        size_t n = step == 0 ? len - off : (len - off < step ? len - off : step);
        size_t used = 0;
        rc = wb_http_response_feed(p, in + off, n, &used);
        assert_true(used <= n);
        if (rc == WB_HTTP_MORE) assert_int_equal(used, n); /* MORE means all was taken */
        out.consumed += used;
        off += n;
    }
    if (rc == WB_HTTP_MORE && eof) rc = wb_http_response_eof(p);
    out.rc = rc;
    /* A finished parser stays finished. */
    if (rc != WB_HTTP_MORE) {
        size_t used = 99;
        assert_int_equal(wb_http_response_feed(p, "x", 1, &used), rc);
        assert_int_equal(used, 0);
        assert_int_equal(wb_http_response_eof(p), rc);
    }
    snprintf(out.err, sizeof out.err, "%s", wb_http_response_error(p));
    out.status = wb_http_response_status(p);
    snprintf(out.reason, sizeof out.reason, "%s", wb_http_response_reason(p));
    const char *raw = wb_http_response_raw_headers(p, &out.raw_len);
    out.raw = malloc(out.raw_len + 1);
    memcpy(out.raw, raw, out.raw_len);
    out.raw[out.raw_len] = '\0';
    const uint8_t *body = wb_http_response_body(p, &out.body_len);
    assert_non_null(body);
    out.body = malloc(out.body_len + 1);
    memcpy(out.body, body, out.body_len);
    out.body[out.body_len] = 0;
    out.nheaders = wb_http_response_header_count(p);
    wb_http_response_free(p);
    return out;
}

/* Runs whole and byte-by-byte, checks both agree, returns the whole run. */
static run_result run_both(const char *in, size_t len, const wb_http_limits *lim, bool head,
                           bool eof) {
    run_result a = run(in, len, lim, head, 0, eof);
    for (size_t step = 1; step <= 7; step += 6) {
        run_result b = run(in, len, lim, head, step, eof);
        assert_int_equal(a.rc, b.rc);
        assert_string_equal(a.err, b.err);
        if (a.rc != WB_HTTP_ERROR) assert_int_equal(a.consumed, b.consumed);
        assert_int_equal(a.status, b.status);
        assert_string_equal(a.reason, b.reason);
        assert_int_equal(a.raw_len, b.raw_len);
        assert_memory_equal(a.raw, b.raw, a.raw_len);
        if (a.rc != WB_HTTP_ERROR) { /* an error may strike after more or fewer body bytes */
            assert_int_equal(a.body_len, b.body_len);
            assert_memory_equal(a.body, b.body, a.body_len);
        }
        assert_int_equal(a.nheaders, b.nheaders);
        run_free(&b);
    }
    return a;
}

#define S(lit) lit, sizeof(lit) - 1

static void expect_ok(const char *in, size_t len, bool head, bool eof, int status,
                      const char *body, size_t body_len) {
    run_result r = run_both(in, len, NULL, head, eof);
    if (r.rc != WB_HTTP_DONE) fail_msg("rc %d, error '%s'", r.rc, r.err);
    assert_string_equal(r.err, "");
    assert_int_equal(r.status, status);
    assert_int_equal(r.body_len, body_len);
    assert_memory_equal(r.body, body, body_len);
    run_free(&r);
}

static void expect_error(const char *in, size_t len, const wb_http_limits *lim, bool eof,
                         const char *want) {
    run_result r = run_both(in, len, lim, false, eof);
    if (r.rc != WB_HTTP_ERROR) fail_msg("rc %d, want error containing '%s'", r.rc, want);
    if (!strstr(r.err, want)) fail_msg("error '%s' does not contain '%s'", r.err, want);
    run_free(&r);
}

static void test_content_length(void **state) {
    (void)state;
    run_result r = run_both(S("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A:b\r\n"
                              "X-Empty:\r\nX-Sp: \t spaced  value \t\r\n\r\nhello"),
                            NULL, false, false);
    assert_int_equal(r.rc, WB_HTTP_DONE);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.reason, "OK");
    assert_string_equal((char *)r.body, "hello");
    assert_string_equal(r.raw, "Content-Length: 5\r\nX-A: b\r\nX-Empty: \r\nX-Sp: spaced  value\r\n");
    assert_int_equal(r.nheaders, 4);
    run_free(&r);

    expect_ok(S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), false, false, 200, "", 0);
    expect_ok(S("HTTP/1.1 200 OK\r\nContent-Length: 000003\r\n\r\nabc"), false, false, 200, "abc", 3);
    /* bare LF line endings are tolerated */
    expect_ok(S("HTTP/1.1 200 OK\nContent-Length: 3\n\nabc"), false, false, 200, "abc", 3);
    /* no reason phrase, with or without the space */
    expect_ok(S("HTTP/1.1 200\r\nContent-Length: 1\r\n\r\nx"), false, false, 200, "x", 1);
    expect_ok(S("HTTP/1.0 404 \r\nContent-Length: 1\r\n\r\nx"), false, false, 404, "x", 1);
    /* NUL bytes in a body are just bytes */
    expect_ok(S("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n\0\0\0"), false, false, 200, "\0\0\0", 3);
    /* obs-text in values is allowed */
    expect_ok(S("HTTP/1.1 200 OK\r\nX: caf\xe9\r\nContent-Length: 0\r\n\r\n"), false, false, 200, "", 0);
}

static void test_trailing_bytes_left_alone(void **state) {
    (void)state;
    const char in[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA";
    run_result r = run_both(in, sizeof in - 1, NULL, false, false);
    assert_int_equal(r.rc, WB_HTTP_DONE);
    assert_int_equal(r.consumed, sizeof in - 1 - 5);
    assert_string_equal((char *)r.body, "ok");
    run_free(&r);
    const char in2[] = "HTTP/1.1 204 No Content\r\nX: y\r\n\r\nEXTRA";
    r = run_both(in2, sizeof in2 - 1, NULL, false, false);
    assert_int_equal(r.rc, WB_HTTP_DONE);
    assert_int_equal(r.consumed, sizeof in2 - 1 - 5);
    assert_int_equal(r.body_len, 0);
    run_free(&r);
}

static void test_header_access(void **state) {
    (void)state;
    static const char in[] = "HTTP/1.1 201 Created\r\nLocation: /x\r\nset-cookie: a=1\r\n"
                             "Set-Cookie: b=2\r\nContent-Length: 0\r\n\r\n";
    wb_http_response *p = wb_http_response_new(NULL, false);
    assert_non_null(p);
    size_t used;
    assert_int_equal(wb_http_response_feed(p, in, sizeof in - 1, &used), WB_HTTP_DONE);
    assert_int_equal(used, sizeof in - 1);
    size_t vl;
    const char *v = wb_http_response_header(p, "LOCATION", &vl);
    assert_non_null(v);
    assert_int_equal(vl, 2);
    assert_memory_equal(v, "/x", 2);
    v = wb_http_response_header(p, "Set-Cookie", &vl);
    assert_memory_equal(v, "a=1", vl); /* the first one */
    assert_null(wb_http_response_header(p, "Nope", &vl));
    assert_int_equal(vl, 0);
    assert_int_equal(wb_http_response_header_count(p), 4);
    const char *n;
    size_t nl;
    assert_true(wb_http_response_header_at(p, 2, &n, &nl, &v, &vl));
    assert_memory_equal(n, "Set-Cookie", nl);
    assert_memory_equal(v, "b=2", vl);
    assert_false(wb_http_response_header_at(p, 4, &n, &nl, &v, &vl));
    assert_int_equal(wb_http_response_minor_version(p), 1);
    assert_string_equal(wb_http_response_reason(p), "Created");
    wb_http_response_free(p);
}

static void test_chunked(void **state) {
    (void)state;
    run_result r = run_both(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "5;ext=1;x=\"q\"\r\nhello\r\n6 ; e\r\n world\r\n"
                              "A\r\n0123456789\r\n0\r\nTrailer-A: x\r\nTrailer-B: y\r\n\r\n"),
                            NULL, false, false);
    assert_int_equal(r.rc, WB_HTTP_DONE);
    assert_string_equal((char *)r.body, "hello world0123456789");
    assert_string_equal(r.raw, "Transfer-Encoding: chunked\r\n"); /* trailers dropped */
    run_free(&r);
    expect_ok(S("HTTP/1.1 200 OK\nTransfer-Encoding: Chunked,\n\n3\nabc\n0\n\n"), false, false, 200,
              "abc", 3);
    expect_ok(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0000000000000000000002\r\n"
                "ab\r\n0\r\n\r\n"),
              false, false, 200, "ab", 2);
    expect_ok(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), false, false, 200,
              "", 0);
}

static void test_eof_delimited(void **state) {
    (void)state;
    run_result r = run_both(S("HTTP/1.0 200 OK\r\nServer: x\r\n\r\nsome\0body"), NULL, false, true);
    assert_int_equal(r.rc, WB_HTTP_DONE);
    assert_int_equal(r.body_len, 9);
    assert_memory_equal(r.body, "some\0body", 9);
    run_free(&r);
    /* without the EOF, the parser must keep waiting */
    r = run_both(S("HTTP/1.0 200 OK\r\n\r\nsome body"), NULL, false, false);
    assert_int_equal(r.rc, WB_HTTP_MORE);
    run_free(&r);
    expect_ok(S("HTTP/1.1 200 OK\r\n\r\n"), false, true, 200, "", 0);
}

static void test_no_body_responses(void **state) {
    (void)state;
    expect_ok(S("HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n"), false, false, 204, "", 0);
    expect_ok(S("HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n"), false, false, 304, "", 0);
    expect_ok(S("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"), true, false, 200, "", 0);
    expect_ok(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), true, false, 200, "", 0);
}

static void test_interim_responses(void **state) {
    (void)state;
    run_result r = run_both(S("HTTP/1.1 100 Continue\r\n\r\n"
                              "HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"
                              "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
                            NULL, false, false);
    assert_int_equal(r.rc, WB_HTTP_DONE);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.nheaders, 1);
    assert_string_equal(r.raw, "Content-Length: 2\r\n");
    assert_string_equal((char *)r.body, "ok");
    run_free(&r);
    expect_error(S("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n"), NULL, false,
                 "unexpected 101");
    /* a 1xx's Content-Length does not leak into the final response */
    expect_ok(S("HTTP/1.1 100 Continue\r\nContent-Length: 5\r\n\r\n"
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz"),
              false, false, 200, "z", 1);
}

static void test_bad_status_lines(void **state) {
    (void)state;
    expect_error(S("HTTP/1.1 20 OK\r\n"), NULL, false, "invalid status line");
    expect_error(S("HTTP/2 200 OK\r\n"), NULL, false, "invalid status line");
    expect_error(S("HTTP/2.0 200 OK\r\n"), NULL, false, "invalid status line");
    expect_error(S("http/1.1 200 OK\r\n"), NULL, false, "invalid status line");
    expect_error(S("HTTP/1.1  200 OK\r\n"), NULL, false, "invalid status line");
    expect_error(S("HTTP/1.1 2000 OK\r\n"), NULL, false, "invalid status line");
    expect_error(S("HTTP/1.1 20x OK\r\n"), NULL, false, "invalid status line");
    expect_error(S("HTTP/1.1 600 Nope\r\n"), NULL, false, "invalid status code 600");
    expect_error(S("HTTP/1.1 099 x\r\n"), NULL, false, "invalid status code 99");
    expect_error(S("HTTP/1.1 200 O\0K\r\n"), NULL, false, "invalid byte 0x00 in status line");
    expect_error(S("HTTP/1.1 200 O\x1bK\r\n"), NULL, false, "invalid byte 0x1b in status line");
    expect_error(S("\0\0\0\0\r\n"), NULL, false, "invalid status line '\\x00\\x00\\x00\\x00'");
    expect_error(S("\r\nHTTP/1.1 200 OK\r\n"), NULL, false, "invalid status line ''");
    expect_error(S("HTTP/1.1 200 OK\rX\r\n"), NULL, false, "CR without LF");
    expect_error(S("SSH-2.0-OpenSSH\r\n"), NULL, false, "invalid status line");
}

static void test_bad_headers(void **state) {
    (void)state;
    const char *ok = "HTTP/1.1 200 OK\r\n";
    static const struct {
        const char *hdrs;
        size_t len;
        const char *want;
    } cases[] = {
        {S("Bad Name: x\r\n\r\n"), "invalid byte 0x20 in header name"},
        {S("Name : x\r\n\r\n"), "invalid byte 0x20 in header name"},
        {S("Na\0me: x\r\n\r\n"), "invalid byte 0x00 in header name"},
        {S("X: a\r\n b\r\n\r\n"), "obsolete line folding"},
        {S("X: a\r\n\tb\r\n\r\n"), "obsolete line folding"},
        {S(" X: a\r\n\r\n"), "obsolete line folding"},
        {S("NoColon\r\n\r\n"), "header line without ':'"},
        {S(": v\r\n\r\n"), "empty header name"},
        {S("X: a\0b\r\n\r\n"), "invalid byte 0x00 in value of header 'X'"},
        {S("X: a\x7f\r\n\r\n"), "invalid byte 0x7f in value"},
        {S("X: a\rb\r\n\r\n"), "CR without LF"},
        {S("Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello"), "duplicate Content-Length"},
        {S("Content-Length: 5\r\ncontent-length: 6\r\n\r\nhello"), "duplicate Content-Length"},
        {S("Content-Length: 5, 5\r\n\r\nhello"), "invalid Content-Length '5, 5'"},
        {S("Content-Length: -1\r\n\r\n"), "invalid Content-Length '-1'"},
        {S("Content-Length: +1\r\n\r\n"), "invalid Content-Length"},
        {S("Content-Length: 0x10\r\n\r\n"), "invalid Content-Length"},
        {S("Content-Length: 1 2\r\n\r\n"), "invalid Content-Length"},
        {S("Content-Length:\r\n\r\n"), "empty Content-Length"},
        {S("Content-Length: 99999999999999999999999\r\n\r\n"), "too large"},
        {S("Content-Length: 18446744073709551616\r\n\r\n"), "too large"},
        {S("Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"),
         "both Transfer-Encoding and Content-Length"},
        {S("Transfer-Encoding: gzip\r\n\r\n"), "unsupported Transfer-Encoding 'gzip'"},
        {S("Transfer-Encoding: gzip, chunked\r\n\r\n"), "unsupported Transfer-Encoding 'gzip'"},
        {S("Transfer-Encoding: identity\r\n\r\n"), "unsupported Transfer-Encoding"},
        {S("Transfer-Encoding: chunked, chunked\r\n\r\n"), "chunked more than once"},
        {S("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"),
         "chunked more than once"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = strlen(ok) + cases[i].len;
        char *in = malloc(n);
        memcpy(in, ok, strlen(ok));
        memcpy(in + strlen(ok), cases[i].hdrs, cases[i].len);
        expect_error(in, n, NULL, true, cases[i].want);
        free(in);
    }
}

static void test_bad_chunks(void **state) {
    (void)state;
    const char *head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    static const struct {
        const char *body;
        size_t len;
        const char *want;
    } cases[] = {
        {S("ffffffffffffffffff\r\n"), "chunk size 'ffffffffffffffffff' too large"},
        {S("10000000000000000\r\n"), "too large"},
        {S("ffffffffffffffff\r\n"), "response body over"},
        {S("zz\r\n"), "invalid chunk size line 'zz'"},
        {S("\r\n"), "invalid chunk size line ''"},
        {S("-1\r\n"), "invalid chunk size line"},
        {S("5 x\r\nhello\r\n"), "invalid chunk size line"},
        {S("0x5\r\nhello\r\n"), "invalid chunk size line"},
        {S("5;a\x01\r\nhello\r\n"), "invalid byte 0x01 in chunk extension"},
        {S("5\r\nhelloXX"), "expected CRLF after chunk data, got byte 0x58"},
        {S("5\r\nhello\r\r\n"), "expected CRLF after chunk data, got byte 0x0d"},
        {S("5\r\nhello\r\n0\r\nBad Trailer\r\n\r\n"), "trailer line without ':'"},
        {S("5\r\nhello\r\n0\r\nX: a\r\n b\r\n\r\n"), "obsolete line folding in trailer"},
        {S("5\r\nhel"), "chunked response body truncated after 3 bytes"},
        {S("5\r\nhello"), "chunked response body truncated after 5 bytes"},
        {S("5\r\nhello\r\n0\r\n"), "chunked response body truncated"},
        {S("5\r\nhello\r\n"), "chunked response body truncated"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = strlen(head) + cases[i].len;
        char *in = malloc(n);
        memcpy(in, head, strlen(head));
        memcpy(in + strlen(head), cases[i].body, cases[i].len);
        expect_error(in, n, NULL, true, cases[i].want);
        free(in);
    }
}

static void test_truncation_at_eof(void **state) {
    (void)state;
    expect_error(S(""), NULL, true, "connection closed before any response");
    expect_error(S("HTTP/1.1 200"), NULL, true, "connection closed inside the status line");
    expect_error(S("HTTP/1.1 200 OK\r\nX: y\r\n"), NULL, true,
                 "connection closed before the end of the response headers");
    expect_error(S("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"), NULL, true,
                 "response body truncated: got 3 of 10 bytes");
    expect_error(S("HTTP/1.1 100 Continue\r\n\r\n"), NULL, true, "connection closed");
}

static void test_limits(void **state) {
    (void)state;
    wb_http_limits lim = {.max_line = 64, .max_headers = 3, .max_header_bytes = 256, .max_body = 10};

    char line[200];
    int n = snprintf(line, sizeof line, "HTTP/1.1 200 OK\r\nX: %0100d\r\n\r\n", 0);
    expect_error(line, (size_t)n, &lim, true, "header line longer than 64 bytes");
    /* exactly max_line bytes, with CRLF or bare LF, is fine */
    n = snprintf(line, sizeof line, "HTTP/1.1 200 OK\r\nX: %061d\r\nY: %061d\n\n", 0, 0);
    run_result r = run_both(line, (size_t)n, &lim, false, true);
    assert_int_equal(r.rc, WB_HTTP_DONE);
    run_free(&r);
    n = snprintf(line, sizeof line, "HTTP/1.1 200 OK\r\nX: %062d\n\n", 0);
    expect_error(line, (size_t)n, &lim, true, "header line longer than 64 bytes");

    expect_error(S("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n"), &lim, true,
                 "more than 3 response headers");
    r = run_both(S("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), &lim, false, true);
    assert_int_equal(r.rc, WB_HTTP_DONE);
    run_free(&r);

    lim.max_headers = 1000;
    char big[600];
    size_t o = (size_t)snprintf(big, sizeof big, "HTTP/1.1 200 OK\r\n");
    while (o + 20 < sizeof big) o += (size_t)snprintf(big + o, sizeof big - o, "X-Header: value\r\n");
    expect_error(big, o, &lim, true, "response head over 256 bytes");

    expect_error(S("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world"), &lim, true,
                 "response body over 10 bytes (Content-Length: 11)");
    expect_error(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"
                   "6\r\n world\r\n0\r\n\r\n"),
                 &lim, true, "response body over 10 bytes");
    expect_error(S("HTTP/1.1 200 OK\r\n\r\nhello world"), &lim, true, "response body over 10 bytes");
    r = run_both(S("HTTP/1.1 200 OK\r\n\r\nhelloworld"), &lim, false, true);
    assert_int_equal(r.rc, WB_HTTP_DONE);
    assert_int_equal(r.body_len, 10);
    run_free(&r);
    expect_error(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;xxxxxxxxxxxxxxxxxxxxxxxxxxx"
                   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n"),
                 &lim, true, "chunk size line longer than 64 bytes");

    assert_null(wb_http_response_new(&(wb_http_limits){0, 1, 1, 1}, false));
}

/* Streams that never end must fail once a limit is reached, not grow. */
static void test_endless_input(void **state) {
    (void)state;
    static const char *const prefixes[] = {
        "", "HTTP/1.1 200 OK\r\n", "", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\n\r\n",
    };
    static const char *const units[] = {
        "HTTP/1.1 100 Continue\r\n\r\n", "X-Endless: header\r\n", "HTTP/1.1 200 OK",
        "1\r\nx\r\n", "\0\0\0\0\0\0\0\0",
    };
    static const size_t unit_len[] = {25, 19, 15, 6, 8};
    static const char *const want[] = {
        "response head over", "more than 100 response headers", "status line longer than",
        "response body over", "response body over",
    };
    wb_http_limits lim = wb_http_default_limits;
    lim.max_body = 1024 * 1024;
    for (size_t k = 0; k < 5; k++) {
        wb_http_response *p = wb_http_response_new(&lim, false);
        assert_non_null(p);
        wb_http_result rc = wb_http_response_feed(p, prefixes[k], strlen(prefixes[k]), NULL);
        size_t fed = 0;
        while (rc == WB_HTTP_MORE && fed < 64u * 1024 * 1024) {
            rc = wb_http_response_feed(p, units[k], unit_len[k], NULL);
            fed += unit_len[k];
        }
        assert_int_equal(rc, WB_HTTP_ERROR);
        if (!strstr(wb_http_response_error(p), want[k]))
            fail_msg("case %zu: '%s'", k, wb_http_response_error(p));
        wb_http_response_free(p);
    }
}


static uint64_t rng_state = 0x2545F4914F6CDD1Dull;
static uint64_t rng(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Mutated responses: whatever the outcome, whole and split feeding agree
 * (run_both checks that), and an error always comes with a message. */
static void test_mutated_responses(void **state) {
    (void)state;
    static const char *seeds[] = {
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX: y\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;e\r\nhello\r\n0\r\nT: 1\r\n\r\n",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 204 No\r\n\r\n",
        "HTTP/1.0 200 OK\n\nbody until close",
    };
    static const char alphabet[] = "\r\n:; 0f9\t,\x00\xff";
    wb_http_limits lim = {.max_line = 40, .max_headers = 4, .max_header_bytes = 120, .max_body = 12};
    int done = 0, errors = 0;
    for (int iter = 0; iter < 3000; iter++) {
        char buf[200];
        const char *seed = seeds[rng() % 4];
        size_t n = strlen(seed);
        memcpy(buf, seed, n);
        for (int e = 0, edits = 1 + (int)(rng() % 3); e < edits; e++) {
            size_t pos = rng() % (n + 1);
            char c = (rng() % 4 == 0) ? (char)(rng() & 0xFF) : alphabet[rng() % (sizeof alphabet - 1)];
            if (rng() % 2 && n + 1 < sizeof buf) {
                memmove(buf + pos + 1, buf + pos, n - pos);
                buf[pos] = c;
                n++;
            } else if (pos < n) {
                buf[pos] = c;
            }
        }
        run_result r = run_both(buf, n, &lim, rng() % 5 == 0, true);
        if (r.rc == WB_HTTP_ERROR) {
            errors++;
            assert_true(r.err[0] != '\0');
            for (const char *p = r.err; *p; p++) assert_true(*p >= 0x20 && *p < 0x7F);
        } else {
            assert_int_equal(r.rc, WB_HTTP_DONE); /* EOF was signalled: never MORE */
            assert_true(r.body_len <= lim.max_body);
            assert_true(r.nheaders <= lim.max_headers);
            done++;
        }
        run_free(&r);
    }
    assert_true(done > 100 && errors > 100);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_content_length),
        cmocka_unit_test(test_trailing_bytes_left_alone),
        cmocka_unit_test(test_header_access),
        cmocka_unit_test(test_chunked),
        cmocka_unit_test(test_eof_delimited),
        cmocka_unit_test(test_no_body_responses),
        cmocka_unit_test(test_interim_responses),
        cmocka_unit_test(test_bad_status_lines),
        cmocka_unit_test(test_bad_headers),
        cmocka_unit_test(test_bad_chunks),
        cmocka_unit_test(test_truncation_at_eof),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_endless_input),
        cmocka_unit_test(test_mutated_responses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
