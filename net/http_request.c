/* http_request: see http_request.h. Everything is validated before the
 * output is sized and written, so a failure never leaves a half request. */
#include "http_request.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net_text.h"

static const char *const RESERVED[] = {"Host", "Content-Length", "Transfer-Encoding",
                                       "Connection"};

static bool field_value_ok(const char *v, size_t n, size_t *bad) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (!(c == '\t' || (c >= 0x20 && c != 0x7F))) {
            *bad = i;
            return false;
        }
    }
    return true;
}

/* Adds b to *acc, refusing size_t overflow. */
static bool add_size(size_t *acc, size_t b) {
    if (*acc > SIZE_MAX - b) return false;
    *acc += b;
    return true;
}

int wb_http_request_serialize(const wb_http_request *req, char **out, size_t *out_len, char *err,
                              size_t errlen) {
    char q[80];
    *out = NULL;
    *out_len = 0;
    if (!req->method || req->method_len == 0) return wb_net_err(err, errlen, "empty method");
    for (size_t i = 0; i < req->method_len; i++)
        if (!wb_net_is_tchar((unsigned char)req->method[i]))
            return wb_net_err(err, errlen, "invalid method '%s'",
                              wb_net_quote(q, sizeof q, req->method, req->method_len));
    if (!req->target || req->target[0] != '/')
        return wb_net_err(err, errlen, "request target must start with '/'");
    size_t tlen = strlen(req->target);
    for (size_t i = 0; i < tlen; i++) {
        unsigned char c = (unsigned char)req->target[i];
        if (c <= 0x20 || c >= 0x7F)
            return wb_net_err(err, errlen, "invalid byte 0x%02x in request target", c);
    }
    if (!req->host || !req->host[0]) return wb_net_err(err, errlen, "empty Host");
    size_t hlen = strlen(req->host), bad;
    if (!field_value_ok(req->host, hlen, &bad) || memchr(req->host, ' ', hlen))
        return wb_net_err(err, errlen, "invalid Host '%s'",
                          wb_net_quote(q, sizeof q, req->host, hlen));
    if (req->nheaders > 0 && !req->headers) return wb_net_err(err, errlen, "no header array");
    if (!req->body && req->body_len) return wb_net_err(err, errlen, "body length without body");

    size_t total = 0;
    bool ok = add_size(&total, req->method_len + 1) && add_size(&total, tlen) &&
              add_size(&total, sizeof " HTTP/1.1\r\nHost: \r\n" - 1) && add_size(&total, hlen);
    for (size_t k = 0; k < req->nheaders; k++) {
        const wb_http_header *h = &req->headers[k];
        if (!h->name || h->name_len == 0)
            return wb_net_err(err, errlen, "request header %zu has an empty name", k);
        if (!h->value && h->value_len)
            return wb_net_err(err, errlen, "request header %zu has no value", k);
        for (size_t i = 0; i < h->name_len; i++)
            if (!wb_net_is_tchar((unsigned char)h->name[i]))
                return wb_net_err(err, errlen, "invalid byte 0x%02x in request header name '%s'",
                                  (unsigned char)h->name[i],
                                  wb_net_quote(q, sizeof q, h->name, h->name_len));
        for (size_t r = 0; r < sizeof RESERVED / sizeof RESERVED[0]; r++)
            if (wb_net_ieq(h->name, h->name_len, RESERVED[r]))
                return wb_net_err(err, errlen, "request header '%s' is set by wasmbox, not the guest",
                                  RESERVED[r]);
        if (!field_value_ok(h->value, h->value_len, &bad))
            return wb_net_err(err, errlen, "invalid byte 0x%02x in value of request header '%s'",
                              (unsigned char)h->value[bad],
                              wb_net_quote(q, sizeof q, h->name, h->name_len));
        ok = ok && add_size(&total, h->name_len) && add_size(&total, h->value_len) &&
             add_size(&total, 4);
    }
    char cl[48] = "";
    if (req->body) snprintf(cl, sizeof cl, "Content-Length: %zu\r\n", req->body_len);
    ok = ok && add_size(&total, strlen(cl)) &&
         add_size(&total, sizeof "Connection: close\r\n\r\n" - 1) &&
         add_size(&total, req->body_len) && add_size(&total, 1);
    if (!ok) return wb_net_err(err, errlen, "request too large");

    char *buf = malloc(total);
    if (!buf) return wb_net_err(err, errlen, "out of memory building request");
    size_t o = 0;
#define PUT(p, n)                   \
    do {                            \
        memcpy(buf + o, (p), (n));  \
        o += (n);                   \
    } while (0)
#define PUTS(lit) PUT(lit, sizeof(lit) - 1)
    PUT(req->method, req->method_len);
    PUTS(" ");
    PUT(req->target, tlen);
    PUTS(" HTTP/1.1\r\nHost: ");
    PUT(req->host, hlen);
    PUTS("\r\n");
    for (size_t k = 0; k < req->nheaders; k++) {
        const wb_http_header *h = &req->headers[k];
        PUT(h->name, h->name_len);
        PUTS(": ");
        if (h->value_len) PUT(h->value, h->value_len);
        PUTS("\r\n");
    }
    PUT(cl, strlen(cl));
    PUTS("Connection: close\r\n\r\n");
    if (req->body_len) PUT(req->body, req->body_len);
#undef PUTS
#undef PUT
    buf[o] = '\0';
    *out = buf;
    *out_len = o;
    return 0;
}
