/* link: GNU's. FILE1 FILE2: a hard link with link(2). The sandbox refuses
 * a link from a read-only mapped directory into a writable one. */
#include "../shell.h"

#include <errno.h>
#include <unistd.h>

int util_link(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "", lo)) != -1) {
        if (c == 'h') {
            sh_puts(sh_stdout(sh), "Usage: link FILE1 FILE2\nCall the link function to create a link named FILE2 "
                                   "to an existing FILE1.\n");
            return 0;
        }
        return 1;
    }
    int n = argc - st.ind;
    if (n != 2) {
        if (n == 0)
            sh_err(sh, "missing operand");
        else if (n == 1)
            sh_err(sh, "missing operand after %s", sh_quote(sh, argv[st.ind]));
        else
            sh_err(sh, "extra operand %s", sh_quote(sh, argv[st.ind + 2]));
        sh_try_help(sh);
        return 1;
    }
    const char *from = argv[st.ind], *to = argv[st.ind + 1];
    if (link(from, to) != 0) {
        int e = errno;
        sh_buf m = {0};
        sh_buf_printf(&m, "cannot create link %s", sh_quote(sh, to));
        sh_errno(sh, e, "%s to %s", m.data, sh_quote(sh, from));
        sh_buf_free(&m);
        return 1;
    }
    return 0;
}
