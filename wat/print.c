/* Binary module to text (wat.h: wasm_to_wat), in the form this reader reads
 * back: every type written out (so no implicit type is added on the way
 * back), functions as (type N) and their locals in order, instructions
 * plain (block ... end) with their immediates spelled as the reader wants
 * them (memargs as offset= align=, floats in hex or nan:0x..., exact).
 * A module this reader wrote reads back to the same bytes
 * (tests/e2e/wat_roundtrip.sh). Custom sections are not printed.
 *
 * The bytes are untrusted: every read is bounds-checked, and an error names
 * the offset. Callers validate first (the CLI does), so that what is
 * printed is a module the engine would load.
 */
#include "wat.h"

#include "../vm/opcodes.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct printer {
    const uint8_t *b;
    size_t len, pos;
    char *out;
    size_t out_len, out_cap;
    wat_error *err;
    jmp_buf fail;
    int16_t by_code[256], by_fc[32]; /* index into ops + 1 */
    int16_t by_fd[0x120];             /* SIMD rows (0xFD0000 | sub), by sub-opcode */
} printer;

typedef struct op_row {
    const char *name;
    uint32_t code;
    uint8_t imm;
} op_row;

static const op_row ops[] = {
#define OP(id, name, code, imm, sig, align, synopsis) {name, code, WB_IMM_##imm},
#include "../vm/opcodes.def"
#undef OP
};

__attribute__((noreturn, format(printf, 2, 3))) static void fail(printer *pr, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pr->err->line = pr->err->col = 0;
    snprintf(pr->err->message, sizeof pr->err->message, "offset 0x%zx: %s", pr->pos, msg);
    longjmp(pr->fail, 1);
}

static void emit(printer *pr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(printer *pr, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = pr->out_cap - pr->out_len;
        int n = vsnprintf(pr->out ? pr->out + pr->out_len : NULL, pr->out ? room : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            fail(pr, "formatting failed");
        if (pr->out && (size_t)n < room) {
            pr->out_len += (size_t)n;
            return;
        }
        size_t cap = pr->out_cap ? pr->out_cap * 2 : 4096;
        while (cap - pr->out_len <= (size_t)n)
            cap *= 2;
        char *o = realloc(pr->out, cap);
        if (!o)
            fail(pr, "out of memory");
        pr->out = o;
        pr->out_cap = cap;
    }
}

/* ---- reading ---- */

static uint8_t byte(printer *pr)
{
    if (pr->pos >= pr->len)
        fail(pr, "unexpected end");
    return pr->b[pr->pos++];
}

static uint64_t uleb(printer *pr, unsigned bits)
{
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        if (shift >= bits + 7)
            fail(pr, "integer representation too long");
        uint8_t c = byte(pr);
        if (shift < 64)
            v |= (uint64_t)(c & 0x7F) << shift;
        if (!(c & 0x80))
            break;
    }
    if (bits < 64 && (v >> bits))
        fail(pr, "integer too large");
    return v;
}

static int64_t sleb(printer *pr, unsigned bits)
{
    uint64_t v = 0;
    unsigned shift = 0;
    uint8_t c;
    do {
        if (shift >= bits + 7)
            fail(pr, "integer representation too long");
        c = byte(pr);
        if (shift < 64)
            v |= (uint64_t)(c & 0x7F) << shift;
        shift += 7;
    } while (c & 0x80);
    if (shift < 64 && (c & 0x40))
        v |= ~(uint64_t)0 << shift;
    int64_t s;
    memcpy(&s, &v, sizeof s);
    if (bits < 64 && (s < -((int64_t)1 << (bits - 1)) || s >= ((int64_t)1 << (bits - 1))))
        fail(pr, "integer too large");
    return s;
}

static uint32_t u32(printer *pr)
{
    return (uint32_t)uleb(pr, 32);
}

/* ---- printing pieces ---- */

static void str(printer *pr, const uint8_t *s, size_t n)
{
    emit(pr, "\"");
    for (size_t k = 0; k < n; k++) {
        uint8_t c = s[k];
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
            emit(pr, "%c", c);
        else
            emit(pr, "\\%02x", c);
    }
    emit(pr, "\"");
}

static void name(printer *pr)
{
    uint32_t n = u32(pr);
    if (n > pr->len - pr->pos)
        fail(pr, "name runs past the end");
    str(pr, pr->b + pr->pos, n);
    pr->pos += n;
}

/* A heap type (s33, after 0x63/0x64 or ref.null): an abstract type's name
 * or a type index; in one of a few rotating buffers (enough for one line). */
static const char *heaptype(printer *pr)
{
    static char bufs[4][24];
    static unsigned next;
    char *b = bufs[next++ % 4];
    int64_t h = sleb(pr, 33);
    if (h >= 0) {
        snprintf(b, sizeof bufs[0], "%lld", (long long)h);
        return b;
    }
    switch ((uint8_t)(h & 0x7F)) {
    case 0x70: return "func";
    case 0x6F: return "extern";
    case 0x73: return "nofunc";
    case 0x72: return "noextern";
    case 0x69: return "exn";
    case 0x74: return "noexn";
    case 0x6E: return "any";
    case 0x6D: return "eq";
    case 0x6C: return "i31";
    case 0x6B: return "struct";
    case 0x6A: return "array";
    case 0x71: return "none";
    }
    fail(pr, "unknown heap type %lld", (long long)h);
}

static const char *valtype(printer *pr, uint8_t t)
{
    if (t == 0x63 || t == 0x64) { /* (ref null? ht): typed references (3.0) */
        static char bufs[4][40];
        static unsigned next;
        char *b = bufs[next++ % 4];
        const char *ht = heaptype(pr);
        snprintf(b, sizeof bufs[0], "(ref %s%s)", t == 0x63 ? "null " : "", ht);
        return b;
    }
    switch (t) {
    case 0x7F: return "i32";
    case 0x7E: return "i64";
    case 0x7D: return "f32";
    case 0x7C: return "f64";
    case 0x7B: return "v128";
    case 0x70: return "funcref";
    case 0x6F: return "externref";
    case 0x69: return "exnref";
    }
    pr->pos--;
    fail(pr, "unknown value type 0x%02x", t);
}

/* Limits: flags 0/1 (32-bit), 4/5 (64-bit, memory64: `i64` and u64
 * bounds); bit 0: a maximum follows. */
static void limits(printer *pr)
{
    uint8_t flags = byte(pr);
    if (flags > 1 && flags != 4 && flags != 5)
        fail(pr, "limits flags 0x%02x not printed (only 0, 1, 4 and 5)", flags);
    if (flags & 4) {
        unsigned long long min = uleb(pr, 64);
        emit(pr, " i64 %llu", min);
        if (flags & 1)
            emit(pr, " %llu", (unsigned long long)uleb(pr, 64));
        return;
    }
    uint32_t min = u32(pr);
    emit(pr, " %u", min);
    if (flags)
        emit(pr, " %u", u32(pr));
}

static void f32_text(printer *pr, uint32_t bits)
{
    const char *sign = bits >> 31 ? "-" : "";
    uint32_t mant = bits & 0x7FFFFF;
    if (((bits >> 23) & 0xFF) == 0xFF) {
        if (mant == 0)
            emit(pr, "%sinf", sign);
        else
            emit(pr, "%snan:0x%x", sign, mant);
        return;
    }
    float f;
    memcpy(&f, &bits, 4);
    emit(pr, "%a", (double)f); /* exact: a float is a double; the sign is in it */
}

static void f64_text(printer *pr, uint64_t bits)
{
    const char *sign = bits >> 63 ? "-" : "";
    uint64_t mant = bits & (((uint64_t)1 << 52) - 1);
    if (((bits >> 52) & 0x7FF) == 0x7FF) {
        if (mant == 0)
            emit(pr, "%sinf", sign);
        else
            emit(pr, "%snan:0x%llx", sign, (unsigned long long)mant);
        return;
    }
    double d;
    memcpy(&d, &bits, 8);
    emit(pr, "%a", d);
}

/* ---- instructions ---- */

static void indent(printer *pr, unsigned depth)
{
    emit(pr, "\n");
    for (unsigned k = 0; k < depth + 2; k++)
        emit(pr, "  ");
}

static void blocktype(printer *pr)
{
    if (pr->pos >= pr->len)
        fail(pr, "unexpected end");
    uint8_t c = pr->b[pr->pos];
    if (c == 0x40) {
        pr->pos++;
        return;
    }
    if (c == 0x7F || c == 0x7E || c == 0x7D || c == 0x7C || c == 0x7B || c == 0x70 || c == 0x6F ||
        c == 0x63 || c == 0x64 || c == 0x69) {
        pr->pos++;
        emit(pr, " (result %s)", valtype(pr, c));
        return;
    }
    int64_t idx = sleb(pr, 33);
    if (idx < 0)
        fail(pr, "bad block type");
    emit(pr, " (type %lld)", (long long)idx);
}

/* A memarg: flags (log2 alignment; bit 6: a memory index follows), the
 * memory index, the offset (u64: memory64) */
static void memarg(printer *pr)
{
    uint32_t flags = u32(pr), mem = 0;
    if (flags & 0x40) {
        mem = u32(pr);
        flags &= ~0x40u;
    }
    uint64_t offset = uleb(pr, 64);
    if (flags >= 32)
        fail(pr, "alignment 2^%u not printed", flags);
    if (mem)
        emit(pr, " %u", mem);
    emit(pr, " offset=%llu align=%u", (unsigned long long)offset, 1u << flags);
}


/* Instructions up to the end of an expression (the end that closes depth
 * 0, not printed). */
static void instrs(printer *pr, unsigned base)
{
    unsigned depth = 0;
    for (;;) {
        size_t at = pr->pos;
        uint8_t c = byte(pr);
        int16_t k;
        if (c == 0xFC) {
            uint32_t sub = u32(pr);
            k = sub < 32 ? pr->by_fc[sub] : 0;
        } else if (c == 0xFD) {
            uint32_t sub = u32(pr);
            k = sub < 0x120 ? pr->by_fd[sub] : 0;
        } else {
            k = pr->by_code[c];
        }
        if (!k) {
            pr->pos = at;
            fail(pr, "opcode 0x%02x not printed (not in the opcode table)", c);
        }
        const op_row *op = &ops[k - 1];
        if (op->code == 0x0B) {
            if (depth == 0)
                return;
            depth--;
            indent(pr, base + depth);
            emit(pr, "end");
            continue;
        }
        if (op->code == 0x05 || op->code == 0x07 || op->code == 0x19) {
            /* else; a legacy catch (its tag) or catch_all */
            if (depth == 0)
                fail(pr, "%s outside a block", op->name);
            indent(pr, base + depth - 1);
            emit(pr, "%s", op->name);
            if (op->code == 0x07)
                emit(pr, " %u", u32(pr));
            continue;
        }
        if (op->code == 0x18) { /* legacy delegate: ends its try */
            if (depth == 0)
                fail(pr, "delegate outside a block");
            depth--;
            indent(pr, base + depth);
            emit(pr, "delegate %u", u32(pr));
            continue;
        }
        indent(pr, base + depth);
        emit(pr, "%s", op->name);
        switch ((wb_imm)op->imm) {
        case WB_IMM_NONE: break;
        case WB_IMM_BLOCKTYPE:
            blocktype(pr);
            if (depth > 10000)
                fail(pr, "blocks nested too deep to print");
            depth++;
            break;
        case WB_IMM_LABEL:
        case WB_IMM_FUNC:
        case WB_IMM_LOCAL:
        case WB_IMM_GLOBAL:
        case WB_IMM_TABLE:
        case WB_IMM_DATA:
        case WB_IMM_ELEM:
        case WB_IMM_TYPE: emit(pr, " %u", u32(pr)); break;
        case WB_IMM_BR_TABLE: {
            uint32_t n = u32(pr);
            for (uint64_t i = 0; i <= n; i++)
                emit(pr, " %u", u32(pr));
            break;
        }
        case WB_IMM_CALL_INDIRECT: {
            uint32_t type = u32(pr), table = u32(pr);
            emit(pr, " %u (type %u)", table, type);
            break;
        }
        case WB_IMM_MEMARG: memarg(pr); break;
        case WB_IMM_I32: emit(pr, " %lld", (long long)sleb(pr, 32)); break;
        case WB_IMM_I64: emit(pr, " %lld", (long long)sleb(pr, 64)); break;
        case WB_IMM_F32: {
            uint32_t bits = 0;
            for (int i = 0; i < 4; i++)
                bits |= (uint32_t)byte(pr) << (8 * i);
            emit(pr, " ");
            f32_text(pr, bits);
            break;
        }
        case WB_IMM_F64: {
            uint64_t bits = 0;
            for (int i = 0; i < 8; i++)
                bits |= (uint64_t)byte(pr) << (8 * i);
            emit(pr, " ");
            f64_text(pr, bits);
            break;
        }
        case WB_IMM_LANE: emit(pr, " %u", byte(pr)); break;
        case WB_IMM_MEMARG_LANE:
            memarg(pr);
            emit(pr, " %u", byte(pr));
            break;
        case WB_IMM_SHUFFLE:
            for (int i = 0; i < 16; i++)
                emit(pr, " %u", byte(pr));
            break;
        case WB_IMM_V128: {
            emit(pr, " i32x4");
            for (int i = 0; i < 4; i++) {
                uint32_t w = 0;
                for (int k = 0; k < 4; k++)
                    w |= (uint32_t)byte(pr) << (8 * k);
                emit(pr, " 0x%08x", w);
            }
            break;
        }
        case WB_IMM_MEMIDX: {
            uint32_t mem = u32(pr);
            if (mem)
                emit(pr, " %u", mem);
            break;
        }
        case WB_IMM_REFTYPE: emit(pr, " %s", heaptype(pr)); break;
        case WB_IMM_SELECT_T: {
            uint32_t n = u32(pr);
            emit(pr, " (result");
            for (uint32_t i = 0; i < n; i++)
                emit(pr, " %s", valtype(pr, byte(pr)));
            emit(pr, ")");
            break;
        }
        case WB_IMM_MEMORY_INIT: {
            uint32_t data = u32(pr), mem = u32(pr);
            if (mem)
                emit(pr, " %u", mem);
            emit(pr, " %u", data);
            break;
        }
        case WB_IMM_MEMORY_COPY: {
            uint32_t dst = u32(pr), src = u32(pr);
            if (dst || src)
                emit(pr, " %u %u", dst, src);
            break;
        }
        case WB_IMM_TABLE_INIT: {
            uint32_t elem = u32(pr), table = u32(pr);
            emit(pr, " %u %u", table, elem);
            break;
        }
        case WB_IMM_TABLE_COPY: {
            uint32_t dst = u32(pr), src = u32(pr);
            emit(pr, " %u %u", dst, src);
            break;
        }
        case WB_IMM_TAG: emit(pr, " %u", u32(pr)); break;
        case WB_IMM_TRY_TABLE: {
            /* try_table bt (catch x l) (catch_ref x l) (catch_all l) (catch_all_ref l) */
            static const char *const kinds[] = {"catch", "catch_ref", "catch_all", "catch_all_ref"};
            blocktype(pr);
            uint32_t n = u32(pr);
            for (uint32_t i = 0; i < n; i++) {
                uint8_t kind = byte(pr);
                if (kind > 3)
                    fail(pr, "bad catch clause kind 0x%02x", kind);
                emit(pr, " (%s", kinds[kind]);
                if (kind < 2)
                    emit(pr, " %u", u32(pr));
                emit(pr, " %u)", u32(pr));
            }
            if (depth > 10000)
                fail(pr, "blocks nested too deep to print");
            depth++;
            break;
        }
        default: fail(pr, "the immediates of %s are not printed", op->name);
        }
    }
}

/* A constant expression, as (offset ...) or inline. */
static void const_expr(printer *pr, const char *wrap)
{
    emit(pr, " (%s", wrap);
    instrs(pr, 2);
    emit(pr, ")");
}

/* ---- sections ---- */

typedef struct counts {
    uint32_t funcs_imported, tables_imported, mems_imported, globals_imported, tags_imported;
    uint32_t nfuncs;
    size_t func_types; /* offset of the function section's type indices */
} counts;

/* One function type, type index i (in a recursion group: indented more). */
static void functype(printer *pr, uint32_t i, const char *indent)
{
    if (byte(pr) != 0x60)
        fail(pr, "only function types are printed");
    emit(pr, "\n%s(type (;%u;) (func", indent, i);
    uint32_t np = u32(pr);
    if (np) {
        emit(pr, " (param");
        for (uint32_t k = 0; k < np; k++)
            emit(pr, " %s", valtype(pr, byte(pr)));
        emit(pr, ")");
    }
    uint32_t nr = u32(pr);
    if (nr) {
        emit(pr, " (result");
        for (uint32_t k = 0; k < nr; k++)
            emit(pr, " %s", valtype(pr, byte(pr)));
        emit(pr, ")");
    }
    emit(pr, "))");
}

static void section_types(printer *pr, size_t end)
{
    uint32_t n = u32(pr), k = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (pr->pos < pr->len && pr->b[pr->pos] == 0x4E) { /* rec: a recursion group (3.0) */
            pr->pos++;
            uint32_t size = u32(pr);
            if (size > pr->len - pr->pos)
                fail(pr, "recursion group runs past the end");
            emit(pr, "\n  (rec");
            for (uint32_t j = 0; j < size; j++)
                functype(pr, k++, "    ");
            emit(pr, ")");
        } else {
            functype(pr, k++, "  ");
        }
    }
    (void)end;
}

static void globaltype(printer *pr)
{
    const char *t = valtype(pr, byte(pr));
    uint8_t mut = byte(pr);
    if (mut > 1)
        fail(pr, "bad mutability");
    emit(pr, mut ? " (mut %s)" : " %s", t);
}

static void section_imports(printer *pr, counts *c)
{
    uint32_t n = u32(pr);
    for (uint32_t i = 0; i < n; i++) {
        emit(pr, "\n  (import ");
        name(pr);
        emit(pr, " ");
        name(pr);
        uint8_t kind = byte(pr);
        switch (kind) {
        case 0x00: emit(pr, " (func (;%u;) (type %u)))", c->funcs_imported++, u32(pr)); break;
        case 0x01: {
            uint8_t rt = byte(pr);
            const char *t = valtype(pr, rt);
            emit(pr, " (table (;%u;)", c->tables_imported++);
            limits(pr);
            emit(pr, " %s))", t);
            break;
        }
        case 0x02:
            emit(pr, " (memory (;%u;)", c->mems_imported++);
            limits(pr);
            emit(pr, "))");
            break;
        case 0x03:
            emit(pr, " (global (;%u;)", c->globals_imported++);
            globaltype(pr);
            emit(pr, "))");
            break;
        case 0x04:
            if (byte(pr) != 0)
                fail(pr, "bad tag attribute");
            emit(pr, " (tag (;%u;) (type %u)))", c->tags_imported++, u32(pr));
            break;
        default: fail(pr, "bad import kind 0x%02x", kind);
        }
    }
}

static void section_code(printer *pr, counts *c)
{
    uint32_t n = u32(pr);
    if (n != c->nfuncs)
        fail(pr, "%u function bodies for %u functions", n, c->nfuncs);
    size_t save = pr->pos;
    pr->pos = c->func_types;
    uint32_t *types = calloc(n ? n : 1, sizeof *types);
    if (!types)
        fail(pr, "out of memory");
    for (uint32_t i = 0; i < n; i++)
        types[i] = u32(pr);
    pr->pos = save;
    for (uint32_t i = 0; i < n; i++) {
        emit(pr, "\n  (func (;%u;) (type %u)", c->funcs_imported + i, types[i]);
        uint32_t size = u32(pr);
        if (size > pr->len - pr->pos) {
            free(types);
            fail(pr, "function body runs past the end");
        }
        size_t end = pr->pos + size;
        uint32_t groups = u32(pr);
        if (groups) {
            emit(pr, " (local");
            for (uint32_t g = 0; g < groups; g++) {
                uint32_t count = u32(pr);
                if (count > size) {
                    free(types);
                    fail(pr, "too many locals");
                }
                const char *t = valtype(pr, byte(pr));
                for (uint32_t k = 0; k < count; k++)
                    emit(pr, " %s", t);
            }
            emit(pr, ")");
        }
        instrs(pr, 0);
        if (pr->pos != end) {
            free(types);
            fail(pr, "function body size does not match its code");
        }
        emit(pr, ")");
    }
    free(types);
}

static void func_list(printer *pr)
{
    uint32_t n = u32(pr);
    emit(pr, " func");
    for (uint32_t k = 0; k < n; k++)
        emit(pr, " %u", u32(pr));
}

static void expr_list(printer *pr)
{
    uint32_t n = u32(pr);
    for (uint32_t k = 0; k < n; k++)
        const_expr(pr, "item");
}

static void section_elems(printer *pr)
{
    uint32_t n = u32(pr);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t flags = u32(pr);
        if (flags > 7)
            fail(pr, "bad element segment flags %u", flags);
        emit(pr, "\n  (elem (;%u;)", i);
        bool passive_or_declared = flags & 1, explicit_table = flags & 2, exprs = flags & 4;
        if (passive_or_declared && explicit_table)
            emit(pr, " declare");
        if (!passive_or_declared) {
            if (explicit_table)
                emit(pr, " (table %u)", u32(pr));
            const_expr(pr, "offset");
        }
        if (!(flags & 3)) {
            /* flags 0 and 4: funcref implied */
            if (exprs) {
                emit(pr, " funcref");
                expr_list(pr);
            } else {
                func_list(pr);
            }
        } else if (exprs) {
            emit(pr, " %s", valtype(pr, byte(pr)));
            expr_list(pr);
        } else {
            if (byte(pr) != 0x00)
                fail(pr, "bad element kind");
            func_list(pr);
        }
        emit(pr, ")");
    }
}

static void section_datas(printer *pr)
{
    uint32_t n = u32(pr);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t flags = u32(pr);
        emit(pr, "\n  (data (;%u;)", i);
        if (flags == 2)
            emit(pr, " (memory %u)", u32(pr));
        if (flags == 0 || flags == 2)
            const_expr(pr, "offset");
        else if (flags != 1)
            fail(pr, "bad data segment flags %u", flags);
        uint32_t len = u32(pr);
        if (len > pr->len - pr->pos)
            fail(pr, "data runs past the end");
        emit(pr, " ");
        str(pr, pr->b + pr->pos, len);
        pr->pos += len;
        emit(pr, ")");
    }
}

/* A custom section as a custom annotation (custom.c reads it back),
 * placed after the known section printed last (`after`: its text name),
 * or before the first. */
static void custom_section(printer *pr, const char *after, size_t end)
{
    emit(pr, "\n  (@custom ");
    name(pr);
    if (pr->pos > end)
        fail(pr, "custom section: its name runs past the section");
    if (after)
        emit(pr, " (after %s)", after);
    else
        emit(pr, " (before first)");
    if (end > pr->pos) {
        emit(pr, " ");
        str(pr, pr->b + pr->pos, end - pr->pos);
    }
    emit(pr, ")");
    pr->pos = end;
}

/* The text names of the known sections, by id (a custom's place). */
static const char *const section_names[] = {NULL,     "type",   "import", "func", "table",
                                            "memory", "global", "export", "start", "elem",
                                            "code",   "data",   "datacount", "tag"};

static void module(printer *pr)
{
    static const uint8_t header[8] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
    if (pr->len < 8 || memcmp(pr->b, header, 8) != 0)
        fail(pr, "not a binary module (no \\0asm version 1 header)");
    pr->pos = 8;
    counts c;
    memset(&c, 0, sizeof c);
    emit(pr, "(module");
    const char *last = NULL; /* the known section read last, for customs */
    while (pr->pos < pr->len) {
        uint8_t id = byte(pr);
        uint32_t size = u32(pr);
        if (size > pr->len - pr->pos)
            fail(pr, "section runs past the end");
        size_t end = pr->pos + size;
        if (id > 0 && id < sizeof section_names / sizeof section_names[0])
            last = section_names[id];
        switch (id) {
        case 0: custom_section(pr, last, end); break;
        case 1: section_types(pr, end); break;
        case 2: section_imports(pr, &c); break;
        case 3:
            c.nfuncs = u32(pr);
            c.func_types = pr->pos; /* the type indices, read with the code */
            pr->pos = end;
            break;
        case 4: {
            uint32_t n = u32(pr);
            for (uint32_t i = 0; i < n; i++) {
                /* 3.0: 0x40 0x00, the table type, then its initialiser */
                bool init = pr->pos < pr->len && pr->b[pr->pos] == 0x40;
                if (init && (byte(pr), byte(pr)) != 0x00)
                    fail(pr, "bad table with an initialiser");
                const char *t = valtype(pr, byte(pr));
                emit(pr, "\n  (table (;%u;)", c.tables_imported + i);
                limits(pr);
                emit(pr, " %s", t);
                if (init)
                    instrs(pr, 1);
                emit(pr, ")");
            }
            break;
        }
        case 5: {
            uint32_t n = u32(pr);
            for (uint32_t i = 0; i < n; i++) {
                emit(pr, "\n  (memory (;%u;)", c.mems_imported + i);
                limits(pr);
                emit(pr, ")");
            }
            break;
        }
        case 6: {
            uint32_t n = u32(pr);
            for (uint32_t i = 0; i < n; i++) {
                emit(pr, "\n  (global (;%u;)", c.globals_imported + i);
                globaltype(pr);
                instrs(pr, 1);
                emit(pr, ")");
            }
            break;
        }
        case 13: { /* exception handling's tags */
            uint32_t n = u32(pr);
            for (uint32_t i = 0; i < n; i++) {
                if (byte(pr) != 0)
                    fail(pr, "bad tag attribute");
                emit(pr, "\n  (tag (;%u;) (type %u))", c.tags_imported + i, u32(pr));
            }
            break;
        }
        case 7: {
            static const char *const kinds[] = {"func", "table", "memory", "global", "tag"};
            uint32_t n = u32(pr);
            for (uint32_t i = 0; i < n; i++) {
                emit(pr, "\n  (export ");
                name(pr);
                uint8_t kind = byte(pr);
                if (kind > 4)
                    fail(pr, "bad export kind 0x%02x", kind);
                emit(pr, " (%s %u))", kinds[kind], u32(pr));
            }
            break;
        }
        case 8: emit(pr, "\n  (start %u)", u32(pr)); break;
        case 9: section_elems(pr); break;
        case 10: section_code(pr, &c); break;
        case 11: section_datas(pr); break;
        case 12: u32(pr); break; /* data count: the reader writes it when needed */
        default: fail(pr, "unknown section %u", id);
        }
        if (pr->pos != end)
            fail(pr, "section %u: size does not match its contents", id);
    }
    emit(pr, ")\n");
}

bool wasm_to_wat(const uint8_t *bytes, size_t len, char **out, size_t *out_len, wat_error *err)
{
    printer pr;
    memset(&pr, 0, sizeof pr);
    memset(err, 0, sizeof *err);
    pr.b = bytes;
    pr.len = len;
    pr.err = err;
    *out = NULL;
    *out_len = 0;
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        uint32_t code = ops[k].code;
        /* the first row of a code wins (one name per code) */
        if ((code >> 16) == 0xFD && (code & 0xFFFF) < 0x120 && !pr.by_fd[code & 0xFFFF])
            pr.by_fd[code & 0xFFFF] = (int16_t)(k + 1);
        else if ((code >> 8) == 0xFC && (code & 0xFF) < 32 && !pr.by_fc[code & 0xFF])
            pr.by_fc[code & 0xFF] = (int16_t)(k + 1);
        else if (code >> 16 == 0xFD && (code & 0xFFFF) < 512 && !pr.by_fd[code & 0xFFFF])
            pr.by_fd[code & 0xFFFF] = (int16_t)(k + 1);
        else if (code < 0x100 && !pr.by_code[code])
            pr.by_code[code] = (int16_t)(k + 1);
    }
    if (setjmp(pr.fail)) {
        free(pr.out);
        return false;
    }
    module(&pr);
    *out = pr.out;
    *out_len = pr.out_len;
    return true;
}
