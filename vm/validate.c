/* wb_validate: the order in which a decoded module is checked.
 *
 * 1. Encoding of every expression (malformed bytes): the spec's decoder would
 *    reject those before any validation rule runs, so a module that is both
 *    malformed and invalid reports the malformed error.
 * 2. Module-level rules up to the segments (reference interpreter's order).
 * 3. Which functions ref.func may name (m->func_declared).
 * 4. Every function body.
 * 5. Start function, exports, the one-memory rule.
 */
#include "validate_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

const char *wb_vt_name(wb_vt t)
{
    if (t & WB_VT_REF) {
        static _Thread_local char names[4][40];
        static _Thread_local unsigned next;
        char *b = names[next++ % 4];
        uint32_t h = wb_vt_heap(t);
        const char *null = wb_vt_nullable(t) ? "null " : "";
        if (h & WB_HEAP_ABS) {
            const char *n = h == WB_HEAP_FUNC ? "func" : h == WB_HEAP_EXTERN ? "extern"
                          : h == WB_HEAP_NOFUNC ? "nofunc" : h == WB_HEAP_NOEXTERN ? "noextern"
                          : h == WB_HEAP_EXN ? "exn" : h == WB_HEAP_NOEXN ? "noexn" : "?";
            snprintf(b, sizeof names[0], "(ref %s%s)", null, n);
        } else {
            snprintf(b, sizeof names[0], "(ref %s%u)", null, h);
        }
        return b;
    }
    switch (t) {
    case WB_I32: return "i32";
    case WB_I64: return "i64";
    case WB_F32: return "f32";
    case WB_F64: return "f64";
    case WB_V128: return "v128";
    case WB_FUNCREF: return "funcref";
    case WB_EXTERNREF: return "externref";
    case WB_EXNREF: return "exnref";
    case WB_VT_UNKNOWN: return "unknown";
    default: return "?";
    }
}

/* Resolves the index spaces once: imported entities first, in import order,
 * then the module's own. */
static bool build_ctx(const wb_module *m, wb_vctx *v)
{
    /* below, the import list fills the first slots of each space: the
     * decoder's per-kind counts must agree with it */
    uint32_t count[5] = {0, 0, 0, 0, 0};
    for (uint32_t i = 0; i < m->nimports; i++) {
        if (m->imports[i].kind < 5)
            count[m->imports[i].kind]++;
    }
    if (count[WB_KIND_FUNC] != m->nfunc_imports || count[WB_KIND_TABLE] != m->ntable_imports ||
        count[WB_KIND_MEMORY] != m->nmemory_imports || count[WB_KIND_GLOBAL] != m->nglobal_imports ||
        count[WB_KIND_TAG] != m->ntag_imports)
        return false;
    v->m = m;
    v->nfuncs = wb_module_total_funcs(m);
    v->ntables = wb_module_total_tables(m);
    v->nglobals = wb_module_total_globals(m);
    v->nmemories = wb_module_total_memories(m);
    v->any64 = false;
    for (uint32_t i = 0; i < v->nmemories; i++)
        v->any64 |= wb_module_memory_type(m, i)->is64;
    v->declared = NULL;
    v->func_types = calloc(v->nfuncs ? v->nfuncs : 1, sizeof *v->func_types);
    v->tables = calloc(v->ntables ? v->ntables : 1, sizeof *v->tables);
    v->globals = calloc(v->nglobals ? v->nglobals : 1, sizeof *v->globals);
    if (!v->func_types || !v->tables || !v->globals)
        return false;
    uint32_t nf = 0, nt = 0, ng = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wb_import *im = &m->imports[i];
        if (im->kind == WB_KIND_FUNC && nf < v->nfuncs) {
            v->func_types[nf++] =
                im->desc.type_index < m->ntypes ? &m->types[im->desc.type_index] : NULL;
        } else if (im->kind == WB_KIND_TABLE && nt < v->ntables) {
            v->tables[nt++] = &im->desc.table;
        } else if (im->kind == WB_KIND_GLOBAL && ng < v->nglobals) {
            v->globals[ng++] = &im->desc.global;
        }
    }
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        uint32_t ti = m->func_type_indices[i];
        v->func_types[nf + i] = ti < m->ntypes ? &m->types[ti] : NULL;
    }
    for (uint32_t i = 0; i < m->ntables; i++)
        v->tables[nt + i] = &m->tables[i];
    v->any_table64 = false;
    for (uint32_t i = 0; i < v->ntables; i++)
        v->any_table64 |= v->tables[i] && v->tables[i]->limits.is64;
    for (uint32_t i = 0; i < m->nglobals; i++)
        v->globals[ng + i] = &m->globals[i].type;
    return true;
}

static void free_ctx(wb_vctx *v)
{
    free(v->func_types);
    free(v->tables);
    free(v->globals);
}

/* The encoding pass over the constant expressions (validate_scan.c). */
static bool scan_consts(const wb_module *m, wb_error *err)
{
    char where[48];
    for (uint32_t i = 0; i < m->nglobals; i++) {
        wb_v_where(where, sizeof where, "global section, global ", m->nglobal_imports + i);
        if (!wb_v_scan_expr(m, m->globals[i].init, where, err))
            return false;
    }
    for (uint32_t i = 0; i < m->nelems; i++) {
        const wb_elemseg *s = &m->elems[i];
        wb_v_where(where, sizeof where, "element section, segment ", i);
        if (s->mode == WB_SEG_ACTIVE && !wb_v_scan_expr(m, s->offset, where, err))
            return false;
        if (s->uses_exprs) {
            for (uint32_t k = 0; k < s->count; k++) {
                if (!wb_v_scan_expr(m, s->exprs[k], where, err))
                    return false;
            }
        }
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        wb_v_where(where, sizeof where, "data section, segment ", i);
        if (m->datas[i].mode == WB_SEG_ACTIVE && !wb_v_scan_expr(m, m->datas[i].offset, where, err))
            return false;
    }
    return true;
}

/* ... and over the function bodies. */
static bool scan_codes(const wb_module *m, wb_error *err)
{
    char where[48];
    for (uint32_t i = 0; i < m->ncodes; i++) {
        if (!m->codes[i].body.offset) /* an indexed module's entry not decoded yet */
            continue;
        wb_v_where(where, sizeof where, "function ", m->nfunc_imports + i);
        if (!wb_v_scan_expr(m, m->codes[i].body, where, err))
            return false;
    }
    return true;
}

/* The spec's C.refs: functions named anywhere outside function bodies
 * (exports, element segments, global initializers, segment offsets). */
static bool fill_declared(wb_module *m, wb_error *err)
{
    uint32_t n = wb_module_total_funcs(m);
    free(m->func_declared);
    m->func_declared = calloc(n ? n : 1, sizeof *m->func_declared);
    if (!m->func_declared) {
        wb_error_set(err, WB_ERR_NOMEM, 0, "validation", "out of memory");
        return false;
    }
    bool *d = m->func_declared;
    for (uint32_t i = 0; i < m->nexports; i++) {
        if (m->exports[i].kind == WB_KIND_FUNC && m->exports[i].index < n)
            d[m->exports[i].index] = true;
    }
    for (uint32_t i = 0; i < m->nglobals; i++)
        wb_v_mark_const_refs(m, m->globals[i].init, d, n);
    for (uint32_t i = 0; i < m->nelems; i++) {
        const wb_elemseg *s = &m->elems[i];
        if (s->mode == WB_SEG_ACTIVE)
            wb_v_mark_const_refs(m, s->offset, d, n);
        for (uint32_t k = 0; k < s->count; k++) {
            if (s->uses_exprs)
                wb_v_mark_const_refs(m, s->exprs[k], d, n);
            else if (s->func_indices[k] < n)
                d[s->func_indices[k]] = true;
        }
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        if (m->datas[i].mode == WB_SEG_ACTIVE)
            wb_v_mark_const_refs(m, m->datas[i].offset, d, n);
    }
    return true;
}

/* Checks bodies [from, to) with a checker of its own; records each body's
 * constant count for the translator. */
static bool check_range(const wb_vctx *v, uint32_t from, uint32_t to, wb_error *err)
{
    const wb_module *m = v->m;
    if (from == to) /* a module with no functions needs no checker */
        return true;
    wb_code_checker *c = wb_v_code_checker_new(v);
    if (!c) {
        wb_error_set(err, WB_ERR_NOMEM, 0, "code section", "out of memory");
        return false;
    }
    bool ok = true;
    for (uint32_t i = from; ok && i < to; i++) {
        ok = wb_v_check_body(c, i, err);
        m->codes[i].max_consts = wb_v_body_consts(c);
        m->codes[i].local_slots = wb_v_body_local_slots(c);
    }
    wb_v_code_checker_free(c);
    return ok;
}

/* Large code sections are checked by several threads, each a share of the
 * bodies in order (bodies are independent; the context is only read). A
 * failure anywhere then runs the plain pass from the start, which finds
 * the first failing body and reports what a single thread would: the
 * threads only make valid modules, the ones that run, load sooner. */
#define PARALLEL_CODE_BYTES ((size_t)4 << 20)
#define MAX_CHECK_THREADS 4

typedef struct body_share {
    const wb_vctx *v;
    uint32_t from, to;
    bool ok;
    wb_error err;
} body_share;

static void *check_share(void *arg)
{
    body_share *s = arg;
    s->ok = check_range(s->v, s->from, s->to, &s->err);
    return NULL;
}

static bool check_in_parallel(const wb_vctx *v, unsigned n)
{
    const wb_module *m = v->m;
    size_t first = m->codes[0].body.offset;
    size_t bytes = m->codes[m->ncodes - 1].body.offset - first;
    body_share shares[MAX_CHECK_THREADS];
    pthread_t threads[MAX_CHECK_THREADS];
    bool started[MAX_CHECK_THREADS] = {false};
    uint32_t at = 0;
    for (unsigned k = 0; k < n; k++) {
        uint32_t to = m->ncodes;
        if (k + 1 < n) {
            size_t goal = first + bytes / n * (k + 1);
            to = at;
            while (to < m->ncodes && m->codes[to].body.offset < goal)
                to++;
        }
        shares[k] = (body_share){.v = v, .from = at, .to = to, .ok = false};
        at = to;
    }
    for (unsigned k = 1; k < n; k++)
        started[k] = pthread_create(&threads[k], NULL, check_share, &shares[k]) == 0;
    check_share(&shares[0]);
    bool ok = shares[0].ok;
    for (unsigned k = 1; k < n; k++) {
        if (started[k])
            pthread_join(threads[k], NULL);
        else
            check_share(&shares[k]); /* no thread to be had: this one does it */
        ok = ok && shares[k].ok;
    }
    return ok;
}

static bool check_bodies(const wb_vctx *v, wb_error *err)
{
    const wb_module *m = v->m;
    if (m->ncodes == 0)
        return true;
    size_t bytes = m->codes[m->ncodes - 1].body.offset - m->codes[0].body.offset;
    /* the CPUs are counted only for a module big enough to share out: libc
     * reads them from /sys with code (strtoul's) that nothing else in a
     * small module's start touches, a 64 KB window of libc made resident */
    if (bytes >= PARALLEL_CODE_BYTES && m->ncodes > 1) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        if (cpus > 1 &&
            check_in_parallel(v, cpus < MAX_CHECK_THREADS ? (unsigned)cpus : MAX_CHECK_THREADS))
            return true;
    }
    return check_range(v, 0, m->ncodes, err);
}

/* Both entry points: every body now (vouched false), or none of them, the
 * index spaces kept in the module for wb_validate_body_late. */
static bool validate(wb_module *m, bool vouched, wb_error *err)
{
    if (err)
        err->kind = WB_ERR_NONE;
    if (m->ncodes != m->nfuncs) { /* the decoder promises this; do not index past either */
        wb_error_set(err, WB_ERR_MALFORMED, 0, "code section",
                     "function and code section have inconsistent lengths");
        return false;
    }
    wb_vctx v = {0};
    if (!build_ctx(m, &v)) {
        bool nomem = v.m != NULL; /* the counts were fine, an allocation failed */
        free_ctx(&v);
        wb_error_set(err, nomem ? WB_ERR_NOMEM : WB_ERR_MALFORMED, 0, "import section",
                     nomem ? "out of memory" : "import counts disagree with the import list");
        return false;
    }
    /* The spec's decoder reads every body before any typing rule, so a
     * malformed body wins over any other error (the order scan_consts,
     * scan_codes, then the rules). The body checker fails on everything
     * scan_codes refuses (validate_code.c), so a module that passes needs
     * no separate encoding pass over its bodies: it is run only when
     * something failed, to report what the spec's order reports. Valid
     * modules, the ones that run, are decoded once. */
    bool ok = scan_consts(m, err);
    if (ok) {
        ok = wb_v_canon_types(m) || (wb_error_set(err, WB_ERR_NOMEM, 0, "type section", "out of memory"), false);
        ok = ok && wb_v_check_module_head(&v, err) && fill_declared(m, err);
        if (ok) {
            v.declared = m->func_declared;
            ok = (vouched || check_bodies(&v, err)) && wb_v_check_module_tail(&v, err);
        }
        wb_error first;
        if (!ok && !scan_codes(m, &first) && err)
            *err = first;
    }
    if (ok && vouched) {
        m->late = calloc(1, sizeof *m->late);
        if (!m->late) {
            wb_error_set(err, WB_ERR_NOMEM, 0, "validation", "out of memory");
            ok = false;
        }
    }
    if (ok && vouched) {
        m->late->v = v; /* the module keeps the index spaces */
        /* an indexed module's entries are marked when decoded, on first
         * use: its wb_code array is not touched now */
        for (uint32_t i = 0; !m->code_entry && i < m->ncodes; i++)
            m->codes[i].max_consts = WB_BODY_UNCHECKED;
        return true;
    }
    free_ctx(&v);
    return ok;
}

bool wb_validate(wb_module *m, wb_error *err) { return validate(m, false, err); }

/* Checking the bodies is most of validation's time (bench/README.md "Large
 * modules"); a module whose exact bytes passed it before need not pay it
 * again at every start. The bodies are still all checked, each just before
 * its first use (wb_validate_body_late): if what vouched was wrong, a body
 * that fails never reaches the translator, and the call that needed it
 * fails instead of running. */
bool wb_validate_vouched(wb_module *m, wb_error *err) { return validate(m, true, err); }

bool wb_validate_body_late(wb_module *m, uint32_t defidx, wb_error *err)
{
    if (!m->late || defidx >= m->ncodes)
        return true;
    if (m->code_entry && !m->codes[defidx].body.offset) {
        /* an indexed module: its entry (local declarations, body's place)
         * is decoded first, by the decoder's rules */
        if (!wb_dec_code_entry_late(m, defidx, err)) {
            atomic_store(&m->vouch_broken, true);
            return false;
        }
        m->codes[defidx].max_consts = WB_BODY_UNCHECKED;
    }
    if (m->codes[defidx].max_consts != WB_BODY_UNCHECKED)
        return true;
    /* one checker for the module's life: making one costs more than
     * checking a small body */
    if (!m->late->c && !(m->late->c = wb_v_code_checker_new(&m->late->v))) {
        wb_error_set(err, WB_ERR_NOMEM, 0, "code section", "out of memory");
        return false;
    }
    bool ok = wb_v_check_body(m->late->c, defidx, err);
    if (ok) {
        /* what check_range records for an eagerly checked body */
        m->codes[defidx].max_consts = wb_v_body_consts(m->late->c);
        m->codes[defidx].local_slots = wb_v_body_local_slots(m->late->c);
    } else
        atomic_store(&m->vouch_broken, true);
    return ok;
}

void wb_validate_late_free(wb_module *m)
{
    if (m->late) {
        wb_v_code_checker_free(m->late->c);
        free_ctx(&m->late->v);
        free(m->late);
        m->late = NULL;
    }
}
