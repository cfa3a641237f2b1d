/* b2sum: GNU's, the BLAKE2b digest of each file (digest_cmd.c: -b -t -c
 * --tag -z --quiet --status --strict -w --ignore-missing), and -l BITS for
 * a shorter digest (8 to 512 bits, a multiple of 8). */
#include "../digest.h"

int util_b2sum(shctx *sh, int argc, char **argv)
{
    return sh_digest_main(sh, argc, argv, &sh_blake2b);
}
