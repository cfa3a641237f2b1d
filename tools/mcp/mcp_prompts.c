/* Skills over MCP: each skill is a prompt (prompts/list, prompts/get with
 * its arguments filled) and each of its files a resource (resources/list,
 * resources/read of skill://NAME/PATH). */
#include "mcp_internal.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cJSON *prompt_entry(const skill *k)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "name", k->name);
    cJSON_AddStringToObject(p, "description", k->description);
    cJSON *args = cJSON_AddArrayToObject(p, "arguments");
    for (size_t i = 0; args && i < k->nargs; i++) {
        cJSON *a = cJSON_CreateObject();
        cJSON_AddStringToObject(a, "name", k->args[i].name);
        if (k->args[i].description)
            cJSON_AddStringToObject(a, "description", k->args[i].description);
        cJSON_AddBoolToObject(a, "required", k->args[i].required);
        cJSON_AddItemToArray(args, a);
    }
    return p;
}

void mcp_method_prompts_list(mcp_server *s, const cJSON *id, const cJSON *params)
{
    size_t total = s->skills->count, off;
    if (!mcp_page_start(s, id, params, total, &off))
        return;
    size_t end = off + s->cfg.page_size < total ? off + s->cfg.page_size : total;
    cJSON *r = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(r, "prompts");
    for (size_t i = off; list && i < end; i++)
        cJSON_AddItemToArray(list, prompt_entry(&s->skills->items[i]));
    mcp_page_next(r, end, total);
    mcp_send_result(s, id, r);
}

void mcp_method_prompts_get(mcp_server *s, const cJSON *id, const cJSON *params)
{
    static const char *const names[] = {"name", "arguments", NULL};
    if (!mcp_params_only(s, id, params, names))
        return;
    const cJSON *name = params ? cJSON_GetObjectItemCaseSensitive(params, "name") : NULL;
    const cJSON *args = params ? cJSON_GetObjectItemCaseSensitive(params, "arguments") : NULL;
    if (!cJSON_IsString(name)) {
        mcp_send_error(s, id, RPC_INVALID_PARAMS, "invalid params: prompts/get needs name (a string)");
        return;
    }
    if (args && !cJSON_IsObject(args)) {
        mcp_send_error(s, id, RPC_INVALID_PARAMS,
                       "invalid params: arguments must be an object of strings");
        return;
    }
    const skill *k = skills_find(s->skills, name->valuestring);
    if (!k) {
        mcp_send_error(s, id, RPC_INVALID_PARAMS, "invalid params: unknown prompt %.200s (prompts/list names them)",
                       name->valuestring);
        return;
    }
    char err[1400];
    char *text = skill_render(k, args, err, sizeof err);
    if (!text) {
        mcp_send_error(s, id, RPC_INVALID_PARAMS, "invalid params: %s", err);
        return;
    }
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "description", k->description);
    cJSON *msgs = cJSON_AddArrayToObject(r, "messages");
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "role", "user");
    cJSON *c = cJSON_AddObjectToObject(m, "content");
    cJSON_AddStringToObject(c, "type", "text");
    cJSON_AddStringToObject(c, "text", text);
    cJSON_AddItemToArray(msgs, m);
    free(text);
    mcp_send_result(s, id, r);
}

void mcp_method_resources_list(mcp_server *s, const cJSON *id, const cJSON *params)
{
    size_t total = 0, off;
    for (size_t i = 0; i < s->skills->count; i++)
        total += s->skills->items[i].nfiles;
    if (!mcp_page_start(s, id, params, total, &off))
        return;
    size_t end = off + s->cfg.page_size < total ? off + s->cfg.page_size : total;
    cJSON *r = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(r, "resources");
    size_t at = 0; /* index of the skill's first file in the flat list */
    for (size_t i = 0; list && i < s->skills->count && at < end; i++) {
        const skill *k = &s->skills->items[i];
        for (size_t f = 0; f < k->nfiles; f++) {
            size_t n = at + f;
            if (n < off || n >= end)
                continue;
            char *uri = skill_uri(k, k->files[f]);
            char title[512];
            snprintf(title, sizeof title, "%s/%s", k->name, k->files[f]);
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "uri", uri ? uri : "");
            cJSON_AddStringToObject(e, "name", title);
            char desc[200];
            snprintf(desc, sizeof desc, "A file of the skill %s", k->name);
            cJSON_AddStringToObject(e, "description", desc);
            const char *mime = skill_mime_type(k->files[f]);
            if (mime)
                cJSON_AddStringToObject(e, "mimeType", mime);
            cJSON_AddItemToArray(list, e);
            free(uri);
        }
        at += k->nfiles;
    }
    mcp_page_next(r, end, total);
    mcp_send_result(s, id, r);
}

void mcp_method_resources_read(mcp_server *s, const cJSON *id, const cJSON *params)
{
    static const char *const names[] = {"uri", NULL};
    if (!mcp_params_only(s, id, params, names))
        return;
    const cJSON *uri = params ? cJSON_GetObjectItemCaseSensitive(params, "uri") : NULL;
    if (!cJSON_IsString(uri)) {
        mcp_send_error(s, id, RPC_INVALID_PARAMS, "invalid params: resources/read needs uri (a string)");
        return;
    }
    const skill *k = NULL;
    char *path = NULL, err[600];
    size_t len = 0;
    bool not_found;
    char *data = skill_read_uri(s->skills, uri->valuestring, &k, &path, &len, &not_found, err,
                                sizeof err);
    if (!data) {
        mcp_send_error(s, id, not_found ? MCP_RESOURCE_NOT_FOUND : RPC_INTERNAL_ERROR, "%s%s",
                       not_found ? "Resource not found: " : "", err);
        return;
    }
    cJSON *r = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(r, "contents");
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "uri", uri->valuestring);
    const char *mime = skill_mime_type(path);
    bool text = mcp_utf8_check(data, len) == len && !memchr(data, '\0', len);
    cJSON_AddStringToObject(c, "mimeType", mime ? mime : text ? "text/plain" : "application/octet-stream");
    if (text) {
        cJSON_AddStringToObject(c, "text", data);
    } else {
        /* Not text: base64 (4 bytes out per 3 in, and the NUL). */
        char *b64 = malloc(4 * ((len + 2) / 3) + 1);
        if (b64)
            EVP_EncodeBlock((unsigned char *)b64, (const unsigned char *)data, (int)len);
        cJSON_AddStringToObject(c, "blob", b64 ? b64 : "");
        free(b64);
    }
    cJSON_AddItemToArray(list, c);
    free(data);
    free(path);
    mcp_send_result(s, id, r);
}

void mcp_method_templates_list(mcp_server *s, const cJSON *id, const cJSON *params)
{
    size_t off;
    if (!mcp_page_start(s, id, params, 0, &off))
        return;
    cJSON *r = cJSON_CreateObject();
    cJSON_AddArrayToObject(r, "resourceTemplates");
    mcp_send_result(s, id, r);
}
