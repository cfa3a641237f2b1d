/* The guest-tool library's base64 (RFC 4648's test vectors, and the strict
 * decoder's refusals), UTF-8 sequence checks at their exact boundaries, and
 * the growable buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../tools/guest/lib/wbtool.h"

static void test_base64_vectors(void **state)
{
    (void)state;
    /* RFC 4648 section 10 */
    static const char *const vec[][2] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},
                                         {"foo", "Zm9v"},  {"foob", "Zm9vYg=="},  {"fooba", "Zm9vYmE="},
                                         {"foobar", "Zm9vYmFy"}};
    for (size_t i = 0; i < sizeof vec / sizeof vec[0]; i++) {
        wt_buf b = {0};
        assert_true(wt_base64_encode(&b, vec[i][0], strlen(vec[i][0])));
        assert_string_equal(b.data ? b.data : "", vec[i][1]);
        wt_buf d = {0};
        assert_true(wt_base64_decode(&d, vec[i][1], strlen(vec[i][1])));
        assert_int_equal(d.len, strlen(vec[i][0]));
        if (d.len)
            assert_memory_equal(d.data, vec[i][0], d.len);
        wt_buf_free(&b);
        wt_buf_free(&d);
    }
    /* all byte values, both alphabet ends: 0xFB 0xEF 0xBE -> "++++" ... */
    wt_buf b = {0};
    assert_true(wt_base64_encode(&b, "\xFB\xEF\xBE\xFF\xFF\xFF\x00\x00\x00", 9));
    assert_string_equal(b.data, "++++////AAAA");
    wt_buf_free(&b);
    unsigned char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    wt_buf e = {0}, d = {0};
    assert_true(wt_base64_encode(&e, all, sizeof all));
    assert_int_equal(e.len, 344);
    assert_true(wt_base64_decode(&d, e.data, e.len));
    assert_int_equal(d.len, 256);
    assert_memory_equal(d.data, all, 256);
    wt_buf_free(&e);
    wt_buf_free(&d);
}

static void test_base64_strict(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "Zg",       /* no padding */
        "Zg=",      /* short padding */
        "Zg==Zg==", /* padding in the middle */
        "Z===",     /* three pads */
        "=Zg=",     /* pad first */
        "Zm9v\n",   /* whitespace */
        "Zm 9",     /* a space */
        "Zh==",     /* unused bits set ('h' = 33: low 4 bits not zero) */
        "Zm9=",     /* unused bits set */
        "Zm-_",     /* the URL alphabet is not this one */
        "Zg=a",     /* data after a pad */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wt_buf d = {0};
        wt_buf_adds(&d, "keep");
        if (wt_base64_decode(&d, bad[i], strlen(bad[i])))
            fail_msg("base64 [%s] was accepted", bad[i]);
        assert_string_equal(d.data, "keep"); /* out unchanged */
        wt_buf_free(&d);
    }
}

static void expect_seq(const char *s, size_t n, size_t want_len, uint32_t want_cp)
{
    uint32_t cp = 0xDEAD;
    size_t k = wt_utf8_seq((const unsigned char *)s, n, &cp);
    if (k != want_len)
        fail_msg("utf8 seq of %02x.. (n=%zu): length %zu, want %zu", (unsigned char)s[0], n, k, want_len);
    if (k)
        assert_int_equal(cp, want_cp);
}

static void test_utf8_boundaries(void **state)
{
    (void)state;
    expect_seq("\x7F", 1, 1, 0x7F);
    expect_seq("\xC2\x80", 2, 2, 0x80);         /* smallest 2-byte */
    expect_seq("\xC1\xBF", 2, 0, 0);            /* overlong 0x7F */
    expect_seq("\xDF\xBF", 2, 2, 0x7FF);
    expect_seq("\xE0\xA0\x80", 3, 3, 0x800);
    expect_seq("\xE0\x9F\xBF", 3, 0, 0);        /* overlong 0x7FF */
    expect_seq("\xED\x9F\xBF", 3, 3, 0xD7FF);
    expect_seq("\xED\xA0\x80", 3, 0, 0);        /* U+D800 */
    expect_seq("\xED\xBF\xBF", 3, 0, 0);        /* U+DFFF */
    expect_seq("\xEE\x80\x80", 3, 3, 0xE000);
    expect_seq("\xEF\xBF\xBF", 3, 3, 0xFFFF);
    expect_seq("\xF0\x90\x80\x80", 4, 4, 0x10000);
    expect_seq("\xF0\x8F\xBF\xBF", 4, 0, 0);    /* overlong 0xFFFF */
    expect_seq("\xF4\x8F\xBF\xBF", 4, 4, 0x10FFFF);
    expect_seq("\xF4\x90\x80\x80", 4, 0, 0);    /* U+110000 */
    expect_seq("\xF5\x80\x80\x80", 4, 0, 0);
    expect_seq("\xF0\x90\x80", 3, 0, 0);        /* truncated by n */
    expect_seq("\xE2\x28\xA1", 3, 0, 0);        /* bad continuation */
    expect_seq("\x80", 1, 0, 0);
    expect_seq("", 0, 0, 0);
    assert_true(wt_utf8_valid("a\xC3\xA9z", 4));
    assert_false(wt_utf8_valid("a\xC3", 2));
    /* encoding: every length, and what cannot be encoded becomes U+FFFD */
    wt_buf b = {0};
    wt_utf8_add(&b, 0x41);
    wt_utf8_add(&b, 0xE9);
    wt_utf8_add(&b, 0x20AC);
    wt_utf8_add(&b, 0x1F600);
    wt_utf8_add(&b, 0xD800);
    wt_utf8_add(&b, 0x110000);
    assert_string_equal(b.data, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xEF\xBF\xBD\xEF\xBF\xBD");
    wt_buf_free(&b);
}

static void test_buf(void **state)
{
    (void)state;
    wt_buf b = {0};
    for (int i = 0; i < 1000; i++)
        assert_true(wt_buf_printf(&b, "%d,", i % 10));
    assert_int_equal(b.len, 2000);
    assert_int_equal(b.data[b.len], 0);
    assert_memory_equal(b.data, "0,1,2,", 6);
    /* a size that cannot be had fails and sticks */
    assert_false(wt_buf_reserve(&b, SIZE_MAX - 10));
    assert_true(b.failed);
    assert_false(wt_buf_adds(&b, "x"));
    assert_int_equal(b.len, 2000);
    wt_buf_free(&b);
    assert_null(b.data);
    assert_false(b.failed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64_vectors),
        cmocka_unit_test(test_base64_strict),
        cmocka_unit_test(test_utf8_boundaries),
        cmocka_unit_test(test_buf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
