/* Shared by the decoder's files (decode*.c, utf8.c, module_util.c); not for
 * the rest of vm/.
 *
 * Reading model, chosen to match the reference interpreter's error reports
 * (the spec tests name its messages): one cursor runs over the whole module;
 * a section is parsed without a fence at its declared end, and only after it
 * do we check that exactly `size` bytes went by ("section size mismatch").
 * Reads can never pass the end of the module, so this is as safe as fencing;
 * it only changes which message a broken module gets.
 */
#ifndef WASMBOX_VM_DECODE_INTERNAL_H
#define WASMBOX_VM_DECODE_INTERNAL_H

#include "limits.h"
#include "module.h"
#include "reader.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* O(1) lookups of the whole index spaces (imports first); see module.h. */
struct wb_index_spaces {
    uint32_t *func_type;            /* per function index: its type index */
    const wb_tabletype **table;     /* per table index */
    const wb_range **memory;        /* per memory index */
    const wb_globaltype **global;   /* per global index */
    uint32_t *tag_type;             /* per tag index: its type index */
};

typedef struct wb_decoder {
    wb_module *m;
    wb_reader r;                    /* over m->bytes, the whole module */
    wb_error *err;
    const char *where;              /* "type section", ... for messages */
    bool in_section;                /* picks the wording of "unexpected end" */
    size_t section_end;             /* where the section being read ends, by its size */
    /* An index of the code section (wb_decode_owned_indexed): per function
     * body, the offset of its entry's size field; NULL to walk the entries.
     * The module takes it (m->code_entry) if it matches the section. */
    uint32_t *index;
    uint32_t nindex;
} wb_decoder;

/* ---- errors (decode_read.c) ---- */

/* Records a malformed-module error at `offset`; always returns false. */
bool wb_dec_fail(wb_decoder *d, size_t offset, const char *reason);
/* Reports the reader's pending error (r.error) at `offset`. */
bool wb_dec_reader_fail(wb_decoder *d, size_t offset);
/* calloc of n * size, checked for overflow; NOMEM error on failure. n may be
 * 0 (returns a unique non-NULL pointer). */
void *wb_dec_alloc(wb_decoder *d, size_t n, size_t size);

/* ---- primitive reads; each reports its own error (decode_read.c) ---- */

bool wb_dec_u8(wb_decoder *d, uint8_t *out);
bool wb_dec_u32(wb_decoder *d, uint32_t *out);
/* A length or vector count: a u32 no larger than the bytes left counting
 * from where it starts ("length out of bounds"), so that what it sizes can
 * never be bigger than the input. */
bool wb_dec_len(wb_decoder *d, uint32_t *out);
/* wb_dec_len for a vector whose entries join `already` others of their index
 * space (the imports of that kind, else 0), the sum being bounded by an
 * implementation limit (limits.h); `what` names the entries for the message. */
bool wb_dec_count(wb_decoder *d, uint32_t *out, uint32_t already, uint64_t limit,
                  const char *what);
/* Records WB_ERR_LIMIT at `offset`: "too many <what>: <n> (implementation
 * limit <limit>)"; always returns false. */
bool wb_dec_over_limit(wb_decoder *d, size_t offset, const char *what, uint64_t n,
                       uint64_t limit);
bool wb_dec_skip(wb_decoder *d, size_t n);
/* A name: length-prefixed UTF-8, copied NUL-terminated (may hold NULs). */
bool wb_dec_name(wb_decoder *d, char **out, size_t *len);
bool wb_dec_valtype(wb_decoder *d, wb_vt *out);
bool wb_dec_reftype(wb_decoder *d, wb_vt *out);
bool wb_dec_limits(wb_decoder *d, wb_range *out);
bool wb_dec_tabletype(wb_decoder *d, wb_tabletype *out);
bool wb_dec_globaltype(wb_decoder *d, wb_globaltype *out);
/* A constant expression: walks instructions to the `end` closing depth 0
 * and records the byte range (contents are the validator's to check). */
bool wb_dec_const_expr(wb_decoder *d, wb_expr *out);
/* decode_limits.c: limits as 3.0 encodes them (the profile's WIDE_LIMITS). */
bool wb_dec_limits_wide(wb_decoder *d, wb_range *out);
/* Walks instructions from the cursor through the `end` that closes depth 0
 * (only the encoding is checked; `else` at depth 0 is "END opcode
 * expected"). */
bool wb_dec_walk_instrs(wb_decoder *d);

/* ---- sections: parse the contents at d->r (decode_sections.c,
 * decode_segments.c, decode_names.c) ---- */

bool wb_dec_type_section(wb_decoder *d);
bool wb_dec_import_section(wb_decoder *d);
bool wb_dec_function_section(wb_decoder *d);
bool wb_dec_table_section(wb_decoder *d);
bool wb_dec_memory_section(wb_decoder *d);
bool wb_dec_global_section(wb_decoder *d);
bool wb_dec_tag_section(wb_decoder *d);
bool wb_dec_tagtype(wb_decoder *d, uint32_t *type_index);
bool wb_dec_export_section(wb_decoder *d);
bool wb_dec_start_section(wb_decoder *d);
bool wb_dec_element_section(wb_decoder *d);
bool wb_dec_datacount_section(wb_decoder *d);
bool wb_dec_code_section(wb_decoder *d);
bool wb_dec_data_section(wb_decoder *d);
/* A custom section of `size` bytes whose size field ended at the cursor. */
bool wb_dec_custom_section(wb_decoder *d, size_t size);

/* After a successful decode: fills m->func_names from the first custom
 * section named "name", if any. Never fails the module: a broken name
 * section is dropped (out of memory too: the names are only cosmetic). */
void wb_dec_name_section(wb_module *m);

/* Builds m->spaces; false (NOMEM reported) when out of memory. */
bool wb_dec_index_spaces(wb_decoder *d);

/* ---- utf8.c ---- */

/* True if s[0..n) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF, no truncated sequence). */
bool wb_utf8_valid(const uint8_t *s, size_t n);

#endif
