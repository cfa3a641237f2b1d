/* awk_regex.c: awk's EREs on the shared regex engine (tools/guest/regex,
 * the Rust regex crate's syntax). The translation keeps an ERE's meaning:
 * '.' matches a newline too (DOTALL), brackets are POSIX's ("[]a]", "[a-]",
 * "[[:alpha:]]", a backslash escapes as in awk), characters the engine
 * would read as its own syntax ('[' '&&' '--' '~~' inside brackets, a '{'
 * that starts no interval, a leading '*') are escaped, and awk's escapes
 * (\/ \" \n \t \ddd, \b as backspace) become the engine's. Matches are
 * POSIX's leftmost-longest (RX_LONGEST): match("abcd", /ab|abcd/) is 4 long. */
#include "awk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One character as the engine's literal (escaped when it is punctuation). */
static void lit(sh_buf *o, unsigned char c)
{
    if (c < 0x20 || c == 0x7f) {
        sh_buf_printf(o, "\\x%02X", c);
    } else if (c < 0x80 && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                             (c >= 'A' && c <= 'Z') || c == ' ')) {
        sh_buf_addc(o, '\\');
        sh_buf_addc(o, (char)c);
    } else {
        sh_buf_addc(o, (char)c);
    }
}

/* awk's escape at s[i] (after the backslash): the character it stands for,
 * -1 for one the engine must see as an escape of its own. *used: bytes. */
static int awk_escape(const char *s, size_t n, size_t i, size_t *used)
{
    *used = 1;
    if (i >= n)
        return '\\';
    char c = s[i];
    switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case 'f': return '\f';
    case 'v': return '\v';
    case 'a': return '\a';
    case 'b': return '\b';
    case '/': return '/';
    case '"': return '"';
    default:
        if (c >= '0' && c <= '7') {
            int v = 0;
            size_t k = 0;
            while (k < 3 && i + k < n && s[i + k] >= '0' && s[i + k] <= '7')
                v = v * 8 + (s[i + k++] - '0');
            *used = k;
            return v & 0xff;
        }
        return (unsigned char)c;
    }
}

/* A bracket expression at s[i] == '['; appends the engine's class. Returns
 * the index after it, or 0 when it does not close (then '[' is an error). */
static size_t bracket(sh_buf *o, const char *s, size_t n, size_t i)
{
    size_t k = i + 1;
    sh_buf_addc(o, '[');
    if (k < n && s[k] == '^') {
        sh_buf_addc(o, '^');
        k++;
    }
    bool first = true;
    while (k < n) {
        unsigned char c = (unsigned char)s[k];
        if (c == ']' && !first) {
            sh_buf_addc(o, ']');
            return k + 1;
        }
        first = false;
        if (c == '[' && k + 1 < n && s[k + 1] == ':') {
            const char *end = NULL;
            for (size_t e = k + 2; e + 1 < n; e++)
                if (s[e] == ':' && s[e + 1] == ']') {
                    end = s + e;
                    break;
                }
            if (end) {
                sh_buf_add(o, s + k, (size_t)(end - (s + k)) + 2);
                k = (size_t)(end - s) + 2;
                continue;
            }
        }
        if (c == '[' && k + 1 < n && (s[k + 1] == '.' || s[k + 1] == '=')) {
            /* [.c.] and [=c=]: the one character (C locale) */
            char d = s[k + 1];
            if (k + 4 < n && s[k + 3] == d && s[k + 4] == ']') {
                lit(o, (unsigned char)s[k + 2]);
                k += 5;
                continue;
            }
        }
        int ch = c;
        size_t used = 1;
        if (c == '\\' && k + 1 < n) {
            ch = awk_escape(s, n, k + 1, &used);
            used++;
        }
        k += used;
        lit(o, (unsigned char)ch);
        /* a range: c-d (a '-' last is itself) */
        if (k + 1 < n && s[k] == '-' && s[k + 1] != ']') {
            k++;
            unsigned char e = (unsigned char)s[k];
            size_t u2 = 1;
            int ech = e;
            if (e == '\\' && k + 1 < n) {
                ech = awk_escape(s, n, k + 1, &u2);
                u2++;
            }
            k += u2;
            sh_buf_addc(o, '-');
            lit(o, (unsigned char)ech);
        }
    }
    return 0;
}

/* Is s[i] == '{' an interval {n}, {n,}, {n,m}? Returns its length or 0. */
static size_t interval(const char *s, size_t n, size_t i)
{
    size_t k = i + 1, d = 0;
    while (k < n && s[k] >= '0' && s[k] <= '9')
        k++, d++;
    if (!d)
        return 0;
    if (k < n && s[k] == ',') {
        k++;
        while (k < n && s[k] >= '0' && s[k] <= '9')
            k++;
    }
    return k < n && s[k] == '}' ? k + 1 - i : 0;
}

/* The engine's pattern for an ERE; false with *bad at an unclosed '['. */
static bool translate(sh_buf *o, const char *s, size_t n, size_t *bad)
{
    bool can_repeat = false; /* something before that a quantifier applies to */
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '\\': {
            size_t used;
            if (i + 1 >= n) {
                sh_buf_adds(o, "\\\\");
                i++;
                break;
            }
            char e = s[i + 1];
            int ch = awk_escape(s, n, i + 1, &used);
            if (e == 'y') {          /* gawk's word boundary */
                sh_buf_adds(o, "\\b");
                i += 2;
                can_repeat = false;
                break;
            }
            if (e == '<' || e == '>' || e == 'B') {
                sh_buf_addc(o, '\\');
                sh_buf_addc(o, e);
                i += 2;
                can_repeat = false;
                break;
            }
            lit(o, (unsigned char)ch);
            i += 1 + used;
            can_repeat = true;
            break;
        }
        case '[': {
            size_t e = bracket(o, s, n, i);
            if (!e) {
                *bad = i;
                return false;
            }
            i = e;
            can_repeat = true;
            break;
        }
        case '{': {
            size_t k = can_repeat ? interval(s, n, i) : 0;
            if (k) {
                sh_buf_add(o, s + i, k);
                i += k;
            } else {
                sh_buf_adds(o, "\\{");
                i++;
                can_repeat = true;
            }
            break;
        }
        case '}':
            sh_buf_adds(o, "\\}");
            i++;
            can_repeat = true;
            break;
        case '*':
        case '+':
        case '?':
            if (can_repeat) {
                sh_buf_addc(o, (char)c);
                /* a quantifier after a quantifier: the engine would read "*?"
                 * as lazy; POSIX repeats again, which is the same set */
                while (i + 1 < n && (s[i + 1] == '*' || s[i + 1] == '+' || s[i + 1] == '?'))
                    i++;
            } else {
                lit(o, c);
                can_repeat = true;
            }
            i++;
            break;
        case '(':
            sh_buf_adds(o, "(?:");
            i++;
            can_repeat = false;
            break;
        case '|':
        case '^':
            sh_buf_addc(o, (char)c);
            i++;
            can_repeat = false;
            break;
        case ')':
        case '.':
        case '$':
            sh_buf_addc(o, (char)c);
            i++;
            can_repeat = c != '$';
            break;
        default:
            lit(o, c);
            i++;
            can_repeat = true;
            break;
        }
    }
    return true;
}

rx_prog *awk_rx_compile(shctx *sh, const char *ere, size_t n, const char *where)
{
    sh_buf o = {0};
    size_t bad = 0;
    if (!translate(&o, ere, n, &bad)) {
        sh_err(sh, "%s: fatal: invalid regexp /%.*s/: unmatched [ at offset %zu", where, (int)n, ere, bad);
        sh_buf_free(&o);
        return NULL;
    }
    rx_error err;
    rx_prog *p = rx_compile(o.data ? o.data : "", o.len, RX_DOTALL | RX_LONGEST, &err);
    sh_buf_free(&o);
    if (!p)
        sh_err(sh, "%s: fatal: invalid regexp /%.*s/: %s", where, (int)(n > 200 ? 200 : n), ere, err.msg);
    return p;
}

rx_prog *awk_rx_dynamic(awk_state *a, astr *s)
{
    for (int i = 0; i < AWK_RX_CACHE; i++) {
        arx_cache *c = &a->rxc[i];
        if (c->src && c->src->len == s->len && !memcmp(c->src->s, s->s, s->len))
            return c->re;
    }
    char where[64];
    snprintf(where, sizeof where, "%s:%d", a->src_name, a->cur_line);
    rx_prog *re = awk_rx_compile(a->sh, s->s, s->len, where);
    if (!re) {
        a->fatal = true;
        a->exit_code = 2;
        return NULL;
    }
    arx_cache *c = &a->rxc[a->rxc_next];
    a->rxc_next = (a->rxc_next + 1) % AWK_RX_CACHE;
    if (c->src) {
        astr_unref(c->src);
        rx_free(c->re);
    }
    c->src = astr_ref(s);
    c->re = re;
    return re;
}

bool awk_rx_match(rx_prog *re, const char *s, size_t n)
{
    return rx_is_match(re, s, n) == 1;
}
