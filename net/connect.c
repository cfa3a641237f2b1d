/* connect: TCP to addresses the policy has already checked, and timed I/O.
 *
 * Sockets are non-blocking from birth, so every wait goes through poll with a
 * time limit: a server that never answers the SYN, never sends a byte, or
 * never reads what we write costs at most the configured timeouts. The socket
 * is never bound: the kernel picks the source address and port. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net_internal.h"

int wb_net_fail(wb_net_error *err, wb_net_error_kind kind, const char *fmt, ...)
{
    if (!err)
        return -1;
    static const char prefix[] = "wasmbox: ";
    memcpy(err->message, prefix, sizeof prefix);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message + sizeof prefix - 1, sizeof err->message - (sizeof prefix - 1), fmt,
              ap);
    va_end(ap);
    err->kind = kind;
    return -1;
}

/* An IPv4-mapped address is dialled as plain IPv4: the same destination, and
 * it works on hosts where IPv6 is disabled. */
static socklen_t to_sockaddr(const wb_ip *ip, uint16_t port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (ip->family == 4 || memcmp(ip->b, mapped, 12) == 0) {
        struct sockaddr_in *sin = (struct sockaddr_in *)ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        memcpy(&sin->sin_addr, ip->family == 4 ? ip->b : ip->b + 12, 4);
        return sizeof *sin;
    }
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    memcpy(&sin6->sin6_addr, ip->b, 16);
    return sizeof *sin6;
}

static int remaining_ms(int64_t deadline)
{
    if (deadline == INT64_MAX)
        return -1;
    int64_t left = deadline - wb_net_now_ms();
    if (left < 0)
        return 0;
    return left > 1000000000 ? 1000000000 : (int)left;
}

/* poll() on fd and, when there is one, the abort descriptor: 1 when fd is
 * ready, 0 on time out, -1 with errno, -2 when the abort fd became readable
 * (wb_net_options.abort_fd: the embedder cancelled the request). */
static int poll_or_abort(int fd, short events, int abort_fd, int wait_ms)
{
    struct pollfd pfd[2] = {{.fd = fd, .events = events}, {.fd = abort_fd, .events = POLLIN}};
    int rc = wait_ms == 0 ? 0 : poll(pfd, abort_fd >= 0 ? 2 : 1, wait_ms);
    if (rc > 0 && abort_fd >= 0 && (pfd[1].revents & POLLIN))
        return -2;
    return rc > 0 ? 1 : rc;
}

/* One attempt; returns 0, or -1 with errno-style reason in why. */
static int try_connect(const wb_ip *ip, uint16_t port, int64_t deadline, int abort_fd,
                       int *fd_out, char *why, size_t whylen, bool *timed_out)
{
    struct sockaddr_storage ss;
    socklen_t len = to_sockaddr(ip, port, &ss);
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
    if (fd < 0) {
        snprintf(why, whylen, "socket: %s", strerror(errno));
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&ss, len) != 0) {
        if (errno != EINPROGRESS) {
            snprintf(why, whylen, "%s", strerror(errno));
            close(fd);
            return -1;
        }
        for (;;) {
            int left = remaining_ms(deadline);
            int rc = poll_or_abort(fd, POLLOUT, abort_fd, left);
            if (rc == -1 && errno == EINTR)
                continue;
            if (rc <= 0) {
                if (rc == 0 || rc == -2)
                    *timed_out = true;
                snprintf(why, whylen, "%s",
                         rc == 0 ? "timed out" : rc == -2 ? "cancelled" : strerror(errno));
                close(fd);
                return -1;
            }
            break;
        }
        int soerr = 0;
        socklen_t sl = sizeof soerr;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || soerr != 0) {
            snprintf(why, whylen, "%s", strerror(soerr ? soerr : errno));
            close(fd);
            return -1;
        }
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    *fd_out = fd;
    return 0;
}

int wb_net_tcp_connect(wb_net_conn *c, const wb_net_decision *d, uint16_t port, int timeout_ms,
                       wb_net_error *err)
{
    int64_t deadline = wb_net_now_ms() + (timeout_ms > 0 ? timeout_ms : 10000);
    if (deadline > c->deadline_ms)
        deadline = c->deadline_ms;
    char why[256] = "no addresses";
    char last[64] = "";
    bool timed_out = false;
    for (size_t i = 0; i < d->naddrs; i++) {
        wb_net_ip_text(&d->addrs[i], last, sizeof last);
        int fd;
        if (try_connect(&d->addrs[i], port, deadline, c->abort_fd, &fd, why, sizeof why,
                        &timed_out) == 0) {
            c->fd = fd;
            snprintf(c->peer, sizeof c->peer, "%s (%s)", d->origin, last);
            return 0;
        }
        if (remaining_ms(deadline) == 0 || !strcmp(why, "cancelled"))
            break;
    }
    return wb_net_fail(err, timed_out ? WB_NET_E_TIMEOUT : WB_NET_E_CONNECT,
                       "cannot connect to %s (%s port %u): %s", d->origin, last,
                       (unsigned)port, why);
}

int wb_net_wait(wb_net_conn *c, short events, const char *what, wb_net_error *err)
{
    int io = c->io_timeout_ms > 0 ? c->io_timeout_ms : 30000;
    for (;;) {
        int left = remaining_ms(c->deadline_ms);
        bool total = left >= 0 && left <= io;
        int wait = total ? left : io;
        int rc = poll_or_abort(c->fd, events, c->abort_fd, wait);
        if (rc == -1 && errno == EINTR)
            continue;
        if (rc == -2)
            return wb_net_fail(err, WB_NET_E_TIMEOUT, "%s %s: cancelled", what, c->peer);
        if (rc < 0)
            return wb_net_fail(err, WB_NET_E_IO, "%s %s: poll: %s", what, c->peer,
                               strerror(errno));
        if (rc == 0) {
            if (total)
                return wb_net_fail(err, WB_NET_E_TIMEOUT,
                                   "%s %s: the request's total time limit ran out", what,
                                   c->peer);
            return wb_net_fail(err, WB_NET_E_TIMEOUT, "%s %s: no progress in %d ms", what,
                               c->peer, io);
        }
        return 0; /* readable/writable, or an error/hangup the next call reports */
    }
}

int wb_net_conn_write(wb_net_conn *c, const void *buf, size_t n, wb_net_error *err)
{
    if (c->ssl)
        return wb_net_tls_write(c, buf, n, err);
    const char *p = buf;
    while (n > 0) {
        /* MSG_NOSIGNAL: a peer that hung up must give EPIPE, not kill us. */
        ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (wb_net_wait(c, POLLOUT, "writing to", err) != 0)
                return -1;
            continue;
        }
        return wb_net_fail(err, WB_NET_E_IO, "writing to %s: %s", c->peer,
                           w < 0 ? strerror(errno) : "connection closed");
    }
    return 0;
}

ssize_t wb_net_conn_read(wb_net_conn *c, void *buf, size_t n, wb_net_error *err)
{
    if (c->ssl)
        return wb_net_tls_read(c, buf, n, err);
    for (;;) {
        ssize_t r = recv(c->fd, buf, n, 0);
        if (r >= 0)
            return r;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (wb_net_wait(c, POLLIN, "reading from", err) != 0)
                return -1;
            continue;
        }
        return wb_net_fail(err, WB_NET_E_IO, "reading from %s: %s", c->peer, strerror(errno));
    }
}

void wb_net_conn_close(wb_net_conn *c)
{
    if (c->ssl || c->ctx)
        wb_net_tls_close(c);
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}
