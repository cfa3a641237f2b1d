/* stream.c: the streams commands read and write. A stream is a file
 * descriptor (buffered both ways), an in-memory pipe (README.md
 * "Pipelines": bounded, a writer past the bound gets EPIPE), the capture of
 * the tool's stdout/stderr (first and last bytes kept, the rest counted),
 * bytes to read (here-documents), or one of /dev/null, /dev/zero,
 * /dev/urandom. Streams are reference counted: a redirection `2>&1` shares
 * one stream between two fds, so their bytes stay in order. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { SS_NULL, SS_ZERO, SS_RANDOM, SS_FD, SS_PIPE, SS_CAPTURE, SS_BYTES };

#define SS_BUFSZ 16384

struct sh_stream {
    int refs;
    int kind;
    int err;            /* sticky write error (errno value) */
    /* SS_FD */
    int fd;
    bool own, writable;
    char *rbuf;         /* read buffer: rbuf[rpos..rlen) unread */
    size_t rpos, rlen;
    char *wbuf;         /* write buffer: wlen bytes pending */
    size_t wlen;
    /* SS_PIPE, SS_BYTES: data[dpos..len) unread */
    sh_buf data;
    size_t dpos, max;
    bool cut;           /* a write was refused: the pipe is "closed" */
    shctx *sh;
    /* SS_CAPTURE: head (first keep/2 bytes) + ring of the last keep/2 */
    sh_buf head;
    char *ring;
    size_t ring_cap, ring_start, ring_len, keep;
    uint64_t total;
};

static sh_stream *stream_new(int kind)
{
    sh_stream *s = sh_calloc(1, sizeof *s);
    s->refs = 1;
    s->kind = kind;
    s->fd = -1;
    return s;
}

static sh_stream null_stream = {.refs = 1 << 30, .kind = SS_NULL, .fd = -1};

sh_stream *stream_null(void)
{
    return &null_stream;
}

sh_stream *stream_fd(int fd, bool own, bool writable)
{
    sh_stream *s = stream_new(SS_FD);
    s->fd = fd;
    s->own = own;
    s->writable = writable;
    return s;
}

sh_stream *stream_pipe(shctx *sh, size_t max)
{
    sh_stream *s = stream_new(SS_PIPE);
    s->max = max;
    s->sh = sh;
    return s;
}

sh_stream *stream_capture(size_t keep)
{
    sh_stream *s = stream_new(SS_CAPTURE);
    s->keep = keep;
    return s;
}

sh_stream *stream_bytes(char *data, size_t n)
{
    sh_stream *s = stream_new(SS_BYTES);
    s->data.data = data;
    s->data.len = n;
    s->data.cap = n + 1;
    return s;
}

sh_stream *stream_ref(sh_stream *s)
{
    if (s && s != &null_stream)
        s->refs++;
    return s;
}

static bool fd_flush(sh_stream *s)
{
    size_t off = 0;
    while (off < s->wlen) {
        ssize_t w = write(s->fd, s->wbuf + off, s->wlen - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            s->err = errno;
            s->wlen = 0;
            return false;
        }
        off += (size_t)w;
    }
    s->wlen = 0;
    return true;
}

bool sh_flush(sh_stream *s)
{
    if (!s || s->kind != SS_FD || !s->wlen)
        return !s || !s->err;
    return fd_flush(s);
}

void stream_unref(sh_stream *s)
{
    sh_close(s);
}

/* Drops one reference (a stream from sh_open may be shared: /dev/stdout);
 * the last one flushes and closes. */
bool sh_close(sh_stream *s)
{
    if (!s || s == &null_stream)
        return true;
    if (--s->refs > 0)
        return sh_flush(s) && !s->err;
    bool ok = sh_flush(s) && !s->err;
    int e = s->err;
    if (s->kind == SS_FD && s->own && close(s->fd) != 0 && ok) {
        ok = false;
        e = errno;
    }
    free(s->rbuf);
    free(s->wbuf);
    sh_buf_free(&s->data);
    sh_buf_free(&s->head);
    free(s->ring);
    free(s);
    if (!ok)
        errno = e;
    return ok;
}

int sh_stream_fd(const sh_stream *s)
{
    return s && s->kind == SS_FD ? s->fd : -1;
}

bool sh_stream_failed(const sh_stream *s, int *err)
{
    if (s && s->err) {
        if (err)
            *err = s->err;
        return true;
    }
    return false;
}

static void capture_add(sh_stream *s, const char *p, size_t n)
{
    s->total += n;
    size_t half = s->keep / 2;
    if (s->head.len < half) {
        size_t k = half - s->head.len < n ? half - s->head.len : n;
        sh_buf_add(&s->head, p, k);
        p += k;
        n -= k;
    }
    if (!n)
        return;
    size_t cap = s->keep - half;
    if (!s->ring) {
        s->ring = sh_malloc(cap ? cap : 1);
        s->ring_cap = cap;
    }
    if (!cap)
        return;
    if (n >= cap) { /* only the last cap bytes survive */
        memcpy(s->ring, p + n - cap, cap);
        s->ring_start = 0;
        s->ring_len = cap;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        size_t at = (s->ring_start + s->ring_len) % cap;
        s->ring[at] = p[i];
        if (s->ring_len < cap)
            s->ring_len++;
        else
            s->ring_start = (s->ring_start + 1) % cap;
    }
}

void stream_capture_text(sh_stream *s, sh_buf *out, uint64_t *total)
{
    *total = s->total;
    sh_buf_add(out, s->head.data ? s->head.data : "", s->head.len);
    uint64_t cut = s->total - s->head.len - s->ring_len;
    if (cut)
        sh_buf_printf(out, "\n[... %llu bytes not shown: the output was %llu bytes; the first and last %zu KiB are kept ...]\n",
                      (unsigned long long)cut, (unsigned long long)s->total, s->keep / 2048);
    for (size_t i = 0; i < s->ring_len; i++)
        sh_buf_addc(out, s->ring[(s->ring_start + i) % s->ring_cap]);
}

bool sh_write(sh_stream *s, const void *p, size_t n)
{
    if (!s) {
        errno = EBADF;
        return false;
    }
    switch (s->kind) {
    case SS_NULL:
    case SS_ZERO:
    case SS_RANDOM:
        return true;
    case SS_CAPTURE:
        capture_add(s, p, n);
        return true;
    case SS_BYTES:
        errno = EBADF;
        return false;
    case SS_PIPE:
        if (s->cut || n > s->max - s->data.len) {
            /* The bound is reached: the reader is taken to have gone away
             * (README.md "Pipelines"). What fits is kept. */
            if (!s->cut)
                sh_buf_add(&s->data, p, s->max - s->data.len);
            s->cut = true;
            if (s->sh)
                s->sh->sigpipe = true;
            errno = EPIPE;
            return false;
        }
        sh_buf_add(&s->data, p, n);
        return true;
    default: /* SS_FD */
        if (!s->writable) {
            errno = EBADF;
            return false;
        }
        if (s->err) {
            errno = s->err;
            return false;
        }
        if (!s->wbuf)
            s->wbuf = sh_malloc(SS_BUFSZ);
        if (s->wlen + n > SS_BUFSZ) {
            if (!fd_flush(s)) {
                errno = s->err;
                return false;
            }
            if (n >= SS_BUFSZ) {
                const char *q = p;
                while (n) {
                    ssize_t w = write(s->fd, q, n);
                    if (w < 0) {
                        if (errno == EINTR)
                            continue;
                        s->err = errno;
                        return false;
                    }
                    q += w;
                    n -= (size_t)w;
                }
                return true;
            }
        }
        memcpy(s->wbuf + s->wlen, p, n);
        s->wlen += n;
        return true;
    }
}

bool sh_puts(sh_stream *s, const char *str)
{
    return sh_write(s, str, strlen(str));
}

bool sh_putc(sh_stream *s, char c)
{
    return sh_write(s, &c, 1);
}

bool sh_vprintf(sh_stream *s, const char *fmt, va_list ap)
{
    char small[512];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        errno = EINVAL;
        return false;
    }
    if ((size_t)n < sizeof small)
        return sh_write(s, small, (size_t)n);
    sh_buf b = {0};
    sh_buf_vprintf(&b, fmt, ap);
    bool ok = sh_write(s, b.data, b.len);
    sh_buf_free(&b);
    return ok;
}

bool sh_printf(sh_stream *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = sh_vprintf(s, fmt, ap);
    va_end(ap);
    return ok;
}

static void fill_random(void *p, size_t n)
{
    unsigned char *q = p;
    while (n) {
        size_t k = n > 256 ? 256 : n;
        if (getentropy(q, k) != 0)
            memset(q, 0, k);
        q += k;
        n -= k;
    }
}

/* FD streams: refills the read buffer; false at end or error (errno, 0 at end). */
static bool fd_fill(sh_stream *s)
{
    if (!s->rbuf)
        s->rbuf = sh_malloc(SS_BUFSZ);
    s->rpos = s->rlen = 0;
    for (;;) {
        ssize_t r = read(s->fd, s->rbuf, SS_BUFSZ);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r == 0)
                errno = 0;
            return false;
        }
        s->rlen = (size_t)r;
        return true;
    }
}

ssize_t sh_read(sh_stream *s, void *p, size_t n)
{
    if (!s) {
        errno = EBADF;
        return -1;
    }
    if (!n)
        return 0;
    switch (s->kind) {
    case SS_NULL:
        return 0;
    case SS_ZERO:
        memset(p, 0, n);
        return (ssize_t)n;
    case SS_RANDOM:
        fill_random(p, n);
        return (ssize_t)n;
    case SS_CAPTURE:
        errno = EBADF;
        return -1;
    case SS_PIPE:
    case SS_BYTES: {
        size_t avail = s->data.len - s->dpos;
        size_t k = avail < n ? avail : n;
        if (k)
            memcpy(p, s->data.data + s->dpos, k);
        s->dpos += k;
        return (ssize_t)k;
    }
    default:
        if (s->rpos < s->rlen) {
            size_t k = s->rlen - s->rpos < n ? s->rlen - s->rpos : n;
            memcpy(p, s->rbuf + s->rpos, k);
            s->rpos += k;
            return (ssize_t)k;
        }
        for (;;) {
            ssize_t r = read(s->fd, p, n);
            if (r < 0 && errno == EINTR)
                continue;
            return r;
        }
    }
}

ssize_t sh_getdelim(sh_stream *s, sh_buf *line, int delim)
{
    line->len = 0;
    if (line->data)
        line->data[0] = 0;
    if (!s) {
        errno = EBADF;
        return -1;
    }
    switch (s->kind) {
    case SS_PIPE:
    case SS_BYTES: {
        size_t avail = s->data.len - s->dpos;
        if (!avail)
            return 0;
        const char *start = s->data.data + s->dpos;
        const char *nl = memchr(start, delim, avail);
        size_t k = nl ? (size_t)(nl - start) + 1 : avail;
        sh_buf_add(line, start, k);
        s->dpos += k;
        return (ssize_t)k;
    }
    case SS_FD:
        for (;;) {
            if (s->rpos >= s->rlen && !fd_fill(s)) {
                if (errno)
                    return -1;
                return (ssize_t)line->len;
            }
            const char *start = s->rbuf + s->rpos;
            size_t avail = s->rlen - s->rpos;
            const char *nl = memchr(start, delim, avail);
            size_t k = nl ? (size_t)(nl - start) + 1 : avail;
            if (line->len + k > SH_MAX_STRING) {
                errno = EFBIG;
                return -1;
            }
            sh_buf_add(line, start, k);
            s->rpos += k;
            if (nl)
                return (ssize_t)line->len;
        }
    default: {
        /* /dev/null, /dev/zero, /dev/urandom: byte by byte, bounded */
        char c;
        for (;;) {
            ssize_t r = sh_read(s, &c, 1);
            if (r <= 0)
                return r < 0 ? -1 : (ssize_t)line->len;
            if (line->len >= SH_MAX_STRING) {
                errno = EFBIG;
                return -1;
            }
            sh_buf_addc(line, c);
            if (c == (char)delim)
                return (ssize_t)line->len;
        }
    }
    }
}

bool sh_read_all(sh_stream *s, sh_buf *out, size_t max)
{
    if (s && (s->kind == SS_ZERO || s->kind == SS_RANDOM)) {
        errno = EFBIG;
        return false;
    }
    char buf[SS_BUFSZ];
    for (;;) {
        ssize_t r = sh_read(s, buf, sizeof buf);
        if (r < 0)
            return false;
        if (r == 0)
            return true;
        if ((size_t)r > max - out->len) {
            errno = EFBIG;
            return false;
        }
        sh_buf_add(out, buf, (size_t)r);
    }
}

const char *stream_pipe_data(sh_stream *s, size_t *n)
{
    *n = s->data.len;
    return s->data.data ? s->data.data : "";
}

bool stream_pipe_cut(sh_stream *s)
{
    return s->kind == SS_PIPE && s->cut;
}

bool stream_at_eof(sh_stream *s)
{
    return (s->kind == SS_PIPE || s->kind == SS_BYTES) && s->dpos >= s->data.len;
}

/* ---- opening files ------------------------------------------------------- */

static sh_stream *dev_stream(shctx *sh, const char *path, bool *handled)
{
    *handled = true;
    if (!strcmp(path, "/dev/null"))
        return stream_null();
    if (!strcmp(path, "/dev/zero")) {
        sh_stream *s = stream_new(SS_ZERO);
        return s;
    }
    if (!strcmp(path, "/dev/urandom") || !strcmp(path, "/dev/random"))
        return stream_new(SS_RANDOM);
    int fd = -1;
    if (!strcmp(path, "/dev/stdin"))
        fd = 0;
    else if (!strcmp(path, "/dev/stdout"))
        fd = 1;
    else if (!strcmp(path, "/dev/stderr"))
        fd = 2;
    else if (!strncmp(path, "/dev/fd/", 8) && path[8] >= '0' && path[8] <= '9' && !path[9])
        fd = path[8] - '0';
    if (fd >= 0) {
        sh_stream *s = sh_fd_stream(sh, fd);
        if (!s) {
            errno = EBADF;
            return NULL;
        }
        return stream_ref(s);
    }
    if (!strcmp(path, "/dev/tty")) {
        errno = ENXIO;
        return NULL;
    }
    *handled = false;
    return NULL;
}

sh_stream *sh_open(shctx *sh, const char *path, int flags)
{
    if (!*path) {
        errno = ENOENT;
        return NULL;
    }
    bool handled;
    sh_stream *d = dev_stream(sh, path, &handled);
    if (handled)
        return d;
    int fd = open(path, flags | O_CLOEXEC, 0666);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        errno = EISDIR;
        return NULL;
    }
    return stream_fd(fd, true, (flags & O_ACCMODE) != O_RDONLY);
}
