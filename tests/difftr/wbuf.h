/* A growable byte buffer with the encodings of the wasm binary format
 * (LEB128 integers, little-endian floats, length-prefixed sections). */
#ifndef DIFFTR_WBUF_H
#define DIFFTR_WBUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct wbuf {
    uint8_t *p;
    size_t n, cap;
} wbuf;

void bf_put(wbuf *b, uint8_t byte);
void bf_bytes(wbuf *b, const void *src, size_t len);
void bf_uleb(wbuf *b, uint64_t v);
void bf_sleb(wbuf *b, int64_t v);
void bf_le(wbuf *b, uint64_t v, unsigned nbytes); /* float constants: raw bits */
void bf_name(wbuf *b, const char *s);             /* length-prefixed */
/* Appends section `id` holding the bytes of `body`, then empties body. */
void bf_section(wbuf *b, uint8_t id, wbuf *body);
void bf_free(wbuf *b);

#endif
