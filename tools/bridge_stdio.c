/* A call's in-memory stdio (three memfds) and its abort eventfd, kept per
 * thread and reset between calls instead of made and closed for each: four
 * files made and four closed a call were a tenth of the per-call system
 * calls of `wasmbox mcp` (bench/README.md, "MCP server").
 *
 * Reset means nothing of one call reaches the next: every memfd is cut to 0
 * bytes (its pages freed), its offset put back to 0 and its status flags
 * cleared (the guest may set O_APPEND or O_NONBLOCK through the shim's dup,
 * which shares the open file description), stdin then holds this call's
 * input only, and the eventfd's count is read to 0 (a cancel of the last
 * call must not abort guest HTTP in this one). A set whose reset fails is
 * closed and a new one made. The memfds are made without MFD_ALLOW_SEALING,
 * so no seal can stay behind. A pthread key closes a thread's set when the
 * thread ends; tests/unit/test_bridge_reuse.c checks calls back to back on
 * one thread see nothing of each other. */
#include "bridge_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

static pthread_key_t stdio_key;
static pthread_once_t stdio_once = PTHREAD_ONCE_INIT;
static bool stdio_key_ok;

static void close_set(wbt_stdio *s)
{
    int *fds[] = {&s->in, &s->out, &s->err, &s->abort};
    for (size_t i = 0; i < sizeof fds / sizeof *fds; i++) {
        if (*fds[i] >= 0)
            close(*fds[i]);
        *fds[i] = -1;
    }
}

static void stdio_end(void *arg)
{
    close_set(arg);
    free(arg);
}

static void make_key(void)
{
    stdio_key_ok = pthread_key_create(&stdio_key, stdio_end) == 0;
}

static bool open_set(wbt_stdio *s)
{
    s->in = memfd_create("wasmbox-tool-stdin", MFD_CLOEXEC);
    s->out = memfd_create("wasmbox-tool-stdout", MFD_CLOEXEC);
    s->err = memfd_create("wasmbox-tool-stderr", MFD_CLOEXEC);
    s->abort = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (s->in < 0 || s->out < 0 || s->err < 0 || s->abort < 0) {
        int e = errno;
        close_set(s);
        errno = e;
        return false;
    }
    return true;
}

/* Empty, at offset 0, no status flags. */
static bool empty(int fd)
{
    return ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0 && fcntl(fd, F_SETFL, 0) == 0;
}

static bool reset(wbt_stdio *s)
{
    uint64_t count;
    if (!empty(s->in) || !empty(s->out) || !empty(s->err))
        return false;
    /* EAGAIN: the count was already 0 */
    return read(s->abort, &count, sizeof count) == sizeof count || errno == EAGAIN;
}

static bool fill(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return lseek(fd, 0, SEEK_SET) == 0;
}

bool wbt_stdio_take(wbt_stdio *s, const char *input, size_t len)
{
    *s = (wbt_stdio){.in = -1, .out = -1, .err = -1, .abort = -1};
    pthread_once(&stdio_once, make_key);
    wbt_stdio *kept = stdio_key_ok ? pthread_getspecific(stdio_key) : NULL;
    if (kept) {
        pthread_setspecific(stdio_key, NULL);
        *s = *kept;
        free(kept);
        if (!reset(s))
            close_set(s);
    }
    if (s->in < 0 && !open_set(s))
        return false;
    if (!fill(s->in, input, len)) {
        int e = errno;
        close_set(s);
        errno = e ? e : EIO;
        return false;
    }
    return true;
}

void wbt_stdio_give(wbt_stdio *s)
{
    wbt_stdio *keep = NULL;
    if (s->in >= 0 && stdio_key_ok && !pthread_getspecific(stdio_key))
        keep = malloc(sizeof *keep);
    if (keep) {
        *keep = *s;
        if (pthread_setspecific(stdio_key, keep) == 0) {
            *s = (wbt_stdio){.in = -1, .out = -1, .err = -1, .abort = -1};
            return;
        }
        free(keep);
    }
    close_set(s);
}
