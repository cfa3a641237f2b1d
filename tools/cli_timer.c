/* The wall-clock limit: a thread sleeps on a condition variable until either
 * the deadline (then it interrupts the engine and the WASI shim, which stops
 * running wasm and blocking calls alike) or the run ends first (then it is
 * woken and joined at once). The monotonic clock keeps clock changes out. */
#include "cli.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct cli_timer {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct timespec deadline; /* CLOCK_MONOTONIC */
    bool stopping;            /* the run ended: leave without firing */
    bool fired;
    wb_store *store;
    wb_wasi *wasi;
};

uint64_t cli_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void *timer_main(void *arg)
{
    cli_timer *t = arg;
    pthread_mutex_lock(&t->mu);
    while (!t->stopping && !t->fired) {
        int rc = pthread_cond_timedwait(&t->cv, &t->mu, &t->deadline);
        /* 0 is a wake-up (maybe spurious): look at the flags again. Any
         * other error would make the wait useless: fire rather than let
         * the guest run unbounded. */
        if (rc != 0 && !t->stopping) {
            t->fired = true;
            /* Both are safe from any thread; the shim wakes blocked calls,
             * the store stops wasm code at its next check point. */
            wb_wasi_interrupt(t->wasi);
            wb_store_interrupt(t->store);
        }
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

cli_timer *cli_timer_start(uint64_t ms, wb_store *store, wb_wasi *wasi, char *err, size_t errlen)
{
    cli_timer *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "timeout: out of memory");
        return NULL;
    }
    t->store = store;
    t->wasi = wasi;
    clock_gettime(CLOCK_MONOTONIC, &t->deadline);
    /* Clamp absurd timeouts (2^40 s is ~35,000 years) so time_t cannot overflow. */
    uint64_t secs = ms / 1000;
    if (secs > (uint64_t)1 << 40)
        secs = (uint64_t)1 << 40;
    t->deadline.tv_sec += (time_t)secs;
    t->deadline.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t->deadline.tv_nsec >= 1000000000L) {
        t->deadline.tv_sec++;
        t->deadline.tv_nsec -= 1000000000L;
    }
    pthread_condattr_t attr;
    int rc = pthread_condattr_init(&attr);
    if (!rc)
        rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if (!rc)
        rc = pthread_cond_init(&t->cv, &attr);
    pthread_condattr_destroy(&attr);
    if (rc) {
        snprintf(err, errlen, "timeout: cannot set up the timer: %s", strerror(rc));
        free(t);
        return NULL;
    }
    pthread_mutex_init(&t->mu, NULL);
    rc = pthread_create(&t->thread, NULL, timer_main, t);
    if (rc) {
        snprintf(err, errlen, "timeout: cannot start the timer thread: %s", strerror(rc));
        pthread_cond_destroy(&t->cv);
        pthread_mutex_destroy(&t->mu);
        free(t);
        return NULL;
    }
    return t;
}

bool cli_timer_stop(cli_timer *t)
{
    if (!t)
        return false;
    pthread_mutex_lock(&t->mu);
    t->stopping = true;
    pthread_cond_signal(&t->cv);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->thread, NULL);
    bool fired = t->fired;
    pthread_cond_destroy(&t->cv);
    pthread_mutex_destroy(&t->mu);
    free(t);
    return fired;
}
