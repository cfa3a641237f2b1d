/* ls: GNU's, as it prints when its output is not a terminal: one name a
 * line (-C and -x too), names as they are. -a -A -l -1 -R -h -t -S -r -d
 * -F -p -i -s -n -g -o -U -X -v -L -c -u, --full-time, --time-style,
 * --group-directories-first; --color is accepted (never colours).
 *
 * WASI tells a file's type, size, links, inode and times, nothing more:
 * -l shows the modes rw-r--r-- (files), rwxr-xr-x (directories),
 * rwxrwxrwx (symlinks), the owner and group "user", and blocks (-s,
 * "total") as a 4 KiB-block file system allocates them. Times are UTC. */
#include "../shell.h"
#include "ls_layout.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { S_NAME, S_TIME, S_SIZE, S_NONE, S_EXT, S_VERSION };

typedef struct {
    bool all, almost_all, longfmt, recursive, human, reverse, dirs_only, classify, slash, numeric;
    bool no_owner, no_group, inode, blocks, deref, full_time, dirs_first;
    int sort;
    char timekind; /* 'm', 'c', 'a' */
    const char *time_style;
    int64_t now;
    ls_format format; /* the last of -1 -C -x -m -l (-1 does not undo -l) */
    size_t width;     /* -w, COLUMNS, or 80; 0 is unlimited */
    size_t tabsize;   /* -T, TABSIZE, or 8 */
} lsopt;

typedef struct {
    char *name;  /* as shown */
    char *path;  /* to stat and to descend */
    struct stat st;
    bool ok;
    char *target; /* a symlink's text */
} entry;

typedef struct {
    entry *v;
    size_t n;
} entries;

static void entries_free(entries *e)
{
    for (size_t i = 0; i < e->n; i++) {
        free(e->v[i].name);
        free(e->v[i].path);
        free(e->v[i].target);
    }
    free(e->v);
    e->v = NULL;
    e->n = 0;
}

static struct timespec when(const lsopt *o, const struct stat *st)
{
    return o->timekind == 'c' ? st->st_ctim : o->timekind == 'a' ? st->st_atim : st->st_mtim;
}

static const char *ext_of(const char *n)
{
    const char *d = strrchr(n, '.');
    return d && d != n ? d : "";
}

static int cmp_entry(const void *pa, const void *pb, void *ctx)
{
    const entry *a = pa, *b = pb;
    const lsopt *o = ctx;
    int d = 0;
    if (o->dirs_first) {
        bool da = a->ok && S_ISDIR(a->st.st_mode), db = b->ok && S_ISDIR(b->st.st_mode);
        if (da != db)
            return da ? -1 : 1;
    }
    switch (o->sort) {
    case S_TIME: {
        struct timespec ta = when(o, &a->st), tb = when(o, &b->st);
        if (ta.tv_sec != tb.tv_sec)
            d = ta.tv_sec > tb.tv_sec ? -1 : 1;
        else if (ta.tv_nsec != tb.tv_nsec)
            d = ta.tv_nsec > tb.tv_nsec ? -1 : 1;
        break;
    }
    case S_SIZE:
        if (a->st.st_size != b->st.st_size)
            d = a->st.st_size > b->st.st_size ? -1 : 1;
        break;
    case S_EXT:
        d = strcmp(ext_of(a->name), ext_of(b->name));
        break;
    case S_VERSION:
        d = sh_filevercmp(a->name, strlen(a->name), b->name, strlen(b->name));
        break;
    }
    if (!d)
        d = strcmp(a->name, b->name);
    return o->reverse ? -d : d;
}

static void sort_entries(const lsopt *o, entries *e)
{
    if (o->sort == S_NONE || e->n < 2)
        return;
    sh_sort(e->v, e->n, sizeof *e->v, cmp_entry, (void *)o);
}

static void stat_entry(const lsopt *o, entry *en)
{
    en->ok = (o->deref ? stat(en->path, &en->st) : lstat(en->path, &en->st)) == 0;
    if (!en->ok && o->deref)
        en->ok = lstat(en->path, &en->st) == 0;
    if (!en->ok && !strcmp(en->name, "..")) {
        /* the parent of a mapped directory is outside the sandbox: it is
         * listed (it exists), with the directory's own details */
        size_t n = strlen(en->path);
        char *self = sh_strndup(en->path, n > 3 ? n - 3 : 1);
        en->ok = stat(n > 3 ? self : ".", &en->st) == 0;
        free(self);
    }
    if (en->ok && S_ISLNK(en->st.st_mode)) {
        char buf[4096];
        ssize_t k = readlink(en->path, buf, sizeof buf - 1);
        if (k >= 0)
            en->target = sh_strndup(buf, (size_t)k);
    }
}

static int64_t kblocks(const struct stat *st)
{
    if (S_ISREG(st->st_mode))
        return st->st_size ? ((st->st_size + 4095) / 4096) * 4 : 0;
    if (S_ISDIR(st->st_mode))
        return st->st_size / 1024;
    return 0;
}

static void mode_string(const struct stat *st, char *m)
{
    char t = S_ISDIR(st->st_mode) ? 'd' : S_ISLNK(st->st_mode) ? 'l' : S_ISCHR(st->st_mode) ? 'c'
           : S_ISBLK(st->st_mode) ? 'b' : S_ISFIFO(st->st_mode) ? 'p' : S_ISSOCK(st->st_mode) ? 's' : '-';
    unsigned perm = st->st_mode & 07777;
    if (!perm) /* WASI: no permission bits at all */
        perm = t == 'd' ? 0755 : t == 'l' ? 0777 : 0644;
    m[0] = t;
    const char *rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++)
        m[1 + i] = (perm & (0400u >> i)) ? rwx[i] : '-';
    m[10] = 0;
}

static char indicator(const lsopt *o, const entry *e)
{
    if (!e->ok || !(o->classify || o->slash))
        return 0;
    if (S_ISDIR(e->st.st_mode))
        return '/';
    if (!o->classify)
        return 0;
    if (S_ISLNK(e->st.st_mode))
        return '@';
    if (S_ISFIFO(e->st.st_mode))
        return '|';
    if (S_ISSOCK(e->st.st_mode))
        return '=';
    if (S_ISREG(e->st.st_mode) && (e->st.st_mode & 0111))
        return '*';
    return 0;
}

static void format_time(const lsopt *o, sh_buf *b, struct timespec t)
{
    const char *style = o->full_time ? "full-iso" : o->time_style;
    if (style && style[0] == '+') {
        sh_format_date(b, style + 1, t.tv_sec, t.tv_nsec);
        return;
    }
    if (style && !strcmp(style, "full-iso")) {
        sh_format_date(b, "%Y-%m-%d %H:%M:%S.%N %z", t.tv_sec, t.tv_nsec);
        return;
    }
    if (style && !strcmp(style, "long-iso")) {
        sh_format_date(b, "%Y-%m-%d %H:%M", t.tv_sec, t.tv_nsec);
        return;
    }
    bool recent = t.tv_sec > o->now - 31556952 / 2 && t.tv_sec <= o->now;
    if (style && !strcmp(style, "iso")) {
        sh_format_date(b, recent ? "%m-%d %H:%M" : "%Y-%m-%d ", t.tv_sec, t.tv_nsec);
        return;
    }
    sh_format_date(b, recent ? "%b %e %H:%M" : "%b %e  %Y", t.tv_sec, t.tv_nsec);
}

static int digits(uint64_t v)
{
    int n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

static void size_text(const lsopt *o, char *buf, size_t n, uint64_t v)
{
    if (o->human)
        sh_human_size(buf, n, v);
    else
        snprintf(buf, n, "%llu", (unsigned long long)v);
}

/* Prints a list of entries (one directory's, or the files given). */
static bool print_list(shctx *sh, const lsopt *o, entries *e, bool total)
{
    sh_buf b = {0};
    int w_ino = 0, w_blk = 0, w_nl = 0, w_size = 0, w_own = 0, w_grp = 0;
    int64_t sum = 0;
    for (size_t i = 0; i < e->n; i++) {
        const entry *en = &e->v[i];
        if (!en->ok)
            continue;
        char t[32];
        sum += kblocks(&en->st);
        if (o->inode && digits((uint64_t)en->st.st_ino) > w_ino)
            w_ino = digits((uint64_t)en->st.st_ino);
        size_text(o, t, sizeof t, (uint64_t)kblocks(&en->st) * (o->human ? 1024 : 1));
        if (o->blocks && (int)strlen(t) > w_blk)
            w_blk = (int)strlen(t);
        if (digits((uint64_t)en->st.st_nlink) > w_nl)
            w_nl = digits((uint64_t)en->st.st_nlink);
        size_text(o, t, sizeof t, (uint64_t)en->st.st_size);
        if ((int)strlen(t) > w_size)
            w_size = (int)strlen(t);
        int own = o->numeric ? digits((uint64_t)en->st.st_uid) : 4;
        int grp = o->numeric ? digits((uint64_t)en->st.st_gid) : 4;
        if (own > w_own)
            w_own = own;
        if (grp > w_grp)
            w_grp = grp;
    }
    if (total && (o->longfmt || o->blocks)) {
        char t[32];
        size_text(o, t, sizeof t, (uint64_t)sum * (o->human ? 1024 : 1));
        sh_buf_printf(&b, "total %s\n", t);
    }
    /* -C, -x, -m: each entry rendered as a cell first, laid out at the end. */
    bool layout = o->format == LS_COLUMNS || o->format == LS_ACROSS || o->format == LS_COMMAS;
    sh_buf cb = {0};
    size_t *ends = layout ? sh_calloc(e->n + 1, sizeof *ends) : NULL;
    sh_buf *out = layout ? &cb : &b;
    if (o->format == LS_COMMAS)
        w_ino = w_blk = 0; /* GNU pads neither in a comma-separated list */
    for (size_t i = 0; i < e->n; i++) {
        const entry *en = &e->v[i];
        if (o->inode) {
            if (en->ok)
                sh_buf_printf(out, "%*llu ", w_ino, (unsigned long long)en->st.st_ino);
            else
                sh_buf_printf(out, "%*s ", w_ino, "?");
        }
        if (o->blocks) {
            char t[32];
            size_text(o, t, sizeof t, (uint64_t)(en->ok ? kblocks(&en->st) : 0) * (o->human ? 1024 : 1));
            sh_buf_printf(out, "%*s ", w_blk, en->ok ? t : "?");
        }
        if (o->longfmt) {
            if (!en->ok) {
                sh_buf_printf(out, "l????????? ? ? ? ? ? ");
            } else {
                char m[11], sz[32];
                mode_string(&en->st, m);
                sh_buf_printf(out, "%s %*llu ", m, w_nl, (unsigned long long)en->st.st_nlink);
                if (!o->no_owner) {
                    if (o->numeric)
                        sh_buf_printf(out, "%-*llu ", w_own, (unsigned long long)en->st.st_uid);
                    else
                        sh_buf_printf(out, "%-*s ", w_own, "user");
                }
                if (!o->no_group) {
                    if (o->numeric)
                        sh_buf_printf(out, "%-*llu ", w_grp, (unsigned long long)en->st.st_gid);
                    else
                        sh_buf_printf(out, "%-*s ", w_grp, "user");
                }
                size_text(o, sz, sizeof sz, (uint64_t)en->st.st_size);
                sh_buf_printf(out, "%*s ", w_size, sz);
                format_time(o, out, when(o, &en->st));
                sh_buf_addc(out, ' ');
            }
        }
        sh_buf_adds(out, en->name);
        if (o->longfmt && en->target) {
            sh_buf_adds(out, " -> ");
            sh_buf_adds(out, en->target);
        } else {
            char ind = indicator(o, en);
            if (ind)
                sh_buf_addc(out, ind);
        }
        if (layout) {
            ends[i] = cb.len;
            continue;
        }
        sh_buf_addc(out, '\n');
        if (b.len > 65536) {
            if (!sh_write(sh_stdout(sh), b.data, b.len)) {
                sh_buf_free(&b);
                return false;
            }
            b.len = 0;
        }
    }
    if (layout) {
        ls_cell *cells = sh_calloc(e->n + 1, sizeof *cells);
        for (size_t i = 0; i < e->n; i++) {
            size_t from = i ? ends[i - 1] : 0;
            cells[i] = (ls_cell){cb.data + from, ends[i] - from, ls_width_of(cb.data + from, ends[i] - from)};
        }
        ls_layout(&b, cells, e->n, o->format, o->width, o->tabsize);
        free(cells);
        free(ends);
        sh_buf_free(&cb);
    }
    bool ok = sh_write(sh_stdout(sh), b.data ? b.data : "", b.len);
    sh_buf_free(&b);
    return ok;
}

static char *join(const char *dir, const char *name)
{
    sh_buf b = {0};
    sh_buf_adds(&b, dir);
    if (b.len && b.data[b.len - 1] != '/')
        sh_buf_addc(&b, '/');
    sh_buf_adds(&b, name);
    return sh_buf_take(&b);
}

/* Lists directory path (shown as shown); false on a write error. *status
 * becomes 1 for a directory that cannot be read below the operands (2 for
 * an operand). */
static bool list_dir(shctx *sh, const lsopt *o, const char *path, bool header, bool *first, int *status,
                     int depth)
{
    DIR *d = opendir(path);
    if (!d) {
        sh_errno(sh, errno, "cannot open directory %s", sh_quote(sh, path));
        *status = depth ? (*status > 1 ? *status : 1) : 2;
        return true;
    }
    entries e = {0};
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *n = de->d_name;
        if (n[0] == '.' && !o->all) {
            if (!o->almost_all || !strcmp(n, ".") || !strcmp(n, ".."))
                continue;
        }
        if (e.n == cap) {
            cap = cap ? cap * 2 : 32;
            e.v = sh_realloc(e.v, cap * sizeof *e.v);
        }
        entry *en = &e.v[e.n++];
        memset(en, 0, sizeof *en);
        en->name = sh_strdup(n);
        en->path = join(path, n);
        stat_entry(o, en);
        if (!en->ok) {
            sh_errno(sh, errno, "cannot access %s", sh_quote(sh, en->path));
            if (*status < 1)
                *status = 1;
        }
    }
    closedir(d);
    sort_entries(o, &e);
    if (header) {
        sh_buf h = {0};
        sh_buf_printf(&h, "%s%s:\n", *first ? "" : "\n", path);
        sh_write(sh_stdout(sh), h.data, h.len);
        sh_buf_free(&h);
    }
    *first = false;
    bool ok = print_list(sh, o, &e, true);
    if (ok && o->recursive && depth < 128) {
        for (size_t i = 0; i < e.n && ok; i++) {
            entry *en = &e.v[i];
            if (!en->ok || !S_ISDIR(en->st.st_mode) || !strcmp(en->name, ".") || !strcmp(en->name, ".."))
                continue;
            if (sh_interrupted(sh))
                break;
            ok = list_dir(sh, o, en->path, true, first, status, depth + 1);
        }
    }
    entries_free(&e);
    return ok;
}

int util_ls(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {
        {"all", SH_NO_ARG, 'a'},       {"almost-all", SH_NO_ARG, 'A'},  {"recursive", SH_NO_ARG, 'R'},
        {"human-readable", SH_NO_ARG, 'h'}, {"reverse", SH_NO_ARG, 'r'}, {"directory", SH_NO_ARG, 'd'},
        {"classify", SH_OPT_ARG, 'F'}, {"inode", SH_NO_ARG, 'i'},       {"size", SH_NO_ARG, 's'},
        {"numeric-uid-gid", SH_NO_ARG, 'n'}, {"dereference", SH_NO_ARG, 'L'},
        {"full-time", SH_NO_ARG, 'j'}, {"time-style", SH_REQ_ARG, 'Y'}, {"color", SH_OPT_ARG, 'K'},
        {"colour", SH_OPT_ARG, 'K'},   {"group-directories-first", SH_NO_ARG, 'G'},
        {"sort", SH_REQ_ARG, 'O'},     {"time", SH_REQ_ARG, 'W'},       {"indicator-style", SH_REQ_ARG, 'I'},
        {"literal", SH_NO_ARG, 'N'},   {"quoting-style", SH_REQ_ARG, 'Q'}, {"hide-control-chars", SH_NO_ARG, 'q'},
        {"width", SH_REQ_ARG, 'w'},    {"tabsize", SH_REQ_ARG, 'T'},    {"format", SH_REQ_ARG, 'f'},    {"help", SH_NO_ARG, 'H'},        {NULL, 0, 0}};
    lsopt o = {0};
    o.sort = S_NAME;
    o.timekind = 'm';
    o.format = LS_ONE_PER_LINE; /* GNU's default when the output is not a terminal */
    o.width = 80;
    o.tabsize = 8;
    bool width_set = false, tab_set = false;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    o.now = now.tv_sec;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "aAlR1hrtSUXvdFpinsgoLcuCxmNqw:T:", lo)) != -1) {
        switch (c) {
        case 'a': o.all = true; o.almost_all = false; break;
        case 'A': o.almost_all = true; o.all = false; break;
        case 'l': o.format = LS_LONG; break;
        case 'g': o.format = LS_LONG; o.no_owner = true; break;
        case 'o': o.format = LS_LONG; o.no_group = true; break;
        case 'n': o.format = LS_LONG; o.numeric = true; break;
        case 'R': o.recursive = true; break;
        case 'h': o.human = true; break;
        case 'r': o.reverse = true; break;
        case 't': o.sort = S_TIME; break;
        case 'S': o.sort = S_SIZE; break;
        case 'U': o.sort = S_NONE; break;
        case 'X': o.sort = S_EXT; break;
        case 'v': o.sort = S_VERSION; break;
        case 'd': o.dirs_only = true; break;
        case 'F': o.classify = true; break;
        case 'p': o.slash = true; break;
        case 'i': o.inode = true; break;
        case 's': o.blocks = true; break;
        case 'L': o.deref = true; break;
        case 'c': o.timekind = 'c'; break;
        case 'u': o.timekind = 'a'; break;
        case 'j': o.format = LS_LONG; o.full_time = true; break;
        case 'Y': o.time_style = st.arg; break;
        case 'G': o.dirs_first = true; break;
        case 'O':
            o.sort = !strcmp(st.arg, "time") ? S_TIME : !strcmp(st.arg, "size") ? S_SIZE
                   : !strcmp(st.arg, "none") ? S_NONE : !strcmp(st.arg, "extension") ? S_EXT
                   : !strcmp(st.arg, "version") ? S_VERSION : S_NAME;
            break;
        case 'W':
            o.timekind = !strcmp(st.arg, "ctime") || !strcmp(st.arg, "status") ? 'c'
                       : !strcmp(st.arg, "atime") || !strcmp(st.arg, "access") || !strcmp(st.arg, "use") ? 'a'
                                                                                                          : 'm';
            break;
        case 'I':
            if (!strcmp(st.arg, "slash"))
                o.slash = true;
            else if (!strcmp(st.arg, "classify"))
                o.classify = true;
            break;
        case '1':
            if (o.format != LS_LONG) /* as GNU's: -1 does not undo -l */
                o.format = LS_ONE_PER_LINE;
            break;
        case 'C': o.format = LS_COLUMNS; break;
        case 'x': o.format = LS_ACROSS; break;
        case 'm': o.format = LS_COMMAS; break;
        case 'f': {
            static const char *const names[] = {"verbose", "long", "commas", "horizontal", "across",
                                                "vertical", "single-column", NULL};
            static const ls_format formats[] = {LS_LONG, LS_LONG, LS_COMMAS, LS_ACROSS, LS_ACROSS,
                                                LS_COLUMNS, LS_ONE_PER_LINE};
            int k = 0;
            while (names[k] && strcmp(names[k], st.arg))
                k++;
            if (!names[k]) {
                sh_err(sh, "invalid argument %s for '--format'", sh_quote(sh, st.arg));
                sh_puts(sh_stderr(sh), "Valid arguments are:\n  - 'verbose', 'long'\n  - 'commas'\n"
                                       "  - 'horizontal', 'across'\n  - 'vertical'\n  - 'single-column'\n");
                sh_try_help(sh);
                return 1; /* GNU's argmatch failure status */
            }
            o.format = formats[k];
            break;
        }
        case 'w':
        case 'T': {
            int64_t v;
            if (!sh_parse_int(st.arg, &v) || v < 0 || !isdigit((unsigned char)st.arg[0])) {
                sh_err(sh, c == 'w' ? "invalid line width: %s" : "invalid tab size: %s", sh_quote(sh, st.arg));
                return 2;
            }
            if (c == 'w')
                o.width = (size_t)v, width_set = true;
            else
                o.tabsize = (size_t)v, tab_set = true;
            break;
        }
        case 'N': case 'q': case 'K': case 'Q': break;
        case 'H':
            sh_puts(sh_stdout(sh), "Usage: ls [OPTION]... [FILE]...\n");
            return 0;
        default:
            return 2;
        }
    }
    o.longfmt = o.format == LS_LONG;
    if (!width_set && (o.format == LS_COLUMNS || o.format == LS_ACROSS || o.format == LS_COMMAS)) {
        const char *env = sh_getenv(sh, "COLUMNS");
        int64_t v;
        if (env && *env) {
            if (sh_parse_int(env, &v) && v >= 0 && isdigit((unsigned char)env[0]))
                o.width = (size_t)v;
            else
                sh_err(sh, "ignoring invalid width in environment variable COLUMNS: %s", sh_quote(sh, env));
        }
    }
    if (!tab_set) {
        const char *env = sh_getenv(sh, "TABSIZE");
        int64_t v;
        if (env && *env) {
            if (sh_parse_int(env, &v) && v >= 0 && isdigit((unsigned char)env[0]))
                o.tabsize = (size_t)v;
            else
                sh_err(sh, "ignoring invalid tab size in environment variable TABSIZE: %s", sh_quote(sh, env));
        }
    }
    char *dot[] = {".", NULL};
    char **ops = st.ind < argc ? argv + st.ind : dot;
    int nops = st.ind < argc ? argc - st.ind : 1;
    int status = 0;
    entries files = {0}, dirs = {0};
    files.v = sh_calloc((size_t)nops, sizeof(entry));
    dirs.v = sh_calloc((size_t)nops, sizeof(entry));
    for (int i = 0; i < nops; i++) {
        entry en = {sh_strdup(ops[i]), sh_strdup(ops[i]), {0}, false, NULL};
        stat_entry(&o, &en);
        if (!en.ok) {
            sh_errno(sh, errno, "cannot access %s", sh_quote(sh, ops[i]));
            status = 2;
            free(en.name);
            free(en.path);
            free(en.target);
            continue;
        }
        bool is_dir = S_ISDIR(en.st.st_mode);
        if (!is_dir && S_ISLNK(en.st.st_mode) && !o.longfmt && !o.dirs_only && !o.classify) {
            struct stat t;
            is_dir = stat(en.path, &t) == 0 && S_ISDIR(t.st_mode);
        }
        if (is_dir && !o.dirs_only)
            dirs.v[dirs.n++] = en;
        else
            files.v[files.n++] = en;
    }
    sort_entries(&o, &files);
    sort_entries(&o, &dirs);
    bool first = true, ok = true;
    if (files.n) {
        ok = print_list(sh, &o, &files, false);
        first = false;
    }
    bool headers = nops > 1 || o.recursive;
    for (size_t i = 0; i < dirs.n && ok; i++)
        ok = list_dir(sh, &o, dirs.v[i].path, headers, &first, &status, 0);
    entries_free(&files);
    entries_free(&dirs);
    return ok ? status : 2;
}
