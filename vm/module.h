/* The decoded module: what decode.c builds from the bytes, validate.c checks,
 * and translate.c / instance.c use. Internal to vm/.
 *
 * Invariants after wb_decode succeeds:
 *  - every count fitted in the bytes that held it (no allocation larger than
 *    the input can justify);
 *  - names are valid UTF-8;
 *  - sections came in order, each exactly as long as its size said;
 *  - function and code sections have the same count; a data count section, if
 *    present, equals the data section's count;
 *  - expressions (constant initializers, function bodies) are byte ranges into
 *    `bytes`, not yet checked: the validator walks them.
 * Indices inside (type, function, table, ...) are NOT yet checked: that is the
 * validator's job, and nothing may use them before wb_validate succeeded.
 *
 * The `*offset` fields say where an entry (or the part of it named) starts in
 * `bytes`, so that every validation error can point at it. They are 0 in
 * objects not read from a module (host function types, hand-built modules).
 */
#ifndef WASMBOX_VM_MODULE_H
#define WASMBOX_VM_MODULE_H

#include "valtype.h"
#include "vm.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Import/export kinds as in the binary format. */
enum { WB_KIND_FUNC = 0, WB_KIND_TABLE = 1, WB_KIND_MEMORY = 2, WB_KIND_GLOBAL = 3, WB_KIND_TAG = 4 };

/* Segment modes. */
enum { WB_SEG_ACTIVE = 0, WB_SEG_PASSIVE = 1, WB_SEG_DECLARATIVE = 2 };

typedef struct wb_mtype {        /* a function type */
    uint32_t nparams, nresults;
    wb_vt *params;               /* valtype.h */
    wb_vt *results;
    uint32_t param_slots, result_slots; /* frame slots they take: a v128 two
                                  * (wb_mtype_count_slots, where a type is made) */
    /* a store's canonical type only (store_types.c): the type's recursion
     * group (its store id + 1; 0 for a group of one) and place in it, so
     * equal signatures in different groups stay different types */
    uint32_t rec_group, rec_pos;
} wb_mtype;

/* Frame slots n values of these types take: one each, a v128 two. */
static inline uint32_t wb_types_slots(const wb_vt *types, uint32_t n)
{
    uint32_t s = n;
    for (uint32_t i = 0; i < n; i++)
        s += types[i] == WB_V128;
    return s;
}

static inline void wb_mtype_count_slots(wb_mtype *t)
{
    t->param_slots = wb_types_slots(t->params, t->nparams);
    t->result_slots = wb_types_slots(t->results, t->nresults);
}

typedef struct wb_range {
    uint64_t min, max;           /* 32-bit in the 2.0 format; 64-bit with is64 */
    bool has_max;
    bool is64;                   /* limits flags 0x04/0x05: a 64-bit memory (memory64) */
    size_t offset;               /* the limits' flag byte */
} wb_range;

/* A constant expression or body: bytes [start, start+len), ending with 0x0B. */
typedef struct wb_expr {
    size_t offset;               /* offset of the first byte in the module */
    size_t len;
} wb_expr;

typedef struct wb_tabletype {
    wb_vt elem_type;             /* a reference type */
    wb_range limits;
    bool has_init;               /* 3.0's 0x40 0x00 form: an initialiser follows */
    wb_expr init;                /* has_init: each element's first value */
} wb_tabletype;

typedef struct wb_globaltype {
    wb_vt type;
    bool mutable_;
} wb_globaltype;

typedef struct wb_import {
    char *module, *name;         /* NUL-terminated copies; may hold inner NULs */
    size_t module_len, name_len;
    uint8_t kind;
    union {
        uint32_t type_index;     /* func; tag (exception handling: its params) */
        wb_tabletype table;
        wb_range memory;
        wb_globaltype global;
    } desc;
    size_t offset;               /* the entry (its module name) */
    size_t desc_offset;          /* the description, after the kind byte */
} wb_import;

typedef struct wb_globaldef {
    wb_globaltype type;
    wb_expr init;
    size_t offset;               /* the entry (its global type) */
} wb_globaldef;

typedef struct wb_export {
    char *name;
    size_t name_len;
    uint8_t kind;
    uint32_t index;
    size_t offset;               /* the entry (its name) */
    size_t index_offset;
} wb_export;

typedef struct wb_elemseg {
    uint8_t mode;                /* WB_SEG_* */
    uint32_t table;              /* active only */
    wb_expr offset;              /* active only */
    wb_vt elem_type;             /* a reference type */
    uint32_t count;
    bool uses_exprs;             /* items given as expressions, not indices */
    uint32_t *func_indices;      /* !uses_exprs: count function indices */
    wb_expr *exprs;              /* uses_exprs: count constant expressions */
    size_t entry_offset;         /* the flags */
    size_t table_offset;         /* the table index, or entry_offset when implicit */
    size_t items_offset;         /* the first item (indices are re-read from here) */
} wb_elemseg;

typedef struct wb_dataseg {
    uint8_t mode;                /* WB_SEG_ACTIVE or WB_SEG_PASSIVE */
    uint32_t memory;
    wb_expr offset;
    size_t data_offset;          /* the bytes, as an offset into module->bytes */
    uint32_t len;
    size_t entry_offset;         /* the flags */
    size_t memory_offset;        /* the memory index, or entry_offset when implicit */
} wb_dataseg;

typedef struct wb_localgroup {
    uint32_t count;
    wb_vt type;
} wb_localgroup;

typedef struct wb_code {
    uint32_t ngroups;
    wb_localgroup *groups;
    uint32_t nlocals;            /* declared locals, not counting params */
    wb_expr body;                /* instructions after the local declarations */
    size_t size_offset;          /* offset of the entry's size field, for messages */
    size_t locals_offset;        /* the local declarations' count */
    uint32_t max_consts;         /* filled by validation: constant instructions of the body
                                  * (bounds the translator's constant area); WB_BODY_UNCHECKED
                                  * in a vouched module until the body is checked */
    uint32_t local_slots;        /* filled by validation: frame slots of the declared
                                  * locals (a v128 takes two) */
} wb_code;

/* wb_code.max_consts of a body a vouched module has not checked yet. */
#define WB_BODY_UNCHECKED UINT32_MAX

typedef struct wb_custom {
    char *name;
    size_t name_len;
    size_t data_offset, data_len;
} wb_custom;

struct wb_compiled;              /* translate.c's output for one function */

struct wb_module {
    uint8_t *bytes;              /* owned copy of the binary */
    size_t len;

    wb_mtype *types;
    uint32_t ntypes;
    size_t *type_offsets;        /* per type: its 0x60 byte (NULL in a hand-built module) */
    bool typed_refs;             /* some value type is a typed reference (valtype.h): the
                                  * validator then needs type_canon */
    uint32_t *type_canon;        /* filled by validation when typed_refs: per type, the
                                  * first equivalent one (validate_types.c); NULL otherwise */
    uint32_t *type_group;        /* per type, the first type of its recursion group (3.0
                                  * `rec`); NULL when every group has one type */

    wb_import *imports;
    uint32_t nimports;
    uint32_t nfunc_imports, ntable_imports, nmemory_imports, nglobal_imports, ntag_imports;

    uint32_t *func_type_indices; /* per defined function (function section) */
    uint32_t nfuncs;             /* defined functions */
    size_t funcs_offset;         /* the first type index (re-read from here) */

    wb_tabletype *tables;        /* defined tables */
    uint32_t ntables;
    wb_range *memories;          /* defined memories */
    uint32_t nmemories;
    wb_globaldef *globals;       /* defined globals */
    uint32_t nglobals;
    uint32_t *tags;              /* defined tags (section 13): each one's type index */
    uint32_t ntags;
    size_t tags_offset;          /* the first type index (re-read from here) */

    wb_export *exports;
    uint32_t nexports;

    bool has_start;
    uint32_t start;
    size_t start_offset;

    wb_elemseg *elems;
    uint32_t nelems;

    bool has_datacount;
    uint32_t datacount;

    wb_code *codes;              /* ncodes == nfuncs */
    uint32_t ncodes;
    /* A module decoded with an index of its code section that matched
     * (wb_decode_owned_indexed): per defined function, its code entry's
     * offset (the size field); codes[i] is all zeroes, body.offset 0, until
     * wb_validate_body_late decodes it from there. NULL otherwise. */
    uint32_t *code_entry;
    size_t code_end;             /* the code section's end, with code_entry */

    wb_dataseg *datas;
    uint32_t ndatas;

    wb_custom *customs;
    uint32_t ncustoms;
    char **func_names;           /* from the name section, per function index; may be NULL */
    uint32_t nfunc_names;

    /* Decoder-private lookup tables that make the wb_module_*_type accessors
     * O(1) (a scan of the imports per lookup would let a hostile module make
     * validation quadratic). NULL in a hand-built module: the accessors then
     * scan. */
    struct wb_index_spaces *spaces;

    /* Filled by validation: functions that ref.func may name (declared in an
     * element segment, exported, or used in a global initializer). */
    bool *func_declared;         /* per function index */
    /* A vouched module (wb_validate_vouched): what its bodies are checked
     * with one at a time, before each is first translated or given cached
     * code (under translate_lock); NULL otherwise. */
    struct wb_late_check *late;
    atomic_bool vouch_broken;    /* a body it vouched for failed its check */

    /* Filled by wb_module_compile, then never changed: a compiled module is
     * shared read-only by every store and thread that instantiates it
     * (vm/README.md "Sharing modules"). */
    struct wb_compiled **compiled; /* per defined function, into code_block */
    /* The functions' code, one block (so "is this a function of m" is a
     * range test); each entry is filled on the function's first call under
     * translate_lock and published through its frame_slots (lazy.c). */
    struct wb_compiled *code_block;
    atomic_uint ntranslated;     /* entries of code_block published (wb_module_translated_count) */
    pthread_mutex_t translate_lock;
    bool translate_lock_ready;
    wb_type **type_views;        /* per type: params then results as wb_type (public API view) */
    wb_translation translation;
    wb_features features;        /* the profile it was decoded and validated under */
    atomic_uint refs;            /* wb_module_ref / wb_module_unref */
};

/* Function index space helpers (indices must have been validated). */
static inline uint32_t wb_module_total_funcs(const wb_module *m) { return m->nfunc_imports + m->nfuncs; }
static inline uint32_t wb_module_total_tables(const wb_module *m) { return m->ntable_imports + m->ntables; }
static inline uint32_t wb_module_total_memories(const wb_module *m) { return m->nmemory_imports + m->nmemories; }
static inline uint32_t wb_module_total_globals(const wb_module *m) { return m->nglobal_imports + m->nglobals; }
static inline uint32_t wb_module_total_tags(const wb_module *m) { return m->ntag_imports + m->ntags; }
/* Type index of tag `idx` (imported or defined; validated). */
uint32_t wb_module_tag_type_index(const wb_module *m, uint32_t idx);

/* Type index of function `funcidx` (imported or defined). */
uint32_t wb_module_func_type_index(const wb_module *m, uint32_t funcidx);
/* Type of table / memory / global by index in its whole index space. */
const wb_tabletype *wb_module_table_type(const wb_module *m, uint32_t idx);
const wb_range *wb_module_memory_type(const wb_module *m, uint32_t idx);
const wb_globaltype *wb_module_global_type(const wb_module *m, uint32_t idx);

/* decode.c: bytes are copied into the module. On failure returns NULL and
 * fills err (kind WB_ERR_MALFORMED, the section, the offset, the reason). */
wb_module *wb_decode(const uint8_t *bytes, size_t len, wb_error *err);
/* The same taking over `bytes` (from malloc; freed with the module, or at
 * once on error) instead of copying them. */
wb_module *wb_decode_owned(uint8_t *bytes, size_t len, wb_error *err);
/* wb_decode and wb_decode_owned under a feature profile (they use
 * WB_FEATURES_3_0); the module keeps it (m->features) for validation. */
wb_module *wb_decode_features(const uint8_t *bytes, size_t len, wb_features features, wb_error *err);
wb_module *wb_decode_owned_features(uint8_t *bytes, size_t len, wb_features features, wb_error *err);
/* wb_decode_owned_features with an index of the code section: nindex
 * offsets, each function body's entry (its size field), from malloc; always
 * taken (freed, or kept as m->code_entry). If every entry's size at its
 * offset ends it where the next one starts (decode_segments.c), the entries
 * are not decoded now, each is on first use; otherwise the section is
 * walked as without an index and m->code_entry stays NULL. */
wb_module *wb_decode_owned_indexed(uint8_t *bytes, size_t len, wb_features features, uint32_t *index,
                                   uint32_t nindex, wb_error *err);
void wb_module_destroy(wb_module *m);

/* validate.c: the whole module, every body. Fills m->func_declared. On
 * failure fills err (kind WB_ERR_INVALID, or WB_ERR_MALFORMED for bad bytes
 * found inside a body: unknown opcode, bad immediate encoding). */
bool wb_validate(wb_module *m, wb_error *err);
/* The same for a module whose bytes are known to have passed wb_validate
 * before (an authenticated cache entry says so: wb_module_load_owned_vouched):
 * every rule but the function bodies now; each body is checked by
 * wb_validate_body_late before anything uses it. */
bool wb_validate_vouched(wb_module *m, wb_error *err);
/* Checks defined function `defidx` if it is not yet (a vouched module; a
 * no-op otherwise), filling its max_consts. The caller holds translate_lock.
 * On failure marks the module's vouch broken and fills err. */
bool wb_validate_body_late(wb_module *m, uint32_t defidx, wb_error *err);
void wb_validate_late_free(wb_module *m);
/* module_api.c: validates (every body, or with `vouched` none now) and
 * prepares decoded module m, and gives it to store; NULL (m freed, err
 * filled) on failure. */
wb_module *wb_module_track_compiled(wb_store *store, wb_module *m, bool vouched, wb_error *err);
/* decode_segments.c: decodes the code entry of defined function i of an
 * indexed module (m->code_entry[i]) into m->codes[i]; on failure (err
 * filled) leaves it undecoded. Called by wb_validate_body_late. */
bool wb_dec_code_entry_late(wb_module *m, uint32_t i, wb_error *err);

/* Formats an error: "<where>, offset 0x<off>: <reason>". */
void wb_error_set(wb_error *err, wb_error_kind kind, size_t offset, const char *where,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
