/* nproc: 1. A WASI module runs on one thread; --all and --ignore=N are
 * GNU's (never below 1). */
#include "../shell.h"

#include <string.h>

int util_nproc(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"all", SH_NO_ARG, 'a'}, {"ignore", SH_REQ_ARG, 'i'},
                                    {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "", lo)) != -1) {
        if (c == 'i') {
            int64_t v;
            if (!sh_parse_int(st.arg, &v) || v < 0) {
                sh_err(sh, "invalid number: %s", sh_quote(sh, st.arg));
                return 1;
            }
        } else if (c == 'h') {
            sh_puts(sh_stdout(sh), "Usage: nproc [OPTION]...\n");
            return 0;
        } else if (c != 'a') {
            return 1;
        }
    }
    if (st.ind < argc) {
        sh_err(sh, "extra operand %s", sh_quote(sh, argv[st.ind]));
        sh_try_help(sh);
        return 1;
    }
    return sh_puts(sh_stdout(sh), "1\n") ? 0 : 1;
}
