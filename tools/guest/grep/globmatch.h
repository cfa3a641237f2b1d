/* Glob matching for .gitignore rules and grep's glob/type filters. */
#ifndef WB_GREP_GLOBMATCH_H
#define WB_GREP_GLOBMATCH_H

#include <stddef.h>

/* Whether path (no leading or trailing /) matches the glob pat:
 *   *      any run of characters other than /
 *   ?      one character other than /
 *   [...]  one character from a set: ranges a-z, negation [!...] or [^...]
 *   **     as a whole path component: any number of components
 *          (at the start, the end, or between two slashes)
 *   {a,b}  alternatives (several groups multiply; at most 256 are tried)
 *   \c     the character c
 * Matching is byte-wise (UTF-8 in, UTF-8 out) and takes time polynomial in
 * the lengths: no exponential backtracking whatever the pattern. Paths of
 * more than 128 components never match. */
int glob_match(const char *pat, size_t plen, const char *path, size_t len);

/* Whether every brace alternative of pat can be tried (at most 256 groups
 * to expand, none past 1 KiB once expanded): beyond that glob_match gives
 * up on the rest, so a caller refuses such a glob rather than let it match
 * less than it says. */
int glob_within_limits(const char *pat, size_t plen);

#endif
