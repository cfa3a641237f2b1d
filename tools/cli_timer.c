/* The wall-clock limit, and the promise behind it: a run with a timeout ends
 * by its deadline whatever the guest is doing.
 *
 * A thread sleeps on a condition variable (against CLOCK_MONOTONIC, so clock
 * changes stay out) until the deadline, then interrupts the engine and the
 * WASI shim, which stops running wasm and blocking calls alike. That is
 * enough for everything the guest can wait on; it is not enough for a host
 * call that nothing interrupts (a write(2) into a pipe another process
 * filled first, an audit log nobody reads, a bulk memory instruction), nor
 * for the run's own closing writes (results, report, audit) to a reader that
 * stopped reading. So the thread stays on as a watchdog until the run's end
 * is written: CLI_HARD_STOP_MS after the deadline (or after the guest
 * stopped, if that was later) it ends the process itself, through the
 * caller's hard_stop function and then _exit(CLI_EXIT_LIMIT).
 *
 * Writing the run's end can be slow without being stuck: on a loaded
 * machine the main thread may wait its turn for the CPU for longer than
 * CLI_HARD_STOP_MS, and cutting it then loses the closing records of the
 * audit log. So once the guest has stopped, the hard stop waits another
 * CLI_HARD_STOP_MS each time it finds the main thread runnable (the
 * kernel's state 'R': running or waiting for a CPU, not blocked on a
 * reader), up to CLI_FINISH_SLOW_MS in all; a thread blocked in a write is
 * cut as before. */
#include "cli.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

typedef enum phase {
    T_RUNNING,   /* the guest runs: interrupt it at the deadline */
    T_FINISHING, /* the guest stopped; the run's end is being written */
    T_DONE,      /* all written: leave */
    T_HARD_STOP, /* the thread is ending the process */
} phase;

struct cli_timer {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct timespec deadline;  /* CLOCK_MONOTONIC */
    struct timespec stop_by;   /* the hard stop: deadline (or the guest's stop) + CLI_HARD_STOP_MS */
    struct timespec slow_by;   /* T_FINISHING: stop_by moves on while the main thread runs, until this */
    pid_t main_tid;            /* the thread that runs the guest and writes the run's end */
    phase phase;
    bool fired;
    bool parked; /* the thread saw T_DONE and will never touch t again */
    wb_store *store;
    wb_wasi *wasi;
    cli_hard_stop_fn hard_stop;
    void *user;
};

uint64_t cli_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static struct timespec add_ms(struct timespec t, uint64_t ms)
{
    /* Clamp absurd timeouts (2^40 s is ~35,000 years) so time_t cannot overflow. */
    uint64_t secs = ms / 1000;
    if (secs > (uint64_t)1 << 40)
        secs = (uint64_t)1 << 40;
    t.tv_sec += (time_t)secs;
    t.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

static bool reached(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

/* The hard stop's own writes may block as well (a lock the stuck thread
 * holds, a report or audit log nobody reads): the process ends
 * CLI_BACKSTOP_MS later whatever happens, from a signal handler. */
static void backstop_exit(int sig)
{
    (void)sig;
    _exit(CLI_EXIT_LIMIT);
}

static _Noreturn void hard_stop(cli_timer *t, bool guest_stopped)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = backstop_exit;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {.it_value = {.tv_sec = 0, .tv_usec = CLI_BACKSTOP_MS * 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
    if (t->hard_stop)
        t->hard_stop(t->user, guest_stopped);
    _exit(CLI_EXIT_LIMIT);
}

bool cli_thread_runnable(pid_t tid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/self/task/%ld/stat", (long)tid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false; /* no /proc: as before, the fixed margin only */
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = 0;
    /* "tid (comm) S ...": comm may hold spaces and parentheses, so the state
     * follows the last ')' */
    char *close_paren = strrchr(buf, ')');
    return close_paren && close_paren[1] == ' ' && close_paren[2] == 'R';
}

static void *timer_main(void *arg)
{
    cli_timer *t = arg;
    pthread_mutex_lock(&t->mu);
    while (t->phase != T_DONE) {
        const struct timespec *until =
            t->phase == T_RUNNING && !t->fired ? &t->deadline : &t->stop_by;
        /* Woken (maybe spuriously), timed out, or failed: the clock and the
         * phase decide, never the return code. */
        pthread_cond_timedwait(&t->cv, &t->mu, until);
        if (t->phase == T_DONE || !reached(until))
            continue;
        if (t->phase == T_RUNNING && !t->fired) {
            t->fired = true;
            /* Both are safe from any thread; the shim wakes blocked calls,
             * the store stops wasm code at its next check point. */
            wb_wasi_interrupt(t->wasi);
            wb_store_interrupt(t->store);
            continue;
        }
        bool guest_stopped = t->phase == T_FINISHING;
        if (guest_stopped && !reached(&t->slow_by) && cli_thread_runnable(t->main_tid)) {
            clock_gettime(CLOCK_MONOTONIC, &t->stop_by); /* slow, not stuck: wait on */
            t->stop_by = add_ms(t->stop_by, CLI_HARD_STOP_MS);
            continue;
        }
        t->phase = T_HARD_STOP;
        pthread_mutex_unlock(&t->mu);
        hard_stop(t, guest_stopped);
    }
    /* Parked, not ended. A thread that ends runs libc's per-thread
     * clean-up (resolver, RPC, dlerror and malloc state), code in 64 KB
     * windows of libc that nothing else in a run touches: ~70 KB of every
     * run's peak memory (bench/README.md "Start-up"). The run is over and
     * the process ends next; cli_timer_free waits for `parked`, after which
     * this thread touches nothing of t. */
    t->parked = true;
    pthread_cond_signal(&t->cv);
    pthread_mutex_unlock(&t->mu);
    for (;;)
        pause();
    return NULL;
}

cli_timer *cli_timer_start(uint64_t ms, wb_store *store, wb_wasi *wasi, cli_hard_stop_fn fn,
                           void *user, char *err, size_t errlen)
{
    cli_timer *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "timeout: out of memory");
        return NULL;
    }
    t->store = store;
    t->wasi = wasi;
    t->hard_stop = fn;
    t->user = user;
    t->phase = T_RUNNING;
    t->main_tid = gettid();
    clock_gettime(CLOCK_MONOTONIC, &t->deadline);
    t->deadline = add_ms(t->deadline, ms);
    t->stop_by = add_ms(t->deadline, CLI_HARD_STOP_MS);
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

int64_t cli_timer_deadline_ms(const cli_timer *t)
{
    /* rounded up: a wait that ends at this millisecond has reached the deadline */
    return (int64_t)t->deadline.tv_sec * 1000 + (t->deadline.tv_nsec + 999999) / 1000000;
}

/* The thread is ending the process (hard_stop): wait for it to. */
static _Noreturn void wait_for_hard_stop(void)
{
    for (;;)
        pause();
}

bool cli_timer_stop(cli_timer *t)
{
    if (!t)
        return false;
    pthread_mutex_lock(&t->mu);
    if (t->phase == T_HARD_STOP) {
        pthread_mutex_unlock(&t->mu);
        wait_for_hard_stop();
    }
    /* The deadline counts as reached once it has passed, even if the thread
     * has not woken yet: a guest stopped by something that shares the
     * deadline (guest HTTP) was stopped by the timeout. */
    bool passed = reached(&t->deadline), fired = t->fired || passed;
    if (t->phase == T_RUNNING) {
        t->phase = T_FINISHING;
        if (passed) { /* the end gets CLI_HARD_STOP_MS from now to be written */
            clock_gettime(CLOCK_MONOTONIC, &t->stop_by);
            t->stop_by = add_ms(t->stop_by, CLI_HARD_STOP_MS);
        }
        t->slow_by = add_ms(t->stop_by, CLI_FINISH_SLOW_MS);
        pthread_cond_signal(&t->cv);
    }
    pthread_mutex_unlock(&t->mu);
    return fired;
}

void cli_timer_free(cli_timer *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->mu);
    if (t->phase == T_HARD_STOP) {
        pthread_mutex_unlock(&t->mu);
        wait_for_hard_stop();
    }
    t->phase = T_DONE;
    pthread_cond_signal(&t->cv);
    /* One condition variable for both directions: the thread may be woken
     * by its own signal's neighbour, so each side re-checks its state. */
    while (!t->parked)
        pthread_cond_wait(&t->cv, &t->mu);
    pthread_mutex_unlock(&t->mu);
    pthread_detach(t->thread);
    pthread_cond_destroy(&t->cv);
    pthread_mutex_destroy(&t->mu);
    free(t);
}
