/* Canonical function types of a store: equal signatures get equal ids, so
 * call_indirect and import matching compare one integer. A hash index keeps
 * interning linear even for modules with very many distinct types. */
#include "objects.h"

#include <stdlib.h>
#include <string.h>

static uint32_t type_hash(const wb_mtype *t)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    h = (h ^ t->nparams) * 16777619u;
    for (uint32_t i = 0; i < t->nparams; i++)
        h = (h ^ t->params[i]) * 16777619u;
    h = (h ^ 0xFFu) * 16777619u; /* separates params from results */
    h = (h ^ t->rec_group) * 16777619u;
    h = (h ^ t->rec_pos) * 16777619u;
    h = (h ^ t->nresults) * 16777619u;
    for (uint32_t i = 0; i < t->nresults; i++)
        h = (h ^ t->results[i]) * 16777619u;
    return h;
}

static bool type_equal(const wb_mtype *a, const wb_mtype *b)
{
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           a->rec_group == b->rec_group && a->rec_pos == b->rec_pos &&
           (a->nparams == 0 || memcmp(a->params, b->params, a->nparams * sizeof *a->params) == 0) &&
           (a->nresults == 0 ||
            memcmp(a->results, b->results, a->nresults * sizeof *a->results) == 0);
}

/* Slot in the hash index where t is, or the empty slot where it would go. */
static uint32_t *find_slot(const wb_store *s, const wb_mtype *t, uint32_t h)
{
    uint32_t mask = s->type_hash_cap - 1;
    for (uint32_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t *slot = &s->type_hash[i];
        if (*slot == 0 || type_equal(&s->types[*slot - 1], t))
            return slot;
    }
}

static bool rehash(wb_store *s, uint32_t cap)
{
    uint32_t *table = calloc(cap, sizeof *table);
    if (!table)
        return false;
    free(s->type_hash);
    s->type_hash = table;
    s->type_hash_cap = cap;
    for (uint32_t id = 0; id < s->ntypes; id++)
        *find_slot(s, &s->types[id], type_hash(&s->types[id])) = id + 1;
    return true;
}

static wb_vt *copy_types(const wb_vt *src, uint32_t n)
{
    wb_vt *p = malloc((n ? n : 1) * sizeof *p);
    if (p && n)
        memcpy(p, src, n * sizeof *p);
    return p;
}

static bool grow_types(wb_store *s)
{
    if (s->ntypes < s->cap_types)
        return true;
    if (s->cap_types >= UINT32_MAX / 4)
        return false;
    uint32_t cap = s->cap_types ? s->cap_types * 2 : 16;
    wb_mtype *types = realloc(s->types, cap * sizeof *types);
    if (!types)
        return false;
    s->types = types;
    wb_type **views = realloc(s->type_views, cap * sizeof *views);
    if (!views)
        return false;
    s->type_views = views;
    s->cap_types = cap;
    return true;
}

uint32_t wb_store_intern_type(wb_store *s, const wb_mtype *type)
{
    /* Keep the load factor under 1/2 so probing stays short. */
    if ((uint64_t)(s->ntypes + 1) * 2 > s->type_hash_cap &&
        !rehash(s, s->type_hash_cap ? s->type_hash_cap * 2 : 64))
        return UINT32_MAX;
    uint32_t h = type_hash(type);
    uint32_t *slot = find_slot(s, type, h);
    if (*slot)
        return *slot - 1;
    if (!grow_types(s))
        return UINT32_MAX;

    wb_mtype copy = *type;
    copy.params = copy_types(type->params, type->nparams);
    copy.results = copy_types(type->results, type->nresults);
    size_t n = (size_t)type->nparams + type->nresults;
    wb_type *view = malloc((n ? n : 1) * sizeof *view);
    if (!copy.params || !copy.results || !view) {
        free(copy.params);
        free(copy.results);
        free(view);
        return UINT32_MAX;
    }
    for (uint32_t i = 0; i < type->nparams; i++)
        view[i] = wb_vt_public(type->params[i]);
    for (uint32_t i = 0; i < type->nresults; i++)
        view[type->nparams + i] = wb_vt_public(type->results[i]);

    uint32_t id = s->ntypes++;
    s->types[id] = copy;
    s->type_views[id] = view;
    *slot = id + 1;
    return id;
}

const wb_type *wb_store_type_view(const wb_store *s, uint32_t type_id)
{
    return s->type_views[type_id];
}

void wb_functype_from(const wb_mtype *t, const wb_type *view, wb_functype *out)
{
    out->nparams = t->nparams;
    out->nresults = t->nresults;
    out->params = view;
    out->results = view + t->nparams;
}
