/* Progress notifications (MCP "utilities/progress") for calls that carry
 * _meta.progressToken. The backend reports from its watchdog thread, which
 * must never wait on a client that does not read; so the report is only
 * recorded here, and this file's thread sends it. The progress value is the
 * call's elapsed milliseconds (it grows with every notification, as the
 * specification requires); the message gives the instructions run too. */
#include "mcp_internal.h"

#include <stdio.h>
#include <stdlib.h>

void mcp_progress_record(mcp_job *job, uint64_t fuel_used, uint64_t elapsed_ms)
{
    mcp_server *s = job->srv;
    pthread_mutex_lock(&s->lock);
    if (!job->cancelled && !job->done && elapsed_ms > job->last_progress) {
        job->last_progress = elapsed_ms;
        job->progress_fuel = fuel_used;
        job->progress_pending = true;
        pthread_cond_signal(&s->progress_wake);
    }
    pthread_mutex_unlock(&s->lock);
}

void mcp_progress_done(mcp_job *job)
{
    mcp_server *s = job->srv;
    pthread_mutex_lock(&s->progress_lock);
    pthread_mutex_lock(&s->lock);
    job->done = true;
    job->progress_pending = false;
    pthread_mutex_unlock(&s->lock);
    pthread_mutex_unlock(&s->progress_lock);
}

static cJSON *notification(const mcp_job *job)
{
    char msg[128];
    snprintf(msg, sizeof msg, "running: %llu ms, %llu instructions",
             (unsigned long long)job->last_progress, (unsigned long long)job->progress_fuel);
    cJSON *n = cJSON_CreateObject();
    cJSON_AddStringToObject(n, "jsonrpc", "2.0");
    cJSON_AddStringToObject(n, "method", "notifications/progress");
    cJSON *p = cJSON_AddObjectToObject(n, "params");
    if (!p || !cJSON_AddItemToObject(p, "progressToken", cJSON_Duplicate(job->progress_token, true)) ||
        !cJSON_AddNumberToObject(p, "progress", (double)job->last_progress) ||
        !cJSON_AddStringToObject(p, "message", msg)) {
        cJSON_Delete(n);
        return NULL;
    }
    return n;
}

static void *sender(void *arg)
{
    mcp_server *s = arg;
    cJSON *batch = cJSON_CreateArray();
    pthread_mutex_lock(&s->progress_lock);
    for (;;) {
        pthread_mutex_lock(&s->lock);
        for (;;) {
            bool any = false;
            for (mcp_job *j = s->running; j && !any; j = j->next)
                any = j->progress_pending;
            if (any || s->progress_stopping)
                break;
            /* Wait without progress_lock, so workers can mark calls done. */
            pthread_mutex_unlock(&s->progress_lock);
            pthread_cond_wait(&s->progress_wake, &s->lock);
            pthread_mutex_unlock(&s->lock);
            pthread_mutex_lock(&s->progress_lock);
            pthread_mutex_lock(&s->lock);
        }
        bool stop = s->progress_stopping;
        for (mcp_job *j = s->running; j; j = j->next)
            if (j->progress_pending) {
                j->progress_pending = false; /* taken, sent or not */
                if (j->cancelled || j->done)
                    continue;
                cJSON *n = batch ? notification(j) : NULL; /* out of memory: skipped */
                if (n)
                    cJSON_AddItemToArray(batch, n);
            }
        pthread_mutex_unlock(&s->lock);
        if (stop)
            break;
        /* Sent holding progress_lock: a call cannot be answered meanwhile. */
        for (cJSON *n = batch ? batch->child : NULL; n; n = n->next)
            mcp_send(s, n);
        cJSON_Delete(batch);
        batch = cJSON_CreateArray();
    }
    pthread_mutex_unlock(&s->progress_lock);
    cJSON_Delete(batch);
    return NULL;
}

bool mcp_progress_start(mcp_server *s)
{
    pthread_mutex_init(&s->progress_lock, NULL);
    pthread_cond_init(&s->progress_wake, NULL);
    s->progress_started = !pthread_create(&s->progress_thread, NULL, sender, s);
    return s->progress_started;
}

void mcp_progress_stop(mcp_server *s)
{
    if (s->progress_started) {
        pthread_mutex_lock(&s->lock);
        s->progress_stopping = true;
        pthread_cond_signal(&s->progress_wake);
        pthread_mutex_unlock(&s->lock);
        pthread_join(s->progress_thread, NULL);
        s->progress_started = false;
    }
    pthread_cond_destroy(&s->progress_wake);
    pthread_mutex_destroy(&s->progress_lock);
}
