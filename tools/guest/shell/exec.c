/* exec.c: running the AST: simple commands (functions, builtins,
 * utilities, scripts), compound commands, and source text line by line.
 * Control flow (break, continue, return, exit, errors that drop a line or
 * end the shell) unwinds through sh->jump: every evaluation step returns
 * when it is set. Subshells and pipelines are in subshell.c, redirections
 * in redir.c, [[ ]] in cond.c. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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
