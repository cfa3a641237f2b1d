/* Loading policies from the example files, JSON text and CLI flags; the
 * whole-policy check; normalized printing. Runs from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../policy/policy.h"

#define EX "policy/examples/"

static void test_default_is_nothing(void **state)
{
    (void)state;
    wb_policy p;
    wb_policy_init(&p);
    assert_int_equal(p.ndirs, 0);
    assert_null(p.work_dir);
    assert_int_equal(p.nenv, 0);
    assert_int_equal(p.nargs, 0);
    assert_int_equal(p.nallowed_outbound_hosts, 0);
    assert_int_equal(p.nblock_networks, 0);
    assert_int_equal(p.nblock_urls, 0);
    assert_int_equal(p.nresolve, 0);
    assert_null(p.ca_file);
    assert_null(p.cache_dir);
    assert_null(p.audit);
    /* every limit is finite by default (the values policy/README.md documents) */
    assert_int_equal(p.timeout_ms, 300000);
    assert_int_equal(p.fuel, 1000000000000ull);
    assert_int_equal(p.max_memory, 2ull << 30);
    assert_int_equal(p.max_stack, 8ull << 20);
    assert_int_equal(p.max_output, 64ull << 20);
    char err[WB_POLICY_ERR_MAX];
    assert_true(wb_policy_check(&p, err, sizeof err));
    wb_policy_free(&p);
    wb_policy_free(&p); /* free leaves an empty policy: freeing again is harmless */
}

static void test_full_example(void **state)
{
    (void)state;
    wb_policy p;
    wb_policy_init(&p);
    char err[WB_POLICY_ERR_MAX] = "";
    if (!wb_policy_load_file(&p, EX "full.json", err, sizeof err))
        fail_msg("%s", err);
    assert_string_equal(p.work_dir, "policy/examples/..");
    assert_int_equal(p.ndirs, 3);
    assert_string_equal(p.dirs[0].host, "policy/examples");
    assert_string_equal(p.dirs[0].guest, "/examples");
    assert_true(p.dirs[0].read_only);
    assert_string_equal(p.dirs[0].origin, "policy/examples/full.json: dirs[0]");
    assert_string_equal(p.dirs[1].host, "policy/examples/../..");
    assert_string_equal(p.dirs[1].guest, "/repo/src");
    assert_false(p.dirs[1].read_only);
    assert_string_equal(p.dirs[2].host, "policy/examples/..");
    assert_string_equal(p.dirs[2].guest, "/policy-again");
    assert_true(p.dirs[2].read_only);
    assert_int_equal(p.nenv, 2);
    assert_string_equal(p.env[0], "LANG=C.UTF-8");
    assert_string_equal(p.env[1], "GREETING=hello \"world\"");
    assert_int_equal(p.nargs, 2);
    assert_string_equal(p.args[0], "--verbose");
    assert_string_equal(p.args[1], "input.txt");
    /* "HTTPS://GitHub.com." is normalized; it is not a duplicate of *.github.com */
    assert_int_equal(p.nallowed_outbound_hosts, 5);
    assert_true(wb_policy_host_allowed(&p, "https", "api.github.com", 443));
    assert_true(wb_policy_host_allowed(&p, "https", "github.com", 443));
    assert_true(wb_policy_host_allowed(&p, "http", "localhost", 3000));
    assert_true(wb_policy_host_allowed(&p, "http", "[::1]", 8080));
    assert_true(wb_policy_host_allowed(&p, "tcp", "db.internal", 5432));
    assert_false(wb_policy_host_allowed(&p, "tcp", "db.internal", 5433));
    assert_int_equal(p.nblock_networks, 4);
    assert_string_equal(p.block_networks[0].text, "internal");
    assert_string_equal(p.block_networks[3].text, "198.51.100.7/32");
    assert_int_equal(p.nblock_urls, 1);
    assert_string_equal(p.ca_file, "/etc/ssl/certs/ca-certificates.crt");
    assert_int_equal(p.nresolve, 2);
    const wb_resolve *r = wb_policy_find_resolve(&p, "DUAL.example.", 8443);
    assert_non_null(r);
    assert_int_equal(r->naddrs, 2);
    char a[64];
    wb_ip_format(&r->addrs[1], a, sizeof a);
    assert_string_equal(a, "::1");
    assert_null(wb_policy_find_resolve(&p, "dual.example", 443));
    assert_int_equal(p.timeout_ms, 30000);
    assert_int_equal(p.fuel, 1000000000);
    assert_int_equal(p.max_memory, 256 << 20);
    assert_int_equal(p.max_stack, 1 << 20);
    assert_int_equal(p.max_output, 65536);
    assert_string_equal(p.cache_dir, "policy/examples/cache");
    assert_string_equal(p.audit, "policy/examples/audit.log");
    /* the CA bundle path is the host's business; point it at a file that exists */
    assert_true(wb_policy_apply_flag(&p, "--ca-file", EX "full.json", err, sizeof err));
    if (!wb_policy_check(&p, err, sizeof err))
        fail_msg("%s", err);
    wb_policy_free(&p);
}

static void test_minimal_example(void **state)
{
    (void)state;
    wb_policy p;
    wb_policy_init(&p);
    char err[WB_POLICY_ERR_MAX] = "";
    if (!wb_policy_load_file(&p, EX "minimal.json", err, sizeof err) ||
        !wb_policy_check(&p, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(p.ndirs, 1);
    assert_string_equal(p.dirs[0].guest, "/data");
    assert_true(p.dirs[0].read_only);
    assert_int_equal(p.max_memory, 64 << 20);
    assert_int_equal(p.fuel, 1000000000000ull); /* not in the file: the default */
    wb_policy_free(&p);
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

static void test_print_round_trip(void **state)
{
    (void)state;
    const char *files[] = {EX "full.json", EX "minimal.json"};
    for (size_t i = 0; i < 2; i++) {
        wb_policy p, q;
        wb_policy_init(&p);
        wb_policy_init(&q);
        char err[WB_POLICY_ERR_MAX] = "";
        assert_true(wb_policy_load_file(&p, files[i], err, sizeof err));
        assert_true(wb_policy_apply_flag(&p, "--fuel", "18446744073709551614", err, sizeof err));
        char *one = print_to_string(&p);
        if (!wb_policy_load_json(&q, "printed", one, strlen(one), err, sizeof err))
            fail_msg("%s\n%s", err, one);
        char *two = print_to_string(&q);
        assert_string_equal(one, two);
        assert_int_equal(q.fuel, 18446744073709551614ull);
        /* relative paths print absolute, so the output can be saved anywhere */
        char cwd[4096], want[4200];
        assert_non_null(getcwd(cwd, sizeof cwd));
        snprintf(want, sizeof want, "%s/%s", cwd, p.dirs[0].host);
        assert_string_equal(q.dirs[0].host, want);
        free(one);
        free(two);
        wb_policy_free(&p);
        wb_policy_free(&q);
    }
    /* the empty policy prints every key, its default limits as numbers, and
     * loads back to the empty policy */
    wb_policy p;
    wb_policy_init(&p);
    char *text = print_to_string(&p);
    assert_non_null(strstr(text, "\"timeout_ms\":\t300000,"));
    assert_non_null(strstr(text, "\"fuel\":\t1000000000000,"));
    assert_non_null(strstr(text, "\"max_memory\":\t2147483648,"));
    assert_non_null(strstr(text, "\"max_stack\":\t8388608,"));
    assert_non_null(strstr(text, "\"max_output\":\t67108864,"));
    assert_non_null(strstr(text, "\"work_dir\":\tnull"));
    char err[WB_POLICY_ERR_MAX];
    assert_true(wb_policy_load_json(&p, "printed", text, strlen(text), err, sizeof err));
    char *again = print_to_string(&p);
    assert_string_equal(text, again);
    free(text);
    free(again);
    wb_policy_free(&p);
    /* a lifted limit prints as "unlimited" and loads back lifted */
    wb_policy_init(&p);
    assert_true(wb_policy_apply_flag(&p, "--fuel", "unlimited", err, sizeof err));
    text = print_to_string(&p);
    assert_non_null(strstr(text, "\"fuel\":\t\"unlimited\""));
    wb_policy q;
    wb_policy_init(&q);
    assert_true(wb_policy_load_json(&q, "printed", text, strlen(text), err, sizeof err));
    assert_true(q.fuel == WB_UNLIMITED);
    free(text);
    wb_policy_free(&p);
    wb_policy_free(&q);
}

/* Every bad example, with the exact message policy/README.md documents. */
static void test_bad_examples(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        bool at_check; /* the file loads; wb_policy_check refuses it */
        const char *message;
    } cases[] = {
        {EX "bad_cidr.json", false,
         EX "bad_cidr.json: block_networks[2]: \"10.0.0.0/33\" is not a valid CIDR (prefix length "
            "over 32)"},
        {EX "bad_unknown_key.json", false,
         EX "bad_unknown_key.json: unknown key \"fule\" (did you mean \"fuel\"?)"},
        {EX "bad_type.json", false, EX "bad_type.json: fuel: expected a number, got an array"},
        {EX "bad_size.json", false,
         EX "bad_size.json: max_memory: \"64Q\" is not a size (bytes, or with a unit: 64K, 64M, "
            "64MiB, 1GiB)"},
        {EX "bad_negative.json", false, EX "bad_negative.json: timeout_ms: must not be negative"},
        {EX "bad_host_pattern.json", false,
         EX "bad_host_pattern.json: allowed_outbound_hosts[1]: \"https://api.*.com\" is not a "
            "valid host pattern (\"*\" must be the whole host or whole leading labels, as in "
            "*.example.com)"},
        {EX "bad_network_set.json", false,
         EX "bad_network_set.json: block_networks[0]: \"privat\" is not a known network set "
            "(known: private, loopback, link-local, metadata, internal)"},
        {EX "bad_guest_path.json", false,
         EX "bad_guest_path.json: dirs[0]: guest path \"/a/../etc\" must not contain \"..\""},
        {EX "bad_duplicate_guest.json", true,
         EX "bad_duplicate_guest.json: dirs[1]: guest path \"/data\" is already mapped by " EX
            "bad_duplicate_guest.json: dirs[0]"},
        {EX "bad_missing_dir.json", true,
         EX "bad_missing_dir.json: dirs[0]: host directory \"policy/examples/does-not-exist\" "
            "does not exist"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wb_policy p;
        wb_policy_init(&p);
        char err[WB_POLICY_ERR_MAX] = "";
        bool loaded = wb_policy_load_file(&p, cases[i].file, err, sizeof err);
        if (loaded != cases[i].at_check)
            fail_msg("%s: load %s (%s)", cases[i].file, loaded ? "succeeded" : "failed", err);
        if (loaded)
            assert_false(wb_policy_check(&p, err, sizeof err));
        assert_string_equal(err, cases[i].message);
        wb_policy_free(&p);
    }
}

static void expect_json_error(const char *json, const char *message)
{
    wb_policy p;
    wb_policy_init(&p);
    char err[WB_POLICY_ERR_MAX] = "";
    assert_false(wb_policy_load_json(&p, "p.json", json, strlen(json), err, sizeof err));
    assert_string_equal(err, message);
    wb_policy_free(&p);
}

static void test_json_errors(void **state)
{
    (void)state;
    expect_json_error("{\n  \"fuel\": 1,\n  \"fuel\" 2\n}", "p.json: invalid JSON at line 3, "
                                                            "column 10");
    expect_json_error("", "p.json: invalid JSON at line 1, column 1");
    expect_json_error("{} {}", "p.json: text after the JSON value");
    expect_json_error("[]", "p.json: expected a JSON object, got an array");
    expect_json_error("{\"fuel\": 1, \"fuel\": 2}", "p.json: duplicate key \"fuel\"");
    expect_json_error("{\"fuel\": 1, \"Fuel\": 2}",
                      "p.json: unknown key \"Fuel\" (did you mean \"fuel\"?)");
    /* no known key is close: the list of them instead */
    expect_json_error("{\"zzzzzz\": 1}",
                      "p.json: unknown key \"zzzzzz\" (known: dirs, work_dir, "
                      "allow_symlink_dotdot, env, args, allowed_outbound_hosts, block_networks, "
                      "block_urls, ca_file, resolve, timeout_ms, fuel, max_memory, max_stack, "
                      "max_output, cache_dir, audit)");
    expect_json_error("{\"max_memmory\": 1}",
                      "p.json: unknown key \"max_memmory\" (did you mean \"max_memory\"?)");
    expect_json_error("{\"dirs\": [{\"host\": \"/tmp\", \"mdoe\": \"ro\"}]}",
                      "p.json: dirs[0]: unknown key \"mdoe\" (did you mean \"mode\"?)");
    expect_json_error("{\"fuel\": 1.5}", "p.json: fuel: must be a whole number");
    expect_json_error("{\"fuel\": 0}", "p.json: fuel: must be at least 1 (write \"unlimited\" for "
                                       "no limit)");
    expect_json_error("{\"fuel\": 1e300}", "p.json: fuel: too large for a JSON number; write it "
                                           "as a string");
    expect_json_error("{\"fuel\": \"18446744073709551615\"}",
                      "p.json: fuel: too large (write \"unlimited\" for no limit)");
    expect_json_error("{\"fuel\": \"18446744073709551616\"}",
                      "p.json: fuel: \"18446744073709551616\" is too large");
    expect_json_error("{\"fuel\": \"-1\"}", "p.json: fuel: \"-1\" is not a whole number");
    expect_json_error("{\"fuel\": true}", "p.json: fuel: expected a number, got a boolean");
    expect_json_error("{\"max_stack\": \"1M \"}", "p.json: max_stack: \"1M \" is not a size (bytes, "
                                                "or with a unit: 64K, 64M, 64MiB, 1GiB)");
    expect_json_error("{\"max_stack\": \"16E\"}", "p.json: max_stack: \"16E\" is not a size "
                                                "(bytes, or with a unit: 64K, 64M, 64MiB, 1GiB)");
    expect_json_error("{\"max_stack\": \"1MB\"}",
                      "p.json: max_stack: \"1MB\" is ambiguous (1000- or 1024-based?): write KiB, "
                      "MiB, GiB or TiB (1024-based)");
    expect_json_error("{\"max_stack\": \"1Mi\"}", "p.json: max_stack: \"1Mi\" is not a size "
                                                "(bytes, or with a unit: 64K, 64M, 64MiB, 1GiB)");
    expect_json_error("{\"max_stack\": \"17179869184G\"}",
                      "p.json: max_stack: \"17179869184G\" is too large");
    expect_json_error("{\"max_memory\": {}}",
                      "p.json: max_memory: expected a number or a size string, got an object");
    expect_json_error("{\"timeout_ms\": \"5 s\"}",
                      "p.json: timeout_ms: \"5 s\" is not a duration (a whole number with a unit: "
                      "500ms, 5s, 2m, 1h)");
    expect_json_error("{\"timeout_ms\": \"5d\"}",
                      "p.json: timeout_ms: \"5d\" is not a duration (a whole number with a unit: "
                      "500ms, 5s, 2m, 1h)");
    expect_json_error("{\"env\": [\"A=1\"]}", "p.json: env: expected an object of strings, got "
                                              "an array");
    expect_json_error("{\"env\": {\"A\": 1}}", "p.json: env.A: expected a string, got a number");
    expect_json_error("{\"env\": {\"A\": \"1\", \"A\": \"2\"}}",
                      "p.json: env: duplicate key \"A\"");
    expect_json_error("{\"env\": {\"A=B\": \"1\"}}",
                      "p.json: env.A=B: environment variable name \"A=B\" contains \"=\"");
    expect_json_error("{\"env\": {\"\": \"1\"}}", "p.json: env.: empty environment variable name");
    expect_json_error("{\"args\": \"-v\"}", "p.json: args: expected an array of strings, got a "
                                            "string");
    expect_json_error("{\"args\": [\"-v\", null]}", "p.json: args[1]: expected a string, got null");
    expect_json_error("{\"dirs\": [42]}", "p.json: dirs[0]: expected an object or a "
                                          "\"HOST::GUEST:ro\" string, got a number");
    expect_json_error("{\"dirs\": [{\"guest\": \"/x\"}]}", "p.json: dirs[0]: missing \"host\"");
    expect_json_error("{\"dirs\": [{\"host\": \"\"}]}", "p.json: dirs[0]: empty host directory");
    expect_json_error("{\"dirs\": [{\"host\": \"/tmp\", \"mode\": \"rwx\"}]}",
                      "p.json: dirs[0].mode: expected \"ro\" or \"rw\", got \"rwx\"");
    expect_json_error("{\"dirs\": [{\"host\": \"/tmp\", \"ro\": true}]}",
                      "p.json: dirs[0]: unknown key \"ro\" (known: host, guest, mode)");
    expect_json_error("{\"dirs\": [{\"host\": \"/tmp\", \"guest\": \"data\"}]}",
                      "p.json: dirs[0]: guest path \"data\" must be absolute (start with \"/\")");
    expect_json_error("{\"dirs\": [{\"host\": \"/tmp\", \"host\": \"/etc\"}]}",
                      "p.json: dirs[0]: duplicate key \"host\"");
    expect_json_error("{\"work_dir\": 1}", "p.json: work_dir: expected a string or null, got a "
                                           "number");
    expect_json_error("{\"audit\": \"\"}", "p.json: audit: empty path");
    expect_json_error("{\"resolve\": [\"example.com:443\"]}",
                      "p.json: resolve[0]: \"example.com:443\" is not HOST:PORT:ADDR[,ADDR...] "
                      "(missing \":\")");
    expect_json_error("{\"resolve\": [\"example.com:443:127.1\"]}",
                      "p.json: resolve[0]: \"example.com:443:127.1\" is not "
                      "HOST:PORT:ADDR[,ADDR...] (bad IP address)");
    expect_json_error("{\"resolve\": [\"example.com:0:127.0.0.1\"]}",
                      "p.json: resolve[0]: \"example.com:0:127.0.0.1\" is not "
                      "HOST:PORT:ADDR[,ADDR...] (bad host name)");
    expect_json_error("{\"resolve\": [\"*.example.com:443:127.0.0.1\"]}",
                      "p.json: resolve[0]: \"*.example.com:443:127.0.0.1\" is not "
                      "HOST:PORT:ADDR[,ADDR...] (bad host name)");
    expect_json_error("{\"resolve\": [\"example.com:443:127.0.0.1,\"]}",
                      "p.json: resolve[0]: \"example.com:443:127.0.0.1,\" is not "
                      "HOST:PORT:ADDR[,ADDR...] (bad IP address)");
    expect_json_error("{\"audit\": \"x\\u0000y\"}", "p.json: strings must not contain \\u0000");
    expect_json_error("{\"block_urls\": [\"ftp://x/\"]}", "p.json: block_urls[0]: \"ftp://x/\" is "
                                                          "not a valid URL prefix (scheme must be "
                                                          "http, https, ws or wss)");
}

static void test_json_accepts(void **state)
{
    (void)state;
    wb_policy p;
    wb_policy_init(&p);
    char err[WB_POLICY_ERR_MAX] = "";
    const char *json = "{\"fuel\": \"unlimited\", \"max_output\": 0, \"max_stack\": \"64k\","
                       " \"max_memory\": 9007199254740992, \"timeout_ms\": \"250\","
                       " \"audit\": \"a.log\", \"audit\": null}";
    /* a duplicate key is refused even when the second would clear the first */
    assert_false(wb_policy_load_json(&p, "p.json", json, strlen(json), err, sizeof err));
    json = "{\"fuel\": \"unlimited\", \"max_output\": 0, \"max_stack\": \"64k\","
           " \"max_memory\": 9007199254740992, \"timeout_ms\": \"250\", \"audit\": \"a.log\"}";
    if (!wb_policy_load_json(&p, "p.json", json, strlen(json), err, sizeof err))
        fail_msg("%s", err);
    assert_true(p.fuel == WB_UNLIMITED);
    assert_int_equal(p.max_output, 0);
    assert_int_equal(p.max_stack, 65536);
    assert_int_equal(p.max_memory, 9007199254740992ull);
    assert_int_equal(p.timeout_ms, 250);
    /* text loaded from memory has no directory: paths stay as written */
    assert_string_equal(p.audit, "a.log");
    /* null clears a path scalar */
    json = "{\"audit\": null}";
    assert_true(wb_policy_load_json(&p, "p.json", json, strlen(json), err, sizeof err));
    assert_null(p.audit);
    wb_policy_free(&p);
}

static void expect_flag_error(const char *flag, const char *value, const char *message)
{
    wb_policy p;
    wb_policy_init(&p);
    char err[WB_POLICY_ERR_MAX] = "";
    assert_false(wb_policy_apply_flag(&p, flag, value, err, sizeof err));
    assert_string_equal(err, message);
    wb_policy_free(&p);
}

static void test_flags(void **state)
{
    (void)state;
    wb_policy p;
    wb_policy_init(&p);
    char err[WB_POLICY_ERR_MAX] = "";
#define OK(flag, value)                                                                      \
    do {                                                                                     \
        if (!wb_policy_apply_flag(&p, flag, value, err, sizeof err))                         \
            fail_msg("%s %s: %s", flag, value, err);                                         \
    } while (0)
    OK("--dir", "/tmp");
    OK("--dir", "/usr/share/::/share:ro");
    OK("--dir", "policy/examples/");
    OK("--dir", "/usr/lib:ro");
    OK("--dir", "/etc::/config//./x/:rw");
    assert_int_equal(p.ndirs, 5);
    assert_string_equal(p.dirs[0].guest, "/tmp");
    assert_false(p.dirs[0].read_only);
    assert_string_equal(p.dirs[1].host, "/usr/share/");
    assert_string_equal(p.dirs[1].guest, "/share");
    assert_true(p.dirs[1].read_only);
    /* without ::GUEST a flag's HOST is seen at the same path (Wasmtime's
     * rule), a relative one beneath / */
    assert_string_equal(p.dirs[2].guest, "/policy/examples");
    assert_string_equal(p.dirs[3].host, "/usr/lib");
    assert_string_equal(p.dirs[3].guest, "/usr/lib");
    assert_true(p.dirs[3].read_only);
    assert_string_equal(p.dirs[4].guest, "/config/x");
    assert_false(p.dirs[4].read_only);
    assert_string_equal(p.dirs[4].origin, "--dir");
    OK("--work-dir", "policy");
    assert_string_equal(p.work_dir, "policy");
    OK("--env", "A=1");
    OK("--env", "B=");
    OK("--env", "C=2=3");
    assert_int_equal(p.nenv, 3);
    assert_string_equal(p.env[0], "A=1");
    assert_string_equal(p.env[1], "B=");
    assert_string_equal(p.env[2], "C=2=3");
    OK("--fuel", "1000");
    OK("--timeout", "5000");
    OK("--max-memory", "64K");
    OK("--max-stack", "2m");
    OK("--max-output", "1G");
    assert_int_equal(p.fuel, 1000);
    assert_int_equal(p.timeout_ms, 5000);
    assert_int_equal(p.max_memory, 65536);
    assert_int_equal(p.max_stack, 2 << 20);
    assert_int_equal(p.max_output, 1ull << 30);
    OK("--audit", "audit.log");
    OK("--cache-dir", "/tmp/wasmbox-cache");
    OK("--ca-file", "policy/examples/full.json");
    OK("--resolve", "example.com:443:127.0.0.1");
    OK("--resolve", "example.com:8443:[::1]");
    assert_int_equal(p.nresolve, 2);
    assert_int_equal(p.resolve[0].addrs[0].family, 4);
    assert_int_equal(p.resolve[1].addrs[0].family, 6);
    OK("--allow-host", "https://*.github.com");
    OK("--block-network", "private");
    OK("--block-url", "https://x.example/");
    assert_true(wb_policy_add_arg(&p, "first", err, sizeof err));
    assert_true(wb_policy_add_arg(&p, "", err, sizeof err));
    assert_int_equal(p.nargs, 2);
    assert_string_equal(p.args[1], "");
    if (!wb_policy_check(&p, err, sizeof err))
        fail_msg("%s", err);
    wb_policy_free(&p);
    /* 0 where allowed, and "unlimited" (a fresh policy: a scalar flag is given once) */
    wb_policy_init(&p);
    OK("--max-output", "0");
    assert_int_equal(p.max_output, 0);
    OK("--fuel", "unlimited");
    assert_true(p.fuel == WB_UNLIMITED);
    wb_policy_free(&p);
#undef OK

    assert_true(wb_policy_is_flag("--dir"));
    assert_true(wb_policy_is_flag("--block-network"));
    assert_false(wb_policy_is_flag("--dirs"));
    assert_false(wb_policy_is_flag("dir"));
    assert_false(wb_policy_is_flag(NULL));
    expect_flag_error("--nope", "x", "--nope: not a policy flag");
    expect_flag_error("--fuel", NULL, "--fuel: missing value");
    expect_flag_error("--fuel", "abc", "--fuel: \"abc\" is not a whole number");
    expect_flag_error("--fuel", "", "--fuel: \"\" is not a whole number");
    expect_flag_error("--fuel", "-1", "--fuel: \"-1\" is not a whole number");
    expect_flag_error("--fuel", "+1", "--fuel: \"+1\" is not a whole number");
    expect_flag_error("--fuel", "1K", "--fuel: \"1K\" is not a whole number");
    expect_flag_error("--fuel", "0", "--fuel: must be at least 1 (write \"unlimited\" for no "
                                     "limit)");
    expect_flag_error("--fuel", "99999999999999999999", "--fuel: \"99999999999999999999\" is too "
                                                        "large");
    expect_flag_error("--timeout", "1.5", "--timeout: \"1.5\" is not a duration (a whole number "
                                          "with a unit: 500ms, 5s, 2m, 1h)");
    expect_flag_error("--max-memory", "0", "--max-memory: must be at least 1 (write \"unlimited\" "
                                           "for no limit)");
    expect_flag_error("--max-memory", "64MB", "--max-memory: \"64MB\" is ambiguous (1000- or "
                                              "1024-based?): write KiB, MiB, GiB or TiB "
                                              "(1024-based)");
    expect_flag_error("--max-memory", "M", "--max-memory: \"M\" is not a size (bytes, or with a "
                                           "unit: 64K, 64M, 64MiB, 1GiB)");
    expect_flag_error("--max-stack", "16777216T", "--max-stack: \"16777216T\" is too large");
    expect_flag_error("--dir", "", "--dir: empty directory map (write HOST[::GUEST][:ro|:rw])");
    expect_flag_error("--dir", ":ro", "--dir: empty host directory");
    expect_flag_error("--dir", "::/x", "--dir: empty host directory");
    expect_flag_error("--dir", "/tmp::", "--dir: empty guest path after \"::\" in \"/tmp::\"");
    expect_flag_error("--dir", "/tmp::x", "--dir: guest path \"x\" must be absolute (start with "
                                          "\"/\")");
    expect_flag_error("--dir", "/tmp::/x/../..", "--dir: guest path \"/x/../..\" must not "
                                                 "contain \"..\"");
    expect_flag_error("--dir", "../..:ro", "--dir: cannot use \"../..\" as the guest path too (it "
                                           "has \"..\"); write HOST::GUEST");
    expect_flag_error("--dir", "a/../b", "--dir: cannot use \"a/../b\" as the guest path too (it "
                                         "has \"..\"); write HOST::GUEST");
    unsetenv("WB_TEST_NOT_SET");
    expect_flag_error("--env", "WB_TEST_NOT_SET",
                      "--env: WB_TEST_NOT_SET is not set in wasmbox's environment, so there is "
                      "nothing to copy; write --env WB_TEST_NOT_SET=VALUE");
    expect_flag_error("--env", "=x", "--env: empty environment variable name");
    expect_flag_error("--work-dir", "", "--work-dir: empty path");
    expect_flag_error("--resolve", "example.com:443:", "--resolve: \"example.com:443:\" is not "
                                                       "HOST:PORT:ADDR[,ADDR...] (bad IP address)");
    expect_flag_error("--resolve", "example.com:http:1.2.3.4",
                      "--resolve: \"example.com:http:1.2.3.4\" is not HOST:PORT:ADDR[,ADDR...] "
                      "(bad host name)");
}

/* allow_symlink_dotdot: off unless said, true or false only, from a file or
 * a flag (the flag wins), printed and loaded back. */
static void test_allow_symlink_dotdot(void **state)
{
    (void)state;
    wb_policy p;
    wb_policy_init(&p);
    char err[WB_POLICY_ERR_MAX] = "";
    assert_false(p.allow_symlink_dotdot);
    if (!wb_policy_load_file(&p, EX "full.json", err, sizeof err))
        fail_msg("%s", err);
    assert_true(p.allow_symlink_dotdot);
    char *text = print_to_string(&p);
    assert_non_null(strstr(text, "\"allow_symlink_dotdot\":\ttrue"));
    free(text);
    assert_true(wb_policy_apply_flag(&p, "--allow-symlink-dotdot", "false", err, sizeof err));
    assert_false(p.allow_symlink_dotdot);
    text = print_to_string(&p);
    assert_non_null(strstr(text, "\"allow_symlink_dotdot\":\tfalse"));
    wb_policy q;
    wb_policy_init(&q);
    q.allow_symlink_dotdot = true;
    assert_true(wb_policy_load_json(&q, "printed", text, strlen(text), err, sizeof err));
    assert_false(q.allow_symlink_dotdot);
    free(text);
    wb_policy_free(&q);
    /* a scalar flag given twice is an error (the first value stays) */
    assert_false(wb_policy_apply_flag(&p, "--allow-symlink-dotdot", "true", err, sizeof err));
    assert_string_equal(err, "--allow-symlink-dotdot: given twice (first false); give it once");
    assert_false(p.allow_symlink_dotdot);
    wb_policy_free(&p);
    wb_policy_init(&p);
    assert_true(wb_policy_apply_flag(&p, "--allow-symlink-dotdot", "true", err, sizeof err));
    assert_true(p.allow_symlink_dotdot);
    wb_policy_free(&p);

    expect_json_error("{\"allow_symlink_dotdot\": \"true\"}",
                      "p.json: allow_symlink_dotdot: expected true or false, got a string");
    expect_json_error("{\"allow_symlink_dotdot\": 1}",
                      "p.json: allow_symlink_dotdot: expected true or false, got a number");
    expect_json_error("{\"allow_symlink_dotdot\": null}",
                      "p.json: allow_symlink_dotdot: expected true or false, got null");
    const char *bad[] = {"yes", "1", "TRUE", "True", "", "true ", "false:x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char want[128];
        snprintf(want, sizeof want, "--allow-symlink-dotdot: \"%s\" is not true or false", bad[i]);
        expect_flag_error("--allow-symlink-dotdot", bad[i], want);
    }
    expect_flag_error("--allow-symlink-dotdot", NULL, "--allow-symlink-dotdot: missing value");
}

static void test_flags_override_file(void **state)
{
    (void)state;
    wb_policy p;
    wb_policy_init(&p);
    char err[WB_POLICY_ERR_MAX] = "";
    assert_true(wb_policy_load_file(&p, EX "full.json", err, sizeof err));
    assert_true(wb_policy_apply_flag(&p, "--fuel", "5", err, sizeof err));
    assert_true(wb_policy_apply_flag(&p, "--max-memory", "1M", err, sizeof err));
    assert_true(wb_policy_apply_flag(&p, "--env", "LANG=POSIX", err, sizeof err));
    assert_true(wb_policy_apply_flag(&p, "--dir", "/tmp::/scratch", err, sizeof err));
    assert_true(wb_policy_apply_flag(&p, "--work-dir", "/tmp", err, sizeof err));
    assert_true(wb_policy_apply_flag(&p, "--block-network", "10.0.0.0/8", err, sizeof err));
    assert_int_equal(p.fuel, 5);
    assert_int_equal(p.max_memory, 1 << 20);
    assert_int_equal(p.nenv, 2);
    assert_string_equal(p.env[0], "LANG=POSIX");
    assert_int_equal(p.ndirs, 4);
    assert_string_equal(p.dirs[3].guest, "/scratch");
    assert_string_equal(p.work_dir, "/tmp");
    assert_string_equal(p.origin.work_dir, "--work-dir");
    assert_int_equal(p.nblock_networks, 5);
    /* a flag map on a guest path the file already uses is refused by the check */
    assert_true(wb_policy_apply_flag(&p, "--ca-file", EX "full.json", err, sizeof err));
    assert_true(wb_policy_check(&p, err, sizeof err));
    assert_true(wb_policy_apply_flag(&p, "--dir", "/tmp::/examples/", err, sizeof err));
    assert_false(wb_policy_check(&p, err, sizeof err));
    assert_string_equal(err, "--dir: guest path \"/examples\" is already mapped by "
                             "policy/examples/full.json: dirs[0]");
    wb_policy_free(&p);
}

static void expect_check_error(const char *flag, const char *value, const char *message)
{
    wb_policy p;
    wb_policy_init(&p);
    char err[WB_POLICY_ERR_MAX] = "";
    assert_true(wb_policy_apply_flag(&p, flag, value, err, sizeof err));
    assert_false(wb_policy_check(&p, err, sizeof err));
    assert_string_equal(err, message);
    wb_policy_free(&p);
}

static void test_check(void **state)
{
    (void)state;
    expect_check_error("--dir", "policy/examples/full.json::/x",
                       "--dir: host path \"policy/examples/full.json\" is not a directory");
    expect_check_error("--dir", "/nonexistent-wasmbox-dir::/x",
                       "--dir: host directory \"/nonexistent-wasmbox-dir\" does not exist");
    expect_check_error("--work-dir", "/nonexistent-wasmbox-dir",
                       "--work-dir: host directory \"/nonexistent-wasmbox-dir\" does not exist");
    expect_check_error("--ca-file", "/nonexistent-wasmbox.pem",
                       "--ca-file: \"/nonexistent-wasmbox.pem\" is not an existing file");
    expect_check_error("--ca-file", "policy",
                       "--ca-file: \"policy\" is not an existing file");
    expect_check_error("--audit", "/nonexistent-wasmbox-dir/audit.log",
                       "--audit: directory \"/nonexistent-wasmbox-dir\" for "
                       "\"/nonexistent-wasmbox-dir/audit.log\" does not exist");
    expect_check_error("--audit", "policy", "--audit: \"policy\" is a directory");
    expect_check_error("--cache-dir", "policy/examples/full.json",
                       "--cache-dir: \"policy/examples/full.json\" is not a directory");
    expect_check_error("--cache-dir", "/nonexistent-wasmbox-dir/cache",
                       "--cache-dir: directory \"/nonexistent-wasmbox-dir\" for "
                       "\"/nonexistent-wasmbox-dir/cache\" does not exist");

    /* work_dir takes guest "/": no other map may */
    wb_policy p;
    wb_policy_init(&p);
    char err[WB_POLICY_ERR_MAX] = "";
    assert_true(wb_policy_apply_flag(&p, "--work-dir", "policy", err, sizeof err));
    assert_true(wb_policy_apply_flag(&p, "--dir", "policy/examples::/", err, sizeof err));
    assert_false(wb_policy_check(&p, err, sizeof err));
    assert_string_equal(err, "--dir: guest path \"/\" is already mapped by --work-dir");
    wb_policy_free(&p);

    /* nested guest paths are fine; the same one twice is not */
    wb_policy_init(&p);
    assert_true(wb_policy_apply_flag(&p, "--dir", "policy::/data", err, sizeof err));
    assert_true(wb_policy_apply_flag(&p, "--dir", "policy/examples::/data/examples", err,
                                     sizeof err));
    assert_true(wb_policy_check(&p, err, sizeof err));
    assert_true(wb_policy_apply_flag(&p, "--dir", "tests::/data/./", err, sizeof err));
    assert_false(wb_policy_check(&p, err, sizeof err));
    assert_string_equal(err, "--dir: guest path \"/data\" is already mapped by --dir");
    wb_policy_free(&p);
    assert_false(wb_policy_check(NULL, err, sizeof err));
}

static void test_list_bound(void **state)
{
    (void)state;
    wb_policy p;
    wb_policy_init(&p);
    char err[WB_POLICY_ERR_MAX] = "";
    char arg[32];
    for (int i = 0; i < WB_POLICY_MAX_ENTRIES; i++) {
        snprintf(arg, sizeof arg, "a%d", i);
        assert_true(wb_policy_add_arg(&p, arg, err, sizeof err));
    }
    assert_false(wb_policy_add_arg(&p, "one-too-many", err, sizeof err));
    assert_string_equal(err, "argument: too many entries (at most 1024)");
    wb_policy_free(&p);
}

static void test_file_errors(void **state)
{
    (void)state;
    wb_policy p;
    wb_policy_init(&p);
    char err[WB_POLICY_ERR_MAX] = "";
    assert_false(wb_policy_load_file(&p, EX "no-such-file.json", err, sizeof err));
    assert_string_equal(err, EX "no-such-file.json: cannot open: No such file or directory");
    assert_false(wb_policy_load_file(&p, "policy", err, sizeof err));
    assert_string_equal(err, "policy: not a regular file");
    /* a policy may come through a pipe; it is still bounded */
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    const char *text = "{\"fuel\": 77, \"audit\": \"a.log\"}";
    assert_int_equal(write(fds[1], text, strlen(text)), (ssize_t)strlen(text));
    close(fds[1]);
    char name[64];
    snprintf(name, sizeof name, "/dev/fd/%d", fds[0]);
    if (!wb_policy_load_file(&p, name, err, sizeof err))
        fail_msg("%s", err);
    close(fds[0]);
    assert_int_equal(p.fuel, 77);
    assert_string_equal(p.audit, "a.log"); /* not /dev/fd/a.log */
    /* over 1 MiB is refused */
    char big[] = "/tmp/wb-policy-big-XXXXXX";
    int fd = mkstemp(big);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (1 << 20) + 1), 0);
    close(fd);
    assert_false(wb_policy_load_file(&p, big, err, sizeof err));
    char want[128];
    snprintf(want, sizeof want, "%s: larger than 1048576 bytes", big);
    assert_string_equal(err, want);
    unlink(big);
    assert_false(wb_policy_load_file(&p, NULL, err, sizeof err));
    assert_string_equal(err, "policy: no file name");
    wb_policy_free(&p);
}

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

/* Damaged policy files: each load either fails with a message naming the
 * file, or yields a policy that prints and loads back to itself. Under the
 * sanitizer build this also shows there is no crash or leak on bad input. */
static void test_mutated_files(void **state)
{
    (void)state;
    FILE *f = fopen(EX "full.json", "rb");
    assert_non_null(f);
    char orig[4096];
    size_t len = fread(orig, 1, sizeof orig, f);
    fclose(f);
    assert_true(len > 100 && len < sizeof orig);
    static const char inserts[] = "{}[]\",:0-9e\\u\n *.";
    uint32_t seed = 12345;
    size_t loaded = 0;
    for (int iter = 0; iter < 3000; iter++) {
        char buf[4200];
        memcpy(buf, orig, len);
        size_t n = len;
        int edits = 1 + (int)(lcg(&seed) % 4);
        for (int e = 0; e < edits; e++) {
            size_t at = lcg(&seed) % n;
            switch (lcg(&seed) % 3) {
            case 0: buf[at] = (char)(lcg(&seed) & 0xff); break;
            case 1: buf[at] = inserts[lcg(&seed) % (sizeof inserts - 1)]; break;
            default: memmove(buf + at, buf + at + 1, n - at - 1); n--; break;
            }
        }
        wb_policy p;
        wb_policy_init(&p);
        char err[WB_POLICY_ERR_MAX] = "";
        if (wb_policy_load_json(&p, "m.json", buf, n, err, sizeof err)) {
            loaded++;
            (void)wb_policy_check(&p, err, sizeof err);
            char *one = print_to_string(&p);
            wb_policy q;
            wb_policy_init(&q);
            if (!wb_policy_load_json(&q, "again", one, strlen(one), err, sizeof err))
                fail_msg("iteration %d: printed policy does not load: %s\n%s", iter, err, one);
            char *two = print_to_string(&q);
            assert_string_equal(one, two);
            free(one);
            free(two);
            wb_policy_free(&q);
        } else {
            assert_true(strncmp(err, "m.json", 6) == 0);
        }
        wb_policy_free(&p);
    }
    /* the mutations leave some files valid, so both paths ran */
    print_message("mutated files that loaded: %zu of 3000\n", loaded);
    assert_true(loaded > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_is_nothing),
        cmocka_unit_test(test_full_example),
        cmocka_unit_test(test_minimal_example),
        cmocka_unit_test(test_print_round_trip),
        cmocka_unit_test(test_bad_examples),
        cmocka_unit_test(test_json_errors),
        cmocka_unit_test(test_json_accepts),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_allow_symlink_dotdot),
        cmocka_unit_test(test_flags_override_file),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_list_bound),
        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_mutated_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
