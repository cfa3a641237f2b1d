/* Lazy translation: a compiled module starts with every function
 * untranslated and each is translated on its first call (or when a listing
 * or a caller asks: wb_module_translate_all). Validation stays eager and
 * complete (module_api.c validates every body before this runs).
 *
 * Once per function, across threads (vm/README.md "Lazy translation"):
 *  - the entries (struct wb_compiled) exist from the start, in one block,
 *    so a caller's CALL_DEF can point at a callee not yet translated;
 *  - an entry's frame_slots is WB_FRAME_UNTRANSLATED until its code is
 *    complete; the translating thread fills every other field first and
 *    then stores frame_slots with release order; readers test it with an
 *    acquire load (wb_code_ready), so whoever sees a frame size sees the
 *    code, constants and map that go with it;
 *  - translation happens under the module's translate_lock, re-checking
 *    the flag inside, so two threads calling the same new function
 *    translate it once; the code is built in a private struct and copied in
 *    around frame_slots, so no field a reader could be reading is written
 *    after publication.
 * One lock per module: first calls of different functions of one module
 * wait for each other's translation (one function each), which costs less
 * than the bookkeeping finer locks would need. */
#include "compiled.h"
#include "objects.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* The entries and the array of pointers to them: one block, written whole
 * below, so resident at once and in huge pages when large
 * (wb_alloc_resident): for the 47,826 functions of bench/README.md's large
 * module, 5 MB that used to be mostly 4 KiB pages. */
_Static_assert(sizeof(struct wb_compiled) % _Alignof(struct wb_compiled *) == 0,
               "the pointers after the entries are aligned");

static size_t code_block_bytes(const wb_module *m)
{
    size_t n = m->nfuncs ? m->nfuncs : 1;
    return n * (sizeof *m->code_block + sizeof *m->compiled);
}

bool wb_code_prepare(wb_module *m, wb_error *err)
{
    size_t n = m->nfuncs ? m->nfuncs : 1;
    m->code_block = wb_alloc_resident(code_block_bytes(m));
    /* 96-byte entries, so the pointers that follow are aligned */
    m->compiled = m->code_block ? (struct wb_compiled **)(void *)(m->code_block + n) : NULL;
    if (!m->code_block || pthread_mutex_init(&m->translate_lock, NULL) != 0) {
        wb_error_set(err, WB_ERR_NOMEM, 0, "code section", "out of memory for %u functions", m->nfuncs);
        return false;
    }
    m->translate_lock_ready = true;
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        m->code_block[i].frame_slots = WB_FRAME_UNTRANSLATED;
        m->compiled[i] = &m->code_block[i];
    }
    return true;
}

static void free_parts(struct wb_compiled *c)
{
    free(c->code);
    free(c->consts);
    free(c->map);
    wb_exc_table_free(c->exc);
}

/* Copies everything but frame_slots, then publishes frame_slots. */
void wb_code_publish(struct wb_compiled *c, const struct wb_compiled *made)
{
    const size_t at = offsetof(struct wb_compiled, frame_slots), after = at + sizeof c->frame_slots;
    memcpy(c, made, at);
    memcpy((char *)c + after, (const char *)made + after, sizeof *c - after);
    __atomic_store_n(&c->frame_slots, made->frame_slots, __ATOMIC_RELEASE);
}

bool wb_code_ensure(wb_module *m, struct wb_compiled *c, wb_error *err)
{
    if (wb_code_ready(c))
        return true;
    bool ok = true;
    pthread_mutex_lock(&m->translate_lock);
    if (__atomic_load_n(&c->frame_slots, __ATOMIC_RELAXED) == WB_FRAME_UNTRANSLATED) {
        uint32_t defidx = (uint32_t)(c - m->code_block);
        struct wb_compiled made;
        memset(&made, 0, sizeof made);
        /* a vouched module's body is checked here, before its first
         * translation (validate.c, wb_validate_vouched) */
        ok = wb_validate_body_late(m, defidx, err) && wb_translate_function(m, defidx, &made, err);
        if (ok) {
#ifdef WB_VERIFY
            wb_verify_function(m, defidx, &made);
#endif
            wb_code_publish(c, &made);
            atomic_fetch_add_explicit(&m->ntranslated, 1, memory_order_relaxed);
        } else {
            free_parts(&made); /* stays untranslated: a later call tries again */
        }
    }
    pthread_mutex_unlock(&m->translate_lock);
    return ok;
}

bool wb_module_translate_all(wb_module *m, wb_error *err)
{
    if (err)
        err->kind = WB_ERR_NONE;
    for (uint32_t i = 0; m->code_block && i < m->nfuncs; i++)
        if (!wb_code_ensure(m, &m->code_block[i], err))
            return false;
    return true;
}

/* Only when the last reference goes: no other thread can be translating. */
void wb_module_code_free(wb_module *m)
{
    if (m->code_block) {
        for (uint32_t i = 0; i < m->nfuncs; i++)
            if (m->code_block[i].frame_slots != WB_FRAME_UNTRANSLATED)
                free_parts(&m->code_block[i]);
        wb_free_resident(m->code_block, code_block_bytes(m)); /* m->compiled with it */
        m->code_block = NULL;
    }
    m->compiled = NULL;
    if (m->translate_lock_ready) {
        pthread_mutex_destroy(&m->translate_lock);
        m->translate_lock_ready = false;
    }
}
