/* wasmbox_http_guest.h: outgoing HTTP(S) for guest programs running in
 * wasmbox (C compiled with clang --target=wasm32-wasi). Header only.
 *
 * The host decides every request against the run's policy (allowed hosts,
 * blocked networks and URLs) before any connection; a refusal is
 * WBH_ENOTCAPABLE and wbh_last_error() says which destination and which
 * policy key. Errors are WASI errno numbers (see net/README.md).
 *
 *     uint32_t h;
 *     int e = wbh_get("https://api.example.com/x", &h);
 *     if (e) { char msg[512]; wbh_last_error(msg, sizeof msg); ... }
 *     char buf[4096]; uint32_t n;
 *     while (wasmbox_http_read(h, buf, sizeof buf, &n) == 0 && n > 0) ...
 *     wasmbox_http_close(h);
 */
#ifndef WASMBOX_HTTP_GUEST_H
#define WASMBOX_HTTP_GUEST_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define WBH_IMPORT(name) __attribute__((import_module("wasmbox_http"), import_name(name)))

enum {
    WBH_OK = 0,
    WBH_EBADF = 8,          /* not an open handle */
    WBH_ECONNABORTED = 13,  /* TLS handshake or certificate check failed */
    WBH_ECONNREFUSED = 14,  /* the TCP connection could not be made */
    WBH_EFAULT = 21,        /* a pointer range is outside this module's memory */
    WBH_EHOSTUNREACH = 23,  /* name lookup failed */
    WBH_EINVAL = 28,        /* bad URL, method or header lines; cap 0 */
    WBH_EIO = 29,           /* other I/O failure */
    WBH_ELOOP = 32,         /* too many redirects, or a bad redirect */
    WBH_EMFILE = 33,        /* too many open handles */
    WBH_EMSGSIZE = 35,      /* request body or response over a cap */
    WBH_ENOBUFS = 42,       /* buffer too small: *len_out holds the size needed */
    WBH_ENOMEM = 48,        /* host out of memory */
    WBH_EPROTO = 65,        /* malformed response */
    WBH_ETIMEDOUT = 73,     /* a time limit */
    WBH_ENOTCAPABLE = 76,   /* refused by the policy */
};

/* method/url/headers are byte ranges (no NUL needed); headers are
 * "Name: value\r\n" lines; body NULL with body_len 0 = no body. */
WBH_IMPORT("request")
int32_t wasmbox_http_request(const char *method, uint32_t method_len, const char *url,
                             uint32_t url_len, const char *headers, uint32_t headers_len,
                             const void *body, uint32_t body_len, uint32_t *handle_out);
/* The HTTP status, or -errno (-8: not an open handle). */
WBH_IMPORT("status") int32_t wasmbox_http_status(uint32_t handle);
/* Raw "Name: value\r\n" response header lines. */
WBH_IMPORT("headers")
int32_t wasmbox_http_headers(uint32_t handle, char *buf, uint32_t cap, uint32_t *len_out);
/* Up to cap body bytes; *nread_out 0 means the end of the body. */
WBH_IMPORT("read")
int32_t wasmbox_http_read(uint32_t handle, void *buf, uint32_t cap, uint32_t *nread_out);
WBH_IMPORT("close") int32_t wasmbox_http_close(uint32_t handle);
/* Why the last call failed (length 0 if nothing failed yet). */
WBH_IMPORT("last_error")
int32_t wasmbox_http_last_error(char *buf, uint32_t cap, uint32_t *len_out);
/* The URL the response came from, after redirects (normalised, as the
 * policy saw it): the base for the links in it. Too small a buffer:
 * WBH_ENOBUFS with the length needed in *len_out. */
WBH_IMPORT("url")
int32_t wasmbox_http_url(uint32_t handle, char *buf, uint32_t cap, uint32_t *len_out);
/* Limits for the requests made after this call: at most max_redirects
 * redirects followed (0: a 3xx comes back as it is; -1: the run's limit)
 * and at most timeout_ms for the whole request, body included (0: the
 * run's limit; a limit reached is WBH_ETIMEDOUT). Either can only tighten
 * what the run allows. */
WBH_IMPORT("set_limits")
int32_t wasmbox_http_set_limits(int32_t max_redirects, int32_t timeout_ms);

/* ---- small helpers ---- */

/* GET url (NUL-terminated). */
static inline int32_t wbh_get(const char *url, uint32_t *handle)
{
    return wasmbox_http_request("GET", 3, url, (uint32_t)strlen(url), NULL, 0, NULL, 0, handle);
}

/* method and url NUL-terminated; headers NULL or "Name: value\r\n" lines. */
static inline int32_t wbh_request(const char *method, const char *url, const char *headers,
                                  const void *body, uint32_t body_len, uint32_t *handle)
{
    return wasmbox_http_request(method, (uint32_t)strlen(method), url, (uint32_t)strlen(url),
                                headers, headers ? (uint32_t)strlen(headers) : 0, body,
                                body_len, handle);
}

/* Room for any last_error text (the host's messages are shorter). */
#define WBH_LAST_ERROR_MAX 1280

/* The last error as a NUL-terminated string; returns its length. With a
 * buffer smaller than WBH_LAST_ERROR_MAX a long message may not fit: then
 * buf holds "" and 0 is returned. */
static inline uint32_t wbh_last_error(char *buf, uint32_t cap)
{
    uint32_t len = 0;
    if (cap == 0)
        return 0;
    if (wasmbox_http_last_error(buf, cap - 1, &len) != 0)
        len = 0;
    buf[len] = 0;
    return len;
}

/* Reads the whole body into buf (at most cap bytes); *len gets the count.
 * WBH_EMSGSIZE if the body is longer than cap. */
static inline int32_t wbh_read_all(uint32_t handle, void *buf, uint32_t cap, uint32_t *len)
{
    uint32_t total = 0;
    for (;;) {
        uint32_t n = 0;
        if (total == cap) {
            char probe;
            int32_t e = wasmbox_http_read(handle, &probe, 1, &n);
            *len = total;
            return e ? e : (n ? WBH_EMSGSIZE : WBH_OK);
        }
        int32_t e = wasmbox_http_read(handle, (char *)buf + total, cap - total, &n);
        if (e) {
            *len = total;
            return e;
        }
        if (n == 0)
            break;
        total += n;
    }
    *len = total;
    return WBH_OK;
}

#endif
