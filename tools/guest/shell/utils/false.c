/* false: does nothing, unsuccessfully. */
#include "../shell.h"

int util_false(shctx *sh, int argc, char **argv)
{
    (void)sh;
    (void)argc;
    (void)argv;
    return 1;
}
