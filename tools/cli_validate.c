/* `wasmbox validate FILE.wasm`: decode and validate, nothing else. */
#include "cli.h"
#include "cli_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cli_command cli_cmd_validate = {
    "validate", "FILE.wasm",
    "decode and validate a module (exit 0), or say why it is not (exit 1);\n"
    "FILE - reads it from stdin",
    NULL, 0, false, NULL,
};

int cli_validate(int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 0; i < argc;) {
        cli_arg a;
        switch (cli_next_arg(&cli_cmd_validate, argc, argv, &i, &a)) {
        case CLI_ARG_HELP: cli_help(stdout, &cli_cmd_validate); return CLI_EXIT_OK;
        case CLI_ARG_ERROR: return cli_usage_error(&cli_cmd_validate, "%s", a.msg);
        case CLI_ARG_DASHDASH:
            if (i < argc && !path)
                path = argv[i++];
            if (i < argc)
                return cli_usage_error(&cli_cmd_validate, "one module file only");
            break;
        default:
            if (path)
                return cli_usage_error(&cli_cmd_validate, "one module file only ('%s', then '%s')",
                                       path, a.value);
            path = a.value;
        }
    }
    if (!path)
        return cli_usage_error(&cli_cmd_validate, "no module file given");
    size_t len;
    char why[512];
    uint8_t *bytes = cli_read_file(path, &len, why, sizeof why);
    if (!bytes) {
        fprintf(stderr, "wasmbox: %s\n", why);
        return CLI_EXIT_FAIL;
    }
    const char *kind = cli_module_kind_problem(bytes, len);
    wb_error err;
    memset(&err, 0, sizeof err);
    bool ok = !kind && wb_module_validate(bytes, len, &err);
    free(bytes);
    if (!ok) {
        fprintf(stderr, "wasmbox: %s: %s\n", path, kind ? kind : err.message);
        return CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}
