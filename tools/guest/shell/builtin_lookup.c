/* builtin_lookup.c: what a name means (type, command, which) and help.
 * Utilities are reported where Linux has them, /usr/bin/NAME: scripts
 * that look a program up and run it by path still work (run_file maps
 * /usr/bin/NAME and /bin/NAME back to the utility). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static const char *keywords[] = {"!", "[[", "]]", "case", "do", "done", "elif", "else", "esac", "fi",
                                 "for", "function", "if", "in", "then", "time", "until", "while", "{", "}"};

static bool is_keyword(const char *s)
{
    for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
        if (!strcmp(keywords[i], s))
            return true;
    return false;
}

enum kind { K_NONE, K_KEYWORD, K_FUNCTION, K_BUILTIN, K_FILE };

static enum kind lookup(shctx *sh, const char *name, bool functions, const sh_cmd **cmd)
{
    *cmd = NULL;
    if (is_keyword(name))
        return K_KEYWORD;
    if (functions && funcs_get(sh->st.funcs, name))
        return K_FUNCTION;
    const sh_cmd *c = command_find(name);
    *cmd = c;
    if (c && (c->flags & CMD_BUILTIN))
        return K_BUILTIN;
    if (c && (c->flags & CMD_PROGRAM))
        return K_FILE;
    if (c)
        return K_BUILTIN;
    if (strchr(name, '/') && command_from_path(name))
        return K_FILE;
    return K_NONE;
}

static void program_path(sh_buf *b, const char *name)
{
    if (strchr(name, '/'))
        sh_buf_adds(b, name);
    else
        sh_buf_printf(b, "/usr/bin/%s", name);
}

int builtin_type(shctx *sh, int argc, char **argv)
{
    bool tflag = false, pflag = false, all = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *p = argv[i] + 1; *p; p++) {
            if (*p == 't')
                tflag = true;
            else if (*p == 'p' || *p == 'P')
                pflag = true;
            else if (*p == 'a')
                all = true;
            else if (*p != 'f') {
                builtin_error(sh, "-%c: invalid option", *p);
                builtin_usage(sh, "type [-afptP] name [name ...]");
                return 2;
            }
        }
    }
    (void)all;
    int status = 0;
    sh_stream *out = sh_stdout(sh);
    for (; i < argc; i++) {
        const char *name = argv[i];
        const sh_cmd *c;
        enum kind k = lookup(sh, name, true, &c);
        sh_buf b = {0};
        switch (k) {
        case K_KEYWORD:
            if (!pflag)
                sh_buf_printf(&b, tflag ? "keyword\n" : "%s is a shell keyword\n", name);
            break;
        case K_FUNCTION:
            if (!pflag) {
                if (tflag) {
                    sh_buf_adds(&b, "function\n");
                } else {
                    func *f = funcs_get(sh->st.funcs, name);
                    sh_buf_printf(&b, "%s is a function\n%s\n", name, f->text);
                }
            }
            break;
        case K_BUILTIN:
            if (!pflag)
                sh_buf_printf(&b, tflag ? "builtin\n" : "%s is a shell builtin\n", name);
            break;
        case K_FILE:
            if (tflag) {
                sh_buf_adds(&b, "file\n");
            } else {
                if (!pflag)
                    sh_buf_printf(&b, "%s is ", name);
                program_path(&b, name);
                sh_buf_addc(&b, '\n');
            }
            break;
        case K_NONE:
            if (!tflag && !pflag)
                builtin_error(sh, "%s: not found", name);
            status = 1;
        }
        sh_write(out, b.data ? b.data : "", b.len);
        sh_buf_free(&b);
    }
    return status;
}

int builtin_command(shctx *sh, int argc, char **argv)
{
    int i = 1;
    bool v = false, V = false;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *p = argv[i] + 1; *p; p++) {
            if (*p == 'v')
                v = true;
            else if (*p == 'V')
                V = true;
            else if (*p != 'p') {
                builtin_error(sh, "-%c: invalid option", *p);
                builtin_usage(sh, "command [-pVv] command [arg ...]");
                return 2;
            }
        }
    }
    if (i == argc)
        return 0;
    if (v || V) {
        /* bash: success when any of the names was found */
        bool found = false;
        for (; i < argc; i++) {
            const sh_cmd *c;
            enum kind k = lookup(sh, argv[i], true, &c);
            sh_buf b = {0};
            if (k == K_NONE) {
                if (V)
                    builtin_error(sh, "%s: not found", argv[i]);
                continue;
            }
            found = true;
            if (V) {
                char *args[3] = {"type", argv[i], NULL};
                builtin_type(sh, 2, args);
            } else if (k == K_FILE) {
                program_path(&b, argv[i]);
                sh_buf_addc(&b, '\n');
            } else {
                sh_buf_printf(&b, "%s\n", argv[i]);
            }
            sh_write(sh_stdout(sh), b.data ? b.data : "", b.len);
            sh_buf_free(&b);
        }
        return found ? 0 : 1;
    }
    return run_command(sh, argc - i, argv + i, true);
}

int builtin_which(shctx *sh, int argc, char **argv)
{
    int i = 1;
    bool all = false, silent = false;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *p = argv[i] + 1; *p; p++) {
            if (*p == 'a')
                all = true;
            else if (*p == 's')
                silent = true;
            else {
                sh_err(sh, "illegal option -- %c", *p);
                sh_puts(sh_stderr(sh), "usage: which [-as] program ...\n");
                return 2;
            }
        }
    }
    (void)all;
    int status = 0;
    for (; i < argc; i++) {
        const sh_cmd *c = command_find(argv[i]);
        const char *from_path = strchr(argv[i], '/') ? command_from_path(argv[i]) : NULL;
        if ((c && (c->flags & CMD_PROGRAM)) || from_path) {
            if (!silent) {
                sh_buf b = {0};
                program_path(&b, argv[i]);
                sh_buf_addc(&b, '\n');
                sh_write(sh_stdout(sh), b.data, b.len);
                sh_buf_free(&b);
            }
        } else {
            status = 1;
        }
    }
    return status;
}

int builtin_help(shctx *sh, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    sh_stream *out = sh_stdout(sh);
    sh_puts(out, "This is wasmbox's sandbox shell: a POSIX shell with bash's common extensions,\n"
                 "running entirely inside one WebAssembly module. There are no other programs:\n"
                 "the commands below are all there is. No background jobs (`&` runs the command\n"
                 "to its end), no arrays, no aliases; see the shell's README for what differs.\n\n"
                 "Commands:\n");
    size_t n;
    const sh_cmd *all = command_list(&n);
    sh_buf line = {0};
    for (size_t i = 0; i < n; i++) {
        if (line.len + strlen(all[i].name) + 1 > 76) {
            sh_buf_addc(&line, '\n');
            sh_write(out, line.data, line.len);
            line.len = 0;
        }
        sh_buf_printf(&line, "%s%s", line.len ? " " : "  ", all[i].name);
    }
    if (line.len) {
        sh_buf_addc(&line, '\n');
        sh_write(out, line.data, line.len);
    }
    sh_buf_free(&line);
    sh_puts(out, "\nKeywords: if then elif else fi for while until do done case esac in function\n"
                 "          { } [[ ]] (( )) ! time\n");
    return 0;
}
