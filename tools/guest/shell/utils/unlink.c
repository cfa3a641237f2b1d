/* unlink: GNU's. Removes exactly one file (never a directory) with
 * unlink(2). */
#include "../shell.h"

#include <errno.h>
#include <unistd.h>

int util_unlink(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "", lo)) != -1) {
        if (c == 'h') {
            sh_puts(sh_stdout(sh), "Usage: unlink FILE\nCall the unlink function to remove the specified FILE.\n");
            return 0;
        }
        return 1;
    }
    if (argc - st.ind != 1) {
        if (argc - st.ind == 0)
            sh_err(sh, "missing operand");
        else
            sh_err(sh, "extra operand %s", sh_quote(sh, argv[st.ind + 1]));
        sh_try_help(sh);
        return 1;
    }
    if (unlink(argv[st.ind]) != 0) {
        sh_errno(sh, errno, "cannot unlink %s", sh_quote(sh, argv[st.ind]));
        return 1;
    }
    return 0;
}
