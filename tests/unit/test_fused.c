/* The translator's fused and specialised forms (vm/README.md "Execution
 * design"): i64 compare-and-branch (both branch senses, and the loop form),
 * loads/stores whose address is the i32.add of two slots (32-bit wrap, then
 * the offset, then the bounds check), an i32.add of a constant left pending
 * until a load/store uses it as its address, pairs of ops fused into one
 * (multiply-add, add3, xor3, rotate-xor, and-add, xor-add; f64 multiply-add
 * without FMA rounding), rotates by a constant, and dropped
 * zero writes to locals at function entry. Each result is computed by hand
 * from the wasm semantics. Module (wat2wasm, embedded below):
 *
 * (module
 *   (memory 1)
 *   (data (i32.const 0) "\01\02\03\04\05\06\07\08")
 *   (func (export "br64") (param i64 i64) (result i32)
 *     (local i32)
 *     (block (br_if 0 (i64.lt_s (local.get 0) (local.get 1))) (local.set 2 (i32.or (local.get 2) (i32.const 1))))
 *     (block (br_if 0 (i64.lt_u (local.get 0) (local.get 1))) (local.set 2 (i32.or (local.get 2) (i32.const 2))))
 *     (block (br_if 0 (i64.ge_s (local.get 0) (local.get 1))) (local.set 2 (i32.or (local.get 2) (i32.const 4))))
 *     (block (br_if 0 (i64.gt_u (local.get 0) (local.get 1))) (local.set 2 (i32.or (local.get 2) (i32.const 8))))
 *     (block (br_if 0 (i64.eq (local.get 0) (local.get 1))) (local.set 2 (i32.or (local.get 2) (i32.const 16))))
 *     (block (br_if 0 (i64.eqz (local.get 0))) (local.set 2 (i32.or (local.get 2) (i32.const 32))))
 *     (if (i64.le_s (local.get 0) (local.get 1)) (then (local.set 2 (i32.or (local.get 2) (i32.const 64)))))
 *     (if (i64.ne (local.get 0) (local.get 1)) (then (local.set 2 (i32.or (local.get 2) (i32.const 128)))))
 *     (if (i64.eqz (local.get 1)) (then (local.set 2 (i32.or (local.get 2) (i32.const 256)))))
 *     (local.get 2))
 *   (func (export "count64") (param i64) (result i64)
 *     (local i64)
 *     (loop (local.set 1 (i64.add (local.get 1) (i64.const 1)))
 *           (br_if 0 (i64.lt_u (local.get 1) (local.get 0))))
 *     (local.get 1))
 *   (func (export "load_xy") (param i32 i32) (result i32)
 *     (i32.load8_u offset=1 (i32.add (local.get 0) (local.get 1))))
 *   (func (export "store_xy") (param i32 i32 i32)
 *     (i32.store8 (i32.add (local.get 0) (local.get 1)) (local.get 2)))
 *   (func (export "rot") (param i32) (result i32)
 *     (i32.xor (i32.rotl (local.get 0) (i32.const 8)) (i32.rotr (local.get 0) (i32.const 4))))
 *   (func (export "entry_zero") (param i32) (result i32)
 *     (local i32 i32)
 *     (local.set 1 (i32.const 0))
 *     (local.set 2 (i32.const 0))
 *     (local.set 1 (i32.add (local.get 1) (local.get 0)))
 *     (local.set 2 (i32.const 0))
 *     (i32.add (local.get 1) (local.get 2)))
 *   (func (export "store_swapped") (param i32 i32) (result i32)
 *     (i32.store (i32.add (i32.const 8) (i32.mul (local.get 0) (i32.const 4)))
 *                (i32.add (local.get 1) (local.get 1)))
 *     (i32.load offset=8 (i32.mul (local.get 0) (i32.const 4))))
 *   (func (export "pending_local") (param i32) (result i32)
 *     (local.get 0) (i32.const 2) (i32.add)
 *     (local.set 0 (i32.const 100))
 *     (i32.load8_u))
 *   (func (export "madd") (param i32 i32 i32) (result i32)
 *     (i32.add (i32.mul (local.get 0) (local.get 1)) (local.get 2))
 *     (i32.add (local.get 2) (i32.mul (local.get 0) (local.get 1)))
 *     (i32.add (i32.const 7) (i32.mul (local.get 0) (local.get 0)))
 *     (i32.xor) (i32.xor))
 *   (func (export "fmadd") (param f64 f64 f64) (result f64 f64 f64)
 *     (f64.add (f64.mul (local.get 0) (local.get 1)) (local.get 2))
 *     (f64.sub (f64.mul (local.get 0) (local.get 1)) (local.get 2))
 *     (f64.sub (local.get 2) (f64.mul (local.get 0) (local.get 1))))
 *   (func (export "pairs") (param i32 i32 i32) (result i32 i32 i32 i32 i32 i32)
 *     (i32.add (i32.add (local.get 0) (local.get 1)) (local.get 2))
 *     (i32.add (local.get 2) (i32.add (local.get 0) (local.get 1)))
 *     (i32.xor (i32.xor (local.get 0) (local.get 1)) (local.get 2))
 *     (i32.xor (local.get 2) (i32.rotl (local.get 0) (i32.const 13)))
 *     (i32.add (i32.and (local.get 0) (local.get 1)) (local.get 2))
 *     (i32.add (local.get 2) (i32.xor (local.get 0) (local.get 1)))))
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../vm/vm.h"

static const uint8_t fused_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x39, 0x08, 0x60,
    0x02, 0x7e, 0x7e, 0x01, 0x7f, 0x60, 0x01, 0x7e, 0x01, 0x7e, 0x60, 0x02,
    0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x00, 0x60, 0x01,
    0x7f, 0x01, 0x7f, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x03,
    0x7c, 0x7c, 0x7c, 0x03, 0x7c, 0x7c, 0x7c, 0x60, 0x03, 0x7f, 0x7f, 0x7f,
    0x06, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x03, 0x0c, 0x0b, 0x00, 0x01,
    0x02, 0x03, 0x04, 0x04, 0x02, 0x04, 0x05, 0x06, 0x07, 0x05, 0x03, 0x01,
    0x00, 0x01, 0x07, 0x71, 0x0b, 0x04, 0x62, 0x72, 0x36, 0x34, 0x00, 0x00,
    0x07, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x36, 0x34, 0x00, 0x01, 0x07, 0x6c,
    0x6f, 0x61, 0x64, 0x5f, 0x78, 0x79, 0x00, 0x02, 0x08, 0x73, 0x74, 0x6f,
    0x72, 0x65, 0x5f, 0x78, 0x79, 0x00, 0x03, 0x03, 0x72, 0x6f, 0x74, 0x00,
    0x04, 0x0a, 0x65, 0x6e, 0x74, 0x72, 0x79, 0x5f, 0x7a, 0x65, 0x72, 0x6f,
    0x00, 0x05, 0x0d, 0x73, 0x74, 0x6f, 0x72, 0x65, 0x5f, 0x73, 0x77, 0x61,
    0x70, 0x70, 0x65, 0x64, 0x00, 0x06, 0x0d, 0x70, 0x65, 0x6e, 0x64, 0x69,
    0x6e, 0x67, 0x5f, 0x6c, 0x6f, 0x63, 0x61, 0x6c, 0x00, 0x07, 0x04, 0x6d,
    0x61, 0x64, 0x64, 0x00, 0x08, 0x05, 0x66, 0x6d, 0x61, 0x64, 0x64, 0x00,
    0x09, 0x05, 0x70, 0x61, 0x69, 0x72, 0x73, 0x00, 0x0a, 0x0a, 0x8c, 0x03,
    0x0b, 0x98, 0x01, 0x01, 0x01, 0x7f, 0x02, 0x40, 0x20, 0x00, 0x20, 0x01,
    0x53, 0x0d, 0x00, 0x20, 0x02, 0x41, 0x01, 0x72, 0x21, 0x02, 0x0b, 0x02,
    0x40, 0x20, 0x00, 0x20, 0x01, 0x54, 0x0d, 0x00, 0x20, 0x02, 0x41, 0x02,
    0x72, 0x21, 0x02, 0x0b, 0x02, 0x40, 0x20, 0x00, 0x20, 0x01, 0x59, 0x0d,
    0x00, 0x20, 0x02, 0x41, 0x04, 0x72, 0x21, 0x02, 0x0b, 0x02, 0x40, 0x20,
    0x00, 0x20, 0x01, 0x56, 0x0d, 0x00, 0x20, 0x02, 0x41, 0x08, 0x72, 0x21,
    0x02, 0x0b, 0x02, 0x40, 0x20, 0x00, 0x20, 0x01, 0x51, 0x0d, 0x00, 0x20,
    0x02, 0x41, 0x10, 0x72, 0x21, 0x02, 0x0b, 0x02, 0x40, 0x20, 0x00, 0x50,
    0x0d, 0x00, 0x20, 0x02, 0x41, 0x20, 0x72, 0x21, 0x02, 0x0b, 0x20, 0x00,
    0x20, 0x01, 0x57, 0x04, 0x40, 0x20, 0x02, 0x41, 0xc0, 0x00, 0x72, 0x21,
    0x02, 0x0b, 0x20, 0x00, 0x20, 0x01, 0x52, 0x04, 0x40, 0x20, 0x02, 0x41,
    0x80, 0x01, 0x72, 0x21, 0x02, 0x0b, 0x20, 0x01, 0x50, 0x04, 0x40, 0x20,
    0x02, 0x41, 0x80, 0x02, 0x72, 0x21, 0x02, 0x0b, 0x20, 0x02, 0x0b, 0x17,
    0x01, 0x01, 0x7e, 0x03, 0x40, 0x20, 0x01, 0x42, 0x01, 0x7c, 0x21, 0x01,
    0x20, 0x01, 0x20, 0x00, 0x54, 0x0d, 0x00, 0x0b, 0x20, 0x01, 0x0b, 0x0a,
    0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x2d, 0x00, 0x01, 0x0b, 0x0c, 0x00,
    0x20, 0x00, 0x20, 0x01, 0x6a, 0x20, 0x02, 0x3a, 0x00, 0x00, 0x0b, 0x0d,
    0x00, 0x20, 0x00, 0x41, 0x08, 0x77, 0x20, 0x00, 0x41, 0x04, 0x78, 0x73,
    0x0b, 0x1c, 0x01, 0x02, 0x7f, 0x41, 0x00, 0x21, 0x01, 0x41, 0x00, 0x21,
    0x02, 0x20, 0x01, 0x20, 0x00, 0x6a, 0x21, 0x01, 0x41, 0x00, 0x21, 0x02,
    0x20, 0x01, 0x20, 0x02, 0x6a, 0x0b, 0x1a, 0x00, 0x41, 0x08, 0x20, 0x00,
    0x41, 0x04, 0x6c, 0x6a, 0x20, 0x01, 0x20, 0x01, 0x6a, 0x36, 0x02, 0x00,
    0x20, 0x00, 0x41, 0x04, 0x6c, 0x28, 0x02, 0x08, 0x0b, 0x0f, 0x00, 0x20,
    0x00, 0x41, 0x02, 0x6a, 0x41, 0xe4, 0x00, 0x21, 0x00, 0x2d, 0x00, 0x00,
    0x0b, 0x1c, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6c, 0x20, 0x02, 0x6a, 0x20,
    0x02, 0x20, 0x00, 0x20, 0x01, 0x6c, 0x6a, 0x41, 0x07, 0x20, 0x00, 0x20,
    0x00, 0x6c, 0x6a, 0x73, 0x73, 0x0b, 0x1a, 0x00, 0x20, 0x00, 0x20, 0x01,
    0xa2, 0x20, 0x02, 0xa0, 0x20, 0x00, 0x20, 0x01, 0xa2, 0x20, 0x02, 0xa1,
    0x20, 0x02, 0x20, 0x00, 0x20, 0x01, 0xa2, 0xa1, 0x0b, 0x32, 0x00, 0x20,
    0x00, 0x20, 0x01, 0x6a, 0x20, 0x02, 0x6a, 0x20, 0x02, 0x20, 0x00, 0x20,
    0x01, 0x6a, 0x6a, 0x20, 0x00, 0x20, 0x01, 0x73, 0x20, 0x02, 0x73, 0x20,
    0x02, 0x20, 0x00, 0x41, 0x0d, 0x77, 0x73, 0x20, 0x00, 0x20, 0x01, 0x71,
    0x20, 0x02, 0x6a, 0x20, 0x02, 0x20, 0x00, 0x20, 0x01, 0x73, 0x6a, 0x0b,
    0x0b, 0x0e, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x08, 0x01, 0x02, 0x03, 0x04,
    0x05, 0x06, 0x07, 0x08,
};

typedef struct fixture {
    wb_store *store;
    wb_instance *inst;
} fixture;

static void load(fixture *fx)
{
    fx->store = wb_store_new(NULL);
    assert_non_null(fx->store);
    wb_error err;
    wb_module *m = wb_module_load(fx->store, fused_wasm, sizeof fused_wasm, &err);
    if (!m)
        fail_msg("load: %s", err.message);
    fx->inst = wb_instantiate(fx->store, m, NULL, 0, &err);
    if (!fx->inst)
        fail_msg("instantiate: %s", err.message);
}

static wb_status call(fixture *fx, const char *name, const wb_value *args, uint32_t nargs, wb_value *result)
{
    wb_extern ext;
    assert_true(wb_instance_export(fx->inst, name, strlen(name), &ext));
    assert_int_equal(ext.kind, WB_EXTERN_FUNC);
    return wb_func_call(fx->store, ext.of.func, args, nargs, result, result ? 1 : 0);
}

static wb_value i32(int32_t v) { return (wb_value){.type = WB_I32, .of.i32 = v}; }
static wb_value i64(int64_t v) { return (wb_value){.type = WB_I64, .of.i64 = v}; }

/* The bits br64 sets for (a, b), straight from the comparisons. */
static int32_t expect_br64(int64_t a, int64_t b)
{
    uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
    int32_t r = 0;
    r |= !(a < b) ? 1 : 0;
    r |= !(ua < ub) ? 2 : 0;
    r |= !(a >= b) ? 4 : 0;
    r |= !(ua > ub) ? 8 : 0;
    r |= a != b ? 16 : 0;
    r |= a != 0 ? 32 : 0;
    r |= a <= b ? 64 : 0;
    r |= a != b ? 128 : 0;
    r |= b == 0 ? 256 : 0;
    return r;
}

static void test_i64_compare_branch(void **state)
{
    (void)state;
    static const int64_t pairs[][2] = {
        {-1, 1}, {1, -1}, {0, 0}, {5, 5}, {4294967296LL, 1}, {-4294967296LL, 0},
        {INT64_MIN, INT64_MAX}, {INT64_MAX, INT64_MIN}, {0, -1}, {1LL << 32, 1LL << 32 | 1},
    };
    fixture fx;
    load(&fx);
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        wb_value args[2] = {i64(pairs[i][0]), i64(pairs[i][1])}, r;
        assert_int_equal(call(&fx, "br64", args, 2, &r), WB_OK);
        assert_int_equal(r.of.i32, expect_br64(pairs[i][0], pairs[i][1]));
    }
    wb_store_free(fx.store);
}

/* loop 1, 8 per iteration, the loop's end, local.get, end: 8n + 4; the
 * back-edge (an i64 compare-and-branch to a loop head) charges the head. */
static void test_i64_loop_fuel(void **state)
{
    (void)state;
    static const int64_t ns[] = {1, 2, 10, 1000, 4294967297LL % 5000};
    fixture fx;
    load(&fx);
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        wb_store_set_fuel(fx.store, 1000000);
        wb_value arg = i64(ns[i]), r;
        assert_int_equal(call(&fx, "count64", &arg, 1, &r), WB_OK);
        assert_int_equal(r.of.i64, ns[i]);
        assert_int_equal(wb_store_fuel_used(fx.store), 8 * (uint64_t)ns[i] + 4);
    }
    /* exactly enough, then one short: the run stops before the last stretch */
    wb_store_set_fuel(fx.store, 8 * 10 + 4);
    wb_value arg = i64(10), r;
    assert_int_equal(call(&fx, "count64", &arg, 1, &r), WB_OK);
    wb_store_set_fuel(fx.store, 8 * 10 + 3);
    assert_int_equal(call(&fx, "count64", &arg, 1, &r), WB_TRAP_OUT_OF_FUEL);
    wb_store_free(fx.store);
}

static void test_two_slot_address(void **state)
{
    (void)state;
    fixture fx;
    load(&fx);
    wb_value r;
    /* 0xFFFFFFFF + 2 wraps to 1, then offset 1: byte 2 holds 3 */
    wb_value a1[2] = {i32(-1), i32(2)};
    assert_int_equal(call(&fx, "load_xy", a1, 2, &r), WB_OK);
    assert_int_equal(r.of.i32, 3);
    wb_value a2[2] = {i32(3), i32(2)};
    assert_int_equal(call(&fx, "load_xy", a2, 2, &r), WB_OK);
    assert_int_equal(r.of.i32, 7); /* byte 6 */
    /* 3 + 65532 + 1 = 65536: one past the end of the page */
    wb_value a3[2] = {i32(3), i32(65532)};
    assert_int_equal(call(&fx, "load_xy", a3, 2, &r), WB_TRAP_MEMORY_OOB);
    wb_value a4[2] = {i32(3), i32(65531)};
    assert_int_equal(call(&fx, "load_xy", a4, 2, &r), WB_OK);
    assert_int_equal(r.of.i32, 0);
    /* store at (0x80000000 + 0x80000005) mod 2^32 = 5, then read it back */
    wb_value s1[3] = {i32(INT32_MIN), i32((int32_t)0x80000005u), i32(0x1AB)};
    assert_int_equal(call(&fx, "store_xy", s1, 3, NULL), WB_OK);
    wb_value a5[2] = {i32(2), i32(2)};
    assert_int_equal(call(&fx, "load_xy", a5, 2, &r), WB_OK);
    assert_int_equal(r.of.i32, 0xAB);
    wb_value s2[3] = {i32(65535), i32(1), i32(0)};
    assert_int_equal(call(&fx, "store_xy", s2, 3, NULL), WB_TRAP_MEMORY_OOB);
    wb_store_free(fx.store);
}

static void test_rotate_constant(void **state)
{
    (void)state;
    fixture fx;
    load(&fx);
    uint32_t x = 0x12345678u;
    uint32_t want = ((x << 8) | (x >> 24)) ^ ((x >> 4) | (x << 28));
    wb_value arg = i32((int32_t)x), r;
    assert_int_equal(call(&fx, "rot", &arg, 1, &r), WB_OK);
    assert_int_equal((uint32_t)r.of.i32, want);
    wb_store_free(fx.store);
}

/* The two entry zero writes are dropped, the later one is kept; either way
 * every instruction of the body is still charged: 14. */
static void test_entry_zero_writes(void **state)
{
    (void)state;
    fixture fx;
    load(&fx);
    wb_store_set_fuel(fx.store, 1000);
    wb_value arg = i32(7), r;
    assert_int_equal(call(&fx, "entry_zero", &arg, 1, &r), WB_OK);
    assert_int_equal(r.of.i32, 7);
    assert_int_equal(wb_store_fuel_used(fx.store), 14);
    wb_store_free(fx.store);
}

/* A pending x + K must be computed before anything overwrites x: the home
 * slot of the height above (constant first, swapped) or the local itself. */
static void test_pending_address(void **state)
{
    (void)state;
    fixture fx;
    load(&fx);
    wb_value args[2] = {i32(3), i32(21)}, r;
    assert_int_equal(call(&fx, "store_swapped", args, 2, &r), WB_OK);
    assert_int_equal(r.of.i32, 42);
    wb_value arg = i32(1);
    assert_int_equal(call(&fx, "pending_local", &arg, 1, &r), WB_OK);
    assert_int_equal(r.of.i32, 4); /* byte 3 */
    arg = i32(65534);
    assert_int_equal(call(&fx, "pending_local", &arg, 1, &r), WB_TRAP_MEMORY_OOB);
    wb_store_free(fx.store);
}

/* i32.mul feeding i32.add (either operand, a constant addend): one MADD,
 * wrapping mod 2^32 like the two instructions. */
static void test_multiply_add(void **state)
{
    (void)state;
    fixture fx;
    load(&fx);
    uint32_t a = 100000, b = 70000, c = 5;
    uint32_t want = (a * b + c) ^ (c + a * b) ^ (7 + a * a);
    wb_value args[3] = {i32((int32_t)a), i32((int32_t)b), i32((int32_t)c)}, r;
    assert_int_equal(call(&fx, "madd", args, 3, &r), WB_OK);
    assert_int_equal((uint32_t)r.of.i32, want);
    wb_store_free(fx.store);
}

/* f64.mul feeding f64.add/sub: the product is rounded before the add, as
 * two instructions would (an FMA would not round it). (1 + 2^-30)(1 - 2^-30)
 * = 1 - 2^-60 rounds to 1.0. */
static void test_f64_multiply_add(void **state)
{
    (void)state;
    fixture fx;
    load(&fx);
    double a = 1.0 + ldexp(1.0, -30), b = 1.0 - ldexp(1.0, -30);
    wb_value args[3] = {{.type = WB_F64, .of.f64 = a}, {.type = WB_F64, .of.f64 = b},
                        {.type = WB_F64, .of.f64 = -1.0}};
    wb_value r[3];
    wb_extern ext;
    assert_true(wb_instance_export(fx.inst, "fmadd", 5, &ext));
    assert_int_equal(wb_func_call(fx.store, ext.of.func, args, 3, r, 3), WB_OK);
    assert_true(r[0].of.f64 == 0.0);  /* a*b + c */
    assert_true(r[1].of.f64 == 2.0);  /* a*b - c */
    assert_true(r[2].of.f64 == -2.0); /* c - a*b */
    wb_store_free(fx.store);
}

/* The fused pairs (ADD3, XOR3, ROTL_XOR, AND_ADD, XOR_ADD), with the fresh
 * result as either operand, against the same arithmetic in C. */
static void test_fused_pairs(void **state)
{
    (void)state;
    static const uint32_t vals[][3] = {
        {0xFFFFFFFFu, 0xFFED2979u, 987654321u}, {0, 0, 0}, {1, 2, 3},
        {0x80000000u, 0x80000000u, 0x7FFFFFFFu}, {0xDEADBEEFu, 0x12345678u, 0xCAFEBABEu},
    };
    fixture fx;
    load(&fx);
    wb_extern ext;
    assert_true(wb_instance_export(fx.inst, "pairs", 5, &ext));
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        uint32_t a = vals[i][0], b = vals[i][1], c = vals[i][2];
        uint32_t want[6] = {a + b + c, c + (a + b), a ^ b ^ c, c ^ ((a << 13) | (a >> 19)),
                            (a & b) + c, c + (a ^ b)};
        wb_value args[3] = {i32((int32_t)a), i32((int32_t)b), i32((int32_t)c)}, r[6];
        assert_int_equal(wb_func_call(fx.store, ext.of.func, args, 3, r, 6), WB_OK);
        for (int k = 0; k < 6; k++)
            assert_int_equal((uint32_t)r[k].of.i32, want[k]);
    }
    wb_store_free(fx.store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_i64_compare_branch),
        cmocka_unit_test(test_i64_loop_fuel),
        cmocka_unit_test(test_two_slot_address),
        cmocka_unit_test(test_rotate_constant),
        cmocka_unit_test(test_entry_zero_writes),
        cmocka_unit_test(test_pending_address),
        cmocka_unit_test(test_multiply_add),
        cmocka_unit_test(test_f64_multiply_add),
        cmocka_unit_test(test_fused_pairs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
