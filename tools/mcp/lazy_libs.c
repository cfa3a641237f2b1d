/* lazy_libs: the libmicrohttpd and libyaml functions of tools/mcp/,
 * forwarded to the libraries loaded on first use (lazy_libs.h says why).
 *
 * Each function is listed once with its return type, parameters, argument
 * names and its value when the library cannot be loaded; the list makes the
 * pointer table, the resolver and the forwarding definitions. The
 * prototypes come from the libraries' headers, so an entry that disagrees
 * does not compile; a function used in tools/mcp/ and missing here shows up
 * as an undefined symbol when linking wasmbox. Names are parenthesized
 * where defined and called so no macro of the same name expands there. */
#include <dlfcn.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "../../net/lazy_lib.h"
#include "lazy_libs.h"

/* X(return type, name, (parameters), (arguments), value when not loaded);
 * V(name, (parameters), (arguments)) for functions returning nothing.
 * The variadic MHD_start_daemon and MHD_get_daemon_info are written out
 * below: the first over MHD_start_daemon_va, the second in MHD_VARIADIC,
 * which only makes its pointer. */
#define MHD_FUNCS(X, V)                                                                          \
    X(struct MHD_Daemon *, MHD_start_daemon_va,                                                  \
      (unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc, void *apc_cls,           \
       MHD_AccessHandlerCallback dh, void *dh_cls, va_list ap),                                  \
      (flags, port, apc, apc_cls, dh, dh_cls, ap), NULL)                                         \
    V(MHD_stop_daemon, (struct MHD_Daemon * d), (d))                                             \
    X(const char *, MHD_lookup_connection_value,                                                 \
      (struct MHD_Connection * c, enum MHD_ValueKind kind, const char *key), (c, kind, key),     \
      NULL)                                                                                      \
    X(struct MHD_Response *, MHD_create_response_from_buffer,                                    \
      (size_t size, void *buffer, enum MHD_ResponseMemoryMode mode), (size, buffer, mode), NULL) \
    X(struct MHD_Response *, MHD_create_response_from_callback,                                  \
      (uint64_t size, size_t block_size, MHD_ContentReaderCallback crc, void *crc_cls,          \
       MHD_ContentReaderFreeCallback crfc),                                                      \
      (size, block_size, crc, crc_cls, crfc), NULL)                                              \
    X(enum MHD_Result, MHD_add_response_header,                                                  \
      (struct MHD_Response * r, const char *header, const char *content), (r, header, content),  \
      MHD_NO)                                                                                    \
    V(MHD_destroy_response, (struct MHD_Response * r), (r))                                      \
    X(enum MHD_Result, MHD_queue_response,                                                       \
      (struct MHD_Connection * c, unsigned int status, struct MHD_Response *r), (c, status, r),  \
      MHD_NO)
#define MHD_VARIADIC(V) V(MHD_get_daemon_info, (), ())

#define YAML_FUNCS(X, V)                                                                         \
    X(int, yaml_parser_initialize, (yaml_parser_t * p), (p), 0)                                  \
    V(yaml_parser_delete, (yaml_parser_t * p), (p))                                              \
    V(yaml_parser_set_input_string, (yaml_parser_t * p, const unsigned char *in, size_t n),      \
      (p, in, n))                                                                                \
    X(int, yaml_parser_load, (yaml_parser_t * p, yaml_document_t * d), (p, d), 0)                \
    V(yaml_document_delete, (yaml_document_t * d), (d))                                          \
    X(yaml_node_t *, yaml_document_get_node, (yaml_document_t * d, int i), (d, i), NULL)         \
    X(yaml_node_t *, yaml_document_get_root_node, (yaml_document_t * d), (d), NULL)

static struct {
    MHD_FUNCS(WB_LAZY_PTR, WB_LAZY_VPTR)
    MHD_VARIADIC(WB_LAZY_VPTR)
} mhd;
static struct {
    YAML_FUNCS(WB_LAZY_PTR, WB_LAZY_VPTR)
} yaml;

static wb_lazy_lib mhd_lib =
    WB_LAZY_LIB_INIT("libmicrohttpd.so.12", "needed by mcp --listen", "libmicrohttpd12");
static wb_lazy_lib yaml_lib = WB_LAZY_LIB_INIT("libyaml-0.so.2", "needed to read skills", "libyaml-0-2");

static void load_mhd(void)
{
    wb_lazy_lib *l = &mhd_lib;
    void *h = wb_lazy_open(l);
    __typeof__(&mhd) tab = &mhd;
    int ok = h != NULL;
    MHD_FUNCS(WB_LAZY_RESOLVE, WB_LAZY_VRESOLVE)
    MHD_VARIADIC(WB_LAZY_VRESOLVE)
    l->ok = ok;
}

static void load_yaml(void)
{
    wb_lazy_lib *l = &yaml_lib;
    void *h = wb_lazy_open(l);
    __typeof__(&yaml) tab = &yaml;
    int ok = h != NULL;
    YAML_FUNCS(WB_LAZY_RESOLVE, WB_LAZY_VRESOLVE)
    l->ok = ok;
}

int mcp_load_microhttpd(char *msg, size_t n)
{
    pthread_once(&mhd_lib.once, load_mhd);
    return wb_lazy_outcome(&mhd_lib, msg, n);
}

int mcp_load_yaml(char *msg, size_t n)
{
    pthread_once(&yaml_lib.once, load_yaml);
    return wb_lazy_outcome(&yaml_lib, msg, n);
}

static int mhd_ready(void) { return mcp_load_microhttpd(NULL, 0) == 0; }
static int yaml_ready(void) { return mcp_load_yaml(NULL, 0) == 0; }

#define MHD_FWD(ret, name, params, args, fail) WB_LAZY_FWD(mhd, ret, name, params, args, fail)
#define MHD_VFWD(name, params, args) WB_LAZY_VFWD(mhd, name, params, args)
MHD_FUNCS(MHD_FWD, MHD_VFWD)
#define YAML_FWD(ret, name, params, args, fail) WB_LAZY_FWD(yaml, ret, name, params, args, fail)
#define YAML_VFWD(name, params, args) WB_LAZY_VFWD(yaml, name, params, args)
YAML_FUNCS(YAML_FWD, YAML_VFWD)

/* mcp_http.c reports a daemon that did not start only as "cannot listen";
 * the reason the library is missing goes to stderr here. */
struct MHD_Daemon *(MHD_start_daemon)(unsigned int flags, uint16_t port,
                                      MHD_AcceptPolicyCallback apc, void *apc_cls,
                                      MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
    char why[512];
    if (mcp_load_microhttpd(why, sizeof why) != 0) {
        fprintf(stderr, "wasmbox mcp: %s\n", why);
        return NULL;
    }
    va_list ap;
    va_start(ap, dh_cls);
    struct MHD_Daemon *d = (mhd.MHD_start_daemon_va)(flags, port, apc, apc_cls, dh, dh_cls, ap);
    va_end(ap);
    return d;
}

/* The info types tools/mcp/ asks for (MHD_DAEMON_INFO_BIND_PORT) take no
 * extra argument, so none is passed on. */
const union MHD_DaemonInfo *(MHD_get_daemon_info)(struct MHD_Daemon *d,
                                                  enum MHD_DaemonInfoType t, ...)
{
    return mhd_ready() ? (mhd.MHD_get_daemon_info)(d, t) : NULL;
}
