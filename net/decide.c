/* decide: may this URL be fetched, and from which addresses? See net.h.
 *
 * The matching rules themselves live in policy/ (host patterns, URL prefixes,
 * network sets); this file applies them in a fixed order to one parsed URL and
 * turns a refusal into a message that names the destination and the policy
 * key responsible, so a user can tell what to change. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "net.h"
#include "net_internal.h"

const char *wb_net_error_kind_name(wb_net_error_kind k)
{
    switch (k) {
    case WB_NET_OK: return "ok";
    case WB_NET_E_URL: return "url";
    case WB_NET_E_POLICY: return "policy";
    case WB_NET_E_DNS: return "dns";
    case WB_NET_E_CONNECT: return "connect";
    case WB_NET_E_TLS: return "tls";
    case WB_NET_E_TIMEOUT: return "timeout";
    case WB_NET_E_PROTOCOL: return "protocol";
    case WB_NET_E_LIMIT: return "limit";
    case WB_NET_E_REDIRECT: return "redirect";
    case WB_NET_E_IO: return "io";
    }
    return "unknown";
}

void wb_net_origin(const wb_url *u, char *buf, size_t n)
{
    const char *scheme = wb_url_scheme_name(u->scheme);
    bool v6 = u->host.kind == WB_HOST_IPV6;
    bool dflt = u->port == wb_scheme_default_port(scheme);
    char port[8] = "";
    if (!dflt)
        snprintf(port, sizeof port, ":%u", (unsigned)u->port);
    snprintf(buf, n, "%s://%s%s%s%s", scheme, v6 ? "[" : "", u->host.text, v6 ? "]" : "", port);
}

static bool refuse(wb_net_decision *d, wb_net_error_kind kind, const char *dest, const char *fmt,
                   ...) __attribute__((format(printf, 4, 5)));
static bool refuse(wb_net_decision *d, wb_net_error_kind kind, const char *dest, const char *fmt,
                   ...)
{
    /* Long URLs make long messages; they are cut at the buffer's end. */
    const char *what =
        kind == WB_NET_E_POLICY ? "refused outbound connection to" : "cannot connect to";
    int n = snprintf(d->message, sizeof d->message, "wasmbox: %s %.900s: ", what, dest);
    size_t off = n < 0 ? 0 : (size_t)n;
    if (off >= sizeof d->message)
        off = sizeof d->message - 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->message + off, sizeof d->message - off, fmt, ap);
    va_end(ap);
    d->allowed = false;
    d->kind = kind;
    return false;
}

void wb_net_ip_text(const wb_ip *ip, char *buf, size_t n)
{
    /* One spelling in all of net/'s messages: the URL parser's RFC 5952 form
     * (policy's formatter writes ::a.b.c.d differently). */
    if (ip->family == 6) {
        char t[46];
        wb_ipv6_format(ip->b, t);
        snprintf(buf, n, "%s", t);
    } else {
        wb_ip_format(ip, buf, n);
    }
}

/* When a pattern without a port names this scheme and host and fails only
 * on the port: say that no port means the scheme's default port, and what
 * to write instead. "" otherwise. */
static void port_hint(const wb_policy *p, const char *scheme, const wb_url *u, char *buf,
                      size_t n)
{
    buf[0] = '\0';
    uint16_t dflt = wb_scheme_default_port(scheme);
    for (size_t i = 0; dflt && i < p->nallowed_outbound_hosts; i++) {
        const wb_host_pattern *h = &p->allowed_outbound_hosts[i];
        if (h->any_port || h->port != 0 || !wb_host_pattern_match(h, scheme, u->host.text, dflt))
            continue;
        char pat[300], host[300];
        wb_host_pattern_format(h, pat, sizeof pat);
        bool v6 = u->host.kind == WB_HOST_IPV6;
        snprintf(host, sizeof host, "%s://%s%.256s%s", scheme, v6 ? "[" : "", u->host.text,
                 v6 ? "]" : "");
        snprintf(buf, n,
                 "; the pattern '%.256s' has no port, which means the scheme's default port "
                 "(%u) only: write '%s:%u' or '%s:*'",
                 pat, (unsigned)dflt, host, (unsigned)u->port, host);
        return;
    }
}

bool wb_net_decide_url(const wb_policy *p, const wb_url *u, wb_net_decision *d)
{
    d->allowed = false;
    d->kind = WB_NET_OK;
    d->message[0] = '\0';
    wb_url_format(u, d->url, sizeof d->url);
    wb_net_origin(u, d->origin, sizeof d->origin);
    const char *scheme = wb_url_scheme_name(u->scheme);
    if (!p || !wb_policy_host_allowed(p, scheme, u->host.text, u->port)) {
        if (!p || p->nallowed_outbound_hosts == 0)
            return refuse(d, WB_NET_E_POLICY, d->origin,
                          "not in allowed_outbound_hosts, which is empty (add '%s' to "
                          "allowed_outbound_hosts, or pass --allow-host %s)",
                          d->origin, d->origin);
        char hint[1500];
        port_hint(p, scheme, u, hint, sizeof hint);
        return refuse(d, WB_NET_E_POLICY, d->origin,
                      "not in allowed_outbound_hosts (add '%s' to allowed_outbound_hosts, or "
                      "pass --allow-host %s)%s",
                      d->origin, d->origin, hint);
    }
    for (size_t i = 0; i < p->nblock_urls; i++)
        if (wb_url_prefix_match(p->block_urls[i], d->url))
            return refuse(d, WB_NET_E_POLICY, d->url,
                          "matches block_urls entry '%s' (remove it to allow this URL)",
                          p->block_urls[i]);
    d->allowed = true;
    return true;
}

/* Addresses no destination may have whatever the policy says: connecting to
 * 0.0.0.0 or :: reaches this machine, and multicast/broadcast are not hosts. */
static bool never_unicast(const wb_ip *ip)
{
    static const uint8_t zero[16] = {0};
    if (ip->family == 4)
        return ip->b[0] == 0 || ip->b[0] >= 224; /* 0/8, 224/4, 240/4 incl. broadcast */
    if (memcmp(ip->b, zero, 16) == 0 || ip->b[0] == 0xff)
        return true;
    /* ::ffff:a.b.c.d is a.b.c.d on a dual-stack socket; the other embedded
     * forms (::1 among them) are not reached that way. */
    if (memcmp(ip->b, zero, 10) == 0 && ip->b[10] == 0xff && ip->b[11] == 0xff) {
        wb_ip v4 = {.family = 4};
        memcpy(v4.b, ip->b + 12, 4);
        return never_unicast(&v4);
    }
    return false;
}

/* Which CIDR of a block entry holds the address, for the message only: the
 * verdict itself comes from wb_ip_blocked. */
static void hit_cidr(const wb_net_block *blk, const wb_ip *ip, char *buf, size_t n)
{
    wb_ip v4;
    const wb_ip *cand[2] = {ip, NULL};
    if (wb_ip_embedded_v4(ip, &v4))
        cand[1] = &v4;
    const wb_cidr *list = blk->set ? blk->set->cidrs : &blk->cidr;
    size_t count = blk->set ? blk->set->count : 1;
    for (size_t i = 0; i < count; i++)
        for (size_t c = 0; c < 2; c++)
            if (cand[c] && wb_cidr_contains(&list[i], cand[c])) {
                wb_cidr_format(&list[i], buf, n);
                return;
            }
    snprintf(buf, n, "?");
}

bool wb_net_decide_addrs(const wb_policy *p, const wb_url *u, wb_net_decision *d)
{
    const char *dest = d->origin;
    bool literal = u->host.kind != WB_HOST_NAME;
    char via[WB_HOST_TEXT_MAX + 40] = "";
    if (d->source && strcmp(d->source, "resolve") == 0)
        snprintf(via, sizeof via, " (resolve entry '%s:%u')", u->host.text, (unsigned)u->port);
    if (d->naddrs == 0)
        return refuse(d, WB_NET_E_DNS, dest, "%s has no addresses", u->host.text);
    for (size_t i = 0; i < d->naddrs; i++) {
        const wb_ip *ip = &d->addrs[i];
        char text[64], shown[160];
        wb_net_ip_text(ip, text, sizeof text);
        wb_ip v4;
        if (ip->family == 6 && wb_ip_embedded_v4(ip, &v4) && v4.b[0] != 0) {
            char t4[64];
            wb_ip_format(&v4, t4, sizeof t4);
            snprintf(shown, sizeof shown, "%s (IPv4 %s)", text, t4);
        } else {
            snprintf(shown, sizeof shown, "%s", text);
        }
        const char *lead = literal ? "" : "resolves to ";
        const char *lead2 = literal ? " is" : ", which is";
        if (never_unicast(ip))
            return refuse(d, WB_NET_E_POLICY, dest,
                          "%s%s%s%s not a unicast address (never allowed)", lead, shown, via,
                          lead2);
        if (!p)
            continue;
        for (size_t b = 0; b < p->nblock_networks; b++) {
            /* Judge with the policy's own matcher, one entry at a time, so the
             * message can name the entry without re-deciding anything here. */
            wb_policy one = *p;
            one.block_networks = &p->block_networks[b];
            one.nblock_networks = 1;
            if (!wb_ip_blocked(&one, ip, NULL, 0))
                continue;
            char net[64];
            hit_cidr(&p->block_networks[b], ip, net, sizeof net);
            const wb_net_block *blk = &p->block_networks[b];
            if (blk->set)
                return refuse(d, WB_NET_E_POLICY, dest,
                              "%s%s%s%s in block_networks entry '%s' (%s)", lead, shown, via,
                              lead2, blk->text, net);
            return refuse(d, WB_NET_E_POLICY, dest, "%s%s%s%s in block_networks entry '%s'",
                          lead, shown, via, lead2, blk->text);
        }
    }
    d->allowed = true;
    d->kind = WB_NET_OK;
    d->message[0] = '\0';
    return true;
}

static void audit_decision(wb_audit *a, const wb_net_decision *d)
{
    if (!a)
        return;
    char text[WB_NET_MAX_ADDRS][64];
    const char *addrs[WB_NET_MAX_ADDRS];
    size_t n = d->naddrs < WB_NET_MAX_ADDRS ? d->naddrs : WB_NET_MAX_ADDRS;
    for (size_t i = 0; i < n; i++) {
        wb_net_ip_text(&d->addrs[i], text[i], sizeof text[i]);
        addrs[i] = text[i];
    }
    WB_AUDIT(a, "net.connect", WB_STR("decision", d->allowed ? "allow" : "refuse"),
             WB_STR("url", d->url), WB_STR("origin", d->origin[0] ? d->origin : NULL),
             WB_STRS("addresses", addrs, n), WB_STR("source", d->source),
             WB_STR("kind", d->allowed ? NULL : wb_net_error_kind_name(d->kind)),
             WB_STR("reason", d->allowed ? NULL : d->message));
}

bool wb_net_decide(const wb_policy *p, wb_audit *audit, const wb_url *u, wb_net_lookup_fn lookup,
                   void *lookup_ctx, wb_net_decision *d)
{
    d->naddrs = 0;
    d->source = NULL;
    if (wb_net_decide_url(p, u, d)) {
        char err[WB_NET_ERR_MAX];
        if (wb_net_resolve(p, u, lookup, lookup_ctx, d, err, sizeof err) != 0)
            refuse(d, WB_NET_E_DNS, d->origin, "%s", err);
        else
            wb_net_decide_addrs(p, u, d);
    }
    audit_decision(audit, d);
    return d->allowed;
}
