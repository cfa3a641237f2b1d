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
}

/* The first offset in [p, lim) whose byte is in the set, or lim. The word
 * loops stop only where a byte of the set truly is (ZERO_BYTES has no false
 * alarms at the word level), so the byte loop after them looks at no more
 * than 16 bytes before it finds one, unless the end is near; with more than
 * 8 distinct bytes the byte loop does it all (~6 instructions a byte). */
static size_t next_anchor(const rx_anchors *set, const uint8_t *s, size_t lim, size_t p) {
    const uint64_t r0 = set->rep[0], r1 = set->rep[1], r2 = set->rep[2], r3 = set->rep[3];
    const uint64_t r4 = set->rep[4], r5 = set->rep[5], r6 = set->rep[6], r7 = set->rep[7];
    while (p < lim) {
        if (set->nbytes <= 2) {
            while (lim - p >= 16) { /* 16 bytes a step: the loop's own cost is shared */
                uint64_t w0, w1;
                memcpy(&w0, s + p, 8);
                memcpy(&w1, s + p + 8, 8);
                uint64_t a = w0 ^ r0, b = w0 ^ r1, c = w1 ^ r0, d = w1 ^ r1;
                if ((ZERO_BYTES(a) | ZERO_BYTES(b) | ZERO_BYTES(c) | ZERO_BYTES(d)) & HIGHS) break;
                p += 16;
            }
        } else if (set->nbytes <= 4) {
            while (lim - p >= 8) {
                uint64_t w;
                memcpy(&w, s + p, 8);
                uint64_t a = w ^ r0, b = w ^ r1, c = w ^ r2, d = w ^ r3;
                if ((ZERO_BYTES(a) | ZERO_BYTES(b) | ZERO_BYTES(c) | ZERO_BYTES(d)) & HIGHS) break;
                p += 8;
            }
        } else if (set->nbytes <= 8) {
            while (lim - p >= 8) {
                uint64_t w;
                memcpy(&w, s + p, 8);
                uint64_t a = w ^ r0, b = w ^ r1, c = w ^ r2, d = w ^ r3;
                uint64_t e = w ^ r4, f = w ^ r5, g = w ^ r6, h = w ^ r7;
                if ((ZERO_BYTES(a) | ZERO_BYTES(b) | ZERO_BYTES(c) | ZERO_BYTES(d) | ZERO_BYTES(e) |
                     ZERO_BYTES(f) | ZERO_BYTES(g) | ZERO_BYTES(h)) & HIGHS)
                    break;
                p += 8;
            }
        }
        size_t stop = set->nbytes <= 8 && lim - p > 16 ? p + 16 : lim;
        for (; p < stop; p++)
            if (set->which[s[p]]) return p;
    }
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
