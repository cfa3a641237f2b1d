/* awk_builtin.c: awk's built-in functions (string, arithmetic, I/O) and
 * printf/sprintf's formatting (POSIX's conversions c d i o u x X e E f F
 * g G a A s %, flags, width and precision, '*' from the arguments). */
#include "awk.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const aval uninit = {0, 0, NULL};

/* Width and precision are bounded so that "%999999999d" cannot take all memory. */
#define MAX_WIDTH (1 << 24)

static void pad(sh_buf *out, size_t n, char c)
{
    sh_buf_reserve(out, n);
    memset(out->data + out->len, c, n);
    out->len += n;
    out->data[out->len] = 0;
}

/* A string with width and precision, by hand (it may hold NULs). */
static void put_str(sh_buf *out, const char *s, size_t n, bool left, long width, long prec)
{
    if (prec >= 0 && (size_t)prec < n)
        n = (size_t)prec;
    size_t w = width > 0 ? (size_t)width : 0;
    if (!left && w > n)
        pad(out, w - n, ' ');
    sh_buf_add(out, s, n);
    if (left && w > n)
        pad(out, w - n, ' ');
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void awk_format(awk_state *a, sh_buf *out, const char *fmt, size_t len, anode *args)
{
    anode *arg = args;
    for (size_t i = 0; i < len && !a->fatal;) {
        if (fmt[i] != '%') {
            size_t j = i;
            while (j < len && fmt[j] != '%')
                j++;
            sh_buf_add(out, fmt + i, j - i);
            i = j;
            continue;
        }
        if (i + 1 < len && fmt[i + 1] == '%') {
            sh_buf_addc(out, '%');
            i += 2;
            continue;
        }
        size_t start = i++;
        char flags[8];
        int nf = 0;
        bool left = false;
        while (i < len && strchr("-+ #0", fmt[i]) && fmt[i]) {
            if (fmt[i] == '-')
                left = true;
            if (nf < 6 && !memchr(flags, fmt[i], (size_t)nf))
                flags[nf++] = fmt[i];
            i++;
        }
        long width = -1, prec = -1;
        if (i < len && fmt[i] == '*') {
            i++;
            aval v = arg ? awk_eval(a, arg) : uninit;
            if (arg)
                arg = arg->next;
            double d = aval_to_num(&v);
            aval_free(&v);
            if (d < 0) {
                left = true;
                if (nf < 6 && !memchr(flags, '-', (size_t)nf))
                    flags[nf++] = '-';
                d = -d;
            }
            width = !(d <= MAX_WIDTH) ? (isnan(d) ? 0 : MAX_WIDTH + 1) : (long)d;
        } else {
            while (i < len && fmt[i] >= '0' && fmt[i] <= '9') {
                width = (width < 0 ? 0 : width) * 10 + (fmt[i] - '0');
                if (width > MAX_WIDTH)
                    width = MAX_WIDTH + 1;
                i++;
            }
        }
        if (i < len && fmt[i] == '.') {
            i++;
            prec = 0;
            if (i < len && fmt[i] == '*') {
                i++;
                aval v = arg ? awk_eval(a, arg) : uninit;
                if (arg)
                    arg = arg->next;
                double d = aval_to_num(&v);
                aval_free(&v);
                prec = !(d >= 0) ? -1 : d > MAX_WIDTH ? MAX_WIDTH + 1 : (long)d;
            } else {
                while (i < len && fmt[i] >= '0' && fmt[i] <= '9') {
                    prec = prec * 10 + (fmt[i] - '0');
                    if (prec > MAX_WIDTH)
                        prec = MAX_WIDTH + 1;
                    i++;
                }
            }
        }
        if (width > MAX_WIDTH || prec > MAX_WIDTH) {
            awk_fatal(a, "printf: width or precision over %d", MAX_WIDTH);
            return;
        }
        while (i < len && strchr("hlLqjzt", fmt[i]) && fmt[i])
            i++;   /* C's length modifiers mean nothing to awk */
        if (i >= len) {
            /* a '%' with no conversion: printed as it is */
            sh_buf_add(out, fmt + start, len - start);
            break;
        }
        char conv = fmt[i++];
        if (conv == '%') {   /* "%5%" is a '%' too */
            sh_buf_addc(out, '%');
            continue;
        }
        if (!strchr("cdiouxXeEfFgGaAs", conv)) {
            sh_buf_add(out, fmt + start, i - start);
            continue;
        }
        if (!arg) {
            /* the format as written in a program: \n and the like escaped */
            sh_buf f = {0};
            for (size_t k = 0; k < len && k < 80; k++) {
                switch (fmt[k]) {
                case '\n': sh_buf_adds(&f, "\\n"); break;
                case '\t': sh_buf_adds(&f, "\\t"); break;
                case '\r': sh_buf_adds(&f, "\\r"); break;
                default: sh_buf_addc(&f, fmt[k]);
                }
            }
            awk_fatal(a, "not enough arguments to satisfy format string \"%s\": none for the "
                         "conversion at byte %zu", f.data ? f.data : "", start + 1);
            sh_buf_free(&f);
            return;
        }
        aval v = awk_eval(a, arg);
        arg = arg->next;
        char spec[40];
        int k = 0;
        spec[k++] = '%';
        memcpy(spec + k, flags, (size_t)nf);
        k += nf;
        if (width >= 0)
            k += snprintf(spec + k, sizeof spec - (size_t)k, "%ld", width);
        if (prec >= 0)
            k += snprintf(spec + k, sizeof spec - (size_t)k, ".%ld", prec);
        spec[k] = 0;
        switch (conv) {
        case 's': {
            astr *s = aval_to_str(a, &v, false);
            put_str(out, s->s, s->len, left, width, prec);
            astr_unref(s);
            break;
        }
        case 'c': {
            char c[1];
            size_t n = 1;
            double num;
            if ((v.flags & AV_NUM) ? (num = v.num, true) : aval_numeric_str(&v, &num)) {
                /* the code modulo 256 (the C locale: one byte) */
                double t = fmod(trunc(num), 256.0);
                if (isnan(t))
                    t = 0;
                if (t < 0)
                    t += 256;
                c[0] = (char)(unsigned char)t;
            } else {
                /* a string's first character; "" gives a NUL, as in gawk */
                astr *s = aval_to_str(a, &v, false);
                c[0] = s->len ? s->s[0] : 0;
                astr_unref(s);
            }
            put_str(out, c, n, left, width, -1);
            break;
        }
        case 'd':
        case 'i': {
            double d = aval_to_num(&v);
            d = d < 0 ? ceil(d) : floor(d);
            if (!isfinite(d) || fabs(d) >= 9.2e18) {
                memcpy(spec + k, ".0f", 4);
                if (!isfinite(d)) {
                    spec[k] = 'f';
                    spec[k + 1] = 0;
                }
                sh_buf_printf(out, spec, d);
            } else {
                memcpy(spec + k, "lld", 4);
                sh_buf_printf(out, spec, (long long)d);
            }
            break;
        }
        case 'o':
        case 'u':
        case 'x':
        case 'X': {
            double d = aval_to_num(&v);
            d = d < 0 ? ceil(d) : floor(d);
            unsigned long long u;
            if (!isfinite(d) || d >= 1.8e19 || d <= -9.2e18) {
                memcpy(spec + k, ".0f", 4);
                sh_buf_printf(out, spec, d);
                break;
            }
            u = d < 0 ? (unsigned long long)(long long)d : (unsigned long long)d;
            spec[k] = 'l';
            spec[k + 1] = 'l';
            spec[k + 2] = conv;
            spec[k + 3] = 0;
            sh_buf_printf(out, spec, u);
            break;
        }
        default: /* e E f F g G a A */
            spec[k] = conv;
            spec[k + 1] = 0;
            sh_buf_printf(out, spec, aval_to_num(&v));
            break;
        }
        aval_free(&v);
    }
}
#pragma GCC diagnostic pop

/* ---- the functions ---------------------------------------------------------- */
static astr *arg_str(awk_state *a, anode *n)
{
    aval v = awk_eval(a, n);
    astr *s = aval_to_str(a, &v, false);
    aval_free(&v);
    return s;
}

static double arg_num(awk_state *a, anode *n)
{
    aval v = awk_eval(a, n);
    double d = aval_to_num(&v);
    aval_free(&v);
    return d;
}

/* gawk's substr: the start and length are truncated to integers, and a
 * start before 1 is 1 (the length is kept): substr("hello", 0, 3) is "hel". */
static aval do_substr(awk_state *a, anode *args, int nargs)
{
    astr *s = arg_str(a, args);
    double m = trunc(arg_num(a, args->next));
    double len = (double)s->len;
    if (isnan(m) || m < 1)
        m = 1;
    double end = len + 1;
    if (nargs == 3) {
        double n = trunc(arg_num(a, args->next->next));
        if (isnan(n) || n < 0)
            n = 0;
        if (m + n < end)
            end = m + n;
    }
    aval r;
    if (end <= m || m > len)
        r = aval_str(astr_new("", 0));
    else
        r = aval_str(astr_new(s->s + (size_t)m - 1, (size_t)(end - m)));
    astr_unref(s);
    return r;
}

static aval do_index(awk_state *a, anode *args)
{
    astr *s = arg_str(a, args), *t = arg_str(a, args->next);
    double r = t->len ? 0 : 1; /* the empty string is found at once */
    if (t->len && t->len <= s->len) {
        for (size_t i = 0; i + t->len <= s->len; i++) {
            const char *p = rx_memchr(s->s + i, t->s[0], s->len - t->len + 1 - i);
            if (!p)
                break;
            i = (size_t)(p - s->s);
            if (!memcmp(p, t->s, t->len)) {
                r = (double)i + 1;
                break;
            }
        }
    }
    astr_unref(s);
    astr_unref(t);
    return aval_num(r);
}

static aval do_split(awk_state *a, anode *args, int nargs)
{
    astr *s = arg_str(a, args);
    astr *fs;
    if (nargs < 3) {
        fs = aval_to_str(a, &a->globals[V_FS].v, false);
    } else if (args->next->next->op == E_REGEX) {
        astr *re = args->next->next->str;
        if (re->len == 1) {
            /* a one-character regex is a regex still: / / is one space, /./ any */
            char b[4] = {'(', re->s[0], ')', 0};
            fs = astr_new(b, 3);
        } else {
            fs = astr_ref(re);
        }
    } else {
        fs = arg_str(a, args->next->next);
    }
    aarr *arr = a->fatal ? NULL : awk_cell_array(a, awk_cell(a, args->next), args->next->str->s);
    long n = 0;
    if (arr) {
        aarr_clear(arr);
        n = awk_split_into(a, s->s, s->len, fs, false, arr);
    }
    astr_unref(s);
    astr_unref(fs);
    return aval_num(n < 0 ? 0 : (double)n);
}

/* sub/gsub's replacement for one match: & is the match, \& a '&', \\ a '\'. */
static void put_repl(sh_buf *o, const astr *repl, const char *m, size_t mlen)
{
    const char *r = repl->s;
    size_t n = repl->len;
    for (size_t i = 0; i < n; i++) {
        if (r[i] == '\\' && i + 1 < n && (r[i + 1] == '&' || r[i + 1] == '\\')) {
            sh_buf_addc(o, r[++i]);
        } else if (r[i] == '&') {
            sh_buf_add(o, m, mlen);
        } else {
            sh_buf_addc(o, r[i]);
        }
    }
}

static aval do_sub(awk_state *a, anode *args, int nargs, bool global)
{
    rx_prog *re = awk_regex_arg(a, args);
    if (!re)
        return uninit;
    astr *repl = arg_str(a, args->next);
    anode *target = nargs == 3 ? args->next->next : NULL;
    aval tv;
    anode field0 = {0};
    anode zero = {0};
    if (!target) {
        zero.op = E_NUM;
        field0.op = E_FIELD;
        field0.a = &zero;
        target = &field0;
    }
    tv = awk_eval(a, target);
    astr *s = aval_to_str(a, &tv, false);
    aval_free(&tv);
    sh_buf o = {0};
    long count = 0;
    size_t last = 0;
    rx_span m;
    if (global) {
        rx_iter it = RX_ITER_INIT;
        while (rx_find_next(re, s->s, s->len, &it, &m, 1)) {
            sh_buf_add(&o, s->s + last, m.start - last);
            put_repl(&o, repl, s->s + m.start, m.end - m.start);
            last = m.end;
            count++;
            if (sh_interrupted(a->sh))
                break;
        }
    } else if (rx_search(re, s->s, s->len, 0, &m, 1)) {
        sh_buf_add(&o, s->s, m.start);
        put_repl(&o, repl, s->s + m.start, m.end - m.start);
        last = m.end;
        count = 1;
    }
    if (count && !a->fatal) {
        sh_buf_add(&o, s->s + last, s->len - last);
        awk_assign(a, target, aval_str(astr_new(o.data ? o.data : "", o.len)));
    }
    sh_buf_free(&o);
    astr_unref(s);
    astr_unref(repl);
    return aval_num((double)count);
}

static aval do_match(awk_state *a, anode *args)
{
    astr *s = arg_str(a, args);
    rx_prog *re = awk_regex_arg(a, args->next);
    double start = 0, len = -1;
    rx_span m;
    if (re && rx_search(re, s->s, s->len, 0, &m, 1)) {
        start = (double)m.start + 1;
        len = (double)(m.end - m.start);
    }
    astr_unref(s);
    if (a->fatal)
        return uninit;
    awk_set_global(a, V_RSTART, aval_num(start));
    awk_set_global(a, V_RLENGTH, aval_num(len));
    return aval_num(start);
}

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static aval do_case(awk_state *a, anode *arg, bool upper)
{
    astr *s = arg_str(a, arg);
    astr *r = astr_new(s->s, s->len);
    for (size_t i = 0; i < r->len; i++) {
        char c = r->s[i];
        if (upper && c >= 'a' && c <= 'z')
            r->s[i] = (char)(c - 32);
        else if (!upper && c >= 'A' && c <= 'Z')
            r->s[i] = (char)(c + 32);
    }
    astr_unref(s);
    return aval_str(r);
}

aval awk_builtin(awk_state *a, anode *n)
{
    anode *args = n->a;
    int nargs = (int)n->num;
    switch (n->sub) {
    case B_LENGTH: {
        if (!nargs) {
            aval z = awk_get_field(a, 0);
            astr *s = aval_to_str(a, &z, false);
            aval_free(&z);
            double l = (double)s->len;
            astr_unref(s);
            return aval_num(l);
        }
        if (args->op == E_VAR || args->op == E_LOCAL) {
            acell *c = awk_cell(a, args);
            if (c->kind == K_ARRAY)
                return aval_num((double)c->arr->n);
        }
        astr *s = arg_str(a, args);
        double l = (double)s->len;
        astr_unref(s);
        return aval_num(l);
    }
    case B_SUBSTR:
        return do_substr(a, args, nargs);
    case B_INDEX:
        return do_index(a, args);
    case B_SPLIT:
        return do_split(a, args, nargs);
    case B_SUB:
    case B_GSUB:
        return do_sub(a, args, nargs, n->sub == B_GSUB);
    case B_MATCH:
        return do_match(a, args);
    case B_SPRINTF: {
        astr *f = arg_str(a, args);
        sh_buf b = {0};
        awk_format(a, &b, f->s, f->len, args->next);
        astr_unref(f);
        astr *r = astr_new(b.data ? b.data : "", b.len);
        sh_buf_free(&b);
        return aval_str(r);
    }
    case B_SIN: return aval_num(sin(arg_num(a, args)));
    case B_COS: return aval_num(cos(arg_num(a, args)));
    case B_ATAN2: {
        double y = arg_num(a, args);
        return aval_num(atan2(y, arg_num(a, args->next)));
    }
    case B_EXP: return aval_num(exp(arg_num(a, args)));
    case B_LOG: return aval_num(log(arg_num(a, args)));
    case B_SQRT: return aval_num(sqrt(arg_num(a, args)));
    case B_INT: return aval_num(trunc(arg_num(a, args)));
    case B_RAND:
        return aval_num((double)(splitmix(&a->rand_state) >> 11) * (1.0 / 9007199254740992.0));
    case B_SRAND: {
        double prev = a->seed;
        a->seed = nargs ? arg_num(a, args) : (double)time(NULL);
        memcpy(&a->rand_state, &a->seed, sizeof a->rand_state); /* any double, NaN too */
        return aval_num(prev);
    }
    case B_TOLOWER:
    case B_TOUPPER:
        return do_case(a, args, n->sub == B_TOUPPER);
    case B_SYSTEM: {
        astr *cmd = arg_str(a, args);
        int st = a->fatal ? 0 : awk_run_shell(a, cmd->s, NULL, 0, NULL);
        astr_unref(cmd);
        return aval_num(st);
    }
    case B_CLOSE: {
        astr *name = arg_str(a, args);
        int st = awk_close(a, name);
        astr_unref(name);
        return aval_num(st);
    }
    case B_FFLUSH:
        if (nargs) {
            astr *name = arg_str(a, args);
            astr_unref(name);
        }
        return aval_num(awk_flush(a, true) ? 0 : -1);
    }
    return uninit;
}
