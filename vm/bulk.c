/* table.init and memory.init, shared by instantiation (active segments) and
 * the interpreter. Bounds are checked in 64 bits before anything is
 * touched, so a failing call changes nothing; n == 0 exactly at the end is
 * in bounds, as the spec says. */
#include "objects.h"

#include <string.h>

wb_status wb_op_table_init(wb_instance *inst, uint32_t table, uint32_t elem, uint32_t dst,
                           uint32_t src, uint32_t n)
{
    wb_table *t = inst->tables[table];
    const wb_elem_state *e = &inst->elems[elem];
    if ((uint64_t)src + n > e->count || (uint64_t)dst + n > t->size)
        return WB_TRAP_TABLE_OOB;
    if (n)
        memcpy(&t->elems[dst], &e->refs[src], (size_t)n * sizeof *t->elems);
    return WB_OK;
}

wb_status wb_op_memory_init(wb_instance *inst, uint32_t memidx, uint32_t data, uint32_t dst,
                            uint32_t src, uint32_t n)
{
    wb_memory *mem = memidx < wb_module_total_memories(inst->module) ? inst->memories[memidx] : NULL;
    const wb_dataseg *seg = &inst->module->datas[data];
    uint64_t seg_len = inst->data_dropped[data] ? 0 : seg->len;
    uint64_t mem_size = mem ? mem->size : 0;
    if ((uint64_t)src + n > seg_len || (uint64_t)dst + n > mem_size)
        return WB_TRAP_MEMORY_OOB;
    if (n)
        memcpy(mem->data + dst, inst->module->bytes + seg->data_offset + src, n);
    return WB_OK;
}
