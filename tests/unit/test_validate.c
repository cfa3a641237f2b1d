/* The validator (vm/validate*.c): valid modules pass and fill
 * func_declared; each rule, broken, fails with its kind (WB_ERR_INVALID, or
 * WB_ERR_MALFORMED for bad bytes inside a body), the spec's wording and the
 * offset of the failing instruction. Module-level cases are wat2wasm output
 * (--no-check for the invalid ones); body cases are built around a body by
 * build_module() so their offsets can be stated exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../vm/limits.h"
#include "../../vm/module.h"

/* ---- modules from wat2wasm ---- */

/* (module
 *   (type $t2 (func (param i32) (result i32 i32)))
 *   (import "env" "g" (global $gi i32))
 *   (import "env" "f" (func $imp (param i32)))
 *   (table $ft 2 funcref)
 *   (table $et 1 externref)
 *   (memory 1 2)
 *   (global $gm (mut i64) (i64.const 0))
 *   (global $gr funcref (ref.func $callee))
 *   (func $callee (type $t2) local.get 0 local.get 0)
 *   (func $main (export "main") (param i32) (result i32) (local f64 externref)
 *     (block $b (result i32)
 *       (local.get 0)
 *       (loop $l (param i32) (result i32)
 *         (br_table $b $l $b (local.get 0))))
 *     drop
 *     (call $callee (local.get 0))
 *     i32.add
 *     (call_indirect $ft (type $t2) (i32.const 0) (i32.const 1))
 *     drop drop
 *     (select (result externref) (local.get 2) (ref.null extern) (local.get 0))
 *     drop
 *     (table.set $et (i32.const 0) (ref.null extern))
 *     (drop (table.grow $ft (ref.func $main) (i32.const 1)))
 *     (memory.fill (i32.const 0) (i32.const 1) (i32.const 2))
 *     (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 0))
 *     (table.init $ft 0 (i32.const 0) (i32.const 0) (i32.const 0))
 *     (global.set $gm (i64.extend_i32_s (global.get $gi)))
 *     (if (result i32) (local.get 0) (then (i32.const 1)) (else unreachable))
 *     i32.add
 *     (i32.load offset=4 align=4 (i32.const 0))
 *     i32.add)
 *   (elem func $main)
 *   (data "x")) */
static const uint8_t valid_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x10, 0x03, 0x60,
    0x01, 0x7f, 0x02, 0x7f, 0x7f, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x01, 0x7f,
    0x01, 0x7f, 0x02, 0x12, 0x02, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x67, 0x03,
    0x7f, 0x00, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x01, 0x03, 0x03,
    0x02, 0x00, 0x02, 0x04, 0x07, 0x02, 0x70, 0x00, 0x02, 0x6f, 0x00, 0x01,
    0x05, 0x04, 0x01, 0x01, 0x01, 0x02, 0x06, 0x0b, 0x02, 0x7e, 0x01, 0x42,
    0x00, 0x0b, 0x70, 0x00, 0xd2, 0x01, 0x0b, 0x07, 0x08, 0x01, 0x04, 0x6d,
    0x61, 0x69, 0x6e, 0x00, 0x02, 0x09, 0x05, 0x01, 0x01, 0x00, 0x01, 0x02,
    0x0c, 0x01, 0x01, 0x0a, 0x77, 0x02, 0x06, 0x00, 0x20, 0x00, 0x20, 0x00,
    0x0b, 0x6e, 0x02, 0x01, 0x7c, 0x01, 0x6f, 0x02, 0x7f, 0x20, 0x00, 0x03,
    0x02, 0x20, 0x00, 0x0e, 0x02, 0x01, 0x00, 0x01, 0x0b, 0x0b, 0x1a, 0x20,
    0x00, 0x10, 0x01, 0x6a, 0x41, 0x00, 0x41, 0x01, 0x11, 0x00, 0x00, 0x1a,
    0x1a, 0x20, 0x02, 0xd0, 0x6f, 0x20, 0x00, 0x1c, 0x01, 0x6f, 0x1a, 0x41,
    0x00, 0xd0, 0x6f, 0x26, 0x01, 0xd2, 0x02, 0x41, 0x01, 0xfc, 0x0f, 0x00,
    0x1a, 0x41, 0x00, 0x41, 0x01, 0x41, 0x02, 0xfc, 0x0b, 0x00, 0x41, 0x00,
    0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x00, 0x41, 0x00, 0x41, 0x00,
    0x41, 0x00, 0xfc, 0x0c, 0x00, 0x00, 0x23, 0x00, 0xac, 0x24, 0x01, 0x20,
    0x00, 0x04, 0x7f, 0x41, 0x01, 0x05, 0x00, 0x0b, 0x6a, 0x41, 0x00, 0x28,
    0x02, 0x04, 0x6a, 0x0b, 0x0b, 0x04, 0x01, 0x01, 0x01, 0x78,
};

/* (module (global i32 (i32.const 0)) (global i32 (global.get 0))) */
static const uint8_t const_defined_global_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x06, 0x0b, 0x02, 0x7f,
    0x00, 0x41, 0x00, 0x0b, 0x7f, 0x00, 0x23, 0x00, 0x0b,
};

/* (module (global (import "m" "g") (mut i32)) (global i32 (global.get 0))) */
static const uint8_t const_mutable_import_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x08, 0x01, 0x01,
    0x6d, 0x01, 0x67, 0x03, 0x7f, 0x01, 0x06, 0x06, 0x01, 0x7f, 0x00, 0x23,
    0x00, 0x0b,
};

/* (module (global i32 (i32.and (i32.const 1) (i32.const 2)))): and is not
 * among the extended constant instructions */
static const uint8_t const_not_constant_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x06, 0x09, 0x01, 0x7f,
    0x00, 0x41, 0x01, 0x41, 0x02, 0x71, 0x0b,
};

/* (module (global i32 (i32.add (i32.const 1) (i32.const 2)))): an extended
 * constant expression */
static const uint8_t const_extended_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x06, 0x09, 0x01, 0x7f,
    0x00, 0x41, 0x01, 0x41, 0x02, 0x6a, 0x0b,
};

/* (module (global i64 (i32.const 1))) */
static const uint8_t const_wrong_type_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x06, 0x06, 0x01, 0x7e,
    0x00, 0x41, 0x01, 0x0b,
};

/* (module (memory (import "m" "m") 1) (memory 1)) */
static const uint8_t two_memories_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x08, 0x01, 0x01,
    0x6d, 0x01, 0x6d, 0x02, 0x00, 0x01, 0x05, 0x03, 0x01, 0x00, 0x01,
};

/* (module (memory 65537)) */
static const uint8_t memory_too_big_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x05, 0x01, 0x00,
    0x81, 0x80, 0x04,
};

/* (module (table 3 2 funcref)) */
static const uint8_t limits_min_max_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x04, 0x05, 0x01, 0x70,
    0x01, 0x03, 0x02,
};

/* (module (func) (export "a" (func 0)) (export "a" (func 0))) */
static const uint8_t dup_export_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x07, 0x09, 0x02, 0x01, 0x61, 0x00,
    0x00, 0x01, 0x61, 0x00, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
};

/* (module (func (param i32)) (start 0)) */
static const uint8_t start_params_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60,
    0x01, 0x7f, 0x00, 0x03, 0x02, 0x01, 0x00, 0x08, 0x01, 0x00, 0x0a, 0x04,
    0x01, 0x02, 0x00, 0x0b,
};

/* (module (table 1 externref) (func) (elem (table 0) (i32.const 0) func 0)) */
static const uint8_t elem_type_mismatch_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x04, 0x04, 0x01, 0x6f, 0x00, 0x01,
    0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x00, 0x0a, 0x04, 0x01,
    0x02, 0x00, 0x0b,
};

/* (module (func) (elem (i32.const 0) func 0)) */
static const uint8_t elem_unknown_table_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x09, 0x07, 0x01, 0x00, 0x41, 0x00,
    0x0b, 0x01, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
};

/* (module (data (i32.const 0) "a")) */
static const uint8_t data_unknown_memory_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x0b, 0x07, 0x01, 0x00,
    0x41, 0x00, 0x0b, 0x01, 0x61,
};

/* (module (export "f" (func 3))) */
static const uint8_t export_unknown_func_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x07, 0x05, 0x01, 0x01,
    0x66, 0x00, 0x03,
};

/* (module (func $f) (func (drop (ref.func $f)))) */
static const uint8_t undeclared_ref_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x03, 0x03, 0x02, 0x00, 0x00, 0x0a, 0x0a, 0x02, 0x02, 0x00,
    0x0b, 0x05, 0x00, 0xd2, 0x00, 0x1a, 0x0b,
};

/* (module (func $f (export "f")) (func (drop (ref.func $f)))) */
static const uint8_t declared_by_export_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x03, 0x03, 0x02, 0x00, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66,
    0x00, 0x00, 0x0a, 0x0a, 0x02, 0x02, 0x00, 0x0b, 0x05, 0x00, 0xd2, 0x00,
    0x1a, 0x0b,
};

/* (module (type (func)) (table 1 externref) (func (call_indirect 0 (type 0) (i32.const 0)))) */
static const uint8_t call_indirect_externref_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x04, 0x04, 0x01, 0x6f, 0x00, 0x01,
    0x0a, 0x09, 0x01, 0x07, 0x00, 0x41, 0x00, 0x11, 0x00, 0x00, 0x0b,
};

/* (module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1)))) */
static const uint8_t global_immutable_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x06, 0x06, 0x01, 0x7f, 0x00, 0x41,
    0x00, 0x0b, 0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x01, 0x24, 0x00, 0x0b,
};

/* (module (table $a 1 funcref) (table $b 1 externref) (func (table.copy $a $b (i32.const 0) (i32.const 0) (i32.const 0)))) */
static const uint8_t table_copy_mismatch_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x04, 0x07, 0x02, 0x70, 0x00, 0x01,
    0x6f, 0x00, 0x01, 0x0a, 0x0e, 0x01, 0x0c, 0x00, 0x41, 0x00, 0x41, 0x00,
    0x41, 0x00, 0xfc, 0x0e, 0x00, 0x01, 0x0b,
};

/* (module (table $a 1 externref) (elem $e funcref) (func (table.init $a $e (i32.const 0) (i32.const 0) (i32.const 0)))) */
static const uint8_t table_init_mismatch_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x04, 0x04, 0x01, 0x6f, 0x00, 0x01,
    0x09, 0x04, 0x01, 0x01, 0x00, 0x00, 0x0a, 0x0e, 0x01, 0x0c, 0x00, 0x41,
    0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0c, 0x00, 0x00, 0x0b,
};

/* (module (func (elem.drop 4))) */
static const uint8_t elem_drop_unknown_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x07, 0x01, 0x05, 0x00, 0xfc,
    0x0d, 0x04, 0x0b,
};

/* (module (func (result i32 i64)
 *     (i32.const 1) (i64.const 2)
 *     (block (param i32 i64) (result i32 i64)
 *       (br_if 0 (i32.const 0))))
 *   (func (param i32) (result i32)
 *     (local.get 0)
 *     (if (param i32) (result i32) (local.get 0) (then (i32.const 1) (i32.add))))) */
static const uint8_t multi_value_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x12, 0x03, 0x60,
    0x00, 0x02, 0x7f, 0x7e, 0x60, 0x02, 0x7f, 0x7e, 0x02, 0x7f, 0x7e, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x03, 0x03, 0x02, 0x00, 0x02, 0x0a, 0x1c, 0x02,
    0x0d, 0x00, 0x41, 0x01, 0x42, 0x02, 0x02, 0x01, 0x41, 0x00, 0x0d, 0x00,
    0x0b, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x20, 0x00, 0x04, 0x02, 0x41, 0x01,
    0x6a, 0x0b, 0x0b,
};

/* (module (table 1 funcref) (elem (table 0) (i32.const 0) funcref (ref.null extern))) */
static const uint8_t elem_expr_type_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x04, 0x04, 0x01, 0x70,
    0x00, 0x01, 0x09, 0x09, 0x01, 0x04, 0x41, 0x00, 0x0b, 0x01, 0xd0, 0x6f,
    0x0b,
};

/* (module (table 1 funcref) (elem (i32.const 0) func 7)) */
static const uint8_t elem_unknown_func_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x04, 0x04, 0x01, 0x70,
    0x00, 0x01, 0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x07,
};

/* ---- helpers ---- */

/* The feature profile modules are decoded (and so validated) under: 3.0,
 * the default, but for the checks of rules 2.0 states otherwise (vm.h,
 * wb_features; tests/unit/test_profile.c has both sides of each). */
static wb_features profile = WB_FEATURES_3_0;

static wb_module *decode_ok(const uint8_t *bytes, size_t len)
{
    wb_error err;
    uint8_t *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, bytes, len);
    wb_module *m = wb_decode_owned_features(copy, len, profile, &err);
    if (!m)
        fail_msg("decode failed: %s", err.message);
    return m;
}

/* Validation must fail with `kind` and exactly `message`. */
static void expect_fail(const uint8_t *bytes, size_t len, wb_error_kind kind, const char *message)
{
    wb_module *m = decode_ok(bytes, len);
    wb_error err;
    memset(&err, 0, sizeof err);
    bool ok = wb_validate(m, &err);
    wb_module_destroy(m);
    if (ok)
        fail_msg("validated, expected: %s", message);
    assert_int_equal(err.kind, kind);
    assert_string_equal(err.message, message);
}

static void expect_valid(const uint8_t *bytes, size_t len)
{
    wb_module *m = decode_ok(bytes, len);
    wb_error err;
    bool ok = wb_validate(m, &err);
    if (!ok)
        fail_msg("invalid: %s", err.message);
    assert_int_equal(err.kind, WB_ERR_NONE);
    wb_module_destroy(m);
}

static void put_uleb(uint8_t *out, size_t *n, uint64_t v)
{
    do {
        uint8_t b = v & 0x7F;
        v >>= 7;
        out[(*n)++] = (uint8_t)(b | (v ? 0x80 : 0));
    } while (v);
}

typedef struct built {
    uint8_t *bytes;
    size_t len;
    size_t code; /* offset of the first instruction of the body */
} built;

/* A module with one type (`functype`, e.g. {0x60, 0, 1, 0x7F}), one function
 * of it, a memory when asked, a data count of 1 and one passive data segment
 * when asked, and the function body `locals_and_body` (the local declarations
 * followed by the instructions; `nlocal_bytes` of it are local declarations). */
static built build_module(const uint8_t *functype, size_t tlen, bool memory, bool data,
                          const uint8_t *locals_and_body, size_t blen, size_t nlocal_bytes)
{
    built b;
    b.bytes = malloc(64 + tlen + blen);
    assert_non_null(b.bytes);
    size_t n = 0;
    const uint8_t hdr[] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
    memcpy(b.bytes, hdr, sizeof hdr);
    n = sizeof hdr;
    b.bytes[n++] = 0x01; /* type section */
    put_uleb(b.bytes, &n, tlen + 1);
    b.bytes[n++] = 0x01;
    memcpy(b.bytes + n, functype, tlen);
    n += tlen;
    const uint8_t funcs[] = {0x03, 0x02, 0x01, 0x00};
    memcpy(b.bytes + n, funcs, sizeof funcs);
    n += sizeof funcs;
    if (memory) {
        const uint8_t mem[] = {0x05, 0x03, 0x01, 0x00, 0x01};
        memcpy(b.bytes + n, mem, sizeof mem);
        n += sizeof mem;
    }
    if (data) {
        const uint8_t count[] = {0x0C, 0x01, 0x01};
        memcpy(b.bytes + n, count, sizeof count);
        n += sizeof count;
    }
    uint8_t entry_size[8];
    size_t es = 0;
    put_uleb(entry_size, &es, blen);
    b.bytes[n++] = 0x0A; /* code section */
    put_uleb(b.bytes, &n, 1 + es + blen);
    b.bytes[n++] = 0x01;
    memcpy(b.bytes + n, entry_size, es);
    n += es;
    b.code = n + nlocal_bytes;
    memcpy(b.bytes + n, locals_and_body, blen);
    n += blen;
    if (data) {
        const uint8_t seg[] = {0x0B, 0x04, 0x01, 0x01, 0x01, 0x78};
        memcpy(b.bytes + n, seg, sizeof seg);
        n += sizeof seg;
    }
    b.len = n;
    return b;
}

static const uint8_t void_void[] = {0x60, 0x00, 0x00};
static const uint8_t void_i32[] = {0x60, 0x00, 0x01, 0x7F};
static const uint8_t i32_i32[] = {0x60, 0x01, 0x7F, 0x01, 0x7F};

/* Body (after a zero local-declaration count) fails at body offset `at`. */
static void body_fails(const uint8_t *type, size_t tlen, bool memory, const uint8_t *body,
                       size_t blen, wb_error_kind kind, size_t at, const char *reason)
{
    uint8_t *lb = malloc(blen + 1);
    assert_non_null(lb);
    lb[0] = 0x00; /* no locals */
    memcpy(lb + 1, body, blen);
    built b = build_module(type, tlen, memory, false, lb, blen + 1, 1);
    char want[256];
    snprintf(want, sizeof want, "function 0, offset 0x%zx: %s", b.code + at, reason);
    expect_fail(b.bytes, b.len, kind, want);
    free(b.bytes);
    free(lb);
}

static void body_valid(const uint8_t *type, size_t tlen, bool memory, const uint8_t *body,
                       size_t blen)
{
    uint8_t *lb = malloc(blen + 1);
    assert_non_null(lb);
    lb[0] = 0x00;
    memcpy(lb + 1, body, blen);
    built b = build_module(type, tlen, memory, false, lb, blen + 1, 1);
    expect_valid(b.bytes, b.len);
    free(b.bytes);
    free(lb);
}

#define ARR(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})
#define T(t) t, sizeof t

/* ---- whole modules ---- */

static void test_valid_module(void **state)
{
    (void)state;
    wb_module *m = decode_ok(valid_wasm, sizeof valid_wasm);
    wb_error err;
    assert_true(wb_validate(m, &err));
    /* functions: 0 = the import, 1 = $callee (named by a global's ref.func),
     * 2 = $main (in an element segment and exported) */
    assert_non_null(m->func_declared);
    assert_false(m->func_declared[0]);
    assert_true(m->func_declared[1]);
    assert_true(m->func_declared[2]);
    wb_module_destroy(m);
    expect_valid(declared_by_export_wasm, sizeof declared_by_export_wasm);
}

static void test_module_rules(void **state)
{
    (void)state;
    /* 2.0: constant expressions read imported globals only; 3.0 the
     * module's own earlier immutable ones too */
    profile = WB_FEATURES_2_0;
    expect_fail(T(const_defined_global_wasm), WB_ERR_INVALID,
                "global section, global 1, offset 0x12: unknown global 0");
    profile = WB_FEATURES_3_0;
    expect_valid(T(const_defined_global_wasm));
    expect_fail(T(const_mutable_import_wasm), WB_ERR_INVALID,
                "global section, global 1, offset 0x17: constant expression required "
                "(global 0 is mutable)");
    expect_fail(T(const_not_constant_wasm), WB_ERR_INVALID,
                "global section, global 0, offset 0x11: constant expression required "
                "(i32.and is not constant)");
    expect_valid(const_extended_wasm, sizeof const_extended_wasm);
    expect_fail(T(const_wrong_type_wasm), WB_ERR_INVALID,
                "global section, global 0, offset 0xf: type mismatch: expected i64, got i32");
    /* several memories: multi-memory, valid in 3.0 (the default), invalid
     * in a module read as 2.0 */
    expect_valid(two_memories_wasm, sizeof two_memories_wasm);
    {
        wb_error err;
        memset(&err, 0, sizeof err);
        wb_module *m = wb_decode_features(two_memories_wasm, sizeof two_memories_wasm, WB_FEATURES_2_0, &err);
        assert_non_null(m);
        assert_false(wb_validate(m, &err));
        wb_module_destroy(m);
        assert_int_equal(err.kind, WB_ERR_INVALID);
        assert_string_equal(err.message, "memory section, memory 1, offset 0x15: multiple memories: "
                                         "multi-memory is WebAssembly 3.0, the module is read as 2.0");
    }
    expect_fail(T(memory_too_big_wasm), WB_ERR_INVALID,
                "memory section, memory 0, offset 0xb: memory size must be at most 65536 pages "
                "(4GiB)");
    expect_fail(T(limits_min_max_wasm), WB_ERR_INVALID,
                "table section, table 0, offset 0xc: size minimum must not be greater than "
                "maximum");
    expect_fail(T(dup_export_wasm), WB_ERR_INVALID,
                "export section, export 1, offset 0x19: duplicate export name \"a\"");
    expect_fail(T(start_params_wasm), WB_ERR_INVALID,
                "start section, offset 0x15: start function must not have parameters or results");
    expect_fail(T(elem_type_mismatch_wasm), WB_ERR_INVALID,
                "element section, segment 0, offset 0x1b: type mismatch: segment of (ref func), "
                "table 0 of externref");
    expect_fail(T(elem_unknown_table_wasm), WB_ERR_INVALID,
                "element section, segment 0, offset 0x15: unknown table 0");
    expect_fail(T(data_unknown_memory_wasm), WB_ERR_INVALID,
                "data section, segment 0, offset 0xb: unknown memory 0");
    expect_fail(T(elem_expr_type_wasm), WB_ERR_INVALID,
                "element section, segment 0, offset 0x18: type mismatch: expected funcref, "
                "got externref");
    expect_fail(T(elem_unknown_func_wasm), WB_ERR_INVALID,
                "element section, segment 0, offset 0x16: unknown function 7");
    expect_fail(T(export_unknown_func_wasm), WB_ERR_INVALID,
                "export section, export 0, offset 0xe: unknown function 3");
    expect_fail(T(undeclared_ref_wasm), WB_ERR_INVALID,
                "function 1, offset 0x1b: undeclared function reference 0");
    expect_fail(T(call_indirect_externref_wasm), WB_ERR_INVALID,
                "function 0, offset 0x1f: type mismatch: call_indirect needs a funcref table, "
                "table 0 holds externref");
}

static void test_body_instruction_rules(void **state)
{
    (void)state;
    profile = WB_FEATURES_2_0;
    expect_fail(T(global_immutable_wasm), WB_ERR_INVALID,
                "function 0, offset 0x21: global is immutable: global.set of global 0");
    profile = WB_FEATURES_3_0; /* 3.0's text */
    expect_fail(T(global_immutable_wasm), WB_ERR_INVALID,
                "function 0, offset 0x21: immutable global: global.set of global 0");
    expect_fail(T(table_copy_mismatch_wasm), WB_ERR_INVALID,
                "function 0, offset 0x26: type mismatch: table.copy from externref table to funcref table");
    expect_fail(T(table_init_mismatch_wasm), WB_ERR_INVALID,
                "function 0, offset 0x29: type mismatch: table.init of (ref func) segment into externref table");
    expect_fail(T(elem_drop_unknown_wasm), WB_ERR_INVALID,
                "function 0, offset 0x17: unknown elem segment 4");
    expect_valid(T(multi_value_wasm));
}

static void test_operand_stack(void **state)
{
    (void)state;
    /* i64.const 0; end -- in a function returning i32 */
    body_fails(T(void_i32), false, ARR(0x42, 0x00, 0x0B), WB_ERR_INVALID, 2,
               "type mismatch: expected i32, got i64");
    body_fails(T(void_i32), false, ARR(0x0B), WB_ERR_INVALID, 0,
               "type mismatch: expected i32, the stack is empty");
    body_fails(T(void_void), false, ARR(0x41, 0x00, 0x0B), WB_ERR_INVALID, 2,
               "type mismatch: 1 value(s) left on the stack at the end of the block");
    /* unreachable makes the stack polymorphic, but known values still count */
    body_valid(T(void_i32), false, ARR(0x00, 0x6A, 0x0B));
    body_fails(T(void_i32), false, ARR(0x00, 0x42, 0x00, 0x6A, 0x0B), WB_ERR_INVALID, 3,
               "type mismatch: expected i32, got i64");
    /* br 0 needs the function's i32 first */
    body_fails(T(void_i32), false, ARR(0x0C, 0x00, 0x42, 0x00, 0x0B), WB_ERR_INVALID, 0,
               "type mismatch: expected i32, the stack is empty");
    /* select: numeric operands only; select t: exactly one type */
    body_fails(T(void_void), false, ARR(0xD0, 0x70, 0xD0, 0x70, 0x41, 0x00, 0x1B, 0x1A, 0x0B),
               WB_ERR_INVALID, 6,
               "type mismatch: select without a type needs numeric operands, got funcref");
    body_valid(T(void_void), false,
               ARR(0xD0, 0x70, 0xD0, 0x70, 0x41, 0x00, 0x1C, 0x01, 0x70, 0x1A, 0x0B));
    body_fails(T(void_void), false,
               ARR(0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0x1C, 0x02, 0x7F, 0x7F, 0x1A, 0x0B),
               WB_ERR_INVALID, 6, "invalid result arity");
    body_fails(T(void_void), false, ARR(0x41, 0x00, 0xD1, 0x1A, 0x0B), WB_ERR_INVALID, 2,
               "type mismatch: ref.is_null needs a reference, got i32");
}

static void test_control(void **state)
{
    (void)state;
    body_fails(T(void_void), false, ARR(0x0C, 0x01, 0x0B), WB_ERR_INVALID, 0, "unknown label 1");
    /* block (result i32) i32.const 0 i32.const 0 br_table [0] 1: arities 1 and 0 */
    body_fails(T(void_void), false,
               ARR(0x02, 0x7F, 0x41, 0x00, 0x41, 0x00, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x1A, 0x0B),
               WB_ERR_INVALID, 6, "type mismatch: br_table targets with 1 and 0 values");
    /* if (result i32) without else: the empty else cannot make an i32 */
    body_fails(T(void_void), false, ARR(0x41, 0x01, 0x04, 0x7F, 0x41, 0x00, 0x0B, 0x1A, 0x0B),
               WB_ERR_INVALID, 6,
               "type mismatch: if without else must have the same params and results");
    /* block (result v128): valid with a v128 inside (SIMD), not without */
    body_valid(T(void_void), false,
               ARR(0x02, 0x7B, 0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0B, 0x1A, 0x0B));
    body_fails(T(void_void), false, ARR(0x02, 0x7B, 0x0B, 0x0B), WB_ERR_INVALID, 2,
               "type mismatch: expected v128, the stack is empty");
    body_fails(T(void_void), false, ARR(0x02, 0x05, 0x0B, 0x0B), WB_ERR_INVALID, 0,
               "unknown type 5");
    body_fails(T(void_void), false, ARR(0x10, 0x05, 0x0B), WB_ERR_INVALID, 0,
               "unknown function 5");
    body_fails(T(void_void), false, ARR(0x41, 0x00, 0x11, 0x00, 0x00, 0x0B), WB_ERR_INVALID, 2,
               "unknown table 0");
}

static void test_locals_and_globals(void **state)
{
    (void)state;
    body_fails(T(void_void), false, ARR(0x20, 0x05, 0x1A, 0x0B), WB_ERR_INVALID, 0,
               "unknown local 5");
    body_fails(T(i32_i32), false, ARR(0x20, 0x01, 0x0B), WB_ERR_INVALID, 0, "unknown local 1");
    body_fails(T(void_void), false, ARR(0x23, 0x00, 0x1A, 0x0B), WB_ERR_INVALID, 0,
               "unknown global 0");
    /* param 0: i32; locals 1, 2: i32; 3: i64 */
    const uint8_t body[] = {0x02, 0x02, 0x7F, 0x01, 0x7E,  /* local declarations */
                            0x20, 0x03, 0x20, 0x00, 0x6A, 0x0B};
    built b = build_module(T(i32_i32), false, false, body, sizeof body, 5);
    char want[128];
    snprintf(want, sizeof want, "function 0, offset 0x%zx: type mismatch: expected i32, got i64",
             b.code + 4);
    expect_fail(b.bytes, b.len, WB_ERR_INVALID, want);
    free(b.bytes);
    const uint8_t good[] = {0x02, 0x02, 0x7F, 0x01, 0x7E, 0x20, 0x03, 0xA7, 0x20, 0x02, 0x6A, 0x0B};
    b = build_module(T(i32_i32), false, false, good, sizeof good, 5);
    expect_valid(b.bytes, b.len);
    free(b.bytes);
}

static void test_memory_rules(void **state)
{
    (void)state;
    body_fails(T(void_void), true, ARR(0x41, 0x00, 0x28, 0x03, 0x00, 0x1A, 0x0B), WB_ERR_INVALID,
               2, "alignment must not be larger than natural (i32.load: 2^3 > 2^2)");
    body_valid(T(void_void), true, ARR(0x41, 0x00, 0x28, 0x02, 0x00, 0x1A, 0x0B));
    body_fails(T(void_void), false, ARR(0x41, 0x00, 0x28, 0x02, 0x00, 0x1A, 0x0B), WB_ERR_INVALID,
               2, "unknown memory 0");
    body_fails(T(void_void), false, ARR(0x3F, 0x00, 0x1A, 0x0B), WB_ERR_INVALID, 0,
               "unknown memory 0");
    /* alignment field 32: malformed in 2.0, too large in 3.0; 64 and more
     * (bit 6: a memory index) malformed in both */
    profile = WB_FEATURES_2_0;
    body_fails(T(void_void), true, ARR(0x41, 0x00, 0x28, 0x20, 0x00, 0x1A, 0x0B),
               WB_ERR_MALFORMED, 2, "malformed memop flags");
    profile = WB_FEATURES_3_0;
    body_fails(T(void_void), true, ARR(0x41, 0x00, 0x28, 0x20, 0x00, 0x1A, 0x0B),
               WB_ERR_INVALID, 2, "alignment must not be larger than natural (i32.load: 2^32 > 2^2)");
    body_fails(T(void_void), true, ARR(0x41, 0x00, 0x28, 0x80, 0x01, 0x00, 0x1A, 0x0B),
               WB_ERR_MALFORMED, 2, "malformed memop flags");
    /* no data segments at all: the data index is unknown (invalid) */
    body_fails(T(void_void), true, ARR(0xFC, 0x09, 0x00, 0x0B), WB_ERR_INVALID, 0,
               "unknown data segment 0");

    /* with a data count of 1: data 0 exists, data 1 does not */
    const uint8_t init0[] = {0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x00, 0x00, 0x0B};
    built b = build_module(T(void_void), true, true, init0, sizeof init0, 1);
    expect_valid(b.bytes, b.len);
    free(b.bytes);
    const uint8_t drop1[] = {0x00, 0xFC, 0x09, 0x01, 0x0B};
    b = build_module(T(void_void), true, true, drop1, sizeof drop1, 1);
    char want[128];
    snprintf(want, sizeof want, "function 0, offset 0x%zx: unknown data segment 1", b.code);
    expect_fail(b.bytes, b.len, WB_ERR_INVALID, want);

    /* data segments but no data count section: malformed */
    size_t count_at = 0;
    for (size_t i = 8; i + 2 < b.len; i++) {
        if (b.bytes[i] == 0x0C && b.bytes[i + 1] == 0x01 && b.bytes[i + 2] == 0x01) {
            count_at = i;
            break;
        }
    }
    assert_true(count_at > 0);
    memmove(b.bytes + count_at, b.bytes + count_at + 3, b.len - count_at - 3);
    snprintf(want, sizeof want, "function 0, offset 0x%zx: data count section required",
             b.code - 3);
    expect_fail(b.bytes, b.len - 3, WB_ERR_MALFORMED, want);
    free(b.bytes);
}

static void test_malformed_bodies(void **state)
{
    (void)state;
    /* the spec's text names a byte no instruction uses (3.0 binary.wast) */
    body_fails(T(void_void), false, ARR(0xFF, 0x0B), WB_ERR_MALFORMED, 0, "illegal opcode ff");
    /* else outside an if */
    body_fails(T(void_void), false, ARR(0x02, 0x40, 0x05, 0x0B, 0x0B), WB_ERR_MALFORMED, 2,
               "END opcode expected");
    /* bytes after the end that closes the function */
    body_fails(T(void_void), false, ARR(0x0B, 0x01, 0x0B), WB_ERR_MALFORMED, 1,
               "section size mismatch");
    /* a malformed body wins over an earlier type error, as in the spec's
     * decoder: i64.const 0 (bad for void) ... then an illegal opcode */
    body_fails(T(void_void), false, ARR(0x42, 0x00, 0x1A, 0x01, 0xFF, 0x0B), WB_ERR_MALFORMED, 4,
               "illegal opcode ff");
}

/* Nesting depth costs heap, never C stack; a wide br_table stays cheap. */
static void test_deep_and_wide(void **state)
{
    (void)state;
    /* as deep as the limit allows (limits.h), then one deeper */
    const size_t depth = WB_MAX_BLOCK_DEPTH;
    size_t blen = 1 + (depth + 1) * 2 + 2 + 2 + 1 + depth + 1;
    uint8_t *body = malloc(blen + 16);
    assert_non_null(body);
    size_t n = 0;
    body[n++] = 0x00;
    for (size_t i = 0; i < depth; i++) {
        body[n++] = 0x02;
        body[n++] = 0x40;
    }
    body[n++] = 0x41; /* i32.const 0; drop */
    body[n++] = 0x00;
    body[n++] = 0x1A;
    for (size_t i = 0; i < depth; i++)
        body[n++] = 0x0B;
    body[n++] = 0x0B;
    built b = build_module(T(void_void), false, false, body, n, 1);
    expect_valid(b.bytes, b.len);
    free(b.bytes);

    /* the same with the drop removed: the innermost block ends with a value */
    n = 1 + depth * 2;
    body[n++] = 0x41;
    body[n++] = 0x00;
    size_t bad_end = n - 1;
    for (size_t i = 0; i < depth; i++)
        body[n++] = 0x0B;
    body[n++] = 0x0B;
    b = build_module(T(void_void), false, false, body, n, 1);
    char want[128];
    snprintf(want, sizeof want,
             "function 0, offset 0x%zx: type mismatch: 1 value(s) left on the stack at the end "
             "of the block",
             b.code + bad_end);
    expect_fail(b.bytes, b.len, WB_ERR_INVALID, want);
    free(b.bytes);

    /* one block more than the limit: refused at the block that opens it */
    n = 1 + depth * 2;
    body[n++] = 0x02;
    body[n++] = 0x40;
    for (size_t i = 0; i < depth + 2; i++)
        body[n++] = 0x0B;
    b = build_module(T(void_void), false, false, body, n, 1);
    snprintf(want, sizeof want,
             "function 0, offset 0x%zx: too many nested blocks: %u (implementation limit %u)",
             b.code + depth * 2, WB_MAX_BLOCK_DEPTH + 1, WB_MAX_BLOCK_DEPTH);
    expect_fail(b.bytes, b.len, WB_ERR_LIMIT, want);
    free(b.bytes);
    free(body);

    /* 1000 blocks (result i32) around a br_table naming each of them 65 times */
    const size_t nb = 1000, per = 65;
    body = malloc(1 + nb * 2 + 4 + 4 + nb * per * 2 + 8 + nb + 4);
    assert_non_null(body);
    n = 0;
    body[n++] = 0x00;
    for (size_t i = 0; i < nb; i++) {
        body[n++] = 0x02;
        body[n++] = 0x7F;
    }
    body[n++] = 0x41; /* the value, then the index */
    body[n++] = 0x07;
    body[n++] = 0x41;
    body[n++] = 0x00;
    body[n++] = 0x0E;
    size_t targets = nb * per;
    body[n++] = (uint8_t)(0x80 | (targets & 0x7F));
    body[n++] = (uint8_t)(0x80 | ((targets >> 7) & 0x7F));
    body[n++] = (uint8_t)(targets >> 14);
    for (size_t i = 0; i < targets; i++) {
        size_t d = i % nb;
        body[n++] = (uint8_t)(0x80 | (d & 0x7F));
        body[n++] = (uint8_t)(d >> 7);
    }
    body[n++] = 0x00; /* default */
    for (size_t i = 0; i < nb - 1; i++)
        body[n++] = 0x0B;
    body[n++] = 0x0B; /* the outermost block: its i32 is the function's */
    body[n++] = 0x0B;
    b = build_module(T(void_i32), false, false, body, n, 1);
    expect_valid(b.bytes, b.len);
    free(b.bytes);
    free(body);

    /* a br_table with one target more than the limit */
    const size_t over = WB_MAX_BR_TABLE_TARGETS + 1;
    body = malloc(over + 16);
    assert_non_null(body);
    n = 0;
    body[n++] = 0x00;
    body[n++] = 0x02; /* block */
    body[n++] = 0x40;
    body[n++] = 0x41; /* i32.const 0 */
    body[n++] = 0x00;
    size_t at = n - 1;
    body[n++] = 0x0E;
    put_uleb(body, &n, over);
    memset(body + n, 0x00, over + 1); /* every target and the default: label 0 */
    n += over + 1;
    body[n++] = 0x0B;
    body[n++] = 0x0B;
    b = build_module(T(void_void), false, false, body, n, 1);
    snprintf(want, sizeof want,
             "function 0, offset 0x%zx: too many br_table targets: %zu (implementation limit %u)",
             b.code + at, over, WB_MAX_BR_TABLE_TARGETS);
    expect_fail(b.bytes, b.len, WB_ERR_LIMIT, want);
    free(b.bytes);
    free(body);
}

/* Any byte changed in a valid module: no crash, and a failure always says
 * what kind of failure it is (the SAN build checks leaks and overflows). */
static void test_mutations(void **state)
{
    (void)state;
    uint8_t *copy = malloc(sizeof valid_wasm);
    assert_non_null(copy);
    static const uint8_t values[] = {0x00, 0x01, 0x02, 0x05, 0x0B, 0x0C, 0x0E, 0x1C, 0x40,
                                     0x41, 0x70, 0x6F, 0x7B, 0x7F, 0x80, 0xD2, 0xFC, 0xFF};
    for (size_t pos = 8; pos < sizeof valid_wasm; pos++) {
        for (size_t v = 0; v < sizeof values; v++) {
            memcpy(copy, valid_wasm, sizeof valid_wasm);
            copy[pos] = values[v];
            wb_error err;
            wb_module *m = wb_decode(copy, sizeof valid_wasm, &err);
            if (!m)
                continue;
            memset(&err, 0, sizeof err);
            if (!wb_validate(m, &err)) {
                assert_true(err.kind == WB_ERR_INVALID || err.kind == WB_ERR_MALFORMED ||
                            err.kind == WB_ERR_LIMIT);
                assert_true(err.message[0] != '\0');
            } else {
                assert_int_equal(err.kind, WB_ERR_NONE);
            }
            wb_module_destroy(m);
        }
    }
    free(copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_module),
        cmocka_unit_test(test_module_rules),
        cmocka_unit_test(test_body_instruction_rules),
        cmocka_unit_test(test_operand_stack),
        cmocka_unit_test(test_control),
        cmocka_unit_test(test_locals_and_globals),
        cmocka_unit_test(test_memory_rules),
        cmocka_unit_test(test_malformed_bodies),
        cmocka_unit_test(test_deep_and_wide),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
