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
 * the workspace, or one of the shell's own limits hit (nesting, memory). */
#include "shell_run.h"
#include "tool_json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_INPUT (16u << 20)      /* bytes of JSON read from stdin */
#define CAPTURE_KEEP (256u << 10)  /* bytes of stdout (and of stderr) kept */

static void *reserve;  /* freed when memory runs out, to print the result */
static bool printing;

static void error_result(const char *msg, size_t n)
{
    tj_raws("{\"content\":[{\"type\":\"text\",\"text\":");
    tj_string(msg, n);
    tj_raws("}],\"is_error\":true}\n");
    tj_flush();
}

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
    static const char m[] = "the shell ran out of memory (the sandbox's memory limit) and stopped; "
                            "what the command printed is lost. Work on smaller pieces of data.";
    error_result(m, sizeof m - 1);
    _Exit(tj_failed() ? 1 : 0);
}

static bool read_stdin(sh_buf *in)
{
    char buf[65536];
    for (;;) {
        ssize_t r = read(0, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return false;
        if (r == 0)
            return true;
        if (in->len + (size_t)r > MAX_INPUT) {
            in->len = MAX_INPUT + 1;
            return true;
        }
        sh_buf_add(in, buf, (size_t)r);
    }
}

/* The text item: stdout, then stderr, then how it ended. */
static void text_item(const sh_buf *out, const sh_buf *err, int status, const char *cwd, const char *start_cwd,
                      const char *fatal)
{
    tj_raws("{\"type\":\"text\",\"text\":\"");
    tj_string_chunk(out->data ? out->data : "", out->len);
    bool nl = !out->len || out->data[out->len - 1] == '\n';
    if (err->len) {
        if (!nl)
            tj_string_chunk("\n", 1);
        tj_string_chunk("[stderr]\n", 9);
        tj_string_chunk(err->data, err->len);
        nl = err->data[err->len - 1] == '\n';
    }
    if (!nl)
        tj_string_chunk("\n", 1);
    char tail[64];
    int k = snprintf(tail, sizeof tail, "[exit code %d", status);
    tj_string_chunk(tail, (size_t)k);
    if (strcmp(cwd, start_cwd)) {
        tj_string_chunk("; cwd is now ", 13);
        tj_string_chunk(cwd, strlen(cwd));
    }
    if (fatal)
        tj_string_chunk("; stopped by the shell's limits", 31);
    tj_string_chunk("]", 1);
    tj_raws("\"}");
}

int main(void)
{
    reserve = malloc(1 << 20);
    sh_buf in = {0};
    if (!read_stdin(&in)) {
        char m[128];
        int k = snprintf(m, sizeof m, "input: cannot read stdin: %s", strerror(errno));
        error_result(m, (size_t)k);
        return tj_failed();
    }
    if (in.len > MAX_INPUT) {
        static const char m[] = "input: more than 16 MiB of JSON";
        error_result(m, sizeof m - 1);
        return tj_failed();
    }
    tj_field f[2] = {{.name = "command"}, {.name = "cwd"}};
    sh_buf err = {0};
    if (!tj_parse_object(in.data ? in.data : "", in.len, f, 2, &err)) {
        if (strstr(err.data, "unknown field"))
            sh_buf_adds(&err, " (this tool takes: command, cwd)");
    } else if (!f[0].present) {
        sh_buf_adds(&err, "command: required (the shell command to run)");
    } else if (!f[0].is_string) {
        sh_buf_printf(&err, "command: expected a string, got %s", f[0].type);
    } else if (memchr(f[0].value, 0, f[0].len)) {
        sh_buf_adds(&err, "command: contains a NUL character (\\u0000); shell commands are text");
    } else if (f[1].present && !f[1].is_string) {
        sh_buf_printf(&err, "cwd: expected a string, got %s", f[1].type);
    } else if (f[1].present && (!f[1].len || memchr(f[1].value, 0, f[1].len))) {
        sh_buf_adds(&err, f[1].len ? "cwd: contains a NUL character" : "cwd: empty (give a directory, or leave cwd out)");
    }
    sh_buf_free(&in);
    if (err.len) {
        error_result(err.data, err.len);
        return tj_failed();
    }
    shctx *sh = shell_new(CAPTURE_KEEP);
    if (f[1].present) {
        sh_buf why = {0};
        if (!shell_set_cwd(sh, f[1].value, &why)) {
            sh_buf m = {0};
            sh_buf_printf(&m, "cwd: %s", why.data);
            error_result(m.data, m.len);
            return tj_failed();
        }
        sh_buf_free(&why);
    }
    char *start_cwd = sh_strdup(shell_cwd(sh));
    int status = shell_run(sh, f[0].value, f[0].len);
    printing = true;
    sh_buf out = {0}, errs = {0};
    uint64_t nout, nerr;
    shell_output(sh, 1, &out, &nout);
    shell_output(sh, 2, &errs, &nerr);
    const char *fatal = shell_fatal_message(sh);
    const char *cwd = shell_cwd(sh);
    tj_raws("{\"content\":[");
    text_item(&out, &errs, status, cwd, start_cwd, fatal);
    tj_raws("],\"structuredContent\":{\"stdout\":");
    tj_string(out.data ? out.data : "", out.len);
    tj_raws(",\"stderr\":");
    tj_string(errs.data ? errs.data : "", errs.len);
    char num[64];
    snprintf(num, sizeof num, ",\"exit_code\":%d,\"cwd\":", status);
    tj_raws(num);
    tj_string(cwd, strlen(cwd));
    if (fatal) {
        tj_raws(",\"error\":");
        tj_string(fatal, strlen(fatal));
    }
    tj_raws(fatal ? "},\"is_error\":true}\n" : "},\"is_error\":false}\n");
    tj_flush();
    sh_buf_free(&out);
    sh_buf_free(&errs);
    free(start_cwd);
    free(f[0].value);
    free(f[1].value);
    shell_free(sh);
    free(reserve);
    return tj_failed();
}
