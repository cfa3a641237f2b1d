/* `wasmbox policy check FILE`: load a policy file, validate it as a run
 * would (the host directories exist, guest paths are unique, ...), and print
 * it normalized, so what a policy grants can be read before anything runs.
 * A policy that passes but contradicts itself (wb_policy_warnings) gets one
 * "wasmbox: warning: ..." line on stderr per finding; the exit code stays 0. */
#include "cli.h"
#include "cli_opts.h"

#include <stdio.h>
#include <string.h>

const cli_command cli_cmd_policy_check = {
    "policy check", "FILE.json",
    "validate a policy file and print it normalized (exit 0), or the error\n"
    "naming the file and key (exit 1); warnings about a policy that\n"
    "contradicts itself go to stderr (exit 0)",
    NULL, 0, false, NULL,
};

static void warn(void *user, const char *line)
{
    (void)user;
    fprintf(stderr, "wasmbox: warning: %s\n", line);
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
    } else {
        wb_policy_warnings(&p, warn, NULL);
    }
    wb_policy_free(&p);
    return rc;
}

int cli_policy(int argc, char **argv)
{
    const cli_command *c = &cli_cmd_policy_check;
    if (argc >= 1 && (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help"))) {
        cli_help(stdout, c);
        return CLI_EXIT_OK;
    }
    if (argc < 1 || strcmp(argv[0], "check")) {
        fprintf(stderr, "wasmbox: policy: %s\nusage: wasmbox policy check FILE.json\n",
                argc ? "the only sub-command is check" : "name a sub-command: check");
        return CLI_EXIT_USAGE;
    }
    const char *path = NULL;
    for (int i = 1; i < argc;) {
        cli_arg a;
        switch (cli_next_arg(c, argc, argv, &i, &a)) {
        case CLI_ARG_HELP: cli_help(stdout, c); return CLI_EXIT_OK;
        case CLI_ARG_ERROR: return cli_usage_error(c, "%s", a.msg);
        case CLI_ARG_DASHDASH:
            if (i < argc && !path)
                path = argv[i++];
            if (i < argc)
                return cli_usage_error(c, "one policy file only");
            break;
        default:
            if (path)
                return cli_usage_error(c, "one policy file only");
            path = a.value;
        }
    }
    if (!path)
        return cli_usage_error(c, "no policy file given");
    return check(path);
}
