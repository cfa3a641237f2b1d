/* numfmt: GNU's. Numbers to and from human sizes: --from=auto|si|iec|
 * iec-i, --to=si|iec|iec-i, --from-unit/--to-unit, --round, --suffix,
 * --padding, --format=%[0]['][-][N][.N]f, --field=FIELDS (as cut's),
 * -d X, --header[=N], --invalid=abort|fail|warn|ignore, -z; numbers are
 * the operands, or fields of stdin's lines (blank-separated fields keep
 * their blanks). What the sandbox changes: values are doubles (GNU's are
 * long doubles), so beyond 15 significant digits the last ones may
 * differ; the C locale has no grouping, so --grouping changes nothing. */
#include "../shell.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SC_NONE, SC_AUTO, SC_SI, SC_IEC, SC_IEC_I };
enum { R_UP, R_DOWN, R_FROM_ZERO, R_TO_ZERO, R_NEAREST };
enum { INV_ABORT, INV_FAIL, INV_WARN, INV_IGNORE };
enum { SSE_OK, SSE_LOSS, SSE_OVERFLOW, SSE_INVALID, SSE_FORBIDDEN, SSE_BAD_SUFFIX, SSE_MISSING_I };

#define MAX_UNSCALED_DIGITS 18
#define MAX_ACCEPTABLE_DIGITS 27

typedef struct {
    uint64_t lo, hi;
} range;

typedef struct {
    shctx *sh;
    int from, to, round, invalid;
    double from_unit, to_unit;
    const char *suffix;
    int64_t padding;
    bool auto_padding, grouping;
    int zero_padding_width;
    int user_precision;
    char *fmt_prefix, *fmt_suffix;
    range *fields;
    size_t nfields;
    char delim; /* 0: blanks (GNU's default); else the character */
    bool have_delim;
    sh_buf out;
    bool aborted; /* --invalid=abort: an error ends the run (status 2) */
} nf;

static double powi(double base, int x)
{
    double r = 1;
    while (x-- > 0)
        r *= base;
    return r;
}

static double expd(double v, int base, int *x)
{
    int p = 0;
    while ((v < 0 ? -v : v) >= base && p < 400) {
        v /= base;
        p++;
    }
    *x = p;
    return v;
}

static double round_ceil(double v)
{
    double i = (double)(int64_t)v;
    return i < v ? i + 1 : i;
}

static double simple_round(double v, int how)
{
    if (v > 9e18 || v < -9e18) /* past int64: already whole */
        return v;
    switch (how) {
    case R_UP: return round_ceil(v);
    case R_DOWN: return -round_ceil(-v);
    case R_FROM_ZERO: return v < 0 ? -round_ceil(-v) : round_ceil(v);
    case R_TO_ZERO: return (double)(int64_t)v;
    default: return (double)(int64_t)(v < 0 ? v - 0.5 : v + 0.5);
    }
}

static int scale_base(int sc)
{
    return sc == SC_IEC || sc == SC_IEC_I ? 1024 : 1000;
}

/* [-]digits, as GNU's simple_strtod_int */
static int strtod_int(const char *s, const char **end, double *v, bool *neg)
{
    int e = SSE_OK, digits = 0;
    bool found = false;
    double val = 0;
    *neg = *s == '-';
    if (*neg)
        s++;
    *end = s;
    while (isdigit((unsigned char)**end)) {
        int d = **end - '0';
        found = true;
        if (val != 0 || d)
            digits++;
        if (digits > MAX_UNSCALED_DIGITS)
            e = SSE_LOSS;
        if (digits > MAX_ACCEPTABLE_DIGITS)
            return SSE_OVERFLOW;
        val = val * 10 + d;
        (*end)++;
    }
    if (!found && **end != '.')
        return SSE_INVALID;
    *v = *neg ? -val : val;
    return e;
}

static int strtod_human(const nf *o, const char *s, const char **end, double *v, size_t *precision)
{
    bool neg;
    *precision = 0;
    int e = strtod_int(s, end, v, &neg);
    if (e != SSE_OK && e != SSE_LOSS)
        return e;
    if (**end == '.') {
        const char *p2;
        double frac = 0;
        bool nfrac;
        (*end)++;
        int e2 = strtod_int(*end, &p2, &frac, &nfrac);
        if (e2 != SSE_OK && e2 != SSE_LOSS)
            return e2;
        if (e2 == SSE_LOSS)
            e = e2;
        if (nfrac)
            return SSE_INVALID;
        size_t exponent = (size_t)(p2 - *end);
        frac /= powi(10, (int)exponent);
        *v = neg ? *v - frac : *v + frac;
        *precision = exponent;
        *end = p2;
    }
    int power = 0, base = scale_base(o->from);
    if (**end) {
        if (isblank((unsigned char)**end)) /* one blank between number and suffix */
            (*end)++;
        if (**end && !strchr("KMGTPEZY", **end)) {
            const char *t = *end;
            while (*t && (isblank((unsigned char)*t) || *t == '\n'))
                t++;
            if (*t)
                return SSE_BAD_SUFFIX;
            *end = t;
        } else if (**end) {
            if (o->from == SC_NONE)
                return SSE_FORBIDDEN;
            power = (int)(strchr("KMGTPEZY", **end) - "KMGTPEZY") + 1;
            (*end)++;
            if (o->from == SC_AUTO && **end == 'i') {
                base = 1024;
                (*end)++;
            } else if (o->from == SC_IEC_I) {
                if (**end != 'i')
                    return SSE_MISSING_I;
                (*end)++;
            }
            *precision = 0;
            while (**end && (isblank((unsigned char)**end) || **end == '\n'))
                (*end)++;
        }
    }
    *v *= powi(base, power);
    return e;
}

/* An error about input; false when it ends the run (--invalid=abort). */
static void conv_error(nf *o, const char *fmt, const char *a, const char *b)
{
    if (o->invalid == INV_IGNORE)
        return;
    if (b)
        sh_err(o->sh, fmt, sh_quote(o->sh, a), b);
    else
        sh_err(o->sh, fmt, sh_quote(o->sh, a));
    if (o->invalid == INV_ABORT)
        o->aborted = true;
}

static bool parse_number(nf *o, const char *s, double *v, size_t *precision)
{
    const char *end = NULL;
    int e = strtod_human(o, s, &end, v, precision);
    if (e != SSE_OK && e != SSE_LOSS) {
        static const char *const msg[] = {
            [SSE_OVERFLOW] = "value too large to be converted: %s",
            [SSE_INVALID] = "invalid number: %s",
            [SSE_FORBIDDEN] = "rejecting suffix in input: %s (consider using --from)",
            [SSE_BAD_SUFFIX] = "invalid suffix in input: %s",
            [SSE_MISSING_I] = "missing 'i' suffix in input: %s (e.g Ki/Mi/Gi)"};
        conv_error(o, msg[e], s, NULL);
        return false;
    }
    if (end && *end) {
        if (o->invalid != INV_IGNORE) {
            char q[300];
            snprintf(q, sizeof q, "%s", sh_quote(o->sh, end));
            sh_err(o->sh, "invalid suffix in input %s: %s", sh_quote(o->sh, s), q);
            if (o->invalid == INV_ABORT)
                o->aborted = true;
        }
        return false;
    }
    return true;
}

/* The number as GNU's double_to_human writes it. */
static void to_human(const nf *o, double val, int precision, sh_buf *b)
{
    char fmt[32];
    char *p = fmt;
    *p++ = '%';
    if (o->zero_padding_width)
        p += snprintf(p, sizeof fmt - 4, "0%d", o->zero_padding_width);
    if (o->to == SC_NONE) {
        double k = powi(10, precision);
        val = simple_round(val * k, o->round) / k;
        strcpy(p, ".*f%s");
        sh_buf_printf(b, fmt, precision, val, o->suffix ? o->suffix : "");
        return;
    }
    int base = scale_base(o->to), power;
    val = expd(val, base, &power);
    int adjust = 0;
    if (o->user_precision != -1)
        adjust = power * 3 < o->user_precision ? power * 3 : o->user_precision;
    else if ((val < 0 ? -val : val) < 10)
        adjust = 1;
    double k = powi(10, adjust);
    val = simple_round(val * k, o->round) / k;
    if ((val < 0 ? -val : val) >= base) {
        val /= base;
        power++;
    }
    bool show_point = val != 0 && (val < 0 ? -val : val) < 10 && power > 0;
    int prec = o->user_precision == -1 ? show_point : o->user_precision;
    static const char *const sfx[] = {"", "K", "M", "G", "T", "P", "E", "Z", "Y", "R", "Q"};
    strcpy(p, ".*f%s%s%s");
    sh_buf_printf(b, fmt, prec, val, power <= 10 ? sfx[power] : "(error)",
                  o->to == SC_IEC_I && power > 0 ? "i" : "", o->suffix ? o->suffix : "");
}

static bool include_field(const nf *o, uint64_t f)
{
    if (!o->nfields)
        return f == 1;
    for (size_t i = 0; i < o->nfields; i++)
        if (o->fields[i].lo <= f && f <= o->fields[i].hi)
            return true;
    return false;
}

/* One field (text is NUL-terminated, may start with blanks). */
static bool process_field(nf *o, char *text, uint64_t field)
{
    if (!include_field(o, field)) {
        sh_buf_adds(&o->out, text);
        return true;
    }
    if (o->suffix) {
        size_t tl = strlen(text), sl = strlen(o->suffix);
        if (tl > sl && !strcmp(text + tl - sl, o->suffix))
            text[tl - sl] = 0;
    }
    char *p = text;
    while (*p && isblank((unsigned char)*p))
        p++;
    int64_t padding = o->padding;
    if (o->auto_padding)
        padding = (text < p || field > 1) ? (int64_t)strlen(text) : 0;
    double v = 0;
    size_t precision = 0;
    bool ok = parse_number(o, p, &v, &precision);
    if (ok)
        v = v * o->from_unit / o->to_unit;
    if (ok) {
        size_t used = o->user_precision == -1 ? precision : (size_t)o->user_precision;
        int x;
        expd(v, 10, &x);
        if (o->to == SC_NONE && (size_t)x + used > MAX_UNSCALED_DIGITS) {
            if (o->invalid != INV_IGNORE) {
                if (used)
                    sh_err(o->sh, "value/precision too large to be printed: '%g/%zu' (consider using --to)",
                           v, used);
                else
                    sh_err(o->sh, "value too large to be printed: '%g' (consider using --to)", v);
                if (o->invalid == INV_ABORT)
                    o->aborted = true;
            }
            ok = false;
        } else if (x > MAX_ACCEPTABLE_DIGITS - 1) {
            if (o->invalid != INV_IGNORE) {
                sh_err(o->sh, "value too large to be printed: '%g' (cannot handle values > 999Y)", v);
                if (o->invalid == INV_ABORT)
                    o->aborted = true;
            }
            ok = false;
        }
        if (ok) {
            sh_buf num = {0};
            to_human(o, v, (int)used, &num);
            int64_t w = (int64_t)num.len, pad = 0;
            if (padding < 0 && padding < -w)
                pad = padding + w;
            else if (padding > 0 && w < padding)
                pad = padding - w;
            if (o->fmt_prefix)
                sh_buf_adds(&o->out, o->fmt_prefix);
            for (int64_t k = pad; k > 0; k--)
                sh_buf_addc(&o->out, ' ');
            sh_buf_add(&o->out, num.data, num.len);
            for (int64_t k = pad; k < 0; k++)
                sh_buf_addc(&o->out, ' ');
            if (o->fmt_suffix)
                sh_buf_adds(&o->out, o->fmt_suffix);
            sh_buf_free(&num);
            return true;
        }
    }
    if (!o->aborted)
        sh_buf_adds(&o->out, text);
    return false;
}

/* Fields as GNU's next_field cuts them: with blanks, a field keeps the
 * blanks before it; one delimiter between fields is written back. */
static bool process_line(nf *o, char *line, size_t len, bool newline, char eol)
{
    char *end = line + len;
    *end = 0;
    uint64_t field = 0;
    bool valid = true;
    for (;;) {
        field++;
        char *start = line, *fe = line;
        if (o->have_delim) {
            while (fe < end && *fe != o->delim)
                fe++;
        } else {
            while (fe < end && (isblank((unsigned char)*fe) || *fe == '\n'))
                fe++;
            while (fe < end && !(isblank((unsigned char)*fe) || *fe == '\n'))
                fe++;
        }
        if (fe < end) {
            char save = *fe;
            *fe = 0;
            if (!process_field(o, start, field))
                valid = false;
            *fe = save;
            if (o->aborted)
                return false;
            sh_buf_addc(&o->out, o->have_delim ? o->delim : ' ');
            line = fe + 1;
        } else {
            if (!process_field(o, start, field))
                valid = false;
            break;
        }
    }
    if (o->aborted)
        return false;
    if (newline)
        sh_buf_addc(&o->out, eol);
    return valid;
}

static bool argmatch(shctx *sh, const char *opt, const char *arg, const char *const *names, int *out)
{
    for (int i = 0; names[i]; i++)
        if (!strcmp(arg, names[i])) {
            *out = i;
            return true;
        }
    sh_buf m = {0};
    sh_buf_printf(&m, "invalid argument %s for '%s'\nValid arguments are:", sh_quote(sh, arg), opt);
    for (int i = 0; names[i]; i++)
        sh_buf_printf(&m, "\n  - '%s'", names[i]);
    sh_err(sh, "%s", m.data);
    sh_buf_free(&m);
    sh_try_help(sh);
    return false;
}

/* cut's field list: N, N-, N-M, -M, -, separated by commas. */
static bool parse_fields(shctx *sh, const char *s, nf *o)
{
    char *copy = sh_strdup(s), *save = NULL;
    bool ok = true;
    for (char *tok = strtok_r(copy, ",", &save); tok && ok; tok = strtok_r(NULL, ",", &save)) {
        range r = {1, UINT64_MAX};
        char *dash = strchr(tok, '-');
        int64_t a, b;
        if (!dash) {
            ok = sh_parse_int(tok, &a) && a >= 0 && isdigit((unsigned char)tok[0]);
            if (ok && a == 0) {
                sh_err(sh, "fields are numbered from 1");
                sh_try_help(sh);
                free(copy);
                return false;
            }
            r.lo = r.hi = (uint64_t)a;
        } else {
            *dash = 0;
            if (tok[0]) {
                ok = sh_parse_int(tok, &a) && a > 0 && isdigit((unsigned char)tok[0]);
                r.lo = (uint64_t)a;
            }
            if (ok && dash[1]) {
                ok = sh_parse_int(dash + 1, &b) && b > 0 && isdigit((unsigned char)dash[1]);
                r.hi = (uint64_t)b;
            }
            *dash = '-';
            if (ok && r.lo > r.hi) {
                sh_err(sh, "invalid decreasing range");
                sh_try_help(sh);
                free(copy);
                return false;
            }
        }
        if (!ok) {
            sh_err(sh, "invalid field value %s", sh_quote(sh, tok));
            sh_try_help(sh);
            free(copy);
            return false;
        }
        o->fields = sh_realloc(o->fields, (o->nfields + 1) * sizeof *o->fields);
        o->fields[o->nfields++] = r;
    }
    if (o->nfields == 0) {
        sh_err(sh, "missing list of fields");
        sh_try_help(sh);
        ok = false;
    }
    free(copy);
    return ok;
}

/* --from-unit/--to-unit: N with K=1000, Ki=1024 ... */
static bool unit_size(shctx *sh, const char *s, double *out)
{
    const char *p = s;
    double v = 0;
    while (isdigit((unsigned char)*p))
        v = v * 10 + (*p++ - '0');
    bool ok = p > s || (*p && strchr("KMGTPEZY", *p)); /* "K" alone is 1K */
    if (p == s)
        v = 1;
    if (ok && *p) {
        const char *k = strchr("KMGTPEZY", *p);
        ok = k && *p;
        int power = ok ? (int)(k - "KMGTPEZY") + 1 : 0;
        p++;
        double base = 1000;
        if (ok && *p == 'i') {
            base = 1024;
            p++;
        }
        ok = ok && !*p;
        v *= powi(base, power);
    }
    if (!ok || v == 0) {
        sh_err(sh, "invalid unit size: %s", sh_quote(sh, s));
        return false;
    }
    *out = v;
    return true;
}

/* --format: prefix, one %[0]['][-][N][.N]f, suffix. */
static bool parse_format(shctx *sh, const char *f, nf *o, bool *grouping)
{
    size_t i = 0;
    sh_buf pre = {0};
    for (; !(f[i] == '%' && f[i + 1] != '%'); i += (f[i] == '%') + 1) {
        if (!f[i]) {
            sh_err(sh, "format %s has no %% directive", sh_quote(sh, f));
            sh_buf_free(&pre);
            return false;
        }
        sh_buf_addc(&pre, f[i]);
    }
    i++;
    bool zero = false;
    for (;;) {
        size_t skip = strspn(f + i, " ");
        i += skip;
        if (f[i] == '\'') {
            *grouping = true;
            i++;
        } else if (f[i] == '0') {
            zero = true;
            i++;
        } else if (!skip)
            break;
    }
    char *endp;
    long long pad = strtoll(f + i, &endp, 10);
    if (pad != 0) {
        if (pad < 0)
            o->padding = pad;
        else if (zero)
            o->zero_padding_width = pad > 4096 ? 4096 : (int)pad;
        else
            o->padding = pad;
    }
    i = (size_t)(endp - f);
    if (!f[i]) {
        sh_err(sh, "format %s ends in %%", sh_quote(sh, f));
        sh_buf_free(&pre);
        return false;
    }
    if (f[i] == '.') {
        i++;
        errno = 0;
        long prec = strtol(f + i, &endp, 10);
        if (errno == ERANGE || prec < 0 || prec > 4096 || isblank((unsigned char)f[i]) || f[i] == '+') {
            sh_err(sh, "invalid precision in format %s", sh_quote(sh, f));
            sh_buf_free(&pre);
            return false;
        }
        o->user_precision = (int)prec;
        i = (size_t)(endp - f);
    }
    if (f[i] != 'f') {
        sh_err(sh, "invalid format %s, directive must be %%[0]['][-][N][.][N]f", sh_quote(sh, f));
        sh_buf_free(&pre);
        return false;
    }
    i++;
    size_t suffix_pos = i;
    for (; f[i]; i += (f[i] == '%') + 1) {
        if (f[i] == '%' && f[i + 1] != '%') {
            sh_err(sh, "format %s has too many %% directives", sh_quote(sh, f));
            sh_buf_free(&pre);
            return false;
        }
        if (f[i] == '%' && !f[i + 1])
            break;
    }
    if (pre.len)
        o->fmt_prefix = sh_buf_take(&pre);
    sh_buf_free(&pre);
    if (f[suffix_pos])
        o->fmt_suffix = sh_strdup(f + suffix_pos);
    return true;
}

int util_numfmt(shctx *sh, int argc, char **argv)
{
    enum { FROM = 256, FROM_UNIT, TO, TO_UNIT, ROUND, SUFFIX, GROUPING, PADDING, FIELD, DEBUG, HEADER, FORMAT, INVALID };
    static const sh_longopt lo[] = {
        {"from", SH_REQ_ARG, FROM}, {"from-unit", SH_REQ_ARG, FROM_UNIT}, {"to", SH_REQ_ARG, TO},
        {"to-unit", SH_REQ_ARG, TO_UNIT}, {"round", SH_REQ_ARG, ROUND}, {"padding", SH_REQ_ARG, PADDING},
        {"suffix", SH_REQ_ARG, SUFFIX}, {"grouping", SH_NO_ARG, GROUPING}, {"delimiter", SH_REQ_ARG, 'd'},
        {"field", SH_REQ_ARG, FIELD}, {"debug", SH_NO_ARG, DEBUG}, {"header", SH_OPT_ARG, HEADER},
        {"format", SH_REQ_ARG, FORMAT}, {"invalid", SH_REQ_ARG, INVALID}, {"zero-terminated", SH_NO_ARG, 'z'},
        {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    static const char *const from_names[] = {"none", "auto", "si", "iec", "iec-i", NULL};
    static const char *const to_names[] = {"none", "si", "iec", "iec-i", NULL};
    static const char *const round_names[] = {"up", "down", "from-zero", "towards-zero", "nearest", NULL};
    static const char *const inval_names[] = {"abort", "fail", "warn", "ignore", NULL};
    nf o = {0};
    o.sh = sh;
    o.round = R_FROM_ZERO;
    o.from_unit = o.to_unit = 1;
    o.user_precision = -1;
    const char *format = NULL;
    uint64_t header = 0;
    char eol = '\n';
    int status = 0;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c, k;
    while ((c = sh_getopt(sh, &st, argc, argv, "d:z", lo)) != -1) {
        switch (c) {
        case FROM:
            if (!argmatch(sh, "--from", st.arg, from_names, &o.from))
                goto usage;
            break;
        case TO:
            if (!argmatch(sh, "--to", st.arg, to_names, &k))
                goto usage;
            o.to = k == 0 ? SC_NONE : k + 1;
            break;
        case ROUND:
            if (!argmatch(sh, "--round", st.arg, round_names, &o.round))
                goto usage;
            break;
        case INVALID:
            if (!argmatch(sh, "--invalid", st.arg, inval_names, &o.invalid))
                goto usage;
            break;
        case FROM_UNIT:
            if (!unit_size(sh, st.arg, &o.from_unit))
                goto usage;
            break;
        case TO_UNIT:
            if (!unit_size(sh, st.arg, &o.to_unit))
                goto usage;
            break;
        case GROUPING: o.grouping = true; break;
        case PADDING: {
            int64_t v;
            bool digits = st.arg[0] && strspn(st.arg + (st.arg[0] == '-' || st.arg[0] == '+'), "0123456789") ==
                                           strlen(st.arg + (st.arg[0] == '-' || st.arg[0] == '+'));
            if (!sh_parse_int(st.arg, &v)) {
                if (!digits || st.arg[0] == ' ') {
                    sh_err(sh, "invalid padding value %s", sh_quote(sh, st.arg));
                    goto usage;
                }
                v = st.arg[0] == '-' ? INT64_MIN / 2 : INT64_MAX / 2; /* overflow: as GNU, very wide */
            }
            if (v == 0) {
                sh_err(sh, "invalid padding value %s", sh_quote(sh, st.arg));
                goto usage;
            }
            o.padding = v;
            break;
        }
        case FIELD:
            if (o.nfields) {
                sh_err(sh, "multiple field specifications");
                goto usage;
            }
            if (!parse_fields(sh, st.arg, &o))
                goto usage;
            break;
        case 'd':
            if (st.arg[0] && st.arg[1]) {
                sh_err(sh, "the delimiter must be a single character");
                goto usage;
            }
            o.delim = st.arg[0];
            o.have_delim = true;
            break;
        case 'z': eol = 0; break;
        case SUFFIX: o.suffix = st.arg; break;
        case DEBUG: break;
        case HEADER:
            if (st.arg) {
                int64_t v;
                if (!sh_parse_int(st.arg, &v) || v <= 0 || !isdigit((unsigned char)st.arg[0])) {
                    sh_err(sh, "invalid header value %s", sh_quote(sh, st.arg));
                    goto usage;
                }
                header = (uint64_t)v;
            } else {
                header = 1;
            }
            break;
        case FORMAT: format = st.arg; break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: numfmt [OPTION]... [NUMBER]...\n");
            goto done;
        default:
            goto usage;
        }
    }
    if (format && o.grouping) {
        sh_err(sh, "--grouping cannot be combined with --format");
        goto usage;
    }
    if (format && !parse_format(sh, format, &o, &o.grouping))
        goto usage;
    if (o.grouping && o.to != SC_NONE) {
        sh_err(sh, "grouping cannot be combined with --to");
        goto usage;
    }
    o.auto_padding = o.padding == 0 && !o.have_delim;
    bool valid = true;
    if (st.ind < argc) {
        for (int i = st.ind; i < argc && !o.aborted; i++) {
            char *copy = sh_strdup(argv[i]);
            if (!process_line(&o, copy, strlen(copy), true, eol))
                valid = false;
            free(copy);
        }
    } else {
        sh_stream *in = sh_input(sh, "-");
        sh_buf line = {0};
        ssize_t n;
        while (header > 0 && (n = sh_getdelim(in, &line, eol)) > 0) {
            sh_buf_add(&o.out, line.data, (size_t)n);
            header--;
        }
        while (!o.aborted && !sh_interrupted(sh) && (n = sh_getdelim(in, &line, eol)) > 0) {
            bool nl = line.data[n - 1] == eol;
            sh_buf_reserve(&line, 1);
            if (!process_line(&o, line.data, (size_t)n - nl, nl, eol))
                valid = false;
            if (o.out.len >= 65536) {
                if (!sh_write(sh_stdout(sh), o.out.data, o.out.len))
                    break;
                o.out.len = 0;
            }
        }
        sh_buf_free(&line);
    }
    if (o.out.len)
        sh_write(sh_stdout(sh), o.out.data, o.out.len);
    if (o.aborted || (!valid && o.invalid != INV_WARN && o.invalid != INV_IGNORE))
        status = 2;
    goto done;
usage:
    status = 1;
done:
    sh_buf_free(&o.out);
    free(o.fields);
    free(o.fmt_prefix);
    free(o.fmt_suffix);
    return status;
}
