/* wasmbox wasi: WASI preview1 (and the older wasi_unstable) for one guest,
 * confined to the directories the embedder maps.
 *
 * Nothing is inherited from the host: args, environment and directories are
 * exactly what the config lists. Guest fds are our own numbers (0-2 stdio,
 * 3.. preopens in config order, then files the guest opens); host fd numbers
 * never reach the guest. Every guest path resolves beneath the directory fd it
 * is relative to (openat2 RESOLVE_BENEATH, or a component walk where the
 * kernel lacks it); escapes are refused with NOTCAPABLE and audited.
 */
#ifndef WASMBOX_WASI_H
#define WASMBOX_WASI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../policy/policy.h"
#include "../vm/vm.h"

typedef struct wb_wasi wb_wasi;

typedef struct wb_wasi_dir {
    const char *host_path;  /* a directory on the host */
    const char *guest_path; /* the name the guest sees, e.g. "/data" or "." */
    bool read_only;         /* refuse every write, create, rename, unlink, ... */
} wb_wasi_dir;

/* max_output: no cap at all. */
#define WB_WASI_NO_OUTPUT_LIMIT UINT64_MAX

typedef struct wb_wasi_config {
    const char *const *args; /* argv, args[0] is the program name */
    size_t nargs;
    const char *const *env;  /* "KEY=VALUE" strings */
    size_t nenv;
    const wb_wasi_dir *dirs;
    size_t ndirs;
    int stdin_fd, stdout_fd, stderr_fd; /* host fds; -1 = closed (EBADF to the guest) */
    /* Bytes of stdout+stderr passed through, together. WB_WASI_NO_OUTPUT_LIMIT
     * (the default) passes everything; past the cap the rest is cut, with one
     * notice on stderr and an "output.limit" audit event. 0 passes nothing,
     * not even the notice (the event is still audited). Either way the guest
     * is told every write succeeded. */
    uint64_t max_output;
    /* Guest-made symlinks (and links the guest moves) may have targets with
     * leading ".." components, as long as they do not climb above the
     * directory fd they are made through. Off by default: then targets are
     * names only, which can never lead a host program that reads the map
     * later out of it. Absolute targets are refused either way. */
    bool allow_symlink_dotdot;
    /* Where every capability decision is written (may be NULL): fs.open,
     * fs.change, fs.deny, call.deny, output.limit, proc.exit, proc.trap, with
     * the fields tools/README.md documents. Must outlive the wb_wasi. */
    wb_audit *audit;
} wb_wasi_config;

/* A config with stdio on the host's 0/1/2, no output cap, and nothing else. */
wb_wasi_config wb_wasi_default_config(void);

/* Opens the mapped directories. NULL (and err) on failure. */
wb_wasi *wb_wasi_new(const wb_wasi_config *cfg, char *err, size_t errlen);
void wb_wasi_free(wb_wasi *wasi);

/* Fills imports_out[i] for every import i of module (wb_module_import_count
 * entries): a host function for each import of "wasi_snapshot_preview1" or
 * "wasi_unstable". Fails naming the first import it cannot satisfy (another
 * module, an unknown name, or a type that does not match). */
bool wb_wasi_link(wb_wasi *wasi, wb_store *store, const wb_module *module,
                  wb_extern *imports_out, char *err, size_t errlen);

/* Calls the instance's "_start". The host functions point at `wasi`: it must
 * outlive every call into the instance. Embedders should ignore SIGPIPE, so
 * that a guest writing to a closed pipe gets EPIPE instead of killing the
 * host process. Returns WB_OK (exit code 0), WB_EXIT
 * (*exit_code = the proc_exit code) or a trap status (err says why). */
wb_status wb_wasi_run_start(wb_wasi *wasi, wb_store *store, wb_instance *inst,
                            int *exit_code, char *err, size_t errlen);

/* Safe from any thread (the timeout timer): every blocking call (fd_read or
 * fd_write on a pipe, poll_oneoff, opening a FIFO) wakes at once and traps
 * with "interrupted", and none starts waiting afterwards. Call
 * wb_store_interrupt too, so running wasm code stops. */
void wb_wasi_interrupt(wb_wasi *wasi);

/* Clears the flag wb_wasi_interrupt set, before another run. */
void wb_wasi_clear_interrupt(wb_wasi *wasi);

/* Bytes of stdout+stderr the guest wrote (including the part cut off). */
uint64_t wb_wasi_output_total(const wb_wasi *wasi);

#endif
