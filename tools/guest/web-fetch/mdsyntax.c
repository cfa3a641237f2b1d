/* Markdown constructs (mdsyntax.h). */
#include <string.h>

#include "mdsyntax.h"

void md_url(wt_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch <= ' ' || ch == 0x7F || strchr("()<>|\\", ch))
            wt_buf_printf(out, "%%%02X", ch);
        else
            wt_buf_addc(out, (char)ch);
    }
}

/* The longest run of backticks in s. */
static size_t longest_backticks(const char *s, size_t n)
{
    size_t longest = 0, run = 0;
    for (size_t i = 0; i < n; i++) {
        run = s[i] == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    return longest;
}

void md_code_span(wt_buf *out, const char *s, size_t n)
{
    size_t longest = longest_backticks(s, n);
    bool pad = n && (s[0] == '`' || s[n - 1] == '`');
    for (size_t i = 0; i <= longest; i++)
        wt_buf_addc(out, '`');
    if (pad)
        wt_buf_addc(out, ' ');
    wt_buf_add(out, s, n);
    if (pad)
        wt_buf_addc(out, ' ');
    for (size_t i = 0; i <= longest; i++)
        wt_buf_addc(out, '`');
}

void md_code_block(wt_buf *out, const char *s, size_t n, const char *lang)
{
    size_t longest = longest_backticks(s, n);
    size_t fence = longest < 3 ? 3 : longest + 1;
    for (size_t i = 0; i < fence; i++)
        wt_buf_addc(out, '`');
    wt_buf_adds(out, lang);
    wt_buf_addc(out, '\n');
    wt_buf_add(out, s, n);
    wt_buf_addc(out, '\n');
    for (size_t i = 0; i < fence; i++)
        wt_buf_addc(out, '`');
}
