/* Exceptions across host frames (vm/README.md "Exception handling"): a host
 * function throws a wasm exception (wb_call_throw) that wasm catches; a
 * wasm exception nobody catches ends wb_func_call with WB_EXCEPTION and
 * its values (wb_store_exception); a host function that called wasm which
 * threw passes the exception on to the wasm that called it; a host cannot
 * hand wasm an exnref the store did not make. Modules through wat/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../vm/vm.h"
#include "../../wat/wat.h"

static const char *const text =
    "(module\n"
    "  (import \"host\" \"tag\" (tag $h (param i32 i64)))\n"
    "  (import \"host\" \"throw\" (func $host_throw (param i32)))\n"
    "  (import \"host\" \"call_back\" (func $call_back (param i32)))\n"
    "  (tag $own (export \"own\") (param f64))\n"
    /* the host throws $h (n, n * 10): caught, the two values summed */
    "  (func (export \"catch_host\") (param i32) (result i64) (local $b i64)\n"
    "    (block $c (result i32 i64)\n"
    "      (try_table (catch $h $c) (call $host_throw (local.get 0)))\n"
    "      (return (i64.const -1)))\n"
    "    (local.set $b)\n"
    "    (i64.add (i64.extend_i32_s) (local.get $b)))\n"
    "  (func (export \"throw_own\") (param f64) (throw $own (local.get 0)))\n"
    /* the host calls throw_own back: its exception comes through the host */
    "  (func (export \"through_host\") (param i32) (result f64)\n"
    "    (block $c (result f64)\n"
    "      (try_table (catch $own $c) (call $call_back (local.get 0)))\n"
    "      (f64.const 0)))\n"
    "  (func (export \"uncaught\") (param i32) (call $host_throw (local.get 0))))\n";

typedef struct host {
    wb_tag *tag;
    wb_func *throw_own;
} host;

static int host_throw(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    (void)results;
    host *h = user;
    wb_value v[2] = {{.type = WB_I32, .of.i32 = args[0].of.i32},
                     {.type = WB_I64, .of.i64 = (int64_t)args[0].of.i32 * 10}};
    return wb_call_throw(call, h->tag, v);
}

/* Calls throw_own(n + 0.5); the exception it ends with is thrown on. */
static int call_back(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    (void)results;
    host *h = user;
    wb_store *s = wb_call_store(call);
    wb_value arg = {.type = WB_F64, .of.f64 = args[0].of.i32 + 0.5};
    wb_status st = wb_func_call(s, h->throw_own, &arg, 1, NULL, 0);
    if (st != WB_EXCEPTION)
        return wb_call_trap(call, "throw_own did not throw");
    wb_tag *tag = NULL;
    wb_value vals[1];
    uint32_t n = 0;
    if (!wb_store_exception(s, &tag, vals, 1, &n) || n != 1)
        return wb_call_trap(call, "no exception to pass on");
    return wb_call_throw(call, tag, vals);
}

static wb_instance *setup(wb_store *s, host *h)
{
    uint8_t *bin = NULL;
    size_t len = 0;
    wat_error werr;
    assert_true(wat_to_wasm(text, strlen(text), &bin, &len, &werr));
    wb_error err;
    wb_module *m = wb_module_load(s, bin, len, &err);
    free(bin);
    if (!m)
        fail_msg("%s", err.message);
    static const wb_type tparams[] = {WB_I32, WB_I64};
    wb_functype ttype = {2, 0, tparams, NULL};
    h->tag = wb_tag_new(s, &ttype);
    assert_non_null(h->tag);
    static const wb_type i32[] = {WB_I32};
    wb_functype ftype = {1, 0, i32, NULL};
    wb_extern imp[3] = {{.kind = WB_EXTERN_TAG, .of.tag = h->tag},
                        {.kind = WB_EXTERN_FUNC, .of.func = wb_func_new_host(s, &ftype, host_throw, h)},
                        {.kind = WB_EXTERN_FUNC, .of.func = wb_func_new_host(s, &ftype, call_back, h)}};
    wb_instance *inst = wb_instantiate(s, m, imp, 3, &err);
    if (!inst)
        fail_msg("%s", err.message);
    wb_extern ex;
    assert_true(wb_instance_export(inst, "throw_own", 9, &ex));
    h->throw_own = ex.of.func;
    return inst;
}

static wb_func *export(wb_instance *inst, const char *name)
{
    wb_extern ex;
    assert_true(wb_instance_export(inst, name, strlen(name), &ex));
    assert_int_equal(ex.kind, WB_EXTERN_FUNC);
    return ex.of.func;
}

static void host_throws_wasm_catches(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    host h = {0};
    wb_instance *inst = setup(s, &h);
    wb_value arg = {.type = WB_I32, .of.i32 = 4}, res;
    assert_int_equal(wb_func_call(s, export(inst, "catch_host"), &arg, 1, &res, 1), WB_OK);
    assert_int_equal(res.of.i64, 44); /* 4 + 40 */
    wb_store_free(s);
}

static void uncaught_is_its_own_outcome(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    host h = {0};
    wb_instance *inst = setup(s, &h);
    wb_value arg = {.type = WB_I32, .of.i32 = 3};
    assert_int_equal(wb_func_call(s, export(inst, "uncaught"), &arg, 1, NULL, 0), WB_EXCEPTION);
    wb_tag *tag = NULL;
    wb_value vals[2];
    uint32_t n = 0;
    assert_true(wb_store_exception(s, &tag, vals, 2, &n));
    assert_ptr_equal(tag, h.tag);
    assert_int_equal(n, 2);
    assert_int_equal(vals[0].of.i32, 3);
    assert_int_equal(vals[1].of.i64, 30);
    assert_string_equal(wb_store_trap_message(s), "uncaught exception: tag (host)");
    /* an exported tag is named by its export */
    arg = (wb_value){.type = WB_F64, .of.f64 = 2.0};
    assert_int_equal(wb_func_call(s, export(inst, "throw_own"), &arg, 1, NULL, 0), WB_EXCEPTION);
    assert_string_equal(wb_store_trap_message(s), "uncaught exception: tag \"own\"");
    /* the store stays usable */
    arg = (wb_value){.type = WB_I32, .of.i32 = 1};
    wb_value res;
    assert_int_equal(wb_func_call(s, export(inst, "catch_host"), &arg, 1, &res, 1), WB_OK);
    assert_int_equal(res.of.i64, 11);
    wb_store_free(s);
}

static void exception_passes_through_host(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    host h = {0};
    wb_instance *inst = setup(s, &h);
    wb_value arg = {.type = WB_I32, .of.i32 = 6}, res;
    assert_int_equal(wb_func_call(s, export(inst, "through_host"), &arg, 1, &res, 1), WB_OK);
    assert_true(res.of.f64 == 6.5);
    wb_store_free(s);
}

static void host_cannot_forge_exnref(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    host h = {0};
    (void)setup(s, &h);
    wb_value forged = {.type = WB_EXNREF, .of.exn = (wb_exn *)(uintptr_t)0x1000};
    assert_null(wb_global_new(s, WB_EXNREF, true, forged));
    wb_value null = {.type = WB_EXNREF, .of.exn = NULL};
    assert_non_null(wb_global_new(s, WB_EXNREF, true, null));
    /* a tag with results is refused */
    static const wb_type i32[] = {WB_I32};
    wb_functype bad = {0, 1, NULL, i32};
    assert_null(wb_tag_new(s, &bad));
    wb_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(host_throws_wasm_catches),
        cmocka_unit_test(uncaught_is_its_own_outcome),
        cmocka_unit_test(exception_passes_through_host),
        cmocka_unit_test(host_cannot_forge_exnref),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
