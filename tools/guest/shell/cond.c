/* cond.c: evaluating [[ ]]: patterns on the right of == and !=, POSIX
 * EREs for =~ (wasi-libc's regcomp, as bash uses the system's), arithmetic
 * for -eq and friends, test's file operators. */
#include "internal.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- [[ ]] ------------------------------------------------------------------------------- */


/* The right side of =~ as an ERE: quoted characters match themselves. */
static char *regex_word(shctx *sh, const word *w)
{
    char *pat = expand_pattern(sh, w); /* quoted specials come back as \c */
    if (!pat)
        return NULL;
    sh_buf b = {0};
    for (const char *p = pat; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            if (strchr("\\.[]()*+?{}|^$", *p))
                sh_buf_addc(&b, '\\');
            sh_buf_addc(&b, *p);
        } else {
            sh_buf_addc(&b, *p);
        }
    }
    free(pat);
    return sh_buf_take(&b);
}

static int cond_eval(shctx *sh, const cond *c);

static int cond_binary(shctx *sh, const cond *c)
{
    const char *op = c->opname;
    char *a = expand_string(sh, c->a);
    if (!a)
        return 2;
    int r = 2;
    if (!strcmp(op, "==") || !strcmp(op, "=") || !strcmp(op, "!=")) {
        char *pat = expand_pattern(sh, c->b);
        if (pat) {
            bool m = pattern_match(sh, pat, a);
            r = (m == (op[0] != '!')) ? 0 : 1;
            free(pat);
        }
    } else if (!strcmp(op, "=~")) {
        char *re = regex_word(sh, c->b);
        if (re) {
            regex_t rx;
            int flags = REG_EXTENDED | (sh->st.opt.nocasematch ? REG_ICASE : 0);
            int e = regcomp(&rx, re, flags);
            if (e) {
                char msg[128];
                regerror(e, &rx, msg, sizeof msg);
                shell_error(sh, "[[: %s: %s", re, msg);
                r = 2;
            } else {
                regmatch_t m[10];
                if (regexec(&rx, a, 10, m, 0) == 0) {
                    r = 0;
                    /* BASH_REMATCH is an array in bash; without arrays the
                     * whole match and the groups are BASH_REMATCH_0..9 */
                    for (int i = 0; i < 10; i++) {
                        char nm[32];
                        snprintf(nm, sizeof nm, "BASH_REMATCH_%d", i);
                        if (m[i].rm_so >= 0) {
                            char *g = sh_strndup(a + m[i].rm_so, (size_t)(m[i].rm_eo - m[i].rm_so));
                            vars_set(sh->st.vars, nm, g, 0);
                            free(g);
                        } else {
                            vars_remove(sh->st.vars, nm);
                        }
                    }
                    char *g = sh_strndup(a + m[0].rm_so, (size_t)(m[0].rm_eo - m[0].rm_so));
                    vars_set(sh->st.vars, "BASH_REMATCH", g, 0);
                    free(g);
                } else {
                    r = 1;
                }
                regfree(&rx);
            }
            free(re);
        }
    } else {
        char *b = expand_string(sh, c->b);
        if (b) {
            if (!strcmp(op, "<"))
                r = strcmp(a, b) < 0 ? 0 : 1;
            else if (!strcmp(op, ">"))
                r = strcmp(a, b) > 0 ? 0 : 1;
            else if (op[0] == '-' && (op[1] == 'n' || op[1] == 'o' || op[1] == 'e') &&
                     (!strcmp(op, "-nt") || !strcmp(op, "-ot") || !strcmp(op, "-ef"))) {
                r = test_binary_op(sh, op, a, b);
            } else {
                /* -eq and friends take arithmetic expressions inside [[ ]] */
                int64_t x, y;
                if (!arith_eval(sh, a, &x) || !arith_eval(sh, b, &y)) {
                    r = 2;
                } else {
                    bool t = !strcmp(op, "-eq")   ? x == y
                             : !strcmp(op, "-ne") ? x != y
                             : !strcmp(op, "-lt") ? x < y
                             : !strcmp(op, "-le") ? x <= y
                             : !strcmp(op, "-gt") ? x > y
                                                  : x >= y;
                    r = t ? 0 : 1;
                }
            }
            free(b);
        }
    }
    free(a);
    return r;
}

static int cond_eval(shctx *sh, const cond *c)
{
    int r;
    switch (c->op) {
    case C_AND:
        r = cond_eval(sh, c->l);
        return r != 0 ? r : cond_eval(sh, c->r);
    case C_OR:
        r = cond_eval(sh, c->l);
        return r == 1 ? cond_eval(sh, c->r) : r;
    case C_NOT:
        r = cond_eval(sh, c->l);
        return r == 2 ? 2 : !r;
    case C_WORD: {
        char *a = expand_string(sh, c->a);
        if (!a)
            return 2;
        r = *a ? 0 : 1;
        free(a);
        return r;
    }
    case C_UNARY: {
        char *a = expand_string(sh, c->a);
        if (!a)
            return 2;
        if (!strcmp(c->opname, "-v")) {
            char *tmp;
            r = param_get(sh, a, &tmp) ? 0 : 1;
            free(tmp);
        }
        else if (!strcmp(c->opname, "-o"))
            r = 1;
        else
            r = test_unary_op(sh, c->opname, a);
        free(a);
        return r;
    }
    default:
        return cond_binary(sh, c);
    }
}

int eval_cond_node(shctx *sh, node *n)
{
    sh->lineno = n->line;
    if (sh->st.opt.xtrace) {
        sh_buf b = {0};
        xtrace_prefix(sh, &b);
        sh_buf_adds(&b, "[[ ... ]]");
        xtrace_write(sh, &b);
    }
    return cond_eval(sh, n->u.cond.c);
}

