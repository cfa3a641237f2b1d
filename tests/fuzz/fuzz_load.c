/* module decode, validate and translate (vm/), both translations
 * Properties checked on every input (vm/README.md):
 * - wb_module_validate and wb_module_load, under the optimised and the
 *   reference translation (and the optimised one with a value stack too
 *   small for big frames), never crash, leak or read past the bytes given;
 * - they agree: a module that validates loads every time
 *   (unless the host is out of memory), and one that does not is refused by
 *   all with the same kind and message as the validator's;
 * - an error's offset lies within the module (or at its end) and is the one
 *   its message names;
 * - a loaded module's imports and exports can all be described. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../vm/vm.h"

#define FAIL(...) (fprintf(stderr, "fuzz_load: " __VA_ARGS__), fputc('\n', stderr), abort())

static void check_error(const wb_error *e, size_t size, const char *who)
{
    char at[40];
    snprintf(at, sizeof at, "offset 0x%zx: ", e->offset);
    if (e->kind == WB_ERR_NONE || !strstr(e->message, at))
        FAIL("%s: error kind %d, message \"%s\" does not name its offset 0x%zx", who, e->kind,
             e->message, e->offset);
    if (e->offset > size && e->kind != WB_ERR_NOMEM)
        FAIL("%s: error offset 0x%zx beyond the module's %zu bytes: %s", who, e->offset, size,
             e->message);
}

static void describe_all(const wb_module *m)
{
    wb_extern_desc d;
    for (uint32_t i = 0; i < wb_module_import_count(m); i++) {
        wb_module_import(m, i, &d);
        if (!d.module || !d.name)
            FAIL("import %u has no name", i);
    }
    for (uint32_t i = 0; i < wb_module_export_count(m); i++) {
        wb_module_export(m, i, &d);
        if (!d.name)
            FAIL("export %u has no name", i);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *bytes = malloc(size ? size : 1);
    if (!bytes)
        return 0;
    memcpy(bytes, data, size);
    wb_error verr;
    bool valid = wb_module_validate(bytes, size, &verr);
    if (!valid)
        check_error(&verr, size, "validate");
    /* the third: a value stack of 1 KiB, so functions whose frame cannot fit
     * are translated to a stub that traps (vm/README.md) */
    static const wb_translation modes[] = {WB_TRANSLATE_OPTIMIZED, WB_TRANSLATE_REFERENCE,
                                           WB_TRANSLATE_OPTIMIZED};
    static const char *const names[] = {"optimised load", "reference load",
                                        "optimised load with a 1 KiB stack"};
    for (int i = 0; i < 3; i++) {
        wb_limits lim = wb_default_limits();
        if (i == 2)
            lim.max_stack = 1024;
        wb_store *s = wb_store_new(&lim);
        if (!s)
            abort();
        wb_store_set_translation(s, modes[i]);
        wb_error err;
        wb_module *m = wb_module_load(s, bytes, size, &err);
        if (m) {
            if (!valid)
                FAIL("%s accepts a module the validator refuses: %s", names[i], verr.message);
            /* functions are translated on first call: translate them all,
             * so that every body the validator accepts meets the
             * translator (and, in SAN builds, the verifier) */
            wb_error terr;
            if (!wb_module_translate_all(m, &terr) && terr.kind != WB_ERR_NOMEM)
                FAIL("%s cannot translate a valid module: %s", names[i], terr.message);
            describe_all(m);
        } else {
            check_error(&err, size, names[i]);
            if (valid && err.kind != WB_ERR_NOMEM)
                FAIL("%s refuses a module that validates: %s", names[i], err.message);
            if (!valid && (err.kind != verr.kind || strcmp(err.message, verr.message)))
                FAIL("%s says \"%s\", the validator \"%s\"", names[i], err.message, verr.message);
        }
        wb_store_free(s);
    }
    free(bytes);
    return 0;
}
