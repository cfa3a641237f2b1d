/* host: normalisation of the host part of an http(s) URL.
 *
 * Job: turn whatever a guest wrote as a host into the one spelling the policy
 * matchers and the resolver will see, or refuse it. Two hosts that reach the
 * same machine through the resolver must not look different to the policy, so
 * every form that getaddrinfo/inet_aton would read as an address is rewritten
 * to that address, and Unicode names are turned into their ASCII (punycode)
 * form here rather than by some later component.
 *
 * Results:
 *   WB_HOST_IPV4  text is dotted decimal "a.b.c.d", addr[0..4) the address
 *   WB_HOST_IPV6  text is the RFC 5952 form without brackets, addr[0..16)
 *   WB_HOST_NAME  text is lower-case ASCII labels joined by '.', no trailing
 *                 dot; non-ASCII labels are "xn--" + RFC 3492 punycode
 *
 * Note for policy: an IPv6 result may embed an IPv4 address (::ffff:a.b.c.d,
 * ::a.b.c.d, 64:ff9b::/96). This module does not unwrap them; CIDR checks must.
 */
#ifndef WASMBOX_NET_HOST_H
#define WASMBOX_NET_HOST_H

#include <stddef.h>
#include <stdint.h>

/* 253 name bytes + NUL, rounded; an IPv6 text form is at most 45 bytes. */
#define WB_HOST_TEXT_MAX 256
/* The raw host (before percent-decoding) may not be longer than this. */
#define WB_HOST_RAW_MAX 2048

typedef enum wb_host_kind {
    WB_HOST_NAME = 0,
    WB_HOST_IPV4 = 4,
    WB_HOST_IPV6 = 6,
} wb_host_kind;

typedef struct wb_host {
    wb_host_kind kind;
    char text[WB_HOST_TEXT_MAX];
    uint8_t addr[16];
} wb_host;

/* Normalises the raw host s[0..len) as it appears in a URL authority (an IPv6
 * literal still in its brackets, percent-escapes not yet decoded).
 * Returns 0, or -1 with a message in err. */
int wb_host_normalise(const char *s, size_t len, wb_host *out, char *err, size_t errlen);

/* Parses s[0..len) the way inet_aton reads an IPv4 address: 1 to 4 parts
 * separated by '.', each decimal, octal (leading 0) or hex (leading 0x); the
 * last part fills the remaining bytes. Returns 0 and the address in network
 * byte order, or -1 with a message. No whitespace or trailing junk accepted. */
int wb_ipv4_parse_numeric(const char *s, size_t len, uint8_t out[4], char *err, size_t errlen);

/* Formats an IPv6 address per RFC 5952 (lower-case hex, no leading zeros, the
 * longest run of two or more zero groups replaced by "::", the first such run
 * on a tie; IPv4-mapped ::ffff:0:0/96 written with a dotted tail).
 * out must hold at least 46 bytes. */
void wb_ipv6_format(const uint8_t addr[16], char out[46]);

#endif
