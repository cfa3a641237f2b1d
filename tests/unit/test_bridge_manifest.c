/* Tool manifests (tools/bridge_manifest.c) loaded through wbt_bridge_open:
 * the normalized form, and every way a manifest is refused (unknown key,
 * wrong type, bad value, missing module, duplicate name), each message
 * naming the file and the key. Manifests are written to a temporary
 * directory; a module file only has to exist at load (it is compiled on
 * the first call). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../tools/bridge_internal.h"

static char dir[64], dir2[64];

static void put(const char *d, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", d, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void clear(const char *d)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -f %s/*.json", d);
    assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/wbt-manifest-XXXXXX");
    snprintf(dir2, sizeof dir2, "/tmp/wbt-manifest2-XXXXXX");
    if (!mkdtemp(dir) || !mkdtemp(dir2))
        return -1;
    put(dir, "t.wasm", "not compiled at load");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", dir, dir2);
    return system(cmd);
}

/* opens a bridge on dir (and dir2 when two): NULL and err on failure */
static wbt_bridge *open_dirs(int ndirs, char *err, size_t errlen)
{
    const char *dirs[] = {dir, dir2};
    wbt_bridge_config cfg = {.builtin_dir = "", .tool_dirs = dirs, .n_tool_dirs = (size_t)ndirs};
    wbt_bridge *b = NULL;
    int rc = wbt_bridge_open(&cfg, &b, err, errlen);
    assert_int_equal(rc == 0, b != NULL);
    return b;
}

#define GOOD_HEAD "{\"name\": \"t\", \"description\": \"d\", \"input_schema\": {\"type\": \"object\"}, "

static void refused(const char *manifest, const char *want_after_path)
{
    clear(dir);
    put(dir, "m.json", manifest);
    char err[1024], want[1024];
    assert_null(open_dirs(1, err, sizeof err));
    snprintf(want, sizeof want, "%s/m.json: %s", dir, want_after_path);
    assert_string_equal(err, want);
}

static void test_normalized(void **state)
{
    (void)state;
    clear(dir);
    put(dir, "m.json",
        GOOD_HEAD "\"module\": \"t.wasm\", \"capabilities\": {\"filesystem\": \"read\", "
                  "\"network\": [\"HTTPS://Example.ORG\", \"*://*:*\"]}, \"limits\": "
                  "{\"timeout\": 500, \"stack\": 2097152}}");
    char err[512];
    wbt_bridge *b = open_dirs(1, err, sizeof err);
    if (!b)
        fail_msg("%s", err);
    assert_int_equal(wbt_bridge_count(b), 1);
    char *text = cJSON_PrintUnformatted(wbt_bridge_manifest(b, 0));
    char want[1024];
    snprintf(want, sizeof want,
             "{\"name\":\"t\",\"description\":\"d\",\"input_schema\":{\"type\":\"object\"},"
             "\"capabilities\":{\"filesystem\":\"read\",\"network\":[\"https://example.org\","
             "\"*://*:*\"],\"env\":[]},\"limits\":{\"timeout\":500,\"stack\":2097152},"
             "\"module\":\"%s/t.wasm\"}",
             dir);
    assert_string_equal(text, want);
    cJSON_free(text);
    assert_ptr_equal(wbt_bridge_find(b, "t"), wbt_bridge_manifest(b, 0));
    assert_null(wbt_bridge_find(b, "nope"));
    assert_null(wbt_bridge_manifest(b, 1));
    wbt_bridge_close(b);
}

static void test_refusals(void **state)
{
    (void)state;
    const char *caps = "\"capabilities\": {\"filesystem\": \"none\", \"network\": \"none\"}";
    char m[1024];
    snprintf(m, sizeof m, GOOD_HEAD "\"module\": \"t.wasm\", %s, \"color\": 1}", caps);
    refused(m, "color: unknown key (allowed: name, description, input_schema, output_schema, "
               "module, capabilities, limits)");
    snprintf(m, sizeof m, GOOD_HEAD "\"module\": \"t.wasm\", \"capabilities\": {\"filesystem\": "
                          "\"rw\", \"network\": \"none\"}}");
    refused(m, "capabilities.filesystem: must be \"none\", \"read\" or \"write\" (what the tool "
               "needs of the workspace)");
    snprintf(m, sizeof m, GOOD_HEAD "\"module\": \"t.wasm\", \"capabilities\": {\"filesystem\": "
                          "\"none\", \"network\": [\"https://api.*.com\"]}}");
    refused(m, "capabilities.network[0]: \"https://api.*.com\" is not a valid host pattern (\"*\" "
               "must be the whole host or whole leading labels, as in *.example.com)");
    snprintf(m, sizeof m, GOOD_HEAD "\"module\": \"t.wasm\", \"capabilities\": {\"filesystem\": "
                          "\"none\", \"network\": \"none\", \"env\": [\"HOME=/x\"]}}");
    refused(m, "capabilities.env[0]: must be a variable name (letters, digits, _; not starting "
               "with a digit), without a value: values come from the operator's policy");
    snprintf(m, sizeof m, GOOD_HEAD "\"module\": \"t.wasm\", %s, \"limits\": {\"fuel\": 0}}", caps);
    refused(m, "limits.fuel: must be a whole number >= 1 of wasm instructions");
    snprintf(m, sizeof m, GOOD_HEAD "\"module\": \"t.wasm\", %s, \"limits\": {\"time\": 1}}", caps);
    refused(m, "limits.time: unknown key (allowed: timeout, fuel, memory, output, stack)");
    snprintf(m, sizeof m, GOOD_HEAD "\"module\": \"gone.wasm\", %s}", caps);
    char want[512];
    snprintf(want, sizeof want,
             "module: %s/gone.wasm: No such file or directory (build it, or fix the file name)",
             dir);
    refused(m, want);
    snprintf(m, sizeof m, GOOD_HEAD "\"module\": \"t.wasm\"}");
    refused(m, "capabilities: missing (say what the tool needs: {\"filesystem\": \"none\", "
               "\"network\": \"none\", \"env\": []} for nothing)");
    snprintf(m, sizeof m, "{\"name\": \"a b\", \"description\": \"d\", \"input_schema\": {}, "
                          "\"module\": \"t.wasm\", %s}", caps);
    refused(m, "name: must be 1 to 64 letters, digits, '_' or '-' (the name agents call the tool by)");
    snprintf(m, sizeof m, "{\"name\": \"t\", \"description\": \"d\", \"input_schema\": "
                          "{\"type\": \"array\"}, \"module\": \"t.wasm\", %s}", caps);
    refused(m, "input_schema.type: must be \"object\" (a tool's input is one JSON object)");
    snprintf(m, sizeof m, "{\"name\": \"t\", \"description\": \"d\", \"input_schema\": "
                          "{\"type\": \"object\", \"format\": \"x\"}, \"module\": \"t.wasm\", %s}",
             caps);
    refused(m, "input_schema.format: unknown schema keyword (the bridge checks type, properties, "
               "required, enum, const, minimum, maximum, minLength, maxLength, items, "
               "additionalProperties; remove it or express the rule with these)");
    /* cJSON stops at the last byte it read: "near" */
    refused("{\"name\": ", "not valid JSON (near byte 8)");
    refused("[]", "must be a JSON object (a tool manifest)");
    refused("{} {}", "text after the JSON object (at byte 3)");
}

static void test_duplicate_name(void **state)
{
    (void)state;
    clear(dir);
    clear(dir2);
    const char *m = GOOD_HEAD "\"module\": \"%s/t.wasm\", \"capabilities\": {\"filesystem\": "
                              "\"none\", \"network\": \"none\"}}";
    char text[512];
    snprintf(text, sizeof text, m, dir);
    put(dir, "a.json", text);
    put(dir2, "b.json", text);
    char err[1024], want[1024];
    assert_null(open_dirs(2, err, sizeof err));
    snprintf(want, sizeof want,
             "%s/b.json: name: a tool named \"t\" is already defined (by %s/t.wasm); rename one "
             "of them", dir2, dir);
    assert_string_equal(err, want);
    clear(dir2);
    wbt_bridge *b = open_dirs(2, err, sizeof err);
    assert_non_null(b);
    wbt_bridge_close(b);
}

static void test_bad_dirs(void **state)
{
    (void)state;
    const char *dirs[] = {"/nonexistent-wbt-dir"};
    wbt_bridge_config cfg = {.builtin_dir = "", .tool_dirs = dirs, .n_tool_dirs = 1};
    wbt_bridge *b = (wbt_bridge *)1;
    char err[512];
    assert_int_equal(wbt_bridge_open(&cfg, &b, err, sizeof err), -1);
    assert_null(b);
    assert_string_equal(err, "/nonexistent-wbt-dir: No such file or directory (a directory of "
                             "tool manifests, *.json)");
    wbt_bridge_config ws = {.builtin_dir = "", .workspace = "/nonexistent-wbt-ws"};
    assert_int_equal(wbt_bridge_open(&ws, &b, err, sizeof err), -1);
    assert_string_equal(err, "workspace: /nonexistent-wbt-ws: No such file or directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalized),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_duplicate_name),
        cmocka_unit_test(test_bad_dirs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
