/* The binary decoder (vm/decode*.c, vm/module_util.c): good modules decode
 * to the right fields; bad ones fail with WB_ERR_MALFORMED, the exact
 * message and offset, and nothing leaked (run the SAN build for that). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../vm/module.h"

#define HDR 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00
/* A byte array literal and its length, as two arguments. */
#define B(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

/* rich.wasm: wat2wasm --debug-names of
 * (module
 *   (type $v (func))
 *   (type $ii_i (func (param i32 i64) (result i32)))
 *   (import "env" "host_add" (func $host (type $ii_i)))
 *   (import "env" "tab" (table 2 10 funcref))
 *   (import "env" "g" (global $gi (mut i64)))
 *   (func $add (type $ii_i) (local f32 f32 f64)
 *     local.get 0)
 *   (func $start (type $v)
 *     block
 *       nop
 *     end)
 *   (table $t2 3 externref)
 *   (memory $m2 2 5)
 *   (global $g1 i32 (i32.const 42))
 *   (global $g2 (mut f64) (f64.const 1.5))
 *   (export "add" (func $add))
 *   (export "mem" (memory $m2))
 *   (export "g1" (global $g1))
 *   (start $start)
 *   (elem (i32.const 1) func $add $start)
 *   (data (i32.const 16) "hello")
 *   (data "pass")
 * )
 */
static const uint8_t rich_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x02, 0x60,
  0x00, 0x00, 0x60, 0x02, 0x7f, 0x7e, 0x01, 0x7f, 0x02, 0x26, 0x03, 0x03,
  0x65, 0x6e, 0x76, 0x08, 0x68, 0x6f, 0x73, 0x74, 0x5f, 0x61, 0x64, 0x64,
  0x00, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x74, 0x61, 0x62, 0x01, 0x70,
  0x01, 0x02, 0x0a, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x67, 0x03, 0x7e, 0x01,
  0x03, 0x03, 0x02, 0x01, 0x00, 0x04, 0x04, 0x01, 0x6f, 0x00, 0x03, 0x05,
  0x04, 0x01, 0x01, 0x02, 0x05, 0x06, 0x12, 0x02, 0x7f, 0x00, 0x41, 0x2a,
  0x0b, 0x7c, 0x01, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f,
  0x0b, 0x07, 0x12, 0x03, 0x03, 0x61, 0x64, 0x64, 0x00, 0x01, 0x03, 0x6d,
  0x65, 0x6d, 0x02, 0x00, 0x02, 0x67, 0x31, 0x03, 0x01, 0x08, 0x01, 0x02,
  0x09, 0x08, 0x01, 0x00, 0x41, 0x01, 0x0b, 0x02, 0x01, 0x02, 0x0a, 0x11,
  0x02, 0x08, 0x02, 0x02, 0x7d, 0x01, 0x7c, 0x20, 0x00, 0x0b, 0x06, 0x00,
  0x02, 0x40, 0x01, 0x0b, 0x0b, 0x0b, 0x11, 0x02, 0x00, 0x41, 0x10, 0x0b,
  0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x01, 0x04, 0x70, 0x61, 0x73, 0x73,
  0x00, 0x4c, 0x04, 0x6e, 0x61, 0x6d, 0x65, 0x01, 0x13, 0x03, 0x00, 0x04,
  0x68, 0x6f, 0x73, 0x74, 0x01, 0x03, 0x61, 0x64, 0x64, 0x02, 0x05, 0x73,
  0x74, 0x61, 0x72, 0x74, 0x02, 0x07, 0x03, 0x00, 0x00, 0x01, 0x00, 0x02,
  0x00, 0x04, 0x0a, 0x02, 0x00, 0x01, 0x76, 0x01, 0x04, 0x69, 0x69, 0x5f,
  0x69, 0x05, 0x05, 0x01, 0x01, 0x02, 0x74, 0x32, 0x06, 0x05, 0x01, 0x00,
  0x02, 0x6d, 0x32, 0x07, 0x0d, 0x03, 0x00, 0x02, 0x67, 0x69, 0x01, 0x02,
  0x67, 0x31, 0x02, 0x02, 0x67, 0x32
};

static wb_module *decode_ok(const uint8_t *bytes, size_t len)
{
    wb_error err;
    wb_module *m = wb_decode(bytes, len, &err);
    if (!m)
        fail_msg("decode failed: %s", err.message);
    assert_int_equal(err.kind, WB_ERR_NONE);
    return m;
}

/* Decoding must fail with exactly `message`, whose offset is err.offset. */
static void expect_error(const uint8_t *bytes, size_t len, const char *message)
{
    wb_error err;
    wb_module *m = wb_decode(bytes, len, &err);
    if (m) {
        wb_module_destroy(m);
        fail_msg("decoded, but expected \"%s\"", message);
    }
    assert_int_equal(err.kind, WB_ERR_MALFORMED);
    assert_string_equal(err.message, message);
    const char *at = strstr(err.message, "offset 0x");
    assert_non_null(at);
    assert_int_equal(strtoull(at + 9, NULL, 16), err.offset);
}

/* expect_error under a feature profile (vm.h, wb_features): for the rules
 * where 2.0 and 3.0 decode the same bytes differently. */
static void expect_error_as(wb_features f, const uint8_t *bytes, size_t len, const char *message)
{
    wb_error err;
    uint8_t *copy = malloc(len);
    assert_non_null(copy);
    memcpy(copy, bytes, len);
    wb_module *m = wb_decode_owned_features(copy, len, f, &err);
    if (m) {
        wb_module_destroy(m);
        fail_msg("decoded, but expected \"%s\"", message);
    }
    assert_int_equal(err.kind, WB_ERR_MALFORMED);
    assert_string_equal(err.message, message);
    const char *at = strstr(err.message, "offset 0x");
    assert_non_null(at);
    assert_int_equal(strtoull(at + 9, NULL, 16), err.offset);
}

/* ... and bytes that decode under a profile */
static void expect_decodes_as(wb_features f, const uint8_t *bytes, size_t len)
{
    wb_error err;
    uint8_t *copy = malloc(len);
    assert_non_null(copy);
    memcpy(copy, bytes, len);
    wb_module *m = wb_decode_owned_features(copy, len, f, &err);
    if (!m)
        fail_msg("decode failed: %s", err.message);
    wb_module_destroy(m);
}

static bool expr_is(const wb_module *m, wb_expr e, const uint8_t *bytes, size_t len)
{
    return e.len == len && e.offset + len <= m->len && memcmp(m->bytes + e.offset, bytes, len) == 0;
}

/* ---- good modules ---- */

static void test_rich_module(void **state)
{
    (void)state;
    wb_module *m = decode_ok(rich_wasm, sizeof rich_wasm);

    assert_int_equal(m->ntypes, 2);
    assert_int_equal(m->types[0].nparams, 0);
    assert_int_equal(m->types[0].nresults, 0);
    assert_int_equal(m->types[1].nparams, 2);
    assert_int_equal(m->types[1].params[0], WB_I32);
    assert_int_equal(m->types[1].params[1], WB_I64);
    assert_int_equal(m->types[1].nresults, 1);
    assert_int_equal(m->types[1].results[0], WB_I32);

    assert_int_equal(m->nimports, 3);
    assert_int_equal(m->nfunc_imports, 1);
    assert_int_equal(m->ntable_imports, 1);
    assert_int_equal(m->nmemory_imports, 0);
    assert_int_equal(m->nglobal_imports, 1);
    assert_string_equal(m->imports[0].module, "env");
    assert_int_equal(m->imports[0].module_len, 3);
    assert_string_equal(m->imports[0].name, "host_add");
    assert_int_equal(m->imports[0].name_len, 8);
    assert_int_equal(m->imports[0].kind, WB_KIND_FUNC);
    assert_int_equal(m->imports[0].desc.type_index, 1);
    assert_int_equal(m->imports[1].kind, WB_KIND_TABLE);
    assert_int_equal(m->imports[1].desc.table.elem_type, WB_FUNCREF);
    assert_int_equal(m->imports[1].desc.table.limits.min, 2);
    assert_true(m->imports[1].desc.table.limits.has_max);
    assert_int_equal(m->imports[1].desc.table.limits.max, 10);
    assert_int_equal(m->imports[2].kind, WB_KIND_GLOBAL);
    assert_int_equal(m->imports[2].desc.global.type, WB_I64);
    assert_true(m->imports[2].desc.global.mutable_);

    assert_int_equal(m->nfuncs, 2);
    assert_int_equal(m->func_type_indices[0], 1);
    assert_int_equal(m->func_type_indices[1], 0);

    assert_int_equal(m->ntables, 1);
    assert_int_equal(m->tables[0].elem_type, WB_EXTERNREF);
    assert_int_equal(m->tables[0].limits.min, 3);
    assert_false(m->tables[0].limits.has_max);
    assert_int_equal(m->nmemories, 1);
    assert_int_equal(m->memories[0].min, 2);
    assert_true(m->memories[0].has_max);
    assert_int_equal(m->memories[0].max, 5);

    assert_int_equal(m->nglobals, 2);
    assert_int_equal(m->globals[0].type.type, WB_I32);
    assert_false(m->globals[0].type.mutable_);
    assert_true(expr_is(m, m->globals[0].init, B(0x41, 42, 0x0B)));
    assert_int_equal(m->globals[1].type.type, WB_F64);
    assert_true(m->globals[1].type.mutable_);
    assert_true(expr_is(m, m->globals[1].init,
                        B(0x44, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0x0B))); /* f64 1.5 */

    assert_int_equal(m->nexports, 3);
    assert_string_equal(m->exports[0].name, "add");
    assert_int_equal(m->exports[0].kind, WB_KIND_FUNC);
    assert_int_equal(m->exports[0].index, 1);
    assert_string_equal(m->exports[1].name, "mem");
    assert_int_equal(m->exports[1].kind, WB_KIND_MEMORY);
    assert_int_equal(m->exports[1].index, 0);
    assert_string_equal(m->exports[2].name, "g1");
    assert_int_equal(m->exports[2].kind, WB_KIND_GLOBAL);
    assert_int_equal(m->exports[2].index, 1);

    assert_true(m->has_start);
    assert_int_equal(m->start, 2);

    assert_int_equal(m->nelems, 1);
    assert_int_equal(m->elems[0].mode, WB_SEG_ACTIVE);
    assert_int_equal(m->elems[0].table, 0);
    assert_true(expr_is(m, m->elems[0].offset, B(0x41, 1, 0x0B)));
    /* function indices: (ref func) items (3.0; funcref in 2.0) */
    assert_int_equal(m->elems[0].elem_type, wb_vt_ref(false, WB_HEAP_FUNC));
    assert_false(m->elems[0].uses_exprs);
    assert_int_equal(m->elems[0].count, 2);
    assert_int_equal(m->elems[0].func_indices[0], 1);
    assert_int_equal(m->elems[0].func_indices[1], 2);

    assert_false(m->has_datacount);
    assert_int_equal(m->ncodes, 2);
    /* (local f32 f32 f64): two groups */
    assert_int_equal(m->codes[0].ngroups, 2);
    assert_int_equal(m->codes[0].groups[0].count, 2);
    assert_int_equal(m->codes[0].groups[0].type, WB_F32);
    assert_int_equal(m->codes[0].groups[1].count, 1);
    assert_int_equal(m->codes[0].groups[1].type, WB_F64);
    assert_int_equal(m->codes[0].nlocals, 3);
    assert_true(expr_is(m, m->codes[0].body, B(0x20, 0x00, 0x0B)));
    assert_int_equal(m->codes[1].nlocals, 0);
    assert_true(expr_is(m, m->codes[1].body, B(0x02, 0x40, 0x01, 0x0B, 0x0B)));
    assert_int_equal(m->bytes[m->codes[1].size_offset], 6); /* the entry's size field */

    assert_int_equal(m->ndatas, 2);
    assert_int_equal(m->datas[0].mode, WB_SEG_ACTIVE);
    assert_int_equal(m->datas[0].memory, 0);
    assert_true(expr_is(m, m->datas[0].offset, B(0x41, 16, 0x0B)));
    assert_int_equal(m->datas[0].len, 5);
    assert_memory_equal(m->bytes + m->datas[0].data_offset, "hello", 5);
    assert_int_equal(m->datas[1].mode, WB_SEG_PASSIVE);
    assert_int_equal(m->datas[1].len, 4);
    assert_memory_equal(m->bytes + m->datas[1].data_offset, "pass", 4);

    assert_int_equal(m->ncustoms, 1);
    assert_string_equal(m->customs[0].name, "name");
    assert_int_equal(m->customs[0].data_offset + m->customs[0].data_len, sizeof rich_wasm);
    assert_int_equal(m->nfunc_names, 3);
    assert_string_equal(m->func_names[0], "host");
    assert_string_equal(m->func_names[1], "add");
    assert_string_equal(m->func_names[2], "start");

    wb_module_destroy(m);
}

static void test_index_spaces(void **state)
{
    (void)state;
    wb_module *m = decode_ok(rich_wasm, sizeof rich_wasm);
    assert_int_equal(wb_module_total_funcs(m), 3);
    assert_int_equal(wb_module_func_type_index(m, 0), 1); /* imported */
    assert_int_equal(wb_module_func_type_index(m, 1), 1);
    assert_int_equal(wb_module_func_type_index(m, 2), 0);
    assert_ptr_equal(wb_module_table_type(m, 0), &m->imports[1].desc.table);
    assert_ptr_equal(wb_module_table_type(m, 1), &m->tables[0]);
    assert_ptr_equal(wb_module_memory_type(m, 0), &m->memories[0]);
    assert_ptr_equal(wb_module_global_type(m, 0), &m->imports[2].desc.global);
    assert_ptr_equal(wb_module_global_type(m, 1), &m->globals[0].type);
    assert_ptr_equal(wb_module_global_type(m, 2), &m->globals[1].type);
    wb_module_destroy(m);
}

/* A module built by hand has no lookup tables: the accessors scan. */
static void test_index_spaces_by_hand(void **state)
{
    (void)state;
    wb_import imports[4] = {0};
    imports[0].kind = WB_KIND_GLOBAL;
    imports[0].desc.global.type = WB_F32;
    imports[1].kind = WB_KIND_FUNC;
    imports[1].desc.type_index = 7;
    imports[2].kind = WB_KIND_MEMORY;
    imports[2].desc.memory.min = 9;
    imports[3].kind = WB_KIND_FUNC;
    imports[3].desc.type_index = 8;
    uint32_t defined[1] = {3};
    wb_globaldef globals[1] = {{.type = {.type = WB_I64}}};
    wb_module m = {0};
    m.imports = imports;
    m.nimports = 4;
    m.nfunc_imports = 2;
    m.nmemory_imports = 1;
    m.nglobal_imports = 1;
    m.func_type_indices = defined;
    m.nfuncs = 1;
    m.globals = globals;
    m.nglobals = 1;
    assert_int_equal(wb_module_func_type_index(&m, 0), 7);
    assert_int_equal(wb_module_func_type_index(&m, 1), 8);
    assert_int_equal(wb_module_func_type_index(&m, 2), 3);
    assert_int_equal(wb_module_memory_type(&m, 0)->min, 9);
    assert_int_equal(wb_module_global_type(&m, 0)->type, WB_F32);
    assert_int_equal(wb_module_global_type(&m, 1)->type, WB_I64);
}

static void test_bytes_are_copied(void **state)
{
    (void)state;
    uint8_t *copy = malloc(sizeof rich_wasm);
    assert_non_null(copy);
    memcpy(copy, rich_wasm, sizeof rich_wasm);
    wb_module *m = decode_ok(copy, sizeof rich_wasm);
    memset(copy, 0xFF, sizeof rich_wasm);
    free(copy);
    assert_int_equal(m->len, sizeof rich_wasm);
    assert_memory_equal(m->bytes, rich_wasm, sizeof rich_wasm);
    assert_memory_equal(m->bytes + m->datas[0].data_offset, "hello", 5);
    wb_module_destroy(m);
}

static void test_minimal_modules(void **state)
{
    (void)state;
    wb_module *m = decode_ok(B(HDR));
    assert_int_equal(m->ntypes + m->nimports + m->nfuncs + m->ncustoms, 0);
    assert_null(m->func_names);
    wb_module_destroy(m);

    /* Empty vectors in every known section, customs between them. */
    m = decode_ok(B(HDR, 0x00, 0x02, 0x01, 'a', 0x01, 0x01, 0x00, 0x02, 0x01, 0x00, 0x03, 0x01,
                    0x00, 0x04, 0x01, 0x00, 0x05, 0x01, 0x00, 0x06, 0x01, 0x00, 0x07, 0x01, 0x00,
                    0x09, 0x01, 0x00, 0x0C, 0x01, 0x00, 0x0A, 0x01, 0x00, 0x0B, 0x01, 0x00, 0x00,
                    0x03, 0x01, 'b', 0xEE));
    assert_int_equal(m->ncustoms, 2);
    assert_string_equal(m->customs[0].name, "a");
    assert_int_equal(m->customs[0].data_len, 0);
    assert_string_equal(m->customs[1].name, "b");
    assert_int_equal(m->customs[1].data_len, 1);
    assert_int_equal(m->bytes[m->customs[1].data_offset], 0xEE);
    assert_true(m->has_datacount);
    assert_int_equal(m->datacount, 0);
    wb_module_destroy(m);

    /* A data count of zero needs no data section. */
    m = decode_ok(B(HDR, 0x0C, 0x01, 0x00));
    wb_module_destroy(m);

    /* v128 decodes (and validates: SIMD). */
    m = decode_ok(B(HDR, 0x01, 0x05, 0x01, 0x60, 0x01, 0x7B, 0x00));
    assert_int_equal(m->types[0].params[0], WB_V128);
    wb_module_destroy(m);

    /* Start section; sizes written with overlong (but allowed) LEBs. */
    m = decode_ok(B(HDR, 0x08, 0x82, 0x80, 0x80, 0x80, 0x00, 0x85, 0x00));
    assert_true(m->has_start);
    assert_int_equal(m->start, 5);
    wb_module_destroy(m);

    /* Constant expressions may nest blocks (the validator rejects them). */
    m = decode_ok(B(HDR, 0x06, 0x09, 0x01, 0x7F, 0x00, 0x02, 0x40, 0x0B, 0x41, 0x00, 0x0B));
    assert_true(expr_is(m, m->globals[0].init, B(0x02, 0x40, 0x0B, 0x41, 0x00, 0x0B)));
    wb_module_destroy(m);

    /* Names may hold NULs and any valid UTF-8 (here U+10FFFF and U+2323). */
    m = decode_ok(B(HDR, 0x07, 0x0E, 0x01, 0x0A, 'a', 0x00, 'b', 0xF4, 0x8F, 0xBF, 0xBF, 0xE2,
                    0x8C, 0xA3, 0x00, 0x05));
    assert_int_equal(m->exports[0].name_len, 10);
    assert_memory_equal(m->exports[0].name, "a\0b\xF4\x8F\xBF\xBF\xE2\x8C\xA3", 11);
    assert_int_equal(m->exports[0].index, 5);
    wb_module_destroy(m);
}

/* Many custom sections, kept in order (their array grows as they come). */
static void test_many_customs(void **state)
{
    (void)state;
    uint8_t bytes[8 + 9 * 4];
    memcpy(bytes, (const uint8_t[]){HDR}, 8);
    for (int i = 0; i < 9; i++) {
        uint8_t *p = bytes + 8 + i * 4;
        p[0] = 0x00;                  /* custom */
        p[1] = 0x02;                  /* size */
        p[2] = 0x01;                  /* name length */
        p[3] = (uint8_t)('a' + i);
    }
    wb_module *m = decode_ok(bytes, sizeof bytes);
    assert_int_equal(m->ncustoms, 9);
    for (int i = 0; i < 9; i++) {
        assert_int_equal(m->customs[i].name_len, 1);
        assert_int_equal(m->customs[i].name[0], 'a' + i);
        assert_int_equal(m->customs[i].data_len, 0);
        assert_int_equal(m->customs[i].data_offset, 8 + (size_t)i * 4 + 4);
    }
    wb_module_destroy(m);
}

/* One segment in each of the eight element segment encodings. */
static const uint8_t elem_wasm[] = {
    HDR,
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,               /* type () -> () */
    0x03, 0x02, 0x01, 0x00,                           /* one function */
    0x04, 0x04, 0x01, 0x70, 0x00, 0x01,               /* table funcref 0..1 */
    0x09, 0x35, 0x08,                                 /* element section, 8 segments */
    0x00, 0x41, 0x00, 0x0B, 0x01, 0x00,               /* 0: active t0, funcs */
    0x01, 0x00, 0x01, 0x00,                           /* 1: passive, elemkind, funcs */
    0x02, 0x01, 0x41, 0x02, 0x0B, 0x00, 0x01, 0x00,   /* 2: active t1, elemkind, funcs */
    0x03, 0x00, 0x01, 0x00,                           /* 3: declarative, elemkind, funcs */
    0x04, 0x41, 0x03, 0x0B, 0x01, 0xD2, 0x00, 0x0B,   /* 4: active t0, exprs */
    0x05, 0x70, 0x01, 0xD0, 0x70, 0x0B,               /* 5: passive, funcref, exprs */
    0x06, 0x02, 0x41, 0x04, 0x0B, 0x70, 0x01, 0xD2, 0x00, 0x0B, /* 6: active t2, exprs */
    0x07, 0x6F, 0x01, 0xD0, 0x6F, 0x0B,               /* 7: declarative, externref, exprs */
    0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B,               /* code */
};

static void test_element_encodings(void **state)
{
    (void)state;
    wb_module *m = decode_ok(elem_wasm, sizeof elem_wasm);
    assert_int_equal(m->nelems, 8);
    const wb_elemseg *e = m->elems;
    static const uint8_t modes[8] = {WB_SEG_ACTIVE, WB_SEG_PASSIVE, WB_SEG_ACTIVE,
                                     WB_SEG_DECLARATIVE, WB_SEG_ACTIVE, WB_SEG_PASSIVE,
                                     WB_SEG_ACTIVE, WB_SEG_DECLARATIVE};
    for (int i = 0; i < 8; i++) {
        assert_int_equal(e[i].mode, modes[i]);
        assert_int_equal(e[i].count, 1);
        assert_int_equal(e[i].uses_exprs, i >= 4);
        /* function indices are (ref func) items (3.0), expressions say */
        assert_int_equal(e[i].elem_type, i == 7 ? (wb_vt)WB_EXTERNREF
                                         : i < 4 ? wb_vt_ref(false, WB_HEAP_FUNC)
                                                 : (wb_vt)WB_FUNCREF);
        if (i < 4) {
            assert_non_null(e[i].func_indices);
            assert_int_equal(e[i].func_indices[0], 0);
            assert_null(e[i].exprs);
        } else {
            assert_non_null(e[i].exprs);
            assert_null(e[i].func_indices);
        }
    }
    assert_int_equal(e[0].table, 0);
    assert_true(expr_is(m, e[0].offset, B(0x41, 0x00, 0x0B)));
    assert_int_equal(e[2].table, 1);
    assert_true(expr_is(m, e[2].offset, B(0x41, 0x02, 0x0B)));
    assert_int_equal(e[4].table, 0);
    assert_true(expr_is(m, e[4].offset, B(0x41, 0x03, 0x0B)));
    assert_true(expr_is(m, e[4].exprs[0], B(0xD2, 0x00, 0x0B)));
    assert_true(expr_is(m, e[5].exprs[0], B(0xD0, 0x70, 0x0B)));
    assert_int_equal(e[6].table, 2);
    assert_true(expr_is(m, e[6].offset, B(0x41, 0x04, 0x0B)));
    assert_true(expr_is(m, e[6].exprs[0], B(0xD2, 0x00, 0x0B)));
    assert_true(expr_is(m, e[7].exprs[0], B(0xD0, 0x6F, 0x0B)));
    wb_module_destroy(m);
}

static void test_data_segments(void **state)
{
    (void)state;
    /* Modes 0, 1 and 2 (explicit memory index), with a data count section. */
    wb_module *m = decode_ok(B(HDR, 0x0C, 0x01, 0x03, 0x0B, 0x11, 0x03,
                               0x00, 0x41, 0x01, 0x0B, 0x02, 'h', 'i',
                               0x01, 0x00,
                               0x02, 0x07, 0x41, 0x05, 0x0B, 0x01, 'x'));
    assert_true(m->has_datacount);
    assert_int_equal(m->datacount, 3);
    assert_int_equal(m->ndatas, 3);
    assert_int_equal(m->datas[0].mode, WB_SEG_ACTIVE);
    assert_int_equal(m->datas[0].memory, 0);
    assert_true(expr_is(m, m->datas[0].offset, B(0x41, 0x01, 0x0B)));
    assert_int_equal(m->datas[0].len, 2);
    assert_memory_equal(m->bytes + m->datas[0].data_offset, "hi", 2);
    assert_int_equal(m->datas[1].mode, WB_SEG_PASSIVE);
    assert_int_equal(m->datas[1].len, 0);
    assert_int_equal(m->datas[2].mode, WB_SEG_ACTIVE);
    assert_int_equal(m->datas[2].memory, 7);
    assert_true(expr_is(m, m->datas[2].offset, B(0x41, 0x05, 0x0B)));
    assert_memory_equal(m->bytes + m->datas[2].data_offset, "x", 1);
    wb_module_destroy(m);
}

/* type () -> (), one function with an empty body, then a custom section. */
#define ONE_FUNC HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, \
                 0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B

static void test_name_section(void **state)
{
    (void)state;
    wb_module *m = decode_ok(B(ONE_FUNC, 0x00, 0x0B, 0x04, 'n', 'a', 'm', 'e',
                               0x01, 0x04, 0x01, 0x00, 0x01, 'f'));
    assert_int_equal(m->nfunc_names, 1);
    assert_string_equal(m->func_names[0], "f");
    wb_module_destroy(m);

    /* Module-name (0) and local-name (2) subsections are skipped; an index
     * beyond the functions is ignored. */
    m = decode_ok(B(ONE_FUNC, 0x00, 0x14, 0x04, 'n', 'a', 'm', 'e', 0x00, 0x02, 0x01, 'M',
                    0x01, 0x07, 0x02, 0x00, 0x01, 'g', 0x09, 0x01, 'z', 0x02, 0x00));
    assert_int_equal(m->nfunc_names, 1);
    assert_string_equal(m->func_names[0], "g");
    wb_module_destroy(m);

    /* Broken name sections drop the names, never the module: a subsection
     * longer than its section, bad UTF-8, trailing junk in a subsection. */
    m = decode_ok(B(ONE_FUNC, 0x00, 0x0B, 0x04, 'n', 'a', 'm', 'e',
                    0x01, 0x05, 0x01, 0x00, 0x01, 'f'));
    assert_null(m->func_names);
    assert_int_equal(m->ncustoms, 1);
    wb_module_destroy(m);
    m = decode_ok(B(ONE_FUNC, 0x00, 0x0B, 0x04, 'n', 'a', 'm', 'e',
                    0x01, 0x04, 0x01, 0x00, 0x01, 0xFF));
    assert_null(m->func_names);
    wb_module_destroy(m);
    m = decode_ok(B(ONE_FUNC, 0x00, 0x0C, 0x04, 'n', 'a', 'm', 'e',
                    0x01, 0x05, 0x01, 0x00, 0x01, 'f', 0x00));
    assert_null(m->func_names);
    wb_module_destroy(m);
    m = decode_ok(B(ONE_FUNC, 0x00, 0x09, 0x04, 'n', 'a', 'm', 'e', 0x01, 0xFF, 0xFF, 0x03));
    assert_null(m->func_names);
    wb_module_destroy(m);
}

/* ---- errors ---- */

static void test_header_errors(void **state)
{
    (void)state;
    expect_error(NULL, 0, "module header, offset 0x0: unexpected end");
    expect_error(B(0x00, 'a', 's'), "module header, offset 0x0: unexpected end");
    expect_error(B('a', 's', 'm', 0x00), "module header, offset 0x0: magic header not detected");
    expect_error(B(0xEF, 0xBB, 0xBF, 0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00),
                 "module header, offset 0x0: magic header not detected");
    expect_error(B(0x00, 'a', 's', 'm', 0x01, 0x00, 0x00),
                 "module header, offset 0x4: unexpected end");
    expect_error(B(0x00, 'a', 's', 'm', 0x02, 0x00, 0x00, 0x00),
                 "module header, offset 0x4: unknown binary version");
    expect_error(B(0x00, 'a', 's', 'm', 0x00, 0x00, 0x00, 0x01),
                 "module header, offset 0x4: unknown binary version");
}

static void test_section_framing_errors(void **state)
{
    (void)state;
    /* id 13 is exception handling's tag section: its attribute must be 0,
     * and it comes between the memory and the global sections */
    expect_error(B(HDR, 0x0D, 0x03, 0x01, 0x01, 0x00),
                 "tag section, offset 0xb: malformed tag attribute (only 0, an exception, exists)");
    expect_error(B(HDR, 0x06, 0x01, 0x00, 0x0D, 0x01, 0x00),
                 "tag section, offset 0xb: unexpected content after last section");
    expect_error(B(HDR, 0x0E, 0x01, 0x00), "module, offset 0x8: malformed section id");
    expect_error(B(HDR, 0x80, 0x01, 0x00), "module, offset 0x8: malformed section id");
    /* Order and uniqueness. */
    expect_error(B(HDR, 0x03, 0x01, 0x00, 0x02, 0x01, 0x00),
                 "import section, offset 0xb: unexpected content after last section");
    expect_error(B(HDR, 0x01, 0x01, 0x00, 0x01, 0x01, 0x00),
                 "type section, offset 0xb: unexpected content after last section");
    expect_error(B(HDR, 0x0C, 0x01, 0x00, 0x09, 0x01, 0x00),
                 "element section, offset 0xb: unexpected content after last section");
    expect_error(B(HDR, 0x0A, 0x01, 0x00, 0x0C, 0x01, 0x00),
                 "data count section, offset 0xb: unexpected content after last section");
    expect_error(B(HDR, 0x0B, 0x01, 0x00, 0x0A, 0x01, 0x00),
                 "code section, offset 0xb: unexpected content after last section");
    /* Size: content shorter or longer than declared, or past the module. */
    expect_error(B(HDR, 0x01, 0x07, 0x01, 0x60, 0x00, 0x00, 0x60, 0x00, 0x00),
                 "type section, offset 0xa: section size mismatch");
    expect_error(B(HDR, 0x08, 0x03, 0x80, 0x00, 0x00),
                 "start section, offset 0xa: section size mismatch");
    expect_error(B(HDR, 0x01, 0x07, 0x02, 0x60, 0x00, 0x00),
                 "type section, offset 0x9: length out of bounds");
    expect_error(B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00),
                 "type section, offset 0xd: unexpected end of section or function");
    expect_error(B(HDR, 0x01), "type section, offset 0x9: unexpected end of section or function");
    expect_error(B(HDR, 0x01, 0x80), "type section, offset 0x9: unexpected end of section or function");
    /* Custom sections: name longer than the section, or cut short. */
    expect_error(B(HDR, 0x00, 0x01, 0x05, 'a', 'b', 'c', 'd', 'e'),
                 "custom section, offset 0xb: unexpected end of section or function");
    expect_error(B(HDR, 0x00, 0x00),
                 "custom section, offset 0xa: unexpected end of section or function");
    expect_error(B(HDR, 0x00, 0x05, 0x01, 'a', 'b'),
                 "custom section, offset 0x9: length out of bounds");
    /* A second module glued on: its magic reads as a custom section. */
    expect_error(B(HDR, HDR), "custom section, offset 0x9: length out of bounds");
}

static void test_type_and_import_errors(void **state)
{
    (void)state;
    expect_error(B(HDR, 0x01, 0x04, 0x01, 0x61, 0x00, 0x00),
                 "type section, offset 0xb: malformed function type");
    /* 0x6E is GC's anyref: the spec's reason, then the feature */
    expect_error(B(HDR, 0x01, 0x05, 0x01, 0x60, 0x01, 0x6E, 0x00),
                 "type section, offset 0xd: malformed value type: GC's heap types (any, eq, i31, "
                 "struct, array, none) are not supported yet");
    expect_error(B(HDR, 0x01, 0x0B, 0x01, 0x60, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00, 0x7F, 0x7E, 0x00),
                 "type section, offset 0xc: integer representation too long");
    expect_error(B(HDR, 0x02, 0x04, 0x01, 0x00, 0x00, 0x05), /* 4 is a tag */
                 "import section, offset 0xd: malformed import kind");
    expect_error(B(HDR, 0x02, 0x05, 0x01, 0x00, 0x00, 0x80, 0x00),
                 "import section, offset 0xd: malformed import kind");
    expect_error(B(HDR, 0x02, 0x06, 0x01, 0x00, 0x00, 0x03, 0x7F, 0x02),
                 "import section, offset 0xf: malformed mutability");
    expect_error(B(HDR, 0x02, 0x06, 0x01, 0x00, 0x00, 0x01, 0x71, 0x00),
                 "import section, offset 0xe: malformed reference type");
    expect_error(B(HDR, 0x02, 0x06, 0x01, 0x01, 0x80, 0x00, 0x00, 0x00),
                 "import section, offset 0xb: malformed UTF-8 encoding");
    expect_error(B(HDR, 0x02, 0x06, 0x01, 0x00, 0x01, 0xFF, 0x00, 0x00),
                 "import section, offset 0xc: malformed UTF-8 encoding");
    expect_error(B(HDR, 0x02, 0x06, 0x01, 0x00, 0x00, 0x00, 0x80, 0x80),
                 "import section, offset 0xe: unexpected end of section or function");
}

static void test_limits_and_global_errors(void **state)
{
    (void)state;
    expect_error(B(HDR, 0x05, 0x03, 0x01, 0x02, 0x00),
                 "memory section, offset 0xb: integer too large: limits flag 0x02/0x03/0x06/0x07 "
                 "(a shared memory: threads) is not supported yet");
    expect_error(B(HDR, 0x05, 0x03, 0x01, 0x06, 0x00),
                 "memory section, offset 0xb: integer too large: limits flag 0x02/0x03/0x06/0x07 "
                 "(a shared memory: threads) is not supported yet");
    expect_error(B(HDR, 0x05, 0x03, 0x01, 0x08, 0x00), "memory section, offset 0xb: malformed limits flags");
    /* flags 0x04/0x05: a 64-bit memory (memory64, 3.0), u64 limits; read
     * as 2.0 it is malformed; a table's flags 0x04/0x05 likewise (table64) */
    {
        static const uint8_t m64[] = {HDR, 0x05, 0x0b, 0x01, 0x05, 0x01,
                                      0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}; /* max 2^49 */
        wb_error err;
        wb_module *m = wb_decode(m64, sizeof m64, &err);
        assert_non_null(m);
        assert_true(m->memories[0].is64);
        assert_int_equal(m->memories[0].min, 1);
        assert_true(m->memories[0].has_max);
        assert_int_equal(m->memories[0].max, (uint64_t)1 << 49);
        wb_module_destroy(m);
        assert_null(wb_decode_features(m64, sizeof m64, WB_FEATURES_2_0, &err));
        assert_int_equal(err.kind, WB_ERR_MALFORMED);
        assert_string_equal(err.message, "memory section, offset 0xb: integer too large: limits "
                                         "flag 0x04/0x05 (a 64-bit memory or table: memory64, "
                                         "WebAssembly 3.0) in a module read as 2.0");
        /* 3.0's encoding without memory64: refused the same way */
        assert_null(wb_decode_features(m64, sizeof m64, WB_FEATURE_ENCODING_3, &err));
        assert_int_equal(err.kind, WB_ERR_MALFORMED);
        assert_int_equal(err.offset, 0xb);
    }
    {
        /* (table i64 3 0x1_0000_0000 funcref): a 64-bit table's u64 maximum */
        static const uint8_t t64[] = {HDR, 0x04, 0x09, 0x01, 0x70, 0x05, 0x03,
                                      0x80, 0x80, 0x80, 0x80, 0x10};
        wb_error err;
        wb_module *m = wb_decode(t64, sizeof t64, &err);
        assert_non_null(m);
        assert_true(m->tables[0].limits.is64);
        assert_int_equal(m->tables[0].limits.min, 3);
        assert_true(m->tables[0].limits.has_max);
        assert_int_equal(m->tables[0].limits.max, (uint64_t)1 << 32);
        wb_module_destroy(m);
        expect_error_as(WB_FEATURES_2_0, t64, sizeof t64,
                        "table section, offset 0xc: integer too large: limits flag 0x04/0x05 (a "
                        "64-bit memory or table: memory64, WebAssembly 3.0) in a module read as 2.0");
    }
    /* 2.0: the flag a 1-bit LEB128, the sizes u32s; 3.0: a flags byte and
     * u64 sizes (the validator bounds them) */
    expect_error_as(WB_FEATURES_2_0, B(HDR, 0x05, 0x04, 0x01, 0x81, 0x00, 0x00),
                    "memory section, offset 0xb: integer representation too long");
    expect_error(B(HDR, 0x05, 0x04, 0x01, 0x81, 0x00, 0x00),
                 "memory section, offset 0xb: malformed limits flags");
    expect_error_as(WB_FEATURES_2_0, B(HDR, 0x05, 0x08, 0x01, 0x00, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00),
                    "memory section, offset 0xc: integer representation too long");
    expect_decodes_as(WB_FEATURES_3_0, B(HDR, 0x05, 0x08, 0x01, 0x00, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00));
    expect_error_as(WB_FEATURES_2_0, B(HDR, 0x05, 0x07, 0x01, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10),
                    "memory section, offset 0xc: integer too large");
    expect_decodes_as(WB_FEATURES_3_0, B(HDR, 0x05, 0x07, 0x01, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10));
    /* 11 bytes are too long for a u64 too; 10 with bits past 64 too large */
    expect_error(B(HDR, 0x05, 0x0D, 0x01, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00),
                 "memory section, offset 0xc: integer representation too long");
    expect_error(B(HDR, 0x05, 0x0C, 0x01, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02),
                 "memory section, offset 0xc: integer too large");
    expect_error(B(HDR, 0x04, 0x03, 0x01, 0x70, 0x02),
                 "table section, offset 0xc: integer too large: limits flag 0x02/0x03/0x06/0x07 "
                 "(a shared memory: threads) is not supported yet");
    expect_error(B(HDR, 0x04, 0x04, 0x01, 0x7F, 0x00, 0x00),
                 "table section, offset 0xb: malformed reference type");
    expect_error(B(HDR, 0x04, 0x01, 0x01),
                 "table section, offset 0xb: unexpected end of section or function");
    expect_error(B(HDR, 0x06, 0x06, 0x01, 0x7F, 0x02, 0x41, 0x00, 0x0B),
                 "global section, offset 0xc: malformed mutability");
    /* Constant expressions: missing end (runs into the next section),
     * truncated, `else` at depth 0, a bad immediate. */
    expect_error_as(WB_FEATURES_2_0, B(HDR, 0x06, 0x05, 0x01, 0x7F, 0x00, 0x41, 0x00, 0x0A, 0x01, 0x00),
                    "global section, offset 0xf: illegal opcode 0x0a: throw_ref (exception handling) "
                    "is WebAssembly 3.0, not in the 2.0 profile");
    /* 3.0 stops at the section's end (its 5 bytes are 0xa-0xe) */
    expect_error(B(HDR, 0x06, 0x05, 0x01, 0x7F, 0x00, 0x41, 0x00, 0x0A, 0x01, 0x00),
                 "global section, offset 0xf: unexpected end of section or function");
    /* 0x27: no instruction (inside the section: past its end 3.0 says
     * "unexpected end", above) */
    expect_error(B(HDR, 0x06, 0x06, 0x01, 0x7F, 0x00, 0x41, 0x00, 0x27),
                 "global section, offset 0xf: illegal opcode");
    expect_error(B(HDR, 0x06, 0x05, 0x01, 0x7F, 0x00, 0x41, 0x00),
                 "global section, offset 0xf: unexpected end of section or function");
    expect_error(B(HDR, 0x06, 0x06, 0x01, 0x7F, 0x00, 0x41, 0x00, 0x05),
                 "global section, offset 0xf: END opcode expected");
    expect_error(B(HDR, 0x06, 0x0A, 0x01, 0x7F, 0x00, 0x41, 0x80, 0x80, 0x80, 0x80, 0x10, 0x0B),
                 "global section, offset 0xd: integer too large");
    expect_error(B(HDR, 0x06, 0x06, 0x01, 0x7F, 0x00, 0xFC, 0x80, 0x02),
                 "global section, offset 0xd: illegal opcode");
    expect_error(B(HDR, 0x07, 0x05, 0x01, 0x01, 'a', 0x05, 0x00), /* 4 is a tag */
                 "export section, offset 0xd: malformed export kind");
    expect_error(B(HDR, 0x07, 0x06, 0x01, 0x02, 0xC0, 0x80, 0x00, 0x00),
                 "export section, offset 0xb: malformed UTF-8 encoding");
}

static void test_segment_errors(void **state)
{
    (void)state;
    expect_error(B(HDR, 0x09, 0x02, 0x01, 0x08),
                 "element section, offset 0xb: malformed elements segment kind");
    expect_error(B(HDR, 0x09, 0x06, 0x01, 0x80, 0x80, 0x80, 0x80, 0x10),
                 "element section, offset 0xb: integer too large");
    expect_error(B(HDR, 0x09, 0x04, 0x01, 0x01, 0x01, 0x00),
                 "element section, offset 0xc: malformed element kind");
    expect_error(B(HDR, 0x09, 0x07, 0x01, 0x05, 0x7F, 0x01, 0xD2, 0x00, 0x0B),
                 "element section, offset 0xc: malformed reference type");
    expect_error(B(HDR, 0x09, 0x07, 0x01, 0x05, 0x70, 0x01, 0xF3, 0x00, 0x0B),
                 "element section, offset 0xe: illegal opcode");
    expect_error(B(HDR, 0x09, 0x07, 0x02, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x00),
                 "element section, offset 0x11: unexpected end of section or function");
    expect_error(B(HDR, 0x0B, 0x02, 0x01, 0x03),
                 "data section, offset 0xb: malformed data segment kind");
    expect_error(B(HDR, 0x05, 0x03, 0x01, 0x00, 0x01, 0x0B, 0x0C, 0x01, 0x00, 0x41, 0x03, 0x0B,
                   0x07, 'a', 'b', 'c', 'd', 'e', 'f'),
                 "data section, offset 0x15: unexpected end of section or function");
    expect_error(B(HDR, 0x05, 0x03, 0x01, 0x00, 0x01, 0x0B, 0x0C, 0x01, 0x00, 0x41, 0x00, 0x0B,
                   0x05, 'a', 'b', 'c', 'd', 'e', 'f'),
                 "data section, offset 0xf: section size mismatch");
}

static void test_code_errors(void **state)
{
    (void)state;
    /* Local counts: each a u32, their sum below 2^32. */
    expect_error(B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A, 0x0C,
                   0x01, 0x0A, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x02, 0x7E, 0x0B),
                 "code section, offset 0x16: too many locals");
    expect_error(B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A, 0x0C,
                   0x01, 0x0A, 0x02, 0x80, 0x80, 0x80, 0x80, 0x10, 0x7F, 0x02, 0x7E, 0x0B),
                 "code section, offset 0x17: integer too large");
    expect_error(B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A, 0x06,
                   0x01, 0x04, 0x01, 0x01, 0x40, 0x0B),
                 "code section, offset 0x18: malformed value type");
    /* Locals running past the entry's size. */
    expect_error(B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A, 0x06,
                   0x01, 0x01, 0x01, 0x01, 0x7F, 0x0B),
                 "code section, offset 0x16: section size mismatch");
    /* A body without its end: followed by another entry, at the module's
     * end, or followed by a byte that reads as `end`. */
    expect_error(B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x03, 0x02, 0x00, 0x00, 0x0A,
                   0x0C, 0x02, 0x04, 0x00, 0x41, 0x01, 0x1A, 0x05, 0x00, 0x41, 0x01, 0x1A, 0x0B),
                 "code section, offset 0x1b: END opcode expected");
    expect_error(B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A, 0x06,
                   0x01, 0x04, 0x00, 0x41, 0x01, 0x1A),
                 "code section, offset 0x1a: unexpected end of section or function");
    expect_error(B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A, 0x06,
                   0x01, 0x04, 0x00, 0x41, 0x01, 0x1A, 0x0B, 0x03, 0x01, 0x01, 0x00),
                 "code section, offset 0x16: section size mismatch");
    expect_error(B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A, 0x03,
                   0x01, 0x01, 0x00),
                 "code section, offset 0x17: unexpected end of section or function");
    /* An entry whose size runs past the module. */
    expect_error(B(HDR, 0x03, 0x02, 0x01, 0x00, 0x0A, 0x04, 0x01, 0x03, 0x00, 0x0B),
                 "code section, offset 0x12: unexpected end of section or function");
}

static void test_count_mismatch_errors(void **state)
{
    (void)state;
    expect_error(B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x03, 0x02, 0x00, 0x00, 0x0A,
                   0x04, 0x01, 0x02, 0x00, 0x0B),
                 "code section, offset 0x13: function and code section have inconsistent lengths");
    expect_error(B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00),
                 "function section, offset 0xe: function and code section have inconsistent lengths");
    expect_error(B(HDR, 0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B),
                 "code section, offset 0x8: function and code section have inconsistent lengths");
    expect_error(B(HDR, 0x0C, 0x01, 0x03, 0x0B, 0x05, 0x02, 0x01, 0x00, 0x01, 0x00),
                 "data section, offset 0xb: data count and data section have inconsistent lengths");
    expect_error(B(HDR, 0x0C, 0x01, 0x01),
                 "data count section, offset 0x8: data count and data section have inconsistent lengths");
}

/* Counts that promise more than the module holds fail before allocating. */
static void test_hostile_counts(void **state)
{
    (void)state;
    expect_error(B(HDR, 0x01, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00),
                 "type section, offset 0xa: length out of bounds");
    expect_error(B(HDR, 0x01, 0x06, 0x01, 0x60, 0xFF, 0xFF, 0xFF, 0x0F),
                 "type section, offset 0xc: length out of bounds");
    expect_error(B(HDR, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F),
                 "custom section, offset 0x9: length out of bounds");
    expect_error(B(HDR, 0x0A, 0x08, 0x01, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x0B),
                 "code section, offset 0xc: length out of bounds");
    expect_error(B(HDR, 0x09, 0x08, 0x01, 0x01, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F),
                 "element section, offset 0xd: length out of bounds");
    expect_error(B(HDR, 0x0B, 0x08, 0x01, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00),
                 "data section, offset 0xc: length out of bounds");
    expect_error(B(HDR, 0x02, 0x08, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00, 0x00),
                 "import section, offset 0xb: length out of bounds");

    /* A count that fits the bytes left, but entries that are not there: a
     * 4 KB module claiming ~4000 types fails cleanly once it runs out. */
    size_t len = 4096;
    uint8_t *bytes = calloc(len, 1);
    assert_non_null(bytes);
    memcpy(bytes, (const uint8_t[]){HDR}, 8);
    bytes[8] = 0x01;
    uint32_t size = (uint32_t)(len - 8 - 1 - 2);
    bytes[9] = (uint8_t)(0x80 | (size & 0x7F));
    bytes[10] = (uint8_t)(size >> 7);
    uint32_t count = size - 2;
    bytes[11] = (uint8_t)(0x80 | (count & 0x7F));
    bytes[12] = (uint8_t)(count >> 7);
    for (size_t i = 13; i < len; i += 3)
        bytes[i] = 0x60; /* 60 00 00 triples, a third of what the count claims */
    wb_error err;
    assert_null(wb_decode(bytes, len, &err));
    assert_int_equal(err.kind, WB_ERR_MALFORMED);
    assert_non_null(strstr(err.message, "type section"));
    assert_non_null(strstr(err.message, "unexpected end of section or function"));
    free(bytes);
}

static void test_utf8(void **state)
{
    (void)state;
    /* Each sequence is a custom section name: header, 00 <size> <len> bytes. */
    static const struct {
        uint8_t len;
        uint8_t s[4];
        bool ok;
    } cases[] = {
        {1, {0x7F}, true},                     {2, {0xC2, 0x80}, true},
        {2, {0xDF, 0xBF}, true},               {3, {0xE0, 0xA0, 0x80}, true},
        {3, {0xED, 0x9F, 0xBF}, true},         {3, {0xEE, 0x80, 0x80}, true},
        {4, {0xF0, 0x90, 0x80, 0x80}, true},   {4, {0xF4, 0x8F, 0xBF, 0xBF}, true},
        {1, {0x80}, false},                    /* lone continuation */
        {2, {0xC0, 0x80}, false},              /* overlong NUL */
        {2, {0xC1, 0xBF}, false},              /* overlong */
        {3, {0xE0, 0x9F, 0xBF}, false},        /* overlong */
        {3, {0xED, 0xA0, 0x80}, false},        /* surrogate U+D800 */
        {3, {0xED, 0xBF, 0xBF}, false},        /* surrogate U+DFFF */
        {4, {0xF0, 0x8F, 0xBF, 0xBF}, false},  /* overlong */
        {4, {0xF4, 0x90, 0x80, 0x80}, false},  /* U+110000 */
        {4, {0xF5, 0x80, 0x80, 0x80}, false},  /* beyond any plane */
        {1, {0xFF}, false},
        {1, {0xC2}, false},                    /* truncated */
        {2, {0xE2, 0x82}, false},              /* truncated */
        {3, {0xF0, 0x90, 0x80}, false},        /* truncated */
        {2, {0xC2, 0x41}, false},              /* bad continuation */
        {3, {0xE2, 0x82, 0xC0}, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t mod[16] = {HDR, 0x00, (uint8_t)(cases[i].len + 1), cases[i].len};
        memcpy(mod + 11, cases[i].s, cases[i].len);
        size_t len = 11 + cases[i].len;
        wb_error err;
        wb_module *m = wb_decode(mod, len, &err);
        if (cases[i].ok) {
            if (!m)
                fail_msg("case %zu rejected: %s", i, err.message);
            assert_memory_equal(m->customs[0].name, cases[i].s, cases[i].len);
            wb_module_destroy(m);
        } else {
            if (m)
                fail_msg("case %zu accepted", i);
            assert_string_equal(err.message, "custom section, offset 0xa: malformed UTF-8 encoding");
        }
    }
}

/* Offsets where a section ends, read independently of the decoder. */
static bool is_section_end(const uint8_t *b, size_t len, size_t at)
{
    size_t p = 8;
    if (at == p)
        return true;
    while (p < len) {
        p++; /* id */
        uint32_t size = 0;
        unsigned shift = 0;
        while (p < len && (b[p] & 0x80)) {
            size |= (uint32_t)(b[p++] & 0x7F) << shift;
            shift += 7;
        }
        size |= (uint32_t)b[p++] << shift;
        p += size;
        if (p == at)
            return true;
    }
    return false;
}

/* Every proper prefix of a module fails cleanly, or (cut at a section
 * boundary) is itself a module. */
static void test_every_prefix(void **state)
{
    (void)state;
    const uint8_t *mods[] = {rich_wasm, elem_wasm};
    const size_t lens[] = {sizeof rich_wasm, sizeof elem_wasm};
    for (int k = 0; k < 2; k++) {
        size_t boundaries = 0;
        for (size_t len = 0; len < lens[k]; len++) {
            wb_error err;
            wb_module *m = wb_decode(mods[k], len, &err);
            if (m) {
                if (!is_section_end(mods[k], lens[k], len))
                    fail_msg("prefix of %zu bytes decoded", len);
                boundaries++;
                wb_module_destroy(m);
                continue;
            }
            assert_int_equal(err.kind, WB_ERR_MALFORMED);
            assert_true(err.offset <= len);
            assert_true(strlen(err.message) > 0);
        }
        assert_true(boundaries >= 1); /* at least the bare header */
    }
}

/* Every byte replaced by a few values: no crash, no leak (SAN build), and
 * either a module or a malformed-module error. */
static void test_mutations(void **state)
{
    (void)state;
    static const uint8_t values[] = {0x00, 0x01, 0x0B, 0x7F, 0x80, 0xFF};
    uint8_t buf[sizeof rich_wasm];
    for (size_t i = 0; i < sizeof rich_wasm; i++) {
        for (size_t v = 0; v < sizeof values; v++) {
            memcpy(buf, rich_wasm, sizeof buf);
            buf[i] = values[v];
            wb_error err;
            wb_module *m = wb_decode(buf, sizeof buf, &err);
            if (m)
                wb_module_destroy(m);
            else
                assert_int_equal(err.kind, WB_ERR_MALFORMED);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rich_module),
        cmocka_unit_test(test_index_spaces),
        cmocka_unit_test(test_index_spaces_by_hand),
        cmocka_unit_test(test_bytes_are_copied),
        cmocka_unit_test(test_minimal_modules),
        cmocka_unit_test(test_many_customs),
        cmocka_unit_test(test_element_encodings),
        cmocka_unit_test(test_data_segments),
        cmocka_unit_test(test_name_section),
        cmocka_unit_test(test_header_errors),
        cmocka_unit_test(test_section_framing_errors),
        cmocka_unit_test(test_type_and_import_errors),
        cmocka_unit_test(test_limits_and_global_errors),
        cmocka_unit_test(test_segment_errors),
        cmocka_unit_test(test_code_errors),
        cmocka_unit_test(test_count_mismatch_errors),
        cmocka_unit_test(test_hostile_counts),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_every_prefix),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
