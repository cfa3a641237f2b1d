/* shell.c: a shell run from start to end: the initial state (variables
 * from the environment, the mapped directories, the working directory, the
 * captured stdout/stderr), running the command, the EXIT trap, the state
 * freed. main.c wraps it in the tool's JSON contract. */
#include "shell_run.h"
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef __wasi__
#include <wasi/api.h>
#endif

extern char **environ;

/* The mapped directories: the preopens (fd 3 on), or "/" on the host. */
static void find_maps(shctx *sh)
{
#ifdef __wasi__
    for (__wasi_fd_t fd = 3; sh->nmaps < 64; fd++) {
        __wasi_prestat_t ps;
        if (__wasi_fd_prestat_get(fd, &ps) != 0)
            break;
        if (ps.tag != __WASI_PREOPENTYPE_DIR)
            continue;
        size_t n = ps.u.dir.pr_name_len;
        char *name = sh_malloc(n + 1);
        if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)name, n) != 0) {
            free(name);
            continue;
        }
        name[n] = 0;
        while (n > 1 && name[n - 1] == '/')
            name[--n] = 0;
        if (name[0] != '/') { /* only absolute maps name a place the shell can cd to */
            free(name);
            continue;
        }
        char *norm = path_normalize(name);
        free(name);
        sh->maps = sh_realloc(sh->maps, sizeof *sh->maps * (size_t)(sh->nmaps + 1));
        sh->maps[sh->nmaps++] = norm;
    }
#else
    sh->maps = sh_malloc(sizeof *sh->maps);
    sh->maps[0] = sh_strdup("/");
    sh->nmaps = 1;
#endif
}

void shell_maps_text(shctx *sh, sh_buf *out)
{
    for (int i = 0; i < sh->nmaps; i++) {
        if (i)
            sh_buf_adds(out, ", ");
        sh_buf_adds(out, sh->maps[i]);
    }
    if (!sh->nmaps)
        sh_buf_adds(out, "none");
}

shctx *shell_new(size_t capture_keep)
{
    shctx *sh = sh_calloc(1, sizeof *sh);
    sh->st.vars = vars_new();
    sh->st.funcs = funcs_new();
    sh->st.pos = strv_dup(NULL, 0);
    sh->arg0 = sh_strdup("shell");
    sh->cmdsub_status = -1;
    sh->start_time = now_ms();
    uint64_t seed = 0;
    if (getentropy(&seed, sizeof seed) != 0)
        seed = (uint64_t)sh->start_time;
    sh->random_state = seed;
    find_maps(sh);
    for (char **e = environ; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq || !is_name_n(*e, (size_t)(eq - *e)))
            continue;
        char *name = sh_strndup(*e, (size_t)(eq - *e));
        vars_set(sh->st.vars, name, eq + 1, V_EXPORT);
        free(name);
    }
    /* the workspace: $PWD as the bridge sets it, else the first map */
    const char *pwd = var_value(sh, "PWD");
    char *ws = pwd && pwd[0] == '/' ? path_normalize(pwd) : NULL;
    if (!ws || !path_in_maps(sh, ws)) {
        free(ws);
        ws = sh_strdup(sh->nmaps ? sh->maps[0] : "/");
    }
    sh->home = ws;
    sh->st.cwd = sh_strdup(ws);
    sh->st.umask = 022;
    if (!var_value(sh, "HOME"))
        vars_set(sh->st.vars, "HOME", ws, V_EXPORT);
    if (!var_value(sh, "PATH"))
        vars_set(sh->st.vars, "PATH", "/usr/local/bin:/usr/bin:/bin", V_EXPORT);
    vars_set(sh->st.vars, "PWD", ws, V_EXPORT);
    vars_set(sh->st.vars, "IFS", " \t\n", 0);
    vars_set(sh->st.vars, "PS4", "+ ", 0);
    vars_set(sh->st.vars, "OPTIND", "1", 0);
    if (!var_value(sh, "SHELL"))
        vars_set(sh->st.vars, "SHELL", "/bin/sh", V_EXPORT);
    char num[16];
    snprintf(num, sizeof num, "%d", SH_PPID);
    vars_set(sh->st.vars, "PPID", num, V_READONLY);
    sh->captures[0] = stream_capture(capture_keep);
    sh->captures[1] = stream_capture(capture_keep);
    sh->st.fds[0] = stream_null();
    sh->st.fds[1] = stream_ref(sh->captures[0]);
    sh->st.fds[2] = stream_ref(sh->captures[1]);
    return sh;
}

bool shell_set_cwd(shctx *sh, const char *path, sh_buf *why)
{
    char *abs = path_join(sh->st.cwd, path);
    if (!path_in_maps(sh, abs)) {
        sh_buf_printf(why, "%s is outside the workspace (mapped directories: ", abs);
        shell_maps_text(sh, why);
        sh_buf_addc(why, ')');
        free(abs);
        return false;
    }
    struct stat st;
    if (stat(abs, &st) != 0 || !S_ISDIR(st.st_mode)) {
        sh_buf_printf(why, "%s: %s", abs, stat(abs, &st) != 0 ? sh_strerror(errno) : "Not a directory");
        free(abs);
        return false;
    }
    bool ok = shell_chdir(sh, abs);
    if (!ok)
        sh_buf_printf(why, "%s: %s", abs, sh_strerror(errno));
    free(abs);
    return ok;
}

int shell_run(shctx *sh, const char *command, size_t len)
{
    if (chdir(sh->st.cwd) != 0) {
        /* the workspace itself cannot be entered: commands still run, and
         * relative paths fail with the sandbox's error */
    }
    int status = run_source(sh, command, len, "-c", 1, true);
    if (sh->jump == J_EXIT)
        status = sh->jump_n;
    sh->jump = J_NONE;
    if (!sh->fatal) {
        run_exit_trap(sh);
        if (sh->jump == J_EXIT)
            status = sh->jump_n;
    }
    if (sh->fatal)
        status = 2;
    for (int i = 0; i < SH_NFD; i++)
        sh_flush(sh->st.fds[i]);
    return status;
}

const char *shell_fatal_message(shctx *sh)
{
    return sh->fatal ? sh->fatal_msg : NULL;
}

const char *shell_cwd(shctx *sh)
{
    return sh->st.cwd;
}

void shell_output(shctx *sh, int fd, sh_buf *out, uint64_t *total)
{
    stream_capture_text(sh->captures[fd == 1 ? 0 : 1], out, total);
}

void shell_free(shctx *sh)
{
    vars_free(sh->st.vars);
    funcs_free(sh->st.funcs);
    sh_strv_free(sh->st.pos);
    free(sh->st.cwd);
    for (int i = 0; i < SH_NFD; i++)
        stream_unref(sh->st.fds[i]);
    stream_unref(sh->captures[0]);
    stream_unref(sh->captures[1]);
    locals_pop(sh, 0);
    free(sh->arg0);
    free(sh->home);
    free(sh->fatal_msg);
    for (int i = 0; i < sh->nmaps; i++)
        free(sh->maps[i]);
    free(sh->maps);
    free(sh);
}
