/* truncate: GNU's. -s SIZE sets each file's size; SIZE may start with +
 * (extend by), - (shrink by), < (at most), > (at least), / (round down
 * to a multiple), % (round up to one), and takes GNU's suffixes (K, MiB,
 * kB ...). -r FILE: that file's size (with -s, a relative change from it).
 * -c: do not create missing files. -o (I/O blocks) is refused: WASI does
 * not say a file's block size. */
#include "../shell.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int64_t apply(char op, int64_t size, int64_t n)
{
    int64_t r;
    switch (op) {
    case '+': r = size > INT64_MAX - n ? INT64_MAX : size + n; break;
    case '-': r = size - n; break;
    case '<': r = size < n ? size : n; break;
    case '>': r = size > n ? size : n; break;
    case '/': r = size / n * n; break;
    case '%': r = (size + n - 1) / n * n; break;
    default: r = n;
    }
    return r < 0 ? 0 : r;
}

int util_truncate(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"no-create", SH_NO_ARG, 'c'}, {"io-blocks", SH_NO_ARG, 'o'},
                                    {"reference", SH_REQ_ARG, 'r'}, {"size", SH_REQ_ARG, 's'},
                                    {"help", SH_NO_ARG, 'h'},       {NULL, 0, 0}};
    bool nocreate = false;
    const char *ref = NULL, *size_arg = NULL;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "cor:s:", lo)) != -1) {
        switch (c) {
        case 'c': nocreate = true; break;
        case 'o':
            sh_err(sh, "-o (--io-blocks) is not available in the sandbox: WASI does not give a file's block size");
            return 1;
        case 'r': ref = st.arg; break;
        case 's': size_arg = st.arg; break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: truncate OPTION... FILE...\nShrink or extend the size of each FILE to the "
                                   "specified size.\n  -c  -r RFILE  -s [+-<>/%]SIZE\n");
            return 0;
        default:
            return 1;
        }
    }
    char op = 0;
    int64_t n = 0;
    if (size_arg) {
        const char *p = size_arg;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p && strchr("+-<>/%", *p))
            op = *p++;
        if (!sh_parse_size(p, &n) || *p == '-' || *p == '+') {
            sh_err(sh, "Invalid number: %s", sh_quote(sh, size_arg));
            return 1;
        }
        if ((op == '/' || op == '%') && n == 0) {
            sh_err(sh, "division by zero");
            return 1;
        }
    }
    if (!size_arg && !ref) {
        sh_err(sh, "you must specify either '--size' or '--reference'");
        sh_try_help(sh);
        return 1;
    }
    if (size_arg && ref && !op) {
        sh_err(sh, "you must specify a relative '--size' with '--reference'");
        sh_try_help(sh);
        return 1;
    }
    if (st.ind >= argc) {
        sh_err(sh, "missing file operand");
        sh_try_help(sh);
        return 1;
    }
    int64_t ref_size = -1;
    if (ref) {
        struct stat rs;
        if (stat(ref, &rs) != 0) {
            sh_errno(sh, errno, "cannot stat %s", sh_quote(sh, ref));
            return 1;
        }
        ref_size = rs.st_size;
    }
    int status = 0;
    for (int i = st.ind; i < argc; i++) {
        const char *f = argv[i];
        int fd = open(f, O_WRONLY | (nocreate ? 0 : O_CREAT), 0644);
        if (fd < 0) {
            if (!(nocreate && errno == ENOENT)) {
                sh_errno(sh, errno, "cannot open %s for writing", sh_quote(sh, f));
                status = 1;
            }
            continue;
        }
        struct stat fs;
        int64_t base = ref_size;
        if (base < 0) {
            if (fstat(fd, &fs) != 0) {
                sh_errno(sh, errno, "cannot fstat %s", sh_quote(sh, f));
                close(fd);
                status = 1;
                continue;
            }
            base = fs.st_size;
        }
        int64_t want = size_arg ? apply(op, base, n) : ref_size;
        if (ftruncate(fd, (off_t)want) != 0) {
            sh_errno(sh, errno, "failed to truncate %s at %lld bytes", sh_quote(sh, f), (long long)want);
            status = 1;
        }
        close(fd);
    }
    return status;
}
