/* The wasmbox command: dispatches to one sub-command per file. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

int cli_fetch(int argc, char **argv);
int cli_skill(int argc, char **argv); /* tools/cli_skill.c */
int cli_mcp(int argc, char **argv);   /* tools/cli_mcp.c */

static int usage(FILE *to)
{
    fprintf(to,
            "usage: wasmbox COMMAND [ARGS]\n"
            "\n"
            "commands:\n"
            "  validate FILE.wasm              decode and validate a module\n"
            "  wat2wasm FILE.wat -o FILE.wasm  convert the text format to a binary module\n"
            "                                  (run, validate and disasm read .wat too)\n"
            "  wasm2wat FILE.wasm [-o FILE.wat] a binary module as text\n"
            "  run [OPTIONS] FILE.wasm [ARGS...]\n"
            "                                  run a WASI command (_start) in a sandbox;\n"
            "                                  ARGS are its argv[1..]\n"
            "  policy check FILE.json          validate a policy and print it normalized\n"
            "  fetch [POLICY FLAGS] [--dry-run] URL\n"
            "                                  GET URL under the policy (body to stdout)\n"
            "  tool list [--tools DIR]... [--json]\n"
            "                                  the agent tools (built-in and DIRs')\n"
            "  tool call NAME [--input JSON] [--workspace DIR[:ro]] [--tools DIR]...\n"
            "            [--builtin-dir DIR] [--policy FILE] [POLICY FLAGS]\n"
            "                                  call a tool (input from stdin without\n"
            "                                  --input); prints its result as JSON; exit\n"
            "                                  0 ok, 1 is_error, 2 usage or config error\n"
            "  mcp [--policy FILE] [--workspace DIR[:ro]] [--tools DIR]... [--skills DIR]...\n"
            "      [--jobs N] [--max-message BYTES] [--max-queue N] [--page-size N] [POLICY FLAGS]\n"
            "                                  an MCP server on stdio: the tools, each call\n"
            "                                  in its own sandbox; skills as prompts\n"
            "  skill list|show [NAME] --skills DIR [--arg K=V]...\n"
            "                                  list skills, or show one (its prompt filled\n"
            "                                  with the --arg values)\n"
            "  disasm [--func N] [--opt 0|1] FILE.wasm\n"
            "                                  print the translated code, with a synopsis\n"
            "                                  of each instruction\n"
            "\n"
            "run options (a flag over the policy file wins; lists add up):\n"
            "  --policy FILE          the policy file (JSON; see policy/README.md)\n"
            "  --dir HOST[::GUEST][:ro|:rw]  map a host directory (default: none)\n"
            "  --work-dir DIR         map DIR read-write at guest /\n"
            "  --allow-symlink-dotdot true|false\n"
            "                         let the guest make symlinks whose targets start\n"
            "                         with \"..\" (default false; weakens host-side safety)\n"
            "  --env K=V              one environment variable (nothing is inherited)\n"
            "  --fuel N               wasm instructions allowed (default 10^12)\n"
            "  --timeout MS           wall-clock limit in milliseconds (default 300000)\n"
            "  --max-memory SIZE      bytes of linear memory + tables (K/M/G; default 2G)\n"
            "  --max-stack SIZE       bytes of engine value stack (K/M/G; default 8M)\n"
            "  --max-output SIZE      bytes of stdout+stderr passed through (default 64M)\n"
            "                         (limits: \"unlimited\" lifts one, max-stack excepted)\n"
            "  --audit FILE           append a JSON-lines audit log\n"
            "  --allow-host P, --block-network N, --block-url U, --ca-file F,\n"
            "  --resolve H:P:A, --cache-dir D   network and cache keys (see policy/README.md)\n"
            "  --report FILE          write how the run ended as JSON\n"
            "  --invoke NAME          call export NAME with ARGS as its values instead\n"
            "  --opt 0|1              0: the reference translation (no fusion; for\n"
            "                         differential testing), 1: optimised (default);\n"
            "                         also WASMBOX_OPT\n"
            "\n"
            "exit codes: the guest's exit code; 1 rejected input (bad module or policy),\n"
            "2 usage, 134 trap, 137 limit (fuel or timeout)\n");
    return to == stdout ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    const char *cmd = argv[1];
    if (!strcmp(cmd, "validate"))
        return cli_validate(argc - 2, argv + 2);
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
    if (!strcmp(cmd, "mcp"))
        return cli_mcp(argc - 2, argv + 2);
    if (!strcmp(cmd, "skill"))
        return cli_skill(argc - 2, argv + 2);
    if (!strcmp(cmd, "policy"))
        return cli_policy(argc - 2, argv + 2);
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h"))
        return usage(stdout);
    fprintf(stderr, "wasmbox: unknown command '%s'\n", cmd);
    return usage(stderr);
}
