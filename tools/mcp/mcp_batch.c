/* JSON-RPC batches, which MCP has in revision 2025-03-26 only ("MUST
 * support receiving JSON-RPC batches"; 2025-06-18 removed them): an array
 * of messages, answered with one array holding the responses to its
 * requests (none when it held only notifications), sent once the last of
 * them is known. Tool calls in a batch run on the workers like any other,
 * so its answer waits for the slowest; a cancelled call has no response in
 * it. Progress notifications are not responses: they go out at once.
 *
 * How the responses are caught: while a batch's message is dispatched (on
 * the reader) and while one of its calls answers (on a worker), the thread's
 * mcp_tl_batch names the batch, and mcp_send adds responses to it instead
 * of writing them. The batch is counted: one reference for the reader
 * while it dispatches, one per call it queued. */
#include "mcp_internal.h"

#include <stdlib.h>
#include <string.h>

_Thread_local mcp_batch *mcp_tl_batch;

mcp_batch *mcp_batch_ref(mcp_batch *b)
{
    pthread_mutex_lock(&b->lock);
    b->refs++;
    pthread_mutex_unlock(&b->lock);
    return b;
}

bool mcp_batch_add(mcp_batch *b, const cJSON *response)
{
    cJSON *copy = cJSON_Duplicate(response, true);
    pthread_mutex_lock(&b->lock);
    bool ok = copy && cJSON_AddItemToArray(b->responses, copy);
    pthread_mutex_unlock(&b->lock);
    if (!ok)
        cJSON_Delete(copy);
    return ok;
}

void mcp_batch_release(mcp_batch *b)
{
    pthread_mutex_lock(&b->lock);
    bool last = --b->refs == 0;
    pthread_mutex_unlock(&b->lock);
    if (!last)
        return;
    /* Sent as itself, not into a batch (a worker's mcp_tl_batch is this one). */
    mcp_batch *was = mcp_tl_batch;
    mcp_tl_batch = NULL;
    if (cJSON_GetArraySize(b->responses) > 0)
        mcp_send(b->srv, b->responses);
    mcp_tl_batch = was;
    cJSON_Delete(b->responses);
    pthread_mutex_destroy(&b->lock);
    free(b);
}

void mcp_handle_batch(mcp_server *s, const cJSON *batch)
{
    if (!s->initialized || !s->version || strcmp(s->version, "2025-03-26")) {
        mcp_send_error(s, NULL, RPC_INVALID_REQUEST,
                       "invalid request: JSON-RPC batches exist in protocol revision 2025-03-26 "
                       "only (this session: %s); send one message at a time",
                       s->initialized && s->version ? s->version : "not initialized");
        return;
    }
    int n = cJSON_GetArraySize(batch);
    if (!n) {
        mcp_send_error(s, NULL, RPC_INVALID_REQUEST, "invalid request: an empty batch");
        return;
    }
    /* Every element gets a response: the cap bounds the answer's size. */
    if (n > MCP_MAX_BATCH) {
        mcp_send_error(s, NULL, RPC_INVALID_REQUEST,
                       "invalid request: a batch of %d messages (at most %d; send several)", n,
                       MCP_MAX_BATCH);
        return;
    }
    mcp_batch *b = calloc(1, sizeof *b);
    if (b)
        b->responses = cJSON_CreateArray();
    if (!b || !b->responses) {
        free(b);
        mcp_send_error(s, NULL, RPC_INTERNAL_ERROR, "out of memory reading a batch");
        return;
    }
    pthread_mutex_init(&b->lock, NULL);
    b->refs = 1;
    b->srv = s;
    mcp_tl_batch = b;
    int i = 0;
    for (const cJSON *m = batch->child; m; m = m->next, i++) {
        const cJSON *method = cJSON_IsObject(m) ? cJSON_GetObjectItemCaseSensitive(m, "method") : NULL;
        if (cJSON_IsString(method) && !strcmp(method->valuestring, "initialize")) {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(m, "id");
            mcp_send_error(s, cJSON_IsString(id) || cJSON_IsNumber(id) ? id : NULL, RPC_INVALID_REQUEST,
                           "invalid request: initialize must not be part of a batch (element %d)", i);
            continue;
        }
        mcp_handle_message(s, m);
    }
    mcp_tl_batch = NULL;
    mcp_batch_release(b);
}
