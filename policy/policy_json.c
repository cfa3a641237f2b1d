/* Loading a policy from JSON (cJSON). Every key is known, every type checked,
 * every value goes through the same setter as its CLI flag; messages read
 * "policy.json: block_networks[2]: <reason>". */
#include "policy_internal.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define POLICY_FILE_MAX (1u << 20)

typedef struct ctx {
    wb_policy *p;
    const char *name; /* file name for messages */
    const char *base; /* directory relative paths are taken from, or NULL */
    char *err;
    size_t errlen;
    const cJSON *root; /* the document, and the text it was parsed from */
    const char *text;
    size_t len;
} ctx;

static const char *type_name(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    if (cJSON_IsBool(v))
        return "a boolean";
    return "null";
}

static bool wrong_type(ctx *c, const char *origin, const char *want, const cJSON *v)
{
    return wbp_fail(c->err, c->errlen, origin, "expected %s, got %s", want, type_name(v));
}

/* "unknown key "max_memmory" (did you mean "max_memory"?)", or the list of
 * known keys when none is close. */
static bool unknown_key(ctx *c, const char *origin, const char *key, const char *const *known,
                        size_t nknown)
{
    wb_suggest sg;
    wb_suggest_init(&sg, key);
    for (size_t i = 0; i < nknown; i++)
        wb_suggest_add(&sg, known[i]);
    if (wb_suggest_best(&sg))
        return wbp_fail(c->err, c->errlen, origin, "unknown key \"%s\" (did you mean \"%s\"?)",
                        key, wb_suggest_best(&sg));
    char list[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < nknown && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", known[i]);
    return wbp_fail(c->err, c->errlen, origin, "unknown key \"%s\" (known: %s)", key, list);
}

/* Object members: no duplicates (cJSON keeps them all; a second "fuel" would
 * otherwise be silently ignored or silently win). */
static bool no_duplicate_keys(ctx *c, const char *origin, const cJSON *obj)
{
    if (cJSON_GetArraySize(obj) > WB_POLICY_MAX_ENTRIES)
        return wbp_fail(c->err, c->errlen, origin, "too many entries (at most %d)",
                        WB_POLICY_MAX_ENTRIES);
    for (const cJSON *a = obj->child; a; a = a->next)
        for (const cJSON *b = a->next; b; b = b->next)
            if (strcmp(a->string, b->string) == 0)
                return wbp_fail(c->err, c->errlen, origin, "duplicate key \"%s\"", a->string);
    return true;
}

typedef bool (*string_setter)(wb_policy *, const char *, const char *, char *, size_t);

static bool string_list(ctx *c, const char *key, const cJSON *v, string_setter set)
{
    char origin[300];
    snprintf(origin, sizeof origin, "%s: %s", c->name, key);
    if (!cJSON_IsArray(v))
        return wrong_type(c, origin, "an array of strings", v);
    if (cJSON_GetArraySize(v) > WB_POLICY_MAX_ENTRIES)
        return wbp_fail(c->err, c->errlen, origin, "too many entries (at most %d)",
                        WB_POLICY_MAX_ENTRIES);
    int i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        snprintf(origin, sizeof origin, "%s: %s[%d]", c->name, key, i);
        if (!cJSON_IsString(e))
            return wrong_type(c, origin, "a string", e);
        if (!set(c->p, origin, e->valuestring, c->err, c->errlen))
            return false;
    }
    return true;
}

static bool dir_object(ctx *c, const char *origin, const cJSON *e)
{
    if (!no_duplicate_keys(c, origin, e))
        return false;
    const char *host = NULL, *guest = NULL;
    bool read_only = false;
    char where[400];
    for (const cJSON *m = e->child; m; m = m->next) {
        snprintf(where, sizeof where, "%s.%s", origin, m->string);
        if (strcmp(m->string, "host") == 0 || strcmp(m->string, "guest") == 0) {
            if (!cJSON_IsString(m))
                return wrong_type(c, where, "a string", m);
            *(m->string[0] == 'h' ? &host : &guest) = m->valuestring;
        } else if (strcmp(m->string, "mode") == 0) {
            if (!cJSON_IsString(m))
                return wrong_type(c, where, "\"ro\" or \"rw\"", m);
            if (strcmp(m->valuestring, "ro") == 0)
                read_only = true;
            else if (strcmp(m->valuestring, "rw") != 0)
                return wbp_fail(c->err, c->errlen, where, "expected \"ro\" or \"rw\", got \"%s\"",
                                m->valuestring);
        } else {
            static const char *const dir_keys[] = {"host", "guest", "mode"};
            return unknown_key(c, origin, m->string, dir_keys, 3);
        }
    }
    if (!host)
        return wbp_fail(c->err, c->errlen, origin, "missing \"host\"");
    if (!host[0])
        return wbp_fail(c->err, c->errlen, origin, "empty host directory");
    char *joined = wbp_join(c->base, host);
    if (!joined)
        return wbp_fail(c->err, c->errlen, origin, "out of memory");
    bool ok = wbp_add_dir(c->p, origin, joined, guest, read_only, c->err, c->errlen);
    free(joined);
    return ok;
}

static bool dirs(ctx *c, const cJSON *v)
{
    char origin[300];
    snprintf(origin, sizeof origin, "%s: dirs", c->name);
    if (!cJSON_IsArray(v))
        return wrong_type(c, origin, "an array", v);
    if (cJSON_GetArraySize(v) > WB_POLICY_MAX_ENTRIES)
        return wbp_fail(c->err, c->errlen, origin, "too many entries (at most %d)",
                        WB_POLICY_MAX_ENTRIES);
    int i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        snprintf(origin, sizeof origin, "%s: dirs[%d]", c->name, i);
        bool ok;
        if (cJSON_IsString(e))
            ok = wbp_add_dir_spec(c->p, origin, e->valuestring, c->base, c->err, c->errlen);
        else if (cJSON_IsObject(e))
            ok = dir_object(c, origin, e);
        else
            return wrong_type(c, origin, "an object or a \"HOST::GUEST:ro\" string", e);
        if (!ok)
            return false;
    }
    return true;
}

static bool env(ctx *c, const cJSON *v)
{
    char origin[300];
    snprintf(origin, sizeof origin, "%s: env", c->name);
    if (!cJSON_IsObject(v))
        return wrong_type(c, origin, "an object of strings", v);
    if (!no_duplicate_keys(c, origin, v))
        return false;
    for (const cJSON *m = v->child; m; m = m->next) {
        snprintf(origin, sizeof origin, "%s: env.%s", c->name, m->string);
        if (!cJSON_IsString(m))
            return wrong_type(c, origin, "a string", m);
        if (!wbp_set_env(c->p, origin, m->string, m->valuestring, c->err, c->errlen))
            return false;
    }
    return true;
}

static bool path(ctx *c, const char *key, const cJSON *v, wbp_path which)
{
    char origin[300];
    snprintf(origin, sizeof origin, "%s: %s", c->name, key);
    if (cJSON_IsNull(v)) /* what `policy check` prints for "not set" */
        return wbp_set_path(c->p, which, origin, NULL, c->base, c->err, c->errlen);
    if (!cJSON_IsString(v))
        return wrong_type(c, origin, "a string or null", v);
    return wbp_set_path(c->p, which, origin, v->valuestring, c->base, c->err, c->errlen);
}

/* JSON numbers are doubles, exact for every whole number only up to 2^53:
 * beyond that a limit must be a string. */
#define JSON_EXACT_MAX 9007199254740992ull

static bool limit(ctx *c, const char *key, const cJSON *v, wbp_limit which)
{
    char origin[300];
    snprintf(origin, sizeof origin, "%s: %s", c->name, key);
    if (cJSON_IsString(v))
        return wbp_set_limit_text(c->p, which, origin, v->valuestring, c->err, c->errlen);
    if (!cJSON_IsNumber(v))
        return wrong_type(c, origin, which == WBP_TIMEOUT_MS || which == WBP_FUEL
                                         ? "a number" : "a number or a size string", v);
    /* the double cJSON holds may be a rounded value: read the text itself */
    const char *tok;
    size_t toklen;
    uint64_t u = 0;
    wbp_number r = WBP_NUMBER_BAD;
    if (wbp_json_number_text(c->root, v, c->text, c->len, &tok, &toklen))
        r = wbp_json_exact_uint(tok, toklen, JSON_EXACT_MAX, &u);
    if (r == WBP_NUMBER_OK && (double)u != v->valuedouble)
        r = WBP_NUMBER_BAD; /* not the token cJSON read: refuse rather than guess */
    switch (r) {
    case WBP_NUMBER_OK: return wbp_set_limit(c->p, which, origin, u, c->err, c->errlen);
    case WBP_NUMBER_NEGATIVE: return wbp_fail(c->err, c->errlen, origin, "must not be negative");
    case WBP_NUMBER_FRACTION: return wbp_fail(c->err, c->errlen, origin, "must be a whole number");
    case WBP_NUMBER_TOO_LARGE:
        return wbp_fail(c->err, c->errlen, origin,
                        "too large for a JSON number; write it as a string");
    case WBP_NUMBER_BAD: break;
    }
    return wbp_fail(c->err, c->errlen, origin, "cannot read this number exactly; write it as a "
                    "string");
}

static const char *const known_keys[] = {
    "dirs", "work_dir", "allow_symlink_dotdot", "env", "args", "allowed_outbound_hosts",
    "block_networks", "block_urls", "ca_file", "resolve", "timeout_ms", "fuel", "max_memory",
    "max_stack", "max_output", "cache_dir", "audit",
};

const char *const *wb_policy_keys(size_t *count)
{
    *count = sizeof known_keys / sizeof known_keys[0];
    return known_keys;
}

static bool member(ctx *c, const cJSON *m)
{
    const char *k = m->string;
    if (strcmp(k, "dirs") == 0)
        return dirs(c, m);
    if (strcmp(k, "work_dir") == 0)
        return path(c, k, m, WBP_WORK_DIR);
    if (strcmp(k, "allow_symlink_dotdot") == 0) {
        char origin[300];
        snprintf(origin, sizeof origin, "%s: %s", c->name, k);
        if (!cJSON_IsBool(m))
            return wrong_type(c, origin, "true or false", m);
        return wbp_set_symlink_dotdot(c->p, origin, NULL, cJSON_IsTrue(m), c->err, c->errlen);
    }
    if (strcmp(k, "env") == 0)
        return env(c, m);
    if (strcmp(k, "args") == 0)
        return string_list(c, k, m, wbp_add_arg);
    if (strcmp(k, "allowed_outbound_hosts") == 0)
        return string_list(c, k, m, wbp_add_allowed_host);
    if (strcmp(k, "block_networks") == 0)
        return string_list(c, k, m, wbp_add_block_network);
    if (strcmp(k, "block_urls") == 0)
        return string_list(c, k, m, wbp_add_block_url);
    if (strcmp(k, "ca_file") == 0)
        return path(c, k, m, WBP_CA_FILE);
    if (strcmp(k, "resolve") == 0)
        return string_list(c, k, m, wbp_add_resolve);
    if (strcmp(k, "timeout_ms") == 0)
        return limit(c, k, m, WBP_TIMEOUT_MS);
    if (strcmp(k, "fuel") == 0)
        return limit(c, k, m, WBP_FUEL);
    if (strcmp(k, "max_memory") == 0)
        return limit(c, k, m, WBP_MAX_MEMORY);
    if (strcmp(k, "max_stack") == 0)
        return limit(c, k, m, WBP_MAX_STACK);
    if (strcmp(k, "max_output") == 0)
        return limit(c, k, m, WBP_MAX_OUTPUT);
    if (strcmp(k, "cache_dir") == 0)
        return path(c, k, m, WBP_CACHE_DIR);
    if (strcmp(k, "audit") == 0)
        return path(c, k, m, WBP_AUDIT);
    return unknown_key(c, c->name, k, known_keys, sizeof known_keys / sizeof known_keys[0]);
}

static bool load(ctx *c, const char *text, size_t len)
{
    /* cJSON ends a string at \u0000 without saying so; refuse rather than
     * have "/ok\u0000/../etc" quietly mean "/ok" */
    if (memmem(text, len, "\\u0000", 6))
        return wbp_fail(c->err, c->errlen, c->name, "strings must not contain \\u0000");
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!root) {
        size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
        unsigned line = 1, col = 1;
        for (size_t i = 0; i < off; i++) {
            if (text[i] == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return wbp_fail(c->err, c->errlen, c->name, "invalid JSON at line %u, column %u", line,
                        col);
    }
    bool ok = false;
    c->root = root;
    c->text = text;
    c->len = end && end >= text && end <= text + len ? (size_t)(end - text) : len;
    wbp_begin_source(c->p, false);
    for (const char *t = end; t && t < text + len; t++) {
        if (*t != ' ' && *t != '\t' && *t != '\r' && *t != '\n') {
            wbp_fail(c->err, c->errlen, c->name, "text after the JSON value");
            goto out;
        }
    }
    if (!cJSON_IsObject(root)) {
        wbp_fail(c->err, c->errlen, c->name, "expected a JSON object, got %s", type_name(root));
        goto out;
    }
    /* known keys first, so a misspelt key is reported as such */
    for (const cJSON *m = root->child; m; m = m->next) {
        bool known = false;
        for (size_t i = 0; i < sizeof known_keys / sizeof known_keys[0]; i++)
            known = known || strcmp(known_keys[i], m->string) == 0;
        if (!known) {
            unknown_key(c, c->name, m->string, known_keys,
                        sizeof known_keys / sizeof known_keys[0]);
            goto out;
        }
        for (const cJSON *n = root->child; n != m; n = n->next)
            if (strcmp(n->string, m->string) == 0) {
                wbp_fail(c->err, c->errlen, c->name, "duplicate key \"%s\"", m->string);
                goto out;
            }
    }
    for (const cJSON *m = root->child; m; m = m->next)
        if (!member(c, m))
            goto out;
    ok = true;
out:
    cJSON_Delete(root);
    return ok;
}

bool wb_policy_load_json(wb_policy *p, const char *name, const char *text, size_t len,
                         char *err, size_t errlen)
{
    ctx c = {p, name ? name : "policy", NULL, err, errlen, NULL, NULL, 0};
    if (!text)
        return wbp_fail(err, errlen, c.name, "no text");
    return load(&c, text, len);
}

bool wb_policy_load_file(wb_policy *p, const char *path, char *err, size_t errlen)
{
    if (!path)
        return wbp_fail(err, errlen, "policy", "no file name");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return wbp_fail(err, errlen, path, "cannot open: %s", strerror(errno));
    struct stat st;
    /* regular files, and pipes or devices (--policy /dev/stdin); the size
     * bound is enforced on what is read, not on what stat says */
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode) ||
        !(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))) {
        close(fd);
        return wbp_fail(err, errlen, path, "not a regular file");
    }
    size_t cap = (size_t)POLICY_FILE_MAX + 2, len = 0;
    char *buf = malloc(cap);
    if (!buf) {
        close(fd);
        return wbp_fail(err, errlen, path, "out of memory");
    }
    for (;;) {
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            free(buf);
            close(fd);
            return wbp_fail(err, errlen, path, "read failed: %s", strerror(e));
        }
        len += (size_t)n;
        if (n == 0 || len == cap - 1)
            break;
    }
    if (len > POLICY_FILE_MAX) {
        free(buf);
        close(fd);
        return wbp_fail(err, errlen, path, "larger than %u bytes", POLICY_FILE_MAX);
    }
    close(fd);
    buf[len] = '\0';
    /* relative paths in a file are relative to its directory; a pipe or device
     * has none worth using, so there they stay relative to the current one */
    char *base = NULL;
    const char *slash = S_ISREG(st.st_mode) ? strrchr(path, '/') : NULL;
    if (slash) {
        size_t bl = slash == path ? 1 : (size_t)(slash - path);
        base = malloc(bl + 1);
        if (!base) {
            free(buf);
            return wbp_fail(err, errlen, path, "out of memory");
        }
        memcpy(base, path, bl);
        base[bl] = '\0';
    }
    ctx c = {p, path, base, err, errlen, NULL, NULL, 0};
    bool ok = load(&c, buf, len);
    free(base);
    free(buf);
    return ok;
}
