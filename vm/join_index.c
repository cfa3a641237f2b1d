/* The joins indexed by leading handler (join_index.h). Scanning all ~80
 * rows of WB_JOINS3 and WB_JOINS for every instruction translated was 15%
 * of hello world's start-up (222K of 1.46M host instructions, callgrind);
 * a binary search over the ~40 leading handlers, then only their rows, is
 * a few dozen. Rows are compared by handler address, as join_pairs reads an
 * instruction from its handler: ops that share a handler share rows. */
#include "join_index.h"

#include "compiled.h"
#include "opfamilies.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

static const wb_join3 joins3[] = {
#define JOIN3_ROW(a, b, c) {WB_JOP_##a, WB_JOP_##b, WB_JOP_##c, WB_XOP_J3_##a##_##b##_##c, WB_JCELLS_##a, WB_JCELLS_##b},
    WB_JOINS3(JOIN3_ROW)
#undef JOIN3_ROW
};
static const wb_join2 joins2[] = {
#define JOIN_ROW(a, b) {WB_JOP_##a, WB_JOP_##b, WB_XOP_J_##a##_##b, WB_JCELLS_##a},
    WB_JOINS(JOIN_ROW)
#undef JOIN_ROW
};
#define N3 (sizeof joins3 / sizeof joins3[0])
#define N2 (sizeof joins2 / sizeof joins2[0])

/* Each leading handler once, sorted by address; its rows are runs of
 * rows3_of / rows2_of. */
static struct lead {
    const void *h;
    wb_join_lead rows;
} leads[N3 + N2];
static size_t nleads;
static const wb_join3 *rows3_of[N3];
static const wb_join2 *rows2_of[N2];
static pthread_once_t leads_made = PTHREAD_ONCE_INIT;

static int by_address(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const struct lead *)a)->h, y = (uintptr_t)((const struct lead *)b)->h;
    return x < y ? -1 : x > y;
}

static void add_lead(const void *h)
{
    for (size_t k = 0; k < nleads; k++)
        if (leads[k].h == h)
            return;
    leads[nleads++].h = h;
}

static void make_leads(void)
{
    const void *const *h = wb_interp_handlers();
    for (size_t j = 0; j < N3; j++)
        add_lead(h[joins3[j].first]);
    for (size_t j = 0; j < N2; j++)
        add_lead(h[joins2[j].first]);
    qsort(leads, nleads, sizeof leads[0], by_address);
    size_t at3 = 0, at2 = 0;
    for (size_t k = 0; k < nleads; k++) {
        wb_join_lead *l = &leads[k].rows;
        l->rows3 = &rows3_of[at3];
        l->rows2 = &rows2_of[at2];
        for (size_t j = 0; j < N3; j++)
            if (h[joins3[j].first] == leads[k].h)
                rows3_of[at3++] = &joins3[j];
        for (size_t j = 0; j < N2; j++)
            if (h[joins2[j].first] == leads[k].h)
                rows2_of[at2++] = &joins2[j];
        l->n3 = (size_t)(&rows3_of[at3] - l->rows3);
        l->n2 = (size_t)(&rows2_of[at2] - l->rows2);
    }
}

const wb_join_lead *wb_join_lead_of(const void *h)
{
    pthread_once(&leads_made, make_leads);
    size_t lo = 0, hi = nleads;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)leads[mid].h < (uintptr_t)h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < nleads && leads[lo].h == h ? &leads[lo].rows : NULL;
}
