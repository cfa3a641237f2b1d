/* paths.c: lexical paths, as `cd` sees them (bash's default -L: ".."
 * removes the component before it, symlinks are not looked at). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

char *path_normalize(const char *abs)
{
    sh_buf b = {0};
    const char *p = abs;
    while (*p) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 1 && p[0] == '.') {
            /* nothing */
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            while (b.len && b.data[b.len - 1] != '/')
                b.len--;
            if (b.len)
                b.len--;
            if (b.data)
                b.data[b.len] = 0;
        } else {
            sh_buf_addc(&b, '/');
            sh_buf_add(&b, p, n);
        }
        p += n;
    }
    if (!b.len)
        sh_buf_addc(&b, '/');
    return sh_buf_take(&b);
}

char *path_join(const char *base, const char *rel)
{
    if (rel[0] == '/')
        return path_normalize(rel);
    sh_buf b = {0};
    sh_buf_adds(&b, base);
    sh_buf_addc(&b, '/');
    sh_buf_adds(&b, rel);
    char *r = path_normalize(b.data);
    sh_buf_free(&b);
    return r;
}

bool path_in_maps(shctx *sh, const char *abs)
{
    for (int i = 0; i < sh->nmaps; i++) {
        const char *m = sh->maps[i];
        size_t n = strlen(m);
        if (!strcmp(m, "/"))
            return true;
        if (!strncmp(abs, m, n) && (abs[n] == 0 || abs[n] == '/'))
            return true;
    }
    return false;
}

char *sh_relative_path(const char *path, const char *base)
{
    /* the common leading components, then ".." for each left in base */
    size_t i = 0, common = 0;
    while (path[i] && base[i] && path[i] == base[i]) {
        if (path[i] == '/')
            common = i;
        i++;
    }
    if ((!path[i] || path[i] == '/') && (!base[i] || base[i] == '/'))
        common = i;
    sh_buf b = {0};
    for (const char *p = base + common; *p; p++)
        if (*p == '/' && p[1])
            sh_buf_adds(&b, b.len ? "/.." : "..");
    if (!strcmp(base, "/") && common == 0)
        b.len = 0;
    const char *tail = path + common;
    while (*tail == '/')
        tail++;
    if (*tail) {
        if (b.len)
            sh_buf_addc(&b, '/');
        sh_buf_adds(&b, tail);
    }
    if (!b.len)
        sh_buf_addc(&b, '.');
    return sh_buf_take(&b);
}
