/* Typed values <-> 64-bit slots. Floats move as bit patterns (memcpy), so
 * NaN payloads survive the trip. */
#include "objects.h"

#include <string.h>

uint64_t wb_value_to_slot(const wb_value *v)
{
    switch (v->type) {
    case WB_I32: return (uint32_t)v->of.i32;
    case WB_I64: return (uint64_t)v->of.i64;
    case WB_F32: {
        uint32_t bits;
        memcpy(&bits, &v->of.f32, sizeof bits);
        return bits;
    }
    case WB_F64: {
        uint64_t bits;
        memcpy(&bits, &v->of.f64, sizeof bits);
        return bits;
    }
    case WB_FUNCREF: return (uint64_t)(uintptr_t)v->of.func;
    case WB_EXTERNREF: return (uint64_t)(uintptr_t)v->of.ext;
    case WB_EXNREF: return (uint64_t)(uintptr_t)v->of.exn;
    case WB_V128: break;
    }
    return 0;
}

wb_value wb_slot_to_value(wb_vt vt, uint64_t slot)
{
    wb_value v;
    memset(&v, 0, sizeof v);
    wb_type type = wb_vt_public(vt); /* a typed reference is a funcref to embedders */
    v.type = type;
    switch (type) {
    case WB_I32: v.of.i32 = (int32_t)(uint32_t)slot; break;
    case WB_I64: v.of.i64 = (int64_t)slot; break;
    case WB_F32: {
        uint32_t bits = (uint32_t)slot;
        memcpy(&v.of.f32, &bits, sizeof bits);
        break;
    }
    case WB_F64: memcpy(&v.of.f64, &slot, sizeof slot); break;
    case WB_FUNCREF: v.of.func = (wb_func *)(uintptr_t)slot; break;
    case WB_EXTERNREF: v.of.ext = (void *)(uintptr_t)slot; break;
    case WB_EXNREF: v.of.exn = (wb_exn *)(uintptr_t)slot; break;
    default: break;
    }
    return v;
}

uint32_t wb_value_put(const wb_value *v, uint64_t *slots)
{
    if (v->type == WB_V128) {
        memcpy(slots, v->of.v128, 16);
        return 2;
    }
    slots[0] = wb_value_to_slot(v);
    return 1;
}

wb_value wb_value_take(wb_vt type, const uint64_t *slots)
{
    if (type != WB_V128)
        return wb_slot_to_value(type, slots[0]);
    wb_value v;
    memset(&v, 0, sizeof v);
    v.type = WB_V128;
    memcpy(v.of.v128, slots, 16);
    return v;
}

bool wb_is_value_type(uint8_t type)
{
    switch (type) {
    case WB_I32: case WB_I64: case WB_F32: case WB_F64: case WB_V128: case WB_FUNCREF:
    case WB_EXTERNREF: case WB_EXNREF:
        return true;
    default:
        return false;
    }
}
