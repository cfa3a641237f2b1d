/* tar: GNU tar's -c -x -t with -f -v -z -C -O --strip-components
 * --exclude, old-style bundled options ("tar czf a.tgz dir"), member
 * operands for -x/-t. Writes POSIX ustar (a pax header for long names and
 * huge sizes); reads ustar, pax, GNU and v7 archives, GNU long names; -z
 * and gzip input recognised by itself, through ../flate.h (gzip output
 * uses fixed-Huffman blocks: larger than gzip -6's, readable by any gzip).
 *
 * Extraction follows GNU tar's safety rules: a leading '/' is removed, a
 * member whose name has a '..' component is skipped ("Member name contains
 * '..'"); and the sandbox's rule for symlinks, kept by tar itself in
 * every build: a symlink with an absolute or '..' target is not made
 * (reported as GNU tar reports a link it cannot create), so no later
 * member can be written through it, and tar goes on. What WASI cannot tell is written as
 * README.md says (modes 644/755, owner "user", members in name order). */
#include "../flate.h"
#include "../shell.h"
#include "../tarfmt.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { M_NONE, M_CREATE, M_EXTRACT, M_LIST };

typedef struct {
    shctx *sh;
    int mode;
    bool verbose, gzip, to_stdout, keep_old;
    int verbose_level;
    const char *file, *dir;
    int64_t strip;
    char **excludes;
    size_t nexcludes;
    char **members; /* operands of -x/-t */
    bool *found;
    size_t nmembers;
    int status;     /* 0, or 2 after an error GNU tar goes on from */
    bool fatal;     /* stop now ("Error is not recoverable") */
    bool dir_checked, said_not_tar, skipping;
    int ugswidth;   /* -tv's column, growing as GNU's does */
    sh_buf said;    /* "Removing leading" prefixes already reported, NUL-separated */
    sh_stream *vout; /* where -v lists names */
    /* create */
    sh_stream *arch;
    sh_gzw *gz;
    uint64_t written;
    bool arch_is_file;
    ino_t arch_ino;
    dev_t arch_dev;
    /* extract / list: the push parser */
    unsigned char hdr[TAR_BLOCK];
    size_t hlen;
    int state;
    uint64_t remain, pad, offset;
    int zeros;
    bool any_header;
    tar_entry e;
    bool have_pax, have_longname, have_longlink;
    tar_entry pending;   /* what the pax / GNU headers before this one said */
    int meta_type;       /* 'x', 'g', 'L', 'K' while reading one */
    sh_buf meta;
    sh_stream *out;      /* the member being extracted (NULL: skipped) */
    char *out_path;
    bool out_failed;
    char **dirs;         /* directories extracted, for their times at the end */
    int64_t *dir_times;
    size_t ndirs;
} tarst;

enum { ST_HEADER, ST_DATA, ST_META, ST_PAD, ST_END };

static void err_fatal(tarst *t)
{
    sh_err(t->sh, "Error is not recoverable: exiting now");
    t->fatal = true;
    t->status = 2;
}

static bool excluded(const tarst *t, const char *name)
{
    for (size_t i = 0; i < t->nexcludes; i++) {
        const char *p = t->excludes[i];
        /* GNU's default: the pattern may match the whole name or any
         * part of it that starts after a '/'. */
        for (const char *s = name; s; s = strchr(s, '/')) {
            if (*s == '/')
                s++;
            if (fnmatch(p, s, 0) == 0)
                return true;
        }
    }
    return false;
}

/* ---- listing --------------------------------------------------------------- */

static void mode_string(char *m, char type, unsigned mode)
{
    m[0] = type == '5' ? 'd' : type == '2' ? 'l' : type == '1' ? 'h' : type == '3' ? 'c'
         : type == '4' ? 'b' : type == '6' ? 'p' : '-';
    const char *rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++)
        m[1 + i] = (mode >> (8 - i)) & 1 ? rwx[i] : '-';
    m[10] = 0;
}

static void list_entry(tarst *t, const tar_entry *e, const char *name, sh_stream *s)
{
    if (t->verbose_level < 1 || (t->mode != M_LIST && t->verbose_level < 2)) {
        sh_printf(s, "%s\n", name);
        return;
    }
    char m[11], size[24], date[32], ug[160];
    mode_string(m, e->type, e->mode);
    snprintf(size, sizeof size, "%llu", (unsigned long long)e->size);
    if (e->uname.len && e->gname.len)
        snprintf(ug, sizeof ug, "%.70s/%.70s", e->uname.data, e->gname.data);
    else
        snprintf(ug, sizeof ug, "%llu/%llu", (unsigned long long)e->uid,
                 (unsigned long long)e->gid);
    time_t tt = (time_t)e->mtime;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(date, sizeof date, "%Y-%m-%d %H:%M", &tm);
    int pad = (int)(strlen(ug) + strlen(size) + 1);
    if (pad > t->ugswidth)
        t->ugswidth = pad;
    sh_printf(s, "%s %s %*s %s %s", m, ug, t->ugswidth - pad + (int)strlen(size), size, date, name);
    if (e->type == '2')
        sh_printf(s, " -> %s", e->link.data ? e->link.data : "");
    else if (e->type == '1')
        sh_printf(s, " link to %s", e->link.data ? e->link.data : "");
    sh_puts(s, "\n");
}

/* ---- names on the way out of an archive ------------------------------------ */

static bool has_dotdot(const char *p)
{
    for (const char *s = p; s; s = strchr(s, '/')) {
        if (*s == '/')
            s++;
        if (s[0] == '.' && s[1] == '.' && (s[2] == '/' || s[2] == 0))
            return true;
    }
    return false;
}

/* GNU's rule: a leading "/" and everything up to the last ".." component
 * go, said once per prefix. Returns where the name starts. */
static const char *safe_suffix(tarst *t, const char *name)
{
    const char *p = name, *cut = name;
    for (const char *s = name; *s;) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 2 && s[0] == '.' && s[1] == '.')
            cut = e ? e + 1 : s + n;
        if (!e)
            break;
        s = e + 1;
    }
    p = cut;
    while (*p == '/')
        p++;
    if (p != name) {
        size_t n = (size_t)(p - name);
        bool seen = false;
        for (size_t i = 0; i < t->said.len && !seen; i += strlen(t->said.data + i) + 1)
            seen = strlen(t->said.data + i) == n && memcmp(t->said.data + i, name, n) == 0;
        if (!seen) {
            sh_err(t->sh, "Removing leading `%.*s' from member names", (int)n, name);
            sh_buf_add(&t->said, name, n);
            sh_buf_addc(&t->said, 0);
        }
    }
    return p;
}

/* name without its first t->strip components; NULL when nothing is left. */
static const char *stripped(const tarst *t, const char *name)
{
    const char *p = name;
    for (int64_t i = 0; i < t->strip; i++) {
        const char *s = strchr(p, '/');
        if (!s)
            return NULL;
        p = s + 1;
        while (*p == '/')
            p++;
    }
    return *p ? p : NULL;
}

static bool member_wanted(tarst *t, const char *name)
{
    if (!t->nmembers)
        return true;
    for (size_t i = 0; i < t->nmembers; i++) {
        const char *m = t->members[i];
        size_t n = strlen(m);
        while (n > 1 && m[n - 1] == '/')
            n--;
        if (strncmp(name, m, n) == 0 && (name[n] == 0 || name[n] == '/')) {
            t->found[i] = true;
            return true;
        }
    }
    return false;
}

static char *out_path(const tarst *t, const char *name)
{
    sh_buf b = {0};
    if (t->dir && strcmp(t->dir, ".") != 0) {
        sh_buf_adds(&b, t->dir);
        sh_buf_addc(&b, '/');
    }
    sh_buf_adds(&b, name);
    while (b.len > 1 && b.data[b.len - 1] == '/')
        b.data[--b.len] = 0;
    return sh_buf_take(&b);
}

/* The directories on the way to path, made when missing. */
static void make_parents(const char *path)
{
    char *p = sh_strdup(path);
    for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = 0;
        mkdir(p, 0777);
        *s = '/';
    }
    free(p);
}

static void set_mtime(const char *path, int64_t mtime, int flags)
{
    struct timespec ts[2] = {{0, UTIME_OMIT}, {(time_t)mtime, 0}};
    utimensat(AT_FDCWD, path, ts, flags);
}

/* ---- extraction of one member ---------------------------------------------- */

static void begin_member(tarst *t)
{
    tar_entry *e = &t->e;
    const char *orig = e->name.data ? e->name.data : "";
    t->out = NULL;
    t->out_failed = false;
    if (!*orig)
        return;
    if (!member_wanted(t, orig) || excluded(t, orig))
        return;
    const char *name = safe_suffix(t, orig);
    if (t->mode == M_LIST) {
        list_entry(t, e, orig, sh_stdout(t->sh));
        return;
    }
    if (has_dotdot(orig)) {
        sh_err(t->sh, "%s: Member name contains '..'", orig);
        t->status = 2;
        return;
    }
    const char *rel = stripped(t, name);
    if (!rel)
        return;
    if (t->verbose)
        list_entry(t, e, orig, t->vout);
    if (t->to_stdout) {
        if (e->type == '0' || e->type == '7')
            t->out = sh_stdout(t->sh);
        return;
    }
    if (t->dir && !t->dir_checked) { /* GNU goes to -C's directory at the first member */
        struct stat st;
        t->dir_checked = true;
        if (stat(t->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            sh_errno(t->sh, errno ? errno : ENOTDIR, "%s: Cannot open", t->dir);
            err_fatal(t);
            return;
        }
    }
    char *path = out_path(t, rel);
    make_parents(path);
    struct stat st;
    bool exists = lstat(path, &st) == 0;
    if (exists && t->keep_old && e->type != '5') {
        sh_err(t->sh, "%s: Cannot open: File exists", rel);
        t->status = 2;
        free(path);
        return;
    }
    /* A file or link replaces what is there (GNU's default), never
     * writing through a symlink that an earlier member planted. */
    if (exists && e->type != '5' && !S_ISDIR(st.st_mode))
        unlink(path);
    switch (e->type) {
    case '5':
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            sh_errno(t->sh, errno, "%s: Cannot mkdir", rel);
            t->status = 2;
        } else {
            t->dirs = sh_realloc(t->dirs, (t->ndirs + 1) * sizeof *t->dirs);
            t->dir_times = sh_realloc(t->dir_times, (t->ndirs + 1) * sizeof *t->dir_times);
            t->dirs[t->ndirs] = sh_strdup(path);
            t->dir_times[t->ndirs++] = e->mtime;
        }
        break;
    case '2':
        /* The sandbox's rule, kept by tar itself so that every build acts
         * alike: a link leading out (absolute, or with a '..') is not made,
         * so no later member can be written through it. */
        if (!e->link.len || e->link.data[0] == '/' || has_dotdot(e->link.data)) {
            sh_errno(t->sh, EPERM, "%s: Cannot create symlink to %s", rel,
                     sh_quote(t->sh, e->link.data ? e->link.data : ""));
            t->status = 2;
        } else if (symlink(e->link.data, path) != 0) {
            sh_errno(t->sh, errno, "%s: Cannot create symlink to %s", rel,
                     sh_quote(t->sh, e->link.data ? e->link.data : ""));
            t->status = 2;
        } else {
            set_mtime(path, e->mtime, AT_SYMLINK_NOFOLLOW);
        }
        break;
    case '1': {
        const char *target = e->link.data ? e->link.data : "";
        const char *tsafe = target;
        while (*tsafe == '/')
            tsafe++;
        const char *trel = has_dotdot(target) ? NULL : stripped(t, tsafe);
        char *tpath = trel ? out_path(t, trel) : NULL;
        if (!tpath || link(tpath, path) != 0) {
            sh_errno(t->sh, tpath ? errno : EPERM, "%s: Cannot hard link to %s", rel,
                     sh_quote(t->sh, target));
            t->status = 2;
        }
        free(tpath);
        break;
    }
    case '0':
    case '7':
        t->out = sh_open(t->sh, path, O_WRONLY | O_CREAT | O_TRUNC);
        if (!t->out) {
            sh_errno(t->sh, errno, "%s: Cannot open", rel);
            t->status = 2;
        } else {
            t->out_path = path;
            path = NULL;
        }
        break;
    default:
        sh_err(t->sh, "%s: Cannot mknod: Operation not permitted", rel);
        t->status = 2;
        break;
    }
    free(path);
}

static void end_member(tarst *t)
{
    if (t->out && t->out != sh_stdout(t->sh)) {
        if (!sh_close(t->out) && !t->out_failed) {
            sh_errno(t->sh, errno, "%s: Cannot write", t->out_path);
            t->status = 2;
        }
        set_mtime(t->out_path, t->e.mtime, 0);
    }
    t->out = NULL;
    free(t->out_path);
    t->out_path = NULL;
}

static void member_data(tarst *t, const unsigned char *p, size_t n)
{
    if (!t->out || t->out_failed)
        return;
    if (!sh_write(t->out, p, n)) {
        t->out_failed = true;
        if (t->out == sh_stdout(t->sh)) {
            t->fatal = true; /* a broken pipe: stop, the shell says 141 */
            return;
        }
        sh_errno(t->sh, errno, "%s: Cannot write", t->out_path);
        t->status = 2;
    }
}

/* ---- the push parser: archive bytes in ----------------------------------- */

static void header_block(tarst *t)
{
    int r = tar_parse_header(t->hdr, &t->e);
    t->offset += TAR_BLOCK;
    if (r == TAR_HDR_ZERO) {
        if (++t->zeros == 2)
            t->state = ST_END;
        return;
    }
    t->zeros = 0;
    if (r == TAR_HDR_BAD) {
        /* GNU's way: say it once, then look for the next good header */
        if (!t->any_header && !t->said_not_tar)
            sh_err(t->sh, "This does not look like a tar archive");
        t->said_not_tar = true;
        if (!t->skipping)
            sh_err(t->sh, "Skipping to next header");
        t->skipping = true;
        t->status = 2;
        return;
    }
    t->any_header = true;
    t->skipping = false;
    char type = t->e.type;
    if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
        if (t->e.size > TAR_MAX_META) {
            sh_err(t->sh, "Archive contains an extended header of %llu bytes: more than the "
                   "%llu bytes read into memory", (unsigned long long)t->e.size,
                   (unsigned long long)TAR_MAX_META);
            err_fatal(t);
            return;
        }
        t->meta_type = type;
        t->meta.len = 0;
        t->remain = t->e.size;
        t->pad = (TAR_BLOCK - t->e.size % TAR_BLOCK) % TAR_BLOCK;
        t->state = t->remain ? ST_META : (t->pad ? ST_PAD : ST_HEADER);
        return;
    }
    /* What the headers before it said wins over the ustar fields. */
    if (t->have_longname) {
        t->e.name.len = 0;
        sh_buf_add(&t->e.name, t->pending.name.data, t->pending.name.len);
    }
    if (t->have_longlink) {
        t->e.link.len = 0;
        sh_buf_add(&t->e.link, t->pending.link.data, t->pending.link.len);
    }
    if (t->have_pax && !tar_apply_pax(t->meta.data ? t->meta.data : "", t->meta.len, &t->e)) {
        sh_err(t->sh, "Malformed extended header: missing newline or length");
        t->status = 2;
    }
    t->have_pax = t->have_longname = t->have_longlink = false;
    if (!t->e.name.data)
        sh_buf_adds(&t->e.name, "");
    begin_member(t);
    t->remain = t->e.size;
    t->pad = (TAR_BLOCK - t->e.size % TAR_BLOCK) % TAR_BLOCK;
    t->state = t->remain ? ST_DATA : (t->pad ? ST_PAD : ST_HEADER);
    if (!t->remain)
        end_member(t);
}

static void meta_done(tarst *t)
{
    if (t->meta_type == 'L' || t->meta_type == 'K') {
        sh_buf *b = t->meta_type == 'L' ? &t->pending.name : &t->pending.link;
        b->len = 0;
        sh_buf_add(b, t->meta.data, strnlen(t->meta.data, t->meta.len));
        if (t->meta_type == 'L')
            t->have_longname = true;
        else
            t->have_longlink = true;
        t->meta.len = 0;
    } else if (t->meta_type == 'x') {
        t->have_pax = true; /* kept in meta until the member's header */
    } else {
        t->meta.len = 0; /* 'g': global records are not needed here */
    }
}

static bool feed(void *ctx, const void *data, size_t n)
{
    tarst *t = ctx;
    const unsigned char *p = data;
    while (n > 0 && !t->fatal) {
        size_t k;
        switch (t->state) {
        case ST_HEADER:
            k = TAR_BLOCK - t->hlen < n ? TAR_BLOCK - t->hlen : n;
            memcpy(t->hdr + t->hlen, p, k);
            t->hlen += k;
            if (t->hlen == TAR_BLOCK) {
                t->hlen = 0;
                header_block(t);
            }
            break;
        case ST_DATA:
        case ST_META:
            k = t->remain < n ? (size_t)t->remain : n;
            if (t->state == ST_DATA)
                member_data(t, p, k);
            else
                sh_buf_add(&t->meta, p, k);
            t->remain -= k;
            t->offset += k;
            if (!t->remain) {
                if (t->state == ST_DATA)
                    end_member(t);
                else
                    meta_done(t);
                t->state = t->pad ? ST_PAD : ST_HEADER;
            }
            break;
        case ST_PAD:
            k = t->pad < n ? (size_t)t->pad : n;
            t->pad -= k;
            t->offset += k;
            if (!t->pad)
                t->state = ST_HEADER;
            break;
        default:
            return true; /* after the end: the record's padding */
        }
        p += k;
        n -= k;
    }
    return !t->fatal && !sh_interrupted(t->sh);
}

/* Reads the archive: plain, or gzip (by -z or by its first bytes). */
typedef struct {
    sh_stream *in;
    unsigned char *first; /* the bytes read to look at, handed out first */
    size_t first_len, first_pos;
    int err;
} source;

static ssize_t source_read(void *ctx, void *buf, size_t n)
{
    source *s = ctx;
    if (s->first_pos < s->first_len) {
        size_t k = s->first_len - s->first_pos < n ? s->first_len - s->first_pos : n;
        memcpy(buf, s->first + s->first_pos, k);
        s->first_pos += k;
        return (ssize_t)k;
    }
    ssize_t r = sh_read(s->in, buf, n);
    if (r < 0)
        s->err = errno;
    return r;
}

static void read_archive(tarst *t, sh_stream *in)
{
    source src = {in, sh_malloc(64 << 10), 0, 0, 0};
    ssize_t r = 0;
    while (src.first_len < 2 && (r = sh_read(in, src.first + src.first_len,
                                             (64 << 10) - src.first_len)) > 0)
        src.first_len += (size_t)r;
    if (r < 0) {
        sh_errno(t->sh, errno, "%s: Read error at byte 0", sh_quote_maybe(t->sh, t->file));
        err_fatal(t);
    } else if (t->gzip || sh_is_gzip(src.first, src.first_len)) {
        sh_buf why = {0};
        sh_flate_io io = {source_read, &src, feed, t};
        int z = sh_inflate(SH_FLATE_GZIP, &io, &why);
        if (z == SH_FLATE_BAD_DATA && !t->fatal) {
            sh_printf(sh_stderr(t->sh), "gzip: %s: %s\n", strcmp(t->file, "-") == 0 ? "stdin" : t->file,
                      why.data);
            sh_err(t->sh, "Child returned status 1");
            err_fatal(t);
        } else if (z == SH_FLATE_READ_ERROR) {
            sh_errno(t->sh, src.err, "%s: Read error", sh_quote_maybe(t->sh, t->file));
            err_fatal(t);
        }
        sh_buf_free(&why);
    } else {
        unsigned char *buf = sh_malloc(64 << 10);
        ssize_t got;
        while ((got = source_read(&src, buf, 64 << 10)) > 0)
            if (!feed(t, buf, (size_t)got))
                break;
        if (got < 0) {
            sh_errno(t->sh, src.err, "%s: Read error", sh_quote_maybe(t->sh, t->file));
            err_fatal(t);
        }
        free(buf);
    }
    free(src.first);
    if (t->fatal || sh_interrupted(t->sh))
        return;
    if (!t->any_header && t->state == ST_HEADER && t->zeros == 0) {
        if (!t->said_not_tar)
            sh_err(t->sh, "This does not look like a tar archive");
        t->status = 2;
    } else if (t->hlen || t->state == ST_DATA || t->state == ST_META) {
        bool extracting = t->out && t->out != sh_stdout(t->sh);
        end_member(t);
        sh_err(t->sh, "Unexpected EOF in archive");
        if (extracting) /* GNU says it twice then: once reading, once closing */
            sh_err(t->sh, "Unexpected EOF in archive");
        err_fatal(t);
    } else if (t->state == ST_HEADER && t->zeros == 1) {
        sh_err(t->sh, "A lone zero block at %llu", (unsigned long long)(t->offset / TAR_BLOCK));
    }
}

/* ---- create ---------------------------------------------------------------- */

static bool raw_write(void *ctx, const void *p, size_t n)
{
    tarst *t = ctx;
    return sh_write(t->arch, p, n);
}

static bool arch_write(tarst *t, const void *p, size_t n)
{
    t->written += n;
    bool ok = t->gz ? sh_gzw_write(t->gz, p, n) : sh_write(t->arch, p, n);
    if (!ok && !t->fatal) {
        if (errno != EPIPE)
            sh_errno(t->sh, errno, "%s: Cannot write", sh_quote_maybe(t->sh, t->file));
        t->fatal = true;
        t->status = 2;
    }
    return ok;
}

static int cmp_names(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds path (the file system's) as name (the archive's), recursively. */
static void add_path(tarst *t, const char *path, const char *name)
{
    if (t->fatal || sh_interrupted(t->sh) || excluded(t, name))
        return;
    struct stat st;
    if (lstat(path, &st) != 0) {
        sh_errno(t->sh, errno, "%s: Cannot stat", name);
        t->status = 2;
        return;
    }
    if (t->arch_is_file && st.st_ino == t->arch_ino && st.st_dev == t->arch_dev) {
        sh_err(t->sh, "%s: file is the archive; not dumped", name);
        return;
    }
    tar_entry e = {0};
    const char *aname = safe_suffix(t, name);
    sh_buf_adds(&e.name, aname);
    sh_buf_adds(&e.uname, "user");
    sh_buf_adds(&e.gname, "user");
    e.mtime = st.st_mtim.tv_sec;
    sh_stream *in = NULL;
    if (S_ISDIR(st.st_mode)) {
        e.type = '5';
        e.mode = 0755;
        if (e.name.len && e.name.data[e.name.len - 1] != '/')
            sh_buf_addc(&e.name, '/');
    } else if (S_ISLNK(st.st_mode)) {
        e.type = '2';
        e.mode = 0777;
        char target[4096];
        ssize_t n = readlink(path, target, sizeof target - 1);
        if (n < 0) {
            sh_errno(t->sh, errno, "%s: Cannot readlink", name);
            t->status = 2;
            tar_entry_free(&e);
            return;
        }
        sh_buf_add(&e.link, target, (size_t)n);
    } else if (S_ISREG(st.st_mode)) {
        e.type = '0';
        e.mode = 0644;
        e.size = (uint64_t)st.st_size;
        in = sh_open(t->sh, path, O_RDONLY);
        if (!in) {
            sh_errno(t->sh, errno, "%s: Cannot open", name);
            t->status = 2;
            tar_entry_free(&e);
            return;
        }
    } else {
        sh_err(t->sh, "%s: socket ignored", name);
        tar_entry_free(&e);
        return;
    }
    if (*aname) {
        unsigned char *buf = NULL;
        ssize_t got = 0;
        if (in) { /* the first bytes: "#!" makes it executable, as test -x says */
            buf = sh_malloc(64 << 10);
            got = sh_read(in, buf, 64 << 10);
            if (got >= 2 && buf[0] == '#' && buf[1] == '!')
                e.mode = 0755;
        }
        sh_buf h = {0};
        tar_build_header(&e, &h);
        if (t->verbose)
            list_entry(t, &e, e.name.data, t->vout);
        arch_write(t, h.data, h.len);
        sh_buf_free(&h);
        uint64_t left = e.size;
        while (in && !t->fatal && left > 0) {
            if (got < 0) {
                sh_errno(t->sh, errno, "%s: Read error at byte %llu", name,
                         (unsigned long long)(e.size - left));
                t->status = 2;
                got = 0;
            }
            if (got == 0) { /* shrank while read: GNU pads with zeros */
                sh_err(t->sh, "%s: File shrank by %llu bytes; padding with zeros", name,
                       (unsigned long long)left);
                t->status = 2;
                memset(buf, 0, 64 << 10);
                got = left < (64u << 10) ? (ssize_t)left : (ssize_t)(64 << 10);
            }
            size_t k = (uint64_t)got < left ? (size_t)got : (size_t)left;
            arch_write(t, buf, k);
            left -= k;
            if (left)
                got = sh_read(in, buf, 64 << 10);
        }
        size_t pad = (TAR_BLOCK - e.size % TAR_BLOCK) % TAR_BLOCK;
        if (pad && !t->fatal) {
            static const unsigned char zeros[TAR_BLOCK] = {0};
            arch_write(t, zeros, pad);
        }
        free(buf);
    }
    if (in)
        sh_close(in);
    if (e.type == '5') {
        DIR *d = opendir(path);
        if (!d) {
            sh_errno(t->sh, errno, "%s: Cannot open", name);
            t->status = 2;
        } else {
            char **names = NULL;
            size_t n = 0;
            struct dirent *de;
            while ((de = readdir(d))) {
                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                    continue;
                names = sh_realloc(names, (n + 1) * sizeof *names);
                names[n++] = sh_strdup(de->d_name);
            }
            closedir(d);
            sh_sort(names, n, sizeof *names, cmp_names, NULL);
            for (size_t i = 0; i < n; i++) {
                size_t pl = strlen(path), nl = strlen(name);
                char *cp = sh_malloc(pl + strlen(names[i]) + 2);
                char *cn = sh_malloc(nl + strlen(names[i]) + 2);
                sprintf(cp, "%s%s%s", path, pl && path[pl - 1] == '/' ? "" : "/", names[i]);
                sprintf(cn, "%s%s%s", name, nl && name[nl - 1] == '/' ? "" : "/", names[i]);
                add_path(t, cp, cn);
                free(cp);
                free(cn);
                free(names[i]);
            }
            free(names);
        }
    }
    tar_entry_free(&e);
}

static void create(tarst *t, char **ops, int nops)
{
    if (nops == 0) {
        sh_err(t->sh, "Cowardly refusing to create an empty archive");
        sh_puts(sh_stderr(t->sh), "Try 'tar --help' or 'tar --usage' for more information.\n");
        t->status = 2;
        t->fatal = true; /* a usage error: no "Exiting with failure status" */
        return;
    }
    if (strcmp(t->file, "-") == 0) {
        t->arch = sh_stdout(t->sh);
    } else {
        t->arch = sh_open(t->sh, t->file, O_WRONLY | O_CREAT | O_TRUNC);
        if (!t->arch) {
            sh_errno(t->sh, errno, "%s: Cannot open", t->file);
            err_fatal(t);
            return;
        }
        struct stat st;
        int fd = sh_stream_fd(t->arch);
        if (fd >= 0 && fstat(fd, &st) == 0) {
            t->arch_is_file = true;
            t->arch_ino = st.st_ino;
            t->arch_dev = st.st_dev;
        }
    }
    if (t->gzip)
        t->gz = sh_gzw_new(raw_write, t);
    for (int i = 0; i < nops && !t->fatal; i++) {
        char *path = out_path(t, ops[i]);
        if (!*ops[i]) {
            sh_err(t->sh, ": Cannot stat: No such file or directory");
            t->status = 2;
        } else {
            add_path(t, path, ops[i]);
        }
        free(path);
    }
    if (!t->fatal) {
        /* two zero blocks end it; GNU pads to whole 10 KiB records */
        unsigned char *z = sh_calloc(1, TAR_RECORD);
        uint64_t total = t->written + 2 * TAR_BLOCK;
        size_t pad = 2 * TAR_BLOCK + (size_t)((TAR_RECORD - total % TAR_RECORD) % TAR_RECORD);
        arch_write(t, z, pad);
        free(z);
    }
    if (t->gz && !sh_gzw_finish(t->gz) && !t->fatal) {
        sh_errno(t->sh, errno, "%s: Cannot write", sh_quote_maybe(t->sh, t->file));
        t->status = 2;
    }
    t->gz = NULL;
    if (t->arch != sh_stdout(t->sh) && !sh_close(t->arch) && !t->fatal) {
        sh_errno(t->sh, errno, "%s: Cannot close", t->file);
        t->status = 2;
    }
}

static void extract_or_list(tarst *t)
{
    sh_stream *in;
    if (strcmp(t->file, "-") == 0) {
        in = sh_stdin(t->sh);
    } else {
        in = sh_open(t->sh, t->file, O_RDONLY);
        if (!in) {
            sh_errno(t->sh, errno, "%s: Cannot open", t->file);
            err_fatal(t);
            return;
        }
    }
    read_archive(t, in);
    end_member(t);
    if (in != sh_stdin(t->sh))
        sh_close(in);
    for (size_t i = t->ndirs; i-- > 0;) { /* directory times last, deepest first */
        set_mtime(t->dirs[i], t->dir_times[i], 0);
        free(t->dirs[i]);
    }
    if (!t->fatal)
        for (size_t i = 0; i < t->nmembers; i++)
            if (!t->found[i]) {
                sh_err(t->sh, "%s: Not found in archive", t->members[i]);
                t->status = 2;
            }
}

/* ---- options ------------------------------------------------------------------ */

/* GNU's old style: "tar czf A.tgz dir" is "tar -c -z -f A.tgz dir": the
 * first word's letters are options, their arguments the words after it. */
static char **old_style(shctx *sh, int argc, char **argv, int *nargc, bool *bad)
{
    *bad = false;
    if (argc < 2 || argv[1][0] == '-')
        return NULL;
    static const char with_arg[] = "fCTXb";
    char **v = sh_calloc((size_t)argc * 2 + 2, sizeof *v);
    int n = 0, next = 2;
    v[n++] = argv[0];
    for (const char *c = argv[1]; *c; c++) {
        char opt[3] = {'-', *c, 0};
        v[n++] = sh_strdup(opt);
        if (strchr(with_arg, *c)) {
            if (next >= argc) {
                sh_err(sh, "Old option '%c' requires an argument.", *c);
                sh_puts(sh_stderr(sh), "Try 'tar --help' or 'tar --usage' for more information.\n");
                *bad = true;
                for (int i = 1; i < n; i++)
                    free(v[i]);
                free(v);
                return NULL;
            }
            v[n++] = sh_strdup(argv[next++]);
        }
    }
    for (int i = next; i < argc; i++)
        v[n++] = sh_strdup(argv[i]);
    v[n] = NULL;
    *nargc = n;
    return v;
}

static const char usage_text[] =
    "Usage: tar [OPTION...] [FILE]...\n"
    "GNU 'tar' saves many files together into a single tape or disk archive, and can\n"
    "restore individual files from the archive.\n"
    "\n"
    "Examples:\n"
    "  tar -cf archive.tar foo bar  # Create archive.tar from files foo and bar.\n"
    "  tar -tvf archive.tar         # List all files in archive.tar verbosely.\n"
    "  tar -xf archive.tar          # Extract all files from archive.tar.\n"
    "\n"
    "  -c, --create               create a new archive\n"
    "  -t, --list                 list the contents of an archive\n"
    "  -x, --extract, --get       extract files from an archive\n"
    "  -f, --file=ARCHIVE         use archive file ARCHIVE (- : stdin/stdout)\n"
    "  -C, --directory=DIR        change to directory DIR\n"
    "  -v, --verbose              verbosely list files processed\n"
    "  -z, --gzip                 filter the archive through gzip\n"
    "  -O, --to-stdout            extract files to standard output\n"
    "  -k, --keep-old-files       don't replace existing files when extracting\n"
    "      --strip-components=NUMBER   strip NUMBER leading components from file\n"
    "                             names on extraction\n"
    "      --exclude=PATTERN      exclude files, given as a PATTERN\n";

enum { L_STRIP = 1000, L_EXCLUDE, L_IGNORE, L_REFUSE, L_HELP, L_VERSION, L_OVERWRITE };

int util_tar(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {
        {"create", SH_NO_ARG, 'c'}, {"extract", SH_NO_ARG, 'x'}, {"get", SH_NO_ARG, 'x'},
        {"list", SH_NO_ARG, 't'}, {"file", SH_REQ_ARG, 'f'}, {"directory", SH_REQ_ARG, 'C'},
        {"verbose", SH_NO_ARG, 'v'}, {"gzip", SH_NO_ARG, 'z'}, {"gunzip", SH_NO_ARG, 'z'},
        {"ungzip", SH_NO_ARG, 'z'}, {"to-stdout", SH_NO_ARG, 'O'},
        {"keep-old-files", SH_NO_ARG, 'k'}, {"strip-components", SH_REQ_ARG, L_STRIP},
        {"exclude", SH_REQ_ARG, L_EXCLUDE}, {"no-same-owner", SH_NO_ARG, L_IGNORE},
        {"no-same-permissions", SH_NO_ARG, L_IGNORE}, {"preserve-permissions", SH_NO_ARG, 'p'},
        {"same-permissions", SH_NO_ARG, 'p'}, {"overwrite", SH_NO_ARG, L_IGNORE},
        {"numeric-owner", SH_NO_ARG, L_IGNORE}, {"wildcards", SH_NO_ARG, L_IGNORE},
        {"bzip2", SH_NO_ARG, 'j'}, {"xz", SH_NO_ARG, 'J'}, {"zstd", SH_NO_ARG, L_REFUSE},
        {"lzma", SH_NO_ARG, L_REFUSE}, {"help", SH_NO_ARG, L_HELP},
        {"version", SH_NO_ARG, L_VERSION}, {NULL, 0, 0}};
    int nargc = argc;
    bool bad;
    char **owned = old_style(sh, argc, argv, &nargc, &bad);
    if (bad)
        return 2;
    char **av = owned ? owned : argv;
    tarst t = {0};
    t.sh = sh;
    t.ugswidth = 19;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c, status = 0;
    const char *refuse = NULL;
    while ((c = sh_getopt(sh, &st, nargc, av, "cxtvf:C:zOkpjJ", lo)) != -1) {
        switch (c) {
        case 'c': case 'x': case 't': {
            int m = c == 'c' ? M_CREATE : c == 'x' ? M_EXTRACT : M_LIST;
            if (t.mode && t.mode != m) {
                sh_err(sh, "You may not specify more than one '-Acdtrux', '--delete' or  "
                           "'--test-label' option");
                sh_puts(sh_stderr(sh), "Try 'tar --help' or 'tar --usage' for more information.\n");
                status = 2;
                goto out;
            }
            t.mode = m;
            break;
        }
        case 'v': t.verbose = true; t.verbose_level++; break;
        case 'f': t.file = st.arg; break;
        case 'C': t.dir = st.arg; break;
        case 'z': t.gzip = true; break;
        case 'O': t.to_stdout = true; break;
        case 'k': t.keep_old = true; break;
        case 'p': case L_IGNORE: break;
        case 'j': refuse = "bzip2"; break;
        case 'J': refuse = "xz"; break;
        case L_REFUSE: refuse = "zstd/lzma"; break;
        case L_STRIP:
            if (!sh_parse_int(st.arg, &t.strip) || t.strip < 0) {
                sh_err(sh, "%s: Invalid number of elements", st.arg);
                sh_puts(sh_stderr(sh), "Try 'tar --help' or 'tar --usage' for more information.\n");
                status = 2;
                goto out;
            }
            break;
        case L_EXCLUDE:
            t.excludes = sh_realloc(t.excludes, (t.nexcludes + 1) * sizeof *t.excludes);
            t.excludes[t.nexcludes++] = (char *)st.arg;
            break;
        case L_HELP:
            sh_puts(sh_stdout(sh), usage_text);
            goto out;
        case L_VERSION:
            sh_puts(sh_stdout(sh), "tar (GNU tar) 1.34\n(the sandbox shell's tar: ustar/pax, "
                                   "gzip; see the shell's README)\n");
            goto out;
        default:
            status = 2;
            goto out;
        }
    }
    if (refuse) {
        sh_err(sh, "%s compression is not available in the sandbox (only gzip: -z)", refuse);
        status = 2;
        goto out;
    }
    if (!t.mode) {
        sh_err(sh, "You must specify one of the '-Acdtrux', '--delete' or '--test-label' options");
        sh_puts(sh_stderr(sh), "Try 'tar --help' or 'tar --usage' for more information.\n");
        status = 2;
        goto out;
    }
    if (!t.file)
        t.file = "-"; /* Debian's tar: stdin and stdout */
    t.vout = (t.mode == M_CREATE && strcmp(t.file, "-") == 0) || t.to_stdout ? sh_stderr(sh)
                                                                            : sh_stdout(sh);
    if (t.mode == M_CREATE) {
        create(&t, av + st.ind, nargc - st.ind);
    } else {
        t.members = av + st.ind;
        t.nmembers = (size_t)(nargc - st.ind);
        t.found = sh_calloc(t.nmembers + 1, 1);
        extract_or_list(&t);
    }
    status = t.status;
    if (status && !t.fatal && !sh_interrupted(sh))
        sh_err(sh, "Exiting with failure status due to previous errors");
out:
    tar_entry_free(&t.e);
    tar_entry_free(&t.pending);
    sh_buf_free(&t.meta);
    sh_buf_free(&t.said);
    free(t.excludes);
    free(t.found);
    free(t.dirs);
    free(t.dir_times);
    if (owned) {
        for (int i = 1; i < nargc; i++)
            free(owned[i]);
        free(owned);
    }
    return status;
}
