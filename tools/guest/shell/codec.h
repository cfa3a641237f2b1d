/* codec.h: base64, base32, basenc (codec.c): RFC 4648's encodings, base16,
 * base2 and Z85, encoded with GNU's line wrapping, decoded leniently as
 * GNU 9.1 does (newlines skipped, -i skipping the rest of what is not in
 * the alphabet). */
#ifndef SH_CODEC_H
#define SH_CODEC_H

#include "shell.h"

enum {
    SH_ENC_NONE,
    SH_ENC_BASE64,
    SH_ENC_BASE64URL,
    SH_ENC_BASE32,
    SH_ENC_BASE32HEX,
    SH_ENC_BASE16,
    SH_ENC_BASE2MSBF,
    SH_ENC_BASE2LSBF,
    SH_ENC_Z85,
};

/* base64, base32 (enc given) and basenc (SH_ENC_NONE: an option chooses). */
int sh_codec_main(shctx *sh, int argc, char **argv, int enc);

#endif
