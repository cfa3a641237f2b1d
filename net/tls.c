/* tls: OpenSSL for https hops (loaded by the first one: openssl_lib.h).
 *
 * Policy: TLS 1.2 or newer; the peer's chain must verify against the system
 * store plus the policy's ca_file; the certificate must name the host of the
 * URL (a DNS name, or for an IP-literal URL that IP), no partial wildcards;
 * SNI carries the name (never an IP, which SNI does not allow). Renegotiation
 * is refused.
 *
 * OpenSSL talks to the socket through a tiny BIO of our own that uses
 * send(MSG_NOSIGNAL): the stock socket BIO uses write(), and a server hanging
 * up mid-write would raise SIGPIPE and kill the whole sandbox process. */
#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "net_internal.h"
#include "openssl_lib.h"

/* ---- a socket BIO that cannot raise SIGPIPE ---- */

static BIO_METHOD *nosig_method;
static pthread_once_t nosig_once = PTHREAD_ONCE_INIT;

static int bio_fd(BIO *b) { return (int)(intptr_t)BIO_get_data(b); }

static int nosig_write(BIO *b, const char *buf, int len)
{
    BIO_clear_retry_flags(b);
    ssize_t w = send(bio_fd(b), buf, (size_t)len, MSG_NOSIGNAL);
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        BIO_set_retry_write(b);
    return (int)w;
}

static int nosig_read(BIO *b, char *buf, int len)
{
    BIO_clear_retry_flags(b);
    ssize_t r = recv(bio_fd(b), buf, (size_t)len, 0);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        BIO_set_retry_read(b);
    return (int)r;
}

static long nosig_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    (void)b, (void)num, (void)ptr;
    return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static int nosig_create(BIO *b)
{
    BIO_set_init(b, 1);
    return 1;
}

static void make_method(void)
{
    BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "wasmbox-socket");
    if (!m)
        return;
    BIO_meth_set_write(m, nosig_write);
    BIO_meth_set_read(m, nosig_read);
    BIO_meth_set_ctrl(m, nosig_ctrl);
    BIO_meth_set_create(m, nosig_create);
    nosig_method = m;
}

/* ---- errors ---- */

static const char *ssl_reason(char *buf, size_t n)
{
    unsigned long e = ERR_get_error();
    if (!e) {
        snprintf(buf, n, "%s", errno ? strerror(errno) : "connection closed");
        return buf;
    }
    ERR_error_string_n(e, buf, n);
    ERR_clear_error();
    return buf;
}

/* ---- handshake ---- */

static SSL_CTX *new_ctx(const char *ca_file, wb_net_error *err)
{
    char why[256];
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) {
        wb_net_fail(err, WB_NET_E_TLS, "TLS setup failed: %s", ssl_reason(why, sizeof why));
        return NULL;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    if (SSL_CTX_set_default_verify_paths(ctx) != 1)
        ERR_clear_error(); /* no system store is not fatal when ca_file is given */
    if (ca_file && SSL_CTX_load_verify_locations(ctx, ca_file, NULL) != 1) {
        wb_net_fail(err, WB_NET_E_TLS, "cannot load ca_file \"%s\": %s", ca_file,
                    ssl_reason(why, sizeof why));
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

/* Loading the system store takes milliseconds, and a guest may make many
 * requests: the last context is kept (keyed by ca_file) and shared, which
 * OpenSSL allows once a context is set up. Nothing per-connection (host
 * name, IP, SNI) lives in it. */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static SSL_CTX *cached_ctx;
static char *cached_ca; /* NULL: no ca_file */

static int setup_ctx(wb_net_conn *c, const char *ca_file, wb_net_error *err)
{
    pthread_mutex_lock(&cache_lock);
    bool hit = cached_ctx && ((!ca_file && !cached_ca) ||
                              (ca_file && cached_ca && strcmp(ca_file, cached_ca) == 0));
    if (!hit) {
        SSL_CTX *ctx = new_ctx(ca_file, err);
        char *key = ca_file ? strdup(ca_file) : NULL;
        if (!ctx || (ca_file && !key)) {
            pthread_mutex_unlock(&cache_lock);
            SSL_CTX_free(ctx);
            free(key);
            return ctx ? wb_net_fail(err, WB_NET_E_IO, "out of memory") : -1;
        }
        SSL_CTX_free(cached_ctx);
        free(cached_ca);
        cached_ctx = ctx;
        cached_ca = key;
    }
    SSL_CTX_up_ref(cached_ctx);
    c->ctx = cached_ctx;
    pthread_mutex_unlock(&cache_lock);
    return 0;
}

int wb_net_tls_start(wb_net_conn *c, const wb_url *u, const char *ca_file, wb_net_error *err)
{
    char why[512];
    /* The first https hop loads OpenSSL (openssl_lib.h); without it the
     * request fails here, naming the library and its package. */
    if (wb_openssl_load_ssl(why, sizeof why) != 0)
        return wb_net_fail(err, WB_NET_E_TLS, "%s", why);
    ERR_clear_error();
    pthread_once(&nosig_once, make_method);
    if (!nosig_method)
        return wb_net_fail(err, WB_NET_E_TLS, "TLS setup failed: no BIO method");
    if (setup_ctx(c, ca_file, err) != 0)
        return -1;
    c->ssl = SSL_new(c->ctx);
    BIO *bio = c->ssl ? BIO_new(nosig_method) : NULL;
    if (!bio)
        return wb_net_fail(err, WB_NET_E_TLS, "TLS setup failed: %s", ssl_reason(why, sizeof why));
    BIO_set_data(bio, (void *)(intptr_t)c->fd);
    SSL_set_bio(c->ssl, bio, bio);

    X509_VERIFY_PARAM *vp = SSL_get0_param(c->ssl);
    X509_VERIFY_PARAM_set_hostflags(vp, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    int ok;
    if (u->host.kind == WB_HOST_NAME) {
        ok = SSL_set_tlsext_host_name(c->ssl, u->host.text) == 1 &&
             SSL_set1_host(c->ssl, u->host.text) == 1;
    } else {
        ok = X509_VERIFY_PARAM_set1_ip(vp, u->host.addr, u->host.kind == WB_HOST_IPV4 ? 4 : 16) ==
             1;
    }
    if (!ok)
        return wb_net_fail(err, WB_NET_E_TLS, "TLS setup for %s failed: %s", u->host.text,
                           ssl_reason(why, sizeof why));

    for (;;) {
        ERR_clear_error();
        errno = 0;
        int rc = SSL_connect(c->ssl);
        if (rc == 1)
            break;
        int e = SSL_get_error(c->ssl, rc);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
            if (wb_net_wait(c, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, "TLS handshake with",
                            err) != 0)
                return -1;
            continue;
        }
        c->tls_failed = true;
        long v = SSL_get_verify_result(c->ssl);
        if (v != X509_V_OK)
            return wb_net_fail(err, WB_NET_E_TLS, "TLS certificate of %s not accepted: %s",
                               c->peer, X509_verify_cert_error_string(v));
        return wb_net_fail(err, WB_NET_E_TLS, "TLS handshake with %s failed: %s", c->peer,
                           ssl_reason(why, sizeof why));
    }
    /* SSL_VERIFY_PEER already made the handshake fail on a bad chain or name;
     * checking again costs nothing and guards against a changed default. */
    if (SSL_get_verify_result(c->ssl) != X509_V_OK || !SSL_get0_peer_certificate(c->ssl))
        return wb_net_fail(err, WB_NET_E_TLS, "TLS peer %s presented no verified certificate",
                           u->host.text);
    return 0;
}

/* ---- I/O ---- */

int wb_net_tls_write(wb_net_conn *c, const void *buf, size_t n, wb_net_error *err)
{
    const char *p = buf;
    char why[256];
    while (n > 0) {
        size_t done = 0;
        ERR_clear_error();
        errno = 0;
        int rc = SSL_write_ex(c->ssl, p, n, &done);
        if (rc == 1) {
            p += done;
            n -= done;
            continue;
        }
        int e = SSL_get_error(c->ssl, rc);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
            if (wb_net_wait(c, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, "writing to", err) !=
                0)
                return -1;
            continue;
        }
        c->tls_failed = true;
        return wb_net_fail(err, WB_NET_E_IO, "writing to %s over TLS: %s", c->peer,
                           ssl_reason(why, sizeof why));
    }
    return 0;
}

ssize_t wb_net_tls_read(wb_net_conn *c, void *buf, size_t n, wb_net_error *err)
{
    char why[256];
    for (;;) {
        size_t got = 0;
        ERR_clear_error();
        errno = 0;
        int rc = SSL_read_ex(c->ssl, buf, n, &got);
        if (rc == 1)
            return (ssize_t)got;
        int e = SSL_get_error(c->ssl, rc);
        if (e == SSL_ERROR_ZERO_RETURN) {
            c->tls_eof_clean = true;
            return 0;
        }
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
            if (wb_net_wait(c, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, "reading from",
                            err) != 0)
                return -1;
            continue;
        }
        unsigned long first = ERR_peek_error();
        if ((e == SSL_ERROR_SSL && ERR_GET_REASON(first) == SSL_R_UNEXPECTED_EOF_WHILE_READING) ||
            (e == SSL_ERROR_SYSCALL && first == 0 && errno == 0)) {
            /* The peer closed TCP without close_notify. Only a body framed by
             * connection close can be cut this way unnoticed; the client
             * refuses that case (tls_eof_clean stays false). */
            ERR_clear_error();
            c->tls_failed = true;
            return 0;
        }
        c->tls_failed = true;
        return wb_net_fail(err, WB_NET_E_IO, "reading from %s over TLS: %s", c->peer,
                           ssl_reason(why, sizeof why));
    }
}

void wb_net_tls_close(wb_net_conn *c)
{
    if (c->ssl) {
        /* Best effort close_notify; the socket is non-blocking, so this never
         * waits on a silent peer. */
        if (SSL_is_init_finished(c->ssl) && !c->tls_failed)
            SSL_shutdown(c->ssl);
        SSL_free(c->ssl); /* frees the BIO, not the fd */
    }
    if (c->ctx)
        SSL_CTX_free(c->ctx);
    ERR_clear_error();
    c->ssl = NULL;
    c->ctx = NULL;
}
