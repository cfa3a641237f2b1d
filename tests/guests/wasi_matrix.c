/* The WASI preview1 behaviour matrix (tests/e2e/wasi_matrix.sh sets up the
 * fixture and reads the output). Every fd_* and path_* function, and the
 * sock_* ones, against every kind of fd (regular file, directory, preopen,
 * stdin, stdout, closed, out of range) and every path shape (trailing slash,
 * ".", "..", empty, symlinks to a file, a directory, nothing and outside,
 * existing and missing), each cell asserting one errno and, where the call
 * succeeds, what it reports (filetype, rights, sizes).
 *
 * The expected values are written by hand from the preview1 spec and
 * Wasmtime's implementation; wasi/README.md ("Behaviour matrix") has the
 * table with the source of each. Prints one line per cell:
 *   ok CELL errno=NAME
 *   FAIL CELL expected=NAME actual=NAME
 * then "cells N failed M"; exits 1 when any cell failed. A cell whose set-up
 * fails is a failure too (named "setup ..."), never skipped.
 *
 * The preopen is fd 3, mapped read-write at /box over the fixture:
 *   f (file "hello\n"), d/ (holding x), e/ and e2/ (empty), lf -> f,
 *   ld -> d, ldang -> missing, lout -> ../outside/secret, lloop -> lloop,
 *   ul_f -> f, ul_dang -> nowhere, rn_f (file), rn_d/ (dir). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#define PRE 3u
#define OK __WASI_ERRNO_SUCCESS
#define BADF __WASI_ERRNO_BADF
#define NOTDIR __WASI_ERRNO_NOTDIR
#define ISDIR __WASI_ERRNO_ISDIR
#define NOENT __WASI_ERRNO_NOENT
#define EXIST __WASI_ERRNO_EXIST
#define SPIPE __WASI_ERRNO_SPIPE
#define INVAL __WASI_ERRNO_INVAL
#define NOTCAP __WASI_ERRNO_NOTCAPABLE
#define NOTSOCK __WASI_ERRNO_NOTSOCK
#define LOOP __WASI_ERRNO_LOOP
#define PERM __WASI_ERRNO_PERM
#define NOTEMPTY __WASI_ERRNO_NOTEMPTY
#define NAMETOOLONG __WASI_ERRNO_NAMETOOLONG

/* preview1's errno names, in numbering order */
static const char *const errno_names[] = {
    "success", "2big", "acces", "addrinuse", "addrnotavail", "afnosupport", "again",
    "already", "badf", "badmsg", "busy", "canceled", "child", "connaborted",
    "connrefused", "connreset", "deadlk", "destaddrreq", "dom", "dquot", "exist",
    "fault", "fbig", "hostunreach", "idrm", "ilseq", "inprogress", "intr", "inval",
    "io", "isconn", "isdir", "loop", "mfile", "mlink", "msgsize", "multihop",
    "nametoolong", "netdown", "netreset", "netunreach", "nfile", "nobufs", "nodev",
    "noent", "noexec", "nolck", "nolink", "nomem", "nomsg", "noprotoopt", "nospc",
    "nosys", "notconn", "notdir", "notempty", "notrecoverable", "notsock", "notsup",
    "notty", "nxio", "overflow", "ownerdead", "perm", "pipe", "proto",
    "protonosupport", "prototype", "range", "rofs", "spipe", "srch", "stale",
    "timedout", "txtbsy", "xdev", "notcapable",
};

static const char *ename(unsigned e)
{
    static char other[32];
    if (e < sizeof errno_names / sizeof errno_names[0])
        return errno_names[e];
    snprintf(other, sizeof other, "errno-%u", e);
    return other;
}

static int cells, failed;

static void cell(const char *name, unsigned expected, unsigned actual)
{
    cells++;
    if (expected == actual) {
        printf("ok %s errno=%s\n", name, ename(actual));
    } else {
        failed++;
        printf("FAIL %s expected=%s ", name, ename(expected));
        printf("actual=%s\n", ename(actual));
    }
}

/* A result check beside the errno: "ok" or "FAIL" with what was wrong. */
static void check(const char *name, int good, const char *what)
{
    cells++;
    if (good) {
        printf("ok %s %s\n", name, what);
    } else {
        failed++;
        printf("FAIL %s expected %s\n", name, what);
    }
}

#define R(x) __WASI_RIGHTS_##x
/* what wasi-libc asks for when it opens anything: every right */
#define ALL_RIGHTS ((__wasi_rights_t)((1ull << 30) - 1))
#define FILE_ONLY_RIGHTS (R(FD_READ) | R(FD_WRITE) | R(FD_SEEK) | R(FD_TELL) | R(FD_ALLOCATE) | \
                          R(FD_FILESTAT_SET_SIZE))
/* asked for on a directory: ISDIR */
#define DIR_WRITE_RIGHTS (R(FD_WRITE) | R(FD_ALLOCATE) | R(FD_FILESTAT_SET_SIZE))
#define PATH_RIGHTS (R(PATH_CREATE_DIRECTORY) | R(PATH_CREATE_FILE) | R(PATH_LINK_SOURCE) |     \
                     R(PATH_LINK_TARGET) | R(PATH_OPEN) | R(FD_READDIR) | R(PATH_READLINK) |    \
                     R(PATH_RENAME_SOURCE) | R(PATH_RENAME_TARGET) | R(PATH_FILESTAT_GET) |     \
                     R(PATH_FILESTAT_SET_TIMES) | R(PATH_SYMLINK) |                             \
                     R(PATH_REMOVE_DIRECTORY) | R(PATH_UNLINK_FILE))

/* ---- fd kinds ---- */

enum { K_FILE, K_DIR, K_PRE, K_STDIN, K_STDOUT, K_CLOSED, K_RANGE, NKINDS };
static const char *const kind_names[NKINDS] = {"file", "dir", "preopen", "stdin",
                                               "stdout", "closed", "out_of_range"};
static __wasi_fd_t kind_fd[NKINDS];

static __wasi_fd_t open_file(const char *path, __wasi_rights_t rights)
{
    __wasi_fd_t fd = 0;
    __wasi_errno_t e = __wasi_path_open(PRE, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, 0, rights,
                                        0, 0, &fd);
    if (e) {
        cell("setup open_file", OK, e);
        return 0xFFFFFFFFu;
    }
    return fd;
}

/* The fd functions, each called in a way that succeeds on a regular file
 * opened with every right, without changing the fixture. */
enum {
    F_ADVISE, F_ALLOCATE, F_DATASYNC, F_FDSTAT_GET, F_FDSTAT_SET_FLAGS, F_FDSTAT_SET_RIGHTS,
    F_FILESTAT_GET, F_FILESTAT_SET_SIZE, F_FILESTAT_SET_TIMES, F_PREAD, F_PWRITE,
    F_PRESTAT_GET, F_PRESTAT_DIR_NAME, F_READ, F_READDIR, F_SEEK, F_SYNC, F_TELL, F_WRITE,
    S_ACCEPT, S_RECV, S_SEND, S_SHUTDOWN, NFNS
};

static unsigned call_fd(int fn, __wasi_fd_t fd)
{
    static uint8_t buf[256];
    __wasi_iovec_t iov = {buf, 1};
    __wasi_ciovec_t none = {buf, 0}; /* writes nothing: stdout stays clean */
    __wasi_size_t n;
    __wasi_filesize_t pos;
    __wasi_fdstat_t st;
    __wasi_filestat_t fst;
    __wasi_prestat_t pr;
    __wasi_roflags_t rof;
    __wasi_fd_t nfd;
    switch (fn) {
    case F_ADVISE: return __wasi_fd_advise(fd, 0, 1, __WASI_ADVICE_NORMAL);
    case F_ALLOCATE: return __wasi_fd_allocate(fd, 0, 1);
    case F_DATASYNC: return __wasi_fd_datasync(fd);
    case F_FDSTAT_GET: return __wasi_fd_fdstat_get(fd, &st);
    case F_FDSTAT_SET_FLAGS: return __wasi_fd_fdstat_set_flags(fd, 0);
    case F_FDSTAT_SET_RIGHTS: {
        /* keep exactly what it has: allowed wherever the fd is open */
        __wasi_errno_t e = __wasi_fd_fdstat_get(fd, &st);
        if (e)
            return e;
        return __wasi_fd_fdstat_set_rights(fd, st.fs_rights_base, st.fs_rights_inheriting);
    }
    case F_FILESTAT_GET: return __wasi_fd_filestat_get(fd, &fst);
    case F_FILESTAT_SET_SIZE: return __wasi_fd_filestat_set_size(fd, 6); /* its size */
    case F_FILESTAT_SET_TIMES:
        return __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW);
    case F_PREAD: return __wasi_fd_pread(fd, &iov, 1, 0, &n);
    case F_PWRITE: return __wasi_fd_pwrite(fd, &none, 1, 0, &n);
    case F_PRESTAT_GET: return __wasi_fd_prestat_get(fd, &pr);
    case F_PRESTAT_DIR_NAME: return __wasi_fd_prestat_dir_name(fd, buf, sizeof buf);
    case F_READ: return __wasi_fd_read(fd, &iov, 1, &n);
    case F_READDIR: return __wasi_fd_readdir(fd, buf, sizeof buf, 0, &n);
    case F_SEEK: return __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
    case F_SYNC: return __wasi_fd_sync(fd);
    case F_TELL: return __wasi_fd_tell(fd, &pos);
    case F_WRITE: return __wasi_fd_write(fd, &none, 1, &n);
    case S_ACCEPT: return __wasi_sock_accept(fd, 0, &nfd);
    case S_RECV: return __wasi_sock_recv(fd, &iov, 1, 0, &n, &rof);
    case S_SEND: return __wasi_sock_send(fd, &none, 1, 0, &n);
    case S_SHUTDOWN: return __wasi_sock_shutdown(fd, __WASI_SDFLAGS_WR);
    }
    return 0xFFFF;
}

/* function x fd kind -> errno (wasi/README.md, "Behaviour matrix", fd rows) */
static const struct {
    const char *name;
    unsigned short expect[NKINDS]; /* file dir preopen stdin stdout closed range */
} fd_rows[NFNS] = {
    [F_ADVISE] = {"fd_advise", {OK, BADF, BADF, BADF, BADF, BADF, BADF}},
    [F_ALLOCATE] = {"fd_allocate", {OK, BADF, BADF, BADF, BADF, BADF, BADF}},
    [F_DATASYNC] = {"fd_datasync", {OK, BADF, BADF, BADF, BADF, BADF, BADF}},
    [F_FDSTAT_GET] = {"fd_fdstat_get", {OK, OK, OK, OK, OK, BADF, BADF}},
    [F_FDSTAT_SET_FLAGS] = {"fd_fdstat_set_flags", {OK, BADF, BADF, OK, OK, BADF, BADF}},
    [F_FDSTAT_SET_RIGHTS] = {"fd_fdstat_set_rights", {OK, OK, OK, OK, OK, BADF, BADF}},
    [F_FILESTAT_GET] = {"fd_filestat_get", {OK, OK, OK, OK, OK, BADF, BADF}},
    [F_FILESTAT_SET_SIZE] = {"fd_filestat_set_size", {OK, BADF, BADF, BADF, BADF, BADF, BADF}},
    [F_FILESTAT_SET_TIMES] = {"fd_filestat_set_times", {OK, OK, OK, BADF, BADF, BADF, BADF}},
    [F_PREAD] = {"fd_pread", {OK, BADF, BADF, SPIPE, BADF, BADF, BADF}},
    [F_PWRITE] = {"fd_pwrite", {OK, BADF, BADF, BADF, SPIPE, BADF, BADF}},
    [F_PRESTAT_GET] = {"fd_prestat_get", {BADF, BADF, OK, BADF, BADF, BADF, BADF}},
    [F_PRESTAT_DIR_NAME] = {"fd_prestat_dir_name", {NOTDIR, NOTDIR, OK, NOTDIR, NOTDIR, BADF, BADF}},
    [F_READ] = {"fd_read", {OK, BADF, BADF, OK, BADF, BADF, BADF}},
    [F_READDIR] = {"fd_readdir", {BADF, OK, OK, BADF, BADF, BADF, BADF}},
    [F_SEEK] = {"fd_seek", {OK, BADF, BADF, SPIPE, SPIPE, BADF, BADF}},
    [F_SYNC] = {"fd_sync", {OK, BADF, BADF, BADF, BADF, BADF, BADF}},
    [F_TELL] = {"fd_tell", {OK, BADF, BADF, SPIPE, SPIPE, BADF, BADF}},
    [F_WRITE] = {"fd_write", {OK, BADF, BADF, BADF, OK, BADF, BADF}},
    [S_ACCEPT] = {"sock_accept", {NOTSOCK, NOTSOCK, NOTSOCK, NOTSOCK, NOTSOCK, BADF, BADF}},
    [S_RECV] = {"sock_recv", {NOTSOCK, NOTSOCK, NOTSOCK, NOTSOCK, NOTSOCK, BADF, BADF}},
    [S_SEND] = {"sock_send", {NOTSOCK, NOTSOCK, NOTSOCK, NOTSOCK, NOTSOCK, BADF, BADF}},
    [S_SHUTDOWN] = {"sock_shutdown", {NOTSOCK, NOTSOCK, NOTSOCK, NOTSOCK, NOTSOCK, BADF, BADF}},
};

static void fd_matrix(void)
{
    char name[96];
    for (int fn = 0; fn < NFNS; fn++)
        for (int k = 0; k < NKINDS; k++) {
            snprintf(name, sizeof name, "%s/%s", fd_rows[fn].name, kind_names[k]);
            cell(name, fd_rows[fn].expect[k], call_fd(fn, kind_fd[k]));
        }
}

/* What fd_fdstat_get and fd_filestat_get report for each open kind. */
static void fdstat_results(void)
{
    __wasi_fdstat_t st;
    __wasi_filestat_t fs;
    __wasi_rights_t b;
    if (!__wasi_fd_fdstat_get(kind_fd[K_FILE], &st)) {
        b = st.fs_rights_base;
        check("fdstat/file", st.fs_filetype == __WASI_FILETYPE_REGULAR_FILE &&
                                 (b & FILE_ONLY_RIGHTS) == FILE_ONLY_RIGHTS && !(b & PATH_RIGHTS),
              "regular_file, every file right, no path or readdir right");
    } else
        check("fdstat/file", 0, "fd_fdstat_get to succeed");
    if (!__wasi_fd_fdstat_get(kind_fd[K_DIR], &st)) {
        b = st.fs_rights_base;
        check("fdstat/dir", st.fs_filetype == __WASI_FILETYPE_DIRECTORY &&
                                !(b & FILE_ONLY_RIGHTS) && (b & PATH_RIGHTS) == PATH_RIGHTS,
              "directory, every path right, no fd_read/seek/tell "
              "(opened asking for every right but the write ones)");
    } else
        check("fdstat/dir", 0, "fd_fdstat_get to succeed");
    if (!__wasi_fd_fdstat_get(PRE, &st)) {
        b = st.fs_rights_base;
        check("fdstat/preopen", st.fs_filetype == __WASI_FILETYPE_DIRECTORY &&
                                    !(b & FILE_ONLY_RIGHTS) && (b & PATH_RIGHTS) == PATH_RIGHTS &&
                                    (st.fs_rights_inheriting & FILE_ONLY_RIGHTS) ==
                                        FILE_ONLY_RIGHTS,
              "directory, every path right, no file right; file rights inheritable");
    } else
        check("fdstat/preopen", 0, "fd_fdstat_get to succeed");
    if (!__wasi_fd_fdstat_get(0, &st)) {
        b = st.fs_rights_base;
        check("fdstat/stdin", st.fs_filetype == __WASI_FILETYPE_UNKNOWN && (b & R(FD_READ)) &&
                                  !(b & (R(FD_WRITE) | R(FD_SEEK) | R(FD_TELL))) &&
                                  !(b & PATH_RIGHTS),
              "unknown (/dev/null is no terminal), fd_read, no fd_write/seek/tell, no path right");
    } else
        check("fdstat/stdin", 0, "fd_fdstat_get to succeed");
    if (!__wasi_fd_fdstat_get(1, &st)) {
        b = st.fs_rights_base;
        check("fdstat/stdout", st.fs_filetype == __WASI_FILETYPE_UNKNOWN && (b & R(FD_WRITE)) &&
                                   !(b & (R(FD_READ) | R(FD_SEEK) | R(FD_TELL) | R(FD_SYNC) |
                                          R(FD_DATASYNC))) &&
                                   !(b & PATH_RIGHTS),
              "unknown (a file), fd_write, no fd_read/seek/tell/sync/datasync, no path right");
    } else
        check("fdstat/stdout", 0, "fd_fdstat_get to succeed");
    check("filestat/file", !__wasi_fd_filestat_get(kind_fd[K_FILE], &fs) &&
                               fs.filetype == __WASI_FILETYPE_REGULAR_FILE && fs.size == 6 &&
                               fs.nlink >= 1 && fs.ino != 0,
          "regular_file of size 6 with an inode");
    check("filestat/dir", !__wasi_fd_filestat_get(kind_fd[K_DIR], &fs) &&
                              fs.filetype == __WASI_FILETYPE_DIRECTORY,
          "directory");
    for (__wasi_fd_t s = 0; s < 2; s++) {
        memset(&fs, 0xAA, sizeof fs);
        check(s ? "filestat/stdout" : "filestat/stdin",
              !__wasi_fd_filestat_get(s, &fs) && fs.filetype == __WASI_FILETYPE_UNKNOWN &&
                  fs.dev == 0 && fs.ino == 0 && fs.nlink == 0 && fs.size == 0 && fs.mtim == 0,
              "unknown, every other field 0 (no host inode)");
    }
    /* rights only drop (spec: fd_fdstat_set_rights) */
    __wasi_fd_t f = open_file("f", R(FD_READ) | R(FD_SEEK) | R(FD_TELL));
    cell("fd_fdstat_set_rights/add", NOTCAP,
         __wasi_fd_fdstat_set_rights(f, R(FD_READ) | R(FD_WRITE), 0));
    cell("fd_fdstat_set_rights/drop", OK, __wasi_fd_fdstat_set_rights(f, R(FD_SEEK), 0));
    static uint8_t buf[8];
    __wasi_iovec_t iov = {buf, sizeof buf};
    __wasi_size_t n;
    cell("fd_read/dropped_right", NOTCAP, __wasi_fd_read(f, &iov, 1, &n));
    __wasi_filesize_t pos;
    cell("fd_seek/kept_right", OK, __wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos));
    cell("fd_tell/dropped_right", NOTCAP, __wasi_fd_tell(f, &pos));
    cell("fd_close/file", OK, __wasi_fd_close(f));
    /* fd_fdstat_set_flags: only append and nonblock change (Wasmtime: inval) */
    f = open_file("f", R(FD_READ) | R(FD_FDSTAT_SET_FLAGS));
    cell("fd_fdstat_set_flags/sync", INVAL, __wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_SYNC));
    cell("fd_fdstat_set_flags/nonblock", OK,
         __wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_NONBLOCK));
    check("fd_fdstat_set_flags/nonblock_reported",
          !__wasi_fd_fdstat_get(f, &st) && st.fs_flags == __WASI_FDFLAGS_NONBLOCK,
          "fs_flags == nonblock");
    cell("fd_close/file2", OK, __wasi_fd_close(f));
    /* directories: seeking them is refused whatever rights were asked */
    __wasi_fd_t d = 0;
    cell("path_open/dir_asking_seek", OK,
         __wasi_path_open(PRE, 0, "d", __WASI_OFLAGS_DIRECTORY, R(FD_SEEK) | R(FD_READDIR), 0, 0,
                          &d));
    check("fdstat/dir_asking_seek", !__wasi_fd_fdstat_get(d, &st) &&
                                        !(st.fs_rights_base & R(FD_SEEK)),
          "no fd_seek right on a directory");
    cell("fd_seek/dir_asking_seek", BADF, __wasi_fd_seek(d, 0, __WASI_WHENCE_CUR, &pos));
    cell("fd_close/dir", OK, __wasi_fd_close(d));
}

/* ---- fd_renumber and fd_close ---- */

static void renumber_cells(void)
{
    __wasi_fd_t a = open_file("f", R(FD_READ)), b = open_file("rn_f", R(FD_READ));
    __wasi_fdstat_t st;
    cell("fd_renumber/same", OK, __wasi_fd_renumber(a, a));
    cell("fd_renumber/to_closed", BADF, __wasi_fd_renumber(a, kind_fd[K_CLOSED]));
    cell("fd_renumber/to_out_of_range", BADF, __wasi_fd_renumber(a, kind_fd[K_RANGE]));
    cell("fd_renumber/from_closed", BADF, __wasi_fd_renumber(kind_fd[K_CLOSED], a));
    cell("fd_renumber/from_out_of_range", BADF, __wasi_fd_renumber(kind_fd[K_RANGE], a));
    cell("fd_renumber/onto_open", OK, __wasi_fd_renumber(a, b));
    cell("fd_renumber/old_number_closed", BADF, __wasi_fd_fdstat_get(a, &st));
    static uint8_t buf[8];
    __wasi_iovec_t iov = {buf, sizeof buf};
    __wasi_size_t n = 0;
    cell("fd_renumber/new_number_reads_source", OK, __wasi_fd_read(b, &iov, 1, &n));
    check("fd_renumber/new_number_is_f", n == 6 && !memcmp(buf, "hello\n", 6),
          "read \"hello\\n\" (the file renumbered, not the one closed)");
    cell("fd_close/renumbered", OK, __wasi_fd_close(b));
    cell("fd_close/closed", BADF, __wasi_fd_close(kind_fd[K_CLOSED]));
    cell("fd_close/out_of_range", BADF, __wasi_fd_close(kind_fd[K_RANGE]));
}

/* ---- path shapes ---- */

static __wasi_filestat_t fst;

/* path_filestat_get: errno and filetype, without and with SYMLINK_FOLLOW */
static void stat_cell(const char *path, unsigned e_nofollow, int t_nofollow, unsigned e_follow,
                      int t_follow)
{
    char name[96];
    for (int follow = 0; follow < 2; follow++) {
        unsigned want = follow ? e_follow : e_nofollow;
        int type = follow ? t_follow : t_nofollow;
        snprintf(name, sizeof name, "path_filestat_get/%s/\"%s\"", follow ? "follow" : "nofollow",
                 path);
        memset(&fst, 0xAA, sizeof fst);
        unsigned e = __wasi_path_filestat_get(PRE, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0,
                                              path, &fst);
        cell(name, want, e);
        if (!e && !want) {
            char what[48];
            snprintf(what, sizeof what, "filetype %d", type);
            snprintf(name + strlen(name), sizeof name - strlen(name), "/filetype");
            check(name, fst.filetype == type, what);
        }
    }
}

#define T_REG __WASI_FILETYPE_REGULAR_FILE
#define T_DIR __WASI_FILETYPE_DIRECTORY
#define T_LNK __WASI_FILETYPE_SYMBOLIC_LINK

static void filestat_shapes(void)
{
    stat_cell("f", OK, T_REG, OK, T_REG);
    stat_cell("f/", NOTDIR, 0, NOTDIR, 0);
    stat_cell("d", OK, T_DIR, OK, T_DIR);
    stat_cell("d/", OK, T_DIR, OK, T_DIR);
    stat_cell(".", OK, T_DIR, OK, T_DIR);
    stat_cell("..", NOTCAP, 0, NOTCAP, 0);
    stat_cell("", NOENT, 0, NOENT, 0);
    stat_cell("missing", NOENT, 0, NOENT, 0);
    stat_cell("missing/", NOENT, 0, NOENT, 0);
    stat_cell("lf", OK, T_LNK, OK, T_REG);
    stat_cell("lf/", NOTDIR, 0, NOTDIR, 0);
    stat_cell("ld", OK, T_LNK, OK, T_DIR);
    stat_cell("ld/", OK, T_DIR, OK, T_DIR);
    stat_cell("ldang", OK, T_LNK, NOENT, 0);
    stat_cell("ldang/", NOENT, 0, NOENT, 0);
    stat_cell("lout", OK, T_LNK, NOTCAP, 0);
    stat_cell("lloop", OK, T_LNK, LOOP, 0);
    stat_cell("d/..", OK, T_DIR, OK, T_DIR);
    stat_cell("d/../f", OK, T_REG, OK, T_REG);
    stat_cell("d/../..", NOTCAP, 0, NOTCAP, 0);
    stat_cell("f/x", NOTDIR, 0, NOTDIR, 0);
}

/* path_open: errno, and for a success the opened fd's filetype (closed again). */
static void open_cell(const char *label, const char *path, unsigned lookup, unsigned oflags,
                      __wasi_rights_t rights, unsigned expect, int type)
{
    char name[128];
    snprintf(name, sizeof name, "path_open/%s/\"%s\"", label, path);
    __wasi_fd_t fd = 0xFFFFFFFFu;
    unsigned e = __wasi_path_open(PRE, lookup, path, oflags, rights, 0, 0, &fd);
    cell(name, expect, e);
    if (!e) {
        __wasi_fdstat_t st;
        char what[48];
        snprintf(what, sizeof what, "filetype %d", type);
        snprintf(name + strlen(name), sizeof name - strlen(name), "/filetype");
        check(name, !__wasi_fd_fdstat_get(fd, &st) && st.fs_filetype == type, what);
        if (__wasi_fd_close(fd))
            check("setup close", 0, "fd_close to succeed");
    }
}

#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW
#define O_DIR __WASI_OFLAGS_DIRECTORY
#define O_CREAT_ __WASI_OFLAGS_CREAT
#define O_EXCL_ __WASI_OFLAGS_EXCL
#define O_TRUNC_ __WASI_OFLAGS_TRUNC
#define RD R(FD_READ)
#define RW (R(FD_READ) | R(FD_WRITE))

static void open_shapes(void)
{
    open_cell("read", "f", FOLLOW, 0, RD, OK, T_REG);
    open_cell("read", "f/", FOLLOW, 0, RD, NOTDIR, 0);
    open_cell("read", "d", FOLLOW, 0, RD, OK, T_DIR);
    open_cell("read", "d/", FOLLOW, 0, RD, OK, T_DIR);
    open_cell("read", ".", FOLLOW, 0, RD, OK, T_DIR);
    open_cell("read", "..", FOLLOW, 0, RD, NOTCAP, 0);
    open_cell("read", "", FOLLOW, 0, RD, NOENT, 0);
    open_cell("read", "missing", FOLLOW, 0, RD, NOENT, 0);
    open_cell("read", "missing/", FOLLOW, 0, RD, NOENT, 0);
    open_cell("read", "lf", FOLLOW, 0, RD, OK, T_REG);
    open_cell("read_nofollow", "lf", 0, 0, RD, LOOP, 0);
    open_cell("read", "lf/", FOLLOW, 0, RD, NOTDIR, 0);
    open_cell("read", "ld", FOLLOW, 0, RD, OK, T_DIR);
    open_cell("read_nofollow", "ld/", 0, 0, RD, OK, T_DIR);
    open_cell("read", "ldang", FOLLOW, 0, RD, NOENT, 0);
    open_cell("read", "lout", FOLLOW, 0, RD, NOTCAP, 0);
    open_cell("read_nofollow", "lout", 0, 0, RD, LOOP, 0);
    open_cell("read", "lloop", FOLLOW, 0, RD, LOOP, 0);
    open_cell("read", "d/../f", FOLLOW, 0, RD, OK, T_REG);
    open_cell("directory", "d", 0, O_DIR, RD, OK, T_DIR);
    open_cell("directory", "f", 0, O_DIR, RD, NOTDIR, 0);
    open_cell("directory", "lf", FOLLOW, O_DIR, RD, NOTDIR, 0);
    open_cell("directory_write", ".", 0, O_DIR, RW, ISDIR, 0);
    open_cell("directory_write", "d", 0, O_DIR, R(FD_WRITE), ISDIR, 0);
    open_cell("directory_allocate", "d", 0, O_DIR, R(FD_ALLOCATE), ISDIR, 0);
    open_cell("directory_set_size", "d", 0, O_DIR, R(FD_FILESTAT_SET_SIZE), ISDIR, 0);
    open_cell("directory_datasync", "d", 0, O_DIR, R(FD_DATASYNC), OK, T_DIR);
    open_cell("write", "d", 0, 0, RW, ISDIR, 0);
    open_cell("write", "ld", FOLLOW, 0, RW, ISDIR, 0);
    open_cell("truncate", "d", 0, O_TRUNC_, RW, ISDIR, 0);
    open_cell("directory_creat", "newdir", 0, O_DIR | O_CREAT_, RD, INVAL, 0);
    open_cell("directory_trunc", "d", 0, O_DIR | O_TRUNC_, RD, INVAL, 0);
    open_cell("creat_excl", "f", 0, O_CREAT_ | O_EXCL_, RW, EXIST, 0);
    open_cell("creat_excl", "d", 0, O_CREAT_ | O_EXCL_, RW, EXIST, 0);
    open_cell("creat_excl", "ldang", 0, O_CREAT_ | O_EXCL_, RW, EXIST, 0);
    open_cell("creat", "d", 0, O_CREAT_, RW, ISDIR, 0);
    open_cell("creat", "missing/", 0, O_CREAT_, RW, ISDIR, 0);
    open_cell("creat", "missing/x", 0, O_CREAT_, RW, NOENT, 0);
    open_cell("creat", "f/x", 0, O_CREAT_, RW, NOTDIR, 0);
    open_cell("creat", "..", 0, O_CREAT_, RW, NOTCAP, 0);
    open_cell("creat", "lout", FOLLOW, O_CREAT_, RW, NOTCAP, 0);
    open_cell("creat", "new_f", 0, O_CREAT_, RW, OK, T_REG);
    cell("path_unlink_file/\"new_f\"", OK, __wasi_path_unlink_file(PRE, "new_f"));
}

/* The name operations (create, remove, link, rename, readlink, set_times). */
static void name_shapes(void)
{
    /* path_create_directory */
    cell("path_create_directory/\"new_d\"", OK, __wasi_path_create_directory(PRE, "new_d"));
    cell("path_create_directory/\"new_d2/\"", OK, __wasi_path_create_directory(PRE, "new_d2/"));
    cell("path_create_directory/\"d\"", EXIST, __wasi_path_create_directory(PRE, "d"));
    cell("path_create_directory/\"d/\"", EXIST, __wasi_path_create_directory(PRE, "d/"));
    cell("path_create_directory/\"f\"", EXIST, __wasi_path_create_directory(PRE, "f"));
    cell("path_create_directory/\"f/\"", NOTDIR, __wasi_path_create_directory(PRE, "f/"));
    cell("path_create_directory/\"lf\"", EXIST, __wasi_path_create_directory(PRE, "lf"));
    cell("path_create_directory/\"ldang\"", EXIST, __wasi_path_create_directory(PRE, "ldang"));
    cell("path_create_directory/\".\"", EXIST, __wasi_path_create_directory(PRE, "."));
    cell("path_create_directory/\"..\"", NOTCAP, __wasi_path_create_directory(PRE, ".."));
    cell("path_create_directory/\"\"", NOENT, __wasi_path_create_directory(PRE, ""));
    cell("path_create_directory/\"missing/x\"", NOENT,
         __wasi_path_create_directory(PRE, "missing/x"));
    cell("path_create_directory/\"f/x\"", NOTDIR, __wasi_path_create_directory(PRE, "f/x"));
    cell("path_create_directory/\"lout/x\"", NOTCAP, __wasi_path_create_directory(PRE, "lout/x"));

    /* path_remove_directory */
    cell("path_remove_directory/\"new_d\"", OK, __wasi_path_remove_directory(PRE, "new_d"));
    cell("path_remove_directory/\"new_d2/\"", OK, __wasi_path_remove_directory(PRE, "new_d2/"));
    cell("path_remove_directory/\"d\"", NOTEMPTY, __wasi_path_remove_directory(PRE, "d"));
    cell("path_remove_directory/\"f\"", NOTDIR, __wasi_path_remove_directory(PRE, "f"));
    cell("path_remove_directory/\"f/\"", NOTDIR, __wasi_path_remove_directory(PRE, "f/"));
    cell("path_remove_directory/\"ld\"", NOTDIR, __wasi_path_remove_directory(PRE, "ld"));
    cell("path_remove_directory/\"ld/\"", NOTDIR, __wasi_path_remove_directory(PRE, "ld/"));
    cell("path_remove_directory/\"missing\"", NOENT, __wasi_path_remove_directory(PRE, "missing"));
    cell("path_remove_directory/\"\"", NOENT, __wasi_path_remove_directory(PRE, ""));
    cell("path_remove_directory/\".\"", INVAL, __wasi_path_remove_directory(PRE, "."));
    cell("path_remove_directory/\"..\"", NOTCAP, __wasi_path_remove_directory(PRE, ".."));
    cell("path_remove_directory/\"e\"", OK, __wasi_path_remove_directory(PRE, "e"));
    cell("path_remove_directory/\"e2/\"", OK, __wasi_path_remove_directory(PRE, "e2/"));

    /* path_unlink_file */
    cell("path_unlink_file/\"d\"", ISDIR, __wasi_path_unlink_file(PRE, "d"));
    cell("path_unlink_file/\"d/\"", ISDIR, __wasi_path_unlink_file(PRE, "d/"));
    cell("path_unlink_file/\"f/\"", NOTDIR, __wasi_path_unlink_file(PRE, "f/"));
    cell("path_unlink_file/\"lf/\"", NOTDIR, __wasi_path_unlink_file(PRE, "lf/"));
    cell("path_unlink_file/\"ld/\"", NOTDIR, __wasi_path_unlink_file(PRE, "ld/"));
    cell("path_unlink_file/\"missing\"", NOENT, __wasi_path_unlink_file(PRE, "missing"));
    cell("path_unlink_file/\"\"", NOENT, __wasi_path_unlink_file(PRE, ""));
    cell("path_unlink_file/\".\"", ISDIR, __wasi_path_unlink_file(PRE, "."));
    cell("path_unlink_file/\"..\"", NOTCAP, __wasi_path_unlink_file(PRE, ".."));
    cell("path_unlink_file/\"ul_f\"", OK, __wasi_path_unlink_file(PRE, "ul_f"));
    cell("path_unlink_file/\"ul_dang\"", OK, __wasi_path_unlink_file(PRE, "ul_dang"));
    check("path_unlink_file/link_only", !__wasi_path_filestat_get(PRE, 0, "f", &fst),
          "f still there after its link ul_f was removed");

    /* path_readlink */
    char buf[64];
    __wasi_size_t n = 0;
    cell("path_readlink/\"lf\"", OK, __wasi_path_readlink(PRE, "lf", (uint8_t *)buf, sizeof buf, &n));
    check("path_readlink/\"lf\"/text", n == 1 && buf[0] == 'f', "\"f\"");
    cell("path_readlink/\"lout\"", OK,
         __wasi_path_readlink(PRE, "lout", (uint8_t *)buf, sizeof buf, &n));
    check("path_readlink/\"lout\"/text", n == 17 && !memcmp(buf, "../outside/secret", 17),
          "\"../outside/secret\" (the text, not followed)");
    cell("path_readlink/\"lf\"/short_buffer", OK,
         __wasi_path_readlink(PRE, "lout", (uint8_t *)buf, 3, &n));
    check("path_readlink/\"lf\"/short_buffer/count", n == 3, "3 bytes (cut to the buffer)");
    cell("path_readlink/\"f\"", INVAL, __wasi_path_readlink(PRE, "f", (uint8_t *)buf, sizeof buf, &n));
    cell("path_readlink/\"d\"", INVAL, __wasi_path_readlink(PRE, "d", (uint8_t *)buf, sizeof buf, &n));
    cell("path_readlink/\"lf/\"", NOTDIR,
         __wasi_path_readlink(PRE, "lf/", (uint8_t *)buf, sizeof buf, &n));
    cell("path_readlink/\"missing\"", NOENT,
         __wasi_path_readlink(PRE, "missing", (uint8_t *)buf, sizeof buf, &n));
    cell("path_readlink/\"\"", NOENT, __wasi_path_readlink(PRE, "", (uint8_t *)buf, sizeof buf, &n));
    cell("path_readlink/\"..\"", NOTCAP,
         __wasi_path_readlink(PRE, "..", (uint8_t *)buf, sizeof buf, &n));

    /* path_symlink (new name last) */
    cell("path_symlink/\"s1\"", OK, __wasi_path_symlink("f", PRE, "s1"));
    cell("path_symlink/\"s2/\"", NOENT, __wasi_path_symlink("f", PRE, "s2/"));
    check("path_symlink/\"s2/\"/nothing_made", __wasi_path_filestat_get(PRE, 0, "s2", &fst) == NOENT,
          "no entry s2");
    cell("path_symlink/\"d/\"", EXIST, __wasi_path_symlink("f", PRE, "d/"));
    cell("path_symlink/\"d\"", EXIST, __wasi_path_symlink("f", PRE, "d"));
    cell("path_symlink/\"f\"", EXIST, __wasi_path_symlink("f", PRE, "f"));
    cell("path_symlink/\"f/\"", NOTDIR, __wasi_path_symlink("f", PRE, "f/"));
    cell("path_symlink/\"ldang\"", EXIST, __wasi_path_symlink("f", PRE, "ldang"));
    cell("path_symlink/\"\"", NOENT, __wasi_path_symlink("f", PRE, ""));
    cell("path_symlink/\"..\"", NOTCAP, __wasi_path_symlink("f", PRE, ".."));
    cell("path_symlink/\"missing/x\"", NOENT, __wasi_path_symlink("f", PRE, "missing/x"));
    cell("path_symlink/empty_target", NOENT, __wasi_path_symlink("", PRE, "s3"));
    cell("path_unlink_file/\"s1\"", OK, __wasi_path_unlink_file(PRE, "s1"));

    /* path_link (source, then new name) */
    cell("path_link/\"f\"->\"h1\"", OK, __wasi_path_link(PRE, 0, "f", PRE, "h1"));
    cell("path_link/\"f\"->\"h2/\"", NOENT, __wasi_path_link(PRE, 0, "f", PRE, "h2/"));
    check("path_link/\"h2/\"/nothing_made", __wasi_path_filestat_get(PRE, 0, "h2", &fst) == NOENT,
          "no entry h2");
    cell("path_link/\"f\"->\"d/\"", EXIST, __wasi_path_link(PRE, 0, "f", PRE, "d/"));
    cell("path_link/\"f\"->\"f\"", EXIST, __wasi_path_link(PRE, 0, "f", PRE, "f"));
    cell("path_link/\"f\"->\"ldang\"", EXIST, __wasi_path_link(PRE, 0, "f", PRE, "ldang"));
    cell("path_link/\"f\"->\"rn_f/\"", NOTDIR, __wasi_path_link(PRE, 0, "f", PRE, "rn_f/"));
    cell("path_link/\"d\"->\"h3\"", PERM, __wasi_path_link(PRE, 0, "d", PRE, "h3"));
    cell("path_link/\"missing\"->\"h3\"", NOENT, __wasi_path_link(PRE, 0, "missing", PRE, "h3"));
    cell("path_link/\"f/\"->\"h3\"", NOTDIR, __wasi_path_link(PRE, 0, "f/", PRE, "h3"));
    cell("path_link/\"\"->\"h3\"", NOENT, __wasi_path_link(PRE, 0, "", PRE, "h3"));
    cell("path_link/\"..\"->\"h3\"", NOTCAP, __wasi_path_link(PRE, 0, "..", PRE, "h3"));
    cell("path_link/\"f\"->\"..\"", NOTCAP, __wasi_path_link(PRE, 0, "f", PRE, ".."));
    cell("path_link/\"f\"->\"\"", NOENT, __wasi_path_link(PRE, 0, "f", PRE, ""));
    check("path_link/\"h1\"/nlink", !__wasi_path_filestat_get(PRE, 0, "h1", &fst) && fst.nlink == 2,
          "nlink 2");
    cell("path_unlink_file/\"h1\"", OK, __wasi_path_unlink_file(PRE, "h1"));

    /* path_rename (source, then new name) */
    cell("path_rename/\"missing\"->\"x\"", NOENT, __wasi_path_rename(PRE, "missing", PRE, "x"));
    cell("path_rename/\"rn_f\"->\"rn_f2/\"", NOTDIR, __wasi_path_rename(PRE, "rn_f", PRE, "rn_f2/"));
    check("path_rename/\"rn_f2/\"/nothing_moved", !__wasi_path_filestat_get(PRE, 0, "rn_f", &fst),
          "rn_f still there");
    cell("path_rename/\"rn_f/\"->\"rn_f2\"", NOTDIR, __wasi_path_rename(PRE, "rn_f/", PRE, "rn_f2"));
    cell("path_rename/\"rn_f\"->\"d\"", ISDIR, __wasi_path_rename(PRE, "rn_f", PRE, "d"));
    cell("path_rename/\"rn_d\"->\"f\"", NOTDIR, __wasi_path_rename(PRE, "rn_d", PRE, "f"));
    cell("path_rename/\"rn_d\"->\"d\"", NOTEMPTY, __wasi_path_rename(PRE, "rn_d", PRE, "d"));
    cell("path_rename/\"\"->\"x\"", NOENT, __wasi_path_rename(PRE, "", PRE, "x"));
    cell("path_rename/\"rn_f\"->\"\"", NOENT, __wasi_path_rename(PRE, "rn_f", PRE, ""));
    cell("path_rename/\"..\"->\"x\"", NOTCAP, __wasi_path_rename(PRE, "..", PRE, "x"));
    cell("path_rename/\"rn_f\"->\"..\"", NOTCAP, __wasi_path_rename(PRE, "rn_f", PRE, ".."));
    cell("path_rename/\"rn_f\"->\"lout/x\"", NOTCAP, __wasi_path_rename(PRE, "rn_f", PRE, "lout/x"));
    cell("path_rename/\"rn_d/\"->\"rn_d2/\"", OK, __wasi_path_rename(PRE, "rn_d/", PRE, "rn_d2/"));
    cell("path_rename/\"rn_d2\"->\"rn_d\"", OK, __wasi_path_rename(PRE, "rn_d2", PRE, "rn_d"));
    cell("path_rename/\"rn_f\"->\"rn_f2\"", OK, __wasi_path_rename(PRE, "rn_f", PRE, "rn_f2"));
    cell("path_rename/\"rn_f2\"->\"rn_f\"", OK, __wasi_path_rename(PRE, "rn_f2", PRE, "rn_f"));
    cell("path_rename/\"rn_f\"->\"rn_f\"", OK, __wasi_path_rename(PRE, "rn_f", PRE, "rn_f"));

    /* path_filestat_set_times */
    unsigned now = __WASI_FSTFLAGS_MTIM_NOW;
    cell("path_filestat_set_times/\"f\"", OK, __wasi_path_filestat_set_times(PRE, 0, "f", 0, 0, now));
    cell("path_filestat_set_times/\"f/\"", NOTDIR,
         __wasi_path_filestat_set_times(PRE, 0, "f/", 0, 0, now));
    cell("path_filestat_set_times/\"d/\"", OK,
         __wasi_path_filestat_set_times(PRE, 0, "d/", 0, 0, now));
    cell("path_filestat_set_times/\"missing\"", NOENT,
         __wasi_path_filestat_set_times(PRE, 0, "missing", 0, 0, now));
    cell("path_filestat_set_times/\"\"", NOENT,
         __wasi_path_filestat_set_times(PRE, 0, "", 0, 0, now));
    cell("path_filestat_set_times/\"..\"", NOTCAP,
         __wasi_path_filestat_set_times(PRE, 0, "..", 0, 0, now));
    cell("path_filestat_set_times/follow/\"ldang\"", NOENT,
         __wasi_path_filestat_set_times(PRE, FOLLOW, "ldang", 0, 0, now));
    cell("path_filestat_set_times/follow/\"lout\"", NOTCAP,
         __wasi_path_filestat_set_times(PRE, FOLLOW, "lout", 0, 0, now));
    cell("path_filestat_set_times/both_mtim_flags", INVAL,
         __wasi_path_filestat_set_times(PRE, 0, "f", 0, 0, now | __WASI_FSTFLAGS_MTIM));
}

/* Every path_* function with a dir fd that is not a directory. */
static void path_dirfd_kinds(void)
{
    char name[96];
    const int kinds[] = {K_FILE, K_STDIN, K_STDOUT, K_CLOSED, K_RANGE};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        int k = kinds[i];
        __wasi_fd_t fd = kind_fd[k];
        /* Wasmtime: path_open on a file fd is notdir; everything else badf */
        unsigned open_e = k == K_FILE ? NOTDIR : BADF;
        __wasi_fd_t nfd;
        char buf[8];
        __wasi_size_t n;
#define PD(fn, expect, call)                                                        \
    do {                                                                            \
        snprintf(name, sizeof name, "%s/dirfd_%s", fn, kind_names[k]);              \
        cell(name, expect, call);                                                   \
    } while (0)
        PD("path_open", open_e, __wasi_path_open(fd, 0, "x", 0, RD, 0, 0, &nfd));
        PD("path_create_directory", BADF, __wasi_path_create_directory(fd, "x"));
        PD("path_filestat_get", BADF, __wasi_path_filestat_get(fd, 0, "x", &fst));
        PD("path_filestat_set_times", BADF,
           __wasi_path_filestat_set_times(fd, 0, "x", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
        PD("path_link_source", BADF, __wasi_path_link(fd, 0, "x", PRE, "y"));
        PD("path_link_target", BADF, __wasi_path_link(PRE, 0, "f", fd, "y"));
        PD("path_readlink", BADF, __wasi_path_readlink(fd, "x", (uint8_t *)buf, sizeof buf, &n));
        PD("path_remove_directory", BADF, __wasi_path_remove_directory(fd, "x"));
        PD("path_rename_source", BADF, __wasi_path_rename(fd, "x", PRE, "y"));
        PD("path_rename_target", BADF, __wasi_path_rename(PRE, "rn_f", fd, "y"));
        PD("path_symlink", BADF, __wasi_path_symlink("f", fd, "y"));
        PD("path_unlink_file", BADF, __wasi_path_unlink_file(fd, "x"));
#undef PD
    }
    check("path_rename_target/rn_f_kept", !__wasi_path_filestat_get(PRE, 0, "rn_f", &fst),
          "rn_f still there");
}

/* poll_oneoff on the CPU-time clocks: Wasmtime refuses the call with inval. */
static void poll_cells(void)
{
    const struct { const char *name; __wasi_clockid_t id; unsigned expect; } c[] = {
        {"poll_oneoff/clock_realtime", __WASI_CLOCKID_REALTIME, OK},
        {"poll_oneoff/clock_monotonic", __WASI_CLOCKID_MONOTONIC, OK},
        {"poll_oneoff/clock_process_cputime", __WASI_CLOCKID_PROCESS_CPUTIME_ID, INVAL},
        {"poll_oneoff/clock_thread_cputime", __WASI_CLOCKID_THREAD_CPUTIME_ID, INVAL},
        {"poll_oneoff/clock_unknown", 9, INVAL},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        __wasi_subscription_t s;
        memset(&s, 0, sizeof s);
        s.userdata = 7;
        s.u.tag = __WASI_EVENTTYPE_CLOCK;
        s.u.u.clock.id = c[i].id;
        s.u.u.clock.timeout = 1000; /* 1 us, relative */
        __wasi_event_t ev;
        __wasi_size_t n = 0;
        unsigned e = __wasi_poll_oneoff(&s, &ev, 1, &n);
        cell(c[i].name, c[i].expect, e);
        if (!e && !c[i].expect) {
            char nm[96];
            snprintf(nm, sizeof nm, "%s/event", c[i].name);
            check(nm, n == 1 && ev.userdata == 7 && ev.error == 0 &&
                          ev.type == __WASI_EVENTTYPE_CLOCK,
                  "one clock event, userdata 7, no error");
        }
    }
}

/* poll_oneoff on fds: per-subscription errors are events (spec; Wasmtime
 * fails the whole call with badf instead: wasi/README.md says why not). */
static void poll_fd_cells(void)
{
    const struct {
        const char *name;
        int kind;
        uint8_t type;
        unsigned expect; /* the event's error */
    } c[] = {
        {"poll_oneoff/fd_read/file", K_FILE, __WASI_EVENTTYPE_FD_READ, OK},
        {"poll_oneoff/fd_write/file", K_FILE, __WASI_EVENTTYPE_FD_WRITE, OK},
        {"poll_oneoff/fd_write/stdout", K_STDOUT, __WASI_EVENTTYPE_FD_WRITE, OK},
        {"poll_oneoff/fd_read/closed", K_CLOSED, __WASI_EVENTTYPE_FD_READ, BADF},
        {"poll_oneoff/fd_write/out_of_range", K_RANGE, __WASI_EVENTTYPE_FD_WRITE, BADF},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        __wasi_subscription_t s;
        memset(&s, 0, sizeof s);
        s.userdata = 9;
        s.u.tag = c[i].type;
        s.u.u.fd_read.file_descriptor = kind_fd[c[i].kind];
        __wasi_event_t ev;
        __wasi_size_t n = 0;
        cell(c[i].name, OK, __wasi_poll_oneoff(&s, &ev, 1, &n));
        char nm[96];
        snprintf(nm, sizeof nm, "%s/event", c[i].name);
        check(nm, n == 1 && ev.userdata == 9 && ev.type == c[i].type, "one event, userdata 9");
        snprintf(nm, sizeof nm, "%s/event_error", c[i].name);
        cell(nm, c[i].expect, n == 1 ? ev.error : 0xFFFF);
    }
}

int main(void)
{
    kind_fd[K_FILE] = open_file("f", ALL_RIGHTS);
    __wasi_fd_t d = 0;
    /* every right but the three that make a directory ISDIR (as opendir,
     * which asks for fd_read, fd_seek, fd_tell, ... too) */
    __wasi_errno_t e = __wasi_path_open(PRE, 0, "d", __WASI_OFLAGS_DIRECTORY,
                                        ALL_RIGHTS & ~DIR_WRITE_RIGHTS, ALL_RIGHTS, 0, &d);
    if (e)
        cell("setup open_dir", OK, e);
    kind_fd[K_DIR] = d;
    kind_fd[K_PRE] = PRE;
    kind_fd[K_STDIN] = 0;
    kind_fd[K_STDOUT] = 1;
    /* a number that was open and is closed now; the cells open at most
     * three fds at once, and a new fd takes the lowest free number */
    __wasi_fd_t c[10];
    for (int i = 0; i < 10; i++)
        c[i] = open_file("f", RD);
    for (int i = 0; i < 10; i++)
        if (__wasi_fd_close(c[i]))
            cell("setup close", OK, __wasi_fd_close(c[i]));
    kind_fd[K_CLOSED] = c[9]; /* reused only when ten fds are open at once */
    kind_fd[K_RANGE] = 0x7FFFFFFFu;

    fd_matrix();
    fdstat_results();
    renumber_cells();
    filestat_shapes();
    open_shapes();
    name_shapes();
    path_dirfd_kinds();
    poll_cells();
    poll_fd_cells();
    __wasi_fdstat_t st;
    cell("setup closed_still_closed", BADF, __wasi_fd_fdstat_get(kind_fd[K_CLOSED], &st));
    printf("cells %d failed %d\n", cells, failed);
    return failed ? 1 : 0;
}
