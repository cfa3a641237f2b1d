/* Blocks, each way a guest can wait on the host; the wall-clock timeout must
 * stop every one of them (tests/e2e/run_limits.sh, run_deadline.sh):
 *
 *   stdin            reads stdin
 *   sleep            waits 30 s in poll_oneoff
 *   pollin           waits in poll_oneoff for stdin, with no clock at all
 *   spin             loops forever
 *   stdout, stderr   writes a numbered stream there for ever (so blocks once
 *                    the reader stops reading)
 *   fifo-write PATH  opens the FIFO PATH for writing (waiting for a reader)
 *                    and writes the stream to it for ever
 *   fifo-read PATH   opens the FIFO PATH and reads it until its end
 *
 * The stream is "00000000\n00000001\n..." (9 bytes a line, counting from 0),
 * so a reader can check that what it got is a gap-free prefix of it. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

/* Writes the numbered stream to fd, 4096 bytes a call (so every page of a
 * pipe fills up whole), until a write fails; returns 3 then. */
static int flood(int fd)
{
    char buf[4096 + 9];
    size_t len = 0;
    unsigned long line = 0;
    for (;;) {
        while (len < 4096)
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%08lu\n", line++ % 100000000);
        for (size_t off = 0; off < 4096;) {
            ssize_t n = write(fd, buf + off, 4096 - off);
            if (n < 0) {
                fprintf(stderr, "write: %s\n", strerror(errno));
                return 3;
            }
            off += (size_t)n;
        }
        len -= 4096;
        memmove(buf, buf + 4096, len);
    }
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "stdin";
    const char *path = argc > 2 ? argv[2] : "";
    if (!strcmp(what, "stdin")) {
        char buf[64];
        ssize_t n = read(0, buf, sizeof buf);
        printf("read %zd\n", n);
    } else if (!strcmp(what, "pollin")) {
        __wasi_subscription_t sub;
        memset(&sub, 0, sizeof sub);
        sub.u.tag = __WASI_EVENTTYPE_FD_READ;
        sub.u.u.fd_read.file_descriptor = 0;
        __wasi_event_t ev;
        __wasi_size_t n = 0;
        __wasi_errno_t e = __wasi_poll_oneoff(&sub, &ev, 1, &n);
        printf("poll %d %d\n", (int)e, (int)n);
    } else if (!strcmp(what, "sleep")) {
        sleep(30);
        printf("slept\n");
    } else if (!strcmp(what, "stdout")) {
        return flood(1);
    } else if (!strcmp(what, "stderr")) {
        return flood(2);
    } else if (!strcmp(what, "fifo-write") || !strcmp(what, "fifo-read")) {
        bool writing = !strcmp(what, "fifo-write");
        int fd = open(path, writing ? O_WRONLY : O_RDONLY);
        if (fd < 0) {
            printf("open %s: %s\n", path, strerror(errno));
            return 4;
        }
        if (writing)
            return flood(fd);
        char buf[4096];
        ssize_t n;
        while ((n = read(fd, buf, sizeof buf)) > 0)
            ;
        printf("read %zd\n", n);
    } else {
        volatile unsigned long i = 0;
        for (;;)
            i++;
    }
    return 0;
}
