/* find_parse.c: reads find's command line (GNU findutils 4.9): options
 * -H -L -P, the starting points, then the expression with ( ) ! -not -a
 * -and -o -or and `,`, its tests, actions and global options (-maxdepth
 * -mindepth -depth -daystart -xdev ...). Messages are GNU's ("unknown
 * predicate `-foo'", "missing argument to `-name'", "paths must precede
 * expression: `x'"). */
#include "find.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    shctx *sh;
    fexpr *e;
    char **v;
    int n, i;
    bool failed;
    int nest; /* ( and ! inside each other: bounded, the parser recurses */
} fparser;

#define FIND_MAX_NEST 500

static fnode *node(fparser *p, int kind)
{
    fnode *f = sh_calloc(1, sizeof *f);
    f->kind = kind;
    p->e->all = sh_realloc(p->e->all, (p->e->nall + 1) * sizeof *p->e->all);
    p->e->all[p->e->nall++] = f;
    return f;
}

static void fail(fparser *p, const char *fmt, const char *a, const char *b)
{
    if (!p->failed) {
        sh_buf m = {0};
        sh_buf_printf(&m, fmt, a ? a : "", b ? b : "");
        sh_err(p->sh, "%s", m.data);
        sh_buf_free(&m);
    }
    p->failed = true;
}

static const char *arg(fparser *p, const char *pred)
{
    if (p->i >= p->n) {
        fail(p, "missing argument to `%s'", pred, NULL);
        return NULL;
    }
    return p->v[p->i++];
}

/* "+N", "-N" or "N" (a decimal integer). */
static bool parse_fnum(const char *s, fnum *out)
{
    out->cmp = '=';
    if (*s == '+' || *s == '-')
        out->cmp = *s++;
    if (!*s || strspn(s, "0123456789") != strlen(s))
        return false;
    int64_t v;
    if (!sh_parse_int(s, &v))
        return false;
    out->n = v;
    return true;
}

/* GNU find's -regex default syntax is Emacs's: ( ) | { } are literal and
 * \( \) \| are the operators, + and ? are. Rewritten into an ERE. */
static void emacs_to_ere(const char *s, sh_buf *out)
{
    for (; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            if (strchr("()|", *s))
                sh_buf_addc(out, *s);
            else {
                sh_buf_addc(out, '\\');
                sh_buf_addc(out, *s);
            }
        } else if (strchr("(){}|", *s)) {
            sh_buf_addc(out, '\\');
            sh_buf_addc(out, *s);
        } else if (*s == '[') { /* a bracket expression is copied whole */
            const char *e = s + 1;
            if (*e == '^')
                e++;
            if (*e == ']')
                e++;
            while (*e && *e != ']')
                e++;
            if (!*e) {
                sh_buf_adds(out, s);
                return;
            }
            sh_buf_add(out, s, (size_t)(e - s) + 1);
            s = e;
        } else {
            sh_buf_addc(out, *s);
        }
    }
}

static fnode *parse_or(fparser *p);

static bool is_expr_start(const char *a)
{
    return (a[0] == '-' && a[1]) || !strcmp(a, "(") || !strcmp(a, "!") || !strcmp(a, ")") ||
           !strcmp(a, ",");
}

static fnode *primary_in(fparser *p);

static fnode *primary(fparser *p)
{
    if (p->nest >= FIND_MAX_NEST) {
        fail(p, "invalid expression: parentheses and negations nested more than 500 deep", NULL, NULL);
        return NULL;
    }
    p->nest++;
    fnode *f = primary_in(p);
    p->nest--;
    return f;
}

static fnode *primary_in(fparser *p)
{
    const char *a = p->v[p->i++];
    fnode *f;
    if (!strcmp(a, "(")) {
        f = parse_or(p);
        if (p->failed)
            return NULL;
        if (p->i >= p->n || strcmp(p->v[p->i], ")")) {
            fail(p, "invalid expression; I was expecting to find a ')' somewhere but did not see one.",
                 NULL, NULL);
            return NULL;
        }
        p->i++;
        return f;
    }
    if (!strcmp(a, "!") || !strcmp(a, "-not")) {
        if (p->i >= p->n) {
            fail(p, "invalid expression; you have used a binary operator '%s' with nothing before it.",
                 a, NULL);
            return NULL;
        }
        f = node(p, F_NOT);
        f->l = primary(p);
        return p->failed ? NULL : f;
    }
    if (a[0] != '-' || !a[1]) {
        fail(p, "paths must precede expression: `%s'", a, NULL);
        return NULL;
    }
    const char *name = a + 1;
    fexpr *e = p->e;
    /* global options and no-ops: true */
    if (!strcmp(name, "maxdepth") || !strcmp(name, "mindepth")) {
        const char *v = arg(p, a);
        if (!v)
            return NULL;
        int64_t d;
        if (!sh_parse_int(v, &d) || d < 0 || strspn(v, "0123456789") != strlen(v)) {
            fail(p, "Expected a positive decimal integer argument to %s, but got '%s'", a, v);
            return NULL;
        }
        if (name[1] == 'a')
            e->maxdepth = d > 100000 ? 100000 : (int)d;
        else
            e->mindepth = d > 100000 ? 100000 : (int)d;
        return node(p, F_TRUE);
    }
    if (!strcmp(name, "depth") || !strcmp(name, "d")) {
        e->depth_first = true;
        return node(p, F_TRUE);
    }
    if (!strcmp(name, "daystart")) {
        e->daystart = true;
        return node(p, F_TRUE);
    }
    if (!strcmp(name, "follow")) {
        e->follow = 2;
        return node(p, F_TRUE);
    }
    if (!strcmp(name, "xdev") || !strcmp(name, "mount") || !strcmp(name, "noleaf") ||
        !strcmp(name, "ignore_readdir_race") || !strcmp(name, "noignore_readdir_race") ||
        !strcmp(name, "nowarn") || !strcmp(name, "warn") || !strcmp(name, "true"))
        return node(p, F_TRUE);
    if (!strcmp(name, "false"))
        return node(p, F_FALSE);
    if (!strcmp(name, "name") || !strcmp(name, "iname") || !strcmp(name, "path") ||
        !strcmp(name, "ipath") || !strcmp(name, "wholename") || !strcmp(name, "iwholename")) {
        const char *v = arg(p, a);
        if (!v)
            return NULL;
        f = node(p, strstr(name, "name") && !strstr(name, "whole") ? F_NAME : F_PATH);
        f->pat = sh_strdup(v);
        f->icase = name[0] == 'i';
        return f;
    }
    if (!strcmp(name, "regex") || !strcmp(name, "iregex")) {
        const char *v = arg(p, a);
        if (!v)
            return NULL;
        f = node(p, F_REGEX);
        sh_buf ere = {0}, rx = {0};
        if (p->e->regex_ere)
            sh_buf_adds(&ere, v);
        else
            emacs_to_ere(v, &ere);
        const char *err = sh_posix_regex(ere.data ? ere.data : "", ere.len, true, false, &rx);
        sh_buf_free(&ere);
        if (!err) {
            /* the whole path must match */
            sh_buf whole = {0};
            sh_buf_adds(&whole, "\\A(?:");
            sh_buf_add(&whole, rx.data ? rx.data : "", rx.len);
            sh_buf_adds(&whole, ")\\z");
            rx_error rerr;
            f->re = rx_compile(whole.data, whole.len, RX_DOTALL | (name[0] == 'i' ? RX_ICASE : 0),
                               &rerr);
            sh_buf_free(&whole);
            if (!f->re)
                err = rerr.msg;
            else
                err = NULL;
            if (err) {
                fail(p, "invalid regular expression '%s': %s", v, err);
                sh_buf_free(&rx);
                return NULL;
            }
        } else {
            fail(p, "%s", err, NULL);
            sh_buf_free(&rx);
            return NULL;
        }
        sh_buf_free(&rx);
        return f;
    }
    if (!strcmp(name, "regextype")) {
        const char *v = arg(p, a);
        if (v && strcmp(v, "emacs") && strcmp(v, "posix-extended") && strcmp(v, "posix-egrep") &&
            strcmp(v, "egrep") && strcmp(v, "findutils-default")) {
            fail(p, "Unknown regular expression type %s; only emacs, posix-extended, posix-egrep, "
                    "egrep and findutils-default are available in the sandbox.",
                 sh_quote(p->sh, v), NULL);
            return NULL;
        }
        if (!v)
            return NULL;
        /* posix-extended and egrep: the regexes after it are EREs */
        p->e->regex_ere = strcmp(v, "emacs") && strcmp(v, "findutils-default");
        return node(p, F_TRUE);
    }
    if (!strcmp(name, "type") || !strcmp(name, "xtype")) {
        const char *v = arg(p, a);
        if (!v)
            return NULL;
        f = node(p, F_TYPE);
        size_t k = 0;
        for (const char *s = v; *s; s++) {
            if (*s == ',' && s != v && s[1])
                continue;
            if (!strchr("fdlpsbcD", *s) || k >= sizeof f->types - 1 ||
                (s[1] && s[1] != ',')) {
                fail(p, "Unknown argument to %s: %s", a, s);
                return NULL;
            }
            f->types[k++] = *s;
        }
        if (!k) {
            fail(p, "Unknown argument to %s: %s", a, v);
            return NULL;
        }
        return f;
    }
    if (!strcmp(name, "mtime") || !strcmp(name, "atime") || !strcmp(name, "ctime") ||
        !strcmp(name, "mmin") || !strcmp(name, "amin") || !strcmp(name, "cmin")) {
        const char *v = arg(p, a);
        if (!v)
            return NULL;
        f = node(p, F_TIME);
        f->which = name[0];
        f->minutes = !strcmp(name + 1, "min");
        if (!parse_fnum(v, &f->num)) {
            fail(p, "invalid argument `%s' to `%s'", v, a);
            return NULL;
        }
        return f;
    }
    if (!strcmp(name, "newer") || !strcmp(name, "anewer") || !strcmp(name, "cnewer") ||
        !strcmp(name, "newermm")) {
        const char *v = arg(p, a);
        if (!v)
            return NULL;
        f = node(p, F_NEWER);
        f->which = name[0] == 'a' ? 'a' : name[0] == 'c' ? 'c' : 'm';
        struct stat st;
        if (stat(v, &st) != 0) {
            fail(p, "%s: %s", sh_quote(p->sh, v), sh_strerror(errno));
            return NULL;
        }
        f->ref_sec = (int64_t)st.st_mtim.tv_sec;
        f->ref_nsec = st.st_mtim.tv_nsec;
        return f;
    }
    if (!strcmp(name, "size")) {
        const char *v = arg(p, a);
        if (!v)
            return NULL;
        f = node(p, F_SIZE);
        sh_buf num = {0};
        sh_buf_adds(&num, v);
        f->unit = 512;
        if (num.len) {
            char u = num.data[num.len - 1];
            const char *units = "bcwkMG";
            static const int64_t mult[] = {512, 1, 2, 1024, 1048576, 1073741824};
            const char *k = u ? strchr(units, u) : NULL;
            if (k) {
                f->unit = mult[k - units];
                num.data[--num.len] = 0;
            }
        }
        bool ok = parse_fnum(num.data ? num.data : "", &f->num);
        sh_buf_free(&num);
        if (!ok) {
            fail(p, "invalid -size type `%s'", v, NULL);
            return NULL;
        }
        return f;
    }
    if (!strcmp(name, "links") || !strcmp(name, "inum")) {
        const char *v = arg(p, a);
        if (!v)
            return NULL;
        f = node(p, name[0] == 'l' ? F_LINKS : F_INUM);
        if (!parse_fnum(v, &f->num)) {
            fail(p, "invalid argument `%s' to `%s'", v, a);
            return NULL;
        }
        return f;
    }
    if (!strcmp(name, "empty"))
        return node(p, F_EMPTY);
    if (!strcmp(name, "readable"))
        return node(p, F_READABLE);
    if (!strcmp(name, "writable"))
        return node(p, F_WRITABLE);
    if (!strcmp(name, "executable"))
        return node(p, F_EXECUTABLE);
    if (!strcmp(name, "prune"))
        return node(p, F_PRUNE);
    if (!strcmp(name, "quit"))
        return node(p, F_QUIT);
    if (!strcmp(name, "print") || !strcmp(name, "print0") || !strcmp(name, "ls")) {
        e->has_action = true;
        return node(p, name[1] == 's' ? F_LS : name[5] == '0' ? F_PRINT0 : F_PRINT);
    }
    if (!strcmp(name, "printf")) {
        const char *v = arg(p, a);
        if (!v)
            return NULL;
        e->has_action = true;
        f = node(p, F_PRINTF);
        f->pat = sh_strdup(v);
        return f;
    }
    if (!strcmp(name, "delete")) {
        e->has_action = true;
        e->depth_first = true;
        return node(p, F_DELETE);
    }
    if (!strcmp(name, "exec") || !strcmp(name, "execdir")) {
        int s = p->i, end = s;
        bool plus = false;
        while (end < p->n && strcmp(p->v[end], ";")) {
            if (!strcmp(p->v[end], "+") && end > s && !strcmp(p->v[end - 1], "{}")) {
                plus = true;
                break;
            }
            end++;
        }
        if (end >= p->n || end == s) {
            fail(p, "missing argument to `%s'", a, NULL);
            return NULL;
        }
        e->has_action = true;
        f = node(p, plus ? F_EXEC_PLUS : F_EXEC);
        f->argc = end - s - (plus ? 1 : 0);
        f->argv = sh_calloc((size_t)f->argc + 1, sizeof *f->argv);
        for (int k = 0; k < f->argc; k++)
            f->argv[k] = sh_strdup(p->v[s + k]);
        f->which = name[4] == 'd' ? 'd' : 0;
        p->i = end + 1;
        return f;
    }
    if (!strcmp(name, "ok") || !strcmp(name, "okdir")) {
        fail(p, "%s asks a question on a terminal, and the sandbox has none: use -exec", a, NULL);
        return NULL;
    }
    if (!strcmp(name, "user") || !strcmp(name, "group") || !strcmp(name, "perm") ||
        !strcmp(name, "uid") || !strcmp(name, "gid") || !strcmp(name, "nouser") ||
        !strcmp(name, "nogroup") || !strcmp(name, "fstype") || !strcmp(name, "context")) {
        fail(p, "%s is not available in the sandbox: WASI tells no owners, modes or file systems",
             a, NULL);
        return NULL;
    }
    fail(p, "unknown predicate `%s'", a, NULL);
    return NULL;
}

static bool starts_primary(fparser *p)
{
    if (p->i >= p->n)
        return false;
    const char *a = p->v[p->i];
    return strcmp(a, ")") && strcmp(a, "-o") && strcmp(a, "-or") && strcmp(a, ",");
}

static fnode *parse_and(fparser *p)
{
    fnode *l = primary(p);
    while (!p->failed && starts_primary(p)) {
        if (!strcmp(p->v[p->i], "-a") || !strcmp(p->v[p->i], "-and")) {
            p->i++;
            if (!starts_primary(p)) {
                fail(p, "invalid expression; you have used a binary operator '%s' with nothing after it.",
                     p->v[p->i - 1], NULL);
                return NULL;
            }
        }
        fnode *r = primary(p);
        if (p->failed)
            return NULL;
        fnode *f = node(p, F_AND);
        f->l = l;
        f->r = r;
        l = f;
    }
    return p->failed ? NULL : l;
}

static fnode *parse_or(fparser *p)
{
    if (p->i >= p->n || !strcmp(p->v[p->i], ")")) {
        fail(p, "invalid expression; empty parentheses are not allowed.", NULL, NULL);
        return NULL;
    }
    fnode *l = parse_and(p);
    while (!p->failed && p->i < p->n &&
           (!strcmp(p->v[p->i], "-o") || !strcmp(p->v[p->i], "-or") || !strcmp(p->v[p->i], ","))) {
        const char *op = p->v[p->i++];
        if (p->i >= p->n || !strcmp(p->v[p->i], ")")) {
            fail(p, "invalid expression; you have used a binary operator '%s' with nothing after it.",
                 op, NULL);
            return NULL;
        }
        fnode *r = parse_and(p);
        if (p->failed)
            return NULL;
        fnode *f = node(p, op[0] == ',' ? F_COMMA : F_OR);
        f->l = l;
        f->r = r;
        l = f;
    }
    return p->failed ? NULL : l;
}

bool find_parse(shctx *sh, fexpr *e, int argc, char **argv)
{
    fparser P = {sh, e, argv, argc, 0, false, 0};
    fparser *p = &P;
    e->maxdepth = -1;
    e->mindepth = -1;
    /* -H -L -P (and -D/-O, accepted) come first */
    while (p->i < p->n && argv[p->i][0] == '-' && argv[p->i][1] &&
           strspn(argv[p->i] + 1, "HLP") == strlen(argv[p->i] + 1)) {
        for (const char *s = argv[p->i] + 1; *s; s++)
            e->follow = *s == 'H' ? 1 : *s == 'L' ? 2 : 0;
        p->i++;
    }
    if (p->i < p->n && !strcmp(argv[p->i], "--"))
        p->i++;
    int s = p->i;
    while (p->i < p->n && !is_expr_start(argv[p->i]))
        p->i++;
    e->starts = argv + s;
    e->nstarts = p->i - s;
    if (p->i < p->n) {
        e->root = parse_or(p);
        if (!p->failed && p->i < p->n) {
            if (!strcmp(argv[p->i], ")"))
                fail(p, "invalid expression; you have too many ')'", NULL, NULL);
            else
                fail(p, "paths must precede expression: `%s'", argv[p->i], NULL);
        }
    }
    return !p->failed;
}

void find_free(fexpr *e)
{
    for (size_t k = 0; k < e->nall; k++) {
        fnode *f = e->all[k];
        free(f->pat);
        if (f->re)
            rx_free(f->re);
        if (f->argv)
            for (int i = 0; i < f->argc; i++)
                free(f->argv[i]);
        free(f->argv);
        for (size_t i = 0; i < f->nbatch; i++)
            free(f->batch[i]);
        free(f->batch);
        free(f);
    }
    free(e->all);
}
