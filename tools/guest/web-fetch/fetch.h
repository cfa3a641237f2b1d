/* fetch: one GET through the wasmbox_http import (net/README.md), which
 * decides every hop against the run's policy and audits it. */
#ifndef WF_FETCH_H
#define WF_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/wbtool.h"

typedef struct {
    int status;
    wt_buf url;        /* where the response came from, after redirects */
    wt_buf headers;    /* raw "Name: value\r\n" lines */
    wt_buf body;       /* at most max_body bytes */
    bool truncated;    /* the body was longer: the rest was not read */
    int read_errno;    /* reading the body failed part way (0: it did not) */
    wt_buf read_error; /* and why, in the host's words */
} wf_response;

/* GETs url following at most max_redirects redirects (0: a 3xx comes back
 * as it is), the whole exchange in at most timeout_ms (both cut further
 * by the run's own limits). Returns 0 with *r filled, or the WASI errno
 * of the request with the host's text in err. */
int wf_fetch(const char *url, int max_redirects, int timeout_ms, size_t max_body, wf_response *r,
             wt_buf *err);
void wf_response_free(wf_response *r);

#endif
