/* block_urls: prefix validity and normalized prefix matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../policy/policy.h"

static void expect_invalid(const char *text, const char *message)
{
    char err[WB_POLICY_ERR_MAX] = "";
    assert_false(wb_url_prefix_valid(text, err, sizeof err));
    assert_string_equal(err, message);
}

static void test_prefix_validity(void **state)
{
    (void)state;
    char err[WB_POLICY_ERR_MAX];
    assert_true(wb_url_prefix_valid("https://api.github.com/repos/acme/secret/", err, sizeof err));
    assert_true(wb_url_prefix_valid("http://[::1]:8080/admin", err, sizeof err));
    assert_true(wb_url_prefix_valid("https://evil.example", err, sizeof err));
    assert_true(wb_url_prefix_valid("wss://x.example/socket?token=", err, sizeof err));
    expect_invalid("ftp://x.example/", "\"ftp://x.example/\" is not a valid URL prefix (scheme "
                                       "must be http, https, ws or wss)");
    expect_invalid("api.github.com/x", "\"api.github.com/x\" is not a valid URL prefix (not an "
                                       "absolute URL)");
    expect_invalid("https://user@x.example/", "\"https://user@x.example/\" is not a valid URL "
                                              "prefix (a prefix may not contain user info "
                                              "(\"user@\"))");
    expect_invalid("https://x.example:99999/", "\"https://x.example:99999/\" is not a valid URL "
                                               "prefix (bad port)");
    expect_invalid("https://x.example:0/", "\"https://x.example:0/\" is not a valid URL prefix "
                                           "(bad port)");
    expect_invalid("https:///x", "\"https:///x\" is not a valid URL prefix (bad host)");
    expect_invalid("https://*.example/", "\"https://*.example/\" is not a valid URL prefix (bad "
                                         "host)");
    expect_invalid("https://[::1/", "\"https://[::1/\" is not a valid URL prefix (missing \"]\")");
    expect_invalid("", "\"\" is not a valid URL prefix (not an absolute URL)");
}

#define BLOCKS(prefix, url) assert_true(wb_url_prefix_match(prefix, url))
#define PASSES(prefix, url) assert_false(wb_url_prefix_match(prefix, url))

static void test_prefix_match(void **state)
{
    (void)state;
    const char *p = "https://api.github.com/repos/acme/secret/";
    BLOCKS(p, "https://api.github.com/repos/acme/secret/");
    BLOCKS(p, "https://api.github.com/repos/acme/secret/issues");
    BLOCKS(p, "HTTPS://API.GITHUB.COM:443/repos/acme/secret/x");
    BLOCKS(p, "https://api.github.com./repos/acme/secret/x");
    BLOCKS(p, "https://api.github.com/repos/acme/public/../secret/x");
    BLOCKS(p, "https://api.github.com/repos/acme/%73ecret/x");
    BLOCKS(p, "https://api.github.com/repos/acme/%2e%2e/acme/secret/x");
    BLOCKS(p, "https://api.github.com/repos/acme%2Fsecret/x");
    BLOCKS(p, "https://api.github.com/repos//acme/./secret/x");
    BLOCKS(p, "https://api.github.com\\repos\\acme\\secret\\x");
    BLOCKS(p, "https://user:pw@api.github.com/repos/acme/secret/x");
    BLOCKS(p, "wss://api.github.com/repos/acme/secret/x");
    BLOCKS(p, "https://api.github.com/repos/acme/secret/#frag");
    BLOCKS(p, "https://[::1/repos/acme/secret/"); /* unparsable: fail closed */
    BLOCKS(p, "not a url");
    BLOCKS(p, NULL);
    PASSES(p, "https://api.github.com/repos/acme/secretx");
    PASSES(p, "https://api.github.com/repos/acme/secret");
    PASSES(p, "https://api.github.com/repos/acme/");
    PASSES(p, "https://api.github.com/repos/acme/SECRET/x");
    PASSES(p, "http://api.github.com/repos/acme/secret/x");
    PASSES(p, "https://api.github.com:8443/repos/acme/secret/x");
    PASSES(p, "https://github.com/repos/acme/secret/x");
    PASSES(p, "https://api.github.com.evil.io/repos/acme/secret/x");
    PASSES(p, "https://api.github.com/x?u=/repos/acme/secret/");

    /* no path: the whole host */
    p = "https://evil.example";
    BLOCKS(p, "https://evil.example");
    BLOCKS(p, "https://evil.example/");
    BLOCKS(p, "https://EVIL.example/anything?x=1");
    PASSES(p, "https://good.example/");
    PASSES(p, "http://evil.example/");

    /* queries compare literally after the path */
    p = "https://x.example/search?q=secret";
    BLOCKS(p, "https://x.example/search?q=secret&page=2");
    BLOCKS(p, "https://x.example/./search?q=secret");
    BLOCKS(p, "https://x.example/search?q=%73ecret");
    BLOCKS(p, "https://x.example/search%3Fq=secret"); /* decoding more blocks more */
    PASSES(p, "https://x.example/search?q=..%2Fsecret");
    PASSES(p, "https://x.example/search?q=public");
    PASSES(p, "https://x.example/search");

    /* IPv6 literal hosts in normal form */
    p = "http://[::1]:8080/admin";
    BLOCKS(p, "http://[0:0::1]:8080/admin/x");
    PASSES(p, "http://[::1]/admin");
    PASSES(p, "http://[::2]:8080/admin");
}

static void test_policy_url_blocked(void **state)
{
    (void)state;
    wb_policy p;
    wb_policy_init(&p);
    char err[WB_POLICY_ERR_MAX], why[300];
    assert_false(wb_policy_url_blocked(&p, "https://x.example/", why, sizeof why));
    assert_true(wb_policy_apply_flag(&p, "--block-url", "https://x.example/private/", err,
                                     sizeof err));
    assert_true(wb_policy_apply_flag(&p, "--block-url", "https://x.example/private/", err,
                                     sizeof err));
    assert_int_equal(p.nblock_urls, 1);
    assert_true(wb_policy_url_blocked(&p, "https://X.example/private/key", why, sizeof why));
    assert_string_equal(why, "URL is blocked by prefix https://x.example/private/");
    assert_false(wb_policy_url_blocked(&p, "https://x.example/public/", why, sizeof why));
    assert_false(wb_policy_apply_flag(&p, "--block-url", "x.example/private", err, sizeof err));
    assert_string_equal(err, "--block-url: \"x.example/private\" is not a valid URL prefix (not an "
                             "absolute URL)");
    wb_policy_free(&p);
}

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

/* Random paths full of dots, escapes and separators: a valid prefix always
 * matches itself, and nothing crashes (sanitizer build). */
static void test_random_urls(void **state)
{
    (void)state;
    static const char alphabet[] = "/./%2e%2E%2f..\\?#@:[]aZ09";
    static const char *const bases[] = {"https://x.example", "http://[::1]:8080", "wss://a.b",
                                        "https://", "ftp://x"};
    uint32_t seed = 99;
    size_t valid = 0;
    for (int iter = 0; iter < 20000; iter++) {
        char url[128];
        size_t n = (size_t)snprintf(url, sizeof url, "%s", bases[lcg(&seed) % 5]);
        size_t extra = lcg(&seed) % 40;
        for (size_t i = 0; i < extra && n + 1 < sizeof url; i++)
            url[n++] = alphabet[lcg(&seed) % (sizeof alphabet - 1)];
        url[n] = '\0';
        if (wb_url_prefix_valid(url, NULL, 0)) {
            valid++;
            assert_true(wb_url_prefix_match(url, url));
        }
        (void)wb_url_prefix_match("https://x.example/a/", url);
    }
    assert_true(valid > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prefix_validity),
        cmocka_unit_test(test_prefix_match),
        cmocka_unit_test(test_policy_url_blocked),
        cmocka_unit_test(test_random_urls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
