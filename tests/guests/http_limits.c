/* http_limits: GET one URL after wasmbox_http.set_limits, for the guest HTTP
 * e2e tests of the guest's own limits and of wasmbox_http.url.
 *
 *   http_limits MAX_REDIRECTS TIMEOUT_MS URL
 * Prints "set_limits E" (the errno), then "status N", "url FINAL" and
 * "body:" with the body; on a failure "error E in WHAT: LAST_ERROR" and
 * exits 1. */
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
    if (argc != 4) {
        fprintf(stderr, "usage: http_limits MAX_REDIRECTS TIMEOUT_MS URL\n");
        return 2;
    }
    int32_t e = wasmbox_http_set_limits((int32_t)atoi(argv[1]), (int32_t)atoi(argv[2]));
    printf("set_limits %d\n", (int)e);
    uint32_t h = 0;
    e = wbh_get(argv[3], &h);
    if (e)
        return failed("request", e);
    printf("status %d\n", (int)wasmbox_http_status(h));
    /* a buffer too small first: the length needed comes back */
    char url[WBH_LAST_ERROR_MAX * 8];
    uint32_t need = 0, len = 0;
    e = wasmbox_http_url(h, url, 1, &need);
    if (e != WBH_ENOBUFS)
        return failed("url (small buffer)", e);
    e = wasmbox_http_url(h, url, sizeof url, &len);
    if (e)
        return failed("url", e);
    if (len != need)
        printf("url length %u, but %u was asked for\n", (unsigned)len, (unsigned)need);
    printf("url %.*s\nbody:\n", (int)len, url);
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
    return wasmbox_http_close(h) ? failed("close", e) : 0;
}
