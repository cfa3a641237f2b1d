/* Named network sets and the block_networks check.
 *
 * The sets are written as CIDR text (easy to review against the IANA
 * special-purpose registries) and parsed once on first use. */
#include "policy.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PRIVATE_NETS "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"
#define LOOPBACK_NETS "127.0.0.0/8", "::1/128"
#define LINK_LOCAL_NETS "169.254.0.0/16", "fe80::/10"
/* Cloud instance-metadata endpoints (AWS IMDS and ECS/EKS credentials,
 * Alibaba, Azure wireserver). 168.63.129.16 is a public address, so it is only
 * caught by naming this set (or "internal"). */
#define METADATA_NETS                                                                   \
    "169.254.169.254/32", "169.254.170.2/32", "169.254.170.23/32",                    \
        "100.100.100.200/32", "168.63.129.16/32", "fd00:ec2::254/128", "fd00:ec2::23/128"
/* Everything else that is not the public internet. The named IPv6 ranges come
 * first so messages name them; the catch-alls after them cover every IPv6
 * address outside global unicast 2000::/3. */
#define OTHER_INTERNAL_NETS                                                             \
    "0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24",    \
        "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4",           \
        "240.0.0.0/4", "255.255.255.255/32", "::/128", "::/96", "64:ff9b::/96",         \
        "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "2002::/16",        \
        "3fff::/20", "5f00::/16", "fec0::/10", "ff00::/8", "::/3", "4000::/2", "8000::/1"

static const char *const private_text[] = {PRIVATE_NETS};
static const char *const loopback_text[] = {LOOPBACK_NETS};
static const char *const link_local_text[] = {LINK_LOCAL_NETS};
static const char *const metadata_text[] = {METADATA_NETS};
static const char *const internal_text[] = {PRIVATE_NETS, LOOPBACK_NETS, LINK_LOCAL_NETS,
                                            METADATA_NETS, OTHER_INTERNAL_NETS};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static wb_cidr private_cidrs[COUNT(private_text)];
static wb_cidr loopback_cidrs[COUNT(loopback_text)];
static wb_cidr link_local_cidrs[COUNT(link_local_text)];
static wb_cidr metadata_cidrs[COUNT(metadata_text)];
static wb_cidr internal_cidrs[COUNT(internal_text)];

static wb_netset sets[] = {
    {"private", private_cidrs, COUNT(private_cidrs)},
    {"loopback", loopback_cidrs, COUNT(loopback_cidrs)},
    {"link-local", link_local_cidrs, COUNT(link_local_cidrs)},
    {"metadata", metadata_cidrs, COUNT(metadata_cidrs)},
    {"internal", internal_cidrs, COUNT(internal_cidrs)},
};
static const char *const *const set_texts[] = {private_text, loopback_text, link_local_text,
                                               metadata_text, internal_text};

static pthread_once_t sets_once = PTHREAD_ONCE_INIT;

static void parse_sets(void)
{
    for (size_t s = 0; s < COUNT(sets); s++) {
        wb_cidr *dst = (wb_cidr *)sets[s].cidrs;
        for (size_t i = 0; i < sets[s].count; i++) {
            char err[128];
            if (!wb_cidr_parse(set_texts[s][i], &dst[i], err, sizeof err)) {
                /* a typo in the tables above: never ship a silently short set */
                fprintf(stderr, "wasmbox policy: built-in set %s: %s\n", sets[s].name, err);
                abort();
            }
        }
    }
}

const wb_netset *wb_netset_find(const char *name)
{
    if (!name)
        return NULL;
    pthread_once(&sets_once, parse_sets);
    for (size_t s = 0; s < COUNT(sets); s++)
        if (strcmp(sets[s].name, name) == 0)
            return &sets[s];
    return NULL;
}

const char *wb_netset_names(void)
{
    return "private, loopback, link-local, metadata, internal";
}

static const wb_cidr *block_match(const wb_net_block *blk, const wb_ip *ip)
{
    if (blk->set) {
        for (size_t i = 0; i < blk->set->count; i++)
            if (wb_cidr_contains(&blk->set->cidrs[i], ip))
                return &blk->set->cidrs[i];
        return NULL;
    }
    return wb_cidr_contains(&blk->cidr, ip) ? &blk->cidr : NULL;
}

static void say(char *why, size_t len, const char *fmt_ip, const char *carried,
                const wb_net_block *blk, const wb_cidr *hit)
{
    if (!why || !len)
        return;
    char net[64];
    wb_cidr_format(hit, net, sizeof net);
    char via[80] = "";
    if (carried)
        snprintf(via, sizeof via, " (IPv4 %s)", carried);
    if (blk->set)
        snprintf(why, len, "%s%s is in blocked network \"%s\" (%s)", fmt_ip, via, blk->text, net);
    else
        snprintf(why, len, "%s%s is in blocked network %s", fmt_ip, via, net);
}

bool wb_ip_blocked(const wb_policy *p, const wb_ip *ip, char *why, size_t len)
{
    if (!ip || (ip->family != 4 && ip->family != 6)) {
        if (why && len)
            snprintf(why, len, "not an IP address");
        return true;
    }
    if (!p)
        return false;
    pthread_once(&sets_once, parse_sets);
    wb_ip v4;
    bool carries = wb_ip_embedded_v4(ip, &v4);
    /* An IPv4-mapped address (::ffff:a.b.c.d) is that IPv4 address on a
     * dual-stack socket, nothing more: judge it as IPv4 only, so that
     * ::ffff:8.8.8.8 is as public as 8.8.8.8 while ::/3 stays blocked. */
    static const uint8_t mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    bool mapped = ip->family == 6 && memcmp(ip->b, mapped_prefix, 12) == 0;
    char text[64], v4text[64];
    wb_ip_format(ip, text, sizeof text);
    if (carries)
        wb_ip_format(&v4, v4text, sizeof v4text);
    for (size_t i = 0; i < p->nblock_networks; i++) {
        const wb_net_block *blk = &p->block_networks[i];
        const wb_cidr *hit = mapped ? NULL : block_match(blk, ip);
        if (hit) {
            say(why, len, text, NULL, blk, hit);
            return true;
        }
        if (carries && (hit = block_match(blk, &v4)) != NULL) {
            say(why, len, text, v4text, blk, hit);
            return true;
        }
    }
    return false;
}

bool wb_addr_blocked(const wb_policy *p, const struct sockaddr *sa, char *why, size_t len)
{
    wb_ip ip;
    if (!wb_ip_from_sockaddr(sa, &ip)) {
        if (why && len)
            snprintf(why, len, "not an IPv4 or IPv6 address");
        return true;
    }
    return wb_ip_blocked(p, &ip, why, len);
}
