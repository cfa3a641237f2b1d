/* version.c: GNU's version order (filevercmp), for sort -V and ls -v,
 * written from its documented rules: names are compared as runs of
 * non-digits (letters before other characters, ~ before everything, the
 * end before all) and numbers (by value); ".", ".." and hidden names come
 * first; file suffixes like ".tar.gz" count only when the rest is equal. */
#include "shell.h"

#include <ctype.h>
#include <limits.h>

static int vorder(unsigned char c)
{
    if (isdigit(c))
        return 0;
    if (isalpha(c))
        return c;
    if (c == '~')
        return -1;
    return (int)c + UCHAR_MAX + 1;
}

static int verrevcmp(const char *s1, size_t n1, const char *s2, size_t n2)
{
    size_t p1 = 0, p2 = 0;
    while (p1 < n1 || p2 < n2) {
        int first_diff = 0;
        while ((p1 < n1 && !isdigit((unsigned char)s1[p1])) || (p2 < n2 && !isdigit((unsigned char)s2[p2]))) {
            int c1 = p1 == n1 ? 0 : vorder((unsigned char)s1[p1]);
            int c2 = p2 == n2 ? 0 : vorder((unsigned char)s2[p2]);
            if (c1 != c2)
                return c1 - c2;
            p1++;
            p2++;
        }
        while (p1 < n1 && s1[p1] == '0')
            p1++;
        while (p2 < n2 && s2[p2] == '0')
            p2++;
        while (p1 < n1 && p2 < n2 && isdigit((unsigned char)s1[p1]) && isdigit((unsigned char)s2[p2])) {
            if (!first_diff)
                first_diff = s1[p1] - s2[p2];
            p1++;
            p2++;
        }
        if (p1 < n1 && isdigit((unsigned char)s1[p1]))
            return 1;
        if (p2 < n2 && isdigit((unsigned char)s2[p2]))
            return -1;
        if (first_diff)
            return first_diff;
    }
    return 0;
}

/* The length of s without its file suffixes, (\.[A-Za-z~][A-Za-z0-9~]*)*$ */
static size_t prefix_len(const char *s, size_t n)
{
    size_t prefix = 0;
    for (size_t i = 0; i < n;) {
        i++;
        prefix = i;
        while (i + 1 < n && s[i] == '.' && (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '~'))
            for (i += 2; i < n && (isalnum((unsigned char)s[i]) || s[i] == '~'); i++)
                ;
    }
    return prefix;
}

int sh_filevercmp(const char *a, size_t an, const char *b, size_t bn)
{
    if (!an)
        return bn ? -1 : 0;
    if (!bn)
        return 1;
    if (a[0] == '.') {
        if (b[0] != '.')
            return -1;
        bool adot = an == 1, bdot = bn == 1;
        if (adot)
            return bdot ? 0 : -1;
        if (bdot)
            return 1;
        bool add = an == 2 && a[1] == '.', bdd = bn == 2 && b[1] == '.';
        if (add)
            return bdd ? 0 : -1;
        if (bdd)
            return 1;
    } else if (b[0] == '.') {
        return 1;
    }
    size_t ap = prefix_len(a, an), bp = prefix_len(b, bn);
    int r = verrevcmp(a, ap, b, bp);
    if (r || (ap == an && bp == bn))
        return r;
    return verrevcmp(a, an, b, bn);
}
