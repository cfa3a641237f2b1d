/* sort: GNU's, in the C locale (bytes compare as unsigned). Keys -k
 * F[.C][OPTS][,F[.C][OPTS]] with -t SEP, or fields that start at a blank
 * (GNU: a field holds the blanks before it); orderings -n (numbers), -g
 * (floating point), -h (human sizes: 2K < 1M), -V (versions, GNU's
 * filevercmp), -M (month names), -f (fold case), -d (dictionary), -i
 * (printable only), -b (leading blanks), -r; then, for lines whose keys are
 * equal, the whole line as bytes (unless -s or -u). -u keeps the first of
 * equal lines, -c/-C check, -o FILE writes after reading everything (so it
 * may be an input), -z NUL lines. Errors exit 2, as GNU's do. */
#include "../shell.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    bool numeric, general, human, version, month, fold, dict, printable, reverse;
    bool skip_start, skip_end; /* b on the start / end position */
} order;

typedef struct {
    size_t sword, schar;   /* 0-based */
    size_t eword, echar;   /* eword 0-based, SIZE_MAX: the line's end; echar 0: the field's end */
    order o;
    bool has_order;        /* the key gave options of its own */
} keyspec;

typedef struct {
    const char *s;
    size_t n;
} line;

typedef struct {
    keyspec *keys;
    size_t nkeys;
    order global;
    int tab; /* -1: blanks */
    bool stable, unique;
    bool plain; /* the whole line as bytes, nothing else */
} sortctx;

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

static const char *begfield(const sortctx *c, const keyspec *k, const char *p, const char *lim)
{
    size_t sword = k->sword;
    if (c->tab >= 0) {
        while (p < lim && sword--) {
            while (p < lim && *p != (char)c->tab)
                p++;
            if (p < lim)
                p++;
        }
    } else {
        while (p < lim && sword--) {
            while (p < lim && blank(*p))
                p++;
            while (p < lim && !blank(*p))
                p++;
        }
    }
    if (k->o.skip_start)
        while (p < lim && blank(*p))
            p++;
    return (size_t)(lim - p) < k->schar ? lim : p + k->schar;
}

static const char *limfield(const sortctx *c, const keyspec *k, const char *p, const char *lim)
{
    if (k->eword == SIZE_MAX)
        return lim;
    size_t eword = k->eword, echar = k->echar;
    if (echar == 0)
        eword++;
    if (c->tab >= 0) {
        while (p < lim && eword--) {
            while (p < lim && *p != (char)c->tab)
                p++;
            if (p < lim && (eword || echar))
                p++;
        }
    } else {
        while (p < lim && eword--) {
            while (p < lim && blank(*p))
                p++;
            while (p < lim && !blank(*p))
                p++;
        }
    }
    if (echar) {
        if (k->o.skip_end)
            while (p < lim && blank(*p))
                p++;
        p = (size_t)(lim - p) < echar ? lim : p + echar;
    }
    return p;
}

/* -n: compare the numbers at the starts of a and b as GNU's strnumcmp does
 * (sign, integer digits, fraction; no thousands separator in C). */
static int numcompare(const char *a, const char *ae, const char *b, const char *be)
{
    while (a < ae && blank(*a))
        a++;
    while (b < be && blank(*b))
        b++;
    bool na = a < ae && *a == '-', nb = b < be && *b == '-';
    if (na)
        a++;
    if (nb)
        b++;
    /* the integer digits, leading zeros skipped */
    while (a < ae && *a == '0')
        a++;
    while (b < be && *b == '0')
        b++;
    const char *ia = a, *ib = b;
    while (a < ae && isdigit((unsigned char)*a))
        a++;
    while (b < be && isdigit((unsigned char)*b))
        b++;
    size_t la = (size_t)(a - ia), lb = (size_t)(b - ib);
    const char *fa = a < ae && *a == '.' ? a + 1 : a, *fb = b < be && *b == '.' ? b + 1 : b;
    const char *fae = fa, *fbe = fb;
    while (fae < ae && isdigit((unsigned char)*fae))
        fae++;
    while (fbe < be && isdigit((unsigned char)*fbe))
        fbe++;
    /* zero is zero whatever its sign */
    bool za = la == 0, zb = lb == 0;
    for (const char *q = fa; q < fae && za; q++)
        za = *q == '0';
    for (const char *q = fb; q < fbe && zb; q++)
        zb = *q == '0';
    if (za)
        na = false;
    if (zb)
        nb = false;
    if (na != nb)
        return na ? -1 : 1;
    int sign = na ? -1 : 1;
    if (la != lb)
        return la < lb ? -sign : sign;
    int d = sh_memcmp(ia, ib, la);
    if (d)
        return d < 0 ? -sign : sign;
    while (fa < fae || fb < fbe) {
        char ca = fa < fae ? *fa++ : '0', cb = fb < fbe ? *fb++ : '0';
        if (ca != cb)
            return ca < cb ? -sign : sign;
    }
    return 0;
}

static int suffix_rank(char c)
{
    static const char *s = "KMGTPEZYRQ";
    if (c == 'k')
        return 1;
    const char *p = c ? strchr(s, c) : NULL;
    return p ? (int)(p - s) + 1 : 0;
}

static int humancompare(const char *a, const char *ae, const char *b, const char *be)
{
    const char *pa = a, *pb = b;
    while (pa < ae && blank(*pa))
        pa++;
    while (pb < be && blank(*pb))
        pb++;
    bool na = pa < ae && *pa == '-', nb = pb < be && *pb == '-';
    const char *ea = pa + na, *eb = pb + nb;
    while (ea < ae && (isdigit((unsigned char)*ea) || *ea == '.'))
        ea++;
    while (eb < be && (isdigit((unsigned char)*eb) || *eb == '.'))
        eb++;
    int ra = ea < ae ? suffix_rank(*ea) : 0, rb = eb < be ? suffix_rank(*eb) : 0;
    if (na != nb)
        return na ? -1 : 1;
    if (ra != rb)
        return (ra < rb) != na ? -1 : 1;
    return numcompare(a, ae, b, be);
}

static int month(const char *a, const char *ae)
{
    static const char *m[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    while (a < ae && blank(*a))
        a++;
    if (ae - a < 3)
        return 0;
    for (int i = 0; i < 12; i++)
        if (!strncasecmp(a, m[i], 3))
            return i + 1;
    return 0;
}

static int general(const char *a, const char *ae, const char *b, const char *be)
{
    char *ta = sh_strndup(a, (size_t)(ae - a)), *tb = sh_strndup(b, (size_t)(be - b));
    char *enda, *endb;
    double x = strtod(ta, &enda), y = strtod(tb, &endb);
    int ka = enda == ta ? 0 : isnan(x) ? 1 : 2, kb = endb == tb ? 0 : isnan(y) ? 1 : 2;
    free(ta);
    free(tb);
    if (ka != kb)
        return ka < kb ? -1 : 1;
    if (ka < 2)
        return 0;
    return x < y ? -1 : x > y ? 1 : 0;
}

/* -d, -i, -f: byte by byte, skipping what is ignored, folding case. */
static int textcompare(const order *o, const char *a, const char *ae, const char *b, const char *be)
{
    for (;;) {
        while (a < ae && ((o->dict && !isalnum((unsigned char)*a) && !blank(*a)) ||
                          (o->printable && !isprint((unsigned char)*a))))
            a++;
        while (b < be && ((o->dict && !isalnum((unsigned char)*b) && !blank(*b)) ||
                          (o->printable && !isprint((unsigned char)*b))))
            b++;
        if (a == ae || b == be)
            return (a < ae) - (b < be);
        unsigned char ca = (unsigned char)*a++, cb = (unsigned char)*b++;
        if (o->fold) {
            ca = (unsigned char)toupper(ca);
            cb = (unsigned char)toupper(cb);
        }
        if (ca != cb)
            return ca < cb ? -1 : 1;
    }
}

static int bytecompare(const char *a, size_t an, const char *b, size_t bn)
{
    int d = sh_memcmp(a, b, an < bn ? an : bn);
    if (d)
        return d;
    return (an > bn) - (an < bn);
}

static int compare_range(const order *o, const char *a, const char *ae, const char *b, const char *be)
{
    int d;
    if (o->numeric)
        d = numcompare(a, ae, b, be);
    else if (o->human)
        d = humancompare(a, ae, b, be);
    else if (o->general)
        d = general(a, ae, b, be);
    else if (o->month)
        d = month(a, ae) - month(b, be);
    else if (o->version)
        d = sh_filevercmp(a, (size_t)(ae - a), b, (size_t)(be - b));
    else if (o->fold || o->dict || o->printable)
        d = textcompare(o, a, ae, b, be);
    else
        d = bytecompare(a, (size_t)(ae - a), b, (size_t)(be - b));
    return o->reverse ? -d : d;
}

static int keycompare(const sortctx *c, const line *x, const line *y)
{
    for (size_t i = 0; i < c->nkeys; i++) {
        const keyspec *k = &c->keys[i];
        const char *xa = begfield(c, k, x->s, x->s + x->n), *xe = limfield(c, k, x->s, x->s + x->n);
        const char *ya = begfield(c, k, y->s, y->s + y->n), *ye = limfield(c, k, y->s, y->s + y->n);
        if (xe < xa)
            xe = xa;
        if (ye < ya)
            ye = ya;
        int d = compare_range(&k->o, xa, xe, ya, ye);
        if (d)
            return d;
    }
    return 0;
}

static int compare(const sortctx *c, const line *x, const line *y)
{
    if (c->plain) { /* no key, no ordering option: the bytes, once */
        int d = bytecompare(x->s, x->n, y->s, y->n);
        return c->global.reverse ? -d : d;
    }
    int d = keycompare(c, x, y);
    if (d || c->stable || c->unique)
        return d;
    d = bytecompare(x->s, x->n, y->s, y->n);
    return c->global.reverse ? -d : d;
}

static int compare_ctx(const void *a, const void *b, void *ctx)
{
    return compare(ctx, a, b);
}

/* ---- options ----------------------------------------------------------------- */

static bool order_flag(order *o, char f)
{
    switch (f) {
    case 'b': o->skip_start = o->skip_end = true; return true;
    case 'd': o->dict = true; return true;
    case 'f': o->fold = true; return true;
    case 'g': o->general = true; return true;
    case 'h': o->human = true; return true;
    case 'i': o->printable = true; return true;
    case 'M': o->month = true; return true;
    case 'n': o->numeric = true; return true;
    case 'r': o->reverse = true; return true;
    case 'V': o->version = true; return true;
    }
    return false;
}

static bool bad_key(shctx *sh, const char *why, const char *spec)
{
    sh_err(sh, "%s: invalid field specification %s", why, sh_quote(sh, spec));
    return false;
}

static bool parse_num(const char **p, size_t *v)
{
    if (!isdigit((unsigned char)**p))
        return false;
    unsigned long long x = 0;
    while (isdigit((unsigned char)**p)) {
        x = x * 10 + (unsigned long long)(**p - '0');
        if (x > (SIZE_MAX >> 1))
            x = SIZE_MAX >> 1;
        (*p)++;
    }
    *v = (size_t)x;
    return true;
}

static bool parse_key(shctx *sh, const char *spec, keyspec *k)
{
    memset(k, 0, sizeof *k);
    const char *p = spec;
    size_t f;
    if (!parse_num(&p, &f))
        return bad_key(sh, "invalid number at field start", spec);
    if (f == 0)
        return bad_key(sh, "field number is zero", spec);
    k->sword = f - 1;
    if (*p == '.') {
        p++;
        size_t ch;
        if (!parse_num(&p, &ch))
            return bad_key(sh, "invalid number after '.'", spec);
        if (ch == 0)
            return bad_key(sh, "character offset is zero", spec);
        k->schar = ch - 1;
    }
    for (; *p && *p != ','; p++) {
        if (!order_flag(&k->o, *p))
            return bad_key(sh, "stray character in field spec", spec);
        if (*p == 'b')
            k->o.skip_end = false;
        k->has_order = true;
    }
    k->eword = SIZE_MAX;
    if (*p == ',') {
        p++;
        if (!parse_num(&p, &f))
            return bad_key(sh, "invalid number after ','", spec);
        if (f == 0)
            return bad_key(sh, "field number is zero", spec);
        k->eword = f - 1;
        if (*p == '.') {
            p++;
            if (!parse_num(&p, &k->echar))
                return bad_key(sh, "invalid number after '.'", spec);
        }
        for (; *p; p++) {
            order o = {0};
            if (!order_flag(&o, *p))
                return bad_key(sh, "stray character in field spec", spec);
            if (*p == 'b')
                k->o.skip_end = true;
            else
                order_flag(&k->o, *p);
            k->has_order = true;
        }
    }
    return true;
}

static int read_input(shctx *sh, const char *name, sh_buf *all, char delim)
{
    bool std = !strcmp(name, "-");
    sh_stream *in = std ? sh_stdin(sh) : sh_open(sh, name, O_RDONLY);
    if (!in) {
        sh_errno(sh, errno, "cannot read: %s", name);
        return 2;
    }
    size_t before = all->len;
    bool ok = sh_read_all(in, all, SH_NO_LIMIT);
    int e = errno;
    if (!std)
        sh_close(in);
    if (!ok) {
        sh_errno(sh, e, "read failed: %s", name);
        return 2;
    }
    if (all->len > before && all->data[all->len - 1] != delim)
        sh_buf_addc(all, delim);
    return 0;
}

int util_sort(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {
        {"ignore-leading-blanks", SH_NO_ARG, 'b'}, {"dictionary-order", SH_NO_ARG, 'd'},
        {"ignore-case", SH_NO_ARG, 'f'},           {"general-numeric-sort", SH_NO_ARG, 'g'},
        {"human-numeric-sort", SH_NO_ARG, 'h'},    {"ignore-nonprinting", SH_NO_ARG, 'i'},
        {"month-sort", SH_NO_ARG, 'M'},            {"numeric-sort", SH_NO_ARG, 'n'},
        {"reverse", SH_NO_ARG, 'r'},               {"version-sort", SH_NO_ARG, 'V'},
        {"check", SH_OPT_ARG, 'c'},                {"key", SH_REQ_ARG, 'k'},
        {"merge", SH_NO_ARG, 'm'},                 {"output", SH_REQ_ARG, 'o'},
        {"stable", SH_NO_ARG, 's'},                {"field-separator", SH_REQ_ARG, 't'},
        {"unique", SH_NO_ARG, 'u'},                {"zero-terminated", SH_NO_ARG, 'z'},
        {"buffer-size", SH_REQ_ARG, 'S'},          {"parallel", SH_REQ_ARG, 'P'},
        {"temporary-directory", SH_REQ_ARG, 'T'},  {"help", SH_NO_ARG, 'H'},
        {NULL, 0, 0}};
    sortctx c = {0};
    c.tab = -1;
    int check = 0; /* 1 -c, 2 -C */
    const char *outfile = NULL;
    char delim = '\n';
    sh_getopt_state st = SH_GETOPT_INIT;
    int opt, status = 0;
    keyspec *keys = NULL;
    size_t nkeys = 0;
    while ((opt = sh_getopt(sh, &st, argc, argv, "bdfghiMnrVcCk:mo:st:uzS:T:", lo)) != -1) {
        if (order_flag(&c.global, (char)opt))
            continue;
        switch (opt) {
        case 'c':
            check = st.arg && (!strcmp(st.arg, "quiet") || !strcmp(st.arg, "silent")) ? 2 : 1;
            break;
        case 'C': check = 2; break;
        case 'k':
            keys = sh_realloc(keys, sizeof *keys * (nkeys + 1));
            if (!parse_key(sh, st.arg, &keys[nkeys])) {
                free(keys);
                return 2;
            }
            nkeys++;
            break;
        case 'm': break;
        case 'o': outfile = st.arg; break;
        case 's': c.stable = true; break;
        case 't':
            if (strlen(st.arg) > 1) {
                if (!strcmp(st.arg, "\\0")) {
                    c.tab = 0;
                    break;
                }
                sh_err(sh, "multi-character tab %s", sh_quote(sh, st.arg));
                free(keys);
                return 2;
            }
            if (!st.arg[0]) {
                sh_err(sh, "empty tab");
                free(keys);
                return 2;
            }
            c.tab = (unsigned char)st.arg[0];
            break;
        case 'u': c.unique = true; break;
        case 'z': delim = 0; break;
        case 'S':
        case 'T':
        case 'P': break;
        case 'H':
            sh_puts(sh_stdout(sh), "Usage: sort [OPTION]... [FILE]...\n");
            free(keys);
            return 0;
        default:
            free(keys);
            return 2;
        }
    }
    /* keys without options of their own take the global ones */
    for (size_t i = 0; i < nkeys; i++)
        if (!keys[i].has_order) {
            bool skip_end = keys[i].o.skip_end, skip_start = keys[i].o.skip_start;
            keys[i].o = c.global;
            keys[i].o.skip_start = skip_start || c.global.skip_start;
            keys[i].o.skip_end = skip_end || c.global.skip_end;
        }
    const order *g = &c.global;
    c.plain = !nkeys && !g->numeric && !g->general && !g->human && !g->version && !g->month && !g->fold &&
              !g->dict && !g->printable && !g->skip_start;
    keyspec whole = {0};
    if (!nkeys) {
        whole.eword = SIZE_MAX;
        whole.o = c.global;
        keys = sh_malloc(sizeof *keys);
        keys[0] = whole;
        nkeys = 1;
    }
    c.keys = keys;
    c.nkeys = nkeys;

    char *dash[] = {"-", NULL};
    char **files = st.ind < argc ? argv + st.ind : dash;
    int nfiles = st.ind < argc ? argc - st.ind : 1;
    if (check && nfiles > 1) {
        sh_err(sh, "extra operand %s not allowed with -%c", sh_quote(sh, files[1]), check == 1 ? 'c' : 'C');
        free(keys);
        return 2;
    }
    sh_buf all = {0};
    for (int i = 0; i < nfiles && !status; i++)
        status = read_input(sh, files[i], &all, delim);
    if (status) {
        sh_buf_free(&all);
        free(keys);
        return status;
    }
    size_t n = 0, cap = 0;
    line *lines = NULL;
    for (size_t i = 0; i < all.len;) {
        const char *e = memchr(all.data + i, delim, all.len - i);
        size_t len = (size_t)(e - (all.data + i));
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            lines = sh_realloc(lines, cap * sizeof *lines);
        }
        lines[n++] = (line){all.data + i, len};
        i += len + 1;
    }
    if (check) {
        for (size_t i = 1; i < n; i++) {
            int d = compare(&c, &lines[i - 1], &lines[i]);
            if (d > 0 || (c.unique && d == 0)) {
                if (check == 1) {
                    sh_buf m = {0};
                    sh_buf_add(&m, lines[i].s, lines[i].n);
                    sh_err(sh, "%s:%zu: disorder: %s", files[0], i + 1, m.data ? m.data : "");
                    sh_buf_free(&m);
                }
                status = 1;
                break;
            }
        }
    } else {
        sh_sort(lines, n, sizeof *lines, compare_ctx, &c);
        sh_stream *out = sh_stdout(sh);
        sh_stream *opened = NULL;
        if (outfile && strcmp(outfile, "-")) {
            opened = out = sh_open(sh, outfile, O_WRONLY | O_CREAT | O_TRUNC);
            if (!out) {
                sh_errno(sh, errno, "open failed: %s", outfile);
                status = 2;
            }
        }
        sh_buf ob = {0};
        for (size_t i = 0; i < n && out; i++) {
            if (c.unique && i > 0 && keycompare(&c, &lines[i - 1], &lines[i]) == 0)
                continue;
            sh_buf_add(&ob, lines[i].s, lines[i].n);
            sh_buf_addc(&ob, delim);
            if (ob.len >= 65536) {
                if (!sh_write(out, ob.data, ob.len)) {
                    status = 2;
                    break;
                }
                ob.len = 0;
            }
        }
        if (out && ob.len && !sh_write(out, ob.data, ob.len))
            status = 2;
        sh_buf_free(&ob);
        if (opened && !sh_close(opened)) {
            sh_errno(sh, errno, "write failed: %s", outfile);
            status = 2;
        }
    }
    free(lines);
    sh_buf_free(&all);
    free(keys);
    return status;
}
