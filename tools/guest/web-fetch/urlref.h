/* urlref: resolving the links of a page against its URL (RFC 3986 5.2,
 * with the WHATWG URL Standard's leniencies for what pages contain). */
#ifndef WF_URLREF_H
#define WF_URLREF_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/wbtool.h"

/* Appends ref (an href or src as written, character references already
 * decoded) resolved against base (an absolute URL) to out. White space
 * around ref and tabs and newlines inside it are dropped (as browsers do);
 * in an http(s) reference a backslash is a slash. A reference with its
 * own scheme ("mailto:x", "https://h/") is kept as it is. False when out
 * of memory. */
bool wf_url_resolve(wt_buf *out, const char *base, const char *ref, size_t n);

/* The scheme of s (lower case, into buf of cap bytes) when s starts with
 * one ("javascript:..."); false otherwise. */
bool wf_url_scheme(const char *s, size_t n, char *buf, size_t cap);

#endif
