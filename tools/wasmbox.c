/* The wasmbox command: dispatches to one sub-command per file. Its usage is
 * made from the commands' option tables (cli_commands.c). */
#include "cli.h"
#include "cli_opts.h"

#include <stdio.h>
#include <string.h>

int cli_fetch(int argc, char **argv);
int cli_skill(int argc, char **argv); /* tools/cli_skill.c */
int cli_mcp(int argc, char **argv);   /* tools/cli_mcp.c */

static int usage(FILE *to)
{
    fprintf(to, "usage: wasmbox COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < cli_ncommands; i++) {
        const cli_command *c = cli_commands[i];
        fprintf(to, "  %s %s\n", c->name, c->synopsis);
        for (const char *l = c->summary; *l;) {
            size_t n = strcspn(l, "\n");
            fprintf(to, "      %.*s\n", (int)n, l);
            l += n + (l[n] == '\n');
        }
    }
    fprintf(to,
            "\n`wasmbox COMMAND --help` (or `wasmbox help COMMAND`) lists a command's options.\n"
            "Wasmtime's spellings work in run: -W fuel=N,timeout=5s,max-memory-size=SIZE,\n"
            "max-wasm-stack=SIZE; --dir HOST; --env NAME; --argv0 NAME; FILE - for stdin.\n"
            "exit codes: the guest's exit code; 1 rejected input (bad module or policy),\n"
            "2 usage, 133 uncaught exception, 134 trap, 137 limit (fuel or timeout)\n");
    return to == stdout ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

static int version(void)
{
    printf("wasmbox %s\n", WASMBOX_VERSION);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

/* `wasmbox help [COMMAND [SUB]]` */
static int help(int argc, char **argv)
{
    if (argc == 0)
        return usage(stdout);
    char name[64];
    snprintf(name, sizeof name, "%s%s%s", argv[0], argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
    const cli_command *c = cli_command_find(name);
    if (!c && !strcmp(argv[0], "tool") && argc == 1) {
        cli_help(stdout, cli_command_find("tool list"));
        printf("\n");
        c = cli_command_find("tool call");
    }
    if (!c && !strcmp(argv[0], "policy"))
        c = cli_command_find("policy check");
    if (!c) {
        fprintf(stderr, "wasmbox: help: no command '%s'\n", name);
        return usage(stderr);
    }
    cli_help(stdout, c);
    return CLI_EXIT_OK;
}

/* `wasmbox mcp -h` (and wat2wasm's, wasm2wat's): their parsers are their
 * own; the help comes from the tables in cli_commands.c. Only before a
 * flag's value could hold it. */
static bool mcp_wants_help(int argc, char **argv)
{
    return argc >= 1 && (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help"));
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    const char *cmd = argv[1];
    if (!strcmp(cmd, "validate"))
        return cli_validate(argc - 2, argv + 2);
    if ((!strcmp(cmd, "wat2wasm") || !strcmp(cmd, "wasm2wat")) && mcp_wants_help(argc - 2, argv + 2)) {
        cli_help(stdout, cli_command_find(cmd));
        return CLI_EXIT_OK;
    }
    if (!strcmp(cmd, "wat2wasm"))
        return cli_wat2wasm(argc - 2, argv + 2); /* tools/cli_wat.c */
    if (!strcmp(cmd, "wasm2wat"))
        return cli_wasm2wat(argc - 2, argv + 2);
    if (!strcmp(cmd, "disasm"))
        return cli_disasm(argc - 2, argv + 2);
    if (!strcmp(cmd, "run"))
        return cli_run(argc - 2, argv + 2);
    if (!strcmp(cmd, "fetch"))
        return cli_fetch(argc - 2, argv + 2); /* tools/cli_fetch.c */
    if (!strcmp(cmd, "tool"))
        return cli_tool(argc - 2, argv + 2);
    if (!strcmp(cmd, "mcp") && mcp_wants_help(argc - 2, argv + 2)) {
        cli_help(stdout, cli_command_find("mcp"));
        return CLI_EXIT_OK;
    }
    if (!strcmp(cmd, "mcp"))
        return cli_mcp(argc - 2, argv + 2);
    if (!strcmp(cmd, "skill"))
        return cli_skill(argc - 2, argv + 2);
    if (!strcmp(cmd, "policy"))
        return cli_policy(argc - 2, argv + 2);
    if (!strcmp(cmd, "completion"))
        return cli_completion(argc - 2, argv + 2);
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version") || !strcmp(cmd, "-V"))
        return argc == 2 ? version() : usage(stderr);
    if (!strcmp(cmd, "help"))
        return help(argc - 2, argv + 2);
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h"))
        return usage(stdout);
    /* the words dispatched above */
    static const char *const words[] = {"validate", "disasm",   "run",     "fetch",      "tool",
                                        "mcp",      "skill",    "policy",  "version",    "help",
                                        "completion", "--version", "wat2wasm", "wasm2wat"};
    wb_suggest sg;
    wb_suggest_init(&sg, cmd);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        wb_suggest_add(&sg, words[i]);
    if (wb_suggest_best(&sg))
        fprintf(stderr, "wasmbox: unknown command '%s' (did you mean '%s'?)\n", cmd,
                wb_suggest_best(&sg));
    else
        fprintf(stderr, "wasmbox: unknown command '%s'\n", cmd);
    return usage(stderr);
}
