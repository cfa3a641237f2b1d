/* wasmbox wasi internals: the guest fd table, guest-memory access, confined
 * path resolution, and the host-function context shared by the files of wasi/.
 * Not part of the public API (that is wasi.h). */
#ifndef WASMBOX_WASI_IMPL_H
#define WASMBOX_WASI_IMPL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "wasi.h"

/* ---- WASI numbering (wasi_snapshot_preview1; wasi_unstable differs only
 * where `legacy` is tested) ---- */
enum {
    WE_SUCCESS = 0, WE_2BIG = 1, WE_ACCES = 2, WE_ADDRINUSE = 3, WE_ADDRNOTAVAIL = 4,
    WE_AFNOSUPPORT = 5, WE_AGAIN = 6, WE_ALREADY = 7, WE_BADF = 8, WE_BADMSG = 9,
    WE_BUSY = 10, WE_CANCELED = 11, WE_CHILD = 12, WE_CONNABORTED = 13,
    WE_CONNREFUSED = 14, WE_CONNRESET = 15, WE_DEADLK = 16, WE_DESTADDRREQ = 17,
    WE_DOM = 18, WE_DQUOT = 19, WE_EXIST = 20, WE_FAULT = 21, WE_FBIG = 22,
    WE_HOSTUNREACH = 23, WE_IDRM = 24, WE_ILSEQ = 25, WE_INPROGRESS = 26, WE_INTR = 27,
    WE_INVAL = 28, WE_IO = 29, WE_ISCONN = 30, WE_ISDIR = 31, WE_LOOP = 32,
    WE_MFILE = 33, WE_MLINK = 34, WE_MSGSIZE = 35, WE_MULTIHOP = 36,
    WE_NAMETOOLONG = 37, WE_NETDOWN = 38, WE_NETRESET = 39, WE_NETUNREACH = 40,
    WE_NFILE = 41, WE_NOBUFS = 42, WE_NODEV = 43, WE_NOENT = 44, WE_NOEXEC = 45,
    WE_NOLCK = 46, WE_NOLINK = 47, WE_NOMEM = 48, WE_NOMSG = 49, WE_NOPROTOOPT = 50,
    WE_NOSPC = 51, WE_NOSYS = 52, WE_NOTCONN = 53, WE_NOTDIR = 54, WE_NOTEMPTY = 55,
    WE_NOTRECOVERABLE = 56, WE_NOTSOCK = 57, WE_NOTSUP = 58, WE_NOTTY = 59,
    WE_NXIO = 60, WE_OVERFLOW = 61, WE_OWNERDEAD = 62, WE_PERM = 63, WE_PIPE = 64,
    WE_PROTO = 65, WE_PROTONOSUPPORT = 66, WE_PROTOTYPE = 67, WE_RANGE = 68,
    WE_ROFS = 69, WE_SPIPE = 70, WE_SRCH = 71, WE_STALE = 72, WE_TIMEDOUT = 73,
    WE_TXTBSY = 74, WE_XDEV = 75, WE_NOTCAPABLE = 76,
};

enum {
    FT_UNKNOWN = 0, FT_BLOCK = 1, FT_CHAR = 2, FT_DIR = 3, FT_REG = 4,
    FT_SOCK_DGRAM = 5, FT_SOCK_STREAM = 6, FT_SYMLINK = 7,
};

#define R_FD_DATASYNC (1ull << 0)
#define R_FD_READ (1ull << 1)
#define R_FD_SEEK (1ull << 2)
#define R_FD_FDSTAT_SET_FLAGS (1ull << 3)
#define R_FD_SYNC (1ull << 4)
#define R_FD_TELL (1ull << 5)
#define R_FD_WRITE (1ull << 6)
#define R_FD_ADVISE (1ull << 7)
#define R_FD_ALLOCATE (1ull << 8)
#define R_PATH_CREATE_DIRECTORY (1ull << 9)
#define R_PATH_CREATE_FILE (1ull << 10)
#define R_PATH_LINK_SOURCE (1ull << 11)
#define R_PATH_LINK_TARGET (1ull << 12)
#define R_PATH_OPEN (1ull << 13)
#define R_FD_READDIR (1ull << 14)
#define R_PATH_READLINK (1ull << 15)
#define R_PATH_RENAME_SOURCE (1ull << 16)
#define R_PATH_RENAME_TARGET (1ull << 17)
#define R_PATH_FILESTAT_GET (1ull << 18)
#define R_PATH_FILESTAT_SET_SIZE (1ull << 19)
#define R_PATH_FILESTAT_SET_TIMES (1ull << 20)
#define R_FD_FILESTAT_GET (1ull << 21)
#define R_FD_FILESTAT_SET_SIZE (1ull << 22)
#define R_FD_FILESTAT_SET_TIMES (1ull << 23)
#define R_PATH_SYMLINK (1ull << 24)
#define R_PATH_REMOVE_DIRECTORY (1ull << 25)
#define R_PATH_UNLINK_FILE (1ull << 26)
#define R_POLL_FD_READWRITE (1ull << 27)
#define R_SOCK_SHUTDOWN (1ull << 28)
#define R_SOCK_ACCEPT (1ull << 29)
#define R_ALL ((1ull << 30) - 1)
/* Rights that change the file system; never held by fds of read-only maps. */
#define R_WRITES (R_FD_DATASYNC | R_FD_WRITE | R_FD_ALLOCATE | R_PATH_CREATE_DIRECTORY | \
                  R_PATH_CREATE_FILE | R_PATH_LINK_SOURCE | R_PATH_LINK_TARGET |         \
                  R_PATH_RENAME_SOURCE | R_PATH_RENAME_TARGET | R_PATH_FILESTAT_SET_SIZE | \
                  R_PATH_FILESTAT_SET_TIMES | R_FD_FILESTAT_SET_SIZE |                     \
                  R_FD_FILESTAT_SET_TIMES | R_PATH_SYMLINK | R_PATH_REMOVE_DIRECTORY |     \
                  R_PATH_UNLINK_FILE)

/* Rights that apply to a directory fd (no data I/O, no offset) and to a file
 * fd (no path operations, no listing). path_open gives an fd only those of
 * the rights asked for that apply to what it opened, as the spec allows
 * ("fewer rights ... if and only if those rights do not apply to the type of
 * file being opened"). */
#define R_DIR_BASE (R_ALL & ~(R_FD_READ | R_FD_WRITE | R_FD_SEEK | R_FD_TELL | R_FD_ALLOCATE | \
                              R_FD_FILESTAT_SET_SIZE | R_SOCK_SHUTDOWN | R_SOCK_ACCEPT))
#define R_FILE_BASE (R_FD_DATASYNC | R_FD_READ | R_FD_SEEK | R_FD_FDSTAT_SET_FLAGS | R_FD_SYNC | \
                     R_FD_TELL | R_FD_WRITE | R_FD_ADVISE | R_FD_ALLOCATE | R_FD_FILESTAT_GET |  \
                     R_FD_FILESTAT_SET_SIZE | R_FD_FILESTAT_SET_TIMES | R_POLL_FD_READWRITE)

#define FDF_APPEND 1u
#define FDF_DSYNC 2u
#define FDF_NONBLOCK 4u
#define FDF_RSYNC 8u
#define FDF_SYNC 16u

/* ---- fd table ---- */

typedef enum wasi_fd_kind { WFD_FREE = 0, WFD_STDIO, WFD_FILE, WFD_DIR } wasi_fd_kind;

typedef struct wasi_fd {
    wasi_fd_kind kind;
    int host;              /* owned host fd (stdio ones are dups) */
    uint8_t filetype;
    uint16_t fdflags;      /* WASI fdflags as the guest set them */
    uint64_t rights_base, rights_inheriting;
    bool read_only;        /* inside a read-only map */
    bool is_output;        /* stdout/stderr: counted against max_output */
    bool preopen;          /* reported by fd_prestat_get */
    bool tty;              /* stdio on a terminal: reported as character_device */
    char *name;            /* guest path, for prestat and audit */
    uint64_t rd_cookie[2]; /* fd_readdir: the last two cookies handed out ... */
    int64_t rd_off[2];     /* ... and the host directory offsets they stand for */
    /* What path_open learnt of a directory it opened, so that fd_readdir
     * need not ask the kernel again (two system calls a directory of a
     * tree walk): an fd's inode never changes, nor do the mapped roots,
     * so self_ino and map_root hold for the fd's life; at_start holds
     * until the first fd_readdir moves the host offset (nothing else can:
     * a directory fd has no seek right and is never shared). All false
     * (a zeroed slot, a preopen): fd_readdir asks with fstat and lseek. */
    bool self_known;       /* self_ino and map_root are set */
    bool map_root;         /* the directory is a mapped root */
    bool at_start;         /* the host offset is 0: fd_readdir of cookie 0 need not seek */
    uint64_t self_ino;     /* its inode number (the ".." a map root lists) */
} wasi_fd;

#define WASI_MAX_FDS 1024u

struct wasi_binding;

struct wb_wasi {
    char **args, **env;
    size_t nargs, nenv;
    wasi_fd *fds;
    uint32_t nfds;         /* slots allocated */
    uint64_t max_output, output_total;
    bool output_cut;
    int notice_fd;         /* where the output-limit notice goes (host stderr dup) */
    wb_audit *audit;       /* the run's audit log (policy.h), or NULL */
    volatile int interrupted; /* set by wb_wasi_interrupt (any thread) */
    int wake_fd;           /* eventfd, readable once interrupted: waits poll it too */
    bool notice_stream;    /* notice_fd is a pipe, tty, ...: writes to it may wait */
    uint64_t audit_events; /* audit records made so far (counted even with no audit log) */
    bool allow_symlink_dotdot; /* see links.c */
    struct wasi_root { dev_t dev; ino_t ino; } *roots; /* the mapped directories */
    size_t nroots;
    struct wasi_binding *bindings;
    /* The stat path_open took of the fd it opened (it needs the type), kept
     * for an fd_filestat_get of that fd made as the store's very next host
     * call: the guest ran only its own code in between, so a stat taken then
     * is one it could have been given (the kernel may answer any call that
     * late), and wasi-libc's open-then-fstat costs one system call, not two
     * (a grep over a tree does it for every file). */
    struct wasi_opened {
        uint32_t fd;
        const wb_store *store;
        uint64_t sequence;   /* wb_call_sequence of the path_open; 0: none */
        struct stat st;
    } opened;
};

/* fd table helpers (wasi.c) */
wasi_fd *wasi_fd_get(wb_wasi *w, uint32_t fd);
/* Claims the lowest free slot >= 3; -1 when the table is full. */
int64_t wasi_fd_alloc(wb_wasi *w);
void wasi_fd_release(wasi_fd *f);
/* Makes slots 0..want-1 exist (want <= WASI_MAX_FDS). */
bool wasi_fd_reserve(wb_wasi *w, uint32_t want);
/* fstflags + times -> utimensat/futimens times (fd.c) */
struct timespec;
uint16_t wasi_make_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2]);
uint8_t wasi_filetype_of(mode_t mode);

/* Audit records (fields as in tools/README.md), counted in audit_events so a
 * call knows whether it audited its refusal itself. ONCE: records a run makes
 * once by construction (proc.exit, proc.trap, output.limit). */
#define WASI_AUDIT(w, event, ...) ((w)->audit_events++, WB_AUDIT((w)->audit, event, __VA_ARGS__))
#define WASI_AUDIT_ONCE(w, event, ...)                                                             \
    ((w)->audit_events++, WB_AUDIT_ONCE((w)->audit, event, __VA_ARGS__))
/* For host_path fields: the host path of dirfd, plus "/" name if name is not
 * NULL, in buf; NULL when there is no audit log or it cannot be told. */
const char *wasi_host_path(const wb_wasi *w, int dirfd, const char *name, char *buf, size_t len);
#define WASI_HOST_PATH_MAX (PATH_MAX + NAME_MAX + 2)
bool wasi_is_interrupted(const wb_wasi *w);
/* Whether st is one of the mapped directories themselves. */
bool wasi_is_map_root(const wb_wasi *w, const struct stat *st);

/* host errno -> WASI errno (errno.c) */
uint16_t wasi_errno(int host_errno);
/* A WASI errno's name as the spec spells it ("notcapable", "rofs"). */
const char *wasi_errno_name(uint16_t e);

/* ---- confined path resolution (resolve.c) ----
 * All results are WASI errnos. A guest path is relative to a directory fd and
 * may never resolve outside it: `..` above it, absolute paths, absolute
 * symlinks and symlinks leading above it give WE_NOTCAPABLE. */

/* Copies a guest path into out (NUL-terminated) after checking it: empty ->
 * NOENT, NUL inside -> INVAL, longer than PATH_MAX-1 or a component longer
 * than NAME_MAX -> NAMETOOLONG, absolute -> NOTCAPABLE. */
uint16_t wasi_path_check(const uint8_t *path, uint64_t len, char *out, size_t outlen);
/* Opens path beneath dirfd with open(2) flags (O_CLOEXEC added). follow:
 * whether a symlink in the last component is followed (inner ones always are,
 * beneath dirfd). */
uint16_t wasi_resolve_open(int dirfd, const char *path, int flags, mode_t mode, bool follow,
                           int *out);
/* Splits path into its parent directory (opened O_PATH beneath dirfd, always
 * following symlinks) and last component. A last component of "." or ".."
 * is resolved into the parent and name becomes ".". trailing: the path ended
 * in '/'; then a final component that exists and is not a directory (a
 * symlink included) gives NOTDIR. */
uint16_t wasi_resolve_parent(int dirfd, const char *path, int *parent, char *name,
                             size_t namelen, bool *trailing);
/* Force the component walk instead of openat2 (tests; env WASMBOX_WASI_NO_OPENAT2). */
void wasi_resolve_force_walk(bool on);
bool wasi_resolve_using_walk(void);

/* ---- host-function context ---- */

typedef struct wctx {
    wb_call *call;
    wb_wasi *w;
    bool legacy;           /* wasi_unstable layouts */
    int stop;              /* nonzero: return this from the host fn (trap/exit) */
    bool stopped;
    const char *why;       /* a NOTCAPABLE that is about rights, not paths: its reason */
} wctx;

/* Guest memory range [ptr, ptr+len) or NULL when any of it is outside linear
 * memory (or there is no memory). 64-bit arithmetic: never wraps. */
uint8_t *wasi_mem(wctx *x, uint64_t ptr, uint64_t len);

static inline void wput16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void wput32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static inline void wput64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static inline uint16_t wget16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t wget32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t wget64(const uint8_t *p) {
    return (uint64_t)wget32(p) | (uint64_t)wget32(p + 4) << 32;
}

/* Stores a u32 / u64 result at a guest pointer; FAULT when out of bounds. */
uint16_t wasi_put32(wctx *x, uint32_t ptr, uint32_t v);
uint16_t wasi_put64(wctx *x, uint32_t ptr, uint64_t v);

/* Looks fd up and checks it holds `rights`: BADF / NOTCAPABLE. */
uint16_t wasi_need(wctx *x, uint32_t fd, uint64_t rights, wasi_fd **out);
/* Same for an operation that changes the file system: ROFS first on
 * read-only maps. */
uint16_t wasi_need_write(wctx *x, uint32_t fd, uint64_t rights, wasi_fd **out);

/* The kinds of fd a call works on. An open fd of another kind gets the
 * errno Wasmtime gives (wasi/README.md, "Behaviour matrix"): BADF for a
 * directory or file where the other is needed, and for stdin/stdout the
 * errno given (SPIPE for offsets, BADF otherwise); checked before rights. */
#define WK_FILE 1u   /* a file, FIFO or device the guest opened */
#define WK_DIR 2u    /* a directory: preopened or opened */
#define WK_STDIN 4u  /* stdio without is_output, wherever renumbered */
#define WK_STDOUT 8u /* stdout/stderr */
typedef struct wasi_kinds {
    unsigned ok;
    uint16_t stdin_err, stdout_err;
} wasi_kinds;
/* BADF (closed) / the kind's errno / ROFS (if write) / NOTCAPABLE. */
uint16_t wasi_need_kind(wctx *x, uint32_t fd, wasi_kinds k, bool write, uint64_t rights,
                        wasi_fd **out);
unsigned wasi_fd_kind_bit(const wasi_fd *f);

/* Writes a filestat (64 bytes, or 56 in the wasi_unstable layout). */
uint16_t wasi_put_filestat(wctx *x, uint32_t ptr, const struct stat *st);
size_t wasi_filestat_size(const wctx *x);

/* Waits until host fd is ready for events (POLLIN/POLLOUT; host -1: for
 * nothing), at most timeout_ms (-1: no limit), together with the interrupt:
 * WE_SUCCESS when ready (or hung up: the call reports it), WE_AGAIN when the
 * time is up, WE_INTR after setting x->stop (trap) as soon as
 * wb_wasi_interrupt is called. */
uint16_t wasi_wait(wctx *x, int host, short events, int timeout_ms);
/* Sets x->stop to an "interrupted" trap. */
void wasi_trap_interrupted(wctx *x);

/* ---- where the guest may put symlinks (links.c) ----
 * Host programs reading a map later follow its links unconfined, so a
 * symlink may only be placed (created, hard-linked, renamed, or moved with a
 * directory) where its target cannot lead them out: never absolute; ".."
 * only if allow_symlink_dotdot, then only leading ones and no more than the
 * link's directory is deep below the dir fd (`root`) or a mapped directory
 * between them. Refusals are WE_PERM with a reason. */

/* The text part of the rule: WE_SUCCESS with *climb = the number of leading
 * "..", WE_PERM with *why, or WE_NOENT for an empty target. */
uint16_t wasi_symlink_target_rule(const char *target, bool allow_dotdot, size_t *climb,
                                  const char **why);
/* A new symlink to `target` in directory `parent`, beneath `root`. */
uint16_t wasi_link_check_new(const wctx *x, int root, int parent, const char *target,
                             const char **why);

typedef struct wasi_link_refusal {
    const char *reason;
    char where[PATH_MAX];  /* the offending link below a moved directory ("": the entry) */
    char target[PATH_MAX]; /* its target */
} wasi_link_refusal;

/* Entry `name` of directory `from` is about to become an entry of `to`
 * (beneath `root`): a symlink is judged at its new place; with `tree`, a
 * directory has every symlink below it judged at its new place (WE_INTR,
 * with x->stop set, if the run is interrupted meanwhile). Anything else, or
 * nothing there, passes: the call itself reports what it finds. */
uint16_t wasi_link_check_move(wctx *x, int root, int from, const char *name, int to,
                              bool tree, wasi_link_refusal *r);

/* Host functions, by group. Each returns a WASI errno. */
#define WASI_FN(name) uint16_t wasi_##name(wctx *x, const wb_value *a)
WASI_FN(args_get); WASI_FN(args_sizes_get); WASI_FN(environ_get); WASI_FN(environ_sizes_get);
WASI_FN(clock_res_get); WASI_FN(clock_time_get);
WASI_FN(fd_advise); WASI_FN(fd_allocate); WASI_FN(fd_close); WASI_FN(fd_datasync);
WASI_FN(fd_fdstat_get); WASI_FN(fd_fdstat_set_flags); WASI_FN(fd_fdstat_set_rights);
WASI_FN(fd_filestat_get); WASI_FN(fd_filestat_set_size); WASI_FN(fd_filestat_set_times);
WASI_FN(fd_pread); WASI_FN(fd_prestat_get); WASI_FN(fd_prestat_dir_name); WASI_FN(fd_pwrite);
WASI_FN(fd_read); WASI_FN(fd_readdir); WASI_FN(fd_renumber); WASI_FN(fd_seek);
WASI_FN(fd_sync); WASI_FN(fd_tell); WASI_FN(fd_write);
WASI_FN(path_create_directory); WASI_FN(path_filestat_get); WASI_FN(path_filestat_set_times);
WASI_FN(path_link); WASI_FN(path_open); WASI_FN(path_readlink); WASI_FN(path_remove_directory);
WASI_FN(path_rename); WASI_FN(path_symlink); WASI_FN(path_unlink_file);
WASI_FN(poll_oneoff); WASI_FN(proc_exit); WASI_FN(proc_raise); WASI_FN(sched_yield);
WASI_FN(random_get);
WASI_FN(sock_accept); WASI_FN(sock_recv); WASI_FN(sock_send); WASI_FN(sock_shutdown);

#endif
