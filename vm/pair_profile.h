/* A bench-only counting build (-DWB_PAIR_PROFILE, `make bench-pairs`):
 * counts every dispatch and every pair of consecutive handlers, and prints
 * the most frequent of each to stderr when a run ends, as a share of all
 * dispatches. It measures which fusions would pay (vm/README.md
 * "Performance"); the normal builds never include this file. One store at a
 * time: the counters are plain globals. Included by interp.c only. */
#ifndef WASMBOX_VM_PAIR_PROFILE_H
#define WASMBOX_VM_PAIR_PROFILE_H

#include <stdio.h>
#include <stdlib.h>

static const char *const wb_prof_names[WB_NUM_HANDLERS] = {
#define OP(id, name, code, imm, sig, align, synopsis) [WB_OP_##id] = name,
#include "opcodes.def"
#undef OP
#define XOP(id, layout, synopsis) [WB_XOP_##id] = #id,
#include "xops.def"
#undef XOP
};

enum { WB_PROF_HASH = 8192 };
static const void *wb_prof_key[WB_PROF_HASH];
static unsigned wb_prof_val[WB_PROF_HASH];
static unsigned long long wb_prof_single[WB_NUM_HANDLERS];
static unsigned long long (*wb_prof_pairs)[WB_NUM_HANDLERS];
static unsigned wb_prof_prev;

static size_t wb_prof_slot(const void *h)
{
    size_t i = ((uintptr_t)h * 0x9E3779B97F4A7C15ull) >> 51; /* 13 bits */
    while (wb_prof_key[i] && wb_prof_key[i] != h)
        i = (i + 1) % WB_PROF_HASH;
    return i;
}

static void wb_prof_init(const void *const *handlers)
{
    if (wb_prof_pairs)
        return;
    wb_prof_pairs = calloc(WB_NUM_HANDLERS, sizeof *wb_prof_pairs);
    if (!wb_prof_pairs)
        abort();
    for (unsigned i = 1; i < WB_NUM_HANDLERS; i++) {
        if (!handlers[i])
            continue;
        size_t j = wb_prof_slot(handlers[i]);
        if (!wb_prof_key[j]) {
            /* labels shared by several ops (the constants' traps) keep the first */
            wb_prof_key[j] = handlers[i];
            wb_prof_val[j] = i;
        }
    }
}

static inline void wb_prof_note(const void *h)
{
    unsigned i = wb_prof_val[wb_prof_slot(h)];
    wb_prof_single[i]++;
    wb_prof_pairs[wb_prof_prev][i]++;
    wb_prof_prev = i;
}

static void wb_prof_report(void)
{
    unsigned long long total = 0;
    for (unsigned i = 0; i < WB_NUM_HANDLERS; i++)
        total += wb_prof_single[i];
    if (!total)
        return;
    fprintf(stderr, "pair profile: %llu dispatches\n", total);
    /* the 40 most frequent single handlers, then pairs (selection: this
     * runs once); WB_PAIR_PROFILE_TOP=N shows N of each */
    int top = 40;
    const char *e = getenv("WB_PAIR_PROFILE_TOP");
    if (e && atoi(e) > 0)
        top = atoi(e);
    for (int kind = 0; kind < 2; kind++) {
        unsigned long long last = ~0ull;
        fprintf(stderr, kind ? "-- pairs --\n" : "-- handlers --\n");
        for (int n = 0; n < top; n++) {
            unsigned long long best = 0;
            unsigned bi = 0, bj = 0;
            for (unsigned i = 0; i < WB_NUM_HANDLERS; i++) {
                for (unsigned j = 0; j < (kind ? WB_NUM_HANDLERS : 1u); j++) {
                    unsigned long long v = kind ? wb_prof_pairs[i][j] : wb_prof_single[i];
                    if (v > best && v < last) /* ties with `last` are skipped: rare */
                        best = v, bi = i, bj = j;
                }
            }
            if (!best)
                break;
            last = best;
            if (kind)
                fprintf(stderr, "%6.2f%% %s -> %s\n", 100.0 * best / total,
                        wb_prof_names[bi] ? wb_prof_names[bi] : "?", wb_prof_names[bj] ? wb_prof_names[bj] : "?");
            else
                fprintf(stderr, "%6.2f%% %s\n", 100.0 * best / total, wb_prof_names[bi] ? wb_prof_names[bi] : "?");
        }
    }
}

#endif
