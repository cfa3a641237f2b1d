/* The state of one run of the spec runner over one wast2json JSON file, shared
 * by the command executor (spec_commands.c) and main (spec_runner.c).
 */
#ifndef WASMBOX_SPEC_RUNNER_H
#define WASMBOX_SPEC_RUNNER_H

#include "spec_host.h"
#include "spec_json.h"
#include "../vm/vm.h"
#include "../wat/wast.h"

#include <stdbool.h>
#include <stddef.h>

/* An instance known by a name: "$M" from a module command, or the name given
 * by register. instance is NULL when the module of that name failed. */
typedef struct spec_binding {
    spec_name name;
    wb_instance *instance;
} spec_binding;

typedef struct spec_bindings {
    spec_binding *items;
    size_t count, cap;
} spec_bindings;

/* Module definitions of a script ((module definition $M ...), WebAssembly
 * 3.0 scripts): a name, or none, and the module's "filename". */
typedef struct spec_definition {
    spec_name name; /* len 0: unnamed */
    char *filename;
} spec_definition;

typedef struct spec_definitions {
    spec_definition *items;
    size_t count, cap;
} spec_definitions;

typedef struct spec_ctx {
    const char *wast_name; /* the .wast file's base name, for messages */
    const char *json_dir;  /* where the .wasm files of the JSON are */
    const wast_script *wast; /* a .wast read in-process: its modules, by "filename" */
    spec_json json;
    wb_store *store;
    spec_host *host;
    wb_instance *current;    /* the last module instantiated, NULL if it failed */
    spec_bindings named;     /* "$M" -> instance */
    spec_bindings registered; /* register "as" -> instance */
    spec_definitions definitions; /* module definitions, in script order */
    unsigned long passed, failed;
    unsigned long text_not_run; /* assert_malformed on text modules, not run */
    bool verbose;
} spec_ctx;

/* Runs one command object of the JSON "commands" array. */
void spec_run_command(spec_ctx *ctx, const cJSON *command);

/* Whether a command is counted (any but register and assert_malformed on a
 * text module), without running it: the runner's --count mode. */
bool spec_command_counts(const cJSON *command);

/* The line of the command being run, for the crash handler. */
extern volatile long spec_current_line;

void spec_bindings_free(spec_bindings *b);
void spec_definitions_free(spec_definitions *d);

#endif
