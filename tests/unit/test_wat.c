/* The text-format reader (wat/wat.h): every expected byte below is written
 * by hand from the binary format's encoding (spec 5: sections, LEB128 in
 * its shortest form, opcodes), never captured from the reader itself; the
 * errors name their line and column. */
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

/* The body of one function (type () -> ()) holding code, as a module. */
#define FUNC_MODULE(...)                                                                      \
    HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A,                   \
        (uint8_t)(sizeof((const uint8_t[]){__VA_ARGS__}) + 4), 0x01,                          \
        (uint8_t)(sizeof((const uint8_t[]){__VA_ARGS__}) + 2), 0x00, __VA_ARGS__, 0x0B

static void test_empty(void **state)
{
    (void)state;
    expect_bytes("(module)", B(HDR));
    expect_bytes("", B(HDR));                  /* fields alone: none */
    expect_bytes("  (module $m)\n", B(HDR));
}

static void test_function_and_export(void **state)
{
    (void)state;
    const uint8_t want[] = {HDR,
                            0x01, 0x06, 0x01, 0x60, 0x01, 0x7F, 0x01, 0x7F,  /* type (i32) -> (i32) */
                            0x03, 0x02, 0x01, 0x00,                          /* func 0: type 0 */
                            0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00,         /* export "f" func 0 */
                            0x0A, 0x09, 0x01, 0x07, 0x00,                    /* code: no locals */
                            0x20, 0x00, 0x41, 0x7F, 0x6A, 0x0B};             /* local.get 0 i32.const -1 i32.add end */
    expect_bytes("(module (func (export \"f\") (param i32) (result i32) local.get 0 i32.const -1 i32.add))",
                 want, sizeof want);
    /* folded, with names: the same bytes */
    expect_bytes("(module (func $f (export \"f\") (param $x i32) (result i32)\n"
                 "  (i32.add (local.get $x) (i32.const -1))))",
                 want, sizeof want);
}

static void test_integers(void **state)
{
    (void)state;
    expect_bytes("(func i32.const 64 drop)", B(FUNC_MODULE(0x41, 0xC0, 0x00, 0x1A)));
    expect_bytes("(func i32.const -65 drop)", B(FUNC_MODULE(0x41, 0xBF, 0x7F, 0x1A)));
    expect_bytes("(func i32.const 0xffffffff drop)", B(FUNC_MODULE(0x41, 0x7F, 0x1A)));
    expect_bytes("(func i32.const -0x80000000 drop)", B(FUNC_MODULE(0x41, 0x80, 0x80, 0x80, 0x80, 0x78, 0x1A)));
    expect_bytes("(func i32.const 1_000 drop)", B(FUNC_MODULE(0x41, 0xE8, 0x07, 0x1A)));
    expect_bytes("(func i64.const 0x8000000000000000 drop)",
                 B(FUNC_MODULE(0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F, 0x1A)));
    expect_error("(func i32.const 0x1_0000_0000 drop)", 1, 17, "expected an i32 constant");
    expect_error("(func i32.const +0xffffffff drop)", 1, 17, "expected an i32 constant");
    expect_error("(func i32.const 1__0 drop)", 1, 17, "expected an i32 constant");
    expect_error("(func i32.const 1_ drop)", 1, 17, "expected an i32 constant");
}

static void test_floats(void **state)
{
    (void)state;
    expect_bytes("(func f32.const 0x1p-149 drop)", B(FUNC_MODULE(0x43, 0x01, 0x00, 0x00, 0x00, 0x1A)));
    expect_bytes("(func f32.const -nan:0x1 drop)", B(FUNC_MODULE(0x43, 0x01, 0x00, 0x80, 0xFF, 0x1A)));
    expect_bytes("(func f32.const nan drop)", B(FUNC_MODULE(0x43, 0x00, 0x00, 0xC0, 0x7F, 0x1A)));
    expect_bytes("(func f64.const inf drop)",
                 B(FUNC_MODULE(0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x7F, 0x1A)));
    expect_bytes("(func f64.const -0 drop)",
                 B(FUNC_MODULE(0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x1A)));
    expect_bytes("(func f32.const 0x1.fffffep127 drop)", B(FUNC_MODULE(0x43, 0xFF, 0xFF, 0x7F, 0x7F, 0x1A)));
    /* 1 + 2^-24 is halfway between two f32s: ties to even gives 1.0; a hair
     * above it must give the next f32, which a detour through double (that
     * rounds the hair away first) would miss */
    expect_bytes("(func f32.const 1.000000059604644775390625 drop)",
                 B(FUNC_MODULE(0x43, 0x00, 0x00, 0x80, 0x3F, 0x1A)));
    expect_bytes("(func f32.const 1.00000005960464477539062501 drop)",
                 B(FUNC_MODULE(0x43, 0x01, 0x00, 0x80, 0x3F, 0x1A)));
    expect_bytes("(func f64.const 1_000.5e-0_1 drop)",
                 B(FUNC_MODULE(0x44, 0x33, 0x33, 0x33, 0x33, 0x33, 0x03, 0x59, 0x40, 0x1A))); /* 100.05 */
    /* rounds to infinity: out of range */
    expect_error("(func f32.const 0x1.ffffffp127 drop)", 1, 17, "expected an f32 constant");
    expect_error("(func f32.const 1e39 drop)", 1, 17, "expected an f32 constant");
    expect_error("(func f32.const nan:0x800000 drop)", 1, 17, "expected an f32 constant");
    expect_error("(func f64.const nan:0x0 drop)", 1, 17, "expected an f64 constant");
    expect_error("(func f64.const 1.e drop)", 1, 17, "expected an f64 constant");
}

static void test_implicit_types(void **state)
{
    (void)state;
    /* the explicit type (even written later) is type 0; the implicit one is
     * added after every explicit type */
    const uint8_t want[] = {HDR,
                            0x01, 0x09, 0x02, 0x60, 0x01, 0x7F, 0x00, 0x60, 0x01, 0x7E, 0x00,
                            0x03, 0x03, 0x02, 0x01, 0x00,
                            0x0A, 0x07, 0x02, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B};
    expect_bytes("(module (func (param i64)) (type (func (param i32))) (func (param i32)))", want, sizeof want);
    expect_error("(module (type $t (func (param i32))) (func (type $t) (param i64)))", 1, 54,
                 "inline function type");
}

static void test_blocks_and_labels(void **state)
{
    (void)state;
    expect_bytes("(func (block $a (block $b (br $a))))",
                 B(FUNC_MODULE(0x02, 0x40, 0x02, 0x40, 0x0C, 0x01, 0x0B, 0x0B)));
    expect_bytes("(func block $a block $b br $a end $b end drop)",
                 B(FUNC_MODULE(0x02, 0x40, 0x02, 0x40, 0x0C, 0x01, 0x0B, 0x0B, 0x1A)));
    expect_bytes("(func (result i32) (if (result i32) (i32.const 1) (i32.eqz) (then (i32.const 2)) (else (i32.const 3))))",
                 B(HDR, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7F, 0x03, 0x02, 0x01, 0x00, 0x0A, 0x0F, 0x01, 0x0D,
                   0x00, 0x41, 0x01, 0x45, 0x04, 0x7F, 0x41, 0x02, 0x05, 0x41, 0x03, 0x0B, 0x0B));
    expect_bytes("(func (loop (br_table 0 0 0)))",
                 B(FUNC_MODULE(0x03, 0x40, 0x0E, 0x02, 0x00, 0x00, 0x00, 0x0B)));
    /* a quoted id names the same as its plain spelling (3.0 text) */
    expect_bytes("(func block $\"\\41b\" br $Ab end $\"A\\u{62}\" drop)",
                 B(FUNC_MODULE(0x02, 0x40, 0x0C, 0x00, 0x0B, 0x1A)));
    expect_error("(func $\"\")", 1, 7, "empty identifier");
    expect_error("(func block $a end $b)", 1, 20, "mismatching label");
    expect_error("(func (br $nowhere))", 1, 11, "unknown label");
}

static void test_block_type_index(void **state)
{
    (void)state;
    /* a block with a parameter needs a type index: implicit type 1 */
    expect_bytes("(func (i32.const 1) (block (param i32) (drop)))",
                 B(HDR, 0x01, 0x08, 0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7F, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A,
                   0x0A, 0x01, 0x08, 0x00, 0x41, 0x01, 0x02, 0x01, 0x1A, 0x0B, 0x0B));
}

static void test_memory_instructions(void **state)
{
    (void)state;
    const char *mem = "(memory 1) (func (i32.const 0) (i32.load offset=4 align=1) (i64.load (i32.const 0)) "
                      "(drop) (drop) (memory.grow (i32.const 1)) (drop) (memory.size) (drop))";
    expect_bytes(mem, B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
                        0x05, 0x03, 0x01, 0x00, 0x01,
                        0x0A, 0x18, 0x01, 0x16, 0x00,
                        0x41, 0x00, 0x28, 0x00, 0x04, 0x41, 0x00, 0x29, 0x03, 0x00, 0x1A, 0x1A,
                        0x41, 0x01, 0x40, 0x00, 0x1A, 0x3F, 0x00, 0x1A, 0x0B));
    expect_error("(memory 1) (func (i32.load align=3 (i32.const 0)) drop)", 1, 28, "power of 2");
    /* 2^32: malformed 2.0 text; 3.0 writes the u64 and the validator refuses it */
    expect_error_as(WAT_PROFILE_2_0, "(memory 1) (func (i32.load offset=4294967296 (i32.const 0)) drop)", 1, 28,
                    "offset");
    expect_bytes("(memory 1) (func (i32.load offset=4294967296 (i32.const 0)) drop)",
                 B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
                   0x05, 0x03, 0x01, 0x00, 0x01,
                   0x0A, 0x0E, 0x01, 0x0C, 0x00, 0x41, 0x00, 0x28, 0x02, 0x80, 0x80, 0x80, 0x80, 0x10, 0x1A, 0x0B));
}

static void test_select_and_refs(void **state)
{
    (void)state;
    expect_bytes("(func (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)) drop)",
                 B(FUNC_MODULE(0x41, 0x01, 0x41, 0x02, 0x41, 0x00, 0x1C, 0x01, 0x7F, 0x1A)));
    expect_bytes("(func (select (i32.const 1) (i32.const 2) (i32.const 0)) drop)",
                 B(FUNC_MODULE(0x41, 0x01, 0x41, 0x02, 0x41, 0x00, 0x1B, 0x1A)));
    expect_bytes("(func (ref.is_null (ref.null extern)) drop)", B(FUNC_MODULE(0xD0, 0x6F, 0xD1, 0x1A)));
}

static void test_tables_and_segments(void **state)
{
    (void)state;
    /* table.init $t $e: element index then table index; elem flags: 0
     * (active, table 0, indices), 3 (declarative), 5 (passive, exprs) */
    expect_bytes("(module (table $t 2 funcref) (func $f) (elem (i32.const 0) $f) (elem declare func $f)\n"
                 "  (elem $e funcref (ref.null func))\n"
                 "  (func (table.init $t $e (i32.const 0) (i32.const 0) (i32.const 1))\n"
                 "        (table.copy (i32.const 0) (i32.const 0) (i32.const 0)) (elem.drop $e)))",
                 B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                   0x03, 0x03, 0x02, 0x00, 0x00,
                   0x04, 0x04, 0x01, 0x70, 0x00, 0x02,
                   0x09, 0x11, 0x03,
                   0x00, 0x41, 0x00, 0x0B, 0x01, 0x00,
                   0x03, 0x00, 0x01, 0x00,
                   0x05, 0x70, 0x01, 0xD0, 0x70, 0x0B,
                   0x0A, 0x1E, 0x02, 0x02, 0x00, 0x0B, 0x19, 0x00,
                   0x41, 0x00, 0x41, 0x00, 0x41, 0x01, 0xFC, 0x0C, 0x02, 0x00,
                   0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0E, 0x00, 0x00,
                   0xFC, 0x0D, 0x02, 0x0B));
    /* a table with inline elements: limits n n, an active segment at 0 */
    expect_bytes("(module (func $f) (table funcref (elem $f $f)))",
                 B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
                   0x04, 0x05, 0x01, 0x70, 0x01, 0x02, 0x02,
                   0x09, 0x08, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x02, 0x00, 0x00,
                   0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B));
}

static void test_memory_data(void **state)
{
    (void)state;
    expect_bytes("(module (memory (export \"m\") (data \"a\" \"b\")))",
                 B(HDR, 0x05, 0x04, 0x01, 0x01, 0x01, 0x01,
                   0x07, 0x05, 0x01, 0x01, 'm', 0x02, 0x00,
                   0x0B, 0x08, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x02, 'a', 'b'));
    /* memory.init needs the data count section (id 12, before code) */
    expect_bytes("(module (memory 1) (data $d \"x\") (func (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop $d)))",
                 B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
                   0x05, 0x03, 0x01, 0x00, 0x01,
                   0x0C, 0x01, 0x01,
                   0x0A, 0x11, 0x01, 0x0F, 0x00,
                   0x41, 0x00, 0x41, 0x00, 0x41, 0x01, 0xFC, 0x08, 0x00, 0x00, 0xFC, 0x09, 0x00, 0x0B,
                   0x0B, 0x04, 0x01, 0x01, 0x01, 'x'));
}

static void test_imports_and_globals(void **state)
{
    (void)state;
    expect_bytes("(module (import \"m\" \"g\" (global $g i32)) (func (export \"f\") (import \"m\" \"f\") (param i32))\n"
                 "  (global (mut i64) (i64.const 7)))",
                 B(HDR, 0x01, 0x05, 0x01, 0x60, 0x01, 0x7F, 0x00,
                   0x02, 0x0E, 0x02, 0x01, 'm', 0x01, 'g', 0x03, 0x7F, 0x00,
                   0x01, 'm', 0x01, 'f', 0x00, 0x00,
                   0x06, 0x06, 0x01, 0x7E, 0x01, 0x42, 0x07, 0x0B,
                   0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00));
    expect_error("(module (func) (import \"m\" \"f\" (func)))", 1, 17, "import after function");
    expect_error("(module (global i32 (i32.const 0)) (func (import \"m\" \"f\")))", 1, 37, "import after global");
    expect_error("(module (func $f) (func $f))", 1, 25, "duplicate function");
}

static void test_strings(void **state)
{
    (void)state;
    expect_bytes("(module (func (export \"\\41\\u{42}\\t\\\"\")))",
                 B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
                   0x07, 0x08, 0x01, 0x04, 'A', 'B', '\t', '"', 0x00, 0x00,
                   0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B));
    expect_error("(module (func (export \"\\ff\")))", 1, 23, "malformed UTF-8");
    expect_error("(module (func (export \"\\q\")))", 1, 24, "unknown escape");
}

static void test_comments_and_annotations(void **state)
{
    (void)state;
    /* an annotation the reader does not know is dropped, nested parens and
     * all ((@custom ...) is not: test_wat_custom.c) */
    expect_bytes("(module (; a (; nested ;) b ;) (@other \"x\" (y (z))) ;; line\n)", B(HDR));
    expect_error("(module (@custom \"x\" (y (z))))", 1, 23, "expected a place");
    expect_bytes(";; a comment ending in a bare CR\r(module)", B(HDR));
    expect_error("(module (; never closed", 1, 9, "unclosed block comment");
    expect_error("(module (@a \x01))", 1, 13, "illegal character");
    expect_error("(module (@ x))", 1, 9, "empty annotation id");
    expect_error("(module (@\"\"))", 1, 9, "empty annotation id");
    expect_error("(module\n  \"unclosed)", 2, 3, "unclosed string");
}

static void test_errors_name_line_and_column(void **state)
{
    (void)state;
    expect_error("(module\n  (func (i32.const 0x1_)))", 2, 20, "found '0x1_'");
    expect_error("(module (func i32.foo))", 1, 15, "unknown operator 'i32.foo'");
    expect_error("(module (func (local.get $nope)))", 1, 26, "unknown local");
    expect_error("(module (bogus))", 1, 10, "expected a module field");
    expect_error("(module (func)", 1, 15, "expected ')'");
    expect_error("(module) (module)", 1, 10, "expected the end of the text");
    expect_error("(module (func end))", 1, 15, "expected ')'");
    expect_error("(module (func \xff))", 1, 15, "malformed UTF-8");
}

/* Nesting is bounded (the reader recurses); annotations nest without limit
 * (they are skipped without recursion). */
static void test_nesting_limit(void **state)
{
    (void)state;
    size_t n = 2001, len = 0;
    char *text = malloc(16 + n * 7 + n + 4);
    assert_non_null(text);
    len += (size_t)sprintf(text, "(func ");
    for (size_t k = 0; k < n; k++)
        len += (size_t)sprintf(text + len, "(block ");
    /* the 2001st block opens at column 7 + 2000 * 7 */
    memset(text + len, ')', n + 1);
    text[len + n + 1] = '\0';
    expect_error(text, 1, 7 + 2000 * 7, "nesting deeper than 2000");
    free(text);

    n = 100000;
    text = malloc(32 + n * 4 + n);
    assert_non_null(text);
    len = (size_t)sprintf(text, "(module (@a ");
    for (size_t k = 0; k < n; k++)
        len += (size_t)sprintf(text + len, "(@b ");
    memset(text + len, ')', n + 1);
    len += n + 1;
    strcpy(text + len, ")");
    expect_bytes(text, B(HDR));
    free(text);
}

static void test_is_text(void **state)
{
    (void)state;
    assert_true(wat_is_text((const uint8_t *)"  \n(module)", 11));
    assert_true(wat_is_text((const uint8_t *)";; x\n", 5));
    assert_true(wat_is_text((const uint8_t *)"(;x;)", 5));
    assert_false(wat_is_text((const uint8_t *)"\0asm\1\0\0\0", 8));
    assert_false(wat_is_text((const uint8_t *)"   ", 3));
    assert_false(wat_is_text((const uint8_t *)";x", 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_function_and_export),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_floats),
        cmocka_unit_test(test_implicit_types),
        cmocka_unit_test(test_blocks_and_labels),
        cmocka_unit_test(test_block_type_index),
        cmocka_unit_test(test_memory_instructions),
        cmocka_unit_test(test_select_and_refs),
        cmocka_unit_test(test_tables_and_segments),
        cmocka_unit_test(test_memory_data),
        cmocka_unit_test(test_imports_and_globals),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_comments_and_annotations),
        cmocka_unit_test(test_errors_name_line_and_column),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_is_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
