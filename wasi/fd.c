/* WASI fd_* functions: I/O on the guest's fd table. Every guest pointer is
 * checked (wasi_mem) before anything is read, written or done. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "wasi_impl.h"

#define MAX_IOV 1024 /* IOV_MAX; the rest of a longer list is a short transfer */
#define IOV_HERE 8    /* entries an iov_buf holds in place */
#define MAX_WRITE 0x7ffff000u /* Linux's most for one write: fits the u32 count */
#define U32(v) ((uint32_t)(v).of.i32)
#define U64(v) ((uint64_t)(v).of.i64)

/* Which fds each call works on, and what the others hear (Wasmtime's
 * answers; wasi/README.md, "Behaviour matrix"). */
static const wasi_kinds FILES = {WK_FILE, WE_BADF, WE_BADF};
static const wasi_kinds OFFSETS = {WK_FILE, WE_SPIPE, WE_SPIPE}; /* seek, tell */
static const wasi_kinds READS = {WK_FILE | WK_STDIN, WE_BADF, WE_BADF};
static const wasi_kinds PREADS = {WK_FILE, WE_SPIPE, WE_BADF};
static const wasi_kinds WRITES = {WK_FILE | WK_STDOUT, WE_BADF, WE_BADF};
static const wasi_kinds PWRITES = {WK_FILE, WE_BADF, WE_SPIPE};
/* NONBLOCK on stdio is ours to emulate (README), so stdio keeps set_flags */
static const wasi_kinds FLAGGABLE = {WK_FILE | WK_STDIN | WK_STDOUT, WE_BADF, WE_BADF};
static const wasi_kinds TIMED = {WK_FILE | WK_DIR, WE_BADF, WE_BADF};
static const wasi_kinds DIRS = {WK_DIR, WE_BADF, WE_BADF};

uint16_t wasi_wait(wctx *x, int host, short events, int timeout_ms)
{
    struct pollfd p[2] = {{.fd = host, .events = events}, {.fd = x->w->wake_fd, .events = POLLIN}};
    for (;;) {
        if (wasi_is_interrupted(x->w)) {
            wasi_trap_interrupted(x);
            return WE_INTR;
        }
        int r = poll(p, 2, timeout_ms);
        if (r < 0 && errno != EINTR)
            return wasi_errno(errno);
        if (r == 0)
            return WE_AGAIN; /* the time is up */
        if (r > 0 && p[0].revents)
            return WE_SUCCESS; /* ready, or hangup/error for the call to report */
    }
}

/* Room for a host iovec list: up to IOV_HERE entries in place (printf and
 * most writers pass one to three), a longer list on the heap. MAX_IOV
 * entries on the stack in each of fd_write, write_output and write_iov (48
 * KB) had put every call below them (writev, poll) on stack pages of their
 * own: three more pages resident in every run that prints (bench/README.md
 * "Start-up, third pass"). */
typedef struct iov_buf {
    struct iovec *v;
    struct iovec here[IOV_HERE];
} iov_buf;

static bool iov_alloc(iov_buf *b, size_t n)
{
    b->v = n <= IOV_HERE ? b->here : malloc(n * sizeof *b->v);
    return b->v != NULL;
}

static void iov_free(iov_buf *b)
{
    if (b->v != b->here)
        free(b->v);
}

/* Checks and maps a guest iovec list (8 bytes each: buf u32, len u32) into
 * out, which the caller frees with iov_free when this succeeds. */
static uint16_t gather(wctx *x, uint32_t iovs, uint32_t n, iov_buf *out, int *count,
                       uint64_t *total)
{
    uint8_t *arr = wasi_mem(x, iovs, (uint64_t)n * 8);
    if (!arr)
        return WE_FAULT;
    uint32_t m = n > MAX_IOV ? MAX_IOV : n;
    if (!iov_alloc(out, m))
        return WE_NOMEM;
    uint64_t sum = 0;
    for (uint32_t i = 0; i < m; i++) {
        uint32_t buf = wget32(arr + 8 * i), len = wget32(arr + 8 * i + 4);
        uint8_t *p = wasi_mem(x, buf, len);
        if (!p) {
            iov_free(out);
            return WE_FAULT;
        }
        out->v[i].iov_base = p;
        out->v[i].iov_len = len;
        sum += len;
    }
    *count = (int)m;
    if (total)
        *total = sum;
    return WE_SUCCESS;
}

static bool is_stream(const wasi_fd *f)
{
    return f->filetype != FT_REG && f->filetype != FT_DIR;
}

static uint16_t read_list(wctx *x, wasi_fd *f, const struct iovec *v, int n, uint32_t count_at);

WASI_FN(fd_read)
{
    wasi_fd *f;
    uint16_t e = wasi_need_kind(x, U32(a[0]), READS, false, R_FD_READ, &f);
    if (e)
        return e;
    if (!wasi_mem(x, U32(a[3]), 4))
        return WE_FAULT;
    iov_buf v;
    int n;
    if ((e = gather(x, U32(a[1]), U32(a[2]), &v, &n, NULL)))
        return e;
    e = read_list(x, f, v.v, n, U32(a[3]));
    iov_free(&v);
    return e;
}

/* fd_read's reading, into the checked list v; the count goes to guest
 * address count_at. */
static uint16_t read_list(wctx *x, wasi_fd *f, const struct iovec *v, int n, uint32_t count_at)
{
    uint16_t e;
    for (;;) {
        /* a stream may have nothing for a long time: wait with the
         * interrupt, then read what is there (the host fd may be blocking) */
        if (is_stream(f) && (e = wasi_wait(x, f->host, POLLIN, f->fdflags & FDF_NONBLOCK ? 0 : -1)))
            return e;
        ssize_t r = readv(f->host, v, n);
        if (r < 0 && (errno == EAGAIN || errno == EINTR) && !(f->fdflags & FDF_NONBLOCK))
            continue;
        if (r < 0)
            return wasi_errno(errno);
        return wasi_put32(x, count_at, (uint32_t)r);
    }
}

WASI_FN(fd_pread)
{
    wasi_fd *f;
    uint16_t e = wasi_need_kind(x, U32(a[0]), PREADS, false, R_FD_READ | R_FD_SEEK, &f);
    if (e)
        return e;
    if (U64(a[3]) > INT64_MAX)
        return WE_INVAL;
    if (!wasi_mem(x, U32(a[4]), 4))
        return WE_FAULT;
    iov_buf v;
    int n;
    if ((e = gather(x, U32(a[1]), U32(a[2]), &v, &n, NULL)))
        return e;
    ssize_t r = preadv(f->host, v.v, n, (off_t)U64(a[3]));
    int err = errno;
    iov_free(&v);
    if (r < 0)
        return wasi_errno(err);
    return wasi_put32(x, U32(a[4]), (uint32_t)r);
}

/* The bytes [skip, skip + max) of an iovec list, as a list in out (at most
 * MAX_IOV entries, like the list it is cut from). */
static int iov_window(const struct iovec *v, int n, uint64_t skip, uint64_t max,
                      struct iovec *out)
{
    int m = 0;
    for (int i = 0; i < n && max; i++) {
        if (skip >= v[i].iov_len) {
            skip -= v[i].iov_len;
            continue;
        }
        size_t len = v[i].iov_len - (size_t)skip;
        if (len > max)
            len = (size_t)max;
        out[m].iov_base = (uint8_t *)v[i].iov_base + skip;
        out[m++].iov_len = len;
        max -= len;
        skip = 0;
    }
    return m;
}

/* Writes n iovecs (total bytes) to a host fd: all of it unless an error or
 * the interrupt comes first, and *done says how much went, also then.
 *
 * stdin/stdout/stderr are the host's own blocking descriptors, which we may
 * not make non-blocking (the shell that started us shares them), and a
 * write(2) into a full pipe would hold us past any deadline. So a stream
 * (pipe, FIFO, tty, socket, device) gets the bytes in pieces of at most
 * PIPE_BUF, each after waiting for room together with the interrupt: Linux
 * reports a pipe writable when a whole page (PIPE_BUF bytes) is free, and a
 * write that fits goes in whole, at once and atomically. A piece cut short
 * is counted in *done, so nothing written is ever unaccounted for. With
 * may_wait false (the guest asked for NONBLOCK) it stops at the first full
 * moment instead: WE_AGAIN if nothing went. Regular files never wait. */
static uint16_t write_pieces(wctx *x, int host, bool stream, bool may_wait,
                             const struct iovec *v, int n, uint64_t total, uint64_t *done,
                             struct iovec *piece);

static uint16_t write_iov(wctx *x, int host, bool stream, bool may_wait, const struct iovec *v,
                          int n, uint64_t total, uint64_t *done)
{
    *done = 0;
    iov_buf piece; /* each writev's list: a window of v, at most n entries */
    if (!iov_alloc(&piece, (size_t)n))
        return WE_NOMEM;
    uint16_t e = write_pieces(x, host, stream, may_wait, v, n, total, done, piece.v);
    iov_free(&piece);
    return e;
}

/* write_iov's loop; piece has room for n entries. */
static uint16_t write_pieces(wctx *x, int host, bool stream, bool may_wait,
                             const struct iovec *v, int n, uint64_t total, uint64_t *done,
                             struct iovec *piece)
{
    int first = 0;     /* v[0..first) are written whole ... */
    uint64_t skip = 0; /* ... and this much of v[first] */
    while (*done < total) {
        if (stream) {
            uint16_t e = wasi_wait(x, host, POLLOUT, may_wait ? -1 : 0);
            if (e == WE_AGAIN)
                return *done ? WE_SUCCESS : WE_AGAIN;
            if (e)
                return e;
        }
        int m = iov_window(v + first, n - first, skip, stream ? PIPE_BUF : total - *done, piece);
        ssize_t r = writev(host, piece, m);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && errno == EAGAIN && stream && may_wait)
            continue; /* a FIFO we opened non-blocking, filled by another writer first */
        if (r < 0)
            return *done && errno == EAGAIN ? WE_SUCCESS : wasi_errno(errno);
        if (r == 0)
            break; /* no progress (not seen on Linux): a short write, not a spin */
        *done += (uint64_t)r;
        for (skip += (uint64_t)r; first < n && skip >= v[first].iov_len; first++)
            skip -= v[first].iov_len;
    }
    return WE_SUCCESS;
}

/* stdout/stderr: pass through up to max_output bytes in all, then cut with
 * one notice (none when the cap is 0: a run asked to be silent stays so).
 * The guest is told everything was written, so it runs on. */
static uint16_t write_output(wctx *x, wasi_fd *f, struct iovec *v, int n, uint64_t total)
{
    wb_wasi *w = x->w;
    bool capped = w->max_output != WB_WASI_NO_OUTPUT_LIMIT;
    uint64_t allowed = total;
    if (capped) {
        uint64_t left = w->output_total >= w->max_output ? 0 : w->max_output - w->output_total;
        if (allowed > left)
            allowed = left;
    }
    iov_buf pass;
    if (!iov_alloc(&pass, (size_t)n))
        return WE_NOMEM;
    int m = iov_window(v, n, 0, allowed, pass.v);
    uint64_t done;
    uint16_t e = write_iov(x, f->host, is_stream(f), true, pass.v, m, allowed, &done);
    iov_free(&pass);
    if (e) {
        w->output_total += done; /* what reached the reader, for the report */
        return e;
    }
    w->output_total += total;
    if (capped && w->output_total > w->max_output && !w->output_cut) {
        w->output_cut = true;
        char msg[128];
        int len = snprintf(msg, sizeof msg,
                           "\n[wasmbox: output limit of %llu bytes reached; the rest is cut]\n",
                           (unsigned long long)w->max_output);
        struct iovec note = {.iov_base = msg, .iov_len = (size_t)len};
        if (w->notice_fd >= 0 && w->max_output > 0)
            (void)write_iov(x, w->notice_fd, w->notice_stream, true, &note, 1, (uint64_t)len,
                            &done);
        WASI_AUDIT_ONCE(w, "output.limit", WB_UINT("max_output", w->max_output));
    }
    return WE_SUCCESS;
}

static uint16_t write_list(wctx *x, wasi_fd *f, struct iovec *v, int n, uint64_t total,
                           uint32_t *written);

WASI_FN(fd_write)
{
    wasi_fd *f;
    uint16_t e = wasi_need_kind(x, U32(a[0]), WRITES, true, R_FD_WRITE, &f);
    if (e)
        return e;
    if (!wasi_mem(x, U32(a[3]), 4))
        return WE_FAULT;
    iov_buf v;
    int n;
    uint64_t total;
    if ((e = gather(x, U32(a[1]), U32(a[2]), &v, &n, &total)))
        return e;
    uint32_t written;
    e = write_list(x, f, v.v, n, total, &written);
    iov_free(&v);
    return e ? e : wasi_put32(x, U32(a[3]), written);
}

/* fd_write's writing of the checked list v (total bytes): an error, or
 * success and the count the guest is told in *written. */
static uint16_t write_list(wctx *x, wasi_fd *f, struct iovec *v, int n, uint64_t total,
                           uint32_t *written)
{
    uint16_t e;
    if (f->is_output) {
        if ((e = write_output(x, f, v, n, total)))
            return e;
        *written = (uint32_t)total;
        return WE_SUCCESS;
    }
    if (total > MAX_WRITE)
        total = MAX_WRITE; /* the rest is a short write, as the kernel does */
    uint64_t done;
    e = write_iov(x, f->host, is_stream(f), !(f->fdflags & FDF_NONBLOCK), v, n, total, &done);
    if (e && (e == WE_INTR || !done))
        return e;
    *written = (uint32_t)done; /* an error after some bytes: a short write */
    return WE_SUCCESS;
}

WASI_FN(fd_pwrite)
{
    wasi_fd *f;
    uint16_t e = wasi_need_kind(x, U32(a[0]), PWRITES, true, R_FD_WRITE | R_FD_SEEK, &f);
    if (e)
        return e;
    if (U64(a[3]) > INT64_MAX)
        return WE_INVAL;
    if (!wasi_mem(x, U32(a[4]), 4))
        return WE_FAULT;
    iov_buf v;
    int n;
    if ((e = gather(x, U32(a[1]), U32(a[2]), &v, &n, NULL)))
        return e;
    ssize_t r = pwritev(f->host, v.v, n, (off_t)U64(a[3]));
    int err = errno;
    iov_free(&v);
    if (r < 0)
        return wasi_errno(err);
    return wasi_put32(x, U32(a[4]), (uint32_t)r);
}

WASI_FN(fd_seek)
{
    uint32_t whence = U32(a[2]);
    int how;
    /* preview1: set=0 cur=1 end=2; wasi_unstable: cur=0 end=1 set=2 */
    static const int p1[3] = {SEEK_SET, SEEK_CUR, SEEK_END};
    static const int old[3] = {SEEK_CUR, SEEK_END, SEEK_SET};
    if (whence > 2)
        return WE_INVAL;
    how = x->legacy ? old[whence] : p1[whence];
    int64_t off = a[1].of.i64;
    bool tell_only = off == 0 && how == SEEK_CUR;
    wasi_fd *f;
    uint16_t e = wasi_need_kind(x, U32(a[0]), OFFSETS, false, 0, &f);
    if (e)
        return e;
    if (!(f->rights_base & R_FD_SEEK) && !(tell_only && (f->rights_base & R_FD_TELL)))
        return WE_NOTCAPABLE;
    if (!wasi_mem(x, U32(a[3]), 8))
        return WE_FAULT;
    off_t r = lseek(f->host, (off_t)off, how);
    if (r < 0)
        return wasi_errno(errno);
    return wasi_put64(x, U32(a[3]), (uint64_t)r);
}

WASI_FN(fd_tell)
{
    wasi_fd *f;
    uint16_t e = wasi_need_kind(x, U32(a[0]), OFFSETS, false, R_FD_TELL, &f);
    if (e)
        return e;
    if (!wasi_mem(x, U32(a[1]), 8))
        return WE_FAULT;
    off_t r = lseek(f->host, 0, SEEK_CUR);
    if (r < 0)
        return wasi_errno(errno);
    return wasi_put64(x, U32(a[1]), (uint64_t)r);
}

WASI_FN(fd_close)
{
    wasi_fd *f = wasi_fd_get(x->w, U32(a[0]));
    if (!f)
        return WE_BADF;
    wasi_fd_release(f);
    return WE_SUCCESS;
}

WASI_FN(fd_renumber)
{
    wb_wasi *w = x->w;
    uint32_t from = U32(a[0]), to = U32(a[1]);
    /* both must be open (preview1; Wasmtime): the target is closed first */
    if (!wasi_fd_get(w, from) || !wasi_fd_get(w, to))
        return WE_BADF;
    if (from == to)
        return WE_SUCCESS;
    wasi_fd *dst = &w->fds[to];
    wasi_fd_release(dst);
    w->fds[to] = w->fds[from];
    memset(&w->fds[from], 0, sizeof w->fds[from]);
    w->fds[from].host = -1;
    return WE_SUCCESS;
}

WASI_FN(fd_datasync)
{
    wasi_fd *f;
    uint16_t e = wasi_need_kind(x, U32(a[0]), FILES, false, R_FD_DATASYNC, &f);
    if (e)
        return e;
    return fdatasync(f->host) < 0 ? wasi_errno(errno) : WE_SUCCESS;
}

WASI_FN(fd_sync)
{
    wasi_fd *f;
    uint16_t e = wasi_need_kind(x, U32(a[0]), FILES, false, R_FD_SYNC, &f);
    if (e)
        return e;
    return fsync(f->host) < 0 ? wasi_errno(errno) : WE_SUCCESS;
}

WASI_FN(fd_advise)
{
    wasi_fd *f;
    uint16_t e = wasi_need_kind(x, U32(a[0]), FILES, false, R_FD_ADVISE, &f);
    if (e)
        return e;
    static const int adv[6] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                               POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
    uint32_t advice = U32(a[3]);
    if (advice > 5 || U64(a[1]) > INT64_MAX || U64(a[2]) > INT64_MAX)
        return WE_INVAL;
    int r = posix_fadvise(f->host, (off_t)U64(a[1]), (off_t)U64(a[2]), adv[advice]);
    return r ? wasi_errno(r) : WE_SUCCESS;
}

WASI_FN(fd_allocate)
{
    wasi_fd *f;
    uint16_t e = wasi_need_kind(x, U32(a[0]), FILES, true, R_FD_ALLOCATE, &f);
    if (e)
        return e;
    uint64_t off = U64(a[1]), len = U64(a[2]);
    if (off > INT64_MAX || len > INT64_MAX - off)
        return WE_FBIG;
    if (len == 0)
        return WE_INVAL;
    int r = posix_fallocate(f->host, (off_t)off, (off_t)len);
    return r ? wasi_errno(r) : WE_SUCCESS;
}

/* stdio are streams to the guest whatever the host gave: a terminal is a
 * character device, anything else unknown, as Wasmtime reports them (a
 * /dev/null stdin is no terminal to isatty) */
static uint8_t stdio_type(const wasi_fd *f) { return f->tty ? FT_CHAR : FT_UNKNOWN; }

WASI_FN(fd_fdstat_get)
{
    wasi_fd *f = wasi_fd_get(x->w, U32(a[0]));
    if (!f)
        return WE_BADF;
    uint8_t *p = wasi_mem(x, U32(a[1]), 24);
    if (!p)
        return WE_FAULT;
    memset(p, 0, 24);
    p[0] = f->kind == WFD_STDIO ? stdio_type(f) : f->filetype;
    wput16(p + 2, f->fdflags);
    wput64(p + 8, f->rights_base);
    wput64(p + 16, f->rights_inheriting);
    return WE_SUCCESS;
}

WASI_FN(fd_fdstat_set_flags)
{
    wasi_fd *f;
    uint16_t e = wasi_need_kind(x, U32(a[0]), FLAGGABLE, false, R_FD_FDSTAT_SET_FLAGS, &f);
    if (e)
        return e;
    uint32_t flags = U32(a[1]);
    if (flags & ~0x1Fu)
        return WE_INVAL;
    /* only APPEND and NONBLOCK change; any sync flag is INVAL, as in
     * Wasmtime (Linux cannot change them on an open file) */
    if (flags & (FDF_DSYNC | FDF_RSYNC | FDF_SYNC))
        return WE_INVAL;
    /* NONBLOCK is ours (never set on the host file description, which the
     * host's stdio may share); APPEND goes to the host for files we opened. */
    if (((flags ^ f->fdflags) & FDF_APPEND) && f->kind == WFD_FILE) {
        int fl = fcntl(f->host, F_GETFL);
        if (fl < 0)
            return wasi_errno(errno);
        fl = (flags & FDF_APPEND) ? fl | O_APPEND : fl & ~O_APPEND;
        if (fcntl(f->host, F_SETFL, fl) < 0)
            return wasi_errno(errno);
    }
    f->fdflags = (uint16_t)flags;
    return WE_SUCCESS;
}

WASI_FN(fd_fdstat_set_rights)
{
    wasi_fd *f = wasi_fd_get(x->w, U32(a[0]));
    if (!f)
        return WE_BADF;
    uint64_t base = U64(a[1]), inh = U64(a[2]);
    /* rights can only ever be dropped */
    if ((base & ~f->rights_base) || (inh & ~f->rights_inheriting))
        return WE_NOTCAPABLE;
    f->rights_base = base;
    f->rights_inheriting = inh;
    return WE_SUCCESS;
}

size_t wasi_filestat_size(const wctx *x) { return x->legacy ? 56 : 64; }

static uint64_t ts_ns(struct timespec t)
{
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

uint16_t wasi_put_filestat(wctx *x, uint32_t ptr, const struct stat *st)
{
    size_t n = wasi_filestat_size(x);
    uint8_t *p = wasi_mem(x, ptr, n);
    if (!p)
        return WE_FAULT;
    memset(p, 0, n);
    wput64(p, (uint64_t)st->st_dev);
    wput64(p + 8, (uint64_t)st->st_ino);
    p[16] = wasi_filetype_of(st->st_mode);
    if (x->legacy) { /* nlink is a u32 at 20; everything after moves up by 8 */
        wput32(p + 20, (uint32_t)st->st_nlink);
        p += 24;
    } else {
        wput64(p + 24, (uint64_t)st->st_nlink);
        p += 32;
    }
    wput64(p, (uint64_t)st->st_size);
    wput64(p + 8, ts_ns(st->st_atim));
    wput64(p + 16, ts_ns(st->st_mtim));
    wput64(p + 24, ts_ns(st->st_ctim));
    return WE_SUCCESS;
}

WASI_FN(fd_filestat_get)
{
    wasi_fd *f;
    uint16_t e = wasi_need(x, U32(a[0]), R_FD_FILESTAT_GET, &f);
    if (e)
        return e;
    if (!wasi_mem(x, U32(a[1]), wasi_filestat_size(x)))
        return WE_FAULT;
    if (f->kind == WFD_STDIO) { /* all zero but the type, as Wasmtime: no host inode leaks */
        uint8_t *p = wasi_mem(x, U32(a[1]), wasi_filestat_size(x));
        memset(p, 0, wasi_filestat_size(x));
        p[16] = stdio_type(f);
        return WE_SUCCESS;
    }
    const struct wasi_opened *o = &x->w->opened;
    if (o->sequence && o->fd == U32(a[0]) && o->store == wb_call_store(x->call) &&
        wb_call_sequence(x->call) == o->sequence + 1)
        return wasi_put_filestat(x, U32(a[1]), &o->st); /* wb_wasi's `opened` says why */
    struct stat st;
    if (fstat(f->host, &st) < 0)
        return wasi_errno(errno);
    return wasi_put_filestat(x, U32(a[1]), &st);
}

WASI_FN(fd_filestat_set_size)
{
    wasi_fd *f;
    uint16_t e = wasi_need_kind(x, U32(a[0]), FILES, true, R_FD_FILESTAT_SET_SIZE, &f);
    if (e)
        return e;
    if (U64(a[1]) > INT64_MAX)
        return WE_FBIG;
    return ftruncate(f->host, (off_t)U64(a[1])) < 0 ? wasi_errno(errno) : WE_SUCCESS;
}

/* fstflags: atim=1 atim_now=2 mtim=4 mtim_now=8 */
uint16_t wasi_make_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2])
{
    if (fst & ~0xFu || (fst & 3) == 3 || (fst & 12) == 12)
        return WE_INVAL;
    uint64_t v[2] = {atim, mtim};
    for (int i = 0; i < 2; i++) {
        uint32_t set = (fst >> (2 * i)) & 1, now = (fst >> (2 * i + 1)) & 1;
        ts[i].tv_sec = set ? (time_t)(v[i] / 1000000000ull) : 0;
        ts[i].tv_nsec = now ? UTIME_NOW : set ? (long)(v[i] % 1000000000ull) : UTIME_OMIT;
    }
    return WE_SUCCESS;
}

WASI_FN(fd_filestat_set_times)
{
    wasi_fd *f;
    uint16_t e = wasi_need_kind(x, U32(a[0]), TIMED, true, R_FD_FILESTAT_SET_TIMES, &f);
    if (e)
        return e;
    struct timespec ts[2];
    if ((e = wasi_make_times(U64(a[1]), U64(a[2]), U32(a[3]), ts)))
        return e;
    return futimens(f->host, ts) < 0 ? wasi_errno(errno) : WE_SUCCESS;
}

WASI_FN(fd_prestat_get)
{
    wasi_fd *f = wasi_fd_get(x->w, U32(a[0]));
    if (!f || !f->preopen)
        return WE_BADF;
    uint8_t *p = wasi_mem(x, U32(a[1]), 8);
    if (!p)
        return WE_FAULT;
    memset(p, 0, 8); /* tag 0: a directory */
    wput32(p + 4, (uint32_t)strlen(f->name));
    return WE_SUCCESS;
}

WASI_FN(fd_prestat_dir_name)
{
    wasi_fd *f = wasi_fd_get(x->w, U32(a[0]));
    if (!f)
        return WE_BADF;
    if (!f->preopen)
        return WE_NOTDIR; /* an open fd that is no preopen: Wasmtime's answer */
    size_t n = strlen(f->name);
    if (U32(a[2]) < n)
        return WE_NAMETOOLONG;
    uint8_t *p = wasi_mem(x, U32(a[1]), n);
    if (!p)
        return WE_FAULT;
    memcpy(p, f->name, n);
    return WE_SUCCESS;
}

static uint8_t dtype_to_wasi(int fd, const char *name, unsigned char t)
{
    switch (t) {
    case DT_REG: return FT_REG;
    case DT_DIR: return FT_DIR;
    case DT_LNK: return FT_SYMLINK;
    case DT_CHR: return FT_CHAR;
    case DT_BLK: return FT_BLOCK;
    case DT_SOCK: return FT_SOCK_STREAM;
    case DT_FIFO: return FT_UNKNOWN;
    default: {
        struct stat st;
        if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            return FT_UNKNOWN;
        return wasi_filetype_of(st.st_mode);
    }
    }
}

/* Entries are 24-byte dirents (d_next, d_ino, d_namlen, d_type) each followed
 * by its name; the last one may be cut at the end of the buffer (the guest
 * then asks again from its cookie, as the spec says).
 *
 * Cookies are entry indexes (1 = after the first entry), not the host's d_off:
 * those are 63-bit hashes on ext4 and would not survive libc's 32-bit
 * telldir. Resuming at the cookie we handed out last is a seek to the host
 * offset remembered for it; any other cookie rereads from the start. */
WASI_FN(fd_readdir)
{
    wasi_fd *f;
    uint16_t e = wasi_need_kind(x, U32(a[0]), DIRS, false, R_FD_READDIR, &f);
    if (e)
        return e;
    uint32_t buf = U32(a[1]), buflen = U32(a[2]);
    uint64_t cookie = U64(a[3]);
    if (!wasi_mem(x, buf, buflen) || !wasi_mem(x, U32(a[4]), 4))
        return WE_FAULT;
    if (cookie > INT64_MAX)
        return WE_INVAL;
    if (!f->self_known) {
        struct stat self;
        if (fstat(f->host, &self) < 0)
            return wasi_errno(errno);
        f->map_root = wasi_is_map_root(x->w, &self);
        f->self_ino = (uint64_t)self.st_ino;
        f->self_known = true;
    }
    bool root = f->map_root;
    uint64_t idx = 0;
    int64_t start = 0;
    for (int k = 0; k < 2; k++)
        if (cookie && f->rd_cookie[k] == cookie) {
            idx = cookie;
            start = f->rd_off[k];
        }
    /* a directory path_open just opened is at offset 0 already (the seek
     * was one system call a directory of every walk) */
    if (!(f->at_start && start == 0) && lseek(f->host, (off_t)start, SEEK_SET) < 0)
        return wasi_errno(errno);
    f->at_start = false;
    enum { HB = 32768 };
    char *hb = malloc(HB);
    if (!hb)
        return WE_NOMEM;
    uint32_t used = 0;
    e = WE_SUCCESS;
    while (used < buflen) {
        long n = syscall(SYS_getdents64, f->host, hb, HB);
        if (n < 0) {
            e = wasi_errno(errno);
            break;
        }
        if (n == 0)
            break;
        for (long off = 0; off < n && used < buflen;) {
            const char *ent = hb + off;
            uint64_t ino, next;
            uint16_t reclen;
            memcpy(&ino, ent, 8);
            memcpy(&next, ent + 8, 8);
            memcpy(&reclen, ent + 16, 2);
            unsigned char dt = (unsigned char)ent[18];
            const char *name = ent + 19;
            size_t nlen = strnlen(name, (size_t)reclen - 19);
            off += reclen;
            if (idx++ < cookie)
                continue; /* rereading up to the cookie */
            /* the guest resumes at this entry's cookie or the one before */
            f->rd_cookie[0] = f->rd_cookie[1];
            f->rd_off[0] = f->rd_off[1];
            f->rd_cookie[1] = idx;
            f->rd_off[1] = (int64_t)next;
            /* a map root's ".." does not reveal what is above it, whichever
             * fd lists it (libc's opendir("/box") opens "." again) */
            if (root && nlen == 2 && name[0] == '.' && name[1] == '.')
                ino = f->self_ino;
            uint8_t hdr[24];
            memset(hdr, 0, sizeof hdr);
            wput64(hdr, idx);
            wput64(hdr + 8, ino);
            wput32(hdr + 16, (uint32_t)nlen);
            hdr[20] = dtype_to_wasi(f->host, name, dt);
            uint8_t *dst = wasi_mem(x, buf, buflen); /* checked above; fetched afresh */
            uint32_t room = buflen - used;
            uint32_t c = room < 24 ? room : 24;
            memcpy(dst + used, hdr, c);
            used += c;
            room = buflen - used;
            c = room < nlen ? room : (uint32_t)nlen;
            memcpy(dst + used, name, c);
            used += c;
        }
    }
    free(hb);
    return e ? e : wasi_put32(x, U32(a[4]), used);
}
