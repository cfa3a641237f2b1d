/* Fuel accounting, interruption and call-depth limits of the interpreter.
 *
 * Fuel rule (vm/README.md, "Execution design"): every executed instruction of
 * the original body costs one unit, block/loop/if/else/end/br included; an
 * `end` or `else` is counted when execution falls through it, not when a
 * branch jumps past it. The modules below were written with wat2wasm and are
 * embedded as bytes; each test states the count it expects and why.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>
#include <cmocka.h>

#include "../../vm/vm.h"

/* (module
 *   (global $count (mut i32) (i32.const 0))
 *   (func (export "count") (result i32) (global.get $count))
 *   (func (export "reset") (global.set $count (i32.const 0)))
 *   (func (export "straight") (result i32)
 *     (i32.add (i32.const 1) (i32.const 2)))
 *   (func (export "loop") (param $n i32) (result i32)
 *     (local $i i32)
 *     (block $done
 *       (loop $l
 *         (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
 *         (local.set $i (i32.add (local.get $i) (i32.const 1)))
 *         (global.set $count (local.get $i))
 *         (br $l)))
 *     (local.get $i))
 *   (func (export "branchy") (param $x i32) (result i32)
 *     (if (result i32) (local.get $x)
 *       (then (i32.const 10))
 *       (else (i32.const 20))))
 *   (func $callee (result i32) (i32.const 7))
 *   (func (export "caller") (result i32)
 *     (i32.add (call $callee) (i32.const 1)))
 *   (func (export "spin") (loop $l (br $l)))
 *   (func $rec (export "recurse") (param i32) (result i32)
 *     (call $rec (i32.add (local.get 0) (i32.const 1))))
 *   (func $big (export "big_frames") (param i32) (result i32)
 *     (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
 *     (call $big (local.get 0))))
 */
static const uint8_t fuel_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0d, 0x03, 0x60,
    0x00, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03,
    0x0b, 0x0a, 0x00, 0x01, 0x00, 0x02, 0x02, 0x00, 0x00, 0x01, 0x02, 0x02,
    0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x00, 0x0b, 0x07, 0x54, 0x09, 0x05,
    0x63, 0x6f, 0x75, 0x6e, 0x74, 0x00, 0x00, 0x05, 0x72, 0x65, 0x73, 0x65,
    0x74, 0x00, 0x01, 0x08, 0x73, 0x74, 0x72, 0x61, 0x69, 0x67, 0x68, 0x74,
    0x00, 0x02, 0x04, 0x6c, 0x6f, 0x6f, 0x70, 0x00, 0x03, 0x07, 0x62, 0x72,
    0x61, 0x6e, 0x63, 0x68, 0x79, 0x00, 0x04, 0x06, 0x63, 0x61, 0x6c, 0x6c,
    0x65, 0x72, 0x00, 0x06, 0x04, 0x73, 0x70, 0x69, 0x6e, 0x00, 0x07, 0x07,
    0x72, 0x65, 0x63, 0x75, 0x72, 0x73, 0x65, 0x00, 0x08, 0x0a, 0x62, 0x69,
    0x67, 0x5f, 0x66, 0x72, 0x61, 0x6d, 0x65, 0x73, 0x00, 0x09, 0x0a, 0x6b,
    0x0a, 0x04, 0x00, 0x23, 0x00, 0x0b, 0x06, 0x00, 0x41, 0x00, 0x24, 0x00,
    0x0b, 0x07, 0x00, 0x41, 0x01, 0x41, 0x02, 0x6a, 0x0b, 0x20, 0x01, 0x01,
    0x7f, 0x02, 0x40, 0x03, 0x40, 0x20, 0x01, 0x20, 0x00, 0x4f, 0x0d, 0x01,
    0x20, 0x01, 0x41, 0x01, 0x6a, 0x21, 0x01, 0x20, 0x01, 0x24, 0x00, 0x0c,
    0x00, 0x0b, 0x0b, 0x20, 0x01, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x04, 0x7f,
    0x41, 0x0a, 0x05, 0x41, 0x14, 0x0b, 0x0b, 0x04, 0x00, 0x41, 0x07, 0x0b,
    0x07, 0x00, 0x10, 0x05, 0x41, 0x01, 0x6a, 0x0b, 0x07, 0x00, 0x03, 0x40,
    0x0c, 0x00, 0x0b, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x10,
    0x08, 0x0b, 0x08, 0x01, 0x10, 0x7e, 0x20, 0x00, 0x10, 0x09, 0x0b,
};


typedef struct fixture {
    wb_store *store;
    wb_instance *inst;
} fixture;

static void load(fixture *fx, const wb_limits *limits)
{
    fx->store = wb_store_new(limits);
    assert_non_null(fx->store);
    wb_error err;
    wb_module *m = wb_module_load(fx->store, fuel_wasm, sizeof fuel_wasm, &err);
    if (!m)
        fail_msg("load: %s", err.message);
    fx->inst = wb_instantiate(fx->store, m, NULL, 0, &err);
    if (!fx->inst)
        fail_msg("instantiate: %s", err.message);
}

static wb_func *export_func(fixture *fx, const char *name)
{
    wb_extern ext;
    assert_true(wb_instance_export(fx->inst, name, strlen(name), &ext));
    assert_int_equal(ext.kind, WB_EXTERN_FUNC);
    return ext.of.func;
}

static wb_status call_i32(fixture *fx, const char *name, const int32_t *arg, int32_t *result)
{
    wb_value a = {.type = WB_I32}, r = {.type = WB_I32};
    if (arg)
        a.of.i32 = *arg;
    wb_status st = wb_func_call(fx->store, export_func(fx, name), arg ? &a : NULL, arg ? 1 : 0,
                                result ? &r : NULL, result ? 1 : 0);
    if (st == WB_OK && result)
        *result = r.of.i32;
    return st;
}

/* i32.const, i32.const, i32.add, end */
static void test_straight_line_cost(void **state)
{
    (void)state;
    fixture fx;
    load(&fx, NULL);
    wb_store_set_fuel(fx.store, 100);
    int32_t r = 0;
    assert_int_equal(call_i32(&fx, "straight", NULL, &r), WB_OK);
    assert_int_equal(r, 3);
    assert_int_equal(wb_store_fuel_used(fx.store), 4);
    assert_int_equal(wb_store_fuel_left(fx.store), 96);
    wb_store_free(fx.store);
}

/* loop(n): block, loop (2); per iteration local.get, local.get, i32.ge_u,
 * br_if (4) + local.get, i32.const, i32.add, local.set, local.get, global.set,
 * br (7); the last test takes the branch (4); then local.get, end (2).
 * Total 11n + 8. */
static void test_loop_cost(void **state)
{
    (void)state;
    fixture fx;
    load(&fx, NULL);
    static const int32_t ns[] = {0, 1, 10, 1000};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        wb_store_set_fuel(fx.store, 1000000);
        int32_t r = -1;
        assert_int_equal(call_i32(&fx, "loop", &ns[i], &r), WB_OK);
        assert_int_equal(r, ns[i]);
        assert_int_equal(wb_store_fuel_used(fx.store), 11 * (uint64_t)ns[i] + 8);
    }
    wb_store_free(fx.store);
}

/* Unlimited fuel is still counted. */
static void test_unlimited_fuel_counted(void **state)
{
    (void)state;
    fixture fx;
    load(&fx, NULL);
    assert_int_equal(wb_store_fuel_left(fx.store), UINT64_MAX);
    int32_t n = 10, r = 0;
    assert_int_equal(call_i32(&fx, "loop", &n, &r), WB_OK);
    assert_int_equal(wb_store_fuel_used(fx.store), 118);
    wb_store_free(fx.store);
}

/* if/else: local.get, if, (const, else | const, end), end: 5 either way; a
 * call costs the caller's call, const, add, end (4) + the callee's const, end. */
static void test_branch_and_call_cost(void **state)
{
    (void)state;
    fixture fx;
    load(&fx, NULL);
    for (int32_t x = 0; x < 2; x++) {
        wb_store_set_fuel(fx.store, 1000);
        int32_t r = 0;
        assert_int_equal(call_i32(&fx, "branchy", &x, &r), WB_OK);
        assert_int_equal(r, x ? 10 : 20);
        assert_int_equal(wb_store_fuel_used(fx.store), 5);
    }
    wb_store_set_fuel(fx.store, 1000);
    int32_t r = 0;
    assert_int_equal(call_i32(&fx, "caller", NULL, &r), WB_OK);
    assert_int_equal(r, 8);
    assert_int_equal(wb_store_fuel_used(fx.store), 6);
    wb_store_free(fx.store);
}

/* Fuel is charged per chain (vm/README.md "Fuel"): each loop head charges
 * its whole iteration before any of it runs, the 4 instructions up to the
 * br_if and the 7 its fall-through runs (11); the exit branch, taken,
 * gives back the 7 not run and charges the 2 after the block (-5).
 * loop(10) is charged block, loop (2) and ten iterations (110) before its
 * last head, which needs 11 more: 123 is exactly enough, and the run is
 * charged exactly what it executed (118, 5 left). With less, the run stops
 * at that head before running any of it, with what it had left. A run may
 * thus stop early, by less than what its last chain charged ahead (here
 * by 5): the 118 a run uses does not run it again. */
static void test_exact_fuel_boundary(void **state)
{
    (void)state;
    fixture fx;
    load(&fx, NULL);
    int32_t n = 10, r = 0;
    wb_store_set_fuel(fx.store, 123);
    assert_int_equal(call_i32(&fx, "loop", &n, &r), WB_OK);
    assert_int_equal(r, 10);
    assert_int_equal(wb_store_fuel_left(fx.store), 5);
    assert_int_equal(wb_store_fuel_used(fx.store), 118);

    static const uint64_t short_of[] = {122, 118};
    for (size_t i = 0; i < 2; i++) {
        wb_store_set_fuel(fx.store, short_of[i]);
        assert_int_equal(call_i32(&fx, "loop", &n, &r), WB_TRAP_OUT_OF_FUEL);
        assert_string_equal(wb_store_trap_message(fx.store), "out of fuel");
        /* stopped at the last head: 2 + 10 * 11 charged, the rest left */
        assert_int_equal(wb_store_fuel_left(fx.store), short_of[i] - 112);
    }
    wb_store_free(fx.store);
}

/* With too little fuel the run stops before executing more instructions than
 * it was given: the global counter shows how far the loop got. When it reads
 * c, at least 2 + 11(c-1) + 10 instructions ran (the set of iteration c is its
 * 10th instruction). Bulk charging may stop a little early, never late. */
static void test_out_of_fuel_never_overruns(void **state)
{
    (void)state;
    fixture fx;
    load(&fx, NULL);
    for (uint64_t fuel = 1; fuel < 200; fuel += 7) {
        wb_store_set_fuel(fx.store, UINT64_MAX);
        assert_int_equal(call_i32(&fx, "reset", NULL, NULL), WB_OK);
        wb_store_set_fuel(fx.store, fuel);
        int32_t n = 1000, r = 0;
        assert_int_equal(call_i32(&fx, "loop", &n, &r), WB_TRAP_OUT_OF_FUEL);
        /* what is left is less than the largest charge (the loop head's
         * chain, 11) */
        assert_true(wb_store_fuel_left(fx.store) < 11);
        wb_store_set_fuel(fx.store, UINT64_MAX);
        int32_t c = -1;
        assert_int_equal(call_i32(&fx, "count", NULL, &c), WB_OK);
        if (c > 0)
            assert_true(2 + 11 * (uint64_t)(c - 1) + 10 <= fuel);
        /* ... and does not stop absurdly early: a whole iteration's worth */
        assert_true(2 + 11 * ((uint64_t)c + 1) > fuel);
    }
    wb_store_free(fx.store);
}

/* Fuel above 2^32: the interpreter keeps the low 32 bits in a counter of
 * their own and borrows from the rest when they run short (vm/interp.c,
 * FUEL_SET and REFILL). Amounts just above multiples of 2^32 make it borrow
 * within a short run; the count must be exact across the borrow, and the
 * unlimited amount too. */
static void test_fuel_across_2_32(void **state)
{
    (void)state;
    fixture fx;
    load(&fx, NULL);
    static const uint64_t highs[] = {1ull << 32, 3ull << 32, 0xFFFFFFFF00000000ull};
    static const uint64_t lows[] = {0, 1, 5, 117, 118, 119, 0xFFFFFFFFull};
    for (size_t h = 0; h < sizeof highs / sizeof highs[0]; h++) {
        for (size_t l = 0; l < sizeof lows / sizeof lows[0]; l++) {
            uint64_t given = highs[h] + lows[l];
            wb_store_set_fuel(fx.store, given);
            int32_t n = 10, r = 0;
            assert_int_equal(call_i32(&fx, "loop", &n, &r), WB_OK);
            assert_int_equal(r, 10);
            assert_int_equal(wb_store_fuel_left(fx.store), given - 118);
            /* twice more on what is left: borrows again near the boundary */
            for (int k = 0; k < 2; k++)
                assert_int_equal(call_i32(&fx, "loop", &n, &r), WB_OK);
            assert_int_equal(wb_store_fuel_left(fx.store), given - 3 * 118);
        }
    }
    wb_store_free(fx.store);
}

/* spin: loop (1), then br (1) per iteration: fuel runs out, never hangs. */
static void test_infinite_loop_runs_out(void **state)
{
    (void)state;
    fixture fx;
    load(&fx, NULL);
    wb_store_set_fuel(fx.store, 10000);
    assert_int_equal(call_i32(&fx, "spin", NULL, NULL), WB_TRAP_OUT_OF_FUEL);
    assert_int_equal(wb_store_fuel_left(fx.store), 0);
    wb_store_free(fx.store);
}

static void test_interrupt_set_before_call(void **state)
{
    (void)state;
    fixture fx;
    load(&fx, NULL);
    wb_store_interrupt(fx.store);
    assert_int_equal(call_i32(&fx, "spin", NULL, NULL), WB_TRAP_INTERRUPTED);
    assert_string_equal(wb_store_trap_message(fx.store), "interrupted");
    /* the flag stays until cleared */
    int32_t r = 0;
    assert_int_equal(call_i32(&fx, "straight", NULL, &r), WB_TRAP_INTERRUPTED);
    wb_store_clear_interrupt(fx.store);
    assert_int_equal(call_i32(&fx, "straight", NULL, &r), WB_OK);
    assert_int_equal(r, 3);
    wb_store_free(fx.store);
}

static void *interrupter(void *arg)
{
    wb_store *s = arg;
    sched_yield();
    wb_store_interrupt(s);
    return NULL;
}

/* Another thread stops an unbounded loop (no fuel limit): the result does not
 * depend on timing, only on the loop polling the flag. */
static void test_interrupt_from_thread(void **state)
{
    (void)state;
    fixture fx;
    load(&fx, NULL);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, interrupter, fx.store), 0);
    assert_int_equal(call_i32(&fx, "spin", NULL, NULL), WB_TRAP_INTERRUPTED);
    pthread_join(t, NULL);
    wb_store_free(fx.store);
}

/* (module (memory 1)
 *   (func (export "copy_spin")
 *     (loop $l (memory.copy (i32.const 0) (i32.const 64) (i32.const 64)) (br $l))))
 * Each copy pays one bulk unit (64 bytes). The interrupt is polled where
 * fuel is dealt out (vm/README.md "Interrupts"); a bulk charge that dealt
 * a fresh chunk every time once kept this loop from ever reaching a poll. */
static const uint8_t copy_spin_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07,
    0x0d, 0x01, 0x09, 0x63, 0x6f, 0x70, 0x79, 0x5f, 0x73, 0x70, 0x69, 0x6e,
    0x00, 0x00, 0x0a, 0x15, 0x01, 0x13, 0x00, 0x03, 0x40, 0x41, 0x00, 0x41,
    0xc0, 0x00, 0x41, 0xc0, 0x00, 0xfc, 0x0a, 0x00, 0x00, 0x0c, 0x00, 0x0b,
    0x0b,
};

static void test_interrupt_copy_loop(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    assert_non_null(s);
    wb_error err;
    wb_module *m = wb_module_load(s, copy_spin_wasm, sizeof copy_spin_wasm, &err);
    if (!m)
        fail_msg("load: %s", err.message);
    wb_instance *inst = wb_instantiate(s, m, NULL, 0, &err);
    if (!inst)
        fail_msg("instantiate: %s", err.message);
    wb_extern ext;
    assert_true(wb_instance_export(inst, "copy_spin", strlen("copy_spin"), &ext));
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, interrupter, s), 0);
    assert_int_equal(wb_func_call(s, ext.of.func, NULL, 0, NULL, 0), WB_TRAP_INTERRUPTED);
    pthread_join(t, NULL);
    /* with a fuel limit too: every copy and iteration charged */
    wb_store_clear_interrupt(s);
    wb_store_set_fuel(s, 3000);
    assert_int_equal(wb_func_call(s, ext.of.func, NULL, 0, NULL, 0), WB_TRAP_OUT_OF_FUEL);
    wb_store_free(s);
}

static void test_unbounded_recursion(void **state)
{
    (void)state;
    fixture fx;
    load(&fx, NULL);
    int32_t zero = 0, r = 0;
    assert_int_equal(call_i32(&fx, "recurse", &zero, &r), WB_TRAP_STACK_EXHAUSTED);
    assert_string_equal(wb_store_trap_message(fx.store), "call stack exhausted");
    assert_int_equal(call_i32(&fx, "big_frames", &zero, &r), WB_TRAP_STACK_EXHAUSTED);
    /* the store is usable afterwards */
    assert_int_equal(call_i32(&fx, "straight", NULL, &r), WB_OK);
    assert_int_equal(r, 3);
    wb_store_free(fx.store);
}

/* A function declaring 2^32 - 1 locals (8 bytes of body): its frame could
 * never fit, and the engine refuses it at load as an implementation limit
 * (vm/limits.h), without sizing or allocating anything for it. The call-time
 * side (a frame over max_stack traps) is covered in test_limits.c. */
static const uint8_t huge_locals_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00,
    0x00, 0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a,
    0x0a, 0x01, 0x08, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x0b,
};

static void test_huge_frame(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    assert_non_null(s);
    wb_error err;
    wb_module *m = wb_module_load(s, huge_locals_wasm, sizeof huge_locals_wasm, &err);
    assert_null(m);
    assert_int_equal(err.kind, WB_ERR_LIMIT);
    assert_non_null(strstr(err.message, "too many locals"));
    wb_store_free(s);
}

/* Small limits: depth and value-stack bytes both end the run cleanly. */
static void test_small_limits(void **state)
{
    (void)state;
    wb_limits lim = wb_default_limits();
    lim.max_call_depth = 50;
    fixture fx;
    load(&fx, &lim);
    int32_t zero = 0, r = 0, n = 5;
    assert_int_equal(call_i32(&fx, "recurse", &zero, &r), WB_TRAP_STACK_EXHAUSTED);
    assert_int_equal(call_i32(&fx, "loop", &n, &r), WB_OK);
    wb_store_free(fx.store);

    lim = wb_default_limits();
    lim.max_stack = 4096;
    load(&fx, &lim);
    assert_int_equal(call_i32(&fx, "big_frames", &zero, &r), WB_TRAP_STACK_EXHAUSTED);
    assert_int_equal(call_i32(&fx, "loop", &n, &r), WB_OK);
    assert_int_equal(r, 5);
    wb_store_free(fx.store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_straight_line_cost),
        cmocka_unit_test(test_loop_cost),
        cmocka_unit_test(test_unlimited_fuel_counted),
        cmocka_unit_test(test_branch_and_call_cost),
        cmocka_unit_test(test_exact_fuel_boundary),
        cmocka_unit_test(test_out_of_fuel_never_overruns),
        cmocka_unit_test(test_infinite_loop_runs_out),
        cmocka_unit_test(test_fuel_across_2_32),
        cmocka_unit_test(test_interrupt_set_before_call),
        cmocka_unit_test(test_interrupt_from_thread),
        cmocka_unit_test(test_interrupt_copy_loop),
        cmocka_unit_test(test_unbounded_recursion),
        cmocka_unit_test(test_small_limits),
        cmocka_unit_test(test_huge_frame),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
