/* The wasmbox command: dispatches to one sub-command per file. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static int usage(FILE *to)
{
    fprintf(to,
            "usage: wasmbox COMMAND [ARGS]\n"
            "\n"
            "commands:\n"
            "  validate FILE.wasm                     decode and validate a module\n"
            "  run [--invoke NAME] [--fuel N] FILE.wasm [ARGS...]\n"
            "                                         call an export with arguments\n"
            "\n"
            "exit codes: 0 ok, 1 rejected input, 2 usage, 134 trap, 137 limit\n");
    return to == stdout ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    const char *cmd = argv[1];
    if (!strcmp(cmd, "validate"))
        return cli_validate(argc - 2, argv + 2);
    if (!strcmp(cmd, "run"))
        return cli_run(argc - 2, argv + 2);
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h"))
        return usage(stdout);
    fprintf(stderr, "wasmbox: unknown command '%s'\n", cmd);
    return usage(stderr);
}
