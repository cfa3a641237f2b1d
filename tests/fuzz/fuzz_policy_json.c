/* the policy JSON loader (policy/policy_json.c)
 * Properties checked on every input (policy.h, policy/README.md):
 * - wb_policy_load_json never crashes, leaks or reads past the text it is
 *   given (a buffer of exactly the input's size, not NUL-terminated), and
 *   every refusal has a message naming the file;
 * - an accepted policy printed by wb_policy_print_json loads again, and
 *   prints the same ("loadable again to the same policy").
 * wb_policy_check is not called: it looks at host paths the text names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../policy/policy.h"

#define FAIL(...) (fprintf(stderr, "fuzz_policy_json: " __VA_ARGS__), fputc('\n', stderr), abort())

static char *print(const wb_policy *p, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    if (!f)
        abort();
    if (!wb_policy_print_json(p, f))
        FAIL("an accepted policy cannot be printed");
    fclose(f);
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    char err[WB_POLICY_ERR_MAX] = "";
    wb_policy p;
    wb_policy_init(&p);
    bool ok = wb_policy_load_json(&p, "fuzz.json", text, size, err, sizeof err);
    if (!ok && strncmp(err, "fuzz.json", 9))
        FAIL("refusal does not name the file: \"%s\"", err);
    if (ok) {
        size_t n1, n2;
        char *once = print(&p, &n1);
        wb_policy q;
        wb_policy_init(&q);
        if (!wb_policy_load_json(&q, "printed.json", once, n1, err, sizeof err))
            FAIL("printed policy does not load again: %s\n--- input\n%.*s\n--- printed\n%s", err,
                 (int)size, text, once);
        char *twice = print(&q, &n2);
        if (n1 != n2 || memcmp(once, twice, n1))
            FAIL("printed policy loads to a different one\n--- first\n%s\n--- second\n%s", once,
                 twice);
        free(once);
        free(twice);
        wb_policy_free(&q);
    }
    wb_policy_free(&p);
    free(text);
    return 0;
}
