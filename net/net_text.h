/* net_text: small text helpers shared by the net/ parsers.
 *
 * Every parser in net/ reports failures as a human-readable string in a
 * caller-supplied buffer. The input that failed is untrusted, so whenever it is
 * quoted in a message it goes through wb_net_quote, which escapes anything that
 * is not printable ASCII: an error message must never carry control bytes or
 * terminal escapes from a hostile URL or server into a log.
 */
#ifndef WASMBOX_NET_TEXT_H
#define WASMBOX_NET_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* snprintf into err (if err is non-NULL and errlen > 0). Always returns -1 so
 * callers can write `return wb_net_err(...)`. */
int wb_net_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Copies at most `max_in` bytes of s[0..len) into dst (size dstlen, always
 * NUL-terminated), escaping non-printable bytes, backslash and quote as \xNN.
 * Appends "..." when the input was cut. Returns dst. */
const char *wb_net_quote(char *dst, size_t dstlen, const char *s, size_t len);

/* ASCII helpers that do not depend on the C locale. */
static inline bool wb_net_is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline bool wb_net_is_alpha(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline int wb_net_hex_value(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
static inline unsigned char wb_net_lower(unsigned char c) {
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}
/* RFC 9110 tchar: the characters of a token (method, header name). */
bool wb_net_is_tchar(unsigned char c);
/* Case-insensitive ASCII comparison of s[0..len) with the NUL-terminated lit. */
bool wb_net_ieq(const char *s, size_t len, const char *lit);

#endif
