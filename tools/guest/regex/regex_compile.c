/* Syntax tree -> Pike VM program, plus what the searches use to skip text:
 * the literal every match starts with, the longest literal every match
 * contains, the bytes a match can start with, and whether matches are
 * anchored at the start. The program's size is computed before anything is
 * emitted, so a{1000}{1000} is refused without allocating it. */
#include <stdlib.h>
#include <string.h>

#include "regex_internal.h"

/* ---- size ---- */

/* Sizes saturate at RX_MAX_INSTS + 1. Operands are at most that and a
 * repetition count (<= RX_MAX_REPEAT), so products fit in 64 bits. */
static uint64_t sat_add(uint64_t a, uint64_t b) {
    return a + b > RX_MAX_INSTS ? RX_MAX_INSTS + 1 : a + b;
}
static uint64_t sat_mul(uint64_t a, uint64_t b) {
    return a * b > RX_MAX_INSTS ? RX_MAX_INSTS + 1 : a * b;
}

/* Instructions emit() will write for node n (saturating past the limit). */
static uint64_t node_size(const rx_ast *a, uint32_t n) {
    const rx_node *x = &a->nodes[n];
    switch (x->kind) {
    case RX_N_EMPTY: return 0;
    case RX_N_CHAR: case RX_N_SET: case RX_N_ANY: case RX_N_ANYNL: case RX_N_ANYNLCR:
    case RX_N_ASSERT: return 1;
    case RX_N_CAT: case RX_N_ALT: {
        uint64_t s = 0, k = 0;
        for (uint32_t c = x->kid; c != RX_NO_NODE; c = a->nodes[c].next, k++)
            s = sat_add(s, node_size(a, c));
        if (x->kind == RX_N_ALT) s = sat_add(s, 2 * (k - 1)); /* a split and a jump per branch */
        return s;
    }
    case RX_N_GROUP: return sat_add(node_size(a, x->kid), x->group ? 2 : 0);
    case RX_N_REPEAT: {
        uint64_t k = node_size(a, x->kid);
        if (x->max == RX_INF)
            return x->min == 0 ? sat_add(k, 2) : sat_add(sat_mul(k, x->min), 1);
        return sat_add(sat_mul(k, x->min), sat_mul(k + 1, x->max - x->min));
    }
    }
    return 0;
}

/* ---- emission ---- */

typedef struct {
    rx_prog *p;
    const rx_ast *a;
} emitter;

static uint32_t emit1(emitter *e, uint8_t op, uint32_t x, uint32_t y) {
    rx_inst *i = &e->p->insts[e->p->ninsts];
    i->op = op, i->x = x, i->y = y;
    return (uint32_t)e->p->ninsts++;
}

static void emit(emitter *e, uint32_t n) {
    const rx_node *x = &e->a->nodes[n];
    rx_inst *code = e->p->insts;
    switch (x->kind) {
    case RX_N_EMPTY: return;
    case RX_N_CHAR: emit1(e, RX_OP_CHAR, x->ch, 0); return;
    case RX_N_SET: emit1(e, RX_OP_SET, x->set, 0); return;
    case RX_N_ANY: emit1(e, RX_OP_ANY, 0, 0); return;
    case RX_N_ANYNL: emit1(e, RX_OP_ANYNL, 0, 0); return;
    case RX_N_ANYNLCR: emit1(e, RX_OP_ANYNLCR, 0, 0); return;
    case RX_N_ASSERT: emit1(e, RX_OP_ASSERT, x->ch, 0); return;
    case RX_N_CAT:
        for (uint32_t c = x->kid; c != RX_NO_NODE; c = e->a->nodes[c].next) emit(e, c);
        return;
    case RX_N_ALT: {
        /* split L1, L2; L1: branch; jmp end; L2: split ... last branch; end:
         * The jumps are chained through their x until the end is known. */
        uint32_t jumps = RX_NO_NODE;
        for (uint32_t c = x->kid; c != RX_NO_NODE; c = e->a->nodes[c].next) {
            if (e->a->nodes[c].next == RX_NO_NODE) {
                emit(e, c);
                break;
            }
            uint32_t split = emit1(e, RX_OP_SPLIT, 0, 0);
            code[split].x = split + 1;
            emit(e, c);
            jumps = emit1(e, RX_OP_JMP, jumps, 0);
            code[split].y = (uint32_t)e->p->ninsts;
        }
        while (jumps != RX_NO_NODE) {
            uint32_t prev = code[jumps].x;
            code[jumps].x = (uint32_t)e->p->ninsts;
            jumps = prev;
        }
        return;
    }
    case RX_N_GROUP:
        if (x->group) emit1(e, RX_OP_SAVE, 2 * x->group, 0);
        emit(e, x->kid);
        if (x->group) emit1(e, RX_OP_SAVE, 2 * x->group + 1, 0);
        return;
    case RX_N_REPEAT: {
        uint32_t copies = x->max == RX_INF && x->min > 0 ? x->min - 1 : x->min;
        for (uint32_t k = 0; k < copies; k++) emit(e, x->kid);
        if (x->max == RX_INF) {
            if (x->min == 0) { /* L: split body, out; body; jmp L; out: */
                uint32_t split = emit1(e, RX_OP_SPLIT, 0, 0);
                emit(e, x->kid);
                emit1(e, RX_OP_JMP, split, 0);
                uint32_t body = split + 1, out = (uint32_t)e->p->ninsts;
                code[split].x = x->greedy ? body : out;
                code[split].y = x->greedy ? out : body;
            } else { /* L: body; split L, out */
                uint32_t body = (uint32_t)e->p->ninsts;
                emit(e, x->kid);
                uint32_t split = emit1(e, RX_OP_SPLIT, 0, 0);
                code[split].x = x->greedy ? body : split + 1;
                code[split].y = x->greedy ? split + 1 : body;
            }
            return;
        }
        /* max - min optional copies: split body, end; body; split ...; end: */
        uint32_t chain = RX_NO_NODE;
        for (uint32_t k = x->min; k < x->max; k++) {
            uint32_t split = emit1(e, RX_OP_SPLIT, chain, 0);
            chain = split;
            emit(e, x->kid);
        }
        uint32_t end = (uint32_t)e->p->ninsts;
        while (chain != RX_NO_NODE) {
            uint32_t prev = code[chain].x;
            code[chain].x = x->greedy ? chain + 1 : end;
            code[chain].y = x->greedy ? end : chain + 1;
            chain = prev;
        }
        return;
    }
    }
}

/* ---- literals ---- */

#define LIT_CAP 64 /* longer literals are cut: a prefix or part of one is still valid */

typedef struct {
    uint8_t b[LIT_CAP], alt[LIT_CAP];
    size_t n;
    int cut; /* something did not fit */
} lbuf;

typedef struct {
    int whole;        /* every match is exactly `prefix` (then prefix == suffix == best) */
    int plain;        /* no assertions or capture groups inside */
    lbuf prefix, suffix, best;
} litinfo;

static void lbuf_append(lbuf *d, const lbuf *s) {
    for (size_t i = 0; i < s->n; i++) {
        if (d->n == LIT_CAP) {
            d->cut = 1;
            return;
        }
        d->b[d->n] = s->b[i], d->alt[d->n] = s->alt[i];
        d->n++;
    }
    d->cut |= s->cut;
}

static void keep_longer(lbuf *best, const lbuf *c) {
    if (c->n > best->n) *best = *c;
}

/* Makes li describe a node that always matches exactly li->prefix. */
static void whole_from_prefix(litinfo *li) {
    li->whole = !li->prefix.cut;
    li->best = li->prefix;
    if (li->whole) li->suffix = li->prefix;
    else memset(&li->suffix, 0, sizeof li->suffix);
}

/* Whether set is exactly one ASCII letter in both cases; *lo gets the lower. */
static int ascii_case_pair(const rx_set *s, uint8_t *up, uint8_t *lo) {
    if (s->n != 2 || s->r[0].lo != s->r[0].hi || s->r[1].lo != s->r[1].hi) return 0;
    uint32_t a = s->r[0].lo, b = s->r[1].lo;
    if (a >= 'A' && a <= 'Z' && b == a + 32) {
        *up = (uint8_t)a, *lo = (uint8_t)b;
        return 1;
    }
    return 0;
}

/* Fills *out for node n. Recursive (depth <= RX_MAX_DEPTH): its frames keep
 * the large buffers on the heap, so a guest's small stack is enough. Out of
 * memory, a node is "nothing known", which is always correct. */
static void lit_info(const rx_ast *a, uint32_t n, litinfo *out) {
    const rx_node *x = &a->nodes[n];
    memset(out, 0, sizeof *out);
    out->plain = 1;
    switch (x->kind) {
    case RX_N_EMPTY: whole_from_prefix(out); return;
    case RX_N_CHAR:
        out->prefix.n = rx_utf8_encode(x->ch, out->prefix.b);
        memcpy(out->prefix.alt, out->prefix.b, out->prefix.n);
        whole_from_prefix(out);
        return;
    case RX_N_SET: {
        uint8_t up, lo;
        if (ascii_case_pair(&a->sets[x->set], &up, &lo)) {
            out->prefix.b[0] = up, out->prefix.alt[0] = lo, out->prefix.n = 1;
            whole_from_prefix(out);
        }
        return;
    }
    case RX_N_ASSERT: /* zero width: transparent, but the match is not just the literal */
        whole_from_prefix(out);
        out->plain = 0;
        return;
    case RX_N_GROUP:
        lit_info(a, x->kid, out);
        if (x->group) out->plain = 0;
        return;
    case RX_N_REPEAT: {
        if (x->min == 0) return; /* may be absent: nothing known */
        lit_info(a, x->kid, out);
        lbuf *one = out->whole && x->min == x->max ? malloc(sizeof *one) : NULL;
        if (!one) {
            out->whole = 0; /* prefix, suffix and best of one copy still hold */
            return;
        }
        *one = out->prefix;
        for (uint32_t k = 1; k < x->min && !out->prefix.cut; k++) lbuf_append(&out->prefix, one);
        free(one);
        whole_from_prefix(out);
        return;
    }
    case RX_N_CAT: {
        struct {
            litinfo res, k;
            lbuf cur;
        } *w = calloc(1, sizeof *w);
        if (!w) {
            out->plain = 0;
            return;
        }
        w->res.whole = w->res.plain = 1;
        for (uint32_t c = x->kid; c != RX_NO_NODE; c = a->nodes[c].next) {
            lit_info(a, c, &w->k);
            w->res.plain &= w->k.plain;
            if (w->res.whole) lbuf_append(&w->res.prefix, &w->k.prefix);
            lbuf_append(&w->cur, &w->k.prefix);
            if (!w->k.whole) {
                keep_longer(&w->res.best, &w->cur);
                keep_longer(&w->res.best, &w->k.best);
                w->cur = w->k.suffix;
                w->res.whole = 0;
            }
        }
        keep_longer(&w->res.best, &w->cur);
        if (w->res.whole) {
            w->res.prefix = w->cur;
            whole_from_prefix(&w->res);
        } else {
            /* A cut run is a valid part of the literal but not its end. */
            if (w->cur.cut) memset(&w->cur, 0, sizeof w->cur);
            w->res.suffix = w->cur;
        }
        *out = w->res;
        free(w);
        return;
    }
    default: return; /* ALT, ANY*: nothing known (plain matters only where whole) */
    }
}

/* A set of literals every match contains one of (n == 0: none known). */
typedef struct {
    lbuf lits[RX_MAX_INNER];
    size_t n;
} litset;

static size_t shortest(const litset *s) {
    size_t m = (size_t)-1;
    for (size_t k = 0; k < s->n; k++)
        if (s->lits[k].n < m) m = s->lits[k].n;
    return s->n ? m : 0;
}

/* Whether a is a better prefilter than b: longer shortest literal, then fewer. */
static int better(const litset *a, const litset *b) {
    size_t la = shortest(a), lb = shortest(b);
    return la > lb || (la == lb && la > 0 && a->n < b->n);
}

/* The required literals of node n: the longest required literal, or one per
 * branch of an alternation, or the best of a concatenation's parts. Sets are
 * on the heap (they are large); returns 0 when out of memory. */
static int required_set(const rx_ast *a, uint32_t n, litset *out) {
    const rx_node *x = &a->nodes[n];
    litinfo *li = malloc(sizeof *li);
    if (!li) return 0;
    lit_info(a, n, li);
    memset(out, 0, sizeof *out);
    size_t best = li->best.n;
    if (best) out->lits[0] = li->best, out->n = 1;
    free(li);
    if (x->kind == RX_N_GROUP || (x->kind == RX_N_REPEAT && x->min > 0))
        return best ? 1 : required_set(a, x->kid, out);
    if (x->kind != RX_N_ALT && x->kind != RX_N_CAT) return 1;
    litset *k = malloc(sizeof *k), *acc = malloc(sizeof *acc);
    int ok = k && acc;
    if (ok && x->kind == RX_N_ALT) {
        memset(acc, 0, sizeof *acc);
        for (uint32_t c = x->kid; ok && c != RX_NO_NODE; c = a->nodes[c].next) {
            ok = required_set(a, c, k);
            if (!ok || k->n == 0 || acc->n + k->n > RX_MAX_INNER) { /* a branch without */
                acc->n = 0;
                break;
            }
            for (size_t i = 0; i < k->n; i++) acc->lits[acc->n++] = k->lits[i];
        }
        if (ok && better(acc, out)) *out = *acc;
    } else if (ok) {
        for (uint32_t c = x->kid; ok && c != RX_NO_NODE; c = a->nodes[c].next) {
            ok = required_set(a, c, k);
            if (ok && better(k, out)) *out = *k;
        }
    }
    free(k);
    free(acc);
    return ok;
}

static int to_literal(rx_literal *l, const lbuf *s) {
    if (s->n == 0) return 1;
    l->b = malloc(s->n);
    l->alt = malloc(s->n);
    if (!l->b || !l->alt) return 0;
    memcpy(l->b, s->b, s->n);
    memcpy(l->alt, s->alt, s->n);
    l->n = s->n;
    rx_literal_choose_anchor(l);
    return 1;
}

static int anchored(const rx_ast *a, uint32_t n) {
    const rx_node *x = &a->nodes[n];
    switch (x->kind) {
    case RX_N_ASSERT: return x->ch == RX_A_BOT;
    case RX_N_CAT: case RX_N_GROUP: return anchored(a, x->kid);
    case RX_N_REPEAT: return x->min > 0 && anchored(a, x->kid);
    case RX_N_ALT:
        for (uint32_t c = x->kid; c != RX_NO_NODE; c = a->nodes[c].next)
            if (!anchored(a, c)) return 0;
        return 1;
    default: return 0;
    }
}

/* ---- first bytes ---- */

static void add_bytes(uint8_t *first, unsigned lo, unsigned hi) {
    for (unsigned b = lo; b <= hi; b++) first[b / 8] |= (uint8_t)(1u << (b % 8));
}

/* Adds the first bytes of the UTF-8 forms of [lo, hi] (and of the invalid
 * bytes RX_CP_BYTE + b in it). */
static void add_range_bytes(uint8_t *first, uint32_t lo, uint32_t hi) {
    if (lo < 0x80) add_bytes(first, lo, hi < 0x7F ? hi : 0x7F);
    if (hi >= 0x80 && lo <= RX_CP_MAX) {
        uint8_t a[4], b[4];
        rx_utf8_encode(lo < 0x80 ? 0x80 : lo, a);
        rx_utf8_encode(hi > RX_CP_MAX ? RX_CP_MAX : hi, b);
        add_bytes(first, a[0], b[0]);
    }
    if (hi >= RX_CP_BYTE) add_bytes(first, lo > RX_CP_BYTE ? lo - RX_CP_BYTE : 0, hi - RX_CP_BYTE);
}

static void first_bytes(rx_prog *p) {
    uint8_t *seen = calloc(p->ninsts, 1);
    uint32_t *stack = malloc(p->ninsts * 2 * sizeof *stack + sizeof *stack);
    memset(p->first, 0, sizeof p->first);
    if (!seen || !stack) { /* no filter then: always correct */
        memset(p->first, 0xFF, sizeof p->first);
        free(seen);
        free(stack);
        return;
    }
    size_t top = 0;
    stack[top++] = 0;
    while (top) {
        uint32_t pc = stack[--top];
        if (seen[pc]) continue;
        seen[pc] = 1;
        const rx_inst *i = &p->insts[pc];
        switch (i->op) {
        case RX_OP_CHAR: add_range_bytes(p->first, i->x, i->x); break;
        case RX_OP_SET: {
            const rx_class *c = &p->classes[i->x];
            for (size_t k = 0; k < c->n; k++) add_range_bytes(p->first, c->r[k].lo, c->r[k].hi);
            break;
        }
        case RX_OP_ANY: case RX_OP_ANYNL: case RX_OP_ANYNLCR: add_bytes(p->first, 0, 255); break;
        case RX_OP_MATCH: p->can_be_empty = 1; break;
        case RX_OP_SPLIT: stack[top++] = i->y; stack[top++] = i->x; break;
        case RX_OP_JMP: stack[top++] = i->x; break;
        default: stack[top++] = pc + 1; break; /* SAVE, ASSERT: assumed to pass */
        }
    }
    free(seen);
    free(stack);
    int all = 1;
    for (size_t k = 0; k < sizeof p->first; k++) all &= p->first[k] == 0xFF;
    p->first_useful = !all && !p->can_be_empty;
}

/* ---- classes and scratch ---- */

static int make_classes(rx_prog *p, const rx_ast *a) {
    p->nclasses = a->nsets;
    p->classes = calloc(a->nsets ? a->nsets : 1, sizeof *p->classes);
    if (!p->classes) return 0;
    for (size_t k = 0; k < a->nsets; k++) {
        const rx_set *s = &a->sets[k];
        rx_class *c = &p->classes[k];
        c->r = malloc((s->n ? s->n : 1) * sizeof *c->r);
        if (!c->r) return 0;
        memcpy(c->r, s->r, s->n * sizeof *c->r);
        c->n = s->n;
        for (size_t i = 0; i < s->n && s->r[i].lo < 0x80; i++)
            for (uint32_t ch = s->r[i].lo; ch <= s->r[i].hi && ch < 0x80; ch++)
                c->ascii[ch / 64] |= 1ull << (ch % 64);
    }
    return 1;
}

static int make_scratch(rx_prog *p, rx_error *err) {
    size_t nslots = 2 * p->ngroups;
    p->nthreadable = 0;
    for (size_t k = 0; k < p->ninsts; k++) p->nthreadable += RX_OP_IS_THREAD(p->insts[k].op);
    if ((uint64_t)p->nthreadable * nslots > RX_MAX_SLOTS) {
        rx_errorf(err, 0, "pattern too large: %zu capture groups over %zu instructions need more "
                  "than %u capture slots; use (?:...) for groups you do not need",
                  p->ngroups - 1, p->nthreadable, RX_MAX_SLOTS);
        return 0;
    }
    for (int l = 0; l < 2; l++) {
        rx_list *L = &p->lists[l];
        /* calloc: a sparse set reads entries it never wrote (harmlessly). */
        L->sparse = calloc(p->ninsts, sizeof *L->sparse);
        L->dense = malloc(p->ninsts * sizeof *L->dense);
        L->thr_pc = malloc(p->nthreadable * sizeof *L->thr_pc);
        L->thr_slots = malloc(p->nthreadable * nslots * sizeof *L->thr_slots);
        if (!L->sparse || !L->dense || !L->thr_pc || !L->thr_slots) goto oom;
    }
    /* Each instruction is visited once per closure, and a visit pushes at
     * most one entry (a split's second branch, or a slot to restore). */
    p->stack_cap = 2 * p->ninsts + 2;
    p->stack = malloc(p->stack_cap * sizeof *p->stack);
    p->slots = malloc(nslots * sizeof *p->slots);
    p->best = malloc(nslots * sizeof *p->best);
    if (!p->stack || !p->slots || !p->best) goto oom;
    return 1;
oom:
    rx_errorf(err, 0, "out of memory while compiling the pattern");
    return 0;
}

int rx_compile_ast(rx_prog *p, const rx_ast *a, rx_error *err) {
    uint64_t size = sat_add(node_size(a, a->root), 3); /* save 0, save 1, match */
    if (size > RX_MAX_INSTS) {
        rx_errorf(err, 0, "pattern too large: it compiles to more than %d instructions "
                  "(counted repetitions multiply: a{1000}{1000} is a million copies of a)",
                  RX_MAX_INSTS);
        return 0;
    }
    p->insts = malloc(size * sizeof *p->insts);
    if (!p->insts || !make_classes(p, a)) {
        rx_errorf(err, 0, "out of memory while compiling the pattern");
        return 0;
    }
    emitter e = {p, a};
    emit1(&e, RX_OP_SAVE, 0, 0);
    emit(&e, a->root);
    emit1(&e, RX_OP_SAVE, 1, 0);
    emit1(&e, RX_OP_MATCH, 0, 0);
    p->ngroups = a->ngroups;

    litinfo *li = malloc(sizeof *li);
    litset *req = malloc(sizeof *req);
    int ok = li && req;
    if (ok) lit_info(a, a->root, li);
    ok = ok && to_literal(&p->prefix, &li->prefix) && required_set(a, a->root, req);
    for (size_t k = 0; ok && k < req->n; k++, p->ninner++) ok = to_literal(&p->inner[k], &req->lits[k]);
    if (ok) p->pure_literal = li->whole && li->plain && li->prefix.n > 0;
    if (ok && p->ninner > 1) rx_anchors_build(&p->inner_anchors, p->inner, p->ninner);
    free(li);
    free(req);
    if (!ok) {
        rx_errorf(err, 0, "out of memory while compiling the pattern");
        return 0;
    }
    p->anchored = anchored(a, a->root);
    first_bytes(p);
    return make_scratch(p, err);
}
