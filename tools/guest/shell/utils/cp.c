/* cp: GNU's. SOURCE DEST, SOURCE... DIRECTORY, -t DIRECTORY SOURCE...;
 * -r/-R (trees, symlinks copied as symlinks), -a (-r plus times, links
 * kept), -p (times; WASI has no modes or owners), -f, -n, -u, -v, -L/-P/-H,
 * -T; -i is accepted and does not ask. */
#include "../shell.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int util_cp(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {
        {"recursive", SH_NO_ARG, 'r'}, {"archive", SH_NO_ARG, 'a'},      {"force", SH_NO_ARG, 'f'},
        {"no-clobber", SH_NO_ARG, 'n'}, {"update", SH_OPT_ARG, 'u'},     {"verbose", SH_NO_ARG, 'v'},
        {"dereference", SH_NO_ARG, 'L'}, {"no-dereference", SH_NO_ARG, 'P'},
        {"preserve", SH_OPT_ARG, 'p'}, {"target-directory", SH_REQ_ARG, 't'},
        {"no-target-directory", SH_NO_ARG, 'T'}, {"interactive", SH_NO_ARG, 'i'},
        {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    sh_copy_opts o = {0};
    const char *target = NULL;
    bool no_target = false;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "rRafnuvLPHpt:Tid", lo)) != -1) {
        switch (c) {
        case 'r':
        case 'R': o.recursive = true; break;
        case 'a': o.recursive = o.preserve = true; break;
        case 'f': o.force = true; break;
        case 'n': o.no_clobber = true; break;
        case 'u': o.update = true; break;
        case 'v': o.verbose = true; break;
        case 'L': o.dereference = true; break;
        case 'H': o.follow_args = true; break;
        case 'P':
        case 'd': o.dereference = false; break;
        case 'p': o.preserve = true; break;
        case 't': target = st.arg; break;
        case 'T': no_target = true; break;
        case 'i': break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: cp [OPTION]... SOURCE DEST\n  or:  cp [OPTION]... SOURCE... DIRECTORY\n");
            return 0;
        default:
            return 1;
        }
    }
    int n = argc - st.ind;
    char **ops = argv + st.ind;
    if (n < 1) {
        sh_err(sh, "missing file operand");
        sh_try_help(sh);
        return 1;
    }
    if (!target && n < 2) {
        sh_err(sh, "missing destination file operand after %s", sh_quote(sh, ops[0]));
        sh_try_help(sh);
        return 1;
    }
    struct stat ts;
    if (!target && !no_target) {
        const char *last = ops[n - 1];
        if (stat(last, &ts) == 0 && S_ISDIR(ts.st_mode)) {
            target = last;
            n--;
        } else if (n > 2) {
            if (stat(last, &ts) == 0)
                sh_err(sh, "target %s is not a directory", sh_quote(sh, last));
            else
                sh_errno(sh, errno, "target %s", sh_quote(sh, last));
            return 1;
        }
    }
    int status = 0;
    if (!target) {
        if (n > 2) {
            sh_err(sh, "extra operand %s", sh_quote(sh, ops[2]));
            sh_try_help(sh);
            return 1;
        }
        struct stat ss;
        if (o.recursive && stat(ops[0], &ss) == 0 && S_ISDIR(ss.st_mode) && sh_inside(sh, ops[0], ops[1])) {
            sh_err(sh, "cannot copy a directory, %s, into itself, %s", sh_quote(sh, ops[0]), sh_quote(sh, ops[1]));
            return 1;
        }
        return sh_copy(sh, ops[0], ops[1], &o) ? 0 : 1;
    }
    if (stat(target, &ts) != 0 || !S_ISDIR(ts.st_mode)) {
        sh_err(sh, "target %s is not a directory", sh_quote(sh, target));
        return 1;
    }
    for (int i = 0; i < n; i++) {
        char *dst = sh_path_into(target, ops[i]);
        struct stat ss;
        if (o.recursive && stat(ops[i], &ss) == 0 && S_ISDIR(ss.st_mode) && sh_inside(sh, ops[i], dst)) {
            sh_err(sh, "cannot copy a directory, %s, into itself, %s", sh_quote(sh, ops[i]), sh_quote(sh, dst));
            status = 1;
        } else if (!sh_copy(sh, ops[i], dst, &o)) {
            status = 1;
        }
        free(dst);
    }
    return status;
}
