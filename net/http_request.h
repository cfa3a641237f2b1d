/* http_request: serializes one HTTP/1.1 request head (and body).
 *
 * Job: turn a method, a target, a Host value and guest-supplied headers into
 * bytes for the wire, refusing anything that could change the request's
 * meaning on the way: CR/LF/NUL in names or values (header injection, request
 * smuggling), a non-token method, and the framing and routing headers wasmbox
 * sets itself (Host, Content-Length, Transfer-Encoding, Connection), so a
 * guest cannot point the request at a host the policy never checked.
 *
 * Output:
 *   METHOD SP target SP "HTTP/1.1" CRLF
 *   "Host: " host CRLF
 *   user headers, in order, as "Name: value" CRLF
 *   ["Content-Length: " n CRLF]      when a body is given (even an empty one)
 *   "Connection: close" CRLF         one request per connection
 *   CRLF
 *   body
 */
#ifndef WASMBOX_NET_HTTP_REQUEST_H
#define WASMBOX_NET_HTTP_REQUEST_H

#include <stddef.h>

typedef struct wb_http_header {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
} wb_http_header;

typedef struct wb_http_request {
    const char *method; /* token, e.g. "GET" */
    size_t method_len;
    const char *target; /* origin-form, e.g. wb_url.target; NUL-terminated */
    const char *host;   /* Host value, e.g. from wb_url_host_header; NUL-terminated */
    const wb_http_header *headers;
    size_t nheaders;
    const void *body;   /* NULL: no body and no Content-Length */
    size_t body_len;
} wb_http_request;

/* On success returns 0 and a malloc'd buffer in *out (length *out_len; also
 * NUL-terminated for convenience, the NUL not counted). On failure returns -1
 * with a message in err. */
int wb_http_request_serialize(const wb_http_request *req, char **out, size_t *out_len, char *err,
                              size_t errlen);

#endif
