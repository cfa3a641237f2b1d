/* Strict parsing of policy values: directory modes, values given twice in
 * one source, limits read exactly from JSON, and the default limits (the
 * run's, or a caller's own). Runs from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../policy/policy.h"

static void expect_flag_error(const char *flag, const char *value, const char *message)
{
    wb_policy p;
    wb_policy_init(&p);
    char err[WB_POLICY_ERR_MAX] = "";
    if (wb_policy_apply_flag(&p, flag, value, err, sizeof err))
        fail_msg("%s %s was accepted (want: %s)", flag, value, message);
    assert_string_equal(err, message);
    wb_policy_free(&p);
}

static void expect_json_error(const char *json, const char *message)
{
    wb_policy p;
    wb_policy_init(&p);
    char err[WB_POLICY_ERR_MAX] = "";
    if (wb_policy_load_json(&p, "p.json", json, strlen(json), err, sizeof err))
        fail_msg("%s was accepted (want: %s)", json, message);
    assert_string_equal(err, message);
    wb_policy_free(&p);
}

static void load_ok(wb_policy *p, const char *json)
{
    char err[WB_POLICY_ERR_MAX] = "";
    if (!wb_policy_load_json(p, "p.json", json, strlen(json), err, sizeof err))
        fail_msg("%s: %s", json, err);
}

static void flag_ok(wb_policy *p, const char *flag, const char *value)
{
    char err[WB_POLICY_ERR_MAX] = "";
    if (!wb_policy_apply_flag(p, flag, value, err, sizeof err))
        fail_msg("%s %s: %s", flag, value, err);
}

static char *print_to_string(const wb_policy *p)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_true(wb_policy_print_json(p, f));
    fclose(f);
    return buf;
}

/* A mistyped mode must be an error, never a read-write map whose guest path
 * ends in ":RO" (issue 8, defect 5). */
static void test_dir_modes_strict(void **state)
{
    (void)state;
    expect_flag_error("--dir", "in::/d:RO",
                      "--dir: \"in::/d:RO\": the mode \"RO\" is not ro or rw (write "
                      "HOST[::GUEST][:ro|:rw])");
    expect_flag_error("--dir", "in::/d:r",
                      "--dir: \"in::/d:r\": the mode \"r\" is not ro or rw (write "
                      "HOST[::GUEST][:ro|:rw])");
    expect_flag_error("--dir", "in::/d:readonly",
                      "--dir: \"in::/d:readonly\": the mode \"readonly\" is not ro or rw (write "
                      "HOST[::GUEST][:ro|:rw])");
    expect_flag_error("--dir", "in:RO",
                      "--dir: \"in:RO\": the mode \"RO\" is not ro or rw (write "
                      "HOST[::GUEST][:ro|:rw])");
    expect_flag_error("--dir", "in::/d:",
                      "--dir: \"in::/d:\": the mode \"\" is not ro or rw (write "
                      "HOST[::GUEST][:ro|:rw])");
    expect_flag_error("--dir", "d1::/a:ro:rw",
                      "--dir: \"d1::/a:ro:rw\" gives the mode more than once (write "
                      "HOST[::GUEST][:ro|:rw])");
    expect_flag_error("--dir", "d1:rw:ro",
                      "--dir: \"d1:rw:ro\" gives the mode more than once (write "
                      "HOST[::GUEST][:ro|:rw])");
    expect_flag_error("--dir", "a:b::/x",
                      "--dir: \"a:b::/x\": a path in this form cannot contain \":\" (write "
                      "HOST[::GUEST][:ro|:rw]; in a policy file, {\"host\", \"guest\", \"mode\"} "
                      "takes any path)");
    expect_flag_error("--dir", "a::/x:y:ro",
                      "--dir: \"a::/x:y:ro\": a path in this form cannot contain \":\" (write "
                      "HOST[::GUEST][:ro|:rw]; in a policy file, {\"host\", \"guest\", \"mode\"} "
                      "takes any path)");
    expect_flag_error("--dir", "a::/x::/y",
                      "--dir: \"a::/x::/y\": the mode \"/y\" is not ro or rw (write "
                      "HOST[::GUEST][:ro|:rw])");
    expect_flag_error("--dir", "a:::ro", "--dir: empty guest path after \"::\" in \"a:::ro\"");
    /* the same strings in a policy file */
    expect_json_error("{\"dirs\": [\"d1::/a:ro:rw\"]}",
                      "p.json: dirs[0]: \"d1::/a:ro:rw\" gives the mode more than once (write "
                      "HOST[::GUEST][:ro|:rw])");
    expect_json_error("{\"dirs\": [\"in::/d:RO\"]}",
                      "p.json: dirs[0]: \"in::/d:RO\": the mode \"RO\" is not ro or rw (write "
                      "HOST[::GUEST][:ro|:rw])");
    /* the forms that are right still mean what they say */
    wb_policy p;
    wb_policy_init(&p);
    flag_ok(&p, "--dir", "in::/d:ro");
    flag_ok(&p, "--dir", "in::/e:rw");
    flag_ok(&p, "--dir", "in:ro");
    flag_ok(&p, "--dir", "/srv/data");
    assert_int_equal(p.ndirs, 4);
    assert_string_equal(p.dirs[0].guest, "/d");
    assert_true(p.dirs[0].read_only);
    assert_string_equal(p.dirs[1].guest, "/e");
    assert_false(p.dirs[1].read_only);
    assert_string_equal(p.dirs[2].host, "in");
    assert_string_equal(p.dirs[2].guest, "/in");
    assert_true(p.dirs[2].read_only);
    assert_string_equal(p.dirs[3].guest, "/srv/data"); /* the same path, as Wasmtime */
    assert_false(p.dirs[3].read_only);
    /* the object form takes a ":" in a path, the mode being its own key */
    load_ok(&p, "{\"dirs\": [{\"host\": \"a:b\", \"guest\": \"/x:y\", \"mode\": \"ro\"}]}");
    assert_int_equal(p.ndirs, 5);
    assert_string_equal(p.dirs[4].host, "a:b");
    assert_string_equal(p.dirs[4].guest, "/x:y");
    assert_true(p.dirs[4].read_only);
    wb_policy_free(&p);
}

/* Within one source (a file, or the flags) a value given twice would lose
 * one of them silently: an error. A later source replaces an earlier one. */
static void test_given_twice(void **state)
{
    (void)state;
    wb_policy p;
    char err[WB_POLICY_ERR_MAX];
    static const char *const twice[][4] = {
        {"--fuel", "5", "10", "--fuel: given twice (first 5); give it once"},
        {"--timeout", "unlimited", "100", "--timeout: given twice (first unlimited); give it once"},
        {"--max-memory", "1M", "2M", "--max-memory: given twice (first 1048576); give it once"},
        {"--max-stack", "1M", "1M", "--max-stack: given twice (first 1048576); give it once"},
        {"--max-output", "0", "1", "--max-output: given twice (first 0); give it once"},
        {"--audit", "a.log", "b.log", "--audit: given twice (first \"a.log\"); give it once"},
        {"--work-dir", "x", "y", "--work-dir: given twice (first \"x\"); give it once"},
        {"--ca-file", "x", "y", "--ca-file: given twice (first \"x\"); give it once"},
        {"--cache-dir", "x", "y", "--cache-dir: given twice (first \"x\"); give it once"},
        {"--env", "A=1", "A=2", "--env: environment variable \"A\" is given twice; give it once"},
        {"--resolve", "h.example:443:127.0.0.1", "H.example.:443:[::1]",
         "--resolve: h.example:443 is given twice; give it once"},
    };
    for (size_t i = 0; i < sizeof twice / sizeof twice[0]; i++) {
        wb_policy_init(&p);
        flag_ok(&p, twice[i][0], twice[i][1]);
        err[0] = '\0';
        if (wb_policy_apply_flag(&p, twice[i][0], twice[i][2], err, sizeof err))
            fail_msg("%s given twice was accepted", twice[i][0]);
        assert_string_equal(err, twice[i][3]);
        wb_policy_free(&p);
    }
    /* the same HOST:PORT twice in one file's list */
    expect_json_error("{\"resolve\": [\"h.example:443:127.0.0.1\", \"h.example:443:[::1]\"]}",
                      "p.json: resolve[1]: h.example:443 is given twice; give it once");
    /* other ports, other names: no clash */
    wb_policy_init(&p);
    load_ok(&p, "{\"resolve\": [\"h.example:443:127.0.0.1\", \"h.example:80:127.0.0.1\"],"
                " \"env\": {\"A\": \"1\", \"a\": \"2\"}}");
    assert_int_equal(p.nresolve, 2);
    assert_int_equal(p.nenv, 2);
    wb_policy_free(&p);

    /* flags over a file: every one replaces the file's value */
    wb_policy_init(&p);
    load_ok(&p, "{\"fuel\": 5, \"audit\": \"a.log\", \"env\": {\"A\": \"file\"},"
                " \"resolve\": [\"h.example:443:127.0.0.1\"]}");
    flag_ok(&p, "--fuel", "7");
    flag_ok(&p, "--audit", "b.log");
    flag_ok(&p, "--env", "A=flag");
    flag_ok(&p, "--resolve", "h.example:443:[::1]");
    assert_int_equal(p.fuel, 7);
    assert_string_equal(p.audit, "b.log");
    assert_int_equal(p.nenv, 1);
    assert_string_equal(p.env[0], "A=flag");
    assert_int_equal(p.nresolve, 1);
    assert_int_equal(p.resolve[0].addrs[0].family, 6);
    /* ... and the flags are still one source among themselves */
    assert_false(wb_policy_apply_flag(&p, "--fuel", "8", err, sizeof err));
    assert_string_equal(err, "--fuel: given twice (first 7); give it once");
    assert_false(wb_policy_apply_flag(&p, "--env", "A=again", err, sizeof err));
    assert_int_equal(p.fuel, 7);
    assert_string_equal(p.env[0], "A=flag");
    wb_policy_free(&p);

    /* a second file is a new source too */
    wb_policy_init(&p);
    load_ok(&p, "{\"fuel\": 5}");
    load_ok(&p, "{\"fuel\": 6}");
    assert_int_equal(p.fuel, 6);
    wb_policy_free(&p);
}

static void test_env_names(void **state)
{
    (void)state;
    expect_flag_error("--env", "PATH =/bin",
                      "--env: environment variable name \"PATH \" contains a space or a control "
                      "character");
    expect_flag_error("--env", " A=1",
                      "--env: environment variable name \" A\" contains a space or a control "
                      "character");
    expect_json_error("{\"env\": {\"A\\tB\": \"1\"}}",
                      "p.json: env.A\tB: environment variable name \"A\tB\" contains a space or a "
                      "control character");
    wb_policy p;
    wb_policy_init(&p);
    flag_ok(&p, "--env", "a.b-c_1=x y"); /* spaces in a value are the value's business */
    assert_string_equal(p.env[0], "a.b-c_1=x y");
    wb_policy_free(&p);
}

/* JSON numbers are read exactly from their text (issue 8, defect 7). */
static void test_json_numbers_exact(void **state)
{
    (void)state;
    wb_policy p, q;
    char err[WB_POLICY_ERR_MAX];
    wb_policy_init(&p);
    load_ok(&p, "{\"fuel\": 9007199254740991}");
    assert_int_equal(p.fuel, 9007199254740991ull);
    char *text = print_to_string(&p);
    if (!strstr(text, "\"fuel\":\t9007199254740991,"))
        fail_msg("fuel not printed exactly:\n%s", text);
    wb_policy_init(&q);
    assert_true(wb_policy_load_json(&q, "printed", text, strlen(text), err, sizeof err));
    assert_int_equal(q.fuel, 9007199254740991ull);
    free(text);
    wb_policy_free(&p);
    wb_policy_free(&q);

    /* 2^53 itself is exact; 2^53 + 1 reads as the same double: refused */
    wb_policy_init(&p);
    load_ok(&p, "{\"fuel\": 9007199254740992}");
    assert_int_equal(p.fuel, 9007199254740992ull);
    wb_policy_free(&p);
    expect_json_error("{\"fuel\": 9007199254740993}",
                      "p.json: fuel: too large for a JSON number; write it as a string");
    expect_json_error("{\"max_memory\": 18446744073709551614}",
                      "p.json: max_memory: too large for a JSON number; write it as a string");
    expect_json_error("{\"fuel\": 1e16}",
                      "p.json: fuel: too large for a JSON number; write it as a string");
    /* fractions that round to a whole double are still fractions */
    expect_json_error("{\"fuel\": 4503599627370496.5}", "p.json: fuel: must be a whole number");
    expect_json_error("{\"fuel\": 1.0000000000000001}", "p.json: fuel: must be a whole number");
    expect_json_error("{\"fuel\": 1e-400}", "p.json: fuel: must be a whole number");
    expect_json_error("{\"timeout_ms\": -1e-400}", "p.json: timeout_ms: must not be negative");
    expect_json_error("{\"fuel\": -0.0}", "p.json: fuel: must be at least 1 (write \"unlimited\" "
                                          "for no limit)");
    /* whole numbers in any JSON spelling are fine */
    wb_policy_init(&p);
    load_ok(&p, "{\"fuel\": 1e3, \"timeout_ms\": 2.50e1, \"max_stack\": 65536.000,"
                " \"max_output\": -0, \"max_memory\": 0.5e1}");
    assert_int_equal(p.fuel, 1000);
    assert_int_equal(p.timeout_ms, 25);
    assert_int_equal(p.max_stack, 65536);
    assert_int_equal(p.max_output, 0);
    assert_int_equal(p.max_memory, 5);
    wb_policy_free(&p);
    /* the number read is the limit's own, whatever numbers, strings with
     * digits and escapes come before it */
    wb_policy_init(&p);
    load_ok(&p, "{\"args\": [\"12\", \"-3e5\", \"\\\"7\\\\\"], \"env\": {\"N1\": \"-9\"},"
                " \"timeout_ms\": 11, \"block_urls\": [], \"max_memory\": \"1K\","
                " \"fuel\": 9007199254740991, \"max_output\": 3}");
    assert_int_equal(p.timeout_ms, 11);
    assert_int_equal(p.fuel, 9007199254740991ull);
    assert_int_equal(p.max_output, 3);
    assert_int_equal(p.max_memory, 1024);
    wb_policy_free(&p);
    /* a value beyond 2^53 is fine as a string, and prints as one */
    wb_policy_init(&p);
    load_ok(&p, "{\"fuel\": \"9007199254740993\"}");
    assert_int_equal(p.fuel, 9007199254740993ull);
    text = print_to_string(&p);
    assert_non_null(strstr(text, "\"fuel\":\t\"9007199254740993\","));
    free(text);
    wb_policy_free(&p);
}

/* Every limit has a finite default; "unlimited" lifts one where that makes
 * sense; max_stack is never unlimited and has a ceiling. */
static void test_limits_rules(void **state)
{
    (void)state;
    expect_flag_error("--max-stack", "unlimited",
                      "--max-stack: cannot be unlimited (the value stack is allocated when the "
                      "run starts); give a size of at most 1024M");
    expect_flag_error("--max-stack", "2G",
                      "--max-stack: 2147483648 is too large (at most 1024M: the value stack is "
                      "allocated when the run starts)");
    expect_flag_error("--max-stack", "0", "--max-stack: must be at least 1");
    expect_json_error("{\"max_stack\": \"unlimited\"}",
                      "p.json: max_stack: cannot be unlimited (the value stack is allocated when "
                      "the run starts); give a size of at most 1024M");
    wb_policy p;
    wb_policy_init(&p);
    flag_ok(&p, "--max-stack", "1G");
    flag_ok(&p, "--timeout", "unlimited");
    flag_ok(&p, "--max-memory", "unlimited");
    flag_ok(&p, "--max-output", "unlimited");
    assert_int_equal(p.max_stack, 1ull << 30);
    assert_true(p.timeout_ms == WB_UNLIMITED && p.max_memory == WB_UNLIMITED &&
                p.max_output == WB_UNLIMITED);
    char err[WB_POLICY_ERR_MAX];
    assert_true(wb_policy_check(&p, err, sizeof err));
    wb_policy_free(&p);
}

/* A caller (the tool bridge, from a tool's manifest) brings its own
 * defaults; files and flags still override them, and what is not said keeps
 * the caller's value. */
static void test_caller_defaults(void **state)
{
    (void)state;
    wb_policy_limits d = wb_policy_run_defaults();
    assert_int_equal(d.timeout_ms, 300000);
    assert_int_equal(d.max_output, 64ull << 20);
    d.timeout_ms = 2000;
    d.max_memory = 64ull << 20;
    d.max_output = 0;
    wb_policy p;
    wb_policy_init_with(&p, &d);
    load_ok(&p, "{\"max_memory\": \"128M\"}");
    flag_ok(&p, "--fuel", "5000");
    assert_int_equal(p.timeout_ms, 2000);
    assert_int_equal(p.max_memory, 128ull << 20);
    assert_int_equal(p.fuel, 5000);
    assert_int_equal(p.max_stack, 8ull << 20);
    assert_int_equal(p.max_output, 0);
    char err[WB_POLICY_ERR_MAX];
    assert_true(wb_policy_check(&p, err, sizeof err));
    char *text = print_to_string(&p);
    assert_non_null(strstr(text, "\"timeout_ms\":\t2000,"));
    free(text);
    wb_policy_free(&p);
    /* freed, a policy is the empty one with the run defaults */
    assert_int_equal(p.timeout_ms, 300000);
    /* defaults that break a key's rules are caught by the check */
    d = wb_policy_run_defaults();
    d.max_stack = WB_UNLIMITED;
    wb_policy_init_with(&p, &d);
    assert_false(wb_policy_check(&p, err, sizeof err));
    assert_string_equal(err, "default max_stack: cannot be unlimited (the value stack is "
                             "allocated when the run starts); give a size of at most 1024M");
    wb_policy_free(&p);
    d = wb_policy_run_defaults();
    d.fuel = 0;
    wb_policy_init_with(&p, &d);
    assert_false(wb_policy_check(&p, err, sizeof err));
    assert_string_equal(err, "default fuel: must be at least 1 (write \"unlimited\" for no limit)");
    wb_policy_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dir_modes_strict),
        cmocka_unit_test(test_given_twice),
        cmocka_unit_test(test_env_names),
        cmocka_unit_test(test_json_numbers_exact),
        cmocka_unit_test(test_limits_rules),
        cmocka_unit_test(test_caller_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
