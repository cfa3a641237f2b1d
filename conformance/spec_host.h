/* The `spectest` host module the spec tests import from.
 *
 * Its contents are fixed by the spec interpreter: print functions that do
 * nothing visible, four immutable globals (666 / 666.6), a funcref table of
 * 10..20 elements and a memory of 1..2 pages. All objects live in the store
 * of the JSON file being run.
 */
#ifndef WASMBOX_SPEC_HOST_H
#define WASMBOX_SPEC_HOST_H

#include "../vm/vm.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct spec_host spec_host;

/* Creates the objects in store. NULL when out of memory. Objects the engine
 * refuses to create are left out (and a lookup of them fails). */
spec_host *spec_host_new(wb_store *store);
void spec_host_free(spec_host *host);

/* Looks a field up by name (len bytes). false when there is no such field. */
bool spec_host_lookup(const spec_host *host, const char *name, size_t len, wb_extern *out);

#endif
