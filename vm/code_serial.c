/* Translated code as bytes, for a translation cache kept outside vm/
 * (tools/code_cache.c): position-independent (handler numbers instead of
 * handler addresses, function indices instead of code pointers), and read
 * back as untrusted bytes whatever vouched for them: every count and size
 * is checked against the module and the bytes left, every function's
 * header against its type and body, and its code by the verifier's checks
 * (verify.c, wb_code_check: known handlers filling the code exactly, slots
 * inside the frame, branch targets, call targets, every index an
 * instruction carries). All functions of the input pass, or none is used.
 *
 * What the checks cannot see is what the code computes (a fuel cost, which
 * constant, which of two slots): slots are untyped, so code made to order
 * could pass them. Whoever keeps such bytes must make sure they are the
 * engine's own (the cache authenticates them with an HMAC).
 *
 * Format (little-endian):
 *   "WBCODE01" u32 translation, u32 nfuncs of the module, u32 count, then
 *   count times: u32 defidx, ncells, nconsts, map_len, frame_slots, rec;
 *   ncells u64 cells (an instruction's first cell: its WB_OP_* / WB_XOP_*
 *   number; a PP field: the callee's defined-function index; else as is);
 *   nconsts u64; map_len bytes of code map. */
#include "code_walk.h"
#include "objects.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "WBCODE01"

/* ---- the format's identity ---- */

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; s && *s; s++)
        h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
    return (h ^ 0xff) * 0x100000001b3ull; /* a separator: "ab","c" differs from "a","bc" */
}

void wb_code_format_id(char out[WB_CODE_FORMAT_ID_MAX])
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned op = 0; op < WB_OP_COUNT; op++) {
        const wb_opinfo *i = &wb_opinfo_table[op];
        char num[32];
        snprintf(num, sizeof num, "%u %u %u %u", op, (unsigned)i->code, (unsigned)i->imm, (unsigned)i->imm_cells);
        h = fnv(fnv(fnv(h, num), i->name), i->sig);
    }
#define XOP(id, layout, synopsis) h = fnv(fnv(h, #id), layout);
#include "xops.def"
#undef XOP
    /* the format's number changes with what a cell means where the tables
     * above do not say it: 2, a conditional branch's c is what it charges
     * when taken (fuel per chain), no longer the fall-through's cost; 3,
     * the frame record is 5 slots (the caller's link registers saved) */
    snprintf(out, WB_CODE_FORMAT_ID_MAX, "wasmbox %s; code format 3; %u handlers; tables %016llx",
             WB_VERSION, (unsigned)WB_NUM_HANDLERS, (unsigned long long)h);
}

/* ---- writing ---- */

typedef struct wbuf {
    uint8_t *p;
    size_t n, cap;
    bool failed;
} wbuf;

static void put(wbuf *b, const void *src, size_t len)
{
    if (b->failed)
        return;
    if (len > b->cap - b->n) {
        size_t cap = b->cap ? b->cap : 4096;
        while (len > cap - b->n)
            cap *= 2;
        uint8_t *p = realloc(b->p, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, src, len);
    b->n += len;
}

static void put32(wbuf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(b, x, 4);
}

static void put64(wbuf *b, uint64_t v)
{
    put32(b, (uint32_t)v);
    put32(b, (uint32_t)(v >> 32));
}

/* One function's cells, handler addresses and code pointers made numbers. */
static bool put_code(wbuf *b, const wb_code_walker *w, const wb_module *m, const struct wb_compiled *c)
{
    for (size_t at = 0; at < c->ncells;) {
        wb_code_instr in;
        if (!wb_code_decode(w, c->code, c->ncells, at, &in))
            return false;
        put64(b, in.op);
        for (size_t k = 1; k < in.cells; k++) {
            const wb_cell *cell = &c->code[at + k];
            /* the layout's field for this cell (br_table's entries: none) */
            size_t li = (k - 1) * 3;
            bool ptr = li < strlen(in.layout) && in.layout[li] == 'P';
            if (ptr)
                put64(b, (uint64_t)((const struct wb_compiled *)cell->ptr - m->code_block));
            else
                put64(b, cell->u);
        }
        at += in.cells;
    }
    return true;
}

bool wb_module_code_save(const wb_module *m, uint8_t **out, size_t *len, uint32_t *nsaved)
{
    wbuf b = {0};
    wb_code_walker *w = malloc(sizeof *w);
    if (!w)
        return false;
    wb_code_walker_init(w);
    uint32_t count = 0;
    for (uint32_t i = 0; m->code_block && i < m->nfuncs; i++)
        count += wb_code_ready(&m->code_block[i]) && !m->code_block[i].exc;
    put(&b, MAGIC, 8);
    put32(&b, (uint32_t)m->translation);
    put32(&b, m->nfuncs);
    put32(&b, count);
    bool ok = true;
    for (uint32_t i = 0; ok && m->code_block && i < m->nfuncs; i++) {
        const struct wb_compiled *c = &m->code_block[i];
        /* handler tables are not saved: such a function is translated
         * again when first called (lazy.c) */
        if (!wb_code_ready(c) || c->exc)
            continue;
        put32(&b, i);
        put32(&b, (uint32_t)c->ncells);
        put32(&b, c->nconsts);
        put32(&b, c->map_len);
        put32(&b, c->frame_slots);
        put32(&b, c->rec);
        ok = put_code(&b, w, m, c);
        for (uint32_t k = 0; k < c->nconsts; k++)
            put64(&b, c->consts[k]);
        put(&b, c->map, c->map_len);
    }
    free(w);
    if (!ok || b.failed) {
        free(b.p);
        return false;
    }
    *out = b.p;
    *len = b.n;
    *nsaved = count;
    return true;
}

/* ---- reading ---- */

typedef struct rbuf {
    const uint8_t *p, *end;
} rbuf;

static bool get(rbuf *r, void *dst, size_t len)
{
    if (len > (size_t)(r->end - r->p))
        return false;
    memcpy(dst, r->p, len);
    r->p += len;
    return true;
}

static bool get32(rbuf *r, uint32_t *v)
{
    uint8_t x[4];
    if (!get(r, x, 4))
        return false;
    *v = (uint32_t)x[0] | (uint32_t)x[1] << 8 | (uint32_t)x[2] << 16 | (uint32_t)x[3] << 24;
    return true;
}

static bool get64(rbuf *r, uint64_t *v)
{
    uint32_t lo, hi;
    if (!get32(r, &lo) || !get32(r, &hi))
        return false;
    *v = (uint64_t)hi << 32 | lo;
    return true;
}

static void free_parts(struct wb_compiled *c)
{
    free(c->code);
    free(c->consts);
    free(c->map);
    wb_exc_table_free(c->exc);
}

#define BAD(...)                                                                        \
    do {                                                                                \
        snprintf(why, whylen, __VA_ARGS__);                                             \
        return false;                                                                   \
    } while (0)

/* One function: its header checked against the module, its cells made
 * addresses again, its code checked. */
static bool get_function(rbuf *r, wb_module *m, const wb_code_walker *w, uint32_t *defidx,
                         struct wb_compiled *c, char *why, size_t whylen)
{
    uint32_t idx, ncells, nconsts, map_len, frame, rec;
    if (!get32(r, &idx) || !get32(r, &ncells) || !get32(r, &nconsts) || !get32(r, &map_len) ||
        !get32(r, &frame) || !get32(r, &rec))
        BAD("truncated function header");
    if (idx >= m->nfuncs)
        BAD("function %u of %u", idx, m->nfuncs);
    /* a vouched module's body is checked before code for it is taken
     * (validate.c, wb_validate_vouched): that also gives its constant count */
    wb_error late;
    pthread_mutex_lock(&m->translate_lock);
    bool checked = wb_validate_body_late(m, idx, &late);
    pthread_mutex_unlock(&m->translate_lock);
    if (!checked)
        BAD("function %u: %.150s", idx, late.message);
    const wb_mtype *ft = &m->types[m->func_type_indices[idx]];
    const wb_code *code = &m->codes[idx];
    uint64_t want_rec = (uint64_t)ft->param_slots + code->local_slots + code->max_consts;
    size_t left = (size_t)(r->end - r->p);
    if (ncells < 2 || ncells > left / 8)
        BAD("function %u: %u cells, %zu bytes left", idx, ncells, left);
    if (nconsts > code->max_consts)
        BAD("function %u: %u constants, its body has %u", idx, nconsts, code->max_consts);
    if (rec != want_rec)
        BAD("function %u: frame record at %u, not %llu", idx, rec, (unsigned long long)want_rec);
    if ((uint64_t)frame < want_rec + WB_FRAME_RECORD || frame < (uint64_t)ft->param_slots + 4 ||
        frame > UINT32_MAX / 2)
        BAD("function %u: frame of %u slots", idx, frame);
    *defidx = idx;
    memset(c, 0, sizeof *c);
    c->code = malloc((size_t)ncells * sizeof *c->code);
    c->consts = malloc((nconsts ? nconsts : 1) * sizeof *c->consts);
    c->map = malloc(map_len ? map_len : 1);
    if (!c->code || !c->consts || !c->map)
        BAD("out of memory");
    c->ncells = ncells;
    for (uint32_t k = 0; k < ncells; k++)
        if (!get64(r, &c->code[k].u))
            BAD("function %u: truncated code", idx);
    for (uint32_t k = 0; k < nconsts; k++)
        if (!get64(r, &c->consts[k]))
            BAD("function %u: truncated constants", idx);
    if (!get(r, c->map, map_len))
        BAD("function %u: truncated code map", idx);
    c->nconsts = nconsts;
    c->map_len = map_len;
    c->nparams = ft->param_slots; /* frame slots, as translate.c counts them */
    c->nresults = ft->result_slots;
    c->nlocals = code->local_slots;
    c->func_index = m->nfunc_imports + idx;
    c->body_offset = code->body.offset;
    c->rec = rec;
    c->init_loop = c->nlocals > 4 || c->nconsts > 0;
    c->frame_slots = frame;
    /* numbers back to addresses, instruction by instruction */
    const void *const *h = wb_interp_handlers();
    for (size_t at = 0; at < ncells;) {
        uint64_t op = c->code[at].u;
        if (op >= WB_NUM_HANDLERS)
            BAD("function %u, cell %zu: no instruction %llu", idx, at, (unsigned long long)op);
        c->code[at].h = h[op];
        wb_code_instr in;
        if (!wb_code_decode_op(w, (unsigned)op, c->code, ncells, at, &in)) /* the cell is op's */
            BAD("function %u, cell %zu: instruction runs past the code", idx, at);
        size_t llen = strlen(in.layout);
        for (size_t k = 1; k < in.cells; k++) {
            size_t li = (k - 1) * 3;
            if (li < llen && in.layout[li] == 'P') {
                uint64_t callee = c->code[at + k].u;
                if (callee >= m->nfuncs)
                    BAD("function %u, cell %zu: call of function %llu", idx, at, (unsigned long long)callee);
                c->code[at + k].ptr = &m->code_block[callee];
            }
        }
        at += in.cells;
    }
    return wb_code_check(m, idx, c, w, why, whylen);
}

bool wb_module_code_load(wb_module *m, const uint8_t *bytes, size_t len, uint32_t *nloaded,
                         wb_error *err)
{
    char why[200] = "";
    rbuf r = {bytes, bytes + len};
    char magic[8];
    uint32_t mode, nfuncs, count;
    *nloaded = 0;
    if (!get(&r, magic, 8) || memcmp(magic, MAGIC, 8) || !get32(&r, &mode) || !get32(&r, &nfuncs) ||
        !get32(&r, &count)) {
        wb_error_set(err, WB_ERR_MALFORMED, 0, "translated code", "not translated code (header)");
        return false;
    }
    if (mode != (uint32_t)m->translation || nfuncs != m->nfuncs || count > m->nfuncs) {
        wb_error_set(err, WB_ERR_MALFORMED, 0, "translated code",
                     "made for another module or translation (%u of %u functions, translation %u)",
                     count, nfuncs, mode);
        return false;
    }
    struct wb_compiled *made = calloc(count ? count : 1, sizeof *made);
    uint32_t *idx = calloc(count ? count : 1, sizeof *idx);
    bool *seen = calloc(m->nfuncs ? m->nfuncs : 1, sizeof *seen);
    wb_code_walker *w = malloc(sizeof *w);
    bool ok = made && idx && seen && w;
    if (!ok)
        snprintf(why, sizeof why, "out of memory");
    else
        wb_code_walker_init(w);
    uint32_t n = 0; /* entries of made[] that may hold parts */
    while (ok && n < count) {
        ok = get_function(&r, m, w, &idx[n], &made[n], why, sizeof why);
        if (ok && seen[idx[n]]) {
            snprintf(why, sizeof why, "function %u twice", idx[n]);
            ok = false;
        }
        if (ok)
            seen[idx[n]] = true;
        n++;
    }
    if (ok && r.p != r.end) {
        snprintf(why, sizeof why, "%zu bytes after the last function", (size_t)(r.end - r.p));
        ok = false;
    }
    if (ok) {
        /* all passed: publish those still untranslated (lazy.c's protocol) */
        pthread_mutex_lock(&m->translate_lock);
        for (uint32_t k = 0; k < count; k++) {
            struct wb_compiled *c = &m->code_block[idx[k]];
            if (__atomic_load_n(&c->frame_slots, __ATOMIC_RELAXED) != WB_FRAME_UNTRANSLATED)
                continue;
            wb_code_publish(c, &made[k]);
            memset(&made[k], 0, sizeof made[k]); /* now the module's */
            (*nloaded)++;
        }
        atomic_fetch_add_explicit(&m->ntranslated, *nloaded, memory_order_relaxed);
        pthread_mutex_unlock(&m->translate_lock);
    } else {
        wb_error_set(err, WB_ERR_MALFORMED, 0, "translated code", "%s", why);
    }
    for (uint32_t k = 0; made && k < n; k++)
        free_parts(&made[k]);
    free(made);
    free(idx);
    free(seen);
    free(w);
    return ok;
}

uint32_t wb_module_translated_count(const wb_module *m)
{
    /* counted as they are published, not by a pass over the code entries
     * (4.6 MB of them in the large module of bench/README.md) */
    return atomic_load_explicit(&((wb_module *)m)->ntranslated, memory_order_relaxed);
}
