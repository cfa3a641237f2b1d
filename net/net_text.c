/* net_text: error formatting and safe quoting for the net/ parsers. */
#include "net_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int wb_net_err(char *err, size_t errlen, const char *fmt, ...) {
    if (err && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

const char *wb_net_quote(char *dst, size_t dstlen, const char *s, size_t len) {
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    if (dstlen == 0) return dst;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool plain = c >= 0x20 && c < 0x7F && c != '\\' && c != '\'' && c != '"';
        size_t need = plain ? 1 : 4;
        /* Keep room for "..." and the NUL. */
        if (o + need + 4 > dstlen) {
            if (o + 4 <= dstlen) {
                memcpy(dst + o, "...", 3);
                o += 3;
            }
            break;
        }
        if (plain) {
            dst[o++] = (char)c;
        } else {
            dst[o++] = '\\';
            dst[o++] = 'x';
            dst[o++] = hex[c >> 4];
            dst[o++] = hex[c & 15];
        }
    }
    dst[o] = '\0';
    return dst;
}

bool wb_net_is_tchar(unsigned char c) {
    if (wb_net_is_alpha(c) || wb_net_is_digit(c)) return true;
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

bool wb_net_ieq(const char *s, size_t len, const char *lit) {
    size_t n = strlen(lit);
    if (n != len) return false;
    for (size_t i = 0; i < n; i++)
        if (wb_net_lower((unsigned char)s[i]) != wb_net_lower((unsigned char)lit[i])) return false;
    return true;
}
