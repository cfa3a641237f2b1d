/* guest_http: the host side of the `wasmbox_http` import module (see
 * guest_http.h for the guest-visible contract).
 *
 * Guest memory is untrusted input: every (pointer, length) pair is checked
 * against the memory's current size with 64-bit sums before anything is read
 * or written, and output pointers are checked before any network work, so a
 * bad pointer costs nothing and changes nothing. Guest bytes that become C
 * strings (method, URL) are copied and must not hold NUL.
 *
 * The memory cannot move while a host function runs (the guest is stopped
 * and only it can grow memory), so read() lets net/ write the body straight
 * into the checked guest range. */
#include "guest_http.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "guest_http_internal.h"

/* Total time one guest request may take when the run has no deadline. */
#define WB_GH_DEFAULT_REQUEST_MS (5 * 60 * 1000)

typedef struct slot {
    int32_t handle; /* 0: free */
    wb_net_response *resp;
} slot;

struct wb_guest_http {
    wb_net_options opts;
    int64_t deadline_ms; /* CLOCK_MONOTONIC ms; INT64_MAX: none */
    /* The guest's own limits for its later requests (set_limits): they can
     * only tighten the embedder's. -1 / 0: not set. */
    int32_t guest_max_redirects;
    int32_t guest_timeout_ms;
    slot slots[WB_GUEST_HTTP_MAX_HANDLES];
    int32_t next_handle;
    char last_error[WB_NET_ERR_MAX + 128];
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

wb_guest_http *wb_guest_http_new(const wb_net_options *opts, uint64_t run_timeout_ms)
{
    wb_guest_http *gh = calloc(1, sizeof *gh);
    if (!gh)
        return NULL;
    gh->opts = *opts;
    gh->next_handle = 1;
    gh->deadline_ms = INT64_MAX;
    gh->guest_max_redirects = -1;
    if (run_timeout_ms && run_timeout_ms != UINT64_MAX && run_timeout_ms < (uint64_t)1 << 40)
        gh->deadline_ms = now_ms() + (int64_t)run_timeout_ms;
    return gh;
}

void wb_guest_http_set_deadline(wb_guest_http *gh, int64_t deadline_ms)
{
    /* atomic: an embedder's watchdog thread may move it while the guest runs */
    __atomic_store_n(&gh->deadline_ms, deadline_ms, __ATOMIC_RELAXED);
}

static int64_t deadline_of(const wb_guest_http *gh)
{
    return __atomic_load_n(&gh->deadline_ms, __ATOMIC_RELAXED);
}

/* The run's deadline has come: the run is over (the embedder's timer stops
 * the guest's code at this moment), so a call that waited into it, or asks
 * for the network after it, ends the run rather than hand the guest an
 * error it could carry on with. */
static bool run_over(const wb_guest_http *gh)
{
    int64_t deadline = deadline_of(gh);
    return deadline != INT64_MAX && now_ms() >= deadline;
}

static int deadline_trap(wb_call *call, const char *fn)
{
    char msg[128];
    snprintf(msg, sizeof msg, "wasmbox_http.%s: the run's time limit was reached", fn);
    return wb_call_trap(call, msg);
}

void wb_guest_http_free(wb_guest_http *gh)
{
    if (!gh)
        return;
    for (size_t i = 0; i < WB_GUEST_HTTP_MAX_HANDLES; i++)
        if (gh->slots[i].handle)
            wb_net_close(gh->slots[i].resp);
    free(gh);
}

size_t wb_guest_http_open_count(const wb_guest_http *gh)
{
    size_t n = 0;
    for (size_t i = 0; gh && i < WB_GUEST_HTTP_MAX_HANDLES; i++)
        n += gh->slots[i].handle != 0;
    return n;
}

int wb_guest_http_errno(wb_net_error_kind kind)
{
    switch (kind) {
    case WB_NET_OK: return WB_GH_SUCCESS;
    case WB_NET_E_URL: return WB_GH_EINVAL;
    case WB_NET_E_POLICY: return WB_GH_ENOTCAPABLE;
    case WB_NET_E_DNS: return WB_GH_EHOSTUNREACH;
    case WB_NET_E_CONNECT: return WB_GH_ECONNREFUSED;
    case WB_NET_E_TLS: return WB_GH_ECONNABORTED;
    case WB_NET_E_TIMEOUT: return WB_GH_ETIMEDOUT;
    case WB_NET_E_PROTOCOL: return WB_GH_EPROTO;
    case WB_NET_E_LIMIT: return WB_GH_EMSGSIZE;
    case WB_NET_E_REDIRECT: return WB_GH_ELOOP;
    case WB_NET_E_IO: return WB_GH_EIO;
    }
    return WB_GH_EIO;
}

/* ---- failures: an errno for the guest, a sentence for last_error ---- */

__attribute__((format(printf, 3, 4))) static int fail(wb_guest_http *gh, int err,
                                                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(gh->last_error, sizeof gh->last_error, fmt, ap);
    va_end(ap);
    return err;
}

static int fail_net(wb_guest_http *gh, const wb_net_error *e)
{
    return fail(gh, wb_guest_http_errno(e->kind), "%s", e->message);
}

/* ---- guest memory ---- */

typedef struct guest {
    wb_memory *mem;
    uint64_t size;
} guest;

static guest guest_of(wb_call *call)
{
    guest g = {wb_call_memory(call), 0};
    if (g.mem)
        g.size = wb_memory_size(g.mem);
    return g;
}

/* ptr and len are guest i32s read as unsigned; the sum cannot wrap in 64 bits. */
static bool in_bounds(const guest *g, uint32_t ptr, uint64_t len)
{
    return g->mem && (uint64_t)ptr + len <= g->size;
}

static uint8_t *at(const guest *g, uint32_t ptr)
{
    return wb_memory_data(g->mem) + ptr;
}

static void put_u32(const guest *g, uint32_t ptr, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    memcpy(at(g, ptr), b, 4);
}

static int fault(wb_guest_http *gh, const char *fn, const char *what, uint32_t ptr, uint64_t len,
                 const guest *g)
{
    if (!g->mem)
        return fail(gh, WB_GH_EFAULT, "wasmbox: wasmbox_http.%s: the module has no memory", fn);
    return fail(gh, WB_GH_EFAULT,
                "wasmbox: wasmbox_http.%s: %s (offset %u, %llu bytes) is outside guest memory "
                "(%llu bytes)",
                fn, what, ptr, (unsigned long long)len, (unsigned long long)g->size);
}

static uint32_t arg(const wb_value *args, int i)
{
    return (uint32_t)args[i].of.i32;
}

static int ret(wb_value *results, int32_t v)
{
    results[0].type = WB_I32;
    results[0].of.i32 = v;
    return 0;
}

static slot *find(wb_guest_http *gh, int32_t handle)
{
    if (handle <= 0)
        return NULL;
    for (size_t i = 0; i < WB_GUEST_HTTP_MAX_HANDLES; i++)
        if (gh->slots[i].handle == handle)
            return &gh->slots[i];
    return NULL;
}

static int bad_handle(wb_guest_http *gh, const char *fn, int32_t handle)
{
    return fail(gh, WB_GH_EBADF, "wasmbox: wasmbox_http.%s: handle %d is not open", fn, handle);
}

/* ---- request: checking what the guest hands in ---- */

static bool is_tchar(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool is_token(const uint8_t *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_tchar(s[i]))
            return false;
    return true;
}

static bool name_is(const uint8_t *s, size_t n, const char *lit)
{
    return n == strlen(lit) && strncasecmp((const char *)s, lit, n) == 0;
}

/* Splits a copy of the guest's header block into views. The value may hold
 * visible bytes, spaces, tabs and bytes >= 0x80 (obs-text); nothing else. */
static int parse_headers(wb_guest_http *gh, uint8_t *buf, size_t len, wb_http_header *out,
                         size_t *n)
{
    *n = 0;
    size_t pos = 0;
    while (pos < len) {
        uint8_t *line = buf + pos;
        uint8_t *end = memchr(line, '\r', len - pos);
        size_t ln = end ? (size_t)(end - line) : len - pos;
        if (!end || pos + ln + 1 >= len || end[1] != '\n')
            return fail(gh, WB_GH_EINVAL,
                        "wasmbox: wasmbox_http.request: header line %zu does not end with CRLF",
                        *n + 1);
        uint8_t *colon = memchr(line, ':', ln);
        if (!colon || !is_token(line, (size_t)(colon - line)))
            return fail(gh, WB_GH_EINVAL,
                        "wasmbox: wasmbox_http.request: header line %zu is not 'Name: value' "
                        "with a token name",
                        *n + 1);
        size_t nl = (size_t)(colon - line);
        static const char *const reserved[] = {"host", "content-length", "transfer-encoding",
                                               "connection"};
        for (size_t r = 0; r < sizeof reserved / sizeof reserved[0]; r++)
            if (name_is(line, nl, reserved[r]))
                return fail(gh, WB_GH_EINVAL,
                            "wasmbox: wasmbox_http.request: header line %zu: %s is set by "
                            "wasmbox, not the guest",
                            *n + 1, reserved[r]);
        uint8_t *v = colon + 1, *ve = line + ln;
        while (v < ve && (*v == ' ' || *v == '\t'))
            v++;
        while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
            ve--;
        for (uint8_t *c = v; c < ve; c++)
            if ((*c < 0x20 && *c != '\t') || *c == 0x7F)
                return fail(gh, WB_GH_EINVAL,
                            "wasmbox: wasmbox_http.request: header line %zu: control byte "
                            "0x%02x in the value",
                            *n + 1, *c);
        if (*n == WB_GUEST_HTTP_MAX_HEADERS)
            return fail(gh, WB_GH_EINVAL,
                        "wasmbox: wasmbox_http.request: more than %d header lines",
                        WB_GUEST_HTTP_MAX_HEADERS);
        out[(*n)++] = (wb_http_header){(const char *)line, nl, (const char *)v,
                                       (size_t)(ve - v)};
        pos += ln + 2;
    }
    return 0;
}

/* A NUL-terminated copy of guest bytes that may not hold NUL. */
static char *copy_text(const guest *g, uint32_t ptr, uint32_t len)
{
    if (memchr(at(g, ptr), 0, len))
        return NULL;
    char *s = malloc((size_t)len + 1);
    if (s) {
        memcpy(s, at(g, ptr), len);
        s[len] = 0;
    }
    return s;
}

static slot *free_slot(wb_guest_http *gh)
{
    for (size_t i = 0; i < WB_GUEST_HTTP_MAX_HANDLES; i++)
        if (!gh->slots[i].handle)
            return &gh->slots[i];
    return NULL;
}

/* The next handle number not in use: numbers are not reused soon, so a stale
 * handle of a closed response is BADF rather than someone else's response. */
static int32_t new_handle(wb_guest_http *gh)
{
    for (;;) {
        int32_t h = gh->next_handle;
        gh->next_handle = h == INT32_MAX ? 1 : h + 1;
        if (!find(gh, h))
            return h;
    }
}

static int do_request(wb_guest_http *gh, wb_call *call, const wb_value *args)
{
    guest g = guest_of(call);
    uint32_t mp = arg(args, 0), ml = arg(args, 1), up = arg(args, 2), ul = arg(args, 3);
    uint32_t hp = arg(args, 4), hl = arg(args, 5), bp = arg(args, 6), bl = arg(args, 7);
    uint32_t out = arg(args, 8);
    if (!in_bounds(&g, mp, ml))
        return fault(gh, "request", "method", mp, ml, &g);
    if (!in_bounds(&g, up, ul))
        return fault(gh, "request", "url", up, ul, &g);
    if (!in_bounds(&g, hp, hl))
        return fault(gh, "request", "headers", hp, hl, &g);
    if (!in_bounds(&g, bp, bl))
        return fault(gh, "request", "body", bp, bl, &g);
    if (!in_bounds(&g, out, 4))
        return fault(gh, "request", "handle_out", out, 4, &g);

    slot *s = free_slot(gh);
    if (!s)
        return fail(gh, WB_GH_EMFILE,
                    "wasmbox: wasmbox_http.request: %d handles are open already (close one)",
                    WB_GUEST_HTTP_MAX_HANDLES);
    if (ml > WB_GUEST_HTTP_MAX_METHOD || !is_token(at(&g, mp), ml))
        return fail(gh, WB_GH_EINVAL,
                    "wasmbox: wasmbox_http.request: the method must be a token of 1 to %d "
                    "bytes",
                    WB_GUEST_HTTP_MAX_METHOD);
    if (ul == 0 || ul > WB_URL_MAX_LEN)
        return fail(gh, WB_GH_EINVAL,
                    "wasmbox: wasmbox_http.request: the URL must be 1 to %d bytes long",
                    WB_URL_MAX_LEN);
    if (hl > WB_GUEST_HTTP_MAX_HEADER_BYTES)
        return fail(gh, WB_GH_EINVAL,
                    "wasmbox: wasmbox_http.request: header lines over %u bytes",
                    WB_GUEST_HTTP_MAX_HEADER_BYTES);
    if (bl > WB_GUEST_HTTP_MAX_BODY)
        return fail(gh, WB_GH_EMSGSIZE,
                    "wasmbox: wasmbox_http.request: request body over %u bytes",
                    WB_GUEST_HTTP_MAX_BODY);

    char *method = copy_text(&g, mp, ml);
    char *url = copy_text(&g, up, ul);
    uint8_t *hbuf = malloc((size_t)hl + 1);
    wb_http_header *hdrs = calloc(WB_GUEST_HTTP_MAX_HEADERS, sizeof *hdrs);
    int rc = 0;
    if (!method || !hbuf || !hdrs) {
        rc = fail(gh, WB_GH_ENOMEM, "wasmbox: wasmbox_http.request: out of memory");
        goto done;
    }
    if (!url) {
        rc = memchr(at(&g, up), 0, ul)
                 ? fail(gh, WB_GH_EINVAL, "wasmbox: wasmbox_http.request: NUL byte in the URL")
                 : fail(gh, WB_GH_ENOMEM, "wasmbox: wasmbox_http.request: out of memory");
        goto done;
    }
    memcpy(hbuf, at(&g, hp), hl);
    size_t nh = 0;
    if ((rc = parse_headers(gh, hbuf, hl, hdrs, &nh)) != 0)
        goto done;

    wb_net_options o = gh->opts;
    if (gh->guest_max_redirects >= 0 && gh->guest_max_redirects < o.max_redirects)
        o.max_redirects = gh->guest_max_redirects;
    if (gh->guest_timeout_ms > 0 &&
        (o.total_timeout_ms <= 0 || gh->guest_timeout_ms < o.total_timeout_ms))
        o.total_timeout_ms = gh->guest_timeout_ms;
    /* Without a run deadline, a server dripping a byte just inside every
     * read timeout could hold the guest for ever: bound each request. */
    if (o.total_timeout_ms <= 0)
        o.total_timeout_ms = WB_GH_DEFAULT_REQUEST_MS;
    int64_t deadline = deadline_of(gh);
    if (deadline != INT64_MAX) {
        int64_t left = deadline - now_ms();
        if (left <= 0) {
            rc = fail(gh, WB_GH_ETIMEDOUT,
                      "wasmbox: wasmbox_http.request: the run's time limit has passed");
            goto done;
        }
        if (left > INT32_MAX)
            left = INT32_MAX;
        if (o.total_timeout_ms <= 0 || o.total_timeout_ms > left)
            o.total_timeout_ms = (int)left;
    }
    /* A body is "present" (Content-Length sent) unless both are 0. */
    bool has_body = bp != 0 || bl != 0;
    wb_net_request q = {.method = method,
                        .url = url,
                        .headers = hdrs,
                        .nheaders = nh,
                        .body = has_body ? (const void *)at(&g, bp) : NULL,
                        .body_len = bl};
    wb_net_error e;
    wb_net_response *r = wb_net_open(&o, &q, &e);
    if (!r) {
        rc = fail_net(gh, &e);
        goto done;
    }
    s->handle = new_handle(gh);
    s->resp = r;
    put_u32(&g, out, (uint32_t)s->handle);
done:
    free(method);
    free(url);
    free(hbuf);
    free(hdrs);
    return rc;
}

/* Copies text to guest buf if cap allows; always writes the length. */
static int give_text(wb_guest_http *gh, const guest *g, const char *fn, const char *text,
                     size_t len, uint32_t buf, uint32_t cap, uint32_t len_out, bool remember)
{
    if (len > UINT32_MAX)
        len = UINT32_MAX; /* cannot happen: texts here are far smaller */
    put_u32(g, len_out, (uint32_t)len);
    if (len > cap) {
        if (!remember)
            return WB_GH_ENOBUFS;
        return fail(gh, WB_GH_ENOBUFS,
                    "wasmbox: wasmbox_http.%s: buffer of %u bytes is too small (%zu needed)", fn,
                    cap, len);
    }
    memcpy(at(g, buf), text, len);
    return 0;
}

/* ---- the host functions ---- */

static int h_request(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    int rc = do_request(user, call, args);
    if (rc && run_over(user))
        return deadline_trap(call, "request");
    return ret(results, rc);
}

static int h_status(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    (void)call;
    wb_guest_http *gh = user;
    int32_t h = args[0].of.i32;
    slot *s = find(gh, h);
    if (!s)
        return ret(results, -bad_handle(gh, "status", h));
    return ret(results, wb_net_status(s->resp));
}

static int h_headers(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    wb_guest_http *gh = user;
    guest g = guest_of(call);
    int32_t h = args[0].of.i32;
    uint32_t buf = arg(args, 1), cap = arg(args, 2), lo = arg(args, 3);
    if (!in_bounds(&g, buf, cap))
        return ret(results, fault(gh, "headers", "buffer", buf, cap, &g));
    if (!in_bounds(&g, lo, 4))
        return ret(results, fault(gh, "headers", "len_out", lo, 4, &g));
    slot *s = find(gh, h);
    if (!s)
        return ret(results, bad_handle(gh, "headers", h));
    size_t len = 0;
    const char *text = wb_net_raw_headers(s->resp, &len);
    return ret(results, give_text(gh, &g, "headers", text ? text : "", text ? len : 0, buf, cap,
                                  lo, true));
}

static int h_read(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    wb_guest_http *gh = user;
    guest g = guest_of(call);
    int32_t h = args[0].of.i32;
    uint32_t buf = arg(args, 1), cap = arg(args, 2), no = arg(args, 3);
    if (!in_bounds(&g, buf, cap))
        return ret(results, fault(gh, "read", "buffer", buf, cap, &g));
    if (!in_bounds(&g, no, 4))
        return ret(results, fault(gh, "read", "nread_out", no, 4, &g));
    slot *s = find(gh, h);
    if (!s)
        return ret(results, bad_handle(gh, "read", h));
    if (cap == 0)
        return ret(results, fail(gh, WB_GH_EINVAL,
                                 "wasmbox: wasmbox_http.read: cap 0 (0 bytes read means the end "
                                 "of the body)"));
    wb_net_error e;
    ssize_t n = wb_net_read(s->resp, at(&g, buf), cap, &e);
    if (n < 0 && run_over(gh))
        return deadline_trap(call, "read");
    if (n < 0)
        return ret(results, fail_net(gh, &e));
    put_u32(&g, no, (uint32_t)n);
    return ret(results, 0);
}

static int h_close(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    (void)call;
    wb_guest_http *gh = user;
    int32_t h = args[0].of.i32;
    slot *s = find(gh, h);
    if (!s)
        return ret(results, bad_handle(gh, "close", h));
    wb_net_close(s->resp);
    s->resp = NULL;
    s->handle = 0;
    return ret(results, 0);
}

static int h_url(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    wb_guest_http *gh = user;
    guest g = guest_of(call);
    int32_t h = args[0].of.i32;
    uint32_t buf = arg(args, 1), cap = arg(args, 2), lo = arg(args, 3);
    if (!in_bounds(&g, buf, cap))
        return ret(results, fault(gh, "url", "buffer", buf, cap, &g));
    if (!in_bounds(&g, lo, 4))
        return ret(results, fault(gh, "url", "len_out", lo, 4, &g));
    slot *s = find(gh, h);
    if (!s)
        return ret(results, bad_handle(gh, "url", h));
    const char *u = wb_net_final_url(s->resp);
    return ret(results, give_text(gh, &g, "url", u, strlen(u), buf, cap, lo, true));
}

/* The guest's limits for its later requests; each can only make the
 * embedder's tighter, never looser. */
static int h_set_limits(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    (void)call;
    wb_guest_http *gh = user;
    int32_t redirects = args[0].of.i32, timeout_ms = args[1].of.i32;
    if (redirects < -1 || timeout_ms < 0)
        return ret(results, fail(gh, WB_GH_EINVAL,
                                 "wasmbox: wasmbox_http.set_limits: max_redirects must be -1 "
                                 "(the run's limit) or more, timeout_ms 0 (the run's limit) or more; "
                                 "got %d and %d",
                                 redirects, timeout_ms));
    gh->guest_max_redirects = redirects;
    gh->guest_timeout_ms = timeout_ms;
    return ret(results, 0);
}

static int h_last_error(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    wb_guest_http *gh = user;
    guest g = guest_of(call);
    uint32_t buf = arg(args, 0), cap = arg(args, 1), lo = arg(args, 2);
    /* Failures of last_error itself do not replace the text being asked for. */
    if (!in_bounds(&g, buf, cap) || !in_bounds(&g, lo, 4))
        return ret(results, WB_GH_EFAULT);
    return ret(results, give_text(gh, &g, "last_error", gh->last_error, strlen(gh->last_error),
                                  buf, cap, lo, false));
}

/* ---- the function table the linker uses ---- */

typedef struct gh_fn {
    const char *name;
    uint32_t nparams;
    wb_host_fn fn;
} gh_fn;

static const gh_fn gh_fns[] = {
    {"request", 9, h_request}, {"status", 1, h_status}, {"headers", 4, h_headers},
    {"read", 4, h_read},       {"close", 1, h_close},   {"last_error", 3, h_last_error},
    {"url", 4, h_url},         {"set_limits", 2, h_set_limits},
};

wb_func *wb_guest_http_func(wb_guest_http *gh, wb_store *store, const wb_extern_desc *d,
                            char *err, size_t errlen)
{
    int nlen = d->name_len > 200 ? 200 : (int)d->name_len;
    const gh_fn *f = NULL;
    for (size_t i = 0; i < sizeof gh_fns / sizeof gh_fns[0]; i++)
        if (d->name_len == strlen(gh_fns[i].name) && !memcmp(d->name, gh_fns[i].name, d->name_len))
            f = &gh_fns[i];
    if (!f || d->kind != WB_EXTERN_FUNC) {
        snprintf(err, errlen, "unresolved import wasmbox_http.%.*s (no such function)", nlen,
                 d->name);
        return NULL;
    }
    bool ok = d->func.nparams == f->nparams && d->func.nresults == 1 &&
              d->func.results[0] == WB_I32;
    for (uint32_t i = 0; ok && i < d->func.nparams; i++)
        ok = d->func.params[i] == WB_I32;
    if (!ok) {
        snprintf(err, errlen,
                 "import wasmbox_http.%s: type does not match (%u i32 parameters, one i32 "
                 "result)",
                 f->name, f->nparams);
        return NULL;
    }
    wb_func *fn = wb_func_new_host(store, &d->func, f->fn, gh);
    if (!fn)
        snprintf(err, errlen, "import wasmbox_http.%s: cannot create host function", f->name);
    return fn;
}
