/* wt_buf: the growable byte buffer everything else builds text in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wbtool.h"

bool wt_buf_reserve(wt_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (extra >= SIZE_MAX / 2 - b->len) { /* room for the NUL and doubling */
        b->failed = true;
        return false;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

bool wt_buf_add(wt_buf *b, const void *p, size_t n)
{
    if (!wt_buf_reserve(b, n))
        return false;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return true;
}

bool wt_buf_addc(wt_buf *b, char c)
{
    return wt_buf_add(b, &c, 1);
}

bool wt_buf_adds(wt_buf *b, const char *s)
{
    return wt_buf_add(b, s, strlen(s));
}

bool wt_buf_vprintf(wt_buf *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    bool ok = n >= 0 && wt_buf_reserve(b, (size_t)n);
    if (ok) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
        b->len += (size_t)n;
    } else {
        b->failed = true;
    }
    va_end(again);
    return ok;
}

bool wt_buf_printf(wt_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = wt_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return ok;
}

void wt_buf_free(wt_buf *b)
{
    free(b->data);
    *b = (wt_buf){0};
}
