/* du: GNU's. The space each operand (default ".") and each directory under
 * it takes, deepest first: -a files too, -s operands only, -d N / --max-depth,
 * -c a total, -h human sizes, -k -m -B SIZE, --apparent-size, -b (bytes,
 * apparent), -L / -H (follow symlinks: all, operands), -0, --exclude=GLOB
 * (matched against names and paths). A file with
 * several hard links, and a directory reached twice, count once. WASI does
 * not tell the blocks a file takes, so they are counted as a 4 KiB-block
 * file system does (as ls -s does): a file of 1 to 4096 bytes takes 4K,
 * a directory 4K, a symlink nothing. */
#include "../shell.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    uint64_t dev, ino;
} file_id;

typedef struct {
    shctx *sh;
    bool all, summarize, human, apparent, deref, deref_args, nul;
    int64_t max_depth;  /* -1: no limit */
    const char *exclude[64]; /* --exclude patterns */
    int nexclude;
    uint64_t block;     /* bytes per unit printed */
    file_id *seen;
    size_t nseen, capseen;
    int status;
    bool stop;          /* output failed */
} du_ctx;

static bool seen_before(du_ctx *c, const struct stat *st)
{
    for (size_t i = 0; i < c->nseen; i++)
        if (c->seen[i].ino == (uint64_t)st->st_ino && c->seen[i].dev == (uint64_t)st->st_dev)
            return true;
    if (c->nseen == c->capseen) {
        c->capseen = c->capseen ? c->capseen * 2 : 64;
        c->seen = sh_realloc(c->seen, c->capseen * sizeof *c->seen);
    }
    c->seen[c->nseen++] = (file_id){(uint64_t)st->st_dev, (uint64_t)st->st_ino};
    return false;
}

static uint64_t usage(const du_ctx *c, const struct stat *st)
{
    if (c->apparent)
        return st->st_size > 0 ? (uint64_t)st->st_size : 0;
    if (S_ISLNK(st->st_mode) || st->st_size <= 0)
        return S_ISDIR(st->st_mode) ? 4096 : 0;
    return ((uint64_t)st->st_size + 4095) / 4096 * 4096;
}

static void print_line(du_ctx *c, uint64_t bytes, const char *name)
{
    if (c->stop)
        return;
    sh_buf b = {0};
    if (c->human) {
        char h[32];
        sh_human_size(h, sizeof h, bytes);
        sh_buf_adds(&b, h);
    } else {
        sh_buf_printf(&b, "%llu", (unsigned long long)((bytes + c->block - 1) / c->block));
    }
    sh_buf_printf(&b, "\t%s%c", name, c->nul ? '\0' : '\n');
    if (!sh_write(sh_stdout(c->sh), b.data, b.len) || sh_interrupted(c->sh))
        c->stop = true;
    sh_buf_free(&b);
}

/* --exclude=PATTERN: a glob matched against the name (as GNU, against
 * the last component, or the whole path as printed). */
static bool excluded(const du_ctx *c, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base && base[1] ? base + 1 : path;
    for (int i = 0; i < c->nexclude; i++)
        if (fnmatch(c->exclude[i], base, 0) == 0 || fnmatch(c->exclude[i], path, 0) == 0)
            return true;
    return false;
}

/* The usage of path and everything under it; prints what the options ask. */
static uint64_t walk(du_ctx *c, sh_buf *path, int64_t depth)
{
    if (c->nexclude && excluded(c, path->data))
        return 0;
    struct stat st;
    bool follow = c->deref || (depth == 0 && c->deref_args);
    if ((follow ? stat(path->data, &st) : lstat(path->data, &st)) != 0) {
        sh_errno(c->sh, errno, "cannot access %s", sh_quote(c->sh, path->data));
        c->status = 1;
        return 0;
    }
    bool dir = S_ISDIR(st.st_mode);
    if ((dir || st.st_nlink > 1) && seen_before(c, &st))
        return 0;
    uint64_t total = usage(c, &st);
    if (dir) {
        DIR *d = opendir(path->data);
        if (!d) {
            sh_errno(c->sh, errno, "cannot read directory %s", sh_quote(c->sh, path->data));
            c->status = 1;
        } else {
            size_t base = path->len;
            struct dirent *e;
            while (!c->stop && (e = readdir(d)) != NULL) {
                if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                    continue;
                if (path->len && path->data[path->len - 1] != '/')
                    sh_buf_addc(path, '/');
                sh_buf_adds(path, e->d_name);
                total += walk(c, path, depth + 1);
                path->len = base;
                path->data[base] = 0;
            }
            closedir(d);
        }
    }
    bool in_depth = c->max_depth < 0 || depth <= c->max_depth;
    if (depth == 0 || (in_depth && !c->summarize && (dir || c->all)))
        print_line(c, total, path->data);
    return total;
}

int util_du(shctx *sh, int argc, char **argv)
{
    enum { O_APPARENT = 256, O_EXCLUDE, O_HELP };
    static const sh_longopt lo[] = {
        {"all", SH_NO_ARG, 'a'},           {"summarize", SH_NO_ARG, 's'},   {"total", SH_NO_ARG, 'c'},
        {"human-readable", SH_NO_ARG, 'h'}, {"max-depth", SH_REQ_ARG, 'd'}, {"apparent-size", SH_NO_ARG, O_APPARENT},
        {"bytes", SH_NO_ARG, 'b'},         {"block-size", SH_REQ_ARG, 'B'},  {"dereference", SH_NO_ARG, 'L'},
        {"dereference-args", SH_NO_ARG, 'D'}, {"no-dereference", SH_NO_ARG, 'P'}, {"null", SH_NO_ARG, '0'},
        {"one-file-system", SH_NO_ARG, 'x'}, {"exclude", SH_REQ_ARG, O_EXCLUDE}, {"help", SH_NO_ARG, O_HELP},   {NULL, 0, 0}};
    du_ctx c = {.sh = sh, .max_depth = -1, .block = 1024};
    bool total = false;
    sh_getopt_state st = SH_GETOPT_INIT;
    int opt;
    while ((opt = sh_getopt(sh, &st, argc, argv, "ascd:hbB:kmLDHP0x", lo)) != -1) {
        switch (opt) {
        case 'a': c.all = true; break;
        case 's': c.summarize = true; break;
        case 'c': total = true; break;
        case 'h': c.human = true; break;
        case 'd':
            if (!sh_parse_int(st.arg, &c.max_depth) || c.max_depth < 0) {
                sh_err(sh, "invalid maximum depth %s", sh_quote(sh, st.arg));
                sh_try_help(sh);
                return 1;
            }
            break;
        case O_APPARENT: c.apparent = true; break;
        case 'b': c.apparent = true; c.block = 1; c.human = false; break;
        case 'k': c.block = 1024; c.human = false; break;
        case 'm': c.block = 1024 * 1024; c.human = false; break;
        case 'B': {
            int64_t v;
            if (!sh_parse_size(st.arg, &v) || v <= 0) {
                sh_err(sh, "invalid --block-size argument %s", sh_quote(sh, st.arg));
                return 1;
            }
            c.block = (uint64_t)v;
            c.human = false;
            break;
        }
        case 'L': c.deref = true; break;
        case 'D': case 'H': c.deref_args = true; break;
        case 'P': c.deref = c.deref_args = false; break;
        case '0': c.nul = true; break;
        case 'x': break; /* one file system: the sandbox's mapped directories are the only ones */
        case O_EXCLUDE:
            if (c.nexclude == 64) {
                sh_err(sh, "too many --exclude patterns (at most 64)");
                return 1;
            }
            c.exclude[c.nexclude++] = st.arg;
            break;
        case O_HELP:
            sh_puts(sh_stdout(sh), "Usage: du [OPTION]... [FILE]...\nSummarize disk usage of the set of FILEs, "
                                   "recursively for directories.\n  -a -s -c -h -d N -k -m -b -B SIZE "
                                   "--apparent-size -L -H -0\n");
            return 0;
        default:
            return 1;
        }
    }
    if (c.summarize && c.max_depth > 0) {
        sh_err(sh, "warning: summarizing conflicts with --max-depth=%lld", (long long)c.max_depth);
        sh_try_help(sh);
        return 1;
    }
    if (c.summarize && c.all) {
        sh_err(sh, "cannot both summarize and show all entries");
        sh_try_help(sh);
        return 1;
    }
    char *dot[] = {".", NULL};
    char **ops = st.ind < argc ? argv + st.ind : dot;
    int n = st.ind < argc ? argc - st.ind : 1;
    uint64_t sum = 0;
    sh_buf path = {0};
    for (int i = 0; i < n && !c.stop; i++) {
        path.len = 0;
        sh_buf_adds(&path, ops[i]);
        sum += walk(&c, &path, 0);
    }
    if (total)
        print_line(&c, sum, "total");
    sh_buf_free(&path);
    free(c.seen);
    return c.stop ? 1 : c.status;
}
