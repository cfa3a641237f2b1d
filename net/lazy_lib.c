/* lazy_lib: the loading half of lazy_lib.h, shared by every library
 * wasmbox maps on first use. */
#include "lazy_lib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

void *wb_lazy_open(wb_lazy_lib *l)
{
    void *h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(l->why, sizeof l->why, "cannot load %s (%s; Debian package %s): %s", l->soname,
                 l->what, l->package, e ? e : "unknown error");
    }
    return h;
}

int wb_lazy_resolve(wb_lazy_lib *l, void *h, const char *name, void *slot, size_t size)
{
    void *p = dlsym(h, name);
    if (!p) {
        snprintf(l->why, sizeof l->why, "%s has no function %s (%s; Debian package %s)", l->soname,
                 name, l->what, l->package);
        return 0;
    }
    memcpy(slot, &p, size); /* POSIX: a dlsym result converts to a function pointer */
    return 1;
}

int wb_lazy_outcome(const wb_lazy_lib *l, char *msg, size_t n)
{
    if (l->ok)
        return 0;
    if (n > 0)
        snprintf(msg, n, "%s", l->why[0] ? l->why : "a library could not be loaded");
    return -1;
}
