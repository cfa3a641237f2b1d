/* web-fetch {url, max_chars?, timeout_seconds?, max_redirects?, extract_mode?}:
 * a web page as Markdown or text, through wasmbox_http, which checks every
 * hop against the run's network policy (tools/README.md "web-fetch";
 * README.md here: how the page is read). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "charset.h"
#include "content_type.h"
#include "convert.h"
#include "fetch.h"
#include "urlref.h"

#define WF_MAX_BODY (8u << 20)          /* bytes of a response read */
#define WF_DEFAULT_MAX_CHARS 100000
#define WF_MAX_CHARS 1000000           /* a result within the bridge's default 8 MiB of output, even escaped */
#define WF_DEFAULT_TIMEOUT 20           /* seconds: room left in a 30 s tool call to convert */
#define WF_MAX_TIMEOUT 300
#define WF_DEFAULT_REDIRECTS 5
#define WF_MAX_REDIRECTS 20
#define WF_MAX_REQUEST_URL 8192         /* as wasmbox_http takes */

typedef struct {
    const char *url;
    int64_t max_chars, timeout, redirects;
    bool markdown;
} request;

/* s, cut for a message */
static void add_quoted(wt_buf *b, const char *s, size_t n)
{
    wt_buf_printf(b, "\"%.*s\"%s", (int)(n > 200 ? 200 : n), s, n > 200 ? "..." : "");
}

/* The URL argument: an absolute http(s) URL, or a message. */
static bool check_url(wt_tool *t, const char *url, size_t n)
{
    char scheme[16];
    wt_buf msg = {0};
    if (n == 0) {
        wt_buf_adds(&msg, "url: must not be empty (give an http:// or https:// URL)");
    } else if (memchr(url, 0, n)) {
        wt_buf_adds(&msg, "url: contains a NUL character");
    } else if (n > WF_MAX_REQUEST_URL) {
        wt_buf_printf(&msg, "url: longer than %d bytes", WF_MAX_REQUEST_URL);
    } else if (!wf_url_scheme(url, n, scheme, sizeof scheme)) {
        wt_buf_adds(&msg, "url: must be an absolute http:// or https:// URL (e.g. https://example.com/), got ");
        add_quoted(&msg, url, n);
    } else if ((strcmp(scheme, "http") && strcmp(scheme, "https")) ||
               strncmp(url + strlen(scheme), "://", 3)) {
        wt_buf_adds(&msg, "url: only http:// and https:// URLs can be fetched, got ");
        add_quoted(&msg, url, n);
    }
    if (msg.len)
        wt_fail(t, "%s", msg.data);
    wt_buf_free(&msg);
    return !wt_failed(t);
}

/* A failed request, in words, with the host's own text (which names the
 * refused host and the policy key). */
static void request_failed(wt_tool *t, const request *q, int e, const char *why)
{
    const char *hint = "";
    char extra[160] = "";
    switch (e) {
    case 76: hint = "\nThe sandbox's network policy does not allow this request; retrying will not help."; break;
    case 73:
        snprintf(extra, sizeof extra, "\nNo complete answer within timeout_seconds (%" PRId64 " s) or the run's own time limit.",
                 q->timeout);
        break;
    case 32:
        snprintf(extra, sizeof extra, "\nmax_redirects is %" PRId64 " (the run may allow fewer).", q->redirects);
        break;
    case 35: hint = "\nThe response announces more than the sandbox lets a tool receive; web-fetch cannot read it."; break;
    default: break;
    }
    wt_fail(t, "cannot fetch %s: %s%s%s", q->url, why[0] ? why : "no reason given", hint, extra);
}

/* Bytes of body to decode: a body cut at the read limit may end inside a
 * UTF-8 sequence, which would show as U+FFFD; that tail is left out. */
static size_t whole_sequences(const wf_response *r, wf_charset cs)
{
    size_t n = r->body.len;
    if (!r->truncated || (cs != WF_CS_UTF8 && cs != WF_CS_UNKNOWN))
        return n;
    const unsigned char *b = (const unsigned char *)r->body.data;
    size_t k = 0;
    while (k < 3 && k < n && (b[n - 1 - k] & 0xC0) == 0x80)
        k++;
    if (k < n && b[n - 1 - k] >= 0xC0) {
        size_t want = b[n - 1 - k] >= 0xF0 ? 4 : b[n - 1 - k] >= 0xE0 ? 3 : 2;
        if (k + 1 < want)
            return n - 1 - k;
    }
    return n;
}

/* Characters (code points) of valid UTF-8; *cut is the byte offset after
 * the first `max` of them. */
static size_t count_chars(const char *s, size_t n, size_t max, size_t *cut)
{
    size_t chars = 0;
    *cut = n;
    for (size_t i = 0; i < n; i++) {
        if (((unsigned char)s[i] & 0xC0) == 0x80)
            continue;
        if (chars == max)
            *cut = i;
        chars++;
    }
    return chars;
}

/* The result text: the first line (the URL, or the HTTP error), the
 * title, the content (cut at max_chars), the notes. */
static void compose(wt_buf *out, const request *q, const wf_response *r, const char *title,
                    const char *content, size_t len, const wt_buf *notes, bool html)
{
    if (r->status >= 400)
        wt_buf_printf(out, "HTTP %d from %s\n", r->status, r->url.data);
    else
        wt_buf_printf(out, "URL: %s\n", r->url.data);
    if (title && title[0])
        wt_buf_printf(out, "Title: %s\n", title);
    while (len && (content[len - 1] == '\n' || content[len - 1] == '\r'))
        len--; /* a text file's last newline */
    size_t cut;
    size_t chars = count_chars(content, len, (size_t)q->max_chars, &cut);
    if (len) {
        wt_buf_addc(out, '\n');
        wt_buf_add(out, content, cut);
        wt_buf_addc(out, '\n');
    }
    wt_buf first = {0}; /* the notes about the content, before the others */
    if (!len)
        wt_buf_adds(&first, html && r->body.len
                                ? "[the page has no text content; it may be made by JavaScript, which web-fetch does not run]\n"
                                : "[the response body is empty]\n");
    if (chars > (size_t)q->max_chars) {
        wt_buf_printf(&first, "[content cut at %" PRId64 " characters (max_chars): %zu more not shown",
                      q->max_chars, chars - (size_t)q->max_chars);
        if (q->max_chars < WF_MAX_CHARS)
            wt_buf_printf(&first, "; ask again with a larger max_chars (at most %d) to see them", WF_MAX_CHARS);
        wt_buf_adds(&first, "]\n");
    }
    if (first.len || notes->len)
        wt_buf_addc(out, '\n');
    wt_buf_add(out, first.data, first.len);
    wt_buf_add(out, notes->data, notes->len);
    if (first.failed)
        out->failed = true;
    wt_buf_free(&first);
    while (out->len && out->data[out->len - 1] == '\n')
        out->len--;
    if (out->data)
        out->data[out->len] = 0;
}

/* A response the host followed no further: a redirect, with max_redirects 0. */
static bool redirect_not_followed(wt_tool *t, const request *q, const wf_response *r)
{
    size_t n;
    const char *loc = wf_header_value(r->headers.data, r->headers.len, "location", &n);
    int s = r->status;
    if (!loc || !(s == 301 || s == 302 || s == 303 || s == 307 || s == 308))
        return false;
    wt_buf to = {0};
    wf_url_resolve(&to, r->url.data, loc, n);
    wt_textf(t,
             "URL: %s\n\n%s redirects (HTTP %d) to %s; max_redirects is %" PRId64
             ", so it was not followed. Fetch %s to read it.",
             r->url.data, r->url.data, s, to.data ? to.data : "", q->redirects, to.data ? to.data : "");
    wt_buf_free(&to);
    return true;
}

static void show(wt_tool *t, const request *q, wf_response *r)
{
    wt_buf notes = {0}, text = {0}, out = {0};
    wf_page page = {0};
    size_t n;
    const char *ctype = wf_header_value(r->headers.data, r->headers.len, "content-type", &n);
    size_t ctype_len = ctype ? n : 0;
    char type[128];
    wf_media_type(ctype ? ctype : "", ctype_len, type, sizeof type);
    if (redirect_not_followed(t, q, r))
        return;
    const char *enc = wf_header_value(r->headers.data, r->headers.len, "content-encoding", &n);
    if (enc && !(n == 8 && !strncasecmp(enc, "identity", 8))) {
        wt_fail(t, "%s is compressed (Content-Encoding: %.*s), which web-fetch cannot read", r->url.data,
                (int)(n > 64 ? 64 : n), enc);
        return;
    }
    bool sniffed;
    wf_kind kind = wf_classify(type, r->body.data ? r->body.data : "", r->body.len, &sniffed);
    if (kind == WF_BINARY) {
        wt_fail(t, "%s is %s (%s%s%zu%s bytes), not text: web-fetch reads web pages and text (HTML, plain text, JSON, XML...)",
                r->url.data, sniffed ? "binary data" : type, sniffed ? (type[0] ? type : "no Content-Type") : "",
                sniffed ? ", " : "", r->body.len, r->truncated ? "+" : "");
        return;
    }
    if (r->truncated)
        wt_buf_printf(&notes, "[only the first %u MiB of the response were read; it is longer]\n", WF_MAX_BODY >> 20);
    if (r->read_errno)
        wt_buf_printf(&notes, "[the response ended early: %s]\n", r->read_error.data ? r->read_error.data : "");
    if (sniffed && type[0])
        wt_buf_printf(&notes, "[served as %s; read as %s by its first bytes]\n", type, kind == WF_HTML ? "HTML" : "text");

    const char *label = NULL;
    size_t label_len = 0;
    if (ctype)
        wf_charset_param(ctype, ctype_len, &label, &label_len);
    wf_charset_choice cs;
    wf_choose_charset(r->body.data ? r->body.data : "", r->body.len, label, label_len, kind == WF_HTML, &cs);
    size_t replaced = 0;
    size_t body_len = whole_sequences(r, cs.cs);
    wf_decode(&text, r->body.data ? r->body.data + cs.bom : "", body_len - cs.bom, cs.cs, &replaced);
    if (cs.cs == WF_CS_UNKNOWN)
        wt_buf_printf(&notes, "[charset \"%s\" (from %s) is not supported: read as UTF-8, with U+FFFD for bytes that are not]\n",
                      cs.label, cs.source);
    else if (replaced)
        wt_buf_printf(&notes, "[%zu bytes that are not valid %s are shown as U+FFFD]\n", replaced, wf_charset_name(cs.cs));

    bool ok = !text.failed;
    if (ok && kind == WF_HTML) {
        ok = wf_html_convert(text.data ? text.data : "", text.len, r->url.data, q->markdown, &page);
        if (ok && page.refresh.len)
            wt_buf_printf(&notes, "[the page sends the reader on to %s (meta refresh); fetch that to follow it]\n",
                          page.refresh.data);
    }
    if (ok) {
        if (kind == WF_HTML)
            compose(&out, q, r, page.title.data, page.text.data ? page.text.data : "", page.text.len, &notes, true);
        else
            compose(&out, q, r, NULL, text.data ? text.data : "", text.len, &notes, false);
        ok = !out.failed && !notes.failed;
    }
    if (!ok)
        wt_fail(t, "the tool ran out of memory reading %s", r->url.data);
    else if (r->status >= 400)
        wt_fail(t, "%s", out.data);
    else
        wt_text(t, out.data, out.len);
    wf_page_free(&page);
    wt_buf_free(&notes);
    wt_buf_free(&text);
    wt_buf_free(&out);
}

static void web_fetch(wt_tool *t, const request *q)
{
    wf_response r;
    wt_buf why = {0};
    int e = wf_fetch(q->url, (int)q->redirects, (int)(q->timeout * 1000), WF_MAX_BODY, &r, &why);
    if (e)
        request_failed(t, q, e, why.data ? why.data : "");
    else
        show(t, q, &r);
    wf_response_free(&r);
    wt_buf_free(&why);
}

int main(void)
{
    wt_tool t;
    if (wt_tool_begin(&t)) {
        request q = {NULL, WF_DEFAULT_MAX_CHARS, WF_DEFAULT_TIMEOUT, WF_DEFAULT_REDIRECTS, true};
        size_t url_len = 0, mode_len = 0;
        q.url = wt_arg_string(&t, "url", true, &url_len);
        wt_arg_int(&t, "max_chars", false, 1, WF_MAX_CHARS, &q.max_chars);
        wt_arg_int(&t, "timeout_seconds", false, 1, WF_MAX_TIMEOUT, &q.timeout);
        wt_arg_int(&t, "max_redirects", false, 0, WF_MAX_REDIRECTS, &q.redirects);
        const char *mode = wt_arg_string(&t, "extract_mode", false, &mode_len);
        if (wt_args_end(&t) && check_url(&t, q.url, url_len)) {
            if (mode && !(mode_len == 8 && !memcmp(mode, "markdown", 8)) &&
                !(mode_len == 4 && !memcmp(mode, "text", 4))) {
                wt_buf m = {0};
                add_quoted(&m, mode, strlen(mode));
                wt_fail(&t, "extract_mode: must be \"markdown\" or \"text\", got %s", m.data ? m.data : "");
                wt_buf_free(&m);
            } else {
                q.markdown = !mode || mode_len == 8;
                web_fetch(&t, &q);
            }
        }
    }
    return wt_tool_end(&t);
}
