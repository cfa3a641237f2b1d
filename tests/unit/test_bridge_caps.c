/* The capability intersection (tools/bridge_caps.c): a call gets what the
 * manifest asks AND what the operator allows. Host patterns meet pairwise
 * (a pattern set both match, or nothing when it cannot be written as one
 * pattern); the workspace's mode; environment names both list with the
 * operator's values; limits: the operator's explicit value, else the
 * manifest's, else the global default. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../tools/bridge_internal.h"

static wb_host_pattern pat(const char *text)
{
    wb_host_pattern p;
    char err[256];
    if (!wb_host_pattern_parse(text, &p, err, sizeof err))
        fail_msg("%s: %s", text, err);
    return p;
}

/* meet(a, b) as text, "" for none; both orders must agree */
static void meet_is(const char *a, const char *b, const char *want)
{
    wb_host_pattern pa = pat(a), pb = pat(b), out;
    char got[320] = "", got2[320] = "";
    if (wbt_host_meet(&pa, &pb, &out))
        wb_host_pattern_format(&out, got, sizeof got);
    if (wbt_host_meet(&pb, &pa, &out))
        wb_host_pattern_format(&out, got2, sizeof got2);
    assert_string_equal(got, want);
    assert_string_equal(got2, want);
}

static void test_host_meet(void **state)
{
    (void)state;
    /* any scheme, host and port (what the operator allows) leaves the other as it is */
    meet_is("*://*:*", "https://api.example.org", "https://api.example.org");
    meet_is("*://*:*", "http://*.example.org:*", "http://*.example.org:*");
    meet_is("*://*:*", "*://*:*", "*://*:*");
    meet_is("https://example.org", "https://example.org", "https://example.org");
    meet_is("https://example.org", "http://example.org", "");
    meet_is("https://a.example.org", "https://b.example.org", "");
    /* subdomain patterns: the narrower one; an exact host below one */
    meet_is("https://*.example.org", "https://*.api.example.org", "https://*.api.example.org");
    meet_is("https://*.example.org", "https://x.example.org", "https://x.example.org");
    meet_is("https://*.example.org", "https://example.org", "");
    meet_is("https://*.example.org", "https://*.example.com", "");
    /* scheme from one, host from the other */
    meet_is("https://*", "*://example.org", "https://example.org");
    /* ports: a number meets "any"; the default port meets its number only
     * when the scheme is fixed */
    meet_is("https://example.org:*", "https://example.org:8443", "https://example.org:8443");
    meet_is("https://example.org", "https://example.org:443", "https://example.org:443");
    meet_is("https://example.org", "https://example.org:8443", "");
    meet_is("*://example.org", "*://example.org:443", "");
    /* address literals */
    meet_is("http://127.0.0.1:*", "*://127.0.0.1:8080", "http://127.0.0.1:8080");
    meet_is("http://127.0.0.1:*", "http://*.example.org:*", "");
}

static char ws[64], sub[96];

static int setup(void **state)
{
    (void)state;
    snprintf(ws, sizeof ws, "/tmp/wbt-caps-XXXXXX");
    if (!mkdtemp(ws))
        return -1;
    snprintf(sub, sizeof sub, "%s/sub", ws);
    return mkdir(sub, 0700);
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", ws);
    return system(cmd);
}

static void flag(wb_policy *p, const char *f, const char *v)
{
    char err[WB_POLICY_ERR_MAX];
    if (!wb_policy_apply_flag(p, f, v, err, sizeof err))
        fail_msg("%s", err);
}

static void test_workspace_mode(void **state)
{
    (void)state;
    wb_policy p;
    wb_policy_init(&p);
    assert_true(wbt_workspace_writable(&p, sub, false));  /* no word: writable */
    assert_false(wbt_workspace_writable(&p, sub, true));  /* --workspace DIR:ro */
    assert_false(wbt_workspace_writable(&p, NULL, false));
    char spec[200];
    snprintf(spec, sizeof spec, "%s::/w:ro", ws);         /* an ancestor mapped read-only */
    flag(&p, "--dir", spec);
    assert_false(wbt_workspace_writable(&p, sub, false));
    wb_policy_free(&p);
    wb_policy_init(&p);
    snprintf(spec, sizeof spec, "%s::/w", ws);            /* mapped read-write */
    flag(&p, "--dir", spec);
    assert_true(wbt_workspace_writable(&p, sub, false));
    /* a sibling whose name starts the same is not an ancestor */
    wb_policy_free(&p);
    wb_policy_init(&p);
    snprintf(spec, sizeof spec, "%s/su::/w:ro", ws);
    char su[120];
    snprintf(su, sizeof su, "%s/su", ws);
    assert_int_equal(mkdir(su, 0700), 0);
    flag(&p, "--dir", spec);
    assert_true(wbt_workspace_writable(&p, sub, false));
    wb_policy_free(&p);
}

static wbt_tool tool(wbt_fs fs, bool net_none, const char *const *hosts, size_t nhosts,
                     char **env, size_t nenv)
{
    wbt_tool t;
    memset(&t, 0, sizeof t);
    t.name = "t";
    t.fs = fs;
    t.network_none = net_none;
    t.hosts = calloc(nhosts + 1, sizeof *t.hosts);
    for (size_t i = 0; i < nhosts; i++)
        t.hosts[i] = pat(hosts[i]);
    t.nhosts = nhosts;
    t.env = env;
    t.nenv = nenv;
    return t;
}

static void test_grant(void **state)
{
    (void)state;
    wb_policy op;
    wb_policy_init(&op);
    flag(&op, "--allow-host", "https://*.example.org");
    flag(&op, "--allow-host", "http://127.0.0.1:8080");
    flag(&op, "--env", "TOKEN=secret");
    flag(&op, "--env", "LANG=C");
    flag(&op, "--fuel", "5000");
    char *names[] = {"TOKEN", "HOME", "PWD"};
    const char *any[] = {"*://*:*"};
    wbt_tool t = tool(WBT_FS_WRITE, false, any, 1, names, 3);
    t.limits.fuel = 999;       /* the operator's explicit fuel wins */
    t.limits.timeout_ms = 700; /* the operator said nothing: the manifest's */
    wbt_grant g;
    assert_true(wbt_grant_make(&g, &t, &op, sub, true));
    assert_int_equal(g.fs, WBT_FS_WRITE);
    assert_int_equal(g.policy.nallowed_outbound_hosts, 2);
    char buf[320];
    wb_host_pattern_format(&g.policy.allowed_outbound_hosts[0], buf, sizeof buf);
    assert_string_equal(buf, "https://*.example.org");
    wb_host_pattern_format(&g.policy.allowed_outbound_hosts[1], buf, sizeof buf);
    assert_string_equal(buf, "http://127.0.0.1:8080");
    /* TOKEN from the operator; HOME the operator does not give; PWD is the
     * workspace, never the operator's */
    assert_int_equal(g.policy.nenv, 2);
    assert_string_equal(g.policy.env[0], "TOKEN=secret");
    char pwd[200];
    snprintf(pwd, sizeof pwd, "PWD=%s", sub);
    assert_string_equal(g.policy.env[1], pwd);
    assert_int_equal(g.policy.fuel, 5000);
    assert_int_equal(g.policy.timeout_ms, 700);
    assert_int_equal(g.policy.max_memory, WB_DEFAULT_MAX_MEMORY); /* nobody said */
    wbt_grant_free(&g);

    /* write asked, the operator keeps the workspace read-only: read */
    assert_true(wbt_grant_make(&g, &t, &op, sub, false));
    assert_int_equal(g.fs, WBT_FS_READ);
    wbt_grant_free(&g);
    /* no workspace: nothing mapped, no PWD */
    assert_true(wbt_grant_make(&g, &t, &op, NULL, true));
    assert_int_equal(g.fs, WBT_FS_NONE);
    assert_int_equal(g.policy.nenv, 1);
    wbt_grant_free(&g);
    free(t.hosts);

    /* network none: no host whatever the operator allows; read stays read */
    t = tool(WBT_FS_READ, true, NULL, 0, NULL, 0);
    assert_true(wbt_grant_make(&g, &t, &op, sub, true));
    assert_int_equal(g.policy.nallowed_outbound_hosts, 0);
    assert_int_equal(g.fs, WBT_FS_READ);
    wbt_grant_free(&g);
    free(t.hosts);
    /* a manifest host the operator does not allow: nothing */
    const char *other[] = {"https://example.com"};
    t = tool(WBT_FS_NONE, false, other, 1, NULL, 0);
    assert_true(wbt_grant_make(&g, &t, &op, sub, true));
    assert_int_equal(g.policy.nallowed_outbound_hosts, 0);
    assert_int_equal(g.fs, WBT_FS_NONE);
    wbt_grant_free(&g);
    free(t.hosts);
    wb_policy_free(&op);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_meet),
        cmocka_unit_test(test_workspace_mode),
        cmocka_unit_test(test_grant),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
