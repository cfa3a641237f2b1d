/* IP networks: CIDR parsing, the named sets, and block_networks decisions,
 * including addresses written to slip past a naive check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "../../policy/policy.h"

static wb_ip ip(const char *text)
{
    wb_ip a;
    if (!wb_ip_parse(text, &a))
        fail_msg("not an address: %s", text);
    return a;
}

static void expect_cidr(const char *text, const char *normal)
{
    wb_cidr c;
    char err[WB_POLICY_ERR_MAX] = "";
    if (!wb_cidr_parse(text, &c, err, sizeof err))
        fail_msg("%s: %s", text, err);
    char buf[64];
    wb_cidr_format(&c, buf, sizeof buf);
    assert_string_equal(buf, normal);
}

static void expect_bad_cidr(const char *text, const char *message)
{
    wb_cidr c;
    char err[WB_POLICY_ERR_MAX] = "";
    assert_false(wb_cidr_parse(text, &c, err, sizeof err));
    assert_string_equal(err, message);
}

static void test_ip_parse(void **state)
{
    (void)state;
    wb_ip a;
    assert_true(wb_ip_parse("10.1.2.3", &a));
    assert_int_equal(a.family, 4);
    assert_int_equal(a.b[0], 10);
    assert_int_equal(a.b[3], 3);
    assert_true(wb_ip_parse("::ffff:1.2.3.4", &a));
    assert_int_equal(a.family, 6);
    assert_int_equal(a.b[10], 0xff);
    assert_int_equal(a.b[15], 4);
    /* only strict forms */
    const char *bad[] = {"127.1", "0x7f.0.0.1", "017.0.0.1", "2130706433", "1.2.3.4 ", " 1.2.3.4",
                         "256.0.0.1", "fe80::1%eth0", "[::1]", "1::2::3", "", "localhost"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(wb_ip_parse(bad[i], &a));
    assert_false(wb_ip_parse(NULL, &a));
    char buf[64];
    a = ip("0:0:0:0:0:ffff:7f00:1");
    wb_ip_format(&a, buf, sizeof buf);
    assert_string_equal(buf, "::ffff:127.0.0.1");
    wb_ip b = ip("::ffff:127.0.0.1");
    assert_true(wb_ip_equal(&a, &b));
    b = ip("127.0.0.1");
    assert_false(wb_ip_equal(&a, &b));
}

static void test_cidr_parse(void **state)
{
    (void)state;
    expect_cidr("10.0.0.0/8", "10.0.0.0/8");
    expect_cidr("fd00::/8", "fd00::/8");
    expect_cidr("10.1.2.3", "10.1.2.3/32");
    expect_cidr("::1", "::1/128");
    expect_cidr("0.0.0.0/0", "0.0.0.0/0");
    expect_cidr("::/0", "::/0");
    expect_cidr("FD00:0::/8", "fd00::/8");
    expect_cidr("172.16.0.0/12", "172.16.0.0/12");
    expect_cidr("10.0.0.0/08", "10.0.0.0/8");
    expect_bad_cidr("10.0.0.0/33", "\"10.0.0.0/33\" is not a valid CIDR (prefix length over 32)");
    expect_bad_cidr("10.0.0.0/99999999999",
                    "\"10.0.0.0/99999999999\" is not a valid CIDR (prefix length over 32)");
    expect_bad_cidr("fd00::/129", "\"fd00::/129\" is not a valid CIDR (prefix length over 128)");
    expect_bad_cidr("10.0.0.1/8",
                    "\"10.0.0.1/8\" is not a valid CIDR (host bits set; did you mean 10.0.0.0/8?)");
    expect_bad_cidr("172.17.0.0/12", "\"172.17.0.0/12\" is not a valid CIDR (host bits set; did "
                                     "you mean 172.16.0.0/12?)");
    expect_bad_cidr("fd00::1/8",
                    "\"fd00::1/8\" is not a valid CIDR (host bits set; did you mean fd00::/8?)");
    expect_bad_cidr("10.0.0.0/", "\"10.0.0.0/\" is not a valid CIDR (missing prefix length after "
                                 "\"/\")");
    expect_bad_cidr("10.0.0.0/-1", "\"10.0.0.0/-1\" is not a valid CIDR (prefix length is not a "
                                   "number)");
    expect_bad_cidr("10.0.0.0/8x", "\"10.0.0.0/8x\" is not a valid CIDR (prefix length is not a "
                                   "number)");
    expect_bad_cidr("10.0.0.0/8/8", "\"10.0.0.0/8/8\" is not a valid CIDR (prefix length is not a "
                                    "number)");
    expect_bad_cidr("10.0.0/8", "\"10.0.0/8\" is not a valid CIDR (bad IPv4 or IPv6 address)");
    expect_bad_cidr("fe80::1%eth0/64",
                    "\"fe80::1%eth0/64\" is not a valid CIDR (bad IPv4 or IPv6 address)");
    expect_bad_cidr("/8", "\"/8\" is not a valid CIDR (missing address)");
    expect_bad_cidr("", "\"\" is not a valid CIDR (missing address)");
}

static void test_cidr_contains(void **state)
{
    (void)state;
    wb_cidr c;
    assert_true(wb_cidr_parse("10.0.0.0/8", &c, NULL, 0));
    wb_ip a = ip("10.255.255.255");
    assert_true(wb_cidr_contains(&c, &a));
    a = ip("11.0.0.0");
    assert_false(wb_cidr_contains(&c, &a));
    a = ip("9.255.255.255");
    assert_false(wb_cidr_contains(&c, &a));
    a = ip("::ffff:10.0.0.1"); /* other family: never contained by itself */
    assert_false(wb_cidr_contains(&c, &a));
    assert_true(wb_cidr_parse("100.64.0.0/10", &c, NULL, 0));
    a = ip("100.127.255.255");
    assert_true(wb_cidr_contains(&c, &a));
    a = ip("100.128.0.0");
    assert_false(wb_cidr_contains(&c, &a));
    assert_true(wb_cidr_parse("fe80::/10", &c, NULL, 0));
    a = ip("febf:ffff::1");
    assert_true(wb_cidr_contains(&c, &a));
    a = ip("fec0::1");
    assert_false(wb_cidr_contains(&c, &a));
    assert_true(wb_cidr_parse("0.0.0.0/0", &c, NULL, 0));
    a = ip("255.255.255.255");
    assert_true(wb_cidr_contains(&c, &a));
}

static void test_embedded_v4(void **state)
{
    (void)state;
    struct {
        const char *v6, *v4;
    } cases[] = {
        {"::ffff:127.0.0.1", "127.0.0.1"},        {"::ffff:a9fe:a9fe", "169.254.169.254"},
        {"::169.254.169.254", "169.254.169.254"}, {"::", "0.0.0.0"},
        {"::1", "0.0.0.1"},                       {"64:ff9b::a9fe:a9fe", "169.254.169.254"},
        {"2002:7f00:1::1", "127.0.0.1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wb_ip a = ip(cases[i].v6), v4;
        assert_true(wb_ip_embedded_v4(&a, &v4));
        char buf[64];
        wb_ip_format(&v4, buf, sizeof buf);
        assert_string_equal(buf, cases[i].v4);
    }
    const char *none[] = {"2606:4700::1111", "fe80::1", "::ffff:0:0:1", "64:ff9b:1::1", "127.0.0.1"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        wb_ip a = ip(none[i]), v4;
        assert_false(wb_ip_embedded_v4(&a, &v4));
    }
}

static void test_netsets(void **state)
{
    (void)state;
    const char *names[] = {"private", "loopback", "link-local", "metadata", "internal"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const wb_netset *s = wb_netset_find(names[i]);
        assert_non_null(s);
        assert_string_equal(s->name, names[i]);
        assert_true(s->count > 0);
    }
    assert_null(wb_netset_find("privat"));
    assert_null(wb_netset_find("Private"));
    assert_null(wb_netset_find(NULL));
    assert_string_equal(wb_netset_names(), "private, loopback, link-local, metadata, internal");
}

/* A policy blocking exactly the given networks. */
static void policy_blocking(wb_policy *p, const char *const *nets, size_t n)
{
    wb_policy_init(p);
    char err[WB_POLICY_ERR_MAX];
    for (size_t i = 0; i < n; i++)
        if (!wb_policy_apply_flag(p, "--block-network", nets[i], err, sizeof err))
            fail_msg("%s", err);
}

static bool blocked(const wb_policy *p, const char *addr)
{
    wb_ip a = ip(addr);
    char why[200];
    return wb_ip_blocked(p, &a, why, sizeof why);
}

static const char *const internal_addrs[] = {
    "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.100.100.200",
    "100.127.255.255", "127.0.0.1", "127.255.255.254", "169.254.0.1", "169.254.169.254",
    "169.254.170.2", "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.88.99.1",
    "192.168.0.1", "192.168.255.255", "198.18.0.1", "198.19.255.255", "198.51.100.1",
    "203.0.113.1", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
    "168.63.129.16",
    "::", "::1", "::ffff:127.0.0.1", "::ffff:a9fe:a9fe", "::169.254.169.254", "::ffff:10.0.0.1",
    "::ffff:0.0.0.0", "::ffff:100.100.100.200", "::ffff:192.168.1.1", "::127.0.0.1",
    "::ffff:8.8.8.8", /* no: see below */
    "fe80::1", "febf::1", "fc00::1", "fd00::1", "fdff:ffff::1", "ff02::1", "ff0e::1",
    "64:ff9b::a9fe:a9fe", "64:ff9b::808:808", "64:ff9b:1::1", "2002:a9fe:a9fe::1",
    "2002:808:808::1", "2001:db8::1", "2001::1", "fec0::1", "100::1", "3fff::1", "5f00::1",
    "fd00:ec2::254", "::8.8.8.8", "fe00::1", "4000::1", "8000::1", "::ffff:0:0:1", "1fff::1",
    "c000::1",
};

static void test_internal_blocks(void **state)
{
    (void)state;
    const char *nets[] = {"internal"};
    wb_policy p;
    policy_blocking(&p, nets, 1);
    for (size_t i = 0; i < sizeof internal_addrs / sizeof internal_addrs[0]; i++) {
        const char *a = internal_addrs[i];
        /* a mapped public address is the public address: not blocked */
        bool expect = strcmp(a, "::ffff:8.8.8.8") != 0;
        if (blocked(&p, a) != expect)
            fail_msg("internal: %s should %sbe blocked", a, expect ? "" : "not ");
    }
    const char *public_addrs[] = {
        "8.8.8.8", "1.1.1.1", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
        "126.255.255.255", "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255",
        "172.32.0.0", "192.0.1.0", "192.167.255.255", "192.169.0.0", "198.17.255.255",
        "198.20.0.0", "223.255.255.255", "168.63.129.17", "2606:4700:4700::1111",
        "2001:4860:4860::8888", "2a00:1450::1", "::ffff:1.1.1.1", "2000::1", "3ffe::1",
    };
    for (size_t i = 0; i < sizeof public_addrs / sizeof public_addrs[0]; i++)
        if (blocked(&p, public_addrs[i]))
            fail_msg("internal: %s should not be blocked", public_addrs[i]);
    wb_policy_free(&p);
}

static void test_named_sets_separately(void **state)
{
    (void)state;
    wb_policy p;
    const char *priv[] = {"private"};
    policy_blocking(&p, priv, 1);
    assert_true(blocked(&p, "10.0.0.1"));
    assert_true(blocked(&p, "172.20.1.1"));
    assert_true(blocked(&p, "192.168.1.1"));
    assert_true(blocked(&p, "::ffff:10.0.0.1"));
    assert_true(blocked(&p, "::10.0.0.1"));
    assert_true(blocked(&p, "fd12::1"));
    assert_true(blocked(&p, "fc00::"));
    assert_false(blocked(&p, "127.0.0.1"));
    assert_false(blocked(&p, "169.254.169.254"));
    assert_false(blocked(&p, "8.8.8.8"));
    wb_policy_free(&p);

    const char *lo[] = {"loopback"};
    policy_blocking(&p, lo, 1);
    assert_true(blocked(&p, "127.0.0.1"));
    assert_true(blocked(&p, "127.255.255.255"));
    assert_true(blocked(&p, "::1"));
    assert_true(blocked(&p, "::ffff:127.0.0.1"));
    assert_true(blocked(&p, "::127.0.0.1"));
    assert_true(blocked(&p, "64:ff9b::7f00:1"));
    assert_true(blocked(&p, "2002:7f00:1::"));
    assert_false(blocked(&p, "::2"));
    assert_false(blocked(&p, "128.0.0.1"));
    assert_false(blocked(&p, "10.0.0.1"));
    wb_policy_free(&p);

    const char *ll[] = {"link-local"};
    policy_blocking(&p, ll, 1);
    assert_true(blocked(&p, "169.254.169.254"));
    assert_true(blocked(&p, "169.254.170.2"));
    assert_true(blocked(&p, "::ffff:a9fe:a9fe"));
    assert_true(blocked(&p, "::169.254.169.254"));
    assert_true(blocked(&p, "fe80::1"));
    assert_true(blocked(&p, "febf::1"));
    assert_false(blocked(&p, "fec0::1"));
    assert_false(blocked(&p, "100.100.100.200"));
    wb_policy_free(&p);

    const char *md[] = {"metadata"};
    policy_blocking(&p, md, 1);
    assert_true(blocked(&p, "169.254.169.254"));
    assert_true(blocked(&p, "169.254.170.2"));
    assert_true(blocked(&p, "100.100.100.200"));
    assert_true(blocked(&p, "168.63.129.16"));
    assert_true(blocked(&p, "fd00:ec2::254"));
    assert_true(blocked(&p, "::ffff:169.254.169.254"));
    assert_false(blocked(&p, "169.254.169.253"));
    assert_false(blocked(&p, "10.0.0.1"));
    wb_policy_free(&p);
}

static void test_cidr_blocks_and_reasons(void **state)
{
    (void)state;
    const char *nets[] = {"10.0.0.0/8", "loopback", "2001:db8::/32", "198.51.100.7"};
    wb_policy p;
    policy_blocking(&p, nets, 4);
    char why[200];
    wb_ip a = ip("10.1.2.3");
    assert_true(wb_ip_blocked(&p, &a, why, sizeof why));
    assert_string_equal(why, "10.1.2.3 is in blocked network 10.0.0.0/8");
    a = ip("::ffff:127.0.0.1");
    assert_true(wb_ip_blocked(&p, &a, why, sizeof why));
    assert_string_equal(why,
                        "::ffff:127.0.0.1 (IPv4 127.0.0.1) is in blocked network \"loopback\" "
                        "(127.0.0.0/8)");
    a = ip("::1");
    assert_true(wb_ip_blocked(&p, &a, why, sizeof why));
    assert_string_equal(why, "::1 is in blocked network \"loopback\" (::1/128)");
    a = ip("2001:db8:1::5");
    assert_true(wb_ip_blocked(&p, &a, why, sizeof why));
    assert_string_equal(why, "2001:db8:1::5 is in blocked network 2001:db8::/32");
    assert_true(blocked(&p, "198.51.100.7"));
    assert_false(blocked(&p, "198.51.100.8"));
    assert_false(blocked(&p, "11.0.0.1"));
    strcpy(why, "untouched");
    a = ip("8.8.8.8");
    assert_false(wb_ip_blocked(&p, &a, why, sizeof why));
    assert_string_equal(why, "untouched");
    /* duplicates are kept once, in normal form */
    char err[WB_POLICY_ERR_MAX];
    assert_true(wb_policy_apply_flag(&p, "--block-network", "10.0.0.0/8", err, sizeof err));
    assert_true(wb_policy_apply_flag(&p, "--block-network", "198.51.100.7/32", err, sizeof err));
    assert_int_equal(p.nblock_networks, 4);
    assert_string_equal(p.block_networks[3].text, "198.51.100.7/32");
    assert_false(wb_policy_apply_flag(&p, "--block-network", "10.0.0.0/33", err, sizeof err));
    assert_string_equal(err, "--block-network: \"10.0.0.0/33\" is not a valid CIDR (prefix length "
                             "over 32)");
    assert_false(wb_policy_apply_flag(&p, "--block-network", "lan", err, sizeof err));
    assert_string_equal(err, "--block-network: \"lan\" is not a known network set (known: "
                             "private, loopback, link-local, metadata, internal)");
    wb_policy_free(&p);
}

static void test_mapped_is_judged_as_ipv4(void **state)
{
    (void)state;
    wb_policy p;
    const char *all4[] = {"0.0.0.0/0"};
    policy_blocking(&p, all4, 1);
    assert_true(blocked(&p, "8.8.8.8"));
    assert_true(blocked(&p, "::ffff:8.8.8.8"));    /* mapped */
    assert_true(blocked(&p, "::8.8.8.8"));         /* compatible */
    assert_true(blocked(&p, "64:ff9b::808:808"));  /* NAT64 */
    assert_true(blocked(&p, "2002:808:808::1"));   /* 6to4 */
    assert_false(blocked(&p, "2606:4700:4700::1111"));
    wb_policy_free(&p);
    const char *all6[] = {"::/0"};
    policy_blocking(&p, all6, 1);
    assert_true(blocked(&p, "2606:4700:4700::1111"));
    assert_true(blocked(&p, "::8.8.8.8"));
    assert_false(blocked(&p, "::ffff:8.8.8.8")); /* IPv4 traffic, not IPv6 */
    assert_false(blocked(&p, "8.8.8.8"));
    wb_policy_free(&p);
}

static void test_empty_policy_and_sockaddrs(void **state)
{
    (void)state;
    wb_policy p;
    wb_policy_init(&p);
    /* nothing is blocked by the empty policy (nothing is allowed either:
     * allowed_outbound_hosts is empty) */
    assert_false(blocked(&p, "127.0.0.1"));
    assert_false(blocked(NULL, "127.0.0.1"));
    wb_policy_free(&p);

    const char *nets[] = {"internal"};
    policy_blocking(&p, nets, 1);
    char why[200];
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons(80);
    inet_pton(AF_INET, "169.254.169.254", &sin.sin_addr);
    assert_true(wb_addr_blocked(&p, (struct sockaddr *)&sin, why, sizeof why));
    assert_string_equal(why, "169.254.169.254 is in blocked network \"internal\" (169.254.0.0/16)");
    inet_pton(AF_INET, "93.184.216.34", &sin.sin_addr);
    assert_false(wb_addr_blocked(&p, (struct sockaddr *)&sin, why, sizeof why));

    struct sockaddr_in6 sin6;
    memset(&sin6, 0, sizeof sin6);
    sin6.sin6_family = AF_INET6;
    inet_pton(AF_INET6, "::ffff:a9fe:a9fe", &sin6.sin6_addr);
    assert_true(wb_addr_blocked(&p, (struct sockaddr *)&sin6, why, sizeof why));
    inet_pton(AF_INET6, "::", &sin6.sin6_addr);
    assert_true(wb_addr_blocked(&p, (struct sockaddr *)&sin6, why, sizeof why));
    inet_pton(AF_INET6, "2606:4700:4700::1111", &sin6.sin6_addr);
    assert_false(wb_addr_blocked(&p, (struct sockaddr *)&sin6, why, sizeof why));

    /* anything that is not IP fails closed */
    struct sockaddr_un sun;
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    assert_true(wb_addr_blocked(&p, (struct sockaddr *)&sun, why, sizeof why));
    assert_string_equal(why, "not an IPv4 or IPv6 address");
    assert_true(wb_addr_blocked(&p, NULL, why, sizeof why));
    assert_true(wb_ip_blocked(&p, NULL, why, sizeof why));
    wb_ip junk;
    memset(&junk, 0, sizeof junk);
    assert_true(wb_ip_blocked(&p, &junk, why, sizeof why));
    wb_policy_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ip_parse),
        cmocka_unit_test(test_cidr_parse),
        cmocka_unit_test(test_cidr_contains),
        cmocka_unit_test(test_embedded_v4),
        cmocka_unit_test(test_netsets),
        cmocka_unit_test(test_internal_blocks),
        cmocka_unit_test(test_named_sets_separately),
        cmocka_unit_test(test_cidr_blocks_and_reasons),
        cmocka_unit_test(test_mapped_is_judged_as_ipv4),
        cmocka_unit_test(test_empty_policy_and_sockaddrs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
