/* net: wasmbox's policy-enforcing HTTP/1.1 client (public header of net/).
 *
 * Job: carry one HTTP(S) request to the network only where the policy allows
 * it. Every hop (the first request and each redirect) goes through the same
 * decision before any socket exists:
 *   1. the URL is parsed and normalised once (url.h);
 *   2. scheme://host:port must match allowed_outbound_hosts (empty = deny all);
 *   3. the normalised URL must not start with a block_urls prefix;
 *   4. the host is resolved: an IP literal is itself, a policy `resolve` entry
 *      for host:port wins, else getaddrinfo;
 *   5. EVERY address found is checked against block_networks (IPv6 carrying
 *      IPv4 judged as IPv4), and unspecified/multicast/broadcast addresses are
 *      always refused. One blocked address refuses the host.
 * The connection then goes to exactly those checked addresses (no second
 * lookup, so DNS rebinding cannot slip a different address past the check).
 * Each decision, allowed or refused, is written to the audit log if given.
 *
 * The client: HTTP/1.1, one request per connection, TLS 1.2+ via OpenSSL with
 * certificate and host name verification (system store + policy ca_file),
 * redirects re-checked hop by hop (https -> http refused), connect/read/total
 * timeouts, caps on head and body bytes. Proxy environment variables are never
 * read. net/ never binds or listens.
 *
 * Streaming use (what the guest interface sits on):
 *     wb_net_options o; wb_net_options_init(&o, &policy);
 *     wb_net_request q = {.method = "GET", .url = "https://example.com/"};
 *     wb_net_error e;
 *     wb_net_response *r = wb_net_open(&o, &q, &e);   // NULL: e.kind, e.message
 *     wb_net_status(r); wb_net_header(r, "content-type", &len); ...
 *     while ((n = wb_net_read(r, buf, sizeof buf, &e)) > 0) ...   // -1: error
 *     wb_net_close(r);
 * `wasmbox fetch --dry-run URL`: wb_net_check(&o, url, &d) and print
 * d.allowed / d.message / d.addrs.
 */
#ifndef WASMBOX_NET_NET_H
#define WASMBOX_NET_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../policy/policy.h"
#include "http_request.h"
#include "http_response.h"
#include "url.h"

#define WB_NET_ERR_MAX 1024
/* Most addresses one host may resolve to; more are an error (fail closed). */
#define WB_NET_MAX_ADDRS 32
#define WB_NET_DEFAULT_REDIRECTS 5

typedef enum wb_net_error_kind {
    WB_NET_OK = 0,
    WB_NET_E_URL,      /* the URL (or a redirect's Location) is not a valid http(s) URL */
    WB_NET_E_POLICY,   /* refused by the policy: no connection was attempted */
    WB_NET_E_DNS,      /* name lookup failed */
    WB_NET_E_CONNECT,  /* TCP connection failed */
    WB_NET_E_TLS,      /* handshake or certificate verification failed */
    WB_NET_E_TIMEOUT,  /* connect, read, write or total time limit */
    WB_NET_E_PROTOCOL, /* the server's response is malformed, or a bad request */
    WB_NET_E_LIMIT,    /* the response is larger than a cap */
    WB_NET_E_REDIRECT, /* too many redirects, or a redirect that cannot be followed */
    WB_NET_E_IO,       /* read/write error, out of memory */
} wb_net_error_kind;

typedef struct wb_net_error {
    wb_net_error_kind kind;
    char message[WB_NET_ERR_MAX]; /* one line; starts with "wasmbox: " */
} wb_net_error;

const char *wb_net_error_kind_name(wb_net_error_kind k); /* "policy", "tls", ... */

/* ---- the decision ---- */

/* Name lookup used for hosts that are neither IP literals nor pinned by a
 * resolve entry. Fills out[0..max) and *n; returns 0, or -1 with a message.
 * The default (NULL in options) uses getaddrinfo. Tests pass their own to
 * prove that no DNS happens. */
typedef int (*wb_net_lookup_fn)(void *ctx, const char *host, uint16_t port, wb_ip *out,
                                size_t max, size_t *n, char *err, size_t errlen);

typedef struct wb_net_decision {
    bool allowed;
    wb_net_error_kind kind;          /* WB_NET_OK when allowed */
    char url[WB_URL_MAX_LEN + 1];    /* normalised URL ("" if it did not parse) */
    char origin[WB_HOST_TEXT_MAX + 40]; /* scheme://host[:port] */
    char message[WB_NET_ERR_MAX];    /* refusal or error ("" when allowed) */
    const char *source;              /* "literal", "resolve", "dns" (or NULL) */
    wb_ip addrs[WB_NET_MAX_ADDRS];   /* the checked addresses, in connect order */
    size_t naddrs;
} wb_net_decision;

/* Steps 2-3 only (no resolution): pure. Returns true if allowed; else fills
 * d->message/kind. d->url and d->origin are filled either way. */
bool wb_net_decide_url(const wb_policy *p, const wb_url *u, wb_net_decision *d);
/* Step 5 for the addresses in d->addrs: pure. */
bool wb_net_decide_addrs(const wb_policy *p, const wb_url *u, wb_net_decision *d);
/* Steps 2-5. lookup may be NULL (getaddrinfo). Writes one audit record if
 * audit is non-NULL. Returns d->allowed. */
bool wb_net_decide(const wb_policy *p, wb_audit *audit, const wb_url *u, wb_net_lookup_fn lookup,
                   void *lookup_ctx, wb_net_decision *d);

/* ---- client ---- */

typedef struct wb_net_options {
    const wb_policy *policy;   /* required */
    wb_audit *audit;           /* optional: every decision is logged */
    wb_net_lookup_fn lookup;   /* NULL: getaddrinfo */
    void *lookup_ctx;
    int connect_timeout_ms;    /* whole connect phase (all addresses); default 10000 */
    int io_timeout_ms;         /* longest wait for any one read or write; default 30000 */
    int total_timeout_ms;      /* the whole request incl. redirects and body; 0: none */
    int max_redirects;         /* redirects followed; 0: none (3xx returned as is) */
    wb_http_limits limits;     /* head and body caps (wb_http_default_limits) */
    size_t max_fetch_body;     /* wb_net_fetch: body cap (default: limits.max_body) */
    /* -1 (the default): none. Else a descriptor the embedder makes readable
     * to stop every request made with these options at once (an eventfd: a
     * tool call cancelled): connects and reads/writes waiting on the network
     * end with WB_NET_E_TIMEOUT ("... cancelled"). Name lookups are not
     * woken (they keep their own time limit). */
    int abort_fd;
} wb_net_options;

/* Defaults as documented above; policy is stored as given. */
void wb_net_options_init(wb_net_options *o, const wb_policy *policy);

typedef struct wb_net_request {
    const char *method;            /* NULL: "GET" */
    const char *url;               /* NUL-terminated */
    const wb_http_header *headers; /* not Host/Content-Length/Transfer-Encoding/Connection */
    size_t nheaders;
    const void *body;              /* NULL: no body (no Content-Length either) */
    size_t body_len;
} wb_net_request;

typedef struct wb_net_response wb_net_response;

/* Checks the policy, connects, sends the request, follows redirects and reads
 * the final status and headers. NULL on error (details in *err). */
wb_net_response *wb_net_open(const wb_net_options *o, const wb_net_request *q, wb_net_error *err);

int wb_net_status(const wb_net_response *r);
/* The URL the response came from (after redirects), normalised. */
const char *wb_net_final_url(const wb_net_response *r);
int wb_net_redirects(const wb_net_response *r); /* hops followed */
/* Header access: see http_response.h (views valid until close). */
size_t wb_net_header_count(const wb_net_response *r);
bool wb_net_header_at(const wb_net_response *r, size_t i, const char **name, size_t *name_len,
                      const char **value, size_t *value_len);
const char *wb_net_header(const wb_net_response *r, const char *name, size_t *value_len);
const char *wb_net_raw_headers(const wb_net_response *r, size_t *len);

/* Reads up to n body bytes. Returns the count, 0 at the end of the body, or
 * -1 with *err filled (also kept: see wb_net_last_error). */
ssize_t wb_net_read(wb_net_response *r, void *buf, size_t n, wb_net_error *err);
/* The last error of this response, or NULL. */
const wb_net_error *wb_net_last_error(const wb_net_response *r);
void wb_net_close(wb_net_response *r);

/* Whole-body helper on top of the streaming calls. */
typedef struct wb_net_result {
    int status;
    char *final_url;   /* malloc'd */
    char *headers;     /* "Name: value\r\n"..., malloc'd */
    size_t headers_len;
    uint8_t *body;     /* malloc'd, NUL-terminated for convenience */
    size_t body_len;
    int redirects;
} wb_net_result;

int wb_net_fetch(const wb_net_options *o, const wb_net_request *q, wb_net_result *out,
                 wb_net_error *err);
void wb_net_result_free(wb_net_result *r);

/* Dry run: parse + decide (including real resolution unless pinned), no
 * connection. Returns d->allowed. */
bool wb_net_check(const wb_net_options *o, const char *url, wb_net_decision *d);

#endif
