/* The run's wall-clock timer (tools/cli_timer.c): once the guest has
 * stopped, the run's end that is slow to be written (its thread runnable,
 * waiting for a CPU on a loaded machine) is waited for, while one blocked
 * on a reader that never reads is cut CLI_HARD_STOP_MS later as before.
 * Each case runs in a child process, since the hard stop ends the process. */
#include "../../tools/cli.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static atomic_int spinning_stop;
static atomic_int spinner_tid, reader_tid; /* each thread publishes its own */

static void *spin(void *arg)
{
    (void)arg;
    atomic_store(&spinner_tid, gettid());
    while (!atomic_load(&spinning_stop)) {
    }
    return NULL;
}

static void *block_on_read(void *arg)
{
    char c;
    atomic_store(&reader_tid, gettid());
    (void)!read(*(int *)arg, &c, 1);
    return NULL;
}

static pid_t wait_for_tid(atomic_int *tid)
{
    for (int i = 0; i < 5000 && !atomic_load(tid); i++)
        usleep(1000);
    return atomic_load(tid);
}

/* cli_thread_runnable: the calling thread and a spinning one are runnable;
 * one blocked in read(2) is not; a thread that does not exist is not. */
static void test_thread_state(void **state)
{
    (void)state;
    assert_true(cli_thread_runnable(gettid()));

    pthread_t spinner;
    atomic_store(&spinning_stop, 0);
    assert_int_equal(pthread_create(&spinner, NULL, spin, NULL), 0);
    pid_t spinner_id = wait_for_tid(&spinner_tid);
    assert_true(spinner_id > 0);
    assert_true(cli_thread_runnable(spinner_id));
    atomic_store(&spinning_stop, 1);
    pthread_join(spinner, NULL);

    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pthread_t reader;
    assert_int_equal(pthread_create(&reader, NULL, block_on_read, &fds[0]), 0);
    pid_t reader_id = wait_for_tid(&reader_tid);
    assert_true(reader_id > 0);
    /* it blocks soon after it starts: within 5 s it must read as not runnable */
    bool blocked = false;
    for (int i = 0; i < 500 && !blocked; i++) {
        blocked = !cli_thread_runnable(reader_id);
        if (!blocked)
            usleep(10000);
    }
    assert_true(blocked);
    assert_int_equal(write(fds[1], "x", 1), 1);
    pthread_join(reader, NULL);
    close(fds[0]);
    close(fds[1]);

    assert_false(cli_thread_runnable(0));
    assert_false(cli_thread_runnable(-1));
}

static atomic_int hard_stops;

static void count_hard_stop(void *user, bool guest_stopped)
{
    (void)user;
    (void)guest_stopped;
    atomic_fetch_add(&hard_stops, 1);
}

static void busy_ms(unsigned ms)
{
    uint64_t until = cli_now_ms() + ms;
    while (cli_now_ms() < until) {
    }
}

/* A child: a 10 ms timeout whose "guest" stops 20 ms in, then an end that
 * is written slowly (spinning for slow_ms) or never (blocked on a pipe).
 * Returns the child's exit status. */
static int run_child(bool blocked, unsigned slow_ms)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        wb_wasi_config c = wb_wasi_default_config();
        char err[256];
        wb_wasi *w = wb_wasi_new(&c, err, sizeof err);
        wb_store *s = wb_store_new(NULL);
        if (!w || !s)
            _exit(3);
        cli_timer *t = cli_timer_start(10, s, w, count_hard_stop, NULL, err, sizeof err);
        if (!t)
            _exit(4);
        usleep(20000);
        if (!cli_timer_stop(t)) /* past the deadline: the timer has fired */
            _exit(5);
        if (blocked) {
            int fds[2];
            char ch;
            if (pipe(fds) != 0)
                _exit(6);
            (void)!read(fds[0], &ch, 1); /* nobody writes: the hard stop ends us */
            _exit(7);
        }
        busy_ms(slow_ms); /* slow, but runnable all along */
        cli_timer_free(t);
        _exit(atomic_load(&hard_stops) == 0 ? 0 : 8);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* Spinning for 300 ms (five times CLI_HARD_STOP_MS) after the guest stopped:
 * the end is still written, the process exits normally. */
static void test_slow_end_is_waited_for(void **state)
{
    (void)state;
    assert_int_equal(run_child(false, 5 * CLI_HARD_STOP_MS), 0);
}

/* Blocked on a reader that never reads: cut, exit CLI_EXIT_LIMIT, soon. */
static void test_blocked_end_is_cut(void **state)
{
    (void)state;
    uint64_t t0 = cli_now_ms();
    assert_int_equal(run_child(true, 0), CLI_EXIT_LIMIT);
    /* 20 ms in + CLI_HARD_STOP_MS (+ CLI_BACKSTOP_MS); a generous margin
     * for a loaded machine, far below CLI_FINISH_SLOW_MS */
    assert_true(cli_now_ms() - t0 < CLI_FINISH_SLOW_MS / 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thread_state),
        cmocka_unit_test(test_slow_end_is_waited_for),
        cmocka_unit_test(test_blocked_end_is_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
