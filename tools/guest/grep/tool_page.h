/* The grep tool's output, paged and capped: the lines the search core writes
 * go through a page that skips `offset` of them, shows at most `head_limit`
 * and at most a fixed number of bytes, and counts what it left out, so the
 * result can say how much there was and where to read on. */
#ifndef WB_GREP_TOOL_PAGE_H
#define WB_GREP_TOOL_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/wbtool.h"

typedef struct {
    wt_buf text;      /* the lines shown */
    size_t offset;    /* lines to skip first */
    size_t limit;     /* lines to show at most (0: no limit) */
    size_t max_bytes; /* text never grows past this */
    size_t total;     /* lines the search wrote (separators not counted) */
    size_t shown;     /* lines in text (separators not counted) */
    size_t left_out;  /* lines after the page */
    bool cut_by_size; /* the page ended at max_bytes, not at limit */
    bool separator;   /* a "--" (between context groups) waits for its next line */
} grep_page;

/* A grep_sink write: the core writes one whole output line, "\n" included,
 * per call (grep_emit_line). "--" separators are shown only between two shown lines and are not
 * counted; a line's "\r\n" is shown as "\n" (read shows CRLF lines so too). */
void grep_page_write(void *page, const char *line, size_t n);

/* The unreadable paths the core reports ("PATH: reason" lines): counted,
 * the first GREP_PROBLEMS_KEPT kept for the result. */
#define GREP_PROBLEMS_KEPT 3
typedef struct {
    wt_buf text; /* "PATH: reason; PATH: reason" */
    wt_buf line; /* the line being written */
    size_t count;
} grep_problems;

/* A grep_sink write for the core's error lines (a line may come in pieces). */
void grep_problems_write(void *problems, const char *line, size_t n);

#endif
