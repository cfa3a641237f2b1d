/* difftr: self-differential testing of the translator. Generated functions
 * run under the optimised and the reference translation must agree on
 * results, traps, fuel, memory and globals. See README.md.
 *
 *   difftr --quick [--jobs N]      the fixed-seed run of `make test` (N
 *                                  processes, the same cases; N <= 16)
 *   difftr --seconds N [--seed S]  the long run (`make fuzz-translate`)
 *   difftr --case ID [--reduce]    one case again; --reduce shrinks it
 *   difftr --list                  the families and their sizes
 *   difftr --samples DIR           sample modules as .wasm and .wat
 */
#include "check.h"
#include "emit.h"
#include "gen.h"
#include "reduce.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#define BATCH 16               /* enumerated functions per module */
#define QUICK_PER_FAMILY 1000  /* enumerated functions per family in --quick */
#define QUICK_RANDOM 500       /* random modules in --quick */
#define QUICK_SEED 20261202ull

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Item i of a family in a fixed pseudo-random order that visits every item
 * once (a multiplier coprime with the size), so a prefix of the order is a
 * spread-out sample. */
static uint64_t permuted(uint64_t i, uint64_t size)
{
    static const uint64_t primes[] = {1000003ull, 999983ull, 1000033ull};
    uint64_t p = primes[0];
    for (unsigned k = 1; k < 3 && size % p == 0; k++)
        p = primes[k];
    return (uint64_t)(((unsigned __int128)i * p + 12345) % size);
}

static void case_id(char *buf, size_t len, unsigned fam, uint64_t idx)
{
    snprintf(buf, len, "enum:%s:%" PRIu64, enum_family_name(fam), idx);
}

/* Checks items [from, to) (in permuted order) of family fam. */
static void run_family(unsigned fam, uint64_t from, uint64_t to, stats *st)
{
    uint64_t size = enum_family_size(fam);
    if (to > size)
        to = size;
    char idbuf[BATCH][64];
    const char *ids[BATCH];
    for (uint64_t i = from; i < to;) {
        gmod m;
        memset(&m, 0, sizeof m);
        enum_module_init(&m);
        uint32_t first = m.nf;
        unsigned n = 0;
        for (; n < BATCH && i < to; n++, i++) {
            uint64_t idx = permuted(i, size);
            enum_add_function(&m, fam, idx);
            case_id(idbuf[n], sizeof idbuf[n], fam, idx);
            ids[n] = idbuf[n];
        }
        check_module(&m, first, m.nf, ids, FUEL_ENUM, st);
        arena_free(&m.ar);
    }
}

static void run_random(uint64_t seed, stats *st)
{
    gmod m;
    memset(&m, 0, sizeof m);
    gen_random_module(&m, seed);
    char idbuf[MAXF][48];
    const char *ids[MAXF];
    for (uint32_t i = 0; i < m.nf; i++) {
        snprintf(idbuf[i], sizeof idbuf[i], "random:%" PRIu64 ":f%u", seed, i);
        ids[i] = idbuf[i];
    }
    check_module(&m, 0, m.nf, ids, FUEL_RANDOM, st);
    arena_free(&m.ar);
}

static void print_stats(const char *what, const stats *st, double secs)
{
    printf("difftr: %s: %" PRIu64 " functions, %" PRIu64 " executions, %" PRIu64
           " divergences, %" PRIu64 " NaN-payload-only differences, %" PRIu64
           " generator bugs (%.1f s)\n",
           what, st->functions, st->executions, st->divergences, st->nan_only, st->generator_bugs,
           secs);
    if (st->divergences && st->first_at) /* 0: split among workers, each reported its own */
        printf("difftr: first divergence at function %" PRIu64 "\n", st->first_at);
}

/* Worker k of n of the quick run: the family batches and random modules
 * whose place in the fixed sequence is k modulo n (n = 1: all of them, in
 * order). Returns the functions the random modules had. */
static uint64_t quick_part(unsigned k, unsigned n, stats *st)
{
    uint64_t unit = 0, random_functions = 0;
    for (unsigned fam = 0; fam < enum_nfamilies(); fam++)
        for (uint64_t from = 0; from < QUICK_PER_FAMILY; from += BATCH)
            if (unit++ % n == k)
                run_family(fam, from, from + BATCH < QUICK_PER_FAMILY ? from + BATCH : QUICK_PER_FAMILY, st);
    for (uint64_t i = 0; i < QUICK_RANDOM; i++) {
        if (unit++ % n != k)
            continue;
        uint64_t before = st->functions;
        run_random(rng_mix(QUICK_SEED, i), st);
        random_functions += st->functions - before;
    }
    return random_functions;
}

/* What a worker process sends back through its pipe. */
struct quick_result {
    uint64_t functions, executions, divergences, nan_only, generator_bugs, random_functions;
};

/* The quick run in `jobs` processes (the same cases as one, split by
 * quick_part; `make test` runs the e2e scripts one at a time, so the
 * second core is otherwise idle while this, the longest of them, runs). A
 * worker that dies counts as a failure. */
static int quick(stats *st, unsigned jobs)
{
    double t0 = now();
    uint64_t random_functions = 0;
    bool worker_failed = false;
    if (jobs <= 1) {
        random_functions = quick_part(0, 1, st);
    } else {
        pid_t pids[16];
        int fds[16];
        for (unsigned k = 0; k < jobs; k++) {
            int p[2];
            if (pipe(p) != 0) {
                perror("difftr: pipe");
                return 1;
            }
            fflush(stdout);
            pids[k] = fork();
            if (pids[k] < 0) {
                perror("difftr: fork");
                return 1;
            }
            if (pids[k] == 0) {
                close(p[0]);
                stats mine = *st;
                struct quick_result r = {0};
                r.random_functions = quick_part(k, jobs, &mine);
                r.functions = mine.functions;
                r.executions = mine.executions;
                r.divergences = mine.divergences;
                r.nan_only = mine.nan_only;
                r.generator_bugs = mine.generator_bugs;
                fflush(stdout);
                _exit(write(p[1], &r, sizeof r) == (ssize_t)sizeof r ? 0 : 3);
            }
            close(p[1]);
            fds[k] = p[0];
        }
        for (unsigned k = 0; k < jobs; k++) {
            struct quick_result r;
            bool got = read(fds[k], &r, sizeof r) == (ssize_t)sizeof r;
            close(fds[k]);
            int status = 0;
            waitpid(pids[k], &status, 0);
            if (!got || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                printf("difftr: quick run worker %u of %u failed (%s %d)\n", k, jobs,
                       WIFSIGNALED(status) ? "signal" : "exit status",
                       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
                worker_failed = true;
                continue;
            }
            st->functions += r.functions;
            st->executions += r.executions;
            st->divergences += r.divergences;
            st->nan_only += r.nan_only;
            st->generator_bugs += r.generator_bugs;
            random_functions += r.random_functions;
        }
    }
    printf("difftr: random functions: %" PRIu64 "\n", random_functions);
    print_stats(jobs > 1 ? "quick run (all workers)" : "quick run", st, now() - t0);
    return st->divergences || st->generator_bugs || worker_failed ? 1 : 0;
}

/* The long run: every family's items round-robin in batches, then random
 * modules, until the time is up. */
static int long_run(double seconds, uint64_t seed, const char *only, stats *st)
{
    double t0 = now(), last = t0;
    unsigned nf = enum_nfamilies();
    uint64_t pos[64] = {0}, done = 0;
    bool enum_done = false;
    uint64_t rnd = 0;
    while (now() - t0 < seconds) {
        if (!enum_done) {
            enum_done = true;
            for (unsigned fam = 0; fam < nf && now() - t0 < seconds; fam++) {
                uint64_t size = enum_family_size(fam);
                if (pos[fam] >= size || (only && strcmp(only, enum_family_name(fam))))
                    continue;
                enum_done = false;
                run_family(fam, pos[fam], pos[fam] + BATCH * 4, st);
                pos[fam] += BATCH * 4;
            }
            if (enum_done)
                printf("difftr: enumeration complete after %.0f s\n", now() - t0);
        } else if (only && strcmp(only, "random")) {
            break; /* one family only */
        } else {
            run_random(rng_mix(seed, rnd++), st);
        }
        if (now() - last >= 30) {
            last = now();
            done = 0;
            for (unsigned fam = 0; fam < nf; fam++)
                done += pos[fam] < enum_family_size(fam) ? pos[fam] : enum_family_size(fam);
            printf("difftr: %.0f s: %" PRIu64 " enumerated, %" PRIu64 " random modules, %" PRIu64
                   " functions, %" PRIu64 " executions, %" PRIu64 " divergences\n",
                   last - t0, done, rnd, st->functions, st->executions, st->divergences);
            fflush(stdout);
        }
    }
    done = 0;
    for (unsigned fam = 0; fam < nf; fam++)
        done += pos[fam] < enum_family_size(fam) ? pos[fam] : enum_family_size(fam);
    printf("difftr: enumerated functions %" PRIu64 ", random modules %" PRIu64 " (seed %" PRIu64 ")\n",
           done, rnd, seed);
    print_stats("long run", st, now() - t0);
    return st->divergences || st->generator_bugs ? 1 : 0;
}

/* Writes sample modules (a module of the first items of each family,
 * and random modules) as DIR/NAME.wasm and DIR/NAME.wat, for checking the
 * generator and the printer with other tools (tests/e2e/translate_difftr.sh
 * runs wabt's wasm-validate and wat2wasm on them). */
static int samples(const char *dir, unsigned nrandom)
{
    gen_typed_refs = false; /* wabt 1.0.32 cannot check them */
    gen_table64 = false;    /* nor 64-bit tables */
    for (unsigned k = 0; k < enum_nfamilies() + nrandom; k++) {
        gmod m;
        memset(&m, 0, sizeof m);
        char name[64];
        if (k < enum_nfamilies()) {
            enum_module_init(&m);
            for (uint64_t i = 0; i < BATCH; i++)
                enum_add_function(&m, k, permuted(i, enum_family_size(k)));
            snprintf(name, sizeof name, "enum-%s", enum_family_name(k));
        } else {
            uint64_t seed = rng_mix(QUICK_SEED, k);
            gen_random_module(&m, seed);
            snprintf(name, sizeof name, "random-%" PRIu64, seed);
        }
        wbuf bin = {0};
        char path[512];
        bool ok = emit_module(&m, &bin);
        snprintf(path, sizeof path, "%s/%s.wasm", dir, name);
        FILE *out = ok ? fopen(path, "wb") : NULL;
        ok = out && fwrite(bin.p, 1, bin.n, out) == bin.n;
        if (out && fclose(out))
            ok = false;
        snprintf(path, sizeof path, "%s/%s.wat", dir, name);
        out = ok ? fopen(path, "w") : NULL;
        if (out) {
            print_wat(out, &m, -1, true);
            ok = !ferror(out);
            if (fclose(out))
                ok = false;
        }
        bf_free(&bin);
        arena_free(&m.ar);
        if (!ok) {
            fprintf(stderr, "difftr: cannot write %s\n", path);
            return 2;
        }
    }
    return 0;
}

static void list(void)
{
    uint64_t total = 0;
    for (unsigned fam = 0; fam < enum_nfamilies(); fam++) {
        printf("%-8s %10" PRIu64 "\n", enum_family_name(fam), enum_family_size(fam));
        total += enum_family_size(fam);
    }
    printf("%-8s %10" PRIu64 "\n", "total", total);
}

/* Builds the module of a case id alone: an enumerated function after the
 * helpers, or a random module. Returns the function index (-1: bad id). */
static int build_case(const char *id, gmod *m)
{
    memset(m, 0, sizeof *m);
    char fam[32];
    uint64_t n;
    unsigned fi;
    if (sscanf(id, "enum:%31[a-z]:%" SCNu64, fam, &n) == 2) {
        for (unsigned f = 0; f < enum_nfamilies(); f++) {
            if (!strcmp(enum_family_name(f), fam) && n < enum_family_size(f)) {
                enum_module_init(m);
                enum_add_function(m, f, n);
                return (int)m->nf - 1;
            }
        }
        return -1;
    }
    if (sscanf(id, "random:%" SCNu64 ":f%u", &n, &fi) == 2) {
        gen_random_module(m, n);
        return fi < m->nf ? (int)fi : -1;
    }
    return -1;
}

static int one_case(const char *id, bool reduce, stats *st)
{
    gmod m;
    int fi = build_case(id, &m);
    if (fi < 0) {
        fprintf(stderr, "difftr: bad case id '%s' (enum:FAMILY:N or random:SEED:fN)\n", id);
        return 2;
    }
    print_wat(stdout, &m, fi, true);
    st->verbose = true;
    const char *ids[1] = {id};
    uint64_t fuel = strncmp(id, "enum:", 5) ? FUEL_RANDOM : FUEL_ENUM;
    uint64_t found = check_module(&m, (uint32_t)fi, (uint32_t)fi + 1, ids, fuel, st);
    if (found && reduce)
        reduce_case(&m, (uint32_t)fi, id, fuel, st->strict_nan, stdout);
    arena_free(&m.ar);
    print_stats(id, st, 0);
    return found ? 1 : 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: difftr --quick [--jobs N] | --seconds N [--seed S] [--only FAMILY|random] |\n"
                    "       --case ID [--reduce] | --list | --samples DIR\n"
                    "       [--out DIR] (write each divergence's module) [--verbose]\n"
                    "       [--lax-nan] (NaN-payload-only differences are counted, not failed)\n");
    exit(2);
}

int main(int argc, char **argv)
{
    stats st;
    memset(&st, 0, sizeof st);
    st.strict_nan = true; /* the engine's NaN rule is one (vm/interp_ops.h) */
    double seconds = -1;
    uint64_t seed = 1;
    const char *id = NULL, *only = NULL, *sample_dir = NULL;
    bool do_quick = false, do_reduce = false, do_list = false;
    unsigned jobs = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--quick"))
            do_quick = true;
        else if (!strcmp(a, "--jobs") && i + 1 < argc) {
            jobs = (unsigned)strtoul(argv[++i], NULL, 10);
            if (jobs < 1 || jobs > 16)
                usage();
        } else if (!strcmp(a, "--seconds") && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (!strcmp(a, "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(a, "--case") && i + 1 < argc)
            id = argv[++i];
        else if (!strcmp(a, "--only") && i + 1 < argc)
            only = argv[++i];
        else if (!strcmp(a, "--reduce"))
            do_reduce = true;
        else if (!strcmp(a, "--out") && i + 1 < argc)
            st.outdir = argv[++i];
        else if (!strcmp(a, "--lax-nan"))
            st.strict_nan = false;
        else if (!strcmp(a, "--verbose"))
            st.verbose = true;
        else if (!strcmp(a, "--list"))
            do_list = true;
        else if (!strcmp(a, "--samples") && i + 1 < argc)
            sample_dir = argv[++i];
        else
            usage();
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (only && strcmp(only, "random")) {
        unsigned f = 0;
        while (f < enum_nfamilies() && strcmp(only, enum_family_name(f)))
            f++;
        if (f == enum_nfamilies()) {
            fprintf(stderr, "difftr: --only %s: no such family (--list shows them; or random)\n", only);
            return 2;
        }
    }
    if (do_list) {
        list();
        return 0;
    }
    if (sample_dir)
        return samples(sample_dir, 40);
    if (id)
        return one_case(id, do_reduce, &st);
    if (do_quick)
        return quick(&st, jobs);
    if (seconds >= 0)
        return long_run(seconds, seed, only, &st);
    usage();
    return 2;
}
