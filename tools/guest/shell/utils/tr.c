/* tr: GNU's, byte by byte. SET syntax: characters, escapes (\n \t \\ \NNN
 * ...), ranges a-z, classes [:alpha:] ..., [=c=], and in SET2 [c*N] and
 * [c*] (repeat). -d deletes, -s squeezes, -c/-C complement SET1, -t cuts
 * SET1 to SET2's length; otherwise SET2 is padded with its last character.
 * [:lower:] and [:upper:] facing each other convert case. */
#include "../shell.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned char *v;
    size_t n, cap;
    /* where [:upper:]/[:lower:] stand, for case conversion */
    long upper_at, lower_at;
    bool has_repeat_fill; /* [c*] */
    size_t fill_at;
    unsigned char fill;
} cset;

static void add(cset *s, unsigned char c)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->v = sh_realloc(s->v, s->cap);
    }
    s->v[s->n++] = c;
}

static bool in_class(const char *cls, int c)
{
    if (!strcmp(cls, "alpha")) return isalpha(c);
    if (!strcmp(cls, "digit")) return isdigit(c);
    if (!strcmp(cls, "alnum")) return isalnum(c);
    if (!strcmp(cls, "lower")) return islower(c);
    if (!strcmp(cls, "upper")) return isupper(c);
    if (!strcmp(cls, "space")) return isspace(c);
    if (!strcmp(cls, "blank")) return c == ' ' || c == '\t';
    if (!strcmp(cls, "punct")) return ispunct(c);
    if (!strcmp(cls, "print")) return isprint(c);
    if (!strcmp(cls, "graph")) return isgraph(c);
    if (!strcmp(cls, "cntrl")) return iscntrl(c);
    if (!strcmp(cls, "xdigit")) return isxdigit(c);
    return false;
}

static bool valid_class(const char *cls)
{
    static const char *all[] = {"alpha", "digit", "alnum", "lower", "upper", "space",
                                "blank", "punct", "print", "graph", "cntrl", "xdigit"};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (!strcmp(all[i], cls))
            return true;
    return false;
}

/* One character of a set at *p (with escapes); advances *p. */
static unsigned char one(const char **p)
{
    const char *s = *p;
    if (*s != '\\' || !s[1]) {
        *p = s + 1;
        return (unsigned char)*s;
    }
    s++;
    unsigned char c;
    switch (*s) {
    case 'a': c = '\a'; break;
    case 'b': c = '\b'; break;
    case 'f': c = '\f'; break;
    case 'n': c = '\n'; break;
    case 'r': c = '\r'; break;
    case 't': c = '\t'; break;
    case 'v': c = '\v'; break;
    default:
        if (*s >= '0' && *s <= '7') {
            unsigned v = 0;
            for (int k = 0; k < 3 && *s >= '0' && *s <= '7'; k++, s++)
                v = v * 8 + (unsigned)(*s - '0');
            *p = s;
            return (unsigned char)v;
        }
        c = (unsigned char)*s;
    }
    *p = s + 1;
    return c;
}

static bool parse_set(shctx *sh, const char *text, cset *s, bool second)
{
    s->upper_at = s->lower_at = -1;
    const char *p = text;
    while (*p) {
        if (p[0] == '[' && p[1] == ':') {
            const char *e = strstr(p + 2, ":]");
            if (e) {
                char cls[16] = "";
                size_t n = (size_t)(e - p - 2);
                if (n < sizeof cls) {
                    memcpy(cls, p + 2, n);
                    cls[n] = 0;
                }
                if (!valid_class(cls)) {
                    sh_err(sh, "invalid character class %s", sh_quote(sh, cls));
                    return false;
                }
                if (!strcmp(cls, "upper"))
                    s->upper_at = (long)s->n;
                if (!strcmp(cls, "lower"))
                    s->lower_at = (long)s->n;
                for (int c = 0; c < 256; c++)
                    if (in_class(cls, c))
                        add(s, (unsigned char)c);
                p = e + 2;
                continue;
            }
        }
        if (p[0] == '[' && p[1] == '=' && p[2] && p[3] == '=' && p[4] == ']') {
            add(s, (unsigned char)p[2]);
            p += 5;
            continue;
        }
        if (p[0] == '[' && p[1] && p[2] == '*') {
            const char *q = p + 1;
            unsigned char c = one(&q);
            if (*q == '*') {
                q++;
                char *end;
                long count = strtol(q, &end, *q == '0' ? 8 : 10);
                if (*end == ']') {
                    if (!second) {
                        sh_err(sh, "the [c*] repeat construct may not appear in string1");
                        return false;
                    }
                    if (end == q) {
                        s->has_repeat_fill = true;
                        s->fill_at = s->n;
                        s->fill = c;
                    } else {
                        for (long k = 0; k < count && k < 65536; k++)
                            add(s, c);
                    }
                    p = end + 1;
                    continue;
                }
            }
        }
        unsigned char a = one(&p);
        if (*p == '-' && p[1]) {
            const char *q = p + 1;
            unsigned char b = one(&q);
            if (b < a) {
                sh_err(sh, "range-endpoints of '%c-%c' are in reverse collating sequence order", a, b);
                return false;
            }
            for (int c = a; c <= b; c++)
                add(s, (unsigned char)c);
            p = q;
            continue;
        }
        add(s, a);
    }
    return true;
}

int util_tr(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"complement", SH_NO_ARG, 'c'}, {"delete", SH_NO_ARG, 'd'},
                                    {"squeeze-repeats", SH_NO_ARG, 's'}, {"truncate-set1", SH_NO_ARG, 't'},
                                    {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    bool comp = false, del = false, squeeze = false, trunc = false;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "cCdst", lo)) != -1) {
        switch (c) {
        case 'c':
        case 'C': comp = true; break;
        case 'd': del = true; break;
        case 's': squeeze = true; break;
        case 't': trunc = true; break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: tr [OPTION]... STRING1 [STRING2]\n");
            return 0;
        default:
            return 1;
        }
    }
    int nops = argc - st.ind;
    bool translate = !del && nops >= 2;
    int need = del && squeeze ? 2 : (del || (squeeze && nops < 2)) ? 1 : 2;
    if (nops < need) {
        if (nops == 0)
            sh_err(sh, "missing operand");
        else
            sh_err(sh, "missing operand after %s", sh_quote(sh, argv[argc - 1]));
        if (nops == 1 && need == 2)
            sh_puts(sh_stderr(sh), del ? "Two strings must be given when both deleting and squeezing repeats.\n"
                                       : "Two strings must be given when translating.\n");
        sh_try_help(sh);
        return 1;
    }
    if (nops > need) {
        sh_err(sh, "extra operand %s", sh_quote(sh, argv[st.ind + need]));
        sh_try_help(sh);
        return 1;
    }
    cset s1 = {0}, s2 = {0};
    int status = 0;
    if (!parse_set(sh, argv[st.ind], &s1, false) ||
        (nops > 1 && !parse_set(sh, argv[st.ind + 1], &s2, true))) {
        status = 1;
        goto done;
    }
    bool member1[256] = {0};
    for (size_t i = 0; i < s1.n; i++)
        member1[s1.v[i]] = true;
    if (comp) {
        bool m[256];
        memcpy(m, member1, sizeof m);
        s1.n = 0;
        for (int k = 0; k < 256; k++) {
            member1[k] = !m[k];
            if (!m[k])
                add(&s1, (unsigned char)k);
        }
    }
    int map[256];
    for (int k = 0; k < 256; k++)
        map[k] = k;
    if (translate) {
        if (s2.has_repeat_fill) { /* [c*]: as many as SET1 needs */
            size_t want = s1.n > s2.n ? s1.n - s2.n : 0;
            cset t = {0};
            for (size_t k = 0; k < s2.fill_at; k++)
                add(&t, s2.v[k]);
            for (size_t k = 0; k < want; k++)
                add(&t, s2.fill);
            for (size_t k = s2.fill_at; k < s2.n; k++)
                add(&t, s2.v[k]);
            free(s2.v);
            t.upper_at = s2.upper_at;
            t.lower_at = s2.lower_at;
            s2 = t;
        }
        if (!s2.n) {
            sh_err(sh, "when not truncating set1, string2 must be non-empty");
            status = 1;
            goto done;
        }
        bool casemap = (s1.lower_at >= 0 && s2.upper_at >= 0) || (s1.upper_at >= 0 && s2.lower_at >= 0);
        if (casemap && !comp) {
            for (int k = 0; k < 256; k++)
                if (s1.lower_at >= 0 && s2.upper_at >= 0 && islower(k))
                    map[k] = toupper(k);
                else if (s1.upper_at >= 0 && s2.lower_at >= 0 && isupper(k))
                    map[k] = tolower(k);
        } else {
            size_t n = trunc && s2.n < s1.n ? s2.n : s1.n;
            for (size_t k = 0; k < n; k++)
                map[s1.v[k]] = s2.v[k < s2.n ? k : s2.n - 1];
        }
    }
    /* what -s squeezes: the last set given */
    bool sq[256] = {0};
    if (squeeze) {
        const cset *last = nops > 1 ? &s2 : &s1;
        for (size_t k = 0; k < last->n; k++)
            sq[last->v[k]] = true;
    }
    unsigned char buf[65536];
    sh_buf out = {0};
    int prev = -1;
    for (;;) {
        ssize_t n = sh_read(sh_stdin(sh), buf, sizeof buf);
        if (n < 0) {
            sh_errno(sh, errno, "read error");
            status = 1;
            break;
        }
        if (n == 0)
            break;
        out.len = 0;
        for (ssize_t k = 0; k < n; k++) {
            int ch = buf[k];
            if (del && member1[ch])
                continue;
            ch = map[ch];
            if (squeeze && sq[ch] && ch == prev)
                continue;
            prev = ch;
            sh_buf_addc(&out, (char)ch);
        }
        if (!sh_write(sh_stdout(sh), out.data ? out.data : "", out.len)) {
            status = 1;
            break;
        }
    }
    sh_buf_free(&out);
done:
    free(s1.v);
    free(s2.v);
    return status;
}
