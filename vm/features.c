/* Names the WebAssembly feature a module uses that this engine does not have
 * yet, so that a decoding error says "threads (atomic) instruction 0xfe 16
 * ... is not supported yet" rather than only "illegal opcode". The spec's own text
 * stays first (the spec tests match error messages by prefix); the feature
 * follows it. */
#include "features.h"

#include <stdio.h>

/* One-byte opcodes of proposals beyond WebAssembly 2.0. */
static const struct {
    uint8_t op;
    const char *name, *feature;
} single[] = {
    {0xd3, "ref.eq", "GC"},
};

/* Prefixes of whole families of instructions. */
static const struct {
    uint8_t prefix;
    const char *feature;
} prefixed[] = {
    {0xfb, "GC (struct, array, i31) instruction"},
    {0xfe, "threads (atomic) instruction"},
};

bool wb_feature_opcode_text(const uint8_t *p, const uint8_t *end, char *buf, size_t len)
{
    if (p >= end)
        return false;
    for (size_t i = 0; i < sizeof single / sizeof single[0]; i++) {
        if (single[i].op == *p) {
            snprintf(buf, len, "illegal opcode 0x%02x: %s (%s) is not supported yet", *p,
                     single[i].name, single[i].feature);
            return true;
        }
    }
    for (size_t i = 0; i < sizeof prefixed / sizeof prefixed[0]; i++) {
        if (prefixed[i].prefix != *p)
            continue;
        /* the sub-opcode, a LEB128 u32: read at most 5 bytes, for the text only */
        uint32_t sub = 0;
        unsigned shift = 0;
        const uint8_t *q = p + 1;
        bool have = false;
        while (q < end && shift < 35) {
            sub |= (uint32_t)(*q & 0x7f) << shift;
            shift += 7;
            if (!(*q++ & 0x80)) {
                have = true;
                break;
            }
        }
        if (have)
            snprintf(buf, len, "illegal opcode: %s 0x%02x %u is not supported yet",
                     prefixed[i].feature, *p, sub);
        else
            snprintf(buf, len, "illegal opcode: %s 0x%02x is not supported yet",
                     prefixed[i].feature, *p);
        return true;
    }
    /* a byte no instruction or prefix uses: the spec's text names it */
    if (*p != 0xFC && *p != 0xFD) {
        snprintf(buf, len, "illegal opcode %02x", *p);
        return true;
    }
    return false;
}
