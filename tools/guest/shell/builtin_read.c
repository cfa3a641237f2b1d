/* builtin_read.c: read. It consumes exactly one line of its input stream
 * (streams are shared objects, so the next reader continues after it), then
 * splits it on $IFS into the names, as bash does. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool in_ifs(const char *ifs, char c)
{
    return c && strchr(ifs, c);
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

/* text with esc[i] set for characters a backslash protected */
typedef struct {
    sh_buf text, esc;
} line_t;

static void add(line_t *l, char c, bool escaped)
{
    sh_buf_addc(&l->text, c);
    sh_buf_addc(&l->esc, escaped);
}

static char *field_of(const char *text, size_t from, size_t to)
{
    return sh_strndup(text + from, to - from);
}

static void assign_fields(shctx *sh, line_t *l, char **names, int nnames)
{
    const char *ifsv = var_value(sh, "IFS");
    const char *ifs = ifsv ? ifsv : " \t\n";
    size_t n = l->text.len, i = 0;
    const char *t = l->text.data ? l->text.data : "";
    const char *e = l->esc.data ? l->esc.data : "";
#define SEP(k) (!e[k] && in_ifs(ifs, t[k]))
#define WSEP(k) (SEP(k) && is_ws(t[k]))
    while (i < n && WSEP(i))
        i++;
    for (int k = 0; k < nnames; k++) {
        if (k == nnames - 1) {
            size_t end = n;
            while (end > i && WSEP(end - 1))
                end--;
            /* a single trailing delimiter goes too when it is the only one */
            if (end > i && SEP(end - 1)) {
                bool other = false;
                for (size_t j = i; j < end - 1; j++)
                    if (SEP(j))
                        other = true;
                if (!other)
                    end--;
            }
            char *v = field_of(t, i, end);
            sh_setvar(sh, names[k], v);
            free(v);
            break;
        }
        size_t s = i;
        while (i < n && !SEP(i))
            i++;
        char *v = field_of(t, s, i);
        sh_setvar(sh, names[k], v);
        free(v);
        while (i < n && WSEP(i))
            i++;
        if (i < n && SEP(i) && !is_ws(t[i])) {
            i++;
            while (i < n && WSEP(i))
                i++;
        }
    }
#undef SEP
#undef WSEP
}

int builtin_read(shctx *sh, int argc, char **argv)
{
    bool raw = false, exact = false;
    int delim = '\n';
    int64_t limit = -1;
    int fd = 0;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        for (const char *p = argv[i] + 1; *p; p++) {
            char o = *p;
            if (o == 'r') {
                raw = true;
                continue;
            }
            if (o == 's' || o == 'e')
                continue;
            if (!strchr("pdntuNai", o)) {
                builtin_error(sh, "-%c: invalid option", o);
                builtin_usage(sh, "read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] "
                                  "[-t timeout] [-u fd] [name ...]");
                return 2;
            }
            const char *arg = p[1] ? p + 1 : (i + 1 < argc ? argv[++i] : NULL);
            if (!arg) {
                builtin_error(sh, "-%c: option requires an argument", o);
                return 2;
            }
            switch (o) {
            case 'd':
                delim = (unsigned char)arg[0];
                break;
            case 'n':
            case 'N':
                if (!sh_parse_int(arg, &limit) || limit < 0) {
                    builtin_error(sh, "%s: invalid number", arg);
                    return 1;
                }
                exact = o == 'N';
                break;
            case 'u': {
                int64_t u;
                if (!sh_parse_int(arg, &u) || u < 0 || u >= SH_NFD || !sh->st.fds[u]) {
                    builtin_error(sh, "%s: invalid file descriptor specification", arg);
                    return 1;
                }
                fd = (int)u;
                break;
            }
            case 'a':
                builtin_error(sh, "-a: arrays are not supported by this shell");
                return 2;
            default: /* -p prompt (no terminal: not shown), -t timeout, -i text */
                break;
            }
            break;
        }
    }
    for (int k = i; k < argc; k++)
        if (!is_name(argv[k])) {
            builtin_error(sh, "`%s': not a valid identifier", argv[k]);
            return 1;
        }
    sh_stream *in = sh->st.fds[fd];
    line_t l = {{0}, {0}};
    bool got_delim = false;
    if (limit >= 0) {
        while ((int64_t)l.text.len < limit) {
            char c;
            if (sh_read(in, &c, 1) != 1)
                break;
            if (!exact && (unsigned char)c == delim) {
                got_delim = true;
                break;
            }
            if (!raw && !exact && c == '\\') {
                char d;
                if (sh_read(in, &d, 1) != 1)
                    break;
                if (d != '\n')
                    add(&l, d, true);
                continue;
            }
            add(&l, c, false);
        }
        if ((int64_t)l.text.len == limit)
            got_delim = true;
    } else {
        sh_buf raw_line = {0};
        for (;;) {
            ssize_t r = sh_getdelim(in, &raw_line, delim);
            if (r <= 0)
                break;
            size_t n = raw_line.len;
            bool has = (unsigned char)raw_line.data[n - 1] == delim;
            if (has)
                n--;
            bool cont = false;
            for (size_t k = 0; k < n; k++) {
                char c = raw_line.data[k];
                if (!raw && c == '\\') {
                    if (k + 1 < n) {
                        add(&l, raw_line.data[++k], true);
                        continue;
                    }
                    if (has && delim == '\n') { /* backslash-newline: the line goes on */
                        cont = true;
                        break;
                    }
                    continue;
                }
                add(&l, c, false);
            }
            if (cont)
                continue;
            got_delim = has;
            break;
        }
        sh_buf_free(&raw_line);
    }
    if (i == argc) {
        sh_setvar(sh, "REPLY", l.text.data ? l.text.data : "");
    } else {
        assign_fields(sh, &l, argv + i, argc - i);
    }
    sh_buf_free(&l.text);
    sh_buf_free(&l.esc);
    return got_delim ? 0 : 1;
}
