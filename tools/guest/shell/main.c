/* main.c: the `shell` tool. Input {"command": string, "cwd"?: string} on
 * stdin; the command runs in the sandbox shell, and the result says what
 * it printed, how it ended and where it ended (README.md "The tool"):
 *
 *   {"content": [{"type": "text", "text": "STDOUT...[exit code 0]"}],
 *    "structuredContent": {"stdout": S, "stderr": S, "exit_code": N, "cwd": P},
 *    "is_error": false}
 *
 * A command that fails is a normal result (is_error false): its exit code
 * and stderr are what the agent needs to know. is_error is true only when
 * the tool could not run the command as asked: a bad input, a cwd outside
 * the workspace, or one of the shell's own limits hit (nesting, memory).
 * The input and the result go through the guest-tool library (wbtool.h). */
#include "shell_run.h"
#include "../lib/wbtool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CAPTURE_KEEP (256u << 10)  /* bytes of stdout (and of stderr) kept */

static void *reserve;  /* freed when memory runs out, to print the result */
static bool printing;

/* Running out of memory ends the run. The result is a constant, written
 * without allocating: nothing else is on stdout yet (the result is printed
 * once, at the end), and what the command printed is lost anyway. */
_Noreturn void sh_oom(void)
{
    free(reserve);
    reserve = NULL;
    if (printing) {
        static const char m[] = "shell: out of memory while printing the result\n";
        if (write(2, m, sizeof m - 1) < 0) {
        }
        _Exit(1);
    }
    printing = true;
    static const char r[] =
        "{\"content\":[{\"type\":\"text\",\"text\":\"the shell ran out of memory (the sandbox's memory limit) "
        "and stopped; what the command printed is lost. Work on smaller pieces of data.\"}],\"is_error\":true}\n";
    size_t off = 0;
    while (off < sizeof r - 1) {
        ssize_t k = write(1, r + off, sizeof r - 1 - off);
        if (k <= 0)
            _Exit(1);
        off += (size_t)k;
    }
    _Exit(0);
}

/* The text item: stdout, then stderr, then how it ended. */
static void text_item(sh_buf *t, const sh_buf *out, const sh_buf *err, int status, const char *cwd,
                      const char *start_cwd, const char *fatal)
{
    sh_buf_add(t, out->data ? out->data : "", out->len);
    bool nl = !out->len || out->data[out->len - 1] == '\n';
    if (err->len) {
        if (!nl)
            sh_buf_addc(t, '\n');
        sh_buf_adds(t, "[stderr]\n");
        sh_buf_add(t, err->data, err->len);
        nl = err->data[err->len - 1] == '\n';
    }
    if (!nl)
        sh_buf_addc(t, '\n');
    sh_buf_printf(t, "[exit code %d", status);
    if (strcmp(cwd, start_cwd))
        sh_buf_printf(t, "; cwd is now %s", cwd);
    if (fatal)
        sh_buf_adds(t, "; stopped by the shell's limits");
    sh_buf_addc(t, ']');
}

/* The command and cwd arguments, checked; false when the result is an error. */
static bool read_args(wt_tool *t, const char **cmd, size_t *cmd_len, const char **cwd)
{
    size_t cwd_len = 0;
    *cmd = wt_arg_string(t, "command", true, cmd_len);
    *cwd = wt_arg_string(t, "cwd", false, &cwd_len);
    if (!wt_args_end(t))
        return false;
    if (memchr(*cmd, 0, *cmd_len))
        wt_fail(t, "command: contains a NUL character (\\u0000); shell commands are text");
    else if (*cwd && !cwd_len)
        wt_fail(t, "cwd: empty (give a directory, or leave cwd out)");
    else if (*cwd && memchr(*cwd, 0, cwd_len))
        wt_fail(t, "cwd: contains a NUL character");
    return !wt_failed(t);
}

static void run(wt_tool *t, const char *cmd, size_t cmd_len, const char *cwd_arg)
{
    shctx *sh = shell_new(CAPTURE_KEEP);
    if (cwd_arg) {
        sh_buf why = {0};
        bool ok = shell_set_cwd(sh, cwd_arg, &why);
        if (!ok)
            wt_fail(t, "cwd: %s", why.data);
        sh_buf_free(&why);
        if (!ok) {
            shell_free(sh);
            return;
        }
    }
    char *start_cwd = sh_strdup(shell_cwd(sh));
    int status = shell_run(sh, cmd, cmd_len);
    printing = true;
    sh_buf out = {0}, errs = {0}, text = {0};
    uint64_t nout, nerr;
    shell_output(sh, 1, &out, &nout);
    shell_output(sh, 2, &errs, &nerr);
    const char *fatal = shell_fatal_message(sh);
    const char *cwd = shell_cwd(sh);
    text_item(&text, &out, &errs, status, cwd, start_cwd, fatal);
    wt_text(t, text.data, text.len);
    wt_struct_string(t, "stdout", out.data ? out.data : "", out.len);
    wt_struct_string(t, "stderr", errs.data ? errs.data : "", errs.len);
    wt_struct_int(t, "exit_code", status);
    wt_struct_string(t, "cwd", cwd, strlen(cwd));
    if (fatal) {
        wt_struct_string(t, "error", fatal, strlen(fatal));
        wt_set_error(t);
    }
    sh_buf_free(&text);
    sh_buf_free(&out);
    sh_buf_free(&errs);
    free(start_cwd);
    shell_free(sh);
}

int main(void)
{
    reserve = malloc(1 << 20);
    wt_tool t;
    const char *cmd, *cwd;
    size_t cmd_len;
    if (wt_tool_begin(&t) && read_args(&t, &cmd, &cmd_len, &cwd))
        run(&t, cmd, cmd_len, cwd);
    printing = true;
    int rc = wt_tool_end(&t);
    free(reserve);
    return rc;
}
