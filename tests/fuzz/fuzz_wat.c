/* the text-format reader (wat/): modules and .wast scripts
 * Properties checked on every input (wat.h, wast.h):
 * - wat_to_wasm and wast_read never crash, leak, hang or read outside the
 *   bytes they are given (the input is copied to a buffer of exactly its
 *   size; it may hold NULs);
 * - a refusal has a message and a line and column inside the text (line at
 *   most the number of newlines + 1, column at least 1);
 * - an accepted module starts with the binary header, and reading the same
 *   text again gives the same bytes (no hidden state); when the engine
 *   validates it, wasm_to_wat prints it as text that reads back to the
 *   same bytes;
 * - an accepted script is NUL-terminated JSON text that names only modules
 *   it holds ("filename"s found by wast_blob_find). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../vm/vm.h"
#include "../../wat/wast.h"
#include "../../wat/wat.h"

#define FAIL(...) (fprintf(stderr, "fuzz_wat: " __VA_ARGS__), fputc('\n', stderr), abort())

static void check_error(const wat_error *err, const char *text, size_t size)
{
    if (!err->message[0])
        FAIL("refused without a message");
    if (strcmp(err->message, "out of memory") == 0)
        return;
    size_t lines = 1;
    for (size_t k = 0; k < size; k++)
        lines += text[k] == '\n' || (text[k] == '\r' && (k + 1 >= size || text[k + 1] != '\n'));
    if (err->line < 1 || err->line > lines || err->col < 1)
        FAIL("error at %u:%u, outside a text of %zu lines: %s", err->line, err->col, lines, err->message);
}

static void check_script(const wast_script *s)
{
    if (!s->json || strlen(s->json) != s->json_len)
        FAIL("script JSON is not one NUL-terminated string");
    const char *p = s->json;
    while ((p = strstr(p, "\"filename\": \"")) != NULL) {
        p += strlen("\"filename\": \"");
        const char *end = strchr(p, '"');
        if (!end || end - p >= 32)
            FAIL("bad filename in the script JSON");
        char name[32];
        memcpy(name, p, (size_t)(end - p));
        name[end - p] = '\0';
        if (!wast_blob_find(s, name))
            FAIL("the script names a module it does not hold: %s", name);
        p = end;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);

    uint8_t *out = NULL, *again = NULL;
    size_t len = 0, len2 = 0;
    wat_error err;
    if (wat_to_wasm(text, size, &out, &len, &err)) {
        static const uint8_t header[8] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
        if (len < 8 || memcmp(out, header, 8) != 0)
            FAIL("accepted module without the binary header");
        wat_error err2;
        if (!wat_to_wasm(text, size, &again, &len2, &err2) || len2 != len || memcmp(out, again, len) != 0)
            FAIL("the same text read twice gave different results");
        wb_error verr;
        memset(&verr, 0, sizeof verr);
        if (wb_module_validate(out, len, &verr)) {
            char *wat;
            size_t wat_len;
            uint8_t *back;
            size_t back_len;
            if (!wasm_to_wat(out, len, &wat, &wat_len, &err))
                FAIL("wasm2wat refused a valid module the reader wrote: %s", err.message);
            if (!wat_to_wasm(wat, wat_len, &back, &back_len, &err))
                FAIL("wasm2wat's text does not read back: %u:%u: %s", err.line, err.col, err.message);
            if (back_len != len || memcmp(back, out, len) != 0)
                FAIL("wasm2wat's text reads back to other bytes");
            free(wat);
            free(back);
        }
        free(out);
        free(again);
    } else {
        if (out)
            FAIL("refused but returned bytes");
        check_error(&err, text, size);
    }

    wast_script script;
    if (wast_read(text, size, "fuzz.wast", &script, &err)) {
        check_script(&script);
        wast_script_free(&script);
    } else {
        check_error(&err, text, size);
    }
    free(text);
    return 0;
}
