/* shell_run.h: one run of the shell, for the tool's main (main.c): set it
 * up, run a command, read what it printed, free it. */
#ifndef SH_SHELL_RUN_H
#define SH_SHELL_RUN_H

#include "shell.h"

#include <stdint.h>

/* A shell with the environment's variables, the mapped directories, the
 * workspace ($PWD, else the first map) as working directory and $HOME, and
 * stdout/stderr captured (the first and last capture_keep/2 bytes each). */
shctx *shell_new(size_t capture_keep);
/* Sets the starting directory (absolute, or relative to the workspace);
 * false and why when it is outside the maps or not a directory. */
bool shell_set_cwd(shctx *sh, const char *path, sh_buf *why);
/* Runs the command text as `bash -c` would; its exit status. */
int shell_run(shctx *sh, const char *command, size_t len);
/* Non-NULL when the run stopped at one of the shell's own limits. */
const char *shell_fatal_message(shctx *sh);
const char *shell_cwd(shctx *sh);
/* "A, B" */
void shell_maps_text(shctx *sh, sh_buf *out);
/* What the command wrote on fd 1 or 2 (appended to out), and how much. */
void shell_output(shctx *sh, int fd, sh_buf *out, uint64_t *total);
void shell_free(shctx *sh);

#endif
