/* wasmbox vm: the one public header of the engine.
 *
 * Everything an embedder (the WASI shim, the CLI, the conformance runner) may
 * use is declared here. The engine knows nothing of files, sockets or policy:
 * the embedder hands it host functions and limits.
 *
 * Ownership: a wb_store owns every object created in it (modules, instances,
 * functions, memories, tables, globals); they all live until wb_store_free.
 * A store is used by one thread at a time, except wb_store_interrupt, which any
 * thread may call at any time (a timer, say).
 */
#ifndef WASMBOX_VM_H
#define WASMBOX_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Value types, numbered as in the binary format. */
typedef enum wb_type {
    WB_I32 = 0x7F,
    WB_I64 = 0x7E,
    WB_F32 = 0x7D,
    WB_F64 = 0x7C,
    WB_V128 = 0x7B, /* SIMD: of.v128 (globals of it not supported yet) */
    WB_FUNCREF = 0x70,
    WB_EXTERNREF = 0x6F,
    WB_EXNREF = 0x69, /* exception handling: a caught exception (wb_exn *) */
} wb_type;

typedef struct wb_store wb_store;
typedef struct wb_module wb_module;
typedef struct wb_instance wb_instance;
typedef struct wb_func wb_func;
typedef struct wb_memory wb_memory;
typedef struct wb_table wb_table;
typedef struct wb_global wb_global;
typedef struct wb_call wb_call;
typedef struct wb_tag wb_tag;
typedef struct wb_exn wb_exn;

/* A typed value. Floats are carried bit-exactly (NaN payloads survive): copy
 * them with memcpy, never through arithmetic. A funcref is a wb_func * (NULL is
 * ref.null func); an externref is an opaque host pointer (NULL is ref.null
 * extern). */
typedef struct wb_value {
    wb_type type;
    union {
        int32_t i32;
        int64_t i64;
        float f32;
        double f64;
        wb_func *func;
        void *ext;
        wb_exn *exn;
        uint8_t v128[16]; /* lane 0 first, each lane little-endian */
    } of;
} wb_value;

/* ---- errors (load, link, instantiate) ---- */

typedef enum wb_error_kind {
    WB_ERR_NONE = 0,
    WB_ERR_MALFORMED,     /* the bytes are not a wasm binary */
    WB_ERR_INVALID,       /* well-formed, but fails validation */
    WB_ERR_LINK,          /* imports do not match (unlinkable) */
    WB_ERR_TRAP,          /* instantiation trapped (uninstantiable) */
    WB_ERR_LIMIT,         /* an implementation or embedder limit */
    WB_ERR_NOMEM,         /* host out of memory */
} wb_error_kind;

/* message reads like "code section, offset 0x1f: unexpected end" */
typedef struct wb_error {
    wb_error_kind kind;
    size_t offset;        /* byte offset in the module, when it applies */
    char message[256];
} wb_error;

/* ---- run results ---- */

typedef enum wb_status {
    WB_OK = 0,
    WB_TRAP_UNREACHABLE,
    WB_TRAP_DIV_ZERO,
    WB_TRAP_INT_OVERFLOW,
    WB_TRAP_INVALID_CONVERSION,
    WB_TRAP_MEMORY_OOB,
    WB_TRAP_TABLE_OOB,
    WB_TRAP_INDIRECT_MISMATCH,
    WB_TRAP_UNDEFINED_ELEMENT,
    WB_TRAP_UNINITIALIZED_ELEMENT,
    WB_TRAP_NULL_REFERENCE, /* ref.as_non_null of a null; call_ref's text: "null function
                             * reference", throw_ref's "null exception reference" */
    WB_TRAP_STACK_EXHAUSTED,
    WB_TRAP_OUT_OF_FUEL,
    WB_TRAP_INTERRUPTED,
    WB_TRAP_HOST,         /* a host function trapped; see wb_store_trap_message */
    WB_EXIT,              /* a host function asked to end the run (proc_exit) */
    WB_BAD_CALL,          /* the embedder passed wrong argument count or types */
    WB_EXCEPTION,         /* a wasm exception nothing caught (wb_store_exception) */
} wb_status;

/* The spec's text for a status ("integer divide by zero", ...). */
const char *wb_status_message(wb_status status);

/* ---- limits ---- */

typedef struct wb_limits {
    uint64_t fuel;            /* wasm instructions allowed; UINT64_MAX = no limit */
    /* The store's memory budget, in bytes: the sizes of all its linear
     * memories plus 8 bytes per element of all its tables, together (host-
     * made ones included). Creating a memory or table whose minimum does not
     * fit fails (WB_ERR_LIMIT at instantiation); memory.grow and table.grow
     * that would go over return -1. */
    uint64_t max_memory;
    size_t max_stack;         /* bytes of value stack (locals + operands) */
    uint32_t max_call_depth;  /* nested wasm calls */
} wb_limits;

/* Defaults: unlimited fuel, 4 GiB memory budget, 8 MiB value stack, depth 10000. */
wb_limits wb_default_limits(void);

/* ---- store ---- */

wb_store *wb_store_new(const wb_limits *limits); /* NULL: defaults */
void wb_store_free(wb_store *store);

void wb_store_set_fuel(wb_store *store, uint64_t fuel);
uint64_t wb_store_fuel_left(const wb_store *store);
uint64_t wb_store_fuel_used(const wb_store *store);
/* Safe from any thread while the store runs (a progress report): the fuel
 * used as of the running code's last host call or stop. Set the fuel before
 * the reading thread starts. */
uint64_t wb_store_fuel_used_now(const wb_store *store);
/* Safe from any thread: the running code stops at its next check point with
 * WB_TRAP_INTERRUPTED. The flag stays set until cleared. */
void wb_store_interrupt(wb_store *store);
void wb_store_clear_interrupt(wb_store *store);
/* Message of the last failed wb_func_call (spec text, or the host's). */
const char *wb_store_trap_message(const wb_store *store);
/* Where the last failed wb_func_call stopped: its wasm frames, innermost
 * first (the trapping instruction, then each caller's call instruction;
 * across host functions that called back into wasm), at most
 * WB_MAX_TRAP_FRAMES. Returns how many were written to out (up to max). Kept
 * until the next top-level wb_func_call; empty when the run could not start
 * its first frame. */
#define WB_MAX_TRAP_FRAMES 32
typedef struct wb_frame {
    uint32_t func_index;     /* in its module's function index space */
    size_t offset;           /* byte offset of the instruction in the module */
    const char *name;        /* from the module's name section, or NULL */
    const wb_module *module;
} wb_frame;
uint32_t wb_store_trap_frames(const wb_store *store, wb_frame *out, uint32_t max);
/* Exit code given to wb_call_exit by the last run that ended with WB_EXIT. */
int wb_store_exit_code(const wb_store *store);
/* Most memory-budget bytes (see max_memory) the store has held at once: the
 * high-water mark of all memories' sizes plus 8 bytes per table element. */
uint64_t wb_store_peak_memory(const wb_store *store);
/* Called each time the memory budget refuses a request: memory.grow or
 * table.grow answering -1 (the run goes on), or a minimum that does not fit
 * at instantiation. Lets an embedder audit the limit being hit. requested is
 * the bytes asked for; used and limit describe the budget at that moment. */
typedef void (*wb_budget_fn)(void *user, uint64_t requested, uint64_t used, uint64_t limit);
void wb_store_on_budget_refusal(wb_store *store, wb_budget_fn fn, void *user);

/* How modules loaded into the store afterwards are translated.
 * WB_TRANSLATE_OPTIMIZED (the default) keeps operands lazily on a virtual
 * stack and fuses instructions (vm/README.md "Execution design").
 * WB_TRANSLATE_REFERENCE turns every fusion, peephole and immediate form off:
 * each local.get and constant is copied to its operand slot, each instruction
 * reads and writes operand slots, local.set is a copy. It is the plainest
 * correct translation, the baseline the differential tests hold the optimised
 * one to. Both charge the same fuel and trap at the same instructions. */
typedef enum wb_translation {
    WB_TRANSLATE_OPTIMIZED = 0,
    WB_TRANSLATE_REFERENCE = 1,
} wb_translation;
void wb_store_set_translation(wb_store *store, wb_translation mode);

/* ---- the feature profile: WebAssembly 2.0 or 3.0 where they differ ----
 *
 * A few rules changed between the 2.0 and 3.0 specifications in ways that
 * contradict each other (a module one accepts the other refuses, or both
 * refuse it with different texts). One bit per difference; a store loads
 * modules under its profile (wb_store_set_features), WB_FEATURES_3_0 by
 * default, the standard since 2025. The profile is read while loading only
 * (decoder, validator), never while code runs. vm/README.md "The feature
 * profile" lists what each bit changes. */
typedef uint32_t wb_features;
/* Constant expressions may read immutable globals defined earlier in the
 * module, not only imported ones (3.0; 2.0 says "unknown global"). */
#define WB_FEATURE_CONST_MODULE_GLOBALS (1u << 0)
/* Limits and memargs as 3.0 encodes them: sizes and memory offsets are u64
 * LEB128s, the limits' flags one byte, a memarg's alignment field below 64
 * (a size or offset of 2^32 or more, or an alignment of 2^32 or more,
 * decodes, and the validator refuses it for a 32-bit memory or table).
 * 2.0 reads u32s, a 1-bit LEB128 flag and alignment fields below 32, so
 * the same bytes are malformed there. */
#define WB_FEATURE_ENCODING_3 (1u << 1)
/* The 3.0 specification's texts where 2.0's differ for the same error
 * ("immutable global" for "global is immutable"; a constant expression cut
 * short by its section's end: "unexpected end of section or function", not
 * "illegal opcode"). */
#define WB_FEATURE_TEXTS_3 (1u << 2)
/* Several memories (multi-memory): memarg flag bit 6 and a memory index,
 * memory.size/grow/fill/copy/init's memory indices, more than one memory.
 * 2.0 refuses them ("malformed memop flags", "zero byte expected",
 * "multiple memories"). */
#define WB_FEATURE_MULTI_MEMORY (1u << 3)
/* 64-bit memories (memory64): limits flags 0x04/0x05, i64 addresses, u64
 * offsets. 2.0 refuses the flags ("integer too large"). */
#define WB_FEATURE_MEMORY64 (1u << 4)
/* Exception handling (3.0): the tag section (13), import and export kind 4
 * (a tag), exnref, and the opcodes try_table, throw, throw_ref and the
 * legacy try/catch/catch_all/delegate/rethrow. Clear (2.0), those bytes are
 * what 2.0 says they are: "malformed section id", "malformed import kind",
 * "malformed export kind", "malformed value type", "illegal opcode". */
#define WB_FEATURE_EXCEPTIONS (1u << 5)
#define WB_FEATURES_2_0 0u
#define WB_FEATURES_3_0                                                                           \
    (WB_FEATURE_CONST_MODULE_GLOBALS | WB_FEATURE_ENCODING_3 | WB_FEATURE_TEXTS_3 |              \
     WB_FEATURE_MULTI_MEMORY | WB_FEATURE_MEMORY64 | WB_FEATURE_EXCEPTIONS)
/* For modules loaded into the store from now on. */
void wb_store_set_features(wb_store *store, wb_features features);
wb_features wb_store_features(const wb_store *store);
/* The profile named by "2.0" or "3.0" (a flag's value); false for any other. */
bool wb_features_parse(const char *name, wb_features *out);

/* ---- modules ---- */

/* Decode and validate, for no store in particular; each function is
 * translated on its first call (vm/README.md "Lazy translation"). Copies
 * the bytes. NULL on error (an invalid function anywhere refuses the whole
 * module, before anything runs). The module is immutable from then on: any number of
 * stores, on any threads, may instantiate it at the same time (each store
 * still used by one thread at a time); each store that does holds a
 * reference until it is freed. The caller owns one reference: give it back
 * with wb_module_unref when done (the module lives on in the stores that
 * use it). */
wb_module *wb_module_compile(const uint8_t *bytes, size_t len, wb_translation mode, wb_error *err);
/* wb_module_compile under a feature profile (wb_module_compile: WB_FEATURES_3_0). */
wb_module *wb_module_compile_features(const uint8_t *bytes, size_t len, wb_translation mode,
                                      wb_features features, wb_error *err);
void wb_module_ref(wb_module *module);   /* thread-safe */
void wb_module_unref(wb_module *module); /* thread-safe; NULL is a no-op */
/* wb_module_compile with the store's translation, the store owning it. */
wb_module *wb_module_load(wb_store *store, const uint8_t *bytes, size_t len, wb_error *err);
/* Both taking over `bytes` (from malloc; freed with the module, or at once
 * when refused) instead of copying them: a large module is then in memory
 * once, not twice. */
wb_module *wb_module_compile_owned(uint8_t *bytes, size_t len, wb_translation mode, wb_error *err);
wb_module *wb_module_load_owned(wb_store *store, uint8_t *bytes, size_t len, wb_error *err);
/* wb_module_load_owned for bytes known to have validated before, byte for
 * byte, under this engine: a translation cache entry whose MAC authenticates
 * the module's SHA-256 says so (tools/code_cache.c). Decoding and every
 * module-level rule run as always; the function bodies, most of a large
 * module's start-up, are not all checked now: each is checked just before
 * its first translation or before cached code for it is taken, so a body
 * that fails never runs (the call that needed it traps, and
 * wb_module_vouch_held turns false). Never use it on a claim anyone but the
 * embedder could have made. */
wb_module *wb_module_load_owned_vouched(wb_store *store, uint8_t *bytes, size_t len, wb_error *err);
/* The offsets of the module's function bodies in its code section, as
 * bytes for a translation cache to keep with the code (vm/code_index.c);
 * *out from malloc. False when out of memory. */
bool wb_module_code_index(const wb_module *module, uint8_t **out, size_t *len);
/* wb_module_load_owned_vouched given the bytes of wb_module_code_index of
 * the same module: the index is checked against the code section in full
 * (each entry's size at its offset ends it where the next begins), and each
 * entry is decoded on its function's first use instead of all at start.
 * Untrusted bytes: an index that is not the section's own leaves
 * *index_ok false, and the module is then loaded as by
 * wb_module_load_owned, every body validated now. */
wb_module *wb_module_load_owned_vouched_indexed(wb_store *store, uint8_t *bytes, size_t len,
                                                const uint8_t *index, size_t index_len,
                                                bool *index_ok, wb_error *err);
/* False once a body a vouched module did not check at load failed its late
 * check (whatever vouched for the module was wrong: drop it). */
bool wb_module_vouch_held(const wb_module *module);
/* Makes a large block just allocated and about to be written whole
 * resident at once instead of by a page fault per page (vm/prefault.c); for
 * a buffer a large module file is read into, before the read. Advice
 * only: harmless where the kernel refuses it. */
void wb_prefault(void *p, size_t len);
/* A zeroed block of len bytes for what is written whole at once (one entry
 * per function): from 1 MB on, a mapping of its own in whole 2 MiB pages,
 * resident (vm/prefault.c says why); smaller, calloc. NULL when out of
 * memory. Freed only by wb_free_resident with the same len. */
void *wb_alloc_resident(size_t len);
void wb_free_resident(void *p, size_t len);
/* Decode and validate only, no store needed. */
bool wb_module_validate(const uint8_t *bytes, size_t len, wb_error *err);
/* ... under a feature profile (wb_module_validate: WB_FEATURES_3_0). */
bool wb_module_validate_features(const uint8_t *bytes, size_t len, wb_features features, wb_error *err);
/* Translates now every function not yet translated (a run translates each
 * on its first call). Thread-safe. False (err filled) only when out of
 * memory. For listings, fuzzers and callers that want no work later. */
bool wb_module_translate_all(wb_module *module, wb_error *err);

/* ---- translated code as bytes (a translation cache's payload) ---- */

#define WB_VERSION "0.1.0"
/* What translated code depends on besides the module and the translation:
 * the engine's version, the code format, a hash of the opcode tables.
 * Bytes saved by one engine are for engines with the same identity. */
#define WB_CODE_FORMAT_ID_MAX 128
void wb_code_format_id(char out[WB_CODE_FORMAT_ID_MAX]);
/* The functions translated so far, position-independent (vm/code_serial.c);
 * *out from malloc. False when out of memory. */
bool wb_module_code_save(const wb_module *module, uint8_t **out, size_t *len, uint32_t *nsaved);
/* Reads bytes from wb_module_code_save of the same module and translation
 * back, as untrusted bytes: all checked (sizes, headers against the module,
 * the code by the verifier's rules) before any is used; the functions not
 * yet translated take that code. False (err says why) and nothing used when
 * any check fails. Thread-safe. */
bool wb_module_code_load(wb_module *module, const uint8_t *bytes, size_t len, uint32_t *nloaded,
                         wb_error *err);
/* Functions translated so far. */
uint32_t wb_module_translated_count(const wb_module *module);

/* A readable listing of the translated code of function func_index (in the
 * function index space; UINT32_MAX: every defined function), one line a
 * call of print: each instruction's cell number, name, operands and one-line
 * synopsis (vm/disasm.c). For reading and debugging the translator; the
 * format may change. False when func_index names no defined function. */
typedef void (*wb_print_fn)(void *user, const char *text);
bool wb_module_disasm(const wb_module *module, uint32_t func_index, wb_print_fn print, void *user);

typedef enum wb_extern_kind {
    WB_EXTERN_FUNC = 0,
    WB_EXTERN_TABLE = 1,
    WB_EXTERN_MEMORY = 2,
    WB_EXTERN_GLOBAL = 3,
    WB_EXTERN_TAG = 4,   /* exception handling: a tag, typed by its params (func) */
} wb_extern_kind;

typedef struct wb_functype {
    uint32_t nparams, nresults;
    const wb_type *params, *results;
} wb_functype;

typedef struct wb_limits_range {
    uint64_t min, max;
    bool has_max;
} wb_limits_range;

/* Describes an import or export of a module. Strings are owned by the module. */
typedef struct wb_extern_desc {
    const char *module; /* imports only */
    const char *name;
    size_t module_len, name_len; /* names may hold NUL bytes */
    wb_extern_kind kind;
    wb_functype func;            /* WB_EXTERN_FUNC; WB_EXTERN_TAG (its params, no results) */
    wb_type ref_type;            /* WB_EXTERN_TABLE element type */
    wb_limits_range limits;      /* WB_EXTERN_TABLE, WB_EXTERN_MEMORY */
    bool is64;                   /* WB_EXTERN_TABLE, WB_EXTERN_MEMORY: i64 addresses
                                  * (memory64; a table's: table64) */
    wb_type global_type;         /* WB_EXTERN_GLOBAL */
    bool global_mutable;
} wb_extern_desc;

/* True when memory idx (imports first) exists and is 64-bit (memory64). */
bool wb_module_memory_is64(const wb_module *module, uint32_t idx);
uint32_t wb_module_import_count(const wb_module *module);
void wb_module_import(const wb_module *module, uint32_t i, wb_extern_desc *out);
uint32_t wb_module_export_count(const wb_module *module);
void wb_module_export(const wb_module *module, uint32_t i, wb_extern_desc *out);

/* ---- external values ---- */

typedef struct wb_extern {
    wb_extern_kind kind;
    union {
        wb_func *func;
        wb_table *table;
        wb_memory *memory;
        wb_global *global;
        wb_tag *tag;
    } of;
} wb_extern;

/* ---- instances ---- */

/* imports[i] satisfies the module's i-th import. On failure returns NULL and
 * err says why (WB_ERR_LINK for a mismatch, WB_ERR_TRAP when a segment or the
 * start function trapped: effects made before the trap stay, as the spec says). */
wb_instance *wb_instantiate(wb_store *store, wb_module *module, const wb_extern *imports,
                            uint32_t nimports, wb_error *err);
/* Looks an export up by name (len bytes). */
bool wb_instance_export(const wb_instance *inst, const char *name, size_t len, wb_extern *out);
const wb_module *wb_instance_module(const wb_instance *inst);

/* ---- functions ---- */

/* A host function. args has the function's parameters, results has room for
 * its results (fill every one). Return 0, or the value of wb_call_trap /
 * wb_call_exit to stop the run. */
typedef int (*wb_host_fn)(wb_call *call, void *user, const wb_value *args, wb_value *results);

wb_func *wb_func_new_host(wb_store *store, const wb_functype *type, wb_host_fn fn, void *user);
void wb_func_type(const wb_func *func, wb_functype *out);

/* Calls a function. nargs/nresults must match its type (else WB_BAD_CALL). */
wb_status wb_func_call(wb_store *store, wb_func *func, const wb_value *args, uint32_t nargs,
                       wb_value *results, uint32_t nresults);

/* Inside a host function: */
wb_store *wb_call_store(wb_call *call);
/* Memory 0 of the instance whose code made the call, or NULL. */
wb_memory *wb_call_memory(wb_call *call);
/* This call's number among the host calls of its store (1, 2, ...): two
 * calls with consecutive numbers had only the guest's own code between
 * them, nothing that could have told it about the world outside. */
uint64_t wb_call_sequence(const wb_call *call);
/* Trap with a message of the host's (copied); return its result from the host fn. */
int wb_call_trap(wb_call *call, const char *message);
/* End the whole run with an exit code; return its result from the host fn. */
int wb_call_exit(wb_call *call, int code);

/* ---- exceptions (vm/README.md "Exception handling") ---- */

/* A new tag whose exceptions carry values of type->params (type->nresults
 * must be 0); NULL when not. Distinct from every other tag. */
wb_tag *wb_tag_new(wb_store *store, const wb_functype *type);
/* Inside a host function: throw an exception of `tag` carrying args (one
 * per param, of its types) to the wasm code that called; return its result
 * from the host fn. A bad tag or args traps instead. */
int wb_call_throw(wb_call *call, wb_tag *tag, const wb_value *args);
/* After a call ended with WB_EXCEPTION: the exception's tag and its values
 * (up to max of them into args; *nargs gets how many it has). False when
 * the last call did not end so. */
bool wb_store_exception(const wb_store *store, wb_tag **tag, wb_value *args, uint32_t max,
                        uint32_t *nargs);
/* A tag's name for messages: `"NAME"` of an export of the module that
 * defined it, else `index N` in that module, else `(host)`. */
void wb_tag_describe(const wb_tag *tag, char *buf, size_t len);

/* ---- memories ---- */

/* max_pages UINT64_MAX = no maximum. NULL when min is over the store's cap. */
wb_memory *wb_memory_new(wb_store *store, uint64_t min_pages, uint64_t max_pages);
/* The data pointer changes when memory grows: fetch it again after any call. */
uint8_t *wb_memory_data(wb_memory *mem);
uint64_t wb_memory_size(const wb_memory *mem); /* bytes */
/* Old size in pages, or -1 when refused (module maximum or store cap). */
int64_t wb_memory_grow(wb_memory *mem, uint64_t delta_pages);
/* Bounds-checked copies; false (and nothing copied) when out of bounds. */
bool wb_memory_read(const wb_memory *mem, uint64_t offset, void *buf, size_t len);
bool wb_memory_write(wb_memory *mem, uint64_t offset, const void *buf, size_t len);

/* ---- tables ---- */

wb_table *wb_table_new(wb_store *store, wb_type elem_type, uint32_t min, uint32_t max,
                       bool has_max, wb_value init);
/* A 64-bit table (table64: i64 indices); max UINT64_MAX = no maximum.
 * Any table holds at most 10,000,000 elements (NULL when min is over). */
wb_table *wb_table_new64(wb_store *store, wb_type elem_type, uint64_t min, uint64_t max,
                         wb_value init);
bool wb_table_is64(const wb_table *table);
uint32_t wb_table_size(const wb_table *table);
bool wb_table_get(const wb_table *table, uint32_t index, wb_value *out);
bool wb_table_set(wb_table *table, uint32_t index, wb_value value);

/* ---- globals ---- */

wb_global *wb_global_new(wb_store *store, wb_type type, bool mutable_, wb_value value);
wb_value wb_global_get(const wb_global *global);
bool wb_global_set(wb_global *global, wb_value value); /* false if immutable or wrong type */

#endif
