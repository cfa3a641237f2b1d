/* Unit tests for net/http_request.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../net/http_request.h"

#define H(n, v) {n, sizeof(n) - 1, v, sizeof(v) - 1}

static void test_get(void **state) {
    (void)state;
    wb_http_header hs[] = {H("Accept", "*/*"), H("X-Empty", "")};
    wb_http_request rq = {.method = "GET", .method_len = 3, .target = "/a?b=c",
                          .host = "example.com", .headers = hs, .nheaders = 2};
    char *out, err[200];
    size_t len;
    assert_int_equal(wb_http_request_serialize(&rq, &out, &len, err, sizeof err), 0);
    const char *want = "GET /a?b=c HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n"
                       "X-Empty: \r\nConnection: close\r\n\r\n";
    assert_int_equal(len, strlen(want));
    assert_string_equal(out, want);
    free(out);
}

static void test_post_body(void **state) {
    (void)state;
    wb_http_request rq = {.method = "POST", .method_len = 4, .target = "/",
                          .host = "[::1]:8080", .body = "a\0b\r\n", .body_len = 5};
    char *out, err[200];
    size_t len;
    assert_int_equal(wb_http_request_serialize(&rq, &out, &len, err, sizeof err), 0);
    const char want[] = "POST / HTTP/1.1\r\nHost: [::1]:8080\r\nContent-Length: 5\r\n"
                        "Connection: close\r\n\r\na\0b\r\n";
    assert_int_equal(len, sizeof want - 1);
    assert_memory_equal(out, want, len);
    free(out);
    /* an empty but present body still gets Content-Length: 0 */
    rq.body = "";
    rq.body_len = 0;
    assert_int_equal(wb_http_request_serialize(&rq, &out, &len, err, sizeof err), 0);
    assert_non_null(strstr(out, "\r\nContent-Length: 0\r\n"));
    free(out);
}

static void expect_reject(wb_http_request rq, const char *want) {
    char *out = (char *)1, err[200] = "";
    size_t len = 7;
    assert_int_equal(wb_http_request_serialize(&rq, &out, &len, err, sizeof err), -1);
    assert_null(out);
    assert_int_equal(len, 0);
    if (!strstr(err, want)) fail_msg("error '%s' does not contain '%s'", err, want);
}

static void test_rejects(void **state) {
    (void)state;
    wb_http_request base = {.method = "GET", .method_len = 3, .target = "/", .host = "a.b"};
    wb_http_request rq = base;
    rq.method = "GE T";
    rq.method_len = 4;
    expect_reject(rq, "invalid method");
    rq.method = "GET\r\n";
    rq.method_len = 5;
    expect_reject(rq, "invalid method");
    rq.method = "G\0T";
    rq.method_len = 3;
    expect_reject(rq, "invalid method 'G\\x00T'");
    rq.method_len = 0;
    expect_reject(rq, "empty method");

    rq = base;
    rq.target = "/a b";
    expect_reject(rq, "invalid byte 0x20 in request target");
    rq.target = "/a\r\nX: y";
    expect_reject(rq, "invalid byte 0x0d in request target");
    rq.target = "http://a/";
    expect_reject(rq, "must start with '/'");

    rq = base;
    rq.host = "a.b\r\nX: y";
    expect_reject(rq, "invalid Host");
    rq.host = "a b";
    expect_reject(rq, "invalid Host");
    rq.host = "";
    expect_reject(rq, "empty Host");

    static const struct {
        wb_http_header h;
        const char *want;
    } bad[] = {
        {H("X-A", "v\r\nInjected: 1"), "invalid byte 0x0d in value of request header 'X-A'"},
        {H("X-A", "v\nInjected: 1"), "invalid byte 0x0a in value"},
        {H("X-A", "v\0w"), "invalid byte 0x00 in value"},
        {H("X-A", "v\x7f"), "invalid byte 0x7f in value"},
        {H("X A", "v"), "invalid byte 0x20 in request header name"},
        {H("X-A:", "v"), "invalid byte 0x3a in request header name"},
        {H("X\r\nB", "v"), "invalid byte 0x0d in request header name"},
        {H("", "v"), "empty name"},
        {H("host", "evil.com"), "'Host' is set by wasmbox"},
        {H("HOST", "evil.com"), "'Host' is set by wasmbox"},
        {H("Content-Length", "0"), "'Content-Length' is set by wasmbox"},
        {H("transfer-encoding", "chunked"), "'Transfer-Encoding' is set by wasmbox"},
        {H("Connection", "keep-alive"), "'Connection' is set by wasmbox"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wb_http_header hs[2] = {H("Accept", "*/*"), bad[i].h};
        rq = base;
        rq.headers = hs;
        rq.nheaders = 2;
        expect_reject(rq, bad[i].want);
    }
    /* a value may hold tabs, spaces and obs-text */
    wb_http_header ok = H("X-A", "a\tb c\xe9");
    rq = base;
    rq.headers = &ok;
    rq.nheaders = 1;
    char *out, err[200];
    size_t len;
    assert_int_equal(wb_http_request_serialize(&rq, &out, &len, err, sizeof err), 0);
    assert_non_null(strstr(out, "\r\nX-A: a\tb c\xe9\r\n"));
    free(out);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get),
        cmocka_unit_test(test_post_body),
        cmocka_unit_test(test_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
