/* Parse speed of the text-format reader (wat/): reads every .wast file named
 * on the command line into memory, then times wast_read over all of them
 * (lexing, every module read and encoded, quoted ones too) on one core, in
 * CPU time of this process, the best of N rounds (-n N, default 5).
 * Prints files, bytes, modules, seconds and MB/s. bench/README.md. */
#include "../wat/wast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct text {
    char *data;
    size_t len;
} text;

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool read_all(const char *path, text *t)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            char *b = realloc(buf, cap *= 2);
            if (!b) {
                free(buf);
                buf = NULL;
            }
            buf = b;
        }
    }
    fclose(f);
    t->data = buf;
    t->len = len;
    return buf != NULL;
}

int main(int argc, char **argv)
{
    int rounds = 5, first = 1;
    if (argc > 2 && strcmp(argv[1], "-n") == 0) {
        rounds = atoi(argv[2]);
        first = 3;
    }
    if (first >= argc || rounds < 1) {
        fprintf(stderr, "usage: wat_parse [-n ROUNDS] FILE.wast...\n");
        return 2;
    }
    size_t nfiles = (size_t)(argc - first), bytes = 0;
    text *texts = calloc(nfiles, sizeof *texts);
    if (!texts)
        return 1;
    for (size_t k = 0; k < nfiles; k++) {
        if (!read_all(argv[first + (int)k], &texts[k])) {
            fprintf(stderr, "wat_parse: cannot read %s\n", argv[first + (int)k]);
            return 1;
        }
        bytes += texts[k].len;
    }
    double best = 1e30;
    size_t modules = 0, refused = 0;
    for (int r = 0; r < rounds; r++) {
        modules = refused = 0;
        double t0 = cpu_seconds();
        for (size_t k = 0; k < nfiles; k++) {
            wast_script s;
            wat_error err;
            if (wast_read(texts[k].data, texts[k].len, "bench.wast", &s, &err)) {
                modules += s.nblobs;
                wast_script_free(&s);
            } else {
                refused++;
            }
        }
        double t = cpu_seconds() - t0;
        if (t < best)
            best = t;
    }
    printf("wat_parse: %zu files, %zu bytes, %zu modules, %zu scripts refused; best of %d: %.3f s CPU, %.1f MB/s\n",
           nfiles, bytes, modules, refused, rounds, best, (double)bytes / 1e6 / best);
    for (size_t k = 0; k < nfiles; k++)
        free(texts[k].data);
    free(texts);
    return 0;
}
