/* Globs: brace alternatives are tried one by one; the rest is matched as
 * wildcard matching twice over, path components against pattern components
 * (where ** is the star) and characters against one component's pattern
 * (where * is the star), each with the classic one-backtrack-point greedy
 * algorithm, which is correct for a single kind of star and needs no more
 * than O(n x m) steps. */
#include <string.h>

#include "globmatch.h"

/* One pattern element at p (a char, \c, ?, [..]) against the byte c.
 * Returns the element's length in the pattern, 0 if it does not match. */
static size_t elem_match(const char *p, size_t n, unsigned char c) {
    if (p[0] == '?') return c != '/' ? 1 : 0;
    if (p[0] == '\\' && n > 1) return (unsigned char)p[1] == c ? 2 : 0;
    if (p[0] == '[') {
        size_t i = 1;
        int neg = 0, hit = 0;
        if (i < n && (p[i] == '!' || p[i] == '^')) neg = 1, i++;
        size_t first = i;
        for (; i < n && (p[i] != ']' || i == first); i++) {
            unsigned char lo = (unsigned char)p[i];
            if (lo == '\\' && i + 1 < n) lo = (unsigned char)p[++i];
            unsigned char hi = lo;
            if (i + 2 < n && p[i + 1] == '-' && p[i + 2] != ']') {
                hi = (unsigned char)p[i + 2];
                i += 2;
                if (hi == '\\' && i + 1 < n) hi = (unsigned char)p[++i];
            }
            if (c >= lo && c <= hi) hit = 1;
        }
        if (i >= n) return (unsigned char)'[' == c ? 1 : 0; /* no ]: a literal [ */
        return (hit != neg && c != '/') ? i + 1 : 0;
    }
    return (unsigned char)p[0] == c ? 1 : 0;
}

/* One component: pat[0..pn) against s[0..sn), neither containing '/'. */
static int component_match(const char *pat, size_t pn, const char *s, size_t sn) {
    size_t pi = 0, si = 0, star_p = (size_t)-1, star_s = 0;
    while (si < sn) {
        if (pi < pn && pat[pi] == '*') {
            star_p = ++pi;
            star_s = si;
            continue;
        }
        size_t l = pi < pn ? elem_match(pat + pi, pn - pi, (unsigned char)s[si]) : 0;
        if (l) {
            pi += l, si++;
        } else if (star_p != (size_t)-1) {
            pi = star_p;
            si = ++star_s;
        } else {
            return 0;
        }
    }
    while (pi < pn && pat[pi] == '*') pi++;
    return pi == pn;
}

/* Splits at '/' outside [...]: component k of s is [starts[k], ends[k]). */
#define MAX_COMPONENTS 128 /* deeper paths never match (4 KiB of stack here) */
static size_t split(const char *s, size_t n, size_t *starts, size_t *ends, int glob) {
    size_t k = 0, start = 0;
    int in_class = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && glob) {
            if (s[i] == '\\' && i + 1 < n) {
                i++;
                continue;
            }
            if (s[i] == '[') in_class = 1;
            else if (s[i] == ']') in_class = 0;
        }
        if (i == n || (s[i] == '/' && !in_class)) {
            if (k == MAX_COMPONENTS) return (size_t)-1;
            starts[k] = start, ends[k] = i, k++;
            start = i + 1;
        }
    }
    return k;
}

static int is_globstar(const char *pat, size_t s, size_t e) {
    return e - s == 2 && pat[s] == '*' && pat[s + 1] == '*';
}

static int match_no_braces(const char *pat, size_t pn, const char *path, size_t len) {
    size_t ps[MAX_COMPONENTS + 1], pe[MAX_COMPONENTS + 1], ss[MAX_COMPONENTS], se[MAX_COMPONENTS];
    size_t np = split(pat, pn, ps, pe, 1), ns = split(path, len, ss, se, 0);
    if (np == (size_t)-1 || ns == (size_t)-1) return 0;
    /* A trailing / ** is everything inside, not the directory itself (as
     * git says): it is read as / ** / *, one or more components. */
    static const char star[] = "*";
    int tail_star = np > 1 && is_globstar(pat, ps[np - 1], pe[np - 1]);
    size_t total = np + (size_t)tail_star;
    size_t pi = 0, si = 0, star_p = (size_t)-1, star_s = 0;
#define COMP(i) ((i) == np ? star : pat + ps[i])
#define COMPLEN(i) ((i) == np ? 1 : pe[i] - ps[i])
#define GLOBSTAR(i) ((i) < np && is_globstar(pat, ps[i], pe[i]))
    while (si < ns) {
        if (pi < total && GLOBSTAR(pi)) {
            star_p = ++pi;
            star_s = si;
            continue;
        }
        if (pi < total && component_match(COMP(pi), COMPLEN(pi), path + ss[si], se[si] - ss[si])) {
            pi++, si++;
        } else if (star_p != (size_t)-1) {
            pi = star_p;
            si = ++star_s;
        } else {
            return 0;
        }
    }
    while (pi < total && GLOBSTAR(pi)) pi++;
    return pi == total;
#undef COMP
#undef COMPLEN
#undef GLOBSTAR
}

#define MAX_GLOB 1024
#define MAX_EXPANSIONS 256 /* brace alternatives tried per match, in all */

/* Tries the pattern's brace alternatives on path; path NULL only counts
 * them (every branch is tried, and a limit hit leaves *budget negative). */
static int match_braces(const char *pat, size_t plen, const char *path, size_t len, int *budget) {
    /* The first {...} group (outside [...] and escapes): try each branch. */
    size_t open = (size_t)-1, close = 0;
    int in_class = 0;
    for (size_t i = 0; i < plen; i++) {
        if (pat[i] == '\\') {
            i++;
            continue;
        }
        if (pat[i] == '[') in_class = 1;
        else if (pat[i] == ']') in_class = 0;
        else if (!in_class && pat[i] == '{' && open == (size_t)-1) open = i;
        else if (!in_class && pat[i] == '}' && open != (size_t)-1) {
            close = i;
            break;
        }
    }
    if (open == (size_t)-1 || close == 0) return path && match_no_braces(pat, plen, path, len);
    if (plen >= MAX_GLOB && !path) *budget = -1;
    if (plen >= MAX_GLOB || --*budget < 0) return 0;
    char buf[MAX_GLOB];
    size_t start = open + 1;
    for (size_t i = open + 1; i <= close; i++) {
        if (i < close && pat[i] == '\\') {
            i++;
            continue;
        }
        if (i == close || pat[i] == ',') {
            size_t n = 0;
            memcpy(buf, pat, open), n = open;
            memcpy(buf + n, pat + start, i - start), n += i - start;
            memcpy(buf + n, pat + close + 1, plen - close - 1), n += plen - close - 1;
            if (match_braces(buf, n, path, len, budget)) return 1;
            start = i + 1;
        }
    }
    return 0;
}

int glob_match(const char *pat, size_t plen, const char *path, size_t len) {
    int budget = MAX_EXPANSIONS;
    return match_braces(pat, plen, path, len, &budget);
}

int glob_within_limits(const char *pat, size_t plen) {
    int budget = MAX_EXPANSIONS;
    match_braces(pat, plen, NULL, 0, &budget);
    return budget >= 0;
}
