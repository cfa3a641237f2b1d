/* rm: GNU's. -f (no complaint about missing files), -r/-R (directories,
 * depth first, symlinks removed, never followed), -d (empty directories),
 * -v; -i/-I are accepted and do not ask (there is no terminal). "/", "."
 * and ".." are refused as GNU refuses them. */
#include "../shell.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    bool force, recursive, dirs, verbose;
} rmopt;

static bool removed(shctx *sh, const rmopt *o, const char *path, bool dir)
{
    if (o->verbose)
        sh_printf(sh_stdout(sh), "removed %s%s\n", dir ? "directory " : "", sh_quote(sh, path));
    return true;
}

static bool remove_tree(shctx *sh, const rmopt *o, const char *path, int depth)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (o->force && errno == ENOENT)
            return true;
        sh_errno(sh, errno, "cannot remove %s", sh_quote(sh, path));
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path) != 0) {
            sh_errno(sh, errno, "cannot remove %s", sh_quote(sh, path));
            return false;
        }
        return removed(sh, o, path, false);
    }
    if (!o->recursive) {
        if (o->dirs && rmdir(path) == 0)
            return removed(sh, o, path, true);
        sh_errno(sh, o->dirs ? errno : EISDIR, "cannot remove %s", sh_quote(sh, path));
        return false;
    }
    if (depth > 256) {
        sh_errno(sh, ELOOP, "cannot remove %s", sh_quote(sh, path));
        return false;
    }
    DIR *d = opendir(path);
    if (!d) {
        sh_errno(sh, errno, "cannot remove %s", sh_quote(sh, path));
        return false;
    }
    /* names first: the directory changes while entries are removed */
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
        sh_buf_adds(&p, path);
        if (p.len && p.data[p.len - 1] != '/')
            sh_buf_addc(&p, '/');
        sh_buf_adds(&p, names[i]);
        if (!remove_tree(sh, o, p.data, depth + 1))
            ok = false;
        sh_buf_free(&p);
        free(names[i]);
    }
    free(names);
    if (!ok)
        return false;
    if (rmdir(path) != 0) {
        sh_errno(sh, errno, "cannot remove %s", sh_quote(sh, path));
        return false;
    }
    return removed(sh, o, path, true);
}

static bool dot_or_dotdot(const char *p)
{
    const char *b = strrchr(p, '/');
    b = b ? b + 1 : p;
    return !strcmp(b, ".") || !strcmp(b, "..");
}

int util_rm(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"force", SH_NO_ARG, 'f'}, {"recursive", SH_NO_ARG, 'r'},
                                    {"dir", SH_NO_ARG, 'd'}, {"verbose", SH_NO_ARG, 'v'},
                                    {"interactive", SH_OPT_ARG, 'i'}, {"no-preserve-root", SH_NO_ARG, 'N'},
                                    {"preserve-root", SH_OPT_ARG, 'P'}, {"one-file-system", SH_NO_ARG, 'O'},
                                    {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    rmopt o = {0};
    bool preserve_root = true;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "frRdviI", lo)) != -1) {
        switch (c) {
        case 'f': o.force = true; break;
        case 'r':
        case 'R': o.recursive = true; break;
        case 'd': o.dirs = true; break;
        case 'v': o.verbose = true; break;
        case 'i':
        case 'I': o.force = false; break;
        case 'N': preserve_root = false; break;
        case 'P':
        case 'O': break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: rm [OPTION]... [FILE]...\n");
            return 0;
        default:
            return 1;
        }
    }
    if (st.ind >= argc) {
        if (o.force)
            return 0;
        sh_err(sh, "missing operand");
        sh_try_help(sh);
        return 1;
    }
    int status = 0;
    for (int i = st.ind; i < argc; i++) {
        const char *p = argv[i];
        if (o.recursive && dot_or_dotdot(p)) {
            sh_err(sh, "refusing to remove '.' or '..' directory: skipping %s", sh_quote(sh, p));
            status = 1;
            continue;
        }
        if (o.recursive && preserve_root && p[0] == '/' && p[strspn(p, "/")] == 0) {
            sh_err(sh, "it is dangerous to operate recursively on %s", sh_quote(sh, "/"));
            sh_err(sh, "use --no-preserve-root to override this failsafe");
            status = 1;
            continue;
        }
        if (!remove_tree(sh, &o, p, 0))
            status = 1;
    }
    return status;
}
