/* charset: which character encoding a response is in, and decoding it to
 * UTF-8. */
#ifndef WF_CHARSET_H
#define WF_CHARSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/wbtool.h"

typedef enum {
    WF_CS_UTF8,
    WF_CS_WINDOWS_1252, /* also what iso-8859-1, latin1 and us-ascii name (as in browsers) */
    WF_CS_ISO_8859_15,
    WF_CS_UTF16LE,
    WF_CS_UTF16BE,
    WF_CS_UNKNOWN, /* a label we do not decode: read as UTF-8, best effort */
} wf_charset;

/* windows-1252's bytes 0x80-0x9F (numeric references in that range mean
 * these too). */
extern const uint16_t wf_cp1252_c1[32];

/* The encoding a label names (the WHATWG labels of the encodings above;
 * ASCII case and surrounding white space ignored), or WF_CS_UNKNOWN. */
wf_charset wf_charset_from_label(const char *s, size_t n);
/* "UTF-8", "windows-1252", ... */
const char *wf_charset_name(wf_charset cs);

/* The value of the charset parameter in a Content-Type value or a meta
 * element's content ("text/html; charset=\"utf-8\""): *label, *len. */
bool wf_charset_param(const char *s, size_t n, const char **label, size_t *len);

typedef struct {
    wf_charset cs;
    const char *source;   /* "byte order mark", "Content-Type", "<meta>", or NULL: guessed */
    char label[48];       /* the label as given (cut), for notes */
    size_t bom;           /* bytes of byte order mark to skip */
} wf_charset_choice;

/* Chooses the encoding of body[0..n) as a browser would: a byte order mark
 * first, then the Content-Type's charset (header_label, NULL if none),
 * then for HTML a <meta> charset in the first 1024 bytes (a UTF-16 label
 * there means UTF-8: the meta itself was readable as ASCII); else UTF-8 if
 * the bytes are valid UTF-8, windows-1252 if not. */
void wf_choose_charset(const char *body, size_t n, const char *header_label, size_t header_len,
                       bool html, wf_charset_choice *out);

/* Appends s[0..n) decoded from cs as UTF-8: invalid or unmappable bytes
 * and NUL become U+FFFD, counted in *replaced. WF_CS_UNKNOWN is read as
 * UTF-8. False when out of memory. */
bool wf_decode(wt_buf *out, const char *s, size_t n, wf_charset cs, size_t *replaced);

#endif
