/* The joins indexed by leading handler (join_index.h). Scanning all ~80
 * rows of WB_JOINS3 and WB_JOINS for every instruction translated was 15%
 * of hello world's start-up (222K of 1.46M host instructions, callgrind);
 * a hash lookup of the instruction's handler, then only the rows it
 * leads, is a few dozen. Rows are compared by handler address, as join_pairs reads an
 * instruction from its handler: ops that share a handler share rows. */
#include "join_index.h"

#include "compiled.h"
#include "opfamilies.h"

#include <pthread.h>
#include <stdint.h>

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

/* Each leading handler once, in an open-addressed table keyed by its
 * address (~40 of SLOTS used, so a lookup is about one probe); its rows
 * are a run of rows3_of / rows2_of. Made in three passes over the rows
 * (count, place the runs, fill), about 3K host instructions once a
 * process: a module with one function pays it too. */
#define SLOTS 256
static struct lead {
    const void *h;
    wb_join_lead rows;
} slots[SLOTS];
static const wb_join3 *rows3_of[N3];
static const wb_join2 *rows2_of[N2];
static pthread_once_t leads_made = PTHREAD_ONCE_INIT;

_Static_assert(N3 + N2 <= SLOTS / 2, "join_index.c: more joins than SLOTS / 2: make SLOTS larger");

static struct lead *slot_of(const void *h)
{
    size_t i = (size_t)(((uint64_t)(uintptr_t)h * 0x9E3779B97F4A7C15u) >> 56);
    while (slots[i].h && slots[i].h != h)
        i = (i + 1) % SLOTS;
    return &slots[i];
}

static void make_leads(void)
{
    const void *const *h = wb_interp_handlers();
    for (size_t j = 0; j < N3; j++) {
        struct lead *l = slot_of(h[joins3[j].first]);
        l->h = h[joins3[j].first];
        l->rows.n3++;
    }
    for (size_t j = 0; j < N2; j++) {
        struct lead *l = slot_of(h[joins2[j].first]);
        l->h = h[joins2[j].first];
        l->rows.n2++;
    }
    size_t at3 = 0, at2 = 0;
    for (size_t i = 0; i < SLOTS; i++) {
        wb_join_lead *l = &slots[i].rows;
        l->rows3 = &rows3_of[at3];
        l->rows2 = &rows2_of[at2];
        at3 += l->n3;
        at2 += l->n2;
        l->n3 = l->n2 = 0; /* counted again as the rows are placed */
    }
    for (size_t j = 0; j < N3; j++) {
        wb_join_lead *l = &slot_of(h[joins3[j].first])->rows;
        rows3_of[l->rows3 - rows3_of + l->n3++] = &joins3[j];
    }
    for (size_t j = 0; j < N2; j++) {
        wb_join_lead *l = &slot_of(h[joins2[j].first])->rows;
        rows2_of[l->rows2 - rows2_of + l->n2++] = &joins2[j];
    }
}

const wb_join_lead *wb_join_lead_of(const void *h)
{
    pthread_once(&leads_made, make_leads);
    struct lead *l = slot_of(h);
    return l->h ? &l->rows : NULL;
}
