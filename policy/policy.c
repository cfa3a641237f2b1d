/* The policy object: init/free and the setters every source goes through, so
 * a value means the same whether it came from a file or a flag. */
#include "policy_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_TEXT_MAX 4096

bool wbp_fail(char *err, size_t errlen, const char *origin, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return false;
    int n = snprintf(err, errlen, "%s: ", origin ? origin : "policy");
    if (n < 0 || (size_t)n >= errlen)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return false;
}

char *wbp_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

char *wbp_join(const char *base, const char *path)
{
    if (!path)
        return NULL;
    if (!base || !base[0] || path[0] == '/')
        return wbp_strdup(path);
    /* "." and "./x" relative to base: drop the no-op part so messages read well
     * (".." is kept: through a symlink it is not a lexical operation) */
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    if (strcmp(path, ".") == 0 || path[0] == '\0')
        return wbp_strdup(base);
    size_t bl = strlen(base), pl = strlen(path);
    char *d = malloc(bl + pl + 2);
    if (!d)
        return NULL;
    memcpy(d, base, bl);
    if (base[bl - 1] != '/')
        d[bl++] = '/';
    memcpy(d + bl, path, pl + 1);
    return d;
}

wb_policy_limits wb_policy_run_defaults(void)
{
    wb_policy_limits d = {
        .timeout_ms = WB_DEFAULT_TIMEOUT_MS,
        .fuel = WB_DEFAULT_FUEL,
        .max_memory = WB_DEFAULT_MAX_MEMORY,
        .max_stack = WB_DEFAULT_MAX_STACK,
        .max_output = WB_DEFAULT_MAX_OUTPUT,
    };
    return d;
}

void wb_policy_init_with(wb_policy *p, const wb_policy_limits *defaults)
{
    wb_policy_limits run = wb_policy_run_defaults();
    const wb_policy_limits *d = defaults ? defaults : &run;
    memset(p, 0, sizeof *p);
    p->timeout_ms = d->timeout_ms;
    p->fuel = d->fuel;
    p->max_memory = d->max_memory;
    p->max_stack = d->max_stack;
    p->max_output = d->max_output;
}

void wb_policy_init(wb_policy *p)
{
    wb_policy_init_with(p, NULL);
}

void wbp_begin_source(wb_policy *p, bool flags)
{
    if (flags && p->source_is_flags)
        return; /* all the flags are one source */
    p->source++;
    p->source_is_flags = flags;
}

static void free_strs(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void wb_policy_free(wb_policy *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->ndirs; i++) {
        free(p->dirs[i].host);
        free(p->dirs[i].guest);
        free(p->dirs[i].origin);
    }
    free(p->dirs);
    free_strs(p->env, p->nenv);
    free(p->env_set_by);
    free_strs(p->env_inherited, p->nenv_inherited);
    free_strs(p->args, p->nargs);
    free(p->allowed_outbound_hosts);
    for (size_t i = 0; i < p->nblock_networks; i++)
        free(p->block_networks[i].text);
    free(p->block_networks);
    free_strs(p->block_urls, p->nblock_urls);
    for (size_t i = 0; i < p->nresolve; i++) {
        free(p->resolve[i].host);
        free(p->resolve[i].addrs);
    }
    free(p->resolve);
    free(p->work_dir);
    free(p->ca_file);
    free(p->cache_dir);
    free(p->audit);
    free(p->origin.work_dir);
    free(p->origin.ca_file);
    free(p->origin.cache_dir);
    free(p->origin.audit);
    wb_policy_init(p);
}

/* Grows *arr to hold one more element; checks the per-list bound. */
static bool grow(void **arr, size_t count, size_t elem, const char *origin, char *err,
                 size_t errlen)
{
    if (count >= WB_POLICY_MAX_ENTRIES)
        return wbp_fail(err, errlen, origin, "too many entries (at most %d)",
                        WB_POLICY_MAX_ENTRIES);
    void *n = realloc(*arr, (count + 1) * elem);
    if (!n)
        return wbp_fail(err, errlen, origin, "out of memory");
    *arr = n;
    return true;
}

/* ---- limits ---- */

typedef enum wbp_unit { WBP_COUNT, WBP_MILLIS, WBP_SIZE } wbp_unit;

/* Only max_stack has a ceiling and cannot be lifted; the messages below say
 * why in its terms. */
static const struct limit_rule {
    const char *key;
    wbp_unit unit;
    bool zero_ok;      /* max_output 0: pass nothing */
    bool unlimited_ok; /* the value stack is allocated up front: never unlimited */
    uint64_t ceiling;  /* the largest number allowed */
} limit_rules[] = {
    [WBP_TIMEOUT_MS] = {"timeout_ms", WBP_MILLIS, false, true, WB_UNLIMITED - 1},
    [WBP_FUEL] = {"fuel", WBP_COUNT, false, true, WB_UNLIMITED - 1},
    [WBP_MAX_MEMORY] = {"max_memory", WBP_SIZE, false, true, WB_UNLIMITED - 1},
    [WBP_MAX_STACK] = {"max_stack", WBP_SIZE, false, false, WB_MAX_STACK_CEILING},
    [WBP_MAX_OUTPUT] = {"max_output", WBP_SIZE, true, true, WB_UNLIMITED - 1},
};

static uint64_t *limit_field(wb_policy *p, wbp_limit which, unsigned **set_by)
{
    switch (which) {
    case WBP_TIMEOUT_MS: *set_by = &p->set_by.timeout_ms; return &p->timeout_ms;
    case WBP_FUEL: *set_by = &p->set_by.fuel; return &p->fuel;
    case WBP_MAX_MEMORY: *set_by = &p->set_by.max_memory; return &p->max_memory;
    case WBP_MAX_STACK: *set_by = &p->set_by.max_stack; return &p->max_stack;
    case WBP_MAX_OUTPUT: break;
    }
    *set_by = &p->set_by.max_output;
    return &p->max_output;
}

static void limit_text(uint64_t v, char *buf, size_t len)
{
    if (v == WB_UNLIMITED)
        snprintf(buf, len, "unlimited");
    else
        snprintf(buf, len, "%llu", (unsigned long long)v);
}

/* v (WB_UNLIMITED for "unlimited", when lifted is true) against the key's
 * rules. A number is never taken for "unlimited". */
static bool check_limit(const struct limit_rule *r, const char *origin, uint64_t v, bool lifted,
                        char *err, size_t errlen)
{
    if (lifted) {
        if (r->unlimited_ok)
            return true;
        return wbp_fail(err, errlen, origin,
                        "cannot be unlimited (the value stack is allocated when the run "
                        "starts); give a size of at most %lluM",
                        (unsigned long long)(r->ceiling >> 20));
    }
    if (v == 0 && !r->zero_ok)
        return wbp_fail(err, errlen, origin, "must be at least 1%s",
                        r->unlimited_ok ? " (write \"unlimited\" for no limit)" : "");
    if (v > r->ceiling && r->unlimited_ok)
        return wbp_fail(err, errlen, origin, "too large (write \"unlimited\" for no limit)");
    if (v > r->ceiling)
        return wbp_fail(err, errlen, origin,
                        "%llu is too large (at most %lluM: the value stack is allocated when "
                        "the run starts)",
                        (unsigned long long)v, (unsigned long long)(r->ceiling >> 20));
    return true;
}

static bool set_limit(wb_policy *p, wbp_limit which, const char *origin, uint64_t v,
                      bool lifted, char *err, size_t errlen)
{
    if (!check_limit(&limit_rules[which], origin, v, lifted, err, errlen))
        return false;
    unsigned *set_by;
    uint64_t *field = limit_field(p, which, &set_by);
    if (*set_by && *set_by == p->source) {
        char before[32];
        limit_text(*field, before, sizeof before);
        return wbp_fail(err, errlen, origin, "given twice (first %s); give it once", before);
    }
    *field = lifted ? WB_UNLIMITED : v;
    *set_by = p->source;
    return true;
}

bool wbp_set_limit(wb_policy *p, wbp_limit which, const char *origin, uint64_t v, char *err,
                   size_t errlen)
{
    return set_limit(p, which, origin, v, false, err, errlen);
}

/* Fuel: digits only (a unit would only invite a guess at what it means). */
static bool parse_count(const char *text, uint64_t *out, const char **why)
{
    uint64_t v = 0;
    const char *s = text;
    if (!*s) {
        *why = "is not a whole number";
        return false;
    }
    for (; *s; s++) {
        if (!isdigit((unsigned char)*s)) {
            *why = "is not a whole number";
            return false;
        }
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10) {
            *why = "is too large";
            return false;
        }
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

bool wbp_set_limit_text(wb_policy *p, wbp_limit which, const char *origin, const char *text,
                        char *err, size_t errlen)
{
    const struct limit_rule *r = &limit_rules[which];
    if (!text)
        text = "";
    if (strcmp(text, "unlimited") == 0)
        return set_limit(p, which, origin, WB_UNLIMITED, true, err, errlen);
    if (strlen(text) > 64)
        return wbp_fail(err, errlen, origin, "\"%.64s...\" is too long for a value", text);
    uint64_t v = 0;
    const char *why = NULL;
    bool ok;
    if (r->unit == WBP_SIZE)
        ok = wb_parse_size(text, &v, &why);
    else if (r->unit == WBP_MILLIS)
        ok = wb_parse_duration_ms(text, 1, &v, &why);
    else
        ok = parse_count(text, &v, &why);
    if (!ok)
        return wbp_fail(err, errlen, origin, "\"%s\" %s", text, why);
    return wbp_set_limit(p, which, origin, v, err, errlen);
}

bool wbp_check_limits(const wb_policy *p, char *err, size_t errlen)
{
    const uint64_t values[] = {
        [WBP_TIMEOUT_MS] = p->timeout_ms, [WBP_FUEL] = p->fuel,
        [WBP_MAX_MEMORY] = p->max_memory, [WBP_MAX_STACK] = p->max_stack,
        [WBP_MAX_OUTPUT] = p->max_output,
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        /* "default KEY", put together by hand: this runs at every start,
         * and snprintf there would be libc's printf code's only caller
         * (bench/README.md "Start-up"). Keys are short; cut to fit anyway. */
        char origin[64] = "default ";
        size_t k = strlen(limit_rules[i].key), room = sizeof origin - 9;
        memcpy(origin + 8, limit_rules[i].key, k < room ? k : room);
        origin[8 + (k < room ? k : room)] = '\0';
        if (!check_limit(&limit_rules[i], origin, values[i], values[i] == WB_UNLIMITED, err,
                         errlen))
            return false;
    }
    return true;
}

/* ---- directories ---- */

/* "/a//b/./c/" -> "/a/b/c". ".." is refused rather than resolved: a guest
 * path is a name the guest sees, and ".." in one is always a mistake. */
static const char *normalize_guest(const char *in, char *out, size_t outlen)
{
    if (in[0] != '/')
        return "must be absolute (start with \"/\")";
    if (strlen(in) >= outlen)
        return "too long";
    size_t o = 0;
    const char *s = in;
    while (*s) {
        while (*s == '/')
            s++;
        if (!*s)
            break;
        const char *e = strchr(s, '/');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len == 2 && s[0] == '.' && s[1] == '.')
            return "must not contain \"..\"";
        if (!(len == 1 && s[0] == '.')) {
            out[o++] = '/';
            memcpy(out + o, s, len);
            o += len;
        }
        s += len;
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = '\0';
    return NULL;
}

bool wbp_add_dir(wb_policy *p, const char *origin, const char *host, const char *guest,
                 bool read_only, char *err, size_t errlen)
{
    if (!host || !host[0])
        return wbp_fail(err, errlen, origin, "empty host directory");
    if (strlen(host) >= PATH_TEXT_MAX)
        return wbp_fail(err, errlen, origin, "host directory path too long");
    char derived[PATH_TEXT_MAX];
    if (!guest) {
        /* "/" + last component of host */
        size_t n = strlen(host);
        while (n > 1 && host[n - 1] == '/')
            n--;
        size_t start = n;
        while (start > 0 && host[start - 1] != '/')
            start--;
        size_t len = n - start;
        if (len == 0 || (len == 1 && host[start] == '.') ||
            (len == 2 && host[start] == '.' && host[start + 1] == '.'))
            return wbp_fail(err, errlen, origin,
                            "cannot name a guest path after \"%s\"; write HOST::GUEST", host);
        derived[0] = '/';
        memcpy(derived + 1, host + start, len);
        derived[len + 1] = '\0';
        guest = derived;
    }
    char norm[PATH_TEXT_MAX];
    const char *why = normalize_guest(guest, norm, sizeof norm);
    if (why)
        return wbp_fail(err, errlen, origin, "guest path \"%s\" %s", guest, why);
    if (!grow((void **)&p->dirs, p->ndirs, sizeof p->dirs[0], origin, err, errlen))
        return false;
    wb_dir_map m = {wbp_strdup(host), wbp_strdup(norm), read_only, wbp_strdup(origin)};
    if (!m.host || !m.guest || !m.origin) {
        free(m.host);
        free(m.guest);
        free(m.origin);
        return wbp_fail(err, errlen, origin, "out of memory");
    }
    p->dirs[p->ndirs++] = m;
    return true;
}

#define DIR_FORMS "write HOST[::GUEST][:ro|:rw]"

/* "HOST[::GUEST][:ro|:rw]", strictly: ":" appears only as the "::" between
 * the paths and once before the mode, and the mode is exactly "ro" or "rw".
 * A typo in the mode ("RO", "r", "readonly", ":ro:rw") must never quietly
 * become part of a path and leave the map read-write. */
/* Whether a path has a ".." component. */
static bool has_dotdot(const char *path)
{
    for (const char *s = path; (s = strstr(s, "..")); s += 2)
        if ((s == path || s[-1] == '/') && (s[2] == '\0' || s[2] == '/'))
            return true;
    return false;
}

/* same_path: a HOST without "::GUEST" is seen at the same path in the guest,
 * as Wasmtime's --dir does ("/srv/data" at "/srv/data"; a relative one
 * beneath "/", where the guest's relative paths start: "." at "/", "data" at
 * "/data"). Otherwise at "/" + its last component (policy files). */
static bool add_dir_spec(wb_policy *p, const char *origin, const char *spec, const char *base,
                         bool same_path, char *err, size_t errlen)
{
    if (!spec || !spec[0])
        return wbp_fail(err, errlen, origin, "empty directory map (" DIR_FORMS ")");
    size_t n = strlen(spec);
    if (n >= PATH_TEXT_MAX * 2)
        return wbp_fail(err, errlen, origin, "directory map too long");
    const char *sep = strstr(spec, "::");
    const char *colon = strrchr(sep ? sep + 2 : spec, ':');
    bool read_only = false;
    if (colon) {
        const char *mode = colon + 1;
        if (strcmp(mode, "ro") != 0 && strcmp(mode, "rw") != 0)
            return wbp_fail(err, errlen, origin,
                            "\"%s\": the mode \"%s\" is not ro or rw (" DIR_FORMS ")", spec, mode);
        read_only = strcmp(mode, "ro") == 0;
        n = (size_t)(colon - spec);
    }
    for (size_t i = 0; i < n; i++) {
        if (spec[i] != ':' || (sep && (spec + i == sep || spec + i == sep + 1)))
            continue;
        /* "/a:ro:rw": the mode twice; anything else is a ":" inside a path */
        const char *next = spec + i + 1;
        if ((!strncmp(next, "ro", 2) || !strncmp(next, "rw", 2)) && next[2] == ':')
            return wbp_fail(err, errlen, origin,
                            "\"%s\" gives the mode more than once (" DIR_FORMS ")", spec);
        return wbp_fail(err, errlen, origin,
                        "\"%s\": a path in this form cannot contain \":\" (" DIR_FORMS
                        "; in a policy file, {\"host\", \"guest\", \"mode\"} takes any path)",
                        spec);
    }
    char *buf = malloc(n + 1);
    if (!buf)
        return wbp_fail(err, errlen, origin, "out of memory");
    memcpy(buf, spec, n);
    buf[n] = '\0';
    char *guest = sep ? buf + (sep - spec) : NULL;
    if (guest) {
        *guest = '\0';
        guest += 2;
        if (!guest[0]) {
            free(buf);
            return wbp_fail(err, errlen, origin, "empty guest path after \"::\" in \"%s\"", spec);
        }
    }
    char same[PATH_TEXT_MAX + 2];
    if (!guest && same_path && buf[0]) {
        if (has_dotdot(buf)) {
            wbp_fail(err, errlen, origin,
                     "cannot use \"%s\" as the guest path too (it has \"..\"); write "
                     "HOST::GUEST",
                     buf);
            free(buf);
            return false;
        }
        snprintf(same, sizeof same, "%s%s", buf[0] == '/' ? "" : "/", buf);
        guest = same;
    }
    char *host = wbp_join(base, buf);
    bool ok = host && wbp_add_dir(p, origin, buf[0] ? host : "", guest, read_only, err, errlen);
    if (!host)
        wbp_fail(err, errlen, origin, "out of memory");
    free(host);
    free(buf);
    return ok;
}

bool wbp_add_dir_spec(wb_policy *p, const char *origin, const char *spec, const char *base,
                      char *err, size_t errlen)
{
    return add_dir_spec(p, origin, spec, base, false, err, errlen);
}

bool wbp_add_dir_flag(wb_policy *p, const char *origin, const char *spec, char *err,
                      size_t errlen)
{
    return add_dir_spec(p, origin, spec, NULL, true, err, errlen);
}

/* ---- environment and arguments ---- */

bool wbp_set_env(wb_policy *p, const char *origin, const char *key, const char *value,
                 char *err, size_t errlen)
{
    if (!key || !key[0])
        return wbp_fail(err, errlen, origin, "empty environment variable name");
    if (strchr(key, '='))
        return wbp_fail(err, errlen, origin, "environment variable name \"%s\" contains \"=\"",
                        key);
    /* "PATH =/bin" would set a variable nobody reads */
    for (const char *c = key; *c; c++)
        if (isspace((unsigned char)*c) || iscntrl((unsigned char)*c))
            return wbp_fail(err, errlen, origin,
                            "environment variable name \"%s\" contains a space or a control "
                            "character",
                            key);
    if (!value)
        value = "";
    size_t kl = strlen(key), vl = strlen(value);
    if (kl + vl > 65536)
        return wbp_fail(err, errlen, origin, "environment variable \"%s\" too long", key);
    size_t at = p->nenv;
    for (size_t i = 0; i < p->nenv; i++)
        if (strncmp(p->env[i], key, kl) == 0 && p->env[i][kl] == '=')
            at = i;
    if (at < p->nenv && p->env_set_by[at] == p->source)
        return wbp_fail(err, errlen, origin, "environment variable \"%s\" is given twice; give "
                        "it once", key);
    if (at == p->nenv) {
        if (!grow((void **)&p->env, p->nenv, sizeof p->env[0], origin, err, errlen))
            return false;
        unsigned *by = realloc(p->env_set_by, (p->nenv + 1) * sizeof *by);
        if (!by)
            return wbp_fail(err, errlen, origin, "out of memory");
        p->env_set_by = by;
    }
    char *kv = malloc(kl + vl + 2);
    if (!kv)
        return wbp_fail(err, errlen, origin, "out of memory");
    memcpy(kv, key, kl);
    kv[kl] = '=';
    memcpy(kv + kl + 1, value, vl + 1);
    if (at == p->nenv)
        p->nenv++;
    else
        free(p->env[at]); /* a later source (a flag over the file) wins */
    p->env[at] = kv;
    p->env_set_by[at] = p->source;
    return true;
}

bool wbp_set_env_spec(wb_policy *p, const char *origin, const char *spec, char *err,
                      size_t errlen)
{
    const char *eq = spec ? strchr(spec, '=') : NULL;
    if (!eq)
        return wbp_fail(err, errlen, origin, "\"%s\" is not KEY=VALUE", spec ? spec : "");
    size_t kl = (size_t)(eq - spec);
    char *key = malloc(kl + 1);
    if (!key)
        return wbp_fail(err, errlen, origin, "out of memory");
    memcpy(key, spec, kl);
    key[kl] = '\0';
    bool ok = wbp_set_env(p, origin, key, eq + 1, err, errlen);
    free(key);
    return ok;
}

bool wbp_add_arg(wb_policy *p, const char *origin, const char *arg, char *err, size_t errlen)
{
    if (!arg)
        return wbp_fail(err, errlen, origin, "missing argument");
    if (strlen(arg) > 65536)
        return wbp_fail(err, errlen, origin, "argument too long");
    if (!grow((void **)&p->args, p->nargs, sizeof p->args[0], origin, err, errlen))
        return false;
    char *a = wbp_strdup(arg);
    if (!a)
        return wbp_fail(err, errlen, origin, "out of memory");
    p->args[p->nargs++] = a;
    return true;
}

bool wb_policy_add_arg(wb_policy *p, const char *arg, char *err, size_t errlen)
{
    return wbp_add_arg(p, "argument", arg, err, errlen);
}

/* ---- network ---- */

bool wbp_add_allowed_host(wb_policy *p, const char *origin, const char *text, char *err,
                          size_t errlen)
{
    wb_host_pattern hp;
    char why[WB_POLICY_ERR_MAX];
    if (!wb_host_pattern_parse(text, &hp, why, sizeof why))
        return wbp_fail(err, errlen, origin, "%s", why);
    char a[400], b[400];
    wb_host_pattern_format(&hp, a, sizeof a);
    for (size_t i = 0; i < p->nallowed_outbound_hosts; i++) {
        wb_host_pattern_format(&p->allowed_outbound_hosts[i], b, sizeof b);
        if (strcmp(a, b) == 0)
            return true;
    }
    if (!grow((void **)&p->allowed_outbound_hosts, p->nallowed_outbound_hosts,
              sizeof p->allowed_outbound_hosts[0], origin, err, errlen))
        return false;
    p->allowed_outbound_hosts[p->nallowed_outbound_hosts++] = hp;
    return true;
}

static bool looks_like_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!(isalpha((unsigned char)*s) || *s == '-' || *s == '_'))
            return false;
    return true;
}

bool wbp_add_block_network(wb_policy *p, const char *origin, const char *text, char *err,
                           size_t errlen)
{
    if (!text)
        text = "";
    wb_net_block blk;
    memset(&blk, 0, sizeof blk);
    char norm[64];
    if (looks_like_name(text)) {
        blk.set = wb_netset_find(text);
        if (!blk.set)
            return wbp_fail(err, errlen, origin,
                            "\"%s\" is not a known network set (known: %s)", text,
                            wb_netset_names());
        snprintf(norm, sizeof norm, "%s", blk.set->name);
    } else {
        char why[WB_POLICY_ERR_MAX];
        if (!wb_cidr_parse(text, &blk.cidr, why, sizeof why))
            return wbp_fail(err, errlen, origin, "%s", why);
        wb_cidr_format(&blk.cidr, norm, sizeof norm);
    }
    for (size_t i = 0; i < p->nblock_networks; i++)
        if (strcmp(p->block_networks[i].text, norm) == 0)
            return true;
    if (!grow((void **)&p->block_networks, p->nblock_networks, sizeof p->block_networks[0],
              origin, err, errlen))
        return false;
    blk.text = wbp_strdup(norm);
    if (!blk.text)
        return wbp_fail(err, errlen, origin, "out of memory");
    p->block_networks[p->nblock_networks++] = blk;
    return true;
}

bool wbp_add_block_url(wb_policy *p, const char *origin, const char *text, char *err,
                       size_t errlen)
{
    char why[WB_POLICY_ERR_MAX];
    if (!wb_url_prefix_valid(text, why, sizeof why))
        return wbp_fail(err, errlen, origin, "%s", why);
    for (size_t i = 0; i < p->nblock_urls; i++)
        if (strcmp(p->block_urls[i], text) == 0)
            return true;
    if (!grow((void **)&p->block_urls, p->nblock_urls, sizeof p->block_urls[0], origin, err,
              errlen))
        return false;
    char *u = wbp_strdup(text);
    if (!u)
        return wbp_fail(err, errlen, origin, "out of memory");
    p->block_urls[p->nblock_urls++] = u;
    return true;
}

static bool resolve_fail(char *err, size_t errlen, const char *origin, const char *text,
                         const char *why)
{
    return wbp_fail(err, errlen, origin, "\"%s\" is not HOST:PORT:ADDR[,ADDR...] (%s)", text,
                    why);
}

bool wbp_add_resolve(wb_policy *p, const char *origin, const char *text, char *err,
                     size_t errlen)
{
    if (!text)
        text = "";
    if (strlen(text) > 4096)
        return resolve_fail(err, errlen, origin, "...", "too long");
    const char *c1 = strchr(text, ':');
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c1 || !c2)
        return resolve_fail(err, errlen, origin, text, "missing \":\"");
    char pat[400];
    snprintf(pat, sizeof pat, "http://%.*s:%.*s", (int)(c1 - text), text,
             (int)(c2 - c1 - 1), c1 + 1);
    wb_host_pattern hp;
    if ((size_t)(c1 - text) > 255 || !wb_host_pattern_parse(pat, &hp, NULL, 0) ||
        hp.host[0] == '\0' || hp.subdomains || hp.host_is_ip)
        return resolve_fail(err, errlen, origin, text, "bad host name");
    if (hp.any_port || hp.port == 0)
        return resolve_fail(err, errlen, origin, text, "port must be 1-65535");
    wb_resolve r = {wbp_strdup(hp.host), hp.port, NULL, 0, p->source};
    if (!r.host)
        return wbp_fail(err, errlen, origin, "out of memory");
    const char *s = c2 + 1;
    for (;;) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        char a[64];
        if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
            s++;
            len -= 2;
        }
        wb_ip ip;
        if (len == 0 || len >= sizeof a)
            goto bad_addr;
        memcpy(a, s, len);
        a[len] = '\0';
        if (!wb_ip_parse(a, &ip))
            goto bad_addr;
        if (r.naddrs >= 64) {
            free(r.host);
            free(r.addrs);
            return resolve_fail(err, errlen, origin, text, "more than 64 addresses");
        }
        wb_ip *na = realloc(r.addrs, (r.naddrs + 1) * sizeof *na);
        if (!na) {
            free(r.host);
            free(r.addrs);
            return wbp_fail(err, errlen, origin, "out of memory");
        }
        r.addrs = na;
        r.addrs[r.naddrs++] = ip;
        if (!e)
            break;
        s = e + 1;
    }
    for (size_t i = 0; i < p->nresolve; i++) {
        if (p->resolve[i].port == r.port && strcmp(p->resolve[i].host, r.host) == 0) {
            if (p->resolve[i].set_by == p->source) {
                bool ok = wbp_fail(err, errlen, origin, "%s:%u is given twice; give it once",
                                   r.host, (unsigned)r.port);
                free(r.host);
                free(r.addrs);
                return ok;
            }
            free(p->resolve[i].host); /* a later source (a flag over the file) wins */
            free(p->resolve[i].addrs);
            p->resolve[i] = r;
            return true;
        }
    }
    if (!grow((void **)&p->resolve, p->nresolve, sizeof p->resolve[0], origin, err, errlen)) {
        free(r.host);
        free(r.addrs);
        return false;
    }
    p->resolve[p->nresolve++] = r;
    return true;
bad_addr:
    free(r.host);
    free(r.addrs);
    return resolve_fail(err, errlen, origin, text, "bad IP address");
}

/* ---- path scalars ---- */

bool wbp_set_path(wb_policy *p, wbp_path which, const char *origin, const char *value,
                  const char *base, char *err, size_t errlen)
{
    char **field, **origin_field;
    unsigned *set_by;
    switch (which) {
    case WBP_WORK_DIR:
        field = &p->work_dir, origin_field = &p->origin.work_dir, set_by = &p->set_by.work_dir;
        break;
    case WBP_CA_FILE:
        field = &p->ca_file, origin_field = &p->origin.ca_file, set_by = &p->set_by.ca_file;
        break;
    case WBP_CACHE_DIR:
        field = &p->cache_dir, origin_field = &p->origin.cache_dir, set_by = &p->set_by.cache_dir;
        break;
    default:
        field = &p->audit, origin_field = &p->origin.audit, set_by = &p->set_by.audit;
        break;
    }
    if (*set_by && *set_by == p->source)
        return wbp_fail(err, errlen, origin, "given twice (first \"%s\"); give it once",
                        *field ? *field : "null");
    char *v = NULL, *o = NULL;
    if (value) {
        if (!value[0])
            return wbp_fail(err, errlen, origin, "empty path");
        if (strlen(value) >= PATH_TEXT_MAX)
            return wbp_fail(err, errlen, origin, "path too long");
        v = wbp_join(base, value);
        o = wbp_strdup(origin);
        if (!v || !o) {
            free(v);
            free(o);
            return wbp_fail(err, errlen, origin, "out of memory");
        }
    }
    free(*field);
    free(*origin_field);
    *field = v;
    *origin_field = o;
    *set_by = p->source;
    return true;
}

/* ---- queries for net/ ---- */

bool wb_policy_host_allowed(const wb_policy *p, const char *scheme, const char *host,
                            uint16_t port)
{
    if (!p)
        return false;
    for (size_t i = 0; i < p->nallowed_outbound_hosts; i++)
        if (wb_host_pattern_match(&p->allowed_outbound_hosts[i], scheme, host, port))
            return true;
    return false;
}

bool wb_policy_url_blocked(const wb_policy *p, const char *url, char *why, size_t len)
{
    if (!p)
        return false;
    for (size_t i = 0; i < p->nblock_urls; i++) {
        if (wb_url_prefix_match(p->block_urls[i], url)) {
            if (why && len)
                snprintf(why, len, "URL is blocked by prefix %s", p->block_urls[i]);
            return true;
        }
    }
    return false;
}

const wb_resolve *wb_policy_find_resolve(const wb_policy *p, const char *host, uint16_t port)
{
    if (!p || !host)
        return NULL;
    char want[300];
    size_t n = strlen(host);
    if (n >= sizeof want)
        return NULL;
    memcpy(want, host, n + 1);
    if (n > 0 && want[n - 1] == '.')
        want[n - 1] = '\0';
    for (char *c = want; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    for (size_t i = 0; i < p->nresolve; i++)
        if (p->resolve[i].port == port && strcmp(p->resolve[i].host, want) == 0)
            return &p->resolve[i];
    return NULL;
}

bool wbp_set_symlink_dotdot(wb_policy *p, const char *origin, const char *text, bool value,
                            char *err, size_t errlen)
{
    if (text && strcmp(text, "true") == 0)
        value = true;
    else if (text && strcmp(text, "false") == 0)
        value = false;
    else if (text)
        return wbp_fail(err, errlen, origin, "\"%.64s\" is not true or false", text);
    if (p->set_by.allow_symlink_dotdot && p->set_by.allow_symlink_dotdot == p->source)
        return wbp_fail(err, errlen, origin, "given twice (first %s); give it once",
                        p->allow_symlink_dotdot ? "true" : "false");
    p->allow_symlink_dotdot = value;
    p->set_by.allow_symlink_dotdot = p->source;
    return true;
}
