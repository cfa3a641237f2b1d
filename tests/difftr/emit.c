/* Emits a generated module as a wasm binary (see emit.h). The layout is
 * fixed: function 0 is the host import env.mix, generated function i is
 * 1 + i and exported as "f<i>"; memories "memory", "memory1" and "memory2"
 * (64-bit); globals "g0".."g4"; one
 * funcref table "table" holding every generated function, then the import
 * (so call_indirect reaches a host function too), then a null entry. */
#include "emit.h"
#include "gen.h" /* gen_table64 */

#include <string.h>

typedef struct ftype {
    uint8_t np, params[MAXP];
    uint8_t nr, results[2];
} ftype;

typedef struct emitter {
    const gmod *m;
    ftype types[256];
    unsigned ntypes;
    uint32_t labels[512];
    unsigned nlabels;
    bool ok;
} emitter;

static uint32_t intern(emitter *e, const ftype *t)
{
    for (unsigned i = 0; i < e->ntypes; i++)
        if (!memcmp(&e->types[i], t, sizeof *t))
            return i;
    if (e->ntypes == 256) {
        e->ok = false;
        return 0;
    }
    e->types[e->ntypes] = *t;
    return e->ntypes++;
}

static ftype func_type(const gmod *m, uint32_t wasm_index)
{
    ftype t;
    memset(&t, 0, sizeof t);
    if (wasm_index == HOST_MIX) {
        t.np = 2;
        t.params[0] = t.params[1] = T_I32;
        t.nr = 1;
        t.results[0] = T_I32;
        return t;
    }
    const gfunc *f = &m->f[wasm_index - 1];
    t.np = f->np;
    memcpy(t.params, f->params, f->np);
    t.nr = f->nres;
    for (unsigned i = 0; i < f->nres; i++)
        t.results[i] = f->rtype;
    return t;
}

static void emit_opcode(wbuf *b, uint16_t code)
{
    if (code >= 0xFD00) { /* SIMD: the prefix, then the sub-opcode as a u32 */
        bf_put(b, 0xFD);
        bf_uleb(b, code & 0xFF);
    } else if (code >= 0xFC00) {
        bf_put(b, 0xFC);
        bf_uleb(b, code & 0xFF);
    } else {
        bf_put(b, (uint8_t)code);
    }
}

static void emit_blocktype(emitter *e, wbuf *b, const node *n)
{
    if (!n->nparams && !n->nres) {
        bf_put(b, 0x40);
    } else if (!n->nparams && n->nres == 1) {
        bf_put(b, valtype_byte(n->type));
    } else {
        ftype t;
        memset(&t, 0, sizeof t);
        t.np = n->nparams;
        for (unsigned i = 0; i < n->nparams; i++)
            t.params[i] = n->ptype;
        t.nr = n->nres;
        for (unsigned i = 0; i < n->nres; i++)
            t.results[i] = n->type;
        bf_sleb(b, intern(e, &t));
    }
}

static void emit_label_ref(emitter *e, wbuf *b, uint32_t lid)
{
    for (unsigned i = e->nlabels; i-- > 0;) {
        if (e->labels[i] == lid) {
            bf_uleb(b, e->nlabels - 1 - i);
            return;
        }
    }
    e->ok = false;
}

static void emit_node(emitter *e, wbuf *b, const node *n);

static void emit_kids(emitter *e, wbuf *b, const node *n)
{
    for (unsigned i = 0; i < n->nkids; i++)
        if (n->kids[i]) /* a statement the reducer removed */
            emit_node(e, b, n->kids[i]);
}

static void emit_block(emitter *e, wbuf *b, const node *n)
{
    unsigned k = 0;
    if (n->nparams)
        emit_node(e, b, n->kids[k++]);
    if (n->kind == N_IF)
        emit_node(e, b, n->kids[k++]);
    bf_put(b, n->kind == N_BLOCK ? 0x02 : n->kind == N_LOOP ? 0x03 : 0x04);
    emit_blocktype(e, b, n);
    if (e->nlabels == 512) {
        e->ok = false;
        return;
    }
    e->labels[e->nlabels++] = n->lid;
    emit_node(e, b, n->kids[k++]);
    if (n->kind == N_IF && n->flag) {
        bf_put(b, 0x05);
        emit_node(e, b, n->kids[k]);
    }
    e->nlabels--;
    bf_put(b, 0x0B);
}

/* An N_TREF: its (select's condition) kid first for TREF_SELECT. */
static void emit_tref(emitter *e, wbuf *b, const node *n)
{
    ftype t = func_type(e->m, n->idx);
    uint32_t ti = intern(e, &t);
    switch (n->flag) {
    case TREF_FUNC:
    case TREF_AS_NON_NULL:
        bf_put(b, 0xD2);
        bf_uleb(b, n->idx);
        break;
    case TREF_NULL:
    case TREF_NULL_AS:
        bf_put(b, 0xD0);
        bf_sleb(b, ti); /* a heap type: s33 */
        break;
    case TREF_SELECT: /* emit_node writes it whole: operands, condition, select */
        break;
    }
    if (n->flag == TREF_AS_NON_NULL || n->flag == TREF_NULL_AS)
        bf_put(b, 0xD4);
}

static void emit_node(emitter *e, wbuf *b, const node *n)
{
    if (!e->ok)
        return;
    switch (n->kind) {
    case N_BLOCK:
    case N_LOOP:
    case N_IF:
        emit_block(e, b, n);
        return;
    case N_TREF:
        if (n->flag == TREF_SELECT) {
            ftype t = func_type(e->m, n->idx);
            uint32_t ti = intern(e, &t);
            bf_put(b, 0xD2);
            bf_uleb(b, n->idx);
            bf_put(b, 0xD0);
            bf_sleb(b, ti);
            if (n->nkids && n->kids[0])
                emit_node(e, b, n->kids[0]);
            else
                bf_put(b, 0x41), bf_put(b, 0x01); /* reduced away: i32.const 1 */
            bf_put(b, 0x1C);
            bf_put(b, 0x01);
            bf_put(b, 0x63);
            bf_sleb(b, ti);
            return;
        }
        emit_tref(e, b, n);
        return;
    case N_NONNULL:
        bf_put(b, 0x02);
        bf_put(b, 0x70); /* block (result funcref) */
        if (e->nlabels == 512) {
            e->ok = false;
            return;
        }
        e->labels[e->nlabels++] = UINT32_MAX; /* no node branches to it by lid */
        emit_kids(e, b, n);
        bf_put(b, 0xD6);
        bf_put(b, 0x00);
        bf_put(b, 0xD0);
        bf_put(b, 0x70);
        e->nlabels--;
        bf_put(b, 0x0B);
        bf_put(b, 0xD1);
        return;
    default:
        emit_kids(e, b, n);
        break;
    }
    switch (n->kind) {
    case N_CONST:
        switch (n->type) {
        case T_I32: bf_put(b, 0x41); bf_sleb(b, (int32_t)(uint32_t)n->imm); break;
        case T_I64: bf_put(b, 0x42); bf_sleb(b, (int64_t)n->imm); break;
        case T_F32: bf_put(b, 0x43); bf_le(b, n->imm, 4); break;
        case T_F64: bf_put(b, 0x44); bf_le(b, n->imm, 8); break;
        case T_V128:
            emit_opcode(b, 0xFD0C);
            bf_le(b, n->imm, 8);
            bf_le(b, n->imm2, 8);
            break;
        default: e->ok = false; break;
        }
        break;
    case N_LGET: bf_put(b, 0x20); bf_uleb(b, n->idx); break;
    case N_TEE: bf_put(b, 0x22); bf_uleb(b, n->idx); break;
    case N_LSET: bf_put(b, 0x21); bf_uleb(b, n->idx); break;
    case N_GGET: bf_put(b, 0x23); bf_uleb(b, n->idx); break;
    case N_GSET: bf_put(b, 0x24); bf_uleb(b, n->idx); break;
    case N_UN:
    case N_BIN:
    case N_PAIR:
        emit_opcode(b, n->op->code);
        if (n->op->lanes == SHUFFLE_LANES)
            for (unsigned k = 0; k < 16; k++)
                bf_put(b, shuffle_lane(n->idx, k));
        else if (n->op->lanes)
            bf_put(b, (uint8_t)lane_of(n));
        break;
    case N_LOAD:
    case N_STORE:
        emit_opcode(b, n->op->code);
        if (n->mem) { /* flag bit 6: a memory index follows */
            bf_uleb(b, n->op->align | 0x40u);
            bf_uleb(b, n->mem);
        } else {
            bf_uleb(b, n->op->align);
        }
        bf_uleb(b, n->imm);
        if (n->op->lanes) /* v128.loadN_lane, storeN_lane */
            bf_put(b, (uint8_t)lane_of(n));
        break;
    case N_SELECT:
        if (n->flag) {
            bf_put(b, 0x1C);
            bf_put(b, 1);
            bf_put(b, valtype_byte(n->type));
        } else {
            bf_put(b, 0x1B);
        }
        break;
    case N_CALL: bf_put(b, n->flag ? 0x12 : 0x10); bf_uleb(b, n->idx); break;
    case N_CALLIND: {
        ftype t = func_type(e->m, n->idx);
        bf_put(b, n->flag ? 0x13 : 0x11);
        bf_uleb(b, intern(e, &t));
        bf_put(b, n->table);
        break;
    }
    case N_MSIZE: bf_put(b, 0x3F); bf_uleb(b, n->mem); break;
    case N_MGROW: bf_put(b, 0x40); bf_uleb(b, n->mem); break;
    case N_ONSTACK:
    case N_SEQ: break;
    case N_BR: bf_put(b, 0x0C); emit_label_ref(e, b, n->idx); break;
    case N_BRIF: bf_put(b, 0x0D); emit_label_ref(e, b, n->idx); break;
    case N_BRTABLE:
        bf_put(b, 0x0E);
        bf_uleb(b, n->ntargets - 1u);
        for (unsigned i = 0; i < n->ntargets; i++)
            emit_label_ref(e, b, n->targets[i]);
        break;
    case N_RETURN: bf_put(b, 0x0F); break;
    case N_UNREACHABLE: bf_put(b, 0x00); break;
    case N_DROP: bf_put(b, 0x1A); break;
    case N_NOP: bf_put(b, 0x01); break;
    case N_MFILL: bf_put(b, 0xFC); bf_uleb(b, 11); bf_uleb(b, n->mem); break;
    case N_MCOPY: bf_put(b, 0xFC); bf_uleb(b, 10); bf_uleb(b, n->mem); bf_uleb(b, n->mem2); break;
    case N_REFNULL: bf_put(b, 0xD0); bf_put(b, 0x70); break;
    case N_REFFUNC: bf_put(b, 0xD2); bf_uleb(b, n->idx); break;
    case N_REFISNULL: bf_put(b, 0xD1); break;
    case N_TGET: bf_put(b, 0x25); bf_put(b, n->table); break;
    case N_TSET: bf_put(b, 0x26); bf_put(b, n->table); break;
    case N_TSIZE: bf_put(b, 0xFC); bf_uleb(b, 16); bf_put(b, n->table); break;
    case N_TGROW: bf_put(b, 0xFC); bf_uleb(b, 15); bf_put(b, n->table); break;
    case N_TFILL: bf_put(b, 0xFC); bf_uleb(b, 17); bf_put(b, n->table); break;
    case N_TREF: emit_tref(e, b, n); break;
    case N_CALLREF: {
        ftype t = func_type(e->m, n->idx);
        bf_put(b, n->flag ? 0x15 : 0x14);
        bf_uleb(b, intern(e, &t));
        break;
    }
    case N_BRONNULL:
        bf_put(b, 0xD5);
        emit_label_ref(e, b, n->idx);
        bf_put(b, 0x1A);
        break;
    case N_NONNULL: /* its kid was emitted inside the block: emit_nonnull */
        break;
    default: e->ok = false; break;
    }
}

/* One code entry: locals (one run each), body, end. */
static void emit_body(emitter *e, wbuf *code, const gfunc *f)
{
    wbuf body = {0};
    bf_uleb(&body, f->nl);
    for (unsigned i = 0; i < f->nl; i++) {
        bf_uleb(&body, 1);
        bf_put(&body, valtype_byte(f->locals[i]));
    }
    e->labels[0] = FUNC_LID;
    e->nlabels = 1;
    emit_node(e, &body, f->body);
    bf_put(&body, 0x0B);
    bf_uleb(code, body.n);
    bf_bytes(code, body.p, body.n);
    bf_free(&body);
}

static void const_expr(wbuf *b, uint8_t type, uint64_t bits)
{
    node n;
    memset(&n, 0, sizeof n);
    n.kind = N_CONST;
    n.type = type;
    n.imm = bits;
    emitter e;
    memset(&e, 0, sizeof e);
    e.ok = true;
    emit_node(&e, b, &n);
    bf_put(b, 0x0B);
}

bool emit_module(const gmod *m, wbuf *out)
{
    static emitter e; /* large: not on the stack */
    memset(&e, 0, sizeof e);
    e.m = m;
    e.ok = true;
    wbuf code = {0}, sec = {0};
    uint32_t ftypes[MAXF + 1];
    for (uint32_t i = 0; i <= m->nf; i++) {
        ftype t = func_type(m, i);
        ftypes[i] = intern(&e, &t);
    }
    bf_uleb(&code, m->nf);
    for (uint32_t i = 0; i < m->nf && e.ok; i++)
        emit_body(&e, &code, &m->f[i]);
    if (!e.ok) {
        bf_free(&code);
        return false;
    }

    static const uint8_t magic[8] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
    bf_bytes(out, magic, 8);
    bf_uleb(&sec, e.ntypes);
    for (unsigned i = 0; i < e.ntypes; i++) {
        bf_put(&sec, 0x60);
        bf_uleb(&sec, e.types[i].np);
        for (unsigned k = 0; k < e.types[i].np; k++)
            bf_put(&sec, valtype_byte(e.types[i].params[k]));
        bf_uleb(&sec, e.types[i].nr);
        for (unsigned k = 0; k < e.types[i].nr; k++)
            bf_put(&sec, valtype_byte(e.types[i].results[k]));
    }
    bf_section(out, 1, &sec);

    bf_uleb(&sec, 1);
    bf_name(&sec, "env");
    bf_name(&sec, "mix");
    bf_put(&sec, 0x00);
    bf_uleb(&sec, ftypes[HOST_MIX]);
    bf_section(out, 2, &sec);

    bf_uleb(&sec, m->nf);
    for (uint32_t i = 1; i <= m->nf; i++)
        bf_uleb(&sec, ftypes[i]);
    bf_section(out, 3, &sec);

    unsigned ntables = gen_table64 ? NTABLES : 1;
    bf_uleb(&sec, ntables);
    for (unsigned k = 0; k < ntables; k++) {
        bf_put(&sec, 0x70);
        bf_put(&sec, k == TABLE64 ? 0x04 : 0x00); /* 0x04: 64-bit, no maximum */
        bf_uleb(&sec, m->nf + 2);
    }
    bf_section(out, 4, &sec);

    bf_uleb(&sec, NMEMS);
    for (unsigned k = 0; k < NMEMS; k++) {
        bf_put(&sec, k == MEM64 ? 0x05 : 0x01); /* 0x05: 64-bit, with a maximum */
        bf_uleb(&sec, MEM_PAGES);
        bf_uleb(&sec, MEM_MAX_PAGES);
    }
    bf_section(out, 5, &sec);

    bf_uleb(&sec, NGLOBALS);
    for (unsigned g = 0; g < NGLOBALS; g++) {
        bf_put(&sec, valtype_byte(GLOBAL_TYPES[g]));
        bf_put(&sec, g < 4 ? 1 : 0);
        const_expr(&sec, GLOBAL_TYPES[g], m->ginit[g]);
    }
    bf_section(out, 6, &sec);

    bf_uleb(&sec, m->nf + ntables + NMEMS + NGLOBALS); /* functions, tables, memories, globals */
    for (uint32_t i = 0; i < m->nf; i++) {
        char name[16];
        snprintf(name, sizeof name, "f%u", i);
        bf_name(&sec, name);
        bf_put(&sec, 0x00);
        bf_uleb(&sec, i + 1);
    }
    bf_name(&sec, "memory");
    bf_put(&sec, 0x02);
    bf_uleb(&sec, 0);
    bf_name(&sec, "memory1");
    bf_put(&sec, 0x02);
    bf_uleb(&sec, 1);
    bf_name(&sec, "memory2");
    bf_put(&sec, 0x02);
    bf_uleb(&sec, 2);
    bf_name(&sec, "table");
    bf_put(&sec, 0x01);
    bf_uleb(&sec, 0);
    if (ntables > TABLE64) {
        bf_name(&sec, "table64");
        bf_put(&sec, 0x01);
        bf_uleb(&sec, TABLE64);
    }
    for (unsigned g = 0; g < NGLOBALS; g++) {
        char name[16];
        snprintf(name, sizeof name, "g%u", g);
        bf_name(&sec, name);
        bf_put(&sec, 0x03);
        bf_uleb(&sec, g);
    }
    bf_section(out, 7, &sec);

    /* both tables hold the same functions from 0; table 1's segment has
     * flags 2 (a table index, elemkind 0x00) and an i64 offset */
    bf_uleb(&sec, ntables);
    for (unsigned k = 0; k < ntables; k++) {
        bf_put(&sec, k ? 0x02 : 0x00);
        if (k)
            bf_uleb(&sec, k);
        const_expr(&sec, k == TABLE64 ? T_I64 : T_I32, 0);
        if (k)
            bf_put(&sec, 0x00);
        bf_uleb(&sec, m->nf + 1);
        for (uint32_t i = 1; i <= m->nf; i++)
            bf_uleb(&sec, i);
        bf_uleb(&sec, HOST_MIX);
    }
    bf_section(out, 9, &sec);

    bf_section(out, 10, &code);

    unsigned nseg = m->data_seed ? NDATA : 0;
    bf_uleb(&sec, nseg);
    for (unsigned w = 0; w < nseg; w++) {
        uint8_t bytes[DATA_MAX];
        uint32_t off, len;
        module_data(m->data_seed, w, &off, bytes, &len);
        if (data_memory(w)) { /* flags 2: an explicit memory index */
            bf_put(&sec, 0x02);
            bf_uleb(&sec, data_memory(w));
        } else {
            bf_put(&sec, 0x00);
        }
        const_expr(&sec, T_I32, off);
        bf_uleb(&sec, len);
        bf_bytes(&sec, bytes, len);
    }
    bf_section(out, 11, &sec);
    bf_free(&sec);
    bf_free(&code);
    return e.ok;
}
