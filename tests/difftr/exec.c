/* Execution and comparison (see exec.h). */
#include "exec.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* env.mix: a deterministic host function, so host calls (CALL_ANY, results
 * written over the arguments) are part of the programs. */
static int host_mix(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    (void)call;
    (void)user;
    uint32_t a = (uint32_t)args[0].of.i32, b = (uint32_t)args[1].of.i32;
    results[0].type = WB_I32;
    results[0].of.i32 = (int32_t)((a * 0x9E3779B1u) ^ ((b >> 3) | (b << 29)));
    return 0;
}

bool engine_open(engine *e, const uint8_t *wasm, size_t len, wb_translation mode, wb_error *err)
{
    memset(e, 0, sizeof *e);
    wb_limits lim = wb_default_limits();
    /* Calls are limited by depth, well before the value stack runs out, so
     * that both translations (whose frames differ in size) stop at the same
     * call. */
    lim.max_call_depth = 64;
    lim.max_stack = 8u << 20;
    lim.max_memory = 1u << 30;
    e->store = wb_store_new(&lim);
    if (!e->store) {
        snprintf(err->message, sizeof err->message, "no store");
        return false;
    }
    wb_store_set_translation(e->store, mode);
    e->module = wb_module_load(e->store, wasm, len, err);
    if (!e->module)
        return false;
    static const wb_type ii[2] = {WB_I32, WB_I32};
    wb_functype ft = {2, 1, ii, ii};
    e->mix = wb_func_new_host(e->store, &ft, host_mix, NULL);
    return e->mix != NULL;
}

void engine_close(engine *e)
{
    if (e->store)
        wb_store_free(e->store);
    memset(e, 0, sizeof *e);
}

/* hi: a v128's high 8 bytes (lanes 8..15) */
static wb_value to_value(uint8_t type, uint64_t bits, uint64_t hi)
{
    wb_value v;
    memset(&v, 0, sizeof v);
    switch (type) {
    case T_V128:
        v.type = WB_V128;
        memcpy(v.of.v128, &bits, 8);
        memcpy(v.of.v128 + 8, &hi, 8);
        break;
    case T_I32: v.type = WB_I32; v.of.i32 = (int32_t)(uint32_t)bits; break;
    case T_I64: v.type = WB_I64; v.of.i64 = (int64_t)bits; break;
    case T_F32: {
        uint32_t b = (uint32_t)bits;
        v.type = WB_F32;
        memcpy(&v.of.f32, &b, 4);
        break;
    }
    case T_F64: v.type = WB_F64; memcpy(&v.of.f64, &bits, 8); break;
    }
    return v;
}

/* The bits of a value; a v128's high half in *hi. */
static uint64_t from_value(const wb_value *v, uint64_t *hi)
{
    switch (v->type) {
    case WB_V128: {
        uint64_t lo;
        memcpy(&lo, v->of.v128, 8);
        memcpy(hi, v->of.v128 + 8, 8);
        return lo;
    }
    case WB_I32: return (uint32_t)v->of.i32;
    case WB_I64: return (uint64_t)v->of.i64;
    case WB_F32: {
        uint32_t b;
        memcpy(&b, &v->of.f32, 4);
        return b;
    }
    case WB_F64: {
        uint64_t b;
        memcpy(&b, &v->of.f64, 8);
        return b;
    }
    default: return 0;
    }
}

/* Each table's size and first elements, each as the wasm index of the
 * function it holds (compared between stores, where the pointers differ). */
static void read_table(engine *e, wb_instance *inst, outcome *o, unsigned tab)
{
    static const char *const TABLE_NAMES[NTABLES] = {"table", "table64"};
    wb_extern tx;
    if (!wb_instance_export(inst, TABLE_NAMES[tab], strlen(TABLE_NAMES[tab]), &tx) ||
        tx.kind != WB_EXTERN_TABLE)
        return;
    wb_func *funcs[MAXF + 1] = {e->mix};
    uint32_t nfuncs = 1;
    for (; nfuncs <= MAXF; nfuncs++) {
        char name[16];
        snprintf(name, sizeof name, "f%u", nfuncs - 1);
        wb_extern fx;
        if (!wb_instance_export(inst, name, strlen(name), &fx))
            break;
        funcs[nfuncs] = fx.of.func;
    }
    o->table_size[tab] = wb_table_size(tx.of.table);
    for (uint32_t i = 0; i < o->table_size[tab] && i < TABLE_MAX; i++) {
        wb_value v;
        o->table[tab][i] = -1;
        if (!wb_table_get(tx.of.table, i, &v) || !v.of.func)
            continue;
        o->table[tab][i] = -2; /* not one of ours */
        for (uint32_t k = 0; k < nfuncs; k++)
            if (funcs[k] == v.of.func)
                o->table[tab][i] = (int32_t)k;
    }
}

void engine_run(engine *e, uint32_t fi, const gfunc *f, const uint64_t *args, uint64_t fuel,
                outcome *o)
{
    memset(o, 0, sizeof *o);
    wb_error err;
    memset(&err, 0, sizeof err);
    wb_extern imp = {.kind = WB_EXTERN_FUNC, .of.func = e->mix};
    wb_instance *inst = wb_instantiate(e->store, e->module, &imp, 1, &err);
    if (!inst) {
        snprintf(o->error, sizeof o->error, "instantiation failed: %s", err.message);
        return;
    }
    char name[16];
    snprintf(name, sizeof name, "f%u", fi);
    static const char *const MEM_NAMES[NMEMS] = {"memory", "memory1", "memory2"};
    wb_extern fx, mx[NMEMS];
    bool found = wb_instance_export(inst, name, strlen(name), &fx) && fx.kind == WB_EXTERN_FUNC;
    for (unsigned k = 0; k < NMEMS && found; k++)
        found = wb_instance_export(inst, MEM_NAMES[k], strlen(MEM_NAMES[k]), &mx[k]) &&
                mx[k].kind == WB_EXTERN_MEMORY;
    if (!found) {
        snprintf(o->error, sizeof o->error, "export %s or a memory missing", name);
        return;
    }
    wb_value in[MAXP], out[2];
    for (unsigned i = 0; i < f->np; i++)
        in[i] = to_value(f->params[i], args[i], args[MAXP + i]);
    wb_store_set_fuel(e->store, fuel);
    o->status = wb_func_call(e->store, fx.of.func, in, f->np, out, f->nres);
    o->ran = true;
    o->fuel = wb_store_fuel_used(e->store);
    if (o->status != WB_OK) {
        snprintf(o->message, sizeof o->message, "%s", wb_store_trap_message(e->store));
#ifdef WB_MAX_TRAP_FRAMES
        /* the engine reports where traps happen: the same wasm instruction
         * in both translations (a fused access is the load's or store's) */
        wb_frame frames[8];
        o->nframes = wb_store_trap_frames(e->store, frames, 8);
        for (uint32_t i = 0; i < o->nframes && i < 8; i++) {
            o->frame_func[i] = frames[i].func_index;
            o->frame_offset[i] = frames[i].offset;
        }
#endif
    }
    else
        for (unsigned i = 0; i < f->nres; i++)
            o->results[i] = from_value(&out[i], &o->results[2 + i]);
    for (unsigned g = 0; g < NGLOBALS; g++) {
        char gname[8];
        snprintf(gname, sizeof gname, "g%u", g);
        wb_extern gx;
        if (wb_instance_export(inst, gname, strlen(gname), &gx) && gx.kind == WB_EXTERN_GLOBAL) {
            wb_value v = wb_global_get(gx.of.global);
            uint64_t hi;
            o->globals[g] = from_value(&v, &hi);
        }
    }
    for (unsigned k = 0; k < NMEMS; k++) {
        o->mem[k] = wb_memory_data(mx[k].of.memory);
        o->mem_size[k] = wb_memory_size(mx[k].of.memory);
    }
    for (unsigned k = 0; k < NTABLES; k++)
        read_table(e, inst, o, k);
}

static bool is_nan_bits(uint8_t type, uint64_t bits)
{
    if (type == T_F32)
        return ((bits >> 23) & 0xFF) == 0xFF && (bits & 0x7FFFFF);
    if (type == T_F64)
        return ((bits >> 52) & 0x7FF) == 0x7FF && (bits & 0xFFFFFFFFFFFFFull);
    return false;
}

/* A differing value: NaN_ONLY when both are NaNs of a float type. */
static enum verdict value_verdict(uint8_t type, uint64_t a, uint64_t b)
{
    if (a == b)
        return SAME;
    return is_nan_bits(type, a) && is_nan_bits(type, b) ? NAN_ONLY : DIVERGES;
}

/* Byte i differs: is it inside a 4- or 8-byte window that holds a NaN in
 * both memories (a float stored with another payload)? */
static bool nan_window(const uint8_t *a, const uint8_t *b, uint64_t size, uint64_t i)
{
    for (unsigned w = 4; w <= 8; w += 4) {
        for (uint64_t s = i + 1 >= w ? i + 1 - w : 0; s <= i && s + w <= size; s++) {
            uint64_t x = 0, y = 0;
            memcpy(&x, a + s, w);
            memcpy(&y, b + s, w);
            uint8_t t = w == 4 ? T_F32 : T_F64;
            if (is_nan_bits(t, x) && is_nan_bits(t, y))
                return true;
        }
    }
    return false;
}

static enum verdict worse(enum verdict a, enum verdict b) { return a > b ? a : b; }

/* Two v128 values: NaN_ONLY when, read as f32x4 or as f64x2, every lane that
 * differs holds a NaN in both (a float lane with another payload; the lane
 * shape is not known here, so either reading will do). */
static enum verdict v128_verdict(const uint64_t a[2], const uint64_t b[2])
{
    if (a[0] == b[0] && a[1] == b[1])
        return SAME;
    bool f32 = true, f64 = true;
    for (unsigned h = 0; h < 2; h++) {
        if (a[h] != b[h] && !(is_nan_bits(T_F64, a[h]) && is_nan_bits(T_F64, b[h])))
            f64 = false;
        for (unsigned w = 0; w < 64; w += 32) {
            uint32_t x = (uint32_t)(a[h] >> w), y = (uint32_t)(b[h] >> w);
            if (x != y && !(is_nan_bits(T_F32, x) && is_nan_bits(T_F32, y)))
                f32 = false;
        }
    }
    return f32 || f64 ? NAN_ONLY : DIVERGES;
}

enum verdict compare_outcomes(const gfunc *f, const outcome *a, const outcome *b, char *why,
                              size_t len)
{
    why[0] = 0;
    if (!a->ran || !b->ran) {
        snprintf(why, len, "did not run: optimised: %s; reference: %s", a->ran ? "ran" : a->error,
                 b->ran ? "ran" : b->error);
        return DIVERGES;
    }
    if (a->status != b->status || strcmp(a->message, b->message)) {
        snprintf(why, len, "status: optimised %d \"%s\", reference %d \"%s\"", a->status,
                 a->message, b->status, b->message);
        return DIVERGES;
    }
    for (uint32_t i = 0; i < a->nframes || i < b->nframes; i++) {
        if (i >= a->nframes || i >= b->nframes || a->frame_func[i] != b->frame_func[i] ||
            a->frame_offset[i] != b->frame_offset[i]) {
            snprintf(why, len, "trap frame %u: optimised %u frames, function %u offset 0x%" PRIx64
                     "; reference %u frames, function %u offset 0x%" PRIx64, i, a->nframes,
                     i < a->nframes ? a->frame_func[i] : 0, i < a->nframes ? a->frame_offset[i] : 0,
                     b->nframes, i < b->nframes ? b->frame_func[i] : 0,
                     i < b->nframes ? b->frame_offset[i] : 0);
            return DIVERGES;
        }
        if (i == 7)
            break;
    }
    if (a->fuel != b->fuel) {
        snprintf(why, len, "fuel used: optimised %" PRIu64 ", reference %" PRIu64, a->fuel, b->fuel);
        return DIVERGES;
    }
    enum verdict v = SAME;
    for (unsigned i = 0; a->status == WB_OK && i < f->nres; i++) {
        enum verdict r;
        if (f->rtype == T_V128) {
            uint64_t x[2] = {a->results[i], a->results[2 + i]}, y[2] = {b->results[i], b->results[2 + i]};
            r = v128_verdict(x, y);
        } else {
            r = value_verdict(f->rtype, a->results[i], b->results[i]);
        }
        if (r != SAME && !why[0]) {
            char x[64], y[64];
            format_result(x, sizeof x, f->rtype, a->results, i);
            format_result(y, sizeof y, f->rtype, b->results, i);
            snprintf(why, len, "result %u: optimised %s, reference %s", i, x, y);
        }
        v = worse(v, r);
    }
    for (unsigned g = 0; g < NGLOBALS; g++) {
        enum verdict r = value_verdict(GLOBAL_TYPES[g], a->globals[g], b->globals[g]);
        if (r != SAME && (!why[0] || r > v)) {
            char x[64], y[64];
            format_value(x, sizeof x, GLOBAL_TYPES[g], a->globals[g]);
            format_value(y, sizeof y, GLOBAL_TYPES[g], b->globals[g]);
            snprintf(why, len, "global g%u: optimised %s, reference %s", g, x, y);
        }
        v = worse(v, r);
    }
    for (unsigned k = 0; k < NTABLES; k++) {
        const char *tname = k == TABLE64 ? "table64" : "table";
        if (a->table_size[k] != b->table_size[k]) {
            snprintf(why, len, "%s size: optimised %u, reference %u", tname, a->table_size[k],
                     b->table_size[k]);
            return DIVERGES;
        }
        for (uint32_t i = 0; i < a->table_size[k] && i < TABLE_MAX; i++) {
            if (a->table[k][i] != b->table[k][i]) {
                snprintf(why, len, "%s element %u: optimised %d, reference %d", tname, i,
                         a->table[k][i], b->table[k][i]);
                return DIVERGES;
            }
        }
    }
    for (unsigned k = 0; k < NMEMS; k++) {
        const char *mname = k == 0 ? "memory" : k == 1 ? "memory 1" : "memory 2";
        if (a->mem_size[k] != b->mem_size[k]) {
            snprintf(why, len, "%s size: optimised %" PRIu64 ", reference %" PRIu64, mname,
                     a->mem_size[k], b->mem_size[k]);
            return DIVERGES;
        }
        const uint8_t *ma = a->mem[k], *mb = b->mem[k];
        uint64_t size = a->mem_size[k];
        if (!size || !memcmp(ma, mb, size))
            continue;
        for (uint64_t i = 0; i < size; i++) {
            if (ma[i] == mb[i])
                continue;
            enum verdict r = nan_window(ma, mb, size, i) ? NAN_ONLY : DIVERGES;
            if (r > v || !why[0])
                snprintf(why, len, "%s byte %" PRIu64 ": optimised 0x%02x, reference 0x%02x", mname,
                         i, ma[i], mb[i]);
            v = worse(v, r);
            if (v == DIVERGES)
                return v;
        }
    }
    return v;
}

enum verdict run_pair(const uint8_t *wasm, size_t len, uint32_t fi, const gfunc *f,
                      const uint64_t *args, uint64_t fuel, bool allow_invalid, char *why,
                      size_t whylen, outcome *opt, outcome *ref)
{
    engine eo, er;
    wb_error err;
    memset(&err, 0, sizeof err);
    memset(opt, 0, sizeof *opt);
    memset(ref, 0, sizeof *ref);
    bool ok = engine_open(&eo, wasm, len, WB_TRANSLATE_OPTIMIZED, &err);
    if (ok)
        ok = engine_open(&er, wasm, len, WB_TRANSLATE_REFERENCE, &err);
    else
        memset(&er, 0, sizeof er);
    enum verdict v;
    if (!ok) {
        snprintf(why, whylen, "module refused: %s", err.message);
        v = allow_invalid ? SAME : DIVERGES;
    } else {
        engine_run(&eo, fi, f, args, fuel, opt);
        engine_run(&er, fi, f, args, fuel, ref);
        v = compare_outcomes(f, opt, ref, why, whylen);
    }
    for (unsigned k = 0; k < NMEMS; k++)
        opt->mem[k] = ref->mem[k] = NULL;
    engine_close(&eo);
    engine_close(&er);
    return v;
}
