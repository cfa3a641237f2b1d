/* Every module-level validation error names the section, the entry and the
 * exact offset of the offending part (issue 2): each case below is a small
 * hand-assembled module whose bytes are annotated with their offsets, and the
 * whole message is compared. (test_validate.c has more: globals' constant
 * expressions, exports, limits of defined tables and memories, elements.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../vm/module.h"

#define HDR 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00
/* offsets 8..13 and 14..17: one type (func), one function of it */
#define TYPE_FUNC 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00
#define ONE_BODY 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b

static void expect_as(const uint8_t *bytes, size_t len, wb_features features, wb_error_kind kind,
                      size_t offset, const char *message)
{
    wb_error err;
    memset(&err, 0, sizeof err);
    wb_module *m = wb_decode_features(bytes, len, features, &err);
    if (!m)
        fail_msg("decode failed: %s", err.message);
    bool ok = wb_validate(m, &err);
    wb_module_destroy(m);
    if (ok)
        fail_msg("validated, expected: %s", message);
    assert_int_equal(err.kind, kind);
    assert_int_equal(err.offset, offset);
    assert_string_equal(err.message, message);
}

static void expect(const uint8_t *bytes, size_t len, wb_error_kind kind, size_t offset,
                   const char *message)
{
    expect_as(bytes, len, WB_FEATURES_3_0, kind, offset, message);
}

#define EXPECT(offset, message, ...)                                                             \
    do {                                                                                         \
        static const uint8_t bytes_[] = {HDR, __VA_ARGS__};                                      \
        expect(bytes_, sizeof bytes_, WB_ERR_INVALID, offset, message);                          \
    } while (0)

/* Read as WebAssembly 2.0 the module fails so; read as 3.0 (the default)
 * it is valid (several memories: multi-memory). */
static void valid_in_3_0(const uint8_t *bytes, size_t len)
{
    wb_error err;
    memset(&err, 0, sizeof err);
    wb_module *m = wb_decode(bytes, len, &err);
    if (!m)
        fail_msg("decode failed: %s", err.message);
    bool ok = wb_validate(m, &err);
    wb_module_destroy(m);
    if (!ok)
        fail_msg("invalid in 3.0: %s", err.message);
}
#define EXPECT_2_0(offset, message, ...)                                                         \
    do {                                                                                         \
        static const uint8_t bytes_[] = {HDR, __VA_ARGS__};                                      \
        expect_as(bytes_, sizeof bytes_, WB_FEATURES_2_0, WB_ERR_INVALID, offset, message);      \
        valid_in_3_0(bytes_, sizeof bytes_);                                                     \
    } while (0)

/* The decoder records where each entry (and the part of it errors name)
 * starts. Offsets in the comment are decimal. */
static void test_decoded_offsets(void **state)
{
    (void)state;
    /* (module (type (func)) (import "m" "t" (table 1 funcref)) (func (local i32))
     *   (memory 1) (global i32 (i32.const 0)) (export "f" (func 0)) (start 0)
     *   (elem (table 0) (i32.const 0) func 0) (data (i32.const 0) "a")) */
    static const uint8_t bytes[] = {
        HDR,
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,                   /* 8: type 0 at 11 */
        0x02, 0x09, 0x01, 0x01, 0x6d, 0x01, 0x74, 0x01, 0x70, /* 14: import at 17, desc 22 */
        0x00, 0x01,                                           /* limits at 23 */
        0x03, 0x02, 0x01, 0x00,                               /* 25: type indices at 28 */
        0x05, 0x03, 0x01, 0x00, 0x01,                         /* 29: limits at 32 */
        0x06, 0x06, 0x01, 0x7f, 0x00, 0x41, 0x00, 0x0b,       /* 34: global at 37 */
        0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00,             /* 42: export at 45, index 48 */
        0x08, 0x01, 0x00,                                     /* 49: index at 51 */
        0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x00, /* 52: seg 55, items 60 */
        0x0a, 0x06, 0x01, 0x04, 0x01, 0x01, 0x7f, 0x0b,       /* 61: size 64, locals 65 */
        0x0b, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x61, /* 69: segment at 72 */
    };
    wb_error err;
    wb_module *m = wb_decode(bytes, sizeof bytes, &err);
    if (!m)
        fail_msg("decode: %s", err.message);
    assert_int_equal(m->type_offsets[0], 11);
    assert_int_equal(m->imports[0].offset, 17);
    assert_int_equal(m->imports[0].desc_offset, 22);
    assert_int_equal(m->imports[0].desc.table.limits.offset, 23);
    assert_int_equal(m->funcs_offset, 28);
    assert_int_equal(m->memories[0].offset, 32);
    assert_int_equal(m->globals[0].offset, 37);
    assert_int_equal(m->exports[0].offset, 45);
    assert_int_equal(m->exports[0].index_offset, 48);
    assert_int_equal(m->start_offset, 51);
    assert_int_equal(m->elems[0].entry_offset, 55);
    assert_int_equal(m->elems[0].table_offset, 55); /* implicit table 0 */
    assert_int_equal(m->elems[0].items_offset, 60);
    assert_int_equal(m->codes[0].size_offset, 64);
    assert_int_equal(m->codes[0].locals_offset, 65);
    assert_int_equal(m->datas[0].entry_offset, 72);
    assert_int_equal(m->datas[0].memory_offset, 72); /* implicit memory 0 */
    assert_true(wb_validate(m, &err));
    wb_module_destroy(m);
}

static void test_types(void **state)
{
    (void)state;
    /* Every value type that decodes is valid in a function type since v128
     * params and results are (SIMD): type 1 (param v128) validates. The
     * errors of this section are the decoder's (test_decode.c). */
    static const uint8_t v128_param[] = {HDR, 0x01, 0x08, 0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7b, 0x00};
    wb_error err;
    wb_module *m = wb_decode(v128_param, sizeof v128_param, &err);
    assert_non_null(m);
    assert_true(wb_validate(m, &err));
    wb_module_destroy(m);
}

static void test_imports(void **state)
{
    (void)state;
    /* 11: import 0 "m" "g" (global i32); 18: import 1 "m" "f", kind at 22,
     * its type index at 23 */
    EXPECT(0x17, "import section, import 1, offset 0x17: unknown type 5",
           0x02, 0x0e, 0x02, 0x01, 0x6d, 0x01, 0x67, 0x03, 0x7f, 0x00,
           0x01, 0x6d, 0x01, 0x66, 0x00, 0x05);
    /* "m" "t" (table 3 2 funcref): kind at 15, reftype 16, limits at 17 */
    EXPECT(0x11, "import section, import 0, offset 0x11: size minimum must not be greater than "
                 "maximum",
           0x02, 0x0a, 0x01, 0x01, 0x6d, 0x01, 0x74, 0x01, 0x70, 0x01, 0x03, 0x02);
    /* "m" "m" (memory 65537): limits at 16 */
    EXPECT(0x10, "import section, import 0, offset 0x10: memory size must be at most 65536 pages "
                 "(4GiB)",
           0x02, 0x0a, 0x01, 0x01, 0x6d, 0x01, 0x6d, 0x02, 0x00, 0x81, 0x80, 0x04);
    /* two imported memories: the second's limits at 23 */
    EXPECT_2_0(0x17, "import section, import 1, offset 0x17: multiple memories: multi-memory is "
                     "WebAssembly 3.0, the module is read as 2.0",
           0x02, 0x0f, 0x02, 0x01, 0x6d, 0x01, 0x61, 0x02, 0x00, 0x01,
           0x01, 0x6d, 0x01, 0x62, 0x02, 0x00, 0x01);
}

static void test_functions_and_memories(void **state)
{
    (void)state;
    /* function section at 14: count 3 at 16; type indices: 17 (0 as a padded
     * two-byte LEB), 19, 20 (unknown) */
    EXPECT(0x14, "function section, function 2, offset 0x14: unknown type 7",
           0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
           0x03, 0x05, 0x03, 0x80, 0x00, 0x00, 0x07,
           0x0a, 0x0a, 0x03, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b);
    /* two defined memories: the second's limits at 13 */
    EXPECT_2_0(0x0d, "memory section, memory 1, offset 0xd: multiple memories: multi-memory is "
                     "WebAssembly 3.0, the module is read as 2.0",
           0x05, 0x05, 0x02, 0x00, 0x01, 0x00, 0x01);
    /* one imported memory and one defined: the defined one (at 21) is second */
    EXPECT_2_0(0x15, "memory section, memory 1, offset 0x15: multiple memories: multi-memory is "
                     "WebAssembly 3.0, the module is read as 2.0",
           0x02, 0x08, 0x01, 0x01, 0x6d, 0x01, 0x61, 0x02, 0x00, 0x01,
           0x05, 0x03, 0x01, 0x00, 0x01);
    /* a defined table 2 1 (after an imported table): limits at 23 */
    EXPECT(0x17, "table section, table 1, offset 0x17: size minimum must not be greater than "
                 "maximum",
           0x02, 0x09, 0x01, 0x01, 0x6d, 0x01, 0x74, 0x01, 0x70, 0x00, 0x00,
           0x04, 0x05, 0x01, 0x70, 0x01, 0x02, 0x01);
}

static void test_globals(void **state)
{
    (void)state;
    /* (global v128 (i32.const 0)): v128 globals are valid (SIMD), an i32
     * initialiser is not: found at the expression's end (15) */
    EXPECT(0x0f, "global section, global 0, offset 0xf: type mismatch: expected v128, got i32",
           0x06, 0x06, 0x01, 0x7b, 0x00, 0x41, 0x00, 0x0b);
    /* (global i64 (f32.const 0)): the f32.const at 13, found wrong at the
     * expression's end (18), as the spec's algorithm does */
    EXPECT(0x12, "global section, global 0, offset 0x12: type mismatch: expected i64, got f32",
           0x06, 0x09, 0x01, 0x7e, 0x00, 0x43, 0x00, 0x00, 0x00, 0x00, 0x0b);
    /* (global i32 (i32.const 1) (i32.const 2) i32.div_s)... not constant: i32.div_s at
     * 17 (i32.sub there is constant since extended constant expressions) */
    EXPECT(0x11, "global section, global 0, offset 0x11: constant expression required (i32.div_s "
                 "is not constant)",
           0x06, 0x09, 0x01, 0x7f, 0x00, 0x41, 0x01, 0x41, 0x02, 0x6d, 0x0b);
    /* (global i32 (i64.const 1) (i32.const 2) i32.add): the add's operands are
     * wrong; found at the add (17), not at the end */
    EXPECT(0x11, "global section, global 0, offset 0x11: type mismatch: i32.add needs two i32 "
                 "operands",
           0x06, 0x09, 0x01, 0x7f, 0x00, 0x42, 0x01, 0x41, 0x02, 0x6a, 0x0b);
}

static void test_start(void **state)
{
    (void)state;
    /* start section at 18: the function index at 20 */
    EXPECT(0x14, "start section, offset 0x14: unknown function 5",
           TYPE_FUNC, 0x08, 0x01, 0x05, ONE_BODY);
    /* a function (param i32) as start: the index at 21 */
    EXPECT(0x15, "start section, offset 0x15: start function must not have parameters or results",
           0x01, 0x05, 0x01, 0x60, 0x01, 0x7f, 0x00, 0x03, 0x02, 0x01, 0x00,
           0x08, 0x01, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b);
}

static void test_exports(void **state)
{
    (void)state;
    /* (export "g" (global 0)) without globals: the index at 14 */
    EXPECT(0x0e, "export section, export 0, offset 0xe: unknown global 0",
           0x07, 0x05, 0x01, 0x01, 0x67, 0x03, 0x00);
    EXPECT(0x0e, "export section, export 0, offset 0xe: unknown table 0",
           0x07, 0x05, 0x01, 0x01, 0x74, 0x01, 0x00);
    EXPECT(0x0e, "export section, export 0, offset 0xe: unknown memory 0",
           0x07, 0x05, 0x01, 0x01, 0x6d, 0x02, 0x00);
    /* exports "b" "a" "a" "b" at 21, 25, 29, 33: the first repeat is export 2 */
    EXPECT(0x1d, "export section, export 2, offset 0x1d: duplicate export name \"a\"",
           TYPE_FUNC, 0x07, 0x11, 0x04, 0x01, 0x62, 0x00, 0x00, 0x01, 0x61, 0x00, 0x00,
           0x01, 0x61, 0x00, 0x00, 0x01, 0x62, 0x00, 0x00, ONE_BODY);
}

static void test_segments(void **state)
{
    (void)state;
    /* table at 18; element section at 24: segment at 27 (flags 0), offset
     * expression 28..30, 2 items at 31: 0 (at 32) and 200 (at 33, two bytes) */
    EXPECT(0x21, "element section, segment 0, offset 0x21: unknown function 200",
           TYPE_FUNC, 0x04, 0x04, 0x01, 0x70, 0x00, 0x01,
           0x09, 0x09, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x02, 0x00, 0xc8, 0x01, ONE_BODY);
    /* flags 2 at 27: the explicit table index 3 at 28 */
    EXPECT(0x1c, "element section, segment 0, offset 0x1c: unknown table 3",
           TYPE_FUNC, 0x04, 0x04, 0x01, 0x70, 0x00, 0x01,
           0x09, 0x09, 0x01, 0x02, 0x03, 0x41, 0x00, 0x0b, 0x00, 0x01, 0x00, ONE_BODY);
    /* flags 0 (table 0 implicit) without any table: the segment at 21 */
    EXPECT(0x15, "element section, segment 0, offset 0x15: unknown table 0",
           TYPE_FUNC, 0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x00, ONE_BODY);
    /* (memory 1) then a data segment with flags 2 at 16: memory 2 at 17 */
    EXPECT(0x11, "data section, segment 0, offset 0x11: unknown memory 2",
           0x05, 0x03, 0x01, 0x00, 0x01,
           0x0b, 0x08, 0x01, 0x02, 0x02, 0x41, 0x00, 0x0b, 0x01, 0x61);
    /* the offset expression of a data segment is i64: its end at 19 */
    EXPECT(0x13, "data section, segment 0, offset 0x13: type mismatch: expected i32, got i64",
           0x05, 0x03, 0x01, 0x00, 0x01,
           0x0b, 0x07, 0x01, 0x00, 0x42, 0x00, 0x0b, 0x01, 0x61);
}

static void test_local_declarations(void **state)
{
    (void)state;
    /* code section at 18: entry size at 21, local declarations at 22.
     * 50001 i32 locals (0xd1 0x86 0x03) go over the locals limit: the
     * error points at the declarations' count */
    static const uint8_t many[] = {HDR, TYPE_FUNC, 0x0a, 0x08, 0x01, 0x06, 0x01,
                                   0xd1, 0x86, 0x03, 0x7f, 0x0b};
    expect(many, sizeof many, WB_ERR_LIMIT, 0x16,
           "function 0, offset 0x16: too many locals: 50001, params included (implementation "
           "limit 50000)");
    /* a v128 local is valid (SIMD) */
    static const uint8_t v128_local[] = {HDR, TYPE_FUNC, 0x0a, 0x06, 0x01, 0x04, 0x01, 0x01, 0x7b, 0x0b};
    wb_error err;
    wb_module *m = wb_decode(v128_local, sizeof v128_local, &err);
    assert_non_null(m);
    assert_true(wb_validate(m, &err));
    wb_module_destroy(m);
}

/* Instantiation errors point into the module too: the import that does not
 * link, the segment that trapped, the start function. */
static void test_instantiation(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_error err;

    /* (import "m" "f" (func)): the entry at 17, given a global */
    static const uint8_t import_wasm[] = {HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x02, 0x07,
                                          0x01, 0x01, 0x6d, 0x01, 0x66, 0x00, 0x00};
    wb_module *m = wb_module_load(s, import_wasm, sizeof import_wasm, &err);
    assert_non_null(m);
    wb_value zero = {.type = WB_I32, .of.i32 = 0};
    wb_extern g = {.kind = WB_EXTERN_GLOBAL, .of.global = wb_global_new(s, WB_I32, false, zero)};
    assert_null(wb_instantiate(s, m, &g, 1, &err));
    assert_int_equal(err.kind, WB_ERR_LINK);
    assert_int_equal(err.offset, 0x11);
    assert_string_equal(err.message, "import 0 \"m\".\"f\", offset 0x11: incompatible import type "
                                     "(expected a function, got a global)");

    /* (memory 0) (data (i32.const 0) "a"): the segment at 16 */
    static const uint8_t data_wasm[] = {HDR, 0x05, 0x03, 0x01, 0x00, 0x00, 0x0b, 0x07, 0x01,
                                        0x00, 0x41, 0x00, 0x0b, 0x01, 0x61};
    m = wb_module_load(s, data_wasm, sizeof data_wasm, &err);
    assert_non_null(m);
    assert_null(wb_instantiate(s, m, NULL, 0, &err));
    assert_int_equal(err.kind, WB_ERR_TRAP);
    assert_string_equal(err.message, "data segment 0, offset 0x10: out of bounds memory access");

    /* (func unreachable) (start 0): the start index at 20 */
    static const uint8_t start_wasm[] = {HDR, TYPE_FUNC, 0x08, 0x01, 0x00,
                                         0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b};
    m = wb_module_load(s, start_wasm, sizeof start_wasm, &err);
    assert_non_null(m);
    assert_null(wb_instantiate(s, m, NULL, 0, &err));
    assert_int_equal(err.kind, WB_ERR_TRAP);
    assert_string_equal(err.message, "start function, offset 0x14: unreachable");
    wb_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decoded_offsets),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_imports),
        cmocka_unit_test(test_functions_and_memories),
        cmocka_unit_test(test_globals),
        cmocka_unit_test(test_start),
        cmocka_unit_test(test_exports),
        cmocka_unit_test(test_segments),
        cmocka_unit_test(test_local_declarations),
        cmocka_unit_test(test_instantiation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
