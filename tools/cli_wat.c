/* The text format on the command line: `wasmbox wat2wasm FILE.wat -o
 * FILE.wasm` (the module is validated first; nothing is written for one
 * that is refused), and the conversion cli_read_file applies to any module file
 * that is text (so `run`, `validate` and `disasm` take .wat files too).
 * The reader is wat/ (outside the trusted core); what it writes goes through
 * the engine's decoder and validator like any other bytes.
 */
#include "cli.h"

#include "../wat/wat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint8_t *cli_wat_convert(const char *path, uint8_t *bytes, size_t *len, char *err, size_t errlen)
{
    if (!wat_is_text(bytes, *len))
        return bytes;
    uint8_t *out;
    size_t out_len;
    wat_error werr;
    bool ok = wat_to_wasm((const char *)bytes, *len, &out, &out_len, &werr);
    free(bytes);
    if (!ok) {
        snprintf(err, errlen, "%s:%u:%u: %s", path, werr.line, werr.col, werr.message);
        return NULL;
    }
    *len = out_len;
    return out;
}

/* Both commands take one file and -o FILE: *in is NULL when the arguments
 * are anything else (the caller prints its usage). */
static void read_in_out(int argc, char **argv, const char **in, const char **out)
{
    *in = *out = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc && !*out) {
            *out = argv[++i];
        } else if (argv[i][0] != '-' && !*in) {
            *in = argv[i];
        } else {
            *in = NULL;
            return;
        }
    }
}

/* `wasmbox wasm2wat FILE.wasm [-o FILE.wat]`: validated, then printed as
 * text (stdout by default). */
int cli_wasm2wat(int argc, char **argv)
{
    const char *in, *out;
    read_in_out(argc, argv, &in, &out);
    if (!in) {
        fprintf(stderr, "usage: wasmbox wasm2wat FILE.wasm [-o FILE.wat]\n");
        return CLI_EXIT_USAGE;
    }
    char why[512];
    size_t len;
    uint8_t *bytes = cli_read_file(in, &len, why, sizeof why);
    if (!bytes) {
        fprintf(stderr, "wasmbox: %s\n", why);
        return CLI_EXIT_FAIL;
    }
    wb_error verr;
    memset(&verr, 0, sizeof verr);
    if (!wb_module_validate(bytes, len, &verr)) {
        fprintf(stderr, "wasmbox: %s: %s\n", in, verr.message);
        free(bytes);
        return CLI_EXIT_FAIL;
    }
    char *text;
    size_t text_len;
    wat_error werr;
    bool ok = wasm_to_wat(bytes, len, &text, &text_len, &werr);
    free(bytes);
    if (!ok) {
        fprintf(stderr, "wasmbox: %s: %s\n", in, werr.message);
        return CLI_EXIT_FAIL;
    }
    FILE *f = out ? fopen(out, "wb") : stdout;
    if (!f) {
        fprintf(stderr, "wasmbox: %s: %s\n", out, strerror(errno));
        free(text);
        return CLI_EXIT_FAIL;
    }
    ok = fwrite(text, 1, text_len, f) == text_len;
    ok = (out ? fclose(f) : fflush(f)) == 0 && ok;
    free(text);
    if (!ok) {
        fprintf(stderr, "wasmbox: %s: write error\n", out ? out : "stdout");
        return CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}

int cli_wat2wasm(int argc, char **argv)
{
    const char *in, *out;
    read_in_out(argc, argv, &in, &out);
    if (!in || !out) {
        fprintf(stderr, "usage: wasmbox wat2wasm FILE.wat -o FILE.wasm\n");
        return CLI_EXIT_USAGE;
    }
    char why[512];
    size_t len;
    uint8_t *bytes = cli_read_file(in, &len, why, sizeof why);
    if (!bytes) {
        fprintf(stderr, "wasmbox: %s\n", why);
        return CLI_EXIT_FAIL;
    }
    /* Written only when the engine would load it: a module that reads as
     * text but does not validate is reported like `validate` does. */
    wb_error verr;
    memset(&verr, 0, sizeof verr);
    if (!wb_module_validate(bytes, len, &verr)) {
        fprintf(stderr, "wasmbox: %s: %s\n", in, verr.message);
        free(bytes);
        return CLI_EXIT_FAIL;
    }
    FILE *f = fopen(out, "wb");
    if (!f) {
        fprintf(stderr, "wasmbox: %s: %s\n", out, strerror(errno));
        free(bytes);
        return CLI_EXIT_FAIL;
    }
    bool ok = fwrite(bytes, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    free(bytes);
    if (!ok) {
        fprintf(stderr, "wasmbox: %s: write error\n", out);
        remove(out);
        return CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}
