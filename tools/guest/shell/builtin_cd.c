/* builtin_cd.c: cd and pwd. The working directory is kept logically, as
 * bash does by default (cd .. drops the last component); it must lie in a
 * mapped directory: nothing else exists in the sandbox. */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void maps_text(shctx *sh, sh_buf *b)
{
    for (int i = 0; i < sh->nmaps; i++) {
        if (i)
            sh_buf_adds(b, ", ");
        sh_buf_adds(b, sh->maps[i]);
    }
}

int builtin_cd(shctx *sh, int argc, char **argv)
{
    int i = 1;
    bool physical = false;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        if (!strcmp(argv[i], "-L"))
            physical = false;
        else if (!strcmp(argv[i], "-P"))
            physical = true;
        else {
            builtin_error(sh, "%s: invalid option", argv[i]);
            builtin_usage(sh, "cd [-L|-P] [dir]");
            return 2;
        }
    }
    (void)physical;
    if (argc - i > 1) {
        builtin_error(sh, "too many arguments");
        return 1;
    }
    const char *dir = i < argc ? argv[i] : var_value(sh, "HOME");
    bool print = false;
    if (!dir) {
        builtin_error(sh, "HOME not set");
        return 1;
    }
    if (!strcmp(dir, "-")) {
        dir = var_value(sh, "OLDPWD");
        if (!dir) {
            builtin_error(sh, "OLDPWD not set");
            return 1;
        }
        print = true;
    }
    if (!*dir)
        return 0;
    char *target = path_join(sh->st.cwd, dir);
    if (!path_in_maps(sh, target)) {
        sh_buf m = {0};
        maps_text(sh, &m);
        builtin_error(sh, "%s: outside the sandbox (the directories it has are: %s)", dir, m.data ? m.data : "none");
        sh_buf_free(&m);
        free(target);
        return 1;
    }
    struct stat st;
    if (stat(target, &st) != 0) {
        builtin_error(sh, "%s: %s", dir, sh_strerror(errno));
        free(target);
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        builtin_error(sh, "%s: Not a directory", dir);
        free(target);
        return 1;
    }
    if (!shell_chdir(sh, target)) {
        builtin_error(sh, "%s: %s", dir, sh_strerror(errno));
        free(target);
        return 1;
    }
    free(target);
    if (print) {
        sh_puts(sh_stdout(sh), sh->st.cwd);
        sh_putc(sh_stdout(sh), '\n');
    }
    return 0;
}

int builtin_pwd(shctx *sh, int argc, char **argv)
{
    bool phys = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-P"))
            phys = true;
        else if (!strcmp(argv[i], "-L"))
            phys = false;
        else if (argv[i][0] == '-') {
            builtin_error(sh, "%s: invalid option", argv[i]);
            builtin_usage(sh, "pwd [-LP]");
            return 2;
        }
    }
    int err = 0;
    char *p = phys ? sh_canonicalize(sh, sh->st.cwd, SH_CANON_ALL, &err) : NULL;
    if (!p)
        p = sh_strdup(sh->st.cwd);
    sh_puts(sh_stdout(sh), p);
    sh_putc(sh_stdout(sh), '\n');
    free(p);
    return 0;
}
