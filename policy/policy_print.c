/* Prints a policy as normalized JSON: every key, in the documented order, in
 * the form the loader accepts, so `policy check` output can be loaded again. */
#include "policy_internal.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Limits print as whole numbers in digits (cJSON's own number printing
 * rounds to 15 significant digits), and above 2^53, where JSON numbers stop
 * being exact, as strings, the way the loader wants them. */
static cJSON *limit_json(uint64_t v)
{
    if (v == WB_UNLIMITED)
        return cJSON_CreateString("unlimited");
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    return v <= 9007199254740992ull ? cJSON_CreateRaw(buf) : cJSON_CreateString(buf);
}

static cJSON *strings_json(char *const *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
    return a;
}

/* Relative paths are relative to where the policy was loaded; printed they
 * are made absolute (lexically, from the current directory) so the output
 * means the same wherever it is saved and loaded again. */
static cJSON *path_json(const char *s)
{
    if (!s)
        return cJSON_CreateNull();
    if (s[0] == '/')
        return cJSON_CreateString(s);
    char *cwd = getcwd(NULL, 0);
    char *abs = cwd ? wbp_join(cwd, s) : NULL;
    cJSON *v = cJSON_CreateString(abs ? abs : s);
    free(abs);
    free(cwd);
    return v;
}

bool wb_policy_print_json(const wb_policy *p, FILE *out)
{
    cJSON *root = cJSON_CreateObject();
    if (!root || !p || !out) {
        cJSON_Delete(root);
        return false;
    }
    cJSON *dirs = cJSON_AddArrayToObject(root, "dirs");
    for (size_t i = 0; dirs && i < p->ndirs; i++) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddItemToObject(d, "host", path_json(p->dirs[i].host));
        cJSON_AddStringToObject(d, "guest", p->dirs[i].guest);
        cJSON_AddStringToObject(d, "mode", p->dirs[i].read_only ? "ro" : "rw");
        cJSON_AddItemToArray(dirs, d);
    }
    cJSON_AddItemToObject(root, "work_dir", path_json(p->work_dir));
    cJSON_AddBoolToObject(root, "allow_symlink_dotdot", p->allow_symlink_dotdot);
    cJSON *env = cJSON_AddObjectToObject(root, "env");
    for (size_t i = 0; env && i < p->nenv; i++) {
        char *kv = wbp_strdup(p->env[i]);
        char *eq = kv ? strchr(kv, '=') : NULL;
        if (eq) {
            *eq = '\0';
            cJSON_AddStringToObject(env, kv, eq + 1);
        }
        free(kv);
    }
    cJSON_AddItemToObject(root, "args", strings_json(p->args, p->nargs));
    cJSON *hosts = cJSON_AddArrayToObject(root, "allowed_outbound_hosts");
    for (size_t i = 0; hosts && i < p->nallowed_outbound_hosts; i++) {
        char buf[400];
        wb_host_pattern_format(&p->allowed_outbound_hosts[i], buf, sizeof buf);
        cJSON_AddItemToArray(hosts, cJSON_CreateString(buf));
    }
    cJSON *nets = cJSON_AddArrayToObject(root, "block_networks");
    for (size_t i = 0; nets && i < p->nblock_networks; i++)
        cJSON_AddItemToArray(nets, cJSON_CreateString(p->block_networks[i].text));
    cJSON_AddItemToObject(root, "block_urls", strings_json(p->block_urls, p->nblock_urls));
    cJSON_AddItemToObject(root, "ca_file", path_json(p->ca_file));
    cJSON *res = cJSON_AddArrayToObject(root, "resolve");
    for (size_t i = 0; res && i < p->nresolve; i++) {
        const wb_resolve *r = &p->resolve[i];
        char buf[4096]; /* 64 addresses of at most 48 characters, host, port */
        int n = snprintf(buf, sizeof buf, "%s:%u:", r->host, (unsigned)r->port);
        for (size_t j = 0; j < r->naddrs && n > 0 && (size_t)n < sizeof buf; j++) {
            char a[64];
            wb_ip_format(&r->addrs[j], a, sizeof a);
            n += snprintf(buf + n, sizeof buf - (size_t)n, r->addrs[j].family == 6 ? "%s[%s]" : "%s%s",
                          j ? "," : "", a);
        }
        cJSON_AddItemToArray(res, cJSON_CreateString(buf));
    }
    cJSON_AddItemToObject(root, "timeout_ms", limit_json(p->timeout_ms));
    cJSON_AddItemToObject(root, "fuel", limit_json(p->fuel));
    cJSON_AddItemToObject(root, "max_memory", limit_json(p->max_memory));
    cJSON_AddItemToObject(root, "max_stack", limit_json(p->max_stack));
    cJSON_AddItemToObject(root, "max_output", limit_json(p->max_output));
    cJSON_AddItemToObject(root, "cache_dir", path_json(p->cache_dir));
    cJSON_AddItemToObject(root, "audit", path_json(p->audit));
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return false;
    bool ok = fprintf(out, "%s\n", text) >= 0;
    cJSON_free(text);
    return ok;
}
