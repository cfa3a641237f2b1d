/* The module reader's state, shared by module.c (fields, sections) and
 * instr.c (instructions, constant expressions). Internal to wat/.
 */
#ifndef WASMBOX_WAT_MODULE_H
#define WASMBOX_WAT_MODULE_H

#include "wat_internal.h"

/* Index spaces that names resolve in. */
enum {
    SPACE_TYPE,
    SPACE_FUNC,
    SPACE_TABLE,
    SPACE_MEM,
    SPACE_GLOBAL,
    SPACE_TAG, /* exception tags: an export kind 4 = SPACE_TAG - SPACE_FUNC like the others */
    SPACE_ELEM,
    SPACE_DATA,
    SPACE_COUNT
};

/* One instruction of the opcode table, as the reader needs it. */
typedef struct wat_op {
    const char *name;
    uint32_t code;  /* byte, 0xFC00 | sub-opcode, or 0xFD0000 | sub-opcode (SIMD) */
    uint8_t imm;    /* wb_imm */
    uint8_t align;  /* natural alignment (log2) of loads and stores */
} wat_op;

#define WAT_OP_HASH 1024

/* A value type as its binary encoding: one byte (i32 ... v128, and a
 * nullable reference to an abstract heap type, funcref 0x70 ...), or 0x63
 * (ref null) / 0x64 (ref) then the heap type: an abstract type's byte or a
 * type index as s33 (at most 5 bytes). */
typedef struct wat_vt {
    uint8_t len;
    uint8_t b[7];
} wat_vt;

/* A defined type: for a function type its params and results (their
 * encodings, one after the other); struct and array types (GC) are kept as
 * bytes in the type section only. */
typedef struct wat_functype {
    uint8_t *types; /* the params' encodings, then the results', owned by the parser */
    uint32_t nparams, nresults;
    uint32_t params_len, len; /* bytes of the params, of all */
    bool is_func;             /* false: a struct or array type */
    bool plain;               /* final, no supertype, alone in its rec group: what an inline type use means */
    wat_names fields;         /* a struct type's field names (struct.get $t $f) */
} wat_functype;

typedef struct wat_module {
    wat_parser *p;
    wat_names names[SPACE_COUNT];
    wat_functype *types; /* explicit types, then implicit ones in order of appearance */
    uint32_t ntypes, types_cap;
    uint32_t nexplicit;     /* types defined by (type ...) and (rec ...) fields */
    wat_buf sec_type;       /* their entries (a rec group is one), encoded */
    uint32_t ntype_entries;
    size_t *type_at;        /* pass 1: where each (type ...) / (rec ...) field starts */
    uint32_t ntype_at, type_at_cap;
    bool imports_done;   /* a definition of a function, table, memory or global was seen */

    /* Where each space stands during the encoding pass. */
    uint32_t next[SPACE_COUNT];

    wat_buf sec_import, sec_func, sec_table, sec_mem, sec_tag, sec_global, sec_export, sec_elem, sec_code, sec_data;
    uint32_t nimports, nfuncs, ntables, nmems, ntags, nglobals, nexports, nelems, ndatas;
    bool has_start;
    uint32_t start;
    bool uses_data_count; /* memory.init or data.drop: the binary needs a data count section */
    /* One byte per memory, in index order (pass 1): 1 when its address type
     * is i64 (memory64), so that memargs read 64-bit offsets for it only. */
    wat_buf mem64;

    /* The function being read: its locals and the labels in scope. */
    wat_names locals;
    wat_names labels;
    wat_buf scratch; /* for moving a folded instruction after its operands */

    uint16_t op_hash[WAT_OP_HASH]; /* index + 1 into wat_ops */
} wat_module;

extern const wat_op wat_ops[];
extern const size_t wat_op_count;

/* Builds the name lookup of the opcode table into m. */
void wat_ops_index(wat_module *m);
const wat_op *wat_op_find(const wat_module *m, const char *s, size_t len);

/* A value type at the cursor (i32 ... v128, the reference type
 * abbreviations, (ref null? heaptype)) into out; false (cursor unmoved)
 * when there is none. */
bool wat_valtype(wat_module *m, wat_vt *out);
/* Whether a value type is a reference type. */
bool wat_vt_is_ref(const wat_vt *vt);
/* A reference type; fails when absent. */
wat_vt wat_reftype(wat_module *m);
/* A heap type (abstract keyword or type index), appended to b as encoded. */
void wat_heaptype(wat_module *m, wat_buf *b);
/* Pass 1 at a (type ...) field after its keyword (rec false) or inside a
 * (rec ...) field: binds the type names it defines. */
void wat_bind_type_names(wat_module *m, bool rec);
/* At the "(" of a (type ...) or (rec ...) field: reads its types (their
 * names all bound) into m->types and m->sec_type. */
void wat_type_entry(wat_module *m);
/* The type section: the explicit entries, then the implicit types. */
void wat_write_types(wat_module *m, wat_buf *out);
/* An index in a space: a number or a $name defined in it. */
uint32_t wat_index(wat_module *m, int space);
/* Whether the cursor is at an index (number or $id). */
bool wat_at_index(wat_module *m);
/* A type use: (type x)? (param ...)* (result ...)*; its type index (an
 * implicit type added when needed). With param_names, the params' names are
 * appended to it (unnamed ones as empty names). */
uint32_t wat_typeuse(wat_module *m, wat_names *param_names);
/* The parts of a type use, unresolved: whether (type x) was given (its
 * index in *idx) and the params and results written (ft). Param names are
 * refused unless param_names is given. */
void wat_typeuse_parts(wat_module *m, wat_names *param_names, bool names_ok, bool *has_type,
                       uint32_t *idx, wat_functype *ft);
/* The first type equal to ft, or a new implicit one at the end. */
uint32_t wat_type_find_or_add(wat_module *m, const wat_functype *ft);

/* Binds name (may be empty) at the next index of a names table; fails on a
 * duplicate (at token t). */
void wat_names_add(wat_module *m, wat_names *n, const wat_token *t, const char *what);
/* The index of name in n, or -1. */
int64_t wat_names_find(const wat_names *n, const char *s, uint32_t len);

/* Whether memory idx has the i64 address type (memory64). */
bool wat_mem_is64(const wat_module *m, uint32_t idx);

/* A memarg (memidx? offset=? align=?) for op: the memory index is read when
 * read_mem (optional then), and written as the binary format says. */
void wat_memarg(wat_module *m, wat_buf *b, const wat_op *op, bool read_mem);
/* The immediates of a 3.0 instruction beyond the plain kinds (exceptions:
 * throw and rethrow, call_ref, br_on_null, the GC's 0xFB family), found by
 * its opcode (instr_ext.c); false when op is none of them. */
bool wat_ext_immediates(wat_module *m, wat_buf *b, const wat_op *op);
/* A label at the cursor ($name of an enclosing block, or a depth). */
uint32_t wat_label_index(wat_module *m);
/* The immediates of a SIMD (0xFD) instruction that the plain kinds do not
 * cover, found by its sub-opcode (simd.c); false when op is none of them. */
bool wat_simd_immediates(wat_module *m, wat_buf *b, const wat_op *op);

/* Instructions up to the ")" or block end that closes them. */
void wat_instrs(wat_module *m, wat_buf *b);
/* A constant expression: instructions, then the end byte. */
void wat_expr(wat_module *m, wat_buf *b);
/* One folded instruction "(...)" as an expression, then the end byte (the
 * abbreviated offset and item forms). */
void wat_folded_expr(wat_module *m, wat_buf *b);

#endif
