/* patch_apply.c: where a hunk goes (patch.h), as GNU patch 2.7 looks for
 * it, so that its messages ("succeeded at 12 with fuzz 1 (offset 2
 * lines)") are GNU's. Lines are numbered from 1 here, as in GNU's code;
 * a line's newline is not compared (a file's last line may lack one). */
#include "patch.h"

#include <string.h>

static int64_t prefix_context(const pt_hunk *h)
{
    size_t i = 0;
    while (i < h->nlines && h->lines[i].kind == ' ')
        i++;
    return (int64_t)i;
}

static int64_t suffix_context(const pt_hunk *h)
{
    size_t i = 0;
    while (i < h->nlines && h->lines[h->nlines - 1 - i].kind == ' ')
        i++;
    return (int64_t)i;
}

int64_t pt_context(const pt_hunk *h)
{
    int64_t p = prefix_context(h), s = suffix_context(h);
    return p > s ? p : s;
}

/* -l: blanks in a run match any run of blanks (none matches none). */
static bool similar(const char *a, size_t an, const char *b, size_t bn)
{
    for (;;) {
        if (!bn || *b == ' ' || *b == '\t') {
            while (bn && (*b == ' ' || *b == '\t'))
                b++, bn--;
            if (an) {
                if (!(*a == ' ' || *a == '\t'))
                    return false;
                while (an && (*a == ' ' || *a == '\t'))
                    a++, an--;
            }
            if (!an || !bn)
                return an == bn;
        } else if (!an || *a++ != *b++) {
            return false;
        } else {
            an--, bn--;
        }
    }
}

/* Does the hunk's old text match at line `at`, leaving out pf lines at its
 * start and sf at its end? */
static bool match(const pt_hunk *h, const pt_text *in, int64_t n, int64_t at, int64_t pf, int64_t sf,
                  const pt_match_opts *o)
{
    int64_t pat = h->old_len - sf, p = 0, line = at + pf;
    for (size_t k = 0; k < h->nlines; k++) {
        const pt_line *l = &h->lines[k];
        if (l->kind == '+')
            continue;
        p++;
        if (p <= pf)
            continue;
        if (p > pat)
            break;
        if (line < 1 || line > n)
            return false;
        const pt_text *t = &in[line - 1];
        if (o->ignore_space ? !similar(t->text, t->len, l->text, l->len)
                            : t->len != l->len || memcmp(t->text, l->text, l->len) != 0)
            return false;
        line++;
    }
    return true;
}

int64_t pt_locate(const pt_hunk *h, const pt_text *in, size_t nin, size_t frozen, int64_t fuzz, int64_t *offset,
                  const pt_match_opts *o)
{
    int64_t n = (int64_t)nin, lf = (int64_t)frozen;
    int64_t first = h->old_len ? h->old_start : h->old_start + 1;
    int64_t guess = first + *offset;
    int64_t pat = h->old_len;
    int64_t pre = prefix_context(h), suf = suffix_context(h);
    int64_t ctx = pre > suf ? pre : suf;
    int64_t pf = fuzz + pre - ctx, sf = fuzz + suf - ctx;
    int64_t max_where = n - (pat - sf) + 1;
    int64_t min_where = lf + 1;
    int64_t max_pos = max_where - guess, max_neg = guess - min_where;
    int64_t max_off = max_pos > max_neg ? max_pos : max_neg;
    if (!pat) /* an empty old side goes where it says */
        return guess - 1;
    if (guess <= max_neg) /* no line before the first */
        max_neg = guess - 1;
    if (pf < 0 && first <= 1) {
        /* less context at the start than at the end: the file's start */
        if (sf < 0 && (pat != n || pre < lf))
            return -1;
        int64_t off = 1 - guess;
        if (lf <= pre && off <= max_pos && match(h, in, n, guess + off, 0, sf, o)) {
            *offset += off;
            return guess + off - 1;
        }
        return -1;
    }
    if (pf < 0)
        pf = 0;
    if (sf < 0) {
        /* less context at the end than at the start: the file's end */
        int64_t off = guess - (n - pat + 1);
        if (off <= max_neg && match(h, in, n, guess - off, pf, 0, o)) {
            *offset -= off;
            return guess - off - 1;
        }
        return -1;
    }
    /* from the nearest place that is in range */
    int64_t min_off = max_pos < 0 ? guess - max_where : max_neg < 0 ? guess - min_where : 0;
    for (int64_t off = min_off; off <= max_off; off++) {
        if (off <= max_pos && match(h, in, n, guess + off, pf, sf, o)) {
            *offset += off;
            return guess + off - 1;
        }
        if (off > 0 && off <= max_neg && match(h, in, n, guess - off, pf, sf, o)) {
            *offset -= off;
            return guess - off - 1;
        }
    }
    return -1;
}
