/* Trees of generated programs: allocation, constructors and the text
 * printer (see ast.h). */
#include "ast.h"
#include "gen.h" /* gen_table64 */
#include "rng.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const uint8_t GLOBAL_TYPES[NGLOBALS] = {T_I32, T_I64, T_F32, T_F64, T_I32};

/* ---- arena ---- */

struct chunk {
    struct chunk *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
};

void *arena_alloc(arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    struct chunk *c = a->head;
    if (!c || c->used + size > c->size) {
        size_t want = size > 65536 ? size : 65536;
        c = malloc(sizeof *c + want);
        if (!c) {
            fprintf(stderr, "difftr: out of memory\n");
            exit(2);
        }
        c->next = a->head;
        c->used = 0;
        c->size = want;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

void arena_free(arena *a)
{
    while (a->head) {
        struct chunk *next = a->head->next;
        free(a->head);
        a->head = next;
    }
}

/* ---- constructors ---- */

node *mk(arena *a, uint8_t kind, uint8_t type, uint8_t nres, unsigned nkids)
{
    node *n = arena_alloc(a, sizeof *n);
    n->kind = kind;
    n->type = type;
    n->nres = nres;
    n->nkids = (uint16_t)nkids;
    if (nkids)
        n->kids = arena_alloc(a, nkids * sizeof *n->kids);
    return n;
}

node *mk_kids(arena *a, uint8_t kind, uint8_t type, uint8_t nres, ...)
{
    node *kids[8];
    unsigned n = 0;
    va_list ap;
    va_start(ap, nres);
    for (node *k; n < 8 && (k = va_arg(ap, node *)) != NULL;)
        kids[n++] = k;
    va_end(ap);
    node *x = mk(a, kind, type, nres, n);
    for (unsigned i = 0; i < n; i++)
        x->kids[i] = kids[i];
    return x;
}

node *mk_const(arena *a, uint8_t type, uint64_t bits)
{
    node *n = mk(a, N_CONST, type, 1, 0);
    if (type == T_I32 || type == T_F32)
        bits &= 0xFFFFFFFFu;
    n->imm = bits;
    return n;
}

node *mk_v128(arena *a, uint64_t lo, uint64_t hi)
{
    node *n = mk(a, N_CONST, T_V128, 1, 0);
    n->imm = lo;
    n->imm2 = hi;
    return n;
}

node *mk_op3(arena *a, const opinfo *op, node *x, node *y, node *z)
{
    node *n = mk(a, N_BIN, op->r, 1, 3);
    n->op = op;
    n->kids[0] = x;
    n->kids[1] = y;
    n->kids[2] = z;
    return n;
}

node *mk_lget(arena *a, const gfunc *f, uint32_t local)
{
    node *n = mk(a, N_LGET, local_type(f, local), 1, 0);
    n->idx = local;
    return n;
}

node *mk_gget(arena *a, uint32_t global)
{
    node *n = mk(a, N_GGET, GLOBAL_TYPES[global], 1, 0);
    n->idx = global;
    return n;
}

node *mk_op(arena *a, const opinfo *op, node *x, node *y)
{
    node *n = mk(a, op->cls == OC_UN ? N_UN : N_BIN, op->r, 1, y ? 2 : 1);
    n->op = op;
    n->kids[0] = x;
    if (y)
        n->kids[1] = y;
    return n;
}

node *mk_opn(arena *a, const char *name, node *x, node *y)
{
    const opinfo *op = op_by_name(name);
    if (!op) {
        fprintf(stderr, "difftr: no instruction %s\n", name);
        abort();
    }
    return mk_op(a, op, x, y);
}

node *mk_load(arena *a, const opinfo *op, uint64_t offset, node *addr)
{
    node *n = mk(a, N_LOAD, op->r, 1, 1);
    n->op = op;
    n->imm = offset;
    n->kids[0] = addr;
    return n;
}

node *mk_store(arena *a, const opinfo *op, uint64_t offset, node *addr, node *value)
{
    node *n = mk(a, N_STORE, T_NONE, 0, 2);
    n->op = op;
    n->imm = offset;
    n->kids[0] = addr;
    n->kids[1] = value;
    return n;
}

node *mk_tee(arena *a, const gfunc *f, uint32_t local, node *v)
{
    node *n = mk(a, N_TEE, local_type(f, local), 1, 1);
    n->idx = local;
    n->kids[0] = v;
    return n;
}

static node *mk_sink(arena *a, uint8_t kind, uint32_t idx, node *v)
{
    node *n = mk(a, kind, T_NONE, 0, 1);
    n->idx = idx;
    n->kids[0] = v;
    return n;
}

node *mk_lset(arena *a, uint32_t local, node *v) { return mk_sink(a, N_LSET, local, v); }
node *mk_gset(arena *a, uint32_t global, node *v) { return mk_sink(a, N_GSET, global, v); }
node *mk_drop(arena *a, node *v) { return mk_sink(a, N_DROP, 0, v); }

node *mk_select(arena *a, uint8_t t, node *x, node *y, node *cond, bool typed)
{
    node *n = mk(a, N_SELECT, t, 1, 3);
    n->flag = typed;
    n->kids[0] = x;
    n->kids[1] = y;
    n->kids[2] = cond;
    return n;
}

node *mk_seq(arena *a, uint8_t type, uint8_t nres, unsigned n, node *const *items)
{
    node *s = mk(a, N_SEQ, type, nres, n);
    for (unsigned i = 0; i < n; i++)
        s->kids[i] = items[i];
    return s;
}

node *mk_seq2(arena *a, node *first, node *second)
{
    node *items[2] = {first, second};
    node *v = first->nres ? first : second;
    return mk_seq(a, v->type, (uint8_t)(first->nres + second->nres), 2, items);
}

/* ---- initial memory ---- */

void module_data(uint64_t seed, uint32_t which, uint32_t *offset, uint8_t *bytes, uint32_t *len)
{
    *offset = which == 1 ? MEM_PAGES * 65536 - 512 : 0;
    *len = seed ? (which == 0 ? 1024 : 512) : 0;
    rng r = {rng_mix(seed, which)};
    for (uint32_t i = 0; i < *len; i += 8) {
        uint64_t v = rng_next(&r);
        /* mostly small numbers: loads of them make in-bounds addresses */
        if (v % 4 == 0)
            v &= 0x00000FFC00000FFCull;
        memcpy(bytes + i, &v, 8);
    }
}

/* ---- values as text ---- */

static void format_nan(char *buf, size_t len, bool negative, uint64_t payload, uint64_t canonical)
{
    if (payload == canonical)
        snprintf(buf, len, "%snan", negative ? "-" : "");
    else
        snprintf(buf, len, "%snan:0x%" PRIx64, negative ? "-" : "", payload);
}

/* The same text as tools/cli_values.c prints: shortest round-tripping
 * decimal, NaNs with sign and non-canonical payload. */
void format_value(char *buf, size_t len, uint8_t type, uint64_t bits)
{
    switch (type) {
    case T_I32:
        snprintf(buf, len, "%" PRId32, (int32_t)(uint32_t)bits);
        return;
    case T_I64:
        snprintf(buf, len, "%" PRId64, (int64_t)bits);
        return;
    case T_F32: {
        uint32_t b = (uint32_t)bits;
        float f;
        memcpy(&f, &b, 4);
        if (isnan(f)) {
            format_nan(buf, len, b >> 31, b & 0x7FFFFF, 0x400000);
            return;
        }
        for (int prec = 1; prec <= 9; prec++) {
            snprintf(buf, len, "%.*g", prec, (double)f);
            float back = strtof(buf, NULL);
            if (memcmp(&back, &f, 4) == 0)
                return;
        }
        return;
    }
    case T_F64: {
        double d;
        memcpy(&d, &bits, 8);
        if (isnan(d)) {
            format_nan(buf, len, bits >> 63, bits & 0xFFFFFFFFFFFFFull, 0x8000000000000ull);
            return;
        }
        for (int prec = 1; prec <= 17; prec++) {
            snprintf(buf, len, "%.*g", prec, d);
            double back = strtod(buf, NULL);
            if (memcmp(&back, &d, 8) == 0)
                return;
        }
        return;
    }
    default:
        snprintf(buf, len, "?");
    }
}

void format_v128(char *buf, size_t len, uint64_t lo, uint64_t hi)
{
    snprintf(buf, len, "i32x4 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32,
             (uint32_t)lo, (uint32_t)(lo >> 32), (uint32_t)hi, (uint32_t)(hi >> 32));
}

void format_arg(char *buf, size_t len, uint8_t type, const uint64_t *args, unsigned i)
{
    if (type == T_V128)
        format_v128(buf, len, args[i], args[MAXP + i]);
    else
        format_value(buf, len, type, args[i]);
}

void format_result(char *buf, size_t len, uint8_t type, const uint64_t *results, unsigned i)
{
    if (type == T_V128)
        format_v128(buf, len, results[i], results[2 + i]);
    else
        format_value(buf, len, type, results[i]);
}

/* A constant in wat syntax: exact (hex floats, NaN payloads; a v128 as its
 * four 32-bit lanes, which keeps every bit). */
static void wat_const(FILE *out, uint8_t type, uint64_t bits, uint64_t hi)
{
    switch (type) {
    case T_V128: {
        char buf[64];
        format_v128(buf, sizeof buf, bits, hi);
        fprintf(out, "v128.const %s", buf);
        return;
    }
    case T_I32:
        fprintf(out, "i32.const %" PRId32, (int32_t)(uint32_t)bits);
        return;
    case T_I64:
        fprintf(out, "i64.const %" PRId64, (int64_t)bits);
        return;
    case T_F32: {
        uint32_t b = (uint32_t)bits;
        float f;
        memcpy(&f, &b, 4);
        const char *sign = b >> 31 ? "-" : "";
        if (isnan(f))
            fprintf(out, "f32.const %snan:0x%" PRIx32, sign, b & 0x7FFFFF);
        else if (isinf(f))
            fprintf(out, "f32.const %sinf", sign);
        else
            fprintf(out, "f32.const %a", (double)f);
        return;
    }
    case T_F64: {
        double d;
        memcpy(&d, &bits, 8);
        const char *sign = bits >> 63 ? "-" : "";
        if (isnan(d))
            fprintf(out, "f64.const %snan:0x%" PRIx64, sign, (uint64_t)(bits & 0xFFFFFFFFFFFFFull));
        else if (isinf(d))
            fprintf(out, "f64.const %sinf", sign);
        else
            fprintf(out, "f64.const %a", d);
        return;
    }
    }
}

/* ---- the printer ---- */

typedef struct printer {
    FILE *out;
    const gmod *m;
    const gfunc *f;
    uint32_t labels[256];
    unsigned nlabels;
} printer;

static void indent(printer *p, unsigned depth)
{
    for (unsigned i = 0; i < depth + 2; i++)
        fputs("  ", p->out);
}

static void print_types(FILE *out, uint8_t nparams, const uint8_t *params, uint8_t nres, uint8_t rtype)
{
    if (nparams) {
        fputs(" (param", out);
        for (unsigned i = 0; i < nparams; i++)
            fprintf(out, " %s", type_name(params[i]));
        fputs(")", out);
    }
    if (nres) {
        fputs(" (result", out);
        for (unsigned i = 0; i < nres; i++)
            fprintf(out, " %s", type_name(rtype));
        fputs(")", out);
    }
}

static void print_label_ref(printer *p, uint32_t lid)
{
    for (unsigned i = p->nlabels; i-- > 0;) {
        if (p->labels[i] == lid) {
            if (lid == FUNC_LID)
                fprintf(p->out, " %u", p->nlabels - 1 - i);
            else
                fprintf(p->out, " $b%" PRIu32, lid);
            return;
        }
    }
    fprintf(p->out, " <missing label %" PRIu32 ">", lid);
}

static void print_func_type(printer *p, uint32_t wasm_index)
{
    if (wasm_index == HOST_MIX) {
        fputs(" (param i32 i32) (result i32)", p->out);
        return;
    }
    const gfunc *g = &p->m->f[wasm_index - 1];
    print_types(p->out, g->np, g->params, g->nres, g->rtype);
}

static void print_node(printer *p, const node *n, unsigned depth);

static void print_kids(printer *p, const node *n, unsigned from, unsigned to, unsigned depth)
{
    for (unsigned i = from; i < to && i < n->nkids; i++)
        if (n->kids[i])
            print_node(p, n->kids[i], depth);
}

static void print_block(printer *p, const node *n, unsigned depth)
{
    unsigned k = 0;
    if (n->nparams)
        print_node(p, n->kids[k++], depth);
    if (n->kind == N_IF)
        print_node(p, n->kids[k++], depth);
    indent(p, depth);
    fprintf(p->out, "%s $b%" PRIu32, n->kind == N_BLOCK ? "block" : n->kind == N_LOOP ? "loop" : "if",
            n->lid);
    uint8_t params[2] = {n->ptype, n->ptype};
    print_types(p->out, n->nparams, params, n->nres, n->type);
    fputc('\n', p->out);
    if (p->nlabels < 256)
        p->labels[p->nlabels++] = n->lid;
    print_node(p, n->kids[k++], depth + 1);
    if (n->kind == N_IF && n->flag) {
        indent(p, depth);
        fputs("else\n", p->out);
        print_node(p, n->kids[k], depth + 1);
    }
    p->nlabels--;
    indent(p, depth);
    fputs("end\n", p->out);
}

/* A function's name in the text ($mix or $fN). */
static void print_func_name(printer *p, uint32_t wasm_index)
{
    if (wasm_index == HOST_MIX)
        fputs("$mix", p->out);
    else
        fprintf(p->out, "$f%" PRIu32, wasm_index - 1);
}

/* N_TREF and N_NONNULL. The printer declares no type names, so a typed
 * reference's type is written as the function whose type it is, in a
 * comment: the text is for reading; --out's module is the binary. */
static void print_typed_ref(printer *p, const node *n, unsigned depth)
{
    FILE *out = p->out;
    if (n->kind == N_NONNULL) {
        indent(p, depth);
        fputs("block (result funcref)\n", out);
        print_kids(p, n, 0, n->nkids, depth + 1);
        indent(p, depth + 1);
        fputs("br_on_non_null 0\n", out);
        indent(p, depth + 1);
        fputs("ref.null func\n", out);
        indent(p, depth);
        fputs("end\n", out);
        indent(p, depth);
        fputs("ref.is_null\n", out);
        return;
    }
    bool null_first = n->flag == TREF_NULL || n->flag == TREF_NULL_AS;
    indent(p, depth);
    if (null_first) {
        fputs("ref.null nofunc ;; (ref null) of the type of ", out);
        print_func_name(p, n->idx);
    } else {
        fputs("ref.func ", out);
        print_func_name(p, n->idx);
    }
    fputc('\n', out);
    if (n->flag == TREF_SELECT) {
        indent(p, depth);
        fputs("ref.null nofunc\n", out);
        print_kids(p, n, 0, n->nkids, depth);
        indent(p, depth);
        fputs("select (result (ref null <type of ", out);
        print_func_name(p, n->idx);
        fputs(">))\n", out);
    }
    if (n->flag == TREF_AS_NON_NULL || n->flag == TREF_NULL_AS) {
        indent(p, depth);
        fputs("ref.as_non_null\n", out);
    }
}

static void print_node(printer *p, const node *n, unsigned depth)
{
    FILE *out = p->out;
    const char *tname = n->table == TABLE64 ? "$t64" : "$t";
    switch (n->kind) {
    case N_SEQ:
    case N_PAIR:
        print_kids(p, n, 0, n->nkids, depth);
        if (n->kind == N_SEQ)
            return;
        break;
    case N_ONSTACK:
        return;
    case N_BLOCK:
    case N_LOOP:
    case N_IF:
        print_block(p, n, depth);
        return;
    case N_TREF:
    case N_NONNULL:
        print_typed_ref(p, n, depth);
        return;
    default:
        print_kids(p, n, 0, n->nkids, depth);
        break;
    }
    indent(p, depth);
    switch (n->kind) {
    case N_CONST: wat_const(out, n->type, n->imm, n->imm2); break;
    case N_LGET: fprintf(out, "local.get %" PRIu32, n->idx); break;
    case N_GGET: fprintf(out, "global.get $g%" PRIu32, n->idx); break;
    case N_UN:
    case N_BIN:
    case N_PAIR:
        fputs(n->op->name, out);
        if (n->op->lanes == SHUFFLE_LANES)
            for (unsigned k = 0; k < 16; k++)
                fprintf(out, " %u", shuffle_lane(n->idx, k));
        else if (n->op->lanes)
            fprintf(out, " %" PRIu32, lane_of(n));
        break;
    case N_LOAD:
    case N_STORE:
        fputs(n->op->name, out);
        if (n->mem)
            fprintf(out, " %u", n->mem);
        if (n->imm)
            fprintf(out, " offset=%" PRIu64, n->imm);
        if (n->op->lanes) /* v128.loadN_lane, storeN_lane */
            fprintf(out, " %" PRIu32, lane_of(n));
        break;
    case N_TEE: fprintf(out, "local.tee %" PRIu32, n->idx); break;
    case N_LSET: fprintf(out, "local.set %" PRIu32, n->idx); break;
    case N_GSET: fprintf(out, "global.set $g%" PRIu32, n->idx); break;
    case N_SELECT:
        fputs("select", out);
        if (n->flag)
            fprintf(out, " (result %s)", type_name(n->type));
        break;
    case N_CALL:
        if (n->idx == HOST_MIX)
            fprintf(out, "%s $mix", n->flag ? "return_call" : "call");
        else
            fprintf(out, "%s $f%" PRIu32, n->flag ? "return_call" : "call", n->idx - 1);
        break;
    case N_CALLIND:
        fputs(n->flag ? "return_call_indirect" : "call_indirect", out);
        if (n->table == TABLE64)
            fputs(" $t64", out);
        print_func_type(p, n->idx);
        break;
    case N_MSIZE: fprintf(out, "memory.size %u", n->mem); break;
    case N_MGROW: fprintf(out, "memory.grow %u", n->mem); break;
    case N_BR: fputs("br", out); print_label_ref(p, n->idx); break;
    case N_BRIF: fputs("br_if", out); print_label_ref(p, n->idx); break;
    case N_BRTABLE:
        fputs("br_table", out);
        for (unsigned i = 0; i < n->ntargets; i++)
            print_label_ref(p, n->targets[i]);
        break;
    case N_RETURN: fputs("return", out); break;
    case N_UNREACHABLE: fputs("unreachable", out); break;
    case N_DROP: fputs("drop", out); break;
    case N_NOP: fputs("nop", out); break;
    case N_MFILL: fprintf(out, "memory.fill %u", n->mem); break;
    case N_MCOPY: fprintf(out, "memory.copy %u %u", n->mem, n->mem2); break;
    case N_REFNULL: fputs("ref.null func", out); break;
    case N_REFFUNC:
        if (n->idx == HOST_MIX)
            fputs("ref.func $mix", out);
        else
            fprintf(out, "ref.func $f%" PRIu32, n->idx - 1);
        break;
    case N_REFISNULL: fputs("ref.is_null", out); break;
    case N_CALLREF:
        fputs(n->flag ? "return_call_ref" : "call_ref", out);
        fputs(" (; the type of ", out);
        print_func_name(p, n->idx);
        fputs(" ;)", out);
        break;
    case N_BRONNULL:
        fputs("br_on_null", out);
        print_label_ref(p, n->idx);
        fputs("\n", out);
        indent(p, depth);
        fputs("drop", out);
        break;
    case N_TGET: fprintf(out, "table.get %s", tname); break;
    case N_TSET: fprintf(out, "table.set %s", tname); break;
    case N_TSIZE: fprintf(out, "table.size %s", tname); break;
    case N_TGROW: fprintf(out, "table.grow %s", tname); break;
    case N_TFILL: fprintf(out, "table.fill %s", tname); break;
    default: fprintf(out, "<node %u>", n->kind); break;
    }
    fputc('\n', out);
}

/* Which functions `only` reaches through calls; whether any call_indirect
 * or host call is reachable. */
static void reach(const gmod *m, const node *n, bool *seen, bool *indirect, bool *host)
{
    if (n->kind == N_CALLIND || (n->kind >= N_REFNULL && n->kind <= N_TFILL) ||
        n->kind == N_TREF)
        *indirect = true; /* needs the table (and its functions) */
    if (n->kind == N_CALL && n->idx == HOST_MIX)
        *host = true;
    if (n->kind == N_CALL && n->idx != HOST_MIX && !seen[n->idx - 1]) {
        seen[n->idx - 1] = true;
        reach(m, m->f[n->idx - 1].body, seen, indirect, host);
    }
    for (unsigned i = 0; i < n->nkids; i++)
        if (n->kids[i])
            reach(m, n->kids[i], seen, indirect, host);
}

void print_wat(FILE *out, const gmod *m, int only, bool data)
{
    bool seen[MAXF] = {0}, indirect = false, host = false;
    if (only >= 0) {
        seen[only] = true;
        reach(m, m->f[only].body, seen, &indirect, &host);
    }
    if (only < 0 || indirect) {
        for (uint32_t i = 0; i < m->nf; i++) {
            seen[i] = true;
            reach(m, m->f[i].body, seen, &indirect, &host);
        }
    }
    fputs("(module\n", out);
    if (host || indirect) /* the table holds the import */
        fputs("  (import \"env\" \"mix\" (func $mix (param i32 i32) (result i32)))\n", out);
    fprintf(out, "  (memory (export \"memory\") %d %d)\n", MEM_PAGES, MEM_MAX_PAGES);
    fprintf(out, "  (memory (export \"memory1\") %d %d)\n", MEM_PAGES, MEM_MAX_PAGES);
    fprintf(out, "  (memory (export \"memory2\") i64 %d %d)\n", MEM_PAGES, MEM_MAX_PAGES);
    for (unsigned g = 0; g < NGLOBALS; g++) {
        bool mut = g < 4;
        fprintf(out, "  (global $g%u (export \"g%u\") %s%s%s (", g, g, mut ? "(mut " : "",
                type_name(GLOBAL_TYPES[g]), mut ? ")" : "");
        wat_const(out, GLOBAL_TYPES[g], m->ginit[g], 0);
        fputs("))\n", out);
    }
    if (indirect) {
        fprintf(out, "  (table $t (export \"table\") %u funcref)\n  (elem (i32.const 0) func", m->nf + 2);
        for (uint32_t i = 0; i < m->nf; i++)
            fprintf(out, " $f%u", i);
        fputs(" $mix)\n", out);
        if (gen_table64) {
            fprintf(out, "  (table $t64 (export \"table64\") i64 %u funcref)\n"
                         "  (elem (table $t64) (i64.const 0) func", m->nf + 2);
            for (uint32_t i = 0; i < m->nf; i++)
                fprintf(out, " $f%u", i);
            fputs(" $mix)\n", out);
        }
    }
    for (uint32_t i = 0; i < m->nf; i++) {
        if (!seen[i])
            continue;
        const gfunc *f = &m->f[i];
        printer p = {out, m, f, {FUNC_LID}, 1};
        if (f->label[0])
            fprintf(out, "  ;; %s\n", f->label);
        fprintf(out, "  (func $f%u (export \"f%u\")", i, i);
        print_types(out, f->np, f->params, f->nres, f->rtype);
        if (f->nl) {
            fputs(" (local", out);
            for (unsigned l = 0; l < f->nl; l++)
                fprintf(out, " %s", type_name(f->locals[l]));
            fputs(")", out);
        }
        fputc('\n', out);
        print_node(&p, f->body, 0);
        fputs("  )\n", out);
    }
    for (uint32_t w = 0; w < NDATA; w++) {
        uint8_t bytes[DATA_MAX];
        uint32_t off, len;
        module_data(m->data_seed, w, &off, bytes, &len);
        if (!len)
            continue;
        if (!data) {
            fprintf(out, "  ;; (data segment of %u bytes at %u left out)\n", len, off);
            continue;
        }
        fprintf(out, "  (data (memory %u) (i32.const %u) \"", data_memory(w), off);
        for (uint32_t i = 0; i < len; i++)
            fprintf(out, "\\%02x", bytes[i]);
        fputs("\")\n", out);
    }
    fputs(")\n", out);
}
