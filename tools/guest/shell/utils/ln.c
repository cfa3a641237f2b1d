/* ln: GNU's. TARGET LINK_NAME, TARGET... DIRECTORY, TARGET (here);
 * -s symbolic, -f replace, -n/-T, -r relative to the link (with -s), -v.
 * The sandbox refuses symlinks that could lead out of the workspace (an
 * absolute target, or one with ".."): ln reports the refusal as the
 * system's error ("Operation not permitted"). */
#include "../shell.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *relative_target(shctx *sh, const char *target, const char *link)
{
    int e;
    char *abs_t = sh_canonicalize(sh, target, SH_CANON_MISSING, &e);
    /* the link's directory, resolved */
    char *dir = sh_strdup(link);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    else
        strcpy(dir, ".");
    char *abs_d = sh_canonicalize(sh, *dir ? dir : "/", SH_CANON_MISSING, &e);
    char *rel = abs_t && abs_d ? sh_relative_path(abs_t, abs_d) : sh_strdup(target);
    free(abs_t);
    free(abs_d);
    free(dir);
    return rel;
}

static bool make_link(shctx *sh, const char *target, const char *name, bool sym, bool force, bool relative,
                      bool verbose)
{
    char *t = relative ? relative_target(sh, target, name) : sh_strdup(target);
    struct stat st;
    if (!sym && stat(target, &st) != 0) {
        sh_errno(sh, errno, "failed to access %s", sh_quote(sh, target));
        free(t);
        return false;
    }
    if (force && lstat(name, &st) == 0 && !S_ISDIR(st.st_mode))
        unlink(name);
    int r = sym ? symlink(t, name) : link(target, name);
    if (r != 0) {
        sh_errno(sh, errno, "failed to create %s %s", sym ? "symbolic link" : "hard link", sh_quote(sh, name));
        free(t);
        return false;
    }
    if (verbose)
        sh_printf(sh_stdout(sh), "%s %s %s\n", sh_quote(sh, name), sym ? "->" : "=>", sh_quote(sh, t));
    free(t);
    return true;
}

int util_ln(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"symbolic", SH_NO_ARG, 's'}, {"force", SH_NO_ARG, 'f'},
                                    {"no-dereference", SH_NO_ARG, 'n'}, {"relative", SH_NO_ARG, 'r'},
                                    {"verbose", SH_NO_ARG, 'v'}, {"target-directory", SH_REQ_ARG, 't'},
                                    {"no-target-directory", SH_NO_ARG, 'T'}, {"interactive", SH_NO_ARG, 'i'},
                                    {"logical", SH_NO_ARG, 'L'}, {"physical", SH_NO_ARG, 'P'},
                                    {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    bool sym = false, force = false, nodir = false, relative = false, verbose = false;
    const char *target_dir = NULL;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "sfnrvt:TiLP", lo)) != -1) {
        switch (c) {
        case 's': sym = true; break;
        case 'f': force = true; break;
        case 'n':
        case 'T': nodir = true; break;
        case 'r': relative = true; break;
        case 'v': verbose = true; break;
        case 't': target_dir = st.arg; break;
        case 'i':
        case 'L':
        case 'P': break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: ln [OPTION]... [-T] TARGET LINK_NAME\n");
            return 0;
        default:
            return 1;
        }
    }
    if (relative && !sym) {
        sh_err(sh, "cannot do --relative without --symbolic");
        return 1;
    }
    int n = argc - st.ind;
    char **ops = argv + st.ind;
    if (n < 1) {
        sh_err(sh, "missing file operand");
        sh_try_help(sh);
        return 1;
    }
    struct stat ts;
    if (!target_dir) {
        if (n == 1) {
            target_dir = ".";
        } else if (!nodir && stat(ops[n - 1], &ts) == 0 && S_ISDIR(ts.st_mode)) {
            target_dir = ops[n - 1];
            n--;
        } else if (n > 2) {
            sh_err(sh, "target %s is not a directory", sh_quote(sh, ops[n - 1]));
            return 1;
        } else {
            return make_link(sh, ops[0], ops[1], sym, force, relative, verbose) ? 0 : 1;
        }
    }
    int status = 0;
    for (int i = 0; i < n; i++) {
        char *link = sh_path_into(target_dir, ops[i]);
        if (!make_link(sh, ops[i], link, sym, force, relative, verbose))
            status = 1;
        free(link);
    }
    return status;
}
