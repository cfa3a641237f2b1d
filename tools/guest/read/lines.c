/* The numbered listing, streamed and written already escaped for JSON: the
 * file is read in blocks and only the lines shown are kept, so a huge file
 * or a huge line costs time, not memory.
 *
 * This runs in an interpreter, over every byte of every file read, so each
 * byte is looked at once: the JSON writer's 8-bytes-a-step scan for a byte
 * that needs an escape (wt_json_plain_run) also finds the '\n' that ends a
 * line (a control byte like any other to it), and the plain runs between
 * are copied whole. (Finding lines first and escaping the listing after
 * cost twice the instructions.) Lines skipped before the offset are only
 * searched for their '\n'.
 *
 * What is shown, and its size against READ_MAX_TEXT, is counted in the
 * file's bytes ("raw"), not in the escaped text: a line is cut after
 * READ_MAX_LINE_CHARS characters (bytes that do not continue a UTF-8
 * sequence), a CR before '\n' is no content, and invalid UTF-8 becomes
 * U+FFFD as wt_json_add_escaped does it. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "read.h"

#define BLOCK (64u << 10)

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

typedef struct {
    wt_buf *out;        /* the escaped listing */
    uint64_t raw;       /* its length as text (what READ_MAX_TEXT bounds) */
    line_number numbers;
    /* the line being shown */
    size_t start;       /* out->len where its number begins */
    uint64_t raw_start; /* raw there */
    uint64_t chars;     /* characters of its text shown */
    uint64_t dropped;   /* bytes past the cut */
    bool cut;
    bool dropped_cr;    /* the last dropped byte was '\r' */
    bool last_cr;       /* the last byte shown was '\r' */
} listing;

/* n escaped bytes to the listing (standing for `raw` bytes of text). */
static void put(listing *L, const void *p, size_t n, size_t raw)
{
    wt_buf *out = L->out;
    if (out->cap - out->len <= n && !wt_buf_reserve(out, n))
        return; /* out->failed: list_lines reports ENOMEM */
    memcpy(out->data + out->len, p, n);
    out->len += n;
    L->raw += raw;
}

static void line_begin(listing *L, uint64_t number)
{
    L->start = L->out->len;
    L->raw_start = L->raw;
    L->chars = L->dropped = 0;
    L->cut = L->dropped_cr = L->last_cr = false;
    line_number *n = &L->numbers;
    if (number > 999999) { /* wider than the field: as printf would, in full */
        char text[32];
        int len = snprintf(text, sizeof text, "%" PRIu64 "\\t", number);
        put(L, text, (size_t)len, (size_t)len - 1);
        return;
    }
    if (n->number && n->number + 1 == number)
        number_next(n);
    else
        number_text(n, n->number = number);
    put(L, n->text, 6, 6);
    put(L, "\\t", 2, 1);
}

/* Where the next '\n' is, for lines skipped before the offset and past a
 * cut (memchr's
 * job: wasi-libc's costs ~8 instructions a byte in the interpreter, this
 * ~4): 8 bytes a step, the classic test for a zero byte on the word XOR
 * '\n' in every byte. */
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

/* The rest of the line (n bytes from p) is past the cut. */
static void drop(listing *L, const unsigned char *p, size_t n)
{
    L->cut = true;
    L->dropped += n;
    if (n)
        L->dropped_cr = p[n - 1] == '\r';
}

/* One byte that wt_json_plain_run stopped at (never '\n'), with what
 * follows it on the line (n bytes in all): shown escaped, or as the UTF-8
 * sequence it begins, or as U+FFFD. Returns the bytes it took. */
static size_t put_special(listing *L, const unsigned char *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char c = p[0];
    L->last_cr = c == '\r';
    if (c >= 0x80) {
        uint32_t cp;
        size_t k = wt_utf8_seq(p, n, &cp);
        if (k)
            put(L, p, k, k);
        else
            put(L, "\xEF\xBF\xBD", 3, 1);
        return k ? k : 1;
    }
    char e[6] = {'\\', 0};
    size_t len = 2;
    switch (c) {
    case '"': e[1] = '"'; break;
    case '\\': e[1] = '\\'; break;
    case '\t': e[1] = 't'; break;
    case '\r': e[1] = 'r'; break;
    case '\b': e[1] = 'b'; break;
    case '\f': e[1] = 'f'; break;
    default: /* other controls and DEL */
        e[1] = 'u', e[2] = '0', e[3] = '0', e[4] = hex[c >> 4], e[5] = hex[c & 15];
        len = 6;
    }
    put(L, e, len, 1);
    return 1;
}

/* The line being shown, from p on: its bytes up to its '\n' (returned) or
 * to end (NULL returned: the line goes on in the next block). Characters
 * are counted as the text's bytes that do not continue a sequence, and the
 * cut falls before the first one past READ_MAX_LINE_CHARS; what is past it
 * is only counted (and searched for the '\n'). */
static const unsigned char *line_feed(listing *L, const unsigned char *p, const unsigned char *end)
{
    while (!L->cut) {
        size_t n = (size_t)(end - p);
        size_t run = wt_json_plain_run(p, n);
        if (run > READ_MAX_LINE_CHARS - L->chars) { /* plain bytes: a character each */
            size_t keep = (size_t)(READ_MAX_LINE_CHARS - L->chars);
            if (keep)
                L->last_cr = false;
            put(L, p, keep, keep);
            p += keep;
            break;
        }
        if (run) {
            put(L, p, run, run);
            L->chars += run;
            L->last_cr = false;
            p += run;
        }
        if (p == end)
            return NULL;
        if (*p == '\n')
            return p;
        bool starts_char = (*p & 0xC0) != 0x80;
        if (starts_char && L->chars == READ_MAX_LINE_CHARS)
            break;
        L->chars += starts_char;
        /* a sequence's continuation bytes count for nothing, as above */
        p += put_special(L, p, (size_t)(end - p));
    }
    /* past the cut */
    const unsigned char *nl = find_newline(p, end);
    drop(L, p, (size_t)((nl ? nl : end) - p));
    return nl;
}

static void line_end(listing *L)
{
    uint64_t more = L->dropped - L->dropped_cr; /* a CRLF's CR is no content */
    if (more) {
        char text[64];
        int len = snprintf(text, sizeof text, " ... [line truncated: %" PRIu64 " more bytes]", more);
        put(L, text, (size_t)len, (size_t)len);
    } else if (L->last_cr && L->out->len >= L->start + 2) {
        L->out->len -= 2; /* "\r": CRLF shown as a line end */
        L->raw -= 1;
    }
    put(L, "\\n", 2, 1);
}

/* A note after the listing, on a line of its own (escaped: it may hold the
 * path, which may hold anything). */
static void note(listing *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(listing *L, const char *fmt, ...)
{
    wt_buf text = {0};
    va_list ap;
    va_start(ap, fmt);
    if (!wt_buf_vprintf(&text, fmt, ap) || !wt_json_add_escaped(L->out, text.data, text.len))
        L->out->failed = true;
    va_end(ap);
    wt_buf_free(&text);
}

static const char *plural(uint64_t n)
{
    return n == 1 ? "" : "s";
}

/* How many bytes at the end of a block (n bytes) begin a UTF-8 sequence
 * the block cuts short: they are held back for the next block, so that a
 * character read in two pieces is not taken for two bad bytes. */
static size_t cut_sequence(const unsigned char *p, size_t n)
{
    for (size_t back = 1; back <= 3 && back <= n; back++) {
        unsigned char c = p[n - back];
        if ((c & 0xC0) == 0x80)
            continue; /* a continuation: look further back for its lead */
        size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        return need > back ? back : 0;
    }
    return 0;
}

int list_lines(int fd, const char *path, uint64_t first, uint64_t limit, wt_buf *out)
{
    static unsigned char block[BLOCK];
    uint64_t number = 1; /* of the line being read */
    uint64_t shown = 0, bytes = 0;
    bool in_line = false, more = false, capped = false, eof = false;
    listing L = {.out = out};
    size_t held = 0; /* bytes at the start of block held back from the last read */
    if (first == 0)
        first = 1;
    if (!wt_buf_reserve(out, 0))
        return ENOMEM;
    while (!more && !eof) {
        ssize_t got = read(fd, block + held, sizeof block - held);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return errno;
        bytes += (uint64_t)got;
        size_t have = held + (size_t)got;
        eof = got == 0;
        if (have == 0)
            break;
        /* at the end of the file nothing is held: a cut sequence is bad */
        size_t hold = eof ? 0 : cut_sequence(block, have);
        const unsigned char *p = block, *end = block + have - hold;
        while (p < end) {
            if (number < first) {
                const unsigned char *nl = find_newline(p, end);
                in_line = !nl;
                if (!nl)
                    break;
                number++;
                p = nl + 1;
                continue;
            }
            if (shown == limit) {
                more = true; /* bytes remain: a next line exists */
                break;
            }
            if (!in_line)
                line_begin(&L, number);
            in_line = true;
            const unsigned char *nl = line_feed(&L, p, end);
            if (!nl) {
                p = end;
                break;
            }
            line_end(&L);
            in_line = false;
            if (L.raw > READ_MAX_TEXT) {
                out->len = L.start; /* this line is shown next time */
                L.raw = L.raw_start;
                capped = more = true;
                break;
            }
            shown++;
            number++;
            p = nl + 1;
        }
        memmove(block, block + have - hold, hold);
        held = hold;
    }
    if (in_line && !more) { /* a last line without '\n' */
        if (number >= first) {
            line_end(&L);
            shown++;
        }
        number++;
    }
    if (out->failed)
        return ENOMEM;
    uint64_t total = number - 1; /* when the whole file was read */
    if (capped)
        note(&L, "[listing cut at %u KiB; read on with offset=%" PRIu64 "]\n", READ_MAX_TEXT >> 10,
             number);
    else if (more)
        note(&L, "[more lines follow; read on with offset=%" PRIu64 "]\n", number);
    else if (bytes == 0)
        note(&L, "[%s is empty]\n", path);
    else if (shown == 0)
        note(&L, "[offset %" PRIu64 " is past the end: %s has %" PRIu64 " line%s]\n", first, path,
             total, plural(total));
    if (!out->failed)
        out->data[out->len] = 0;
    return out->failed ? ENOMEM : 0;
}
