/* tabstops.h: GNU's tab stop lists for expand and unexpand (-t LIST). */
#ifndef SH_TABSTOPS_H
#define SH_TABSTOPS_H

#include "shell.h"

typedef struct {
    uint64_t *list; /* ascending stops, when there are several */
    size_t n;
    uint64_t size;      /* every size columns (a single value), or 0 */
    uint64_t extend;    /* "/N" last: every multiple of N after the list */
    uint64_t increment; /* "+N" last: every N columns after the list */
} tabstops;

/* Adds the stops of one -t argument ("4", "2,6,9", "4 8", "2,/8", "2,+4");
 * false after GNU's message. */
bool tabstops_parse(shctx *sh, tabstops *t, const char *spec);
/* Checks the whole list once every -t is read; false after GNU's message. */
bool tabstops_finish(shctx *sh, tabstops *t);
/* The next stop after column; *last when there is none (then 0).
 * *index walks the list with the column (reset it to 0 at each line). */
uint64_t tabstops_next(const tabstops *t, uint64_t column, size_t *index, bool *last);
void tabstops_free(tabstops *t);

#endif
