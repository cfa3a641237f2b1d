/* The guest-tool library's side of the contract, on the host: a tool body
 * run with its input on fd 0 and its result captured from fd 1. Input that
 * is too big, not JSON or not an object; each accessor's message for a
 * missing field, a wrong type, a value out of range; unknown fields; path
 * arguments (relative to $PWD, NUL, empty); the result object for text,
 * images and errors; and a stdout that cannot be written. */
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../tools/guest/lib/wbtool.h"

typedef void body_fn(wt_tool *t);

/* Runs begin/body/end with input on fd 0; returns what fd 1 got. */
static char *run_tool(const char *input, size_t n, body_fn *body, int *rc, const char *out_path)
{
    FILE *in = tmpfile(), *out = out_path ? fopen(out_path, "w") : tmpfile();
    assert_non_null(in);
    assert_non_null(out);
    assert_int_equal(fwrite(input, 1, n, in), n);
    rewind(in);
    fflush(stdout);
    int saved0 = dup(0), saved1 = dup(1);
    dup2(fileno(in), 0);
    dup2(fileno(out), 1);
    wt_tool t;
    if (wt_tool_begin(&t))
        body(&t);
    *rc = wt_tool_end(&t);
    fflush(stdout);
    dup2(saved0, 0);
    dup2(saved1, 1);
    close(saved0);
    close(saved1);
    char *got = NULL;
    if (!out_path) {
        long len = ftell(out);
        rewind(out);
        got = calloc(1, (size_t)len + 1);
        assert_non_null(got);
        assert_int_equal(fread(got, 1, (size_t)len, out), (size_t)len);
    }
    fclose(in);
    fclose(out);
    return got;
}

static void expect_result(const char *input, body_fn *body, const char *want)
{
    int rc;
    char *got = run_tool(input, strlen(input), body, &rc, NULL);
    assert_int_equal(rc, 0);
    if (strcmp(got, want) != 0)
        fail_msg("input %s\n got: %s\nwant: %s", input, got, want);
    free(got);
}

#define ERR(text) "{\"content\":[{\"type\":\"text\",\"text\":\"" text "\"}],\"is_error\":true}\n"
#define OK(text) "{\"content\":[{\"type\":\"text\",\"text\":\"" text "\"}],\"is_error\":false}\n"

/* read's arguments */
static void read_like(wt_tool *t)
{
    char *path = wt_arg_path(t, "file_path", true);
    int64_t offset = 1, limit = 2000;
    wt_arg_int(t, "offset", false, 0, INT64_MAX, &offset);
    wt_arg_int(t, "limit", false, 1, 10, &limit);
    if (wt_args_end(t))
        wt_textf(t, "%s %" PRId64 " %" PRId64, path, offset, limit);
    free(path);
}

static void test_input_errors(void **state)
{
    (void)state;
    expect_result("", read_like, ERR("input: not valid JSON: offset 0: empty input, expected a JSON value"));
    expect_result("{\"file_path\": \"a\"", read_like,
                  ERR("input: not valid JSON: offset 17: expected ',' or '}' in an object"));
    expect_result("[\"file_path\"]", read_like, ERR("input: expected a JSON object, got an array"));
    expect_result("\"a.txt\"", read_like, ERR("input: expected a JSON object, got a string"));
    expect_result("{\"file_path\":\"\xFF\"}", read_like,
                  ERR("input: not valid JSON: offset 14: invalid UTF-8 in a string"));
    /* larger than the limit: refused without being parsed */
    size_t n = WT_MAX_INPUT + 10;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, ' ', n);
    memcpy(big, "{\"file_path\":\"", 14);
    int rc;
    char *got = run_tool(big, n, read_like, &rc, NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(got, ERR("input: larger than 16777216 bytes (16 MiB); send less (e.g. write a large "
                                 "file in parts)"));
    free(got);
    /* exactly at the limit is read (and here parses: spaces after {}) */
    memset(big, ' ', n);
    memcpy(big, "{}", 2);
    got = run_tool(big, WT_MAX_INPUT, read_like, &rc, NULL);
    assert_string_equal(got, ERR("file_path: required, missing (expected a string)"));
    free(got);
    free(big);
}

static void test_arguments(void **state)
{
    (void)state;
    expect_result("{\"file_path\":\"a.txt\"}", read_like, OK("/ws/a.txt 1 2000"));
    expect_result("{\"file_path\":\"/ws/sub/../b\",\"offset\":0,\"limit\":10}", read_like, OK("/ws/b 0 10"));
    expect_result("{\"limit\":3,\"offset\":1e2,\"file_path\":\"x\"}", read_like, OK("/ws/x 100 3"));
    expect_result("{\"file_path\":\"x\",\"offset\":7.0}", read_like, OK("/ws/x 7 2000"));
    expect_result("{}", read_like, ERR("file_path: required, missing (expected a string)"));
    expect_result("{\"file_path\":5,\"offset\":\"3\"}", read_like,
                  ERR("file_path: expected a string, got a number\\noffset: expected an integer, got a string"));
    expect_result("{\"file_path\":null}", read_like, ERR("file_path: expected a string, got null"));
    expect_result("{\"file_path\":\"x\",\"offset\":1.5}", read_like, ERR("offset: expected an integer, got 1.5"));
    expect_result("{\"file_path\":\"x\",\"offset\":1e300}", read_like,
                  ERR("offset: expected an integer, got 1.0000000000000001e+300"));
    expect_result("{\"file_path\":\"x\",\"offset\":-1}", read_like, ERR("offset: must be at least 0, got -1"));
    expect_result("{\"file_path\":\"x\",\"limit\":11}", read_like, ERR("limit: must be from 1 to 10, got 11"));
    expect_result("{\"file_path\":\"x\",\"offset\":99999999999999999999}", read_like,
                  ERR("offset: expected an integer, got 1e+20"));
    expect_result("{\"file_path\":\"x\",\"path\":\"y\",\"pages\":[]}", read_like,
                  ERR("path: unknown field (this tool takes: file_path, offset, limit)\\n"
                      "pages: unknown field (this tool takes: file_path, offset, limit)"));
    /* a long unknown key is named by its first 100 bytes */
    char input[400], want[400];
    char k300[301], k100[101];
    memset(k300, 'k', 300), k300[300] = 0;
    memset(k100, 'k', 100), k100[100] = 0;
    snprintf(input, sizeof input, "{\"file_path\":\"x\",\"%s\":1}", k300);
    snprintf(want, sizeof want, ERR("%s...: unknown field (this tool takes: file_path, offset, limit)"), k100);
    expect_result(input, read_like, want);
    expect_result("{\"file_path\":\"\"}", read_like,
                  ERR("file_path: must not be empty (give a path, absolute or relative to /ws)"));
    expect_result("{\"file_path\":\"a\\u0000b\"}", read_like, ERR("file_path: contains a NUL character"));
}

static void flags(wt_tool *t)
{
    bool all = false;
    size_t n = 0;
    const char *s = wt_arg_string(t, "s", false, &n);
    wt_arg_bool(t, "replace_all", false, &all);
    if (wt_args_end(t))
        wt_textf(t, "%s %zu %s", all ? "all" : "one", n, s ? s : "(none)");
}

static void test_bool_and_string(void **state)
{
    (void)state;
    expect_result("{}", flags, OK("one 0 (none)"));
    expect_result("{\"replace_all\":true,\"s\":\"\xC3\xA9\"}", flags, OK("all 2 \xC3\xA9"));
    expect_result("{\"replace_all\":\"yes\"}", flags, ERR("replace_all: expected true or false, got a string"));
    expect_result("{\"replace_all\":1}", flags, ERR("replace_all: expected true or false, got a number"));
    expect_result("{\"s\":{}}", flags, ERR("s: expected a string, got an object"));
}

static void results(wt_tool *t)
{
    wt_text(t, "line 1\n\ttab \"q\" \x01", 17);
    wt_image(t, "foo", 3, "image/png");
}

static void fails_late(wt_tool *t)
{
    wt_text(t, "partial", 7);
    wt_fail(t, "went wrong: %d", 42);
}

static void nothing(wt_tool *t)
{
    (void)t;
}

static void test_results(void **state)
{
    (void)state;
    expect_result("{}", results,
                  "{\"content\":[{\"type\":\"text\",\"text\":\"line 1\\n\\ttab \\\"q\\\" \\u0001\"},"
                  "{\"type\":\"image\",\"data\":\"Zm9v\",\"mimeType\":\"image/png\"}],\"is_error\":false}\n");
    expect_result("{}", fails_late, ERR("went wrong: 42"));
    expect_result("{}", nothing, "{\"content\":[],\"is_error\":false}\n");
}

/* structuredContent beside the text, as the shell returns it */
static void structured(wt_tool *t)
{
    wt_text(t, "ok", 2);
    wt_struct_string(t, "stdout", "a\n\xff", 3);
    wt_struct_int(t, "exit_code", -3);
}

static void structured_error(wt_tool *t)
{
    structured(t);
    wt_struct_string(t, "error", "stopped", 7);
    wt_set_error(t);
}

static void structured_then_fail(wt_tool *t)
{
    structured(t);
    wt_fail(t, "bad");
}

static void test_structured(void **state)
{
    (void)state;
    expect_result("{}", structured,
                  "{\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],"
                  "\"structuredContent\":{\"stdout\":\"a\\n\xef\xbf\xbd\",\"exit_code\":-3},\"is_error\":false}\n");
    expect_result("{}", structured_error,
                  "{\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],"
                  "\"structuredContent\":{\"stdout\":\"a\\n\xef\xbf\xbd\",\"exit_code\":-3,\"error\":\"stopped\"},"
                  "\"is_error\":true}\n");
    /* wt_fail's error stands alone: no structuredContent of the work before */
    expect_result("{}", structured_then_fail, ERR("bad"));
}

static void test_stdout_unwritable(void **state)
{
    (void)state;
    int rc;
    run_tool("{}", 2, results, &rc, "/dev/full");
    assert_int_equal(rc, 1);
}

int main(void)
{
    setenv("PWD", "/ws", 1); /* the bridge's cwd; the host build maps "/" */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_input_errors),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_bool_and_string),
        cmocka_unit_test(test_results),
        cmocka_unit_test(test_structured),
        cmocka_unit_test(test_stdout_unwritable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
