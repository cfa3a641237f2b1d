/* env: GNU's. Prints the environment, or runs a command with it changed:
 * -i (start empty), -u NAME, NAME=VALUE..., then COMMAND [ARGS]. The
 * command runs as a new process would (sh_run_program, in a copy of the
 * shell's state), so the changes end with it. 127 when the command does
 * not exist. */
#include "../internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void print_env(shctx *sh, char end)
{
    char **env = sh_environ(sh);
    for (char **e = env; *e; e++) {
        sh_puts(sh_stdout(sh), *e);
        sh_putc(sh_stdout(sh), end);
    }
    sh_strv_free(env);
}

int util_env(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"ignore-environment", SH_NO_ARG, 'i'},
                                    {"unset", SH_REQ_ARG, 'u'},
                                    {"null", SH_NO_ARG, '0'},
                                    {"chdir", SH_REQ_ARG, 'C'},
                                    {"help", SH_NO_ARG, 'h'},
                                    {NULL, 0, 0}};
    sh_getopt_state st = SH_GETOPT_INIT;
    bool clear = false;
    char end = '\n';
    const char *dir = NULL;
    char **unsets = sh_calloc((size_t)argc + 1, sizeof *unsets);
    int nunset = 0, c;
    /* options stop at the first operand (NAME=VALUE or the command) */
    while ((c = sh_getopt(sh, &st, argc, argv, "+iu:0C:", lo)) != -1) {
        switch (c) {
        case 'i': clear = true; break;
        case 'u': unsets[nunset++] = (char *)st.arg; break;
        case '0': end = 0; break;
        case 'C': dir = st.arg; break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: env [OPTION]... [-] [NAME=VALUE]... [COMMAND [ARG]...]\n");
            free(unsets);
            return 0;
        default:
            free(unsets);
            return 125;
        }
    }
    int i = st.ind;
    if (i < argc && !strcmp(argv[i], "-")) {
        clear = true;
        i++;
    }
    sh_state saved;
    subshell_enter(sh, &saved);
    int status = 0;
    if (clear) {
        size_t n;
        var **all = vars_list(sh->st.vars, &n);
        for (size_t k = 0; k < n; k++)
            if (all[k]->flags & V_EXPORT)
                vars_remove(sh->st.vars, all[k]->name);
        free(all);
    }
    for (int k = 0; k < nunset; k++)
        vars_remove(sh->st.vars, unsets[k]);
    for (; i < argc && strchr(argv[i], '=') && argv[i][0] != '='; i++) {
        char *eq = strchr(argv[i], '=');
        char *name = sh_strndup(argv[i], (size_t)(eq - argv[i]));
        vars_set(sh->st.vars, name, eq + 1, V_EXPORT);
        free(name);
    }
    if (dir && i < argc) {
        char *abs = path_join(sh->st.cwd, dir);
        if (!shell_chdir(sh, abs)) {
            sh_errno(sh, errno, "cannot change directory to %s", sh_quote(sh, dir));
            status = 125;
        }
        free(abs);
    }
    if (!status) {
        if (i == argc)
            print_env(sh, end);
        else
            status = sh_run_program(sh, argc - i, argv + i);
    }
    status = subshell_leave(sh, &saved, status);
    free(unsets);
    return status;
}
