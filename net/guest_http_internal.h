/* Contract between guest_http.c (the host functions) and guest_http_link.c
 * (matching a module's imports to them). Not public. */
#ifndef WASMBOX_NET_GUEST_HTTP_INTERNAL_H
#define WASMBOX_NET_GUEST_HTTP_INTERNAL_H

#include "guest_http.h"

/* The host function for one wasmbox_http import, after checking its name and
 * type; NULL with a message naming the import. */
wb_func *wb_guest_http_func(wb_guest_http *gh, wb_store *store, const wb_extern_desc *d,
                            char *err, size_t errlen);

#endif
