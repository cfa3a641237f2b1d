/* The round trip of wasm2wat (wat/print.c) and the reader: for every module
 * file named, when the engine validates it: A (the file) -> text -> B (read
 * back) -> text -> C. B must validate and equal C (printing what the reader
 * wrote and reading it again changes nothing), and, for a module the reader
 * wrote itself (not listed with -b, the files of (module binary ...) whose
 * encoding may be another compiler's), B must equal A. Prints the counts;
 * exit 1 on any failure. Used by tests/e2e/wat_roundtrip.sh.
 *
 *   wat_roundtrip [-b BINARY_LIST]... FILE.wasm...
 */
#include "../../vm/vm.h"
#include "../../wat/wat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, r;
    uint8_t *b = malloc(cap);
    while (b && (r = fread(b + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            uint8_t *g = realloc(b, cap *= 2);
            if (!g)
                free(b);
            b = g;
        }
    }
    fclose(f);
    *len = n;
    return b;
}

/* Whether path's base name is a line of one of the -b lists (given as
 * "DIR/binary.txt": names relative to DIR). */
static bool listed(const char *path, char **lists, int nlists)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) : 0;
    const char *base = slash ? slash + 1 : path;
    for (int i = 0; i < nlists; i++) {
        const char *ls = strrchr(lists[i], '/');
        size_t ldir = ls ? (size_t)(ls - lists[i]) : 0;
        if (ldir != dirlen || strncmp(lists[i], path, dirlen) != 0)
            continue;
        FILE *f = fopen(lists[i], "r");
        if (!f)
            continue;
        char line[256];
        bool found = false;
        while (!found && fgets(line, sizeof line, f)) {
            line[strcspn(line, "\n")] = '\0';
            found = strcmp(line, base) == 0;
        }
        fclose(f);
        if (found)
            return true;
    }
    return false;
}

static bool to_text_and_back(const uint8_t *in, size_t in_len, uint8_t **out, size_t *out_len, char *why,
                             size_t why_len)
{
    char *text;
    size_t text_len;
    wat_error err;
    if (!wasm_to_wat(in, in_len, &text, &text_len, &err)) {
        snprintf(why, why_len, "wasm2wat: %s", err.message);
        return false;
    }
    bool ok = wat_to_wasm(text, text_len, out, out_len, &err);
    if (!ok)
        snprintf(why, why_len, "read back: %u:%u: %s", err.line, err.col, err.message);
    free(text);
    return ok;
}

int main(int argc, char **argv)
{
    char **lists = calloc((size_t)argc, sizeof *lists);
    int nlists = 0;
    unsigned long exact = 0, stable = 0, invalid = 0, failed = 0, simd_text = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-b") == 0 && i + 1 < argc) {
            lists[nlists++] = argv[++i];
            continue;
        }
        size_t alen;
        uint8_t *a = slurp(argv[i], &alen);
        if (!a) {
            printf("FAIL %s: cannot read\n", argv[i]);
            failed++;
            continue;
        }
        wb_error verr;
        memset(&verr, 0, sizeof verr);
        if (!wb_module_validate(a, alen, &verr)) {
            invalid++;
            free(a);
            continue;
        }
        char why[400];
        uint8_t *b = NULL, *c = NULL;
        size_t blen = 0, clen = 0;
        bool from_binary = listed(argv[i], lists, nlists);
        if (!to_text_and_back(a, alen, &b, &blen, why, sizeof why)) {
            if (strstr(why, "is not readable yet")) {
                simd_text++; /* SIMD text: the reader does not read it yet (wat/) */
            } else {
                printf("FAIL %s: %s\n", argv[i], why);
                failed++;
            }
        } else if (!wb_module_validate(b, blen, &verr)) {
            printf("FAIL %s: read back, it does not validate: %s\n", argv[i], verr.message);
            failed++;
        } else if (!to_text_and_back(b, blen, &c, &clen, why, sizeof why)) {
            printf("FAIL %s: second round: %s\n", argv[i], why);
            failed++;
        } else if (clen != blen || memcmp(b, c, blen) != 0) {
            printf("FAIL %s: a second round changed the bytes\n", argv[i]);
            failed++;
        } else if (!from_binary && (alen != blen || memcmp(a, b, alen) != 0)) {
            printf("FAIL %s: the reader's module does not read back to the same bytes\n", argv[i]);
            failed++;
        } else if (from_binary) {
            stable++;
        } else {
            exact++;
        }
        free(a);
        free(b);
        free(c);
    }
    printf("wat_roundtrip: %lu the same bytes, %lu (module binary) stable after one round, "
           "%lu not valid (skipped), %lu with SIMD text the reader does not read yet (skipped), "
           "%lu failed\n",
           exact, stable, invalid, simd_text, failed);
    free(lists);
    return failed ? 1 : 0;
}
