/* The driver md5sum, sha1sum, sha224sum, sha256sum, sha384sum, sha512sum,
 * b2sum and cksum -a share: hashing files into GNU's lines ("HASH  FILE",
 * "HASH *FILE" with -b, "TAG (FILE) = HASH" with --tag, names holding a
 * backslash, newline or CR escaped behind a leading backslash, -z), and
 * -c: reading those lines back and saying OK or FAILED, with GNU coreutils
 * 9.1's messages and exit statuses. */
#include "digest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

static bool needs_escape(const char *s)
{
    return strpbrk(s, "\\\n\r") != NULL;
}

static void add_escaped(sh_buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\')
            sh_buf_adds(b, "\\\\");
        else if (*s == '\n')
            sh_buf_adds(b, "\\n");
        else if (*s == '\r')
            sh_buf_adds(b, "\\r");
        else
            sh_buf_addc(b, *s);
    }
}

static void add_hex(sh_buf *b, const uint8_t *d, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        sh_buf_addc(b, hex[d[i] >> 4]);
        sh_buf_addc(b, hex[d[i] & 15]);
    }
}

/* "BLAKE2b-256" when the length is not the algorithm's default. */
static void add_tag(sh_buf *b, const sh_digest_algo *a, size_t outlen)
{
    sh_buf_adds(b, a->tag);
    if (outlen != a->outlen)
        sh_buf_printf(b, "-%zu", outlen * 8);
}

bool sh_digest_stream(shctx *sh, sh_stream *in, const sh_digest_algo *a, size_t outlen, uint8_t *out)
{
    sh_digest_ctx c;
    a->init(&c, outlen);
    char *buf = sh_malloc(65536);
    bool ok = true;
    for (;;) {
        ssize_t n = sh_read(in, buf, 65536);
        if (n < 0) {
            ok = false;
            break;
        }
        if (n == 0)
            break;
        a->update(&c, buf, (size_t)n);
        if (sh_interrupted(sh)) {
            errno = EPIPE;
            ok = false;
            break;
        }
    }
    free(buf);
    if (ok)
        a->final(&c, out);
    return ok;
}

/* Opens name ("-" is stdin) and hashes it; false after the message. */
static bool hash_file(shctx *sh, const char *name, const sh_digest_opts *o, uint8_t *out, int *err)
{
    bool std = !strcmp(name, "-");
    sh_stream *in = std ? sh_stdin(sh) : sh_open(sh, name, O_RDONLY);
    if (!in) {
        *err = errno;
        return false;
    }
    bool ok = sh_digest_stream(sh, in, o->algo, o->outlen, out);
    *err = ok ? 0 : errno;
    if (!std)
        sh_close(in);
    return ok;
}

static bool print_sum(shctx *sh, const char *name, const sh_digest_opts *o, const uint8_t *d)
{
    sh_buf b = {0};
    bool esc = !o->zero && needs_escape(name);
    if (esc)
        sh_buf_addc(&b, '\\');
    if (o->tag) {
        add_tag(&b, o->algo, o->outlen);
        sh_buf_adds(&b, " (");
        if (esc)
            add_escaped(&b, name);
        else
            sh_buf_adds(&b, name);
        sh_buf_adds(&b, ") = ");
        add_hex(&b, d, o->outlen);
    } else {
        add_hex(&b, d, o->outlen);
        sh_buf_adds(&b, o->binary ? " *" : "  ");
        if (esc)
            add_escaped(&b, name);
        else
            sh_buf_adds(&b, name);
    }
    sh_buf_addc(&b, o->zero ? '\0' : '\n');
    bool ok = sh_write(sh_stdout(sh), b.data, b.len);
    sh_buf_free(&b);
    return ok;
}

/* ---- -c --------------------------------------------------------------------- */

typedef struct {
    const sh_digest_algo *algo;
    size_t outlen;      /* digest bytes the line names */
    char *name;         /* unescaped */
    const char *hex;    /* into the line */
} check_line;

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static size_t hex_run(const char *s)
{
    size_t n = 0;
    while (hexval((unsigned char)s[n]) >= 0)
        n++;
    return n;
}

/* The name of an escaped line: \\ \n \r only; false on any other escape. */
static bool unescape(const char *s, size_t n, char **out)
{
    sh_buf b = {0};
    sh_buf_adds(&b, "");
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\') {
            sh_buf_addc(&b, s[i]);
            continue;
        }
        if (++i == n || (s[i] != '\\' && s[i] != 'n' && s[i] != 'r')) {
            sh_buf_free(&b);
            return false;
        }
        sh_buf_addc(&b, s[i] == '\\' ? '\\' : s[i] == 'n' ? '\n' : '\r');
    }
    *out = sh_buf_take(&b);
    return true;
}

/* Is the digest length right for the algorithm (b2sum: any whole number of
 * bytes up to 64, unless -l fixed it)? */
static bool length_ok(const sh_digest_opts *o, size_t hexlen, size_t *outlen)
{
    if (hexlen % 2 || hexlen == 0)
        return false;
    *outlen = hexlen / 2;
    if (o->algo == &sh_blake2b && !o->outlen_fixed)
        return *outlen <= 64;
    return *outlen == o->outlen;
}

/* One line of a checksum file, its newline (and a CR before it) removed.
 * *reversed remembers whether the file uses "HASH NAME" (one space), which
 * may not be mixed with "HASH  NAME" (so a name cannot gain a space). */
static bool parse_line(const char *s, size_t n, const sh_digest_opts *o, int *reversed, check_line *cl,
                       bool tagged_only)
{
    cl->algo = o->algo;
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    bool esc = i < n && s[i] == '\\';
    if (esc)
        i++;
    size_t taglen = strlen(o->algo->tag);
    if (n - i > taglen && !memcmp(s + i, o->algo->tag, taglen) &&
        (s[i + taglen] == ' ' || s[i + taglen] == '(' || s[i + taglen] == '-')) {
        size_t j = i + taglen, bits = 0;
        bool has_bits = false;
        if (s[j] == '-') {
            if (o->algo != &sh_blake2b)
                return false;
            j++;
            while (j < n && s[j] >= '0' && s[j] <= '9' && bits < 100000)
                bits = bits * 10 + (size_t)(s[j++] - '0');
            has_bits = true;
        }
        if (j < n && s[j] == ' ')
            j++;
        if (j >= n || s[j] != '(')
            return false;
        j++;
        /* the name ends at the last ")" followed by "= " or " = " */
        size_t close = 0;
        bool found = false;
        for (size_t k = n; k-- > j;) {
            if (s[k] != ')')
                continue;
            size_t m = k + 1;
            if (m < n && s[m] == ' ')
                m++;
            if (m < n && s[m] == '=') {
                close = k;
                found = true;
                break;
            }
        }
        if (!found)
            return false;
        size_t h = close + 1;
        if (h < n && s[h] == ' ')
            h++;
        h++; /* '=' */
        if (h < n && s[h] == ' ')
            h++;
        size_t hl = hex_run(s + h);
        if (h + hl != n || !length_ok(o, hl, &cl->outlen))
            return false;
        if (has_bits && bits != cl->outlen * 8)
            return false;
        if (!has_bits && o->algo == &sh_blake2b && cl->outlen != 64)
            return false;
        cl->hex = s + h;
        if (esc)
            return unescape(s + j, close - j, &cl->name);
        cl->name = sh_strndup(s + j, close - j);
        return true;
    }
    size_t hl = hex_run(s + i);
    if (tagged_only || !length_ok(o, hl, &cl->outlen))
        return false;
    cl->hex = s + i;
    size_t j = i + hl;
    if (j >= n || (s[j] != ' ' && s[j] != '\t'))
        return false;
    j++;
    if (j < n && (s[j] == ' ' || s[j] == '*') && *reversed != 1) {
        *reversed = 0;
        j++;
    } else {
        if (*reversed == 0)
            return false;
        *reversed = 1;
    }
    if (j >= n)
        return false;
    if (esc)
        return unescape(s + j, n - j, &cl->name);
    cl->name = sh_strndup(s + j, n - j);
    return true;
}

/* cksum -c without -a: a tagged line of any algorithm (GNU 9.1 reads only
 * those then); otherwise the utility's own algorithm, tagged or not. */
static bool parse_any(const char *s, size_t n, const sh_digest_opts *o, int *reversed, check_line *cl)
{
    if (!o->any_tag)
        return parse_line(s, n, o, reversed, cl, false);
    static const sh_digest_algo *const all[] = {&sh_md5, &sh_sha1, &sh_sha224, &sh_sha256, &sh_sha384,
                                                &sh_sha512, &sh_blake2b, &sh_sm3};
    for (size_t k = 0; k < sizeof all / sizeof *all; k++) {
        sh_digest_opts one = *o;
        one.algo = all[k];
        one.outlen = all[k]->outlen;
        if (parse_line(s, n, &one, reversed, cl, true))
            return true;
    }
    return false;
}

static bool digest_equal(const char *hex, const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (hexval((unsigned char)hex[2 * i]) != d[i] >> 4 || hexval((unsigned char)hex[2 * i + 1]) != (d[i] & 15))
            return false;
    return true;
}

static bool say(shctx *sh, const sh_digest_opts *o, const char *name, const char *what)
{
    sh_buf b = {0};
    if (needs_escape(name)) {
        sh_buf_addc(&b, '\\');
        add_escaped(&b, name);
    } else {
        sh_buf_adds(&b, name);
    }
    sh_buf_printf(&b, ": %s%c", what, o->zero ? '\0' : '\n');
    bool ok = sh_write(sh_stdout(sh), b.data, b.len);
    sh_buf_free(&b);
    return ok;
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* Checks the lines of one checksum file; false when it fails. */
static bool check_file(shctx *sh, const char *file, const sh_digest_opts *o)
{
    bool std = !strcmp(file, "-");
    const char *shown = std ? "standard input" : file;
    sh_stream *in = std ? sh_stdin(sh) : sh_open(sh, file, O_RDONLY);
    if (!in) {
        sh_errno(sh, errno, "%s", sh_quote_maybe(sh, file));
        return false;
    }
    uint64_t lineno = 0, bad_format = 0, bad_read = 0, mismatch = 0, good_lines = 0, verified = 0;
    int reversed = -1;
    sh_buf line = {0};
    uint8_t d[64];
    bool ok = true, out_ok = true;
    for (;;) {
        ssize_t n = sh_getdelim(in, &line, o->zero ? '\0' : '\n');
        if (n < 0) {
            sh_errno(sh, errno, "%s", sh_quote_maybe(sh, shown));
            ok = false;
            break;
        }
        if (n == 0 || sh_interrupted(sh))
            break;
        lineno++;
        size_t len = (size_t)n;
        if (line.data[len - 1] == (o->zero ? '\0' : '\n'))
            len--;
        if (len && line.data[len - 1] == '\r')
            len--;
        if (len == 0 || line.data[0] == '#')
            continue;
        line.data[len] = 0;
        check_line cl = {0};
        if (memchr(line.data, 0, len) || !parse_any(line.data, len, o, &reversed, &cl)) {
            bad_format++;
            if (o->warn)
                sh_err(sh, "%s: %llu: improperly formatted %s%schecksum line", sh_quote_maybe(sh, shown),
                       (unsigned long long)lineno, o->any_tag ? "" : o->algo->tag, o->any_tag ? "" : " ");
            continue;
        }
        good_lines++;
        sh_digest_opts one = *o;
        one.algo = cl.algo;
        one.outlen = cl.outlen;
        int err;
        if (!hash_file(sh, cl.name, &one, d, &err)) {
            if (err == EPIPE && sh_interrupted(sh)) {
                free(cl.name);
                break;
            }
            if (!(o->ignore_missing && err == ENOENT)) {
                sh_errno(sh, err, "%s", sh_quote_maybe(sh, cl.name));
                bad_read++;
                if (!o->status)
                    out_ok = say(sh, o, cl.name, "FAILED open or read");
            }
        } else {
            verified++;
            bool same = digest_equal(cl.hex, d, cl.outlen);
            if (!same)
                mismatch++;
            if (!o->status && (!same || !o->quiet))
                out_ok = say(sh, o, cl.name, same ? "OK" : "FAILED");
        }
        free(cl.name);
        if (!out_ok)
            break;
    }
    sh_buf_free(&line);
    if (!std)
        sh_close(in);
    if (!out_ok)
        return false;
    if (ok && good_lines == 0) {
        sh_err(sh, "%s: no properly formatted checksum lines found", sh_quote_maybe(sh, shown));
        return false;
    }
    if (!o->status) {
        if (bad_format)
            sh_err(sh, "WARNING: %llu %s improperly formatted", (unsigned long long)bad_format,
                   plural(bad_format, "line is", "lines are"));
        if (bad_read)
            sh_err(sh, "WARNING: %llu listed %s could not be read", (unsigned long long)bad_read,
                   plural(bad_read, "file", "files"));
        if (mismatch)
            sh_err(sh, "WARNING: %llu computed %s did NOT match", (unsigned long long)mismatch,
                   plural(mismatch, "checksum", "checksums"));
        if (o->ignore_missing && verified == 0 && ok)
            sh_err(sh, "%s: no file was verified", sh_quote_maybe(sh, shown));
    }
    if (o->ignore_missing && verified == 0)
        ok = false;
    return ok && !bad_read && !mismatch && !(o->strict && bad_format);
}

int sh_digest_run(shctx *sh, char **files, int n, const sh_digest_opts *o)
{
    char *dash[] = {"-", NULL};
    if (n == 0) {
        files = dash;
        n = 1;
    }
    int status = 0;
    uint8_t d[64];
    for (int i = 0; i < n && !sh_interrupted(sh); i++) {
        if (o->check) {
            if (!check_file(sh, files[i], o))
                status = 1;
            continue;
        }
        int err;
        if (!hash_file(sh, files[i], o, d, &err)) {
            if (err == EPIPE && sh_interrupted(sh))
                return 1;
            sh_errno(sh, err, "%s", sh_quote_maybe(sh, files[i]));
            status = 1;
            continue;
        }
        if (!print_sum(sh, files[i], o, d))
            return 1;
    }
    return status;
}

/* b2sum -l / cksum -l: bits, a multiple of 8, at most 512; 0 is the default. */
bool sh_digest_length(shctx *sh, const char *arg, const sh_digest_algo *a, size_t *outlen)
{
    int64_t v;
    if (!sh_parse_int(arg, &v) || v < 0 || v > 512) {
        sh_err(sh, "invalid length: %s", sh_quote(sh, arg));
        if (sh_parse_int(arg, &v) && v > 512)
            sh_err(sh, "maximum digest length for %s is 512 bits", sh_quote(sh, a->tag));
        return false;
    }
    if (v % 8) {
        sh_err(sh, "invalid length: %s", sh_quote(sh, arg));
        sh_err(sh, "length is not a multiple of 8");
        return false;
    }
    *outlen = v ? (size_t)v / 8 : a->outlen;
    return true;
}

/* The checks GNU makes of the options before any work; false after the
 * message and the "Try" line. */
bool sh_digest_check_opts(shctx *sh, const sh_digest_opts *o, bool text_or_binary, bool text)
{
    const char *m = NULL;
    if (o->check && o->tag)
        m = "the --tag option is meaningless when verifying checksums";
    else if (o->check && text_or_binary)
        m = "the --binary and --text options are meaningless when verifying checksums";
    else if (o->tag && text)
        m = "--tag does not support --text mode";
    else if (!o->check && o->ignore_missing)
        m = "the --ignore-missing option is meaningful only when verifying checksums";
    else if (!o->check && o->status)
        m = "the --status option is meaningful only when verifying checksums";
    else if (!o->check && o->warn)
        m = "the --warn option is meaningful only when verifying checksums";
    else if (!o->check && o->quiet)
        m = "the --quiet option is meaningful only when verifying checksums";
    else if (!o->check && o->strict)
        m = "the --strict option is meaningful only when verifying checksums";
    if (!m)
        return true;
    sh_err(sh, "%s", m);
    sh_try_help(sh);
    return false;
}

int sh_digest_main(shctx *sh, int argc, char **argv, const sh_digest_algo *algo)
{
    enum { O_IGNORE = 256, O_QUIET, O_STATUS, O_STRICT, O_TAG, O_HELP };
    static const sh_longopt lo[] = {
        {"binary", SH_NO_ARG, 'b'},        {"check", SH_NO_ARG, 'c'},    {"text", SH_NO_ARG, 't'},
        {"warn", SH_NO_ARG, 'w'},          {"zero", SH_NO_ARG, 'z'},     {"length", SH_REQ_ARG, 'l'},
        {"ignore-missing", SH_NO_ARG, O_IGNORE}, {"quiet", SH_NO_ARG, O_QUIET}, {"status", SH_NO_ARG, O_STATUS},
        {"strict", SH_NO_ARG, O_STRICT},   {"tag", SH_NO_ARG, O_TAG},    {"help", SH_NO_ARG, O_HELP},
        {NULL, 0, 0}};
    bool b2 = algo == &sh_blake2b;
    sh_digest_opts o = {.algo = algo, .outlen = algo->outlen};
    bool tb = false, text = false;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, b2 ? "bctwzl:" : "bctwz", lo)) != -1) {
        switch (c) {
        case 'b': o.binary = true; tb = true; text = false; break;
        case 't': o.binary = false; tb = true; text = true; break;
        case 'c': o.check = true; break;
        case 'w': o.warn = true; o.status = o.quiet = false; break;
        case 'z': o.zero = true; break;
        case 'l':
            if (!b2) {
                sh_err(sh, "unrecognized option '--length'");
                sh_try_help(sh);
                return 1;
            }
            if (!sh_digest_length(sh, st.arg, algo, &o.outlen))
                return 1;
            o.outlen_fixed = o.outlen != algo->outlen;
            break;
        case O_IGNORE: o.ignore_missing = true; break;
        case O_QUIET: o.quiet = true; o.status = o.warn = false; break;
        case O_STATUS: o.status = true; o.quiet = o.warn = false; break;
        case O_STRICT: o.strict = true; break;
        case O_TAG: o.tag = true; o.binary = true; break;
        case O_HELP:
            sh_printf(sh_stdout(sh),
                      "Usage: %s [OPTION]... [FILE]...\nPrint or check %s checksums.\n"
                      "  -b -t -c --tag -z --quiet --status --strict -w --ignore-missing%s\n",
                      sh_name(sh), algo->tag, b2 ? " -l BITS" : "");
            return 0;
        default:
            return 1;
        }
    }
    if (!sh_digest_check_opts(sh, &o, tb, text))
        return 1;
    return sh_digest_run(sh, argv + st.ind, argc - st.ind, &o);
}
