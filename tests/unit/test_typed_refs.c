/* Typed function references at the embedding API: a function reference
 * reaches a typed parameter, global or table only if it is of that type and
 * not null where the type is non-null (vm/store_types.c wb_value_fits). The
 * interpreter's call_ref tests nothing but null, so these checks are what
 * keeps a host from handing wasm a function of another signature.
 *
 * The module, written byte by byte (wabt 1.0.32 cannot assemble typed
 * references):
 *   (type $ii (func (param i32) (result i32)))                  ;; type 0
 *   (type (func (param (ref $ii)) (result i32)))                 ;; type 1
 *   (type (func (param i32 i32) (result i32)))                   ;; type 2
 *   (table (export "t") 1 (ref null $ii))
 *   (global (export "g") (mut (ref null $ii)) (ref.null $ii))
 *   (func (export "inc") (type 0) (i32.add (local.get 0) (i32.const 1)))
 *   (func (export "apply") (type 1) (call_ref $ii (i32.const 7) (local.get 0)))
 *   (func (export "other") (type 2) (i32.add (local.get 0) (local.get 1)))
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../vm/vm.h"

static const uint8_t typed_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    /* types: 3 */
    0x01, 0x12, 0x03, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x64, 0x00, 0x01, 0x7f, 0x60, 0x02,
    0x7f, 0x7f, 0x01, 0x7f,
    /* functions: types 0, 1, 2 */
    0x03, 0x04, 0x03, 0x00, 0x01, 0x02,
    /* table: (ref null 0), min 1 */
    0x04, 0x05, 0x01, 0x63, 0x00, 0x00, 0x01,
    /* global: (mut (ref null 0)) = ref.null 0 */
    0x06, 0x07, 0x01, 0x63, 0x00, 0x01, 0xd0, 0x00, 0x0b,
    /* exports: inc, apply, other, g, t */
    0x07, 0x1f, 0x05, 0x03, 'i', 'n', 'c', 0x00, 0x00, 0x05, 'a', 'p', 'p', 'l', 'y', 0x00, 0x01,
    0x05, 'o', 't', 'h', 'e', 'r', 0x00, 0x02, 0x01, 'g', 0x03, 0x00, 0x01, 't', 0x01, 0x00,
    /* code */
    0x0a, 0x1a, 0x03, 0x07, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x0b, 0x08, 0x00, 0x41, 0x07, 0x20,
    0x00, 0x14, 0x00, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b,
};

typedef struct fixture {
    wb_store *s;
    wb_instance *inst;
    wb_func *inc, *apply, *other;
    wb_global *g;
    wb_table *t;
} fixture;

static int setup(void **state)
{
    static fixture f;
    memset(&f, 0, sizeof f);
    wb_error err;
    f.s = wb_store_new(NULL);
    wb_module *m = wb_module_load(f.s, typed_wasm, sizeof typed_wasm, &err);
    if (!m)
        fail_msg("load: %s", err.message);
    f.inst = wb_instantiate(f.s, m, NULL, 0, &err); /* the store owns m */
    if (!f.inst)
        fail_msg("instantiate: %s", err.message);
    wb_extern e;
    assert_true(wb_instance_export(f.inst, "inc", 3, &e));
    f.inc = e.of.func;
    assert_true(wb_instance_export(f.inst, "apply", 5, &e));
    f.apply = e.of.func;
    assert_true(wb_instance_export(f.inst, "other", 5, &e));
    f.other = e.of.func;
    assert_true(wb_instance_export(f.inst, "g", 1, &e));
    f.g = e.of.global;
    assert_true(wb_instance_export(f.inst, "t", 1, &e));
    f.t = e.of.table;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    wb_store_free(((fixture *)*state)->s);
    return 0;
}

static wb_value funcref(wb_func *fn)
{
    wb_value v;
    memset(&v, 0, sizeof v);
    v.type = WB_FUNCREF;
    v.of.func = fn;
    return v;
}

/* apply calls its (ref $ii) argument with 7: inc gives 8 */
static void test_call_typed_param(void **state)
{
    fixture *f = *state;
    wb_value arg = funcref(f->inc), res;
    assert_int_equal(wb_func_call(f->s, f->apply, &arg, 1, &res, 1), WB_OK);
    assert_int_equal(res.type, WB_I32);
    assert_int_equal(res.of.i32, 8);
}

/* a null for a non-null parameter, a function of another type: refused
 * before anything runs */
static void test_call_typed_param_refused(void **state)
{
    fixture *f = *state;
    wb_value arg = funcref(NULL), res;
    assert_int_equal(wb_func_call(f->s, f->apply, &arg, 1, &res, 1), WB_BAD_CALL);
    arg = funcref(f->other);
    assert_int_equal(wb_func_call(f->s, f->apply, &arg, 1, &res, 1), WB_BAD_CALL);
    /* the store stays usable */
    arg = funcref(f->inc);
    assert_int_equal(wb_func_call(f->s, f->apply, &arg, 1, &res, 1), WB_OK);
    assert_int_equal(res.of.i32, 8);
}

/* a (ref null $ii) global and table take null and inc, not other */
static void test_typed_global_and_table(void **state)
{
    fixture *f = *state;
    assert_false(wb_global_set(f->g, funcref(f->other)));
    assert_true(wb_global_set(f->g, funcref(f->inc)));
    assert_true(wb_global_get(f->g).of.func == f->inc);
    assert_true(wb_global_set(f->g, funcref(NULL)));
    assert_false(wb_table_set(f->t, 0, funcref(f->other)));
    assert_true(wb_table_set(f->t, 0, funcref(f->inc)));
    wb_value v;
    assert_true(wb_table_get(f->t, 0, &v));
    assert_int_equal(v.type, WB_FUNCREF); /* a typed reference is a funcref to embedders */
    assert_true(v.of.func == f->inc);
    assert_true(wb_table_set(f->t, 0, funcref(NULL)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_call_typed_param, setup, teardown),
        cmocka_unit_test_setup_teardown(test_call_typed_param_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_typed_global_and_table, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
