/* The tool's side of the contract: its input from stdin, typed arguments
 * with messages a model can act on, and the result object on stdout. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wbtool.h"

/* Reads fd 0 to the end, or to one byte past WT_MAX_INPUT. */
static int read_stdin(wt_buf *in)
{
    for (;;) {
        size_t want = 64u << 10;
        if (in->len + want > (size_t)WT_MAX_INPUT + 1)
            want = (size_t)WT_MAX_INPUT + 1 - in->len;
        if (!wt_buf_reserve(in, want))
            return ENOMEM;
        ssize_t n = read(0, in->data + in->len, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        if (n == 0)
            return 0;
        in->len += (size_t)n;
        in->data[in->len] = 0;
        if (in->len > WT_MAX_INPUT)
            return EFBIG;
    }
}

bool wt_tool_begin(wt_tool *t)
{
    *t = (wt_tool){0};
    wt_buf in = {0};
    int e = read_stdin(&in);
    char err[256];
    if (e == EFBIG)
        wt_fail(t, "input: larger than %u bytes (16 MiB); send less (e.g. write a large file in parts)",
                (unsigned)WT_MAX_INPUT);
    else if (e)
        wt_fail(t, "input: cannot read stdin: %s", wt_errno_text(e));
    else if (!wt_json_parse(&t->doc, in.data ? in.data : "", in.len, err, sizeof err))
        wt_fail(t, "input: not valid JSON: %s", err);
    else
        t->have_doc = true;
    if (t->have_doc && t->doc.root.type != WT_JSON_OBJECT)
        wt_fail(t, "input: expected a JSON object, got %s", wt_json_type_name(t->doc.root.type));
    wt_buf_free(&in);
#ifdef __wasi__
    /* so that libc's own relative paths agree with wt_cwd() */
    (void)chdir(wt_cwd());
#endif
    return !t->is_error;
}

static void arg_error(wt_tool *t, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void arg_error(wt_tool *t, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (t->arg_errors.len)
        wt_buf_addc(&t->arg_errors, '\n');
    wt_buf_printf(&t->arg_errors, "%s: ", name);
    wt_buf_vprintf(&t->arg_errors, fmt, ap);
    va_end(ap);
}

/* The field's value, remembered as asked for; NULL when absent (an error
 * when required). */
static const wt_json *field(wt_tool *t, const char *name, bool required, const char *expected)
{
    if (t->nseen < WT_MAX_ARGS)
        t->seen[t->nseen++] = name;
    const wt_json *v = t->have_doc ? wt_json_get(&t->doc.root, name) : NULL;
    if (!v && required)
        arg_error(t, name, "required, missing (expected %s)", expected);
    return v;
}

const char *wt_arg_string(wt_tool *t, const char *name, bool required, size_t *len)
{
    const wt_json *v = field(t, name, required, "a string");
    if (!v)
        return NULL;
    if (v->type != WT_JSON_STRING) {
        arg_error(t, name, "expected a string, got %s", wt_json_type_name(v->type));
        return NULL;
    }
    if (len)
        *len = v->length;
    return v->string;
}

bool wt_arg_int(wt_tool *t, const char *name, bool required, int64_t min, int64_t max, int64_t *value)
{
    const wt_json *v = field(t, name, required, "an integer");
    if (!v)
        return false;
    int64_t i;
    if (v->type != WT_JSON_NUMBER) {
        arg_error(t, name, "expected an integer, got %s", wt_json_type_name(v->type));
        return false;
    }
    if (v->is_integer) {
        i = v->integer;
    } else if (v->number == (double)(int64_t)v->number && v->number >= -9007199254740992.0 &&
               v->number <= 9007199254740992.0) {
        i = (int64_t)v->number; /* 10.0 and 1e3 are integers to JSON Schema too */
    } else {
        arg_error(t, name, "expected an integer, got %.17g", v->number);
        return false;
    }
    if (i < min || i > max) {
        if (max == INT64_MAX)
            arg_error(t, name, "must be at least %" PRId64 ", got %" PRId64, min, i);
        else
            arg_error(t, name, "must be from %" PRId64 " to %" PRId64 ", got %" PRId64, min, max, i);
        return false;
    }
    *value = i;
    return true;
}

bool wt_arg_bool(wt_tool *t, const char *name, bool required, bool *value)
{
    const wt_json *v = field(t, name, required, "true or false");
    if (!v)
        return false;
    if (v->type != WT_JSON_BOOL) {
        arg_error(t, name, "expected true or false, got %s", wt_json_type_name(v->type));
        return false;
    }
    *value = v->boolean;
    return true;
}

char *wt_arg_path(wt_tool *t, const char *name, bool required)
{
    size_t len;
    const char *s = wt_arg_string(t, name, required, &len);
    if (!s)
        return NULL;
    if (len == 0) {
        arg_error(t, name, "must not be empty (give a path, absolute or relative to %s)", wt_cwd());
        return NULL;
    }
    if (memchr(s, 0, len)) {
        arg_error(t, name, "contains a NUL character");
        return NULL;
    }
    if (len > WT_MAX_PATH) {
        arg_error(t, name, "longer than %d bytes", WT_MAX_PATH);
        return NULL;
    }
    wt_buf abs = {0}, maps = {0};
    if (!wt_path_join(&abs, wt_cwd(), s)) {
        arg_error(t, name, "out of memory");
        wt_buf_free(&abs);
        return NULL;
    }
    const wt_preopen *list;
    size_t n = wt_preopens(&list);
    if (!wt_path_locate(list, n, abs.data, NULL)) {
        wt_preopens_text(&maps);
        arg_error(t, name, "%s is outside the workspace (mapped directories: %s)", abs.data,
                  maps.data ? maps.data : "none");
        wt_buf_free(&maps);
        wt_buf_free(&abs);
        return NULL;
    }
    return abs.data;
}

bool wt_args_end(wt_tool *t)
{
    if (t->have_doc) {
        const wt_json *root = &t->doc.root;
        for (size_t i = 0; i < root->count; i++) {
            const wt_json_member *m = &root->members[i];
            bool known = false;
            for (size_t k = 0; k < t->nseen && !known; k++)
                known = strlen(t->seen[k]) == m->key_length && memcmp(t->seen[k], m->key, m->key_length) == 0;
            if (known)
                continue;
            wt_buf names = {0};
            for (size_t k = 0; k < t->nseen; k++)
                wt_buf_printf(&names, "%s%s", k ? ", " : "", t->seen[k]);
            /* the key as sent, but not a megabyte of it */
            char key[104];
            snprintf(key, sizeof key, "%.100s%s", m->key, m->key_length > 100 ? "..." : "");
            arg_error(t, key, "unknown field (this tool takes: %s)", names.data ? names.data : "nothing");
            wt_buf_free(&names);
        }
    }
    if (t->arg_errors.failed)
        t->oom = true;
    if (t->arg_errors.len) {
        wt_fail(t, "%s", t->arg_errors.data);
        return false;
    }
    return !t->is_error;
}

static void add_item(wt_tool *t, const char *type_and_key, const char *s, size_t n, const char *mime,
                     bool base64)
{
    wt_buf *b = &t->items;
    if (b->len)
        wt_buf_addc(b, ',');
    /* not printf: a call that prints nothing else with it would translate
     * wasi-libc's printf (9 KB of wasm) for this alone */
    wt_buf_adds(b, "{\"type\":");
    wt_buf_adds(b, type_and_key);
    if (base64) {
        wt_buf_addc(b, '"');
        wt_base64_encode(b, s, n);
        wt_buf_addc(b, '"');
        wt_buf_adds(b, ",\"mimeType\":");
        wt_json_add_string(b, mime, strlen(mime));
    } else {
        wt_json_add_string(b, s, n);
    }
    wt_buf_addc(b, '}');
    if (b->failed)
        t->oom = true;
}

void wt_text(wt_tool *t, const char *s, size_t n)
{
    add_item(t, "\"text\",\"text\":", s, n, NULL, false);
}

void wt_text_json(wt_tool *t, const char *escaped, size_t n)
{
    wt_buf *b = &t->items;
    if (b->len)
        wt_buf_addc(b, ',');
    wt_buf_adds(b, "{\"type\":\"text\",\"text\":\"");
    wt_buf_add(b, escaped, n);
    wt_buf_adds(b, "\"}");
    if (b->failed)
        t->oom = true;
}

void wt_textf(wt_tool *t, const char *fmt, ...)
{
    wt_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    if (wt_buf_vprintf(&b, fmt, ap))
        wt_text(t, b.data, b.len);
    else
        t->oom = true;
    va_end(ap);
    wt_buf_free(&b);
}

void wt_image(wt_tool *t, const void *data, size_t n, const char *mime)
{
    add_item(t, "\"image\",\"data\":", data, n, mime, true);
}

static void struct_key(wt_tool *t, const char *key)
{
    wt_buf *b = &t->structured;
    if (b->len)
        wt_buf_addc(b, ',');
    wt_json_add_string(b, key, strlen(key));
    wt_buf_addc(b, ':');
}

void wt_struct_string(wt_tool *t, const char *key, const char *s, size_t n)
{
    struct_key(t, key);
    wt_json_add_string(&t->structured, s, n);
    if (t->structured.failed)
        t->oom = true;
}

void wt_struct_int(wt_tool *t, const char *key, int64_t v)
{
    struct_key(t, key);
    wt_buf_printf(&t->structured, "%" PRId64, v);
    if (t->structured.failed)
        t->oom = true;
}

void wt_set_error(wt_tool *t)
{
    t->is_error = true;
}

void wt_fail(wt_tool *t, const char *fmt, ...)
{
    wt_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    /* an error result carries the error alone, even after content that
     * did not fit in memory */
    wt_buf_free(&t->items);
    wt_buf_free(&t->structured);
    t->oom = false;
    if (wt_buf_vprintf(&b, fmt, ap))
        wt_text(t, b.data, b.len);
    else
        t->oom = true;
    va_end(ap);
    wt_buf_free(&b);
    t->is_error = true;
}

bool wt_failed(const wt_tool *t)
{
    return t->is_error;
}

static bool print_all(const char *s, size_t n)
{
    return fwrite(s, 1, n, stdout) == n;
}

int wt_tool_end(wt_tool *t)
{
    static const char oom_result[] =
        "{\"content\":[{\"type\":\"text\",\"text\":\"the tool ran out of memory\"}],\"is_error\":true}\n";
    bool ok;
    if (t->oom || t->items.failed || t->structured.failed) {
        ok = print_all(oom_result, sizeof oom_result - 1);
    } else {
        ok = print_all("{\"content\":[", 12) && print_all(t->items.data ? t->items.data : "", t->items.len);
        if (t->structured.len)
            ok = ok && print_all("],\"structuredContent\":{", 23) &&
                 print_all(t->structured.data, t->structured.len) && print_all("}", 1);
        else
            ok = ok && print_all("]", 1);
        const char *end = t->is_error ? ",\"is_error\":true}\n" : ",\"is_error\":false}\n";
        ok = ok && print_all(end, strlen(end));
    }
    ok = fflush(stdout) == 0 && ok;
    if (!ok)
        fprintf(stderr, "tool: cannot write the result to stdout: %s\n", strerror(errno));
    wt_buf_free(&t->items);
    wt_buf_free(&t->structured);
    wt_buf_free(&t->arg_errors);
    if (t->have_doc)
        wt_json_doc_free(&t->doc);
    return ok ? 0 : 1;
}
