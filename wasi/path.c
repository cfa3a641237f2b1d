/* WASI path_* functions. Every path is relative to a directory fd of the
 * guest and resolves beneath it (resolve.c); operations on the last
 * component use *at() calls on the resolved parent with no following, so a
 * symlink there is acted on itself, never its target. Read-only maps refuse
 * every change with ROFS before anything is touched. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi_impl.h"

#define U32(v) ((uint32_t)(v).of.i32)
#define U64(v) ((uint64_t)(v).of.i64)
#define LOOKUP_FOLLOW 1u

/* Refusals that are capability decisions get audited. */
static bool is_denial(uint16_t e)
{
    return e == WE_NOTCAPABLE || e == WE_ROFS || e == WE_PERM || e == WE_ACCES ||
           e == WE_LOOP || e == WE_NAMETOOLONG || e == WE_INVAL || e == WE_FAULT ||
           e == WE_ILSEQ;
}

static const char *dir_name(const wasi_fd *d) { return d && d->name ? d->name : "?"; }

/* A directory's guest name as the start of a path beneath it, without its
 * trailing slashes: the map at "/" names "/data/in.txt", not "//data/in.txt".
 * Used as "%.*s/%s" with UNDER(d), path. A guest path that is itself
 * absolute keeps its own slash ("/box//etc/passwd"), which shows that the
 * guest asked for an absolute path relative to that directory. */
static int prefix_len(const wasi_fd *d)
{
    const char *n = dir_name(d);
    size_t len = strlen(n);
    while (len > 0 && n[len - 1] == '/')
        len--;
    return (int)len;
}
#define UNDER(d) prefix_len(d), dir_name(d)

static const char *denial_reason(const wctx *x, uint16_t e)
{
    switch (e) {
    case WE_NOTCAPABLE: return x->why ? x->why : "outside the mapped directories";
    case WE_ROFS: return "read-only map";
    case WE_FAULT: return "bad pointer";
    case WE_LOOP: return "symlink loop";
    case WE_NAMETOOLONG: return "name too long";
    case WE_INVAL: return "invalid path or argument";
    default: return "refused";
    }
}

static uint16_t finish(wctx *x, const char *op, const wasi_fd *d, const char *path, uint16_t e)
{
    if (e && is_denial(e))
        WASI_AUDIT(x->w, "fs.deny", WB_STR("op", op), WB_STR("dir", dir_name(d)),
                   WB_STR("path", path), WB_STR("errno", wasi_errno_name(e)),
                   WB_STR("reason", denial_reason(x, e)));
    return e;
}

/* The one audit record of a link placement the symlink rule refuses
 * (links.c): the op, the guest path of the link as it would be (`where`
 * names the link below a moved directory), its target, the errno and the
 * reason. A moved directory refused as a whole (unreadable, too deep) has
 * no target. */
static uint16_t refuse_link(wctx *x, const char *op, const wasi_fd *d, const char *path,
                            const char *where, const char *target, const char *reason)
{
    size_t n = strlen(path) + strlen(where) + 2;
    char *shown_path = where[0] ? malloc(n) : NULL;
    if (shown_path)
        snprintf(shown_path, n, "%s/%s", path, where);
    WASI_AUDIT(x->w, "fs.deny", WB_STR("op", op), WB_STR("dir", dir_name(d)),
               WB_STR("path", shown_path ? shown_path : path),
               WB_STR("target", target[0] ? target : NULL), WB_STR("errno", "perm"),
               WB_STR("reason", reason));
    free(shown_path);
    return WE_PERM;
}

/* fs.change for the entry `name` just made or removed in the resolved parent p. */
static void audit_change(wctx *x, const char *op, const wasi_fd *d, const char *path, int p,
                         const char *name)
{
    char host[WASI_HOST_PATH_MAX];
    WASI_AUDIT(x->w, "fs.change", WB_STR("op", op), WB_STR("dir", dir_name(d)),
               WB_STR("path", path),
               WB_STR("host_path", wasi_host_path(x->w, p, name, host, sizeof host)));
}

/* The common start of a path operation: the dir fd, its rights, the map's
 * writability, and the guest path (copied out and checked). */
static uint16_t begin(wctx *x, uint32_t fd, uint64_t rights, bool writes, uint32_t pptr,
                      uint32_t plen, char *path, wasi_fd **out)
{
    wasi_fd *d = wasi_fd_get(x->w, fd);
    *out = d;
    path[0] = 0;
    if (!d)
        return WE_BADF;
    if (d->kind != WFD_DIR) /* a file or stdio as the dir fd: Wasmtime's BADF */
        return WE_BADF;
    uint8_t *p = wasi_mem(x, pptr, plen);
    if (!p)
        return WE_FAULT;
    uint16_t e = wasi_path_check(p, plen, path, PATH_MAX);
    if (e) {
        /* refused, but the audit shows what was asked where it is a string
         * (an absolute path, an overlong name); else "<invalid>" */
        bool showable = plen < PATH_MAX && !memchr(p, 0, plen);
        if (showable)
            memcpy(path, p, plen);
        path[showable ? plen : 0] = 0;
        return e;
    }
    if (writes && d->read_only)
        return WE_ROFS;
    if ((d->rights_base & rights) != rights) {
        x->why = "not permitted by the fd's rights";
        return WE_NOTCAPABLE;
    }
    return WE_SUCCESS;
}

static const char *shown(const char *path) { return path[0] ? path : NULL; }

/* A new name with a trailing slash ("new/") can only name a directory, which
 * no symlink or hard link may replace: EXIST when something is there
 * (wasi_resolve_parent already said NOTDIR for a non-directory), NOENT when
 * nothing is, as Linux and Wasmtime answer; nothing is created. */
static uint16_t slashed_new_name(int parent, const char *name)
{
    struct stat st;
    return fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? WE_EXIST : WE_NOENT;
}

/* Whether path (beneath dirfd) is a FIFO. */
static bool is_fifo(int dirfd, const char *path, bool follow)
{
    int h;
    if (wasi_resolve_open(dirfd, path, O_PATH, 0, follow, &h))
        return false;
    struct stat st;
    bool fifo = fstat(h, &st) == 0 && S_ISFIFO(st.st_mode);
    close(h);
    return fifo;
}

/* wasi_resolve_open with flags that hold O_NONBLOCK, so no open can hang:
 * then a FIFO opened for writing while nobody has it open for reading
 * fails with ENXIO. POSIX would wait for a reader instead, and that is what
 * a guest that did not ask for NONBLOCK gets: the open is tried again every
 * 10 ms until a reader comes or the run is interrupted. */
static uint16_t open_fifo_aware(wctx *x, int dirfd, const char *path, int flags, bool follow,
                                bool nonblock, int *out)
{
    for (;;) {
        uint16_t e = wasi_resolve_open(dirfd, path, flags, 0666, follow, out);
        if (e != WE_NXIO || nonblock || !is_fifo(dirfd, path, follow))
            return e;
        e = wasi_wait(x, -1, 0, 10);
        if (e != WE_AGAIN)
            return e; /* interrupted */
    }
}

WASI_FN(path_open)
{
    uint32_t dirflags = U32(a[1]), oflags = U32(a[4]), fdflags = U32(a[7]), ret = U32(a[8]);
    uint64_t rb = U64(a[5]), ri = U64(a[6]);
    char path[PATH_MAX];
    wasi_fd *d;
    uint16_t e = begin(x, U32(a[0]), R_PATH_OPEN, false, U32(a[2]), U32(a[3]), path, &d);
    if (e == WE_BADF && d && d->kind == WFD_FILE)
        e = WE_NOTDIR; /* path_open alone says NOTDIR for a file as dir fd (Wasmtime) */
    if (e)
        return finish(x, "open", d, shown(path), e);
    if (!wasi_mem(x, ret, 4))
        return finish(x, "open", d, path, WE_FAULT);
    if ((oflags & ~0xFu) || (fdflags & ~0x1Fu))
        return finish(x, "open", d, path, WE_INVAL);
    bool creat = oflags & 1, want_dir = oflags & 2, excl = oflags & 4, trunc = oflags & 8;
    bool wr = rb & (R_FD_WRITE | R_FD_ALLOCATE | R_FD_FILESTAT_SET_SIZE);
    bool rd = rb & (R_FD_READ | R_FD_READDIR);
    if (d->read_only && (creat || trunc || wr || (fdflags & FDF_APPEND)))
        return finish(x, "open", d, path, WE_ROFS);
    uint64_t need = R_PATH_OPEN | (creat ? R_PATH_CREATE_FILE : 0) |
                    (trunc ? R_PATH_FILESTAT_SET_SIZE : 0);
    if ((d->rights_base & need) != need || (rb & ~d->rights_inheriting) ||
        (ri & ~d->rights_inheriting)) {
        x->why = "not permitted by the fd's rights";
        return finish(x, "open", d, path, WE_NOTCAPABLE);
    }
    if (want_dir && (creat || trunc))
        return finish(x, "open", d, path, WE_INVAL);
    /* A directory asked for with a write right is refused by the kernel:
     * ISDIR, as Wasmtime (the right would be dropped otherwise). */
    int flags;
    if (wr || trunc)
        flags = rd ? O_RDWR : O_WRONLY;
    else
        flags = O_RDONLY;
    if (want_dir)
        flags |= O_DIRECTORY;
    flags |= (creat ? O_CREAT : 0) | (excl ? O_EXCL : 0) | (trunc ? O_TRUNC : 0) |
             ((fdflags & FDF_APPEND) ? O_APPEND : 0) | ((fdflags & FDF_DSYNC) ? O_DSYNC : 0) |
             ((fdflags & FDF_SYNC) ? O_SYNC : 0) | ((fdflags & FDF_RSYNC) ? O_RSYNC : 0) |
             O_NOCTTY | O_NONBLOCK; /* a FIFO in the map must not hang the open */
    int h;
    e = open_fifo_aware(x, d->host, path, flags, dirflags & LOOKUP_FOLLOW,
                        fdflags & FDF_NONBLOCK, &h);
    if (e)
        return finish(x, "open", d, path, e);
    /* A FIFO stays non-blocking on the host (the description is ours alone),
     * so that no read or write of it can hang even when another process
     * fills or drains it between our wait and the call; devices and sockets
     * get the blocking semantics the guest expects. Regular files and
     * directories keep the flag: it has no effect on them (open(2)), and
     * clearing it cost two fcntl calls an open (a grep over a tree opens
     * every file). */
    struct stat st;
    int fl = 0;
    if (fstat(h, &st) < 0 ||
        (!S_ISFIFO(st.st_mode) && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) &&
         ((fl = fcntl(h, F_GETFL)) < 0 || fcntl(h, F_SETFL, fl & ~O_NONBLOCK) < 0))) {
        e = wasi_errno(errno);
        close(h);
        return e;
    }
    int64_t slot = wasi_fd_alloc(x->w);
    if (slot < 0) {
        close(h);
        return WE_MFILE;
    }
    d = wasi_fd_get(x->w, U32(a[0])); /* the table may have moved */
    /* "%.*s/%s" with UNDER(d), path, put together by hand: snprintf was
     * ~40% of path_open's host instructions (callgrind, a grep over a tree) */
    size_t dl = (size_t)prefix_len(d), pl = strlen(path);
    char *name = malloc(dl + 1 + pl + 1);
    if (!name) {
        close(h);
        return WE_NOMEM;
    }
    memcpy(name, dir_name(d), dl);
    name[dl] = '/';
    memcpy(name + dl + 1, path, pl + 1);
    wasi_fd *f = &x->w->fds[slot];
    f->kind = S_ISDIR(st.st_mode) ? WFD_DIR : WFD_FILE;
    f->host = h;
    f->filetype = wasi_filetype_of(st.st_mode);
    f->fdflags = (uint16_t)fdflags;
    f->read_only = d->read_only;
    /* only the rights that apply to what was opened (a directory is
     * never read, written or seeked as data; a file has no path rights) */
    rb &= f->kind == WFD_DIR ? R_DIR_BASE : R_FILE_BASE;
    f->rights_base = d->read_only ? rb & ~R_WRITES : rb;
    f->rights_inheriting = ri;
    f->name = name;
    if (f->kind == WFD_DIR) { /* fd_readdir's answers from this open (wasi_fd says why) */
        f->self_known = true;
        f->map_root = wasi_is_map_root(x->w, &st);
        f->self_ino = (uint64_t)st.st_ino;
        f->at_start = true;
    }
    char host[WASI_HOST_PATH_MAX];
    const char *mode = f->kind == WFD_DIR ? "dir" : wr && rd ? "rw" : wr || trunc ? "w" : "r";
    WASI_AUDIT(x->w, "fs.open", WB_STR("op", "open"), WB_STR("dir", dir_name(d)),
               WB_STR("path", path),
               WB_STR("host_path", wasi_host_path(x->w, h, NULL, host, sizeof host)),
               WB_UINT("fd", slot), WB_STR("mode", mode), WB_BOOL("create", creat),
               WB_BOOL("trunc", trunc));
    x->w->opened = (struct wasi_opened){(uint32_t)slot, wb_call_store(x->call),
                                        wb_call_sequence(x->call), st};
    return wasi_put32(x, ret, (uint32_t)slot);
}

WASI_FN(path_filestat_get)
{
    char path[PATH_MAX];
    wasi_fd *d;
    uint16_t e = begin(x, U32(a[0]), R_PATH_FILESTAT_GET, false, U32(a[2]), U32(a[3]), path, &d);
    if (e)
        return finish(x, "stat", d, shown(path), e);
    if (!wasi_mem(x, U32(a[4]), wasi_filestat_size(x)))
        return finish(x, "stat", d, path, WE_FAULT);
    int h;
    e = wasi_resolve_open(d->host, path, O_PATH, 0, U32(a[1]) & LOOKUP_FOLLOW, &h);
    if (e)
        return finish(x, "stat", d, path, e);
    struct stat st;
    int r = fstat(h, &st);
    e = r < 0 ? wasi_errno(errno) : WE_SUCCESS;
    close(h);
    return e ? e : wasi_put_filestat(x, U32(a[4]), &st);
}

/* Sets times on an fd opened O_PATH (which futimens refuses). */
static int times_on_path_fd(int h, const struct timespec ts[2])
{
    if (utimensat(h, "", ts, AT_EMPTY_PATH) == 0)
        return 0;
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", h);
    return utimensat(AT_FDCWD, proc, ts, 0);
}

WASI_FN(path_filestat_set_times)
{
    char path[PATH_MAX];
    wasi_fd *d;
    uint16_t e = begin(x, U32(a[0]), R_PATH_FILESTAT_SET_TIMES, true, U32(a[2]), U32(a[3]),
                       path, &d);
    if (e)
        return finish(x, "set_times", d, shown(path), e);
    struct timespec ts[2];
    if ((e = wasi_make_times(U64(a[4]), U64(a[5]), U32(a[6]), ts)))
        return finish(x, "set_times", d, path, e);
    if (U32(a[1]) & LOOKUP_FOLLOW) {
        int h;
        e = wasi_resolve_open(d->host, path, O_PATH, 0, true, &h);
        if (e)
            return finish(x, "set_times", d, path, e);
        e = times_on_path_fd(h, ts) < 0 ? wasi_errno(errno) : WE_SUCCESS;
        close(h);
        return e;
    }
    int p;
    char name[NAME_MAX + 1];
    bool tr;
    e = wasi_resolve_parent(d->host, path, &p, name, sizeof name, &tr);
    if (e)
        return finish(x, "set_times", d, path, e);
    e = utimensat(p, name, ts, AT_SYMLINK_NOFOLLOW) < 0 ? wasi_errno(errno) : WE_SUCCESS;
    close(p);
    return e;
}

WASI_FN(path_create_directory)
{
    char path[PATH_MAX];
    wasi_fd *d;
    uint16_t e = begin(x, U32(a[0]), R_PATH_CREATE_DIRECTORY, true, U32(a[1]), U32(a[2]), path,
                       &d);
    if (e)
        return finish(x, "mkdir", d, shown(path), e);
    int p;
    char name[NAME_MAX + 1];
    bool tr;
    if ((e = wasi_resolve_parent(d->host, path, &p, name, sizeof name, &tr)))
        return finish(x, "mkdir", d, path, e);
    e = mkdirat(p, name, 0777) < 0 ? wasi_errno(errno) : WE_SUCCESS;
    if (!e)
        audit_change(x, "mkdir", d, path, p, name);
    close(p);
    return finish(x, "mkdir", d, path, e);
}

static uint16_t remove_entry(wctx *x, const wb_value *a, bool is_dir)
{
    const char *op = is_dir ? "rmdir" : "unlink";
    char path[PATH_MAX];
    wasi_fd *d;
    uint16_t e = begin(x, U32(a[0]), is_dir ? R_PATH_REMOVE_DIRECTORY : R_PATH_UNLINK_FILE, true,
                       U32(a[1]), U32(a[2]), path, &d);
    if (e)
        return finish(x, op, d, shown(path), e);
    int p;
    char name[NAME_MAX + 1];
    bool tr;
    if ((e = wasi_resolve_parent(d->host, path, &p, name, sizeof name, &tr)))
        return finish(x, op, d, path, e);
    e = unlinkat(p, name, is_dir ? AT_REMOVEDIR : 0) < 0 ? wasi_errno(errno) : WE_SUCCESS;
    if (!e)
        audit_change(x, op, d, path, p, name);
    close(p);
    return finish(x, op, d, path, e);
}

WASI_FN(path_remove_directory) { return remove_entry(x, a, true); }
WASI_FN(path_unlink_file) { return remove_entry(x, a, false); }

WASI_FN(path_rename)
{
    char from[PATH_MAX], to[PATH_MAX];
    wasi_fd *d1, *d2;
    uint16_t e = begin(x, U32(a[0]), R_PATH_RENAME_SOURCE, true, U32(a[1]), U32(a[2]), from, &d1);
    if (e)
        return finish(x, "rename", d1, shown(from), e);
    e = begin(x, U32(a[3]), R_PATH_RENAME_TARGET, true, U32(a[4]), U32(a[5]), to, &d2);
    if (e)
        return finish(x, "rename", d2, shown(to), e);
    int p1, p2;
    char n1[NAME_MAX + 1], n2[NAME_MAX + 1];
    bool t1, t2;
    if ((e = wasi_resolve_parent(d1->host, from, &p1, n1, sizeof n1, &t1)))
        return finish(x, "rename", d1, from, e);
    if ((e = wasi_resolve_parent(d2->host, to, &p2, n2, sizeof n2, &t2))) {
        close(p1);
        return finish(x, "rename", d2, to, e);
    }
    /* a trailing slash on either name says "directory": renaming anything
     * else so is NOTDIR (Linux, Wasmtime), never a rename of the file */
    struct stat st1;
    if ((t1 || t2) && fstatat(p1, n1, &st1, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st1.st_mode)) {
        close(p1);
        close(p2);
        return finish(x, "rename", d1, from, WE_NOTDIR);
    }
    /* a link, or a directory holding links, is judged at its new place:
     * relative targets mean something else there */
    wasi_link_refusal *r = malloc(sizeof *r);
    e = r ? wasi_link_check_move(x, d2->host, p1, n1, p2, true, r) : WE_NOMEM;
    bool ruled = e == WE_PERM; /* refused by the symlink rule: audited here, with the link */
    if (ruled)
        refuse_link(x, "rename", d2, to, r->where, r->target, r->reason);
    else if (!e)
        e = renameat(p1, n1, p2, n2) < 0 ? wasi_errno(errno) : WE_SUCCESS;
    free(r);
    if (!e && !ruled) {
        char h1[WASI_HOST_PATH_MAX], h2[WASI_HOST_PATH_MAX];
        WASI_AUDIT(x->w, "fs.change", WB_STR("op", "rename"), WB_STR("dir", dir_name(d1)),
                   WB_STR("path", from),
                   WB_STR("host_path", wasi_host_path(x->w, p1, n1, h1, sizeof h1)),
                   WB_STR("new_dir", dir_name(d2)), WB_STR("new_path", to),
                   WB_STR("new_host_path", wasi_host_path(x->w, p2, n2, h2, sizeof h2)));
    }
    close(p1);
    close(p2);
    if (ruled || x->stopped)
        return e;
    return finish(x, "rename", d1, from, e);
}

WASI_FN(path_symlink)
{
    char target[PATH_MAX], path[PATH_MAX];
    wasi_fd *d;
    uint16_t e = begin(x, U32(a[2]), R_PATH_SYMLINK, true, U32(a[3]), U32(a[4]), path, &d);
    if (e)
        return finish(x, "symlink", d, shown(path), e);
    uint32_t tlen = U32(a[1]);
    uint8_t *t = wasi_mem(x, U32(a[0]), tlen);
    if (!t)
        return finish(x, "symlink", d, path, WE_FAULT);
    if (tlen >= PATH_MAX)
        return finish(x, "symlink", d, path, WE_NAMETOOLONG);
    if (memchr(t, 0, tlen))
        return finish(x, "symlink", d, path, WE_INVAL);
    memcpy(target, t, tlen);
    target[tlen] = 0;
    int p;
    char name[NAME_MAX + 1];
    bool tr;
    if ((e = wasi_resolve_parent(d->host, path, &p, name, sizeof name, &tr)))
        return finish(x, "symlink", d, path, e);
    if (tr) {
        e = slashed_new_name(p, name);
        close(p);
        return finish(x, "symlink", d, path, e);
    }
    /* A link whose text could lead out is refused even though our own
     * lookups would never follow it out: the host's programs would. */
    const char *why = NULL;
    e = wasi_link_check_new(x, d->host, p, target, &why);
    if (e) {
        close(p);
        return e == WE_PERM ? refuse_link(x, "symlink", d, path, "", target, why)
                            : finish(x, "symlink", d, path, e);
    }
    e = symlinkat(target, p, name) < 0 ? wasi_errno(errno) : WE_SUCCESS;
    if (!e) {
        char host[WASI_HOST_PATH_MAX];
        WASI_AUDIT(x->w, "fs.change", WB_STR("op", "symlink"), WB_STR("dir", dir_name(d)),
                   WB_STR("path", path),
                   WB_STR("host_path", wasi_host_path(x->w, p, name, host, sizeof host)),
                   WB_STR("target", target));
    }
    close(p);
    return finish(x, "symlink", d, path, e);
}

WASI_FN(path_link)
{
    char from[PATH_MAX], to[PATH_MAX];
    wasi_fd *d1, *d2;
    uint16_t e = begin(x, U32(a[0]), R_PATH_LINK_SOURCE, false, U32(a[2]), U32(a[3]), from, &d1);
    if (!e && d1->read_only) {
        e = WE_NOTCAPABLE; /* a second name elsewhere would make the file writable */
        x->why = "hard link out of a read-only map";
    }
    if (e)
        return finish(x, "link", d1, shown(from), e);
    e = begin(x, U32(a[4]), R_PATH_LINK_TARGET, true, U32(a[5]), U32(a[6]), to, &d2);
    if (e)
        return finish(x, "link", d2, shown(to), e);
    int p2;
    char n2[NAME_MAX + 1];
    bool t2;
    if ((e = wasi_resolve_parent(d2->host, to, &p2, n2, sizeof n2, &t2)))
        return finish(x, "link", d2, to, e);
    if (t2) {
        e = slashed_new_name(p2, n2);
        close(p2);
        return finish(x, "link", d2, to, e);
    }
    bool ruled = false; /* refused by the symlink rule: audited there, with the link */
    char th[WASI_HOST_PATH_MAX]; /* the existing file's host path, for the audit */
    const char *target_host = NULL;
    if (U32(a[1]) & LOOKUP_FOLLOW) {
        int h;
        e = wasi_resolve_open(d1->host, from, O_PATH, 0, true, &h);
        if (!e) {
            char proc[64];
            snprintf(proc, sizeof proc, "/proc/self/fd/%d", h);
            if (linkat(h, "", p2, n2, AT_EMPTY_PATH) < 0 &&
                linkat(AT_FDCWD, proc, p2, n2, AT_SYMLINK_FOLLOW) < 0)
                e = wasi_errno(errno);
            target_host = e ? NULL : wasi_host_path(x->w, h, NULL, th, sizeof th);
            close(h);
        }
    } else {
        /* the new name of a symlink is a symlink there: judged as one */
        int p1;
        char n1[NAME_MAX + 1];
        bool t1;
        wasi_link_refusal *r = malloc(sizeof *r);
        e = r ? wasi_resolve_parent(d1->host, from, &p1, n1, sizeof n1, &t1) : WE_NOMEM;
        if (!e) {
            e = wasi_link_check_move(x, d2->host, p1, n1, p2, false, r);
            ruled = e == WE_PERM;
            if (ruled)
                refuse_link(x, "link", d2, to, "", r->target, r->reason);
            else if (!e)
                e = linkat(p1, n1, p2, n2, 0) < 0 ? wasi_errno(errno) : WE_SUCCESS;
            target_host = e ? NULL : wasi_host_path(x->w, p1, n1, th, sizeof th);
            close(p1);
        }
        free(r);
    }
    if (!e) {
        char host[WASI_HOST_PATH_MAX];
        WASI_AUDIT(x->w, "fs.change", WB_STR("op", "link"), WB_STR("dir", dir_name(d2)),
                   WB_STR("path", to),
                   WB_STR("host_path", wasi_host_path(x->w, p2, n2, host, sizeof host)),
                   WB_STR("target_dir", dir_name(d1)), WB_STR("target", from),
                   WB_STR("target_host_path", target_host));
    }
    close(p2);
    if (ruled)
        return e;
    return finish(x, "link", d1, from, e);
}

WASI_FN(path_readlink)
{
    char path[PATH_MAX];
    wasi_fd *d;
    uint16_t e = begin(x, U32(a[0]), R_PATH_READLINK, false, U32(a[1]), U32(a[2]), path, &d);
    if (e)
        return finish(x, "readlink", d, shown(path), e);
    uint32_t buf = U32(a[3]), buflen = U32(a[4]);
    if (!wasi_mem(x, buf, buflen) || !wasi_mem(x, U32(a[5]), 4))
        return finish(x, "readlink", d, path, WE_FAULT);
    int p;
    char name[NAME_MAX + 1], target[PATH_MAX];
    bool tr;
    if ((e = wasi_resolve_parent(d->host, path, &p, name, sizeof name, &tr)))
        return finish(x, "readlink", d, path, e);
    ssize_t n = readlinkat(p, name, target, sizeof target);
    e = n < 0 ? wasi_errno(errno) : WE_SUCCESS;
    close(p);
    if (e)
        return finish(x, "readlink", d, path, e);
    uint32_t c = (size_t)n < buflen ? (uint32_t)n : buflen;
    memcpy(wasi_mem(x, buf, buflen), target, c);
    return wasi_put32(x, U32(a[5]), c);
}
