/* UTF-8 decoding and encoding, strict (RFC 3629): the JSON reader refuses
 * what this calls invalid and the writer replaces it. */
#include "wbtool.h"

size_t wt_utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0; /* continuation byte, C0/C1 (always overlong), F5-FF */
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

bool wt_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp;
    for (size_t i = 0; i < n;) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = wt_utf8_seq(p + i, n - i, &cp);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

bool wt_utf8_add(wt_buf *b, uint32_t cp)
{
    unsigned char e[4];
    size_t n;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD; /* not encodable: the replacement character */
    if (cp < 0x80) {
        e[0] = (unsigned char)cp, n = 1;
    } else if (cp < 0x800) {
        e[0] = (unsigned char)(0xC0 | cp >> 6), n = 2;
    } else if (cp < 0x10000) {
        e[0] = (unsigned char)(0xE0 | cp >> 12), n = 3;
    } else {
        e[0] = (unsigned char)(0xF0 | cp >> 18), n = 4;
    }
    for (size_t i = 1; i < n; i++)
        e[i] = (unsigned char)(0x80 | ((cp >> (6 * (n - 1 - i))) & 0x3F));
    return wt_buf_add(b, e, n);
}
