/* Shared pieces of the wasmbox command-line tool. */
#ifndef WASMBOX_TOOLS_CLI_H
#define WASMBOX_TOOLS_CLI_H

#include "../policy/policy.h"
#include "../vm/vm.h"
#include "../wasi/wasi.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Exit codes: each means one thing. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAIL = 1,   /* the input was rejected (invalid module, bad policy) */
    CLI_EXIT_USAGE = 2,  /* the command line was wrong */
    CLI_EXIT_EXCEPTION = 133, /* a wasm exception the guest threw was not caught */
    CLI_EXIT_TRAP = 134, /* the guest trapped */
    CLI_EXIT_LIMIT = 137 /* a limit stopped the guest */
};

/* Largest module file we read. */
#define CLI_MAX_MODULE_BYTES ((size_t)1 << 30)

/* Reads a whole module file ("-": stdin); NULL with "PATH: reason" in err on
 * failure. A file in the text format is converted to its binary
 * (cli_wat_convert). */
uint8_t *cli_read_file(const char *path, size_t *len, char *err, size_t errlen);
/* What cli_read_file_hooked tells as a named file is read: `read` is
 * called after each piece with the buffer and how much of it is filled
 * (bytes [0, upto) of buf, final from then on). `whole` comes back true
 * only if the bytes returned are exactly those (false for stdin and for a
 * text module, whose binary is made afterwards). */
typedef struct cli_read_hook {
    void (*read)(void *ctx, const uint8_t *buf, size_t upto);
    void *ctx;
    bool whole;
} cli_read_hook;
uint8_t *cli_read_file_hooked(const char *path, size_t *len, cli_read_hook *hook, char *err,
                              size_t errlen);
/* Takes bytes (malloc'd): returns them as they are when they are not text,
 * else frees them and returns the module's binary (updating *len), or NULL
 * with "PATH:LINE:COL: reason" in err (tools/cli_wat.c). */
uint8_t *cli_wat_convert(const char *path, uint8_t *bytes, size_t *len, char *err, size_t errlen);
int cli_wat2wasm(int argc, char **argv);
int cli_wasm2wat(int argc, char **argv);
/* What a file that is not a core module is, when it is recognisably
 * something else (a component, WebAssembly text): the message to give
 * instead of the decoder's; NULL otherwise. */
const char *cli_module_kind_problem(const uint8_t *bytes, size_t len);

/* Parses text as a value of `type` into *out; false if it does not fit, with
 * *why saying so ("is not a valid i32", "is out of range for f32 ..."). A
 * float literal whose magnitude is beyond the type's (1e40 for f32) or that
 * is not 0 but would round to 0 (1e-50) is refused, never made inf or 0. */
bool cli_parse_value(const char *text, wb_type type, wb_value *out, const char **why);
/* Formats a value: integers as signed decimal, floats as the shortest
 * decimal that reads back to the same bits. */
void cli_format_value(const wb_value *v, char *buf, size_t len);
const char *cli_type_name(wb_type type);

int cli_validate(int argc, char **argv);
int cli_disasm(int argc, char **argv);
int cli_run(int argc, char **argv);
int cli_policy(int argc, char **argv);
int cli_tool(int argc, char **argv); /* cli_tool.c: the tool bridge */

/* ---- run: the sandbox a policy describes (cli_sandbox.c) ---- */

/* Everything the engine and the WASI shim need, derived from a checked policy.
 * Owns the arrays it builds; the strings stay the policy's. */
typedef struct cli_sandbox {
    wb_limits limits;
    wb_wasi_config wasi;   /* args/env/dirs point into the policy and below */
    wb_wasi_dir *dirs;
    const char **argv;     /* argv[0] = the module's file name, then policy args */
    wb_audit *audit;       /* NULL when the policy has no audit log; capped (policy.h) */
    uint64_t memory_refusals; /* memory.grow/table.grow answered -1 at max_memory */
} cli_sandbox;

/* Builds the sandbox; false with a message in err (e.g. the audit log cannot
 * be opened). module_path names argv[0]. */
bool cli_sandbox_init(cli_sandbox *sb, const wb_policy *p, const char *module_path, char *err,
                      size_t errlen);
void cli_sandbox_free(cli_sandbox *sb);
/* Audits the memory budget's refusals of this store (limit.memory records). */
void cli_sandbox_watch_store(cli_sandbox *sb, wb_store *store);
/* Audits the start of a run: module, its SHA-256 (`sha256` if given, taken
 * as the file was read; else hashed here), and a summary of the policy. */
void cli_sandbox_audit_start(const cli_sandbox *sb, const wb_policy *p, const char *module_path,
                             const uint8_t *bytes, size_t len, const unsigned char *sha256);

/* ---- run: the wall-clock timer and the hard stop (cli_timer.c) ---- */

/* How long after the deadline (or after the guest stopped, if later) the
 * process ends itself when the guest is still not stopped or the run's end is
 * still not written; and how long the hard stop's own writes may take. */
#define CLI_HARD_STOP_MS 60
#define CLI_BACKSTOP_MS 20
/* Once the guest has stopped, how much longer the run's end may take to be
 * written while the main thread is runnable (slow on a loaded machine, not
 * blocked on a reader): cli_timer.c. */
#define CLI_FINISH_SLOW_MS 2000
/* How long wasmbox's own closing line waits for room on a full stderr pipe
 * in a run with a deadline, before it gives up (the report and audit log
 * still carry it). */
#define CLI_CLOSING_LINE_WAIT_MS 20

/* The hard stop, called on the timer's thread, after which the process exits
 * with CLI_EXIT_LIMIT: write what can be written of the run's end.
 * guest_stopped: the main thread had the outcome and was writing it (then
 * leave the report and audit alone: it may be in the middle of them). */
typedef void (*cli_hard_stop_fn)(void *user, bool guest_stopped);

typedef struct cli_timer cli_timer;
/* Starts a thread that, ms milliseconds from now, interrupts the store and the
 * WASI shim, then watches the run end (see CLI_HARD_STOP_MS). NULL (with a
 * message in err) if the thread cannot be made. */
cli_timer *cli_timer_start(uint64_t ms, wb_store *store, wb_wasi *wasi, cli_hard_stop_fn fn,
                           void *user, char *err, size_t errlen);
/* The deadline, as CLOCK_MONOTONIC milliseconds rounded up. */
int64_t cli_timer_deadline_ms(const cli_timer *t);
/* The guest stopped: returns whether the deadline was reached (the timer
 * fired, or it has passed). The thread goes on watching until
 * cli_timer_free. Never returns once the hard stop has begun. A NULL timer
 * never fired. */
bool cli_timer_stop(cli_timer *t);
/* The run's end is written: stops the thread and frees t. The thread is
 * left parked, not joined (it touches nothing any more; the process ends
 * after the run): a thread that ends runs libc's per-thread clean-up, whose
 * code is otherwise never touched (bench/README.md "Start-up"). */
void cli_timer_free(cli_timer *t);
/* Milliseconds of a monotonic clock, for measuring runs. */
uint64_t cli_now_ms(void);
/* Whether thread tid of this process is running or waiting for a CPU (the
 * kernel's state 'R' in /proc/self/task/TID/stat), not blocked; false when
 * that cannot be read. */
bool cli_thread_runnable(pid_t tid);

/* Writes one line (formatted; a newline is added) to fd all at once, waiting
 * at most wait_ms for room (-1: as long as it takes): a pipe nobody reads
 * must not hold the process past its deadline. Lines are under PIPE_BUF, so
 * a pipe gets the whole line or none of it. False if it was not written. */
bool cli_write_line(int fd, int wait_ms, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- run: how it ended (cli_report.c) ---- */

typedef enum cli_status {
    CLI_STATUS_EXITED, /* _start returned or the guest called proc_exit */
    CLI_STATUS_TRAP,   /* the guest trapped (including call stack exhaustion) */
    CLI_STATUS_EXCEPTION, /* a wasm exception nothing caught (message: its tag) */
    CLI_STATUS_LIMIT,  /* fuel or wall-clock time ran out */
    CLI_STATUS_ERROR,  /* the command line, policy or report path was refused, or
                          the module could not be loaded, linked or instantiated */
} cli_status;

typedef struct cli_outcome {
    cli_status status;
    int exit_code;          /* the process's exit code */
    int guest_exit_code;    /* CLI_STATUS_EXITED: the code the guest gave */
    const char *limit;      /* CLI_STATUS_LIMIT: "fuel", "timeout" or "memory" */
    char message[512];      /* the trap, limit or error text (never empty then);
                               "" when exited */
    uint64_t fuel_used;
    uint64_t wall_ms;
    uint64_t peak_memory;   /* bytes */
    uint64_t output_bytes;  /* stdout+stderr the guest wrote */
    wb_frame frames[WB_MAX_TRAP_FRAMES]; /* trap or limit: where the guest stopped */
    uint32_t nframes;
} cli_outcome;

/* "function N <name> at offset 0xOFF", the name made safe to print
 * (tools/cli_trace.c). */
void cli_frame_text(const wb_frame *f, char *buf, size_t len);
/* "wasmbox: KIND: MESSAGE in function ... at offset ...", then one line per
 * frame when there are several, on fd through cli_write_line (wait_ms). */
void cli_print_stop(int fd, int wait_ms, const char *kind, const cli_outcome *o);

const char *cli_status_name(cli_status status);
/* Writes the outcome as one JSON object to f (opened on path before the run,
 * so a bad path stops the run from starting) and closes f; false (message in
 * err) on failure. module_path is NULL when the command line named none. */
bool cli_report_write(FILE *f, const char *path, const char *module_path, const cli_outcome *o,
                      char *err, size_t errlen);
/* Audits the end of a run: a "run.limit" or "run.trap" record when that is
 * how it ended, then "run.exit" with the numbers; then seals the log
 * (wb_audit_seal: nothing is written after run.exit). */
void cli_report_audit(const cli_sandbox *sb, const cli_outcome *o);

#endif
