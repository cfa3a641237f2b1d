/* http_fetch: fetches one URL through the wasmbox_http imports and prints
 * what came back, for the guest HTTP e2e tests.
 *
 *   http_fetch URL [METHOD [BODY [HEADER-LINES [noclose]]]]
 * ("-" as BODY: no body; noclose: leave the handle open for the host to free)
 * Prints "status N", the raw header lines, then "body:" and the body. On a
 * failure prints "error E: LAST_ERROR" and exits 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/wasmbox_http_guest.h"

static int failed(const char *what, int32_t e)
{
    char msg[WBH_LAST_ERROR_MAX];
    wbh_last_error(msg, sizeof msg);
    printf("error %d in %s: %s\n", (int)e, what, msg);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: http_fetch URL [METHOD [BODY [HEADERS]]]\n");
        return 2;
    }
    const char *method = argc > 2 ? argv[2] : "GET";
    const char *body = argc > 3 && strcmp(argv[3], "-") ? argv[3] : NULL;
    const char *headers = argc > 4 && argv[4][0] ? argv[4] : NULL;
    int noclose = argc > 5 && !strcmp(argv[5], "noclose");
    uint32_t h = 0;
    int32_t e = wbh_request(method, argv[1], headers, body, body ? (uint32_t)strlen(body) : 0,
                            &h);
    if (e)
        return failed("request", e);
    printf("status %d\n", (int)wasmbox_http_status(h));
    char head[8192];
    uint32_t hl = 0;
    e = wasmbox_http_headers(h, head, sizeof head, &hl);
    if (e)
        return failed("headers", e);
    fwrite(head, 1, hl, stdout);
    printf("body:\n");
    char buf[1000];
    for (;;) {
        uint32_t n = 0;
        e = wasmbox_http_read(h, buf, sizeof buf, &n);
        if (e)
            return failed("read", e);
        if (n == 0)
            break;
        fwrite(buf, 1, n, stdout);
    }
    if (noclose)
        return 0;
    e = wasmbox_http_close(h);
    if (e)
        return failed("close", e);
    return 0;
}
