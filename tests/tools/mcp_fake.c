/* A test double: the MCP server (tools/mcp/) over fake tools, so the
 * protocol can be tested exactly, with no sandbox in the way. Never shipped
 * as a tool; tests/e2e/mcp_stdio.sh drives it.
 *
 *   mcp_fake [--jobs N] [--max-message N] [--max-queue N] [--page-size N]
 *            [--extra-tools N] [--skills DIR]...
 *
 * Tools: echo (its arguments back as text), sleep {ms} (waits, stops when
 * cancelled, reports progress every 20 ms), structured (declares an output
 * schema, returns structuredContent), fail (isError), broken (a result with
 * no content: the server's internal error), and N more named extra_NNN. */
#include "../../tools/mcp/mcp.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct fake_cancel {
    atomic_bool fired;
} fake_cancel;

static cJSON *manifests;

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

static uint64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static cJSON *text_result(const char *text, bool is_error)
{
    cJSON *r = cJSON_CreateObject();
    cJSON *c = cJSON_AddArrayToObject(r, "content");
    cJSON *item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "type", "text");
    cJSON_AddStringToObject(item, "text", text);
    cJSON_AddItemToArray(c, item);
    cJSON_AddBoolToObject(r, "is_error", is_error);
    cJSON *meta = cJSON_AddObjectToObject(r, "meta");
    cJSON_AddStringToObject(meta, "double", "mcp_fake");
    return r;
}

static cJSON *call(void *self, const char *name, const cJSON *input, const mcp_call_opts *o)
{
    (void)self;
    fake_cancel *c = o->cancel;
    if (!strcmp(name, "echo")) {
        char *t = cJSON_PrintUnformatted(input);
        cJSON *r = text_result(t, false);
        free(t);
        return r;
    }
    if (!strcmp(name, "sleep")) {
        const cJSON *ms = cJSON_GetObjectItemCaseSensitive(input, "ms");
        uint64_t want = cJSON_IsNumber(ms) && ms->valuedouble > 0 ? (uint64_t)ms->valuedouble : 0;
        uint64_t start = now_ms(), last = start;
        while (now_ms() - start < want && !atomic_load(&c->fired)) {
            struct timespec nap = {0, 2000000};
            nanosleep(&nap, NULL);
            if (o->progress && now_ms() - last >= 20) {
                last = now_ms();
                o->progress(o->progress_ctx, (last - start) * 1000, last - start);
            }
        }
        char t[64];
        snprintf(t, sizeof t, atomic_load(&c->fired) ? "cancelled" : "slept %llu ms",
                 (unsigned long long)want);
        return text_result(t, atomic_load(&c->fired));
    }
    if (!strcmp(name, "structured")) {
        cJSON *r = text_result("{\"n\":42}", false);
        cJSON *sc = cJSON_AddObjectToObject(r, "structuredContent");
        cJSON_AddNumberToObject(sc, "n", 42);
        return r;
    }
    if (!strcmp(name, "fail"))
        return text_result("the fake tool failed, as asked", true);
    if (!strcmp(name, "broken"))
        return cJSON_CreateObject();
    return text_result(name, false);
}

static void *cancel_new(void *self)
{
    (void)self;
    return calloc(1, sizeof(fake_cancel));
}

static void cancel_fire(void *t)
{
    atomic_store(&((fake_cancel *)t)->fired, true);
}

static void add_tool(const char *name, const char *desc, const char *output_schema)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "name", name);
    cJSON_AddStringToObject(m, "description", desc);
    cJSON_AddItemToObject(m, "input_schema", cJSON_Parse("{\"type\":\"object\"}"));
    if (output_schema)
        cJSON_AddItemToObject(m, "output_schema", cJSON_Parse(output_schema));
    cJSON_AddItemToArray(manifests, m);
}

static void on_signal(int sig)
{
    (void)sig;
    mcp_stop();
}

int main(int argc, char **argv)
{
    mcp_config cfg;
    mcp_config_defaults(&cfg);
    mcp_skills skills = {0};
    size_t extra = 0;
    char err[1024];
    for (int i = 1; i + 1 < argc; i += 2) {
        size_t v = strtoull(argv[i + 1], NULL, 10);
        if (!strcmp(argv[i], "--jobs"))
            cfg.jobs = v;
        else if (!strcmp(argv[i], "--max-message"))
            cfg.max_message = v;
        else if (!strcmp(argv[i], "--max-queue"))
            cfg.max_queue = v;
        else if (!strcmp(argv[i], "--page-size"))
            cfg.page_size = v;
        else if (!strcmp(argv[i], "--extra-tools"))
            extra = v;
        else if (!strcmp(argv[i], "--skills")) {
            if (!skills_add_dir(&skills, argv[i + 1], err, sizeof err)) {
                fprintf(stderr, "mcp_fake: %s\n", err);
                return 2;
            }
        } else {
            fprintf(stderr, "mcp_fake: unknown flag %s\n", argv[i]);
            return 2;
        }
    }
    manifests = cJSON_CreateArray();
    add_tool("echo", "Returns its arguments as JSON text.", NULL);
    add_tool("sleep", "Waits {ms} milliseconds, or until cancelled.", NULL);
    add_tool("structured", "Returns {n: 42} as structured content.",
             "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"number\"}},\"required\":[\"n\"]}");
    add_tool("fail", "Always a tool error.", NULL);
    add_tool("broken", "Returns a malformed result.", NULL);
    for (size_t i = 0; i < extra; i++) {
        char n[32];
        snprintf(n, sizeof n, "extra_%03zu", i);
        add_tool(n, "An extra tool for pagination.", NULL);
    }
    mcp_backend be = {
        .count = count,
        .manifest = manifest,
        .call = call,
        .cancel_new = cancel_new,
        .cancel_fire = cancel_fire,
        .cancel_free = free,
    };
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    int rc = mcp_serve(&cfg, &be, &skills, 0, 1);
    skills_free(&skills);
    cJSON_Delete(manifests);
    return rc;
}
