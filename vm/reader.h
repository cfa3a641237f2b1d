/* A cursor over untrusted bytes, with the binary format's LEB128 rules.
 *
 * Every read checks the remaining length first; nothing here can read past
 * `end`. On failure a read returns false and leaves a reason in r->error (a
 * static string, the spec's wording where the spec tests name one); the cursor
 * is then unspecified and the caller stops.
 *
 * LEB128 rules (spec 5.2.2): an N-bit value takes at most ceil(N/7) bytes
 * ("integer representation too long"); in the last allowed byte, the bits
 * beyond N must be 0 for unsigned, and a sign extension of bit N-1 for signed
 * ("integer too large").
 */
#ifndef WASMBOX_VM_READER_H
#define WASMBOX_VM_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct wb_reader {
    const uint8_t *base; /* start of the whole module: offsets are relative to it */
    const uint8_t *p;
    const uint8_t *end;
    const char *error;
    bool wasm_2_0;       /* a body of a module read as 2.0: memarg offsets are u32 (instr.c) */
} wb_reader;

static inline size_t wb_reader_offset(const wb_reader *r) { return (size_t)(r->p - r->base); }
static inline size_t wb_reader_left(const wb_reader *r) { return (size_t)(r->end - r->p); }
static inline bool wb_reader_done(const wb_reader *r) { return r->p >= r->end; }

static inline bool wb_reader_fail(wb_reader *r, const char *why)
{
    if (!r->error)
        r->error = why;
    return false;
}

static inline bool wb_read_u8(wb_reader *r, uint8_t *out)
{
    if (r->p >= r->end)
        return wb_reader_fail(r, "unexpected end");
    *out = *r->p++;
    return true;
}

static inline bool wb_read_bytes(wb_reader *r, size_t n, const uint8_t **out)
{
    if (wb_reader_left(r) < n)
        return wb_reader_fail(r, "unexpected end");
    *out = r->p;
    r->p += n;
    return true;
}

/* Unsigned LEB128 of at most `bits` bits (1..64). */
static inline bool wb_read_uleb(wb_reader *r, unsigned bits, uint64_t *out)
{
    /* most numbers in a module are one byte: the loop's result for them */
    if (bits >= 7 && r->p < r->end && !(*r->p & 0x80)) {
        *out = *r->p++;
        return true;
    }
    uint64_t result = 0;
    unsigned shift = 0;
    unsigned max_bytes = (bits + 6) / 7;
    for (unsigned i = 0;; i++) {
        uint8_t byte;
        if (r->p >= r->end)
            return wb_reader_fail(r, "unexpected end");
        byte = *r->p++;
        if (i == max_bytes - 1) {
            if (byte & 0x80)
                return wb_reader_fail(r, "integer representation too long");
            unsigned used = bits - shift; /* payload bits this byte may carry */
            if (used < 7 && (byte >> used) != 0)
                return wb_reader_fail(r, "integer too large");
            result |= (uint64_t)byte << shift;
            break;
        }
        result |= (uint64_t)(byte & 0x7F) << shift;
        shift += 7;
        if (!(byte & 0x80))
            break;
    }
    *out = result;
    return true;
}

/* Signed LEB128 of at most `bits` bits (1..64). */
static inline bool wb_read_sleb(wb_reader *r, unsigned bits, int64_t *out)
{
    /* one byte (the common case): seven bits, bit 6 the sign */
    if (bits >= 7 && r->p < r->end && !(*r->p & 0x80)) {
        uint8_t b = *r->p++;
        *out = (int64_t)(b & 0x40 ? (uint64_t)b | ~(uint64_t)0x7F : (uint64_t)b);
        return true;
    }
    uint64_t result = 0;
    unsigned shift = 0;
    unsigned max_bytes = (bits + 6) / 7;
    uint8_t byte;
    for (unsigned i = 0;; i++) {
        if (r->p >= r->end)
            return wb_reader_fail(r, "unexpected end");
        byte = *r->p++;
        if (i == max_bytes - 1) {
            if (byte & 0x80)
                return wb_reader_fail(r, "integer representation too long");
            unsigned used = bits - shift; /* payload bits incl. the sign bit */
            if (used < 7) {
                /* bits used-1 .. 6 must all equal the sign bit */
                uint8_t rest = (uint8_t)((byte & 0x7F) >> (used - 1));
                uint8_t all = (uint8_t)(0x7F >> (used - 1));
                if (rest != 0 && rest != all)
                    return wb_reader_fail(r, "integer too large");
            }
            result |= (uint64_t)(byte & 0x7F) << shift;
            shift += 7;
            break;
        }
        result |= (uint64_t)(byte & 0x7F) << shift;
        shift += 7;
        if (!(byte & 0x80))
            break;
    }
    if (shift < 64 && (byte & 0x40))
        result |= ~(uint64_t)0 << shift;
    *out = (int64_t)result;
    return true;
}

static inline bool wb_read_u32(wb_reader *r, uint32_t *out)
{
    uint64_t v;
    if (!wb_read_uleb(r, 32, &v))
        return false;
    *out = (uint32_t)v;
    return true;
}

static inline bool wb_read_s32(wb_reader *r, int32_t *out)
{
    int64_t v;
    if (!wb_read_sleb(r, 32, &v))
        return false;
    *out = (int32_t)v;
    return true;
}

static inline bool wb_read_s64(wb_reader *r, int64_t *out) { return wb_read_sleb(r, 64, out); }

static inline bool wb_read_f32_bits(wb_reader *r, uint32_t *out)
{
    const uint8_t *b;
    if (!wb_read_bytes(r, 4, &b))
        return false;
    *out = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return true;
}

static inline bool wb_read_f64_bits(wb_reader *r, uint64_t *out)
{
    const uint8_t *b;
    if (!wb_read_bytes(r, 8, &b))
        return false;
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b[i];
    *out = v;
    return true;
}

#endif
