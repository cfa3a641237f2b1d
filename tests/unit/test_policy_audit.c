/* The audit log writer: one well-formed JSON object per line, appended. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../policy/policy.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/wb-audit-test-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/audit.log", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    rmdir(dir);
    return 0;
}

/* Reads the log and parses each line; returns the number of lines. */
static size_t read_lines(cJSON **lines, size_t max)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char buf[4096];
    size_t n = 0;
    while (fgets(buf, sizeof buf, f)) {
        size_t len = strlen(buf);
        assert_true(len > 0 && buf[len - 1] == '\n'); /* every record ends its line */
        assert_true(n < max);
        lines[n] = cJSON_Parse(buf);
        assert_non_null(lines[n]);
        n++;
    }
    fclose(f);
    return n;
}

static const char *field(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

static void test_events(void **state)
{
    (void)state;
    char err[WB_POLICY_ERR_MAX] = "";
    wb_audit *a = wb_audit_open(path, err, sizeof err);
    assert_non_null(a);
    assert_true(wb_audit_event(a, "start", "module", "app.wasm", "policy", "p.json", NULL));
    assert_true(wb_audit_event(a, "connect", "host", "evil\"quote\nnewline\\back\x01", "why",
                               NULL, "ts", "forged", "event", "forged", NULL));
    assert_true(wb_audit_event(a, "empty", NULL));
    const char *kv[] = {"url", "https://x.example/é", "decision", "deny"};
    assert_true(wb_audit_event_kv(a, "http", kv, 2));
    wb_audit_close(a);

    cJSON *lines[8];
    size_t n = read_lines(lines, 8);
    assert_int_equal(n, 4);
    assert_string_equal(field(lines[0], "event"), "start");
    assert_string_equal(field(lines[0], "module"), "app.wasm");
    assert_string_equal(field(lines[0], "policy"), "p.json");
    /* a timestamp like 2026-11-24T21:00:00.123Z */
    const char *ts = field(lines[0], "ts");
    assert_int_equal(strlen(ts), 24);
    assert_true(ts[4] == '-' && ts[10] == 'T' && ts[19] == '.' && ts[23] == 'Z');
    assert_string_equal(field(lines[1], "event"), "connect");
    assert_string_equal(field(lines[1], "host"), "evil\"quote\nnewline\\back\x01");
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(lines[1], "why")));
    assert_string_equal(field(lines[1], "field_ts"), "forged");
    assert_string_equal(field(lines[1], "field_event"), "forged");
    assert_string_not_equal(field(lines[1], "ts"), "forged");
    assert_int_equal(cJSON_GetArraySize(lines[2]), 2);
    assert_string_equal(field(lines[3], "url"), "https://x.example/é");
    assert_string_equal(field(lines[3], "decision"), "deny");
    for (size_t i = 0; i < n; i++)
        cJSON_Delete(lines[i]);

    /* reopening appends; the file is private to its owner */
    a = wb_audit_open(path, err, sizeof err);
    assert_non_null(a);
    assert_true(wb_audit_event(a, "again", NULL));
    wb_audit_close(a);
    n = read_lines(lines, 8);
    assert_int_equal(n, 5);
    assert_string_equal(field(lines[4], "event"), "again");
    for (size_t i = 0; i < n; i++)
        cJSON_Delete(lines[i]);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
}

static void test_null_and_errors(void **state)
{
    (void)state;
    /* a NULL audit is a no-op */
    assert_true(wb_audit_event(NULL, "anything", "k", "v", NULL));
    assert_true(wb_audit_event_kv(NULL, "anything", NULL, 0));
    wb_audit_close(NULL);
    char err[WB_POLICY_ERR_MAX] = "";
    assert_null(wb_audit_open("/nonexistent-wasmbox-dir/audit.log", err, sizeof err));
    assert_string_equal(err, "audit: cannot open \"/nonexistent-wasmbox-dir/audit.log\": No such "
                             "file or directory");
    assert_null(wb_audit_open("", err, sizeof err));
    assert_string_equal(err, "audit: no file name");
    /* a NULL key in the array form is refused, not dereferenced */
    wb_audit *a = wb_audit_open(path, err, sizeof err);
    assert_non_null(a);
    const char *kv[] = {NULL, "v"};
    assert_false(wb_audit_event_kv(a, "bad", kv, 1));
    wb_audit_close(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_null_and_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
