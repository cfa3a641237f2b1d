/* http_abuse: every wasmbox_http pointer argument out of bounds (fault, no
 * crash, nothing sent), bad and stale handles (badf), small buffers (nobufs
 * with the needed length), the handle cap (mfile) and malformed requests
 * (inval). Prints one line per check and exits with the number that failed.
 *
 *   http_abuse URL       URL: an allowed http URL answering 200 with a body;
 *                        requests that must not be sent carry "?oob". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../net/wasmbox_http_guest.h"

static int failures;

static void check(const char *name, long got, long want)
{
    if (got == want) {
        printf("ok %s\n", name);
    } else {
        printf("FAIL %s: got %ld, want %ld\n", name, got, want);
        failures++;
    }
}

/* Pointers as the host sees them: plain offsets into memory 0. */
static const char *ptr(uint32_t off) { return (const char *)(uintptr_t)off; }

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: http_abuse URL\n");
        return 100;
    }
    char oob_url[512];
    snprintf(oob_url, sizeof oob_url, "%s?oob", argv[1]);
    const char *url = oob_url;
    uint32_t ul = (uint32_t)strlen(url);
    uint32_t end = (uint32_t)(__builtin_wasm_memory_size(0) * 65536u);
    uint32_t h = 0, len = 0;
    static char body[] = "x";
    static const char hdr[] = "X-Test: 1\r\n";

    /* (ptr, len) pairs past the end, straddling it, and wrapping in 32 bits */
    const uint32_t bad[][2] = {{end, 1}, {end - 1, 2}, {0xFFFFFFF0u, 0x20}, {0xFFFFFFFFu, 1}};
    for (int i = 0; i < 4; i++) {
        uint32_t p = bad[i][0], n = bad[i][1];
        check("request method oob",
              wasmbox_http_request(ptr(p), n, url, ul, NULL, 0, NULL, 0, &h), WBH_EFAULT);
        check("request url oob",
              wasmbox_http_request("GET", 3, ptr(p), n, NULL, 0, NULL, 0, &h), WBH_EFAULT);
        check("request headers oob",
              wasmbox_http_request("GET", 3, url, ul, ptr(p), n, NULL, 0, &h), WBH_EFAULT);
        check("request body oob",
              wasmbox_http_request("POST", 4, url, ul, hdr, sizeof hdr - 1, ptr(p), n, &h),
              WBH_EFAULT);
    }
    const uint32_t bad_out[] = {end, end - 3, 0xFFFFFFFFu, 0xFFFFFFFEu};
    for (int i = 0; i < 4; i++)
        check("request handle_out oob",
              wasmbox_http_request("GET", 3, url, ul, NULL, 0, NULL, 0,
                                   (uint32_t *)(uintptr_t)bad_out[i]),
              WBH_EFAULT);
    char msg[WBH_LAST_ERROR_MAX];
    wbh_last_error(msg, sizeof msg);
    check("last_error names the fault", strstr(msg, "outside guest memory") != NULL, 1);
    check("empty range at the very end is fine (reaches the policy)",
          wasmbox_http_request("GET", 3, "http://not-allowed.test/", 24, ptr(end), 0, NULL, 0,
                               &h),
          WBH_ENOTCAPABLE);

    /* a real response to poke at */
    int32_t e = wbh_get(argv[1], &h);
    check("request allowed", e, 0);
    if (e) {
        wbh_last_error(msg, sizeof msg);
        printf("  (%s)\n", msg);
        return failures;
    }
    check("status", wasmbox_http_status(h), 200);
    for (int i = 0; i < 4; i++) {
        uint32_t p = bad[i][0], n = bad[i][1];
        check("headers buf oob", wasmbox_http_headers(h, (char *)ptr(p), n, &len), WBH_EFAULT);
        check("read buf oob", wasmbox_http_read(h, (char *)ptr(p), n, &len), WBH_EFAULT);
        check("last_error buf oob", wasmbox_http_last_error((char *)ptr(p), n, &len),
              WBH_EFAULT);
        char small[8];
        uint32_t *o = (uint32_t *)(uintptr_t)bad_out[i];
        check("headers len_out oob", wasmbox_http_headers(h, small, sizeof small, o), WBH_EFAULT);
        check("read nread_out oob", wasmbox_http_read(h, small, sizeof small, o), WBH_EFAULT);
        check("last_error len_out oob", wasmbox_http_last_error(small, sizeof small, o),
              WBH_EFAULT);
    }

    /* headers: too small a buffer says how much is needed, writes nothing */
    char tiny[4] = "abc";
    len = 0;
    check("headers nobufs", wasmbox_http_headers(h, tiny, sizeof tiny, &len), WBH_ENOBUFS);
    check("headers buffer untouched", memcmp(tiny, "abc", 4), 0);
    check("needed length reported", len > sizeof tiny, 1);
    char head[4096];
    uint32_t need = len;
    check("headers exact fit", wasmbox_http_headers(h, head, need, &len), 0);
    check("headers length", len, need);
    check("headers content", strstr(head, "Content-Length:") != NULL || strstr(head, "content-length:") != NULL, 1);
    check("read cap 0", wasmbox_http_read(h, head, 0, &len), WBH_EINVAL);
    uint32_t got = 0;
    check("read_all", wbh_read_all(h, head, sizeof head, &got), 0);
    check("body length", got > 0, 1);
    check("close", wasmbox_http_close(h), 0);

    /* bad and stale handles */
    const uint32_t handles[] = {h, 0, 0xFFFFFFFFu, 12345, 0x80000000u};
    for (int i = 0; i < 5; i++) {
        uint32_t b = handles[i];
        check("status bad handle", wasmbox_http_status(b), -WBH_EBADF);
        check("headers bad handle", wasmbox_http_headers(b, head, sizeof head, &len), WBH_EBADF);
        check("read bad handle", wasmbox_http_read(b, head, sizeof head, &len), WBH_EBADF);
        check("close bad handle", wasmbox_http_close(b), WBH_EBADF);
    }
    wbh_last_error(msg, sizeof msg);
    check("last_error names the handle", strstr(msg, "is not open") != NULL, 1);

    /* last_error: too small a buffer */
    len = 0;
    check("last_error nobufs", wasmbox_http_last_error(tiny, 2, &len), WBH_ENOBUFS);
    check("last_error needed length", len == strlen(msg), 1);

    /* malformed requests are refused before anything is sent */
    check("method with space", wbh_request("GE T", url, NULL, NULL, 0, &h), WBH_EINVAL);
    check("empty method", wbh_request("", url, NULL, NULL, 0, &h), WBH_EINVAL);
    check("header injection", wbh_request("GET", url, "X: a\r\nHost: evil\r\n", NULL, 0, &h),
          WBH_EINVAL);
    check("bare LF in header", wbh_request("GET", url, "X: a\nY: b\r\n", NULL, 0, &h),
          WBH_EINVAL);
    check("no CRLF at the end", wbh_request("GET", url, "X: a", NULL, 0, &h), WBH_EINVAL);
    check("NUL in URL", wasmbox_http_request("GET", 3, "http://a\0b/", 11, NULL, 0, NULL, 0, &h),
          WBH_EINVAL);
    check("not a URL", wbh_request("GET", "ftp://x/", NULL, NULL, 0, &h), WBH_EINVAL);

    /* a request body over the 16 MiB cap is msgsize, and nothing is sent */
    uint32_t big = (16u << 20) + 1;
    char *huge = malloc(big);
    if (huge) {
        memset(huge, 'b', big);
        check("body over the cap", wbh_request("POST", url, NULL, huge, big, &h), WBH_EMSGSIZE);
        free(huge);
    } else {
        check("malloc for the body cap test", 0, 1);
    }

    /* the handle cap */
    uint32_t open[17];
    int n = 0;
    for (; n < 17; n++) {
        e = wbh_get(argv[1], &open[n]);
        if (e)
            break;
    }
    check("16 handles open", n, 16);
    check("17th is mfile", e, WBH_EMFILE);
    for (int i = 0; i < n; i++)
        wasmbox_http_close(open[i]);
    check("after closing, one opens again", wbh_get(argv[1], &h), 0);
    check("and closes", wasmbox_http_close(h), 0);
    (void)body;
    printf("failures %d\n", failures);
    return failures;
}
