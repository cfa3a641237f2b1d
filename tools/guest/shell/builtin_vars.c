/* builtin_vars.c: the builtins that set variables and options: export,
 * readonly, unset, local, declare/typeset, set, shift, shopt, getopts. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool sh_setvar(shctx *sh, const char *name, const char *value)
{
    if (!is_name(name)) {
        builtin_error(sh, "`%s': not a valid identifier", name);
        return false;
    }
    return var_assign(sh, name, value, 0);
}

/* NAME or NAME=VALUE or NAME+=VALUE: *name and *value (NULL without '=')
 * allocated; false (message printed) when NAME is not a name. */
static bool split_assign(shctx *sh, const char *arg, char **name, char **value)
{
    const char *eq = strchr(arg, '=');
    size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
    bool append = n && eq && arg[n - 1] == '+';
    *name = sh_strndup(arg, n - append);
    *value = NULL;
    if (!is_name(*name)) {
        builtin_error(sh, "`%s': not a valid identifier", arg);
        free(*name);
        return false;
    }
    if (eq) {
        sh_buf b = {0};
        const char *old = append ? var_value(sh, *name) : NULL;
        sh_buf_adds(&b, old ? old : "");
        sh_buf_adds(&b, eq + 1);
        *value = sh_buf_take(&b);
    }
    return true;
}

static void print_vars(shctx *sh, unsigned need, const char *cmd)
{
    size_t n;
    var **all = vars_list(sh->st.vars, &n);
    for (size_t i = 0; i < n; i++)
        if (!need || (all[i]->flags & need))
            var_print_decl(sh, sh_stdout(sh), all[i], cmd);
    free(all);
}

/* export, readonly, declare share this: flags to add to each NAME[=VALUE]. */
static int declare_names(shctx *sh, int i, int argc, char **argv, unsigned add, unsigned remove, bool local)
{
    int status = 0;
    for (; i < argc; i++) {
        char *name, *value;
        if (!split_assign(sh, argv[i], &name, &value)) {
            status = 1;
            continue;
        }
        var *v = vars_get(sh->st.vars, name);
        if (v && (v->flags & V_READONLY) && (value || (remove & V_READONLY))) {
            shell_error(sh, "%s: readonly variable", name); /* bash names no builtin here */
            free(name);
            free(value);
            status = 1;
            continue;
        }
        if (local) {
            bool already = false;
            for (local_save *l = sh->st.locals; l; l = l->next)
                if (l->depth == sh->func_depth && !strcmp(l->name, name))
                    already = true;
            if (!already) {
                local_save *l = sh_calloc(1, sizeof *l);
                l->name = sh_strdup(name);
                l->depth = sh->func_depth;
                if (v) {
                    l->saved = sh_calloc(1, sizeof *l->saved);
                    l->saved->name = sh_strdup(v->name);
                    l->saved->value = v->value ? sh_strdup(v->value) : NULL;
                    l->saved->flags = v->flags;
                }
                l->next = sh->st.locals;
                sh->st.locals = l;
                /* a new local starts unset (bash), keeping only export */
                vars_remove(sh->st.vars, name);
                v = NULL;
                if (!value)
                    vars_set(sh->st.vars, name, NULL, V_UNSET);
            }
        }
        if (value) {
            bool ok = var_assign(sh, name, value, add & V_INTEGER);
            free(value);
            if (!ok) {
                free(name);
                status = 1;
                continue;
            }
        } else if (!vars_get(sh->st.vars, name)) {
            vars_set(sh->st.vars, name, NULL, V_UNSET);
        }
        v = vars_get(sh->st.vars, name);
        v->flags = (v->flags | add) & ~remove;
        free(name);
    }
    return status;
}

int builtin_export(shctx *sh, int argc, char **argv)
{
    int i = 1;
    bool unexport = false;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *p = argv[i] + 1; *p; p++) {
            if (*p == 'n')
                unexport = true;
            else if (*p != 'p' && *p != 'f') {
                builtin_error(sh, "-%c: invalid option", *p);
                builtin_usage(sh, "export [-fn] [name[=value] ...] or export -p");
                return 2;
            }
        }
    }
    if (i == argc) {
        print_vars(sh, V_EXPORT, "declare");
        return 0;
    }
    return declare_names(sh, i, argc, argv, unexport ? 0 : V_EXPORT, unexport ? V_EXPORT : 0, false);
}

int builtin_readonly(shctx *sh, int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        if (strcmp(argv[i], "-p")) {
            builtin_error(sh, "%s: invalid option", argv[i]);
            return 2;
        }
    }
    if (i == argc) {
        print_vars(sh, V_READONLY, "declare");
        return 0;
    }
    return declare_names(sh, i, argc, argv, V_READONLY, 0, false);
}

int builtin_local(shctx *sh, int argc, char **argv)
{
    if (!sh->func_depth) {
        builtin_error(sh, "can only be used in a function");
        return 1;
    }
    int i = 1;
    unsigned add = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *p = argv[i] + 1; *p; p++) {
            if (*p == 'x')
                add |= V_EXPORT;
            else if (*p == 'r')
                add |= V_READONLY;
            else if (*p == 'i')
                add |= V_INTEGER;
            else if (*p == 'a' || *p == 'A') {
                builtin_error(sh, "arrays are not supported by this shell");
                return 2;
            } else {
                builtin_error(sh, "-%c: invalid option", *p);
                return 2;
            }
        }
    }
    return declare_names(sh, i, argc, argv, add, 0, true);
}

/* A function as it was written (bash prints its own re-formatting). */
static void print_function(shctx *sh, func *f)
{
    sh_puts(sh_stdout(sh), f->text);
    sh_putc(sh_stdout(sh), '\n');
}

int builtin_declare(shctx *sh, int argc, char **argv)
{
    int i = 1;
    unsigned add = 0, remove = 0;
    bool print = false, funcs = false, fnames = false, global = false;
    for (; i < argc && (argv[i][0] == '-' || argv[i][0] == '+') && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        bool on = argv[i][0] == '-';
        for (const char *p = argv[i] + 1; *p; p++) {
            unsigned f = 0;
            switch (*p) {
            case 'x': f = V_EXPORT; break;
            case 'r': f = V_READONLY; break;
            case 'i': f = V_INTEGER; break;
            case 'p': print = true; break;
            case 'f': funcs = true; break;
            case 'F': fnames = true; break;
            case 'g': global = true; break;
            case 'a':
            case 'A':
                builtin_error(sh, "arrays are not supported by this shell");
                return 2;
            case 'l':
            case 'u':
            case 't':
            case 'n':
                builtin_error(sh, "-%c: not supported by this shell", *p);
                return 2;
            default:
                builtin_error(sh, "-%c: invalid option", *p);
                return 2;
            }
            if (on)
                add |= f;
            else
                remove |= f;
        }
    }
    if (funcs || fnames) {
        size_t n;
        func **all = funcs_list(sh->st.funcs, &n);
        int status = 0;
        for (size_t k = 0; k < n; k++) {
            bool want = i == argc;
            for (int j = i; j < argc; j++)
                if (!strcmp(argv[j], all[k]->name))
                    want = true;
            if (!want)
                continue;
            if (fnames)
                sh_printf(sh_stdout(sh), "declare -f %s\n", all[k]->name);
            else
                print_function(sh, all[k]);
        }
        for (int j = i; j < argc; j++)
            if (!funcs_get(sh->st.funcs, argv[j]))
                status = 1;
        free(all);
        return status;
    }
    if (print || i == argc) {
        if (i == argc) {
            print_vars(sh, add, "declare");
            return 0;
        }
        int status = 0;
        for (; i < argc; i++) {
            var *v = vars_get(sh->st.vars, argv[i]);
            if (!v) {
                builtin_error(sh, "%s: not found", argv[i]);
                status = 1;
                continue;
            }
            var_print_decl(sh, sh_stdout(sh), v, "declare");
        }
        return status;
    }
    bool local = sh->func_depth > 0 && !global;
    return declare_names(sh, i, argc, argv, add, remove, local);
}

int builtin_unset(shctx *sh, int argc, char **argv)
{
    int i = 1;
    bool funcs = false, vars_only = false;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *p = argv[i] + 1; *p; p++) {
            if (*p == 'f')
                funcs = true;
            else if (*p == 'v')
                vars_only = true;
            else if (*p != 'n') {
                builtin_error(sh, "-%c: invalid option", *p);
                builtin_usage(sh, "unset [-f] [-v] [-n] [name ...]");
                return 2;
            }
        }
    }
    int status = 0;
    for (; i < argc; i++) {
        if (funcs) {
            funcs_remove(sh->st.funcs, argv[i]);
            continue;
        }
        if (!is_name(argv[i])) { /* not a variable: a function may have any name */
            if (vars_only) {
                builtin_error(sh, "`%s': not a valid identifier", argv[i]);
                status = 1;
            } else {
                funcs_remove(sh->st.funcs, argv[i]);
            }
            continue;
        }
        if (vars_get(sh->st.vars, argv[i]) || vars_only) {
            if (!var_unset(sh, argv[i]))
                status = 1;
        } else {
            funcs_remove(sh->st.funcs, argv[i]);
        }
    }
    return status;
}

/* ---- set ----------------------------------------------------------------------- */

typedef struct {
    const char *name;
    char letter;
    size_t offset;
} optdesc;

#define OPT(n, l, f) {n, l, offsetof(sh_options, f)}
static const optdesc set_opts[] = {
    OPT("allexport", 'a', allexport), OPT("errexit", 'e', errexit), OPT("noclobber", 'C', noclobber),
    OPT("noexec", 'n', noexec),       OPT("noglob", 'f', noglob),   OPT("nounset", 'u', nounset),
    OPT("pipefail", 0, pipefail),     OPT("verbose", 'v', verbose), OPT("xtrace", 'x', xtrace),
};
/* accepted, with nothing to do in the sandbox */
static const char *set_ignored[] = {"braceexpand", "hashall", "interactive-comments", "monitor", "notify",
                                    "posix", "emacs", "vi", "histexpand", "history", "ignoreeof",
                                    "keyword", "onecmd", "physical", "privileged", "functrace", "errtrace"};

static bool *opt_field(shctx *sh, const optdesc *o)
{
    return (bool *)((char *)&sh->st.opt + o->offset);
}

static const optdesc *opt_by_letter(char c)
{
    for (size_t i = 0; i < sizeof set_opts / sizeof *set_opts; i++)
        if (set_opts[i].letter == c)
            return &set_opts[i];
    return NULL;
}

static void print_set_o(shctx *sh, bool as_commands)
{
    for (size_t i = 0; i < sizeof set_opts / sizeof *set_opts; i++) {
        bool on = *opt_field(sh, &set_opts[i]);
        if (as_commands)
            sh_printf(sh_stdout(sh), "set %co %s\n", on ? '-' : '+', set_opts[i].name);
        else
            sh_printf(sh_stdout(sh), "%-15s\t%s\n", set_opts[i].name, on ? "on" : "off");
    }
}

static int set_named(shctx *sh, const char *name, bool on)
{
    for (size_t i = 0; i < sizeof set_opts / sizeof *set_opts; i++)
        if (!strcmp(set_opts[i].name, name)) {
            *opt_field(sh, &set_opts[i]) = on;
            return 0;
        }
    for (size_t i = 0; i < sizeof set_ignored / sizeof *set_ignored; i++)
        if (!strcmp(set_ignored[i], name))
            return 0;
    builtin_error(sh, "%s: invalid option name", name);
    return 2;
}

int builtin_set(shctx *sh, int argc, char **argv)
{
    if (argc == 1) {
        size_t n;
        var **all = vars_list(sh->st.vars, &n);
        sh_buf b = {0};
        for (size_t i = 0; i < n; i++) {
            if (all[i]->flags & V_UNSET)
                continue;
            sh_buf_adds(&b, all[i]->name);
            sh_buf_addc(&b, '=');
            shell_quote(&b, all[i]->value, false);
            sh_buf_addc(&b, '\n');
        }
        sh_write(sh_stdout(sh), b.data ? b.data : "", b.len);
        sh_buf_free(&b);
        free(all);
        return 0;
    }
    int i = 1;
    bool set_args = false;
    for (; i < argc; i++) {
        char *a = argv[i];
        if ((a[0] != '-' && a[0] != '+') || !a[1]) {
            if (!strcmp(a, "-")) { /* "set -": end of options, -x and -v off */
                sh->st.opt.xtrace = sh->st.opt.verbose = false;
                i++;
                set_args = true;
            }
            break;
        }
        if (!strcmp(a, "--")) {
            i++;
            set_args = true;
            break;
        }
        bool on = a[0] == '-';
        for (const char *p = a + 1; *p; p++) {
            if (*p == 'o') {
                if (i + 1 >= argc) {
                    print_set_o(sh, !on);
                    continue;
                }
                int r = set_named(sh, argv[++i], on);
                if (r)
                    return r;
                continue;
            }
            const optdesc *o = opt_by_letter(*p);
            if (o) {
                *opt_field(sh, o) = on;
            } else if (*p == 'h' || *p == 'B' || *p == 'm' || *p == 'b' || *p == 'H' || *p == 'P' ||
                       *p == 'T' || *p == 'E' || *p == 'k' || *p == 't') {
                /* accepted: nothing to do without jobs, history or a hash table */
            } else {
                builtin_error(sh, "%c%c: invalid option", a[0], *p);
                builtin_usage(sh, "set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]");
                return 2;
            }
        }
    }
    if (i < argc || set_args) {
        sh_strv_free(sh->st.pos);
        sh->st.npos = argc - i;
        sh->st.pos = strv_dup(argv + i, argc - i);
    }
    return 0;
}

int builtin_shift(shctx *sh, int argc, char **argv)
{
    int64_t n = 1;
    if (argc > 1 && (!sh_parse_int(argv[1], &n) || n < 0)) {
        builtin_error(sh, "%s: numeric argument required", argv[1]);
        return 1;
    }
    if (n > sh->st.npos) {
        return 1;
    }
    for (int64_t k = 0; k < n; k++)
        free(sh->st.pos[k]);
    memmove(sh->st.pos, sh->st.pos + n, sizeof(char *) * (size_t)(sh->st.npos - n + 1));
    sh->st.npos -= (int)n;
    return 0;
}

/* ---- shopt ------------------------------------------------------------------------ */

static const optdesc shopts[] = {
    OPT("dotglob", 0, dotglob),       OPT("expand_aliases", 0, expand_aliases),
    OPT("extglob", 0, extglob),       OPT("failglob", 0, failglob),
    OPT("globstar", 0, globstar),     OPT("nocaseglob", 0, nocaseglob),
    OPT("nocasematch", 0, nocasematch), OPT("nullglob", 0, nullglob),
};
static const char *shopt_ignored[] = {"lastpipe", "inherit_errexit", "extquote", "checkwinsize",
                                      "histappend", "cmdhist", "promptvars", "sourcepath",
                                      "progcomp", "interactive_comments", "globskipdots",
                                      "patsub_replacement", "expand_aliases"};

int builtin_shopt(shctx *sh, int argc, char **argv)
{
    int i = 1;
    int mode = 0; /* 's', 'u', or 0 to print */
    bool quiet = false, as_cmd = false, use_o = false;
    for (; i < argc && argv[i][0] == '-'; i++) {
        for (const char *p = argv[i] + 1; *p; p++) {
            if (*p == 's' || *p == 'u')
                mode = *p;
            else if (*p == 'q')
                quiet = true;
            else if (*p == 'p')
                as_cmd = true;
            else if (*p == 'o')
                use_o = true;
            else {
                builtin_error(sh, "-%c: invalid option", *p);
                builtin_usage(sh, "shopt [-pqsu] [-o] [optname ...]");
                return 2;
            }
        }
    }
    if (use_o) {
        int status = 0;
        for (; i < argc; i++)
            if (set_named(sh, argv[i], mode == 's'))
                status = 1;
        return status;
    }
    int status = 0;
    size_t nopts = sizeof shopts / sizeof *shopts;
    for (size_t k = 0; i == argc && k < nopts; k++) {
        bool on = *opt_field(sh, &shopts[k]);
        if (mode && (mode == 's') != on)
            continue;
        if (as_cmd)
            sh_printf(sh_stdout(sh), "shopt %s %s\n", on ? "-s" : "-u", shopts[k].name);
        else
            sh_printf(sh_stdout(sh), "%-15s\t%s\n", shopts[k].name, on ? "on" : "off");
    }
    for (; i < argc; i++) {
        const optdesc *o = NULL;
        for (size_t k = 0; k < nopts; k++)
            if (!strcmp(shopts[k].name, argv[i]))
                o = &shopts[k];
        if (!o) {
            bool ignored = false;
            for (size_t k = 0; k < sizeof shopt_ignored / sizeof *shopt_ignored; k++)
                if (!strcmp(shopt_ignored[k], argv[i]))
                    ignored = true;
            if (!ignored) {
                builtin_error(sh, "%s: invalid shell option name", argv[i]);
                status = 1;
            }
            continue;
        }
        if (o->offset == offsetof(sh_options, extglob) && mode == 's') {
            builtin_error(sh, "extglob: extended patterns are not supported by this shell");
            status = 1;
            continue;
        }
        if (mode) {
            *opt_field(sh, o) = mode == 's';
        } else {
            bool on = *opt_field(sh, o);
            if (!on)
                status = 1;
            if (!quiet) {
                if (as_cmd)
                    sh_printf(sh_stdout(sh), "shopt %s %s\n", on ? "-s" : "-u", o->name);
                else
                    sh_printf(sh_stdout(sh), "%-15s\t%s\n", o->name, on ? "on" : "off");
            }
        }
    }
    return status;
}

/* ---- getopts -------------------------------------------------------------------------- */

int builtin_getopts(shctx *sh, int argc, char **argv)
{
    if (argc < 3) {
        builtin_usage(sh, "getopts optstring name [arg ...]");
        return 2;
    }
    const char *optstring = argv[1];
    const char *name = argv[2];
    bool silent = optstring[0] == ':';
    char **args = argc > 3 ? argv + 3 : sh->st.pos;
    int nargs = argc > 3 ? argc - 3 : sh->st.npos;
    const char *oi = var_value(sh, "OPTIND");
    int64_t optind = 1;
    if (oi && (!sh_parse_int(oi, &optind) || optind < 1))
        optind = 1;
    /* the position inside a group of options, kept while OPTIND is ours */
    if (optind != sh->getopts_optind)
        sh->getopts_pos = 0;
    char buf[32];
    char c[2] = {0, 0};
    int status = 0;
    if (optind > nargs) {
        status = 1;
    } else {
        const char *a = args[optind - 1];
        if (sh->getopts_pos == 0) {
            if (a[0] != '-' || !a[1]) {
                status = 1;
            } else if (!strcmp(a, "--")) {
                optind++;
                status = 1;
            } else {
                sh->getopts_pos = 1;
            }
        }
        if (!status) {
            c[0] = a[sh->getopts_pos++];
            const char *o = c[0] == ':' ? NULL : strchr(optstring + silent, c[0]);
            bool end = !a[sh->getopts_pos];
            if (!o) {
                if (silent) {
                    sh_setvar(sh, "OPTARG", c);
                } else {
                    shell_error(sh, "illegal option -- %c", c[0]);
                    var_unset(sh, "OPTARG");
                }
                c[0] = '?';
            } else if (o[1] == ':') {
                if (!end) {
                    sh_setvar(sh, "OPTARG", a + sh->getopts_pos);
                    end = true;
                } else if (optind < nargs) {
                    sh_setvar(sh, "OPTARG", args[optind]);
                    optind++;
                } else {
                    if (silent) {
                        sh_setvar(sh, "OPTARG", c);
                        c[0] = ':';
                    } else {
                        shell_error(sh, "option requires an argument -- %c", c[0]);
                        var_unset(sh, "OPTARG");
                        c[0] = '?';
                    }
                }
            } else {
                var_unset(sh, "OPTARG");
            }
            if (end) {
                optind++;
                sh->getopts_pos = 0;
            }
        }
    }
    if (status)
        c[0] = '?';
    sh_setvar(sh, name, c);
    snprintf(buf, sizeof buf, "%lld", (long long)optind);
    sh_setvar(sh, "OPTIND", buf);
    sh->getopts_optind = optind;
    return status;
}
