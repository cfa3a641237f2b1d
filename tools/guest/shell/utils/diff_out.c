/* diff_out.c: diff's output formats (diff.h), as GNU diff 3.8 writes them:
 * normal ("2,3c2", "< old", "---", "> new"), unified ("--- a", "+++ b",
 * "@@ -2,3 +2,2 @@", " context", "-old", "+new") and context ("*** a",
 * "--- b", "***************", "*** 2,4 ****", "! old", "--- 2,3 ----"). A last line without a
 * newline is followed by "\ No newline at end of file". The output is
 * gathered in a buffer and written in large blocks. */
#include "diff.h"

#include <string.h>

typedef struct {
    sh_stream *out;
    sh_buf b;
    bool ok;
} outbuf;

static void spill(outbuf *o, bool all)
{
    if (o->b.len && (all || o->b.len >= 65536)) {
        o->ok = o->ok && sh_write(o->out, o->b.data, o->b.len);
        o->b.len = 0;
    }
}

/* prefix, then line i of f, with its newline (or the marker for none) */
static void line(outbuf *o, const char *prefix, const diff_file *f, size_t i)
{
    size_t s = f->start[i], e = f->start[i + 1];
    sh_buf_adds(&o->b, prefix);
    sh_buf_add(&o->b, f->data.data + s, e - s);
    if (e == s || f->data.data[e - 1] != '\n')
        sh_buf_adds(&o->b, "\n\\ No newline at end of file\n");
    spill(o, false);
}

/* "a,b" (1-based, inclusive) or "a" for one line; an empty range is
 * named by the line before it. */
static void normal_range(sh_buf *b, size_t first, size_t count)
{
    if (count == 0)
        sh_buf_printf(b, "%zu", first);
    else if (count == 1)
        sh_buf_printf(b, "%zu", first + 1);
    else
        sh_buf_printf(b, "%zu,%zu", first + 1, first + count);
}

static void print_normal(outbuf *o, const diff_file *a, const diff_file *b, const diff_change *ch, size_t n,
                         const bool *ign)
{
    for (size_t k = 0; k < n && o->ok; k++) {
        const diff_change *c = &ch[k];
        if (ign[k])
            continue;
        normal_range(&o->b, c->a0, c->an);
        sh_buf_addc(&o->b, c->an == 0 ? 'a' : c->bn == 0 ? 'd' : 'c');
        normal_range(&o->b, c->b0, c->bn);
        sh_buf_addc(&o->b, '\n');
        for (size_t i = 0; i < c->an; i++)
            line(o, "< ", a, c->a0 + i);
        if (c->an && c->bn)
            sh_buf_adds(&o->b, "---\n");
        for (size_t j = 0; j < c->bn; j++)
            line(o, "> ", b, c->b0 + j);
    }
}

/* unified "start,count": "start" alone for one line; an empty range is
 * named by the line before it ("3,0", "0,0"). */
static void unified_range(sh_buf *b, size_t first, size_t count)
{
    if (count == 1)
        sh_buf_printf(b, "%zu", first + 1);
    else
        sh_buf_printf(b, "%zu,%zu", count ? first + 1 : first, count);
}

static void header(outbuf *o, const char *mark, const char *label, const diff_file *f)
{
    if (label) {
        sh_buf_printf(&o->b, "%s %s\n", mark, label);
        return;
    }
    sh_buf_printf(&o->b, "%s %s\t", mark, f->name);
    sh_format_date(&o->b, "%Y-%m-%d %H:%M:%S.%N %z", f->sec, f->nsec);
    sh_buf_addc(&o->b, '\n');
}

/* context "first,last" (1-based, inclusive), one number for one line, and
 * the line before for an empty range. */
static void context_range(sh_buf *b, size_t first, size_t count)
{
    if (count <= 1)
        sh_buf_printf(b, "%zu", count ? first + 1 : first);
    else
        sh_buf_printf(b, "%zu,%zu", first + 1, first + count);
}

/* One side of a context hunk: its lines from start to end, the changed
 * ones marked "- " or "+ " (only on this side) or "! " (on both). */
static void context_side(outbuf *o, const diff_file *f, bool old, size_t start, size_t end, const diff_change *ch,
                         size_t k, size_t last)
{
    size_t pos = start;
    for (size_t m = k; m <= last; m++) {
        size_t c0 = old ? ch[m].a0 : ch[m].b0, cn = old ? ch[m].an : ch[m].bn;
        for (; pos < c0; pos++)
            line(o, "  ", f, pos);
        const char *mark = ch[m].an && ch[m].bn ? "! " : old ? "- " : "+ ";
        for (size_t i = 0; i < cn; i++)
            line(o, mark, f, c0 + i);
        pos = c0 + cn;
    }
    for (; pos < end; pos++)
        line(o, "  ", f, pos);
}

/* The changes from k whose context touches or overlaps go in one hunk;
 * an ignorable one (-B) joins only if it is within the context. The last
 * one's index. */
static size_t hunk_end(const diff_change *ch, size_t n, size_t k, size_t ctx, const bool *ign)
{
    size_t last = k;
    while (last + 1 < n && ch[last + 1].a0 - (ch[last].a0 + ch[last].an) < (ign[last + 1] ? ctx : 2 * ctx + 1))
        last++;
    return last;
}

static void print_context(outbuf *o, const diff_outopt *opt, const diff_file *a, const diff_file *b,
                          const diff_change *ch, size_t n, const bool *ign)
{
    header(o, "***", opt->label[0], a);
    header(o, "---", opt->label[1], b);
    size_t ctx = opt->context < 0 ? 0 : (uint64_t)opt->context > SIZE_MAX / 4 ? SIZE_MAX / 4 : (size_t)opt->context;
    for (size_t k = 0; k < n && o->ok;) {
        size_t last = hunk_end(ch, n, k, ctx, ign);
        bool all_ignorable = true, dels = false, ins = false;
        for (size_t m = k; m <= last; m++) {
            all_ignorable = all_ignorable && ign[m];
            dels = dels || ch[m].an;
            ins = ins || ch[m].bn;
        }
        if (all_ignorable) {
            k = last + 1;
            continue;
        }
        size_t astart = ch[k].a0 > ctx ? ch[k].a0 - ctx : 0;
        size_t aend = ch[last].a0 + ch[last].an + ctx;
        if (aend > a->nlines)
            aend = a->nlines;
        size_t bstart = ch[k].b0 - (ch[k].a0 - astart);
        size_t bend = ch[last].b0 + ch[last].bn + (aend - (ch[last].a0 + ch[last].an));
        sh_buf_adds(&o->b, "***************\n*** ");
        context_range(&o->b, astart, aend - astart);
        sh_buf_adds(&o->b, " ****\n");
        if (dels)
            context_side(o, a, true, astart, aend, ch, k, last);
        sh_buf_adds(&o->b, "--- ");
        context_range(&o->b, bstart, bend - bstart);
        sh_buf_adds(&o->b, " ----\n");
        if (ins)
            context_side(o, b, false, bstart, bend, ch, k, last);
        k = last + 1;
    }
}

static void print_unified(outbuf *o, const diff_outopt *opt, const diff_file *a, const diff_file *b,
                          const diff_change *ch, size_t n, const bool *ign)
{
    header(o, "---", opt->label[0], a);
    header(o, "+++", opt->label[1], b);
    size_t ctx = opt->context < 0 ? 0 : (uint64_t)opt->context > SIZE_MAX / 4 ? SIZE_MAX / 4 : (size_t)opt->context;
    for (size_t k = 0; k < n && o->ok;) {
        size_t last = hunk_end(ch, n, k, ctx, ign);
        bool all_ignorable = true;
        for (size_t m = k; m <= last; m++)
            all_ignorable = all_ignorable && ign[m];
        if (all_ignorable) {
            k = last + 1;
            continue;
        }
        size_t astart = ch[k].a0 > ctx ? ch[k].a0 - ctx : 0;
        size_t aend = ch[last].a0 + ch[last].an + ctx;
        if (aend > a->nlines)
            aend = a->nlines;
        size_t bstart = ch[k].b0 - (ch[k].a0 - astart);
        size_t bend = ch[last].b0 + ch[last].bn + (aend - (ch[last].a0 + ch[last].an));
        sh_buf_adds(&o->b, "@@ -");
        unified_range(&o->b, astart, aend - astart);
        sh_buf_adds(&o->b, " +");
        unified_range(&o->b, bstart, bend - bstart);
        sh_buf_adds(&o->b, " @@\n");
        size_t pos = astart;
        for (size_t m = k; m <= last; m++) {
            for (; pos < ch[m].a0; pos++)
                line(o, " ", a, pos);
            for (size_t i = 0; i < ch[m].an; i++)
                line(o, "-", a, ch[m].a0 + i);
            for (size_t j = 0; j < ch[m].bn; j++)
                line(o, "+", b, ch[m].b0 + j);
            pos = ch[m].a0 + ch[m].an;
        }
        for (; pos < aend; pos++)
            line(o, " ", a, pos);
        k = last + 1;
    }
}

bool diff_print(shctx *sh, const diff_outopt *opt, const diff_file *a, const diff_file *b,
                const diff_change *ch, size_t n, const bool *ign)
{
    outbuf o = {sh_stdout(sh), {0}, true};
    if (opt->format == DIFF_UNIFIED)
        print_unified(&o, opt, a, b, ch, n, ign);
    else if (opt->format == DIFF_CONTEXT)
        print_context(&o, opt, a, b, ch, n, ign);
    else
        print_normal(&o, a, b, ch, n, ign);
    spill(&o, true);
    sh_buf_free(&o.b);
    return o.ok;
}
