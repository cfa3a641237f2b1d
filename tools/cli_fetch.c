/* `wasmbox fetch [--policy FILE] [POLICY FLAGS] [--dry-run] URL`: one GET
 * through the same policy-enforcing client (net/) that guests get through
 * wasmbox_http, from the host side. The body goes to stdout as it arrives;
 * a refusal or failure goes to stderr with net/'s text, which names the
 * destination and the policy key.
 *
 * --dry-run decides only: the URL's verdict and then one line per resolved
 * address, each judged on its own (so a name with one bad address shows which
 * one). Nothing is connected to; only a name not pinned by --resolve is looked
 * up in DNS.
 *
 * Exit codes: 0 the request was allowed and answered (any HTTP status) or the
 * dry run allows it; 1 refused by the policy, or failed (stderr says which),
 * or a bad policy; 2 usage. */
#include "cli.h"
#include "../net/net.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(const char *why)
{
    if (why)
        fprintf(stderr, "wasmbox: fetch: %s\n", why);
    fprintf(stderr, "usage: wasmbox fetch [--policy FILE] [POLICY FLAGS] [--dry-run] URL\n"
                    "(policy flags as for run: --allow-host, --block-network, --block-url,\n"
                    " --ca-file, --resolve, --audit, --timeout MS)\n");
    return CLI_EXIT_USAGE;
}

typedef struct fetch_opts {
    const char *policy_file;
    const char *url;
    bool dry_run;
} fetch_opts;

/* "--flag value" or "--flag=value". */
static bool split_flag(int argc, char **argv, int *i, char *name, size_t namelen,
                       const char **value)
{
    const char *a = argv[*i];
    const char *eq = strchr(a, '=');
    if (eq) {
        size_t n = (size_t)(eq - a) < namelen - 1 ? (size_t)(eq - a) : namelen - 1;
        memcpy(name, a, n);
        name[n] = 0;
        *value = eq + 1;
        return true;
    }
    snprintf(name, namelen, "%s", a);
    if (*i + 1 >= argc)
        return false;
    *value = argv[++*i];
    return true;
}

/* Two passes, as for run: the policy file first wherever it stands, then the
 * flags over it. Returns an exit code, or -1 to go on. */
static int build(int argc, char **argv, fetch_opts *fo, wb_policy *p)
{
    memset(fo, 0, sizeof *fo);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--dry-run")) {
            fo->dry_run = true;
            continue;
        }
        if (a[0] != '-' || !strcmp(a, "-")) {
            if (fo->url)
                return usage("more than one URL");
            fo->url = a;
            continue;
        }
        char name[64];
        const char *value;
        if (!split_flag(argc, argv, &i, name, sizeof name, &value)) {
            fprintf(stderr, "wasmbox: fetch: %s needs a value\n", name);
            return usage(NULL);
        }
        if (!strcmp(name, "--policy") && fo->policy_file)
            return usage("--policy given twice; give it once");
        if (!strcmp(name, "--policy"))
            fo->policy_file = value;
        else if (!wb_policy_is_flag(name)) {
            fprintf(stderr, "wasmbox: fetch: unknown option %s\n", name);
            return usage(NULL);
        }
    }
    if (!fo->url)
        return usage("no URL");
    char err[WB_POLICY_ERR_MAX];
    bool ok = !fo->policy_file || wb_policy_load_file(p, fo->policy_file, err, sizeof err);
    for (int i = 0; ok && i < argc; i++) {
        char name[64];
        const char *value;
        if (argv[i][0] != '-' || !strcmp(argv[i], "--dry-run") ||
            !split_flag(argc, argv, &i, name, sizeof name, &value))
            continue;
        if (wb_policy_is_flag(name))
            ok = wb_policy_apply_flag(p, name, value, err, sizeof err);
    }
    ok = ok && wb_policy_check(p, err, sizeof err);
    if (!ok) {
        fprintf(stderr, "wasmbox: %s\n", err);
        return CLI_EXIT_FAIL;
    }
    return -1;
}

static void ip_text(const wb_ip *ip, char *buf, size_t n)
{
    wb_ip_format(ip, buf, n);
}

/* Prints the decision, then each address judged alone. */
static int dry_run(const wb_net_options *o, const char *url)
{
    wb_net_decision *d = malloc(sizeof *d), *one = malloc(sizeof *one);
    if (!d || !one) {
        free(d);
        free(one);
        fprintf(stderr, "wasmbox: fetch: out of memory\n");
        return CLI_EXIT_FAIL;
    }
    bool allowed = wb_net_check(o, url, d);
    printf("url: %s\n", d->url[0] ? d->url : "(not a usable URL)");
    if (d->origin[0])
        printf("origin: %s\n", d->origin);
    printf("decision: %s\n", allowed ? "allow" : "refuse");
    if (!allowed)
        printf("reason: [%s] %s\n", wb_net_error_kind_name(d->kind), d->message);
    if (d->naddrs) {
        printf("source: %s\n", d->source ? d->source : "-");
        wb_url u;
        char why[256];
        bool parsed = wb_url_parse(url, strlen(url), &u, why, sizeof why) == 0;
        for (size_t i = 0; parsed && i < d->naddrs; i++) {
            *one = *d;
            one->addrs[0] = d->addrs[i];
            one->naddrs = 1;
            char text[64];
            ip_text(&d->addrs[i], text, sizeof text);
            if (wb_net_decide_addrs(o->policy, &u, one))
                printf("address %s: allow\n", text);
            else
                printf("address %s: refuse: %s\n", text, one->message);
        }
        if (parsed)
            wb_url_free(&u);
    } else {
        printf("addresses: none (%s)\n", allowed ? "?" : "decided before or without resolution");
    }
    printf("connected: no (dry run)\n");
    if (!allowed)
        fprintf(stderr, "%s\nwasmbox: fetch: refused (dry run)\n", d->message);
    free(d);
    free(one);
    return allowed ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

static int report_error(const wb_net_error *e)
{
    if (e->kind == WB_NET_E_POLICY)
        fprintf(stderr, "%s\nwasmbox: fetch: refused by the policy\n", e->message);
    else
        fprintf(stderr, "%s\nwasmbox: fetch: failed (%s)\n", e->message,
                wb_net_error_kind_name(e->kind));
    return CLI_EXIT_FAIL;
}

static int fetch(const wb_net_options *o, const char *url)
{
    wb_net_request q = {.method = "GET", .url = url};
    wb_net_error e;
    wb_net_response *r = wb_net_open(o, &q, &e);
    if (!r)
        return report_error(&e);
    int status = wb_net_status(r);
    static char buf[1 << 16];
    ssize_t n;
    while ((n = wb_net_read(r, buf, sizeof buf, &e)) > 0) {
        if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n) {
            wb_net_close(r);
            fprintf(stderr, "wasmbox: fetch: cannot write the body to stdout\n");
            return CLI_EXIT_FAIL;
        }
    }
    fflush(stdout);
    if (n < 0) {
        wb_net_close(r);
        return report_error(&e);
    }
    if (status >= 400)
        fprintf(stderr, "wasmbox: fetch: HTTP %d from %s\n", status, wb_net_final_url(r));
    wb_net_close(r);
    return CLI_EXIT_OK;
}

int cli_fetch(int argc, char **argv)
{
    wb_policy p;
    wb_policy_init(&p);
    fetch_opts fo;
    int rc = build(argc, argv, &fo, &p);
    if (rc >= 0) {
        wb_policy_free(&p);
        return rc;
    }
    wb_audit *audit = NULL;
    if (p.audit) {
        char err[WB_POLICY_ERR_MAX];
        audit = wb_audit_open(p.audit, err, sizeof err);
        if (!audit) {
            fprintf(stderr, "wasmbox: %s\n", err);
            wb_policy_free(&p);
            return CLI_EXIT_FAIL;
        }
    }
    wb_net_options o;
    wb_net_options_init(&o, &p);
    o.audit = audit;
    if (p.timeout_ms != WB_UNLIMITED)
        o.total_timeout_ms = p.timeout_ms > INT_MAX ? INT_MAX : (int)p.timeout_ms;
    rc = fo.dry_run ? dry_run(&o, fo.url) : fetch(&o, fo.url);
    wb_audit_close(audit);
    wb_policy_free(&p);
    return rc;
}
