/* The capability intersection: what one call gets is what the tool's
 * manifest asks for AND what the operator's policy allows, never more than
 * either (tools/README.md, "Capability intersection").
 *
 * - workspace: none -> not mapped; read -> mapped read-only even when the
 *   operator allows writing; write -> read-write only if the operator allows
 *   writing there (else read-only).
 * - network: manifest "none" -> no host at all; else each pair (operator
 *   pattern, manifest pattern) contributes their meet, when it can be written
 *   as one pattern. The operator's block lists, resolve entries and CA file
 *   apply unchanged.
 * - env: the names both list, with the operator's values.
 * - limits: the operator's explicit limit wins, else the manifest's, else
 *   the global default (policy/README.md). */
#include "bridge_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- host patterns ---- */

static bool meet_scheme(const wb_host_pattern *a, const wb_host_pattern *b, wb_host_pattern *o)
{
    if (!a->scheme[0] || !b->scheme[0] || !strcmp(a->scheme, b->scheme)) {
        snprintf(o->scheme, sizeof o->scheme, "%s", a->scheme[0] ? a->scheme : b->scheme);
        return true;
    }
    return false;
}

static void copy_host(const wb_host_pattern *from, wb_host_pattern *o)
{
    memcpy(o->host, from->host, sizeof o->host);
    o->subdomains = from->subdomains;
    o->host_is_ip = from->host_is_ip;
    o->ip = from->ip;
}

/* name is a proper subdomain of base ("a.b.c" of "b.c"). */
static bool below(const char *name, const char *base)
{
    size_t n = strlen(name), m = strlen(base);
    return n > m + 1 && name[n - m - 1] == '.' && !strcmp(name + n - m, base);
}

static bool meet_host(const wb_host_pattern *a, const wb_host_pattern *b, wb_host_pattern *o)
{
    if (!a->host[0] && !a->subdomains) {
        copy_host(b, o);
        return true;
    }
    if (!b->host[0] && !b->subdomains) {
        copy_host(a, o);
        return true;
    }
    if (!a->subdomains && !b->subdomains) {
        if (a->host_is_ip != b->host_is_ip)
            return false;
        if (a->host_is_ip ? !wb_ip_equal(&a->ip, &b->ip) : strcmp(a->host, b->host) != 0)
            return false;
        copy_host(a, o);
        return true;
    }
    if (a->subdomains && b->subdomains) {
        if (!strcmp(a->host, b->host) || below(a->host, b->host)) {
            copy_host(a, o);
            return true;
        }
        if (below(b->host, a->host)) {
            copy_host(b, o);
            return true;
        }
        return false;
    }
    const wb_host_pattern *wild = a->subdomains ? a : b, *exact = a->subdomains ? b : a;
    if (exact->host_is_ip || !below(exact->host, wild->host))
        return false;
    copy_host(exact, o);
    return true;
}

static bool meet_port(const wb_host_pattern *a, const wb_host_pattern *b, wb_host_pattern *o)
{
    if (a->any_port || b->any_port) {
        const wb_host_pattern *p = a->any_port ? b : a;
        o->any_port = p->any_port;
        o->port = p->port;
        return true;
    }
    o->any_port = false;
    if (a->port == b->port) {
        o->port = a->port;
        return true;
    }
    /* One is "the scheme's default port", the other a number: the same set
     * only when the scheme is fixed and that number is its default. */
    uint16_t number = a->port ? a->port : b->port;
    if ((a->port && b->port) || !o->scheme[0] || wb_scheme_default_port(o->scheme) != number)
        return false;
    o->port = number;
    return true;
}

bool wbt_host_meet(const wb_host_pattern *a, const wb_host_pattern *b, wb_host_pattern *out)
{
    wb_host_pattern o;
    memset(&o, 0, sizeof o);
    if (!meet_scheme(a, b, &o) || !meet_host(a, b, &o) || !meet_port(a, b, &o))
        return false;
    *out = o;
    return true;
}

/* ---- the workspace ---- */

/* dir (as the policy wrote it) is ws or one of its ancestors. */
static bool covers(const char *dir, const char *ws)
{
    char abs[PATH_MAX];
    if (!dir || !realpath(dir, abs))
        return false;
    size_t n = strlen(abs);
    if (n == 1 && abs[0] == '/')
        return true;
    return !strncmp(abs, ws, n) && (ws[n] == 0 || ws[n] == '/');
}

bool wbt_workspace_writable(const wb_policy *op, const char *ws, bool read_only_flag)
{
    if (!ws || read_only_flag)
        return false;
    for (size_t i = 0; op && i < op->ndirs; i++)
        if (op->dirs[i].read_only && covers(op->dirs[i].host, ws))
            return false;
    return true;
}

/* ---- the grant ---- */

static const char *env_value(const wb_policy *op, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < op->nenv; i++)
        if (!strncmp(op->env[i], name, n) && op->env[i][n] == '=')
            return op->env[i];
    return NULL;
}

/* operator's explicit value, else the manifest's, else the default. */
static uint64_t pick(unsigned set_by, uint64_t op_value, uint64_t manifest, uint64_t deflt)
{
    if (set_by)
        return op_value;
    return manifest ? manifest : deflt;
}

bool wbt_grant_make(wbt_grant *g, const wbt_tool *t, const wb_policy *op, const char *ws,
                    bool ws_writable)
{
    memset(g, 0, sizeof *g);
    wb_policy *p = &g->policy;
    wb_policy_limits d = wb_policy_run_defaults();
    p->timeout_ms = pick(op->set_by.timeout_ms, op->timeout_ms, t->limits.timeout_ms, d.timeout_ms);
    p->fuel = pick(op->set_by.fuel, op->fuel, t->limits.fuel, d.fuel);
    p->max_memory = pick(op->set_by.max_memory, op->max_memory, t->limits.memory, d.max_memory);
    p->max_stack = pick(op->set_by.max_stack, op->max_stack, t->limits.stack, d.max_stack);
    p->max_output = pick(op->set_by.max_output, op->max_output, t->limits.output, d.max_output);
    p->allow_symlink_dotdot = op->allow_symlink_dotdot;

    /* The operator's network refusals and settings apply as they are. */
    p->block_networks = op->block_networks;
    p->nblock_networks = op->nblock_networks;
    p->block_urls = op->block_urls;
    p->nblock_urls = op->nblock_urls;
    p->ca_file = op->ca_file;
    p->resolve = op->resolve;
    p->nresolve = op->nresolve;

    if (!t->network_none && op->nallowed_outbound_hosts && t->nhosts) {
        size_t cap = op->nallowed_outbound_hosts * t->nhosts;
        p->allowed_outbound_hosts = calloc(cap, sizeof *p->allowed_outbound_hosts);
        if (!p->allowed_outbound_hosts)
            goto oom;
        for (size_t i = 0; i < op->nallowed_outbound_hosts; i++)
            for (size_t j = 0; j < t->nhosts; j++)
                if (wbt_host_meet(&op->allowed_outbound_hosts[i], &t->hosts[j],
                                  &p->allowed_outbound_hosts[p->nallowed_outbound_hosts]))
                    p->nallowed_outbound_hosts++;
    }

    p->env = calloc(t->nenv + 2, sizeof *p->env);
    if (!p->env)
        goto oom;
    for (size_t i = 0; i < t->nenv; i++) {
        const char *kv = env_value(op, t->env[i]);
        if (kv && strcmp(t->env[i], "PWD") != 0)
            p->env[p->nenv++] = (char *)kv; /* the operator's string, not owned */
    }

    g->fs = ws ? t->fs : WBT_FS_NONE;
    if (g->fs == WBT_FS_WRITE && !ws_writable)
        g->fs = WBT_FS_READ;
    if (g->fs != WBT_FS_NONE) {
        size_t n = strlen(ws) + 5;
        g->pwd_env = malloc(n);
        if (!g->pwd_env)
            goto oom;
        snprintf(g->pwd_env, n, "PWD=%s", ws);
        p->env[p->nenv++] = g->pwd_env;
    }
    return true;
oom:
    wbt_grant_free(g);
    return false;
}

void wbt_grant_free(wbt_grant *g)
{
    free(g->policy.allowed_outbound_hosts);
    free(g->policy.env);
    free(g->pwd_env);
    memset(g, 0, sizeof *g);
}
