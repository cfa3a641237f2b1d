/* resolve: the candidate addresses of one host, gathered once, so that the
 * addresses the policy checks are the addresses the client connects to.
 *
 * Order of sources (like curl's --resolve): an IP literal is its own address;
 * a policy `resolve` entry for host:port pins the name; only then DNS. */
#include <netdb.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "net_internal.h"

int64_t wb_net_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void add_unique(wb_net_decision *d, const wb_ip *ip, bool *overflow)
{
    for (size_t i = 0; i < d->naddrs; i++)
        if (wb_ip_equal(&d->addrs[i], ip))
            return;
    if (d->naddrs >= WB_NET_MAX_ADDRS) {
        *overflow = true;
        return;
    }
    d->addrs[d->naddrs++] = *ip;
}

/* One asynchronous lookup. glibc runs it in a helper thread; if we stop
 * waiting and it cannot be cancelled, the helper still owns the block, so the
 * block is freed by whichever side lets go of it last. */
typedef struct lookup_block {
    atomic_int refs;
    struct gaicb cb;
    struct addrinfo hints;
    char host[WB_HOST_TEXT_MAX];
    char service[8];
} lookup_block;

static void block_release(lookup_block *b)
{
    if (atomic_fetch_sub(&b->refs, 1) == 1) {
        if (b->cb.ar_result)
            freeaddrinfo(b->cb.ar_result);
        free(b);
    }
}

static void lookup_done(union sigval v) { block_release(v.sival_ptr); }

int wb_net_getaddrinfo(void *ctx, const char *host, uint16_t port, wb_ip *out, size_t max,
                       size_t *n, char *err, size_t errlen)
{
    const wb_net_lookup_limit *lim = ctx;
    int64_t deadline = wb_net_now_ms() + (lim && lim->timeout_ms > 0 ? lim->timeout_ms : 10000);
    if (lim && lim->deadline_ms < deadline)
        deadline = lim->deadline_ms;
    if (strlen(host) >= WB_HOST_TEXT_MAX) {
        snprintf(err, errlen, "cannot resolve a name that long");
        return -1;
    }
    lookup_block *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    atomic_init(&b->refs, 2); /* ours, and the completion callback's */
    snprintf(b->host, sizeof b->host, "%s", host);
    snprintf(b->service, sizeof b->service, "%u", (unsigned)port);
    b->hints.ai_family = AF_UNSPEC;
    b->hints.ai_socktype = SOCK_STREAM;
    /* host is a normalised name, never numeric (url.c turned every numeric
     * form into an address), and the port is ours. */
    b->hints.ai_flags = AI_NUMERICSERV;
    b->cb.ar_name = b->host;
    b->cb.ar_service = b->service;
    b->cb.ar_request = &b->hints;
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = lookup_done;
    sev.sigev_value.sival_ptr = b;
    struct gaicb *list[1] = {&b->cb};
    int rc = getaddrinfo_a(GAI_NOWAIT, list, 1, &sev);
    if (rc != 0) {
        snprintf(err, errlen, "cannot resolve %s: %s", host, gai_strerror(rc));
        free(b); /* not queued: no callback will come */
        return -1;
    }
    for (;;) {
        rc = gai_error(&b->cb);
        if (rc != EAI_INPROGRESS)
            break;
        int64_t left = deadline - wb_net_now_ms();
        if (left <= 0) {
            /* Cancelled before it ran: no callback will come, so drop its
             * reference too. Otherwise the callback drops it when done. */
            if (gai_cancel(&b->cb) == EAI_CANCELED)
                block_release(b);
            snprintf(err, errlen, "looking up %s took too long", host);
            block_release(b);
            return -1;
        }
        struct timespec ts = {.tv_sec = left / 1000, .tv_nsec = (left % 1000) * 1000000};
        const struct gaicb *wait[1] = {&b->cb};
        gai_suspend(wait, 1, &ts);
    }
    if (rc != 0) {
        snprintf(err, errlen, "cannot resolve %s: %s", host, gai_strerror(rc));
        block_release(b);
        return -1;
    }
    *n = 0;
    for (struct addrinfo *ai = b->cb.ar_result; ai && *n < max; ai = ai->ai_next) {
        wb_ip ip;
        if (wb_ip_from_sockaddr(ai->ai_addr, &ip))
            out[(*n)++] = ip;
    }
    block_release(b);
    return 0;
}

int wb_net_resolve(const wb_policy *p, const wb_url *u, wb_net_lookup_fn lookup, void *ctx,
                   wb_net_decision *d, char *err, size_t errlen)
{
    d->naddrs = 0;
    bool overflow = false;
    if (u->host.kind == WB_HOST_IPV4 || u->host.kind == WB_HOST_IPV6) {
        wb_ip ip = {.family = (uint8_t)u->host.kind};
        memcpy(ip.b, u->host.addr, u->host.kind == WB_HOST_IPV4 ? 4 : 16);
        d->source = "literal";
        add_unique(d, &ip, &overflow);
        return 0;
    }
    const wb_resolve *r = wb_policy_find_resolve(p, u->host.text, u->port);
    if (r) {
        d->source = "resolve";
        for (size_t i = 0; i < r->naddrs; i++)
            add_unique(d, &r->addrs[i], &overflow);
    } else {
        d->source = "dns";
        wb_ip found[WB_NET_MAX_ADDRS + 1];
        size_t n = 0;
        if (!lookup)
            lookup = wb_net_getaddrinfo;
        if (lookup(ctx, u->host.text, u->port, found, WB_NET_MAX_ADDRS + 1, &n, err, errlen) != 0)
            return -1;
        for (size_t i = 0; i < n && i < WB_NET_MAX_ADDRS + 1; i++)
            add_unique(d, &found[i], &overflow);
    }
    if (overflow) {
        snprintf(err, errlen, "%s has more than %d addresses", u->host.text, WB_NET_MAX_ADDRS);
        return -1;
    }
    if (d->naddrs == 0) {
        snprintf(err, errlen, "%s has no IPv4 or IPv6 addresses", u->host.text);
        return -1;
    }
    return 0;
}
