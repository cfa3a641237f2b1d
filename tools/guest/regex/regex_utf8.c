/* UTF-8 decoding of the haystack and lookups in the Unicode tables. */
#include "regex_internal.h"

size_t rx_utf8_decode(const uint8_t *s, size_t n, size_t i, uint32_t *cp) {
    uint8_t b = s[i];
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    size_t len;
    uint32_t c, min;
    if (b >= 0xC2 && b <= 0xDF) {
        len = 2, c = b & 0x1Fu, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3, c = b & 0x0Fu, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4, c = b & 0x07u, min = 0x10000;
    } else {
        *cp = RX_CP_BYTE + b;
        return 1;
    }
    if (n - i < len) {
        *cp = RX_CP_BYTE + b;
        return 1;
    }
    for (size_t k = 1; k < len; k++) {
        uint8_t t = s[i + k];
        if ((t & 0xC0) != 0x80) {
            *cp = RX_CP_BYTE + b;
            return 1;
        }
        c = c << 6 | (t & 0x3Fu);
    }
    /* Overlong forms, surrogates and values past U+10FFFF are not characters. */
    if (c < min || c > RX_CP_MAX || (c >= 0xD800 && c <= 0xDFFF)) {
        *cp = RX_CP_BYTE + b;
        return 1;
    }
    *cp = c;
    return len;
}

uint32_t rx_utf8_prev(const uint8_t *s, size_t n, size_t i) {
    /* The character ending at i starts at most 4 bytes back, on a non-
     * continuation byte whose decoded length reaches exactly i. */
    for (size_t back = 2; back <= 4 && back <= i; back++) {
        if ((s[i - back + 1] & 0xC0) != 0x80) break;
        uint8_t lead = s[i - back];
        if ((lead & 0xC0) == 0x80) continue;
        uint32_t cp;
        if (rx_utf8_decode(s, n, i - back, &cp) == back) return cp;
        break;
    }
    uint32_t cp;
    if (rx_utf8_decode(s, n, i - 1, &cp) == 1) return cp;
    /* s[i-1] starts a longer valid sequence that ends past i: as the decoder
     * walking forward would not see it either way, it is a lone byte here. */
    return RX_CP_BYTE + s[i - 1];
}

size_t rx_utf8_encode(uint32_t cp, uint8_t out[4]) {
    if (cp < 0x80) {
        out[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (uint8_t)(0xC0 | cp >> 6);
        out[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (uint8_t)(0xE0 | cp >> 12);
        out[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (uint8_t)(0xF0 | cp >> 18);
    out[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

int rx_range_table_has(const rx_range *t, size_t n, uint32_t cp) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < t[mid].lo) hi = mid;
        else if (cp > t[mid].hi) lo = mid + 1;
        else return 1;
    }
    return 0;
}

int rx_is_word(uint32_t cp) {
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
               cp == '_';
    if (cp > RX_CP_MAX) return 0;
    return rx_range_table_has(rx_word_ranges, rx_word_ranges_len, cp);
}

uint32_t rx_fold_next(uint32_t cp) {
    size_t lo = 0, hi = rx_fold_pairs_len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < rx_fold_pairs[mid].cp) hi = mid;
        else if (cp > rx_fold_pairs[mid].cp) lo = mid + 1;
        else return rx_fold_pairs[mid].next;
    }
    return cp;
}
