/* dirname: GNU's. Each NAME without its last component; -z. */
#include "../shell.h"

#include <string.h>

static void dir(sh_buf *out, const char *name)
{
    size_t n = strlen(name);
    while (n > 1 && name[n - 1] == '/')
        n--;
    while (n > 0 && name[n - 1] != '/')
        n--;
    if (n == 0) {
        sh_buf_addc(out, name[0] == '/' ? '/' : '.');
        return;
    }
    while (n > 1 && name[n - 1] == '/')
        n--;
    sh_buf_add(out, name, n);
}

int util_dirname(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"zero", SH_NO_ARG, 'z'}, {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    char end = '\n';
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "z", lo)) != -1) {
        if (c == 'z')
            end = 0;
        else if (c == 'h') {
            sh_puts(sh_stdout(sh), "Usage: dirname [OPTION] NAME...\n");
            return 0;
        } else
            return 1;
    }
    if (st.ind >= argc) {
        sh_err(sh, "missing operand");
        sh_try_help(sh);
        return 1;
    }
    sh_buf out = {0};
    for (int i = st.ind; i < argc; i++) {
        dir(&out, argv[i]);
        sh_buf_addc(&out, end);
    }
    bool ok = sh_write(sh_stdout(sh), out.data, out.len);
    sh_buf_free(&out);
    return ok ? 0 : 1;
}
