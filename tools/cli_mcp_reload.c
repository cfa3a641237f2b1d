/* The tool bridge as `wasmbox mcp`'s tool backend (mcp/mcp_backend.h),
 * reloaded when a --tools directory changes: a thread watches the
 * directories with inotify, opens a new bridge from the same configuration
 * once the changes settle, swaps it in, and when the tool list differs
 * tells the clients (mcp_notify_tools_changed: notifications/tools/
 * list_changed). A directory whose manifests no longer load keeps the tools
 * as they were (stderr says why).
 *
 * A bridge swapped out is kept open until the server ends: a call may still
 * run on it, and the server may hold one of its manifests between count()
 * and manifest(). At most 256 reloads are taken (MAX_RETIRED); after that a
 * change is reported on stderr and needs a restart. */
#include "cli_mcp_reload.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#define MAX_RETIRED (sizeof ((mcp_live_tools *)0)->retired / sizeof (wbt_bridge *))
#define WATCH_POLL_MS 200 /* how often the watcher looks at the stop flag */
#define SETTLE_MS 150     /* quiet time after a change before reloading */
#define WATCH_MASK                                                                            \
    (IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |      \
     IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)

static size_t be_count(void *self)
{
    mcp_live_tools *t = self;
    pthread_mutex_lock(&t->lock);
    size_t n = wbt_bridge_count(t->cur);
    pthread_mutex_unlock(&t->lock);
    return n;
}

/* NULL when the list shrank since the server asked count(). */
static const cJSON *be_manifest(void *self, size_t i)
{
    mcp_live_tools *t = self;
    pthread_mutex_lock(&t->lock);
    const cJSON *m = i < wbt_bridge_count(t->cur) ? wbt_bridge_manifest(t->cur, i) : NULL;
    pthread_mutex_unlock(&t->lock);
    return m;
}

static cJSON *be_call(void *self, const char *name, const cJSON *input, const mcp_call_opts *o)
{
    mcp_live_tools *t = self;
    pthread_mutex_lock(&t->lock);
    wbt_bridge *b = t->cur; /* stays open while the call runs, even if swapped out */
    pthread_mutex_unlock(&t->lock);
    wbt_call_opts opts = {
        .cancel = o->cancel,
        .progress = o->progress,
        .progress_ud = o->progress_ctx,
        .progress_ms = o->progress ? MCP_PROGRESS_MS : 0,
        .call_id = o->call_id,
    };
    return wbt_bridge_call(b, name, input, &opts);
}

static void *be_cancel_new(void *self)
{
    (void)self;
    return wbt_cancel_new();
}

static void be_cancel_fire(void *c)
{
    wbt_cancel_fire(c);
}

static void be_cancel_free(void *c)
{
    wbt_cancel_free(c);
}

/* Whether two bridges offer the same tools (names, schemas, everything a
 * client sees in tools/list). */
static bool same_tools(const wbt_bridge *a, const wbt_bridge *b)
{
    size_t n = wbt_bridge_count(a);
    if (n != wbt_bridge_count(b))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!cJSON_Compare(wbt_bridge_manifest(a, i), wbt_bridge_manifest(b, i), true))
            return false;
    return true;
}

/* Waits until no event came for SETTLE_MS (an editor's save, a `cp` of
 * several files), draining them; false when stopping. */
static bool settle(mcp_live_tools *t)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        if (atomic_load(&t->stop))
            return false;
        struct pollfd p = {.fd = t->ifd, .events = POLLIN};
        int r = poll(&p, 1, SETTLE_MS);
        if (r == 0)
            return true;
        if (r < 0 && errno != EINTR)
            return true;
        while (read(t->ifd, buf, sizeof buf) > 0)
            ;
    }
}

static void reload(mcp_live_tools *t)
{
    char err[2048];
    wbt_bridge *nb = NULL;
    if (wbt_bridge_open(&t->cfg, &nb, err, sizeof err) != 0) {
        fprintf(stderr, "wasmbox mcp: a --tools directory changed, but its tools do not load: %s; "
                        "serving the tools as they were\n", err);
        return;
    }
    pthread_mutex_lock(&t->lock);
    bool full = t->nretired == MAX_RETIRED;
    bool changed = !same_tools(t->cur, nb);
    if (!full) {
        t->retired[t->nretired++] = t->cur;
        t->cur = nb;
    }
    size_t count = wbt_bridge_count(t->cur);
    pthread_mutex_unlock(&t->lock);
    if (full) {
        wbt_bridge_close(nb);
        fprintf(stderr, "wasmbox mcp: a --tools directory changed, but the tools were reloaded "
                        "%zu times already (the cap); restart the server to load them\n", MAX_RETIRED);
        return;
    }
    fprintf(stderr, "wasmbox mcp: a --tools directory changed: reloaded, %zu tools%s\n", count,
            changed ? " (clients told: notifications/tools/list_changed)" : ", the list unchanged");
    if (changed)
        mcp_notify_tools_changed();
}

static void *watcher(void *arg)
{
    mcp_live_tools *t = arg;
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    while (!atomic_load(&t->stop)) {
        struct pollfd p = {.fd = t->ifd, .events = POLLIN};
        if (poll(&p, 1, WATCH_POLL_MS) <= 0)
            continue;
        while (read(t->ifd, buf, sizeof buf) > 0)
            ;
        if (settle(t))
            reload(t);
    }
    return NULL;
}

int mcp_live_tools_open(mcp_live_tools *t, const wbt_bridge_config *cfg, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    t->ifd = -1;
    t->cfg = *cfg;
    if (wbt_bridge_open(cfg, &t->cur, err, errlen) != 0)
        return -1;
    pthread_mutex_init(&t->lock, NULL);
    t->backend = (mcp_backend){
        .self = t,
        .count = be_count,
        .manifest = be_manifest,
        .call = be_call,
        .cancel_new = be_cancel_new,
        .cancel_fire = be_cancel_fire,
        .cancel_free = be_cancel_free,
    };
    return 0;
}

bool mcp_live_tools_watch(mcp_live_tools *t)
{
    if (!t->cfg.n_tool_dirs)
        return false;
    t->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (t->ifd < 0) {
        fprintf(stderr, "wasmbox mcp: cannot watch the --tools directories (inotify: %s); "
                        "changes need a restart\n", strerror(errno));
        return false;
    }
    for (size_t i = 0; i < t->cfg.n_tool_dirs; i++)
        if (inotify_add_watch(t->ifd, t->cfg.tool_dirs[i], WATCH_MASK) < 0) {
            fprintf(stderr, "wasmbox mcp: cannot watch --tools %s (inotify: %s); changes need a "
                            "restart\n", t->cfg.tool_dirs[i], strerror(errno));
            close(t->ifd);
            t->ifd = -1;
            return false;
        }
    if (pthread_create(&t->thread, NULL, watcher, t)) {
        close(t->ifd);
        t->ifd = -1;
        return false;
    }
    t->watching = true;
    return true;
}

void mcp_live_tools_close(mcp_live_tools *t)
{
    if (t->watching) {
        atomic_store(&t->stop, true);
        pthread_join(t->thread, NULL);
        t->watching = false;
    }
    if (t->ifd >= 0)
        close(t->ifd);
    t->ifd = -1;
    if (t->cur) {
        wbt_bridge_close(t->cur);
        pthread_mutex_destroy(&t->lock);
    }
    for (size_t i = 0; i < t->nretired; i++)
        wbt_bridge_close(t->retired[i]);
    t->cur = NULL;
    t->nretired = 0;
}
