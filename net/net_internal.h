/* net_internal: contracts between the files of the client (not public).
 *
 *   decide.c   policy decision and audit record for one hop
 *   resolve.c  host -> checked candidate addresses (literal, resolve entry, DNS)
 *   connect.c  non-blocking TCP connect to checked addresses, timed I/O
 *   tls.c      OpenSSL context, handshake and verification
 *   client.c   requests, responses, redirects, streaming, fetch helper
 */
#ifndef WASMBOX_NET_INTERNAL_H
#define WASMBOX_NET_INTERNAL_H

#include <stdint.h>
#include <sys/types.h>

#include "net.h"

/* scheme://host[:port], the port only when not the default. */
void wb_net_origin(const wb_url *u, char *buf, size_t n);

/* An address as net/ writes it in messages (IPv6 per RFC 5952, as url.h). */
void wb_net_ip_text(const wb_ip *ip, char *buf, size_t n);

/* Fills d->addrs/naddrs/source for u's host: the literal address, else the
 * policy's resolve entry for host:port, else lookup (NULL: getaddrinfo).
 * Duplicates are dropped; more than WB_NET_MAX_ADDRS is an error. */
int wb_net_resolve(const wb_policy *p, const wb_url *u, wb_net_lookup_fn lookup, void *ctx,
                   wb_net_decision *d, char *err, size_t errlen);
/* ctx of wb_net_getaddrinfo (may be NULL: 10 s). */
typedef struct wb_net_lookup_limit {
    int timeout_ms;      /* this lookup */
    int64_t deadline_ms; /* the request's total deadline (INT64_MAX: none) */
} wb_net_lookup_limit;
/* getaddrinfo_a with a time limit: a resolver that never answers costs at
 * most the limit. */
int wb_net_getaddrinfo(void *ctx, const char *host, uint16_t port, wb_ip *out, size_t max,
                       size_t *n, char *err, size_t errlen);

/* Milliseconds on a monotonic clock. */
int64_t wb_net_now_ms(void);

/* One connection: a socket and, for https, its TLS session. */
typedef struct wb_net_conn {
    int fd;
    struct ssl_st *ssl;          /* NULL for http */
    struct ssl_ctx_st *ctx;
    int64_t deadline_ms;         /* total deadline (INT64_MAX: none) */
    int io_timeout_ms;
    int abort_fd;                /* wb_net_options.abort_fd (-1: none) */
    bool tls_eof_clean;          /* the peer sent close_notify */
    bool tls_failed;             /* a fatal TLS error: no close_notify may be sent */
    char peer[WB_HOST_TEXT_MAX + 112]; /* "origin (address)", for messages */
} wb_net_conn;

/* Connects to the first of d->addrs that answers, within timeout_ms (the
 * whole phase) and the conn's deadline. Only addresses in d are used. */
int wb_net_tcp_connect(wb_net_conn *c, const wb_net_decision *d, uint16_t port, int timeout_ms,
                       wb_net_error *err);
/* TLS handshake over c->fd, verifying the certificate against the system
 * store and ca_file (may be NULL), and against u's host (name or IP). */
int wb_net_tls_start(wb_net_conn *c, const wb_url *u, const char *ca_file, wb_net_error *err);
/* Writes all of buf, or fails (timeouts included). */
int wb_net_conn_write(wb_net_conn *c, const void *buf, size_t n, wb_net_error *err);
/* Reads some bytes: > 0 count, 0 end of stream, -1 error. */
ssize_t wb_net_conn_read(wb_net_conn *c, void *buf, size_t n, wb_net_error *err);
void wb_net_conn_close(wb_net_conn *c);

/* Waits until fd is ready for events (POLLIN/POLLOUT), at most the io
 * timeout and never past the deadline. what names the wait in messages. */
int wb_net_wait(wb_net_conn *c, short events, const char *what, wb_net_error *err);
/* TLS halves of conn_read/conn_write/conn_close (tls.c). */
int wb_net_tls_write(wb_net_conn *c, const void *buf, size_t n, wb_net_error *err);
ssize_t wb_net_tls_read(wb_net_conn *c, void *buf, size_t n, wb_net_error *err);
void wb_net_tls_close(wb_net_conn *c);

/* The absolute URL a Location value points to, relative to base (RFC 3986
 * section 5.2 reference forms: absolute, "//authority", "/path", "?query",
 * relative path). Returns a malloc'd string (to be parsed and checked like
 * any URL), or NULL with a message. */
char *wb_net_redirect_target(const wb_url *base, const char *loc, size_t loclen, char *err,
                             size_t errlen);

/* Fills err and returns -1. */
int wb_net_fail(wb_net_error *err, wb_net_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
