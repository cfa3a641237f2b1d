/* param.c: parameter expansion, ${name OP word}: defaults, assignment,
 * errors, lengths, prefix/suffix removal, substitution (bash 5.2's, with &
 * for the match), substrings and case changes; for "$@" and "$*" the
 * operators apply to each positional parameter. Errors are bash's and end
 * the (sub)shell as a non-interactive bash does: status 127 for unset
 * parameters (set -u, ${x?}), 1 for the rest. */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool expansion_error(shctx *sh, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Prints the error; status 127 (an unset parameter) ends the shell, 1
 * drops the rest of the line (J_ABORT), as bash does. */
static bool expansion_error(shctx *sh, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sh_buf b = {0};
    sh_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    shell_error(sh, "%s", b.data);
    sh_buf_free(&b);
    if (sh->jump == J_NONE) { /* 127: unset (the shell exits); else the line is dropped */
        sh->jump = status == 127 ? J_EXIT : J_ABORT;
        sh->jump_n = status;
    }
    return false;
}

/* ---- patterns over substrings --------------------------------------------- */

/* The length every match of pat has, or -1 when it varies (a '*'). */
static long fixed_length(const char *pat)
{
    long n = 0;
    for (const char *p = pat; *p; p++) {
        if (*p == '*')
            return -1;
        if (*p == '\\' && p[1]) {
            p++;
        } else if (*p == '[') {
            const char *q = p + 1;
            if (*q == '!' || *q == '^')
                q++;
            if (*q == ']')
                q++;
            while (*q && *q != ']') {
                if (*q == '[' && (q[1] == ':' || q[1] == '=' || q[1] == '.')) {
                    char t = q[1];
                    const char *e = q + 2;
                    while (*e && !(e[0] == t && e[1] == ']'))
                        e++;
                    q = *e ? e + 2 : e;
                    continue;
                }
                q++;
            }
            if (*q == ']')
                p = q;
        }
        n++;
    }
    return n;
}

/* Does pat match s[i..j)? */
static bool match_range(shctx *sh, const char *pat, char *s, size_t i, size_t j)
{
    char c = s[j];
    s[j] = 0;
    bool m = pattern_match(sh, pat, s + i);
    s[j] = c;
    return m;
}

static char *remove_affix(shctx *sh, const char *val, const char *pat, int op)
{
    size_t n = strlen(val);
    char *s = sh_strdup(val);
    long fl = fixed_length(pat);
    size_t keep_from = 0, keep_to = n;
    switch (op) {
    case P_RM_SPRE:
    case P_RM_LPRE:
        for (size_t k = 0; k <= n; k++) {
            size_t i = op == P_RM_SPRE ? k : n - k;
            if (fl >= 0 && (size_t)fl != i)
                continue;
            if (match_range(sh, pat, s, 0, i)) {
                keep_from = i;
                break;
            }
        }
        break;
    default:
        for (size_t k = 0; k <= n; k++) {
            size_t i = op == P_RM_SSUF ? n - k : k;
            if (fl >= 0 && (size_t)fl != n - i)
                continue;
            if (match_range(sh, pat, s, i, n)) {
                keep_to = i;
                break;
            }
        }
    }
    char *r = sh_strndup(s + keep_from, keep_to - keep_from);
    free(s);
    return r;
}

/* The replacement with bash 5.2's patsub_replacement: an unquoted & is the
 * matched text (rep comes escaped like a pattern: \c is c). */
static void add_replacement(sh_buf *out, const char *rep, const char *m, size_t mlen)
{
    for (const char *r = rep; *r; r++) {
        if (*r == '\\' && r[1])
            sh_buf_addc(out, *++r);
        else if (*r == '&')
            sh_buf_add(out, m, mlen);
        else
            sh_buf_addc(out, *r);
    }
}

static char *substitute(shctx *sh, const char *val, const char *pat, const char *rep, int op)
{
    size_t n = strlen(val);
    char *s = sh_strdup(val);
    sh_buf out = {0};
    long fl = fixed_length(pat);
    size_t i = 0;
    bool done = false;
    if (!*pat && op != P_SUB_PRE && op != P_SUB_SUF) {
        free(s);
        return sh_strdup(val);
    }
    while (i <= n && !done) {
        /* the longest match starting at i */
        size_t end = 0;
        bool found = false;
        if (op == P_SUB_SUF) {
            if (match_range(sh, pat, s, i, n)) {
                found = true;
                end = n;
            }
        } else if (fl >= 0) {
            if (i + (size_t)fl <= n && match_range(sh, pat, s, i, i + (size_t)fl)) {
                found = true;
                end = i + (size_t)fl;
            }
        } else {
            for (size_t j = n + 1; j-- > i;)
                if (match_range(sh, pat, s, i, j)) {
                    found = true;
                    end = j;
                    break;
                }
        }
        if (found) {
            add_replacement(&out, rep, s + i, end - i);
            if (op != P_SUB_ALL)
                done = true;
            if (end == i) { /* an empty match: keep the character, move on */
                if (i < n)
                    sh_buf_addc(&out, s[i]);
                i++;
            } else {
                i = end;
            }
            continue;
        }
        if (op == P_SUB_PRE)
            break;
        if (i < n)
            sh_buf_addc(&out, s[i]);
        i++;
    }
    if (i < n)
        sh_buf_add(&out, s + i, n - i);
    free(s);
    return sh_buf_take(&out);
}

static char *change_case(const char *val, int op)
{
    char *r = sh_strdup(val);
    for (char *p = r; *p; p++) {
        if (op == P_UPPER || (op == P_UPPER1 && p == r))
            *p = (char)toupper((unsigned char)*p);
        else if (op == P_LOWER || (op == P_LOWER1 && p == r))
            *p = (char)tolower((unsigned char)*p);
        if (p == r && (op == P_UPPER1 || op == P_LOWER1))
            break;
    }
    return r;
}

static bool arith_word(shctx *sh, const word *w, int64_t *v)
{
    char *e = expand_string(sh, w);
    if (!e)
        return false;
    bool ok = arith_eval(sh, e, v);
    free(e);
    if (!ok && sh->jump == J_NONE) {
        sh->jump = J_ABORT;
        sh->jump_n = 1;
    }
    return ok;
}

/* offset/length of ${x:off:len} over n items; false on error. */
static bool substr_range(shctx *sh, const wpart *p, size_t n, size_t *from, size_t *to)
{
    int64_t off, len;
    if (!arith_word(sh, p->u.param.arg, &off))
        return false;
    if (off < 0)
        off += (int64_t)n;
    if (off < 0 || off > (int64_t)n) {
        *from = *to = 0;
        return true;
    }
    *from = (size_t)off;
    *to = n;
    if (p->u.param.arg2) {
        if (!arith_word(sh, p->u.param.arg2, &len))
            return false;
        if (len < 0) {
            int64_t e = (int64_t)n + len;
            if (e < off)
                return expansion_error(sh, 1, "%lld: substring expression < 0", (long long)len);
            *to = (size_t)e;
        } else if ((int64_t)(n - *from) > len) {
            *to = *from + (size_t)len;
        }
    }
    return true;
}

/* The value an operator makes of one string (pattern and case operators,
 * substrings); NULL on error. */
static char *apply_op(shctx *sh, const wpart *p, const char *val)
{
    int op = p->u.param.op;
    switch (op) {
    case P_RM_SPRE:
    case P_RM_LPRE:
    case P_RM_SSUF:
    case P_RM_LSUF: {
        char *pat = expand_pattern(sh, p->u.param.arg);
        if (!pat)
            return NULL;
        char *r = remove_affix(sh, val, pat, op);
        free(pat);
        return r;
    }
    case P_SUB_ONE:
    case P_SUB_ALL:
    case P_SUB_PRE:
    case P_SUB_SUF: {
        char *pat = expand_pattern(sh, p->u.param.arg);
        if (!pat)
            return NULL;
        char *rep = p->u.param.arg2 ? expand_pattern(sh, p->u.param.arg2) : sh_strdup("");
        if (!rep) {
            free(pat);
            return NULL;
        }
        char *r = substitute(sh, val, pat, rep, op);
        free(pat);
        free(rep);
        return r;
    }
    case P_SUBSTR: {
        size_t from, to;
        if (!substr_range(sh, p, strlen(val), &from, &to))
            return NULL;
        return sh_strndup(val + from, to - from);
    }
    case P_UPPER1:
    case P_UPPER:
    case P_LOWER1:
    case P_LOWER:
        return change_case(val, op);
    }
    return sh_strdup(val);
}

/* ---- "$@" and "$*" --------------------------------------------------------------- */

static void emit_list(shctx *sh, fieldbuf *fb, char **v, size_t n, bool star, bool quoted)
{
    if (quoted && star) {
        const char *ifs = var_value(sh, "IFS");
        char sep = ifs ? ifs[0] : ' ';
        sh_buf j = {0};
        for (size_t i = 0; i < n; i++) {
            if (i && sep)
                sh_buf_addc(&j, sep);
            sh_buf_adds(&j, v[i]);
        }
        fb_add(fb, j.data ? j.data : "", j.len, true);
        sh_buf_free(&j);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (i)
            fb_break(fb);
        fb_add(fb, v[i], strlen(v[i]), quoted);
    }
}

static bool expand_list(shctx *sh, const wpart *p, fieldbuf *fb, bool quoted)
{
    bool star = p->u.param.name[0] == '*';
    int op = p->u.param.op;
    size_t n = (size_t)sh->st.npos;
    char **pos = sh->st.pos;
    if (op == P_LENGTH) {
        char b[24];
        int k = snprintf(b, sizeof b, "%zu", n);
        fb_add(fb, b, (size_t)k, quoted);
        return true;
    }
    if (op == P_SUBSTR) { /* ${@:off:len} counts $0 as 0 */
        char **all = sh_malloc((n + 2) * sizeof *all);
        all[0] = sh->arg0;
        for (size_t i = 0; i < n; i++)
            all[i + 1] = pos[i];
        int64_t off;
        bool ok = arith_word(sh, p->u.param.arg, &off);
        size_t from = 0, to = 0;
        if (ok) {
            if (off < 0)
                off += (int64_t)n + 1;
            if (off >= 0 && off <= (int64_t)n + 1) {
                from = (size_t)off;
                to = n + 1;
                if (p->u.param.arg2) {
                    int64_t len;
                    ok = arith_word(sh, p->u.param.arg2, &len);
                    if (ok && len < 0)
                        ok = expansion_error(sh, 1, "%lld: substring expression < 0", (long long)len);
                    if (ok && (int64_t)(to - from) > len)
                        to = from + (size_t)len;
                }
            }
        }
        if (ok)
            emit_list(sh, fb, all + from, to - from, star, quoted);
        free(all);
        return ok;
    }
    bool empty = n == 0 || (n == 1 && !*pos[0] && star);
    switch (op) {
    case P_DEFAULT:
    case P_ASSIGN:
        if (n == 0 || (p->u.param.colon && empty)) {
            if (op == P_ASSIGN)
                return expansion_error(sh, 1, "$%s: cannot assign in this way", p->u.param.name);
            return expand_param_word(sh, p->u.param.arg, fb, quoted);
        }
        break;
    case P_ALT:
        if (n == 0 || (p->u.param.colon && empty)) {
            if (quoted)
                fb_add(fb, "", 0, true);
            return true;
        }
        return expand_param_word(sh, p->u.param.arg, fb, quoted);
    case P_ERROR:
        if (n == 0 || (p->u.param.colon && empty))
            return expansion_error(sh, 127, "%s: %s", p->u.param.name,
                                   p->u.param.colon ? "parameter null or not set" : "parameter not set");
        break;
    case P_PLAIN:
        break;
    default: {
        char **v = sh_malloc((n + 1) * sizeof *v);
        size_t k = 0;
        bool ok = true;
        for (size_t i = 0; i < n && ok; i++) {
            v[k] = apply_op(sh, p, pos[i]);
            ok = v[k] != NULL;
            k += ok;
        }
        if (ok)
            emit_list(sh, fb, v, k, star, quoted);
        for (size_t i = 0; i < k; i++)
            free(v[i]);
        free(v);
        return ok;
    }
    }
    emit_list(sh, fb, pos, n, star, quoted);
    return true;
}

/* ---- one parameter ------------------------------------------------------------------ */

bool expand_param(shctx *sh, const wpart *p, fieldbuf *fb, bool quoted)
{
    const char *name = p->u.param.name;
    if (!name) {
        const word *t = p->u.param.arg;
        const char *text = t->parts[0].u.lit.s;
        int n = (int)t->parts[0].u.lit.n;
        if (memchr(text, '[', (size_t)n))
            return expansion_error(sh, 1, "%.*s: arrays are not supported by this shell", n, text);
        return expansion_error(sh, 1, "%.*s: bad substitution", n, text);
    }
    if ((name[0] == '@' || name[0] == '*') && !name[1] && !p->u.param.indirect)
        return expand_list(sh, p, fb, quoted);
    int op = p->u.param.op;
    char *tmp = NULL, *tmp2 = NULL;
    const char *val;
    const char *shown = name;
    if (p->u.param.indirect) {
        const char *ref = param_get(sh, name, &tmp);
        if (!ref || !(is_name(ref) || (ref[0] && strspn(ref, "0123456789") == strlen(ref)) ||
                      (ref[0] && !ref[1] && strchr("@*#?-$!", ref[0])))) {
            free(tmp);
            return expansion_error(sh, 1, "%s: invalid indirect expansion", name);
        }
        val = param_get(sh, ref, &tmp2);
        shown = ref;
    } else {
        val = param_get(sh, name, &tmp);
    }
    bool unset = !val;
    bool use_word = unset || (p->u.param.colon && !*val);
    bool ok = true;
    switch (op) {
    case P_DEFAULT:
        ok = use_word ? expand_param_word(sh, p->u.param.arg, fb, quoted) : (fb_add(fb, val, strlen(val), quoted), true);
        break;
    case P_ALT:
        if (!use_word)
            ok = expand_param_word(sh, p->u.param.arg, fb, quoted);
        else if (quoted)
            fb_add(fb, "", 0, true);
        break;
    case P_ASSIGN:
        if (use_word) {
            if (!is_name(shown)) {
                ok = expansion_error(sh, 1, "$%s: cannot assign in this way", shown);
                break;
            }
            char *v = expand_assign(sh, p->u.param.arg);
            if (!v) {
                ok = false;
                break;
            }
            if (!var_assign(sh, shown, v, 0)) {
                free(v);
                ok = expansion_error(sh, 1, "%s: cannot assign", shown);
                break;
            }
            fb_add(fb, v, strlen(v), quoted);
            free(v);
        } else {
            fb_add(fb, val, strlen(val), quoted);
        }
        break;
    case P_ERROR:
        if (use_word) {
            char *m = p->u.param.arg && p->u.param.arg->nparts ? expand_string(sh, p->u.param.arg) : NULL;
            if (m && *m)
                expansion_error(sh, 127, "%s: %s", shown, m);
            else
                expansion_error(sh, 127, "%s: %s", shown,
                                p->u.param.colon ? "parameter null or not set" : "parameter not set");
            free(m);
            ok = false;
        } else {
            fb_add(fb, val, strlen(val), quoted);
        }
        break;
    default:
        if (unset && sh->st.opt.nounset && !(name[0] == '#' || name[0] == '?' || name[0] == '$' ||
                                             name[0] == '-' || name[0] == '0')) {
            ok = expansion_error(sh, 127, "%s%s: unbound variable",
                                 isdigit((unsigned char)shown[0]) ? "$" : "", shown);
            break;
        }
        if (!val)
            val = "";
        if (op == P_PLAIN) {
            fb_add(fb, val, strlen(val), quoted);
        } else if (op == P_LENGTH) {
            char b[24];
            int k = snprintf(b, sizeof b, "%zu", strlen(val));
            fb_add(fb, b, (size_t)k, quoted);
        } else {
            char *r = apply_op(sh, p, val);
            if (!r) {
                ok = false;
                break;
            }
            fb_add(fb, r, strlen(r), quoted);
            free(r);
        }
    }
    free(tmp);
    free(tmp2);
    return ok;
}
