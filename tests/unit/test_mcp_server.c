/* The MCP server's threads (tools/mcp/: reader, worker pool, progress
 * sender, serialized writer) over pipes, with a fake tool backend: hundreds
 * of concurrent calls each get exactly their own answer, progress comes only
 * for calls that asked, never after the call's answer, and cancelled calls
 * are never answered; batches (2025-03-26) of calls on several workers
 * each answered once, as one array, while another thread sends
 * notifications/tools/list_changed. Run under ThreadSanitizer by `make
 * test TSAN=1`. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../tools/mcp/mcp.h"

typedef struct token {
    atomic_bool fired;
} token;

static cJSON *manifests;
static atomic_int calls_running, calls_max;

static size_t count(void *self)
{
    (void)self;
    return (size_t)cJSON_GetArraySize(manifests);
}

static const cJSON *manifest(void *self, size_t i)
{
    (void)self;
    return cJSON_GetArrayItem(manifests, (int)i);
}

/* work {n, ms}: waits ms (or until cancelled), reporting progress each
 * millisecond, then answers "n=N". */
static cJSON *call(void *self, const char *name, const cJSON *input, const mcp_call_opts *o)
{
    (void)self;
    (void)name;
    int now = atomic_fetch_add(&calls_running, 1) + 1;
    for (int m = atomic_load(&calls_max); now > m && !atomic_compare_exchange_weak(&calls_max, &m, now);)
        ;
    token *t = o->cancel;
    int n = cJSON_GetObjectItem(input, "n")->valueint;
    int ms = cJSON_GetObjectItem(input, "ms")->valueint;
    for (int i = 1; i <= ms && !atomic_load(&t->fired); i++) {
        struct timespec nap = {0, 1000000};
        nanosleep(&nap, NULL);
        if (o->progress)
            o->progress(o->progress_ctx, (uint64_t)i * 100, (uint64_t)i);
    }
    atomic_fetch_sub(&calls_running, 1);
    char text[32];
    snprintf(text, sizeof text, "n=%d", n);
    cJSON *r = cJSON_CreateObject();
    cJSON *c = cJSON_AddArrayToObject(r, "content");
    cJSON *item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "type", "text");
    cJSON_AddStringToObject(item, "text", text);
    cJSON_AddItemToArray(c, item);
    cJSON_AddBoolToObject(r, "is_error", false);
    return r;
}

static void *cancel_new(void *self)
{
    (void)self;
    return calloc(1, sizeof(token));
}

static void cancel_fire(void *t)
{
    atomic_store(&((token *)t)->fired, true);
}

static const mcp_backend backend = {
    .count = count, .manifest = manifest, .call = call,
    .cancel_new = cancel_new, .cancel_fire = cancel_fire, .cancel_free = free,
};

typedef struct session {
    int to_server[2], from_server[2];
    pthread_t server, reader;
    mcp_config cfg;
    int rc;
    cJSON *messages; /* every message the server wrote, in order */
} session;

static void *serve(void *arg)
{
    session *s = arg;
    s->rc = mcp_serve(&s->cfg, &backend, NULL, s->to_server[0], s->from_server[1]);
    close(s->from_server[1]);
    return NULL;
}

static void *read_all(void *arg)
{
    session *s = arg;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (len == cap)
            buf = realloc(buf, cap *= 2);
        ssize_t n = read(s->from_server[0], buf + len, cap - len);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    size_t start = 0;
    for (size_t i = 0; i < len; i++)
        if (buf[i] == '\n') {
            cJSON *m = cJSON_ParseWithLength(buf + start, i - start);
            assert_non_null(m);
            cJSON_AddItemToArray(s->messages, m);
            start = i + 1;
        }
    assert_int_equal(start, len); /* every line whole */
    free(buf);
    return NULL;
}

static bool announce_changes; /* the next server announces tools.listChanged */

static void start(session *s, size_t jobs, size_t queue)
{
    memset(s, 0, sizeof *s);
    mcp_config_defaults(&s->cfg);
    s->cfg.tools_list_changed = announce_changes;
    s->cfg.jobs = jobs;
    s->cfg.max_queue = queue;
    s->messages = cJSON_CreateArray();
    assert_int_equal(pipe(s->to_server), 0);
    assert_int_equal(pipe(s->from_server), 0);
    assert_int_equal(pthread_create(&s->server, NULL, serve, s), 0);
    assert_int_equal(pthread_create(&s->reader, NULL, read_all, s), 0);
}

static void send_line(session *s, const char *fmt, ...)
{
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    line[n++] = '\n';
    assert_int_equal(write(s->to_server[1], line, (size_t)n), n);
}

static void finish(session *s)
{
    close(s->to_server[1]);
    pthread_join(s->server, NULL);
    pthread_join(s->reader, NULL);
    close(s->to_server[0]);
    close(s->from_server[0]);
    assert_int_equal(s->rc, 0);
}

static void initialize(session *s)
{
    send_line(s, "{\"jsonrpc\":\"2.0\",\"id\":\"init\",\"method\":\"initialize\",\"params\":"
                 "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                 "\"clientInfo\":{\"name\":\"unit\",\"version\":\"1\"}}}");
}

static void test_many_calls(void **state)
{
    (void)state;
    enum { N = 300 };
    session s;
    start(&s, 4, N);
    initialize(&s);
    for (int i = 0; i < N; i++) {
        if (i % 2)
            send_line(&s, "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/call\",\"params\":{\"name\":"
                          "\"work\",\"arguments\":{\"n\":%d,\"ms\":%d},\"_meta\":{\"progressToken\":%d}}}",
                      i, i, 1 + i % 7, 100000 + i);
        else
            send_line(&s, "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/call\",\"params\":{\"name\":"
                          "\"work\",\"arguments\":{\"n\":%d,\"ms\":%d}}}",
                      i, i, 1 + i % 7);
    }
    finish(&s);
    int answered[N] = {0};
    bool done[N] = {false};
    int progress = 0;
    for (cJSON *m = s.messages->child; m; m = m->next) {
        cJSON *id = cJSON_GetObjectItem(m, "id");
        if (cJSON_IsString(id)) /* the initialize answer */
            continue;
        if (!id) {
            cJSON *p = cJSON_GetObjectItem(m, "params");
            int tok = cJSON_GetObjectItem(p, "progressToken")->valueint - 100000;
            assert_true(tok >= 0 && tok < N && tok % 2 == 1); /* only calls that asked */
            assert_false(done[tok]);                           /* never after the answer */
            progress++;
            continue;
        }
        int i = id->valueint;
        assert_true(i >= 0 && i < N);
        cJSON *r = cJSON_GetObjectItem(m, "result");
        assert_non_null(r);
        char want[32];
        snprintf(want, sizeof want, "n=%d", i);
        assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "content"), 0)
                                ->child->next->valuestring,
                            want);
        answered[i]++;
        done[i] = true;
    }
    for (int i = 0; i < N; i++)
        assert_int_equal(answered[i], 1);
    assert_true(progress > 0);
    assert_true(atomic_load(&calls_max) > 1 && atomic_load(&calls_max) <= 4);
    cJSON_Delete(s.messages);
}

static void test_cancelled_calls_unanswered(void **state)
{
    (void)state;
    enum { N = 40 };
    session s;
    start(&s, 3, N + 10);
    initialize(&s);
    for (int i = 0; i < N; i++)
        send_line(&s, "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/call\",\"params\":{\"name\":"
                      "\"work\",\"arguments\":{\"n\":%d,\"ms\":60000},\"_meta\":{\"progressToken\":%d}}}",
                  i, i, i);
    struct timespec nap = {0, 20000000};
    nanosleep(&nap, NULL);
    for (int i = 0; i < N; i++)
        send_line(&s, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":"
                      "{\"requestId\":%d}}",
                  i);
    send_line(&s, "{\"jsonrpc\":\"2.0\",\"id\":\"last\",\"method\":\"ping\"}");
    finish(&s); /* returns only when every call stopped */
    int answers = 0;
    for (cJSON *m = s.messages->child; m; m = m->next) {
        cJSON *id = cJSON_GetObjectItem(m, "id");
        if (id) {
            assert_true(cJSON_IsString(id)); /* init and last only */
            answers++;
        }
    }
    assert_int_equal(answers, 2);
    cJSON_Delete(s.messages);
}

static void *notifier(void *arg)
{
    (void)arg;
    struct timespec nap = {0, 2000000};
    for (int i = 0; i < 50; i++) {
        nanosleep(&nap, NULL);
        mcp_notify_tools_changed();
    }
    return NULL;
}

static void test_batches_and_notifications(void **state)
{
    (void)state;
    enum { B = 20, K = 5 };
    session s;
    announce_changes = true;
    start(&s, 3, B * K);
    announce_changes = false;
    send_line(&s, "{\"jsonrpc\":\"2.0\",\"id\":\"init\",\"method\":\"initialize\",\"params\":"
                  "{\"protocolVersion\":\"2025-03-26\",\"capabilities\":{},"
                  "\"clientInfo\":{\"name\":\"unit\",\"version\":\"1\"}}}");
    pthread_t nt;
    assert_int_equal(pthread_create(&nt, NULL, notifier, NULL), 0);
    for (int b = 0; b < B; b++) {
        char line[2048];
        int n = snprintf(line, sizeof line, "[");
        for (int k = 0; k < K; k++)
            n += snprintf(line + n, sizeof line - (size_t)n,
                          "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/call\",\"params\":"
                          "{\"name\":\"work\",\"arguments\":{\"n\":%d,\"ms\":%d}%s}},",
                          b * K + k, b * K + k, 1 + (b + k) % 5,
                          k == 0 ? ",\"_meta\":{\"progressToken\":1}" : "");
        snprintf(line + n, sizeof line - (size_t)n, "{\"jsonrpc\":\"2.0\",\"id\":\"p%d\",\"method\":\"ping\"}]", b);
        send_line(&s, "%s", line);
    }
    pthread_join(nt, NULL);
    finish(&s);
    int answered[B * K] = {0}, arrays = 0, changed = 0;
    bool init_seen = false;
    for (cJSON *m = s.messages->child; m; m = m->next) {
        cJSON *method = cJSON_GetObjectItem(m, "method");
        if (cJSON_IsString(method) && !strcmp(method->valuestring, "notifications/tools/list_changed")) {
            assert_true(init_seen); /* never before initialize's answer */
            changed++;
        }
        if (!cJSON_IsArray(m)) {
            init_seen = init_seen || cJSON_GetObjectItem(m, "id");
            continue; /* the initialize answer, progress, list_changed */
        }
        arrays++;
        assert_int_equal(cJSON_GetArraySize(m), K + 1);
        int first = -1;
        for (cJSON *r = m->child; r; r = r->next) {
            cJSON *id = cJSON_GetObjectItem(r, "id");
            assert_non_null(cJSON_GetObjectItem(r, "result"));
            if (cJSON_IsString(id))
                continue; /* its ping */
            int i = id->valueint;
            assert_true(i >= 0 && i < B * K);
            if (first < 0)
                first = i / K;
            assert_int_equal(i / K, first); /* only its own batch's calls */
            answered[i]++;
        }
    }
    assert_int_equal(arrays, B);
    assert_true(changed > 0 && changed <= 50);
    for (int i = 0; i < B * K; i++)
        assert_int_equal(answered[i], 1);
    cJSON_Delete(s.messages);
}

int main(void)
{
    manifests = cJSON_Parse("[{\"name\":\"work\",\"description\":\"waits\","
                            "\"input_schema\":{\"type\":\"object\"}}]");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_calls),
        cmocka_unit_test(test_cancelled_calls_unanswered),
        cmocka_unit_test(test_batches_and_notifications),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    cJSON_Delete(manifests);
    return rc;
}
