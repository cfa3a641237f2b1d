/* The parser: pattern text (Rust regex syntax) -> syntax tree. Recursive
 * descent; the depth of the tree is limited (RX_MAX_DEPTH), so is the
 * recursion. Case folding is applied here, so the tree has no flags left. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regex_internal.h"

/* Helpers kept out of the recursive descent's frames (parse_alt ->
 * parse_concat -> parse_atom -> parse_group -> parse_alt), which every
 * nesting level pays on a guest's small stack: their locals whose address is
 * taken would otherwise be inlined into that cycle. */
#if defined(__GNUC__) || defined(__clang__)
#define RX_NOINLINE __attribute__((noinline))
#else
#define RX_NOINLINE
#endif

/* What parse_atom returns for a (?flags) group, which produces no node. */
#define RX_FLAGS_ONLY 0xFFFFFFFEu

typedef struct {
    const uint8_t *s;
    size_t n, i;
    unsigned flags; /* RX_ICASE, ... in force at i */
    rx_ast *ast;
    rx_error *err;
    int failed;
} parser;

void rx_errorf(rx_error *err, size_t pos, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->pos = pos;
}

static uint32_t fail(parser *p, size_t pos, const char *fmt, ...) {
    if (p->failed) return RX_NO_NODE;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
    va_end(ap);
    p->err->pos = pos;
    p->failed = 1;
    return RX_NO_NODE;
}

static uint32_t oom(parser *p) { return fail(p, p->i, "out of memory while compiling the pattern"); }

static uint32_t new_node(parser *p, rx_node_kind kind) {
    rx_ast *a = p->ast;
    if (a->nnodes == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 32;
        rx_node *n = realloc(a->nodes, cap * sizeof *n);
        if (!n) return oom(p);
        a->nodes = n;
        a->cap = cap;
    }
    rx_node *n = &a->nodes[a->nnodes];
    memset(n, 0, sizeof *n);
    n->kind = (uint8_t)kind;
    n->kid = n->next = RX_NO_NODE;
    n->depth = 1;
    return (uint32_t)a->nnodes++;
}

static rx_node *node(parser *p, uint32_t i) { return &p->ast->nodes[i]; }

/* Makes kid the child of parent and checks the nesting limit. */
static uint32_t wrap(parser *p, uint32_t parent, uint32_t kid, size_t pos) {
    if (parent == RX_NO_NODE || kid == RX_NO_NODE) return RX_NO_NODE;
    node(p, parent)->kid = kid;
    unsigned d = node(p, kid)->depth + 1u;
    if (d > RX_MAX_DEPTH)
        return fail(p, pos, "pattern nests groups and quantifiers more than %d deep",
                    RX_MAX_DEPTH);
    node(p, parent)->depth = (uint16_t)d;
    return parent;
}

static uint32_t new_set_node(parser *p, rx_set *set) {
    rx_ast *a = p->ast;
    if (set->oom) {
        rx_set_free(set);
        return oom(p);
    }
    if (a->nsets == a->setcap) {
        size_t cap = a->setcap ? a->setcap * 2 : 8;
        rx_set *s = realloc(a->sets, cap * sizeof *s);
        if (!s) {
            rx_set_free(set);
            return oom(p);
        }
        a->sets = s;
        a->setcap = cap;
    }
    uint32_t n = new_node(p, RX_N_SET);
    if (n == RX_NO_NODE) {
        rx_set_free(set);
        return n;
    }
    node(p, n)->set = (uint32_t)a->nsets;
    a->sets[a->nsets++] = *set;
    return n;
}

/* A literal character under the flags in force: a set of its case orbit
 * when case-insensitive and it has one. */
static uint32_t literal(parser *p, uint32_t cp) {
    if ((p->flags & RX_ICASE) && rx_fold_next(cp) != cp) {
        rx_set s = {0};
        rx_set_add(&s, cp, cp);
        rx_set_case_fold(&s);
        return new_set_node(p, &s);
    }
    uint32_t n = new_node(p, RX_N_CHAR);
    if (n != RX_NO_NODE) node(p, n)->ch = cp;
    return n;
}

static int at_end(const parser *p) { return p->i >= p->n; }
static int peek(const parser *p) { return at_end(p) ? -1 : p->s[p->i]; }
static int peek_at(const parser *p, size_t k) { return p->i + k < p->n ? p->s[p->i + k] : -1; }

/* Decodes the pattern character at i; the pattern must be valid UTF-8. */
static int next_cp(parser *p, uint32_t *cp) {
    size_t len = rx_utf8_decode(p->s, p->n, p->i, cp);
    if (*cp > RX_CP_MAX) {
        fail(p, p->i, "the pattern is not valid UTF-8 (byte 0x%02X)", p->s[p->i]);
        return 0;
    }
    p->i += len;
    return 1;
}

/* In (?x) mode: skips whitespace and # comments. */
static void skip_space(parser *p) {
    if (!(p->flags & RX_EXTENDED)) return;
    while (!at_end(p)) {
        int c = peek(p);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            p->i++;
        } else if (c == '#') {
            while (!at_end(p) && peek(p) != '\n') p->i++;
        } else {
            break;
        }
    }
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int hex_val(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Reads the digits of \xHH, \x{...}, \uHHHH, \UHHHHHHHH after the letter. */
static int parse_hex_escape(parser *p, size_t start, int fixed, uint32_t *out) {
    uint32_t v = 0;
    if (peek(p) == '{') {
        p->i++;
        size_t digits = 0;
        while (!at_end(p) && peek(p) != '}') {
            int h = hex_val(peek(p));
            if (h < 0) {
                fail(p, p->i, "invalid hexadecimal digit in escape");
                return 0;
            }
            if (v > RX_CP_MAX) break;
            v = v * 16 + (uint32_t)h;
            digits++;
            p->i++;
        }
        if (at_end(p)) {
            fail(p, start, "unclosed hexadecimal escape: expected }");
            return 0;
        }
        if (digits == 0) {
            fail(p, start, "empty hexadecimal escape");
            return 0;
        }
        p->i++;
    } else {
        for (int k = 0; k < fixed; k++) {
            int h = hex_val(peek(p));
            if (h < 0) {
                fail(p, at_end(p) ? start : p->i,
                     "hexadecimal escape needs %d hex digits (or use \\x{...})", fixed);
                return 0;
            }
            v = v * 16 + (uint32_t)h;
            p->i++;
        }
    }
    if (v > RX_CP_MAX || (v >= 0xD800 && v <= 0xDFFF)) {
        fail(p, start, "escape is not a Unicode scalar value");
        return 0;
    }
    *out = v;
    return 1;
}

static int is_meta_escapable(int c) {
    /* Rust regex: any ASCII punctuation may be escaped except < and > (which
     * are word boundaries here); escapes of letters and digits have meanings. */
    return c >= 0 && c < 0x80 && c > ' ' && c != 0x7F && !(c >= '0' && c <= '9') &&
           !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && c != '<' && c != '>';
}

/* Adds \d \s \w (upper case: negated) to set; returns 0 if c is none of them. */
static int perl_class(int c, rx_set *set) {
    rx_set s = {0};
    switch (c | 0x20) {
    case 'd': rx_set_add_table(&s, rx_digit_ranges, rx_digit_ranges_len); break;
    case 's': rx_set_add_table(&s, rx_space_ranges, rx_space_ranges_len); break;
    case 'w': rx_set_add_table(&s, rx_word_ranges, rx_word_ranges_len); break;
    default: return 0;
    }
    if (c >= 'A' && c <= 'Z') rx_set_negate(&s);
    rx_set_add_set(set, &s);
    rx_set_free(&s);
    return 1;
}

typedef enum { ESC_CHAR, ESC_SET, ESC_ASSERT } esc_kind;

/* Parses an escape after the backslash (p->i is on the character after it).
 * in_class: inside [...], where only characters and classes are allowed. */
static int parse_escape(parser *p, size_t start, int in_class, esc_kind *kind, uint32_t *val,
                        rx_set *set) {
    if (at_end(p)) {
        fail(p, start, "pattern ends with a lone backslash (write \\\\ for a backslash)");
        return 0;
    }
    int c = peek(p);
    p->i++;
    *kind = ESC_CHAR;
    switch (c) {
    case 'a': *val = 7; return 1;
    case 'f': *val = '\f'; return 1;
    case 't': *val = '\t'; return 1;
    case 'n': *val = '\n'; return 1;
    case 'r': *val = '\r'; return 1;
    case 'v': *val = '\v'; return 1;
    case 'x': return parse_hex_escape(p, start, 2, val);
    case 'u': return parse_hex_escape(p, start, 4, val);
    case 'U': return parse_hex_escape(p, start, 8, val);
    case 'd': case 'D': case 's': case 'S': case 'w': case 'W':
        *kind = ESC_SET;
        perl_class(c, set);
        return 1;
    case 'p': case 'P':
        fail(p, start, "Unicode property classes (\\%c) are not supported; use \\w, \\d, \\s or a "
             "class like [a-z]", c);
        return 0;
    case 'k':
        fail(p, start, "backreferences (\\k<name>) are not supported: the engine runs in "
             "linear time");
        return 0;
    case '0':
        fail(p, start, "octal escapes are not supported; write \\x00 or \\x{...}");
        return 0;
    case 'Z':
        fail(p, start, "\\Z is not supported; use \\z (end of text) or $");
        return 0;
    }
    if (c >= '1' && c <= '9') {
        fail(p, start, "backreferences (\\%c) are not supported: the engine runs in linear time",
             c);
        return 0;
    }
    if (!in_class) {
        *kind = ESC_ASSERT;
        switch (c) {
        case 'A': *val = RX_A_BOT; return 1;
        case 'z': *val = RX_A_EOT; return 1;
        case 'B': *val = RX_A_NOT_WORD; return 1;
        case '<': *val = RX_A_WORD_START; return 1;
        case '>': *val = RX_A_WORD_END; return 1;
        case 'b':
            if (peek(p) == '{') {
                static const struct {
                    const char *name;
                    uint32_t kind;
                } names[] = {{"{start}", RX_A_WORD_START},
                             {"{end}", RX_A_WORD_END},
                             {"{start-half}", RX_A_WORD_START_HALF},
                             {"{end-half}", RX_A_WORD_END_HALF}};
                for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
                    size_t l = strlen(names[k].name);
                    if (p->n - p->i >= l && memcmp(p->s + p->i, names[k].name, l) == 0) {
                        p->i += l;
                        *val = names[k].kind;
                        return 1;
                    }
                }
                /* Otherwise the { starts a counted repetition of \b. */
            }
            *val = RX_A_WORD;
            return 1;
        }
        *kind = ESC_CHAR;
    } else if (c == 'b') {
        fail(p, start, "\\b (word boundary) cannot be used inside a class");
        return 0;
    }
    if (is_meta_escapable(c) || c == ' ' || c == '\t' || c == '\n') {
        *val = (uint32_t)c;
        return 1;
    }
    if (c >= 0x80) {
        p->i--;
        fail(p, start, "escape of a non-ASCII character is not allowed; write it alone");
        return 0;
    }
    fail(p, start, "unrecognized escape \\%c", c);
    return 0;
}

/* [:name:] inside a bracket (ASCII classes, as in Rust). Returns 1 if one was
 * read (p->i after it), 0 if the text is not a POSIX class. */
static int posix_class(parser *p, rx_set *out) {
    static const struct {
        const char *name;
        const char *ranges; /* pairs lo,hi */
    } classes[] = {
        {"alnum", "09AZaz"},  {"alpha", "AZaz"},     {"ascii", "\x01\x7f"},
        {"blank", "\t\t  "},  {"cntrl", "\x01\x1f\x7f\x7f"}, {"digit", "09"},
        {"graph", "!~"},      {"lower", "az"},       {"print", " ~"},
        {"punct", "!/:@[`{~"}, {"space", "\t\r  "},  {"upper", "AZ"},
        {"word", "09AZ__az"}, {"xdigit", "09AFaf"},
    };
    size_t j = p->i + 2; /* after "[:" */
    int neg = 0;
    if (j < p->n && p->s[j] == '^') neg = 1, j++;
    size_t name = j;
    while (j < p->n && p->s[j] >= 'a' && p->s[j] <= 'z') j++;
    if (j + 1 >= p->n || p->s[j] != ':' || p->s[j + 1] != ']') return 0;
    for (size_t k = 0; k < sizeof classes / sizeof classes[0]; k++) {
        const char *nm = classes[k].name;
        if (strlen(nm) != j - name || memcmp(nm, p->s + name, j - name) != 0) continue;
        rx_set s = {0};
        const char *r = classes[k].ranges;
        for (size_t m = 0; r[m]; m += 2) rx_set_add(&s, (uint8_t)r[m], (uint8_t)r[m + 1]);
        if (strcmp(nm, "ascii") == 0 || strcmp(nm, "cntrl") == 0) rx_set_add(&s, 0, 0);
        if (neg) rx_set_negate(&s);
        rx_set_add_set(out, &s);
        rx_set_free(&s);
        p->i = j + 2;
        return 1;
    }
    fail(p, p->i, "unknown POSIX class [:%.*s:]", (int)(j - name), (const char *)p->s + name);
    return 0;
}

static void parse_bracket(parser *p, rx_set *out, unsigned depth);

/* One operand of a class: items up to ']' or a set operator (&& -- ~~). */
static void parse_class_items(parser *p, rx_set *set, unsigned depth, size_t open) {
    int first = 1;
    for (;;) {
        skip_space(p);
        if (p->failed) return;
        if (at_end(p)) {
            fail(p, open, "unclosed character class: expected ]");
            return;
        }
        int c = peek(p);
        if (c == ']' && !first) return;
        if ((c == '&' || c == '-' || c == '~') && peek_at(p, 1) == c && !first) return;
        first = 0;
        if (c == '[') {
            if (peek_at(p, 1) == ':') {
                if (posix_class(p, set)) continue;
                if (p->failed) return;
            }
            parse_bracket(p, set, depth + 1);
            continue;
        }
        /* A single character, an escape, or the start of a range. */
        size_t at = p->i;
        uint32_t lo;
        if (c == '\\') {
            p->i++;
            esc_kind k;
            rx_set es = {0};
            if (!parse_escape(p, at, 1, &k, &lo, &es)) {
                rx_set_free(&es);
                return;
            }
            if (k == ESC_SET) {
                rx_set_add_set(set, &es);
                rx_set_free(&es);
                continue;
            }
            rx_set_free(&es);
        } else if (!next_cp(p, &lo)) {
            return;
        }
        skip_space(p);
        if (peek(p) == '-' && peek_at(p, 1) != ']' && peek_at(p, 1) != '-' && peek_at(p, 1) != -1) {
            p->i++;
            skip_space(p);
            size_t at2 = p->i;
            uint32_t hi;
            if (peek(p) == '\\') {
                p->i++;
                esc_kind k;
                rx_set es = {0};
                int ok = parse_escape(p, at2, 1, &k, &hi, &es);
                rx_set_free(&es);
                if (!ok) return;
                if (k != ESC_CHAR) {
                    fail(p, at2, "a class range must end with a single character");
                    return;
                }
            } else if (peek(p) == '[') {
                fail(p, at2, "a class range must end with a single character");
                return;
            } else if (!next_cp(p, &hi)) {
                return;
            }
            if (hi < lo) {
                fail(p, at, "invalid class range: its start is after its end");
                return;
            }
            rx_set_add(set, lo, hi);
        } else {
            rx_set_add(set, lo, lo);
        }
    }
}

/* A bracket class at p->i == '['; adds what it matches to out. Case folding
 * is applied before negation (so (?i)[^a] matches neither a nor A). */
static void parse_bracket(parser *p, rx_set *out, unsigned depth) {
    size_t open = p->i;
    if (depth > RX_MAX_CLASS_DEPTH) {
        fail(p, open, "classes nest more than %d deep", RX_MAX_CLASS_DEPTH);
        return;
    }
    p->i++;
    int neg = 0;
    if (peek(p) == '^') neg = 1, p->i++;
    rx_set set = {0};
    parse_class_items(p, &set, depth, open);
    while (!p->failed && peek(p) != ']') {
        int op = peek(p);
        p->i += 2;
        rx_set rhs = {0};
        parse_class_items(p, &rhs, depth, open);
        rx_set_normalize(&rhs);
        if (op == '&') {
            rx_set_intersect(&set, &rhs);
        } else if (op == '-') {
            rx_set_subtract(&set, &rhs);
        } else { /* ~~ symmetric difference: (a - b) + (b - a) */
            rx_set a = {0};
            rx_set_add_set(&a, &set);
            rx_set_normalize(&a);
            rx_set_subtract(&set, &rhs);
            rx_set_subtract(&rhs, &a);
            rx_set_add_set(&set, &rhs);
            rx_set_free(&a);
        }
        rx_set_free(&rhs);
    }
    if (p->failed) {
        rx_set_free(&set);
        return;
    }
    p->i++; /* ] */
    if (p->flags & RX_ICASE) rx_set_case_fold(&set);
    else rx_set_normalize(&set);
    if (neg) rx_set_negate(&set);
    rx_set_add_set(out, &set);
    rx_set_free(&set);
}

static uint32_t parse_alt(parser *p, unsigned depth);

/* Flags in (?flags) or (?flags:...): sets *on and *off; p->i after them. */
static int parse_flags(parser *p, unsigned *on, unsigned *off) {
    int neg = 0;
    *on = *off = 0;
    size_t start = p->i;
    while (!at_end(p) && peek(p) != ')' && peek(p) != ':') {
        int c = peek(p);
        unsigned f = 0;
        switch (c) {
        case 'i': f = RX_ICASE; break;
        case 'm': f = RX_MULTILINE; break;
        case 's': f = RX_DOTALL; break;
        case 'x': f = RX_EXTENDED; break;
        case 'U': f = RX_UNGREEDY; break;
        case 'R': f = RX_CRLF; break;
        case 'u':
            if (neg) {
                fail(p, p->i, "(?-u) is not supported: matching is always Unicode-aware");
                return 0;
            }
            break;
        case '-':
            if (neg) {
                fail(p, p->i, "flag negation (-) given twice");
                return 0;
            }
            neg = 1;
            p->i++;
            continue;
        default:
            if (c == '=' || c == '!')
                fail(p, start - 2, "look-ahead (?%c...) is not supported: the engine runs in "
                     "linear time", c);
            else if (c == '<' && (peek_at(p, 1) == '=' || peek_at(p, 1) == '!'))
                fail(p, start - 2, "look-behind (?<%c...) is not supported: the engine runs in "
                     "linear time", peek_at(p, 1));
            else if (c == '>')
                fail(p, start - 2, "atomic groups (?>...) are not supported");
            else if (c == '#')
                fail(p, start - 2, "comments (?#...) are not supported; use (?x) and #");
            else
                fail(p, p->i, "unknown group flag '%c' (flags are i, m, s, x, U, R)", c);
            return 0;
        }
        if ((*on | *off) & f) {
            fail(p, p->i, "flag '%c' given twice", c);
            return 0;
        }
        if (neg) *off |= f;
        else *on |= f;
        p->i++;
    }
    if (at_end(p)) {
        fail(p, start - 2, "unclosed group: expected )");
        return 0;
    }
    if (neg && p->s[p->i - 1] == '-') {
        fail(p, p->i - 1, "flag negation (-) with no flag after it");
        return 0;
    }
    if (p->i == start && peek(p) == ')') {
        fail(p, start - 2, "empty flag group (?)");
        return 0;
    }
    return 1;
}

/* The start of a group at p->i == '(' up to its body: sets *group (0 for
 * (?:...)) and the flags. Returns 1 to parse a body, 0 for (?flags) (in
 * force until the end of the enclosing group), -1 on error. */
static RX_NOINLINE int group_header(parser *p, uint32_t *group) {
    size_t open = p->i;
    p->i++;
    *group = 0;
    if (peek(p) == '?') {
        p->i++;
        int c = peek(p);
        int named = 0;
        if (c == 'P' && peek_at(p, 1) == '<') {
            p->i += 2, named = 1;
        } else if (c == 'P' && peek_at(p, 1) == '=') {
            return fail(p, open, "backreferences (?P=name) are not supported: the engine runs "
                        "in linear time"), -1;
        } else if (c == '<' && peek_at(p, 1) != '=' && peek_at(p, 1) != '!') {
            p->i += 1, named = 1;
        }
        if (named) {
            size_t name = p->i;
            while (!at_end(p) && peek(p) != '>') {
                int ch = peek(p);
                int ok = ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                         (p->i > name && (is_digit(ch) || ch == '.' || ch == '[' || ch == ']'));
                if (!ok) return fail(p, p->i, "invalid character in a group name"), -1;
                p->i++;
            }
            if (at_end(p)) return fail(p, open, "unclosed group name: expected >"), -1;
            if (p->i == name) return fail(p, name, "empty group name"), -1;
            size_t nlen = p->i - name;
            for (size_t g = 1; g < p->ast->ngroups; g++)
                if (p->ast->names[g] && strlen(p->ast->names[g]) == nlen &&
                    memcmp(p->ast->names[g], p->s + name, nlen) == 0)
                    return fail(p, name, "duplicate group name '%.*s'", (int)nlen,
                                (const char *)p->s + name), -1;
            p->i++;
            char *nm = malloc(nlen + 1);
            char **names = realloc(p->ast->names, (p->ast->ngroups + 1) * sizeof *names);
            if (names) p->ast->names = names;
            if (!nm || !names) {
                free(nm);
                return oom(p), -1;
            }
            memcpy(nm, p->s + name, nlen);
            nm[nlen] = 0;
            *group = (uint32_t)p->ast->ngroups;
            p->ast->names[p->ast->ngroups++] = nm;
        } else {
            unsigned on, off;
            if (!parse_flags(p, &on, &off)) return -1;
            p->flags = (p->flags | on) & ~off;
            if (peek(p) == ')') {
                p->i++;
                return 0;
            }
            p->i++; /* : */
        }
    } else {
        char **names = realloc(p->ast->names, (p->ast->ngroups + 1) * sizeof *names);
        if (!names) return oom(p), -1;
        p->ast->names = names;
        *group = (uint32_t)p->ast->ngroups;
        p->ast->names[p->ast->ngroups++] = NULL;
    }
    return 1;
}

/* A group at p->i == '('. Returns its node, or RX_FLAGS_ONLY for (?flags). */
static uint32_t parse_group(parser *p, unsigned depth) {
    size_t open = p->i;
    if (depth + 1 > RX_MAX_DEPTH)
        return fail(p, open, "pattern nests groups more than %d deep", RX_MAX_DEPTH);
    unsigned saved = p->flags;
    uint32_t group;
    int h = group_header(p, &group);
    if (h < 0) return RX_NO_NODE;
    if (h == 0) return RX_FLAGS_ONLY;
    uint32_t inner = parse_alt(p, depth + 1);
    p->flags = saved;
    if (p->failed) return RX_NO_NODE;
    if (peek(p) != ')') return fail(p, open, "unclosed group: expected )");
    p->i++;
    uint32_t g = new_node(p, RX_N_GROUP);
    if (g == RX_NO_NODE) return g;
    node(p, g)->group = group;
    return wrap(p, g, inner, open);
}

/* Reads a decimal count for {n,m}; returns 0 (and fails) if none or too big. */
static int parse_count(parser *p, uint32_t *out) {
    size_t start = p->i;
    uint32_t v = 0;
    while (is_digit(peek(p))) {
        v = v * 10 + (uint32_t)(peek(p) - '0');
        if (v > RX_MAX_REPEAT) {
            fail(p, start, "repetition count is larger than %d", RX_MAX_REPEAT);
            return 0;
        }
        p->i++;
    }
    if (p->i == start) return 0;
    *out = v;
    return 1;
}

/* A quantifier at p->i applied to atom (which started at atom_pos). */
static RX_NOINLINE uint32_t parse_quantifier(parser *p, uint32_t atom, size_t atom_pos) {
    size_t qpos = p->i;
    int c = peek(p);
    uint32_t min, max;
    p->i++;
    if (c == '*') {
        min = 0, max = RX_INF;
    } else if (c == '+') {
        min = 1, max = RX_INF;
    } else if (c == '?') {
        min = 0, max = 1;
    } else { /* { */
        skip_space(p);
        if (peek(p) == ',') {
            min = 0;
        } else if (!parse_count(p, &min)) {
            if (!p->failed)
                fail(p, qpos, "invalid counted repetition: expected {n}, {n,}, {n,m} or {,m} "
                     "(write \\{ for a literal brace)");
            return RX_NO_NODE;
        }
        skip_space(p);
        max = min;
        if (peek(p) == ',') {
            p->i++;
            skip_space(p);
            if (peek(p) == '}') max = RX_INF;
            else if (!parse_count(p, &max)) {
                if (!p->failed)
                    fail(p, qpos, "invalid counted repetition: expected a number after ,");
                return RX_NO_NODE;
            }
            skip_space(p);
        }
        if (peek(p) != '}') {
            return fail(p, qpos, "unclosed counted repetition: expected } (write \\{ for a "
                        "literal brace)");
        }
        p->i++;
        if (max < min) return fail(p, qpos, "invalid counted repetition: {%u,%u} has min > max",
                                   min, max);
    }
    int greedy = 1;
    if (peek(p) == '?') {
        greedy = 0;
        p->i++;
    }
    if (p->flags & RX_UNGREEDY) greedy = !greedy;
    uint32_t r = new_node(p, RX_N_REPEAT);
    if (r == RX_NO_NODE) return r;
    node(p, r)->min = min;
    node(p, r)->max = max;
    node(p, r)->greedy = (uint8_t)greedy;
    return wrap(p, r, atom, atom_pos);
}

/* A bracket class at p->i == '['. */
static RX_NOINLINE uint32_t class_atom(parser *p) {
    rx_set s = {0};
    parse_bracket(p, &s, 0);
    if (p->failed) {
        rx_set_free(&s);
        return RX_NO_NODE;
    }
    return new_set_node(p, &s);
}

/* An escape at p->i == '\\' (at). */
static RX_NOINLINE uint32_t escape_atom(parser *p, size_t at) {
    p->i++;
    esc_kind k;
    uint32_t v;
    rx_set s = {0};
    if (!parse_escape(p, at, 0, &k, &v, &s)) {
        rx_set_free(&s);
        return RX_NO_NODE;
    }
    if (k == ESC_SET) {
        if (p->flags & RX_ICASE) rx_set_case_fold(&s);
        return new_set_node(p, &s);
    }
    rx_set_free(&s);
    if (k == ESC_ASSERT) {
        uint32_t n = new_node(p, RX_N_ASSERT);
        if (n != RX_NO_NODE) node(p, n)->ch = v;
        return n;
    }
    return literal(p, v);
}

/* A literal character at p->i. */
static RX_NOINLINE uint32_t char_atom(parser *p) {
    uint32_t cp;
    if (!next_cp(p, &cp)) return RX_NO_NODE;
    return literal(p, cp);
}

/* An atom at p->i (not |, ), end), or RX_FLAGS_ONLY for a (?flags) group. */
static uint32_t parse_atom(parser *p, unsigned depth) {
    size_t at = p->i;
    int c = peek(p);
    switch (c) {
    case '(': return parse_group(p, depth);
    case '[': return class_atom(p);
    case '.': {
        p->i++;
        rx_node_kind k = (p->flags & RX_DOTALL) ? RX_N_ANY
                         : (p->flags & RX_CRLF) ? RX_N_ANYNLCR : RX_N_ANYNL;
        return new_node(p, k);
    }
    case '^': case '$': {
        p->i++;
        uint32_t n = new_node(p, RX_N_ASSERT);
        if (n == RX_NO_NODE) return n;
        int ml = (p->flags & RX_MULTILINE) != 0, crlf = (p->flags & RX_CRLF) != 0;
        node(p, n)->ch = c == '^' ? (ml ? (crlf ? RX_A_BOL_CRLF : RX_A_BOL) : RX_A_BOT)
                                  : (ml ? (crlf ? RX_A_EOL_CRLF : RX_A_EOL) : RX_A_EOT);
        return n;
    }
    case '*': case '+': case '?': case '{':
        return fail(p, at, "repetition operator %c has nothing to repeat (write \\%c for the "
                    "character)", c, c);
    case '\\': return escape_atom(p, at);
    }
    return char_atom(p);
}

/* Appends n to the sibling chain first..last (by value: no address taken). */
#define APPEND(first, last, n)                                                                     \
    do {                                                                                           \
        if ((first) == RX_NO_NODE) (first) = (n);                                                  \
        else node(p, last)->next = (n);                                                            \
        (last) = (n);                                                                              \
    } while (0)

/* A concatenation up to |, ) or the end. */
static uint32_t parse_concat(parser *p, unsigned depth) {
    uint32_t first = RX_NO_NODE, last = RX_NO_NODE;
    unsigned maxdepth = 0;
    size_t start = p->i;
    for (;;) {
        skip_space(p);
        if (at_end(p) || peek(p) == '|' || peek(p) == ')') break;
        size_t at = p->i;
        uint32_t a = parse_atom(p, depth);
        if (p->failed) return RX_NO_NODE;
        if (a == RX_FLAGS_ONLY) continue;
        for (;;) {
            skip_space(p);
            int c = peek(p);
            if (c != '*' && c != '+' && c != '?' && c != '{') break;
            a = parse_quantifier(p, a, at);
            if (p->failed) return RX_NO_NODE;
        }
        if (node(p, a)->depth > maxdepth) maxdepth = node(p, a)->depth;
        APPEND(first, last, a);
    }
    if (first == RX_NO_NODE) return new_node(p, RX_N_EMPTY);
    if (node(p, first)->next == RX_NO_NODE) return first;
    uint32_t cat = new_node(p, RX_N_CAT);
    if (cat == RX_NO_NODE) return cat;
    node(p, cat)->kid = first;
    if (maxdepth + 1 > RX_MAX_DEPTH)
        return fail(p, start, "pattern nests groups and quantifiers more than %d deep",
                    RX_MAX_DEPTH);
    node(p, cat)->depth = (uint16_t)(maxdepth + 1);
    return cat;
}

static uint32_t parse_alt(parser *p, unsigned depth) {
    size_t start = p->i;
    if (depth > RX_MAX_DEPTH)
        return fail(p, start, "pattern nests groups more than %d deep", RX_MAX_DEPTH);
    uint32_t first = RX_NO_NODE, last = RX_NO_NODE;
    unsigned maxdepth = 0;
    size_t count = 0;
    for (;;) {
        uint32_t c = parse_concat(p, depth);
        if (p->failed) return RX_NO_NODE;
        if (node(p, c)->depth > maxdepth) maxdepth = node(p, c)->depth;
        APPEND(first, last, c);
        count++;
        if (peek(p) != '|') break;
        p->i++;
    }
    if (count == 1) return first;
    uint32_t alt = new_node(p, RX_N_ALT);
    if (alt == RX_NO_NODE) return alt;
    node(p, alt)->kid = first;
    if (maxdepth + 1 > RX_MAX_DEPTH)
        return fail(p, start, "pattern nests groups and quantifiers more than %d deep",
                    RX_MAX_DEPTH);
    node(p, alt)->depth = (uint16_t)(maxdepth + 1);
    return alt;
}

/* RX_LITERAL: the whole pattern is a string of literal characters. */
static uint32_t parse_literal_pattern(parser *p) {
    uint32_t first = RX_NO_NODE, last = RX_NO_NODE;
    while (!at_end(p)) {
        uint32_t cp;
        if (!next_cp(p, &cp)) return RX_NO_NODE;
        uint32_t n = literal(p, cp);
        if (n == RX_NO_NODE) return n;
        APPEND(first, last, n);
    }
    if (first == RX_NO_NODE) return new_node(p, RX_N_EMPTY);
    uint32_t cat = new_node(p, RX_N_CAT);
    if (cat != RX_NO_NODE) {
        node(p, cat)->kid = first;
        node(p, cat)->depth = 2;
    }
    return cat;
}

int rx_parse(const char *pat, size_t len, unsigned flags, rx_ast *ast, rx_error *err) {
    memset(ast, 0, sizeof *ast);
    parser p = {(const uint8_t *)pat, len, 0, flags, ast, err, 0};
    ast->names = calloc(1, sizeof *ast->names);
    if (!ast->names) {
        oom(&p);
        return 0;
    }
    ast->ngroups = 1;
    uint32_t root;
    if (flags & RX_LITERAL) {
        root = parse_literal_pattern(&p);
    } else {
        root = parse_alt(&p, 0);
        if (!p.failed && !at_end(&p))
            fail(&p, p.i, "unmatched ): no group is open here (write \\) for the character)");
    }
    if (p.failed) {
        rx_ast_free(ast);
        return 0;
    }
    ast->root = root;
    return 1;
}

void rx_ast_free(rx_ast *ast) {
    for (size_t i = 0; i < ast->nsets; i++) rx_set_free(&ast->sets[i]);
    free(ast->sets);
    free(ast->nodes);
    if (ast->names)
        for (size_t i = 0; i < ast->ngroups; i++) free(ast->names[i]);
    free(ast->names);
    memset(ast, 0, sizeof *ast);
}
