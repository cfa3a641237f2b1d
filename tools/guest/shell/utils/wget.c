/* wget: a minimal GNU wget through the sandbox's wasmbox_http import
 * (../http.h): URLs saved to their last path segment ("index.html" when
 * there is none; NAME.1, NAME.2 ... when the name is taken), -O FILE (-
 * for stdout), -q, -nv, -P DIR, -U, --header, --post-data/--post-file,
 * --method, -T, --max-redirect; wget's exit statuses (4 network failure,
 * 8 an HTTP error, 3 a file that cannot be written, 2 usage).
 *
 * The host makes the connection and follows redirects, checking each hop
 * against the run's policy; the log on stderr is wget's without the
 * progress bar and the transfer rate (nothing to show in one call). */
#include "../http.h"
#include "../shell.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    bool quiet, nv;
    const char *output, *prefix, *user_agent, *method, *post_file;
    sh_buf headers, post;
    bool has_post;
    int max_redirect;
    int64_t timeout_ms;
} wgetopts;

static void usage_tail(shctx *sh)
{
    sh_puts(sh_stderr(sh), "Usage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n");
}

static void now_str(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
}

static const char *reason(int s)
{
    switch (s) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    }
    return "";
}

/* host:port and the last path segment of url. */
static void url_bits(const char *url, sh_buf *hostport, sh_buf *last)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    size_t alen = strcspn(p, "/?#");
    const char *at = memchr(p, '@', alen);
    if (at) {
        alen -= (size_t)(at + 1 - p);
        p = at + 1;
    }
    sh_buf_add(hostport, p, alen);
    if (!memchr(p, ':', alen) || p[0] == '[')
        sh_buf_adds(hostport, strncasecmp(url, "https:", 6) == 0 ? ":443" : ":80");
    const char *path = p + alen;
    size_t plen = strcspn(path, "?#");
    const char *s = path + plen;
    while (s > path && s[-1] != '/')
        s--;
    sh_buf_add(last, s, (size_t)(path + plen - s));
}

static const char *header_value(const char *block, const char *name, size_t *len)
{
    size_t n = strlen(name);
    for (const char *p = block; p && *p;) {
        const char *eol = strstr(p, "\r\n");
        size_t ll = eol ? (size_t)(eol - p) : strlen(p);
        if (ll > n && strncasecmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1;
            while (v < p + ll && *v == ' ')
                v++;
            *len = (size_t)(p + ll - v);
            return v;
        }
        p = eol ? eol + 2 : NULL;
    }
    return NULL;
}

/* A free name: NAME, else NAME.1, NAME.2 ... as wget picks. */
static char *free_name(const char *base)
{
    struct stat st;
    if (lstat(base, &st) != 0)
        return sh_strdup(base);
    for (int i = 1;; i++) {
        sh_buf b = {0};
        sh_buf_printf(&b, "%s.%d", base, i);
        if (lstat(b.data, &st) != 0)
            return sh_buf_take(&b);
        sh_buf_free(&b);
    }
}

/* The network failure in wget's words (after "Connecting to H... "):
 * 4 (network), 5 (TLS) or 7 (protocol). */
static int network_failure(shctx *sh, const wgetopts *o, int e, const char *host)
{
    sh_buf why = {0};
    sh_http_last_error(&why);
    sh_stream *err = sh_stderr(sh);
    const char *w = why.data ? why.data : "";
    if (!o->quiet) {
        switch (e) {
        case SH_HTTP_EHOSTUNREACH:
            sh_printf(err, "failed: Name or service not known.\n"
                           "wget: unable to resolve host address \xe2\x80\x98%.*s\xe2\x80\x99\n",
                      (int)strcspn(host, ":"), host);
            break;
        case SH_HTTP_ECONNREFUSED: sh_puts(err, "failed: Connection refused.\n"); break;
        case SH_HTTP_ETIMEDOUT: sh_puts(err, "failed: Connection timed out.\n"); break;
        case SH_HTTP_ENOTCAPABLE:
            sh_printf(err, "failed: refused by the sandbox's policy: %s\n", w);
            break;
        default: sh_printf(err, "failed: %s\n", w); break;
        }
    }
    sh_buf_free(&why);
    return e == SH_HTTP_ECONNABORTED ? 5 : e == SH_HTTP_EPROTO ? 7 : 4;
}

static int fetch(shctx *sh, const wgetopts *o, const char *given)
{
    sh_buf url = {0}, hostport = {0}, last = {0};
    if (!strstr(given, "://"))
        sh_buf_adds(&url, "http://");
    sh_buf_adds(&url, given);
    url_bits(url.data, &hostport, &last);
    char date[32];
    now_str(date, sizeof date);
    sh_stream *err = sh_stderr(sh);
    bool log = !o->quiet && !o->nv;
    int status = 0;
    if (log)
        sh_printf(err, "--%s--  %s\n", date, url.data);
    if (strncasecmp(url.data, "http://", 7) != 0 && strncasecmp(url.data, "https://", 8) != 0) {
        if (!o->quiet)
            sh_printf(err, "%s: Unsupported scheme.\n", given);
        status = 1;
        goto out;
    }
    sh_buf headers = {0};
    sh_buf_printf(&headers, "User-Agent: %s\r\nAccept: */*\r\n",
                  o->user_agent ? o->user_agent : "Wget/1.21.3");
    if (o->has_post)
        sh_buf_adds(&headers, "Content-Type: application/x-www-form-urlencoded\r\n");
    sh_buf_add(&headers, o->headers.data ? o->headers.data : "", o->headers.len);
    const char *method = o->method ? o->method : o->has_post ? "POST" : "GET";
    int64_t ms = o->timeout_ms > INT32_MAX ? INT32_MAX : o->timeout_ms;
    uint32_t h = 0;
    int e = sh_http_set_limits(o->max_redirect, (int)ms);
    if (log)
        sh_printf(err, "Connecting to %s... ", hostport.data);
    if (!e)
        e = sh_http_request(method, url.data, headers.data, o->has_post ? (o->post.data ? o->post.data : "") : NULL,
                            o->post.len, &h);
    sh_buf_free(&headers);
    if (e) {
        if (o->nv && !o->quiet)
            sh_printf(err, "%s %s: ", date, url.data);
        status = network_failure(sh, o, e, hostport.data);
        goto out;
    }
    int code = sh_http_status(h);
    sh_buf rh = {0};
    sh_http_headers(h, &rh);
    if (log)
        sh_printf(err, "connected.\nHTTP request sent, awaiting response... %d %s\n", code,
                  reason(code));
    if (code >= 400) {
        if (!o->quiet)
            sh_printf(err, "%s ERROR %d: %s.\n%s", date, code, reason(code), o->nv ? "" : "\n");
        sh_http_close(h);
        sh_buf_free(&rh);
        status = 8;
        goto out;
    }
    size_t len = 0, tlen = 0;
    const char *cl = header_value(rh.data, "Content-Length", &len);
    const char *ct = header_value(rh.data, "Content-Type", &tlen);
    char *name = NULL;
    if (o->output) {
        name = sh_strdup(o->output);
    } else {
        sh_buf base = {0};
        if (o->prefix) {
            sh_buf_adds(&base, o->prefix);
            sh_buf_addc(&base, '/');
            mkdir(o->prefix, 0777);
        }
        sh_buf_adds(&base, last.len ? last.data : "index.html");
        name = free_name(base.data);
        sh_buf_free(&base);
    }
    if (log) {
        if (cl)
            sh_printf(err, "Length: %.*s", (int)len, cl);
        else
            sh_puts(err, "Length: unspecified");
        if (ct)
            sh_printf(err, " [%.*s]", (int)tlen, ct);
        sh_printf(err, "\nSaving to: \xe2\x80\x98%s\xe2\x80\x99\n\n", strcmp(name, "-") ? name : "STDOUT");
    }
    bool to_stdout = strcmp(name, "-") == 0;
    /* -O FILE was made at the start: every URL's body goes after the last */
    sh_stream *out = to_stdout ? sh_stdout(sh)
                               : sh_open(sh, name, O_WRONLY | O_CREAT |
                                                       (o->output ? O_APPEND : O_TRUNC));
    uint64_t got = 0;
    if (!out) {
        if (!o->quiet)
            sh_printf(err, "%s: %s\n", name, sh_strerror(errno));
        status = 3;
    } else {
        char *buf = sh_malloc(64 << 10);
        for (;;) {
            size_t n = 0;
            int re = sh_http_read(h, buf, 64 << 10, &n);
            if (re) {
                sh_buf why = {0};
                sh_http_last_error(&why);
                if (!o->quiet)
                    sh_printf(err, "%s (%s) - Read error at byte %llu (%s).", date, "0 B/s",
                              (unsigned long long)got, why.data ? why.data : "");
                sh_buf_free(&why);
                status = 4;
                break;
            }
            if (n == 0 || sh_interrupted(sh))
                break;
            if (!sh_write(out, buf, n)) {
                if (errno != EPIPE && !o->quiet)
                    sh_printf(err, "Cannot write to %s (%s).\n", sh_quote(sh, name), sh_strerror(errno));
                status = 3;
                break;
            }
            got += n;
        }
        free(buf);
        if (!to_stdout && !sh_close(out) && !status)
            status = 3;
    }
    sh_http_close(h);
    if (!status) {
        now_str(date, sizeof date);
        char total[32] = "";
        if (cl)
            snprintf(total, sizeof total, "/%.*s", (int)(len < 24 ? len : 24), cl);
        if (log)
            sh_printf(err, "%s - \xe2\x80\x98%s\xe2\x80\x99 saved [%llu%s]\n\n", date,
                      to_stdout ? "-" : name, (unsigned long long)got, total);
        else if (o->nv && !o->quiet)
            sh_printf(err, "%s URL:%s [%llu/%llu] -> \"%s\" [1]\n", date, url.data,
                      (unsigned long long)got, (unsigned long long)got, to_stdout ? "-" : name);
    }
    free(name);
    sh_buf_free(&rh);
out:
    sh_buf_free(&url);
    sh_buf_free(&hostport);
    sh_buf_free(&last);
    return status;
}

enum { W_HEADER = 1000, W_POST_DATA, W_POST_FILE, W_METHOD, W_MAX_REDIRECT, W_NO_CHECK, W_HELP,
       W_VERSION, W_NV };

int util_wget(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {
        {"quiet", SH_NO_ARG, 'q'}, {"output-document", SH_REQ_ARG, 'O'},
        {"no-verbose", SH_NO_ARG, W_NV}, {"directory-prefix", SH_REQ_ARG, 'P'},
        {"user-agent", SH_REQ_ARG, 'U'}, {"header", SH_REQ_ARG, W_HEADER},
        {"post-data", SH_REQ_ARG, W_POST_DATA}, {"post-file", SH_REQ_ARG, W_POST_FILE},
        {"method", SH_REQ_ARG, W_METHOD}, {"timeout", SH_REQ_ARG, 'T'},
        {"tries", SH_REQ_ARG, 't'}, {"max-redirect", SH_REQ_ARG, W_MAX_REDIRECT},
        {"no-check-certificate", SH_NO_ARG, W_NO_CHECK}, {"help", SH_NO_ARG, W_HELP},
        {"version", SH_NO_ARG, W_VERSION}, {NULL, 0, 0}};
    /* "-nv" is one option to wget (getopt would read -n -v): our own copy
     * of argv says it the long way (the shell owns and frees argv's). */
    char **av = sh_calloc((size_t)argc + 1, sizeof *av);
    for (int i = 0; i < argc; i++)
        av[i] = strcmp(argv[i], "-nv") == 0 ? (char *)"--no-verbose" : argv[i];
    argv = av;
    wgetopts o = {0};
    o.max_redirect = -1;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c, status = 0;
    int64_t v;
    while ((c = sh_getopt(sh, &st, argc, argv, "qO:P:U:T:t:", lo)) != -1) {
        switch (c) {
        case 'q': o.quiet = true; break;
        case W_NV: o.nv = true; break;
        case 'O': o.output = st.arg; break;
        case 'P': o.prefix = st.arg; break;
        case 'U': o.user_agent = st.arg; break;
        case 't': break; /* one try: the sandbox's time is the run's */
        case W_HEADER:
            if (strchr(st.arg, ':'))
                sh_buf_printf(&o.headers, "%s\r\n", st.arg);
            break;
        case W_POST_DATA:
            sh_buf_adds(&o.post, st.arg);
            o.has_post = true;
            break;
        case W_POST_FILE: {
            sh_stream *in = sh_open(sh, st.arg, O_RDONLY);
            if (!in || !sh_read_all(in, &o.post, (size_t)16 << 20)) {
                sh_err(sh, "%s: %s", st.arg, sh_strerror(errno));
                if (in)
                    sh_close(in);
                status = 3;
                goto done;
            }
            sh_close(in);
            o.has_post = true;
            break;
        }
        case W_METHOD: o.method = st.arg; break;
        case 'T':
            if (!sh_parse_int(st.arg, &v) || v < 0 || v > 86400) {
                sh_err(sh, "--timeout: Invalid time period %s", sh_quote(sh, st.arg));
                status = 2;
                goto done;
            }
            o.timeout_ms = v * 1000;
            break;
        case W_MAX_REDIRECT:
            if (!sh_parse_int(st.arg, &v) || v < 0 || v > 1000) {
                sh_err(sh, "--max-redirect: Invalid number %s", sh_quote(sh, st.arg));
                status = 2;
                goto done;
            }
            o.max_redirect = (int)v;
            break;
        case W_NO_CHECK:
            sh_puts(sh_stderr(sh), "wget: --no-check-certificate is not available in the sandbox: "
                                   "certificates are always verified\n");
            break;
        case W_HELP:
            sh_puts(sh_stdout(sh), "GNU Wget 1.21.3 (the sandbox shell's), a non-interactive "
                                   "network retriever.\nUsage: wget [OPTION]... [URL]...\n\n"
                                   "  -q, --quiet                 quiet (no output)\n"
                                   "  -nv, --no-verbose           turn off verboseness\n"
                                   "  -O,  --output-document=FILE write documents to FILE\n"
                                   "  -P,  --directory-prefix=PREFIX  save files to PREFIX/..\n"
                                   "  -U,  --user-agent=AGENT     identify as AGENT\n"
                                   "       --header=STRING        insert STRING among the headers\n"
                                   "       --post-data=STRING     use the POST method\n"
                                   "       --post-file=FILE       use the POST method\n"
                                   "       --method=HTTPMethod    use method \"HTTPMethod\"\n"
                                   "  -T,  --timeout=SECONDS      set all timeout values\n"
                                   "       --max-redirect         maximum redirections allowed\n");
            goto done;
        case W_VERSION:
            sh_puts(sh_stdout(sh), "GNU Wget 1.21.3 (the sandbox shell's: HTTP and HTTPS through "
                                   "wasmbox_http)\n");
            goto done;
        default:
            /* sh_getopt said what and printed GNU's "Try" line; wget's differs */
            status = 2;
            goto done;
        }
    }
    if (st.ind >= argc) {
        sh_err(sh, "missing URL");
        usage_tail(sh);
        status = 1;
        goto done;
    }
    if (o.output && strcmp(o.output, "-") != 0) {
        /* wget makes -O's file at the start, whatever happens after */
        sh_stream *s = sh_open(sh, o.output, O_WRONLY | O_CREAT | O_TRUNC);
        if (!s) {
            sh_printf(sh_stderr(sh), "%s: %s\n", o.output, sh_strerror(errno));
            status = 3;
            goto done;
        }
        sh_close(s);
    }
    for (int i = st.ind; i < argc && !sh_interrupted(sh); i++) {
        int r = fetch(sh, &o, argv[i]);
        if (r) /* the last failure's status */
            status = r;
    }
done:
    free(av);
    sh_buf_free(&o.headers);
    sh_buf_free(&o.post);
    return status;
}
