/* grep (and egrep, fgrep): GNU grep 3.8's options agents use, on the search
 * core of the grep tool (tools/guest/grep/) and its linear-time regex engine:
 * -E -F -G (BRE and ERE rewritten by posix_regex.c) and -P (the engine's own
 * syntax, close to PCRE's), -e -f -i -v -w -x -c -l -L -n -h -H -o -q -s -r
 * -R -A -B -C -NUM -m -z -Z -a -I --include --exclude --exclude-dir --label
 * --color. Exit 0 if a line was selected, 1 if none, 2 after an error
 * (unless -q found a line). What differs: back-references are refused (the
 * engine is linear), --color never colours, characters are UTF-8 (a byte
 * that is not is matched only by `.` and negated classes), and -r walks
 * directories in name order. */
#include "../shell.h"

#include "../../grep/grep.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef ENOTCAPABLE
#define ENOTCAPABLE 76 /* WASI's "not permitted by the sandbox"; none on the host */
#endif

typedef struct {
    shctx *sh;
    grep_session *g;
    grep_result *res;
    bool failed;      /* a write to stdout failed: stop */
    bool no_messages; /* -s */
    bool at_line;     /* the error sink is at the start of a line */
    bool dropping;    /* the current error line is dropped (-s) */
    size_t errors_seen;
} sinks;

static void out_write(void *ctx, const char *s, size_t n)
{
    sinks *k = ctx;
    if (k->failed)
        return;
    if (!sh_write(sh_stdout(k->sh), s, n) || sh_interrupted(k->sh)) {
        k->failed = true;
        if (k->g)
            grep_stop(k->g);
    }
}

/* The core writes "PATH: reason" lines; GNU's start with "grep: ". A line
 * that comes with a new error (res->errors grew) is a message -s drops; the
 * binary-file note is not. */
static void err_write(void *ctx, const char *s, size_t n)
{
    sinks *k = ctx;
    if (k->at_line) {
        k->dropping = k->no_messages && k->res->errors > k->errors_seen;
        k->errors_seen = k->res->errors;
        if (!k->dropping)
            sh_printf(sh_stderr(k->sh), "%s: ", sh_name(k->sh));
    }
    /* The core says errors with strerror; the sandbox's refusal reads
     * better in the shell's words. */
    const char *raw = strerror(ENOTCAPABLE);
    if (n == strlen(raw) && !memcmp(s, raw, n)) {
        s = sh_strerror(ENOTCAPABLE);
        n = strlen(s);
    }
    if (!k->dropping)
        sh_write(sh_stderr(k->sh), s, n);
    k->at_line = n && s[n - 1] == '\n';
}

static bool add_pattern_lines(sh_buf *pats, size_t *count, const char *s, size_t n)
{
    /* Each line of s is a pattern (GNU: "-e 'a\nb'" is two patterns). */
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '\n')
            continue;
        if (*count)
            sh_buf_addc(pats, '\n');
        sh_buf_add(pats, s + start, i - start);
        (*count)++;
        start = i + 1;
    }
    return true;
}

/* Rewrites every line of the patterns into the engine's syntax. NULL on
 * success, else GNU's message. */
static const char *translate(const sh_buf *pats, char syntax, bool dotall, sh_buf *out)
{
    const char *p = pats->data ? pats->data : "";
    size_t n = pats->len, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && p[i] != '\n')
            continue;
        if (start)
            sh_buf_addc(out, '\n');
        if (dotall)
            sh_buf_adds(out, "(?s)");
        if (syntax == 'P') {
            sh_buf_add(out, p + start, i - start);
        } else {
            const char *err = sh_posix_regex(p + start, i - start, syntax == 'E', false, out);
            if (err)
                return err;
        }
        start = i + 1;
    }
    return NULL;
}

static bool parse_count(shctx *sh, const char *arg, size_t *out, const char *what)
{
    int64_t v;
    if (!sh_parse_int(arg, &v) || v < 0) {
        sh_err(sh, "%s: %s", arg, what);
        return false;
    }
    *out = (size_t)v;
    return true;
}

static const char *base_name(const char *p)
{
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        n--;
    const char *s = p + n;
    while (s > p && s[-1] != '/')
        s--;
    return s;
}

/* Whether option word a is one whose argument is the next word ("-e",
 * "-ie", "--regexp"), for the -NUM scan. */
static bool takes_arg(const char *a)
{
    static const char *const longs[] = {"--regexp", "--file", "--after-context",
                                        "--before-context", "--context", "--max-count",
                                        "--include", "--exclude", "--exclude-dir", "--label",
                                        "--binary-files", NULL};
    if (a[0] != '-' || !a[1])
        return false;
    if (a[1] == '-') {
        for (int k = 0; longs[k]; k++)
            if (!strcmp(a, longs[k]))
                return true;
        return false;
    }
    size_t n = strlen(a);
    for (size_t k = 1; k + 1 < n; k++)
        if (strchr("efABCm", a[k]))
            return false; /* the argument is attached: "-e-5" */
    return strchr("efABCm", a[n - 1]) != NULL;
}

enum {
    O_INCLUDE = 256, O_EXCLUDE, O_EXCLUDE_DIR, O_COLOR, O_LABEL, O_BINFILES, O_HELP, O_NOICASE,
    O_LINEBUF
};

int util_grep_as(shctx *sh, int argc, char **argv, char syntax);

int util_grep_as(shctx *sh, int argc, char **argv, char syntax)
{
    static const sh_longopt lo[] = {
        {"extended-regexp", SH_NO_ARG, 'E'}, {"fixed-strings", SH_NO_ARG, 'F'},
        {"basic-regexp", SH_NO_ARG, 'G'}, {"perl-regexp", SH_NO_ARG, 'P'},
        {"regexp", SH_REQ_ARG, 'e'}, {"file", SH_REQ_ARG, 'f'},
        {"ignore-case", SH_NO_ARG, 'i'}, {"no-ignore-case", SH_NO_ARG, O_NOICASE},
        {"invert-match", SH_NO_ARG, 'v'}, {"word-regexp", SH_NO_ARG, 'w'},
        {"line-regexp", SH_NO_ARG, 'x'}, {"count", SH_NO_ARG, 'c'},
        {"files-with-matches", SH_NO_ARG, 'l'}, {"files-without-match", SH_NO_ARG, 'L'},
        {"line-number", SH_NO_ARG, 'n'}, {"no-filename", SH_NO_ARG, 'h'},
        {"with-filename", SH_NO_ARG, 'H'}, {"only-matching", SH_NO_ARG, 'o'},
        {"quiet", SH_NO_ARG, 'q'}, {"silent", SH_NO_ARG, 'q'}, {"no-messages", SH_NO_ARG, 's'},
        {"recursive", SH_NO_ARG, 'r'}, {"dereference-recursive", SH_NO_ARG, 'R'},
        {"after-context", SH_REQ_ARG, 'A'}, {"before-context", SH_REQ_ARG, 'B'},
        {"context", SH_REQ_ARG, 'C'}, {"max-count", SH_REQ_ARG, 'm'},
        {"null-data", SH_NO_ARG, 'z'}, {"text", SH_NO_ARG, 'a'},
        {"include", SH_REQ_ARG, O_INCLUDE}, {"exclude", SH_REQ_ARG, O_EXCLUDE},
        {"exclude-dir", SH_REQ_ARG, O_EXCLUDE_DIR}, {"color", SH_OPT_ARG, O_COLOR},
        {"colour", SH_OPT_ARG, O_COLOR}, {"label", SH_REQ_ARG, O_LABEL},
        {"binary-files", SH_REQ_ARG, O_BINFILES}, {"line-buffered", SH_NO_ARG, O_LINEBUF},
        {"binary", SH_NO_ARG, 'U'}, {"null", SH_NO_ARG, 'Z'}, {"help", SH_NO_ARG, O_HELP}, {NULL, 0, 0}};
    grep_opts o;
    memset(&o, 0, sizeof o);
    o.binary = GREP_BINARY_NOTE;
    o.no_ignore = 1;
    o.enter_git = 1;
    o.count_zero = 1;
    sh_buf pats = {0};
    size_t npats = 0;
    bool have_pattern = false, recursive = false, no_messages = false, max_zero = false;
    int filenames = 0;
    const char *label = "(standard input)";
    const char **filters = NULL;
    size_t nfilters = 0;
    int status = 2;

    /* -NUM is -C NUM: take those out before the option parser sees them. */
    char **args = sh_malloc(((size_t)argc + 1) * sizeof *args);
    int nargs = 0;
    size_t ctx_num = 0;
    bool ctx_set = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (i > 0 && !strcmp(a, "--")) {
            while (i < argc)
                args[nargs++] = argv[i++];
            break;
        }
        if (i > 1 && takes_arg(argv[i - 1])) {
            args[nargs++] = argv[i]; /* "-e -5": the pattern, not a context */
            continue;
        }
        if (i > 0 && a[0] == '-' && a[1] >= '0' && a[1] <= '9' && strspn(a + 1, "0123456789") == strlen(a + 1)) {
            int64_t v;
            if (sh_parse_int(a + 1, &v)) {
                ctx_num = (size_t)v;
                ctx_set = true;
                continue;
            }
        }
        args[nargs++] = argv[i];
    }
    args[nargs] = NULL;

    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, nargs, args, "EFGPe:f:iyvwxclLnhHoqsrRA:B:C:m:zZaIUV", lo)) != -1) {
        switch (c) {
        case '?':
            goto done;
        case O_HELP:
            sh_printf(sh_stdout(sh), "Usage: %s [OPTION]... PATTERNS [FILE]...\n"
                      "Search for PATTERNS in each FILE.\n", sh_name(sh));
            status = 0;
            goto done;
        case 'V':
            sh_puts(sh_stdout(sh), "grep (GNU grep) 3.8 (wasmbox sandbox shell)\n");
            status = 0;
            goto done;
        case 'E': case 'F': case 'G': case 'P':
            syntax = (char)c;
            break;
        case 'e':
            add_pattern_lines(&pats, &npats, st.arg, strlen(st.arg));
            have_pattern = true;
            break;
        case 'f': {
            sh_stream *in = sh_input(sh, st.arg);
            if (!in)
                goto done;
            sh_buf text = {0};
            bool ok = sh_read_all(in, &text, SH_NO_LIMIT);
            int e = errno;
            sh_input_close(sh, in);
            if (!ok) {
                sh_errno(sh, e, "%s", st.arg);
                sh_buf_free(&text);
                goto done;
            }
            size_t tl = text.len;
            if (tl && text.data[tl - 1] == '\n')
                tl--;
            if (text.len) /* an empty file adds no pattern at all */
                add_pattern_lines(&pats, &npats, text.data, tl);
            sh_buf_free(&text);
            have_pattern = true;
            break;
        }
        case 'i': case 'y': o.case_insensitive = 1; break;
        case O_NOICASE: o.case_insensitive = 0; break;
        case 'v': o.invert = 1; break;
        case 'w': o.word = 1; break;
        case 'x': o.whole_line = 1; break;
        case 'c': o.mode = GREP_COUNT; break;
        case 'l': o.mode = GREP_FILES_WITH_MATCHES; break;
        case 'L': o.mode = GREP_FILES_WITHOUT_MATCH; break;
        case 'n': o.line_numbers = 1; break;
        case 'h': filenames = -1; break;
        case 'H': filenames = 1; break;
        case 'o': o.only_matching = 1; break;
        case 'q': o.quiet = 1; break;
        case 's': no_messages = true; break;
        case 'r': recursive = true; break;
        case 'R': recursive = true; o.follow_links = 1; break;
        case 'A':
            if (!parse_count(sh, st.arg, &o.after, "invalid context length argument"))
                goto done;
            break;
        case 'B':
            if (!parse_count(sh, st.arg, &o.before, "invalid context length argument"))
                goto done;
            break;
        case 'C':
            if (!parse_count(sh, st.arg, &ctx_num, "invalid context length argument"))
                goto done;
            ctx_set = true;
            break;
        case 'm': {
            int64_t v;
            if (!sh_parse_int(st.arg, &v)) {
                sh_err(sh, "invalid max count");
                goto done;
            }
            o.max_count = v > 0 ? (size_t)v : 0; /* negative: no limit, as GNU */
            max_zero = v == 0;
            break;
        }
        case 'z': o.nul_lines = 1; break;
        case 'Z': o.null_after_name = 1; break;
        case 'a': o.binary = GREP_BINARY_TEXT; break;
        case 'I': o.binary = GREP_BINARY_SKIP; break;
        case 'U': case O_LINEBUF: break;
        case O_BINFILES:
            if (!strcmp(st.arg, "text"))
                o.binary = GREP_BINARY_TEXT;
            else if (!strcmp(st.arg, "without-match"))
                o.binary = GREP_BINARY_SKIP;
            else if (!strcmp(st.arg, "binary"))
                o.binary = GREP_BINARY_NOTE;
            else {
                sh_err(sh, "unknown binary-files type");
                goto done;
            }
            break;
        case O_INCLUDE: case O_EXCLUDE: case O_EXCLUDE_DIR: {
            sh_buf f = {0};
            sh_buf_addc(&f, c == O_INCLUDE ? 'i' : c == O_EXCLUDE ? 'e' : 'd');
            sh_buf_addc(&f, ':');
            sh_buf_adds(&f, st.arg);
            filters = sh_realloc(filters, (nfilters + 1) * sizeof *filters);
            filters[nfilters++] = sh_buf_take(&f);
            break;
        }
        case O_COLOR:
            if (st.arg && strcmp(st.arg, "never") && strcmp(st.arg, "always") &&
                strcmp(st.arg, "auto") && strcmp(st.arg, "none") && strcmp(st.arg, "no") &&
                strcmp(st.arg, "yes") && strcmp(st.arg, "force") && strcmp(st.arg, "tty") &&
                strcmp(st.arg, "if-tty")) {
                sh_err(sh, "invalid argument %s for '--color'", sh_quote(sh, st.arg));
                goto done;
            }
            break; /* output is never coloured */
        case O_LABEL: label = st.arg; break;
        }
    }
    if (ctx_set) {
        if (!o.after)
            o.after = ctx_num;
        if (!o.before)
            o.before = ctx_num;
    }
    while (nargs > st.ind && !args[nargs - 1])
        nargs--; /* the option parser took "--" out and left a NULL at the end */
    int op = st.ind;
    if (!have_pattern) {
        if (op >= nargs) {
            sh_printf(sh_stderr(sh), "Usage: %s [OPTION]... PATTERNS [FILE]...\n", sh_name(sh));
            sh_try_help(sh);
            goto done;
        }
        add_pattern_lines(&pats, &npats, args[op], strlen(args[op]));
        op++;
    }
    if (max_zero) { /* -m 0: GNU reads nothing and selects nothing */
        status = 1;
        goto done;
    }

    sh_buf rx = {0};
    if (npats == 0) {
        sh_buf_adds(&rx, "\\b\\B"); /* no pattern at all (-f /dev/null): nothing matches */
        o.fixed_strings = 0;
    } else if (syntax == 'F') {
        sh_buf_add(&rx, pats.data, pats.len);
        o.fixed_strings = 1;
    } else {
        const char *err = translate(&pats, syntax, o.nul_lines, &rx);
        if (err) {
            sh_err(sh, "%s", err);
            sh_buf_free(&rx);
            goto done;
        }
    }
    o.pattern = rx.data ? rx.data : "";
    o.pattern_len = rx.len;
    o.gnu_filters = filters;
    o.ngnu_filters = nfilters;
    int noperands = nargs - op;
    o.filenames = filenames ? filenames : (noperands > 1 || recursive) ? 1 : -1;

    grep_result res;
    sinks k = {sh, NULL, &res, false, no_messages, true, false, 0};
    grep_sink out = {out_write, &k}, err = {err_write, &k};
    grep_session *g = grep_begin(&o, &out, &err, &res);
    if (!g) {
        sh_err(sh, "%s", res.error);
        sh_buf_free(&rx);
        goto done;
    }
    k.g = g;
    size_t own_errors = 0;
    /* A lone -r single file shows no name, as GNU (names come from
     * directories walked or several operands). */
    if (!filenames && recursive && noperands == 1) {
        struct stat fs;
        if (stat(args[op], &fs) == 0 && !S_ISDIR(fs.st_mode))
            grep_set_filenames(g, -1);
    }
    if (noperands == 0) {
        if (recursive) {
            grep_path(g, "");
        } else {
            sh_buf data = {0};
            if (sh_read_all(sh_stdin(sh), &data, SH_NO_LIMIT))
                grep_bytes(g, label, data.data ? data.data : "", data.len);
            else {
                if (!no_messages)
                    sh_errno(sh, errno, "(standard input)");
                own_errors++;
            }
            sh_buf_free(&data);
        }
    }
    for (int i = op; i < nargs && !grep_done(g) && !k.failed; i++) {
        const char *path = args[i];
        struct stat fs;
        bool is_std = !strcmp(path, "-");
        if (is_std || !strncmp(path, "/dev/", 5) || stat(path, &fs) != 0 || !S_ISREG(fs.st_mode)) {
            if (!is_std && strncmp(path, "/dev/", 5) && stat(path, &fs) == 0 && S_ISDIR(fs.st_mode)) {
                if (!recursive) {
                    if (!no_messages)
                        sh_err(sh, "%s: Is a directory", path);
                    own_errors++;
                } else if (gnu_filter_pass(&o, base_name(path), 1)) {
                    grep_path(g, path);
                }
                continue;
            }
            if (!is_std && !gnu_filter_pass(&o, base_name(path), 0))
                continue;
            sh_stream *in = is_std ? sh_stdin(sh) : sh_open(sh, path, O_RDONLY);
            if (!in) {
                if (!no_messages)
                    sh_err(sh, "%s: %s", path, sh_strerror(errno));
                own_errors++;
                continue;
            }
            sh_buf data = {0};
            bool ok = sh_read_all(in, &data, SH_NO_LIMIT);
            int e = errno;
            if (!is_std)
                sh_close(in);
            if (ok) {
                grep_bytes(g, is_std ? label : path, data.data ? data.data : "", data.len);
            } else {
                if (!no_messages)
                    sh_err(sh, "%s: %s", path, sh_strerror(e));
                own_errors++;
            }
            sh_buf_free(&data);
            continue;
        }
        if (gnu_filter_pass(&o, base_name(path), 0))
            grep_path(g, path);
    }
    grep_end(g);
    sh_buf_free(&rx);
    /* GNU 3.5+: the status says whether lines were selected, for -L too. */
    status = res.lines_selected ? 0 : 1;
    if ((res.errors || own_errors) && !(o.quiet && status == 0))
        status = 2;
done:
    for (size_t i = 0; i < nfilters; i++)
        free((void *)filters[i]);
    free(filters);
    sh_buf_free(&pats);
    free(args);
    return status;
}

int util_grep(shctx *sh, int argc, char **argv)
{
    return util_grep_as(sh, argc, argv, 'G');
}
