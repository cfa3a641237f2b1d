/* The numbered listing, streamed: the file is read in blocks and only the
 * lines shown are kept, so a huge file or a huge line costs time, not
 * memory. Lines are found 8 bytes a step and only the kept part of a line
 * is looked at byte by byte (this runs in an interpreter). */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "read.h"

#define BLOCK (64u << 10)

typedef struct {
    wt_buf *out;
    size_t start;      /* where the line's number begins in out */
    size_t text;       /* where its text begins */
    uint64_t dropped;  /* bytes past the cut */
    bool cut;
    bool dropped_cr;   /* the last dropped byte was '\r' */
} shown_line;

/* The "%6llu\t" before each line. printf costs thousands of instructions
 * a line here, and even dividing by 10 for each digit was a fifth of a
 * listing's instructions: the text of the number is kept and counted up in
 * place from one line to the next (lines shown are consecutive), and only
 * made afresh for the first line or past 999999. */
typedef struct {
    char text[7];    /* "%6llu\t" while number <= 999999 */
    uint64_t number; /* what text says; 0: nothing yet */
} line_number;

static void number_text(line_number *n, uint64_t number)
{
    char *d = n->text + 6;
    *d = '\t';
    do
        *--d = (char)('0' + number % 10);
    while ((number /= 10) > 0 && d > n->text);
    while (d > n->text)
        *--d = ' ';
}

static void number_next(line_number *n)
{
    char *d = n->text + 5;
    for (;;) {
        if (*d == '9') {
            *d-- = '0'; /* and carry: there is a digit or a space before (number < 999999) */
        } else {
            *d = *d == ' ' ? '1' : (char)(*d + 1);
            break;
        }
    }
    n->number++;
}

static void line_begin(shown_line *l, wt_buf *out, line_number *n, uint64_t number)
{
    *l = (shown_line){.out = out, .start = out->len};
    if (number > 999999) { /* wider than the field: as printf would, in full */
        wt_buf_printf(out, "%6" PRIu64 "\t", number);
    } else {
        if (n->number && n->number + 1 == number)
            number_next(n);
        else
            number_text(n, n->number = number);
        wt_buf_add(out, n->text, sizeof n->text);
    }
    l->text = out->len;
}

/* Where the next '\n' is (memchr's job: wasi-libc's costs ~8 instructions
 * a byte in the interpreter; this ~2): 8 bytes a step, the classic test for
 * a zero byte on the word XOR '\n' in every byte. */
static const unsigned char *find_newline(const unsigned char *p, const unsigned char *end)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    while (end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        w ^= ones * '\n';
        if ((w - ones) & ~w & highs)
            break;
        p += 8;
    }
    for (; p < end; p++)
        if (*p == '\n')
            return p;
    return NULL;
}

/* Characters are counted only once a line has more bytes than the cut
 * allows characters (a character is at least one byte), so ordinary lines
 * are copied without a look at each byte. */
static void line_feed(shown_line *l, const unsigned char *p, size_t n)
{
    if (l->cut) {
        l->dropped += n;
        l->dropped_cr = n && p[n - 1] == '\r';
        return;
    }
    wt_buf *out = l->out;
    if (!wt_buf_add(out, p, n) || out->len - l->text <= READ_MAX_LINE_CHARS)
        return;
    size_t chars = 0, i = l->text;
    for (; i < out->len; i++) {
        if (((unsigned char)out->data[i] & 0xC0) != 0x80 && ++chars > READ_MAX_LINE_CHARS)
            break;
    }
    if (i < out->len) { /* past the cut: drop the rest */
        l->cut = true;
        l->dropped = out->len - i;
        l->dropped_cr = out->data[out->len - 1] == '\r';
        out->len = i;
        out->data[i] = 0;
    }
}

static void line_end(shown_line *l)
{
    wt_buf *out = l->out;
    uint64_t more = l->dropped - l->dropped_cr; /* a CRLF's CR is no content */
    if (more) {
        wt_buf_printf(out, " ... [line truncated: %" PRIu64 " more bytes]", more);
    } else if (out->len > l->text && out->data[out->len - 1] == '\r') {
        out->len--; /* CRLF shown as a line end */
    }
    wt_buf_addc(out, '\n');
}

static const char *plural(uint64_t n)
{
    return n == 1 ? "" : "s";
}

int list_lines(int fd, const char *path, uint64_t first, uint64_t limit, wt_buf *out)
{
    static unsigned char block[BLOCK];
    uint64_t number = 1; /* of the line being read */
    uint64_t shown = 0, bytes = 0;
    size_t listing = out->len;
    bool in_line = false, more = false, capped = false;
    shown_line l = {0};
    line_number numbers = {.number = 0};
    if (first == 0)
        first = 1;
    while (!more) {
        ssize_t got = read(fd, block, sizeof block);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return errno;
        if (got == 0)
            break;
        bytes += (uint64_t)got;
        const unsigned char *p = block, *end = block + got;
        while (p < end) {
            const unsigned char *nl = find_newline(p, end);
            const unsigned char *seg_end = nl ? nl : end;
            if (number < first) {
                in_line = !nl;
            } else if (shown == limit) {
                more = true; /* bytes remain: a next line exists */
                break;
            } else {
                if (!in_line)
                    line_begin(&l, out, &numbers, number);
                in_line = true;
                line_feed(&l, p, (size_t)(seg_end - p));
                if (nl) {
                    size_t before = l.start;
                    line_end(&l);
                    in_line = false;
                    if (out->len - listing > READ_MAX_TEXT) {
                        out->len = before; /* this line is shown next time */
                        out->data[out->len] = 0;
                        capped = more = true;
                        break;
                    }
                    shown++;
                }
            }
            if (nl)
                number++;
            p = nl ? nl + 1 : end;
        }
    }
    if (in_line && !more) { /* a last line without '\n' */
        if (number >= first) {
            line_end(&l);
            shown++;
        }
        number++;
    }
    if (out->failed)
        return ENOMEM;
    uint64_t total = number - 1; /* when the whole file was read */
    if (capped)
        wt_buf_printf(out, "[listing cut at %u KiB; read on with offset=%" PRIu64 "]\n", READ_MAX_TEXT >> 10,
                      number);
    else if (more)
        wt_buf_printf(out, "[more lines follow; read on with offset=%" PRIu64 "]\n", number);
    else if (bytes == 0)
        wt_buf_printf(out, "[%s is empty]\n", path);
    else if (shown == 0)
        wt_buf_printf(out, "[offset %" PRIu64 " is past the end: %s has %" PRIu64 " line%s]\n", first, path,
                      total, plural(total));
    return out->failed ? ENOMEM : 0;
}
