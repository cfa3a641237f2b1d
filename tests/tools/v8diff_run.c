/* The wasmbox side of the V8 differential test (tests/v8diff/README.md):
 * loads a module, gives it the `fuzzing-support` logging imports, calls every
 * exported function in export order with arguments derived from SEED, and
 * prints the canonical transcript that tests/v8diff/v8_run.js prints for V8.
 *
 * usage: v8diff_run [--opt=0|1] [--fuel N] [--timeout-ms N] [--memory-dir DIR] MODULE.wasm SEED
 *
 * --opt=0 selects the reference translation (WB_TRANSLATE_REFERENCE), the
 * default the optimised one. --memory-dir writes the memory that the K-th
 * `memory` line hashes to DIR/memory-K.bin (K from 0), for the driver's NaN
 * rule on memory (README "NaNs"). Fuel and the timeout bound each call; running
 * out of either, or of stack, is printed as `skip` and ends the transcript
 * (the engines' states are no longer comparable). Exit 0 whatever the module
 * did; 2 for a usage or file error.
 */
#include "../../vm/vm.h"

#include <inttypes.h>
#include <math.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- arguments: the same function of (seed, call, param) as v8_run.js ---- */

static uint64_t mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

static const uint32_t edge_i32[] = {0, 1, 0xFFFFFFFF, 0x80000000, 0x7FFFFFFF, 2, 16, 0xFFFF, 0x10000, 0xFFFFFFF0};
static const uint64_t edge_i64[] = {0, 1, UINT64_MAX, 0x8000000000000000ull, 0x7FFFFFFFFFFFFFFFull,
                                    0xFFFFFFFF, 0x100000000ull, 0x80000000ull, 2, 0xFFFFFFFF80000000ull};
static const uint32_t edge_f32[] = {0, 0x80000000, 0x3F800000, 0xBF800000, 0x7F800000, 0xFF800000,
                                    0x7FC00000, 0x00000001, 0x7F7FFFFF, 0x4F000000, 0xCF000000, 0x5F000000};
static const uint64_t edge_f64[] = {0, 0x8000000000000000ull, 0x3FF0000000000000ull, 0xBFF0000000000000ull,
                                    0x7FF0000000000000ull, 0xFFF0000000000000ull, 0x7FF8000000000000ull,
                                    0x0000000000000001ull, 0x7FEFFFFFFFFFFFFFull, 0x41E0000000000000ull,
                                    0xC1E0000000000000ull, 0x43E0000000000000ull};
#define PICK(table, r) table[(r) % (sizeof table / sizeof table[0])]

/* Three in eight arguments come from the type's edge cases, the rest are
 * random bits. NaNs are always the canonical one: a JS number does not keep
 * a NaN's payload on its way into wasm. */
static wb_value make_arg(uint64_t seed, uint32_t call, uint32_t param, wb_type type)
{
    uint64_t r = mix64(mix64(mix64(seed) ^ call) ^ param);
    uint64_t bits = mix64(r);
    bool edge = (r & 7) < 3;
    wb_value v;
    memset(&v, 0, sizeof v);
    v.type = type;
    switch (type) {
    case WB_I32:
        v.of.i32 = (int32_t)(edge ? PICK(edge_i32, bits) : (uint32_t)bits);
        break;
    case WB_I64:
        v.of.i64 = (int64_t)(edge ? PICK(edge_i64, bits) : bits);
        break;
    case WB_F32: {
        uint32_t b = edge ? PICK(edge_f32, bits) : (uint32_t)bits;
        if ((b & 0x7F800000) == 0x7F800000 && (b & 0x7FFFFF))
            b = 0x7FC00000;
        memcpy(&v.of.f32, &b, 4);
        break;
    }
    case WB_F64: {
        uint64_t b = edge ? PICK(edge_f64, bits) : bits;
        if ((b & 0x7FF0000000000000ull) == 0x7FF0000000000000ull && (b & 0xFFFFFFFFFFFFFull))
            b = 0x7FF8000000000000ull;
        memcpy(&v.of.f64, &b, 8);
        break;
    }
    default: /* references: null */
        break;
    }
    return v;
}

/* ---- the transcript ---- */

/* TYPE:VALUE; integers signed decimal, floats their bits in hex, every NaN
 * `nan` (the spec lets NaN payloads differ), references null or not. */
static void print_value(const wb_value *v)
{
    uint32_t b32;
    uint64_t b64;
    switch (v->type) {
    case WB_I32: printf("i32:%" PRId32, v->of.i32); return;
    case WB_I64: printf("i64:%" PRId64, v->of.i64); return;
    case WB_F32:
        memcpy(&b32, &v->of.f32, 4);
        if (isnan(v->of.f32))
            printf("f32:nan");
        else
            printf("f32:0x%08" PRIx32, b32);
        return;
    case WB_F64:
        memcpy(&b64, &v->of.f64, 8);
        if (isnan(v->of.f64))
            printf("f64:nan");
        else
            printf("f64:0x%016" PRIx64, b64);
        return;
    case WB_FUNCREF: printf("funcref:%s", v->of.func ? "func" : "null"); return;
    case WB_EXTERNREF: printf("externref:%s", v->of.ext ? "ext" : "null"); return;
    case WB_EXNREF: printf("exnref:%s", v->of.exn ? "exn" : "null"); return;
    case WB_V128: {
        /* each 64-bit half whose high i32 lane is an f32 NaN pattern as
         * nan64 (every f64 NaN's high word is one, and a NaN payload may
         * differ as an f64 or as an f32, so then neither lane is compared:
         * seed 910530, an f32x4.min whose NaN lane 3 made the half an f64
         * NaN in one engine and not in the other), else its two i32 lanes,
         * an f32 NaN pattern as nan, others in hex: v8_run.js formatV128 */
        uint32_t w[4];
        memcpy(w, v->of.v128, 16);
        printf("v128:");
        for (int h = 0; h < 4; h += 2) {
            bool nan64 = (w[h + 1] & 0x7F800000u) == 0x7F800000u && (w[h + 1] & 0x7FFFFFu);
            if (nan64) {
                printf(h ? " nan64" : "nan64");
                continue;
            }
            for (int k = h; k < h + 2; k++) {
                bool nan32 = (w[k] & 0x7F800000u) == 0x7F800000u && (w[k] & 0x7FFFFFu);
                printf(k ? " " : "");
                if (nan32)
                    printf("nan");
                else
                    printf("0x%08" PRIx32, w[k]);
            }
        }
        return;
    }
    }
    printf("v128:?");
}

/* Trap kinds shared with V8 (README "Traps"). NULL: not a trap but a reason
 * to stop comparing (printed as skip). */
static const char *trap_kind(wb_status st)
{
    switch (st) {
    case WB_TRAP_UNREACHABLE: return "unreachable";
    case WB_TRAP_MEMORY_OOB: return "memory-oob";
    case WB_TRAP_TABLE_OOB:
    case WB_TRAP_UNDEFINED_ELEMENT: return "table-oob";
    case WB_TRAP_INDIRECT_MISMATCH:
    case WB_TRAP_UNINITIALIZED_ELEMENT: return "indirect-call";
    case WB_TRAP_DIV_ZERO: return "div-zero";
    case WB_TRAP_INT_OVERFLOW:
    case WB_TRAP_INVALID_CONVERSION: return "overflow";
    default: return NULL;
    }
}

static const char *skip_reason(wb_status st)
{
    switch (st) {
    case WB_TRAP_STACK_EXHAUSTED: return "stack";
    case WB_TRAP_OUT_OF_FUEL: return "fuel";
    case WB_TRAP_INTERRUPTED: return "time";
    default: return NULL;
    }
}

/* Prints `trap KIND` or `skip REASON` (true: stop), or `error ...` for
 * anything no V8 run can print (a host trap, a bad call), which then shows
 * as a divergence. */
static bool print_failure(const char *prefix, wb_status st, const char *message)
{
    const char *kind = trap_kind(st), *skip = skip_reason(st);
    if (kind)
        printf("%strap %s\n", prefix, kind);
    else if (skip)
        printf("skip %s\n", skip);
    else
        printf("%serror %s\n", prefix, message);
    return skip != NULL;
}

/* The memory behind a `memory` line, for the driver to compare byte by byte;
 * a file it cannot write is an `error` line (the run then diverges). */
static void dump_memory(const char *dir, const uint8_t *data, uint64_t size)
{
    static unsigned count;
    char path[4096];
    snprintf(path, sizeof path, "%s/memory-%u.bin", dir, count++);
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(data, 1, (size_t)size, f) == (size_t)size;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok)
        printf("error cannot write %s\n", path);
}

static void print_memory(wb_memory *mem, const char *dump_dir)
{
    if (!mem) {
        printf("memory none\n");
        return;
    }
    static const uint8_t empty[1];
    uint64_t size = wb_memory_size(mem);
    const uint8_t *data = size ? wb_memory_data(mem) : empty;
    if (dump_dir) /* numbered by `memory` line, hashed or not, as in v8_run.js */
        dump_memory(dump_dir, data, size);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(data, (size_t)size, md, &mdlen, EVP_sha256(), NULL)) {
        printf("memory %" PRIu64 " hash-failed\n", size / 65536);
        return;
    }
    printf("memory %" PRIu64 " ", size / 65536);
    for (unsigned int i = 0; i < mdlen; i++)
        printf("%02x", md[i]);
    printf("\n");
}

/* ---- imports: fuzzing-support.log-{i32,i64,f32,f64} ---- */

static int log_value(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    (void)call;
    (void)user;
    (void)results;
    printf("log ");
    print_value(&args[0]);
    printf("\n");
    return 0;
}

static const wb_type log_types[] = {WB_I32, WB_I64, WB_F32, WB_F64, WB_V128};
static const char *const log_names[] = {"log-i32", "log-i64", "log-f32", "log-f64", "log-v128"};

/* The logging function an import asks for, or NULL when the import is
 * anything else (V8 gets no other import either: both fail to link). */
static wb_func *log_import(wb_store *store, const wb_extern_desc *d)
{
    static const char module[] = "fuzzing-support";
    if (d->kind != WB_EXTERN_FUNC || d->module_len != strlen(module) || memcmp(d->module, module, d->module_len))
        return NULL;
    for (size_t i = 0; i < sizeof log_types / sizeof log_types[0]; i++) {
        if (d->name_len != strlen(log_names[i]) || memcmp(d->name, log_names[i], d->name_len))
            continue;
        if (d->func.nparams != 1 || d->func.params[0] != log_types[i] || d->func.nresults != 0)
            return NULL;
        wb_functype type = {.nparams = 1, .params = &log_types[i], .nresults = 0};
        return wb_func_new_host(store, &type, log_value, NULL);
    }
    return NULL;
}

/* ---- the run ---- */

static wb_store *alarm_store;

static void on_alarm(int sig)
{
    (void)sig;
    if (alarm_store)
        wb_store_interrupt(alarm_store); /* an atomic store: signal-safe */
}

typedef struct run_opts {
    uint64_t fuel;
    unsigned timeout_s;
    uint64_t seed;
    const char *memory_dir; /* NULL: no memory dumps */
} run_opts;

/* Calls one function under the per-call bounds; true when the run must stop. */
static bool call_export(wb_store *store, wb_func *f, const char *name, size_t name_len, uint32_t index,
                        const run_opts *o)
{
    wb_functype t;
    wb_func_type(f, &t);
    wb_value args[1024], results[1024];
    if (t.nparams > 1024 || t.nresults > 1024) {
        printf("call %.*s\nerror too many params or results\n", (int)name_len, name);
        return true;
    }
    for (uint32_t k = 0; k < t.nparams + t.nresults; k++) {
        if ((k < t.nparams ? t.params[k] : t.results[k - t.nparams]) == WB_V128) {
            /* V8's JS API cannot pass a v128: neither side calls it */
            printf("call %.*s v128-signature\n", (int)name_len, name);
            return false;
        }
    }
    printf("call %.*s", (int)name_len, name);
    for (uint32_t p = 0; p < t.nparams; p++) {
        args[p] = make_arg(o->seed, index, p, t.params[p]);
        printf(" ");
        print_value(&args[p]);
    }
    printf("\n");
    wb_store_set_fuel(store, o->fuel);
    wb_store_clear_interrupt(store);
    alarm(o->timeout_s);
    wb_status st = wb_func_call(store, f, args, t.nparams, results, t.nresults);
    alarm(0);
    if (st != WB_OK)
        return print_failure("", st, wb_store_trap_message(store));
    printf("result");
    for (uint32_t r = 0; r < t.nresults; r++) {
        printf(" ");
        print_value(&results[r]);
    }
    printf("\n");
    return false;
}

/* binaryen's -ttf modules count calls and loop iterations down from a global
 * that this export resets; binaryen's own runner calls it before each export
 * (README "Calls"). Returns false when it is there but fails. */
static bool reset_hang_limit(wb_store *store, wb_instance *inst, const run_opts *o)
{
    static const char name[] = "hangLimitInitializer";
    wb_extern ext;
    if (!wb_instance_export(inst, name, strlen(name), &ext) || ext.kind != WB_EXTERN_FUNC)
        return true;
    wb_functype t;
    wb_func_type(ext.of.func, &t);
    if (t.nparams || t.nresults)
        return true;
    wb_store_set_fuel(store, o->fuel);
    return wb_func_call(store, ext.of.func, NULL, 0, NULL, 0) == WB_OK;
}

/* Instantiation runs a start function, if any, under the same bounds as a call. */
static wb_instance *instantiate(wb_store *store, wb_module *m, const run_opts *o)
{
    uint32_t n = wb_module_import_count(m);
    wb_extern *imports = calloc(n ? n : 1, sizeof *imports);
    if (!imports) {
        printf("error out of memory\n");
        return NULL;
    }
    for (uint32_t i = 0; i < n; i++) {
        wb_extern_desc d;
        wb_module_import(m, i, &d);
        imports[i].kind = WB_EXTERN_FUNC;
        imports[i].of.func = log_import(store, &d);
        if (!imports[i].of.func) {
            printf("instance link-error\n");
            free(imports);
            return NULL;
        }
    }
    wb_error err;
    wb_store_set_fuel(store, o->fuel);
    alarm(o->timeout_s);
    wb_instance *inst = wb_instantiate(store, m, imports, n, &err);
    alarm(0);
    free(imports);
    if (inst) {
        printf("instance ok\n");
        return inst;
    }
    if (err.kind == WB_ERR_LINK) {
        printf("instance link-error\n");
        return NULL;
    }
    /* A trap while initialising: the message ends with the status's text. */
    for (wb_status st = WB_TRAP_UNREACHABLE; st <= WB_TRAP_HOST; st++) {
        const char *text = wb_status_message(st);
        size_t lt = strlen(text), lm = strlen(err.message);
        if (err.kind == WB_ERR_TRAP && lm >= lt && !strcmp(err.message + lm - lt, text)) {
            print_failure("instance ", st, err.message);
            return NULL;
        }
    }
    printf("instance error %s\n", err.message);
    return NULL;
}

static void run(wb_store *store, wb_module *m, const run_opts *o)
{
    wb_instance *inst = instantiate(store, m, o);
    if (!inst)
        return;
    wb_memory *mem = NULL;
    uint32_t nexports = wb_module_export_count(m), calls = 0;
    for (uint32_t i = 0; i < nexports && !mem; i++) {
        wb_extern_desc d;
        wb_module_export(m, i, &d);
        wb_extern ext;
        if (d.kind == WB_EXTERN_MEMORY && wb_instance_export(inst, d.name, d.name_len, &ext))
            mem = ext.of.memory;
    }
    for (uint32_t i = 0; i < nexports; i++) {
        wb_extern_desc d;
        wb_module_export(m, i, &d);
        wb_extern ext;
        if (d.kind != WB_EXTERN_FUNC || !wb_instance_export(inst, d.name, d.name_len, &ext))
            continue;
        if (!reset_hang_limit(store, inst, o)) {
            printf("error hangLimitInitializer failed: %s\n", wb_store_trap_message(store));
            return;
        }
        if (call_export(store, ext.of.func, d.name, d.name_len, calls++, o))
            return;
        print_memory(mem, o->memory_dir);
    }
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0)
        buf = malloc(n ? (size_t)n : 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static int usage(void)
{
    fprintf(stderr, "usage: v8diff_run [--opt=0|1] [--fuel N] [--timeout-ms N] [--memory-dir DIR] MODULE.wasm SEED\n");
    return 2;
}

int main(int argc, char **argv)
{
    run_opts o = {.fuel = 100000000, .timeout_s = 10, .seed = 0, .memory_dir = NULL};
    wb_translation mode = WB_TRANSLATE_OPTIMIZED;
    int i = 1;
    for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
        if (!strcmp(argv[i], "--opt=0"))
            mode = WB_TRANSLATE_REFERENCE;
        else if (!strcmp(argv[i], "--opt=1"))
            mode = WB_TRANSLATE_OPTIMIZED;
        else if (!strcmp(argv[i], "--fuel") && i + 1 < argc)
            o.fuel = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--timeout-ms") && i + 1 < argc)
            o.timeout_s = (unsigned)((strtoull(argv[++i], NULL, 10) + 999) / 1000);
        else if (!strcmp(argv[i], "--memory-dir") && i + 1 < argc)
            o.memory_dir = argv[++i];
        else
            return usage();
    }
    if (argc - i != 2)
        return usage();
    char *end;
    o.seed = strtoull(argv[i + 1], &end, 10);
    if (*end || !*argv[i + 1])
        return usage();
    size_t len;
    uint8_t *bytes = read_file(argv[i], &len);
    if (!bytes) {
        fprintf(stderr, "v8diff_run: %s: cannot read\n", argv[i]);
        return 2;
    }
    wb_store *store = wb_store_new(NULL);
    if (!store) {
        fprintf(stderr, "v8diff_run: cannot create a store\n");
        free(bytes);
        return 2;
    }
    wb_store_set_translation(store, mode);
    alarm_store = store;
    signal(SIGALRM, on_alarm);
    wb_error err;
    wb_module *m = wb_module_load(store, bytes, len, &err);
    free(bytes);
    if (m) {
        printf("module ok\n");
        run(store, m, &o);
    } else if (err.kind == WB_ERR_NOMEM) {
        printf("module error %s\n", err.message);
    } else {
        printf("module invalid\n"); /* V8 says no more than CompileError either */
    }
    wb_store_free(store);
    return fflush(stdout) == 0 ? 0 : 2;
}
