/* Unit tests for net/url.c, net/host.c and net/punycode.c. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../net/host.h"
#include "../../net/punycode.h"
#include "../../net/url.h"

/* Parses s (NUL-terminated) and returns the formatted URL, or fails. */
static void expect_url(const char *in, const char *want) {
    wb_url u;
    char err[256] = "", got[WB_URL_MAX_LEN + 300];
    int rc = wb_url_parse(in, strlen(in), &u, err, sizeof err);
    if (rc != 0) fail_msg("parse of '%s' failed: %s", in, err);
    size_t n = wb_url_format(&u, got, sizeof got);
    assert_int_equal(n, strlen(got));
    if (strcmp(got, want) != 0) fail_msg("'%s' -> '%s', want '%s'", in, got, want);
    /* Normalisation is idempotent: the output parses back to itself. */
    wb_url v;
    char again[WB_URL_MAX_LEN + 300];
    rc = wb_url_parse(got, n, &v, err, sizeof err);
    if (rc != 0) fail_msg("re-parse of '%s' failed: %s", got, err);
    wb_url_format(&v, again, sizeof again);
    assert_string_equal(again, got);
    wb_url_free(&u);
    wb_url_free(&v);
}

static void expect_url_error_n(const char *in, size_t len, const char *want_substr) {
    wb_url u;
    char err[256] = "";
    int rc = wb_url_parse(in, len, &u, err, sizeof err);
    if (rc == 0) {
        char got[WB_URL_MAX_LEN + 300];
        wb_url_format(&u, got, sizeof got);
        fail_msg("'%.*s' parsed as '%s', want error containing '%s'", (int)len, in, got,
                 want_substr);
    }
    assert_null(u.target);
    if (!strstr(err, want_substr))
        fail_msg("'%.*s': error '%s' does not contain '%s'", (int)len, in, err, want_substr);
    wb_url_free(&u); /* safe on a failed parse */
}

static void expect_url_error(const char *in, const char *want_substr) {
    expect_url_error_n(in, strlen(in), want_substr);
}

static void test_scheme_and_case(void **state) {
    (void)state;
    expect_url("http://example.com", "http://example.com/");
    expect_url("HTTP://EXAMPLE.COM/Path/Keeps/Case", "http://example.com/Path/Keeps/Case");
    expect_url("HtTpS://Example.COM:443/a?b=c#frag", "https://example.com/a?b=c");
    expect_url("https://example.com:80/", "https://example.com:80/");
    expect_url("http://example.com:8080/x", "http://example.com:8080/x");
    expect_url("http://example.com:00080/x", "http://example.com/x");
    expect_url("http://under_score-dash.example/", "http://under_score-dash.example/");
    expect_url_error("ftp://example.com/", "unsupported URL scheme 'ftp'");
    expect_url_error("file:///etc/passwd", "unsupported URL scheme 'file'");
    expect_url_error("javascript:alert(1)", "unsupported URL scheme 'javascript'");
    expect_url_error("httpx://a/", "unsupported URL scheme 'httpx'");
    expect_url_error("example.com/path", "has no scheme");
    expect_url_error("//example.com/", "has no scheme");
    expect_url_error(" http://a/", "has no scheme");
    expect_url_error("http:example.com", "expected '//'");
    expect_url_error("http:/example.com", "expected '//'");
    expect_url_error("http:\\\\example.com", "expected '//'");
    expect_url_error("", "empty URL");
}

static void test_port(void **state) {
    (void)state;
    wb_url u;
    char err[128];
    assert_int_equal(wb_url_parse("http://a.b/", 11, &u, err, sizeof err), 0);
    assert_int_equal(u.port, 80);
    assert_false(u.port_explicit);
    wb_url_free(&u);
    assert_int_equal(wb_url_parse("https://a.b/", 12, &u, err, sizeof err), 0);
    assert_int_equal(u.port, 443);
    assert_false(u.port_explicit);
    wb_url_free(&u);
    const char *s = "http://a.b:80/";
    assert_int_equal(wb_url_parse(s, strlen(s), &u, err, sizeof err), 0);
    assert_int_equal(u.port, 80);
    assert_true(u.port_explicit);
    wb_url_free(&u);
    s = "https://a.b:65535";
    assert_int_equal(wb_url_parse(s, strlen(s), &u, err, sizeof err), 0);
    assert_int_equal(u.port, 65535);
    assert_true(u.port_explicit);
    char hh[300];
    wb_url_host_header(&u, hh, sizeof hh);
    assert_string_equal(hh, "a.b:65535");
    wb_url_free(&u);

    expect_url_error("http://example.com:/", "empty port");
    expect_url_error("http://example.com:0/", "out of range");
    expect_url_error("http://example.com:65536/", "out of range");
    expect_url_error("http://example.com:99999999999999999999999/", "out of range");
    expect_url_error("http://example.com:8a/", "invalid port");
    expect_url_error("http://example.com:-1/", "invalid port");
    expect_url_error("http://example.com:+80/", "invalid port");
    expect_url_error("http://example.com:80:80/", "invalid port");
    expect_url_error("http://example.com: 80/", "invalid port");
}

static void test_userinfo_and_confusion(void **state) {
    (void)state;
    expect_url_error("http://user@example.com/", "userinfo");
    expect_url_error("http://user:pw@example.com/", "userinfo");
    expect_url_error("http://@example.com/", "userinfo");
    expect_url_error("http://github.com@evil.com/", "userinfo");
    expect_url_error("http://github.com:443@evil.com/", "userinfo");
    expect_url_error("http://evil.com\\@github.com", "backslash");
    expect_url_error("http://evil.com\\github.com/", "backslash");
    expect_url_error("http://evil.com%5c@github.com", "userinfo");
    /* The authority ends at '#', '?' or '/': what follows is not a host. */
    expect_url("http://evil.com#@github.com", "http://evil.com/");
    expect_url("http://evil.com?@github.com", "http://evil.com/?@github.com");
    expect_url("http://evil.com/@github.com", "http://evil.com/@github.com");
    /* Escaped or full-width '@' and '/' cannot sneak into the host. */
    expect_url_error("http://evil.com%40github.com/", "forbidden character '@'");
    expect_url_error("http://evil.com\xef\xbc\xa0github.com/", "forbidden character '@'");
    expect_url_error("http://evil.com%2fgithub.com/", "forbidden character '/'");
    expect_url_error("http://evil.com\xef\xbc\x8fgithub.com/", "forbidden character '/'");
}

static void test_host_names(void **state) {
    (void)state;
    expect_url("http://localhost.:80/", "http://localhost/");
    expect_url("http://LocalHost./x", "http://localhost/x");
    expect_url("http://%65xample.com/", "http://example.com/");
    expect_url("http://ex%41mple%2Ecom/", "http://example.com/");
    expect_url("http://\xef\xbd\x85\xef\xbd\x98\xef\xbd\x81\xef\xbd\x8d\xef\xbd\x90\xef\xbd\x8c"
               "\xef\xbd\x85.com/",
               "http://example.com/"); /* full-width letters */
    expect_url("http://example\xe3\x80\x82" "com/", "http://example.com/");
    expect_url("http://example\xef\xbc\x8e" "com/", "http://example.com/");
    expect_url("http://example\xef\xbd\xa1" "com/", "http://example.com/");

    expect_url_error("http:///path", "empty host");
    expect_url_error("http://:80/", "empty host");
    expect_url_error("http://", "empty host");
    expect_url_error("http://./", "empty host");
    expect_url_error("http://a..b/", "empty label");
    expect_url_error("http://.a/", "empty label");
    expect_url_error("http://a.b../", "empty label");
    expect_url_error("http://exa mple.com/", "forbidden byte 0x20");
    expect_url_error("http://exa%20mple.com/", "forbidden byte 0x20");
    expect_url_error("http://exa%00mple.com/", "forbidden byte 0x00");
    expect_url_error("http://exa%0ample.com/", "forbidden byte 0x0a");
    expect_url_error("http://exa%7fmple.com/", "forbidden byte 0x7f");
    expect_url_error("http://exa%zzmple.com/", "invalid percent-encoding in host");
    expect_url_error("http://exa%2/", "invalid percent-encoding in host");
    expect_url_error("http://exa%/", "invalid percent-encoding in host");
    expect_url_error("http://a<b.com/", "forbidden character '<'");
    expect_url_error("http://a*b.com/", "forbidden character '*'");
    expect_url_error("http://a[b.com/", "forbidden character '['");
    expect_url_error("http://a]b.com/", "forbidden character ']'");

    char big[400];
    memset(big, 'a', sizeof big);
    memcpy(big, "http://", 7);
    /* a 64-byte label */
    snprintf(big + 7 + 64, sizeof big - 71, ".com/");
    expect_url_error(big, "label longer than 63");
    /* a 63-byte label is fine */
    memset(big, 'a', sizeof big);
    memcpy(big, "http://", 7);
    snprintf(big + 7 + 63, sizeof big - 70, ".com/");
    wb_url u;
    char err[200];
    assert_int_equal(wb_url_parse(big, strlen(big), &u, err, sizeof err), 0);
    wb_url_free(&u);
    /* 4 * 63 + 3 dots = 255 > 253 */
    size_t o = 7;
    memcpy(big, "http://", 7);
    for (int l = 0; l < 4; l++) {
        memset(big + o, 'b', 63);
        o += 63;
        big[o++] = l < 3 ? '.' : '/';
    }
    big[o] = '\0';
    expect_url_error(big, "longer than 253");
}

static void test_idn(void **state) {
    (void)state;
    expect_url("http://b\xc3\xbc" "cher.example/", "http://xn--bcher-kva.example/");
    expect_url("http://b%C3%BCcher.example/", "http://xn--bcher-kva.example/");
    expect_url("http://M\xc3\xbcnchen.DE/", "http://xn--mnchen-3ya.de/");
    expect_url("http://\xe4\xbe\x8b\xe3\x81\x88.\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88/",
               "http://xn--r8jz45g.xn--zckzah/");
    expect_url("http://\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80.\xd1\x80\xd1\x84/",
               "http://xn--e1afmkfd.xn--p1ai/");
    expect_url("http://xn--bcher-kva.example/", "http://xn--bcher-kva.example/");
    /* invisible and space-like code points are refused, not encoded */
    expect_url_error("http://a\xe2\x80\x8b" "b.com/", "U+200B");
    expect_url_error("http://a%E2%80%8Bb.com/", "U+200B");
    expect_url_error("http://a\xe3\x80\x80" "b.com/", "U+3000");
    expect_url_error("http://a\xc2\xa0" "b.com/", "U+00A0");
    expect_url_error("http://a\xc2\xad" "b.com/", "U+00AD");
    expect_url_error("http://a\xef\xbb\xbf" "b.com/", "U+FEFF");
    expect_url_error("http://a\xe2\x80\xae" "b.com/", "U+202E");
    /* broken UTF-8 */
    expect_url_error("http://a\xff" "b.com/", "not valid UTF-8");
    expect_url_error("http://a\xc0\xae" "b.com/", "not valid UTF-8");   /* overlong '.' */
    expect_url_error("http://a\xe0\x80\xae" "b.com/", "not valid UTF-8"); /* overlong '.' */
    expect_url_error("http://a\xed\xa0\x80" "b.com/", "not valid UTF-8"); /* surrogate */
    expect_url_error("http://a\xf4\x90\x80\x80" "b.com/", "not valid UTF-8");
    expect_url_error("http://a\xc3/", "not valid UTF-8"); /* cut short */
    /* an encoded label longer than 63 bytes */
    char big[512] = "http://";
    for (int i = 0; i < 40; i++) { /* 40 distinct CJK ideographs, U+4E00 + 97*i */
        unsigned c = 0x4E00 + 97u * (unsigned)i;
        char u8[4] = {(char)(0xE0 | c >> 12), (char)(0x80 | ((c >> 6) & 0x3F)),
                      (char)(0x80 | (c & 0x3F)), 0};
        strcat(big, u8);
    }
    strcat(big, ".com/");
    expect_url_error(big, "label longer than 63");
}

static void test_numeric_hosts(void **state) {
    (void)state;
    expect_url("http://2130706433/", "http://127.0.0.1/");
    expect_url("http://0x7f000001/", "http://127.0.0.1/");
    expect_url("http://0X7F000001/", "http://127.0.0.1/");
    expect_url("http://0x7f.1/", "http://127.0.0.1/");
    expect_url("http://0177.0.0.1/", "http://127.0.0.1/");
    expect_url("http://127.1/", "http://127.0.0.1/");
    expect_url("http://127.0.1/", "http://127.0.0.1/");
    expect_url("http://127.0.0.1./", "http://127.0.0.1/");
    expect_url("http://169.254.43518/", "http://169.254.169.254/");
    expect_url("http://2852039166/", "http://169.254.169.254/");
    expect_url("http://0xA9.0376.0xa9fe/", "http://169.254.169.254/");
    expect_url("http://0.0.0.0/", "http://0.0.0.0/");
    expect_url("http://0/", "http://0.0.0.0/");
    expect_url("http://127\xe3\x80\x82" "0\xe3\x80\x82" "0\xe3\x80\x82" "1/", "http://127.0.0.1/");
    expect_url("http://127\xef\xbc\x8e" "0.0.1/", "http://127.0.0.1/");
    expect_url("http://127\xef\xbd\xa1" "0.0.1/", "http://127.0.0.1/");
    expect_url("http://\xef\xbc\x91\xef\xbc\x92\xef\xbc\x97.0.0.1/", "http://127.0.0.1/");
    expect_url("http://%31%32%37.0.0.1:8080/", "http://127.0.0.1:8080/");
    expect_url("http://127%E3%80%820%EF%BC%8E0.1/", "http://127.0.0.1/");
    expect_url("http://0x7f%2e1/", "http://127.0.0.1/");
    expect_url("http://[0:0:0:0:0:ffff:7f00:0001]/", "http://[::ffff:127.0.0.1]/");
    expect_url("http://1.2.3.4.example/", "http://1.2.3.4.example/");

    wb_url u;
    char err[200];
    const char *s = "http://0x7f.1/";
    assert_int_equal(wb_url_parse(s, strlen(s), &u, err, sizeof err), 0);
    assert_int_equal(u.host.kind, WB_HOST_IPV4);
    assert_memory_equal(u.host.addr, "\x7f\x00\x00\x01", 4);
    wb_url_free(&u);

    expect_url_error("http://1.2.3.4.5/", "more than 4 parts");
    expect_url_error("http://127.0.0.1.5/", "more than 4 parts");
    expect_url_error("http://0x1g.1/", "invalid hex digit");
    expect_url_error("http://256.0.0.1/", "out of range");
    expect_url_error("http://1.2.3.256/", "out of range");
    expect_url_error("http://1.2.65536/", "out of range");
    expect_url_error("http://1.16777216/", "out of range");
    expect_url_error("http://4294967296/", "out of range");
    expect_url_error("http://0x100000000/", "out of range");
    expect_url_error("http://99999999999999999999999999/", "out of range");
    expect_url_error("http://08.0.0.1/", "invalid octal digit");
    expect_url_error("http://0x/", "no digits");
    expect_url_error("http://1.0x/", "no digits");
    expect_url_error("http://example.123/", "invalid decimal digit");
    expect_url_error("http://1..2/", "empty part");
    expect_url_error("http://b\xc3\xbc.1/", "ends in a number");
}

static void test_ipv6(void **state) {
    (void)state;
    expect_url("http://[::]/", "http://[::]/");
    expect_url("http://[::1]:8080/x", "http://[::1]:8080/x");
    expect_url("http://[::FFFF:127.0.0.1]/", "http://[::ffff:127.0.0.1]/");
    expect_url("http://[::ffff:7f00:1]/", "http://[::ffff:127.0.0.1]/");
    expect_url("http://[::ffff:a9fe:a9fe]/", "http://[::ffff:169.254.169.254]/");
    expect_url("http://[::169.254.169.254]/", "http://[::a9fe:a9fe]/");
    expect_url("http://[2001:DB8:0:0:0:0:0:1]:443/", "http://[2001:db8::1]:443/");
    expect_url("https://[2001:db8::1]:443/", "https://[2001:db8::1]/");
    expect_url("http://[2001:db8:0:0:1:0:0:1]/", "http://[2001:db8::1:0:0:1]/");
    expect_url("http://[2001:0:0:1:0:0:0:1]/", "http://[2001:0:0:1::1]/");
    expect_url("http://[1:0:1:1:1:1:1:1]/", "http://[1:0:1:1:1:1:1:1]/");
    expect_url("http://[0001:0db8:0000:0000:0000:0000:0000:0000]/", "http://[1:db8::]/");

    wb_url u;
    char err[200], hh[100];
    const char *s = "http://[::1]:81/";
    assert_int_equal(wb_url_parse(s, strlen(s), &u, err, sizeof err), 0);
    assert_int_equal(u.host.kind, WB_HOST_IPV6);
    assert_string_equal(u.host.text, "::1");
    assert_memory_equal(u.host.addr, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16);
    wb_url_host_header(&u, hh, sizeof hh);
    assert_string_equal(hh, "[::1]:81");
    wb_url_free(&u);

    expect_url_error("http://[::1%25eth0]/", "zone");
    expect_url_error("http://[fe80::1%eth0]/", "zone");
    expect_url_error("http://[::1/", "unterminated");
    expect_url_error("http://[::1]x/", "unexpected character after IPv6");
    expect_url_error("http://[::1]:/", "empty port");
    expect_url_error("http://[]/", "empty IPv6");
    expect_url_error("http://[1:2:3:4:5:6:7:8:9]/", "invalid IPv6 literal");
    expect_url_error("http://[1::2::3]/", "invalid IPv6 literal");
    expect_url_error("http://[::ffff:0177.0.0.1]/", "invalid IPv6 literal");
    expect_url_error("http://[g::1]/", "invalid character in IPv6");
    expect_url_error("http://[::1 ]/", "invalid character in IPv6");
    expect_url_error("http://::1/", "empty host");
}

static void test_path_and_query(void **state) {
    (void)state;
    expect_url("http://a?q=1", "http://a/?q=1");
    expect_url("http://a/b/../c/./d", "http://a/c/d");
    expect_url("http://a/b/..", "http://a/");
    expect_url("http://a/b/.", "http://a/b/");
    expect_url("http://a/../../..", "http://a/");
    expect_url("http://a/public/../admin", "http://a/admin");
    expect_url("http://a/%2e%2E/admin", "http://a/admin");
    expect_url("http://a/x/%2e/y", "http://a/x/y");
    expect_url("http://a//b/..", "http://a//");
    expect_url("http://a/x%2fy%7e%41%3a", "http://a/x%2Fy~A%3A");
    expect_url("http://a/\xc3\xa4 b\"<>\\^`{|}", "http://a/%C3%A4%20b%22%3C%3E%5C%5E%60%7B%7C%7D");
    expect_url("http://a/p?x=/../y&z=%2f", "http://a/p?x=/../y&z=%2F");
    expect_url("http://a/p?q=a?b", "http://a/p?q=a?b");
    expect_url("http://a/p?", "http://a/p?");
    expect_url("http://a/p#frag?x", "http://a/p");
    expect_url("http://a/!$&'()*+,;=:@-._~", "http://a/!$&'()*+,;=:@-._~");
    expect_url_error("http://a/%zz", "invalid percent-encoding at offset 9");
    expect_url_error("http://a/%4", "invalid percent-encoding");
    expect_url_error("http://a/%", "invalid percent-encoding");
    expect_url_error("http://a/?%g1", "invalid percent-encoding");
    expect_url_error("http://a/%4?x", "invalid percent-encoding");
    /* fragments are dropped, but their bytes are still checked */
    expect_url_error("http://a/#\x01", "control byte 0x01");
}

static void test_control_bytes_and_length(void **state) {
    (void)state;
    expect_url_error("http://exa\x01mple.com/", "control byte 0x01 at offset 10");
    expect_url_error("http://a/\x7f", "control byte 0x7f");
    expect_url_error("http://a/\t", "control byte 0x09");
    expect_url_error("http://a/\r\nHost: b", "control byte 0x0d");
    expect_url_error("http://a/x\n", "control byte 0x0a");
    expect_url_error_n("http://a\0.com/", 14, "NUL byte at offset 8");
    expect_url_error_n("http://a.com/\0", 14, "NUL byte at offset 13");

    /* exactly the limit parses; one more byte does not */
    char *s = malloc(WB_URL_MAX_LEN + 2);
    assert_non_null(s);
    memset(s, 'x', WB_URL_MAX_LEN + 1);
    memcpy(s, "http://a/", 9);
    s[WB_URL_MAX_LEN] = '\0';
    wb_url u;
    char err[200];
    assert_int_equal(wb_url_parse(s, WB_URL_MAX_LEN, &u, err, sizeof err), 0);
    assert_int_equal(strlen(u.target), WB_URL_MAX_LEN - 8);
    wb_url_free(&u);
    expect_url_error_n(s, WB_URL_MAX_LEN + 1, "longer than 8192");
    /* worst-case expansion: every path byte percent-encoded, up to a
     * normalised form as long as the limit allows ("http://a" + "/" + 3 per byte) */
    size_t spaces = (WB_URL_MAX_LEN - 9) / 3;
    memset(s + 9, ' ', spaces);
    assert_int_equal(wb_url_parse(s, 9 + spaces, &u, err, sizeof err), 0);
    assert_int_equal(strlen(u.target), 1 + 3 * spaces);
    assert_int_equal(wb_url_format(&u, NULL, 0), WB_URL_MAX_LEN - (WB_URL_MAX_LEN - 9) % 3);
    wb_url_free(&u);
    /* one more such byte, or a whole raw URL of them, normalises past the
     * limit: refused, since the policy, the log and a second parse all read
     * the normalised form (found by tests/fuzz/fuzz_url) */
    memset(s + 9 + spaces, ' ', WB_URL_MAX_LEN - 9 - spaces);
    expect_url_error_n(s, 9 + spaces + 1, "longer than 8192 bytes once normalised");
    expect_url_error_n(s, WB_URL_MAX_LEN, "longer than 8192 bytes once normalised");
    /* a huge host */
    memset(s + 7, 'a', WB_URL_MAX_LEN - 7);
    expect_url_error_n(s, WB_URL_MAX_LEN, "host longer than");
    free(s);
}

static void test_format_small_buffer(void **state) {
    (void)state;
    wb_url u;
    char err[200], buf[8];
    const char *s = "https://example.com:8443/abc";
    assert_int_equal(wb_url_parse(s, strlen(s), &u, err, sizeof err), 0);
    size_t need = wb_url_format(&u, buf, sizeof buf);
    assert_int_equal(need, strlen("https://example.com:8443/abc"));
    assert_string_equal(buf, "https:/");
    wb_url_free(&u);
}

/* The numeric-host reader must agree with the libc reader that getaddrinfo
 * falls back to, on every string either of them accepts. */
static void test_ipv4_matches_inet_aton(void **state) {
    (void)state;
    static const char *cases[] = {
        "0", "00", "0x0", "1", "255.255.255.255", "0xffffffff", "0XFFFFFFFF", "1.16777215",
        "1.16777216", "0x7f.1", "0177.1", "08", "0x", "1.0x", "0x1g", "4294967295",
        "4294967296", "1.2.3.4.5", "1..2", "017777777777", "037777777777", "040000000000",
        "0x100000000", "1.2.65535", "1.2.65536", "0000000000000000000000000127.1",
        "0x000000000000000000007f.1", "09", "1.2.3.08", "1.2.3.0x", "1.2.3.0xff",
        "1.2.3.0x100", ".1", "1.", "1.2.3.4.", "0.0.0.0", "127.0.0.1", "10.0xff.0377.1",
        "0xa9fea9fe", "025177524776", "2852039166", "1.2.3.-4", "1.2.3.+4", "0x.1", "0xx1",
        "1e2", "0b1", "00x1", "0x0x1",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct in_addr libc;
        uint8_t ours[4];
        char err[200];
        int a = inet_aton(cases[i], &libc);
        int b = wb_ipv4_parse_numeric(cases[i], strlen(cases[i]), ours, err, sizeof err) == 0;
        if (a != b) fail_msg("'%s': inet_aton says %d, we say %d (%s)", cases[i], a, b, err);
        if (a) assert_memory_equal(&libc.s_addr, ours, 4);
    }
}

static void test_ipv6_format_matches_rfc5952(void **state) {
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"2001:db8:0:0:0:0:2:1", "2001:db8::2:1"},
        {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
        {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},
        {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
        {"2001:DB8::AAAA", "2001:db8::aaaa"},
        {"0:0:0:0:0:0:0:0", "::"},
        {"0:0:0:0:0:0:0:1", "::1"},
        {"1:0:0:0:0:0:0:0", "1::"},
        {"::ffff:1.2.3.4", "::ffff:1.2.3.4"},
        {"::1.2.3.4", "::102:304"},
        {"64:ff9b::1.2.3.4", "64:ff9b::102:304"},
        {"fe80::1:2", "fe80::1:2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t a[16];
        char out[46];
        assert_int_equal(inet_pton(AF_INET6, cases[i].in, a), 1);
        wb_ipv6_format(a, out);
        if (strcmp(out, cases[i].out) != 0)
            fail_msg("'%s' -> '%s', want '%s'", cases[i].in, out, cases[i].out);
    }
}

/* Decodes UTF-8 test strings (assumed valid) into code points. */
static size_t to_cps(const char *s, uint32_t *cp) {
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p) {
        uint32_t c;
        if (*p < 0x80) c = *p++;
        else if (*p < 0xE0) c = (uint32_t)(*p++ & 0x1F) << 6, c |= *p++ & 0x3F;
        else if (*p < 0xF0)
            c = (uint32_t)(*p++ & 0x0F) << 12, c |= (uint32_t)(*p++ & 0x3F) << 6, c |= *p++ & 0x3F;
        else
            c = (uint32_t)(*p++ & 0x07) << 18, c |= (uint32_t)(*p++ & 0x3F) << 12,
            c |= (uint32_t)(*p++ & 0x3F) << 6, c |= *p++ & 0x3F;
        cp[n++] = c;
    }
    return n;
}

static void test_punycode_vectors(void **state) {
    (void)state;
    /* Expected values from RFC 3492 section 7.1 and a reference codec. */
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"b\xc3\xbc" "cher", "bcher-kva"},
        {"m\xc3\xbcnchen", "mnchen-3ya"},
        {"\xc3\xbc", "tda"},
        {"a\xc3\xbc", "a-eha"},
        {"\xe4\xbe\x8b\xe3\x81\x88", "r8jz45g"},
        {"\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88", "zckzah"},
        {"\xd9\x84\xd9\x8a\xd9\x87\xd9\x85\xd8\xa7\xd8\xa8\xd8\xaa\xd9\x83\xd9\x84\xd9\x85\xd9\x88"
         "\xd8\xb4\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a\xd8\x9f",
         "egbpdaj6bu4bxfgehfvwxn"},
        {"\xe4\xbb\x96\xe4\xbb\xac\xe4\xb8\xba\xe4\xbb\x80\xe4\xb9\x88\xe4\xb8\x8d\xe8\xaf\xb4"
         "\xe4\xb8\xad\xe6\x96\x87",
         "ihqwcrb4cv8a8dqg056pqjye"},
        {"Pro\xc4\x8dprost\xc4\x9bnemluv\xc3\xad\xc4\x8d" "esky", "Proprostnemluvesky-uyb24dma41a"},
        {"3\xe5\xb9\xb4" "B\xe7\xb5\x84\xe9\x87\x91\xe5\x85\xab\xe5\x85\x88\xe7\x94\x9f",
         "3B-ww4c5e180e575a65lsy2b"},
        {"\xf0\x9f\x98\x80", "e28h"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t cp[64];
        char out[128];
        size_t n = to_cps(cases[i].in, cp);
        int r = wb_punycode_encode(cp, n, out, sizeof out);
        assert_int_equal(r, (int)strlen(cases[i].out));
        assert_string_equal(out, cases[i].out);
    }
    /* too small an output buffer is an error, not an overflow */
    uint32_t cp[8];
    char tiny[4];
    size_t n = to_cps("b\xc3\xbc" "cher", cp);
    assert_int_equal(wb_punycode_encode(cp, n, tiny, sizeof tiny), -1);
}


/* Deterministic xorshift, so a failure reproduces. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Properties of every URL the parser accepts, checked on mutated inputs:
 * the host and target hold only bytes that are safe on the wire and in a
 * policy match, and the formatted form parses back to itself. */
static void test_mutated_urls_keep_invariants(void **state) {
    (void)state;
    static const char *seeds[] = {
        "http://example.com/a/b?c=d#e", "https://[::ffff:127.0.0.1]:8443/x",
        "http://0x7f.1/%41%2f", "http://b\xc3\xbc" "cher.example./..", "http://127\xe3\x80\x82" "1/",
        "http://a.b:80/p?q", "https://xn--bcher-kva.example/%7e", "http://2852039166:1/",
    };
    static const char alphabet[] = "%./:@?#[]\\0x7fF9 \xc3\xbc\xe3\x80\x82\xef\xbc\x8e";
    size_t accepted = 0;
    for (int iter = 0; iter < 20000; iter++) {
        char buf[256];
        const char *seed = seeds[rng() % (sizeof seeds / sizeof seeds[0])];
        size_t n = strlen(seed);
        memcpy(buf, seed, n);
        int edits = 1 + (int)(rng() % 4);
        for (int e = 0; e < edits; e++) {
            size_t pos = n ? rng() % (n + 1) : 0;
            char c = (rng() % 4 == 0) ? (char)(rng() & 0xFF)
                                      : alphabet[rng() % (sizeof alphabet - 1)];
            switch (rng() % 3) {
            case 0: /* insert */
                if (n + 1 >= sizeof buf) break;
                memmove(buf + pos + 1, buf + pos, n - pos);
                buf[pos] = c;
                n++;
                break;
            case 1: /* replace */
                if (pos < n) buf[pos] = c;
                break;
            default: /* delete */
                if (pos < n) {
                    memmove(buf + pos, buf + pos + 1, n - pos - 1);
                    n--;
                }
            }
        }
        wb_url u;
        char err[256];
        if (wb_url_parse(buf, n, &u, err, sizeof err) != 0) {
            assert_null(u.target);
            assert_true(err[0] != '\0');
            for (const char *p = err; *p; p++) /* messages carry no raw bytes */
                assert_true(*p >= 0x20 && *p < 0x7F);
            continue;
        }
        accepted++;
        for (const char *p = u.host.text; *p; p++) {
            unsigned char c = (unsigned char)*p;
            assert_true((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '-' || c == '_' || (u.host.kind == WB_HOST_IPV6 && c == ':'));
        }
        assert_true(u.host.text[0] != '\0');
        assert_true(u.target[0] == '/');
        for (const char *p = u.target; *p; p++)
            assert_true(*p > 0x20 && *p < 0x7F && *p != '#' && *p != '\\');
        char out[1024], again[1024];
        size_t len = wb_url_format(&u, out, sizeof out);
        assert_true(len < sizeof out);
        wb_url v;
        if (wb_url_parse(out, len, &v, err, sizeof err) != 0)
            fail_msg("'%s' did not re-parse: %s", out, err);
        wb_url_format(&v, again, sizeof again);
        assert_string_equal(out, again);
        wb_url_free(&v);
        wb_url_free(&u);
    }
    assert_true(accepted > 1000); /* the mutations must exercise the success path too */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scheme_and_case),
        cmocka_unit_test(test_port),
        cmocka_unit_test(test_userinfo_and_confusion),
        cmocka_unit_test(test_host_names),
        cmocka_unit_test(test_idn),
        cmocka_unit_test(test_numeric_hosts),
        cmocka_unit_test(test_ipv6),
        cmocka_unit_test(test_path_and_query),
        cmocka_unit_test(test_control_bytes_and_length),
        cmocka_unit_test(test_format_small_buffer),
        cmocka_unit_test(test_ipv4_matches_inet_aton),
        cmocka_unit_test(test_ipv6_format_matches_rfc5952),
        cmocka_unit_test(test_punycode_vectors),
        cmocka_unit_test(test_mutated_urls_keep_invariants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
