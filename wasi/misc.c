/* WASI args, environment, clocks, randomness, poll_oneoff, process and
 * socket functions. */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wasi_impl.h"

#define U32(v) ((uint32_t)(v).of.i32)
#define U64(v) ((uint64_t)(v).of.i64)

/* ---- args and environment: argv-style arrays of pointers into one buffer ---- */

static uint64_t strings_size(char **s, size_t n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += strlen(s[i]) + 1;
    return total;
}

static uint16_t sizes_get(wctx *x, char **s, size_t n, uint32_t count_ptr, uint32_t size_ptr)
{
    if (!wasi_mem(x, count_ptr, 4) || !wasi_mem(x, size_ptr, 4))
        return WE_FAULT;
    wasi_put32(x, count_ptr, (uint32_t)n);
    wasi_put32(x, size_ptr, (uint32_t)strings_size(s, n));
    return WE_SUCCESS;
}

static uint16_t strings_get(wctx *x, char **s, size_t n, uint32_t ptrs, uint32_t buf)
{
    uint64_t total = strings_size(s, n);
    uint8_t *pp = wasi_mem(x, ptrs, (uint64_t)n * 4);
    uint8_t *bp = wasi_mem(x, buf, total);
    if (!pp || !bp)
        return WE_FAULT;
    uint64_t off = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(s[i]) + 1;
        wput32(pp + 4 * i, (uint32_t)(buf + off));
        memcpy(bp + off, s[i], len);
        off += len;
    }
    return WE_SUCCESS;
}

WASI_FN(args_sizes_get) { return sizes_get(x, x->w->args, x->w->nargs, U32(a[0]), U32(a[1])); }
WASI_FN(args_get) { return strings_get(x, x->w->args, x->w->nargs, U32(a[0]), U32(a[1])); }
WASI_FN(environ_sizes_get) { return sizes_get(x, x->w->env, x->w->nenv, U32(a[0]), U32(a[1])); }
WASI_FN(environ_get) { return strings_get(x, x->w->env, x->w->nenv, U32(a[0]), U32(a[1])); }

/* ---- clocks ---- */

static bool host_clock(uint32_t id, clockid_t *out)
{
    static const clockid_t map[4] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
                                     CLOCK_THREAD_CPUTIME_ID};
    if (id > 3)
        return false;
    *out = map[id];
    return true;
}

static uint64_t ns_of(struct timespec t)
{
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

WASI_FN(clock_res_get)
{
    clockid_t c;
    if (!host_clock(U32(a[0]), &c))
        return WE_INVAL;
    if (!wasi_mem(x, U32(a[1]), 8))
        return WE_FAULT;
    struct timespec t;
    if (clock_getres(c, &t) < 0)
        return wasi_errno(errno);
    return wasi_put64(x, U32(a[1]), ns_of(t));
}

WASI_FN(clock_time_get)
{
    clockid_t c;
    if (!host_clock(U32(a[0]), &c))
        return WE_INVAL;
    if (!wasi_mem(x, U32(a[2]), 8))
        return WE_FAULT;
    struct timespec t;
    if (clock_gettime(c, &t) < 0)
        return wasi_errno(errno);
    return wasi_put64(x, U32(a[2]), ns_of(t));
}

/* ---- poll_oneoff ---- */

#define MAX_SUBS 4096u
enum { EV_CLOCK = 0, EV_FD_READ = 1, EV_FD_WRITE = 2 };

typedef struct sub {
    uint64_t userdata;
    uint8_t type;
    uint16_t error;       /* decided before waiting */
    bool ready;
    uint64_t deadline;    /* clocks: CLOCK_MONOTONIC ns */
    int pfd;              /* index into the pollfd array, or -1 */
    uint64_t nbytes;
    uint16_t flags;
} sub;

static uint64_t mono_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return ns_of(t);
}

static void parse_sub(wctx *x, const uint8_t *s, sub *out, struct pollfd *pfds, int *npfd)
{
    memset(out, 0, sizeof *out);
    out->pfd = -1;
    out->userdata = wget64(s);
    out->type = s[8];
    if (out->type == EV_CLOCK) {
        /* wasi_unstable's clock subscription starts with an 8-byte identifier */
        const uint8_t *c = s + (x->legacy ? 24 : 16);
        uint32_t id = wget32(c);
        uint64_t timeout = wget64(c + 8);
        uint16_t flags = wget16(c + 24);
        clockid_t hc;
        if (id > 1 || !host_clock(id, &hc)) { /* refused whole by poll_oneoff first */
            out->error = WE_INVAL;
            return;
        }
        struct timespec t;
        clock_gettime(hc, &t);
        uint64_t now = ns_of(t), left;
        if (flags & 1) /* absolute */
            left = timeout > now ? timeout - now : 0;
        else
            left = timeout;
        uint64_t m = mono_now();
        out->deadline = left > UINT64_MAX - m ? UINT64_MAX : m + left;
        return;
    }
    if (out->type != EV_FD_READ && out->type != EV_FD_WRITE) {
        out->error = WE_INVAL;
        return;
    }
    wasi_fd *f = wasi_fd_get(x->w, wget32(s + 16));
    if (!f) {
        out->error = WE_BADF;
        return;
    }
    uint64_t right = out->type == EV_FD_READ ? R_FD_READ : R_FD_WRITE;
    if (!(f->rights_base & right)) {
        out->error = WE_NOTCAPABLE;
        return;
    }
    if (f->filetype == FT_REG || f->filetype == FT_DIR) { /* always ready */
        out->ready = true;
        if (out->type == EV_FD_READ) {
            struct stat st;
            off_t pos = lseek(f->host, 0, SEEK_CUR);
            if (fstat(f->host, &st) == 0 && pos >= 0 && st.st_size > pos)
                out->nbytes = (uint64_t)(st.st_size - pos);
        }
        return;
    }
    out->pfd = *npfd;
    pfds[*npfd].fd = f->host;
    pfds[*npfd].events = out->type == EV_FD_READ ? POLLIN : POLLOUT;
    pfds[*npfd].revents = 0;
    (*npfd)++;
}

WASI_FN(poll_oneoff)
{
    uint32_t in = U32(a[0]), out = U32(a[1]), n = U32(a[2]), ret = U32(a[3]);
    size_t subsize = x->legacy ? 56 : 48;
    if (n == 0)
        return WE_INVAL;
    if (!wasi_mem(x, in, (uint64_t)n * subsize) || !wasi_mem(x, out, (uint64_t)n * 32) ||
        !wasi_mem(x, ret, 4))
        return WE_FAULT;
    if (n > MAX_SUBS)
        return WE_NOTSUP;
    sub *subs = calloc(n, sizeof *subs);
    struct pollfd *pfds = calloc(n + 1, sizeof *pfds); /* + the interrupt's */
    if (!subs || !pfds) {
        free(subs);
        free(pfds);
        return WE_NOMEM;
    }
    int npfd = 0;
    const uint8_t *src = wasi_mem(x, in, (uint64_t)n * subsize);
    /* As Wasmtime: a subscription of an unknown type, or on a clock that
     * cannot be waited on (the CPU-time clocks, unknown ids), makes the
     * whole call INVAL, before anything is waited for. */
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *s = src + i * subsize;
        uint32_t id = wget32(s + (x->legacy ? 24 : 16));
        if (s[8] > EV_FD_WRITE || (s[8] == EV_CLOCK && id > 1)) {
            free(subs);
            free(pfds);
            return WE_INVAL;
        }
    }
    for (uint32_t i = 0; i < n; i++)
        parse_sub(x, src + i * subsize, &subs[i], pfds, &npfd);
    /* waited on with the rest, so an interrupt wakes the wait at once */
    pfds[npfd] = (struct pollfd){.fd = x->w->wake_fd, .events = POLLIN};
    uint16_t e = WE_SUCCESS;
    uint32_t nev = 0;
    for (;;) {
        bool any = false;
        uint64_t now = mono_now(), wait = UINT64_MAX; /* no clock: until an fd or the interrupt */
        for (uint32_t i = 0; i < n; i++) {
            if (subs[i].error || subs[i].ready)
                any = true;
            else if (subs[i].type == EV_CLOCK && subs[i].pfd < 0) {
                if (subs[i].deadline <= now) {
                    subs[i].ready = any = true;
                } else if (subs[i].deadline - now < wait) {
                    wait = subs[i].deadline - now;
                }
            }
        }
        if (any)
            wait = 0;
        struct timespec ts = {.tv_sec = (time_t)(wait / 1000000000u),
                              .tv_nsec = (long)(wait % 1000000000u)};
        int r = ppoll(pfds, (nfds_t)npfd + 1, wait == UINT64_MAX ? NULL : &ts, NULL);
        if (r < 0 && errno != EINTR) {
            e = wasi_errno(errno);
            break;
        }
        for (uint32_t i = 0; r > 0 && i < n; i++) {
            if (subs[i].pfd < 0 || subs[i].error)
                continue;
            short rev = pfds[subs[i].pfd].revents;
            if (!rev)
                continue;
            subs[i].ready = any = true;
            if (rev & (POLLHUP | POLLERR))
                subs[i].flags = 1; /* hangup */
            if (rev & POLLNVAL)
                subs[i].error = WE_BADF;
            int avail = 0;
            if (subs[i].type == EV_FD_READ && ioctl(pfds[subs[i].pfd].fd, FIONREAD, &avail) == 0)
                subs[i].nbytes = (uint64_t)(avail > 0 ? avail : 0);
        }
        now = mono_now();
        for (uint32_t i = 0; i < n; i++)
            if (subs[i].type == EV_CLOCK && !subs[i].error && subs[i].deadline <= now)
                subs[i].ready = any = true;
        if (any)
            break;
        if (wasi_is_interrupted(x->w)) {
            wasi_trap_interrupted(x);
            e = WE_INTR;
            break;
        }
    }
    if (!e) {
        uint8_t *dst = wasi_mem(x, out, (uint64_t)n * 32);
        for (uint32_t i = 0; i < n; i++) {
            if (!subs[i].error && !subs[i].ready)
                continue;
            uint8_t *ev = dst + 32 * nev++;
            memset(ev, 0, 32);
            wput64(ev, subs[i].userdata);
            wput16(ev + 8, subs[i].error);
            ev[10] = subs[i].type;
            if (subs[i].type != EV_CLOCK) {
                wput64(ev + 16, subs[i].nbytes);
                wput16(ev + 24, subs[i].flags);
            }
        }
        e = wasi_put32(x, ret, nev);
    }
    free(subs);
    free(pfds);
    return e;
}

/* ---- process ---- */

WASI_FN(proc_exit)
{
    uint32_t code = U32(a[0]);
    WASI_AUDIT_ONCE(x->w, "proc.exit", WB_UINT("code", code), WB_STR("via", "proc_exit"));
    x->stop = wb_call_exit(x->call, (int)code);
    x->stopped = true;
    return WE_SUCCESS;
}

WASI_FN(proc_raise)
{
    (void)x;
    (void)a;
    return WE_NOSYS; /* signals are not a capability the guest has */
}

WASI_FN(sched_yield)
{
    (void)x;
    (void)a;
    sched_yield();
    return WE_SUCCESS;
}

WASI_FN(random_get)
{
    uint32_t len = U32(a[1]);
    uint8_t *p = wasi_mem(x, U32(a[0]), len);
    if (!p)
        return WE_FAULT;
    while (len) {
        ssize_t r = getrandom(p, len, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return wasi_errno(errno);
        p += r;
        len -= (uint32_t)r;
    }
    return WE_SUCCESS;
}

/* ---- sockets: the embedder pre-opens none, so no fd is a socket to the guest:
 * an open fd is NOTSOCK (POSIX, Wasmtime), a closed one BADF ---- */

static uint16_t no_socket(wctx *x, uint32_t fd)
{
    return wasi_fd_get(x->w, fd) ? WE_NOTSOCK : WE_BADF;
}

WASI_FN(sock_accept) { return no_socket(x, U32(a[0])); }
WASI_FN(sock_recv) { return no_socket(x, U32(a[0])); }
WASI_FN(sock_send) { return no_socket(x, U32(a[0])); }
WASI_FN(sock_shutdown) { return no_socket(x, U32(a[0])); }
