/* The tool bridge's JSON Schema subset (tools/bridge_schema.c): schemas
 * with an unknown keyword or a malformed value are refused at load, naming
 * the keyword's path; inputs are checked for every rule of the subset, and
 * each violation is one line naming the field path and the rule. Expected
 * texts are written from the rules in tools/README.md ("Input validation"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../tools/bridge_internal.h"

static cJSON *json(const char *text)
{
    cJSON *j = cJSON_Parse(text);
    assert_non_null(j);
    return j;
}

/* check(schema) -> the error text, "" when it passes */
static void check_is(const char *schema, const char *want)
{
    cJSON *s = json(schema);
    char err[512] = "";
    bool ok = wbt_schema_check(s, "m.json: input_schema", err, sizeof err);
    if (!*want) {
        if (!ok)
            fail_msg("refused %s: %s", schema, err);
    } else {
        assert_false(ok);
        assert_string_equal(err, want);
    }
    cJSON_Delete(s);
}

/* validate(schema, input) -> the error lines, "" when it passes */
static void valid_is(const char *schema, const char *input, const char *want)
{
    cJSON *s = json(schema), *v = json(input);
    char err[2048];
    assert_true(wbt_schema_check(s, "s", err, sizeof err));
    size_t n = wbt_schema_validate(s, v, "input", err, sizeof err);
    assert_string_equal(err, want);
    assert_int_equal(n == 0, *want == 0);
    cJSON_Delete(s);
    cJSON_Delete(v);
}

static void test_check_keywords(void **state)
{
    (void)state;
    check_is("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": [\"string\", \"null\"], "
             "\"minLength\": 1, \"maxLength\": 3, \"enum\": [\"x\", null]}, \"n\": {\"type\": "
             "\"integer\", \"minimum\": 0, \"maximum\": 9, \"default\": 1, \"description\": \"d\"}, "
             "\"l\": {\"type\": \"array\", \"items\": {\"const\": 1}}}, \"required\": [\"a\"], "
             "\"additionalProperties\": {\"type\": \"string\"}, \"title\": \"t\"}",
             "");
    check_is("{\"type\": \"object\", \"properties\": {\"p\": {\"type\": \"string\", \"pattern\": "
             "\"^a\"}}}",
             "m.json: input_schema.properties.p.pattern: unknown schema keyword (the bridge "
             "checks type, properties, required, enum, const, minimum, maximum, minLength, "
             "maxLength, items, additionalProperties; remove it or express the rule with these)");
    check_is("{\"oneOf\": []}",
             "m.json: input_schema.oneOf: unknown schema keyword (the bridge checks type, "
             "properties, required, enum, const, minimum, maximum, minLength, maxLength, items, "
             "additionalProperties; remove it or express the rule with these)");
    check_is("{\"type\": \"str\"}",
             "m.json: input_schema.type: unknown type \"str\" (use object, array, string, "
             "integer, number, boolean or null)");
    check_is("{\"type\": []}",
             "m.json: input_schema.type: must be a type name or a non-empty array of them");
    check_is("{\"minimum\": \"0\"}", "m.json: input_schema.minimum: must be a number");
    check_is("{\"maxLength\": -1}", "m.json: input_schema.maxLength: must be an integer >= 0");
    check_is("{\"maxLength\": 1.5}", "m.json: input_schema.maxLength: must be an integer >= 0");
    check_is("{\"required\": [1]}",
             "m.json: input_schema.required: must be an array of property names");
    check_is("{\"enum\": []}", "m.json: input_schema.enum: must be a non-empty array of values");
    check_is("{\"items\": 3}", "m.json: input_schema.items: must be a schema (a JSON object)");
    check_is("{\"additionalProperties\": {\"x\": 1}}",
             "m.json: input_schema.additionalProperties.x: unknown schema keyword (the bridge "
             "checks type, properties, required, enum, const, minimum, maximum, minLength, "
             "maxLength, items, additionalProperties; remove it or express the rule with these)");
    check_is("{\"properties\": []}", "m.json: input_schema.properties: must be an object of schemas");
    check_is("{\"description\": 3}", "m.json: input_schema.description: must be a string");
}

static void test_check_depth(void **state)
{
    (void)state;
    /* 70 nested "items": past the walk's 64 levels, refused, not followed */
    char text[2048] = "";
    for (int i = 0; i < 70; i++)
        strcat(text, "{\"items\": ");
    strcat(text, "{}");
    for (int i = 0; i < 70; i++)
        strcat(text, "}");
    cJSON *s = json(text);
    char err[4096];
    assert_false(wbt_schema_check(s, "s", err, sizeof err));
    assert_non_null(strstr(err, ": nested deeper than 64 levels"));
    cJSON_Delete(s);
}

static const char *const tool_schema =
    "{\"type\": \"object\", \"properties\": {"
    "\"file_path\": {\"type\": \"string\", \"minLength\": 1},"
    "\"offset\": {\"type\": \"integer\", \"minimum\": 0},"
    "\"limit\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 100},"
    "\"mode\": {\"enum\": [\"a\", \"b\"]},"
    "\"flag\": {\"type\": \"boolean\"},"
    "\"ratio\": {\"type\": \"number\", \"maximum\": 1.5},"
    "\"tags\": {\"type\": \"array\", \"items\": {\"type\": \"string\", \"maxLength\": 2}},"
    "\"kind\": {\"const\": \"x\"},"
    "\"maybe\": {\"type\": [\"string\", \"null\"]}"
    "}, \"required\": [\"file_path\"], \"additionalProperties\": false}";

static void test_validate_ok(void **state)
{
    (void)state;
    valid_is(tool_schema, "{\"file_path\": \"a\"}", "");
    valid_is(tool_schema,
             "{\"file_path\": \"\\u00e9\", \"offset\": 0, \"limit\": 100, \"mode\": \"b\", "
             "\"flag\": false, \"ratio\": 1.5, \"tags\": [\"ab\", \"\"], \"kind\": \"x\", "
             "\"maybe\": null, \"offset\": 3.0}",
             "");
    /* maxLength counts characters, not bytes: two 2-byte characters */
    valid_is(tool_schema, "{\"file_path\": \"a\", \"tags\": [\"\\u00e9\\u00e9\"]}", "");
}

static void test_validate_rules(void **state)
{
    (void)state;
    valid_is(tool_schema, "{\"file_path\": \"a\", \"offset\": -3}",
             "input.offset: must be an integer >= 0 (got -3)");
    valid_is(tool_schema, "{\"file_path\": \"a\", \"offset\": 2.5}",
             "input.offset: must be an integer (got 2.5)");
    valid_is(tool_schema, "{\"file_path\": \"a\", \"limit\": 101}",
             "input.limit: must be an integer from 1 to 100 (got 101)");
    valid_is(tool_schema, "{\"file_path\": \"a\", \"ratio\": 2}",
             "input.ratio: must be a number <= 1.5 (got 2)");
    valid_is(tool_schema, "{}", "input.file_path: required, missing (expected a string)");
    valid_is(tool_schema, "{\"file_path\": \"\"}", "input.file_path: must not be empty");
    valid_is(tool_schema, "{\"file_path\": 7}", "input.file_path: must be a string (got 7)");
    valid_is(tool_schema, "{\"file_path\": \"a\", \"flag\": \"yes\"}",
             "input.flag: must be true or false (got a string)");
    valid_is(tool_schema, "{\"file_path\": \"a\", \"mode\": \"c\"}",
             "input.mode: must be one of \"a\", \"b\" (got \"c\")");
    valid_is(tool_schema, "{\"file_path\": \"a\", \"kind\": \"y\"}",
             "input.kind: must be \"x\" (got \"y\")");
    valid_is(tool_schema, "{\"file_path\": \"a\", \"maybe\": 1}",
             "input.maybe: must be a string or null (got 1)");
    valid_is(tool_schema, "{\"file_path\": \"a\", \"tags\": [\"abc\", 1]}",
             "input.tags[0]: must be at most 2 characters long (got 3)\n"
             "input.tags[1]: must be a string (got 1)");
    valid_is(tool_schema, "{\"file_path\": \"a\", \"x\": 1}",
             "input.x: unknown field (this tool takes: file_path, offset, limit, mode, flag, "
             "ratio, tags, kind, maybe)");
    valid_is(tool_schema, "[1]", "input: must be an object (got an array)");
    /* several at once, in the input's order after the missing ones */
    valid_is(tool_schema, "{\"limit\": 0, \"flag\": null}",
             "input.file_path: required, missing (expected a string)\n"
             "input.limit: must be an integer from 1 to 100 (got 0)\n"
             "input.flag: must be true or false (got null)");
}

static void test_validate_additional_schema(void **state)
{
    (void)state;
    const char *s = "{\"type\": \"object\", \"additionalProperties\": {\"type\": \"integer\"}}";
    valid_is(s, "{\"a\": 1, \"b\": 2}", "");
    valid_is(s, "{\"a\": 1, \"b\": \"2\"}", "input.b: must be an integer (got a string)");
    /* no additionalProperties: anything else goes */
    valid_is("{\"type\": \"object\", \"properties\": {}}", "{\"a\": [1]}", "");
}

static void test_validate_bounded(void **state)
{
    (void)state;
    /* 40 wrong items: 16 listed, then the count of the rest */
    char input[1024] = "{\"file_path\": \"a\", \"tags\": [";
    for (int i = 0; i < 40; i++)
        strcat(input, i ? ",1" : "1");
    strcat(input, "]}");
    cJSON *s = json(tool_schema), *v = json(input);
    char err[8192];
    assert_int_equal(wbt_schema_validate(s, v, "input", err, sizeof err), 17);
    assert_non_null(strstr(err, "input.tags[15]: must be a string (got 1)\n(1 more problems not listed)"));
    /* a tiny buffer is cut, never overrun */
    char small[16];
    assert_true(wbt_schema_validate(s, v, "input", small, sizeof small) > 0);
    assert_true(strlen(small) < sizeof small);
    cJSON_Delete(s);
    cJSON_Delete(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_keywords),
        cmocka_unit_test(test_check_depth),
        cmocka_unit_test(test_validate_ok),
        cmocka_unit_test(test_validate_rules),
        cmocka_unit_test(test_validate_additional_schema),
        cmocka_unit_test(test_validate_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
