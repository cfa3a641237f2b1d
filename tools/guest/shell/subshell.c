/* subshell.c: "processes" without processes. A subshell is a copy of the
 * shell's state thrown away at its end (subshell_enter/leave); pipelines run
 * their stages one after another, each a subshell, through bounded
 * in-memory pipes (README.md "Pipelines"); $(...) and <(...) capture a
 * subshell's output. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int eval_pipeline(shctx *sh, node *n)
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

/* cmd run in a subshell with its output captured in a pipe stream; NULL
 * on a fatal error. Sets sh->cmdsub_status. */
static sh_stream *run_to_pipe(shctx *sh, node *cmd)
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
    return pipe;
}

/* $(cmd): its output as a string, trailing newlines and NULs dropped (as
 * bash, which warns about the NULs); NULL on error. */
char *command_subst(shctx *sh, node *cmd)
{
    sh_stream *pipe = run_to_pipe(sh, cmd);
    if (!pipe)
        return NULL;
    size_t n;
    const char *data = stream_pipe_data(pipe, &n);
    if (stream_pipe_cut(pipe))
        shell_error(sh, "warning: command substitution: output cut at %zu MiB", SH_PIPE_MAX >> 20);
    while (n && data[n - 1] == '\n')
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
    sh_stream *pipe = run_to_pipe(sh, cmd);
    sh->status = saved_status;
    sh->cmdsub_status = saved_cmdsub;
    if (!pipe)
        return NULL;
    /* every byte, NULs and trailing newlines included: it is a file */
    size_t n;
    const char *data = stream_pipe_data(pipe, &n);
    if (stream_pipe_cut(pipe))
        shell_error(sh, "warning: process substitution: output cut at %zu MiB", SH_PIPE_MAX >> 20);
    char *out = sh_malloc(n + 1);
    memcpy(out, data, n);
    out[n] = 0;
    stream_unref(pipe);
    sh->st.fds[fd] = stream_bytes(out, n);
    sh->procsub_fds |= 1u << fd;
    char path[16];
    snprintf(path, sizeof path, "/dev/fd/%d", fd);
    return sh_strdup(path);
}

void procsub_close(shctx *sh, unsigned before)
{
    unsigned mine = sh->procsub_fds & ~before;
    for (int fd = 3; fd < SH_NFD; fd++)
        if (mine & (1u << fd)) {
            stream_unref(sh->st.fds[fd]);
            sh->st.fds[fd] = NULL;
        }
    sh->procsub_fds = before;
}

