/* A skill's files as MCP resources: skill://NAME/PATH. Only the regular
 * files listed at load are served (names starting with "." and symlinks are
 * not listed), and each read opens every component beneath the skill's
 * directory with O_NOFOLLOW, so a symlink put there later leads nowhere. */
#include "skill_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define URI_PREFIX "skill://"

typedef struct walk {
    skill *s;
    size_t cap;
    char *err;
    size_t errlen;
} walk;

static bool add_file(walk *w, const char *rel)
{
    if (w->s->nfiles == SKILL_MAX_FILES) {
        snprintf(w->err, w->errlen, "%s: more than %d files", w->s->dir, SKILL_MAX_FILES);
        return false;
    }
    if (w->s->nfiles == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 16;
        char **f = realloc(w->s->files, cap * sizeof *f);
        if (!f)
            return false;
        w->s->files = f;
        w->cap = cap;
    }
    if (!(w->s->files[w->s->nfiles] = strdup(rel)))
        return false;
    w->s->nfiles++;
    return true;
}

/* Lists directory fd (taken) whose path beneath the skill is rel. */
static bool list_dir(walk *w, int fd, const char *rel, int depth)
{
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        snprintf(w->err, w->errlen, "%s/%s: %s", w->s->dir, rel, strerror(errno));
        return false;
    }
    bool ok = true;
    for (struct dirent *e; ok && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        int n = snprintf(path, sizeof path, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        struct stat st;
        if (n < 0 || (size_t)n >= sizeof path ||
            fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW))
            continue;
        if (S_ISREG(st.st_mode)) {
            ok = add_file(w, path);
        } else if (S_ISDIR(st.st_mode) && depth < SKILL_MAX_DEPTH) {
            int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub >= 0)
                ok = list_dir(w, sub, path, depth + 1);
        }
    }
    closedir(d);
    return ok;
}

static int path_order(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bool skill_list_files(skill *s, char *err, size_t errlen)
{
    walk w = {.s = s, .err = err, .errlen = errlen};
    snprintf(err, errlen, "%s: out of memory", s->dir);
    int fd = dup(s->dir_fd);
    if (fd < 0 || !list_dir(&w, fd, "", 0))
        return false;
    if (s->nfiles)
        qsort(s->files, s->nfiles, sizeof *s->files, path_order);
    return true;
}

static bool unreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

char *skill_uri(const skill *s, const char *path)
{
    size_t n = strlen(URI_PREFIX) + strlen(s->name) + 1 + 3 * strlen(path) + 1;
    char *u = malloc(n);
    if (!u)
        return NULL;
    char *o = u + sprintf(u, URI_PREFIX "%s/", s->name);
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (unreserved(*p) || *p == '/')
            *o++ = (char)*p;
        else
            o += sprintf(o, "%%%02X", *p);
    }
    *o = '\0';
    return u;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Percent-decodes t; NULL when an escape is malformed or makes a NUL. */
static char *decode(const char *t)
{
    char *out = malloc(strlen(t) + 1), *o = out;
    for (; out && *t; t++) {
        if (*t != '%') {
            *o++ = *t;
            continue;
        }
        int h = hexval(t[1]), l = h < 0 ? -1 : hexval(t[2]);
        if (l < 0 || (h == 0 && l == 0)) {
            free(out);
            return NULL;
        }
        *o++ = (char)(h * 16 + l);
        t += 2;
    }
    if (out)
        *o = '\0';
    return out;
}

static bool listed(const skill *s, const char *path)
{
    return s->nfiles &&
           bsearch(&path, s->files, s->nfiles, sizeof *s->files, path_order) != NULL;
}

/* Opens path beneath dir_fd one component at a time, never following a
 * symlink; the last must be a regular file. */
static int open_beneath(int dir_fd, const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    int fd = dup(dir_fd);
    char *save = NULL;
    for (char *c = strtok_r(copy, "/", &save); c && fd >= 0; c = strtok_r(NULL, "/", &save)) {
        bool last = !save || !*save;
        int next = openat(fd, c,
                          (last ? O_RDONLY | O_NONBLOCK : O_RDONLY | O_DIRECTORY) | O_NOFOLLOW |
                              O_CLOEXEC);
        close(fd);
        fd = next;
    }
    free(copy);
    return fd;
}

char *skill_read_uri(const mcp_skills *set, const char *uri, const skill **which, char **path,
                     size_t *len, bool *not_found, char *err, size_t errlen)
{
    *not_found = true;
    *path = NULL;
    size_t plen = strlen(URI_PREFIX);
    if (strncmp(uri, URI_PREFIX, plen)) {
        snprintf(err, errlen, "%.200s: not a skill:// URI (resources/list names them)", uri);
        return NULL;
    }
    const char *slash = strchr(uri + plen, '/');
    char name[SKILL_MAX_NAME + 1];
    size_t nlen = slash ? (size_t)(slash - (uri + plen)) : 0;
    const skill *s = NULL;
    if (slash && nlen <= SKILL_MAX_NAME) {
        memcpy(name, uri + plen, nlen);
        name[nlen] = '\0';
        s = skills_find(set, name);
    }
    char *p = s ? decode(slash + 1) : NULL;
    /* One URI per file: the one skill_uri makes (so sub%2Fx or %41 name
     * nothing). */
    char *canon = p ? skill_uri(s, p) : NULL;
    bool same = canon && !strcmp(canon, uri);
    free(canon);
    if (!p || !same || !listed(s, p)) {
        snprintf(err, errlen, "%.200s: no such resource (resources/list names them)", uri);
        free(p);
        return NULL;
    }
    *not_found = false;
    int fd = open_beneath(s->dir_fd, p);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || (size_t)st.st_size > SKILL_MAX_FILE_BYTES) {
        snprintf(err, errlen, "%.200s: cannot be read: %s", uri,
                 fd < 0 ? (errno == ELOOP ? "a symlink is on its path" : strerror(errno))
                 : !S_ISREG(st.st_mode) ? "no longer a regular file"
                                        : "over 8 MiB");
        if (fd >= 0)
            close(fd);
        free(p);
        return NULL;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (buf && got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (!buf) {
        snprintf(err, errlen, "out of memory");
        free(p);
        return NULL;
    }
    buf[got] = '\0';
    *len = got;
    *which = s;
    *path = p;
    return buf;
}

const char *skill_mime_type(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".md", "text/markdown"},   {".txt", "text/plain"},        {".json", "application/json"},
        {".py", "text/x-python"},   {".sh", "text/x-shellscript"}, {".c", "text/x-c"},
        {".h", "text/x-c"},         {".yaml", "application/yaml"}, {".yml", "application/yaml"},
        {".html", "text/html"},     {".csv", "text/csv"},          {".png", "image/png"},
    };
    size_t n = strlen(path);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        size_t e = strlen(types[i].ext);
        if (n > e && !strcmp(path + n - e, types[i].ext))
            return types[i].type;
    }
    return NULL;
}
