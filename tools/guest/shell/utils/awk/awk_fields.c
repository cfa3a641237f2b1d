/* awk_fields.c: the record ($0) and its fields. A record is split only
 * when a field or NF is used, with the FS it was read under (POSIX: a new
 * FS applies from the next record); a field stays a slice of the record
 * until it is used or assigned. Assigning a field or NF rebuilds $0 with
 * OFS; assigning $0 splits again. */
#include "awk.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void fields_reset(awk_state *a)
{
    for (size_t i = 1; i <= a->nf && i < a->capfields; i++)
        if (a->fields[i].made)
            aval_free(&a->fields[i].v);
    a->nf = 0;
}

static void fields_reserve(awk_state *a, size_t n)
{
    if (n + 1 >= a->capfields) {
        size_t cap = a->capfields ? a->capfields : 16;
        while (cap <= n + 1)
            cap *= 2;
        a->fields = sh_realloc(a->fields, cap * sizeof *a->fields);
        memset(a->fields + a->capfields, 0, (cap - a->capfields) * sizeof *a->fields);
        a->capfields = cap;
    }
}

static void set_nf_var(awk_state *a)
{
    acell *c = &a->globals[V_NF];
    aval_free(&c->v);
    c->kind = K_SCALAR;
    c->v = aval_num((double)a->nf);
}

static astr *cur_fs(awk_state *a)
{
    acell *c = &a->globals[V_FS];
    if (c->kind == K_SCALAR && c->v.flags)
        return aval_to_str(a, &c->v, false);
    return astr_new(" ", 1);
}

void awk_set_record(awk_state *a, astr *rec, bool from_input)
{
    fields_reset(a);
    astr_unref(a->record);
    a->record = rec;
    a->record_strnum = from_input;
    a->split_done = false;
    astr_unref(a->split_fs);
    a->split_fs = cur_fs(a);
    acell *rs = &a->globals[V_RS];
    a->paragraph = rs->kind == K_SCALAR && (rs->v.flags & AV_STR) && rs->v.str->len == 0;
    a->split_lazy = a->split_fs->len == 1 && a->split_fs->s[0] != '\\';
    a->split_pos = 0;
    a->split_end = !rec || rec->len == 0;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

static void add_field(awk_state *a, size_t off, size_t len)
{
    fields_reserve(a, a->nf + 1);
    afield *f = &a->fields[++a->nf];
    f->made = false;
    f->off = off;
    f->len = len;
}

/* Splits on until there are `want` fields or the record ends (FS " " or
 * one character: what split_with does, a field at a time). */
static void split_more(awk_state *a, size_t want)
{
    const char *s = a->record->s;
    size_t n = a->record->len, i = a->split_pos;
    char c = a->split_fs->s[0];
    while (a->nf < want && !a->split_end) {
        if (c == ' ') {
            while (i < n && is_space(s[i]))
                i++;
            if (i >= n) {
                a->split_end = true;
                break;
            }
            size_t st = i;
            while (i < n && !is_space(s[i]))
                i++;
            add_field(a, st, i - st);
        } else {
            size_t st = i;
            if (a->paragraph) {
                while (i < n && s[i] != c && s[i] != '\n')
                    i++;
            } else {
                const char *hit = i < n ? rx_memchr(s + i, c, n - i) : NULL;
                i = hit ? (size_t)(hit - s) : n;
            }
            add_field(a, st, i - st);
            if (i >= n)
                a->split_end = true;   /* "a:" ends with an empty field, then no more */
            else
                i++;
        }
    }
    a->split_pos = i;
    if (a->split_end) {
        a->split_done = true;
        set_nf_var(a);
    }
}

/* The splitter: calls emit(ctx, off, len) for each field of s. */
typedef void emit_fn(void *ctx, const char *s, size_t off, size_t len);


static long split_with(awk_state *a, const char *s, size_t n, astr *fs, bool paragraph, emit_fn *emit,
                       void *ctx)
{
    long count = 0;
    if (n == 0)
        return 0;
    if (fs->len == 1 && fs->s[0] == ' ') {
        size_t i = 0;
        for (;;) {
            while (i < n && is_space(s[i]))
                i++;
            if (i >= n)
                break;
            size_t st = i;
            while (i < n && !is_space(s[i]))
                i++;
            emit(ctx, s, st, i - st);
            count++;
        }
        return count;
    }
    if (fs->len == 0) {
        for (size_t i = 0; i < n; i++) {
            if (paragraph && s[i] == '\n')
                continue;
            emit(ctx, s, i, 1);
            count++;
        }
        return count;
    }
    if (fs->len == 1 && fs->s[0] != '\\') {
        char c = fs->s[0];
        size_t st = 0;
        for (size_t i = 0; i < n; i++)
            if (s[i] == c || (paragraph && s[i] == '\n')) {
                emit(ctx, s, st, i - st);
                count++;
                st = i + 1;
            }
        emit(ctx, s, st, n - st);
        return count + 1;
    }
    astr *pat = astr_ref(fs);
    if (fs->len == 1) {        /* a lone backslash is itself */
        astr_unref(pat);
        pat = astr_new("\\\\", 2);
    }
    if (paragraph) {
        sh_buf b = {0};
        sh_buf_adds(&b, "(");
        sh_buf_add(&b, pat->s, pat->len);
        sh_buf_adds(&b, ")|\n");
        astr_unref(pat);
        pat = astr_new(b.data, b.len);
        sh_buf_free(&b);
    }
    rx_prog *re = awk_rx_dynamic(a, pat);
    astr_unref(pat);
    if (!re)
        return -1;
    rx_iter it = RX_ITER_INIT;
    rx_span m;
    size_t st = 0;
    while (rx_find_next(re, s, n, &it, &m, 1)) {
        if (m.end == m.start)
            continue;   /* an empty match separates nothing */
        emit(ctx, s, st, m.start - st);
        count++;
        st = m.end;
    }
    emit(ctx, s, st, n - st);
    return count + 1;
}

static void emit_field(void *ctx, const char *s, size_t off, size_t len)
{
    (void)s;
    awk_state *a = ctx;
    fields_reserve(a, a->nf + 1);
    afield *f = &a->fields[++a->nf];
    f->made = false;
    f->off = off;
    f->len = len;
}

void awk_split_record(awk_state *a)
{
    if (a->split_done)
        return;
    if (a->split_lazy) {
        if (!a->record) {
            a->split_done = true;
            set_nf_var(a);
            return;
        }
        split_more(a, (size_t)-1);
        return;
    }
    a->split_done = true;
    fields_reset(a);
    astr *fs = a->split_fs ? astr_ref(a->split_fs) : astr_new(" ", 1);
    astr *rec = a->record;
    if (rec && split_with(a, rec->s, rec->len, fs, a->paragraph, emit_field, a) < 0)
        a->nf = 0;
    astr_unref(fs);
    set_nf_var(a);
}

typedef struct {
    aarr *arr;
    long k;
} split_ctx;

static void emit_elem(void *ctx, const char *s, size_t off, size_t len)
{
    split_ctx *c = ctx;
    char key[24];
    size_t kn = sh_fmt_u64(key, (uint64_t)++c->k);
    aelem *e = aarr_get(c->arr, key, kn, true);
    aval_free(&e->v);
    e->v = aval_strnum(astr_new(s + off, len));
}

long awk_split_into(awk_state *a, const char *s, size_t n, astr *fs, bool paragraph, aarr *out)
{
    split_ctx c = {out, 0};
    return split_with(a, s, n, fs, paragraph, emit_elem, &c);
}

static void make_field(awk_state *a, size_t i)
{
    afield *f = &a->fields[i];
    if (!f->made) {
        f->v = aval_strnum(astr_new(a->record->s + f->off, f->len));
        f->made = true;
    }
}

aval awk_get_field(awk_state *a, size_t i)
{
    if (i == 0) {
        if (!a->record)
            return (aval){0, 0, NULL};
        return a->record_strnum ? aval_strnum(astr_ref(a->record)) : aval_str(astr_ref(a->record));
    }
    if (!a->split_done && a->split_lazy && a->record && i > a->nf)
        split_more(a, i);
    if (i > a->nf)
        awk_split_record(a);
    if (i > a->nf)
        return (aval){0, 0, NULL};
    make_field(a, i);
    return aval_copy(&a->fields[i].v);
}

bool awk_field_slice(awk_state *a, size_t i, const char **p, size_t *n)
{
    if (!a->record)
        return false;
    if (i == 0) {
        *p = a->record->s;
        *n = a->record->len;
        return true;
    }
    if (!a->split_done && a->split_lazy && i > a->nf)
        split_more(a, i);
    if (i > a->nf || a->fields[i].made)
        return false;
    *p = a->record->s + a->fields[i].off;
    *n = a->fields[i].len;
    return true;
}

void awk_rebuild_record(awk_state *a)
{
    astr *ofs = aval_to_str(a, &a->globals[V_OFS].v, false);
    sh_buf b = {0};
    sh_buf_reserve(&b, a->record ? a->record->len + 16 : 16);
    for (size_t i = 1; i <= a->nf; i++) {
        if (i > 1)
            sh_buf_add(&b, ofs->s, ofs->len);
        afield *f = &a->fields[i];
        if (f->made) {
            astr *s = aval_to_str(a, &f->v, false);
            sh_buf_add(&b, s->s, s->len);
            astr_unref(s);
        } else {
            size_t at = b.len;
            sh_buf_add(&b, a->record->s + f->off, f->len);
            f->off = at;   /* the slice moves into the new record */
        }
    }
    astr_unref(ofs);
    astr *rec = astr_new(b.data ? b.data : "", b.len);
    sh_buf_free(&b);
    astr_unref(a->record);
    a->record = rec;
    a->record_strnum = false;
}

void awk_set_field(awk_state *a, size_t i, aval v)
{
    if (i == 0) {
        astr *s = aval_to_str(a, &v, false);
        aval_free(&v);
        awk_set_record(a, s, false);
        return;
    }
    awk_split_record(a);
    if (i > a->nf) {
        fields_reserve(a, i);
        for (size_t k = a->nf + 1; k <= i; k++) {
            a->fields[k].made = true;
            a->fields[k].v = aval_str(astr_new("", 0));
        }
        a->nf = i;
        set_nf_var(a);
    }
    make_field(a, i);
    aval_free(&a->fields[i].v);
    a->fields[i].v = v;
    awk_rebuild_record(a);
}

void awk_set_nf(awk_state *a, double d)
{
    awk_split_record(a);
    if (d < 0 || isnan(d)) {
        awk_fatal(a, "NF set to negative value");
        return;
    }
    if (d > 10000000) {
        awk_fatal(a, "NF set to %.0f: too many fields (limit 10000000)", d);
        return;
    }
    size_t n = (size_t)d;
    if (n > a->nf) {
        fields_reserve(a, n);
        for (size_t k = a->nf + 1; k <= n; k++) {
            a->fields[k].made = true;
            a->fields[k].v = aval_str(astr_new("", 0));
        }
    } else {
        for (size_t k = n + 1; k <= a->nf; k++)
            if (a->fields[k].made)
                aval_free(&a->fields[k].v);
    }
    a->nf = n;
    set_nf_var(a);
    awk_rebuild_record(a);
}
