/* host: see host.h for the contract. The order of the steps matters and is
 * the security argument of this file:
 *   1. percent-decode (so "%2e" or "%41" cannot hide a dot or a letter),
 *   2. decode UTF-8 strictly and map the Unicode full stops and full-width
 *      ASCII to ASCII (so "127。0。0。1" cannot dodge step 4),
 *   3. lower-case, check every character, split into labels,
 *   4. if the last label is a number, the host IS an IPv4 address in
 *      inet_aton syntax: normalise it or fail; never pass it on as a name,
 *   5. otherwise punycode the non-ASCII labels.
 */
#include "host.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "net_text.h"
#include "punycode.h"

#define LABEL_MAX 63
#define NAME_MAX_LEN 253

/* ---------------- IPv4 in inet_aton syntax ---------------- */

int wb_ipv4_parse_numeric(const char *s, size_t len, uint8_t out[4], char *err, size_t errlen) {
    uint64_t parts[4];
    size_t nparts = 0, i = 0;
    char q[64];
    if (len == 0) return wb_net_err(err, errlen, "empty IPv4 address");
    for (;;) {
        size_t end = i;
        while (end < len && s[end] != '.') end++;
        if (nparts == 4)
            return wb_net_err(err, errlen, "numeric host '%s' has more than 4 parts",
                              wb_net_quote(q, sizeof q, s, len));
        if (end == i)
            return wb_net_err(err, errlen, "numeric host '%s' has an empty part",
                              wb_net_quote(q, sizeof q, s, len));
        size_t p = i;
        unsigned base = 10;
        if (end - p >= 2 && s[p] == '0' && (s[p + 1] == 'x' || s[p + 1] == 'X')) {
            base = 16;
            p += 2;
            if (p == end) /* "0x" alone: inet_aton rejects it, so do we */
                return wb_net_err(err, errlen, "numeric host '%s' has a part '0x' with no digits",
                                  wb_net_quote(q, sizeof q, s, len));
        } else if (end - p >= 2 && s[p] == '0') {
            base = 8;
            p += 1;
        }
        uint64_t v = 0;
        for (; p < end; p++) {
            int d = wb_net_hex_value((unsigned char)s[p]);
            if (d < 0 || (unsigned)d >= base)
                return wb_net_err(err, errlen, "numeric host '%s' has an invalid %s digit '%s'",
                                  wb_net_quote(q, sizeof q, s, len),
                                  base == 16 ? "hex" : base == 8 ? "octal" : "decimal",
                                  wb_net_quote((char[8]){0}, 8, s + p, 1));
            v = v * base + (unsigned)d;
            if (v > 0xFFFFFFFFu)
                return wb_net_err(err, errlen, "numeric host '%s': part %zu out of range",
                                  wb_net_quote(q, sizeof q, s, len), nparts + 1);
        }
        parts[nparts++] = v;
        if (end == len) break;
        i = end + 1;
        if (i == len)
            return wb_net_err(err, errlen, "numeric host '%s' has an empty part",
                              wb_net_quote(q, sizeof q, s, len));
    }
    /* All parts but the last are one byte; the last fills what is left. */
    for (size_t k = 0; k + 1 < nparts; k++)
        if (parts[k] > 255)
            return wb_net_err(err, errlen, "numeric host '%s': part %zu out of range (over 255)",
                              wb_net_quote(q, sizeof q, s, len), k + 1);
    static const uint64_t last_max[5] = {0, 0xFFFFFFFFu, 0xFFFFFFu, 0xFFFFu, 0xFFu};
    if (parts[nparts - 1] > last_max[nparts])
        return wb_net_err(err, errlen, "numeric host '%s': part %zu out of range (over %llu)",
                          wb_net_quote(q, sizeof q, s, len), nparts,
                          (unsigned long long)last_max[nparts]);
    uint32_t a = 0;
    for (size_t k = 0; k + 1 < nparts; k++) a |= (uint32_t)parts[k] << (24 - 8 * k);
    a |= (uint32_t)parts[nparts - 1];
    out[0] = (uint8_t)(a >> 24);
    out[1] = (uint8_t)(a >> 16);
    out[2] = (uint8_t)(a >> 8);
    out[3] = (uint8_t)a;
    return 0;
}

/* ---------------- IPv6 ---------------- */

void wb_ipv6_format(const uint8_t a[16], char out[46]) {
    uint16_t g[8];
    for (int i = 0; i < 8; i++) g[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);

    /* ::ffff:a.b.c.d keeps its dotted tail (RFC 5952 section 5). */
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(a, mapped, 12) == 0) {
        snprintf(out, 46, "::ffff:%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
        return;
    }
    /* Longest run of at least two zero groups; the first one wins a tie. */
    int best = -1, best_len = 0;
    for (int i = 0; i < 8;) {
        if (g[i] != 0) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && g[j] == 0) j++;
        if (j - i > best_len && j - i >= 2) {
            best = i;
            best_len = j - i;
        }
        i = j;
    }
    size_t o = 0;
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            out[o++] = ':';
            out[o++] = ':';
            i += best_len - 1;
            continue;
        }
        if (o > 0 && out[o - 1] != ':') out[o++] = ':';
        o += (size_t)snprintf(out + o, 46 - o, "%x", g[i]);
    }
    out[o] = '\0';
}

static int normalise_ipv6(const char *s, size_t len, wb_host *out, char *err, size_t errlen) {
    /* s is "[...]" including the brackets. */
    const char *in = s + 1;
    size_t n = len - 2;
    char q[80], buf[64];
    if (n == 0) return wb_net_err(err, errlen, "empty IPv6 literal '[]'");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == '%')
            return wb_net_err(err, errlen, "IPv6 zone identifiers are not allowed: '%s'",
                              wb_net_quote(q, sizeof q, s, len));
        if (wb_net_hex_value(c) < 0 && c != ':' && c != '.')
            return wb_net_err(err, errlen, "invalid character in IPv6 literal '%s'",
                              wb_net_quote(q, sizeof q, s, len));
    }
    if (n >= sizeof buf)
        return wb_net_err(err, errlen, "IPv6 literal too long: '%s'",
                          wb_net_quote(q, sizeof q, s, len));
    memcpy(buf, in, n);
    buf[n] = '\0';
    if (inet_pton(AF_INET6, buf, out->addr) != 1)
        return wb_net_err(err, errlen, "invalid IPv6 literal '%s'",
                          wb_net_quote(q, sizeof q, s, len));
    out->kind = WB_HOST_IPV6;
    wb_ipv6_format(out->addr, out->text);
    return 0;
}

/* ---------------- names ---------------- */

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
 * Returns the sequence length and the code point, or 0 if invalid. */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp) {
    unsigned char b = s[0];
    size_t need;
    uint32_t v, min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
        need = 2, v = b & 0x1F, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 3, v = b & 0x0F, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 4, v = b & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len < need) return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = v << 6 | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return need;
}

/* Code points that are invisible, spaces, controls, private or reserved: a
 * name using them is either a mistake or a spoof, so refuse it rather than
 * punycode it. A deliberate, documented subset of what UTS 46 disallows or
 * ignores; see net/README.md. */
static bool disallowed_code_point(uint32_t c) {
    if (c >= 0x80 && c <= 0xA0) return true;      /* C1 controls, no-break space */
    if (c == 0xAD || c == 0x34F) return true;      /* soft hyphen, grapheme joiner */
    if (c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0) return true; /* fillers */
    if (c >= 0x180B && c <= 0x180E) return true;   /* Mongolian selectors/separator */
    if (c >= 0x2000 && c <= 0x200F) return true;   /* spaces, zero-width, marks */
    if (c >= 0x2028 && c <= 0x202F) return true;   /* separators, bidi embeddings */
    if (c >= 0x205F && c <= 0x206F) return true;   /* math space, invisible operators */
    if (c == 0x3000 || c == 0xFEFF) return true;   /* ideographic space, BOM */
    if (c >= 0xE000 && c <= 0xF8FF) return true;   /* private use */
    if (c >= 0xFE00 && c <= 0xFE0F) return true;   /* variation selectors */
    if (c >= 0xFFF0 && c <= 0xFFFF) return true;   /* specials */
    if (c >= 0xFDD0 && c <= 0xFDEF) return true;   /* noncharacters */
    if ((c & 0xFFFE) == 0xFFFE) return true;       /* U+xFFFE/U+xFFFF noncharacters */
    if (c >= 0xE0000) return true;                 /* tags, selectors, private planes */
    return false;
}

/* Maps a code point to the one the host is compared as: the three Unicode
 * full stops become '.', full-width ASCII becomes ASCII, ASCII is lowered. */
static uint32_t map_code_point(uint32_t c) {
    if (c == 0x3002 || c == 0xFF0E || c == 0xFF61) return '.';
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;
    if (c < 0x80) c = wb_net_lower((unsigned char)c);
    return c;
}

static bool ascii_name_char(uint32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Does the label look like a number to inet_aton ("123", "0x1F", "0x")? */
static bool numeric_label(const uint32_t *cp, size_t n) {
    if (n == 0) return false;
    if (n >= 2 && cp[0] == '0' && cp[1] == 'x') {
        for (size_t i = 2; i < n; i++)
            if (cp[i] >= 0x80 || wb_net_hex_value((unsigned char)cp[i]) < 0) return false;
        return true;
    }
    for (size_t i = 0; i < n; i++)
        if (cp[i] < '0' || cp[i] > '9') return false;
    return true;
}

static int normalise_name(const char *s, size_t len, wb_host *out, char *err, size_t errlen) {
    unsigned char bytes[WB_HOST_RAW_MAX];
    uint32_t cp[WB_HOST_RAW_MAX];
    char q[80];
    size_t nb = 0, ncp = 0;

    /* 1. percent-decode */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            int hi = i + 2 < len ? wb_net_hex_value((unsigned char)s[i + 1]) : -1;
            int lo = i + 2 < len ? wb_net_hex_value((unsigned char)s[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return wb_net_err(err, errlen, "invalid percent-encoding in host '%s'",
                                  wb_net_quote(q, sizeof q, s, len));
            c = (unsigned char)(hi << 4 | lo);
            i += 2;
        }
        bytes[nb++] = c;
    }

    /* 2. UTF-8 -> code points, mapped; 3. character check */
    for (size_t i = 0; i < nb;) {
        uint32_t c;
        size_t k = utf8_decode(bytes + i, nb - i, &c);
        if (k == 0)
            return wb_net_err(err, errlen, "host '%s' is not valid UTF-8 (byte %zu)",
                              wb_net_quote(q, sizeof q, s, len), i);
        i += k;
        c = map_code_point(c);
        if (c < 0x80) {
            if (c != '.' && !ascii_name_char(c)) {
                if (c > 0x20 && c < 0x7F)
                    return wb_net_err(err, errlen, "forbidden character '%c' in host '%s'",
                                      (char)c, wb_net_quote(q, sizeof q, s, len));
                return wb_net_err(err, errlen, "forbidden byte 0x%02x in host '%s'",
                                  (unsigned)c, wb_net_quote(q, sizeof q, s, len));
            }
        } else if (disallowed_code_point(c)) {
            return wb_net_err(err, errlen, "code point U+%04X is not allowed in host '%s'",
                              (unsigned)c, wb_net_quote(q, sizeof q, s, len));
        }
        cp[ncp++] = c;
    }

    /* One trailing dot names the same host (fully-qualified form). */
    if (ncp > 0 && cp[ncp - 1] == '.') ncp--;
    if (ncp == 0) return wb_net_err(err, errlen, "empty host");

    /* 4. numeric forms */
    size_t last_start = ncp;
    while (last_start > 0 && cp[last_start - 1] != '.') last_start--;
    if (numeric_label(cp + last_start, ncp - last_start)) {
        char ascii[WB_HOST_RAW_MAX];
        for (size_t i = 0; i < ncp; i++) {
            if (cp[i] >= 0x80)
                return wb_net_err(err, errlen, "host '%s' ends in a number but is not an IPv4 address",
                                  wb_net_quote(q, sizeof q, s, len));
            ascii[i] = (char)cp[i];
        }
        if (wb_ipv4_parse_numeric(ascii, ncp, out->addr, err, errlen) != 0) return -1;
        out->kind = WB_HOST_IPV4;
        snprintf(out->text, sizeof out->text, "%u.%u.%u.%u", out->addr[0], out->addr[1],
                 out->addr[2], out->addr[3]);
        return 0;
    }

    /* 5. labels */
    size_t o = 0;
    for (size_t i = 0; i < ncp;) {
        size_t j = i;
        bool ascii = true;
        while (j < ncp && cp[j] != '.') {
            if (cp[j] >= 0x80) ascii = false;
            j++;
        }
        if (j == i)
            return wb_net_err(err, errlen, "empty label in host '%s'",
                              wb_net_quote(q, sizeof q, s, len));
        char label[LABEL_MAX + 2];
        size_t llen;
        if (ascii) {
            llen = j - i;
            if (llen > LABEL_MAX) goto label_too_long;
            for (size_t k = 0; k < llen; k++) label[k] = (char)cp[i + k];
        } else {
            char enc[LABEL_MAX + 1];
            int r = wb_punycode_encode(cp + i, j - i, enc, sizeof enc);
            if (r < 0 || (size_t)r + 4 > LABEL_MAX) goto label_too_long;
            memcpy(label, "xn--", 4);
            memcpy(label + 4, enc, (size_t)r);
            llen = (size_t)r + 4;
        }
        if (o + (o > 0) + llen > NAME_MAX_LEN)
            return wb_net_err(err, errlen, "host name longer than %d bytes: '%s'", NAME_MAX_LEN,
                              wb_net_quote(q, sizeof q, s, len));
        if (o > 0) out->text[o++] = '.';
        memcpy(out->text + o, label, llen);
        o += llen;
        i = j + 1;
        if (j + 1 == ncp) /* "a." was trimmed above, so a dot here ends an empty label */
            return wb_net_err(err, errlen, "empty label in host '%s'",
                              wb_net_quote(q, sizeof q, s, len));
        continue;
    label_too_long:
        return wb_net_err(err, errlen, "label longer than %d bytes in host '%s'", LABEL_MAX,
                          wb_net_quote(q, sizeof q, s, len));
    }
    out->text[o] = '\0';
    out->kind = WB_HOST_NAME;
    memset(out->addr, 0, sizeof out->addr);
    return 0;
}

int wb_host_normalise(const char *s, size_t len, wb_host *out, char *err, size_t errlen) {
    char q[80];
    memset(out, 0, sizeof *out);
    if (len == 0) return wb_net_err(err, errlen, "empty host");
    if (len > WB_HOST_RAW_MAX)
        return wb_net_err(err, errlen, "host longer than %d bytes", WB_HOST_RAW_MAX);
    if (s[0] == '[') {
        if (len < 2 || s[len - 1] != ']')
            return wb_net_err(err, errlen, "unterminated IPv6 literal '%s'",
                              wb_net_quote(q, sizeof q, s, len));
        return normalise_ipv6(s, len, out, err, errlen);
    }
    return normalise_name(s, len, out, err, errlen);
}
