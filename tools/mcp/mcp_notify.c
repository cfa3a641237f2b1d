/* Notifications the server starts on its own (not answers): today
 * notifications/tools/list_changed, when the operator's tools changed
 * (`wasmbox mcp` watches its --tools directories). They go to whichever
 * transport is serving: over stdio to the client once it is initialized,
 * over HTTP to every session's open GET stream. */
#include "mcp_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t notify_lock = PTHREAD_MUTEX_INITIALIZER;
static mcp_server *stdio_server;
static void (*http_fn)(void *ctx, const char *json);
static void *http_ctx;

void mcp_notify_stdio(mcp_server *s)
{
    pthread_mutex_lock(&notify_lock);
    stdio_server = s;
    pthread_mutex_unlock(&notify_lock);
}

void mcp_notify_http(void (*fn)(void *ctx, const char *json), void *ctx)
{
    pthread_mutex_lock(&notify_lock);
    http_fn = fn;
    http_ctx = ctx;
    pthread_mutex_unlock(&notify_lock);
}

void mcp_notify_tools_changed(void)
{
    static const char msg[] = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}";
    pthread_mutex_lock(&notify_lock);
    /* Held while sending: the transport cannot go away meanwhile. */
    if (stdio_server && atomic_load(&stdio_server->announced)) {
        cJSON *m = cJSON_Parse(msg);
        if (m)
            mcp_send(stdio_server, m);
        cJSON_Delete(m);
    }
    if (http_fn)
        http_fn(http_ctx, msg);
    pthread_mutex_unlock(&notify_lock);
}
