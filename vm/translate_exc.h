/* The translator's part of exception handling (vm/README.md "Exception
 * handling"), included by translate.c: it uses the translator's state
 * (struct tr) and helpers. Nothing here runs for a body without
 * exception instructions.
 *
 * Each try_table and legacy try gets a region: the cells of its body. A
 * try_table's catch clauses are landing pads emitted before its body (a
 * JMP skips them): each pad finds the clause's values (the tag's, then an
 * exnref for the _ref kinds) in the operand slots from the try_table's
 * height up, and branches to the clause's label as `br` would. A legacy
 * catch is where its handler's code starts (a FUEL cell): the values in the
 * try's slots, the exnref in a slot of its own past the operand slots (one
 * per legacy catch nesting depth; `rethrow` reads it), numbered by depth
 * until the frame's size is known (finish_exc). */

enum { EXC_NONE, EXC_TRY_TABLE, EXC_TRY, EXC_CATCH };
/* an exn slot still holding a catch depth (finish_exc makes it a slot) */
#define EXN_DEPTH(d) (0x80000000u | (d))

static bool grow(tr *t, void **p, uint32_t *cap, uint32_t n, size_t size)
{
    if (n < *cap)
        return true;
    uint32_t c = *cap ? *cap * 2 : 8;
    void *q = realloc(*p, (size_t)c * size);
    if (!q) {
        t->failed = true;
        return false;
    }
    *p = q;
    *cap = c;
    return true;
}

/* No fusion may delete code across a region's edge: forget the last
 * instructions (the same state a flush before a branch leaves). */
static void exc_edge(tr *t)
{
    t->last_end = 0;
    t->load_end = 0;
    t->mload_end = 0;
    t->lmul_at = 0;
    t->mov_end = 0;
}

static uint32_t open_region(tr *t)
{
    if (!grow(t, (void **)&t->regions, &t->cap_regions, t->nregions, sizeof *t->regions))
        return WB_EXC_NONE;
    exc_edge(t);
    uint32_t r = t->nregions++;
    t->regions[r] = (wb_exc_region){(uint32_t)t->n, (uint32_t)t->n, t->cur_region, WB_EXC_NONE,
                                    false};
    t->cur_region = r;
    return r;
}

static void close_region(tr *t, uint32_t r)
{
    if (r == WB_EXC_NONE || t->failed)
        return;
    exc_edge(t);
    t->regions[r].end = (uint32_t)t->n;
    t->cur_region = t->regions[r].parent;
}

static void add_catch(tr *t, wb_exc_catch k)
{
    if (k.region == WB_EXC_NONE ||
        !grow(t, (void **)&t->catches, &t->cap_catches, t->ncatches, sizeof *t->catches))
        return;
    t->catches[t->ncatches++] = k;
}

static const wb_mtype *tag_type(const tr *t, uint32_t tag)
{
    return &t->m->types[wb_module_tag_type_index(t->m, tag)];
}

/* try_table bt (catch ...)*: the pads, then the body's region and label. */
static void emit_try_table(tr *t, const wb_instr *in)
{
    bsig bs = block_sig(t->m, in->imm.try_table.block_type);
    flush(t);
    uint32_t base = t->height - wb_types_slots(bs.p, bs.np);
    uint32_t n = in->imm.try_table.count;
    size_t skip = 0;
    wb_exc_catch pads[8];
    wb_exc_catch *k = n <= 8 ? pads : malloc((size_t)n * sizeof *k);
    if (!k) {
        t->failed = true;
        return;
    }
    if (n) {
        emit_op(t, WB_XOP_JMP);
        skip = t->n;
        emit_pair(t, 0, 0);
    }
    wb_reader it = in->imm.try_table.catches;
    uint32_t height = t->height, dirty = t->dirty;
    for (uint32_t i = 0; i < n && !t->failed; i++) {
        wb_catch c = wb_catch_next(&it);
        bool ref = c.kind == WB_CATCH_REF || c.kind == WB_CATCH_ALL_REF;
        uint32_t np = c.kind < WB_CATCH_ALL ? tag_type(t, c.tag)->param_slots : 0;
        k[i] = (wb_exc_catch){WB_EXC_NONE, c.kind, c.tag, (uint32_t)t->n, home(t, base),
                              ref ? home(t, base + np) : WB_EXC_NONE};
        /* the pad: the clause's values sit from `base` up; branch with
         * them as `br` does from that height */
        t->height = base + np + ref;
        if (t->height > t->max_height)
            t->max_height = t->height;
        t->dirty = t->height;
        emit_jump(t, c.label);
    }
    t->height = height;
    t->dirty = dirty;
    if (n)
        set_target(t, skip, begin_stretch(t, false));
    uint32_t r = open_region(t);
    for (uint32_t i = 0; i < n; i++) {
        k[i].region = r;
        add_catch(t, k[i]);
    }
    if (k != pads)
        free(k);
    if (!push_block(t, LBL_BLOCK, &bs))
        return;
    label *l = &t->labels[t->nlabels - 1];
    l->exc = EXC_TRY_TABLE;
    l->region = r;
    l->inner_region = r;
}

/* legacy try bt: a block whose body is a region. */
static void emit_try(tr *t, const wb_instr *in)
{
    bsig bs = block_sig(t->m, in->imm.block_type);
    flush(t);
    uint32_t r = open_region(t);
    if (!push_block(t, LBL_BLOCK, &bs))
        return;
    label *l = &t->labels[t->nlabels - 1];
    l->exc = EXC_TRY;
    l->region = r;
    l->inner_region = r;
}

/* legacy catch x / catch_all: ends the body (or the previous handler) as
 * `else` ends an arm, then starts this handler. Returns where it starts. */
static void emit_catch(tr *t, const wb_instr *in, bool reachable)
{
    label *l = &t->labels[t->nlabels - 1];
    if (reachable) {
        flush(t);
        emit_op(t, WB_XOP_JMP);
        size_t cell = t->n;
        emit_pair(t, 0, 0);
        add_patch(t, l, cell);
    }
    if (l->exc == EXC_TRY) { /* the first clause: the body ends */
        close_region(t, l->region);
        l->exc = EXC_CATCH;
        l->inner_region = t->cur_region;
        l->catch_depth = ++t->catch_depth;
        if (t->catch_depth > t->max_catch_depth)
            t->max_catch_depth = t->catch_depth;
    }
    bool all = in->info->op == WB_OP_CATCH_ALL;
    size_t at = begin_stretch(t, false);
    uint32_t np = all ? 0 : tag_type(t, in->imm.index)->param_slots;
    add_catch(t, (wb_exc_catch){l->region, all ? WB_CATCH_ALL : WB_CATCH, all ? 0 : in->imm.index,
                                (uint32_t)at, home(t, l->height), EXN_DEPTH(l->catch_depth)});
    reset_vs(t, l->height, l->height + np);
    if (!all)
        mark_v128(t, l->height, tag_type(t, in->imm.index)->params, tag_type(t, in->imm.index)->nparams);
    exc_edge(t);
}

/* What `end` (or `delegate`) does for a label of these kinds, before the
 * block's own end. */
static void end_exc_label(tr *t, label *l)
{
    if (l->exc == EXC_TRY || l->exc == EXC_TRY_TABLE)
        close_region(t, l->region);
    else if (l->exc == EXC_CATCH)
        t->catch_depth--;
}

/* legacy delegate d: the try's body ends; its exceptions go to the region
 * that code inside label d (counted from outside the try) is in. */
static void emit_delegate(tr *t, const wb_instr *in)
{
    label *l = &t->labels[t->nlabels - 1];
    if (l->region == WB_EXC_NONE || t->failed)
        return;
    close_region(t, l->region);
    wb_exc_region *r = &t->regions[l->region];
    r->is_delegate = true;
    r->delegate = t->labels[t->nlabels - 2 - in->imm.index].inner_region;
    l->exc = EXC_NONE;
}

/* throw x: its values flushed to their homes, then THROW [tag args]. */
static void emit_throw(tr *t, uint32_t tag)
{
    uint32_t np = tag_type(t, tag)->param_slots;
    flush(t);
    emit_op(t, WB_XOP_THROW);
    emit_pair(t, tag, home(t, t->height - np));
    if (t->height > t->max_height)
        t->max_height = t->height;
}

/* rethrow d: the exception the catch at label d keeps in its exn slot. */
static void emit_rethrow(tr *t, uint32_t depth)
{
    label *l = &t->labels[t->nlabels - 1 - depth];
    emit_op(t, WB_XOP_RETHROW);
    if (!grow(t, (void **)&t->exn_patches, &t->cap_exn_patches, t->nexn_patches,
              sizeof *t->exn_patches))
        return;
    t->exn_patches[t->nexn_patches++] = (uint32_t)t->n;
    emit_pair(t, EXN_DEPTH(l->catch_depth), 0);
}

/* throw_ref: the exnref's slot. */
static void emit_throw_ref(tr *t)
{
    uint32_t r = pop(t);
    emit_op(t, WB_XOP_THROW_REF);
    emit_pair(t, r, 0);
}

/* At the end of the body: the legacy catches' exn slots go past the
 * operand slots (first slot `at`), and the handler table is made. Returns
 * the slots they take. */
static uint32_t finish_exc(tr *t, struct wb_compiled *c, uint32_t at)
{
    if (t->failed)
        return 0;
    for (uint32_t i = 0; i < t->nexn_patches; i++)
        t->code[t->exn_patches[i]].p.a = at + (t->code[t->exn_patches[i]].p.a & 0x7FFFFFFFu) - 1;
    for (uint32_t i = 0; i < t->ncatches; i++)
        if (t->catches[i].exn_slot != WB_EXC_NONE && (t->catches[i].exn_slot & 0x80000000u))
            t->catches[i].exn_slot = at + (t->catches[i].exn_slot & 0x7FFFFFFFu) - 1;
    if (t->nregions) {
        wb_exc_table *x = calloc(1, sizeof *x);
        if (x) {
            x->regions = malloc((size_t)t->nregions * sizeof *x->regions);
            x->catches = malloc((size_t)(t->ncatches ? t->ncatches : 1) * sizeof *x->catches);
        }
        if (!x || !x->regions || !x->catches) {
            wb_exc_table_free(x);
            t->failed = true;
            return 0;
        }
        memcpy(x->regions, t->regions, (size_t)t->nregions * sizeof *x->regions);
        if (t->ncatches) /* a region without clauses: catches may be NULL */
            memcpy(x->catches, t->catches, (size_t)t->ncatches * sizeof *x->catches);
        x->nregions = t->nregions;
        x->ncatches = t->ncatches;
        c->exc = x;
    }
    return t->max_catch_depth;
}
