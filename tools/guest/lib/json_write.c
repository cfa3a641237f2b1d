/* The JSON writer (wbtool.h): strings always come out as valid JSON in valid
 * UTF-8. Invalid bytes are replaced rather than refused because what tools
 * print is mostly file contents shown to a model: a Latin-1 comment in a
 * source file should cost one U+FFFD, not the whole result. */
#include <stdio.h>

#include "wbtool.h"

bool wt_json_add_string(wt_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    /* bytes copied as they are: printable ASCII but '"' and '\\' (a table:
     * this loop runs over every byte a tool prints, in an interpreter) */
    static bool plain[256], ready;
    if (!ready) {
        for (int c = 0x20; c < 0x7F; c++)
            plain[c] = c != '"' && c != '\\';
        ready = true;
    }
    const unsigned char *p = (const unsigned char *)s;
    /* most text needs no escape: one reservation, then plain copies */
    if (!wt_buf_reserve(b, n + 2) || !wt_buf_addc(b, '"'))
        return false;
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (i < n && plain[p[i]])
            i++;
        if (i > run && !wt_buf_add(b, p + run, i - run))
            return false;
        if (i == n)
            break;
        unsigned char c = p[i];
        if (c >= 0x80) {
            uint32_t cp;
            size_t k = wt_utf8_seq(p + i, n - i, &cp);
            if (k ? !wt_buf_add(b, p + i, k) : !wt_buf_add(b, "\xEF\xBF\xBD", 3))
                return false;
            i += k ? k : 1;
            continue;
        }
        char esc[7] = {'\\', 0};
        size_t len = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\t': esc[1] = 't'; break;
        case '\r': esc[1] = 'r'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        default: /* other controls and DEL */
            esc[1] = 'u', esc[2] = '0', esc[3] = '0';
            esc[4] = hex[c >> 4], esc[5] = hex[c & 15];
            len = 6;
        }
        if (!wt_buf_add(b, esc, len))
            return false;
        i++;
    }
    return wt_buf_addc(b, '"');
}

bool wt_json_add_value(wt_buf *b, const wt_json *v)
{
    switch (v->type) {
    case WT_JSON_NULL:
        return wt_buf_adds(b, "null");
    case WT_JSON_BOOL:
        return wt_buf_adds(b, v->boolean ? "true" : "false");
    case WT_JSON_NUMBER:
        if (v->is_integer)
            return wt_buf_printf(b, "%lld", (long long)v->integer);
        return wt_buf_printf(b, "%.17g", v->number);
    case WT_JSON_STRING:
        return wt_json_add_string(b, v->string, v->length);
    case WT_JSON_ARRAY:
        if (!wt_buf_addc(b, '['))
            return false;
        for (size_t i = 0; i < v->count; i++)
            if ((i && !wt_buf_addc(b, ',')) || !wt_json_add_value(b, &v->items[i]))
                return false;
        return wt_buf_addc(b, ']');
    case WT_JSON_OBJECT:
        if (!wt_buf_addc(b, '{'))
            return false;
        for (size_t i = 0; i < v->count; i++) {
            const wt_json_member *m = &v->members[i];
            if ((i && !wt_buf_addc(b, ',')) || !wt_json_add_string(b, m->key, m->key_length) ||
                !wt_buf_addc(b, ':') || !wt_json_add_value(b, &m->value))
                return false;
        }
        return wt_buf_addc(b, '}');
    }
    return false;
}
