/* Memories other than memory 0 (multi-memory): a fragment of run() in
 * interp.c, included where its handlers go (like interp_simd.h). Memory
 * 0's base and size stay in run()'s two registers and every 2.0 handler
 * reads them unchanged; an access to memory m > 0 is its plain handler
 * between MEM_USE m, which puts memory m's base and size in those
 * registers, and MEM_USE0, which puts memory 0 back (the translator emits
 * nothing that can branch, call or grow between the two). s->mem_in_use
 * names memory m for a bounds trap's message (wb_store_set_trap). The
 * instructions that grow a memory or touch two have forms of their own.
 * vm/README.md "Several memories". */

X_MEM_USE: {
    const wb_memory *m_ = inst->memories[pc[1].p.a];
    mem_base = m_->data;
    mem_size = m_->size;
    s->mem_in_use = pc[1].p.a;
    NEXT_X(MEM_USE);
}
X_MEM_USE0:
    s->mem_in_use = 0;
    RELOAD_MEM();
    NEXT_X(MEM_USE0);
X_MEMN_GROW: {
    /* as memory.grow: pages it may add are charged as zeroed bytes */
    wb_memory *m_ = inst->memories[pc[2].p.a];
    uint64_t delta = (uint32_t)fp[O0];
    if (delta <= m_->max_pages - m_->size / WB_PAGE_SIZE)
        CHARGE_BYTES(delta * WB_PAGE_SIZE);
    int64_t old = wb_memory_grow(m_, delta);
    fp[O1] = (uint32_t)old; /* -1 becomes 0xFFFFFFFF */
    RELOAD_MEM();           /* memory m may be memory 0 too (imported twice) */
    NEXT_X(MEMN_GROW);
}
X_MEMN_COPY: {
    /* [d s][n m][m2]: from memory m2 to memory m, ranges checked in 64 bits
     * before any byte moves */
    uint32_t mi = pc[2].p.b, si = pc[3].p.a;
    wb_memory *md = inst->memories[mi], *ms = inst->memories[si];
    uint64_t d = (uint32_t)fp[O0], src = (uint32_t)fp[O1], n = (uint32_t)fp[O2];
    CHARGE_BYTES(n);
    if (UNLIKELY(d + n > md->size || src + n > ms->size)) {
        s->mem_in_use = d + n > md->size ? mi : si;
        TRAP(WB_TRAP_MEMORY_OOB);
    }
    if (n)
        memmove(md->data + d, ms->data + src, n);
    NEXT_X(MEMN_COPY);
}
X_MEMN_INIT: {
    /* [d s][n m][data] */
    uint32_t mi = pc[2].p.b;
    uint64_t d = (uint32_t)fp[O0], n = (uint32_t)fp[O2];
    CHARGE_BYTES(n);
    wb_status st = wb_op_memory_init(inst, mi, (uint32_t)pc[3].u, (uint32_t)d, (uint32_t)fp[O1],
                                     (uint32_t)n);
    if (UNLIKELY(st != WB_OK)) {
        if (d + n > inst->memories[mi]->size)
            s->mem_in_use = mi;
        TRAP(st);
    }
    NEXT_X(MEMN_INIT);
}

/* 64-bit memories: an i64 address or length is checked against the
 * memory's size in 64 bits first, without wrapping (a > size, or
 * end > size - a); a 64-bit memory here stays below 4 GiB (memory.c), so
 * what passes fits in 32 bits and the plain handler that follows, which
 * reads the low halves, computes the same access. */
X_ADDR64: {
    /* [a][end]: end = offset + access size, saturated at 2^64 - 1 */
    uint64_t a = fp[O0], e = pc[2].u;
    if (UNLIKELY(a > mem_size || e > mem_size - a))
        TRAP(WB_TRAP_MEMORY_OOB);
    NEXT_X(ADDR64);
}
X_RANGE64: {
    /* [a n][m flags] */
    uint32_t mi = pc[2].p.a, fl = pc[2].p.b;
    const wb_memory *m_ = inst->memories[mi];
    uint64_t a = fl & 1 ? fp[O0] : (uint32_t)fp[O0], n = fl & 2 ? fp[O1] : (uint32_t)fp[O1];
    if (UNLIKELY(a > m_->size || n > m_->size - a)) {
        s->mem_in_use = mi;
        TRAP(WB_TRAP_MEMORY_OOB);
    }
    NEXT_X(RANGE64);
}
X_MEM64_GROW: {
    wb_memory *m_ = inst->memories[pc[2].p.a];
    uint64_t delta = fp[O0];
    if (delta <= m_->max_pages - m_->size / WB_PAGE_SIZE)
        CHARGE_BYTES(delta * WB_PAGE_SIZE);
    fp[O1] = (uint64_t)wb_memory_grow(m_, delta); /* -1: all ones */
    RELOAD_MEM();
    NEXT_X(MEM64_GROW);
}
