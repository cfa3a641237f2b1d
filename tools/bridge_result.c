/* From a finished run to the call's result object (bridge.h).
 *
 * The tool's stdout is untrusted: it must be exactly one result object
 * ({"content": [...], "is_error": bool, "structuredContent"?: {...}}, content
 * items text or image), else the call is an error naming what was wrong,
 * with the tail of the tool's stderr. Bytes that are not UTF-8 become U+FFFD
 * before anything is parsed, so a result is always valid JSON text. */
#include "bridge_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STDERR_TAIL 2048

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80)
        return c ? 1 : 0; /* NUL is replaced too: it would end a C string */
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, min = 0x10000;
    else
        return 0;
    if (n < len)
        return 0;
    unsigned cp = c & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* How many bytes from s on are ASCII other than NUL (copied as they are).
 * Tools print mostly such text, so it is skipped 8 bytes a step: a word
 * with no byte >= 0x80 and no zero byte (the test may flag a byte after a
 * zero byte, never miss one), then byte by byte. */
static size_t ascii_run(const unsigned char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    size_t i = 0;
    while (n - i >= 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (((w - ones) | w) & highs)
            break;
        i += 8;
    }
    while (i < n && s[i] && s[i] < 0x80)
        i++;
    return i;
}

/* Walks s as utf8_clean copies it: the length of the copy, and the copy
 * itself when out is not NULL. */
static size_t utf8_walk(const unsigned char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t run = ascii_run(s + i, n - i);
        if (out)
            memcpy(out + o, s + i, run);
        o += run;
        i += run;
        if (i == n)
            break;
        size_t k = utf8_seq(s + i, n - i);
        const void *from = k ? (const void *)(s + i) : "\xEF\xBF\xBD";
        size_t len = k ? k : 3;
        if (out)
            memcpy(out + o, from, len);
        o += len;
        i += k ? k : 1;
    }
    return o;
}

/* A valid UTF-8 copy of n bytes (invalid bytes as U+FFFD); NULL: no memory.
 * Sized first (a second quick pass), so a result of 64 KiB takes 64 KiB,
 * not the 192 KiB of the worst case (which malloc would map and unmap). */
static char *utf8_clean(const char *s, size_t n)
{
    size_t len = utf8_walk((const unsigned char *)s, n, NULL);
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    utf8_walk((const unsigned char *)s, n, out);
    out[len] = 0;
    return out;
}

/* cJSON keeps strings as C strings: a \u0000 escape would cut one short and
 * lose the rest. In the tool's JSON text (in place, same length) every such
 * escape becomes \ufffd, as invalid bytes do. */
static void nul_escapes_to_fffd(char *s)
{
    /* strchr and strcspn jump over the text between quotes and backslashes */
    for (;;) {
        s = strchr(s, '"'); /* a string begins */
        if (!s)
            return;
        s++;
        for (;;) {
            s += strcspn(s, "\"\\");
            if (*s != '\\')
                break;
            if (s[1] == 'u' && !strncmp(s + 2, "0000", 4))
                memcpy(s + 2, "fffd", 4);
            if (s[1])
                s++; /* the escaped character is never a quote or a backslash to us */
            s++;
        }
        if (!*s)
            return;
        s++; /* past the closing quote */
    }
}

/* The last STDERR_TAIL bytes of stderr, from a character boundary. */
static char *stderr_tail(const wbt_run *r)
{
    size_t from = r->err_len > STDERR_TAIL ? r->err_len - STDERR_TAIL : 0;
    while (from < r->err_len && ((unsigned char)r->err[from] & 0xC0) == 0x80)
        from++;
    return utf8_clean(r->err ? r->err + from : "", r->err ? r->err_len - from : 0);
}

static const char *status_name(wbt_status s)
{
    static const char *const names[] = {"exited", "trap", "limit", "cancelled", "error"};
    return names[s];
}

static cJSON *meta(const wbt_run *r, const char *limit, const char *message, wbt_status st)
{
    cJSON *m = cJSON_CreateObject();
    bool ok = m && cJSON_AddStringToObject(m, "status", status_name(st));
    ok = ok && (r->status == WBT_EXITED ? cJSON_AddNumberToObject(m, "exit_code", r->exit_code)
                                        : cJSON_AddNullToObject(m, "exit_code"));
    ok = ok && cJSON_AddNumberToObject(m, "fuel_used", (double)r->fuel_used);
    ok = ok && cJSON_AddNumberToObject(m, "wall_ms", (double)r->wall_ms);
    ok = ok && cJSON_AddNumberToObject(m, "peak_memory_bytes", (double)r->peak_memory);
    ok = ok && (limit ? cJSON_AddStringToObject(m, "limit", limit)
                      : cJSON_AddNullToObject(m, "limit"));
    ok = ok && (message && *message ? cJSON_AddStringToObject(m, "message", message)
                                    : cJSON_AddNullToObject(m, "message"));
    if (!ok) {
        cJSON_Delete(m);
        return NULL;
    }
    return m;
}

/* {"content":[{"type":"text","text":text}],"is_error":true} */
static cJSON *error_object(const char *text)
{
    cJSON *res = cJSON_CreateObject(), *content = cJSON_CreateArray(), *item = cJSON_CreateObject();
    bool ok = res && content && item && cJSON_AddStringToObject(item, "type", "text") &&
              cJSON_AddStringToObject(item, "text", text) && cJSON_AddItemToArray(content, item);
    if (ok)
        item = NULL;
    ok = ok && cJSON_AddItemToObject(res, "content", content);
    if (ok)
        content = NULL;
    ok = ok && cJSON_AddBoolToObject(res, "is_error", true);
    cJSON_Delete(item);
    cJSON_Delete(content);
    if (!ok) {
        cJSON_Delete(res);
        return NULL;
    }
    return res;
}

cJSON *wbt_result_error(const char *message)
{
    char *clean = utf8_clean(message, strlen(message));
    if (!clean)
        return NULL;
    cJSON *res = error_object(clean);
    wbt_run none = {.status = WBT_ERROR};
    cJSON *m = res ? meta(&none, NULL, clean, WBT_ERROR) : NULL;
    free(clean);
    if (!m || !cJSON_AddItemToObject(res, "meta", m)) {
        cJSON_Delete(m);
        cJSON_Delete(res);
        return NULL;
    }
    return res;
}

/* True when every member of o is one of the names given (NULL-ended), a
 * string, and the names marked required (a leading '!') are there. */
static bool only_strings(const cJSON *o, const char *const *names)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, o) {
        bool known = false;
        for (size_t k = 0; names[k] && !known; k++)
            known = !strcmp(f->string, names[k] + (names[k][0] == '!'));
        if (!known || !cJSON_IsString(f))
            return false;
    }
    for (size_t k = 0; names[k]; k++)
        if (names[k][0] == '!' && !cJSON_GetObjectItemCaseSensitive(o, names[k] + 1))
            return false;
    return true;
}

/* One MCP content item a tool may return: text, image or audio (base64
 * data with its MIME type), or an embedded resource (a URI with its text
 * or its base64 blob), as the MCP schema's ContentBlock has them. */
static bool content_item_ok(const cJSON *item)
{
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(item, "type");
    if (!cJSON_IsObject(item) || !cJSON_IsString(type))
        return false;
    const char *t = type->valuestring;
    static const char *const text[] = {"type", "!text", NULL};
    static const char *const media[] = {"type", "!data", "!mimeType", NULL};
    if (!strcmp(t, "text"))
        return only_strings(item, text);
    if (!strcmp(t, "image") || !strcmp(t, "audio"))
        return only_strings(item, media);
    if (strcmp(t, "resource"))
        return false;
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(item, "resource");
    if (cJSON_GetArraySize(item) != 2 || !cJSON_IsObject(res))
        return false;
    static const char *const with_text[] = {"!uri", "mimeType", "!text", NULL};
    static const char *const with_blob[] = {"!uri", "mimeType", "!blob", NULL};
    return only_strings(res, with_text) || only_strings(res, with_blob);
}

/* Checks the tool's parsed output; NULL if it is a result, else why not. */
static const char *not_a_result(const cJSON *o, char *why, size_t len)
{
    if (!cJSON_IsObject(o))
        return "it is not a JSON object";
    const cJSON *m;
    cJSON_ArrayForEach(m, o) {
        if (strcmp(m->string, "content") && strcmp(m->string, "is_error") &&
            strcmp(m->string, "structuredContent")) {
            snprintf(why, len, "unknown key \"%.80s\" (a result has content, is_error, "
                               "structuredContent)", m->string);
            return why;
        }
    }
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(o, "content");
    if (!cJSON_IsArray(content))
        return "\"content\" is missing or not an array";
    int i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, content) {
        if (!content_item_ok(item)) {
            snprintf(why, len, "content[%d] is not {\"type\":\"text\",\"text\":...}, "
                               "{\"type\":\"image\"|\"audio\",\"data\":...,\"mimeType\":...} or "
                               "{\"type\":\"resource\",\"resource\":{\"uri\":...,\"text\"|\"blob\":...}}",
                     i);
            return why;
        }
        i++;
    }
    if (!cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(o, "is_error")))
        return "\"is_error\" is missing or not true/false";
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(o, "structuredContent");
    if (sc && !cJSON_IsObject(sc))
        return "\"structuredContent\" is not an object";
    return NULL;
}

/* The error text for a run that gave no usable result, with the stderr tail. */
static cJSON *failed(const wbt_tool *t, const wbt_run *r, const char *what, const char *limit,
                     wbt_status st)
{
    char *tail = stderr_tail(r);
    size_t n = strlen(what) + (tail ? strlen(tail) : 0) + strlen(t->name) + 64;
    char *text = malloc(n);
    cJSON *res = NULL;
    if (tail && text) {
        if (*tail)
            snprintf(text, n, "%s: %s\n[stderr]\n%s", t->name, what, tail);
        else
            snprintf(text, n, "%s: %s", t->name, what);
        char *clean = utf8_clean(text, strlen(text));
        res = clean ? error_object(clean) : NULL;
        cJSON *m = res ? meta(r, limit, what, st) : NULL;
        if (res && (!m || !cJSON_AddItemToObject(res, "meta", m))) {
            cJSON_Delete(m);
            cJSON_Delete(res);
            res = NULL;
        }
        free(clean);
    }
    free(tail);
    free(text);
    return res;
}

cJSON *wbt_result_make(const wbt_tool *t, const wbt_run *r)
{
    char what[1400];
    if (r->status != WBT_EXITED) {
        const char *lead = r->status == WBT_LIMIT    ? "stopped by a limit: "
                           : r->status == WBT_TRAP   ? "the tool crashed: "
                           : r->status == WBT_ERROR  ? "could not run the tool: "
                                                     : "";
        snprintf(what, sizeof what, "%s%s", lead,
                 r->status == WBT_CANCELLED ? "the call was cancelled" : r->message);
        return failed(t, r, what, r->limit, r->status);
    }
    if (r->output_cut) {
        snprintf(what, sizeof what,
                 "stopped by a limit: the tool's output passed its limit (stdout and stderr "
                 "together; max_output)");
        /* (it ended before the watchdog's next look) */
        return failed(t, r, what, "output", WBT_LIMIT);
    }
    if (r->exit_code != 0) {
        snprintf(what, sizeof what, "the tool failed (exit code %d)", r->exit_code);
        return failed(t, r, what, NULL, WBT_EXITED);
    }
    char *clean = utf8_clean(r->out ? r->out : "", r->out ? r->out_len : 0);
    if (!clean)
        return NULL;
    nul_escapes_to_fffd(clean);
    const char *end = NULL;
    /* the common case quickly; cJSON for anything else (numbers, \u, ...) */
    cJSON *res = wbt_result_parse_fast(clean, strlen(clean), &end);
    if (!res)
        res = cJSON_ParseWithOpts(clean, &end, false);
    char why[300];
    const char *bad = NULL;
    if (!res) {
        bad = r->out_len ? "it is not valid JSON" : "the tool printed nothing";
    } else {
        while (end && *end && strchr(" \t\r\n", *end))
            end++;
        bad = end && *end ? "there is more after the JSON object" : not_a_result(res, why, sizeof why);
    }
    free(clean);
    if (bad) {
        cJSON_Delete(res);
        snprintf(what, sizeof what, "the tool's output was not a result: %s", bad);
        return failed(t, r, what, NULL, WBT_EXITED);
    }
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(res, "structuredContent");
    if (sc && t->output_schema) {
        char errs[1024];
        if (wbt_schema_validate(t->output_schema, sc, "structuredContent", errs, sizeof errs)) {
            cJSON_Delete(res);
            snprintf(what, sizeof what,
                     "the tool's structuredContent does not match its output_schema:\n%s", errs);
            return failed(t, r, what, NULL, WBT_EXITED);
        }
    }
    cJSON *m = meta(r, NULL, NULL, WBT_EXITED);
    if (!m || !cJSON_AddItemToObject(res, "meta", m)) {
        cJSON_Delete(m);
        cJSON_Delete(res);
        return NULL;
    }
    return res;
}
