/* the URL parser (net/url.c)
 * Properties checked on every input (url.h):
 * - wb_url_parse never crashes, leaks or reads outside the bytes it is given
 *   (the input is copied to a buffer of exactly its size);
 * - an accepted URL's normalised form (wb_url_format) parses again to the
 *   same form, scheme, host, port and Host header: one canonical reading,
 *   so what the policy checked is what is requested;
 * - a block_urls entry spelled as that normalised form matches it (the
 *   decision in net/decide.c matches entries against this string). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/url.h"
#include "../../policy/policy.h"

#define FAIL(...) (fprintf(stderr, "fuzz_url: " __VA_ARGS__), fputc('\n', stderr), abort())

static char *formatted(const wb_url *u, size_t (*fmt)(const wb_url *, char *, size_t))
{
    size_t n = fmt(u, NULL, 0);
    char *s = malloc(n + 1);
    if (!s)
        abort();
    if (fmt(u, s, n + 1) != n || strlen(s) != n)
        FAIL("formatter wrote a length other than it announced");
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = malloc(size ? size : 1);
    if (!in)
        return 0;
    memcpy(in, data, size);
    char err[256];
    wb_url u;
    if (wb_url_parse(in, size, &u, err, sizeof err) != 0) {
        if (!err[0])
            FAIL("refused without a message");
        wb_url_free(&u);
        free(in);
        return 0;
    }
    char *norm = formatted(&u, wb_url_format);
    char *host = formatted(&u, wb_url_host_header);
    wb_url again;
    if (wb_url_parse(norm, strlen(norm), &again, err, sizeof err) != 0)
        FAIL("normalised form \"%s\" of \"%.*s\" is refused: %s", norm, (int)size, in, err);
    char *norm2 = formatted(&again, wb_url_format);
    char *host2 = formatted(&again, wb_url_host_header);
    if (strcmp(norm, norm2) || strcmp(host, host2) || u.scheme != again.scheme ||
        u.port != again.port || u.host.kind != again.host.kind ||
        strcmp(u.host.text, again.host.text))
        FAIL("\"%.*s\" normalises to \"%s\", which normalises to \"%s\"", (int)size, in, norm,
             norm2);
    if (!wb_url_prefix_match(norm, norm))
        FAIL("block_urls entry \"%s\" does not block that very URL", norm);
    free(norm);
    free(norm2);
    free(host);
    free(host2);
    wb_url_free(&again);
    wb_url_free(&u);
    free(in);
    return 0;
}
