/* The MCP server's message printer (tools/mcp/mcp_json.c) writes exactly
 * what cJSON_PrintUnformatted writes, plus a newline: the reference here is
 * cJSON itself, on hand-made messages and on random trees whose strings
 * hold every byte value in runs of every length around the 8-byte steps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "../../tools/mcp/mcp_internal.h"

/* Printed by both: equal, with the newline, a NUL after it. */
static void same_as_cjson(const cJSON *v)
{
    char *want = cJSON_PrintUnformatted(v);
    assert_non_null(want);
    size_t n;
    char *got = mcp_json_line(v, &n);
    assert_non_null(got);
    assert_int_equal(n, strlen(want) + 1);
    assert_memory_equal(got, want, n - 1);
    assert_int_equal(got[n - 1], '\n');
    assert_int_equal(got[n], 0);
    free(got);
    cJSON_free(want);
}

static void test_by_hand(void **state)
{
    (void)state;
    /* written out, as a reader would check it */
    cJSON *m = cJSON_Parse("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"content\":[{\"type\":\"text\","
                           "\"text\":\"     1\\tline \\\"one\\\"\\n\\u0001\\u001f\\u007f\\\\ é\"}],"
                           "\"isError\":false,\"n\":[1.5,-0,1e300,0.1,12345678901234567890,null,true],"
                           "\"e\":{},\"a\":[]}}");
    assert_non_null(m);
    size_t n;
    char *got = mcp_json_line(m, &n);
    assert_non_null(got);
    assert_string_equal(got,
                        "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"content\":[{\"type\":\"text\","
                        "\"text\":\"     1\\tline \\\"one\\\"\\n\\u0001\\u001f\x7f\\\\ é\"}],"
                        "\"isError\":false,\"n\":[1.5,-0,1e+300,0.1,1.2345678901234567e+19,null,"
                        "true],\"e\":{},\"a\":[]}}\n");
    free(got);
    same_as_cjson(m);
    cJSON_Delete(m);
    /* a NULL string and a NULL key print as "" in cJSON */
    cJSON *o = cJSON_CreateObject();
    cJSON *s = cJSON_CreateString("x");
    free(s->valuestring);
    s->valuestring = NULL;
    cJSON_AddItemToObject(o, "k", s);
    same_as_cjson(o);
    cJSON_Delete(o);
    cJSON *raw = cJSON_CreateRaw("{\"pre\":1}");
    same_as_cjson(raw);
    cJSON_Delete(raw);
}

/* Every byte 1..255 at every position of runs 0..40 long: the word test
 * may not miss an escape wherever it lies in an 8-byte step. */
static void test_every_byte_everywhere(void **state)
{
    (void)state;
    char s[48];
    for (int c = 1; c < 256; c++) {
        for (size_t len = 1; len <= 40; len++) {
            for (size_t at = 0; at < len; at++) {
                memset(s, 'a', len);
                s[at] = (char)c;
                s[len] = 0;
                cJSON *v = cJSON_CreateString(s);
                assert_non_null(v);
                same_as_cjson(v);
                cJSON_Delete(v);
            }
        }
    }
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t next(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (uint32_t)rng;
}

static char *random_text(void)
{
    size_t len = next() % 200;
    char *s = malloc(len + 1);
    for (size_t i = 0; i < len; i++) {
        uint32_t r = next() % 10;
        /* mostly plain text, with escapes and high bytes mixed in */
        s[i] = (char)(r < 6 ? 'a' + (char)(next() % 26) : r < 9 ? (char)(1 + next() % 255) : '\n');
    }
    s[len] = 0;
    return s;
}

static cJSON *random_value(int depth)
{
    uint32_t kind = next() % (depth > 4 ? 5 : 7);
    switch (kind) {
    case 0: return cJSON_CreateNull();
    case 1: return cJSON_CreateBool(next() & 1);
    case 2: return cJSON_CreateNumber((double)(int32_t)next() / (1 + next() % 1000));
    case 3: return cJSON_CreateNumber((double)(int32_t)next());
    case 4: {
        char *t = random_text();
        cJSON *v = cJSON_CreateString(t);
        free(t);
        return v;
    }
    case 5: {
        cJSON *a = cJSON_CreateArray();
        for (uint32_t i = next() % 5; i > 0; i--)
            cJSON_AddItemToArray(a, random_value(depth + 1));
        return a;
    }
    default: {
        cJSON *o = cJSON_CreateObject();
        for (uint32_t i = next() % 5; i > 0; i--) {
            char *k = random_text();
            cJSON_AddItemToObject(o, k, random_value(depth + 1));
            free(k);
        }
        return o;
    }
    }
}

static void test_random_trees(void **state)
{
    (void)state;
    for (int i = 0; i < 3000; i++) {
        cJSON *v = random_value(0);
        assert_non_null(v);
        same_as_cjson(v);
        cJSON_Delete(v);
    }
}

/* What cJSON cannot print is refused, not printed half. */
static void test_refused(void **state)
{
    (void)state;
    size_t n = 99;
    assert_null(mcp_json_line(NULL, &n));
    assert_int_equal(n, 0);
    cJSON *raw = cJSON_CreateRaw("x");
    free(raw->valuestring);
    raw->valuestring = NULL;
    assert_null(cJSON_PrintUnformatted(raw));
    assert_null(mcp_json_line(raw, &n));
    cJSON_Delete(raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_every_byte_everywhere),
        cmocka_unit_test(test_random_trees),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
