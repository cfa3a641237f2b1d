/* The implementation limits of vm/limits.h: a module one past a limit fails
 * with WB_ERR_LIMIT, the section, the offset of the count (or entry) and the
 * limit; at the limit it does not fail for that reason. Counts are checked
 * before their entries are read, so most modules here are a count followed by
 * enough filler bytes to pass the "length out of bounds" check. (Block depth
 * and br_table length: test_validate.c. Table sizes and the memory budget:
 * test_budget.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../vm/limits.h"
#include "../../vm/module.h"

/* A growable module image. */
typedef struct buf {
    uint8_t *p;
    size_t n, cap;
} buf;

static void put(buf *b, const void *bytes, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 64;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->n, bytes, n);
    b->n += n;
}

static void put_byte(buf *b, uint8_t v) { put(b, &v, 1); }

static size_t leb_len(uint64_t v)
{
    size_t n = 1;
    while (v >>= 7)
        n++;
    return n;
}

static void put_leb(buf *b, uint64_t v)
{
    do {
        uint8_t x = v & 0x7F;
        v >>= 7;
        put_byte(b, (uint8_t)(x | (v ? 0x80 : 0)));
    } while (v);
}

static buf module_start(void)
{
    buf b = {NULL, 0, 0};
    static const uint8_t hdr[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    put(&b, hdr, sizeof hdr);
    return b;
}

/* Section `id` holding `content`. Returns the offset where the content starts. */
static size_t put_section(buf *b, uint8_t id, const buf *content)
{
    put_byte(b, id);
    put_leb(b, content->n);
    size_t at = b->n;
    put(b, content->p, content->n);
    return at;
}

/* A section whose content is `count` and then `count` filler bytes. */
static size_t put_count_section(buf *b, uint8_t id, uint64_t count)
{
    buf c = {NULL, 0, 0};
    put_leb(&c, count);
    uint8_t *zeros = calloc(count ? count : 1, 1);
    assert_non_null(zeros);
    put(&c, zeros, count);
    free(zeros);
    size_t at = put_section(b, id, &c);
    free(c.p);
    return at;
}

/* Decoding (and, when it decodes, validating) fails with WB_ERR_LIMIT and
 * exactly this message. */
static void expect_limit(const buf *b, size_t offset, const char *message)
{
    wb_error err;
    memset(&err, 0, sizeof err);
    wb_module *m = wb_decode(b->p, b->n, &err);
    if (m) {
        bool ok = wb_validate(m, &err);
        wb_module_destroy(m);
        if (ok)
            fail_msg("valid, expected: %s", message);
    }
    assert_int_equal(err.kind, WB_ERR_LIMIT);
    assert_int_equal(err.offset, offset);
    assert_string_equal(err.message, message);
}

static void expect_not_limit(const buf *b)
{
    wb_error err;
    memset(&err, 0, sizeof err);
    wb_module *m = wb_decode(b->p, b->n, &err);
    if (m) {
        wb_validate(m, &err);
        wb_module_destroy(m);
    }
    if (err.kind == WB_ERR_LIMIT)
        fail_msg("unexpected limit: %s", err.message);
}

/* One vector at its limit and one past it: the count's offset is named. */
static void count_limit(uint8_t id, const char *section, uint64_t limit, const char *what)
{
    char want[200];
    for (uint64_t n = limit; n <= limit + 1; n++) {
        buf b = module_start();
        size_t at = put_count_section(&b, id, n);
        if (n == limit) {
            expect_not_limit(&b);
        } else {
            snprintf(want, sizeof want,
                     "%s, offset 0x%zx: too many %s: %llu (implementation limit %llu)", section,
                     at, what, (unsigned long long)n, (unsigned long long)limit);
            expect_limit(&b, at, want);
        }
        free(b.p);
    }
}

static void test_vector_counts(void **state)
{
    (void)state;
    count_limit(1, "type section", WB_MAX_TYPES, "types");
    count_limit(2, "import section", WB_MAX_IMPORTS, "imports");
    count_limit(3, "function section", WB_MAX_FUNCS, "functions (imported and defined)");
    count_limit(4, "table section", WB_MAX_TABLES, "tables (imported and defined)");
    count_limit(6, "global section", WB_MAX_GLOBALS, "globals (imported and defined)");
    count_limit(7, "export section", WB_MAX_EXPORTS, "exports");
    count_limit(9, "element section", WB_MAX_ELEM_SEGMENTS, "element segments");
    count_limit(10, "code section", WB_MAX_FUNCS, "function bodies");
    count_limit(11, "data section", WB_MAX_DATA_SEGMENTS, "data segments");
}

/* Imported functions count toward the functions limit. */
static void test_imports_count_toward_index_spaces(void **state)
{
    (void)state;
    buf b = module_start();
    /* (import "m" "f" (func (type 0))) */
    buf imp = {NULL, 0, 0};
    static const uint8_t entry[] = {0x01, 0x01, 0x6d, 0x01, 0x66, 0x00, 0x00};
    put(&imp, entry, sizeof entry);
    put_section(&b, 2, &imp);
    free(imp.p);
    size_t at = put_count_section(&b, 3, WB_MAX_FUNCS);
    char want[200];
    snprintf(want, sizeof want,
             "function section, offset 0x%zx: too many functions (imported and defined): %u "
             "(implementation limit %u)",
             at, WB_MAX_FUNCS + 1, WB_MAX_FUNCS);
    expect_limit(&b, at, want);
    free(b.p);
}

static void test_elements_in_a_segment(void **state)
{
    (void)state;
    buf b = module_start();
    buf c = {NULL, 0, 0};
    put_byte(&c, 0x01); /* one segment */
    put_byte(&c, 0x01); /* passive, function indices */
    put_byte(&c, 0x00); /* elemkind funcref */
    size_t count_at = c.n;
    put_leb(&c, WB_MAX_ELEM_ITEMS + 1);
    uint8_t *zeros = calloc(WB_MAX_ELEM_ITEMS + 1, 1);
    assert_non_null(zeros);
    put(&c, zeros, WB_MAX_ELEM_ITEMS + 1);
    free(zeros);
    size_t at = put_section(&b, 9, &c) + count_at;
    free(c.p);
    char want[200];
    snprintf(want, sizeof want,
             "element section, offset 0x%zx: too many elements in a segment: %u (implementation "
             "limit %u)",
             at, WB_MAX_ELEM_ITEMS + 1, WB_MAX_ELEM_ITEMS);
    expect_limit(&b, at, want);
    free(b.p);
}

/* A type with `nparams` i32 params and `nresults` i32 results. */
static buf type_module(uint32_t nparams, uint32_t nresults, size_t *vec_at)
{
    buf b = module_start();
    buf c = {NULL, 0, 0};
    put_byte(&c, 0x01);
    put_byte(&c, 0x60);
    size_t params_at = c.n;
    put_leb(&c, nparams);
    for (uint32_t i = 0; i < nparams; i++)
        put_byte(&c, 0x7F);
    size_t results_at = c.n;
    put_leb(&c, nresults);
    for (uint32_t i = 0; i < nresults; i++)
        put_byte(&c, 0x7F);
    size_t at = put_section(&b, 1, &c);
    free(c.p);
    *vec_at = at + (nparams > WB_MAX_PARAMS ? params_at : results_at);
    return b;
}

static void test_params_and_results(void **state)
{
    (void)state;
    size_t at;
    buf b = type_module(WB_MAX_PARAMS, WB_MAX_RESULTS, &at);
    expect_not_limit(&b);
    free(b.p);

    char want[200];
    b = type_module(WB_MAX_PARAMS + 1, 0, &at);
    snprintf(want, sizeof want,
             "type section, offset 0x%zx: too many params: %u (implementation limit %u)", at,
             WB_MAX_PARAMS + 1, WB_MAX_PARAMS);
    expect_limit(&b, at, want);
    free(b.p);

    b = type_module(0, WB_MAX_RESULTS + 1, &at);
    snprintf(want, sizeof want,
             "type section, offset 0x%zx: too many results: %u (implementation limit %u)", at,
             WB_MAX_RESULTS + 1, WB_MAX_RESULTS);
    expect_limit(&b, at, want);
    free(b.p);
}

/* One function of type (param i32 x nparams) declaring `nlocals` i32
 * locals in one group; *locals_at is where its declarations start. */
static buf locals_module(uint32_t nparams, uint32_t nlocals, size_t *locals_at)
{
    buf b = module_start();
    buf c = {NULL, 0, 0};
    put_byte(&c, 0x01);
    put_byte(&c, 0x60);
    put_leb(&c, nparams);
    for (uint32_t i = 0; i < nparams; i++)
        put_byte(&c, 0x7F);
    put_byte(&c, 0x00);
    put_section(&b, 1, &c);
    c.n = 0;
    static const uint8_t one_func[] = {0x01, 0x00};
    put(&c, one_func, sizeof one_func);
    put_section(&b, 3, &c);
    /* code: one entry of: 1 group (nlocals i32), end */
    size_t body_len = 1 + leb_len(nlocals) + 1 + 1;
    c.n = 0;
    put_byte(&c, 0x01);
    put_leb(&c, body_len);
    size_t decl_at = c.n;
    put_byte(&c, 0x01);
    put_leb(&c, nlocals);
    put_byte(&c, 0x7F);
    put_byte(&c, 0x0B);
    *locals_at = put_section(&b, 10, &c) + decl_at;
    free(c.p);
    return b;
}

static void test_locals(void **state)
{
    (void)state;
    size_t at;
    buf b = locals_module(0, WB_MAX_LOCALS, &at);
    expect_not_limit(&b);
    free(b.p);
    b = locals_module(1000, WB_MAX_LOCALS - 1000, &at);
    expect_not_limit(&b);
    free(b.p);

    char want[200];
    b = locals_module(0, WB_MAX_LOCALS + 1, &at);
    snprintf(want, sizeof want,
             "function 0, offset 0x%zx: too many locals: %u, params included (implementation "
             "limit %u)",
             at, WB_MAX_LOCALS + 1, WB_MAX_LOCALS);
    expect_limit(&b, at, want);
    free(b.p);
    /* the params count too */
    b = locals_module(2, WB_MAX_LOCALS - 1, &at);
    snprintf(want, sizeof want,
             "function 0, offset 0x%zx: too many locals: %u, params included (implementation "
             "limit %u)",
             at, WB_MAX_LOCALS + 1, WB_MAX_LOCALS);
    expect_limit(&b, at, want);
    free(b.p);
    /* 2^32 - 1 locals: no frame of that size is ever attempted */
    b = locals_module(0, UINT32_MAX, &at);
    snprintf(want, sizeof want,
             "function 0, offset 0x%zx: too many locals: %u, params included (implementation "
             "limit %u)",
             at, UINT32_MAX, WB_MAX_LOCALS);
    expect_limit(&b, at, want);
    free(b.p);
}

/* At the locals limit a function loads; when its frame cannot fit in the
 * store's value stack, calling it traps instead of allocating. */
static void test_locals_at_limit_run(void **state)
{
    (void)state;
    /* (func (export "f") (local i32 x 50000)) */
    static const uint8_t bytes[] = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
        0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00,
        0x00, 0x0a, 0x08, 0x01, 0x06, 0x01, 0xd0, 0x86, 0x03, 0x7f, 0x0b,
    };
    for (int small = 0; small <= 1; small++) {
        wb_limits lim = wb_default_limits();
        if (small)
            lim.max_stack = 100000; /* < 50000 slots of 8 bytes */
        wb_store *s = wb_store_new(&lim);
        wb_error err;
        wb_module *m = wb_module_load(s, bytes, sizeof bytes, &err);
        if (!m)
            fail_msg("load: %s", err.message);
        wb_instance *inst = wb_instantiate(s, m, NULL, 0, &err);
        if (!inst)
            fail_msg("instantiate: %s", err.message);
        wb_extern ext;
        assert_true(wb_instance_export(inst, "f", 1, &ext));
        wb_status st = wb_func_call(s, ext.of.func, NULL, 0, NULL, 0);
        assert_int_equal(st, small ? WB_TRAP_STACK_EXHAUSTED : WB_OK);
        wb_store_free(s);
    }
}

static void test_body_size(void **state)
{
    (void)state;
    /* (func) whose code entry is WB_MAX_BODY_BYTES + 1 bytes long (the rest
     * does not matter: the size is refused first) */
    buf b = module_start();
    static const uint8_t type_and_func[] = {0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                            0x03, 0x02, 0x01, 0x00};
    put(&b, type_and_func, sizeof type_and_func);
    buf c = {NULL, 0, 0};
    put_byte(&c, 0x01);
    size_t size_at = c.n;
    put_leb(&c, WB_MAX_BODY_BYTES + 1);
    uint8_t *zeros = calloc(WB_MAX_BODY_BYTES + 1, 1);
    assert_non_null(zeros);
    put(&c, zeros, WB_MAX_BODY_BYTES + 1);
    free(zeros);
    size_t at = put_section(&b, 10, &c) + size_at;
    free(c.p);
    char want[200];
    snprintf(want, sizeof want,
             "code section, offset 0x%zx: too many bytes in a function body: %u (implementation "
             "limit %u)",
             at, WB_MAX_BODY_BYTES + 1, WB_MAX_BODY_BYTES);
    expect_limit(&b, at, want);
    free(b.p);
}

static void test_module_size(void **state)
{
    (void)state;
    /* The size is checked before any byte is read or copied, so the claim
     * can be tested without a gigabyte behind it. */
    static const uint8_t hdr[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    wb_error err;
    assert_null(wb_decode(hdr, (size_t)WB_MAX_MODULE_BYTES + 1, &err));
    assert_int_equal(err.kind, WB_ERR_LIMIT);
    assert_string_equal(err.message, "module, offset 0x0: too many bytes in the module: "
                                     "1073741825 (implementation limit 1073741824)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector_counts),
        cmocka_unit_test(test_imports_count_toward_index_spaces),
        cmocka_unit_test(test_elements_in_a_segment),
        cmocka_unit_test(test_params_and_results),
        cmocka_unit_test(test_locals),
        cmocka_unit_test(test_locals_at_limit_run),
        cmocka_unit_test(test_body_size),
        cmocka_unit_test(test_module_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
