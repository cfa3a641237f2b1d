/* Byte buffer and wasm binary encodings (see wbuf.h). Allocation failure
 * ends the program: this is a test tool, and a half-built module must never
 * be mistaken for a generated one. */
#include "wbuf.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reserve(wbuf *b, size_t more)
{
    if (b->n + more <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + more)
        cap *= 2;
    uint8_t *p = realloc(b->p, cap);
    if (!p) {
        fprintf(stderr, "difftr: out of memory\n");
        exit(2);
    }
    b->p = p;
    b->cap = cap;
}

void bf_put(wbuf *b, uint8_t byte)
{
    reserve(b, 1);
    b->p[b->n++] = byte;
}

void bf_bytes(wbuf *b, const void *src, size_t len)
{
    if (!len)
        return;
    reserve(b, len);
    memcpy(b->p + b->n, src, len);
    b->n += len;
}

void bf_uleb(wbuf *b, uint64_t v)
{
    do {
        uint8_t byte = v & 0x7F;
        v >>= 7;
        bf_put(b, byte | (v ? 0x80 : 0));
    } while (v);
}

void bf_sleb(wbuf *b, int64_t v)
{
    for (;;) {
        uint8_t byte = v & 0x7F;
        v >>= 7; /* arithmetic shift (GCC) */
        bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
        bf_put(b, byte | (done ? 0 : 0x80));
        if (done)
            return;
    }
}

void bf_le(wbuf *b, uint64_t v, unsigned nbytes)
{
    for (unsigned i = 0; i < nbytes; i++)
        bf_put(b, (uint8_t)(v >> (8 * i)));
}

void bf_name(wbuf *b, const char *s)
{
    size_t len = strlen(s);
    bf_uleb(b, len);
    bf_bytes(b, s, len);
}

void bf_section(wbuf *b, uint8_t id, wbuf *body)
{
    bf_put(b, id);
    bf_uleb(b, body->n);
    bf_bytes(b, body->p, body->n);
    body->n = 0;
}

void bf_free(wbuf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}
