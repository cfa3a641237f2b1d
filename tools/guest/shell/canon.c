/* canon.c: canonical paths (realpath, readlink -f, pwd -P): components
 * resolved left to right, symlinks followed (at most 40), ".." applied to
 * what is resolved so far. The directories above a mapped directory are
 * not visible in the sandbox; they are taken as the plain directories they
 * are on the way to it. */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Is p (absolute, normalized) a mapped directory or above one? */
static bool on_the_way(shctx *sh, const char *p)
{
    size_t n = strlen(p);
    for (int i = 0; i < sh->nmaps; i++) {
        const char *m = sh->maps[i];
        if (!strcmp(p, "/") || (!strncmp(m, p, n) && (m[n] == 0 || m[n] == '/')))
            return true;
    }
    return false;
}

char *sh_canonicalize(shctx *sh, const char *path, int mode, int *err)
{
    sh_buf rest = {0};
    if (path[0] != '/') {
        sh_buf_adds(&rest, sh->st.cwd);
        sh_buf_addc(&rest, '/');
    }
    sh_buf_adds(&rest, path);
    char *resolved = sh_strdup("/");
    size_t pos = 0;
    int links = 0;
    bool missing = false;
    *err = 0;
    while (pos < rest.len) {
        while (pos < rest.len && rest.data[pos] == '/')
            pos++;
        if (pos >= rest.len)
            break;
        size_t e = pos;
        while (e < rest.len && rest.data[e] != '/')
            e++;
        char *comp = sh_strndup(rest.data + pos, e - pos);
        pos = e;
        bool last = true;
        for (size_t k = pos; k < rest.len; k++)
            if (rest.data[k] != '/')
                last = false;
        if (!strcmp(comp, ".")) {
            free(comp);
            continue;
        }
        if (!strcmp(comp, "..")) {
            char *slash = strrchr(resolved, '/');
            if (slash == resolved)
                resolved[1] = 0;
            else
                *slash = 0;
            free(comp);
            continue;
        }
        sh_buf nb = {0};
        sh_buf_adds(&nb, resolved);
        if (strcmp(resolved, "/"))
            sh_buf_addc(&nb, '/');
        sh_buf_adds(&nb, comp);
        free(comp);
        char *next = sh_buf_take(&nb);
        struct stat st;
        if (missing || (on_the_way(sh, next) && !path_in_maps(sh, next))) {
            free(resolved);
            resolved = next;
            continue;
        }
        if (lstat(next, &st) != 0) {
            int e2 = errno;
            if (e2 == ENOENT && (mode == SH_CANON_MISSING || (mode == SH_CANON_ALL_BUT_LAST && last))) {
                missing = true;
                free(resolved);
                resolved = next;
                continue;
            }
            *err = e2;
            free(next);
            break;
        }
        if (S_ISLNK(st.st_mode)) {
            if (++links > 40) {
                *err = ELOOP;
                free(next);
                break;
            }
            char target[4096];
            ssize_t k = readlink(next, target, sizeof target - 1);
            free(next);
            if (k < 0) {
                *err = errno;
                break;
            }
            target[k] = 0;
            sh_buf nr = {0};
            sh_buf_adds(&nr, target);
            sh_buf_addc(&nr, '/');
            sh_buf_add(&nr, rest.data + pos, rest.len - pos);
            sh_buf_free(&rest);
            rest = nr;
            pos = 0;
            if (target[0] == '/') {
                free(resolved);
                resolved = sh_strdup("/");
            }
            continue;
        }
        if (!last && !S_ISDIR(st.st_mode)) {
            if (mode == SH_CANON_MISSING) {
                missing = true;
            } else {
                *err = ENOTDIR;
                free(next);
                break;
            }
        }
        free(resolved);
        resolved = next;
    }
    sh_buf_free(&rest);
    if (*err) {
        free(resolved);
        return NULL;
    }
    return resolved;
}
