/* Media types and sniffing (content_type.h), after the WHATWG MIME
 * Sniffing Standard's rules for HTML and binary data, in brief. */
#include <string.h>
#include <strings.h>

#include "content_type.h"

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

const char *wf_header_value(const char *raw, size_t n, const char *name, size_t *len)
{
    size_t nl = strlen(name);
    for (size_t i = 0; i < n;) {
        const char *eol = memchr(raw + i, '\n', n - i);
        size_t end = eol ? (size_t)(eol - raw) : n;
        if (end - i > nl && raw[i + nl] == ':' && strncasecmp(raw + i, name, nl) == 0) {
            size_t a = i + nl + 1, b = end;
            while (a < b && is_ws(raw[a]))
                a++;
            while (b > a && is_ws(raw[b - 1]))
                b--;
            *len = b - a;
            return raw + a;
        }
        i = end + 1;
    }
    return NULL;
}

void wf_media_type(const char *v, size_t n, char *buf, size_t cap)
{
    buf[0] = 0;
    size_t a = 0, b = 0;
    while (a < n && is_ws(v[a]))
        a++;
    b = a;
    while (b < n && v[b] != ';')
        b++;
    while (b > a && is_ws(v[b - 1]))
        b--;
    if (b - a >= cap)
        return;
    for (size_t i = a; i < b; i++)
        buf[i - a] = v[i] >= 'A' && v[i] <= 'Z' ? (char)(v[i] + 32) : v[i];
    buf[b - a] = 0;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && !strcmp(s + n - k, tail);
}

static bool textual(const char *type)
{
    static const char *const types[] = {
        "application/json", "application/xml", "application/javascript", "application/ecmascript",
        "application/x-javascript", "application/x-sh", "application/x-csh", "application/sql",
        "application/graphql", "application/toml", "application/yaml", "application/x-yaml",
        "application/x-ndjson", "application/x-httpd-php", "application/x-www-form-urlencoded",
    };
    if (!strncmp(type, "text/", 5) || ends_with(type, "+json") || ends_with(type, "+xml"))
        return true;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(type, types[i]))
            return true;
    return false;
}

/* The first bytes are HTML's markup (the sniffing standard's list). */
static bool looks_like_html(const char *s, size_t n)
{
    static const char *const starts[] = {"<!doctype html", "<html", "<head", "<script", "<iframe",
                                         "<h1", "<div", "<font", "<table", "<a", "<style",
                                         "<title", "<b", "<body", "<br", "<p", "<!--"};
    size_t i = 0;
    if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < n && is_ws(s[i]))
        i++;
    for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) {
        size_t len = strlen(starts[k]);
        if (n - i > len && strncasecmp(s + i, starts[k], len) == 0) {
            char next = s[i + len];
            if (!strcmp(starts[k], "<!--") || next == ' ' || next == '>')
                return true;
        }
    }
    return false;
}

static bool looks_binary(const char *s, size_t n)
{
    static const struct {
        const char *magic;
        size_t len;
    } magics[] = {{"%PDF-", 5},         {"\x89PNG", 4},     {"GIF8", 4},  {"\xFF\xD8\xFF", 3},
                  {"PK\x03\x04", 4},    {"\x1F\x8B", 2},    {"RIFF", 4},  {"\x7F" "ELF", 4},
                  {"ID3", 3},           {"\0asm", 4},       {"OggS", 4},  {"BZh", 3},
                  {"\xFD" "7zXZ", 5}};
    for (size_t k = 0; k < sizeof magics / sizeof magics[0]; k++)
        if (n >= magics[k].len && !memcmp(s, magics[k].magic, magics[k].len))
            return true;
    if (n >= 2 && (!memcmp(s, "\xFF\xFE", 2) || !memcmp(s, "\xFE\xFF", 2)))
        return false; /* UTF-16 text */
    for (size_t i = 0; i < n && i < 1024; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B)
            return true;
    }
    return false;
}

wf_kind wf_classify(const char *type, const char *body, size_t n, bool *sniffed)
{
    *sniffed = false;
    if (!strcmp(type, "text/html") || !strcmp(type, "application/xhtml+xml"))
        return WF_HTML;
    if (textual(type))
        return WF_TEXT;
    if (type[0] && strcmp(type, "application/octet-stream") && strcmp(type, "application/unknown") &&
        strcmp(type, "unknown/unknown") && strcmp(type, "*/*"))
        return WF_BINARY;
    *sniffed = true;
    if (looks_like_html(body, n))
        return WF_HTML;
    return looks_binary(body, n) ? WF_BINARY : WF_TEXT;
}
