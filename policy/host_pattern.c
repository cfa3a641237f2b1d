/* Host patterns for allowed_outbound_hosts: scheme://host[:port].
 *
 * Matching is on whole labels only, so "*.github.com" can never match
 * "github.com.evil.io" or "evilgithub.com", and a pattern never matches a host
 * string that is not a well-formed name or address (no "evil.io/x.github.com"). */
#include "policy.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

uint16_t wb_scheme_default_port(const char *scheme)
{
    if (!scheme)
        return 0;
    if (strcasecmp(scheme, "http") == 0 || strcasecmp(scheme, "ws") == 0)
        return 80;
    if (strcasecmp(scheme, "https") == 0 || strcasecmp(scheme, "wss") == 0)
        return 443;
    return 0;
}

static bool fail(char *err, size_t errlen, const char *text, const char *reason)
{
    if (err && errlen)
        snprintf(err, errlen, "\"%s\" is not a valid host pattern (%s)", text, reason);
    return false;
}

static bool all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* A last label like "1" or "0x7f" makes URL parsers treat the host as an IPv4
 * number in some spelling; such hosts are only accepted as a strict dotted quad. */
static bool numeric_label(const char *s, size_t n)
{
    if (all_digits(s, n))
        return true;
    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        for (size_t i = 2; i < n; i++)
            if (!isxdigit((unsigned char)s[i]))
                return false;
        return true;
    }
    return false;
}

/* Checks a host name in place (already lower case, no trailing dot). Returns
 * NULL if valid, else the reason. */
static const char *name_problem(const char *name)
{
    size_t n = strlen(name);
    if (n == 0)
        return "empty host";
    if (n > 253)
        return "host name longer than 253 characters";
    const char *label = name;
    for (;;) {
        const char *dot = strchr(label, '.');
        size_t len = dot ? (size_t)(dot - label) : strlen(label);
        if (len == 0)
            return "empty label in host name";
        if (len > 63)
            return "label longer than 63 characters";
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)label[i];
            if (!(isalnum(c) || c == '-' || c == '_'))
                return "host names may only contain letters, digits, \"-\", \"_\" and \".\"";
        }
        if (label[0] == '-' || label[len - 1] == '-')
            return "a label may not start or end with \"-\"";
        if (!dot) {
            if (numeric_label(label, len))
                return "numeric host that is not a dotted-quad IPv4 address";
            return NULL;
        }
        label = dot + 1;
    }
}

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* Normalizes a host (pattern side or request side) into buf: brackets and one
 * trailing dot removed, lower case. Sets *ip if it is an address literal.
 * Returns NULL if fine, else the reason. */
static const char *normalize_host(const char *host, size_t n, char *buf, size_t buflen,
                                  bool *is_ip, wb_ip *ip)
{
    *is_ip = false;
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        if (n - 2 >= buflen)
            return "host too long";
        memcpy(buf, host + 1, n - 2);
        buf[n - 2] = '\0';
        if (!wb_ip_parse(buf, ip) || ip->family != 6)
            return "bad IPv6 address in brackets";
        *is_ip = true;
        memset(buf, 0, buflen); /* equal patterns are equal bytes */
        wb_ip_format(ip, buf, buflen);
        return NULL;
    }
    if (n >= buflen)
        return "host too long";
    memcpy(buf, host, n);
    buf[n] = '\0';
    if (memchr(host, '\0', n))
        return "NUL in host";
    if (wb_ip_parse(buf, ip)) {
        *is_ip = true;
        memset(buf, 0, buflen); /* equal patterns are equal bytes */
        wb_ip_format(ip, buf, buflen);
        return NULL;
    }
    if (n > 0 && buf[n - 1] == '.')
        buf[n - 1] = '\0';
    lower(buf);
    return name_problem(buf);
}

static bool parse_port(const char *s, size_t n, uint16_t *port)
{
    if (n == 0 || n > 5 || !all_digits(s, n))
        return false;
    unsigned v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (unsigned)(s[i] - '0');
    if (v == 0 || v > 65535)
        return false;
    *port = (uint16_t)v;
    return true;
}

bool wb_host_pattern_parse(const char *text, wb_host_pattern *out, char *err, size_t errlen)
{
    if (!text)
        text = "";
    wb_host_pattern p;
    memset(&p, 0, sizeof p);
    const char *sep = strstr(text, "://");
    if (!sep)
        return fail(err, errlen, text, "missing scheme: write https://HOST, or *://HOST for any");
    size_t slen = (size_t)(sep - text);
    if (slen == 1 && text[0] == '*') {
        p.scheme[0] = '\0';
    } else {
        if (slen == 0 || slen >= sizeof p.scheme || !isalpha((unsigned char)text[0]))
            return fail(err, errlen, text, "bad scheme");
        for (size_t i = 0; i < slen; i++) {
            unsigned char c = (unsigned char)text[i];
            if (!(isalnum(c) || c == '+' || c == '-' || c == '.'))
                return fail(err, errlen, text, "bad scheme");
            p.scheme[i] = (char)tolower(c);
        }
        p.scheme[slen] = '\0';
    }
    const char *rest = sep + 3;
    if (strpbrk(rest, "/?#@\\ \t\r\n"))
        return fail(err, errlen, text, "only scheme://host[:port]; no path, query or user");
    const char *host = rest, *port = NULL;
    size_t hlen;
    if (rest[0] == '[') {
        const char *close = strchr(rest, ']');
        if (!close)
            return fail(err, errlen, text, "missing \"]\" after IPv6 address");
        hlen = (size_t)(close - rest) + 1;
        if (close[1] == ':')
            port = close + 2;
        else if (close[1] != '\0')
            return fail(err, errlen, text, "unexpected text after \"]\"");
    } else {
        const char *colon = strchr(rest, ':');
        if (colon && strchr(colon + 1, ':'))
            return fail(err, errlen, text, "IPv6 addresses must be written in brackets");
        hlen = colon ? (size_t)(colon - rest) : strlen(rest);
        if (colon)
            port = colon + 1;
    }
    if (port) {
        if (strcmp(port, "*") == 0)
            p.any_port = true;
        else if (!parse_port(port, strlen(port), &p.port))
            return fail(err, errlen, text, "port must be 1-65535 or *");
    }
    if (hlen == 0)
        return fail(err, errlen, text, "empty host");
    if (hlen == 1 && host[0] == '*') {
        p.host[0] = '\0';
    } else {
        if (hlen >= 2 && host[0] == '*' && host[1] == '.') {
            p.subdomains = true;
            host += 2;
            hlen -= 2;
        }
        if (memchr(host, '*', hlen))
            return fail(err, errlen, text,
                        "\"*\" must be the whole host or whole leading labels, as in *.example.com");
        const char *why = normalize_host(host, hlen, p.host, sizeof p.host, &p.host_is_ip, &p.ip);
        if (why)
            return fail(err, errlen, text, why);
        if (p.subdomains && p.host_is_ip)
            return fail(err, errlen, text, "\"*.\" needs a domain name, not an address");
    }
    if (p.scheme[0] && !p.any_port && p.port == 0 && wb_scheme_default_port(p.scheme) == 0)
        return fail(err, errlen, text, "this scheme has no default port; add :PORT or :*");
    if (out)
        *out = p;
    return true;
}

bool wb_host_pattern_match(const wb_host_pattern *p, const char *scheme, const char *host,
                           uint16_t port)
{
    if (!p || !scheme || !host)
        return false;
    if (p->scheme[0] && strcasecmp(p->scheme, scheme) != 0)
        return false;
    if (!p->any_port) {
        uint16_t want = p->port ? p->port : wb_scheme_default_port(scheme);
        if (want == 0 || port != want)
            return false;
    }
    char buf[300];
    bool is_ip;
    wb_ip ip;
    if (normalize_host(host, strlen(host), buf, sizeof buf, &is_ip, &ip) != NULL)
        return false;
    if (p->host[0] == '\0')
        return true;
    if (p->host_is_ip)
        return is_ip && wb_ip_equal(&p->ip, &ip);
    if (is_ip)
        return false;
    if (!p->subdomains)
        return strcmp(buf, p->host) == 0;
    size_t hl = strlen(buf), pl = strlen(p->host);
    return hl > pl + 1 && buf[hl - pl - 1] == '.' && strcmp(buf + hl - pl, p->host) == 0;
}

void wb_host_pattern_format(const wb_host_pattern *p, char *buf, size_t len)
{
    char host[300];
    if (p->host[0] == '\0')
        snprintf(host, sizeof host, "*");
    else if (p->host_is_ip && p->ip.family == 6)
        snprintf(host, sizeof host, "[%s]", p->host);
    else
        snprintf(host, sizeof host, "%s%s", p->subdomains ? "*." : "", p->host);
    char port[8] = "";
    if (p->any_port)
        snprintf(port, sizeof port, ":*");
    else if (p->port)
        snprintf(port, sizeof port, ":%u", (unsigned)p->port);
    snprintf(buf, len, "%s://%s%s", p->scheme[0] ? p->scheme : "*", host, port);
}
