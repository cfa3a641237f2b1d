/* `wasmbox fetch [OPTIONS] [POLICY FLAGS] URL`: one request through the same
 * policy-enforcing client (net/) that guests get through wasmbox_http, from
 * the host side, with the curl options people reach for (-o, -H, -X, -d,
 * --data-binary, -i, --fail, --max-time). The body goes to stdout (or -o
 * FILE) as it arrives; a refusal or failure goes to stderr with net/'s text,
 * which names the destination, the policy key and the flag.
 *
 * --dry-run decides only: the URL's verdict and then one line per resolved
 * address, each judged on its own (so a name with one bad address shows which
 * one). Nothing is connected to; only a name not pinned by --resolve is looked
 * up in DNS.
 *
 * Exit codes, as curl where it has one: 0 the request was allowed and
 * answered (any HTTP status, as curl without --fail) or the dry run allows
 * it; 22 --fail and a status of 400 or more; 1 refused by the policy, or
 * failed (stderr says which), or a bad policy; 2 usage. */
#include "cli.h"
#include "cli_opts.h"
#include "../net/net.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FETCH_EXIT_HTTP_ERROR 22 /* curl's "HTTP page not retrieved" (--fail) */
#define FETCH_MAX_HEADERS 64
#define FETCH_MAX_BODY ((size_t)64 << 20)

enum {
    F_POLICY, F_DRY_RUN, F_OUTPUT, F_HEADER, F_REQUEST, F_DATA, F_DATA_BINARY, F_INCLUDE,
    F_FAIL, F_MAX_TIME, F_CURL_NOOP,
};

static const cli_opt fetch_table[] = {
    {"--policy", NULL, "FILE", "the policy file (JSON; policy/README.md)", F_POLICY},
    {"--dry-run", NULL, NULL, "decide only: print the verdict per address, connect to nothing",
     F_DRY_RUN},
    {"--output", "-o", "FILE", "write the body to FILE instead of stdout", F_OUTPUT},
    {"--header", "-H", "'NAME: VALUE'", "send this request header (repeatable)", F_HEADER},
    {"--request", "-X", "METHOD", "the method (default GET; POST with -d)", F_REQUEST},
    {"--data", "-d", "DATA|@FILE",
     "send DATA (POST; @FILE: the file without its newlines; repeats join with &)", F_DATA},
    {"--data-binary", NULL, "DATA|@FILE", "send DATA or FILE's bytes exactly (POST)",
     F_DATA_BINARY},
    {"--include", "-i", NULL, "print the status line and headers before the body", F_INCLUDE},
    {"--fail", "-f", NULL, "exit 22 with no body when the status is 400 or more", F_FAIL},
    {"--max-time", "-m", "SECONDS", "the whole request's time limit (5, 0.5, or 500ms, 2m)",
     F_MAX_TIME},
    /* curl's -fsSL habit: what these ask for is how fetch always behaves */
    {"--location", "-L", NULL, "accepted: redirects are always followed, each hop checked",
     F_CURL_NOOP},
    {"--silent", "-s", NULL, "accepted: there is no progress meter to hide", F_CURL_NOOP},
    {"--show-error", "-S", NULL, "accepted: errors are always shown", F_CURL_NOOP},
};

const cli_command cli_cmd_fetch = {
    "fetch", "[OPTIONS] [POLICY FLAGS] URL",
    "one HTTP request under the policy, from the host side (body to stdout)",
    CLI_OPTS(fetch_table), true,
    "exit codes: 0 answered (any status, as curl), 22 --fail and status >= 400,\n"
    "1 refused by the policy or failed, 2 usage\n",
};

typedef struct fetch_opts {
    const char *policy_file;
    const char *url;
    const char *output;
    const char *method;
    const char *max_time;
    bool dry_run, include, fail;
    wb_http_header headers[FETCH_MAX_HEADERS];
    size_t nheaders;
    bool has_content_type;
    char *body; /* -d / --data-binary, joined with '&' */
    size_t body_len;
    bool has_body;
} fetch_opts;

/* "Name: value" as curl takes it; the name is checked again by net/. */
static bool add_header(fetch_opts *fo, const char *text)
{
    const char *colon = strchr(text, ':');
    if (!colon || colon == text) {
        cli_usage_error(&cli_cmd_fetch, "-H '%s': write 'Name: value'", text);
        return false;
    }
    if (fo->nheaders == FETCH_MAX_HEADERS) {
        cli_usage_error(&cli_cmd_fetch, "more than %d headers", FETCH_MAX_HEADERS);
        return false;
    }
    const char *v = colon + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    size_t nl = (size_t)(colon - text);
    fo->headers[fo->nheaders++] = (wb_http_header){text, nl, v, strlen(v)};
    if (nl == 12 && !strncasecmp(text, "Content-Type", 12))
        fo->has_content_type = true;
    return true;
}

/* -d / --data-binary: DATA, or @FILE ("@-": stdin). -d drops the file's CR
 * and LF bytes, as curl does; --data-binary keeps every byte. Several are
 * joined with '&'. */
static bool add_data(fetch_opts *fo, const char *arg, bool binary)
{
    uint8_t *file = NULL;
    size_t n = strlen(arg);
    const char *data = arg;
    if (arg[0] == '@') {
        char err[512];
        file = cli_read_file(arg + 1, &n, err, sizeof err);
        if (!file) {
            fprintf(stderr, "wasmbox: fetch: %s: %s\n", binary ? "--data-binary" : "-d", err);
            return false;
        }
        if (!binary) {
            size_t k = 0;
            for (size_t i = 0; i < n; i++)
                if (file[i] != '\r' && file[i] != '\n')
                    file[k++] = file[i];
            n = k;
        }
        data = (const char *)file;
    }
    size_t sep = fo->has_body ? 1 : 0;
    if (fo->body_len + sep + n > FETCH_MAX_BODY) {
        free(file);
        fprintf(stderr, "wasmbox: fetch: the request body is over %zu bytes\n", FETCH_MAX_BODY);
        return false;
    }
    char *grown = realloc(fo->body, fo->body_len + sep + n + 1);
    if (!grown) {
        free(file);
        fprintf(stderr, "wasmbox: fetch: out of memory\n");
        return false;
    }
    fo->body = grown;
    if (sep)
        fo->body[fo->body_len++] = '&';
    memcpy(fo->body + fo->body_len, data, n);
    fo->body_len += n;
    fo->has_body = true;
    free(file);
    return true;
}

/* curl's --max-time: seconds, with up to three decimals; or one of our
 * durations (500ms, 5s, 2m). */
static bool max_time_ms(const char *text, uint64_t *ms)
{
    const char *why;
    const char *dot = strchr(text, '.');
    if (!dot)
        return wb_parse_duration_ms(text, 1000, ms, &why) && *ms > 0;
    char whole[32];
    size_t wl = (size_t)(dot - text), fl = strlen(dot + 1);
    if (wl == 0 || wl >= sizeof whole || fl == 0 || fl > 3 || strspn(dot + 1, "0123456789") != fl)
        return false;
    memcpy(whole, text, wl);
    whole[wl] = 0;
    uint64_t s;
    if (!wb_parse_duration_ms(whole, 1000, &s, &why))
        return false;
    uint64_t frac = strtoull(dot + 1, NULL, 10);
    for (size_t i = fl; i < 3; i++)
        frac *= 10;
    *ms = s + frac;
    return *ms > 0;
}

/* Reads the options; the policy file first wherever it stands, then the
 * flags over it. Returns an exit code, or -1 to go on. */
static int build(int argc, char **argv, fetch_opts *fo, wb_policy *p)
{
    const cli_command *c = &cli_cmd_fetch;
    char err[WB_POLICY_ERR_MAX];
    cli_arg a;
    for (int i = 0; i < argc;) {
        switch (cli_next_arg(c, argc, argv, &i, &a)) {
        case CLI_ARG_HELP: cli_help(stdout, c); return CLI_EXIT_OK;
        case CLI_ARG_ERROR: return cli_usage_error(c, "%s", a.msg);
        case CLI_ARG_DASHDASH:
        case CLI_ARG_POLICY: break;
        case CLI_ARG_POSITIONAL:
            if (fo->url)
                return cli_usage_error(c, "more than one URL ('%s', then '%s')", fo->url,
                                       a.value);
            fo->url = a.value;
            break;
        case CLI_ARG_OPT:
            switch (a.opt->id) {
            case F_POLICY:
                if (fo->policy_file)
                    return cli_usage_error(c, "--policy given twice; give it once");
                fo->policy_file = a.value;
                break;
            case F_DRY_RUN: fo->dry_run = true; break;
            case F_OUTPUT: fo->output = a.value; break;
            case F_HEADER:
                if (!add_header(fo, a.value))
                    return CLI_EXIT_USAGE;
                break;
            case F_REQUEST: fo->method = a.value; break;
            case F_DATA:
            case F_DATA_BINARY:
                if (!add_data(fo, a.value, a.opt->id == F_DATA_BINARY))
                    return CLI_EXIT_FAIL; /* an unreadable file: rejected input */
                break;
            case F_INCLUDE: fo->include = true; break;
            case F_FAIL: fo->fail = true; break;
            case F_MAX_TIME: fo->max_time = a.value; break;
            case F_CURL_NOOP: break;
            }
            break;
        }
    }
    if (!fo->url)
        return cli_usage_error(c, "no URL given");
    uint64_t ms;
    if (fo->max_time && !max_time_ms(fo->max_time, &ms))
        return cli_usage_error(c,
                               "--max-time '%s' is not a time (seconds, e.g. 5 or 0.5, or a "
                               "duration: 500ms, 2m)",
                               fo->max_time);
    bool ok = !fo->policy_file || wb_policy_load_file(p, fo->policy_file, err, sizeof err);
    for (int i = 0; ok && i < argc;) {
        cli_arg_kind k = cli_next_arg(c, argc, argv, &i, &a);
        if (k == CLI_ARG_POLICY)
            ok = wb_policy_apply_flag(p, a.name, a.value, err, sizeof err);
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

/* -i: the status line and the headers, as curl prints them. */
static bool print_head(FILE *out, const wb_net_response *r)
{
    size_t hl;
    const char *h = wb_net_raw_headers(r, &hl);
    return fprintf(out, "HTTP/1.1 %d\r\n", wb_net_status(r)) > 0 &&
           fwrite(h, 1, hl, out) == hl && fputs("\r\n", out) >= 0;
}

static int fetch(const wb_net_options *o, const fetch_opts *fo)
{
    const char *method = fo->method ? fo->method : fo->has_body ? "POST" : "GET";
    wb_http_header headers[FETCH_MAX_HEADERS + 1];
    size_t nheaders = fo->nheaders;
    memcpy(headers, fo->headers, nheaders * sizeof headers[0]);
    if (fo->has_body && !fo->has_content_type) /* curl's default for -d */
        headers[nheaders++] = (wb_http_header){"Content-Type", 12,
                                               "application/x-www-form-urlencoded", 33};
    wb_net_request q = {.method = method, .url = fo->url, .headers = headers,
                        .nheaders = nheaders, .body = fo->has_body ? fo->body : NULL,
                        .body_len = fo->body_len};
    wb_net_error e;
    wb_net_response *r = wb_net_open(o, &q, &e);
    if (!r)
        return report_error(&e);
    int status = wb_net_status(r);
    if (fo->fail && status >= 400) {
        fprintf(stderr, "wasmbox: fetch: HTTP %d from %s (--fail: exit 22)\n", status,
                wb_net_final_url(r));
        wb_net_close(r);
        return FETCH_EXIT_HTTP_ERROR;
    }
    FILE *out = stdout;
    if (fo->output && !(out = fopen(fo->output, "wb"))) {
        fprintf(stderr, "wasmbox: fetch: -o %s: %s\n", fo->output, strerror(errno));
        wb_net_close(r);
        return CLI_EXIT_FAIL;
    }
    int rc = CLI_EXIT_OK;
    if (fo->include && !print_head(out, r))
        rc = CLI_EXIT_FAIL;
    static char buf[1 << 16];
    ssize_t n = 0;
    while (rc == CLI_EXIT_OK && (n = wb_net_read(r, buf, sizeof buf, &e)) > 0)
        if (fwrite(buf, 1, (size_t)n, out) != (size_t)n)
            rc = CLI_EXIT_FAIL;
    if ((out == stdout ? fflush(out) : fclose(out)) != 0)
        rc = CLI_EXIT_FAIL;
    if (rc != CLI_EXIT_OK)
        fprintf(stderr, "wasmbox: fetch: cannot write the body to %s\n",
                fo->output ? fo->output : "stdout");
    else if (n < 0)
        rc = report_error(&e);
    else if (status >= 400)
        fprintf(stderr, "wasmbox: fetch: HTTP %d from %s\n", status, wb_net_final_url(r));
    wb_net_close(r);
    return rc;
}

int cli_fetch(int argc, char **argv)
{
    wb_policy p;
    wb_policy_init(&p);
    fetch_opts fo;
    memset(&fo, 0, sizeof fo);
    cli_bundles args;
    if (!cli_split_bundles(&cli_cmd_fetch, argc, argv, &args)) {
        fprintf(stderr, "wasmbox: fetch: out of memory\n");
        wb_policy_free(&p);
        return CLI_EXIT_FAIL;
    }
    int rc = build(args.argc, args.argv, &fo, &p);
    if (rc >= 0) {
        free(fo.body);
        cli_bundles_free(&args);
        wb_policy_free(&p);
        return rc;
    }
    wb_audit *audit = NULL;
    if (p.audit) {
        char err[WB_POLICY_ERR_MAX];
        audit = wb_audit_open(p.audit, err, sizeof err);
        if (!audit) {
            fprintf(stderr, "wasmbox: %s\n", err);
            free(fo.body);
            cli_bundles_free(&args);
            wb_policy_free(&p);
            return CLI_EXIT_FAIL;
        }
    }
    wb_net_options o;
    wb_net_options_init(&o, &p);
    o.audit = audit;
    uint64_t limit = p.timeout_ms, max_time;
    if (fo.max_time && max_time_ms(fo.max_time, &max_time) && max_time < limit)
        limit = max_time; /* the smaller of the policy's timeout and --max-time */
    if (limit != WB_UNLIMITED)
        o.total_timeout_ms = limit > INT_MAX ? INT_MAX : (int)limit;
    rc = fo.dry_run ? dry_run(&o, fo.url) : fetch(&o, &fo);
    wb_audit_close(audit);
    free(fo.body);
    cli_bundles_free(&args);
    wb_policy_free(&p);
    return rc;
}
