/* Reading wast2json output safely.
 *
 * The JSON comes from a converter, but the runner still checks every field
 * before use: a missing or mistyped field becomes a failed command, never a
 * crash. Names are byte strings: the spec tests use names with NUL bytes
 * (names.wast), which cJSON's C strings cannot carry, so spec_json_parse
 * swaps each "\u0000" escape for a code point the file does not otherwise use
 * and spec_json_name swaps it back.
 */
#ifndef WASMBOX_SPEC_JSON_H
#define WASMBOX_SPEC_JSON_H

#include <cjson/cJSON.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct spec_json {
    cJSON *root;
    bool has_nul_stand_in;
    uint8_t nul_stand_in[4]; /* UTF-8 of the code point that stands for NUL */
} spec_json;

/* A name as bytes; data is NUL-terminated for printing but may hold NULs. */
typedef struct spec_name {
    char *data;
    size_t len;
} spec_name;

/* Reads a whole file of at most max_len bytes. NULL (and why) on error. */
uint8_t *spec_read_file(const char *path, size_t max_len, size_t *len, char *why, size_t why_len);

/* Parses JSON text of len bytes. false (and why) on error. */
bool spec_json_parse(spec_json *json, const char *text, size_t len, char *why, size_t why_len);
void spec_json_free(spec_json *json);

/* The string member key of obj, or NULL when absent or not a string. */
const char *spec_json_str(const cJSON *obj, const char *key);
/* The integer member key of obj in [0, INT32_MAX], or -1. */
long spec_json_line(const cJSON *obj);

/* Decodes a string item into bytes (NULs restored). false when item is not a
 * string or memory runs out. Free with spec_name_free. */
bool spec_json_name(const spec_json *json, const cJSON *item, spec_name *out);
void spec_name_free(spec_name *name);
bool spec_name_eq(const spec_name *a, const char *data, size_t len);
/* Writes name into buf with control and non-ASCII bytes as \xx escapes. */
void spec_name_format(const char *data, size_t len, char *buf, size_t buf_len);

#endif
