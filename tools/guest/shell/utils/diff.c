/* diff: GNU diffutils' diff for the options agents use. Normal output,
 * unified (-u, -U N, --unified[=N]), context (-c, -C N) with --label; -q (brief), -s (say
 * identical); -i, -w, -b, -B, --strip-trailing-cr (what counts as equal);
 * -a (binary files as text), -d (minimal); directories: -r, -N (absent
 * files as empty), -x PAT (names to leave out). Exit 0 same, 1 different,
 * 2 trouble. A file with a NUL byte in its first 32 KiB is binary:
 * "Binary files a and b differ". Which lines changed: diff_seq.c; the
 * formats: diff_out.c. */
#include "diff.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef struct {
    diff_outopt out;
    bool brief, report_same, recursive, new_file, icase, ws_all, ws_change, blank, text, minimal, strip_cr;
    char **exclude;
    size_t nexclude;
    sh_buf switches;  /* the options as given, for "diff -r a/x b/x" */
} dopt;

/* ---- what counts as equal ------------------------------------------------ */

/* Walks a line as it is compared: case folded with -i, blanks dropped (-w)
 * or runs of them made one space and trailing ones dropped (-b). Without
 * -w/-b the newline is part of the line: a last line without one differs
 * from the same line with one, as in GNU diff. */
typedef struct {
    const char *p, *e;
    bool nl;
} walker;

static void walk_init(const dopt *o, walker *w, const char *p, size_t n)
{
    w->p = p;
    w->e = p + n;
    w->nl = n && p[n - 1] == '\n';
    if (w->nl)
        w->e--;
    if (o->strip_cr && w->nl && w->e > w->p && w->e[-1] == '\r')
        w->e--;
    if (o->ws_all || o->ws_change)
        w->nl = false;
}

static int walk_next(const dopt *o, walker *w)
{
    while (w->p < w->e) {
        unsigned char c = (unsigned char)*w->p;
        if (isspace(c) && (o->ws_all || o->ws_change)) {
            while (w->p < w->e && isspace((unsigned char)*w->p))
                w->p++;
            if (o->ws_all || w->p == w->e)
                continue;
            return ' ';
        }
        w->p++;
        return o->icase ? tolower(c) : c;
    }
    if (w->nl) {
        w->nl = false;
        return '\n';
    }
    return -1;
}

static bool plain_compare(const dopt *o)
{
    return !o->icase && !o->ws_all && !o->ws_change && !o->strip_cr;
}

static uint32_t line_hash(const dopt *o, const char *p, size_t n)
{
    uint32_t h = 2166136261u;
    if (plain_compare(o)) {
        for (size_t i = 0; i < n; i++)
            h = (h ^ (unsigned char)p[i]) * 16777619u;
        return h;
    }
    walker w;
    walk_init(o, &w, p, n);
    for (int c; (c = walk_next(o, &w)) >= 0;)
        h = (h ^ (unsigned)c) * 16777619u;
    return h;
}

static bool line_eq(const dopt *o, const char *p, size_t n, const char *q, size_t m)
{
    if (plain_compare(o))
        return n == m && sh_memcmp(p, q, n) == 0;
    walker a, b;
    walk_init(o, &a, p, n);
    walk_init(o, &b, q, m);
    for (;;) {
        int x = walk_next(o, &a), y = walk_next(o, &b);
        if (x != y)
            return false;
        if (x < 0)
            return true;
    }
}

/* Gives lines [lo, hi[k]) of both files an id, equal lines (as compared)
 * the same (the lines outside are equal anyway and never searched). */
static void line_ids(const dopt *o, const diff_file *f[2], size_t lo, const size_t hi[2], uint32_t *ids[2])
{
    size_t total = (hi[0] - lo) + (hi[1] - lo), cap = 16;
    while (cap < total * 2)
        cap *= 2;
    uint32_t *slot = sh_calloc(cap, sizeof *slot);       /* id + 1, 0 empty */
    uint32_t *slot_hash = sh_malloc(cap * sizeof *slot_hash);
    const char **rep = sh_malloc((total + 1) * sizeof *rep); /* a line of each id */
    size_t *rep_len = sh_malloc((total + 1) * sizeof *rep_len);
    uint32_t next = 0;
    for (int k = 0; k < 2; k++) {
        ids[k] = sh_malloc((hi[k] - lo + 1) * sizeof *ids[k]);
        for (size_t i = lo; i < hi[k]; i++) {
            const char *p = f[k]->data.data + f[k]->start[i];
            size_t n = f[k]->start[i + 1] - f[k]->start[i];
            uint32_t h = line_hash(o, p, n);
            size_t s = h & (cap - 1);
            while (slot[s] && !(slot_hash[s] == h && line_eq(o, rep[slot[s] - 1], rep_len[slot[s] - 1], p, n)))
                s = (s + 1) & (cap - 1);
            if (!slot[s]) {
                rep[next] = p;
                rep_len[next] = n;
                slot[s] = ++next;
                slot_hash[s] = h;
            }
            ids[k][i - lo] = slot[s] - 1;
        }
    }
    free(slot);
    free(slot_hash);
    free(rep);
    free(rep_len);
}

/* -B: a line that is empty (or only blanks, with -w or -b). */
static bool blank_line(const dopt *o, const diff_file *f, size_t i)
{
    const char *p = f->data.data + f->start[i], *e = f->data.data + f->start[i + 1];
    if (e > p && e[-1] == '\n')
        e--;
    if (o->ws_all || o->ws_change)
        while (p < e && isspace((unsigned char)*p))
            p++;
    return p == e;
}

/* ---- the part compared ------------------------------------------------- */

/* The bytes of f with the newline GNU diff adds to a last line without one. */
static unsigned char vbyte(const diff_file *f, size_t i)
{
    return i < f->data.len ? (unsigned char)f->data.data[i] : '\n';
}

static bool missing_nl(const diff_file *f)
{
    return f->data.len && f->data.data[f->data.len - 1] != '\n';
}

/* The index of the line that starts at byte off (nlines past the end). */
static size_t line_at(const diff_file *f, size_t off)
{
    size_t lo = 0, hi = f->nlines;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->start[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The lines the search looks at, as GNU diff chooses them: the common
 * prefix and suffix (byte for byte) are left out but for `horizon` lines
 * at each end (the context of unified output), so that the changes found
 * and where they slide to are GNU's. Lines [*lo, *hi0) of a and [*lo, *hi1)
 * of b. */
static void compared_region(const diff_file *a, const diff_file *b, size_t horizon, size_t *lo, size_t *hi0,
                            size_t *hi1)
{
    bool m0 = missing_nl(a), m1 = missing_nl(b);
    size_t n0 = a->data.len + m0, n1 = b->data.len + m1;
    size_t k = 0, lim = n0 < n1 ? n0 : n1;
    /* the real bytes eight at a time, then byte by byte */
    size_t real = a->data.len < b->data.len ? a->data.len : b->data.len;
    while (k + 8 <= real && sh_memcmp(a->data.data + k, b->data.data + k, 8) == 0)
        k += 8;
    while (k < lim && vbyte(a, k) == vbyte(b, k))
        k++;
    /* an added newline is no part of the prefix */
    if ((n0 - m0 < k) != (n1 - m1 < k))
        k--;
    /* back to the start of the line, then `horizon` lines more */
    size_t h = horizon;
    while (k && (vbyte(a, k - 1) != '\n' || h--))
        k--;
    size_t p0 = n0, p1 = n1;
    if (m0 == m1) {
        size_t end0 = p0, beg0 = k + (n0 < n1 ? 0 : n0 - n1);
        /* whole blocks of equal real bytes first (the added newlines,
         * if any, are at the very ends and equal) */
        if (p0 != beg0 && vbyte(a, p0 - 1) == vbyte(b, p1 - 1) && m0 == m1) {
            p0 -= m0, p1 -= m1;
            while (p0 >= beg0 + 8 && sh_memcmp(a->data.data + p0 - 8, b->data.data + p1 - 8, 8) == 0)
                p0 -= 8, p1 -= 8;
        }
        while (p0 != beg0) {
            if (vbyte(a, --p0) != vbyte(b, --p1)) {
                ++p0, ++p1;
                break;
            }
        }
        beg0 = p0;
        /* forward to a line start in both, then `horizon` lines more */
        bool at_start = (p0 == 0 || vbyte(a, p0 - 1) == '\n') && (p1 == 0 || vbyte(b, p1 - 1) == '\n');
        size_t i = horizon + !at_start;
        while (i-- && p0 != end0)
            while (vbyte(a, p0++) != '\n')
                ;
        p1 += p0 - beg0;
    }
    *lo = line_at(a, k);
    *hi0 = line_at(a, p0);
    *hi1 = line_at(b, p1);
}

/* ---- files ------------------------------------------------------------- */

static void split_lines(diff_file *f)
{
    size_t n = 0, cap = 1024;
    f->start = sh_malloc(cap * sizeof *f->start);
    const char *d = f->data.data, *end = d + f->data.len;
    size_t off = 0;
    while (off < f->data.len) {
        if (n + 2 > cap) {
            cap *= 2;
            f->start = sh_realloc(f->start, cap * sizeof *f->start);
        }
        f->start[n++] = off;
        const char *nl = memchr(d + off, '\n', (size_t)(end - (d + off)));
        off = nl ? (size_t)(nl - d) + 1 : f->data.len;
    }
    f->start[n] = f->data.len;
    f->nlines = n;
}

/* Reads a file (or stdin for "-"); an absent one (-N) is empty. false
 * after the message. */
static bool load(shctx *sh, const char *path, bool absent, diff_file *f)
{
    memset(f, 0, sizeof *f);
    f->name = path;
    if (absent) {
        split_lines(f);
        return true;
    }
    struct stat st;
    struct timespec now;
    if (strcmp(path, "-") && stat(path, &st) == 0) {
        f->sec = st.st_mtim.tv_sec;
        f->nsec = st.st_mtim.tv_nsec;
    } else if (!strcmp(path, "-") && clock_gettime(CLOCK_REALTIME, &now) == 0) {
        /* stdin's time is now (POSIX says so; GNU does it) */
        f->sec = now.tv_sec;
        f->nsec = now.tv_nsec;
    }
    sh_stream *in = sh_input(sh, path);
    if (!in)
        return false;
    bool ok = sh_read_all(in, &f->data, SH_NO_LIMIT);
    int e = errno;
    sh_input_close(sh, in);
    if (!ok) {
        sh_errno(sh, e, "%s", path);
        return false;
    }
    split_lines(f);
    return true;
}

static void unload(diff_file *f)
{
    sh_buf_free(&f->data);
    free(f->start);
}

static bool binary(const diff_file *f)
{
    size_t n = f->data.len < 32768 ? f->data.len : 32768;
    return n && memchr(f->data.data, 0, n);
}

/* Compares two files; in_dir: they were found by comparing directories
 * (a "diff OPTIONS a b" line goes before their differences). Returns
 * 0, 1 or 2 as diff exits. */
static int diff_files(shctx *sh, dopt *o, const char *pa, const char *pb, bool in_dir, bool absent_a,
                      bool absent_b)
{
    diff_file fa, fb;
    if (!strcmp(pa, "-") && !strcmp(pb, "-")) {
        /* the same stream twice: identical, as GNU says */
        if (o->report_same)
            sh_printf(sh_stdout(sh), "Files - and - are identical\n");
        return 0;
    }
    if (!load(sh, pa, absent_a, &fa))
        return 2;
    if (!load(sh, pb, absent_b, &fb)) {
        unload(&fa);
        return 2;
    }
    int status = 0;
    /* messages name the files by their labels when there are some (GNU) */
    const char *na = o->out.label[0] ? o->out.label[0] : pa, *nb = o->out.label[1] ? o->out.label[1] : pb;
    bool same_bytes = fa.data.len == fb.data.len && sh_memcmp(fa.data.data, fb.data.data, fa.data.len) == 0;
    if (same_bytes) {
        status = 0;
    } else if (!o->text && (binary(&fa) || binary(&fb))) {
        sh_printf(sh_stdout(sh), "%s %s and %s differ\n", o->brief ? "Files" : "Binary files", na, nb);
        status = 1;
    } else {
        const diff_file *f[2] = {&fa, &fb};
        uint32_t *ids[2];
        char *ca = sh_calloc(fa.nlines + 2, 1) + 1, *cb = sh_calloc(fb.nlines + 2, 1) + 1;
        size_t lo, hi[2];
        compared_region(&fa, &fb, o->out.format == DIFF_NORMAL ? 0 : (size_t)o->out.context, &lo, &hi[0], &hi[1]);
        line_ids(o, f, lo, hi, ids);
        diff_compare(ids[0], hi[0] - lo, ids[1], hi[1] - lo, o->minimal, ca + lo, cb + lo);
        /* the changes, and with -B which of them only touch blank lines */
        diff_change *ch = NULL;
        bool *ign = NULL;
        size_t n = 0, cap = 0, i = 0, j = 0, shown = 0;
        while (i < fa.nlines || j < fb.nlines) {
            if (!ca[i] && !cb[j]) {
                i++, j++;
                continue;
            }
            diff_change c = {i, 0, j, 0};
            while (ca[i])
                i++;
            while (cb[j])
                j++;
            c.an = i - c.a0;
            c.bn = j - c.b0;
            bool ignorable = o->blank;
            for (size_t k = c.a0; ignorable && k < i; k++)
                ignorable = blank_line(o, &fa, k);
            for (size_t k = c.b0; ignorable && k < j; k++)
                ignorable = blank_line(o, &fb, k);
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                ch = sh_realloc(ch, cap * sizeof *ch);
                ign = sh_realloc(ign, cap * sizeof *ign);
            }
            ign[n] = ignorable;
            ch[n++] = c;
            shown += !ignorable;
        }
        free(ca - 1);
        free(cb - 1);
        free(ids[0]);
        free(ids[1]);
        if (shown) {
            status = 1;
            if (o->brief) {
                sh_printf(sh_stdout(sh), "Files %s and %s differ\n", na, nb);
            } else {
                if (in_dir)
                    sh_printf(sh_stdout(sh), "diff%s %s %s\n", o->switches.data ? o->switches.data : "", pa, pb);
                if (!diff_print(sh, &o->out, &fa, &fb, ch, n, ign))
                    status = 2;
            }
        }
        free(ch);
        free(ign);
    }
    if (status == 0 && o->report_same)
        sh_printf(sh_stdout(sh), "Files %s and %s are identical\n", na, nb);
    unload(&fa);
    unload(&fb);
    return status;
}

/* ---- directories ------------------------------------------------------- */

static bool excluded(const dopt *o, const char *name)
{
    for (size_t i = 0; i < o->nexclude; i++)
        if (fnmatch(o->exclude[i], name, 0) == 0)
            return true;
    return false;
}

static int by_name(const void *x, const void *y, void *ctx)
{
    (void)ctx;
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The names in dir, sorted, without . and .. and excluded ones; an absent
 * directory (-N) lists nothing. NULL after a message. */
static char **list_dir(shctx *sh, const dopt *o, const char *dir, bool absent, size_t *n)
{
    char **v = sh_malloc(sizeof *v);
    *n = 0;
    if (absent)
        return v;
    DIR *d = opendir(dir);
    if (!d) {
        sh_errno(sh, errno, "%s", dir);
        free(v);
        return NULL;
    }
    size_t cap = 1;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || excluded(o, e->d_name))
            continue;
        if (*n == cap) {
            cap *= 2;
            v = sh_realloc(v, cap * sizeof *v);
        }
        v[(*n)++] = sh_strdup(e->d_name);
    }
    closedir(d);
    sh_sort(v, *n, sizeof *v, by_name, NULL);
    return v;
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

static const char *kind(const struct stat *st)
{
    if (S_ISDIR(st->st_mode))
        return "directory";
    if (S_ISREG(st->st_mode))
        return st->st_size ? "regular file" : "regular empty file";
    if (S_ISLNK(st->st_mode))
        return "symbolic link";
    if (S_ISFIFO(st->st_mode))
        return "fifo";
    if (S_ISCHR(st->st_mode))
        return "character special file";
    if (S_ISBLK(st->st_mode))
        return "block special file";
    return "socket";
}

static int worse(int a, int b)
{
    return a > b ? a : b;
}

/* The directories being compared above this one, on one side: a link
 * back to one of them is a loop (GNU: "recursive directory loop"). */
typedef struct dchain {
    dev_t dev;
    ino_t ino;
    const struct dchain *up;
} dchain;

static bool in_chain(const dchain *c, const struct stat *st)
{
    for (; c; c = c->up)
        if (c->dev == st->st_dev && c->ino == st->st_ino)
            return true;
    return false;
}

/* Compares directories a and b (one may be absent with -N: absent_a/b);
 * up[0], up[1]: the directories above on each side. */
static int diff_dirs(shctx *sh, dopt *o, const char *a, const char *b, bool absent_a, bool absent_b,
                     const dchain *up_a, const dchain *up_b)
{
    dchain here[2];
    const dchain *up[2] = {up_a, up_b};
    const char *dirs[2] = {a, b};
    bool absent[2] = {absent_a, absent_b};
    for (int k = 0; k < 2; k++) {
        struct stat st;
        if (absent[k] || stat(dirs[k], &st) != 0)
            continue;
        if (in_chain(up[k], &st)) {
            sh_err(sh, "%s: recursive directory loop", dirs[k]);
            return 2;
        }
        here[k] = (dchain){st.st_dev, st.st_ino, up[k]};
        up[k] = &here[k];
    }
    size_t na, nb;
    char **la = list_dir(sh, o, a, absent_a, &na);
    if (!la)
        return 2;
    char **lb = list_dir(sh, o, b, absent_b, &nb);
    if (!lb) {
        for (size_t i = 0; i < na; i++)
            free(la[i]);
        free(la);
        return 2;
    }
    int status = 0;
    size_t i = 0, j = 0;
    while ((i < na || j < nb) && !sh_interrupted(sh)) {
        int c = i == na ? 1 : j == nb ? -1 : strcmp(la[i], lb[j]);
        const char *name = c <= 0 ? la[i] : lb[j];
        char *pa = join(a, name), *pb = join(b, name);
        struct stat sa, sb;
        bool ha = c <= 0 && stat(pa, &sa) == 0, hb = c >= 0 && stat(pb, &sb) == 0;
        if (c <= 0 && !ha) {
            sh_errno(sh, errno, "%s", pa);
            status = 2;
        } else if (c >= 0 && !hb) {
            sh_errno(sh, errno, "%s", pb);
            status = 2;
        } else if (c != 0 && !o->new_file) {
            sh_printf(sh_stdout(sh), "Only in %s: %s\n", c < 0 ? a : b, name);
            status = worse(status, 1);
        } else if (c != 0) {
            /* -N: compare with an absent file or directory */
            bool dir = S_ISDIR(c < 0 ? sa.st_mode : sb.st_mode);
            if (dir && o->recursive)
                status = worse(status, diff_dirs(sh, o, pa, pb, c > 0, c < 0, up[0], up[1]));
            else if (dir) {
                sh_printf(sh_stdout(sh), "Only in %s: %s\n", c < 0 ? a : b, name);
                status = worse(status, 1);
            } else
                status = worse(status, diff_files(sh, o, pa, pb, true, c > 0, c < 0));
        } else if (S_ISDIR(sa.st_mode) && S_ISDIR(sb.st_mode)) {
            if (o->recursive)
                status = worse(status, diff_dirs(sh, o, pa, pb, false, false, up[0], up[1]));
            else
                sh_printf(sh_stdout(sh), "Common subdirectories: %s and %s\n", pa, pb);
        } else if (S_ISDIR(sa.st_mode) || S_ISDIR(sb.st_mode)) {
            sh_printf(sh_stdout(sh), "File %s is a %s while file %s is a %s\n", pa, kind(&sa), pb, kind(&sb));
            status = worse(status, 1);
        } else {
            status = worse(status, diff_files(sh, o, pa, pb, true, false, false));
        }
        free(pa);
        free(pb);
        if (c <= 0)
            free(la[i++]);
        if (c >= 0)
            free(lb[j++]);
    }
    for (; i < na; i++)
        free(la[i]);
    for (; j < nb; j++)
        free(lb[j]);
    free(la);
    free(lb);
    return status;
}

/* ---- the command ------------------------------------------------------- */

static bool context_arg(shctx *sh, const char *s, int64_t *out)
{
    if (!sh_parse_int(s, out) || *out < 0 || s[0] == '-' || s[0] == '+') {
        sh_err(sh, "invalid context length %s", sh_quote(sh, s));
        sh_printf(sh_stderr(sh), "%s: ", sh_name(sh));
        sh_try_help(sh);
        return false;
    }
    return true;
}

enum { OPT_LABEL = 256, OPT_STRIP_CR, OPT_NORMAL, OPT_HELP, OPT_NO_DEREF };

int util_diff(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {
        {"unified", SH_OPT_ARG, 'u'}, {"context", SH_OPT_ARG, 'c'}, {"brief", SH_NO_ARG, 'q'},
        {"report-identical-files", SH_NO_ARG, 's'}, {"recursive", SH_NO_ARG, 'r'},
        {"new-file", SH_NO_ARG, 'N'}, {"ignore-case", SH_NO_ARG, 'i'},
        {"ignore-all-space", SH_NO_ARG, 'w'}, {"ignore-space-change", SH_NO_ARG, 'b'},
        {"ignore-blank-lines", SH_NO_ARG, 'B'}, {"text", SH_NO_ARG, 'a'},
        {"minimal", SH_NO_ARG, 'd'}, {"exclude", SH_REQ_ARG, 'x'},
        {"label", SH_REQ_ARG, OPT_LABEL}, {"strip-trailing-cr", SH_NO_ARG, OPT_STRIP_CR},
        {"normal", SH_NO_ARG, OPT_NORMAL}, {"help", SH_NO_ARG, OPT_HELP},
        {NULL, 0, 0}};
    dopt o;
    memset(&o, 0, sizeof o);
    o.out.format = DIFF_NORMAL;
    o.out.context = 3;
    int nlabel = 0, status = 2;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "uU:cC:qsrNiwbBadx:", lo)) != -1) {
        switch (c) {
        case 'u':
            o.out.format = DIFF_UNIFIED;
            if (st.arg && !context_arg(sh, st.arg, &o.out.context))
                goto out;
            break;
        case 'U':
            o.out.format = DIFF_UNIFIED;
            if (!context_arg(sh, st.arg, &o.out.context))
                goto out;
            break;
        case 'c':
            o.out.format = DIFF_CONTEXT;
            if (st.arg && !context_arg(sh, st.arg, &o.out.context))
                goto out;
            break;
        case 'C':
            o.out.format = DIFF_CONTEXT;
            if (!context_arg(sh, st.arg, &o.out.context))
                goto out;
            break;
        case 'q': o.brief = true; break;
        case 's': o.report_same = true; break;
        case 'r': o.recursive = true; break;
        case 'N': o.new_file = true; break;
        case 'i': o.icase = true; break;
        case 'w': o.ws_all = true; break;
        case 'b': o.ws_change = true; break;
        case 'B': o.blank = true; break;
        case 'a': o.text = true; break;
        case 'd': o.minimal = true; break;
        case 'x':
            o.exclude = sh_realloc(o.exclude, (o.nexclude + 1) * sizeof *o.exclude);
            o.exclude[o.nexclude++] = (char *)st.arg;
            break;
        case OPT_LABEL:
            if (nlabel == 2) {
                sh_err(sh, "too many file label options");
                goto out;
            }
            o.out.label[nlabel++] = st.arg;
            break;
        case OPT_STRIP_CR: o.strip_cr = true; break;
        case OPT_NORMAL: o.out.format = DIFF_NORMAL; break;
        case OPT_HELP:
            sh_puts(sh_stdout(sh), "Usage: diff [OPTION]... FILES\n");
            status = 0;
            goto out;
        default: /* sh_getopt said why */
            goto out;
        }
    }
    for (int i = 1; i < st.ind; i++) {
        if (!strcmp(argv[i], "--"))
            continue;
        sh_buf_addc(&o.switches, ' ');
        sh_buf_adds(&o.switches, argv[i]);
    }
    int nops = argc - st.ind;
    if (nops != 2) {
        if (nops < 2)
            sh_err(sh, "missing operand after %s", sh_quote(sh, argv[argc - 1]));
        else
            sh_err(sh, "extra operand %s", sh_quote(sh, argv[st.ind + 2]));
        sh_printf(sh_stderr(sh), "%s: ", sh_name(sh));
        sh_try_help(sh);
        goto out;
    }
    const char *a = argv[st.ind], *b = argv[st.ind + 1];
    /* both operands looked at before anything is said, as GNU does; with
     * -N one that is absent is empty when the other exists */
    struct stat sa, sb;
    int ea = strcmp(a, "-") && stat(a, &sa) != 0 ? errno : 0;
    int eb = strcmp(b, "-") && stat(b, &sb) != 0 ? errno : 0;
    bool absent_a = o.new_file && ea == ENOENT && !eb, absent_b = o.new_file && eb == ENOENT && !ea;
    if ((ea && !absent_a) || (eb && !absent_b)) {
        if (ea && !absent_a)
            sh_errno(sh, ea, "%s", a);
        if (eb && !absent_b)
            sh_errno(sh, eb, "%s", b);
        goto out;
    }
    bool da = !ea && strcmp(a, "-") && S_ISDIR(sa.st_mode);
    bool db = !eb && strcmp(b, "-") && S_ISDIR(sb.st_mode);
    if (da && db) {
        status = diff_dirs(sh, &o, a, b, false, false, NULL, NULL);
    } else if ((da && absent_b) || (db && absent_a)) {
        status = diff_dirs(sh, &o, a, b, absent_a, absent_b, NULL, NULL);
    } else if (da || db) {
        /* a directory and a file: the file of the same name in the directory */
        const char *file = da ? b : a, *dir = da ? a : b;
        if (!strcmp(file, "-")) {
            sh_err(sh, "cannot compare '-' to a directory");
            goto out;
        }
        const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
        char *inner = join(dir, base);
        status = da ? diff_files(sh, &o, inner, b, false, false, false)
                    : diff_files(sh, &o, a, inner, false, false, false);
        free(inner);
    } else {
        status = diff_files(sh, &o, a, b, false, absent_a, absent_b);
    }
out:
    free(o.exclude);
    sh_buf_free(&o.switches);
    return status;
}
