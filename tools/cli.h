/* Shared pieces of the wasmbox command-line tool. */
#ifndef WASMBOX_TOOLS_CLI_H
#define WASMBOX_TOOLS_CLI_H

#include "../vm/vm.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes: each means one thing. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAIL = 1,   /* the input was rejected (invalid module, bad policy) */
    CLI_EXIT_USAGE = 2,  /* the command line was wrong */
    CLI_EXIT_TRAP = 134, /* the guest trapped */
    CLI_EXIT_LIMIT = 137 /* a limit stopped the guest */
};

/* Largest module file we read. */
#define CLI_MAX_MODULE_BYTES ((size_t)1 << 30)

/* Reads a whole file; prints "wasmbox: PATH: reason" and returns NULL on failure. */
uint8_t *cli_read_file(const char *path, size_t *len);

/* Parses text as a value of `type` into *out; false if it does not fit. */
bool cli_parse_value(const char *text, wb_type type, wb_value *out);
/* Formats a value: integers as signed decimal, floats as the shortest
 * decimal that reads back to the same bits. */
void cli_format_value(const wb_value *v, char *buf, size_t len);
const char *cli_type_name(wb_type type);

int cli_validate(int argc, char **argv);
int cli_run(int argc, char **argv);

#endif
