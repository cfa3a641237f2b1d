/* Glob patterns: brace expansion, one segment against a name, and a whole
 * pattern against a path with "**" (memoized, so "**" /"**"/... stays
 * polynomial on deep trees). */
#include <stdlib.h>
#include <string.h>

#include "glob.h"

/* ---- braces ---- */

/* The '}' closing the '{' at s[open], with a ',' at its own level: sets
 * *close and returns true. */
static bool brace_group(const char *s, size_t open, size_t *close)
{
    int depth = 0;
    bool comma = false;
    for (size_t i = open; s[i]; i++) {
        if (s[i] == '\\' && s[i + 1]) {
            i++;
        } else if (s[i] == '{') {
            depth++;
        } else if (s[i] == '}') {
            if (--depth == 0) {
                *close = i;
                return comma;
            }
        } else if (s[i] == ',' && depth == 1) {
            comma = true;
        }
    }
    return false;
}

typedef struct {
    char **list;
    int n;
    bool failed;
} expansion;

static void add_pattern(expansion *x, char *p)
{
    if (x->failed || x->n >= GLOB_MAX_EXPANSIONS) {
        x->failed = true;
        free(p);
        return;
    }
    char **l = realloc(x->list, (size_t)(x->n + 1) * sizeof *l);
    if (!l) {
        x->failed = true;
        free(p);
        return;
    }
    x->list = l;
    x->list[x->n++] = p;
}

static void expand(expansion *x, const char *s)
{
    size_t close = 0, open = 0;
    bool found = false;
    for (size_t i = 0; s[i] && !found; i++) {
        if (s[i] == '\\' && s[i + 1])
            i++;
        else if (s[i] == '{' && brace_group(s, i, &close))
            open = i, found = true;
    }
    if (!found) {
        char *copy = strdup(s);
        if (!copy)
            x->failed = true;
        else
            add_pattern(x, copy);
        return;
    }
    /* each alternative between open and close, at depth 1 */
    size_t start = open + 1;
    int depth = 0;
    for (size_t i = open + 1; i <= close && !x->failed; i++) {
        if (s[i] == '\\' && i < close) {
            i++;
            continue;
        }
        if (s[i] == '{')
            depth++;
        else if (s[i] == '}' && depth > 0)
            depth--;
        else if ((s[i] == ',' && depth == 0) || i == close) {
            wt_buf b = {0};
            wt_buf_add(&b, s, open);
            wt_buf_add(&b, s + start, i - start);
            wt_buf_adds(&b, s + close + 1);
            if (b.failed)
                x->failed = true;
            else
                expand(x, b.data);
            wt_buf_free(&b);
            start = i + 1;
        }
    }
}

int glob_expand_braces(const char *pattern, char ***out)
{
    expansion x = {0};
    expand(&x, pattern);
    if (x.failed) {
        glob_free_list(x.list, x.n);
        *out = NULL;
        return -1;
    }
    *out = x.list;
    return x.n;
}

void glob_free_list(char **list, int n)
{
    for (int i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

/* ---- one segment ---- */

bool glob_is_literal(const char *seg)
{
    return !strpbrk(seg, "*?[\\");
}

static size_t char_len(const unsigned char *s)
{
    uint32_t cp;
    size_t k = wt_utf8_seq(s, strnlen((const char *)s, 4), &cp);
    return k ? k : 1;
}

/* A "[...]" set at p (past the '['): whether c is in it; *end is set past
 * the ']'. False with *end NULL when the set has no ']' (then '[' is
 * literal). Bytes, not characters: ranges are for ASCII. */
static bool set_match(const char *p, unsigned char c, const char **end)
{
    bool neg = *p == '!' || *p == '^';
    if (neg)
        p++;
    bool in = false;
    const char *q = p;
    do {
        unsigned char lo = (unsigned char)*q;
        if (lo == '\\' && q[1])
            lo = (unsigned char)*++q;
        if (!lo) {
            *end = NULL;
            return false;
        }
        q++;
        if (q[0] == '-' && q[1] && q[1] != ']') {
            unsigned char hi = (unsigned char)q[1];
            q += 2;
            if (hi == '\\' && *q)
                hi = (unsigned char)*q++;
            in |= c >= lo && c <= hi;
        } else {
            in |= c == lo;
        }
    } while (*q != ']');
    *end = q + 1;
    return in != neg;
}

bool glob_match_segment(const char *pat, const char *name)
{
    if (name[0] == '.' && pat[0] != '.')
        return false;
    const char *p = pat, *n = name;
    const char *star_p = NULL, *star_n = NULL; /* where to retry after a mismatch */
    while (*n) {
        if (*p == '*') {
            while (*p == '*')
                p++;
            star_p = p, star_n = n;
            continue;
        }
        bool ok = false;
        const char *next_p = p + 1;
        size_t step = 1;
        if (*p == '?') {
            ok = true;
            step = char_len((const unsigned char *)n);
        } else if (*p == '[') {
            const char *end;
            ok = set_match(p + 1, (unsigned char)*n, &end);
            if (end)
                next_p = end;
            else
                ok = *n == '['; /* no ']': a literal '[' */
        } else if (*p == '\\' && p[1]) {
            ok = p[1] == *n;
            next_p = p + 2;
        } else if (*p) {
            ok = *p == *n;
        }
        if (ok) {
            p = next_p;
            n += step;
        } else if (star_p) {
            p = star_p;
            n = ++star_n; /* the star takes one more byte */
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return *p == 0;
}

/* ---- a whole path ---- */

typedef struct {
    const glob_segments *p;
    const char *const *names;
    size_t depth;
    bool full;
} path_match;

/* 0 unknown, 1 false, 2 true, for (pattern segment i, name j); only the
 * (n + 1) x (depth + 1) corner in use is cleared for each path. */
static unsigned char memo[GLOB_MAX_SEGMENTS + 1][GLOB_MAX_SEGMENTS + 1];

static bool is_globstar(const char *seg)
{
    return strcmp(seg, "**") == 0;
}

static bool match_from(const path_match *m, size_t i, size_t j)
{
    if (memo[i][j])
        return memo[i][j] == 2;
    bool r;
    if (j == m->depth && !m->full) {
        r = i < m->p->n; /* pattern left: something below could match */
    } else if (i == m->p->n) {
        r = j == m->depth;
    } else if (is_globstar(m->p->segs[i])) {
        r = match_from(m, i + 1, j) ||
            (j < m->depth && m->names[j][0] != '.' && match_from(m, i, j + 1));
    } else {
        r = j < m->depth && glob_match_segment(m->p->segs[i], m->names[j]) && match_from(m, i + 1, j + 1);
    }
    memo[i][j] = r ? 2 : 1;
    return r;
}

bool glob_match_path(const glob_segments *p, const char *const *names, size_t depth, bool full)
{
    if (depth > GLOB_MAX_SEGMENTS || p->n > GLOB_MAX_SEGMENTS)
        return false;
    for (size_t i = 0; i <= p->n; i++)
        memset(memo[i], 0, depth + 1);
    path_match m = {p, names, depth, full};
    return match_from(&m, 0, 0);
}
