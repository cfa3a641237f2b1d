/* net_fetch: drives net/'s client from the command line for the e2e tests.
 *
 * Usage: net_fetch [policy flags] [options] URL
 *   policy flags: any wasmbox policy flag (--allow-host, --block-network,
 *                 --block-url, --resolve, --ca-file, --audit), or --policy FILE
 *   -X METHOD, -H "Name: value", -d BODY,
 *   --connect-timeout MS, --io-timeout MS, --total-timeout MS,
 *   --max-redirects N, --max-body N, --max-head N,
 *   --stream (read the body 7 bytes at a time through wb_net_read),
 *   --dry-run (decide only; print the decision)
 *   --repeat N (do it N times in this process; TLS contexts are cached),
 *   --alternate-ca (with --repeat: every second time without ca_file)
 * Output on success: "HTTP STATUS REDIRECTS FINAL_URL" on stdout, then the body.
 * On failure: "[KIND] MESSAGE" on stderr and exit status 1. Bad usage: 2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/net.h"

static int fetch_once(const wb_net_options *o, const wb_net_request *q, bool dry, bool stream);

static int usage(const char *why)
{
    fprintf(stderr, "net_fetch: %s\n", why);
    return 2;
}

int main(int argc, char **argv)
{
    wb_policy pol;
    wb_policy_init(&pol);
    wb_net_options o;
    wb_net_options_init(&o, &pol);
    wb_net_request q = {0};
    wb_http_header hdrs[16];
    size_t nh = 0;
    bool stream = false, dry = false, alternate_ca = false;
    int repeat = 1;
    char err[WB_POLICY_ERR_MAX];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-') {
            if (q.url)
                return usage("more than one URL");
            q.url = a;
            continue;
        }
        if (!strcmp(a, "--stream")) {
            stream = true;
            continue;
        }
        if (!strcmp(a, "--dry-run")) {
            dry = true;
            continue;
        }
        if (!strcmp(a, "--alternate-ca")) {
            alternate_ca = true;
            continue;
        }
        const char *v = i + 1 < argc ? argv[++i] : NULL;
        if (!v)
            return usage("option needs a value");
        if (wb_policy_is_flag(a)) {
            if (!wb_policy_apply_flag(&pol, a, v, err, sizeof err))
                return usage(err);
        } else if (!strcmp(a, "--policy")) {
            if (!wb_policy_load_file(&pol, v, err, sizeof err))
                return usage(err);
        } else if (!strcmp(a, "-X")) {
            q.method = v;
        } else if (!strcmp(a, "-H")) {
            const char *colon = strchr(v, ':');
            if (!colon || nh == 16)
                return usage("-H wants \"Name: value\"");
            const char *val = colon + 1;
            while (*val == ' ')
                val++;
            hdrs[nh++] = (wb_http_header){v, (size_t)(colon - v), val, strlen(val)};
        } else if (!strcmp(a, "-d")) {
            q.body = v;
            q.body_len = strlen(v);
        } else if (!strcmp(a, "--connect-timeout")) {
            o.connect_timeout_ms = atoi(v);
        } else if (!strcmp(a, "--io-timeout")) {
            o.io_timeout_ms = atoi(v);
        } else if (!strcmp(a, "--total-timeout")) {
            o.total_timeout_ms = atoi(v);
        } else if (!strcmp(a, "--max-redirects")) {
            o.max_redirects = atoi(v);
        } else if (!strcmp(a, "--max-body")) {
            o.limits.max_body = strtoull(v, NULL, 10);
        } else if (!strcmp(a, "--repeat")) {
            repeat = atoi(v);
        } else if (!strcmp(a, "--max-head")) {
            o.limits.max_header_bytes = strtoull(v, NULL, 10);
        } else {
            return usage("unknown option");
        }
    }
    if (!q.url)
        return usage("no URL");
    q.headers = hdrs;
    q.nheaders = nh;
    if (!wb_policy_check(&pol, err, sizeof err))
        return usage(err);
    if (pol.audit && !(o.audit = wb_audit_open(pol.audit, err, sizeof err)))
        return usage(err);

    int rc = 0;
    char *ca_file = pol.ca_file;
    for (int i = 0; i < repeat; i++) {
        pol.ca_file = alternate_ca && i % 2 ? NULL : ca_file;
        if (fetch_once(&o, &q, dry, stream) != 0)
            rc = 1;
    }
    pol.ca_file = ca_file;
    wb_audit_close(o.audit);
    wb_policy_free(&pol);
    return rc;
}

static int fetch_once(const wb_net_options *op, const wb_net_request *qp, bool dry, bool stream)
{
    wb_net_options o = *op;
    wb_net_request q = *qp;
    int rc = 0;
    wb_net_error e = {0};
    if (dry) {
        wb_net_decision *d = malloc(sizeof *d);
        if (!d)
            return 1;
        if (wb_net_check(&o, q.url, d)) {
            printf("allow %s via %s:", d->url, d->source);
            for (size_t i = 0; i < d->naddrs; i++) {
                char t[64];
                wb_ip_format(&d->addrs[i], t, sizeof t);
                printf(" %s", t);
            }
            printf("\n");
        } else {
            fprintf(stderr, "[%s] %s\n", wb_net_error_kind_name(d->kind), d->message);
            rc = 1;
        }
        free(d);
    } else if (stream) {
        wb_net_response *r = wb_net_open(&o, &q, &e);
        if (!r) {
            rc = 1;
        } else {
            printf("HTTP %d %d %s\n", wb_net_status(r), wb_net_redirects(r), wb_net_final_url(r));
            char buf[7];
            ssize_t n;
            while ((n = wb_net_read(r, buf, sizeof buf, &e)) > 0)
                fwrite(buf, 1, (size_t)n, stdout);
            if (n < 0)
                rc = 1;
            wb_net_close(r);
        }
    } else {
        wb_net_result res;
        if (wb_net_fetch(&o, &q, &res, &e) != 0) {
            rc = 1;
        } else {
            printf("HTTP %d %d %s\n", res.status, res.redirects, res.final_url);
            fwrite(res.body, 1, res.body_len, stdout);
            wb_net_result_free(&res);
        }
    }
    if (rc && !dry)
        fprintf(stderr, "[%s] %s\n", wb_net_error_kind_name(e.kind), e.message);
    fflush(stdout);
    return rc;
}
