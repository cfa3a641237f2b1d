/* mv: GNU's. SOURCE DEST, SOURCE... DIRECTORY, -t DIRECTORY; -f, -n, -u,
 * -v, -T; -i is accepted and does not ask. Between mapped directories
 * (where a rename cannot go) the tree is copied, times kept, then removed. */
#include "../shell.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return false;
    if (!S_ISDIR(st.st_mode))
        return unlink(path) == 0;
    DIR *d = opendir(path);
    if (!d)
        return false;
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        names = sh_realloc(names, sizeof *names * (n + 1));
        names[n++] = sh_strdup(e->d_name);
    }
    closedir(d);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        sh_buf p = {0};
        sh_buf_printf(&p, "%s/%s", path, names[i]);
        ok = remove_tree(p.data) && ok;
        sh_buf_free(&p);
        free(names[i]);
    }
    free(names);
    return ok && rmdir(path) == 0;
}

static bool move(shctx *sh, const char *src, const char *dst, bool no_clobber, bool update, bool verbose)
{
    struct stat ss, ds;
    if (lstat(src, &ss) != 0) {
        sh_errno(sh, errno, "cannot stat %s", sh_quote(sh, src));
        return false;
    }
    bool exists = lstat(dst, &ds) == 0;
    if (exists) {
        if (ss.st_dev == ds.st_dev && ss.st_ino == ds.st_ino) {
            sh_err(sh, "%s and %s are the same file", sh_quote(sh, src), sh_quote(sh, dst));
            return false;
        }
        if (no_clobber)
            return true;
        if (update && (ds.st_mtim.tv_sec > ss.st_mtim.tv_sec ||
                       (ds.st_mtim.tv_sec == ss.st_mtim.tv_sec && ds.st_mtim.tv_nsec >= ss.st_mtim.tv_nsec)))
            return true;
        if (S_ISDIR(ds.st_mode) && !S_ISDIR(ss.st_mode)) {
            sh_err(sh, "cannot overwrite directory %s with non-directory", sh_quote(sh, dst));
            return false;
        }
        if (!S_ISDIR(ds.st_mode) && S_ISDIR(ss.st_mode)) {
            sh_err(sh, "cannot overwrite non-directory %s with directory %s", sh_quote(sh, dst), sh_quote(sh, src));
            return false;
        }
    }
    if (S_ISDIR(ss.st_mode) && sh_inside(sh, src, dst)) {
        sh_err(sh, "cannot move %s to a subdirectory of itself, %s", sh_quote(sh, src), sh_quote(sh, dst));
        return false;
    }
    if (rename(src, dst) == 0) {
        if (verbose)
            sh_printf(sh_stdout(sh), "renamed %s -> %s\n", sh_quote(sh, src), sh_quote(sh, dst));
        return true;
    }
    int e = errno;
    if (e != EXDEV
#ifdef ENOTCAPABLE
        && e != ENOTCAPABLE
#endif
    ) {
        sh_errno(sh, e, "cannot move %s to %s", sh_quote(sh, src), sh_quote(sh, dst));
        return false;
    }
    sh_copy_opts o = {.recursive = true, .preserve = true, .force = true};
    if (exists && S_ISDIR(ds.st_mode))
        remove_tree(dst);
    if (!sh_copy(sh, src, dst, &o))
        return false;
    if (!remove_tree(src)) {
        sh_errno(sh, errno, "cannot remove %s", sh_quote(sh, src));
        return false;
    }
    if (verbose)
        sh_printf(sh_stdout(sh), "copied %s -> %s\nremoved %s\n", sh_quote(sh, src), sh_quote(sh, dst),
                  sh_quote(sh, src));
    return true;
}

int util_mv(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"force", SH_NO_ARG, 'f'}, {"no-clobber", SH_NO_ARG, 'n'},
                                    {"update", SH_OPT_ARG, 'u'}, {"verbose", SH_NO_ARG, 'v'},
                                    {"target-directory", SH_REQ_ARG, 't'}, {"no-target-directory", SH_NO_ARG, 'T'},
                                    {"interactive", SH_NO_ARG, 'i'}, {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    bool no_clobber = false, update = false, verbose = false, no_target = false;
    const char *target = NULL;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "fnuvt:Ti", lo)) != -1) {
        switch (c) {
        case 'f': no_clobber = false; break;
        case 'n': no_clobber = true; break;
        case 'u': update = true; break;
        case 'v': verbose = true; break;
        case 't': target = st.arg; break;
        case 'T': no_target = true; break;
        case 'i': break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: mv [OPTION]... SOURCE DEST\n  or:  mv [OPTION]... SOURCE... DIRECTORY\n");
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
    if (!target) {
        if (n > 2) {
            sh_err(sh, "extra operand %s", sh_quote(sh, ops[2]));
            sh_try_help(sh);
            return 1;
        }
        return move(sh, ops[0], ops[1], no_clobber, update, verbose) ? 0 : 1;
    }
    int status = 0;
    for (int i = 0; i < n; i++) {
        char *dst = sh_path_into(target, ops[i]);
        if (!move(sh, ops[i], dst, no_clobber, update, verbose))
            status = 1;
        free(dst);
    }
    return status;
}
