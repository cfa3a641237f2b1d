/* posix_regex.c: POSIX basic and extended regular expressions (grep, sed,
 * find -regex) rewritten into the syntax of the guest regex engine
 * (tools/guest/regex/, the Rust regex crate's), so that the shell's
 * utilities share its linear-time matcher. The rewrite keeps the capture
 * groups in order (sed's \1 in replacements), and follows GNU's reading of
 * the corners POSIX leaves open: in a BRE `*` is literal at the start and
 * `^`/`$` are anchors only at the ends of the RE or of a group or branch; in
 * an ERE a quantifier with nothing before it applies to nothing; `a{1` and a
 * lone `)` in an ERE are literal. GNU's error messages are kept ("Unmatched
 * ( or \("). Back-references cannot be matched in linear time: the engine
 * has none, and the message says so. */
#include "shell.h"

#include <string.h>

typedef struct {
    const char *p;
    size_t n, i;
    bool ere, sed;
    sh_buf *out;
    int groups;     /* capture groups opened so far */
    int depth;      /* groups open now */
    const char *err;
} rw;

/* Characters that mean something to the engine outside a class: written
 * with a backslash when they are literal. `<` and `>` are not escaped: the
 * engine reads \< and \> as word boundaries. */
static bool meta_outside(unsigned char c)
{
    return c && strchr("\\.+*?()|[]{}^$#&-~", c);
}

static void lit(rw *r, unsigned char c)
{
    if (meta_outside(c))
        sh_buf_addc(r->out, '\\');
    sh_buf_addc(r->out, (char)c);
}

/* One character inside a class, escaped when the engine would read it as
 * syntax there (nested class, set operations, ranges, escapes). */
static void class_char(sh_buf *out, unsigned char c)
{
    if (c && strchr("[]\\^-&~", c))
        sh_buf_addc(out, '\\');
    sh_buf_addc(out, (char)c);
}

static bool known_class(const char *name, size_t n)
{
    static const char *const names[] = {"alnum", "alpha", "blank", "cntrl", "digit", "graph",
                                        "lower", "print", "punct", "space", "upper", "xdigit"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (strlen(names[k]) == n && !memcmp(names[k], name, n))
            return true;
    return false;
}

/* A bracket expression; r->i is just after '['. Backslash is literal in it. */
static void bracket(rw *r)
{
    const char *p = r->p;
    size_t n = r->n, i = r->i;
    sh_buf *out = r->out;
    sh_buf_addc(out, '[');
    if (i < n && p[i] == '^') {
        sh_buf_addc(out, '^');
        i++;
    }
    bool first = true;
    for (;;) {
        if (i >= n) {
            r->err = "Unmatched [, [^, [:, [., or [=";
            return;
        }
        unsigned char c = (unsigned char)p[i];
        if (c == ']' && !first)
            break;
        first = false;
        int lo;
        if (c == '[' && i + 1 < n && (p[i + 1] == ':' || p[i + 1] == '=' || p[i + 1] == '.')) {
            char kind = p[i + 1];
            size_t s = i + 2, e = s;
            while (e + 1 < n && !(p[e] == kind && p[e + 1] == ']'))
                e++;
            if (e + 1 >= n) {
                r->err = "Unmatched [, [^, [:, [., or [=";
                return;
            }
            if (kind == ':') {
                if (!known_class(p + s, e - s)) {
                    r->err = "Invalid character class name";
                    return;
                }
                sh_buf_adds(out, "[:");
                sh_buf_add(out, p + s, e - s);
                sh_buf_adds(out, ":]");
                i = e + 2;
                continue;
            }
            if (e - s != 1) { /* multi-character collating elements: none in the C locale */
                r->err = "Invalid collation character";
                return;
            }
            lo = (unsigned char)p[s];
            i = e + 2;
        } else if (c == '\\' && r->sed && i + 1 < n && (p[i + 1] == 'n' || p[i + 1] == 't')) {
            lo = p[i + 1] == 'n' ? '\n' : '\t'; /* GNU sed reads these before the regex */
            i += 2;
        } else {
            lo = c;
            i++;
        }
        if (i + 1 < n && p[i] == '-' && p[i + 1] != ']') {
            int hi = (unsigned char)p[i + 1];
            size_t next = i + 2;
            if (hi == '[' && i + 2 < n && (p[i + 2] == '.' || p[i + 2] == '=')) {
                char kind = p[i + 2];
                if (i + 5 < n && p[i + 4] == kind && p[i + 5] == ']') {
                    hi = (unsigned char)p[i + 3];
                    next = i + 6;
                }
            }
            if (hi < lo) {
                r->err = "Invalid range end";
                return;
            }
            class_char(out, (unsigned char)lo);
            sh_buf_addc(out, '-');
            class_char(out, (unsigned char)hi);
            i = next;
            continue;
        }
        class_char(out, (unsigned char)lo);
    }
    sh_buf_addc(out, ']');
    r->i = i + 1;
}

/* An interval's contents "m", "m,", "m,n", ",n" at p[i..), ending with "}"
 * (ERE) or "\}" (BRE). Returns the index after it, or 0 when it is not one. */
static size_t interval(rw *r, size_t i, long *mn, long *mx)
{
    const char *p = r->p;
    size_t n = r->n;
    long a = -1, b = -1;
    bool comma = false;
    while (i < n && p[i] >= '0' && p[i] <= '9') {
        a = (a < 0 ? 0 : a) * 10 + (p[i++] - '0');
        if (a > 100000)
            a = 100000;
    }
    if (i < n && p[i] == ',') {
        comma = true;
        i++;
        while (i < n && p[i] >= '0' && p[i] <= '9') {
            b = (b < 0 ? 0 : b) * 10 + (p[i++] - '0');
            if (b > 100000)
                b = 100000;
        }
    }
    if (r->ere) {
        if (i >= n || p[i] != '}')
            return 0;
        i++;
    } else {
        if (i + 1 >= n || p[i] != '\\' || p[i + 1] != '}')
            return 0;
        i += 2;
    }
    if (a < 0 && !comma)
        return 0;
    *mn = a < 0 ? 0 : a;
    *mx = comma ? b : *mn; /* -1: no upper bound */
    return i;
}

/* Writes the rewrite of pattern p[0..n) to out. NULL on success, else GNU's
 * message for what is wrong. */
const char *sh_posix_regex(const char *p, size_t n, bool ere, bool sed_escapes, sh_buf *out)
{
    rw r = {p, n, 0, ere, sed_escapes, out, 0, 0, NULL};
    bool start = true;   /* at the start of the RE, a group or a branch */
    bool atom = false;   /* something a quantifier can apply to was just written */
    while (r.i < n && !r.err) {
        unsigned char c = (unsigned char)p[r.i];
        bool was_start = start;
        start = false;
        if (c == '[') {
            r.i++;
            bracket(&r);
            atom = true;
            continue;
        }
        if (c == '.') {
            sh_buf_addc(out, '.');
            r.i++;
            atom = true;
            continue;
        }
        if (c == '^') {
            r.i++;
            if (ere || was_start) {
                sh_buf_addc(out, '^');
                atom = false; /* "^*": the star is literal in a BRE, dropped in an ERE */
            } else {
                lit(&r, c);
                atom = true;
            }
            continue;
        }
        if (c == '$') {
            r.i++;
            bool at_end = r.i == n || (!ere && r.i + 1 < n && p[r.i] == '\\' &&
                                       (p[r.i + 1] == ')' || p[r.i + 1] == '|'));
            if (ere || at_end) {
                sh_buf_addc(out, '$');
                atom = false;
            } else {
                lit(&r, c);
                atom = true;
            }
            continue;
        }
        bool quant = c == '*' || (ere && (c == '+' || c == '?' || c == '{'));
        if (quant) {
            if (c == '{') {
                long mn, mx;
                size_t e = interval(&r, r.i + 1, &mn, &mx);
                if (!e) { /* "a{1", "{x}": a literal brace, as GNU's ERE */
                    lit(&r, c);
                    r.i++;
                    atom = true;
                    continue;
                }
                if (mx >= 0 && mx < mn) {
                    r.err = "Invalid content of \\{\\}";
                    break;
                }
                if (mn > 32767 || mx > 32767) {
                    r.err = "Regular expression too big";
                    break;
                }
                if (atom) {
                    if (mx < 0)
                        sh_buf_printf(out, "{%ld,}", mn);
                    else
                        sh_buf_printf(out, "{%ld,%ld}", mn, mx);
                }
                r.i = e;
                continue;
            }
            r.i++;
            if (!atom && !ere) { /* BRE: "*" at the start is literal */
                lit(&r, c);
                atom = true;
                continue;
            }
            if (atom)
                sh_buf_addc(out, (char)c);
            continue; /* ERE: a quantifier of nothing is dropped, as GNU matches it */
        }
        if (ere && (c == '(' || c == ')' || c == '|')) {
            r.i++;
            if (c == '(') {
                sh_buf_addc(out, '(');
                r.groups++;
                r.depth++;
                start = true;
                atom = false;
            } else if (c == ')') {
                if (r.depth) {
                    sh_buf_addc(out, ')');
                    r.depth--;
                    atom = true;
                } else {
                    lit(&r, c);
                    atom = true;
                }
            } else {
                sh_buf_addc(out, '|');
                start = true;
                atom = false;
            }
            continue;
        }
        if (c != '\\') {
            lit(&r, c);
            r.i++;
            atom = true;
            continue;
        }
        /* a backslash sequence */
        if (r.i + 1 >= n) {
            r.err = "Trailing backslash";
            break;
        }
        unsigned char d = (unsigned char)p[r.i + 1];
        r.i += 2;
        bool had_atom = atom;
        atom = true;
        if (!ere && d == '(') {
            sh_buf_addc(out, '(');
            r.groups++;
            r.depth++;
            start = true;
            atom = false;
        } else if (!ere && d == ')') {
            if (!r.depth) {
                r.err = "Unmatched ) or \\)";
                break;
            }
            sh_buf_addc(out, ')');
            r.depth--;
        } else if (!ere && d == '|') {
            sh_buf_addc(out, '|');
            start = true;
            atom = false;
        } else if (!ere && d == '{') {
            long mn, mx;
            size_t e = interval(&r, r.i, &mn, &mx);
            if (!e) {
                bool closed = false;
                for (size_t k = r.i; k + 1 < n; k++)
                    if (p[k] == '\\' && p[k + 1] == '}')
                        closed = true;
                r.err = closed ? "Invalid content of \\{\\}" : "Unmatched \\{";
                break;
            }
            if (mx >= 0 && mx < mn) {
                r.err = "Invalid content of \\{\\}";
                break;
            }
            if (mn > 32767 || mx > 32767) {
                r.err = "Regular expression too big";
                break;
            }
            if (had_atom) {
                if (mx < 0)
                    sh_buf_printf(out, "{%ld,}", mn);
                else
                    sh_buf_printf(out, "{%ld,%ld}", mn, mx);
            } else {
                r.err = "Invalid preceding regular expression";
                break;
            }
            r.i = e;
        } else if (!ere && (d == '+' || d == '?')) {
            if (!had_atom)
                lit(&r, d);
            else
                sh_buf_addc(out, (char)d);
        } else if (d >= '1' && d <= '9') {
            r.err = d - '0' > r.groups
                        ? "Invalid back reference"
                        : "back-references (\\1 to \\9) are not supported: the sandbox's regex "
                          "engine matches in linear time, which they would not allow";
            break;
        } else if (strchr("wWsSbB<>", d)) {
            sh_buf_addc(out, '\\');
            sh_buf_addc(out, (char)d);
            atom = !strchr("bB<>", d);
        } else if (d == '`') {
            sh_buf_adds(out, "\\A");
            atom = false;
        } else if (d == '\'') {
            sh_buf_adds(out, "\\z");
            atom = false;
        } else if (r.sed && strchr("ntrfva", d)) {
            sh_buf_addc(out, '\\');
            sh_buf_addc(out, (char)d);
        } else {
            lit(&r, d); /* "\." "\/" and GNU's stray "\t" (a t) */
        }
    }
    if (!r.err && r.depth)
        r.err = "Unmatched ( or \\(";
    return r.err;
}
