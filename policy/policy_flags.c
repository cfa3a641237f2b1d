/* CLI flags: each policy flag takes one value and maps onto the same setter
 * as its JSON key. Lists are added to; scalars replace what a file said. All
 * the flags are one source, so a scalar flag given twice is an error. */
#include "policy_internal.h"

#include <string.h>

typedef enum flag_id {
    F_DIR, F_WORK_DIR, F_ALLOW_SYMLINK_DOTDOT, F_ENV, F_ALLOW_HOST, F_BLOCK_NETWORK,
    F_BLOCK_URL, F_CA_FILE, F_RESOLVE, F_TIMEOUT, F_FUEL, F_MAX_MEMORY, F_MAX_STACK,
    F_MAX_OUTPUT, F_CACHE_DIR, F_AUDIT,
} flag_id;

static const struct {
    const char *name;
    flag_id id;
} flags[] = {
    {"--dir", F_DIR},
    {"--work-dir", F_WORK_DIR},
    {"--allow-symlink-dotdot", F_ALLOW_SYMLINK_DOTDOT},
    {"--env", F_ENV},
    {"--allow-host", F_ALLOW_HOST},
    {"--block-network", F_BLOCK_NETWORK},
    {"--block-url", F_BLOCK_URL},
    {"--ca-file", F_CA_FILE},
    {"--resolve", F_RESOLVE},
    {"--timeout", F_TIMEOUT},
    {"--fuel", F_FUEL},
    {"--max-memory", F_MAX_MEMORY},
    {"--max-stack", F_MAX_STACK},
    {"--max-output", F_MAX_OUTPUT},
    {"--cache-dir", F_CACHE_DIR},
    {"--cache", F_CACHE_DIR}, /* the short name the issue and the README use */
    {"--audit", F_AUDIT},
};

static int find_flag(const char *flag)
{
    if (!flag)
        return -1;
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
        if (strcmp(flags[i].name, flag) == 0)
            return (int)flags[i].id;
    return -1;
}

bool wb_policy_is_flag(const char *flag)
{
    return find_flag(flag) >= 0;
}

bool wb_policy_apply_flag(wb_policy *p, const char *flag, const char *value, char *err,
                          size_t errlen)
{
    int id = find_flag(flag);
    if (id < 0)
        return wbp_fail(err, errlen, flag ? flag : "(null)", "not a policy flag");
    if (!value)
        return wbp_fail(err, errlen, flag, "missing value");
    wbp_begin_source(p, true);
    switch ((flag_id)id) {
    case F_DIR: return wbp_add_dir_spec(p, flag, value, NULL, err, errlen);
    case F_WORK_DIR: return wbp_set_path(p, WBP_WORK_DIR, flag, value, NULL, err, errlen);
    case F_ALLOW_SYMLINK_DOTDOT: return wbp_set_symlink_dotdot(p, flag, value, false, err, errlen);
    case F_ENV: return wbp_set_env_spec(p, flag, value, err, errlen);
    case F_ALLOW_HOST: return wbp_add_allowed_host(p, flag, value, err, errlen);
    case F_BLOCK_NETWORK: return wbp_add_block_network(p, flag, value, err, errlen);
    case F_BLOCK_URL: return wbp_add_block_url(p, flag, value, err, errlen);
    case F_CA_FILE: return wbp_set_path(p, WBP_CA_FILE, flag, value, NULL, err, errlen);
    case F_RESOLVE: return wbp_add_resolve(p, flag, value, err, errlen);
    case F_TIMEOUT: return wbp_set_limit_text(p, WBP_TIMEOUT_MS, flag, value, err, errlen);
    case F_FUEL: return wbp_set_limit_text(p, WBP_FUEL, flag, value, err, errlen);
    case F_MAX_MEMORY: return wbp_set_limit_text(p, WBP_MAX_MEMORY, flag, value, err, errlen);
    case F_MAX_STACK: return wbp_set_limit_text(p, WBP_MAX_STACK, flag, value, err, errlen);
    case F_MAX_OUTPUT: return wbp_set_limit_text(p, WBP_MAX_OUTPUT, flag, value, err, errlen);
    case F_CACHE_DIR: return wbp_set_path(p, WBP_CACHE_DIR, flag, value, NULL, err, errlen);
    case F_AUDIT: return wbp_set_path(p, WBP_AUDIT, flag, value, NULL, err, errlen);
    }
    return wbp_fail(err, errlen, flag, "not a policy flag");
}
