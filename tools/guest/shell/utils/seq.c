/* seq: GNU's. seq [-f FMT] [-s SEP] [-w] [FIRST [INCR]] LAST. Decimal
 * arguments are done exactly (as integers scaled by a power of ten), and
 * printed with as many decimals as FIRST and INCR have, as GNU's does;
 * -f takes one %e/%f/%g conversion; -w pads with zeros to one width. */
#include "../shell.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    bool ok, exact; /* a plain decimal: exact as mant / 10^frac */
    int64_t mant;
    int frac;
    double d;
} num;

static num parse(const char *s)
{
    num n = {0};
    char *end;
    n.d = strtod(s, &end);
    n.ok = end != s && !*end && !isnan(n.d);
    if (!n.ok)
        return n;
    const char *p = s;
    bool neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    int64_t m = 0;
    bool dot = false;
    n.exact = true;
    for (; *p; p++) {
        if (*p == '.' && !dot) {
            dot = true;
            continue;
        }
        if (!isdigit((unsigned char)*p) || m > (INT64_MAX - 9) / 10) {
            n.exact = false;
            break;
        }
        m = m * 10 + (*p - '0');
        if (dot)
            n.frac++;
    }
    n.mant = neg ? -m : m;
    return n;
}

static int64_t scale(int64_t m, int by, bool *ok)
{
    while (by-- > 0) {
        if (m > INT64_MAX / 10 || m < INT64_MIN / 10)
            *ok = false;
        m *= 10;
    }
    return m;
}

/* v / 10^prec as a decimal with prec digits after the point; its length. */
static int fixed(char *t, int64_t v, int prec)
{
    if (!prec) { /* the common case, by the million: no snprintf */
        int n = 0;
        if (v < 0)
            t[n++] = '-';
        uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
        return n + (int)sh_fmt_u64(t + n, u);
    }
    int64_t p10 = 1;
    for (int q = 0; q < prec; q++)
        p10 *= 10;
    int64_t ip = v / p10, fp = v % p10;
    return snprintf(t, 80, "%s%lld.%0*lld", v < 0 && ip == 0 ? "-" : "", (long long)ip, prec,
                    (long long)(fp < 0 ? -fp : fp));
}

/* Operands of digits only (no sign, point or exponent). */
static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* Compare two digit strings without leading zeros as numbers. */
static int digits_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    if (an != bn)
        return an < bn ? -1 : 1;
    int c = memcmp(a, b, an);
    return (c > 0) - (c < 0);
}

/* v += s on digit strings (v has room for one more digit: cap > len). */
static size_t digits_add(char *v, size_t vn, const char *s, size_t sn)
{
    size_t n = vn > sn ? vn : sn;
    int carry = 0;
    char tmp[128];
    for (size_t k = 0; k < n; k++) {
        int d = carry + (k < vn ? v[vn - 1 - k] - '0' : 0) + (k < sn ? s[sn - 1 - k] - '0' : 0);
        tmp[k] = (char)('0' + d % 10);
        carry = d / 10;
    }
    if (carry)
        tmp[n++] = '1';
    for (size_t k = 0; k < n; k++)
        v[k] = tmp[n - 1 - k];
    return n;
}

/* Integers too large for 64 bits, counted as digit strings so that
 * `seq 18446744073709551614 18446744073709551615` prints both numbers
 * exactly (as GNU's does) instead of one rounded double for ever. At most
 * 100 digits an operand; more is left to the floating path. */
static bool seq_big(shctx *sh, const char *first, const char *incr, const char *last, const char *sep,
                    int *rc)
{
    while (*first == '0' && first[1])
        first++;
    while (*incr == '0' && incr[1])
        incr++;
    while (*last == '0' && last[1])
        last++;
    size_t fn = strlen(first), in = strlen(incr), ln = strlen(last);
    if (fn > 100 || in > 100 || ln > 100 || !strcmp(incr, "0"))
        return false;
    char v[128];
    memcpy(v, first, fn);
    size_t vn = fn;
    sh_stream *out = sh_stdout(sh);
    sh_buf b = {0};
    bool ok = true, any = false;
    while (digits_cmp(v, vn, last, ln) <= 0) {
        if (any)
            sh_buf_adds(&b, sep);
        any = true;
        sh_buf_add(&b, v, vn);
        if (b.len >= 65536) {
            if (!(ok = sh_write(out, b.data, b.len)))
                break;
            b.len = 0;
        }
        if (sh_interrupted(sh) || (vn = digits_add(v, vn, incr, in)) > 101)
            break;
    }
    if (ok && any) {
        sh_buf_addc(&b, '\n');
        ok = sh_write(out, b.data, b.len);
    }
    sh_buf_free(&b);
    *rc = ok ? 0 : 1;
    return true;
}

int util_seq(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"format", SH_REQ_ARG, 'f'}, {"separator", SH_REQ_ARG, 's'},
                                    {"equal-width", SH_NO_ARG, 'w'}, {"help", SH_NO_ARG, 'h'},
                                    {NULL, 0, 0}};
    const char *fmt = NULL, *sep = "\n";
    bool width = false;
    /* negative numbers are operands, not options */
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || isdigit((unsigned char)a[1]) || (a[1] == '.' && isdigit((unsigned char)a[2])))
            break;
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (!strcmp(a, "-w") || !strcmp(a, "--equal-width")) {
            width = true;
        } else if (!strcmp(a, "-f") && i + 1 < argc) {
            fmt = argv[++i];
        } else if (!strcmp(a, "-s") && i + 1 < argc) {
            sep = argv[++i];
        } else if (!strncmp(a, "-f", 2) && a[2]) {
            fmt = a + 2;
        } else if (!strncmp(a, "-s", 2) && a[2]) {
            sep = a + 2;
        } else if (!strncmp(a, "--format=", 9)) {
            fmt = a + 9;
        } else if (!strncmp(a, "--separator=", 12)) {
            sep = a + 12;
        } else if (!strcmp(a, "--help")) {
            sh_puts(sh_stdout(sh), "Usage: seq [OPTION]... LAST\n  or:  seq [OPTION]... FIRST LAST\n"
                                   "  or:  seq [OPTION]... FIRST INCREMENT LAST\n");
            return 0;
        } else {
            sh_getopt_state st = SH_GETOPT_INIT;
            char *v[3] = {argv[0], (char *)a, NULL};
            sh_getopt(sh, &st, 2, v, "f:s:w", lo);
            return 1;
        }
    }
    int nops = argc - i;
    if (nops < 1 || nops > 3) {
        if (nops < 1)
            sh_err(sh, "missing operand");
        else
            sh_err(sh, "extra operand %s", sh_quote(sh, argv[i + 3]));
        sh_try_help(sh);
        return 1;
    }
    num a[3];
    for (int k = 0; k < nops; k++) {
        a[k] = parse(argv[i + k]);
        if (!a[k].ok) {
            sh_err(sh, "invalid floating point argument: %s", sh_quote(sh, argv[i + k]));
            sh_try_help(sh);
            return 1;
        }
    }
    num first = nops > 1 ? a[0] : parse("1"), incr = nops > 2 ? a[1] : parse("1"), last = a[nops - 1];
    if (incr.d == 0) {
        sh_err(sh, "invalid Zero increment value: %s", sh_quote(sh, argv[i + 1]));
        sh_try_help(sh);
        return 1;
    }
    /* Beyond 64 bits, digits only: exact, on digit strings. */
    int big_rc;
    if (!fmt && !width && !(first.exact && incr.exact && last.exact) && all_digits(argv[i]) &&
        all_digits(argv[argc - 1]) && (nops < 3 || all_digits(argv[i + 1])) &&
        seq_big(sh, nops > 1 ? argv[i] : "1", nops > 2 ? argv[i + 1] : "1", argv[argc - 1], sep, &big_rc))
        return big_rc;
    int prec = first.frac > incr.frac ? first.frac : incr.frac;
    sh_stream *out = sh_stdout(sh);
    sh_buf b = {0};
    bool ok = true, any = false;
    if (!fmt && first.exact && incr.exact && last.exact) {
        /* exact: everything as integers scaled by 10^sc */
        int sc = prec > last.frac ? prec : last.frac;
        bool fits = true;
        int64_t f = scale(first.mant, sc - first.frac, &fits), s = scale(incr.mant, sc - incr.frac, &fits),
                l = scale(last.mant, sc - last.frac, &fits);
        int64_t div = 1;
        for (int k = sc; k > prec; k--)
            div *= 10;
        if (fits) {
            char t[80];
            int w = 0;
            if (width) {
                int wf = fixed(t, f / div, prec), wl = fixed(t, l / div, prec);
                w = wf > wl ? wf : wl;
            }
            for (int64_t k = 0;; k++) {
                int64_t v;
                if (__builtin_mul_overflow(k, s, &v) || __builtin_add_overflow(v, f, &v))
                    break;
                if ((s > 0 && v > l) || (s < 0 && v < l))
                    break;
                int n = fixed(t, v / div, prec);
                if (any)
                    sh_buf_adds(&b, sep);
                any = true;
                int z = w - n;
                int sign = t[0] == '-';
                sh_buf_add(&b, t, (size_t)sign);
                for (; z > 0; z--)
                    sh_buf_addc(&b, '0');
                sh_buf_add(&b, t + sign, (size_t)(n - sign));
                if (b.len >= 65536) {
                    if (!(ok = sh_write(out, b.data, b.len)))
                        break;
                    b.len = 0;
                }
                if (sh_interrupted(sh))
                    break;
            }
            goto finish;
        }
    }
    {
        char f2[64];
        if (!fmt) {
            snprintf(f2, sizeof f2, "%%.%df", prec);
            fmt = f2;
        } else {
            /* exactly one floating conversion */
            int convs = 0;
            for (const char *p = fmt; *p; p++) {
                if (*p != '%')
                    continue;
                if (p[1] == '%') {
                    p++;
                    continue;
                }
                const char *q = p + 1;
                while (*q && strchr("-+ #0'.123456789", *q))
                    q++;
                if (*q == 'L' || *q == 'l')
                    q++;
                if (!*q || !strchr("eEfFgGaA", *q)) {
                    sh_err(sh, "format %s has unknown %%%c directive", sh_quote(sh, fmt), *q ? *q : ' ');
                    return 1;
                }
                convs++;
            }
            if (convs != 1) {
                sh_err(sh, convs ? "format %s has too many %% directives" : "format %s has no %% directive",
                       sh_quote(sh, fmt));
                return 1;
            }
        }
        for (int64_t k = 0;; k++) {
            double v = first.d + (double)k * incr.d;
            if ((incr.d > 0 && v > last.d) || (incr.d < 0 && v < last.d))
                break;
            if (any)
                sh_buf_adds(&b, sep);
            any = true;
            sh_buf_printf(&b, fmt, v);
            if (b.len >= 65536) {
                if (!(ok = sh_write(out, b.data, b.len)))
                    break;
                b.len = 0;
            }
            if (sh_interrupted(sh))
                break;
        }
    }
finish:
    if (ok && any) {
        sh_buf_addc(&b, '\n');
        ok = sh_write(out, b.data, b.len);
    }
    sh_buf_free(&b);
    return ok ? 0 : 1;
}
