/* tabstops.c: GNU expand's and unexpand's tab stop lists (tabstops.h),
 * with its messages. */
#include "tabstops.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static void add_stop(tabstops *t, uint64_t v)
{
    t->list = sh_realloc(t->list, (t->n + 1) * sizeof *t->list);
    t->list[t->n++] = v;
}

/* A value that ends (at a separator or the end of the spec). */
static bool end_value(shctx *sh, tabstops *t, uint64_t v, char kind)
{
    if (kind == '/' || kind == '+') {
        uint64_t *slot = kind == '/' ? &t->extend : &t->increment;
        if (*slot) {
            sh_err(sh, "'%c' specifier only allowed with the last value", kind);
            return false;
        }
        *slot = v;
        return true;
    }
    if (t->extend || t->increment) {
        sh_err(sh, "'%c' specifier only allowed with the last value", t->extend ? '/' : '+');
        return false;
    }
    add_stop(t, v);
    return true;
}

bool tabstops_parse(shctx *sh, tabstops *t, const char *s)
{
    bool have = false;
    uint64_t v = 0;
    char kind = 0;
    const char *start = NULL;
    for (; *s; s++) {
        if (*s == ',' || isblank((unsigned char)*s)) {
            if (have && !end_value(sh, t, v, kind))
                return false;
            have = false;
            kind = 0;
        } else if (*s == '/' || *s == '+') {
            if (have) {
                sh_err(sh, "'%c' specifier not at start of number: %s", *s, sh_quote(sh, s));
                return false;
            }
            kind = *s;
        } else if (isdigit((unsigned char)*s)) {
            if (!have) {
                have = true;
                v = 0;
                start = s;
            }
            if (v > (UINT64_MAX - 9) / 10) {
                size_t len = strspn(start, "0123456789");
                char *bad = sh_strndup(start, len);
                sh_err(sh, "tab stop is too large %s", sh_quote(sh, bad));
                free(bad);
                return false;
            }
            v = v * 10 + (uint64_t)(*s - '0');
        } else {
            sh_err(sh, "tab size contains invalid character(s): %s", sh_quote(sh, s));
            return false;
        }
    }
    return !have || end_value(sh, t, v, kind);
}

bool tabstops_finish(shctx *sh, tabstops *t)
{
    uint64_t prev = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->list[i] == 0) {
            sh_err(sh, "tab size cannot be 0");
            return false;
        }
        if (t->list[i] <= prev) {
            sh_err(sh, "tab sizes must be ascending");
            return false;
        }
        prev = t->list[i];
    }
    if (t->extend && t->increment) {
        sh_err(sh, "'/' specifier is mutually exclusive with '+'");
        return false;
    }
    if (t->n == 0)
        t->size = t->extend ? t->extend : t->increment ? t->increment : 8;
    else if (t->n == 1 && !t->extend && !t->increment)
        t->size = t->list[0];
    else
        t->size = 0;
    return true;
}

uint64_t tabstops_next(const tabstops *t, uint64_t column, size_t *index, bool *last)
{
    *last = false;
    if (t->size)
        return column + (t->size - column % t->size);
    for (; *index < t->n; (*index)++)
        if (column < t->list[*index])
            return t->list[*index];
    if (t->extend)
        return column + (t->extend - column % t->extend);
    if (t->increment)
        return column + (t->increment - (column - t->list[t->n - 1]) % t->increment);
    *last = true;
    return 0;
}

void tabstops_free(tabstops *t)
{
    free(t->list);
    t->list = NULL;
    t->n = 0;
}
