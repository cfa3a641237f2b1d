/* URL prefixes for block_urls.
 *
 * Both the prefix and the requested URL are brought to one normal form before
 * a plain prefix comparison, so spelling tricks (upper-case host, ":443",
 * "%2e%2e", "/./", "\") cannot step around a block. Decoding is deliberately
 * generous: a blocklist that decodes too much blocks more, never less. */
#include "policy.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define URL_MAX 8192

typedef struct norm_url {
    char scheme[8];
    char host[300];
    uint16_t port;
    char path[URL_MAX]; /* path + "?" + query, normalized */
} norm_url;

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decodes %XX to printable ASCII (controls, space and "%" stay encoded, hex
 * upper-cased); in a path also turns "\" into "/", as browsers and many
 * servers do. Returns false on overflow. */
static bool decode(const char *s, size_t n, char *out, size_t outlen, bool in_path)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
            hexval((unsigned char)s[i + 2]) >= 0) {
            int v = hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]);
            i += 2;
            if (v > 0x20 && v < 0x7f && v != '%') {
                c = (char)v;
            } else {
                if (o + 3 >= outlen)
                    return false;
                out[o++] = '%';
                out[o++] = "0123456789ABCDEF"[v >> 4];
                out[o++] = "0123456789ABCDEF"[v & 15];
                continue;
            }
        }
        if (c == '\\' && in_path)
            c = '/';
        if (o + 1 >= outlen)
            return false;
        out[o++] = c;
    }
    out[o] = '\0';
    return true;
}

/* RFC 3986 5.2.4, in place, on a path starting with "/". */
static void remove_dot_segments(char *path)
{
    char *out = path; /* write cursor; always <= read cursor */
    const char *in = path;
    while (*in) {
        /* in points at "/" */
        const char *seg = in + 1;
        const char *end = strchr(seg, '/');
        size_t len = end ? (size_t)(end - seg) : strlen(seg);
        if (len == 0 && end) {
            /* "//": servers commonly collapse it, so collapse it too */
        } else if (len == 1 && seg[0] == '.') {
            if (!end) {
                *out++ = '/';
            }
        } else if (len == 2 && seg[0] == '.' && seg[1] == '.') {
            while (out > path && *--out != '/')
                ;
            if (!end)
                *out++ = '/';
        } else {
            memmove(out, in, len + 1);
            out += len + 1;
        }
        in = seg + len;
    }
    if (out == path)
        *out++ = '/';
    *out = '\0';
}

static bool parse_url(const char *url, norm_url *u, bool allow_userinfo, const char **why)
{
    memset(u, 0, sizeof u[0]);
    *why = "not an absolute URL";
    if (!url)
        return false;
    const char *sep = strstr(url, "://");
    if (!sep || sep == url || (size_t)(sep - url) >= sizeof u->scheme)
        return false;
    for (const char *c = url; c < sep; c++)
        u->scheme[c - url] = (char)tolower((unsigned char)*c);
    if (!wb_scheme_default_port(u->scheme)) {
        *why = "scheme must be http, https, ws or wss";
        return false;
    }
    const char *auth = sep + 3;
    size_t alen = strcspn(auth, "/?#\\");
    const char *at = NULL;
    for (size_t i = 0; i < alen; i++)
        if (auth[i] == '@')
            at = auth + i;
    if (at) {
        if (!allow_userinfo) {
            *why = "a prefix may not contain user info (\"user@\")";
            return false;
        }
        alen -= (size_t)(at + 1 - auth);
        auth = at + 1;
    }
    const char *hend = auth + alen, *colon = NULL;
    if (alen && auth[0] == '[') {
        const char *close = memchr(auth, ']', alen);
        if (!close) {
            *why = "missing \"]\"";
            return false;
        }
        if (close + 1 < hend) {
            if (close[1] != ':') {
                *why = "bad authority";
                return false;
            }
            colon = close + 1;
        }
    } else {
        colon = memchr(auth, ':', alen);
    }
    size_t hlen = colon ? (size_t)(colon - auth) : alen;
    char hostpat[400];
    if (hlen == 0 || hlen >= 300) {
        *why = "bad host";
        return false;
    }
    /* reuse the host-pattern parser for host syntax and normal form */
    wb_host_pattern hp;
    snprintf(hostpat, sizeof hostpat, "%s://%.*s:*", u->scheme, (int)hlen, auth);
    if (!wb_host_pattern_parse(hostpat, &hp, NULL, 0) || hp.host[0] == '\0' || hp.subdomains) {
        *why = "bad host";
        return false;
    }
    snprintf(u->host, sizeof u->host, "%s", hp.host);
    u->port = wb_scheme_default_port(u->scheme);
    if (colon) {
        size_t plen = (size_t)(hend - colon - 1);
        if (plen > 0) {
            unsigned v = 0;
            for (size_t i = 0; i < plen; i++) {
                char c = colon[1 + i];
                if (c < '0' || c > '9' || plen > 5) {
                    *why = "bad port";
                    return false;
                }
                v = v * 10 + (unsigned)(c - '0');
            }
            if (v == 0 || v > 65535) {
                *why = "bad port";
                return false;
            }
            u->port = (uint16_t)v;
        }
    }
    const char *rest = hend;
    size_t rlen = strcspn(rest, "#");
    const char *q = memchr(rest, '?', rlen);
    size_t pathlen = q ? (size_t)(q - rest) : rlen;
    char path[URL_MAX];
    path[0] = '/';
    size_t off = (pathlen > 0 && (rest[0] == '/' || rest[0] == '\\')) ? 0 : 1;
    if (!decode(rest, pathlen, path + off, sizeof path - off - 1, true)) {
        *why = "URL too long";
        return false;
    }
    remove_dot_segments(path);
    size_t n = strlen(path);
    /* the query is decoded too (servers decode it before use), but it has no
     * segments to resolve */
    if (q && !decode(q, rlen - pathlen, path + n, sizeof path - n, false)) {
        *why = "URL too long";
        return false;
    }
    n = strlen(path);
    memcpy(u->path, path, n + 1);
    return true;
}

bool wb_url_prefix_valid(const char *text, char *err, size_t errlen)
{
    norm_url *tmp = malloc(sizeof *tmp);
    const char *why = "out of memory";
    bool ok = tmp && parse_url(text, tmp, false, &why);
    free(tmp);
    if (!ok && err && errlen)
        snprintf(err, errlen, "\"%s\" is not a valid URL prefix (%s)", text ? text : "", why);
    return ok;
}

/* ws/wss reach the same servers as http/https: a block on one covers both */
static bool same_scheme(const char *a, const char *b)
{
    return wb_scheme_default_port(a) == wb_scheme_default_port(b) &&
           (strcmp(a, b) == 0 || (a[0] == 'w') != (b[0] == 'w'));
}

bool wb_url_prefix_match(const char *prefix, const char *url)
{
    norm_url *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    const char *why;
    bool match = true; /* fail closed */
    if (a && b && parse_url(prefix, a, false, &why) && parse_url(url, b, true, &why)) {
        match = same_scheme(a->scheme, b->scheme) && strcmp(a->host, b->host) == 0 &&
                a->port == b->port && strncmp(b->path, a->path, strlen(a->path)) == 0;
    }
    free(a);
    free(b);
    return match;
}
