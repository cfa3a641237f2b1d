/* The glob tool's parts (tools/README.md "glob"). */
#ifndef GLOB_H
#define GLOB_H

#include "../lib/wbtool.h"

#define GLOB_MAX_PATTERN 4096     /* bytes */
#define GLOB_MAX_EXPANSIONS 256   /* patterns one {a,b} pattern may become */
#define GLOB_MAX_SEGMENTS 64      /* '/'-separated parts of a pattern, and depth of the walk */
#define GLOB_MAX_RESULTS 100      /* paths shown; the rest are counted */
#define GLOB_MAX_ENTRIES 200000   /* directory entries looked at before the walk stops */

/* {a,b} expansion (nested, with \ escapes; a brace without a comma at its
 * level, or without its closing brace, is literal). Returns the count of
 * malloc'd patterns in *out, or -1 when there would be more than
 * GLOB_MAX_EXPANSIONS (or memory ran out). */
int glob_expand_braces(const char *pattern, char ***out);
void glob_free_list(char **list, int n);

/* One path segment against one pattern segment: '*' any run of characters,
 * '?' one character (a UTF-8 sequence counts as one), "[...]" a set
 * ("[a-z]", "[!x]" or "[^x]" negated, ']' first is literal), '\' quotes
 * the next character. A name starting with '.' is matched only by a
 * segment starting with a literal '.' (the shell's rule). */
bool glob_match_segment(const char *pat, const char *name);
/* Whether a segment has wildcards (so it is not a literal directory name). */
bool glob_is_literal(const char *seg);

/* A pattern split into segments, "**" among them meaning any number of
 * directories (none starting with '.'). */
typedef struct {
    char *segs[GLOB_MAX_SEGMENTS];
    size_t n;
} glob_segments;
/* Path segments name[0..depth) of an entry: does the pattern match it whole
 * (full), or could it match something below it (a directory worth
 * entering)? */
bool glob_match_path(const glob_segments *p, const char *const *names, size_t depth, bool full);

#endif
