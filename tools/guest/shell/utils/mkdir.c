/* mkdir: GNU's. -p makes parents and is quiet about existing directories,
 * -v says what it made; -m MODE is accepted (WASI has no modes). */
#include "../shell.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool made(shctx *sh, bool verbose, const char *path)
{
    if (verbose)
        sh_printf(sh_stdout(sh), "mkdir: created directory %s\n", sh_quote(sh, path));
    return true;
}

/* mkdir -p: every missing component, left to right. */
static bool mkdirs(shctx *sh, const char *path, bool verbose)
{
    char *p = sh_strdup(path);
    size_t n = strlen(p);
    for (size_t i = 1; i <= n; i++) {
        if (i < n && p[i] != '/')
            continue;
        if (i < n && p[i - 1] == '/')
            continue;
        char c = p[i];
        p[i] = 0;
        struct stat st;
        if (mkdir(p, 0777) == 0) {
            made(sh, verbose, p);
        } else if (errno != EEXIST || stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
            int e = errno == EEXIST ? ENOTDIR : errno;
            if (i == n && e == ENOTDIR)
                e = EEXIST;
            sh_errno(sh, e, "cannot create directory %s", sh_quote(sh, p));
            free(p);
            return false;
        }
        p[i] = c;
    }
    free(p);
    return true;
}

int util_mkdir(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"parents", SH_NO_ARG, 'p'}, {"verbose", SH_NO_ARG, 'v'},
                                    {"mode", SH_REQ_ARG, 'm'}, {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    bool parents = false, verbose = false;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "pvm:", lo)) != -1) {
        switch (c) {
        case 'p': parents = true; break;
        case 'v': verbose = true; break;
        case 'm': break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: mkdir [OPTION]... DIRECTORY...\n");
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
        if (parents) {
            if (!mkdirs(sh, argv[i], verbose))
                status = 1;
        } else if (mkdir(argv[i], 0777) != 0) {
            sh_errno(sh, errno, "cannot create directory %s", sh_quote(sh, argv[i]));
            status = 1;
        } else {
            made(sh, verbose, argv[i]);
        }
    }
    return status;
}
