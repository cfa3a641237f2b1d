/* mdsyntax: Markdown constructs built as text (a link destination, a code
 * span, a fenced code block). */
#ifndef WF_MDSYNTAX_H
#define WF_MDSYNTAX_H

#include <stddef.h>

#include "../lib/wbtool.h"

/* A URL made safe for a link destination: spaces, parentheses, angle
 * brackets, '|', '\\' and control bytes percent-encoded. */
void md_url(wt_buf *out, const char *s, size_t n);
/* s between enough backticks (one more than its longest run of them),
 * padded with a space when it starts or ends with one. */
void md_code_span(wt_buf *out, const char *s, size_t n);
/* s fenced with at least three backticks (more than any run inside), the
 * language (may be "") after the opening fence. */
void md_code_block(wt_buf *out, const char *s, size_t n, const char *lang);

#endif
