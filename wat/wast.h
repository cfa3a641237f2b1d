/* .wast scripts (the spec tests' format) read by wasmbox itself.
 *
 * A script becomes the command list that wabt's wast2json would write
 * (JSON text, same fields and value encodings: numbers as the decimal of
 * their bits), so a runner written for that format runs it unchanged, plus
 * the modules it names held in memory instead of in .wasm files. A text
 * module the reader refuses is kept as "module_type": "text" with the
 * reader's error in "text_error" (for assert_malformed that is the
 * expected outcome); every other module is "module_type": "binary".
 */
#ifndef WASMBOX_WAT_WAST_H
#define WASMBOX_WAT_WAST_H

#include "wat.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct wast_blob {
    char name[32];  /* the command's "filename" */
    uint8_t *bytes; /* the module's binary */
    size_t len;
    bool from_text; /* written by the reader (not a (module binary ...)) */
} wast_blob;

typedef struct wast_script {
    char *json; /* NUL-terminated */
    size_t json_len;
    wast_blob *blobs;
    size_t nblobs;
} wast_script;

/* Reads a whole script. source_name goes to "source_filename". False with
 * err (line and column in the script) when the script itself is malformed. */
bool wast_read(const char *text, size_t len, const char *source_name, wast_script *out, wat_error *err);
/* wast_read with its modules (text and quoted) read under a profile
 * (wast_read: WAT_PROFILE_3_0; wat.h). */
bool wast_read_profile(const char *text, size_t len, const char *source_name, wat_profile profile,
                       wast_script *out, wat_error *err);
void wast_script_free(wast_script *s);
/* The blob of a filename, or NULL. */
const wast_blob *wast_blob_find(const wast_script *s, const char *name);

#endif
