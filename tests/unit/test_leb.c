/* LEB128 and fixed-width reads of vm/reader.h: the binary format's exact
 * limits (spec 5.2.2), overlong-but-allowed encodings, too-long encodings,
 * unused bits, truncation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "../../vm/reader.h"

#define R(...) reader_over((const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

static wb_reader reader_over(const uint8_t *bytes, size_t len)
{
    wb_reader r = {bytes, bytes, bytes + len, NULL, false};
    return r;
}

/* Reads an unsigned value of `bits`; expects success, value and length. */
static void expect_u(wb_reader r, unsigned bits, uint64_t want, size_t used)
{
    uint64_t v = 12345;
    assert_true(wb_read_uleb(&r, bits, &v));
    assert_int_equal(v, want);
    assert_int_equal(wb_reader_offset(&r), used);
    assert_null(r.error);
}

static void expect_s(wb_reader r, unsigned bits, int64_t want, size_t used)
{
    int64_t v = 12345;
    assert_true(wb_read_sleb(&r, bits, &v));
    assert_true(v == want);
    assert_int_equal(wb_reader_offset(&r), used);
    assert_null(r.error);
}

static void expect_u_fail(wb_reader r, unsigned bits, const char *why)
{
    uint64_t v;
    assert_false(wb_read_uleb(&r, bits, &v));
    assert_string_equal(r.error, why);
}

static void expect_s_fail(wb_reader r, unsigned bits, const char *why)
{
    int64_t v;
    assert_false(wb_read_sleb(&r, bits, &v));
    assert_string_equal(r.error, why);
}

static void test_u32_values(void **state)
{
    (void)state;
    expect_u(R(0x00), 32, 0, 1);
    expect_u(R(0x7F), 32, 127, 1);
    expect_u(R(0x80, 0x01), 32, 128, 2);
    expect_u(R(0xE5, 0x8E, 0x26), 32, 624485, 3);
    expect_u(R(0xFF, 0xFF, 0xFF, 0xFF, 0x0F), 32, UINT32_MAX, 5);
    /* Stops at the first byte without the continuation bit. */
    expect_u(R(0x05, 0xFF), 32, 5, 1);

    uint32_t v32;
    wb_reader r = R(0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
    assert_true(wb_read_u32(&r, &v32));
    assert_int_equal(v32, UINT32_MAX);
}

static void test_u32_overlong(void **state)
{
    (void)state;
    /* Zero padding up to the byte limit is allowed. */
    expect_u(R(0x80, 0x00), 32, 0, 2);
    expect_u(R(0x80, 0x80, 0x80, 0x80, 0x00), 32, 0, 5);
    expect_u(R(0x83, 0x80, 0x80, 0x80, 0x00), 32, 3, 5);
    /* A sixth byte is not. */
    expect_u_fail(R(0x80, 0x80, 0x80, 0x80, 0x80, 0x00), 32, "integer representation too long");
    expect_u_fail(R(0x82, 0x80, 0x80, 0x80, 0x80, 0x00), 32, "integer representation too long");
}

static void test_u32_unused_bits(void **state)
{
    (void)state;
    /* The fifth byte may carry 4 bits only. */
    expect_u_fail(R(0xFF, 0xFF, 0xFF, 0xFF, 0x1F), 32, "integer too large");
    expect_u_fail(R(0x80, 0x80, 0x80, 0x80, 0x10), 32, "integer too large");
    expect_u_fail(R(0x80, 0x80, 0x80, 0x80, 0x70), 32, "integer too large");
}

static void test_truncated(void **state)
{
    (void)state;
    expect_u_fail(reader_over(NULL, 0), 32, "unexpected end");
    expect_u_fail(R(0x80), 32, "unexpected end");
    expect_u_fail(R(0xFF, 0xFF, 0xFF, 0xFF), 32, "unexpected end");
    expect_s_fail(R(0x80, 0x80), 64, "unexpected end");

    /* Never reads past `end`, even when more bytes follow in memory. */
    const uint8_t bytes[] = {0x80, 0x80, 0x01};
    wb_reader r = {bytes, bytes, bytes + 2, NULL, false};
    uint64_t v;
    assert_false(wb_read_uleb(&r, 32, &v));
    assert_string_equal(r.error, "unexpected end");
}

static void test_one_bit(void **state)
{
    (void)state;
    /* Limits flags are read as 1-bit unsigned LEBs. */
    expect_u(R(0x00), 1, 0, 1);
    expect_u(R(0x01), 1, 1, 1);
    expect_u_fail(R(0x02), 1, "integer too large");
    expect_u_fail(R(0x81, 0x00), 1, "integer representation too long");
}

static void test_u64(void **state)
{
    (void)state;
    expect_u(R(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), 64, UINT64_MAX, 10);
    expect_u(R(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), 64, 0, 10);
    expect_u_fail(R(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02), 64,
                  "integer too large");
    expect_u_fail(R(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), 64,
                  "integer representation too long");
}

static void test_s32(void **state)
{
    (void)state;
    expect_s(R(0x00), 32, 0, 1);
    expect_s(R(0x7F), 32, -1, 1);
    expect_s(R(0x3F), 32, 63, 1);
    expect_s(R(0x40), 32, -64, 1);
    expect_s(R(0xC0, 0x00), 32, 64, 2);
    expect_s(R(0xFF, 0xFF, 0xFF, 0xFF, 0x07), 32, INT32_MAX, 5);
    expect_s(R(0x80, 0x80, 0x80, 0x80, 0x78), 32, INT32_MIN, 5);
    /* Sign padding up to the limit is allowed, both ways. */
    expect_s(R(0xFF, 0xFF, 0xFF, 0xFF, 0x7F), 32, -1, 5);
    expect_s(R(0x80, 0x80, 0x80, 0x80, 0x00), 32, 0, 5);
    expect_s(R(0xFF, 0x7F), 32, -1, 2);
    /* In the fifth byte, bits 3..6 must all equal the sign (bit 3). */
    expect_s_fail(R(0xFF, 0xFF, 0xFF, 0xFF, 0x0F), 32, "integer too large");
    expect_s_fail(R(0x80, 0x80, 0x80, 0x80, 0x70), 32, "integer too large");
    expect_s_fail(R(0x80, 0x80, 0x80, 0x80, 0x10), 32, "integer too large");
    expect_s_fail(R(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F), 32, "integer representation too long");

    int32_t v;
    wb_reader r = R(0x80, 0x80, 0x80, 0x80, 0x78);
    assert_true(wb_read_s32(&r, &v));
    assert_int_equal(v, INT32_MIN);
}

static void test_s33(void **state)
{
    (void)state;
    /* Block types: an s33 whose positive range covers every u32 type index. */
    expect_s(R(0x40), 33, -64, 1);
    expect_s(R(0xFF, 0xFF, 0xFF, 0xFF, 0x0F), 33, (int64_t)UINT32_MAX, 5);
    expect_s(R(0x80, 0x80, 0x80, 0x80, 0x70), 33, -((int64_t)1 << 32), 5);
    expect_s_fail(R(0xFF, 0xFF, 0xFF, 0xFF, 0x1F), 33, "integer too large");
    expect_s_fail(R(0x80, 0x80, 0x80, 0x80, 0x60), 33, "integer too large");
}

static void test_s64(void **state)
{
    (void)state;
    expect_s(R(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00), 64, INT64_MAX, 10);
    expect_s(R(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F), 64, INT64_MIN, 10);
    expect_s(R(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F), 64, -1, 10);
    /* The tenth byte carries just the sign bit. */
    expect_s_fail(R(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), 64,
                  "integer too large");
    expect_s_fail(R(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7E), 64,
                  "integer too large");
    expect_s_fail(R(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), 64,
                  "integer representation too long");

    int64_t v;
    wb_reader r = R(0x80, 0x7F);
    assert_true(wb_read_s64(&r, &v));
    assert_true(v == -128);
}

static void test_fixed_width(void **state)
{
    (void)state;
    wb_reader r = R(0x00, 0x00, 0xC0, 0x7F, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x88, 0xAA);
    uint32_t f32;
    uint64_t f64;
    assert_true(wb_read_f32_bits(&r, &f32));
    assert_int_equal(f32, 0x7FC00000u); /* little-endian: a quiet NaN */
    assert_true(wb_read_f64_bits(&r, &f64));
    assert_true(f64 == 0x8807060504030201ull);
    uint8_t b;
    assert_true(wb_read_u8(&r, &b));
    assert_int_equal(b, 0xAA);
    assert_false(wb_read_u8(&r, &b));
    assert_string_equal(r.error, "unexpected end");

    const uint8_t *p;
    wb_reader s = R(1, 2, 3);
    assert_false(wb_read_bytes(&s, 4, &p));
    wb_reader t = R(1, 2, 3);
    assert_true(wb_read_bytes(&t, 3, &p));
    assert_true(wb_reader_done(&t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_u32_values),  cmocka_unit_test(test_u32_overlong),
        cmocka_unit_test(test_u32_unused_bits), cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_one_bit),     cmocka_unit_test(test_u64),
        cmocka_unit_test(test_s32),         cmocka_unit_test(test_s33),
        cmocka_unit_test(test_s64),         cmocka_unit_test(test_fixed_width),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
