/* Finding a literal in the text: the prefilter that makes plain-string
 * searches fast. memchr for the literal's rarest byte, then a compare. */
#include <string.h>

#include "regex_internal.h"

const void *rx_memchr(const void *s, int c, size_t n) {
    const uint8_t *p = s;
    uint8_t b = (uint8_t)c;
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t rep = ones * b;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        w ^= rep; /* a zero byte where p has b */
        if ((w - ones) & ~w & highs) break; /* nonzero exactly when w has a zero byte */
        p += 8, n -= 8;
    }
    for (; n; p++, n--)
        if (*p == b) return p;
    return NULL;
}

/* How common a byte is in source code and prose: lower is rarer. A guess,
 * only used to pick which byte of a literal to scan for. */
static int byte_rank(uint8_t b) {
    if (b == ' ' || b == 'e' || b == 't' || b == 'a' || b == 'o' || b == 'i' || b == 'n' ||
        b == 's' || b == 'r')
        return 9;
    if (b >= 'a' && b <= 'z') return (b == 'z' || b == 'q' || b == 'x' || b == 'j') ? 3 : 7;
    if (b == '\n' || b == '\t' || b == '(' || b == ')' || b == ',' || b == ';' || b == '.' ||
        b == '_' || b == '=' || b == '"' || b == '*' || b == '/')
        return 6;
    if (b >= '0' && b <= '9') return 5;
    if (b >= 'A' && b <= 'Z') return 4;
    if (b >= 0x80) return 2;
    return 3; /* other punctuation, control bytes */
}

void rx_literal_choose_anchor(rx_literal *lit) {
    size_t best = 0;
    int best_rank = 100;
    for (size_t i = 0; i < lit->n; i++) {
        /* A position that may be either case costs two compares a byte. */
        int r = byte_rank(lit->b[i]) + (lit->alt[i] != lit->b[i] ? 4 : 0);
        if (r < best_rank) best = i, best_rank = r;
    }
    lit->anchor = best;
}

static int matches_at(const rx_literal *lit, const uint8_t *s) {
    for (size_t i = 0; i < lit->n; i++)
        if (s[i] != lit->b[i] && s[i] != lit->alt[i]) return 0;
    return 1;
}

size_t rx_literals_find(const rx_literal *lits, size_t n, const uint8_t *s, size_t len,
                        size_t from, uint64_t *steps) {
    if (n == 1) return rx_literal_find(lits, s, len, from, steps);
    for (size_t window = 256;; window *= 2) {
        size_t end = len - from > window ? from + window : len; /* starts before end */
        size_t best = RX_NOPOS;
        for (size_t k = 0; k < n; k++) {
            size_t lim = end + lits[k].n - 1;
            size_t at = rx_literal_find(&lits[k], s, lim < len ? lim : len, from, steps);
            if (at < best) {
                best = at;
                end = at; /* the others need only be looked for before it */
            }
        }
        if (best != RX_NOPOS || end == len) return best;
    }
}

size_t rx_literal_find(const rx_literal *lit, const uint8_t *s, size_t n, size_t from,
                       uint64_t *steps) {
    if (lit->n == 0) return from <= n ? from : RX_NOPOS;
    if (from > n || n - from < lit->n) return RX_NOPOS;
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
        if (matches_at(lit, s + at - k)) return at - k;
        i = at + 1;
    }
    return RX_NOPOS;
}
