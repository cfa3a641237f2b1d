/* The directory walk: one pass from the patterns' common root, entering only
 * directories some pattern could still match below, never following
 * symlinked directories (no loops, and nothing reached twice). */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "walk.h"

static bool any_match(const glob_walk *w, size_t depth, bool full)
{
    for (size_t i = 0; i < w->npatterns; i++)
        if (glob_match_path(&w->patterns[i], w->names, depth, full))
            return true;
    return false;
}

static void record(glob_walk *w, const struct stat *st)
{
    if (w->nmatches == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 256;
        glob_match *m = realloc(w->matches, cap * sizeof *m);
        if (!m) {
            w->oom = true;
            return;
        }
        w->matches = m, w->cap = cap;
    }
    char *path = strdup(w->path.data);
    if (!path) {
        w->oom = true;
        return;
    }
    w->matches[w->nmatches++] = (glob_match){path, (int64_t)st->st_mtim.tv_sec, (long)st->st_mtim.tv_nsec};
}

static int walk_dir(glob_walk *w, size_t depth)
{
    DIR *d = opendir(w->path.data);
    if (!d)
        return errno;
    size_t base = w->path.len;
    struct dirent *de;
    while (!w->stopped && !w->oom && (de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (++w->entries > GLOB_MAX_ENTRIES) {
            w->stopped = true;
            break;
        }
        w->names[depth] = de->d_name;
        w->path.len = base;
        if (!(base == 1 && w->path.data[0] == '/'))
            wt_buf_addc(&w->path, '/');
        wt_buf_adds(&w->path, de->d_name);
        if (w->path.failed) {
            w->oom = true;
            break;
        }
        struct stat st;
        unsigned char type = de->d_type;
        if (type == DT_UNKNOWN) {
            type = lstat(w->path.data, &st) != 0 ? DT_UNKNOWN : S_ISDIR(st.st_mode) ? DT_DIR
                                                             : S_ISLNK(st.st_mode) ? DT_LNK : DT_REG;
        }
        if (type == DT_DIR) {
            if (depth + 1 < GLOB_MAX_SEGMENTS && any_match(w, depth + 1, false) && walk_dir(w, depth + 1) != 0)
                w->unreadable++;
        } else if (any_match(w, depth + 1, true)) {
            /* a symlink is listed unless it leads to a directory; its time is
             * its target's when that can be reached, else its own */
            bool ok = stat(w->path.data, &st) == 0;
            if (ok && S_ISDIR(st.st_mode))
                continue;
            if (ok || lstat(w->path.data, &st) == 0)
                record(w, &st);
        }
    }
    closedir(d);
    w->path.len = base;
    w->path.data[base] = 0;
    return 0;
}

int glob_walk_run(glob_walk *w, const char *root)
{
    w->path.len = 0;
    if (!wt_buf_adds(&w->path, root))
        return ENOMEM;
    int e = walk_dir(w, 0);
    return e ? e : w->oom ? ENOMEM : 0;
}

static int newest_first(const void *a, const void *b)
{
    const glob_match *x = a, *y = b;
    if (x->sec != y->sec)
        return x->sec < y->sec ? 1 : -1;
    if (x->nsec != y->nsec)
        return x->nsec < y->nsec ? 1 : -1;
    return strcmp(x->path, y->path);
}

void glob_walk_sort(glob_walk *w)
{
    if (w->nmatches > 1)
        qsort(w->matches, w->nmatches, sizeof *w->matches, newest_first);
}

void glob_walk_free(glob_walk *w)
{
    for (size_t i = 0; i < w->nmatches; i++)
        free(w->matches[i].path);
    free(w->matches);
    wt_buf_free(&w->path);
}
