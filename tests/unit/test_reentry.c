/* Host re-entry: a host function that calls back into wasm, which calls the
 * host again, without end. Each round trip recurses in C, so the engine must
 * stop it ("call stack exhausted") long before the C stack runs out, and the
 * store must stay usable afterwards.
 *
 * Module (wat2wasm):
 *   (module
 *     (import "host" "bounce" (func $bounce (param i32) (result i32)))
 *     (func (export "go") (param i32) (result i32)
 *       (call $bounce (i32.add (local.get 0) (i32.const 1)))))
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../vm/vm.h"

static const uint8_t reentry_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01,
    0x7f, 0x02, 0x0f, 0x01, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x06, 0x62, 0x6f, 0x75, 0x6e, 0x63,
    0x65, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x07, 0x06, 0x01, 0x02, 0x67, 0x6f, 0x00, 0x01,
    0x0a, 0x0b, 0x01, 0x09, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x10, 0x00, 0x0b};

typedef struct bouncer {
    wb_func *go;       /* the export to call back */
    int32_t stop_at;   /* answer instead of bouncing once the argument reaches this */
    int32_t deepest;
} bouncer;

static int bounce(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    bouncer *b = user;
    int32_t n = args[0].of.i32;
    if (n > b->deepest)
        b->deepest = n;
    if (n >= b->stop_at) {
        results[0] = (wb_value){.type = WB_I32, .of.i32 = n};
        return 0;
    }
    wb_value arg = {.type = WB_I32, .of.i32 = n};
    wb_status st = wb_func_call(wb_call_store(call), b->go, &arg, 1, results, 1);
    if (st != WB_OK)
        return wb_call_trap(call, wb_store_trap_message(wb_call_store(call)));
    return 0;
}

static wb_func *setup(wb_store *s, bouncer *b)
{
    static const wb_type i32[] = {WB_I32};
    wb_functype type = {1, 1, i32, i32};
    wb_error err;
    wb_module *m = wb_module_load(s, reentry_wasm, sizeof reentry_wasm, &err);
    assert_non_null(m);
    wb_extern imp = {.kind = WB_EXTERN_FUNC, .of.func = wb_func_new_host(s, &type, bounce, b)};
    assert_non_null(imp.of.func);
    wb_instance *inst = wb_instantiate(s, m, &imp, 1, &err);
    assert_non_null(inst);
    wb_extern go;
    assert_true(wb_instance_export(inst, "go", 2, &go));
    b->go = go.of.func;
    return go.of.func;
}

static void bounded_bouncing_works(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    bouncer b = {.stop_at = 50};
    wb_func *go = setup(s, &b);
    wb_value arg = {.type = WB_I32, .of.i32 = 0}, res;
    assert_int_equal(wb_func_call(s, go, &arg, 1, &res, 1), WB_OK);
    assert_int_equal(res.of.i32, 50);
    wb_store_free(s);
}

static void endless_bouncing_is_stopped(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    bouncer b = {.stop_at = INT32_MAX};
    wb_func *go = setup(s, &b);
    wb_value arg = {.type = WB_I32, .of.i32 = 0}, res;
    wb_status st = wb_func_call(s, go, &arg, 1, &res, 1);
    assert_int_not_equal(st, WB_OK);
    assert_non_null(strstr(wb_store_trap_message(s), "call stack exhausted"));
    assert_true(b.deepest > 10);     /* it really did re-enter */
    assert_true(b.deepest < 100000); /* and was stopped long before the C stack ran out */

    /* the store is usable afterwards */
    b.stop_at = 3;
    b.deepest = 0;
    assert_int_equal(wb_func_call(s, go, &arg, 1, &res, 1), WB_OK);
    assert_int_equal(res.of.i32, 3);
    wb_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bounded_bouncing_works),
        cmocka_unit_test(endless_bouncing_is_stopped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
