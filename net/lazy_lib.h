/* lazy_lib: a shared library mapped on first use and resolved completely,
 * once per process, so that a run which never needs it pays nothing for it
 * (net/openssl_lib.c for OpenSSL; tools/mcp/lazy_libs.c for libmicrohttpd
 * and libyaml).
 *
 * A user lists the library's functions once as an X-macro
 *   X(return type, name, (parameters), (arguments), value when not loaded)
 *   V(name, (parameters), (arguments))          for functions returning void
 * and expands it three times: into a table of pointers (WB_LAZY_PTR), into
 * the resolving loader run under pthread_once (WB_LAZY_RESOLVE), and into
 * forwarding definitions under the functions' own names (WB_LAZY_FWD),
 * which return the failure value, or do nothing, when the library cannot
 * be loaded: never a jump to a null pointer. */
#ifndef WB_LAZY_LIB_H
#define WB_LAZY_LIB_H

#include <pthread.h>
#include <stddef.h>

typedef struct wb_lazy_lib {
    const char *soname;  /* "libcrypto.so.3" */
    const char *what;    /* what it is for: "OpenSSL, needed for https and SHA-256" */
    const char *package; /* the Debian package that has it */
    pthread_once_t once;
    int ok;         /* written inside pthread_once, so every caller sees */
    char why[512];  /* ok and why complete */
} wb_lazy_lib;

#define WB_LAZY_LIB_INIT(soname, what, package) {soname, what, package, PTHREAD_ONCE_INIT, 0, ""}

/* dlopen with RTLD_NOW (a library missing a symbol fails here, not
 * mid-request) and RTLD_LOCAL (nothing loaded later binds to it by
 * accident); NULL with l->why naming the library and its package. */
void *wb_lazy_open(wb_lazy_lib *l);
/* Stores the address of `name` in *slot (a function pointer of `size`
 * bytes); 0 with l->why set when the library has no such function. */
int wb_lazy_resolve(wb_lazy_lib *l, void *h, const char *name, void *slot, size_t size);
/* 0 when the library was loaded whole; else -1 and why in msg (when n > 0). */
int wb_lazy_outcome(const wb_lazy_lib *l, char *msg, size_t n);

/* Expansions of a function list (see above). */
#define WB_LAZY_PTR(ret, name, params, args, fail) __typeof__(&(name)) name;
#define WB_LAZY_VPTR(name, params, args) __typeof__(&(name)) name;
/* inside a loader with `wb_lazy_lib *l`, `void *h`, `int ok` and `tab`
 * pointing at the table */
#define WB_LAZY_RESOLVE(ret, name, params, args, fail) \
    ok = ok && wb_lazy_resolve(l, h, #name, &tab->name, sizeof tab->name);
#define WB_LAZY_VRESOLVE(name, params, args) \
    ok = ok && wb_lazy_resolve(l, h, #name, &tab->name, sizeof tab->name);
/* `lib` names both the table and a `lib##_ready()` function */
#define WB_LAZY_FWD(lib, ret, name, params, args, fail) \
    ret(name) params { return lib##_ready() ? (lib.name) args : (fail); }
#define WB_LAZY_VFWD(lib, name, params, args) \
    void(name) params                         \
    {                                         \
        if (lib##_ready())                    \
            (lib.name) args;                  \
    }

#endif
