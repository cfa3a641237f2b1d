/* The list of sub-commands, for `wasmbox help`, `wasmbox COMMAND --help` and
 * the completion script. Each command's table lives beside its parser; mcp's
 * is here because its parser (cli_mcp.c) has a table of its own that this
 * one must be kept in step with (tests/e2e/cli_conventions.sh checks that
 * every option listed here is one cli_mcp.c accepts). */
#include "cli_opts.h"

#include <string.h>

extern const cli_command cli_cmd_run, cli_cmd_validate, cli_cmd_disasm, cli_cmd_policy_check,
    cli_cmd_fetch, cli_cmd_tool_list, cli_cmd_tool_call, cli_cmd_skill;

static const cli_opt mcp_table[] = {
    {"--policy", NULL, "FILE", "the operator's policy (policy/README.md)", 0},
    {"--workspace", NULL, "DIR[:ro]", "the directory the tools work in", 0},
    {"--tools", NULL, "DIR", "also the tools in DIR (repeatable)", 0},
    {"--builtin-dir", NULL, "DIR", "the built-in tools' directory (default: beside wasmbox)", 0},
    {"--skills", NULL, "DIR", "serve the skills in DIR as prompts (repeatable)", 0},
    {"--jobs", NULL, "N", "tool calls run at once", 0},
    {"--max-message", NULL, "SIZE", "the largest JSON-RPC message read (1MiB, 4M, bytes)", 0},
    {"--max-queue", NULL, "N", "requests waiting at most", 0},
    {"--page-size", NULL, "N", "items per page of a list", 0},
    {"--listen", NULL, "ADDR:PORT", "serve Streamable HTTP instead of stdio", 0},
    {"--token-file", NULL, "FILE", "the bearer token HTTP clients must send", 0},
    {"--allow-origin", NULL, "ORIGIN", "an Origin HTTP clients may send (repeatable)", 0},
};

const cli_command cli_cmd_mcp = {
    "mcp", "[OPTIONS] [POLICY FLAGS]",
    "an MCP server on stdio (or --listen): the tools, each call in its own\n"
    "sandbox; skills as prompts (tools/README.md \"wasmbox mcp\")",
    CLI_OPTS(mcp_table), true, NULL,
};

/* cli_wat.c's parsers are small ones of their own: -o FILE and one file. */
static const cli_opt wat_table[] = {
    {NULL, "-o", "FILE", "where to write (wat2wasm: required; wasm2wat: default stdout)", 0},
};

static const cli_command cli_cmd_wat2wasm = {
    "wat2wasm", "FILE.wat -o FILE.wasm",
    "convert the text format to a binary module (validated first; run,\n"
    "validate and disasm read .wat files too)",
    CLI_OPTS(wat_table), false, NULL,
};

static const cli_command cli_cmd_wasm2wat = {
    "wasm2wat", "FILE.wasm [-o FILE.wat]", "a binary module as text (wat/README.md)",
    CLI_OPTS(wat_table), false, NULL,
};

static const cli_command cli_cmd_version = {
    "version", "", "print wasmbox's version (also: wasmbox --version)", NULL, 0, false, NULL,
};

static const cli_command cli_cmd_completion = {
    "completion", "bash",
    "print a bash completion script (source it, or put it in\n"
    "/usr/share/bash-completion/completions/wasmbox)",
    NULL, 0, false, NULL,
};

const cli_command *const cli_commands[] = {
    &cli_cmd_run,     &cli_cmd_validate,  &cli_cmd_disasm,    &cli_cmd_policy_check,
    &cli_cmd_fetch,   &cli_cmd_tool_list, &cli_cmd_tool_call, &cli_cmd_mcp,
    &cli_cmd_skill,   &cli_cmd_wat2wasm,  &cli_cmd_wasm2wat,  &cli_cmd_version,
    &cli_cmd_completion,
};
const size_t cli_ncommands = sizeof cli_commands / sizeof cli_commands[0];

const cli_command *cli_command_find(const char *name)
{
    for (size_t i = 0; i < cli_ncommands; i++)
        if (!strcmp(cli_commands[i]->name, name))
            return cli_commands[i];
    return NULL;
}
