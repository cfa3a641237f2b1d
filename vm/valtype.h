/* Value types inside the engine (wb_vt): one 32-bit word per type.
 * Internal to vm/.
 *
 * The common types keep their binary-format byte, so the numeric case costs
 * what a byte did (compare, switch) and a 2.0 module never sees anything
 * else: i32 0x7F, i64 0x7E, f32 0x7D, f64 0x7C, v128 0x7B, funcref 0x70
 * (= ref null func), externref 0x6F (= ref null extern).
 *
 * Any other reference type (typed function references, 3.0) is
 *     WB_VT_REF | WB_VT_NULL (if nullable) | heap << WB_VT_HEAP_SHIFT
 * where heap is a type index of the module (< 2^21: the type limit is 10^6)
 * or WB_HEAP_ABS | the abstract heap type's byte (func 0x70, extern 0x6F,
 * nofunc 0x73, noextern 0x72). Both nullable abstract func and extern are
 * always written as their byte (wb_vt_ref makes sure), so equal types are
 * equal words and the validator's fast path stays one compare; subtyping
 * (wb_vt_sub, validate_types.c, and wb_store_vt_sub, store_types.c, both
 * from the two rules below) is asked only when the words differ.
 *
 * Exception handling's exn (0x69) and its bottom noexn (0x74) are the third
 * hierarchy: exnref 0x69 = (ref null exn) is written as its byte like
 * funcref (wb_vt_ref folds it), (ref exn) and (ref null? noexn) as words.
 *
 * Adding an abstract heap type: its byte as a value type if it has a short
 * form (and wb_vt_ref's folding), a case in wb_heap_sub_abstract (which
 * top it sits under), and its name in wb_vt_name. Nothing else
 * changes: the word has room for any byte.
 */
#ifndef WASMBOX_VM_VALTYPE_H
#define WASMBOX_VM_VALTYPE_H

#include "limits.h"
#include "reader.h"
#include "vm.h"

#include <stdbool.h>
#include <stdint.h>

typedef uint32_t wb_vt;

#define WB_VT_REF 0x100u
#define WB_VT_NULL 0x200u
#define WB_VT_HEAP_SHIFT 10
#define WB_HEAP_ABS 0x200000u /* above every type index */
#define WB_HEAP_FUNC (WB_HEAP_ABS | 0x70u)
#define WB_HEAP_EXTERN (WB_HEAP_ABS | 0x6Fu)
#define WB_HEAP_NOFUNC (WB_HEAP_ABS | 0x73u)
#define WB_HEAP_NOEXTERN (WB_HEAP_ABS | 0x72u)
#define WB_HEAP_EXN (WB_HEAP_ABS | 0x69u)
#define WB_HEAP_NOEXN (WB_HEAP_ABS | 0x74u)
/* rec.N: a type index relative to its recursion group, as both
 * canonicalisations (validate_types.c, a module's types; store_types.c, a
 * store's) write a type's references to its own group (a type naming itself
 * in a group of one is rec.0), so equal groups give equal words: above
 * every type index and store id, below the abstract heap types. */
#define WB_HEAP_REC(n) ((uint32_t)WB_MAX_TYPES + 1 + (n))

/* The reference type (ref null? heap), in its one canonical word. */
static inline wb_vt wb_vt_ref(bool nullable, uint32_t heap)
{
    if (nullable && heap == WB_HEAP_FUNC)
        return WB_FUNCREF;
    if (nullable && heap == WB_HEAP_EXTERN)
        return WB_EXTERNREF;
    if (nullable && heap == WB_HEAP_EXN)
        return WB_EXNREF;
    return WB_VT_REF | (nullable ? WB_VT_NULL : 0) | (heap << WB_VT_HEAP_SHIFT);
}

static inline bool wb_vt_is_ref(wb_vt t)
{
    return t == WB_FUNCREF || t == WB_EXTERNREF || t == WB_EXNREF || (t & WB_VT_REF) != 0;
}
static inline bool wb_vt_nullable(wb_vt t)
{
    return t == WB_FUNCREF || t == WB_EXTERNREF || t == WB_EXNREF || (t & WB_VT_NULL) != 0;
}
static inline uint32_t wb_vt_heap(wb_vt t)
{
    if (t == WB_FUNCREF)
        return WB_HEAP_FUNC;
    if (t == WB_EXTERNREF)
        return WB_HEAP_EXTERN;
    if (t == WB_EXNREF)
        return WB_HEAP_EXN;
    return t >> WB_VT_HEAP_SHIFT;
}
/* Whether a heap type is exception handling's (exn, noexn). */
static inline bool wb_heap_is_exn(uint32_t h) { return h == WB_HEAP_EXN || h == WB_HEAP_NOEXN; }
/* Whether a value type is a reference to an exception (exnref, (ref exn),
 * (ref null? noexn)): its slot holds a wb_exn * or 0. */
static inline bool wb_vt_is_exn(wb_vt t) { return wb_vt_is_ref(t) && wb_heap_is_exn(wb_vt_heap(t)); }
/* A type index the reference names, or UINT32_MAX for an abstract heap type. */
static inline uint32_t wb_vt_type_index(wb_vt t)
{
    if (!(t & WB_VT_REF))
        return UINT32_MAX;
    uint32_t h = t >> WB_VT_HEAP_SHIFT;
    return h & WB_HEAP_ABS ? UINT32_MAX : h;
}
/* Whether a heap type is a function one (a type index: only function types
 * exist without GC) rather than extern's or exn's. */
static inline bool wb_heap_is_func(uint32_t h)
{
    return !(h & WB_HEAP_ABS) || h == WB_HEAP_FUNC || h == WB_HEAP_NOFUNC;
}
/* Subtyping without GC, the rules that do not depend on what a type index
 * means; wb_vt_sub (a module's indices, matching when their types are
 * equivalent) and wb_store_vt_sub (store ids, matching when equal) add
 * only that. For two different words: the reference half of sub <: super,
 * both references and a nullable one only under a nullable one ((ref ht)
 * <: (ref null ht), not the other way round). */
static inline bool wb_vt_ref_sub_shape(wb_vt sub, wb_vt super)
{
    return wb_vt_is_ref(sub) && wb_vt_is_ref(super) && (!wb_vt_nullable(sub) || wb_vt_nullable(super));
}
/* Heap type a under heap type b, a != b: every type index and nofunc under
 * func, nofunc under every type index, noextern under extern, noexn under
 * exn (three hierarchies: nothing crosses). Two type indices give false:
 * whether they match is the caller's question, asked first. */
static inline bool wb_heap_sub_abstract(uint32_t a, uint32_t b)
{
    bool a_idx = !(a & WB_HEAP_ABS), b_idx = !(b & WB_HEAP_ABS);
    if (b == WB_HEAP_FUNC)
        return a_idx || a == WB_HEAP_NOFUNC;
    if (b == WB_HEAP_EXTERN)
        return a == WB_HEAP_NOEXTERN;
    if (b == WB_HEAP_EXN)
        return a == WB_HEAP_NOEXN;
    if (b_idx)
        return a == WB_HEAP_NOFUNC;
    return false;
}
/* The type with nullability dropped (ref.as_non_null, br_on_null). */
static inline wb_vt wb_vt_non_null(wb_vt t) { return wb_vt_ref(false, wb_vt_heap(t)); }
/* A local of this type starts as its zero (numbers, v128, nullable refs)
 * rather than needing a local.set before any local.get (3.0). */
static inline bool wb_vt_defaultable(wb_vt t) { return !wb_vt_is_ref(t) || wb_vt_nullable(t); }
/* The public API's type of a value of this type (a typed function reference
 * is a funcref to embedders). */
static inline wb_type wb_vt_public(wb_vt t)
{
    if (!wb_vt_is_ref(t))
        return (wb_type)t;
    uint32_t h = wb_vt_heap(t);
    if (wb_heap_is_exn(h))
        return WB_EXNREF;
    return wb_heap_is_func(h) ? WB_FUNCREF : WB_EXTERNREF;
}

/* valtype_read.c: the binary format's types. A heap type is an s33: a type
 * index (kept up to WB_HEAP_ABS - 1, so one past the type limit is still
 * "unknown type" at validation) or a negative abstract type's byte. Reasons
 * in r->error: "malformed value type", "malformed reference type",
 * "malformed heap type" or GC's heap types, named. *typed is
 * set when the type is one 2.0 has no byte for. */
bool wb_read_heaptype(wb_reader *r, uint32_t *heap);
bool wb_read_valtype(wb_reader *r, wb_vt *out, bool *typed);
bool wb_read_reftype(wb_reader *r, wb_vt *out, bool *typed);

#endif
