/* Warnings for policies that pass the check but contradict themselves: the
 * operator asked for two things that cannot both hold, and one of them will
 * silently lose. `wasmbox policy check` prints them (exit 0, on stderr). */
#include "policy_internal.h"

#include <stdio.h>
#include <string.h>

/* The addresses a pattern's host can have, when they are known without DNS:
 * an address literal, or "localhost" (always loopback, RFC 6761). */
static size_t known_addresses(const wb_host_pattern *h, wb_ip out[2])
{
    if (h->host_is_ip) {
        out[0] = h->ip;
        return 1;
    }
    if (!h->subdomains && !strcmp(h->host, "localhost")) {
        wb_ip_parse("127.0.0.1", &out[0]);
        wb_ip_parse("::1", &out[1]);
        return 2;
    }
    return 0;
}

static size_t blocked_hosts(const wb_policy *p, void (*warn)(void *, const char *), void *user)
{
    size_t n = 0;
    for (size_t i = 0; i < p->nallowed_outbound_hosts; i++) {
        const wb_host_pattern *h = &p->allowed_outbound_hosts[i];
        wb_ip addrs[2];
        size_t na = known_addresses(h, addrs);
        char why[256] = "";
        size_t blocked = 0;
        for (size_t k = 0; k < na; k++)
            blocked += wb_ip_blocked(p, &addrs[k], why, sizeof why);
        if (!na || blocked < na)
            continue;
        char pat[400], line[1024];
        wb_host_pattern_format(h, pat, sizeof pat);
        snprintf(line, sizeof line,
                 "allowed_outbound_hosts[%zu] '%s' can never be reached: every address of it is "
                 "in block_networks (%s); remove one of the two",
                 i, pat, why);
        warn(user, line);
        n++;
    }
    return n;
}

/* Whether guest path inner lies beneath outer ("/" holds everything). */
static bool beneath(const char *outer, const char *inner)
{
    size_t n = strlen(outer);
    if (!strcmp(outer, "/"))
        return strcmp(inner, "/") != 0;
    return !strncmp(outer, inner, n) && inner[n] == '/';
}

typedef struct map_view {
    const char *guest, *origin;
    bool read_only;
} map_view;

static size_t nested_maps(const wb_policy *p, void (*warn)(void *, const char *), void *user)
{
    size_t n = 0, total = p->ndirs + (p->work_dir ? 1 : 0);
    for (size_t i = 0; i < total; i++) {
        for (size_t j = 0; j < total; j++) {
            map_view a = i < p->ndirs ? (map_view){p->dirs[i].guest, p->dirs[i].origin,
                                                   p->dirs[i].read_only}
                                      : (map_view){"/", p->origin.work_dir, false};
            map_view b = j < p->ndirs ? (map_view){p->dirs[j].guest, p->dirs[j].origin,
                                                   p->dirs[j].read_only}
                                      : (map_view){"/", p->origin.work_dir, false};
            if (i == j || a.read_only == b.read_only || !beneath(a.guest, b.guest))
                continue;
            char line[1024];
            snprintf(line, sizeof line,
                     "%s map %s (%s) lies inside %s map %s (%s): %s",
                     b.read_only ? "read-only" : "read-write", b.guest,
                     b.origin ? b.origin : "work_dir", a.read_only ? "read-only" : "read-write",
                     a.guest, a.origin ? a.origin : "work_dir",
                     a.read_only ? "the guest can write beneath a directory meant to be "
                                   "read-only; give both the same mode if that is meant"
                                 : "the inner directory is read-only but its surroundings are "
                                   "not; give both the same mode if that is meant");
            warn(user, line);
            n++;
        }
    }
    return n;
}

size_t wb_policy_warnings(const wb_policy *p, void (*warn)(void *user, const char *line),
                          void *user)
{
    if (!p || !warn)
        return 0;
    return blocked_hosts(p, warn, user) + nested_maps(p, warn, user);
}
