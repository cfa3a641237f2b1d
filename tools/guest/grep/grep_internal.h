/* Shared between the parts of the grep core. */
#ifndef WB_GREP_INTERNAL_H
#define WB_GREP_INTERNAL_H

#include "../regex/regex.h"
#include "grep.h"
#include "ignore.h"

typedef struct grep_state {
    const grep_opts *o;
    const grep_sink *out, *err;
    grep_result *res;
    rx_prog *prog;
    int show_names;
    size_t out_lines; /* written so far, for head_limit */
    int stop;         /* nothing more to do: head_limit reached, or quiet and found */
    ignore_stack ign;
    /* Directories being walked (device, inode), for -R's loop check. */
    struct { unsigned long long dev, ino; } *dirs;
    size_t ndirs, dirs_cap;
    char *fbuf; /* the file being searched: one buffer for all, grown as needed */
    size_t fbuf_cap;
} grep_state;

/* grep_search.c: searches one file's bytes; name is how it is printed.
 * Returns the number of selected lines (matches in multiline mode). */
size_t grep_buffer(grep_state *g, const char *name, const char *buf, size_t len, int binary);
/* Writes s to the output as whole lines, counting them against head_limit. */
void grep_emit_line(grep_state *g, const char *s, size_t n);

/* grep_filter.c */
/* The globs of type name ("c", "py", ...), or NULL if unknown. */
const char *grep_type_globs(const char *name);
/* Whether a file (is_dir 0) or directory at path (relative to the search
 * root) with base name `name` passes the glob and type filters. */
int grep_filter_pass(const grep_opts *o, const char *relpath, const char *name, int is_dir);
/* Builds the regex for the options (alternatives, -F, -w, -x) and compiles it. */
rx_prog *grep_compile(const grep_opts *o, rx_error *err);

#endif
