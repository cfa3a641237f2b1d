/* redirect: where a Location header points.
 *
 * The result is only a string: it goes back through wb_url_parse and the
 * whole policy decision like the first URL did, so nothing here has to be
 * trusted beyond producing a bounded string. Dot segments are removed by the
 * URL parser, not here. */
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"
#include "net_text.h"

static bool has_scheme(const char *s, size_t n)
{
    if (n == 0 || !wb_net_is_alpha((unsigned char)s[0]))
        return false;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ':')
            return true;
        if (!wb_net_is_alpha(c) && !wb_net_is_digit(c) && c != '+' && c != '-' && c != '.')
            return false;
    }
    return false;
}

char *wb_net_redirect_target(const wb_url *base, const char *loc, size_t loclen, char *err,
                             size_t errlen)
{
    if (loclen > WB_URL_MAX_LEN) {
        wb_net_err(err, errlen, "Location header longer than %d bytes", WB_URL_MAX_LEN);
        return NULL;
    }
    const char *scheme = wb_url_scheme_name(base->scheme);
    char authority[WB_HOST_TEXT_MAX + 16];
    wb_url_host_header(base, authority, sizeof authority);
    const char *path = base->target;
    size_t path_len = strcspn(path, "?");
    /* prefix + loc: prefix is at most scheme + authority + path */
    const char *pre1 = "", *pre2 = "", *pre3 = "";
    size_t pre3_len = 0;
    if (has_scheme(loc, loclen)) {
        /* absolute: used as is */
    } else if (loclen >= 2 && loc[0] == '/' && loc[1] == '/') {
        pre1 = scheme;
        pre2 = ":";
    } else {
        pre1 = scheme;
        pre2 = "://";
        if (loclen > 0 && loc[0] == '/') {
            pre3 = "";
        } else if (loclen == 0 || loc[0] == '?' || loc[0] == '#') {
            pre3 = path;
            pre3_len = path_len;
        } else {
            /* a relative path replaces the last segment of the base path */
            pre3 = path;
            const char *slash = memrchr(path, '/', path_len);
            pre3_len = slash ? (size_t)(slash - path) + 1 : 0;
        }
    }
    bool with_auth = pre2[0] == ':' && pre2[1] == '/';
    size_t need = strlen(pre1) + strlen(pre2) + (with_auth ? strlen(authority) : 0) + pre3_len +
                  loclen + 2;
    char *out = malloc(need);
    if (!out) {
        wb_net_err(err, errlen, "out of memory");
        return NULL;
    }
    size_t o = 0;
    memcpy(out + o, pre1, strlen(pre1));
    o += strlen(pre1);
    memcpy(out + o, pre2, strlen(pre2));
    o += strlen(pre2);
    if (with_auth) {
        memcpy(out + o, authority, strlen(authority));
        o += strlen(authority);
        if (pre3_len == 0 && (loclen == 0 || loc[0] != '/'))
            out[o++] = '/';
    }
    memcpy(out + o, pre3, pre3_len);
    o += pre3_len;
    memcpy(out + o, loc, loclen);
    o += loclen;
    out[o] = '\0';
    return out;
}
