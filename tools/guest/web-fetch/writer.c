/* The converter's output model (writer.h). */
#include <string.h>

#include "writer.h"

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_punct(char c)
{
    return c > ' ' && c < 0x7F && !is_alnum(c);
}

void w_init(writer *w, w_mode mode, bool markdown)
{
    memset(w, 0, sizeof *w);
    w->mode = mode;
    w->markdown = markdown;
    w->escape = markdown && mode != W_RAW;
    w->plain = mode == W_RAW;
}

void w_free(writer *w)
{
    wt_buf_free(&w->buf);
}

static void put(writer *w, const char *s, size_t n)
{
    wt_buf_add(&w->buf, s, n);
}

/* The boxes' prefix of a new line. A blank line's keeps the quotes' '>'
 * only, and never uses up an item's marker. */
static void prefix(writer *w, bool blank)
{
    size_t start = w->buf.len;
    for (int i = 0; i < w->nbox; i++) {
        w_box *b = &w->box[i];
        if (b->quote) {
            put(w, "> ", 2);
        } else if (!blank && !b->marker_done) {
            put(w, b->marker, b->width);
            b->marker_done = true;
        } else {
            put(w, "                ", b->width);
        }
    }
    if (blank) {
        while (w->buf.len > start && w->buf.data[w->buf.len - 1] == ' ')
            w->buf.len--;
        if (w->buf.data)
            w->buf.data[w->buf.len] = 0;
    }
}

/* Marks still open are closed at the end of a line (and opened again on
 * the next), so that no emphasis spans a line break. */
static void close_marks(writer *w)
{
    for (int i = w->nmark - 1; i >= 0; i--) {
        w_mark *m = &w->mark[i];
        if (m->emitted && m->close[0]) {
            put(w, m->close, strlen(m->close));
            m->emitted = false;
        }
    }
}

/* Writes the line breaks asked for (none before the first text). */
static void flush_break(writer *w)
{
    if (w->mode != W_BLOCK || w->buf.len == 0) {
        w->pending_break = 0;
        return;
    }
    while (w->at_break < w->pending_break) {
        if (w->at_break == 0)
            close_marks(w);
        else
            prefix(w, true);
        put(w, "\n", 1);
        w->at_break++;
        w->line_has_text = false;
    }
    w->pending_break = 0;
}

/* Everything that goes before the next text: breaks, the prefix or a
 * space, the marks not written yet. */
static void start_content(writer *w)
{
    if (w->mode == W_BLOCK) {
        flush_break(w);
        if (!w->line_has_text)
            prefix(w, false);
        else if (w->pending_space)
            put(w, " ", 1);
    } else if (w->pending_space && w->buf.len) {
        put(w, " ", 1);
    }
    w->pending_space = false;
    for (int i = 0; i < w->nmark; i++)
        if (!w->mark[i].emitted) {
            put(w, w->mark[i].open, strlen(w->mark[i].open));
            w->mark[i].emitted = true;
        }
    w->line_has_text = true;
    w->at_break = 0;
}

/* Does word[k] (a Markdown character) need a backslash? line_start: the
 * word is the first on its line; prev_alnum: the character before the word
 * is a letter or digit. */
static bool needs_escape(const char *word, size_t len, size_t k, bool line_start,
                         bool prev_alnum)
{
    char c = word[k];
    char next = k + 1 < len ? word[k + 1] : 0;
    switch (c) {
    case '\\': return is_punct(next);
    case '*': case '`': case '[': case ']': return true;
    case '_': return !((k ? is_alnum(word[k - 1]) : prev_alnum) && is_alnum(next));
    case '~': return next == '~' || (k && word[k - 1] == '~');
    case '<': return next == '/' || next == '!' || next == '?' || (is_alnum(next) && !(next >= '0' && next <= '9'));
    case '&': {
        size_t m = k + 1;
        while (m < len && (is_alnum(word[m]) || word[m] == '#'))
            m++;
        return m > k + 1 && m < len && word[m] == ';';
    }
    default: break;
    }
    if (!line_start)
        return false;
    if (k == 0 && (c == '#' || c == '>'))
        return true;
    if (k == 0 && (c == '-' || c == '+' || c == '=')) {
        /* "- item", "+ item", and "---" / "===" (a rule, or a heading's underline) */
        size_t same = 0;
        while (same < len && word[same] == c)
            same++;
        return len == 1 || (same == len && c != '+');
    }
    if (k == len - 1 && k >= 1 && k <= 9 && (c == '.' || c == ')')) { /* "1. item" */
        for (size_t i = 0; i < k; i++)
            if (word[i] < '0' || word[i] > '9')
                return false;
        return true;
    }
    return false;
}

static void put_word(writer *w, const char *word, size_t len, bool line_start, bool prev_alnum)
{
    if (!w->escape) {
        put(w, word, len);
        return;
    }
    size_t run = 0;
    for (size_t k = 0; k < len; k++) {
        if (!is_punct(word[k]) || !needs_escape(word, len, k, line_start, prev_alnum))
            continue;
        put(w, word + run, k - run);
        put(w, "\\", 1);
        run = k;
    }
    put(w, word + run, len - run);
}

static void raw_text(writer *w, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\r')
            continue;
        put(w, s + run, i - run);
        if (i + 1 >= n || s[i + 1] != '\n')
            put(w, "\n", 1); /* a lone CR is a line break; CRLF is one */
        run = i + 1;
    }
    put(w, s + run, n - run);
}

void w_text(writer *w, const char *s, size_t n)
{
    if (w->mode == W_RAW) {
        raw_text(w, s, n);
        return;
    }
    size_t i = 0;
    while (i < n) {
        if (is_ws(s[i])) {
            w_space(w);
            while (i < n && is_ws(s[i]))
                i++;
            continue;
        }
        size_t j = i;
        while (j < n && !is_ws(s[j]))
            j++;
        bool line_start = w->mode == W_BLOCK &&
                          (!w->line_has_text || (w->pending_break && w->buf.len));
        bool prev_alnum = !w->pending_space && w->buf.len && is_alnum(w->buf.data[w->buf.len - 1]);
        start_content(w);
        put_word(w, s + i, j - i, line_start, prev_alnum);
        i = j;
    }
}

void w_markup(writer *w, const char *s, size_t n)
{
    if (w->mode == W_RAW) {
        put(w, s, n);
        return;
    }
    start_content(w);
    put(w, s, n);
}

void w_lines(writer *w, const char *s, size_t n)
{
    if (w->mode != W_BLOCK || w->single_line) {
        /* no lines here (a link's text, a heading): one line of it */
        for (size_t i = 0; i < n;) {
            size_t e = i;
            while (e < n && s[e] != '\n')
                e++;
            if (e > i) {
                if (i)
                    w_space(w);
                w_markup(w, s + i, e - i);
            }
            i = e + 1;
        }
        return;
    }
    w_break(w, 2);
    flush_break(w);
    for (size_t i = 0; i <= n;) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        if (i)
            put(w, "\n", 1);
        prefix(w, e == i);
        put(w, s + i, e - i);
        i = e + 1;
    }
    w->line_has_text = true;
    w->at_break = 0;
    w->pending_space = false;
    w_break(w, 2);
}

void w_break(writer *w, int n)
{
    if (w->mode == W_BLOCK && !w->single_line) {
        if (n > w->pending_break)
            w->pending_break = n;
    } else if (w->mode == W_RAW) {
        if (w->buf.len && w->buf.data[w->buf.len - 1] != '\n')
            put(w, "\n", 1);
    } else {
        w_space(w);
    }
}

void w_br(writer *w)
{
    if (w->mode == W_RAW)
        put(w, "\n", 1);
    else if (w->mode == W_BLOCK && !w->single_line)
        w->pending_break = w->pending_break >= 1 ? 2 : 1;
    else
        w_space(w);
}

void w_space(writer *w)
{
    if (w->mode == W_RAW) {
        put(w, " ", 1);
        return;
    }
    if (w->mode == W_INLINE && w->buf.len == 0)
        w->lead_space = true;
    w->pending_space = true;
}

void w_box_push(writer *w, bool quote, const char *marker)
{
    if (w->nbox == W_MAX_BOXES) {
        w->nbox_over++;
        return;
    }
    flush_break(w); /* the break before the box is outside it */
    w_box *b = &w->box[w->nbox++];
    size_t len = strlen(marker);
    if (len >= sizeof b->marker)
        len = sizeof b->marker - 1;
    memcpy(b->marker, marker, len);
    b->marker[len] = 0;
    b->width = (unsigned char)len;
    b->quote = quote;
    b->marker_done = false;
}

void w_box_pop(writer *w)
{
    if (w->nbox_over)
        w->nbox_over--;
    else if (w->nbox)
        w->nbox--;
}

void w_mark_push(writer *w, const char *open, const char *close)
{
    if (w->nmark == W_MAX_MARKS) {
        w->nmark_over++;
        return;
    }
    w_mark *m = &w->mark[w->nmark++];
    memset(m, 0, sizeof *m);
    strncpy(m->open, open, sizeof m->open - 1);
    strncpy(m->close, close, sizeof m->close - 1);
}

void w_mark_pop(writer *w)
{
    if (w->nmark_over) {
        w->nmark_over--;
        return;
    }
    if (!w->nmark)
        return;
    w_mark *m = &w->mark[--w->nmark];
    if (m->emitted && m->close[0])
        put(w, m->close, strlen(m->close));
}

const char *w_result(writer *w, size_t *n)
{
    while (w->buf.len && is_ws(w->buf.data[w->buf.len - 1]))
        w->buf.len--;
    if (w->buf.data)
        w->buf.data[w->buf.len] = 0;
    *n = w->buf.len;
    return w->buf.data ? w->buf.data : "";
}
