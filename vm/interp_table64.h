/* 64-bit tables (table64): a fragment of run() in interp.c, included where
 * its handlers go (like interp_mem.h). A table here holds at most
 * WB_MAX_TABLE_ELEMS elements, far below 2^32, so an i64 index or length
 * of 2^32 or more is past the end of any table: TAB64_IDX traps on it, and
 * what passes is read by the plain handler that follows as its low half,
 * the same value. vm/README.md "64-bit tables". */

X_TAB64_IDX: {
    /* [r status]: the trap the plain handler would give (out of bounds
     * table access; undefined element for call_indirect) */
    if (UNLIKELY(fp[O0] > UINT32_MAX))
        TRAP((wb_status)pc[1].p.b);
    NEXT_X(TAB64_IDX);
}
X_TABLE64_GROW: {
    /* [init n][dst][table]: as TABLE_GROW, with an i64 delta (2^32 + 1
     * fails, it does not grow by one) and an i64 result (-1: all ones) */
    wb_table *gt = inst->tables[pc[3].p.a];
    uint64_t gn = fp[O1];
    if (gn <= (uint64_t)gt->max - gt->size)
        CHARGE_BYTES(gn * sizeof(uint64_t));
    int64_t old = gn > UINT32_MAX ? -1 : wb_op_table_grow(gt, (uint32_t)gn, fp[O0]);
    fp[O2] = (uint64_t)old;
    NEXT_X(TABLE64_GROW);
}
