/* A memory bomb: grows linear memory one page at a time until memory.grow
 * refuses (returns -1), then says at what size. Under --max-memory the
 * refusal comes at the cap and the guest carries on normally. */
#include <stdio.h>

int main(void)
{
    size_t before = __builtin_wasm_memory_size(0);
    for (;;) {
        size_t old = __builtin_wasm_memory_grow(0, 1);
        if (old == (size_t)-1) {
            printf("memory.grow returned -1 at %zu pages (%zu bytes); started at %zu pages\n",
                   __builtin_wasm_memory_size(0), __builtin_wasm_memory_size(0) * 65536,
                   before);
            return 0;
        }
    }
}
