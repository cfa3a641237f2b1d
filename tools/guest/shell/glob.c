/* glob.c: pattern matching (case, [[ == ]], ${x#pat}) and pathname
 * expansion. Matching is the C library's fnmatch (wasi-libc's is musl's):
 * bash's patterns without extglob, byte by byte as in the C locale. The
 * directory walk is written here rather than using glob(3) so that it
 * follows bash exactly: "." and ".." never match (globskipdots), dot files
 * only for a pattern starting with "." (or dotglob), "**" with globstar,
 * the whole result sorted bytewise, and a bounded number of results. */
#include "internal.h"

#include <dirent.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool pattern_match(shctx *sh, const char *pat, const char *s)
{
    int flags = sh && sh->st.opt.nocasematch ? FNM_CASEFOLD : 0;
    return fnmatch(pat, s, flags) == 0;
}

static bool component_magic(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n)
            i++;
        else if (s[i] == '*' || s[i] == '?' || s[i] == '[')
            return true;
    }
    return false;
}

char *pattern_unescape(const char *pat)
{
    sh_buf b = {0};
    for (const char *p = pat; *p; p++) {
        if (*p == '\\' && p[1])
            p++;
        sh_buf_addc(&b, *p);
    }
    return sh_buf_take(&b);
}

typedef struct {
    char **v;
    int n, cap;
} paths;

static void paths_add(paths *p, char *s)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 8;
        p->v = sh_realloc(p->v, (size_t)p->cap * sizeof *p->v);
    }
    p->v[p->n++] = s;
}

static void paths_free(paths *p)
{
    for (int i = 0; i < p->n; i++)
        free(p->v[i]);
    free(p->v);
    p->v = NULL;
    p->n = p->cap = 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *name)
{
    sh_buf b = {0};
    sh_buf_adds(&b, dir);
    if (b.len && b.data[b.len - 1] != '/')
        sh_buf_addc(&b, '/');
    sh_buf_adds(&b, name);
    return sh_buf_take(&b);
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(*path ? path : ".", &st) == 0 && S_ISDIR(st.st_mode);
}

typedef struct {
    shctx *sh;
    bool too_many;
    long entries;
} walk;

#define GLOB_MAX_ENTRIES 1000000L /* directory entries read by one expansion */

/* The names in dir matching pat (a component), sorted. */
static void match_dir(walk *w, const char *dir, const char *pat, bool dirs_only, paths *out)
{
    DIR *d = opendir(*dir ? dir : ".");
    if (!d)
        return;
    int flags = w->sh->st.opt.dotglob ? 0 : FNM_PERIOD;
    if (w->sh->st.opt.nocaseglob)
        flags |= FNM_CASEFOLD;
    int first = out->n;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (++w->entries > GLOB_MAX_ENTRIES) {
            w->too_many = true;
            break;
        }
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (fnmatch(pat, e->d_name, flags) != 0)
            continue;
        char *p = join(dir, e->d_name);
        if (dirs_only && !is_dir(p)) {
            free(p);
            continue;
        }
        paths_add(out, p);
    }
    closedir(d);
    if (out->n > first)
        qsort(out->v + first, (size_t)(out->n - first), sizeof *out->v, cmp_str);
}

/* globstar: dir itself and every directory beneath it (not through
 * symlinks; hidden ones only with dotglob). */
static void all_dirs(walk *w, const char *dir, paths *out, int depth)
{
    paths_add(out, sh_strdup(dir));
    if (depth > 64 || w->too_many)
        return;
    DIR *d = opendir(*dir ? dir : ".");
    if (!d)
        return;
    paths sub = {0};
    struct dirent *e;
    while ((e = readdir(d))) {
        if (++w->entries > GLOB_MAX_ENTRIES) {
            w->too_many = true;
            break;
        }
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (e->d_name[0] == '.' && !w->sh->st.opt.dotglob)
            continue;
        char *p = join(dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            paths_add(&sub, p);
        else
            free(p);
    }
    closedir(d);
    if (sub.n)
        qsort(sub.v, (size_t)sub.n, sizeof *sub.v, cmp_str);
    for (int i = 0; i < sub.n; i++)
        all_dirs(w, sub.v[i], out, depth + 1);
    paths_free(&sub);
}

bool glob_expand(shctx *sh, const char *pat, char ***outv, int *n, int *cap)
{
    walk w = {sh, false, 0};
    paths cur = {0};
    const char *p = pat;
    if (*p == '/') {
        paths_add(&cur, sh_strdup("/"));
        while (*p == '/')
            p++;
    } else {
        paths_add(&cur, sh_strdup(""));
    }
    while (*p && cur.n) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        bool last = !slash || !slash[strspn(slash, "/")];
        bool trailing = slash && last;
        char *comp = sh_strndup(p, len);
        paths next = {0};
        if (sh->st.opt.globstar && !strcmp(comp, "**")) {
            for (int i = 0; i < cur.n && !w.too_many; i++) {
                paths dirs = {0};
                all_dirs(&w, cur.v[i], &dirs, 0);
                for (int k = 0; k < dirs.n; k++) {
                    if (last && !trailing) {
                        /* ** alone: every file and directory beneath */
                        if (*dirs.v[k] && strcmp(dirs.v[k], cur.v[i]))
                            paths_add(&next, sh_strdup(dirs.v[k]));
                        paths files = {0};
                        match_dir(&w, dirs.v[k], "*", false, &files);
                        for (int f = 0; f < files.n; f++) {
                            if (is_dir(files.v[f]))
                                free(files.v[f]);
                            else
                                paths_add(&next, files.v[f]);
                        }
                        free(files.v);
                    } else {
                        paths_add(&next, sh_strdup(dirs.v[k]));
                    }
                }
                paths_free(&dirs);
            }
        } else if (component_magic(comp, len)) {
            for (int i = 0; i < cur.n && !w.too_many; i++)
                match_dir(&w, cur.v[i], comp, !last || trailing, &next);
        } else {
            char *lit = pattern_unescape(comp);
            for (int i = 0; i < cur.n; i++)
                paths_add(&next, join(cur.v[i], lit));
            free(lit);
        }
        free(comp);
        paths_free(&cur);
        cur = next;
        if (!slash)
            break;
        p = slash;
        while (*p == '/')
            p++;
        if (!*p) { /* a trailing slash: keep it, directories only */
            paths keep = {0};
            for (int i = 0; i < cur.n; i++) {
                if (is_dir(cur.v[i])) {
                    sh_buf b = {0};
                    sh_buf_adds(&b, cur.v[i]);
                    sh_buf_addc(&b, '/');
                    paths_add(&keep, sh_buf_take(&b));
                }
            }
            paths_free(&cur);
            cur = keep;
        }
    }
    if (w.too_many) {
        shell_error(sh, "%s: pathname expansion stopped after %ld directory entries", pat, GLOB_MAX_ENTRIES);
        paths_free(&cur);
        return false;
    }
    /* literal parts were only joined: keep what exists */
    paths found = {0};
    for (int i = 0; i < cur.n; i++) {
        struct stat st;
        if (lstat(cur.v[i], &st) == 0)
            paths_add(&found, cur.v[i]);
        else
            free(cur.v[i]);
    }
    free(cur.v);
    if (!found.n) {
        free(found.v);
        return false;
    }
    qsort(found.v, (size_t)found.n, sizeof *found.v, cmp_str);
    if (*n + found.n >= SH_MAX_FIELDS) {
        shell_error(sh, "%s: more than %d matches", pat, SH_MAX_FIELDS);
        paths_free(&found);
        return false;
    }
    for (int i = 0; i < found.n; i++) {
        if (*n + 1 >= *cap) {
            *cap = *cap ? *cap * 2 : 8;
            *outv = sh_realloc(*outv, (size_t)*cap * sizeof **outv);
        }
        (*outv)[(*n)++] = found.v[i];
    }
    (*outv)[*n] = NULL;
    free(found.v);
    return true;
}
