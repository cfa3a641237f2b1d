/* sha384sum: GNU's, the SHA-384 digest of each file (digest_cmd.c: -b -t -c --tag
 * -z --quiet --status --strict -w --ignore-missing). */
#include "../digest.h"

int util_sha384sum(shctx *sh, int argc, char **argv)
{
    return sh_digest_main(sh, argc, argv, &sh_sha384);
}
