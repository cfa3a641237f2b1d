/* Limits as WebAssembly 3.0 encodes them (the WB_FEATURE_ENCODING_3 side
 * of the feature profile): a flags byte, then the minimum and the optional
 * maximum as u64 LEB128s, whatever the address type. A size of 2^32 or
 * more then decodes, and the validator refuses it for a 32-bit memory or
 * table ("memory size", "table size"), as the 3.0 spec tests want; 2.0's
 * 1-bit LEB128 flag and u32 sizes stay in wb_dec_limits (decode_read.c). */
#include "decode_internal.h"
#include "features.h"

bool wb_dec_limits_wide(wb_decoder *d, wb_range *out)
{
    size_t at = wb_reader_offset(&d->r);
    out->offset = at;
    uint8_t flags = 0;
    if (!wb_dec_u8(d, &flags))
        return false;
    /* flags of proposals not here yet (shared memories): the texts 2.0's
     * reading gives them (features.h) */
    if (flags == 0x02 || flags == 0x03 || flags == 0x06 || flags == 0x07)
        return wb_dec_fail(d, at, WB_FEATURE_LIMITS_SHARED);
    /* 0x04/0x05: a 64-bit address type (memory64; table64 for a table) */
    out->is64 = flags == 0x04 || flags == 0x05;
    if (out->is64 && !(d->m->features & WB_FEATURE_MEMORY64))
        return wb_dec_fail(d, at, WB_FEATURE_LIMITS_64_IN_2_0);
    if (flags > 0x05)
        return wb_dec_fail(d, at, "malformed limits flags");
    size_t min_at = wb_reader_offset(&d->r);
    if (!wb_read_uleb(&d->r, 64, &out->min))
        return wb_dec_reader_fail(d, min_at);
    out->max = 0;
    out->has_max = flags & 0x01;
    if (out->has_max) {
        size_t max_at = wb_reader_offset(&d->r);
        if (!wb_read_uleb(&d->r, 64, &out->max))
            return wb_dec_reader_fail(d, max_at);
    }
    return true;
}
