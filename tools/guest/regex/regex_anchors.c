/* Finding the first of several literals (the branches of TODO|FIXME|XXX)
 * in one pass. Each literal's anchor, its rarest byte
 * (rx_literal_choose_anchor), goes into one set; the text is scanned for any
 * byte of the set with 64-bit words, and a hit is compared with the literals
 * whose anchor it is. The scan it replaces looked for each literal on its
 * own, in windows that doubled and were scanned again from the start each
 * time: ~23 wasm instructions a byte for three literals, against ~3 here. */
#include <string.h>

#include "regex_internal.h"

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
/* A high bit set where w has a zero byte (bits above a true zero may be set
 * too, never without one), so a nonzero `& HIGHS` means "a zero byte here". */
#define ZERO_BYTES(w) (((w) - ONES) & ~(w))

void rx_anchors_build(rx_anchors *set, const rx_literal *lits, size_t n) {
    memset(set, 0, sizeof *set);
    set->min_a = (size_t)-1;
    for (size_t k = 0; k < n && k < RX_MAX_INNER; k++) {
        const rx_literal *l = &lits[k];
        if (l->n == 0) {
            set->any_empty = 1;
            continue;
        }
        size_t a = l->anchor;
        set->which[l->b[a]] |= (uint8_t)(1u << k);
        set->which[l->alt[a]] |= (uint8_t)(1u << k);
        if (a < set->min_a) set->min_a = a;
        if (a > set->max_a) set->max_a = a;
    }
    for (int c = 0; c < 256; c++) {
        if (!set->which[c]) continue;
        if (set->nbytes < 8) set->rep[set->nbytes] = ONES * (uint8_t)c;
        set->nbytes++;
    }
    /* The unused words repeat the first byte: they find nothing new. */
    for (size_t i = set->nbytes; i < 8; i++) set->rep[i] = set->rep[0];
    set->ascii = 1;
    for (int c = 0x80; c < 256; c++)
        if (set->which[c]) set->ascii = 0;
}

/* A 64-bit word read from any address, in one load (see regex_literal.c). */
typedef uint64_t __attribute__((aligned(1), may_alias)) unaligned_u64;

/* A cheaper first test: x = w ^ rep has a zero byte where w has the set's
 * byte, and such a byte of x - ONES always has its high bit (0 - 1, or
 * 0 - 1 - a borrow). Other bytes have theirs only when they are >= 0x81 in
 * x, or 0x80 with a borrow, which no byte of ASCII text XOR an ASCII set
 * byte is. So on ASCII text it is exact, a subtract and an OR a byte of
 * the set a word where ZERO_BYTES costs a subtract, a NOT, an AND and an
 * OR; elsewhere (UTF-8) a word it flags gets the exact test. For a set
 * with a byte >= 0x80 it would flag every ASCII word: not used then. */
#define ASCII_HIT(w, r) (((w) ^ (r)) - ONES)

/* The index of the first byte of a word that its ZERO_BYTES mask (& HIGHS,
 * nonzero) marks: the lowest mark is always a true one. */
static inline size_t first_marked(uint64_t mask) { return (size_t)__builtin_ctzll(mask) >> 3; }

/* The first offset in [p, lim) whose byte is in the set, or lim. The word
 * loops return the first marked byte of the first word with one (a count
 * of trailing zeros, not a byte loop); what is left of the text after
 * them, and sets of more than 8 distinct bytes, go a byte at a time (~6
 * instructions a byte). */
static size_t next_anchor(const rx_anchors *set, const uint8_t *s, size_t lim, size_t p) {
    const uint64_t r0 = set->rep[0], r1 = set->rep[1], r2 = set->rep[2], r3 = set->rep[3];
    if (set->nbytes <= 2 && set->ascii) {
        while (lim - p >= 16) { /* 16 bytes a step: the loop's own cost is shared */
            const unaligned_u64 *q = (const unaligned_u64 *)(s + p);
            uint64_t w0 = q[0], w1 = q[1];
            if ((ASCII_HIT(w0, r0) | ASCII_HIT(w0, r1) | ASCII_HIT(w1, r0) | ASCII_HIT(w1, r1)) & HIGHS) {
                uint64_t m0 = (ZERO_BYTES(w0 ^ r0) | ZERO_BYTES(w0 ^ r1)) & HIGHS;
                if (m0) return p + first_marked(m0);
                uint64_t m1 = (ZERO_BYTES(w1 ^ r0) | ZERO_BYTES(w1 ^ r1)) & HIGHS;
                if (m1) return p + 8 + first_marked(m1);
            }
            p += 16;
        }
    } else if (set->nbytes <= 4) {
        while (lim - p >= 8) {
            uint64_t w = *(const unaligned_u64 *)(s + p);
            if (!set->ascii ||
                ((ASCII_HIT(w, r0) | ASCII_HIT(w, r1) | ASCII_HIT(w, r2) | ASCII_HIT(w, r3)) & HIGHS)) {
                uint64_t m = (ZERO_BYTES(w ^ r0) | ZERO_BYTES(w ^ r1) | ZERO_BYTES(w ^ r2) |
                              ZERO_BYTES(w ^ r3)) & HIGHS;
                if (m) return p + first_marked(m);
            }
            p += 8;
        }
    } else if (set->nbytes <= 8) {
        const uint64_t r4 = set->rep[4], r5 = set->rep[5], r6 = set->rep[6], r7 = set->rep[7];
        while (lim - p >= 8) {
            uint64_t w = *(const unaligned_u64 *)(s + p);
            uint64_t m = (ZERO_BYTES(w ^ r0) | ZERO_BYTES(w ^ r1) | ZERO_BYTES(w ^ r2) | ZERO_BYTES(w ^ r3) |
                          ZERO_BYTES(w ^ r4) | ZERO_BYTES(w ^ r5) | ZERO_BYTES(w ^ r6) | ZERO_BYTES(w ^ r7)) &
                         HIGHS;
            if (m) return p + first_marked(m);
            p += 8;
        }
    }
    for (; p < lim; p++)
        if (set->which[s[p]]) return p;
    return lim;
}

size_t rx_anchors_find(const rx_anchors *set, const rx_literal *lits, size_t n,
                       const uint8_t *s, size_t len, size_t from, uint64_t *steps) {
    if (from > len) return RX_NOPOS;
    if (set->any_empty) return from;
    size_t best = RX_NOPOS, lim = len;
    size_t p = set->min_a < len - from ? from + set->min_a : len;
    while (p < lim) {
        p = next_anchor(set, s, lim, p);
        if (p >= lim) break;
        unsigned m = set->which[s[p]];
        for (size_t k = 0; m && k < n; k++, m >>= 1) {
            const rx_literal *l = &lits[k];
            if (!(m & 1) || p - from < l->anchor) continue; /* it would start before from */
            size_t st = p - l->anchor;
            if (st < best && l->n <= len - st && rx_literal_at(l, s + st)) {
                best = st;
                /* A later hit starts at p - anchor >= p - max_a: none can
                 * start before best once p reaches best + max_a. */
                lim = set->max_a < len - best ? best + set->max_a : len;
            }
        }
        p++;
    }
    if (p > lim) p = lim;
    *steps += p > from ? p - from : 0;
    return best;
}
