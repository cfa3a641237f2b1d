/* The README's WASI example: counts lines, words and bytes of the files named
 * on the command line, as `wc` does. Run under wasmbox it can only open what
 * the policy mapped in; anything else fails with the error WASI reports. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int count(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "wc: %s: %s\n", path, strerror(errno));
        return 1;
    }
    long lines = 0, words = 0, bytes = 0;
    int c, in_word = 0;
    while ((c = fgetc(f)) != EOF) {
        bytes++;
        if (c == '\n')
            lines++;
        if (isspace(c))
            in_word = 0;
        else if (!in_word) {
            in_word = 1;
            words++;
        }
    }
    fclose(f);
    printf("%7ld %7ld %7ld %s\n", lines, words, bytes, path);
    return 0;
}

int main(int argc, char **argv)
{
    int failed = 0;
    for (int i = 1; i < argc; i++)
        failed |= count(argv[i]);
    return failed;
}
