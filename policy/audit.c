/* The audit log: one JSON object per line, appended with a single write(2)
 * per record so concurrent writers (threads, or several processes on one
 * O_APPEND file) never interleave within a line.
 *
 * It is the one writer every layer's records go through, so it is also
 * where a run's log is bounded: strings are cut, records past the cap are
 * counted instead of written (policy.h says exactly how). */
#include "policy.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Distinct once-a-run event names remembered; more are capped like others. */
#define MAX_ONCE_EVENTS 16

struct wb_audit {
    int fd;
    pthread_mutex_t lock;
    uint64_t kept;       /* capped records written ... */
    uint64_t kept_bytes; /* ... and their bytes */
    uint64_t suppressed; /* capped records left out */
    bool sealed;         /* wb_audit_seal: the last record is written */
    char *once[MAX_ONCE_EVENTS];
    size_t nonce;
};

wb_audit *wb_audit_open(const char *path, char *err, size_t errlen)
{
    if (!path || !path[0]) {
        if (err && errlen)
            snprintf(err, errlen, "audit: no file name");
        return NULL;
    }
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
    if (fd < 0) {
        if (err && errlen)
            snprintf(err, errlen, "audit: cannot open \"%s\": %s", path, strerror(errno));
        return NULL;
    }
    wb_audit *a = calloc(1, sizeof *a);
    if (!a) {
        close(fd);
        if (err && errlen)
            snprintf(err, errlen, "audit: out of memory");
        return NULL;
    }
    a->fd = fd;
    pthread_mutex_init(&a->lock, NULL);
    return a;
}

static void timestamp(char *buf, size_t len)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char base[32];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, len, "%s.%03ldZ", base, ts.tv_nsec / 1000000);
}

/* ---- strings: valid UTF-8, bounded ---- */

/* Length of the well-formed UTF-8 sequence at s[0..n) (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or 0 if it is not
 * one. NUL counts as not well-formed: cJSON strings end at it. (Hand-written
 * rather than a library so policy/ stays on libc and cJSON.) */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c >= 0x01 && c < 0x80)
        return 1;
    size_t len;
    unsigned lo = 0x80, hi = 0xBF; /* the allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

/* A copy of s[0..n) as UTF-8 of at most max bytes: well-formed characters as
 * they are, each other byte as U+FFFD, cut before the first character that
 * does not fit. *cut tells whether anything was left out. NULL: no memory. */
static char *clean_text(const char *s, size_t n, size_t max, bool *cut)
{
    static const char replacement[] = "\xEF\xBF\xBD";
    size_t cap = n < max / 3 ? 3 * n : max;
    char *out = malloc(cap + 1);
    if (!out)
        return NULL;
    const unsigned char *in = (const unsigned char *)s;
    size_t i = 0, o = 0;
    while (i < n) {
        size_t len = utf8_seq(in + i, n - i);
        const char *piece = len ? s + i : replacement;
        size_t plen = len ? len : 3;
        if (o + plen > cap)
            break;
        memcpy(out + o, piece, plen);
        o += plen;
        i += len ? len : 1;
    }
    out[o] = 0;
    *cut = i < n;
    return out;
}

/* Makes every string inside a caller-built JSON value valid UTF-8 (not cut:
 * such values come from the host, e.g. the policy's directories). */
static bool clean_tree(cJSON *v)
{
    if (cJSON_IsString(v) && v->valuestring) {
        bool cut;
        char *c = clean_text(v->valuestring, strlen(v->valuestring), SIZE_MAX, &cut);
        if (!c)
            return false;
        bool ok = !strcmp(c, v->valuestring) || cJSON_SetValuestring(v, c);
        free(c);
        if (!ok)
            return false;
    }
    for (cJSON *child = v ? v->child : NULL; child; child = child->next)
        if (!clean_tree(child))
            return false;
    return true;
}

/* ---- building one record ---- */

static cJSON *integer(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An exact integer: cJSON's numbers are doubles, which lose digits past 2^53. */
static cJSON *integer(const char *fmt, ...)
{
    char buf[32];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return cJSON_CreateRaw(buf);
}

static cJSON *text_value(const char *key, const char *s, size_t n, cJSON *truncated)
{
    bool cut;
    char *c = clean_text(s, n, WB_AUDIT_MAX_TEXT, &cut);
    if (!c)
        return NULL;
    cJSON *v = cJSON_CreateString(c);
    free(c);
    if (v && cut && !cJSON_AddItemToObject(truncated, key, integer("%zu", n))) {
        cJSON_Delete(v);
        return NULL;
    }
    return v;
}

/* The strings of an array are cut one by one; "truncated" names the array
 * and the original length of the longest cut string. */
static cJSON *text_array(const char *key, const char *const *strs, size_t n, cJSON *truncated)
{
    cJSON *arr = cJSON_CreateArray();
    size_t longest_cut = 0;
    for (size_t i = 0; arr && i < n; i++) {
        bool cut = false;
        char *c = strs[i] ? clean_text(strs[i], strlen(strs[i]), WB_AUDIT_MAX_TEXT, &cut) : NULL;
        cJSON *v = c ? cJSON_CreateString(c) : strs[i] ? NULL : cJSON_CreateNull();
        free(c);
        if (!v || !cJSON_AddItemToArray(arr, v)) {
            cJSON_Delete(v);
            cJSON_Delete(arr);
            return NULL;
        }
        if (cut && strlen(strs[i]) > longest_cut)
            longest_cut = strlen(strs[i]);
    }
    if (arr && longest_cut &&
        !cJSON_AddItemToObject(truncated, key, integer("%zu", longest_cut))) {
        cJSON_Delete(arr);
        return NULL;
    }
    return arr;
}

static cJSON *value_of(const wb_audit_field *f, const char *key, cJSON *truncated)
{
    switch (f->type) {
    case WB_AUDIT_T_NULL: return cJSON_CreateNull();
    case WB_AUDIT_T_STR:
        return f->str ? text_value(key, f->str, strlen(f->str), truncated) : cJSON_CreateNull();
    case WB_AUDIT_T_STRN:
        return f->str ? text_value(key, f->str, f->len, truncated) : cJSON_CreateNull();
    case WB_AUDIT_T_INT: return integer("%" PRId64, f->i);
    case WB_AUDIT_T_UINT: return integer("%" PRIu64, f->u);
    case WB_AUDIT_T_LIMIT:
        return f->u == WB_UNLIMITED ? cJSON_CreateString("unlimited") : integer("%" PRIu64, f->u);
    case WB_AUDIT_T_BOOL: return cJSON_CreateBool(f->b);
    case WB_AUDIT_T_STRS: return text_array(key, f->strs, f->len, truncated);
    case WB_AUDIT_T_JSON: return NULL; /* handled by the caller: it owns the value */
    }
    return NULL;
}

/* Keys of the record itself are not the caller's to set. */
static const char *safe_key(const char *key, char *buf, size_t len)
{
    if (strcmp(key, "ts") && strcmp(key, "event") && strcmp(key, "truncated"))
        return key;
    snprintf(buf, len, "field_%s", key);
    return buf;
}

static cJSON *new_record(const char *event)
{
    cJSON *obj = cJSON_CreateObject();
    char ts[64];
    timestamp(ts, sizeof ts);
    if (!obj || !cJSON_AddStringToObject(obj, "ts", ts) ||
        !cJSON_AddStringToObject(obj, "event", event ? event : "")) {
        cJSON_Delete(obj);
        return NULL;
    }
    return obj;
}

/* The record, or NULL. Takes over every JSON field, whatever happens. */
static cJSON *build(const char *event, const wb_audit_field *fields, size_t n)
{
    cJSON *obj = new_record(event), *truncated = cJSON_CreateObject();
    bool ok = obj && truncated;
    for (size_t i = 0; i < n; i++) {
        const wb_audit_field *f = &fields[i];
        char renamed[128];
        const char *key = f->key ? safe_key(f->key, renamed, sizeof renamed) : NULL;
        cJSON *v = NULL;
        if (f->type == WB_AUDIT_T_JSON) {
            v = f->json ? f->json : cJSON_CreateNull(); /* ours now, whatever happens */
            if (v && !clean_tree(v)) {
                cJSON_Delete(v);
                v = NULL;
            }
        } else if (ok && key)
            v = value_of(f, key, truncated);
        if (ok && key && v && cJSON_AddItemToObject(obj, key, v))
            continue;
        cJSON_Delete(v);
        ok = false;
    }
    if (ok && cJSON_GetArraySize(truncated) > 0) {
        ok = cJSON_AddItemToObject(obj, "truncated", truncated);
        truncated = ok ? NULL : truncated;
    }
    cJSON_Delete(truncated);
    if (!ok) {
        cJSON_Delete(obj);
        return NULL;
    }
    return obj;
}

/* The record as one line, newline included; NULL when out of memory. */
static char *format_line(const cJSON *obj, size_t *len)
{
    char *text = cJSON_PrintUnformatted(obj);
    if (!text)
        return NULL;
    size_t n = strlen(text);
    char *line = malloc(n + 2);
    if (line) {
        memcpy(line, text, n);
        memcpy(line + n, "\n", 2);
        *len = n + 1;
    }
    cJSON_free(text);
    return line;
}

/* One write(2), repeated only for a short write. Called with the lock held. */
static bool write_all(int fd, const char *buf, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, buf + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        off += (size_t)w;
    }
    return true;
}

/* Whether a WB_AUDIT_F_ONCE record may pass the cap: only the first of its
 * event name does (the name is remembered). Called with the lock held. */
static bool first_of_its_name(wb_audit *a, const char *event)
{
    for (size_t i = 0; i < a->nonce; i++)
        if (!strcmp(a->once[i], event))
            return false;
    if (a->nonce == MAX_ONCE_EVENTS || !(a->once[a->nonce] = strdup(event)))
        return false;
    a->nonce++;
    return true;
}

static void free_json_fields(const wb_audit_field *fields, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fields[i].type == WB_AUDIT_T_JSON)
            cJSON_Delete(fields[i].json);
}

/* Leaves a capped record out: counts it, and says so with the first one.
 * Called with the lock held. */
static bool suppress(wb_audit *a)
{
    if (a->suppressed++ > 0)
        return true;
    cJSON *notice = build("audit.suppressed",
                          (const wb_audit_field[]){
                              WB_UINT("max_records", WB_AUDIT_MAX_RECORDS),
                              WB_UINT("max_bytes", WB_AUDIT_MAX_BYTES),
                              WB_STR("reason", "the log reached its cap: the rest of the run's "
                                               "records are only counted (run.exit: "
                                               "audit_suppressed)"),
                          },
                          3);
    size_t len = 0;
    char *line = notice ? format_line(notice, &len) : NULL;
    cJSON_Delete(notice);
    bool ok = line && write_all(a->fd, line, len);
    free(line);
    return ok;
}

bool wb_audit_write(wb_audit *a, const char *event, unsigned flags, const wb_audit_field *fields,
                    size_t nfields)
{
    if (!a || !event) {
        free_json_fields(fields, nfields);
        return !a;
    }
    cJSON *obj = build(event, fields, nfields);
    size_t len = 0;
    char *line = obj ? format_line(obj, &len) : NULL;
    cJSON_Delete(obj);
    pthread_mutex_lock(&a->lock);
    bool once = !a->sealed && (flags & WB_AUDIT_F_ONCE) && first_of_its_name(a, event);
    bool ok;
    if (a->sealed)
        ok = true; /* after the end: dropped, not an error */
    else if (!line)
        ok = false;
    else if (!once &&
             (a->kept >= WB_AUDIT_MAX_RECORDS || len > WB_AUDIT_MAX_BYTES - a->kept_bytes))
        ok = suppress(a);
    else if ((ok = write_all(a->fd, line, len)) && !once) {
        a->kept++;
        a->kept_bytes += len;
    }
    pthread_mutex_unlock(&a->lock);
    free(line);
    return ok;
}

uint64_t wb_audit_suppressed(wb_audit *a)
{
    if (!a)
        return 0;
    pthread_mutex_lock(&a->lock);
    uint64_t n = a->suppressed;
    pthread_mutex_unlock(&a->lock);
    return n;
}

void wb_audit_seal(wb_audit *a)
{
    if (!a)
        return;
    pthread_mutex_lock(&a->lock);
    a->sealed = true;
    pthread_mutex_unlock(&a->lock);
}

void wb_audit_close(wb_audit *a)
{
    if (!a)
        return;
    close(a->fd);
    for (size_t i = 0; i < a->nonce; i++)
        free(a->once[i]);
    pthread_mutex_destroy(&a->lock);
    free(a);
}
