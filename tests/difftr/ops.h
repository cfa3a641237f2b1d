/* The instructions the generator uses, with their typing. Written from the
 * WebAssembly spec, independently of the engine's own table (vm/opcodes.def):
 * the test must not inherit the engine's mistakes. */
#ifndef DIFFTR_OPS_H
#define DIFFTR_OPS_H

#include <stdint.h>

/* Value types. T_ANY is the type of br/br_table/return/unreachable, which
 * can stand for a value of any type (the stack is polymorphic after them). */
enum { T_NONE = 0, T_I32, T_I64, T_F32, T_F64, T_FUNCREF, T_ANY, T_V128, T_COUNT };

/* OC_TERN: three operands (v128.bitselect). OC_LANELD / OC_LANEST: the
 * v128.loadN_lane / storeN_lane forms, an address and a v128 then a memarg
 * and a lane; only the SIMD generator builds them (random_op never picks
 * them), as N_LOAD with two kids and N_STORE. */
enum op_class { OC_UN, OC_BIN, OC_LOAD, OC_STORE, OC_TERN, OC_LANELD, OC_LANEST };

typedef struct opinfo {
    const char *name;
    uint16_t code;     /* opcode byte, 0xFC00 | sub-opcode, or 0xFD00 | SIMD sub-opcode */
    uint8_t cls;       /* op_class */
    uint8_t a, b;      /* operand types (b: T_NONE for one operand) */
    uint8_t r;         /* result type (T_NONE for stores) */
    uint8_t align;     /* loads/stores: log2 of the access size */
    uint8_t lanes;     /* a lane immediate (extract/replace_lane, *_lane): the lane count,
                        * the node's idx modulo it; SHUFFLE_LANES: i8x16.shuffle's 16 */
} opinfo;

#define SHUFFLE_LANES 32
static inline int is_simd_op(const opinfo *o) { return o->code >= 0xFD00; }

extern const opinfo OPS[];
extern const unsigned NOPS;

const opinfo *op_by_name(const char *name); /* NULL if unknown */
uint8_t valtype_byte(uint8_t t);             /* 0x7F, 0x7E, 0x7D, 0x7C, 0x7B */
const char *type_name(uint8_t t);
unsigned type_bytes(uint8_t t);
/* Ops of a class producing type r (loads/un/bin), or storing type b. */
unsigned ops_matching(uint8_t cls, uint8_t r, uint8_t b, const opinfo **out, unsigned max);

#endif
