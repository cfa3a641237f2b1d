/* Wasmtime's -W and -S option keys, mapped onto ours (cli_wasmtime.c), and
 * the list of policy flags a command line gave, applied after the policy
 * file. */
#ifndef WASMBOX_TOOLS_CLI_WASMTIME_H
#define WASMBOX_TOOLS_CLI_WASMTIME_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cli_wasmtime_key {
    const char *key;     /* "max-memory-size" */
    const char *flag;    /* our policy flag it sets ("--max-memory"), or NULL */
    const char *refusal; /* non-NULL: refused, and this says why and what to write */
    const char *help;
} cli_wasmtime_key;

extern const cli_wasmtime_key cli_wasm_keys[]; /* -W */
extern const size_t cli_nwasm_keys;
extern const cli_wasmtime_key cli_wasi_keys[]; /* -S */
extern const size_t cli_nwasi_keys;

/* One policy flag to apply: the flag, where it was written ("--fuel",
 * "-W fuel"), and its value (owned). */
typedef struct cli_flag {
    const char *flag;
    char origin[80];
    char *value;
} cli_flag;

typedef struct cli_flag_list {
    cli_flag *items;
    size_t count;
} cli_flag_list;

bool cli_flag_list_add(cli_flag_list *l, const char *flag, const char *opt, const char *key,
                       const char *value);
void cli_flag_list_free(cli_flag_list *l);

/* Expands one "-W SPEC" or "-S SPEC" (opt is "-W" or "-S") into policy flags
 * appended to out; false with a usage message in err (unknown key, naming
 * the known ones; a refused key, saying why and what to write instead). */
bool cli_wasmtime_expand(const char *opt, const char *spec, cli_flag_list *out, char *err,
                         size_t errlen);

#endif
