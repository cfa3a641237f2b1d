/* Unit tests for the regex engine (tools/guest/regex/), run on the host.
 *
 * The expected spans are written by hand from the documented semantics of the
 * syntax this engine follows: the Rust regex crate's syntax reference
 * (docs.rs/regex, "Syntax"), RE2's syntax page (leftmost-first matching,
 * Perl classes, empty-width assertions) and Russ Cox's articles on the Pike
 * VM for captures under leftmost-first rules. Each span is written as
 * "(start,end)" per group, "(?,?)" for a group that took no part, or "-" for
 * no match. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../tools/guest/regex/regex.h"
#include "../../tools/guest/regex/regex_internal.h" /* to check which literal search runs */

/* Formats the result of searching text (len bytes) from start. */
static void run_fmt(rx_prog *p, const char *text, size_t len, size_t start, char *out,
                    size_t cap) {
    rx_span caps[12];
    size_t n = rx_group_count(p) < 12 ? rx_group_count(p) : 12;
    if (!rx_search(p, text, len, start, caps, n)) {
        snprintf(out, cap, "-");
        return;
    }
    size_t w = 0;
    out[0] = 0;
    for (size_t g = 0; g < n && w < cap; g++) {
        if (caps[g].start == RX_NOPOS)
            w += (size_t)snprintf(out + w, cap - w, "(?,?)");
        else
            w += (size_t)snprintf(out + w, cap - w, "(%zu,%zu)", caps[g].start, caps[g].end);
    }
}

static rx_prog *compile_ok(const char *pat, unsigned flags) {
    rx_error err;
    rx_prog *p = rx_compile(pat, strlen(pat), flags, &err);
    if (!p) fail_msg("pattern /%s/ failed to compile: %s (at %zu)", pat, err.msg, err.pos);
    return p;
}

/* pattern, flags, text (NUL-terminated), expected result. Also checks that
 * rx_is_match agrees and that a search with only group 0 finds the same span. */
static void expect_n(const char *pat, unsigned flags, const char *text, size_t len,
                     const char *want) {
    rx_prog *p = compile_ok(pat, flags);
    char got[512];
    run_fmt(p, text, len, 0, got, sizeof got);
    if (strcmp(got, want) != 0)
        fail_msg("/%s/ (flags %u) on \"%.*s\": got %s, want %s", pat, flags, (int)len, text, got,
                 want);
    int m = rx_is_match(p, text, len);
    if (m != (want[0] != '-'))
        fail_msg("/%s/ on \"%.*s\": rx_is_match says %d", pat, (int)len, text, m);
    rx_span g0;
    int r = rx_search(p, text, len, 0, &g0, 1);
    if (r) {
        char one[64];
        snprintf(one, sizeof one, "(%zu,%zu)", g0.start, g0.end);
        if (strncmp(one, want, strlen(one)) != 0)
            fail_msg("/%s/ on \"%.*s\": group 0 alone %s, want %s", pat, (int)len, text, one,
                     want);
    }
    rx_free(p);
}

static void expect(const char *pat, const char *text, const char *want) {
    expect_n(pat, 0, text, strlen(text), want);
}
static void expect_f(const char *pat, unsigned flags, const char *text, const char *want) {
    expect_n(pat, flags, text, strlen(text), want);
}

/* Compilation fails; the message contains want and the position is pos. */
static void expect_error(const char *pat, unsigned flags, const char *want, size_t pos) {
    rx_error err;
    rx_prog *p = rx_compile(pat, strlen(pat), flags, &err);
    if (p) {
        rx_free(p);
        fail_msg("pattern /%s/ compiled, want an error containing \"%s\"", pat, want);
    }
    if (!strstr(err.msg, want))
        fail_msg("/%s/: error \"%s\" does not contain \"%s\"", pat, err.msg, want);
    if (err.pos != pos) fail_msg("/%s/: error at %zu, want %zu (%s)", pat, err.pos, pos, err.msg);
}

static void test_literals(void **state) {
    (void)state;
    expect("abc", "xxabcxx", "(2,5)");
    expect("abc", "ababc", "(2,5)");
    expect("abc", "ab", "-");
    expect("", "", "(0,0)");
    expect("", "abc", "(0,0)");
    expect("a", "", "-");
    expect("\\.", "a.b", "(1,2)");
    expect("a\\+b", "aab a+b", "(4,7)");
    expect("\\\\", "a\\b", "(1,2)");
    expect("\\(\\)\\[\\]\\{\\}\\|\\^\\$\\*\\?", "()[]{}|^$*?", "(0,11)");
    expect("\\#\\&\\-\\~\\%\\@\\!\\,\\/", "#&-~%@!,/", "(0,9)");
    expect("\\t\\n\\r", "a\t\n\rb", "(1,4)");
    expect("\\x41\\x{42}\\u0043\\U00000044", "ABCD", "(0,4)");
    expect("\\x{e9}", "caf\xc3\xa9", "(3,5)");
    expect("\\x{1F600}", "smile \xf0\x9f\x98\x80!", "(6,10)");
    expect("\\a\\f\\v", "\a\f\v", "(0,3)");
    /* A literal is found wherever it is: the prefilter's rare byte may be in
     * the middle, near the end, or at the very end of the text. */
    expect("needle", "haystack with a needle", "(16,22)");
    expect("zzz", "zz zzz", "(3,6)");
    expect("q", "aaaaq", "(4,5)");
    expect("q", "q", "(0,1)");
    expect("ab", "a", "-");
}

static void test_dot_and_classes(void **state) {
    (void)state;
    expect("a.c", "abc", "(0,3)");
    expect("a.c", "a\nc", "-");
    expect_f("a.c", RX_DOTALL, "a\nc", "(0,3)");
    expect("(?s)a.c", "a\nc", "(0,3)");
    expect("a.c", "a\xc3\xa9" "c", "(0,4)"); /* é is one character */
    expect("^.$", "\xe2\x82\xac", "(0,3)");  /* € */
    expect("^..$", "\xe2\x82\xac", "-");
    expect("[abc]+", "xxbcaz", "(2,5)");
    expect("[a-c]+", "xxbcaz", "(2,5)");
    expect("[^a-c]+", "abxyzc", "(2,5)");
    expect("[]a]+", "x]a]y", "(1,4)");   /* ] first is literal */
    expect("[^]a]", "]ab", "(2,3)");
    expect("[a-]+", "x-a-y", "(1,4)");   /* - last is literal */
    expect("[-a]+", "x-a-y", "(1,4)");
    expect("[\\]\\[]+", "x[]y", "(1,3)");
    expect("[\\-]", "a-b", "(1,2)");
    expect("[\\d\\s]+", "ab1 2c", "(2,5)");
    expect("[^\\d]+", "12ab3", "(2,4)");
    expect("[\\x41-\\x43]+", "xABCD", "(1,4)");
    expect("[α-ω]+", "abc αβγ", "(4,10)");
    expect("[[:alpha:]]+", "12abC3", "(2,5)");
    expect("[[:digit:]]+", "ab123", "(2,5)");
    expect("[[:^digit:]]+", "12ab3", "(2,4)");
    expect("[[:alnum:]_]+", "  a_1 ", "(2,5)");
    expect("[[:space:]]+", "a \t\nb", "(1,4)");
    expect("[[:upper:][:digit:]]+", "abC1Dz", "(2,5)");
    expect("[[:punct:]]+", "ab!?.c", "(2,5)");
    expect("[[:xdigit:]]+", "xyzBEEFg", "(3,7)");
    expect("[[:word:]]+", "  a_1 ", "(2,5)");
    expect("[[:blank:]]+", "a \t\nb", "(1,3)");
    expect("[[:alpha:]]", "\xc3\xa9", "-"); /* POSIX classes are ASCII, as in Rust */
    /* Nested classes and set operations (Rust syntax). */
    expect("[a[xyz]]+", "bxay", "(1,4)");
    expect("[a-z&&[^aeiou]]+", "aeixyzo", "(3,6)");
    expect("[a-z--[aeiou]]+", "aeixyzo", "(3,6)");
    expect("[a-c~~b-d]+", "bcad", "(2,4)"); /* symmetric difference: a and d */
    /* Perl classes are Unicode-aware. */
    expect("\\d+", "ab\xd9\xa3\xd9\xa4" "12", "(2,8)"); /* Arabic-Indic digits */
    expect("\\w+", "  caf\xc3\xa9_1 ", "(2,9)");
    expect("\\W+", "ab, cd", "(2,4)");
    expect("\\s+", "a\xe2\x80\x83\t b", "(1,6)"); /* em space */
    expect("\\S+", "  ab ", "(2,4)");
    expect("\\D", "123a", "(3,4)");
    expect("\\w", "\xe4\xb8\xad", "(0,3)"); /* CJK ideograph is a word character */
}

static void test_anchors(void **state) {
    (void)state;
    expect("^abc", "abc", "(0,3)");
    expect("^abc", "xabc", "-");
    expect("abc$", "xabc", "(1,4)");
    expect("abc$", "abc\n", "-"); /* $ is the end of the text, not before a final \n */
    expect("^$", "", "(0,0)");
    expect("^", "abc", "(0,0)");
    expect("$", "abc", "(3,3)");
    expect("^b", "a\nb", "-");
    expect("(?m)^b", "a\nb", "(2,3)");
    expect("(?m)a$", "a\nb", "(0,1)");
    expect("(?m)^$", "a\n\nb", "(2,2)");
    expect("(?m)^", "ab\n", "(0,0)");
    expect_f("^b", RX_MULTILINE, "a\nb", "(2,3)");
    expect("(?m)\\Ab", "a\nb", "-");
    expect("(?m)a\\z", "a\nb", "-");
    expect("\\Aab\\z", "ab", "(0,2)");
    expect("a|^b", "xb ba", "(4,5)");
    expect("(?:^a|b)c", "xac bc", "(4,6)");
    /* CRLF mode: \r\n ends a line; ^ and $ never fall between \r and \n. */
    expect("(?m)a$", "a\r\nb", "-");
    expect("(?mR)a$", "a\r\nb", "(0,1)");
    expect("(?mR)^b", "a\r\nb", "(3,4)");
    expect("(?mR)^$", "a\r\nb", "-");
    expect("(?R).", "\r", "-");
    expect("(?mR)^c", "a\rc", "(2,3)");
}

static void test_word_boundaries(void **state) {
    (void)state;
    expect("\\bfoo\\b", "afoo foo", "(5,8)");
    expect("\\bfoo\\b", "foo", "(0,3)");
    expect("\\bfoo\\b", "foobar", "-");
    expect("\\Boo\\B", "foo fooo", "(5,7)");
    expect("\\Boo\\B", "foo", "-");
    expect("\\Bo\\B", "foo fooo", "(1,2)");
    expect("\\b", "", "-");
    expect("\\B", "", "(0,0)");
    expect("\\b", "  a", "(2,2)");
    expect("\\bcaf\xc3\xa9\\b", "un caf\xc3\xa9!", "(3,8)");
    expect("\\bcaf\\b", "un caf\xc3\xa9!", "-"); /* é is a word character: no boundary */
    expect("\\<foo\\>", "a foo.", "(2,5)");
    expect("\\<o", "foo o", "(4,5)");
    expect("o\\>", "foo of", "(2,3)");
    expect("\\b{start}x\\b{end}", "ax x", "(3,4)");
    /* Half boundaries (what grep -w uses): only one side is looked at. */
    expect("\\b{start-half}-x", "a-x -x", "(4,6)");
    expect("x-\\b{end-half}", "x-a x-", "(4,6)");
    expect("\\b{start-half}", "", "(0,0)");
}

static void test_candidate(void **state) {
    (void)state;
    rx_prog *p = compile_ok("\\w+ing\\b", 0);
    const char *t = "one\ntwo\nsinging\n";
    assert_int_equal(rx_candidate(p, t, strlen(t), 0), 9); /* s-ing-ing */
    assert_int_equal(rx_candidate(p, t, strlen(t), 10), 12);
    assert_int_equal(rx_candidate(p, t, strlen(t), 13), RX_NOPOS);
    assert_int_equal(rx_candidate(p, t, strlen(t), 99), RX_NOPOS);
    rx_free(p);
    p = compile_ok("\\w|x", 0); /* a branch with no literal: every position may start one */
    assert_int_equal(rx_candidate(p, t, strlen(t), 5), 5);
    rx_free(p);
    /* Alternations: one literal per branch, the first of any. */
    p = compile_ok("(?:ging|two)\\b|\\bne", 0);
    assert_int_equal(rx_candidate(p, t, strlen(t), 0), 1);  /* ne */
    assert_int_equal(rx_candidate(p, t, strlen(t), 2), 4);  /* two */
    assert_int_equal(rx_candidate(p, t, strlen(t), 5), 11); /* ging */
    assert_int_equal(rx_candidate(p, t, strlen(t), 12), RX_NOPOS);
    rx_free(p);
    p = compile_ok("a|b", 0);
    assert_int_equal(rx_candidate(p, t, strlen(t), 0), RX_NOPOS);
    rx_free(p);
}

static void test_alternation_leftmost_first(void **state) {
    (void)state;
    expect("a|b", "cba", "(1,2)");
    expect("a|ab", "ab", "(0,1)");   /* leftmost-first: the first branch wins */
    expect("ab|a", "ab", "(0,2)");
    expect("foo|foobar", "foobar", "(0,3)");
    expect("(?:foo|foobar)$", "foobar", "(0,6)");
    expect("cat|dog|bird", "a bird, a dog", "(2,6)");
    expect("(a|ab)(c|bcd)(d*)", "abcd", "(0,4)(0,1)(1,4)(4,4)");
    expect("|a", "a", "(0,0)");
    expect("a|", "b", "(0,0)");
    expect("x(?:a|b|)y", "xy", "(0,2)");
}

/* RX_LONGEST (awk, sed): POSIX's leftmost-longest for the whole match;
 * expectations from POSIX's rule (the longest of the leftmost matches). */
static void test_alternation_leftmost_longest(void **state) {
    (void)state;
    expect_f("a|ab", RX_LONGEST, "ab", "(0,2)");
    expect_f("foo|foobar", RX_LONGEST, "xfoobar", "(1,7)");
    expect_f("b|bc|bcd", RX_LONGEST, "xabcdx", "(2,5)");
    expect_f("(?:abc)+|x", RX_LONGEST, "yy abcabc x", "(3,9)");
    expect_f("x|abcd|ab", RX_LONGEST, "zabcdx", "(1,5)");   /* leftmost before longest */
    expect_f("bcd|abc", RX_LONGEST, "abcd", "(0,3)");
    expect_f("a*|b", RX_LONGEST, "b", "(0,1)");             /* empty at 0 loses to b at 0 */
    expect_f("(a|ab)(c|bcd)", RX_LONGEST, "abcd", "(0,4)(0,1)(1,4)");
    expect_f("a|ab", RX_LONGEST, "ac", "(0,1)");
    expect_f("a|ab", RX_LONGEST | RX_LITERAL, "xa|ab", "(1,5)");
}

static void test_quantifiers(void **state) {
    (void)state;
    expect("a*", "aaa", "(0,3)");
    expect("a*", "baaa", "(0,0)");
    expect("a+", "baaa", "(1,4)");
    expect("a?", "aa", "(0,1)");
    expect("ba*?", "baaa", "(0,1)");
    expect("ba+?", "baaa", "(0,2)");
    expect("ba??", "baa", "(0,1)");
    expect("a{2}", "aaaa", "(0,2)");
    expect("a{2,}", "aaaa", "(0,4)");
    expect("a{2,3}", "aaaa", "(0,3)");
    expect("a{2,3}?", "aaaa", "(0,2)");
    expect("a{2,}?", "aaaa", "(0,2)");
    expect("a{,2}", "aaa", "(0,2)");
    expect("a{0}b", "ab", "(1,2)");
    expect("a{3}", "aa", "-");
    expect("(?:ab){2}", "abababab", "(0,4)");
    expect("(?x)a{ 2 }", "aa", "(0,2)");
    expect("x.*y", "x1y2y3", "(0,5)");
    expect("x.*?y", "x1y2y3", "(0,3)");
    expect("<.+>", "<a><b>", "(0,6)");
    expect("<.+?>", "<a><b>", "(0,3)");
    expect("(?U)a+", "aaa", "(0,1)");
    expect("(?U)a+?", "aaa", "(0,3)");
    expect_f("a+", RX_UNGREEDY, "aaa", "(0,1)");
    expect("(?:a*)*", "b", "(0,0)");
    expect("(?:a*)+b", "aab", "(0,3)");
    expect("(?:a|b)*c", "ababc", "(0,5)");
    expect("a**", "aa", "(0,2)");   /* a repetition may be repeated (as in Rust) */
    expect("a{2}{2}", "aaaaa", "(0,4)");
    expect("\\d{4}-\\d{2}-\\d{2}", "on 2024-05-17.", "(3,13)");
    expect("^*a", "a", "(0,1)"); /* an assertion may be repeated */
}

static void test_captures(void **state) {
    (void)state;
    expect("(a)(b)?", "a", "(0,1)(0,1)(?,?)");
    expect("(a)|(b)", "b", "(0,1)(?,?)(0,1)");
    expect("(a*)+", "b", "(0,0)(0,0)");
    expect("(a*)*", "b", "(0,0)(?,?)");
    expect("(a|b)*c", "abac", "(0,4)(2,3)");   /* a group keeps its last iteration */
    expect("(a|b)*?c", "abac", "(0,4)(2,3)");
    expect("((a)|b)+", "ab", "(0,2)(1,2)(0,1)");
    expect("(?:(a)|b)+", "ab", "(0,2)(0,1)");  /* a group keeps its last value */
    expect("(\\w+)@(\\w+)\\.com", "mail bob@example.com now", "(5,20)(5,8)(9,16)");
    expect("(?P<year>\\d{4})-(?<month>\\d{2})", "2024-05", "(0,7)(0,4)(5,7)");
    expect("(?:x(y))?z", "z", "(0,1)(?,?)");
    expect("(a)(?:b)(c)", "abc", "(0,3)(0,1)(2,3)");
    expect("(a+)(a+)", "aaaa", "(0,4)(0,3)(3,4)");
    expect("(a+?)(a+)", "aaaa", "(0,4)(0,1)(1,4)");
    expect("(.*)-(.*)", "a-b-c", "(0,5)(0,3)(4,5)");
    expect("(.*?)-(.*)", "a-b-c", "(0,5)(0,1)(2,5)");
    expect("()", "x", "(0,0)(0,0)");
}

static void test_named_groups(void **state) {
    (void)state;
    rx_prog *p = compile_ok("(?P<first>a)(b)(?<third>c)", 0);
    assert_int_equal(rx_group_count(p), 4);
    assert_null(rx_group_name(p, 0));
    assert_string_equal(rx_group_name(p, 1), "first");
    assert_null(rx_group_name(p, 2));
    assert_string_equal(rx_group_name(p, 3), "third");
    assert_null(rx_group_name(p, 4));
    assert_int_equal(rx_group_index(p, "third"), 3);
    assert_int_equal(rx_group_index(p, "first"), 1);
    assert_int_equal(rx_group_index(p, "nope"), -1);
    rx_free(p);
    expect_error("(?P<a>x)(?P<a>y)", 0, "duplicate group name 'a'", 12);
    expect_error("(?P<>x)", 0, "empty group name", 4);
    expect_error("(?P<1a>x)", 0, "invalid character in a group name", 4);
    expect_error("(?P<a", 0, "unclosed group name", 0);
}

static void test_flags(void **state) {
    (void)state;
    expect("(?i)abc", "xABCx", "(1,4)");
    expect_f("abc", RX_ICASE, "xAbCx", "(1,4)");
    expect("a(?i)bc", "ABC aBC", "(4,7)");
    expect("a(?i:b)c", "aBc aBC", "(0,3)");
    expect("(?i:a)b", "AB Ab", "(3,5)");
    expect("((?i)a)b", "AB Ab", "(3,5)(3,4)");     /* (?i) ends with its group */
    expect("(?i)a(?-i)b", "AB Ab", "(3,5)");
    expect("(?i)a|b", "B", "(0,1)");                /* flags reach later branches */
    expect("(?i)[a-c]+", "xAbCx", "(1,4)");
    expect("(?i)[^a]", "Ab", "(1,2)");              /* folded before negation */
    expect("(?i)\\x41", "a", "(0,1)");
    expect("(?x) a b c # comment\n d", "abcd", "(0,4)");
    expect("(?x)a\\ b", "a b", "(0,3)");
    expect("(?x)a\\#b", "a#b", "(0,3)");
    expect("(?x)[a b]+", "ba b", "(0,2)");         /* whitespace ignored in classes too */
    expect("(?x)a b", "a b", "-");
    expect_f("a b", RX_EXTENDED, "ab", "(0,2)");
    expect("(?ims)^A.B$", "x\na\nb", "(2,5)");
    expect("(?u)a", "a", "(0,1)");
    expect("(?s:.)(?-s:.)", "\n\n", "-");
    expect("(?s:.)(?-s:.)", "\nx", "(0,2)");
}

static void test_case_folding(void **state) {
    (void)state;
    /* Unicode simple case folding (CaseFolding.txt C+S): Latin-1, Latin
     * Extended, Greek, Cyrillic, and the orbits of k (Kelvin sign) and s
     * (long s). */
    expect("(?i)caf\xc3\xa9", "CAF\xc3\x89", "(0,5)");            /* é / É */
    expect("(?i)\xc3\xbf", "\xc5\xb8", "(0,2)");                   /* ÿ / Ÿ */
    expect("(?i)\xce\xb1\xce\xb2\xce\xb3", "\xce\x91\xce\x92\xce\x93", "(0,6)"); /* αβγ */
    expect("(?i)\xcf\x83", "\xcf\x82", "(0,2)");                   /* σ / ς */
    expect("(?i)\xd0\xbf\xd1\x80\xd0\xb8", "\xd0\x9f\xd0\xa0\xd0\x98", "(0,6)"); /* при */
    expect("(?i)k", "\xe2\x84\xaa", "(0,3)");                      /* Kelvin sign */
    expect("(?i)\xe2\x84\xaa", "K", "(0,1)");
    expect("(?i)s", "\xc5\xbf", "(0,2)");                          /* long s */
    expect("(?i)[k]", "\xe2\x84\xaa", "(0,3)");
    expect("(?i)[a-z]+", "\xe2\x84\xaa\xc5\xbf", "(0,5)");
    expect("(?i)stra\xc3\x9f" "e", "STRASSE STRA\xc3\x9f" "E", "(8,15)"); /* ß is not SS */
    expect("(?i)\xc4\xb1", "I", "-");                              /* dotless ı folds to nothing */
    expect("\xc3\xa9", "\xc3\x89", "-");                           /* no folding without (?i) */
    expect("(?i)\\w+", "\xc3\x89t\xc3\xa9", "(0,5)");
    expect("(?i)\\W", "k\xe2\x84\xaa!", "(4,5)");
    expect("(?i)[^k]", "k\xe2\x84\xaaKx", "(5,6)");
}

static void test_invalid_utf8_haystack(void **state) {
    (void)state;
    /* Bytes that are not valid UTF-8 are characters of their own: literals
     * never match them, . and negated classes do, \b sees them as non-word. */
    expect_n("foo", 0, "\xff" "foo", 4, "(1,4)");
    expect_n("a.b", 0, "a\xff" "b", 3, "(0,3)");
    expect_n("a[^x]b", 0, "a\xc3" "b", 3, "(0,3)");     /* truncated sequence */
    expect_n("a.b", 0, "a\xc3\xa9" "b", 4, "(0,4)");
    expect_n("a..b", 0, "a\xe2\x82" "b", 4, "(0,4)");   /* two lone bytes */
    expect_n("^.$", 0, "\xed\xa0\x80", 3, "-");         /* a surrogate is three bytes */
    expect_n("^...$", 0, "\xed\xa0\x80", 3, "(0,3)");
    expect_n("^..$", 0, "\xc0\xaf", 2, "(0,2)");        /* overlong / */
    expect_n("/", 0, "\xc0\xaf", 2, "-");
    expect_n("\\bx\\b", 0, "\xff" "x\xff", 3, "(1,2)");
    expect_n("\\w+", 0, "a\x80" "b", 3, "(0,1)");
    expect_n("\\W", 0, "a\x80" "b", 3, "(1,2)");
    expect_n("[a-z]+", 0, "\xf4\x90\x80\x80" "ab", 6, "(4,6)"); /* past U+10FFFF */
    expect_n("\xc3\xa9", 0, "\xc3\xc3\xa9", 3, "(1,3)");
    expect_n("x*", 0, "\xf0\x9f\x98", 3, "(0,0)");
    /* NUL bytes are ordinary characters. */
    expect_n("a\\x00b", 0, "za\0b", 4, "(1,4)");
    expect_n("a.b", 0, "a\0b", 3, "(0,3)");
}

static void test_errors(void **state) {
    (void)state;
    expect_error("(a)\\1", 0, "backreferences (\\1) are not supported", 3);
    expect_error("(?P<n>a)(?P=n)", 0, "backreferences (?P=name) are not supported", 8);
    expect_error("\\k<n>", 0, "backreferences (\\k<name>) are not supported", 0);
    expect_error("a(?=b)", 0, "look-ahead (?=...) is not supported", 1);
    expect_error("a(?!b)", 0, "look-ahead (?!...) is not supported", 1);
    expect_error("(?<=a)b", 0, "look-behind (?<=...) is not supported", 0);
    expect_error("(?<!a)b", 0, "look-behind (?<!...) is not supported", 0);
    expect_error("(?>a)", 0, "atomic groups", 0);
    expect_error("(ab", 0, "unclosed group", 0);
    expect_error("x(?:ab", 0, "unclosed group", 1);
    expect_error("ab)", 0, "unmatched )", 2);
    expect_error("[ab", 0, "unclosed character class", 0);
    expect_error("x[", 0, "unclosed character class", 1);
    expect_error("[z-a]", 0, "invalid class range", 1);
    expect_error("[a-\\d]", 0, "a class range must end with a single character", 3);
    expect_error("*a", 0, "nothing to repeat", 0);
    expect_error("a|+", 0, "nothing to repeat", 2);
    expect_error("(?i)*", 0, "nothing to repeat", 4);
    expect_error("a{2", 0, "unclosed counted repetition", 1);
    expect_error("a{x}", 0, "invalid counted repetition", 1);
    expect_error("a{3,2}", 0, "min > max", 1);
    expect_error("a{ 2 }", 0, "invalid counted repetition", 1); /* spaces only with (?x) */
    expect_error("a{1000000}", 0, "repetition count is larger than 100000", 2);
    expect_error("{", 0, "nothing to repeat", 0);
    expect_error("a\\", 0, "lone backslash", 1);
    expect_error("\\q", 0, "unrecognized escape \\q", 0);
    expect_error("\\pL", 0, "Unicode property classes", 0);
    expect_error("\\p{Greek}", 0, "not supported", 0);
    expect_error("\\Z", 0, "\\Z is not supported", 0);
    expect_error("\\0", 0, "octal escapes are not supported", 0);
    expect_error("\\x{110000}", 0, "not a Unicode scalar value", 0);
    expect_error("\\x{D800}", 0, "not a Unicode scalar value", 0);
    expect_error("\\xZZ", 0, "hexadecimal escape needs 2 hex digits", 2);
    expect_error("\\x{41", 0, "unclosed hexadecimal escape", 0);
    expect_error("(?z)", 0, "unknown group flag 'z'", 2);
    expect_error("(?i-)", 0, "with no flag after it", 3);
    expect_error("(?ii)", 0, "flag 'i' given twice", 3);
    expect_error("(?)", 0, "empty flag group", 0);
    expect_error("(?-u)", 0, "(?-u) is not supported", 3);
    expect_error("[[:foo:]]", 0, "unknown POSIX class [:foo:]", 1);
    expect_error("a\xff", 0, "not valid UTF-8", 1);
    expect_error("[\\b]", 0, "\\b (word boundary) cannot be used inside a class", 1);
    expect_error("\\\xc3\xa9", 0, "escape of a non-ASCII character", 0);
}

static void test_limits(void **state) {
    (void)state;
    /* The size is computed before emitting: these fail fast, allocating nothing big. */
    expect_error("a{1000}{1000}", 0, "pattern too large", 0);
    expect_error("(?:a{100}){100}{100}", 0, "pattern too large", 0);
    expect_error("\\w{50000}\\w{50001}", 0, "pattern too large", 0);
    expect_error("((((((((((a{10}){10}){10}){10}){10}){10}){10}){10}){10}){10})", 0,
                 "pattern too large", 0);
    /* Just under the limit compiles. */
    rx_prog *p = compile_ok("a{99990}", 0);
    assert_true(rx_program_size(p) <= RX_MAX_INSTS);
    rx_free(p);
    /* Nesting depth. */
    char deep[2 * 300 + 2];
    for (int i = 0; i < 300; i++) deep[i] = '(', deep[300 + 1 + i] = ')';
    deep[300] = 'a';
    deep[601] = 0;
    expect_error(deep, 0, "more than 250 deep", 250);
    char stacked[3 * 400 + 2] = "a";
    for (int i = 0; i < 400; i++) strcat(stacked, "{1}");
    expect_error(stacked, 0, "more than 250 deep", 0);
    char classes[2 * 40 + 2];
    for (int i = 0; i < 40; i++) classes[i] = '[', classes[40 + 1 + i] = ']';
    classes[40] = 'a';
    classes[81] = 0;
    expect_error(classes, 0, "classes nest more than 32 deep", 33);
    classes[33] = 'a', classes[34] = 0; /* 33 [ with a: unclosed, but deep enough */
    expect_error(classes + 1, 0, "unclosed character class", 31);
    /* Capture slots: many groups times many instructions. */
    char *many = malloc(3 * 2000 + 40);
    strcpy(many, "(?:");
    for (int i = 0; i < 2000; i++) strcat(many, "(a)");
    strcat(many, "){10}");
    expect_error(many, 0, "capture groups", 0);
    free(many);
}

/* A hostile pattern against texts of growing size: the step count must grow
 * linearly (doubling the text at most doubles the steps, plus slack) and
 * stay under the VM's bound of about 2 x instructions per character. */
static void expect_linear(const char *pat, char fill, const char *tail) {
    uint64_t prev = 0;
    for (size_t n = 2000; n <= 32000; n *= 4) {
        size_t tl = strlen(tail);
        char *t = malloc(n + tl + 1);
        memset(t, fill, n);
        memcpy(t + n, tail, tl + 1);
        rx_prog *p = compile_ok(pat, 0);
        rx_span m;
        (void)rx_search(p, t, n + tl, 0, &m, 1);
        uint64_t steps = rx_steps(p);
        uint64_t bound = 2 * (uint64_t)rx_program_size(p) * (n + tl + 1) + 64;
        if (steps > bound)
            fail_msg("/%s/ on %zu bytes: %llu steps, over the bound %llu", pat, n + tl,
                     (unsigned long long)steps, (unsigned long long)bound);
        if (prev && steps > 4 * prev + 4 * prev / 10)
            fail_msg("/%s/: %llu steps on %zu bytes after %llu on a quarter of it", pat,
                     (unsigned long long)steps, n + tl, (unsigned long long)prev);
        prev = steps;
        /* rx_is_match is bounded the same way. */
        uint64_t before = rx_steps(p);
        (void)rx_is_match(p, t, n + tl);
        if (rx_steps(p) - before > bound)
            fail_msg("/%s/ is_match on %zu bytes: over the bound", pat, n + tl);
        rx_free(p);
        free(t);
    }
}

static void test_hostile_patterns_linear(void **state) {
    (void)state;
    /* Each of these takes exponential time in a backtracking engine. */
    expect_linear("(a+)+$", 'a', "b");
    expect_linear("(a|a)*b", 'a', "c");
    expect_linear("(x+x+)+y", 'x', "");
    expect_linear("(a*)*b", 'a', "");
    expect_linear("((a+)*)+c", 'a', "b");
    expect_linear("(a|aa)+$", 'a', "!");
    expect_linear("(.*a){12}", 'a', "x");
    expect_linear("(?:a?){30}a{30}", 'a', "");
    expect_linear("^(\\w+\\s?)*$", 'a', "!");
    expect_linear("(\\d+|\\w+)*;", '1', "");
    expect_linear("a{30}{10}b", 'a', "");
    /* And the results are right. */
    expect("(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "-");
    expect("(x+x+)+y", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxy", "(0,35)(0,34)");
    expect("(a|a)*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", "-");
}

static void test_search_from(void **state) {
    (void)state;
    rx_prog *p = compile_ok("\\bfoo", 0);
    char got[64];
    /* Context before the start offset is seen: "xfoo" from 1 has no \b. */
    run_fmt(p, "xfoo foo", 8, 1, got, sizeof got);
    assert_string_equal(got, "(5,8)");
    rx_free(p);
    p = compile_ok("^a", 0);
    run_fmt(p, "aaa", 3, 1, got, sizeof got); /* ^ is the start of the text */
    assert_string_equal(got, "-");
    rx_free(p);
    p = compile_ok("(?m)^a", 0);
    run_fmt(p, "a\na", 3, 1, got, sizeof got);
    assert_string_equal(got, "(2,3)");
    rx_free(p);
    p = compile_ok("a", 0);
    run_fmt(p, "aaa", 3, 3, got, sizeof got);
    assert_string_equal(got, "-");
    run_fmt(p, "aaa", 3, 4, got, sizeof got); /* past the end: no match, no crash */
    assert_string_equal(got, "-");
    rx_free(p);
    p = compile_ok("", 0);
    run_fmt(p, "aaa", 3, 3, got, sizeof got);
    assert_string_equal(got, "(3,3)");
    rx_free(p);
}

/* All matches of pat in text via rx_find_next, as "(s,e)(s,e)...". */
static void expect_all(const char *pat, const char *text, const char *want) {
    rx_prog *p = compile_ok(pat, 0);
    rx_iter it = RX_ITER_INIT;
    rx_span m;
    char got[512] = "";
    size_t w = 0, len = strlen(text);
    while (rx_find_next(p, text, len, &it, &m, 1))
        w += (size_t)snprintf(got + w, sizeof got - w, "(%zu,%zu)", m.start, m.end);
    if (strcmp(got, want) != 0) fail_msg("/%s/ all in \"%s\": got %s, want %s", pat, text, got, want);
    rx_free(p);
}

static void test_find_all(void **state) {
    (void)state;
    expect_all("a", "banana", "(1,2)(3,4)(5,6)");
    expect_all("ana", "banana", "(1,4)");
    /* Empty matches: not right after a previous match (Rust's find_iter,
     * sed's s///g: "baaa" with s/a*\/X/g gives XbX). */
    expect_all("a*", "baaa", "(0,0)(1,4)");
    expect_all("a*", "", "(0,0)");
    expect_all("", "ab", "(0,0)(1,1)(2,2)");
    expect_all("x*", "\xc3\xa9\xc3\xa9", "(0,0)(2,2)(4,4)"); /* steps over whole characters */
    expect_all("\\b", "ab cd", "(0,0)(2,2)(3,3)(5,5)");
    expect_all("a|", "aba", "(0,1)(2,3)");
    expect_all("\\d+", "a1b22c333", "(1,2)(3,5)(6,9)");
    expect_all("(?m)^", "a\nb\n", "(0,0)(2,2)(4,4)");
}

static void test_literal_flag(void **state) {
    (void)state;
    expect_f("a.b*(c)", RX_LITERAL, "xa.b*(c)", "(1,8)");
    expect_f("a.b", RX_LITERAL, "axb", "-");
    expect_f("A.B", RX_LITERAL | RX_ICASE, "xa.b", "(1,4)");
    expect_f("\\d", RX_LITERAL, "1\\d", "(1,3)");
    expect_f("", RX_LITERAL, "x", "(0,0)");
    rx_prog *p = compile_ok("(x)", RX_LITERAL);
    assert_int_equal(rx_group_count(p), 1);
    rx_free(p);
}

/* The literal fast paths agree with the VM: a pattern and the same pattern
 * with a capture group (which takes the VM path) find the same spans on many
 * generated texts. */
static void test_fast_paths_agree(void **state) {
    (void)state;
    static const char *const pats[] = {"ab", "aab", "(?i)ab", "ba", "b\\b", "a+b", "abab",
                                       "(?i)B", "bb|ab", "\\bab"};
    uint32_t seed = 12345;
    for (size_t k = 0; k < sizeof pats / sizeof pats[0]; k++) {
        char grouped[64];
        snprintf(grouped, sizeof grouped, "(%s)", pats[k]);
        rx_prog *fast = compile_ok(pats[k], 0), *slow = compile_ok(grouped, 0);
        for (int round = 0; round < 300; round++) {
            char t[24];
            size_t n = (size_t)(round % 23);
            for (size_t i = 0; i < n; i++) {
                seed = seed * 1103515245u + 12345u;
                t[i] = "abAB "[(seed >> 16) % 5];
            }
            for (size_t start = 0; start <= n; start += 3) {
                rx_span a, b[2];
                int ra = rx_search(fast, t, n, start, &a, 1);
                int rb = rx_search(slow, t, n, start, b, 2);
                if (ra != rb || (ra && (a.start != b[0].start || a.end != b[0].end)))
                    fail_msg("/%s/ on \"%.*s\" from %zu: fast %d (%zu,%zu), vm %d (%zu,%zu)",
                             pats[k], (int)n, t, start, ra, a.start, a.end, rb, b[0].start,
                             b[0].end);
                assert_int_equal(rx_is_match(fast, t, n), rx_is_match(slow, t, n));
            }
        }
        rx_free(fast);
        rx_free(slow);
    }
}

/* Horspool's skip loop (chosen for literals of 8+ bytes whose bytes are
 * rare in code and prose) finds what the VM finds: texts made of the
 * literal's own bytes, so windows often almost match, shifts are short and
 * the last byte often matches; a literal past the 255-byte shift cap; ASCII
 * case-insensitive positions. */
/* Makes the pair skip's table of p's literals (it is made on the first
 * search of a text of 4 KiB or more), so that the shorter texts after it
 * go through the pair loop too. */
static void warm_pairs(rx_prog *p) {
    static char filler[5000];
    memset(filler, '.', sizeof filler);
    rx_span m;
    assert_int_equal(rx_search(p, filler, sizeof filler, 0, &m, 1), 0);
    assert_true(p->prefix.pair_shift || (p->ninner && p->inner[0].pair_shift));
}

static void test_skip_loop_agrees(void **state) {
    (void)state;
    char longlit[301];
    longlit[0] = 'Q';
    memset(longlit + 1, 'K', 298);
    longlit[299] = 'Z', longlit[300] = 0;
    const char *const pats[] = {"QZXJQZXJ", "ZQXJVWKY", "(?i)QZXJVWYQ" /* no K or S: their folds include non-ASCII letters */, "XJQQXJQX", longlit};
    /* A window that ends with the last byte but fails moves on only as far
     * as the last byte's previous place in the literal allows. */
    expect("QZXJQZXJ", "qZXJQZXJQZXJ", "(4,12)");
    expect("XJQQXJQX", "XJQQXJQQXJQX", "(4,12)");
    expect("XJQQXJQX", "XJQQXJQXJQQXJQX", "(0,8)");
    expect("XJQQXJQX", "xXJQQXJQXJQQXJQX", "(1,9)");
    uint32_t seed = 777;
    for (size_t k = 0; k < sizeof pats / sizeof pats[0]; k++) {
        const char *lit = pats[k][0] == '(' ? pats[k] + 4 : pats[k];
        size_t m = strlen(lit);
        rx_prog *fast = compile_ok(pats[k], 0);
        assert_true(fast->prefix.skip || (fast->ninner && fast->inner[0].skip));
        warm_pairs(fast);
        char *grouped = malloc(m + 16);
        snprintf(grouped, m + 16, "(%s)", pats[k]);
        rx_prog *slow = compile_ok(grouped, 0);
        char t[700];
        for (int round = 0; round < 400; round++) {
            size_t n = (size_t)(round * 7) % sizeof t;
            for (size_t i = 0; i < n; i++) {
                seed = seed * 1103515245u + 12345u;
                uint32_t r = seed >> 16;
                char c = r % 9 == 0 ? ' ' : lit[r % m];
                t[i] = r % 5 == 0 ? (char)(c | 0x20) : c; /* some lower case */
            }
            if (n > m && round % 3 == 0) memcpy(t + n - m, lit, m); /* one at the very end */
            for (size_t start = 0; start <= n; start += 5) {
                rx_span a, b[2];
                int ra = rx_search(fast, t, n, start, &a, 1);
                int rb = rx_search(slow, t, n, start, b, 2);
                if (ra != rb || (ra && (a.start != b[0].start || a.end != b[0].end)))
                    fail_msg("/%.20s/ (%zu bytes) from %zu in %zu bytes: fast %d (%zu,%zu), vm %d",
                             pats[k], m, start, n, ra, a.start, a.end, rb);
            }
        }
        rx_free(fast);
        rx_free(slow);
        free(grouped);
    }
    /* Still about one step a byte on text made of the long literal's middle
     * byte (a shift of 1 each time) and of its last byte (a compare each
     * time, failing at once on the anchor byte). */
    size_t n = 1 << 20;
    char *t = malloc(n);
    for (int fill = 0; fill < 2; fill++) {
        memset(t, fill ? 'Z' : 'K', n);
        rx_prog *p = compile_ok(longlit, 0);
        assert_int_equal(rx_is_match(p, t, n), 0);
        assert_true(rx_steps(p) <= 2 * n);
        rx_free(p);
    }
    free(t);
}

/* A plain literal search over a long text costs about one step a byte (the
 * literal scan), not a VM run per position. */
static void test_literal_scan_cost(void **state) {
    (void)state;
    size_t n = 1 << 20;
    char *t = malloc(n);
    for (size_t i = 0; i < n; i++) t[i] = "abcdefgh \n"[i % 10];
    memcpy(t + n - 6, "needle", 6);
    rx_prog *p = compile_ok("needle", 0);
    rx_span m;
    assert_int_equal(rx_search(p, t, n, 0, &m, 1), 1);
    assert_int_equal(m.start, n - 6);
    assert_true(rx_steps(p) <= 2 * n);
    rx_free(p);
    /* All matches of an alternation whose other literal never occurs: the
     * literal search looks only as far as the next occurrence (doubling
     * windows), not to the end each time. */
    p = compile_ok("ab|zzz", 0);
    char *many = malloc(n);
    for (size_t i = 0; i < n; i++) many[i] = "ab  "[i % 4];
    rx_iter it = RX_ITER_INIT;
    size_t count = 0;
    while (rx_find_next(p, many, n, &it, &m, 1)) count++;
    assert_int_equal(count, n / 4);
    assert_true(rx_steps(p) <= 40 * n);
    rx_free(p);
    free(many);
    /* A literal inside a pattern rejects texts without it, unsearched by the VM. */
    p = compile_ok("\\w+needle\\d", 0);
    t[n - 1] = 'x';
    assert_int_equal(rx_is_match(p, t, n), 0);
    assert_true(rx_steps(p) <= 2 * n);
    rx_free(p);
    free(t);
}

/* The first of several literals, found in one pass over their anchor bytes
 * (regex_anchors.c), is where a search of each literal on its own finds the
 * leftmost one: random alternations of 2-8 literals of 1-6 bytes over a
 * small alphabet (so hits, near misses and overlaps are common, and anchors
 * sit at different offsets), with and without (?i), on random texts from
 * every offset. The expected value is computed here, byte by byte. */
static int lit_at_fold(const char *lit, size_t n, const char *t, int icase) {
    for (size_t i = 0; i < n; i++) {
        char a = lit[i], b = t[i];
        if (icase && a >= 'A' && a <= 'Z') a = (char)(a + 32);
        if (icase && b >= 'A' && b <= 'Z') b = (char)(b + 32);
        if (a != b) return 0;
    }
    return 1;
}

static void test_literals_one_pass(void **state) {
    (void)state;
    uint32_t seed = 7;
#define RND(m) (seed = seed * 1103515245u + 12345u, (seed >> 16) % (m))
    const char *alpha = "abAByz_\n";
    for (int round = 0; round < 3000; round++) {
        int icase = round % 3 == 0;
        size_t nlits = 2 + RND(7), lens[8];
        char lits[8][16], pat[160];
        size_t w = 0;
        /* some rounds: literals with a non-ASCII letter (U+00E9, two bytes
         * >= 0x80: an anchor byte the ASCII word test cannot take) */
        int wide = !icase && round % 4 == 1;
        for (size_t k = 0; k < nlits; k++) {
            size_t n = 1 + RND(6);
            lens[k] = 0;
            for (size_t i = 0; i < n; i++) {
                if (wide && RND(3) == 0) {
                    lits[k][lens[k]++] = '\xc3';
                    lits[k][lens[k]++] = '\xa9';
                } else {
                    lits[k][lens[k]++] = "abABxyz"[RND(7)];
                }
            }
            if (k) pat[w++] = '|';
            memcpy(pat + w, lits[k], lens[k]);
            w += lens[k];
        }
        pat[w] = 0;
        char text[200];
        size_t len = RND(sizeof text);
        /* odd rounds: bytes >= 0x80 in the text too (words the ASCII test
         * cannot pass, which the exact test decides) */
        for (size_t i = 0; i < len; i++) text[i] = round % 2 ? "ab\x80\xc3\xa9y\xffz"[RND(8)] : alpha[RND(8)];
        rx_prog *p = compile_ok(pat, icase ? RX_ICASE : 0);
        for (size_t from = 0; from <= len + 1; from++) {
            size_t want = RX_NOPOS;
            for (size_t st = from; st < len && want == RX_NOPOS; st++)
                for (size_t k = 0; k < nlits; k++)
                    if (lens[k] <= len - st && lit_at_fold(lits[k], lens[k], text + st, icase)) {
                        want = st;
                        break;
                    }
            size_t got = rx_candidate(p, text, len, from);
            if (got != want)
                fail_msg("/%s/%s on \"%.*s\" from %zu: candidate %zu, want %zu", pat,
                         icase ? "i" : "", (int)len, text, from, got, want);
        }
        rx_free(p);
    }
#undef RND
}

/* Searches helped by the lazily built DFAs (regex_dfa.c: the yes/no
 * answer, and where the leftmost match starts) agree with the VM alone,
 * spans and groups, leftmost-first and leftmost-longest: random
 * patterns without assertions over a small alphabet, on random texts (some
 * with a non-ASCII byte, which the DFA leaves to the VM), from every start;
 * and a pattern with more states than the DFA keeps still gets answers. */
static void test_dfa_agrees_with_vm(void **state) {
    (void)state;
    static const char *const atoms[] = {"a", "b", "[ab]", "[^a]", ".", "x", "(a|b)", "a*", "b+",
                                        "c?", "(?:ab|ba)*", "[a-c]{2,3}", "\\d", "\\w", "\\s",
                                        "(?i)B", "\\n", "[^\\n]+", "a{2}"};
    const size_t natoms = sizeof atoms / sizeof *atoms;
    uint32_t seed = 11;
#define RND(m) (seed = seed * 1103515245u + 12345u, (seed >> 16) % (m))
    for (int round = 0; round < 2000; round++) {
        char pat[128];
        size_t w = 0, nalt = 1 + RND(2);
        for (size_t a = 0; a < nalt; a++) {
            if (a) pat[w++] = '|';
            for (size_t k = 1 + RND(4); k > 0; k--) {
                const char *at = atoms[RND(natoms)];
                memcpy(pat + w, at, strlen(at));
                w += strlen(at);
            }
        }
        pat[w] = 0;
        unsigned flags = round % 4 == 3 ? RX_LONGEST : 0;
        rx_prog *p = compile_ok(pat, flags);
        rx_prog *vm = compile_ok(pat, flags);
        vm->dfa_off = 1; /* the reference: the VM alone */
        size_t ng = rx_group_count(p) < 4 ? rx_group_count(p) : 4;
        for (int t = 0; t < 20; t++) {
            char text[40];
            size_t len = RND(sizeof text);
            for (size_t i = 0; i < len; i++) text[i] = "abcx1 \nB"[RND(8)];
            if (len && RND(8) == 0) text[RND(len)] = (char)0xC3;
            for (size_t start = 0; start <= len; start += 1 + RND(4)) {
                rx_span m[4], want[4];
                int got = rx_search(p, text, len, start, m, ng);
                int ref = rx_search(vm, text, len, start, want, ng);
                int yes = rx_search(p, text, len, start, NULL, 0);
                if (yes != ref || got != ref)
                    fail_msg("/%s/ on \"%.*s\" from %zu: yes/no search %d, with spans %d, VM %d", pat,
                             (int)len, text, start, yes, got, ref);
                for (size_t g = 0; g < ng; g++)
                    if (m[g].start != want[g].start || m[g].end != want[g].end)
                        fail_msg("/%s/%s on \"%.*s\" from %zu: group %zu (%zu,%zu), VM (%zu,%zu)", pat,
                                 flags ? " (longest)" : "", (int)len, text, start, g, m[g].start,
                                 m[g].end, want[g].start, want[g].end);
            }
        }
        rx_free(p);
        rx_free(vm);
    }
#undef RND
    /* Starts whose threads live to the end of the text (a[^z]*z never ends
     * on "aaaa...b" nor on "abab...") are not followed past the budget: a
     * search costs the DFAs no more than a bounded amount a byte on top of
     * what the VM alone spends (following each 'a' to the end would make
     * the first text quadratic for the DFAs alone). Same matches as the VM. */
    for (int shape = 0; shape < 2; shape++) {
        size_t n = 4000;
        char *t = malloc(n);
        for (size_t i = 0; i < n; i++) t[i] = shape ? "ab"[i % 2] : 'a';
        t[n - 1] = 'b';
        rx_prog *fast = compile_ok("a[^z]*z|b", 0), *slow = compile_ok("a[^z]*z|b", 0);
        slow->dfa_off = 1;
        rx_iter it1 = RX_ITER_INIT, it2 = RX_ITER_INIT;
        rx_span m1, m2;
        size_t count = 0;
        for (;;) {
            int a = rx_find_next(fast, t, n, &it1, &m1, 1), b = rx_find_next(slow, t, n, &it2, &m2, 1);
            assert_int_equal(a, b);
            if (!a) break;
            assert_int_equal(m1.start, m2.start);
            assert_int_equal(m1.end, m2.end);
            count++;
        }
        assert_int_equal(count, shape ? n / 2 : 1);
        if (rx_steps(fast) > rx_steps(slow) + 20 * n + 200 * count)
            fail_msg("a[^z]*z|b on %s: %llu steps with the DFAs, %llu without", shape ? "abab..." : "aaaa...b",
                     (unsigned long long)rx_steps(fast), (unsigned long long)rx_steps(slow));
        rx_free(fast);
        rx_free(slow);
        free(t);
    }
    /* 2^10 states: the DFA gives up on it and the VM answers. */
    rx_prog *p = compile_ok("(a|b)*a(a|b){9}c", 0);
    char text[4096];
    uint32_t s2 = 5;
    for (size_t i = 0; i < sizeof text; i++) text[i] = (s2 = s2 * 1103515245u + 12345u) >> 20 & 1 ? 'a' : 'b';
    assert_int_equal(rx_is_match(p, text, sizeof text), 0);
    memcpy(text + 2000, "abbbbbbbbbc", 11);
    assert_int_equal(rx_is_match(p, text, sizeof text), 1);
    rx_free(p);
}

static void test_memchr(void **state) {
    (void)state;
    uint8_t buf[80];
    uint32_t seed = 99;
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < sizeof buf; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = (uint8_t)("ab\n\0\x80\xff"[(seed >> 16) % 6]);
        }
        for (size_t off = 0; off < 9; off++)
            for (size_t n = 0; off + n <= sizeof buf; n++)
                for (int c = 0; c < 6; c++) {
                    int ch = (uint8_t)"ab\n\0\x80\xff"[c];
                    assert_ptr_equal(rx_memchr(buf + off, ch, n), memchr(buf + off, ch, n));
                }
    }
}

/* The pair skip loop (literals of 7+ bytes) against a compare at every
 * start, written here: literals and texts over two or three letters, so
 * their pairs recur in the literal (short and repeated shifts, the shift
 * after a failed window), in both cases with (?i), matches at the very
 * start and end of the text and across every 8-byte boundary, texts
 * shorter than the literal, and searches from every offset. */
static size_t naive_find(const char *lit, size_t m, int fold, const char *t, size_t n,
                         size_t from) {
    for (size_t at = from; at + m <= n; at++) {
        size_t i = 0;
        while (i < m && (fold ? (t[at + i] | 0x20) == (lit[i] | 0x20) : t[at + i] == lit[i])) i++;
        if (i == m) return at;
    }
    return (size_t)-1;
}

static void test_pair_skip_agrees(void **state) {
    (void)state;
    /* A window whose last pair ends the literal but fails moves on only as
     * far as that pair's other places allow: "ab" ends ababab (shift 2 for
     * its place at 4, after "ab" at the text's 6..7 fails). */
    expect("abababx", "abababababx", "(4,11)");
    expect("xyzxyzxy", "xyzxyzxyzxyzxy", "(0,8)");
    expect("xyzxyzxy", "_xyzxyzxxyzxyzxy", "(8,16)");
    expect_f("(?i)aBcDeFgH", 0, "xxABCDEFGHxx", "(2,10)");
    expect("abcdefg", "abcdef", "-");
    expect("abcdefg", "abcdefg", "(0,7)");
    /* the table is made on the first text of 4 KiB or more, not before */
    rx_prog *lazy = compile_ok("abcdefgh", 0);
    char small[100];
    memset(small, 'x', sizeof small);
    memcpy(small + 90, "abcdefgh", 8);
    rx_span sp;
    assert_int_equal(rx_search(lazy, small, sizeof small, 0, &sp, 1), 1);
    assert_int_equal(sp.start, 90);
    assert_null(lazy->prefix.pair_shift);
    warm_pairs(lazy);
    assert_int_equal(rx_search(lazy, small, sizeof small, 0, &sp, 1), 1);
    assert_int_equal(sp.start, 90);
    rx_free(lazy);
    uint32_t seed = 4242;
    char lit[40], pat[48], t[300];
    for (int round = 0; round < 600; round++) {
        seed = seed * 1103515245u + 12345u;
        size_t m = 7 + (seed >> 16) % 24;
        int fold = round % 4 == 3;
        const char *alpha = round % 2 ? "ab" : "abc";
        size_t na = strlen(alpha);
        for (size_t i = 0; i < m; i++) {
            seed = seed * 1103515245u + 12345u;
            lit[i] = alpha[(seed >> 16) % na];
            if (fold && (seed >> 20) % 2) lit[i] = (char)(lit[i] - 'a' + 'A');
        }
        lit[m] = 0;
        snprintf(pat, sizeof pat, "%s%s", fold ? "(?i)" : "", lit);
        rx_prog *p = compile_ok(pat, 0);
        assert_true(p->prefix.skip || (p->ninner && p->inner[0].skip));
        warm_pairs(p);
        for (int text = 0; text < 4; text++) {
            seed = seed * 1103515245u + 12345u;
            size_t n = (seed >> 16) % sizeof t;
            for (size_t i = 0; i < n; i++) {
                seed = seed * 1103515245u + 12345u;
                t[i] = alpha[(seed >> 16) % na];
                if (fold && (seed >> 21) % 2) t[i] = (char)(t[i] - 'a' + 'A');
            }
            if (n >= m && text == 1) memcpy(t + n - m, lit, m); /* at the very end */
            if (n >= m && text == 2) memcpy(t, lit, m);         /* at the start */
            for (size_t from = 0; from <= n; from++) {
                size_t want = naive_find(lit, m, fold, t, n, from);
                rx_span got;
                int r = rx_search(p, t, n, from, &got, 1);
                if (r != (want != (size_t)-1) || (r && got.start != want))
                    fail_msg("/%s/ in %zu bytes from %zu: %d at %zu, want %zu", pat, n, from, r,
                             r ? got.start : 0, want);
            }
        }
        rx_free(p);
    }
}

/* rx_has_nul against memchr: a NUL at every offset (so across every 8-byte
 * and 32-byte boundary and in the tail), bytes >= 0x80 beside it or alone
 * (the blocks that take the exact test), ASCII that borrows nowhere. */
static void test_has_nul(void **state) {
    (void)state;
    uint8_t buf[200];
    for (size_t n = 0; n <= 130; n++)
        for (size_t off = 0; off < 9; off++) {
            memset(buf, 'a', sizeof buf);
            assert_int_equal(rx_has_nul(buf + off, n), 0);
            for (size_t z = 0; z < n; z++) {
                buf[off + z] = 0;
                assert_int_equal(rx_has_nul(buf + off, n), 1);
                buf[off + z] = 'a';
            }
            if (off + n < sizeof buf) { /* one past the end is not looked at */
                buf[off + n] = 0;
                assert_int_equal(rx_has_nul(buf + off, n), 0);
                buf[off + n] = 'a';
            }
        }
    uint32_t seed = 31;
    for (int round = 0; round < 3000; round++) {
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        n = (seed >> 16) % sizeof buf;
        for (size_t i = 0; i < sizeof buf; i++) {
            seed = seed * 1103515245u + 12345u;
            uint32_t r = (seed >> 16) % 1000;
            buf[i] = r < 2 ? 0 : r < 60 ? (uint8_t)(0x80 + r) : r < 70 ? 1 : r < 80 ? 0xFF : (uint8_t)(' ' + r % 90);
        }
        assert_int_equal(rx_has_nul(buf, n), memchr(buf, 0, n) != NULL);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_dot_and_classes),
        cmocka_unit_test(test_anchors),
        cmocka_unit_test(test_word_boundaries),
        cmocka_unit_test(test_alternation_leftmost_first),
        cmocka_unit_test(test_alternation_leftmost_longest),
        cmocka_unit_test(test_quantifiers),
        cmocka_unit_test(test_captures),
        cmocka_unit_test(test_named_groups),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_case_folding),
        cmocka_unit_test(test_invalid_utf8_haystack),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_hostile_patterns_linear),
        cmocka_unit_test(test_search_from),
        cmocka_unit_test(test_find_all),
        cmocka_unit_test(test_candidate),
        cmocka_unit_test(test_literal_flag),
        cmocka_unit_test(test_fast_paths_agree),
        cmocka_unit_test(test_skip_loop_agrees),
        cmocka_unit_test(test_literal_scan_cost),
        cmocka_unit_test(test_literals_one_pass),
        cmocka_unit_test(test_dfa_agrees_with_vm),
        cmocka_unit_test(test_memchr),
        cmocka_unit_test(test_pair_skip_agrees),
        cmocka_unit_test(test_has_nul),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
