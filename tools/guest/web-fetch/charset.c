/* Encodings (charset.h). The labels are the WHATWG Encoding Standard's for
 * the encodings decoded here; everything else is reported as unknown. */
#include <string.h>
#include <strings.h>

#include "charset.h"
#include "html_tok.h"

const uint16_t wf_cp1252_c1[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static const struct {
    const char *label;
    wf_charset cs;
} labels[] = {
    {"unicode-1-1-utf-8", WF_CS_UTF8}, {"unicode11utf8", WF_CS_UTF8},
    {"unicode20utf8", WF_CS_UTF8},     {"utf-8", WF_CS_UTF8},
    {"utf8", WF_CS_UTF8},              {"x-unicode20utf8", WF_CS_UTF8},
    {"ansi_x3.4-1968", WF_CS_WINDOWS_1252}, {"ascii", WF_CS_WINDOWS_1252},
    {"cp1252", WF_CS_WINDOWS_1252},    {"cp819", WF_CS_WINDOWS_1252},
    {"csisolatin1", WF_CS_WINDOWS_1252}, {"ibm819", WF_CS_WINDOWS_1252},
    {"iso-8859-1", WF_CS_WINDOWS_1252}, {"iso-ir-100", WF_CS_WINDOWS_1252},
    {"iso8859-1", WF_CS_WINDOWS_1252}, {"iso88591", WF_CS_WINDOWS_1252},
    {"iso_8859-1", WF_CS_WINDOWS_1252}, {"iso_8859-1:1987", WF_CS_WINDOWS_1252},
    {"l1", WF_CS_WINDOWS_1252},        {"latin1", WF_CS_WINDOWS_1252},
    {"us-ascii", WF_CS_WINDOWS_1252},  {"windows-1252", WF_CS_WINDOWS_1252},
    {"x-cp1252", WF_CS_WINDOWS_1252},
    {"csisolatin9", WF_CS_ISO_8859_15}, {"iso-8859-15", WF_CS_ISO_8859_15},
    {"iso8859-15", WF_CS_ISO_8859_15}, {"iso885915", WF_CS_ISO_8859_15},
    {"iso_8859-15", WF_CS_ISO_8859_15}, {"l9", WF_CS_ISO_8859_15},
    {"csunicode", WF_CS_UTF16LE},      {"iso-10646-ucs-2", WF_CS_UTF16LE},
    {"ucs-2", WF_CS_UTF16LE},          {"unicode", WF_CS_UTF16LE},
    {"unicodefeff", WF_CS_UTF16LE},    {"utf-16", WF_CS_UTF16LE},
    {"utf-16le", WF_CS_UTF16LE},       {"unicodefffe", WF_CS_UTF16BE},
    {"utf-16be", WF_CS_UTF16BE},
};

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

wf_charset wf_charset_from_label(const char *s, size_t n)
{
    while (n && is_ws(*s))
        s++, n--;
    while (n && is_ws(s[n - 1]))
        n--;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strlen(labels[i].label) == n && strncasecmp(s, labels[i].label, n) == 0)
            return labels[i].cs;
    return WF_CS_UNKNOWN;
}

const char *wf_charset_name(wf_charset cs)
{
    switch (cs) {
    case WF_CS_UTF8: return "UTF-8";
    case WF_CS_WINDOWS_1252: return "windows-1252";
    case WF_CS_ISO_8859_15: return "ISO-8859-15";
    case WF_CS_UTF16LE: return "UTF-16LE";
    case WF_CS_UTF16BE: return "UTF-16BE";
    case WF_CS_UNKNOWN: break;
    }
    return "unknown";
}

/* WHATWG's "extracting a character encoding from a meta element", which
 * reads a Content-Type header's parameter as well. */
bool wf_charset_param(const char *s, size_t n, const char **label, size_t *len)
{
    for (size_t i = 0; i + 7 <= n; i++) {
        if (strncasecmp(s + i, "charset", 7) != 0)
            continue;
        size_t k = i + 7;
        while (k < n && is_ws(s[k]))
            k++;
        if (k >= n || s[k] != '=')
            continue;
        k++;
        while (k < n && is_ws(s[k]))
            k++;
        if (k >= n)
            return false;
        if (s[k] == '"' || s[k] == '\'') {
            const char *end = memchr(s + k + 1, s[k], n - k - 1);
            if (!end)
                return false;
            *label = s + k + 1;
            *len = (size_t)(end - *label);
        } else {
            size_t e = k;
            while (e < n && !is_ws(s[e]) && s[e] != ';')
                e++;
            *label = s + k;
            *len = e - k;
        }
        return *len > 0;
    }
    return false;
}

/* The charset a <meta> in the first 1024 bytes declares. */
static bool meta_charset(const char *s, size_t n, const char **label, size_t *len)
{
    ht_tokenizer t;
    ht_token tok;
    ht_init(&t, s, n < 1024 ? n : 1024);
    for (ht_next(&t, &tok); tok.kind != HT_EOF; ht_next(&t, &tok)) {
        if (tok.kind != HT_START || strcmp(tok.name, "meta") != 0)
            continue;
        const ht_attr *cs = ht_attr_get(&tok, "charset");
        if (cs && cs->value_len) {
            *label = cs->value;
            *len = cs->value_len;
            return true;
        }
        const ht_attr *eq = ht_attr_get(&tok, "http-equiv");
        const ht_attr *content = ht_attr_get(&tok, "content");
        if (eq && content && eq->value_len == 12 && strncasecmp(eq->value, "content-type", 12) == 0 &&
            wf_charset_param(content->value, content->value_len, label, len))
            return true;
    }
    return false;
}

static void keep_label(wf_charset_choice *out, const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < sizeof out->label; i++)
        if (s[i] > ' ' && s[i] < 0x7F) /* printable ASCII only: it goes into notes */
            out->label[k++] = s[i];
    out->label[k] = 0;
}

void wf_choose_charset(const char *body, size_t n, const char *header_label, size_t header_len,
                       bool html, wf_charset_choice *out)
{
    memset(out, 0, sizeof *out);
    const unsigned char *b = (const unsigned char *)body;
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
        out->cs = WF_CS_UTF8, out->bom = 3;
    } else if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
        out->cs = WF_CS_UTF16LE, out->bom = 2;
    } else if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
        out->cs = WF_CS_UTF16BE, out->bom = 2;
    }
    if (out->bom) {
        out->source = "byte order mark";
        strcpy(out->label, wf_charset_name(out->cs));
        return;
    }
    const char *label;
    size_t len;
    if (header_label) {
        out->source = "Content-Type";
        keep_label(out, header_label, header_len);
        out->cs = wf_charset_from_label(header_label, header_len);
        return;
    }
    if (html && meta_charset(body, n, &label, &len)) {
        out->source = "<meta>";
        keep_label(out, label, len);
        out->cs = wf_charset_from_label(label, len);
        if (out->cs == WF_CS_UTF16LE || out->cs == WF_CS_UTF16BE)
            out->cs = WF_CS_UTF8;
        return;
    }
    out->cs = wt_utf8_valid(body, n) ? WF_CS_UTF8 : WF_CS_WINDOWS_1252;
    strcpy(out->label, wf_charset_name(out->cs));
}

static bool add_replacement(wt_buf *out, size_t *replaced)
{
    (*replaced)++;
    return wt_buf_add(out, "\xEF\xBF\xBD", 3);
}

static void decode_utf8(wt_buf *out, const unsigned char *s, size_t n, size_t *replaced)
{
    size_t i = 0;
    while (i < n && !out->failed) {
        size_t run = i;
        while (i < n && s[i] && s[i] < 0x80)
            i++;
        wt_buf_add(out, s + run, i - run);
        if (i >= n)
            break;
        uint32_t cp;
        size_t k = s[i] ? wt_utf8_seq(s + i, n - i, &cp) : 0;
        if (k) {
            wt_buf_add(out, s + i, k);
            i += k;
        } else {
            add_replacement(out, replaced);
            i++;
        }
    }
}

static void decode_single_byte(wt_buf *out, const unsigned char *s, size_t n, wf_charset cs,
                               size_t *replaced)
{
    static const struct {
        unsigned char byte;
        uint16_t cp;
    } latin9[] = {{0xA4, 0x20AC}, {0xA6, 0x0160}, {0xA8, 0x0161}, {0xB4, 0x017D},
                  {0xB8, 0x017E}, {0xBC, 0x0152}, {0xBD, 0x0153}, {0xBE, 0x0178}};
    size_t i = 0;
    while (i < n && !out->failed) {
        size_t run = i;
        while (i < n && s[i] && s[i] < 0x80)
            i++;
        wt_buf_add(out, s + run, i - run);
        if (i >= n)
            break;
        unsigned char c = s[i++];
        uint32_t cp = c;
        if (c == 0) {
            add_replacement(out, replaced);
            continue;
        }
        if (cs == WF_CS_WINDOWS_1252 && c >= 0x80 && c <= 0x9F)
            cp = wf_cp1252_c1[c - 0x80];
        if (cs == WF_CS_ISO_8859_15)
            for (size_t k = 0; k < sizeof latin9 / sizeof latin9[0]; k++)
                if (latin9[k].byte == c)
                    cp = latin9[k].cp;
        wt_utf8_add(out, cp);
    }
}

static void decode_utf16(wt_buf *out, const unsigned char *s, size_t n, bool big_endian,
                         size_t *replaced)
{
    size_t i = 0;
    while (i + 1 < n && !out->failed) {
        uint32_t u = big_endian ? (uint32_t)s[i] << 8 | s[i + 1] : (uint32_t)s[i + 1] << 8 | s[i];
        i += 2;
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < n) {
            uint32_t l = big_endian ? (uint32_t)s[i] << 8 | s[i + 1] : (uint32_t)s[i + 1] << 8 | s[i];
            if (l >= 0xDC00 && l <= 0xDFFF) {
                i += 2;
                wt_utf8_add(out, 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00));
                continue;
            }
        }
        if (u == 0 || (u >= 0xD800 && u <= 0xDFFF))
            add_replacement(out, replaced);
        else
            wt_utf8_add(out, u);
    }
    if (i < n) /* an odd byte at the end */
        add_replacement(out, replaced);
}

bool wf_decode(wt_buf *out, const char *s, size_t n, wf_charset cs, size_t *replaced)
{
    const unsigned char *u = (const unsigned char *)s;
    if (!wt_buf_reserve(out, n + n / 2))
        return false;
    switch (cs) {
    case WF_CS_WINDOWS_1252:
    case WF_CS_ISO_8859_15: decode_single_byte(out, u, n, cs, replaced); break;
    case WF_CS_UTF16LE: decode_utf16(out, u, n, false, replaced); break;
    case WF_CS_UTF16BE: decode_utf16(out, u, n, true, replaced); break;
    case WF_CS_UTF8:
    case WF_CS_UNKNOWN: decode_utf8(out, u, n, replaced); break;
    }
    return !out->failed;
}
