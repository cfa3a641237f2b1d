/* The guest-tool library's JSON reader and writer (tools/guest/lib), built
 * for the host: what strict JSON accepts and how every kind of malformed
 * input is refused (offsets counted by hand), and that the writer turns any
 * bytes into valid JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../tools/guest/lib/wbtool.h"

static wt_json_doc parse_ok(const char *text, size_t n)
{
    wt_json_doc d;
    char err[256] = "";
    if (!wt_json_parse(&d, text, n, err, sizeof err))
        fail_msg("parse of [%.*s] failed: %s", (int)(n < 80 ? n : 80), text, err);
    return d;
}

#define PARSE_OK(lit) parse_ok(lit, sizeof lit - 1)

static void expect_error_n(const char *text, size_t n, const char *want)
{
    wt_json_doc d;
    char err[256] = "";
    if (wt_json_parse(&d, text, n, err, sizeof err)) {
        wt_json_doc_free(&d);
        fail_msg("[%.*s] was accepted, want error %s", (int)(n < 80 ? n : 80), text, want);
    }
    if (strcmp(err, want) != 0)
        fail_msg("[%.*s]: error [%s], want [%s]", (int)(n < 80 ? n : 80), text, err, want);
    assert_null(d.arena);
}

#define EXPECT_ERROR(lit, want) expect_error_n(lit, sizeof lit - 1, want)

/* value written back compactly */
static void expect_roundtrip(const char *text, const char *want)
{
    wt_json_doc d = parse_ok(text, strlen(text));
    wt_buf b = {0};
    assert_true(wt_json_add_value(&b, &d.root));
    if (strcmp(b.data, want) != 0)
        fail_msg("[%s] written back as [%s], want [%s]", text, b.data, want);
    wt_buf_free(&b);
    wt_json_doc_free(&d);
}

static void test_values(void **state)
{
    (void)state;
    wt_json_doc d = PARSE_OK(" {\"s\": \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\", \"i\": -42, \"f\": 1.5, \"t\": true, "
                             "\"n\": null, \"a\": [1, [], {}], \"e\": \"\"} ");
    const wt_json *r = &d.root;
    assert_int_equal(r->type, WT_JSON_OBJECT);
    assert_int_equal(r->count, 7);
    const wt_json *s = wt_json_get(r, "s");
    assert_int_equal(s->type, WT_JSON_STRING);
    assert_int_equal(s->length, 12);
    assert_memory_equal(s->string, "a\"b\\c/d\b\f\n\r\t", 13); /* with its NUL */
    const wt_json *i = wt_json_get(r, "i");
    assert_true(i->is_integer);
    assert_true(i->integer == -42);
    const wt_json *f = wt_json_get(r, "f");
    assert_false(f->is_integer);
    assert_true(f->number == 1.5);
    assert_true(wt_json_get(r, "t")->boolean);
    assert_int_equal(wt_json_get(r, "n")->type, WT_JSON_NULL);
    const wt_json *a = wt_json_get(r, "a");
    assert_int_equal(a->count, 3);
    assert_int_equal(a->items[1].type, WT_JSON_ARRAY);
    assert_int_equal(a->items[1].count, 0);
    assert_int_equal(a->items[2].type, WT_JSON_OBJECT);
    assert_int_equal(wt_json_get(r, "e")->length, 0);
    assert_string_equal(wt_json_get(r, "e")->string, "");
    assert_null(wt_json_get(r, "missing"));
    assert_null(wt_json_get(a, "s")); /* not an object */
    /* members keep their order */
    assert_string_equal(r->members[0].key, "s");
    assert_string_equal(r->members[6].key, "e");
    wt_json_doc_free(&d);

    /* any value at the top, surrounded by whitespace */
    d = PARSE_OK("\t\r\n 7 \n");
    assert_true(d.root.is_integer && d.root.integer == 7);
    wt_json_doc_free(&d);
    d = PARSE_OK("\"x\"");
    assert_string_equal(d.root.string, "x");
    wt_json_doc_free(&d);
}

static void test_unicode_escapes(void **state)
{
    (void)state;
    /* \u escapes become UTF-8: BMP, and a surrogate pair for U+1F600 */
    wt_json_doc d = PARSE_OK("\"\\u00e9\\u20AC\\ud83d\\ude00\"");
    assert_int_equal(d.root.length, 2 + 3 + 4);
    assert_memory_equal(d.root.string, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 9);
    wt_json_doc_free(&d);
    /* \u0000 is kept: the length counts it */
    d = PARSE_OK("\"a\\u0000b\"");
    assert_int_equal(d.root.length, 3);
    assert_memory_equal(d.root.string, "a\0b", 3);
    wt_json_doc_free(&d);
    /* raw UTF-8 of every length passes */
    d = PARSE_OK("\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\"");
    assert_int_equal(d.root.length, 13);
    wt_json_doc_free(&d);
}

static void test_numbers(void **state)
{
    (void)state;
    wt_json_doc d = PARSE_OK("[0, -0, 9223372036854775807, -9223372036854775808, 9223372036854775808, "
                             "1e3, 2.50, -1E-2, 1e-400]");
    const wt_json *a = d.root.items;
    assert_true(a[0].is_integer && a[0].integer == 0);
    assert_true(a[1].is_integer && a[1].integer == 0);
    assert_true(a[2].is_integer && a[2].integer == INT64_MAX);
    assert_true(a[3].is_integer && a[3].integer == INT64_MIN);
    assert_false(a[4].is_integer); /* past int64: a number, not an integer */
    assert_true(a[4].number == 9223372036854775808.0);
    assert_false(a[5].is_integer);
    assert_true(a[5].number == 1000.0);
    assert_true(a[6].number == 2.5);
    assert_true(a[7].number == -0.01);
    assert_true(a[8].number == 0.0); /* underflow is zero, not an error */
    wt_json_doc_free(&d);
}

static void test_malformed(void **state)
{
    (void)state;
    EXPECT_ERROR("", "offset 0: empty input, expected a JSON value");
    EXPECT_ERROR("  \n", "offset 3: empty input, expected a JSON value");
    EXPECT_ERROR("{", "offset 1: expected a string key in an object");
    EXPECT_ERROR("{\"a\"", "offset 4: expected ':' after an object key");
    EXPECT_ERROR("{\"a\" 1}", "offset 5: expected ':' after an object key");
    EXPECT_ERROR("{\"a\":", "offset 5: unexpected end of input, expected a value");
    EXPECT_ERROR("{\"a\":1,}", "offset 7: expected a string key in an object");
    EXPECT_ERROR("{1:2}", "offset 1: expected a string key in an object");
    EXPECT_ERROR("{'a':1}", "offset 1: expected a string key in an object");
    EXPECT_ERROR("{\"a\":1 \"b\":2}", "offset 7: expected ',' or '}' in an object");
    EXPECT_ERROR("[1,]", "offset 3: unexpected character, expected a JSON value");
    EXPECT_ERROR("[1 2]", "offset 3: expected ',' or ']' in an array");
    EXPECT_ERROR("[", "offset 1: unexpected end of input, expected a value");
    EXPECT_ERROR("]", "offset 0: unexpected character, expected a JSON value");
    EXPECT_ERROR("1 2", "offset 2: unexpected data after the JSON value");
    EXPECT_ERROR("{} x", "offset 3: unexpected data after the JSON value");
    EXPECT_ERROR("01", "offset 0: leading zeros are not allowed in a number");
    EXPECT_ERROR("-01", "offset 0: leading zeros are not allowed in a number");
    EXPECT_ERROR("1.", "offset 0: invalid number: digits must follow '.'");
    EXPECT_ERROR(".5", "offset 0: unexpected character, expected a JSON value");
    EXPECT_ERROR("1e", "offset 0: invalid number: digits must follow the exponent");
    EXPECT_ERROR("1e+", "offset 0: invalid number: digits must follow the exponent");
    EXPECT_ERROR("-", "offset 0: invalid number");
    EXPECT_ERROR("-a", "offset 0: invalid number");
    EXPECT_ERROR("+1", "offset 0: unexpected character, expected a JSON value");
    EXPECT_ERROR("1e999", "offset 0: number too large");
    EXPECT_ERROR("-1e999", "offset 0: number too large");
    EXPECT_ERROR("NaN", "offset 0: unexpected character, expected a JSON value");
    EXPECT_ERROR("Infinity", "offset 0: unexpected character, expected a JSON value");
    EXPECT_ERROR("tru", "offset 0: invalid literal (expected true, false or null)");
    EXPECT_ERROR("nul", "offset 0: invalid literal (expected true, false or null)");
    EXPECT_ERROR("True", "offset 0: unexpected character, expected a JSON value");
    EXPECT_ERROR("[1] // c", "offset 4: unexpected data after the JSON value");
    EXPECT_ERROR("\"abc", "offset 0: unterminated string");
    EXPECT_ERROR("\"abc\\", "offset 4: unterminated string");
    EXPECT_ERROR("\"a\nb\"", "offset 2: control character in a string (escape it, e.g. \\n or \\u0001)");
    EXPECT_ERROR("\"a\tb\"", "offset 2: control character in a string (escape it, e.g. \\n or \\u0001)");
    EXPECT_ERROR("\"\\x\"", "offset 1: invalid escape in a string");
    EXPECT_ERROR("\"\\'\"", "offset 1: invalid escape in a string");
    EXPECT_ERROR("\"\\u12\"", "offset 1: \\u needs four hex digits");
    EXPECT_ERROR("\"\\u12g4\"", "offset 1: \\u needs four hex digits");
    EXPECT_ERROR("\"ab\\ud800\"", "offset 3: high surrogate in a \\u escape not followed by a low one");
    EXPECT_ERROR("\"\\ud800\\u0041\"", "offset 1: high surrogate in a \\u escape not followed by a low one");
    EXPECT_ERROR("\"\\ud800\\ud800\"", "offset 1: high surrogate in a \\u escape not followed by a low one");
    EXPECT_ERROR("\"\\udc00\"", "offset 1: lone low surrogate in a \\u escape");
    EXPECT_ERROR("{\"a\":1,\"b\":2,\"a\":3}", "offset 0: duplicate key \"a\" in an object");
    EXPECT_ERROR("[{\"\\u0061\":1,\"a\":2}]", "offset 1: duplicate key \"a\" in an object");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    const char *want1 = "offset 1: invalid UTF-8 in a string";
    EXPECT_ERROR("\"\xFF\"", want1);                 /* never in UTF-8 */
    EXPECT_ERROR("\"\x80\"", want1);                 /* stray continuation */
    EXPECT_ERROR("\"\xC0\xAF\"", want1);             /* overlong '/' */
    EXPECT_ERROR("\"\xE0\x80\xAF\"", want1);         /* overlong, 3 bytes */
    EXPECT_ERROR("\"\xED\xA0\x80\"", want1);         /* a surrogate, encoded */
    EXPECT_ERROR("\"\xF4\x90\x80\x80\"", want1);     /* past U+10FFFF */
    EXPECT_ERROR("\"\xE2\x82\"", want1);             /* cut short by the quote */
    EXPECT_ERROR("\"ok \xE2\x82", "offset 4: invalid UTF-8 in a string"); /* cut by the end */
    EXPECT_ERROR("{\"k\xFF\":1}", "offset 3: invalid UTF-8 in a string"); /* keys too */
    /* outside strings, a non-ASCII byte is just an unexpected character */
    EXPECT_ERROR("\xC3\xA9", "offset 0: unexpected character, expected a JSON value");
}

static void test_depth(void **state)
{
    (void)state;
    char deep[200];
    /* 64 levels parse */
    memset(deep, '[', 64);
    memset(deep + 64, ']', 64);
    wt_json_doc d = parse_ok(deep, 128);
    wt_json_doc_free(&d);
    /* the 65th is refused where it opens */
    memset(deep, '[', 65);
    memset(deep + 65, ']', 65);
    expect_error_n(deep, 130, "offset 64: nested too deeply (more than 64 levels)");
    /* a million openers: refused the same way, no stack exhaustion */
    size_t n = 1 << 20;
    char *many = malloc(n);
    assert_non_null(many);
    memset(many, '[', n);
    expect_error_n(many, n, "offset 64: nested too deeply (more than 64 levels)");
    /* objects count too: {"a":{"a":... opens its 65th at 64 * 5 */
    for (size_t i = 0; i + 5 <= n; i += 5)
        memcpy(many + i, "{\"a\":", 5);
    expect_error_n(many, n - n % 5, "offset 320: nested too deeply (more than 64 levels)");
    free(many);
}

static void test_big_inputs(void **state)
{
    (void)state;
    /* a 4 MiB string, and an object of 100000 members (duplicates found in
     * n log n: one at the very end) */
    size_t n = 4u << 20;
    char *big = malloc(n + 2);
    assert_non_null(big);
    big[0] = '"';
    memset(big + 1, 'x', n);
    big[n + 1] = '"';
    wt_json_doc d = parse_ok(big, n + 2);
    assert_int_equal(d.root.length, n);
    wt_json_doc_free(&d);
    free(big);

    wt_buf obj = {0};
    wt_buf_addc(&obj, '{');
    for (int i = 0; i < 100000; i++)
        wt_buf_printf(&obj, "%s\"k%d\":%d", i ? "," : "", i, i);
    wt_buf_addc(&obj, '}');
    d = parse_ok(obj.data, obj.len);
    assert_int_equal(d.root.count, 100000);
    assert_true(wt_json_get(&d.root, "k99999")->integer == 99999);
    wt_json_doc_free(&d);
    obj.len--;
    wt_buf_adds(&obj, ",\"k5\":0}");
    expect_error_n(obj.data, obj.len, "offset 0: duplicate key \"k5\" in an object");
    assert_false(obj.failed);
    wt_buf_free(&obj);
}

static void test_writer_escapes(void **state)
{
    (void)state;
    wt_buf b = {0};
    static const char in[] = "q\" b\\ n\n t\t r\r b\b f\f nul\0 x01\x01 x1f\x1f del\x7f /";
    assert_true(wt_json_add_string(&b, in, sizeof in - 1));
    assert_string_equal(b.data, "\"q\\\" b\\\\ n\\n t\\t r\\r b\\b f\\f nul\\u0000 x01\\u0001 x1f\\u001f del\\u007f /\"");
    /* valid UTF-8 passes; each invalid byte becomes U+FFFD */
    b.len = 0;
    static const char mixed[] = "\xC3\xA9 \xFF\xFE \xE2\x82 \xF0\x9F\x98\x80 \xED\xA0\x80";
    assert_true(wt_json_add_string(&b, mixed, sizeof mixed - 1));
    assert_string_equal(b.data, "\"\xC3\xA9 \xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD \xF0\x9F\x98\x80 "
                                "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
    /* whatever the bytes, the output parses back */
    for (int seed = 0; seed < 200; seed++) {
        unsigned char junk[64];
        srand((unsigned)seed);
        for (size_t i = 0; i < sizeof junk; i++)
            junk[i] = (unsigned char)rand();
        b.len = 0;
        assert_true(wt_json_add_string(&b, (const char *)junk, sizeof junk));
        wt_json_doc d = parse_ok(b.data, b.len);
        assert_int_equal(d.root.type, WT_JSON_STRING);
        assert_true(wt_utf8_valid(d.root.string, d.root.length));
        wt_json_doc_free(&d);
    }
    wt_buf_free(&b);
}

/* The writer's 8-bytes-a-step path: every byte that needs an escape, at
 * every offset of runs of plain text around it (so it falls in the first,
 * the middle and the last byte of a word, and in the tail after the
 * words), comes out as the escape written here byte by byte. */
static void test_write_string_words(void **state)
{
    (void)state;
    static const unsigned char special[] = {0x00, 0x01, 0x1f, '\n', '\t', '"', '\\', 0x7f, 0xff, 0x80, ' ', '~'};
    wt_buf b = {0}, want = {0};
    for (size_t k = 0; k < sizeof special; k++) {
        for (size_t before = 0; before < 20; before++) {
            for (size_t after = 0; after < 12; after++) {
                char in[40];
                size_t n = 0;
                for (size_t i = 0; i < before; i++)
                    in[n++] = (char)('a' + i % 26);
                in[n++] = (char)special[k];
                for (size_t i = 0; i < after; i++)
                    in[n++] = (char)('0' + i % 10);
                b.len = want.len = 0;
                assert_true(wt_json_add_string(&b, in, n));
                wt_buf_addc(&want, '"');
                for (size_t i = 0; i < n; i++) {
                    unsigned char c = (unsigned char)in[i];
                    char esc[8];
                    if (c == '"' || c == '\\')
                        snprintf(esc, sizeof esc, "\\%c", c);
                    else if (c == '\n')
                        snprintf(esc, sizeof esc, "\\n");
                    else if (c == '\t')
                        snprintf(esc, sizeof esc, "\\t");
                    else if (c < 0x20 || c == 0x7f)
                        snprintf(esc, sizeof esc, "\\u%04x", c);
                    else if (c >= 0x80) /* a lone byte: not UTF-8 */
                        snprintf(esc, sizeof esc, "\xEF\xBF\xBD");
                    else
                        snprintf(esc, sizeof esc, "%c", c);
                    wt_buf_adds(&want, esc);
                }
                wt_buf_addc(&want, '"');
                if (b.len != want.len || memcmp(b.data, want.data, b.len) != 0)
                    fail_msg("byte 0x%02x after %zu and before %zu bytes: got %s, want %s", special[k], before,
                             after, b.data, want.data);
            }
        }
    }
    wt_buf_free(&b);
    wt_buf_free(&want);
}

/* Escapes write more than they read: a fresh buffer (no room to spare)
 * given runs of them, after and before plain text, must grow for each (run
 * under ASan, a write past the buffer fails the test). Expected: each
 * 0x01 is \u0001 (6 bytes), each lone 0xff U+FFFD (3 bytes). */
static void test_write_string_grows(void **state)
{
    (void)state;
    for (size_t plain = 0; plain < 20; plain++) {
        for (size_t escapes = 1; escapes < 70; escapes += 7) {
            for (int kind = 0; kind < 2; kind++) {
                char in[128];
                size_t n = 0;
                for (size_t i = 0; i < plain; i++)
                    in[n++] = 'p';
                for (size_t i = 0; i < escapes; i++)
                    in[n++] = kind ? '\xff' : '\x01';
                for (size_t i = 0; i < plain; i++)
                    in[n++] = 'q';
                wt_buf b = {0}, want = {0};
                assert_true(wt_json_add_string(&b, in, n));
                wt_buf_addc(&want, '"');
                for (size_t i = 0; i < plain; i++)
                    wt_buf_addc(&want, 'p');
                for (size_t i = 0; i < escapes; i++)
                    wt_buf_adds(&want, kind ? "\xEF\xBF\xBD" : "\\u0001");
                for (size_t i = 0; i < plain; i++)
                    wt_buf_addc(&want, 'q');
                wt_buf_addc(&want, '"');
                assert_int_equal(b.len, want.len);
                assert_memory_equal(b.data, want.data, b.len);
                assert_int_equal(b.data[b.len], 0);
                wt_buf_free(&b);
                wt_buf_free(&want);
            }
        }
    }
}

static void test_roundtrip(void **state)
{
    (void)state;
    expect_roundtrip(" { \"a\" : [ 1 , -2 , 1.5 , 1e3 , true , false , null ] , \"b\" : { } , \"c\" : [ ] } ",
                     "{\"a\":[1,-2,1.5,1000,true,false,null],\"b\":{},\"c\":[]}");
    expect_roundtrip("\"\\u00e9\\n\\u0000\"", "\"\xC3\xA9\\n\\u0000\"");
    expect_roundtrip("[-9223372036854775808]", "[-9223372036854775808]");
}

static void test_type_names(void **state)
{
    (void)state;
    assert_string_equal(wt_json_type_name(WT_JSON_STRING), "a string");
    assert_string_equal(wt_json_type_name(WT_JSON_NUMBER), "a number");
    assert_string_equal(wt_json_type_name(WT_JSON_OBJECT), "an object");
    assert_string_equal(wt_json_type_name(WT_JSON_ARRAY), "an array");
    assert_string_equal(wt_json_type_name(WT_JSON_BOOL), "a boolean");
    assert_string_equal(wt_json_type_name(WT_JSON_NULL), "null");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),     cmocka_unit_test(test_unicode_escapes),
        cmocka_unit_test(test_numbers),    cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_invalid_utf8), cmocka_unit_test(test_depth),
        cmocka_unit_test(test_big_inputs), cmocka_unit_test(test_writer_escapes),
        cmocka_unit_test(test_write_string_words),
        cmocka_unit_test(test_write_string_grows),
        cmocka_unit_test(test_roundtrip),  cmocka_unit_test(test_type_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
