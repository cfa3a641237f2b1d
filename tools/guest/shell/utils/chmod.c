/* chmod: GNU's options and messages, but WASI has no file modes: chmod
 * checks the mode (octal, or symbolic as u+x,go-w,a=r) and that each file
 * exists, changes nothing and succeeds. Files keep the modes the sandbox
 * shows for them (ls -l, stat: 0644 files, 0755 directories), so -v says
 * "mode of 'f' retained as 0644 (rw-r--r--)"; -c says nothing. Scripts
 * run whatever their mode (`./x.sh` after `chmod +x x.sh` works). -R is
 * accepted (there is nothing to change below either). */
#include "../shell.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool valid_mode(const char *m)
{
    if (*m >= '0' && *m <= '7') {
        size_t n = strspn(m, "01234567");
        return m[n] == 0 && n <= 4;
    }
    /* clause: [ugoa]* then one or more actions [-+=] followed by [rwxXst]* or one of [ugo] */
    const char *p = m;
    for (;;) {
        p += strspn(p, "ugoa");
        if (!*p || !strchr("-+=", *p))
            return false;
        while (*p && strchr("-+=", *p)) {
            p++;
            if (*p && strchr("ugo", *p))
                p++;
            else
                p += strspn(p, "rwxXst");
        }
        if (!*p)
            return true;
        if (*p != ',')
            return false;
        p++;
    }
}

/* A mode written as an option (chmod -w f, chmod -x f): GNU takes it. */
static bool mode_like_option(const char *a)
{
    return a[0] == '-' && a[1] && strspn(a + 1, "rwxXstugoa=+-,") == strlen(a + 1) && valid_mode(a);
}

int util_chmod(shctx *sh, int argc, char **argv)
{
    enum { O_REF = 256, O_HELP, O_NOOP };
    static const sh_longopt lo[] = {{"changes", SH_NO_ARG, 'c'}, {"silent", SH_NO_ARG, 'f'},
                                    {"quiet", SH_NO_ARG, 'f'},   {"verbose", SH_NO_ARG, 'v'},
                                    {"recursive", SH_NO_ARG, 'R'}, {"reference", SH_REQ_ARG, O_REF},
                                    {"no-preserve-root", SH_NO_ARG, O_NOOP}, {"preserve-root", SH_NO_ARG, O_NOOP},
                                    {"help", SH_NO_ARG, O_HELP}, {NULL, 0, 0}};
    /* take a mode that looks like an option out first, as GNU does */
    char **args = sh_malloc(((size_t)argc + 1) * sizeof *args);
    int n = 0;
    const char *mode = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            while (i < argc)
                args[n++] = argv[i++];
            break;
        }
        if (i > 0 && !mode && mode_like_option(argv[i]))
            mode = argv[i];
        else
            args[n++] = argv[i];
    }
    args[n] = NULL;
    bool verbose = false, quiet = false;
    const char *ref = NULL;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c, status = 0;
    while ((c = sh_getopt(sh, &st, n, args, "cfvR", lo)) != -1) {
        switch (c) {
        case 'c': verbose = false; break;
        case 'f': quiet = true; break;
        case 'v': verbose = true; break;
        case 'R': case O_NOOP: break;
        case O_REF: ref = st.arg; break;
        case O_HELP:
            sh_puts(sh_stdout(sh), "Usage: chmod [OPTION]... MODE[,MODE]... FILE...\n  or:  chmod [OPTION]... "
                                   "--reference=RFILE FILE...\nThe sandbox has no file modes: chmod checks MODE and "
                                   "the files and changes nothing.\n");
            free(args);
            return 0;
        default:
            free(args);
            return 1;
        }
    }
    int i = st.ind;
    if (!mode && !ref && i < n)
        mode = args[i++];
    if (!mode && !ref) {
        sh_err(sh, "missing operand");
        sh_try_help(sh);
        free(args);
        return 1;
    }
    if (i >= n) {
        if (mode)
            sh_err(sh, "missing operand after %s", sh_quote(sh, mode));
        else
            sh_err(sh, "missing operand");
        sh_try_help(sh);
        free(args);
        return 1;
    }
    struct stat s;
    if (ref && stat(ref, &s) != 0) {
        sh_errno(sh, errno, "failed to get attributes of %s", sh_quote(sh, ref));
        free(args);
        return 1;
    }
    if (mode && !valid_mode(mode)) {
        sh_err(sh, "invalid mode: %s", sh_quote(sh, mode));
        sh_try_help(sh);
        free(args);
        return 1;
    }
    for (; i < n; i++) {
        if (stat(args[i], &s) != 0) {
            if (!quiet)
                sh_errno(sh, errno, "cannot access %s", sh_quote(sh, args[i]));
            status = 1;
            continue;
        }
        if (verbose) {
            bool d = S_ISDIR(s.st_mode);
            if (!sh_printf(sh_stdout(sh), "mode of %s retained as %s\n", sh_quote(sh, args[i]),
                           d ? "0755 (rwxr-xr-x)" : "0644 (rw-r--r--)")) {
                status = 1;
                break;
            }
        }
    }
    free(args);
    return status;
}
