/* grep {pattern, path?, glob?, type?, output_mode?, context?, -A?, -B?, -C?,
 * case_insensitive?, show_line_numbers?, head_limit?, offset?, multiline?}:
 * the grep core (grep.h) over the workspace, answering as the ripgrep-based
 * grep tools of agent runtimes do (tools/README.md "grep"): matching lines
 * as path:line:text, the files with matches, or counts; paths relative to
 * the workspace; paged and capped, saying what was left out. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../regex/regex.h"
#include "grep.h"
#include "tool_page.h"

#define MAX_TEXT (64u << 10) /* bytes of lines in a result */
#define MAX_COLUMNS 500      /* bytes of a line shown: a minified file cannot fill the result */
#define MAX_LINES 1000000000 /* the largest context, head_limit and offset taken */
#define MAX_FILTER 4096      /* bytes of a glob or type */
#define MAX_PATTERN 65536    /* bytes of a pattern: rejecting a huge one costs the parser time */

typedef struct {
    const char *pattern;
    size_t pattern_len;
    char *path; /* absolute and normalized; NULL: the workspace */
    const char *glob, *type;
    grep_mode mode;
    bool icase, numbers, multiline;
    int64_t before, after, head_limit, offset;
} grep_args;

static bool given(const wt_tool *t, const char *name)
{
    return wt_json_get(&t->doc.root, name) != NULL;
}

static bool same(const char *s, size_t n, const char *lit)
{
    return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

/* glob and type: not empty, no NUL, not huge. */
static bool filter_ok(wt_tool *t, const char *name, const char *s, size_t len)
{
    if (!s || (len && len <= MAX_FILTER && !memchr(s, 0, len)))
        return true;
    if (len == 0)
        wt_fail(t, "%s: must not be empty (leave it out to search every file)", name);
    else if (len > MAX_FILTER)
        wt_fail(t, "%s: longer than %d bytes", name, MAX_FILTER);
    else
        wt_fail(t, "%s: contains a NUL character", name);
    return false;
}

/* Reads every field (the schema's names and the ripgrep flags agents also
 * send: -A -B -C -i -n), then checks how they go together. False with the
 * error result set. */
static bool read_args(wt_tool *t, grep_args *a)
{
    size_t mode_len = 0, glob_len = 0, type_len = 0;
    int64_t ctx = 0, c_flag = 0;
    bool icase_flag = false, numbers_flag = true;
    *a = (grep_args){.numbers = true};
    a->pattern = wt_arg_string(t, "pattern", true, &a->pattern_len);
    a->path = wt_arg_path(t, "path", false);
    a->glob = wt_arg_string(t, "glob", false, &glob_len);
    a->type = wt_arg_string(t, "type", false, &type_len);
    const char *mode = wt_arg_string(t, "output_mode", false, &mode_len);
    wt_arg_int(t, "context", false, 0, MAX_LINES, &ctx);
    wt_arg_int(t, "-C", false, 0, MAX_LINES, &c_flag);
    bool has_a = wt_arg_int(t, "-A", false, 0, MAX_LINES, &a->after);
    bool has_b = wt_arg_int(t, "-B", false, 0, MAX_LINES, &a->before);
    wt_arg_bool(t, "case_insensitive", false, &a->icase);
    wt_arg_bool(t, "-i", false, &icase_flag);
    wt_arg_bool(t, "show_line_numbers", false, &a->numbers);
    wt_arg_bool(t, "-n", false, &numbers_flag);
    wt_arg_int(t, "head_limit", false, 0, MAX_LINES, &a->head_limit);
    wt_arg_int(t, "offset", false, 0, MAX_LINES, &a->offset);
    wt_arg_bool(t, "multiline", false, &a->multiline);
    if (!wt_args_end(t))
        return false;

    static const char *const pairs[][2] = {
        {"context", "-C"}, {"case_insensitive", "-i"}, {"show_line_numbers", "-n"}};
    for (size_t k = 0; k < sizeof pairs / sizeof *pairs; k++)
        if (given(t, pairs[k][0]) && given(t, pairs[k][1])) {
            wt_fail(t, "%s and %s are the same option: give one of them", pairs[k][0], pairs[k][1]);
            return false;
        }
    if (given(t, "-C"))
        ctx = c_flag;
    if (given(t, "-i"))
        a->icase = icase_flag;
    if (given(t, "-n"))
        a->numbers = numbers_flag;
    if (!has_a)
        a->after = ctx; /* -A and -B win over the context for their side, as in ripgrep */
    if (!has_b)
        a->before = ctx;

    a->mode = GREP_FILES_WITH_MATCHES;
    if (mode && same(mode, mode_len, "content")) {
        a->mode = GREP_CONTENT;
    } else if (mode && same(mode, mode_len, "count")) {
        a->mode = GREP_COUNT;
    } else if (mode && !same(mode, mode_len, "files_with_matches")) {
        wt_fail(t, "output_mode: must be content, files_with_matches or count (got \"%.64s\")",
                mode);
        return false;
    }
    if (!filter_ok(t, "glob", a->glob, glob_len) || !filter_ok(t, "type", a->type, type_len))
        return false;
    if (a->pattern_len > MAX_PATTERN) {
        wt_fail(t, "pattern: longer than %d bytes; split the search", MAX_PATTERN);
        return false;
    }
    if (!a->multiline && memchr(a->pattern, '\n', a->pattern_len)) {
        wt_fail(t, "pattern: contains a line break, which cannot match within one line; "
                   "set multiline to true to match across lines (or join alternatives with |)");
        return false;
    }
    return true;
}

/* The pattern as the search compiles it: an error names its offset in the
 * pattern as given. Multiline searches are also dotall (`.` takes \n), as
 * agent runtimes run ripgrep (-U --multiline-dotall). */
static bool check_pattern(wt_tool *t, const grep_args *a)
{
    unsigned flags = (a->icase ? RX_ICASE : 0) | (a->multiline ? RX_MULTILINE | RX_DOTALL : 0);
    rx_error err;
    rx_prog *p = rx_compile(a->pattern, a->pattern_len, flags, &err);
    if (!p) {
        wt_fail(t, "pattern: invalid at offset %zu: %s", err.pos, err.msg);
        return false;
    }
    rx_free(p);
    return true;
}

/* `\n` in a pattern searched line by line: it can never match. */
static bool has_newline_escape(const char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == '\\' && s[++i] == 'n')
            return true;
    return false;
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* n in decimal, then s: the first line is made without printf, which a
 * call would otherwise translate (9 KB of wasm) for this line alone. */
static void add_count(wt_buf *out, size_t n, const char *s)
{
    char digits[24];
    size_t k = sizeof digits;
    do
        digits[--k] = (char)('0' + n % 10);
    while ((n /= 10) && k);
    wt_buf_add(out, digits + k, sizeof digits - k);
    wt_buf_adds(out, s);
}

/* The first line: "Found ..." for files and counts (none for content), or
 * what was searched when nothing was found. */
static void summary(wt_buf *out, const grep_args *a, const grep_page *pg, const grep_result *res)
{
    if (pg->total == 0) {
        wt_buf_adds(out, a->mode == GREP_FILES_WITH_MATCHES ? "No files found" : "No matches found");
        wt_buf_adds(out, " (searched ");
        add_count(out, res->files_searched, plural(res->files_searched, " file", " files"));
        if (res->binary_skipped) {
            wt_buf_adds(out, "; ");
            add_count(out, res->binary_skipped,
                      plural(res->binary_skipped, " binary file skipped", " binary files skipped"));
        }
        if (res->ignored) {
            wt_buf_adds(out, "; ");
            add_count(out, res->ignored,
                      plural(res->ignored, " path ignored by .gitignore", " paths ignored by .gitignore"));
        }
        wt_buf_adds(out, ")\n");
        if (!a->multiline && has_newline_escape(a->pattern, a->pattern_len))
            wt_buf_adds(out, "[the pattern has \\n, which never matches within one line; "
                             "set multiline to true to match across lines]\n");
    } else if (a->mode == GREP_FILES_WITH_MATCHES) {
        wt_buf_adds(out, "Found ");
        add_count(out, pg->total, plural(pg->total, " file\n", " files\n"));
    } else if (a->mode == GREP_COUNT) {
        size_t n = res->lines_selected;
        wt_buf_adds(out, "Found ");
        add_count(out, n, a->multiline ? plural(n, " match in ", " matches in ")
                                       : plural(n, " matching line in ", " matching lines in "));
        add_count(out, res->files_matched, plural(res->files_matched, " file\n", " files\n"));
    }
}

/* The notes after the page, one a line in brackets: what was left out and
 * where to read on, an offset past the end, unreadable paths. */
static void notes(wt_buf *out, const grep_args *a, const grep_page *pg, const grep_problems *probs)
{
    const char *what = a->mode == GREP_CONTENT ? plural(pg->left_out, "line", "lines")
                                               : plural(pg->left_out, "file", "files");
    size_t next = (size_t)a->offset + pg->shown;
    if (pg->left_out && pg->cut_by_size)
        wt_buf_printf(out, "[output cut at %u KiB: %zu more %s not shown; read on with offset=%zu, "
                           "or narrow the search (path, glob, type, pattern)]\n",
                      MAX_TEXT >> 10, pg->left_out, what, next);
    else if (pg->left_out)
        wt_buf_printf(out, "[%zu more %s not shown (head_limit=%zu); read on with offset=%zu]\n",
                      pg->left_out, what, (size_t)a->head_limit, next);
    if (pg->total && pg->shown == 0 && !pg->left_out)
        wt_buf_printf(out, "[offset %zu is past the end: the search gave %zu %s]\n",
                      (size_t)a->offset, pg->total,
                      a->mode == GREP_CONTENT ? plural(pg->total, "line", "lines")
                                              : plural(pg->total, "file", "files"));
    if (probs->count)
        wt_buf_printf(out, "[%zu %s could not be searched: %s%s]\n", probs->count,
                      plural(probs->count, "path", "paths"),
                      probs->text.data ? probs->text.data : "",
                      probs->count > GREP_PROBLEMS_KEPT ? "; ..." : "");
}

static void report(wt_tool *t, const grep_args *a, const grep_page *pg, const grep_result *res,
                   const grep_problems *probs)
{
    wt_buf out = {0};
    summary(&out, a, pg, res);
    wt_buf_add(&out, pg->text.data ? pg->text.data : "", pg->text.len);
    notes(&out, a, pg, probs);
    if (out.failed || pg->text.failed || probs->text.failed || probs->line.failed)
        wt_fail(t, "out of memory");
    else
        wt_text(t, out.data, out.len);
    wt_buf_free(&out);
}

/* What the core searches: a path inside the working directory (the
 * workspace) relative to it, so results name files as an agent's ripgrep
 * run from the workspace does; NULL for the workspace itself (names without
 * "./"); any other path as it is. */
static const char *search_root(const char *path)
{
    const char *cwd = wt_cwd();
    size_t n = strlen(cwd);
    if (!path || strcmp(path, cwd) == 0)
        return NULL;
    if (n == 1) /* cwd "/" */
        return path + 1;
    if (strncmp(path, cwd, n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}

static void run(wt_tool *t, const grep_args *a)
{
    struct stat st;
    if (a->path && stat(a->path, &st) != 0) {
        wt_fail(t, "path: cannot search %s: %s", a->path, wt_errno_text(errno));
        return;
    }
    if (!check_pattern(t, a))
        return;
    wt_buf pattern = {0};
    if (a->multiline)
        wt_buf_adds(&pattern, "(?s)");
    wt_buf_add(&pattern, a->pattern, a->pattern_len);
    const char *root = search_root(a->path);
    grep_opts o = {
        .pattern = pattern.data ? pattern.data : "",
        .pattern_len = pattern.len,
        .paths = &root,
        .npaths = root ? 1 : 0,
        .mode = a->mode,
        .case_insensitive = a->icase,
        .multiline = a->multiline,
        .line_numbers = a->numbers,
        .filenames = 1,
        .before = a->mode == GREP_CONTENT ? (size_t)a->before : 0,
        .after = a->mode == GREP_CONTENT ? (size_t)a->after : 0,
        .max_columns = MAX_COLUMNS,
        .globs = &a->glob,
        .nglobs = a->glob ? 1 : 0,
        .type = a->type,
        .binary = GREP_BINARY_SKIP,
        .lazy_binary = 1, /* the counts are shown only when nothing was found (summary) */
    };
    grep_page page = {
        .offset = (size_t)a->offset, .limit = (size_t)a->head_limit, .max_bytes = MAX_TEXT};
    grep_problems probs = {0};
    grep_sink out = {grep_page_write, &page}, err = {grep_problems_write, &probs};
    grep_result res;
    if (pattern.failed)
        wt_fail(t, "out of memory");
    else if (grep_run(&o, &out, &err, &res) == 2) /* an unknown type, a glob past the limits */
        wt_fail(t, "%s", res.error);
    else
        report(t, a, &page, &res, &probs);
    wt_buf_free(&pattern);
    wt_buf_free(&page.text);
    wt_buf_free(&probs.text);
    wt_buf_free(&probs.line);
}

int main(void)
{
    wt_tool t;
    if (wt_tool_begin(&t)) {
        grep_args a;
        if (read_args(&t, &a))
            run(&t, &a);
        free(a.path);
    }
    return wt_tool_end(&t);
}
