/* Whole-file reads and writes, mkdir -p, and errno in words. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wbtool.h"

/* What a path outside every map gets (the sandbox's own answer under WASI). */
#ifdef ENOTCAPABLE
#define OUTSIDE ENOTCAPABLE
#else
#define OUTSIDE EACCES
#endif

int wt_read_file(const char *path, size_t max, wt_buf *out)
{
    out->len = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return errno;
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
        close(fd);
        return e;
    }
    int e = 0;
    for (;;) {
        /* read one byte past max to tell "exactly max" from "more" */
        size_t want = 64u << 10;
        if (out->len + want > max + 1)
            want = max + 1 - out->len;
        if (!wt_buf_reserve(out, want)) {
            e = ENOMEM;
            break;
        }
        ssize_t n = read(fd, out->data + out->len, want);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            e = errno;
            break;
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
        if (out->len > max) {
            e = EFBIG;
            break;
        }
    }
    close(fd);
    if (e)
        out->len = 0;
    if (out->data)
        out->data[out->len] = 0;
    return e;
}

int wt_write_file(const char *path, const void *data, size_t n, bool *created)
{
    struct stat st;
    *created = stat(path, &st) != 0;
    if (!*created && S_ISDIR(st.st_mode))
        return EISDIR;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return errno;
    const char *p = data;
    int e = 0;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            e = errno;
            break;
        }
        p += w;
        n -= (size_t)w;
    }
    if (close(fd) != 0 && !e)
        e = errno;
    return e;
}

int wt_mkdirs(const char *abs_dir)
{
    const wt_preopen *list;
    size_t n = wt_preopens(&list);
    const char *rel;
    const wt_preopen *map = wt_path_locate(list, n, abs_dir, &rel);
    if (!map)
        return OUTSIDE;
    struct stat st;
    if (strcmp(rel, ".") == 0 || (stat(abs_dir, &st) == 0 && S_ISDIR(st.st_mode)))
        return 0; /* nothing to make (and no refusal to provoke in a read-only map) */
    wt_buf dir = {0};
    int e = 0;
    /* each prefix below the map, one component more each time */
    for (const char *p = rel;; p++) {
        if (*p != '/' && *p != 0)
            continue;
        dir.len = 0;
        if (!wt_buf_add(&dir, abs_dir, (size_t)(p - abs_dir))) {
            e = ENOMEM;
            break;
        }
        if (mkdir(dir.data, 0755) != 0) {
            if (errno != EEXIST) {
                e = errno;
                break;
            }
            if (stat(dir.data, &st) != 0) {
                e = errno; /* e.g. a symlink the sandbox will not follow out of the map */
                break;
            }
            if (!S_ISDIR(st.st_mode)) {
                e = ENOTDIR;
                break;
            }
        }
        if (*p == 0)
            break;
    }
    wt_buf_free(&dir);
    return e;
}

const char *wt_errno_text(int e)
{
    switch (e) {
    case ENOENT: return "no such file or directory";
#ifdef ENOTCAPABLE
    case ENOTCAPABLE:
        return "outside the workspace (the path, or a symlink on it, leads out of the mapped directories)";
#endif
    case EROFS: return "the workspace is read-only for this tool";
    case EACCES:
    case EPERM: return "permission denied";
    case EISDIR: return "it is a directory";
    case ENOTDIR: return "a component of the path is not a directory";
    case ELOOP: return "too many levels of symbolic links";
    case ENAMETOOLONG: return "the path or a name in it is too long";
    case EFBIG: return "the file is too large";
    case ENOSPC: return "no space left on the device";
    case ENOMEM: return "out of memory";
    case EEXIST: return "it already exists";
    case EINVAL: return "invalid path or argument";
    default: return strerror(e);
    }
}
