/* Internal to the enumeration: gen_enum.c builds an enumerated function
 * (operand sources, sinks, prefix values, assembly, the public enum_* API);
 * gen_enum_forms.c holds the families of forms built with it. */
#ifndef DIFFTR_GEN_ENUM_H
#define DIFFTR_GEN_ENUM_H

#include "gen.h"

/* ---- operand sources ---- */

enum src {
    S_PARAM,     /* local.get of a parameter */
    S_DECL,      /* local.get of a declared local (given a value at entry) */
    S_CONST,     /* a constant (edge cases) */
    S_PENDING,   /* x + K, left pending by the translator (i32) */
    S_PENDING_C, /* K + x (constant first: swapped form) */
    S_FRESH,     /* the result of the instruction just before */
    S_IMMRES,    /* the result of an immediate-form instruction just before */
    S_OLDER,     /* an instruction's result with other code emitted after it */
    S_TEE,       /* local.tee of an instruction's result (retargeted) */
    S_TEEL,      /* local.tee of a local (a move) */
    S_LOAD,      /* a load whose address is a pending x + K (fused) */
    S_CALL,      /* a call's result */
    S_BLOCK,     /* a block's result */
    S_GLOBAL,    /* global.get */
    S_SELECT,    /* select */
    NSRC
};
extern const char *const SRC_NAMES[NSRC];

/* What consumes a value-producing core. */
enum sink {
    K_RET, K_SET_DECL, K_SET_PARAM, K_SET_READ, K_TEE, K_STORE, K_GSET, K_DROP,
    K_BRIF, K_IF, K_CALL, K_SELECT, NSINK
};
extern const char *const SINK_NAMES[NSINK];

#define NHEIGHT 3


/* The function being built. */
typedef struct ectx {
    gmod *m;
    arena *a;
    gfunc *f;
    uint8_t T;               /* the pattern's operand type */
    uint64_t variant;        /* picks constants */
    node *pro[24];           /* prologue statements */
    unsigned npro;
    int decl[T_COUNT];       /* declared local with a value, per type; -1: none yet */
    int teel[T_COUNT];       /* tee target per type */
    uint32_t next_lid;
    char *label;
    uint8_t mem;             /* the memory of the load and store families (mload, mstore: 1;
                              * wload, wstore: 2, 64-bit) */
} ectx;

typedef struct family {
    const char *name;
    unsigned nforms;
    unsigned (*holes)(unsigned form);
    uint8_t (*type)(unsigned form); /* T: the operand type (parameters p2, p3) */
    /* builds the function body for (form, sources, height) */
    void (*build)(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo);
    unsigned heights;
} family;
extern const family FAMILIES[];
extern const unsigned NFAMILIES;

/* The simd family (gen_enum_simd.c): NSIMDFORMS forms, T v128. */
#define NSIMDFORMS 89
unsigned simd_holes(unsigned form);
uint8_t simd_type(unsigned form);
void simd_build(ectx *e, unsigned form, const uint8_t *srcs, unsigned height, uint64_t combo);

/* ---- building blocks (gen_enum.c) ---- */

uint32_t new_local(ectx *e, uint8_t t);
node *konst(ectx *e, uint8_t t, unsigned salt);    /* an edge-case constant */
node *addk(ectx *e, unsigned salt);                /* a constant to add to an address */
uint32_t param_of(ectx *e, uint8_t t, unsigned h); /* a local of type t for hole h */
uint32_t decl_of(ectx *e, uint8_t t);              /* the declared local given a value at entry */
uint32_t teel_of(ectx *e, uint8_t t);              /* the tee target */
const opinfo *natural_load(uint8_t t);
const opinfo *natural_store(uint8_t t);
const opinfo *typed_op(uint8_t t, const char *suffix); /* "i32" + "add" */
uint32_t global_of(uint8_t t);
uint32_t helper_of(uint8_t t);                     /* wasm index of the helper (t) -> t */
node *lget(ectx *e, uint32_t l);
node *fresh(ectx *e, uint8_t t, unsigned h);
node *source(ectx *e, unsigned s, uint8_t t, unsigned h);
node *to_cond(ectx *e, node *v);
node *brif(ectx *e, uint32_t lid, unsigned nvals, node *const *vals, node *cond);
node *call1(ectx *e, uint32_t wasm_index, uint8_t t, node *arg);
node *fold(ectx *e, uint8_t t);
void assemble(ectx *e, node *const *prefix, unsigned nprefix, node *main);
unsigned make_prefix(ectx *e, unsigned height, uint64_t combo, int reader, node **prefix);
void finish_value(ectx *e, node *(*core)(ectx *, const void *), const void *arg, unsigned height,
                  uint64_t combo, unsigned sink);
/* Appends printf-style text to the function's label. */
void label_add(ectx *e, const char *fmt, ...);

#endif
