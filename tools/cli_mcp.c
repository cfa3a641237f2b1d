/* `wasmbox mcp`: the MCP server (tools/mcp/) on stdio, its tools run by the
 * tool bridge (bridge.h), each call in a fresh sandbox with the tool's
 * capabilities intersected with the operator's policy.
 *
 *   wasmbox mcp [--policy FILE] [--workspace DIR[:ro]] [--tools DIR]...
 *               [--builtin-dir DIR] [--skills DIR]... [--jobs N]
 *               [--max-message SIZE] [--max-queue N] [--page-size N]
 *               [--listen ADDR:PORT [--token-file FILE] [--allow-origin ORIGIN]...]
 *               [POLICY FLAGS]
 *
 * stdout carries protocol messages only; diagnostics go to stderr. Exit 0
 * at the end of input (after the calls under way are answered) or on
 * SIGTERM/SIGINT (calls cancelled), 1 when stdout broke, 2 a usage or
 * configuration error (nothing is served then). */
#include "bridge.h"
#include "cli.h"
#include "cli_mcp_reload.h"
#include "cli_opts.h"
#include "mcp/mcp.h"
#include "../policy/policy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DIRS 64

typedef struct mcp_opts {
    const char *tools[MAX_DIRS], *skills[MAX_DIRS], *origins[MAX_DIRS];
    size_t ntools, nskills, norigins;
    const char *listen, *token_file;
    const char *builtin_dir, *workspace, *policy_file;
    const char *jobs, *max_message, *max_queue, *page_size;
} mcp_opts;

static int usage(const char *what, const char *arg)
{
    if (what)
        fprintf(stderr, "wasmbox: mcp: %s%s%s\n", what, arg ? " " : "", arg ? arg : "");
    fprintf(stderr,
            "usage: wasmbox mcp [--policy FILE] [--workspace DIR[:ro]] [--tools DIR]...\n"
            "                   [--builtin-dir DIR] [--skills DIR]... [--jobs N]\n"
            "                   [--max-message SIZE] [--max-queue N] [--page-size N]\n"
            "                   [--listen ADDR:PORT [--token-file FILE] [--allow-origin ORIGIN]...]\n"
            "                   [POLICY FLAGS]\n"
            "an MCP server on stdin/stdout (tools/README.md \"wasmbox mcp\")\n");
    return CLI_EXIT_USAGE;
}

static bool set_once(const char **slot, const char *flag, const char *value)
{
    if (*slot) {
        fprintf(stderr, "wasmbox: mcp: %s given twice; give it once\n", flag);
        return false;
    }
    *slot = value;
    return true;
}

/* Walks "--flag value" / "--flag=value" pairs; calls fn for each. */
typedef bool (*flag_fn)(void *ctx, const char *flag, const char *value);
static int each_flag(int argc, char **argv, flag_fn fn, void *ctx)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *eq = strchr(a, '='), *value;
        char flag[64];
        if (strncmp(a, "--", 2))
            return usage("unexpected argument", a);
        if (eq) {
            snprintf(flag, sizeof flag, "%.*s", (int)(eq - a), a);
            value = eq + 1;
        } else {
            snprintf(flag, sizeof flag, "%s", a);
            if (i + 1 >= argc)
                return usage("a value is missing after", a);
            value = argv[++i];
        }
        if (!fn(ctx, flag, value))
            return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

static bool own_flag(void *ctx, const char *flag, const char *value)
{
    mcp_opts *o = ctx;
    if (!strcmp(flag, "--allow-origin")) {
        if (o->norigins == MAX_DIRS) {
            fprintf(stderr, "wasmbox: mcp: more than %d --allow-origin\n", MAX_DIRS);
            return false;
        }
        o->origins[o->norigins++] = value;
        return true;
    }
    if (!strcmp(flag, "--tools") || !strcmp(flag, "--skills")) {
        bool tools = flag[2] == 't';
        size_t *n = tools ? &o->ntools : &o->nskills;
        if (*n == MAX_DIRS) {
            fprintf(stderr, "wasmbox: mcp: more than %d %s directories\n", MAX_DIRS, flag);
            return false;
        }
        (tools ? o->tools : o->skills)[(*n)++] = value;
        return true;
    }
    static const struct {
        const char *flag;
        size_t off;
    } once[] = {
        {"--builtin-dir", offsetof(mcp_opts, builtin_dir)},
        {"--workspace", offsetof(mcp_opts, workspace)},
        {"--policy", offsetof(mcp_opts, policy_file)},
        {"--jobs", offsetof(mcp_opts, jobs)},
        {"--max-message", offsetof(mcp_opts, max_message)},
        {"--max-queue", offsetof(mcp_opts, max_queue)},
        {"--page-size", offsetof(mcp_opts, page_size)},
        {"--listen", offsetof(mcp_opts, listen)},
        {"--token-file", offsetof(mcp_opts, token_file)},
    };
    for (size_t i = 0; i < sizeof once / sizeof once[0]; i++)
        if (!strcmp(flag, once[i].flag))
            return set_once((const char **)((char *)o + once[i].off), flag, value);
    if (wb_policy_is_flag(flag))
        return true; /* applied in the second pass */
    fprintf(stderr, "wasmbox: mcp: unknown option %s\n", flag);
    return false;
}

typedef struct policy_pass {
    wb_policy *p;
    char err[WB_POLICY_ERR_MAX];
} policy_pass;

static bool policy_flag(void *ctx, const char *flag, const char *value)
{
    policy_pass *pp = ctx;
    if (!wb_policy_is_flag(flag))
        return true;
    if (!wb_policy_apply_flag(pp->p, flag, value, pp->err, sizeof pp->err)) {
        fprintf(stderr, "wasmbox: %s\n", pp->err);
        return false;
    }
    return true;
}

/* A count flag: a decimal integer in [lo, hi]. */
static bool count_flag(const char *flag, const char *text, size_t lo, size_t hi, size_t *out)
{
    if (!text)
        return true;
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (!*text || *end || text[0] == '-' || v < lo || v > hi) {
        fprintf(stderr, "wasmbox: mcp: %s: expected an integer from %zu to %zu, got '%s'\n", flag,
                lo, hi, text);
        return false;
    }
    *out = (size_t)v;
    return true;
}

/* A size flag: bytes, with the units every size takes (64KiB, 1M, ...:
 * wb_parse_size), in [lo, hi]. */
static bool size_flag(const char *flag, const char *text, size_t lo, size_t hi, size_t *out)
{
    if (!text)
        return true;
    uint64_t v;
    const char *why = NULL;
    if (!wb_parse_size(text, &v, &why) || v < lo || v > hi) {
        fprintf(stderr, "wasmbox: mcp: %s: expected a size from %zu to %zu bytes (units: KiB, MiB, "
                "GiB, or K, M, G), got '%s'%s%s\n", flag, lo, hi, text, why ? ": " : "", why ? why : "");
        return false;
    }
    *out = (size_t)v;
    return true;
}

/* ADDR:PORT with ADDR an IPv4 literal or a bracketed IPv6 one. */
static bool parse_listen(const char *text, char *host, size_t hostlen, unsigned *port)
{
    const char *colon = strrchr(text, ':');
    if (!colon || colon == text)
        return false;
    const char *h = text, *he = colon;
    if (*h == '[') {
        if (he[-1] != ']')
            return false;
        h++, he--;
    }
    if ((size_t)(he - h) >= hostlen)
        return false;
    snprintf(host, hostlen, "%.*s", (int)(he - h), h);
    unsigned char addr[16];
    if (inet_pton(AF_INET, host, addr) != 1 && inet_pton(AF_INET6, host, addr) != 1)
        return false; /* an address, not a name: no DNS decides where we listen */
    char *end;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (!colon[1] || *end || p > 65535)
        return false;
    *port = (unsigned)p;
    return true;
}

/* The bearer token: a file of ours that only we may read (0600 or
 * stricter), one line. */
static char *read_token(const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        fprintf(stderr, "wasmbox: mcp: --token-file %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode) || (st.st_mode & 077) || st.st_uid != geteuid()) {
        fprintf(stderr,
                "wasmbox: mcp: --token-file %s: must be a regular file of yours that others cannot "
                "read (chmod 600)\n",
                path);
        close(fd);
        return NULL;
    }
    char buf[1024];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n < 0)
        n = 0;
    buf[n] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    if (strlen(buf) < 16) {
        fprintf(stderr, "wasmbox: mcp: --token-file %s: the token must be at least 16 characters\n",
                path);
        return NULL;
    }
    return strdup(buf);
}

static void on_signal(int sig)
{
    (void)sig;
    mcp_stop();
}

int cli_mcp(int argc, char **argv)
{
    mcp_opts o = {0};
    int rc = each_flag(argc, argv, own_flag, &o);
    if (rc != CLI_EXIT_OK)
        return rc;
    mcp_config cfg;
    mcp_config_defaults(&cfg);
    cfg.server_version = WASMBOX_VERSION; /* serverInfo.version: the one version */
    if (!count_flag("--jobs", o.jobs, 1, MCP_MAX_JOBS, &cfg.jobs) ||
        !size_flag("--max-message", o.max_message, 1024, (size_t)1 << 30, &cfg.max_message) ||
        !count_flag("--max-queue", o.max_queue, 1, 100000, &cfg.max_queue) ||
        !count_flag("--page-size", o.page_size, 1, 100000, &cfg.page_size))
        return CLI_EXIT_USAGE;
    if (cfg.max_queue < cfg.jobs) {
        fprintf(stderr, "wasmbox: mcp: --max-queue (%zu) must be at least --jobs (%zu)\n",
                cfg.max_queue, cfg.jobs);
        return CLI_EXIT_USAGE;
    }

    char host[64];
    unsigned port = 0;
    if (o.listen && !parse_listen(o.listen, host, sizeof host, &port)) {
        fprintf(stderr, "wasmbox: mcp: --listen: expected ADDR:PORT (127.0.0.1:8080, [::1]:8080), "
                        "got '%s'\n", o.listen);
        return CLI_EXIT_USAGE;
    }
    if (!o.listen && (o.token_file || o.norigins)) {
        fprintf(stderr, "wasmbox: mcp: --token-file and --allow-origin go with --listen\n");
        return CLI_EXIT_USAGE;
    }
    char *token = NULL;
    if (o.token_file && !(token = read_token(o.token_file)))
        return CLI_EXIT_USAGE;
    wb_policy p;
    wb_policy_init(&p);
    mcp_skills skills = {0};
    mcp_live_tools lt = {.ifd = -1};
    bool tools_open = false;
    char *ws = NULL;
    char err[2048];
    rc = CLI_EXIT_USAGE;
    policy_pass pp = {.p = &p};
    if (o.policy_file && !wb_policy_load_file(&p, o.policy_file, err, sizeof err)) {
        fprintf(stderr, "wasmbox: %s\n", err);
        goto out;
    }
    if (each_flag(argc, argv, policy_flag, &pp) != CLI_EXIT_OK)
        goto out;
    if (!wb_policy_check(&p, err, sizeof err)) {
        fprintf(stderr, "wasmbox: %s\n", err);
        goto out;
    }
    bool ws_ro = false;
    if (o.workspace) {
        size_t n = strlen(o.workspace);
        ws = strdup(o.workspace);
        if (!ws)
            goto out;
        if (n > 3 && (!strcmp(ws + n - 3, ":ro") || !strcmp(ws + n - 3, ":rw"))) {
            ws_ro = ws[n - 2] == 'r' && ws[n - 1] == 'o';
            ws[n - 3] = '\0';
        }
    }
    for (size_t i = 0; i < o.nskills; i++)
        if (!skills_add_dir(&skills, o.skills[i], err, sizeof err)) {
            fprintf(stderr, "wasmbox: %s\n", err);
            goto out;
        }
    wbt_bridge_config bc = {.builtin_dir = o.builtin_dir, .tool_dirs = o.tools,
                            .n_tool_dirs = o.ntools, .policy = &p, .workspace = ws,
                            .workspace_read_only = ws_ro};
    if (mcp_live_tools_open(&lt, &bc, err, sizeof err) != 0) {
        fprintf(stderr, "wasmbox: %s\n", err);
        goto out;
    }
    tools_open = true;
    /* A changed --tools directory is reloaded, and clients are told. */
    cfg.tools_list_changed = mcp_live_tools_watch(&lt);
    const mcp_backend *be = &lt.backend;
    /* No SA_RESTART: the signal interrupts the read of stdin. */
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN); /* a client gone is a write error, not our death */
    if (o.listen) {
        if (!token && strcmp(host, "127.0.0.1") && strcmp(host, "::1"))
            fprintf(stderr, "wasmbox mcp: warning: listening on %s without --token-file: anyone "
                            "who can reach it may call the tools\n", host);
        mcp_http_config hc = {.host = host, .port = port, .token = token, .origins = o.origins,
                              .norigins = o.norigins};
        fprintf(stderr, "wasmbox mcp: serving %zu tools and %zu prompts over HTTP\n",
                be->count(be->self), skills.count);
        rc = mcp_serve_http(&cfg, &hc, be, &skills) ? CLI_EXIT_FAIL : CLI_EXIT_OK;
        goto out;
    }
    fprintf(stderr, "wasmbox mcp: serving %zu tools and %zu prompts on stdio (%zu workers)\n",
            be->count(be->self), skills.count, cfg.jobs);
    rc = mcp_serve(&cfg, be, &skills, 0, 1) ? CLI_EXIT_FAIL : CLI_EXIT_OK;
out:
    free(token);
    if (tools_open)
        mcp_live_tools_close(&lt);
    skills_free(&skills);
    free(ws);
    wb_policy_free(&p);
    return rc;
}
