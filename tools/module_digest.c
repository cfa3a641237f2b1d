/* The module's SHA-256 taken piece by piece as its file is read
 * (module_digest.h says why). */
#include "module_digest.h"

#include <openssl/evp.h>

void cli_module_digest_begin(cli_module_digest *d)
{
    d->done = 0;
    d->ctx = EVP_MD_CTX_new();
    d->ok = d->ctx && EVP_DigestInit_ex(d->ctx, EVP_sha256(), NULL);
}

void cli_module_digest_read(void *digest, const uint8_t *buf, size_t upto)
{
    cli_module_digest *d = digest;
    if (d->ok && upto > d->done) {
        d->ok = EVP_DigestUpdate(d->ctx, buf + d->done, upto - d->done);
        d->done = upto;
    }
}

bool cli_module_digest_end(cli_module_digest *d, const uint8_t *buf, size_t len, uint8_t out[32])
{
    unsigned int n = 0;
    if (len < d->done) /* not the bytes it was given */
        d->ok = false;
    cli_module_digest_read(d, buf, len);
    bool ok = d->ok && EVP_DigestFinal_ex(d->ctx, out, &n) && n == 32;
    EVP_MD_CTX_free(d->ctx);
    d->ctx = NULL;
    d->ok = false;
    return ok;
}
