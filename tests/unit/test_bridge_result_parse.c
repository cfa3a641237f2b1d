/* wbt_result_parse_fast (tools/bridge_result_parse.c) against cJSON, the
 * reference it must agree with: on every text it accepts, cJSON accepts it
 * too, ends at the same byte and makes the same tree (types, keys,
 * order, string bytes, links); what it refuses (numbers, \u, control
 * bytes, invalid JSON) is left to cJSON. Hand-written texts, then many
 * mutations of tool results. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/bridge_internal.h"

/* The same tree, item by item in order (cJSON_Compare looks members up
 * by name, which cannot tell duplicate keys apart). */
static bool same_tree(const cJSON *a, const cJSON *b)
{
    for (; a && b; a = a->next, b = b->next) {
        if (a->type != b->type || !a->string != !b->string ||
            (a->string && strcmp(a->string, b->string)) || !a->valuestring != !b->valuestring ||
            (a->valuestring && strcmp(a->valuestring, b->valuestring)) ||
            !same_tree(a->child, b->child))
            return false;
        /* the first child's prev is the last, as cJSON's parser links it */
        if (a->child && (!a->child->prev || a->child->prev->next))
            return false;
    }
    return !a && !b;
}

/* Parses text both ways; returns whether the fast parser took it. */
static bool agree(const char *text, size_t len)
{
    char *z = malloc(len + 1);
    assert_non_null(z);
    memcpy(z, text, len);
    z[len] = 0;
    const char *fast_end = NULL, *ref_end = NULL;
    cJSON *fast = wbt_result_parse_fast(z, len, &fast_end);
    cJSON *ref = cJSON_ParseWithOpts(z, &ref_end, false);
    if (fast) {
        if (!ref || fast_end != ref_end || !same_tree(fast, ref)) {
            fprintf(stderr, "disagree on: %.*s\n", (int)len, text);
            fail();
        }
        /* the same text when printed */
        char *a = cJSON_PrintUnformatted(fast), *b = cJSON_PrintUnformatted(ref);
        assert_non_null(a);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    cJSON_Delete(fast);
    cJSON_Delete(ref);
    free(z);
    return fast != NULL;
}

static bool takes(const char *text)
{
    return agree(text, strlen(text));
}

static void test_tool_results(void **state)
{
    (void)state;
    assert_true(takes("{\"content\":[{\"type\":\"text\",\"text\":\"     1\\tline\\n\"}],"
                      "\"is_error\":false}"));
    assert_true(takes("{ \"content\" : [ ] , \"is_error\" : true }\n"));
    assert_true(takes("{\"content\":[{\"type\":\"text\",\"text\":\"a \\\"q\\\" \\\\ \\/ \\b\\f\\r\"},"
                      "{\"type\":\"image\",\"data\":\"R0lG\",\"mimeType\":\"image/gif\"}],"
                      "\"is_error\":false,\"structuredContent\":{\"a\":null,\"b\":[true,false]}}"));
    assert_true(takes("{\"k\":\"\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}"));
    assert_true(takes("{}"));
    assert_true(takes("[]"));
    assert_true(takes("\"\""));
    assert_true(takes("[[[[[]]]]]"));
    assert_true(takes("{\"a\":1}") == false); /* numbers: cJSON's */
    /* duplicate keys kept in order, as cJSON keeps them */
    assert_true(takes("{\"a\":\"1\",\"a\":\"2\"}"));
    /* two values: the first, with the end just past it */
    assert_true(takes("{\"content\":[],\"is_error\":false}{\"x\":true}"));
    assert_true(takes("{\"content\":[],\"is_error\":false}   trailing"));
    /* the long plain runs the 8-byte scan copies whole, with escapes at
     * every offset around a word's edge */
    char big[4200];
    for (int at = 0; at < 20; at++) {
        size_t o = (size_t)snprintf(big, sizeof big, "{\"text\":\"");
        for (int i = 0; i < 400; i++)
            big[o++] = (char)('a' + i % 26);
        for (int k = 0; k < 16; k++) {
            for (int i = 0; i < at + k; i++)
                big[o++] = 'x';
            memcpy(big + o, "\\n", 2);
            o += 2;
        }
        memcpy(big + o, "\"}", 3);
        assert_true(takes(big));
    }
}

static void test_left_to_cjson(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "", " ", "{", "}", "[", "{\"a\"}", "{\"a\":}", "{\"a\":\"b\",}", "[\"a\",]", "[,]",
        "{\"a\" \"b\"}", "{a:\"b\"}", "\"abc", "\"a\\\"", "\"\\u0041\"", "\"\\x\"", "\"\\\"",
        "\"a\tb\"", "\"a\nb\"", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":falsey}", "[1]", "-1",
        "\xef\xbb\xbf{}", "\x0b{}", "{\x0b}", "{\"\\u0000\":\"x\"}", "[\"a\" \"b\"]", "'a'",
        "{\"a\":[}", "{\"a\":{]}", "[\"\\",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        assert_false(takes(texts[i]));
    /* deeper than FAST_MAX_DEPTH (64): cJSON's (it goes to 1000) */
    char deep[300];
    memset(deep, '[', 100);
    memset(deep + 100, ']', 100);
    deep[200] = 0;
    assert_false(takes(deep));
    memset(deep, '[', 60);
    memset(deep + 60, ']', 60);
    deep[120] = 0;
    assert_true(takes(deep));
}

/* The tree's links are cJSON's own: adding to a parsed array or object and
 * deleting items from it work (under ASan: nothing leaks or is freed twice). */
static void test_tree_links(void **state)
{
    (void)state;
    const char *text = "{\"content\":[{\"type\":\"text\",\"text\":\"a\"}],\"is_error\":false}";
    const char *end;
    cJSON *v = wbt_result_parse_fast(text, strlen(text), &end);
    assert_non_null(v);
    cJSON *content = cJSON_GetObjectItemCaseSensitive(v, "content");
    assert_true(cJSON_AddItemToArray(content, cJSON_CreateString("b")));
    assert_true(cJSON_AddItemToObject(v, "meta", cJSON_CreateNull()));
    cJSON *d = cJSON_DetachItemFromObjectCaseSensitive(v, "is_error");
    assert_non_null(d);
    cJSON_Delete(d);
    char *out = cJSON_PrintUnformatted(v);
    assert_string_equal(out, "{\"content\":[{\"type\":\"text\",\"text\":\"a\"},\"b\"],\"meta\":null}");
    free(out);
    cJSON_Delete(v);
}

/* Mutations of tool results (a byte changed, removed, doubled, or one of
 * JSON's own bytes put in): the fast parser never takes a text cJSON
 * refuses or reads differently. A fixed seed: the same run every time. */
static void test_mutations(void **state)
{
    (void)state;
    static const char *const seeds[] = {
        "{\"content\":[{\"type\":\"text\",\"text\":\"     1\\thello\\n     2\\tworld\\n\"}],"
        "\"is_error\":false}",
        "{\"content\":[{\"type\":\"text\",\"text\":\"b\\n[exit code 0]\"}],\"structuredContent\":"
        "{\"stdout\":\"b\\n\",\"stderr\":\"\",\"cwd\":\"/w\"},\"is_error\":false}",
        "{\"content\":[{\"type\":\"resource\",\"resource\":{\"uri\":\"file:///a\",\"text\":\"x\"}}],"
        "\"is_error\":true,\"structuredContent\":{\"a\":[null,true,false,{}]}}",
    };
    static const char bytes[] = "{}[]\":,\\ tfnu\"\n\t\x01\x7f\xc3\xa9/bx";
    uint32_t rng = 12345;
    size_t taken = 0, runs = 0;
    for (size_t si = 0; si < sizeof seeds / sizeof *seeds; si++) {
        size_t n = strlen(seeds[si]);
        char *buf = malloc(2 * n + 8);
        for (int round = 0; round < 20000; round++) {
            memcpy(buf, seeds[si], n);
            size_t len = n;
            int edits = 1 + round % 3;
            for (int e = 0; e < edits && len; e++) {
                rng = rng * 1103515245u + 12345u;
                size_t at = (rng >> 8) % len;
                int kind = (int)((rng >> 4) % 4);
                char c = bytes[(rng >> 16) % (sizeof bytes - 1)];
                if (kind == 0) {
                    buf[at] = c;
                } else if (kind == 1) {
                    memmove(buf + at, buf + at + 1, len - at - 1);
                    len--;
                } else if (kind == 2) {
                    memmove(buf + at + 1, buf + at, len - at);
                    len++;
                } else {
                    memmove(buf + at + 1, buf + at, len - at);
                    buf[at] = c;
                    len++;
                }
            }
            /* the parser's input has no NUL (bridge_result.c cleans it) */
            if (memchr(buf, 0, len))
                continue;
            taken += agree(buf, len);
            runs++;
        }
        free(buf);
    }
    /* both kinds were exercised */
    assert_true(taken > runs / 20);
    assert_true(taken < runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tool_results),
        cmocka_unit_test(test_left_to_cjson),
        cmocka_unit_test(test_tree_links),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
