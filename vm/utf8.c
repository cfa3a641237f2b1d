/* UTF-8 well-formedness (Unicode table 3-7), for names in the binary format. */
#include "decode_internal.h"

/* Length of the sequence a lead byte starts, and the range its first
 * continuation byte must fall in; the narrowed ranges are what rule out
 * overlong forms (E0, F0), surrogates (ED) and code points above U+10FFFF
 * (F4). 0 for a byte that cannot start a sequence. */
static unsigned lead_info(uint8_t b, uint8_t *lo, uint8_t *hi)
{
    *lo = 0x80;
    *hi = 0xBF;
    if (b < 0x80)
        return 1;
    if (b >= 0xC2 && b <= 0xDF)
        return 2;
    if (b >= 0xE0 && b <= 0xEF) {
        if (b == 0xE0)
            *lo = 0xA0;
        else if (b == 0xED)
            *hi = 0x9F;
        return 3;
    }
    if (b >= 0xF0 && b <= 0xF4) {
        if (b == 0xF0)
            *lo = 0x90;
        else if (b == 0xF4)
            *hi = 0x8F;
        return 4;
    }
    return 0;
}

bool wb_utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t lo, hi;
        unsigned len = lead_info(s[i], &lo, &hi);
        if (len == 0 || n - i < len)
            return false;
        if (len > 1) {
            if (s[i + 1] < lo || s[i + 1] > hi)
                return false;
            for (unsigned k = 2; k < len; k++)
                if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                    return false;
        }
        i += len;
    }
    return true;
}
