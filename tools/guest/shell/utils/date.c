/* date: GNU's, in UTC. +FORMAT (strftime and GNU's %N, %:z, %-d ...),
 * -d DATE (sh_parse_date's forms), -r FILE, -I[date|hours|minutes|seconds|ns],
 * -R, --rfc-3339=date|seconds|ns, -u (always so). Setting the clock (-s)
 * is not permitted in the sandbox. */
#include "../shell.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int util_date(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"date", SH_REQ_ARG, 'd'},      {"reference", SH_REQ_ARG, 'r'},
                                    {"iso-8601", SH_OPT_ARG, 'I'},  {"rfc-email", SH_NO_ARG, 'R'},
                                    {"rfc-2822", SH_NO_ARG, 'R'},   {"rfc-3339", SH_REQ_ARG, '3'},
                                    {"utc", SH_NO_ARG, 'u'},        {"universal", SH_NO_ARG, 'u'},
                                    {"set", SH_REQ_ARG, 's'},       {"help", SH_NO_ARG, 'h'},
                                    {NULL, 0, 0}};
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t sec = now.tv_sec;
    long nsec = now.tv_nsec;
    const char *fmt = "%a %b %e %H:%M:%S %Z %Y";
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "d:r:I::Rus:", lo)) != -1) {
        switch (c) {
        case 'd': {
            long ns;
            if (!sh_parse_date(st.arg, now.tv_sec, &sec, &ns)) {
                sh_err(sh, "invalid date %s", sh_quote(sh, st.arg));
                return 1;
            }
            nsec = ns < 0 ? now.tv_nsec : ns;
            break;
        }
        case 'r': {
            struct stat fs;
            if (stat(st.arg, &fs) != 0) {
                sh_errno(sh, errno, "%s", st.arg);
                return 1;
            }
            sec = fs.st_mtim.tv_sec;
            nsec = fs.st_mtim.tv_nsec;
            break;
        }
        case 'I': {
            const char *a = st.arg ? st.arg : "date";
            if (!strncmp(a, "date", strlen(a)))
                fmt = "%Y-%m-%d";
            else if (!strncmp(a, "hours", strlen(a)))
                fmt = "%Y-%m-%dT%H%:z";
            else if (!strncmp(a, "minutes", strlen(a)))
                fmt = "%Y-%m-%dT%H:%M%:z";
            else if (!strncmp(a, "seconds", strlen(a)))
                fmt = "%Y-%m-%dT%H:%M:%S%:z";
            else if (!strncmp(a, "ns", strlen(a)))
                fmt = "%Y-%m-%dT%H:%M:%S,%N%:z";
            else {
                sh_err(sh, "invalid argument %s for '--iso-8601'", sh_quote(sh, a));
                return 1;
            }
            break;
        }
        case 'R': fmt = "%a, %d %b %Y %H:%M:%S %z"; break;
        case '3':
            if (!strcmp(st.arg, "date"))
                fmt = "%Y-%m-%d";
            else if (!strcmp(st.arg, "seconds"))
                fmt = "%Y-%m-%d %H:%M:%S%:z";
            else if (!strcmp(st.arg, "ns"))
                fmt = "%Y-%m-%d %H:%M:%S.%N%:z";
            else {
                sh_err(sh, "invalid argument %s for '--rfc-3339'", sh_quote(sh, st.arg));
                return 1;
            }
            break;
        case 'u': break;
        case 's':
            sh_errno(sh, EPERM, "cannot set date");
            return 1;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: date [OPTION]... [+FORMAT]\n");
            return 0;
        default:
            return 1;
        }
    }
    if (st.ind < argc) {
        if (argv[st.ind][0] != '+' || st.ind + 1 < argc) {
            sh_err(sh, "invalid date %s", sh_quote(sh, argv[st.ind][0] == '+' ? argv[st.ind + 1] : argv[st.ind]));
            return 1;
        }
        fmt = argv[st.ind] + 1;
    }
    sh_buf out = {0};
    sh_format_date(&out, fmt, sec, nsec);
    sh_buf_addc(&out, '\n');
    bool ok = sh_write(sh_stdout(sh), out.data, out.len);
    sh_buf_free(&out);
    return ok ? 0 : 1;
}
