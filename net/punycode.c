/* punycode: RFC 3492 section 6.3 encoder, written from the RFC's description.
 *
 * The parameter values are the ones RFC 3492 section 5 fixes for IDNA. All
 * arithmetic is on uint32_t with explicit overflow checks (section 6.4): a
 * label is at most a few hundred code points here, so overflow means garbage.
 */
#include "punycode.h"

enum {
    BASE = 36,
    TMIN = 1,
    TMAX = 26,
    SKEW = 38,
    DAMP = 700,
    INITIAL_BIAS = 72,
    INITIAL_N = 0x80,
};

static char digit_char(uint32_t d) {
    /* 0..25 -> a..z, 26..35 -> 0..9 (lower case, as the brief asks). */
    return (char)(d < 26 ? 'a' + d : '0' + (d - 26));
}

/* Bias adaptation, RFC 3492 section 6.1. */
static uint32_t adapt(uint32_t delta, uint32_t numpoints, int first) {
    delta = first ? delta / DAMP : delta / 2;
    delta += delta / numpoints;
    uint32_t k = 0;
    while (delta > ((BASE - TMIN) * TMAX) / 2) {
        delta /= BASE - TMIN;
        k += BASE;
    }
    return k + ((BASE - TMIN + 1) * delta) / (delta + SKEW);
}

int wb_punycode_encode(const uint32_t *cp, size_t n, char *out, size_t outlen) {
    size_t o = 0;
    if (outlen == 0 || n > 0xFFFF) return -1;
#define EMIT(c)                         \
    do {                                \
        if (o + 1 >= outlen) return -1; \
        out[o++] = (c);                 \
    } while (0)

    uint32_t basic = 0;
    for (size_t i = 0; i < n; i++) {
        if (cp[i] < 0x80) {
            EMIT((char)cp[i]);
            basic++;
        }
    }
    if (basic > 0) EMIT('-');

    uint32_t code = INITIAL_N, delta = 0, bias = INITIAL_BIAS;
    uint32_t handled = basic;
    while (handled < n) {
        /* The smallest code point not yet handled. */
        uint32_t m = UINT32_MAX;
        for (size_t i = 0; i < n; i++)
            if (cp[i] >= code && cp[i] < m) m = cp[i];
        if ((m - code) > (UINT32_MAX - delta) / (handled + 1)) return -1;
        delta += (m - code) * (handled + 1);
        code = m;
        for (size_t i = 0; i < n; i++) {
            if (cp[i] < code) {
                if (delta == UINT32_MAX) return -1;
                delta++;
            }
            if (cp[i] != code) continue;
            /* Emit delta as a generalized variable-length integer. */
            uint32_t q = delta;
            for (uint32_t k = BASE;; k += BASE) {
                uint32_t t = k <= bias ? TMIN : (k >= bias + TMAX ? TMAX : k - bias);
                if (q < t) break;
                EMIT(digit_char(t + (q - t) % (BASE - t)));
                q = (q - t) / (BASE - t);
            }
            EMIT(digit_char(q));
            bias = adapt(delta, handled + 1, handled == basic);
            delta = 0;
            handled++;
        }
        delta++;
        code++;
    }
    out[o] = '\0';
#undef EMIT
    return (int)o;
}
