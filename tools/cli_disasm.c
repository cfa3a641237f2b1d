/* `wasmbox disasm FILE.wasm [--func N] [--opt 0|1]`: the translated code of
 * a module, as the interpreter will run it (vm/disasm.c), for reading and
 * debugging the translator. Nothing is instantiated or run. */
#include "cli.h"
#include "cli_opts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { D_FUNC, D_OPT };

static const cli_opt disasm_table[] = {
    {"--func", NULL, "N", "only function N (its index in the function index space)", D_FUNC},
    {"--opt", NULL, "0|1", "0: the reference translation (no fusion); 1: optimised (default)",
     D_OPT},
};

const cli_command cli_cmd_disasm = {
    "disasm", "[--func N] [--opt 0|1] FILE.wasm",
    "print the translated code, a synopsis of each instruction (nothing runs)",
    CLI_OPTS(disasm_table), false, NULL,
};

static void print_stdout(void *user, const char *text)
{
    (void)user;
    fputs(text, stdout);
}

int cli_disasm(int argc, char **argv)
{
    const char *path = NULL, *func = NULL, *opt = NULL;
    for (int i = 0; i < argc;) {
        cli_arg a;
        switch (cli_next_arg(&cli_cmd_disasm, argc, argv, &i, &a)) {
        case CLI_ARG_HELP: cli_help(stdout, &cli_cmd_disasm); return CLI_EXIT_OK;
        case CLI_ARG_ERROR: return cli_usage_error(&cli_cmd_disasm, "%s", a.msg);
        case CLI_ARG_OPT:
            if (a.opt->id == D_FUNC)
                func = a.value;
            else
                opt = a.value;
            break;
        case CLI_ARG_DASHDASH:
            if (i < argc && !path)
                path = argv[i++];
            if (i < argc)
                return cli_usage_error(&cli_cmd_disasm, "one module file only");
            break;
        default:
            if (path)
                return cli_usage_error(&cli_cmd_disasm, "one module file only");
            path = a.value;
        }
    }
    if (!path)
        return cli_usage_error(&cli_cmd_disasm, "no module file given");
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
    const char *kind = cli_module_kind_problem(bytes, len);
    wb_module *m = kind ? NULL : wb_module_load(store, bytes, len, &err);
    free(bytes);
    int rc = CLI_EXIT_OK;
    if (!m) {
        fprintf(stderr, "wasmbox: %s: %s\n", path, kind ? kind : err.message);
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
