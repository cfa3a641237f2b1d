/* http.h: the shell's one way out to the network, for curl and wget.
 *
 * In the sandbox these are the wasmbox_http imports (net/README.md): the
 * host decides every request and every redirect hop against the run's
 * policy before any connection and audits it. The host build of the shell
 * (tests under ASan) has no network: every request fails with
 * SH_HTTP_ENOTCAPABLE and says so.
 *
 * Errors are WASI errno numbers (the subset below). */
#ifndef SH_HTTP_H
#define SH_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "shell.h"

enum {
    SH_HTTP_OK = 0,
    SH_HTTP_ECONNABORTED = 13, /* TLS handshake or certificate check failed */
    SH_HTTP_ECONNREFUSED = 14, /* the TCP connection could not be made */
    SH_HTTP_EHOSTUNREACH = 23, /* name lookup failed */
    SH_HTTP_EINVAL = 28,       /* bad URL, method or header lines */
    SH_HTTP_EIO = 29,
    SH_HTTP_ELOOP = 32,        /* too many redirects, or one that cannot be followed */
    SH_HTTP_EMSGSIZE = 35,     /* request body or response over a cap */
    SH_HTTP_ENOBUFS = 42,
    SH_HTTP_ENOMEM = 48,
    SH_HTTP_EPROTO = 65,       /* malformed response */
    SH_HTTP_ETIMEDOUT = 73,
    SH_HTTP_ENOTCAPABLE = 76,  /* refused by the sandbox's policy */
};

/* For the requests after it: at most max_redirects redirects (0: a 3xx
 * comes back as it is; -1: the run's limit) and timeout_ms in all (0: the
 * run's limit). Only tightens what the run allows. */
int sh_http_set_limits(int max_redirects, int timeout_ms);
/* headers: "Name: value\r\n" lines; body NULL: none. *handle on success. */
int sh_http_request(const char *method, const char *url, const char *headers, const void *body,
                    size_t body_len, uint32_t *handle);
/* The HTTP status of an open handle. */
int sh_http_status(uint32_t handle);
/* The response's "Name: value\r\n" lines, and the URL it came from after
 * redirects, appended to out. */
int sh_http_headers(uint32_t handle, sh_buf *out);
int sh_http_url(uint32_t handle, sh_buf *out);
/* Up to cap body bytes into buf; *n 0 at the end of the body. */
int sh_http_read(uint32_t handle, void *buf, size_t cap, size_t *n);
void sh_http_close(uint32_t handle);
/* Why the last call failed, in the host's words, appended to out. */
void sh_http_last_error(sh_buf *out);

#endif
