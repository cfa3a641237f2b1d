/* messages.c: the shell's own messages (bash's forms: "shell: line N:
 * ...", builtin usage lines), set -x traces, the limits that stop a run
 * (nesting), and the clock. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- messages -------------------------------------------------------------- */

void shell_msg(shctx *sh, const char *where, int line, const char *fmt, ...)
{
    sh_buf b = {0};
    sh_buf_printf(&b, "%s: %s", sh->arg0 ? sh->arg0 : "shell", where ? where : "");
    if (line > 0)
        sh_buf_printf(&b, "line %d: ", line);
    va_list ap;
    va_start(ap, fmt);
    sh_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    sh_buf_addc(&b, '\n');
    sh_stream *err = sh->st.fds[2];
    if (err) {
        sh_write(err, b.data, b.len);
        sh_flush(err);
    }
    sh_buf_free(&b);
}

void shell_error(shctx *sh, const char *fmt, ...)
{
    sh_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sh_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    shell_msg(sh, "", sh->lineno, "%s", b.data);
    sh_buf_free(&b);
}

void builtin_error(shctx *sh, const char *fmt, ...)
{
    sh_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sh_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    shell_msg(sh, "", sh->lineno, "%s: %s", sh->cmd_name ? sh->cmd_name : "shell", b.data);
    sh_buf_free(&b);
}

void builtin_usage(shctx *sh, const char *fmt, ...)
{
    sh_buf b = {0};
    sh_buf_printf(&b, "%s: usage: ", sh->cmd_name ? sh->cmd_name : "shell");
    va_list ap;
    va_start(ap, fmt);
    sh_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    sh_buf_addc(&b, '\n');
    if (sh->st.fds[2]) {
        sh_write(sh->st.fds[2], b.data, b.len);
        sh_flush(sh->st.fds[2]);
    }
    sh_buf_free(&b);
}

void shell_fatal(shctx *sh, const char *fmt, ...)
{
    if (sh->fatal)
        return;
    sh_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sh_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    shell_error(sh, "%s", b.data);
    sh->fatal = true;
    sh->fatal_msg = sh_buf_take(&b);
    sh->jump = J_EXIT;
    sh->jump_n = 2;
}

bool depth_enter(shctx *sh, const char *what)
{
    if (sh->fatal)
        return false;
    if (sh->depth >= SH_MAX_DEPTH) {
        shell_fatal(sh, "%s: maximum nesting depth exceeded (%d levels of function calls, subshells, "
                        "command substitutions, pipeline stages, eval and source): the run stops here",
                    what, SH_MAX_DEPTH);
        return false;
    }
    sh->depth++;
    return true;
}

void depth_leave(shctx *sh)
{
    sh->depth--;
}

bool nest_enter(shctx *sh)
{
    if (sh->fatal)
        return false;
    if (sh->nest >= SH_MAX_NEST) {
        shell_fatal(sh, "commands nested too deeply (more than %d levels of commands and expansions "
                        "inside each other): the run stops here", SH_MAX_NEST);
        return false;
    }
    sh->nest++;
    return true;
}

int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- xtrace ------------------------------------------------------------------------ */

void shell_quote(sh_buf *out, const char *s, bool always)
{
    bool plain = *s != 0;
    for (const char *p = s; *p && plain; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("_-./,:+@%^=", *p)))
            plain = false;
    if (plain && !always) {
        sh_buf_adds(out, s);
        return;
    }
    sh_buf_addc(out, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            sh_buf_adds(out, "'\\''");
        else
            sh_buf_addc(out, *p);
    }
    sh_buf_addc(out, '\'');
}

void xtrace_prefix(shctx *sh, sh_buf *b)
{
    const char *ps4 = var_value(sh, "PS4");
    if (!ps4)
        ps4 = "+ ";
    if (*ps4)
        for (int i = 0; i < sh->subshell; i++)
            sh_buf_addc(b, ps4[0]);
    sh_buf_adds(b, ps4);
}

void xtrace_write(shctx *sh, sh_buf *b)
{
    sh_buf_addc(b, '\n');
    if (sh->st.fds[2]) {
        sh_write(sh->st.fds[2], b->data, b->len);
        sh_flush(sh->st.fds[2]);
    }
    sh_buf_free(b);
}

void xtrace_argv(shctx *sh, char **assigns, int nassigns, int argc, char **argv)
{
    sh_buf b = {0};
    xtrace_prefix(sh, &b);
    bool first = true;
    for (int i = 0; i < nassigns; i++) {
        if (!first)
            sh_buf_addc(&b, ' ');
        first = false;
        sh_buf_adds(&b, assigns[i]);
    }
    for (int i = 0; i < argc; i++) {
        if (!first)
            sh_buf_addc(&b, ' ');
        first = false;
        shell_quote(&b, argv[i], false);
    }
    xtrace_write(sh, &b);
}

