/* Provokes refusals without end: tries N times (argv[1]) to open a path
 * (argv[2]) that escapes its mapped directory. Each try is a capability decision the audit
 * log would record; the CLI must cap the log, not the guest. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    long n = atol(argv[1]), refused = 0;
    for (long i = 0; i < n; i++) {
        FILE *f = fopen(argv[2], "r");
        if (f)
            fclose(f);
        else
            refused++;
    }
    printf("refused %ld of %ld\n", refused, n);
    return 0;
}
