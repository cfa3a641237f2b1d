/* buf.c: allocation that never returns NULL, and the growable buffer.
 * Running out of memory ends the run with a result saying so (sh_oom in
 * main.c): the shell never works on with a half-built string. */
#include "shell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *sh_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        sh_oom();
    return p;
}

void *sh_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        sh_oom();
    return p;
}

void *sh_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        sh_oom();
    return q;
}

char *sh_strndup(const char *s, size_t n)
{
    char *d = sh_malloc(n + 1);
    if (n)
        memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *sh_strdup(const char *s)
{
    return sh_strndup(s, strlen(s));
}

void sh_buf_reserve(sh_buf *b, size_t extra)
{
    if (extra > SIZE_MAX / 2 - b->len)
        sh_oom();
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->data = sh_realloc(b->data, cap);
    b->cap = cap;
}

void sh_buf_add(sh_buf *b, const void *p, size_t n)
{
    sh_buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
}

void sh_buf_addc(sh_buf *b, char c)
{
    if (b->len + 1 < b->cap) {
        b->data[b->len++] = c;
        b->data[b->len] = 0;
        return;
    }
    sh_buf_add(b, &c, 1);
}

void sh_buf_adds(sh_buf *b, const char *s)
{
    sh_buf_add(b, s, strlen(s));
}

void sh_buf_vprintf(sh_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        sh_buf_add(b, small, (size_t)n);
        return;
    }
    sh_buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void sh_buf_printf(sh_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sh_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

char *sh_buf_take(sh_buf *b)
{
    char *d = b->data ? b->data : sh_strdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

void sh_buf_free(sh_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void sh_strv_free(char **v)
{
    if (!v)
        return;
    for (char **p = v; *p; p++)
        free(*p);
    free(v);
}
