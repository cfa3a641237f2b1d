/* IP addresses and CIDR networks: parsing, formatting, containment.
 * Only the strict text forms are accepted (inet_pton): "127.1" or "0x7f.0.0.1"
 * are not addresses here, so nobody can smuggle an odd spelling past a rule. */
#include "policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

bool wb_ip_parse(const char *text, wb_ip *out)
{
    if (!text || !out)
        return false;
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, text, out->b) == 1) {
        out->family = 4;
        return true;
    }
    if (inet_pton(AF_INET6, text, out->b) == 1) {
        out->family = 6;
        return true;
    }
    memset(out, 0, sizeof *out);
    return false;
}

void wb_ip_format(const wb_ip *ip, char *buf, size_t len)
{
    if (!buf || len == 0)
        return;
    char tmp[INET6_ADDRSTRLEN];
    const char *s = NULL;
    if (ip && ip->family == 4)
        s = inet_ntop(AF_INET, ip->b, tmp, sizeof tmp);
    else if (ip && ip->family == 6)
        s = inet_ntop(AF_INET6, ip->b, tmp, sizeof tmp);
    snprintf(buf, len, "%s", s ? s : "?");
}

bool wb_ip_equal(const wb_ip *a, const wb_ip *b)
{
    return a->family == b->family && memcmp(a->b, b->b, a->family == 4 ? 4 : 16) == 0;
}

bool wb_ip_from_sockaddr(const struct sockaddr *sa, wb_ip *out)
{
    if (!sa || !out)
        return false;
    memset(out, 0, sizeof *out);
    if (sa->sa_family == AF_INET) {
        struct sockaddr_in sin;
        memcpy(&sin, sa, sizeof sin);
        out->family = 4;
        memcpy(out->b, &sin.sin_addr, 4);
        return true;
    }
    if (sa->sa_family == AF_INET6) {
        struct sockaddr_in6 sin6;
        memcpy(&sin6, sa, sizeof sin6);
        out->family = 6;
        memcpy(out->b, &sin6.sin6_addr, 16);
        return true;
    }
    return false;
}

static bool zero_bytes(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

static void make_v4(wb_ip *v4, const uint8_t *four)
{
    memset(v4, 0, sizeof *v4);
    v4->family = 4;
    memcpy(v4->b, four, 4);
}

bool wb_ip_embedded_v4(const wb_ip *ip, wb_ip *v4)
{
    if (!ip || ip->family != 6)
        return false;
    const uint8_t *b = ip->b;
    /* ::ffff:a.b.c.d (mapped): a dual-stack socket connects to a.b.c.d */
    if (zero_bytes(b, 10) && b[10] == 0xff && b[11] == 0xff) {
        make_v4(v4, b + 12);
        return true;
    }
    /* ::a.b.c.d (deprecated IPv4-compatible); includes :: and ::1, whose IPv4
     * forms (0.0.0.0, 0.0.0.1) are not public either */
    if (zero_bytes(b, 12)) {
        make_v4(v4, b + 12);
        return true;
    }
    /* 64:ff9b::a.b.c.d (well-known NAT64 prefix): a NAT64 gateway forwards to a.b.c.d */
    static const uint8_t nat64[12] = {0x00, 0x64, 0xff, 0x9b};
    if (memcmp(b, nat64, 12) == 0) {
        make_v4(v4, b + 12);
        return true;
    }
    /* 2002:AABB:CCDD::/48 (6to4): relays tunnel to AA.BB.CC.DD */
    if (b[0] == 0x20 && b[1] == 0x02) {
        make_v4(v4, b + 2);
        return true;
    }
    return false;
}

static bool prefix_equal(const uint8_t *a, const uint8_t *b, unsigned bits)
{
    unsigned whole = bits / 8, rest = bits % 8;
    if (memcmp(a, b, whole) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (a[whole] & mask) == (b[whole] & mask);
}

bool wb_cidr_contains(const wb_cidr *c, const wb_ip *ip)
{
    if (!c || !ip || c->net.family != ip->family)
        return false;
    return prefix_equal(c->net.b, ip->b, c->prefix);
}

void wb_cidr_format(const wb_cidr *c, char *buf, size_t len)
{
    char a[INET6_ADDRSTRLEN];
    wb_ip_format(&c->net, a, sizeof a);
    snprintf(buf, len, "%s/%u", a, (unsigned)c->prefix);
}

static bool cidr_fail(const char *text, char *err, size_t errlen, const char *reason)
{
    if (err && errlen)
        snprintf(err, errlen, "\"%s\" is not a valid CIDR (%s)", text, reason);
    return false;
}

bool wb_cidr_parse(const char *text, wb_cidr *out, char *err, size_t errlen)
{
    if (!text)
        text = "";
    char addr[64];
    const char *slash = strchr(text, '/');
    size_t alen = slash ? (size_t)(slash - text) : strlen(text);
    if (alen == 0)
        return cidr_fail(text, err, errlen, "missing address");
    if (alen >= sizeof addr)
        return cidr_fail(text, err, errlen, "address too long");
    memcpy(addr, text, alen);
    addr[alen] = '\0';
    wb_cidr c;
    memset(&c, 0, sizeof c);
    if (!wb_ip_parse(addr, &c.net))
        return cidr_fail(text, err, errlen, "bad IPv4 or IPv6 address");
    unsigned max = c.net.family == 4 ? 32 : 128;
    unsigned prefix = max;
    if (slash) {
        const char *d = slash + 1;
        if (*d == '\0')
            return cidr_fail(text, err, errlen, "missing prefix length after \"/\"");
        prefix = 0;
        for (; *d; d++) {
            if (*d < '0' || *d > '9')
                return cidr_fail(text, err, errlen, "prefix length is not a number");
            prefix = prefix * 10 + (unsigned)(*d - '0');
            if (prefix > 999)
                break;
        }
        if (prefix > max)
            return cidr_fail(text, err, errlen,
                             max == 32 ? "prefix length over 32" : "prefix length over 128");
    }
    c.prefix = (uint8_t)prefix;
    /* host bits below the prefix must be zero */
    wb_cidr masked = c;
    unsigned nbytes = max / 8;
    for (unsigned i = 0; i < nbytes; i++) {
        unsigned bit0 = i * 8;
        if (bit0 >= prefix)
            masked.net.b[i] = 0;
        else if (bit0 + 8 > prefix)
            masked.net.b[i] &= (uint8_t)(0xff << (8 - (prefix - bit0)));
    }
    if (memcmp(masked.net.b, c.net.b, 16) != 0) {
        char want[64], reason[128];
        wb_cidr_format(&masked, want, sizeof want);
        snprintf(reason, sizeof reason, "host bits set; did you mean %s?", want);
        return cidr_fail(text, err, errlen, reason);
    }
    if (out)
        *out = c;
    return true;
}
