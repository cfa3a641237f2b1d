/* CLI flags: each policy flag takes one value and maps onto the same setter
 * as its JSON key. Lists are added to; scalars replace what a file said. All
 * the flags are one source, so a scalar flag given twice is an error.
 *
 * The table below is the one list of them: the parser, `--help`, the shell
 * completion script and "did you mean" all read it (one row per flag). */
#include "policy_internal.h"

#include <stdlib.h>
#include <string.h>

typedef enum flag_id {
    F_DIR, F_WORK_DIR, F_ALLOW_SYMLINK_DOTDOT, F_ENV, F_ALLOW_HOST, F_BLOCK_NETWORK,
    F_BLOCK_URL, F_CA_FILE, F_RESOLVE, F_TIMEOUT, F_FUEL, F_MAX_MEMORY, F_MAX_STACK,
    F_MAX_OUTPUT, F_CACHE_DIR, F_AUDIT, F_CACHE,
} flag_id;

/* One row per flag, indexed by its id. */
static const wb_policy_flag_info flags[] = {
    [F_DIR] = {"--dir", "HOST[::GUEST][:ro|:rw]",
      "map a host directory (guest path: the same as HOST, `.` at /)"},
    [F_WORK_DIR] = {"--work-dir", "DIR", "map DIR read-write at guest /"},
    [F_ALLOW_SYMLINK_DOTDOT] = {"--allow-symlink-dotdot", "true|false",
      "let guest symlinks start with \"..\" (weakens host-side safety)"},
    [F_ENV] = {"--env", "NAME=VALUE|NAME",
      "one environment variable; NAME alone copies wasmbox's own (audited)"},
    [F_ALLOW_HOST] = {"--allow-host", "PATTERN", "an outbound host, scheme://host[:port]"},
    [F_BLOCK_NETWORK] = {"--block-network", "CIDR|SET", "a network no connection may reach"},
    [F_BLOCK_URL] = {"--block-url", "PREFIX", "a URL prefix no request may match"},
    [F_CA_FILE] = {"--ca-file", "FILE", "CA certificates instead of the system's"},
    [F_RESOLVE] = {"--resolve", "HOST:PORT:ADDR", "pin HOST:PORT to ADDR (no DNS)"},
    [F_TIMEOUT] = {"--timeout", "DURATION",
                   "wall-clock limit: 500ms, 5s, 2m; a bare number is ms (default 5m)"},
    [F_FUEL] = {"--fuel", "N", "wasm instructions allowed (default 10^12)"},
    [F_MAX_MEMORY] = {"--max-memory", "SIZE",
                      "linear memory + tables: 64MiB, 1GiB, 64M (default 2GiB)"},
    [F_MAX_STACK] = {"--max-stack", "SIZE", "engine value stack (default 8MiB; never unlimited)"},
    [F_MAX_OUTPUT] = {"--max-output", "SIZE", "stdout+stderr passed through (default 64MiB)"},
    [F_CACHE_DIR] = {"--cache-dir", "DIR", "compilation cache directory"},
    [F_AUDIT] = {"--audit", "FILE", "append a JSON-lines audit log"},
    [F_CACHE] = {"--cache", "DIR", "the same as --cache-dir (tools/README.md \"Translation cache\")"},
};

#define NFLAGS (sizeof flags / sizeof flags[0])

const wb_policy_flag_info *wb_policy_flags(size_t *count)
{
    *count = NFLAGS;
    return flags;
}

static int find_flag(const char *flag)
{
    if (!flag)
        return -1;
    for (size_t i = 0; i < NFLAGS; i++)
        if (strcmp(flags[i].name, flag) == 0)
            return (int)i;
    return -1;
}

bool wb_policy_is_flag(const char *flag)
{
    return find_flag(flag) >= 0;
}

/* "--env NAME": the caller's own value, copied because the operator named
 * it; the name is kept so the audit log can say so. */
static bool env_from_caller(wb_policy *p, const char *origin, const char *name, char *err,
                            size_t errlen)
{
    const char *value = getenv(name);
    if (!name[0])
        return wbp_fail(err, errlen, origin, "empty environment variable name");
    if (!value)
        return wbp_fail(err, errlen, origin,
                        "%s is not set in wasmbox's environment, so there is nothing to copy; "
                        "write --env %s=VALUE",
                        name, name);
    if (!wbp_set_env(p, origin, name, value, err, errlen))
        return false;
    for (size_t i = 0; i < p->nenv_inherited; i++)
        if (!strcmp(p->env_inherited[i], name))
            return true;
    char **grown = realloc(p->env_inherited, (p->nenv_inherited + 1) * sizeof *grown);
    if (!grown)
        return wbp_fail(err, errlen, origin, "out of memory");
    p->env_inherited = grown;
    if (!(p->env_inherited[p->nenv_inherited] = wbp_strdup(name)))
        return wbp_fail(err, errlen, origin, "out of memory");
    p->nenv_inherited++;
    return true;
}

bool wb_policy_apply_flag_as(wb_policy *p, const char *flag, const char *origin,
                             const char *value, char *err, size_t errlen)
{
    int id = find_flag(flag);
    if (!origin)
        origin = flag ? flag : "(null)";
    if (id < 0)
        return wbp_fail(err, errlen, origin, "not a policy flag");
    if (!value)
        return wbp_fail(err, errlen, origin, "missing value");
    wbp_begin_source(p, true);
    switch ((flag_id)id) {
    case F_DIR: return wbp_add_dir_flag(p, origin, value, err, errlen);
    case F_WORK_DIR: return wbp_set_path(p, WBP_WORK_DIR, origin, value, NULL, err, errlen);
    case F_ALLOW_SYMLINK_DOTDOT:
        return wbp_set_symlink_dotdot(p, origin, value, false, err, errlen);
    case F_ENV:
        return strchr(value, '=') ? wbp_set_env_spec(p, origin, value, err, errlen)
                                  : env_from_caller(p, origin, value, err, errlen);
    case F_ALLOW_HOST: return wbp_add_allowed_host(p, origin, value, err, errlen);
    case F_BLOCK_NETWORK: return wbp_add_block_network(p, origin, value, err, errlen);
    case F_BLOCK_URL: return wbp_add_block_url(p, origin, value, err, errlen);
    case F_CA_FILE: return wbp_set_path(p, WBP_CA_FILE, origin, value, NULL, err, errlen);
    case F_RESOLVE: return wbp_add_resolve(p, origin, value, err, errlen);
    case F_TIMEOUT: return wbp_set_limit_text(p, WBP_TIMEOUT_MS, origin, value, err, errlen);
    case F_FUEL: return wbp_set_limit_text(p, WBP_FUEL, origin, value, err, errlen);
    case F_MAX_MEMORY: return wbp_set_limit_text(p, WBP_MAX_MEMORY, origin, value, err, errlen);
    case F_MAX_STACK: return wbp_set_limit_text(p, WBP_MAX_STACK, origin, value, err, errlen);
    case F_MAX_OUTPUT: return wbp_set_limit_text(p, WBP_MAX_OUTPUT, origin, value, err, errlen);
    case F_CACHE:
    case F_CACHE_DIR: return wbp_set_path(p, WBP_CACHE_DIR, origin, value, NULL, err, errlen);
    case F_AUDIT: return wbp_set_path(p, WBP_AUDIT, origin, value, NULL, err, errlen);
    }
    return wbp_fail(err, errlen, origin, "not a policy flag");
}

bool wb_policy_apply_flag(wb_policy *p, const char *flag, const char *value, char *err,
                          size_t errlen)
{
    return wb_policy_apply_flag_as(p, flag, flag, value, err, errlen);
}
