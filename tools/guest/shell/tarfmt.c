/* tar headers (tarfmt.h), from POSIX.1-2008's pax/ustar description and
 * GNU tar's manual for its long-name ('L', 'K') members. */
#include "tarfmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A numeric field: octal digits (spaces and NULs around them), or GNU's
 * base-256 form (first byte 0x80) for values octal cannot hold. */
static bool parse_num(const unsigned char *f, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (f[0] & 0x80) {
        if (f[0] != 0x80)
            return false; /* negative base-256: not a size or time we take */
        for (size_t i = 1; i < n; i++) {
            if (v >> 56)
                return false;
            v = v << 8 | f[i];
        }
        *out = v;
        return true;
    }
    size_t i = 0;
    while (i < n && (f[i] == ' ' || f[i] == 0))
        i++;
    if (i == n) {
        *out = 0;
        return true;
    }
    for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
        if (v >> 60)
            return false;
        v = v << 3 | (uint64_t)(f[i] - '0');
    }
    for (; i < n; i++)
        if (f[i] != ' ' && f[i] != 0)
            return false;
    *out = v;
    return true;
}

static void field_str(sh_buf *b, const unsigned char *f, size_t n)
{
    size_t len = 0;
    while (len < n && f[len])
        len++;
    sh_buf_add(b, f, len);
}

int tar_parse_header(const unsigned char *h, tar_entry *e)
{
    bool zero = true;
    for (size_t i = 0; i < TAR_BLOCK && zero; i++)
        zero = h[i] == 0;
    if (zero)
        return TAR_HDR_ZERO;
    uint64_t sum = 0, want;
    int64_t ssum = 0;
    for (size_t i = 0; i < TAR_BLOCK; i++) {
        unsigned char c = (i >= 148 && i < 156) ? ' ' : h[i];
        sum += c;
        ssum += (signed char)c;
    }
    if (!parse_num(h + 148, 8, &want) || (want != sum && (int64_t)want != ssum))
        return TAR_HDR_BAD;
    uint64_t v;
    e->type = h[156] ? (char)h[156] : '0';
    e->name.len = e->link.len = e->uname.len = e->gname.len = 0;
    bool ustar = memcmp(h + 257, "ustar", 5) == 0;
    if (ustar && h[345] && memcmp(h + 257, "ustar\0", 6) == 0) {
        field_str(&e->name, h + 345, 155); /* POSIX: prefix "/" name */
        sh_buf_addc(&e->name, '/');
    }
    field_str(&e->name, h, 100);
    field_str(&e->link, h + 157, 100);
    if (ustar) {
        field_str(&e->uname, h + 265, 32);
        field_str(&e->gname, h + 297, 32);
    }
    if (!parse_num(h + 100, 8, &v))
        return TAR_HDR_BAD;
    e->mode = (unsigned)(v & 07777);
    if (!parse_num(h + 108, 8, &e->uid) || !parse_num(h + 116, 8, &e->gid) ||
        !parse_num(h + 124, 12, &e->size) || !parse_num(h + 136, 12, &v))
        return TAR_HDR_BAD;
    e->mtime = (int64_t)v;
    if (e->size > ((uint64_t)1 << 62))
        return TAR_HDR_BAD;
    /* Links, directories and devices carry no data, whatever size says. */
    if (e->type == '1' || e->type == '2' || e->type == '3' || e->type == '4' ||
        e->type == '5' || e->type == '6')
        e->size = 0;
    return TAR_HDR_OK;
}

bool tar_apply_pax(const char *d, size_t n, tar_entry *e)
{
    size_t i = 0;
    while (i < n) {
        /* "LEN key=value\n", LEN counting the whole record */
        size_t len = 0, j = i;
        while (j < n && d[j] >= '0' && d[j] <= '9' && len < n)
            len = len * 10 + (size_t)(d[j++] - '0');
        if (j == i || j >= n || d[j] != ' ' || len < 5 || len > n - i || d[i + len - 1] != '\n')
            return false;
        const char *key = d + j + 1, *end = d + i + len - 1;
        const char *eq = memchr(key, '=', (size_t)(end - key));
        if (!eq)
            return false;
        size_t klen = (size_t)(eq - key), vlen = (size_t)(end - eq - 1);
        const char *val = eq + 1;
#define KEY(k) (klen == sizeof k - 1 && memcmp(key, k, klen) == 0)
        if (KEY("path")) {
            e->name.len = 0;
            sh_buf_add(&e->name, val, strnlen(val, vlen));
        } else if (KEY("linkpath")) {
            e->link.len = 0;
            sh_buf_add(&e->link, val, strnlen(val, vlen));
        } else if (KEY("uname")) {
            e->uname.len = 0;
            sh_buf_add(&e->uname, val, strnlen(val, vlen));
        } else if (KEY("gname")) {
            e->gname.len = 0;
            sh_buf_add(&e->gname, val, strnlen(val, vlen));
        } else if (KEY("size") || KEY("mtime")) {
            uint64_t v = 0;
            size_t k = 0;
            for (; k < vlen && val[k] >= '0' && val[k] <= '9'; k++) {
                if (v > (UINT64_MAX - 9) / 10)
                    return false;
                v = v * 10 + (uint64_t)(val[k] - '0');
            }
            if (k == 0 || (k < vlen && val[k] != '.'))
                return false;
            if (KEY("size")) {
                if (v > ((uint64_t)1 << 62))
                    return false;
                e->size = v;
            } else {
                e->mtime = (int64_t)(v > INT64_MAX ? INT64_MAX : v);
            }
        }
#undef KEY
        i += len;
    }
    return true;
}

static void put_octal(unsigned char *f, size_t n, uint64_t v)
{
    /* n-1 digits and a NUL, as GNU and POSIX write them */
    for (size_t i = n - 1; i-- > 0;) {
        f[i] = (unsigned char)('0' + (v & 7));
        v >>= 3;
    }
    f[n - 1] = 0;
}

static void pax_record(sh_buf *b, const char *key, const char *val, size_t vlen)
{
    /* the length counts its own digits: find the fixed point */
    size_t base = strlen(key) + vlen + 3, len = base + 1;
    char digits[24];
    for (;;) {
        size_t d = (size_t)snprintf(digits, sizeof digits, "%zu", len);
        if (base + d == len)
            break;
        len = base + d;
    }
    sh_buf_printf(b, "%zu %s=", len, key);
    sh_buf_add(b, val, vlen);
    sh_buf_addc(b, '\n');
}

static void one_header(const tar_entry *e, char type, const char *name, size_t nlen,
                       const char *prefix, size_t plen, const char *link, size_t llen,
                       uint64_t size, sh_buf *out)
{
    unsigned char h[TAR_BLOCK];
    memset(h, 0, sizeof h);
    memcpy(h, name, nlen);
    put_octal(h + 100, 8, e->mode);
    put_octal(h + 108, 8, e->uid);
    put_octal(h + 116, 8, e->gid);
    put_octal(h + 124, 12, size);
    put_octal(h + 136, 12, e->mtime < 0 ? 0 : (uint64_t)e->mtime);
    h[156] = (unsigned char)type;
    memcpy(h + 157, link, llen);
    memcpy(h + 257, "ustar\0" "00", 8);
    memcpy(h + 265, e->uname.data ? e->uname.data : "", e->uname.len < 32 ? e->uname.len : 31);
    memcpy(h + 297, e->gname.data ? e->gname.data : "", e->gname.len < 32 ? e->gname.len : 31);
    put_octal(h + 329, 8, 0);
    put_octal(h + 337, 8, 0);
    memcpy(h + 345, prefix, plen);
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (size_t i = 0; i < TAR_BLOCK; i++)
        sum += h[i];
    put_octal(h + 148, 7, sum);
    h[155] = ' ';
    sh_buf_add(out, h, sizeof h);
}

void tar_build_header(const tar_entry *e, sh_buf *out)
{
    const char *name = e->name.data ? e->name.data : "";
    const char *link = e->link.data ? e->link.data : "";
    size_t nlen = e->name.len, llen = e->link.len, split = 0;
    /* ustar holds a name of up to 100 bytes, or a prefix of up to 155 and
     * a name of up to 100 split at a '/'. */
    bool fits = nlen <= 100;
    if (!fits && nlen <= 256) {
        for (size_t i = nlen - 1; i > 0; i--) {
            if (name[i] == '/' && i <= 155 && nlen - i - 1 <= 100 && nlen - i - 1 > 0) {
                split = i;
                fits = true;
                break;
            }
        }
    }
    bool big = e->size >= ((uint64_t)1 << 33);
    if (!fits || llen > 100 || big) {
        sh_buf pax = {0};
        if (!fits)
            pax_record(&pax, "path", name, nlen);
        if (llen > 100)
            pax_record(&pax, "linkpath", link, llen);
        if (big) {
            char num[24];
            int k = snprintf(num, sizeof num, "%llu", (unsigned long long)e->size);
            pax_record(&pax, "size", num, (size_t)k);
        }
        /* GNU tar names pax headers "DIR/PaxHeaders/NAME"; any name will do */
        tar_entry x = *e;
        x.mode = 0644;
        one_header(&x, 'x', "././@PaxHeader", 14, "", 0, "", 0, pax.len, out);
        sh_buf_add(out, pax.data, pax.len);
        size_t pad = (TAR_BLOCK - pax.len % TAR_BLOCK) % TAR_BLOCK;
        static const char zeros[TAR_BLOCK] = {0};
        sh_buf_add(out, zeros, pad);
        sh_buf_free(&pax);
    }
    if (fits && split)
        one_header(e, e->type, name + split + 1, nlen - split - 1, name, split,
                   link, llen > 100 ? 100 : llen, big ? 0 : e->size, out);
    else
        one_header(e, e->type, name, nlen > 100 ? 100 : nlen, "", 0, link, llen > 100 ? 100 : llen,
                   big ? 0 : e->size, out);
}

void tar_entry_free(tar_entry *e)
{
    sh_buf_free(&e->name);
    sh_buf_free(&e->link);
    sh_buf_free(&e->uname);
    sh_buf_free(&e->gname);
}
