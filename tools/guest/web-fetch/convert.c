/* The HTML converter (convert.h). A small tree builder after HTML's: a
 * stack of open elements with the implied end tags pages rely on (a <p>
 * ends at the next block, an <li> at the next <li>, a <td> at the next
 * cell or row), each element's effect on the writer (writer.h) applied when
 * it opens and undone when it closes, however it closes. Everything is
 * bounded: the stack's depth, how far an end tag looks for its element,
 * the captures and tables collected at once, so the work is linear in the
 * page whatever it holds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "convert.h"
#include "entities.h"
#include "html_tok.h"
#include "mdsyntax.h"
#include "table.h"
#include "tags.h"
#include "urlref.h"
#include "writer.h"

/* How far down the stack an end tag or an implied end looks. */
#define SEARCH_DEPTH 128

/* ---- the converter's state ---- */

/* What an element's start did, to be undone at its end. */
enum {
    A_BREAK1 = 1 << 0, A_BREAK2 = 1 << 1, A_BOX = 1 << 2, A_MARK = 1 << 3, A_SINGLE = 1 << 4,
    A_WRITER = 1 << 5, A_DROP = 1 << 6, A_TABLE = 1 << 7, A_LIST = 1 << 8, A_EMPH = 1 << 9,
};

typedef struct {
    unsigned short id;
    unsigned short acts;
    uint32_t hash;   /* of the name, for elements not in tags[] */
    int32_t counter; /* <ol>: the next item's number */
} elem;

enum capture_kind { CAP_LINK, CAP_CODE, CAP_PRE, CAP_CELL };

typedef struct {
    writer w;
    enum capture_kind kind;
    wt_buf url;     /* CAP_LINK: the resolved href */
    char lang[25];  /* CAP_PRE: the code's language, from class="language-x" */
} capture;

typedef struct {
    bool markdown;
    wf_page *page;
    wt_buf base;
    bool have_base_element;
    elem stack[WF_MAX_DEPTH];
    int depth;
    uint32_t open[WF_TAG_IDS]; /* elements of each id on the stack */
    int drop;                 /* stack index + 1 of the element whose content is dropped */
    bool drop_next_raw;       /* a script or style that did not fit on the stack */
    enum { NO_TITLE, TITLE_KEEP, TITLE_DROP } in_title; /* the next text is a <title>'s */
    writer page_writer;
    capture *caps[WF_MAX_CAPTURES];
    int ncaps;
    wf_table *tables[WF_MAX_TABLES];
    int ntables;
    int lists;                /* lists open in the page's block structure */
    int emph[3];              /* open em, strong, strike (only the outermost marks) */
    wt_buf scratch;
    bool oom;
} conv;

static writer *cur(conv *c)
{
    return c->ncaps ? &c->caps[c->ncaps - 1]->w : &c->page_writer;
}

/* The index of the current writer: 0 the page, k the k-th capture. */
static int cur_index(const conv *c)
{
    return c->ncaps;
}

static uint32_t name_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static bool attr_is(const ht_attr *a, const char *value)
{
    return a && a->value_len == strlen(value) && strncasecmp(a->value, value, a->value_len) == 0;
}

/* An attribute's value with character references decoded, white space
 * around it dropped, into c->scratch; NULL when absent. */
static const char *attr_text(conv *c, const ht_token *tok, const char *name, size_t *len)
{
    const ht_attr *a = ht_attr_get(tok, name);
    if (!a)
        return NULL;
    c->scratch.len = 0;
    wf_decode_refs(&c->scratch, a->value, a->value_len, true);
    const char *s = c->scratch.data ? c->scratch.data : "";
    size_t n = c->scratch.len;
    while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r' ||
                 s[n - 1] == '\f'))
        n--;
    *len = n;
    return s;
}

/* hidden, or style="display: none" / "visibility: hidden": not shown. */
static bool hidden(const ht_token *tok)
{
    if (ht_attr_get(tok, "hidden"))
        return true;
    const ht_attr *style = ht_attr_get(tok, "style");
    if (!style)
        return false;
    char squeezed[256];
    size_t k = 0;
    for (size_t i = 0; i < style->value_len && k + 1 < sizeof squeezed; i++) {
        char ch = style->value[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r')
            continue;
        squeezed[k++] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
    }
    squeezed[k] = 0;
    return strstr(squeezed, "display:none") || strstr(squeezed, "visibility:hidden");
}

/* The resolved URL of an href or src (into out), or false when there is
 * none worth showing: empty, javascript:, or too long. */
static bool link_target(conv *c, const char *ref, size_t n, wt_buf *out)
{
    char scheme[16] = "";
    if (n == 0)
        return false;
    wf_url_scheme(ref, n, scheme, sizeof scheme);
    if (!strcmp(scheme, "javascript"))
        return false;
    out->len = 0;
    if (!strcmp(scheme, "data")) {
        /* an inline image: its type, not its megabytes */
        const char *comma = memchr(ref, ',', n < 200 ? n : 200);
        if (!comma)
            return false;
        wt_buf_add(out, ref, (size_t)(comma - ref) + 1);
        wt_buf_adds(out, "...");
        return !out->failed;
    }
    if (n > WF_MAX_LINK_URL)
        return false;
    if (!wf_url_resolve(out, c->base.data, ref, n))
        return false;
    return out->len <= WF_MAX_LINK_URL;
}

/* ---- tables ---- */

/* The table whose rows and cells come next: the innermost one, when the
 * current writer is the one it goes into (not a link's text inside it). */
static wf_table *table_of_writer(conv *c)
{
    if (!c->ntables)
        return NULL;
    wf_table *t = c->tables[c->ntables - 1];
    return t->writer == cur_index(c) ? t : NULL;
}

static void table_cell(conv *c, const char *text, size_t len, int colspan)
{
    wf_table *t = c->ntables ? c->tables[c->ntables - 1] : NULL;
    if (t && !wf_table_cell(t, text, len, colspan))
        c->oom = true;
}

/* ---- captures ---- */

static capture *capture_push(conv *c, enum capture_kind kind, w_mode mode)
{
    if (c->ncaps == WF_MAX_CAPTURES)
        return NULL;
    capture *cap = calloc(1, sizeof *cap);
    if (!cap) {
        c->oom = true;
        return NULL;
    }
    w_init(&cap->w, mode, c->markdown);
    cap->kind = kind;
    if (kind == CAP_CODE)
        cap->w.escape = false, cap->w.plain = true;
    c->caps[c->ncaps++] = cap;
    return cap;
}

/* Ends the innermost capture and writes what it holds into the writer
 * around it. */
static void capture_pop(conv *c)
{
    capture *cap = c->caps[--c->ncaps];
    writer *w = cur(c);
    size_t n;
    const char *s = w_result(&cap->w, &n);
    wt_buf out = {0};
    switch (cap->kind) {
    case CAP_LINK:
        if (cap->w.lead_space)
            w_space(w);
        if (n) {
            wt_buf_addc(&out, '[');
            wt_buf_add(&out, s, n);
            wt_buf_adds(&out, "](");
            md_url(&out, cap->url.data, cap->url.len);
            wt_buf_addc(&out, ')');
            w_markup(w, out.data, out.len);
        }
        if (cap->w.pending_space)
            w_space(w);
        break;
    case CAP_CODE:
        if (cap->w.lead_space)
            w_space(w);
        if (n) {
            md_code_span(&out, s, n);
            w_markup(w, out.data, out.len);
        }
        if (cap->w.pending_space)
            w_space(w);
        break;
    case CAP_PRE:
        if (n && s[0] == '\n') /* HTML drops the newline just after <pre> */
            s++, n--;
        if (!n)
            break;
        if (w->mode == W_BLOCK && !w->single_line) {
            if (c->markdown) {
                md_code_block(&out, s, n, cap->lang);
                w_lines(w, out.data, out.len);
            } else {
                w_lines(w, s, n);
            }
        } else if (c->markdown && !w->plain) {
            /* inside a link or a heading: a code span on one line */
            wt_buf line = {0};
            for (size_t i = 0; i < n; i++)
                wt_buf_addc(&line, s[i] == '\n' ? ' ' : s[i]);
            md_code_span(&out, line.data, line.len);
            wt_buf_free(&line);
            w_markup(w, out.data, out.len);
        } else {
            w_text(w, s, n);
        }
        break;
    case CAP_CELL: table_cell(c, s, n, 1); break;
    }
    if (out.failed || cap->w.buf.failed || cap->url.failed)
        c->oom = true;
    wt_buf_free(&out);
    w_free(&cap->w);
    wt_buf_free(&cap->url);
    free(cap);
}

/* ---- opening and closing elements ---- */

static int heading_level(const char *name)
{
    return name[1] - '0';
}

/* The innermost list element open (its stack index), or -1. */
static int find_list(const conv *c)
{
    for (int i = c->depth - 1; i >= 0 && i >= c->depth - SEARCH_DEPTH; i--) {
        unsigned k = wf_tag_kind(c->stack[i].id);
        if (k == K_UL || k == K_OL)
            return i;
        if (wf_tag_flags(c->stack[i].id) & F_SCOPE)
            break;
    }
    return -1;
}

static void close_top(conv *c);

static void pop_to(conv *c, int index)
{
    while (c->depth > index)
        close_top(c);
}

/* Looks down the stack (not past `stop` kinds, nor past a scope element
 * when scoped) for an element of one of the kinds in `want`; pops to it
 * when found. */
static void close_implied(conv *c, const unsigned *want, size_t nwant, const unsigned *stop,
                          size_t nstop, bool scoped)
{
    for (int i = c->depth - 1; i >= 0 && i >= c->depth - SEARCH_DEPTH; i--) {
        unsigned k = wf_tag_kind(c->stack[i].id);
        for (size_t w = 0; w < nwant; w++)
            if (k == want[w]) {
                pop_to(c, i);
                return;
            }
        for (size_t s = 0; s < nstop; s++)
            if (k == stop[s])
                return;
        if (scoped && (wf_tag_flags(c->stack[i].id) & F_SCOPE))
            return;
    }
}

/* The ends that a start tag implies (HTML's tree construction, in brief). */
static void implied_ends(conv *c, unsigned id)
{
    unsigned kind = wf_tag_kind(id);
    static const unsigned p[] = {K_P}, li[] = {K_LI}, lists[] = {K_UL, K_OL},
                          dtdd[] = {K_DT, K_DD}, dl[] = {K_DL}, a[] = {K_A},
                          cellk[] = {K_CELL}, tr[] = {K_TR}, tsect[] = {K_TSECT},
                          table_stop[] = {K_TABLE}, row_stop[] = {K_TR, K_TABLE, K_TSECT};
    static unsigned p_id;
    if (!p_id)
        p_id = wf_tag_id("p");
    if ((wf_tag_flags(id) & F_CLOSES_P) && c->open[p_id])
        close_implied(c, p, 1, NULL, 0, true);
    switch (kind) {
    case K_LI: close_implied(c, li, 1, lists, 2, true); break;
    case K_DT:
    case K_DD: close_implied(c, dtdd, 2, dl, 1, true); break;
    case K_HEADING:
        if (c->depth && wf_tag_kind(c->stack[c->depth - 1].id) == K_HEADING)
            close_top(c);
        break;
    case K_A:
        if (c->open[id])
            close_implied(c, a, 1, NULL, 0, true);
        break;
    /* a table's own structure ends across the cells' scope */
    case K_CELL: close_implied(c, cellk, 1, row_stop, 3, false); break;
    case K_TR: close_implied(c, tr, 1, table_stop, 1, false); break;
    case K_TSECT:
        close_implied(c, tsect, 1, table_stop, 1, false);
        close_implied(c, tr, 1, table_stop, 1, false);
        break;
    default: break;
    }
}

static void open_link(conv *c, const ht_token *tok, elem *e)
{
    size_t n;
    const char *href = attr_text(c, tok, "href", &n);
    if (!href || !c->markdown || cur(c)->plain)
        return;
    wt_buf url = {0};
    if (link_target(c, href, n, &url)) {
        capture *cap = capture_push(c, CAP_LINK, W_INLINE);
        if (cap) {
            cap->url = url;
            e->acts |= A_WRITER;
            return;
        }
    }
    wt_buf_free(&url);
}

static void language_from_class(conv *c, const ht_token *tok, char *lang, size_t cap)
{
    size_t n;
    const char *cls = attr_text(c, tok, "class", &n);
    if (!cls || lang[0])
        return;
    for (size_t i = 0; i < n;) {
        while (i < n && cls[i] == ' ')
            i++;
        size_t e = i;
        while (e < n && cls[e] != ' ')
            e++;
        size_t skip = 0;
        if (e - i > 9 && !strncmp(cls + i, "language-", 9))
            skip = 9;
        else if (e - i > 5 && !strncmp(cls + i, "lang-", 5))
            skip = 5;
        if (skip) {
            size_t k = 0;
            for (size_t j = i + skip; j < e && k + 1 < cap; j++) {
                char ch = cls[j];
                if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                    (ch && strchr("_+#.-", ch)))
                    lang[k++] = ch;
            }
            lang[k] = 0;
            return;
        }
        i = e;
    }
}

static void add_image(conv *c, const ht_token *tok)
{
    writer *w = cur(c);
    if (!c->markdown || w->plain || hidden(tok))
        return;
    size_t n;
    const char *src = attr_text(c, tok, "src", &n);
    char scheme[16];
    if (!src || !n || (wf_url_scheme(src, n, scheme, sizeof scheme) && !strcmp(scheme, "data"))) {
        size_t m; /* lazy loading puts the real address in data-src */
        const char *lazy = attr_text(c, tok, "data-src", &m);
        if (lazy && m)
            src = lazy, n = m;
        else
            src = attr_text(c, tok, "src", &n);
    }
    wt_buf url = {0}, alt = {0}, out = {0};
    if (src && link_target(c, src, n, &url)) {
        const char *a = attr_text(c, tok, "alt", &n);
        bool space = false;
        for (size_t i = 0; a && i < n; i++) { /* collapsed, brackets escaped */
            char ch = a[i];
            if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f') {
                space = alt.len > 0;
                continue;
            }
            if (space)
                wt_buf_addc(&alt, ' ');
            space = false;
            if (ch == '[' || ch == ']' || ch == '\\')
                wt_buf_addc(&alt, '\\');
            wt_buf_addc(&alt, ch);
        }
        wt_buf_adds(&out, "![");
        wt_buf_add(&out, alt.data ? alt.data : "", alt.len);
        wt_buf_adds(&out, "](");
        md_url(&out, url.data, url.len);
        wt_buf_addc(&out, ')');
        if (out.failed || alt.failed)
            c->oom = true;
        else
            w_markup(w, out.data, out.len);
    }
    wt_buf_free(&url);
    wt_buf_free(&alt);
    wt_buf_free(&out);
}

/* <meta http-equiv="refresh" content="0; url=/next">: where it leads. */
static void meta_refresh(conv *c, const ht_token *tok)
{
    const ht_attr *eq = ht_attr_get(tok, "http-equiv");
    if (!attr_is(eq, "refresh") || c->page->refresh.len)
        return;
    size_t n;
    const char *s = attr_text(c, tok, "content", &n);
    if (!s)
        return;
    size_t i = 0;
    while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
        i++;
    while (i < n && (s[i] == ' ' || s[i] == ';' || s[i] == ','))
        i++;
    if (n - i >= 4 && strncasecmp(s + i, "url", 3) == 0) {
        size_t k = i + 3;
        while (k < n && s[k] == ' ')
            k++;
        if (k < n && s[k] == '=') {
            i = k + 1;
            while (i < n && s[i] == ' ')
                i++;
        }
    }
    if (i < n && (s[i] == '"' || s[i] == '\'')) {
        const char *q = memchr(s + i + 1, s[i], n - i - 1);
        size_t end = q ? (size_t)(q - s) : n;
        i++;
        n = end;
    }
    if (i >= n)
        return;
    wt_buf ref = {0};
    wt_buf_add(&ref, s + i, n - i); /* scratch is reused by link_target */
    if (!ref.failed && !link_target(c, ref.data, ref.len, &c->page->refresh))
        c->page->refresh.len = 0;
    wt_buf_free(&ref);
}

static void set_base(conv *c, const ht_token *tok)
{
    size_t n;
    const char *href = attr_text(c, tok, "href", &n);
    if (!href || !n || c->have_base_element)
        return;
    wt_buf url = {0};
    if (link_target(c, href, n, &url) && url.len) {
        wt_buf_free(&c->base);
        c->base = url;
        c->have_base_element = true;
        return;
    }
    wt_buf_free(&url);
}

/* A void element or one that has no end: its whole effect. */
static void void_element(conv *c, unsigned kind, const ht_token *tok)
{
    writer *w = cur(c);
    switch (kind) {
    case K_BR: w_br(w); break;
    case K_HR:
        if (c->markdown && w->mode == W_BLOCK && !w->single_line)
            w_lines(w, "---", 3);
        else
            w_break(w, 2);
        break;
    case K_IMG: add_image(c, tok); break;
    case K_BASE: set_base(c, tok); break;
    case K_META: meta_refresh(c, tok); break;
    default: break;
    }
}

/* What an element's start does to the output; recorded in e->acts. */
static void open_effects(conv *c, const ht_token *tok, elem *e)
{
    writer *w = cur(c);
    unsigned kind = wf_tag_kind(e->id);
    if (kind == K_DROP || hidden(tok)) {
        e->acts |= A_DROP;
        c->drop = c->depth;
        return;
    }
    switch (kind) {
    case K_BLOCK:
    case K_DT:
        w_break(w, 1);
        e->acts |= A_BREAK1;
        break;
    case K_PARA:
    case K_P:
    case K_DL:
        w_break(w, 2);
        e->acts |= A_BREAK2;
        break;
    case K_HEADING:
        w_break(w, 2);
        e->acts |= A_BREAK2;
        if (w->mode == W_BLOCK && !w->single_line) {
            if (c->markdown) {
                static const char *const marks[] = {"# ", "## ", "### ", "#### ", "##### ",
                                                    "###### "};
                w_mark_push(w, marks[heading_level(tok->name) - 1], "");
                e->acts |= A_MARK;
            }
            w->single_line++;
            e->acts |= A_SINGLE;
        }
        break;
    case K_QUOTE:
        w_break(w, 2);
        e->acts |= A_BREAK2;
        if (w->mode == W_BLOCK) {
            w_box_push(w, true, "> ");
            e->acts |= A_BOX;
        }
        break;
    case K_UL:
    case K_OL: {
        w_break(w, c->lists ? 1 : 2);
        e->acts |= A_LIST;
        c->lists++;
        e->counter = 1;
        size_t n;
        const char *start = kind == K_OL ? attr_text(c, tok, "start", &n) : NULL;
        if (start && n) {
            long v = strtol(start, NULL, 10);
            e->counter = v < -999999999 ? -999999999 : v > 999999999 ? 999999999 : (int32_t)v;
        }
        break;
    }
    case K_LI:
    case K_DD: {
        w_break(w, 1);
        e->acts |= A_BREAK1;
        if (w->mode != W_BLOCK)
            break;
        char marker[16] = "- ";
        if (kind == K_DD) {
            strcpy(marker, c->markdown ? ": " : "  ");
        } else {
            int list = find_list(c);
            if (list >= 0 && wf_tag_kind(c->stack[list].id) == K_OL) {
                size_t n;
                const char *value = attr_text(c, tok, "value", &n);
                if (value && n) {
                    long v = strtol(value, NULL, 10);
                    c->stack[list].counter = v < -999999999 ? -999999999 : v > 999999999 ? 999999999 : (int32_t)v;
                }
                snprintf(marker, sizeof marker, "%d. ", (int)c->stack[list].counter);
                if (c->stack[list].counter < 999999999)
                    c->stack[list].counter++;
            }
        }
        w_box_push(w, false, marker);
        e->acts |= A_BOX;
        break;
    }
    case K_EM:
    case K_STRONG:
    case K_STRIKE: {
        int k = kind == K_EM ? 0 : kind == K_STRONG ? 1 : 2;
        if (!c->markdown || w->plain)
            break;
        if (c->emph[k]++ == 0) {
            static const char *const marks[] = {"*", "**", "~~"};
            w_mark_push(w, marks[k], marks[k]);
            e->acts |= A_MARK;
        }
        e->acts |= A_EMPH;
        break;
    }
    case K_CODE:
        if (w->plain) { /* <pre><code class="language-c">: the block's language */
            if (c->ncaps && c->caps[c->ncaps - 1]->kind == CAP_PRE)
                language_from_class(c, tok, c->caps[c->ncaps - 1]->lang, sizeof c->caps[0]->lang);
        } else if (c->markdown && capture_push(c, CAP_CODE, W_INLINE)) {
            e->acts |= A_WRITER;
        }
        break;
    case K_PRE: {
        if (w->plain)
            break;
        capture *cap = capture_push(c, CAP_PRE, W_RAW);
        if (cap) {
            e->acts |= A_WRITER;
            language_from_class(c, tok, cap->lang, sizeof cap->lang);
        } else {
            w_break(w, 2);
            e->acts |= A_BREAK2;
        }
        break;
    }
    case K_A: open_link(c, tok, e); break;
    case K_TABLE:
        if (w->mode == W_BLOCK && !w->single_line && c->ntables < WF_MAX_TABLES) {
            wf_table *t = calloc(1, sizeof *t);
            if (!t) {
                c->oom = true;
                break;
            }
            t->row = -1;
            t->writer = cur_index(c);
            c->tables[c->ntables++] = t;
            e->acts |= A_TABLE;
        } else {
            w_break(w, 2);
            e->acts |= A_BREAK2;
        }
        break;
    case K_TR: {
        wf_table *t = table_of_writer(c);
        if (t) {
            wf_table_row(t);
        } else {
            w_break(w, 1);
            e->acts |= A_BREAK1;
        }
        break;
    }
    case K_CELL: {
        wf_table *t = table_of_writer(c);
        if (t && capture_push(c, CAP_CELL, W_BLOCK)) {
            e->acts |= A_WRITER;
            size_t n;
            const char *span = attr_text(c, tok, "colspan", &n);
            long v = span && n ? strtol(span, NULL, 10) : 1;
            e->counter = v < 1 ? 1 : v > WF_MAX_COLUMNS ? WF_MAX_COLUMNS : (int32_t)v;
        } else {
            w_space(w);
        }
        break;
    }
    default: break;
    }
}

static void close_top(conv *c)
{
    elem e = c->stack[--c->depth];
    c->open[e.id]--;
    unsigned kind = wf_tag_kind(e.id);
    if (e.acts & A_WRITER) {
        bool cell = c->caps[c->ncaps - 1]->kind == CAP_CELL;
        if (cell && e.counter > 1) { /* colspan: empty cells after it */
            capture_pop(c);
            table_cell(c, "", 0, e.counter - 1);
        } else {
            capture_pop(c);
        }
    }
    writer *w = cur(c);
    if (e.acts & A_MARK)
        w_mark_pop(w);
    if (e.acts & A_EMPH)
        c->emph[kind == K_EM ? 0 : kind == K_STRONG ? 1 : 2]--;
    if (e.acts & A_SINGLE)
        w->single_line--;
    if (e.acts & A_BOX)
        w_box_pop(w);
    if (e.acts & A_LIST) {
        c->lists--;
        w_break(w, c->lists ? 1 : 2);
    }
    if (e.acts & A_TABLE) {
        wf_table *t = c->tables[--c->ntables];
        if (!wf_table_render(t, cur(c), c->markdown))
            c->oom = true;
        wf_table_free(t);
    }
    if (e.acts & A_BREAK1)
        w_break(w, 1);
    if (e.acts & A_BREAK2)
        w_break(w, 2);
    if (e.acts & A_DROP)
        c->drop = 0;
}

static void start_tag(conv *c, const ht_token *tok)
{
    unsigned id = wf_tag_id(tok->name);
    unsigned kind = wf_tag_kind(id);
    c->in_title = NO_TITLE;
    if (kind == K_IGNORE)
        return;
    if (c->drop) {
        /* inside dropped content only the nesting matters (an <svg>'s
         * self-closed <path/> has no end tag) */
        if (kind != K_VOID && kind != K_BR && kind != K_HR && kind != K_IMG && kind != K_BASE &&
            kind != K_META && !tok->self_closing && c->depth < WF_MAX_DEPTH) {
            c->stack[c->depth++] = (elem){(unsigned short)id, 0, id ? 0 : name_hash(tok->name), 0};
            c->open[id]++;
        }
        return;
    }
    if (kind == K_TITLE) { /* the first one is the page's title; none is shown */
        c->in_title = c->page->title.len ? TITLE_DROP : TITLE_KEEP;
        return;
    }
    implied_ends(c, id);
    if (kind == K_VOID || kind == K_BR || kind == K_HR || kind == K_IMG || kind == K_BASE ||
        kind == K_META) {
        void_element(c, kind, tok);
        return;
    }
    if (c->depth == WF_MAX_DEPTH) {
        /* too deep: read as text; a script's or style's content is still
         * not shown */
        c->drop_next_raw = kind == K_DROP;
        return;
    }
    elem *e = &c->stack[c->depth++];
    *e = (elem){(unsigned short)id, 0, id ? 0 : name_hash(tok->name), 0};
    c->open[id]++;
    open_effects(c, tok, e);
}

static void end_tag(conv *c, const ht_token *tok)
{
    unsigned id = wf_tag_id(tok->name);
    unsigned kind = wf_tag_kind(id);
    c->in_title = NO_TITLE;
    if (kind == K_IGNORE || kind == K_TITLE)
        return;
    if (kind == K_BR && !c->drop) { /* </br> is <br> */
        w_br(cur(c));
        return;
    }
    if (kind == K_P && !c->open[id] && !c->drop) { /* </p> alone is an empty paragraph */
        w_break(cur(c), 2);
        return;
    }
    if (!c->open[id] && kind != K_HEADING) /* </h2> ends an <h3> too, as in HTML */
        return;
    uint32_t hash = id ? 0 : name_hash(tok->name);
    int floor = c->drop ? c->drop - 1 : 0; /* an end tag in dropped content stays in it */
    for (int i = c->depth - 1; i >= floor && i >= c->depth - SEARCH_DEPTH; i--) {
        const elem *e = &c->stack[i];
        unsigned ek = wf_tag_kind(e->id);
        if ((e->id == id && e->hash == hash) || (kind == K_HEADING && ek == K_HEADING)) {
            pop_to(c, i);
            return;
        }
        if (kind == K_TABLE)
            continue;
        if (kind == K_TR || kind == K_CELL || kind == K_TSECT) {
            if (ek == K_TABLE)
                return;
            continue;
        }
        if (wf_tag_flags(e->id) & F_SCOPE)
            return;
    }
}

static void text(conv *c, const ht_token *tok)
{
    if (c->in_title == TITLE_DROP)
        return;
    if (c->in_title == TITLE_KEEP) {
        c->scratch.len = 0;
        wf_decode_refs(&c->scratch, tok->text, tok->text_len, false);
        writer t;
        w_init(&t, W_INLINE, false);
        w_text(&t, c->scratch.data ? c->scratch.data : "", c->scratch.len);
        size_t n;
        const char *s = w_result(&t, &n);
        if (n > WF_MAX_TITLE) { /* cut at a character's start */
            n = WF_MAX_TITLE;
            while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
                n--;
        }
        wt_buf_add(&c->page->title, s, n);
        if (t.buf.failed)
            c->oom = true;
        w_free(&t);
        return;
    }
    if (c->drop_next_raw) {
        c->drop_next_raw = false;
        if (tok->raw)
            return;
    }
    if (c->drop)
        return;
    if (tok->raw) {
        w_text(cur(c), tok->text, tok->text_len);
        return;
    }
    c->scratch.len = 0;
    wf_decode_refs(&c->scratch, tok->text, tok->text_len, false);
    w_text(cur(c), c->scratch.data ? c->scratch.data : "", c->scratch.len);
}

bool wf_html_convert(const char *html, size_t n, const char *url, bool markdown, wf_page *page)
{
    memset(page, 0, sizeof *page);
    conv *c = calloc(1, sizeof *c);
    if (!c)
        return false;
    c->markdown = markdown;
    c->page = page;
    wt_buf_adds(&c->base, url);
    w_init(&c->page_writer, W_BLOCK, markdown);
    ht_tokenizer t;
    ht_token tok;
    ht_init(&t, html, n);
    for (ht_next(&t, &tok); tok.kind != HT_EOF && !c->oom; ht_next(&t, &tok)) {
        if (tok.kind == HT_START)
            start_tag(c, &tok);
        else if (tok.kind == HT_END)
            end_tag(c, &tok);
        else
            text(c, &tok);
        if (c->page_writer.buf.failed || c->scratch.failed)
            c->oom = true;
    }
    pop_to(c, 0);
    while (c->ncaps) /* cannot happen: every capture belongs to an element */
        capture_pop(c);
    size_t len;
    const char *s = w_result(&c->page_writer, &len);
    wt_buf_add(&page->text, s, len);
    bool ok = !c->oom && !c->page_writer.buf.failed && !page->text.failed &&
              !page->title.failed && !page->refresh.failed && !c->base.failed;
    w_free(&c->page_writer);
    wt_buf_free(&c->base);
    wt_buf_free(&c->scratch);
    free(c);
    return ok;
}

void wf_page_free(wf_page *page)
{
    wt_buf_free(&page->text);
    wt_buf_free(&page->title);
    wt_buf_free(&page->refresh);
}
