/* Custom sections in the text format (wat/custom.c): `(@custom "NAME"
 * PLACE? "BYTES"*)` written as custom sections where PLACE says, other
 * annotations dropped, misplaced or malformed ones refused with line and
 * column, and wasm2wat printing custom sections back as annotations.
 * Debian's wabt (1.0.32) drops @custom even with --enable-annotations, so
 * the expected bytes are written by hand: a custom section is id 0, its
 * size, the name as a vector, then the bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../wat/wat.h"

#include "wat_expect.h"

/* A module with a function: customs before the types, after the function
 * section and (no place) at the end. */
static void test_places(void **state)
{
    (void)state;
    expect_bytes("(module (@custom \"hello\" \"wor\" \"ld\") (func)\n"
                 "  (@custom \"early\" (before type) \"x\") (@custom \"mid\" (after func) \"\"))",
                 B(HDR, 0x00, 0x07, 0x05, 'e', 'a', 'r', 'l', 'y', 'x',                  /* before type */
                   0x01, 0x04, 0x01, 0x60, 0x00, 0x00,                                   /* type */
                   0x03, 0x02, 0x01, 0x00,                                               /* func */
                   0x00, 0x04, 0x03, 'm', 'i', 'd',                                      /* after func */
                   0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B,                                   /* code */
                   0x00, 0x0B, 0x05, 'h', 'e', 'l', 'l', 'o', 'w', 'o', 'r', 'l', 'd')); /* last */
    /* a place names a position whether or not its section is there; the
     * fields-only form works too; first and last */
    expect_bytes("(@custom \"a\" (after last) \"1\") (@custom \"b\" \"2\") (@custom \"c\" (before first) \"3\")\n"
                 "(@custom \"d\" (before data) \"4\")",
                 B(HDR, 0x00, 0x03, 0x01, 'c', '3', 0x00, 0x03, 0x01, 'd', '4', 0x00, 0x03, 0x01, 'a', '1',
                   0x00, 0x03, 0x01, 'b', '2'));
    /* (after type) and (before import) are one place: the text's order */
    expect_bytes("(module (type (func)) (@custom \"x\" (after type)) (@custom \"y\" (before import))\n"
                 "  (@custom \"z\" (after type)))",
                 B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x00, 0x02, 0x01, 'x', 0x00, 0x02, 0x01, 'y', 0x00,
                   0x02, 0x01, 'z'));
    /* escapes in the name and the bytes; the memory, global and data gaps */
    expect_bytes("(module (memory 1) (@custom \"n\\41\" (after memory) \"\\00\\ff\")\n"
                 "  (@custom \"g\" (before global)) (data (i32.const 0) \"q\") (@custom \"e\" (after data)))",
                 B(HDR, 0x05, 0x03, 0x01, 0x00, 0x01, 0x00, 0x05, 0x02, 'n', 'A', 0x00, 0xFF, 0x00, 0x02, 0x01,
                   'g', 0x0B, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x01, 'q', 0x00, 0x02, 0x01, 'e'));
}

/* The annotations proposal: other annotations are ignored; @custom only
 * as a module field and only in its grammar. */
static void test_others_and_errors(void **state)
{
    (void)state;
    expect_bytes("(module (@name \"m\") (func (@name \"f\") (@unknown 1 (nested \"x\") $y)))",
                 B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A, 0x04, 0x01, 0x02, 0x00,
                   0x0B));
    expect_error("(module (func (@custom \"x\" \"y\")))", 1, 15, "misplaced @custom");
    expect_error("(module (@custom))", 1, 17, "name (a string)");
    expect_error("(module (@custom x))", 1, 18, "name (a string)");
    expect_error("(module (@custom \"\\ff\"))", 1, 18, "UTF-8");
    expect_error("(module (@custom \"x\" (before nowhere)))", 1, 30, "expected a section");
    expect_error("(module (@custom \"x\" (before last)))", 1, 30, "expected a section");
    expect_error("(module (@custom \"x\" (after first)))", 1, 29, "expected a section");
    expect_error("(module (@custom \"x\" (inside func)))", 1, 23, "expected a place");
    expect_error("(module (@custom \"x\" (after func \"y\")))", 1, 34, "expected ')'");
    expect_error("(module (@custom \"x\" \"y\" 1))", 1, 26, "bytes (strings)");
    /* the place cut short: the reader never reads past the annotation */
    expect_error("(module (@custom \"x\" (after)))", 1, 28, "expected a section");
    expect_error("(module (@custom \"x\" ()))", 1, 23, "expected a place");
}

/* wasm2wat prints custom sections as annotations that read back to the
 * same bytes. */
static void test_print_round_trip(void **state)
{
    (void)state;
    static const uint8_t m[] = {HDR, 0x00, 0x07, 0x05, 'e', 'a', 'r', 'l', 'y', 'x',
                                0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                0x03, 0x02, 0x01, 0x00,
                                0x00, 0x04, 0x03, 'm', 'i', 'd',
                                0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B,
                                0x00, 0x07, 0x01, 'h', 0x00, 0x22, 0x5C, 0x7F, 0x41};
    char *text = NULL;
    size_t text_len = 0;
    wat_error err;
    assert_true(wasm_to_wat(m, sizeof m, &text, &text_len, &err));
    assert_non_null(strstr(text, "(@custom \"early\" (before first) \"x\")"));
    assert_non_null(strstr(text, "(@custom \"mid\" (after func))"));
    assert_non_null(strstr(text, "(@custom \"h\" (after code) \"\\00\\22\\5c\\7fA\")"));
    uint8_t *back = NULL;
    size_t back_len = 0;
    assert_true(wat_to_wasm(text, text_len, &back, &back_len, &err));
    assert_int_equal(back_len, sizeof m);
    assert_memory_equal(back, m, sizeof m);
    free(back);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_places),
        cmocka_unit_test(test_others_and_errors),
        cmocka_unit_test(test_print_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
