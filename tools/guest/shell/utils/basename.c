/* basename: GNU's. basename NAME [SUFFIX], -a NAME..., -s SUFFIX, -z. */
#include "../shell.h"

#include <string.h>

static void base(sh_buf *out, const char *name, const char *suffix)
{
    size_t n = strlen(name);
    while (n > 1 && name[n - 1] == '/')
        n--;
    size_t s = n;
    while (s > 0 && name[s - 1] != '/')
        s--;
    if (n == 1 && name[0] == '/')
        s = 0;
    size_t len = n - s;
    if (suffix && *suffix) {
        size_t sl = strlen(suffix);
        if (sl < len && !memcmp(name + s + len - sl, suffix, sl))
            len -= sl;
    }
    sh_buf_add(out, name + s, len);
}

int util_basename(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"multiple", SH_NO_ARG, 'a'}, {"suffix", SH_REQ_ARG, 's'},
                                    {"zero", SH_NO_ARG, 'z'}, {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    bool multiple = false;
    const char *suffix = NULL;
    char end = '\n';
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "as:z", lo)) != -1) {
        switch (c) {
        case 'a': multiple = true; break;
        case 's':
            suffix = st.arg;
            multiple = true;
            break;
        case 'z': end = 0; break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: basename NAME [SUFFIX]\n  or:  basename OPTION... NAME...\n");
            return 0;
        default:
            return 1;
        }
    }
    int n = argc - st.ind;
    if (n < 1) {
        sh_err(sh, "missing operand");
        sh_try_help(sh);
        return 1;
    }
    if (!multiple && n > 2) {
        sh_err(sh, "extra operand %s", sh_quote(sh, argv[st.ind + 2]));
        sh_try_help(sh);
        return 1;
    }
    sh_buf out = {0};
    if (!multiple) {
        base(&out, argv[st.ind], n == 2 ? argv[st.ind + 1] : NULL);
        sh_buf_addc(&out, end);
    } else {
        for (int i = st.ind; i < argc; i++) {
            base(&out, argv[i], suffix);
            sh_buf_addc(&out, end);
        }
    }
    bool ok = sh_write(sh_stdout(sh), out.data, out.len);
    sh_buf_free(&out);
    return ok ? 0 : 1;
}
