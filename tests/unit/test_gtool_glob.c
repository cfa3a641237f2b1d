/* The glob tool's patterns (tools/guest/glob/pattern.c), on the host: one
 * segment against a name (wildcards, sets, escapes, the leading-dot rule,
 * UTF-8), brace expansion and its cap, and whole paths with "**" (hidden
 * directories, entering directories, patterns built to explode a naive
 * matcher). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../tools/guest/glob/glob.h"

static void expect_seg(const char *pat, const char *name, bool want)
{
    if (glob_match_segment(pat, name) != want)
        fail_msg("segment [%s] vs [%s]: want %s", pat, name, want ? "match" : "no match");
}

static void test_segments(void **state)
{
    (void)state;
    expect_seg("*.c", "a.c", true);
    expect_seg("*.c", "a.h", false);
    expect_seg("*.c", ".c", false);      /* leading dot needs a literal dot */
    expect_seg("*", ".env", false);
    expect_seg(".*", ".env", true);
    expect_seg("?env", ".env", false);
    expect_seg("[.]env", ".env", false);
    expect_seg("a*", "a", true);
    expect_seg("a*b", "ab", true);
    expect_seg("a*b", "abx", false);
    expect_seg("*a*b*c", "xaybzc", true);
    expect_seg("*a*b*c", "xaybzcx", false);
    expect_seg("**", "abc", true);       /* inside a segment, "**" is "*" */
    expect_seg("?", "\xC3\xA9", true);   /* one character, two bytes */
    expect_seg("??", "\xC3\xA9", false);
    expect_seg("?.c", "\xE2\x82\xAC.c", true);
    expect_seg("[a-c]x", "bx", true);
    expect_seg("[a-c]x", "dx", false);
    expect_seg("[!a-c]x", "bx", false);
    expect_seg("[!a-c]x", "dx", true);
    expect_seg("[^a]", "b", true);
    expect_seg("[]]", "]", true);        /* ']' first is literal */
    expect_seg("[!]]", "]", false);
    expect_seg("[ab-]", "-", true);      /* '-' last is literal */
    expect_seg("[", "[", true);          /* no ']': a literal '[' */
    expect_seg("a[b", "a[b", true);
    expect_seg("\\*", "*", true);
    expect_seg("\\*", "a", false);
    expect_seg("a\\?", "a?", true);
    expect_seg("[\\]]", "]", true);
    expect_seg("README.md", "README.md", true);
    expect_seg("readme.md", "README.md", false); /* case matters */
    /* backtracking bombs finish (one retry point, O(n*m)) */
    char name[256];
    memset(name, 'a', 255);
    name[255] = 0;
    expect_seg("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", name, false);
    expect_seg("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a", name, true);
    assert_true(glob_is_literal("src"));
    assert_false(glob_is_literal("*.c"));
    assert_false(glob_is_literal("a[b]"));
    assert_false(glob_is_literal("a\\b"));
}

static void expect_braces(const char *pat, const char *want_joined)
{
    char **list;
    int n = glob_expand_braces(pat, &list);
    assert_true(n > 0);
    wt_buf b = {0};
    for (int i = 0; i < n; i++)
        wt_buf_printf(&b, "%s%s", i ? "|" : "", list[i]);
    if (strcmp(b.data, want_joined) != 0)
        fail_msg("braces of [%s] = [%s], want [%s]", pat, b.data, want_joined);
    wt_buf_free(&b);
    glob_free_list(list, n);
}

static void test_braces(void **state)
{
    (void)state;
    expect_braces("*.c", "*.c");
    expect_braces("*.{c,h}", "*.c|*.h");
    expect_braces("x{a,b{c,d}}y", "xay|xbcy|xbdy");
    expect_braces("{a,b}{c,d}", "ac|ad|bc|bd");
    expect_braces("{,a}b", "b|ab");
    expect_braces("{a}", "{a}");             /* no comma: literal */
    expect_braces("{a,b", "{a,b");           /* unclosed: literal */
    expect_braces("\\{a,b}", "\\{a,b}");     /* escaped */
    expect_braces("{a\\,b,c}", "a\\,b|c");   /* escaped comma */
    expect_braces("{x}{a,b}", "{x}a|{x}b");
    expect_braces("src/**/*.{ts,tsx}", "src/**/*.ts|src/**/*.tsx");
    /* 2^8 = 256 patterns is the cap; 2^9 is refused */
    char **list;
    int n = glob_expand_braces("{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}", &list);
    assert_int_equal(n, 256);
    glob_free_list(list, n);
    assert_int_equal(glob_expand_braces("{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}", &list), -1);
    /* a brace bomb is cut at the cap, not computed */
    assert_int_equal(glob_expand_braces("{a,b,c,d,e,f,g,h,i,j}{a,b,c,d,e,f,g,h,i,j}{a,b,c,d,e,f,g,h,i,j}"
                                        "{a,b,c,d,e,f,g,h,i,j}{a,b,c,d,e,f,g,h,i,j}{a,b,c,d,e,f,g,h,i,j}",
                                        &list),
                     -1);
}

static glob_segments segs(char *pat)
{
    glob_segments s = {.n = 0};
    for (char *p = strtok(pat, "/"); p; p = strtok(NULL, "/"))
        s.segs[s.n++] = p;
    return s;
}

static void expect_path(const char *pattern, const char *path, bool full, bool want)
{
    char pbuf[512], nbuf[512];
    snprintf(pbuf, sizeof pbuf, "%s", pattern);
    snprintf(nbuf, sizeof nbuf, "%s", path);
    glob_segments p = segs(pbuf);
    const char *names[GLOB_MAX_SEGMENTS];
    size_t depth = 0;
    for (char *c = strtok(nbuf, "/"); c; c = strtok(NULL, "/"))
        names[depth++] = c;
    if (glob_match_path(&p, names, depth, full) != want)
        fail_msg("%s [%s] vs [%s]: want %s", full ? "path" : "prefix", pattern, path, want ? "true" : "false");
}

static void test_paths(void **state)
{
    (void)state;
    expect_path("**/*.c", "x.c", true, true);        /* ** may be nothing */
    expect_path("**/*.c", "src/a/x.c", true, true);
    expect_path("**/*.c", "src/a/x.h", true, false);
    expect_path("**/*.c", ".git/x.c", true, false);  /* ** skips hidden directories */
    expect_path(".git/**/*.c", ".git/a/x.c", true, true);
    expect_path("src/*.c", "src/x.c", true, true);
    expect_path("src/*.c", "src/a/x.c", true, false); /* * stays in its segment */
    expect_path("src/**", "src/a/b", true, true);
    expect_path("a/**/b/**/c", "a/x/b/y/z/c", true, true);
    expect_path("a/**/b/**/c", "a/x/y/c", true, false);
    /* is a directory worth entering? */
    expect_path("src/*.c", "src", false, true);
    expect_path("src/*.c", "docs", false, false);
    expect_path("src/*.c", "src/a", false, false);
    expect_path("**/*.c", "any/depth", false, true);
    expect_path("**/*.c", ".hidden", false, false);
    /* many "**" against a deep path that does not match: memoized, finishes */
    char deep[GLOB_MAX_SEGMENTS * 2 + 1];
    for (int i = 0; i < GLOB_MAX_SEGMENTS - 1; i++)
        deep[2 * i] = 'd', deep[2 * i + 1] = '/';
    strcpy(deep + 2 * (GLOB_MAX_SEGMENTS - 1), "f");
    expect_path("**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/*.z", deep, true, false);
    expect_path("**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/f", deep, true, true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_segments),
        cmocka_unit_test(test_braces),
        cmocka_unit_test(test_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
