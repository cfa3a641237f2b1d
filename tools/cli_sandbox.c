/* From a checked policy to the sandbox of one run: engine limits, the WASI
 * configuration (argv, environment, directories, output cap) and the audit log.
 *
 * The policy is the only source of capabilities: nothing here adds any (no
 * inherited environment, no implicit directory). */
#include "cli.h"

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

/* Every capability decision goes through here, so one cap covers them all.
 * The once-a-run records (proc.exit, proc.trap, output.limit) are always
 * written: a guest cannot repeat them to flood the log. */
static void audit_decision(cli_sandbox *sb, const char *event, const char *detail)
{
    bool once = !strncmp(event, "proc.", 5) || !strncmp(event, "output.", 7);
    if (!once && sb->decisions >= CLI_AUDIT_MAX_DECISIONS) {
        if (sb->suppressed++ == 0)
            wb_audit_event(sb->audit, "audit.suppressed", "detail",
                           "too many capability decisions: the rest are counted in run.exit",
                           NULL);
        return;
    }
    if (!once)
        sb->decisions++;
    wb_audit_event(sb->audit, event, "detail", detail, NULL);
}

static void audit_wasi(void *user, const char *event, const char *detail)
{
    audit_decision(user, event, detail);
}

static void audit_budget(void *user, uint64_t requested, uint64_t used, uint64_t limit)
{
    cli_sandbox *sb = user;
    sb->memory_refusals++;
    if (!sb->audit)
        return;
    char detail[160];
    snprintf(detail, sizeof detail, "refused %llu bytes: %llu of max_memory %llu in use",
             (unsigned long long)requested, (unsigned long long)used, (unsigned long long)limit);
    audit_decision(sb, "limit.memory", detail);
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
        sb->wasi.audit = audit_wasi;
        sb->wasi.audit_user = sb; /* sb must not move after init */
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

static void put_limit(FILE *f, uint64_t v)
{
    if (v == WB_UNLIMITED)
        fputs("unlimited", f);
    else
        fprintf(f, "%llu", (unsigned long long)v);
}

/* A heap string built with a memstream; NULL when out of memory. */
typedef struct text {
    char *buf;
    size_t len;
    FILE *f;
} text;

static bool text_open(text *t)
{
    t->buf = NULL;
    t->len = 0;
    t->f = open_memstream(&t->buf, &t->len);
    return t->f != NULL;
}

static char *text_close(text *t)
{
    if (t->f && fclose(t->f) != 0) {
        free(t->buf);
        return NULL;
    }
    return t->buf;
}

static char *dirs_summary(const cli_sandbox *sb)
{
    text t;
    if (!text_open(&t))
        return NULL;
    for (size_t i = 0; i < sb->wasi.ndirs; i++)
        fprintf(t.f, "%s%s -> %s (%s)", i ? "; " : "", sb->dirs[i].host_path,
                sb->dirs[i].guest_path, sb->dirs[i].read_only ? "ro" : "rw");
    return text_close(&t);
}

/* Names only: values may be secrets, and the log is not the place for them. */
static char *env_summary(const wb_policy *p)
{
    text t;
    if (!text_open(&t))
        return NULL;
    for (size_t i = 0; i < p->nenv; i++) {
        const char *eq = strchr(p->env[i], '=');
        int n = eq ? (int)(eq - p->env[i]) : (int)strlen(p->env[i]);
        fprintf(t.f, "%s%.*s", i ? ", " : "", n, p->env[i]);
    }
    return text_close(&t);
}

static char *hosts_summary(const wb_policy *p)
{
    text t;
    if (!text_open(&t))
        return NULL;
    for (size_t i = 0; i < p->nallowed_outbound_hosts; i++) {
        char buf[320];
        wb_host_pattern_format(&p->allowed_outbound_hosts[i], buf, sizeof buf);
        fprintf(t.f, "%s%s", i ? ", " : "", buf);
    }
    return text_close(&t);
}

static char *limit_text(uint64_t v)
{
    text t;
    if (!text_open(&t))
        return NULL;
    put_limit(t.f, v);
    return text_close(&t);
}

static void sha256_hex(const uint8_t *bytes, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    out[0] = 0;
    if (!EVP_Digest(bytes, len, md, &mdlen, EVP_sha256(), NULL))
        return;
    for (unsigned i = 0; i < mdlen && i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

void cli_sandbox_audit_start(const cli_sandbox *sb, const wb_policy *p, const char *module_path,
                             const uint8_t *bytes, size_t len)
{
    if (!sb->audit)
        return;
    char sha[65], nargs[32];
    sha256_hex(bytes, len, sha);
    snprintf(nargs, sizeof nargs, "%zu", sb->wasi.nargs);
    char *dirs = dirs_summary(sb), *env = env_summary(p), *hosts = hosts_summary(p);
    char *timeout = limit_text(p->timeout_ms), *fuel = limit_text(p->fuel);
    char *mem = limit_text(p->max_memory), *stack = limit_text(p->max_stack);
    char *out = limit_text(p->max_output);
    wb_audit_event(sb->audit, "run.start", "module", module_path, "sha256", sha, "argc", nargs,
                   "dirs", dirs, "allow_symlink_dotdot", p->allow_symlink_dotdot ? "true" : "false",
                   "env", env, "allowed_outbound_hosts", hosts, "timeout_ms", timeout, "fuel", fuel,
                   "max_memory", mem, "max_stack", stack, "max_output", out, NULL);
    free(dirs);
    free(env);
    free(hosts);
    free(timeout);
    free(fuel);
    free(mem);
    free(stack);
    free(out);
}
