/* wbtool.h: the library every wasmbox guest tool is written with (README.md
 * next to this file: the contract, how to write a tool, the limits).
 *
 * A tool reads one JSON object on stdin and prints one JSON result on stdout:
 *     {"content":[{"type":"text","text":"..."}],"is_error":false}
 * The shape of a tool's main:
 *
 *     wt_tool t;
 *     if (wt_tool_begin(&t)) {                    // stdin read and parsed
 *         char *path = wt_arg_path(&t, "file_path", true);
 *         if (wt_args_end(&t))                    // types checked, no unknown field
 *             ... wt_text(&t, ...) or wt_fail(&t, ...) ...
 *         free(path);
 *     }
 *     return wt_tool_end(&t);                      // prints the result, exit code
 *
 * Everything here compiles for the host too (the unit tests run it under
 * ASan), except what needs WASI itself (the preopen list, guarded by
 * __wasi__). Nothing in it aborts: allocation failures are sticky flags that
 * end in an error result or a non-zero exit. */
#ifndef WBTOOL_H
#define WBTOOL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits (README.md "Limits"). */
#define WT_MAX_INPUT (16u << 20)   /* bytes of JSON a tool reads from stdin */
#define WT_JSON_MAX_DEPTH 64       /* nesting of arrays and objects */
#define WT_MAX_ARGS 32             /* distinct top-level fields a tool reads */
#define WT_MAX_PATH 4096           /* bytes of a path argument (Linux's PATH_MAX) */

/* ---- growable byte buffer ---------------------------------------------
 * data is always NUL-terminated (when not NULL); failed is sticky: after an
 * allocation failure every add is refused and returns false. */
typedef struct {
    char *data;
    size_t len, cap;
    bool failed;
} wt_buf;

bool wt_buf_add(wt_buf *b, const void *p, size_t n);
bool wt_buf_addc(wt_buf *b, char c);
bool wt_buf_adds(wt_buf *b, const char *s);
bool wt_buf_printf(wt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool wt_buf_vprintf(wt_buf *b, const char *fmt, va_list ap);
bool wt_buf_reserve(wt_buf *b, size_t extra);
void wt_buf_free(wt_buf *b);

/* ---- UTF-8 --------------------------------------------------------------
 * wt_utf8_seq: the length (1-4) of the valid UTF-8 sequence at s (at most n
 * bytes available) and its code point; 0 when it is not valid: overlong
 * forms, surrogates (U+D800-DFFF), code points past U+10FFFF, stray
 * continuation bytes and truncated sequences are all invalid. */
size_t wt_utf8_seq(const unsigned char *s, size_t n, uint32_t *cp);
bool wt_utf8_valid(const char *s, size_t n);
/* Appends cp (at most U+10FFFF, not a surrogate) encoded as UTF-8. */
bool wt_utf8_add(wt_buf *b, uint32_t cp);

/* ---- JSON reader ----------------------------------------------------------
 * Strict RFC 8259: one value (any type) with optional whitespace around it;
 * no comments, trailing commas, single quotes, NaN/Infinity, leading zeros,
 * control characters in strings, invalid UTF-8, lone \u surrogates, or
 * duplicate keys in an object (a validator and the tool could otherwise
 * read different values of the same field). Nesting deeper than
 * WT_JSON_MAX_DEPTH is refused. Errors read "byte N: what is wrong". */
typedef enum {
    WT_JSON_NULL,
    WT_JSON_BOOL,
    WT_JSON_NUMBER,
    WT_JSON_STRING,
    WT_JSON_ARRAY,
    WT_JSON_OBJECT
} wt_json_type;

typedef struct wt_json wt_json;
typedef struct wt_json_member wt_json_member;
struct wt_json {
    wt_json_type type;
    bool boolean;
    double number;       /* every number, as strtod reads it */
    bool is_integer;     /* written without fraction or exponent and fits int64 */
    int64_t integer;     /* exact value when is_integer */
    const char *string;  /* strings: UTF-8, NUL-terminated; may hold \0 (\u0000) */
    size_t length;       /* bytes in string */
    wt_json *items;      /* arrays: count items */
    wt_json_member *members; /* objects: count members, in input order */
    size_t count;
};
struct wt_json_member {
    const char *key; /* NUL-terminated; may hold \0 */
    size_t key_length;
    wt_json value;
};

typedef struct wt_arena_block wt_arena_block;
typedef struct {
    wt_json root;
    wt_arena_block *arena; /* every string and array of the tree */
} wt_json_doc;

/* Parses text[0..n) into doc. On failure returns false, doc holds nothing to
 * free, and err holds "byte N: reason". */
bool wt_json_parse(wt_json_doc *doc, const char *text, size_t n, char *err, size_t errsz);
void wt_json_doc_free(wt_json_doc *doc);
/* The member named key (exact bytes, no NUL inside) of an object, or NULL. */
const wt_json *wt_json_get(const wt_json *object, const char *key);
/* "a string", "an object", ... for messages. */
const char *wt_json_type_name(wt_json_type t);

/* ---- JSON writer ------------------------------------------------------------
 * Strings are written quoted, with '"', '\\' and every control character
 * escaped (\n \t \r \b \f, others \u00XX), DEL too, and invalid UTF-8
 * **replaced** by U+FFFD (one per bad byte): output is always valid JSON in
 * valid UTF-8, whatever bytes a file held. Valid UTF-8 is passed through. */
bool wt_json_add_string(wt_buf *b, const char *s, size_t n);
/* The same without the quotes: the body of a JSON string, for text made in
 * pieces (wt_text_json). */
bool wt_json_add_escaped(wt_buf *b, const char *s, size_t n);
/* How many bytes from p on the writer copies as they are (printable ASCII
 * but '"' and '\\'), found 8 bytes a step: the byte after them (if any)
 * needs an escape, is a control byte, DEL, or begins UTF-8. */
size_t wt_json_plain_run(const unsigned char *p, size_t n);
/* Writes a parsed value back as compact JSON (numbers: integers exactly,
 * others with 17 significant digits). */
bool wt_json_add_value(wt_buf *b, const wt_json *v);

/* ---- base64 (RFC 4648, standard alphabet, with padding) ------------------ */
bool wt_base64_encode(wt_buf *out, const void *data, size_t n);
/* Strict: length a multiple of 4, padding only at the end, no whitespace,
 * unused bits zero. False (out unchanged apart from its length) otherwise. */
bool wt_base64_decode(wt_buf *out, const char *s, size_t n);

/* ---- paths (lexical: no file system access) -------------------------------
 * Guest paths are '/'-separated byte strings. Normalizing drops empty and
 * "." components and resolves ".." against the component before it (".."
 * at the root stays at the root), as agent runtimes' path.resolve does. */
bool wt_path_normalize(wt_buf *out, const char *abs_path);
/* rel made absolute against base (itself absolute), normalized; rel that is
 * absolute is only normalized. */
bool wt_path_join(wt_buf *out, const char *base, const char *rel);
/* A mapped (preopened) directory: its guest path, normalized, and its fd. */
typedef struct {
    int fd;
    const char *path;
} wt_preopen;
/* The directory of list that holds abs_path (normalized), the deepest one
 * when maps nest; *rel is set to the rest of the path ("." for the directory
 * itself). NULL when no directory holds it. */
const wt_preopen *wt_path_locate(const wt_preopen *list, size_t n, const char *abs_path,
                                 const char **rel);
/* The guest's mapped directories, read once (fd_prestat_get from fd 3 up).
 * On the host (unit tests) the list is one directory, "/". */
size_t wt_preopens(const wt_preopen **list);
/* The working directory: $PWD when it is an absolute path, else "/". The
 * bridge sets PWD to the workspace, so relative paths resolve there;
 * wt_tool_begin also chdir()s there so that libc agrees. */
const char *wt_cwd(void);
/* The mapped directories as "A, B, C" for messages (into out). */
bool wt_preopens_text(wt_buf *out);

/* ---- files ----------------------------------------------------------------
 * Return 0 or an errno value. */
/* Reads the whole file into out (replacing its contents); EFBIG when it is
 * larger than max bytes (out then holds nothing). */
int wt_read_file(const char *path, size_t max, wt_buf *out);
/* Creates or truncates path and writes data; *created says which. Writes in
 * place (the file keeps its inode and mode: WASI cannot set modes, so a
 * temporary file renamed over it would lose an executable bit). */
int wt_write_file(const char *path, const void *data, size_t n, bool *created);
/* mkdir -p of an absolute, normalized path; ENOTDIR when a component is a
 * file. Creates nothing above the mapped directory that holds it. */
int wt_mkdirs(const char *abs_dir);
/* What errno e means for a tool's user, in words a model can act on. */
const char *wt_errno_text(int e);

/* ---- the tool: input, arguments, result ----------------------------------- */
typedef struct {
    wt_json_doc doc;
    bool have_doc;
    wt_buf arg_errors;          /* one line per wrong argument */
    const char *seen[WT_MAX_ARGS];
    size_t nseen;
    wt_buf items;               /* content items, comma-separated */
    wt_buf structured;          /* structuredContent's members, comma-separated */
    bool is_error;
    bool oom;
} wt_tool;

/* Reads stdin (at most WT_MAX_INPUT bytes), parses it and checks that it is
 * an object; chdir()s to wt_cwd(). False when the input is unusable (the
 * error result is set; go straight to wt_tool_end). */
bool wt_tool_begin(wt_tool *t);
/* Accessors: the field's value, or the default when absent and optional.
 * A wrong type, a missing required field or a value out of range records an
 * error naming the field ("file_path: expected a string, got a number") and
 * returns NULL / false. Each name may be asked for once per call. */
const char *wt_arg_string(wt_tool *t, const char *name, bool required, size_t *len);
bool wt_arg_int(wt_tool *t, const char *name, bool required, int64_t min, int64_t max,
                int64_t *value);
bool wt_arg_bool(wt_tool *t, const char *name, bool required, bool *value);
/* A path argument: a string, non-empty, no NUL, at most WT_MAX_PATH bytes,
 * made absolute against wt_cwd() and normalized, inside a mapped directory.
 * Returns a malloc'd path (free it) or NULL with the error recorded
 * ("file_path: /etc/passwd is outside the workspace (mapped directories:
 * /ws)"). Absent and optional: NULL, no error. */
char *wt_arg_path(wt_tool *t, const char *name, bool required);
/* After the accessors: false when any argument was wrong or the input has
 * a field no accessor asked for (the error result is set). */
bool wt_args_end(wt_tool *t);

/* Result: content items in order. wt_fail replaces everything added so far
 * with one text item and sets is_error. */
void wt_text(wt_tool *t, const char *s, size_t n);
/* A text item whose text is given already escaped (n bytes: the body of a
 * JSON string, as wt_json_add_escaped writes it, never quotes around it). */
void wt_text_json(wt_tool *t, const char *escaped, size_t n);
void wt_textf(wt_tool *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void wt_image(wt_tool *t, const void *data, size_t n, const char *mime);
void wt_fail(wt_tool *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool wt_failed(const wt_tool *t);
/* structuredContent (MCP's typed result beside the content items): each call
 * adds one member, written after the content as "structuredContent":{...}.
 * wt_struct_string escapes as wt_json_add_string does; wt_struct_int an
 * integer. wt_fail drops them with the content. */
void wt_struct_string(wt_tool *t, const char *key, const char *s, size_t n);
void wt_struct_int(wt_tool *t, const char *key, int64_t v);
/* Marks the result is_error while keeping its content (a tool that ran but
 * was stopped, whose partial result is still worth reading). */
void wt_set_error(wt_tool *t);
/* Prints the result object and a newline on stdout, frees everything, and
 * returns the exit code: 0 when a result was printed (is_error or not), 1
 * when it could not be (out of memory, stdout closed). */
int wt_tool_end(wt_tool *t);

#endif
