/* The network for curl and wget (http.h): the wasmbox_http imports in the
 * sandbox, nothing at all in the host build. */
#include "http.h"

#include <string.h>

#ifdef __wasi__
#include "../../../net/wasmbox_http_guest.h"

int sh_http_set_limits(int max_redirects, int timeout_ms)
{
    return wasmbox_http_set_limits(max_redirects, timeout_ms);
}

int sh_http_request(const char *method, const char *url, const char *headers, const void *body,
                    size_t body_len, uint32_t *handle)
{
    if (body_len > UINT32_MAX)
        return SH_HTTP_EMSGSIZE;
    size_t ml = strlen(method), ul = strlen(url), hl = headers ? strlen(headers) : 0;
    if (ml > UINT32_MAX || ul > UINT32_MAX || hl > UINT32_MAX)
        return SH_HTTP_EINVAL;
    /* An empty body is still a body (Content-Length: 0): the host tells
     * "none" by a null pointer. */
    static const char empty[1] = {0};
    if (body && body_len == 0)
        body = empty;
    return wasmbox_http_request(method, (uint32_t)ml, url, (uint32_t)ul, headers, (uint32_t)hl,
                                body, (uint32_t)body_len, handle);
}

int sh_http_status(uint32_t handle)
{
    return wasmbox_http_status(handle);
}

/* Text the host hands out with "too small: the length needed". */
typedef int32_t (*text_fn)(uint32_t handle, char *buf, uint32_t cap, uint32_t *len_out);

static int get_text(text_fn fn, uint32_t h, sh_buf *out)
{
    uint32_t need = 0;
    sh_buf_reserve(out, 4096);
    int32_t e = fn(h, out->data + out->len, 4096, &need);
    if (e == SH_HTTP_ENOBUFS) {
        sh_buf_reserve(out, (size_t)need + 1);
        e = fn(h, out->data + out->len, need, &need);
    }
    if (e)
        return e;
    out->len += need;
    out->data[out->len] = 0;
    return 0;
}

int sh_http_headers(uint32_t handle, sh_buf *out)
{
    return get_text(wasmbox_http_headers, handle, out);
}

int sh_http_url(uint32_t handle, sh_buf *out)
{
    return get_text(wasmbox_http_url, handle, out);
}

int sh_http_read(uint32_t handle, void *buf, size_t cap, size_t *n)
{
    uint32_t got = 0;
    int e = wasmbox_http_read(handle, buf, cap > (1u << 30) ? (1u << 30) : (uint32_t)cap, &got);
    *n = got;
    return e;
}

void sh_http_close(uint32_t handle)
{
    wasmbox_http_close(handle);
}

void sh_http_last_error(sh_buf *out)
{
    char msg[WBH_LAST_ERROR_MAX];
    uint32_t n = wbh_last_error(msg, sizeof msg);
    sh_buf_add(out, msg, n);
}

#else /* the host build: no network */

static const char no_network[] = "this build of the shell has no network (it is the host build, "
                                 "for tests; the sandbox's has wasmbox_http)";

int sh_http_set_limits(int max_redirects, int timeout_ms)
{
    (void)max_redirects, (void)timeout_ms;
    return 0;
}

int sh_http_request(const char *method, const char *url, const char *headers, const void *body,
                    size_t body_len, uint32_t *handle)
{
    (void)method, (void)url, (void)headers, (void)body, (void)body_len;
    *handle = 0;
    return SH_HTTP_ENOTCAPABLE;
}

int sh_http_status(uint32_t handle)
{
    (void)handle;
    return -8;
}

int sh_http_headers(uint32_t handle, sh_buf *out)
{
    (void)handle, (void)out;
    return 8;
}

int sh_http_url(uint32_t handle, sh_buf *out)
{
    (void)handle, (void)out;
    return 8;
}

int sh_http_read(uint32_t handle, void *buf, size_t cap, size_t *n)
{
    (void)handle, (void)buf, (void)cap;
    *n = 0;
    return 8;
}

void sh_http_close(uint32_t handle)
{
    (void)handle;
}

void sh_http_last_error(sh_buf *out)
{
    sh_buf_adds(out, no_network);
}
#endif
