/* The joined pairs and triples (opfamilies.h WB_JOINS, WB_JOINS3) indexed by
 * the handler that leads them, for the translator's last pass (translate.c
 * join_pairs). Made once a process; read-only after, so any number of
 * threads may translate at once. */
#ifndef WB_JOIN_INDEX_H
#define WB_JOIN_INDEX_H

#include <stddef.h>

/* A run of three instructions given one handler (the joined one). */
typedef struct wb_join3 {
    unsigned first, second, third, joined;
    size_t first_cells, second_cells;
} wb_join3;

/* A pair of instructions given one handler. */
typedef struct wb_join2 {
    unsigned first, second, joined;
    size_t first_cells;
} wb_join2;

/* The rows a handler leads, each list in its table's order (the first row
 * that fits wins, as in the tables). */
typedef struct wb_join_lead {
    const wb_join3 *const *rows3;
    const wb_join2 *const *rows2;
    size_t n3, n2;
} wb_join_lead;

/* The rows led by handler h, or NULL if h leads none. */
const wb_join_lead *wb_join_lead_of(const void *h);

#endif
