/* egrep: grep -E (utils/grep.c), as Debian's egrep script runs it. */
#include "../shell.h"

int util_grep_as(shctx *sh, int argc, char **argv, char syntax);

int util_egrep(shctx *sh, int argc, char **argv)
{
    return util_grep_as(sh, argc, argv, 'E');
}
