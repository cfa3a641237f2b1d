/* Checking generated modules (see check.h). */
#include "check.h"
#include "emit.h"
#include "gen.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define MAX_PRINTED 10

uint64_t args_seed(const char *id)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *id; id++)
        h = (h ^ (uint8_t)*id) * 1099511628211ull;
    return h;
}

static void print_args(FILE *out, const gfunc *f, const uint64_t *args)
{
    for (unsigned i = 0; i < f->np; i++) {
        char buf[64];
        format_arg(buf, sizeof buf, f->params[i], args, i);
        fprintf(out, " %s", buf);
    }
}

static void report(gmod *m, uint32_t fi, const char *id, const uint64_t *args, enum verdict v,
                   const char *why, stats *st)
{
    const gfunc *f = &m->f[fi];
    bool full = st->printed < MAX_PRINTED || st->verbose;
    if (full || v == DIVERGES) {
        fprintf(stderr, "difftr: %s: %s (%s) f%u", v == DIVERGES ? "DIVERGENCE" : "nan payload", id,
                f->label, fi);
        print_args(stderr, f, args);
        fprintf(stderr, ": %s\n", why);
    }
    if (full && v == DIVERGES) {
        st->printed++;
        print_wat(stderr, m, (int)fi, false);
        fprintf(stderr, "difftr: reproduce: difftr --case %s%s\n", id,
                st->printed == MAX_PRINTED ? " (further divergences: one line each)" : "");
    }
    if (st->outdir && v == DIVERGES) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s.wat", st->outdir, id);
        for (char *p = path + strlen(st->outdir) + 1; *p; p++)
            if (*p == ':')
                *p = '_';
        FILE *out = fopen(path, "w");
        if (out) {
            fprintf(out, ";; %s: %s\n;; f%u", id, why, fi);
            print_args(out, f, args);
            fputc('\n', out);
            print_wat(out, m, (int)fi, true);
            fclose(out);
        }
    }
}

uint64_t check_module(gmod *m, uint32_t first, uint32_t end, const char *const *ids, uint64_t fuel,
                      stats *st)
{
    wbuf bin = {0};
    uint64_t found = 0;
    wb_error err;
    memset(&err, 0, sizeof err);
    if (!emit_module(m, &bin) || !wb_module_validate(bin.p, bin.n, &err)) {
        /* the generator types every program: a refused one is its bug */
        st->generator_bugs++;
        fprintf(stderr, "difftr: GENERATOR BUG: module of %s refused: %s\n", ids[0],
                err.message[0] ? err.message : "a branch to a label not in scope");
        print_wat(stderr, m, -1, false);
        bf_free(&bin);
        return 0;
    }
    engine eo, er;
    memset(&er, 0, sizeof er);
    if (!engine_open(&eo, bin.p, bin.n, WB_TRANSLATE_OPTIMIZED, &err) ||
        !engine_open(&er, bin.p, bin.n, WB_TRANSLATE_REFERENCE, &err)) {
        engine_close(&eo);
        engine_close(&er);
        st->divergences++;
        fprintf(stderr, "difftr: DIVERGENCE: %s: validated module does not load: %s\n", ids[0],
                err.message);
        bf_free(&bin);
        return 1;
    }
    for (uint32_t fi = first; fi < end; fi++) {
        const char *id = ids[fi - first];
        const gfunc *f = &m->f[fi];
        st->functions++;
        /* the argument vectors, then vector 0 again with less fuel than it
         * needed: both runs must run out at the same instruction, with the
         * same effects up to there */
        uint64_t need = 0;
        for (unsigned vec = 0; vec <= NVECTORS; vec++) {
            uint64_t args[ARGS_MAX], give = fuel;
            gen_args(f, args_seed(id), vec % NVECTORS, args);
            if (vec == NVECTORS) {
                if (need < 2)
                    break;
                give = 1 + args_seed(id) % (need - 1);
            }
            outcome a, b;
            engine_run(&eo, fi, f, args, give, &a);
            engine_run(&er, fi, f, args, give, &b);
            if (vec == 0)
                need = a.fuel;
            st->executions++;
            char why[256];
            enum verdict v = compare_outcomes(f, &a, &b, why, sizeof why);
            if (v == NAN_ONLY && st->strict_nan)
                v = DIVERGES;
            if (vec == NVECTORS && v != SAME)
                snprintf(why + strlen(why), sizeof why - strlen(why), " (with fuel %" PRIu64 ")", give);
            if (v == NAN_ONLY) {
                st->nan_only++;
                if (st->verbose)
                    report(m, fi, id, args, v, why, st);
            } else if (v == DIVERGES) {
                if (!st->divergences)
                    st->first_at = st->functions;
                st->divergences++;
                found++;
                report(m, fi, id, args, v, why, st);
                break; /* one report per function */
            }
        }
    }
    engine_close(&eo);
    engine_close(&er);
    bf_free(&bin);
    return found;
}
