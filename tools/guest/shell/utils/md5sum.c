/* md5sum: GNU's, the MD5 digest of each file (digest_cmd.c: -b -t -c --tag
 * -z --quiet --status --strict -w --ignore-missing). */
#include "../digest.h"

int util_md5sum(shctx *sh, int argc, char **argv)
{
    return sh_digest_main(sh, argc, argv, &sh_md5);
}
