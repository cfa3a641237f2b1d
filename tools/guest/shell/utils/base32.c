/* base32: GNU's, RFC 4648 base32 encoding or decoding (-d, -i, -w COLS;
 * codec.c). */
#include "../codec.h"

int util_base32(shctx *sh, int argc, char **argv)
{
    return sh_codec_main(sh, argc, argv, SH_ENC_BASE32);
}
