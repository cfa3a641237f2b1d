/* tool_json.h: the shell tool's temporary JSON reader and writer
 * (tool_json.c says why it is temporary). */
#ifndef SH_TOOL_JSON_H
#define SH_TOOL_JSON_H

#include "shell.h"

/* A top-level field of the input object the tool takes. */
typedef struct {
    const char *name;
    bool present;
    bool is_string;
    char *value;       /* decoded (malloc'd) when a string; may hold NUL */
    size_t len;
    const char *type;  /* "a number", ... when not a string */
} tj_field;

/* Parses text as one JSON object, filling fields; false with the error
 * (invalid JSON with its offset, or one "NAME: unknown field" line per
 * field not in fields) appended to err. */
bool tj_parse_object(const char *text, size_t n, tj_field *fields, size_t nfields, sh_buf *err);
size_t tj_utf8_len(const unsigned char *s, size_t n);

/* Output to stdout, buffered; nothing is allocated. */
void tj_raw(const char *s, size_t n);
void tj_raws(const char *s);
/* A JSON string's contents (escaped, invalid UTF-8 as U+FFFD), quoted or not. */
void tj_string(const char *s, size_t n);
void tj_string_chunk(const char *s, size_t n);
void tj_flush(void);
bool tj_failed(void);

#endif
