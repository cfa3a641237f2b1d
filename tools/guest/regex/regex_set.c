/* Character sets as sorted range lists: what classes are built from. */
#include <stdlib.h>
#include <string.h>

#include "regex_internal.h"

void rx_set_add(rx_set *s, uint32_t lo, uint32_t hi) {
    if (s->oom) return;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        rx_range *r = realloc(s->r, cap * sizeof *r);
        if (!r) {
            s->oom = 1;
            return;
        }
        s->r = r;
        s->cap = cap;
    }
    s->r[s->n++] = (rx_range){lo, hi};
}

void rx_set_add_table(rx_set *s, const rx_range *t, size_t n) {
    for (size_t i = 0; i < n; i++) rx_set_add(s, t[i].lo, t[i].hi);
}

void rx_set_add_set(rx_set *s, const rx_set *o) {
    if (o->oom) s->oom = 1;
    for (size_t i = 0; i < o->n; i++) rx_set_add(s, o->r[i].lo, o->r[i].hi);
}

static int cmp_range(const void *a, const void *b) {
    const rx_range *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

void rx_set_normalize(rx_set *s) {
    if (s->n < 2) return;
    qsort(s->r, s->n, sizeof *s->r, cmp_range);
    size_t w = 0;
    for (size_t i = 1; i < s->n; i++) {
        rx_range *last = &s->r[w];
        /* Overlapping or adjacent (hi + 1 == lo) ranges merge. */
        if (s->r[i].lo <= last->hi || s->r[i].lo - 1 == last->hi) {
            if (s->r[i].hi > last->hi) last->hi = s->r[i].hi;
        } else {
            s->r[++w] = s->r[i];
        }
    }
    s->n = w + 1;
}

void rx_set_negate(rx_set *s) {
    rx_set_normalize(s);
    rx_set out = {0};
    uint32_t next = 0; /* first character not yet covered */
    int done = 0;
    for (size_t i = 0; i < s->n && !done; i++) {
        if (s->r[i].lo > next) rx_set_add(&out, next, s->r[i].lo - 1);
        if (s->r[i].hi >= RX_CP_ALL) done = 1;
        else next = s->r[i].hi + 1;
    }
    if (!done) rx_set_add(&out, next, RX_CP_ALL);
    out.oom |= s->oom;
    free(s->r);
    *s = out;
}

void rx_set_case_fold(rx_set *s) {
    size_t n = s->n;
    for (size_t i = 0; i < n; i++) {
        uint32_t lo = s->r[i].lo, hi = s->r[i].hi;
        /* Walk the fold table entries inside [lo, hi] (not every code point:
         * a range may be huge) and add their orbits. */
        size_t a = 0, b = rx_fold_pairs_len;
        while (a < b) {
            size_t mid = a + (b - a) / 2;
            if (rx_fold_pairs[mid].cp < lo) a = mid + 1;
            else b = mid;
        }
        for (size_t k = a; k < rx_fold_pairs_len && rx_fold_pairs[k].cp <= hi; k++) {
            uint32_t start = rx_fold_pairs[k].cp;
            for (uint32_t c = rx_fold_next(start); c != start; c = rx_fold_next(c))
                if (c < lo || c > hi) rx_set_add(s, c, c);
        }
    }
    rx_set_normalize(s);
}

void rx_set_intersect(rx_set *s, const rx_set *o) {
    rx_set out = {0};
    rx_set_normalize(s);
    size_t i = 0, j = 0;
    while (i < s->n && j < o->n) {
        uint32_t lo = s->r[i].lo > o->r[j].lo ? s->r[i].lo : o->r[j].lo;
        uint32_t hi = s->r[i].hi < o->r[j].hi ? s->r[i].hi : o->r[j].hi;
        if (lo <= hi) rx_set_add(&out, lo, hi);
        if (s->r[i].hi < o->r[j].hi) i++;
        else j++;
    }
    out.oom |= s->oom | o->oom;
    free(s->r);
    *s = out;
}

void rx_set_subtract(rx_set *s, const rx_set *o) {
    rx_set neg = {0};
    rx_set_add_set(&neg, o);
    rx_set_negate(&neg);
    rx_set_intersect(s, &neg);
    rx_set_free(&neg);
}

void rx_set_free(rx_set *s) {
    free(s->r);
    memset(s, 0, sizeof *s);
}
