/* arith.c: shell arithmetic ($((...)), ((...)), let, for ((;;)), ${x:off},
 * declare -i): bash's, on 64-bit integers that wrap (never undefined
 * behaviour: INT64_MIN / -1 is INT64_MIN, shifts use the low 6 bits).
 * C's operators and precedence, ** (binding tighter than unary minus, as in
 * bash), assignment operators, ++/--, ?:, the comma operator; numbers in
 * decimal, 0x hex, 0 octal and BASE#DIGITS; a variable's value that is an
 * expression is evaluated too (bounded). Errors are bash's:
 * "EXPR: division by 0 (error token is "0")". */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARITH_MAX_DEPTH 96      /* parentheses and operators nested (~16 frames each 3) */
#define ARITH_MAX_RECURSION 32  /* variables whose values are expressions */

typedef struct {
    shctx *sh;
    const char *expr;
    const char *p;
    int noeval;  /* > 0: the branch not taken of && || ?: (no effects, no errors) */
    int depth;
    int recursion;
    bool err;
} arith;

static int64_t a_comma(arith *a);
static int64_t a_assign(arith *a);

static void a_error(arith *a, const char *msg, const char *at)
{
    if (a->err)
        return;
    a->err = true;
    if (!*at) { /* at the end: bash names the last operator */
        const char *e = at;
        while (e > a->expr && isspace((unsigned char)e[-1]))
            e--;
        while (e > a->expr && ispunct((unsigned char)e[-1]) && e[-1] != ')' && e[-1] != '(')
            e--;
        at = e;
    }
    const char *start = a->expr;
    while (isspace((unsigned char)*start))
        start++;
    size_t n = strlen(start);
    while (n && isspace((unsigned char)start[n - 1]))
        n--;
    /* a hostile expression can be megabytes long: show its start */
    int shown = n > 200 ? 200 : (int)n, tok = strlen(at) > 200 ? 200 : (int)strlen(at);
    const char *more = n > 200 ? "..." : "";
    if (a->sh->arith_prefix)
        shell_error(a->sh, "%s: %.*s%s: %s (error token is \"%.*s\")", a->sh->arith_prefix, shown, start, more,
                    msg, tok, at);
    else
        shell_error(a->sh, "%.*s%s: %s (error token is \"%.*s\")", shown, start, more, msg, tok, at);
}

static void skip_ws(arith *a)
{
    while (isspace((unsigned char)*a->p))
        a->p++;
}

static bool a_peek(arith *a, const char *op)
{
    skip_ws(a);
    return !strncmp(a->p, op, strlen(op));
}

static bool a_eat(arith *a, const char *op)
{
    if (!a_peek(a, op))
        return false;
    a->p += strlen(op);
    return true;
}

static bool is_ident_start(int c)
{
    return isalpha(c) || c == '_';
}

static int64_t var_num(arith *a, const char *name, size_t n);

/* A number: decimal, 0x.., 0.. (octal), base#digits. */
static int64_t a_number(arith *a)
{
    const char *start = a->p;
    uint64_t v = 0;
    int base = 10;
    const char *q = a->p;
    if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X')) {
        base = 16;
        q += 2;
    } else if (q[0] == '0') {
        base = 8;
    } else {
        const char *h = q;
        while (isdigit((unsigned char)*h))
            h++;
        if (*h == '#') {
            base = atoi(q);
            if (base < 2 || base > 64) {
                a_error(a, "invalid arithmetic base", start);
                return 0;
            }
            q = h + 1;
        }
    }
    const char *digits = q;
    for (;; q++) {
        int c = (unsigned char)*q, d;
        if (isdigit(c))
            d = c - '0';
        else if (c >= 'a' && c <= 'z')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'Z')
            d = base <= 36 ? c - 'A' + 10 : c - 'A' + 36;
        else if (c == '@')
            d = 62;
        else if (c == '_')
            d = 63;
        else
            break;
        if (d >= base) {
            const char *e = q;
            while (isalnum((unsigned char)*e) || *e == '@' || *e == '_')
                e++;
            a_error(a, "value too great for base", start);
            a->p = e;
            return 0;
        }
        v = v * (uint64_t)base + (uint64_t)d;
    }
    if (q == digits && base == 16) {
        a_error(a, "invalid number", start);
        return 0;
    }
    a->p = q;
    return (int64_t)v;
}

static void assign_num(arith *a, const char *name, size_t n, int64_t v)
{
    if (a->noeval || a->err)
        return;
    char *nm = sh_strndup(name, n);
    char b[32];
    snprintf(b, sizeof b, "%lld", (long long)v);
    if (!var_assign(a->sh, nm, b, 0))
        a->err = true;
    free(nm);
}

static int64_t a_primary(arith *a)
{
    skip_ws(a);
    if (++a->depth > ARITH_MAX_DEPTH) {
        a_error(a, "expression nested too deeply", a->p);
        return 0;
    }
    int64_t v = 0;
    if (*a->p == '(') {
        a->p++;
        v = a_comma(a);
        if (!a_eat(a, ")"))
            a_error(a, "missing `)'", a->p);
    } else if (isdigit((unsigned char)*a->p)) {
        v = a_number(a);
        if (!a->err && (isalpha((unsigned char)*a->p) || *a->p == '_'))
            a_error(a, "syntax error in expression", a->p);
    } else if (is_ident_start((unsigned char)*a->p)) {
        const char *name = a->p;
        while (isalnum((unsigned char)*a->p) || *a->p == '_')
            a->p++;
        size_t n = (size_t)(a->p - name);
        v = var_num(a, name, n);
        skip_ws(a);
        if (a->p[0] == '+' && a->p[1] == '+') {
            a->p += 2;
            assign_num(a, name, n, (int64_t)((uint64_t)v + 1));
        } else if (a->p[0] == '-' && a->p[1] == '-') {
            a->p += 2;
            assign_num(a, name, n, (int64_t)((uint64_t)v - 1));
        }
    } else if (!*a->p) {
        a_error(a, "syntax error: operand expected", a->p);
    } else {
        a_error(a, "syntax error: operand expected", a->p);
    }
    a->depth--;
    return v;
}

static int64_t a_unary(arith *a)
{
    skip_ws(a);
    if (++a->depth > ARITH_MAX_DEPTH) {
        a_error(a, "expression nested too deeply", a->p);
        return 0;
    }
    int64_t v;
    if ((a->p[0] == '+' && a->p[1] == '+') || (a->p[0] == '-' && a->p[1] == '-')) {
        bool inc = a->p[0] == '+';
        a->p += 2;
        skip_ws(a);
        if (!is_ident_start((unsigned char)*a->p)) {
            a_error(a, "syntax error: operand expected", a->p);
            a->depth--;
            return 0;
        }
        const char *name = a->p;
        while (isalnum((unsigned char)*a->p) || *a->p == '_')
            a->p++;
        size_t n = (size_t)(a->p - name);
        v = (int64_t)((uint64_t)var_num(a, name, n) + (inc ? 1 : (uint64_t)-1));
        assign_num(a, name, n, v);
    } else if (*a->p == '-') {
        a->p++;
        v = (int64_t)(0 - (uint64_t)a_unary(a));
    } else if (*a->p == '+') {
        a->p++;
        v = a_unary(a);
    } else if (*a->p == '!') {
        a->p++;
        v = !a_unary(a);
    } else if (*a->p == '~') {
        a->p++;
        v = ~a_unary(a);
    } else {
        v = a_primary(a);
    }
    a->depth--;
    return v;
}

static int64_t ipow(int64_t b, int64_t e)
{
    uint64_t r = 1, x = (uint64_t)b;
    while (e > 0) {
        if (e & 1)
            r *= x;
        x *= x;
        e >>= 1;
    }
    return (int64_t)r;
}

static int64_t a_pow(arith *a)
{
    int64_t b = a_unary(a);
    if (a_peek(a, "**")) {
        const char *at = a->p + 2;
        a->p += 2;
        if (++a->depth > ARITH_MAX_DEPTH) {
            a_error(a, "expression nested too deeply", a->p);
            return 0;
        }
        int64_t e = a_pow(a);
        a->depth--;
        if (e < 0) {
            if (!a->noeval)
                a_error(a, "exponent less than 0", at);
            return 0;
        }
        return ipow(b, e);
    }
    return b;
}

static int64_t a_mul(arith *a)
{
    int64_t v = a_pow(a);
    for (;;) {
        skip_ws(a);
        char op = *a->p;
        if ((op != '*' && op != '/' && op != '%') || a->p[1] == '=' || (op == '*' && a->p[1] == '*'))
            return v;
        a->p++;
        const char *at = a->p;
        int64_t r = a_pow(a);
        if (op == '*') {
            v = (int64_t)((uint64_t)v * (uint64_t)r);
        } else if (r == 0) {
            if (!a->noeval) {
                while (isspace((unsigned char)*at))
                    at++;
                a_error(a, "division by 0", at);
            }
            v = 0;
        } else if (r == -1) {
            v = op == '/' ? (int64_t)(0 - (uint64_t)v) : 0;
        } else {
            v = op == '/' ? v / r : v % r;
        }
    }
}

static int64_t a_add(arith *a)
{
    int64_t v = a_mul(a);
    for (;;) {
        skip_ws(a);
        char op = *a->p;
        if ((op != '+' && op != '-') || a->p[1] == '=' || a->p[1] == op)
            return v;
        a->p++;
        int64_t r = a_mul(a);
        v = (int64_t)(op == '+' ? (uint64_t)v + (uint64_t)r : (uint64_t)v - (uint64_t)r);
    }
}

static int64_t a_shift(arith *a)
{
    int64_t v = a_add(a);
    for (;;) {
        skip_ws(a);
        bool left = a->p[0] == '<' && a->p[1] == '<';
        bool right = a->p[0] == '>' && a->p[1] == '>';
        if ((!left && !right) || a->p[2] == '=')
            return v;
        a->p += 2;
        int64_t r = a_add(a) & 63;
        v = left ? (int64_t)((uint64_t)v << r) : v >> r;
    }
}

static int64_t a_rel(arith *a)
{
    int64_t v = a_shift(a);
    for (;;) {
        skip_ws(a);
        if (a_eat(a, "<="))
            v = v <= a_shift(a);
        else if (a_eat(a, ">="))
            v = v >= a_shift(a);
        else if (*a->p == '<' && a->p[1] != '<') {
            a->p++;
            v = v < a_shift(a);
        } else if (*a->p == '>' && a->p[1] != '>') {
            a->p++;
            v = v > a_shift(a);
        } else
            return v;
    }
}

static int64_t a_eq(arith *a)
{
    int64_t v = a_rel(a);
    for (;;) {
        if (a_eat(a, "=="))
            v = v == a_rel(a);
        else if (a_eat(a, "!="))
            v = v != a_rel(a);
        else
            return v;
    }
}

static int64_t a_band(arith *a)
{
    int64_t v = a_eq(a);
    while (a_peek(a, "&") && a->p[1] != '&' && a->p[1] != '=') {
        a->p++;
        v &= a_eq(a);
    }
    return v;
}

static int64_t a_bxor(arith *a)
{
    int64_t v = a_band(a);
    while (a_peek(a, "^") && a->p[1] != '=') {
        a->p++;
        v ^= a_band(a);
    }
    return v;
}

static int64_t a_bor(arith *a)
{
    int64_t v = a_bxor(a);
    while (a_peek(a, "|") && a->p[1] != '|' && a->p[1] != '=') {
        a->p++;
        v |= a_bxor(a);
    }
    return v;
}

static int64_t a_land(arith *a)
{
    int64_t v = a_bor(a);
    while (a_eat(a, "&&")) {
        if (!v)
            a->noeval++;
        int64_t r = a_bor(a);
        if (!v)
            a->noeval--;
        v = v && r;
    }
    return v;
}

static int64_t a_lor(arith *a)
{
    int64_t v = a_land(a);
    while (a_eat(a, "||")) {
        if (v)
            a->noeval++;
        int64_t r = a_land(a);
        if (v)
            a->noeval--;
        v = v || r;
    }
    return v;
}

static int64_t a_cond(arith *a)
{
    int64_t c = a_lor(a);
    if (!a_eat(a, "?"))
        return c;
    if (++a->depth > ARITH_MAX_DEPTH) {
        a_error(a, "expression nested too deeply", a->p);
        return 0;
    }
    if (!c)
        a->noeval++;
    int64_t x = a_comma(a);
    if (!c)
        a->noeval--;
    if (!a_eat(a, ":")) {
        a_error(a, "`:' expected for conditional expression", a->p);
        a->depth--;
        return 0;
    }
    if (c)
        a->noeval++;
    int64_t y = a_cond(a);
    if (c)
        a->noeval--;
    a->depth--;
    return c ? x : y;
}

static int64_t a_assign(arith *a)
{
    skip_ws(a);
    if (is_ident_start((unsigned char)*a->p)) {
        const char *name = a->p, *q = a->p;
        while (isalnum((unsigned char)*q) || *q == '_')
            q++;
        size_t n = (size_t)(q - name);
        while (isspace((unsigned char)*q))
            q++;
        static const char *ops[] = {"<<=", ">>=", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "="};
        for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
            size_t ol = strlen(ops[i]);
            if (strncmp(q, ops[i], ol) || (ol == 1 && q[1] == '='))
                continue;
            a->p = q + ol;
            if (++a->depth > ARITH_MAX_DEPTH) {
                a_error(a, "expression nested too deeply", a->p);
                return 0;
            }
            const char *at = a->p;
            int64_t r = a_assign(a);
            a->depth--;
            int64_t v = ol == 1 ? r : var_num(a, name, n);
            uint64_t uv = (uint64_t)v, ur = (uint64_t)r;
            switch (ops[i][0]) {
            case '+': v = (int64_t)(uv + ur); break;
            case '-': v = (int64_t)(uv - ur); break;
            case '*': v = (int64_t)(uv * ur); break;
            case '/':
            case '%':
                if (r == 0) {
                    if (!a->noeval)
                        a_error(a, "division by 0", at);
                    return 0;
                }
                if (r == -1)
                    v = ops[i][0] == '/' ? (int64_t)(0 - uv) : 0;
                else
                    v = ops[i][0] == '/' ? v / r : v % r;
                break;
            case '&': v &= r; break;
            case '^': v ^= r; break;
            case '|': v |= r; break;
            case '<': v = (int64_t)(uv << (r & 63)); break;
            case '>': v >>= (r & 63); break;
            default: v = r;
            }
            assign_num(a, name, n, v);
            return v;
        }
    }
    return a_cond(a);
}

static int64_t a_comma(arith *a)
{
    int64_t v = a_assign(a);
    while (!a->err && a_eat(a, ","))
        v = a_assign(a);
    return v;
}

static bool eval_text(shctx *sh, const char *expr, int64_t *out, int recursion, int noeval)
{
    arith a = {sh, expr, expr, noeval, 0, recursion, false};
    skip_ws(&a);
    if (!*a.p) {
        *out = 0;
        return true;
    }
    int64_t v = a_comma(&a);
    skip_ws(&a);
    if (!a.err && *a.p)
        a_error(&a, "syntax error in expression", a.p);
    *out = v;
    return !a.err;
}

static int64_t var_num(arith *a, const char *name, size_t n)
{
    char *nm = sh_strndup(name, n);
    char *tmp = NULL;
    const char *val = param_get(a->sh, nm, &tmp);
    int64_t v = 0;
    if (!val && a->sh->st.opt.nounset && !a->noeval) {
        if (!a->err) {
            a->err = true;
            shell_error(a->sh, "%s: unbound variable", nm);
        }
    } else if (val && *val) {
        if (a->recursion >= ARITH_MAX_RECURSION) {
            a_error(a, "expression recursion level exceeded", nm);
        } else if (!eval_text(a->sh, val, &v, a->recursion + 1, a->noeval)) {
            a->err = true;
        }
    }
    free(tmp);
    free(nm);
    return v;
}

bool arith_eval(shctx *sh, const char *expr, int64_t *out)
{
    return eval_text(sh, expr, out, 0, 0);
}
