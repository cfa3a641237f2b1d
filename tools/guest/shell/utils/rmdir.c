/* rmdir: GNU's. Removes empty directories; -p their parents too, -v,
 * --ignore-fail-on-non-empty. */
#include "../shell.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int util_rmdir(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"parents", SH_NO_ARG, 'p'}, {"verbose", SH_NO_ARG, 'v'},
                                    {"ignore-fail-on-non-empty", SH_NO_ARG, 'I'},
                                    {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    bool parents = false, verbose = false, ignore = false;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "pv", lo)) != -1) {
        switch (c) {
        case 'p': parents = true; break;
        case 'v': verbose = true; break;
        case 'I': ignore = true; break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: rmdir [OPTION]... DIRECTORY...\n");
            return 0;
        default:
            return 1;
        }
    }
    if (st.ind >= argc) {
        sh_err(sh, "missing operand");
        sh_try_help(sh);
        return 1;
    }
    int status = 0;
    for (int i = st.ind; i < argc; i++) {
        char *p = sh_strdup(argv[i]);
        for (;;) {
            size_t n = strlen(p);
            while (n > 1 && p[n - 1] == '/')
                p[--n] = 0;
            if (verbose)
                sh_printf(sh_stdout(sh), "rmdir: removing directory, %s\n", sh_quote(sh, p));
            if (rmdir(p) != 0) {
                int e = errno;
                if (!(ignore && (e == ENOTEMPTY || e == EEXIST))) {
                    sh_errno(sh, e, "failed to remove %s", sh_quote(sh, p));
                    status = 1;
                }
                break;
            }
            char *slash = strrchr(p, '/');
            if (!parents || !slash || slash == p)
                break;
            *slash = 0;
        }
        free(p);
    }
    return status;
}
