/* Clocks (all four ids, resolutions, sleeping through poll_oneoff) and
 * random_get. Prints "FAIL ..." lines for anything wrong, then "clocks ok". */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

/* proc_raise left wasi-libc's header; call the import itself */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise")))
int32_t raw_proc_raise(int32_t sig);

static int fails;
#define CHECK(c)                                                                   \
    do {                                                                           \
        if (!(c)) {                                                                \
            printf("FAIL line %d: %s (errno %d)\n", __LINE__, #c, errno);          \
            fails++;                                                               \
        }                                                                          \
    } while (0)

static uint64_t now_ns(__wasi_clockid_t id)
{
    __wasi_timestamp_t t = 0;
    CHECK(__wasi_clock_time_get(id, 1, &t) == 0);
    return t;
}

int main(void)
{
    CHECK(now_ns(__WASI_CLOCKID_REALTIME) > 1600000000ull * 1000000000ull);
    uint64_t m1 = now_ns(__WASI_CLOCKID_MONOTONIC), m2 = now_ns(__WASI_CLOCKID_MONOTONIC);
    CHECK(m2 >= m1);
    volatile uint64_t spin = 0;
    uint64_t c1 = now_ns(__WASI_CLOCKID_PROCESS_CPUTIME_ID);
    for (int i = 0; i < 1000000; i++)
        spin += (uint64_t)i;
    uint64_t c2 = now_ns(__WASI_CLOCKID_PROCESS_CPUTIME_ID);
    CHECK(c2 > c1 && spin > 0);
    CHECK(now_ns(__WASI_CLOCKID_THREAD_CPUTIME_ID) > 0);
    for (__wasi_clockid_t id = 0; id < 4; id++) {
        __wasi_timestamp_t r = 0;
        CHECK(__wasi_clock_res_get(id, &r) == 0 && r > 0);
    }
    __wasi_timestamp_t t;
    CHECK(__wasi_clock_time_get(99, 1, &t) == __WASI_ERRNO_INVAL);

    /* sleeping lasts at least as long as asked */
    uint64_t s1 = now_ns(__WASI_CLOCKID_MONOTONIC);
    struct timespec ts = {0, 20000000};
    CHECK(nanosleep(&ts, NULL) == 0);
    CHECK(now_ns(__WASI_CLOCKID_MONOTONIC) - s1 >= 20000000ull);

    /* two clocks: only the short one fires */
    __wasi_subscription_t subs[3];
    memset(subs, 0, sizeof subs);
    subs[0].userdata = 11;
    subs[0].u.tag = __WASI_EVENTTYPE_CLOCK;
    subs[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    subs[0].u.u.clock.timeout = 5000000;
    subs[1].userdata = 22;
    subs[1].u.tag = __WASI_EVENTTYPE_CLOCK;
    subs[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    subs[1].u.u.clock.timeout = 1000ull * 1000000000ull;
    __wasi_event_t ev[3];
    __wasi_size_t n = 0;
    CHECK(__wasi_poll_oneoff(subs, ev, 2, &n) == 0);
    CHECK(n == 1 && ev[0].userdata == 11 && ev[0].error == 0 &&
          ev[0].type == __WASI_EVENTTYPE_CLOCK);
    /* an absolute realtime deadline in the past fires at once; stdout is writable */
    subs[0].u.u.clock.id = __WASI_CLOCKID_REALTIME;
    subs[0].u.u.clock.timeout = 1;
    subs[0].u.u.clock.flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
    subs[2].userdata = 33;
    subs[2].u.tag = __WASI_EVENTTYPE_FD_WRITE;
    subs[2].u.u.fd_write.file_descriptor = 1;
    CHECK(__wasi_poll_oneoff(subs, ev, 3, &n) == 0);
    int saw11 = 0, saw33 = 0;
    for (__wasi_size_t i = 0; i < n; i++) {
        saw11 |= ev[i].userdata == 11;
        saw33 |= ev[i].userdata == 33 && ev[i].type == __WASI_EVENTTYPE_FD_WRITE;
        CHECK(ev[i].userdata != 22);
    }
    CHECK(saw11 && saw33);
    /* a bad fd is an event with an error, not a failed call */
    subs[0].u.tag = __WASI_EVENTTYPE_FD_READ;
    subs[0].u.u.fd_read.file_descriptor = 999;
    CHECK(__wasi_poll_oneoff(subs, ev, 1, &n) == 0 && n == 1 && ev[0].error == __WASI_ERRNO_BADF);
    CHECK(__wasi_poll_oneoff(subs, ev, 0, &n) == __WASI_ERRNO_INVAL);

    uint8_t a[32], b[32], zero[32];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    memset(zero, 0, sizeof zero);
    CHECK(__wasi_random_get(a, sizeof a) == 0);
    CHECK(__wasi_random_get(b, sizeof b) == 0);
    CHECK(memcmp(a, zero, sizeof a) != 0 && memcmp(a, b, sizeof a) != 0);
    CHECK(__wasi_random_get(a, 0) == 0);
    CHECK(__wasi_sched_yield() == 0);
    CHECK(raw_proc_raise(15) == __WASI_ERRNO_NOSYS);
    printf(fails ? "clocks FAILED\n" : "clocks ok\n");
    return fails ? 1 : 0;
}
