/* The guest's mapped directories and working directory. Under WASI the list
 * comes from fd_prestat_get/fd_prestat_dir_name, read once, normalized (a
 * runtime may name a map "/ws/" or "ws"); on the host it is "/" alone, for
 * the unit tests. */
#include <stdlib.h>
#include <string.h>
#ifdef __wasi__
#include <wasi/api.h>
#endif

#include "wbtool.h"

#define MAX_PREOPENS 64

static wt_preopen list[MAX_PREOPENS];
static size_t count;
static bool loaded;

#ifdef __wasi__
static void load(void)
{
    /* preopens are numbered from 3 without gaps; the first EBADF ends them */
    for (__wasi_fd_t fd = 3; count < MAX_PREOPENS; fd++) {
        __wasi_prestat_t ps;
        if (__wasi_fd_prestat_get(fd, &ps) != __WASI_ERRNO_SUCCESS)
            break;
        if (ps.tag != __WASI_PREOPENTYPE_DIR || ps.u.dir.pr_name_len > 4096)
            continue;
        size_t n = ps.u.dir.pr_name_len;
        char *name = malloc(n + 2);
        wt_buf norm = {0};
        if (name && __wasi_fd_prestat_dir_name(fd, (uint8_t *)name + 1, n) == __WASI_ERRNO_SUCCESS) {
            name[0] = '/'; /* a relative name is taken from the root */
            name[n + 1] = 0;
            if (!memchr(name, 0, n + 1) && wt_path_normalize(&norm, name))
                list[count++] = (wt_preopen){(int)fd, norm.data};
            else
                wt_buf_free(&norm);
        }
        free(name);
    }
}
#else
static void load(void)
{
    list[0] = (wt_preopen){-100 /* AT_FDCWD */, "/"};
    count = 1;
}
#endif

size_t wt_preopens(const wt_preopen **out)
{
    if (!loaded) {
        load();
        loaded = true;
    }
    *out = list;
    return count;
}

bool wt_preopens_text(wt_buf *out)
{
    const wt_preopen *l;
    size_t n = wt_preopens(&l);
    if (n == 0)
        return wt_buf_adds(out, "none");
    for (size_t i = 0; i < n; i++)
        if ((i && !wt_buf_adds(out, ", ")) || !wt_buf_adds(out, l[i].path))
            return false;
    return true;
}

const char *wt_cwd(void)
{
    static wt_buf cwd;
    if (!cwd.data) {
        const char *pwd = getenv("PWD");
        if (!pwd || pwd[0] != '/' || !wt_path_normalize(&cwd, pwd)) {
            wt_buf_free(&cwd);
            return "/";
        }
    }
    return cwd.data;
}
