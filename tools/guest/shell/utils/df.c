/* df: what the sandbox can say. WASI cannot ask a file system for its size
 * or free space, so df shows, for each operand (or each mapped directory
 * when there is none), the mapped directory that holds it as the mount
 * point, the file system "wasmbox" (-T: type "wasi"), and "-" for every
 * number, as GNU's df shows a number it does not know. -h, -H, -k, -i, -P,
 * -T, -a, -l and --total are accepted. A missing operand is an error, as
 * in GNU's. */
#include "../internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *holder(shctx *sh, const char *name, char **abs_out)
{
    int e;
    char *abs = sh_canonicalize(sh, name, SH_CANON_ALL, &e);
    *abs_out = abs;
    const char *best = NULL;
    size_t best_len = 0;
    for (int i = 0; abs && i < sh->nmaps; i++) {
        size_t n = strlen(sh->maps[i]);
        if (n >= best_len && !strncmp(abs, sh->maps[i], n) && (abs[n] == '/' || abs[n] == 0 || n == 1)) {
            best = sh->maps[i];
            best_len = n;
        }
    }
    return best;
}

int util_df(shctx *sh, int argc, char **argv)
{
    enum { O_TOTAL = 256, O_HELP, O_OUTPUT };
    static const sh_longopt lo[] = {
        {"human-readable", SH_NO_ARG, 'h'}, {"si", SH_NO_ARG, 'H'},      {"inodes", SH_NO_ARG, 'i'},
        {"portability", SH_NO_ARG, 'P'},    {"print-type", SH_NO_ARG, 'T'}, {"all", SH_NO_ARG, 'a'},
        {"local", SH_NO_ARG, 'l'},          {"total", SH_NO_ARG, O_TOTAL},  {"help", SH_NO_ARG, O_HELP},
        {NULL, 0, 0}};
    bool human = false, inodes = false, type = false, total = false;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "hHikPTal", lo)) != -1) {
        switch (c) {
        case 'h': case 'H': human = true; break;
        case 'i': inodes = true; break;
        case 'T': type = true; break;
        case O_TOTAL: total = true; break;
        case 'k': case 'P': case 'a': case 'l': break;
        case O_HELP:
            sh_puts(sh_stdout(sh), "Usage: df [OPTION]... [FILE]...\nIn the sandbox: the mapped directory holding each "
                                   "FILE; sizes are not known (WASI cannot ask).\n");
            return 0;
        default:
            return 1;
        }
    }
    sh_buf out = {0};
    sh_buf_printf(&out, "%-14s%s %9s %5s %9s %4s Mounted on\n", "Filesystem", type ? " Type" : "",
                  inodes ? "Inodes" : human ? "Size" : "1K-blocks", inodes ? "IUsed" : "Used",
                  inodes ? "IFree" : human ? "Avail" : "Available", inodes ? "IUse%" : "Use%");
    int status = 0, lines = 0;
    const char *fmt = "%-14s%s %9s %5s %9s %4s %s\n";
    if (st.ind >= argc) {
        for (int i = 0; i < sh->nmaps; i++, lines++)
            sh_buf_printf(&out, fmt, "wasmbox", type ? " wasi" : "", "-", "-", "-", "-", sh->maps[i]);
    }
    for (int i = st.ind; i < argc; i++) {
        struct stat s;
        if (stat(argv[i], &s) != 0) {
            sh_errno(sh, errno, "%s", argv[i]);
            status = 1;
            continue;
        }
        char *abs;
        const char *m = holder(sh, argv[i], &abs);
        sh_buf_printf(&out, fmt, "wasmbox", type ? " wasi" : "", "-", "-", "-", "-", m ? m : "-");
        free(abs);
        lines++;
    }
    if (total && lines)
        sh_buf_printf(&out, fmt, "total", type ? " -   " : "", "-", "-", "-", "-", "-");
    if (!lines && status) {
        sh_buf_free(&out);
        sh_err(sh, "no file systems processed");
        return 1;
    }
    bool ok = sh_write(sh_stdout(sh), out.data, out.len);
    sh_buf_free(&out);
    return ok ? status : 1;
}
