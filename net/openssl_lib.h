/* openssl_lib: OpenSSL loaded on first use, not at process start.
 *
 * Mapping and relocating libssl and libcrypto cost the dynamic loader
 * ~3 M host instructions and ~3 MB of resident memory: more than a whole
 * run of a small module, which never makes a request. So wasmbox is not
 * linked with them: openssl_lib.c defines every OpenSSL function wasmbox
 * calls, under its own name and with the prototype of OpenSSL's headers,
 * and each definition forwards to the library's, which the first call
 * dlopens (libcrypto.so.3, or libssl.so.3 for the SSL_ and TLS_
 * functions) and resolves completely, once per process.
 *
 * Callers that can report an error call wb_openssl_load_* first, so a
 * missing library ends the request with a message naming it and its
 * Debian package. A forwarding function called when its library cannot be
 * loaded returns the function's failure value (NULL, 0, -1) or does
 * nothing, never jumps to a null pointer.
 *
 * Programs linked with -lssl -lcrypto (the test servers) may link this
 * too: the definitions here win and forward to the same library. */
#ifndef WB_OPENSSL_LIB_H
#define WB_OPENSSL_LIB_H

#include <stddef.h>

/* 0 when libcrypto.so.3 (or libssl.so.3 with libcrypto) is loaded and every
 * function wasmbox uses was found; else -1 with why in msg (never NULL when
 * n > 0). Thread-safe; the first call does the work, later ones return its
 * outcome. */
int wb_openssl_load_crypto(char *msg, size_t n);
int wb_openssl_load_ssl(char *msg, size_t n);

#endif
