/* Tests of the wasmbox_http import module (net/guest_http*.c) without a
 * network: linking next to another linker, and the host functions called from
 * a real wasm module (built here byte by byte) whose memory holds the guest's
 * arguments. Every request here is refused by the policy before resolution
 * (IP literals, nothing allowed), so nothing connects and no DNS is used. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../net/guest_http.h"

/* ---- a tiny module builder ---- */

typedef struct imp {
    const char *module, *name;
    int nparams; /* all i32 */
    int nresults; /* 0 or 1 (i32) */
} imp;

typedef struct buf {
    uint8_t b[4096];
    size_t n;
} buf;

static void put(buf *o, const void *p, size_t n)
{
    assert_true(o->n + n <= sizeof o->b);
    memcpy(o->b + o->n, p, n);
    o->n += n;
}
static void byte(buf *o, uint8_t v) { put(o, &v, 1); }
static void leb(buf *o, uint32_t v)
{
    do {
        uint8_t c = v & 0x7F;
        v >>= 7;
        byte(o, v ? c | 0x80 : c);
    } while (v);
}
static void name(buf *o, const char *s)
{
    leb(o, (uint32_t)strlen(s));
    put(o, s, strlen(s));
}
static void section(buf *o, uint8_t id, const buf *body)
{
    byte(o, id);
    leb(o, (uint32_t)body->n);
    put(o, body->b, body->n);
}

/* Imports imps[0..n); for each, an exported wrapper "x<i>" of the same type
 * that passes its parameters on; one page of memory exported as "mem". */
static size_t build_module(const imp *imps, int n, bool with_memory, uint8_t *out)
{
    buf m = {.n = 0}, types = {.n = 0}, imports = {.n = 0}, funcs = {.n = 0}, mem = {.n = 0},
        exports = {.n = 0}, code = {.n = 0};
    static const uint8_t header[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    put(&m, header, 8);
    leb(&types, (uint32_t)n);
    leb(&imports, (uint32_t)n);
    leb(&funcs, (uint32_t)n);
    leb(&exports, (uint32_t)n + (with_memory ? 1 : 0));
    leb(&code, (uint32_t)n);
    for (int i = 0; i < n; i++) {
        byte(&types, 0x60);
        leb(&types, (uint32_t)imps[i].nparams);
        for (int k = 0; k < imps[i].nparams; k++)
            byte(&types, 0x7F);
        leb(&types, (uint32_t)imps[i].nresults);
        for (int k = 0; k < imps[i].nresults; k++)
            byte(&types, 0x7F);
        name(&imports, imps[i].module);
        name(&imports, imps[i].name);
        byte(&imports, 0x00);
        leb(&imports, (uint32_t)i);
        leb(&funcs, (uint32_t)i);
        char ex[16];
        snprintf(ex, sizeof ex, "x%d", i);
        name(&exports, ex);
        byte(&exports, 0x00);
        leb(&exports, (uint32_t)(n + i));
        buf body = {.n = 0};
        byte(&body, 0); /* no locals */
        for (int k = 0; k < imps[i].nparams; k++) {
            byte(&body, 0x20);
            leb(&body, (uint32_t)k);
        }
        byte(&body, 0x10);
        leb(&body, (uint32_t)i);
        byte(&body, 0x0B);
        leb(&code, (uint32_t)body.n);
        put(&code, body.b, body.n);
    }
    if (with_memory) {
        name(&exports, "mem");
        byte(&exports, 0x02);
        leb(&exports, 0);
        leb(&mem, 1);
        byte(&mem, 0x00);
        leb(&mem, 1); /* one page */
    }
    section(&m, 1, &types);
    section(&m, 2, &imports);
    section(&m, 3, &funcs);
    if (with_memory)
        section(&m, 5, &mem);
    section(&m, 7, &exports);
    section(&m, 10, &code);
    memcpy(out, m.b, m.n);
    return m.n;
}

/* ---- an "other" linker standing in for WASI ---- */

typedef struct other_ctx {
    int calls;
    uint32_t seen_imports;
    char seen[8][64];
    wb_func *made[8];
    const wb_module *module;
} other_ctx;

static int other_fn(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    (void)call, (void)args;
    results[0] = (wb_value){.type = WB_I32, .of.i32 = (int32_t)(intptr_t)user};
    return 0;
}

static int other_fn0(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    (void)call, (void)user, (void)args, (void)results;
    return 0;
}

static bool other_link(void *vctx, wb_store *store, const wb_module *module, wb_extern *out,
                       char *err, size_t errlen)
{
    other_ctx *c = vctx;
    c->calls++;
    c->module = module;
    c->seen_imports = wb_module_import_count(module);
    for (uint32_t i = 0; i < c->seen_imports && i < 8; i++) {
        wb_extern_desc d;
        wb_module_import(module, i, &d);
        if (d.module_len == 3 && !memcmp(d.module, "bad", 3)) {
            snprintf(err, errlen, "other: cannot link %.*s", (int)d.name_len, d.name);
            return false;
        }
        snprintf(c->seen[i], sizeof c->seen[i], "%.*s.%.*s/%u", (int)d.module_len, d.module,
                 (int)d.name_len, d.name, d.func.nparams);
        c->made[i] = wb_func_new_host(store, &d.func, d.func.nresults ? other_fn : other_fn0, (void *)(intptr_t)(100 + i));
        out[i] = (wb_extern){.kind = WB_EXTERN_FUNC, .of.func = c->made[i]};
    }
    return true;
}

/* ---- fixture: a store, an empty policy, a guest_http ---- */

typedef struct fx {
    wb_policy policy;
    wb_store *store;
    wb_guest_http *gh;
    wb_module *module;
    wb_instance *inst;
    wb_memory *mem;
} fx;

static void fx_init(fx *f)
{
    memset(f, 0, sizeof *f);
    wb_policy_init(&f->policy);
    f->store = wb_store_new(NULL);
    assert_non_null(f->store);
    wb_net_options o;
    wb_net_options_init(&o, &f->policy);
    f->gh = wb_guest_http_new(&o, 0);
    assert_non_null(f->gh);
}

static void fx_free(fx *f)
{
    wb_store_free(f->store);
    wb_guest_http_free(f->gh);
    wb_policy_free(&f->policy);
}

static bool fx_load(fx *f, const imp *imps, int n, bool with_memory, other_ctx *oc, char *err,
                    size_t errlen)
{
    uint8_t bytes[4096];
    size_t len = build_module(imps, n, with_memory, bytes);
    wb_error werr;
    f->module = wb_module_load(f->store, bytes, len, &werr);
    if (!f->module)
        fail_msg("module: %s", werr.message);
    wb_extern ext[16];
    memset(ext, 0, sizeof ext);
    if (!wb_guest_http_link(f->gh, f->store, f->module, oc ? other_link : NULL, oc, ext, err,
                            errlen))
        return false;
    f->inst = wb_instantiate(f->store, f->module, ext, (uint32_t)n, &werr);
    if (!f->inst)
        fail_msg("instantiate: %s", werr.message);
    wb_extern mem;
    if (with_memory && wb_instance_export(f->inst, "mem", 3, &mem))
        f->mem = mem.of.memory;
    return true;
}

/* Calls export x<i> with i32 arguments; the status, results in res. */
static wb_status call_raw(fx *f, int i, const int32_t *a, int n, wb_value *res)
{
    char ex[16];
    snprintf(ex, sizeof ex, "x%d", i);
    wb_extern e;
    assert_true(wb_instance_export(f->inst, ex, strlen(ex), &e));
    wb_value args[16];
    for (int k = 0; k < n; k++)
        args[k] = (wb_value){.type = WB_I32, .of.i32 = a[k]};
    return wb_func_call(f->store, e.of.func, args, (uint32_t)n, res, 1);
}

static int32_t call(fx *f, int i, const int32_t *a, int n)
{
    wb_value res[1];
    assert_int_equal(call_raw(f, i, a, n, res), WB_OK);
    return res[0].of.i32;
}

/* The status of a call expected to stop the run (a trap). */
static wb_status call_status(fx *f, int i, const int32_t *a, int n)
{
    wb_value res[1];
    return call_raw(f, i, a, n, res);
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const imp HTTP[] = {
    {"wasmbox_http", "request", 9, 1}, {"wasmbox_http", "status", 1, 1},
    {"wasmbox_http", "headers", 4, 1}, {"wasmbox_http", "read", 4, 1},
    {"wasmbox_http", "close", 1, 1},   {"wasmbox_http", "last_error", 3, 1},
    {"wasmbox_http", "url", 4, 1},     {"wasmbox_http", "set_limits", 2, 1},
};
enum { REQ, STATUS, HEADERS, READ, CLOSE, LAST, URL, SET_LIMITS };

static void poke(fx *f, uint32_t at, const char *s)
{
    assert_true(wb_memory_write(f->mem, at, s, strlen(s)));
}

static uint32_t peek_u32(fx *f, uint32_t at)
{
    uint8_t b[4];
    assert_true(wb_memory_read(f->mem, at, b, 4));
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* last_error into memory at 0x2000, as a C string. */
static const char *last_error(fx *f, char *out, size_t n)
{
    int32_t a[3] = {0x2000, 0x1000, 0x1ff0};
    assert_int_equal(call(f, LAST, a, 3), 0);
    uint32_t len = peek_u32(f, 0x1ff0);
    assert_true(len < n);
    assert_true(wb_memory_read(f->mem, 0x2000, out, len));
    out[len] = 0;
    return out;
}

/* ---- tests ---- */

static void test_errno_mapping(void **state)
{
    (void)state;
    assert_int_equal(wb_guest_http_errno(WB_NET_OK), 0);
    assert_int_equal(wb_guest_http_errno(WB_NET_E_POLICY), 76);
    assert_int_equal(wb_guest_http_errno(WB_NET_E_URL), 28);
    assert_int_equal(wb_guest_http_errno(WB_NET_E_DNS), 23);
    assert_int_equal(wb_guest_http_errno(WB_NET_E_CONNECT), 14);
    assert_int_equal(wb_guest_http_errno(WB_NET_E_TLS), 13);
    assert_int_equal(wb_guest_http_errno(WB_NET_E_TIMEOUT), 73);
    assert_int_equal(wb_guest_http_errno(WB_NET_E_PROTOCOL), 65);
    assert_int_equal(wb_guest_http_errno(WB_NET_E_LIMIT), 35);
    assert_int_equal(wb_guest_http_errno(WB_NET_E_REDIRECT), 32);
    assert_int_equal(wb_guest_http_errno(WB_NET_E_IO), 29);
}

static void test_link_composes_with_other_linker(void **state)
{
    (void)state;
    fx f;
    fx_init(&f);
    const imp imps[] = {{"wasi_snapshot_preview1", "fd_write", 4, 1},
                        {"wasmbox_http", "status", 1, 1},
                        {"env", "g", 0, 0}};
    other_ctx oc = {0};
    char err[256];
    assert_true(fx_load(&f, imps, 3, false, &oc, err, sizeof err));
    /* the other linker saw only the two other imports, in order, same types */
    assert_int_equal(oc.calls, 1);
    assert_ptr_not_equal(oc.module, f.module);
    assert_int_equal(oc.seen_imports, 2);
    assert_string_equal(oc.seen[0], "wasi_snapshot_preview1.fd_write/4");
    assert_string_equal(oc.seen[1], "env.g/0");
    /* and its functions sit in the right slots */
    int32_t a4[4] = {0, 0, 0, 0};
    assert_int_equal(call(&f, 0, a4, 4), 100);
    /* ours: status of no handle is -badf */
    int32_t h[1] = {1};
    assert_int_equal(call(&f, 1, h, 1), -8);
    fx_free(&f);
}

static void test_link_without_ours_passes_module_itself(void **state)
{
    (void)state;
    fx f;
    fx_init(&f);
    const imp imps[] = {{"wasi_snapshot_preview1", "fd_write", 4, 1}};
    other_ctx oc = {0};
    char err[256];
    assert_true(fx_load(&f, imps, 1, false, &oc, err, sizeof err));
    assert_ptr_equal(oc.module, f.module);
    fx_free(&f);
}

static void test_link_errors(void **state)
{
    (void)state;
    char err[256];
    struct {
        imp imps[2];
        int n;
        bool other;
        const char *want;
    } cases[] = {
        {{{"wasmbox_http", "nope", 0, 0}}, 1, true, "unresolved import wasmbox_http.nope (no such function)"},
        {{{"wasmbox_http", "status", 2, 1}}, 1, true, "import wasmbox_http.status: type does not match"},
        {{{"wasmbox_http", "read", 4, 0}}, 1, true, "import wasmbox_http.read: type does not match"},
        {{{"wasmbox_http", "close", 1, 1}, {"env", "f", 0, 0}}, 2, false,
         "unresolved import env.f (only wasmbox_http is provided)"},
        {{{"wasmbox_http", "close", 1, 1}, {"bad", "f", 0, 0}}, 2, true, "other: cannot link f"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fx f;
        fx_init(&f);
        other_ctx oc = {0};
        err[0] = 0;
        assert_false(fx_load(&f, cases[i].imps, cases[i].n, false, cases[i].other ? &oc : NULL,
                             err, sizeof err));
        if (!strstr(err, cases[i].want))
            fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].want);
        fx_free(&f);
    }
}

static void test_no_memory_is_fault(void **state)
{
    (void)state;
    fx f;
    fx_init(&f);
    char err[256];
    assert_true(fx_load(&f, HTTP, 6, false, NULL, err, sizeof err));
    int32_t a9[9] = {0, 3, 0, 10, 0, 0, 0, 0, 0};
    assert_int_equal(call(&f, REQ, a9, 9), 21);
    int32_t a4[4] = {1, 0, 0, 0};
    assert_int_equal(call(&f, HEADERS, a4, 4), 21);
    assert_int_equal(call(&f, READ, a4, 4), 21);
    int32_t a3[3] = {0, 0, 0};
    assert_int_equal(call(&f, LAST, a3, 3), 21);
    fx_free(&f);
}

static void test_refused_with_reason(void **state)
{
    (void)state;
    fx f;
    fx_init(&f);
    char err[256], msg[2048];
    assert_true(fx_load(&f, HTTP, 6, true, NULL, err, sizeof err));
    assert_non_null(f.mem);
    /* nothing failed yet: empty */
    assert_string_equal(last_error(&f, msg, sizeof msg), "");
    poke(&f, 0x100, "GET");
    poke(&f, 0x200, "http://10.0.0.1:8080/x");
    int32_t a[9] = {0x100, 3, 0x200, 22, 0, 0, 0, 0, 0x300};
    assert_int_equal(call(&f, REQ, a, 9), 76);
    assert_string_equal(last_error(&f, msg, sizeof msg),
                        "wasmbox: refused outbound connection to http://10.0.0.1:8080: not in "
                        "allowed_outbound_hosts, which is empty (add 'http://10.0.0.1:8080' to "
                        "allowed_outbound_hosts, or pass --allow-host http://10.0.0.1:8080)");
    assert_int_equal(wb_guest_http_open_count(f.gh), 0);
    fx_free(&f);
}

static void test_pointer_checks(void **state)
{
    (void)state;
    fx f;
    fx_init(&f);
    char err[256], msg[2048];
    assert_true(fx_load(&f, HTTP, 6, true, NULL, err, sizeof err));
    poke(&f, 0x100, "GET");
    poke(&f, 0x200, "http://10.0.0.1/");
    const int32_t page = 65536;
    /* (ptr, len) out of bounds: past the end, straddling, 32-bit wrap */
    const int32_t bad[][2] = {{page, 1}, {page - 1, 2}, {(int32_t)0xFFFFFFF0, 0x20},
                              {-1, 1}, {0, page + 1}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        for (int arg = 0; arg < 4; arg++) {
            int32_t a[9] = {0x100, 3, 0x200, 16, 0, 0, 0, 0, 0x300};
            a[arg * 2] = bad[i][0];
            a[arg * 2 + 1] = bad[i][1];
            assert_int_equal(call(&f, REQ, a, 9), 21);
        }
    }
    const int32_t bad_out[] = {page, page - 3, -1, -4};
    for (size_t i = 0; i < 4; i++) {
        int32_t a[9] = {0x100, 3, 0x200, 16, 0, 0, 0, 0, bad_out[i]};
        assert_int_equal(call(&f, REQ, a, 9), 21);
        assert_non_null(strstr(last_error(&f, msg, sizeof msg), "handle_out"));
        int32_t h[4] = {1, 0x400, 16, bad_out[i]};
        assert_int_equal(call(&f, HEADERS, h, 4), 21);
        assert_int_equal(call(&f, READ, h, 4), 21);
        int32_t l[3] = {0x400, 16, bad_out[i]};
        assert_int_equal(call(&f, LAST, l, 3), 21);
        int32_t hb[4] = {1, bad[i][0], bad[i][1], 0x500};
        assert_int_equal(call(&f, HEADERS, hb, 4), 21);
        assert_int_equal(call(&f, READ, hb, 4), 21);
        int32_t lb[3] = {bad[i][0], bad[i][1], 0x500};
        assert_int_equal(call(&f, LAST, lb, 3), 21);
    }
    /* an empty range ending exactly at the end is in bounds: the call goes on
     * to the policy */
    int32_t a[9] = {0x100, 3, 0x200, 16, page, 0, 0, 0, 0x300};
    assert_int_equal(call(&f, REQ, a, 9), 76);
    /* a fault wrote nothing to handle_out */
    assert_int_equal(peek_u32(&f, 0x300), 0);
    fx_free(&f);
}

static void test_bad_handles_and_input(void **state)
{
    (void)state;
    fx f;
    fx_init(&f);
    char err[256], msg[2048];
    assert_true(fx_load(&f, HTTP, 6, true, NULL, err, sizeof err));
    const int32_t handles[] = {0, 1, -1, 7, INT32_MAX, INT32_MIN};
    for (size_t i = 0; i < sizeof handles / sizeof handles[0]; i++) {
        int32_t one[1] = {handles[i]};
        assert_int_equal(call(&f, STATUS, one, 1), -8);
        assert_int_equal(call(&f, CLOSE, one, 1), 8);
        int32_t a[4] = {handles[i], 0x400, 16, 0x500};
        assert_int_equal(call(&f, HEADERS, a, 4), 8);
        assert_int_equal(call(&f, READ, a, 4), 8);
    }
    assert_non_null(strstr(last_error(&f, msg, sizeof msg), "is not open"));
    /* last_error: too small a buffer gives nobufs and the needed length */
    size_t need = strlen(msg);
    int32_t l[3] = {0x600, 4, 0x700};
    assert_int_equal(call(&f, LAST, l, 3), 42);
    assert_int_equal(peek_u32(&f, 0x700), need);

    struct {
        const char *method, *url, *headers;
        int want;
        const char *why;
    } cases[] = {
        {"GE T", "http://10.0.0.1/", "", 28, "method"},
        {"", "http://10.0.0.1/", "", 28, "method"},
        {"GET", "", "", 28, "URL"},
        {"GET", "ftp://10.0.0.1/", "", 28, "not a usable URL"},
        {"GET", "http://10.0.0.1/", "X: 1", 28, "CRLF"},
        {"GET", "http://10.0.0.1/", "X: 1\n", 28, "CRLF"},
        {"GET", "http://10.0.0.1/", "X: 1\r\nHost: evil\r\n", 28, "host is set by wasmbox"},
        {"GET", "http://10.0.0.1/", "Content-Length: 5\r\n", 28, "content-length"},
        {"GET", "http://10.0.0.1/", "Bad Name: 1\r\n", 28, "token name"},
        {"GET", "http://10.0.0.1/", "X: a\x01" "b\r\n", 28, "control byte"},
        {"GET", "http://10.0.0.1/", "X: 1\r\nY:\t2 \r\n", 76, "allowed_outbound_hosts"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        poke(&f, 0x100, cases[i].method);
        poke(&f, 0x200, cases[i].url);
        poke(&f, 0x800, cases[i].headers);
        int32_t a[9] = {0x100, (int32_t)strlen(cases[i].method), 0x200,
                        (int32_t)strlen(cases[i].url), 0x800, (int32_t)strlen(cases[i].headers),
                        0, 0, 0x300};
        int32_t got = call(&f, REQ, a, 9);
        last_error(&f, msg, sizeof msg);
        if (got != cases[i].want || !strstr(msg, cases[i].why))
            fail_msg("case %zu: errno %d (want %d), '%s' lacks '%s'", i, got, cases[i].want, msg,
                     cases[i].why);
    }
    /* NUL inside the URL */
    assert_true(wb_memory_write(f.mem, 0x200, "http://a\0b/", 11));
    int32_t a[9] = {0x100, 3, 0x200, 11, 0, 0, 0, 0, 0x300};
    poke(&f, 0x100, "GET");
    assert_int_equal(call(&f, REQ, a, 9), 28);
    /* a body over the cap */
    int32_t big[9] = {0x100, 3, 0x200, 11, 0, 0, 0, (int32_t)(WB_GUEST_HTTP_MAX_BODY + 1), 0x300};
    assert_int_equal(call(&f, REQ, big, 9), 21); /* larger than memory: fault first */
    fx_free(&f);
}

/* url and set_limits check their arguments like the others; no request
 * here connects (nothing is allowed), so the limits' effect on redirects
 * and time is checked end to end (tests/e2e/guest_http.sh). */
static void test_url_and_set_limits(void **state)
{
    (void)state;
    fx f;
    fx_init(&f);
    char err[256], msg[2048];
    assert_true(fx_load(&f, HTTP, 8, true, NULL, err, sizeof err));
    const int32_t page = 65536;
    const int32_t handles[] = {0, 1, -1, INT32_MAX};
    for (size_t i = 0; i < sizeof handles / sizeof handles[0]; i++) {
        int32_t a[4] = {handles[i], 0x400, 16, 0x500};
        assert_int_equal(call(&f, URL, a, 4), 8);
        assert_non_null(strstr(last_error(&f, msg, sizeof msg), "wasmbox_http.url: handle"));
    }
    /* pointers first, as everywhere: a bad range is fault even for a bad handle */
    int32_t buf_out[4] = {1, page - 8, 16, 0x500};
    assert_int_equal(call(&f, URL, buf_out, 4), 21);
    int32_t len_out[4] = {1, 0x400, 16, page - 2};
    assert_int_equal(call(&f, URL, len_out, 4), 21);
    assert_non_null(strstr(last_error(&f, msg, sizeof msg), "len_out"));

    const int32_t good[][2] = {{-1, 0}, {0, 0}, {3, 1500}, {INT32_MAX, INT32_MAX}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_int_equal(call(&f, SET_LIMITS, good[i], 2), 0);
    const int32_t bad[][2] = {{-2, 0}, {0, -1}, {INT32_MIN, 10}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(call(&f, SET_LIMITS, bad[i], 2), 28);
        assert_non_null(strstr(last_error(&f, msg, sizeof msg), "wasmbox_http.set_limits"));
    }
    /* the limits do not open anything: a request is still decided first */
    poke(&f, 0x100, "GET");
    poke(&f, 0x200, "http://10.0.0.1/");
    int32_t a[9] = {0x100, 3, 0x200, 16, 0, 0, 0, 0, 0x300};
    assert_int_equal(call(&f, REQ, a, 9), 76);
    fx_free(&f);
}

static void test_run_deadline_passed(void **state)
{
    (void)state;
    fx f;
    memset(&f, 0, sizeof f);
    wb_policy_init(&f.policy);
    char err[256];
    assert_true(wb_policy_apply_flag(&f.policy, "--allow-host", "http://10.0.0.1", err,
                                     sizeof err));
    f.store = wb_store_new(NULL);
    wb_net_options o;
    wb_net_options_init(&o, &f.policy);
    f.gh = wb_guest_http_new(&o, 1); /* 1 ms */
    assert_true(fx_load(&f, HTTP, 6, true, NULL, err, sizeof err));
    struct timespec ts = {0, 5 * 1000 * 1000};
    nanosleep(&ts, NULL);
    poke(&f, 0x100, "GET");
    poke(&f, 0x200, "http://10.0.0.1/");
    /* the run is over: the call ends it (a trap the CLI reports as its
     * timeout) rather than hand the guest an error to carry on with; nothing
     * is sent (10.0.0.1 is never reached: the deadline is checked first) */
    int32_t a[9] = {0x100, 3, 0x200, 16, 0, 0, 0, 0, 0x300};
    assert_int_equal(call_status(&f, REQ, a, 9), WB_TRAP_HOST);
    assert_string_equal(wb_store_trap_message(f.store),
                        "wasmbox_http.request: the run's time limit was reached");
    /* the embedder's own deadline replaces the one made from the timeout:
     * a minute away, a bad request (method "G T") is just inval, sending
     * nothing; once it has passed, the same call ends the run */
    poke(&f, 0x100, "G T");
    wb_guest_http_set_deadline(f.gh, mono_ms() + 60000);
    assert_int_equal(call(&f, REQ, a, 9), 28);
    wb_guest_http_set_deadline(f.gh, mono_ms() - 1);
    assert_int_equal(call_status(&f, REQ, a, 9), WB_TRAP_HOST);
    fx_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errno_mapping),
        cmocka_unit_test(test_link_composes_with_other_linker),
        cmocka_unit_test(test_link_without_ours_passes_module_itself),
        cmocka_unit_test(test_link_errors),
        cmocka_unit_test(test_no_memory_is_fault),
        cmocka_unit_test(test_refused_with_reason),
        cmocka_unit_test(test_pointer_checks),
        cmocka_unit_test(test_bad_handles_and_input),
        cmocka_unit_test(test_url_and_set_limits),
        cmocka_unit_test(test_run_deadline_passed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
