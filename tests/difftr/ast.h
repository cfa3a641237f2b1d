/* Generated programs as trees. A node's instructions are its children's, in
 * order, then its own: the wasm stack is the tree's evaluation order, so a
 * well-typed tree is a valid body. Every node leaves `nres` values of `type`
 * (0 for statements) on the stack. Labels are named by id (`lid`), not by
 * depth: the emitter computes depths, and a reduced tree whose branch lost
 * its target is refused there rather than mis-emitted. */
#ifndef DIFFTR_AST_H
#define DIFFTR_AST_H

#include "ops.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum node_kind {
    N_CONST,       /* imm: the bits */
    N_LGET,        /* idx: local */
    N_GGET,        /* idx: global */
    N_UN,          /* op; kids: operand */
    N_BIN,         /* op; kids: a b */
    N_LOAD,        /* op, imm: offset; kids: address */
    N_TEE,         /* idx: local; kids: value */
    N_SELECT,      /* flag: typed form; kids: a b cond */
    N_CALL,        /* idx: wasm function index; kids: arguments; flag: return_call */
    N_CALLIND,     /* idx: a function whose type is called; kids: arguments, table index;
                    * flag: return_call_indirect */
    N_MSIZE,
    N_MGROW,       /* kids: delta */
    N_ONSTACK,     /* a block's parameter, already on the stack: emits nothing */
    N_PAIR,        /* op (binary); kids: one node leaving two values */
    N_SEQ,         /* kids in order; leaves what they leave together */
    N_BLOCK,       /* lid; kids: [param value] body (N_SEQ) */
    N_LOOP,        /* lid; kids: [param value] body (N_SEQ) */
    N_IF,          /* lid; kids: [param value] cond then (N_SEQ) [else (N_SEQ)] */
    N_BR,          /* idx: target lid; kids: carried values */
    N_BRIF,        /* idx: target lid; kids: carried values, cond */
    N_BRTABLE,     /* targets (default last); kids: carried values, index */
    N_RETURN,      /* kids: results */
    N_UNREACHABLE,
    N_STORE,       /* op, imm: offset; kids: address value */
    N_LSET,        /* idx: local; kids: value */
    N_GSET,        /* idx: global; kids: value */
    N_DROP,        /* kids: value */
    N_NOP,
    N_MFILL,       /* kids: dst value len */
    N_MCOPY,       /* kids: dst src len */
    N_REFNULL,     /* ref.null func */
    N_REFFUNC,     /* idx: wasm function index */
    N_REFISNULL,   /* kids: ref */
    N_TGET,        /* kids: index */
    N_TSET,        /* kids: index ref */
    N_TSIZE,
    N_TGROW,       /* kids: ref delta */
    N_TFILL,       /* kids: index ref len */
    /* typed function references (3.0): a typed reference never has a type
     * of its own here; it is made by N_TREF and consumed at once */
    N_TREF,        /* idx: wasm function; flag: TREF_* below; kids: [cond] (TREF_SELECT) */
    N_CALLREF,     /* idx: wasm function whose type is called; kids: arguments, an N_TREF;
                    * flag: return_call_ref */
    N_BRONNULL,    /* idx: target lid; kids: carried value, an N_TREF; br_on_null, then
                    * drop of the non-null reference: leaves the carried value */
    N_NONNULL,     /* kids: an N_TREF; block (result funcref) br_on_non_null 0,
                    * ref.null func end, ref.is_null: i32 1 when it was null */
};

/* N_TREF's forms: (ref $t) or (ref null $t) of function idx's type $t. */
enum {
    TREF_FUNC,       /* ref.func idx */
    TREF_NULL,       /* ref.null $t */
    TREF_SELECT,     /* select (result (ref null $t)) (ref.func idx) (ref.null $t) cond */
    TREF_AS_NON_NULL,/* ref.func idx, ref.as_non_null */
    TREF_NULL_AS,    /* ref.null $t, ref.as_non_null: traps "null reference" */
};

typedef struct node {
    uint8_t kind;
    uint8_t type;      /* type of each result; T_NONE; T_ANY (polymorphic) */
    uint8_t nres;      /* values left: 0, 1 or 2 */
    uint8_t nparams;   /* block/loop/if: 0..2 parameters of type ptype */
    uint8_t ptype;
    uint8_t flag;      /* N_SELECT: typed; N_IF: has an else arm; N_CALL(IND): a tail call */
    uint8_t mem;       /* N_LOAD, N_STORE, N_MSIZE, N_MGROW, N_MFILL: the memory (0..2; 2 is
                        * 64-bit: loads, stores, size and grow only);
                        * N_MCOPY: the destination's */
    uint8_t mem2;      /* N_MCOPY: the source's memory */
    uint8_t table;     /* N_TGET, N_TSET, N_TSIZE, N_TGROW, N_TFILL, N_CALLIND: the table
                        * (TABLE64: the 64-bit one, i64 indices, sizes and lengths) */
    uint16_t nkids;
    uint16_t ntargets;
    const opinfo *op;
    uint32_t idx;      /* also, for an op with a lane immediate (opinfo.lanes), the lane
                        * modulo the count, or i8x16.shuffle's lanes (shuffle_lane) */
    uint32_t lid;
    uint64_t imm;
    uint64_t imm2;     /* N_CONST of v128: the high 8 bytes (lanes 8..15), imm the low */
    uint32_t *targets;
    struct node **kids;
} node;

/* Bump allocator: a module's nodes are freed together. */
typedef struct arena {
    struct chunk *head;
} arena;
void *arena_alloc(arena *a, size_t size);
void arena_free(arena *a);

#define MAXF 24      /* generated functions per module */
#define MAXP 6       /* parameters per function */
#define MAXL 24      /* declared locals per function */
#define NGLOBALS 5   /* g0 i32, g1 i64, g2 f32, g3 f64 (mutable), g4 i32 (immutable) */
#define FUNC_LID 0   /* the function's own label (br to it returns) */
#define HOST_MIX 0   /* wasm function 0: the imported env.mix (i32 i32) -> i32; in the
                      * table after the generated functions (element nf) */
#define MEM_PAGES 1      /* each of the memories ("memory", "memory1", "memory2") */
#define MEM_MAX_PAGES 3
#define NMEMS 3
#define MEM64 2          /* memory 2 is 64-bit (memory64): i64 addresses */
#define NDATA 3          /* data segments: two in memory 0, one in memory 1 */
#define TABLE_MAX 64     /* table elements compared after a run */
#define NTABLES 2        /* "table" and "table64", each holding every function */
#define TABLE64 1        /* table 1 is 64-bit (table64): i64 indices */

extern const uint8_t GLOBAL_TYPES[NGLOBALS];

typedef struct gfunc {
    uint8_t np, params[MAXP];
    uint8_t nres, rtype;      /* 0, 1 or 2 results of rtype */
    uint8_t nl, locals[MAXL]; /* declared locals */
    node *body;               /* N_SEQ leaving the results */
    char label[96];           /* what generated it, printed in the wat */
} gfunc;

typedef struct gmod {
    arena ar;
    uint32_t nf;              /* generated functions: wasm index 1 + i */
    gfunc f[MAXF];
    uint64_t ginit[NGLOBALS]; /* initial global values (bits) */
    uint64_t data_seed;       /* initial memory contents; 0: none */
} gmod;

static inline uint8_t local_type(const gfunc *f, uint32_t i)
{
    return i < f->np ? f->params[i] : f->locals[i - f->np];
}

/* Argument vectors hold a v128 parameter's low half at i, its high half at
 * MAXP + i. */
#define ARGS_MAX (2 * MAXP)

/* A lane immediate of an op (opinfo.lanes) for a node's idx; shuffle_lane:
 * i8x16.shuffle's lane k (0..31) for idx. */
static inline uint32_t lane_of(const node *n) { return n->idx % n->op->lanes; }
static inline uint8_t shuffle_lane(uint32_t idx, unsigned k)
{
    uint32_t h = (idx + k * 0x9E3779B9u) * 0x85EBCA6Bu;
    return (uint8_t)((h ^ (h >> 15)) % 32);
}

/* Constructors (allocated in a). */
node *mk(arena *a, uint8_t kind, uint8_t type, uint8_t nres, unsigned nkids);
/* A node of kind with the given kids (a NULL-terminated list). */
node *mk_kids(arena *a, uint8_t kind, uint8_t type, uint8_t nres, ...);
node *mk_const(arena *a, uint8_t type, uint64_t bits);
node *mk_v128(arena *a, uint64_t lo, uint64_t hi);
/* A three-operand op (v128.bitselect). */
node *mk_op3(arena *a, const opinfo *op, node *x, node *y, node *z);
node *mk_lget(arena *a, const gfunc *f, uint32_t local);
node *mk_gget(arena *a, uint32_t global);
node *mk_op(arena *a, const opinfo *op, node *x, node *y); /* UN (y NULL) or BIN */
node *mk_opn(arena *a, const char *name, node *x, node *y); /* by name; aborts if unknown */
node *mk_load(arena *a, const opinfo *op, uint64_t offset, node *addr);
node *mk_store(arena *a, const opinfo *op, uint64_t offset, node *addr, node *value);
node *mk_tee(arena *a, const gfunc *f, uint32_t local, node *v);
node *mk_lset(arena *a, uint32_t local, node *v);
node *mk_gset(arena *a, uint32_t global, node *v);
node *mk_drop(arena *a, node *v);
/* t: the operands' type (they may be polymorphic: br, return...) */
node *mk_select(arena *a, uint8_t t, node *x, node *y, node *cond, bool typed);
node *mk_seq(arena *a, uint8_t type, uint8_t nres, unsigned n, node *const *items);
node *mk_seq2(arena *a, node *first, node *second); /* leaves what both leave; one value at most */

/* Reads the data segments' bytes for a seed (same bytes every time);
 * segment `which` goes to memory data_memory(which). */
void module_data(uint64_t seed, uint32_t which, uint32_t *offset, uint8_t *bytes, uint32_t *len);
static inline uint32_t data_memory(uint32_t which) { return which == 2 ? 1 : 0; }
#define DATA_MAX 1024

/* Prints the module as WebAssembly text (flat instructions). With only >= 0,
 * prints function `only` and what it calls, transitively; else every one.
 * Without data, the data segments are left out (a note says so). */
void print_wat(FILE *out, const gmod *m, int only, bool data);
/* A value as `wasmbox run --invoke` prints and parses it. */
void format_value(char *buf, size_t len, uint8_t type, uint64_t bits);
/* A v128 value as i32x4 lanes in hex. */
void format_v128(char *buf, size_t len, uint64_t lo, uint64_t hi);
/* Argument i of a vector (ARGS_MAX: a v128's high half at MAXP + i), result i
 * of an outcome's results (a v128's high half at 2 + i). */
void format_arg(char *buf, size_t len, uint8_t type, const uint64_t *args, unsigned i);
void format_result(char *buf, size_t len, uint8_t type, const uint64_t *results, unsigned i);

#endif
