/* One incoming message: checked as JSON-RPC 2.0, then dispatched. Every
 * fault is answered with the JSON-RPC error the specification names, and a
 * message saying what was wrong and where. */
#include "mcp_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

size_t mcp_utf8_check(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t n;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            n = 1, min = 0x80, c &= 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2, min = 0x800, c &= 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3, min = 0x10000, c &= 0x07;
        } else {
            return i;
        }
        if (len - i <= n)
            return i;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return i;
            c = (c << 6) | (s[i + k] & 0x3f);
        }
        /* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
        if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
            return i;
        i += n + 1;
    }
    return len;
}

/* An id MCP accepts: a string or an integer (never null, never a fraction). */
static bool valid_id(const cJSON *id)
{
    if (cJSON_IsString(id))
        return true;
    if (!cJSON_IsNumber(id))
        return false;
    double v = id->valuedouble;
    return isfinite(v) && v == floor(v) && fabs(v) <= 9007199254740991.0;
}

typedef void (*method_fn)(mcp_server *, const cJSON *, const cJSON *);
static const struct {
    const char *name;
    method_fn fn;
} methods[] = {
    {"tools/list", mcp_method_tools_list},
    {"tools/call", mcp_method_tools_call},
    {"prompts/list", mcp_method_prompts_list},
    {"prompts/get", mcp_method_prompts_get},
    {"resources/list", mcp_method_resources_list},
    {"resources/read", mcp_method_resources_read},
    {"resources/templates/list", mcp_method_templates_list},
};

/* The cache hint a stateless result of this method gets (caching utility):
 * lists and discovery for MCP_LIST_TTL_MS, a resource read as stale at
 * once (files may change), -1 for the rest (no hint). */
static int cache_ttl(const char *method)
{
    static const char *const lists[] = {"tools/list", "prompts/list", "resources/list",
                                        "resources/templates/list", "server/discover"};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        if (!strcmp(method, lists[i]))
            return MCP_LIST_TTL_MS;
    return !strcmp(method, "resources/read") ? 0 : -1;
}

/* Which revision a request is served under: a request whose _meta names a
 * protocol version, and server/discover, are 2026-07-28 requests, each on
 * its own (nothing is taken from earlier requests); the rest are served
 * under the revision initialize negotiated. False after answering a
 * stateless request whose _meta is not acceptable. */
static bool choose_era(mcp_server *s, const cJSON *id, const char *method, const cJSON *params)
{
    const cJSON *meta = params ? cJSON_GetObjectItemCaseSensitive(params, "_meta") : NULL;
    const cJSON *pv = cJSON_IsObject(meta) ? cJSON_GetObjectItemCaseSensitive(meta, MCP_META_VERSION)
                                           : NULL;
    s->req_version = s->version;
    s->req_stateless = false;
    s->req_ttl_ms = -1;
    if (!strcmp(method, "initialize") || (!pv && strcmp(method, "server/discover")))
        return true;
    if (meta && !cJSON_IsObject(meta)) {
        mcp_send_error(s, id, RPC_INVALID_PARAMS, "invalid params: _meta must be an object");
        return false;
    }
    if (!cJSON_IsString(pv)) {
        mcp_send_error(s, id, RPC_INVALID_PARAMS,
                       "invalid params: %s needs _meta[\"" MCP_META_VERSION "\"] (a string, e.g. \""
                       MCP_STATELESS_VERSION "\")",
                       method);
        return false;
    }
    if (strcmp(pv->valuestring, MCP_STATELESS_VERSION)) {
        cJSON *data = cJSON_CreateObject();
        cJSON *sup = cJSON_AddArrayToObject(data, "supported");
        cJSON_AddItemToArray(sup, cJSON_CreateString(MCP_STATELESS_VERSION));
        cJSON_AddStringToObject(data, "requested", pv->valuestring);
        mcp_send_error_data(s, id, MCP_UNSUPPORTED_VERSION, data,
                            "Unsupported protocol version: %.40s (served without a handshake: "
                            MCP_STATELESS_VERSION "; earlier revisions through initialize)",
                            pv->valuestring);
        return false;
    }
    const cJSON *caps = cJSON_GetObjectItemCaseSensitive(meta, MCP_META_CAPS);
    const cJSON *info = cJSON_GetObjectItemCaseSensitive(meta, MCP_META_INFO);
    if (!cJSON_IsObject(caps) || (info && !cJSON_IsObject(info))) {
        mcp_send_error(s, id, RPC_INVALID_PARAMS,
                       "invalid params: _meta[\"%s\"] must be an object",
                       !cJSON_IsObject(caps) ? MCP_META_CAPS : MCP_META_INFO);
        return false;
    }
    s->req_version = MCP_STATELESS_VERSION;
    s->req_stateless = true;
    s->req_ttl_ms = cache_ttl(method);
    return true;
}

static void request(mcp_server *s, const cJSON *id, const char *method, const cJSON *params)
{
    if (!choose_era(s, id, method, params))
        return;
    if (!strcmp(method, "initialize")) {
        mcp_method_initialize(s, id, params);
        return;
    }
    if (!strcmp(method, "server/discover")) {
        mcp_method_discover(s, id, params);
        return;
    }
    /* ping is gone from 2026-07-28 (a stateless request has no connection
     * to keep alive). */
    if (!strcmp(method, "ping") && !s->req_stateless) {
        static const char *const none[] = {NULL};
        if (mcp_params_only(s, id, params, none))
            mcp_send_result(s, id, cJSON_CreateObject());
        return;
    }
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        if (strcmp(method, methods[i].name))
            continue;
        if (!s->initialized && !s->req_stateless) {
            mcp_send_error(s, id, RPC_INVALID_REQUEST,
                           "%s before initialize: the first request must be initialize (or give "
                           "_meta[\"" MCP_META_VERSION "\"]: \"" MCP_STATELESS_VERSION "\")",
                           method);
            return;
        }
        methods[i].fn(s, id, params);
        return;
    }
    mcp_send_error(s, id, RPC_METHOD_NOT_FOUND,
                   "method not found: %.200s (this server has initialize, server/discover, ping "
                   "(before 2026-07-28), tools/list, tools/call, prompts/list, prompts/get, "
                   "resources/list, resources/read, resources/templates/list)",
                   method);
}

static void notification(mcp_server *s, const char *method, const cJSON *params)
{
    if (!strcmp(method, "notifications/cancelled"))
        mcp_notification_cancelled(s, params);
    /* notifications/initialized needs nothing (requests are served from the
     * initialize answer on); other notifications are ignored, as JSON-RPC
     * has no way to answer them. */
}

void mcp_handle_line(mcp_server *s, const char *line, size_t len)
{
    size_t bad = mcp_utf8_check(line, len);
    if (bad < len) {
        mcp_send_error(s, NULL, RPC_PARSE_ERROR, "parse error: invalid UTF-8 at byte %zu", bad);
        return;
    }
    if (memchr(line, '\0', len)) {
        mcp_send_error(s, NULL, RPC_PARSE_ERROR, "parse error: NUL byte at byte %zu",
                       (size_t)((const char *)memchr(line, '\0', len) - line));
        return;
    }
    const char *end = NULL;
    cJSON *msg = cJSON_ParseWithLengthOpts(line, len, &end, false);
    if (!msg) {
        size_t at = end ? (size_t)(end - line) : 0;
        const char *err = cJSON_GetErrorPtr();
        if (err && err >= line && err <= line + len)
            at = (size_t)(err - line);
        mcp_send_error(s, NULL, RPC_PARSE_ERROR, "parse error: not valid JSON at byte %zu", at);
        return;
    }
    /* Only whitespace may follow the value. */
    size_t used = (size_t)(end - line);
    while (used < len && strchr(" \t\r\n", line[used]))
        used++;
    if (used < len) {
        mcp_send_error(s, NULL, RPC_PARSE_ERROR,
                       "parse error: more after the JSON value, at byte %zu (one message a line)",
                       used);
        cJSON_Delete(msg);
        return;
    }
    if (cJSON_IsArray(msg))
        mcp_handle_batch(s, msg);
    else
        mcp_handle_message(s, msg);
    cJSON_Delete(msg);
}

void mcp_handle_message(mcp_server *s, const cJSON *msg)
{
    if (!cJSON_IsObject(msg)) {
        mcp_send_error(s, NULL, RPC_INVALID_REQUEST, "invalid request: a message must be a JSON object");
        return;
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
    const cJSON *reply_id = valid_id(id) ? id : NULL; /* what an error may echo */
    const cJSON *jsonrpc = cJSON_GetObjectItemCaseSensitive(msg, "jsonrpc");
    if (!cJSON_IsString(jsonrpc) || strcmp(jsonrpc->valuestring, "2.0")) {
        mcp_send_error(s, reply_id, RPC_INVALID_REQUEST,
                       "invalid request: \"jsonrpc\" must be the string \"2.0\"");
        return;
    }
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(msg, "method");
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(msg, "params");
    /* Each member at most once (a bit per name: a message with a million
     * members costs one pass), and only JSON-RPC's. */
    static const char *const members[] = {"jsonrpc", "id", "method", "params", "result", "error"};
    unsigned seen = 0;
    for (const cJSON *m = msg->child; m; m = m->next) {
        size_t k = 0;
        while (k < 6 && strcmp(m->string, members[k]))
            k++;
        if (k == 6) {
            mcp_send_error(s, reply_id, RPC_INVALID_REQUEST,
                           "invalid request: unknown member \"%.100s\" (JSON-RPC 2.0 has jsonrpc, "
                           "id, method, params)",
                           m->string);
            return;
        }
        if (seen & (1u << k)) {
            mcp_send_error(s, reply_id, RPC_INVALID_REQUEST,
                           "invalid request: member \"%s\" given twice", members[k]);
            return;
        }
        seen |= 1u << k;
    }
    if (!method) {
        /* A response: this server sends no requests, so nothing awaits it. */
        if (id && (cJSON_GetObjectItemCaseSensitive(msg, "result") ||
                   cJSON_GetObjectItemCaseSensitive(msg, "error")))
            fprintf(stderr, "wasmbox mcp: ignored a response to a request this server never sent\n");
        else
            mcp_send_error(s, reply_id, RPC_INVALID_REQUEST,
                           "invalid request: no \"method\" (a request needs method and id)");
        return;
    }
    if (!cJSON_IsString(method)) {
        mcp_send_error(s, reply_id, RPC_INVALID_REQUEST, "invalid request: \"method\" must be a string");
        return;
    }
    if (cJSON_GetObjectItemCaseSensitive(msg, "result") || cJSON_GetObjectItemCaseSensitive(msg, "error")) {
        mcp_send_error(s, reply_id, RPC_INVALID_REQUEST,
                       "invalid request: a request has no \"result\" or \"error\"");
        return;
    }
    if (id && !valid_id(id)) {
        mcp_send_error(s, NULL, RPC_INVALID_REQUEST,
                       "invalid request: \"id\" must be a string or an integer (MCP forbids null)");
        return;
    }
    if (params && !cJSON_IsObject(params)) {
        if (id)
            mcp_send_error(s, id, RPC_INVALID_PARAMS,
                           "invalid params: \"params\" must be an object (%s)", method->valuestring);
        return;
    }
    if (id)
        request(s, id, method->valuestring, params);
    else
        notification(s, method->valuestring, params);
}
