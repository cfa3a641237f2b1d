/* Exact whole numbers from JSON. cJSON keeps a number only as a double, which
 * cannot tell 9007199254740993 from 9007199254740992, nor 4503599627370496.5
 * from 4503599627370496: both pairs read as the same double. A limit must be
 * exactly what was written, so its number is read again from the source text:
 * the document order of cJSON's number items is the order of the number
 * tokens in the text, and the token is then evaluated digit by digit. */
#include "policy_internal.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdint.h>

/* Counts, in document order, the numbers before target; true once reached.
 * Depth is bounded by cJSON's own nesting limit. */
static bool numbers_before(const cJSON *node, const cJSON *target, size_t *count)
{
    if (node == target)
        return true;
    if (cJSON_IsNumber(node))
        (*count)++;
    for (const cJSON *c = node->child; c; c = c->next)
        if (numbers_before(c, target, count))
            return true;
    return false;
}

static bool number_char(char c)
{
    return isdigit((unsigned char)c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/* The k-th number token (from 0) of a JSON text, skipping strings. The
 * literals true, false and null hold no digit or '-'. */
static bool nth_number(const char *text, size_t len, size_t k, const char **tok, size_t *toklen)
{
    size_t i = 0;
    while (i < len) {
        char c = text[i];
        if (c == '"') {
            for (i++; i < len && text[i] != '"'; i++)
                if (text[i] == '\\')
                    i++;
            i++;
        } else if (c == '-' || isdigit((unsigned char)c)) {
            size_t start = i;
            while (i < len && number_char(text[i]))
                i++;
            if (k-- == 0) {
                *tok = text + start;
                *toklen = i - start;
                return true;
            }
        } else {
            i++;
        }
    }
    return false;
}

bool wbp_json_number_text(const cJSON *root, const cJSON *item, const char *text, size_t len,
                          const char **tok, size_t *toklen)
{
    size_t k = 0;
    return cJSON_IsNumber(item) && numbers_before(root, item, &k) &&
           nth_number(text, len, k, tok, toklen);
}

wbp_number wbp_json_exact_uint(const char *s, size_t n, uint64_t max, uint64_t *out)
{
    size_t i = 0;
    bool negative = i < n && s[i] == '-';
    if (negative)
        i++;
    /* The mantissa's digits d[0..m), nfrac of them after the point; first
     * and last are the positions of its first and last nonzero digit. */
    size_t start = i, m = 0, nfrac = 0, first = SIZE_MAX, last = 0;
    bool point = false;
    for (; i < n && (isdigit((unsigned char)s[i]) || (s[i] == '.' && !point)); i++) {
        if (s[i] == '.') {
            point = true;
            continue;
        }
        if (s[i] != '0') {
            if (first == SIZE_MAX)
                first = m;
            last = m;
        }
        m++;
        nfrac += point;
    }
    if (m == 0)
        return WBP_NUMBER_BAD;
    int64_t exp = 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool minus = i < n && s[i] == '-';
        if (i < n && (s[i] == '-' || s[i] == '+'))
            i++;
        if (i >= n || !isdigit((unsigned char)s[i]))
            return WBP_NUMBER_BAD;
        for (; i < n && isdigit((unsigned char)s[i]); i++)
            if (exp < 1000000) /* far beyond any answer but "too large" or "fraction" */
                exp = exp * 10 + (s[i] - '0');
        if (minus)
            exp = -exp;
    }
    if (i != n)
        return WBP_NUMBER_BAD;
    if (first == SIZE_MAX) {
        *out = 0; /* "0", "-0.0", "0e9": zero */
        return WBP_NUMBER_OK;
    }
    if (negative)
        return WBP_NUMBER_NEGATIVE;
    /* value = d[first..last] * 10^scale */
    int64_t scale = exp - (int64_t)nfrac + (int64_t)(m - 1 - last);
    if (scale < 0)
        return WBP_NUMBER_FRACTION;
    if ((int64_t)(last - first + 1) + scale > 19) /* at least 10^19: over any max */
        return WBP_NUMBER_TOO_LARGE;
    uint64_t v = 0;
    size_t d = 0;
    for (i = start; d <= last; i++) {
        if (s[i] == '.')
            continue;
        if (d >= first)
            v = v * 10 + (uint64_t)(s[i] - '0');
        d++;
    }
    for (int64_t e = 0; e < scale; e++) {
        if (v > UINT64_MAX / 10)
            return WBP_NUMBER_TOO_LARGE;
        v *= 10;
    }
    if (v > max)
        return WBP_NUMBER_TOO_LARGE;
    *out = v;
    return WBP_NUMBER_OK;
}
