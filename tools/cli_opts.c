/* The option-table machinery (cli_opts.h): parsing one argument, --help, and
 * usage errors with "did you mean". */
#include "cli_opts.h"
#include "../policy/policy.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define HELP_COLUMN 30

#define HELP_WIDTH 79

/* Writes help from column HELP_COLUMN, wrapped at spaces to HELP_WIDTH. */
static void help_text(FILE *to, const char *help)
{
    size_t room = HELP_WIDTH - HELP_COLUMN;
    while (*help) {
        size_t n = strlen(help);
        if (n > room) {
            n = room;
            while (n > 0 && help[n] != ' ')
                n--;
            if (n == 0)
                n = strcspn(help, " ");
        }
        fprintf(to, "%.*s\n", (int)n, help);
        help += n;
        while (*help == ' ')
            help++;
        if (*help)
            fprintf(to, "%*s", HELP_COLUMN, "");
    }
}

static void help_row(FILE *to, const char *shortn, const char *longn, const char *metavar,
                     const char *help)
{
    char left[160];
    snprintf(left, sizeof left, "%s%s%s%s%s", shortn ? shortn : "", shortn && longn ? ", " : "",
             longn ? longn : "", metavar ? " " : "", metavar ? metavar : "");
    if (strlen(left) + 2 >= HELP_COLUMN)
        fprintf(to, "  %s\n%*s", left, HELP_COLUMN, "");
    else
        fprintf(to, "  %-*s", HELP_COLUMN - 2, left);
    help_text(to, help);
}

void cli_help(FILE *to, const cli_command *c)
{
    fprintf(to, "usage: wasmbox %s %s\n%s\n\noptions:\n", c->name, c->synopsis, c->summary);
    help_row(to, "-h", "--help", NULL, "print this help and exit");
    for (size_t i = 0; i < c->nopts; i++)
        help_row(to, c->opts[i].short_name, c->opts[i].name, c->opts[i].metavar,
                 c->opts[i].help);
    if (c->policy_flags) {
        size_t n;
        const wb_policy_flag_info *f = wb_policy_flags(&n);
        fprintf(to, "\npolicy flags (over the --policy file wherever it stands; lists add up;\n"
                    "limits take \"unlimited\"; see policy/README.md):\n");
        for (size_t i = 0; i < n; i++)
            help_row(to, NULL, f[i].name, f[i].metavar, f[i].help);
    }
    if (c->notes)
        fprintf(to, "\n%s", c->notes);
}

int cli_usage_error(const cli_command *c, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "wasmbox: %s: %s\nusage: wasmbox %s %s\n(`wasmbox %s --help` lists the options)\n",
            c->name, msg, c->name, c->synopsis, c->name);
    return 2;
}

static const cli_opt *find_long(const cli_command *c, const char *name)
{
    for (size_t i = 0; i < c->nopts; i++)
        if (c->opts[i].name && !strcmp(c->opts[i].name, name))
            return &c->opts[i];
    return NULL;
}

static const cli_opt *find_short(const cli_command *c, char letter)
{
    for (size_t i = 0; i < c->nopts; i++)
        if (c->opts[i].short_name && c->opts[i].short_name[1] == letter)
            return &c->opts[i];
    return NULL;
}

/* "unknown option --tmeout (did you mean --timeout?)" */
static cli_arg_kind unknown(const cli_command *c, cli_arg *a)
{
    wb_suggest sg;
    wb_suggest_init(&sg, a->name);
    wb_suggest_add(&sg, "--help");
    for (size_t i = 0; i < c->nopts; i++)
        wb_suggest_add(&sg, c->opts[i].name);
    size_t n = 0;
    const wb_policy_flag_info *f = c->policy_flags ? wb_policy_flags(&n) : NULL;
    for (size_t i = 0; i < n; i++)
        wb_suggest_add(&sg, f[i].name);
    if (wb_suggest_best(&sg))
        snprintf(a->msg, sizeof a->msg, "unknown option %s (did you mean %s?)", a->name,
                 wb_suggest_best(&sg));
    else
        snprintf(a->msg, sizeof a->msg, "unknown option %s", a->name);
    return a->kind = CLI_ARG_ERROR;
}

cli_arg_kind cli_next_arg(const cli_command *c, int argc, char **argv, int *i, cli_arg *a)
{
    memset(a, 0, sizeof *a);
    const char *arg = argv[(*i)++];
    if (arg[0] != '-' || !strcmp(arg, "-")) {
        a->value = arg;
        return a->kind = CLI_ARG_POSITIONAL;
    }
    if (!strcmp(arg, "--"))
        return a->kind = CLI_ARG_DASHDASH;
    if (!strcmp(arg, "-h") || !strcmp(arg, "--help"))
        return a->kind = CLI_ARG_HELP;
    if (arg[1] != '-') {
        /* a short option: "-W VALUE", "-WVALUE", or "-i" */
        snprintf(a->name, sizeof a->name, "-%c", arg[1]);
        a->opt = find_short(c, arg[1]);
        if (!a->opt)
            return unknown(c, a);
        if (!a->opt->metavar) {
            if (arg[2]) {
                snprintf(a->msg, sizeof a->msg, "%s takes no value (got '%s')", a->name, arg);
                return a->kind = CLI_ARG_ERROR;
            }
            return a->kind = CLI_ARG_OPT;
        }
        if (arg[2]) {
            a->value = arg + 2;
        } else if (*i < argc) {
            a->value = argv[(*i)++];
        } else {
            snprintf(a->msg, sizeof a->msg, "%s needs a value (%s)", a->name, a->opt->metavar);
            return a->kind = CLI_ARG_ERROR;
        }
        return a->kind = CLI_ARG_OPT;
    }
    const char *eq = strchr(arg, '=');
    size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
    if (n >= sizeof a->name) {
        snprintf(a->msg, sizeof a->msg, "unknown option %.60s...", arg);
        return a->kind = CLI_ARG_ERROR;
    }
    memcpy(a->name, arg, n);
    a->name[n] = 0;
    a->opt = find_long(c, a->name);
    bool policy = !a->opt && c->policy_flags && wb_policy_is_flag(a->name);
    if (!a->opt && !policy)
        return unknown(c, a);
    const char *metavar = a->opt ? a->opt->metavar : "VALUE";
    if (a->opt && !metavar) {
        if (eq) {
            snprintf(a->msg, sizeof a->msg, "%s takes no value (got '%s')", a->name, arg);
            return a->kind = CLI_ARG_ERROR;
        }
        return a->kind = CLI_ARG_OPT;
    }
    if (eq) {
        a->value = eq + 1;
    } else if (*i < argc) {
        a->value = argv[(*i)++];
    } else {
        snprintf(a->msg, sizeof a->msg, "%s needs a value", a->name);
        return a->kind = CLI_ARG_ERROR;
    }
    return a->kind = policy ? CLI_ARG_POLICY : CLI_ARG_OPT;
}

const char *cli_policy_flag_name(const char *name)
{
    size_t n;
    const wb_policy_flag_info *f = wb_policy_flags(&n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(f[i].name, name))
            return f[i].name;
    return NULL;
}

/* The option a short name ("-f") or a long name stands for, or NULL. */
static const cli_opt *takes(const cli_command *c, const char *arg)
{
    if (arg[0] != '-' || !arg[1])
        return NULL;
    if (arg[1] != '-')
        return find_short(c, arg[1]);
    char name[64];
    size_t n = strcspn(arg, "=");
    if (n >= sizeof name || arg[n] == '=')
        return NULL; /* "--name=VALUE" carries its value */
    memcpy(name, arg, n);
    name[n] = 0;
    static const cli_opt policy_flag = {NULL, NULL, "VALUE", "", -1};
    if (c->policy_flags && wb_policy_is_flag(name))
        return &policy_flag;
    return find_long(c, name);
}

bool cli_split_bundles(const cli_command *c, int argc, char **argv, cli_bundles *out)
{
    memset(out, 0, sizeof *out);
    size_t letters = 0;
    for (int i = 0; i < argc; i++)
        letters += strlen(argv[i]);
    out->argv = calloc((size_t)argc + letters + 1, sizeof *out->argv);
    out->store = malloc(letters * 3 + 1);
    if (!out->argv || !out->store) {
        cli_bundles_free(out);
        return false;
    }
    char *st = out->store;
    bool value_next = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool bundle = !value_next && a[0] == '-' && a[1] && a[1] != '-' && a[2];
        for (size_t k = 1; bundle && a[k]; k++) {
            const cli_opt *o = find_short(c, a[k]);
            bundle = o && !o->metavar;
        }
        if (!bundle) {
            const cli_opt *o = value_next ? NULL : takes(c, a);
            value_next = o && o->metavar && (a[1] == '-' || !a[2]);
            out->argv[out->argc++] = argv[i];
            if (!strcmp(a, "--"))
                value_next = true; /* everything after it as it is */
            continue;
        }
        for (size_t k = 1; a[k]; k++) {
            st[0] = '-';
            st[1] = a[k];
            st[2] = 0;
            out->argv[out->argc++] = st;
            st += 3;
        }
    }
    return true;
}

void cli_bundles_free(cli_bundles *b)
{
    free(b->argv);
    free(b->store);
    memset(b, 0, sizeof *b);
}
