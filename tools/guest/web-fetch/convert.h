/* convert: an HTML page to Markdown or plain text (README.md in this
 * directory: what each element becomes, the limits, and why it holds on
 * any input). */
#ifndef WF_CONVERT_H
#define WF_CONVERT_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/wbtool.h"

/* Elements open at once; deeper ones are read as text without structure. */
#define WF_MAX_DEPTH 512
/* Link texts, code spans, preformatted blocks and table cells being
 * collected at once (each is copied into the one around it when it ends,
 * so this bounds the copying); deeper ones are plain text. */
#define WF_MAX_CAPTURES 8
/* Tables being collected at once (deeper ones are flattened to text). */
#define WF_MAX_TABLES 8
/* Bytes of the title kept. */
#define WF_MAX_TITLE 1000
/* Link and image URLs longer than this are left out (the link's text stays). */
#define WF_MAX_LINK_URL 4096

typedef struct {
    wt_buf text;    /* the page, without trailing white space */
    wt_buf title;   /* <title>, white space collapsed (empty: none) */
    wt_buf refresh; /* where <meta http-equiv=refresh> sends the reader, resolved */
} wf_page;

/* html[0..n): the page as valid UTF-8 (the decoder's output); url: its
 * address, the base for its links (a <base href> replaces it). False when
 * out of memory (page then holds nothing to use; free it all the same). */
bool wf_html_convert(const char *html, size_t n, const char *url, bool markdown, wf_page *page);
void wf_page_free(wf_page *page);

#endif
