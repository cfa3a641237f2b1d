/* Character references (entities.h). */
#include <string.h>

#include "charset.h"
#include "entities.h"

/* Longest name in the list (CounterClockwiseContourIntegral) */
#define LONGEST_NAME 31
/* Longest legacy name (frac34, middot, plusmn, ...) */
#define LONGEST_LEGACY 6

const wf_entity *wf_entity_find(const char *s, size_t n)
{
    size_t lo = 0, hi = wf_entity_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *name = wf_entities[mid].name;
        size_t k = strlen(name);
        int c = memcmp(s, name, n < k ? n : k);
        if (c == 0)
            c = n < k ? -1 : n > k ? 1 : 0;
        if (c == 0)
            return &wf_entities[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int hex_value(char c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* What a numeric reference's value stands for (HTML's table). */
static uint32_t numeric_code_point(uint32_t v)
{
    if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0xFFFD;
    if (v >= 0x80 && v <= 0x9F)
        return wf_cp1252_c1[v - 0x80];
    return v;
}

static bool add_entity(wt_buf *out, const wf_entity *e)
{
    return wt_utf8_add(out, e->cp1) && (!e->cp2 || wt_utf8_add(out, e->cp2));
}

/* The reference at s[i] == '&': appends what it stands for and returns the
 * index after it, or returns i when it is not one. */
static size_t reference(wt_buf *out, const char *s, size_t n, size_t i, bool attribute)
{
    size_t j = i + 1;
    if (j < n && s[j] == '#') {
        size_t k = j + 1;
        bool hex = k < n && (s[k] == 'x' || s[k] == 'X');
        if (hex)
            k++;
        size_t digits = k;
        uint32_t v = 0;
        for (; k < n; k++) {
            int d = hex ? hex_value(s[k]) : (is_digit(s[k]) ? s[k] - '0' : -1);
            if (d < 0)
                break;
            v = v * (hex ? 16 : 10) + (uint32_t)d;
            if (v > 0x110000)
                v = 0x110000; /* saturates: any longer run is past U+10FFFF too */
        }
        if (k == digits)
            return i;
        if (k < n && s[k] == ';')
            k++;
        wt_utf8_add(out, numeric_code_point(v));
        return k;
    }
    size_t k = j;
    while (k < n && k - j <= LONGEST_NAME && is_alnum(s[k]))
        k++;
    size_t len = k - j;
    if (len && len <= LONGEST_NAME && k < n && s[k] == ';') {
        const wf_entity *e = wf_entity_find(s + j, len);
        if (e) {
            add_entity(out, e);
            return k + 1;
        }
    }
    /* the longest legacy name the text starts with */
    for (size_t l = len < LONGEST_LEGACY ? len : LONGEST_LEGACY; l >= 2; l--) {
        const wf_entity *e = wf_entity_find(s + j, l);
        if (!e || !e->legacy)
            continue;
        if (attribute && j + l < n && (s[j + l] == '=' || is_alnum(s[j + l])))
            return i;
        add_entity(out, e);
        return j + l;
    }
    return i;
}

bool wf_decode_refs(wt_buf *out, const char *s, size_t n, bool attribute)
{
    size_t run = 0, i = 0;
    while (i < n) {
        const char *amp = memchr(s + i, '&', n - i);
        if (!amp)
            break;
        i = (size_t)(amp - s);
        wt_buf_add(out, s + run, i - run);
        size_t next = reference(out, s, n, i, attribute);
        if (next == i) { /* not a reference: the '&' is text */
            wt_buf_addc(out, '&');
            next = i + 1;
        }
        run = i = next;
    }
    return wt_buf_add(out, s + run, n - run);
}
