/* basenc: GNU's, the encoding an option names: --base64 --base64url
 * --base32 --base32hex --base16 --base2msbf --base2lsbf --z85 (codec.c),
 * with -d, -i, -w COLS. */
#include "../codec.h"

int util_basenc(shctx *sh, int argc, char **argv)
{
    return sh_codec_main(sh, argc, argv, SH_ENC_NONE);
}
