/* echo: bash's builtin echo. Options only when an argument is made of
 * -n, -e, -E letters alone (so "-nx" and "--" are printed); -e escapes:
 * \a \b \c (stop) \e \E \f \n \r \t \v \\ \0NNN \xHH \uHHHH \UHHHHHHHH. */
#include "../shell.h"

#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void add_utf8(sh_buf *b, unsigned v)
{
    if (v < 0x80) {
        sh_buf_addc(b, (char)v);
    } else if (v < 0x800) {
        sh_buf_addc(b, (char)(0xc0 | (v >> 6)));
        sh_buf_addc(b, (char)(0x80 | (v & 0x3f)));
    } else if (v < 0x10000) {
        sh_buf_addc(b, (char)(0xe0 | (v >> 12)));
        sh_buf_addc(b, (char)(0x80 | ((v >> 6) & 0x3f)));
        sh_buf_addc(b, (char)(0x80 | (v & 0x3f)));
    } else if (v < 0x110000) {
        sh_buf_addc(b, (char)(0xf0 | (v >> 18)));
        sh_buf_addc(b, (char)(0x80 | ((v >> 12) & 0x3f)));
        sh_buf_addc(b, (char)(0x80 | ((v >> 6) & 0x3f)));
        sh_buf_addc(b, (char)(0x80 | (v & 0x3f)));
    }
}

/* Appends s with escapes done; false after \c (nothing more is printed). */
static bool unescape(sh_buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s != '\\' || !s[1]) {
            sh_buf_addc(b, *s);
            continue;
        }
        char c = *++s;
        unsigned v;
        int k, d;
        switch (c) {
        case 'a': sh_buf_addc(b, '\a'); break;
        case 'b': sh_buf_addc(b, '\b'); break;
        case 'c': return false;
        case 'e':
        case 'E': sh_buf_addc(b, 27); break;
        case 'f': sh_buf_addc(b, '\f'); break;
        case 'n': sh_buf_addc(b, '\n'); break;
        case 'r': sh_buf_addc(b, '\r'); break;
        case 't': sh_buf_addc(b, '\t'); break;
        case 'v': sh_buf_addc(b, '\v'); break;
        case '\\': sh_buf_addc(b, '\\'); break;
        case '0':
            v = 0;
            for (k = 0; k < 3 && s[1] >= '0' && s[1] <= '7'; k++)
                v = v * 8 + (unsigned)(*++s - '0');
            sh_buf_addc(b, (char)v);
            break;
        case 'x':
            v = 0;
            for (k = 0; k < 2 && (d = hexval(s[1])) >= 0; k++, s++)
                v = v * 16 + (unsigned)d;
            if (k)
                sh_buf_addc(b, (char)v);
            else
                sh_buf_adds(b, "\\x");
            break;
        case 'u':
        case 'U':
            v = 0;
            for (k = 0; k < (c == 'u' ? 4 : 8) && (d = hexval(s[1])) >= 0; k++, s++)
                v = v * 16 + (unsigned)d;
            if (k)
                add_utf8(b, v);
            else {
                sh_buf_addc(b, '\\');
                sh_buf_addc(b, c);
            }
            break;
        default:
            sh_buf_addc(b, '\\');
            sh_buf_addc(b, c);
        }
    }
    return true;
}

int util_echo(shctx *sh, int argc, char **argv)
{
    bool newline = true, escapes = false;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !a[1] || strspn(a + 1, "neE") != strlen(a + 1))
            break;
        for (const char *p = a + 1; *p; p++) {
            if (*p == 'n')
                newline = false;
            else if (*p == 'e')
                escapes = true;
            else
                escapes = false;
        }
    }
    sh_buf b = {0};
    bool more = true;
    for (int k = i; k < argc && more; k++) {
        if (k > i)
            sh_buf_addc(&b, ' ');
        if (escapes)
            more = unescape(&b, argv[k]);
        else
            sh_buf_adds(&b, argv[k]);
    }
    if (newline && more)
        sh_buf_addc(&b, '\n');
    bool ok = sh_write(sh_stdout(sh), b.data ? b.data : "", b.len);
    sh_buf_free(&b);
    return ok ? 0 : 1;
}
