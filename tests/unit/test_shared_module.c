/* A compiled module shared by many stores on many threads
 * (wb_module_compile, vm/README.md "Sharing modules"): each thread makes its
 * own store, instantiates the one module and runs it; every result must be
 * what a model of the function computes, each instance keeping its own
 * memory, globals and table, and the module must outlive the caller's
 * reference as long as a store uses it. Run under ASan (make test SAN=1)
 * and ThreadSanitizer (make test TSAN=1).
 *
 * Module (wat2wasm, embedded below):
 * (module
 *   (type $t (func (param i32) (result i32)))
 *   (memory 1)
 *   (global $calls (mut i32) (i32.const 0))
 *   (table 2 funcref)
 *   (elem (i32.const 0) $double $inc)
 *   (func $double (type $t) (i32.mul (local.get 0) (i32.const 2)))
 *   (func $inc (type $t) (i32.add (local.get 0) (i32.const 1)))
 *   ;; run(seed, n): n rounds of call_indirect through the table and memory
 *   ;; traffic in this instance's own memory; returns a checksum
 *   (func (export "run") (param $seed i32) (param $n i32) (result i32)
 *     (local $i i32) (local $acc i32)
 *     (local.set $acc (local.get $seed))
 *     (block $done
 *       (loop $l
 *         (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
 *         (local.set $acc
 *           (call_indirect (type $t) (local.get $acc) (i32.and (local.get $i) (i32.const 1))))
 *         (i32.store (i32.shl (i32.and (local.get $i) (i32.const 1023)) (i32.const 2))
 *                    (i32.add (i32.load (i32.shl (i32.and (local.get $i) (i32.const 1023)) (i32.const 2)))
 *                             (local.get $acc)))
 *         (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
 *         (local.set $i (i32.add (local.get $i) (i32.const 1)))
 *         (br $l)))
 *     (i32.add (local.get $acc) (i32.load (i32.const 0))))
 *   (func (export "calls") (result i32) (global.get $calls))) */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../vm/vm.h"

static const uint8_t shared_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x10, 0x03, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x00,
    0x01, 0x7f, 0x03, 0x05, 0x04, 0x00, 0x00, 0x01, 0x02, 0x04, 0x04, 0x01,
    0x70, 0x00, 0x02, 0x05, 0x03, 0x01, 0x00, 0x01, 0x06, 0x06, 0x01, 0x7f,
    0x01, 0x41, 0x00, 0x0b, 0x07, 0x0f, 0x02, 0x03, 0x72, 0x75, 0x6e, 0x00,
    0x02, 0x05, 0x63, 0x61, 0x6c, 0x6c, 0x73, 0x00, 0x03, 0x09, 0x08, 0x01,
    0x00, 0x41, 0x00, 0x0b, 0x02, 0x00, 0x01, 0x0a, 0x6b, 0x04, 0x07, 0x00,
    0x20, 0x00, 0x41, 0x02, 0x6c, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x41, 0x01,
    0x6a, 0x0b, 0x54, 0x01, 0x02, 0x7f, 0x20, 0x00, 0x21, 0x03, 0x02, 0x40,
    0x03, 0x40, 0x20, 0x02, 0x20, 0x01, 0x4f, 0x0d, 0x01, 0x20, 0x03, 0x20,
    0x02, 0x41, 0x01, 0x71, 0x11, 0x00, 0x00, 0x21, 0x03, 0x20, 0x02, 0x41,
    0xff, 0x07, 0x71, 0x41, 0x02, 0x74, 0x20, 0x02, 0x41, 0xff, 0x07, 0x71,
    0x41, 0x02, 0x74, 0x28, 0x02, 0x00, 0x20, 0x03, 0x6a, 0x36, 0x02, 0x00,
    0x23, 0x00, 0x41, 0x01, 0x6a, 0x24, 0x00, 0x20, 0x02, 0x41, 0x01, 0x6a,
    0x21, 0x02, 0x0c, 0x00, 0x0b, 0x0b, 0x20, 0x03, 0x41, 0x00, 0x28, 0x02,
    0x00, 0x6a, 0x0b, 0x04, 0x00, 0x23, 0x00, 0x0b
};

/* What "run" computes, written from the module's text. */
static int32_t model(uint32_t seed, uint32_t n)
{
    static uint32_t mem[1024];
    memset(mem, 0, sizeof mem);
    uint32_t acc = seed;
    for (uint32_t i = 0; i < n; i++) {
        acc = (i & 1) ? acc + 1 : acc * 2;
        mem[i & 1023] += acc;
    }
    return (int32_t)(acc + mem[0]);
}

#define THREADS 8
#define ROUNDS 20

typedef struct job {
    wb_module *module;
    uint32_t seed;
    int32_t got[ROUNDS];
    int32_t calls;
    bool ok;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    for (int r = 0; r < ROUNDS; r++) {
        /* a fresh store and instance per round, as a tool call makes */
        wb_store *s = wb_store_new(NULL);
        wb_error err;
        wb_instance *inst = wb_instantiate(s, j->module, NULL, 0, &err);
        wb_extern run, calls;
        if (!inst || !wb_instance_export(inst, "run", 3, &run) ||
            !wb_instance_export(inst, "calls", 5, &calls)) {
            wb_store_free(s);
            return NULL;
        }
        wb_value args[2] = {{.type = WB_I32, .of.i32 = (int32_t)(j->seed + (uint32_t)r)},
                            {.type = WB_I32, .of.i32 = 3000}};
        wb_value res;
        if (wb_func_call(s, run.of.func, args, 2, &res, 1) != WB_OK) {
            wb_store_free(s);
            return NULL;
        }
        j->got[r] = res.of.i32;
        if (wb_func_call(s, calls.of.func, NULL, 0, &res, 1) != WB_OK) {
            wb_store_free(s);
            return NULL;
        }
        j->calls = res.of.i32;
        wb_store_free(s);
    }
    j->ok = true;
    return NULL;
}

static void run_threads(wb_translation mode)
{
    wb_error err;
    wb_module *m = wb_module_compile(shared_wasm, sizeof shared_wasm, mode, &err);
    if (!m)
        fail_msg("compile: %s", err.message);
    job jobs[THREADS];
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++) {
        memset(&jobs[i], 0, sizeof jobs[i]);
        jobs[i].module = m;
        jobs[i].seed = (uint32_t)i * 1000u + 1u;
        assert_int_equal(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    wb_module_unref(m);
    for (int i = 0; i < THREADS; i++) {
        assert_true(jobs[i].ok);
        /* each instance's global counted only its own calls */
        assert_int_equal(jobs[i].calls, 3000);
        for (int r = 0; r < ROUNDS; r++)
            assert_int_equal(jobs[i].got[r], model(jobs[i].seed + (uint32_t)r, 3000));
    }
}

static void test_threads_optimized(void **state)
{
    (void)state;
    run_threads(WB_TRANSLATE_OPTIMIZED);
}

static void test_threads_reference(void **state)
{
    (void)state;
    run_threads(WB_TRANSLATE_REFERENCE);
}

/* The caller's reference can go first: a store that instantiated the module
 * keeps it alive; two stores, one module, instances independent. */
static void test_outlives_caller(void **state)
{
    (void)state;
    wb_error err;
    wb_module *m = wb_module_compile(shared_wasm, sizeof shared_wasm, WB_TRANSLATE_OPTIMIZED, &err);
    assert_non_null(m);
    wb_store *a = wb_store_new(NULL), *b = wb_store_new(NULL);
    wb_instance *ia = wb_instantiate(a, m, NULL, 0, &err);
    wb_instance *ib = wb_instantiate(b, m, NULL, 0, &err);
    assert_non_null(ia);
    assert_non_null(ib);
    wb_module_unref(m);
    wb_extern run;
    wb_value args[2] = {{.type = WB_I32, .of.i32 = 3}, {.type = WB_I32, .of.i32 = 10}}, res;
    assert_true(wb_instance_export(ia, "run", 3, &run));
    assert_int_equal(wb_func_call(a, run.of.func, args, 2, &res, 1), WB_OK);
    assert_int_equal(res.of.i32, 133);
    /* a's memory now holds the first run's sums: a second run adds to them,
     * b's memory is untouched (mem[0] += 6 again: 139 in a, 133 in b) */
    assert_int_equal(wb_func_call(a, run.of.func, args, 2, &res, 1), WB_OK);
    assert_int_equal(res.of.i32, 139);
    wb_store_free(a);
    assert_true(wb_instance_export(ib, "run", 3, &run));
    assert_int_equal(wb_func_call(b, run.of.func, args, 2, &res, 1), WB_OK);
    assert_int_equal(res.of.i32, 133);
    wb_store_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_optimized),
        cmocka_unit_test(test_threads_reference),
        cmocka_unit_test(test_outlives_caller),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
