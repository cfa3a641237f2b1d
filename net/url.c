/* url: see url.h. The parse is a single left-to-right split, in the order
 * RFC 3986 section 3 gives: scheme ":" "//" authority path ["?" query]
 * ["#" fragment]. The authority ends at the first '/', '?' or '#', which is
 * what makes "http://evil.com#@github.com" a request to evil.com; any '@' or
 * '\' left inside the authority is refused, since parsers disagree on them. */
#include "url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net_text.h"

static const char HEX_UPPER[] = "0123456789ABCDEF";

const char *wb_url_scheme_name(wb_url_scheme s) {
    return s == WB_URL_HTTPS ? "https" : "http";
}

static uint16_t default_port(wb_url_scheme s) {
    return s == WB_URL_HTTPS ? 443 : 80;
}

void wb_url_free(wb_url *u) {
    if (!u) return;
    free(u->target);
    u->target = NULL;
}

static bool unreserved(unsigned char c) {
    return wb_net_is_alpha(c) || wb_net_is_digit(c) || c == '-' || c == '.' || c == '_' ||
           c == '~';
}

/* Characters that stand for themselves in a path (RFC 3986 pchar minus
 * pct-encoded) and, with '?', in a query. '/' is the segment separator. */
static bool plain_in_target(unsigned char c, bool query) {
    if (unreserved(c)) return true;
    if (c != 0 && strchr("!$&'()*+,;=:@/", c)) return true;
    return query && c == '?';
}

/* Appends s[0..len) to buf normalised (see url.h). buf has room for 3*len. */
static int append_component(char *buf, size_t *o, const char *s, size_t len, bool query,
                            size_t base_off, char *err, size_t errlen) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            /* Both hex digits must lie inside the component. */
            int h = len - i >= 3 ? wb_net_hex_value((unsigned char)s[i + 1]) : -1;
            int l = len - i >= 3 ? wb_net_hex_value((unsigned char)s[i + 2]) : -1;
            if (h < 0 || l < 0)
                return wb_net_err(err, errlen, "invalid percent-encoding at offset %zu in URL",
                                  base_off + i);
            unsigned char v = (unsigned char)(h << 4 | l);
            if (unreserved(v)) {
                buf[(*o)++] = (char)v;
            } else {
                buf[(*o)++] = '%';
                buf[(*o)++] = HEX_UPPER[v >> 4];
                buf[(*o)++] = HEX_UPPER[v & 15];
            }
            i += 2;
        } else if (plain_in_target(c, query)) {
            buf[(*o)++] = (char)c;
        } else {
            buf[(*o)++] = '%';
            buf[(*o)++] = HEX_UPPER[c >> 4];
            buf[(*o)++] = HEX_UPPER[c & 15];
        }
    }
    return 0;
}

/* RFC 3986 section 5.2.4 on an absolute path (starts with '/'), in place.
 * Segments are walked left to right; "." is dropped, ".." drops the last
 * output segment (never past the root), and either one at the end leaves a
 * trailing '/', as the RFC's algorithm does. */
static void remove_dot_segments(char *path, size_t *len) {
    size_t in = 1, out = 0, n = *len;
    while (in <= n) {
        size_t end = in;
        while (end < n && path[end] != '/') end++;
        size_t seg = end - in;
        bool last = end >= n;
        bool dot = seg == 1 && path[in] == '.';
        bool dotdot = seg == 2 && path[in] == '.' && path[in + 1] == '.';
        if (dot || dotdot) {
            if (dotdot)
                while (out > 0 && path[--out] != '/') {
                }
            if (last) path[out++] = '/';
        } else {
            /* out <= in - 1 always, so this move never overtakes the input. */
            path[out++] = '/';
            memmove(path + out, path + in, seg);
            out += seg;
        }
        in = end + 1;
    }
    if (out == 0) path[out++] = '/';
    *len = out;
}

static int parse_port(const char *s, size_t len, uint16_t *port, char *err, size_t errlen) {
    char q[40];
    if (len == 0) return wb_net_err(err, errlen, "empty port in URL");
    uint32_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!wb_net_is_digit((unsigned char)s[i]))
            return wb_net_err(err, errlen, "invalid port '%s' in URL",
                              wb_net_quote(q, sizeof q, s, len));
        v = v * 10 + (uint32_t)(s[i] - '0');
        if (v > 65535) break;
    }
    if (v == 0 || v > 65535)
        return wb_net_err(err, errlen, "port '%s' out of range (1-65535)",
                          wb_net_quote(q, sizeof q, s, len));
    *port = (uint16_t)v;
    return 0;
}

static size_t find_any(const char *s, size_t from, size_t len, const char *set) {
    while (from < len && !strchr(set, s[from])) from++;
    return from;
}

int wb_url_parse(const char *s, size_t len, wb_url *out, char *err, size_t errlen) {
    char q[80];
    memset(out, 0, sizeof *out);
    if (len == 0 || s == NULL) return wb_net_err(err, errlen, "empty URL");
    if (len > WB_URL_MAX_LEN)
        return wb_net_err(err, errlen, "URL longer than %d bytes", WB_URL_MAX_LEN);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0) return wb_net_err(err, errlen, "NUL byte at offset %zu in URL", i);
        if (c < 0x20 || c == 0x7F)
            return wb_net_err(err, errlen, "control byte 0x%02x at offset %zu in URL", c, i);
    }

    /* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
    size_t i = 0;
    while (i < len && (wb_net_is_alpha((unsigned char)s[i]) ||
                       (i > 0 && (wb_net_is_digit((unsigned char)s[i]) || s[i] == '+' ||
                                  s[i] == '-' || s[i] == '.'))))
        i++;
    if (i == 0 || i == len || s[i] != ':')
        return wb_net_err(err, errlen, "URL '%s' has no scheme (expected http:// or https://)",
                          wb_net_quote(q, sizeof q, s, len));
    if (wb_net_ieq(s, i, "http")) {
        out->scheme = WB_URL_HTTP;
    } else if (wb_net_ieq(s, i, "https")) {
        out->scheme = WB_URL_HTTPS;
    } else {
        return wb_net_err(err, errlen, "unsupported URL scheme '%s' (only http and https)",
                          wb_net_quote(q, sizeof q, s, i));
    }
    i++;
    if (len - i < 2 || s[i] != '/' || s[i + 1] != '/')
        return wb_net_err(err, errlen, "expected '//' after '%s:' in URL",
                          wb_url_scheme_name(out->scheme));
    i += 2;

    /* authority */
    size_t auth = i, auth_end = find_any(s, i, len, "/?#");
    for (size_t k = auth; k < auth_end; k++) {
        if (s[k] == '@')
            return wb_net_err(err, errlen,
                              "userinfo (user@host) is not allowed in URL '%s'",
                              wb_net_quote(q, sizeof q, s, len));
        if (s[k] == '\\')
            return wb_net_err(err, errlen, "backslash in the host part of URL '%s'",
                              wb_net_quote(q, sizeof q, s, len));
    }
    size_t host_end, port_start = 0;
    bool has_port = false;
    if (auth < auth_end && s[auth] == '[') {
        size_t rb = auth;
        while (rb < auth_end && s[rb] != ']') rb++;
        if (rb == auth_end)
            return wb_net_err(err, errlen, "unterminated IPv6 literal in URL '%s'",
                              wb_net_quote(q, sizeof q, s, len));
        host_end = rb + 1;
        if (host_end < auth_end) {
            if (s[host_end] != ':')
                return wb_net_err(err, errlen, "unexpected character after IPv6 literal in URL '%s'",
                                  wb_net_quote(q, sizeof q, s, len));
            has_port = true;
            port_start = host_end + 1;
        }
    } else {
        host_end = auth;
        while (host_end < auth_end && s[host_end] != ':') host_end++;
        if (host_end < auth_end) {
            has_port = true;
            port_start = host_end + 1;
        }
    }
    if (host_end == auth) return wb_net_err(err, errlen, "empty host in URL");
    out->port = default_port(out->scheme);
    if (has_port) {
        if (parse_port(s + port_start, auth_end - port_start, &out->port, err, errlen) != 0)
            return -1;
        out->port_explicit = true;
    }
    if (wb_host_normalise(s + auth, host_end - auth, &out->host, err, errlen) != 0) return -1;

    /* path ["?" query], fragment dropped */
    size_t path_end = find_any(s, auth_end, len, "?#");
    bool has_query = path_end < len && s[path_end] == '?';
    size_t query_end = has_query ? find_any(s, path_end + 1, len, "#") : path_end;

    size_t cap = 3 * (query_end - auth_end) + 3;
    char *t = malloc(cap);
    if (!t) return wb_net_err(err, errlen, "out of memory parsing URL");
    size_t o = 0;
    if (path_end == auth_end) {
        t[o++] = '/';
    } else if (append_component(t, &o, s + auth_end, path_end - auth_end, false, auth_end, err,
                                errlen) != 0) {
        free(t);
        return -1;
    }
    remove_dot_segments(t, &o);
    if (has_query) {
        t[o++] = '?';
        if (append_component(t, &o, s + path_end + 1, query_end - path_end - 1, true,
                             path_end + 1, err, errlen) != 0) {
            free(t);
            return -1;
        }
    }
    t[o] = '\0';
    out->target = t;
    /* The normalised form is what the policy matches, the audit log shows and
     * a second parse reads, so it must fit the same limit as the raw URL
     * (percent-encoding can triple a path). */
    if (wb_url_format(out, NULL, 0) > WB_URL_MAX_LEN) {
        wb_url_free(out);
        memset(out, 0, sizeof *out);
        return wb_net_err(err, errlen, "URL longer than %d bytes once normalised (percent-encoded)",
                          WB_URL_MAX_LEN);
    }
    return 0;
}

size_t wb_url_host_header(const wb_url *u, char *buf, size_t n) {
    bool v6 = u->host.kind == WB_HOST_IPV6;
    int r;
    if (u->port != default_port(u->scheme))
        r = snprintf(buf, n, "%s%s%s:%u", v6 ? "[" : "", u->host.text, v6 ? "]" : "", u->port);
    else
        r = snprintf(buf, n, "%s%s%s", v6 ? "[" : "", u->host.text, v6 ? "]" : "");
    return r < 0 ? 0 : (size_t)r;
}

size_t wb_url_format(const wb_url *u, char *buf, size_t n) {
    char hh[WB_HOST_TEXT_MAX + 16];
    wb_url_host_header(u, hh, sizeof hh);
    int r = snprintf(buf, n, "%s://%s%s", wb_url_scheme_name(u->scheme), hh,
                     u->target ? u->target : "/");
    return r < 0 ? 0 : (size_t)r;
}
