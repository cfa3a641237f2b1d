/* Cancellation and each call's watchdog thread.
 *
 * The watchdog sleeps on a condition variable (CLOCK_MONOTONIC) until the
 * call's deadline, its next progress report, a cancel or the call's end. At
 * the deadline or on a cancel it interrupts the store (running wasm stops at
 * its next check point) and the WASI shim (blocking calls wake). Unlike the
 * CLI's timer it never ends the process: a bridge serves other calls. */
#include "bridge_internal.h"

#include "../net/guest_http.h"
#include "../wasi/wasi.h"

#include <pthread.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct wbt_watch {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    wbt_watch_cfg cfg;
    uint64_t start_ms;
    int64_t deadline_ms;   /* INT64_MAX: none */
    bool done;             /* the call ended: leave */
    bool woken;            /* a cancel fired (the cancel's list told us) */
    wbt_stop why;          /* set once, by the thread */
    wbt_watch *next;       /* in the cancel's list */
};

struct wbt_cancel {
    pthread_mutex_t mu;
    bool fired;            /* under mu; also read atomically */
    wbt_watch *watchers;
};

uint64_t wbt_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

wbt_cancel *wbt_cancel_new(void)
{
    wbt_cancel *c = calloc(1, sizeof *c);
    if (c)
        pthread_mutex_init(&c->mu, NULL);
    return c;
}

bool wbt_cancel_fired(const wbt_cancel *c)
{
    return c && __atomic_load_n(&c->fired, __ATOMIC_ACQUIRE);
}

void wbt_cancel_fire(wbt_cancel *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    __atomic_store_n(&c->fired, true, __ATOMIC_RELEASE);
    for (wbt_watch *w = c->watchers; w; w = w->next) {
        pthread_mutex_lock(&w->mu);
        w->woken = true;
        pthread_cond_signal(&w->cv);
        pthread_mutex_unlock(&w->mu);
    }
    pthread_mutex_unlock(&c->mu);
}

void wbt_cancel_free(wbt_cancel *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static void interrupt(wbt_watch *w, wbt_stop why)
{
    if (w->why != WBT_STOP_NONE)
        return;
    w->why = why;
    wb_store_interrupt(w->cfg.store);
    if (w->cfg.wasi)
        wb_wasi_interrupt(w->cfg.wasi);
    /* (at the deadline guest HTTP stops by itself: it has the same one) */
    if (why != WBT_STOP_TIMEOUT && w->cfg.http)
        wb_guest_http_set_deadline(w->cfg.http, (int64_t)wbt_now_ms());
    if (why != WBT_STOP_TIMEOUT && w->cfg.abort_fd >= 0) {
        uint64_t one = 1;
        ssize_t n = write(w->cfg.abort_fd, &one, sizeof one);
        (void)n; /* an eventfd write of 1 cannot fail short of overflow */
    }
}

/* The tool has written more than its output cap (the shim cut the rest). */
static bool output_over(const wbt_watch *w)
{
    struct stat a, b;
    if (w->cfg.out_fd < 0 || w->cfg.max_output == WB_UNLIMITED)
        return false;
    uint64_t total = 0;
    if (fstat(w->cfg.out_fd, &a) == 0)
        total += (uint64_t)a.st_size;
    if (w->cfg.err_fd >= 0 && fstat(w->cfg.err_fd, &b) == 0)
        total += (uint64_t)b.st_size;
    return total > w->cfg.max_output;
}

static struct timespec at_ms(uint64_t ms)
{
    return (struct timespec){.tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000L};
}

static void *watch_main(void *arg)
{
    wbt_watch *w = arg;
    uint64_t next_progress =
        w->cfg.progress && w->cfg.progress_ms ? w->start_ms + w->cfg.progress_ms : UINT64_MAX;
    bool check_output = w->cfg.out_fd >= 0 && w->cfg.max_output != WB_UNLIMITED;
    uint64_t next_output = check_output ? w->start_ms + WBT_OUTPUT_CHECK_MS : UINT64_MAX;
    pthread_mutex_lock(&w->mu);
    while (!w->done) {
        uint64_t now = wbt_now_ms();
        if (w->woken || wbt_cancel_fired(w->cfg.cancel))
            interrupt(w, WBT_STOP_CANCEL);
        if (w->deadline_ms != INT64_MAX && (int64_t)now >= w->deadline_ms)
            interrupt(w, WBT_STOP_TIMEOUT);
        if (now >= next_output) {
            if (output_over(w))
                interrupt(w, WBT_STOP_OUTPUT);
            next_output = now + WBT_OUTPUT_CHECK_MS;
        }
        if (now >= next_progress && w->why == WBT_STOP_NONE) {
            /* Unlocked: the callback may take its time; done is re-read after. */
            pthread_mutex_unlock(&w->mu);
            w->cfg.progress(w->cfg.progress_ud, wb_store_fuel_used_now(w->cfg.store),
                            now - w->start_ms);
            pthread_mutex_lock(&w->mu);
            next_progress = now + w->cfg.progress_ms;
            continue;
        }
        uint64_t wake = next_progress < next_output ? next_progress : next_output;
        if (w->why == WBT_STOP_NONE && w->deadline_ms != INT64_MAX &&
            (uint64_t)w->deadline_ms < wake)
            wake = (uint64_t)w->deadline_ms;
        if (w->why != WBT_STOP_NONE || wake == UINT64_MAX) {
            pthread_cond_wait(&w->cv, &w->mu);
        } else {
            struct timespec ts = at_ms(wake);
            pthread_cond_timedwait(&w->cv, &w->mu, &ts);
        }
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

wbt_watch *wbt_watch_start(const wbt_watch_cfg *cfg)
{
    wbt_watch *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->cfg = *cfg;
    w->start_ms = wbt_now_ms();
    w->deadline_ms = cfg->timeout_ms == WB_UNLIMITED || cfg->timeout_ms > INT64_MAX / 2
                         ? INT64_MAX
                         : (int64_t)(w->start_ms + cfg->timeout_ms);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (cfg->cancel) {
        pthread_mutex_lock(&cfg->cancel->mu);
        w->next = cfg->cancel->watchers;
        cfg->cancel->watchers = w;
        pthread_mutex_unlock(&cfg->cancel->mu);
    }
    if (pthread_create(&w->thread, NULL, watch_main, w) != 0) {
        w->done = true;
        wbt_watch_stop(w);
        return NULL;
    }
    return w;
}

static void unlink_from_cancel(wbt_watch *w)
{
    wbt_cancel *c = w->cfg.cancel;
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    for (wbt_watch **p = &c->watchers; *p; p = &(*p)->next) {
        if (*p == w) {
            *p = w->next;
            break;
        }
    }
    pthread_mutex_unlock(&c->mu);
}

wbt_stop wbt_watch_stop(wbt_watch *w)
{
    if (!w)
        return WBT_STOP_NONE;
    bool started = !w->done;
    unlink_from_cancel(w);
    pthread_mutex_lock(&w->mu);
    w->done = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    if (started)
        pthread_join(w->thread, NULL);
    wbt_stop why = w->why;
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w);
    return why;
}

int64_t wbt_watch_deadline_ms(const wbt_watch *w)
{
    return w ? w->deadline_ms : INT64_MAX;
}
