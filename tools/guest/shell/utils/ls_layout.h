/* ls_layout: GNU ls's one-per-line, -C (columns), -x (across) and -m
 * (commas) layouts of already rendered cells, shared by ls and dir. */
#ifndef LS_LAYOUT_H
#define LS_LAYOUT_H

#include "../shell.h"

typedef enum { LS_ONE_PER_LINE, LS_LONG, LS_COLUMNS, LS_ACROSS, LS_COMMAS } ls_format;

typedef struct {
    const char *text;
    size_t len; /* bytes */
    size_t wid; /* columns on a terminal (control bytes take none) */
} ls_cell;

/* The columns a name takes: its bytes less control bytes (C locale). */
size_t ls_width_of(const char *s, size_t len);

/* Appends the cells laid out as FORMAT (not LS_LONG) for a line of WIDTH
 * columns (0: unlimited), padding with tabs every TABSIZE columns as
 * GNU's does (0: spaces only). */
void ls_layout(sh_buf *b, const ls_cell *cells, size_t n, ls_format format, size_t width, size_t tabsize);

#endif
