/* The text-format reader on WebAssembly 3.0's text (wat/wat.h): memory64,
 * multiple memories, table initialisers, typed references, GC type
 * definitions and tags. Every expected byte is written by hand from the 3.0
 * binary format (limits flags, memarg flags, reference type and heap type
 * codes, rec/sub/struct/array, the tag section), never captured from the
 * reader itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../wat/wast.h"
#include "../../wat/wat.h"

#include "wat_expect.h"

/* memory64: limits flag bit 2, sizes as u64 */
static void test_memory64_limits(void **state)
{
    (void)state;
    expect_bytes("(module (memory i64 1 2))", B(HDR, 0x05, 0x04, 0x01, 0x05, 0x01, 0x02));
    expect_bytes("(module (memory i32 1))", B(HDR, 0x05, 0x03, 0x01, 0x00, 0x01));
    /* 2^32 pages: a u64 LEB128 of five bytes */
    expect_bytes("(module (memory i64 0x1_0000_0000))",
                 B(HDR, 0x05, 0x07, 0x01, 0x04, 0x80, 0x80, 0x80, 0x80, 0x10));
    expect_bytes("(module (table i64 1 funcref))", B(HDR, 0x04, 0x04, 0x01, 0x70, 0x04, 0x01));
    expect_bytes("(module (import \"m\" \"n\" (memory i64 0)))",
                 B(HDR, 0x02, 0x08, 0x01, 0x01, 0x6D, 0x01, 0x6E, 0x02, 0x04, 0x00));
    /* inline data: min = max = pages, and the offset an i64.const */
    expect_bytes("(module (memory i64 (data \"ab\")))",
                 B(HDR, 0x05, 0x04, 0x01, 0x05, 0x01, 0x01, 0x0B, 0x08, 0x01, 0x00, 0x42, 0x00, 0x0B, 0x02, 0x61,
                   0x62));
    /* an i32 memory: u32 limits in 2.0 text (malformed above); 3.0 writes
     * the u64 and leaves the bound to the validator */
    expect_error_as(WAT_PROFILE_2_0, "(module (memory 0x1_0000_0000))", 1, 17, "below 2^32");
    expect_bytes("(module (memory 0x1_0000_0000))", B(HDR, 0x05, 0x07, 0x01, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10));
}

/* memargs: a memory index sets bit 6 of the flags and follows them; the
 * offset is a u64, above 2^32 only for a 64-bit memory */
static void test_memarg_index_and_offset(void **state)
{
    (void)state;
    expect_bytes("(module (memory 1) (memory $m i64 1)\n"
                 "  (func (drop (i64.load $m offset=0x1_0000_0000 align=4 (i64.const 0)))))",
                 B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x05, 0x05, 0x02, 0x00, 0x01,
                   0x04, 0x01, 0x0A, 0x0F, 0x01, 0x0D, 0x00, 0x42, 0x00, 0x29, 0x42, 0x01, 0x80, 0x80, 0x80, 0x80,
                   0x10, 0x1A, 0x0B));
    /* memory 0 named explicitly: no index written */
    expect_bytes("(module (memory $a 1) (func (drop (i32.load $a (i32.const 0)))))",
                 B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01,
                   0x0A, 0x0A, 0x01, 0x08, 0x00, 0x41, 0x00, 0x28, 0x02, 0x00, 0x1A, 0x0B));
    expect_error_as(WAT_PROFILE_2_0, "(module (memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0)))))",
                    1, 42, "below 2^32");
    /* data in memory 1: flags 2 and the index */
    expect_bytes("(module (memory 1) (memory $m 1) (data (memory $m) (i32.const 0) \"a\"))",
                 B(HDR, 0x05, 0x05, 0x02, 0x00, 0x01, 0x00, 0x01, 0x0B, 0x08, 0x01, 0x02, 0x01, 0x41, 0x00, 0x0B,
                   0x01, 0x61));
}

/* (table ... expr): 0x40 0x00 tabletype expr; ref.null of the table's own
 * heap type is the default, written as the plain table type */
static void test_table_initialiser(void **state)
{
    (void)state;
    expect_bytes("(module (type $f (func)) (table 2 (ref $f) (ref.func $g)) (func $g (type $f)))",
                 B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x04, 0x0A, 0x01, 0x40, 0x00,
                   0x64, 0x00, 0x00, 0x02, 0xD2, 0x00, 0x0B, 0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B));
    expect_bytes("(module (table 1 funcref (ref.null func)))", B(HDR, 0x04, 0x04, 0x01, 0x70, 0x00, 0x01));
    expect_bytes("(module (table 1 externref (ref.null func)))",
                 B(HDR, 0x04, 0x09, 0x01, 0x40, 0x00, 0x6F, 0x00, 0x01, 0xD0, 0x70, 0x0B));
}

/* An element list with a written type keeps its expressions (flags 4):
 * the index form (flags 0) is (ref func) in 3.0, not the funcref written;
 * `func x*` stays in the index form */
static void test_elem_written_type(void **state)
{
    (void)state;
    expect_bytes("(module (table 1 funcref) (func) (elem (i32.const 0) funcref (ref.func 0))"
                 " (elem (i32.const 0) func 0))",
                 B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x04, 0x04, 0x01, 0x70,
                   0x00, 0x01, 0x09, 0x0F, 0x02, 0x04, 0x41, 0x00, 0x0B, 0x01, 0xD2, 0x00, 0x0B, 0x00, 0x41,
                   0x00, 0x0B, 0x01, 0x00, 0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B));
    /* under 2.0 the index form is funcref: wabt's bytes, flags 0 */
    static const uint8_t want20[] = {HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
                                     0x04, 0x04, 0x01, 0x70, 0x00, 0x01, 0x09, 0x07, 0x01, 0x00,
                                     0x41, 0x00, 0x0B, 0x01, 0x00, 0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B};
    const char *text = "(module (table 1 funcref) (func) (elem (i32.const 0) funcref (ref.func 0)))";
    uint8_t *out = NULL;
    size_t len = 0;
    wat_error err;
    assert_true(wat_to_wasm_profile(text, strlen(text), WAT_PROFILE_2_0, &out, &len, &err));
    assert_int_equal(len, sizeof want20);
    assert_memory_equal(out, want20, sizeof want20);
    free(out);
}

/* (ref null? ht): the short byte for a nullable abstract type, else 0x63 /
 * 0x64 and the heap type (abstract byte or s33 index) */
static void test_reference_types(void **state)
{
    (void)state;
    expect_bytes("(module (type $t (func (param (ref null $t) (ref $t) (ref any) anyref (ref null func))"
                 " (result (ref null extern)))))",
                 B(HDR, 0x01, 0x0D, 0x01, 0x60, 0x05, 0x63, 0x00, 0x64, 0x00, 0x64, 0x6E, 0x6E, 0x70, 0x01,
                   0x6F));
    /* a type named before its definition */
    expect_bytes("(module (type $a (func (param (ref $b)))) (type $b (func)))",
                 B(HDR, 0x01, 0x09, 0x02, 0x60, 0x01, 0x64, 0x01, 0x00, 0x60, 0x00, 0x00));
    /* every abbreviation of the 3.0 text */
    expect_bytes("(module (type (func (param eqref i31ref structref arrayref nullref nullfuncref"
                 " nullexternref exnref nullexnref))))",
                 B(HDR, 0x01, 0x0D, 0x01, 0x60, 0x09, 0x6D, 0x6C, 0x6B, 0x6A, 0x71, 0x73, 0x72, 0x69, 0x74,
                   0x00));
    /* ref.null with a type index and an abstract type; locals in runs */
    expect_bytes("(module (type $t (func)) (func (type $t) (local (ref null $t) (ref null $t) i32)"
                 " (drop (ref.null $t)) (drop (ref.null any))))",
                 B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A, 0x0F, 0x01, 0x0D,
                   0x02, 0x02, 0x63, 0x00, 0x01, 0x7F, 0xD0, 0x00, 0x1A, 0xD0, 0x6E, 0x1A, 0x0B));
    /* a block's single result of a typed reference: its whole encoding */
    expect_bytes("(module (type $t (func)) (func (block (result (ref null $t)) (ref.null $t)) drop))",
                 B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A, 0x0B, 0x01, 0x09,
                   0x00, 0x02, 0x63, 0x00, 0xD0, 0x00, 0x0B, 0x1A, 0x0B));
    expect_error("(module (func (local (ref foo))))", 1, 27, "expected a heap type");
    expect_error("(module (func (local (ref null $nope))))", 1, 32, "unknown type '$nope'");
}

/* rec (0x4E vec), sub (0x50) / sub final (0x4F) with supertypes, struct
 * (0x5F), array (0x5E), packed i8 (0x78) / i16 (0x77), mutability */
static void test_gc_types(void **state)
{
    (void)state;
    expect_bytes("(module (rec (type $s (struct (field $x i32) (field (mut i8) i16)))"
                 " (type $a (array (mut (ref null $s)))))"
                 " (type $sub (sub $s (struct (field i32)))) (type $fin (sub final (func))))",
                 B(HDR, 0x01, 0x19, 0x03, 0x4E, 0x02, 0x5F, 0x03, 0x7F, 0x00, 0x78, 0x01, 0x77, 0x00, 0x5E,
                   0x63, 0x00, 0x01, 0x50, 0x01, 0x00, 0x5F, 0x01, 0x7F, 0x00, 0x60, 0x00, 0x00));
    /* a rec group of one type is that type alone; an empty one stays */
    expect_bytes("(module (rec (type (func))) (rec))", B(HDR, 0x01, 0x06, 0x02, 0x60, 0x00, 0x00, 0x4E, 0x00));
    /* a type that is not final is not what an inline type use means */
    expect_bytes("(module (type (sub (func))) (func))",
                 B(HDR, 0x01, 0x09, 0x02, 0x50, 0x00, 0x60, 0x00, 0x00, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01,
                   0x01, 0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B));
    expect_error("(module (type (struct (field $x i32) (field $x i64))))", 1, 45, "duplicate field '$x'");
    expect_error("(module (type (sub final (thing))))", 1, 26, "expected a composite type");
}

/* tags: section 13 (after the memories), import and export kind 4 */
static void test_tags(void **state)
{
    (void)state;
    expect_bytes("(module (import \"m\" \"t\" (tag (param i64))) (tag $e (export \"e\") (param i32)))",
                 B(HDR, 0x01, 0x09, 0x02, 0x60, 0x01, 0x7E, 0x00, 0x60, 0x01, 0x7F, 0x00, 0x02, 0x08, 0x01,
                   0x01, 0x6D, 0x01, 0x74, 0x04, 0x00, 0x00, 0x0D, 0x03, 0x01, 0x00, 0x01, 0x07, 0x05, 0x01,
                   0x01, 0x65, 0x04, 0x01));
    expect_error("(module (tag) (import \"m\" \"t\" (tag)))", 1, 16, "import after tag");
}

/* v128 constants in scripts: wast2json's JSON (lane_type, each lane as the
 * decimal of its bits; NaN patterns per float lane in expectations) */
static void test_script_v128_values(void **state)
{
    (void)state;
    const char *text = "(module (func (export \"f\")))\n"
                       "(assert_return (invoke \"f\" (v128.const i16x8 -1 0 1 2 3 4 5 0xffff))\n"
                       "  (v128.const f32x4 nan:canonical 1.0 -0 inf) (v128.const i64x2 -1 0x10))\n";
    wast_script sc;
    wat_error err;
    bool ok = wast_read(text, strlen(text), "v.wast", &sc, &err);
    if (!ok)
        fprintf(stderr, "%u:%u: %s\n", err.line, err.col, err.message);
    assert_true(ok);
    const char *want[] = {
        "{\"type\": \"v128\", \"lane_type\": \"i16\", \"value\": [\"65535\", \"0\", \"1\", \"2\", \"3\", \"4\", "
        "\"5\", \"65535\"]}",
        "{\"type\": \"v128\", \"lane_type\": \"f32\", \"value\": [\"nan:canonical\", \"1065353216\", "
        "\"2147483648\", \"2139095040\"]}",
        "{\"type\": \"v128\", \"lane_type\": \"i64\", \"value\": [\"18446744073709551615\", \"16\"]}",
    };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        if (!strstr(sc.json, want[k]))
            fprintf(stderr, "want %s\nin %s\n", want[k], sc.json);
        assert_non_null(strstr(sc.json, want[k]));
    }
    wast_script_free(&sc);
    /* a lane out of its range, and one lane too few: errors at the token */
    const char *bad[] = {"(assert_return (invoke \"f\" (v128.const i8x16 256 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0)))",
                         "(assert_return (invoke \"f\" (v128.const i32x4 1 2 3)))",
                         "(assert_return (invoke \"f\" (v128.const i32 1 2 3 4)))"};
    const uint32_t col[] = {46, 51, 40};
    for (size_t k = 0; k < 3; k++) {
        ok = wast_read(bad[k], strlen(bad[k]), "v.wast", &sc, &err);
        if (ok || err.col != col[k])
            fprintf(stderr, "%s\n-> %s %u:%u: %s\n", bad[k], ok ? "accepted" : "refused", err.line, err.col,
                    err.message);
        assert_false(ok);
        assert_int_equal(err.line, 1);
        assert_int_equal(err.col, col[k]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory64_limits),  cmocka_unit_test(test_memarg_index_and_offset),
        cmocka_unit_test(test_table_initialiser), cmocka_unit_test(test_reference_types),
        cmocka_unit_test(test_gc_types),          cmocka_unit_test(test_tags),
        cmocka_unit_test(test_script_v128_values), cmocka_unit_test(test_elem_written_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
