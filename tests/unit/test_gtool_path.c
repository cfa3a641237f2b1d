/* The guest-tool library's lexical paths: normalizing, joining against a
 * working directory, and finding the mapped directory a path lives in
 * (nested maps, prefixes that are not parents, the root map). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../tools/guest/lib/wbtool.h"

static void expect_join(const char *base, const char *rel, const char *want)
{
    wt_buf b = {0};
    assert_true(wt_path_join(&b, base, rel));
    if (strcmp(b.data, want) != 0)
        fail_msg("join(%s, %s) = %s, want %s", base, rel, b.data, want);
    wt_buf_free(&b);
}

static void test_normalize(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"/", "/"},           {"//", "/"},           {"/a", "/a"},          {"/a/", "/a"},
        {"/a//b", "/a/b"},    {"/./a/./b/.", "/a/b"}, {"/a/../b", "/b"},    {"/a/b/..", "/a"},
        {"/..", "/"},         {"/../../etc", "/etc"}, {"/a/../../b", "/b"}, {"/a/..b/c", "/a/..b/c"},
        {"/a/.b", "/a/.b"},   {"/...", "/..."},       {"/a/b/c/../../d", "/a/d"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wt_buf b = {0};
        assert_true(wt_path_normalize(&b, cases[i][0]));
        if (strcmp(b.data, cases[i][1]) != 0)
            fail_msg("normalize(%s) = %s, want %s", cases[i][0], b.data, cases[i][1]);
        wt_buf_free(&b);
    }
}

static void test_join(void **state)
{
    (void)state;
    expect_join("/ws", "a.txt", "/ws/a.txt");
    expect_join("/ws/", "./src//x.c", "/ws/src/x.c");
    expect_join("/ws", "../../etc/passwd", "/etc/passwd");
    expect_join("/ws", "/etc/passwd", "/etc/passwd"); /* absolute wins */
    expect_join("/ws", "/ws/../ws/a", "/ws/a");
    expect_join("/ws", ".", "/ws");
    expect_join("/ws", "..", "/");
    expect_join("/", "a", "/a");
    expect_join("/ws/sub", "../b", "/ws/b");
}

static void expect_locate(const wt_preopen *l, size_t n, const char *path, const char *want_dir,
                          const char *want_rel)
{
    const char *rel = NULL;
    const wt_preopen *p = wt_path_locate(l, n, path, &rel);
    if (!want_dir) {
        if (p)
            fail_msg("%s located in %s, want none", path, p->path);
        return;
    }
    if (!p)
        fail_msg("%s located nowhere, want %s", path, want_dir);
    assert_string_equal(p->path, want_dir);
    assert_string_equal(rel, want_rel);
}

static void test_locate(void **state)
{
    (void)state;
    const wt_preopen maps[] = {{3, "/ws"}, {4, "/ws/vendor"}, {5, "/data"}};
    expect_locate(maps, 3, "/ws", "/ws", ".");
    expect_locate(maps, 3, "/ws/a/b.c", "/ws", "a/b.c");
    expect_locate(maps, 3, "/ws/vendor/x", "/ws/vendor", "x"); /* the deeper map */
    expect_locate(maps, 3, "/ws/vendorx/y", "/ws", "vendorx/y");
    expect_locate(maps, 3, "/wsx", NULL, NULL);                /* a prefix, not a parent */
    expect_locate(maps, 3, "/etc/passwd", NULL, NULL);
    expect_locate(maps, 3, "/", NULL, NULL);
    expect_locate(maps, 3, "/data", "/data", ".");
    const wt_preopen root[] = {{3, "/"}, {4, "/ws"}};
    expect_locate(root, 2, "/etc/passwd", "/", "etc/passwd");
    expect_locate(root, 2, "/", "/", ".");
    expect_locate(root, 2, "/ws/a", "/ws", "a");
    expect_locate(root, 0, "/a", NULL, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_join),
        cmocka_unit_test(test_locate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
