/* `wasmbox disasm FILE.wasm [--func N] [--opt 0|1]`: the translated code of
 * a module, as the interpreter will run it (vm/disasm.c), for reading and
 * debugging the translator. Nothing is instantiated or run. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
    fprintf(stderr, "usage: wasmbox disasm [--func N] [--opt 0|1] FILE.wasm\n"
                    "  --func N   only function N (its index in the function index space)\n"
                    "  --opt 0    the reference translation (no fusion); 1 (default) optimised\n");
    return CLI_EXIT_USAGE;
}

static void print_stdout(void *user, const char *text)
{
    (void)user;
    fputs(text, stdout);
}

/* "--name=value" or "--name value" */
static const char *value_of(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n))
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] == 0 && *i + 1 < argc)
        return argv[++*i];
    return NULL;
}

int cli_disasm(int argc, char **argv)
{
    const char *path = NULL, *func = NULL, *opt = NULL;
    for (int i = 0; i < argc; i++) {
        const char *v;
        if ((v = value_of(argc, argv, &i, "--func")))
            func = v;
        else if ((v = value_of(argc, argv, &i, "--opt")))
            opt = v;
        else if (argv[i][0] == '-' || path)
            return usage();
        else
            path = argv[i];
    }
    if (!path)
        return usage();
    uint32_t index = UINT32_MAX;
    if (func) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(func, &end, 10);
        if (!*func || *end || errno || n >= UINT32_MAX || func[0] == '-') {
            fprintf(stderr, "wasmbox: --func: '%s' is not a function index\n", func);
            return CLI_EXIT_USAGE;
        }
        index = (uint32_t)n;
    }
    if (opt && strcmp(opt, "0") && strcmp(opt, "1")) {
        fprintf(stderr, "wasmbox: --opt must be 0 (reference translation) or 1 (optimised), not '%s'\n",
                opt);
        return CLI_EXIT_USAGE;
    }
    size_t len;
    char why[512];
    uint8_t *bytes = cli_read_file(path, &len, why, sizeof why);
    if (!bytes) {
        fprintf(stderr, "wasmbox: %s\n", why);
        return CLI_EXIT_FAIL;
    }
    wb_store *store = wb_store_new(NULL);
    if (!store) {
        free(bytes);
        fprintf(stderr, "wasmbox: out of memory\n");
        return CLI_EXIT_FAIL;
    }
    if (opt && !strcmp(opt, "0"))
        wb_store_set_translation(store, WB_TRANSLATE_REFERENCE);
    wb_error err;
    memset(&err, 0, sizeof err);
    wb_module *m = wb_module_load(store, bytes, len, &err);
    free(bytes);
    int rc = CLI_EXIT_OK;
    if (!m) {
        fprintf(stderr, "wasmbox: %s: %s\n", path, err.message);
        rc = CLI_EXIT_FAIL;
    } else if (!wb_module_disasm(m, index, print_stdout, NULL)) {
        if (func)
            fprintf(stderr, "wasmbox: %s: function %s is not a function defined by the module\n",
                    path, func);
        rc = CLI_EXIT_FAIL;
    }
    wb_store_free(store);
    return rc;
}
