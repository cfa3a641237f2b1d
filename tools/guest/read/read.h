/* The read tool's parts (tools/README.md "read"). */
#ifndef READ_H
#define READ_H

#include "../lib/wbtool.h"

#define READ_DEFAULT_LIMIT 2000     /* lines */
#define READ_MAX_LINE_CHARS 2000    /* longer lines are cut with a marker */
#define READ_MAX_TEXT (256u << 10)  /* bytes of listing in one result */
#define READ_MAX_IMAGE (3u << 20)   /* bytes of image (4 MiB once in base64) */
#define READ_SNIFF 8192             /* bytes looked at to tell binary from text */

/* The MIME type of an image format read returns whole, from its first
 * bytes, or NULL. */
const char *sniff_image(const unsigned char *p, size_t n);
/* Whether the first bytes of a file look binary (why: a short reason). */
bool sniff_binary(const unsigned char *p, size_t n, const char **why);

/* Appends lines [first, first + limit) of the file open on fd, numbered as
 * `cat -n` does ("%6u\t"), to out; returns 0 or an errno. The notes (more
 * lines follow, offset past the end, empty file, listing cut) are appended
 * after the listing on lines of their own starting with '['. */
int list_lines(int fd, const char *path, uint64_t first, uint64_t limit, wt_buf *out);

#endif
