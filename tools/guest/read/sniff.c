/* What a file is, from its first bytes: an image read returns as such, text,
 * or binary (refused: a listing of it would be noise to a model). */
#include <stdint.h>
#include <string.h>

#include "read.h"

const char *sniff_image(const unsigned char *p, size_t n)
{
    if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "image/png";
    if (n >= 3 && memcmp(p, "\xFF\xD8\xFF", 3) == 0)
        return "image/jpeg";
    if (n >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
        return "image/gif";
    if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
        return "image/webp";
    return NULL;
}

/* Whether the 8 bytes at p are all printable ASCII (0x20..0x7E), which
 * need no look of their own below: a byte < 0x20 or >= 0x7F flags the
 * word (a borrow or carry may flag a printable one too: then it is looked
 * at byte by byte, which is merely slower). */
static bool printable_word(const unsigned char *p)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t w;
    memcpy(&w, p, 8);
    return ((((w - ones * 0x20) & ~w) | w | (w + ones)) & highs) == 0;
}

/* A NUL byte is binary at once (git's rule); otherwise binary when more than
 * a tenth of the bytes are control characters text does not use or are not
 * UTF-8 (so Latin-1 text with a few accents still reads as text). A
 * sequence cut by the end of the sample is not held against it. Printable
 * words are skipped 8 bytes a step: this looks at up to READ_SNIFF bytes of
 * every file read, in the interpreter. */
bool sniff_binary(const unsigned char *p, size_t n, const char **why)
{
    size_t odd = 0;
    for (size_t i = 0; i < n;) {
        if (n - i >= 8 && printable_word(p + i)) {
            i += 8;
            continue;
        }
        unsigned char c = p[i];
        if (c >= 0x80) {
            uint32_t cp;
            size_t k = wt_utf8_seq(p + i, n - i, &cp);
            if (!k && n - i >= 4)
                odd++;
            i += k ? k : 1;
            continue;
        }
        if (c == 0) {
            *why = "it contains NUL bytes";
            return true;
        }
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v' && c != '\b' &&
            c != 0x1b)
            odd++;
        else if (c == 0x7f)
            odd++;
        i++;
    }
    if (odd * 10 > n) {
        *why = "more than a tenth of its first bytes are control characters or not UTF-8";
        return true;
    }
    return false;
}
