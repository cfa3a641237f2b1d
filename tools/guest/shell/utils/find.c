/* find: GNU findutils 4.9's find. Tests -name -iname -path -ipath -regex
 * -iregex -type -mtime -mmin (and a/c) -newer -size -empty -links -inum
 * -readable -writable -executable -true -false; actions -print -print0
 * -printf -ls -delete -exec ... {} \; and {} + (-execdir), -prune -quit;
 * operators ( ) ! -not -a -o `,`; options -H -L -P -maxdepth -mindepth
 * -depth -daystart (utils/find_parse.c reads them). Commands of -exec run
 * inside the shell, as xargs's do (sh_run_program). What the sandbox
 * changes: directories are read in name order (GNU: as the file system
 * lists them); WASI tells no modes or owners, so -perm, -user and -group
 * are refused, and %m/%M/%u/%g print what `ls -l` shows; only the mapped
 * directories exist (a symlink leading out is reported, not followed).
 * Exit status 0, or 1 after any error. */
#include "find.h"

#include "../internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FIND_MAX_DEPTH 4000    /* directory nesting walked (the C stack bounds it) */
#define BATCH_MAX_ITEMS 4096   /* -exec {} +: paths per command */
#define BATCH_MAX_BYTES 131072

typedef struct {
    shctx *sh;
    fexpr *e;
    int status;
    bool quit;
    struct {
        dev_t dev;
        ino_t ino;
        const char *path;
    } *dirs;               /* directories being walked, for -L's loop check */
    size_t ndirs, dirs_cap;
} frun;

typedef struct {
    const char *path;
    const char *start;
    int depth;
    struct stat st;
    bool prune;
} fitem;

static const char *base_of(const char *path, sh_buf *tmp)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    size_t s = n;
    while (s > 0 && path[s - 1] != '/')
        s--;
    if (s == n) /* "/" */
        s = 0;
    tmp->len = 0;
    sh_buf_add(tmp, path + s, n - s);
    return tmp->data;
}

static char type_char(mode_t m)
{
    return S_ISREG(m) ? 'f' : S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISFIFO(m) ? 'p'
         : S_ISSOCK(m) ? 's' : S_ISBLK(m) ? 'b' : S_ISCHR(m) ? 'c' : 'U';
}

/* Modes as the shell's ls shows them: WASI has none to tell. */
static int mode_bits(mode_t m)
{
    return S_ISDIR(m) ? 0755 : S_ISLNK(m) ? 0777 : 0644;
}

static bool cmp_num(const fnum *n, int64_t v)
{
    return n->cmp == '+' ? v > n->n : n->cmp == '-' ? v < n->n : v == n->n;
}

static bool dir_is_empty(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return false;
    struct dirent *de;
    bool empty = true;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
            empty = false;
            break;
        }
    closedir(d);
    return empty;
}

static struct timespec time_of(const struct stat *st, char which)
{
    return which == 'a' ? st->st_atim : which == 'c' ? st->st_ctim : st->st_mtim;
}

/* ---- output -------------------------------------------------------------- */

static void out(frun *r, const char *s, size_t n)
{
    if (!r->quit && (!sh_write(sh_stdout(r->sh), s, n) || sh_interrupted(r->sh))) {
        r->quit = true;
        if (errno != EPIPE) {
            sh_errno(r->sh, errno, "write error");
            r->status = 1;
        }
    }
}

static void pad(sh_buf *o, const char *s, size_t n, bool left, int width, bool zero)
{
    size_t w = width > 0 ? (size_t)width : 0;
    if (!left)
        for (size_t k = n; k < w; k++)
            sh_buf_addc(o, zero ? '0' : ' ');
    sh_buf_add(o, s, n);
    if (left)
        for (size_t k = n; k < w; k++)
            sh_buf_addc(o, ' ');
}

static void fmt_time(sh_buf *o, struct timespec t, char k)
{
    int64_t sec = (int64_t)t.tv_sec;
    long ns = t.tv_nsec;
    /* GNU find writes ten digits of fraction: the nanoseconds and a 0 */
    switch (k) {
    case '@': sh_format_date(o, "%s.%N0", sec, ns); break;
    case '+': sh_format_date(o, "%Y-%m-%d+%H:%M:%S.%N0", sec, ns); break;
    case 'S': sh_format_date(o, "%S.%N0", sec, ns); break;
    case 'T': sh_format_date(o, "%H:%M:%S.%N0", sec, ns); break;
    case 0: sh_format_date(o, "%a %b %e %H:%M:%S.%N0 %Y", sec, ns); break;
    default: {
        char f[3] = {'%', k, 0};
        sh_format_date(o, f, sec, ns);
    }
    }
}

static void do_printf(frun *r, const fitem *it, const char *fmt)
{
    sh_buf o = {0}, field = {0}, tmp = {0};
    for (const char *p = fmt; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            static const char from[] = "abfnrtv\\", to[] = "\a\b\f\n\r\t\v\\";
            const char *f = strchr(from, *p);
            if (f) {
                sh_buf_addc(&o, to[f - from]);
            } else if (*p == 'c') {
                break;
            } else if (*p >= '0' && *p <= '7') {
                int v = 0;
                for (int k = 0; k < 3 && *p >= '0' && *p <= '7'; k++, p++)
                    v = v * 8 + (*p - '0');
                p--;
                sh_buf_addc(&o, (char)v);
            } else {
                sh_buf_addc(&o, '\\');
                sh_buf_addc(&o, *p);
            }
            continue;
        }
        if (*p != '%' || !p[1]) {
            sh_buf_addc(&o, *p);
            continue;
        }
        p++;
        bool left = false, zero = false;
        while (*p && strchr("-+ #0", *p)) {
            left |= *p == '-';
            zero |= *p == '0';
            p++;
        }
        int width = 0, prec = -1;
        while (*p >= '0' && *p <= '9')
            width = width * 10 + (*p++ - '0');
        if (*p == '.') {
            prec = 0;
            p++;
            while (*p >= '0' && *p <= '9')
                prec = prec * 10 + (*p++ - '0');
        }
        if (!*p)
            break;
        field.len = 0;
        bool number = false;
        const struct stat *st = &it->st;
        switch (*p) {
        case '%': sh_buf_addc(&field, '%'); break;
        case 'p': sh_buf_adds(&field, it->path); break;
        case 'f': sh_buf_adds(&field, base_of(it->path, &tmp)); break;
        case 'h': {
            const char *slash = strrchr(it->path, '/');
            if (!slash)
                sh_buf_addc(&field, '.');
            else if (slash == it->path)
                sh_buf_addc(&field, '/');
            else
                sh_buf_add(&field, it->path, (size_t)(slash - it->path));
            break;
        }
        case 'P': {
            size_t sl = strlen(it->start);
            const char *rest = it->path + (strncmp(it->path, it->start, sl) ? 0 : sl);
            while (*rest == '/' && it->depth > 0)
                rest++;
            sh_buf_adds(&field, it->depth ? rest : "");
            break;
        }
        case 'H': sh_buf_adds(&field, it->start); break;
        case 's': sh_buf_printf(&field, "%lld", (long long)st->st_size); number = true; break;
        case 'd': sh_buf_printf(&field, "%d", it->depth); number = true; break;
        case 'm': sh_buf_printf(&field, "%o", mode_bits(st->st_mode)); number = true; break;
        case 'M': {
            int m = mode_bits(st->st_mode);
            char t = type_char(st->st_mode);
            sh_buf_addc(&field, t == 'f' ? '-' : t);
            for (int k = 8; k >= 0; k--)
                sh_buf_addc(&field, (m >> k) & 1 ? "rwx"[(8 - k) % 3] : '-');
            break;
        }
        case 'y': sh_buf_addc(&field, type_char(st->st_mode)); break;
        case 'Y': {
            struct stat fs;
            if (S_ISLNK(st->st_mode))
                sh_buf_addc(&field, stat(it->path, &fs) == 0 ? type_char(fs.st_mode) : 'N');
            else
                sh_buf_addc(&field, type_char(st->st_mode));
            break;
        }
        case 'l':
            if (S_ISLNK(st->st_mode)) {
                char target[4096];
                ssize_t n = readlink(it->path, target, sizeof target);
                if (n > 0)
                    sh_buf_add(&field, target, (size_t)n);
            }
            break;
        case 'i': sh_buf_printf(&field, "%llu", (unsigned long long)st->st_ino); number = true; break;
        case 'n': sh_buf_printf(&field, "%llu", (unsigned long long)st->st_nlink); number = true; break;
        case 'u': case 'g': sh_buf_adds(&field, "user"); break;
        case 'U': case 'G': sh_buf_adds(&field, "1000"); number = true; break;
        case 'k': case 'b': {
            /* blocks as a 4 KiB-block file system counts them (as the shell's ls) */
            uint64_t kb = ((uint64_t)st->st_size + 4095) / 4096 * 4;
            sh_buf_printf(&field, "%llu", (unsigned long long)(*p == 'k' ? kb : kb * 2));
            number = true;
            break;
        }
        case 't': case 'a': case 'c':
            fmt_time(&field, time_of(st, *p == 't' ? 'm' : *p), 0);
            break;
        case 'T': case 'A': case 'C':
            if (p[1]) {
                fmt_time(&field, time_of(st, *p == 'T' ? 'm' : (char)(*p + 32)), p[1]);
                p++;
            }
            break;
        default:
            sh_err(r->sh, "warning: unrecognized format directive `%%%c'", *p);
            sh_buf_addc(&field, '%');
            sh_buf_addc(&field, *p);
            break;
        }
        size_t n = field.len;
        if (prec >= 0 && !number && (size_t)prec < n)
            n = (size_t)prec;
        pad(&o, field.data ? field.data : "", n, left, width, zero && number && !left);
    }
    out(r, o.data ? o.data : "", o.len);
    sh_buf_free(&o);
    sh_buf_free(&field);
    sh_buf_free(&tmp);
}

static void do_ls(frun *r, const fitem *it)
{
    const struct stat *st = &it->st;
    sh_buf o = {0};
    uint64_t kb = ((uint64_t)st->st_size + 4095) / 4096 * 4;
    int m = mode_bits(st->st_mode);
    char t = type_char(st->st_mode);
    char perms[11];
    perms[0] = t == 'f' ? '-' : t;
    for (int k = 8; k >= 0; k--)
        perms[9 - k] = (m >> k) & 1 ? "rwx"[(8 - k) % 3] : '-';
    perms[10] = 0;
    sh_buf_printf(&o, "%9llu %6llu %s %3llu %-8s %-8s %8lld ", (unsigned long long)st->st_ino,
                  (unsigned long long)kb, perms, (unsigned long long)st->st_nlink, "user", "user",
                  (long long)st->st_size);
    sh_format_date(&o, "%b %e %H:%M", (int64_t)st->st_mtim.tv_sec, 0);
    sh_buf_printf(&o, " %s", it->path);
    if (S_ISLNK(st->st_mode)) {
        char target[4096];
        ssize_t n = readlink(it->path, target, sizeof target);
        if (n > 0) {
            sh_buf_adds(&o, " -> ");
            sh_buf_add(&o, target, (size_t)n);
        }
    }
    sh_buf_addc(&o, '\n');
    out(r, o.data, o.len);
    sh_buf_free(&o);
}

/* ---- -exec ---------------------------------------------------------------- */

/* arg with every "{}" replaced by path. */
static char *subst(const char *arg, const char *path)
{
    sh_buf b = {0};
    for (const char *p = arg; *p; p++) {
        if (p[0] == '{' && p[1] == '}') {
            sh_buf_adds(&b, path);
            p++;
        } else {
            sh_buf_addc(&b, *p);
        }
    }
    return sh_buf_take(&b);
}

/* Runs argv in dir (for -execdir; NULL: here). */
static int run_in(frun *r, int argc, char **argv, const char *dir)
{
    shctx *sh = r->sh;
    sh_flush(sh_stdout(sh));
    if (!dir)
        return sh_run_program(sh, argc, argv);
    char *back = sh_strdup(sh_cwd(sh));
    char *abs = path_join(back, dir);
    int st;
    if (!shell_chdir(sh, abs)) {
        sh_errno(sh, errno, "cannot change to %s", sh_quote(sh, dir));
        st = 1;
    } else {
        st = sh_run_program(sh, argc, argv);
        if (!shell_chdir(sh, back))
            sh_errno(sh, errno, "cannot change back to %s", sh_quote(sh, back));
    }
    free(abs);
    free(back);
    return st;
}

static bool exec_one(frun *r, fnode *f, const fitem *it)
{
    char **argv = sh_calloc((size_t)f->argc + 1, sizeof *argv);
    char *dir = NULL;
    const char *path = it->path;
    sh_buf tmp = {0};
    if (f->which == 'd') { /* -execdir: in the file's directory, as ./NAME */
        const char *slash = strrchr(it->path, '/');
        dir = slash ? sh_strndup(it->path, (size_t)(slash - it->path) + (slash == it->path))
                    : sh_strdup(".");
        sh_buf base = {0};
        sh_buf_adds(&tmp, "./");
        sh_buf_adds(&tmp, base_of(it->path, &base));
        sh_buf_free(&base);
        path = tmp.data;
    }
    for (int k = 0; k < f->argc; k++)
        argv[k] = subst(f->argv[k], path);
    int st = run_in(r, f->argc, argv, dir);
    for (int k = 0; k < f->argc; k++)
        free(argv[k]);
    free(argv);
    free(dir);
    sh_buf_free(&tmp);
    return st == 0;
}

static void flush_batch(frun *r, fnode *f)
{
    if (!f->nbatch)
        return;
    int argc = f->argc + (int)f->nbatch;
    char **argv = sh_calloc((size_t)argc + 1, sizeof *argv);
    for (int k = 0; k < f->argc; k++)
        argv[k] = f->argv[k];
    for (size_t k = 0; k < f->nbatch; k++)
        argv[f->argc + (int)k] = f->batch[k];
    if (run_in(r, argc, argv, NULL) != 0)
        r->status = 1;
    free(argv);
    for (size_t k = 0; k < f->nbatch; k++)
        free(f->batch[k]);
    f->nbatch = 0;
    f->batch_bytes = 0;
}

/* ---- evaluation ---------------------------------------------------------- */

static bool eval(frun *r, fnode *f, fitem *it)
{
    const struct stat *st = &it->st;
    sh_buf tmp = {0};
    bool res = false;
    switch (f->kind) {
    case F_AND: res = eval(r, f->l, it) && !r->quit && eval(r, f->r, it); break;
    case F_OR: res = eval(r, f->l, it) || (!r->quit && eval(r, f->r, it)); break;
    case F_COMMA: eval(r, f->l, it); res = !r->quit && eval(r, f->r, it); break;
    case F_NOT: res = !eval(r, f->l, it); break;
    case F_TRUE: res = true; break;
    case F_FALSE: res = false; break;
    case F_NAME:
        res = fnmatch(f->pat, base_of(it->path, &tmp), f->icase ? FNM_CASEFOLD : 0) == 0;
        break;
    case F_PATH:
        res = fnmatch(f->pat, it->path, f->icase ? FNM_CASEFOLD : 0) == 0;
        break;
    case F_REGEX:
        res = rx_is_match(f->re, it->path, strlen(it->path));
        break;
    case F_TYPE: {
        char t = type_char(st->st_mode);
        res = strchr(f->types, t) != NULL;
        break;
    }
    case F_TIME: {
        struct timespec t = time_of(st, f->which);
        int64_t now = r->e->now_sec;
        if (r->e->daystart)
            now = (now / 86400 + 1) * 86400; /* GNU: from the end of today (UTC here) */
        double age = (double)(now - (int64_t)t.tv_sec) +
                     ((double)r->e->now_nsec - (double)t.tv_nsec) / 1e9;
        double per = f->minutes ? 60.0 : 86400.0;
        double units = age / per;
        int64_t whole = (int64_t)units;
        if (units < 0 && (double)whole != units)
            whole--; /* floor */
        res = cmp_num(&f->num, whole);
        break;
    }
    case F_NEWER: {
        struct timespec t = time_of(st, f->which);
        res = (int64_t)t.tv_sec > f->ref_sec ||
              ((int64_t)t.tv_sec == f->ref_sec && t.tv_nsec > f->ref_nsec);
        break;
    }
    case F_SIZE: {
        int64_t sz = (int64_t)st->st_size;
        int64_t units = f->unit == 1 ? sz : (sz + f->unit - 1) / f->unit;
        res = cmp_num(&f->num, units);
        break;
    }
    case F_EMPTY:
        res = S_ISREG(st->st_mode) ? st->st_size == 0
            : S_ISDIR(st->st_mode) ? dir_is_empty(it->path) : false;
        break;
    case F_LINKS: res = cmp_num(&f->num, (int64_t)st->st_nlink); break;
    case F_INUM: res = cmp_num(&f->num, (int64_t)st->st_ino); break;
    case F_READABLE: res = access(it->path, R_OK) == 0; break;
    case F_WRITABLE: res = access(it->path, W_OK) == 0; break;
    case F_EXECUTABLE:
        if (S_ISDIR(st->st_mode)) {
            res = true;
        } else if (S_ISREG(st->st_mode)) { /* as the shell's test -x: a "#!" script */
            sh_stream *s = sh_open(r->sh, it->path, O_RDONLY);
            char head[2] = {0, 0};
            if (s) {
                res = sh_read(s, head, 2) == 2 && head[0] == '#' && head[1] == '!';
                sh_close(s);
            }
        }
        break;
    case F_PRUNE:
        if (!r->e->depth_first)
            it->prune = true;
        res = true;
        break;
    case F_QUIT:
        r->quit = true;
        res = true;
        break;
    case F_PRINT:
    case F_PRINT0:
        sh_buf_adds(&tmp, it->path);
        sh_buf_addc(&tmp, f->kind == F_PRINT ? '\n' : '\0');
        out(r, tmp.data, tmp.len);
        res = true;
        break;
    case F_PRINTF: do_printf(r, it, f->pat); res = true; break;
    case F_LS: do_ls(r, it); res = true; break;
    case F_DELETE: {
        if (it->depth == 0 && !strcmp(it->path, ".")) {
            res = true; /* GNU leaves the starting point "." alone */
            break;
        }
        int rc = S_ISDIR(st->st_mode) ? rmdir(it->path) : unlink(it->path);
        if (rc != 0) {
            sh_err(r->sh, "cannot delete %s: %s", sh_quote(r->sh, it->path), sh_strerror(errno));
            r->status = 1;
        }
        res = rc == 0;
        break;
    }
    case F_EXEC: res = exec_one(r, f, it); break;
    case F_EXEC_PLUS: {
        size_t len = strlen(it->path);
        if (f->nbatch >= BATCH_MAX_ITEMS || f->batch_bytes + len > BATCH_MAX_BYTES)
            flush_batch(r, f);
        f->batch = sh_realloc(f->batch, (f->nbatch + 1) * sizeof *f->batch);
        f->batch[f->nbatch++] = sh_strdup(it->path);
        f->batch_bytes += len + 1;
        res = true;
        break;
    }
    }
    sh_buf_free(&tmp);
    return res;
}

/* ---- the walk -------------------------------------------------------------- */

static int cmp_names(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void visit(frun *r, const char *path, const char *start, int depth);

static void walk_dir(frun *r, fitem *it)
{
    DIR *d = opendir(it->path);
    if (!d) {
        sh_err(r->sh, "%s: %s", sh_quote(r->sh, it->path), sh_strerror(errno));
        r->status = 1;
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = sh_realloc(names, cap * sizeof *names);
        }
        names[n++] = sh_strdup(de->d_name);
    }
    closedir(d);
    sh_sort(names, n, sizeof *names, cmp_names, NULL);
    size_t plen = strlen(it->path);
    bool slash = plen && it->path[plen - 1] == '/';
    sh_buf child = {0};
    for (size_t k = 0; k < n; k++) {
        if (!r->quit && !sh_interrupted(r->sh)) {
            child.len = 0;
            sh_buf_adds(&child, it->path);
            if (!slash)
                sh_buf_addc(&child, '/');
            sh_buf_adds(&child, names[k]);
            visit(r, child.data, it->start, it->depth + 1);
        }
        free(names[k]);
    }
    free(names);
    sh_buf_free(&child);
}

static void visit(frun *r, const char *path, const char *start, int depth)
{
    fexpr *e = r->e;
    fitem it = {path, start, depth, {0}, false};
    bool follow = e->follow == 2 || (e->follow == 1 && depth == 0);
    int rc = follow ? stat(path, &it.st) : lstat(path, &it.st);
    if (rc != 0 && follow && (errno == ENOENT || errno == ELOOP))
        rc = lstat(path, &it.st); /* a dangling link is seen as the link */
    if (rc != 0) {
        sh_err(r->sh, "%s: %s", sh_quote(r->sh, path), sh_strerror(errno));
        r->status = 1;
        return;
    }
    bool is_dir = S_ISDIR(it.st.st_mode);
    bool in_range = e->mindepth < 0 || depth >= e->mindepth;
    if (!e->depth_first && in_range && e->root)
        eval(r, e->root, &it);
    if (is_dir && !it.prune && !r->quit && (e->maxdepth < 0 || depth < e->maxdepth)) {
        size_t k = 0;
        if (e->follow) {
            for (; k < r->ndirs; k++)
                if (r->dirs[k].dev == it.st.st_dev && r->dirs[k].ino == it.st.st_ino)
                    break;
        } else {
            k = r->ndirs;
        }
        if (k < r->ndirs) {
            sh_err(r->sh, "File system loop detected; %s is part of the same file system loop as %s.",
                   sh_quote(r->sh, path), sh_quote(r->sh, r->dirs[k].path));
            r->status = 1;
        } else if (depth >= FIND_MAX_DEPTH) {
            sh_err(r->sh, "%s: directories nested more than %d deep: not entered",
                   sh_quote(r->sh, path), FIND_MAX_DEPTH);
            r->status = 1;
        } else {
            if (r->ndirs == r->dirs_cap) {
                r->dirs_cap = r->dirs_cap ? r->dirs_cap * 2 : 32;
                r->dirs = sh_realloc(r->dirs, r->dirs_cap * sizeof *r->dirs);
            }
            r->dirs[r->ndirs].dev = it.st.st_dev;
            r->dirs[r->ndirs].ino = it.st.st_ino;
            r->dirs[r->ndirs].path = path;
            r->ndirs++;
            walk_dir(r, &it);
            r->ndirs--;
        }
    }
    if (e->depth_first && in_range && !r->quit && e->root)
        eval(r, e->root, &it);
}

int util_find(shctx *sh, int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "--help")) {
        sh_puts(sh_stdout(sh), "Usage: find [-H] [-L] [-P] [-Olevel] [-D debugopts] [path...] "
                               "[expression]\n");
        return 0;
    }
    if (argc == 2 && !strcmp(argv[1], "--version")) {
        sh_puts(sh_stdout(sh), "find (GNU findutils) 4.9.0 (wasmbox sandbox shell)\n");
        return 0;
    }
    fexpr e;
    memset(&e, 0, sizeof e);
    if (!find_parse(sh, &e, argc - 1, argv + 1)) {
        find_free(&e);
        return 1;
    }
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    e.now_sec = (int64_t)now.tv_sec;
    e.now_nsec = now.tv_nsec;
    /* No action but -prune/-quit: the whole expression is followed by -print. */
    fnode print = {.kind = F_PRINT}, top = {.kind = F_AND};
    if (!e.has_action) {
        if (e.root) {
            top.l = e.root;
            top.r = &print;
            e.root = &top;
        } else {
            e.root = &print;
        }
    }
    frun r = {sh, &e, 0, false, NULL, 0, 0};
    static char *const dot[] = {"."};
    char *const *starts = e.nstarts ? e.starts : dot;
    int nstarts = e.nstarts ? e.nstarts : 1;
    for (int i = 0; i < nstarts && !r.quit; i++) {
        if (!*starts[i]) {
            sh_err(sh, "'': No such file or directory");
            r.status = 1;
            continue;
        }
        visit(&r, starts[i], starts[i], 0);
    }
    for (size_t k = 0; k < e.nall; k++)
        if (e.all[k]->kind == F_EXEC_PLUS)
            flush_batch(&r, e.all[k]);
    free(r.dirs);
    find_free(&e);
    return r.status;
}
