/* What a thread keeps from one tool call to the next (its stdio memfds and
 * abort eventfd, bridge_stdio.c; its watchdog thread, bridge_watch.c) must
 * carry nothing of a call into the next: calls back to back on one thread
 * each see only their own output, stderr, workspace, fuel, limits and
 * cancel. Every expected answer is written out here by hand. Uses the built
 * tools ($(BUILD)/tools) and the test guest bridge_misbehave
 * ($(BUILD)/guests). Run under ASan (SAN=1) and ThreadSanitizer (TSAN=1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../tools/bridge_internal.h"
#include "bridge_fixture.h"

static char tools[PATH_MAX], guests[PATH_MAX], dir[64], ws_a[PATH_MAX], ws_b[PATH_MAX];
static wbt_bridge *bridge, *bridge_b;
static wb_policy policy;

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/wbt-reuse-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/tools", dir);
    snprintf(ws_a, sizeof ws_a, "%s/a", dir);
    snprintf(ws_b, sizeof ws_b, "%s/b", dir);
    if (mkdir(path, 0700) || mkdir(ws_a, 0700) || mkdir(ws_b, 0700))
        return -1;
    snprintf(path, sizeof path, "%s/tools/misbehave.json", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "{\"name\": \"misbehave\", \"description\": \"misbehaves on request\", "
               "\"input_schema\": {\"type\": \"object\", \"properties\": {\"mode\": {\"type\": "
               "\"string\"}}, \"required\": [\"mode\"]}, \"module\": "
               "\"%s/bridge_misbehave.wasm\", \"capabilities\": {\"filesystem\": \"none\", "
               "\"network\": \"none\"}}", guests);
    fclose(f);
    snprintf(path, sizeof path, "%s/tools", dir);
    if (!bfx_write_wc_manifest(path, tools))
        return -1;
    snprintf(path, sizeof path, "%s/only-in-a.txt", ws_a);
    put(path, "a\n");
    snprintf(path, sizeof path, "%s/only-in-b.txt", ws_b);
    put(path, "b\n");
    wb_policy_init(&policy);
    snprintf(path, sizeof path, "%s/tools", dir);
    const char *dirs[] = {path};
    char err[1024];
    wbt_bridge_config cfg = {.builtin_dir = tools, .tool_dirs = dirs, .n_tool_dirs = 1,
                             .policy = &policy, .workspace = ws_a};
    if (wbt_bridge_open(&cfg, &bridge, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    cfg.workspace = ws_b;
    if (wbt_bridge_open(&cfg, &bridge_b, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    wbt_bridge_close(bridge);
    wbt_bridge_close(bridge_b);
    wb_policy_free(&policy);
    return bfx_remove_tree(dir);
}

static cJSON *call_on(wbt_bridge *b, const char *tool, const char *input, const wbt_call_opts *o)
{
    cJSON *res = wbt_bridge_call_text(b, tool, input, strlen(input), o);
    assert_non_null(res);
    return res;
}

static cJSON *call(const char *tool, const char *input)
{
    return call_on(bridge, tool, input, NULL);
}

static void expect_text(const char *tool, const char *input, const char *want)
{
    cJSON *res = call(tool, input);
    assert_string_equal(bfx_text_of(res), want);
    cJSON_Delete(res);
}

/* ---- the kept files themselves ---- */

static void test_stdio_set_is_reset(void **state)
{
    (void)state;
    wbt_stdio s;
    assert_true(wbt_stdio_take(&s, "the first input, longer", 23));
    wbt_stdio first = s;
    /* what a call may leave behind */
    assert_int_equal(write(s.out, "output of call 1", 16), 16);
    assert_int_equal(write(s.err, "stderr of call 1", 16), 16);
    assert_int_equal(fcntl(s.out, F_SETFL, O_APPEND | O_NONBLOCK), 0);
    assert_int_equal(lseek(s.err, 4096, SEEK_SET), 4096);
    char buf[64];
    assert_int_equal(read(s.in, buf, 9), 9);
    uint64_t one = 1;
    assert_int_equal(write(s.abort, &one, sizeof one), sizeof one);
    wbt_stdio_give(&s);
    assert_int_equal(s.in, -1);

    assert_true(wbt_stdio_take(&s, "2nd", 3));
    /* the same files (kept, not made again) ... */
    assert_int_equal(s.in, first.in);
    assert_int_equal(s.out, first.out);
    assert_int_equal(s.err, first.err);
    assert_int_equal(s.abort, first.abort);
    /* ... holding nothing of call 1 */
    struct stat st;
    assert_int_equal(fstat(s.out, &st), 0);
    assert_int_equal(st.st_size, 0);
    assert_int_equal(fstat(s.err, &st), 0);
    assert_int_equal(st.st_size, 0);
    assert_int_equal(lseek(s.out, 0, SEEK_CUR), 0);
    assert_int_equal(lseek(s.err, 0, SEEK_CUR), 0);
    assert_int_equal(fcntl(s.out, F_GETFL) & (O_APPEND | O_NONBLOCK), 0);
    ssize_t n = read(s.in, buf, sizeof buf);
    assert_int_equal(n, 3);
    assert_memory_equal(buf, "2nd", 3);
    assert_int_equal(read(s.in, buf, sizeof buf), 0);
    uint64_t count;
    errno = 0;
    assert_int_equal(read(s.abort, &count, sizeof count), -1);
    assert_int_equal(errno, EAGAIN);
    wbt_stdio_give(&s);
}

static void *other_thread(void *arg)
{
    wbt_stdio *seen = arg, s;
    *seen = (wbt_stdio){.in = -1, .out = -1, .err = -1, .abort = -1};
    if (wbt_stdio_take(&s, "x", 1)) {
        *seen = s; /* the numbers, kept by the thread until it ends */
        wbt_stdio_give(&s);
    }
    return NULL;
}

static void test_stdio_set_per_thread(void **state)
{
    (void)state;
    wbt_stdio mine, theirs;
    assert_true(wbt_stdio_take(&mine, "m", 1));
    wbt_stdio keep = mine;
    wbt_stdio_give(&mine);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, other_thread, &theirs), 0);
    pthread_join(th, NULL);
    /* another thread had files of its own, closed when it ended */
    assert_true(theirs.out >= 0);
    assert_int_not_equal(theirs.out, keep.out);
    errno = 0;
    assert_int_equal(fcntl(theirs.out, F_GETFD), -1);
    assert_int_equal(errno, EBADF);
    /* and this thread's set is still its own */
    assert_true(wbt_stdio_take(&mine, "m", 1));
    assert_int_equal(mine.out, keep.out);
    wbt_stdio_give(&mine);
}

/* ---- calls back to back on one thread ---- */

static void test_output_and_stderr(void **state)
{
    (void)state;
    /* a long stdout, then a short one: nothing of the first remains */
    cJSON *res = call("shell", "{\"command\": \"seq 1 20000\"}");
    assert_string_equal(bfx_meta_str(res, "status"), "exited");
    cJSON_Delete(res);
    expect_text("shell", "{\"command\": \"echo b\"}", "b\n[exit code 0]");
    /* the tool's own stderr (shown on failure) is the failing call's only */
    expect_text("misbehave", "{\"mode\": \"exit3\"}",
                "misbehave: the tool failed (exit code 3)\n[stderr]\nfailing on purpose\n");
    expect_text("misbehave", "{\"mode\": \"garbage\"}",
                "misbehave: the tool's output was not a result: it is not valid JSON\n"
                "[stderr]\nsome diagnostics\n");
    expect_text("misbehave", "{\"mode\": \"image\"}", "a dot");
    expect_text("misbehave", "{\"mode\": \"exit3\"}",
                "misbehave: the tool failed (exit code 3)\n[stderr]\nfailing on purpose\n");
    /* stdin: a long input, then a short one (wc reads all of stdin) */
    char big[3000];
    memset(big, 'w', sizeof big);
    memcpy(big, "{\"text\": \"", 10);
    memcpy(big + sizeof big - 3, "\"}", 3);
    res = call("wc", big);
    char want[64];
    snprintf(want, sizeof want, "0 1 %zu", sizeof big - 13);
    assert_string_equal(bfx_text_of(res), want);
    cJSON_Delete(res);
    expect_text("wc", "{\"text\": \"a b\"}", "0 2 3");
}

static void test_workspace_view(void **state)
{
    (void)state;
    for (int round = 0; round < 2; round++) {
        cJSON *res = call_on(bridge, "shell", "{\"command\": \"ls\"}", NULL);
        assert_string_equal(bfx_text_of(res), "only-in-a.txt\n[exit code 0]");
        cJSON_Delete(res);
        res = call_on(bridge_b, "shell", "{\"command\": \"ls\"}", NULL);
        assert_string_equal(bfx_text_of(res), "only-in-b.txt\n[exit code 0]");
        cJSON_Delete(res);
    }
}

/* The operator's limits, set in the policy the bridges read at each call
 * (as a policy source would: a flag may be given only once). */
static void limit(uint64_t *value, unsigned *set_by, uint64_t v)
{
    *value = v;
    *set_by = 1;
}

static void test_fuel_and_limits(void **state)
{
    (void)state;
    const char *wc = "{\"text\": \"a b\"}";
    cJSON *res = call("wc", wc);
    double fuel = bfx_meta_num(res, "fuel_used");
    assert_true(fuel > 0);
    cJSON_Delete(res);
    /* out of fuel, then the same call as before: the same fuel */
    limit(&policy.timeout_ms, &policy.set_by.timeout_ms, 20000); /* bounds a failure */
    limit(&policy.fuel, &policy.set_by.fuel, 50000);
    res = call("shell", "{\"command\": \"while :; do :; done\"}");
    assert_string_equal(bfx_meta_str(res, "limit"), "fuel");
    cJSON_Delete(res);
    limit(&policy.fuel, &policy.set_by.fuel, WB_UNLIMITED);
    res = call("wc", wc);
    assert_string_equal(bfx_meta_str(res, "status"), "exited");
    assert_true(bfx_meta_num(res, "fuel_used") == fuel);
    cJSON_Delete(res);
    /* a timeout, a quick call, a timeout again: the watchdog kept by this
     * thread stops the third as it did the first, and lets the second be */
    limit(&policy.timeout_ms, &policy.set_by.timeout_ms, 300);
    for (int round = 0; round < 2; round++) {
        res = call("shell", "{\"command\": \"while :; do :; done\"}");
        assert_string_equal(bfx_meta_str(res, "limit"), "timeout");
        assert_true(bfx_meta_num(res, "wall_ms") >= 300 && bfx_meta_num(res, "wall_ms") < 5000);
        cJSON_Delete(res);
        res = call("shell", "{\"command\": \"echo quick\"}");
        assert_string_equal(bfx_text_of(res), "quick\n[exit code 0]");
        assert_string_equal(bfx_meta_str(res, "status"), "exited");
        cJSON_Delete(res);
    }
    /* the output cap: a flood stopped, then a small output whole */
    limit(&policy.max_output, &policy.set_by.max_output, 64 * 1024);
    res = call("misbehave", "{\"mode\": \"flood\"}");
    assert_string_equal(bfx_meta_str(res, "limit"), "output");
    cJSON_Delete(res);
    expect_text("shell", "{\"command\": \"echo small\"}", "small\n[exit code 0]");
    limit(&policy.max_output, &policy.set_by.max_output, WB_UNLIMITED);
    limit(&policy.timeout_ms, &policy.set_by.timeout_ms, 60000);
}

typedef struct firing {
    wbt_cancel *cancel;
    unsigned after_ms;
} firing;

static void *fire_later(void *arg)
{
    firing *f = arg;
    usleep(f->after_ms * 1000u);
    wbt_cancel_fire(f->cancel);
    return NULL;
}

static void on_progress(void *ud, uint64_t fuel, uint64_t elapsed_ms)
{
    (void)fuel;
    (void)elapsed_ms;
    (*(unsigned *)ud)++;
}

static void test_cancel_of_one_call_only(void **state)
{
    (void)state;
    limit(&policy.timeout_ms, &policy.set_by.timeout_ms, 60000);
    unsigned progress = 0;
    firing f = {.cancel = wbt_cancel_new(), .after_ms = 1500}; /* slow under TSAN */
    assert_non_null(f.cancel);
    wbt_call_opts o = {.cancel = f.cancel, .progress = on_progress, .progress_ud = &progress,
                       .progress_ms = 20};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, fire_later, &f), 0);
    cJSON *res = call_on(bridge, "shell", "{\"command\": \"while :; do :; done\"}", &o);
    pthread_join(th, NULL);
    assert_string_equal(bfx_meta_str(res, "status"), "cancelled");
    cJSON_Delete(res);
    assert_true(progress >= 3);
    unsigned seen = progress;
    /* the next calls on this thread: no cancel, no progress of the last */
    expect_text("wc", "{\"text\": \"a b\"}", "0 2 3");
    limit(&policy.timeout_ms, &policy.set_by.timeout_ms, 300);
    res = call("shell", "{\"command\": \"while :; do :; done\"}");
    assert_string_equal(bfx_meta_str(res, "limit"), "timeout"); /* not "cancelled" */
    cJSON_Delete(res);
    assert_int_equal(progress, seen);
    /* a token of its own, not fired: the call runs to its end */
    wbt_cancel *fresh = wbt_cancel_new();
    wbt_call_opts o2 = {.cancel = fresh};
    res = call_on(bridge, "shell", "{\"command\": \"echo after\"}", &o2);
    assert_string_equal(bfx_text_of(res), "after\n[exit code 0]");
    cJSON_Delete(res);
    /* the old token fired again after its call ended: touches nothing */
    wbt_cancel_fire(f.cancel);
    res = call_on(bridge, "shell", "{\"command\": \"echo still\"}", &o2);
    assert_string_equal(bfx_text_of(res), "still\n[exit code 0]");
    cJSON_Delete(res);
    /* and a call given the fired token is stopped by it (within the 300 ms
     * timeout: else its status would be the timeout's) */
    res = call_on(bridge, "shell", "{\"command\": \"while :; do :; done\"}", &o);
    assert_string_equal(bfx_meta_str(res, "status"), "cancelled");
    cJSON_Delete(res);
    wbt_cancel_free(fresh);
    wbt_cancel_free(f.cancel);
    limit(&policy.timeout_ms, &policy.set_by.timeout_ms, 60000);
}

int main(int argc, char **argv)
{
    (void)argc;
    if (!bfx_build_dirs(argv[0], tools, guests))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stdio_set_is_reset),
        cmocka_unit_test(test_stdio_set_per_thread),
        cmocka_unit_test(test_output_and_stderr),
        cmocka_unit_test(test_workspace_view),
        cmocka_unit_test(test_fuel_and_limits),
        cmocka_unit_test(test_cancel_of_one_call_only),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
