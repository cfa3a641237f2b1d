/* wasmbox's own lines on stderr at the end of a run. stderr is the host's
 * blocking descriptor and may be a pipe the guest filled and nobody reads: a
 * plain fprintf would then hold the process for as long as the reader
 * sleeps, past any deadline. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

bool cli_write_line(int fd, int wait_ms, const char *fmt, ...)
{
    char line[PIPE_BUF];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return false;
    size_t len = (size_t)n < sizeof line - 1 ? (size_t)n : sizeof line - 2;
    line[len++] = '\n';
    uint64_t give_up = cli_now_ms() + (uint64_t)(wait_ms > 0 ? wait_ms : 0);
    for (size_t off = 0; off < len;) {
        /* POLLOUT on a pipe means a free page: the line (< PIPE_BUF) then
         * goes in whole without blocking */
        uint64_t now = cli_now_ms();
        int left = wait_ms < 0 ? -1 : now >= give_up ? 0 : (int)(give_up - now);
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        int r = poll(&p, 1, left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        ssize_t w = write(fd, line + off, len - off);
        if (w < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (w < 0)
            return false;
        off += (size_t)w;
    }
    return true;
}
