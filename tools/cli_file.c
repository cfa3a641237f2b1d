/* Reading module files whole, with a size cap and errors that name the file. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

uint8_t *cli_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "wasmbox: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(stderr, "wasmbox: %s: not a regular file\n", path);
        fclose(f);
        return NULL;
    }
    if ((uint64_t)st.st_size > CLI_MAX_MODULE_BYTES) {
        fprintf(stderr, "wasmbox: %s: file is larger than %zu bytes\n", path, CLI_MAX_MODULE_BYTES);
        fclose(f);
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf) {
        fprintf(stderr, "wasmbox: %s: out of memory\n", path);
        fclose(f);
        return NULL;
    }
    if (fread(buf, 1, size, f) != size) {
        fprintf(stderr, "wasmbox: %s: read error\n", path);
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = size;
    return buf;
}
