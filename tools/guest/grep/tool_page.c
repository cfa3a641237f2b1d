/* The grep tool's page of output and its list of unreadable paths. */
#include <string.h>

#include "tool_page.h"

void grep_page_write(void *ctx, const char *line, size_t n)
{
    grep_page *p = ctx;
    if (n == 3 && memcmp(line, "--\n", 3) == 0) {
        p->separator = true;
        return;
    }
    p->total++;
    if (p->total <= p->offset) {
        p->separator = false;
        return;
    }
    /* Once a line is left out, every later one is: a page is a run of lines. */
    if (p->left_out || (p->limit && p->shown == p->limit)) {
        p->left_out++;
        return;
    }
    size_t body = n; /* the line without its \n, and without the \r of a CRLF */
    if (body && line[body - 1] == '\n')
        body--;
    if (body && line[body - 1] == '\r')
        body--;
    bool sep = p->separator && p->shown;
    if (p->text.len + body + 1 + (sep ? 3 : 0) > p->max_bytes) {
        p->cut_by_size = true;
        p->left_out++;
        return;
    }
    if (sep)
        wt_buf_add(&p->text, "--\n", 3);
    p->separator = false;
    wt_buf_add(&p->text, line, body);
    wt_buf_addc(&p->text, '\n');
    p->shown++;
}

void grep_problems_write(void *ctx, const char *s, size_t n)
{
    grep_problems *p = ctx;
    for (size_t i = 0; i < n; i++) { /* the core writes a line in pieces */
        if (s[i] != '\n') {
            if (p->count < GREP_PROBLEMS_KEPT)
                wt_buf_addc(&p->line, s[i]);
            continue;
        }
        if (p->count++ < GREP_PROBLEMS_KEPT) {
            if (p->text.len)
                wt_buf_adds(&p->text, "; ");
            wt_buf_add(&p->text, p->line.data ? p->line.data : "", p->line.len);
            p->line.len = 0;
        }
    }
}
