/* guest_http: the `wasmbox_http` import module, for embedders.
 *
 * Gives a wasm guest outgoing HTTP(S) through net/'s policy-enforcing client
 * (net.h): every request, and every redirect hop, is decided against the
 * policy before a socket exists, and every decision goes to the audit log.
 * A guest under a policy with no allowed hosts can reach nothing.
 *
 * Guest functions (all parameters and results i32; pointers are offsets in
 * the calling instance's memory 0, checked with 64-bit arithmetic against its
 * current size before any use):
 *   request(method_ptr, method_len, url_ptr, url_len, headers_ptr, headers_len,
 *           body_ptr, body_len, handle_out_ptr) -> errno
 *       headers: "Name: value\r\n" lines (headers_len 0: none).
 *       body_len 0 and body_ptr 0: no body; otherwise the body is sent with
 *       a Content-Length (an empty body too, when body_ptr is not 0).
 *   status(handle) -> the HTTP status (100..599), or -errno (-8: bad handle)
 *   headers(handle, buf_ptr, cap, len_out_ptr) -> errno
 *       raw "Name: value\r\n" lines; when cap is too small: NOBUFS and the
 *       needed length in *len_out, nothing else written.
 *   read(handle, buf_ptr, cap, nread_out_ptr) -> errno   (*nread_out 0 = end)
 *   close(handle) -> errno
 *   last_error(buf_ptr, cap, len_out_ptr) -> errno
 *       the text of the last failure of any call (len 0 if none yet); same
 *       NOBUFS rule as headers.
 *   url(handle, buf_ptr, cap, len_out_ptr) -> errno
 *       the normalised URL the response came from (after redirects), so a
 *       guest can resolve the links in it; same NOBUFS rule as headers.
 *   set_limits(max_redirects, timeout_ms) -> errno
 *       for this guest's later requests: follow at most max_redirects
 *       redirects (0: a 3xx is returned as it is; -1: the embedder's limit)
 *       and take at most timeout_ms in all (0: the embedder's limit). Each
 *       only tightens the embedder's own limit; below -1 / 0 is INVAL.
 * The errno values are WASI's (see the WB_GH_E* list below and net/README.md).
 */
#ifndef WASMBOX_NET_GUEST_HTTP_H
#define WASMBOX_NET_GUEST_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../vm/vm.h"
#include "net.h"

#define WB_GUEST_HTTP_MODULE "wasmbox_http"

/* WASI errno numbers this module returns. */
enum {
    WB_GH_SUCCESS = 0,
    WB_GH_ECONNABORTED = 13, /* TLS handshake or certificate verification failed */
    WB_GH_ECONNREFUSED = 14, /* the TCP connection could not be made */
    WB_GH_EBADF = 8,         /* not an open handle */
    WB_GH_EFAULT = 21,       /* a pointer range is outside guest memory */
    WB_GH_EHOSTUNREACH = 23, /* name lookup failed */
    WB_GH_EINVAL = 28,       /* bad URL, method, header lines, cap 0 */
    WB_GH_EIO = 29,          /* read/write error, or another failure */
    WB_GH_ELOOP = 32,        /* too many redirects / a redirect that cannot be followed */
    WB_GH_EMFILE = 33,       /* too many open handles */
    WB_GH_EMSGSIZE = 35,     /* request body or response over a cap */
    WB_GH_ENOBUFS = 42,      /* the buffer is too small (needed length written) */
    WB_GH_ENOMEM = 48,       /* host out of memory */
    WB_GH_EPROTO = 65,       /* malformed response */
    WB_GH_ETIMEDOUT = 73,    /* a network time limit (the run's deadline traps instead) */
    WB_GH_ENOTCAPABLE = 76,  /* refused by the policy (last_error says why) */
};

/* Most handles open at once (request gives EMFILE beyond). */
#define WB_GUEST_HTTP_MAX_HANDLES 16
/* Largest request body, header block and method a guest may hand in. */
#define WB_GUEST_HTTP_MAX_BODY ((uint32_t)16 << 20)
#define WB_GUEST_HTTP_MAX_HEADER_BYTES (64u << 10)
#define WB_GUEST_HTTP_MAX_HEADERS 64
#define WB_GUEST_HTTP_MAX_METHOD 32

typedef struct wb_guest_http wb_guest_http;

/* opts: copied (the policy and audit it points to must outlive the object).
 * run_timeout_ms: the run's wall-clock limit (0 or UINT64_MAX: none), from
 * now; no request may outlast it, so a guest cannot hold the host past its
 * deadline inside a network wait: a request or read still waiting then, or
 * asked for after it, traps ("wasmbox_http.request: the run's time limit was
 * reached"), ending the run. NULL when out of memory. */
wb_guest_http *wb_guest_http_new(const wb_net_options *opts, uint64_t run_timeout_ms);
/* Sets that deadline to the embedder's own (CLOCK_MONOTONIC milliseconds,
 * rounded up; INT64_MAX: none), so the network waits end exactly when the
 * run's timer does. Safe from another thread while the guest runs (a
 * cancel moves it to now; with wb_net_options.abort_fd a wait in progress
 * wakes too, and the guest's call then ends the run). */
void wb_guest_http_set_deadline(wb_guest_http *gh, int64_t deadline_ms);
/* Closes every handle still open. NULL is fine. */
void wb_guest_http_free(wb_guest_http *gh);

/* Fills imports_out[i] for every import of the "wasmbox_http" module and
 * hands the module's other imports to `other` (e.g. the WASI linker), which
 * must fill exactly those. When the module imports nothing from wasmbox_http,
 * `other` is called on the module itself; otherwise on a small module made
 * here that declares only the other imports (same names, same types), and its
 * results are copied to the matching slots. other may be NULL: then any
 * other import is an error. False with a message naming the import. */
typedef bool (*wb_guest_http_link_fn)(void *ctx, wb_store *store, const wb_module *module,
                                      wb_extern *imports_out, char *err, size_t errlen);
bool wb_guest_http_link(wb_guest_http *gh, wb_store *store, const wb_module *module,
                        wb_guest_http_link_fn other, void *other_ctx, wb_extern *imports_out,
                        char *err, size_t errlen);

/* Handles open right now (for tests and reports). */
size_t wb_guest_http_open_count(const wb_guest_http *gh);

/* WASI errno for a net/ error kind (the mapping in net/README.md). */
int wb_guest_http_errno(wb_net_error_kind kind);

#endif
