/* curl: HTTP(S) transfers through the sandbox's wasmbox_http import
 * (../http.h), with curl 7.88's options, messages and exit codes for what
 * agents use: -s -S -f --fail-with-body -L --max-redirs -o -O -X -H -d
 * --data-raw --data-binary --data-urlencode @file --json -G -i -I -D -w -m
 * -u -A -e -b (a string) -T -v --compressed --retry, several URLs.
 *
 * The host makes the connection: it checks every hop (the first request and
 * each redirect) against the run's policy, so a host outside
 * allowed_outbound_hosts is "curl: (7) ... refused by the sandbox's policy",
 * redirects are followed by it (-L maps onto its limit, and without -L a
 * 3xx comes back as it is), and only what it reports can be shown: the
 * final response's status and headers (HTTP/1.1 and the usual reason
 * phrase in -i's status line), no addresses, no progress meter, no TLS
 * details. README.md "Utilities" lists what differs. The messages, -w and
 * -v are ../curl_report.c's. */
#include "../curl_report.h"
#include "../http.h"
#include "../flate.h"
#include "../shell.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

/* The options: a long name, the short letter (0: none), whether it takes a
 * parameter. */
enum {
    O_SILENT = 1, O_SHOW_ERROR, O_FAIL, O_FAIL_BODY, O_LOCATION, O_MAX_REDIRS, O_OUTPUT,
    O_REMOTE_NAME, O_REQUEST, O_HEADER, O_DATA, O_DATA_RAW, O_DATA_BINARY, O_DATA_URLENCODE,
    O_JSON, O_GET, O_INCLUDE, O_HEAD, O_DUMP_HEADER, O_WRITE_OUT, O_MAX_TIME, O_CONNECT_TIMEOUT,
    O_USER, O_USER_AGENT, O_REFERER, O_COOKIE, O_UPLOAD, O_VERBOSE, O_COMPRESSED, O_INSECURE,
    O_RETRY, O_IGNORED_ARG, O_IGNORED, O_URL, O_CREATE_DIRS, O_HELP, O_VERSION, O_UNSUPPORTED,
};

typedef struct {
    const char *name;
    char letter;
    bool arg;
    int id;
} curl_opt;

static const curl_opt options[] = {
    {"silent", 's', false, O_SILENT},
    {"show-error", 'S', false, O_SHOW_ERROR},
    {"fail", 'f', false, O_FAIL},
    {"fail-with-body", 0, false, O_FAIL_BODY},
    {"location", 'L', false, O_LOCATION},
    {"max-redirs", 0, true, O_MAX_REDIRS},
    {"output", 'o', true, O_OUTPUT},
    {"remote-name", 'O', false, O_REMOTE_NAME},
    {"request", 'X', true, O_REQUEST},
    {"header", 'H', true, O_HEADER},
    {"data", 'd', true, O_DATA},
    {"data-ascii", 0, true, O_DATA},
    {"data-raw", 0, true, O_DATA_RAW},
    {"data-binary", 0, true, O_DATA_BINARY},
    {"data-urlencode", 0, true, O_DATA_URLENCODE},
    {"json", 0, true, O_JSON},
    {"get", 'G', false, O_GET},
    {"include", 'i', false, O_INCLUDE},
    {"head", 'I', false, O_HEAD},
    {"dump-header", 'D', true, O_DUMP_HEADER},
    {"write-out", 'w', true, O_WRITE_OUT},
    {"max-time", 'm', true, O_MAX_TIME},
    {"connect-timeout", 0, true, O_CONNECT_TIMEOUT},
    {"user", 'u', true, O_USER},
    {"user-agent", 'A', true, O_USER_AGENT},
    {"referer", 'e', true, O_REFERER},
    {"cookie", 'b', true, O_COOKIE},
    {"upload-file", 'T', true, O_UPLOAD},
    {"verbose", 'v', false, O_VERBOSE},
    {"compressed", 0, false, O_COMPRESSED},
    {"insecure", 'k', false, O_INSECURE},
    {"retry", 0, true, O_RETRY},
    {"retry-delay", 0, true, O_IGNORED_ARG},
    {"retry-max-time", 0, true, O_IGNORED_ARG},
    {"url", 0, true, O_URL},
    {"create-dirs", 0, false, O_CREATE_DIRS},
    {"no-buffer", 'N', false, O_IGNORED},
    {"no-progress-meter", 0, false, O_IGNORED},
    {"progress-bar", '#', false, O_IGNORED},
    {"http1.1", 0, false, O_IGNORED},
    {"globoff", 'g', false, O_IGNORED},
    {"help", 'h', false, O_HELP},
    {"version", 'V', false, O_VERSION},
    /* Known, and refused with a reason rather than "is unknown". */
    {"proxy", 'x', true, O_UNSUPPORTED},
    {"form", 'F', true, O_UNSUPPORTED},
    {"cookie-jar", 'c', true, O_UNSUPPORTED},
    {"resolve", 0, true, O_UNSUPPORTED},
    {"unix-socket", 0, true, O_UNSUPPORTED},
    {"http2", 0, false, O_UNSUPPORTED},
    {NULL, 0, false, 0},
};

/* One -o/-O, in the order given: the n-th goes with the n-th URL. */
typedef struct {
    char *name; /* NULL with remote: the URL's last path segment */
    bool remote;
} curl_output;

typedef struct {
    bool silent, show_error, fail, fail_body, location, get, include, head, verbose,
        compressed, create_dirs, has_data, json;
    int max_redirs;       /* curl's -1 = unlimited: the run's own limit */
    int64_t timeout_ms;   /* 0: the run's */
    int retries;
    const char *method, *user_agent, *referer, *user, *write_out, *dump_header, *cookie,
        *upload;
    sh_buf data;          /* -d pieces joined with '&' (or --json's, as given) */
    char **headers;       /* -H, in order */
    size_t nheaders;
    char **urls;
    size_t nurls;
    curl_output *outputs;
    size_t noutputs;
} curlopts;


static const char try_line[] = "curl: try 'curl --help' or 'curl --manual' for more information\n";

static int usage_error(shctx *sh, const char *fmt, const char *what)
{
    sh_puts(sh_stderr(sh), "curl: ");
    sh_printf(sh_stderr(sh), fmt, what);
    sh_puts(sh_stderr(sh), "\n");
    sh_puts(sh_stderr(sh), try_line);
    return 2;
}

static void push_str(char ***v, size_t *n, char *s)
{
    *v = sh_realloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = s;
}

/* ---- request data -------------------------------------------------------- */

static bool unreserved(unsigned char c)
{
    return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static void urlencode(sh_buf *out, const char *p, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (unreserved(c)) {
            sh_buf_addc(out, (char)c);
        } else if (c == ' ') {
            sh_buf_addc(out, '+'); /* as curl's --data-urlencode writes it */
        } else {
            sh_buf_addc(out, '%');
            sh_buf_addc(out, hex[c >> 4]);
            sh_buf_addc(out, hex[c & 15]);
        }
    }
}

/* The contents of @NAME ("-": stdin) for -d and friends. A file that
 * cannot be read gets curl's warning and sends nothing (true); false only
 * when it is over the 16 MiB the host sends. */
static bool read_data_file(shctx *sh, const char *name, sh_buf *out, bool quiet)
{
    sh_stream *in = strcmp(name, "-") == 0 ? sh_stdin(sh) : sh_open(sh, name, O_RDONLY);
    bool ok = in && sh_read_all(in, out, (size_t)16 << 20);
    int e = errno;
    if (in && in != sh_stdin(sh))
        sh_close(in);
    if (!ok && in && e == EFBIG) {
        /* curl would read on; the host sends at most 16 MiB */
        out->len = 0;
        return false;
    }
    if (!ok && !quiet)
        sh_printf(sh_stderr(sh),
                  "Warning: Couldn't read data from file \"%s\", this makes an empty POST.\n",
                  name);
    return true;
}

/* One -d, --data-... or --json argument added to the request body; 0, or
 * 26 after the message when a file is over what a request may carry. */
static int too_big(shctx *sh, const curlopts *o, const char *name)
{
    if (!o->silent || o->show_error)
        sh_printf(sh_stderr(sh), "curl: (26) Failed to open/read local data from file/application: "
                                 "%s is over the 16 MiB a request body may have in the sandbox\n",
                  name);
    return 26;
}

static int add_data(shctx *sh, curlopts *o, int id, const char *arg)
{
    sh_buf piece = {0};
    if (id == O_DATA_URLENCODE) {
        /* "content", "=content", "name=content", "@file", "name@file" */
        const char *eq = strchr(arg, '='), *at = strchr(arg, '@');
        if (eq && (!at || eq < at)) {
            sh_buf_add(&piece, arg, (size_t)(eq - arg));
            if (eq != arg)
                sh_buf_addc(&piece, '=');
            urlencode(&piece, eq + 1, strlen(eq + 1));
        } else if (at) {
            sh_buf file = {0};
            if (!read_data_file(sh, at + 1, &file, o->silent)) {
                sh_buf_free(&piece);
                return too_big(sh, o, at + 1);
            }
            sh_buf_add(&piece, arg, (size_t)(at - arg));
            if (at != arg)
                sh_buf_addc(&piece, '=');
            urlencode(&piece, file.data ? file.data : "", file.len);
            sh_buf_free(&file);
        } else {
            urlencode(&piece, arg, strlen(arg));
        }
    } else if (arg[0] == '@' && id != O_DATA_RAW) {
        sh_buf file = {0};
        if (!read_data_file(sh, arg + 1, &file, o->silent)) {
            sh_buf_free(&piece);
            return too_big(sh, o, arg + 1);
        }
        if (id == O_DATA) { /* -d @file drops carriage returns and newlines */
            for (size_t i = 0; i < file.len; i++)
                if (file.data[i] != '\r' && file.data[i] != '\n')
                    sh_buf_addc(&piece, file.data[i]);
        } else {
            sh_buf_add(&piece, file.data ? file.data : "", file.len);
        }
        sh_buf_free(&file);
    } else {
        sh_buf_adds(&piece, arg);
    }
    /* --json pieces are joined as they are; the form kinds with '&'. */
    if (o->has_data && id != O_JSON)
        sh_buf_addc(&o->data, '&');
    sh_buf_add(&o->data, piece.data ? piece.data : "", piece.len);
    sh_buf_free(&piece);
    o->has_data = true;
    if (id == O_JSON)
        o->json = true;
    return 0;
}

/* ---- options ------------------------------------------------------------- */

static bool parse_seconds(const char *s, int64_t *ms)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v != v || v > 1e9)
        return false;
    if (v < 0)
        return *ms = -1, true;
    *ms = (int64_t)(v * 1000);
    if ((double)*ms < v * 1000)
        ++*ms; /* rounded up, so 0.0001 is not "no limit" */
    return true;
}

static bool parse_count(const char *s, int64_t *v)
{
    return sh_parse_int(s, v) && *v >= -1 && *v <= INT32_MAX;
}

/* Applies one option; 0 to go on, else the exit status (after its
 * message). spelled is the option as written, for messages. */
static int apply(shctx *sh, curlopts *o, const curl_opt *c, const char *arg, const char *spelled,
                 bool negated)
{
    int64_t n;
    switch (c->id) {
    case O_SILENT: o->silent = !negated; break;
    case O_SHOW_ERROR: o->show_error = !negated; break;
    case O_FAIL: o->fail = !negated; break;
    case O_FAIL_BODY: o->fail = o->fail_body = !negated; break;
    case O_LOCATION: o->location = !negated; break;
    case O_GET: o->get = !negated; break;
    case O_INCLUDE: o->include = !negated; break;
    case O_HEAD: o->head = !negated; break;
    case O_VERBOSE: o->verbose = !negated; break;
    case O_COMPRESSED: o->compressed = !negated; break;
    case O_CREATE_DIRS: o->create_dirs = !negated; break;
    case O_INSECURE:
        if (!negated)
            sh_puts(sh_stderr(sh), "curl: warning: -k/--insecure is not available in the sandbox: "
                                   "certificates are always verified\n");
        break;
    case O_MAX_REDIRS:
        if (!parse_count(arg, &n))
            return usage_error(sh, "option %s: expected a proper numerical parameter", spelled);
        o->max_redirs = (int)n;
        break;
    case O_MAX_TIME:
    case O_CONNECT_TIMEOUT: {
        int64_t ms;
        if (!parse_seconds(arg, &ms))
            return usage_error(sh, "option %s: expected a proper numerical parameter", spelled);
        if (ms < 0)
            return usage_error(sh, "option %s: expected a positive numerical parameter", spelled);
        if (c->id == O_MAX_TIME)
            o->timeout_ms = ms;
        break; /* --connect-timeout: the run's policy sets that limit (README.md) */
    }
    case O_RETRY:
        if (!parse_count(arg, &n) || n < 0)
            return usage_error(sh, "option %s: expected a proper numerical parameter", spelled);
        o->retries = n > 100 ? 100 : (int)n;
        break;
    case O_IGNORED_ARG:
    case O_IGNORED:
        break;
    case O_OUTPUT:
        o->outputs = sh_realloc(o->outputs, (o->noutputs + 1) * sizeof *o->outputs);
        o->outputs[o->noutputs++] = (curl_output){sh_strdup(arg), false};
        break;
    case O_REMOTE_NAME:
        o->outputs = sh_realloc(o->outputs, (o->noutputs + 1) * sizeof *o->outputs);
        o->outputs[o->noutputs++] = (curl_output){NULL, true};
        break;
    case O_REQUEST: o->method = arg; break;
    case O_HEADER:
        if (arg[0] == '@') { /* one header a line, from a file or stdin */
            sh_buf file = {0};
            sh_stream *in = strcmp(arg + 1, "-") == 0 ? sh_stdin(sh) : sh_open(sh, arg + 1, O_RDONLY);
            if (!in || !sh_read_all(in, &file, (size_t)1 << 20)) {
                sh_printf(sh_stderr(sh), "Warning: Failed to open %s!\n", arg + 1);
            } else {
                for (char *line = file.data; line && *line;) {
                    char *nl = strchr(line, '\n');
                    size_t n = nl ? (size_t)(nl - line) : strlen(line);
                    if (n && line[n - 1] == '\r')
                        n--;
                    if (n)
                        push_str(&o->headers, &o->nheaders, sh_strndup(line, n));
                    line = nl ? nl + 1 : NULL;
                }
            }
            if (in && in != sh_stdin(sh))
                sh_close(in);
            sh_buf_free(&file);
        } else {
            push_str(&o->headers, &o->nheaders, sh_strdup(arg));
        }
        break;
    case O_DATA:
    case O_DATA_RAW:
    case O_DATA_BINARY:
    case O_DATA_URLENCODE:
    case O_JSON: return add_data(sh, o, c->id, arg);
    case O_DUMP_HEADER: o->dump_header = arg; break;
    case O_WRITE_OUT: o->write_out = arg; break;
    case O_USER: o->user = arg; break;
    case O_USER_AGENT: o->user_agent = arg; break;
    case O_REFERER: o->referer = arg; break;
    case O_COOKIE: o->cookie = arg; break;
    case O_UPLOAD: o->upload = arg; break;
    case O_URL: push_str(&o->urls, &o->nurls, sh_strdup(arg)); break;
    case O_UNSUPPORTED:
        return usage_error(sh, "option %s: is not available in the sandbox's curl", spelled);
    }
    return 0;
}

static const curl_opt *find_long(const char *name, size_t len, bool *ambiguous)
{
    const curl_opt *hit = NULL;
    *ambiguous = false;
    for (const curl_opt *c = options; c->name; c++) {
        if (strncmp(c->name, name, len) != 0)
            continue;
        if (c->name[len] == 0)
            return c; /* exact */
        if (hit)
            *ambiguous = true;
        hit = c;
    }
    return *ambiguous ? NULL : hit;
}

/* 0 after the options were read, -1 for --help/--version (printed), else
 * the exit status. */
static int parse_args(shctx *sh, curlopts *o, int argc, char **argv)
{
    bool ended = false;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (ended || a[0] != '-' || a[1] == 0) {
            push_str(&o->urls, &o->nurls, sh_strdup(a));
            continue;
        }
        if (a[1] == '-') {
            if (a[2] == 0) {
                ended = true;
                continue;
            }
            const char *name = a + 2;
            bool negated = false, amb;
            const curl_opt *c = find_long(name, strlen(name), &amb);
            if (!c && !amb && strncmp(name, "no-", 3) == 0) {
                c = find_long(name + 3, strlen(name + 3), &amb);
                if (c && c->arg)
                    c = NULL;
                negated = c != NULL;
            }
            if (amb)
                return usage_error(sh, "option %s: is ambiguous", a);
            if (!c)
                return usage_error(sh, "option %s: is unknown", a);
            const char *arg = NULL;
            if (c->arg) {
                if (i + 1 >= argc)
                    return usage_error(sh, "option %s: requires parameter", a);
                arg = argv[++i];
            }
            if (c->id == O_HELP || c->id == O_VERSION)
                return c->id == O_HELP ? -1 : -2;
            int r = apply(sh, o, c, arg, a, negated);
            if (r)
                return r;
            continue;
        }
        for (size_t k = 1; a[k]; k++) {
            const curl_opt *c = options;
            while (c->name && c->letter != a[k])
                c++;
            const char *spelled = a; /* curl names the whole word: "-sSo" */
            if (!c->name)
                return usage_error(sh, "option %s: is unknown", spelled);
            if (c->id == O_HELP || c->id == O_VERSION)
                return c->id == O_HELP ? -1 : -2;
            const char *arg = NULL;
            if (c->arg) {
                if (a[k + 1]) {
                    arg = a + k + 1;
                } else if (i + 1 < argc) {
                    arg = argv[++i];
                } else {
                    return usage_error(sh, "option %s: requires parameter", spelled);
                }
            }
            int r = apply(sh, o, c, arg, spelled, false);
            if (r)
                return r;
            if (arg)
                break;
        }
    }
    return 0;
}

static void free_opts(curlopts *o)
{
    sh_buf_free(&o->data);
    for (size_t i = 0; i < o->nheaders; i++)
        free(o->headers[i]);
    free(o->headers);
    for (size_t i = 0; i < o->nurls; i++)
        free(o->urls[i]);
    free(o->urls);
    for (size_t i = 0; i < o->noutputs; i++)
        free(o->outputs[i].name);
    free(o->outputs);
}

/* ---- URLs ------------------------------------------------------------------ */

/* The URL as curl would request it: "http://" added when there is no
 * scheme, user:password@ taken out (into *userinfo: curl sends it as basic
 * auth), -G's data added to the query. */
static char *request_url(const char *given, const curlopts *o, char **userinfo)
{
    sh_buf b = {0};
    const char *sep = strstr(given, "://");
    if (!sep || strcspn(given, "/?#") < (size_t)(sep - given))
        sh_buf_adds(&b, "http://"), sep = NULL;
    const char *auth = sep ? sep + 3 : given;
    sh_buf_add(&b, given, (size_t)(auth - given));
    size_t alen = strcspn(auth, "/?#");
    const char *at = NULL;
    for (const char *q = auth; q < auth + alen; q++)
        if (*q == '@')
            at = q;
    *userinfo = NULL;
    if (at) {
        *userinfo = sh_strndup(auth, (size_t)(at - auth));
        auth = at + 1;
    }
    const char *hash = strchr(auth, '#');
    sh_buf_add(&b, auth, hash ? (size_t)(hash - auth) : strlen(auth));
    if (o->get && o->has_data) {
        sh_buf_addc(&b, strchr(b.data + (size_t)(auth - given), '?') ? '&' : '?');
        sh_buf_add(&b, o->data.data, o->data.len);
    }
    return sh_buf_take(&b);
}

/* The last path segment, for -O ("" when there is none). */
static char *remote_name(const char *url)
{
    curl_url u;
    curl_url_split(url, &u);
    size_t plen = strcspn(u.path.data, "?");
    const char *end = u.path.data + plen, *s = end;
    while (s > u.path.data && s[-1] != '/')
        s--;
    char *r = sh_strndup(s, (size_t)(end - s));
    curl_url_free(&u);
    return r;
}

/* ---- request headers ---------------------------------------------------- */

static void base64(sh_buf *out, const unsigned char *p, size_t n)
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        sh_buf_addc(out, al[v >> 18 & 63]);
        sh_buf_addc(out, al[v >> 12 & 63]);
        sh_buf_addc(out, i + 1 < n ? al[v >> 6 & 63] : '=');
        sh_buf_addc(out, i + 2 < n ? al[v & 63] : '=');
    }
}

/* Is header line h (as -H gives it) about name? */
static bool header_is(const char *h, const char *name)
{
    size_t n = strlen(name);
    return strncasecmp(h, name, n) == 0 && (h[n] == ':' || h[n] == ';');
}

static bool user_sets(const curlopts *o, const char *name)
{
    for (size_t i = 0; i < o->nheaders; i++)
        if (header_is(o->headers[i], name))
            return true;
    return false;
}

/* Headers the host sets itself from the URL and the body, and refuses
 * from a guest. */
static bool host_owned(const char *h)
{
    return header_is(h, "Host") || header_is(h, "Content-Length") ||
           header_is(h, "Transfer-Encoding") || header_is(h, "Connection");
}

static void add_default(sh_buf *b, const curlopts *o, const char *name, const char *value)
{
    if (!user_sets(o, name))
        sh_buf_printf(b, "%s: %s\r\n", name, value);
}

/* The request's header lines: curl's defaults, then -H's (which replace a
 * default of the same name; "Name:" removes it, "Name;" sends it empty). */
static void build_headers(shctx *sh, const curlopts *o, const char *userinfo, bool body, sh_buf *b)
{
    const char *user = o->user ? o->user : userinfo;
    if (user && !user_sets(o, "Authorization")) {
        sh_buf cred = {0};
        sh_buf_adds(&cred, user);
        if (!strchr(user, ':'))
            sh_buf_addc(&cred, ':'); /* no terminal to ask for a password */
        sh_buf_adds(b, "Authorization: Basic ");
        base64(b, (const unsigned char *)cred.data, cred.len);
        sh_buf_adds(b, "\r\n");
        sh_buf_free(&cred);
    }
    add_default(b, o, "User-Agent", o->user_agent ? o->user_agent : "curl/7.88.1");
    if (o->json)
        add_default(b, o, "Accept", "application/json");
    else
        add_default(b, o, "Accept", "*/*");
    if (o->referer) {
        size_t n = strcspn(o->referer, ";");
        if (!user_sets(o, "Referer"))
            sh_buf_printf(b, "Referer: %.*s\r\n", (int)n, o->referer);
    }
    if (o->cookie && !user_sets(o, "Cookie"))
        sh_buf_printf(b, "Cookie: %s\r\n", o->cookie);
    if (o->compressed)
        add_default(b, o, "Accept-Encoding", "deflate, gzip");
    if (body && o->has_data && !o->upload)
        add_default(b, o, "Content-Type",
                    o->json ? "application/json" : "application/x-www-form-urlencoded");
    for (size_t i = 0; i < o->nheaders; i++) {
        const char *h = o->headers[i];
        size_t name = strcspn(h, ":;");
        if (!h[name] || name == 0)
            continue; /* curl ignores a header without ':' */
        if (host_owned(h)) {
            if (!o->silent || o->show_error)
                sh_printf(sh_stderr(sh), "curl: warning: the %.*s header is set by the sandbox; "
                                         "'%s' was not sent\n", (int)name, h, h);
            continue;
        }
        const char *v = h + name + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        if (h[name] == ':' && !*v)
            continue; /* "Name:" takes the default away */
        if (h[name] == ';' && *v)
            continue; /* "Name;value" is not a header */
        sh_buf_add(b, h, name);
        sh_buf_adds(b, ": ");
        sh_buf_adds(b, v);
        sh_buf_adds(b, "\r\n");
    }
}

/* ---- the response --------------------------------------------------------- */

static bool write_head(sh_stream *s, const curl_transfer *t)
{
    return sh_printf(s, "HTTP/1.1 %d %s\r\n", t->status, curl_reason(t->status)) &&
           sh_write(s, t->headers.data ? t->headers.data : "", t->headers.len) &&
           sh_write(s, "\r\n", 2);
}

/* Where the body goes, opened when the first byte of it (or the head, for
 * -i) is there, as curl creates an -o file only then. */
typedef struct {
    shctx *sh;
    const curlopts *o;
    curl_transfer *t;
    const char *name; /* NULL: stdout */
    sh_stream *out;
    bool failed;      /* could not open or write: curl's 23 */
} sink;

/* --create-dirs: the missing directories on the way to path. */
static void make_parents(const char *path)
{
    char *p = sh_strdup(path);
    for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = 0;
        mkdir(p, 0777); /* failures show when the file is opened */
        *s = '/';
    }
    free(p);
}

static bool sink_open(sink *k)
{
    if (k->out || k->failed)
        return !k->failed;
    if (!k->name || strcmp(k->name, "-") == 0) {
        k->out = sh_stdout(k->sh);
        return true;
    }
    if (k->o->create_dirs)
        make_parents(k->name);
    k->out = sh_open(k->sh, k->name, O_WRONLY | O_CREAT | O_TRUNC);
    if (!k->out) {
        if (!k->o->silent)
            sh_printf(sh_stderr(k->sh), "Warning: Failed to open the file %s: %s\n", k->name,
                      sh_strerror(errno));
        k->failed = true;
        k->t->code = 23;
        sh_buf_adds(&k->t->errmsg, "Failure writing output to destination");
    }
    return !k->failed;
}

static bool sink_write(void *ctx, const void *p, size_t n)
{
    sink *k = ctx;
    if (!sink_open(k))
        return false;
    if (!sh_write(k->out, p, n)) {
        if (!k->failed && errno != EPIPE) {
            k->t->code = 23;
            sh_buf_adds(&k->t->errmsg, "Failure writing output to destination");
        }
        k->failed = true;
        return false;
    }
    return true;
}

static void sink_close(sink *k)
{
    if (k->out && k->out != sh_stdout(k->sh) && !sh_close(k->out) && !k->failed) {
        k->t->code = 23;
        sh_buf_adds(&k->t->errmsg, "Failure writing output to destination");
    }
    k->out = NULL;
}

/* Pulls the body from the host (for the inflater and the plain copy). */
typedef struct {
    uint32_t h;
    curl_transfer *t;
    shctx *sh;
    int err; /* the host's errno, when a read failed */
} body_src;

static ssize_t body_read(void *ctx, void *buf, size_t n)
{
    body_src *b = ctx;
    size_t got = 0;
    if (sh_interrupted(b->sh))
        return 0;
    int e = sh_http_read(b->h, buf, n, &got);
    if (e) {
        b->err = e;
        return -1;
    }
    b->t->body_bytes += got;
    return (ssize_t)got;
}

/* Copies (or, with --compressed and a gzip/deflate Content-Encoding,
 * inflates) the body into k. */
static void copy_body(body_src *src, sink *k, const curlopts *o, const struct timespec *t0)
{
    curl_transfer *t = k->t;
    size_t elen = 0;
    const char *enc = curl_header_value(t->headers.data, "Content-Encoding", &elen);
    int format = -1;
    if (o->compressed && enc) {
        if ((elen == 4 && strncasecmp(enc, "gzip", 4) == 0) ||
            (elen == 6 && strncasecmp(enc, "x-gzip", 6) == 0))
            format = SH_FLATE_GZIP;
        else if (elen == 7 && strncasecmp(enc, "deflate", 7) == 0)
            format = SH_FLATE_ZLIB;
    }
    if (format >= 0) {
        sh_buf why = {0};
        sh_flate_io io = {body_read, src, sink_write, k};
        int r = sh_inflate(format, &io, &why);
        if (r == SH_FLATE_BAD_DATA && !t->code) {
            t->code = 61;
            sh_buf_printf(&t->errmsg, "Error while processing content unencoding: %s", why.data);
        }
        sh_buf_free(&why);
    } else {
        char *buf = sh_malloc(64 << 10);
        for (;;) {
            ssize_t n = body_read(src, buf, 64 << 10);
            if (n <= 0 || !sink_write(k, buf, (size_t)n))
                break;
        }
        free(buf);
    }
    if (src->err && !t->code)
        curl_failure(t, src->err, true, t0);
}

/* ---- one transfer --------------------------------------------------------- */

/* Is this outcome worth another try with --retry (curl's transient
 * errors: time-outs, refused connections, 408, 429, 5xx but 501)? */
static bool transient(const curl_transfer *t)
{
    if (t->code == 28 || (t->code == 7 && !strstr(t->errmsg.data ? t->errmsg.data : "", "policy")))
        return true;
    int s = t->status;
    return t->code == 0 && (s == 408 || s == 429 || s == 500 || s == 502 || s == 503 || s == 504);
}

static void transfer_reset(curl_transfer *t)
{
    t->status = 0;
    t->effective.len = 0;
    t->headers.len = 0;
    t->errmsg.len = 0;
    t->body_bytes = t->header_bytes = t->upload_bytes = 0;
    t->code = 0;
}

/* Does the transfer of t->url, writing the body where output says. */
static void do_transfer(shctx *sh, const curlopts *o, curl_transfer *t, const char *userinfo,
                        const curl_output *output, const sh_buf *upload)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const void *body = NULL;
    size_t body_len = 0;
    if (upload) {
        body = upload->data ? upload->data : "";
        body_len = upload->len;
    } else if (o->has_data && !o->get) {
        body = o->data.data ? o->data.data : "";
        body_len = o->data.len;
    }
    sh_buf headers = {0};
    build_headers(sh, o, userinfo, body != NULL, &headers);
    if (o->verbose)
        curl_verbose_request(sh, t->method, t->url, &headers, body_len, body != NULL);

    /* -L: the host follows redirects, at most --max-redirs (curl's -1,
     * unlimited, is the run's limit); without -L it hands back the 3xx. */
    int redirs = o->location ? (o->max_redirs < 0 ? -1 : o->max_redirs) : 0;
    int64_t ms = o->timeout_ms > INT32_MAX ? INT32_MAX : o->timeout_ms;
    uint32_t h = 0;
    int e = sh_http_set_limits(redirs, (int)ms);
    if (!e)
        e = sh_http_request(t->method, t->url, headers.data, body, body_len, &h);
    sh_buf_free(&headers);
    if (e) {
        curl_failure(t, e, false, &t0);
        goto done;
    }
    t->upload_bytes = body_len;
    t->status = sh_http_status(h);
    e = sh_http_headers(h, &t->headers);
    if (!e)
        e = sh_http_url(h, &t->effective);
    if (e) {
        curl_failure(t, e, false, &t0);
        sh_http_close(h);
        goto done;
    }
    t->header_bytes = (uint64_t)snprintf(NULL, 0, "HTTP/1.1 %d %s\r\n", t->status,
                                         curl_reason(t->status)) + t->headers.len + 2;
    if (o->verbose)
        curl_verbose_response(sh, t);

    bool failing = o->fail && t->status >= 400;
    sink k = {sh, o, t, output ? output->name : NULL, NULL, false};
    if (failing && !o->fail_body) {
        sh_http_close(h);
        t->code = 22;
        sh_buf_printf(&t->errmsg, "The requested URL returned error: %d", t->status);
        goto done;
    }
    if (o->dump_header) {
        sh_stream *d = strcmp(o->dump_header, "-") == 0
                           ? sh_stdout(sh)
                           : sh_open(sh, o->dump_header, O_WRONLY | O_CREAT | O_TRUNC);
        if (d) {
            write_head(d, t);
            if (d != sh_stdout(sh))
                sh_close(d);
        } else if (!o->silent) {
            sh_printf(sh_stderr(sh), "Warning: Failed to open %s\n", o->dump_header);
        }
    }
    if ((o->include || o->head) && sink_open(&k) && !write_head(k.out, t))
        k.failed = true;
    body_src src = {h, t, sh, 0};
    if (!k.failed)
        copy_body(&src, &k, o, &t0);
    if (!k.failed && !k.out && !o->head)
        sink_open(&k); /* an empty body still makes the -o file */
    sink_close(&k);
    sh_http_close(h);
    if (failing && !t->code) {
        t->code = 22;
        sh_buf_printf(&t->errmsg, "The requested URL returned error: %d", t->status);
    }
done:;
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    t->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

static const char usage_text[] =
    "Usage: curl [options...] <url>\n"
    " -d, --data <data>          HTTP POST data\n"
    "     --data-binary <data>   HTTP POST binary data\n"
    "     --data-raw <data>      HTTP POST data, '@' allowed\n"
    "     --data-urlencode <data> HTTP POST data URL encoded\n"
    " -D, --dump-header <filename> Write the received headers to <filename>\n"
    " -f, --fail                 Fail fast with no output on HTTP errors\n"
    "     --fail-with-body       Fail on HTTP errors but save the body\n"
    " -G, --get                  Put the post data in the URL and use GET\n"
    " -H, --header <header/@file> Pass custom header(s) to server\n"
    " -h, --help                 Get help for commands\n"
    " -i, --include              Include protocol response headers in the output\n"
    " -I, --head                 Show document info only\n"
    "     --json <data>          HTTP POST JSON\n"
    " -L, --location             Follow redirects\n"
    "     --max-redirs <num>     Maximum number of redirects allowed\n"
    " -m, --max-time <fractional seconds> Maximum time allowed for transfer\n"
    " -o, --output <file>        Write to file instead of stdout\n"
    " -O, --remote-name          Write output to a file named as the remote file\n"
    " -X, --request <method>     Specify request method to use\n"
    " -s, --silent               Silent mode\n"
    " -S, --show-error           Show error even when -s is used\n"
    " -T, --upload-file <file>   Transfer local FILE to destination\n"
    " -u, --user <user:password> Server user and password\n"
    " -A, --user-agent <name>    Send User-Agent <name> to server\n"
    " -e, --referer <URL>        Referrer URL\n"
    " -b, --cookie <data>        Send cookies from string\n"
    " -v, --verbose              Make the operation more talkative\n"
    " -w, --write-out <format>   Use output FORMAT after completion\n"
    "     --compressed           Request compressed response\n"
    "     --retry <num>          Retry request if transient problems occur\n"
    " -V, --version              Show version number and quit\n"
    "\n"
    "In the sandbox: HTTP and HTTPS only, through the host's policy-checked client\n"
    "(only the hosts the run allows; the host follows redirects for -L).\n";

int util_curl(shctx *sh, int argc, char **argv)
{
    curlopts o = {0};
    o.max_redirs = -1;
    int status = parse_args(sh, &o, argc, argv);
    if (status == -1) {
        sh_puts(sh_stdout(sh), usage_text);
        status = 0;
    } else if (status == -2) {
        sh_puts(sh_stdout(sh), "curl 7.88.1 (wasm32-wasi) wasmbox_http\n"
                               "Protocols: http https\n"
                               "Features: libz\n");
        status = 0;
    } else if (status == 0 && o.nurls == 0) {
        if (argc > 1) /* a bare "curl" gets the "try" line only */
            sh_puts(sh_stderr(sh), "curl: no URL specified!\n");
        sh_puts(sh_stderr(sh), try_line);
        status = 2;
    } else if (status == 0) {
        for (size_t i = 0; i < o.nurls && !sh_interrupted(sh); i++) {
            char *userinfo = NULL;
            char *url = request_url(o.urls[i], &o, &userinfo);
            curl_transfer t = {0};
            t.url = url;
            curl_url u;
            curl_url_split(url, &u);
            t.method = o.method ? o.method
                       : o.head ? "HEAD"
                       : o.upload ? "PUT"
                       : (o.has_data && !o.get) ? "POST" : "GET";
            curl_output out = {NULL, false};
            char *remote = NULL;
            if (i < o.noutputs)
                out = o.outputs[i];
            sh_buf upload = {0};
            bool have_upload = false, quiet_failure = false;
            if (strcmp(u.scheme.data, "http") != 0 && strcmp(u.scheme.data, "https") != 0) {
                t.code = 1;
                sh_buf_printf(&t.errmsg, "Protocol \"%s\" not supported or disabled in libcurl",
                              u.scheme.data);
            } else if (out.remote) {
                remote = remote_name(url);
                if (!*remote) {
                    t.code = 23;
                    sh_buf_adds(&t.errmsg, "Failed writing received data to disk/application");
                }
                out.name = remote;
            }
            if (!t.code && o.upload) {
                sh_stream *in = strcmp(o.upload, "-") == 0 ? sh_stdin(sh)
                                                           : sh_open(sh, o.upload, O_RDONLY);
                if (!in) {
                    sh_printf(sh_stderr(sh), "curl: Can't open '%s'!\n", o.upload);
                    sh_puts(sh_stderr(sh), try_line);
                    if (!o.silent || o.show_error)
                        sh_puts(sh_stderr(sh), "curl: (26) Failed to open/read local data from "
                                               "file/application\n");
                    t.code = 26;
                    t.errmsg.len = 0;
                    quiet_failure = true; /* said already, in curl's words */
                } else if (!sh_read_all(in, &upload, (size_t)16 << 20 | 1)) {
                    t.code = 26;
                    sh_buf_printf(&t.errmsg, "Failed to open/read local data from file/"
                                  "application");
                } else {
                    have_upload = true;
                }
                if (in && in != sh_stdin(sh))
                    sh_close(in);
                /* A URL ending in '/' gets the file's name, as curl does. */
                if (have_upload && u.path.len && u.path.data[u.path.len - 1] == '/' &&
                    strcmp(o.upload, "-") != 0) {
                    const char *base = strrchr(o.upload, '/');
                    sh_buf nu = {0};
                    sh_buf_adds(&nu, url);
                    sh_buf_adds(&nu, base ? base + 1 : o.upload);
                    free(url);
                    t.url = url = sh_buf_take(&nu);
                }
            }
            t.filename = out.name;
            if (!t.code) {
                for (int attempt = 0;; attempt++) {
                    do_transfer(sh, &o, &t, userinfo, &out, have_upload ? &upload : NULL);
                    if (attempt >= o.retries || !transient(&t) || sh_interrupted(sh))
                        break;
                    if (!o.silent)
                        sh_printf(sh_stderr(sh), "Warning: Problem (retrying all errors). Will "
                                  "retry at once. %d retries left.\n", o.retries - attempt - 1);
                    transfer_reset(&t);
                }
            }
            if (t.code && !quiet_failure && (!o.silent || o.show_error))
                sh_printf(sh_stderr(sh), "curl: (%d) %s\n", t.code, t.errmsg.data);
            if (o.write_out && !quiet_failure)
                curl_write_out(sh, o.write_out, &t);
            status = t.code;
            free(remote);
            free(userinfo);
            free(url);
            curl_url_free(&u);
            sh_buf_free(&upload);
            sh_buf_free(&t.effective);
            sh_buf_free(&t.headers);
            sh_buf_free(&t.errmsg);
        }
    }
    free_opts(&o);
    return status;
}
