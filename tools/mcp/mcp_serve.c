/* The server's life: the read loop, the initialize handshake and version
 * negotiation (MCP "basic/lifecycle"), and the end. */
#include "mcp_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const mcp_versions[] = {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"};
const size_t mcp_nversions = sizeof mcp_versions / sizeof mcp_versions[0];

volatile sig_atomic_t mcp_stop_requested;

void mcp_stop(void)
{
    mcp_stop_requested = 1;
}

void mcp_config_defaults(mcp_config *cfg)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    cfg->jobs = cores < 1 ? 1 : cores > MCP_MAX_JOBS ? MCP_MAX_JOBS : (size_t)cores;
    cfg->max_message = MCP_DEFAULT_MAX_MESSAGE;
    cfg->max_queue = MCP_DEFAULT_MAX_QUEUE;
    cfg->page_size = MCP_DEFAULT_PAGE_SIZE;
    cfg->server_version = "0.1.0";
    cfg->tools_list_changed = false;
}

bool mcp_version_at_least(const mcp_server *s, const char *version)
{
    return s->req_version && strcmp(s->req_version, version) >= 0;
}

/* A member of an object that must be an object, when present. */
static bool object_or_absent(const cJSON *params, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(params, name);
    return !v || cJSON_IsObject(v);
}

void mcp_method_initialize(mcp_server *s, const cJSON *id, const cJSON *params)
{
    if (s->initialized) {
        mcp_send_error(s, id, RPC_INVALID_REQUEST,
                       "invalid request: initialize was already answered (once per connection)");
        return;
    }
    const cJSON *pv = params ? cJSON_GetObjectItemCaseSensitive(params, "protocolVersion") : NULL;
    const cJSON *caps = params ? cJSON_GetObjectItemCaseSensitive(params, "capabilities") : NULL;
    const cJSON *info = params ? cJSON_GetObjectItemCaseSensitive(params, "clientInfo") : NULL;
    const char *missing = !cJSON_IsString(pv) ? "protocolVersion (a string)"
                          : !cJSON_IsObject(caps) ? "capabilities (an object)"
                          : !cJSON_IsObject(info) ? "clientInfo (an object)"
                          : !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(info, "name"))
                              ? "clientInfo.name (a string)"
                              : NULL;
    if (missing) {
        mcp_send_error(s, id, RPC_INVALID_PARAMS, "invalid params: initialize needs %s", missing);
        return;
    }
    if (!object_or_absent(params, "_meta")) {
        mcp_send_error(s, id, RPC_INVALID_PARAMS, "invalid params: _meta must be an object");
        return;
    }
    /* The requested revision when this server speaks it, else its newest:
     * the client then decides whether it can go on (lifecycle, "Version
     * Negotiation"). */
    s->version = mcp_versions[0];
    for (size_t i = 0; i < mcp_nversions; i++)
        if (!strcmp(pv->valuestring, mcp_versions[i]))
            s->version = mcp_versions[i];
    if (s->version != mcp_versions[0] || strcmp(pv->valuestring, mcp_versions[0]))
        fprintf(stderr, "wasmbox mcp: client asked for protocol %.40s; answering %s\n",
                pv->valuestring, s->version);

    cJSON *r = cJSON_CreateObject();
    cJSON *c = cJSON_AddObjectToObject(r, "capabilities");
    cJSON *t = cJSON_AddObjectToObject(c, "tools");
    cJSON_AddBoolToObject(t, "listChanged", s->cfg.tools_list_changed);
    cJSON *p = cJSON_AddObjectToObject(c, "prompts");
    cJSON_AddFalseToObject(p, "listChanged");
    cJSON *rs = cJSON_AddObjectToObject(c, "resources");
    cJSON_AddFalseToObject(rs, "subscribe");
    cJSON_AddFalseToObject(rs, "listChanged");
    cJSON_AddStringToObject(r, "protocolVersion", s->version);
    cJSON *si = cJSON_AddObjectToObject(r, "serverInfo");
    cJSON_AddStringToObject(si, "name", "wasmbox");
    cJSON_AddStringToObject(si, "version", s->cfg.server_version);
    cJSON_AddStringToObject(r, "instructions",
                            "Every tool call runs in its own WebAssembly sandbox with only the "
                            "capabilities its manifest asks for and the operator's policy grants; "
                            "a refused capability comes back as a tool error naming it.");
    s->initialized = true;
    mcp_send_response(s, id, r);
    atomic_store(&s->announced, s->cfg.tools_list_changed);
}

/* server/discover (2026-07-28): the revisions served statelessly, the
 * capabilities, who this is. Legacy revisions are reached with initialize,
 * which this method does not advertise. */
void mcp_method_discover(mcp_server *s, const cJSON *id, const cJSON *params)
{
    static const char *const none[] = {NULL};
    if (!mcp_params_only(s, id, params, none))
        return;
    cJSON *r = cJSON_CreateObject();
    cJSON *v = cJSON_AddArrayToObject(r, "supportedVersions");
    cJSON_AddItemToArray(v, cJSON_CreateString(MCP_STATELESS_VERSION));
    cJSON *c = cJSON_AddObjectToObject(r, "capabilities");
    cJSON_AddObjectToObject(c, "tools");
    cJSON_AddObjectToObject(c, "prompts");
    cJSON_AddObjectToObject(c, "resources");
    cJSON *si = cJSON_AddObjectToObject(r, "serverInfo");
    cJSON_AddStringToObject(si, "name", "wasmbox");
    cJSON_AddStringToObject(si, "version", s->cfg.server_version);
    cJSON_AddStringToObject(r, "instructions",
                            "Every tool call runs in its own WebAssembly sandbox with only the "
                            "capabilities its manifest asks for and the operator's policy grants; "
                            "a refused capability comes back as a tool error naming it.");
    mcp_send_result(s, id, r);
}

bool mcp_server_open(mcp_server *s, const mcp_config *cfg, const mcp_backend *tools,
                     const mcp_skills *skills, int out_fd, mcp_sink_fn sink, void *sink_ctx)
{
    static const mcp_skills no_skills;
    memset(s, 0, sizeof *s);
    s->cfg = *cfg;
    s->tools = tools;
    s->skills = skills ? skills : &no_skills;
    s->in_fd = -1;
    s->out_fd = out_fd;
    s->sink = sink;
    s->sink_ctx = sink_ctx;
    if (s->cfg.jobs < 1)
        s->cfg.jobs = 1;
    if (s->cfg.max_queue < s->cfg.jobs)
        s->cfg.max_queue = s->cfg.jobs;
    if (s->cfg.page_size < 1)
        s->cfg.page_size = 1;
    pthread_mutex_init(&s->out_lock, NULL);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->work, NULL);
    /* The threads (and those the backend starts from them) block SIGTERM
     * and SIGINT, so the signal reaches the reader and interrupts its read. */
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    bool ok = mcp_progress_start(s) && mcp_pool_start(s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!ok) {
        fprintf(stderr, "wasmbox mcp: could not start the worker threads\n");
        mcp_server_close(s);
        return false;
    }
    return true;
}

void mcp_server_close(mcp_server *s)
{
    mcp_pool_finish(s);
    mcp_progress_stop(s);
    pthread_cond_destroy(&s->work);
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_destroy(&s->out_lock);
}

int mcp_serve(const mcp_config *cfg, const mcp_backend *tools, const mcp_skills *skills,
              int in_fd, int out_fd)
{
    mcp_server s;
    if (!mcp_server_open(&s, cfg, tools, skills, out_fd, NULL, NULL))
        return 1;
    mcp_reader r = {.fd = in_fd, .max = s.cfg.max_message};
    mcp_notify_stdio(&s);
    int rc = 0;
    for (;;) {
        char *line;
        size_t len;
        int got = mcp_read_line(&r, &line, &len);
        if (mcp_stop_requested)
            break;
        if (got == MCP_EOF)
            break;
        if (got == MCP_READ_ERROR) {
            fprintf(stderr, "wasmbox mcp: reading the input failed; stopping\n");
            rc = 1;
            break;
        }
        if (got == MCP_TOO_LONG) {
            mcp_send_error(&s, NULL, RPC_INVALID_REQUEST,
                           "invalid request: message over %zu bytes (the cap, --max-message)",
                           s.cfg.max_message);
        } else if (len && strspn(line, " \t") < len) {
            /* (a blank line is no message: skipped) */
            mcp_handle_line(&s, line, len);
        }
        pthread_mutex_lock(&s.out_lock);
        bool broken = s.out_broken;
        pthread_mutex_unlock(&s.out_lock);
        if (broken) {
            fprintf(stderr, "wasmbox mcp: the output is closed; stopping\n");
            rc = 1;
            break;
        }
    }
    mcp_notify_stdio(NULL);
    if (mcp_stop_requested || rc)
        mcp_pool_cancel_all(&s);
    mcp_pool_finish(&s);
    if (s.out_broken)
        rc = 1;
    free(r.buf);
    mcp_server_close(&s);
    return rc;
}
