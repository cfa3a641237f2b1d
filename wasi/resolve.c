/* Confined path resolution: a guest path, relative to a directory fd, never
 * names anything outside that directory.
 *
 * Two implementations with the same results:
 *  - openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS): the kernel refuses
 *    absolute paths, absolute symlinks and `..` above the start (EXDEV, which
 *    we report as NOTCAPABLE), atomically with the lookup.
 *  - a component walk for kernels without openat2 (or forced, for tests):
 *    every component is opened O_PATH|O_NOFOLLOW relative to the fd of the
 *    previous one; symlinks are read with readlinkat and spliced into the rest
 *    of the path; `..` pops our own stack of directory fds and is never given
 *    to the kernel, so it cannot step outside even if directories are moved
 *    under us, and depth 0 is the floor.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "wasi_impl.h"

#define WALK_MAX_DEPTH 1024 /* directory fds held at once by one walk */
#define WALK_MAX_LINKS 40   /* symlinks expanded by one resolution (as Linux) */
#define NO_OPENAT2 0xFFFF   /* internal: the kernel has no openat2 */

static int force_walk;   /* tests and WASMBOX_WASI_NO_OPENAT2 */
static int kernel_lacks; /* openat2 said ENOSYS once */

void wasi_resolve_force_walk(bool on) { force_walk = on; }
bool wasi_resolve_using_walk(void) { return force_walk || kernel_lacks; }

uint16_t wasi_path_check(const uint8_t *path, uint64_t len, char *out, size_t outlen)
{
    if (len == 0)
        return WE_NOENT;
    if (len >= outlen || len >= PATH_MAX)
        return WE_NAMETOOLONG;
    if (memchr(path, 0, (size_t)len))
        return WE_INVAL;
    if (path[0] == '/')
        return WE_NOTCAPABLE;
    size_t run = 0;
    for (uint64_t i = 0; i < len; i++) {
        run = path[i] == '/' ? 0 : run + 1;
        if (run > NAME_MAX)
            return WE_NAMETOOLONG;
    }
    memcpy(out, path, (size_t)len);
    out[len] = 0;
    return WE_SUCCESS;
}

static uint16_t open_beneath(int dirfd, const char *path, int flags, mode_t mode, bool follow,
                             int *out)
{
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (uint64_t)(unsigned)(flags | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
    how.mode = (flags & O_CREAT) ? mode : 0;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    for (int tries = 0; tries < 16; tries++) {
        long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
        if (fd >= 0) {
            *out = (int)fd;
            return WE_SUCCESS;
        }
        if (errno == EAGAIN) /* a concurrent rename raced a `..`: retry */
            continue;
        if (errno == ENOSYS)
            return NO_OPENAT2;
        if (errno == EXDEV)
            return WE_NOTCAPABLE;
        return wasi_errno(errno);
    }
    return WE_AGAIN;
}

/* State of one component walk. */
typedef struct walk {
    int fds[WALK_MAX_DEPTH]; /* fds[0] is the caller's, never closed */
    int depth;
    char rest[2 * PATH_MAX]; /* what is left to resolve */
    size_t pos;
    int links;
} walk;

/* Replaces component `comp` (a symlink in fds[depth]) with its target,
 * followed by whatever came after it. */
static uint16_t splice_link(walk *wk, const char *comp, bool trailing)
{
    char target[PATH_MAX];
    if (++wk->links > WALK_MAX_LINKS)
        return WE_LOOP;
    ssize_t n = readlinkat(wk->fds[wk->depth], comp, target, sizeof target);
    if (n < 0)
        return wasi_errno(errno);
    if ((size_t)n >= sizeof target)
        return WE_NAMETOOLONG;
    if (n == 0)
        return WE_NOENT;
    if (target[0] == '/')
        return WE_NOTCAPABLE;
    const char *after = wk->rest + wk->pos;
    size_t alen = strlen(after);
    char joined[sizeof wk->rest];
    size_t need = (size_t)n + 1 + alen + 1;
    if (need > sizeof joined)
        return WE_NAMETOOLONG;
    memcpy(joined, target, (size_t)n);
    size_t j = (size_t)n;
    if (alen || trailing)
        joined[j++] = '/';
    memcpy(joined + j, after, alen + 1);
    memcpy(wk->rest, joined, j + alen + 1);
    wk->pos = 0;
    return WE_SUCCESS;
}

static uint16_t open_walk(int dirfd, const char *path, int flags, mode_t mode, bool follow,
                          int *out)
{
    walk *wk = malloc(sizeof *wk);
    if (!wk)
        return WE_NOMEM;
    wk->fds[0] = dirfd;
    wk->depth = 0;
    wk->pos = 0;
    wk->links = 0;
    if (strlen(path) >= sizeof wk->rest) {
        free(wk);
        return WE_NAMETOOLONG;
    }
    strcpy(wk->rest, path);
    uint16_t err = WE_SUCCESS;
    for (;;) {
        char *r = wk->rest;
        while (r[wk->pos] == '/')
            wk->pos++;
        if (!r[wk->pos]) { /* nothing named at all */
            err = WE_NOENT;
            break;
        }
        size_t end = wk->pos;
        while (r[end] && r[end] != '/')
            end++;
        char comp[NAME_MAX + 1];
        if (end - wk->pos > NAME_MAX) {
            err = WE_NAMETOOLONG;
            break;
        }
        memcpy(comp, r + wk->pos, end - wk->pos);
        comp[end - wk->pos] = 0;
        bool trailing = false;
        while (r[end] == '/') {
            end++;
            trailing = true;
        }
        bool last = !r[end];
        wk->pos = end;
        int top = wk->fds[wk->depth];

        if (!strcmp(comp, "..")) {
            if (wk->depth == 0) {
                err = WE_NOTCAPABLE;
                break;
            }
            close(wk->fds[wk->depth--]);
            if (!last)
                continue;
            strcpy(comp, ".");
            top = wk->fds[wk->depth];
        }
        if (!last) {
            if (!strcmp(comp, "."))
                continue;
            int fd = openat(top, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0) {
                err = wasi_errno(errno);
                break;
            }
            struct stat st;
            if (fstat(fd, &st) < 0) {
                err = wasi_errno(errno);
                close(fd);
                break;
            }
            if (S_ISLNK(st.st_mode)) {
                close(fd);
                err = splice_link(wk, comp, false);
                if (err)
                    break;
                continue;
            }
            if (!S_ISDIR(st.st_mode)) {
                close(fd);
                err = WE_NOTDIR;
                break;
            }
            if (wk->depth + 1 >= WALK_MAX_DEPTH) {
                close(fd);
                err = WE_NAMETOOLONG;
                break;
            }
            wk->fds[++wk->depth] = fd;
            continue;
        }
        /* the last component: open it for real, never following in the kernel */
        if (trailing && (flags & O_CREAT)) {
            err = WE_ISDIR; /* as Linux: open("x/", O_CREAT) */
            break;
        }
        bool chase = follow || trailing;
        int fl = flags | O_CLOEXEC | O_NOFOLLOW | (trailing ? O_DIRECTORY : 0);
        int fd = openat(top, comp, fl, mode);
        if (fd >= 0) {
            struct stat st;
            if (chase && (flags & O_PATH) && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
                close(fd);
                err = splice_link(wk, comp, trailing);
                if (err)
                    break;
                continue;
            }
            *out = fd;
            break;
        }
        int e = errno;
        struct stat st;
        if (chase && (e == ELOOP || e == ENOTDIR || e == EMLINK) &&
            fstatat(top, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
            err = splice_link(wk, comp, trailing);
            if (err)
                break;
            continue;
        }
        err = wasi_errno(e);
        break;
    }
    while (wk->depth > 0)
        close(wk->fds[wk->depth--]);
    free(wk);
    return err;
}

uint16_t wasi_resolve_open(int dirfd, const char *path, int flags, mode_t mode, bool follow,
                           int *out)
{
    *out = -1;
    if (!wasi_resolve_using_walk()) {
        uint16_t e = open_beneath(dirfd, path, flags, mode, follow, out);
        if (e != NO_OPENAT2)
            return e;
        kernel_lacks = 1;
    }
    return open_walk(dirfd, path, flags, mode, follow, out);
}

uint16_t wasi_resolve_parent(int dirfd, const char *path, int *parent, char *name,
                             size_t namelen, bool *trailing)
{
    *parent = -1;
    size_t len = strlen(path);
    bool tr = false;
    while (len > 0 && path[len - 1] == '/') {
        len--;
        tr = true;
    }
    if (len == 0)
        return WE_NOENT;
    size_t slash = len;
    while (slash > 0 && path[slash - 1] != '/')
        slash--;
    size_t nlen = len - slash;
    if (nlen >= namelen)
        return WE_NAMETOOLONG;
    char buf[PATH_MAX];
    if (len >= sizeof buf)
        return WE_NAMETOOLONG;
    memcpy(name, path + slash, nlen);
    name[nlen] = 0;
    uint16_t e;
    int fd;
    if (!strcmp(name, ".") || !strcmp(name, "..")) {
        /* resolve the whole path (it must stay beneath) and act on "." of it */
        memcpy(buf, path, len);
        buf[len] = 0;
        strcpy(name, ".");
    } else if (slash == 0) {
        strcpy(buf, ".");
    } else {
        memcpy(buf, path, slash);
        buf[slash] = 0;
    }
    e = wasi_resolve_open(dirfd, buf, O_PATH | O_DIRECTORY, 0, true, &fd);
    if (e)
        return e;
    if (tr) {
        struct stat st;
        if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode)) {
            close(fd);
            return WE_NOTDIR;
        }
    }
    *parent = fd;
    *trailing = tr;
    return WE_SUCCESS;
}
