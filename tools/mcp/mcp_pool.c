/* The worker pool: tool calls queue here and run on cfg.jobs threads, so
 * several sandboxes run at once and answers may come out of order (JSON-RPC
 * matches them by id). At most cfg.max_queue calls are queued or running;
 * past that a call is refused at once (-32000), so memory stays bounded
 * whatever the client sends. */
#include "mcp_internal.h"

#include <stdlib.h>
#include <string.h>

void mcp_job_free(mcp_job *job)
{
    if (!job)
        return;
    if (job->cancel && job->srv)
        job->srv->tools->cancel_free(job->cancel);
    cJSON_Delete(job->id);
    cJSON_Delete(job->args);
    cJSON_Delete(job->progress_token);
    free(job->id_key);
    free(job->tool);
    mcp_batch *b = job->batch;
    free(job);
    if (b) /* its batch may be complete now: sent */
        mcp_batch_release(b);
}

static void *worker(void *arg)
{
    mcp_server *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->lock);
        while (!s->queue_head && !s->closing)
            pthread_cond_wait(&s->work, &s->lock);
        mcp_job *job = s->queue_head;
        if (!job) { /* closing and nothing left */
            pthread_mutex_unlock(&s->lock);
            return NULL;
        }
        s->queue_head = job->next;
        if (!s->queue_head)
            s->queue_tail = NULL;
        job->next = s->running;
        s->running = job;
        bool skip = job->cancelled;
        pthread_mutex_unlock(&s->lock);

        if (!skip)
            mcp_run_job(job); /* answers unless cancelled meanwhile */

        pthread_mutex_lock(&s->lock);
        for (mcp_job **p = &s->running; *p; p = &(*p)->next)
            if (*p == job) {
                *p = job->next;
                break;
            }
        s->pending--;
        pthread_mutex_unlock(&s->lock);
        mcp_job_free(job);
    }
}

bool mcp_pool_start(mcp_server *s)
{
    s->threads = calloc(s->cfg.jobs, sizeof *s->threads);
    if (!s->threads)
        return false;
    for (size_t i = 0; i < s->cfg.jobs; i++) {
        if (pthread_create(&s->threads[i], NULL, worker, s)) {
            mcp_pool_finish(s);
            return false;
        }
        s->nthreads++;
    }
    return true;
}

bool mcp_pool_submit(mcp_server *s, mcp_job *job)
{
    pthread_mutex_lock(&s->lock);
    if (s->pending >= s->cfg.max_queue) {
        pthread_mutex_unlock(&s->lock);
        return false;
    }
    job->srv = s;
    job->next = NULL;
    if (s->queue_tail)
        s->queue_tail->next = job;
    else
        s->queue_head = job;
    s->queue_tail = job;
    s->pending++;
    pthread_cond_signal(&s->work);
    pthread_mutex_unlock(&s->lock);
    return true;
}

static mcp_job *find_locked(mcp_server *s, const char *id_key)
{
    for (mcp_job *j = s->running; j; j = j->next)
        if (!strcmp(j->id_key, id_key))
            return j;
    for (mcp_job *j = s->queue_head; j; j = j->next)
        if (!strcmp(j->id_key, id_key))
            return j;
    return NULL;
}

bool mcp_pool_has_id(mcp_server *s, const char *id_key)
{
    pthread_mutex_lock(&s->lock);
    bool has = find_locked(s, id_key) && !find_locked(s, id_key)->cancelled;
    pthread_mutex_unlock(&s->lock);
    return has;
}

/* Under s->lock, so the job (and its token) cannot be freed meanwhile. */
static void cancel_locked(mcp_server *s, mcp_job *j)
{
    j->cancelled = true;
    s->tools->cancel_fire(j->cancel);
}

bool mcp_pool_cancel(mcp_server *s, const char *id_key)
{
    pthread_mutex_lock(&s->lock);
    mcp_job *j = find_locked(s, id_key);
    if (j)
        cancel_locked(s, j);
    pthread_mutex_unlock(&s->lock);
    return j != NULL;
}

void mcp_pool_cancel_all(mcp_server *s)
{
    pthread_mutex_lock(&s->lock);
    for (mcp_job *j = s->running; j; j = j->next)
        cancel_locked(s, j);
    for (mcp_job *j = s->queue_head; j; j = j->next)
        cancel_locked(s, j);
    pthread_mutex_unlock(&s->lock);
}

void mcp_pool_finish(mcp_server *s)
{
    pthread_mutex_lock(&s->lock);
    s->closing = true;
    pthread_cond_broadcast(&s->work);
    pthread_mutex_unlock(&s->lock);
    for (size_t i = 0; i < s->nthreads; i++)
        pthread_join(s->threads[i], NULL);
    free(s->threads);
    s->threads = NULL;
    s->nthreads = 0;
}
