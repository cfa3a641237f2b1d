/* awk_value.c: awk's values (numbers, strings, numeric strings, the
 * uninitialized value), their conversions and comparison as POSIX says,
 * and associative arrays (hashed; `for (k in a)` goes in insertion order,
 * which POSIX leaves unspecified). */
#include "awk.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

astr *astr_new(const char *s, size_t n)
{
    if (n > ((size_t)-1) / 2)
        sh_oom();
    astr *a = sh_malloc(sizeof *a + n + 1);
    a->ref = 1;
    a->len = n;
    if (n)
        memcpy(a->s, s, n);
    a->s[n] = 0;
    return a;
}

astr *astr_cstr(const char *s)
{
    return astr_new(s, strlen(s));
}

void astr_unref(astr *a)
{
    if (a && --a->ref == 0)
        free(a);
}

void aval_free(aval *v)
{
    astr_unref(v->str);
    v->str = NULL;
    v->flags = 0;
}

aval aval_copy(const aval *v)
{
    aval r = *v;
    astr_ref(r.str);
    return r;
}

aval aval_num(double d)
{
    return (aval){AV_NUM, d, NULL};
}

aval aval_str(astr *s)
{
    return (aval){AV_STR, 0, s};
}

aval aval_strnum(astr *s)
{
    return (aval){AV_STR | AV_MAYBE, 0, s};
}

bool aval_numeric_str(const aval *v, double *num)
{
    if (v->flags & AV_STRNUM) {
        *num = v->num;
        return true;
    }
    return (v->flags & AV_MAYBE) && awk_looks_numeric(v->str->s, v->str->len, num);
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The length of the decimal number at s (sign, digits, '.', exponent), 0 if none. */
static size_t number_prefix(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    size_t d0 = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    size_t digits = i - d0;
    if (i < n && s[i] == '.') {
        i++;
        size_t f0 = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        digits += i - f0;
    }
    if (!digits)
        return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t k = i + 1;
        if (k < n && (s[k] == '+' || s[k] == '-'))
            k++;
        if (k < n && s[k] >= '0' && s[k] <= '9') {
            while (k < n && s[k] >= '0' && s[k] <= '9')
                k++;
            i = k;
        }
    }
    return i;
}

static double parse_prefix(const char *s, size_t k)
{
    /* integers of up to 15 digits are exact in a double: no strtod (slow in
     * wasm, and fields are mostly such numbers) */
    size_t i = 0;
    bool neg = false;
    if (k && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (k - i <= 15) {
        uint64_t v = 0;
        size_t j = i;
        while (j < k && s[j] >= '0' && s[j] <= '9')
            v = v * 10 + (uint64_t)(s[j++] - '0');
        if (j == k && j > i)
            return neg ? -(double)v : (double)v;
    }
    char small[64];
    char *tmp = k < sizeof small ? small : sh_malloc(k + 1);
    memcpy(tmp, s, k);
    tmp[k] = 0;
    double d = strtod(tmp, NULL);
    if (tmp != small)
        free(tmp);
    return d;
}

double awk_str_to_num(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_blank(s[i]))
        i++;
    size_t k = number_prefix(s + i, n - i);
    return k ? parse_prefix(s + i, k) : 0.0;
}

bool awk_looks_numeric(const char *s, size_t n, double *out)
{
    size_t i = 0;
    while (i < n && is_blank(s[i]))
        i++;
    size_t k = number_prefix(s + i, n - i);
    if (!k)
        return false;
    size_t e = i + k;
    while (e < n && is_blank(s[e]))
        e++;
    if (e != n)
        return false;
    *out = parse_prefix(s + i, k);
    return true;
}

double aval_to_num(const aval *v)
{
    if (v->flags & (AV_NUM | AV_STRNUM))
        return v->num;
    /* a string's leading number: the same whether or not it is a numeric string */
    if (v->flags & AV_STR)
        return awk_str_to_num(v->str->s, v->str->len);
    return 0.0;
}

void awk_fmt_num(sh_buf *b, const char *fmt, double d)
{
    /* integral values print as integers (POSIX: as if by "%d"), exactly */
    if (d == floor(d) && fabs(d) < 1e30) {
        if (fabs(d) < 9.2e18) {
            sh_buf_printf(b, "%lld", (long long)d);
        } else {
            sh_buf_printf(b, "%.0f", d);
        }
        return;
    }
    if (isnan(d)) {
        sh_buf_adds(b, signbit(d) ? "-nan" : "+nan");
        return;
    }
    if (isinf(d)) {
        sh_buf_adds(b, d < 0 ? "-inf" : "+inf");
        return;
    }
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    /* the one conversion (safe_float_fmt checked there is exactly one) */
    const char *cp = NULL;
    for (const char *p = fmt; *p && !cp; p++) {
        if (*p != '%')
            continue;
        if (p[1] == '%') {
            p++;
            continue;
        }
        cp = p + 1;
        while (*cp && !strchr("eEfFgGaAdi", *cp))
            cp++;
    }
    if (cp && (*cp == 'd' || *cp == 'i')) {
        /* CONVFMT="%d": the integer part, through the same format with "lld" */
        sh_buf spec = {0};
        sh_buf_add(&spec, fmt, (size_t)(cp - fmt));
        sh_buf_adds(&spec, "lld");
        sh_buf_adds(&spec, cp + 1);
        sh_buf_printf(b, spec.data, (long long)(fabs(d) < 9.2e18 ? trunc(d) : 0));
        sh_buf_free(&spec);
    } else {
        sh_buf_printf(b, fmt, d);
    }
#pragma GCC diagnostic pop
}

/* A CONVFMT/OFMT is used as given only when it is one floating conversion. */
static bool safe_float_fmt(const char *f)
{
    int convs = 0;
    for (const char *p = f; *p; p++) {
        if (*p != '%')
            continue;
        if (p[1] == '%') {
            p++;
            continue;
        }
        p++;
        while (*p && strchr("-+ #0", *p))
            p++;
        while (*p >= '0' && *p <= '9')
            p++;
        if (*p == '.') {
            p++;
            while (*p >= '0' && *p <= '9')
                p++;
        }
        if (!*p || !strchr("eEfFgGaAdi", *p))
            return false;
        convs++;
    }
    return convs == 1;
}

astr *aval_to_str(awk_state *a, const aval *v, bool ofmt)
{
    if (v->flags & AV_STR)
        return astr_ref(v->str);
    if (!(v->flags & AV_NUM))
        return astr_new("", 0);
    acell *c = &a->globals[ofmt ? V_OFMT : V_CONVFMT];
    const char *fmt = "%.6g";
    astr *fs = NULL;
    if (c->kind == K_SCALAR && (c->v.flags & AV_STR)) {
        fs = c->v.str;
        if (safe_float_fmt(fs->s))
            fmt = fs->s;
    }
    sh_buf b = {0};
    awk_fmt_num(&b, fmt, v->num);
    size_t n = b.len;
    char *s = sh_buf_take(&b);
    astr *r = astr_new(s, n);
    free(s);
    return r;
}

bool aval_true(const aval *v)
{
    double d;
    if (aval_numeric_str(v, &d))
        return d != 0;
    if (v->flags & AV_STR)
        return v->str->len > 0;
    if (v->flags & AV_NUM)
        return v->num != 0;
    return false;
}

/* Numeric for comparing: a number, a numeric string, uninitialized. *d its value. */
static bool numeric(const aval *v, double *d)
{
    if (v->flags & AV_NUM) {
        *d = v->num;
        return true;
    }
    if (!v->flags) {
        *d = 0;
        return true;
    }
    return aval_numeric_str(v, d);
}

int aval_compare(awk_state *a, const aval *x, const aval *y)
{
    double p, q;
    if (numeric(x, &p) && numeric(y, &q)) {
        if (p < q)
            return -1;
        if (p > q)
            return 1;
        if (p == q)
            return 0;
        /* NaN: unordered; compare as awk implementations do, by sign */
        return isnan(p) ? (isnan(q) ? 0 : 1) : -1;
    }
    astr *s = aval_to_str(a, x, false), *t = aval_to_str(a, y, false);
    size_t n = s->len < t->len ? s->len : t->len;
    int r = sh_memcmp(s->s, t->s, n);
    if (!r)
        r = s->len < t->len ? -1 : s->len > t->len;
    astr_unref(s);
    astr_unref(t);
    return r < 0 ? -1 : r > 0;
}

/* ---- arrays ------------------------------------------------------------------- */
static uint64_t hash(const char *k, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)k[i]) * 1099511628211ull;
    return h;
}

aarr *aarr_new(void)
{
    aarr *t = sh_calloc(1, sizeof *t);
    return t;
}

void aarr_clear(aarr *t)
{
    for (aelem *e = t->first, *nx; e; e = nx) {
        nx = e->next;
        astr_unref(e->key);
        aval_free(&e->v);
        free(e);
    }
    free(t->tab);
    t->tab = NULL;
    t->nb = t->n = 0;
    t->first = t->last = NULL;
}

void aarr_free(aarr *t)
{
    if (!t)
        return;
    aarr_clear(t);
    free(t);
}

static void grow(aarr *t)
{
    size_t nb = t->nb ? t->nb * 2 : 16;
    aelem **tab = sh_calloc(nb, sizeof *tab);
    for (aelem *e = t->first; e; e = e->next) {
        uint64_t h = hash(e->key->s, e->key->len) & (nb - 1);
        e->hnext = tab[h];
        tab[h] = e;
    }
    free(t->tab);
    t->tab = tab;
    t->nb = nb;
}

aelem *aarr_get(aarr *t, const char *k, size_t n, bool create)
{
    if (t->nb) {
        uint64_t h = hash(k, n) & (t->nb - 1);
        for (aelem *e = t->tab[h]; e; e = e->hnext)
            if (e->key->len == n && !memcmp(e->key->s, k, n))
                return e;
    }
    if (!create)
        return NULL;
    if (t->n + 1 > t->nb)
        grow(t);
    aelem *e = sh_calloc(1, sizeof *e);
    e->key = astr_new(k, n);
    uint64_t h = hash(k, n) & (t->nb - 1);
    e->hnext = t->tab[h];
    t->tab[h] = e;
    e->prev = t->last;
    if (t->last)
        t->last->next = e;
    else
        t->first = e;
    t->last = e;
    t->n++;
    return e;
}

void aarr_delete(aarr *t, const char *k, size_t n)
{
    if (!t->nb)
        return;
    uint64_t h = hash(k, n) & (t->nb - 1);
    for (aelem **pp = &t->tab[h]; *pp; pp = &(*pp)->hnext) {
        aelem *e = *pp;
        if (e->key->len == n && !memcmp(e->key->s, k, n)) {
            *pp = e->hnext;
            if (e->prev)
                e->prev->next = e->next;
            else
                t->first = e->next;
            if (e->next)
                e->next->prev = e->prev;
            else
                t->last = e->prev;
            t->n--;
            astr_unref(e->key);
            aval_free(&e->v);
            free(e);
            return;
        }
    }
}
