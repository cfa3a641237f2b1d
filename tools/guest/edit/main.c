/* edit {file_path, old_string, new_string, replace_all?}: exact replacement
 * in a file, refused with the count when old_string is missing or not unique
 * (unless replace_all), or equal to new_string (tools/README.md "edit").
 *
 * Line endings are kept: a model copies text from read's listing, where a
 * CRLF file's lines show without their CR, so in a file whose every line
 * ends in CRLF the "\n" of both strings are taken as "\r\n", and in a file
 * with no CRLF at all a "\r\n" of theirs as "\n". Files that mix both are
 * matched exactly as given. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/wbtool.h"

#define EDIT_MAX_FILE (32u << 20)

typedef enum { EOL_LF, EOL_CRLF, EOL_MIXED } eol_style;

static eol_style file_style(const char *s, size_t n)
{
    bool crlf = false, lf = false;
    for (const char *p = s, *end = s + n; (p = memchr(p, '\n', (size_t)(end - p))); p++) {
        if (p > s && p[-1] == '\r')
            crlf = true;
        else
            lf = true;
        if (crlf && lf)
            return EOL_MIXED;
    }
    return crlf ? EOL_CRLF : EOL_LF;
}

/* s[0..n) with its line endings made the file's style, into out (copied
 * in runs between newlines: byte loops are slow in an interpreter). */
static void adapt(wt_buf *out, const char *s, size_t n, eol_style style)
{
    const char *p = s, *end = s + n, *nl;
    while (style != EOL_MIXED && (nl = memchr(p, '\n', (size_t)(end - p)))) {
        bool cr = nl > s && nl[-1] == '\r';
        if (style == EOL_CRLF && !cr) {
            wt_buf_add(out, p, (size_t)(nl - p));
            wt_buf_add(out, "\r\n", 2);
        } else if (style == EOL_LF && cr) {
            wt_buf_add(out, p, (size_t)(nl - 1 - p));
            wt_buf_addc(out, '\n');
        } else {
            wt_buf_add(out, p, (size_t)(nl + 1 - p));
        }
        p = nl + 1;
    }
    wt_buf_add(out, p, (size_t)(end - p));
}

static size_t line_of(const char *s, size_t offset)
{
    size_t line = 1;
    for (const char *p = s, *end = s + offset; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        line++;
    return line;
}

static void edit(wt_tool *t, const char *path, const char *old_s, size_t old_n, const char *new_s, size_t new_n,
                 bool all)
{
    wt_buf file = {0}, from = {0}, to = {0}, result = {0};
    int e = wt_read_file(path, EDIT_MAX_FILE, &file);
    if (e == EFBIG) {
        wt_fail(t, "%s is larger than edit handles (%u MiB)", path, EDIT_MAX_FILE >> 20);
        goto done;
    }
    if (e) {
        wt_fail(t, "cannot read %s: %s", path, wt_errno_text(e));
        goto done;
    }
    eol_style style = file_style(file.data ? file.data : "", file.len);
    adapt(&from, old_s, old_n, style);
    adapt(&to, new_s, new_n, style);
    if (from.failed || to.failed) {
        wt_fail(t, "out of memory");
        goto done;
    }
    if (from.len == to.len && memcmp(from.data, to.data, from.len) == 0) {
        wt_fail(t, "old_string and new_string are the same; nothing to change");
        goto done;
    }
    size_t count = 0, first = 0;
    for (const char *p = file.data, *end = file.data + file.len;
         p && (size_t)(end - p) >= from.len && (p = memmem(p, (size_t)(end - p), from.data, from.len)); p += from.len) {
        if (count++ == 0)
            first = (size_t)(p - file.data);
    }
    if (count == 0) {
        wt_fail(t, "old_string was not found in %s (0 matches); read the file again and copy the text exactly, "
                   "with its whitespace and indentation", path);
        goto done;
    }
    if (count > 1 && !all) {
        wt_fail(t, "old_string occurs %zu times in %s; add surrounding lines to make it unique, or set replace_all "
                   "to true to replace every occurrence", count, path);
        goto done;
    }
    const char *p = file.data, *end = file.data + file.len;
    for (size_t i = 0; i < count; i++) {
        const char *m = memmem(p, (size_t)(end - p), from.data, from.len);
        wt_buf_add(&result, p, (size_t)(m - p));
        wt_buf_add(&result, to.data, to.len);
        p = m + from.len;
    }
    wt_buf_add(&result, p, (size_t)(end - p));
    if (result.failed) {
        wt_fail(t, "out of memory");
        goto done;
    }
    bool created;
    e = wt_write_file(path, result.data, result.len, &created);
    if (e)
        wt_fail(t, "cannot write %s: %s", path, wt_errno_text(e));
    else if (count == 1)
        wt_textf(t, "Replaced 1 occurrence in %s (line %zu)", path, line_of(file.data, first));
    else
        wt_textf(t, "Replaced %zu occurrences in %s (the first at line %zu)", count, path, line_of(file.data, first));
done:
    wt_buf_free(&file);
    wt_buf_free(&from);
    wt_buf_free(&to);
    wt_buf_free(&result);
}

int main(void)
{
    wt_tool t;
    if (wt_tool_begin(&t)) {
        char *path = wt_arg_path(&t, "file_path", true);
        size_t old_n = 0, new_n = 0;
        const char *old_s = wt_arg_string(&t, "old_string", true, &old_n);
        const char *new_s = wt_arg_string(&t, "new_string", true, &new_n);
        bool all = false;
        wt_arg_bool(&t, "replace_all", false, &all);
        if (wt_args_end(&t)) {
            if (old_n == 0)
                wt_fail(&t, "old_string: must not be empty (to create a file, use write)");
            else
                edit(&t, path, old_s, old_n, new_s, new_n, all);
        }
        free(path);
    }
    return wt_tool_end(&t);
}
