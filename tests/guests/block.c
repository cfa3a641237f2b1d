/* Blocks: `stdin` reads from stdin, `sleep` waits 30 s in poll_oneoff,
 * `pollin` waits in poll_oneoff for stdin with no clock at all, `spin` loops
 * forever. The wall-clock timeout must stop each of them. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "stdin";
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
    } else {
        volatile unsigned long i = 0;
        for (;;)
            i++;
    }
    return 0;
}
