/* Lazy translation (vm/lazy.c, vm/README.md "Lazy translation"): a
 * compiled module starts with no function translated; each is translated on
 * its first call, whichever way it is reached (export, start function,
 * direct call, call_indirect), once, also when threads race to call it
 * first; validation stays eager (an invalid function nobody calls still
 * refuses the module); traps in lazily translated code are located; a
 * listing translates what has not run. Run under ASan (make test SAN=1,
 * where every translation also goes through the verifier) and
 * ThreadSanitizer (make test TSAN=1).
 *
 * Module (wat2wasm, embedded below; function indices: 0 $start, 1 $leaf,
 * 2 $via_table, 3 $trapper, 4 $never, 5 direct, 6 indirect, 7 started):
 * (module
 *   (type $t (func (param i32) (result i32)))
 *   (table 2 funcref)
 *   (elem (i32.const 0) $via_table $trapper)
 *   (global $started (mut i32) (i32.const 0))
 *   (func $start (global.set $started (i32.const 7)))
 *   (start $start)
 *   (func $leaf (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
 *   (func $via_table (type $t) (i32.add (call $leaf (local.get 0)) (i32.const 1)))
 *   (func $trapper (type $t) (i32.div_u (local.get 0) (i32.const 0)))
 *   (func $never (param i32) (result i32) (i32.add (local.get 0) (i32.const 5)))
 *   (func (export "direct") (param i32) (result i32) (call $leaf (local.get 0)))
 *   (func (export "indirect") (param i32 i32) (result i32)
 *     (call_indirect (type $t) (local.get 0) (local.get 1)))
 *   (func (export "started") (result i32) (global.get $started)))
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../vm/compiled.h"
#include "../../vm/runtime.h"
#include "../../vm/vm.h"

static const uint8_t lazy_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x13, 0x04, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x60, 0x02, 0x7f, 0x7f, 0x01,
    0x7f, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x09, 0x08, 0x01, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x02, 0x03, 0x04, 0x04, 0x01, 0x70, 0x00, 0x02, 0x06, 0x06,
    0x01, 0x7f, 0x01, 0x41, 0x00, 0x0b, 0x07, 0x1f, 0x03, 0x06, 0x64, 0x69,
    0x72, 0x65, 0x63, 0x74, 0x00, 0x05, 0x08, 0x69, 0x6e, 0x64, 0x69, 0x72,
    0x65, 0x63, 0x74, 0x00, 0x06, 0x07, 0x73, 0x74, 0x61, 0x72, 0x74, 0x65,
    0x64, 0x00, 0x07, 0x08, 0x01, 0x00, 0x09, 0x08, 0x01, 0x00, 0x41, 0x00,
    0x0b, 0x02, 0x02, 0x03, 0x0a, 0x40, 0x08, 0x06, 0x00, 0x41, 0x07, 0x24,
    0x00, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x41, 0x03, 0x6c, 0x0b, 0x09, 0x00,
    0x20, 0x00, 0x10, 0x01, 0x41, 0x01, 0x6a, 0x0b, 0x07, 0x00, 0x20, 0x00,
    0x41, 0x00, 0x6e, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x41, 0x05, 0x6a, 0x0b,
    0x06, 0x00, 0x20, 0x00, 0x10, 0x01, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x20,
    0x01, 0x11, 0x00, 0x00, 0x0b, 0x04, 0x00, 0x23, 0x00, 0x0b,
};

/* Which defined functions (0-7 here, no imports) are translated, as a
 * bit set. */
static unsigned translated(const wb_module *m)
{
    unsigned bits = 0;
    for (uint32_t i = 0; i < m->nfuncs; i++)
        if (wb_code_ready(m->compiled[i]))
            bits |= 1u << i;
    return bits;
}

static int32_t call1(wb_store *s, wb_instance *inst, const char *name, int32_t a, int32_t b,
                     uint32_t nargs, wb_status *st)
{
    wb_extern e;
    assert_true(wb_instance_export(inst, name, strlen(name), &e));
    wb_value args[2] = {{.type = WB_I32, .of.i32 = a}, {.type = WB_I32, .of.i32 = b}}, res;
    res.of.i32 = -1;
    *st = wb_func_call(s, e.of.func, args, nargs, &res, 1);
    return res.of.i32;
}

static void test_first_call_translates(void **state)
{
    (void)state;
    wb_error err;
    wb_module *m = wb_module_compile(lazy_wasm, sizeof lazy_wasm, WB_TRANSLATE_OPTIMIZED, &err);
    assert_non_null(m);
    assert_int_equal(translated(m), 0);
    wb_store *s = wb_store_new(NULL);
    wb_instance *inst = wb_instantiate(s, m, NULL, 0, &err);
    assert_non_null(inst);
    assert_int_equal(translated(m), 1u << 0); /* the start function ran */
    wb_status st;
    assert_int_equal(call1(s, inst, "started", 0, 0, 0, &st), 7);
    assert_int_equal(st, WB_OK);
    assert_int_equal(translated(m), 1u << 0 | 1u << 7);
    assert_int_equal(call1(s, inst, "direct", 5, 0, 1, &st), 15);
    assert_int_equal(st, WB_OK);
    assert_int_equal(translated(m), 1u << 0 | 1u << 7 | 1u << 5 | 1u << 1);
    /* through the table: $via_table, which calls $leaf (translated) */
    assert_int_equal(call1(s, inst, "indirect", 4, 0, 2, &st), 13);
    assert_int_equal(st, WB_OK);
    assert_int_equal(translated(m), 1u << 0 | 1u << 7 | 1u << 5 | 1u << 1 | 1u << 6 | 1u << 2);
    /* a trap in code translated on the way is located like any other */
    call1(s, inst, "indirect", 4, 1, 2, &st);
    assert_int_equal(st, WB_TRAP_DIV_ZERO);
    wb_frame fr[4];
    assert_int_equal(wb_store_trap_frames(s, fr, 4), 2);
    assert_int_equal(fr[0].func_index, 3);
    assert_int_equal(fr[1].func_index, 6);
    /* $never was never called */
    assert_int_equal(translated(m), 0xffu & ~(1u << 4));
    assert_true(wb_module_translate_all(m, &err));
    assert_int_equal(translated(m), 0xffu);
    wb_store_free(s);
    wb_module_unref(m);
}

/* An invalid function is refused at load although nothing would call it. */
static void test_validation_stays_eager(void **state)
{
    (void)state;
    uint8_t bad[sizeof lazy_wasm];
    memcpy(bad, lazy_wasm, sizeof bad);
    static const uint8_t never_body[] = {0x20, 0x00, 0x41, 0x05, 0x6a, 0x0b};
    uint8_t *at = memmem(bad, sizeof bad, never_body, sizeof never_body);
    assert_non_null(at);
    at[4] = 0x92; /* i32.add -> f32.add of two i32 values */
    wb_error err;
    assert_null(wb_module_compile(bad, sizeof bad, WB_TRANSLATE_OPTIMIZED, &err));
    assert_int_equal(err.kind, WB_ERR_INVALID);
    assert_non_null(strstr(err.message, "function 4"));
    assert_non_null(strstr(err.message, "type mismatch"));
}

typedef struct listing {
    char text[8192];
    size_t n;
} listing;

static void collect(void *user, const char *text)
{
    listing *l = user;
    size_t k = strlen(text);
    if (l->n + k < sizeof l->text) {
        memcpy(l->text + l->n, text, k);
        l->n += k;
        l->text[l->n] = 0;
    }
}

/* A listing shows every function, the ones never run included. */
static void test_disasm_translates(void **state)
{
    (void)state;
    wb_error err;
    wb_module *m = wb_module_compile(lazy_wasm, sizeof lazy_wasm, WB_TRANSLATE_OPTIMIZED, &err);
    assert_non_null(m);
    listing *l = calloc(1, sizeof *l);
    assert_non_null(l);
    assert_true(wb_module_disasm(m, 4, collect, l));
    assert_non_null(strstr(l->text, "function 4"));
    assert_int_equal(translated(m), 1u << 4);
    l->n = 0;
    assert_true(wb_module_disasm(m, UINT32_MAX, collect, l));
    assert_int_equal(translated(m), 0xffu);
    for (int f = 0; f < 8; f++) {
        char want[32];
        snprintf(want, sizeof want, "function %d", f);
        assert_non_null(strstr(l->text, want));
    }
    free(l);
    wb_module_unref(m);
}

/* Threads race to make the first calls of one shared module, each in its
 * own store, each in its own order: every result right, each function
 * translated once (the verifier and TSAN watch the rest). */
#define THREADS 8
typedef struct job {
    wb_module *m;
    int order;
    bool ok;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    wb_store *s = wb_store_new(NULL);
    wb_error err;
    wb_instance *inst = wb_instantiate(s, j->m, NULL, 0, &err);
    if (!inst) {
        wb_store_free(s);
        return NULL;
    }
    bool ok = true;
    wb_status st;
    for (int k = 0; k < 3 && ok; k++) {
        switch ((k + j->order) % 3) {
        case 0:
            ok = call1(s, inst, "direct", j->order, 0, 1, &st) == 3 * j->order && st == WB_OK;
            break;
        case 1:
            ok = call1(s, inst, "indirect", j->order, 0, 2, &st) == 3 * j->order + 1 && st == WB_OK;
            break;
        default:
            call1(s, inst, "indirect", j->order, 1, 2, &st);
            ok = st == WB_TRAP_DIV_ZERO;
            break;
        }
    }
    wb_store_free(s);
    j->ok = ok;
    return NULL;
}

static void race(wb_translation mode)
{
    for (int round = 0; round < 20; round++) {
        wb_error err;
        wb_module *m = wb_module_compile(lazy_wasm, sizeof lazy_wasm, mode, &err);
        assert_non_null(m);
        job jobs[THREADS];
        pthread_t th[THREADS];
        for (int i = 0; i < THREADS; i++) {
            jobs[i] = (job){m, i, false};
            assert_int_equal(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
        }
        for (int i = 0; i < THREADS; i++) {
            assert_int_equal(pthread_join(th[i], NULL), 0);
            assert_true(jobs[i].ok);
        }
        /* all but $never and "started", which no thread calls */
        assert_int_equal(translated(m), 0xffu & ~(1u << 4 | 1u << 7));
        wb_module_unref(m);
    }
}

static void test_race_optimized(void **state)
{
    (void)state;
    race(WB_TRANSLATE_OPTIMIZED);
}

static void test_race_reference(void **state)
{
    (void)state;
    race(WB_TRANSLATE_REFERENCE);
}

/* A chain of CHAIN functions, each calling the next on its first run:
 * (func $fI (param i32) (result i32) (i32.add (call $fI+1 (local.get 0))
 * (i32.const 1))), the last returning its argument; "f0" is exported, so
 * f0(x) = x + CHAIN - 1. Built here rather than embedded: its size is the
 * point. */
#define CHAIN 400
static uint8_t *put_leb(uint8_t *p, uint32_t v)
{
    do {
        uint8_t b = v & 0x7F;
        v >>= 7;
        *p++ = (uint8_t)(b | (v ? 0x80 : 0));
    } while (v);
    return p;
}

static uint8_t *section(uint8_t *p, uint8_t id, const uint8_t *body, size_t len)
{
    *p++ = id;
    p = put_leb(p, (uint32_t)len);
    memcpy(p, body, len);
    return p + len;
}

static size_t chain_module(uint8_t *out)
{
    static uint8_t body[CHAIN * 16];
    uint8_t *p = out, *b;
    memcpy(p, "\0asm\1\0\0\0", 8);
    p += 8;
    static const uint8_t types[] = {0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f};
    p = section(p, 1, types, sizeof types);
    b = put_leb(body, CHAIN);
    for (int i = 0; i < CHAIN; i++)
        *b++ = 0x00;
    p = section(p, 3, body, (size_t)(b - body));
    static const uint8_t exports[] = {0x01, 0x02, 'f', '0', 0x00, 0x00};
    p = section(p, 7, exports, sizeof exports);
    b = put_leb(body, CHAIN);
    for (uint32_t i = 0; i < CHAIN; i++) {
        uint8_t code[16], *c = code;
        *c++ = 0x00; /* no locals */
        *c++ = 0x20, *c++ = 0x00;
        if (i + 1 < CHAIN) {
            *c++ = 0x10;
            c = put_leb(c, i + 1);
            *c++ = 0x41, *c++ = 0x01, *c++ = 0x6a;
        }
        *c++ = 0x0b;
        b = put_leb(b, (uint32_t)(c - code));
        memcpy(b, code, (size_t)(c - code));
        b += c - code;
    }
    return (size_t)(section(p, 10, body, (size_t)(b - body)) - out);
}

static void *chain_worker(void *arg)
{
    job *j = arg;
    wb_store *s = wb_store_new(NULL);
    wb_error err;
    wb_instance *inst = s ? wb_instantiate(s, j->m, NULL, 0, &err) : NULL;
    if (inst) {
        wb_status st;
        j->ok = call1(s, inst, "f0", j->order, 0, 1, &st) == j->order + CHAIN - 1 && st == WB_OK;
    }
    wb_store_free(s);
    return NULL;
}

/* Threads walking one chain of untranslated functions at once meet on
 * nearly every call: one finds the callee untranslated while another is
 * translating it and publishes it a moment later. The call must then go
 * on, never trap (it once trapped as "call stack exhausted" when the
 * translation landed between the interpreter's two looks at the callee). */
static void test_race_chain(void **state)
{
    (void)state;
    static uint8_t wasm[CHAIN * 16 + 64];
    size_t len = chain_module(wasm);
    for (int round = 0; round < 200; round++) {
        wb_error err;
        wb_module *m = wb_module_compile(wasm, len, WB_TRANSLATE_OPTIMIZED, &err);
        assert_non_null(m);
        job jobs[THREADS];
        pthread_t th[THREADS];
        for (int i = 0; i < THREADS; i++) {
            jobs[i] = (job){m, i, false};
            assert_int_equal(pthread_create(&th[i], NULL, chain_worker, &jobs[i]), 0);
        }
        for (int i = 0; i < THREADS; i++) {
            assert_int_equal(pthread_join(th[i], NULL), 0);
            assert_true(jobs[i].ok);
        }
        wb_module_unref(m);
    }
}

/* Translated code saved and read back into a fresh compile of the module
 * runs the same; damaged bytes are refused whole or, where no check can
 * tell (a constant, a cost), loaded without harm to the loader; a module
 * or translation the bytes were not made for is refused. */
static void test_save_and_load(void **state)
{
    (void)state;
    wb_error err;
    wb_module *a = wb_module_compile(lazy_wasm, sizeof lazy_wasm, WB_TRANSLATE_OPTIMIZED, &err);
    assert_non_null(a);
    wb_store *s = wb_store_new(NULL);
    wb_instance *inst = wb_instantiate(s, a, NULL, 0, &err);
    assert_non_null(inst);
    wb_status st;
    assert_int_equal(call1(s, inst, "indirect", 4, 0, 2, &st), 13);
    uint8_t *bytes;
    size_t len;
    uint32_t nsaved, nloaded;
    assert_true(wb_module_code_save(a, &bytes, &len, &nsaved));
    assert_int_equal(nsaved, 4); /* start, indirect, via_table, leaf */
    wb_store_free(s);
    wb_module_unref(a);

    wb_module *b = wb_module_compile(lazy_wasm, sizeof lazy_wasm, WB_TRANSLATE_OPTIMIZED, &err);
    assert_non_null(b);
    assert_true(wb_module_code_load(b, bytes, len, &nloaded, &err));
    assert_int_equal(nloaded, 4);
    assert_int_equal(translated(b), 1u << 0 | 1u << 6 | 1u << 2 | 1u << 1);
    s = wb_store_new(NULL);
    inst = wb_instantiate(s, b, NULL, 0, &err);
    assert_non_null(inst);
    assert_int_equal(call1(s, inst, "indirect", 4, 0, 2, &st), 13);
    assert_int_equal(call1(s, inst, "direct", 5, 0, 1, &st), 15);
    assert_int_equal(call1(s, inst, "started", 0, 0, 0, &st), 7);
    wb_store_free(s);
    /* loading again changes nothing: those functions are translated */
    assert_true(wb_module_code_load(b, bytes, len, &nloaded, &err));
    assert_int_equal(nloaded, 0);
    wb_module_unref(b);

    /* every truncation is refused, and nothing is used */
    for (size_t cut = 0; cut < len; cut++) {
        wb_module *c = wb_module_compile(lazy_wasm, sizeof lazy_wasm, WB_TRANSLATE_OPTIMIZED, &err);
        assert_non_null(c);
        assert_false(wb_module_code_load(c, bytes, cut, &nloaded, &err));
        assert_int_equal(translated(c), 0);
        wb_module_unref(c);
    }
    /* every single-bit flip: refused whole, or loaded (ASan watches) */
    unsigned refused = 0;
    for (size_t bit = 0; bit < len * 8; bit++) {
        wb_module *c = wb_module_compile(lazy_wasm, sizeof lazy_wasm, WB_TRANSLATE_OPTIMIZED, &err);
        assert_non_null(c);
        bytes[bit / 8] ^= (uint8_t)(1u << bit % 8);
        if (!wb_module_code_load(c, bytes, len, &nloaded, &err)) {
            refused++;
            assert_int_equal(translated(c), 0);
        }
        bytes[bit / 8] ^= (uint8_t)(1u << bit % 8);
        wb_module_unref(c);
    }
    assert_true(refused > 0);
    /* another translation, another module */
    wb_module *r = wb_module_compile(lazy_wasm, sizeof lazy_wasm, WB_TRANSLATE_REFERENCE, &err);
    assert_non_null(r);
    assert_false(wb_module_code_load(r, bytes, len, &nloaded, &err));
    assert_non_null(strstr(err.message, "another module or translation"));
    wb_module_unref(r);
    static const uint8_t empty[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    wb_module *e = wb_module_compile(empty, sizeof empty, WB_TRANSLATE_OPTIMIZED, &err);
    assert_non_null(e);
    assert_false(wb_module_code_load(e, bytes, len, &nloaded, &err));
    wb_module_unref(e);
    free(bytes);
}

/* A module loaded vouched (an authenticated cache entry says its bytes
 * validated: wb_module_load_owned_vouched) has no body checked at load;
 * each is checked before its first translation or before cached code for
 * it is taken. A valid module runs as always; in an invalid one that was
 * vouched for, the invalid function is never translated nor given code,
 * and the vouch is reported broken. */
static wb_module *load_vouched(wb_store *s, const uint8_t *wasm, size_t len, wb_error *err)
{
    uint8_t *copy = malloc(len);
    assert_non_null(copy);
    memcpy(copy, wasm, len);
    return wb_module_load_owned_vouched(s, copy, len, err);
}

/* lazy_wasm instantiated and its two exports called, as every vouched or
 * indexed load must still compute them: "indirect" (4, 0, 2) is 13,
 * "direct" (5, 0, 1) is 15. */
static wb_instance *run_lazy_exports(wb_store *s, wb_module *m)
{
    wb_error err;
    wb_instance *inst = wb_instantiate(s, m, NULL, 0, &err);
    assert_non_null(inst);
    wb_status st;
    assert_int_equal(call1(s, inst, "indirect", 4, 0, 2, &st), 13);
    assert_int_equal(st, WB_OK);
    assert_int_equal(call1(s, inst, "direct", 5, 0, 1, &st), 15);
    return inst;
}

static void test_vouched(void **state)
{
    (void)state;
    wb_error err;
    wb_store *s = wb_store_new(NULL);
    wb_module *m = load_vouched(s, lazy_wasm, sizeof lazy_wasm, &err);
    assert_non_null(m);
    for (uint32_t i = 0; i < m->nfuncs; i++)
        assert_int_equal(m->codes[i].max_consts, WB_BODY_UNCHECKED);
    wb_instance *inst = run_lazy_exports(s, m);
    wb_status st;
    assert_int_equal(m->codes[4].max_consts, WB_BODY_UNCHECKED); /* $never: not yet */
    assert_int_equal(m->codes[1].max_consts, 1);                 /* $leaf: one constant */
    assert_true(wb_module_translate_all(m, &err));
    assert_true(wb_module_vouch_held(m));
    uint8_t *code;
    size_t len;
    uint32_t nsaved, nloaded;
    assert_true(wb_module_code_save(m, &code, &len, &nsaved));
    assert_int_equal(nsaved, 8);
    wb_store_free(s);

    /* $never made invalid (i32.add -> f32.add), vouched for all the same */
    uint8_t bad[sizeof lazy_wasm];
    memcpy(bad, lazy_wasm, sizeof bad);
    static const uint8_t never_body[] = {0x20, 0x00, 0x41, 0x05, 0x6a, 0x0b};
    uint8_t *at = memmem(bad, sizeof bad, never_body, sizeof never_body);
    assert_non_null(at);
    at[4] = 0x92;
    s = wb_store_new(NULL);
    m = load_vouched(s, bad, sizeof bad, &err);
    assert_non_null(m);
    inst = wb_instantiate(s, m, NULL, 0, &err);
    assert_non_null(inst);
    assert_int_equal(call1(s, inst, "direct", 5, 0, 1, &st), 15); /* the others run */
    assert_true(wb_module_vouch_held(m));
    /* cached code for every function, $never's included: none is taken */
    assert_false(wb_module_code_load(m, code, len, &nloaded, &err));
    assert_non_null(strstr(err.message, "function 4"));
    assert_non_null(strstr(err.message, "type mismatch"));
    assert_false(wb_module_vouch_held(m));
    assert_int_equal(translated(m) & 1u << 4, 0);
    /* nor is $never translated */
    assert_false(wb_module_translate_all(m, &err));
    assert_non_null(strstr(err.message, "function 4"));
    assert_int_equal(translated(m) & 1u << 4, 0);
    wb_store_free(s);
    free(code);
}

/* A module loaded vouched and indexed (wb_module_load_owned_vouched_indexed:
 * the cache also keeps the offsets of its bodies' entries): the index is
 * checked against the code section at load and each entry is decoded on
 * first use. An index that is not the section's own, by one byte or by
 * count, in range or not, is not used: the module is validated in full. */
static wb_module *load_indexed(wb_store *s, const uint8_t *wasm, size_t len, const uint8_t *index,
                               size_t ilen, bool *ok, wb_error *err)
{
    uint8_t *copy = malloc(len);
    assert_non_null(copy);
    memcpy(copy, wasm, len);
    return wb_module_load_owned_vouched_indexed(s, copy, len, index, ilen, ok, err);
}

static uint32_t index_at(const uint8_t *index, uint32_t i)
{
    const uint8_t *p = index + 12 + 4 * (size_t)i;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void set_index_at(uint8_t *index, uint32_t i, uint32_t v)
{
    for (int k = 0; k < 4; k++)
        index[12 + 4 * (size_t)i + k] = (uint8_t)(v >> 8 * k);
}

static void test_indexed(void **state)
{
    (void)state;
    wb_error err;
    wb_module *ref = wb_module_compile(lazy_wasm, sizeof lazy_wasm, WB_TRANSLATE_OPTIMIZED, &err);
    assert_non_null(ref);
    uint8_t *index;
    size_t ilen;
    assert_true(wb_module_code_index(ref, &index, &ilen));
    assert_int_equal(ilen, 12 + 4 * (size_t)ref->nfuncs);
    assert_memory_equal(index, "WBINDEX1", 8);
    for (uint32_t i = 0; i < ref->nfuncs; i++)
        assert_int_equal(index_at(index, i), ref->codes[i].size_offset);

    wb_store *s = wb_store_new(NULL);
    bool ok = false;
    wb_module *m = load_indexed(s, lazy_wasm, sizeof lazy_wasm, index, ilen, &ok, &err);
    assert_non_null(m);
    assert_true(ok);
    assert_non_null(m->code_entry);
    assert_non_null(m->late);
    for (uint32_t i = 0; i < m->nfuncs; i++)
        assert_int_equal(m->codes[i].body.offset, 0); /* none decoded at load */
    wb_instance *inst = run_lazy_exports(s, m);
    wb_status st;
    assert_int_equal(m->codes[4].body.offset, 0); /* $never: not yet */
    /* $leaf decoded as the walk decodes it, then checked */
    assert_int_equal(m->codes[1].body.offset, ref->codes[1].body.offset);
    assert_int_equal(m->codes[1].body.len, ref->codes[1].body.len);
    assert_int_equal(m->codes[1].size_offset, ref->codes[1].size_offset);
    assert_int_equal(m->codes[1].ngroups, ref->codes[1].ngroups);
    assert_int_equal(m->codes[1].max_consts, 1);
    assert_true(wb_module_translate_all(m, &err));
    assert_true(wb_module_vouch_held(m));
    assert_int_equal(wb_module_translated_count(m), m->nfuncs);
    for (uint32_t i = 0; i < m->nfuncs; i++)
        assert_int_equal(m->codes[i].body.offset, ref->codes[i].body.offset);
    uint8_t *again;
    size_t alen;
    assert_true(wb_module_code_index(m, &again, &alen)); /* the same index back */
    assert_int_equal(alen, ilen);
    assert_memory_equal(again, index, ilen);
    free(again);
    wb_store_free(s);

    /* lies: each entry moved by one either way, out of range, two swapped,
     * one entry short, not an index at all */
    uint32_t n = ref->nfuncs;
    uint8_t *lie = malloc(ilen);
    assert_non_null(lie);
    for (int kind = 0; kind < 2 * (int)n + 4; kind++) {
        memcpy(lie, index, ilen);
        size_t llen = ilen;
        if (kind < 2 * (int)n)
            set_index_at(lie, (uint32_t)kind / 2,
                         index_at(index, (uint32_t)kind / 2) + (kind % 2 ? 1u : -1u));
        else if (kind == 2 * (int)n)
            set_index_at(lie, n - 1, UINT32_MAX - 3);
        else if (kind == 2 * (int)n + 1) {
            set_index_at(lie, 1, index_at(index, 2));
            set_index_at(lie, 2, index_at(index, 1));
        } else if (kind == 2 * (int)n + 2) {
            lie[8] = (uint8_t)(n - 1);
            llen -= 4;
        } else
            lie[7] ^= 1;
        s = wb_store_new(NULL);
        ok = true;
        m = load_indexed(s, lazy_wasm, sizeof lazy_wasm, lie, llen, &ok, &err);
        assert_non_null(m);
        assert_false(ok);
        assert_null(m->code_entry);
        assert_null(m->late); /* validated in full, not vouched */
        inst = wb_instantiate(s, m, NULL, 0, &err);
        assert_non_null(inst);
        assert_int_equal(call1(s, inst, "direct", 5, 0, 1, &st), 15);
        wb_store_free(s);
    }
    free(lie);

    /* the index is honest, the vouch is not: $never made invalid as in
     * test_vouched, then with malformed local declarations (its group
     * count 0 -> 1 reads the body's first bytes as a group of an invalid
     * type): either way it is refused when first needed, the others run */
    static const uint8_t never_body[] = {0x20, 0x00, 0x41, 0x05, 0x6a, 0x0b};
    for (int how = 0; how < 2; how++) {
        uint8_t bad[sizeof lazy_wasm];
        memcpy(bad, lazy_wasm, sizeof bad);
        uint8_t *at = memmem(bad, sizeof bad, never_body, sizeof never_body);
        assert_non_null(at);
        if (how == 0)
            at[4] = 0x92;
        else
            at[-1] = 0x01;
        s = wb_store_new(NULL);
        m = load_indexed(s, bad, sizeof bad, index, ilen, &ok, &err);
        assert_non_null(m);
        assert_true(ok);
        inst = wb_instantiate(s, m, NULL, 0, &err);
        assert_non_null(inst);
        assert_int_equal(call1(s, inst, "direct", 5, 0, 1, &st), 15);
        assert_true(wb_module_vouch_held(m));
        assert_false(wb_module_translate_all(m, &err));
        assert_non_null(strstr(err.message, "function 4"));
        assert_non_null(strstr(err.message, how == 0 ? "type mismatch" : "malformed value type"));
        assert_false(wb_module_vouch_held(m));
        assert_int_equal(translated(m) & 1u << 4, 0);
        if (how == 1) /* its entry could not be decoded: left as it was */
            assert_int_equal(m->codes[4].body.offset, 0);
        wb_store_free(s);
    }
    free(index);
    wb_module_unref(ref);
}

/* wb_alloc_resident (vm/prefault.c): zeroed and writable whole at every
 * size, below and above the 1 MB from which a block gets a mapping of its
 * own in whole 2 MiB pages (aligned to 2 MiB, except under ASan, which
 * keeps calloc to see overflows), and freed by wb_free_resident. */
static void test_resident_blocks(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 4095, 4096, (1u << 20) - 1, 1u << 20, (1u << 20) + 1,
                                   2u << 20, (5u << 20) + 3};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        size_t n = sizes[k];
        uint8_t *p = wb_alloc_resident(n);
        assert_non_null(p);
        for (size_t i = 0; i < n; i++)
            if (p[i] != 0)
                fail_msg("byte %zu of a block of %zu is %u, not zero", i, n, p[i]);
#if !defined(__SANITIZE_ADDRESS__)
        if (n >= (1u << 20))
            assert_int_equal((uintptr_t)p % (2u << 20), 0);
#endif
        memset(p, 0xa5, n);
        if (n)
            assert_int_equal(p[n - 1], 0xa5);
        wb_free_resident(p, n);
    }
    wb_free_resident(NULL, 0);
    wb_free_resident(NULL, 3u << 20);
}

/* A non-negative i32.const immediate: signed LEB128, so a last byte
 * with bit 6 set needs one more (a zero) to stay positive. */
static uint8_t *put_sleb(uint8_t *p, uint32_t v)
{
    for (;;) {
        uint8_t b = v & 0x7f;
        v >>= 7;
        if (!v && !(b & 0x40)) {
            *p++ = b;
            return p;
        }
        *p++ = (uint8_t)(b | 0x80);
    }
}

/* So many functions that the code entries with their pointers, and the
 * instance's function index space with its block, are each over 1 MB
 * (wb_alloc_resident's own mappings): function i returns i, every one of
 * them in a table, "call" (the last) calls entry k of it. Each entry's
 * pointer is its own, only what was called is translated, and the calls
 * reach the right functions. */
#define MANY_FUNCS 20000u
static void test_many_functions(void **state)
{
    (void)state;
    uint8_t *wasm = malloc(1u << 20), *part = malloc(1u << 20), *o = wasm, *q;
    assert_non_null(wasm);
    assert_non_null(part);
    static const uint8_t head[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    memcpy(o, head, sizeof head);
    o += sizeof head;
    /* types: 0 () -> i32, 1 (i32) -> i32 */
    static const uint8_t types[] = {0x02, 0x60, 0x00, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f};
    o = section(o, 1, types, sizeof types);
    q = part;
    q = put_leb(q, MANY_FUNCS + 1);
    for (uint32_t i = 0; i < MANY_FUNCS; i++)
        *q++ = 0x00;
    *q++ = 0x01;
    o = section(o, 3, part, (size_t)(q - part));
    q = part;
    *q++ = 0x01, *q++ = 0x70, *q++ = 0x00;
    q = put_leb(q, MANY_FUNCS);
    o = section(o, 4, part, (size_t)(q - part));
    q = part;
    *q++ = 0x01, *q++ = 0x04, memcpy(q, "call", 4), q += 4, *q++ = 0x00;
    q = put_leb(q, MANY_FUNCS);
    o = section(o, 7, part, (size_t)(q - part));
    q = part;
    *q++ = 0x01, *q++ = 0x00, *q++ = 0x41, *q++ = 0x00, *q++ = 0x0b;
    q = put_leb(q, MANY_FUNCS);
    for (uint32_t i = 0; i < MANY_FUNCS; i++)
        q = put_leb(q, i);
    o = section(o, 9, part, (size_t)(q - part));
    q = part;
    q = put_leb(q, MANY_FUNCS + 1);
    for (uint32_t i = 0; i < MANY_FUNCS; i++) {
        uint8_t body[8], *b = body;
        *b++ = 0x00, *b++ = 0x41;
        b = put_sleb(b, i);
        *b++ = 0x0b;
        q = put_leb(q, (uint32_t)(b - body));
        memcpy(q, body, (size_t)(b - body));
        q += b - body;
    }
    static const uint8_t call[] = {0x07, 0x00, 0x20, 0x00, 0x11, 0x00, 0x00, 0x0b};
    memcpy(q, call, sizeof call);
    q += sizeof call;
    o = section(o, 10, part, (size_t)(q - part));
    free(part);

    wb_error err;
    wb_module *m = wb_module_compile(wasm, (size_t)(o - wasm), WB_TRANSLATE_OPTIMIZED, &err);
    if (!m)
        fail_msg("%s", err.message);
    free(wasm);
    assert_int_equal(m->nfuncs, MANY_FUNCS + 1);
    assert_true((MANY_FUNCS + 1) * (sizeof(struct wb_compiled) + sizeof(void *)) > (1u << 20));
    assert_true((MANY_FUNCS + 1) * (sizeof(wb_func) + sizeof(void *)) > (1u << 20));
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        assert_ptr_equal(m->compiled[i], &m->code_block[i]);
        assert_false(wb_code_ready(m->compiled[i]));
    }
    wb_store *s = wb_store_new(NULL);
    wb_instance *inst = wb_instantiate(s, m, NULL, 0, &err);
    assert_non_null(inst);
    static const int32_t picks[] = {0, 1, 63, 64, 8191, 8192, MANY_FUNCS / 2, MANY_FUNCS - 1};
    wb_status st;
    for (size_t k = 0; k < sizeof picks / sizeof *picks; k++) {
        assert_int_equal(call1(s, inst, "call", picks[k], 0, 1, &st), picks[k]);
        assert_int_equal(st, WB_OK);
    }
    uint32_t ready = 0;
    for (uint32_t i = 0; i < m->nfuncs; i++)
        ready += wb_code_ready(m->compiled[i]);
    assert_int_equal(ready, sizeof picks / sizeof *picks + 1);
    /* out of the table: a trap, not a call */
    call1(s, inst, "call", (int32_t)MANY_FUNCS, 0, 1, &st);
    assert_int_not_equal(st, WB_OK);
    wb_store_free(s);
    wb_module_unref(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_call_translates),
        cmocka_unit_test(test_validation_stays_eager),
        cmocka_unit_test(test_disasm_translates),
        cmocka_unit_test(test_race_optimized),
        cmocka_unit_test(test_race_reference),
        cmocka_unit_test(test_race_chain),
        cmocka_unit_test(test_save_and_load),
        cmocka_unit_test(test_vouched),
        cmocka_unit_test(test_indexed),
        cmocka_unit_test(test_resident_blocks),
        cmocka_unit_test(test_many_functions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
