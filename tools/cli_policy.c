/* `wasmbox policy check FILE`: load a policy file, validate it as a run
 * would (the host directories exist, guest paths are unique, ...), and print
 * it normalized, so what a policy grants can be read before anything runs. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static int usage(void)
{
    fprintf(stderr, "usage: wasmbox policy check FILE.json\n");
    return CLI_EXIT_USAGE;
}

static int check(const char *path)
{
    wb_policy p;
    char err[WB_POLICY_ERR_MAX];
    wb_policy_init(&p);
    bool ok = wb_policy_load_file(&p, path, err, sizeof err) &&
              wb_policy_check(&p, err, sizeof err);
    int rc = CLI_EXIT_OK;
    if (!ok) {
        fprintf(stderr, "wasmbox: %s\n", err);
        rc = CLI_EXIT_FAIL;
    } else if (!wb_policy_print_json(&p, stdout) || fflush(stdout) != 0) {
        fprintf(stderr, "wasmbox: cannot write the policy to stdout\n");
        rc = CLI_EXIT_FAIL;
    }
    wb_policy_free(&p);
    return rc;
}

int cli_policy(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[0], "check") && argv[1][0] != '-')
        return check(argv[1]);
    if (argc == 3 && !strcmp(argv[0], "check") && !strcmp(argv[1], "--"))
        return check(argv[2]);
    return usage();
}
