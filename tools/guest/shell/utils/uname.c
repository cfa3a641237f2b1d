/* uname: what the sandbox is, in uname's fields: WASI (kernel name and
 * operating system), "sandbox" (node), preview1 (release), wasmbox
 * (version), wasm32 (machine); -p and -i are unknown (and -a leaves them
 * out, as GNU's does). */
#include "../shell.h"

int util_uname(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"all", SH_NO_ARG, 'a'}, {"kernel-name", SH_NO_ARG, 's'},
                                    {"nodename", SH_NO_ARG, 'n'}, {"kernel-release", SH_NO_ARG, 'r'},
                                    {"kernel-version", SH_NO_ARG, 'v'}, {"machine", SH_NO_ARG, 'm'},
                                    {"processor", SH_NO_ARG, 'p'}, {"hardware-platform", SH_NO_ARG, 'i'},
                                    {"operating-system", SH_NO_ARG, 'o'}, {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    static const char *const values[] = {"WASI", "sandbox", "preview1", "wasmbox", "wasm32", "unknown", "unknown", "WASI"};
    static const char letters[] = "snrvmpio";
    bool want[8] = {0}, any = false, all = false;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "asnrvmpio", lo)) != -1) {
        if (c == 'a') {
            all = any = true;
            continue;
        }
        if (c == 'h') {
            sh_puts(sh_stdout(sh), "Usage: uname [OPTION]...\n");
            return 0;
        }
        bool found = false;
        for (int i = 0; i < 8; i++)
            if (letters[i] == c)
                want[i] = any = found = true;
        if (!found)
            return 1;
    }
    if (st.ind < argc) {
        sh_err(sh, "extra operand %s", sh_quote(sh, argv[st.ind]));
        sh_try_help(sh);
        return 1;
    }
    if (!any)
        want[0] = true;
    sh_buf b = {0};
    for (int i = 0; i < 8; i++) {
        bool on = want[i] || (all && i != 5 && i != 6);
        if (!on)
            continue;
        if (b.len)
            sh_buf_addc(&b, ' ');
        sh_buf_adds(&b, values[i]);
    }
    sh_buf_addc(&b, '\n');
    bool ok = sh_write(sh_stdout(sh), b.data, b.len);
    sh_buf_free(&b);
    return ok ? 0 : 1;
}
