/* Making a large allocation present at once (wb_prefault, vm.h).
 *
 * A large block from malloc is fresh memory from mmap: each 4 KiB page
 * faults when first written. The blocks a large module needs at once (its
 * bytes, one code entry and one function object per function: 56 MB and
 * ~9 MB for the module of bench/README.md "Large modules") took ~18,000
 * faults, the largest part of the kernel time of a cached start on the
 * build machine (a VM, where a fault costs several microseconds).
 * MADV_POPULATE_WRITE (Linux 5.14) maps them all in one call. Only advice:
 * where refused (older kernels), the pages fault as before. Used only on
 * blocks that are about to be written whole, so nothing is made resident
 * that would not be anyway. (2 MiB pages, MADV_HUGEPAGE, were tried too:
 * 28 faults for the module's bytes, but on the build machine a fresh huge
 * page sometimes costs the host's first touch of that memory, 0.5 s.) */
#include "vm.h"

#include <stdint.h>
#include <sys/mman.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* below this, the faults cost less than the call */
#define PREFAULT_MIN ((size_t)1 << 20)

void wb_prefault(void *p, size_t len)
{
    const uintptr_t page = 4096; /* a smaller guess than the real page is harmless */
    uintptr_t from = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t to = ((uintptr_t)p + len) & ~(page - 1);
    if (p && len >= PREFAULT_MIN && to > from)
        (void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
}
