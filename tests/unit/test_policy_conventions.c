/* The policy's share of the command-line conventions (issue 11 §2):
 * durations with units and IEC sizes in flags and files, "did you mean",
 * --env NAME copied from the caller (and remembered for the audit log),
 * --dir HOST at the same guest path as Wasmtime maps it, and the warnings
 * about self-contradicting policies. Expected values are worked out by hand.
 * Runs from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../policy/policy.h"

static void test_durations(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        uint64_t bare, ms;
    } ok[] = {
        {"500ms", 1, 500},       {"5s", 1, 5000},     {"2m", 1, 120000},
        {"1h", 1, 3600000},      {"250", 1, 250},     {"5", 1000, 5000},
        {"0ms", 1, 0},           {"18446744073709551615ms", 1, UINT64_MAX},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        uint64_t v = 1;
        const char *why = NULL;
        if (!wb_parse_duration_ms(ok[i].text, ok[i].bare, &v, &why))
            fail_msg("%s: %s", ok[i].text, why);
        assert_int_equal(v, ok[i].ms);
    }
    static const char *const bad[] = {"", "s", "5 s", "5S", "1.5s", "-1s", "5sec", "5d", "5mss",
                                      "0x10"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t v;
        const char *why = NULL;
        assert_false(wb_parse_duration_ms(bad[i], 1, &v, &why));
        assert_string_equal(why, "is not a duration (a whole number with a unit: 500ms, 5s, 2m, "
                                 "1h)");
    }
    uint64_t v;
    const char *why;
    /* 2^64 / 3600000 is about 5.1e12: one more hour than that overflows */
    assert_false(wb_parse_duration_ms("5124095576030432h", 1, &v, &why));
    assert_string_equal(why, "is too large");
    assert_false(wb_parse_duration_ms("18446744073709551616", 1, &v, &why));
    assert_string_equal(why, "is too large");
}

static void test_sizes(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        uint64_t bytes;
    } ok[] = {
        {"0", 0},          {"4096", 4096},      {"64K", 65536},           {"64k", 65536},
        {"64KiB", 65536},  {"64M", 67108864},   {"64MiB", 67108864},      {"1GiB", 1073741824},
        {"1G", 1073741824}, {"2TiB", 2199023255552ull}, {"1gib", 1073741824},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        uint64_t v = 1;
        const char *why = NULL;
        if (!wb_parse_size(ok[i].text, &v, &why))
            fail_msg("%s: %s", ok[i].text, why);
        assert_int_equal(v, ok[i].bytes);
    }
    static const char *const bad[] = {"", "M", "64Q", "64 M", "64Mi", "64MiBs", "-1", "1.5G"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t v;
        const char *why = NULL;
        assert_false(wb_parse_size(bad[i], &v, &why));
        assert_string_equal(why, "is not a size (bytes, or with a unit: 64K, 64M, 64MiB, 1GiB)");
    }
    uint64_t v;
    const char *why;
    assert_false(wb_parse_size("64MB", &v, &why));
    assert_string_equal(why, "is ambiguous (1000- or 1024-based?): write KiB, MiB, GiB or TiB "
                             "(1024-based)");
    assert_false(wb_parse_size("16777216TiB", &v, &why)); /* 2^24 * 2^40 = 2^64 */
    assert_string_equal(why, "is too large");
}

/* The same values through the flags and a policy file. */
static void test_units_in_flags_and_files(void **state)
{
    (void)state;
    wb_policy p;
    wb_policy_init(&p);
    char err[WB_POLICY_ERR_MAX] = "";
    const char *json = "{\"timeout_ms\": \"2m\", \"max_memory\": \"64MiB\", \"max_output\": "
                       "\"1KiB\", \"max_stack\": \"1M\"}";
    assert_true(wb_policy_load_json(&p, "p.json", json, strlen(json), err, sizeof err));
    assert_int_equal(p.timeout_ms, 120000);
    assert_int_equal(p.max_memory, 64u << 20);
    assert_int_equal(p.max_output, 1024);
    assert_int_equal(p.max_stack, 1u << 20);
    assert_true(wb_policy_apply_flag(&p, "--timeout", "500ms", err, sizeof err));
    assert_true(wb_policy_apply_flag(&p, "--max-memory", "1GiB", err, sizeof err));
    assert_int_equal(p.timeout_ms, 500);
    assert_int_equal(p.max_memory, 1u << 30);
    /* another spelling of the same flag names itself */
    assert_false(wb_policy_apply_flag_as(&p, "--max-memory", "-W max-memory-size", "2GiB", err,
                                         sizeof err));
    assert_string_equal(err, "-W max-memory-size: given twice (first 1073741824); give it once");
    assert_false(wb_policy_apply_flag(&p, "--fuel", "1K", err, sizeof err));
    assert_string_equal(err, "--fuel: \"1K\" is not a whole number");
    wb_policy_free(&p);
}

static const char *suggest(const char *word, const char *const *names, size_t n)
{
    wb_suggest s;
    wb_suggest_init(&s, word);
    for (size_t i = 0; i < n; i++)
        wb_suggest_add(&s, names[i]);
    return wb_suggest_best(&s);
}

static void test_suggestions(void **state)
{
    (void)state;
    size_t nkeys;
    const char *const *keys = wb_policy_keys(&nkeys);
    assert_string_equal(suggest("max_memmory", keys, nkeys), "max_memory");
    assert_string_equal(suggest("alowed_outbound_hosts", keys, nkeys), "allowed_outbound_hosts");
    assert_string_equal(suggest("fule", keys, nkeys), "fuel"); /* a swap is one edit */
    assert_string_equal(suggest("timeout", keys, nkeys), "timeout_ms");
    assert_null(suggest("zzzz", keys, nkeys));
    assert_null(suggest("file", keys, nkeys)); /* two edits from "fuel": too far for 4 letters */
    static const char *const flags[] = {"--timeout", "--fuel", "--dir", "--env"};
    assert_string_equal(suggest("--tmeout", flags, 4), "--timeout");
    assert_string_equal(suggest("--dirs", flags, 4), "--dir");
    assert_null(suggest("--verbose", flags, 4));
    /* the closest wins; a word longer than 64 bytes is never compared */
    static const char *const two[] = {"--max-memory", "--max-memry"};
    assert_string_equal(suggest("--max-memry", two, 2), "--max-memory");
    char longword[100];
    memset(longword, 'a', 99);
    longword[99] = 0;
    static const char *const as[] = {"aaaa"};
    assert_null(suggest(longword, as, 1));
}

static void test_env_from_caller(void **state)
{
    (void)state;
    wb_policy p;
    wb_policy_init(&p);
    char err[WB_POLICY_ERR_MAX] = "";
    setenv("WB_TEST_TOKEN", "s3cret value", 1);
    assert_true(wb_policy_apply_flag(&p, "--env", "WB_TEST_TOKEN", err, sizeof err));
    assert_true(wb_policy_apply_flag(&p, "--env", "OTHER=1", err, sizeof err));
    assert_int_equal(p.nenv, 2);
    assert_string_equal(p.env[0], "WB_TEST_TOKEN=s3cret value");
    assert_int_equal(p.nenv_inherited, 1);
    assert_string_equal(p.env_inherited[0], "WB_TEST_TOKEN");
    /* named twice among the flags: an error, as with NAME=VALUE */
    assert_false(wb_policy_apply_flag(&p, "--env", "WB_TEST_TOKEN", err, sizeof err));
    assert_string_equal(err, "--env: environment variable \"WB_TEST_TOKEN\" is given twice; give "
                             "it once");
    assert_false(wb_policy_apply_flag(&p, "--env", "", err, sizeof err));
    assert_string_equal(err, "--env: empty environment variable name");
    wb_policy_free(&p);
    unsetenv("WB_TEST_TOKEN");
}

static void test_dir_same_path(void **state)
{
    (void)state;
    wb_policy p;
    wb_policy_init(&p);
    char err[WB_POLICY_ERR_MAX] = "";
    static const struct {
        const char *spec, *guest;
        bool ro;
    } cases[] = {
        {".", "/", false},           {"./policy", "/policy", false},
        {"policy/examples:ro", "/policy/examples", true},
        {"/tmp", "/tmp", false},     {"/usr/share/", "/usr/share", true},
        {"/etc::/config", "/config", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char spec[64];
        snprintf(spec, sizeof spec, "%s%s", cases[i].spec,
                 cases[i].ro && !strstr(cases[i].spec, ":ro") ? ":ro" : "");
        if (!wb_policy_apply_flag(&p, "--dir", spec, err, sizeof err))
            fail_msg("%s: %s", spec, err);
        assert_string_equal(p.dirs[i].guest, cases[i].guest);
        assert_int_equal(p.dirs[i].read_only, cases[i].ro);
    }
    assert_false(wb_policy_apply_flag(&p, "--dir", "..", err, sizeof err));
    assert_string_equal(err, "--dir: cannot use \"..\" as the guest path too (it has \"..\"); "
                             "write HOST::GUEST");
    wb_policy_free(&p);
    /* a policy file keeps its own rule: "/" + the last component */
    wb_policy_init(&p);
    const char *json = "{\"dirs\": [\"/usr/share\"]}";
    assert_true(wb_policy_load_json(&p, "p.json", json, strlen(json), err, sizeof err));
    assert_string_equal(p.dirs[0].guest, "/share");
    wb_policy_free(&p);
}

typedef struct lines {
    char text[4][1024];
    size_t n;
} lines;

static void collect(void *user, const char *line)
{
    lines *l = user;
    if (l->n < 4)
        snprintf(l->text[l->n], sizeof l->text[0], "%s", line);
    l->n++;
}

static void test_warnings(void **state)
{
    (void)state;
    wb_policy p;
    wb_policy_init(&p);
    char err[WB_POLICY_ERR_MAX] = "";
    const char *json = "{\"allowed_outbound_hosts\": [\"http://127.0.0.1:*\", "
                       "\"https://example.com\", \"http://localhost:8080\", \"http://10.1.2.3\"],"
                       " \"block_networks\": [\"internal\"],"
                       " \"dirs\": [\"/tmp::/data:ro\", \"/tmp::/data/out:rw\", \"/tmp::/x:rw\"]}";
    assert_true(wb_policy_load_json(&p, "p.json", json, strlen(json), err, sizeof err));
    assert_true(wb_policy_check(&p, err, sizeof err));
    lines l = {.n = 0};
    assert_int_equal(wb_policy_warnings(&p, collect, &l), 4);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.text[0],
                        "allowed_outbound_hosts[0] 'http://127.0.0.1:*' can never be reached: "
                        "every address of it is in block_networks (127.0.0.1 is in blocked "
                        "network \"internal\" (127.0.0.0/8)); remove one of the two");
    assert_non_null(strstr(l.text[1], "allowed_outbound_hosts[2] 'http://localhost:8080' can "
                                      "never be reached"));
    assert_non_null(strstr(l.text[2], "allowed_outbound_hosts[3] 'http://10.1.2.3' can never "
                                      "be reached"));
    assert_string_equal(l.text[3],
                        "read-write map /data/out (p.json: dirs[1]) lies inside read-only map "
                        "/data (p.json: dirs[0]): the guest can write beneath a directory meant "
                        "to be read-only; give both the same mode if that is meant");
    wb_policy_free(&p);
    /* the reverse nesting, and a consistent policy: no warning */
    wb_policy_init(&p);
    json = "{\"work_dir\": \"/tmp\", \"dirs\": [\"/tmp::/ro:ro\"]}";
    assert_true(wb_policy_load_json(&p, "q.json", json, strlen(json), err, sizeof err));
    l.n = 0;
    assert_int_equal(wb_policy_warnings(&p, collect, &l), 1);
    assert_string_equal(l.text[0], "read-only map /ro (q.json: dirs[0]) lies inside read-write "
                                   "map / (q.json: work_dir): the inner directory is read-only "
                                   "but its surroundings are not; give both the same mode if "
                                   "that is meant");
    wb_policy_free(&p);
    wb_policy_init(&p);
    json = "{\"allowed_outbound_hosts\": [\"https://example.com\"], \"block_networks\": "
           "[\"internal\"], \"dirs\": [\"/tmp::/a:ro\", \"/tmp::/a/b:ro\"]}";
    assert_true(wb_policy_load_json(&p, "r.json", json, strlen(json), err, sizeof err));
    assert_int_equal(wb_policy_warnings(&p, collect, &l), 0);
    wb_policy_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_units_in_flags_and_files),
        cmocka_unit_test(test_suggestions),
        cmocka_unit_test(test_env_from_caller),
        cmocka_unit_test(test_dir_same_path),
        cmocka_unit_test(test_warnings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
