/* realpath: GNU's. Canonical absolute paths: all but the last component
 * must exist (default), -e all, -m none; -s resolves no symlinks;
 * --relative-to=DIR, --relative-base=DIR; -q, -z. */
#include "../shell.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* -s: "." and ".." only, no file system */
static char *lexical(shctx *sh, const char *p)
{
    sh_buf b = {0};
    if (p[0] != '/') {
        sh_buf_adds(&b, sh_cwd(sh));
        sh_buf_addc(&b, '/');
    }
    sh_buf_adds(&b, p);
    /* normalize */
    char *in = sh_buf_take(&b);
    sh_buf o = {0};
    for (char *q = in; *q;) {
        while (*q == '/')
            q++;
        if (!*q)
            break;
        char *e = strchr(q, '/');
        size_t n = e ? (size_t)(e - q) : strlen(q);
        if (n == 2 && q[0] == '.' && q[1] == '.') {
            while (o.len && o.data[o.len - 1] != '/')
                o.len--;
            if (o.len)
                o.len--;
        } else if (!(n == 1 && q[0] == '.')) {
            sh_buf_addc(&o, '/');
            sh_buf_add(&o, q, n);
        }
        q += n;
    }
    free(in);
    if (!o.len)
        sh_buf_addc(&o, '/');
    if (o.data)
        o.data[o.len] = 0;
    return sh_buf_take(&o);
}

int util_realpath(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"canonicalize-existing", SH_NO_ARG, 'e'},
                                    {"canonicalize-missing", SH_NO_ARG, 'm'},
                                    {"strip", SH_NO_ARG, 's'}, {"no-symlinks", SH_NO_ARG, 's'},
                                    {"relative-to", SH_REQ_ARG, 'R'}, {"relative-base", SH_REQ_ARG, 'B'},
                                    {"quiet", SH_NO_ARG, 'q'}, {"zero", SH_NO_ARG, 'z'},
                                    {"logical", SH_NO_ARG, 'L'}, {"physical", SH_NO_ARG, 'P'},
                                    {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    int mode = SH_CANON_ALL_BUT_LAST;
    bool strip = false, quiet = false;
    const char *rel_to = NULL, *rel_base = NULL;
    char end = '\n';
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "emsqzLP", lo)) != -1) {
        switch (c) {
        case 'e': mode = SH_CANON_ALL; break;
        case 'm': mode = SH_CANON_MISSING; break;
        case 's': strip = true; break;
        case 'q': quiet = true; break;
        case 'z': end = 0; break;
        case 'R': rel_to = st.arg; break;
        case 'B': rel_base = st.arg; break;
        case 'L':
        case 'P': break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: realpath [OPTION]... FILE...\n");
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
    int err;
    char *to = NULL, *base = NULL;
    if (rel_to && !(to = strip ? lexical(sh, rel_to) : sh_canonicalize(sh, rel_to, mode, &err))) {
        sh_errno(sh, err, "%s", rel_to);
        return 1;
    }
    if (rel_base && !(base = strip ? lexical(sh, rel_base) : sh_canonicalize(sh, rel_base, mode, &err))) {
        sh_errno(sh, err, "%s", rel_base);
        free(to);
        return 1;
    }
    if (base && !to)
        to = sh_strdup(base);
    int status = 0;
    for (int i = st.ind; i < argc; i++) {
        char *r = strip ? lexical(sh, argv[i]) : sh_canonicalize(sh, argv[i], mode, &err);
        if (!r) {
            if (!quiet)
                sh_errno(sh, err, "%s", argv[i]);
            status = 1;
            continue;
        }
        bool under_base = true;
        if (base) {
            size_t bn = strlen(base);
            under_base = !strcmp(base, "/") || (!strncmp(r, base, bn) && (r[bn] == '/' || !r[bn]));
        }
        if (to && under_base) {
            char *rel = sh_relative_path(r, to);
            free(r);
            r = rel;
        }
        sh_puts(sh_stdout(sh), r);
        sh_putc(sh_stdout(sh), end);
        free(r);
    }
    free(to);
    free(base);
    return status;
}
