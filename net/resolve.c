/* resolve: the candidate addresses of one host, gathered once, so that the
 * addresses the policy checks are the addresses the client connects to.
 *
 * Order of sources (like curl's --resolve): an IP literal is its own address;
 * a policy `resolve` entry for host:port pins the name; only then DNS. */
#include <netdb.h>
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

int wb_net_getaddrinfo(void *ctx, const char *host, uint16_t port, wb_ip *out, size_t max,
                       size_t *n, char *err, size_t errlen)
{
    (void)ctx;
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    /* host is a normalised name, never numeric (url.c turned every numeric
     * form into an address), and the port is ours: nothing here is parsed
     * by the resolver except a DNS name. */
    hints.ai_flags = AI_NUMERICSERV;
    char service[8];
    snprintf(service, sizeof service, "%u", (unsigned)port);
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(host, service, &hints, &res);
    if (rc != 0) {
        snprintf(err, errlen, "cannot resolve %s: %s", host, gai_strerror(rc));
        return -1;
    }
    *n = 0;
    for (struct addrinfo *ai = res; ai && *n < max; ai = ai->ai_next) {
        wb_ip ip;
        if (wb_ip_from_sockaddr(ai->ai_addr, &ip))
            out[(*n)++] = ip;
    }
    freeaddrinfo(res);
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
