/* pr: GNU's. Paginates files for printing: pages of -l lines (66) with a
 * 5-line header (date, file name or -h, "Page N") and trailer, -t/-T
 * without them; -COLUMN columns down (balanced) or across (-a), -m files
 * side by side, -s/-S separators, -J joined lines, -w/-W widths, -n line
 * numbers, -N first number, -d double spacing, -o margin, -F/-f form
 * feeds, -e/-i tab expansion and tabs on output, -c/-v control
 * characters, +FIRST[:LAST]/--pages, -D date format. The layout follows
 * GNU's pr step by step (its columns, stored lines, pending blanks written
 * as tabs); dates are UTC (the sandbox has no time zones). */
#include "../shell.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define PR_EOF (-1)
#define ANYWHERE 0
#define TAB_WIDTH(c, h) ((c) - ((h) % (c)))
#define POS_AFTER_TAB(c, h) ((h) + TAB_WIDTH(c, h))

/* An input file; the columns of one file share it. */
typedef struct {
    sh_stream *s;
    bool is_stdin;
    char buf[4096];
    size_t len, pos;
    int pushed; /* ungetc'd, or -2 */
    bool failed;
} prfile;

enum { OPEN, FF_FOUND, ON_HOLD, CLOSED };

typedef struct {
    prfile *fp;
    const char *name;
    int status;
    bool stored;      /* print_func: print_stored, else read_line */
    bool store_chars; /* char_func: store_char, else print_char */
    int current_line, lines_stored, lines_to_print, start_position;
    bool numbered, full_page_printed;
} column;

typedef struct {
    shctx *sh;
    sh_buf out;
    /* options */
    int columns;
    bool explicit_columns, parallel_files, across, extremities, keep_ff, use_form_feed;
    int lines_per_page, lines_per_body, chars_per_line, chars_per_column;
    bool truncate_lines, join_lines, untabify_input, tabify_output;
    char input_tab_char, output_tab_char;
    int chars_per_input_tab, chars_per_output_tab, chars_per_margin;
    bool numbered_lines, skip_count, use_esc, use_cntrl, double_space, ignore_failed_opens;
    char number_separator;
    int chars_per_number, number_width, start_line_num, line_count;
    bool use_col_separator, balance_columns, storing_columns;
    const char *col_sep_string;
    int col_sep_length;
    const char *custom_header, *date_format;
    uint64_t first_page, last_page;
    /* state */
    column *col;
    char *buff;
    size_t buff_current, buff_allocated;
    int *line_vector, *end_vector;
    int output_position, input_position, spaces_not_printed, separators_not_printed, padding_not_printed;
    bool pad_vertically, print_a_header, print_a_ff, align_empty_cols, empty_line, ff_only, last_line;
    int files_ready_to_read, total_files, line_number;
    uint64_t page_number;
    char *date_text;
    const char *file_text;
    int header_width_available;
    char clump[64];
    bool failed_opens;
    int64_t now_sec;
} pr;

/* ---- input ------------------------------------------------------------------ */

static int pgetc(prfile *f)
{
    if (f->pushed != -2) {
        int c = f->pushed;
        f->pushed = -2;
        return c;
    }
    if (f->pos == f->len) {
        if (f->failed)
            return PR_EOF;
        ssize_t n = sh_read(f->s, f->buf, sizeof f->buf);
        if (n <= 0) {
            if (n < 0)
                f->failed = true;
            return PR_EOF;
        }
        f->len = (size_t)n;
        f->pos = 0;
    }
    return (unsigned char)f->buf[f->pos++];
}

static void pungetc(prfile *f, int c)
{
    f->pushed = c;
}

/* ---- output ----------------------------------------------------------------- */

static void putch(pr *p, char c)
{
    sh_buf_addc(&p->out, c);
}

static void flush_out(pr *p)
{
    if (p->out.len >= 65536) {
        sh_write(sh_stdout(p->sh), p->out.data, p->out.len);
        p->out.len = 0;
    }
}

/* Pending blanks as tabs and spaces (GNU pr always tabifies them). */
static void print_white_space(pr *p)
{
    int h_old = p->output_position, goal = h_old + p->spaces_not_printed, h_new;
    while (goal - h_old > 1 && (h_new = POS_AFTER_TAB(p->chars_per_output_tab, h_old)) <= goal) {
        putch(p, p->output_tab_char);
        h_old = h_new;
    }
    while (++h_old <= goal)
        putch(p, ' ');
    p->output_position = goal;
    p->spaces_not_printed = 0;
}

static void pad_across_to(pr *p, int position)
{
    if (p->tabify_output) {
        p->spaces_not_printed = position - p->output_position;
    } else {
        for (int h = p->output_position; ++h <= position;)
            putch(p, ' ');
        p->output_position = position;
    }
}

static void pad_down(pr *p, int lines)
{
    if (p->use_form_feed)
        putch(p, '\f');
    else
        for (int i = lines; i > 0; i--)
            putch(p, '\n');
}

static void print_sep_string(pr *p)
{
    const char *s = p->col_sep_string;
    int l = p->col_sep_length;
    if (p->separators_not_printed <= 0) {
        if (p->spaces_not_printed > 0)
            print_white_space(p);
        return;
    }
    for (; p->separators_not_printed > 0; --p->separators_not_printed) {
        while (l-- > 0) {
            if (*s == ' ') {
                s++;
                ++p->spaces_not_printed;
            } else {
                if (p->spaces_not_printed > 0)
                    print_white_space(p);
                putch(p, *s++);
                ++p->output_position;
            }
        }
        if (p->spaces_not_printed > 0)
            print_white_space(p);
    }
}

static void print_char(pr *p, char c)
{
    if (p->tabify_output) {
        if (c == ' ') {
            ++p->spaces_not_printed;
            return;
        }
        if (p->spaces_not_printed > 0)
            print_white_space(p);
        if (!isprint((unsigned char)c)) {
            if (c == '\b')
                --p->output_position;
        } else {
            ++p->output_position;
        }
    }
    putch(p, c);
}

static void store_char(pr *p, char c)
{
    if (p->buff_current >= p->buff_allocated) {
        p->buff_allocated = p->buff_allocated ? p->buff_allocated * 2 : 1024;
        p->buff = sh_realloc(p->buff, p->buff_allocated);
    }
    p->buff[p->buff_current++] = c;
}

static void char_out(pr *p, column *c, char ch)
{
    if (c->store_chars)
        store_char(p, ch);
    else
        print_char(p, ch);
}

/* ---- headers ----------------------------------------------------------------- */

static void init_header(pr *p, const char *filename, sh_stream *s)
{
    int64_t sec = p->now_sec;
    long nsec = 0;
    struct stat st;
    int fd = s && strcmp(filename, "-") ? sh_stream_fd(s) : -1;
    if (fd >= 0 && fstat(fd, &st) == 0) {
        sec = st.st_mtim.tv_sec;
        nsec = st.st_mtim.tv_nsec;
    }
    sh_buf d = {0};
    sh_format_date(&d, p->date_format, sec, nsec);
    free(p->date_text);
    p->date_text = sh_buf_take(&d);
    p->file_text = p->custom_header ? p->custom_header : fd < 0 ? "" : filename;
    p->header_width_available = p->chars_per_line - (int)strlen(p->date_text) - (int)strlen(p->file_text);
}

static void print_header(pr *p)
{
    p->output_position = 0;
    pad_across_to(p, p->chars_per_margin);
    print_white_space(p);
    char page_text[64];
    snprintf(page_text, sizeof page_text, "Page %llu", (unsigned long long)p->page_number);
    int avail = p->header_width_available - (int)strlen(page_text);
    if (avail < 0)
        avail = 0;
    int lhs = avail >> 1, rhs = avail - lhs;
    sh_buf_printf(&p->out, "\n\n%*s%s%*s%s%*s%s\n\n\n", p->chars_per_margin, "", p->date_text, lhs, " ",
                  p->file_text, rhs, " ", page_text);
    p->print_a_header = false;
    p->output_position = 0;
}

/* ---- files and columns ------------------------------------------------------- */

static void close_file(pr *p, column *c)
{
    if (c->status == CLOSED)
        return;
    if (!p->parallel_files) {
        for (int i = 0; i < p->columns; i++) {
            p->col[i].status = CLOSED;
            if (p->col[i].lines_stored == 0)
                p->col[i].lines_to_print = 0;
        }
    } else {
        c->status = CLOSED;
        c->lines_to_print = 0;
    }
    --p->files_ready_to_read;
}

static void hold_file(pr *p, column *c)
{
    if (!p->parallel_files)
        for (int i = 0; i < p->columns; i++)
            p->col[i].status = p->storing_columns ? FF_FOUND : ON_HOLD;
    else
        c->status = ON_HOLD;
    c->lines_to_print = 0;
    --p->files_ready_to_read;
}

static void reset_status(pr *p)
{
    for (int i = 0; i < p->columns; i++)
        if (p->col[i].status == ON_HOLD) {
            p->col[i].status = OPEN;
            p->files_ready_to_read++;
        }
    if (p->storing_columns)
        p->files_ready_to_read = p->col[0].status == CLOSED ? 0 : 1;
}

static int cols_ready_to_print(const pr *p)
{
    int n = 0;
    for (int i = 0; i < p->columns; i++) {
        const column *q = &p->col[i];
        if (q->status == OPEN || q->status == FF_FOUND ||
            (p->storing_columns && q->lines_stored > 0 && q->lines_to_print > 0))
            ++n;
    }
    return n;
}

/* One input character as printed: its clump into p->clump, its width
 * added to input_position; the clump's length. */
static int char_to_clump(pr *p, char c)
{
    unsigned char uc = (unsigned char)c;
    char *s = p->clump;
    int width, chars, per = 8;
    if (c == p->input_tab_char)
        per = p->chars_per_input_tab;
    if (c == p->input_tab_char || c == '\t') {
        width = TAB_WIDTH(per, p->input_position);
        if (p->untabify_input) {
            int w = width < (int)sizeof p->clump ? width : (int)sizeof p->clump;
            memset(s, ' ', (size_t)w);
            chars = w;
        } else {
            *s = c;
            chars = 1;
        }
    } else if (!isprint(uc)) {
        if (p->use_esc || (p->use_cntrl && uc >= 0200)) {
            width = chars = 4;
            snprintf(s, 5, "\\%03o", uc);
        } else if (p->use_cntrl) {
            width = chars = 2;
            s[0] = '^';
            s[1] = (char)(c ^ 0100);
        } else if (c == '\b') {
            width = -1;
            chars = 1;
            *s = c;
        } else {
            width = 0;
            chars = 1;
            *s = c;
        }
    } else {
        width = chars = 1;
        *s = c;
    }
    if (width < 0 && p->input_position == 0) {
        chars = 0;
        p->input_position = 0;
    } else if (width < 0 && p->input_position <= -width) {
        p->input_position = 0;
    } else {
        p->input_position += width;
    }
    return chars;
}

static void add_line_number(pr *p, column *c)
{
    char nb[32];
    int w = snprintf(nb, sizeof nb, "%*d", p->chars_per_number, p->line_number);
    p->line_number++;
    const char *s = nb + (w - p->chars_per_number); /* the low digits when it is too long */
    for (int i = p->chars_per_number; i > 0; i--)
        char_out(p, c, *s++);
    if (p->columns > 1) {
        if (p->number_separator == '\t')
            for (int i = p->number_width - p->chars_per_number; i-- > 0;)
                char_out(p, c, ' ');
        else
            char_out(p, c, p->number_separator);
    } else {
        char_out(p, c, p->number_separator);
        if (p->number_separator == '\t')
            p->output_position = POS_AFTER_TAB(p->chars_per_output_tab, p->output_position);
    }
    if (p->truncate_lines && !p->parallel_files)
        p->input_position += p->number_width;
}

static void align_column(pr *p, column *c)
{
    p->padding_not_printed = c->start_position;
    if (p->col_sep_length < p->padding_not_printed) {
        pad_across_to(p, p->padding_not_printed - p->col_sep_length);
        p->padding_not_printed = ANYWHERE;
    }
    if (p->use_col_separator)
        print_sep_string(p);
    if (c->numbered)
        add_line_number(p, c);
}

static void read_rest_of_line(pr *p, column *c)
{
    int ch;
    while ((ch = pgetc(c->fp)) != '\n') {
        if (ch == '\f') {
            if ((ch = pgetc(c->fp)) != '\n')
                pungetc(c->fp, ch);
            if (p->keep_ff)
                p->print_a_ff = true;
            hold_file(p, c);
            break;
        }
        if (ch == PR_EOF) {
            close_file(p, c);
            break;
        }
    }
}

/* Prints (or stores) one line of c; false when it was cut at the column's width. */
static bool read_line(pr *p, column *c)
{
    int ch = pgetc(c->fp), chars = 0;
    int last_input_position = p->input_position;
    if (ch == '\f' && c->full_page_printed)
        if ((ch = pgetc(c->fp)) == '\n')
            ch = pgetc(c->fp);
    c->full_page_printed = false;
    switch (ch) {
    case '\f':
        if ((ch = pgetc(c->fp)) != '\n')
            pungetc(c->fp, ch);
        p->ff_only = true;
        if (p->print_a_header && !p->storing_columns) {
            p->pad_vertically = true;
            print_header(p);
        } else if (p->keep_ff) {
            p->print_a_ff = true;
        }
        hold_file(p, c);
        return true;
    case PR_EOF:
        close_file(p, c);
        return true;
    case '\n':
        break;
    default:
        chars = char_to_clump(p, (char)ch);
    }
    if (p->truncate_lines && p->input_position > p->chars_per_column) {
        p->input_position = last_input_position;
        return false;
    }
    if (!c->store_chars) {
        p->pad_vertically = true;
        if (p->print_a_header && !p->storing_columns)
            print_header(p);
        if (p->parallel_files && p->align_empty_cols) {
            /* empty columns at the start of the line get their separators */
            int k = p->separators_not_printed;
            p->separators_not_printed = 0;
            for (int j = 0; j < k; j++) {
                align_column(p, &p->col[j]);
                p->separators_not_printed += 1;
            }
            p->padding_not_printed = c->start_position;
            p->spaces_not_printed = p->truncate_lines ? p->chars_per_column : 0;
            p->align_empty_cols = false;
        }
        if (p->col_sep_length < p->padding_not_printed) {
            pad_across_to(p, p->padding_not_printed - p->col_sep_length);
            p->padding_not_printed = ANYWHERE;
        }
        if (p->use_col_separator)
            print_sep_string(p);
    }
    if (c->numbered)
        add_line_number(p, c);
    p->empty_line = false;
    if (ch == '\n')
        return true;
    for (int i = 0; i < chars; i++)
        char_out(p, c, p->clump[i]);
    for (;;) {
        ch = pgetc(c->fp);
        switch (ch) {
        case '\n':
            return true;
        case '\f':
            if ((ch = pgetc(c->fp)) != '\n')
                pungetc(c->fp, ch);
            if (p->keep_ff)
                p->print_a_ff = true;
            hold_file(p, c);
            return true;
        case PR_EOF:
            close_file(p, c);
            return true;
        }
        last_input_position = p->input_position;
        chars = char_to_clump(p, (char)ch);
        if (p->truncate_lines && p->input_position > p->chars_per_column) {
            p->input_position = last_input_position;
            return false;
        }
        for (int i = 0; i < chars; i++)
            char_out(p, c, p->clump[i]);
    }
}

static bool print_stored(pr *p, column *c)
{
    int line = c->current_line++;
    const char *first = p->buff + p->line_vector[line], *last = p->buff + p->line_vector[line + 1];
    p->pad_vertically = true;
    if (p->print_a_header)
        print_header(p);
    if (c->status == FF_FOUND) {
        for (int i = 0; i < p->columns; i++)
            p->col[i].status = ON_HOLD;
        if (p->col[0].lines_to_print <= 0) {
            if (!p->extremities)
                p->pad_vertically = false;
            return true; /* a header only */
        }
    }
    if (p->col_sep_length < p->padding_not_printed) {
        pad_across_to(p, p->padding_not_printed - p->col_sep_length);
        p->padding_not_printed = ANYWHERE;
    }
    if (p->use_col_separator)
        print_sep_string(p);
    while (first != last)
        print_char(p, *first++);
    if (p->spaces_not_printed == 0) {
        p->output_position = c->start_position + p->end_vector[line];
        if (c->start_position - p->col_sep_length == p->chars_per_margin)
            p->output_position -= p->col_sep_length;
    }
    return true;
}

static bool print_func(pr *p, column *c)
{
    return c->stored ? print_stored(p, c) : read_line(p, c);
}

static void balance(pr *p, int total)
{
    int first_line = 0;
    for (int i = 1; i <= p->columns; i++) {
        column *c = &p->col[i - 1];
        int lines = total / p->columns;
        if (i <= total % p->columns)
            ++lines;
        c->lines_stored = lines;
        c->current_line = first_line;
        first_line += lines;
    }
}

/* Reads the columns of one page (but the last, unless balancing) into buff. */
static void store_columns(pr *p)
{
    int line = 0;
    size_t buff_start = 0;
    int last_col = p->balance_columns ? p->columns : p->columns - 1;
    p->buff_current = 0;
    for (int i = 0; i < last_col; i++)
        p->col[i].lines_stored = 0;
    for (int i = 0; i < last_col && p->files_ready_to_read; i++) {
        column *c = &p->col[i];
        c->current_line = line;
        for (int j = p->lines_per_body; j && p->files_ready_to_read; --j) {
            if (c->status != OPEN)
                continue;
            p->input_position = 0;
            if (!read_line(p, c))
                read_rest_of_line(p, c);
            if (c->status == OPEN || buff_start != p->buff_current) {
                ++c->lines_stored;
                p->line_vector[line] = (int)buff_start;
                p->end_vector[line++] = p->input_position;
                buff_start = p->buff_current;
            }
        }
    }
    p->line_vector[line] = (int)buff_start;
    if (p->balance_columns)
        balance(p, line);
}

static void init_page(pr *p)
{
    if (p->storing_columns) {
        store_columns(p);
        for (int j = 0; j < p->columns - 1; j++)
            p->col[j].lines_to_print = p->col[j].lines_stored;
        column *last = &p->col[p->columns - 1];
        if (p->balance_columns)
            last->lines_to_print = last->lines_stored;
        else
            last->lines_to_print = last->status == OPEN ? p->lines_per_body : 0;
    } else {
        for (int j = 0; j < p->columns; j++)
            p->col[j].lines_to_print = p->col[j].status == OPEN ? p->lines_per_body : 0;
    }
}

static bool print_page(pr *p)
{
    init_page(p);
    if (cols_ready_to_print(p) == 0)
        return false;
    if (p->extremities)
        p->print_a_header = true;
    p->pad_vertically = false;
    bool pv = false;
    int lines_left = p->lines_per_body * (p->double_space ? 2 : 1);
    while (lines_left > 0 && cols_ready_to_print(p) > 0) {
        p->output_position = 0;
        p->spaces_not_printed = 0;
        p->separators_not_printed = 0;
        p->pad_vertically = false;
        p->align_empty_cols = false;
        p->empty_line = true;
        for (int j = 1; j <= p->columns; j++) {
            column *c = &p->col[j - 1];
            p->input_position = 0;
            if (c->lines_to_print > 0 || c->status == FF_FOUND) {
                p->ff_only = false;
                p->padding_not_printed = c->start_position;
                if (!print_func(p, c))
                    read_rest_of_line(p, c);
                pv |= p->pad_vertically;
                --c->lines_to_print;
                if (c->lines_to_print <= 0 && cols_ready_to_print(p) == 0)
                    break;
                if (p->parallel_files && c->status != OPEN) {
                    if (p->empty_line)
                        p->align_empty_cols = true;
                    else if (c->status == CLOSED || (c->status == ON_HOLD && p->ff_only))
                        align_column(p, c);
                }
            } else if (p->parallel_files) {
                if (p->empty_line)
                    p->align_empty_cols = true;
                else
                    align_column(p, c);
            }
            if (p->use_col_separator)
                ++p->separators_not_printed;
        }
        if (p->pad_vertically) {
            putch(p, '\n');
            --lines_left;
        }
        if (cols_ready_to_print(p) == 0 && !p->extremities)
            break;
        if (p->double_space && pv) {
            putch(p, '\n');
            --lines_left;
        }
        flush_out(p);
        if (sh_interrupted(p->sh))
            return false;
    }
    if (lines_left == 0)
        for (int j = 0; j < p->columns; j++)
            if (p->col[j].status == OPEN)
                p->col[j].full_page_printed = true;
    p->pad_vertically = pv;
    if (p->pad_vertically && p->extremities)
        pad_down(p, lines_left + 5);
    else if (p->keep_ff && p->print_a_ff) {
        putch(p, '\f');
        p->print_a_ff = false;
    }
    if (p->last_page < ++p->page_number)
        return false;
    reset_status(p);
    return true;
}

/* ---- skipping pages ------------------------------------------------------------ */

static void skip_read(pr *p, column *c, int column_number)
{
    bool single_ff = false;
    int ch = pgetc(c->fp);
    if (ch == '\f' && c->full_page_printed)
        if ((ch = pgetc(c->fp)) == '\n')
            ch = pgetc(c->fp);
    c->full_page_printed = false;
    if (ch == '\f')
        single_ff = true;
    if (p->last_line)
        c->full_page_printed = true;
    while (ch != '\n') {
        if (ch == '\f') {
            if (p->last_line) {
                if (!p->parallel_files)
                    for (int i = 0; i < p->columns; i++)
                        p->col[i].full_page_printed = false;
                else
                    c->full_page_printed = false;
            }
            if ((ch = pgetc(c->fp)) != '\n')
                pungetc(c->fp, ch);
            hold_file(p, c);
            break;
        }
        if (ch == PR_EOF) {
            close_file(p, c);
            break;
        }
        ch = pgetc(c->fp);
    }
    if (p->skip_count && (!p->parallel_files || column_number == 1) && !single_ff)
        ++p->line_count;
}

static bool skip_to_page(pr *p, uint64_t page)
{
    for (uint64_t n = 1; n < page; ++n) {
        for (int i = 1; i < p->lines_per_body; ++i)
            for (int j = 0; j < p->columns; j++)
                if (p->col[j].status == OPEN)
                    skip_read(p, &p->col[j], j + 1);
        p->last_line = true;
        for (int j = 0; j < p->columns; j++)
            if (p->col[j].status == OPEN)
                skip_read(p, &p->col[j], j + 1);
        if (p->storing_columns)
            for (int j = 0; j < p->columns; j++)
                if (p->col[j].status != CLOSED)
                    p->col[j].status = ON_HOLD;
        reset_status(p);
        p->last_line = false;
        if (p->files_ready_to_read < 1) {
            sh_err(p->sh, "starting page number %llu exceeds page count %llu", (unsigned long long)page,
                   (unsigned long long)n);
            break;
        }
        if (sh_interrupted(p->sh))
            return false;
    }
    return p->files_ready_to_read > 0;
}

/* ---- setting up ------------------------------------------------------------------- */

static bool init_parameters(pr *p, int number_of_files)
{
    int chars_used_by_number = 0;
    p->lines_per_body = p->lines_per_page - 5 - 5;
    if (p->lines_per_body <= 0) {
        p->extremities = false;
        p->keep_ff = true;
    }
    if (!p->extremities)
        p->lines_per_body = p->lines_per_page;
    if (p->double_space)
        p->lines_per_body /= 2;
    if (number_of_files == 0)
        p->parallel_files = false;
    if (p->parallel_files)
        p->columns = number_of_files;
    if (p->storing_columns)
        p->balance_columns = true;
    if (p->columns > 1) {
        if (!p->use_col_separator) {
            p->col_sep_string = p->join_lines ? "\t" : " ";
            p->col_sep_length = 1;
            p->use_col_separator = true;
        } else if (!p->join_lines && p->col_sep_length == 1 && *p->col_sep_string == '\t') {
            p->col_sep_string = " ";
        }
        p->truncate_lines = true;
        if (!(p->col_sep_length == 1 && *p->col_sep_string == '\t'))
            p->untabify_input = true;
        p->tabify_output = true;
    } else {
        p->storing_columns = false;
    }
    if (p->join_lines)
        p->truncate_lines = false;
    if (p->numbered_lines) {
        p->line_count = p->start_line_num;
        p->number_width = p->number_separator == '\t'
                              ? p->chars_per_number + TAB_WIDTH(8, p->chars_per_number)
                              : p->chars_per_number + 1;
        if (p->parallel_files)
            chars_used_by_number = p->number_width;
    }
    int64_t useful = (int64_t)p->chars_per_line - chars_used_by_number -
                     (int64_t)(p->columns - 1) * p->col_sep_length;
    if (useful < 0)
        useful = 0;
    p->chars_per_column = (int)(useful / p->columns);
    if (p->chars_per_column < 1) {
        sh_err(p->sh, "page width too narrow");
        return false;
    }
    return true;
}

static prfile *open_prfile(pr *p, const char *name, const char **shown)
{
    prfile *f = sh_calloc(1, sizeof *f);
    f->pushed = -2;
    if (!strcmp(name, "-")) {
        *shown = "standard input";
        f->s = sh_input(p->sh, "-");
        f->is_stdin = true;
    } else {
        *shown = name;
        f->s = sh_open(p->sh, name, O_RDONLY);
    }
    if (!f->s) {
        p->failed_opens = true;
        if (!p->ignore_failed_opens)
            sh_errno(p->sh, errno, "%s", sh_quote_maybe(p->sh, name));
        free(f);
        return NULL;
    }
    return f;
}

static void close_prfile(pr *p, prfile *f)
{
    if (!f)
        return;
    if (f->failed)
        p->failed_opens = true;
    sh_input_close(p->sh, f->s);
    free(f);
}

static void init_funcs(pr *p)
{
    int h = p->chars_per_margin, h_next;
    if (!p->truncate_lines)
        h_next = ANYWHERE;
    else if (p->parallel_files && p->numbered_lines)
        h_next = h + p->chars_per_column + p->number_width;
    else
        h_next = h + p->chars_per_column;
    h += p->col_sep_length;
    int i = 1;
    column *c = p->col;
    for (; i < p->columns; ++c, ++i) {
        c->stored = c->store_chars = p->storing_columns;
        c->numbered = p->numbered_lines && (!p->parallel_files || i == 1);
        c->start_position = h;
        if (!p->truncate_lines) {
            h = ANYWHERE;
            h_next = ANYWHERE;
        } else {
            h = h_next + p->col_sep_length;
            h_next = h + p->chars_per_column;
        }
    }
    c->stored = c->store_chars = p->storing_columns && p->balance_columns;
    c->numbered = p->numbered_lines && (!p->parallel_files || i == 1);
    c->start_position = h;
}

/* One file, or several in parallel (-m). */
static void print_files(pr *p, int n, char **names)
{
    if (!init_parameters(p, n)) {
        p->failed_opens = true;
        return;
    }
    prfile **files = sh_calloc((size_t)(n ? n : 1), sizeof *files);
    p->col = sh_calloc((size_t)p->columns, sizeof *p->col);
    p->total_files = 0;
    if (p->parallel_files) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            const char *shown;
            prfile *f = open_prfile(p, names[i], &shown);
            if (!f) {
                p->columns--;
                continue;
            }
            files[i] = f;
            p->col[k].fp = f;
            p->col[k].name = shown;
            p->col[k].status = OPEN;
            k++;
            p->total_files++;
        }
        if (p->columns == 0)
            goto done;
        init_header(p, "", NULL);
    } else {
        const char *shown;
        prfile *f = open_prfile(p, n ? names[0] : "-", &shown);
        if (!f)
            goto done;
        files[0] = f;
        p->total_files = 1;
        init_header(p, n ? names[0] : "-", f->s);
        for (int i = 0; i < p->columns; i++) {
            p->col[i].fp = f;
            p->col[i].name = shown;
            p->col[i].status = OPEN;
        }
    }
    p->files_ready_to_read = p->total_files;
    if (p->storing_columns) {
        size_t total = (size_t)p->lines_per_body * (size_t)p->columns;
        p->line_vector = sh_calloc(total + 1, sizeof *p->line_vector);
        p->end_vector = sh_calloc(total + 1, sizeof *p->end_vector);
    }
    if (p->first_page > 1) {
        if (!skip_to_page(p, p->first_page))
            goto done;
        p->page_number = p->first_page;
    } else {
        p->page_number = 1;
    }
    init_funcs(p);
    p->line_number = p->line_count;
    while (print_page(p))
        ;
done:
    for (int i = 0; i < (n ? n : 1); i++)
        close_prfile(p, files[i]);
    free(files);
    free(p->col);
    p->col = NULL;
    free(p->line_vector);
    free(p->end_vector);
    p->line_vector = p->end_vector = NULL;
}

/* -e, -i, -n arguments: [CHAR][NUMBER]. */
static bool getoptarg(pr *p, const char *arg, char opt, char *character, int *number)
{
    if (!isdigit((unsigned char)*arg))
        *character = *arg++;
    if (*arg) {
        int64_t v;
        if (!sh_parse_int(arg, &v) || v <= 0 || v > 1000000 || !isdigit((unsigned char)*arg)) {
            sh_err(p->sh, "'-%c' extra characters or invalid number in the argument: %s", opt, sh_quote(p->sh, arg));
            sh_try_help(p->sh);
            return false;
        }
        *number = (int)v;
    }
    return true;
}

static bool getoptnum(pr *p, const char *s, int64_t min, int *num, const char *msg)
{
    int64_t v;
    if (!sh_parse_int(s, &v) || v < min || v > 0x7fffffff) {
        bool digits = s[0] && strspn(s + (s[0] == '-'), "0123456789") == strlen(s + (s[0] == '-'));
        sh_err(p->sh, "%s: %s%s", msg, sh_quote(p->sh, s), digits ? ": Numerical result out of range" : "");
        return false;
    }
    *num = (int)v;
    return true;
}

/* "FIRST[:LAST]" */
static bool first_last_page(pr *p, const char *s)
{
    char *end;
    errno = 0;
    unsigned long long first = strtoull(s, &end, 10), last = UINT64_MAX;
    if (end == s || !isdigit((unsigned char)*s) || first == 0 || errno)
        return false;
    if (*end == ':') {
        const char *s1 = end + 1;
        last = strtoull(s1, &end, 10);
        if (end == s1 || !isdigit((unsigned char)*s1) || last < first || errno)
            return false;
    }
    if (*end)
        return false;
    p->first_page = first;
    p->last_page = last;
    return true;
}

int util_pr(shctx *sh, int argc, char **argv)
{
    enum { COLUMNS_OPT = 256, PAGES_OPT };
    static const sh_longopt lo[] = {
        {"pages", SH_REQ_ARG, PAGES_OPT}, {"columns", SH_REQ_ARG, COLUMNS_OPT}, {"across", SH_NO_ARG, 'a'},
        {"show-control-chars", SH_NO_ARG, 'c'}, {"double-space", SH_NO_ARG, 'd'},
        {"date-format", SH_REQ_ARG, 'D'}, {"expand-tabs", SH_OPT_ARG, 'e'}, {"form-feed", SH_NO_ARG, 'f'},
        {"header", SH_REQ_ARG, 'h'}, {"output-tabs", SH_OPT_ARG, 'i'}, {"join-lines", SH_NO_ARG, 'J'},
        {"length", SH_REQ_ARG, 'l'}, {"merge", SH_NO_ARG, 'm'}, {"number-lines", SH_OPT_ARG, 'n'},
        {"first-line-number", SH_REQ_ARG, 'N'}, {"indent", SH_REQ_ARG, 'o'},
        {"no-file-warnings", SH_NO_ARG, 'r'}, {"separator", SH_OPT_ARG, 's'}, {"sep-string", SH_OPT_ARG, 'S'},
        {"omit-header", SH_NO_ARG, 't'}, {"omit-pagination", SH_NO_ARG, 'T'},
        {"show-nonprinting", SH_NO_ARG, 'v'}, {"width", SH_REQ_ARG, 'w'}, {"page-width", SH_REQ_ARG, 'W'},
        {"help", SH_NO_ARG, 'H'}, {NULL, 0, 0}};
    pr *p = sh_calloc(1, sizeof *p);
    p->sh = sh;
    p->columns = 1;
    p->extremities = true;
    p->lines_per_page = 66;
    p->chars_per_line = 72;
    p->input_tab_char = p->output_tab_char = '\t';
    p->chars_per_input_tab = p->chars_per_output_tab = 8;
    p->number_separator = '\t';
    p->chars_per_number = 5;
    p->skip_count = true;
    p->start_line_num = 1;
    p->line_count = 1;
    p->col_sep_string = "";
    p->storing_columns = true;
    p->last_page = UINT64_MAX;
    p->now_sec = (int64_t)time(NULL);
    bool old_options = false, old_w = false, old_s = false;
    int status = 0;
    sh_buf digits = {0};
    /* +FIRST[:LAST] operands (before "--") are taken out first */
    char **v = sh_calloc((size_t)argc + 1, sizeof *v);
    int vc = 0;
    for (int i = 0; i < argc; i++) {
        if (i > 0 && !strcmp(argv[i], "--")) {
            for (; i < argc; i++)
                v[vc++] = argv[i];
            break;
        }
        if (i > 0 && argv[i][0] == '+' && p->first_page == 0 && first_last_page(p, argv[i] + 1))
            continue;
        v[vc++] = argv[i];
    }
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, vc, v, "0123456789D:FJN:S::TW:abcde::fh:i::l:mn::o:rs::tvw:", lo)) != -1) {
        if (c >= '0' && c <= '9') {
            sh_buf_addc(&digits, (char)c); /* -12: twelve columns */
            continue;
        }
        if (c != COLUMNS_OPT && digits.len) {
            /* digits end at another option: they stay the column count */
        }
        switch (c) {
        case PAGES_OPT:
            if (!first_last_page(p, st.arg)) {
                sh_err(sh, "invalid page range %s", sh_quote(sh, st.arg));
                goto fail;
            }
            break;
        case COLUMNS_OPT:
            if (!getoptnum(p, st.arg, 1, &p->columns, "invalid number of columns"))
                goto fail;
            p->explicit_columns = true;
            digits.len = 0;
            break;
        case 'a':
            p->across = true;
            p->storing_columns = false;
            break;
        case 'b': p->balance_columns = true; break;
        case 'c': p->use_cntrl = true; break;
        case 'd': p->double_space = true; break;
        case 'D': p->date_format = st.arg; break;
        case 'e':
            if (st.arg && !getoptarg(p, st.arg, 'e', &p->input_tab_char, &p->chars_per_input_tab))
                goto fail;
            p->untabify_input = true;
            break;
        case 'f':
        case 'F': p->use_form_feed = true; break;
        case 'h': p->custom_header = st.arg; break;
        case 'i':
            if (st.arg && !getoptarg(p, st.arg, 'i', &p->output_tab_char, &p->chars_per_output_tab))
                goto fail;
            p->tabify_output = true;
            break;
        case 'J': p->join_lines = true; break;
        case 'l':
            if (!getoptnum(p, st.arg, 1, &p->lines_per_page, "'-l PAGE_LENGTH' invalid number of lines"))
                goto fail;
            break;
        case 'm':
            p->parallel_files = true;
            p->storing_columns = false;
            break;
        case 'n':
            p->numbered_lines = true;
            if (st.arg && !getoptarg(p, st.arg, 'n', &p->number_separator, &p->chars_per_number))
                goto fail;
            break;
        case 'N':
            p->skip_count = false;
            if (!getoptnum(p, st.arg, -0x7fffffffLL - 1, &p->start_line_num,
                           "'-N NUMBER' invalid starting line number"))
                goto fail;
            break;
        case 'o':
            if (!getoptnum(p, st.arg, 0, &p->chars_per_margin, "'-o MARGIN' invalid line offset"))
                goto fail;
            break;
        case 'r': p->ignore_failed_opens = true; break;
        case 's':
            old_options = old_s = true;
            if (!p->use_col_separator && st.arg) {
                p->col_sep_string = st.arg;
                p->col_sep_length = (int)strlen(st.arg);
            }
            break;
        case 'S':
            old_s = false;
            p->col_sep_string = "";
            p->col_sep_length = 0;
            p->use_col_separator = true;
            if (st.arg) {
                p->col_sep_string = st.arg;
                p->col_sep_length = (int)strlen(st.arg);
            }
            break;
        case 't':
            p->extremities = false;
            p->keep_ff = true;
            break;
        case 'T':
            p->extremities = false;
            p->keep_ff = false;
            break;
        case 'v': p->use_esc = true; break;
        case 'w': {
            int w;
            old_options = old_w = true;
            if (!getoptnum(p, st.arg, 1, &w, "'-w PAGE_WIDTH' invalid number of characters"))
                goto fail;
            if (!p->truncate_lines)
                p->chars_per_line = w;
            break;
        }
        case 'W':
            old_w = false;
            p->truncate_lines = true;
            if (!getoptnum(p, st.arg, 1, &p->chars_per_line, "'-W PAGE_WIDTH' invalid number of characters"))
                goto fail;
            break;
        case 'H':
            sh_puts(sh_stdout(sh), "Usage: pr [OPTION]... [FILE]...\n");
            goto out;
        default:
            goto fail;
        }
    }
    if (digits.len) {
        if (!getoptnum(p, digits.data, 1, &p->columns, "invalid number of columns"))
            goto fail;
        p->explicit_columns = true;
    }
    if (!p->date_format)
        p->date_format = "%Y-%m-%d %H:%M";
    if (p->first_page == 0)
        p->first_page = 1;
    if (p->parallel_files && p->explicit_columns) {
        sh_err(sh, "cannot specify number of columns when printing in parallel");
        goto fail;
    }
    if (p->parallel_files && p->across) {
        sh_err(sh, "cannot specify both printing across and printing in parallel");
        goto fail;
    }
    if (old_options) {
        if (old_w) {
            if (p->parallel_files || p->explicit_columns) {
                p->truncate_lines = true;
                if (old_s)
                    p->use_col_separator = true;
            } else {
                p->join_lines = true;
            }
        } else if (!p->use_col_separator) {
            if (old_s && (p->parallel_files || p->explicit_columns)) {
                if (!p->truncate_lines) {
                    p->join_lines = true;
                    if (p->col_sep_length > 0)
                        p->use_col_separator = true;
                } else {
                    p->use_col_separator = true;
                }
            }
        }
    }
    int nfiles = vc - st.ind;
    if (nfiles == 0)
        print_files(p, 0, NULL);
    else if (p->parallel_files)
        print_files(p, nfiles, v + st.ind);
    else
        for (int i = 0; i < nfiles && !sh_interrupted(sh); i++)
            print_files(p, 1, v + st.ind + i);
    if (p->out.len)
        sh_write(sh_stdout(sh), p->out.data, p->out.len);
    status = p->failed_opens ? 1 : 0;
    goto out;
fail:
    if (p->out.len)
        sh_write(sh_stdout(sh), p->out.data, p->out.len);
    status = 1;
out:
    sh_buf_free(&digits);
    sh_buf_free(&p->out);
    free(p->buff);
    free(p->date_text);
    free(p);
    free(v);
    return status;
}
