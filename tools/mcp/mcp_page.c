/* Pagination of list results (MCP "utilities/pagination"): a page holds
 * cfg.page_size items; nextCursor is opaque to the client. Ours is
 * "wbc1:OFFSET"; any other cursor is refused with -32602, as the
 * specification asks for an invalid cursor. */
#include "mcp_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CURSOR_PREFIX "wbc1:"

bool mcp_params_only(mcp_server *s, const cJSON *id, const cJSON *params, const char *const *names)
{
    if (!params)
        return true;
    for (const cJSON *m = params->child; m; m = m->next) {
        if (!strcmp(m->string, "_meta")) {
            if (!cJSON_IsObject(m)) {
                mcp_send_error(s, id, RPC_INVALID_PARAMS, "invalid params: _meta must be an object");
                return false;
            }
            continue;
        }
        bool known = false;
        for (const char *const *n = names; *n && !known; n++)
            known = !strcmp(*n, m->string);
        if (!known) {
            mcp_send_error(s, id, RPC_INVALID_PARAMS, "invalid params: unknown member \"%.100s\"",
                           m->string);
            return false;
        }
    }
    return true;
}

bool mcp_page_start(mcp_server *s, const cJSON *id, const cJSON *params, size_t total,
                    size_t *offset)
{
    static const char *const names[] = {"cursor", NULL};
    *offset = 0;
    if (!mcp_params_only(s, id, params, names))
        return false;
    const cJSON *c = params ? cJSON_GetObjectItemCaseSensitive(params, "cursor") : NULL;
    if (!c)
        return true;
    if (!cJSON_IsString(c)) {
        mcp_send_error(s, id, RPC_INVALID_PARAMS, "invalid params: cursor must be a string");
        return false;
    }
    const char *t = c->valuestring;
    size_t plen = strlen(CURSOR_PREFIX);
    bool ok = !strncmp(t, CURSOR_PREFIX, plen) && t[plen] >= '1' && t[plen] <= '9' &&
              strlen(t + plen) <= 19;
    unsigned long long v = 0;
    for (const char *p = t + plen; ok && *p; p++) {
        ok = *p >= '0' && *p <= '9';
        v = v * 10 + (unsigned)(*p - '0');
    }
    if (!ok || v >= total) {
        mcp_send_error(s, id, RPC_INVALID_PARAMS,
                       "invalid params: cursor \"%.100s\" is not one this server gave "
                       "(start without a cursor)",
                       t);
        return false;
    }
    *offset = (size_t)v;
    return true;
}

bool mcp_page_next(cJSON *result, size_t end, size_t total)
{
    if (end >= total)
        return true;
    char buf[48];
    snprintf(buf, sizeof buf, CURSOR_PREFIX "%zu", end);
    return cJSON_AddStringToObject(result, "nextCursor", buf) != NULL;
}
