/* Exits with the code given as its argument: through main's return, exit(),
 * or _Exit (proc_exit straight away), as the second argument says. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    int code = argc > 1 ? atoi(argv[1]) : 0;
    const char *how = argc > 2 ? argv[2] : "return";
    printf("exiting with %d via %s\n", code, how);
    fflush(stdout);
    if (!strcmp(how, "exit"))
        exit(code);
    if (!strcmp(how, "_Exit"))
        _Exit(code);
    return code;
}
