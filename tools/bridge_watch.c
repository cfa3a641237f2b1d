/* Cancellation and the calls' watchdog.
 *
 * Each thread that runs calls has one watchdog thread, made on its first
 * call and kept (a pthread key ends it when the calling thread ends): a
 * thread made and joined for every call cost a clone, a join and two
 * hand-offs between cores per call, which at one call in flight were a
 * large part of its latency (bench/README.md, "MCP server"). The watchdog
 * sleeps on a condition variable (CLOCK_MONOTONIC) until the armed call's
 * deadline, its next output check or progress report, a cancel, or a new
 * call that needs it sooner. At the deadline or on a cancel it interrupts
 * the store (running wasm stops at its next check point) and the WASI shim
 * (blocking calls wake). Unlike the CLI's timer it never ends the process:
 * a bridge serves other calls.
 *
 * The watchdog touches a call's objects (store, shim, memfds) only while it
 * holds mu and the call is armed, or while `busy` (a progress callback, run
 * unlocked); disarming waits out `busy`, so once wbt_watch_stop returns
 * nothing of the call is used again and the next call starts clean (its own
 * cfg, why, woken, times). Starting a call wakes the thread only when the
 * call needs it before the time it already sleeps to: calls back to back
 * (each shorter than the 10 ms output check) then cost it no wake at all. */
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
    pthread_cond_t cv;       /* the watchdog waits on it */
    pthread_cond_t idle_cv;  /* wbt_watch_stop waits on it for !busy */
    bool quit;               /* the owning thread ended: leave */
    /* the armed call, all under mu */
    bool armed;
    wbt_watch_cfg cfg;
    uint64_t start_ms;
    int64_t deadline_ms;     /* INT64_MAX: none */
    uint64_t next_progress, next_output; /* UINT64_MAX: none */
    bool woken;              /* a cancel fired (the cancel's list told us) */
    bool busy;               /* a progress callback is running, unlocked */
    wbt_stop why;            /* set once per call, by the watchdog */
    uint64_t sleep_until;    /* what the watchdog sleeps to (UINT64_MAX: untimed) */
    wbt_watch *next;         /* in the cancel's list */
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

/* The earliest time the armed call needs the watchdog (UINT64_MAX: none). */
static uint64_t next_wake(const wbt_watch *w)
{
    uint64_t wake = w->next_progress < w->next_output ? w->next_progress : w->next_output;
    if (w->why == WBT_STOP_NONE && w->deadline_ms != INT64_MAX &&
        (uint64_t)w->deadline_ms < wake)
        wake = (uint64_t)w->deadline_ms;
    return w->why == WBT_STOP_NONE ? wake : UINT64_MAX;
}

static void *watch_main(void *arg)
{
    wbt_watch *w = arg;
    pthread_mutex_lock(&w->mu);
    while (!w->quit) {
        if (!w->armed) {
            w->sleep_until = UINT64_MAX;
            pthread_cond_wait(&w->cv, &w->mu);
            continue;
        }
        uint64_t now = wbt_now_ms();
        if (w->woken || wbt_cancel_fired(w->cfg.cancel))
            interrupt(w, WBT_STOP_CANCEL);
        if (w->deadline_ms != INT64_MAX && (int64_t)now >= w->deadline_ms)
            interrupt(w, WBT_STOP_TIMEOUT);
        if (now >= w->next_output) {
            if (output_over(w))
                interrupt(w, WBT_STOP_OUTPUT);
            w->next_output = now + WBT_OUTPUT_CHECK_MS;
        }
        if (now >= w->next_progress && w->why == WBT_STOP_NONE) {
            /* Unlocked: the callback may take its time. Stopping the call
             * waits until busy is clear, so cfg stays this call's. */
            wbt_watch_cfg cfg = w->cfg;
            uint64_t start = w->start_ms;
            w->busy = true;
            pthread_mutex_unlock(&w->mu);
            cfg.progress(cfg.progress_ud, wb_store_fuel_used_now(cfg.store), now - start);
            pthread_mutex_lock(&w->mu);
            w->busy = false;
            pthread_cond_broadcast(&w->idle_cv);
            if (w->armed)
                w->next_progress = now + w->cfg.progress_ms;
            continue;
        }
        uint64_t wake = next_wake(w);
        w->sleep_until = wake;
        if (wake == UINT64_MAX) {
            pthread_cond_wait(&w->cv, &w->mu);
        } else {
            struct timespec ts = at_ms(wake);
            pthread_cond_timedwait(&w->cv, &w->mu, &ts);
        }
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* ---- the calling thread's watchdog ---- */

static pthread_key_t watch_key;
static pthread_once_t watch_once = PTHREAD_ONCE_INIT;
static bool watch_key_ok;

/* The calling thread ended: its watchdog ends too. */
static void watch_end(void *arg)
{
    wbt_watch *w = arg;
    pthread_mutex_lock(&w->mu);
    w->quit = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    pthread_cond_destroy(&w->idle_cv);
    free(w);
}

static void make_key(void)
{
    watch_key_ok = pthread_key_create(&watch_key, watch_end) == 0;
}

static wbt_watch *thread_watch(void)
{
    pthread_once(&watch_once, make_key);
    if (!watch_key_ok)
        return NULL;
    wbt_watch *w = pthread_getspecific(watch_key);
    if (w)
        return w;
    w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, &ca);
    pthread_cond_init(&w->idle_cv, NULL);
    pthread_condattr_destroy(&ca);
    w->sleep_until = UINT64_MAX;
    if (pthread_create(&w->thread, NULL, watch_main, w) != 0) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        pthread_cond_destroy(&w->idle_cv);
        free(w);
        return NULL;
    }
    if (pthread_setspecific(watch_key, w) != 0) {
        watch_end(w);
        return NULL;
    }
    return w;
}

wbt_watch *wbt_watch_start(const wbt_watch_cfg *cfg)
{
    wbt_watch *w = thread_watch();
    if (!w)
        return NULL;
    uint64_t now = wbt_now_ms();
    pthread_mutex_lock(&w->mu);
    w->cfg = *cfg;
    w->start_ms = now;
    w->deadline_ms = cfg->timeout_ms == WB_UNLIMITED || cfg->timeout_ms > INT64_MAX / 2
                         ? INT64_MAX
                         : (int64_t)(now + cfg->timeout_ms);
    w->next_progress = cfg->progress && cfg->progress_ms ? now + cfg->progress_ms : UINT64_MAX;
    w->next_output = cfg->out_fd >= 0 && cfg->max_output != WB_UNLIMITED
                         ? now + WBT_OUTPUT_CHECK_MS
                         : UINT64_MAX;
    w->woken = false;
    w->why = WBT_STOP_NONE;
    w->armed = true;
    /* Woken only when it sleeps past what this call needs. */
    if (next_wake(w) < w->sleep_until)
        pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    /* Armed first, listed second: a cancel fired in between is seen by the
     * watchdog's own look at the token (wbt_cancel_fired). */
    if (cfg->cancel) {
        pthread_mutex_lock(&cfg->cancel->mu);
        w->next = cfg->cancel->watchers;
        cfg->cancel->watchers = w;
        pthread_mutex_unlock(&cfg->cancel->mu);
        if (wbt_cancel_fired(cfg->cancel)) {
            pthread_mutex_lock(&w->mu);
            w->woken = true;
            pthread_cond_signal(&w->cv);
            pthread_mutex_unlock(&w->mu);
        }
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
    w->next = NULL;
    pthread_mutex_unlock(&c->mu);
}

wbt_stop wbt_watch_stop(wbt_watch *w)
{
    if (!w)
        return WBT_STOP_NONE;
    unlink_from_cancel(w);
    pthread_mutex_lock(&w->mu);
    while (w->busy)
        pthread_cond_wait(&w->idle_cv, &w->mu);
    w->armed = false;
    wbt_stop why = w->why;
    w->cfg = (wbt_watch_cfg){.out_fd = -1, .err_fd = -1, .abort_fd = -1};
    /* not woken: it finds the call gone when its timer next fires */
    pthread_mutex_unlock(&w->mu);
    return why;
}

int64_t wbt_watch_deadline_ms(const wbt_watch *w)
{
    return w ? w->deadline_ms : INT64_MAX;
}
