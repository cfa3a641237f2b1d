/* Host patterns (allowed_outbound_hosts): parsing, normal form, and matching,
 * including the spoofing cases a guest might try. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../policy/policy.h"

static wb_host_pattern pat(const char *text)
{
    wb_host_pattern p;
    char err[WB_POLICY_ERR_MAX] = "";
    if (!wb_host_pattern_parse(text, &p, err, sizeof err))
        fail_msg("pattern %s: %s", text, err);
    return p;
}

static void expect_format(const char *text, const char *normal)
{
    wb_host_pattern p = pat(text);
    char buf[400];
    wb_host_pattern_format(&p, buf, sizeof buf);
    assert_string_equal(buf, normal);
    /* the normal form parses back to the same pattern */
    wb_host_pattern q = pat(buf);
    assert_memory_equal(&p, &q, sizeof p);
}

static void test_parse_normal_forms(void **state)
{
    (void)state;
    expect_format("https://github.com", "https://github.com");
    expect_format("HTTPS://GitHub.COM.", "https://github.com");
    expect_format("https://*.github.com", "https://*.github.com");
    expect_format("https://github.com:443", "https://github.com:443");
    expect_format("*://localhost:*", "*://localhost:*");
    expect_format("http://*:8080", "http://*:8080");
    expect_format("*://*:*", "*://*:*");
    expect_format("*://*", "*://*");
    expect_format("https://[::1]", "https://[::1]");
    expect_format("http://[0:0::1]:8080", "http://[::1]:8080");
    expect_format("https://127.0.0.1:8443", "https://127.0.0.1:8443");
    expect_format("tcp://db.internal:5432", "tcp://db.internal:5432");
    expect_format("wss://*.example.org", "wss://*.example.org");
    expect_format("https://under_score.example", "https://under_score.example");

    wb_host_pattern p = pat("https://*.GitHub.com");
    assert_true(p.subdomains);
    assert_string_equal(p.host, "github.com");
    assert_string_equal(p.scheme, "https");
    assert_false(p.any_port);
    assert_int_equal(p.port, 0);
    p = pat("*://*:*");
    assert_string_equal(p.scheme, "");
    assert_string_equal(p.host, "");
    assert_true(p.any_port);
}

static void expect_bad(const char *text, const char *message)
{
    wb_host_pattern p;
    char err[WB_POLICY_ERR_MAX] = "";
    assert_false(wb_host_pattern_parse(text, &p, err, sizeof err));
    assert_string_equal(err, message);
}

static void test_parse_errors(void **state)
{
    (void)state;
    expect_bad("github.com", "\"github.com\" is not a valid host pattern (missing scheme: write "
                             "https://HOST, or *://HOST for any)");
    expect_bad("", "\"\" is not a valid host pattern (missing scheme: write https://HOST, or "
                   "*://HOST for any)");
    const char *star = "\"*\" must be the whole host or whole leading labels, as in *.example.com";
    char msg[300];
    const char *stars[] = {"https://api.*.com", "https://*github.com", "https://*.*.github.com",
                           "https://github.*", "https://**.github.com", "https://git*hub.com"};
    for (size_t i = 0; i < sizeof stars / sizeof stars[0]; i++) {
        snprintf(msg, sizeof msg, "\"%s\" is not a valid host pattern (%s)", stars[i], star);
        expect_bad(stars[i], msg);
    }
    const char *nopath = "only scheme://host[:port]; no path, query or user";
    const char *paths[] = {"https://github.com/", "https://github.com/x", "https://u@github.com",
                           "https://github.com?x", "https://github.com#x",
                           "https://git hub.com", "https://github.com\\x"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        snprintf(msg, sizeof msg, "\"%s\" is not a valid host pattern (%s)", paths[i], nopath);
        expect_bad(paths[i], msg);
    }
    expect_bad("https://github.com:0",
               "\"https://github.com:0\" is not a valid host pattern (port must be 1-65535 or *)");
    expect_bad("https://github.com:65536", "\"https://github.com:65536\" is not a valid host "
                                           "pattern (port must be 1-65535 or *)");
    expect_bad("https://github.com:", "\"https://github.com:\" is not a valid host pattern (port "
                                      "must be 1-65535 or *)");
    expect_bad("https://github.com:8o", "\"https://github.com:8o\" is not a valid host pattern "
                                        "(port must be 1-65535 or *)");
    expect_bad("https://github.com:+80", "\"https://github.com:+80\" is not a valid host pattern "
                                         "(port must be 1-65535 or *)");
    expect_bad("https://::1", "\"https://::1\" is not a valid host pattern (IPv6 addresses must "
                              "be written in brackets)");
    expect_bad("https://[::1", "\"https://[::1\" is not a valid host pattern (missing \"]\" after "
                               "IPv6 address)");
    expect_bad("https://[::1]x", "\"https://[::1]x\" is not a valid host pattern (unexpected text "
                                 "after \"]\")");
    expect_bad("https://[127.0.0.1]", "\"https://[127.0.0.1]\" is not a valid host pattern (bad "
                                      "IPv6 address in brackets)");
    expect_bad("https://[fe80::1%eth0]", "\"https://[fe80::1%eth0]\" is not a valid host pattern "
                                         "(bad IPv6 address in brackets)");
    expect_bad("tcp://db.internal", "\"tcp://db.internal\" is not a valid host pattern (this "
                                    "scheme has no default port; add :PORT or :*)");
    expect_bad("https://", "\"https://\" is not a valid host pattern (empty host)");
    expect_bad("https://:443", "\"https://:443\" is not a valid host pattern (empty host)");
    expect_bad("https://*.", "\"https://*.\" is not a valid host pattern (empty host)");
    expect_bad("https://a..b", "\"https://a..b\" is not a valid host pattern (empty label in "
                               "host name)");
    expect_bad("https://github.com..", "\"https://github.com..\" is not a valid host pattern "
                                       "(empty label in host name)");
    expect_bad("https://-bad.com", "\"https://-bad.com\" is not a valid host pattern (a label may "
                                   "not start or end with \"-\")");
    expect_bad("https://*.1.2.3.4", "\"https://*.1.2.3.4\" is not a valid host pattern (\"*.\" "
                                    "needs a domain name, not an address)");
    expect_bad("https://127.1", "\"https://127.1\" is not a valid host pattern (numeric host "
                                "that is not a dotted-quad IPv4 address)");
    expect_bad("https://0x7f.0.0.1", "\"https://0x7f.0.0.1\" is not a valid host pattern "
                                     "(numeric host that is not a dotted-quad IPv4 address)");
    expect_bad("https://2130706433", "\"https://2130706433\" is not a valid host pattern "
                                     "(numeric host that is not a dotted-quad IPv4 address)");
    expect_bad("https://a.0x10", "\"https://a.0x10\" is not a valid host pattern (numeric host "
                                 "that is not a dotted-quad IPv4 address)");
    expect_bad("https://ex%61mple.com", "\"https://ex%61mple.com\" is not a valid host pattern "
                                        "(host names may only contain letters, digits, \"-\", "
                                        "\"_\" and \".\")");
    expect_bad("ht tp://x.com", "\"ht tp://x.com\" is not a valid host pattern (bad scheme)");
    expect_bad("1http://x.com", "\"1http://x.com\" is not a valid host pattern (bad scheme)");
    expect_bad("://x.com", "\"://x.com\" is not a valid host pattern (bad scheme)");
    /* a 64-character label */
    char longlabel[100];
    memset(longlabel, 'a', 64);
    strcpy(longlabel + 64, ".com");
    char text[200];
    snprintf(text, sizeof text, "https://%s", longlabel);
    snprintf(msg, sizeof msg, "\"%s\" is not a valid host pattern (label longer than 63 "
                              "characters)", text);
    expect_bad(text, msg);
    /* NULL text and NULL err are tolerated */
    wb_host_pattern p;
    assert_false(wb_host_pattern_parse(NULL, &p, NULL, 0));
}

#define YES(p, s, h, port) assert_true(wb_host_pattern_match(&(p), s, h, port))
#define NO(p, s, h, port) assert_false(wb_host_pattern_match(&(p), s, h, port))

static void test_match_subdomains(void **state)
{
    (void)state;
    wb_host_pattern p = pat("https://*.github.com");
    YES(p, "https", "api.github.com", 443);
    YES(p, "https", "a.b.github.com", 443);
    YES(p, "https", "API.GitHub.COM", 443);
    YES(p, "HTTPS", "api.github.com", 443);
    YES(p, "https", "api.github.com.", 443);
    YES(p, "https", "1.github.com", 443);
    NO(p, "https", "github.com", 443);
    NO(p, "https", "github.com.", 443);
    NO(p, "https", ".github.com", 443);
    NO(p, "https", "github.com.evil.io", 443);
    NO(p, "https", "api.github.com.evil.io", 443);
    NO(p, "https", "evilgithub.com", 443);
    NO(p, "https", "api.github.co", 443);
    NO(p, "https", "api.github.com..", 443);
    NO(p, "https", "api..github.com", 443);
    NO(p, "https", "evil.io/.github.com", 443);
    NO(p, "https", "evil.io#.github.com", 443);
    NO(p, "https", "evil.io?.github.com", 443);
    NO(p, "https", "evil.io@x.github.com", 443);
    NO(p, "https", "evil.io\\.github.com", 443);
    NO(p, "https", "x.github.com\n", 443);
    NO(p, "https", "x.github.com ", 443);
    NO(p, "https", "api.github.com:443", 443);
    NO(p, "https", "", 443);
    NO(p, "https", "api.github.com", 80);
    NO(p, "https", "api.github.com", 8443);
    NO(p, "http", "api.github.com", 443);
    NO(p, "http", "api.github.com", 80);
    NO(p, "wss", "api.github.com", 443);
    NO(p, NULL, "api.github.com", 443);
    NO(p, "https", NULL, 443);
    assert_false(wb_host_pattern_match(NULL, "https", "api.github.com", 443));
}

static void test_match_exact_host(void **state)
{
    (void)state;
    wb_host_pattern p = pat("https://github.com");
    YES(p, "https", "github.com", 443);
    YES(p, "https", "GITHUB.COM.", 443);
    NO(p, "https", "api.github.com", 443);
    NO(p, "https", "github.com.evil.io", 443);
    NO(p, "https", "agithub.com", 443);
    NO(p, "https", "github.com", 8443);
    NO(p, "http", "github.com", 80);

    p = pat("http://example.com:8080");
    YES(p, "http", "example.com", 8080);
    NO(p, "http", "example.com", 80);
    NO(p, "https", "example.com", 8080);
}

static void test_match_any_scheme_port_host(void **state)
{
    (void)state;
    wb_host_pattern p = pat("*://localhost:*");
    YES(p, "http", "localhost", 8080);
    YES(p, "https", "LOCALHOST", 1);
    YES(p, "tcp", "localhost", 65535);
    NO(p, "http", "localhost.evil.io", 80);
    NO(p, "http", "127.0.0.1", 80);
    NO(p, "http", "[::1]", 80);

    /* no port: the default port of whichever scheme is asked for */
    p = pat("*://*");
    YES(p, "http", "anything.example", 80);
    YES(p, "https", "anything.example", 443);
    YES(p, "ws", "x.example", 80);
    YES(p, "wss", "x.example", 443);
    NO(p, "http", "x.example", 443);
    NO(p, "https", "x.example", 80);
    NO(p, "tcp", "x.example", 5432); /* no default port: never matches */
    NO(p, "http", "bad host", 80);   /* still only well-formed hosts */
    NO(p, "http", "", 80);

    p = pat("http://*:8080");
    YES(p, "http", "a.example", 8080);
    YES(p, "http", "[::1]", 8080);
    YES(p, "http", "10.0.0.1", 8080);
    NO(p, "https", "a.example", 8080);
    NO(p, "http", "a.example", 80);

    /* any host includes addresses: those are for block_networks to refuse */
    p = pat("*://*:*");
    YES(p, "http", "[::]", 80);
    YES(p, "http", "0.0.0.0", 1);
    YES(p, "http", "169.254.169.254", 80);
    NO(p, "http", "[::1", 80);
    NO(p, "http", "[127.0.0.1]", 80);
}

static void test_match_addresses(void **state)
{
    (void)state;
    wb_host_pattern p = pat("https://[::1]");
    YES(p, "https", "::1", 443);
    YES(p, "https", "[::1]", 443);
    YES(p, "https", "[0:0::1]", 443);
    YES(p, "https", "0:0:0:0:0:0:0:1", 443);
    NO(p, "https", "::2", 443);
    NO(p, "https", "[::ffff:127.0.0.1]", 443);
    NO(p, "https", "127.0.0.1", 443);
    NO(p, "https", "localhost", 443);
    NO(p, "https", "[::1]", 80);

    p = pat("http://127.0.0.1:8080");
    YES(p, "http", "127.0.0.1", 8080);
    NO(p, "http", "127.1", 8080);
    NO(p, "http", "0x7f.0.0.1", 8080);
    NO(p, "http", "127.0.0.01", 8080);
    NO(p, "http", "2130706433", 8080);
    NO(p, "http", "[::ffff:127.0.0.1]", 8080);
    NO(p, "http", "127.0.0.1.", 8080);
    NO(p, "http", "127.0.0.2", 8080);

    /* a name pattern never matches an address, and the other way round */
    p = pat("https://*.example.com");
    NO(p, "https", "1.2.3.4", 443);
}

static void test_default_ports(void **state)
{
    (void)state;
    assert_int_equal(wb_scheme_default_port("http"), 80);
    assert_int_equal(wb_scheme_default_port("HTTPS"), 443);
    assert_int_equal(wb_scheme_default_port("ws"), 80);
    assert_int_equal(wb_scheme_default_port("wss"), 443);
    assert_int_equal(wb_scheme_default_port("tcp"), 0);
    assert_int_equal(wb_scheme_default_port(NULL), 0);
}

static void test_policy_host_allowed(void **state)
{
    (void)state;
    wb_policy p;
    wb_policy_init(&p);
    char err[WB_POLICY_ERR_MAX];
    /* the empty policy allows no host at all */
    assert_false(wb_policy_host_allowed(&p, "https", "github.com", 443));
    assert_true(wb_policy_apply_flag(&p, "--allow-host", "https://*.github.com", err, sizeof err));
    assert_true(wb_policy_apply_flag(&p, "--allow-host", "http://localhost:8080", err, sizeof err));
    /* the same pattern twice is kept once */
    assert_true(wb_policy_apply_flag(&p, "--allow-host", "HTTPS://*.GitHub.com.", err, sizeof err));
    assert_int_equal(p.nallowed_outbound_hosts, 2);
    assert_true(wb_policy_host_allowed(&p, "https", "api.github.com", 443));
    assert_true(wb_policy_host_allowed(&p, "http", "localhost", 8080));
    assert_false(wb_policy_host_allowed(&p, "https", "github.com", 443));
    assert_false(wb_policy_host_allowed(&p, "http", "localhost", 8081));
    assert_false(wb_policy_host_allowed(NULL, "http", "localhost", 8080));
    assert_false(wb_policy_apply_flag(&p, "--allow-host", "github.com", err, sizeof err));
    assert_string_equal(err, "--allow-host: \"github.com\" is not a valid host pattern (missing "
                             "scheme: write https://HOST, or *://HOST for any)");
    wb_policy_free(&p);
}

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

/* Random texts from the characters that matter: whatever parses has a normal
 * form that parses back to the same pattern, and matching random hosts
 * against it is safe. */
static void test_random_patterns(void **state)
{
    (void)state;
    static const char alphabet[] = "*:/[].-_aAzZ019fF%@ \\x";
    static const char *const prefixes[] = {"https://", "*://", "http://", "tcp://", ""};
    uint32_t seed = 7;
    size_t parsed = 0;
    for (int iter = 0; iter < 20000; iter++) {
        char text[64];
        size_t n = (size_t)snprintf(text, sizeof text, "%s", prefixes[lcg(&seed) % 5]);
        size_t extra = lcg(&seed) % 20;
        for (size_t i = 0; i < extra && n + 1 < sizeof text; i++)
            text[n++] = alphabet[lcg(&seed) % (sizeof alphabet - 1)];
        text[n] = '\0';
        wb_host_pattern p;
        char err[WB_POLICY_ERR_MAX] = "";
        if (!wb_host_pattern_parse(text, &p, err, sizeof err)) {
            assert_true(err[0] == '"');
            continue;
        }
        parsed++;
        char buf[400];
        wb_host_pattern_format(&p, buf, sizeof buf);
        wb_host_pattern q = pat(buf);
        assert_memory_equal(&p, &q, sizeof p);
        /* a concrete host in the pattern's own terms matches it */
        if (p.host[0] && !p.subdomains) {
            char host[300];
            snprintf(host, sizeof host, p.host_is_ip && p.ip.family == 6 ? "[%s]" : "%s", p.host);
            const char *scheme = p.scheme[0] ? p.scheme : "https";
            uint16_t port = p.any_port ? 1234 : p.port ? p.port : wb_scheme_default_port(scheme);
            assert_true(wb_host_pattern_match(&p, scheme, host, port));
        }
        (void)wb_host_pattern_match(&p, "https", text, 443);
    }
    assert_true(parsed > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_normal_forms),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_match_subdomains),
        cmocka_unit_test(test_match_exact_host),
        cmocka_unit_test(test_match_any_scheme_port_host),
        cmocka_unit_test(test_match_addresses),
        cmocka_unit_test(test_default_ports),
        cmocka_unit_test(test_policy_host_allowed),
        cmocka_unit_test(test_random_patterns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
