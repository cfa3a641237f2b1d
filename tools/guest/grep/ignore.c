/* .gitignore: parsing lines into rules and deciding a path. */
#include <stdlib.h>
#include <string.h>

#include "globmatch.h"
#include "ignore.h"

/* Which of the fast paths (ignore.h) the rule's glob takes. */
static unsigned char shape(const ignore_rule *r) {
    const char *g = r->glob;
    int wild = 0;
    for (size_t i = 1; i < r->len; i++)
        if (strchr("*?[\\{", g[i])) wild = 1;
    if (wild) return IGNORE_GLOB;
    /* a//b: whatever the matcher makes of an empty component, it decides */
    if (!strchr("*?[\\{", g[0])) return strstr(g, "//") ? IGNORE_GLOB : IGNORE_EXACT;
    return g[0] == '*' && !r->anchored ? IGNORE_SUFFIX : IGNORE_GLOB;
}

static int parse_line(const char *s, size_t n, ignore_rule *r) {
    memset(r, 0, sizeof *r);
    if (n && s[n - 1] == '\r') n--;
    /* Trailing spaces go unless the last is escaped (\ ). */
    while (n && s[n - 1] == ' ' && !(n >= 2 && s[n - 2] == '\\')) n--;
    if (n == 0 || s[0] == '#') return 0;
    if (s[0] == '!') r->negate = 1, s++, n--;
    if (n && s[n - 1] == '/') r->dir_only = 1, n--;
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '/') r->anchored = 1;
    if (s[0] == '/') s++, n--;
    if (n == 0) return 0;
    r->glob = malloc(n + 1);
    if (!r->glob) return -1;
    memcpy(r->glob, s, n);
    r->glob[n] = 0;
    r->len = n;
    r->kind = shape(r);
    return 1;
}

int ignore_push(ignore_stack *st, const char *dir, const char *text, size_t len) {
    ignore_file f = {0};
    size_t cap = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        ignore_rule r;
        int got = parse_line(text + i, end - i, &r);
        if (got < 0) goto oom;
        if (got) {
            if (f.n == cap) {
                cap = cap ? cap * 2 : 8;
                ignore_rule *nr = realloc(f.rules, cap * sizeof *nr);
                if (!nr) {
                    free(r.glob);
                    goto oom;
                }
                f.rules = nr;
            }
            f.rules[f.n++] = r;
        }
        i = end + 1;
    }
    if (f.n == 0) return 0;
    if (st->n == st->cap) {
        size_t c = st->cap ? st->cap * 2 : 8;
        ignore_file *nf = realloc(st->files, c * sizeof *nf);
        if (!nf) goto oom;
        st->files = nf;
        st->cap = c;
    }
    f.base = strdup(dir);
    if (!f.base) goto oom;
    f.base_len = strlen(f.base);
    st->files[st->n++] = f;
    return 1;
oom:
    for (size_t k = 0; k < f.n; k++) free(f.rules[k].glob);
    free(f.rules);
    return -1;
}

static void free_file(ignore_file *f) {
    for (size_t k = 0; k < f->n; k++) free(f->rules[k].glob);
    free(f->rules);
    free(f->base);
}

void ignore_pop(ignore_stack *st) {
    if (st->n) free_file(&st->files[--st->n]);
}

void ignore_free(ignore_stack *st) {
    while (st->n) ignore_pop(st);
    free(st->files);
    memset(st, 0, sizeof *st);
}

int ignore_match(const ignore_stack *st, const char *path, int is_dir) {
    /* Lengths and the name are found once, by hand: a libc call a string
     * costs more than these loops. */
    size_t path_len = strlen(path), name_len = 0;
    while (name_len < path_len && path[path_len - 1 - name_len] != '/') name_len++;
    return ignore_match_n(st, path, path_len, name_len, is_dir);
}

int ignore_match_n(const ignore_stack *st, const char *path, size_t path_len, size_t name_len,
                   int is_dir) {
    if (!st->n) return 0;
    for (size_t k = st->n; k-- > 0;) {
        const ignore_file *f = &st->files[k];
        size_t bl = f->base_len;
        const char *rel = path;
        if (bl) {
            /* The file's rules see paths below its directory only. */
            if (path_len < bl || memcmp(path, f->base, bl) != 0) continue;
            if (f->base[bl - 1] == '/') rel = path + bl; /* base "/" */
            else if (path_len > bl && path[bl] == '/') rel = path + bl + 1;
            else continue;
        }
        if (rel == path + path_len) continue; /* the file's own directory */
        size_t rel_len = path_len - (size_t)(rel - path);
        /* the name: the last name_len bytes, never more than rel */
        size_t nl = name_len < rel_len ? name_len : rel_len;
        const char *name = rel + rel_len - nl;
        for (size_t i = f->n; i-- > 0;) {
            const ignore_rule *r = &f->rules[i];
            if (r->dir_only && !is_dir) continue;
            const char *s = r->anchored ? rel : name;
            size_t sn = r->anchored ? rel_len : nl;
            int hit;
            if (r->kind == IGNORE_EXACT)
                hit = sn == r->len && memcmp(s, r->glob, sn) == 0;
            else if (r->kind == IGNORE_SUFFIX) /* the glob without its '*': the name's end */
                hit = sn >= r->len - 1 && memcmp(s + sn - (r->len - 1), r->glob + 1, r->len - 1) == 0;
            else
                hit = glob_match(r->glob, r->len, s, sn);
            if (hit) return !r->negate;
        }
    }
    return 0;
}
