/* The module's SHA-256, taken as its file is read (cli_read_file_hooked
 * tells after each piece): the translation cache names and authenticates
 * its files by it (code_cache.c), the audit log's run.start records it.
 * Hashing each piece right after it is read, while it is still in the
 * CPU's cache, spares the hash a second pass over the whole buffer in
 * memory (56 MB for the large module: bench/README.md "Large modules"),
 * and one hash serves both users. */
#ifndef WASMBOX_TOOLS_MODULE_DIGEST_H
#define WASMBOX_TOOLS_MODULE_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cli_module_digest {
    void *ctx;   /* EVP_MD_CTX */
    size_t done; /* bytes taken */
    bool ok;     /* false once libcrypto failed */
} cli_module_digest;

void cli_module_digest_begin(cli_module_digest *d);
/* A cli_read_hook's `read`: takes what is new in buf[0, upto). */
void cli_module_digest_read(void *digest, const uint8_t *buf, size_t upto);
/* Takes the rest of buf[0, len) and writes the SHA-256; false if it could
 * not be made. Frees what begin made (always call it after begin). */
bool cli_module_digest_end(cli_module_digest *d, const uint8_t *buf, size_t len, uint8_t out[32]);

#endif
