/* The store's one memory budget (limits.max_memory): linear-memory bytes and
 * table elements (8 bytes each) of every object in the store count together.
 * Creating past it fails (WB_ERR_LIMIT at instantiation, NULL from the API),
 * growing past it returns -1, and the peak is the largest total held. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../vm/vm.h"

#define PAGE 65536u

/* (module (table 50000 funcref) (table 50000 externref) (table 50000 funcref))
 * The tables' limits start at offsets 0x0c, 0x11 and 0x16. */
static const uint8_t tables_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x04, 0x10, 0x03, 0x70,
    0x00, 0xd0, 0x86, 0x03, 0x6f, 0x00, 0xd0, 0x86, 0x03, 0x70, 0x00, 0xd0,
    0x86, 0x03,
};

/* (module
 *   (memory 1)
 *   (table $t 100 funcref)
 *   (func (export "tgrow") (param i32) (result i32)
 *     (table.grow $t (ref.null func) (local.get 0)))
 *   (func (export "mgrow") (param i32) (result i32)
 *     (memory.grow (local.get 0)))) */
static const uint8_t both_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x03, 0x03, 0x02, 0x00, 0x00, 0x04, 0x04, 0x01,
    0x70, 0x00, 0x64, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x11, 0x02, 0x05,
    0x74, 0x67, 0x72, 0x6f, 0x77, 0x00, 0x00, 0x05, 0x6d, 0x67, 0x72, 0x6f,
    0x77, 0x00, 0x01, 0x0a, 0x12, 0x02, 0x09, 0x00, 0xd0, 0x70, 0x20, 0x00,
    0xfc, 0x0f, 0x00, 0x0b, 0x06, 0x00, 0x20, 0x00, 0x40, 0x00, 0x0b,
};

static wb_store *store_with_budget(uint64_t bytes)
{
    wb_limits l = wb_default_limits();
    l.max_memory = bytes;
    wb_store *s = wb_store_new(&l);
    assert_non_null(s);
    return s;
}

static wb_instance *instantiate(wb_store *s, const uint8_t *bytes, size_t len)
{
    wb_error err;
    wb_module *m = wb_module_load(s, bytes, len, &err);
    if (!m)
        fail_msg("load: %s", err.message);
    wb_instance *inst = wb_instantiate(s, m, NULL, 0, &err);
    if (!inst)
        fail_msg("instantiate: %s", err.message);
    return inst;
}

/* Calls export `name` (i32) -> i32. */
static int32_t call_i32(wb_store *s, wb_instance *inst, const char *name, int32_t arg)
{
    wb_extern ext;
    assert_true(wb_instance_export(inst, name, strlen(name), &ext));
    assert_int_equal(ext.kind, WB_EXTERN_FUNC);
    wb_value in = {.type = WB_I32, .of.i32 = arg}, out;
    assert_int_equal(wb_func_call(s, ext.of.func, &in, 1, &out, 1), WB_OK);
    return out.of.i32;
}

static wb_value null_func(void)
{
    wb_value v = {.type = WB_FUNCREF, .of.func = NULL};
    return v;
}

/* Host-made tables share the budget with each other and with memories. */
static void test_many_host_tables(void **state)
{
    (void)state;
    wb_store *s = store_with_budget(1 << 20); /* room for 131072 elements */
    for (int i = 0; i < 10; i++)
        assert_non_null(wb_table_new(s, WB_FUNCREF, 10000, 10000, true, null_func()));
    assert_int_equal(wb_store_peak_memory(s), 800000);
    /* 40000 more would be 1,120,000 bytes */
    assert_null(wb_table_new(s, WB_FUNCREF, 40000, 40000, true, null_func()));
    /* exactly what is left: 248,576 bytes */
    assert_non_null(wb_table_new(s, WB_FUNCREF, 31072, 31072, true, null_func()));
    assert_int_equal(wb_store_peak_memory(s), 1 << 20);
    /* nothing more fits, of either kind; an empty one costs nothing */
    assert_null(wb_table_new(s, WB_FUNCREF, 1, 1, true, null_func()));
    assert_null(wb_memory_new(s, 1, UINT64_MAX));
    assert_non_null(wb_table_new(s, WB_FUNCREF, 0, 10, true, null_func()));
    assert_non_null(wb_memory_new(s, 0, UINT64_MAX));
    wb_store_free(s);
}

/* A module's tables: the one whose minimum does not fit fails the
 * instantiation, named with the offset of its limits. */
static void test_module_tables_over_budget(void **state)
{
    (void)state;
    wb_store *s = store_with_budget(1000000);
    wb_error err;
    wb_module *m = wb_module_load(s, tables_wasm, sizeof tables_wasm, &err);
    assert_non_null(m);
    assert_null(wb_instantiate(s, m, NULL, 0, &err));
    assert_int_equal(err.kind, WB_ERR_LIMIT);
    assert_int_equal(err.offset, 0x16);
    assert_string_equal(err.message,
                        "instantiation, offset 0x16: table 2: minimum of 400000 bytes does not fit "
                        "in the store's memory limit (800000 of 1000000 bytes in use)");
    wb_store_free(s);

    /* with room for all three it instantiates */
    s = store_with_budget(1200000);
    instantiate(s, tables_wasm, sizeof tables_wasm);
    assert_int_equal(wb_store_peak_memory(s), 1200000);
    wb_store_free(s);
}

/* table.grow from wasm stops exactly at the budget. */
static void test_table_grow_at_budget(void **state)
{
    (void)state;
    /* the memory's page and the table's 100 elements, then 25 more elements */
    wb_store *s = store_with_budget(PAGE + 125 * 8);
    wb_instance *inst = instantiate(s, both_wasm, sizeof both_wasm);
    assert_int_equal(wb_store_peak_memory(s), PAGE + 100 * 8);
    assert_int_equal(call_i32(s, inst, "tgrow", 26), -1); /* one element too many */
    assert_int_equal(call_i32(s, inst, "tgrow", 25), 100);
    assert_int_equal(call_i32(s, inst, "tgrow", 1), -1);
    assert_int_equal(call_i32(s, inst, "tgrow", 0), 125);
    /* the memory cannot grow either: the tables took the rest */
    assert_int_equal(call_i32(s, inst, "mgrow", 1), -1);
    assert_int_equal(call_i32(s, inst, "mgrow", 0), 1);
    assert_int_equal(wb_store_peak_memory(s), PAGE + 125 * 8);
    wb_store_free(s);
}

/* memory.grow from wasm counts the tables too, and a host memory made
 * afterwards competes for the same budget. */
static void test_memory_and_tables_together(void **state)
{
    (void)state;
    wb_store *s = store_with_budget(3 * PAGE + 100 * 8);
    wb_instance *inst = instantiate(s, both_wasm, sizeof both_wasm);
    assert_int_equal(call_i32(s, inst, "mgrow", 3), -1); /* 4 pages + the table: over */
    assert_int_equal(call_i32(s, inst, "mgrow", 1), 1);
    wb_memory *host = wb_memory_new(s, 1, UINT64_MAX);  /* the last page */
    assert_non_null(host);
    assert_int_equal(call_i32(s, inst, "mgrow", 1), -1);
    assert_int_equal(call_i32(s, inst, "tgrow", 1), -1);
    assert_int_equal(wb_memory_grow(host, 1), -1);
    assert_int_equal(wb_store_peak_memory(s), 3 * PAGE + 100 * 8);

    /* the same module does not instantiate a second time: no room for its
     * table (made before its memory) */
    wb_error err;
    wb_module *m = wb_module_load(s, both_wasm, sizeof both_wasm, &err);
    assert_non_null(m);
    assert_null(wb_instantiate(s, m, NULL, 0, &err));
    assert_int_equal(err.kind, WB_ERR_LIMIT);
    assert_string_equal(err.message,
                        "instantiation, offset 0x19: table 0: minimum of 800 bytes does not fit "
                        "in the store's memory limit (197408 of 197408 bytes in use)");
    wb_store_free(s);

    /* room for the table but not the memory */
    s = store_with_budget(100 * 8 + 100);
    m = wb_module_load(s, both_wasm, sizeof both_wasm, &err);
    assert_non_null(m);
    assert_null(wb_instantiate(s, m, NULL, 0, &err));
    assert_int_equal(err.kind, WB_ERR_LIMIT);
    assert_string_equal(err.message,
                        "instantiation, offset 0x1e: memory 0: minimum of 65536 bytes does not fit "
                        "in the store's memory limit (800 of 900 bytes in use)");
    wb_store_free(s);
}

/* Every refusal is reported to the embedder's hook (for its audit log) with
 * what was asked and the budget's state; granted requests are not. */
typedef struct refusals {
    int count;
    uint64_t requested, used, limit;
} refusals;

static void note_refusal(void *user, uint64_t requested, uint64_t used, uint64_t limit)
{
    refusals *r = user;
    r->count++;
    r->requested = requested;
    r->used = used;
    r->limit = limit;
}

static void test_refusals_reach_the_hook(void **state)
{
    (void)state;
    wb_store *s = store_with_budget(2 * PAGE + 100 * 8);
    refusals r = {0};
    wb_store_on_budget_refusal(s, note_refusal, &r);
    wb_instance *inst = instantiate(s, both_wasm, sizeof both_wasm);
    assert_int_equal(r.count, 0);
    assert_int_equal(call_i32(s, inst, "mgrow", 1), 1);
    assert_int_equal(r.count, 0);
    assert_int_equal(call_i32(s, inst, "mgrow", 1), -1);
    assert_int_equal(r.count, 1);
    assert_int_equal(r.requested, PAGE);
    assert_int_equal(r.used, 2 * PAGE + 100 * 8);
    assert_int_equal(r.limit, 2 * PAGE + 100 * 8);
    assert_int_equal(call_i32(s, inst, "tgrow", 3), -1);
    assert_int_equal(r.count, 2);
    assert_int_equal(r.requested, 3 * 8);
    wb_store_on_budget_refusal(s, NULL, NULL);
    assert_int_equal(call_i32(s, inst, "tgrow", 3), -1);
    assert_int_equal(r.count, 2);
    wb_store_free(s);
}

/* The budget of the defaults is the 4 GiB of one full memory: two memories
 * of 2 GiB fit (the pages are only reserved), a third page does not. */
static void test_default_budget_is_shared(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_memory *a = wb_memory_new(s, 0, UINT64_MAX);
    wb_memory *b = wb_memory_new(s, 0, UINT64_MAX);
    assert_non_null(a);
    assert_non_null(b);
    if (wb_memory_grow(a, 32768) == 0 && wb_memory_grow(b, 32768) == 0) {
        assert_int_equal(wb_store_peak_memory(s), (uint64_t)65536 * PAGE);
        assert_int_equal(wb_memory_grow(a, 1), -1);
        assert_null(wb_table_new(s, WB_FUNCREF, 1, 1, true, null_func()));
    }
    /* (the host may refuse to reserve that much address space: nothing to check) */
    wb_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_host_tables),
        cmocka_unit_test(test_module_tables_over_budget),
        cmocka_unit_test(test_table_grow_at_budget),
        cmocka_unit_test(test_memory_and_tables_together),
        cmocka_unit_test(test_default_budget_is_shared),
        cmocka_unit_test(test_refusals_reach_the_hook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
