/* printf: bash's builtin. The format is used again while arguments are
 * left; missing arguments are "" or 0. Conversions %s %b %q %c %d %i %o %u
 * %x %X %e %E %f %F %g %G %a %A %%, with flags, width and precision (also
 * from arguments: *). Numbers may be 0x.., 0.., or 'c for a character's
 * code; a bad one is reported ("printf: abc: invalid number", status 1)
 * and its valid prefix used. -v NAME assigns instead of printing. */
#include "../shell.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    shctx *sh;
    char **args;
    int nargs, next;
    bool bad;  /* an argument was not a valid number */
    bool stop; /* \c in %b: no more output at all */
} pf;

static const char *next_arg(pf *p)
{
    return p->next < p->nargs ? p->args[p->next++] : NULL;
}

static int hexv(char c)
{
    return isdigit((unsigned char)c) ? c - '0' : isxdigit((unsigned char)c) ? tolower((unsigned char)c) - 'a' + 10 : -1;
}

static void put_utf8(sh_buf *b, unsigned v)
{
    if (v < 0x80) {
        sh_buf_addc(b, (char)v);
    } else if (v < 0x800) {
        sh_buf_addc(b, (char)(0xc0 | (v >> 6)));
        sh_buf_addc(b, (char)(0x80 | (v & 0x3f)));
    } else if (v < 0x10000) {
        sh_buf_addc(b, (char)(0xe0 | (v >> 12)));
        sh_buf_addc(b, (char)(0x80 | ((v >> 6) & 0x3f)));
        sh_buf_addc(b, (char)(0x80 | (v & 0x3f)));
    } else if (v < 0x110000) {
        sh_buf_addc(b, (char)(0xf0 | (v >> 18)));
        sh_buf_addc(b, (char)(0x80 | ((v >> 12) & 0x3f)));
        sh_buf_addc(b, (char)(0x80 | ((v >> 6) & 0x3f)));
        sh_buf_addc(b, (char)(0x80 | (v & 0x3f)));
    }
}

/* One backslash escape at s (after the backslash); how many bytes it took.
 * in_b: %b's rules (\0NNN octal, \c stops). */
static size_t escape(pf *p, sh_buf *out, const char *s, bool in_b)
{
    unsigned v = 0;
    int k, d;
    switch (*s) {
    case 'a': sh_buf_addc(out, '\a'); return 1;
    case 'b': sh_buf_addc(out, '\b'); return 1;
    case 'e':
    case 'E': sh_buf_addc(out, 27); return 1;
    case 'f': sh_buf_addc(out, '\f'); return 1;
    case 'n': sh_buf_addc(out, '\n'); return 1;
    case 'r': sh_buf_addc(out, '\r'); return 1;
    case 't': sh_buf_addc(out, '\t'); return 1;
    case 'v': sh_buf_addc(out, '\v'); return 1;
    case '\\': sh_buf_addc(out, '\\'); return 1;
    case '"': sh_buf_addc(out, '"'); return 1;
    case '\'': sh_buf_addc(out, '\''); return 1;
    case '?': sh_buf_addc(out, '?'); return 1;
    case 'c':
        if (in_b) {
            p->stop = true;
            return 1;
        }
        break;
    case 'x':
        for (k = 0; k < 2 && (d = hexv(s[1 + k])) >= 0; k++)
            v = v * 16 + (unsigned)d;
        if (!k)
            break;
        sh_buf_addc(out, (char)v);
        return 1 + (size_t)k;
    case 'u':
    case 'U':
        for (k = 0; k < (*s == 'u' ? 4 : 8) && (d = hexv(s[1 + k])) >= 0; k++)
            v = v * 16 + (unsigned)d;
        if (!k)
            break;
        put_utf8(out, v);
        return 1 + (size_t)k;
    default:
        if (*s >= '0' && *s <= '7') {
            size_t i = in_b && *s == '0' ? 1 : 0;
            for (k = 0; k < 3 && s[i] >= '0' && s[i] <= '7'; k++, i++)
                v = v * 8 + (unsigned)(s[i] - '0');
            sh_buf_addc(out, (char)v);
            return i ? i : 1;
        }
    }
    sh_buf_addc(out, '\\');
    if (*s)
        sh_buf_addc(out, *s);
    return *s ? 1 : 0;
}

static void bad_number(pf *p, const char *a)
{
    sh_err(p->sh, "%s: invalid number", a);
    p->bad = true;
}

/* An integer argument: decimal, 0x hex, 0 octal, 'c or "c. */
static intmax_t int_arg(pf *p, const char *a, bool *is_unsigned, uintmax_t *u)
{
    *is_unsigned = false;
    if (!a || !*a)
        return 0;
    if (a[0] == '\'' || a[0] == '"')
        return (unsigned char)a[1];
    const char *s = a;
    while (isspace((unsigned char)*s))
        s++;
    errno = 0;
    char *end;
    intmax_t v;
    if (*s == '-' || *s == '+') {
        v = strtoimax(s, &end, 0);
    } else {
        *u = strtoumax(s, &end, 0);
        *is_unsigned = *u > INTMAX_MAX;
        v = (intmax_t)*u;
    }
    if (errno == ERANGE) {
        sh_err(p->sh, "%s: Numerical result out of range", a);
        p->bad = true;
    } else if (*end || end == s) {
        bad_number(p, a);
    }
    return v;
}

static double float_arg(pf *p, const char *a)
{
    if (!a || !*a)
        return 0;
    if (a[0] == '\'' || a[0] == '"')
        return (unsigned char)a[1];
    char *end;
    errno = 0;
    double v = strtod(a, &end);
    if (*end || end == a)
        bad_number(p, a);
    return v;
}

/* bash's %q: backslashes before special characters, $'...' when there
 * are control characters, '' for nothing. */
static void quote_q(sh_buf *out, const char *s)
{
    if (!*s) {
        sh_buf_adds(out, "''");
        return;
    }
    bool ctrl = false;
    for (const char *c = s; *c; c++)
        if ((unsigned char)*c < 32 || *c == 127)
            ctrl = true;
    if (ctrl) {
        sh_buf_adds(out, "$'");
        for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
            switch (*c) {
            case '\n': sh_buf_adds(out, "\\n"); break;
            case '\t': sh_buf_adds(out, "\\t"); break;
            case '\r': sh_buf_adds(out, "\\r"); break;
            case 27: sh_buf_adds(out, "\\E"); break;
            case '\a': sh_buf_adds(out, "\\a"); break;
            case '\b': sh_buf_adds(out, "\\b"); break;
            case '\f': sh_buf_adds(out, "\\f"); break;
            case '\v': sh_buf_adds(out, "\\v"); break;
            case '\\': sh_buf_adds(out, "\\\\"); break;
            case '\'': sh_buf_adds(out, "\\'"); break;
            default:
                if (*c < 32 || *c == 127)
                    sh_buf_printf(out, "\\%03o", *c);
                else
                    sh_buf_addc(out, (char)*c);
            }
        }
        sh_buf_addc(out, '\'');
        return;
    }
    for (const char *c = s; *c; c++) {
        if (strchr(" \t\n'\"\\|&;()<>!{}*[?]^$`,", *c) || ((*c == '~') && (c == s || c[-1] == '=' || c[-1] == ':')) ||
            (*c == '#' && c == s))
            sh_buf_addc(out, '\\');
        sh_buf_addc(out, *c);
    }
}

/* One pass over the format; false when it has no conversion. */
static bool one_pass(pf *p, const char *fmt, sh_buf *out)
{
    bool conv = false;
    for (const char *f = fmt; *f && !p->stop; f++) {
        if (*f == '\\') {
            f += escape(p, out, f + 1, false);
            continue;
        }
        if (*f != '%') {
            sh_buf_addc(out, *f);
            continue;
        }
        if (f[1] == '%') {
            sh_buf_addc(out, '%');
            f++;
            continue;
        }
        /* %[flags][width][.precision]conv */
        char spec[64];
        size_t n = 0;
        spec[n++] = '%';
        const char *q = f + 1;
        while (*q && strchr("-+ #0'", *q) && n < 20)
            spec[n++] = *q++;
        int width = -1, prec = -1;
        bool have_w = false, have_p = false;
        if (*q == '*') {
            bool u;
            uintmax_t uv;
            width = (int)int_arg(p, next_arg(p), &u, &uv);
            have_w = true;
            q++;
        } else {
            while (isdigit((unsigned char)*q) && n < 40)
                spec[n++] = *q++;
        }
        if (*q == '.') {
            q++;
            if (*q == '*') {
                bool u;
                uintmax_t uv;
                prec = (int)int_arg(p, next_arg(p), &u, &uv);
                have_p = true;
                q++;
            } else {
                spec[n++] = '.';
                while (isdigit((unsigned char)*q) && n < 60)
                    spec[n++] = *q++;
            }
        }
        while (*q == 'l' || *q == 'h' || *q == 'L' || *q == 'j' || *q == 'z' || *q == 't')
            q++; /* length modifiers mean nothing here */
        char c = *q;
        if (!c || !strchr("sbqcdiouxXeEfFgGaA", c)) {
            sh_err(p->sh, "%%%c: invalid format character", c ? c : ' ');
            p->bad = true;
            p->stop = true;
            return conv;
        }
        conv = true;
        f = q;
        if (have_w) {
            n += (size_t)snprintf(spec + n, sizeof spec - n, "%d", width);
        }
        if (have_p)
            n += (size_t)snprintf(spec + n, sizeof spec - n, ".%d", prec);
        const char *a = next_arg(p);
        switch (c) {
        case 's':
        case 'b':
        case 'q': {
            sh_buf text = {0};
            if (c == 's') {
                sh_buf_adds(&text, a ? a : "");
            } else if (c == 'q') {
                quote_q(&text, a ? a : "");
            } else {
                for (const char *s = a ? a : ""; *s && !p->stop; s++) {
                    if (*s == '\\' && s[1])
                        s += escape(p, &text, s + 1, true);
                    else
                        sh_buf_addc(&text, *s);
                }
            }
            spec[n++] = 's';
            spec[n] = 0;
            sh_buf_printf(out, spec, text.data ? text.data : "");
            sh_buf_free(&text);
            break;
        }
        case 'c':
            spec[n++] = 'c';
            spec[n] = 0;
            if (a && *a)
                sh_buf_printf(out, spec, *a);
            else {
                spec[n - 1] = 's';
                sh_buf_printf(out, spec, "");
            }
            break;
        case 'd':
        case 'i': {
            bool u;
            uintmax_t uv;
            intmax_t v = int_arg(p, a, &u, &uv);
            memcpy(spec + n, "jd", 3);
            sh_buf_printf(out, spec, v);
            break;
        }
        case 'o':
        case 'u':
        case 'x':
        case 'X': {
            bool u;
            uintmax_t uv = 0;
            intmax_t v = int_arg(p, a, &u, &uv);
            spec[n++] = 'j';
            spec[n++] = c;
            spec[n] = 0;
            sh_buf_printf(out, spec, u ? uv : (uintmax_t)v);
            break;
        }
        default: {
            double v = float_arg(p, a);
            spec[n++] = c;
            spec[n] = 0;
            sh_buf_printf(out, spec, v);
        }
        }
    }
    return conv;
}

int util_printf(shctx *sh, int argc, char **argv)
{
    int i = 1;
    const char *var = NULL;
    if (i < argc && !strcmp(argv[i], "-v")) {
        if (i + 1 >= argc) {
            sh_err(sh, "-v: option requires an argument");
            sh_puts(sh_stderr(sh), "printf: usage: printf [-v var] format [arguments]\n");
            return 2;
        }
        var = argv[i + 1];
        i += 2;
    }
    if (i < argc && !strcmp(argv[i], "--"))
        i++;
    if (i >= argc) {
        sh_puts(sh_stderr(sh), "printf: usage: printf [-v var] format [arguments]\n");
        return 2;
    }
    pf p = {sh, argv + i + 1, argc - i - 1, 0, false, false};
    sh_buf out = {0};
    do {
        if (!one_pass(&p, argv[i], &out))
            break;
    } while (p.next < p.nargs && !p.stop);
    bool ok;
    if (var)
        ok = sh_setvar(sh, var, out.data ? out.data : "");
    else
        ok = sh_write(sh_stdout(sh), out.data ? out.data : "", out.len);
    sh_buf_free(&out);
    return p.bad || !ok ? 1 : 0;
}
