/* "Is there a match?" answered by a DFA built lazily from the program: a
 * state is the set of threads the Pike VM would hold at a position (their
 * instructions, without capture slots or priorities, which a yes/no answer
 * does not need), and a transition is computed the first time a byte leads
 * out of a state, then looked up. A byte then costs a table lookup instead
 * of a VM step per thread (grep's line filter ran ~400 wasm instructions a
 * byte on `[a-z_][a-z_0-9]*\(`).
 *
 * It answers only what it can answer exactly, and leaves the rest to the
 * VM: programs with assertions (^ $ \b: they need the characters around a
 * position), texts with a byte >= 0x80 (the VM decodes UTF-8), and programs
 * whose states outnumber RX_DFA_STATES or RX_DFA_MAX_PCS (from then on,
 * for that program). Time stays linear: at most RX_DFA_STATES states are
 * built, each in time proportional to the program's size. Memory is
 * bounded too: a program's two DFAs (regex_pike.c uses an unanchored one
 * for yes/no and an anchored one to find where the leftmost match starts)
 * are made on the first search that needs them, ~33 KiB each plus at most
 * 256 KiB of states; when memory runs out the VM does the search. */
#include <stdlib.h>
#include <string.h>

#include "regex_internal.h"

#define RX_DFA_STATES 128
#define RX_DFA_MAX_INSTS 4096 /* beyond that a state costs too much to build */
#define RX_DFA_MAX_PCS 65536  /* instructions in all the states' sets: 256 KiB */
#define RX_DFA_UNKNOWN (-1)

struct rx_dfa {
    int restart;    /* unanchored: a new thread starts at every position */
    size_t nstates;
    int16_t next[RX_DFA_STATES][128]; /* by ASCII byte; RX_DFA_UNKNOWN: not built yet */
    uint8_t match[RX_DFA_STATES];     /* the state holds a thread at MATCH */
    uint8_t dead[RX_DFA_STATES];      /* the state holds no thread at all */
    uint8_t only_match[RX_DFA_STATES]; /* every thread it holds is at MATCH: nothing goes on */
    uint32_t off[RX_DFA_STATES + 1];  /* state k's instructions: pcs[off[k]..off[k+1]) */
    uint32_t *pcs;
    size_t pcs_cap;
    uint32_t *work, nwork; /* the set being built */
    uint32_t *stack;       /* closure's stack: each instruction is pushed at most once a set */
    uint32_t *seen, epoch; /* seen[pc] == epoch: pc already in the set being built */
    int full;              /* a state could not be made: no room left */
};

static void dfa_free(rx_dfa *d) {
    if (!d) return;
    free(d->pcs);
    free(d->work);
    free(d->stack);
    free(d->seen);
    free(d);
}

void rx_dfa_free(rx_dfa *d) { dfa_free(d); }

/* Adds the threads reached from pc (following jumps, splits and saves) to
 * the set being built. */
static void add_closure(const rx_prog *p, rx_dfa *d, uint32_t pc) {
    size_t top = 0;
    d->stack[top++] = pc;
    while (top) {
        pc = d->stack[--top];
        for (;;) {
            if (d->seen[pc] == d->epoch) break;
            d->seen[pc] = d->epoch;
            const rx_inst *i = &p->insts[pc];
            if (i->op == RX_OP_SPLIT) {
                d->stack[top++] = i->y;
                pc = i->x;
            } else if (i->op == RX_OP_JMP) {
                pc = i->x;
            } else if (i->op == RX_OP_SAVE) {
                pc++;
            } else { /* a thread (no ASSERT: such programs never get here) */
                d->work[d->nwork++] = pc;
                break;
            }
        }
    }
}

static int cmp_pc(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The state whose set is the one just built, made if new; -1 when the
 * states are all used or memory ran out. */
static int intern(const rx_prog *p, rx_dfa *d) {
    qsort(d->work, d->nwork, sizeof *d->work, cmp_pc);
    for (size_t k = 0; k < d->nstates; k++)
        if (d->off[k + 1] - d->off[k] == d->nwork &&
            memcmp(d->pcs + d->off[k], d->work, d->nwork * sizeof *d->work) == 0)
            return (int)k;
    size_t at = d->off[d->nstates];
    if (d->nstates == RX_DFA_STATES || at + d->nwork > RX_DFA_MAX_PCS) return -1;
    if (at + d->nwork > d->pcs_cap) {
        size_t cap = d->pcs_cap * 2 > at + d->nwork ? d->pcs_cap * 2 : at + d->nwork + 64;
        uint32_t *np = realloc(d->pcs, cap * sizeof *np);
        if (!np) return -1;
        d->pcs = np, d->pcs_cap = cap;
    }
    size_t k = d->nstates++;
    memcpy(d->pcs + at, d->work, d->nwork * sizeof *d->work);
    d->off[k + 1] = (uint32_t)(at + d->nwork);
    d->match[k] = 0;
    d->dead[k] = d->nwork == 0;
    d->only_match[k] = d->nwork > 0;
    for (size_t j = 0; j < d->nwork; j++) {
        if (p->insts[d->work[j]].op == RX_OP_MATCH) d->match[k] = 1;
        else d->only_match[k] = 0;
    }
    for (int c = 0; c < 128; c++) d->next[k][c] = RX_DFA_UNKNOWN;
    return (int)k;
}

/* The state after state k reads byte c: the threads that take c, moved on,
 * and, unanchored, a new thread starting at the next position (the VM adds
 * one at every position). */
static int build_next(rx_prog *p, rx_dfa *d, int k, uint8_t c) {
    d->epoch++;
    d->nwork = 0;
    for (uint32_t j = d->off[k]; j < d->off[k + 1]; j++) {
        uint32_t pc = d->pcs[j];
        const rx_inst *i = &p->insts[pc];
        p->steps++;
        if (i->op != RX_OP_MATCH && rx_char_ok(p, i, c)) add_closure(p, d, pc + 1);
    }
    if (d->restart) add_closure(p, d, 0);
    return intern(p, d);
}

/* A DFA of p with its start state (state 0), or NULL when p cannot have one. */
static rx_dfa *dfa_new(rx_prog *p, int restart) {
    if (p->ninsts > RX_DFA_MAX_INSTS) return NULL;
    for (size_t k = 0; k < p->ninsts; k++)
        if (p->insts[k].op == RX_OP_ASSERT) return NULL;
    rx_dfa *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->restart = restart;
    d->work = malloc(p->ninsts * sizeof *d->work);
    d->stack = malloc(p->ninsts * sizeof *d->stack);
    d->seen = calloc(p->ninsts, sizeof *d->seen);
    if (!d->work || !d->stack || !d->seen) {
        dfa_free(d);
        return NULL;
    }
    d->epoch = 1;
    add_closure(p, d, 0);
    if (intern(p, d) != 0) {
        dfa_free(d);
        return NULL;
    }
    return d;
}

/* The state after k reads c, built if needed; -1 when it cannot be (too
 * many states: the caller gives the program to the VM). */
static int step(rx_prog *p, rx_dfa *d, int k, uint8_t c) {
    int n = d->next[k][c];
    if (n == RX_DFA_UNKNOWN) {
        n = build_next(p, d, k, c);
        if (n < 0) {
            d->full = 1;
            return -1;
        }
        d->next[k][c] = (int16_t)n;
    }
    return n;
}

int rx_dfa_is_match(rx_prog *p, const uint8_t *s, size_t len, size_t start, int *answer,
                    size_t *end) {
    if (p->dfa_off) return 0;
    if (!p->dfa && !(p->dfa = dfa_new(p, 1))) {
        p->dfa_off = 1;
        return 0;
    }
    rx_dfa *d = p->dfa;
    int k = 0;
    if (d->match[0]) { /* the empty match: at start already */
        *answer = 1;
        *end = start;
        return 1;
    }
    for (size_t i = start; i < len; i++) {
        uint8_t c = s[i];
        if (c >= 0x80) return 0; /* UTF-8 is the VM's */
        if ((k = step(p, d, k, c)) < 0) { /* too many states: the VM from now on */
            p->dfa_off = 1;
            return 0;
        }
        if (d->match[k]) {
            p->steps += i + 1 - start;
            *answer = 1;
            *end = i + 1;
            return 1;
        }
    }
    p->steps += len > start ? len - start : 0;
    *answer = 0;
    return 1;
}

/* Does a match start at s[at]? 1 yes, 0 no, -1 cannot tell (also when
 * *work would pass budget: one start can keep threads alive to the end of
 * the text); adds the bytes read to *work. On yes, *mend is where the
 * shortest such match ends, and *unique says no other ends anywhere (no
 * thread was left to go on). */
static int starts_at(rx_prog *p, rx_dfa *d, const uint8_t *s, size_t len, size_t at,
                     size_t budget, size_t *work, size_t *mend, int *unique) {
    int k = 0;
    size_t i = at;
    if (!d->match[0]) {
        for (;; i++) {
            if (i == len) return 0;
            uint8_t c = s[i];
            if (c >= 0x80 || ++*work > budget) return -1;
            if ((k = step(p, d, k, c)) < 0) return -1;
            if (d->match[k]) {
                i++;
                break;
            }
            if (d->dead[k]) return 0;
        }
    }
    *mend = i;
    *unique = d->only_match[k];
    return 1;
}

int rx_dfa_leftmost_start(rx_prog *p, const uint8_t *s, size_t len, size_t from, size_t end,
                          size_t *at, size_t *mend, int *unique) {
    if (p->dfa_off) return 0;
    if (!p->dfa_anchored && !(p->dfa_anchored = dfa_new(p, 0))) {
        p->dfa_off = 1;
        return 0;
    }
    /* Each start tried costs the bytes read until its threads die, which
     * can be quadratic in the distance (a*b on aaaa...), or go on to the
     * end of the text; past this budget the VM does the search, so it
     * costs at most this much more than the VM alone. */
    size_t work = 0, budget = 8 * (end - from + 1) + 64;
    for (size_t i = from; i <= end; i++) {
        if (p->first_useful && (i >= len || !(p->first[s[i] / 8] >> (s[i] % 8) & 1))) continue;
        int r = starts_at(p, p->dfa_anchored, s, len, i, budget, &work, mend, unique);
        if (r < 0) {
            p->steps += work;
            p->dfa_off = p->dfa_anchored->full;
            return 0;
        }
        if (r) {
            p->steps += work;
            *at = i;
            return 1;
        }
    }
    p->steps += work;
    return 0;
}
