/* touch: GNU's. Creates missing files (not with -c), sets the access and
 * modification times (-a, -m: one of them) to now, to -d DATE (date's
 * forms), to -t [[CC]YY]MMDDhhmm[.ss], or to -r FILE's; -h is accepted
 * (WASI sets a symlink's own times only through the path it names). */
#include "../shell.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* -t [[CC]YY]MMDDhhmm[.ss] */
static bool parse_stamp(shctx *sh, const char *s, struct timespec *ts)
{
    const char *dot = strchr(s, '.');
    size_t n = dot ? (size_t)(dot - s) : strlen(s);
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    if ((n != 8 && n != 10 && n != 12) || (dot && (strlen(dot + 1) != 2)))
        return false;
    char iso[64];
    char y[5] = "", rest[9];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (n == 12)
        memcpy(y, s, 4);
    else if (n == 10)
        snprintf(y, sizeof y, "%s%.2s", (s[0] - '0') * 10 + (s[1] - '0') >= 69 ? "19" : "20", s);
    else {
        sh_buf b = {0};
        sh_format_date(&b, "%Y", now.tv_sec, 0);
        memcpy(y, b.data, 4);
        sh_buf_free(&b);
    }
    memcpy(rest, s + (n - 8), 8);
    rest[8] = 0;
    snprintf(iso, sizeof iso, "%s-%.2s-%.2s %.2s:%.2s:%s", y, rest, rest + 2, rest + 4, rest + 6,
             dot ? dot + 1 : "00");
    int64_t sec;
    long ns;
    if (!sh_parse_date(iso, now.tv_sec, &sec, &ns))
        return false;
    (void)sh;
    ts->tv_sec = (time_t)sec;
    ts->tv_nsec = 0;
    return true;
}

int util_touch(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"no-create", SH_NO_ARG, 'c'}, {"date", SH_REQ_ARG, 'd'},
                                    {"reference", SH_REQ_ARG, 'r'}, {"no-dereference", SH_NO_ARG, 'h'},
                                    {"time", SH_REQ_ARG, 'T'}, {"help", SH_NO_ARG, 'H'}, {NULL, 0, 0}};
    bool create = true, atime = false, mtime = false;
    struct timespec when[2];
    bool given = false;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    while ((c = sh_getopt(sh, &st, argc, argv, "acd:fhmr:t:", lo)) != -1) {
        switch (c) {
        case 'a': atime = true; break;
        case 'm': mtime = true; break;
        case 'c': create = false; break;
        case 'f':
        case 'h': break;
        case 'd': {
            int64_t sec;
            long ns;
            if (!sh_parse_date(st.arg, now.tv_sec, &sec, &ns)) {
                sh_err(sh, "invalid date format %s", sh_quote(sh, st.arg));
                return 1;
            }
            when[0].tv_sec = when[1].tv_sec = (time_t)sec;
            when[0].tv_nsec = when[1].tv_nsec = ns < 0 ? now.tv_nsec : ns;
            given = true;
            break;
        }
        case 't':
            if (!parse_stamp(sh, st.arg, &when[0])) {
                sh_err(sh, "invalid date format %s", sh_quote(sh, st.arg));
                return 1;
            }
            when[1] = when[0];
            given = true;
            break;
        case 'r': {
            struct stat rs;
            if (stat(st.arg, &rs) != 0) {
                sh_errno(sh, errno, "failed to get attributes of %s", sh_quote(sh, st.arg));
                return 1;
            }
            when[0] = rs.st_atim;
            when[1] = rs.st_mtim;
            given = true;
            break;
        }
        case 'T':
            if (!strcmp(st.arg, "access") || !strcmp(st.arg, "atime") || !strcmp(st.arg, "use"))
                atime = true;
            else if (!strcmp(st.arg, "modify") || !strcmp(st.arg, "mtime"))
                mtime = true;
            else {
                sh_err(sh, "invalid argument %s for '--time'", sh_quote(sh, st.arg));
                return 1;
            }
            break;
        case 'H':
            sh_puts(sh_stdout(sh), "Usage: touch [OPTION]... FILE...\n");
            return 0;
        default:
            return 1;
        }
    }
    if (st.ind >= argc) {
        sh_err(sh, "missing file operand");
        sh_try_help(sh);
        return 1;
    }
    if (!given) {
        when[0] = when[1] = now;
    }
    if (atime && !mtime)
        when[1].tv_nsec = UTIME_OMIT;
    if (mtime && !atime)
        when[0].tv_nsec = UTIME_OMIT;
    int status = 0;
    for (int i = st.ind; i < argc; i++) {
        const char *f = argv[i];
        if (!strcmp(f, "-"))
            continue;
        struct stat fs;
        if (stat(f, &fs) != 0) {
            if (!create)
                continue;
            int fd = open(f, O_WRONLY | O_CREAT, 0666);
            if (fd < 0) {
                sh_errno(sh, errno, "cannot touch %s", sh_quote(sh, f));
                status = 1;
                continue;
            }
            close(fd);
        }
        if (utimensat(AT_FDCWD, f, when, 0) != 0) {
            sh_errno(sh, errno, "setting times of %s", sh_quote(sh, f));
            status = 1;
        }
    }
    return status;
}
