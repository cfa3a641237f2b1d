/* Provokes net.connect refusals without end, each carrying an 8000-byte URL
 * the policy refuses (no host is allowed): alternately one that parses
 * (refused by allowed_outbound_hosts) and one that does not (a bad port:
 * refused as unusable). Every request is one audit record; the log must stay
 * bounded all the same.
 *
 *   audit_httpflood N   N requests, then "refused R of N"
 *   audit_httpflood 0   until stopped, writing "try I" before and "done I E"
 *                       after request I (E its errno), so the script can
 *                       bracket how many records the run made */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../net/wasmbox_http_guest.h"

#define URL_BYTES 8000

static char urls[2][URL_BYTES + 1];

static void make_url(char *url, const char *start)
{
    size_t n = strlen(start);
    memcpy(url, start, n);
    memset(url + n, 'a', URL_BYTES - n);
    url[URL_BYTES] = 0;
}

static void say(const char *what, long i, int32_t e)
{
    char line[48];
    int n = e < 0 ? snprintf(line, sizeof line, "%s %ld\n", what, i)
                  : snprintf(line, sizeof line, "%s %ld %d\n", what, i, (int)e);
    (void)!write(1, line, (size_t)n); /* unbuffered: a timeout may stop us at any point */
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    long n = atol(argv[1]), refused = 0;
    make_url(urls[0], "http://refused.invalid/");
    make_url(urls[1], "http://refused.invalid:99999/");
    for (long i = 1; n == 0 || i <= n; i++) {
        if (n == 0)
            say("try", i, -1);
        uint32_t h = 0;
        /* not wbh_get: its strlen of 8000 bytes would be most of the loop */
        int32_t e = wasmbox_http_request("GET", 3, urls[i % 2], URL_BYTES, NULL, 0, NULL, 0, &h);
        if (e == WBH_ENOTCAPABLE || e == WBH_EINVAL)
            refused++;
        else if (e == WBH_OK)
            wasmbox_http_close(h);
        if (n == 0)
            say("done", i, e);
    }
    printf("refused %ld of %ld\n", refused, n);
    return 0;
}
