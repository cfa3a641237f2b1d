/* Executes the commands of a wast2json script against the engine.
 *
 * Every counted command ends in exactly one pass() or fail(); fail() prints
 * "FILE:LINE: reason" on stdout, which run_spec.sh reads to match failures
 * against known_failures.txt.
 */
#include "spec_runner.h"

#include "spec_value.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* No spec test module comes near this; it bounds what a bad JSON can make us read. */
#define MAX_WASM_BYTES (64u << 20)
#define WHY_LEN 512

volatile long spec_current_line = -1;

static void pass(spec_ctx *ctx)
{
    ctx->passed++;
}

__attribute__((format(printf, 3, 4))) static void fail(spec_ctx *ctx, long line, const char *fmt, ...)
{
    printf("%s:%ld: ", ctx->wast_name, line);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    ctx->failed++;
}

/* Verbose-only remarks; they start with "note:" so that they never read as
 * failures. */
__attribute__((format(printf, 3, 4))) static void note(spec_ctx *ctx, long line, const char *fmt, ...)
{
    if (!ctx->verbose)
        return;
    printf("note: %s:%ld: ", ctx->wast_name, line);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

static const char *error_kind_name(wb_error_kind kind)
{
    switch (kind) {
    case WB_ERR_NONE: return "no error";
    case WB_ERR_MALFORMED: return "malformed";
    case WB_ERR_INVALID: return "invalid";
    case WB_ERR_LINK: return "unlinkable";
    case WB_ERR_TRAP: return "trap";
    case WB_ERR_LIMIT: return "limit";
    case WB_ERR_NOMEM: return "out of memory";
    }
    return "unknown error kind";
}

/* ---- name bindings ---- */

static bool bindings_find(const spec_bindings *b, const char *data, size_t len, wb_instance **out)
{
    for (size_t i = 0; i < b->count; i++) {
        if (spec_name_eq(&b->items[i].name, data, len)) {
            *out = b->items[i].instance;
            return true;
        }
    }
    return false;
}

/* Binds (or rebinds: the latest module of a name wins) name to inst. */
static bool bindings_set(spec_bindings *b, const spec_name *name, wb_instance *inst)
{
    for (size_t i = 0; i < b->count; i++) {
        if (spec_name_eq(&b->items[i].name, name->data, name->len)) {
            b->items[i].instance = inst;
            return true;
        }
    }
    if (b->count == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 8;
        spec_binding *items = realloc(b->items, cap * sizeof *items);
        if (!items)
            return false;
        b->items = items;
        b->cap = cap;
    }
    spec_binding *slot = &b->items[b->count];
    slot->name.data = malloc(name->len + 1);
    if (!slot->name.data)
        return false;
    if (name->len)
        memcpy(slot->name.data, name->data, name->len);
    slot->name.data[name->len] = '\0';
    slot->name.len = name->len;
    slot->instance = inst;
    b->count++;
    return true;
}

void spec_bindings_free(spec_bindings *b)
{
    for (size_t i = 0; i < b->count; i++)
        spec_name_free(&b->items[i].name);
    free(b->items);
    memset(b, 0, sizeof *b);
}

/* ---- modules ---- */

typedef enum module_stage {
    MODULE_OK,
    MODULE_RUNNER_ERROR, /* bad JSON or unreadable .wasm: not the engine's fault */
    MODULE_LOAD_FAILED,  /* wb_module_load refused it: err */
    MODULE_UNRESOLVED,   /* an import names nothing, or the wrong kind: why */
    MODULE_INSTANTIATE_FAILED, /* wb_instantiate refused it: err */
} module_stage;

typedef struct module_outcome {
    module_stage stage;
    wb_error err;
    char why[WHY_LEN];
    wb_instance *instance;
} module_outcome;

static const char *kind_name(wb_extern_kind kind)
{
    switch (kind) {
    case WB_EXTERN_FUNC: return "func";
    case WB_EXTERN_TABLE: return "table";
    case WB_EXTERN_MEMORY: return "memory";
    case WB_EXTERN_GLOBAL: return "global";
    case WB_EXTERN_TAG: return "tag";
    }
    return "?";
}

/* Finds what each import names. false (with why) when a module or field is
 * unknown or of another kind: those are link errors the runner detects, since
 * the engine only sees the externs it is handed. */
static bool resolve_imports(spec_ctx *ctx, const wb_module *mod, wb_extern *imports, uint32_t n,
                            char *why, size_t why_len)
{
    for (uint32_t i = 0; i < n; i++) {
        wb_extern_desc d;
        memset(&d, 0, sizeof d);
        wb_module_import(mod, i, &d);
        const char *mname = d.module ? d.module : "";
        const char *fname = d.name ? d.name : "";
        size_t mlen = d.module ? d.module_len : 0, flen = d.name ? d.name_len : 0;
        char mshow[128], fshow[128];
        spec_name_format(mname, mlen, mshow, sizeof mshow);
        spec_name_format(fname, flen, fshow, sizeof fshow);

        wb_instance *provider;
        bool found;
        if (bindings_find(&ctx->registered, mname, mlen, &provider)) {
            if (!provider) {
                snprintf(why, why_len, "unknown import \"%s\" \"%s\": module \"%s\" failed to instantiate",
                         mshow, fshow, mshow);
                return false;
            }
            found = wb_instance_export(provider, fname, flen, &imports[i]);
        } else if (mlen == 8 && memcmp(mname, "spectest", 8) == 0) {
            found = ctx->host && spec_host_lookup(ctx->host, fname, flen, &imports[i]);
        } else {
            snprintf(why, why_len, "unknown import \"%s\" \"%s\": no module \"%s\" registered", mshow,
                     fshow, mshow);
            return false;
        }
        if (!found) {
            snprintf(why, why_len, "unknown import \"%s\" \"%s\"", mshow, fshow);
            return false;
        }
        if (imports[i].kind != d.kind) {
            snprintf(why, why_len, "incompatible import type: \"%s\" \"%s\" is a %s, the module wants a %s",
                     mshow, fshow, kind_name(imports[i].kind), kind_name(d.kind));
            return false;
        }
    }
    return true;
}

static void load_and_link(spec_ctx *ctx, const uint8_t *bytes, size_t len, bool instantiate,
                          module_outcome *out);

/* Loads the command's .wasm file and, when instantiate is set, links and
 * instantiates it. */
static void build_module(spec_ctx *ctx, const cJSON *cmd, bool instantiate, module_outcome *out)
{
    memset(out, 0, sizeof *out);
    const char *filename = spec_json_str(cmd, "filename");
    if (!filename || !*filename || strchr(filename, '/')) {
        out->stage = MODULE_RUNNER_ERROR;
        snprintf(out->why, sizeof out->why, "command has no usable \"filename\"");
        return;
    }
    if (ctx->wast) {
        /* a module of a .wast read in-process (wat/wast.h) */
        const wast_blob *blob = wast_blob_find(ctx->wast, filename);
        if (!blob) {
            out->stage = MODULE_RUNNER_ERROR;
            snprintf(out->why, sizeof out->why, "no module \"%s\" in the script", filename);
            return;
        }
        load_and_link(ctx, blob->bytes, blob->len, instantiate, out);
        return;
    }
    size_t path_len = strlen(ctx->json_dir) + 1 + strlen(filename) + 1;
    char *path = malloc(path_len);
    if (!path) {
        out->stage = MODULE_RUNNER_ERROR;
        snprintf(out->why, sizeof out->why, "out of memory");
        return;
    }
    snprintf(path, path_len, "%s/%s", ctx->json_dir, filename);
    size_t len = 0;
    uint8_t *bytes = spec_read_file(path, MAX_WASM_BYTES, &len, out->why, sizeof out->why);
    free(path);
    if (!bytes) {
        out->stage = MODULE_RUNNER_ERROR;
        return;
    }
    load_and_link(ctx, bytes, len, instantiate, out);
    free(bytes);
}

/* Loads a module's bytes and, when instantiate is set, links and
 * instantiates it. */
static void load_and_link(spec_ctx *ctx, const uint8_t *bytes, size_t len, bool instantiate, module_outcome *out)
{
    wb_module *mod = wb_module_load(ctx->store, bytes, len, &out->err);
    if (!mod) {
        out->stage = MODULE_LOAD_FAILED;
        return;
    }
    if (!instantiate) {
        out->stage = MODULE_OK;
        return;
    }
    uint32_t n = wb_module_import_count(mod);
    wb_extern *imports = calloc(n ? n : 1, sizeof *imports);
    if (!imports) {
        out->stage = MODULE_RUNNER_ERROR;
        snprintf(out->why, sizeof out->why, "out of memory for %u imports", n);
        return;
    }
    if (!resolve_imports(ctx, mod, imports, n, out->why, sizeof out->why)) {
        out->stage = MODULE_UNRESOLVED;
        free(imports);
        return;
    }
    out->instance = wb_instantiate(ctx->store, mod, imports, n, &out->err);
    free(imports);
    out->stage = out->instance ? MODULE_OK : MODULE_INSTANTIATE_FAILED;
}

/* One line on why a module did not come to be. */
static void describe_outcome(const module_outcome *o, char *buf, size_t len)
{
    switch (o->stage) {
    case MODULE_OK: snprintf(buf, len, "module accepted"); return;
    case MODULE_RUNNER_ERROR: snprintf(buf, len, "runner error: %s", o->why); return;
    case MODULE_LOAD_FAILED:
        snprintf(buf, len, "load failed, %s: %s", error_kind_name(o->err.kind), o->err.message);
        return;
    case MODULE_UNRESOLVED: snprintf(buf, len, "unlinkable: %s", o->why); return;
    case MODULE_INSTANTIATE_FAILED:
        snprintf(buf, len, "instantiation failed, %s: %s", error_kind_name(o->err.kind), o->err.message);
        return;
    }
}

/* What `module` and `module instance` do with the module they built: it
 * becomes the current one, the command's "name" (if any) names it, and the
 * command passes when it instantiated. WHAT names the command in failures. */
static void take_module(spec_ctx *ctx, const cJSON *cmd, const module_outcome *o, const char *what,
                        long line)
{
    ctx->current = o->instance;
    const cJSON *name_item = cJSON_GetObjectItemCaseSensitive(cmd, "name");
    if (name_item) {
        spec_name name;
        if (!spec_json_name(&ctx->json, name_item, &name)) {
            fail(ctx, line, "%s: \"name\" is not a string", what);
            return;
        }
        bool bound = bindings_set(&ctx->named, &name, o->instance);
        spec_name_free(&name);
        if (!bound) {
            fail(ctx, line, "%s: out of memory binding its name", what);
            return;
        }
    }
    if (o->stage == MODULE_OK) {
        pass(ctx);
        return;
    }
    char text[WHY_LEN + 64];
    describe_outcome(o, text, sizeof text);
    fail(ctx, line, "%s: %s (expected it to instantiate)", what, text);
}

static void cmd_module(spec_ctx *ctx, const cJSON *cmd, long line)
{
    module_outcome o;
    build_module(ctx, cmd, true, &o);
    take_module(ctx, cmd, &o, "module", line);
}

/* ---- module definitions and instances (WebAssembly 3.0 scripts) ---- */

void spec_definitions_free(spec_definitions *d)
{
    for (size_t i = 0; i < d->count; i++) {
        spec_name_free(&d->items[i].name);
        free(d->items[i].filename);
    }
    free(d->items);
    memset(d, 0, sizeof *d);
}

/* (module definition $M? ...): the module must load; it is instantiated
 * only by (module instance ...). */
static void cmd_module_definition(spec_ctx *ctx, const cJSON *cmd, long line)
{
    module_outcome o;
    build_module(ctx, cmd, false, &o);
    const char *filename = spec_json_str(cmd, "filename");
    spec_name name = {NULL, 0};
    const cJSON *name_item = cJSON_GetObjectItemCaseSensitive(cmd, "name");
    if (name_item && !spec_json_name(&ctx->json, name_item, &name)) {
        fail(ctx, line, "module definition: \"name\" is not a string");
        return;
    }
    spec_definitions *d = &ctx->definitions;
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        spec_definition *items = realloc(d->items, cap * sizeof *items);
        if (!items) {
            spec_name_free(&name);
            fail(ctx, line, "module definition: out of memory");
            return;
        }
        d->items = items;
        d->cap = cap;
    }
    char *copy = strdup(filename ? filename : "");
    if (!copy) {
        spec_name_free(&name);
        fail(ctx, line, "module definition: out of memory");
        return;
    }
    d->items[d->count].name = name;
    d->items[d->count].filename = copy;
    d->count++;
    if (o.stage == MODULE_OK) {
        pass(ctx);
        return;
    }
    char what[WHY_LEN + 64];
    describe_outcome(&o, what, sizeof what);
    fail(ctx, line, "module definition: %s (expected it to load)", what);
}

/* (module instance $I? $M?): instantiates the definition named (the last
 * one when none is), binding $I like a module command binds its name. */
static void cmd_module_instance(spec_ctx *ctx, const cJSON *cmd, long line)
{
    const spec_definitions *d = &ctx->definitions;
    const spec_definition *def = NULL;
    const cJSON *def_item = cJSON_GetObjectItemCaseSensitive(cmd, "definition");
    if (def_item) {
        spec_name want;
        if (!spec_json_name(&ctx->json, def_item, &want)) {
            fail(ctx, line, "module instance: \"definition\" is not a string");
            return;
        }
        for (size_t i = d->count; i-- > 0 && !def;)
            if (spec_name_eq(&d->items[i].name, want.data, want.len))
                def = &d->items[i];
        spec_name_free(&want);
    } else if (d->count) {
        def = &d->items[d->count - 1];
    }
    if (!def) {
        ctx->current = NULL;
        fail(ctx, line, "module instance: no such module definition");
        return;
    }
    cJSON *fake = cJSON_CreateObject();
    if (!fake || !cJSON_AddStringToObject(fake, "filename", def->filename)) {
        cJSON_Delete(fake);
        fail(ctx, line, "module instance: out of memory");
        return;
    }
    module_outcome o;
    build_module(ctx, fake, true, &o);
    cJSON_Delete(fake);
    take_module(ctx, cmd, &o, "module instance", line);
}

/* The spec's prefix rule, as its reference interpreter applies it to trap
 * and error texts: the engine's message must start with the test's text (it
 * may add detail after it, never change or drop any of it). */
static bool text_matches(const char *got, const char *want)
{
    return got && want && strncmp(got, want, strlen(want)) == 0;
}

/* The reason of a load or instantiation error: what follows the
 * "<where>, offset 0x<hex>: " that every wb_error message starts with
 * (vm/README.md, Errors). NULL when the message is not of that form. */
static const char *error_reason(const char *message)
{
    const char *p = strstr(message, ", offset 0x");
    if (!p)
        return NULL;
    p += strlen(", offset 0x");
    size_t digits = strspn(p, "0123456789abcdef");
    if (digits == 0 || strncmp(p + digits, ": ", 2) != 0)
        return NULL;
    return p + digits + 2;
}

/* The reason a module did not come to be, to hold against the test's text:
 * the engine's, or the runner's own for an import it could not resolve. */
static const char *outcome_reason(const module_outcome *o)
{
    switch (o->stage) {
    case MODULE_LOAD_FAILED:
    case MODULE_INSTANTIATE_FAILED: return error_reason(o->err.message);
    case MODULE_UNRESOLVED: return o->why;
    case MODULE_OK:
    case MODULE_RUNNER_ERROR: break;
    }
    return NULL;
}

/* assert_invalid / assert_malformed: rejected at load, with that kind only,
 * for the test's reason. The spec fixes which rules are decoding (malformed)
 * and which validation (invalid), and its reference interpreter keeps them
 * apart; an engine that calls an invalid module malformed, or the reverse,
 * has put a rule in the wrong phase, so that fails too. */
static void cmd_assert_rejected(spec_ctx *ctx, const cJSON *cmd, long line, const char *type,
                                wb_error_kind want, const char *text)
{
    module_outcome o;
    build_module(ctx, cmd, false, &o);
    if (o.stage == MODULE_LOAD_FAILED && o.err.kind == want && text_matches(outcome_reason(&o), text)) {
        pass(ctx);
        return;
    }
    char what[WHY_LEN + 64];
    describe_outcome(&o, what, sizeof what);
    fail(ctx, line, "%s: %s (expected %s \"%s\")", type, what, error_kind_name(want), text);
}

static void cmd_assert_unlinkable(spec_ctx *ctx, const cJSON *cmd, long line, const char *text)
{
    module_outcome o;
    build_module(ctx, cmd, true, &o);
    if ((o.stage == MODULE_UNRESOLVED ||
         (o.stage == MODULE_INSTANTIATE_FAILED && o.err.kind == WB_ERR_LINK)) &&
        text_matches(outcome_reason(&o), text)) {
        pass(ctx);
        return;
    }
    char what[WHY_LEN + 64];
    describe_outcome(&o, what, sizeof what);
    fail(ctx, line, "assert_unlinkable: %s (expected unlinkable \"%s\")", what, text);
}

/* assert_uninstantiable, and assert_trap on a module: loads and links, then
 * instantiation traps (in a segment or the start function) with the test's
 * text. */
static void cmd_assert_uninstantiable(spec_ctx *ctx, const cJSON *cmd, long line, const char *type,
                                      const char *text)
{
    module_outcome o;
    build_module(ctx, cmd, true, &o);
    if (o.stage == MODULE_INSTANTIATE_FAILED && o.err.kind == WB_ERR_TRAP &&
        text_matches(outcome_reason(&o), text)) {
        pass(ctx);
        return;
    }
    char what[WHY_LEN + 64];
    describe_outcome(&o, what, sizeof what);
    fail(ctx, line, "%s: %s (expected a trap \"%s\" while instantiating)", type, what, text);
}

/* ---- actions ---- */

typedef struct action_outcome {
    bool ran;          /* false: the action could not be made; why says why */
    wb_status status;
    char trap[256];    /* the trap message when status != WB_OK */
    wb_value *results;
    uint32_t nresults;
    char why[WHY_LEN];
} action_outcome;

static void action_outcome_free(action_outcome *o)
{
    free(o->results);
    o->results = NULL;
}

static bool find_action_instance(spec_ctx *ctx, const cJSON *action, wb_instance **out, char *why,
                                 size_t why_len)
{
    const cJSON *module_item = cJSON_GetObjectItemCaseSensitive(action, "module");
    if (!module_item) {
        if (!ctx->current) {
            snprintf(why, why_len, "no module instantiated to act on (an earlier module failed)");
            return false;
        }
        *out = ctx->current;
        return true;
    }
    spec_name name;
    if (!spec_json_name(&ctx->json, module_item, &name)) {
        snprintf(why, why_len, "action \"module\" is not a string");
        return false;
    }
    char show[128];
    spec_name_format(name.data, name.len, show, sizeof show);
    bool found = bindings_find(&ctx->named, name.data, name.len, out);
    spec_name_free(&name);
    if (!found) {
        snprintf(why, why_len, "no module named %s", show);
        return false;
    }
    if (!*out) {
        snprintf(why, why_len, "module %s failed to instantiate", show);
        return false;
    }
    return true;
}

/* Builds and runs the call (or global read) an action describes. */
static void run_action(spec_ctx *ctx, const cJSON *action, action_outcome *o)
{
    memset(o, 0, sizeof *o);
    if (!cJSON_IsObject(action)) {
        snprintf(o->why, sizeof o->why, "command has no \"action\" object");
        return;
    }
    const char *type = spec_json_str(action, "type");
    bool is_get = type && strcmp(type, "get") == 0;
    if (!is_get && !(type && strcmp(type, "invoke") == 0)) {
        snprintf(o->why, sizeof o->why, "unknown action type \"%s\"", type ? type : "(missing)");
        return;
    }
    wb_instance *inst;
    if (!find_action_instance(ctx, action, &inst, o->why, sizeof o->why))
        return;
    spec_name field;
    if (!spec_json_name(&ctx->json, cJSON_GetObjectItemCaseSensitive(action, "field"), &field)) {
        snprintf(o->why, sizeof o->why, "action has no \"field\" string");
        return;
    }
    char show[128];
    spec_name_format(field.data, field.len, show, sizeof show);
    wb_extern ext;
    bool found = wb_instance_export(inst, field.data, field.len, &ext);
    spec_name_free(&field);
    if (!found) {
        snprintf(o->why, sizeof o->why, "no export \"%s\"", show);
        return;
    }

    if (is_get) {
        if (ext.kind != WB_EXTERN_GLOBAL) {
            snprintf(o->why, sizeof o->why, "export \"%s\" is a %s, not a global", show, kind_name(ext.kind));
            return;
        }
        o->results = calloc(1, sizeof *o->results);
        if (!o->results) {
            snprintf(o->why, sizeof o->why, "out of memory");
            return;
        }
        o->results[0] = wb_global_get(ext.of.global);
        o->nresults = 1;
        o->ran = true;
        o->status = WB_OK;
        return;
    }

    if (ext.kind != WB_EXTERN_FUNC) {
        snprintf(o->why, sizeof o->why, "export \"%s\" is a %s, not a func", show, kind_name(ext.kind));
        return;
    }
    const cJSON *args_item = cJSON_GetObjectItemCaseSensitive(action, "args");
    if (args_item && !cJSON_IsArray(args_item)) {
        snprintf(o->why, sizeof o->why, "action \"args\" is not an array");
        return;
    }
    int nargs = args_item ? cJSON_GetArraySize(args_item) : 0;
    wb_functype ft;
    memset(&ft, 0, sizeof ft);
    wb_func_type(ext.of.func, &ft);
    if (nargs < 0 || (uint32_t)nargs != ft.nparams) {
        snprintf(o->why, sizeof o->why, "\"%s\" takes %u arguments, the test gives %d", show, ft.nparams,
                 nargs);
        return;
    }
    wb_value *args = calloc(ft.nparams ? ft.nparams : 1, sizeof *args);
    o->results = calloc(ft.nresults ? ft.nresults : 1, sizeof *o->results);
    if (!args || !o->results) {
        free(args);
        snprintf(o->why, sizeof o->why, "out of memory");
        return;
    }
    int i = 0;
    const cJSON *arg;
    cJSON_ArrayForEach(arg, args_item)
    {
        char why[WHY_LEN - 32];
        if (!spec_parse_arg(arg, &args[i], why, sizeof why)) {
            snprintf(o->why, sizeof o->why, "argument %d: %s", i, why);
            free(args);
            return;
        }
        if (!ft.params || args[i].type != ft.params[i]) {
            snprintf(o->why, sizeof o->why, "argument %d is %s, \"%s\" wants %s", i,
                     spec_type_name(args[i].type), show,
                     ft.params ? spec_type_name(ft.params[i]) : "(no type)");
            free(args);
            return;
        }
        i++;
    }
    o->status = wb_func_call(ctx->store, ext.of.func, args, ft.nparams, o->results, ft.nresults);
    free(args);
    o->ran = true;
    if (o->status == WB_OK) {
        o->nresults = ft.nresults;
    } else {
        const char *msg = wb_store_trap_message(ctx->store);
        if (!msg || !*msg)
            msg = wb_status_message(o->status);
        snprintf(o->trap, sizeof o->trap, "%s", msg ? msg : "");
    }
}

/* "a, b, c" of the results. */
static void format_results(const wb_value *vals, uint32_t n, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    if (n == 0)
        snprintf(buf, len, "no results");
    for (uint32_t i = 0; i < n && used + 1 < len; i++) {
        char one[96];
        spec_format_value(&vals[i], one, sizeof one);
        int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", one);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* What an action produced, for a failure message. */
static void describe_action(const action_outcome *o, char *buf, size_t len)
{
    if (o->status == WB_OK)
        format_results(o->results, o->nresults, buf, len);
    else if (o->status == WB_BAD_CALL)
        snprintf(buf, len, "the engine refused the call as a bad call");
    else
        snprintf(buf, len, "trap \"%s\"", o->trap);
}

static void cmd_action(spec_ctx *ctx, const cJSON *cmd, long line)
{
    action_outcome o;
    run_action(ctx, cJSON_GetObjectItemCaseSensitive(cmd, "action"), &o);
    if (!o.ran)
        fail(ctx, line, "action: %s", o.why);
    else if (o.status != WB_OK) {
        char got[512];
        describe_action(&o, got, sizeof got);
        fail(ctx, line, "action: failed (expected it to complete, got %s)", got);
    } else
        pass(ctx);
    action_outcome_free(&o);
}

#define MAX_SHOWN_RESULTS 8

/* assert_return against EXPECTED (the command's array of expected values). */
static void assert_return_of(spec_ctx *ctx, const cJSON *cmd, const cJSON *expected, long line)
{
    if (!cJSON_IsArray(expected)) {
        fail(ctx, line, "assert_return: command has no \"expected\" array");
        return;
    }
    int nexp = cJSON_GetArraySize(expected);
    spec_expect *want = calloc(nexp > 0 ? (size_t)nexp : 1, sizeof *want);
    if (!want) {
        fail(ctx, line, "assert_return: out of memory");
        return;
    }
    int i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, expected)
    {
        char why[WHY_LEN];
        if (!spec_parse_expect(item, &want[i], why, sizeof why)) {
            fail(ctx, line, "assert_return: expected value %d: %s", i, why);
            for (int k = 0; k < i; k++)
                spec_expect_free(&want[k]);
            free(want);
            return;
        }
        i++;
    }

    char want_text[1024] = "";
    size_t used = 0;
    if (nexp == 0)
        snprintf(want_text, sizeof want_text, "no results");
    for (i = 0; i < nexp && used + 1 < sizeof want_text; i++) {
        char one[96];
        spec_format_expect(&want[i], one, sizeof one);
        int w = snprintf(want_text + used, sizeof want_text - used, "%s%s", i ? ", " : "", one);
        if (w < 0)
            break;
        used += (size_t)w;
    }

    action_outcome o;
    run_action(ctx, cJSON_GetObjectItemCaseSensitive(cmd, "action"), &o);
    char got[1024];
    if (!o.ran) {
        fail(ctx, line, "assert_return: %s", o.why);
    } else if (o.status != WB_OK || o.nresults != (uint32_t)nexp) {
        describe_action(&o, got, sizeof got);
        fail(ctx, line, "assert_return: wrong outcome (expected %s, got %s)", want_text, got);
    } else {
        bool ok = true;
        for (i = 0; i < nexp && ok; i++)
            ok = spec_value_matches(&want[i], &o.results[i]);
        if (ok) {
            pass(ctx);
        } else {
            describe_action(&o, got, sizeof got);
            fail(ctx, line, "assert_return: wrong result (expected %s, got %s)", want_text, got);
        }
    }
    action_outcome_free(&o);
    for (i = 0; i < nexp; i++)
        spec_expect_free(&want[i]);
    free(want);
}

static void cmd_assert_return(spec_ctx *ctx, const cJSON *cmd, long line)
{
    const cJSON *expected = cJSON_GetObjectItemCaseSensitive(cmd, "expected");
    const cJSON *either = cJSON_GetObjectItemCaseSensitive(cmd, "either");
    cJSON *made = NULL;
    if (!expected && cJSON_IsArray(either)) {
        /* wast2json writes (either R1 R2 ...) of a one-result action as
         * "either": [R1, R2, ...] beside no "expected"; our reader writes
         * it as one expected value {"type": "either", "values": [...]}:
         * the same, so both go through spec_parse_expect's either */
        cJSON *one = cJSON_CreateObject(), *values = cJSON_Duplicate(either, true);
        made = cJSON_CreateArray();
        if (!one || !values || !made || !cJSON_AddStringToObject(one, "type", "either")) {
            cJSON_Delete(one), cJSON_Delete(values), cJSON_Delete(made);
            fail(ctx, line, "assert_return: out of memory");
            return;
        }
        cJSON_AddItemToObject(one, "values", values);
        cJSON_AddItemToArray(made, one);
        expected = made;
    }
    assert_return_of(ctx, cmd, expected, line);
    cJSON_Delete(made);
}

static void cmd_assert_trap_action(spec_ctx *ctx, const cJSON *cmd, long line, const char *type,
                                   const char *text)
{
    action_outcome o;
    run_action(ctx, cJSON_GetObjectItemCaseSensitive(cmd, "action"), &o);
    if (!o.ran) {
        fail(ctx, line, "%s: %s", type, o.why);
    } else if (o.status != WB_OK && o.status != WB_BAD_CALL && o.status != WB_EXIT &&
               o.status != WB_EXCEPTION && text_matches(o.trap, text)) {
        pass(ctx);
    } else {
        char got[1024];
        describe_action(&o, got, sizeof got);
        fail(ctx, line, "%s: wrong outcome (expected trap \"%s\", got %s)", type, text, got);
    }
    action_outcome_free(&o);
}

/* assert_exception (3.0, exception handling): the action must end in an
 * exception no handler caught (WB_EXCEPTION), not a trap nor results. */
static void cmd_assert_exception(spec_ctx *ctx, const cJSON *cmd, long line)
{
    action_outcome o;
    run_action(ctx, cJSON_GetObjectItemCaseSensitive(cmd, "action"), &o);
    if (!o.ran) {
        fail(ctx, line, "assert_exception: %s", o.why);
    } else if (o.status == WB_EXCEPTION) {
        pass(ctx);
    } else {
        char got[1024];
        describe_action(&o, got, sizeof got);
        fail(ctx, line, "assert_exception: expected an uncaught exception, got %s", got);
    }
    action_outcome_free(&o);
}

/* ---- dispatch ---- */

/* assert_malformed on a text-format module (`module quote`): wast2json can
 * only write it as .wat text, which tests a text parser; the engine reads
 * binary modules. Such commands are not run, and counted apart so that
 * run_spec.sh can hold their number to expected_counts.txt. A text module in
 * any other command is not expected from wast2json and fails. */
static bool is_text_malformed(const cJSON *cmd)
{
    const char *type = spec_json_str(cmd, "type");
    const char *mt = spec_json_str(cmd, "module_type");
    return type && strcmp(type, "assert_malformed") == 0 && mt && strcmp(mt, "text") == 0;
}

/* A text module our own reader (wat/) refused: "text_error" says why. */
static const char *text_error(const cJSON *cmd)
{
    return spec_json_str(cmd, "text_error");
}

bool spec_command_counts(const cJSON *command)
{
    const char *type = spec_json_str(command, "type");
    if (type && strcmp(type, "register") == 0)
        return false;
    return text_error(command) || !is_text_malformed(command);
}

static void cmd_register(spec_ctx *ctx, const cJSON *cmd, long line)
{
    spec_name as;
    if (!spec_json_name(&ctx->json, cJSON_GetObjectItemCaseSensitive(cmd, "as"), &as)) {
        fail(ctx, line, "register: no \"as\" string");
        return;
    }
    wb_instance *inst = ctx->current;
    const cJSON *name_item = cJSON_GetObjectItemCaseSensitive(cmd, "name");
    if (name_item) {
        spec_name name;
        bool found = false;
        if (spec_json_name(&ctx->json, name_item, &name)) {
            found = bindings_find(&ctx->named, name.data, name.len, &inst);
            spec_name_free(&name);
        }
        if (!found) {
            fail(ctx, line, "register: \"name\" names no module");
            spec_name_free(&as);
            return;
        }
    }
    /* A failed module is registered as NULL: importing from it is then
     * reported as such; the failure itself was counted at its module command. */
    if (!bindings_set(&ctx->registered, &as, inst))
        fail(ctx, line, "register: out of memory");
    spec_name_free(&as);
}

void spec_run_command(spec_ctx *ctx, const cJSON *cmd)
{
    long line = spec_json_line(cmd);
    if (line < 0)
        line = 0; /* no usable "line": still a well-formed FILE:LINE key */
    spec_current_line = line;
    if (!cJSON_IsObject(cmd)) {
        fail(ctx, line, "command is not a JSON object");
        return;
    }
    const char *type = spec_json_str(cmd, "type");
    if (!type) {
        fail(ctx, line, "command has no \"type\" string");
        return;
    }
    if (text_error(cmd)) {
        /* assert_malformed on text: the reader must refuse it (its messages
         * are its own, so the test's text is not compared). Any other
         * command wanted the text read. */
        if (strcmp(type, "assert_malformed") == 0) {
            note(ctx, line, "text refused (test: \"%s\"): %s", spec_json_str(cmd, "text") ? spec_json_str(cmd, "text") : "",
                 text_error(cmd));
            pass(ctx);
        }
        else
            fail(ctx, line, "%s: text module not read: %s", type, text_error(cmd));
        if (strcmp(type, "module") == 0) {
            /* like a module that failed to load: the actions after it must
             * not run against the module before it (nor a name it reuses) */
            ctx->current = NULL;
            const cJSON *name_item = cJSON_GetObjectItemCaseSensitive(cmd, "name");
            spec_name name;
            if (name_item && spec_json_name(&ctx->json, name_item, &name)) {
                if (!bindings_set(&ctx->named, &name, NULL))
                    fail(ctx, line, "module: out of memory binding its name");
                spec_name_free(&name);
            }
        }
        return;
    }
    if (is_text_malformed(cmd)) {
        ctx->text_not_run++;
        note(ctx, line, "assert_malformed of a text module not run");
        return;
    }
    const char *mt = spec_json_str(cmd, "module_type");
    if (mt && strcmp(mt, "binary") != 0) {
        fail(ctx, line, "%s: module_type \"%s\": the runner runs binary modules only", type, mt);
        return;
    }
    const char *text = spec_json_str(cmd, "text");
    if (!text)
        text = "";

    if (strcmp(type, "module") == 0)
        cmd_module(ctx, cmd, line);
    else if (strcmp(type, "module_definition") == 0)
        cmd_module_definition(ctx, cmd, line);
    else if (strcmp(type, "module_instance") == 0)
        cmd_module_instance(ctx, cmd, line);
    else if (strcmp(type, "register") == 0)
        cmd_register(ctx, cmd, line);
    else if (strcmp(type, "action") == 0)
        cmd_action(ctx, cmd, line);
    else if (strcmp(type, "assert_return") == 0)
        cmd_assert_return(ctx, cmd, line);
    else if (strcmp(type, "assert_trap") == 0) {
        if (cJSON_GetObjectItemCaseSensitive(cmd, "action"))
            cmd_assert_trap_action(ctx, cmd, line, type, text);
        else
            cmd_assert_uninstantiable(ctx, cmd, line, type, text);
    } else if (strcmp(type, "assert_exhaustion") == 0)
        cmd_assert_trap_action(ctx, cmd, line, type, *text ? text : "call stack exhausted");
    else if (strcmp(type, "assert_invalid") == 0)
        cmd_assert_rejected(ctx, cmd, line, type, WB_ERR_INVALID, text);
    else if (strcmp(type, "assert_malformed") == 0)
        cmd_assert_rejected(ctx, cmd, line, type, WB_ERR_MALFORMED, text);
    else if (strcmp(type, "assert_unlinkable") == 0)
        cmd_assert_unlinkable(ctx, cmd, line, text);
    else if (strcmp(type, "assert_uninstantiable") == 0)
        cmd_assert_uninstantiable(ctx, cmd, line, type, text);
    else if (strcmp(type, "assert_exception") == 0)
        cmd_assert_exception(ctx, cmd, line);
    else
        fail(ctx, line, "unknown command type \"%s\"", type);
}
