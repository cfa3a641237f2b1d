/* test and [: bash's builtin, POSIX's rules by argument count (so `[ -f ]`
 * and `[ ! = x ]` mean what they mean in bash), then -a, -o, !, ( ) for
 * longer expressions. Its operators also serve [[ ]] (test_unary_op,
 * test_binary_op). File modes: WASI tells no permission bits, so -r and -w
 * ask the sandbox (access), and -x is true for directories and for files
 * that start with "#!" (what can run here: shell scripts). Errors are
 * bash's ("[: missing `]'", "integer expression expected"), status 2. */
#include "../internal.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    shctx *sh;
    char **v;
    int n, i;
    bool err;
} tparse;

static void terror(tparse *t, const char *fmt, const char *arg)
{
    if (t->err)
        return;
    t->err = true;
    if (arg)
        builtin_error(t->sh, fmt, arg);
    else
        builtin_error(t->sh, "%s", fmt);
}

static bool to_int(shctx *sh, const char *s, int64_t *v)
{
    if (sh_parse_int(s, v))
        return true;
    /* trailing blanks are allowed too */
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    char *t = sh_strndup(s, n);
    bool ok = sh_parse_int(t, v);
    free(t);
    if (!ok)
        builtin_error(sh, "%s: integer expression expected", s);
    return ok;
}

static bool is_unary(const char *s)
{
    return s[0] == '-' && s[1] && !s[2] && strchr("bcdefghknprstuwxzGLNOSv", s[1]);
}

static bool is_binary(const char *s)
{
    static const char *ops[] = {"=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge",
                                "-nt", "-ot", "-ef"};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (!strcmp(s, ops[i]))
            return true;
    return false;
}

static bool runnable(const char *path, const struct stat *st)
{
    if (S_ISDIR(st->st_mode))
        return true;
    if (!S_ISREG(st->st_mode))
        return false;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return false;
    char b[2];
    bool r = read(fd, b, 2) == 2 && b[0] == '#' && b[1] == '!';
    close(fd);
    return r;
}

int test_unary_op(shctx *sh, const char *op, const char *arg)
{
    struct stat st;
    char o = op[1];
    switch (o) {
    case 'n':
        return *arg ? 0 : 1;
    case 'z':
        return *arg ? 1 : 0;
    case 't':
        return 1; /* no terminal in the sandbox */
    case 'v': {
        char *tmp;
        bool set = param_get(sh, arg, &tmp) != NULL;
        free(tmp);
        return set ? 0 : 1;
    }
    case 'L':
    case 'h':
        return lstat(arg, &st) == 0 && S_ISLNK(st.st_mode) ? 0 : 1;
    }
    if (!*arg || stat(arg, &st) != 0)
        return 1;
    switch (o) {
    case 'e':
    case 'O':
    case 'G':
        return 0;
    case 'f':
        return S_ISREG(st.st_mode) ? 0 : 1;
    case 'd':
        return S_ISDIR(st.st_mode) ? 0 : 1;
    case 's':
        return st.st_size > 0 ? 0 : 1;
    case 'b':
        return S_ISBLK(st.st_mode) ? 0 : 1;
    case 'c':
        return S_ISCHR(st.st_mode) ? 0 : 1;
    case 'p':
        return S_ISFIFO(st.st_mode) ? 0 : 1;
    case 'S':
        return S_ISSOCK(st.st_mode) ? 0 : 1;
    case 'r':
        return access(arg, R_OK) == 0 ? 0 : 1;
    case 'w':
        return access(arg, W_OK) == 0 ? 0 : 1;
    case 'x':
        return runnable(arg, &st) ? 0 : 1;
    case 'N':
        return st.st_mtime > st.st_atime ? 0 : 1;
    default: /* -g -u -k: no set-id or sticky bits here */
        return 1;
    }
}

static int64_t mtime_ns(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

int test_binary_op(shctx *sh, const char *op, const char *a, const char *b)
{
    if (!strcmp(op, "=") || !strcmp(op, "=="))
        return strcmp(a, b) ? 1 : 0;
    if (!strcmp(op, "!="))
        return strcmp(a, b) ? 0 : 1;
    if (!strcmp(op, "<"))
        return strcmp(a, b) < 0 ? 0 : 1;
    if (!strcmp(op, ">"))
        return strcmp(a, b) > 0 ? 0 : 1;
    if (!strcmp(op, "-nt") || !strcmp(op, "-ot") || !strcmp(op, "-ef")) {
        struct stat sa, sb;
        bool ha = stat(a, &sa) == 0, hb = stat(b, &sb) == 0;
        if (op[1] == 'e')
            return ha && hb && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino ? 0 : 1;
        if (op[1] == 'n')
            return ha && (!hb || mtime_ns(&sa) > mtime_ns(&sb)) ? 0 : 1;
        return hb && (!ha || mtime_ns(&sa) < mtime_ns(&sb)) ? 0 : 1;
    }
    int64_t x, y;
    if (!to_int(sh, a, &x) || !to_int(sh, b, &y))
        return 2;
    bool r = !strcmp(op, "-eq")   ? x == y
             : !strcmp(op, "-ne") ? x != y
             : !strcmp(op, "-lt") ? x < y
             : !strcmp(op, "-le") ? x <= y
             : !strcmp(op, "-gt") ? x > y
                                  : x >= y;
    return r ? 0 : 1;
}

/* ---- the expression ----------------------------------------------------------- */

static int t_or(tparse *t);

static int t_result(tparse *t, int r)
{
    if (r == 2)
        t->err = true;
    return r;
}

static int t_primary(tparse *t)
{
    if (t->i >= t->n) {
        terror(t, "argument expected", NULL);
        return 2;
    }
    const char *a = t->v[t->i];
    if (!strcmp(a, "(")) {
        t->i++;
        int r = t_or(t);
        if (t->i >= t->n || strcmp(t->v[t->i], ")")) {
            terror(t, "`)' expected", NULL);
            return 2;
        }
        t->i++;
        return r;
    }
    if (t->i + 1 < t->n && is_binary(t->v[t->i + 1]) && t->i + 2 < t->n) {
        t->i += 3;
        return t_result(t, test_binary_op(t->sh, t->v[t->i - 2], a, t->v[t->i - 1]));
    }
    if (is_unary(a) && t->i + 1 < t->n) {
        t->i += 2;
        return t_result(t, test_unary_op(t->sh, a, t->v[t->i - 1]));
    }
    t->i++;
    return *a ? 0 : 1;
}

static int t_not(tparse *t)
{
    if (t->i < t->n && !strcmp(t->v[t->i], "!") && t->i + 1 < t->n) {
        t->i++;
        int r = t_not(t);
        return r == 2 ? 2 : !r;
    }
    return t_primary(t);
}

static int t_and(tparse *t)
{
    int r = t_not(t);
    while (!t->err && t->i < t->n && !strcmp(t->v[t->i], "-a")) {
        t->i++;
        int s = t_not(t);
        r = (r == 0 && s == 0) ? 0 : (r == 2 || s == 2) ? 2 : 1;
    }
    return r;
}

static int t_or(tparse *t)
{
    int r = t_and(t);
    while (!t->err && t->i < t->n && !strcmp(t->v[t->i], "-o")) {
        t->i++;
        int s = t_and(t);
        r = (r == 0 || s == 0) ? 0 : (r == 2 || s == 2) ? 2 : 1;
    }
    return r;
}

/* POSIX's table for up to four arguments. */
static int test_n(tparse *t, char **v, int n)
{
    switch (n) {
    case 0:
        return 1;
    case 1:
        return *v[0] ? 0 : 1;
    case 2:
        if (!strcmp(v[0], "!"))
            return *v[1] ? 1 : 0;
        if (is_unary(v[0]))
            return t_result(t, test_unary_op(t->sh, v[0], v[1]));
        terror(t, "%s: unary operator expected", v[0]);
        return 2;
    case 3:
        if (is_binary(v[1]))
            return t_result(t, test_binary_op(t->sh, v[1], v[0], v[2]));
        if (!strcmp(v[1], "-a") || !strcmp(v[1], "-o")) {
            bool a = *v[0], b = *v[2];
            return (v[1][1] == 'a' ? a && b : a || b) ? 0 : 1;
        }
        if (!strcmp(v[0], "!")) {
            int r = test_n(t, v + 1, 2);
            return r == 2 ? 2 : !r;
        }
        if (!strcmp(v[0], "(") && !strcmp(v[2], ")"))
            return *v[1] ? 0 : 1;
        terror(t, "%s: binary operator expected", v[1]);
        return 2;
    case 4:
        if (!strcmp(v[0], "!")) {
            int r = test_n(t, v + 1, 3);
            return r == 2 ? 2 : !r;
        }
        if (!strcmp(v[0], "(") && !strcmp(v[3], ")"))
            return test_n(t, v + 1, 2);
        /* fall through */
    default: {
        t->v = v;
        t->n = n;
        t->i = 0;
        int r = t_or(t);
        if (!t->err && t->i < t->n)
            terror(t, "too many arguments", NULL);
        return r;
    }
    }
}

int util_test(shctx *sh, int argc, char **argv)
{
    int n = argc - 1;
    if (!strcmp(argv[0], "[")) {
        if (!n || strcmp(argv[argc - 1], "]")) {
            builtin_error(sh, "missing `]'");
            return 2;
        }
        n--;
    }
    tparse t = {sh, argv + 1, n, 0, false};
    int r = test_n(&t, argv + 1, n);
    return t.err ? 2 : r;
}
