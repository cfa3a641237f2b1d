/* base64 (RFC 4648 section 4), for image content items. */
#include "wbtool.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool wt_base64_encode(wt_buf *out, const void *data, size_t n)
{
    const unsigned char *p = data;
    if (n / 3 >= SIZE_MAX / 8 || !wt_buf_reserve(out, (n + 2) / 3 * 4))
        return false;
    char *o = out->data + out->len;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        *o++ = alphabet[v >> 18], *o++ = alphabet[v >> 12 & 63];
        *o++ = alphabet[v >> 6 & 63], *o++ = alphabet[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)p[i] << 16;
        *o++ = alphabet[v >> 18], *o++ = alphabet[v >> 12 & 63], *o++ = '=', *o++ = '=';
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
        *o++ = alphabet[v >> 18], *o++ = alphabet[v >> 12 & 63], *o++ = alphabet[v >> 6 & 63], *o++ = '=';
    }
    out->len = (size_t)(o - out->data);
    out->data[out->len] = 0;
    return true;
}

static int value_of(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

bool wt_base64_decode(wt_buf *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t start = out->len;
    if (n % 4 || !wt_buf_reserve(out, n / 4 * 3))
        return false;
    for (size_t i = 0; i < n; i += 4) {
        bool last = i + 4 == n;
        int v[4];
        size_t pad = 0;
        for (int k = 0; k < 4; k++) {
            v[k] = value_of(p[i + k]);
            if (v[k] < 0) {
                /* '=' only in the last group's last two places, at the end */
                if (p[i + k] != '=' || !last || k < 2 || (k == 2 && p[i + 3] != '='))
                    goto bad;
                v[k] = 0;
                pad++;
            }
        }
        uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        if ((pad == 1 && (w & 0xFF)) || (pad == 2 && (w & 0xFFFF)))
            goto bad; /* unused bits must be zero: one encoding per input */
        char bytes[3] = {(char)(w >> 16), (char)(w >> 8), (char)w};
        wt_buf_add(out, bytes, 3 - pad);
    }
    return true;
bad:
    out->len = start;
    if (out->data)
        out->data[start] = 0;
    return false;
}
