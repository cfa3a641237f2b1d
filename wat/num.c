/* Number literals of the text format.
 *
 * The grammar (signs, hex, '_' only between two digits) is checked here by
 * hand; the value of a float literal then comes from glibc's strtof/strtod
 * on the literal with its underscores removed. glibc rounds both decimal
 * and hex input correctly (to nearest, ties to even, in the default
 * rounding mode), straight to the target type, so f32 literals are not
 * rounded twice. A literal that rounds to infinity is refused ("constant
 * out of range" in the spec); one that rounds to a subnormal or zero is not.
 */
#include "wat_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Digits (base 10 or 16) with single '_' between them, from s[*i]; at least
 * one digit. Appends the digits to out (when not NULL). */
static bool digits(const char *s, size_t len, size_t *i, bool hex, char *out, size_t *olen)
{
    size_t start = *i;
    while (*i < len) {
        char c = s[*i];
        bool d = hex ? hexval(c) >= 0 : (c >= '0' && c <= '9');
        if (d) {
            if (out)
                out[(*olen)++] = c;
            (*i)++;
        } else if (c == '_' && *i > start && *i + 1 < len &&
                   (hex ? hexval(s[*i + 1]) >= 0 : (s[*i + 1] >= '0' && s[*i + 1] <= '9'))) {
            (*i)++;
        } else {
            break;
        }
    }
    return *i > start;
}

/* Unsigned magnitude of "num" or "0xhexnum"; false on syntax or > UINT64_MAX. */
static bool magnitude(const char *s, size_t len, uint64_t *out)
{
    size_t i = 0;
    bool hex = len > 2 && s[0] == '0' && (s[1] == 'x');
    if (hex)
        i = 2;
    uint64_t v = 0;
    size_t start = i;
    if (i >= len)
        return false;
    while (i < len) {
        char c = s[i];
        if (c == '_') {
            if (i == start || i + 1 >= len || s[i + 1] == '_')
                return false;
            i++;
            continue;
        }
        int d = hex ? hexval(c) : (c >= '0' && c <= '9' ? c - '0' : -1);
        if (d < 0)
            return false;
        unsigned base = hex ? 16 : 10;
        if (v > (UINT64_MAX - (uint64_t)d) / base)
            return false;
        v = v * base + (uint64_t)d;
        i++;
    }
    if (s[len - 1] == '_')
        return false;
    *out = v;
    return true;
}

bool wat_parse_u32(const char *s, size_t len, uint32_t *out)
{
    uint64_t v;
    if (len == 0 || !magnitude(s, len, &v) || v > UINT32_MAX)
        return false;
    *out = (uint32_t)v;
    return true;
}

bool wat_parse_u64(const char *s, size_t len, uint64_t *out)
{
    return len > 0 && magnitude(s, len, out);
}

bool wat_parse_int(const char *s, size_t len, unsigned bits, uint64_t *out)
{
    bool neg = false, sign = false;
    if (len > 0 && (s[0] == '+' || s[0] == '-')) {
        neg = s[0] == '-';
        sign = true;
        s++;
        len--;
    }
    uint64_t v;
    if (len == 0 || !magnitude(s, len, &v))
        return false;
    uint64_t umax = bits == 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
    uint64_t half = (uint64_t)1 << (bits - 1);
    if (!sign) {
        if (v > umax)
            return false;
        *out = v;
    } else if (neg) {
        if (v > half)
            return false;
        *out = (0 - v) & umax;
    } else {
        if (v > half - 1)
            return false;
        *out = v;
    }
    return true;
}

/* Checks a decimal or hex float literal (no sign, not inf/nan) and writes it
 * without underscores into buf (NUL-terminated). */
static bool float_syntax(const char *s, size_t len, char *buf)
{
    size_t i = 0, o = 0;
    bool hex = len > 2 && s[0] == '0' && s[1] == 'x';
    if (hex) {
        i = 2;
        buf[o++] = '0';
        buf[o++] = 'x';
    }
    if (!digits(s, len, &i, hex, buf, &o))
        return false;
    if (i < len && s[i] == '.') {
        buf[o++] = '.';
        i++;
        if (i < len && (hex ? hexval(s[i]) >= 0 : (s[i] >= '0' && s[i] <= '9')))
            if (!digits(s, len, &i, hex, buf, &o))
                return false;
    }
    if (i < len && (hex ? (s[i] == 'p' || s[i] == 'P') : (s[i] == 'e' || s[i] == 'E'))) {
        buf[o++] = s[i++];
        if (i < len && (s[i] == '+' || s[i] == '-'))
            buf[o++] = s[i++];
        if (!digits(s, len, &i, false, buf, &o))
            return false;
    }
    buf[o] = '\0';
    return i == len;
}

/* The parts every float literal shares: sign, then inf / nan / nan:0x / a
 * number. kind: 0 number (text in *num), 1 inf, 2 nan, 3 nan with payload. */
static bool float_parts(const char *s, size_t len, bool *neg, int *kind, uint64_t *payload, char **num)
{
    *neg = false;
    if (len > 0 && (s[0] == '+' || s[0] == '-')) {
        *neg = s[0] == '-';
        s++;
        len--;
    }
    if (len == 3 && memcmp(s, "inf", 3) == 0) {
        *kind = 1;
        return true;
    }
    if (len == 3 && memcmp(s, "nan", 3) == 0) {
        *kind = 2;
        return true;
    }
    if (len > 6 && memcmp(s, "nan:0x", 6) == 0) {
        *kind = 3;
        return magnitude(s + 4, len - 4, payload);
    }
    *kind = 0;
    char *buf = malloc(len + 1);
    if (!buf)
        return false;
    if (!float_syntax(s, len, buf)) {
        free(buf);
        return false;
    }
    *num = buf;
    return true;
}

bool wat_parse_f32(const char *s, size_t len, uint32_t *bits)
{
    bool neg;
    int kind;
    uint64_t payload = 0;
    char *num = NULL;
    if (!float_parts(s, len, &neg, &kind, &payload, &num))
        return false;
    uint32_t sign = neg ? 0x80000000u : 0;
    if (kind == 1) {
        *bits = sign | 0x7F800000u;
        return true;
    }
    if (kind == 2 || kind == 3) {
        if (kind == 2)
            payload = 0x400000u;
        if (payload == 0 || payload > 0x7FFFFFu)
            return false;
        *bits = sign | 0x7F800000u | (uint32_t)payload;
        return true;
    }
    errno = 0;
    char *end;
    float f = strtof(num, &end);
    bool ok = *end == '\0' && !isinf(f);
    free(num);
    if (!ok)
        return false;
    uint32_t u;
    memcpy(&u, &f, 4);
    *bits = sign | (u & 0x7FFFFFFFu);
    return true;
}

bool wat_parse_f64(const char *s, size_t len, uint64_t *bits)
{
    bool neg;
    int kind;
    uint64_t payload = 0;
    char *num = NULL;
    if (!float_parts(s, len, &neg, &kind, &payload, &num))
        return false;
    uint64_t sign = neg ? (uint64_t)1 << 63 : 0;
    const uint64_t expo = (uint64_t)0x7FF << 52, mant = ((uint64_t)1 << 52) - 1;
    if (kind == 1) {
        *bits = sign | expo;
        return true;
    }
    if (kind == 2 || kind == 3) {
        if (kind == 2)
            payload = (uint64_t)1 << 51;
        if (payload == 0 || payload > mant)
            return false;
        *bits = sign | expo | payload;
        return true;
    }
    errno = 0;
    char *end;
    double d = strtod(num, &end);
    bool ok = *end == '\0' && !isinf(d);
    free(num);
    if (!ok)
        return false;
    uint64_t u;
    memcpy(&u, &d, 8);
    *bits = sign | (u & ~((uint64_t)1 << 63));
    return true;
}
