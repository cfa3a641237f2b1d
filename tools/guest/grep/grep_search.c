/* Searching one file's bytes and printing what was selected, with context.
 *
 * Line mode: each line (without its \n) is matched on its own, so ^ and $
 * are the line's ends and no match spans lines. Lines are not visited one
 * by one when the pattern has a literal every match contains: the literal
 * is looked for in the whole buffer (rx_candidate) and only the line holding
 * it is run through the VM. Multiline mode: the whole buffer is searched,
 * and every line a match touches is printed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grep_internal.h"

typedef struct {
    grep_state *g;
    const char *name;
    const char *buf;
    size_t len;
    size_t printed_end;  /* offset after the last printed line, 0 if none */
    size_t printed_line; /* its number, 0 if none */
    size_t after_left;   /* after-context lines still to print */
    int binary;
    char eol; /* the line terminator: '\n', or NUL with nul_lines */
} file_out;

void grep_emit_line(grep_state *g, const char *s, size_t n) {
    if (g->stop) return;
    if (g->o->head_limit && g->out_lines >= g->o->head_limit) {
        g->res->truncated = 1;
        g->stop = 1;
        return;
    }
    g->out_lines++;
    g->out->write(g->out->ctx, s, n);
}

/* Where the line holding offset at ends (its \n, or len). */
static size_t line_end(const file_out *f, size_t at) {
    const char *nl = at < f->len ? rx_memchr(f->buf + at, f->eol, f->len - at) : NULL;
    return nl ? (size_t)(nl - f->buf) : f->len;
}

/* Where the line holding offset at begins. */
static size_t line_start(const file_out *f, size_t at) {
    while (at > 0 && f->buf[at - 1] != f->eol) at--;
    return at;
}

/* How many eol bytes s[0..n) holds: 8 bytes a step, counting the zero
 * bytes of w ^ eol exactly (no borrow between bytes) with a popcount; one
 * rx_memchr call a line cost ~200 wasm instructions a line. */
static size_t count_newlines(const char *s, size_t n, char eol) {
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full, rep = 0x0101010101010101ull * (uint8_t)eol;
    size_t c = 0;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        w ^= rep;
        /* a byte's high bit is set exactly when the byte is zero */
        c += (size_t)__builtin_popcountll(~(((w & low7) + low7) | w | low7));
    }
    for (; n; s++, n--) c += *s == eol;
    return c;
}

/* Writes "name:" and "N:" (sep ':' for selected lines, '-' for context)
 * before text (cut at max_columns, on a UTF-8 character boundary). */
static void print_one(file_out *f, size_t lineno, char sep, const char *text, size_t n) {
    grep_state *g = f->g;
    const grep_opts *o = g->o;
    char num[32];
    size_t cut = n;
    if (o->max_columns && n > o->max_columns) {
        cut = o->max_columns;
        while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80) cut--;
    }
    size_t nl = strlen(f->name);
    size_t total = (g->show_names ? nl + 1 : 0) + 32 + cut + 48;
    char stack[512];
    char *line = total <= sizeof stack ? stack : malloc(total);
    if (!line) return;
    size_t w = 0;
    if (g->show_names) {
        memcpy(line, f->name, nl);
        line[nl] = o->null_after_name ? '\0' : sep;
        w = nl + 1;
    }
    if (o->line_numbers) { /* by hand: snprintf costs thousands of wasm instructions a line */
        size_t k = sizeof num;
        num[--k] = sep;
        do num[--k] = (char)('0' + lineno % 10);
        while ((lineno /= 10) && k);
        memcpy(line + w, num + k, sizeof num - k);
        w += sizeof num - k;
    }
    memcpy(line + w, text, cut);
    w += cut;
    if (cut < n) w += (size_t)snprintf(line + w, 48, " [... %zu more bytes]", n - cut);
    line[w++] = f->eol;
    grep_emit_line(g, line, w);
    if (line != stack) free(line);
}

/* Prints the line starting at start, numbered lineno. With context, "--"
 * comes between groups that are not adjacent: within a file, and before a
 * file's first group when an earlier file printed lines (as GNU grep and
 * ripgrep do). */
static void print_line(file_out *f, size_t start, size_t lineno, char sep) {
    const grep_opts *o = f->g->o;
    int apart = f->printed_line ? lineno > f->printed_line + 1 : f->g->out_lines > 0;
    if ((o->before || o->after) && apart) grep_emit_line(f->g, "--\n", 3);
    size_t end = line_end(f, start);
    print_one(f, lineno, sep, f->buf + start, end - start);
    f->printed_line = lineno;
    f->printed_end = end < f->len ? end + 1 : f->len;
}

/* Prints the pending after-context lines that come before offset limit. */
static void flush_after(file_out *f, size_t limit) {
    while (f->after_left && f->printed_end < limit && f->printed_end < f->len) {
        print_line(f, f->printed_end, f->printed_line + 1, '-');
        f->after_left--;
    }
}

/* Prints the before-context of the line at start (number lineno). */
static void print_before(file_out *f, size_t start, size_t lineno) {
    size_t first = start, n = 0;
    while (n < f->g->o->before && first > f->printed_end && first > 0) {
        first = line_start(f, first - 1);
        n++;
    }
    for (size_t k = 0; k < n; k++) {
        print_line(f, first, lineno - n + k, '-');
        first = f->printed_end;
    }
}

/* -o: each non-empty match in buf[start..end) on its own line. */
static void print_matches(file_out *f, size_t start, size_t end, size_t lineno) {
    rx_iter it = RX_ITER_INIT;
    rx_span m;
    while (!f->g->stop && rx_find_next(f->g->prog, f->buf + start, end - start, &it, &m, 1))
        if (m.end > m.start) print_one(f, lineno, ':', f->buf + start + m.start, m.end - m.start);
}

/* Lines first..last (offsets of their starts, numbers from lineno) are
 * selected; the match is buf[span_s..span_e) (the whole line in line mode). */
static void select_lines(file_out *f, size_t first, size_t last, size_t lineno, size_t span_s,
                         size_t span_e) {
    grep_state *g = f->g;
    const grep_opts *o = g->o;
    if (o->quiet) {
        g->stop = 1;
        return;
    }
    if (o->mode != GREP_CONTENT) return;
    if (f->binary && o->binary == GREP_BINARY_NOTE) { /* GNU grep 3.8: a note on stderr */
        if (g->err && g->err->write) {
            g->err->write(g->err->ctx, f->name, strlen(f->name));
            g->err->write(g->err->ctx, ": binary file matches\n", 22);
        }
        return;
    }
    if (f->binary) { /* GREP_BINARY_MATCHES: a note instead of the bytes */
        size_t nl = strlen(f->name);
        char *line = malloc(nl + 32);
        if (line) {
            int w = snprintf(line, nl + 32, "Binary file %s matches\n", f->name);
            grep_emit_line(g, line, (size_t)w);
            free(line);
        }
        return;
    }
    flush_after(f, first);
    if (o->only_matching) {
        if (o->invert) return; /* nothing of a non-matching line matched */
        if (o->multiline) print_one(f, lineno, ':', f->buf + span_s, span_e - span_s);
        else print_matches(f, span_s, span_e, lineno);
        return;
    }
    print_before(f, first, lineno);
    size_t at = first, n = lineno;
    while (at < f->printed_end && at <= last) { /* already printed by an earlier match */
        at = line_end(f, at) + 1;
        n++;
    }
    for (; at <= last && at < f->len && !g->stop; n++) {
        print_line(f, at, n, ':');
        at = f->printed_end;
    }
    f->after_left = o->after;
}

static size_t search_lines(file_out *f) {
    grep_state *g = f->g;
    const grep_opts *o = g->o;
    /* Lines can be skipped unless every line must be looked at (context
     * needs none: skipped lines are found again by walking back). */
    int skip = !o->invert;
    size_t pos = 0, lineno = 1, selected = 0;
    while (pos < f->len && !g->stop) {
        if (skip) {
            size_t cand = rx_candidate(g->prog, f->buf, f->len, pos);
            if (cand == RX_NOPOS) break;
            size_t ls = line_start(f, cand);
            if (ls > pos) {
                /* line numbers are printed in content mode only */
                if (o->mode == GREP_CONTENT) lineno += count_newlines(f->buf + pos, ls - pos, f->eol);
                pos = ls;
            }
        }
        size_t end = line_end(f, pos);
        int hit = rx_is_match(g->prog, f->buf + pos, end - pos) != o->invert;
        if (hit) {
            selected++;
            select_lines(f, pos, pos, lineno, pos, end);
            if (o->mode == GREP_FILES_WITH_MATCHES || o->mode == GREP_FILES_WITHOUT_MATCH ||
                (f->binary && o->mode == GREP_CONTENT) ||
                (o->max_count && selected >= o->max_count))
                break;
        }
        pos = end + 1;
        lineno++;
    }
    return selected;
}

static size_t search_multiline(file_out *f) {
    grep_state *g = f->g;
    const grep_opts *o = g->o;
    rx_iter it = RX_ITER_INIT;
    rx_span m;
    size_t at = 0, lineno = 1, selected = 0; /* lineno is the number of the line at `at` */
    while (!g->stop && rx_find_next(g->prog, f->buf, f->len, &it, &m, 1)) {
        if (m.start == f->len && (f->len == 0 || f->buf[f->len - 1] == '\n'))
            break; /* an empty match after the last line is on no line */
        size_t first = line_start(f, m.start);
        lineno += count_newlines(f->buf + at, first - at, f->eol);
        at = first;
        size_t last = line_start(f, m.end > m.start ? m.end - 1 : m.start);
        selected++;
        select_lines(f, first, last, lineno, m.start, m.end);
        if (o->mode == GREP_FILES_WITH_MATCHES || o->mode == GREP_FILES_WITHOUT_MATCH ||
            (f->binary && o->mode == GREP_CONTENT) || (o->max_count && selected >= o->max_count))
            break;
    }
    return selected;
}

size_t grep_buffer(grep_state *g, const char *name, const char *buf, size_t len, int binary) {
    file_out f = {g, name, buf, len, 0, 0, 0, binary, g->o->nul_lines ? '\0' : '\n'};
    size_t n = g->o->multiline && !g->o->invert ? search_multiline(&f) : search_lines(&f);
    if (g->o->mode == GREP_CONTENT && !binary) flush_after(&f, len);
    return n;
}
