/* writer: the output model of the HTML converter. Text goes in with HTML's
 * white space; out comes lines of Markdown (or plain text) the way a
 * browser lays the page out:
 *
 * - White space collapses: a run of spaces, tabs and newlines is one space,
 *   none at the start or end of a line (U+00A0 is not white space).
 * - Breaks are asked for, not written: a block asks for a line break (1) or
 *   a blank line (2) before and after itself; the largest request is
 *   written only when more text follows, so empty blocks leave nothing and
 *   the output never starts or ends with blank lines.
 * - Boxes (block quotes "> ", list items "- " / "1. ") put a prefix on
 *   every line written while they are open; an item's marker goes on its
 *   first line, and the lines after it are indented to the marker's width.
 * - Marks (emphasis "**", a heading's "## ") are written just before the
 *   first text inside them, so an empty <b></b> or <h2></h2> leaves
 *   nothing, and spaces move outside them ("**bold** text"). A mark open
 *   across a line break is closed before it and opened again after it.
 * - Text is escaped for Markdown where it would otherwise be read as
 *   markup (README.md lists what and why).
 *
 * A writer is one of: the page (block mode); a capture (inline mode: link
 * text, a code span, where breaks are spaces); a preformatted block (raw:
 * text kept as it is); a table cell (block mode). Captures and
 * cells are written into their parent writer when they end. */
#ifndef WF_WRITER_H
#define WF_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/wbtool.h"

#define W_MAX_BOXES 32 /* deeper quotes and lists get no more indentation */
#define W_MAX_MARKS 16

typedef enum { W_BLOCK, W_INLINE, W_RAW } w_mode;

typedef struct {
    char marker[16]; /* "> " or a list marker */
    unsigned char width;
    bool quote;
    bool marker_done;
} w_box;

typedef struct {
    char open[8], close[4];
    bool emitted;
} w_mark;

typedef struct writer {
    wt_buf buf;
    w_mode mode;
    bool markdown;      /* Markdown escaping and marks; false: plain text */
    bool escape;        /* escape Markdown characters in text (false in code) */
    bool plain;         /* a code span or preformatted text: no markup inside */
    int pending_break;  /* 0, 1 or 2, the largest asked for since the last text */
    int at_break;       /* line breaks written since the last text (0-2) */
    bool pending_space;
    bool lead_space;    /* inline: white space came before any text */
    bool line_has_text; /* the current line has text after its prefix */
    int single_line;    /* > 0 (headings): breaks are spaces */
    w_box box[W_MAX_BOXES];
    int nbox, nbox_over;
    w_mark mark[W_MAX_MARKS];
    int nmark, nmark_over;
} writer;

void w_init(writer *w, w_mode mode, bool markdown);
void w_free(writer *w);

/* Text as HTML has it (character references decoded). */
void w_text(writer *w, const char *s, size_t n);
/* Markup made by the converter (a link, an image, a code span): written as
 * it is, where the next text would go. */
void w_markup(writer *w, const char *s, size_t n);
/* A block of lines written as they are (a code block, a table), each with
 * the boxes' prefix, a blank line before and after. */
void w_lines(writer *w, const char *s, size_t n);
/* A break of 1 (new line) or 2 (blank line); <br> adds one to what is
 * asked for (so two make a blank line). In inline mode both are spaces. */
void w_break(writer *w, int n);
void w_br(writer *w);
void w_space(writer *w);

void w_box_push(writer *w, bool quote, const char *marker);
void w_box_pop(writer *w);
void w_mark_push(writer *w, const char *open, const char *close);
void w_mark_pop(writer *w);

/* The text written, with no trailing white space; *n its length. */
const char *w_result(writer *w, size_t *n);

#endif
