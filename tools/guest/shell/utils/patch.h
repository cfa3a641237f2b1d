/* patch.h: the parts of the patch utility (patch.c: options, which file,
 * GNU's messages, writing; patch_parse.c: reading unified diffs;
 * patch_apply.c: finding where each hunk goes). Only patch uses them. */
#ifndef SH_UTILS_PATCH_H
#define SH_UTILS_PATCH_H

#include "../shell.h"

/* One line of a hunk: ' ' context, '-' old only, '+' new only. */
typedef struct {
    char kind;
    const char *text;  /* into the patch's bytes, without the newline */
    size_t len;
    bool nl;           /* false after "\ No newline at end of file" */
} pt_line;

typedef struct {
    int64_t old_start, old_len, new_start, new_len;
    pt_line *lines;
    size_t nlines;
    const char *func;             /* what follows "@@" on its header (a function's name) */
    size_t func_len;
} pt_hunk;

/* The patch of one file: its header and hunks. */
typedef struct {
    char *old_name, *new_name;    /* as written (unquoted), NULL for /dev/null */
    bool old_absent, new_absent;  /* /dev/null or the epoch as the time: created, deleted */
    char *old_rest, *new_rest;    /* what follows the names (times), for .rej headers */
    size_t lead_first;            /* where the text before its first hunk starts */
    size_t hdr_first, hdr_end;    /* its "--- "/"+++ " lines */
    size_t hunk_lineno;           /* line number of its first "@@" */
    pt_hunk *hunks;
    size_t nhunks;
} pt_file;

typedef struct {
    const char *data;
    size_t len, pos;
    size_t lineno;     /* of the line at pos, from 1 */
    bool seen_any;     /* a file's patch was found */
    bool garbage;      /* text that is no patch was skipped */
} pt_reader;

/* The next file's patch: 1 found, 0 no more, -1 malformed (*err says
 * "malformed patch at line N: TEXT" or the like, to be freed). */
int pt_next(pt_reader *r, pt_file *f, char **err);
void pt_file_free(pt_file *f);

/* Swaps old and new in one hunk; in a file's names and in its hunks from
 * `from` on (-R, or a patch found to be reversed). */
void pt_reverse_hunk(pt_hunk *h);
void pt_reverse(pt_file *f, size_t from);

/* A file's lines, as patch works on them. */
typedef struct {
    const char *text;
    size_t len;
    bool nl;
} pt_text;

typedef struct {
    bool ignore_space;   /* -l: runs of blanks match any runs */
} pt_match_opts;

/* Where hunk h goes in in[0..n), at most `fuzz` context lines left out at
 * each end, no earlier than `frozen` (lines the previous hunks used), given
 * the offset of the hunks before (*offset, updated): the 0-based line, or
 * -1. GNU patch's search: the expected place, then one line after, one
 * before, two after...; a hunk with less context at its start (end) than
 * at its other end must be at the file's start (end). */
int64_t pt_locate(const pt_hunk *h, const pt_text *in, size_t n, size_t frozen, int64_t fuzz, int64_t *offset,
                  const pt_match_opts *o);

/* The larger of the hunk's leading and trailing context (fuzz is at most
 * this). */
int64_t pt_context(const pt_hunk *h);

#endif
