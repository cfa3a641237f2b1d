/* redir.c: redirections. They change the shell's fd table (0-9) around a
 * command, saving what they replace (fdsave) so that it comes back after;
 * `exec` with redirections only passes no fdsave and they stay. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- redirections ---------------------------------------------------------------- */

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

void restore_redirs(shctx *sh, fdsave *sv)
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

bool apply_redirs(shctx *sh, const redir *r, fdsave *sv)
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

