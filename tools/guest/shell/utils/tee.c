/* tee: GNU's. stdin to stdout and to each FILE (-a appends). A file that
 * cannot be opened or written is reported and the others go on (status
 * 1); -i and -p are accepted (there are no signals to ignore). */
#include "../shell.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

int util_tee(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"append", SH_NO_ARG, 'a'}, {"ignore-interrupts", SH_NO_ARG, 'i'},
                                    {"output-error", SH_OPT_ARG, 'p'}, {"help", SH_NO_ARG, 'h'},
                                    {NULL, 0, 0}};
    bool append = false;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "aip", lo)) != -1) {
        if (c == 'a')
            append = true;
        else if (c == 'h') {
            sh_puts(sh_stdout(sh), "Usage: tee [OPTION]... [FILE]...\n");
            return 0;
        } else if (c != 'i' && c != 'p')
            return 1;
    }
    int n = argc - st.ind, status = 0;
    sh_stream **out = sh_calloc((size_t)n + 1, sizeof *out);
    for (int i = 0; i < n; i++) {
        const char *f = argv[st.ind + i];
        out[i] = !strcmp(f, "-") ? sh_stdout(sh)
                                 : sh_open(sh, f, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC));
        if (!out[i]) {
            sh_errno(sh, errno, "%s", sh_quote_maybe(sh, f));
            status = 1;
        }
    }
    char buf[65536];
    bool stdout_ok = true;
    for (;;) {
        ssize_t r = sh_read(sh_stdin(sh), buf, sizeof buf);
        if (r < 0) {
            sh_errno(sh, errno, "read error");
            status = 1;
            break;
        }
        if (r == 0)
            break;
        if (stdout_ok && !sh_write(sh_stdout(sh), buf, (size_t)r)) {
            stdout_ok = false;
            status = 1;
            if (errno == EPIPE)
                break;
        }
        for (int i = 0; i < n; i++) {
            if (out[i] && out[i] != sh_stdout(sh) && !sh_write(out[i], buf, (size_t)r)) {
                sh_errno(sh, errno, "%s", sh_quote_maybe(sh, argv[st.ind + i]));
                sh_close(out[i]);
                out[i] = NULL;
                status = 1;
            }
        }
    }
    for (int i = 0; i < n; i++)
        if (out[i] && out[i] != sh_stdout(sh) && !sh_close(out[i])) {
            sh_errno(sh, errno, "%s", sh_quote_maybe(sh, argv[st.ind + i]));
            status = 1;
        }
    free(out);
    return status;
}
