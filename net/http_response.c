/* http_response: see http_response.h.
 *
 * Structure: a byte-driven state machine. Lines (status, headers, chunk
 * sizes, trailers) are collected into one buffer of max_line bytes and
 * handled when their LF arrives; body bytes are copied in bulk. Each state
 * consumes at least one byte per step, so the loop always ends at the end of
 * the input, and nothing is ever read from outside [data, data + len).
 */
#include "http_response.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net_text.h"

const wb_http_limits wb_http_default_limits = {
    .max_line = 8192,
    .max_headers = 100,
    .max_header_bytes = 64 * 1024,
    .max_body = 16u * 1024 * 1024,
};

typedef enum state {
    ST_STATUS,
    ST_HEADERS,
    ST_BODY_LENGTH,
    ST_BODY_EOF,
    ST_CHUNK_SIZE,
    ST_CHUNK_DATA,
    ST_CHUNK_CRLF,
    ST_TRAILERS,
    ST_DONE,
    ST_ERROR,
} state;

typedef struct header_ref {
    size_t name_off, name_len, value_off, value_len; /* into raw */
} header_ref;

struct wb_http_response {
    wb_http_limits lim;
    bool head_request;
    state st;
    char err[256];

    char *line; /* max_line + 1 bytes: room for the CR before LF */
    size_t line_len;
    uint64_t head_bytes; /* status + header + trailer bytes, interim responses included */
    bool started;        /* any byte seen */

    int status, minor;
    char *reason; /* max_line + 1 bytes */

    char *raw; /* "Name: value\r\n"... */
    size_t raw_len, raw_cap;
    header_ref *hdrs;
    size_t nhdrs, hdrs_cap;
    bool have_length;
    uint64_t content_length;
    unsigned chunked_codings; /* how many times "chunked" was listed */

    uint8_t *body;
    size_t body_len, body_cap;
    uint64_t remaining; /* bytes left in a Content-Length body or the current chunk */
    bool chunk_cr;      /* ST_CHUNK_CRLF: the CR has been seen */
};

static wb_http_result fail(wb_http_response *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static wb_http_result fail(wb_http_response *r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    r->st = ST_ERROR;
    return WB_HTTP_ERROR;
}

/* Quoting buffer for messages; the line is untrusted. */
#define QUOTE(buf, s, n) wb_net_quote((buf), sizeof(buf), (const char *)(s), (n))

wb_http_response *wb_http_response_new(const wb_http_limits *limits, bool head_request) {
    const wb_http_limits *l = limits ? limits : &wb_http_default_limits;
    if (l->max_line == 0 || l->max_headers == 0 || l->max_header_bytes == 0) return NULL;
    if (l->max_line > SIZE_MAX / 4) return NULL;
    wb_http_response *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->lim = *l;
    r->head_request = head_request;
    r->line = malloc(l->max_line + 1);
    r->reason = calloc(1, l->max_line + 1);
    r->body = malloc(1); /* so wb_http_response_body never returns NULL */
    if (!r->line || !r->reason || !r->body) {
        wb_http_response_free(r);
        return NULL;
    }
    r->st = ST_STATUS;
    return r;
}

void wb_http_response_free(wb_http_response *r) {
    if (!r) return;
    free(r->line);
    free(r->reason);
    free(r->raw);
    free(r->hdrs);
    free(r->body);
    free(r);
}

/* ---------------- body storage ---------------- */

static bool body_append(wb_http_response *r, const uint8_t *p, size_t n) {
    if ((uint64_t)n > r->lim.max_body - r->body_len) {
        fail(r, "response body over %llu bytes", (unsigned long long)r->lim.max_body);
        return false;
    }
    if (r->body_len + n > r->body_cap) {
        size_t cap = r->body_cap < 4096 ? 4096 : r->body_cap;
        while (cap < r->body_len + n) cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
        if ((uint64_t)cap > r->lim.max_body) cap = (size_t)r->lim.max_body;
        uint8_t *nb = realloc(r->body, cap ? cap : 1);
        if (!nb) {
            fail(r, "out of memory for response body");
            return false;
        }
        r->body = nb;
        r->body_cap = cap;
    }
    memcpy(r->body + r->body_len, p, n);
    r->body_len += n;
    return true;
}

/* ---------------- status line ---------------- */

static bool reason_char(unsigned char c) {
    return c == '\t' || (c >= 0x20 && c != 0x7F);
}

static wb_http_result parse_status_line(wb_http_response *r, const char *s, size_t n) {
    char q[80];
    /* HTTP-version SP 3DIGIT [SP reason-phrase]; HTTP-name is case-sensitive. */
    if (n < 12 || memcmp(s, "HTTP/1.", 7) != 0 || !wb_net_is_digit((unsigned char)s[7]) ||
        s[8] != ' ' || !wb_net_is_digit((unsigned char)s[9]) ||
        !wb_net_is_digit((unsigned char)s[10]) || !wb_net_is_digit((unsigned char)s[11]) ||
        (n > 12 && s[12] != ' '))
        return fail(r, "invalid status line '%s'", QUOTE(q, s, n));
    int code = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
    if (code < 100 || code > 599)
        return fail(r, "invalid status code %d in status line", code);
    size_t rs = n > 12 ? 13 : 12;
    for (size_t i = rs; i < n; i++)
        if (!reason_char((unsigned char)s[i]))
            return fail(r, "invalid byte 0x%02x in status line '%s'", (unsigned char)s[i],
                        QUOTE(q, s, n));
    r->minor = s[7] - '0';
    r->status = code;
    memcpy(r->reason, s + rs, n - rs);
    r->reason[n - rs] = '\0';
    r->st = ST_HEADERS;
    return WB_HTTP_MORE;
}

/* ---------------- header fields ---------------- */

static bool value_char(unsigned char c) {
    return c == '\t' || (c >= 0x20 && c != 0x7F); /* VCHAR, SP, obs-text */
}

/* Splits "name: value" and checks both. Used for headers and trailers. */
static wb_http_result split_field(wb_http_response *r, const char *s, size_t n, const char *what,
                                  size_t *name_len, size_t *vstart, size_t *vend) {
    char q[80];
    if (s[0] == ' ' || s[0] == '\t')
        return fail(r, "obsolete line folding in %s: '%s'", what, QUOTE(q, s, n));
    size_t c = 0;
    while (c < n && s[c] != ':') c++;
    if (c == n) return fail(r, "%s line without ':': '%s'", what, QUOTE(q, s, n));
    if (c == 0) return fail(r, "empty %s name: '%s'", what, QUOTE(q, s, n));
    for (size_t i = 0; i < c; i++)
        if (!wb_net_is_tchar((unsigned char)s[i]))
            return fail(r, "invalid byte 0x%02x in %s name '%s'", (unsigned char)s[i], what,
                        QUOTE(q, s, c));
    size_t a = c + 1, b = n;
    while (a < b && (s[a] == ' ' || s[a] == '\t')) a++;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) b--;
    for (size_t i = a; i < b; i++)
        if (!value_char((unsigned char)s[i]))
            return fail(r, "invalid byte 0x%02x in value of %s '%s'", (unsigned char)s[i], what,
                        QUOTE(q, s, c));
    *name_len = c;
    *vstart = a;
    *vend = b;
    return WB_HTTP_MORE;
}

static wb_http_result note_content_length(wb_http_response *r, const char *v, size_t n) {
    char q[80];
    if (r->have_length) return fail(r, "duplicate Content-Length header");
    if (n == 0) return fail(r, "empty Content-Length header");
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        /* Digits only: "5, 5", "+5", "0x5" and "5 " inside are all refused. */
        if (!wb_net_is_digit((unsigned char)v[i]))
            return fail(r, "invalid Content-Length '%s'", QUOTE(q, v, n));
        unsigned d = (unsigned)(v[i] - '0');
        if (x > (UINT64_MAX - d) / 10)
            return fail(r, "Content-Length '%s' too large", QUOTE(q, v, n));
        x = x * 10 + d;
    }
    r->have_length = true;
    r->content_length = x;
    return WB_HTTP_MORE;
}

static wb_http_result note_transfer_encoding(wb_http_response *r, const char *v, size_t n) {
    char q[80];
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && v[e] != ',') e++;
        size_t a = i, b = e;
        while (a < b && (v[a] == ' ' || v[a] == '\t')) a++;
        while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t')) b--;
        if (b > a) { /* empty list elements are allowed and mean nothing */
            if (!wb_net_ieq(v + a, b - a, "chunked"))
                return fail(r, "unsupported Transfer-Encoding '%s' (only chunked)",
                            QUOTE(q, v + a, b - a));
            r->chunked_codings++;
        }
        i = e + 1;
    }
    return WB_HTTP_MORE;
}

static wb_http_result add_header(wb_http_response *r, const char *s, size_t n) {
    size_t nl, va, vb;
    if (split_field(r, s, n, "header", &nl, &va, &vb) != WB_HTTP_MORE) return WB_HTTP_ERROR;
    if (r->nhdrs >= r->lim.max_headers)
        return fail(r, "more than %zu response headers", r->lim.max_headers);
    if (wb_net_ieq(s, nl, "Content-Length") &&
        note_content_length(r, s + va, vb - va) != WB_HTTP_MORE)
        return WB_HTTP_ERROR;
    if (wb_net_ieq(s, nl, "Transfer-Encoding") &&
        note_transfer_encoding(r, s + va, vb - va) != WB_HTTP_MORE)
        return WB_HTTP_ERROR;

    size_t need = nl + 2 + (vb - va) + 2;
    if (r->raw_cap - r->raw_len < need + 1) {
        size_t cap = r->raw_cap ? r->raw_cap : 1024;
        while (cap - r->raw_len < need + 1) cap *= 2; /* bounded: need <= 2*max_line */
        char *nr = realloc(r->raw, cap);
        if (!nr) return fail(r, "out of memory for response headers");
        r->raw = nr;
        r->raw_cap = cap;
    }
    if (r->nhdrs == r->hdrs_cap) {
        size_t cap = r->hdrs_cap ? r->hdrs_cap * 2 : 16;
        if (cap > r->lim.max_headers) cap = r->lim.max_headers;
        header_ref *nh = realloc(r->hdrs, cap * sizeof *nh);
        if (!nh) return fail(r, "out of memory for response headers");
        r->hdrs = nh;
        r->hdrs_cap = cap;
    }
    header_ref *h = &r->hdrs[r->nhdrs++];
    h->name_off = r->raw_len;
    h->name_len = nl;
    memcpy(r->raw + r->raw_len, s, nl);
    r->raw_len += nl;
    memcpy(r->raw + r->raw_len, ": ", 2);
    r->raw_len += 2;
    h->value_off = r->raw_len;
    h->value_len = vb - va;
    memcpy(r->raw + r->raw_len, s + va, vb - va);
    r->raw_len += vb - va;
    memcpy(r->raw + r->raw_len, "\r\n", 2);
    r->raw_len += 2;
    r->raw[r->raw_len] = '\0';
    return WB_HTTP_MORE;
}

/* The empty line after the headers: decide how the body is framed. */
static wb_http_result end_of_head(wb_http_response *r) {
    if (r->status == 101) return fail(r, "unexpected 101 Switching Protocols response");
    if (r->status < 200) {
        /* Interim response: forget it and read the next status line. Its
         * bytes stay counted in head_bytes, so endless 1xx responses end. */
        r->raw_len = 0;
        r->nhdrs = 0;
        r->have_length = false;
        r->content_length = 0;
        r->chunked_codings = 0;
        r->st = ST_STATUS;
        return WB_HTTP_MORE;
    }
    if (r->head_request || r->status == 204 || r->status == 304) {
        r->st = ST_DONE;
        return WB_HTTP_DONE;
    }
    if (r->chunked_codings > 0) {
        if (r->have_length)
            return fail(r, "response has both Transfer-Encoding and Content-Length");
        if (r->chunked_codings > 1)
            return fail(r, "Transfer-Encoding lists chunked more than once");
        r->st = ST_CHUNK_SIZE;
        return WB_HTTP_MORE;
    }
    if (r->have_length) {
        if (r->content_length > r->lim.max_body)
            return fail(r, "response body over %llu bytes (Content-Length: %llu)",
                        (unsigned long long)r->lim.max_body,
                        (unsigned long long)r->content_length);
        r->remaining = r->content_length;
        r->st = r->remaining ? ST_BODY_LENGTH : ST_DONE;
        return r->remaining ? WB_HTTP_MORE : WB_HTTP_DONE;
    }
    r->st = ST_BODY_EOF;
    return WB_HTTP_MORE;
}

/* ---------------- chunked framing ---------------- */

static wb_http_result parse_chunk_size(wb_http_response *r, const char *s, size_t n) {
    char q[80];
    size_t i = 0;
    uint64_t v = 0;
    while (i < n && wb_net_hex_value((unsigned char)s[i]) >= 0) {
        if (v > (UINT64_MAX >> 4)) return fail(r, "chunk size '%s' too large", QUOTE(q, s, n));
        v = v << 4 | (unsigned)wb_net_hex_value((unsigned char)s[i]);
        i++;
    }
    if (i == 0) return fail(r, "invalid chunk size line '%s'", QUOTE(q, s, n));
    /* Extensions (";name=value") carry nothing we use: skip them, but only
     * after checking they hold no control bytes. */
    size_t j = i;
    while (j < n && (s[j] == ' ' || s[j] == '\t')) j++;
    if (j < n && s[j] != ';') return fail(r, "invalid chunk size line '%s'", QUOTE(q, s, n));
    for (; j < n; j++)
        if (!value_char((unsigned char)s[j]))
            return fail(r, "invalid byte 0x%02x in chunk extension", (unsigned char)s[j]);
    if (v == 0) {
        r->st = ST_TRAILERS;
        return WB_HTTP_MORE;
    }
    if (v > r->lim.max_body - r->body_len)
        return fail(r, "response body over %llu bytes", (unsigned long long)r->lim.max_body);
    r->remaining = v;
    r->st = ST_CHUNK_DATA;
    return WB_HTTP_MORE;
}

/* ---------------- line dispatch ---------------- */

static wb_http_result handle_line(wb_http_response *r) {
    const char *s = r->line;
    size_t n = r->line_len;
    char q[80];
    if (memchr(s, '\r', n)) return fail(r, "CR without LF in response line '%s'", QUOTE(q, s, n));
    switch (r->st) {
    case ST_STATUS:
        return parse_status_line(r, s, n);
    case ST_HEADERS:
        return n == 0 ? end_of_head(r) : add_header(r, s, n);
    case ST_CHUNK_SIZE:
        return parse_chunk_size(r, s, n);
    case ST_TRAILERS: {
        if (n == 0) {
            r->st = ST_DONE;
            return WB_HTTP_DONE;
        }
        size_t nl, va, vb; /* trailers are checked, then dropped */
        return split_field(r, s, n, "trailer", &nl, &va, &vb);
    }
    default:
        return fail(r, "internal error: line in state %d", (int)r->st);
    }
}

static const char *line_kind(state st) {
    switch (st) {
    case ST_STATUS: return "status";
    case ST_HEADERS: return "header";
    case ST_CHUNK_SIZE: return "chunk size";
    default: return "trailer";
    }
}

/* ---------------- driver ---------------- */

wb_http_result wb_http_response_feed(wb_http_response *r, const void *data, size_t len,
                                     size_t *consumed) {
    const uint8_t *p = data;
    size_t i = 0;
    wb_http_result res = WB_HTTP_MORE;
    if (consumed) *consumed = 0;
    if (r->st == ST_DONE) return WB_HTTP_DONE;
    if (r->st == ST_ERROR) return WB_HTTP_ERROR;
    if (len > 0 && !p) return fail(r, "internal error: NULL data");
    if (len > 0) r->started = true;

    while (i < len && res == WB_HTTP_MORE) {
        switch (r->st) {
        case ST_STATUS:
        case ST_HEADERS:
        case ST_TRAILERS:
        case ST_CHUNK_SIZE: {
            unsigned char c = p[i++];
            bool head = r->st != ST_CHUNK_SIZE;
            if (head && ++r->head_bytes > r->lim.max_header_bytes) {
                res = fail(r, "response head over %zu bytes", r->lim.max_header_bytes);
                break;
            }
            if (c == '\n') {
                if (r->line_len > 0 && r->line[r->line_len - 1] == '\r') r->line_len--;
                if (r->line_len > r->lim.max_line) {
                    res = fail(r, "%s line longer than %zu bytes", line_kind(r->st),
                               r->lim.max_line);
                    break;
                }
                res = handle_line(r);
                r->line_len = 0;
                break;
            }
            /* One byte of slack for the CR that may precede LF. */
            if (r->line_len > r->lim.max_line) {
                res = fail(r, "%s line longer than %zu bytes", line_kind(r->st), r->lim.max_line);
                break;
            }
            r->line[r->line_len++] = (char)c;
            break;
        }
        case ST_BODY_LENGTH:
        case ST_CHUNK_DATA: {
            size_t n = len - i;
            if ((uint64_t)n > r->remaining) n = (size_t)r->remaining;
            if (!body_append(r, p + i, n)) {
                res = WB_HTTP_ERROR;
                break;
            }
            i += n;
            r->remaining -= n;
            if (r->remaining == 0) {
                if (r->st == ST_BODY_LENGTH) {
                    r->st = ST_DONE;
                    res = WB_HTTP_DONE;
                } else {
                    r->st = ST_CHUNK_CRLF;
                    r->chunk_cr = false;
                }
            }
            break;
        }
        case ST_CHUNK_CRLF: {
            unsigned char c = p[i++];
            if (c == '\r' && !r->chunk_cr) {
                r->chunk_cr = true;
            } else if (c == '\n') {
                r->st = ST_CHUNK_SIZE;
            } else {
                res = fail(r, "expected CRLF after chunk data, got byte 0x%02x", c);
            }
            break;
        }
        case ST_BODY_EOF: {
            size_t n = len - i;
            if (!body_append(r, p + i, n)) {
                res = WB_HTTP_ERROR;
                break;
            }
            i += n;
            break;
        }
        case ST_DONE:
        case ST_ERROR:
            break;
        }
    }
    if (consumed) *consumed = i;
    return res;
}

wb_http_result wb_http_response_eof(wb_http_response *r) {
    switch (r->st) {
    case ST_DONE:
        return WB_HTTP_DONE;
    case ST_ERROR:
        return WB_HTTP_ERROR;
    case ST_BODY_EOF:
        r->st = ST_DONE;
        return WB_HTTP_DONE;
    case ST_STATUS:
        return fail(r, r->started ? "connection closed inside the status line"
                                  : "connection closed before any response");
    case ST_HEADERS:
        return fail(r, "connection closed before the end of the response headers");
    case ST_BODY_LENGTH:
        return fail(r, "response body truncated: got %zu of %llu bytes", r->body_len,
                    (unsigned long long)r->content_length);
    default:
        return fail(r, "chunked response body truncated after %zu bytes", r->body_len);
    }
}

/* ---------------- accessors ---------------- */

const char *wb_http_response_error(const wb_http_response *r) {
    return r->st == ST_ERROR ? r->err : "";
}

int wb_http_response_status(const wb_http_response *r) { return r->status; }
int wb_http_response_minor_version(const wb_http_response *r) { return r->minor; }
const char *wb_http_response_reason(const wb_http_response *r) { return r->reason; }
size_t wb_http_response_header_count(const wb_http_response *r) { return r->nhdrs; }

bool wb_http_response_header_at(const wb_http_response *r, size_t i, const char **name,
                                size_t *name_len, const char **value, size_t *value_len) {
    if (i >= r->nhdrs) return false;
    const header_ref *h = &r->hdrs[i];
    if (name) *name = r->raw + h->name_off;
    if (name_len) *name_len = h->name_len;
    if (value) *value = r->raw + h->value_off;
    if (value_len) *value_len = h->value_len;
    return true;
}

const char *wb_http_response_header(const wb_http_response *r, const char *name,
                                    size_t *value_len) {
    for (size_t i = 0; i < r->nhdrs; i++) {
        const header_ref *h = &r->hdrs[i];
        if (wb_net_ieq(r->raw + h->name_off, h->name_len, name)) {
            if (value_len) *value_len = h->value_len;
            return r->raw + h->value_off;
        }
    }
    if (value_len) *value_len = 0;
    return NULL;
}

const char *wb_http_response_raw_headers(const wb_http_response *r, size_t *len) {
    if (len) *len = r->raw_len;
    return r->raw ? r->raw : "";
}

const uint8_t *wb_http_response_body(const wb_http_response *r, size_t *len) {
    if (len) *len = r->body_len;
    return r->body;
}
