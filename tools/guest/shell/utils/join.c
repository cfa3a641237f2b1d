/* join: GNU's. Joins the lines of two files sorted on their join fields:
 * -1 F, -2 F, -j F (the fields, 1 by default), -t C (the separator; else
 * runs of blanks, leading ones skipped), -i, -a N (also the lines of file
 * N that pair with nothing), -v N (only those), -e S (for missing fields),
 * -o FORMAT ("0", "N.M" items, or "auto"), --header, -z,
 * --check-order / --nocheck-order. Every pair of lines with equal keys is
 * printed (the product of the two runs). Input found unsorted is reported
 * as GNU does ("join: f:3: is not sorted: LINE") once lines that do not
 * pair have been seen; the status is then 1. */
#include "../shell.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *p;
    size_t n;
} field;

typedef struct {
    sh_buf text;     /* without its end */
    field *f;
    size_t nf, cap;
} jline;

typedef struct {
    int file;        /* 0: the join field, else 1 or 2 */
    size_t field;    /* from 0 */
} ospec;

typedef struct {
    size_t key[2];      /* join fields, from 0 */
    int sep;            /* -t byte, -1 blanks, -2 the whole line (-t '') */
    bool icase, print_paired, unpaired[2], header, autofmt;
    int order;          /* 0 default, 1 check, 2 none */
    const char *empty;  /* -e */
    ospec *fmt;
    size_t nfmt;
    char eol;
    sh_buf out;
    sh_stream *so;
    bool ok;
} jopt;

typedef struct {
    sh_stream *s;
    const char *name;
    uint64_t lineno;
    jline *run;        /* lines with equal keys: run[0..count) */
    size_t count, cap;
    sh_buf prev_key;   /* the key of the line before, for the order check */
    bool have_prev, warned;
} jfile;

static void split_fields(const jopt *o, jline *l)
{
    l->nf = 0;
    const char *p = l->text.data ? l->text.data : "", *lim = p + l->text.len;
#define ADD(a, b)                                                        \
    do {                                                                 \
        if (l->nf == l->cap) {                                           \
            l->cap = l->cap ? l->cap * 2 : 8;                            \
            l->f = sh_realloc(l->f, l->cap * sizeof *l->f);              \
        }                                                                \
        l->f[l->nf++] = (field){(a), (size_t)((b) - (a))};               \
    } while (0)
    if (o->sep == -2) {
        ADD(p, lim);
    } else if (o->sep >= 0) {
        if (p == lim)
            return;
        for (const char *s = p;; s++) {
            if (s == lim || *s == (char)o->sep) {
                ADD(p, s);
                if (s == lim)
                    break;
                p = s + 1;
            }
        }
    } else {
        /* blanks: leading ones skipped; trailing ones leave an empty field */
        while (p < lim && (*p == ' ' || *p == '\t'))
            p++;
        if (p == lim)
            return;
        while (p < lim) {
            const char *s = p + 1;
            while (s < lim && *s != ' ' && *s != '\t')
                s++;
            ADD(p, s);
            if (s == lim)
                return;
            for (p = s + 1; p < lim && (*p == ' ' || *p == '\t'); p++)
                ;
        }
        ADD(p, p);
    }
#undef ADD
}

static field key_of(const jopt *o, const jline *l, int which)
{
    size_t k = o->key[which];
    return k < l->nf ? l->f[k] : (field){"", 0};
}

static int fieldcmp(const jopt *o, field x, field y)
{
    size_t n = x.n < y.n ? x.n : y.n;
    int c = 0;
    if (o->icase)
        for (size_t i = 0; i < n && !c; i++)
            c = tolower((unsigned char)x.p[i]) - tolower((unsigned char)y.p[i]);
    else
        c = sh_memcmp(x.p, y.p, n);
    return c ? c : (x.n > y.n) - (x.n < y.n);
}

static int keycmp(const jopt *o, const jline *a, const jline *b, int wa, int wb)
{
    return fieldcmp(o, key_of(o, a, wa), key_of(o, b, wb));
}

/* Reads the next line into l; false at the end (or on error: *err). The
 * order against the line before is checked when asked to. */
static bool get_line(shctx *sh, jopt *o, jfile *f, jline *l, int which, bool check, int *err)
{
    if (!o->ok) /* --check-order ended it */
        return false;
    ssize_t n = sh_getdelim(f->s, &l->text, o->eol);
    if (n < 0)
        *err = errno;
    if (n <= 0)
        return false;
    if (l->text.data[l->text.len - 1] == o->eol)
        l->text.data[--l->text.len] = 0;
    f->lineno++;
    split_fields(o, l);
    field key = key_of(o, l, which);
    if (f->have_prev && check && !f->warned && o->order != 2 &&
        fieldcmp(o, (field){f->prev_key.data ? f->prev_key.data : "", f->prev_key.len}, key) > 0) {
        if (o->out.len) {
            o->ok = o->ok && sh_write(o->so, o->out.data, o->out.len);
            o->out.len = 0;
        }
        sh_flush(o->so);
        sh_err(sh, "%s:%llu: is not sorted: %.*s", f->name, (unsigned long long)f->lineno, (int)l->text.len,
               l->text.data);
        f->warned = true;
        if (o->order == 1)
            o->ok = false;
    }
    f->prev_key.len = 0;
    sh_buf_add(&f->prev_key, key.p, key.n);
    f->have_prev = true;
    return true;
}

static void put(jopt *o, const char *p, size_t n)
{
    sh_buf_add(&o->out, p, n);
}

static void put_sep(jopt *o)
{
    sh_buf_addc(&o->out, o->sep >= 0 ? (char)o->sep : ' ');
}

/* A field; -e's text for one that is empty or missing (as GNU's prfield). */
static void put_field(jopt *o, const jline *l, size_t k)
{
    if (l && k < l->nf && l->f[k].n)
        put(o, l->f[k].p, l->f[k].n);
    else if (o->empty)
        sh_buf_adds(&o->out, o->empty);
}

/* One output line from a (file 1's line or NULL) and b. */
static void prjoin(jopt *o, const jline *a, const jline *b)
{
    if (o->nfmt) {
        for (size_t i = 0; i < o->nfmt; i++) {
            if (i)
                put_sep(o);
            const ospec *s = &o->fmt[i];
            if (s->file == 0) {
                if (a)
                    put_field(o, a, o->key[0]);
                else
                    put_field(o, b, o->key[1]);
            } else {
                put_field(o, s->file == 1 ? a : b, s->field);
            }
        }
    } else {
        put_field(o, a ? a : b, o->key[a ? 0 : 1]);
        for (int w = 0; w < 2; w++) {
            const jline *l = w ? b : a;
            if (!l)
                continue;
            for (size_t i = 0; i < l->nf; i++) {
                if (i == o->key[w])
                    continue;
                put_sep(o);
                put_field(o, l, i);
            }
        }
    }
    sh_buf_addc(&o->out, o->eol);
    if (o->out.len >= 65536) {
        o->ok = o->ok && sh_write(o->so, o->out.data, o->out.len);
        o->out.len = 0;
    }
}

static void line_free(jline *l)
{
    sh_buf_free(&l->text);
    free(l->f);
    memset(l, 0, sizeof *l);
}

/* Adds the next line to f's run; false at the end. */
static bool advance(shctx *sh, jopt *o, jfile *f, int which, bool check, int *err)
{
    if (f->count == f->cap) {
        size_t old = f->cap;
        f->cap = f->cap ? f->cap * 2 : 4;
        f->run = sh_realloc(f->run, f->cap * sizeof *f->run);
        memset(f->run + old, 0, (f->cap - old) * sizeof *f->run);
    }
    if (!get_line(sh, o, f, &f->run[f->count], which, check, err))
        return false;
    f->count++;
    return true;
}

static bool field_number(shctx *sh, const char *s, size_t *out)
{
    int64_t v;
    if (!sh_parse_int(s, &v) || v < 1 || s[0] == '+' || s[0] == '-' || s[0] == ' ') {
        sh_err(sh, "invalid field number: %s", sh_quote(sh, s));
        return false;
    }
    *out = (size_t)(v - 1);
    return true;
}

static bool parse_format(shctx *sh, jopt *o, const char *s)
{
    if (!strcmp(s, "auto")) {
        o->autofmt = true;
        return true;
    }
    char *copy = sh_strdup(s);
    for (char *tok = strtok(copy, ", \t"); tok; tok = strtok(NULL, ", \t")) {
        ospec sp = {0, 0};
        if (strcmp(tok, "0")) {
            if ((tok[0] != '1' && tok[0] != '2') || tok[1] != '.') {
                sh_err(sh, "invalid file number in field spec: %s", sh_quote(sh, tok));
                free(copy);
                return false;
            }
            sp.file = tok[0] - '0';
            if (!field_number(sh, tok + 2, &sp.field)) {
                free(copy);
                return false;
            }
        }
        o->fmt = sh_realloc(o->fmt, (o->nfmt + 1) * sizeof *o->fmt);
        o->fmt[o->nfmt++] = sp;
    }
    free(copy);
    return true;
}

/* -o auto: 0, then the other fields of the first line of each file (the
 * headers with --header); first[w] NULL for an empty file. */
static void auto_format(jopt *o, const jline *first[2])
{
    o->fmt = sh_realloc(o->fmt, sizeof *o->fmt);
    o->fmt[0] = (ospec){0, 0};
    o->nfmt = 1;
    for (int w = 0; w < 2; w++) {
        size_t nf = first[w] ? first[w]->nf : 0;
        for (size_t i = 0; i < nf; i++) {
            if (i == o->key[w])
                continue;
            o->fmt = sh_realloc(o->fmt, (o->nfmt + 1) * sizeof *o->fmt);
            o->fmt[o->nfmt++] = (ospec){w + 1, i};
        }
    }
}

int util_join(shctx *sh, int argc, char **argv)
{
    enum { OPT_HEADER = 256, OPT_CHECK, OPT_NOCHECK, OPT_HELP };
    static const sh_longopt lo[] = {{"ignore-case", SH_NO_ARG, 'i'}, {"header", SH_NO_ARG, OPT_HEADER},
                                    {"check-order", SH_NO_ARG, OPT_CHECK}, {"nocheck-order", SH_NO_ARG, OPT_NOCHECK},
                                    {"zero-terminated", SH_NO_ARG, 'z'}, {"help", SH_NO_ARG, OPT_HELP},
                                    {NULL, 0, 0}};
    jopt o;
    memset(&o, 0, sizeof o);
    o.sep = -1;
    o.print_paired = true;
    o.eol = '\n';
    o.ok = true;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c, status = 1;
    size_t k;
    while ((c = sh_getopt(sh, &st, argc, argv, "1:2:j:t:ia:v:e:o:z", lo)) != -1) {
        switch (c) {
        case '1':
        case '2':
        case 'j':
            if (!field_number(sh, st.arg, &k))
                goto out;
            if (c != '2')
                o.key[0] = k;
            if (c != '1')
                o.key[1] = k;
            break;
        case 't':
            if (strlen(st.arg) > 1 && strcmp(st.arg, "\\0")) {
                sh_err(sh, "multi-character tab %s", sh_quote(sh, st.arg));
                goto out;
            }
            o.sep = !*st.arg ? -2 : !strcmp(st.arg, "\\0") ? 0 : (unsigned char)st.arg[0];
            break;
        case 'i': o.icase = true; break;
        case 'a':
        case 'v':
            if (strcmp(st.arg, "1") && strcmp(st.arg, "2")) {
                sh_err(sh, "invalid field number: %s", sh_quote(sh, st.arg));
                goto out;
            }
            o.unpaired[st.arg[0] - '1'] = true;
            if (c == 'v')
                o.print_paired = false;
            break;
        case 'e': o.empty = st.arg; break;
        case 'o':
            if (!parse_format(sh, &o, st.arg))
                goto out;
            break;
        case 'z': o.eol = 0; break;
        case OPT_HEADER: o.header = true; break;
        case OPT_CHECK: o.order = 1; break;
        case OPT_NOCHECK: o.order = 2; break;
        case OPT_HELP:
            sh_puts(sh_stdout(sh), "Usage: join [OPTION]... FILE1 FILE2\n");
            status = 0;
            goto out;
        default:
            goto out;
        }
    }
    if (argc - st.ind != 2) {
        if (argc - st.ind < 2)
            sh_err(sh, "missing operand after %s", sh_quote(sh, argv[argc - 1]));
        else
            sh_err(sh, "extra operand %s", sh_quote(sh, argv[st.ind + 2]));
        sh_try_help(sh);
        goto out;
    }
    jfile f[2];
    memset(f, 0, sizeof f);
    for (int w = 0; w < 2; w++) {
        f[w].name = argv[st.ind + w];
        f[w].s = sh_input(sh, f[w].name);
        if (!f[w].s) {
            if (w)
                sh_input_close(sh, f[0].s);
            goto out;
        }
    }
    o.so = sh_stdout(sh);
    int err = 0;
    bool unpairable = false;
    status = 0;
    if (o.header) {
        /* the first lines are headers, joined whatever their keys */
        jline h[2] = {{{0}, NULL, 0, 0}, {{0}, NULL, 0, 0}};
        bool g0 = get_line(sh, &o, &f[0], &h[0], 0, false, &err);
        bool g1 = get_line(sh, &o, &f[1], &h[1], 1, false, &err);
        f[0].have_prev = f[1].have_prev = false;
        if (o.autofmt && !o.nfmt) {
            const jline *first[2] = {g0 ? &h[0] : NULL, g1 ? &h[1] : NULL};
            auto_format(&o, first);
        }
        if (g0 || g1)
            prjoin(&o, g0 ? &h[0] : NULL, g1 ? &h[1] : NULL);
        line_free(&h[0]);
        line_free(&h[1]);
    }
    advance(sh, &o, &f[0], 0, false, &err);
    advance(sh, &o, &f[1], 1, false, &err);
    if (o.autofmt && !o.nfmt) { /* a list given with -o wins over auto */
        const jline *first[2] = {f[0].count ? &f[0].run[0] : NULL, f[1].count ? &f[1].run[0] : NULL};
        auto_format(&o, first);
    }
    while (f[0].count && f[1].count && o.ok && !err && !sh_interrupted(sh)) {
        int d = keycmp(&o, &f[0].run[0], &f[1].run[0], 0, 1);
        if (d != 0) {
            int w = d < 0 ? 0 : 1;
            if (o.unpaired[w])
                prjoin(&o, w ? NULL : &f[0].run[0], w ? &f[1].run[0] : NULL);
            f[w].count = 0;
            /* the line stays allocated in run[0] for reuse; as in GNU, the
             * line read here is checked before this one counts as unpaired */
            advance(sh, &o, &f[w], w, unpairable || o.order == 1, &err);
            unpairable = true;
            continue;
        }
        /* the runs of lines with this key in both files */
        bool eof[2] = {false, false};
        for (int w = 0; w < 2; w++) {
            for (;;) {
                if (!advance(sh, &o, &f[w], w, unpairable || o.order == 1, &err)) {
                    eof[w] = true;
                    f[w].count++;
                    break;
                }
                const jline *last = &f[w].run[f[w].count - 1];
                if (w == 0 ? keycmp(&o, last, &f[1].run[0], 0, 1) : keycmp(&o, &f[0].run[0], last, 0, 1))
                    break;
            }
        }
        if (o.print_paired)
            for (size_t i = 0; i + 1 < f[0].count && o.ok; i++)
                for (size_t j = 0; j + 1 < f[1].count; j++)
                    prjoin(&o, &f[0].run[i], &f[1].run[j]);
        for (int w = 0; w < 2; w++) {
            if (eof[w]) {
                f[w].count = 0;
            } else {
                jline t = f[w].run[0];
                f[w].run[0] = f[w].run[f[w].count - 1];
                f[w].run[f[w].count - 1] = t;
                f[w].count = 1;
            }
        }
    }
    /* what is left of either file pairs with nothing; it is read to the
     * end for the order check too, unless that has spoken for the file */
    bool checktail = o.order != 2 && !(f[0].warned && f[1].warned);
    for (int w = 0; w < 2 && o.ok && !err; w++) {
        if (!(o.unpaired[w] || checktail) || !f[w].count)
            continue;
        if (o.unpaired[w])
            prjoin(&o, w ? NULL : &f[0].run[0], w ? &f[1].run[0] : NULL);
        if (f[1 - w].count)
            unpairable = true;
        f[w].count = 0;
        while (o.ok && !sh_interrupted(sh) && advance(sh, &o, &f[w], w, unpairable || o.order == 1, &err)) {
            if (!o.ok) /* --check-order found it unsorted */
                break;
            if (o.unpaired[w])
                prjoin(&o, w ? NULL : &f[0].run[0], w ? &f[1].run[0] : NULL);
            f[w].count = 0;
            if (f[w].warned && !o.unpaired[w])
                break;
        }
    }
    if (err) {
        sh_errno(sh, err, "read error");
        status = 1;
    }
    if (o.out.len && !sh_write(o.so, o.out.data, o.out.len))
        o.ok = false;
    if (!o.ok)
        status = 1;
    if (o.order != 2 && (f[0].warned || f[1].warned)) {
        if (o.order == 0) {
            sh_flush(o.so);
            sh_err(sh, "input is not in sorted order");
        }
        status = 1;
    }
    for (int w = 0; w < 2; w++) {
        for (size_t i = 0; i < f[w].cap; i++)
            line_free(&f[w].run[i]);
        free(f[w].run);
        sh_buf_free(&f[w].prev_key);
        sh_input_close(sh, f[w].s);
    }
out:
    free(o.fmt);
    sh_buf_free(&o.out);
    return status;
}
