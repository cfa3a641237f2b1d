/* tool_json.c: the shell tool's JSON, until the guest-tool library
 * (tools/guest/lib, being written at the same time) is on main and this
 * file is replaced by it. Strict RFC 8259 like that library: one object,
 * no duplicate keys, valid UTF-8, no lone surrogates, nesting at most 64;
 * errors name the byte offset. The writer escapes control characters and
 * replaces invalid UTF-8 with U+FFFD, streaming to stdout without
 * allocating (so an out-of-memory result can still be printed). */
#include "tool_json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_DEPTH 64

typedef struct {
    const unsigned char *s;
    size_t n, i;
    sh_buf *err;
    bool failed;
} jp;

static bool jfail(jp *p, const char *what)
{
    if (!p->failed)
        sh_buf_printf(p->err, "input: not valid JSON: offset %zu: %s", p->i, what);
    p->failed = true;
    return false;
}

static void ws(jp *p)
{
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r'))
        p->i++;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
size_t tj_utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned min;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    unsigned cp = c & (0xff >> (len + 1));
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

static void put_utf8(sh_buf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        u[0] = (char)(0xf0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    sh_buf_add(b, u, n);
}

static int hex4(jp *p, unsigned *v)
{
    if (p->n - p->i < 4)
        return jfail(p, "incomplete \\u escape");
    *v = 0;
    for (int k = 0; k < 4; k++) {
        unsigned char c = p->s[p->i++];
        unsigned d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 16;
        if (d == 16)
            return jfail(p, "bad \\u escape");
        *v = *v * 16 + d;
    }
    return true;
}

/* A string at p->i (the opening quote); decoded into out when out. */
static bool jstring(jp *p, sh_buf *out)
{
    p->i++;
    for (;;) {
        if (p->i >= p->n)
            return jfail(p, "unterminated string");
        unsigned char c = p->s[p->i];
        if (c == '"') {
            p->i++;
            return true;
        }
        if (c < 0x20)
            return jfail(p, "control character in a string");
        if (c == '\\') {
            p->i++;
            if (p->i >= p->n)
                return jfail(p, "unterminated string");
            char e = (char)p->s[p->i++];
            const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
            const char *k = strchr(from, e);
            if (e && k) {
                if (out)
                    sh_buf_addc(out, to[k - from]);
                continue;
            }
            if (e != 'u')
                return jfail(p, "bad escape");
            unsigned v;
            if (!hex4(p, &v))
                return false;
            if (v >= 0xdc00 && v <= 0xdfff)
                return jfail(p, "lone low surrogate");
            if (v >= 0xd800 && v <= 0xdbff) {
                unsigned lo;
                if (p->n - p->i < 2 || p->s[p->i] != '\\' || p->s[p->i + 1] != 'u')
                    return jfail(p, "lone high surrogate");
                p->i += 2;
                if (!hex4(p, &lo))
                    return false;
                if (lo < 0xdc00 || lo > 0xdfff)
                    return jfail(p, "lone high surrogate");
                v = 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00);
            }
            if (out)
                put_utf8(out, v);
            continue;
        }
        size_t len = tj_utf8_len(p->s + p->i, p->n - p->i);
        if (!len)
            return jfail(p, "invalid UTF-8");
        if (out)
            sh_buf_add(out, p->s + p->i, len);
        p->i += len;
    }
}

static bool jvalue(jp *p, int depth);

static bool jnumber(jp *p)
{
    size_t s = p->i;
    if (p->i < p->n && p->s[p->i] == '-')
        p->i++;
    if (p->i >= p->n)
        return jfail(p, "bad number");
    if (p->s[p->i] == '0') {
        p->i++;
    } else if (p->s[p->i] >= '1' && p->s[p->i] <= '9') {
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
    } else {
        return jfail(p, "unexpected character");
    }
    if (p->i < p->n && p->s[p->i] == '.') {
        p->i++;
        size_t d = p->i;
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
        if (d == p->i)
            return jfail(p, "bad number");
    }
    if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        p->i++;
        if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
            p->i++;
        size_t d = p->i;
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
        if (d == p->i)
            return jfail(p, "bad number");
    }
    return p->i > s;
}

static bool jlit(jp *p, const char *w)
{
    size_t n = strlen(w);
    if (p->n - p->i < n || memcmp(p->s + p->i, w, n))
        return jfail(p, "unexpected character");
    p->i += n;
    return true;
}

static bool jcontainer(jp *p, int depth, bool object)
{
    if (depth >= MAX_DEPTH)
        return jfail(p, "nested more than 64 levels");
    p->i++;
    ws(p);
    char close = object ? '}' : ']';
    if (p->i < p->n && p->s[p->i] == close) {
        p->i++;
        return true;
    }
    for (;;) {
        ws(p);
        if (object) {
            if (p->i >= p->n || p->s[p->i] != '"')
                return jfail(p, "expected a string key in an object");
            if (!jstring(p, NULL))
                return false;
            ws(p);
            if (p->i >= p->n || p->s[p->i] != ':')
                return jfail(p, "expected ':'");
            p->i++;
        }
        if (!jvalue(p, depth + 1))
            return false;
        ws(p);
        if (p->i < p->n && p->s[p->i] == ',') {
            p->i++;
            continue;
        }
        if (p->i < p->n && p->s[p->i] == close) {
            p->i++;
            return true;
        }
        return jfail(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static bool jvalue(jp *p, int depth)
{
    ws(p);
    if (p->i >= p->n)
        return jfail(p, "unexpected end of input");
    switch (p->s[p->i]) {
    case '{':
        return jcontainer(p, depth, true);
    case '[':
        return jcontainer(p, depth, false);
    case '"':
        return jstring(p, NULL);
    case 't':
        return jlit(p, "true");
    case 'f':
        return jlit(p, "false");
    case 'n':
        return jlit(p, "null");
    default:
        return jnumber(p);
    }
}

static const char *type_at(const unsigned char *s)
{
    switch (*s) {
    case '{': return "an object";
    case '[': return "an array";
    case '"': return "a string";
    case 't':
    case 'f': return "a boolean";
    case 'n': return "null";
    default: return "a number";
    }
}

bool tj_parse_object(const char *text, size_t n, tj_field *fields, size_t nfields, sh_buf *err)
{
    jp p = {(const unsigned char *)text, n, 0, err, false};
    ws(&p);
    if (p.i >= n || p.s[p.i] != '{') {
        size_t start = p.i;
        if (p.i < n && jvalue(&p, 0)) {
            ws(&p);
            if (p.i == n) {
                sh_buf_printf(err, "input: expected a JSON object, got %s", type_at(p.s + start));
                return false;
            }
        }
        if (!p.failed)
            jfail(&p, p.i >= n ? "unexpected end of input" : "expected a JSON object");
        return false;
    }
    p.i++;
    ws(&p);
    sh_buf unknown = {0};
    if (p.i < n && p.s[p.i] == '}') {
        p.i++;
    } else {
        for (;;) {
            ws(&p);
            if (p.i >= n || p.s[p.i] != '"') {
                jfail(&p, "expected a string key in an object");
                break;
            }
            sh_buf key = {0};
            size_t key_at = p.i;
            if (!jstring(&p, &key)) {
                sh_buf_free(&key);
                break;
            }
            ws(&p);
            if (p.i >= n || p.s[p.i] != ':') {
                sh_buf_free(&key);
                jfail(&p, "expected ':'");
                break;
            }
            p.i++;
            ws(&p);
            size_t vstart = p.i;
            tj_field *f = NULL;
            for (size_t k = 0; k < nfields; k++)
                if (key.data && strlen(key.data) == key.len && !strcmp(key.data, fields[k].name))
                    f = &fields[k];
            if (f && f->present) {
                p.i = key_at;
                sh_buf m = {0};
                sh_buf_printf(&m, "duplicate key \"%s\"", f->name);
                jfail(&p, m.data);
                sh_buf_free(&m);
                sh_buf_free(&key);
                break;
            }
            bool ok;
            if (f && p.i < n && p.s[p.i] == '"') {
                sh_buf v = {0};
                ok = jstring(&p, &v);
                f->len = v.len;
                f->value = sh_buf_take(&v);
                f->is_string = true;
            } else {
                ok = jvalue(&p, 1);
                if (f && ok)
                    f->type = type_at(p.s + vstart);
            }
            if (f) {
                f->present = true;
            } else if (ok) {
                if (unknown.len)
                    sh_buf_adds(&unknown, "\n");
                sh_buf_printf(&unknown, "%s: unknown field", key.data ? key.data : "");
            }
            sh_buf_free(&key);
            if (!ok)
                break;
            ws(&p);
            if (p.i < n && p.s[p.i] == ',') {
                p.i++;
                continue;
            }
            if (p.i < n && p.s[p.i] == '}') {
                p.i++;
                break;
            }
            jfail(&p, "expected ',' or '}'");
            break;
        }
    }
    if (!p.failed) {
        ws(&p);
        if (p.i < n)
            jfail(&p, "trailing characters after the object");
    }
    if (p.failed) {
        sh_buf_free(&unknown);
        return false;
    }
    if (unknown.len) {
        sh_buf_add(err, unknown.data, unknown.len);
        sh_buf_free(&unknown);
        return false;
    }
    return true;
}

/* ---- writer ------------------------------------------------------------------ */

static char obuf[16384];
static size_t olen;
static bool ofailed;

void tj_flush(void)
{
    size_t off = 0;
    while (off < olen && !ofailed) {
        ssize_t w = write(1, obuf + off, olen - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            ofailed = true;
            break;
        }
        off += (size_t)w;
    }
    olen = 0;
}

bool tj_failed(void)
{
    return ofailed;
}

void tj_raw(const char *s, size_t n)
{
    while (n) {
        if (olen == sizeof obuf)
            tj_flush();
        size_t k = sizeof obuf - olen < n ? sizeof obuf - olen : n;
        memcpy(obuf + olen, s, k);
        olen += k;
        s += k;
        n -= k;
    }
}

void tj_raws(const char *s)
{
    tj_raw(s, strlen(s));
}

void tj_string_chunk(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char c = u[i];
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            tj_raw(e, 2);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            char e[8];
            switch (c) {
            case '\n': tj_raw("\\n", 2); break;
            case '\t': tj_raw("\\t", 2); break;
            case '\r': tj_raw("\\r", 2); break;
            case '\b': tj_raw("\\b", 2); break;
            case '\f': tj_raw("\\f", 2); break;
            default:
                snprintf(e, sizeof e, "\\u%04x", c);
                tj_raw(e, 6);
            }
            i++;
        } else if (c < 0x80) {
            size_t j = i;
            while (j < n && u[j] >= 0x20 && u[j] < 0x7f && u[j] != '"' && u[j] != '\\')
                j++;
            tj_raw(s + i, j - i);
            i = j;
        } else {
            size_t len = tj_utf8_len(u + i, n - i);
            if (len) {
                tj_raw(s + i, len);
                i += len;
            } else {
                tj_raw("\xef\xbf\xbd", 3); /* U+FFFD for each invalid byte */
                i++;
            }
        }
    }
}

void tj_string(const char *s, size_t n)
{
    tj_raw("\"", 1);
    tj_string_chunk(s, n);
    tj_raw("\"", 1);
}
