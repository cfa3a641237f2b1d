/* http_response: incremental, socket-free HTTP/1.1 response parser.
 *
 * Job: read one response from bytes that arrive in arbitrary pieces (down to
 * one byte at a time) and either hand back status, headers and body, or a
 * clear reason for refusing it. It never reads past the buffer it is given,
 * and every buffer it grows is bounded by a limit the caller chose, so a
 * hostile server can make it fail but not make it crash, hang or hoard memory.
 *
 * Framing (RFC 9112 section 6.3), in order:
 *   - 1xx interim responses are read and discarded (101 is an error: wasmbox
 *     never asks to switch protocols);
 *   - a response to HEAD, and any 204 or 304, has no body;
 *   - Transfer-Encoding must be exactly "chunked" (anything else is refused,
 *     as is Transfer-Encoding together with Content-Length);
 *   - else Content-Length (one header, one value: duplicates are refused);
 *   - else the body runs until the caller signals EOF.
 *
 * Usage:
 *   wb_http_response *r = wb_http_response_new(&limits, is_head);
 *   while ((rc = wb_http_response_feed(r, buf, n, &used)) == WB_HTTP_MORE)
 *       ... read more; on EOF: rc = wb_http_response_eof(r); break;
 *   if (rc == WB_HTTP_ERROR) puts(wb_http_response_error(r));
 */
#ifndef WASMBOX_NET_HTTP_RESPONSE_H
#define WASMBOX_NET_HTTP_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct wb_http_limits {
    size_t max_line;         /* longest status, header, trailer or chunk-size line (no CRLF) */
    size_t max_headers;      /* header fields in the final response */
    size_t max_header_bytes; /* all head bytes: interim responses, headers, trailers */
    uint64_t max_body;       /* decoded body bytes */
} wb_http_limits;

/* Reasonable defaults: 8 KiB lines, 100 headers, 64 KiB of head, 16 MiB body. */
extern const wb_http_limits wb_http_default_limits;

typedef enum wb_http_result {
    WB_HTTP_ERROR = -1,
    WB_HTTP_MORE = 0, /* feed more bytes (or signal EOF) */
    WB_HTTP_DONE = 1, /* a complete response has been read */
} wb_http_result;

typedef struct wb_http_response wb_http_response;

/* head_request: the request was HEAD, so the response has no body whatever
 * its headers say. Returns NULL only when out of memory or a limit is 0. */
wb_http_response *wb_http_response_new(const wb_http_limits *limits, bool head_request);
void wb_http_response_free(wb_http_response *r);

/* Consumes bytes. *consumed (may be NULL) tells how many were used: after
 * DONE, bytes beyond the end of the response are left unconsumed (after
 * ERROR the count means nothing). Once DONE or ERROR, further calls change
 * nothing and return the same result. */
wb_http_result wb_http_response_feed(wb_http_response *r, const void *data, size_t len,
                                     size_t *consumed);

/* The connection was closed. Completes a body delimited by close; anything
 * else unfinished (head, Content-Length or chunked body) becomes an error. */
wb_http_result wb_http_response_eof(wb_http_response *r);

/* Valid once the result is ERROR; "" otherwise. */
const char *wb_http_response_error(const wb_http_response *r);

/* Valid once the final status line has been read (0 before). */
int wb_http_response_status(const wb_http_response *r);
int wb_http_response_minor_version(const wb_http_response *r); /* the x of HTTP/1.x */
const char *wb_http_response_reason(const wb_http_response *r);

/* Headers of the final response, valid once DONE (or once the body has
 * started). Names keep the server's spelling; values are trimmed of
 * surrounding blanks. Results are (pointer, length) views into the parser,
 * not NUL-terminated, valid until the next feed/eof/free. */
size_t wb_http_response_header_count(const wb_http_response *r);
bool wb_http_response_header_at(const wb_http_response *r, size_t i, const char **name,
                                size_t *name_len, const char **value, size_t *value_len);
/* First header with this name (ASCII case-insensitive), or NULL. */
const char *wb_http_response_header(const wb_http_response *r, const char *name,
                                    size_t *value_len);
/* All headers as "Name: value\r\n" lines, concatenated in order. */
const char *wb_http_response_raw_headers(const wb_http_response *r, size_t *len);

/* The decoded body (chunked framing removed). Never NULL. */
const uint8_t *wb_http_response_body(const wb_http_response *r, size_t *len);

#endif
