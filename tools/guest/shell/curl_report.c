/* What the shell's curl tells (curl_report.h): its exit codes and
 * messages for the wasmbox_http errors, -w's variables, -v's heads, and
 * the URL pieces they name. */
#include "curl_report.h"
#include "http.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void curl_url_split(const char *url, curl_url *u)
{
    memset(u, 0, sizeof *u);
    const char *p = strstr(url, "://");
    const char *auth = p ? p + 3 : url;
    if (p)
        for (const char *q = url; q < p; q++)
            sh_buf_addc(&u->scheme, (char)tolower((unsigned char)*q));
    else
        sh_buf_adds(&u->scheme, "http");
    size_t alen = strcspn(auth, "/?#");
    const char *at = memchr(auth, '@', alen);
    if (at) {
        alen -= (size_t)(at + 1 - auth);
        auth = at + 1;
    }
    const char *host_end = auth + alen, *colon = NULL;
    if (auth[0] == '[') {
        const char *close = memchr(auth, ']', alen);
        if (close && close + 1 < host_end && close[1] == ':')
            colon = close + 1;
    } else {
        colon = memchr(auth, ':', alen);
    }
    sh_buf_add(&u->host, auth, (size_t)((colon ? colon : host_end) - auth));
    u->port = strcmp(u->scheme.data, "https") == 0 ? 443 : 80;
    if (colon && colon + 1 < host_end)
        u->port = atoi(colon + 1);
    const char *rest = auth + alen;
    if (*rest != '/')
        sh_buf_addc(&u->path, '/');
    sh_buf_add(&u->path, rest, strcspn(rest, "#"));
}

void curl_url_free(curl_url *u)
{
    sh_buf_free(&u->scheme);
    sh_buf_free(&u->host);
    sh_buf_free(&u->path);
}


/* ---- errors ------------------------------------------------------------ */

const char *curl_reason(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    }
    return "";
}

static long elapsed_ms(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)((t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000);
}

/* The policy's refusal in curl's words: "Failed to connect to HOST port N:
 * refused by the sandbox's policy: ORIGIN is not in allowed_outbound_hosts
 * (add ... to allow it)". */
static void policy_message(curl_transfer *t, const curl_url *u, const char *why)
{
    static const char prefix[] = "wasmbox: refused outbound connection to ";
    if (strncmp(why, prefix, sizeof prefix - 1) == 0)
        why += sizeof prefix - 1;
    sh_buf_printf(&t->errmsg, "Failed to connect to %s port %d: refused by the sandbox's policy: ",
                  u->host.data, u->port);
    const char *not_in = strstr(why, ": not in allowed_outbound_hosts");
    if (not_in) {
        sh_buf_add(&t->errmsg, why, (size_t)(not_in - why));
        sh_buf_adds(&t->errmsg, " is");
        sh_buf_adds(&t->errmsg, not_in + 1);
    } else {
        sh_buf_adds(&t->errmsg, why);
    }
}

/* Sets t->code and t->errmsg for a wasmbox_http error e (reading says
 * whether the body was being read). */
void curl_failure(curl_transfer *t, int e, bool reading, const struct timespec *t0)
{
    curl_url u;
    curl_url_split(t->effective.len ? t->effective.data : t->url, &u);
    sh_buf why = {0};
    sh_http_last_error(&why);
    const char *w = why.data ? why.data : "";
    t->errmsg.len = 0;
    switch (e) {
    case SH_HTTP_ENOTCAPABLE:
        t->code = 7;
        policy_message(t, &u, w);
        break;
    case SH_HTTP_EHOSTUNREACH:
        t->code = 6;
        sh_buf_printf(&t->errmsg, "Could not resolve host: %s", u.host.data);
        break;
    case SH_HTTP_ECONNREFUSED:
        t->code = 7;
        sh_buf_printf(&t->errmsg, "Failed to connect to %s port %d after %ld ms: Couldn't connect "
                      "to server", u.host.data, u.port, elapsed_ms(t0));
        break;
    case SH_HTTP_ECONNABORTED:
        if (strstr(w, "certif")) {
            t->code = 60;
            sh_buf_printf(&t->errmsg, "SSL certificate problem: %s", w);
        } else {
            t->code = 35;
            sh_buf_printf(&t->errmsg, "SSL connect error: %s", w);
        }
        break;
    case SH_HTTP_ETIMEDOUT:
        t->code = 28;
        sh_buf_printf(&t->errmsg, "Operation timed out after %ld milliseconds with %llu bytes "
                      "received", elapsed_ms(t0), (unsigned long long)t->body_bytes);
        break;
    case SH_HTTP_ELOOP: {
        const char *m = strstr(w, "more than ");
        t->code = 47;
        if (m)
            sh_buf_printf(&t->errmsg, "Maximum (%d) redirects followed", atoi(m + 10));
        else
            sh_buf_printf(&t->errmsg, "Redirect failed: %s", w);
        break;
    }
    case SH_HTTP_EPROTO:
        t->code = reading ? 18 : 8;
        sh_buf_printf(&t->errmsg, reading ? "Transfer failed: %s" : "Weird server reply: %s", w);
        break;
    case SH_HTTP_EMSGSIZE: /* the host's cap on a response (or a request) body */
        reading = reading || strstr(w, "response");
        t->code = reading ? 63 : 55;
        sh_buf_printf(&t->errmsg, "%s: %s", reading ? "Maximum file size exceeded"
                                                    : "Failed sending data to the peer", w);
        break;
    case SH_HTTP_EINVAL: /* the URL, or a method or header line the host refuses */
        if (strstr(w, "URL")) {
            t->code = 3;
            sh_buf_printf(&t->errmsg, "URL using bad/illegal format or missing URL: %s", w);
        } else {
            t->code = 43;
            sh_buf_printf(&t->errmsg, "A libcurl function was given a bad argument: %s", w);
        }
        break;
    case SH_HTTP_ENOMEM:
        t->code = 27;
        sh_buf_adds(&t->errmsg, "Out of memory");
        break;
    default:
        t->code = reading ? 56 : 55;
        sh_buf_printf(&t->errmsg, "%s: %s", reading ? "Failure when receiving data from the peer"
                                                    : "Failed sending data to the peer", w);
        break;
    }
    sh_buf_free(&why);
    curl_url_free(&u);
}


/* The value of header name in a "Name: value\r\n" block (the last one
 * given), or NULL; *len its length. */
const char *curl_header_value(const char *block, const char *name, size_t *len)
{
    const char *found = NULL;
    size_t n = strlen(name);
    for (const char *p = block; p && *p;) {
        const char *eol = strstr(p, "\r\n");
        size_t ll = eol ? (size_t)(eol - p) : strlen(p);
        if (ll > n && strncasecmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1;
            while (v < p + ll && (*v == ' ' || *v == '\t'))
                v++;
            found = v;
            *len = (size_t)(p + ll - v);
        }
        p = eol ? eol + 2 : NULL;
    }
    return found;
}


/* A Location made absolute against the URL it came from (curl's
 * redirect_url): scheme-relative, absolute path, query, relative path. */
static char *resolve_location(const char *base, const char *loc)
{
    sh_buf b = {0};
    const char *colon = strchr(loc, ':');
    if (colon && strcspn(loc, "/?#") > (size_t)(colon - loc)) {
        sh_buf_adds(&b, loc); /* has a scheme */
        return sh_buf_take(&b);
    }
    const char *sep = strstr(base, "://");
    const char *auth = sep ? sep + 3 : base;
    size_t alen = strcspn(auth, "/?#");
    if (loc[0] == '/' && loc[1] == '/') {
        sh_buf_add(&b, base, (size_t)(auth - base) - 2);
    } else if (loc[0] == '/') {
        sh_buf_add(&b, base, (size_t)(auth + alen - base));
    } else {
        size_t plen = strcspn(auth + alen, "?#");
        const char *path = auth + alen, *end = path + plen;
        if (loc[0] == '?') {
            sh_buf_add(&b, base, (size_t)(end - base));
        } else {
            while (end > path && end[-1] != '/')
                end--;
            sh_buf_add(&b, base, (size_t)(end - base));
            if (end == path)
                sh_buf_addc(&b, '/');
        }
    }
    sh_buf_adds(&b, loc);
    return sh_buf_take(&b);
}


/* ---- -w ---------------------------------------------------------------- */

static void write_var(shctx *sh, sh_stream **out, const curl_transfer *t, const char *name, size_t n)
{
    sh_stream *s = *out;
#define IS(v) (n == sizeof v - 1 && strncmp(name, v, n) == 0)
    if (IS("http_code") || IS("response_code")) {
        sh_printf(s, "%03d", t->status);
    } else if (IS("url_effective")) {
        sh_puts(s, t->effective.len ? t->effective.data : t->url);
    } else if (IS("url")) {
        sh_puts(s, t->url);
    } else if (IS("content_type")) {
        size_t len = 0;
        const char *v = curl_header_value(t->headers.data, "Content-Type", &len);
        if (v)
            sh_write(s, v, len);
    } else if (IS("size_download")) {
        sh_printf(s, "%llu", (unsigned long long)t->body_bytes);
    } else if (IS("size_header") || IS("header_size")) {
        sh_printf(s, "%llu", (unsigned long long)t->header_bytes);
    } else if (IS("size_upload")) {
        sh_printf(s, "%llu", (unsigned long long)t->upload_bytes);
    } else if (IS("time_total")) {
        sh_printf(s, "%.6f", t->seconds);
    } else if (IS("time_namelookup") || IS("time_connect") || IS("time_appconnect") ||
               IS("time_pretransfer") || IS("time_starttransfer") || IS("time_redirect")) {
        sh_puts(s, "0.000000"); /* the host does not tell (README.md) */
    } else if (IS("num_redirects")) {
        sh_puts(s, t->effective.len && strcmp(t->effective.data, t->url) != 0 ? "1" : "0");
    } else if (IS("redirect_url")) {
        size_t len = 0;
        const char *v = t->status >= 300 && t->status < 400
                            ? curl_header_value(t->headers.data, "Location", &len) : NULL;
        if (v) {
            char *loc = sh_strndup(v, len);
            char *abs = resolve_location(t->effective.len ? t->effective.data : t->url, loc);
            sh_puts(s, abs);
            free(abs);
            free(loc);
        }
    } else if (IS("exitcode")) {
        sh_printf(s, "%d", t->code);
    } else if (IS("errormsg")) {
        if (t->errmsg.len)
            sh_puts(s, t->errmsg.data);
    } else if (IS("http_version")) {
        sh_puts(s, t->status ? "1.1" : "0");
    } else if (IS("method")) {
        sh_puts(s, t->method);
    } else if (IS("scheme")) {
        sh_puts(s, strncasecmp(t->url, "https:", 6) == 0 ? "HTTPS" : "HTTP");
    } else if (IS("filename_effective")) {
        if (t->filename)
            sh_puts(s, t->filename);
    } else if (IS("stdout")) {
        *out = sh_stdout(sh);
    } else if (IS("stderr")) {
        *out = sh_stderr(sh);
    } else if (IS("remote_ip") || IS("remote_port") || IS("local_ip") || IS("local_port")) {
        /* the host makes the connection and does not say */
    } else {
        sh_printf(sh_stderr(sh), "curl: unknown --write-out variable: '%.*s'\n", (int)n, name);
    }
#undef IS
}

void curl_write_out(shctx *sh, const char *fmt, const curl_transfer *t)
{
    sh_buf file = {0};
    if (fmt[0] == '@') {
        sh_stream *in = strcmp(fmt + 1, "-") == 0 ? sh_stdin(sh) : sh_open(sh, fmt + 1, O_RDONLY);
        if (in) {
            sh_read_all(in, &file, (size_t)1 << 20);
            if (in != sh_stdin(sh))
                sh_close(in);
        }
        fmt = file.data ? file.data : "";
    }
    sh_stream *s = sh_stdout(sh);
    for (const char *p = fmt; *p; p++) {
        if (p[0] == '%' && p[1] == '%') {
            sh_putc(s, '%');
            p++;
        } else if (p[0] == '%' && p[1] == '{' && strchr(p + 2, '}')) {
            const char *end = strchr(p + 2, '}');
            write_var(sh, &s, t, p + 2, (size_t)(end - p - 2));
            p = end;
        } else if (strncmp(p, "%header{", 8) == 0 && strchr(p + 8, '}')) {
            const char *end = strchr(p + 8, '}');
            char *name = sh_strndup(p + 8, (size_t)(end - p - 8));
            size_t len = 0;
            const char *v = curl_header_value(t->headers.data, name, &len);
            if (v)
                sh_write(s, v, len);
            free(name);
            p = end;
        } else if (p[0] == '\\' && (p[1] == 'n' || p[1] == 'r' || p[1] == 't' || p[1] == '\\')) {
            p++;
            sh_putc(s, *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p == 't' ? '\t' : '\\');
        } else {
            sh_putc(s, *p);
        }
    }
    sh_buf_free(&file);
}

/* ---- -v -------------------------------------------------------------------- */

void curl_verbose_request(shctx *sh, const char *method, const char *url, const sh_buf *headers,
                            size_t body_len, bool body)
{
    sh_stream *e = sh_stderr(sh);
    curl_url u;
    curl_url_split(url, &u);
    sh_printf(e, "* Connecting to %s port %d through the sandbox (wasmbox_http: the host checks "
                 "every hop against the policy)\n", u.host.data, u.port);
    sh_printf(e, "> %s %s HTTP/1.1\r\n", method, u.path.data);
    bool dflt = (strcmp(u.scheme.data, "https") == 0 && u.port == 443) ||
                (strcmp(u.scheme.data, "http") == 0 && u.port == 80);
    if (dflt)
        sh_printf(e, "> Host: %s\r\n", u.host.data);
    else
        sh_printf(e, "> Host: %s:%d\r\n", u.host.data, u.port);
    for (const char *p = headers->data; p && *p;) {
        const char *eol = strstr(p, "\r\n");
        if (!eol)
            break;
        sh_printf(e, "> %.*s\r\n", (int)(eol - p), p);
        p = eol + 2;
    }
    if (body)
        sh_printf(e, "> Content-Length: %zu\r\n", body_len);
    sh_puts(e, "> \r\n");
    curl_url_free(&u);
}

void curl_verbose_response(shctx *sh, const curl_transfer *t)
{
    sh_stream *e = sh_stderr(sh);
    if (t->effective.len && strcmp(t->effective.data, t->url) != 0)
        sh_printf(e, "* The host followed redirects to %s\n", t->effective.data);
    sh_printf(e, "< HTTP/1.1 %d %s\r\n", t->status, curl_reason(t->status));
    for (const char *p = t->headers.data; p && *p;) {
        const char *eol = strstr(p, "\r\n");
        if (!eol)
            break;
        sh_printf(e, "< %.*s\r\n", (int)(eol - p), p);
        p = eol + 2;
    }
    sh_puts(e, "< \r\n");
}

