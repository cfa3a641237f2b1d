/* bench/large_floor.c FILE [hash]: the least a cached start of FILE can
 * cost (bench/README.md "Large modules"): read it whole into a fresh buffer
 * made resident in one call, as the CLI does (tools/cli_file.c), in pieces
 * of 256 KiB; with "hash", each piece's SHA-256 taken right after its read,
 * as the CLI does for the translation cache (tools/module_digest.c).
 * Nothing else: no decoding, no instance. Not built by make:
 *     cc -O2 -o /tmp/large_floor bench/large_floor.c -lcrypto
 *     perf stat -r 10 -e task-clock /tmp/large_floor build/bench/large.wasm hash */
#define _GNU_SOURCE
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: large_floor FILE [hash]\n");
        return 2;
    }
    bool hash = argc > 2 && !strcmp(argv[2], "hash");
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0)
        return 1;
    size_t n = (size_t)st.st_size, got = 0;
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf)
        return 1;
    uintptr_t page = (uintptr_t)buf & ~(uintptr_t)4095;
    madvise((void *)page, (uintptr_t)buf + n - page, MADV_POPULATE_WRITE);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
        return 1;
    while (got < n) {
        size_t want = n - got < ((size_t)256 << 10) ? n - got : (size_t)256 << 10;
        ssize_t k = read(fd, buf + got, want);
        if (k <= 0)
            return 1;
        if (hash && !EVP_DigestUpdate(ctx, buf + got, (size_t)k))
            return 1;
        got += (size_t)k;
    }
    unsigned char md[32];
    unsigned int mdlen = 0;
    if (!EVP_DigestFinal_ex(ctx, md, &mdlen))
        return 1;
    EVP_MD_CTX_free(ctx);
    printf("%02x%02x%02x%02x...\n", md[0], md[1], md[2], md[3]);
    free(buf);
    return 0;
}
