/* Finding a literal in the text: the prefilter that makes plain-string
 * searches fast. Horspool's skip loop on byte pairs for literals of 7 bytes
 * or more; memchr for the rarest byte of shorter ones, then a compare. And
 * the word-at-a-time scanners: memchr, and the NUL test of grep's binary
 * files. */
#include <stddef.h>
#include <stdlib.h>
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

/* A 64-bit word read from any address. Read through this type (not
 * memcpy), a word at p + 8 is one load with offset 8: clang adds the offset
 * with an instruction of its own before a memcpy's load. */
typedef uint64_t __attribute__((aligned(1), may_alias)) unaligned_u64;

int rx_has_nul(const void *s, size_t n) {
    const uint8_t *p = s, *end = p + n;
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    /* A zero byte of w is a byte of w - ones with its high bit set (0 - 1,
     * or 0 - 1 - a borrow); other bytes have it only when they are >= 0x81,
     * or 0x80 with a borrow, which no ASCII byte is. So on ASCII text the
     * test is exact at a load, a subtract and an OR a word; a block with a
     * byte >= 0x80 (UTF-8) that it flags takes rx_memchr's exact test. */
    while (end - p >= 32) {
        const unaligned_u64 *q = (const unaligned_u64 *)p;
        uint64_t w0 = q[0], w1 = q[1], w2 = q[2], w3 = q[3];
        if (((w0 - ones) | (w1 - ones) | (w2 - ones) | (w3 - ones)) & highs &&
            (((w0 - ones) & ~w0) | ((w1 - ones) & ~w1) | ((w2 - ones) & ~w2) |
             ((w3 - ones) & ~w3)) & highs)
            return 1;
        p += 32;
    }
    return rx_memchr(p, 0, (size_t)(end - p)) != NULL;
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

/* Literals at least this long use the pair skip loop (pair_find). A step
 * costs about 10 wasm instructions and moves the window up to n - 1 bytes
 * (a pair of the text that is no pair of the literal: most of them), so
 * from 7 bytes on it beats rx_memchr's ~1.8 a byte for the rarest byte plus
 * the compares at its hits; shorter literals scan for their rarest byte. */
#define PAIR_SKIP_MIN 7
#define PAIR_KEYS 65536

/* The table is made (64 KiB, ~50,000 wasm instructions) on the first
 * search of a text this long: a pattern compiled only to be checked, or a
 * prefix only ever searched for within short lines, never pays for it.
 * Once made, it is used for any text of PAIR_SKIP_TEXT bytes or more. */
#define PAIR_TABLE_TEXT 4096
#define PAIR_SKIP_TEXT 32

static void choose_skip(rx_literal *lit) {
    lit->skip = lit->n >= PAIR_SKIP_MIN;
}

/* The two bytes at p as a pair_shift key: one 16-bit load (p[0] | p[1] << 8
 * on little-endian wasm32; the table is made with the same load, so the
 * keys agree on any host). */
static inline unsigned pair_at(const uint8_t *p) {
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

/* The key of the pair a, b. */
static unsigned pair_key(uint8_t a, uint8_t b) {
    const uint8_t two[2] = {a, b};
    return pair_at(two);
}

/* Horspool's table over pairs of bytes (rx_literal.pair_shift): for the
 * pair ending at each position j >= 1 of the literal, in either case where
 * the literal allows both, the window may move n - 1 - j bytes; a pair that
 * ends nowhere in it moves the window n - 1 (its second byte may still be
 * the literal's first). The last pair's own entry is 0, and last_shift is
 * the smallest shift any other place of those pairs allows. 0 when out of
 * memory (the anchor scan still finds the literal). */
static int make_pairs(rx_literal *lit) {
    size_t m = lit->n;
    uint8_t *t = malloc(PAIR_KEYS);
    if (!t) return 0;
    uint8_t cap = m - 1 < 255 ? (uint8_t)(m - 1) : 255;
    /* 64-bit stores, eight a step: wasi-libc's memset took ~80,000 wasm
     * instructions for the table */
    uint64_t fill = 0x0101010101010101ull * cap;
    for (unaligned_u64 *w = (unaligned_u64 *)t, *end = w + PAIR_KEYS / 8; w < end; w += 8)
        w[0] = w[1] = w[2] = w[3] = w[4] = w[5] = w[6] = w[7] = fill;
    /* later positions overwrite earlier ones: the smallest shift wins */
    for (size_t j = m - 1 - cap; j + 1 < m; j++) {
        if (j == 0) continue;
        uint8_t sh = (uint8_t)(m - 1 - j);
        const uint8_t a[2] = {lit->b[j - 1], lit->alt[j - 1]}, b[2] = {lit->b[j], lit->alt[j]};
        for (int x = 0; x < 2; x++)
            for (int y = 0; y < 2; y++) t[pair_key(a[x], b[y])] = sh;
    }
    const uint8_t a[2] = {lit->b[m - 2], lit->alt[m - 2]}, b[2] = {lit->b[m - 1], lit->alt[m - 1]};
    uint8_t last = cap;
    for (int x = 0; x < 2; x++)
        for (int y = 0; y < 2; y++) {
            unsigned key = pair_key(a[x], b[y]);
            if (t[key] && t[key] < last) last = t[key];
        }
    for (int x = 0; x < 2; x++)
        for (int y = 0; y < 2; y++) t[pair_key(a[x], b[y])] = 0;
    lit->last_shift = last;
    lit->pair_shift = t;
    return 1;
}

void rx_literal_free(rx_literal *lit) {
    free(lit->b);
    free(lit->alt);
    free(lit->pair_shift);
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

size_t rx_literals_find(rx_literal *lits, size_t n, const rx_anchors *set,
                        const uint8_t *s, size_t len, size_t from, uint64_t *steps) {
    if (n == 1) return rx_literal_find(lits, s, len, from, steps);
    return rx_anchors_find(set, lits, n, s, len, from, steps);
}

/* Horspool on pairs: the window's last two bytes say how far the literal's
 * next possible end is. Four steps run between tests: a pair that can end
 * the literal has shift 0, so once on one the window stays there and the
 * fourth step's test finds it. A window is compared only when its last
 * pair can end the literal, anchor byte first. Pointers, not indexes: a
 * step is then a load, a table load and an add. */
static size_t pair_find(const rx_literal *lit, const uint8_t *s, size_t n, size_t from,
                        uint64_t *steps) {
    const uint8_t *t = lit->pair_shift;
    size_t m = lit->n, k = lit->anchor;
    const uint8_t *p = s + from + m - 2; /* the window's last pair; from <= n - m here */
    const uint8_t *end = s + n - 1;      /* a pair starts before it */
    size_t reach = 4 * (size_t)(m - 1 < 255 ? m - 1 : 255); /* the most four steps move */
    const uint8_t *fast_end = end - s > (ptrdiff_t)reach ? end - reach : s;
    while (p < end) {
        size_t sh;
        while (p < fast_end) {
            p += t[pair_at(p)];
            p += t[pair_at(p)];
            p += t[pair_at(p)];
            sh = t[pair_at(p)];
            if (!sh) goto window;
            p += sh;
        }
        if (p >= end) break;
        sh = t[pair_at(p)];
        if (sh) {
            p += sh;
            continue;
        }
    window: {
        const uint8_t *at = p + 2 - m;
        if ((at[k] == lit->b[k] || at[k] == lit->alt[k]) && rx_literal_at(lit, at)) {
            *steps += (size_t)(p + 2 - s) - from - (m - 1);
            return (size_t)(at - s);
        }
        p += lit->last_shift;
    }
    }
    *steps += n - from - (m - 1);
    return RX_NOPOS;
}

size_t rx_literal_find(rx_literal *lit, const uint8_t *s, size_t n, size_t from,
                       uint64_t *steps) {
    if (lit->n == 0) return from <= n ? from : RX_NOPOS;
    if (from > n || n - from < lit->n) return RX_NOPOS;
    if (lit->skip && !lit->pair_shift && n - from >= PAIR_TABLE_TEXT && !make_pairs(lit)) lit->skip = 0;
    if (lit->pair_shift && n - from >= PAIR_SKIP_TEXT) return pair_find(lit, s, n, from, steps);
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
