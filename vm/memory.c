/* Linear memories. The bytes come from anonymous mappings rather than
 * calloc: the kernel hands out zeroed pages lazily, so a guest that grows to
 * gigabytes but touches little costs little, and mremap grows in place
 * without copying or touching the new part. Every byte of a memory's size
 * is charged to the store's budget, touched or not: the budget bounds what a
 * guest could make us commit.
 *
 * Each thread keeps the mapping of the last memory it released (up to
 * SPARE_MAX bytes) for the next memory it makes: a server running one call
 * after another on a worker thread (the MCP server) then pays no mmap,
 * mremap or munmap, nor a page fault for every page the guest touches
 * (together a third of a small tool call's CPU). The mapping is zeroed
 * before it is kept (spare_keep), so a memory never shows what an earlier
 * one held: pages that are resident are cleared with memset (they stay,
 * ready), every other page is dropped with MADV_DONTNEED (a swapped-out
 * page too: it comes back as a zero page). tests/unit/test_memory.c
 * checks it. */
#include "objects.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SPARE_MAX ((size_t)16 << 20)
#define SPARE_PAGE 4096u

static _Thread_local struct {
    uint8_t *data;
    size_t len;
} spare;
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;

/* At a thread's end its spare mapping goes. */
static void spare_drop(void *unused)
{
    (void)unused;
    if (spare.data)
        munmap(spare.data, spare.len);
    spare.data = NULL;
}

static void spare_init(void)
{
    if (pthread_key_create(&spare_key, spare_drop) != 0)
        spare_key = (pthread_key_t)-1;
}

/* Zeroes the first len bytes of a mapping: memset where resident, dropped
 * elsewhere. False when that cannot be done (the caller unmaps it). */
static bool zero_mapping(uint8_t *data, size_t len)
{
    size_t pages = len / SPARE_PAGE;
    unsigned char vec[SPARE_MAX / SPARE_PAGE];
    if (len % SPARE_PAGE || pages > sizeof vec || mincore(data, len, vec) != 0)
        return false;
    size_t i = 0;
    while (i < pages) {
        size_t j = i;
        bool resident = vec[i] & 1;
        while (j < pages && (vec[j] & 1) == resident)
            j++;
        if (resident)
            memset(data + i * SPARE_PAGE, 0, (j - i) * SPARE_PAGE);
        else if (madvise(data + i * SPARE_PAGE, (j - i) * SPARE_PAGE, MADV_DONTNEED) != 0)
            return false;
        i = j;
    }
    return true;
}

/* Keeps a released mapping (its first `used` bytes possibly written, the
 * rest zero) as this thread's spare, zeroed; else unmaps it. */
static void spare_keep(uint8_t *data, size_t mapped, size_t used)
{
    if (!spare.data && mapped <= SPARE_MAX && sysconf(_SC_PAGESIZE) == SPARE_PAGE) {
        pthread_once(&spare_once, spare_init);
        if (spare_key != (pthread_key_t)-1 && pthread_setspecific(spare_key, &spare) == 0 &&
            zero_mapping(data, used)) {
            spare.data = data;
            spare.len = mapped;
            return;
        }
    }
    munmap(data, mapped);
}

/* A zeroed mapping of at least len bytes: the spare when it is big enough,
 * else a new one. MAP_FAILED when there is none. */
static void *map_zeroed(size_t len, uint64_t *mapped)
{
    if (spare.data && spare.len >= len) {
        void *p = spare.data;
        *mapped = spare.len;
        spare.data = NULL;
        return p;
    }
    *mapped = len;
    return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
                0);
}

wb_alloc_result wb_memory_create(wb_store *s, uint64_t min_pages, uint64_t max_pages, bool has_max,
                                 bool is64, wb_memory **out)
{
    *out = NULL;
    uint64_t declared = max_pages;
    /* a 64-bit memory may declare 2^48 pages; here it holds one page less
     * than 4 GiB, so that every in-bounds address and length fits in 32
     * bits (vm/README.md "64-bit memories") */
    uint64_t cap = is64 ? WB_MAX_PAGES64 : WB_MAX_PAGES;
    if (!has_max || max_pages > cap)
        max_pages = cap;
    if (min_pages > max_pages || !wb_store_charge(s, min_pages * WB_PAGE_SIZE))
        return WB_ALLOC_LIMIT;
    wb_memory *mem = calloc(1, sizeof *mem);
    if (!mem) {
        wb_store_refund(s, min_pages * WB_PAGE_SIZE);
        return WB_ALLOC_NOMEM;
    }
    mem->max_pages = max_pages;
    mem->has_max = has_max;
    mem->is64 = is64;
    mem->max_declared = has_max ? declared : max_pages;
    mem->store = s;
    mem->size = min_pages * WB_PAGE_SIZE;
    if (mem->size) {
        void *p = map_zeroed(mem->size, &mem->mapped);
        if (p == MAP_FAILED) {
            wb_store_refund(s, mem->size);
            free(mem);
            return WB_ALLOC_NOMEM;
        }
        mem->data = p;
    }
    if (!wb_store_track(s, WB_OBJ_MEMORY, mem)) {
        /* wb_store_track has released mem (mapping included); only the
         * budget charge is ours to undo */
        wb_store_refund(s, min_pages * WB_PAGE_SIZE);
        return WB_ALLOC_NOMEM;
    }
    *out = mem;
    return WB_ALLOC_OK;
}

void wb_memory_release(wb_memory *mem)
{
    if (mem->data)
        spare_keep(mem->data, mem->mapped, mem->size);
    free(mem);
}

wb_memory *wb_memory_new(wb_store *store, uint64_t min_pages, uint64_t max_pages)
{
    wb_memory *mem;
    bool has_max = max_pages != UINT64_MAX;
    if (has_max && (max_pages > WB_MAX_PAGES || min_pages > max_pages))
        return NULL;
    if (wb_memory_create(store, min_pages, max_pages, has_max, false, &mem) != WB_ALLOC_OK)
        return NULL;
    return mem;
}

uint8_t *wb_memory_data(wb_memory *mem) { return mem->data; }
uint64_t wb_memory_size(const wb_memory *mem) { return mem->size; }

/* A bigger mapping with the old contents. ThreadSanitizer does not see
 * mremap: pages it moves away keep their old shadow, and a later mmap at that
 * address (another store's memory, on another thread) looks like a race with
 * their last user. Under TSAN memory grows by copying instead (slower, same
 * result); everywhere else mremap grows it in place when it can. */
static void *grow_mapping(void *old, size_t old_size, size_t new_size)
{
#if defined(__SANITIZE_THREAD__)
    void *p = mmap(NULL, new_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p != MAP_FAILED) {
        memcpy(p, old, old_size);
        munmap(old, old_size);
    }
    return p;
#else
    return mremap(old, old_size, new_size, MREMAP_MAYMOVE);
#endif
}

int64_t wb_memory_grow(wb_memory *mem, uint64_t delta_pages)
{
    uint64_t old_pages = mem->size / WB_PAGE_SIZE;
    if (delta_pages == 0)
        return (int64_t)old_pages;
    if (delta_pages > mem->max_pages - old_pages)
        return -1;
    uint64_t new_size = (old_pages + delta_pages) * WB_PAGE_SIZE;
    uint64_t delta = new_size - mem->size;
    if (new_size > SIZE_MAX || !wb_store_charge(mem->store, delta))
        return -1;
    if (new_size <= mem->mapped) { /* a reused mapping's room: already zero */
        mem->size = new_size;
        return (int64_t)old_pages;
    }
    void *p;
    uint64_t mapped = new_size;
    if (mem->data)
        p = grow_mapping(mem->data, mem->mapped, (size_t)new_size);
    else
        p = map_zeroed((size_t)new_size, &mapped);
    if (p == MAP_FAILED) {
        wb_store_refund(mem->store, delta);
        return -1;
    }
    mem->data = p;
    mem->mapped = mapped;
    mem->size = new_size;
    return (int64_t)old_pages;
}

/* offset + len within size, computed without overflow. */
static bool in_bounds(const wb_memory *mem, uint64_t offset, size_t len)
{
    return offset <= mem->size && (uint64_t)len <= mem->size - offset;
}

bool wb_memory_read(const wb_memory *mem, uint64_t offset, void *buf, size_t len)
{
    if (!in_bounds(mem, offset, len))
        return false;
    if (len)
        memcpy(buf, mem->data + offset, len);
    return true;
}

bool wb_memory_write(wb_memory *mem, uint64_t offset, const void *buf, size_t len)
{
    if (!in_bounds(mem, offset, len))
        return false;
    if (len)
        memcpy(mem->data + offset, buf, len);
    return true;
}
