/* vdir: GNU's, ls -l -b: dir (dir.c) with -l, so the listing is ls's long
 * format. What the sandbox changes: names in it are not escaped. */
#include "../shell.h"

#include <stdlib.h>
#include <string.h>

int util_dir(shctx *sh, int argc, char **argv);

int util_vdir(shctx *sh, int argc, char **argv)
{
    char **v = sh_calloc((size_t)argc + 2, sizeof *v);
    v[0] = argv[0];
    v[1] = "-l";
    memcpy(v + 2, argv + 1, (size_t)(argc - 1) * sizeof *v);
    int status = util_dir(sh, argc + 1, v);
    free(v);
    return status;
}
