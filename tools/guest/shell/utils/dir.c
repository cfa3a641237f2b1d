/* dir: GNU's, ls -C -b: the names in columns (sorted down, -x across)
 * fitted to the width (-w, else COLUMNS, else 80, tabs every 8 or -T),
 * with C-style escapes (\n, \t, \ for a space, \ooo for other bytes that
 * do not print in the C locale; -N or --literal: as they are). ls here
 * makes the listing (ls -1, same options, messages and status); dir lays
 * it out (-1: one a line, escaped). With -l, -m, -s, -i, -g, -o, -n or
 * --format the listing is ls's own. What the sandbox changes: a name holding a newline splits in
 * two entries, and in long listings (-l, and vdir) names are not escaped. */
#include "../internal.h"
#include "ls_layout.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int util_ls(shctx *sh, int argc, char **argv);

typedef struct {
    char **v;
    size_t *len, *wid; /* bytes, and columns on a terminal */
    size_t n, cap;
} names;

static void names_add(names *ns, char *s)
{
    if (ns->n == ns->cap) {
        ns->cap = ns->cap ? ns->cap * 2 : 64;
        ns->v = sh_realloc(ns->v, ns->cap * sizeof *ns->v);
        ns->len = sh_realloc(ns->len, ns->cap * sizeof *ns->len);
        ns->wid = sh_realloc(ns->wid, ns->cap * sizeof *ns->wid);
    }
    size_t k = strlen(s);
    ns->len[ns->n] = k;
    ns->wid[ns->n] = ls_width_of(s, k); /* control bytes take no column (a literal name, -N) */
    ns->v[ns->n++] = s;
}

static void names_clear(names *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        free(ns->v[i]);
    ns->n = 0;
}

/* GNU's escape quoting style. */
static char *escape_name(const char *s, size_t n)
{
    sh_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *e = c == '\a' ? "\\a" : c == '\b' ? "\\b" : c == '\f' ? "\\f" : c == '\n' ? "\\n"
                      : c == '\r' ? "\\r" : c == '\t' ? "\\t" : c == '\v' ? "\\v" : c == '\\' ? "\\\\"
                      : c == ' ' ? "\\ " : NULL;
        if (e)
            sh_buf_adds(&b, e);
        else if (c < 0x20 || c >= 0x7f)
            sh_buf_printf(&b, "\\%03o", c);
        else
            sh_buf_addc(&b, (char)c);
    }
    return sh_buf_take(&b);
}

/* The listing's names laid out by the layout ls uses too (ls_layout.c). */
static void columns(sh_buf *out, const names *ns, size_t width, size_t tabsize, bool across, bool one)
{
    if (!ns->n)
        return;
    ls_cell *cells = sh_calloc(ns->n, sizeof *cells);
    for (size_t f = 0; f < ns->n; f++)
        cells[f] = (ls_cell){ns->v[f], ns->len[f], ns->wid[f]};
    ls_layout(out, cells, ns->n, one ? LS_ONE_PER_LINE : across ? LS_ACROSS : LS_COLUMNS, width, tabsize);
    free(cells);
}

static bool parse_cols(shctx *sh, const char *s, size_t *out, bool from_env)
{
    int64_t v;
    if (!sh_parse_int(s, &v) || v < 0 || !isdigit((unsigned char)s[0])) {
        if (from_env)
            sh_err(sh, "ignoring invalid width in environment variable COLUMNS: %s", sh_quote(sh, s));
        else
            sh_err(sh, "invalid line width: %s", sh_quote(sh, s));
        return false;
    }
    *out = (size_t)v;
    return true;
}

int util_dir(shctx *sh, int argc, char **argv)
{
    bool escape = true, across = false, own = false, recursive = false, one = false;
    size_t width = 80, tabsize = 8;
    bool width_set = false;
    int operands = 0;
    /* ls's arguments: dir's own options taken out */
    char **v = sh_calloc((size_t)argc + 2, sizeof *v);
    char **made = sh_calloc((size_t)argc + 1, sizeof *made);
    int vc = 0, status = 0;
    v[vc++] = argv[0];
    v[vc++] = "-1";
    bool dashdash = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (dashdash || a[0] != '-' || !a[1]) {
            operands++;
            v[vc++] = argv[i];
            continue;
        }
        if (!strcmp(a, "--")) {
            dashdash = true;
            v[vc++] = argv[i];
            continue;
        }
        if (a[1] == '-') {
            const char *name = a + 2, *eq = strchr(name, '=');
            size_t k = eq ? (size_t)(eq - name) : strlen(name);
            const char *val = eq ? eq + 1 : NULL;
            if (k >= 3 && !strncmp(name, "escape", k)) {
                escape = true;
                continue;
            }
            if (k >= 3 && !strncmp(name, "literal", k))
                escape = false;
            else if (k >= 3 && !strncmp(name, "quoting-style", k))
                escape = val && !strcmp(val, "escape");
            else if (k >= 3 && !strncmp(name, "tabsize", k)) {
                if (!val && i + 1 < argc)
                    val = argv[++i];
                size_t t;
                if (!val || !parse_cols(sh, val, &t, false)) {
                    status = 2;
                    goto done;
                }
                tabsize = t;
                continue;
            } else if (k >= 3 && !strncmp(name, "width", k)) {
                if (!val && i + 1 < argc)
                    val = argv[i + 1];
                if (val && !parse_cols(sh, val, &width, false)) {
                    status = 2;
                    goto done;
                }
                width_set = val != NULL;
            } else if (k >= 3 && (!strncmp(name, "format", k) || !strncmp(name, "full-time", k) ||
                                  !strncmp(name, "size", k) || !strncmp(name, "inode", k) ||
                                  !strncmp(name, "numeric-uid-gid", k)))
                own = true;
            else if (k >= 3 && !strncmp(name, "recursive", k))
                recursive = true;
            v[vc++] = argv[i];
            continue;
        }
        /* a cluster of short options: b and T are dir's, the rest ls's */
        sh_buf keep = {0};
        sh_buf_addc(&keep, '-');
        for (const char *p = a + 1; *p; p++) {
            if (*p == 'b') {
                escape = true;
                continue;
            }
            if (*p == 'T') {
                const char *val = p[1] ? p + 1 : i + 1 < argc ? argv[++i] : NULL;
                size_t t;
                if (!val || !parse_cols(sh, val, &t, false)) {
                    sh_buf_free(&keep);
                    status = 2;
                    goto done;
                }
                tabsize = t;
                break;
            }
            if (*p == 'x' || *p == 'C' || *p == '1') { /* the layout is dir's (ls would do its own) */
                across = *p == 'x' ? true : *p == 'C' ? false : across;
                one = one || *p == '1';
                continue;
            }
            sh_buf_addc(&keep, *p);
            if (*p == 'N' || *p == 'q')
                escape = false;
            else if (*p == 'R')
                recursive = true;
            else if (strchr("lmgonsi", *p))
                own = true;
            else if (*p == 'w') {
                const char *val = p[1] ? p + 1 : i + 1 < argc ? argv[i + 1] : NULL;
                if (val && !parse_cols(sh, val, &width, false)) {
                    sh_buf_free(&keep);
                    status = 2;
                    goto done;
                }
                width_set = val != NULL;
                sh_buf_adds(&keep, p + 1);
                break;
            }
        }
        if (keep.len > 1) {
            made[i] = sh_buf_take(&keep);
            v[vc++] = made[i];
        }
        sh_buf_free(&keep);
    }
    if (own) { /* ls's own format: its -1 is not wanted */
        memmove(v + 1, v + 2, (size_t)(vc - 2) * sizeof *v);
        vc--;
        status = util_ls(sh, vc, v);
        goto done;
    }
    if (!width_set) {
        const char *env = sh_getenv(sh, "COLUMNS");
        size_t w;
        if (env && *env && parse_cols(sh, env, &w, true))
            width = w;
    }
    /* ls -1 into a pipe, then the columns */
    sh_stream *saved = sh->st.fds[1];
    sh_stream *pipe = stream_pipe(sh, SH_PIPE_MAX);
    sh->st.fds[1] = pipe;
    status = util_ls(sh, vc, v);
    sh->st.fds[1] = saved;
    size_t len;
    const char *data = stream_pipe_data(pipe, &len);
    bool headers = operands > 1 || recursive;
    sh_buf out = {0};
    names ns = {0};
    size_t i = 0;
    bool group_start = true;
    while (i < len) {
        const char *e = memchr(data + i, '\n', len - i);
        size_t end = e ? (size_t)(e - data) : len;
        size_t n = end - i;
        const char *line = data + i;
        i = end + 1;
        if (n == 0) { /* the blank line between groups */
            columns(&out, &ns, width, tabsize, across, one);
            names_clear(&ns);
            sh_buf_addc(&out, '\n');
            group_start = true;
            continue;
        }
        if (group_start && headers && line[n - 1] == ':') {
            char *h = escape ? escape_name(line, n - 1) : sh_strndup(line, n - 1);
            sh_buf_printf(&out, "%s:\n", h);
            free(h);
            group_start = false;
            continue;
        }
        if (group_start && n > 6 && !strncmp(line, "total ", 6) && isdigit((unsigned char)line[6])) {
            sh_buf_add(&out, line, n);
            sh_buf_addc(&out, '\n');
            continue;
        }
        group_start = false;
        names_add(&ns, escape ? escape_name(line, n) : sh_strndup(line, n));
    }
    columns(&out, &ns, width, tabsize, across, one);
    names_clear(&ns);
    free(ns.v);
    free(ns.len);
    free(ns.wid);
    stream_unref(pipe);
    if (out.len && !sh_write(sh_stdout(sh), out.data, out.len) && !status)
        status = 2;
    sh_buf_free(&out);
done:
    for (int k = 0; k < argc; k++)
        free(made[k]);
    free(made);
    free(v);
    return status;
}
