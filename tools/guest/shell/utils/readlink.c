/* readlink: GNU's. A symlink's target (status 1, silently, for what is
 * not a symlink); -f/-e/-m the canonical path (all but the last / all /
 * no components must exist); -n, -z, -v, -q. */
#include "../shell.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

int util_readlink(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"canonicalize", SH_NO_ARG, 'f'}, {"canonicalize-existing", SH_NO_ARG, 'e'},
                                    {"canonicalize-missing", SH_NO_ARG, 'm'}, {"no-newline", SH_NO_ARG, 'n'},
                                    {"zero", SH_NO_ARG, 'z'}, {"verbose", SH_NO_ARG, 'v'},
                                    {"quiet", SH_NO_ARG, 'q'}, {"silent", SH_NO_ARG, 's'},
                                    {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    int mode = -1;
    bool newline = true, verbose = false;
    char end = '\n';
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "femnzvqs", lo)) != -1) {
        switch (c) {
        case 'f': mode = SH_CANON_ALL_BUT_LAST; break;
        case 'e': mode = SH_CANON_ALL; break;
        case 'm': mode = SH_CANON_MISSING; break;
        case 'n': newline = false; break;
        case 'z': end = 0; break;
        case 'v': verbose = true; break;
        case 'q':
        case 's': verbose = false; break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: readlink [OPTION]... FILE...\n");
            return 0;
        default:
            return 1;
        }
    }
    int n = argc - st.ind;
    if (n < 1) {
        sh_err(sh, "missing operand");
        sh_try_help(sh);
        return 1;
    }
    if (n > 1)
        newline = true;
    int status = 0;
    for (int i = st.ind; i < argc; i++) {
        char *r = NULL;
        int err = 0;
        if (mode >= 0) {
            r = sh_canonicalize(sh, argv[i], mode, &err);
        } else {
            char buf[4096];
            ssize_t k = readlink(argv[i], buf, sizeof buf - 1);
            if (k >= 0)
                r = sh_strndup(buf, (size_t)k);
            else
                err = errno;
        }
        if (!r) {
            if (verbose)
                sh_errno(sh, err, "%s", argv[i]);
            status = 1;
            continue;
        }
        sh_puts(sh_stdout(sh), r);
        if (newline)
            sh_putc(sh_stdout(sh), end);
        free(r);
    }
    return status;
}
