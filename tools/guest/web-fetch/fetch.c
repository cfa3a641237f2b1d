/* The request (fetch.h). Guest-only: it calls the wasmbox_http imports. */
#include <string.h>

#include "../../../net/wasmbox_http_guest.h"
#include "fetch.h"

/* What the tool asks for: pages first, then any text. */
static const char request_headers[] = "Accept: text/html,application/xhtml+xml,text/plain;q=0.9,"
                                      "*/*;q=0.8\r\n"
                                      "User-Agent: wasmbox-web-fetch/1.0\r\n";

static void last_error(wt_buf *out)
{
    char msg[WBH_LAST_ERROR_MAX];
    uint32_t n = wbh_last_error(msg, sizeof msg);
    wt_buf_add(out, msg, n);
}

/* Text the host gives through headers() or url(): asks again with the
 * length it says it needs. */
typedef int32_t (*text_fn)(uint32_t handle, char *buf, uint32_t cap, uint32_t *len_out);

static int get_text(text_fn fn, uint32_t h, wt_buf *out)
{
    uint32_t need = 0;
    if (!wt_buf_reserve(out, 4096))
        return WBH_ENOMEM;
    int32_t e = fn(h, out->data, 4096, &need);
    if (e == WBH_ENOBUFS) {
        if (!wt_buf_reserve(out, need))
            return WBH_ENOMEM;
        e = fn(h, out->data, need, &need);
    }
    if (e)
        return e;
    out->len = need;
    out->data[need] = 0;
    return 0;
}

int wf_fetch(const char *url, int max_redirects, int timeout_ms, size_t max_body, wf_response *r,
             wt_buf *err)
{
    memset(r, 0, sizeof *r);
    int32_t e = wasmbox_http_set_limits(max_redirects, timeout_ms);
    uint32_t h = 0;
    if (!e)
        e = wbh_request("GET", url, request_headers, NULL, 0, &h);
    if (e) {
        last_error(err);
        return e;
    }
    r->status = wasmbox_http_status(h);
    e = get_text(wasmbox_http_headers, h, &r->headers);
    if (!e)
        e = get_text(wasmbox_http_url, h, &r->url);
    if (e) {
        last_error(err);
        wasmbox_http_close(h);
        return e;
    }
    for (;;) {
        size_t want = 64u << 10;
        if (want > max_body + 1 - r->body.len)
            want = max_body + 1 - r->body.len; /* one byte more tells a longer body */
        if (!wt_buf_reserve(&r->body, want)) {
            wasmbox_http_close(h);
            return WBH_ENOMEM;
        }
        uint32_t n = 0;
        e = wasmbox_http_read(h, r->body.data + r->body.len, (uint32_t)want, &n);
        if (e) {
            r->read_errno = e;
            last_error(&r->read_error);
            break;
        }
        if (n == 0)
            break;
        r->body.len += n;
        if (r->body.len > max_body) {
            r->body.len = max_body;
            r->truncated = true;
            break;
        }
    }
    if (r->body.data)
        r->body.data[r->body.len] = 0;
    wasmbox_http_close(h);
    return 0;
}

void wf_response_free(wf_response *r)
{
    wt_buf_free(&r->url);
    wt_buf_free(&r->headers);
    wt_buf_free(&r->body);
    wt_buf_free(&r->read_error);
}
