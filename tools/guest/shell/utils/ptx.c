/* ptx: GNU's permuted index. Every word of the input (letters, or -W's
 * expression, or what -b's break characters leave) is a keyword, shown in
 * its context, sorted: the text before it (-w width halves, -g gap, -F
 * truncation mark), the keyword and what follows, with wrapped-around
 * "head" and "tail" fields as GNU lays them out; contexts end at sentence
 * ends (GNU extensions) or lines (-G, -r), or at -S's expression. -A/-r
 * references (-R at the right), -O roff and -T TeX formats (-M macro),
 * -f fold case, -i ignore words, -o only words. The inputs are read whole.
 * What the sandbox changes: GNU compiles -S and -W as Emacs-style regular
 * expressions; here they are turned into POSIX extended ones (\( \) \|
 * group and alternate, + ? * repeat, { } are literal) for wasi-libc's
 * regcomp, which stops at NUL bytes. */
#include "../shell.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FMT_UNKNOWN, FMT_DUMB, FMT_ROFF, FMT_TEX };

typedef struct {
    char *start, *end;
} block;

typedef struct {
    char *start;
    ptrdiff_t size;
} word;

typedef struct {
    word *v;
    ptrdiff_t n, cap;
} word_table;

typedef struct {
    word key;
    ptrdiff_t left, right;
    int64_t reference;
    int file_index;
} occurs;

typedef struct {
    shctx *sh;
    bool gnu, auto_ref, input_ref, right_ref, ignore_case;
    ptrdiff_t line_width, gap_size;
    const char *trunc;
    ptrdiff_t trunc_len;
    const char *macro;
    int format;
    /* -S: NULL when the context is the whole text; default_ctx: GNU's sentence end */
    bool default_ctx, newline_ctx, have_ctx_rx, have_word_rx, ctx_error;
    const char *ctx_source; /* for the message */
    regex_t ctx_rx, word_rx, word_rx_anchored;
    unsigned char folded[256];
    char word_map[256];
    ptrdiff_t max_word_len, ref_max_width;
    word_table ignore, only;
    bool use_ignore, use_only;
    /* inputs */
    int nfiles;
    const char **names;
    int64_t *file_line_count;
    block *text;
    int64_t total_lines;
    occurs *occ;
    ptrdiff_t nocc, occ_cap;
    /* output */
    char edited[256];
    ptrdiff_t half_line_width, before_max_width, keyafter_max_width;
    block tail, before, keyafter, head, reference;
    bool tail_trunc, before_trunc, keyafter_trunc, head_trunc;
    char refbuf[4096];
    sh_buf out;
} ptx;

static bool is_space(char c)
{
    return isspace((unsigned char)c);
}

/* Emacs-style (GNU regex's default syntax) to a POSIX ERE. */
static char *emacs_to_ere(const char *s)
{
    sh_buf b = {0};
    bool in_bracket = false;
    for (const char *p = s; *p; p++) {
        if (in_bracket) {
            sh_buf_addc(&b, *p);
            if (*p == ']')
                in_bracket = false;
            continue;
        }
        if (*p == '[') {
            sh_buf_addc(&b, '[');
            if (p[1] == '^')
                sh_buf_addc(&b, *++p);
            if (p[1] == ']')
                sh_buf_addc(&b, *++p);
            in_bracket = true;
            continue;
        }
        if (*p == '\\' && p[1]) {
            p++;
            if (*p == '(' || *p == ')' || *p == '|')
                sh_buf_addc(&b, *p);
            else {
                sh_buf_addc(&b, '\\');
                sh_buf_addc(&b, *p);
            }
            continue;
        }
        if (strchr("(){}|", *p))
            sh_buf_addc(&b, '\\');
        sh_buf_addc(&b, *p);
    }
    return sh_buf_take(&b);
}

static bool compile(ptx *x, regex_t *rx, const char *src, bool anchored)
{
    char *ere = emacs_to_ere(src);
    if (anchored) {
        sh_buf b = {0};
        sh_buf_printf(&b, "^(%s)", ere);
        free(ere);
        ere = sh_buf_take(&b);
    }
    int e = regcomp(rx, ere, REG_EXTENDED | REG_NEWLINE | (x->ignore_case ? REG_ICASE : 0));
    free(ere);
    if (e) {
        char msg[200];
        regerror(e, rx, msg, sizeof msg);
        sh_err(x->sh, "%s (for regexp %s)", msg, sh_quote(x->sh, src));
        return false;
    }
    return true;
}

/* regexec over [start, end): the text is cut there for the call. */
static bool search(regex_t *rx, char *start, char *end, bool bol, regmatch_t *m)
{
    char save = *end;
    *end = 0;
    bool ok = regexec(rx, start, 1, m, bol ? 0 : REG_NOTBOL) == 0;
    *end = save;
    return ok;
}

/* GNU's default end of sentence, "[.?!][]\"')}]*\($\|\t\|  \)[ \t\n]*",
 * from cursor: its start and end, or false. */
static bool find_sentence_end(char *cur, char *end, char **ms, char **me)
{
    for (char *p = cur; p < end; p++) {
        if (*p != '.' && *p != '?' && *p != '!')
            continue;
        char *q = p + 1;
        while (q < end && strchr("]\"')}", *q) && *q)
            q++;
        if (!(q == end || *q == '\n' || *q == '\t' || (q + 1 < end && q[0] == ' ' && q[1] == ' ')))
            continue;
        while (q < end && (*q == ' ' || *q == '\t' || *q == '\n'))
            q++;
        *ms = p;
        *me = q;
        return true;
    }
    return false;
}

/* Skips one word (or one other character) at cursor: GNU's SKIP_SOMETHING. */
static char *skip_something(ptx *x, char *cur, char *limit)
{
    if (cur >= limit)
        return cur;
    if (x->have_word_rx) {
        regmatch_t m;
        /* anchored at cur: '^' also matches after a newline (REG_NEWLINE) */
        ptrdiff_t count = search(&x->word_rx_anchored, cur, limit, true, &m) && m.rm_so == 0 ? m.rm_eo : -1;
        return cur + (count <= 0 ? 1 : count);
    }
    if (x->word_map[(unsigned char)*cur]) {
        while (cur < limit && x->word_map[(unsigned char)*cur])
            cur++;
        return cur;
    }
    return cur + 1;
}

static int compare_words(const ptx *x, const word *a, const word *b)
{
    ptrdiff_t n = a->size < b->size ? a->size : b->size;
    for (ptrdiff_t i = 0; i < n; i++) {
        int d = x->ignore_case ? x->folded[(unsigned char)a->start[i]] - x->folded[(unsigned char)b->start[i]]
                               : (unsigned char)a->start[i] - (unsigned char)b->start[i];
        if (d)
            return d;
    }
    return (a->size > b->size) - (a->size < b->size);
}

static int cmp_words_ctx(const void *a, const void *b, void *ctx)
{
    return compare_words(ctx, a, b);
}

static int cmp_occurs_ctx(const void *a, const void *b, void *ctx)
{
    return compare_words(ctx, &((const occurs *)a)->key, &((const occurs *)b)->key);
}

static bool in_table(const ptx *x, const word *w, const word_table *t)
{
    ptrdiff_t lo = 0, hi = t->n - 1;
    while (lo <= hi) {
        ptrdiff_t mid = (lo + hi) / 2;
        int v = compare_words(x, w, &t->v[mid]);
        if (v < 0)
            hi = mid - 1;
        else if (v > 0)
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

/* A whole file ("-" or "": stdin) into memory, NUL-terminated. */
static bool swallow(ptx *x, const char *name, block *b)
{
    bool std = !name || !*name || !strcmp(name, "-");
    sh_stream *in = std ? sh_input(x->sh, "-") : sh_open(x->sh, name, O_RDONLY);
    sh_buf all = {0};
    bool ok = in && sh_read_all(in, &all, SH_NO_LIMIT);
    if (!ok)
        sh_errno(x->sh, errno, "%s", sh_quote_maybe(x->sh, std ? "-" : name));
    if (in)
        sh_input_close(x->sh, in);
    sh_buf_reserve(&all, 1);
    all.data[all.len] = 0;
    b->start = all.data;
    b->end = all.data + all.len;
    return ok;
}

static bool digest_word_file(ptx *x, const char *name, word_table *t, block *keep)
{
    if (!swallow(x, name, keep))
        return false;
    for (char *p = keep->start; p < keep->end;) {
        char *s = p;
        while (p < keep->end && *p != '\n')
            p++;
        if (p > s) {
            if (t->n == t->cap) {
                t->cap = t->cap ? t->cap * 2 : 64;
                t->v = sh_realloc(t->v, (size_t)t->cap * sizeof *t->v);
            }
            t->v[t->n].start = s;
            t->v[t->n++].size = p - s;
        }
        if (p < keep->end)
            p++;
    }
    sh_sort(t->v, (size_t)t->n, sizeof *t->v, cmp_words_ctx, x);
    return true;
}

static void find_occurs(ptx *x, int fi)
{
    block *tb = &x->text[fi];
    char *line_start = tb->start, *line_scan = line_start, *next_context_start;
    ptrdiff_t reference_length = 0;
    if (x->input_ref) {
        while (line_scan < tb->end && !is_space(*line_scan))
            line_scan++;
        reference_length = line_scan - line_start;
        while (line_scan < tb->end && is_space(*line_scan))
            line_scan++;
    }
    for (char *cursor = tb->start; cursor < tb->end && !sh_interrupted(x->sh); cursor = next_context_start) {
        char *context_start = cursor;
        next_context_start = tb->end;
        char *ms = NULL, *me = NULL;
        if (x->default_ctx) {
            if (!find_sentence_end(cursor, tb->end, &ms, &me))
                ms = NULL;
        } else if (x->newline_ctx) {
            char *nl = memchr(cursor, '\n', (size_t)(tb->end - cursor));
            if (nl)
                ms = nl, me = nl + 1;
        } else if (x->have_ctx_rx) {
            regmatch_t m;
            if (search(&x->ctx_rx, cursor, tb->end, cursor == tb->start || cursor[-1] == '\n', &m))
                ms = cursor + m.rm_so, me = cursor + m.rm_eo;
        }
        if (ms == cursor) {
            /* GNU's ptx takes a match found where the search starts (an
             * empty line, with lines as contexts) for an empty match, and
             * stops; so does this one */
            x->ctx_error = true;
            return;
        }
        if (ms)
            next_context_start = me;
        char *context_end = next_context_start;
        while (context_end > context_start && is_space(context_end[-1]))
            context_end--;
        for (;;) {
            char *word_start, *word_end;
            if (x->have_word_rx) {
                regmatch_t m;
                if (cursor >= context_end ||
                    !search(&x->word_rx, cursor, context_end, cursor == tb->start || cursor[-1] == '\n', &m))
                    break;
                word_start = cursor + m.rm_so;
                word_end = cursor + m.rm_eo;
            } else {
                char *scan = cursor;
                while (scan < context_end && !x->word_map[(unsigned char)*scan])
                    scan++;
                if (scan == context_end)
                    break;
                word_start = scan;
                while (scan < context_end && x->word_map[(unsigned char)*scan])
                    scan++;
                word_end = scan;
            }
            cursor = word_start;
            if (word_end == word_start) {
                cursor++;
                continue;
            }
            word key = {cursor, word_end - word_start};
            cursor += key.size;
            if (key.size > x->max_word_len)
                x->max_word_len = key.size;
            if (x->input_ref) {
                while (line_scan < key.start) {
                    if (*line_scan == '\n') {
                        x->total_lines++;
                        line_scan++;
                        line_start = line_scan;
                        while (line_scan < tb->end && !is_space(*line_scan))
                            line_scan++;
                        reference_length = line_scan - line_start;
                    } else {
                        line_scan++;
                    }
                }
                if (line_scan > key.start)
                    continue; /* the word is the reference */
            }
            if (x->use_ignore && in_table(x, &key, &x->ignore))
                continue;
            if (x->use_only && !in_table(x, &key, &x->only))
                continue;
            if (x->nocc == x->occ_cap) {
                x->occ_cap = x->occ_cap ? x->occ_cap * 2 : 256;
                x->occ = sh_realloc(x->occ, (size_t)x->occ_cap * sizeof *x->occ);
            }
            occurs *o = &x->occ[x->nocc];
            if (x->auto_ref) {
                while (line_scan < key.start) {
                    if (*line_scan == '\n') {
                        x->total_lines++;
                        line_scan++;
                        line_start = line_scan;
                        while (line_scan < tb->end && !is_space(*line_scan))
                            line_scan++;
                    } else {
                        line_scan++;
                    }
                }
                o->reference = x->total_lines;
            } else if (x->input_ref) {
                o->reference = line_start - key.start;
                if (reference_length > x->ref_max_width)
                    x->ref_max_width = reference_length;
            }
            if (x->input_ref && line_start == context_start) {
                while (context_start < context_end && !is_space(*context_start))
                    context_start++;
                while (context_start < context_end && is_space(*context_start))
                    context_start++;
            }
            o->key = key;
            o->left = context_start - key.start;
            o->right = context_end - key.start;
            o->file_index = fi;
            x->nocc++;
        }
    }
}

static void spaces(ptx *x, ptrdiff_t n)
{
    for (; n > 0; n--)
        sh_buf_addc(&x->out, ' ');
}

static void print_field(ptx *x, block f)
{
    for (char *c = f.start; c && c < f.end; c++) {
        unsigned char ch = (unsigned char)*c;
        if (!x->edited[ch]) {
            sh_buf_addc(&x->out, (char)ch);
            continue;
        }
        switch (ch) {
        case '"': sh_buf_adds(&x->out, "\"\""); break;
        case '$': case '%': case '&': case '#': case '_':
            sh_buf_addc(&x->out, '\\');
            sh_buf_addc(&x->out, (char)ch);
            break;
        case '{': case '}': sh_buf_printf(&x->out, "$\\%c$", ch); break;
        case '\\': sh_buf_adds(&x->out, "\\backslash{}"); break;
        default: sh_buf_addc(&x->out, ' ');
        }
    }
}

static void fix_output_parameters(ptx *x)
{
    if (x->auto_ref) {
        x->ref_max_width = 0;
        for (int i = 0; i < x->nfiles; i++) {
            int64_t ordinal = x->file_line_count[i] + 1;
            if (i > 0)
                ordinal -= x->file_line_count[i - 1];
            char s[32];
            ptrdiff_t w = snprintf(s, sizeof s, "%lld", (long long)ordinal);
            if (x->names[i])
                w += (ptrdiff_t)strlen(x->names[i]);
            if (w > x->ref_max_width)
                x->ref_max_width = w;
        }
        x->ref_max_width++;
    }
    if ((x->auto_ref || x->input_ref) && !x->right_ref)
        x->line_width -= x->ref_max_width + x->gap_size;
    if (x->line_width < 0)
        x->line_width = 0;
    x->half_line_width = x->line_width / 2;
    x->before_max_width = x->half_line_width - x->gap_size;
    x->keyafter_max_width = x->half_line_width;
    if (x->trunc && *x->trunc)
        x->trunc_len = (ptrdiff_t)strlen(x->trunc);
    else
        x->trunc = NULL;
    if (x->gnu) {
        x->before_max_width -= 2 * x->trunc_len;
        if (x->before_max_width < 0)
            x->before_max_width = 0;
        x->keyafter_max_width -= 2 * x->trunc_len;
    } else {
        x->keyafter_max_width -= 2 * x->trunc_len + 1;
    }
    for (int c = 0; c < 256; c++)
        x->edited[c] = (char)!!isspace(c);
    x->edited['\f'] = 1;
    if (x->format == FMT_ROFF)
        x->edited['"'] = 1;
    else if (x->format == FMT_TEX)
        for (const char *p = "$%&#_{}\\"; *p; p++)
            x->edited[(unsigned char)*p] = 1;
}

static void skip_white_back(char **c, const char *start)
{
    while (*c > start && is_space((*c)[-1]))
        (*c)--;
}

static void skip_white(char **c, const char *limit)
{
    while (*c < limit && is_space(**c))
        (*c)++;
}

static void define_all_fields(ptx *x, const occurs *o)
{
    char *cursor, *left_field_start;
    x->keyafter.start = o->key.start;
    x->keyafter.end = o->key.start + o->key.size;
    char *left_context_start = o->key.start + o->left, *right_context_end = o->key.start + o->right;
    const char *buffer_start = x->text[o->file_index].start, *buffer_end = x->text[o->file_index].end;
    cursor = x->keyafter.end;
    while (cursor < right_context_end && cursor <= x->keyafter.start + x->keyafter_max_width) {
        x->keyafter.end = cursor;
        cursor = skip_something(x, cursor, right_context_end);
    }
    if (cursor <= x->keyafter.start + x->keyafter_max_width)
        x->keyafter.end = cursor;
    x->keyafter_trunc = x->trunc && x->keyafter.end < right_context_end;
    skip_white_back(&x->keyafter.end, x->keyafter.start);
    if (-o->left > x->half_line_width + x->max_word_len) {
        left_field_start = x->keyafter.start - (x->half_line_width + x->max_word_len);
        left_field_start = skip_something(x, left_field_start, x->keyafter.start);
    } else {
        left_field_start = x->keyafter.start + o->left;
    }
    x->before.start = left_field_start;
    x->before.end = x->keyafter.start;
    skip_white_back(&x->before.end, x->before.start);
    while (x->before.start + x->before_max_width < x->before.end)
        x->before.start = skip_something(x, x->before.start, x->before.end);
    if (x->trunc) {
        cursor = x->before.start;
        skip_white_back(&cursor, buffer_start);
        x->before_trunc = cursor > left_context_start;
    } else {
        x->before_trunc = false;
    }
    skip_white(&x->before.start, buffer_end);
    ptrdiff_t tail_max = x->before_max_width - (x->before.end - x->before.start) - x->gap_size;
    if (tail_max > 0) {
        x->tail.start = x->keyafter.end;
        skip_white(&x->tail.start, buffer_end);
        x->tail.end = x->tail.start;
        cursor = x->tail.end;
        while (cursor < right_context_end && cursor < x->tail.start + tail_max) {
            x->tail.end = cursor;
            cursor = skip_something(x, cursor, right_context_end);
        }
        if (cursor < x->tail.start + tail_max)
            x->tail.end = cursor;
        if (x->tail.end > x->tail.start) {
            x->keyafter_trunc = false;
            x->tail_trunc = x->trunc && x->tail.end < right_context_end;
        } else {
            x->tail_trunc = false;
        }
        skip_white_back(&x->tail.end, x->tail.start);
    } else {
        x->tail.start = x->tail.end = NULL;
        x->tail_trunc = false;
    }
    ptrdiff_t head_max = x->keyafter_max_width - (x->keyafter.end - x->keyafter.start) - x->gap_size;
    if (head_max > 0) {
        x->head.end = x->before.start;
        skip_white_back(&x->head.end, buffer_start);
        x->head.start = left_field_start;
        while (x->head.start + head_max < x->head.end)
            x->head.start = skip_something(x, x->head.start, x->head.end);
        if (x->head.end > x->head.start) {
            x->before_trunc = false;
            x->head_trunc = x->trunc && x->head.start > left_context_start;
        } else {
            x->head_trunc = false;
        }
        skip_white(&x->head.start, x->head.end);
    } else {
        x->head.start = x->head.end = NULL;
        x->head_trunc = false;
    }
    if (x->auto_ref) {
        const char *name = x->names[o->file_index] ? x->names[o->file_index] : "";
        int64_t ordinal = o->reference + 1;
        if (o->file_index > 0)
            ordinal -= x->file_line_count[o->file_index - 1];
        int k = snprintf(x->refbuf, sizeof x->refbuf, "%s:%lld", name, (long long)ordinal);
        if (k >= (int)sizeof x->refbuf)
            k = (int)sizeof x->refbuf - 1;
        x->reference.start = x->refbuf;
        x->reference.end = x->refbuf + k;
    } else if (x->input_ref) {
        x->reference.start = x->keyafter.start + o->reference;
        x->reference.end = x->reference.start;
        while (x->reference.end < right_context_end && !is_space(*x->reference.end))
            x->reference.end++;
    }
}

static void put_trunc(ptx *x, bool on)
{
    if (on)
        sh_buf_adds(&x->out, x->trunc);
}

static void output_roff(ptx *x)
{
    sh_buf_printf(&x->out, ".%s \"", x->macro);
    print_field(x, x->tail);
    put_trunc(x, x->tail_trunc);
    sh_buf_adds(&x->out, "\" \"");
    put_trunc(x, x->before_trunc);
    print_field(x, x->before);
    sh_buf_adds(&x->out, "\" \"");
    print_field(x, x->keyafter);
    put_trunc(x, x->keyafter_trunc);
    sh_buf_adds(&x->out, "\" \"");
    put_trunc(x, x->head_trunc);
    print_field(x, x->head);
    sh_buf_addc(&x->out, '"');
    if (x->auto_ref || x->input_ref) {
        sh_buf_adds(&x->out, " \"");
        print_field(x, x->reference);
        sh_buf_addc(&x->out, '"');
    }
    sh_buf_addc(&x->out, '\n');
}

static void output_tex(ptx *x)
{
    sh_buf_printf(&x->out, "\\%s {", x->macro);
    print_field(x, x->tail);
    sh_buf_adds(&x->out, "}{");
    print_field(x, x->before);
    sh_buf_adds(&x->out, "}{");
    char *cursor = skip_something(x, x->keyafter.start, x->keyafter.end);
    block key = {x->keyafter.start, cursor}, after = {cursor, x->keyafter.end};
    print_field(x, key);
    sh_buf_adds(&x->out, "}{");
    print_field(x, after);
    sh_buf_adds(&x->out, "}{");
    print_field(x, x->head);
    sh_buf_addc(&x->out, '}');
    if (x->auto_ref || x->input_ref) {
        sh_buf_addc(&x->out, '{');
        print_field(x, x->reference);
        sh_buf_addc(&x->out, '}');
    }
    sh_buf_addc(&x->out, '\n');
}

static ptrdiff_t len_of(block b)
{
    return b.end - b.start;
}

static void output_dumb(ptx *x)
{
    bool refs = x->auto_ref || x->input_ref;
    if (!x->right_ref) {
        if (x->auto_ref) {
            print_field(x, x->reference);
            sh_buf_addc(&x->out, ':');
            spaces(x, x->ref_max_width + x->gap_size - len_of(x->reference) - 1);
        } else {
            print_field(x, x->reference);
            spaces(x, x->ref_max_width + x->gap_size - len_of(x->reference));
        }
    }
    ptrdiff_t tl = x->trunc_len;
    if (x->tail.start < x->tail.end) {
        print_field(x, x->tail);
        put_trunc(x, x->tail_trunc);
        spaces(x, x->half_line_width - x->gap_size - len_of(x->before) - (x->before_trunc ? tl : 0) -
                      len_of(x->tail) - (x->tail_trunc ? tl : 0));
    } else {
        spaces(x, x->half_line_width - x->gap_size - len_of(x->before) - (x->before_trunc ? tl : 0));
    }
    put_trunc(x, x->before_trunc);
    print_field(x, x->before);
    spaces(x, x->gap_size);
    print_field(x, x->keyafter);
    put_trunc(x, x->keyafter_trunc);
    if (x->head.start < x->head.end) {
        spaces(x, x->half_line_width - len_of(x->keyafter) - (x->keyafter_trunc ? tl : 0) - len_of(x->head) -
                      (x->head_trunc ? tl : 0));
        put_trunc(x, x->head_trunc);
        print_field(x, x->head);
    } else if (refs && x->right_ref) {
        spaces(x, x->half_line_width - len_of(x->keyafter) - (x->keyafter_trunc ? tl : 0));
    }
    if (refs && x->right_ref) {
        spaces(x, x->gap_size);
        print_field(x, x->reference);
    }
    sh_buf_addc(&x->out, '\n');
}

/* GNU's unescape_string for -F, -S, -W. */
static void unescape(char *s)
{
    char *out = s;
    while (*s) {
        if (*s != '\\') {
            *out++ = *s++;
            continue;
        }
        s++;
        int v = 0, len = 0;
        switch (*s) {
        case 'x':
            for (s++; len < 3 && isxdigit((unsigned char)*s); len++, s++)
                v = v * 16 + (isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10));
            if (len == 0) {
                *out++ = '\\';
                *out++ = 'x';
            } else {
                *out++ = (char)v;
            }
            break;
        case '0':
            for (s++; len < 3 && *s >= '0' && *s <= '7'; len++, s++)
                v = v * 8 + (*s - '0');
            *out++ = (char)v;
            break;
        case 'a': *out++ = '\a'; s++; break;
        case 'b': *out++ = '\b'; s++; break;
        case 'c': while (*s) s++; break;
        case 'f': *out++ = '\f'; s++; break;
        case 'n': *out++ = '\n'; s++; break;
        case 'r': *out++ = '\r'; s++; break;
        case 't': *out++ = '\t'; s++; break;
        case 'v': *out++ = '\v'; s++; break;
        case 0: break;
        default:
            *out++ = '\\';
            *out++ = *s++;
        }
    }
    *out = 0;
}

static bool parse_width(ptx *x, const char *s, const char *what, ptrdiff_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (end == s || *end || errno || v <= 0) {
        sh_err(x->sh, "invalid %s: %s", what, sh_quote(x->sh, s));
        return false;
    }
    *out = (ptrdiff_t)v;
    return true;
}

int util_ptx(shctx *sh, int argc, char **argv)
{
    enum { FORMAT = 256 };
    static const sh_longopt lo[] = {
        {"auto-reference", SH_NO_ARG, 'A'}, {"break-file", SH_REQ_ARG, 'b'},
        {"flag-truncation", SH_REQ_ARG, 'F'}, {"ignore-case", SH_NO_ARG, 'f'}, {"gap-size", SH_REQ_ARG, 'g'},
        {"ignore-file", SH_REQ_ARG, 'i'}, {"macro-name", SH_REQ_ARG, 'M'}, {"only-file", SH_REQ_ARG, 'o'},
        {"references", SH_NO_ARG, 'r'}, {"right-side-refs", SH_NO_ARG, 'R'}, {"format", SH_REQ_ARG, FORMAT},
        {"sentence-regexp", SH_REQ_ARG, 'S'}, {"traditional", SH_NO_ARG, 'G'},
        {"typeset-mode", SH_NO_ARG, 't'}, {"width", SH_REQ_ARG, 'w'}, {"word-regexp", SH_REQ_ARG, 'W'},
        {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    ptx *x = sh_calloc(1, sizeof *x);
    x->sh = sh;
    x->gnu = true;
    x->line_width = 72;
    x->gap_size = 3;
    x->trunc = "/";
    x->macro = "xx";
    int status = 1;
    const char *break_file = NULL, *ignore_file = NULL, *only_file = NULL;
    char *ctx_src = NULL, *word_src = NULL, *trunc_copy = NULL;
    bool ctx_given = false;
    block ignore_keep = {0}, only_keep = {0};
    sh_stream *outfile = NULL;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "AF:GM:ORS:TW:b:i:fg:o:trw:", lo)) != -1) {
        switch (c) {
        case 'G': x->gnu = false; break;
        case 'b': break_file = st.arg; break;
        case 'f': x->ignore_case = true; break;
        case 'g':
            if (!parse_width(x, st.arg, "gap width", &x->gap_size))
                goto done;
            break;
        case 'i': ignore_file = st.arg; break;
        case 'o': only_file = st.arg; break;
        case 'r': x->input_ref = true; break;
        case 't': break;
        case 'w':
            if (!parse_width(x, st.arg, "line width", &x->line_width))
                goto done;
            break;
        case 'A': x->auto_ref = true; break;
        case 'F':
            free(trunc_copy);
            trunc_copy = sh_strdup(st.arg);
            unescape(trunc_copy);
            x->trunc = trunc_copy;
            break;
        case 'M': x->macro = st.arg; break;
        case 'O': x->format = FMT_ROFF; break;
        case 'R': x->right_ref = true; break;
        case 'S':
            free(ctx_src);
            ctx_src = sh_strdup(st.arg);
            unescape(ctx_src);
            ctx_given = true;
            break;
        case 'T': x->format = FMT_TEX; break;
        case 'W':
            free(word_src);
            word_src = sh_strdup(st.arg);
            unescape(word_src);
            if (!*word_src) {
                free(word_src);
                word_src = NULL;
            }
            break;
        case FORMAT:
            if (!strcmp(st.arg, "roff"))
                x->format = FMT_ROFF;
            else if (!strcmp(st.arg, "tex"))
                x->format = FMT_TEX;
            else {
                sh_err(sh, "invalid argument %s for '--format'\nValid arguments are:\n  - 'roff'\n  - 'tex'",
                       sh_quote(sh, st.arg));
                sh_try_help(sh);
                goto done;
            }
            break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: ptx [OPTION]... [INPUT]...   (without -G)\n"
                                   "  or:  ptx -G [OPTION]... [INPUT [OUTPUT]]\n");
            status = 0;
            goto done;
        default:
            goto done;
        }
    }
    int nops = argc - st.ind;
    if (nops == 0) {
        x->nfiles = 1;
        x->names = sh_calloc(1, sizeof *x->names);
    } else if (x->gnu) {
        x->nfiles = nops;
        x->names = sh_calloc((size_t)nops, sizeof *x->names);
        for (int i = 0; i < nops; i++)
            x->names[i] = (!*argv[st.ind + i] || !strcmp(argv[st.ind + i], "-")) ? NULL : argv[st.ind + i];
    } else {
        x->nfiles = 1;
        x->names = sh_calloc(1, sizeof *x->names);
        const char *a = argv[st.ind];
        x->names[0] = (!*a || !strcmp(a, "-")) ? NULL : a;
        if (nops >= 2) {
            outfile = sh_open(sh, argv[st.ind + 1], O_WRONLY | O_CREAT | O_TRUNC);
            if (!outfile) {
                sh_errno(sh, errno, "%s", sh_quote_maybe(sh, argv[st.ind + 1]));
                goto done;
            }
        }
        if (nops > 2) {
            sh_err(sh, "extra operand %s", sh_quote(sh, argv[st.ind + 2]));
            sh_try_help(sh);
            goto done;
        }
    }
    if (x->format == FMT_UNKNOWN)
        x->format = x->gnu ? FMT_DUMB : FMT_ROFF;
    if (x->ignore_case)
        for (int ch = 0; ch < 256; ch++)
            x->folded[ch] = (unsigned char)toupper(ch);
    /* the end of a context */
    x->ctx_source = ctx_given ? ctx_src : x->gnu && !x->input_ref ? "[.?!][]\"')}]*\\($\\|\t\\|  \\)[ \t\n]*" : "\n";
    if (ctx_given) {
        if (*ctx_src) {
            if (!strcmp(ctx_src, "\n"))
                x->newline_ctx = true;
            else if (!compile(x, &x->ctx_rx, ctx_src, false))
                goto done;
            else
                x->have_ctx_rx = true;
        }
    } else if (x->gnu && !x->input_ref) {
        x->default_ctx = true;
    } else {
        x->newline_ctx = true;
    }
    if (word_src) {
        if (!compile(x, &x->word_rx, word_src, false))
            goto done;
        if (!compile(x, &x->word_rx_anchored, word_src, true)) {
            regfree(&x->word_rx);
            goto done;
        }
        x->have_word_rx = true;
    } else if (!break_file) {
        for (int ch = 0; ch < 256; ch++)
            x->word_map[ch] = x->gnu ? (char)!!isalpha(ch) : 1;
        if (!x->gnu)
            x->word_map[' '] = x->word_map['\t'] = x->word_map['\n'] = 0;
    }
    if (break_file) {
        block b;
        if (!swallow(x, break_file, &b)) {
            free(b.start);
            goto done;
        }
        memset(x->word_map, 1, sizeof x->word_map);
        for (char *p = b.start; p < b.end; p++)
            x->word_map[(unsigned char)*p] = 0;
        if (!x->gnu)
            x->word_map[' '] = x->word_map['\t'] = x->word_map['\n'] = 0;
        free(b.start);
    }
    if (ignore_file) {
        if (!digest_word_file(x, ignore_file, &x->ignore, &ignore_keep))
            goto done;
        x->use_ignore = x->ignore.n > 0;
    }
    if (only_file) {
        if (!digest_word_file(x, only_file, &x->only, &only_keep))
            goto done;
        x->use_only = x->only.n > 0;
    }
    x->text = sh_calloc((size_t)x->nfiles, sizeof *x->text);
    x->file_line_count = sh_calloc((size_t)x->nfiles, sizeof *x->file_line_count);
    for (int i = 0; i < x->nfiles; i++) {
        if (!swallow(x, x->names[i], &x->text[i]))
            goto done;
        find_occurs(x, i);
        if (x->ctx_error) {
            sh_buf q = {0};
            sh_buf_addc(&q, '\'');
            for (const char *p = x->ctx_source; *p; p++) {
                const char *e = *p == '\n' ? "\\n" : *p == '\t' ? "\\t" : *p == '\\' ? "\\\\" : *p == '\'' ? "\\'" : NULL;
                if (e)
                    sh_buf_adds(&q, e);
                else
                    sh_buf_addc(&q, *p);
            }
            sh_buf_addc(&q, '\'');
            sh_err(sh, "error: regular expression has a match of length zero: %s", q.data);
            sh_buf_free(&q);
            goto done;
        }
        x->total_lines++;
        x->file_line_count[i] = x->total_lines;
    }
    sh_sort(x->occ, (size_t)x->nocc, sizeof *x->occ, cmp_occurs_ctx, x);
    fix_output_parameters(x);
    sh_stream *out = outfile ? outfile : sh_stdout(sh);
    bool ok = true;
    for (ptrdiff_t i = 0; i < x->nocc && ok && !sh_interrupted(sh); i++) {
        define_all_fields(x, &x->occ[i]);
        if (x->format == FMT_DUMB)
            output_dumb(x);
        else if (x->format == FMT_ROFF)
            output_roff(x);
        else
            output_tex(x);
        if (x->out.len >= 65536) {
            ok = sh_write(out, x->out.data, x->out.len);
            x->out.len = 0;
        }
    }
    if (ok && x->out.len)
        ok = sh_write(out, x->out.data, x->out.len);
    status = ok ? 0 : 1;
done:
    if (outfile && !sh_close(outfile) && status == 0) {
        sh_errno(sh, errno, "write error");
        status = 1;
    }
    if (x->have_ctx_rx)
        regfree(&x->ctx_rx);
    if (x->have_word_rx) {
        regfree(&x->word_rx);
        regfree(&x->word_rx_anchored);
    }
    for (int i = 0; x->text && i < x->nfiles; i++)
        free(x->text[i].start);
    free(x->text);
    free(x->file_line_count);
    free(x->names);
    free(x->occ);
    free(x->ignore.v);
    free(x->only.v);
    free(ignore_keep.start);
    free(only_keep.start);
    free(ctx_src);
    free(word_src);
    free(trunc_copy);
    sh_buf_free(&x->out);
    free(x);
    return status;
}
