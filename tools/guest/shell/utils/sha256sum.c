/* sha256sum: GNU's, the SHA-256 digest of each file (digest_cmd.c: -b -t -c --tag
 * -z --quiet --status --strict -w --ignore-missing). */
#include "../digest.h"

int util_sha256sum(shctx *sh, int argc, char **argv)
{
    return sh_digest_main(sh, argc, argv, &sh_sha256);
}
