/* The engine's implementation limits, in one place. Internal to vm/.
 *
 * A module that is valid by the spec but goes over one of these is refused
 * with WB_ERR_LIMIT, naming the section (or function), the offset and the
 * limit. The values are the ones browsers agreed on in the WebAssembly
 * JS API ("Implementation-defined limits"), so a module that loads in a
 * browser loads here; the two marked "ours" have no JS-API value and bound
 * what the validator and translator keep per open block / per br_table.
 * Without them a hostile module could only be refused by running out of
 * host memory; with them every allocation made for a module is bounded by
 * its size and these numbers. vm/README.md has the same table.
 */
#ifndef WASMBOX_VM_LIMITS_H
#define WASMBOX_VM_LIMITS_H

/* Whole module and its vectors (checked by the decoder, at the count). */
#define WB_MAX_MODULE_BYTES (1u << 30)        /* 1 GiB */
#define WB_MAX_TYPES 1000000u
#define WB_MAX_FUNCS 1000000u                 /* imported + defined */
#define WB_MAX_IMPORTS 100000u
#define WB_MAX_EXPORTS 100000u
#define WB_MAX_GLOBALS 1000000u               /* imported + defined */
#define WB_MAX_TAGS 1000000u                  /* imported + defined (exception handling) */
#define WB_MAX_TABLES 100000u                 /* imported + defined */
#define WB_MAX_MEMORIES 100u                  /* imported + defined (ours; multi-memory) */
#define WB_MAX_ELEM_SEGMENTS 10000000u
#define WB_MAX_ELEM_ITEMS 10000000u           /* entries in one element segment */
#define WB_MAX_DATA_SEGMENTS 100000u

/* Functions. */
#define WB_MAX_PARAMS 1000u                   /* per function type */
#define WB_MAX_RESULTS 1000u                  /* per function type */
#define WB_MAX_BODY_BYTES 7654321u            /* a code entry, local declarations included */
#define WB_MAX_LOCALS 50000u                  /* params + declared locals (validator) */
#define WB_MAX_BR_TABLE_TARGETS 65520u        /* labels of one br_table (V8's value) */
#define WB_MAX_BLOCK_DEPTH 100000u            /* open blocks in a body (ours) */
#define WB_MAX_OPERANDS (1u << 22)            /* operand stack height in a body (ours) */

/* Runtime objects (checked when a table is created or grown). Linear
 * memories are bounded by the spec's 65536 pages (WB_MAX_PAGES, runtime.h);
 * memories and tables together by the store's budget, limits.max_memory. */
#define WB_MAX_TABLE_ELEMS 10000000u          /* elements in one table */
#define WB_TABLE_ELEM_BYTES 8u                /* what one element costs the budget */

#endif
