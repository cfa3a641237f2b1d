/* Prints its arguments and its whole environment: exactly what the embedder
 * gave, nothing inherited from the host. */
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("arg[%d]=%s\n", i, argv[i]);
    int n = 0;
    for (char **e = environ; e && *e; e++, n++)
        printf("env=%s\n", *e);
    printf("nenv=%d\n", n);
    printf("PATH=%s\n", getenv("PATH") ? getenv("PATH") : "(unset)");
    return 0;
}
