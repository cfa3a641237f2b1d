/* Reading one tool manifest (tools/manifest.schema.json is the format).
 *
 * Strict: an unknown key, a wrong type, a bad value or a module file that is
 * not there is an error naming the file and the key, so a typo never turns
 * into a capability silently granted or a limit silently dropped. */
#include "bridge_internal.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_NAME 64
#define MAX_DESCRIPTION (64u << 10)

__attribute__((format(printf, 5, 6))) static bool fail(char *err, size_t errlen,
                                                        const char *file, const char *key,
                                                        const char *fmt, ...)
{
    char why[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (key)
        snprintf(err, errlen, "%s: %s: %s", file, key, why);
    else
        snprintf(err, errlen, "%s: %s", file, why);
    return false;
}

static bool only_keys(const cJSON *obj, const char *const *keys, size_t n, const char *file,
                      const char *prefix, char *err, size_t errlen)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, obj) {
        bool ok = false;
        for (size_t i = 0; i < n && !ok; i++)
            ok = !strcmp(m->string, keys[i]);
        if (!ok) {
            char key[160], list[200] = "";
            snprintf(key, sizeof key, "%s%.100s", prefix, m->string);
            size_t used = 0;
            for (size_t i = 0; i < n; i++) {
                int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", keys[i]);
                if (w < 0 || (size_t)w >= sizeof list - used)
                    break;
                used += (size_t)w;
            }
            return fail(err, errlen, file, key, "unknown key (allowed: %s)", list);
        }
    }
    return true;
}

static bool valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > MAX_NAME)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return false;
    }
    return true;
}

/* An environment variable name as POSIX spells one. */
static bool valid_env_name(const char *s)
{
    if (!*s || (*s >= '0' && *s <= '9'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

static bool parse_capabilities(wbt_tool *t, const cJSON *caps, const char *file, char *err,
                               size_t errlen)
{
    static const char *const keys[] = {"filesystem", "network", "env"};
    if (!cJSON_IsObject(caps))
        return fail(err, errlen, file, "capabilities",
                    "must be an object {\"filesystem\": ..., \"network\": ..., \"env\": [...]}");
    if (!only_keys(caps, keys, 3, file, "capabilities.", err, errlen))
        return false;
    const cJSON *fs = cJSON_GetObjectItemCaseSensitive(caps, "filesystem");
    if (!cJSON_IsString(fs) || (strcmp(fs->valuestring, "none") && strcmp(fs->valuestring, "read") &&
                                strcmp(fs->valuestring, "write")))
        return fail(err, errlen, file, "capabilities.filesystem",
                    "must be \"none\", \"read\" or \"write\" (what the tool needs of the "
                    "workspace)");
    t->fs = !strcmp(fs->valuestring, "none") ? WBT_FS_NONE
            : !strcmp(fs->valuestring, "read") ? WBT_FS_READ : WBT_FS_WRITE;

    const cJSON *net = cJSON_GetObjectItemCaseSensitive(caps, "network");
    if (cJSON_IsString(net) && !strcmp(net->valuestring, "none")) {
        t->network_none = true;
    } else if (cJSON_IsArray(net)) {
        int n = cJSON_GetArraySize(net);
        if (n > WB_POLICY_MAX_ENTRIES)
            return fail(err, errlen, file, "capabilities.network", "more than %d patterns",
                        WB_POLICY_MAX_ENTRIES);
        t->hosts = calloc((size_t)n + 1, sizeof *t->hosts);
        if (!t->hosts)
            return fail(err, errlen, file, NULL, "out of memory");
        const cJSON *e;
        cJSON_ArrayForEach(e, net) {
            char why[256], key[64];
            snprintf(key, sizeof key, "capabilities.network[%zu]", t->nhosts);
            if (!cJSON_IsString(e))
                return fail(err, errlen, file, key, "must be a host pattern string");
            if (!wb_host_pattern_parse(e->valuestring, &t->hosts[t->nhosts], why, sizeof why))
                return fail(err, errlen, file, key, "%s", why);
            t->nhosts++;
        }
    } else {
        return fail(err, errlen, file, "capabilities.network",
                    "must be \"none\" or a list of host patterns (\"https://*.example.org\"; "
                    "[\"*://*:*\"] for whatever the operator allows)");
    }

    const cJSON *env = cJSON_GetObjectItemCaseSensitive(caps, "env");
    if (env) {
        if (!cJSON_IsArray(env))
            return fail(err, errlen, file, "capabilities.env",
                        "must be a list of environment variable names");
        int n = cJSON_GetArraySize(env);
        if (n > WB_POLICY_MAX_ENTRIES)
            return fail(err, errlen, file, "capabilities.env", "more than %d names",
                        WB_POLICY_MAX_ENTRIES);
        t->env = calloc((size_t)n + 1, sizeof *t->env);
        if (!t->env)
            return fail(err, errlen, file, NULL, "out of memory");
        const cJSON *e;
        cJSON_ArrayForEach(e, env) {
            char key[64];
            snprintf(key, sizeof key, "capabilities.env[%zu]", t->nenv);
            if (!cJSON_IsString(e) || !valid_env_name(e->valuestring))
                return fail(err, errlen, file, key,
                            "must be a variable name (letters, digits, _; not starting with a "
                            "digit), without a value: values come from the operator's policy");
            t->env[t->nenv] = strdup(e->valuestring);
            if (!t->env[t->nenv++])
                return fail(err, errlen, file, NULL, "out of memory");
        }
    }
    return true;
}

/* One limit: a positive integer (exact), at most max. */
static bool limit_value(const cJSON *v, uint64_t max, uint64_t *out)
{
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= 1) || v->valuedouble > (double)max ||
        !wbt_is_whole(v->valuedouble))
        return false;
    *out = (uint64_t)v->valuedouble;
    return true;
}

static bool parse_limits(wbt_tool *t, const cJSON *lim, const char *file, char *err, size_t errlen)
{
    static const char *const keys[] = {"timeout", "fuel", "memory", "output", "stack"};
    if (!lim)
        return true;
    if (!cJSON_IsObject(lim))
        return fail(err, errlen, file, "limits",
                    "must be an object (timeout in ms, fuel in instructions, memory, output "
                    "and stack in bytes)");
    if (!only_keys(lim, keys, 5, file, "limits.", err, errlen))
        return false;
    /* Integers beyond 2^53 do not survive a JSON double exactly. */
    const uint64_t exact = (uint64_t)1 << 53;
    struct {
        const char *key;
        uint64_t *out, max;
        const char *unit;
    } f[] = {
        {"timeout", &t->limits.timeout_ms, exact, "milliseconds"},
        {"fuel", &t->limits.fuel, exact, "wasm instructions"},
        {"memory", &t->limits.memory, (uint64_t)4 << 30, "bytes (at most 4 GiB)"},
        {"output", &t->limits.output, exact, "bytes"},
        {"stack", &t->limits.stack, WB_MAX_STACK_CEILING, "bytes (at most 1 GiB)"},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(lim, f[i].key);
        char key[32];
        snprintf(key, sizeof key, "limits.%s", f[i].key);
        if (v && !limit_value(v, f[i].max, f[i].out))
            return fail(err, errlen, file, key, "must be a whole number >= 1 of %s", f[i].unit);
    }
    return true;
}

/* The module's absolute path: relative to the manifest's directory. */
static bool module_path(wbt_tool *t, const cJSON *mod, const char *file, char *err, size_t errlen)
{
    if (!cJSON_IsString(mod) || !mod->valuestring[0])
        return fail(err, errlen, file, "module",
                    "must be the module's file name, relative to the manifest (\"read.wasm\")");
    char dir[PATH_MAX];
    const char *slash = strrchr(file, '/');
    if (mod->valuestring[0] == '/')
        snprintf(dir, sizeof dir, "%s", "");
    else if (slash)
        snprintf(dir, sizeof dir, "%.*s/", (int)(slash - file), file);
    else
        snprintf(dir, sizeof dir, "./");
    char joined[PATH_MAX * 2];
    snprintf(joined, sizeof joined, "%s%s", dir, mod->valuestring);
    char abs[PATH_MAX];
    struct stat sb;
    if (!realpath(joined, abs) || stat(abs, &sb) != 0)
        return fail(err, errlen, file, "module", "%s: %s (build it, or fix the file name)",
                    joined, strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return fail(err, errlen, file, "module", "%s is not a file", joined);
    t->module_path = strdup(abs);
    return t->module_path || fail(err, errlen, file, NULL, "out of memory");
}

static cJSON *host_list(const wbt_tool *t)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < t->nhosts; i++) {
        char buf[320];
        wb_host_pattern_format(&t->hosts[i], buf, sizeof buf);
        if (!cJSON_AddItemToArray(arr, cJSON_CreateString(buf))) {
            cJSON_Delete(arr);
            return NULL;
        }
    }
    return arr;
}

/* The normalized manifest (bridge.h says its shape). */
static bool normalize(wbt_tool *t, const cJSON *root)
{
    static const char *const fs_names[] = {"none", "read", "write"};
    cJSON *m = cJSON_CreateObject();
    cJSON *caps = cJSON_CreateObject(), *lim = cJSON_CreateObject();
    cJSON *net = t->network_none ? cJSON_CreateString("none") : host_list(t);
    /* (cJSON makes no array from zero strings) */
    cJSON *env = t->nenv ? cJSON_CreateStringArray((const char *const *)t->env, (int)t->nenv)
                         : cJSON_CreateArray();
    bool ok = m && caps && lim && net && env;
    ok = ok && cJSON_AddItemToObject(m, "name",
                                     cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(root, "name"), 1));
    ok = ok && cJSON_AddItemToObject(m, "description",
                                     cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(root, "description"), 1));
    ok = ok && cJSON_AddItemToObject(m, "input_schema",
                                     cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(root, "input_schema"), 1));
    const cJSON *os = cJSON_GetObjectItemCaseSensitive(root, "output_schema");
    ok = ok && (!os || cJSON_AddItemToObject(m, "output_schema", cJSON_Duplicate(os, 1)));
    ok = ok && cJSON_AddStringToObject(caps, "filesystem", fs_names[t->fs]);
    ok = ok && cJSON_AddItemToObject(caps, "network", net);
    net = NULL;
    ok = ok && cJSON_AddItemToObject(caps, "env", env);
    env = NULL;
    ok = ok && cJSON_AddItemToObject(m, "capabilities", caps);
    caps = NULL;
    struct {
        const char *key;
        uint64_t v;
    } f[] = {{"timeout", t->limits.timeout_ms}, {"fuel", t->limits.fuel},
             {"memory", t->limits.memory},      {"output", t->limits.output},
             {"stack", t->limits.stack}};
    for (size_t i = 0; ok && i < sizeof f / sizeof f[0]; i++)
        if (f[i].v)
            ok = cJSON_AddNumberToObject(lim, f[i].key, (double)f[i].v) != NULL;
    ok = ok && cJSON_AddItemToObject(m, "limits", lim);
    lim = NULL;
    ok = ok && cJSON_AddStringToObject(m, "module", t->module_path);
    cJSON_Delete(caps);
    cJSON_Delete(lim);
    cJSON_Delete(net);
    cJSON_Delete(env);
    if (!ok) {
        cJSON_Delete(m);
        return false;
    }
    t->manifest = m;
    t->name = cJSON_GetObjectItemCaseSensitive(m, "name")->valuestring;
    t->input_schema = cJSON_GetObjectItemCaseSensitive(m, "input_schema");
    t->output_schema = cJSON_GetObjectItemCaseSensitive(m, "output_schema");
    return true;
}

bool wbt_manifest_parse(wbt_tool *t, const char *file, const char *text, size_t len, char *err,
                        size_t errlen)
{
    static const char *const keys[] = {"name",   "description", "input_schema", "output_schema",
                                       "module", "capabilities", "limits"};
    memset(t, 0, sizeof *t);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, false);
    bool ok = false;
    if (!root) {
        size_t off = end && end >= text ? (size_t)(end - text) : 0;
        fail(err, errlen, file, NULL, "not valid JSON (near byte %zu)", off);
        goto out;
    }
    while (end && (size_t)(end - text) < len && strchr(" \t\r\n", *end))
        end++;
    if (end && (size_t)(end - text) < len) {
        fail(err, errlen, file, NULL, "text after the JSON object (at byte %zu)",
             (size_t)(end - text));
        goto out;
    }
    if (!cJSON_IsObject(root)) {
        fail(err, errlen, file, NULL, "must be a JSON object (a tool manifest)");
        goto out;
    }
    if (!only_keys(root, keys, sizeof keys / sizeof keys[0], file, "", err, errlen))
        goto out;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
    if (!cJSON_IsString(name) || !valid_name(name->valuestring)) {
        fail(err, errlen, file, "name",
             "must be 1 to %d letters, digits, '_' or '-' (the name agents call the tool by)",
             MAX_NAME);
        goto out;
    }
    const cJSON *desc = cJSON_GetObjectItemCaseSensitive(root, "description");
    if (!cJSON_IsString(desc) || !desc->valuestring[0] ||
        strlen(desc->valuestring) > MAX_DESCRIPTION) {
        fail(err, errlen, file, "description",
             "must be a non-empty string (at most 64 KiB) telling a model what the tool does");
        goto out;
    }
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(root, "input_schema");
    if (!in) {
        fail(err, errlen, file, "input_schema", "missing (a JSON Schema of the tool's input)");
        goto out;
    }
    char where[600];
    snprintf(where, sizeof where, "%s: input_schema", file);
    if (!wbt_schema_check(in, where, err, errlen))
        goto out;
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(in, "type");
    if (!cJSON_IsString(type) || strcmp(type->valuestring, "object")) {
        fail(err, errlen, file, "input_schema.type",
             "must be \"object\" (a tool's input is one JSON object)");
        goto out;
    }
    const cJSON *os = cJSON_GetObjectItemCaseSensitive(root, "output_schema");
    snprintf(where, sizeof where, "%s: output_schema", file);
    if (os && !wbt_schema_check(os, where, err, errlen))
        goto out;
    if (!cJSON_GetObjectItemCaseSensitive(root, "capabilities")) {
        fail(err, errlen, file, "capabilities",
             "missing (say what the tool needs: {\"filesystem\": \"none\", \"network\": "
             "\"none\", \"env\": []} for nothing)");
        goto out;
    }
    if (!parse_capabilities(t, cJSON_GetObjectItemCaseSensitive(root, "capabilities"), file, err,
                            errlen) ||
        !parse_limits(t, cJSON_GetObjectItemCaseSensitive(root, "limits"), file, err, errlen) ||
        !module_path(t, cJSON_GetObjectItemCaseSensitive(root, "module"), file, err, errlen))
        goto out;
    if (!normalize(t, root)) {
        fail(err, errlen, file, NULL, "out of memory");
        goto out;
    }
    pthread_mutex_init(&t->mu, NULL);
    t->mu_ready = true;
    ok = true;
out:
    cJSON_Delete(root);
    if (!ok)
        wbt_tool_free(t);
    return ok;
}

void wbt_tool_free(wbt_tool *t)
{
    if (!t)
        return;
    cJSON_Delete(t->manifest);
    free(t->hosts);
    for (size_t i = 0; i < t->nenv; i++)
        free(t->env[i]);
    free(t->env);
    free(t->module_path);
    wb_module_unref(t->module);
    free(t->compile_error);
    if (t->mu_ready)
        pthread_mutex_destroy(&t->mu);
    memset(t, 0, sizeof *t);
}
