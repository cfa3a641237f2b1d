/* builtin_flow.c: builtins that change what runs next (exit, return,
 * break, continue, eval, source, exec, trap, wait, let) and the ones that
 * have little to do in a sandbox without processes, jobs or a terminal. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool status_arg(shctx *sh, const char *a, int *out)
{
    int64_t v;
    if (!sh_parse_int(a, &v)) {
        builtin_error(sh, "%s: numeric argument required", a);
        return false;
    }
    *out = (int)(v & 255);
    return true;
}

int builtin_exit(shctx *sh, int argc, char **argv)
{
    int status = sh->status;
    if (argc > 2) {
        builtin_error(sh, "too many arguments");
        return 1;
    }
    if (argc > 1 && !status_arg(sh, argv[1], &status))
        status = 2;
    sh->jump = J_EXIT;
    sh->jump_n = status;
    return status;
}

int builtin_return(shctx *sh, int argc, char **argv)
{
    int status = sh->status;
    if (!sh->func_depth && !sh->source_depth) {
        builtin_error(sh, "can only `return' from a function or sourced script");
        return 2;
    }
    if (argc > 2) {
        builtin_error(sh, "too many arguments");
        return 2;
    }
    if (argc > 1 && !status_arg(sh, argv[1], &status))
        status = 2;
    sh->jump = J_RETURN;
    sh->jump_n = status;
    return status;
}

static int loop_jump(shctx *sh, int argc, char **argv, enum jump j)
{
    int64_t n = 1;
    if (argc > 1 && (!sh_parse_int(argv[1], &n) || n < 1)) {
        builtin_error(sh, "%s: loop count out of range", argv[1]);
        return 1;
    }
    if (!sh->loop_depth) {
        builtin_error(sh, "only meaningful in a `for', `while', or `until' loop");
        return 0;
    }
    if (n > sh->loop_depth)
        n = sh->loop_depth;
    sh->jump = j;
    sh->jump_n = (int)n;
    return 0;
}

int builtin_break(shctx *sh, int argc, char **argv)
{
    return loop_jump(sh, argc, argv, J_BREAK);
}

int builtin_continue(shctx *sh, int argc, char **argv)
{
    return loop_jump(sh, argc, argv, J_CONTINUE);
}

int builtin_colon(shctx *sh, int argc, char **argv)
{
    (void)sh;
    (void)argc;
    (void)argv;
    return 0;
}

int builtin_eval(shctx *sh, int argc, char **argv)
{
    sh_buf b = {0};
    for (int i = 1; i < argc; i++) {
        if (i > 1)
            sh_buf_addc(&b, ' ');
        sh_buf_adds(&b, argv[i]);
    }
    if (!b.len)
        return 0;
    if (!depth_enter(sh, "eval")) {
        sh_buf_free(&b);
        return 2;
    }
    int line = sh->lineno;
    int status = run_source(sh, b.data, b.len, "eval", 1, false);
    sh->lineno = line;
    depth_leave(sh);
    sh_buf_free(&b);
    return status;
}

int builtin_source(shctx *sh, int argc, char **argv)
{
    if (argc < 2) {
        builtin_error(sh, "filename argument required");
        builtin_usage(sh, "%s filename [arguments]", argv[0]);
        return 2;
    }
    sh_stream *f = sh_open(sh, argv[1], O_RDONLY);
    if (!f) {
        builtin_error(sh, "%s: %s", argv[1], sh_strerror(errno));
        return 1;
    }
    sh_buf text = {0};
    bool ok = sh_read_all(f, &text, SH_MAX_STRING);
    int e = errno;
    sh_close(f);
    if (!ok) {
        builtin_error(sh, "%s: %s", argv[1], sh_strerror(e));
        sh_buf_free(&text);
        return 1;
    }
    if (!depth_enter(sh, argv[0])) {
        sh_buf_free(&text);
        return 2;
    }
    char **pos = NULL;
    int npos = 0;
    if (argc > 2) {
        pos = sh->st.pos;
        npos = sh->st.npos;
        sh->st.pos = strv_dup(argv + 2, argc - 2);
        sh->st.npos = argc - 2;
    }
    int line = sh->lineno;
    sh->source_depth++;
    int status = run_source(sh, text.data ? text.data : "", text.len, argv[1], 1, false);
    sh->source_depth--;
    sh->lineno = line;
    if (sh->jump == J_RETURN) {
        status = sh->jump_n;
        sh->jump = J_NONE;
    }
    if (pos) {
        sh_strv_free(sh->st.pos);
        sh->st.pos = pos;
        sh->st.npos = npos;
    }
    depth_leave(sh);
    sh_buf_free(&text);
    return status;
}

int builtin_exec(shctx *sh, int argc, char **argv)
{
    /* exec with only redirections is done by the evaluator (they stay);
     * with a command, the command replaces the shell: it runs, then the
     * shell ends with its status. */
    int i = 1;
    while (i < argc && argv[i][0] == '-' && argv[i][1]) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        if (strcmp(argv[i], "-c") && strcmp(argv[i], "-l")) {
            builtin_error(sh, "%s: invalid option", argv[i]);
            return 2;
        }
        i++;
    }
    if (i == argc)
        return 0;
    int status = run_command(sh, argc - i, argv + i, false);
    if (sh->jump == J_NONE) {
        sh->jump = J_EXIT;
        sh->jump_n = status;
    }
    return status;
}

static bool is_exit_signal(const char *s)
{
    return !strcmp(s, "EXIT") || !strcmp(s, "0") || !strcmp(s, "SIGEXIT");
}

int builtin_trap(shctx *sh, int argc, char **argv)
{
    int i = 1;
    if (i < argc && !strcmp(argv[i], "--"))
        i++;
    if (i == argc || !strcmp(argv[i], "-p") || !strcmp(argv[i], "-l")) {
        if (i < argc && !strcmp(argv[i], "-l")) {
            sh_puts(sh_stdout(sh), " 0) EXIT\n");
            return 0;
        }
        if (sh->st.exit_trap) {
            sh_buf b = {0};
            sh_buf_adds(&b, "trap -- ");
            shell_quote(&b, sh->st.exit_trap, true);
            sh_buf_adds(&b, " EXIT\n");
            sh_write(sh_stdout(sh), b.data, b.len);
            sh_buf_free(&b);
        }
        return 0;
    }
    const char *action = argv[i++];
    bool reset = !strcmp(action, "-");
    if (i == argc) { /* trap N: one argument, a signal, means reset */
        if (is_exit_signal(action)) {
            free(sh->st.exit_trap);
            sh->st.exit_trap = NULL;
        }
        return 0;
    }
    int status = 0;
    for (; i < argc; i++) {
        if (is_exit_signal(argv[i])) {
            free(sh->st.exit_trap);
            sh->st.exit_trap = reset || !*action ? NULL : sh_strdup(action);
            continue;
        }
        /* there are no signals in the sandbox: nothing can arrive */
        static const char *known[] = {"INT",  "TERM", "HUP",  "QUIT", "ERR",  "DEBUG", "RETURN",
                                      "PIPE", "USR1", "USR2", "ALRM", "CHLD", "WINCH", "KILL",
                                      "SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGPIPE", "1", "2", "3", "13", "15"};
        bool ok = false;
        for (size_t k = 0; k < sizeof known / sizeof *known; k++)
            if (!strcmp(known[k], argv[i]))
                ok = true;
        if (!ok) {
            builtin_error(sh, "%s: invalid signal specification", argv[i]);
            status = 1;
        }
    }
    return status;
}

int builtin_wait(shctx *sh, int argc, char **argv)
{
    /* every `cmd &` already ran to its end */
    (void)argv;
    if (argc > 1 && sh->have_bg)
        return sh->bg_status;
    if (argc > 1) {
        builtin_error(sh, "pid %s is not a child of this shell", argv[1]);
        return 127;
    }
    return 0;
}

int builtin_let(shctx *sh, int argc, char **argv)
{
    if (argc < 2) {
        builtin_error(sh, "expression expected");
        return 1;
    }
    int64_t v = 0;
    const char *saved = sh->arith_prefix;
    sh->arith_prefix = "let";
    for (int i = 1; i < argc; i++)
        if (!arith_eval(sh, argv[i], &v)) {
            sh->arith_prefix = saved;
            return 1;
        }
    sh->arith_prefix = saved;
    return v ? 0 : 1;
}

int builtin_jobs(shctx *sh, int argc, char **argv)
{
    (void)sh;
    (void)argc;
    (void)argv;
    return 0;
}

int builtin_kill(shctx *sh, int argc, char **argv)
{
    /* no process but the shell itself (and the finished `&` job) exists;
     * `kill -0 PID` asks whether it does */
    bool probe = argc > 1 && (!strcmp(argv[1], "-0") || !strcmp(argv[1], "-s0"));
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-')
            continue;
        int64_t pid;
        if (probe && sh_parse_int(argv[i], &pid) && pid == SH_PID)
            continue;
        builtin_error(sh, "(%s) - No such process", argv[i]);
        return 1;
    }
    if (argc < 2) {
        builtin_usage(sh, "kill [-s sigspec | -n signum | -sigspec] pid ...");
        return 2;
    }
    return 0;
}

int builtin_mapfile(shctx *sh, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    builtin_error(sh, "arrays are not supported by this shell (read the lines with `while read -r line')");
    return 2;
}
