/* Sieve of Eratosthenes over a byte array, repeated: byte loads/stores,
 * strided inner loop, counting pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIZE 8192
static unsigned char flags[SIZE + 1];

static unsigned sieve(void)
{
    unsigned count = 0;
    memset(flags, 1, sizeof flags);
    for (unsigned i = 2; i <= SIZE; i++) {
        if (flags[i]) {
            for (unsigned k = i + i; k <= SIZE; k += i)
                flags[k] = 0;
            count++;
        }
    }
    return count;
}

int main(int argc, char **argv)
{
    unsigned reps = argc > 1 ? (unsigned)atoi(argv[1]) : 10, total = 0;
    for (unsigned r = 0; r < reps; r++)
        total += sieve();
    printf("primes: %u\n", total);
    return 0;
}
