/* table: an HTML table collected cell by cell, then written as a Markdown
 * table (the first row as its header), as tab-separated rows in text, or,
 * when it has one column (a layout table), as the blocks its cells hold. */
#ifndef WF_TABLE_H
#define WF_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "writer.h"

/* Columns of a table; cells past the last are joined to it. */
#define WF_MAX_COLUMNS 64

typedef struct {
    char *text; /* the cell's Markdown or text, lines and all */
    size_t len;
    int row;
} wf_cell;

typedef struct {
    wf_cell *cells;
    size_t n, cap;
    int row;       /* the current row's number; -1 before the first */
    int row_cells; /* columns in it so far */
    int writer;    /* the converter's: which writer the table goes into */
} wf_table;

/* A new row starts (a row without cells leaves nothing). */
void wf_table_row(wf_table *t);
/* A cell of the current row, then colspan - 1 empty ones. False when out
 * of memory. */
bool wf_table_cell(wf_table *t, const char *text, size_t len, int colspan);
/* The table into w. False when out of memory. */
bool wf_table_render(const wf_table *t, writer *w, bool markdown);
void wf_table_free(wf_table *t);

#endif
