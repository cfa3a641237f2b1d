/* guest_http_link: gives a module its wasmbox_http imports and lets another
 * linker (WASI's) give the rest.
 *
 * Other linkers, like wb_wasi_link, fill every import of a module and fail on
 * the first one that is not theirs. To compose with them unchanged, the
 * imports that are not wasmbox_http are declared again in a small module of
 * their own (type and import sections only: same module names, field names
 * and function types), the other linker links that one, and its host
 * functions are copied to the matching slots of the real module. Function
 * types are structural in wasm, so those functions fit the real imports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest_http_internal.h"

typedef struct bytes {
    uint8_t *p;
    size_t len, cap;
    bool oom;
} bytes;

static void put(bytes *b, const void *src, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n > b->cap) {
        size_t nc = b->cap ? b->cap : 256;
        while (nc < b->len + n)
            nc *= 2;
        uint8_t *np = realloc(b->p, nc);
        if (!np) {
            b->oom = true;
            return;
        }
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

static void put_byte(bytes *b, uint8_t v) { put(b, &v, 1); }

static void put_leb(bytes *b, uint64_t v)
{
    do {
        uint8_t c = v & 0x7F;
        v >>= 7;
        put_byte(b, v ? c | 0x80 : c);
    } while (v);
}

static void put_name(bytes *b, const char *s, size_t n)
{
    put_leb(b, n);
    put(b, s, n);
}

static void put_section(bytes *out, uint8_t id, const bytes *body)
{
    put_byte(out, id);
    put_leb(out, body->len);
    put(out, body->p, body->len);
}

static bool is_ours(const wb_extern_desc *d)
{
    return d->module_len == strlen(WB_GUEST_HTTP_MODULE) &&
           !memcmp(d->module, WB_GUEST_HTTP_MODULE, d->module_len);
}

/* The module holding only the imports with idx[0..n) of `module` (all
 * functions), as wasm bytes. */
static bool other_module_bytes(const wb_module *module, const uint32_t *idx, uint32_t n,
                               bytes *out)
{
    bytes types = {0}, imports = {0};
    put_leb(&types, n);
    put_leb(&imports, n);
    for (uint32_t k = 0; k < n; k++) {
        wb_extern_desc d;
        wb_module_import(module, idx[k], &d);
        put_byte(&types, 0x60);
        put_leb(&types, d.func.nparams);
        for (uint32_t i = 0; i < d.func.nparams; i++)
            put_byte(&types, (uint8_t)d.func.params[i]);
        put_leb(&types, d.func.nresults);
        for (uint32_t i = 0; i < d.func.nresults; i++)
            put_byte(&types, (uint8_t)d.func.results[i]);
        put_name(&imports, d.module, d.module_len);
        put_name(&imports, d.name, d.name_len);
        put_byte(&imports, 0x00); /* function */
        put_leb(&imports, k);     /* its own type */
    }
    static const uint8_t header[8] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
    put(out, header, sizeof header);
    put_section(out, 1, &types);
    put_section(out, 2, &imports);
    bool ok = !types.oom && !imports.oom && !out->oom;
    free(types.p);
    free(imports.p);
    return ok;
}

static bool link_others(wb_store *store, const wb_module *module, const uint32_t *idx,
                        uint32_t n, wb_guest_http_link_fn other, void *ctx,
                        wb_extern *imports_out, char *err, size_t errlen)
{
    bytes b = {0};
    if (!other_module_bytes(module, idx, n, &b)) {
        free(b.p);
        snprintf(err, errlen, "out of memory");
        return false;
    }
    wb_error werr;
    memset(&werr, 0, sizeof werr);
    wb_module *m = wb_module_load(store, b.p, b.len, &werr);
    free(b.p);
    if (!m) {
        snprintf(err, errlen, "cannot declare the other imports: %s", werr.message);
        return false;
    }
    wb_extern *tmp = calloc(n, sizeof *tmp);
    if (!tmp) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    bool ok = other(ctx, store, m, tmp, err, errlen);
    for (uint32_t k = 0; ok && k < n; k++)
        imports_out[idx[k]] = tmp[k];
    free(tmp);
    return ok;
}

static void unresolved(const wb_extern_desc *d, const char *why, char *err, size_t errlen)
{
    int ml = d->module_len > 200 ? 200 : (int)d->module_len;
    int nl = d->name_len > 200 ? 200 : (int)d->name_len;
    snprintf(err, errlen, "unresolved import %.*s.%.*s (%s)", ml, d->module, nl, d->name, why);
}

bool wb_guest_http_link(wb_guest_http *gh, wb_store *store, const wb_module *module,
                        wb_guest_http_link_fn other, void *other_ctx, wb_extern *imports_out,
                        char *err, size_t errlen)
{
    uint32_t n = wb_module_import_count(module);
    uint32_t *rest = calloc(n ? n : 1, sizeof *rest);
    if (!rest) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    uint32_t nrest = 0;
    bool ok = true;
    for (uint32_t i = 0; ok && i < n; i++) {
        wb_extern_desc d;
        wb_module_import(module, i, &d);
        if (is_ours(&d)) {
            wb_func *f = wb_guest_http_func(gh, store, &d, err, errlen);
            ok = f != NULL;
            if (ok)
                imports_out[i] = (wb_extern){.kind = WB_EXTERN_FUNC, .of.func = f};
            continue;
        }
        if (!other) {
            unresolved(&d, "only wasmbox_http is provided", err, errlen);
            ok = false;
        }
        rest[nrest++] = i;
    }
    /* The small module declares functions only; other kinds of import next
     * to wasmbox_http ones are not supported (WASI has none). */
    for (uint32_t k = 0; ok && nrest < n && k < nrest; k++) {
        wb_extern_desc d;
        wb_module_import(module, rest[k], &d);
        if (d.kind != WB_EXTERN_FUNC) {
            unresolved(&d, "only functions can be imported next to wasmbox_http", err, errlen);
            ok = false;
        }
    }
    if (ok && nrest == n && other) {
        /* Nothing of ours: the other linker sees the module itself, exactly
         * as if wasmbox_http did not exist. */
        ok = other(other_ctx, store, module, imports_out, err, errlen);
    } else if (ok && nrest) {
        ok = link_others(store, module, rest, nrest, other, other_ctx, imports_out, err,
                         errlen);
    }
    free(rest);
    return ok;
}
