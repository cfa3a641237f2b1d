/* Tables (table.h). */
#include <stdlib.h>
#include <string.h>

#include "table.h"

void wf_table_row(wf_table *t)
{
    t->row++;
    t->row_cells = 0;
}

bool wf_table_cell(wf_table *t, const char *text, size_t len, int colspan)
{
    if (t->row < 0)
        wf_table_row(t);
    if (t->row_cells >= WF_MAX_COLUMNS && t->n) {
        /* past the last column: joined to the last cell */
        wf_cell *last = &t->cells[t->n - 1];
        char *p = realloc(last->text, last->len + len + 2);
        if (!p)
            return false;
        p[last->len] = ' ';
        memcpy(p + last->len + 1, text, len);
        last->len += len + 1;
        p[last->len] = 0;
        last->text = p;
        return true;
    }
    for (int k = 0; k < colspan && t->row_cells < WF_MAX_COLUMNS; k++) {
        if (t->n == t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 16;
            wf_cell *cells = realloc(t->cells, cap * sizeof *cells);
            if (!cells)
                return false;
            t->cells = cells;
            t->cap = cap;
        }
        size_t l = k ? 0 : len; /* the cells a colspan adds are empty */
        char *copy = malloc(l + 1);
        if (!copy)
            return false;
        memcpy(copy, text, l);
        copy[l] = 0;
        t->cells[t->n++] = (wf_cell){copy, l, t->row};
        t->row_cells++;
    }
    return true;
}

/* A cell's lines as one (Markdown tables have no line breaks in cells).
 * In Markdown every '|' not escaped yet gets its backslash, code spans
 * and tables inside the cell included (GFM splits cells at any other). */
static void add_cell_text(wt_buf *out, const wf_cell *cl, const char *sep, bool markdown)
{
    bool first = true;
    for (size_t i = 0; i < cl->len;) {
        size_t e = i;
        while (e < cl->len && cl->text[e] != '\n')
            e++;
        size_t a = i, b = e;
        while (a < b && cl->text[a] == ' ')
            a++;
        if (a < b) {
            if (!first)
                wt_buf_adds(out, sep);
            size_t backslashes = 0;
            for (size_t k = a; k < b; k++) {
                char ch = cl->text[k];
                if (ch == '|' && markdown && backslashes % 2 == 0)
                    wt_buf_addc(out, '\\');
                backslashes = ch == '\\' ? backslashes + 1 : 0;
                wt_buf_addc(out, ch);
            }
            first = false;
        }
        i = e + 1;
    }
}

/* Cells [i, *end) are one row. */
static size_t row_end(const wf_table *t, size_t i)
{
    size_t k = i;
    while (k < t->n && t->cells[k].row == t->cells[i].row)
        k++;
    return k;
}

bool wf_table_render(const wf_table *t, writer *w, bool markdown)
{
    size_t columns = 0;
    for (size_t i = 0, k; i < t->n; i = k) {
        k = row_end(t, i);
        if (k - i > columns)
            columns = k - i;
    }
    if (columns == 1) {
        for (size_t i = 0; i < t->n; i++)
            if (t->cells[i].len)
                w_lines(w, t->cells[i].text, t->cells[i].len);
        return !w->buf.failed;
    }
    if (columns == 0)
        return true;
    wt_buf out = {0};
    bool header = markdown;
    for (size_t i = 0, k; i < t->n; i = k) {
        k = row_end(t, i);
        for (size_t col = 0; col < columns; col++) {
            const wf_cell *cl = i + col < k ? &t->cells[i + col] : NULL;
            if (markdown)
                wt_buf_adds(&out, col ? " | " : "| ");
            else if (col)
                wt_buf_addc(&out, '\t');
            if (cl)
                add_cell_text(&out, cl, markdown ? "<br>" : " ", markdown);
        }
        if (!markdown) /* empty cells at the end of a row leave no tabs */
            while (out.len && out.data[out.len - 1] == '\t')
                out.len--;
        wt_buf_adds(&out, markdown ? " |\n" : "\n");
        if (header) {
            for (size_t col = 0; col < columns; col++)
                wt_buf_adds(&out, col ? " | ---" : "| ---");
            wt_buf_adds(&out, " |\n");
            header = false;
        }
    }
    bool ok = !out.failed;
    if (ok)
        w_lines(w, out.data, out.len - 1); /* without the last newline */
    wt_buf_free(&out);
    return ok && !w->buf.failed;
}

void wf_table_free(wf_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->cells[i].text);
    free(t->cells);
    free(t);
}
