/* url: parsing and normalisation of the http(s) URLs a guest asks for.
 *
 * Job: one canonical reading of a URL, made before any policy check, so that
 * the policy, the connection and the request all agree on where the request
 * goes. Anything ambiguous (userinfo, backslashes, control bytes, bad escapes,
 * numbers that are not addresses) is refused rather than guessed at.
 *
 * The normalised form, printed by wb_url_format, is
 *     scheme "://" host [":" port] path ["?" query]
 * with the scheme lower case, the host normalised by host.h (IPv6 in
 * brackets), the port only when it is not the scheme's default, the fragment
 * dropped and the path normalised (see wb_url_parse). The policy's block_urls
 * are matched as prefixes of this string.
 */
#ifndef WASMBOX_NET_URL_H
#define WASMBOX_NET_URL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host.h"

#define WB_URL_MAX_LEN 8192

typedef enum wb_url_scheme {
    WB_URL_HTTP = 0,
    WB_URL_HTTPS = 1,
} wb_url_scheme;

typedef struct wb_url {
    wb_url_scheme scheme;
    wb_host host;          /* kind, text, addr: see host.h */
    uint16_t port;         /* 1..65535; 80/443 if none was given */
    bool port_explicit;    /* the URL spelled a port */
    char *target;          /* origin-form request target: path ["?" query]; malloc'd */
} wb_url;

/* Parses s[0..len) (not NUL-terminated; an embedded NUL is an error).
 * On success returns 0 and fills *out (release with wb_url_free). On failure
 * returns -1, leaves *out empty (safe to wb_url_free) and writes a message to
 * err. Path/query normalisation:
 *   - "%xx" escapes must be valid; those of unreserved characters
 *     (A-Z a-z 0-9 - . _ ~) are decoded, the rest get upper-case hex digits;
 *   - bytes not allowed in a request target (space, '"', '<', '>', '\\', '^',
 *     '`', '{', '|', '}', '[', ']', bytes >= 0x80) are percent-encoded;
 *   - "." and ".." segments are removed (RFC 3986 section 5.2.4), so
 *     "/a/../admin" and "/admin" are the same URL to block_urls;
 *   - an empty path becomes "/".
 * Both the URL and its normalised form (wb_url_format) must fit in
 * WB_URL_MAX_LEN bytes. */
int wb_url_parse(const char *s, size_t len, wb_url *out, char *err, size_t errlen);

void wb_url_free(wb_url *u);

/* The scheme's name, "http" or "https". */
const char *wb_url_scheme_name(wb_url_scheme s);

/* Writes the normalised URL into buf (snprintf semantics: always terminated
 * when n > 0). Returns the full length it needs, excluding the NUL. */
size_t wb_url_format(const wb_url *u, char *buf, size_t n);

/* Writes the value of the Host header for this URL: host (IPv6 in brackets),
 * plus ":port" when the port is not the default. snprintf semantics. */
size_t wb_url_host_header(const wb_url *u, char *buf, size_t n);

#endif
