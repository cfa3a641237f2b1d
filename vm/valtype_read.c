/* Reading value, reference and heap types (valtype.h): one place for the
 * decoder's sections and the instruction reader's immediates. */
#include "features.h"
#include "valtype.h"

bool wb_read_heaptype(wb_reader *r, uint32_t *heap)
{
    int64_t v;
    if (!wb_read_sleb(r, 33, &v))
        return false;
    if (v >= 0) {
        *heap = v < (int64_t)WB_HEAP_ABS ? (uint32_t)v : WB_HEAP_ABS - 1;
        return true;
    }
    if (v < -64)
        return wb_reader_fail(r, "malformed heap type");
    switch ((uint8_t)(v & 0x7F)) {
    case 0x70: case 0x6F: case 0x73: case 0x72: case 0x69: case 0x74:
        /* exn and noexn are read under any profile; the decoder and the
         * validator refuse them without WB_FEATURE_EXCEPTIONS (wb_vt_is_exn) */
        *heap = WB_HEAP_ABS | (uint8_t)(v & 0x7F);
        return true;
    case 0x6E: case 0x6D: case 0x6C: case 0x6B: case 0x6A: case 0x71:
        return wb_reader_fail(r, WB_FEATURE_GC_HEAP);
    default:
        return wb_reader_fail(r, "malformed heap type");
    }
}

/* After the 0x63 / 0x64 byte. */
static bool read_ref_rest(wb_reader *r, bool nullable, wb_vt *out, bool *typed)
{
    uint32_t heap;
    if (!wb_read_heaptype(r, &heap))
        return false;
    *out = wb_vt_ref(nullable, heap);
    if (*out & WB_VT_REF)
        *typed = true;
    return true;
}

bool wb_read_valtype(wb_reader *r, wb_vt *out, bool *typed)
{
    uint8_t b;
    if (!wb_read_u8(r, &b))
        return false;
    switch (b) {
    case WB_I32: case WB_I64: case WB_F32: case WB_F64: case WB_V128:
    case WB_FUNCREF: case WB_EXTERNREF: case WB_EXNREF:
        *out = b;
        return true;
    case 0x74: /* nullexnref, (ref null noexn) */
        *out = wb_vt_ref(true, WB_HEAP_NOEXN);
        *typed = true;
        return true;
    case 0x63:
    case 0x64:
        return read_ref_rest(r, b == 0x63, out, typed);
    case 0x6E: case 0x6D: case 0x6C: case 0x6B: case 0x6A: case 0x71: case 0x73: case 0x72:
        /* GC's short forms (nullfuncref 0x73 and nullexternref 0x72 too:
         * 3.0 gives them with GC) */
        if (b == 0x73 || b == 0x72) {
            *out = wb_vt_ref(true, WB_HEAP_ABS | b);
            *typed = true;
            return true;
        }
        return wb_reader_fail(r, "malformed value type: " WB_FEATURE_GC_HEAP);
    default:
        return wb_reader_fail(r, "malformed value type");
    }
}

bool wb_read_reftype(wb_reader *r, wb_vt *out, bool *typed)
{
    const uint8_t *at = r->p;
    if (!wb_read_valtype(r, out, typed)) {
        if (r->error && r->p == at + 1 && at < r->end && *at != 0x63 && *at != 0x64) {
            r->error = NULL;
            return wb_reader_fail(r, "malformed reference type");
        }
        return false;
    }
    if (!wb_vt_is_ref(*out)) {
        r->error = NULL;
        return wb_reader_fail(r, "malformed reference type");
    }
    return true;
}
