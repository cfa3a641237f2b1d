/* From a checked policy to the sandbox of one run: engine limits, the WASI
 * configuration (argv, environment, directories, output cap) and the audit log.
 *
 * The policy is the only source of capabilities: nothing here adds any (no
 * inherited environment, no implicit directory). */
#include "cli.h"
#include "cli_opts.h"

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The guest sees only the file name of the module as argv[0], so the host's
 * directory layout does not leak into the sandbox. */
static const char *file_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

/* limit.memory: one for each memory.grow/table.grow refused at max_memory (the
 * guest goes on, so it can repeat this: capped like every decision). */
static void audit_budget(void *user, uint64_t requested, uint64_t used, uint64_t limit)
{
    cli_sandbox *sb = user;
    sb->memory_refusals++;
    WB_AUDIT(sb->audit, "limit.memory", WB_UINT("requested_bytes", requested),
             WB_UINT("used_bytes", used), WB_UINT("max_memory", limit));
}

void cli_sandbox_watch_store(cli_sandbox *sb, wb_store *store)
{
    wb_store_on_budget_refusal(store, audit_budget, sb);
}

static bool fail(char *err, size_t errlen, const char *msg)
{
    snprintf(err, errlen, "%s", msg);
    return false;
}

bool cli_sandbox_init(cli_sandbox *sb, const wb_policy *p, const char *module_path, char *err,
                      size_t errlen)
{
    memset(sb, 0, sizeof *sb);

    sb->limits = wb_default_limits();
    if (p->fuel != WB_UNLIMITED)
        sb->limits.fuel = p->fuel;
    if (p->max_memory != WB_UNLIMITED)
        sb->limits.max_memory = p->max_memory;
    if (p->max_stack != WB_UNLIMITED)
        sb->limits.max_stack = p->max_stack > SIZE_MAX ? SIZE_MAX : (size_t)p->max_stack;

    sb->argv = calloc(p->nargs + 1, sizeof *sb->argv);
    size_t ndirs = p->ndirs + (p->work_dir ? 1 : 0);
    sb->dirs = calloc(ndirs + 1, sizeof *sb->dirs);
    if (!sb->argv || !sb->dirs) {
        cli_sandbox_free(sb);
        return fail(err, errlen, "out of memory");
    }
    sb->argv[0] = file_name(module_path);
    for (size_t i = 0; i < p->nargs; i++)
        sb->argv[i + 1] = p->args[i];
    size_t k = 0;
    if (p->work_dir)
        sb->dirs[k++] = (wb_wasi_dir){.host_path = p->work_dir, .guest_path = "/"};
    for (size_t i = 0; i < p->ndirs; i++)
        sb->dirs[k++] = (wb_wasi_dir){.host_path = p->dirs[i].host,
                                      .guest_path = p->dirs[i].guest,
                                      .read_only = p->dirs[i].read_only};

    sb->wasi = wb_wasi_default_config();
    sb->wasi.args = sb->argv;
    sb->wasi.nargs = p->nargs + 1;
    sb->wasi.env = (const char *const *)p->env;
    sb->wasi.nenv = p->nenv;
    sb->wasi.dirs = sb->dirs;
    sb->wasi.ndirs = ndirs;
    /* The policy's 0 ("pass nothing") is the shim's 0 too; "unlimited" is no cap. */
    sb->wasi.max_output =
        p->max_output == WB_UNLIMITED ? WB_WASI_NO_OUTPUT_LIMIT : p->max_output;
    sb->wasi.allow_symlink_dotdot = p->allow_symlink_dotdot;

    if (p->audit) {
        sb->audit = wb_audit_open(p->audit, err, errlen);
        if (!sb->audit) {
            cli_sandbox_free(sb);
            return false;
        }
        sb->wasi.audit = sb->audit;
    }
    return true;
}

void cli_sandbox_free(cli_sandbox *sb)
{
    free(sb->argv);
    free(sb->dirs);
    wb_audit_close(sb->audit);
    memset(sb, 0, sizeof *sb);
}

/* ---- the run.start record ---- */

static cJSON *dirs_json(const cli_sandbox *sb)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < sb->wasi.ndirs; i++) {
        cJSON *d = cJSON_CreateObject();
        if (!d || !cJSON_AddStringToObject(d, "host", sb->dirs[i].host_path) ||
            !cJSON_AddStringToObject(d, "guest", sb->dirs[i].guest_path) ||
            !cJSON_AddStringToObject(d, "mode", sb->dirs[i].read_only ? "ro" : "rw") ||
            !cJSON_AddItemToArray(arr, d)) {
            cJSON_Delete(d);
            cJSON_Delete(arr);
            return NULL;
        }
    }
    return arr;
}

/* Names only: values may be secrets, and the log is not the place for them. */
static cJSON *env_json(const wb_policy *p)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < p->nenv; i++) {
        const char *eq = strchr(p->env[i], '=');
        size_t n = eq ? (size_t)(eq - p->env[i]) : strlen(p->env[i]);
        char *name = strndup(p->env[i], n);
        cJSON *v = name ? cJSON_CreateString(name) : NULL;
        free(name);
        if (!cJSON_AddItemToArray(arr, v)) {
            cJSON_Delete(v);
            cJSON_Delete(arr);
            return NULL;
        }
    }
    return arr;
}

static cJSON *hosts_json(const wb_policy *p)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < p->nallowed_outbound_hosts; i++) {
        char buf[320];
        wb_host_pattern_format(&p->allowed_outbound_hosts[i], buf, sizeof buf);
        if (!cJSON_AddItemToArray(arr, cJSON_CreateString(buf))) {
            cJSON_Delete(arr);
            return NULL;
        }
    }
    return arr;
}

static void sha256_hex(const uint8_t *bytes, size_t len, const unsigned char *given, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 32;
    out[0] = 0;
    if (given)
        memcpy(md, given, 32);
    else if (!EVP_Digest(bytes, len, md, &mdlen, EVP_sha256(), NULL))
        return;
    for (unsigned i = 0; i < mdlen && i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

void cli_sandbox_audit_start(const cli_sandbox *sb, const wb_policy *p, const char *module_path,
                             const uint8_t *bytes, size_t len, const unsigned char *sha256)
{
    if (!sb->audit)
        return;
    char sha[65];
    sha256_hex(bytes, len, sha256, sha);
    WB_AUDIT_ONCE(sb->audit, "run.start", WB_STR("version", WASMBOX_VERSION),
                  WB_STR("module", module_path), WB_STR("sha256", sha),
                  WB_UINT("argc", sb->wasi.nargs), WB_JSON("dirs", dirs_json(sb)),
                  WB_BOOL("allow_symlink_dotdot", p->allow_symlink_dotdot),
                  WB_JSON("env", env_json(p)),
                  WB_STRS("env_inherited", (const char *const *)p->env_inherited,
                          p->nenv_inherited),
                  WB_JSON("allowed_outbound_hosts", hosts_json(p)),
                  WB_LIMIT("timeout_ms", p->timeout_ms), WB_LIMIT("fuel", p->fuel),
                  WB_LIMIT("max_memory", p->max_memory), WB_LIMIT("max_stack", p->max_stack),
                  WB_LIMIT("max_output", p->max_output));
}
