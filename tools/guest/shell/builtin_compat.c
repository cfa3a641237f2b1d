/* builtin_compat.c: bash's builtins about things the sandbox has no use
 * for (a PATH cache, resource limits, file modes, aliases), answering as
 * bash does wherever the answer is still true, and saying so where it is
 * not. Scripts call them in their first lines (`umask 022`, `ulimit -c 0`,
 * `hash -r`), so each must behave, not merely exist. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* hash: there is no PATH search, so there is nothing to remember: the
 * table is always empty. A name is "found" when it is a command here. */
int builtin_hash(shctx *sh, int argc, char **argv)
{
    int i = 1, status = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        if (strcmp(argv[i], "-r") != 0) {
            builtin_error(sh, "%s: invalid option", argv[i]);
            sh_puts(sh_stderr(sh), "hash: usage: hash [-lr] [-p pathname] [-dt] [name ...]\n");
            return 2;
        }
    }
    if (argc == 1) {
        sh_puts(sh_stdout(sh), "hash: hash table empty\n");
        return 0;
    }
    for (; i < argc; i++)
        if (!funcs_get(sh->st.funcs, argv[i]) && !command_find(argv[i])) {
            builtin_error(sh, "%s: not found", argv[i]);
            status = 1;
        }
    return status;
}

/* ulimit: the sandbox's limits (time, fuel, memory, stack, output) are set
 * by the run's policy, outside the guest; the shell cannot read or change
 * them. The one limit of its own is file descriptors 0-9, so `-n` is 10;
 * everything else reads "unlimited" as far as the shell can tell, and
 * setting any limit fails as it does for an unprivileged bash raising a hard
 * limit, with a message naming the reason. */
static const struct ulimit_res {
    char opt;
    const char *name, *unit;
} ulimit_res[] = {
    {'c', "core file size", "blocks"}, {'d', "data seg size", "kbytes"},
    {'f', "file size", "blocks"},      {'n', "open files", NULL},
    {'s', "stack size", "kbytes"},     {'t', "cpu time", "seconds"},
    {'u', "max user processes", NULL}, {'v', "virtual memory", "kbytes"},
};
#define N_ULIMIT_RES (sizeof ulimit_res / sizeof ulimit_res[0])

static const char *ulimit_value(char opt) { return opt == 'n' ? "10" : "unlimited"; }

int builtin_ulimit(shctx *sh, int argc, char **argv)
{
    const struct ulimit_res *res = &ulimit_res[2]; /* -f, bash's default */
    bool all = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        for (const char *p = argv[i] + 1; *p; p++) {
            if (*p == 'a') {
                all = true;
                continue;
            }
            if (*p == 'H' || *p == 'S')
                continue;
            size_t k = 0;
            while (k < N_ULIMIT_RES && ulimit_res[k].opt != *p)
                k++;
            if (k == N_ULIMIT_RES) {
                builtin_error(sh, "-%c: invalid option", *p);
                sh_puts(sh_stderr(sh), "ulimit: usage: ulimit [-SHacdfnstuv] [limit]\n");
                return 2;
            }
            res = &ulimit_res[k];
        }
    }
    if (all) {
        for (size_t k = 0; k < N_ULIMIT_RES; k++) {
            char unit[32];
            if (ulimit_res[k].unit)
                snprintf(unit, sizeof unit, "(%s, -%c) ", ulimit_res[k].unit, ulimit_res[k].opt);
            else
                snprintf(unit, sizeof unit, "(-%c) ", ulimit_res[k].opt);
            sh_printf(sh_stdout(sh), "%-20s %20s%s\n", ulimit_res[k].name, unit,
                      ulimit_value(ulimit_res[k].opt));
        }
        return 0;
    }
    if (i < argc) {
        builtin_error(sh, "%s: cannot modify limit: the sandbox's limits are set by its policy",
                      res->name);
        return 1;
    }
    sh_printf(sh_stdout(sh), "%s\n", ulimit_value(res->opt));
    return 0;
}

/* umask: kept and inherited like bash's, so scripts that set and read it
 * work; WASI creates files without modes, so it changes nothing on disk
 * (README: what `ls -l` shows). */
static void umask_symbolic(sh_buf *b, unsigned mask)
{
    static const char who[] = "ugo";
    for (int w = 0; w < 3; w++) {
        unsigned allowed = ~mask >> (6 - 3 * w) & 7;
        sh_buf_printf(b, "%s%c=", w ? "," : "", who[w]);
        if (allowed & 4)
            sh_buf_addc(b, 'r');
        if (allowed & 2)
            sh_buf_addc(b, 'w');
        if (allowed & 1)
            sh_buf_addc(b, 'x');
    }
}

/* "u=rwx,g+w,o-x": each clause changes the permitted bits of its users
 * (all when none is named). Returns false after reporting, as bash does. */
static bool umask_parse_symbolic(shctx *sh, const char *s, unsigned *mask)
{
    unsigned allowed = ~*mask & 0777;
    while (*s) {
        unsigned who = 0;
        for (; *s && strchr("ugoa", *s); s++)
            who |= *s == 'u' ? 0700 : *s == 'g' ? 0070 : *s == 'o' ? 0007 : 0777;
        if (!who)
            who = 0777;
        char op = *s;
        if (op != '=' && op != '+' && op != '-') {
            builtin_error(sh, "`%c': invalid symbolic mode operator", op);
            return false;
        }
        s++;
        unsigned perm = 0;
        for (; *s && *s != ','; s++) {
            if (*s == 'r')
                perm |= 0444;
            else if (*s == 'w')
                perm |= 0222;
            else if (*s == 'x')
                perm |= 0111;
            else {
                builtin_error(sh, "`%c': invalid symbolic mode character", *s);
                return false;
            }
        }
        perm &= who;
        if (op == '=')
            allowed = (allowed & ~who) | perm;
        else if (op == '+')
            allowed |= perm;
        else
            allowed &= ~perm;
        if (*s == ',')
            s++;
    }
    *mask = ~allowed & 0777;
    return true;
}

int builtin_umask(shctx *sh, int argc, char **argv)
{
    bool symbolic = false, reusable = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *p = argv[i] + 1; *p; p++) {
            if (*p == 'S')
                symbolic = true;
            else if (*p == 'p')
                reusable = true;
            else {
                builtin_error(sh, "-%c: invalid option", *p);
                sh_puts(sh_stderr(sh), "umask: usage: umask [-p] [-S] [mode]\n");
                return 2;
            }
        }
    }
    if (i == argc) {
        sh_buf b = {0};
        if (reusable)
            sh_buf_printf(&b, "umask %s", symbolic ? "-S " : "");
        if (symbolic)
            umask_symbolic(&b, sh->st.umask);
        else
            sh_buf_printf(&b, "%04o", sh->st.umask);
        sh_buf_addc(&b, '\n');
        sh_write(sh_stdout(sh), b.data, b.len);
        sh_buf_free(&b);
        return 0;
    }
    const char *m = argv[i];
    unsigned mask = sh->st.umask;
    if (*m >= '0' && *m <= '9') {
        mask = 0;
        for (const char *p = m; *p; p++) {
            if (*p < '0' || *p > '7' || (mask = mask * 8 + (unsigned)(*p - '0')) > 0777) {
                builtin_error(sh, "%s: octal number out of range", m);
                return 1;
            }
        }
    } else if (!umask_parse_symbolic(sh, m, &mask))
        return 1;
    sh->st.umask = mask;
    if (symbolic) {
        sh_buf b = {0};
        umask_symbolic(&b, mask);
        sh_buf_addc(&b, '\n');
        sh_write(sh_stdout(sh), b.data, b.len);
        sh_buf_free(&b);
    }
    return 0;
}

/* alias/unalias: aliases are not supported (README: use a function), so
 * none ever exists: listing shows nothing, asking for one or removing one
 * finds nothing, and defining one says why it cannot be done. */
int builtin_alias(shctx *sh, int argc, char **argv)
{
    bool un = !strcmp(argv[0], "unalias");
    int i = 1, status = 0;
    if (i < argc && !strcmp(argv[i], "-p") && !un)
        i++;
    if (un && i < argc && !strcmp(argv[i], "-a"))
        return 0;
    if (un && i == argc) {
        sh_puts(sh_stderr(sh), "unalias: usage: unalias [-a] name [name ...]\n");
        return 2;
    }
    for (; i < argc; i++) {
        if (!un && strchr(argv[i], '=')) {
            builtin_error(sh, "aliases are not supported by this shell (use a function)");
            return 1;
        }
        builtin_error(sh, "%s: not found", argv[i]);
        status = 1;
    }
    return status;
}
