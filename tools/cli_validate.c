/* `wasmbox validate FILE.wasm`: decode and validate, nothing else. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_validate(int argc, char **argv)
{
    if (argc != 1 || argv[0][0] == '-') {
        fprintf(stderr, "usage: wasmbox validate FILE.wasm\n");
        return CLI_EXIT_USAGE;
    }
    const char *path = argv[0];
    size_t len;
    char why[512];
    uint8_t *bytes = cli_read_file(path, &len, why, sizeof why);
    if (!bytes) {
        fprintf(stderr, "wasmbox: %s\n", why);
        return CLI_EXIT_FAIL;
    }
    wb_error err;
    memset(&err, 0, sizeof err);
    bool ok = wb_module_validate(bytes, len, &err);
    free(bytes);
    if (!ok) {
        fprintf(stderr, "wasmbox: %s: %s\n", path, err.message);
        return CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}
