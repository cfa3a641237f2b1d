/* glob {pattern, path?}: files whose paths match a pattern ('*', '?',
 * '[...]', '**', '{a,b}'), newest first, capped (tools/README.md "glob"). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "walk.h"

/* The patterns, absolute, split into segments; all point into bufs. */
typedef struct {
    wt_buf bufs[GLOB_MAX_EXPANSIONS];
    glob_segments segs[GLOB_MAX_EXPANSIONS];
    size_t n;
} pattern_set;

static bool split(wt_buf *b, glob_segments *s)
{
    s->n = 0;
    for (char *p = b->data + 1; *p;) { /* b->data is absolute and normalized */
        if (s->n == GLOB_MAX_SEGMENTS)
            return false;
        s->segs[s->n++] = p;
        char *slash = strchr(p, '/');
        if (!slash)
            break;
        *slash = 0;
        p = slash + 1;
    }
    return true;
}

/* Leading literal segments (the last one is always matched, not entered). */
static size_t literal_prefix(const glob_segments *s)
{
    size_t k = 0;
    while (k + 1 < s->n && glob_is_literal(s->segs[k]))
        k++;
    return k;
}

/* The expanded patterns made absolute and split, the root they share (the
 * longest common run of literal directory names) into root, and each
 * pattern rebased below it. NULL, or what is wrong with the pattern. */
static const char *compile(pattern_set *ps, char **expanded, int n, const char *base, wt_buf *root)
{
    size_t common = SIZE_MAX;
    for (int i = 0; i < n; i++) {
        wt_buf *b = &ps->bufs[ps->n];
        *b = (wt_buf){0};
        glob_segments *s = &ps->segs[ps->n++];
        if (!wt_path_join(b, base, expanded[i]))
            return "out of memory";
        if (!split(b, s))
            return "pattern: more than 64 path segments";
        size_t k = literal_prefix(s), j = 0;
        while (j < k && j < common && (i == 0 || strcmp(ps->segs[0].segs[j], s->segs[j]) == 0))
            j++;
        common = j;
    }
    wt_buf_addc(root, '/');
    for (size_t j = 0; j < common; j++)
        wt_buf_printf(root, "%s%s", j ? "/" : "", ps->segs[0].segs[j]);
    for (size_t i = 0; i < ps->n; i++) {
        glob_segments *s = &ps->segs[i];
        memmove(s->segs, s->segs + common, (s->n - common) * sizeof *s->segs);
        s->n -= common;
    }
    return root->failed ? "out of memory" : NULL;
}

/* The listing, newest first, capped, with notes on what is left out. */
static void report(wt_tool *t, glob_walk *w, const char *pattern, const char *base)
{
    wt_buf out = {0};
    glob_walk_sort(w);
    size_t shown = w->nmatches < GLOB_MAX_RESULTS ? w->nmatches : GLOB_MAX_RESULTS;
    for (size_t i = 0; i < shown; i++)
        wt_buf_printf(&out, "%s\n", w->matches[i].path);
    if (w->nmatches == 0)
        wt_buf_printf(&out, "No files match %s in %s\n", pattern, base);
    if (w->nmatches > shown)
        wt_buf_printf(&out, "[%zu more matches not shown (newest first, %d shown); narrow the pattern or the path]\n",
                      w->nmatches - shown, GLOB_MAX_RESULTS);
    if (w->stopped)
        wt_buf_printf(&out, "[the search stopped after %d entries, so matches may be missing; narrow the path]\n",
                      GLOB_MAX_ENTRIES);
    if (w->unreadable)
        wt_buf_printf(&out, "[%zu director%s could not be read]\n", w->unreadable, w->unreadable == 1 ? "y" : "ies");
    if (out.failed)
        wt_fail(t, "out of memory");
    else
        wt_text(t, out.data, out.len);
    wt_buf_free(&out);
}

static void run(wt_tool *t, const char *pattern, size_t len, const char *base)
{
    if (len == 0 || memchr(pattern, 0, len) || len > GLOB_MAX_PATTERN) {
        wt_fail(t, "pattern: %s", len == 0 ? "must not be empty"
                                  : len > GLOB_MAX_PATTERN ? "longer than 4096 bytes"
                                                           : "contains a NUL character");
        return;
    }
    struct stat st;
    if (stat(base, &st) != 0) {
        wt_fail(t, "path: cannot search %s: %s", base, wt_errno_text(errno));
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        wt_fail(t, "path: %s is not a directory (give the directory to search in)", base);
        return;
    }
    char **expanded;
    int n = glob_expand_braces(pattern, &expanded);
    if (n < 0) {
        wt_fail(t, "pattern: its braces expand to more than %d patterns", GLOB_MAX_EXPANSIONS);
        return;
    }
    static pattern_set ps;
    ps.n = 0;
    glob_walk w = {0};
    wt_buf root = {0}, maps = {0};
    const wt_preopen *list;
    size_t nmaps = wt_preopens(&list);
    const char *why = compile(&ps, expanded, n, base, &root);
    if (why) {
        wt_fail(t, "%s", why);
    } else if (!wt_path_locate(list, nmaps, root.data, NULL)) {
        wt_preopens_text(&maps);
        wt_fail(t, "pattern: searches %s, which is outside the workspace (mapped directories: %s)", root.data,
                maps.data);
    } else {
        w.patterns = ps.segs;
        w.npatterns = ps.n;
        int e = glob_walk_run(&w, root.data);
        if (e && e != ENOENT && e != ENOTDIR)
            wt_fail(t, "cannot search %s: %s", root.data, wt_errno_text(e));
        else
            report(t, &w, pattern, base); /* a literal part that does not exist matches nothing */
    }
    for (size_t i = 0; i < ps.n; i++)
        wt_buf_free(&ps.bufs[i]);
    glob_free_list(expanded, n);
    glob_walk_free(&w);
    wt_buf_free(&root);
    wt_buf_free(&maps);
}

int main(void)
{
    wt_tool t;
    if (wt_tool_begin(&t)) {
        size_t len = 0;
        const char *pattern = wt_arg_string(&t, "pattern", true, &len);
        char *path = wt_arg_path(&t, "path", false);
        if (wt_args_end(&t))
            run(&t, pattern, len, path ? path : wt_cwd());
        free(path);
    }
    return wt_tool_end(&t);
}
