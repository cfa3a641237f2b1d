/* The WebAssembly text format, read by wasmbox itself: text in, binary
 * module bytes (encoded as the spec's binary format says) or an error with
 * line and column out. The output is only ever handed to the engine's own
 * decoder and validator, which check it like any other bytes.
 */
#ifndef WASMBOX_WAT_WAT_H
#define WASMBOX_WAT_WAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct wat_error {
    uint32_t line, col;   /* 1-based; where the reader stopped */
    char message[256];    /* what was expected, what was found */
} wat_error;

/* Whether bytes look like text rather than a binary module: the first bytes
 * that are not white space are "(" or ";;" (a binary starts "\0asm"). */
bool wat_is_text(const uint8_t *bytes, size_t len);

/* Reads one module, written as `(module ...)` or as its fields alone, and
 * encodes it. True with *out (malloc'd, the caller frees) and *out_len, or
 * false with err filled. Never reads past len; text may hold NULs. */
bool wat_to_wasm(const char *text, size_t len, uint8_t **out, size_t *out_len, wat_error *err);

/* Where the text format of WebAssembly 2.0 and 3.0 differ: 3.0 (the
 * default) reads the sizes of limits and memory offsets as u64 for 32-bit
 * memories and tables too, and leaves the bound to the validator ("memory
 * size", "table size", "offset out of range"); 2.0 refuses 2^32 and more as
 * malformed text ("i32 constant out of range"). The engine's feature
 * profile (vm.h, wb_features) is the binary side of the same choice. */
typedef enum wat_profile {
    WAT_PROFILE_3_0 = 0,
    WAT_PROFILE_2_0 = 1,
} wat_profile;
/* wat_to_wasm under a profile (wat_to_wasm: WAT_PROFILE_3_0). */
bool wat_to_wasm_profile(const char *text, size_t len, wat_profile profile, uint8_t **out, size_t *out_len,
                         wat_error *err);

/* The other way: a binary module as text that wat_to_wasm reads back (to
 * the same bytes for a module it wrote; custom sections become custom
 * annotations, (@custom "NAME" (after SECTION) "BYTES"), read back to the
 * same place). True
 * with *out (malloc'd, NUL-terminated; the caller frees), or false with
 * err ("offset 0x..: ..."; line and col 0). Checks every read, but callers
 * should validate first: an invalid module may print as text that does not
 * read back. */
bool wasm_to_wat(const uint8_t *bytes, size_t len, char **out, size_t *out_len, wat_error *err);

#endif
