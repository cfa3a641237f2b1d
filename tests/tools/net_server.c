/* net_server: a small HTTP/HTTPS server for the net/ end-to-end tests.
 *
 * It listens on loopback addresses only (127.0.0.0/8 or ::1, refused
 * otherwise), serves a few fixed routes, and appends one line per request it
 * receives to a log, so a test can prove that a refused hop never reached it:
 *     LOCAL_ADDR METHOD TARGET host=HOST auth=AUTH body=N sni=NAME
 *
 * Usage: net_server --port-file F --log F [--listen ADDR]... [--cert C --key K] [--docroot DIR]
 * All listeners share one port (the first bind picks it); it is written to
 * the port file once every socket listens.
 *
 * Routes:
 *   /hello                   200, "hello\n" (Content-Length)
 *   /echo                    200, "method=M\nbody=B\n"
 *   /chunked                 200, chunked body "chunk1-chunk2-end\n" + trailer
 *   /close                   200, body delimited by closing the connection
 *   /redirect?code=N&to=URL  N with Location: URL
 *   /big?n=N                 Content-Length N of 'x'
 *   /bigchunked?n=N          N bytes of 'x', chunked
 *   /bighead?n=N             a header N bytes long
 *   /stall                   headers and 10 of 100 body bytes, then silence
 *   /stallhead               silence
 *   /smuggle                 both Content-Length and Transfer-Encoding (malformed)
 *   /badstatus               a status line that is not HTTP
 *   /doc/NAME[?repeat=N][&close=1]
 *                            with --docroot DIR: the file DIR/NAME as the body
 *                            (N times over; with close=1 delimited by closing
 *                            the connection, else with a Content-Length),
 *                            after the header lines in DIR/NAME.headers if
 *                            that exists (one a line); NAME is letters,
 *                            digits, '.', '_', '-'
 *
 * --udp-sink ADDR instead binds UDP ADDR:53 and swallows every datagram: a
 * DNS server that never answers, for the lookup time limit test.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static SSL_CTX *tls_ctx;
static const char *docroot;
static FILE *log_file;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct conn {
    int fd;
    SSL *ssl;
    char local[64];
} conn;

static int conn_write(conn *c, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w;
        if (c->ssl) {
            size_t done = 0;
            w = SSL_write_ex(c->ssl, p, n, &done) == 1 ? (ssize_t)done : -1;
        } else {
            w = send(c->fd, p, n, MSG_NOSIGNAL);
        }
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static ssize_t conn_read(conn *c, void *buf, size_t n)
{
    if (c->ssl) {
        size_t got = 0;
        return SSL_read_ex(c->ssl, buf, n, &got) == 1 ? (ssize_t)got : 0;
    }
    return recv(c->fd, buf, n, 0);
}

static int say(conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int say(conn *c, const char *fmt, ...)
{
    char buf[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof buf)
        return -1;
    return conn_write(c, buf, (size_t)n);
}

/* Waits until the client goes away (or 60 s pass): the stall routes. */
static void wait_for_hangup(conn *c)
{
    struct pollfd p = {.fd = c->fd, .events = POLLIN};
    char tmp[256];
    for (int i = 0; i < 600; i++) {
        if (poll(&p, 1, 100) > 0) {
            if (recv(c->fd, tmp, sizeof tmp, MSG_DONTWAIT) <= 0)
                return;
        }
    }
}

static long query_num(const char *target, const char *key)
{
    const char *q = strchr(target, '?');
    size_t kl = strlen(key);
    for (const char *p = q; p; p = strchr(p + 1, '&'))
        if (strncmp(p + 1, key, kl) == 0 && p[1 + kl] == '=')
            return strtol(p + 2 + kl, NULL, 10);
    return -1;
}

/* The value of key in the query, up to '&' (or the end). */
static void query_str(const char *target, const char *key, char *out, size_t n)
{
    out[0] = '\0';
    const char *q = strchr(target, '?');
    size_t kl = strlen(key);
    for (const char *p = q; p; p = strchr(p + 1, '&')) {
        if (strncmp(p + 1, key, kl) == 0 && p[1 + kl] == '=') {
            const char *v = p + 2 + kl;
            size_t len = strcspn(v, "&");
            if (len >= n)
                len = n - 1;
            memcpy(out, v, len);
            out[len] = '\0';
            return;
        }
    }
}

static void send_x(conn *c, long n, bool chunked)
{
    char block[4096];
    memset(block, 'x', sizeof block);
    while (n > 0) {
        size_t k = n > (long)sizeof block ? sizeof block : (size_t)n;
        if (chunked && say(c, "%zx\r\n", k) != 0)
            return;
        if (conn_write(c, block, k) != 0)
            return;
        if (chunked && conn_write(c, "\r\n", 2) != 0)
            return;
        n -= (long)k;
    }
    if (chunked)
        conn_write(c, "0\r\n\r\n", 5);
}

/* The whole file DIR/name (malloc'd, *n bytes), or NULL. */
static char *slurp(const char *name, const char *suffix, size_t *n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%s", docroot, name, suffix);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *data = NULL;
    size_t cap = 0;
    *n = 0;
    for (;;) {
        if (*n == cap) {
            char *p = realloc(data, cap = cap ? cap * 2 : 65536);
            if (!p)
                break;
            data = p;
        }
        size_t k = fread(data + *n, 1, cap - *n, f);
        if (k == 0)
            break;
        *n += k;
    }
    fclose(f);
    return data;
}

/* /doc/NAME: a file of the docroot, its own header lines before it. */
static void serve_doc(conn *c, const char *name, size_t len, const char *target)
{
    char file[256];
    bool ok = docroot && len > 0 && len < sizeof file && name[0] != '.';
    for (size_t i = 0; ok && i < len; i++)
        ok = (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
             (name[i] >= '0' && name[i] <= '9') || strchr("._-", name[i]);
    size_t n = 0, hn = 0;
    char *body = NULL, *head = NULL;
    if (ok) {
        memcpy(file, name, len);
        file[len] = 0;
        body = slurp(file, "", &n);
    }
    if (!body) {
        say(c, "HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\n\r\nnot found\n");
        return;
    }
    head = slurp(file, ".headers", &hn);
    long repeat = query_num(target, "repeat");
    if (repeat < 1)
        repeat = 1;
    int head_ok = query_num(target, "close") == 1
                      ? say(c, "HTTP/1.1 200 OK\r\nConnection: close\r\n")
                      : say(c, "HTTP/1.1 200 OK\r\nContent-Length: %ld\r\n", (long)n * repeat);
    if (head_ok == 0) {
        for (size_t i = 0; i < hn;) { /* each line of the .headers file, CRLF-terminated */
            size_t e = i;
            while (e < hn && head[e] != '\n')
                e++;
            if (e > i)
                conn_write(c, head + i, e - i), conn_write(c, "\r\n", 2);
            i = e + 1;
        }
        if (conn_write(c, "\r\n", 2) == 0)
            for (long k = 0; k < repeat && conn_write(c, body, n) == 0; k++)
                ;
    }
    free(head);
    free(body);
}

static void route(conn *c, const char *method, const char *target, const char *body,
                  size_t body_len)
{
    const char *path_end = target + strcspn(target, "?");
    size_t plen = (size_t)(path_end - target);
#define IS(p) (plen == strlen(p) && strncmp(target, p, plen) == 0)
    if (IS("/hello")) {
        say(c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nhello\n");
    } else if (IS("/echo")) {
        char out[8192];
        int n = snprintf(out, sizeof out, "method=%s\nbody=%.*s\n", method, (int)body_len, body);
        say(c, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", n, out);
    } else if (IS("/chunked")) {
        say(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
               "7\r\nchunk1-\r\n7;ext=1\r\nchunk2-\r\n4\r\nend\n\r\n0\r\nX-Trailer: t\r\n\r\n");
    } else if (IS("/close")) {
        say(c, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nclosed-body\n");
    } else if (IS("/redirect")) {
        char to[2048];
        query_str(target, "to", to, sizeof to);
        long code = query_num(target, "code");
        say(c, "HTTP/1.1 %ld Moved\r\nLocation: %s\r\nContent-Length: 6\r\n\r\nmoved\n",
            code > 0 ? code : 302, to);
    } else if (IS("/big") || IS("/bigchunked")) {
        long n = query_num(target, "n");
        bool chunked = IS("/bigchunked");
        if (chunked)
            say(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        else
            say(c, "HTTP/1.1 200 OK\r\nContent-Length: %ld\r\n\r\n", n);
        send_x(c, n, chunked);
    } else if (IS("/bighead")) {
        long n = query_num(target, "n");
        say(c, "HTTP/1.1 200 OK\r\nX-Big: ");
        send_x(c, n, false);
        say(c, "\r\nContent-Length: 2\r\n\r\nok");
    } else if (IS("/stall")) {
        say(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
        wait_for_hangup(c);
    } else if (IS("/smuggle")) {
        say(c, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
               "0\r\n\r\n");
    } else if (IS("/badstatus")) {
        say(c, "SSH-2.0-OpenSSH_9.2\r\n\r\n");
    } else if (plen > 5 && strncmp(target, "/doc/", 5) == 0) {
        serve_doc(c, target + 5, plen - 5, target);
    } else if (IS("/stallhead")) {
        wait_for_hangup(c);
    } else {
        say(c, "HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\n\r\nnot found\n");
    }
#undef IS
}

static void header_value(const char *head, const char *name, char *out, size_t n)
{
    out[0] = '\0';
    size_t nl = strlen(name);
    for (const char *p = strstr(head, "\r\n"); p; p = strstr(p + 2, "\r\n")) {
        if (strncasecmp(p + 2, name, nl) == 0 && p[2 + nl] == ':') {
            const char *v = p + 3 + nl;
            while (*v == ' ')
                v++;
            size_t len = strcspn(v, "\r");
            if (len >= n)
                len = n - 1;
            memcpy(out, v, len);
            out[len] = '\0';
            return;
        }
    }
}

static void *serve(void *arg)
{
    conn *c = arg;
    char *req = calloc(1, 65537);
    size_t have = 0;
    char *end = NULL;
    if (!req)
        goto out;
    if (tls_ctx) {
        c->ssl = SSL_new(tls_ctx);
        SSL_set_fd(c->ssl, c->fd);
        if (SSL_accept(c->ssl) != 1) {
            /* The client refused our certificate (or hung up): no request. */
            goto out;
        }
    }
    while (!(end = strstr(req, "\r\n\r\n")) && have < 65536) {
        ssize_t n = conn_read(c, req + have, 65536 - have);
        if (n <= 0)
            goto out;
        have += (size_t)n;
        req[have] = '\0';
    }
    if (!end)
        goto out;
    *end = '\0';
    char method[32] = "", target[4096] = "", host[256], auth[256], cl[32];
    sscanf(req, "%31s %4095s", method, target);
    header_value(req, "Host", host, sizeof host);
    header_value(req, "Authorization", auth, sizeof auth);
    header_value(req, "Content-Length", cl, sizeof cl);
    size_t body_len = cl[0] ? strtoul(cl, NULL, 10) : 0;
    if (body_len > 60000)
        body_len = 60000;
    char *body = end + 4;
    size_t body_have = have - (size_t)(body - req);
    while (body_have < body_len) {
        ssize_t n = conn_read(c, body + body_have, body_len - body_have);
        if (n <= 0)
            break;
        body_have += (size_t)n;
    }
    pthread_mutex_lock(&log_lock);
    const char *sni = c->ssl ? SSL_get_servername(c->ssl, TLSEXT_NAMETYPE_host_name) : NULL;
    fprintf(log_file, "%s %s %s host=%s auth=%s body=%zu sni=%s\n", c->local, method, target,
            host, auth[0] ? auth : "-", body_have, sni ? sni : "-");
    fflush(log_file);
    pthread_mutex_unlock(&log_lock);
    route(c, method, target, body, body_have < body_len ? body_have : body_len);
out:
    if (c->ssl) {
        SSL_shutdown(c->ssl);
        SSL_free(c->ssl);
    }
    close(c->fd);
    free(req);
    free(c);
    return NULL;
}

static bool loopback(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
    return ss->ss_family == AF_INET6 &&
           IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

static int udp_sink_main(const char *addr, const char *port_file)
{
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(53)};
    if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1 || (ntohl(sin.sin_addr.s_addr) >> 24) != 127) {
        fprintf(stderr, "net_server: --udp-sink wants a 127.x.x.x address\n");
        return 2;
    }
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0) {
        perror("net_server: udp sink");
        return 1;
    }
    FILE *pf = fopen(port_file, "w");
    if (!pf || fprintf(pf, "53\n") < 0 || fclose(pf) != 0)
        return 1;
    char buf[2048];
    for (;;)
        if (recv(fd, buf, sizeof buf, 0) < 0 && errno != EINTR)
            return 1;
}

int main(int argc, char **argv)
{
    const char *port_file = NULL, *log_path = NULL, *cert = NULL, *key = NULL;
    const char *addrs[8];
    int naddrs = 0;
    const char *udp_sink = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            fprintf(stderr, "net_server: %s needs a value\n", a);
            return 2;
        }
        if (!strcmp(a, "--port-file"))
            port_file = v;
        else if (!strcmp(a, "--log"))
            log_path = v;
        else if (!strcmp(a, "--cert"))
            cert = v;
        else if (!strcmp(a, "--key"))
            key = v;
        else if (!strcmp(a, "--docroot"))
            docroot = v;
        else if (!strcmp(a, "--udp-sink"))
            udp_sink = v;
        else if (!strcmp(a, "--listen") && naddrs < 8)
            addrs[naddrs++] = v;
        else {
            fprintf(stderr, "net_server: unknown argument %s\n", a);
            return 2;
        }
        i++;
    }
    if (!port_file || !log_path) {
        fprintf(stderr, "usage: net_server --port-file F --log F [--listen ADDR]... "
                        "[--cert C --key K]\n");
        return 2;
    }
    if (udp_sink)
        return udp_sink_main(udp_sink, port_file);
    if (naddrs == 0)
        addrs[naddrs++] = "127.0.0.1";
    signal(SIGPIPE, SIG_IGN);
    log_file = fopen(log_path, "a");
    if (!log_file) {
        perror(log_path);
        return 1;
    }
    if (cert) {
        tls_ctx = SSL_CTX_new(TLS_server_method());
        if (!tls_ctx || SSL_CTX_use_certificate_chain_file(tls_ctx, cert) != 1 ||
            SSL_CTX_use_PrivateKey_file(tls_ctx, key, SSL_FILETYPE_PEM) != 1) {
            ERR_print_errors_fp(stderr);
            return 1;
        }
    }
    struct pollfd lfd[8];
    int port = 0;
    for (int i = 0; i < naddrs; i++) {
        struct sockaddr_storage ss;
        memset(&ss, 0, sizeof ss);
        socklen_t len;
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
        if (inet_pton(AF_INET, addrs[i], &s4->sin_addr) == 1) {
            s4->sin_family = AF_INET;
            s4->sin_port = htons((uint16_t)port);
            len = sizeof *s4;
        } else if (inet_pton(AF_INET6, addrs[i], &s6->sin6_addr) == 1) {
            s6->sin6_family = AF_INET6;
            s6->sin6_port = htons((uint16_t)port);
            len = sizeof *s6;
        } else {
            fprintf(stderr, "net_server: bad address %s\n", addrs[i]);
            return 2;
        }
        if (!loopback(&ss)) {
            fprintf(stderr, "net_server: %s is not a loopback address\n", addrs[i]);
            return 2;
        }
        int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 64) != 0) {
            fprintf(stderr, "net_server: %s: %s\n", addrs[i], strerror(errno));
            return 1;
        }
        if (port == 0) {
            getsockname(fd, (struct sockaddr *)&ss, &len);
            port = ntohs(ss.ss_family == AF_INET ? s4->sin_port : s6->sin6_port);
        }
        lfd[i].fd = fd;
        lfd[i].events = POLLIN;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
    FILE *pf = fopen(tmp, "w");
    if (!pf || fprintf(pf, "%d\n", port) < 0 || fclose(pf) != 0 || rename(tmp, port_file) != 0) {
        perror(port_file);
        return 1;
    }
    for (;;) {
        if (poll(lfd, (nfds_t)naddrs, -1) < 0) {
            if (errno == EINTR)
                continue;
            return 1;
        }
        for (int i = 0; i < naddrs; i++) {
            if (!(lfd[i].revents & POLLIN))
                continue;
            int fd = accept4(lfd[i].fd, NULL, NULL, SOCK_CLOEXEC);
            if (fd < 0)
                continue;
            conn *c = calloc(1, sizeof *c);
            if (!c) {
                close(fd);
                continue;
            }
            c->fd = fd;
            /* A client that stops talking must not pin a thread forever. */
            struct timeval tv = {.tv_sec = 20};
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
            snprintf(c->local, sizeof c->local, "%s", addrs[i]);
            pthread_t t;
            if (pthread_create(&t, NULL, serve, c) != 0) {
                close(fd);
                free(c);
                continue;
            }
            pthread_detach(t);
        }
    }
}
