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
 * that would not be anyway.
 *
 * The whole 2 MiB pages inside such a block are asked to be huge pages
 * (MADV_HUGEPAGE: the kernel's transparent huge pages in their default
 * "madvise" mode; only advice, 4 KiB pages where there is none to give or
 * THP is off). Each 4 KiB page costs a mapping to make and a TLB entry to
 * miss while the block is written and read: on the build machine (a VM,
 * where both are dear) a cached start of the 56 MB module went from ~283
 * to ~126 ms of CPU at load 12, median of 11 (its bytes, which the CLI
 * aligns to 2 MiB, did most of it: bench/README.md "Large modules"). The
 * price: a run now and then (5 in 25) pays the host's first touch of a
 * fresh huge page, ~200-300 ms, about what every run paid before (an
 * earlier try dropped huge pages for such spikes, 0.5 s then, without
 * measuring what the 4 KiB pages cost every run under load). */
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
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t from = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t to = ((uintptr_t)p + len) & ~(page - 1);
    if (!p || len < PREFAULT_MIN || to <= from)
        return;
    /* the whole 2 MiB pages inside the block in huge pages */
    uintptr_t hfrom = ((uintptr_t)p + huge - 1) & ~(huge - 1), hto = ((uintptr_t)p + len) & ~(huge - 1);
    if (hto > hfrom)
        (void)madvise((void *)hfrom, hto - hfrom, MADV_HUGEPAGE);
    (void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
}
