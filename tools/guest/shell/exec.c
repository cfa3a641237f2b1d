/* exec.c: running the AST. There are no processes: a "subshell" (( ),
 * $( ), a pipeline stage, `&`) is a copy of the shell's state that is
 * thrown away after (subshell_enter/leave), and a pipeline runs its stages
 * one after the other through bounded in-memory pipes (README.md
 * "Pipelines"). Control flow (break, continue, return, exit, errors that
 * end the shell) unwinds through sh->jump: every evaluation step returns
 * when it is set. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

/* ---- subshells ------------------------------------------------------------------ */

char **strv_dup(char **v, int n)
{
    char **c = sh_malloc(sizeof *c * (size_t)(n + 1));
    for (int i = 0; i < n; i++)
        c[i] = sh_strdup(v[i]);
    c[n] = NULL;
    return c;
}

static local_save *locals_copy(const local_save *l)
{
    local_save *head = NULL, **tail = &head;
    for (; l; l = l->next) {
        local_save *c = sh_calloc(1, sizeof *c);
        c->name = sh_strdup(l->name);
        c->depth = l->depth;
        if (l->saved) {
            c->saved = sh_calloc(1, sizeof *c->saved);
            c->saved->name = sh_strdup(l->saved->name);
            c->saved->value = l->saved->value ? sh_strdup(l->saved->value) : NULL;
            c->saved->flags = l->saved->flags;
        }
        *tail = c;
        tail = &c->next;
    }
    return head;
}

static void locals_free(local_save *l)
{
    while (l) {
        local_save *n = l->next;
        if (l->saved) {
            free(l->saved->name);
            free(l->saved->value);
            free(l->saved);
        }
        free(l->name);
        free(l);
        l = n;
    }
}

static void state_free(sh_state *st)
{
    vars_free(st->vars);
    funcs_free(st->funcs);
    sh_strv_free(st->pos);
    free(st->cwd);
    for (int i = 0; i < SH_NFD; i++)
        stream_unref(st->fds[i]);
    locals_free(st->locals);
    free(st->exit_trap);
}

void subshell_enter(shctx *sh, sh_state *saved)
{
    *saved = sh->st;
    sh->st.vars = vars_clone(saved->vars);
    sh->st.funcs = funcs_clone(saved->funcs);
    sh->st.pos = strv_dup(saved->pos, saved->npos);
    sh->st.cwd = sh_strdup(saved->cwd);
    for (int i = 0; i < SH_NFD; i++)
        sh->st.fds[i] = stream_ref(saved->fds[i]);
    sh->st.locals = locals_copy(saved->locals);
    sh->st.exit_trap = NULL; /* a subshell does not run its parent's EXIT trap */
    sh->subshell++;
}

int subshell_leave(shctx *sh, sh_state *saved, int status)
{
    if (sh->jump != J_NONE && !sh->fatal) {
        if (sh->jump == J_EXIT || sh->jump == J_RETURN || sh->jump == J_ABORT)
            status = sh->jump_n;
        sh->jump = J_NONE;
    }
    if (!sh->fatal)
        run_exit_trap(sh);
    if (sh->jump != J_NONE && !sh->fatal) {
        if (sh->jump == J_EXIT || sh->jump == J_ABORT)
            status = sh->jump_n;
        sh->jump = J_NONE;
    }
    for (int i = 1; i < 3; i++)
        sh_flush(sh->st.fds[i]);
    bool moved = strcmp(sh->st.cwd, saved->cwd) != 0;
    state_free(&sh->st);
    sh->st = *saved;
    if (moved && chdir(sh->st.cwd) != 0) {
        /* the directory went away inside the subshell: stay where libc is */
    }
    sh->subshell--;
    sh->status = status;
    return status;
}

void run_exit_trap(shctx *sh)
{
    char *t = sh->st.exit_trap;
    if (!t)
        return;
    sh->st.exit_trap = NULL;
    enum jump j = sh->jump;
    int jn = sh->jump_n;
    sh->jump = J_NONE;
    int saved_status = sh->status;
    run_source(sh, t, strlen(t), "trap", 1, false);
    if (sh->jump == J_NONE) {
        sh->jump = j;
        sh->jump_n = jn;
    }
    sh->status = saved_status;
    free(t);
}

/* ---- redirections ---------------------------------------------------------------- */

typedef struct {
    sh_stream *saved[SH_NFD];
    bool touched[SH_NFD];
} fdsave;

static void fd_assign(shctx *sh, fdsave *sv, int fd, sh_stream *s)
{
    if (sv && !sv->touched[fd]) {
        sv->touched[fd] = true;
        sv->saved[fd] = sh->st.fds[fd];
    } else {
        stream_unref(sh->st.fds[fd]);
    }
    sh->st.fds[fd] = s;
}

static void restore_redirs(shctx *sh, fdsave *sv)
{
    for (int fd = 0; fd < SH_NFD; fd++)
        if (sv->touched[fd]) {
            stream_unref(sh->st.fds[fd]);
            sh->st.fds[fd] = sv->saved[fd];
            sv->touched[fd] = false;
        }
}

/* The target of a redirection: exactly one field. */
static char *redir_target(shctx *sh, const word *w)
{
    int n = 0;
    char **v = expand_words(sh, (word **)&w, 1, &n);
    if (!v)
        return NULL;
    if (n != 1) {
        char *raw = expand_string(sh, w);
        shell_error(sh, "%s: ambiguous redirect", raw ? raw : "");
        free(raw);
        sh_strv_free(v);
        return NULL;
    }
    char *r = v[0];
    free(v);
    return r;
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static sh_stream *open_target(shctx *sh, const char *path, int flags, bool clobber_check)
{
    if (clobber_check && sh->st.opt.noclobber) {
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            shell_error(sh, "%s: cannot overwrite existing file", path);
            return NULL;
        }
    }
    sh_stream *s = sh_open(sh, path, flags);
    if (!s)
        shell_error(sh, "%s: %s", path, sh_strerror(errno));
    return s;
}

static bool apply_redirs(shctx *sh, const redir *r, fdsave *sv)
{
    for (; r; r = r->next) {
        int fd = r->fd;
        if (fd < 0 || fd >= SH_NFD) {
            shell_error(sh, "%d: bad file descriptor (this shell has fds 0-%d)", fd, SH_NFD - 1);
            return false;
        }
        sh_stream *s = NULL;
        if (r->op == R_HEREDOC) {
            char *body = expand_heredoc(sh, r->target);
            if (!body)
                return false;
            s = stream_bytes(body, strlen(body));
            fd_assign(sh, sv, fd, s);
            continue;
        }
        if (r->op == R_HERESTR) {
            char *text = expand_string(sh, r->target);
            if (!text)
                return false;
            size_t n = strlen(text);
            text = sh_realloc(text, n + 2);
            text[n] = '\n';
            text[n + 1] = 0;
            fd_assign(sh, sv, fd, stream_bytes(text, n + 1));
            continue;
        }
        char *t = redir_target(sh, r->target);
        if (!t)
            return false;
        switch (r->op) {
        case R_IN:
            s = open_target(sh, t, O_RDONLY, false);
            break;
        case R_OUT:
        case R_CLOBBER:
            s = open_target(sh, t, O_WRONLY | O_CREAT | O_TRUNC, r->op == R_OUT);
            break;
        case R_APPEND:
            s = open_target(sh, t, O_WRONLY | O_CREAT | O_APPEND, false);
            break;
        case R_RDWR:
            s = open_target(sh, t, O_RDWR | O_CREAT, false);
            break;
        case R_OUTERR:
        case R_APPENDERR:
            s = open_target(sh, t, O_WRONLY | O_CREAT | (r->op == R_OUTERR ? O_TRUNC : O_APPEND),
                            r->op == R_OUTERR);
            if (s) {
                fd_assign(sh, sv, 1, s);
                fd_assign(sh, sv, 2, stream_ref(s));
                free(t);
                continue;
            }
            break;
        case R_DUPIN:
        case R_DUPOUT:
            if (!strcmp(t, "-")) {
                fd_assign(sh, sv, fd, NULL);
                free(t);
                continue;
            }
            if (all_digits(t) && strlen(t) < 4) {
                int from = atoi(t);
                if (from >= SH_NFD || !sh->st.fds[from]) {
                    shell_error(sh, "%s: bad file descriptor", t);
                    free(t);
                    return false;
                }
                sh_flush(sh->st.fds[from]);
                fd_assign(sh, sv, fd, stream_ref(sh->st.fds[from]));
                free(t);
                continue;
            }
            if (r->op == R_DUPOUT && fd == 1) { /* >&FILE is &>FILE */
                s = open_target(sh, t, O_WRONLY | O_CREAT | O_TRUNC, true);
                if (s) {
                    fd_assign(sh, sv, 1, s);
                    fd_assign(sh, sv, 2, stream_ref(s));
                    free(t);
                    continue;
                }
                break;
            }
            shell_error(sh, "%s: ambiguous redirect", t);
            break;
        }
        free(t);
        if (!s)
            return false;
        fd_assign(sh, sv, fd, s);
    }
    return true;
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

static void xtrace_prefix(shctx *sh, sh_buf *b)
{
    const char *ps4 = var_value(sh, "PS4");
    if (!ps4)
        ps4 = "+ ";
    if (*ps4)
        for (int i = 0; i < sh->subshell; i++)
            sh_buf_addc(b, ps4[0]);
    sh_buf_adds(b, ps4);
}

static void xtrace_write(shctx *sh, sh_buf *b)
{
    sh_buf_addc(b, '\n');
    if (sh->st.fds[2]) {
        sh_write(sh->st.fds[2], b->data, b->len);
        sh_flush(sh->st.fds[2]);
    }
    sh_buf_free(b);
}

static void xtrace_argv(shctx *sh, char **assigns, int nassigns, int argc, char **argv)
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

/* ---- commands -------------------------------------------------------------------------- */

static int call_function(shctx *sh, func *f, int argc, char **argv)
{
    if (!depth_enter(sh, argv[0]))
        return 2;
    sh_unit *unit = f->unit;
    node *body = f->body;
    sh_unit_ref(unit);
    char **pos = sh->st.pos;
    int npos = sh->st.npos;
    sh->st.pos = strv_dup(argv + 1, argc - 1);
    sh->st.npos = argc - 1;
    sh_unit *saved_unit = sh->unit;
    sh->unit = unit;
    int loops = sh->loop_depth;
    sh->loop_depth = 0;
    sh->func_depth++;
    int status = eval_node(sh, body);
    if (sh->jump == J_RETURN) {
        status = sh->jump_n;
        sh->jump = J_NONE;
    }
    locals_pop(sh, sh->func_depth);
    sh->func_depth--;
    sh->loop_depth = loops;
    sh->unit = saved_unit;
    sh_strv_free(sh->st.pos);
    sh->st.pos = pos;
    sh->st.npos = npos;
    sh_unit_unref(unit);
    depth_leave(sh);
    return status;
}

static int run_builtin(shctx *sh, const sh_cmd *c, int argc, char **argv)
{
    const char *saved_name = sh->cmd_name;
    unsigned saved_flags = sh->cmd_flags;
    sh->cmd_name = c->name;
    sh->cmd_flags = c->flags;
    sh_stream *out = sh->st.fds[1];
    int before = 0;
    sh_stream_failed(out, &before);
    bool outer_pipe = sh->sigpipe;
    sh->sigpipe = false;
    int status = c->fn(sh, argc, argv);
    bool broke = sh->sigpipe;
    out = sh->st.fds[1];
    sh_flush(out);
    sh_flush(sh->st.fds[2]);
    int after = 0;
    if (broke) {
        /* bash: a builtin writing to a closed pipe takes the (sub)shell down
         * with SIGPIPE; a utility is its own process and only it dies */
        status = 141;
        if ((c->flags & CMD_BUILTIN) && sh->subshell > 0 && sh->jump == J_NONE) {
            sh->jump = J_EXIT;
            sh->jump_n = 141;
        }
    } else if (sh_stream_failed(out, &after) && !before && after != EPIPE) {
        sh_errno(sh, after, "write error");
        if (!status)
            status = 1;
    }
    sh->sigpipe = outer_pipe || broke;
    sh->cmd_name = saved_name;
    sh->cmd_flags = saved_flags;
    return status;
}

/* A file with a '/' in its name: a shell script runs in a subshell (with or
 * without a #! naming a shell); anything else needs a program this sandbox
 * does not have. */
static int run_file(shctx *sh, int argc, char **argv)
{
    const char *name = command_from_path(argv[0]);
    if (name) {
        const sh_cmd *c = command_find(name);
        if (c)
            return run_builtin(sh, c, argc, argv);
    }
    struct stat st;
    if (stat(argv[0], &st) != 0) {
        shell_error(sh, "%s: %s", argv[0], sh_strerror(errno));
        return 127;
    }
    if (S_ISDIR(st.st_mode)) {
        shell_error(sh, "%s: Is a directory", argv[0]);
        return 126;
    }
    sh_stream *f = sh_open(sh, argv[0], O_RDONLY);
    sh_buf first = {0};
    if (f) {
        sh_getdelim(f, &first, '\n');
        sh_close(f);
    }
    if (first.len > 2 && first.data[0] == '#' && first.data[1] == '!') {
        /* the interpreter's name: #!/bin/bash, #!/usr/bin/env bash -e */
        char *p = first.data + 2;
        while (*p == ' ' || *p == '\t')
            p++;
        char *e = p + strcspn(p, " \t\r\n");
        char *base = p;
        for (char *q = p; q < e; q++)
            if (*q == '/')
                base = q + 1;
        if (e - base == 3 && !strncmp(base, "env", 3)) {
            base = e + strspn(e, " \t");
            e = base + strcspn(base, " \t\r\n");
        }
        size_t bl = (size_t)(e - base);
        bool shell = (bl == 2 && !strncmp(base, "sh", 2)) || (bl == 4 && !strncmp(base, "bash", 4)) ||
                     (bl == 4 && !strncmp(base, "dash", 4)) || (bl == 3 && !strncmp(base, "ksh", 3));
        if (!shell) {
            shell_error(sh, "%s: command not available in the sandbox (its interpreter `%.*s' is not one of "
                            "this shell's commands)", argv[0], (int)bl, base);
            sh_buf_free(&first);
            return 127;
        }
    }
    sh_buf_free(&first);
    const sh_cmd *c = command_find("sh");
    char **v = sh_malloc(sizeof *v * (size_t)(argc + 2));
    v[0] = "sh";
    for (int i = 0; i < argc; i++)
        v[i + 1] = argv[i];
    v[argc + 1] = NULL;
    int status = run_builtin(sh, c, argc + 1, v);
    free(v);
    return status;
}

int run_command(shctx *sh, int argc, char **argv, bool skip_functions)
{
    if (!argc)
        return 0;
    const char *name = argv[0];
    if (!skip_functions) {
        func *f = funcs_get(sh->st.funcs, name);
        if (f)
            return call_function(sh, f, argc, argv);
    }
    const sh_cmd *c = command_find(name);
    if (c)
        return run_builtin(sh, c, argc, argv);
    if (strchr(name, '/'))
        return run_file(sh, argc, argv);
    shell_error(sh, "%s: command not available in the sandbox (`help' lists the commands there are)", name);
    return 127;
}

int sh_run_program(shctx *sh, int argc, char **argv)
{
    /* a program is a new process: a subshell, and never a shell function */
    if (!depth_enter(sh, argv[0]))
        return 2;
    sh_state saved;
    subshell_enter(sh, &saved);
    int status = run_command(sh, argc, argv, true);
    status = subshell_leave(sh, &saved, status);
    depth_leave(sh);
    return status;
}

/* Assignments that hold for one command only (FOO=1 cmd). */
typedef struct {
    char *name;
    var *old; /* a copy, or NULL when it was unset */
} tmpvar;

static void tmpvars_restore(shctx *sh, tmpvar *t, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        vars_remove(sh->st.vars, t[i].name);
        if (t[i].old) {
            var *v = vars_set(sh->st.vars, t[i].name, t[i].old->value, 0);
            v->flags = t[i].old->flags;
            free(t[i].old->name);
            free(t[i].old->value);
            free(t[i].old);
        }
        free(t[i].name);
    }
    free(t);
}

static char *assign_value(shctx *sh, const assign *a)
{
    char *v = a->value ? expand_assign(sh, a->value) : sh_strdup("");
    if (v && a->append) {
        const char *old = var_value(sh, a->name);
        var *ov = vars_get(sh->st.vars, a->name);
        if (ov && (ov->flags & V_INTEGER) && old) {
            sh_buf b = {0};
            sh_buf_printf(&b, "(%s)+(%s)", old, v);
            free(v);
            return sh_buf_take(&b);
        }
        if (old) {
            sh_buf b = {0};
            sh_buf_adds(&b, old);
            sh_buf_adds(&b, v);
            free(v);
            v = sh_buf_take(&b);
        }
    }
    return v;
}

static int eval_simple_in(shctx *sh, node *n);
static void procsub_close(shctx *sh, unsigned before);

static int eval_simple(shctx *sh, node *n)
{
    unsigned before = sh->procsub_fds;
    int status = eval_simple_in(sh, n);
    procsub_close(sh, before);
    return status;
}

static int eval_simple_in(shctx *sh, node *n)
{
    sh->lineno = n->line;
    sh->cmdsub_status = -1;
    int argc = 0;
    char **argv = expand_words(sh, n->u.simple.words, n->u.simple.nwords, &argc);
    if (!argv)
        return 1;
    int status = 0;
    char **shown = NULL;
    if (sh->st.opt.xtrace && n->u.simple.nassigns)
        shown = sh_calloc((size_t)n->u.simple.nassigns + 1, sizeof *shown);
    if (!argc) {
        /* assignments to the shell itself; redirections done and undone */
        for (int i = 0; i < n->u.simple.nassigns && status == 0; i++) {
            const assign *a = &n->u.simple.assigns[i];
            char *v = assign_value(sh, a);
            if (!v) {
                status = 1;
                break;
            }
            if (shown) {
                sh_buf b = {0};
                sh_buf_printf(&b, "%s%s=", a->name, a->append ? "+" : "");
                shell_quote(&b, v, false);
                shown[i] = sh_buf_take(&b);
            }
            if (!var_assign(sh, a->name, v, 0)) {
                /* bash drops the rest of the line after a failed assignment */
                status = 1;
                if (sh->jump == J_NONE) {
                    sh->jump = J_ABORT;
                    sh->jump_n = 1;
                }
            }
            free(v);
        }
        if (shown) {
            if (sh->jump == J_NONE)
                xtrace_argv(sh, shown, n->u.simple.nassigns, 0, NULL);
            sh_strv_free(shown);
        }
        if (status == 0 && sh->cmdsub_status >= 0)
            status = sh->cmdsub_status;
        if (n->redirs && sh->jump == J_NONE) {
            fdsave sv = {0};
            if (!apply_redirs(sh, n->redirs, &sv))
                status = 1;
            restore_redirs(sh, &sv);
        }
        sh_strv_free(argv);
        return status;
    }
    /* exec with redirections only: they stay */
    bool exec_only = argc == 1 && !strcmp(argv[0], "exec") && !funcs_get(sh->st.funcs, "exec");
    fdsave sv = {0};
    if (!apply_redirs(sh, n->redirs, exec_only ? NULL : &sv)) {
        restore_redirs(sh, &sv);
        sh_strv_free(argv);
        sh_strv_free(shown);
        return 1;
    }
    tmpvar *tmp = NULL;
    int ntmp = 0;
    if (n->u.simple.nassigns) {
        tmp = sh_calloc((size_t)n->u.simple.nassigns, sizeof *tmp);
        for (int i = 0; i < n->u.simple.nassigns; i++) {
            const assign *a = &n->u.simple.assigns[i];
            char *v = assign_value(sh, a);
            if (!v) {
                status = 1;
                break;
            }
            var *old = vars_get(sh->st.vars, a->name);
            if (old && (old->flags & V_READONLY)) {
                /* bash: the message, and the command still runs */
                shell_error(sh, "%s: readonly variable", a->name);
                free(v);
                continue;
            }
            if (shown) {
                sh_buf b = {0};
                sh_buf_printf(&b, "%s=", a->name);
                shell_quote(&b, v, false);
                shown[i] = sh_buf_take(&b);
            }
            tmp[ntmp].name = sh_strdup(a->name);
            if (old) {
                tmp[ntmp].old = sh_calloc(1, sizeof(var));
                tmp[ntmp].old->name = sh_strdup(old->name);
                tmp[ntmp].old->value = old->value ? sh_strdup(old->value) : NULL;
                tmp[ntmp].old->flags = old->flags;
            }
            ntmp++;
            vars_set(sh->st.vars, a->name, v, V_EXPORT);
            free(v);
        }
    }
    if (status == 0 && sh->jump == J_NONE) {
        if (sh->st.opt.xtrace)
            xtrace_argv(sh, shown, shown ? ntmp : 0, argc, argv);
        status = exec_only ? 0 : run_command(sh, argc, argv, false);
    }
    if (tmp)
        tmpvars_restore(sh, tmp, ntmp);
    sh_strv_free(shown);
    restore_redirs(sh, &sv);
    sh_strv_free(argv);
    return status;
}

/* ---- pipelines ----------------------------------------------------------------------- */

static int run_stage(shctx *sh, node *cmd, sh_stream *in, sh_stream *out)
{
    if (!depth_enter(sh, "pipeline"))
        return 2;
    sh_state saved;
    subshell_enter(sh, &saved);
    if (in) {
        stream_unref(sh->st.fds[0]);
        sh->st.fds[0] = stream_ref(in);
    }
    if (out) {
        stream_unref(sh->st.fds[1]);
        sh->st.fds[1] = stream_ref(out);
    }
    int status = eval_node(sh, cmd);
    status = subshell_leave(sh, &saved, status);
    depth_leave(sh);
    return status;
}

static int eval_pipeline(shctx *sh, node *n)
{
    int k = n->u.pipe.n;
    int status = 0;
    if (k == 1) {
        sh->errexit_off += n->u.pipe.bang;
        status = eval_node(sh, n->u.pipe.cmds[0]);
        sh->errexit_off -= n->u.pipe.bang;
    } else {
        sh_stream *in = NULL;
        int statuses[64];
        int nst = 0;
        for (int i = 0; i < k; i++) {
            sh_stream *out = i < k - 1 ? stream_pipe(sh, SH_PIPE_MAX) : NULL;
            int st = run_stage(sh, n->u.pipe.cmds[i], in, out);
            if (in) {
                if (stream_pipe_cut(in) && stream_at_eof(in))
                    shell_error(sh, "warning: a pipe filled its %zu MiB buffer: the command writing it was "
                                    "stopped (status 141) and the one reading it got only the first %zu MiB",
                                SH_PIPE_MAX >> 20, SH_PIPE_MAX >> 20);
                stream_unref(in);
            }
            in = out;
            if (nst < 64)
                statuses[nst++] = st;
            if (st != 0) /* pipefail: the last stage that failed */
                status = st;
            if (sh->fatal)
                break;
        }
        stream_unref(in);
        if (!sh->st.opt.pipefail)
            status = statuses[nst - 1];
        memcpy(sh->pipestatus, statuses, sizeof(int) * (size_t)nst);
        sh->npipestatus = nst;
    }
    if (n->u.pipe.bang)
        status = !status;
    return status;
}

/* ---- command substitution ---------------------------------------------------------------- */

/* The output of cmd run in a subshell, whole (NULs dropped); NULL on error. */
static char *run_captured(shctx *sh, node *cmd, bool strip_newlines);

char *command_subst(shctx *sh, node *cmd)
{
    return run_captured(sh, cmd, true);
}

char *command_subst_raw(shctx *sh, node *cmd)
{
    return run_captured(sh, cmd, false);
}

static char *run_captured(shctx *sh, node *cmd, bool strip_newlines)
{
    if (!depth_enter(sh, "command substitution"))
        return NULL;
    sh_stream *pipe = stream_pipe(sh, SH_PIPE_MAX);
    sh_state saved;
    subshell_enter(sh, &saved);
    stream_unref(sh->st.fds[1]);
    sh->st.fds[1] = stream_ref(pipe);
    int status = cmd ? eval_node(sh, cmd) : 0;
    status = subshell_leave(sh, &saved, status);
    depth_leave(sh);
    if (sh->fatal) {
        stream_unref(pipe);
        return NULL;
    }
    sh->cmdsub_status = status;
    sh->status = status;
    size_t n;
    const char *data = stream_pipe_data(pipe, &n);
    if (stream_pipe_cut(pipe))
        shell_error(sh, "warning: command substitution: output cut at %zu MiB", SH_PIPE_MAX >> 20);
    while (strip_newlines && n && data[n - 1] == '\n')
        n--;
    char *r = sh_malloc(n + 1);
    size_t k = 0;
    bool nul = false;
    for (size_t i = 0; i < n; i++) {
        if (data[i])
            r[k++] = data[i];
        else
            nul = true;
    }
    r[k] = 0;
    if (nul)
        shell_error(sh, "warning: command substitution: ignored null byte in input");
    stream_unref(pipe);
    return r;
}

char *process_subst(shctx *sh, node *cmd)
{
    /* bash runs it alongside; here it runs first and its output waits in
     * memory on the highest free fd for the command to read */
    int fd = SH_NFD - 1;
    while (fd > 2 && sh->st.fds[fd])
        fd--;
    if (fd <= 2) {
        shell_error(sh, "process substitution: no free file descriptor (at most %d at once)", SH_NFD - 3);
        if (sh->jump == J_NONE) {
            sh->jump = J_ABORT;
            sh->jump_n = 1;
        }
        return NULL;
    }
    int saved_status = sh->status, saved_cmdsub = sh->cmdsub_status;
    char *out = command_subst_raw(sh, cmd);
    sh->status = saved_status;
    sh->cmdsub_status = saved_cmdsub;
    if (!out)
        return NULL;
    sh->st.fds[fd] = stream_bytes(out, strlen(out));
    sh->procsub_fds |= 1u << fd;
    char path[16];
    snprintf(path, sizeof path, "/dev/fd/%d", fd);
    return sh_strdup(path);
}

static void procsub_close(shctx *sh, unsigned before)
{
    unsigned mine = sh->procsub_fds & ~before;
    for (int fd = 3; fd < SH_NFD; fd++)
        if (mine & (1u << fd)) {
            stream_unref(sh->st.fds[fd]);
            sh->st.fds[fd] = NULL;
        }
    sh->procsub_fds = before;
}

/* ---- compound commands ---------------------------------------------------------------------- */

/* After a loop body: true when the loop must stop (break, or a jump that
 * goes further out). */
static bool loop_stop(shctx *sh)
{
    if (sh->jump == J_BREAK) {
        if (--sh->jump_n <= 0)
            sh->jump = J_NONE;
        return true;
    }
    if (sh->jump == J_CONTINUE) {
        if (--sh->jump_n <= 0) {
            sh->jump = J_NONE;
            return false;
        }
        return true;
    }
    return sh->jump != J_NONE;
}

static int eval_cond_node(shctx *sh, node *n);

static int eval_loop(shctx *sh, node *n)
{
    int status = 0;
    sh->loop_depth++;
    for (;;) {
        sh->errexit_off++;
        int c = eval_node(sh, n->u.loop.cond);
        sh->errexit_off--;
        if (sh->jump != J_NONE) {
            if (loop_stop(sh))
                break;
            continue;
        }
        if ((c == 0) != (n->kind == N_WHILE))
            break;
        status = eval_node(sh, n->u.loop.body);
        if (loop_stop(sh))
            break;
    }
    sh->loop_depth--;
    return status;
}

static int eval_for(shctx *sh, node *n)
{
    int argc = 0;
    char **argv;
    if (n->u.for_.has_in) {
        argv = expand_words(sh, n->u.for_.words, n->u.for_.nwords, &argc);
        if (!argv)
            return 1;
    } else {
        argv = strv_dup(sh->st.pos, sh->st.npos);
        argc = sh->st.npos;
    }
    int status = 0;
    sh->loop_depth++;
    for (int i = 0; i < argc; i++) {
        if (!var_assign(sh, n->u.for_.var, argv[i], 0)) {
            status = 1;
            break;
        }
        status = eval_node(sh, n->u.for_.body);
        if (loop_stop(sh))
            break;
    }
    sh->loop_depth--;
    sh_strv_free(argv);
    return status;
}

/* Arithmetic of a word; *err on failure (message printed). */
static int64_t arith_of(shctx *sh, const word *w, bool *err, const char *prefix)
{
    *err = false;
    if (!w || !w->nparts)
        return 1;
    char *e = expand_string(sh, w);
    if (!e) {
        *err = true;
        return 0;
    }
    int64_t v = 0;
    const char *saved = sh->arith_prefix;
    sh->arith_prefix = prefix;
    if (!arith_eval(sh, e, &v))
        *err = true;
    sh->arith_prefix = saved;
    free(e);
    return v;
}

static int eval_cfor(shctx *sh, node *n)
{
    bool err;
    int status = 0;
    if (n->u.cfor.init && n->u.cfor.init->nparts)
        arith_of(sh, n->u.cfor.init, &err, "((");
    else
        err = false;
    if (err)
        return 1;
    sh->loop_depth++;
    for (;;) {
        int64_t t = arith_of(sh, n->u.cfor.test, &err, "((");
        if (err) {
            status = 1;
            break;
        }
        if (!t)
            break;
        status = eval_node(sh, n->u.cfor.body);
        if (loop_stop(sh))
            break;
        if (n->u.cfor.step && n->u.cfor.step->nparts) {
            arith_of(sh, n->u.cfor.step, &err, "((");
            if (err) {
                status = 1;
                break;
            }
        }
    }
    sh->loop_depth--;
    return status;
}

static int eval_case(shctx *sh, node *n)
{
    char *subject = expand_string(sh, n->u.case_.subject);
    if (!subject)
        return 1;
    int status = 0;
    bool fall = false;
    for (int i = 0; i < n->u.case_.nitems; i++) {
        case_item *it = &n->u.case_.items[i];
        bool hit = fall;
        for (int k = 0; k < it->npats && !hit; k++) {
            char *pat = expand_pattern(sh, it->pats[k]);
            if (!pat) {
                free(subject);
                return 1;
            }
            hit = pattern_match(sh, pat, subject);
            free(pat);
        }
        if (!hit)
            continue;
        status = it->body ? eval_node(sh, it->body) : 0;
        if (sh->jump != J_NONE)
            break;
        fall = it->end == CASE_FALL;
        if (it->end == CASE_BREAK)
            break;
    }
    free(subject);
    return status;
}

static int eval_arith_cmd(shctx *sh, node *n)
{
    sh->lineno = n->line;
    bool err;
    if (sh->st.opt.xtrace) {
        char *e = expand_string(sh, n->u.arith.expr);
        sh_buf b = {0};
        xtrace_prefix(sh, &b);
        sh_buf_printf(&b, "(( %s ))", e ? e : "");
        xtrace_write(sh, &b);
        free(e);
    }
    int64_t v = arith_of(sh, n->u.arith.expr, &err, "((");
    if (err)
        return 1;
    return v ? 0 : 1;
}

static int eval_async(shctx *sh, node *n)
{
    /* No background exists: the command runs to its end now, in a subshell
     * as bash runs it; its status is kept for `wait` and $! is set. */
    if (!depth_enter(sh, "&"))
        return 2;
    sh_state saved;
    subshell_enter(sh, &saved);
    int status = eval_node(sh, n);
    status = subshell_leave(sh, &saved, status);
    depth_leave(sh);
    sh->bg_status = status;
    sh->have_bg = true;
    return 0;
}

static int eval_node_in(shctx *sh, node *n);

int eval_node(shctx *sh, node *n)
{
    if (!n)
        return 0;
    if (sh->jump != J_NONE || sh->fatal)
        return sh->status;
    if (!nest_enter(sh))
        return sh->status = 2;
    int status = eval_node_in(sh, n);
    sh->nest--;
    return status;
}

static int eval_node_in(shctx *sh, node *n)
{
    int status = 0;
    bool check = false;
    fdsave sv = {0};
    bool redirs = n->redirs && n->kind != N_SIMPLE;
    unsigned procsubs = sh->procsub_fds;
    if (redirs) {
        sh->lineno = n->line;
        if (!apply_redirs(sh, n->redirs, &sv)) {
            restore_redirs(sh, &sv);
            procsub_close(sh, procsubs);
            sh->status = 1;
            return 1;
        }
    }
    switch (n->kind) {
    case N_SIMPLE:
        status = eval_simple(sh, n);
        check = true;
        break;
    case N_PIPELINE:
        status = eval_pipeline(sh, n);
        check = !n->u.pipe.bang;
        break;
    case N_AND:
    case N_OR:
        sh->errexit_off++;
        status = eval_node(sh, n->u.andor.l);
        sh->errexit_off--;
        if (sh->jump == J_NONE && (status == 0) == (n->kind == N_AND))
            status = eval_node(sh, n->u.andor.r);
        break;
    case N_LIST:
        for (int i = 0; i < n->u.list.n; i++) {
            if (n->u.list.async[i])
                status = eval_async(sh, n->u.list.items[i]);
            else
                status = eval_node(sh, n->u.list.items[i]);
            sh->status = status;
            if (sh->jump != J_NONE || sh->fatal)
                break;
        }
        break;
    case N_SUBSHELL: {
        if (!depth_enter(sh, "subshell")) {
            status = 2;
            break;
        }
        sh_state saved;
        subshell_enter(sh, &saved);
        status = eval_node(sh, n->u.group.body);
        status = subshell_leave(sh, &saved, status);
        depth_leave(sh);
        check = true;
        break;
    }
    case N_GROUP:
        status = eval_node(sh, n->u.group.body);
        break;
    case N_IF:
        sh->errexit_off++;
        status = eval_node(sh, n->u.if_.cond);
        sh->errexit_off--;
        if (sh->jump != J_NONE)
            break;
        if (status == 0)
            status = eval_node(sh, n->u.if_.then);
        else
            status = n->u.if_.els ? eval_node(sh, n->u.if_.els) : 0;
        break;
    case N_WHILE:
    case N_UNTIL:
        status = eval_loop(sh, n);
        break;
    case N_FOR:
        sh->lineno = n->line;
        status = eval_for(sh, n);
        break;
    case N_CFOR:
        status = eval_cfor(sh, n);
        break;
    case N_CASE:
        sh->lineno = n->line;
        status = eval_case(sh, n);
        break;
    case N_FUNCDEF:
        funcs_set(sh->st.funcs, n->u.func.name, n->u.func.body, n->u.func.text, sh->unit);
        status = 0;
        break;
    case N_ARITH:
        status = eval_arith_cmd(sh, n);
        check = true;
        break;
    case N_COND:
        status = eval_cond_node(sh, n);
        check = true;
        break;
    }
    if (redirs) {
        restore_redirs(sh, &sv);
        procsub_close(sh, procsubs);
    }
    if (sh->fatal)
        return sh->status = 2;
    sh->status = status;
    if (check && status != 0 && sh->st.opt.errexit && sh->errexit_off == 0 && sh->jump == J_NONE) {
        sh->jump = J_EXIT;
        sh->jump_n = status;
    }
    return status;
}

/* ---- [[ ]] ------------------------------------------------------------------------------- */

#include <regex.h>

/* The right side of =~ as an ERE: quoted characters match themselves. */
static char *regex_word(shctx *sh, const word *w)
{
    char *pat = expand_pattern(sh, w); /* quoted specials come back as \c */
    if (!pat)
        return NULL;
    sh_buf b = {0};
    for (const char *p = pat; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            if (strchr("\\.[]()*+?{}|^$", *p))
                sh_buf_addc(&b, '\\');
            sh_buf_addc(&b, *p);
        } else {
            sh_buf_addc(&b, *p);
        }
    }
    free(pat);
    return sh_buf_take(&b);
}

static int cond_eval(shctx *sh, const cond *c);

static int cond_binary(shctx *sh, const cond *c)
{
    const char *op = c->opname;
    char *a = expand_string(sh, c->a);
    if (!a)
        return 2;
    int r = 2;
    if (!strcmp(op, "==") || !strcmp(op, "=") || !strcmp(op, "!=")) {
        char *pat = expand_pattern(sh, c->b);
        if (pat) {
            bool m = pattern_match(sh, pat, a);
            r = (m == (op[0] != '!')) ? 0 : 1;
            free(pat);
        }
    } else if (!strcmp(op, "=~")) {
        char *re = regex_word(sh, c->b);
        if (re) {
            regex_t rx;
            int flags = REG_EXTENDED | (sh->st.opt.nocasematch ? REG_ICASE : 0);
            int e = regcomp(&rx, re, flags);
            if (e) {
                char msg[128];
                regerror(e, &rx, msg, sizeof msg);
                shell_error(sh, "[[: %s: %s", re, msg);
                r = 2;
            } else {
                regmatch_t m[10];
                if (regexec(&rx, a, 10, m, 0) == 0) {
                    r = 0;
                    /* BASH_REMATCH is an array in bash; without arrays the
                     * whole match and the groups are BASH_REMATCH_0..9 */
                    for (int i = 0; i < 10; i++) {
                        char nm[32];
                        snprintf(nm, sizeof nm, "BASH_REMATCH_%d", i);
                        if (m[i].rm_so >= 0) {
                            char *g = sh_strndup(a + m[i].rm_so, (size_t)(m[i].rm_eo - m[i].rm_so));
                            vars_set(sh->st.vars, nm, g, 0);
                            free(g);
                        } else {
                            vars_remove(sh->st.vars, nm);
                        }
                    }
                    char *g = sh_strndup(a + m[0].rm_so, (size_t)(m[0].rm_eo - m[0].rm_so));
                    vars_set(sh->st.vars, "BASH_REMATCH", g, 0);
                    free(g);
                } else {
                    r = 1;
                }
                regfree(&rx);
            }
            free(re);
        }
    } else {
        char *b = expand_string(sh, c->b);
        if (b) {
            if (!strcmp(op, "<"))
                r = strcmp(a, b) < 0 ? 0 : 1;
            else if (!strcmp(op, ">"))
                r = strcmp(a, b) > 0 ? 0 : 1;
            else if (op[0] == '-' && (op[1] == 'n' || op[1] == 'o' || op[1] == 'e') &&
                     (!strcmp(op, "-nt") || !strcmp(op, "-ot") || !strcmp(op, "-ef"))) {
                r = test_binary_op(sh, op, a, b);
            } else {
                /* -eq and friends take arithmetic expressions inside [[ ]] */
                int64_t x, y;
                if (!arith_eval(sh, a, &x) || !arith_eval(sh, b, &y)) {
                    r = 2;
                } else {
                    bool t = !strcmp(op, "-eq")   ? x == y
                             : !strcmp(op, "-ne") ? x != y
                             : !strcmp(op, "-lt") ? x < y
                             : !strcmp(op, "-le") ? x <= y
                             : !strcmp(op, "-gt") ? x > y
                                                  : x >= y;
                    r = t ? 0 : 1;
                }
            }
            free(b);
        }
    }
    free(a);
    return r;
}

static int cond_eval(shctx *sh, const cond *c)
{
    int r;
    switch (c->op) {
    case C_AND:
        r = cond_eval(sh, c->l);
        return r != 0 ? r : cond_eval(sh, c->r);
    case C_OR:
        r = cond_eval(sh, c->l);
        return r == 1 ? cond_eval(sh, c->r) : r;
    case C_NOT:
        r = cond_eval(sh, c->l);
        return r == 2 ? 2 : !r;
    case C_WORD: {
        char *a = expand_string(sh, c->a);
        if (!a)
            return 2;
        r = *a ? 0 : 1;
        free(a);
        return r;
    }
    case C_UNARY: {
        char *a = expand_string(sh, c->a);
        if (!a)
            return 2;
        if (!strcmp(c->opname, "-v")) {
            char *tmp;
            r = param_get(sh, a, &tmp) ? 0 : 1;
            free(tmp);
        }
        else if (!strcmp(c->opname, "-o"))
            r = 1;
        else
            r = test_unary_op(sh, c->opname, a);
        free(a);
        return r;
    }
    default:
        return cond_binary(sh, c);
    }
}

static int eval_cond_node(shctx *sh, node *n)
{
    sh->lineno = n->line;
    if (sh->st.opt.xtrace) {
        sh_buf b = {0};
        xtrace_prefix(sh, &b);
        sh_buf_adds(&b, "[[ ... ]]");
        xtrace_write(sh, &b);
    }
    return cond_eval(sh, n->u.cond.c);
}

/* ---- running source text ------------------------------------------------------------------- */

int run_source(shctx *sh, const char *src, size_t len, const char *name, int first_line, bool toplevel)
{
    if (memchr(src, 0, len)) {
        shell_error(sh, "%s: the script holds a NUL byte; shell scripts are text", name);
        return 126;
    }
    /* bash reads a script as lines: the last one ends with a newline too
     * (which "unexpected token `newline'" and the lines of errors show) */
    char *text = NULL;
    if (len && src[len - 1] != '\n') {
        text = sh_malloc(len + 1);
        memcpy(text, src, len);
        text[len++] = '\n';
        src = text;
    }
    parser *p = sh_parser_new(sh, src, len, name, first_line);
    free(text);
    int status = 0;
    for (;;) {
        bool err;
        sh_unit *u;
        node *n = sh_parse_next(p, &err, &u);
        if (err) {
            status = 2;
            sh->status = 2;
            break;
        }
        if (!n)
            break;
        if (sh->st.opt.noexec)
            continue;
        sh_unit *saved = sh->unit;
        sh->unit = u;
        status = eval_node(sh, n);
        sh->unit = saved;
        if (toplevel && sh->jump == J_ABORT) {
            status = sh->status = sh->jump_n;
            sh->jump = J_NONE;
        }
        if (sh->jump != J_NONE || sh->fatal)
            break;
    }
    sh_parser_free(p);
    return status;
}
