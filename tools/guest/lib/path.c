/* Lexical path work: normalizing, joining, and finding the mapped directory
 * a path lives in. No file system access, so the unit tests cover it all on
 * the host. */
#include <string.h>

#include "wbtool.h"

/* Appends the components of p to out (which holds "/" or "/a/b"), resolving
 * "." and ".." as it goes. */
static bool add_components(wt_buf *out, const char *p)
{
    while (*p) {
        while (*p == '/')
            p++;
        const char *c = p;
        while (*p && *p != '/')
            p++;
        size_t n = (size_t)(p - c);
        if (n == 0 || (n == 1 && c[0] == '.'))
            continue;
        if (n == 2 && c[0] == '.' && c[1] == '.') {
            char *slash = strrchr(out->data, '/'); /* out is absolute: always found */
            out->len = slash == out->data ? 1 : (size_t)(slash - out->data);
            out->data[out->len] = 0;
            continue;
        }
        if ((out->len > 1 && !wt_buf_addc(out, '/')) || !wt_buf_add(out, c, n))
            return false;
    }
    return true;
}

bool wt_path_join(wt_buf *out, const char *base, const char *rel)
{
    out->len = 0;
    if (!wt_buf_addc(out, '/'))
        return false;
    if (rel[0] != '/' && !add_components(out, base))
        return false;
    return add_components(out, rel);
}

bool wt_path_normalize(wt_buf *out, const char *abs_path)
{
    return wt_path_join(out, "/", abs_path);
}

const wt_preopen *wt_path_locate(const wt_preopen *list, size_t n, const char *abs_path,
                                 const char **rel)
{
    const wt_preopen *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < n; i++) {
        const char *d = list[i].path;
        size_t len = strlen(d);
        bool root = len == 1 && d[0] == '/';
        /* "/ws" holds "/ws" and "/ws/x", not "/wsx"; "/" holds everything */
        bool holds = root || (strncmp(abs_path, d, len) == 0 && (abs_path[len] == 0 || abs_path[len] == '/'));
        if (holds && (!best || len > best_len))
            best = &list[i], best_len = len;
    }
    if (best && rel) {
        const char *r = abs_path + (best_len == 1 ? 1 : best_len);
        while (*r == '/')
            r++;
        *rel = *r ? r : ".";
    }
    return best;
}
