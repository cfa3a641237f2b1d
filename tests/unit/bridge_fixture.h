/* The tool-bridge tests' shared set-up (test_bridge_threads.c,
 * test_bridge_reuse.c): where the built tools and test guests are, the
 * "wc" manifest over the built example tool, reading a result's text and
 * meta fields, and removing a scratch directory. Included by one test file
 * each (static functions). */
#ifndef WB_TEST_BRIDGE_FIXTURE_H
#define WB_TEST_BRIDGE_FIXTURE_H

#include <cjson/cJSON.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* From the test binary's own path ($(BUILD)/tests/test_X): $(BUILD)/tools
 * and $(BUILD)/guests. False if the path cannot be resolved. */
static bool bfx_build_dirs(const char *argv0, char tools[PATH_MAX], char guests[PATH_MAX])
{
    char self[PATH_MAX];
    if (!realpath(argv0, self))
        return false;
    char *d = dirname(self);
    snprintf(tools, PATH_MAX, "%s/../tools", d);
    snprintf(guests, PATH_MAX, "%s/../guests", d);
    return true;
}

/* DIR/wc.json: a tool "wc" (input {text?}, nothing else allowed, no
 * filesystem, no network) running TOOLS/example.wasm. */
static bool bfx_write_wc_manifest(const char *dir, const char *tools)
{
    char path[2 * PATH_MAX];
    snprintf(path, sizeof path, "%s/wc.json", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    fprintf(f, "{\"name\": \"wc\", \"description\": \"count\", \"input_schema\": {\"type\": "
               "\"object\", \"properties\": {\"text\": {\"type\": \"string\"}}, "
               "\"additionalProperties\": false}, \"module\": \"%s/example.wasm\", "
               "\"capabilities\": {\"filesystem\": \"none\", \"network\": \"none\"}}",
            tools);
    return fclose(f) == 0;
}

/* A result's first content item's text ("(none)" when there is none). */
static const char *bfx_text_of(const cJSON *res)
{
    const cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(res, "content"), 0);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(c, "text");
    return cJSON_IsString(t) ? t->valuestring : "(none)";
}

static const char *bfx_meta_str(const cJSON *res, const char *key)
{
    const cJSON *v =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(res, "meta"), key);
    return cJSON_IsString(v) ? v->valuestring : "(null)";
}

static double bfx_meta_num(const cJSON *res, const char *key)
{
    const cJSON *v =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(res, "meta"), key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* rm -rf DIR, for a directory this test made under /tmp (mkdtemp). */
static int bfx_remove_tree(const char *dir)
{
    char cmd[2 * PATH_MAX];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

#endif
