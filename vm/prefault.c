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
#include <stdlib.h>
#include <sys/mman.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* below this, the faults cost less than the call */
#define PREFAULT_MIN ((size_t)1 << 20)
#define HUGE_PAGE ((uintptr_t)2 << 20)

void wb_prefault(void *p, size_t len)
{
    const uintptr_t page = 4096; /* a smaller guess than the real page is harmless */
    const uintptr_t huge = HUGE_PAGE;
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

/* Blocks of wb_alloc_resident: below PREFAULT_MIN from calloc; from it
 * on, a mapping of their own, aligned to 2 MiB and rounded up to whole
 * 2 MiB pages so that none of it is left in 4 KiB pages at the ends. On
 * the build machine (a VM whose guest page tables are shadowed by the
 * host) the first touch of each 4 KiB page costs ~10-15 us even after
 * MADV_POPULATE_WRITE mapped it, a 2 MiB page ~0.3-0.8 ms once (zeroing
 * it): a block of 1 MB or more is cheaper in whole huge pages, rounding
 * included (bench/README.md "Large modules", "Under a fifth"). Sanitizer builds
 * keep calloc, so that ASan still sees a write past the block's end. */
static size_t resident_size(size_t len)
{
#if defined(__SANITIZE_ADDRESS__)
    (void)len;
    return 0;
#else
    if (len < PREFAULT_MIN || len > SIZE_MAX - 2 * HUGE_PAGE)
        return 0;
    return (len + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
#endif
}

void *wb_alloc_resident(size_t len)
{
    size_t size = resident_size(len);
    if (!size)
        return calloc(1, len ? len : 1);
    /* over-mapped by one huge page, then trimmed to the aligned part:
     * fresh anonymous memory, so already zero */
    uint8_t *raw = mmap(NULL, size + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        return NULL;
    uint8_t *p = (uint8_t *)(((uintptr_t)raw + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1));
    if (p > raw)
        munmap(raw, (size_t)(p - raw));
    if (raw + HUGE_PAGE > p)
        munmap(p + size, (size_t)(raw + HUGE_PAGE - p));
    (void)madvise(p, size, MADV_HUGEPAGE);
    /* up to len's last 4 KiB page: where huge pages are given, the whole
     * last one anyway; where not (THP off), nothing past the block */
    (void)madvise(p, (len + 4095) & ~(size_t)4095, MADV_POPULATE_WRITE);
    return p;
}

void wb_free_resident(void *p, size_t len)
{
    size_t size = resident_size(len);
    if (!size)
        free(p);
    else if (p)
        munmap(p, size);
}
