/* fmt: GNU's. Fills paragraphs to a width (-w, 75 by default; -N as the
 * first option) choosing the line breaks of least cost as GNU's does
 * (lines near the goal width, -g, 93% of the width by default; ragged
 * edges, widows and orphans cost, sentence ends and punctuation are
 * good places), two spaces after a sentence end; -u uniform spacing, -s
 * split long lines only, -c crown and -t tagged indents, -p PREFIX only
 * lines starting with it. Paragraphs are buffered 1000 words or 5000
 * bytes at a time, as in GNU's fmt, which decides where a long paragraph
 * is cut. Bytes are columns; a tab is 8. */
#include "../shell.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXWORDS 1000
#define MAXCHARS 5000
#define TABWIDTH 8
#define LEEWAY 7
#define DEF_INDENT 3

typedef long long cost_t;
#define MAXCOST ((cost_t)0x7fffffffffffffffLL)
#define EQUIV(n) ((cost_t)(n) * (cost_t)(n))
#define SHORT_COST(n) EQUIV((n) * 10)
#define RAGGED_COST(n) (SHORT_COST(n) / 2)
#define LINE_COST EQUIV(70)
#define WIDOW_COST(n) (EQUIV(200) / ((n) + 2))
#define ORPHAN_COST(n) (EQUIV(150) / ((n) + 2))
#define SENTENCE_BONUS EQUIV(50)
#define NOBREAK_COST EQUIV(600)
#define PAREN_BONUS EQUIV(40)
#define PUNCT_BONUS EQUIV(40)
#define LINE_CREDIT EQUIV(3)

typedef struct word {
    const char *text;
    int length, space;
    bool paren, period, punct, final;
    int line_length;    /* of the best line starting here */
    cost_t best_cost;   /* of the best rest of the paragraph from here */
    struct word *next_break;
} word;

typedef struct {
    shctx *sh;
    /* options */
    bool crown, tagged, split, uniform;
    const char *prefix;
    int prefix_full_length, prefix_lead_space, prefix_length;
    int max_width, goal_width;
    /* input */
    sh_stream *in;
    char buf[65536];
    size_t blen, bpos;
    bool rerr;
    int in_column;
    /* output */
    sh_buf out;
    int out_column;
    bool wfail;
    /* the paragraph */
    char *parabuf, *wptr;
    word *words, *word_limit;
    bool tabs;
    int prefix_indent, first_indent, other_indent;
    int next_char, next_prefix_indent, last_line_length;
} fmtstate;

static int get_c(fmtstate *f)
{
    if (f->bpos == f->blen) {
        if (f->rerr)
            return EOF;
        ssize_t n = sh_read(f->in, f->buf, sizeof f->buf);
        if (n <= 0) {
            if (n < 0)
                f->rerr = true;
            f->blen = f->bpos = 0;
            return EOF;
        }
        f->blen = (size_t)n;
        f->bpos = 0;
    }
    return (unsigned char)f->buf[f->bpos++];
}

static void put_c(fmtstate *f, char c)
{
    sh_buf_addc(&f->out, c);
    if (f->out.len >= 65536) {
        if (!f->wfail && !sh_write(sh_stdout(f->sh), f->out.data, f->out.len))
            f->wfail = true;
        f->out.len = 0;
    }
}

/* space columns of blanks, as tabs where the input had tabs */
static void put_space(fmtstate *f, int space)
{
    int target = f->out_column + space;
    if (f->tabs) {
        int tab_target = target / TABWIDTH * TABWIDTH;
        if (f->out_column + 1 < tab_target)
            while (f->out_column < tab_target) {
                put_c(f, '\t');
                f->out_column = (f->out_column / TABWIDTH + 1) * TABWIDTH;
            }
    }
    while (f->out_column < target) {
        put_c(f, ' ');
        f->out_column++;
    }
}

static void put_word(fmtstate *f, const word *w)
{
    for (int i = 0; i < w->length; i++)
        put_c(f, w->text[i]);
    f->out_column += w->length;
}

static void put_line(fmtstate *f, word *w, int indent)
{
    f->out_column = 0;
    put_space(f, f->prefix_indent);
    for (int i = 0; i < f->prefix_length; i++)
        put_c(f, f->prefix[i]);
    f->out_column += f->prefix_length;
    put_space(f, indent - f->out_column);
    word *endline = w->next_break - 1;
    for (; w != endline; w++) {
        put_word(f, w);
        put_space(f, w->space);
    }
    put_word(f, w);
    f->last_line_length = f->out_column;
    put_c(f, '\n');
}

static void put_paragraph(fmtstate *f, word *finish)
{
    put_line(f, f->words, f->first_indent);
    for (word *w = f->words->next_break; w != finish; w = w->next_break)
        put_line(f, w, f->other_indent);
}

/* The part of the cost of breaking before w that does not depend on the line. */
static cost_t base_cost(const fmtstate *f, const word *w)
{
    cost_t cost = LINE_COST;
    if (w > f->words) {
        if (w[-1].period) {
            if (w[-1].final)
                cost -= SENTENCE_BONUS;
            else
                cost += NOBREAK_COST;
        } else if (w[-1].punct) {
            cost -= PUNCT_BONUS;
        } else if (w > f->words + 1 && w[-2].final) {
            cost += WIDOW_COST(w[-1].length);
        }
    }
    if (w->paren)
        cost -= PAREN_BONUS;
    else if (w->final)
        cost += ORPHAN_COST(w->length);
    return cost;
}

/* The part that depends on len, the length of the line ending before next. */
static cost_t line_cost(const fmtstate *f, const word *next, int len)
{
    if (next == f->word_limit)
        return 0;
    cost_t cost = SHORT_COST(f->goal_width - len);
    if (next->next_break != f->word_limit)
        cost += RAGGED_COST(len - next->line_length);
    return cost;
}

/* The best breaks for every suffix of the paragraph, from the end. */
static void fmt_paragraph(fmtstate *f)
{
    word *limit = f->word_limit;
    limit->best_cost = 0;
    int saved = limit->length;
    limit->length = f->max_width; /* a sentinel: the loop stops there */
    for (word *start = limit - 1; start >= f->words; start--) {
        cost_t best = MAXCOST;
        int len = (start == f->words ? f->first_indent : f->other_indent) + start->length;
        word *w = start;
        do {
            w++;
            cost_t c = line_cost(f, w, len) + w->best_cost;
            if (start == f->words && f->last_line_length > 0)
                c += RAGGED_COST(len - f->last_line_length);
            if (c < best) {
                best = c;
                start->next_break = w;
                start->line_length = len;
            }
            if (w == limit)
                break;
            len += w[-1].space + w->length;
        } while (len < f->max_width);
        start->best_cost = best + base_cost(f, start);
    }
    limit->length = saved;
}

static void set_other_indent(fmtstate *f, bool same_paragraph)
{
    if (f->split)
        f->other_indent = f->first_indent;
    else if (f->crown)
        f->other_indent = same_paragraph ? f->in_column : f->first_indent;
    else if (f->tagged) {
        if (same_paragraph && f->in_column != f->first_indent)
            f->other_indent = f->in_column;
        else if (f->other_indent == f->first_indent)
            f->other_indent = f->first_indent == 0 ? DEF_INDENT : 0;
    } else
        f->other_indent = f->first_indent;
}

/* The buffers are full: writes the paragraph up to a good break near
 * its end, and keeps the rest as the start of the paragraph. */
static void flush_paragraph(fmtstate *f)
{
    if (f->word_limit == f->words) { /* all one word */
        for (char *p = f->parabuf; p < f->wptr; p++)
            put_c(f, *p);
        f->wptr = f->parabuf;
        return;
    }
    fmt_paragraph(f);
    word *split_point = f->word_limit;
    cost_t best_break = MAXCOST;
    for (word *w = f->words->next_break; w != f->word_limit; w = w->next_break) {
        if (w->best_cost - w->next_break->best_cost < best_break) {
            split_point = w;
            best_break = w->best_cost - w->next_break->best_cost;
        }
        if (best_break <= MAXCOST - LINE_CREDIT)
            best_break += LINE_CREDIT;
    }
    put_paragraph(f, split_point);
    size_t shift = (size_t)(split_point->text - f->parabuf);
    memmove(f->parabuf, split_point->text, (size_t)(f->wptr - split_point->text));
    f->wptr -= shift;
    for (word *w = split_point; w <= f->word_limit; w++)
        w->text -= shift;
    memmove(f->words, split_point, (size_t)(f->word_limit - split_point + 1) * sizeof *f->words);
    f->word_limit -= split_point - f->words;
}

static int get_space(fmtstate *f, int c)
{
    for (;; c = get_c(f)) {
        if (c == ' ')
            f->in_column++;
        else if (c == '\t') {
            f->tabs = true;
            f->in_column = (f->in_column / TABWIDTH + 1) * TABWIDTH;
        } else
            return c;
    }
}

/* The first character after the prefix and the blanks after it, or the
 * first that does not match the prefix. */
static int get_prefix(fmtstate *f)
{
    f->in_column = 0;
    int c = get_space(f, get_c(f));
    if (f->prefix_length == 0) {
        f->next_prefix_indent = f->prefix_lead_space < f->in_column ? f->prefix_lead_space : f->in_column;
        return c;
    }
    f->next_prefix_indent = f->in_column;
    for (const char *p = f->prefix; *p; p++) {
        if (c != (unsigned char)*p)
            return c;
        f->in_column++;
        c = get_c(f);
    }
    return get_space(f, c);
}

static void check_punctuation(word *w)
{
    const char *start = w->text, *finish = start + w->length - 1;
    w->paren = strchr("(['`\"", *start) && *start;
    w->punct = ispunct((unsigned char)*finish);
    while (start < finish && *finish && strchr(")]'\"", *finish))
        finish--;
    w->period = *finish && strchr(".?!", *finish);
}

/* One line's words (its first character is c); returns the first
 * character of the next line after its prefix. */
static int get_line(fmtstate *f, int c)
{
    char *end_of_parabuf = f->parabuf + MAXCHARS;
    word *end_of_word = f->words + MAXWORDS - 2;
    do {
        f->word_limit->text = f->wptr;
        do {
            if (f->wptr == end_of_parabuf) {
                set_other_indent(f, true);
                flush_paragraph(f);
            }
            *f->wptr++ = (char)c;
            c = get_c(f);
        } while (c != EOF && !isspace(c));
        f->in_column += f->word_limit->length = (int)(f->wptr - f->word_limit->text);
        check_punctuation(f->word_limit);
        int start = f->in_column;
        c = get_space(f, c);
        f->word_limit->space = f->in_column - start;
        f->word_limit->final = c == EOF || (f->word_limit->period && (c == '\n' || f->word_limit->space > 1));
        if (c == '\n' || c == EOF || f->uniform)
            f->word_limit->space = f->word_limit->final ? 2 : 1;
        if (f->word_limit == end_of_word) {
            set_other_indent(f, true);
            flush_paragraph(f);
        }
        f->word_limit++;
    } while (c != '\n' && c != EOF);
    return get_prefix(f);
}

/* A line that is blank after the prefix, or does not have it: copied. */
static int copy_rest(fmtstate *f, int c)
{
    f->out_column = 0;
    if (f->in_column > f->next_prefix_indent || (c != '\n' && c != EOF)) {
        put_space(f, f->next_prefix_indent);
        for (const char *s = f->prefix; f->out_column != f->in_column && *s; f->out_column++)
            put_c(f, *s++);
        if (c != EOF && c != '\n')
            put_space(f, f->in_column - f->out_column);
        if (c == EOF && f->in_column >= f->next_prefix_indent + f->prefix_length)
            put_c(f, '\n');
    }
    while (c != '\n' && c != EOF) {
        put_c(f, (char)c);
        c = get_c(f);
    }
    return c;
}

static bool same_para(const fmtstate *f, int c)
{
    return f->next_prefix_indent == f->prefix_indent &&
           f->in_column >= f->next_prefix_indent + f->prefix_full_length && c != '\n' && c != EOF;
}

static bool get_paragraph(fmtstate *f)
{
    f->last_line_length = 0;
    int c = f->next_char;
    while (c == '\n' || c == EOF || f->next_prefix_indent < f->prefix_lead_space ||
           f->in_column < f->next_prefix_indent + f->prefix_full_length) {
        c = copy_rest(f, c);
        if (c == EOF) {
            f->next_char = EOF;
            return false;
        }
        put_c(f, '\n');
        c = get_prefix(f);
        if (sh_interrupted(f->sh) || f->wfail)
            return false;
    }
    f->prefix_indent = f->next_prefix_indent;
    f->first_indent = f->in_column;
    f->wptr = f->parabuf;
    f->word_limit = f->words;
    c = get_line(f, c);
    set_other_indent(f, same_para(f, c));
    if (f->split) {
        /* one line */
    } else if (f->crown) {
        if (same_para(f, c))
            do
                c = get_line(f, c);
            while (same_para(f, c) && f->in_column == f->other_indent);
    } else if (f->tagged) {
        if (same_para(f, c) && f->in_column != f->first_indent)
            do
                c = get_line(f, c);
            while (same_para(f, c) && f->in_column == f->other_indent);
    } else {
        while (same_para(f, c) && f->in_column == f->other_indent)
            c = get_line(f, c);
    }
    f->word_limit[-1].period = f->word_limit[-1].final = true;
    f->next_char = c;
    return true;
}

static void fmt_stream(fmtstate *f, sh_stream *in)
{
    f->in = in;
    f->blen = f->bpos = 0;
    f->rerr = false;
    f->tabs = false;
    f->other_indent = 0;
    f->next_char = get_prefix(f);
    while (!f->wfail && !sh_interrupted(f->sh) && get_paragraph(f)) {
        fmt_paragraph(f);
        put_paragraph(f, f->word_limit);
    }
}

/* "N" up to max; false after GNU's message. */
static bool parse_width(shctx *sh, const char *s, int max, int *out)
{
    int64_t v;
    if (!sh_parse_int(s, &v) || v < 0 || s[0] == '-' || s[0] == '+' || s[0] == ' ') {
        bool digits = s[0] && strspn(s, "0123456789") == strlen(s);
        sh_err(sh, "invalid width: %s%s", sh_quote(sh, s), digits ? ": Numerical result out of range" : "");
        return false;
    }
    if (v > max) {
        sh_err(sh, "invalid width: %s: Numerical result out of range", sh_quote(sh, s));
        return false;
    }
    *out = (int)v;
    return true;
}

int util_fmt(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"crown-margin", SH_NO_ARG, 'c'}, {"prefix", SH_REQ_ARG, 'p'},
                                    {"split-only", SH_NO_ARG, 's'}, {"tagged-paragraph", SH_NO_ARG, 't'},
                                    {"uniform-spacing", SH_NO_ARG, 'u'}, {"width", SH_REQ_ARG, 'w'},
                                    {"goal", SH_REQ_ARG, 'g'}, {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    fmtstate *f = sh_calloc(1, sizeof *f);
    f->sh = sh;
    f->prefix = "";
    f->max_width = 75;
    const char *width_opt = NULL, *goal_opt = NULL;
    int status = 0;
    char **vbase = sh_calloc((size_t)argc + 1, sizeof *vbase), **v = vbase;
    memcpy(v, argv, (size_t)argc * sizeof *v);
    if (argc > 1 && v[1][0] == '-' && isdigit((unsigned char)v[1][1])) {
        width_opt = v[1] + 1; /* -WIDTH, only as the first argument */
        v[1] = v[0];
        v++;
        argc--;
    }
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    char *prefix_copy = NULL;
    while ((c = sh_getopt(sh, &st, argc, v, "0123456789cstuw:p:g:", lo)) != -1) {
        switch (c) {
        case 'c': f->crown = true; break;
        case 's': f->split = true; break;
        case 't': f->tagged = true; break;
        case 'u': f->uniform = true; break;
        case 'w': width_opt = st.arg; break;
        case 'g': goal_opt = st.arg; break;
        case 'p': {
            const char *p = st.arg;
            f->prefix_lead_space = 0;
            while (*p == ' ')
                f->prefix_lead_space++, p++;
            free(prefix_copy);
            prefix_copy = sh_strdup(p);
            f->prefix_full_length = (int)strlen(prefix_copy);
            size_t k = strlen(prefix_copy);
            while (k && prefix_copy[k - 1] == ' ')
                prefix_copy[--k] = 0;
            f->prefix = prefix_copy;
            f->prefix_length = (int)k;
            break;
        }
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: fmt [-WIDTH] [OPTION]... [FILE]...\n");
            goto done;
        default:
            if (c >= '0' && c <= '9') {
                sh_err(sh, "invalid option -- %c; -WIDTH is recognized only when it is the first\n"
                           "option; use -w N instead", c);
                sh_try_help(sh);
            }
            status = 1;
            goto done;
        }
    }
    if (width_opt && !parse_width(sh, width_opt, MAXCHARS / 2, &f->max_width)) {
        status = 1;
        goto done;
    }
    if (goal_opt) {
        if (!parse_width(sh, goal_opt, f->max_width, &f->goal_width)) {
            status = 1;
            goto done;
        }
        if (!width_opt)
            f->max_width = f->goal_width + 10;
    } else {
        f->goal_width = f->max_width * (2 * (100 - LEEWAY) + 1) / 200;
    }
    f->parabuf = sh_malloc(MAXCHARS);
    f->words = sh_calloc(MAXWORDS, sizeof *f->words);
    int nfiles = argc - st.ind;
    for (int i = 0; i < (nfiles ? nfiles : 1) && !f->wfail && !sh_interrupted(sh); i++) {
        const char *name = nfiles ? v[st.ind + i] : "-";
        sh_stream *in = !strcmp(name, "-") ? sh_input(sh, "-") : sh_open(sh, name, O_RDONLY);
        if (!in) {
            sh_errno(sh, errno, "cannot open %s for reading", sh_quote(sh, name));
            status = 1;
            continue;
        }
        fmt_stream(f, in);
        if (f->rerr) {
            sh_errno(sh, errno, "%s", sh_quote_maybe(sh, name));
            status = 1;
        }
        sh_input_close(sh, in);
    }
    if (f->out.len && !f->wfail && !sh_write(sh_stdout(sh), f->out.data, f->out.len))
        f->wfail = true;
    if (f->wfail)
        status = 1;
done:
    free(vbase);
    free(prefix_copy);
    free(f->parabuf);
    free(f->words);
    sh_buf_free(&f->out);
    free(f);
    return status;
}
