/* instantiate and run every export with fuel (vm/), both translations
 * The input is a module. Each translation gets a store of its own with small
 * limits (20000 fuel a call and 100000 in all, 2 MiB of memory and tables,
 * 256 KiB of value stack (2 KiB for one input in eight), call depth 500, and a watchdog interrupting it
 * after a second), so every run ends quickly; imports are satisfied by stubs:
 * functions that return values made from their arguments (and now and then
 * trap or call back into the module), fresh tables, memories and globals of
 * the imported types. Every exported function is then called twice, with
 * edge-case and with random arguments derived from the input (at most 32
 * exports).
 * Properties checked (vm.h): no crash, leak, sanitizer report or hang; a call
 * with the right arguments never ends WB_BAD_CALL; fuel never goes up and is
 * never overspent; results have the function's result types; a failed call
 * has a message; the store stays usable after every trap.
 * Whether the two translations end the same way is the differential tests'
 * business, not this harness's. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../vm/vm.h"

#define FAIL(...) (fprintf(stderr, "fuzz_run: " __VA_ARGS__), fputc('\n', stderr), abort())

enum { MAX_EXPORT_CALLS = 32, CALL_FUEL = 20000, TOTAL_FUEL = 100000, MAX_VALUES = 1000 };
static bool trace; /* FUZZ_RUN_TRACE=1: print every call's outcome (to read a failing input) */

typedef struct run {
    wb_store *s;
    uint64_t rng;
    wb_func *callback;  /* an export without params the stubs may call back */
    bool reference;     /* which translation, for the trace */
} run;

static uint64_t next(run *r)
{
    r->rng ^= r->rng << 13;
    r->rng ^= r->rng >> 7;
    r->rng ^= r->rng << 17;
    return r->rng;
}

static wb_value value_of(wb_type t, uint64_t bits)
{
    wb_value v;
    memset(&v, 0, sizeof v);
    v.type = t;
    switch (t) {
    case WB_I32: v.of.i32 = (int32_t)(uint32_t)bits; break;
    case WB_I64: v.of.i64 = (int64_t)bits; break;
    case WB_F32: { uint32_t b = (uint32_t)bits; memcpy(&v.of.f32, &b, 4); break; }
    case WB_F64: memcpy(&v.of.f64, &bits, 8); break;
    default: break; /* references: null */
    }
    return v;
}

/* Values that find boundary bugs: zero, ±1, extremes, page sizes, NaNs. */
static uint64_t edge(run *r, wb_type t)
{
    static const uint64_t ints[] = {0, 1, 2, 3, 4, 7, 8, 16, 255, 0xffff, 0x10000, 0xfffc,
                                    0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffc,
                                    0x7fffffffffffffffull, 0x8000000000000000ull, UINT64_MAX};
    static const uint32_t f32s[] = {0, 0x80000000u, 0x3f800000u, 0xbf800000u, 0x7f800000u,
                                    0xff800000u, 0x7fc00000u, 0x7fa00001u, 0x4f000000u,
                                    0xcf000000u, 0x00000001u, 0x7f7fffffu};
    static const uint64_t f64s[] = {0, 0x8000000000000000ull, 0x3ff0000000000000ull,
                                    0x7ff0000000000000ull, 0xfff0000000000000ull,
                                    0x7ff8000000000000ull, 0x7ff4000000000001ull,
                                    0x41e0000000000000ull, 0xc3e0000000000000ull, 1};
    uint64_t k = next(r);
    if (t == WB_F32)
        return f32s[k % (sizeof f32s / sizeof f32s[0])];
    if (t == WB_F64)
        return f64s[k % (sizeof f64s / sizeof f64s[0])];
    return ints[k % (sizeof ints / sizeof ints[0])];
}

/* A host function for an import: one per import, knowing its type. */
typedef struct stub_fn {
    run *r;
    wb_functype type; /* owned by the module, which outlives every call */
} stub_fn;

/* Now and then traps or calls back into the module; fills every result with
 * an argument of the same type or a made-up value. */
static int stub(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    stub_fn *f = user;
    run *r = f->r;
    for (uint32_t i = 0; i < f->type.nresults; i++) {
        wb_type t = f->type.results[i];
        uint64_t bits = next(r);
        results[i] = value_of(t, bits % 3 ? bits : edge(r, t));
        for (uint32_t j = 0; j < f->type.nparams && bits % 2; j++)
            if (args[j].type == t) {
                results[i] = args[j];
                break;
            }
    }
    uint64_t k = next(r);
    if (k % 53 == 0)
        return wb_call_trap(call, "stub trap");
    if (k % 41 == 0 && r->callback) /* its outcome is the nested call's business */
        (void)wb_func_call(wb_call_store(call), r->callback, NULL, 0, NULL, 0);
    return 0;
}

/* Fills imp[] for every import of m; fns gets one stub_fn per import. */
static bool make_imports(run *r, wb_module *m, wb_extern *imp, stub_fn *fns)
{
    uint32_t n = wb_module_import_count(m);
    for (uint32_t i = 0; i < n; i++) {
        wb_extern_desc d;
        wb_module_import(m, i, &d);
        imp[i].kind = d.kind;
        switch (d.kind) {
        case WB_EXTERN_FUNC:
            fns[i].r = r;
            fns[i].type = d.func;
            imp[i].of.func = wb_func_new_host(r->s, &d.func, stub, &fns[i]);
            if (!imp[i].of.func)
                return false;
            break;
        case WB_EXTERN_TABLE: {
            wb_value null = value_of(d.ref_type, 0);
            if (d.is64) /* a 64-bit table (table64): its maximum a u64 */
                imp[i].of.table = wb_table_new64(r->s, d.ref_type, d.limits.min,
                                                 d.limits.has_max ? d.limits.max : UINT64_MAX, null);
            else if (d.limits.min > UINT32_MAX || (d.limits.has_max && d.limits.max > UINT32_MAX))
                return false;
            else
                imp[i].of.table = wb_table_new(r->s, d.ref_type, (uint32_t)d.limits.min,
                                               (uint32_t)d.limits.max, d.limits.has_max, null);
            if (!imp[i].of.table)
                return false;
            break;
        }
        case WB_EXTERN_MEMORY:
            imp[i].of.memory = wb_memory_new(r->s, d.limits.min,
                                             d.limits.has_max ? d.limits.max : UINT64_MAX);
            if (!imp[i].of.memory)
                return false;
            break;
        case WB_EXTERN_GLOBAL:
            imp[i].of.global = wb_global_new(r->s, d.global_type, d.global_mutable,
                                             value_of(d.global_type, edge(r, d.global_type)));
            if (!imp[i].of.global)
                return false;
            break;
        case WB_EXTERN_TAG:
            imp[i].of.tag = wb_tag_new(r->s, &d.func);
            if (!imp[i].of.tag)
                return false;
            break;
        }
    }
    return true;
}

static void check_status(run *r, wb_status st, uint64_t fuel_before, const char *what)
{
    /* an uncaught exception is an outcome like a trap */
    if (st > WB_EXIT && st != WB_EXCEPTION)
        FAIL("%s ended with status %d (%s)", what, st, wb_store_trap_message(r->s));
    if (st != WB_OK && !wb_store_trap_message(r->s)[0])
        FAIL("%s ended with status %d and no message", what, st);
    if (wb_store_fuel_left(r->s) > fuel_before)
        FAIL("%s: fuel went up from %llu to %llu", what, (unsigned long long)fuel_before,
             (unsigned long long)wb_store_fuel_left(r->s));
}

static void call_exports(run *r, wb_instance *inst, const wb_module *m, uint64_t *budget)
{
    uint32_t ne = wb_module_export_count(m), calls = 0;
    wb_value *args = calloc(MAX_VALUES, sizeof *args), *res = calloc(MAX_VALUES, sizeof *res);
    if (!args || !res)
        abort();
    for (uint32_t i = 0; i < ne && calls < MAX_EXPORT_CALLS; i++) {
        wb_extern_desc d;
        wb_module_export(m, i, &d);
        wb_extern ex;
        if (d.kind != WB_EXTERN_FUNC || !wb_instance_export(inst, d.name, d.name_len, &ex))
            continue;
        if (ex.kind != WB_EXTERN_FUNC)
            FAIL("export %u is a function but looks up as kind %d", i, ex.kind);
        wb_functype t;
        wb_func_type(ex.of.func, &t);
        if (t.nparams > MAX_VALUES || t.nresults > MAX_VALUES)
            continue;
        calls++;
        for (int set = 0; set < 2 && *budget; set++) {
            for (uint32_t j = 0; j < t.nparams; j++)
                args[j] = value_of(t.params[j], set ? next(r) : edge(r, t.params[j]));
            uint64_t fuel = *budget < CALL_FUEL ? *budget : CALL_FUEL;
            wb_store_set_fuel(r->s, fuel);
            wb_status st = wb_func_call(r->s, ex.of.func, args, t.nparams, res, t.nresults);
            if (trace)
                fprintf(stderr, "%s export %.*s (set %d): status %d, fuel used %llu%s%s\n",
                         r->reference ? "reference" : "optimised", (int)d.name_len, d.name, set,
                         st, (unsigned long long)(fuel - wb_store_fuel_left(r->s)),
                         st ? ": " : "", st ? wb_store_trap_message(r->s) : "");
            check_status(r, st, fuel, "export call");
            *budget -= fuel - wb_store_fuel_left(r->s);
            if (st == WB_OK)
                for (uint32_t j = 0; j < t.nresults; j++)
                    if (res[j].type != t.results[j])
                        FAIL("result %u has type 0x%x, the function returns 0x%x", j,
                             res[j].type, t.results[j]);
        }
    }
    free(args);
    free(res);
}

/* ---- a watchdog: fuel counts instructions, and one memory.fill or
 * table.copy is one instruction however big, so a run is also interrupted
 * (WB_TRAP_INTERRUPTED) after WATCH_MS of wall-clock time. ---- */
enum { WATCH_MS = 1000 };
static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static wb_store *watched; /* under watch_lock */
static struct timespec watch_deadline;

static void *watchdog(void *arg)
{
    (void)arg;
    for (;;) {
        nanosleep(&(struct timespec){0, 20 * 1000000}, NULL);
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        pthread_mutex_lock(&watch_lock);
        if (watched && (now.tv_sec > watch_deadline.tv_sec ||
                        (now.tv_sec == watch_deadline.tv_sec && now.tv_nsec > watch_deadline.tv_nsec)))
            wb_store_interrupt(watched);
        pthread_mutex_unlock(&watch_lock);
    }
    return NULL;
}

static void watch(wb_store *s)
{
    pthread_mutex_lock(&watch_lock);
    watched = s;
    clock_gettime(CLOCK_MONOTONIC, &watch_deadline);
    watch_deadline.tv_sec += WATCH_MS / 1000;
    pthread_mutex_unlock(&watch_lock);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    trace = getenv("FUZZ_RUN_TRACE") != NULL;
    pthread_t t;
    if (pthread_create(&t, NULL, watchdog, NULL) != 0)
        abort();
    pthread_detach(t);
    return 0;
}

static void run_in(wb_translation mode, const uint8_t *bytes, size_t size, uint64_t seed)
{
    wb_limits lim = wb_default_limits();
    lim.max_memory = 2 << 20; /* 32 pages: the 16 of binaryen's generated modules, and more */
    /* one input in eight gets a stack of 2 KiB: frames that cannot fit are
     * stubs that trap at entry (vm/README.md), and running out comes early */
    lim.max_stack = seed % 8 ? 256 * 1024 : 2048;
    lim.max_call_depth = 500;
    lim.fuel = CALL_FUEL;
    run r = {.s = wb_store_new(&lim), .rng = seed | 1, .reference = mode == WB_TRANSLATE_REFERENCE};
    if (!r.s)
        abort();
    wb_store_set_translation(r.s, mode);
    watch(r.s);
    wb_error err;
    wb_module *m = wb_module_load(r.s, bytes, size, &err);
    uint32_t ni = m ? wb_module_import_count(m) : 0;
    wb_extern *imp = calloc(ni ? ni : 1, sizeof *imp);
    stub_fn *fns = calloc(ni ? ni : 1, sizeof *fns);
    if (m && imp && fns && make_imports(&r, m, imp, fns)) {
        wb_store_set_fuel(r.s, CALL_FUEL);
        wb_instance *inst = wb_instantiate(r.s, m, imp, ni, &err);
        if (inst) {
            check_status(&r, WB_OK, CALL_FUEL, "instantiation");
            /* the first export that takes nothing and returns nothing */
            for (uint32_t i = 0; i < wb_module_export_count(m) && !r.callback; i++) {
                wb_extern_desc d;
                wb_extern ex;
                wb_module_export(m, i, &d);
                if (d.kind == WB_EXTERN_FUNC && !d.func.nparams && !d.func.nresults &&
                    wb_instance_export(inst, d.name, d.name_len, &ex))
                    r.callback = ex.of.func;
            }
            uint64_t budget = TOTAL_FUEL;
            call_exports(&r, inst, m, &budget);
        } else if (trace) {
            fprintf(stderr, "instantiation failed: %s\n", err.message);
        }
        if (!inst && (err.kind == WB_ERR_NONE || !err.message[0])) {
            FAIL("instantiation failed without an error");
        }
    }
    free(imp);
    free(fns);
    watch(NULL);
    wb_store_free(r.s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *bytes = malloc(size ? size : 1);
    if (!bytes)
        return 0;
    memcpy(bytes, data, size);
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a: arguments follow the input */
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 0x100000001b3ull;
    run_in(WB_TRANSLATE_OPTIMIZED, bytes, size, h);
    run_in(WB_TRANSLATE_REFERENCE, bytes, size, h);
    free(bytes);
    return 0;
}
