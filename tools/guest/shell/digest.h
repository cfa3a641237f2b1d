/* digest.h: the hash functions of md5sum, sha*sum, b2sum and cksum -a
 * (digest_*.c), and the driver those utilities share (digest_cmd.c).
 * Written here because a guest may use only wasi-libc. Each algorithm is a
 * const table entry; a context holds all of one computation's state, so a
 * utility keeps none between calls. */
#ifndef SH_DIGEST_H
#define SH_DIGEST_H

#include "shell.h"

typedef struct {
    uint64_t bytes;      /* message length so far */
    uint8_t block[128];  /* the partial block */
    size_t fill;
    union {
        uint32_t w[8];
        uint64_t q[8];
    } h;
    size_t outlen;       /* BLAKE2b's output length in bytes */
} sh_digest_ctx;

typedef struct {
    const char *name;    /* as cksum -a names it: "md5", "sha256", "blake2b" */
    const char *tag;     /* as --tag writes it: "MD5", "SHA256", "BLAKE2b" */
    size_t outlen;       /* default digest length in bytes */
    void (*init)(sh_digest_ctx *c, size_t outlen);
    void (*update)(sh_digest_ctx *c, const void *p, size_t n);
    void (*final)(sh_digest_ctx *c, uint8_t *out);
} sh_digest_algo;

extern const sh_digest_algo sh_md5, sh_sha1, sh_sha224, sh_sha256, sh_sha384, sh_sha512, sh_blake2b, sh_sm3;

/* Feeds p[0..n) through compress() one block of size bs at a time, keeping
 * the rest in c->block (the Merkle-Damgard hashes share it). */
void sh_digest_blocks(sh_digest_ctx *c, const void *p, size_t n, size_t bs,
                      void (*compress)(sh_digest_ctx *c, const uint8_t *blk));
/* The final padding of MD5 and SHA: 0x80, zeros, the length in bits in
 * lenbytes bytes, big-endian (SHA) or little-endian (MD5). */
void sh_digest_pad(sh_digest_ctx *c, size_t bs, size_t lenbytes, bool big_endian,
                   void (*compress)(sh_digest_ctx *c, const uint8_t *blk));

/* ---- the driver of md5sum, sha1sum, ..., b2sum and cksum -a (digest_cmd.c) */
typedef struct {
    const sh_digest_algo *algo;
    size_t outlen;          /* bytes (b2sum -l) */
    bool outlen_fixed;      /* -l named a length: -c expects it */
    bool tag, binary, zero, check, quiet, status, strict, warn, ignore_missing;
    bool any_tag;           /* cksum -c without -a: tagged lines of any algorithm */
} sh_digest_opts;
/* md5sum and its kin: options parsed, files hashed or checked; the status. */
int sh_digest_main(shctx *sh, int argc, char **argv, const sh_digest_algo *algo);
/* Hashes or checks the operands argv[0..n) with o (cksum -a calls it). */
int sh_digest_run(shctx *sh, char **files, int n, const sh_digest_opts *o);
/* b2sum -l / cksum -l BITS into bytes (0: the default); false after GNU's message. */
bool sh_digest_length(shctx *sh, const char *arg, const sh_digest_algo *a, size_t *outlen);
/* GNU's checks of option combinations (--tag with -c ...); false after the message. */
bool sh_digest_check_opts(shctx *sh, const sh_digest_opts *o, bool text_or_binary, bool text);
/* A stream's digest into out (o->outlen bytes); false and errno on error. */
bool sh_digest_stream(shctx *sh, sh_stream *in, const sh_digest_algo *a, size_t outlen, uint8_t *out);

/* ---- cksum's CRC and sum's checksums (digest_sum.c) ---------------------- */
enum { SH_SUM_CRC, SH_SUM_BSD, SH_SUM_SYSV };
/* The checksum of a stream and its size; false and errno on error. */
bool sh_sum_stream(shctx *sh, sh_stream *in, int kind, uint32_t *sum, uint64_t *size);
bool sh_sum_print(shctx *sh, int kind, uint32_t sum, uint64_t size, const char *name);
/* sum and cksum without -a: each operand ("-" stdin; none: stdin, unnamed)
 * summed and printed; the status. */
int sh_sum_files(shctx *sh, char **files, int n, int kind);

#endif
