/* A finished run's stdout to the call's result (tools/bridge_result.c):
 * bytes that are not UTF-8 become U+FFFD and \u0000 escapes become \ufffd
 * wherever they lie (before, inside and after the 8-byte steps of the fast
 * path), valid text is kept as it is, and what is not a result is said. The
 * expected texts are written out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/bridge_internal.h"

static wbt_tool tool = {.name = "t"};

/* The result of a run that exited 0 having printed out (len bytes). */
static cJSON *result_of(const char *out, size_t len)
{
    wbt_run r = {.status = WBT_EXITED};
    r.out = malloc(len + 1);
    memcpy(r.out, out, len);
    r.out[len] = 0;
    r.out_len = len;
    r.err = strdup("");
    cJSON *res = wbt_result_make(&tool, &r);
    wbt_run_free(&r);
    assert_non_null(res);
    return res;
}

static const char *text_of(const cJSON *res)
{
    const cJSON *item = cJSON_GetArrayItem(cJSON_GetObjectItem(res, "content"), 0);
    const cJSON *text = cJSON_GetObjectItem(item, "text");
    assert_true(cJSON_IsString(text));
    return text->valuestring;
}

#define PREFIX "{\"content\":[{\"type\":\"text\",\"text\":\""
#define SUFFIX "\"}],\"is_error\":false}\n"

/* A text of len bytes 'a' with `bad` (blen bytes) at `at`, through the
 * bridge: the same text with `want` in its place. */
static void one(size_t len, size_t at, const char *bad, size_t blen, const char *want)
{
    char out[256], expect[256];
    size_t n = 0, e = 0;
    memcpy(out, PREFIX, sizeof PREFIX - 1), n = sizeof PREFIX - 1;
    memset(out + n, 'a', at), n += at;
    memcpy(out + n, bad, blen), n += blen;
    memset(out + n, 'a', len - at), n += len - at;
    memcpy(out + n, SUFFIX, sizeof SUFFIX - 1), n += sizeof SUFFIX - 1;
    memset(expect, 'a', at), e = at;
    memcpy(expect + e, want, strlen(want)), e += strlen(want);
    memset(expect + e, 'a', len - at), e += len - at;
    expect[e] = 0;
    cJSON *res = result_of(out, n);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(res, "is_error")));
    assert_string_equal(text_of(res), expect);
    cJSON_Delete(res);
}

static void test_replacements_everywhere(void **state)
{
    (void)state;
    for (size_t len = 0; len < 40; len++) {
        for (size_t at = 0; at <= len; at++) {
            one(len, at, "\xff", 1, "\xEF\xBF\xBD");          /* never UTF-8 */
            one(len, at, "\xc3", 1, "\xEF\xBF\xBD");          /* a sequence cut short */
            one(len, at, "\xed\xa0\x80", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* a surrogate */
            one(len, at, "\xc3\xa9", 2, "\xc3\xa9");          /* é stays */
            one(len, at, "\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80"); /* U+1F600 stays */
            one(len, at, "\\u0000", 6, "\xEF\xBF\xBD");       /* would cut the C string */
            one(len, at, "\\\\u0000", 7, "\\u0000");          /* an escaped backslash, then text */
            one(len, at, "\\u0041", 6, "A");
        }
    }
}

/* A NUL byte in the output is not UTF-8 to the bridge either. */
static void test_nul_byte(void **state)
{
    (void)state;
    for (size_t at = 0; at < 20; at++)
        one(19, at, "\0", 1, "\xEF\xBF\xBD");
}

static void test_not_a_result(void **state)
{
    (void)state;
    static const char out[] = "{\"content\":[],\"is_error\":false} {}";
    cJSON *res = result_of(out, sizeof out - 1);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(res, "is_error")));
    assert_string_equal(text_of(res),
                        "t: the tool's output was not a result: there is more after the JSON object");
    cJSON_Delete(res);
    static const char bad[] = "{\"content\":[{\"type\":\"text\",\"text\":\"a\\u0000\"}";
    res = result_of(bad, sizeof bad - 1);
    assert_string_equal(text_of(res), "t: the tool's output was not a result: it is not valid JSON");
    cJSON_Delete(res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replacements_everywhere),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_not_a_result),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
