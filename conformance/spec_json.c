/* Reading wast2json output: files, JSON, fields and byte-string names. */
#include "spec_json.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint8_t *spec_read_file(const char *path, size_t max_len, size_t *len, char *why, size_t why_len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, why_len, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, used = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        if (used == cap) {
            if (cap >= max_len) {
                snprintf(why, why_len, "%s is larger than %zu bytes", path, max_len);
                break;
            }
            size_t next = cap * 2 > max_len ? max_len : cap * 2;
            uint8_t *grown = realloc(buf, next);
            if (!grown) {
                snprintf(why, why_len, "out of memory reading %s", path);
                break;
            }
            buf = grown;
            cap = next;
        }
        size_t n = fread(buf + used, 1, cap - used, f);
        used += n;
        if (n == 0) {
            if (ferror(f)) {
                snprintf(why, why_len, "cannot read %s: %s", path, strerror(errno));
                break;
            }
            fclose(f);
            *len = used;
            return buf;
        }
    }
    if (!buf)
        snprintf(why, why_len, "out of memory reading %s", path);
    free(buf);
    fclose(f);
    return NULL;
}

/* ---- the NUL stand-in ---- */

static void utf8_encode4(uint32_t cp, uint8_t out[4])
{
    out[0] = (uint8_t)(0xF0 | (cp >> 18));
    out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (uint8_t)(0x80 | (cp & 0x3F));
}

static void surrogate_escape(uint32_t cp, char out[16])
{
    uint32_t v = cp - 0x10000;
    snprintf(out, 16, "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
}

/* A private-use code point that appears in text neither raw nor escaped, so
 * that turning it back into NUL after parsing cannot touch any real name.
 * text must hold no NUL byte (checked by the caller). */
static bool pick_stand_in(const char *text, size_t len, uint32_t *cp_out)
{
    for (uint32_t cp = 0xF0000; cp <= 0xFFFFD; cp++) {
        uint8_t utf8[4];
        char esc[16];
        utf8_encode4(cp, utf8);
        surrogate_escape(cp, esc);
        if (!memmem(text, len, utf8, 4) && !strcasestr(text, esc)) {
            *cp_out = cp;
            return true;
        }
    }
    return false;
}

/* Copies text, replacing every "\u0000" escape inside a string with the
 * stand-in's escape. Returns NULL when out of memory. */
static char *replace_nul_escapes(const char *text, size_t len, uint32_t cp, size_t *out_len)
{
    char esc[16];
    surrogate_escape(cp, esc);
    /* each 6-byte escape grows to 12 bytes: at most double */
    if (len > (SIZE_MAX - 1) / 2)
        return NULL;
    char *out = malloc(len * 2 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (!in_string) {
            if (c == '"')
                in_string = true;
            out[o++] = c;
            continue;
        }
        if (c == '"') {
            in_string = false;
            out[o++] = c;
        } else if (c == '\\' && i + 1 < len) {
            if (text[i + 1] == 'u' && i + 5 < len && memcmp(text + i + 2, "0000", 4) == 0) {
                memcpy(out + o, esc, 12);
                o += 12;
                i += 5;
            } else {
                out[o++] = c;
                out[o++] = text[++i];
            }
        } else {
            out[o++] = c;
        }
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

bool spec_json_parse(spec_json *json, const char *text, size_t len, char *why, size_t why_len)
{
    memset(json, 0, sizeof *json);
    if (memchr(text, '\0', len)) {
        snprintf(why, why_len, "JSON text holds a NUL byte");
        return false;
    }
    /* strcasestr below needs a terminated string */
    char *copy = malloc(len + 1);
    if (!copy) {
        snprintf(why, why_len, "out of memory");
        return false;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';

    const char *to_parse = copy;
    size_t parse_len = len;
    char *replaced = NULL;
    if (strstr(copy, "\\u0000")) {
        uint32_t cp;
        if (!pick_stand_in(copy, len, &cp)) {
            snprintf(why, why_len, "no free code point to stand in for NUL");
            free(copy);
            return false;
        }
        replaced = replace_nul_escapes(copy, len, cp, &parse_len);
        if (!replaced) {
            snprintf(why, why_len, "out of memory");
            free(copy);
            return false;
        }
        json->has_nul_stand_in = true;
        utf8_encode4(cp, json->nul_stand_in);
        to_parse = replaced;
    }
    json->root = cJSON_ParseWithLength(to_parse, parse_len);
    free(replaced);
    free(copy);
    if (!json->root) {
        snprintf(why, why_len, "not valid JSON");
        return false;
    }
    return true;
}

void spec_json_free(spec_json *json)
{
    cJSON_Delete(json->root);
    json->root = NULL;
}

const char *spec_json_str(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(item) && item->valuestring ? item->valuestring : NULL;
}

long spec_json_line(const cJSON *obj)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, "line");
    if (!cJSON_IsNumber(item))
        return -1;
    double d = item->valuedouble;
    if (!(d >= 0 && d <= INT32_MAX) || d != (double)(long)d)
        return -1;
    return (long)d;
}

bool spec_json_name(const spec_json *json, const cJSON *item, spec_name *out)
{
    out->data = NULL;
    out->len = 0;
    if (!cJSON_IsString(item) || !item->valuestring)
        return false;
    const char *s = item->valuestring;
    size_t n = strlen(s);
    char *data = malloc(n + 1);
    if (!data)
        return false;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (json->has_nul_stand_in && i + 4 <= n && memcmp(s + i, json->nul_stand_in, 4) == 0) {
            data[o++] = '\0';
            i += 3;
        } else {
            data[o++] = s[i];
        }
    }
    data[o] = '\0';
    out->data = data;
    out->len = o;
    return true;
}

void spec_name_free(spec_name *name)
{
    free(name->data);
    name->data = NULL;
    name->len = 0;
}

bool spec_name_eq(const spec_name *a, const char *data, size_t len)
{
    return a->len == len && (len == 0 || memcmp(a->data, data, len) == 0);
}

void spec_name_format(const char *data, size_t len, char *buf, size_t buf_len)
{
    if (buf_len == 0)
        return;
    size_t o = 0;
    for (size_t i = 0; i < len && o + 5 < buf_len; i++) {
        unsigned char c = (unsigned char)data[i];
        if (c >= 0x20 && c < 0x7F && c != '\\' && c != '"')
            buf[o++] = (char)c;
        else
            o += (size_t)snprintf(buf + o, buf_len - o, "\\%02x", c);
    }
    buf[o] = '\0';
}
