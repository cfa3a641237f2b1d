/* Reference resolution (urlref.h). Works on strings only: the URL is
 * neither fetched nor judged here (the host decides any fetch). */
#include <string.h>

#include "urlref.h"

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool wf_url_scheme(const char *s, size_t n, char *buf, size_t cap)
{
    if (n == 0 || !is_alpha(s[0]))
        return false;
    size_t i = 1;
    while (i < n && (is_alpha(s[i]) || (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' ||
                     s[i] == '.'))
        i++;
    if (i >= n || s[i] != ':' || i >= cap)
        return false;
    for (size_t k = 0; k < i; k++)
        buf[k] = s[k] >= 'A' && s[k] <= 'Z' ? (char)(s[k] + 32) : s[k];
    buf[i] = 0;
    return true;
}

/* The parts of an absolute URL: [0, path) is "scheme://authority",
 * [path, query) the path, [query, fragment) "?query", then "#fragment". */
typedef struct {
    size_t path, query, fragment, len;
} parts;

static parts split(const char *u)
{
    parts p = {0, 0, 0, strlen(u)};
    const char *colon = strchr(u, ':');
    size_t i = colon ? (size_t)(colon - u) + 1 : 0;
    if (u[i] == '/' && u[i + 1] == '/') {
        i += 2;
        while (i < p.len && u[i] != '/' && u[i] != '?' && u[i] != '#')
            i++;
    }
    p.path = i;
    while (i < p.len && u[i] != '?' && u[i] != '#')
        i++;
    p.query = i;
    while (i < p.len && u[i] != '#')
        i++;
    p.fragment = i;
    return p;
}

/* Appends path (starting with '/') with its "." and ".." segments removed
 * (RFC 3986 5.2.4). Each ".." takes back what was written since the
 * previous '/', so the work is linear in the path. */
static void remove_dots(wt_buf *out, const char *path, size_t n)
{
    size_t root = out->len;
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1; /* path[i] == '/' */
        while (j < n && path[j] != '/')
            j++;
        const char *seg = path + i + 1;
        size_t len = j - i - 1;
        bool last = j >= n;
        if (len == 1 && seg[0] == '.') {
            if (last)
                wt_buf_addc(out, '/');
        } else if (len == 2 && seg[0] == '.' && seg[1] == '.') {
            while (out->len > root && out->data[out->len - 1] != '/')
                out->len--;
            if (out->len > root)
                out->len--; /* the '/' before the segment taken back */
            if (last)
                wt_buf_addc(out, '/');
        } else {
            wt_buf_addc(out, '/');
            wt_buf_add(out, seg, len);
        }
        i = j;
    }
    if (out->len == root)
        wt_buf_addc(out, '/');
    else if (out->data)
        out->data[out->len] = 0;
}

static bool web_scheme(const char *scheme)
{
    return !strcmp(scheme, "http") || !strcmp(scheme, "https");
}

bool wf_url_resolve(wt_buf *out, const char *base, const char *ref, size_t n)
{
    /* as browsers read an href: C0 controls and spaces around it dropped,
     * tabs and newlines inside it too */
    while (n && (unsigned char)ref[0] <= ' ')
        ref++, n--;
    while (n && (unsigned char)ref[n - 1] <= ' ')
        n--;
    char base_scheme[16] = "";
    wf_url_scheme(base, strlen(base), base_scheme, sizeof base_scheme);
    bool web = web_scheme(base_scheme);
    wt_buf r = {0};
    for (size_t i = 0; i < n; i++) {
        char c = ref[i];
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        wt_buf_addc(&r, c == '\\' && web ? '/' : c);
    }
    const char *s = r.data ? r.data : "";
    size_t len = r.len;
    char scheme[16];
    parts b = split(base);
    if (wf_url_scheme(s, len, scheme, sizeof scheme)) {
        wt_buf_add(out, s, len); /* already absolute */
    } else if (len >= 2 && s[0] == '/' && s[1] == '/') {
        wt_buf_adds(out, base_scheme);
        wt_buf_addc(out, ':');
        wt_buf_add(out, s, len);
    } else if (len == 0 || s[0] == '#') {
        wt_buf_add(out, base, b.fragment);
        wt_buf_add(out, s, len);
    } else if (s[0] == '?') {
        wt_buf_add(out, base, b.query);
        wt_buf_add(out, s, len);
    } else {
        size_t path_end = strcspn(s, "?#");
        wt_buf_add(out, base, b.path);
        if (s[0] == '/') {
            remove_dots(out, s, path_end);
        } else {
            /* the base's path up to its last '/', then the reference */
            wt_buf merged = {0};
            size_t dir = b.query;
            while (dir > b.path && base[dir - 1] != '/')
                dir--;
            if (dir == b.path)
                wt_buf_addc(&merged, '/');
            else
                wt_buf_add(&merged, base + b.path, dir - b.path);
            wt_buf_add(&merged, s, path_end);
            if (merged.failed)
                out->failed = true;
            else
                remove_dots(out, merged.data, merged.len);
            wt_buf_free(&merged);
        }
        wt_buf_add(out, s + path_end, len - path_end);
    }
    if (r.failed)
        out->failed = true;
    wt_buf_free(&r);
    return !out->failed;
}
