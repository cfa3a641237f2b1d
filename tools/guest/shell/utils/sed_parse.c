/* sed_parse.c: reads a sed script (GNU sed 4.9's syntax) into commands for
 * utils/sed.c: addresses (N, $, /re/ and \cREc with I and M, first~step,
 * addr1,+N, addr1,~N, 0,/re/), `!`, blocks, labels, and every command's
 * arguments. Errors are GNU's, with its positions: "-e expression #1, char
 * 3: unterminated `s' command", "file x line 2: ...". Regexes are POSIX
 * (BRE, or ERE with -E) rewritten by posix_regex.c for the linear-time
 * engine. */
#include "sed.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    shctx *sh;
    sed_script *sc;
    const char *t;
    size_t n, i;
    char **where;
    size_t *starts, npieces;
    bool failed;
    bool have_re; /* a non-empty regex came earlier (an empty one means it) */
} parser;

/* GNU's message for a problem seen after reading up to p->i. */
static void perr(parser *p, const char *fmt, const char *arg)
{
    size_t pos = p->i, k = 0;
    while (k + 1 < p->npieces && p->starts[k + 1] <= pos)
        k++;
    size_t off = pos - p->starts[k];
    sh_buf m = {0};
    if (!strncmp(p->where[k], "file ", 5)) {
        size_t line = 1;
        for (size_t j = p->starts[k]; j < pos && j < p->n; j++)
            line += p->t[j] == '\n';
        sh_buf_printf(&m, "%s line %zu: ", p->where[k], line);
    } else {
        sh_buf_printf(&m, "%s, char %zu: ", p->where[k], off);
    }
    sh_buf_printf(&m, fmt, arg ? arg : "");
    sh_err(p->sh, "%s", m.data);
    sh_buf_free(&m);
    p->failed = true;
}

static bool at_end(parser *p)
{
    return p->i >= p->n;
}

static int peek(parser *p)
{
    return p->i < p->n ? (unsigned char)p->t[p->i] : -1;
}

static void skip_blanks(parser *p)
{
    while (!at_end(p) && (p->t[p->i] == ' ' || p->t[p->i] == '\t'))
        p->i++;
}

static long read_number(parser *p)
{
    long v = 0;
    while (!at_end(p) && p->t[p->i] >= '0' && p->t[p->i] <= '9') {
        if (v < 100000000L) /* fits a 32-bit long */
            v = v * 10 + (p->t[p->i] - '0');
        p->i++;
    }
    return v;
}

/* Text up to an unescaped delim into out: "\delim" is delim itself, "\n" a
 * newline (kept as an escape for regexes, made a newline for y), other
 * escapes kept for the next reader. false at the end of the line or script. */
static bool read_delimited(parser *p, char delim, sh_buf *out, bool is_regex)
{
    while (!at_end(p)) {
        char c = p->t[p->i++];
        if (c == delim)
            return true;
        if (c == '\n' && is_regex)
            return false;
        if (c == '\\' && !at_end(p)) {
            char d = p->t[p->i++];
            if (d == delim && delim != '\n') {
                if (is_regex && delim != '&' && strchr("$*.[]^", delim))
                    sh_buf_addc(out, '\\'); /* GNU: \. with . as delimiter stays a literal . */
                sh_buf_addc(out, d);
            } else if (d == '\n') {
                sh_buf_adds(out, is_regex ? "\\n" : "\n");
            } else {
                sh_buf_addc(out, '\\');
                sh_buf_addc(out, d);
            }
            continue;
        }
        sh_buf_addc(out, c);
    }
    return false;
}

static rx_prog *compile_re(parser *p, const sh_buf *src, bool icase, bool mline)
{
    if (!src->len) {
        if (!p->have_re)
            perr(p, "no previous regular expression", NULL);
        return NULL;
    }
    p->have_re = true;
    sh_buf out = {0};
    const char *e = sh_posix_regex(src->data, src->len, p->sc->ere, true, &out);
    if (e) {
        perr(p, "%s", e);
        sh_buf_free(&out);
        return NULL;
    }
    rx_error rerr;
    unsigned flags = (icase ? RX_ICASE : 0) | (mline ? RX_MULTILINE : RX_DOTALL);
    rx_prog *re = rx_compile(out.data ? out.data : "", out.len, flags, &rerr);
    sh_buf_free(&out);
    if (!re) {
        perr(p, "invalid regular expression: %s", rerr.msg);
        return NULL;
    }
    p->sc->progs = sh_realloc(p->sc->progs, (p->sc->nprogs + 1) * sizeof *p->sc->progs);
    p->sc->progs[p->sc->nprogs++] = re;
    return re;
}

/* An address regex after its opening delimiter, with its I/M flags. */
static bool address_re(parser *p, char delim, sed_addr *a)
{
    sh_buf src = {0};
    if (!read_delimited(p, delim, &src, true)) {
        perr(p, "unterminated address regex", NULL);
        sh_buf_free(&src);
        return false;
    }
    bool icase = false, mline = false;
    while (peek(p) == 'I' || peek(p) == 'M') {
        if (p->t[p->i] == 'I')
            icase = true;
        else
            mline = true;
        p->i++;
    }
    a->kind = SA_RE;
    a->re = compile_re(p, &src, icase, mline);
    sh_buf_free(&src);
    return !p->failed;
}

/* One address; false (nothing read) when there is none, or on an error. */
static bool address(parser *p, sed_addr *a, bool second)
{
    int c = peek(p);
    if (c >= '0' && c <= '9') {
        a->kind = SA_LINE;
        a->n = read_number(p);
        if (!second && peek(p) == '~') {
            p->i++;
            a->kind = SA_STEP;
            a->step = read_number(p);
        }
        return true;
    }
    if (second && (c == '+' || c == '~')) {
        p->i++;
        if (peek(p) < '0' || peek(p) > '9') {
            perr(p, "expected newer version of sed", NULL);
            return false;
        }
        a->kind = c == '+' ? SA_PLUS : SA_TILDE;
        a->n = read_number(p);
        return true;
    }
    if (c == '$') {
        p->i++;
        a->kind = SA_LAST;
        return true;
    }
    if (c == '/') {
        p->i++;
        return address_re(p, '/', a);
    }
    if (c == '\\') {
        p->i++;
        if (at_end(p) || p->t[p->i] == '\n' || p->t[p->i] == '\\') {
            perr(p, "unexpected `,'", NULL);
            return false;
        }
        char d = p->t[p->i++];
        return address_re(p, d, a);
    }
    return false;
}

/* After a command: blanks, then the end of the command (; newline } # or
 * the end of the script). */
static void end_of_command(parser *p)
{
    skip_blanks(p);
    int c = peek(p);
    if (c == -1 || c == '\n' || c == ';' || c == '}' || c == '#' || c == '\r')
        return;
    p->i++;
    perr(p, "extra characters after command", NULL);
}

/* a, i, c text (GNU: "a text", "a\" newline "text", "a\text"); lines
 * continue after a backslash at their end. */
static void read_text(parser *p, sed_cmd *cmd)
{
    skip_blanks(p);
    if (at_end(p)) {
        perr(p, "expected \\ after `a', `c' or `i'", NULL);
        return;
    }
    if (p->t[p->i] == '\\') {
        p->i++;
        if (!at_end(p) && p->t[p->i] == '\n')
            p->i++; /* "a\" and the text on the next line; "a\  x" keeps its blanks */
    }
    sh_buf b = {0};
    while (!at_end(p)) {
        char c = p->t[p->i++];
        if (c == '\n')
            break;
        if (c == '\\' && !at_end(p))
            c = p->t[p->i++];
        sh_buf_addc(&b, c);
    }
    sh_buf_addc(&b, '\n');
    cmd->text_len = b.len;
    cmd->text = sh_buf_take(&b);
}

/* A label or file name: to the end of the line (labels also end at ';'). */
static char *read_word(parser *p, bool label)
{
    skip_blanks(p);
    size_t s = p->i;
    while (!at_end(p) && p->t[p->i] != '\n' && !(label && p->t[p->i] == ';'))
        p->i++;
    size_t e = p->i;
    while (e > s && (p->t[e - 1] == ' ' || p->t[e - 1] == '\t' || p->t[e - 1] == '\r'))
        e--;
    return sh_strndup(p->t + s, e - s);
}

static int open_out(parser *p, const char *name)
{
    sed_script *sc = p->sc;
    for (size_t k = 0; k < sc->nouts; k++)
        if (!strcmp(sc->outs[k].name, name))
            return (int)k;
    sh_stream *s;
    if (!strcmp(name, "/dev/stdout"))
        s = sh_stdout(p->sh);
    else if (!strcmp(name, "/dev/stderr"))
        s = sh_stderr(p->sh);
    else
        s = sh_open(p->sh, name, O_WRONLY | O_CREAT | O_TRUNC);
    if (!s) {
        sh_err(p->sh, "couldn't open file %s: %s", name, sh_strerror(errno));
        p->failed = true;
        return -1;
    }
    sc->outs = sh_realloc(sc->outs, (sc->nouts + 1) * sizeof *sc->outs);
    sc->outs[sc->nouts] = (sed_out){sh_strdup(name), s, false};
    return (int)sc->nouts++;
}

/* The replacement of an s command, split into literal runs, groups and
 * case conversions. */
static void parse_replacement(sed_cmd *cmd, const sh_buf *src)
{
    sh_buf lit = {0};
    size_t cap = 0;
    const char *s = src->data ? src->data : "";
    size_t n = src->len;
    for (size_t i = 0; i <= n; i++) {
        int kind = -1, group = 0;
        char c = i < n ? s[i] : 0;
        if (i < n && c == '&') {
            kind = RP_GROUP;
        } else if (i + 1 < n && c == '\\') {
            char d = s[++i];
            if (d >= '0' && d <= '9') {
                kind = RP_GROUP;
                group = d - '0';
            } else if (strchr("LUluE", d)) {
                kind = RP_CASE;
                group = d;
            } else {
                static const char from[] = "ntrfva", to[] = "\n\t\r\f\v\a";
                const char *f = strchr(from, d);
                sh_buf_addc(&lit, f ? to[f - from] : d);
            }
        } else if (i < n) {
            sh_buf_addc(&lit, c);
        }
        if (kind >= 0 || i == n) {
            if (lit.len) {
                if (cmd->nrepl + 2 > cap) {
                    cap = cap ? cap * 2 : 8;
                    cmd->repl = sh_realloc(cmd->repl, cap * sizeof *cmd->repl);
                }
                size_t off = cmd->text_len;
                cmd->text = sh_realloc(cmd->text, off + lit.len + 1);
                memcpy(cmd->text + off, lit.data, lit.len);
                cmd->text_len += lit.len;
                cmd->repl[cmd->nrepl++] = (sed_rpart){RP_LIT, off, lit.len, 0};
                lit.len = 0;
            }
            if (kind >= 0) {
                if (cmd->nrepl + 2 > cap) {
                    cap = cap ? cap * 2 : 8;
                    cmd->repl = sh_realloc(cmd->repl, cap * sizeof *cmd->repl);
                }
                cmd->repl[cmd->nrepl++] = (sed_rpart){kind, 0, 0, group};
            }
        }
    }
    sh_buf_free(&lit);
}

static void parse_s(parser *p, sed_cmd *cmd)
{
    if (at_end(p) || p->t[p->i] == '\n' || p->t[p->i] == '\\') {
        perr(p, "unterminated `s' command", NULL);
        return;
    }
    char delim = p->t[p->i++];
    sh_buf re = {0}, rep = {0};
    if (!read_delimited(p, delim, &re, true) || !read_delimited(p, delim, &rep, false)) {
        perr(p, "unterminated `s' command", NULL);
        goto out;
    }
    bool icase = false, mline = false, seen_num = false;
    for (;;) {
        int c = peek(p);
        if (c == 'g') {
            if (cmd->global) {
                p->i++;
                perr(p, "multiple `g' options to `s' command", NULL);
                goto out;
            }
            cmd->global = true;
        } else if (c == 'p') {
            if (cmd->print) {
                p->i++;
                perr(p, "multiple `p' options to `s' command", NULL);
                goto out;
            }
            cmd->print = true;
        } else if (c == 'i' || c == 'I') {
            icase = true;
        } else if (c == 'm' || c == 'M') {
            mline = true;
        } else if (c >= '0' && c <= '9') {
            if (seen_num) {
                p->i++;
                perr(p, "multiple number options to `s' command", NULL);
                goto out;
            }
            seen_num = true;
            cmd->num = read_number(p);
            if (cmd->num == 0) {
                perr(p, "number option to `s' command may not be zero", NULL);
                goto out;
            }
            continue;
        } else if (c == 'e') {
            p->i++;
            perr(p, "the `e' option to `s' is not available in the sandbox (it runs a command)", NULL);
            goto out;
        } else if (c == 'w') {
            p->i++;
            char *name = read_word(p, false);
            if (!*name) {
                perr(p, "missing filename in r/R/w/W commands", NULL);
                free(name);
                goto out;
            }
            cmd->wfile = open_out(p, name);
            free(name);
            break;
        } else if (c == -1 || strchr(" \t\n;}#\r", c)) {
            break;
        } else {
            p->i++;
            perr(p, "unknown option to `s'", NULL);
            goto out;
        }
        p->i++;
    }
    end_of_command(p);
    if (p->failed)
        goto out;
    cmd->re = compile_re(p, &re, icase, mline);
    if (p->failed)
        goto out;
    parse_replacement(cmd, &rep);
    cmd->ncaps = 1;
    for (size_t k = 0; k < cmd->nrepl; k++)
        if (cmd->repl[k].kind == RP_GROUP && (size_t)cmd->repl[k].group + 1 > cmd->ncaps)
            cmd->ncaps = (size_t)cmd->repl[k].group + 1;
    if (cmd->re) {
        size_t groups = rx_group_count(cmd->re);
        for (size_t k = 0; k < cmd->nrepl; k++)
            if (cmd->repl[k].kind == RP_GROUP && (size_t)cmd->repl[k].group >= groups) {
                char ref[8] = {'\\', (char)('0' + cmd->repl[k].group), 0};
                perr(p, "invalid reference %s on `s' command's RHS", ref);
                goto out;
            }
    }
out:
    sh_buf_free(&re);
    sh_buf_free(&rep);
}

static void parse_y(parser *p, sed_cmd *cmd)
{
    if (at_end(p) || p->t[p->i] == '\n' || p->t[p->i] == '\\') {
        perr(p, "unterminated `y' command", NULL);
        return;
    }
    char delim = p->t[p->i++];
    sh_buf a = {0}, b = {0}, ua = {0}, ub = {0};
    if (!read_delimited(p, delim, &a, false) || !read_delimited(p, delim, &b, false)) {
        perr(p, "unterminated `y' command", NULL);
        goto out;
    }
    /* read_delimited kept other escapes: \\ is a backslash, \n a newline. */
    sh_buf *src[2] = {&a, &b}, *dst[2] = {&ua, &ub};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < src[k]->len; i++) {
            char c = src[k]->data[i];
            if (c == '\\' && i + 1 < src[k]->len) {
                c = src[k]->data[++i];
                if (c == 'n')
                    c = '\n';
                else if (c == 't')
                    c = '\t';
                else if (c != '\\') {
                    perr(p, "unknown option to `s'", NULL);
                    goto out;
                }
            }
            sh_buf_addc(dst[k], c);
        }
    if (ua.len != ub.len) {
        perr(p, "strings for `y' command are different lengths", NULL);
        goto out;
    }
    cmd->ymap = sh_malloc(256);
    for (int c = 0; c < 256; c++)
        cmd->ymap[c] = (unsigned char)c;
    for (size_t i = 0; i < ua.len; i++)
        cmd->ymap[(unsigned char)ua.data[i]] = (unsigned char)ub.data[i];
    end_of_command(p);
out:
    sh_buf_free(&a);
    sh_buf_free(&b);
    sh_buf_free(&ua);
    sh_buf_free(&ub);
}

static sed_cmd *new_cmd(sed_script *sc, size_t *cap)
{
    if (sc->ncmds == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        sc->cmds = sh_realloc(sc->cmds, *cap * sizeof *sc->cmds);
    }
    sed_cmd *c = &sc->cmds[sc->ncmds++];
    memset(c, 0, sizeof *c);
    c->jump = -1;
    c->wfile = -1;
    return c;
}

bool sed_parse(shctx *sh, sed_script *sc, const char *text, size_t len, char **where,
               size_t *piece_start, size_t npieces)
{
    parser P = {sh, sc, text, len, 0, where, piece_start, npieces, false, false};
    parser *p = &P;
    size_t cap = 0;
    size_t *open = NULL, nopen = 0;
    while (!p->failed) {
        while (!at_end(p) && strchr(" \t\n\r\v\f;", p->t[p->i]))
            p->i++;
        if (at_end(p))
            break;
        if (p->t[p->i] == '#') {
            while (!at_end(p) && p->t[p->i] != '\n')
                p->i++;
            continue;
        }
        sed_cmd *cmd = new_cmd(sc, &cap);
        if (address(p, &cmd->a1, false)) {
            cmd->naddr = 1;
            skip_blanks(p);
            if (peek(p) == ',') {
                p->i++;
                skip_blanks(p);
                if (!address(p, &cmd->a2, true)) {
                    if (!p->failed)
                        perr(p, "unexpected `,'", NULL);
                    break;
                }
                cmd->naddr = 2;
            }
            if (cmd->a1.kind == SA_LINE && cmd->a1.n == 0) {
                if (cmd->naddr == 2 && cmd->a2.kind == SA_RE)
                    cmd->a1.kind = SA_ZERO;
                else {
                    skip_blanks(p);
                    if (!at_end(p))
                        p->i++; /* GNU tells it after reading the command */
                    perr(p, "invalid usage of line address 0", NULL);
                    break;
                }
            }
        }
        if (p->failed)
            break;
        skip_blanks(p);
        while (peek(p) == '!') {
            cmd->negate = true;
            p->i++;
            skip_blanks(p);
        }
        if (at_end(p)) {
            perr(p, "missing command", NULL);
            break;
        }
        char c = p->t[p->i++];
        cmd->cmd = c;
        switch (c) {
        case '{':
            open = sh_realloc(open, (nopen + 1) * sizeof *open);
            open[nopen++] = sc->ncmds - 1;
            break;
        case '}':
            if (!nopen) {
                perr(p, "unexpected `}'", NULL);
                break;
            }
            if (cmd->naddr) {
                perr(p, "} doesn't want any addresses", NULL);
                break;
            }
            sc->cmds[open[--nopen]].jump = (int)(sc->ncmds - 1);
            end_of_command(p);
            break;
        case '=': case 'd': case 'D': case 'g': case 'G': case 'h': case 'H': case 'n':
        case 'N': case 'p': case 'P': case 'x': case 'z': case 'F':
            end_of_command(p);
            break;
        case 'q': case 'Q': case 'l': case 'L':
            if ((c == 'q' || c == 'Q') && cmd->naddr > 1) {
                perr(p, "command only uses one address", NULL);
                break;
            }
            skip_blanks(p);
            cmd->num = (c == 'l' || c == 'L') ? -1 : 0;
            if (peek(p) >= '0' && peek(p) <= '9')
                cmd->num = read_number(p);
            end_of_command(p);
            break;
        case 'a': case 'i': case 'c':
            read_text(p, cmd);
            break;
        case ':':
            if (cmd->naddr) {
                perr(p, ": doesn't want any addresses", NULL);
                break;
            }
            cmd->text = read_word(p, true);
            if (!*cmd->text)
                perr(p, "\":\" lacks a label", NULL);
            break;
        case 'b': case 't': case 'T':
            cmd->text = read_word(p, true);
            if (peek(p) == ';')
                p->i++;
            break;
        case 'r': case 'R': case 'w': case 'W':
            cmd->text = read_word(p, false);
            if (!*cmd->text) {
                perr(p, "missing filename in r/R/w/W commands", NULL);
                break;
            }
            if (c == 'w' || c == 'W')
                cmd->wfile = open_out(p, cmd->text);
            break;
        case 's':
            parse_s(p, cmd);
            break;
        case 'y':
            parse_y(p, cmd);
            break;
        case 'e':
            perr(p, "the `e' command is not available in the sandbox (it runs a command)", NULL);
            break;
        case 'v':
            read_word(p, true);
            free(cmd->text);
            cmd->text = NULL;
            cmd->cmd = ':'; /* a no-op */
            break;
        default: {
            char s[2] = {c, 0};
            perr(p, "unknown command: `%s'", s);
            break;
        }
        }
    }
    if (!p->failed && nopen) {
        p->i = p->starts[0];
        perr(p, "unmatched `{'", NULL);
    }
    free(open);
    /* Labels: b, t and T jump to the command after their label. */
    for (size_t k = 0; k < sc->ncmds && !p->failed; k++) {
        sed_cmd *cmd = &sc->cmds[k];
        if (!strchr("btT", cmd->cmd))
            continue;
        if (!cmd->text || !*cmd->text) {
            cmd->jump = -1;
            continue;
        }
        size_t j = 0;
        for (; j < sc->ncmds; j++)
            if (sc->cmds[j].cmd == ':' && sc->cmds[j].text && !strcmp(sc->cmds[j].text, cmd->text))
                break;
        if (j == sc->ncmds) {
            sh_err(sh, "can't find label for jump to `%s'", cmd->text);
            p->failed = true;
        }
        cmd->jump = (int)j;
    }
    return !p->failed;
}

void sed_script_free(shctx *sh, sed_script *sc)
{
    for (size_t k = 0; k < sc->ncmds; k++) {
        free(sc->cmds[k].text);
        free(sc->cmds[k].repl);
        free(sc->cmds[k].ymap);
    }
    free(sc->cmds);
    for (size_t k = 0; k < sc->nouts; k++) {
        if (sc->outs[k].s != sh_stdout(sh) && sc->outs[k].s != sh_stderr(sh))
            sh_close(sc->outs[k].s);
        free(sc->outs[k].name);
    }
    free(sc->outs);
    for (size_t k = 0; k < sc->nprogs; k++)
        rx_free(sc->progs[k]);
    free(sc->progs);
}
