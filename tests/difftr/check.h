/* Checking generated modules: emit, validate, run every function with its
 * argument vectors under both translations, count and report divergences. */
#ifndef DIFFTR_CHECK_H
#define DIFFTR_CHECK_H

#include "ast.h"
#include "exec.h"

#include <stdint.h>

#define NVECTORS 4      /* argument vectors per function */
#define FUEL_ENUM 20000 /* fuel per run: enumerated functions are short */
#define FUEL_RANDOM 200000

typedef struct stats {
    uint64_t functions, executions, divergences, nan_only, generator_bugs;
    uint64_t first_at;  /* functions checked when the first divergence was found */
    unsigned printed;   /* divergence reports printed in full */
    const char *outdir; /* write each divergence's module here (NULL: no) */
    bool verbose;
    bool strict_nan;    /* NaN-payload-only differences count as divergences */
} stats;

/* Checks functions [first, end) of m; ids[i - first] names each one's case
 * (for reproduction). Returns the divergences found. */
uint64_t check_module(gmod *m, uint32_t first, uint32_t end, const char *const *ids, uint64_t fuel,
                      stats *st);

/* The argument seed of a case id (arguments depend only on it). */
uint64_t args_seed(const char *id);

#endif
