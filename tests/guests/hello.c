/* The smallest WASI guest: one line on stdout, exit 0. */
#include <stdio.h>

int main(void)
{
    printf("hello from wasi\n");
    return 0;
}
