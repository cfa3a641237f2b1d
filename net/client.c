/* client: one HTTP/1.1 exchange per connection, redirects hop by hop.
 *
 * Every hop runs the full decision (decide.c) on its own freshly parsed URL
 * before a socket exists, and connects only to the addresses that decision
 * checked. The response is read through the incremental parser, which owns
 * all framing and size limits; this file only moves bytes between the
 * connection and the parser and decides what a redirect means. */
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"
#include "net_text.h"

#define READ_CHUNK 16384

struct wb_net_response {
    wb_net_conn conn;
    wb_http_response *parser;
    bool done;          /* the parser has the whole response */
    bool https;
    char *final_url;
    int redirects;
    uint8_t buf[READ_CHUNK]; /* bytes read but not yet fed */
    size_t buf_off, buf_len;
    bool has_error;
    wb_net_error last;
};

void wb_net_options_init(wb_net_options *o, const wb_policy *policy)
{
    memset(o, 0, sizeof *o);
    o->policy = policy;
    o->connect_timeout_ms = 10000;
    o->io_timeout_ms = 30000;
    o->total_timeout_ms = 0;
    o->max_redirects = WB_NET_DEFAULT_REDIRECTS;
    o->limits = wb_http_default_limits;
    o->max_fetch_body = 0;
    o->abort_fd = -1;
}

static bool is_limit_message(const char *m)
{
    /* The parser's limit messages (http_response.c); anything else is a
     * malformed response. */
    return strncmp(m, "response body over ", 19) == 0 ||
           strncmp(m, "response head over ", 19) == 0 || strstr(m, " line longer than ") ||
           (strncmp(m, "more than ", 10) == 0 && strstr(m, " response headers"));
}

/* The parser failed: say so with the URL, as a limit or a protocol error. */
static int parser_fail(wb_net_response *r, wb_net_error *err)
{
    const char *m = wb_http_response_error(r->parser);
    return wb_net_fail(err, is_limit_message(m) ? WB_NET_E_LIMIT : WB_NET_E_PROTOCOL,
                       "response from %s: %s", r->final_url, m);
}

/* Feeds buffered bytes to the parser and reads more until: the head is
 * complete (want_head_only), or some body bytes are ready, or the response is
 * complete. */
static int pump(wb_net_response *r, bool want_head_only, wb_net_error *err)
{
    for (;;) {
        if (r->buf_off < r->buf_len) {
            size_t used = 0;
            wb_http_result rc = wb_http_response_feed(r->parser, r->buf + r->buf_off,
                                                      r->buf_len - r->buf_off, &used);
            r->buf_off += used;
            if (rc == WB_HTTP_ERROR)
                return parser_fail(r, err);
            if (rc == WB_HTTP_DONE) {
                /* One request per connection: bytes after the response are
                 * not ours to interpret. */
                r->done = true;
                r->buf_off = r->buf_len = 0;
                return 0;
            }
        }
        if (want_head_only && wb_http_response_head_done(r->parser))
            return 0;
        if (!want_head_only) {
            size_t have = 0;
            wb_http_response_body(r->parser, &have);
            if (have > 0)
                return 0;
        }
        ssize_t n = wb_net_conn_read(&r->conn, r->buf, sizeof r->buf, err);
        if (n < 0)
            return -1;
        r->buf_off = 0;
        r->buf_len = (size_t)n;
        if (n == 0) {
            wb_http_result rc = wb_http_response_eof(r->parser);
            if (rc == WB_HTTP_ERROR)
                return parser_fail(r, err);
            if (r->https && !r->conn.tls_eof_clean)
                return wb_net_fail(err, WB_NET_E_PROTOCOL,
                                   "response from %s: the TLS connection was closed without "
                                   "close_notify, so the body may be truncated",
                                   r->final_url);
            r->done = true;
            return 0;
        }
    }
}

static void response_free(wb_net_response *r)
{
    if (!r)
        return;
    wb_net_conn_close(&r->conn);
    wb_http_response_free(r->parser);
    free(r->final_url);
    free(r);
}

static bool is_redirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

static bool same_origin(const wb_url *a, const wb_url *b)
{
    return a->scheme == b->scheme && a->port == b->port && strcmp(a->host.text, b->host.text) == 0;
}

/* Credentials meant for one origin are not handed to another (as curl does). */
static bool credential_header(const wb_http_header *h)
{
    return wb_net_ieq(h->name, h->name_len, "authorization") ||
           wb_net_ieq(h->name, h->name_len, "cookie") ||
           wb_net_ieq(h->name, h->name_len, "proxy-authorization");
}

typedef struct hop_state {
    const char *method;
    const void *body; /* NULL: none */
    size_t body_len;
    bool drop_credentials;
} hop_state;

/* One hop: decide, connect, send, read the head. */
static wb_net_response *do_hop(const wb_net_options *o, const wb_net_request *q,
                               const hop_state *hs, const wb_url *u, int64_t deadline,
                               wb_net_error *err)
{
    wb_net_decision *d = malloc(sizeof *d);
    if (!d) {
        wb_net_fail(err, WB_NET_E_IO, "out of memory");
        return NULL;
    }
    wb_net_lookup_limit lim = {o->connect_timeout_ms, deadline};
    wb_net_lookup_fn lookup = o->lookup ? o->lookup : wb_net_getaddrinfo;
    void *lookup_ctx = o->lookup ? o->lookup_ctx : &lim;
    if (!wb_net_decide(o->policy, o->audit, u, lookup, lookup_ctx, d)) {
        err->kind = d->kind;
        snprintf(err->message, sizeof err->message, "%s", d->message);
        free(d);
        return NULL;
    }
    wb_net_response *r = calloc(1, sizeof *r);
    if (!r) {
        free(d);
        wb_net_fail(err, WB_NET_E_IO, "out of memory");
        return NULL;
    }
    r->conn.fd = -1;
    r->conn.deadline_ms = deadline;
    r->conn.io_timeout_ms = o->io_timeout_ms;
    r->conn.abort_fd = o->abort_fd;
    r->https = u->scheme == WB_URL_HTTPS;
    r->final_url = strdup(d->url);
    bool head = strcmp(hs->method, "HEAD") == 0;
    r->parser = wb_http_response_new(&o->limits, head);
    if (!r->final_url || !r->parser) {
        wb_net_fail(err, WB_NET_E_IO, "%s",
                    r->final_url && o->limits.max_line && o->limits.max_headers &&
                            o->limits.max_header_bytes
                        ? "out of memory"
                        : "invalid response limits (a zero limit; use wb_net_options_init)");
        goto fail;
    }

    /* The request head, built before connecting: a bad header never costs a
     * connection. */
    wb_http_header *hdrs = NULL;
    size_t nh = 0;
    if (q->nheaders) {
        hdrs = calloc(q->nheaders, sizeof *hdrs);
        if (!hdrs) {
            wb_net_fail(err, WB_NET_E_IO, "out of memory");
            goto fail;
        }
        for (size_t i = 0; i < q->nheaders; i++)
            if (!(hs->drop_credentials && credential_header(&q->headers[i])))
                hdrs[nh++] = q->headers[i];
    }
    char host[WB_HOST_TEXT_MAX + 16];
    wb_url_host_header(u, host, sizeof host);
    wb_http_request req = {
        .method = hs->method,
        .method_len = strlen(hs->method),
        .target = u->target,
        .host = host,
        .headers = hdrs,
        .nheaders = nh,
        .body = hs->body,
        .body_len = hs->body_len,
    };
    char *wire = NULL;
    size_t wire_len = 0;
    char why[512];
    int rc = wb_http_request_serialize(&req, &wire, &wire_len, why, sizeof why);
    free(hdrs);
    if (rc != 0) {
        wb_net_fail(err, WB_NET_E_PROTOCOL, "bad request to %s: %s", d->url, why);
        goto fail;
    }

    if (wb_net_tcp_connect(&r->conn, d, u->port, o->connect_timeout_ms, err) != 0 ||
        (r->https && wb_net_tls_start(&r->conn, u, o->policy->ca_file, err) != 0) ||
        wb_net_conn_write(&r->conn, wire, wire_len, err) != 0) {
        free(wire);
        goto fail;
    }
    free(wire);
    if (pump(r, true, err) != 0)
        goto fail;
    free(d);
    return r;
fail:
    free(d);
    response_free(r);
    return NULL;
}

/* A refusal before any decision could be made (the URL is not usable): the
 * same record as decide.c's, with nothing resolved. */
static void audit_refusal(wb_audit *a, const char *url, wb_net_error_kind kind,
                          const char *reason)
{
    WB_AUDIT(a, "net.connect", WB_STR("decision", "refuse"), WB_STR("url", url),
             WB_NULL("origin"), WB_STRS("addresses", NULL, 0), WB_NULL("source"),
             WB_STR("kind", wb_net_error_kind_name(kind)), WB_STR("reason", reason));
}

wb_net_response *wb_net_open(const wb_net_options *o, const wb_net_request *q, wb_net_error *err)
{
    wb_net_error scratch;
    if (!err)
        err = &scratch;
    err->kind = WB_NET_OK;
    err->message[0] = '\0';
    if (!o || !o->policy || !q || !q->url) {
        wb_net_fail(err, WB_NET_E_URL, "no policy or no URL");
        return NULL;
    }
    int64_t deadline = o->total_timeout_ms > 0 ? wb_net_now_ms() + o->total_timeout_ms
                                               : INT64_MAX;
    hop_state hs = {q->method ? q->method : "GET", q->body, q->body_len, false};
    char *url_text = strdup(q->url);
    if (!url_text) {
        wb_net_fail(err, WB_NET_E_IO, "out of memory");
        return NULL;
    }
    wb_url prev;
    memset(&prev, 0, sizeof prev);
    bool have_prev = false;
    int hops = 0;
    wb_net_response *r = NULL;
    for (;;) {
        wb_url u;
        char why[512];
        if (wb_url_parse(url_text, strlen(url_text), &u, why, sizeof why) != 0) {
            char qd[300];
            wb_net_quote(qd, sizeof qd, url_text, strlen(url_text));
            wb_net_fail(err, have_prev ? WB_NET_E_REDIRECT : WB_NET_E_URL,
                        "%s'%s' is not a usable URL: %s", have_prev ? "redirect to " : "", qd,
                        why);
            audit_refusal(o->audit, url_text, err->kind, err->message);
            break;
        }
        if (have_prev && prev.scheme == WB_URL_HTTPS && u.scheme == WB_URL_HTTP) {
            char from[WB_URL_MAX_LEN + 1], to[WB_URL_MAX_LEN + 1];
            wb_url_format(&prev, from, sizeof from);
            wb_url_format(&u, to, sizeof to);
            wb_net_fail(err, WB_NET_E_POLICY,
                        "refused redirect from %s to %s: https to http downgrade", from, to);
            audit_refusal(o->audit, to, err->kind, err->message);
            wb_url_free(&u);
            break;
        }
        if (have_prev && !same_origin(&prev, &u))
            hs.drop_credentials = true;
        r = do_hop(o, q, &hs, &u, deadline, err);
        if (!r) {
            wb_url_free(&u);
            break;
        }
        r->redirects = hops;
        int status = wb_http_response_status(r->parser);
        size_t loclen = 0;
        const char *loc = wb_http_response_header(r->parser, "location", &loclen);
        if (!is_redirect(status) || !loc || o->max_redirects <= 0) {
            wb_url_free(&u);
            break;
        }
        if (hops >= o->max_redirects) {
            wb_net_fail(err, WB_NET_E_REDIRECT, "too many redirects (more than %d) from %s",
                        o->max_redirects, q->url);
            response_free(r);
            r = NULL;
            wb_url_free(&u);
            break;
        }
        char *next = wb_net_redirect_target(&u, loc, loclen, why, sizeof why);
        response_free(r);
        r = NULL;
        if (!next) {
            wb_net_fail(err, WB_NET_E_REDIRECT, "redirect from %s: %s", url_text, why);
            wb_url_free(&u);
            break;
        }
        /* 303 means "GET the result"; 301/302 after POST are turned into GET
         * as every browser and curl do. 307/308 repeat the request as is. */
        if ((status == 303 && strcmp(hs.method, "HEAD") != 0) ||
            ((status == 301 || status == 302) && strcmp(hs.method, "POST") == 0)) {
            hs.method = "GET";
            hs.body = NULL;
            hs.body_len = 0;
        }
        free(url_text);
        url_text = next;
        if (have_prev)
            wb_url_free(&prev);
        prev = u;
        have_prev = true;
        hops++;
    }
    if (have_prev)
        wb_url_free(&prev);
    free(url_text);
    return r;
}

int wb_net_status(const wb_net_response *r) { return wb_http_response_status(r->parser); }
const char *wb_net_final_url(const wb_net_response *r) { return r->final_url; }
int wb_net_redirects(const wb_net_response *r) { return r->redirects; }
size_t wb_net_header_count(const wb_net_response *r)
{
    return wb_http_response_header_count(r->parser);
}
bool wb_net_header_at(const wb_net_response *r, size_t i, const char **name, size_t *name_len,
                      const char **value, size_t *value_len)
{
    return wb_http_response_header_at(r->parser, i, name, name_len, value, value_len);
}
const char *wb_net_header(const wb_net_response *r, const char *name, size_t *value_len)
{
    return wb_http_response_header(r->parser, name, value_len);
}
const char *wb_net_raw_headers(const wb_net_response *r, size_t *len)
{
    return wb_http_response_raw_headers(r->parser, len);
}

ssize_t wb_net_read(wb_net_response *r, void *buf, size_t n, wb_net_error *err)
{
    if (r->has_error) {
        if (err)
            *err = r->last;
        return -1;
    }
    if (n == 0)
        return 0;
    size_t got = wb_http_response_take_body(r->parser, buf, n);
    if (got > 0)
        return (ssize_t)got;
    if (r->done)
        return 0;
    if (pump(r, false, &r->last) != 0) {
        r->has_error = true;
        if (err)
            *err = r->last;
        return -1;
    }
    return (ssize_t)wb_http_response_take_body(r->parser, buf, n);
}

const wb_net_error *wb_net_last_error(const wb_net_response *r)
{
    return r && r->has_error ? &r->last : NULL;
}

void wb_net_close(wb_net_response *r) { response_free(r); }

/* ---- whole-body helper ---- */

void wb_net_result_free(wb_net_result *res)
{
    if (!res)
        return;
    free(res->final_url);
    free(res->headers);
    free(res->body);
    memset(res, 0, sizeof *res);
}

int wb_net_fetch(const wb_net_options *o, const wb_net_request *q, wb_net_result *out,
                 wb_net_error *err)
{
    memset(out, 0, sizeof *out);
    wb_net_response *r = wb_net_open(o, q, err);
    if (!r)
        return -1;
    size_t cap = o->max_fetch_body ? o->max_fetch_body : (size_t)o->limits.max_body;
    size_t hl = 0;
    const char *h = wb_net_raw_headers(r, &hl);
    out->status = wb_net_status(r);
    out->redirects = wb_net_redirects(r);
    out->final_url = strdup(wb_net_final_url(r));
    out->headers = malloc(hl + 1);
    size_t size = 4096;
    out->body = malloc(size + 1);
    if (!out->final_url || !out->headers || !out->body) {
        wb_net_fail(err, WB_NET_E_IO, "out of memory");
        goto fail;
    }
    memcpy(out->headers, h, hl);
    out->headers[hl] = '\0';
    out->headers_len = hl;
    for (;;) {
        if (out->body_len == size) {
            if (size >= cap) {
                /* one more byte decides: exactly cap bytes is fine */
                uint8_t probe;
                ssize_t n = wb_net_read(r, &probe, 1, err);
                if (n < 0)
                    goto fail;
                if (n == 0)
                    break;
                wb_net_fail(err, WB_NET_E_LIMIT, "response from %s: body over %zu bytes",
                            out->final_url, cap);
                goto fail;
            }
            size_t ns = size * 2 > cap ? cap : size * 2;
            uint8_t *nb = realloc(out->body, ns + 1);
            if (!nb) {
                wb_net_fail(err, WB_NET_E_IO, "out of memory");
                goto fail;
            }
            out->body = nb;
            size = ns;
        }
        ssize_t n = wb_net_read(r, out->body + out->body_len, size - out->body_len, err);
        if (n < 0)
            goto fail;
        if (n == 0)
            break;
        out->body_len += (size_t)n;
    }
    out->body[out->body_len] = '\0';
    wb_net_close(r);
    return 0;
fail:
    wb_net_close(r);
    wb_net_result_free(out);
    return -1;
}

bool wb_net_check(const wb_net_options *o, const char *url, wb_net_decision *d)
{
    memset(d, 0, sizeof *d);
    wb_url u;
    char why[512];
    if (!url || wb_url_parse(url, strlen(url), &u, why, sizeof why) != 0) {
        char qd[300];
        wb_net_quote(qd, sizeof qd, url ? url : "", url ? strlen(url) : 0);
        d->kind = WB_NET_E_URL;
        snprintf(d->message, sizeof d->message, "wasmbox: '%s' is not a usable URL: %s", qd,
                 url ? why : "no URL");
        audit_refusal(o->audit, url, d->kind, d->message);
        return false;
    }
    wb_net_lookup_limit lim = {o->connect_timeout_ms, INT64_MAX};
    wb_net_lookup_fn lookup = o->lookup ? o->lookup : wb_net_getaddrinfo;
    bool ok = wb_net_decide(o->policy, o->audit, &u, lookup, o->lookup ? o->lookup_ctx : &lim, d);
    wb_url_free(&u);
    return ok;
}
