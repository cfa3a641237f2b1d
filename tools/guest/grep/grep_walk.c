/* The walk: paths given -> files searched, in name order (byte order) so
 * output is the same every run. Directories are descended; symlinks met in a
 * walk are not followed (a path given by name is, as in ripgrep); special
 * files (FIFOs, devices) are skipped; .git is never entered; .gitignore
 * files of the walked directories and of the root's ancestors (lexically, up
 * to the current directory or /) are honoured unless no_ignore. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "globmatch.h"
#include "grep_internal.h"

#define BINARY_PROBE 8192 /* a NUL in this many first bytes: binary (ripgrep) */
#define MAX_WALK_DEPTH 256

/* A directory's entry while it is walked: its name (in one block of text
 * for the whole listing) and the type readdir gave (DT_*). */
typedef struct {
    const char *name;
    size_t off, len;
    uint64_t key; /* the name's first 8 bytes, big-endian, zero-padded: compares as they do */
    unsigned char type;
} dir_entry;

/* A line on the error sink: "PATH: why". */
static void say(grep_state *g, const char *path, const char *why) {
    if (!g->err || !g->err->write) return;
    const char *shown = *path ? path : ".";
    g->err->write(g->err->ctx, shown, strlen(shown));
    g->err->write(g->err->ctx, ": ", 2);
    g->err->write(g->err->ctx, why, strlen(why));
    g->err->write(g->err->ctx, "\n", 1);
}

/* An unreadable path: said, and counted (the status is 2). */
static void report(grep_state *g, const char *path, const char *why) {
    g->res->errors++;
    say(g, path, why);
}

/* The path without leading "./" (what .gitignore bases are compared with). */
static const char *norm(const char *p) {
    while (p[0] == '.' && p[1] == '/') {
        p += 2;
        while (*p == '/') p++;
    }
    return p[0] == '.' && p[1] == 0 ? "" : p;
}

/* Opens name, relative to the directory fd dfd (AT_FDCWD: the current
 * one), for reading. Under WASI, from a directory fd, with path_open
 * itself: wasi-libc's openat first asks the directory's rights
 * (fd_fdstat_get), a host call a file that the walk does not need, since a
 * file is only read, its size asked, and closed. */
static int open_read_at(int dfd, const char *name) {
#ifdef __wasi__
    if (dfd != AT_FDCWD) {
        __wasi_fd_t fd;
        __wasi_errno_t e = __wasi_path_open(
            (__wasi_fd_t)dfd, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, name, 0,
            __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_FILESTAT_GET, 0, 0, &fd);
        if (e != __WASI_ERRNO_SUCCESS) {
            errno = e; /* wasi-libc's errno values are WASI's */
            return -1;
        }
        return (int)fd;
    }
#endif
    return openat(dfd, name, O_RDONLY);
}

/* Reads a whole file, name relative to the directory fd dfd (AT_FDCWD: the
 * current one), into *buf (capacity *cap, grown as needed: the walk reuses
 * one buffer for every file). Returns 0, or -1 with errno set. Opening
 * relative to the directory's fd spares wasi-libc a search of its preopens
 * for every path. */
static int read_file_at(int dfd, const char *name, char **buf, size_t *cap, size_t *len) {
    int fd = open_read_at(dfd, name);
    if (fd < 0) return -1;
    size_t n = 0, size = 0;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (unsigned long long)st.st_size < (size_t)-2) {
        size = (size_t)st.st_size;
        if (size + 1 > *cap) {
            char *nb = realloc(*buf, size + 1);
            if (nb) *buf = nb, *cap = size + 1;
        }
    }
    /* A regular file is read up to the size fstat gave, not on to a read
     * that returns 0: one host call a file fewer (bytes appended since are
     * not searched, as if the file had been read a moment earlier). */
    while (!size || n < size) {
        if (n == *cap) {
            size_t nc = *cap ? *cap * 2 : 65536;
            char *nb = *cap < ((size_t)-1) / 2 ? realloc(*buf, nc) : NULL;
            if (!nb) {
                close(fd);
                errno = ENOMEM;
                return -1;
            }
            *buf = nb, *cap = nc;
        }
        ssize_t r = read(fd, *buf + n, *cap - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    *len = n;
    return 0;
}

/* The same into a buffer of its own (NULL, errno set, on failure). */
static char *read_file(int dfd, const char *name, size_t *len) {
    char *buf = NULL;
    size_t cap = 0;
    if (read_file_at(dfd, name, &buf, &cap, len) != 0) {
        int e = errno;
        free(buf);
        errno = e;
        return NULL;
    }
    return buf;
}

/* "NAME\n" (-l, -L), or "NAME:COUNT\n" (-c; count NULL: none); with
 * null_after_name the byte after the name is a NUL (-Z). */
static void emit_name_line(grep_state *g, const char *name, const char *count) {
    size_t nl = strlen(name), cl = count ? strlen(count) : 0;
    char *line = malloc(nl + cl + 3);
    if (!line) return;
    size_t w = 0;
    memcpy(line, name, nl);
    w = nl;
    if (count) {
        if (nl) line[w++] = g->o->null_after_name ? '\0' : ':';
        memcpy(line + w, count, cl);
        w += cl;
        line[w++] = '\n';
    } else {
        line[w++] = g->o->null_after_name ? '\0' : '\n';
    }
    grep_emit_line(g, line, w);
    free(line);
}

/* After a file's bytes were searched: its name, count, or nothing. */
static void file_done(grep_state *g, const char *path, size_t n) {
    const grep_opts *o = g->o;
    if (n) {
        g->res->files_matched++;
        g->res->lines_selected += n;
    }
    if (o->quiet) return;
    if (o->mode == GREP_FILES_WITH_MATCHES && n) emit_name_line(g, path, NULL);
    if (o->mode == GREP_FILES_WITHOUT_MATCH && !n) emit_name_line(g, path, NULL);
    if (o->mode == GREP_COUNT && (n || o->count_zero)) {
        char num[32]; /* by hand: snprintf would be translated for this alone */
        size_t k = sizeof num;
        num[--k] = 0;
        do num[--k] = (char)('0' + n % 10);
        while ((n /= 10) && k);
        emit_name_line(g, g->show_names ? path : "", num + k);
    }
}

/* Whether the binary test of a file may be left out (grep_opts.lazy_binary):
 * a file was selected already, and this one cannot be (its output would be
 * nothing whatever the test said: no name, no count, no lines). */
static int skip_binary_test(grep_state *g, const char *buf, size_t len) {
    const grep_opts *o = g->o;
    if (!o->lazy_binary || o->binary != GREP_BINARY_SKIP || !g->res->files_matched || o->invert ||
        o->mode == GREP_FILES_WITHOUT_MATCH || o->count_zero)
        return 0;
    return rx_candidate(g->prog, buf, len, 0) == RX_NOPOS;
}

/* Searches buf as the file path: binary test, the search, the per-file output. */
static void search_buf(grep_state *g, const char *path, const char *buf, size_t len) {
    const grep_opts *o = g->o;
    int binary = 0;
    if (skip_binary_test(g, buf, len)) {
        g->res->files_searched++;
        return;
    }
    if (o->nul_lines || o->binary == GREP_BINARY_TEXT) binary = 0;
    else if (o->binary == GREP_BINARY_NOTE) binary = rx_has_nul(buf, len);
    else binary = rx_has_nul(buf, len < BINARY_PROBE ? len : BINARY_PROBE);
    if (binary && o->binary == GREP_BINARY_SKIP) {
        g->res->binary_skipped++;
        return;
    }
    g->res->files_searched++;
    file_done(g, path, grep_buffer(g, path, buf, len, binary));
}

/* Searches the file name in the directory fd dfd, shown as path. */
static void search_file(grep_state *g, int dfd, const char *name, const char *path) {
    size_t len = 0;
    if (read_file_at(dfd, *name ? name : ".", &g->fbuf, &g->fbuf_cap, &len) != 0) {
        report(g, path, strerror(errno));
        return;
    }
    search_buf(g, path, g->fbuf, len);
}

/* -R: is the directory st already being walked (a symlink loop)? If not,
 * it is pushed (pop_dir after). 1: a loop; -1: out of memory. */
static int push_dir(grep_state *g, const struct stat *st) {
    for (size_t k = 0; k < g->ndirs; k++)
        if (g->dirs[k].dev == (unsigned long long)st->st_dev &&
            g->dirs[k].ino == (unsigned long long)st->st_ino)
            return 1;
    if (g->ndirs == g->dirs_cap) {
        size_t cap = g->dirs_cap ? g->dirs_cap * 2 : 16;
        void *nd = realloc(g->dirs, cap * sizeof *g->dirs);
        if (!nd) return -1;
        g->dirs = nd, g->dirs_cap = cap;
    }
    g->dirs[g->ndirs].dev = (unsigned long long)st->st_dev;
    g->dirs[g->ndirs].ino = (unsigned long long)st->st_ino;
    g->ndirs++;
    return 0;
}

/* Byte order of names, as strcmp: the keys decide unless they are equal,
 * which for two different names means both are 8 bytes or longer (a name
 * has no NUL, so a shorter one's padding differs from a longer one's byte). */
static int name_before(const dir_entry *a, const dir_entry *b) {
    if (a->key != b->key) return a->key < b->key;
    return a->len > 8 && b->len > 8 && strcmp(a->name + 8, b->name + 8) < 0;
}

/* Sorts e[0..n) by name: a merge sort through tmp (n entries), bottom-up.
 * qsort (wasi-libc's smoothsort) called strcmp for every compare and
 * moved entries with memcpy: ~1,000 wasm instructions an entry. */
static void sort_entries(dir_entry *e, dir_entry *tmp, size_t n) {
    /* runs of 4 by insertion first: most directories are that small or a few times it */
    for (size_t lo = 0; lo < n; lo += 4) {
        size_t hi = lo + 4 < n ? lo + 4 : n;
        for (size_t i = lo + 1; i < hi; i++) {
            dir_entry x = e[i];
            size_t j = i;
            for (; j > lo && name_before(&x, &e[j - 1]); j--) e[j] = e[j - 1];
            e[j] = x;
        }
    }
    dir_entry *src = e, *dst = tmp;
    for (size_t width = 4; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, w = lo;
            while (i < mid && j < hi) dst[w++] = name_before(&src[j], &src[i]) ? src[j++] : src[i++];
            while (i < mid) dst[w++] = src[i++];
            while (j < hi) dst[w++] = src[j++];
        }
        dir_entry *t = src;
        src = dst, dst = t;
    }
    if (src != e)
        for (size_t i = 0; i < n; i++) e[i] = src[i];
}

/* The sort key of a name of len bytes. */
static uint64_t name_key(const char *name, size_t len) {
    uint64_t k = 0;
    for (size_t i = 0; i < 8; i++) k = k << 8 | (i < len ? (unsigned char)name[i] : 0);
    return k;
}

/* Joins dir and name ("" dir: just name). */
static char *join(const char *dir, const char *name) {
    size_t dl = strlen(dir), nl = strlen(name);
    char *p = malloc(dl + nl + 2);
    if (!p) return NULL;
    memcpy(p, dir, dl);
    size_t w = dl;
    if (dl && dir[dl - 1] != '/') p[w++] = '/';
    memcpy(p + w, name, nl + 1);
    return p;
}

/* Reads the .gitignore named name in the directory fd dfd (path: how it is
 * shown) onto the stack with base dir; returns 1 if pushed. */
static int push_ignore_at(grep_state *g, int dfd, const char *name, const char *path,
                          const char *dir) {
    struct stat st;
    int pushed = 0;
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
        size_t len;
        char *text = read_file(dfd, name, &len);
        if (text) {
            pushed = ignore_push(&g->ign, norm(dir), text, len) == 1;
            free(text);
        } else {
            report(g, path, strerror(errno));
        }
    }
    return pushed;
}

/* dir/.gitignore, dir a path (an ancestor of a search root). */
static int push_ignore(grep_state *g, const char *dir) {
    char *path = join(dir, ".gitignore");
    if (!path) return 0;
    int pushed = push_ignore_at(g, AT_FDCWD, path, path, dir);
    free(path);
    return pushed;
}

/* The path being walked, in one buffer that grows: a name is appended for
 * each entry and cut off after, instead of a string made per entry. */
typedef struct {
    char *p;
    size_t len, cap;
} path_buf;

/* Appends "/name" ("name" when the path is "" or ends with '/'); returns
 * the length to cut back to, or (size_t)-1 when out of memory. */
static size_t path_push_n(path_buf *b, const char *name, size_t nl) {
    size_t at = b->len;
    size_t need = at + nl + 2;
    if (need > b->cap) {
        size_t nc = b->cap * 2 > need ? b->cap * 2 : need + 256;
        char *np = realloc(b->p, nc);
        if (!np) return (size_t)-1;
        b->p = np, b->cap = nc;
    }
    size_t w = at;
    if (at && b->p[at - 1] != '/') b->p[w++] = '/';
    memcpy(b->p + w, name, nl + 1);
    b->len = w + nl;
    return at;
}

static size_t path_push(path_buf *b, const char *name) { return path_push_n(b, name, strlen(name)); }

static void path_cut(path_buf *b, size_t at) {
    b->len = at;
    b->p[at] = 0;
}

/* A listing being made: the entries and the block of their names. */
typedef struct {
    dir_entry *e;
    size_t n, cap;
    char *t;
    size_t tlen, tcap;
} listing;

/* Adds the name nm (nl bytes, no NUL) of type DT_* unless it is . or ..;
 * 0 when out of memory. */
static int add_entry(listing *l, const char *nm, size_t nl, unsigned char type) {
    if (nm[0] == '.' && (nl == 1 || (nl == 2 && nm[1] == '.'))) return 1;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        dir_entry *ne = realloc(l->e, cap * sizeof *ne);
        if (!ne) return 0;
        l->e = ne, l->cap = cap;
    }
    if (l->tlen + nl + 1 > l->tcap) {
        size_t tcap = l->tcap * 2 > l->tlen + nl + 1 ? l->tcap * 2 : l->tlen + nl + 1 + 1024;
        char *nt = realloc(l->t, tcap);
        if (!nt) return 0;
        l->t = nt, l->tcap = tcap;
    }
    memcpy(l->t + l->tlen, nm, nl);
    l->t[l->tlen + nl] = 0;
    dir_entry *e = &l->e[l->n++];
    e->off = l->tlen;
    e->len = nl;
    e->key = name_key(nm, nl);
    e->type = type;
    l->tlen += nl + 1;
    return 1;
}

#ifdef __wasi__
/* Under WASI the listing is read with fd_readdir itself, 32 KiB a call,
 * straight into the entries: wasi-libc's readdir copies each entry into a
 * dirent of its own and scans its name (a few hundred wasm instructions an
 * entry, and a host call each 4 KiB), and its fdopendir reads the first
 * 4 KiB before the walk asks. What its readdir does with an entry is done
 * here too: a name with a NUL or of no bytes is skipped, an entry the
 * buffer cuts is read again from the cookie before it (the buffer grows
 * if one entry fills it), and a call that does not fill the buffer was the
 * last. WASI's file types are the DT_* values (wasi-libc asserts it).
 * Returns 0, or an errno value. */
static int read_listing(int fd, listing *l, int *oom) {
    size_t cap = 32768;
    uint8_t *rb = malloc(cap);
    if (!rb) return *oom = 1, ENOMEM;
    __wasi_dircookie_t cookie = __WASI_DIRCOOKIE_START;
    int err = 0;
    for (;;) {
        __wasi_size_t used = 0;
        __wasi_errno_t e = __wasi_fd_readdir((__wasi_fd_t)fd, rb, (__wasi_size_t)cap, cookie, &used);
        if (e != __WASI_ERRNO_SUCCESS) {
            err = e; /* wasi-libc's errno values are WASI's */
            break;
        }
        if (used > cap) used = (__wasi_size_t)cap; /* a host that says more than it may */
        size_t at = 0;
        while (used - at >= sizeof(__wasi_dirent_t)) {
            __wasi_dirent_t h;
            memcpy(&h, rb + at, sizeof h);
            if (used - at - sizeof h < h.d_namlen) break; /* cut by the buffer's end */
            const char *nm = (const char *)rb + at + sizeof h;
            at += sizeof h + h.d_namlen;
            cookie = h.d_next;
            if (h.d_namlen == 0 || memchr(nm, 0, h.d_namlen)) continue;
            if (!add_entry(l, nm, h.d_namlen, h.d_type)) {
                *oom = 1;
                free(rb);
                return ENOMEM;
            }
        }
        if (used < cap) break; /* the end */
        if (at == 0) { /* one entry longer than the buffer */
            uint8_t *nb = cap < ((size_t)1 << 24) ? realloc(rb, cap * 2) : NULL;
            if (!nb) {
                *oom = 1;
                err = ENOMEM;
                break;
            }
            rb = nb, cap *= 2;
        }
    }
    free(rb);
    return err;
}
#endif

/* A directory open for the walk: under WASI its fd (read_listing), elsewhere
 * a DIR (readdir). */
typedef struct {
    int fd;
#ifndef __wasi__
    DIR *d;
#endif
} dir_handle;

/* Opens the directory fd dfd (which the handle then owns), or dir by its
 * path when dfd is -1. 0, or -1 with errno set (dfd closed). */
static int dir_open(dir_handle *h, int dfd, const char *dir) {
#ifdef __wasi__
    h->fd = dfd >= 0 ? dfd : open(*dir ? dir : ".", O_RDONLY | O_DIRECTORY);
    return h->fd >= 0 ? 0 : -1;
#else
    h->d = dfd >= 0 ? fdopendir(dfd) : opendir(*dir ? dir : ".");
    if (!h->d) {
        int e = errno;
        if (dfd >= 0) close(dfd);
        errno = e;
        return -1;
    }
    h->fd = dirfd(h->d);
    return 0;
#endif
}

static void dir_close(dir_handle *h) {
#ifdef __wasi__
    close(h->fd);
#else
    closedir(h->d);
#endif
}

/* Lists the directory h: its names (without . and ..) in one block of text,
 * with their types as the listing tells them (DT_UNKNOWN: ask fstatat),
 * sorted by name. Returns the count; *ents and *text are the caller's to
 * free. Stops early on out of memory or a read error, and says so. */
static size_t list_dir(grep_state *g, dir_handle *h, const char *dir, dir_entry **ents, char **text) {
    listing l = {0};
    int oom = 0, err = 0;
#ifdef __wasi__
    err = read_listing(h->fd, &l, &oom);
#else
    struct dirent *de;
    for (;;) {
        errno = 0; /* readdir's only way to tell an error from the end */
        if (!(de = readdir(h->d))) {
            err = errno;
            break;
        }
        if (!add_entry(&l, de->d_name, strlen(de->d_name), de->d_type)) {
            oom = 1;
            break;
        }
    }
#endif
    dir_entry *e = l.e;
    char *t = l.t;
    size_t n = l.n;
    if (oom) report(g, dir, "out of memory listing the directory");
    else if (err) report(g, dir, strerror(err));
    /* The names' addresses, now that the block no longer moves. */
    for (size_t k = 0; k < n; k++) e[k].name = t + e[k].off;
    if (n > 1) {
        dir_entry *tmp = malloc(n * sizeof *tmp);
        if (tmp) {
            sort_entries(e, tmp, n);
            free(tmp);
        } else {
            report(g, dir, "out of memory sorting the directory");
            n = 0;
        }
    }
    *ents = e;
    *text = t;
    return n;
}

/* The type of the entry e of the directory fd dfd (path: its path):
 * S_IFREG, S_IFDIR, another (a symlink not followed, a special file: not
 * read), or 0 with errno set when it cannot be told. readdir's type is used
 * when it is one. *by_path: a symlink was followed, so the entry must be
 * opened by its path: the sandbox resolves a link relative to the directory
 * it is opened from, and a link such as `up -> ..` leaves the directory
 * but not the mapped tree. */
static unsigned entry_type(grep_state *g, int dfd, const dir_entry *e, const char *path,
                           int *by_path) {
    *by_path = 0;
    if (e->type == DT_REG) return S_IFREG;
    if (e->type == DT_DIR) return S_IFDIR;
    if (e->type != DT_UNKNOWN && e->type != DT_LNK) return S_IFIFO;
    if (e->type == DT_LNK && !g->o->follow_links) return S_IFLNK;
    struct stat st;
    int got = fstatat(dfd, e->name, &st, AT_SYMLINK_NOFOLLOW);
    if (got == 0 && S_ISLNK(st.st_mode) && g->o->follow_links) {
        *by_path = 1;
        got = stat(path, &st);
    }
    return got == 0 ? (unsigned)(st.st_mode & S_IFMT) : 0;
}

/* Walks the directory at b->p (its fd: dfd, which is closed here; -1: open
 * it by its path). */
static void walk(grep_state *g, path_buf *b, int dfd, size_t root_len, unsigned depth) {
    const char *dir = b->p;
    dir_handle d;
    if (dir_open(&d, dfd, dir) != 0) {
        report(g, dir, strerror(errno));
        return;
    }
    dfd = d.fd;
    if (g->o->follow_links) {
        struct stat ds;
        int loop = fstat(dfd, &ds) == 0 ? push_dir(g, &ds) : 0;
        if (loop > 0) { /* GNU grep warns, and the status does not change */
            say(g, dir, "warning: recursive directory loop");
            dir_close(&d);
            return;
        }
        if (loop < 0) {
            report(g, dir, "out of memory");
            dir_close(&d);
            return;
        }
    }
    size_t ndirs_at_entry = g->ndirs;
    dir_entry *ents;
    char *text;
    size_t n = list_dir(g, &d, dir, &ents, &text);
    int pushed = 0;
    if (!g->o->no_ignore) { /* only a directory that lists one has a .gitignore to read */
        for (size_t k = 0; k < n && !pushed; k++) {
            if (ents[k].len != 10 || memcmp(ents[k].name, ".gitignore", 10) != 0) continue;
            size_t at = path_push(b, ".gitignore");
            if (at == (size_t)-1) break;
            char *shown = strdup(b->p);
            path_cut(b, at);
            if (shown) pushed = push_ignore_at(g, dfd, ".gitignore", shown, b->p);
            free(shown);
            break;
        }
    }
    for (size_t k = 0; k < n && !g->stop; k++) {
        const char *name = ents[k].name;
        if (ents[k].len == 4 && memcmp(name, ".git", 4) == 0 && !g->o->enter_git) continue;
        size_t at = path_push_n(b, name, ents[k].len);
        if (at == (size_t)-1) {
            report(g, b->p, "out of memory");
            break;
        }
        const char *path = b->p;
        int by_path;
        unsigned type = entry_type(g, dfd, &ents[k], path, &by_path);
        if (!type) {
            report(g, path, strerror(errno));
        } else if (type == S_IFDIR || type == S_IFREG) {
            int is_dir = type == S_IFDIR;
            const char *rel = path + root_len;
            while (*rel == '/') rel++;
            const char *np = norm(path); /* the path's length and name are known here */
            if (!g->o->no_ignore &&
                ignore_match_n(&g->ign, np, b->len - (size_t)(np - path), ents[k].len, is_dir)) {
                g->res->ignored++;
            } else if (grep_filter_pass(g->o, rel, name, is_dir) &&
                       gnu_filter_pass(g->o, name, is_dir)) {
                if (!is_dir) {
                    search_file(g, by_path ? AT_FDCWD : dfd, by_path ? path : name, path);
                } else if (depth >= MAX_WALK_DEPTH) {
                    report(g, path, "directory nesting too deep (more than 256 levels)");
                } else if (by_path) {
                    walk(g, b, -1, root_len, depth + 1);
                } else {
                    int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY);
                    if (sub < 0) report(g, path, strerror(errno));
                    else walk(g, b, sub, root_len, depth + 1);
                }
            }
        } /* symlinks and special files: not followed, not read */
        path_cut(b, at);
    }
    if (pushed) ignore_pop(&g->ign);
    if (g->o->follow_links) g->ndirs = ndirs_at_entry - 1;
    free(ents);
    free(text);
    dir_close(&d);
}

/* Pushes the .gitignore files of root's ancestors, outermost first;
 * returns how many. Relative roots stop at the current directory, and
 * roots with .. get none (their ancestors are not below it). */
static size_t push_ancestors(grep_state *g, const char *root) {
    const char *r = norm(root);
    if (strstr(r, "..")) return 0;
    size_t len = strlen(r), pushed = 0;
    while (len > 1 && r[len - 1] == '/') len--;
    char *buf = malloc(len + 2);
    if (!buf) return 0;
    /* Every proper prefix ending before a '/' is an ancestor, plus the
     * start: "" for a relative root, "/" for an absolute one. */
    if (len && r[0] == '/') {
        if (len > 1) pushed += push_ignore(g, "/");
    } else if (len) {
        pushed += push_ignore(g, "");
    }
    for (size_t i = 1; i < len; i++) {
        if (r[i] != '/') continue;
        memcpy(buf, r, i);
        buf[i] = 0;
        pushed += push_ignore(g, buf);
    }
    free(buf);
    return pushed;
}

grep_session *grep_begin(const grep_opts *o, const grep_sink *out, const grep_sink *err,
                         grep_result *res) {
    memset(res, 0, sizeof *res);
    if (o->type && !grep_type_globs(o->type)) {
        int w = snprintf(res->error, sizeof res->error, "unknown file type '%s'; known types:",
                         o->type);
        for (size_t k = 0; grep_types[k] && w > 0 && (size_t)w < sizeof res->error; k++) {
            const char *colon = strchr(grep_types[k], ':');
            w += snprintf(res->error + w, sizeof res->error - (size_t)w, " %.*s",
                          (int)(colon - grep_types[k]), grep_types[k]);
        }
        return NULL;
    }
    for (size_t k = 0; k < o->nglobs + o->ngnu_filters; k++) {
        const char *shown = k < o->nglobs ? o->globs[k] : o->gnu_filters[k - o->nglobs] + 2;
        const char *gl = k < o->nglobs ? shown + (shown[0] == '!') : shown;
        if (!glob_within_limits(gl, strlen(gl))) {
            snprintf(res->error, sizeof res->error,
                     "glob '%.64s%s': its braces make more than 256 patterns to try (or one longer than "
                     "1 KiB); split the search",
                     shown, strlen(shown) > 64 ? "..." : "");
            return NULL;
        }
    }
    grep_state *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(res->error, sizeof res->error, "out of memory");
        return NULL;
    }
    rx_error rerr;
    g->o = o, g->out = out, g->err = err, g->res = res;
    g->prog = grep_compile(o, &rerr);
    if (!g->prog) {
        snprintf(res->error, sizeof res->error, "invalid pattern at offset %zu: %s", rerr.pos,
                 rerr.msg);
        free(g);
        return NULL;
    }
    g->show_names = o->filenames > 0;
    return g;
}

void grep_path(grep_session *g, const char *root) {
    struct stat st;
    if (g->stop) return;
    if (stat(*root ? root : ".", &st) != 0) {
        report(g, root, strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
        size_t anc = g->o->no_ignore ? 0 : push_ancestors(g, root);
        path_buf b = {NULL, 0, 0};
        if (path_push(&b, root) == (size_t)-1) report(g, root, "out of memory");
        else walk(g, &b, -1, strlen(root), 0);
        free(b.p);
        while (anc--) ignore_pop(&g->ign);
    } else {
        search_file(g, AT_FDCWD, root, root); /* named files are searched whatever the filters say */
    }
}

void grep_bytes(grep_session *g, const char *name, const char *buf, size_t len) {
    if (!g->stop) search_buf(g, name, buf, len);
}

int grep_done(const grep_session *g) { return g->stop; }

void grep_stop(grep_session *g) { g->stop = 1; }

void grep_set_filenames(grep_session *g, int filenames) { g->show_names = filenames > 0; }

int grep_end(grep_session *g) {
    const grep_opts *o = g->o;
    grep_result *res = g->res;
    ignore_free(&g->ign);
    rx_free(g->prog);
    free(g->dirs);
    free(g->fbuf);
    free(g);
    if (o->mode == GREP_FILES_WITHOUT_MATCH)
        return res->files_searched > res->files_matched ? 0 : 1;
    return res->lines_selected ? 0 : 1;
}

int grep_run(const grep_opts *o, const grep_sink *out, const grep_sink *err, grep_result *res) {
    grep_session *g = grep_begin(o, out, err, res);
    if (!g) return 2;
    static const char *const here[] = {""};
    const char *const *paths = o->npaths ? o->paths : here;
    size_t npaths = o->npaths ? o->npaths : 1;
    struct stat st;
    g->show_names = o->filenames ? o->filenames > 0
                    : npaths > 1 || stat(*paths[0] ? paths[0] : ".", &st) != 0 ||
                          S_ISDIR(st.st_mode);
    for (size_t k = 0; k < npaths && !g->stop; k++) grep_path(g, paths[k]);
    return grep_end(g);
}
