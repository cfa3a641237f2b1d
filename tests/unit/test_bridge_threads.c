/* One bridge, many calls at once (tools/bridge.h: thread-safe): threads
 * call the example tool concurrently (its module compiled once, on the
 * first of those calls, and shared) and each gets its own answer; a cancel
 * fired from another thread stops a looping shell within milliseconds; a
 * progress callback runs while a call does; a timeout is a result, and the
 * bridge goes on serving. Uses the built tools ($(BUILD)/tools, found from
 * this binary's path). Run under ASan (SAN=1) and ThreadSanitizer (TSAN=1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../tools/bridge_internal.h"
#include "bridge_fixture.h"

#define THREADS 6
#define CALLS 5

static char tools[PATH_MAX], guests[PATH_MAX], mine[64];
static wbt_bridge *bridge;
static wb_policy policy;

static int setup(void **state)
{
    (void)state;
    snprintf(mine, sizeof mine, "/tmp/wbt-threads-XXXXXX");
    if (!mkdtemp(mine))
        return -1;
    if (!bfx_write_wc_manifest(mine, tools))
        return -1;
    wb_policy_init(&policy);
    const char *dirs[] = {mine};
    wbt_bridge_config cfg = {.builtin_dir = tools, .tool_dirs = dirs, .n_tool_dirs = 1,
                             .policy = &policy, .workspace = mine};
    char err[1024];
    if (wbt_bridge_open(&cfg, &bridge, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    wbt_bridge_close(bridge);
    wb_policy_free(&policy);
    return bfx_remove_tree(mine);
}

typedef struct job {
    int id;
    int wrong;
} job;

/* Each call counts a text of its own: "w w ... w" with id+k+1 words. */
static void *worker(void *arg)
{
    job *j = arg;
    for (int k = 0; k < CALLS; k++) {
        int words = j->id + k + 1;
        char text[256] = "", in[300], want[64];
        for (int w = 0; w < words; w++)
            strcat(text, w ? " w" : "w");
        snprintf(in, sizeof in, "{\"text\": \"%s\"}", text);
        snprintf(want, sizeof want, "0 %d %zu", words, strlen(text));
        cJSON *res = wbt_bridge_call_text(bridge, "wc", in, strlen(in), NULL);
        if (!res || strcmp(bfx_text_of(res), want) != 0 ||
            !cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(res, "is_error")))
            j->wrong++;
        cJSON_Delete(res);
    }
    return NULL;
}

static void test_concurrent_calls(void **state)
{
    (void)state;
    pthread_t th[THREADS];
    job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (job){.id = i};
        assert_int_equal(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].wrong, 0);
    }
}

typedef struct loop_call {
    wbt_cancel *cancel;
    cJSON *res;
    unsigned progress_calls;
    uint64_t last_elapsed;
    bool elapsed_went_back;
} loop_call;

static void on_progress(void *ud, uint64_t fuel, uint64_t elapsed_ms)
{
    (void)fuel;
    loop_call *c = ud;
    if (elapsed_ms < c->last_elapsed)
        c->elapsed_went_back = true;
    c->last_elapsed = elapsed_ms;
    c->progress_calls++;
}

static void *run_loop(void *arg)
{
    loop_call *c = arg;
    wbt_call_opts o = {.cancel = c->cancel, .progress = on_progress, .progress_ud = c,
                       .progress_ms = 20, .call_id = "loop-1"};
    const char *in = "{\"command\": \"while :; do :; done\"}";
    c->res = wbt_bridge_call_text(bridge, "shell", in, strlen(in), &o);
    return NULL;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void test_cancel_and_progress(void **state)
{
    (void)state;
    loop_call c = {.cancel = wbt_cancel_new()};
    assert_non_null(c.cancel);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, run_loop, &c), 0);
    /* long enough for the module to compile (slow under sanitizers) and the
     * loop to run a while */
    usleep(1500 * 1000);
    uint64_t fired = now_ms();
    wbt_cancel_fire(c.cancel);
    pthread_join(th, NULL);
    uint64_t took = now_ms() - fired;
    assert_non_null(c.res);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c.res, "is_error")));
    assert_string_equal(bfx_meta_str(c.res, "status"), "cancelled");
    assert_string_equal(bfx_text_of(c.res), "shell: the call was cancelled");
    assert_true(took < 1000); /* milliseconds in practice; generous for loaded machines */
    assert_true(c.progress_calls >= 3);
    assert_false(c.elapsed_went_back);
    assert_true(wbt_cancel_fired(c.cancel));
    cJSON_Delete(c.res);

    /* a cancel fired before the call: stopped at once */
    c.res = NULL;
    c.progress_calls = 0;
    c.last_elapsed = 0;
    run_loop(&c);
    assert_string_equal(bfx_meta_str(c.res, "status"), "cancelled");
    cJSON_Delete(c.res);
    wbt_cancel_free(c.cancel);
}

static void test_timeout_then_more_calls(void **state)
{
    (void)state;
    /* the operator's timeout wins over the manifest's 120 s */
    char err[256];
    assert_true(wb_policy_apply_flag(&policy, "--timeout", "300", err, sizeof err));
    const char *in = "{\"command\": \"yes\"}";
    cJSON *res = wbt_bridge_call_text(bridge, "shell", in, strlen(in), NULL);
    assert_non_null(res);
    assert_string_equal(bfx_meta_str(res, "status"), "limit");
    assert_string_equal(bfx_meta_str(res, "limit"), "timeout");
    assert_string_equal(bfx_text_of(res), "shell: stopped by a limit: timeout after 300 ms");
    assert_true(bfx_meta_num(res, "wall_ms") >= 300);
    cJSON_Delete(res);
    /* the bridge still serves */
    const char *wc = "{\"text\": \"a b\"}";
    res = wbt_bridge_call_text(bridge, "wc", wc, strlen(wc), NULL);
    assert_string_equal(bfx_text_of(res), "0 2 3");
    cJSON_Delete(res);
}

int main(int argc, char **argv)
{
    (void)argc;
    if (!bfx_build_dirs(argv[0], tools, guests))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_calls),
        cmocka_unit_test(test_cancel_and_progress),
        cmocka_unit_test(test_timeout_then_more_calls),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
