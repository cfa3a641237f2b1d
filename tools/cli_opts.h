/* Option tables of the wasmbox sub-commands: one row per option, read by the
 * parser (cli_next_arg), by --help (cli_help) and by the shell completion
 * script (cli_completion.c), so the three cannot disagree. Adding an option
 * is one row in its command's table plus its case in the command's parser. */
#ifndef WASMBOX_TOOLS_CLI_OPTS_H
#define WASMBOX_TOOLS_CLI_OPTS_H

#include "../policy/policy.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The one place the version is written; `wasmbox --version`, --report and
 * the audit log's run.start record print it. */
#define WASMBOX_VERSION "0.1.0"

typedef struct cli_opt {
    const char *name;    /* "--invoke" (NULL for a short-only option) */
    const char *short_name; /* "-W", or NULL */
    const char *metavar; /* the value's name ("NAME"); NULL: takes no value */
    const char *help;    /* one line */
    int id;              /* the command's own code for it */
} cli_opt;

typedef struct cli_command {
    const char *name;     /* "run", "tool call" */
    const char *synopsis; /* what follows the name in the usage line */
    const char *summary;  /* one line: what it does */
    const cli_opt *opts;
    size_t nopts;
    bool policy_flags;    /* it also takes every policy flag (policy.h) */
    const char *notes;    /* printed after the options, or NULL */
} cli_command;

#define CLI_OPTS(table) (table), sizeof(table) / sizeof((table)[0])

/* Every command, for `wasmbox help` and the completion script. */
extern const cli_command *const cli_commands[];
extern const size_t cli_ncommands;
/* The command named name ("run", "tool call"), or NULL. */
const cli_command *cli_command_find(const char *name);

/* Prints the command's usage and options (stdout for --help). */
void cli_help(FILE *to, const cli_command *c);

typedef enum cli_arg_kind {
    CLI_ARG_OPT,        /* one of the command's options: opt, value */
    CLI_ARG_POLICY,     /* a policy flag: name, value */
    CLI_ARG_POSITIONAL, /* value (also "-", the usual name of stdin) */
    CLI_ARG_HELP,       /* -h or --help */
    CLI_ARG_DASHDASH,   /* "--": everything after it is positional */
    CLI_ARG_ERROR,      /* msg says what is wrong (a usage error) */
} cli_arg_kind;

typedef struct cli_arg {
    cli_arg_kind kind;
    const cli_opt *opt;
    char name[64];      /* the option as written, without "=VALUE" */
    const char *value;
    char msg[512];
} cli_arg;

/* Reads the argument at argv[*i] (and its value: "--name=VALUE", "--name
 * VALUE", "-X VALUE", "-XVALUE") and moves *i past what it read. An unknown
 * option is an error whose message offers the closest known one. */
cli_arg_kind cli_next_arg(const cli_command *c, int argc, char **argv, int *i, cli_arg *a);

/* curl's bundles of value-less short options ("-fsSL" = -f -s -S -L), split
 * into one argument each (an option's value is left alone, and so is
 * everything after "--"). The strings point into argv or into store. */
typedef struct cli_bundles {
    char **argv;
    int argc;
    char *store;
} cli_bundles;
bool cli_split_bundles(const cli_command *c, int argc, char **argv, cli_bundles *out);
void cli_bundles_free(cli_bundles *b);

/* The policy table's own copy of a flag name (it outlives argv), or NULL. */
const char *cli_policy_flag_name(const char *name);

/* "wasmbox: CMD: MESSAGE" then "(`wasmbox CMD --help` lists the options)"
 * on stderr; returns 2 (a usage error). */
int cli_usage_error(const cli_command *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* `wasmbox completion bash` (cli_completion.c). */
int cli_completion(int argc, char **argv);

#endif
