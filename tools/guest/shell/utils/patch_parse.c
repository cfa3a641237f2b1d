/* patch_parse.c: reading unified diffs (patch.h). A file's patch is a
 * "--- OLD" line, a "+++ NEW" line and hunks ("@@ -A,B +C,D @@" and their
 * lines); anything before it (git's "diff --git", "index", prose) is
 * skipped and kept as the text leading up to it. A hunk's lines are counted
 * against its header: a line that does not fit is a malformed patch, as in
 * GNU patch; a hunk cut short by the end of the input is padded with empty
 * context lines when the old and new counts still agree (GNU does the
 * same, for up to 1000 lines). Nothing is copied: lines point into the patch's bytes. */
#include "patch.h"

#include <stdlib.h>
#include <string.h>

/* The line at pos: its bytes (with the newline, if any) and its length. */
static bool peek(const pt_reader *r, size_t pos, const char **s, size_t *n)
{
    if (pos >= r->len)
        return false;
    *s = r->data + pos;
    const char *nl = memchr(*s, '\n', r->len - pos);
    *n = nl ? (size_t)(nl - *s) + 1 : r->len - pos;
    return true;
}

static void advance(pt_reader *r, size_t n)
{
    r->pos += n;
    r->lineno++;
}

static bool starts(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && memcmp(s, prefix, k) == 0;
}

/* The file name of a "--- "/"+++ " line (without the marker): C-quoted
 * ("a/x y") as git writes odd names, else up to a tab (diff puts the time
 * after one) or the first blank. Sets *absent for /dev/null or a time that
 * is the epoch (how diff -N marks a file that does not exist). */
static char *header_name(const char *s, size_t n, bool *absent)
{
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    sh_buf b = {0};
    size_t i = 0;
    if (n && s[0] == '"') {
        for (i = 1; i < n && s[i] != '"'; i++) {
            char c = s[i];
            if (c == '\\' && i + 1 < n) {
                c = s[++i];
                if (c >= '0' && c <= '7') {
                    int v = 0;
                    for (int k = 0; k < 3 && i < n && s[i] >= '0' && s[i] <= '7'; k++, i++)
                        v = v * 8 + (s[i] - '0');
                    i--;
                    c = (char)v;
                } else {
                    c = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'a' ? '\a' : c == 'b' ? '\b' : c == 'f' ? '\f'
                        : c == 'r' ? '\r' : c == 'v' ? '\v' : c;
                }
            }
            sh_buf_addc(&b, c);
        }
        if (i < n)
            i++;
    } else {
        const char *tab = memchr(s, '\t', n);
        size_t end = tab ? (size_t)(tab - s) : n;
        if (!tab)
            for (end = 0; end < n && s[end] != ' '; end++)
                ;
        sh_buf_add(&b, s, end);
        i = end;
    }
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    const char *time = s + i;
    size_t tn = n - i;
    *absent = (b.len == 9 && memcmp(b.data, "/dev/null", 9) == 0) ||
              (tn >= 19 && (memcmp(time, "1970-01-01 00:00:00", 19) == 0 || memcmp(time, "1969-12-31 ", 11) == 0));
    if (b.len == 9 && memcmp(b.data, "/dev/null", 9) == 0) {
        sh_buf_free(&b);
        return NULL;
    }
    return sh_buf_take(&b);
}

/* What follows the name on a header line (the time, with its tab), for the
 * header of a .rej file. */
static char *header_rest(const char *s, size_t n)
{
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    size_t i = 0;
    if (n && s[0] == '"') {
        for (i = 1; i < n && s[i] != '"'; i++)
            if (s[i] == '\\')
                i++;
        i = i < n ? i + 1 : n;
    } else {
        const char *tab = memchr(s, '\t', n);
        if (tab)
            i = (size_t)(tab - s);
        else
            while (i < n && s[i] != ' ')
                i++;
    }
    return sh_strndup(s + i, n - i);
}

static bool number(const char **p, const char *end, int64_t *v)
{
    const char *s = *p;
    if (s >= end || *s < '0' || *s > '9')
        return false;
    int64_t x = 0;
    while (s < end && *s >= '0' && *s <= '9') {
        if (x > (INT64_MAX - 9) / 10)
            return false;
        x = x * 10 + (*s++ - '0');
    }
    *v = x;
    *p = s;
    return true;
}

/* "@@ -A[,B] +C[,D] @@" */
static bool hunk_header(const char *s, size_t n, pt_hunk *h)
{
    const char *p = s + 4, *end = s + n;
    h->old_len = h->new_len = 1;
    if (!number(&p, end, &h->old_start))
        return false;
    if (p < end && *p == ',' && (++p, !number(&p, end, &h->old_len)))
        return false;
    if (end - p < 2 || p[0] != ' ' || p[1] != '+')
        return false;
    p += 2;
    if (!number(&p, end, &h->new_start))
        return false;
    if (p < end && *p == ',' && (++p, !number(&p, end, &h->new_len)))
        return false;
    if (end - p < 3 || memcmp(p, " @@", 3) != 0)
        return false;
    p += 3;
    while (end > p && (end[-1] == '\n' || end[-1] == '\r'))
        end--;
    h->func = p;
    h->func_len = (size_t)(end - p);
    return true;
}

static char *malformed(size_t lineno, const char *s, size_t n)
{
    sh_buf b = {0};
    sh_buf_printf(&b, "malformed patch at line %zu: ", lineno);
    sh_buf_add(&b, s, n);
    return sh_buf_take(&b);
}

static void add_line(pt_hunk *h, size_t *cap, char kind, const char *text, size_t len, bool nl)
{
    if (h->nlines == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        h->lines = sh_realloc(h->lines, *cap * sizeof *h->lines);
    }
    h->lines[h->nlines++] = (pt_line){kind, text, len, nl};
}

/* The hunk whose header is the current line. */
static int read_hunk(pt_reader *r, pt_hunk *h, char **err)
{
    const char *s = "";
    size_t n = 0, cap = 0;
    peek(r, r->pos, &s, &n);
    memset(h, 0, sizeof *h);
    if (!hunk_header(s, n, h)) {
        *err = malformed(r->lineno, s, n);
        return -1;
    }
    advance(r, n);
    int64_t old_left = h->old_len, new_left = h->new_len;
    while (old_left > 0 || new_left > 0) {
        if (!peek(r, r->pos, &s, &n)) {
            /* (a count far past the end is no truncated hunk: refused
             * rather than padded by the billion) */
            if (old_left != new_left || old_left > 1000) {
                *err = sh_strdup("unexpected end of file in patch");
                return -1;
            }
            for (; old_left > 0; old_left--, new_left--)
                add_line(h, &cap, ' ', "", 0, true);
            break;
        }
        bool nl = s[n - 1] == '\n';
        char kind = s[0] == '\n' ? ' ' : s[0];
        const char *text = s[0] == '\n' ? s : s + 1;
        size_t len = s[0] == '\n' ? 0 : n - 1 - nl;
        if (kind == '\\') {
            if (h->nlines)
                h->lines[h->nlines - 1].nl = false;
            advance(r, n);
            continue;
        }
        bool fits = (kind == ' ' && old_left > 0 && new_left > 0) || (kind == '-' && old_left > 0) ||
                    (kind == '+' && new_left > 0);
        if (!fits) {
            *err = malformed(r->lineno, s, n);
            return -1;
        }
        add_line(h, &cap, kind, text, len, true);
        old_left -= kind != '+';
        new_left -= kind != '-';
        advance(r, n);
    }
    /* "\ No newline at end of file" after the last line */
    if (peek(r, r->pos, &s, &n) && s[0] == '\\') {
        if (h->nlines)
            h->lines[h->nlines - 1].nl = false;
        advance(r, n);
    }
    return 1;
}

int pt_next(pt_reader *r, pt_file *f, char **err)
{
    memset(f, 0, sizeof *f);
    *err = NULL;
    f->lead_first = r->pos;
    const char *s, *s2, *s3;
    size_t n, n2, n3;
    for (;;) {
        if (!peek(r, r->pos, &s, &n))
            return 0;
        if (starts(s, n, "--- ") && peek(r, r->pos + n, &s2, &n2) && starts(s2, n2, "+++ ") &&
            peek(r, r->pos + n + n2, &s3, &n3) && starts(s3, n3, "@@ -"))
            break;
        for (size_t i = 0; i < n; i++)
            if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
                r->garbage = true;
        advance(r, n);
    }
    r->seen_any = true;
    f->hdr_first = r->pos;
    f->old_name = header_name(s + 4, n - 4, &f->old_absent);
    f->new_name = header_name(s2 + 4, n2 - 4, &f->new_absent);
    f->old_rest = header_rest(s + 4, n - 4);
    f->new_rest = header_rest(s2 + 4, n2 - 4);
    advance(r, n);
    advance(r, n2);
    f->hdr_end = r->pos;
    f->hunk_lineno = r->lineno;
    size_t cap = 0;
    while (peek(r, r->pos, &s, &n) && starts(s, n, "@@ -")) {
        if (f->nhunks == cap) {
            cap = cap ? cap * 2 : 4;
            f->hunks = sh_realloc(f->hunks, cap * sizeof *f->hunks);
        }
        if (read_hunk(r, &f->hunks[f->nhunks], err) < 0) {
            free(f->hunks[f->nhunks].lines); /* the hunks before it stay */
            return -1;
        }
        f->nhunks++;
    }
    return 1;
}

void pt_file_free(pt_file *f)
{
    for (size_t i = 0; i < f->nhunks; i++)
        free(f->hunks[i].lines);
    free(f->hunks);
    free(f->old_name);
    free(f->new_name);
    free(f->old_rest);
    free(f->new_rest);
    memset(f, 0, sizeof *f);
}

void pt_reverse_hunk(pt_hunk *h)
{
    int64_t t = h->old_start;
    h->old_start = h->new_start;
    h->new_start = t;
    t = h->old_len;
    h->old_len = h->new_len;
    h->new_len = t;
    for (size_t k = 0; k < h->nlines; k++)
        if (h->lines[k].kind != ' ')
            h->lines[k].kind = h->lines[k].kind == '+' ? '-' : '+';
}

void pt_reverse(pt_file *f, size_t from)
{
    for (size_t i = from; i < f->nhunks; i++)
        pt_reverse_hunk(&f->hunks[i]);
    char *t = f->old_name;
    f->old_name = f->new_name;
    f->new_name = t;
    t = f->old_rest;
    f->old_rest = f->new_rest;
    f->new_rest = t;
    bool a = f->old_absent;
    f->old_absent = f->new_absent;
    f->new_absent = a;
}
