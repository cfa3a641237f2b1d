/* Writes 100000 bytes to stdout and 100000 to stderr, then says it finished
 * (on stdout, which by then is cut off when max_output is small). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    char buf[1000];
    memset(buf, 'x', sizeof buf);
    for (int i = 0; i < 100; i++) {
        if (write(1, buf, sizeof buf) != (ssize_t)sizeof buf)
            return 3;
        if (write(2, buf, sizeof buf) != (ssize_t)sizeof buf)
            return 4;
    }
    printf("finished\n");
    return 7;
}
