/* The tool bridge: opening the tool set (built-ins, then user directories),
 * and one call from start to audit record. The parts are in bridge_*.c:
 * schema (input validation), manifest, caps (the intersection), watch
 * (cancel, deadline), run (the sandbox), result. */
#include "bridge_internal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_MANIFEST_BYTES (1u << 20)
#define MAX_MODULE_BYTES ((size_t)1 << 30)

struct wbt_bridge {
    wbt_tool *tools;
    size_t ntools;
    const wb_policy *policy; /* the operator's (or empty, below) */
    wb_policy empty;
    char *workspace;         /* absolute, or NULL */
    bool ws_writable;
};

/* ---- files ---- */

static char *read_file(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            if (cap > max) {
                snprintf(err, errlen, "%s: larger than %zu bytes", path, max);
                goto fail;
            }
            cap = cap ? cap * 2 : 65536;
            char *nb = realloc(buf, cap + 1);
            if (!nb) {
                snprintf(err, errlen, "%s: out of memory", path);
                goto fail;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f) || n > max) {
        snprintf(err, errlen, "%s: %s", path, n > max ? "too large" : "read error");
        goto fail;
    }
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
fail:
    fclose(f);
    free(buf);
    return NULL;
}

static bool is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The built-in directory (bridge.h, builtin_dir): "" when there is none to
 * load; false with err when the default places hold nothing. */
static bool builtin_dir(const char *given, char *out, size_t len, char *err, size_t errlen)
{
    if (given) {
        snprintf(out, len, "%s", given);
        return true;
    }
    const char *env = getenv("WASMBOX_BUILTIN_DIR");
    if (env && *env) {
        snprintf(out, len, "%s", env);
        return true;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        snprintf(err, errlen, "cannot find the built-in tools (/proc/self/exe: %s); set "
                              "WASMBOX_BUILTIN_DIR or --builtin-dir", strerror(errno));
        return false;
    }
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = 0;
    if ((size_t)snprintf(out, len, "%.*s/tools", PATH_MAX - 32, exe) < len && is_dir(out))
        return true;
    if ((size_t)snprintf(out, len, "%.*s/../lib/wasmbox/tools", PATH_MAX - 32, exe) < len &&
        is_dir(out))
        return true;
    snprintf(err, errlen, "cannot find the built-in tools: neither %s/tools nor "
                          "%s/../lib/wasmbox/tools is a directory; set WASMBOX_BUILTIN_DIR or "
                          "--builtin-dir", exe, exe);
    return false;
}

static int json_file(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return d->d_name[0] != '.' && n > 5 && !strcmp(d->d_name + n - 5, ".json");
}

/* The tool's module, compiled on first use; NULL with err when it cannot be. */
static wb_module *module_of(wbt_tool *t, char *err, size_t errlen)
{
    pthread_mutex_lock(&t->mu);
    if (!t->module && !t->compile_error) {
        size_t len;
        char why[600];
        char *bytes = read_file(t->module_path, MAX_MODULE_BYTES, &len, why, sizeof why);
        wb_error werr;
        memset(&werr, 0, sizeof werr);
        if (bytes)
            t->module = wb_module_compile((const uint8_t *)bytes, len, WB_TRANSLATE_OPTIMIZED,
                                          &werr);
        free(bytes);
        if (!t->module) {
            char msg[1200];
            snprintf(msg, sizeof msg, "cannot load the tool's module %s: %s", t->module_path,
                     bytes ? werr.message : why);
            t->compile_error = strdup(msg);
        }
    }
    wb_module *m = t->module;
    if (!m)
        snprintf(err, errlen, "%s", t->compile_error ? t->compile_error : "out of memory");
    pthread_mutex_unlock(&t->mu);
    return m;
}

static bool load_dir(wbt_bridge *b, const char *dir, char *err, size_t errlen)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, json_file, alphasort);
    if (n < 0) {
        snprintf(err, errlen, "%s: %s (a directory of tool manifests, *.json)", dir,
                 strerror(errno));
        return false;
    }
    bool ok = true;
    wbt_tool *grown = realloc(b->tools, (b->ntools + (size_t)n + 1) * sizeof *b->tools);
    if (!grown) {
        snprintf(err, errlen, "out of memory");
        ok = false;
    } else {
        b->tools = grown;
    }
    for (int i = 0; ok && i < n; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        size_t len;
        char *text = read_file(path, MAX_MANIFEST_BYTES, &len, err, errlen);
        wbt_tool *t = &b->tools[b->ntools];
        ok = text && wbt_manifest_parse(t, path, text, len, err, errlen);
        free(text);
        if (!ok)
            break;
        for (size_t j = 0; j < b->ntools; j++) {
            if (!strcmp(b->tools[j].name, t->name)) {
                snprintf(err, errlen, "%s: name: a tool named \"%s\" is already defined (by %s); "
                                      "rename one of them", path, t->name,
                         b->tools[j].module_path);
                ok = false;
            }
        }
        if (!ok) {
            wbt_tool_free(t);
            break;
        }
        b->ntools++;
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return ok;
}

int wbt_bridge_open(const wbt_bridge_config *cfg, wbt_bridge **out, char *err, size_t errlen)
{
    *out = NULL;
    wbt_bridge *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    wb_policy_init(&b->empty);
    b->policy = cfg->policy ? cfg->policy : &b->empty;
    char dir[PATH_MAX];
    if (!builtin_dir(cfg->builtin_dir, dir, sizeof dir, err, errlen))
        goto fail;
    if (dir[0] && !load_dir(b, dir, err, errlen))
        goto fail;
    for (size_t i = 0; i < cfg->n_tool_dirs; i++)
        if (!load_dir(b, cfg->tool_dirs[i], err, errlen))
            goto fail;
    if (cfg->workspace) {
        char abs[PATH_MAX];
        if (!realpath(cfg->workspace, abs) || !is_dir(abs)) {
            snprintf(err, errlen, "workspace: %s: %s", cfg->workspace,
                     errno ? strerror(errno) : "not a directory");
            goto fail;
        }
        b->workspace = strdup(abs);
        if (!b->workspace) {
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
        b->ws_writable = wbt_workspace_writable(b->policy, abs, cfg->workspace_read_only);
    }
    *out = b;
    return 0;
fail:
    wbt_bridge_close(b);
    return -1;
}

void wbt_bridge_close(wbt_bridge *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->ntools; i++)
        wbt_tool_free(&b->tools[i]);
    free(b->tools);
    free(b->workspace);
    wb_policy_free(&b->empty);
    free(b);
}

size_t wbt_bridge_count(const wbt_bridge *b)
{
    return b ? b->ntools : 0;
}

const cJSON *wbt_bridge_manifest(const wbt_bridge *b, size_t i)
{
    return b && i < b->ntools ? b->tools[i].manifest : NULL;
}

static wbt_tool *find(const wbt_bridge *b, const char *name)
{
    for (size_t i = 0; b && name && i < b->ntools; i++)
        if (!strcmp(b->tools[i].name, name))
            return &b->tools[i];
    return NULL;
}

const cJSON *wbt_bridge_find(const wbt_bridge *b, const char *name)
{
    const wbt_tool *t = find(b, name);
    return t ? t->manifest : NULL;
}

/* ---- one call ---- */

static void sha256_hex(const char *text, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    out[0] = 0;
    if (!EVP_Digest(text, len, md, &mdlen, EVP_sha256(), NULL))
        return;
    for (unsigned i = 0; i < mdlen && i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* What the call was granted, for the audit record. */
static cJSON *granted_json(const wbt_grant *g, const char *ws)
{
    static const char *const fs[] = {"none", "read", "write"};
    cJSON *o = cJSON_CreateObject(), *hosts = cJSON_CreateArray(), *env = cJSON_CreateArray();
    bool ok = o && hosts && env;
    ok = ok && cJSON_AddStringToObject(o, "filesystem", fs[g->fs]);
    ok = ok && (g->fs != WBT_FS_NONE ? cJSON_AddStringToObject(o, "workspace", ws)
                                     : cJSON_AddNullToObject(o, "workspace"));
    for (size_t i = 0; ok && i < g->policy.nallowed_outbound_hosts; i++) {
        char buf[320];
        wb_host_pattern_format(&g->policy.allowed_outbound_hosts[i], buf, sizeof buf);
        ok = cJSON_AddItemToArray(hosts, cJSON_CreateString(buf));
    }
    for (size_t i = 0; ok && i < g->policy.nenv; i++) {
        const char *kv = g->policy.env[i], *eq = strchr(kv, '=');
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(eq ? eq - kv : (long)strlen(kv)), kv);
        ok = cJSON_AddItemToArray(env, cJSON_CreateString(name));
    }
    ok = ok && cJSON_AddItemToObject(o, "network", hosts);
    if (ok)
        hosts = NULL;
    ok = ok && cJSON_AddItemToObject(o, "env", env);
    if (ok)
        env = NULL;
    cJSON_Delete(hosts);
    cJSON_Delete(env);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static void audit_call(const wbt_bridge *b, wb_audit *a, const char *name, const char *sha,
                       const wbt_grant *g, const cJSON *res, const wbt_call_opts *opts)
{
    if (!a)
        return;
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(res, "meta");
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(meta, "status");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(meta, "exit_code");
    const cJSON *limit = cJSON_GetObjectItemCaseSensitive(meta, "limit");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(meta, "message");
    const cJSON *fuel = cJSON_GetObjectItemCaseSensitive(meta, "fuel_used");
    const cJSON *wall = cJSON_GetObjectItemCaseSensitive(meta, "wall_ms");
    wb_audit_field code_f = cJSON_IsNumber(code) ? (wb_audit_field)WB_INT("exit_code", code->valuedouble)
                                                 : (wb_audit_field)WB_NULL("exit_code");
    WB_AUDIT(a, "tool.call", WB_STR("tool", name), WB_STR("input_sha256", sha[0] ? sha : NULL),
             WB_STR("call_id", opts ? opts->call_id : NULL),
             WB_JSON("granted", g ? granted_json(g, b->workspace) : NULL),
             g ? (wb_audit_field)WB_LIMIT("timeout_ms", g->policy.timeout_ms)
               : (wb_audit_field)WB_NULL("timeout_ms"),
             g ? (wb_audit_field)WB_LIMIT("fuel", g->policy.fuel) : (wb_audit_field)WB_NULL("fuel"),
             WB_STR("status", cJSON_IsString(st) ? st->valuestring : "error"),
             WB_BOOL("is_error", cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(res, "is_error"))),
             code_f, WB_STR("limit", cJSON_IsString(limit) ? limit->valuestring : NULL),
             WB_STR("message", cJSON_IsString(msg) ? msg->valuestring : NULL),
             WB_UINT("fuel_used", cJSON_IsNumber(fuel) ? (uint64_t)fuel->valuedouble : 0),
             WB_UINT("wall_ms", cJSON_IsNumber(wall) ? (uint64_t)wall->valuedouble : 0));
}

/* The tool names, for "unknown tool" messages. */
static void tool_names(const wbt_bridge *b, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < b->ntools; i++) {
        int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", b->tools[i].name);
        if (w < 0 || (size_t)w >= len - used)
            break;
        used += (size_t)w;
    }
}

/* One call. input is the parsed input, or NULL with bad_input saying why
 * the text was not JSON; raw (len bytes) is what the digest is made of. */
static cJSON *call(wbt_bridge *b, const char *name, const cJSON *input, const char *bad_input,
                   const char *raw, size_t raw_len, const wbt_call_opts *opts)
{
    char msg[4096];
    if (!b)
        return wbt_result_error("no tool bridge (wbt_bridge_open failed or was not called)");
    wbt_tool *t = find(b, name);
    wb_audit *audit = NULL;
    if (b->policy->audit) {
        audit = wb_audit_open(b->policy->audit, msg, sizeof msg);
        /* A call that cannot be accounted for is not run. */
        if (!audit) {
            char text[4200];
            snprintf(text, sizeof text, "cannot open the audit log: %s", msg);
            return wbt_result_error(text);
        }
    }
    /* The caller's bytes when it gave them; else the input printed once. */
    char *text = input && !raw ? cJSON_PrintUnformatted(input) : NULL;
    /* The digest is for the audit record only: without a log it is not
     * made, which also spares a call OpenSSL's initialisation (~5M
     * instructions, reading openssl.cnf: tools/README.md "Speed"). */
    char sha[65] = "";
    if (audit && raw)
        sha256_hex(raw, raw_len, sha);
    else if (audit && text)
        sha256_hex(text, strlen(text), sha);
    cJSON *res = NULL;
    wbt_grant g;
    bool have_grant = false;
    if (!t) {
        char names[1024];
        tool_names(b, names, sizeof names);
        snprintf(msg, sizeof msg, "unknown tool '%.200s' (tools: %s)", name ? name : "(null)",
                 names);
        res = wbt_result_error(msg);
    } else if (!input) {
        snprintf(msg, sizeof msg, "%s: invalid input (the tool was not run):\n%s", t->name,
                 bad_input ? bad_input : "input: must be a JSON object (got nothing)");
        res = wbt_result_error(msg);
    } else if (!raw && !text) {
        res = NULL; /* out of memory */
    } else {
        char errs[3000];
        if (wbt_schema_validate(t->input_schema, input, "input", errs, sizeof errs)) {
            snprintf(msg, sizeof msg, "%s: invalid input (the tool was not run):\n%s", t->name,
                     errs);
            res = wbt_result_error(msg);
        } else if (!module_of(t, msg, sizeof msg)) {
            char text[4200];
            snprintf(text, sizeof text, "%s: %s", t->name, msg);
            res = wbt_result_error(text);
        } else if (!wbt_grant_make(&g, t, b->policy, b->workspace, b->ws_writable)) {
            res = NULL;
        } else {
            have_grant = true;
            wbt_run r;
            /* The caller's own bytes when there are any: cJSON cannot hold a
             * string with a NUL (\u0000) in it, nor every number exactly. */
            wbt_run_tool(t, &g, b->workspace, raw ? raw : text, raw ? raw_len : strlen(text),
                         opts, audit, &r);
            res = wbt_result_make(t, &r);
            wbt_run_free(&r);
        }
    }
    if (res)
        audit_call(b, audit, name, sha, have_grant ? &g : NULL, res, opts);
    if (have_grant)
        wbt_grant_free(&g);
    cJSON_free(text);
    wb_audit_close(audit);
    return res;
}

cJSON *wbt_bridge_call(wbt_bridge *b, const char *name, const cJSON *input,
                       const wbt_call_opts *opts)
{
    return call(b, name, input, NULL, NULL, 0, opts);
}

/* JSON text must be UTF-8 (RFC 8259): the first byte that is not, if any. */
static bool bad_utf8(const char *text, size_t len, size_t *at)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        size_t n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        bool ok = n && i + n <= len;
        for (size_t k = 1; ok && k < n; k++)
            ok = (s[i + k] & 0xC0) == 0x80;
        /* overlong 3- and 4-byte forms, surrogates, beyond U+10FFFF */
        if (ok && n == 3)
            ok = !(c == 0xE0 && s[i + 1] < 0xA0) && !(c == 0xED && s[i + 1] >= 0xA0);
        if (ok && n == 4)
            ok = !(c == 0xF0 && s[i + 1] < 0x90) && !(c == 0xF4 && s[i + 1] >= 0x90);
        if (!ok) {
            *at = i;
            return true;
        }
        i += n;
    }
    return false;
}

/* The first name given twice in one object (depth-first), or NULL. Objects
 * hold few keys; the bound on the input's size bounds the work too. */
static const char *duplicate_key(const cJSON *v, int depth)
{
    if (depth > WBT_SCHEMA_MAX_DEPTH)
        return NULL;
    for (const cJSON *a = v ? v->child : NULL; a; a = a->next) {
        if (cJSON_IsObject(v))
            for (const cJSON *b = a->next; b; b = b->next)
                if (a->string && b->string && !strcmp(a->string, b->string))
                    return a->string;
        const char *d = duplicate_key(a, depth + 1);
        if (d)
            return d;
    }
    return NULL;
}

static bool blank(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!strchr(" \t\r\n", text[i]) || !text[i])
            return false;
    return true;
}

/* Nesting deeper than the schema walk follows is refused before parsing
 * (cJSON would recurse a thousand levels first). Brackets inside strings do
 * not count. */
static bool too_deep(const char *text, size_t len, size_t *at)
{
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > WBT_SCHEMA_MAX_DEPTH) {
                *at = i;
                return true;
            }
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return false;
}

/* Where JSON text went wrong: up to 16 bytes before `at` and 8 from it,
 * control bytes shown as \xHH (the result must stay one readable line), then
 * ")". The caller's bytes need not be UTF-8: the result text is cleaned. */
static void show_near(const char *text, size_t len, size_t at, char *out, size_t outlen)
{
    size_t from = at > 16 ? at - 16 : 0, to = at + 8 < len ? at + 8 : len, o = 0;
    while (from < at && ((unsigned char)text[from] & 0xC0) == 0x80)
        from++;
    while (to < len && ((unsigned char)text[to] & 0xC0) == 0x80)
        to++;
    if (from && o + 4 < outlen)
        o += (size_t)snprintf(out + o, outlen - o, "...");
    for (size_t i = from; i < to && o + 6 < outlen; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 || c == 0x7F)
            o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", c);
        else
            out[o++] = (char)c;
    }
    snprintf(out + o, outlen - o, "%s)", to < len ? "..." : "");
}

cJSON *wbt_bridge_call_text(wbt_bridge *b, const char *name, const char *text, size_t len,
                            const wbt_call_opts *opts)
{
    char why[200];
    cJSON *in = NULL;
    size_t deep_at;
    if (len > WBT_MAX_INPUT_BYTES) {
        snprintf(why, sizeof why, "input: larger than %zu bytes (16 MiB); send less (e.g. "
                                  "write a large file in parts)", WBT_MAX_INPUT_BYTES);
    } else if (blank(text, len)) {
        snprintf(why, sizeof why, "input: not valid JSON: the input is empty (expected a JSON "
                                  "object)");
    } else if (too_deep(text, len, &deep_at)) {
        snprintf(why, sizeof why, "input: not valid JSON: nested more than %d levels deep (at "
                                  "byte %zu)", WBT_SCHEMA_MAX_DEPTH, deep_at);
    } else if (bad_utf8(text, len, &deep_at)) {
        snprintf(why, sizeof why, "input: not valid JSON: invalid UTF-8 at byte %zu (JSON text "
                                  "is UTF-8)", deep_at);
    } else if (memchr(text, 0, len)) {
        snprintf(why, sizeof why, "input: not valid JSON (a NUL byte at byte %zu)",
                 (size_t)((const char *)memchr(text, 0, len) - text));
    } else {
        const char *end = NULL;
        in = cJSON_ParseWithLengthOpts(text, len, &end, false);
        if (!in) {
            size_t at = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
            snprintf(why, sizeof why, "input: not valid JSON (near byte %zu%s%s)", at,
                     len ? ": " : ", the input is empty", "");
            if (len)
                show_near(text, len, at, why + strlen(why) - 1, sizeof why - strlen(why) + 1);
        } else {
            while (end && (size_t)(end - text) < len && strchr(" \t\r\n", *end))
                end++;
            const char *dup = NULL;
            if (end && (size_t)(end - text) < len) {
                snprintf(why, sizeof why,
                         "input: not valid JSON (more text after the value, at byte %zu)",
                         (size_t)(end - text));
                cJSON_Delete(in);
                in = NULL;
            } else if ((dup = duplicate_key(in, 0)) != NULL) {
                /* Two values for one name: the bridge and the tool could each
                 * take a different one. Refused, as the tools refuse it. */
                snprintf(why, sizeof why,
                         "input: not valid JSON: duplicate key \"%.100s\" in an object", dup);
                cJSON_Delete(in);
                in = NULL;
            }
        }
    }
    cJSON *res = call(b, name, in, why, text, len > WBT_MAX_INPUT_BYTES ? 0 : len, opts);
    cJSON_Delete(in);
    return res;
}
