/* Feeds mutated spec-suite modules to `wasmbox validate` and to the engine's
 * validator in-process, and fails if any run does not end cleanly.
 *
 * usage: fuzz_validate WASMBOX CORPUS_DIR OUT_DIR [PROCESS_RUNS [INPROCESS_RUNS]]
 *
 * Mutations: truncation at a random length, 1-4 flipped bits, 1-4 inserted
 * random bytes. The PRNG is seeded with a constant so a failure repeats; a
 * failing input is kept in OUT_DIR for reproduction.
 * "Clean" means: the process exited with 0 (valid) or 1 (rejected), within
 * 10 seconds, by itself; in-process, that the call returned (a crash ends
 * this program, which the test harness reports).
 */
#include "../../vm/vm.h"

#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct blob {
    uint8_t *data;
    size_t len;
} blob;

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static bool load_file(const char *path, blob *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (n <= 0 || n > (1 << 20)) { /* keep the corpus small modules only */
        fclose(f);
        return false;
    }
    out->data = malloc((size_t)n);
    out->len = (size_t)n;
    bool ok = out->data && fread(out->data, 1, out->len, f) == out->len;
    fclose(f);
    if (!ok)
        free(out->data);
    return ok;
}

static blob *load_corpus(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    size_t cap = 256, n = 0;
    blob *all = malloc(cap * sizeof *all);
    struct dirent *e;
    while (all && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 5, ".wasm") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (n == cap) {
            cap *= 2;
            blob *grown = realloc(all, cap * sizeof *all);
            if (!grown)
                break;
            all = grown;
        }
        if (load_file(path, &all[n]))
            n++;
    }
    closedir(d);
    *count = n;
    return all;
}

static const char *mutate(const blob *in, blob *out)
{
    size_t len = in->len;
    out->data = malloc(len + 8);
    memcpy(out->data, in->data, len);
    switch (rng() % 3) {
    case 0:
        out->len = len ? (size_t)(rng() % len) : 0;
        return "truncated";
    case 1: {
        int flips = 1 + (int)(rng() % 4);
        for (int i = 0; i < flips && len; i++)
            out->data[rng() % len] ^= (uint8_t)(1u << (rng() % 8));
        out->len = len;
        return "bit-flipped";
    }
    default: {
        int adds = 1 + (int)(rng() % 4);
        for (int i = 0; i < adds; i++) {
            size_t at = (size_t)(rng() % (len + 1));
            memmove(out->data + at + 1, out->data + at, len - at);
            out->data[at] = (uint8_t)rng();
            len++;
        }
        out->len = len;
        return "byte-inserted";
    }
    }
}

static bool write_file(const char *path, const blob *b)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(b->data, 1, b->len, f) == b->len;
    return fclose(f) == 0 && ok;
}

/* Runs `wasmbox validate path` with stdout/stderr discarded; returns a
 * description of what went wrong, or NULL when it ended cleanly. */
static const char *run_validate(const char *wasmbox, const char *path, char *why, size_t n)
{
    pid_t pid = fork();
    if (pid < 0)
        return "fork failed";
    if (pid == 0) {
        FILE *null = freopen("/dev/null", "w", stdout);
        null = freopen("/dev/null", "w", stderr);
        (void)null;
        alarm(10); /* survives exec: a hang becomes a SIGALRM death */
        execl(wasmbox, wasmbox, "validate", path, (char *)NULL);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0)
        return "waitpid failed";
    if (WIFSIGNALED(status)) {
        snprintf(why, n, "killed by signal %d%s", WTERMSIG(status),
                 WTERMSIG(status) == SIGALRM ? " (hang: over 10 s)" : "");
        return why;
    }
    if (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 1) {
        snprintf(why, n, "exit code %d", WEXITSTATUS(status));
        return why;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: fuzz_validate WASMBOX CORPUS_DIR OUT_DIR [PROCESS_RUNS [INPROCESS_RUNS]]\n");
        return 2;
    }
    const char *wasmbox = argv[1], *outdir = argv[3];
    long process_runs = argc > 4 ? atol(argv[4]) : 3000;
    long inprocess_runs = argc > 5 ? atol(argv[5]) : 30000;
    size_t ncorpus;
    blob *corpus = load_corpus(argv[2], &ncorpus);
    if (!corpus || ncorpus == 0) {
        fprintf(stderr, "fuzz_validate: no .wasm files in %s\n", argv[2]);
        return 2;
    }
    long failures = 0, valid = 0;
    long by_kind[3] = {0, 0, 0};
    char path[4096];
    snprintf(path, sizeof path, "%s/variant.wasm", outdir);
    for (long i = 0; i < process_runs; i++) {
        blob m;
        const char *kind = mutate(&corpus[rng() % ncorpus], &m);
        by_kind[kind[0] == 't' ? 0 : kind[1] == 'i' ? 1 : 2]++;
        char why[128];
        const char *bad = write_file(path, &m) ? run_validate(wasmbox, path, why, sizeof why)
                                               : "cannot write the variant";
        if (bad) {
            char keep[4096];
            snprintf(keep, sizeof keep, "%s/failure-%ld.wasm", outdir, failures);
            write_file(keep, &m);
            printf("FAIL: %s variant %ld: %s (kept as %s)\n", kind, i, bad, keep);
            failures++;
        }
        free(m.data);
    }
    for (long i = 0; i < inprocess_runs; i++) {
        blob m;
        mutate(&corpus[rng() % ncorpus], &m);
        wb_error err;
        if (wb_module_validate(m.data, m.len, &err))
            valid++;
        free(m.data);
    }
    for (size_t i = 0; i < ncorpus; i++)
        free(corpus[i].data);
    free(corpus);
    printf("fuzz_validate: %ld variants through wasmbox validate (%ld truncated, %ld bit-flipped, "
           "%ld byte-inserted), %ld in-process (%ld still valid): %ld unclean\n",
           process_runs, by_kind[0], by_kind[1], by_kind[2], inprocess_runs, valid, failures);
    return failures ? 1 : 0;
}
