/* Hello world through wasi-libc: start-up with libc's initialisation,
 * one fd_write and proc_exit. */
#include <stdio.h>

int main(void)
{
    puts("hello, world");
    return 0;
}
