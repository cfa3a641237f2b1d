/* copy.c: copying files and trees, for cp and for mv across mapped
 * directories. Messages are GNU cp's, naming the utility that runs. A
 * symlink met while copying a tree is copied as a symlink (never followed),
 * so the sandbox's symlink rule applies to the copy as to any link made. */
#include "shell.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool copy_file(shctx *sh, const sh_copy_opts *o, const char *src, const char *dst,
                      const struct stat *sst)
{
    int in = open(src, O_RDONLY);
    if (in < 0) {
        sh_errno(sh, errno, "cannot open %s for reading", sh_quote(sh, src));
        return false;
    }
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (out < 0 && o->force && errno != ENOENT) {
        unlink(dst);
        out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    }
    if (out < 0) {
        sh_errno(sh, errno, "cannot create regular file %s", sh_quote(sh, dst));
        close(in);
        return false;
    }
    char *buf = sh_malloc(65536);
    bool ok = true;
    for (;;) {
        ssize_t r = read(in, buf, 65536);
        if (r < 0) {
            sh_errno(sh, errno, "error reading %s", sh_quote(sh, src));
            ok = false;
            break;
        }
        if (r == 0)
            break;
        for (ssize_t off = 0; off < r;) {
            ssize_t w = write(out, buf + off, (size_t)(r - off));
            if (w < 0) {
                sh_errno(sh, errno, "error writing %s", sh_quote(sh, dst));
                ok = false;
                break;
            }
            off += w;
        }
        if (!ok)
            break;
    }
    free(buf);
    close(in);
    if (ok && o->preserve) {
        struct timespec t[2] = {sst->st_atim, sst->st_mtim};
        futimens(out, t);
    }
    if (close(out) != 0 && ok) {
        sh_errno(sh, errno, "error writing %s", sh_quote(sh, dst));
        ok = false;
    }
    return ok;
}

static bool copy_link(shctx *sh, const sh_copy_opts *o, const char *src, const char *dst)
{
    char target[4096];
    ssize_t n = readlink(src, target, sizeof target - 1);
    if (n < 0) {
        sh_errno(sh, errno, "cannot read symbolic link %s", sh_quote(sh, src));
        return false;
    }
    target[n] = 0;
    if (symlink(target, dst) != 0) {
        if (errno == EEXIST && o->force && unlink(dst) == 0 && symlink(target, dst) == 0)
            return true;
        sh_errno(sh, errno, "cannot create symbolic link %s", sh_quote(sh, dst));
        return false;
    }
    return true;
}

static bool copy_any(shctx *sh, const sh_copy_opts *o, const char *src, const char *dst, int depth)
{
    struct stat sst, dst_st;
    bool follow = !o->recursive || o->dereference || (depth == 0 && o->follow_args);
    if ((follow ? stat(src, &sst) : lstat(src, &sst)) != 0) {
        sh_errno(sh, errno, "cannot stat %s", sh_quote(sh, src));
        return false;
    }
    bool exists = lstat(dst, &dst_st) == 0;
    if (exists && sst.st_dev == dst_st.st_dev && sst.st_ino == dst_st.st_ino) {
        sh_err(sh, "%s and %s are the same file", sh_quote(sh, src), sh_quote(sh, dst));
        return false;
    }
    if (exists && o->no_clobber)
        return true;
    if (exists && o->update && !S_ISDIR(sst.st_mode) &&
        (dst_st.st_mtim.tv_sec > sst.st_mtim.tv_sec ||
         (dst_st.st_mtim.tv_sec == sst.st_mtim.tv_sec && dst_st.st_mtim.tv_nsec >= sst.st_mtim.tv_nsec)))
        return true;
    if (S_ISDIR(sst.st_mode)) {
        if (!o->recursive) {
            sh_err(sh, "-r not specified; omitting directory %s", sh_quote(sh, src));
            return false;
        }
        if (depth > 256) {
            sh_errno(sh, ELOOP, "cannot copy %s", sh_quote(sh, src));
            return false;
        }
        if (exists && !S_ISDIR(dst_st.st_mode)) {
            sh_err(sh, "cannot overwrite non-directory %s with directory %s", sh_quote(sh, dst), sh_quote(sh, src));
            return false;
        }
        if (!exists && mkdir(dst, 0777) != 0) {
            sh_errno(sh, errno, "cannot create directory %s", sh_quote(sh, dst));
            return false;
        }
        if (o->verbose)
            sh_printf(sh_stdout(sh), "%s -> %s\n", sh_quote(sh, src), sh_quote(sh, dst));
        DIR *d = opendir(src);
        if (!d) {
            sh_errno(sh, errno, "cannot access %s", sh_quote(sh, src));
            return false;
        }
        char **names = NULL;
        size_t n = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            names = sh_realloc(names, sizeof *names * (n + 1));
            names[n++] = sh_strdup(e->d_name);
        }
        closedir(d);
        bool ok = true;
        for (size_t i = 0; i < n; i++) {
            sh_buf s = {0}, t = {0};
            sh_buf_printf(&s, "%s%s%s", src, src[strlen(src) - 1] == '/' ? "" : "/", names[i]);
            sh_buf_printf(&t, "%s%s%s", dst, dst[strlen(dst) - 1] == '/' ? "" : "/", names[i]);
            if (!copy_any(sh, o, s.data, t.data, depth + 1))
                ok = false;
            sh_buf_free(&s);
            sh_buf_free(&t);
            free(names[i]);
            if (sh_interrupted(sh))
                break;
        }
        free(names);
        if (o->preserve) {
            struct timespec ts[2] = {sst.st_atim, sst.st_mtim};
            utimensat(AT_FDCWD, dst, ts, 0);
        }
        return ok;
    }
    if (o->verbose)
        sh_printf(sh_stdout(sh), "%s -> %s\n", sh_quote(sh, src), sh_quote(sh, dst));
    if (S_ISLNK(sst.st_mode))
        return copy_link(sh, o, src, dst);
    if (exists && S_ISDIR(dst_st.st_mode)) {
        sh_err(sh, "cannot overwrite directory %s with non-directory", sh_quote(sh, dst));
        return false;
    }
    return copy_file(sh, o, src, dst, &sst);
}

bool sh_copy(shctx *sh, const char *src, const char *dst, const sh_copy_opts *o)
{
    return copy_any(sh, o, src, dst, 0);
}

bool sh_inside(shctx *sh, const char *dir, const char *path)
{
    int e1, e2;
    char *a = sh_canonicalize(sh, dir, SH_CANON_MISSING, &e1);
    char *b = sh_canonicalize(sh, path, SH_CANON_MISSING, &e2);
    bool in = false;
    if (a && b) {
        size_t n = strlen(a);
        in = !strncmp(a, b, n) && (b[n] == '/' || b[n] == 0 || !strcmp(a, "/"));
    }
    free(a);
    free(b);
    return in;
}

char *sh_path_into(const char *dir, const char *src)
{
    size_t n = strlen(src);
    while (n > 1 && src[n - 1] == '/')
        n--;
    size_t s = n;
    while (s > 0 && src[s - 1] != '/')
        s--;
    sh_buf b = {0};
    sh_buf_adds(&b, dir);
    if (b.len && b.data[b.len - 1] != '/')
        sh_buf_addc(&b, '/');
    sh_buf_add(&b, src + s, n - s);
    return sh_buf_take(&b);
}
