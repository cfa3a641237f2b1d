/* `wasmbox tool list|call`: the tool bridge (bridge.h) from the command line.
 *
 *   wasmbox tool list [--tools DIR]... [--builtin-dir DIR] [--json]
 *   wasmbox tool call NAME [--input JSON] [--workspace DIR[:ro]] [--tools DIR]...
 *                     [--builtin-dir DIR] [--policy FILE] [POLICY FLAGS]
 *
 * call prints the result object (with meta) on one line. Exit codes: 0 a
 * result with is_error false, 1 a result with is_error true (the tool's own
 * error, an input the schema refused, a limit, a trap), 2 a usage or
 * configuration error (bad flag, policy, manifest; no such tool): then
 * nothing is printed on stdout and stderr says why. SIGINT or SIGTERM
 * during the call cancels it: the result says "cancelled" (exit 1). */
#include "bridge.h"
#include "cli.h"
#include "cli_opts.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_TOOL_DIRS 64

typedef struct tool_opts {
    const char *tools[MAX_TOOL_DIRS];
    size_t ntools;
    const char *builtin_dir, *input, *workspace, *policy_file, *name;
    bool json;
} tool_opts;

static int usage(const char *fmt, const char *arg)
{
    if (fmt) {
        fprintf(stderr, "wasmbox: tool: ");
        fprintf(stderr, fmt, arg);
        fprintf(stderr, "\n");
    }
    fprintf(stderr,
            "usage: wasmbox tool list [--tools DIR]... [--builtin-dir DIR] [--json]\n"
            "       wasmbox tool call NAME [--input JSON] [--workspace DIR[:ro]] [--tools DIR]...\n"
            "                         [--builtin-dir DIR] [--policy FILE] [POLICY FLAGS]\n"
            "(the input is read from stdin without --input; see `wasmbox help` for the policy "
            "flags)\n");
    return CLI_EXIT_USAGE;
}

/* "--flag=value" or "--flag value". */
static bool split(int argc, char **argv, int *i, char *name, size_t len, const char **value)
{
    const char *a = argv[*i], *eq = strchr(a, '=');
    if (eq) {
        snprintf(name, len, "%.*s", (int)(eq - a), a);
        *value = eq + 1;
        return true;
    }
    snprintf(name, len, "%s", a);
    if (*i + 1 >= argc)
        return false;
    *value = argv[++*i];
    return true;
}

static bool once(const char **field, const char *name, const char *value)
{
    if (*field) {
        fprintf(stderr, "wasmbox: tool: %s given twice ('%s', then '%s'); give it once\n", name,
                *field, value);
        return false;
    }
    *field = value;
    return true;
}

enum { T_TOOLS, T_BUILTIN_DIR, T_JSON, T_INPUT, T_WORKSPACE, T_POLICY };

static const cli_opt list_table[] = {
    {"--tools", NULL, "DIR", "also the tools in DIR (repeatable)", T_TOOLS},
    {"--builtin-dir", NULL, "DIR", "the built-in tools' directory (default: beside wasmbox)",
     T_BUILTIN_DIR},
    {"--json", NULL, NULL, "print the manifests as JSON", T_JSON},
};

static const cli_opt call_table[] = {
    {"--input", NULL, "JSON", "the tool's input (default: read from stdin)", T_INPUT},
    {"--workspace", NULL, "DIR[:ro]", "the directory the tool works in", T_WORKSPACE},
    {"--tools", NULL, "DIR", "also the tools in DIR (repeatable)", T_TOOLS},
    {"--builtin-dir", NULL, "DIR", "the built-in tools' directory (default: beside wasmbox)",
     T_BUILTIN_DIR},
    {"--policy", NULL, "FILE", "the operator's policy (policy/README.md)", T_POLICY},
};

const cli_command cli_cmd_tool_list = {
    "tool list", "[--tools DIR]... [--builtin-dir DIR] [--json]",
    "list the agent tools (built-in and DIRs')", CLI_OPTS(list_table), false, NULL,
};

const cli_command cli_cmd_tool_call = {
    "tool call", "NAME [OPTIONS] [POLICY FLAGS]",
    "call a tool (input from stdin without --input); prints its result as JSON",
    CLI_OPTS(call_table), true,
    "exit codes: 0 ok, 1 the result is an error, 2 usage or configuration error\n",
};

/* First pass: the bridge's own options; policy flags are applied later,
 * over the --policy file wherever it stands. Returns -1 when --help was
 * printed. */
static int parse(int argc, char **argv, bool call, tool_opts *o)
{
    const cli_command *c = call ? &cli_cmd_tool_call : &cli_cmd_tool_list;
    for (int i = 0; i < argc;) {
        cli_arg a;
        bool ok = true;
        switch (cli_next_arg(c, argc, argv, &i, &a)) {
        case CLI_ARG_HELP: cli_help(stdout, c); return -1;
        case CLI_ARG_ERROR: return cli_usage_error(c, "%s", a.msg);
        case CLI_ARG_DASHDASH: return cli_usage_error(c, "unexpected '--'");
        case CLI_ARG_POLICY: break; /* applied in build_policy */
        case CLI_ARG_POSITIONAL:
            if (!call || o->name)
                return cli_usage_error(c, "unexpected argument '%s'", a.value);
            o->name = a.value;
            break;
        case CLI_ARG_OPT:
            switch (a.opt->id) {
            case T_TOOLS:
                if (o->ntools == MAX_TOOL_DIRS)
                    return cli_usage_error(c, "more than 64 --tools directories (%s)", a.value);
                o->tools[o->ntools++] = a.value;
                break;
            case T_BUILTIN_DIR: ok = once(&o->builtin_dir, a.name, a.value); break;
            case T_JSON: o->json = true; break;
            case T_INPUT: ok = once(&o->input, a.name, a.value); break;
            case T_WORKSPACE: ok = once(&o->workspace, a.name, a.value); break;
            case T_POLICY: ok = once(&o->policy_file, a.name, a.value); break;
            }
            break;
        }
        if (!ok)
            return CLI_EXIT_USAGE;
    }
    if (call && !o->name)
        return cli_usage_error(c, "no tool named (wasmbox tool call NAME ...)");
    return CLI_EXIT_OK;
}

static bool build_policy(wb_policy *p, const tool_opts *o, int argc, char **argv)
{
    char err[WB_POLICY_ERR_MAX];
    bool ok = !o->policy_file || wb_policy_load_file(p, o->policy_file, err, sizeof err);
    for (int i = 0; ok && i < argc; i++) {
        if (argv[i][0] != '-' || !argv[i][1] || !strcmp(argv[i], "--json"))
            continue;
        char name[64];
        const char *value;
        if (!split(argc, argv, &i, name, sizeof name, &value))
            break;
        if (wb_policy_is_flag(name))
            ok = wb_policy_apply_flag(p, name, value, err, sizeof err);
    }
    ok = ok && wb_policy_check(p, err, sizeof err);
    if (!ok)
        fprintf(stderr, "wasmbox: %s\n", err);
    return ok;
}

static int open_bridge(const tool_opts *o, const wb_policy *p, const char *ws, bool ws_ro,
                       wbt_bridge **b)
{
    wbt_bridge_config cfg = {.builtin_dir = o->builtin_dir, .tool_dirs = o->tools,
                             .n_tool_dirs = o->ntools, .policy = p, .workspace = ws,
                             .workspace_read_only = ws_ro};
    char err[2048];
    if (wbt_bridge_open(&cfg, b, err, sizeof err) != 0) {
        fprintf(stderr, "wasmbox: %s\n", err);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* The first line of a description, for the table. */
static void first_line(const char *s, char *buf, size_t len)
{
    size_t n = strcspn(s, "\n");
    const char *dot = strstr(s, ". ");
    if (dot && (size_t)(dot - s) + 1 < n)
        n = (size_t)(dot - s) + 1;
    snprintf(buf, len, "%.*s", (int)n, s);
}

static int list(int argc, char **argv)
{
    tool_opts o = {0};
    int rc = parse(argc, argv, false, &o);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;
    wbt_bridge *b;
    rc = open_bridge(&o, NULL, NULL, false, &b);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (o.json) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 0; arr && i < wbt_bridge_count(b); i++)
            if (!cJSON_AddItemToArray(arr, cJSON_Duplicate(wbt_bridge_manifest(b, i), 1))) {
                cJSON_Delete(arr);
                arr = NULL;
            }
        char *text = arr ? cJSON_Print(arr) : NULL;
        if (!text || printf("%s\n", text) < 0)
            rc = CLI_EXIT_FAIL;
        cJSON_free(text);
        cJSON_Delete(arr);
    } else {
        for (size_t i = 0; i < wbt_bridge_count(b); i++) {
            const cJSON *m = wbt_bridge_manifest(b, i);
            const cJSON *caps = cJSON_GetObjectItemCaseSensitive(m, "capabilities");
            const cJSON *net = cJSON_GetObjectItemCaseSensitive(caps, "network");
            char line[300];
            first_line(cJSON_GetObjectItemCaseSensitive(m, "description")->valuestring, line,
                       sizeof line);
            printf("%-12s files: %-5s network: %-4s %s\n",
                   cJSON_GetObjectItemCaseSensitive(m, "name")->valuestring,
                   cJSON_GetObjectItemCaseSensitive(caps, "filesystem")->valuestring,
                   cJSON_IsString(net) ? "none" : "yes", line);
        }
    }
    if (fflush(stdout) != 0)
        rc = CLI_EXIT_FAIL;
    wbt_bridge_close(b);
    return rc;
}

static char *read_stdin(size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        ssize_t r = read(0, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
        if (n > WBT_MAX_INPUT_BYTES)
            break;
        if (n == cap) {
            cap *= 2;
            char *nb = realloc(buf, cap + 1);
            if (!nb) {
                free(buf);
                return NULL;
            }
            buf = nb;
        }
    }
    if (buf)
        buf[n] = 0;
    *len = n;
    return buf;
}

static int print_result(cJSON *res)
{
    char *text = res ? cJSON_PrintUnformatted(res) : NULL;
    int rc = CLI_EXIT_FAIL;
    if (!text) {
        fprintf(stderr, "wasmbox: tool: out of memory\n");
    } else if (printf("%s\n", text) < 0 || fflush(stdout) != 0) {
        fprintf(stderr, "wasmbox: tool: cannot write the result to stdout\n");
    } else {
        rc = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(res, "is_error")) ? CLI_EXIT_FAIL
                                                                             : CLI_EXIT_OK;
    }
    cJSON_free(text);
    return rc;
}

/* SIGINT or SIGTERM during a call cancels it (the result, status
 * "cancelled", is still printed): a thread waits for them with sigwait,
 * since firing a cancel is not async-signal-safe. SIGUSR1 tells it the call
 * is over. */
typedef struct sig_watch {
    pthread_t thread;
    wbt_cancel *cancel;
    sigset_t set;
} sig_watch;

static void *sig_main(void *arg)
{
    sig_watch *w = arg;
    for (;;) {
        int sig = 0;
        if (sigwait(&w->set, &sig) != 0 || sig == SIGUSR1)
            return NULL;
        wbt_cancel_fire(w->cancel);
    }
}

static bool sig_start(sig_watch *w)
{
    sigemptyset(&w->set);
    sigaddset(&w->set, SIGINT);
    sigaddset(&w->set, SIGTERM);
    sigaddset(&w->set, SIGUSR1);
    w->cancel = wbt_cancel_new();
    /* blocked here, so every thread made later (the call's) has them blocked */
    if (!w->cancel || pthread_sigmask(SIG_BLOCK, &w->set, NULL) != 0 ||
        pthread_create(&w->thread, NULL, sig_main, w) != 0) {
        wbt_cancel_free(w->cancel);
        w->cancel = NULL;
        return false;
    }
    return true;
}

static void sig_stop(sig_watch *w)
{
    if (!w->cancel)
        return;
    pthread_kill(w->thread, SIGUSR1);
    pthread_join(w->thread, NULL);
    wbt_cancel_free(w->cancel);
}

static int call(int argc, char **argv)
{
    tool_opts o = {0};
    int rc = parse(argc, argv, true, &o);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;
    wb_policy p;
    wb_policy_init(&p);
    wbt_bridge *b = NULL;
    char *ws = NULL, *text = NULL;
    cJSON *res = NULL;
    rc = CLI_EXIT_USAGE;
    if (!build_policy(&p, &o, argc, argv))
        goto out;
    bool ws_ro = false;
    if (o.workspace) {
        ws = strdup(o.workspace);
        size_t n = ws ? strlen(ws) : 0;
        if (n > 3 && !strcmp(ws + n - 3, ":ro")) {
            ws[n - 3] = 0;
            ws_ro = true;
        } else if (n > 3 && !strcmp(ws + n - 3, ":rw")) {
            ws[n - 3] = 0;
        }
    }
    if (open_bridge(&o, &p, ws, ws_ro, &b) != CLI_EXIT_OK)
        goto out;
    if (!wbt_bridge_find(b, o.name)) {
        fprintf(stderr, "wasmbox: tool call: no tool named '%s' (", o.name);
        for (size_t i = 0; i < wbt_bridge_count(b); i++)
            fprintf(stderr, "%s%s", i ? ", " : "tools: ",
                    cJSON_GetObjectItemCaseSensitive(wbt_bridge_manifest(b, i), "name")->valuestring);
        fprintf(stderr, "%s)\n", wbt_bridge_count(b) ? "" : "no tools loaded");
        goto out;
    }
    size_t len = 0;
    text = o.input ? strdup(o.input) : read_stdin(&len);
    if (!text) {
        fprintf(stderr, "wasmbox: tool call: cannot read the input: %s\n", strerror(errno));
        rc = CLI_EXIT_FAIL;
        goto out;
    }
    if (o.input)
        len = strlen(text);
    /* A tool writing into a pipe nobody reads gets EPIPE, not our death. */
    signal(SIGPIPE, SIG_IGN);
    sig_watch sw = {0};
    wbt_call_opts opts = {.cancel = sig_start(&sw) ? sw.cancel : NULL};
    res = wbt_bridge_call_text(b, o.name, text, len, &opts);
    sig_stop(&sw);
    rc = print_result(res);
out:
    cJSON_Delete(res);
    free(text);
    free(ws);
    wbt_bridge_close(b);
    wb_policy_free(&p);
    return rc;
}

int cli_tool(int argc, char **argv)
{
    if (argc >= 1 && !strcmp(argv[0], "list"))
        return list(argc - 1, argv + 1);
    if (argc >= 1 && !strcmp(argv[0], "call"))
        return call(argc - 1, argv + 1);
    if (argc >= 1 && (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help"))) {
        cli_help(stdout, &cli_cmd_tool_list);
        printf("\n");
        cli_help(stdout, &cli_cmd_tool_call);
        return CLI_EXIT_OK;
    }
    return usage(argc ? "unknown sub-command '%s'" : NULL, argc ? argv[0] : "");
}
