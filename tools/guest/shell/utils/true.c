/* true: does nothing, successfully (arguments ignored, as bash's builtin). */
#include "../shell.h"

int util_true(shctx *sh, int argc, char **argv)
{
    (void)sh;
    (void)argc;
    (void)argv;
    return 0;
}
