/* content_type: what a response holds, from its headers and first bytes. */
#ifndef WF_CONTENT_TYPE_H
#define WF_CONTENT_TYPE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    WF_HTML,   /* converted to Markdown or text */
    WF_TEXT,   /* shown as it is (plain text, JSON, XML, CSS, scripts...) */
    WF_BINARY, /* refused */
} wf_kind;

/* The value of header name (ASCII case ignored) in raw "Name: value\r\n"
 * lines, white space around it dropped; the first when repeated; NULL when
 * absent. */
const char *wf_header_value(const char *raw, size_t n, const char *name, size_t *len);

/* The media type of a Content-Type value, lower case, without parameters
 * ("text/html"), into buf (cap bytes; "" when none or too long). */
void wf_media_type(const char *v, size_t n, char *buf, size_t cap);

/* The kind of a body of media type `type` ("" when the response has none).
 * Without one, or with application/octet-stream, the first bytes decide
 * (HTML's markup, binary signatures and control bytes); *sniffed is set
 * then. */
wf_kind wf_classify(const char *type, const char *body, size_t n, bool *sniffed);

#endif
