/* arch: the machine, as uname -m says it: wasm32. */
#include "../shell.h"

int util_arch(shctx *sh, int argc, char **argv)
{
    if (argc > 1 && argv[1][0] != '-') {
        sh_err(sh, "extra operand %s", sh_quote(sh, argv[1]));
        sh_try_help(sh);
        return 1;
    }
    return sh_puts(sh_stdout(sh), "wasm32\n") ? 0 : 1;
}
