/* The text-format tests' shared checks (test_wat.c, test_wat3.c,
 * test_wat_rows.c): a text that must read to exactly these bytes, or fail at
 * this line:column. Included by one test file each (static functions). */
#ifndef WB_TEST_WAT_EXPECT_H
#define WB_TEST_WAT_EXPECT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HDR 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00
#define B(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

static void dump(const char *what, const uint8_t *b, size_t n)
{
    fprintf(stderr, "%s (%zu):", what, n);
    for (size_t k = 0; k < n; k++)
        fprintf(stderr, " %02x", b[k]);
    fprintf(stderr, "\n");
}

static void expect_bytes(const char *text, const uint8_t *want, size_t n)
{
    uint8_t *out = NULL;
    size_t len = 0;
    wat_error err;
    bool ok = wat_to_wasm(text, strlen(text), &out, &len, &err);
    if (!ok)
        fprintf(stderr, "%s\n-> %u:%u: %s\n", text, err.line, err.col, err.message);
    assert_true(ok);
    if (len != n || memcmp(out, want, n) != 0) {
        fprintf(stderr, "%s\n", text);
        dump("want", want, n);
        dump("got ", out, len);
    }
    assert_int_equal(len, n);
    assert_memory_equal(out, want, n);
    free(out);
}

/* The text fails at line:col with a message containing `part`, read under
 * a profile (wat.h, wat_profile). */
static void expect_error_as(wat_profile profile, const char *text, uint32_t line, uint32_t col,
                            const char *part)
{
    uint8_t *out = NULL;
    size_t len = 0;
    wat_error err;
    bool ok = wat_to_wasm_profile(text, strlen(text), profile, &out, &len, &err);
    if (ok || err.line != line || err.col != col || !strstr(err.message, part))
        fprintf(stderr, "%s\n-> %s %u:%u: %s (want %u:%u: ...%s...)\n", text, ok ? "accepted" : "refused",
                err.line, err.col, err.message, line, col, part);
    assert_false(ok);
    assert_null(out);
    assert_int_equal(err.line, line);
    assert_int_equal(err.col, col);
    assert_non_null(strstr(err.message, part));
}

/* ... under the default profile, 3.0 */
static void expect_error(const char *text, uint32_t line, uint32_t col, const char *part)
{
    expect_error_as(WAT_PROFILE_3_0, text, line, col, part);
}

#endif
