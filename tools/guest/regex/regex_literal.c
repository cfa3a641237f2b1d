/* Finding a literal in the text: the prefilter that makes plain-string
 * searches fast. memchr for the literal's rarest byte, then a compare. */
#include <string.h>

#include "regex_internal.h"

const void *rx_memchr(const void *s, int c, size_t n) {
    const uint8_t *p = s;
    uint8_t b = (uint8_t)c;
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t rep = ones * b;
    /* 32 bytes a step with one branch: the interpreter charges every wasm
     * instruction (local.get included), so the loop's bookkeeping is shared
     * by four words. (w - ones) & ~w has a high bit set exactly when w has a
     * zero byte (bits above a true zero may be set too, never without one),
     * so the OR of four such words is nonzero exactly when one of them is. */
    while (n >= 32) {
        uint64_t w0, w1, w2, w3;
        memcpy(&w0, p, 8);
        memcpy(&w1, p + 8, 8);
        memcpy(&w2, p + 16, 8);
        memcpy(&w3, p + 24, 8);
        w0 ^= rep, w1 ^= rep, w2 ^= rep, w3 ^= rep; /* a zero byte where p has b */
        if ((((w0 - ones) & ~w0) | ((w1 - ones) & ~w1) | ((w2 - ones) & ~w2) |
             ((w3 - ones) & ~w3)) & highs)
            break; /* b is in these 32 bytes: the loops below find where */
        p += 32, n -= 32;
    }
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        w ^= rep;
        if ((w - ones) & ~w & highs) break;
        p += 8, n -= 8;
    }
    for (; n; p++, n--)
        if (*p == b) return p;
    return NULL;
}

/* How common each byte is in source code and prose, lower is rarer: one
 * plus log2 of its occurrences per million bytes (0: under one), measured
 * on the text files of a C/Markdown/shell/JSON tree (this repository) and
 * rounded by hand for bytes >= 0x80 (continuation bytes 3, lead bytes 2,
 * as in UTF-8 prose). Only used to pick which byte of a literal to scan
 * for: a rare one makes the scan stop seldom ('q' is ~5x rarer than 'z',
 * '_' is as common as 'c'). */
static const uint8_t byte_rank[256] = {
    /* 0x00 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 15, 0, 0, 3, 0, 0,
    /* 0x10 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* ' ' */ 15, 11, 14, 11, 11, 10, 12, 12, 14, 14, 13, 12, 15, 14, 13, 13,
    /* '0' */ 14, 13, 13, 12, 12, 11, 12, 11, 11, 10, 13, 14, 11, 14, 13, 10,
    /* '@' */ 7, 12, 11, 11, 11, 12, 11, 10, 10, 12, 9, 9, 12, 11, 12, 12,
    /* 'P' */ 11, 7, 12, 12, 12, 11, 9, 11, 10, 9, 8, 12, 12, 12, 8, 15,
    /* '`' */ 11, 15, 14, 15, 15, 15, 14, 13, 14, 15, 10, 13, 15, 14, 15, 15,
    /* 'p' */ 14, 11, 15, 15, 15, 14, 13, 13, 14, 13, 12, 13, 11, 13, 6, 0,
    /* 0x80 */ 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    /* 0x90 */ 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    /* 0xA0 */ 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    /* 0xB0 */ 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    /* 0xC0 */ 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    /* 0xD0 */ 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    /* 0xE0 */ 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    /* 0xF0 */ 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

/* Horspool's table for lit (see rx_literal.shift), and whether its skip
 * loop is expected to beat the anchor scan: a step of the skip loop costs
 * about 14 wasm instructions against 2.25 a byte for rx_memchr, so it pays
 * when the mean shift over byte frequencies exceeds about 6 (literals of 8+
 * bytes made of rarer bytes: identifiers, not "tests"). */
static void choose_skip(rx_literal *lit) {
    size_t m = lit->n, cap = m < 255 ? m : 255;
    lit->skip = 0;
    for (int c = 0; c < 256; c++) lit->shift[c] = (uint8_t)cap;
    for (size_t i = m - cap; i + 1 < m; i++) { /* later positions overwrite: smallest shift */
        lit->shift[lit->b[i]] = (uint8_t)(m - 1 - i);
        lit->shift[lit->alt[i]] = (uint8_t)(m - 1 - i);
    }
    uint8_t sb = lit->shift[lit->b[m - 1]], sa = lit->shift[lit->alt[m - 1]];
    lit->last_shift = sb < sa ? sb : sa;
    lit->shift[lit->b[m - 1]] = 0;
    lit->shift[lit->alt[m - 1]] = 0;
    if (m < 8) return;
    /* byte_rank r means about 2^(r-1) per million bytes: weigh it 2^r */
    uint64_t total = 0, weighted = 0;
    for (int c = 0; c < 256; c++) {
        uint64_t f = 1ull << byte_rank[c];
        total += f;
        weighted += f * (lit->shift[c] ? lit->shift[c] : lit->last_shift);
    }
    lit->skip = 2 * weighted > 13 * total;
}

void rx_literal_choose_anchor(rx_literal *lit) {
    size_t best = 0;
    int best_rank = 100;
    for (size_t i = 0; i < lit->n; i++) {
        /* A position that may be either case costs two compares a byte. */
        int r = byte_rank[lit->b[i]];
        if (lit->alt[i] != lit->b[i]) r = (r > byte_rank[lit->alt[i]] ? r : byte_rank[lit->alt[i]]) + 3;
        if (r < best_rank) best = i, best_rank = r;
    }
    lit->anchor = best;
    if (lit->n) choose_skip(lit);
}

int rx_literal_at(const rx_literal *lit, const uint8_t *s) {
    for (size_t i = 0; i < lit->n; i++)
        if (s[i] != lit->b[i] && s[i] != lit->alt[i]) return 0;
    return 1;
}

size_t rx_literals_find(const rx_literal *lits, size_t n, const rx_anchors *set,
                        const uint8_t *s, size_t len, size_t from, uint64_t *steps) {
    if (n == 1) return rx_literal_find(lits, s, len, from, steps);
    return rx_anchors_find(set, lits, n, s, len, from, steps);
}

/* Horspool: the window's last byte says how far the literal's next possible
 * end is. A window is compared only when its last byte can end the literal,
 * anchor byte first, so the compares cost what the anchor scan's do. */
static size_t skip_find(const rx_literal *lit, const uint8_t *s, size_t n, size_t from,
                        uint64_t *steps) {
    size_t m = lit->n, k = lit->anchor;
    size_t i = from + m - 1; /* the window's last byte; from <= n - m here */
    while (i < n) {
        size_t sh = lit->shift[s[i]];
        if (sh == 0) {
            size_t at = i + 1 - m;
            if ((s[at + k] == lit->b[k] || s[at + k] == lit->alt[k]) && rx_literal_at(lit, s + at)) {
                *steps += i + 1 - from - (m - 1);
                return at;
            }
            sh = lit->last_shift;
        }
        i += sh;
    }
    *steps += n - from - (m - 1);
    return RX_NOPOS;
}

size_t rx_literal_find(const rx_literal *lit, const uint8_t *s, size_t n, size_t from,
                       uint64_t *steps) {
    if (lit->n == 0) return from <= n ? from : RX_NOPOS;
    if (from > n || n - from < lit->n) return RX_NOPOS;
    if (lit->skip) return skip_find(lit, s, n, from, steps);
    size_t k = lit->anchor;
    uint8_t b = lit->b[k], alt = lit->alt[k];
    size_t last = n - lit->n; /* last possible start */
    size_t i = from + k;      /* where the anchor byte is looked for */
    while (i <= last + k) {
        const uint8_t *hit;
        if (b == alt) {
            hit = rx_memchr(s + i, b, last + k + 1 - i);
        } else {
            hit = NULL;
            for (size_t j = i; j <= last + k; j++)
                if (s[j] == b || s[j] == alt) {
                    hit = s + j;
                    break;
                }
        }
        if (!hit) {
            *steps += last + k + 1 - i;
            return RX_NOPOS;
        }
        size_t at = (size_t)(hit - s);
        *steps += at + 1 - i;
        if (rx_literal_at(lit, s + at - k)) return at - k;
        i = at + 1;
    }
    return RX_NOPOS;
}
