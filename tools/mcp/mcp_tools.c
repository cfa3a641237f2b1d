/* tools/list, tools/call and what a call sends while it runs: progress
 * notifications, and nothing at all once it is cancelled (MCP
 * "utilities/cancellation": no response to a cancelled request). */
#include "mcp_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cJSON *manifest_named(const mcp_server *s, const char *name)
{
    size_t n = s->tools->count(s->tools->self);
    for (size_t i = 0; i < n; i++) {
        const cJSON *m = s->tools->manifest(s->tools->self, i);
        const cJSON *mn = cJSON_GetObjectItemCaseSensitive(m, "name");
        if (cJSON_IsString(mn) && !strcmp(mn->valuestring, name))
            return m;
    }
    return NULL;
}

/* A manifest as an MCP Tool. outputSchema (and title) exist from 2025-06-18. */
static cJSON *tool_entry(const mcp_server *s, const cJSON *m)
{
    cJSON *t = cJSON_CreateObject();
    static const struct {
        const char *from, *to, *since;
    } keys[] = {
        {"name", "name", NULL},
        {"title", "title", "2025-06-18"},
        {"description", "description", NULL},
        {"input_schema", "inputSchema", NULL},
        {"output_schema", "outputSchema", "2025-06-18"},
    };
    for (size_t i = 0; t && i < sizeof keys / sizeof keys[0]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(m, keys[i].from);
        if (!v || (keys[i].since && !mcp_version_at_least(s, keys[i].since)))
            continue;
        cJSON *copy = cJSON_Duplicate(v, true);
        if (!copy || !cJSON_AddItemToObject(t, keys[i].to, copy)) {
            cJSON_Delete(copy);
            cJSON_Delete(t);
            return NULL;
        }
    }
    return t;
}

void mcp_method_tools_list(mcp_server *s, const cJSON *id, const cJSON *params)
{
    size_t total = s->tools->count(s->tools->self), off;
    if (!mcp_page_start(s, id, params, total, &off))
        return;
    size_t end = off + s->cfg.page_size < total ? off + s->cfg.page_size : total;
    cJSON *r = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(r, "tools");
    bool ok = list != NULL;
    for (size_t i = off; ok && i < end; i++) {
        /* NULL: the list shrank meanwhile (a reload, cli_mcp_reload.c). */
        const cJSON *m = s->tools->manifest(s->tools->self, i);
        cJSON *t = m ? tool_entry(s, m) : NULL;
        ok = !m || (t && cJSON_AddItemToArray(list, t));
    }
    if (!ok || !mcp_page_next(r, end, total)) {
        cJSON_Delete(r);
        r = NULL;
    }
    mcp_send_result(s, id, r);
}

void mcp_method_tools_call(mcp_server *s, const cJSON *id, const cJSON *params)
{
    static const char *const names[] = {"name", "arguments", NULL};
    if (!mcp_params_only(s, id, params, names))
        return;
    const cJSON *name = params ? cJSON_GetObjectItemCaseSensitive(params, "name") : NULL;
    const cJSON *args = params ? cJSON_GetObjectItemCaseSensitive(params, "arguments") : NULL;
    const cJSON *meta = params ? cJSON_GetObjectItemCaseSensitive(params, "_meta") : NULL;
    const cJSON *token = meta ? cJSON_GetObjectItemCaseSensitive(meta, "progressToken") : NULL;
    if (!cJSON_IsString(name)) {
        mcp_send_error(s, id, RPC_INVALID_PARAMS, "invalid params: tools/call needs name (a string)");
        return;
    }
    if (args && !cJSON_IsObject(args)) {
        mcp_send_error(s, id, RPC_INVALID_PARAMS,
                       "invalid params: arguments must be an object (the tool's input)");
        return;
    }
    if (token && !cJSON_IsString(token) &&
        !(cJSON_IsNumber(token) && isfinite(token->valuedouble) &&
          token->valuedouble == floor(token->valuedouble))) {
        mcp_send_error(s, id, RPC_INVALID_PARAMS,
                       "invalid params: _meta.progressToken must be a string or an integer");
        return;
    }
    if (!manifest_named(s, name->valuestring)) {
        mcp_send_error(s, id, RPC_INVALID_PARAMS, "Unknown tool: %.200s (tools/list names them)",
                       name->valuestring);
        return;
    }
    mcp_job *job = calloc(1, sizeof *job);
    if (job) {
        job->id = cJSON_Duplicate(id, true);
        job->id_key = cJSON_PrintUnformatted(id);
        job->tool = strdup(name->valuestring);
        job->args = args ? cJSON_Duplicate(args, true) : cJSON_CreateObject();
        job->progress_token = token ? cJSON_Duplicate(token, true) : NULL;
        job->cancel = s->tools->cancel_new(s->tools->self);
        job->srv = s;
        job->version = s->req_version;
        job->stateless = s->req_stateless;
        if (mcp_tl_batch)
            job->batch = mcp_batch_ref(mcp_tl_batch);
    }
    if (!job || !job->id || !job->id_key || !job->tool || !job->args || !job->cancel ||
        (token && !job->progress_token)) {
        mcp_job_free(job);
        mcp_send_error(s, id, RPC_INTERNAL_ERROR, "out of memory accepting the call");
        return;
    }
    if (mcp_pool_has_id(s, job->id_key)) {
        mcp_send_error(s, id, RPC_INVALID_REQUEST,
                       "invalid request: id %.100s is already used by a call in progress",
                       job->id_key);
        mcp_job_free(job);
        return;
    }
    if (!mcp_pool_submit(s, job)) {
        mcp_send_error(s, id, RPC_SERVER_BUSY,
                       "server busy: %zu calls are queued or running (the cap, --max-queue); "
                       "retry when one has answered",
                       s->cfg.max_queue);
        mcp_job_free(job);
    }
}

static bool job_cancelled(mcp_job *job)
{
    pthread_mutex_lock(&job->srv->lock);
    bool c = job->cancelled;
    pthread_mutex_unlock(&job->srv->lock);
    return c;
}

/* The backend's progress callback: records, never blocks (mcp_progress.c). */
static void on_progress(void *ctx, uint64_t fuel_used, uint64_t elapsed_ms)
{
    mcp_progress_record(ctx, fuel_used, elapsed_ms);
}

/* The bridge's result as a CallToolResult. Its parts are moved out of res
 * (which the caller frees), not copied: a file's text is read once. */
static cJSON *call_result(const mcp_job *job, cJSON *res, const char **why)
{
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(res, "content");
    const cJSON *is_error = cJSON_GetObjectItemCaseSensitive(res, "is_error");
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(res, "structuredContent");
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(res, "meta");
    if (!cJSON_IsArray(content) || (is_error && !cJSON_IsBool(is_error))) {
        *why = "the tool's result has no content array";
        return NULL;
    }
    cJSON *r = cJSON_CreateObject();
    bool ok = r && cJSON_AddItemToObject(r, "content",
                                         cJSON_DetachItemViaPointer(res, (cJSON *)content)) &&
              cJSON_AddBoolToObject(r, "isError", cJSON_IsTrue(is_error));
    /* structuredContent exists from 2025-06-18 and is an object there. */
    if (ok && cJSON_IsObject(sc) && job->version && strcmp(job->version, "2025-06-18") >= 0)
        ok = cJSON_AddItemToObject(r, "structuredContent",
                                   cJSON_DetachItemViaPointer(res, (cJSON *)sc));
    if (ok && cJSON_IsObject(meta)) {
        cJSON *m = cJSON_AddObjectToObject(r, "_meta");
        ok = m && cJSON_AddItemToObject(m, "wasmbox/run",
                                        cJSON_DetachItemViaPointer(res, (cJSON *)meta));
    }
    if (!ok) {
        cJSON_Delete(r);
        *why = "out of memory building the result";
        return NULL;
    }
    return r;
}

void mcp_run_job(mcp_job *job)
{
    mcp_server *s = job->srv;
    mcp_call_opts opts = {
        .cancel = job->cancel,
        .progress = job->progress_token ? on_progress : NULL,
        .progress_ctx = job,
        .call_id = job->id_key,
    };
    mcp_tl_batch = job->batch; /* the answer goes into its batch, if any */
    cJSON *res = s->tools->call(s->tools->self, job->tool, job->args, &opts);
    mcp_progress_done(job);
    if (job_cancelled(job)) {
        cJSON_Delete(res);
        mcp_tl_batch = NULL;
        return;
    }
    const char *why = "out of memory running the call";
    cJSON *r = res ? call_result(job, res, &why) : NULL;
    cJSON_Delete(res);
    if (r && job->stateless)
        mcp_shape_stateless(r, -1);
    if (r)
        mcp_send_response(s, job->id, r);
    else
        mcp_send_error(s, job->id, RPC_INTERNAL_ERROR, "internal error: %s (tool %.100s)", why,
                       job->tool);
    mcp_tl_batch = NULL;
}

void mcp_notification_cancelled(mcp_server *s, const cJSON *params)
{
    const cJSON *rid = params ? cJSON_GetObjectItemCaseSensitive(params, "requestId") : NULL;
    if (!cJSON_IsString(rid) && !cJSON_IsNumber(rid)) {
        fprintf(stderr, "wasmbox mcp: notifications/cancelled without a requestId; ignored\n");
        return;
    }
    char *key = cJSON_PrintUnformatted(rid);
    /* An unknown id is a call already answered (or never made): the
     * specification says to ignore it. */
    if (key)
        mcp_pool_cancel(s, key);
    free(key);
}
