/* Shrinking a diverging case to a small module that still diverges. */
#ifndef DIFFTR_REDUCE_H
#define DIFFTR_REDUCE_H

#include "ast.h"

#include <stdio.h>

/* m's function fi diverges for one of its argument vectors (id names the
 * case; strict_nan: a NaN-payload-only difference counts). Shrinks m in
 * place while it keeps diverging, then prints the result as a regression
 * test (.wat with `;; invoke:` lines). */
void reduce_case(gmod *m, uint32_t fi, const char *id, uint64_t fuel, bool strict_nan, FILE *out);

#endif
