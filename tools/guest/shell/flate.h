/* flate.h: gzip, zlib and raw deflate streams (RFC 1950-1952), for curl
 * --compressed and tar -z. No library: wasi-libc has no zlib.
 *
 * sh_inflate reads every kind of deflate block (stored, fixed and dynamic
 * Huffman). sh_gzw writes gzip with fixed-Huffman blocks after a simple
 * LZ77 match search: about what gzip -1 makes on text, larger on data
 * that compresses badly (each block is never more than stored + a little).
 *
 * Memory is bounded: the inflater keeps a 96 KiB output window and a 64 KiB
 * input buffer; the writer a 64 KiB input block and its hash table. */
#ifndef SH_FLATE_H
#define SH_FLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "shell.h"

/* Input is pulled (read: 0 at the end, -1 on an error), output pushed
 * (write: false stops the work). */
typedef struct {
    ssize_t (*read)(void *ctx, void *buf, size_t n);
    void *rctx;
    bool (*write)(void *ctx, const void *p, size_t n);
    void *wctx;
} sh_flate_io;

enum { SH_FLATE_GZIP, SH_FLATE_ZLIB, SH_FLATE_RAW };
enum {
    SH_FLATE_OK = 0,
    SH_FLATE_BAD_DATA,     /* why says what and where (the input offset) */
    SH_FLATE_READ_ERROR,   /* read returned -1 */
    SH_FLATE_WRITE_STOPPED /* write returned false */
};

/* Inflates the whole input: for gzip every member (concatenated members are
 * one stream, as gzip -d has it; trailing zero bytes are ignored), with its
 * CRC-32 and length checked; for zlib the Adler-32. */
int sh_inflate(int format, sh_flate_io *io, sh_buf *why);

/* True when the first bytes look like gzip (1f 8b). */
bool sh_is_gzip(const void *p, size_t n);

/* The gzip writer: bytes in, compressed bytes out through write. */
typedef struct sh_gzw sh_gzw;
sh_gzw *sh_gzw_new(bool (*write)(void *ctx, const void *p, size_t n), void *ctx);
/* false when write stopped. */
bool sh_gzw_write(sh_gzw *w, const void *p, size_t n);
/* Writes the last block and the trailer, and frees w; false when write
 * stopped (w is freed all the same). */
bool sh_gzw_finish(sh_gzw *w);
/* Frees w without finishing (after an error). */
void sh_gzw_free(sh_gzw *w);

/* CRC-32 (gzip's): the tables made once per stream (no static state), and
 * crc continued over p (0 to start), four bytes a step ("slicing by 4"). */
typedef struct {
    uint32_t t[4][256];
} sh_crc32_tables;
void sh_crc32_init(sh_crc32_tables *tab);
uint32_t sh_crc32(const sh_crc32_tables *tab, uint32_t crc, const void *p, size_t n);

#endif
