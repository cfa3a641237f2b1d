/* `wasmbox run [--invoke NAME] [--fuel N] FILE.wasm [ARGS...]`: instantiate a
 * module that needs no imports and call one export with arguments from the
 * command line, printing each result on its own line. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct run_opts {
    const char *invoke;
    const char *path;
    uint64_t fuel;
    char **args;
    int nargs;
} run_opts;

static int usage(void)
{
    fprintf(stderr, "usage: wasmbox run [--invoke NAME] [--fuel N] FILE.wasm [ARGS...]\n");
    return CLI_EXIT_USAGE;
}

static bool parse_u64(const char *text, uint64_t *out)
{
    if (text[0] < '0' || text[0] > '9')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static int parse_opts(int argc, char **argv, run_opts *o)
{
    memset(o, 0, sizeof *o);
    o->fuel = UINT64_MAX;
    int i = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "wasmbox: %s needs a value\n", a);
            return CLI_EXIT_USAGE;
        }
        if (!strcmp(a, "--invoke")) {
            o->invoke = argv[++i];
        } else if (!strcmp(a, "--fuel")) {
            if (!parse_u64(argv[++i], &o->fuel)) {
                fprintf(stderr, "wasmbox: --fuel: '%s' is not a whole number\n", argv[i]);
                return CLI_EXIT_USAGE;
            }
        } else {
            fprintf(stderr, "wasmbox: unknown option %s\n", a);
            return usage();
        }
    }
    if (i >= argc)
        return usage();
    o->path = argv[i++];
    o->args = argv + i;
    o->nargs = argc - i;
    return CLI_EXIT_OK;
}

/* Prints the trap and picks the exit code: limits differ from traps. */
static int report_failure(wb_store *store, wb_status st)
{
    const char *msg = wb_store_trap_message(store);
    if (st == WB_EXIT)
        return wb_store_exit_code(store);
    if (st == WB_TRAP_OUT_OF_FUEL || st == WB_TRAP_INTERRUPTED) {
        fprintf(stderr, "wasmbox: limit: %s\n", msg);
        return CLI_EXIT_LIMIT;
    }
    fprintf(stderr, "wasmbox: trap: %s\n", msg);
    return CLI_EXIT_TRAP;
}

static int call_export(wb_store *store, wb_instance *inst, const run_opts *o)
{
    const char *name = o->invoke ? o->invoke : "_start";
    wb_extern ext;
    if (!wb_instance_export(inst, name, strlen(name), &ext) || ext.kind != WB_EXTERN_FUNC) {
        fprintf(stderr, "wasmbox: %s: no exported function '%s'\n", o->path, name);
        return CLI_EXIT_FAIL;
    }
    wb_functype type;
    wb_func_type(ext.of.func, &type);
    if ((uint32_t)o->nargs != type.nparams) {
        fprintf(stderr, "wasmbox: %s takes %u argument(s), %d given\n", name, type.nparams,
                o->nargs);
        return CLI_EXIT_USAGE;
    }
    wb_value *args = calloc(type.nparams + 1, sizeof *args);
    wb_value *results = calloc(type.nresults + 1, sizeof *results);
    int rc = CLI_EXIT_OK;
    if (!args || !results) {
        fprintf(stderr, "wasmbox: out of memory\n");
        rc = CLI_EXIT_FAIL;
        goto out;
    }
    for (uint32_t i = 0; i < type.nparams; i++) {
        if (!cli_parse_value(o->args[i], type.params[i], &args[i])) {
            fprintf(stderr, "wasmbox: argument %u: '%s' is not a valid %s\n", i + 1, o->args[i],
                    cli_type_name(type.params[i]));
            rc = CLI_EXIT_USAGE;
            goto out;
        }
    }
    wb_status st = wb_func_call(store, ext.of.func, args, type.nparams, results, type.nresults);
    if (st != WB_OK) {
        rc = report_failure(store, st);
        goto out;
    }
    for (uint32_t i = 0; i < type.nresults; i++) {
        char buf[64];
        cli_format_value(&results[i], buf, sizeof buf);
        printf("%s\n", buf);
    }
out:
    free(args);
    free(results);
    return rc;
}

int cli_run(int argc, char **argv)
{
    run_opts o;
    int rc = parse_opts(argc, argv, &o);
    if (rc != CLI_EXIT_OK)
        return rc;
    size_t len;
    uint8_t *bytes = cli_read_file(o.path, &len);
    if (!bytes)
        return CLI_EXIT_FAIL;
    wb_limits limits = wb_default_limits();
    limits.fuel = o.fuel;
    wb_store *store = wb_store_new(&limits);
    if (!store) {
        free(bytes);
        fprintf(stderr, "wasmbox: out of memory\n");
        return CLI_EXIT_FAIL;
    }
    wb_error err;
    memset(&err, 0, sizeof err);
    wb_module *module = wb_module_load(store, bytes, len, &err);
    free(bytes);
    if (!module) {
        fprintf(stderr, "wasmbox: %s: %s\n", o.path, err.message);
        wb_store_free(store);
        return CLI_EXIT_FAIL;
    }
    if (wb_module_import_count(module) != 0) {
        wb_extern_desc d;
        wb_module_import(module, 0, &d);
        fprintf(stderr, "wasmbox: %s: unresolved import %s.%s\n", o.path, d.module, d.name);
        wb_store_free(store);
        return CLI_EXIT_FAIL;
    }
    wb_instance *inst = wb_instantiate(store, module, NULL, 0, &err);
    if (!inst) {
        if (err.kind == WB_ERR_TRAP) {
            fprintf(stderr, "wasmbox: trap: %s\n", err.message);
            rc = CLI_EXIT_TRAP;
        } else {
            fprintf(stderr, "wasmbox: %s: %s\n", o.path, err.message);
            rc = CLI_EXIT_FAIL;
        }
        wb_store_free(store);
        return rc;
    }
    rc = call_export(store, inst, &o);
    fflush(stdout);
    wb_store_free(store);
    return rc;
}
