/* Reading module files whole (or stdin, written "-"), with a size cap and
 * errors that name the file; and recognising files that are not core
 * modules, so the message says what the file is. */
#include "cli.h"

#include "../wat/wat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads f to its end (stdin: its size is not known up front). */
static uint8_t *read_stream(FILE *f, const char *path, size_t *len, char *err, size_t errlen)
{
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
        if (n == cap) {
            if (cap > CLI_MAX_MODULE_BYTES) {
                snprintf(err, errlen, "%s: more than %zu bytes", path, CLI_MAX_MODULE_BYTES);
                free(buf);
                return NULL;
            }
            uint8_t *grown = realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
    }
    if (!buf) {
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
        free(buf);
        return NULL;
    }
    if (n > CLI_MAX_MODULE_BYTES) {
        snprintf(err, errlen, "%s: more than %zu bytes", path, CLI_MAX_MODULE_BYTES);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* With a hook, the file is read this much at a time, the hook told after
 * each piece: small enough to be still in the CPU's cache (L2) when the
 * hook hashes it (module_digest.h), large enough that the extra read calls
 * cost nothing (216 for the 56 MB module). */
#define HOOK_PIECE ((size_t)256 << 10)

/* Reads size bytes of fd into buf: false on an error or an early end (the
 * file shrank after fstat). Each piece read goes to the hook, if any. */
static bool read_all(int fd, uint8_t *buf, size_t size, cli_read_hook *hook)
{
    size_t n = 0;
    while (n < size) {
        size_t want = size - n;
        if (hook && want > HOOK_PIECE)
            want = HOOK_PIECE;
        ssize_t got = read(fd, buf + n, want);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        n += (size_t)got;
        if (hook)
            hook->read(hook->ctx, buf, n);
    }
    return true;
}

/* A module of this size or more is read into 2 MiB pages. */
#define HUGE_PAGE ((size_t)2 << 20)
#define HUGE_MIN (4 * HUGE_PAGE)

/* The buffer for a file of size bytes, made resident in one call (not a
 * fault per page), in 2 MiB pages where whole ones fit (wb_prefault,
 * vm/prefault.c); freed with free(). A large one is aligned to 2 MiB so
 * that all of it is in huge pages: 27 for the 56 MB module instead of
 * 14,000 of 4 KiB. On the build machine (a VM, where each 4 KiB page's
 * mapping is costly to make and to miss in the TLB) reading and hashing
 * the 56 MB went from ~290 ms to ~72 ms of CPU at load 12 (bench/README.md
 * "Large modules"). */
static uint8_t *module_buffer(size_t size)
{
    void *p = NULL;
    if (size < HUGE_MIN)
        p = malloc(size ? size : 1);
    else if (posix_memalign(&p, HUGE_PAGE, size) != 0)
        p = NULL;
    if (p)
        wb_prefault(p, size);
    return p;
}

/* A named file is read with open and read, not stdio: fopen and fread sit
 * in a 64 KB window of libc's code that nothing else in a run touches
 * (bench/README.md "Start-up, third pass"). */
uint8_t *cli_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    return cli_read_file_hooked(path, len, NULL, err, errlen);
}

uint8_t *cli_read_file_hooked(const char *path, size_t *len, cli_read_hook *hook, char *err,
                              size_t errlen)
{
    if (hook)
        hook->whole = false;
    if (!strcmp(path, "-"))
        return read_stream(stdin, "- (stdin)", len, err, errlen);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        close(fd);
        return NULL;
    }
    if ((uint64_t)st.st_size > CLI_MAX_MODULE_BYTES) {
        snprintf(err, errlen, "%s: file is larger than %zu bytes", path, CLI_MAX_MODULE_BYTES);
        close(fd);
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    uint8_t *buf = module_buffer(size);
    if (!buf) {
        snprintf(err, errlen, "%s: out of memory", path);
        close(fd);
        return NULL;
    }
    if (!read_all(fd, buf, size, hook)) {
        snprintf(err, errlen, "%s: read error", path);
        free(buf);
        close(fd);
        return NULL;
    }
    close(fd);
    *len = size;
    /* A text module (.wat) becomes its binary here (tools/cli_wat.c): the
     * hook then saw the text, not the bytes returned. */
    if (hook)
        hook->whole = !wat_is_text(buf, size);
    return cli_wat_convert(path, buf, len, err, errlen);
}

/* Whether the text starts (after blanks and ";;" / "(;...;)" comments) with
 * "(module" or "(component": the WebAssembly text format. */
static bool looks_like_wat(const uint8_t *b, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
            i++;
        } else if (i + 1 < len && b[i] == ';' && b[i + 1] == ';') {
            while (i < len && b[i] != '\n')
                i++;
        } else if (i + 1 < len && b[i] == '(' && b[i + 1] == ';') {
            /* block comment, not nested here: enough to see what follows */
            i += 2;
            while (i + 1 < len && !(b[i] == ';' && b[i + 1] == ')'))
                i++;
            i += 2;
        } else {
            break;
        }
    }
    static const char *const heads[] = {"(module", "(component"};
    for (size_t k = 0; k < 2; k++) {
        size_t n = strlen(heads[k]);
        if (i + n <= len && !memcmp(b + i, heads[k], n) &&
            (i + n == len || strchr(" \t\r\n()$;", b[i + n])))
            return true;
    }
    return false;
}

const char *cli_module_kind_problem(const uint8_t *bytes, size_t len)
{
    static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6d};
    if (len >= 8 && !memcmp(bytes, magic, 4)) {
        /* the version field: 1 (core), or 0x0d with layer 1 (a component) */
        if (bytes[4] == 0x0d && bytes[5] == 0x00 && bytes[6] == 0x01 && bytes[7] == 0x00)
            return "this is a WebAssembly component (layer 1); wasmbox runs core modules "
                   "(build for wasm32-wasi / wasip1, or extract the core module)";
        return NULL;
    }
    if (looks_like_wat(bytes, len))
        return "this looks like WebAssembly text; wasmbox reads the binary format: convert "
               "it with wat2wasm (wabt) first";
    return NULL;
}
