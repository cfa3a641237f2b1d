/* Loading a skill (SKILL.md: front matter, then the prompt) and filling its
 * placeholders. */
#include "skill_internal.h"
#include "mcp_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

size_t skill_utf8_end(const char *text, size_t len)
{
    return mcp_utf8_check(text, len);
}

/* A placeholder at t: "{{" spaces NAME spaces "}}". Returns its length (0
 * when t does not start one) and the name's span. */
static size_t placeholder(const char *t, const char **name, size_t *nlen)
{
    if (t[0] != '{' || t[1] != '{')
        return 0;
    const char *p = t + 2;
    while (*p == ' ')
        p++;
    const char *n = p;
    while (*p && *p != '}' && *p != ' ' && *p != '{' && *p != '\n')
        p++;
    size_t len = (size_t)(p - n);
    while (*p == ' ')
        p++;
    if (p[0] != '}' || p[1] != '}' || !skill_arg_name_ok(n, len))
        return 0;
    *name = n;
    *nlen = len;
    return (size_t)(p + 2 - t);
}

static const skill_arg *arg_named(const skill *s, const char *name, size_t len)
{
    for (size_t i = 0; i < s->nargs; i++)
        if (strlen(s->args[i].name) == len && !memcmp(s->args[i].name, name, len))
            return &s->args[i];
    return NULL;
}

/* Every placeholder names a declared argument: a typo fails at load. */
static bool check_placeholders(const skill *s, const char *file, size_t body_line, char *err,
                               size_t errlen)
{
    size_t line = body_line;
    for (const char *t = s->body; *t; t++) {
        const char *name;
        size_t nlen, plen = placeholder(t, &name, &nlen);
        if (*t == '\n')
            line++;
        if (!plen)
            continue;
        if (!arg_named(s, name, nlen)) {
            snprintf(err, errlen,
                     "%s:%zu: {{%.*s}} names no argument (declare it under arguments, or write "
                     "the braces apart)",
                     file, line, (int)nlen, name);
            return false;
        }
        t += plen - 1;
    }
    return true;
}

static char *read_small_file(int dir_fd, const char *name, size_t max, size_t *len, char *why,
                             size_t whylen)
{
    int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        snprintf(why, whylen, "%s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
        snprintf(why, whylen, S_ISREG(st.st_mode) ? "over %zu bytes" : "not a regular file", max);
        close(fd);
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
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    buf[got] = '\0';
    *len = got;
    return buf;
}

/* The end of the line at p (after its newline), and whether it is "---". */
static const char *line_end(const char *p, bool *is_fence)
{
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n && p[n - 1] == '\r')
        n--;
    *is_fence = n == 3 && !memcmp(p, "---", 3);
    return e ? e + 1 : p + strlen(p);
}

bool skill_load(const char *dir, skill *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->dir_fd = -1;
    char file[4096], why[256];
    snprintf(file, sizeof file, "%s/SKILL.md", dir);
    s->dir = strdup(dir);
    s->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (!s->dir || s->dir_fd < 0) {
        snprintf(err, errlen, "%s: %s", dir, s->dir ? strerror(errno) : "out of memory");
        skill_free(s);
        return false;
    }
    size_t len;
    char *text = read_small_file(s->dir_fd, "SKILL.md", SKILL_MAX_MD_BYTES, &len, why, sizeof why);
    if (!text) {
        snprintf(err, errlen, "%s: %s", file, why);
        skill_free(s);
        return false;
    }
    size_t bad = skill_utf8_end(text, len);
    bool ok = true;
    if (bad < len || memchr(text, '\0', len)) {
        snprintf(err, errlen, "%s: not UTF-8 text (byte %zu)", file, bad);
        ok = false;
    }
    bool fence;
    const char *fm = ok ? line_end(text, &fence) : NULL;
    if (ok && !fence) {
        snprintf(err, errlen, "%s:1: must start with a \"---\" line, then the front matter", file);
        ok = false;
    }
    const char *p = fm, *close_at = NULL;
    size_t line = 2;
    while (ok && *p) {
        const char *next = line_end(p, &fence);
        if (fence) {
            close_at = p;
            p = next;
            break;
        }
        p = next;
        line++;
    }
    if (ok && !close_at) {
        snprintf(err, errlen, "%s: the front matter has no closing \"---\" line", file);
        ok = false;
    }
    if (ok)
        ok = skill_parse_front_matter(file, fm, (size_t)(close_at - fm), s, err, errlen);
    if (ok && !(s->body = strdup(p))) {
        snprintf(err, errlen, "%s: out of memory", file);
        ok = false;
    }
    ok = ok && check_placeholders(s, file, line + 1, err, errlen) && skill_list_files(s, err, errlen);
    free(text);
    if (!ok)
        skill_free(s);
    return ok;
}

void skill_free(skill *s)
{
    free(s->name);
    free(s->description);
    for (size_t i = 0; i < s->nargs; i++) {
        free(s->args[i].name);
        free(s->args[i].description);
    }
    /* An argument being read when loading failed is counted in nargs. */
    free(s->body);
    free(s->dir);
    if (s->dir_fd >= 0)
        close(s->dir_fd);
    for (size_t i = 0; i < s->nfiles; i++)
        free(s->files[i]);
    free(s->files);
    memset(s, 0, sizeof *s);
    s->dir_fd = -1;
}

char *skill_render(const skill *s, const cJSON *args, char *err, size_t errlen)
{
    for (const cJSON *a = args ? args->child : NULL; a; a = a->next) {
        if (!arg_named(s, a->string, strlen(a->string))) {
            snprintf(err, errlen, "prompt %s takes no argument \"%.100s\"", s->name, a->string);
            return NULL;
        }
        if (!cJSON_IsString(a)) {
            snprintf(err, errlen, "argument \"%.100s\" of prompt %s must be a string", a->string,
                     s->name);
            return NULL;
        }
    }
    for (size_t i = 0; i < s->nargs; i++)
        if (s->args[i].required && !cJSON_GetObjectItemCaseSensitive(args, s->args[i].name)) {
            snprintf(err, errlen, "prompt %s needs argument \"%s\"%s%s", s->name, s->args[i].name,
                     s->args[i].description ? ": " : "",
                     s->args[i].description ? s->args[i].description : "");
            return NULL;
        }
    /* Two passes: the size, then the text. */
    char *out = NULL;
    size_t need = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t at = 0;
        for (const char *t = s->body; *t;) {
            const char *name;
            size_t nlen, plen = placeholder(t, &name, &nlen);
            const char *piece = t;
            size_t n = 1;
            if (plen) {
                char key[80];
                snprintf(key, sizeof key, "%.*s", (int)nlen, name);
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(args, key);
                piece = v ? v->valuestring : "";
                n = strlen(piece);
                t += plen;
            } else {
                t++;
            }
            if (out)
                memcpy(out + at, piece, n);
            at += n;
        }
        if (out) {
            out[at] = '\0';
            break;
        }
        need = at;
        if (!(out = malloc(need + 1))) {
            snprintf(err, errlen, "out of memory");
            return NULL;
        }
    }
    return out;
}

static int name_order(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool add_one(mcp_skills *set, const char *dir, char *err, size_t errlen)
{
    skill s;
    if (!skill_load(dir, &s, err, errlen))
        return false;
    if (skills_find(set, s.name)) {
        snprintf(err, errlen, "%s: a skill named %s is already loaded (names must differ)", dir,
                 s.name);
        skill_free(&s);
        return false;
    }
    skill *items = realloc(set->items, (set->count + 1) * sizeof *items);
    if (!items) {
        snprintf(err, errlen, "out of memory");
        skill_free(&s);
        return false;
    }
    set->items = items;
    set->items[set->count++] = s;
    return true;
}

bool skills_add_dir(mcp_skills *set, const char *dir, char *err, size_t errlen)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/SKILL.md", dir);
    if (!lstat(path, &st))
        return add_one(set, dir, err, errlen);
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "--skills %s: %s", dir, strerror(errno));
        return false;
    }
    char **names = NULL;
    size_t n = 0;
    bool ok = true;
    for (struct dirent *e; ok && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s/SKILL.md", dir, e->d_name);
        if (lstat(path, &st))
            continue;
        char **more = realloc(names, (n + 1) * sizeof *names);
        ok = more && (more[n] = strdup(e->d_name));
        if (more)
            names = more;
        if (ok)
            n++;
    }
    closedir(d);
    if (!ok)
        snprintf(err, errlen, "out of memory");
    if (n)
        qsort(names, n, sizeof *names, name_order);
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        ok = ok && add_one(set, path, err, errlen);
        free(names[i]);
    }
    free(names);
    return ok;
}

void skills_free(mcp_skills *set)
{
    for (size_t i = 0; i < set->count; i++)
        skill_free(&set->items[i]);
    free(set->items);
    set->items = NULL;
    set->count = 0;
}

const skill *skills_find(const mcp_skills *set, const char *name)
{
    for (size_t i = 0; set && i < set->count; i++)
        if (!strcmp(set->items[i].name, name))
            return &set->items[i];
    return NULL;
}
