/* printenv: GNU's. No operand: every exported variable, NAME=value, one a
 * line; with names: their values, status 1 if one is not exported. */
#include "../shell.h"

#include <string.h>

int util_printenv(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"null", SH_NO_ARG, '0'}, {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    sh_getopt_state st = SH_GETOPT_INIT;
    char end = '\n';
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "0", lo)) != -1) {
        if (c == '0')
            end = 0;
        else if (c == 'h') {
            sh_puts(sh_stdout(sh), "Usage: printenv [OPTION]... [VARIABLE]...\n");
            return 0;
        } else
            return 2;
    }
    sh_stream *out = sh_stdout(sh);
    if (st.ind == argc) {
        char **env = sh_environ(sh);
        for (char **e = env; *e; e++) {
            sh_puts(out, *e);
            sh_putc(out, end);
        }
        sh_strv_free(env);
        return 0;
    }
    int status = 0;
    for (int i = st.ind; i < argc; i++) {
        const char *v = strchr(argv[i], '=') ? NULL : sh_getenv(sh, argv[i]);
        if (!v) {
            status = 1;
            continue;
        }
        sh_puts(out, v);
        sh_putc(out, end);
    }
    return status;
}
