/* .gitignore rules: a stack of files, one per directory level of a walk. */
#ifndef WB_GREP_IGNORE_H
#define WB_GREP_IGNORE_H

#include <stddef.h>

typedef struct {
    char *glob;
    size_t len;
    unsigned char negate;   /* !pattern: re-include */
    unsigned char dir_only; /* pattern/: directories only */
    unsigned char anchored; /* had a / before its end: matched against the path, not the name */
    /* The common shapes, decided without the glob matcher (every entry of
     * a walk is tested against every rule): IGNORE_EXACT, the glob has no
     * wildcard (build, /build/); IGNORE_SUFFIX, an unanchored '*' and then
     * no wildcard (*.o): the name ends with glob + 1; IGNORE_GLOB: the rest. */
    unsigned char kind;
} ignore_rule;

enum { IGNORE_GLOB, IGNORE_EXACT, IGNORE_SUFFIX };

typedef struct {
    char *base; /* the directory holding the file ("" for the current one), no trailing / */
    size_t base_len;
    ignore_rule *rules;
    size_t n;
} ignore_file;

typedef struct {
    ignore_file *files;
    size_t n, cap;
} ignore_stack;

/* Parses a .gitignore's text (blank lines and # comments skipped, trailing
 * spaces trimmed unless escaped, \! and \# for literal ! and #) and pushes
 * it with base dir. Returns 1 if pushed, 0 if it had no rules, -1 when out
 * of memory. */
int ignore_push(ignore_stack *st, const char *dir, const char *text, size_t len);
void ignore_pop(ignore_stack *st);
void ignore_free(ignore_stack *st);
/* Whether path (relative like the bases, no leading ./) is ignored: the last
 * matching rule of the deepest file that has one decides; a ! rule un-ignores. */
int ignore_match(const ignore_stack *st, const char *path, int is_dir);
/* The same for a path of path_len bytes whose last name_len bytes are its
 * name (after its last '/'), as a walk knows them: nothing measured again. */
int ignore_match_n(const ignore_stack *st, const char *path, size_t path_len, size_t name_len,
                   int is_dir);

#endif
