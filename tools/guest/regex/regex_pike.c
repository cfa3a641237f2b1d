/* The Pike VM: runs the program over the text one character at a time with
 * every live thread in lock step (at most one thread per instruction, kept
 * in priority order, so leftmost-first semantics fall out of the order), and
 * the public entry points. No backtracking: a search costs at most about
 * 2 x instructions steps per character. */
#include <stdlib.h>
#include <string.h>

#include "regex_internal.h"

static int assert_holds(uint32_t kind, uint32_t prev, uint32_t next) {
    switch (kind) {
    case RX_A_BOT: return prev == RX_CP_NONE;
    case RX_A_EOT: return next == RX_CP_NONE;
    case RX_A_BOL: return prev == RX_CP_NONE || prev == '\n';
    case RX_A_EOL: return next == RX_CP_NONE || next == '\n';
    /* CRLF mode: \r and \n each end a line, but not between \r and \n. */
    case RX_A_BOL_CRLF:
        return prev == RX_CP_NONE || prev == '\n' || (prev == '\r' && next != '\n');
    case RX_A_EOL_CRLF:
        return next == RX_CP_NONE || next == '\r' || (next == '\n' && prev != '\r');
    case RX_A_WORD: return rx_is_word(prev) != rx_is_word(next);
    case RX_A_NOT_WORD: return rx_is_word(prev) == rx_is_word(next);
    case RX_A_WORD_START: return !rx_is_word(prev) && rx_is_word(next);
    case RX_A_WORD_END: return rx_is_word(prev) && !rx_is_word(next);
    case RX_A_WORD_START_HALF: return !rx_is_word(prev);
    case RX_A_WORD_END_HALF: return !rx_is_word(next);
    }
    return 0;
}

static int class_has(const rx_class *c, uint32_t cp) {
    if (cp < 0x80) return (int)(c->ascii[cp / 64] >> (cp % 64) & 1);
    return rx_range_table_has(c->r, c->n, cp);
}

int rx_char_ok(const rx_prog *p, const rx_inst *i, uint32_t cp) {
    switch (i->op) {
    case RX_OP_CHAR: return cp == i->x;
    case RX_OP_SET: return class_has(&p->classes[i->x], cp);
    case RX_OP_ANY: return 1;
    case RX_OP_ANYNL: return cp != '\n';
    case RX_OP_ANYNLCR: return cp != '\n' && cp != '\r';
    }
    return 0;
}

static void list_clear(rx_list *l) { l->nvisited = l->nthr = 0; }

/* Marks pc visited in l; returns 0 if it already was (sparse set). */
static int list_visit(rx_list *l, uint32_t pc) {
    uint32_t k = l->sparse[pc];
    if (k < l->nvisited && l->dense[k] == pc) return 0;
    l->sparse[pc] = (uint32_t)l->nvisited;
    l->dense[l->nvisited++] = pc;
    return 1;
}

/* Copies a thread's capture slots. Searches mostly track none (yes/no) or
 * group 0 only: those copies are done here, not by a memcpy call, which in
 * wasm costs a call and a loop for 8 bytes. */
static void copy_slots(size_t *dst, const size_t *src, size_t n) {
    if (n == 2) {
        dst[0] = src[0];
        dst[1] = src[1];
    } else if (n) {
        memcpy(dst, src, n * sizeof *dst);
    }
}

typedef struct {
    rx_prog *p;
    const uint8_t *s;
    size_t n;
    size_t nslots;  /* slots tracked in this search */
    int earliest;   /* stop at the first match (is_match) */
    int longest;    /* leftmost-longest (RX_LONGEST, with the whole match's slots) */
    int here;       /* a match starts where the run starts: no thread starts later */
} search;

/* Adds the thread at pc (with the slots in p->slots) to l at text position
 * pos, following jumps, splits (first branch first), saves and assertions.
 * Returns 1 when earliest and a match state was reached. */
static int follow(search *S, rx_list *l, uint32_t pc0, size_t pos, uint32_t prev, uint32_t next) {
    rx_prog *p = S->p;
    size_t top = 0;
    p->stack[top++] = (rx_frame){pc0, 0, 0};
    while (top) {
        rx_frame f = p->stack[--top];
        if (f.pc == RX_NO_NODE) {
            p->slots[f.slot] = f.val;
            continue;
        }
        uint32_t pc = f.pc;
        for (;;) {
            if (!list_visit(l, pc)) break;
            p->steps++;
            const rx_inst *i = &p->insts[pc];
            if (i->op == RX_OP_SPLIT) {
                p->stack[top++] = (rx_frame){i->y, 0, 0};
                pc = i->x;
            } else if (i->op == RX_OP_JMP) {
                pc = i->x;
            } else if (i->op == RX_OP_SAVE) {
                if (i->x < S->nslots) {
                    p->stack[top++] = (rx_frame){RX_NO_NODE, i->x, p->slots[i->x]};
                    p->slots[i->x] = pos;
                }
                pc++;
            } else if (i->op == RX_OP_ASSERT) {
                if (!assert_holds(i->x, prev, next)) break;
                pc++;
            } else {
                if (i->op == RX_OP_MATCH && S->earliest) return 1;
                l->thr_pc[l->nthr] = pc;
                copy_slots(l->thr_slots + l->nthr * S->nslots, p->slots, S->nslots);
                l->nthr++;
                break;
            }
        }
    }
    return 0;
}

/* Where the next match can start at or after pos, when no thread is alive;
 * RX_NOPOS when none can. */
static size_t next_candidate(search *S, size_t pos) {
    rx_prog *p = S->p;
    if (p->prefix.n) return rx_literal_find(&p->prefix, S->s, S->n, pos, &p->steps);
    if (p->first_useful) {
        size_t i = pos;
        while (i < S->n && !(p->first[S->s[i] / 8] >> (S->s[i] % 8) & 1)) i++;
        p->steps += i - pos;
        return i < S->n ? i : RX_NOPOS;
    }
    return pos;
}

static uint32_t decode_at(const search *S, size_t pos, size_t *len) {
    if (pos >= S->n) {
        *len = 0;
        return RX_CP_NONE;
    }
    uint32_t cp;
    *len = rx_utf8_decode(S->s, S->n, pos, &cp);
    return cp;
}

/* Runs the VM from start. Returns 1 on a match (its slots in p->best). */
static int pike(search *S, size_t start) {
    rx_prog *p = S->p;
    rx_list *cl = &p->lists[0], *nl = &p->lists[1];
    list_clear(cl);
    size_t pos = start, clen;
    uint32_t prev = start > 0 ? rx_utf8_prev(S->s, S->n, start) : RX_CP_NONE;
    uint32_t cur = decode_at(S, pos, &clen);
    int matched = 0;
    for (;;) {
        if (!matched && cl->nthr == 0) {
            if ((p->anchored || S->here) && pos != start) break;
            size_t cand = next_candidate(S, pos);
            if (cand == RX_NOPOS) break;
            if (cand != pos) {
                pos = cand;
                prev = rx_utf8_prev(S->s, S->n, pos);
                cur = decode_at(S, pos, &clen);
                list_clear(cl); /* its visits were for the old position */
            }
        }
        /* A thread starting here would die at once when no non-empty match
         * starts with this byte (first[]; the pattern matches no empty text
         * then): it is not made. */
        int may_start = !p->first_useful ||
                        (pos < S->n && (p->first[S->s[pos] / 8] >> (S->s[pos] % 8) & 1));
        if (!matched && may_start && (!(p->anchored || S->here) || pos == start)) {
            /* The start thread goes last: lowest priority, the leftmost
             * threads already in the list win. */
            for (size_t k = 0; k < S->nslots; k++) p->slots[k] = RX_NOPOS;
            if (follow(S, cl, 0, pos, prev, cur)) return 1;
        }
        if (cl->nthr == 0) {
            if (matched || cur == RX_CP_NONE) break;
            /* Nothing alive here: on to the next character. */
            pos += clen, prev = cur;
            cur = decode_at(S, pos, &clen);
            list_clear(cl);
            continue;
        }
        size_t npos = pos + clen, nclen;
        uint32_t ncur = decode_at(S, npos, &nclen);
        list_clear(nl);
        for (size_t t = 0; t < cl->nthr; t++) {
            uint32_t pc = cl->thr_pc[t];
            const rx_inst *i = &p->insts[pc];
            size_t *slots = cl->thr_slots + t * S->nslots;
            p->steps++;
            if (i->op == RX_OP_MATCH) {
                if (!S->longest) {
                    /* Threads after this one have lower priority: drop them. */
                    matched = 1;
                    memcpy(p->best, slots, S->nslots * sizeof *slots);
                    break;
                }
                /* Leftmost-longest: threads are in order of their start (a
                 * later start is added later), so a match ends those that
                 * started after it, while those that started with it may
                 * still end later (longer), and those that started before
                 * it, still alive, may yet match (more leftmost). */
                if (!matched || slots[0] < p->best[0] ||
                    (slots[0] == p->best[0] && slots[1] > p->best[1]))
                    memcpy(p->best, slots, S->nslots * sizeof *slots);
                matched = 1;
                continue;
            }
            if (S->longest && matched && slots[0] > p->best[0]) continue;
            if (cur == RX_CP_NONE || !rx_char_ok(p, i, cur)) continue;
            copy_slots(p->slots, slots, S->nslots);
            if (follow(S, nl, pc + 1, npos, cur, ncur)) return 1;
        }
        rx_list *tmp = cl;
        cl = nl, nl = tmp;
        if (cur == RX_CP_NONE) break;
        pos = npos, prev = cur, cur = ncur, clen = nclen;
    }
    return matched;
}

static void fill_caps(rx_span *caps, size_t ncaps, const size_t *slots, size_t nslots) {
    for (size_t g = 0; g < ncaps; g++) {
        if (2 * g + 1 < nslots && slots[2 * g] != RX_NOPOS && slots[2 * g + 1] != RX_NOPOS)
            caps[g] = (rx_span){slots[2 * g], slots[2 * g + 1]};
        else
            caps[g] = (rx_span){RX_NOPOS, RX_NOPOS};
    }
}

int rx_search(rx_prog *p, const char *text, size_t len, size_t start, rx_span *caps,
              size_t ncaps) {
    const uint8_t *s = (const uint8_t *)text;
    fill_caps(caps, ncaps, NULL, 0);
    if (start > len) return 0;
    /* Every match contains one of the inner literals: none ahead, no match. */
    if (p->ninner && rx_literals_find(p->inner, p->ninner, &p->inner_anchors, s, len, start,
                                      &p->steps) == RX_NOPOS)
        return 0;
    if (p->pure_literal) {
        size_t at = rx_literal_find(&p->prefix, s, len, start, &p->steps);
        if (at == RX_NOPOS) return 0;
        if (ncaps) caps[0] = (rx_span){at, at + p->prefix.n};
        return 1;
    }
    /* A yes/no question: the DFA answers it when it can. When the span is
     * wanted too, a "no" from it still spares the VM a pass over text that
     * holds no match (the rest of a line after its last match, for -o, sed
     * s///g, awk); its "yes" costs the distance to the first match's end. */
    int answer, here = 0;
    size_t end, from = start;
    if (rx_dfa_is_match(p, s, len, start, &answer, &end)) {
        if (ncaps == 0 || !answer) return answer;
        /* The VM then runs only from where the leftmost match starts, with
         * no thread started after it: the same match, since no thread
         * started before it ever matches (leftmost-first and -longest
         * alike), without the VM's cost on the text before it. */
        size_t mend;
        int unique;
        here = rx_dfa_leftmost_start(p, s, len, start, end, &from, &mend, &unique);
        if (!here) {
            from = start;
        } else if (unique && (ncaps < p->ngroups ? ncaps : p->ngroups) == 1) {
            /* One match starts there and no other: its span is all that is
             * wanted, and the VM would find the same. */
            caps[0] = (rx_span){from, mend};
            return 1;
        }
    }
    size_t groups = ncaps < p->ngroups ? ncaps : p->ngroups;
    search S = {p, s, len, 2 * groups, ncaps == 0, p->longest && groups > 0, here};
    if (!pike(&S, from)) return 0;
    if (!S.earliest) fill_caps(caps, groups, p->best, S.nslots);
    return 1;
}

size_t rx_candidate(rx_prog *p, const char *text, size_t len, size_t from) {
    if (from > len) return RX_NOPOS;
    if (!p->ninner) return from;
    return rx_literals_find(p->inner, p->ninner, &p->inner_anchors, (const uint8_t *)text, len,
                            from, &p->steps);
}

int rx_is_match(rx_prog *p, const char *text, size_t len) {
    return rx_search(p, text, len, 0, NULL, 0);
}

int rx_find_next(rx_prog *p, const char *text, size_t len, rx_iter *it, rx_span *caps,
                 size_t ncaps) {
    rx_span whole;
    rx_span *c = ncaps ? caps : &whole;
    size_t nc = ncaps ? ncaps : 1;
    for (;;) {
        if (it->pos > len || !rx_search(p, text, len, it->pos, c, nc)) {
            it->pos = len + 1;
            if (ncaps) fill_caps(caps, ncaps, NULL, 0);
            return 0;
        }
        if (c[0].start == c[0].end && c[0].end == it->last_end) {
            /* An empty match where the last one ended: move one character on. */
            if (it->pos >= len) {
                it->pos = len + 1;
                continue;
            }
            uint32_t cp;
            it->pos += rx_utf8_decode((const uint8_t *)text, len, it->pos, &cp);
            continue;
        }
        it->pos = it->last_end = c[0].end;
        return 1;
    }
}

rx_prog *rx_compile(const char *pattern, size_t len, unsigned flags, rx_error *err) {
    rx_error dummy;
    if (!err) err = &dummy;
    memset(err, 0, sizeof *err);
    rx_ast ast;
    if (!rx_parse(pattern, len, flags, &ast, err)) return NULL;
    rx_prog *p = calloc(1, sizeof *p);
    if (!p) {
        rx_ast_free(&ast);
        rx_errorf(err, 0, "out of memory while compiling the pattern");
        return NULL;
    }
    p->ngroups = ast.ngroups;
    p->longest = (flags & RX_LONGEST) != 0;
    int ok = rx_compile_ast(p, &ast, err);
    p->names = ast.names; /* the program keeps the group names */
    ast.names = NULL;
    rx_ast_free(&ast);
    if (!ok) {
        rx_free(p);
        return NULL;
    }
    return p;
}

void rx_free(rx_prog *p) {
    if (!p) return;
    free(p->insts);
    for (size_t k = 0; k < p->nclasses; k++) free(p->classes[k].r);
    free(p->classes);
    if (p->names)
        for (size_t g = 0; g < p->ngroups; g++) free(p->names[g]);
    free(p->names);
    rx_literal_free(&p->prefix);
    for (size_t k = 0; k < p->ninner; k++) rx_literal_free(&p->inner[k]);
    for (int l = 0; l < 2; l++) {
        free(p->lists[l].sparse);
        free(p->lists[l].dense);
        free(p->lists[l].thr_pc);
        free(p->lists[l].thr_slots);
    }
    rx_dfa_free(p->dfa);
    rx_dfa_free(p->dfa_anchored);
    free(p->stack);
    free(p->slots);
    free(p->best);
    free(p);
}

size_t rx_group_count(const rx_prog *p) { return p->ngroups; }

const char *rx_group_name(const rx_prog *p, size_t i) {
    return i < p->ngroups ? p->names[i] : NULL;
}

long rx_group_index(const rx_prog *p, const char *name) {
    for (size_t g = 1; g < p->ngroups; g++)
        if (p->names[g] && strcmp(p->names[g], name) == 0) return (long)g;
    return -1;
}

uint64_t rx_steps(const rx_prog *p) { return p->steps; }
size_t rx_program_size(const rx_prog *p) { return p->ninsts; }
