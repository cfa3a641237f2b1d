/* Runs a generated module's function under the optimised and the reference
 * translation, each in a fresh instance with the same initial memory and
 * globals, and compares everything observable. */
#ifndef DIFFTR_EXEC_H
#define DIFFTR_EXEC_H

#include "../../vm/vm.h"
#include "ast.h"

/* One store holding the module loaded under one translation; each run
 * instantiates it afresh. */
typedef struct engine {
    wb_store *store;
    wb_module *module;
    wb_func *mix;
} engine;

/* False (err filled) when the module does not load: with a generated module
 * that is a generator bug, never an engine one. */
bool engine_open(engine *e, const uint8_t *wasm, size_t len, wb_translation mode, wb_error *err);
void engine_close(engine *e);

typedef struct outcome {
    bool ran;                    /* instantiated and called */
    char error[320];             /* when not: why */
    wb_status status;
    char message[160];
    uint64_t fuel;
    uint64_t results[4];         /* result i; a v128's high half at 2 + i */
    uint64_t globals[NGLOBALS];
    const uint8_t *mem[NMEMS];   /* the instance's memories (valid until engine_close) */
    uint64_t mem_size[NMEMS];
    uint32_t table_size[NTABLES]; /* "table", "table64" */
    int32_t table[NTABLES][TABLE_MAX]; /* the first elements: wasm function index, -1 null */
    uint32_t nframes;            /* where a trap happened, innermost first, when the */
    uint32_t frame_func[8];      /* engine says (wb_store_trap_frames): function index */
    uint64_t frame_offset[8];    /* and byte offset of the instruction */
} outcome;

/* Calls generated function fi (export "f<fi>") with args (bits), fuel given. */
void engine_run(engine *e, uint32_t fi, const gfunc *f, const uint64_t *args, uint64_t fuel,
                outcome *o);

enum verdict {
    SAME,
    NAN_ONLY,    /* only NaN payloads differ: both runs made a NaN where they differ */
    DIVERGES,
};

/* Compares two runs of function f; on a difference writes what differs. */
enum verdict compare_outcomes(const gfunc *f, const outcome *a, const outcome *b, char *why,
                              size_t len);

/* Loads wasm under both translations and runs fi with args: the verdict, and
 * both outcomes in *opt / *ref (engines closed before returning, so their
 * memory pointers are cleared). A module that does not load or validate
 * returns DIVERGES with why saying so, unless allow_invalid, which returns
 * SAME for it instead (the reducer's candidates). */
enum verdict run_pair(const uint8_t *wasm, size_t len, uint32_t fi, const gfunc *f,
                      const uint64_t *args, uint64_t fuel, bool allow_invalid, char *why,
                      size_t whylen, outcome *opt, outcome *ref);

#endif
