/* Direct tests of the interpreter through the public API: the spec's traps,
 * numeric edge cases, memory bounds, calls across instances and nested
 * invocation from a host function. Modules were written with wat2wasm and
 * are embedded as bytes (source in the comment above each). The official
 * spec suite (conformance/) is the broad test; these pin down cases that
 * matter to the engine's own design (no wrap-around, reloads after grow...).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../vm/vm.h"

/* (module
 *   (import "host" "twice" (func $twice (param i32) (result i32)))
 *   (memory (export "mem") 1 3)
 *   (table $t 3 funcref)
 *   (type $ii (func (param i32) (result i32)))
 *   (elem (i32.const 0) $inc $nullary)
 *   (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
 *   (func $nullary (result i32) (i32.const 42))
 *   (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
 *   (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
 *   (func (export "div_u64") (param i64 i64) (result i64) (i64.div_u (local.get 0) (local.get 1)))
 *   (func (export "trunc_f32_s") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
 *   (func (export "trunc_f64_u") (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))
 *   (func (export "sat_f64_s") (param f64) (result i32) (i32.trunc_sat_f64_s (local.get 0)))
 *   (func (export "load") (param i32) (result i32) (i32.load offset=4 (local.get 0)))
 *   (func (export "load_max_offset") (param i32) (result i32) (i32.load8_u offset=4294967295 (local.get 0)))
 *   (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
 *   (func (export "load_add") (param i32) (result i32)
 *     (i32.load offset=2 (i32.add (local.get 0) (i32.const 6))))
 *   (func (export "store_add") (param i32 i32)
 *     (i32.store16 (i32.add (local.get 0) (i32.const -2)) (local.get 1)))
 *   (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
 *   (func (export "grow_then_load") (result i32)
 *     (drop (memory.grow (i32.const 1)))
 *     (i32.load (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4))))
 *   (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
 *   (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
 *   (func (export "call_ind") (param i32 i32) (result i32)
 *     (call_indirect (type $ii) (local.get 0) (local.get 1)))
 *   (func (export "min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
 *   (func (export "max64") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
 *   (func (export "nearest") (param f64) (result f64) (f64.nearest (local.get 0)))
 *   (func (export "neg") (param f32) (result f32) (f32.neg (local.get 0)))
 *   (func (export "copysign") (param f64 f64) (result f64) (f64.copysign (local.get 0) (local.get 1)))
 *   (func (export "u64_to_f32") (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
 *   (func (export "shl") (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1)))
 *   (func (export "rotr64") (param i64 i64) (result i64) (i64.rotr (local.get 0) (local.get 1)))
 *   (func (export "host_twice_plus1") (param i32) (result i32)
 *     (i32.add (call $twice (local.get 0)) (i32.const 1)))
 *   (func (export "swap") (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
 *   (func (export "multi") (param i32) (result i32)
 *     (local.get 0)
 *     (i32.const 10)
 *     (block (param i32 i32) (result i32 i32)
 *       (br_if 0 (local.get 0))
 *       (drop) (drop) (i32.const 1) (i32.const 2))
 *     (i32.sub))
 *   (func (export "switch") (param i32) (result i32)
 *     (block $d (block $c (block $b (block $a
 *       (br_table $a $b $c $d (local.get 0)))
 *       (return (i32.const 100)))
 *       (return (i32.const 101)))
 *       (return (i32.const 102)))
 *     (i32.const 103))
 *   (func $fac (export "fac") (param i64) (result i64)
 *     (if (result i64) (i64.eqz (local.get 0))
 *       (then (i64.const 1))
 *       (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1))))))))
 */
static const uint8_t interp_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x57, 0x10, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f,
    0x01, 0x7f, 0x60, 0x02, 0x7e, 0x7e, 0x01, 0x7e, 0x60, 0x01, 0x7d, 0x01,
    0x7f, 0x60, 0x01, 0x7c, 0x01, 0x7e, 0x60, 0x01, 0x7c, 0x01, 0x7f, 0x60,
    0x02, 0x7f, 0x7f, 0x00, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x00, 0x60, 0x02,
    0x7d, 0x7d, 0x01, 0x7d, 0x60, 0x02, 0x7c, 0x7c, 0x01, 0x7c, 0x60, 0x01,
    0x7c, 0x01, 0x7c, 0x60, 0x01, 0x7d, 0x01, 0x7d, 0x60, 0x01, 0x7e, 0x01,
    0x7d, 0x60, 0x02, 0x7f, 0x7f, 0x02, 0x7f, 0x7f, 0x60, 0x01, 0x7e, 0x01,
    0x7e, 0x02, 0x0e, 0x01, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x05, 0x74, 0x77,
    0x69, 0x63, 0x65, 0x00, 0x00, 0x03, 0x20, 0x1f, 0x00, 0x01, 0x02, 0x02,
    0x03, 0x04, 0x05, 0x06, 0x00, 0x00, 0x07, 0x00, 0x07, 0x00, 0x01, 0x08,
    0x08, 0x02, 0x09, 0x0a, 0x0b, 0x0c, 0x0a, 0x0d, 0x02, 0x03, 0x00, 0x0e,
    0x00, 0x00, 0x0f, 0x04, 0x04, 0x01, 0x70, 0x00, 0x03, 0x05, 0x04, 0x01,
    0x01, 0x01, 0x03, 0x07, 0xa8, 0x02, 0x1e, 0x03, 0x6d, 0x65, 0x6d, 0x02,
    0x00, 0x05, 0x64, 0x69, 0x76, 0x5f, 0x73, 0x00, 0x03, 0x05, 0x72, 0x65,
    0x6d, 0x5f, 0x73, 0x00, 0x04, 0x07, 0x64, 0x69, 0x76, 0x5f, 0x75, 0x36,
    0x34, 0x00, 0x05, 0x0b, 0x74, 0x72, 0x75, 0x6e, 0x63, 0x5f, 0x66, 0x33,
    0x32, 0x5f, 0x73, 0x00, 0x06, 0x0b, 0x74, 0x72, 0x75, 0x6e, 0x63, 0x5f,
    0x66, 0x36, 0x34, 0x5f, 0x75, 0x00, 0x07, 0x09, 0x73, 0x61, 0x74, 0x5f,
    0x66, 0x36, 0x34, 0x5f, 0x73, 0x00, 0x08, 0x04, 0x6c, 0x6f, 0x61, 0x64,
    0x00, 0x09, 0x0f, 0x6c, 0x6f, 0x61, 0x64, 0x5f, 0x6d, 0x61, 0x78, 0x5f,
    0x6f, 0x66, 0x66, 0x73, 0x65, 0x74, 0x00, 0x0a, 0x05, 0x73, 0x74, 0x6f,
    0x72, 0x65, 0x00, 0x0b, 0x08, 0x6c, 0x6f, 0x61, 0x64, 0x5f, 0x61, 0x64,
    0x64, 0x00, 0x0c, 0x09, 0x73, 0x74, 0x6f, 0x72, 0x65, 0x5f, 0x61, 0x64,
    0x64, 0x00, 0x0d, 0x04, 0x67, 0x72, 0x6f, 0x77, 0x00, 0x0e, 0x0e, 0x67,
    0x72, 0x6f, 0x77, 0x5f, 0x74, 0x68, 0x65, 0x6e, 0x5f, 0x6c, 0x6f, 0x61,
    0x64, 0x00, 0x0f, 0x04, 0x63, 0x6f, 0x70, 0x79, 0x00, 0x10, 0x04, 0x66,
    0x69, 0x6c, 0x6c, 0x00, 0x11, 0x08, 0x63, 0x61, 0x6c, 0x6c, 0x5f, 0x69,
    0x6e, 0x64, 0x00, 0x12, 0x03, 0x6d, 0x69, 0x6e, 0x00, 0x13, 0x05, 0x6d,
    0x61, 0x78, 0x36, 0x34, 0x00, 0x14, 0x07, 0x6e, 0x65, 0x61, 0x72, 0x65,
    0x73, 0x74, 0x00, 0x15, 0x03, 0x6e, 0x65, 0x67, 0x00, 0x16, 0x08, 0x63,
    0x6f, 0x70, 0x79, 0x73, 0x69, 0x67, 0x6e, 0x00, 0x17, 0x0a, 0x75, 0x36,
    0x34, 0x5f, 0x74, 0x6f, 0x5f, 0x66, 0x33, 0x32, 0x00, 0x18, 0x03, 0x73,
    0x68, 0x6c, 0x00, 0x19, 0x06, 0x72, 0x6f, 0x74, 0x72, 0x36, 0x34, 0x00,
    0x1a, 0x10, 0x68, 0x6f, 0x73, 0x74, 0x5f, 0x74, 0x77, 0x69, 0x63, 0x65,
    0x5f, 0x70, 0x6c, 0x75, 0x73, 0x31, 0x00, 0x1b, 0x04, 0x73, 0x77, 0x61,
    0x70, 0x00, 0x1c, 0x05, 0x6d, 0x75, 0x6c, 0x74, 0x69, 0x00, 0x1d, 0x06,
    0x73, 0x77, 0x69, 0x74, 0x63, 0x68, 0x00, 0x1e, 0x03, 0x66, 0x61, 0x63,
    0x00, 0x1f, 0x09, 0x08, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x02, 0x01, 0x02,
    0x0a, 0xca, 0x02, 0x1f, 0x07, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x0b,
    0x04, 0x00, 0x41, 0x2a, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6d,
    0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6f, 0x0b, 0x07, 0x00, 0x20,
    0x00, 0x20, 0x01, 0x80, 0x0b, 0x05, 0x00, 0x20, 0x00, 0xa8, 0x0b, 0x05,
    0x00, 0x20, 0x00, 0xb1, 0x0b, 0x06, 0x00, 0x20, 0x00, 0xfc, 0x02, 0x0b,
    0x07, 0x00, 0x20, 0x00, 0x28, 0x02, 0x04, 0x0b, 0x0b, 0x00, 0x20, 0x00,
    0x2d, 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x0b, 0x09, 0x00, 0x20, 0x00,
    0x20, 0x01, 0x36, 0x02, 0x00, 0x0b, 0x0a, 0x00, 0x20, 0x00, 0x41, 0x06,
    0x6a, 0x28, 0x02, 0x02, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x41, 0x7e, 0x6a,
    0x20, 0x01, 0x3b, 0x01, 0x00, 0x0b, 0x06, 0x00, 0x20, 0x00, 0x40, 0x00,
    0x0b, 0x14, 0x00, 0x41, 0x01, 0x40, 0x00, 0x1a, 0x3f, 0x00, 0x41, 0x80,
    0x80, 0x04, 0x6c, 0x41, 0x04, 0x6b, 0x28, 0x02, 0x00, 0x0b, 0x0c, 0x00,
    0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfc, 0x0a, 0x00, 0x00, 0x0b, 0x0b,
    0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfc, 0x0b, 0x00, 0x0b, 0x09,
    0x00, 0x20, 0x00, 0x20, 0x01, 0x11, 0x00, 0x00, 0x0b, 0x07, 0x00, 0x20,
    0x00, 0x20, 0x01, 0x96, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0xa5,
    0x0b, 0x05, 0x00, 0x20, 0x00, 0x9e, 0x0b, 0x05, 0x00, 0x20, 0x00, 0x8c,
    0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0xa6, 0x0b, 0x05, 0x00, 0x20,
    0x00, 0xb5, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x74, 0x0b, 0x07,
    0x00, 0x20, 0x00, 0x20, 0x01, 0x8a, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x10,
    0x00, 0x41, 0x01, 0x6a, 0x0b, 0x06, 0x00, 0x20, 0x01, 0x20, 0x00, 0x0b,
    0x14, 0x00, 0x20, 0x00, 0x41, 0x0a, 0x02, 0x0e, 0x20, 0x00, 0x0d, 0x00,
    0x1a, 0x1a, 0x41, 0x01, 0x41, 0x02, 0x0b, 0x6b, 0x0b, 0x25, 0x00, 0x02,
    0x40, 0x02, 0x40, 0x02, 0x40, 0x02, 0x40, 0x20, 0x00, 0x0e, 0x03, 0x00,
    0x01, 0x02, 0x03, 0x0b, 0x41, 0xe4, 0x00, 0x0f, 0x0b, 0x41, 0xe5, 0x00,
    0x0f, 0x0b, 0x41, 0xe6, 0x00, 0x0f, 0x0b, 0x41, 0xe7, 0x00, 0x0b, 0x15,
    0x00, 0x20, 0x00, 0x50, 0x04, 0x7e, 0x42, 0x01, 0x05, 0x20, 0x00, 0x20,
    0x00, 0x42, 0x01, 0x7d, 0x10, 0x1f, 0x7e, 0x0b, 0x0b,
};
/* (module
 *   (import "m" "call_ind" (func $ci (param i32 i32) (result i32)))
 *   (import "m" "mem" (memory 1 3))
 *   (func (export "via_import") (param i32) (result i32) (call $ci (local.get 0) (i32.const 0)))
 *   (func (export "peek") (param i32) (result i32) (i32.load (local.get 0)))
 *   (func (export "grow_other") (result i32) (memory.grow (i32.const 1))))
 */
static const uint8_t client_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x10, 0x03, 0x60,
    0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00,
    0x01, 0x7f, 0x02, 0x18, 0x02, 0x01, 0x6d, 0x08, 0x63, 0x61, 0x6c, 0x6c,
    0x5f, 0x69, 0x6e, 0x64, 0x00, 0x00, 0x01, 0x6d, 0x03, 0x6d, 0x65, 0x6d,
    0x02, 0x01, 0x01, 0x03, 0x03, 0x04, 0x03, 0x01, 0x01, 0x02, 0x07, 0x22,
    0x03, 0x0a, 0x76, 0x69, 0x61, 0x5f, 0x69, 0x6d, 0x70, 0x6f, 0x72, 0x74,
    0x00, 0x01, 0x04, 0x70, 0x65, 0x65, 0x6b, 0x00, 0x02, 0x0a, 0x67, 0x72,
    0x6f, 0x77, 0x5f, 0x6f, 0x74, 0x68, 0x65, 0x72, 0x00, 0x03, 0x0a, 0x19,
    0x03, 0x08, 0x00, 0x20, 0x00, 0x41, 0x00, 0x10, 0x00, 0x0b, 0x07, 0x00,
    0x20, 0x00, 0x28, 0x02, 0x00, 0x0b, 0x06, 0x00, 0x41, 0x01, 0x40, 0x00,
    0x0b,
};

typedef struct world {
    wb_store *store;
    wb_instance *inst, *client;
    wb_func *shl; /* used by the host function, for a nested call */
    int host_calls;
} world;

/* host.twice(x) = x << 1, computed by calling back into wasm */
static int host_twice(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    world *w = user;
    w->host_calls++;
    wb_value a[2] = {{.type = WB_I32, .of.i32 = args[0].of.i32}, {.type = WB_I32, .of.i32 = 1}};
    wb_value r = {.type = WB_I32};
    if (wb_func_call(wb_call_store(call), w->shl, a, 2, &r, 1) != WB_OK)
        return wb_call_trap(call, "nested call failed");
    results[0] = r;
    return 0;
}

static wb_func *fn(wb_instance *inst, const char *name)
{
    wb_extern ext;
    if (!wb_instance_export(inst, name, strlen(name), &ext))
        fail_msg("no export %s", name);
    assert_int_equal(ext.kind, WB_EXTERN_FUNC);
    return ext.of.func;
}

static int setup(void **state)
{
    static world w;
    memset(&w, 0, sizeof w);
    w.store = wb_store_new(NULL);
    assert_non_null(w.store);
    wb_error err;
    wb_module *m = wb_module_load(w.store, interp_wasm, sizeof interp_wasm, &err);
    if (!m)
        fail_msg("load: %s", err.message);
    wb_type i32 = WB_I32;
    wb_functype ft = {1, 1, &i32, &i32};
    wb_extern imp = {.kind = WB_EXTERN_FUNC};
    imp.of.func = wb_func_new_host(w.store, &ft, host_twice, &w);
    assert_non_null(imp.of.func);
    w.inst = wb_instantiate(w.store, m, &imp, 1, &err);
    if (!w.inst)
        fail_msg("instantiate: %s", err.message);
    w.shl = fn(w.inst, "shl");

    wb_module *c = wb_module_load(w.store, client_wasm, sizeof client_wasm, &err);
    if (!c)
        fail_msg("load client: %s", err.message);
    wb_extern imps[2];
    assert_true(wb_instance_export(w.inst, "call_ind", 8, &imps[0]));
    assert_true(wb_instance_export(w.inst, "mem", 3, &imps[1]));
    w.client = wb_instantiate(w.store, c, imps, 2, &err);
    if (!w.client)
        fail_msg("instantiate client: %s", err.message);
    *state = &w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    wb_store_free(w->store);
    return 0;
}

static wb_value I32(int32_t v) { return (wb_value){.type = WB_I32, .of.i32 = v}; }
static wb_value I64(int64_t v) { return (wb_value){.type = WB_I64, .of.i64 = v}; }
static wb_value F32(float v) { return (wb_value){.type = WB_F32, .of.f32 = v}; }
static wb_value F64(double v) { return (wb_value){.type = WB_F64, .of.f64 = v}; }

static wb_value F32_BITS(uint32_t bits)
{
    wb_value v = {.type = WB_F32};
    memcpy(&v.of.f32, &bits, 4);
    return v;
}

static wb_value F64_BITS(uint64_t bits)
{
    wb_value v = {.type = WB_F64};
    memcpy(&v.of.f64, &bits, 8);
    return v;
}

static uint32_t bits32(wb_value v)
{
    uint32_t b;
    memcpy(&b, &v.of.f32, 4);
    return b;
}

static uint64_t bits64(wb_value v)
{
    uint64_t b;
    memcpy(&b, &v.of.f64, 8);
    return b;
}

/* Calls inst.name with up to 3 args and 1 result (nres 0 or 1). */
static wb_status call(world *w, wb_instance *inst, const char *name, wb_value *res, uint32_t nres,
                      uint32_t nargs, ...)
{
    wb_value args[3];
    va_list ap;
    va_start(ap, nargs);
    for (uint32_t i = 0; i < nargs; i++)
        args[i] = va_arg(ap, wb_value);
    va_end(ap);
    return wb_func_call(w->store, fn(inst, name), args, nargs, res, nres);
}

static void expect_trap(world *w, wb_status got, wb_status want, const char *text)
{
    assert_int_equal(got, want);
    assert_string_equal(wb_store_trap_message(w->store), text);
}

static void test_integer_traps(void **state)
{
    world *w = *state;
    wb_value r;
    expect_trap(w, call(w, w->inst, "div_s", &r, 1, 2, I32(1), I32(0)), WB_TRAP_DIV_ZERO,
                "integer divide by zero");
    expect_trap(w, call(w, w->inst, "div_s", &r, 1, 2, I32(INT32_MIN), I32(-1)), WB_TRAP_INT_OVERFLOW,
                "integer overflow");
    assert_int_equal(call(w, w->inst, "div_s", &r, 1, 2, I32(-7), I32(2)), WB_OK);
    assert_int_equal(r.of.i32, -3);
    /* rem_s of INT_MIN by -1 is 0, not a trap */
    assert_int_equal(call(w, w->inst, "rem_s", &r, 1, 2, I32(INT32_MIN), I32(-1)), WB_OK);
    assert_int_equal(r.of.i32, 0);
    assert_int_equal(call(w, w->inst, "rem_s", &r, 1, 2, I32(-7), I32(2)), WB_OK);
    assert_int_equal(r.of.i32, -1);
    expect_trap(w, call(w, w->inst, "div_u64", &r, 1, 2, I64(5), I64(0)), WB_TRAP_DIV_ZERO,
                "integer divide by zero");
    assert_int_equal(call(w, w->inst, "div_u64", &r, 1, 2, I64(-1), I64(2)), WB_OK);
    assert_int_equal((uint64_t)r.of.i64, UINT64_MAX / 2);
    assert_int_equal(call(w, w->inst, "shl", &r, 1, 2, I32(1), I32(33)), WB_OK);
    assert_int_equal(r.of.i32, 2);
    assert_int_equal(call(w, w->inst, "rotr64", &r, 1, 2, I64(1), I64(65)), WB_OK);
    assert_int_equal((uint64_t)r.of.i64, 0x8000000000000000ull);
}

static void test_conversions(void **state)
{
    world *w = *state;
    wb_value r;
    expect_trap(w, call(w, w->inst, "trunc_f32_s", &r, 1, 1, F32(NAN)), WB_TRAP_INVALID_CONVERSION,
                "invalid conversion to integer");
    expect_trap(w, call(w, w->inst, "trunc_f32_s", &r, 1, 1, F32(2147483648.0f)), WB_TRAP_INT_OVERFLOW,
                "integer overflow");
    assert_int_equal(call(w, w->inst, "trunc_f32_s", &r, 1, 1, F32(-2147483648.0f)), WB_OK);
    assert_int_equal(r.of.i32, INT32_MIN);
    assert_int_equal(call(w, w->inst, "trunc_f32_s", &r, 1, 1, F32(-1.9f)), WB_OK);
    assert_int_equal(r.of.i32, -1);
    /* unsigned: (-1, 0) truncates to 0, -1 itself overflows */
    assert_int_equal(call(w, w->inst, "trunc_f64_u", &r, 1, 1, F64(-0.99)), WB_OK);
    assert_int_equal(r.of.i64, 0);
    expect_trap(w, call(w, w->inst, "trunc_f64_u", &r, 1, 1, F64(-1.0)), WB_TRAP_INT_OVERFLOW,
                "integer overflow");
    expect_trap(w, call(w, w->inst, "trunc_f64_u", &r, 1, 1, F64(18446744073709551616.0)),
                WB_TRAP_INT_OVERFLOW, "integer overflow");
    assert_int_equal(call(w, w->inst, "trunc_f64_u", &r, 1, 1, F64(18446744073709549568.0)), WB_OK);
    assert_int_equal((uint64_t)r.of.i64, 18446744073709549568ull);
    /* saturating */
    assert_int_equal(call(w, w->inst, "sat_f64_s", &r, 1, 1, F64(1e300)), WB_OK);
    assert_int_equal(r.of.i32, INT32_MAX);
    assert_int_equal(call(w, w->inst, "sat_f64_s", &r, 1, 1, F64(-1e300)), WB_OK);
    assert_int_equal(r.of.i32, INT32_MIN);
    assert_int_equal(call(w, w->inst, "sat_f64_s", &r, 1, 1, F64(NAN)), WB_OK);
    assert_int_equal(r.of.i32, 0);
    /* u64 -> f32 correctly rounded: 2^63 + 2^39 + 1 lies just above the
     * halfway point, so it rounds up; going through double would round to
     * the halfway point first and then to even (down). */
    assert_int_equal(call(w, w->inst, "u64_to_f32", &r, 1, 1, I64((int64_t)0x8000008000000001ull)), WB_OK);
    assert_int_equal(bits32(r), 0x5f000001u);
    assert_int_equal(call(w, w->inst, "u64_to_f32", &r, 1, 1, I64(-1)), WB_OK);
    assert_true(r.of.f32 == 18446744073709551616.0f);
}

static void test_float_edges(void **state)
{
    world *w = *state;
    wb_value r;
    assert_int_equal(call(w, w->inst, "min", &r, 1, 2, F32(0.0f), F32(-0.0f)), WB_OK);
    assert_int_equal(bits32(r), 0x80000000u);
    assert_int_equal(call(w, w->inst, "min", &r, 1, 2, F32(-0.0f), F32(0.0f)), WB_OK);
    assert_int_equal(bits32(r), 0x80000000u);
    assert_int_equal(call(w, w->inst, "min", &r, 1, 2, F32(1.0f), F32(NAN)), WB_OK);
    assert_true(isnan(r.of.f32));
    assert_int_equal(call(w, w->inst, "max64", &r, 1, 2, F64(-0.0), F64(0.0)), WB_OK);
    assert_int_equal(bits64(r), 0);
    assert_int_equal(call(w, w->inst, "max64", &r, 1, 2, F64(NAN), F64(1.0)), WB_OK);
    assert_true(isnan(r.of.f64));
    /* nearest: ties to even */
    static const double in[] = {2.5, 3.5, -0.5, -1.5, 0.49999999999999994, 4503599627370497.0};
    static const double out[] = {2.0, 4.0, -0.0, -2.0, 0.0, 4503599627370497.0};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        assert_int_equal(call(w, w->inst, "nearest", &r, 1, 1, F64(in[i])), WB_OK);
        assert_int_equal(bits64(r), bits64(F64(out[i])));
    }
    /* neg and copysign keep NaN payloads bit for bit */
    assert_int_equal(call(w, w->inst, "neg", &r, 1, 1, F32_BITS(0x7fa00001u)), WB_OK);
    assert_int_equal(bits32(r), 0xffa00001u);
    assert_int_equal(call(w, w->inst, "copysign", &r, 1, 2, F64_BITS(0x7ff0000000000123ull), F64(-1.0)),
                     WB_OK);
    assert_int_equal(bits64(r), 0xfff0000000000123ull);
}

static void test_memory_bounds(void **state)
{
    world *w = *state;
    wb_value r;
    /* i32.load offset=4: the last 4 bytes of page 0 are at 65532 */
    assert_int_equal(call(w, w->inst, "store", NULL, 0, 2, I32(65532), I32(0x11223344)), WB_OK);
    assert_int_equal(call(w, w->inst, "load", &r, 1, 1, I32(65528)), WB_OK);
    assert_int_equal(r.of.i32, 0x11223344);
    expect_trap(w, call(w, w->inst, "load", &r, 1, 1, I32(65529)), WB_TRAP_MEMORY_OOB,
                "out of bounds memory access");
    expect_trap(w, call(w, w->inst, "store", NULL, 0, 2, I32(65533), I32(1)), WB_TRAP_MEMORY_OOB,
                "out of bounds memory access");
    /* address + offset is computed in 64 bits: no wrap-around to low memory */
    expect_trap(w, call(w, w->inst, "load_max_offset", &r, 1, 1, I32(1)), WB_TRAP_MEMORY_OOB,
                "out of bounds memory access");
    expect_trap(w, call(w, w->inst, "load", &r, 1, 1, I32(-4)), WB_TRAP_MEMORY_OOB,
                "out of bounds memory access");

    /* an i32.add with a constant feeding the address (fused by the
     * translator) wraps at 32 bits, then the offset is added in 64 bits */
    assert_int_equal(call(w, w->inst, "store", NULL, 0, 2, I32(2), I32(0x55667788)), WB_OK);
    assert_int_equal(call(w, w->inst, "load_add", &r, 1, 1, I32(-6)), WB_OK); /* (-6 + 6) + 2 */
    assert_int_equal(r.of.i32, 0x55667788);
    expect_trap(w, call(w, w->inst, "load_add", &r, 1, 1, I32(-8)), WB_TRAP_MEMORY_OOB,
                "out of bounds memory access"); /* 0xFFFFFFFE + 2 does not wrap */
    assert_int_equal(call(w, w->inst, "load_add", &r, 1, 1, I32(65524)), WB_OK);
    assert_int_equal(r.of.i32, 0x11223344);
    expect_trap(w, call(w, w->inst, "load_add", &r, 1, 1, I32(65525)), WB_TRAP_MEMORY_OOB,
                "out of bounds memory access");
    assert_int_equal(call(w, w->inst, "store_add", NULL, 0, 2, I32(4), I32(0xBEEF)), WB_OK);
    assert_int_equal(call(w, w->inst, "load_add", &r, 1, 1, I32(-6)), WB_OK);
    assert_int_equal((uint32_t)r.of.i32, 0x5566BEEFu);
    expect_trap(w, call(w, w->inst, "store_add", NULL, 0, 2, I32(65537), I32(1)), WB_TRAP_MEMORY_OOB,
                "out of bounds memory access");
    expect_trap(w, call(w, w->inst, "store_add", NULL, 0, 2, I32(1), I32(1)), WB_TRAP_MEMORY_OOB,
                "out of bounds memory access"); /* 1 - 2 wraps to 0xFFFFFFFF */

    /* fill and copy check bounds before writing anything */
    uint8_t before[4], after[4];
    wb_extern mem;
    assert_true(wb_instance_export(w->inst, "mem", 3, &mem));
    uint64_t size = wb_memory_size(mem.of.memory);
    assert_true(wb_memory_read(mem.of.memory, size - 4, before, 4));
    expect_trap(w, call(w, w->inst, "fill", NULL, 0, 3, I32((int32_t)(size - 4)), I32(0xAB), I32(5)),
                WB_TRAP_MEMORY_OOB, "out of bounds memory access");
    assert_true(wb_memory_read(mem.of.memory, size - 4, after, 4));
    assert_memory_equal(before, after, 4);

    /* overlapping copy behaves like memmove, both directions */
    const uint8_t pattern[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    assert_true(wb_memory_write(mem.of.memory, 100, pattern, 8));
    assert_int_equal(call(w, w->inst, "copy", NULL, 0, 3, I32(102), I32(100), I32(6)), WB_OK);
    uint8_t got[8];
    assert_true(wb_memory_read(mem.of.memory, 100, got, 8));
    const uint8_t want_up[8] = {1, 2, 1, 2, 3, 4, 5, 6};
    assert_memory_equal(got, want_up, 8);
    assert_int_equal(call(w, w->inst, "copy", NULL, 0, 3, I32(100), I32(101), I32(7)), WB_OK);
    assert_true(wb_memory_read(mem.of.memory, 100, got, 8));
    const uint8_t want_down[8] = {2, 1, 2, 3, 4, 5, 6, 6};
    assert_memory_equal(got, want_down, 8);
    expect_trap(w, call(w, w->inst, "copy", NULL, 0, 3, I32(0), I32((int32_t)size - 2), I32(3)),
                WB_TRAP_MEMORY_OOB, "out of bounds memory access");
}

static void test_memory_grow(void **state)
{
    world *w = *state;
    wb_value r;
    wb_extern mem;
    assert_true(wb_instance_export(w->inst, "mem", 3, &mem));
    uint64_t pages = wb_memory_size(mem.of.memory) / 65536;
    /* the maximum is 3 pages: a larger request is refused with -1 */
    assert_int_equal(call(w, w->inst, "grow", &r, 1, 1, I32(3)), WB_OK);
    assert_int_equal(r.of.i32, -1);
    assert_int_equal(pages, 1);
    /* grows, then reads the new last word: the interpreter must have
     * reloaded the memory size after memory.grow */
    assert_int_equal(call(w, w->inst, "grow_then_load", &r, 1, 0), WB_OK);
    assert_int_equal(r.of.i32, 0);
    assert_int_equal(wb_memory_size(mem.of.memory), 2 * 65536);
    /* the other instance grows the shared memory: this one sees it */
    assert_int_equal(call(w, w->client, "grow_other", &r, 1, 0), WB_OK);
    assert_int_equal(r.of.i32, 2);
    assert_int_equal(call(w, w->inst, "grow", &r, 1, 1, I32(0)), WB_OK);
    assert_int_equal(r.of.i32, 3);
}

static void test_call_indirect(void **state)
{
    world *w = *state;
    wb_value r;
    assert_int_equal(call(w, w->inst, "call_ind", &r, 1, 2, I32(5), I32(0)), WB_OK);
    assert_int_equal(r.of.i32, 6);
    expect_trap(w, call(w, w->inst, "call_ind", &r, 1, 2, I32(5), I32(1)), WB_TRAP_INDIRECT_MISMATCH,
                "indirect call type mismatch");
    /* the spec's text names the element (bulk.wast) */
    expect_trap(w, call(w, w->inst, "call_ind", &r, 1, 2, I32(5), I32(2)), WB_TRAP_UNINITIALIZED_ELEMENT,
                "uninitialized element 2");
    expect_trap(w, call(w, w->inst, "call_ind", &r, 1, 2, I32(5), I32(3)), WB_TRAP_UNDEFINED_ELEMENT,
                "undefined element");
    expect_trap(w, call(w, w->inst, "call_ind", &r, 1, 2, I32(5), I32(-1)), WB_TRAP_UNDEFINED_ELEMENT,
                "undefined element");
}

static void test_control_flow(void **state)
{
    world *w = *state;
    wb_value r;
    static const int32_t want[] = {100, 101, 102, 103, 103, 103};
    for (int32_t i = 0; i < 6; i++) {
        assert_int_equal(call(w, w->inst, "switch", &r, 1, 1, I32(i)), WB_OK);
        assert_int_equal(r.of.i32, want[i]);
    }
    assert_int_equal(call(w, w->inst, "multi", &r, 1, 1, I32(1)), WB_OK);
    assert_int_equal(r.of.i32, -9);
    assert_int_equal(call(w, w->inst, "multi", &r, 1, 1, I32(0)), WB_OK);
    assert_int_equal(r.of.i32, -1);
    wb_value two[2];
    wb_value args[2] = {I32(1), I32(2)};
    assert_int_equal(wb_func_call(w->store, fn(w->inst, "swap"), args, 2, two, 2), WB_OK);
    assert_int_equal(two[0].of.i32, 2);
    assert_int_equal(two[1].of.i32, 1);
    assert_int_equal(call(w, w->inst, "fac", &r, 1, 1, I64(20)), WB_OK);
    assert_int_equal(r.of.i64, 2432902008176640000ll);
}

static void test_host_and_nested_calls(void **state)
{
    world *w = *state;
    wb_value r;
    int before = w->host_calls;
    assert_int_equal(call(w, w->inst, "host_twice_plus1", &r, 1, 1, I32(20)), WB_OK);
    assert_int_equal(r.of.i32, 41);
    assert_int_equal(w->host_calls, before + 1);
    /* a trap inside a nested run is reported by the host, and the outer run
     * ends cleanly; the store still works afterwards */
    assert_int_equal(call(w, w->inst, "div_s", &r, 1, 2, I32(9), I32(3)), WB_OK);
    assert_int_equal(r.of.i32, 3);
}

static void test_cross_instance(void **state)
{
    world *w = *state;
    wb_value r;
    /* the client calls an imported function of the other instance, which
     * itself uses its own table */
    assert_int_equal(call(w, w->client, "via_import", &r, 1, 1, I32(7)), WB_OK);
    assert_int_equal(r.of.i32, 8);
    /* shared memory: a store in one instance is seen by the other */
    assert_int_equal(call(w, w->inst, "store", NULL, 0, 2, I32(200), I32(1234)), WB_OK);
    assert_int_equal(call(w, w->client, "peek", &r, 1, 1, I32(200)), WB_OK);
    assert_int_equal(r.of.i32, 1234);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integer_traps),
        cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_float_edges),
        cmocka_unit_test(test_memory_bounds),
        cmocka_unit_test(test_memory_grow),
        cmocka_unit_test(test_call_indirect),
        cmocka_unit_test(test_control_flow),
        cmocka_unit_test(test_host_and_nested_calls),
        cmocka_unit_test(test_cross_instance),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
