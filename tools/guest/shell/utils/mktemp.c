/* mktemp: GNU's. Creates a file (-d: a directory) from a template whose
 * last run of at least 3 X's (before --suffix) becomes random letters and
 * digits, and prints its name. -p DIR / --tmpdir[=DIR] / -t put it in DIR,
 * $TMPDIR or /tmp; with no template, tmp.XXXXXXXXXX there. -u only
 * prints a name, -q says nothing on failure. The sandbox: /tmp exists only
 * when it is mapped, so without TMPDIR and without a mapped /tmp the
 * temporary directory is the workspace ($HOME). */
#include "../shell.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *temp_dir(shctx *sh)
{
    const char *t = sh_getenv(sh, "TMPDIR");
    if (t && *t)
        return t;
    struct stat st;
    if (stat("/tmp", &st) == 0 && S_ISDIR(st.st_mode))
        return "/tmp";
    const char *home = sh_getenv(sh, "HOME");
    return home && *home ? home : ".";
}

int util_mktemp(shctx *sh, int argc, char **argv)
{
    enum { O_SUFFIX = 256, O_TMPDIR, O_HELP };
    static const sh_longopt lo[] = {{"directory", SH_NO_ARG, 'd'}, {"dry-run", SH_NO_ARG, 'u'},
                                    {"quiet", SH_NO_ARG, 'q'},     {"suffix", SH_REQ_ARG, O_SUFFIX},
                                    {"tmpdir", SH_OPT_ARG, O_TMPDIR}, {"help", SH_NO_ARG, O_HELP},
                                    {NULL, 0, 0}};
    bool dir = false, dry = false, quiet = false, use_tmp = false, t_form = false;
    const char *suffix = NULL, *tmpdir = NULL;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "dp:qtu", lo)) != -1) {
        switch (c) {
        case 'd': dir = true; break;
        case 'u': dry = true; break;
        case 'q': quiet = true; break;
        case 't': use_tmp = t_form = true; break;
        case 'p':
        case O_TMPDIR:
            use_tmp = true;
            tmpdir = st.arg && *st.arg ? st.arg : NULL;
            break;
        case O_SUFFIX: suffix = st.arg; break;
        case O_HELP:
            sh_puts(sh_stdout(sh), "Usage: mktemp [OPTION]... [TEMPLATE]\nCreate a temporary file or directory, safely, "
                                   "and print its name.\n  -d -u -q -p DIR --tmpdir[=DIR] -t --suffix=SUFF\n");
            return 0;
        default:
            return 1;
        }
    }
    if (argc - st.ind > 1) {
        sh_err(sh, "too many templates");
        sh_try_help(sh);
        return 1;
    }
    const char *tmpl = st.ind < argc ? argv[st.ind] : NULL;
    if (!tmpl) {
        tmpl = "tmp.XXXXXXXXXX";
        use_tmp = true;
    }
    sh_buf name = {0};
    if (use_tmp) {
        if (t_form && strchr(tmpl, '/')) { /* -t's template is a name; -p DIR's may have directories */
            if (!quiet)
                sh_err(sh, "invalid template, %s, contains directory separator", sh_quote(sh, tmpl));
            return 1;
        }
        const char *d = tmpdir ? tmpdir : temp_dir(sh);
        sh_buf_printf(&name, "%s%s", d, *d && d[strlen(d) - 1] == '/' ? "" : "/");
    }
    size_t base = name.len;
    sh_buf_adds(&name, tmpl);
    if (suffix) {
        if (!*tmpl || tmpl[strlen(tmpl) - 1] != 'X') {
            if (!quiet)
                sh_err(sh, "with --suffix, template %s must end in X", sh_quote(sh, tmpl));
            sh_buf_free(&name);
            return 1;
        }
        sh_buf_adds(&name, suffix);
    }
    size_t end = base + strlen(tmpl); /* the X's end here */
    if (!suffix) { /* then the suffix is what follows the last X (not past a '/') */
        while (end > base && name.data[end - 1] != 'X')
            end--;
        const char *slash = strrchr(tmpl, '/');
        if (slash && base + (size_t)(slash - tmpl) >= end)
            end = base;
    }
    size_t xs = 0;
    while (end - xs > base && name.data[end - xs - 1] == 'X')
        xs++;
    if (xs < 3) {
        if (!quiet)
            sh_err(sh, "too few X's in template %s", sh_quote(sh, tmpl));
        sh_buf_free(&name);
        return 1;
    }
    static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    sh_stream *rnd = sh_open(sh, "/dev/urandom", O_RDONLY);
    int status = 1, err = EEXIST;
    for (int attempt = 0; attempt < 100 && err == EEXIST; attempt++) {
        unsigned char r[256];
        size_t want = xs < sizeof r ? xs : sizeof r;
        if (!rnd || sh_read(rnd, r, want) != (ssize_t)want) {
            err = EIO;
            break;
        }
        for (size_t i = 0; i < xs; i++)
            name.data[end - xs + i] = chars[r[i % want] % 62];
        if (dry) {
            err = 0;
            break;
        }
        if (dir) {
            err = mkdir(name.data, 0700) == 0 ? 0 : errno;
        } else {
            int fd = open(name.data, O_RDWR | O_CREAT | O_EXCL, 0600);
            err = fd >= 0 ? 0 : errno;
            if (fd >= 0)
                close(fd);
        }
    }
    if (rnd)
        sh_close(rnd);
    if (err == 0) {
        sh_buf_addc(&name, '\n');
        status = sh_write(sh_stdout(sh), name.data, name.len) ? 0 : 1;
    } else if (!quiet) {
        /* the template as the user would see it, in the directory */
        sh_buf shown = {0};
        sh_buf_add(&shown, name.data, base);
        sh_buf_adds(&shown, tmpl);
        if (suffix)
            sh_buf_adds(&shown, suffix);
        sh_errno(sh, err, "failed to create %s via template %s", dir ? "directory" : "file", sh_quote(sh, shown.data));
        sh_buf_free(&shown);
    }
    sh_buf_free(&name);
    return status;
}
