/* ls_layout: how GNU ls 9.1 fills a line, so that `ls -C`, `ls -x`,
 * `ls -m` and `dir` print what GNU's prints byte for byte, tabs included:
 * the most columns whose line, with two spaces after every column but the
 * last, stays shorter than the width; each column as wide as its widest
 * cell. The arrangement test is GNU's calculate_columns() (a candidate only
 * fails once one of its columns grew past the 3-column minimum). */
#include "ls_layout.h"

#include <stdlib.h>
#include <string.h>

enum { MIN_COLUMN_WIDTH = 3 }; /* one character and two spaces */

size_t ls_width_of(const char *s, size_t len)
{
    size_t w = 0;
    for (size_t i = 0; i < len; i++)
        w += (unsigned char)s[i] >= 0x20 && s[i] != 0x7f;
    return w;
}

/* Blanks from column FROM to column TO, a tab wherever it does not pass the
 * next tab stop (GNU's indent()). */
static void indent(sh_buf *out, size_t from, size_t to, size_t tabsize)
{
    while (from < to) {
        if (tabsize && to / tabsize > (from + 1) / tabsize) {
            sh_buf_addc(out, '\t');
            from += tabsize - from % tabsize;
        } else {
            sh_buf_addc(out, ' ');
            from++;
        }
    }
}

static void commas(sh_buf *out, const ls_cell *c, size_t n, size_t width)
{
    size_t pos = 0;
    for (size_t f = 0; f < n; f++) {
        if (f) {
            sh_buf_addc(out, ',');
            if (!width || pos + c[f].wid + 2 < width) {
                sh_buf_addc(out, ' ');
                pos += 2;
            } else {
                sh_buf_addc(out, '\n');
                pos = 0;
            }
        }
        sh_buf_add(out, c[f].text, c[f].len);
        pos += c[f].wid;
    }
    sh_buf_addc(out, '\n');
}

static void many_per_line(sh_buf *out, const ls_cell *c, size_t n, size_t width, size_t tabsize, bool across)
{
    if (!width) { /* -w 0: no limit, one line, two spaces between names */
        for (size_t f = 0; f < n; f++) {
            sh_buf_add(out, c[f].text, c[f].len);
            sh_buf_adds(out, f + 1 < n ? "  " : "\n");
        }
        return;
    }
    size_t max_idx = width / MIN_COLUMN_WIDTH + (width % MIN_COLUMN_WIDTH != 0);
    size_t max_cols = max_idx < n ? max_idx : n;
    size_t **col = sh_calloc(max_cols, sizeof *col);
    size_t *line_len = sh_calloc(max_cols, sizeof *line_len);
    bool *valid = sh_calloc(max_cols, sizeof *valid);
    for (size_t i = 0; i < max_cols; i++) {
        col[i] = sh_calloc(i + 1, sizeof **col);
        valid[i] = true;
        line_len[i] = (i + 1) * MIN_COLUMN_WIDTH;
        for (size_t j = 0; j <= i; j++)
            col[i][j] = MIN_COLUMN_WIDTH;
    }
    for (size_t f = 0; f < n; f++) {
        for (size_t i = 0; i < max_cols; i++) {
            if (!valid[i])
                continue;
            size_t idx = across ? f % (i + 1) : f / ((n + i) / (i + 1));
            size_t real = c[f].wid + (idx == i ? 0 : 2);
            if (col[i][idx] < real) {
                line_len[i] += real - col[i][idx];
                col[i][idx] = real;
                valid[i] = line_len[i] < width;
            }
        }
    }
    size_t cols = max_cols;
    while (cols > 1 && !valid[cols - 1])
        cols--;
    const size_t *w = col[cols - 1];
    if (across) {
        size_t pos = 0;
        for (size_t f = 0; f < n; f++) {
            size_t k = f % cols;
            if (f) {
                if (k == 0) {
                    sh_buf_addc(out, '\n');
                    pos = 0;
                } else {
                    indent(out, pos + c[f - 1].wid, pos + w[k - 1], tabsize);
                    pos += w[k - 1];
                }
            }
            sh_buf_add(out, c[f].text, c[f].len);
        }
        sh_buf_addc(out, '\n');
    } else {
        size_t rows = n / cols + (n % cols != 0);
        for (size_t row = 0; row < rows; row++) {
            size_t f = row, pos = 0, k = 0;
            for (;;) {
                sh_buf_add(out, c[f].text, c[f].len);
                size_t mine = w[k++];
                if (n - rows <= f)
                    break;
                indent(out, pos + c[f].wid, pos + mine, tabsize);
                pos += mine;
                f += rows;
            }
            sh_buf_addc(out, '\n');
        }
    }
    for (size_t i = 0; i < max_cols; i++)
        free(col[i]);
    free(col);
    free(line_len);
    free(valid);
}

void ls_layout(sh_buf *b, const ls_cell *c, size_t n, ls_format format, size_t width, size_t tabsize)
{
    if (n == 0)
        return;
    switch (format) {
    case LS_COMMAS:
        commas(b, c, n, width);
        break;
    case LS_COLUMNS:
    case LS_ACROSS:
        many_per_line(b, c, n, width, tabsize, format == LS_ACROSS);
        break;
    default:
        for (size_t f = 0; f < n; f++) {
            sh_buf_add(b, c[f].text, c[f].len);
            sh_buf_addc(b, '\n');
        }
    }
}
