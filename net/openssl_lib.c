/* openssl_lib: the OpenSSL functions wasmbox uses, forwarded to libcrypto
 * and libssl loaded on first use (openssl_lib.h says why).
 *
 * Each function is listed once below with its return type, parameters,
 * argument names and the value it returns when the library cannot be
 * loaded; the list makes the pointer table, the resolver and the forwarding
 * definitions. Names are written in parentheses where defined and called,
 * so a function-like macro of the same name in OpenSSL's headers is never
 * expanded there. The prototypes come from OpenSSL's headers: a list entry
 * that disagrees with them does not compile. A function added to wasmbox's
 * code and missing here shows up as an undefined symbol when linking. */
#include <dlfcn.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "lazy_lib.h"
#include "openssl_lib.h"

/* X(return type, name, (parameters), (arguments), value when not loaded);
 * V(name, (parameters), (arguments)) for functions returning nothing. */
#define WB_CRYPTO_FUNCS(X, V)                                                                    \
    X(int, BIO_get_new_index, (void), (), -1)                                                    \
    X(BIO_METHOD *, BIO_meth_new, (int type, const char *name), (type, name), NULL)              \
    X(int, BIO_meth_set_write, (BIO_METHOD * m, int (*f)(BIO *, const char *, int)), (m, f), 0)  \
    X(int, BIO_meth_set_read, (BIO_METHOD * m, int (*f)(BIO *, char *, int)), (m, f), 0)         \
    X(int, BIO_meth_set_ctrl, (BIO_METHOD * m, long (*f)(BIO *, int, long, void *)), (m, f), 0)  \
    X(int, BIO_meth_set_create, (BIO_METHOD * m, int (*f)(BIO *)), (m, f), 0)                    \
    X(BIO *, BIO_new, (const BIO_METHOD *m), (m), NULL)                                          \
    X(void *, BIO_get_data, (BIO * b), (b), NULL)                                                \
    V(BIO_set_data, (BIO * b, void *p), (b, p))                                                  \
    V(BIO_set_init, (BIO * b, int init), (b, init))                                              \
    V(BIO_set_flags, (BIO * b, int flags), (b, flags))                                           \
    V(BIO_clear_flags, (BIO * b, int flags), (b, flags))                                         \
    X(unsigned long, ERR_get_error, (void), (), 0)                                               \
    X(unsigned long, ERR_peek_error, (void), (), 0)                                              \
    V(ERR_error_string_n, (unsigned long e, char *buf, size_t len), (e, buf, len))               \
    V(ERR_clear_error, (void), ())                                                               \
    V(X509_VERIFY_PARAM_set_hostflags, (X509_VERIFY_PARAM * p, unsigned int f), (p, f))          \
    X(int, X509_VERIFY_PARAM_set1_ip, (X509_VERIFY_PARAM * p, const unsigned char *ip, size_t n), \
      (p, ip, n), 0)                                                                             \
    X(const char *, X509_verify_cert_error_string, (long n), (n), "libcrypto not loaded")        \
    X(const EVP_MD *, EVP_sha256, (void), (), NULL)                                              \
    X(int, EVP_Digest,                                                                           \
      (const void *data, size_t count, unsigned char *md, unsigned int *size, const EVP_MD *type, \
       ENGINE *impl),                                                                            \
      (data, count, md, size, type, impl), 0)                                                    \
    X(EVP_MD_CTX *, EVP_MD_CTX_new, (void), (), NULL)                                            \
    V(EVP_MD_CTX_free, (EVP_MD_CTX * c), (c))                                                    \
    X(int, EVP_DigestInit_ex, (EVP_MD_CTX * c, const EVP_MD *type, ENGINE *impl), (c, type, impl), 0) \
    X(int, EVP_DigestUpdate, (EVP_MD_CTX * c, const void *d, size_t n), (c, d, n), 0)            \
    X(int, EVP_DigestFinal_ex, (EVP_MD_CTX * c, unsigned char *md, unsigned int *size), (c, md, size), 0) \
    X(int, EVP_EncodeBlock, (unsigned char *t, const unsigned char *f, int n), (t, f, n), 0)     \
    X(int, RAND_bytes, (unsigned char *buf, int num), (buf, num), 0)                             \
    X(int, CRYPTO_memcmp, (const void *a, const void *b, size_t len), (a, b, len), 1)          \
    X(unsigned char *, HMAC,                                                                     \
      (const EVP_MD *md, const void *key, int key_len, const unsigned char *d, size_t n,         \
       unsigned char *out, unsigned int *out_len),                                               \
      (md, key, key_len, d, n, out, out_len), NULL)                                              \
    V(OPENSSL_cleanse, (void *ptr, size_t len), (ptr, len))

#define WB_SSL_FUNCS(X, V)                                                                       \
    X(const SSL_METHOD *, TLS_client_method, (void), (), NULL)                                   \
    X(SSL_CTX *, SSL_CTX_new, (const SSL_METHOD *m), (m), NULL)                                  \
    X(int, SSL_CTX_up_ref, (SSL_CTX * c), (c), 0)                                                \
    V(SSL_CTX_free, (SSL_CTX * c), (c))                                                          \
    X(long, SSL_CTX_ctrl, (SSL_CTX * c, int cmd, long larg, void *parg), (c, cmd, larg, parg), 0) \
    X(uint64_t, SSL_CTX_set_options, (SSL_CTX * c, uint64_t op), (c, op), 0)                     \
    V(SSL_CTX_set_verify, (SSL_CTX * c, int mode, SSL_verify_cb cb), (c, mode, cb))              \
    X(int, SSL_CTX_set_default_verify_paths, (SSL_CTX * c), (c), 0)                              \
    X(int, SSL_CTX_load_verify_locations, (SSL_CTX * c, const char *file, const char *path),     \
      (c, file, path), 0)                                                                        \
    X(SSL *, SSL_new, (SSL_CTX * c), (c), NULL)                                                  \
    V(SSL_free, (SSL * s), (s))                                                                  \
    V(SSL_set_bio, (SSL * s, BIO *r, BIO *w), (s, r, w))                                         \
    X(X509_VERIFY_PARAM *, SSL_get0_param, (SSL * s), (s), NULL)                                 \
    X(long, SSL_ctrl, (SSL * s, int cmd, long larg, void *parg), (s, cmd, larg, parg), 0)        \
    X(int, SSL_set1_host, (SSL * s, const char *host), (s, host), 0)                             \
    X(int, SSL_connect, (SSL * s), (s), -1)                                                      \
    X(int, SSL_get_error, (const SSL *s, int ret), (s, ret), SSL_ERROR_SSL)                      \
    X(long, SSL_get_verify_result, (const SSL *s), (s), X509_V_ERR_UNSPECIFIED)                  \
    X(X509 *, SSL_get0_peer_certificate, (const SSL *s), (s), NULL)                              \
    X(int, SSL_write_ex, (SSL * s, const void *buf, size_t n, size_t *w), (s, buf, n, w), 0)     \
    X(int, SSL_read_ex, (SSL * s, void *buf, size_t n, size_t *r), (s, buf, n, r), 0)            \
    X(int, SSL_is_init_finished, (const SSL *s), (s), 0)                                         \
    X(int, SSL_shutdown, (SSL * s), (s), -1)

/* The resolved functions, one table per library. */
static struct {
    WB_CRYPTO_FUNCS(WB_LAZY_PTR, WB_LAZY_VPTR)
} crypto;
static struct {
    WB_SSL_FUNCS(WB_LAZY_PTR, WB_LAZY_VPTR)
} ssl;

static wb_lazy_lib crypto_lib =
    WB_LAZY_LIB_INIT("libcrypto.so.3", "OpenSSL, needed for https and SHA-256", "libssl3");
static wb_lazy_lib ssl_lib =
    WB_LAZY_LIB_INIT("libssl.so.3", "OpenSSL, needed for https and SHA-256", "libssl3");

static void load_crypto(void)
{
    wb_lazy_lib *l = &crypto_lib;
    void *h = wb_lazy_open(l);
    __typeof__(&crypto) tab = &crypto;
    int ok = h != NULL;
    WB_CRYPTO_FUNCS(WB_LAZY_RESOLVE, WB_LAZY_VRESOLVE)
    l->ok = ok;
}

static void load_ssl(void)
{
    wb_lazy_lib *l = &ssl_lib;
    if (wb_openssl_load_crypto(l->why, sizeof l->why) != 0)
        return;
    void *h = wb_lazy_open(l);
    __typeof__(&ssl) tab = &ssl;
    int ok = h != NULL;
    WB_SSL_FUNCS(WB_LAZY_RESOLVE, WB_LAZY_VRESOLVE)
    l->ok = ok;
}

int wb_openssl_load_crypto(char *msg, size_t n)
{
    pthread_once(&crypto_lib.once, load_crypto);
    return wb_lazy_outcome(&crypto_lib, msg, n);
}

int wb_openssl_load_ssl(char *msg, size_t n)
{
    pthread_once(&ssl_lib.once, load_ssl);
    return wb_lazy_outcome(&ssl_lib, msg, n);
}

static int crypto_ready(void) { return wb_openssl_load_crypto(NULL, 0) == 0; }
static int ssl_ready(void) { return wb_openssl_load_ssl(NULL, 0) == 0; }

/* The forwarding definitions. */
#define WB_CRYPTO_FWD(ret, name, params, args, fail) WB_LAZY_FWD(crypto, ret, name, params, args, fail)
#define WB_CRYPTO_VFWD(name, params, args) WB_LAZY_VFWD(crypto, name, params, args)
#define WB_SSL_FWD(ret, name, params, args, fail) WB_LAZY_FWD(ssl, ret, name, params, args, fail)
#define WB_SSL_VFWD(name, params, args) WB_LAZY_VFWD(ssl, name, params, args)
WB_CRYPTO_FUNCS(WB_CRYPTO_FWD, WB_CRYPTO_VFWD)
WB_SSL_FUNCS(WB_SSL_FWD, WB_SSL_VFWD)
