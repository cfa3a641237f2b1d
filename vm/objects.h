/* Helpers shared by the object side of the engine (store.c, memory.c,
 * table.c, global.c, func.c, host.c, module_api.c, instance.c, link.c,
 * const_expr.c). Internal to vm/; the execution side needs only runtime.h. */
#ifndef WASMBOX_VM_OBJECTS_H
#define WASMBOX_VM_OBJECTS_H

#include "limits.h"
#include "runtime.h"

#include <stdbool.h>
#include <stdint.h>

/* What a tracked object is, so wb_store_free knows how to release it. */
enum wb_object_kind {
    WB_OBJ_MODULE,
    WB_OBJ_INSTANCE,
    WB_OBJ_FUNC,
    WB_OBJ_MEMORY,
    WB_OBJ_TABLE,
    WB_OBJ_GLOBAL,
    WB_OBJ_TAG,      /* wb_tag_new's */
    WB_OBJ_EXN,      /* thrown exceptions (tag.c) */
};

/* Hands obj to the store, which frees it at wb_store_free. On allocation
 * failure returns false and frees obj itself, so callers never leak. */
bool wb_store_track(wb_store *s, enum wb_object_kind kind, void *obj);

/* Tags of an instance (tag.c): the imported ones, then one block of the
 * defined ones, which the instance frees (wb_instance_release). */
bool wb_instance_alloc_tags(wb_instance *inst, const wb_extern *imports, wb_error *err);

/* Releases one object of each kind (used by wb_store_free). */
void wb_module_release(wb_module *m);
void wb_instance_release(wb_instance *inst);
void wb_func_release(wb_func *f);
void wb_memory_release(wb_memory *mem);
void wb_table_release(wb_table *t);
void wb_tag_release(wb_tag *t);
/* Whether e is null or an exception of s (an exnref from the host is never
 * trusted: it must be one the store made). */
bool wb_store_owns_exn(const wb_store *s, const wb_exn *e);

/* Public-API view of a canonical type: params then results as wb_type. */
const wb_type *wb_store_type_view(const wb_store *s, uint32_t type_id);

/* The store's memory budget (see struct wb_store): charges `bytes` when they
 * fit under limits.max_memory, else false and nothing charged. A refund
 * undoes a charge whose allocation then failed. */
bool wb_store_charge(wb_store *s, uint64_t bytes);
void wb_store_refund(wb_store *s, uint64_t bytes);

/* Why creating a memory or table failed. */
typedef enum wb_alloc_result {
    WB_ALLOC_OK,
    WB_ALLOC_LIMIT,   /* over the store cap or an implementation limit */
    WB_ALLOC_NOMEM,
} wb_alloc_result;

wb_alloc_result wb_memory_create(wb_store *s, uint64_t min_pages, uint64_t max_pages, bool has_max,
                                 bool is64, wb_memory **out);
wb_alloc_result wb_table_create(wb_store *s, wb_vt elem_type, uint32_t min, uint32_t max,
                                bool has_max, uint64_t init, wb_table **out);

/* Slot <-> typed value conversions (see runtime.h for the slot layout). */
uint64_t wb_value_to_slot(const wb_value *v);
wb_value wb_slot_to_value(wb_vt type, uint64_t slot);
/* The same for a value in a function's slots: a v128 takes two (low half
 * first). wb_value_put returns the slots written; wb_value_take reads 1 or 2. */
uint32_t wb_value_put(const wb_value *v, uint64_t *slots);
wb_value wb_value_take(wb_vt type, const uint64_t *slots);
/* True for the value types a function signature may use. */
bool wb_is_value_type(uint8_t type);

/* Fills a wb_functype from a module or canonical type (view: params then
 * results as wb_type). */
void wb_functype_from(const wb_mtype *t, const wb_type *view, wb_functype *out);

/* Evaluates a validated constant expression of inst's module. Only the first
 * `globals_ready` globals of inst may be read (the ones already initialised).
 * False if the expression uses something a constant expression cannot. */
/* out: the value's slot (a v128's low half); out_hi, when not NULL, a v128's
 * high half (0 for other types). */
bool wb_eval_const(const wb_instance *inst, uint32_t globals_ready, wb_expr expr, uint64_t *out,
                   uint64_t *out_hi);

/* Checks that ext satisfies import i of m, whose types are `ids` in the
 * store (wb_store_module_types); fills err (WB_ERR_LINK) if not. */
bool wb_link_check_import(const wb_module *m, const uint32_t *ids, uint32_t i, const wb_extern *ext,
                          wb_error *err);

/* store_types.c. The module's types as the store's canonical ids (a type
 * naming others is interned with their ids); malloc'd, NULL when out of
 * memory or past the ids a value type can hold. */
uint32_t *wb_store_module_types(wb_store *s, const wb_module *m);
/* A module's value type with its type index made the store's id. */
wb_vt wb_vt_in_store(const uint32_t *ids, uint32_t ntypes, wb_vt t);
/* Subtyping of store value types (type ids equal or not). */
bool wb_store_vt_sub(wb_vt sub, wb_vt super);
/* Whether an embedder's value may go where a store value type is: its
 * public type, not null where the type is non-null, a function of the
 * type a typed reference names. */
bool wb_value_fits(const wb_value *v, wb_vt t);

#endif
