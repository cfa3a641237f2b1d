/* Tests of net/'s policy decision (decide.c, resolve.c) and redirect target
 * resolution. Nothing here connects or uses DNS: names are pinned with
 * resolve entries, and the lookup hook fails the test if it is ever called
 * unexpectedly (or returns canned addresses where a test says so). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../net/net.h"
#include "../../net/net_internal.h"

/* ---- helpers ---- */

static int no_dns(void *ctx, const char *host, uint16_t port, wb_ip *out, size_t max, size_t *n,
                  char *err, size_t errlen)
{
    (void)ctx, (void)port, (void)out, (void)max, (void)n, (void)err, (void)errlen;
    fail_msg("DNS lookup of %s attempted", host);
    return -1;
}

/* Canned lookup: ctx is a NULL-terminated list of address texts. */
static int canned_dns(void *ctx, const char *host, uint16_t port, wb_ip *out, size_t max,
                      size_t *n, char *err, size_t errlen)
{
    (void)host, (void)port;
    const char *const *list = ctx;
    *n = 0;
    if (!list[0]) {
        snprintf(err, errlen, "cannot resolve %s: Name or service not known", host);
        return -1;
    }
    for (; *list && *n < max; list++)
        assert_true(wb_ip_parse(*list, &out[(*n)++]));
    return 0;
}

typedef struct fixture {
    wb_policy p;
    wb_net_decision d;
} fixture;

static fixture *fx_new(const char *const *flags)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    wb_policy_init(&f->p);
    char err[WB_POLICY_ERR_MAX];
    for (size_t i = 0; flags && flags[i]; i += 2) {
        if (!wb_policy_apply_flag(&f->p, flags[i], flags[i + 1], err, sizeof err))
            fail_msg("%s %s: %s", flags[i], flags[i + 1], err);
    }
    return f;
}

static void fx_free(fixture *f)
{
    wb_policy_free(&f->p);
    free(f);
}

static bool run(fixture *f, const char *url, wb_net_lookup_fn lookup, void *ctx)
{
    wb_url u;
    char err[256];
    if (wb_url_parse(url, strlen(url), &u, err, sizeof err) != 0)
        fail_msg("%s: %s", url, err);
    bool ok = wb_net_decide(&f->p, NULL, &u, lookup ? lookup : no_dns, ctx, &f->d);
    wb_url_free(&u);
    assert_int_equal(ok, f->d.allowed);
    return ok;
}

/* Decide url under flags and expect exactly this refusal message. */
static void expect_refused(const char *const *flags, const char *url, const char *message)
{
    fixture *f = fx_new(flags);
    if (run(f, url, NULL, NULL))
        fail_msg("%s was allowed", url);
    assert_string_equal(f->d.message, message);
    assert_int_equal(f->d.kind, WB_NET_E_POLICY);
    fx_free(f);
}

static void expect_allowed(const char *const *flags, const char *url, const char *addrs)
{
    fixture *f = fx_new(flags);
    if (!run(f, url, NULL, NULL))
        fail_msg("%s refused: %s", url, f->d.message);
    char got[1024] = "";
    for (size_t i = 0; i < f->d.naddrs; i++) {
        char t[64];
        wb_ip_format(&f->d.addrs[i], t, sizeof t);
        strcat(got, i ? " " : "");
        strcat(got, t);
    }
    assert_string_equal(got, addrs);
    assert_string_equal(f->d.message, "");
    fx_free(f);
}

#define ANY_HTTP "--allow-host", "http://*:*"
#define R "wasmbox: refused outbound connection to "

/* ---- allowed_outbound_hosts ---- */

static void test_not_allowed(void **state)
{
    (void)state;
    const char *const fl[] = {"--allow-host", "https://api.github.com", NULL};
    expect_refused(fl, "http://internal-server:8080/x",
                   R "http://internal-server:8080: not in allowed_outbound_hosts "
                     "(add 'http://internal-server:8080' to allowed_outbound_hosts, or pass --allow-host http://internal-server:8080)");
    /* the scheme is part of the match */
    expect_refused(fl, "http://api.github.com/",
                   R "http://api.github.com: not in allowed_outbound_hosts "
                     "(add 'http://api.github.com' to allowed_outbound_hosts, or pass --allow-host http://api.github.com)");
    /* and so is the port */
    expect_refused(fl, "https://api.github.com:8443/",
                   R "https://api.github.com:8443: not in allowed_outbound_hosts "
                     "(add 'https://api.github.com:8443' to allowed_outbound_hosts, or pass "
                     "--allow-host https://api.github.com:8443); the pattern "
                     "'https://api.github.com' has no port, which means the scheme's default "
                     "port (443) only: write 'https://api.github.com:8443' or "
                     "'https://api.github.com:*'");
}

static void test_empty_allow_list_denies_all(void **state)
{
    (void)state;
    expect_refused(NULL, "https://example.com/",
                   R "https://example.com: not in allowed_outbound_hosts, which is empty "
                     "(add 'https://example.com' to allowed_outbound_hosts, or pass --allow-host https://example.com)");
    expect_refused(NULL, "http://127.0.0.1/",
                   R "http://127.0.0.1: not in allowed_outbound_hosts, which is empty "
                     "(add 'http://127.0.0.1' to allowed_outbound_hosts, or pass --allow-host http://127.0.0.1)");
}

static void test_not_allowed_normalised_forms(void **state)
{
    (void)state;
    /* The allow list sees the normalised host: case, trailing dot and
     * numeric spellings all collapse before matching. */
    const char *const fl[] = {"--allow-host", "http://10.0.0.5", NULL};
    expect_refused(fl, "http://0xa000006/",
                   R "http://10.0.0.6: not in allowed_outbound_hosts "
                     "(add 'http://10.0.0.6' to allowed_outbound_hosts, or pass --allow-host http://10.0.0.6)");
    const char *const fl2[] = {"--allow-host", "http://example.com",
                               "--resolve", "example.com:80:93.184.216.34", NULL};
    expect_allowed(fl2, "http://EXAMPLE.com./", "93.184.216.34");
}

/* ---- block_urls ---- */

static void test_block_urls(void **state)
{
    (void)state;
    const char *const fl[] = {"--allow-host", "https://api.github.com",
                              "--block-url", "https://api.github.com/repos/acme/secret/",
                              "--resolve", "api.github.com:443:140.82.112.6", NULL};
    expect_refused(fl, "https://api.github.com/repos/acme/secret/issues",
                   R "https://api.github.com/repos/acme/secret/issues: matches block_urls entry "
                     "'https://api.github.com/repos/acme/secret/' (remove it to allow this URL)");
    /* dot segments and escapes are resolved before the prefix match */
    expect_refused(fl, "https://API.github.com/repos/acme/public/../%73ecret/x",
                   R "https://api.github.com/repos/acme/secret/x: matches block_urls entry "
                     "'https://api.github.com/repos/acme/secret/' (remove it to allow this URL)");
    expect_allowed(fl, "https://api.github.com/repos/acme/public/", "140.82.112.6");
}

/* ---- block_networks ---- */

static void test_private_loopback_linklocal_metadata(void **state)
{
    (void)state;
    const char *const fl[] = {ANY_HTTP, "--block-network", "private", "--block-network",
                              "loopback", "--block-network", "link-local", NULL};
    expect_refused(fl, "http://10.0.0.5/",
                   R "http://10.0.0.5: 10.0.0.5 is in block_networks entry 'private' (10.0.0.0/8)");
    expect_refused(fl, "http://172.16.3.4/",
                   R "http://172.16.3.4: 172.16.3.4 is in block_networks entry 'private' "
                     "(172.16.0.0/12)");
    expect_refused(fl, "http://192.168.1.1:8080/",
                   R "http://192.168.1.1:8080: 192.168.1.1 is in block_networks entry 'private' "
                     "(192.168.0.0/16)");
    expect_refused(fl, "http://[fd12::1]/",
                   R "http://[fd12::1]: fd12::1 is in block_networks entry 'private' (fc00::/7)");
    expect_refused(fl, "http://127.0.0.1/",
                   R "http://127.0.0.1: 127.0.0.1 is in block_networks entry 'loopback' "
                     "(127.0.0.0/8)");
    expect_refused(fl, "http://[::1]:8080/",
                   R "http://[::1]:8080: ::1 is in block_networks entry 'loopback' (::1/128)");
    expect_refused(fl, "http://169.254.1.1/",
                   R "http://169.254.1.1: 169.254.1.1 is in block_networks entry 'link-local' "
                     "(169.254.0.0/16)");
    expect_refused(fl, "http://[fe80::1]/",
                   R "http://[fe80::1]: fe80::1 is in block_networks entry 'link-local' "
                     "(fe80::/10)");
    const char *const meta[] = {ANY_HTTP, "--block-network", "metadata", NULL};
    expect_refused(meta, "http://169.254.169.254/latest/meta-data/",
                   R "http://169.254.169.254: 169.254.169.254 is in block_networks entry "
                     "'metadata' (169.254.169.254/32)");
    expect_refused(meta, "http://[fd00:ec2::254]/",
                   R "http://[fd00:ec2::254]: fd00:ec2::254 is in block_networks entry "
                     "'metadata' (fd00:ec2::254/128)");
    /* a CIDR entry is named as written (normalised) */
    const char *const cidr[] = {ANY_HTTP, "--block-network", "203.0.113.0/24", NULL};
    expect_refused(cidr, "http://203.0.113.9/",
                   R "http://203.0.113.9: 203.0.113.9 is in block_networks entry '203.0.113.0/24'");
    /* public addresses pass */
    expect_allowed(fl, "http://93.184.216.34/", "93.184.216.34");
    expect_allowed(fl, "http://[2606:2800:220:1::]/", "2606:2800:220:1::");
}

static void test_internal_covers_everything_private(void **state)
{
    (void)state;
    const char *const fl[] = {ANY_HTTP, "--block-network", "internal", NULL};
    expect_refused(fl, "http://100.64.0.1/",
                   R "http://100.64.0.1: 100.64.0.1 is in block_networks entry 'internal' "
                     "(100.64.0.0/10)");
    expect_refused(fl, "http://169.254.169.254/",
                   R "http://169.254.169.254: 169.254.169.254 is in block_networks entry "
                     "'internal' (169.254.0.0/16)");
    expect_allowed(fl, "http://8.8.8.8/", "8.8.8.8");
}

static void test_ipv6_carrying_ipv4(void **state)
{
    (void)state;
    const char *const fl[] = {ANY_HTTP, "--block-network", "private", "--block-network",
                              "metadata", NULL};
    /* IPv4-mapped: judged as the IPv4 address it is */
    expect_refused(fl, "http://[::ffff:10.0.0.5]/",
                   R "http://[::ffff:10.0.0.5]: ::ffff:10.0.0.5 (IPv4 10.0.0.5) is in "
                     "block_networks entry 'private' (10.0.0.0/8)");
    expect_refused(fl, "http://[::ffff:a9fe:a9fe]/",
                   R "http://[::ffff:169.254.169.254]: ::ffff:169.254.169.254 (IPv4 "
                     "169.254.169.254) is in block_networks entry 'metadata' "
                     "(169.254.169.254/32)");
    /* IPv4-compatible (deprecated) ::a.b.c.d */
    expect_refused(fl, "http://[::10.0.0.5]/",
                   R "http://[::a00:5]: ::a00:5 (IPv4 10.0.0.5) is in block_networks entry "
                     "'private' (10.0.0.0/8)");
    /* 6to4 and NAT64 carry an IPv4 destination too */
    expect_refused(fl, "http://[2002:a00:5::1]/",
                   R "http://[2002:a00:5::1]: 2002:a00:5::1 (IPv4 10.0.0.5) is in "
                     "block_networks entry 'private' (10.0.0.0/8)");
    expect_refused(fl, "http://[64:ff9b::a00:5]/",
                   R "http://[64:ff9b::a00:5]: 64:ff9b::a00:5 (IPv4 10.0.0.5) is in "
                     "block_networks entry 'private' (10.0.0.0/8)");
    expect_allowed(fl, "http://[::ffff:8.8.8.8]/", "::ffff:8.8.8.8");
}

static void test_numeric_ipv4_forms(void **state)
{
    (void)state;
    const char *const fl[] = {ANY_HTTP, "--block-network", "private", "--block-network",
                              "loopback", NULL};
    const char *const msg10 =
        R "http://10.0.0.5: 10.0.0.5 is in block_networks entry 'private' (10.0.0.0/8)";
    expect_refused(fl, "http://167772165/", msg10);  /* decimal */
    expect_refused(fl, "http://012.0.0.5/", msg10);  /* octal first part */
    expect_refused(fl, "http://0xa.0.0.5/", msg10);  /* hex first part */
    expect_refused(fl, "http://0x0a000005/", msg10); /* hex whole */
    expect_refused(fl, "http://10.5/", R "http://10.0.0.5: 10.0.0.5 is in block_networks entry "
                                         "'private' (10.0.0.0/8)"); /* a.b = a.0.0.b */
    expect_refused(fl, "http://0x7f.1/",
                   R "http://127.0.0.1: 127.0.0.1 is in block_networks entry 'loopback' "
                     "(127.0.0.0/8)");
    expect_refused(fl, "http://017700000001/",
                   R "http://127.0.0.1: 127.0.0.1 is in block_networks entry 'loopback' "
                     "(127.0.0.0/8)");
    expect_refused(fl, "http://%31%30.0.0.5/", msg10); /* percent-encoded digits */
}

static void test_never_unicast(void **state)
{
    (void)state;
    /* refused with no block_networks at all: these never name one host */
    const char *const fl[] = {ANY_HTTP, NULL};
    expect_refused(fl, "http://0.0.0.0/",
                   R "http://0.0.0.0: 0.0.0.0 is not a unicast address (never allowed)");
    expect_refused(fl, "http://0/",
                   R "http://0.0.0.0: 0.0.0.0 is not a unicast address (never allowed)");
    expect_refused(fl, "http://[::]/", R "http://[::]: :: is not a unicast address (never allowed)");
    expect_refused(fl, "http://[::ffff:0.0.0.0]/",
                   R "http://[::ffff:0.0.0.0]: ::ffff:0.0.0.0 is not a unicast address (never "
                     "allowed)");
    expect_refused(fl, "http://224.0.0.1/",
                   R "http://224.0.0.1: 224.0.0.1 is not a unicast address (never allowed)");
    expect_refused(fl, "http://255.255.255.255/",
                   R "http://255.255.255.255: 255.255.255.255 is not a unicast address (never "
                     "allowed)");
    expect_refused(fl, "http://[ff02::1]/",
                   R "http://[ff02::1]: ff02::1 is not a unicast address (never allowed)");
    /* but loopback is only refused when the policy says so */
    expect_allowed(fl, "http://127.0.0.1/", "127.0.0.1");
    expect_allowed(fl, "http://[::1]/", "::1");
}

/* ---- resolution ---- */

static void test_resolve_entry_pins_name(void **state)
{
    (void)state;
    const char *const fl[] = {"--allow-host", "http://internal-server:8080",
                              "--block-network", "private",
                              "--resolve", "internal-server:8080:10.0.0.5", NULL};
    expect_refused(fl, "http://internal-server:8080/",
                   R "http://internal-server:8080: resolves to 10.0.0.5 (resolve entry "
                     "'internal-server:8080'), which is in block_networks entry 'private' "
                     "(10.0.0.0/8)");
    /* the entry is for one port: another port would need DNS (refused here
     * by the allow list first, so no lookup happens) */
    expect_refused(fl, "http://internal-server:9090/",
                   R "http://internal-server:9090: not in allowed_outbound_hosts "
                     "(add 'http://internal-server:9090' to allowed_outbound_hosts, or pass --allow-host http://internal-server:9090)");
}

static void test_every_address_checked(void **state)
{
    (void)state;
    /* One public and one metadata address: the host is refused, not just the
     * bad address skipped (a rebinding name would otherwise pick its moment). */
    const char *const fl[] = {"--allow-host", "https://dual.example", "--block-network",
                              "metadata", "--resolve",
                              "dual.example:443:93.184.216.34,169.254.169.254", NULL};
    expect_refused(fl, "https://dual.example/",
                   R "https://dual.example: resolves to 169.254.169.254 (resolve entry "
                     "'dual.example:443'), which is in block_networks entry 'metadata' "
                     "(169.254.169.254/32)");
    const char *const ok[] = {"--allow-host", "https://dual.example", "--block-network",
                              "internal", "--resolve",
                              "dual.example:443:93.184.216.34,[2606:2800:220:1::],93.184.216.34",
                              NULL};
    expect_allowed(ok, "https://dual.example/", "93.184.216.34 2606:2800:220:1::");
    const char *const mapped[] = {"--allow-host", "http://m.example", "--block-network",
                                  "loopback", "--resolve", "m.example:80:[::ffff:127.0.0.1]",
                                  NULL};
    expect_refused(mapped, "http://m.example/",
                   R "http://m.example: resolves to ::ffff:127.0.0.1 (IPv4 127.0.0.1) (resolve "
                     "entry 'm.example:80'), which is in block_networks entry 'loopback' "
                     "(127.0.0.0/8)");
}

static void test_dns_results_checked(void **state)
{
    (void)state;
    const char *const fl[] = {"--allow-host", "https://rebind.example", "--block-network",
                              "internal", NULL};
    fixture *f = fx_new(fl);
    const char *const addrs[] = {"8.8.8.8", "::ffff:10.1.2.3", NULL};
    assert_false(run(f, "https://rebind.example/", canned_dns, (void *)addrs));
    assert_string_equal(f->d.message,
                        R "https://rebind.example: resolves to ::ffff:10.1.2.3 (IPv4 10.1.2.3), "
                          "which is in block_networks entry 'internal' (10.0.0.0/8)");
    assert_string_equal(f->d.source, "dns");
    const char *const good[] = {"8.8.8.8", "8.8.4.4", NULL};
    assert_true(run(f, "https://rebind.example/", canned_dns, (void *)good));
    assert_int_equal(f->d.naddrs, 2);
    const char *const none[] = {NULL};
    assert_false(run(f, "https://rebind.example/", canned_dns, (void *)none));
    assert_int_equal(f->d.kind, WB_NET_E_DNS);
    assert_string_equal(f->d.message, "wasmbox: cannot connect to https://rebind.example: "
                                      "cannot resolve rebind.example: Name or service not known");
    fx_free(f);
}

static void test_literal_needs_no_lookup(void **state)
{
    (void)state;
    const char *const fl[] = {ANY_HTTP, NULL};
    fixture *f = fx_new(fl);
    assert_true(run(f, "http://93.184.216.34:8080/", NULL, NULL));
    assert_string_equal(f->d.source, "literal");
    assert_string_equal(f->d.origin, "http://93.184.216.34:8080");
    assert_string_equal(f->d.url, "http://93.184.216.34:8080/");
    fx_free(f);
}

/* ---- audit ---- */

static void test_audit_records(void **state)
{
    (void)state;
    char path[] = "/tmp/wb_net_audit_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char err[256];
    wb_audit *a = wb_audit_open(path, err, sizeof err);
    assert_non_null(a);
    const char *const fl[] = {"--allow-host", "http://ok.example", "--resolve",
                              "ok.example:80:93.184.216.34", NULL};
    fixture *f = fx_new(fl);
    wb_url u;
    assert_int_equal(wb_url_parse("http://ok.example/a", 19, &u, err, sizeof err), 0);
    assert_true(wb_net_decide(&f->p, a, &u, no_dns, NULL, &f->d));
    wb_url_free(&u);
    assert_int_equal(wb_url_parse("http://no.example/b", 19, &u, err, sizeof err), 0);
    assert_false(wb_net_decide(&f->p, a, &u, no_dns, NULL, &f->d));
    wb_url_free(&u);
    wb_audit_close(a);
    FILE *in = fopen(path, "r");
    assert_non_null(in);
    char l1[2048] = "", l2[2048] = "";
    assert_non_null(fgets(l1, sizeof l1, in));
    assert_non_null(fgets(l2, sizeof l2, in));
    fclose(in);
    unlink(path);
    assert_non_null(strstr(l1, "\"event\":\"net.connect\",\"decision\":\"allow\","
                               "\"url\":\"http://ok.example/a\",\"origin\":\"http://ok.example\","
                               "\"addresses\":[\"93.184.216.34\"],\"source\":\"resolve\","
                               "\"kind\":null,\"reason\":null}"));
    assert_non_null(strstr(l2, "\"decision\":\"refuse\",\"url\":\"http://no.example/b\","
                               "\"origin\":\"http://no.example\",\"addresses\":[],"
                               "\"source\":null,\"kind\":\"policy\",\"reason\":\""));
    assert_non_null(strstr(l2, "not in allowed_outbound_hosts"));
    fx_free(f);
}

/* ---- dry run entry point ---- */

static void test_check_bad_url(void **state)
{
    (void)state;
    wb_policy p;
    wb_policy_init(&p);
    wb_net_options o;
    wb_net_options_init(&o, &p);
    o.lookup = no_dns;
    wb_net_decision *d = malloc(sizeof *d);
    assert_non_null(d);
    assert_false(wb_net_check(&o, "http://user@evil.example/", d));
    assert_int_equal(d->kind, WB_NET_E_URL);
    assert_non_null(strstr(d->message, "is not a usable URL"));
    assert_false(wb_net_check(&o, "ftp://example.com/", d));
    assert_int_equal(d->kind, WB_NET_E_URL);
    free(d);
    wb_policy_free(&p);
}

/* ---- redirect targets ---- */

static void expect_target(const char *base, const char *loc, const char *want)
{
    wb_url u;
    char err[256];
    assert_int_equal(wb_url_parse(base, strlen(base), &u, err, sizeof err), 0);
    char *got = wb_net_redirect_target(&u, loc, strlen(loc), err, sizeof err);
    wb_url_free(&u);
    if (!got)
        fail_msg("%s + %s: %s", base, loc, err);
    assert_string_equal(got, want);
    free(got);
}

static void test_redirect_targets(void **state)
{
    (void)state;
    expect_target("http://a.example/x/y?q", "https://b.example/z", "https://b.example/z");
    expect_target("https://a.example/x/y", "//c.example/p", "https://c.example/p");
    expect_target("http://a.example:8080/x/y", "/abs?k=v", "http://a.example:8080/abs?k=v");
    expect_target("http://a.example/x/y?q", "rel", "http://a.example/x/rel");
    expect_target("http://a.example/x/y?q", "../up", "http://a.example/x/../up");
    expect_target("http://a.example/x/y?q", "?other", "http://a.example/x/y?other");
    expect_target("http://[::1]:81/x", "/p", "http://[::1]:81/p");
    expect_target("http://a.example/x", "", "http://a.example/x");
    /* Schemes other than http(s) come back as is; the URL parser refuses them. */
    expect_target("http://a.example/", "file:///etc/passwd", "file:///etc/passwd");
    wb_url u;
    char err[256];
    assert_int_equal(wb_url_parse("http://a/", 9, &u, err, sizeof err), 0);
    char *big = malloc(WB_URL_MAX_LEN + 2);
    assert_non_null(big);
    memset(big, 'a', WB_URL_MAX_LEN + 1);
    big[WB_URL_MAX_LEN + 1] = '\0';
    assert_null(wb_net_redirect_target(&u, big, strlen(big), err, sizeof err));
    free(big);
    wb_url_free(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_allowed),
        cmocka_unit_test(test_empty_allow_list_denies_all),
        cmocka_unit_test(test_not_allowed_normalised_forms),
        cmocka_unit_test(test_block_urls),
        cmocka_unit_test(test_private_loopback_linklocal_metadata),
        cmocka_unit_test(test_internal_covers_everything_private),
        cmocka_unit_test(test_ipv6_carrying_ipv4),
        cmocka_unit_test(test_numeric_ipv4_forms),
        cmocka_unit_test(test_never_unicast),
        cmocka_unit_test(test_resolve_entry_pins_name),
        cmocka_unit_test(test_every_address_checked),
        cmocka_unit_test(test_dns_results_checked),
        cmocka_unit_test(test_literal_needs_no_lookup),
        cmocka_unit_test(test_audit_records),
        cmocka_unit_test(test_check_bad_url),
        cmocka_unit_test(test_redirect_targets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
