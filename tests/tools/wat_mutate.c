/* Mutation test of the text-format reader: every .wast named is mutated
 * N times (WAT_MUTATIONS, default 20; seed WAT_MUTATE_SEED, default 1) by
 * 1-4 edits each (a byte changed, deleted or duplicated; a span deleted or
 * repeated; a token-ish string inserted: parens, quotes, $, numbers, nan:0x,
 * comment openers, annotations), and each mutant goes through the fuzz
 * target's checks (tests/fuzz/fuzz_wat.c, included here: the same
 * properties: no crash, an error with a line and column inside the text,
 * the same bytes twice, the wasm2wat round trip). Under SAN=1 AddressSanitizer
 * and UBSan watch it too. Exit 0 when every mutant passed (a failed check
 * aborts, naming it). Run by tests/e2e/wat_mutate.sh.
 *
 *   wat_mutate FILE.wast...
 */
#include "../fuzz/fuzz_wat.c"

#include <stdint.h>

static uint64_t rng_state;

static uint64_t next(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static const char *const inserts[] = {"(", ")", "\"", "$", "(;", ";)", ";;", "(@a ", "0x", "-", "_", "nan:0x",
                                      "inf", "1e400", "0x1p-1075", "\\", "\\u{", "(module", "(func", "end",
                                      "else", "(then", "block", "(type 0)", "(param $x i32)", "i32.const",
                                      "\xff", "\xc3\xa9", "\n", "\r", "\t", " ", "(local.get $x)", "br 9",
                                      "offset=4294967296", "align=3", "(elem", "(data"};

static size_t mutate(uint8_t *buf, size_t len, size_t cap)
{
    int edits = 1 + (int)(next() % 4);
    for (int e = 0; e < edits; e++) {
        size_t at = len ? (size_t)(next() % len) : 0;
        switch (next() % 6) {
        case 0: /* change a byte */
            if (len)
                buf[at] = (uint8_t)next();
            break;
        case 1: /* delete a byte */
            if (len) {
                memmove(buf + at, buf + at + 1, len - at - 1);
                len--;
            }
            break;
        case 2: { /* delete a span */
            size_t n = len - at < 64 ? len - at : (size_t)(next() % 64);
            memmove(buf + at, buf + at + n, len - at - n);
            len -= n;
            break;
        }
        case 3: { /* repeat a span */
            size_t n = (size_t)(next() % 64);
            if (n > len - at)
                n = len - at;
            if (len + n <= cap) {
                memmove(buf + at + n, buf + at, len - at);
                len += n;
            }
            break;
        }
        default: { /* insert a token-ish string */
            const char *s = inserts[next() % (sizeof inserts / sizeof inserts[0])];
            size_t n = strlen(s);
            if (len + n <= cap) {
                memmove(buf + at + n, buf + at, len - at);
                memcpy(buf + at, s, n);
                len += n;
            }
            break;
        }
        }
    }
    return len;
}

int main(int argc, char **argv)
{
    const char *env = getenv("WAT_MUTATIONS");
    long per_file = env ? atol(env) : 20;
    env = getenv("WAT_MUTATE_SEED");
    uint64_t seed = env ? (uint64_t)atoll(env) : 1;
    unsigned long runs = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            fprintf(stderr, "wat_mutate: cannot read %s\n", argv[i]);
            return 1;
        }
        uint8_t *orig = NULL;
        size_t len = 0, cap = 0, r;
        do {
            if (len == cap) {
                cap = cap ? cap * 2 : 1 << 16;
                uint8_t *g = realloc(orig, cap);
                if (!g)
                    return 1;
                orig = g;
            }
            r = fread(orig + len, 1, cap - len, f);
            len += r;
        } while (r > 0);
        fclose(f);
        size_t room = len + 4096;
        uint8_t *buf = malloc(room);
        if (!buf)
            return 1;
        for (long k = 0; k < per_file; k++) {
            rng_state = (seed * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)i << 32) ^ (uint64_t)k ^ 0x5DEECE66Dull;
            if (!rng_state)
                rng_state = 1;
            memcpy(buf, orig, len);
            size_t n = mutate(buf, len, room);
            /* the exact-size copy inside the harness catches reads past the end */
            LLVMFuzzerTestOneInput(buf, n);
            runs++;
        }
        free(buf);
        free(orig);
    }
    printf("wat_mutate: %lu mutants of %d files, every check passed\n", runs, argc - 1);
    return 0;
}
