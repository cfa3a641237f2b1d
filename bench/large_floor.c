/* bench/large_floor.c FILE [hash|cow|map]: the least a cached start of
 * FILE can cost (bench/README.md "Large modules"). Nothing but the module's
 * bytes: no decoding, no instance. Not built by make:
 *     cc -O2 -o /tmp/large_floor bench/large_floor.c -lcrypto
 *     perf stat -r 10 -e task-clock /tmp/large_floor build/bench/large.wasm hash
 *
 *   (none) read it whole as the CLI does (tools/cli_file.c): a buffer
 *          aligned to 2 MiB, in huge pages, made resident in one call, the
 *          file read into it in pieces of 256 KiB;
 *   hash   the same, each piece's SHA-256 taken right after its read, as
 *          the CLI does for the translation cache (tools/module_digest.c);
 *   cow    a MAP_PRIVATE mapping of the file, each 256 KiB piece made
 *          private copies by MADV_POPULATE_WRITE (a copy-on-write break
 *          copies without zeroing) and then hashed: tried for the CLI and
 *          dropped (the copies are 4 KiB pages, and a truncation of the file
 *          takes them back: bench/README.md "Large modules", "Under a fifth");
 *   map    a read-only mapping of the page cache, hashed: no copy and no
 *          new page at all, the floor of any cache that reads the file, but
 *          unusable (the file may change under it). */
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

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#define PIECE ((size_t)256 << 10)
#define HUGE ((size_t)2 << 20)

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: large_floor FILE [hash|cow|map]\n");
        return 2;
    }
    const char *mode = argc > 2 ? argv[2] : "read";
    bool hash = strcmp(mode, "read") != 0;
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0)
        return 1;
    size_t n = (size_t)st.st_size;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
        return 1;
    uint8_t *buf;
    if (!strcmp(mode, "read") || !strcmp(mode, "hash")) {
        void *p = NULL;
        if (posix_memalign(&p, HUGE, n ? n : 1) != 0)
            return 1;
        buf = p;
        if (n >= HUGE)
            madvise(buf, n & ~(HUGE - 1), MADV_HUGEPAGE);
        if (n >= 4096)
            madvise(buf, n & ~(size_t)4095, MADV_POPULATE_WRITE);
        for (size_t got = 0; got < n;) {
            size_t want = n - got < PIECE ? n - got : PIECE;
            ssize_t k = read(fd, buf + got, want);
            if (k <= 0)
                return 1;
            if (hash && !EVP_DigestUpdate(ctx, buf + got, (size_t)k))
                return 1;
            got += (size_t)k;
        }
    } else {
        bool cow = !strcmp(mode, "cow");
        buf = mmap(NULL, n ? n : 1, cow ? PROT_READ | PROT_WRITE : PROT_READ, MAP_PRIVATE, fd, 0);
        if (buf == MAP_FAILED)
            return 1;
        for (size_t got = 0; got < n;) {
            size_t want = n - got < PIECE ? n - got : PIECE;
            size_t to = (got + want + 4095) & ~(size_t)4095;
            if (madvise(buf + got, to - got, cow ? MADV_POPULATE_WRITE : MADV_POPULATE_READ) != 0) {
                perror("madvise"); /* EFAULT: the file shrank */
                return 1;
            }
            if (!EVP_DigestUpdate(ctx, buf + got, want))
                return 1;
            got += want;
        }
    }
    unsigned char md[32];
    unsigned int mdlen = 0;
    if (!EVP_DigestFinal_ex(ctx, md, &mdlen))
        return 1;
    EVP_MD_CTX_free(ctx);
    printf("%02x%02x%02x%02x...\n", md[0], md[1], md[2], md[3]);
    return 0;
}
