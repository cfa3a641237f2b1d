/* The audit log: one JSON object per line, appended with a single write(2)
 * per record so concurrent writers (threads, or several processes on one
 * O_APPEND file) never interleave within a line. */
#include "policy.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct wb_audit {
    int fd;
    pthread_mutex_t lock;
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

static bool add_field(cJSON *obj, const char *key, const char *value)
{
    char renamed[128];
    /* "ts" and "event" belong to the record itself; a caller passing them
     * (say, a header name copied from a request) must not be able to forge them */
    if (strcmp(key, "ts") == 0 || strcmp(key, "event") == 0) {
        snprintf(renamed, sizeof renamed, "field_%s", key);
        key = renamed;
    }
    cJSON *v = value ? cJSON_CreateString(value) : cJSON_CreateNull();
    return v && cJSON_AddItemToObject(obj, key, v);
}

static bool write_record(wb_audit *a, cJSON *obj)
{
    char *text = cJSON_PrintUnformatted(obj);
    if (!text)
        return false;
    size_t n = strlen(text);
    char *line = malloc(n + 2);
    if (!line) {
        cJSON_free(text);
        return false;
    }
    memcpy(line, text, n);
    line[n] = '\n';
    cJSON_free(text);
    bool ok = true;
    pthread_mutex_lock(&a->lock);
    size_t off = 0;
    while (off < n + 1) {
        ssize_t w = write(a->fd, line + off, n + 1 - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            ok = false;
            break;
        }
        off += (size_t)w;
    }
    pthread_mutex_unlock(&a->lock);
    free(line);
    return ok;
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

bool wb_audit_event_kv(wb_audit *a, const char *event, const char *const *kv, size_t npairs)
{
    if (!a)
        return true;
    cJSON *obj = new_record(event);
    if (!obj)
        return false;
    for (size_t i = 0; i < npairs; i++) {
        if (!kv[2 * i] || !add_field(obj, kv[2 * i], kv[2 * i + 1])) {
            cJSON_Delete(obj);
            return false;
        }
    }
    bool ok = write_record(a, obj);
    cJSON_Delete(obj);
    return ok;
}

bool wb_audit_event(wb_audit *a, const char *event, ...)
{
    if (!a)
        return true;
    cJSON *obj = new_record(event);
    if (!obj)
        return false;
    va_list ap;
    va_start(ap, event);
    bool ok = true;
    for (;;) {
        const char *key = va_arg(ap, const char *);
        if (!key)
            break;
        const char *value = va_arg(ap, const char *);
        if (!add_field(obj, key, value)) {
            ok = false;
            break;
        }
    }
    va_end(ap);
    ok = ok && write_record(a, obj);
    cJSON_Delete(obj);
    return ok;
}

void wb_audit_close(wb_audit *a)
{
    if (!a)
        return;
    close(a->fd);
    pthread_mutex_destroy(&a->lock);
    free(a);
}
