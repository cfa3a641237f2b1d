/* punycode: RFC 3492 encoding of one IDN label.
 *
 * Only encoding is needed: wasmbox turns a Unicode host name into the ASCII
 * ("xn--") form before any policy check, so the policy and DNS only ever see
 * ASCII. The caller adds the "xn--" prefix.
 */
#ifndef WASMBOX_NET_PUNYCODE_H
#define WASMBOX_NET_PUNYCODE_H

#include <stddef.h>
#include <stdint.h>

/* Encodes the code points cp[0..n) into out (size outlen, NUL-terminated).
 * Basic (ASCII) code points are copied as given, so callers lower-case them
 * first. Returns the output length, or -1 if the output does not fit or the
 * arithmetic would overflow (only possible for absurd inputs). */
int wb_punycode_encode(const uint32_t *cp, size_t n, char *out, size_t outlen);

#endif
