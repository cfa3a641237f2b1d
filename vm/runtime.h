/* Runtime objects and the contract between the object side of the engine
 * (store.c, instance.c, api.c: creation, linking, instantiation, the public
 * API) and the execution side (translate.c, interp.c). Internal to vm/.
 *
 * Value representation everywhere inside the engine: one 64-bit slot per
 * value. i32 lives in the low 32 bits (the high bits are unspecified: read it
 * as uint32_t); f32 likewise as its bit pattern; i64/f64 use all 64 bits; a
 * reference is a pointer (wb_func * or the host's externref pointer) stored as
 * uintptr_t, 0 being null.
 */
#ifndef WASMBOX_VM_RUNTIME_H
#define WASMBOX_VM_RUNTIME_H

#include "module.h"
#include "vm.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WB_PAGE_SIZE 65536u
#define WB_MAX_PAGES 65536u /* 4 GiB: the 32-bit address space */
#define WB_MAX_PAGES64 65535u /* a 64-bit memory here: below 4 GiB (memory.c) */
/* Host -> wasm -> host -> wasm ... re-entry recurses in C; this bounds it so
 * a guest bouncing through a host function cannot exhaust the C stack. */
#define WB_MAX_NESTING 100u

struct wb_memory {
    uint8_t *data;
    uint64_t size;               /* bytes; always a multiple of WB_PAGE_SIZE */
    uint64_t mapped;             /* bytes mapped at data (>= size; all zero past size):
                                  * a reused mapping (memory.c) may be larger */
    uint64_t max_pages;          /* module maximum, else WB_MAX_PAGES */
    bool has_max;                /* a maximum was declared (import matching needs it) */
    bool is64;                   /* a 64-bit memory (memory64): i64 addresses */
    uint64_t max_declared;       /* the maximum as declared (a 64-bit one may pass max_pages) */
    wb_store *store;
};

struct wb_table {
    wb_vt elem_type;             /* a reference type; a typed one names a store type id */
    uint32_t size;
    uint32_t max;                /* UINT32_MAX when no maximum (or one above it) */
    bool has_max;
    bool is64;                   /* a 64-bit table (table64): i64 indices */
    uint64_t max_declared;       /* the maximum as declared (a u64 for a 64-bit
                                  * table), for import matching */
    uint64_t *elems;             /* references as slots; 0 = null */
    wb_store *store;
};

struct wb_global {
    wb_vt type;                  /* a typed reference names a store type id */
    bool mutable_;
    uint64_t value;              /* a slot, see above; a v128's low half */
    uint64_t hi;                 /* a v128's high half (GLOBAL_GET_V128, _SET_V128) */
};

struct wb_compiled;              /* translate.c's code for one function */

struct wb_func {
    uint32_t type_id;            /* canonical in the store: equal ids, equal types */
    const wb_mtype *type;        /* owned by the module, or by the func for host funcs */
    wb_instance *instance;       /* NULL for host functions */
    uint32_t index;              /* function index in its module */
    struct wb_compiled *code;    /* wasm functions */
    wb_host_fn host;             /* host functions */
    void *user;
    wb_mtype host_type;          /* storage behind `type` for host functions */
    const wb_type *type_view;    /* params then results as wb_type, for wb_func_type */
};

/* An exception tag (vm/README.md "Exception handling"): identity is the
 * object's address, so a tag imported elsewhere is the same pointer. */
struct wb_tag {
    const wb_mtype *type;        /* its params are the exception's values; no results */
    uint32_t type_id;            /* the store's canonical id of its type (import matching) */
    wb_instance *instance;       /* that defined it; NULL for wb_tag_new */
    uint32_t index;              /* its tag index in that instance's module */
    wb_mtype host_type;          /* storage behind `type` for wb_tag_new */
};

/* A thrown exception, the object an exnref points at. Owned by the store
 * (tracked, charged to its memory budget), freed with it. */
/* What an exception costs the store's memory budget on top of its size. */
#define WB_EXN_OVERHEAD 32u
struct wb_exn {
    wb_tag *tag;
    uint32_t nslots;             /* the values as slots: a v128 takes two */
    uint64_t slots[];
};

typedef struct wb_elem_state {
    uint32_t count;              /* 0 once dropped (or after an active segment ran) */
    uint64_t *refs;              /* resolved references */
} wb_elem_state;

struct wb_instance {
    wb_module *module;           /* shared, read-only; the store holds a reference */
    uint32_t *type_ids;          /* per module type index: the store's canonical id */
    wb_store *store;
    wb_func **funcs;             /* whole function index space */
    wb_table **tables;
    wb_memory **memories;
    wb_global **globals;
    wb_elem_state *elems;        /* per element segment */
    bool *data_dropped;          /* per data segment */
    wb_memory *mem0;             /* memories[0] or NULL, cached for the interpreter */
    wb_tag **tags;               /* whole tag index space (exception handling) */
};

/* The context a host function sees. */
struct wb_call {
    wb_store *store;
    wb_instance *caller;         /* instance whose code called the host; may be NULL */
    wb_status status;            /* set by wb_call_trap / wb_call_exit */
    uint64_t sequence;           /* wb_call_sequence */
};

struct wb_store {
    wb_limits limits;
    uint64_t fuel_left;          /* UINT64_MAX: unlimited (still counted down) */
    uint64_t fuel_start;         /* value set by wb_store_set_fuel, for fuel_used */
    atomic_int interrupt;

    /* Value stack, owned by interp.c (allocated on first use, freed here). */
    uint64_t *stack;
    size_t stack_slots;
    uint64_t *stack_top;         /* first free slot for a nested invocation */
    uint32_t depth;              /* current wasm call depth */
    uint32_t nesting;            /* wb_func_call invocations on the C stack */

    /* Every object, for freeing at wb_store_free (store.c). */
    void **objects;
    uint8_t *object_kinds;
    size_t nobjects, cap_objects;

    /* Canonical function types (store.c). */
    wb_mtype *types;
    uint32_t ntypes, cap_types;
    wb_type **type_views;        /* per id: params then results as wb_type (public API view) */
    uint32_t *type_hash;         /* open addressing over `types`: id + 1, 0 = empty */
    uint32_t type_hash_cap;      /* power of two, or 0 */

    wb_exn *exn;                 /* the exception of a call that ended WB_EXCEPTION, or a
                                  * host function's wb_call_throw on its way to the caller */
    wb_status status;            /* of the last call */
    char trap_message[256];
    int exit_code;
    /* The memory budget (limits.max_memory): bytes of every linear memory
     * plus WB_TABLE_ELEM_BYTES per table element, charged by memory.c and
     * table.c; objects live until the store goes, so it only grows. */
    uint64_t mem_used;
    uint64_t peak_memory;        /* the largest mem_used so far */
    wb_budget_fn on_refusal;     /* wb_store_on_budget_refusal */
    wb_translation translation;  /* for modules loaded from now on */
    wb_features features;        /* likewise: the profile they load under */
    /* The memory index a MEM_USE put in the interpreter's memory registers
     * (0: memory 0), so that a bounds trap can name it; cleared by MEM_USE0
     * and by wb_store_set_trap. */
    uint32_t mem_in_use;
    wb_frame trap_frames[WB_MAX_TRAP_FRAMES]; /* trap_frames.c */
    uint64_t host_calls;         /* host functions called so far (wb_call_sequence) */
    uint32_t ntrap_frames;
    void *on_refusal_user;
};

/* ---- provided by store.c / instance.c ---- */

/* Canonical id for a function type; UINT32_MAX on allocation failure. */
uint32_t wb_store_intern_type(wb_store *s, const wb_mtype *type);
/* Records a failed run's status and message (message NULL: the spec text). */
void wb_store_set_trap(wb_store *s, wb_status status, const char *message);

/* Bulk operations shared by instantiation and the interpreter. Each checks
 * bounds first and changes nothing when out of bounds. */
wb_status wb_op_table_init(wb_instance *inst, uint32_t table, uint32_t elem, uint32_t dst,
                           uint32_t src, uint32_t n);
wb_status wb_op_memory_init(wb_instance *inst, uint32_t memidx, uint32_t data, uint32_t dst,
                            uint32_t src, uint32_t n);
/* Old size, or -1 when refused. */
int64_t wb_op_table_grow(wb_table *t, uint32_t delta, uint64_t init);

/* Calls a host function with slots in, slots out (args in slots[0..nparams),
 * results to slots[0..nresults)). caller may be NULL. */
wb_status wb_call_host(wb_store *s, wb_func *f, wb_instance *caller, uint64_t *slots);

/* ---- provided by tag.c (exception handling) ---- */

/* A new exception of `tag` with its values copied from slots (tag->type's
 * param slots of them); NULL when the store's memory budget or the host's
 * memory refuses it (the caller traps). */
wb_exn *wb_exn_new(wb_store *s, wb_tag *tag, const uint64_t *slots);
/* Records that a run ends with exn uncaught: s->exn, status WB_EXCEPTION,
 * the message naming its tag. */
void wb_store_set_exception(wb_store *s, wb_exn *exn);

/* interp_exc.c: the handler for exn thrown at *pc (a cell of the frame at
 * *fp, running in *inst at call depth *depth), in this function or, frame
 * by frame through the records, its callers up to the activation's first
 * frame (whose record returns to `exit`). Found: true, and the four are
 * the handler's (its values and exnref already written in its frame).
 * Not found: false, nothing changed. */
struct wb_unwind {
    const void *pc;
    uint64_t *fp;
    wb_instance *inst;
    uint32_t depth;
    const uint64_t *rec; /* out: the landing frame's record */
};
bool wb_exc_unwind(const wb_store *s, const wb_exn *exn, struct wb_unwind *at, const void *exit);

/* ---- provided by trap_frames.c ---- */

/* The defined function (of a module the store holds) whose code holds the
 * cell at address a, and its module; NULL when none does. */
const struct wb_compiled *wb_find_code(const wb_store *s, uintptr_t a, const wb_module **mod);
/* Appends the frames of one interpreter activation that stopped at pc with
 * frame fp (pc NULL: none) to s->trap_frames. */
void wb_trap_frames_add(wb_store *s, const void *pc, const uint64_t *fp);

/* ---- provided by translate.c / interp.c ---- */

/* translate.c: translates defined function defidx of a validated module
 * into *out (zeroed by the caller), reading only the module. */
bool wb_translate_function(const wb_module *m, uint32_t defidx, struct wb_compiled *out,
                           wb_error *err);
/* lazy.c: gives m its (untranslated) function entries; translates c (an
 * entry of m) if no thread did yet, once, thread-safe; frees the code. */
bool wb_code_prepare(wb_module *m, wb_error *err);
bool wb_code_ensure(wb_module *m, struct wb_compiled *c, wb_error *err);
void wb_module_code_free(wb_module *m);
/* Makes c's code `made` (all of it complete) visible to every thread; the
 * caller holds m->translate_lock and checked c is untranslated. */
void wb_code_publish(struct wb_compiled *c, const struct wb_compiled *made);
/* verify.c, with -DWB_VERIFY: checks the translated code of function
 * defidx (c, not yet published) or of every translated function of m; a
 * violation (a translator bug) aborts with a message. */
void wb_verify_function(const wb_module *m, uint32_t defidx, const struct wb_compiled *c);
void wb_verify_module(const wb_module *m);
/* The verifier's checks, reporting instead of aborting: for code read back
 * from a cache (code_serial.c). False with the reason in why. */
struct wb_code_walker;
bool wb_code_check(const wb_module *m, uint32_t defidx, const struct wb_compiled *c,
                   const struct wb_code_walker *w, char *why, size_t whylen);

/* Runs f (wasm or host) with args in slots[0..nparams); results come back in
 * slots[0..nresults). slots must have room for max(nparams, nresults). On a
 * trap, records it with wb_store_set_trap and returns its status. */
wb_status wb_interp_invoke(wb_store *s, wb_func *f, uint64_t *slots);

#endif
