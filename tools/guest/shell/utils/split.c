/* split: GNU's. FILE (or stdin) into PREFIX (x) followed by a suffix:
 * -l N lines (1000 by default), -b SIZE bytes, -C SIZE whole lines of at
 * most SIZE bytes, -n N / K/N / l/N / l/K/N / r/N / r/K/N chunks (K/N: only
 * chunk K, on stdout); -a N suffix length, -d/-x and --numeric-suffixes/
 * --hex-suffixes[=FROM], --additional-suffix, -t SEP, -e no empty files
 * with -n, --verbose. Suffixes as GNU names them: aa ... yz, then the
 * first letter joins the prefix and the suffix grows (zaaa ...), unless -a
 * or FROM fixes the length ("output file suffixes exhausted").
 * What the sandbox changes: --filter is refused (it would need a process
 * per file). -n needs a regular file, as in GNU 9.1. */
#include "../shell.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { BY_LINES, BY_BYTES, BY_LINE_BYTES, BY_CHUNKS };

typedef struct {
    shctx *sh;
    /* naming */
    const char *alphabet;
    size_t alen;
    sh_buf base;     /* prefix, grown by widening */
    size_t *index;   /* the suffix, as places in the alphabet */
    size_t slen;
    bool autowiden, started;
    const char *addsuf;
    char *name;      /* the current file's name */
    /* output */
    sh_stream *out;
    bool verbose, elide;
    struct stat in_st;
    bool have_in_st;
    int status;
} splitter;

/* The next file name; false when the suffixes are exhausted. */
static bool next_name(splitter *s)
{
    if (s->started) {
        size_t i = s->slen;
        for (;;) {
            if (i == 0) {
                sh_err(s->sh, "output file suffixes exhausted");
                return false;
            }
            i--;
            if (++s->index[i] < s->alen)
                break;
            s->index[i] = 0;
        }
        if (s->autowiden && i == 0 && s->index[0] == s->alen - 1) {
            /* GNU's widening: the last letter joins the prefix, one more place */
            sh_buf_addc(&s->base, s->alphabet[s->alen - 1]);
            s->slen++;
            s->index = sh_realloc(s->index, s->slen * sizeof *s->index);
            memset(s->index, 0, s->slen * sizeof *s->index);
        }
    }
    s->started = true;
    sh_buf b = {0};
    sh_buf_add(&b, s->base.data ? s->base.data : "", s->base.len);
    for (size_t i = 0; i < s->slen; i++)
        sh_buf_addc(&b, s->alphabet[s->index[i]]);
    sh_buf_adds(&b, s->addsuf);
    free(s->name);
    s->name = sh_buf_take(&b);
    return true;
}

static bool close_out(splitter *s)
{
    if (!s->out)
        return true;
    bool ok = sh_close(s->out);
    s->out = NULL;
    if (!ok) {
        sh_errno(s->sh, errno, "%s", sh_quote_maybe(s->sh, s->name));
        s->status = 1;
    }
    return ok;
}

/* Closes the current file and creates the next one. */
static bool open_next(splitter *s)
{
    if (!close_out(s) || !next_name(s))
        return false;
    int fd;
    struct stat st;
    sh_stream *probe = sh_open(s->sh, s->name, O_RDONLY);
    if (probe) {
        fd = sh_stream_fd(probe);
        if (s->have_in_st && fd >= 0 && fstat(fd, &st) == 0 && st.st_dev == s->in_st.st_dev &&
            st.st_ino == s->in_st.st_ino) {
            sh_close(probe);
            sh_err(s->sh, "%s would overwrite input; aborting", sh_quote(s->sh, s->name));
            return false;
        }
        sh_close(probe);
    }
    if (s->verbose)
        sh_printf(sh_stdout(s->sh), "creating file %s\n", sh_quote(s->sh, s->name));
    s->out = sh_open(s->sh, s->name, O_WRONLY | O_CREAT | O_TRUNC);
    if (!s->out) {
        sh_errno(s->sh, errno, "%s", sh_quote_maybe(s->sh, s->name));
        return false;
    }
    return true;
}

static bool put(splitter *s, const char *p, size_t n)
{
    if (n && !sh_write(s->out, p, n)) {
        sh_errno(s->sh, errno, "%s", sh_quote_maybe(s->sh, s->name));
        return false;
    }
    return true;
}

static bool read_failed(splitter *s, const char *inname)
{
    sh_errno(s->sh, errno, "%s", sh_quote_maybe(s->sh, inname));
    return false;
}

/* -l N */
static bool split_lines(splitter *s, sh_stream *in, const char *inname, int64_t n, char eol)
{
    sh_buf line = {0};
    int64_t in_file = n;
    ssize_t r;
    bool ok = true;
    while (ok && (r = sh_getdelim(in, &line, eol)) > 0) {
        if (in_file == n) {
            ok = open_next(s);
            in_file = 0;
        }
        ok = ok && put(s, line.data, (size_t)r);
        in_file++;
        if (sh_interrupted(s->sh))
            ok = false;
    }
    if (ok && r < 0)
        ok = read_failed(s, inname);
    sh_buf_free(&line);
    return ok;
}

/* -b SIZE */
static bool split_bytes(splitter *s, sh_stream *in, const char *inname, int64_t n)
{
    char buf[65536];
    int64_t left = 0;
    ssize_t r;
    bool ok = true;
    while (ok && (r = sh_read(in, buf, sizeof buf)) > 0) {
        size_t off = 0;
        while (ok && off < (size_t)r) {
            if (left == 0) {
                ok = open_next(s);
                left = n;
            }
            size_t k = (size_t)r - off;
            if ((int64_t)k > left)
                k = (size_t)left;
            ok = ok && put(s, buf + off, k);
            off += k;
            left -= (int64_t)k;
        }
        if (sh_interrupted(s->sh))
            ok = false;
    }
    if (ok && r < 0)
        ok = read_failed(s, inname);
    return ok;
}

/* -C SIZE: whole lines while they fit; a line longer than SIZE alone in
 * SIZE-byte pieces, its rest starting the next file. */
static bool split_line_bytes(splitter *s, sh_stream *in, const char *inname, int64_t n, char eol)
{
    sh_buf line = {0};
    int64_t used = 0;
    bool have = false, ok = true;
    ssize_t r;
    while (ok && (r = sh_getdelim(in, &line, eol)) > 0) {
        int64_t rem = r;
        const char *p = line.data;
        if (have && used > 0 && used + rem > n)
            used = n; /* does not fit: the next file */
        while (ok && rem > 0) {
            if (!have || used == n) {
                ok = open_next(s);
                have = true;
                used = 0;
            }
            int64_t k = rem < n - used ? rem : n - used;
            ok = ok && put(s, p, (size_t)k);
            p += k;
            rem -= k;
            used += k;
        }
        if (sh_interrupted(s->sh))
            ok = false;
    }
    if (ok && r < 0)
        ok = read_failed(s, inname);
    sh_buf_free(&line);
    return ok;
}

/* -n N and -n K/N: byte ranges of the file's size. */
static bool chunk_bytes(splitter *s, sh_stream *in, const char *inname, int64_t size, int64_t k, int64_t n)
{
    int64_t cs = size / n > 0 ? size / n : 1;
    char buf[65536];
    int64_t pos = 0;
    bool ok = true;
    for (int64_t c = 1; c <= n && ok; c++) {
        int64_t start = (c - 1) * cs < size ? (c - 1) * cs : size;
        int64_t end = c == n ? size : (c * cs < size ? c * cs : size);
        if (k && c > k)
            break;
        if (!k && !(s->elide && end == start))
            ok = open_next(s);
        while (ok && pos < end) {
            int64_t want = end - pos < (int64_t)sizeof buf ? end - pos : (int64_t)sizeof buf;
            ssize_t r = sh_read(in, buf, (size_t)want);
            if (r < 0)
                return read_failed(s, inname);
            if (r == 0) {
                pos = end = size; /* the file shrank */
                break;
            }
            if (!k)
                ok = put(s, buf, (size_t)r);
            else if (c == k && !sh_write(sh_stdout(s->sh), buf, (size_t)r))
                ok = false;
            pos += r;
        }
    }
    return ok;
}

/* -n l/N and l/K/N: chunk c ends with the line holding byte c*size/N - 1. */
static bool chunk_lines(splitter *s, sh_stream *in, const char *inname, int64_t size, int64_t k, int64_t n,
                        char eol)
{
    int64_t cs = size / n, chunk = 1, chunk_end = n == 1 ? size - 1 : cs - 1, written = 0;
    sh_buf line = {0};
    bool ok = true, opened = false;
    ssize_t r;
    while (ok && (r = sh_getdelim(in, &line, eol)) > 0) {
        if (k) {
            if (chunk == k && !sh_write(sh_stdout(s->sh), line.data, (size_t)r))
                ok = false;
        } else {
            if (!opened) {
                ok = open_next(s);
                opened = true;
            }
            ok = ok && put(s, line.data, (size_t)r);
        }
        written += r;
        /* the line reached this chunk's end: on to the next (empty ones
         * when a long line covers several) */
        bool next = written - 1 >= chunk_end;
        while (ok && next && chunk < n) {
            chunk++;
            chunk_end = chunk == n ? size - 1 : chunk_end + cs;
            opened = false;
            if (k && chunk > k)
                goto done;
            next = chunk_end <= written - 1;
            if (next && !k && !s->elide) {
                ok = open_next(s);
            }
        }
        if (sh_interrupted(s->sh))
            ok = false;
    }
    if (ok && r < 0)
        ok = read_failed(s, inname);
    /* the chunks nothing reached are empty files */
    while (ok && !k && !s->elide && (chunk < n || !opened)) {
        if (opened)
            chunk++;
        ok = open_next(s);
        opened = true;
    }
done:
    sh_buf_free(&line);
    return ok;
}

/* -n r/N and r/K/N: line i to chunk i mod N. Each chunk's lines are
 * gathered in memory and appended to its file 64 KiB at a time, so no
 * more than one file is open. */
static bool chunk_round_robin(splitter *s, sh_stream *in, const char *inname, int64_t k, int64_t n, char eol)
{
    sh_buf line = {0};
    sh_buf *pend = NULL;
    char **names = NULL;
    int64_t made = 0, i = 0;
    bool ok = true;
    ssize_t r;
    if (!k) {
        pend = sh_calloc((size_t)n, sizeof *pend);
        names = sh_calloc((size_t)n, sizeof *names);
    }
    while (ok && (r = sh_getdelim(in, &line, eol)) > 0) {
        int64_t c = i++ % n;
        if (k) {
            if (c == k - 1 && !sh_write(sh_stdout(s->sh), line.data, (size_t)r))
                ok = false;
        } else {
            while (ok && made <= c) { /* files are created in order, on first use */
                ok = open_next(s) && close_out(s);
                if (ok)
                    names[made++] = sh_strdup(s->name);
            }
            sh_buf_add(&pend[c], line.data, (size_t)r);
            if (ok && pend[c].len >= 65536) {
                sh_stream *o = sh_open(s->sh, names[c], O_WRONLY | O_APPEND);
                ok = o && sh_write(o, pend[c].data, pend[c].len);
                if (o && !sh_close(o))
                    ok = false;
                if (!ok)
                    sh_errno(s->sh, errno, "%s", sh_quote_maybe(s->sh, names[c]));
                pend[c].len = 0;
            }
        }
        if (sh_interrupted(s->sh))
            ok = false;
    }
    if (ok && r < 0)
        ok = read_failed(s, inname);
    while (ok && !k && !s->elide && made < n) {
        ok = open_next(s) && close_out(s);
        if (ok)
            names[made++] = sh_strdup(s->name);
    }
    for (int64_t c = 0; !k && c < made; c++) {
        if (ok && pend[c].len) {
            sh_stream *o = sh_open(s->sh, names[c], O_WRONLY | O_APPEND);
            ok = o && sh_write(o, pend[c].data, pend[c].len);
            if (o && !sh_close(o))
                ok = false;
            if (!ok)
                sh_errno(s->sh, errno, "%s", sh_quote_maybe(s->sh, names[c]));
        }
    }
    for (int64_t c = 0; !k && c < n; c++) {
        sh_buf_free(&pend[c]);
        free(names[c]);
    }
    free(pend);
    free(names);
    sh_buf_free(&line);
    return ok;
}

static bool bad_number(shctx *sh, const char *what, const char *arg, bool zero)
{
    sh_err(sh, "invalid %s: %s%s", what, sh_quote(sh, arg), zero ? ": Numerical result out of range" : "");
    return false;
}

/* A count for -l/-b/-C/-n (suffixes with sizes); false after a message. */
static bool get_count(shctx *sh, const char *what, const char *arg, bool sizes, int64_t *v)
{
    bool ok = sizes ? sh_parse_size(arg, v) : sh_parse_int(arg, v);
    if (!ok && *v == INT64_MAX && arg[0] != '-') {
        *v = INT64_MAX; /* too large: as good as infinite */
        return true;
    }
    if (!ok || *v < 0)
        return bad_number(sh, what, arg, false);
    if (*v == 0)
        return bad_number(sh, what, arg, true);
    return true;
}

/* "N", "K/N", "l/N", "l/K/N", "r/N", "r/K/N" */
static bool parse_chunks(shctx *sh, const char *arg, char *kind, int64_t *k, int64_t *n)
{
    const char *p = arg;
    *kind = 'b';
    *k = 0;
    if ((p[0] == 'l' || p[0] == 'r') && p[1] == '/') {
        *kind = p[0];
        p += 2;
    }
    const char *slash = strchr(p, '/');
    if (slash) {
        char *ks = sh_strndup(p, (size_t)(slash - p));
        bool ok = get_count(sh, "chunk number", ks, false, k);
        free(ks);
        if (!ok)
            return false;
        p = slash + 1;
    }
    if (!get_count(sh, "number of chunks", p, false, n))
        return false;
    if (*k > *n) {
        char d[24];
        d[sh_fmt_u64(d, (uint64_t)*k)] = 0;
        return bad_number(sh, "chunk number", d, true);
    }
    return true;
}

int util_split(shctx *sh, int argc, char **argv)
{
    enum { NUMERIC = 256, HEX, ADDSUF, FILTER, VERBOSE };
    static const sh_longopt lo[] = {
        {"suffix-length", SH_REQ_ARG, 'a'}, {"additional-suffix", SH_REQ_ARG, ADDSUF},
        {"bytes", SH_REQ_ARG, 'b'}, {"line-bytes", SH_REQ_ARG, 'C'},
        {"numeric-suffixes", SH_OPT_ARG, NUMERIC}, {"hex-suffixes", SH_OPT_ARG, HEX},
        {"elide-empty-files", SH_NO_ARG, 'e'}, {"filter", SH_REQ_ARG, FILTER},
        {"lines", SH_REQ_ARG, 'l'}, {"number", SH_REQ_ARG, 'n'},
        {"separator", SH_REQ_ARG, 't'}, {"unbuffered", SH_NO_ARG, 'u'},
        {"verbose", SH_NO_ARG, VERBOSE}, {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    splitter s = {0};
    s.sh = sh;
    s.alphabet = "abcdefghijklmnopqrstuvwxyz";
    s.addsuf = "";
    int mode = -1;
    int64_t count = 1000, ck = 0, cn = 0, slen = 0;
    char ckind = 'b', eol = '\n';
    bool have_eol = false;
    const char *from = NULL;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    /* -N is -l N (the old syntax) */
    char **v = sh_calloc((size_t)argc + 1, sizeof *v);
    char **made = sh_calloc((size_t)argc + 1, sizeof *made);
    for (int i = 0; i < argc; i++) {
        v[i] = argv[i];
        if (i > 0 && !strcmp(argv[i], "--"))
            break;
        if (i > 0 && argv[i][0] == '-' && argv[i][1] >= '0' && argv[i][1] <= '9') {
            size_t k = strlen(argv[i]);
            made[i] = sh_malloc(k + 3);
            memcpy(made[i], "-l", 2);
            memcpy(made[i] + 2, argv[i] + 1, k);
            v[i] = made[i];
        }
    }
    for (int i = 0; i < argc; i++)
        if (!v[i])
            v[i] = argv[i];
    while ((c = sh_getopt(sh, &st, argc, v, "a:b:C:del:n:t:ux", lo)) != -1) {
        int newmode = -1;
        switch (c) {
        case 'a':
            if (!sh_parse_int(st.arg, &slen) || slen < 0 || slen > 4096) {
                sh_err(sh, "invalid suffix length: %s", sh_quote(sh, st.arg));
                s.status = 1;
                goto done;
            }
            break;
        case ADDSUF:
            if (strchr(st.arg, '/')) {
                sh_err(sh, "invalid suffix %s, contains directory separator", sh_quote(sh, st.arg));
                sh_try_help(sh);
                s.status = 1;
                goto done;
            }
            s.addsuf = st.arg;
            break;
        case 'b': newmode = BY_BYTES; break;
        case 'C': newmode = BY_LINE_BYTES; break;
        case 'l': newmode = BY_LINES; break;
        case 'n': newmode = BY_CHUNKS; break;
        case 'd':
        case 'x':
        case NUMERIC:
        case HEX:
            s.alphabet = c == 'd' || c == NUMERIC ? "0123456789" : "0123456789abcdef";
            from = (c == NUMERIC || c == HEX) ? st.arg : NULL;
            if (from && (!from[0] || strspn(from, s.alphabet) != strlen(from))) {
                sh_err(sh, "%s: invalid start value for numerical suffix", sh_quote(sh, from));
                s.status = 1;
                goto done;
            }
            break;
        case 'e': s.elide = true; break;
        case 't':
            if (st.arg[0] && st.arg[1] && strcmp(st.arg, "\\0")) {
                sh_err(sh, "multi-character separator %s", sh_quote(sh, st.arg));
                s.status = 1;
                goto done;
            }
            if (have_eol && eol != (strcmp(st.arg, "\\0") ? st.arg[0] : 0)) {
                sh_err(sh, "multiple separator characters specified");
                s.status = 1;
                goto done;
            }
            eol = strcmp(st.arg, "\\0") ? st.arg[0] : 0;
            have_eol = true;
            break;
        case 'u': break;
        case VERBOSE: s.verbose = true; break;
        case FILTER:
            sh_err(sh, "--filter is not available in the sandbox (it runs a process for each file)");
            s.status = 1;
            goto done;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: split [OPTION]... [FILE [PREFIX]]\n");
            goto done;
        default:
            s.status = 1;
            goto done;
        }
        if (newmode >= 0) {
            if (mode >= 0 && mode != newmode) {
                sh_err(sh, "cannot split in more than one way");
                sh_try_help(sh);
                s.status = 1;
                goto done;
            }
            mode = newmode;
            bool ok = newmode == BY_CHUNKS ? parse_chunks(sh, st.arg, &ckind, &ck, &cn)
                                           : get_count(sh, newmode == BY_LINES ? "number of lines" : "number of bytes",
                                                       st.arg, newmode != BY_LINES, &count);
            if (!ok) {
                s.status = 1;
                goto done;
            }
        }
    }
    if (mode < 0)
        mode = BY_LINES;
    int nops = argc - st.ind;
    if (nops > 2) {
        sh_err(sh, "extra operand %s", sh_quote(sh, v[st.ind + 2]));
        sh_try_help(sh);
        s.status = 1;
        goto done;
    }
    const char *inname = nops >= 1 ? v[st.ind] : "-";
    sh_buf_adds(&s.base, nops == 2 ? v[st.ind + 1] : "x");
    s.alen = strlen(s.alphabet);
    /* the suffix length: given, or 2 and widening, or what -n and FROM need */
    size_t need = 1;
    if (mode == BY_CHUNKS || from) {
        uint64_t last = (uint64_t)(mode == BY_CHUNKS && !ck ? cn - 1 : 0), cap = s.alen;
        if (from) { /* the last suffix is FROM + the files - 1 */
            uint64_t f = 0;
            for (const char *p = from; *p && f < UINT64_MAX / 32; p++)
                f = f * s.alen + (uint64_t)(strchr(s.alphabet, *p) - s.alphabet);
            last += f;
        }
        while (cap <= last && need < 64) {
            need++;
            cap = cap > UINT64_MAX / s.alen ? UINT64_MAX : cap * s.alen;
        }
        if (from && strlen(from) > need)
            need = strlen(from);
    }
    if (slen > 0) {
        if ((size_t)slen < need) {
            sh_err(sh, "the suffix length needs to be at least %zu", need);
            s.status = 1;
            goto done;
        }
        s.slen = (size_t)slen;
    } else {
        s.slen = need > 2 ? need : 2;
        s.autowiden = mode != BY_CHUNKS && !from;
    }
    s.index = sh_calloc(s.slen, sizeof *s.index);
    if (from) { /* the first suffix is FROM, right-aligned */
        size_t k = strlen(from);
        for (size_t i = 0; i < k; i++)
            s.index[s.slen - k + i] = (size_t)(strchr(s.alphabet, from[i]) - s.alphabet);
    }
    sh_stream *in = !strcmp(inname, "-") ? sh_input(sh, "-") : sh_open(sh, inname, O_RDONLY);
    if (!in) {
        sh_errno(sh, errno, "cannot open %s for reading", sh_quote(sh, inname));
        s.status = 1;
        goto done;
    }
    int fd = sh_stream_fd(in);
    s.have_in_st = fd >= 0 && fstat(fd, &s.in_st) == 0;
    bool ok;
    if (mode == BY_CHUNKS) {
        int64_t size;
        char probe;
        bool regular = sh_stream_regular(in, &size);
        if (!regular && sh_read(in, &probe, 1) == 0) {
            regular = true; /* empty (/dev/null): GNU reads it to its end, size 0 */
            size = 0;
        }
        if (!regular) {
            sh_err(sh, "%s: cannot determine file size", inname);
            ok = false;
        } else if (ckind == 'r') {
            ok = chunk_round_robin(&s, in, inname, ck, cn, eol);
        } else if (ckind == 'l') {
            ok = chunk_lines(&s, in, inname, size, ck, cn, eol);
        } else {
            ok = chunk_bytes(&s, in, inname, size, ck, cn);
        }
    } else if (mode == BY_LINES) {
        ok = split_lines(&s, in, inname, count, eol);
    } else if (mode == BY_BYTES) {
        ok = split_bytes(&s, in, inname, count);
    } else {
        ok = split_line_bytes(&s, in, inname, count, eol);
    }
    if (!close_out(&s))
        ok = false;
    sh_input_close(sh, in);
    if (!ok)
        s.status = 1;
done:
    for (int i = 0; i < argc; i++)
        free(made[i]);
    free(made);
    free(v);
    free(s.index);
    free(s.name);
    sh_buf_free(&s.base);
    return s.status;
}
