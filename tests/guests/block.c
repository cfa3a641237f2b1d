/* Blocks: `stdin` reads from stdin, `sleep` waits 30 s in poll_oneoff, `spin`
 * loops forever. The wall-clock timeout must stop each of them. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "stdin";
    if (!strcmp(what, "stdin")) {
        char buf[64];
        ssize_t n = read(0, buf, sizeof buf);
        printf("read %zd\n", n);
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
