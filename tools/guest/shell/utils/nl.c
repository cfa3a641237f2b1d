/* nl: GNU's. Numbers lines: -b/-h/-f STYLE for the body, header and
 * footer (a all, t non-empty, n none, pBRE those matching), -v first
 * number, -i increment, -l N blank lines as one (with a), -n ln/rn/rz,
 * -w width, -s separator, -d CC section delimiter (\: by default; lines
 * "\:\:\:", "\:\:", "\:" start a header, body, footer and print empty),
 * -p no restart at each section. Regular expressions are wasi-libc's
 * BREs. */
#include "../shell.h"

#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

enum { SEC_HEADER, SEC_BODY, SEC_FOOTER };

typedef struct {
    char style[3];   /* 'a', 't', 'n', 'p' per section */
    regex_t rx[3];
    bool have_rx[3];
    int64_t start, incr, join;
    int width;
    char fmt;        /* 'l' ln, 'r' rn, 'z' rz */
    const char *sep;
    char delim[64];
    bool renumber;
} nlopt;

typedef struct {
    int section;
    int64_t number, blanks;
    bool overflow;
} nlstate;

static bool parse_style(shctx *sh, nlopt *o, int sec, const char *arg)
{
    static const char *const what[] = {"header", "body", "footer"};
    if (o->have_rx[sec]) {
        regfree(&o->rx[sec]);
        o->have_rx[sec] = false;
    }
    if ((arg[0] == 'a' || arg[0] == 't' || arg[0] == 'n') && !arg[1]) {
        o->style[sec] = arg[0];
        return true;
    }
    if (arg[0] == 'p') {
        int e = regcomp(&o->rx[sec], arg + 1, REG_NOSUB);
        if (e) {
            char msg[200];
            regerror(e, &o->rx[sec], msg, sizeof msg);
            sh_err(sh, "%s", msg);
            return false;
        }
        o->have_rx[sec] = true;
        o->style[sec] = 'p';
        return true;
    }
    sh_err(sh, "invalid %s numbering style: %s", what[sec], sh_quote(sh, arg));
    sh_try_help(sh);
    return false;
}

static void add_number(const nlopt *o, int64_t v, sh_buf *out)
{
    char digits[24];
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    size_t k = sh_fmt_u64(digits, mag), len = k + (v < 0);
    size_t pad = (size_t)o->width > len ? (size_t)o->width - len : 0;
    sh_buf_reserve(out, pad + len);
    char *p = out->data + out->len;
    if (o->fmt == 'r')
        memset(p, ' ', pad), p += pad;
    if (v < 0)
        *p++ = '-';
    if (o->fmt == 'z')
        memset(p, '0', pad), p += pad;
    memcpy(p, digits, k), p += k;
    if (o->fmt == 'l')
        memset(p, ' ', pad), p += pad;
    out->len = (size_t)(p - out->data);
    out->data[out->len] = 0;
}

/* Which section line this is (delimiter repeated 3, 2, 1 times), or -1. */
static int section_line(const nlopt *o, const char *s, size_t n)
{
    size_t d = strlen(o->delim);
    if (d == 0 || n % d || n / d < 1 || n / d > 3)
        return -1;
    for (size_t i = 0; i < n; i += d)
        if (memcmp(s + i, o->delim, d))
            return -1;
    return n / d == 3 ? SEC_HEADER : n / d == 2 ? SEC_BODY : SEC_FOOTER;
}

/* One line (without its newline) into out. false: the number overflowed. */
static bool nl_line(shctx *sh, const nlopt *o, nlstate *s, char *line, size_t n, sh_buf *out)
{
    int sec = section_line(o, line, n);
    if (sec >= 0) {
        s->section = sec;
        if (o->renumber)
            s->number = o->start;
        sh_buf_addc(out, '\n');
        return true;
    }
    bool number;
    switch (o->style[s->section]) {
    case 'a':
        if (n == 0 && o->join > 1) {
            number = ++s->blanks == o->join;
            if (number)
                s->blanks = 0;
        } else {
            number = true;
            s->blanks = 0;
        }
        break;
    case 't': number = n > 0; break;
    case 'p': {
        char save = line[n];
        line[n] = 0; /* regexec reads up to a NUL */
        number = regexec(&o->rx[s->section], line, 0, NULL, 0) == 0;
        line[n] = save;
        break;
    }
    default: number = false; break;
    }
    if (number) {
        if (s->overflow) {
            sh_err(sh, "line number overflow");
            return false;
        }
        add_number(o, s->number, out);
        sh_buf_adds(out, o->sep);
        int64_t next;
        if (__builtin_add_overflow(s->number, o->incr, &next))
            s->overflow = true;
        else
            s->number = next;
    } else {
        size_t k = (size_t)o->width + strlen(o->sep);
        sh_buf_reserve(out, k);
        memset(out->data + out->len, ' ', k);
        out->len += k;
        out->data[out->len] = 0;
    }
    sh_buf_add(out, line, n);
    sh_buf_addc(out, '\n'); /* a last line gets one too, as in GNU's nl */
    return true;
}

static bool parse_num(shctx *sh, const char *what, const char *arg, int64_t lo, int64_t hi, int64_t *v)
{
    if (!sh_parse_int(arg, v) || *v < lo || *v > hi) {
        bool digits = arg[0] && strspn(arg + (arg[0] == '-'), "0123456789") == strlen(arg + (arg[0] == '-'));
        sh_err(sh, "invalid %s: %s%s", what, sh_quote(sh, arg),
               digits ? ": Numerical result out of range" : "");
        return false;
    }
    return true;
}

int util_nl(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {
        {"body-numbering", SH_REQ_ARG, 'b'}, {"section-delimiter", SH_REQ_ARG, 'd'},
        {"footer-numbering", SH_REQ_ARG, 'f'}, {"header-numbering", SH_REQ_ARG, 'h'},
        {"line-increment", SH_REQ_ARG, 'i'}, {"join-blank-lines", SH_REQ_ARG, 'l'},
        {"number-format", SH_REQ_ARG, 'n'}, {"no-renumber", SH_NO_ARG, 'p'},
        {"number-separator", SH_REQ_ARG, 's'}, {"starting-line-number", SH_REQ_ARG, 'v'},
        {"number-width", SH_REQ_ARG, 'w'}, {"help", SH_NO_ARG, 'H'}, {NULL, 0, 0}};
    nlopt o = {{'n', 't', 'n'}, {{0}}, {false, false, false}, 1, 1, 1, 6, 'r', "\t", "\\:", true};
    int status = 0;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    int64_t v;
    while ((c = sh_getopt(sh, &st, argc, argv, "b:d:f:h:i:l:n:ps:v:w:", lo)) != -1) {
        switch (c) {
        case 'h': if (!parse_style(sh, &o, SEC_HEADER, st.arg)) status = 1; break;
        case 'b': if (!parse_style(sh, &o, SEC_BODY, st.arg)) status = 1; break;
        case 'f': if (!parse_style(sh, &o, SEC_FOOTER, st.arg)) status = 1; break;
        case 'd': {
            size_t k = strlen(st.arg);
            if (k >= sizeof o.delim - 1) {
                sh_err(sh, "invalid section delimiter: %s", sh_quote(sh, st.arg));
                status = 1;
                break;
            }
            memcpy(o.delim, st.arg, k + 1);
            if (k == 1) /* one character: the second stays ':' */
                memcpy(o.delim + 1, ":", 2);
            break;
        }
        case 'i':
            if (parse_num(sh, "line number increment", st.arg, INT64_MIN, INT64_MAX, &v))
                o.incr = v;
            else
                status = 1;
            break;
        case 'l':
            if (parse_num(sh, "line number of blank lines", st.arg, 1, INT64_MAX, &v))
                o.join = v;
            else
                status = 1;
            break;
        case 'v':
            if (parse_num(sh, "starting line number", st.arg, INT64_MIN, INT64_MAX, &v))
                o.start = v;
            else
                status = 1;
            break;
        case 'w':
            if (parse_num(sh, "line number field width", st.arg, 1, 1 << 20, &v))
                o.width = (int)v;
            else
                status = 1;
            break;
        case 'n':
            if (!strcmp(st.arg, "ln") || !strcmp(st.arg, "rn") || !strcmp(st.arg, "rz")) {
                o.fmt = st.arg[0] == 'l' ? 'l' : st.arg[1] == 'n' ? 'r' : 'z';
            } else {
                sh_err(sh, "invalid line numbering format: %s", sh_quote(sh, st.arg));
                sh_try_help(sh);
                status = 1;
            }
            break;
        case 'p': o.renumber = false; break;
        case 's': o.sep = st.arg; break;
        case 'H':
            sh_puts(sh_stdout(sh), "Usage: nl [OPTION]... [FILE]...\n");
            goto done;
        default:
            status = 1;
            goto done;
        }
        if (status)
            goto done;
    }
    nlstate s = {SEC_BODY, o.start, 0, false};
    sh_buf line = {0}, out = {0};
    int nfiles = argc - st.ind;
    bool ok = true;
    for (int i = 0; i < (nfiles ? nfiles : 1) && ok && !sh_interrupted(sh); i++) {
        const char *name = nfiles ? argv[st.ind + i] : "-";
        sh_stream *in = sh_input(sh, name);
        if (!in) {
            status = 1;
            continue;
        }
        ssize_t n;
        while ((n = sh_getdelim(in, &line, '\n')) > 0) {
            bool nl = line.data[n - 1] == '\n';
            if (!nl_line(sh, &o, &s, line.data, (size_t)n - nl, &out)) {
                ok = false;
                status = 1;
                break;
            }
            if (out.len >= 65536) {
                ok = sh_write(sh_stdout(sh), out.data, out.len);
                out.len = 0;
                if (!ok) {
                    status = 1;
                    break;
                }
            }
        }
        if (n < 0) {
            sh_errno(sh, errno, "%s", sh_quote_maybe(sh, name));
            status = 1;
        }
        sh_input_close(sh, in);
    }
    if (out.len && !sh_write(sh_stdout(sh), out.data, out.len))
        status = 1;
    sh_buf_free(&line);
    sh_buf_free(&out);
done:
    for (int k = 0; k < 3; k++)
        if (o.have_rx[k])
            regfree(&o.rx[k]);
    return status;
}
