/* .wast scripts to wast2json's command list (wast.h). The script is cut
 * into tokens once; each module inside is read where it stands (so errors
 * carry the script's own line and column), quoted ones from their strings.
 */
#include "wast.h"

#include "wat_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct script {
    wat_parser *p;
    wat_buf json;
    wast_script *out;
    size_t blobs_cap;
    unsigned nmodules;
    bool first_cmd;
} script;

/* ---- JSON text ---- */

static void put(script *s, const char *text)
{
    wat_buf_bytes(s->p, &s->json, text, strlen(text));
}

__attribute__((format(printf, 2, 3))) static void putf(script *s, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0)
        wat_buf_bytes(s->p, &s->json, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* A JSON string of bytes: control bytes and NUL as \u00XX (the runner
 * turns \u0000 back into a NUL byte), other bytes as they are. */
static void put_str(script *s, const uint8_t *b, size_t n)
{
    wat_buf_byte(s->p, &s->json, '"');
    for (size_t k = 0; k < n; k++) {
        uint8_t c = b[k];
        if (c == '"' || c == '\\') {
            wat_buf_byte(s->p, &s->json, '\\');
            wat_buf_byte(s->p, &s->json, c);
        } else if (c < 0x20 || c == 0x7F) {
            putf(s, "\\u%04x", c);
        } else {
            wat_buf_byte(s->p, &s->json, c);
        }
    }
    wat_buf_byte(s->p, &s->json, '"');
}

static void put_cstr(script *s, const char *text)
{
    put_str(s, (const uint8_t *)text, strlen(text));
}

static void put_token_str(script *s, const wat_token *t)
{
    put_str(s, (const uint8_t *)s->p->src + t->pos, t->len);
}

static void begin_cmd(script *s, const char *type, const wat_token *at)
{
    if (!s->first_cmd)
        put(s, ",\n");
    s->first_cmd = false;
    putf(s, "{\"type\": \"%s\", \"line\": %" PRIu32, type, at->line);
}

/* ---- modules ---- */

static const char *add_blob(script *s, const uint8_t *bytes, size_t len, bool from_text)
{
    wast_script *o = s->out;
    if (o->nblobs == s->blobs_cap) {
        size_t cap = s->blobs_cap ? s->blobs_cap * 2 : 16;
        wast_blob *b = realloc(o->blobs, cap * sizeof *b);
        if (!b)
            wat_fail(s->p, "out of memory");
        o->blobs = b;
        s->blobs_cap = cap;
    }
    wast_blob *b = &o->blobs[o->nblobs];
    memset(b, 0, sizeof *b);
    b->bytes = malloc(len ? len : 1);
    if (!b->bytes)
        wat_fail(s->p, "out of memory");
    if (len)
        memcpy(b->bytes, bytes, len);
    b->len = len;
    b->from_text = from_text;
    snprintf(b->name, sizeof b->name, "m%u.wasm", s->nmodules++);
    o->nblobs++;
    return b->name;
}

/* Strings up to ")" concatenated into b. */
static void strings(script *s, wat_buf *b)
{
    while (wat_peek(s->p, 0)->kind == TOK_STRING) {
        size_t n;
        uint8_t *bytes = wat_string(s->p, wat_next(s->p), &n);
        wat_buf_bytes(s->p, b, bytes, n);
    }
}

/* A text module read where it stands; false with its error (the cursor then
 * past the module). */
static bool read_text_module(script *s, wat_buf *out, wat_error *merr)
{
    wat_parser *p = s->p;
    size_t start = p->i;
    jmp_buf saved;
    memcpy(&saved, &p->fail, sizeof saved);
    wat_error *saved_err = p->err;
    unsigned saved_depth = p->depth;
    p->err = merr;
    volatile bool ok = true;
    if (setjmp(p->fail) == 0) {
        wat_read_module(p, true, out);
    } else {
        ok = false;
    }
    memcpy(&p->fail, &saved, sizeof saved);
    p->err = saved_err;
    p->depth = saved_depth; /* an error may have left from deep inside */
    if (!ok) {
        p->i = start;
        wat_skip_sexpr(p);
    }
    return ok;
}

/* Reads "(module ...)" in any of its forms and writes the command fields
 * that name it: "name" (when given), "filename", "module_type" and, for
 * text the reader refused, "text_error". */
static void module_fields(script *s, bool named)
{
    wat_parser *p = s->p;
    size_t start = p->i;
    if (!wat_at_open(p, "module"))
        wat_fail(p, "expected '(module ...)'");
    /* (module definition $M? ...): read like a module; the command says so */
    size_t skip = wat_is_atom(wat_peek(p, 2), p->src, "definition") ? 1 : 0;
    const wat_token *id = wat_peek(p, 2 + skip);
    if (!wat_tok_is_id(p, id))
        id = NULL;
    const wat_token *form = wat_peek(p, (id ? 3 : 2) + skip);
    wat_error merr;
    memset(&merr, 0, sizeof merr);
    wat_buf bytes = {0};
    bool ok = true;
    if (wat_is_atom(form, p->src, "binary") || wat_is_atom(form, p->src, "quote")) {
        bool quote = wat_is_atom(form, p->src, "quote");
        p->i = start + (id ? 4 : 3) + skip;
        wat_buf text = {0};
        strings(s, &text);
        wat_expect_rpar(p);
        if (!quote) {
            bytes = text;
        } else {
            uint8_t *out;
            size_t len;
            ok = wat_to_wasm_profile((const char *)text.data, text.len,
                                     p->narrow_sizes ? WAT_PROFILE_2_0 : WAT_PROFILE_3_0, &out, &len, &merr);
            if (ok) {
                wat_buf_bytes(p, &bytes, out, len);
                free(out);
            }
        }
    } else {
        ok = read_text_module(s, &bytes, &merr);
    }
    if (named && id) {
        put(s, ", \"name\": ");
        put_token_str(s, id);
    }
    const char *file = add_blob(s, bytes.data, ok ? bytes.len : 0, !wat_is_atom(form, p->src, "binary"));
    put(s, ", \"filename\": ");
    put_cstr(s, file);
    if (ok) {
        put(s, ", \"module_type\": \"binary\"");
    } else {
        put(s, ", \"module_type\": \"text\", \"text_error\": ");
        char msg[400];
        snprintf(msg, sizeof msg, "%u:%u: %s", merr.line, merr.col, merr.message);
        put_cstr(s, msg);
    }
}

/* ---- values ---- */

/* One constant: (i32.const N), (f32.const nan:canonical), (ref.null func),
 * (ref.extern N), (ref.func) ...; result patterns allowed when expect. */
static void value(script *s, bool expect)
{
    wat_parser *p = s->p;
    wat_expect_lpar(p);
    const wat_token *kw = wat_next(p);
    const char *src = p->src;
    if (expect && wat_is_atom(kw, src, "either")) {
        put(s, "{\"type\": \"either\", \"values\": [");
        bool first = true;
        while (wat_peek(p, 0)->kind == TOK_LPAR) {
            if (!first)
                put(s, ", ");
            first = false;
            wat_enter(p);
            value(s, true);
            wat_leave(p);
        }
        put(s, "]}");
        wat_expect_rpar(p);
        return;
    }
    const wat_token *v = wat_peek(p, 0);
    const char *vs = src + v->pos;
    if (wat_is_atom(kw, src, "i32.const") || wat_is_atom(kw, src, "i64.const")) {
        unsigned bits = wat_is_atom(kw, src, "i32.const") ? 32 : 64;
        uint64_t x;
        if (v->kind != TOK_ATOM || !wat_parse_int(vs, v->len, bits, &x))
            wat_fail_at(p, v, "expected an i%u constant", bits);
        wat_next(p);
        putf(s, "{\"type\": \"i%u\", \"value\": \"%" PRIu64 "\"}", bits, x);
    } else if (wat_is_atom(kw, src, "f32.const") || wat_is_atom(kw, src, "f64.const")) {
        unsigned bits = wat_is_atom(kw, src, "f32.const") ? 32 : 64;
        if (expect && (wat_is_atom(v, src, "nan:canonical") || wat_is_atom(v, src, "nan:arithmetic"))) {
            putf(s, "{\"type\": \"f%u\", \"value\": \"%.*s\"}", bits, (int)v->len, vs);
        } else if (bits == 32) {
            uint32_t x;
            if (v->kind != TOK_ATOM || !wat_parse_f32(vs, v->len, &x))
                wat_fail_at(p, v, "expected an f32 constant");
            putf(s, "{\"type\": \"f32\", \"value\": \"%" PRIu32 "\"}", x);
        } else {
            uint64_t x;
            if (v->kind != TOK_ATOM || !wat_parse_f64(vs, v->len, &x))
                wat_fail_at(p, v, "expected an f64 constant");
            putf(s, "{\"type\": \"f64\", \"value\": \"%" PRIu64 "\"}", x);
        }
        wat_next(p);
    } else if (wat_is_atom(kw, src, "ref.null")) {
        if (wat_is_atom(v, src, "func")) {
            put(s, "{\"type\": \"funcref\", \"value\": \"null\"}");
        } else if (wat_is_atom(v, src, "extern")) {
            put(s, "{\"type\": \"externref\", \"value\": \"null\"}");
        } else {
            /* any null (3.0 pattern) or another heap type: kept by name,
             * for the runner to report as a value it cannot make */
            put(s, "{\"type\": ");
            if (v->kind == TOK_ATOM) {
                char t[80];
                snprintf(t, sizeof t, "ref.null %.*s", (int)(v->len > 60 ? 60 : v->len), p->src + v->pos);
                put_cstr(s, t);
            } else {
                put_cstr(s, "ref.null");
            }
            put(s, ", \"value\": \"null\"}");
        }
        if (v->kind == TOK_ATOM)
            wat_next(p);
    } else if (wat_is_atom(kw, src, "ref.extern") || wat_is_atom(kw, src, "ref.host")) {
        uint32_t x;
        if (v->kind == TOK_RPAR && expect) {
            put(s, "{\"type\": \"externref\"}");
        } else {
            if (v->kind != TOK_ATOM || !wat_parse_u32(vs, v->len, &x))
                wat_fail_at(p, v, "expected a reference number");
            wat_next(p);
            putf(s, "{\"type\": \"externref\", \"value\": \"%" PRIu32 "\"}", x);
        }
    } else if (expect && wat_is_atom(kw, src, "ref.func")) {
        put(s, "{\"type\": \"funcref\"}");
        if (wat_peek(p, 0)->kind == TOK_ATOM)
            wat_next(p);
    } else if (expect && kw->kind == TOK_ATOM && kw->len > 4 && memcmp(src + kw->pos, "ref.", 4) == 0) {
        /* ref.any, ref.eq, ref.i31, ref.struct, ref.array, ref.exn, ...
         * (3.0 result patterns): kept by name, the runner reports them */
        put(s, "{\"type\": ");
        put_token_str(s, kw);
        put(s, "}");
        while (wat_peek(p, 0)->kind == TOK_ATOM)
            wat_next(p);
    } else if (wat_is_atom(kw, src, "v128.const")) {
        /* wast2json's form: the lane type and each lane as the decimal of
         * its bits; a float lane of an expectation may be a NaN pattern */
        int shape = wat_v128_shape(p);
        putf(s, "{\"type\": \"v128\", \"lane_type\": \"%c%u\", \"value\": [",
             wat_v128_lane_is_float(shape) ? 'f' : 'i', wat_v128_lane_bits(shape));
        for (unsigned k = 0; k < wat_v128_lane_count(shape); k++) {
            const wat_token *l = wat_peek(p, 0);
            if (k)
                put(s, ", ");
            if (expect && wat_v128_lane_is_float(shape) &&
                (wat_is_atom(l, src, "nan:canonical") || wat_is_atom(l, src, "nan:arithmetic"))) {
                putf(s, "\"%.*s\"", (int)l->len, src + l->pos);
                wat_next(p);
            } else {
                putf(s, "\"%" PRIu64 "\"", wat_v128_lane(p, shape));
            }
        }
        put(s, "]}");
    } else {
        wat_fail_at(p, kw, "expected a constant (i32.const, f32.const, ref.null, ref.extern, ...)");
    }
    wat_expect_rpar(p);
}

/* (invoke $M? "name" const*) or (get $M? "name"). */
static void action(script *s)
{
    wat_parser *p = s->p;
    wat_expect_lpar(p);
    const wat_token *kw = wat_next(p);
    bool invoke = wat_is_atom(kw, p->src, "invoke");
    if (!invoke && !wat_is_atom(kw, p->src, "get"))
        wat_fail_at(p, kw, "expected an action (invoke or get)");
    putf(s, ", \"action\": {\"type\": \"%s\"", invoke ? "invoke" : "get");
    const wat_token *id = wat_peek(p, 0);
    if (wat_tok_is_id(p, id)) {
        wat_next(p);
        put(s, ", \"module\": ");
        put_token_str(s, id);
    }
    size_t n;
    uint8_t *name = wat_string(p, wat_peek(p, 0), &n);
    wat_next(p);
    put(s, ", \"field\": ");
    put_str(s, name, n);
    if (invoke) {
        put(s, ", \"args\": [");
        bool first = true;
        while (wat_peek(p, 0)->kind == TOK_LPAR) {
            if (!first)
                put(s, ", ");
            first = false;
            value(s, false);
        }
        put(s, "]");
    }
    put(s, "}");
    wat_expect_rpar(p);
}

static void text_field(script *s)
{
    size_t n;
    uint8_t *t = wat_string(s->p, wat_peek(s->p, 0), &n);
    wat_next(s->p);
    put(s, ", \"text\": ");
    put_str(s, t, n);
}

/* ---- commands ----
 * A command's "line" is wast2json's: the line of its "(" for module,
 * register and actions, and of the module or action inside an assertion, so
 * that failures have the same FILE:LINE keys along either path. */

static void command(script *s)
{
    wat_parser *p = s->p;
    const wat_token *open = wat_peek(p, 0);
    if (open->kind != TOK_LPAR)
        wat_fail(p, "expected a command '(...)'");
    const wat_token *kw = wat_peek(p, 1);
    const char *src = p->src;
    if (wat_is_atom(kw, src, "module") && wat_is_atom(wat_peek(p, 2), src, "instance")) {
        /* (module instance $I? $M?): instantiate a definition */
        begin_cmd(s, "module_instance", open);
        p->i += 3;
        const wat_token *a = wat_peek(p, 0), *b = wat_peek(p, 1);
        if (wat_tok_is_id(p, a) && wat_tok_is_id(p, b)) {
            put(s, ", \"name\": ");
            put_token_str(s, a);
            put(s, ", \"definition\": ");
            put_token_str(s, b);
            p->i += 2;
        } else if (wat_tok_is_id(p, a)) {
            put(s, ", \"definition\": ");
            put_token_str(s, a);
            p->i += 1;
        }
        put(s, "}");
        wat_expect_rpar(p);
        return;
    }
    if (wat_is_atom(kw, src, "module")) {
        bool definition = wat_is_atom(wat_peek(p, 2), src, "definition");
        begin_cmd(s, definition ? "module_definition" : "module", open);
        module_fields(s, true);
        put(s, "}");
        return;
    }
    wat_next(p);
    wat_next(p);
    if (wat_is_atom(kw, src, "register")) {
        begin_cmd(s, "register", open);
        size_t n;
        uint8_t *as = wat_string(p, wat_peek(p, 0), &n);
        wat_next(p);
        const wat_token *id = wat_peek(p, 0);
        if (wat_tok_is_id(p, id)) {
            wat_next(p);
            put(s, ", \"name\": ");
            put_token_str(s, id);
        }
        put(s, ", \"as\": ");
        put_str(s, as, n);
    } else if (wat_is_atom(kw, src, "invoke") || wat_is_atom(kw, src, "get")) {
        p->i -= 2;
        begin_cmd(s, "action", open);
        action(s);
        put(s, ", \"expected\": []}");
        return;
    } else if (wat_is_atom(kw, src, "assert_return")) {
        begin_cmd(s, "assert_return", wat_peek(p, 0));
        action(s);
        put(s, ", \"expected\": [");
        bool first = true;
        while (wat_peek(p, 0)->kind == TOK_LPAR) {
            if (!first)
                put(s, ", ");
            first = false;
            value(s, true);
        }
        put(s, "]");
    } else if (wat_is_atom(kw, src, "assert_trap") || wat_is_atom(kw, src, "assert_exhaustion") ||
               wat_is_atom(kw, src, "assert_exception")) {
        char type[32];
        snprintf(type, sizeof type, "%.*s", (int)kw->len, src + kw->pos);
        if (wat_at_open(p, "module")) {
            /* a module whose instantiation traps */
            begin_cmd(s, "assert_uninstantiable", wat_peek(p, 0));
            module_fields(s, false);
        } else {
            begin_cmd(s, type, wat_peek(p, 0));
            action(s);
        }
        if (wat_peek(p, 0)->kind == TOK_STRING)
            text_field(s);
    } else if (wat_is_atom(kw, src, "assert_malformed") || wat_is_atom(kw, src, "assert_invalid") ||
               wat_is_atom(kw, src, "assert_unlinkable") || wat_is_atom(kw, src, "assert_uninstantiable")) {
        char type[32];
        snprintf(type, sizeof type, "%.*s", (int)kw->len, src + kw->pos);
        begin_cmd(s, type, wat_peek(p, 0));
        module_fields(s, false);
        text_field(s);
    } else {
        wat_fail_at(p, kw, "expected a script command (module, register, invoke, get, assert_...)");
    }
    put(s, "}");
    wat_expect_rpar(p);
}

static bool starts_with_field(script *s)
{
    static const char *const fields[] = {"type", "rec", "import", "func", "table", "memory", "tag",
                                         "global", "export", "start", "elem", "data"};
    for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
        if (wat_at_open(s->p, fields[k]))
            return true;
    return false;
}

bool wast_read(const char *text, size_t len, const char *source_name, wast_script *out, wat_error *err)
{
    return wast_read_profile(text, len, source_name, WAT_PROFILE_3_0, out, err);
}

bool wast_read_profile(const char *text, size_t len, const char *source_name, wat_profile profile,
                       wast_script *out, wat_error *err)
{
    memset(out, 0, sizeof *out);
    memset(err, 0, sizeof *err);
    wat_parser p;
    memset(&p, 0, sizeof p);
    p.err = err;
    p.narrow_sizes = profile == WAT_PROFILE_2_0;
    p.funcref_index_form = profile == WAT_PROFILE_2_0;
    script s;
    memset(&s, 0, sizeof s);
    s.p = &p;
    s.out = out;
    s.first_cmd = true;
    if (len > UINT32_MAX) {
        snprintf(err->message, sizeof err->message, "script larger than 4 GiB");
        return false;
    }
    if (setjmp(p.fail)) {
        wat_parser_free(&p);
        wast_script_free(out);
        return false;
    }
    p.src = text;
    p.src_len = len;
    p.in_script = true;
    wat_lex(&p, text, len, &p.lex);
    put(&s, "{\"source_filename\": ");
    put_cstr(&s, source_name);
    put(&s, ",\n\"commands\": [\n");
    if (starts_with_field(&s)) {
        /* A script that is one module's fields (inline-module.wast). */
        const wat_token *at = wat_peek(&p, 0);
        wat_buf bytes = {0};
        wat_read_module(&p, false, &bytes);
        if (wat_peek(&p, 0)->kind != TOK_EOF)
            wat_fail(&p, "expected a module field");
        begin_cmd(&s, "module", at);
        put(&s, ", \"filename\": ");
        put_cstr(&s, add_blob(&s, bytes.data, bytes.len, true));
        put(&s, ", \"module_type\": \"binary\"}");
    }
    while (wat_peek(&p, 0)->kind != TOK_EOF)
        command(&s);
    put(&s, "]}\n");
    out->json = malloc(s.json.len + 1);
    if (!out->json) {
        wat_parser_free(&p);
        wast_script_free(out);
        snprintf(err->message, sizeof err->message, "out of memory");
        return false;
    }
    memcpy(out->json, s.json.data, s.json.len);
    out->json[s.json.len] = '\0';
    out->json_len = s.json.len;
    wat_parser_free(&p);
    return true;
}

void wast_script_free(wast_script *s)
{
    for (size_t k = 0; k < s->nblobs; k++)
        free(s->blobs[k].bytes);
    free(s->blobs);
    free(s->json);
    memset(s, 0, sizeof *s);
}

const wast_blob *wast_blob_find(const wast_script *s, const char *name)
{
    for (size_t k = 0; k < s->nblobs; k++)
        if (strcmp(s->blobs[k].name, name) == 0)
            return &s->blobs[k];
    return NULL;
}
