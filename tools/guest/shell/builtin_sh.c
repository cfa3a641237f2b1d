/* builtin_sh.c: sh and bash, i.e. running a shell script: `bash -c CMD
 * [ARG0 [ARGS]]`, `bash SCRIPT [ARGS]`, `bash < SCRIPT`, and ./script.sh
 * (exec.c's run_file). The script runs as a new shell process would: in a
 * copy of the state holding only the exported variables, no functions, and
 * the options it is given. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

static void keep_exported(shctx *sh)
{
    size_t n;
    var **all = vars_list(sh->st.vars, &n);
    for (size_t i = 0; i < n; i++)
        if (!(all[i]->flags & V_EXPORT))
            vars_remove(sh->st.vars, all[i]->name);
    free(all);
    vars_set(sh->st.vars, "IFS", " \t\n", 0);
    vars_set(sh->st.vars, "PS4", "+ ", 0);
    vars_set(sh->st.vars, "PWD", sh->st.cwd, V_EXPORT);
    if (sh->home && !vars_get(sh->st.vars, "HOME"))
        vars_set(sh->st.vars, "HOME", sh->home, 0);
}

int builtin_sh(shctx *sh, int argc, char **argv)
{
    sh_options opt = {0};
    const char *command = NULL;
    int i = 1;
    for (; i < argc && (argv[i][0] == '-' || argv[i][0] == '+') && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        if (argv[i][1] == '-') { /* --norc, --noprofile, --posix ... */
            continue;
        }
        bool on = argv[i][0] == '-';
        for (const char *p = argv[i] + 1; *p; p++) {
            switch (*p) {
            case 'c': command = ""; break;
            case 'e': opt.errexit = on; break;
            case 'u': opt.nounset = on; break;
            case 'x': opt.xtrace = on; break;
            case 'f': opt.noglob = on; break;
            case 'n': opt.noexec = on; break;
            case 'v': opt.verbose = on; break;
            case 'C': opt.noclobber = on; break;
            case 'a': opt.allexport = on; break;
            case 'o':
                if (i + 1 < argc) {
                    const char *o = argv[++i];
                    if (!strcmp(o, "pipefail"))
                        opt.pipefail = on;
                    else if (!strcmp(o, "errexit"))
                        opt.errexit = on;
                    else if (!strcmp(o, "nounset"))
                        opt.nounset = on;
                    else if (!strcmp(o, "xtrace"))
                        opt.xtrace = on;
                }
                break;
            case 'l': case 'i': case 's': case 'h': case 'B': case 'r': case 'p': case 'O':
                break;
            default:
                sh_err(sh, "-%c: invalid option", *p);
                sh_puts(sh_stderr(sh), "Usage: sh [option] [-c command | script-file] [arguments]\n");
                return 2;
            }
        }
    }
    sh_buf text = {0};
    const char *name = "-c";
    const char *arg0 = argv[0];
    if (command) {
        if (i >= argc) {
            sh_err(sh, "-c: option requires an argument");
            return 2;
        }
        command = argv[i++];
        sh_buf_adds(&text, command);
        if (i < argc)
            arg0 = argv[i++];
    } else if (i < argc) {
        const char *script = argv[i++];
        sh_stream *f = sh_open(sh, script, O_RDONLY);
        if (!f) {
            sh_err(sh, "%s: %s", script, sh_strerror(errno));
            return 127;
        }
        bool ok = sh_read_all(f, &text, SH_MAX_STRING);
        int e = errno;
        sh_close(f);
        if (!ok) {
            sh_err(sh, "%s: %s", script, sh_strerror(e));
            sh_buf_free(&text);
            return 126;
        }
        name = script;
        arg0 = script;
    } else {
        if (!sh_read_all(sh_stdin(sh), &text, SH_MAX_STRING)) {
            sh_err(sh, "stdin: %s", sh_strerror(errno));
            sh_buf_free(&text);
            return 126;
        }
        name = "stdin";
    }
    if (!depth_enter(sh, argv[0])) {
        sh_buf_free(&text);
        return 2;
    }
    sh_state saved;
    subshell_enter(sh, &saved);
    keep_exported(sh);
    funcs_free(sh->st.funcs);
    sh->st.funcs = funcs_new();
    sh->st.opt = opt;
    sh_strv_free(sh->st.pos);
    sh->st.pos = strv_dup(argv + i, argc - i);
    sh->st.npos = argc - i;
    char *saved_arg0 = sh->arg0;
    const char *saved_script = sh->script_name;
    int fd = sh->func_depth, ld = sh->loop_depth, sd = sh->source_depth, line = sh->lineno;
    sh->arg0 = sh_strdup(arg0);
    sh->script_name = strcmp(name, "-c") ? name : NULL;
    sh->func_depth = sh->loop_depth = sh->source_depth = 0;
    int status = run_source(sh, text.data ? text.data : "", text.len, name, 1, true);
    status = subshell_leave(sh, &saved, status);
    free(sh->arg0);
    sh->arg0 = saved_arg0;
    sh->script_name = saved_script;
    sh->func_depth = fd;
    sh->loop_depth = ld;
    sh->source_depth = sd;
    sh->lineno = line;
    depth_leave(sh);
    sh_buf_free(&text);
    return status;
}
