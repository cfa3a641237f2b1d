/* Command-line values: parsing arguments for an export's parameters and
 * printing its results so that they read back exactly. */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cli_type_name(wb_type type)
{
    switch (type) {
    case WB_I32: return "i32";
    case WB_I64: return "i64";
    case WB_F32: return "f32";
    case WB_F64: return "f64";
    case WB_V128: return "v128";
    case WB_FUNCREF: return "funcref";
    case WB_EXTERNREF: return "externref";
    case WB_EXNREF: return "exnref";
    }
    return "?";
}

/* Integers: signed decimal, or unsigned decimal up to the type's width (so
 * 4294967295 is a valid i32 spelling of -1). */
static bool parse_int(const char *text, unsigned bits, int64_t *out)
{
    if (!*text)
        return false;
    errno = 0;
    char *end;
    if (text[0] == '-') {
        long long v = strtoll(text, &end, 10);
        if (errno || *end)
            return false;
        if (bits == 32 && v < INT32_MIN)
            return false;
        *out = v;
        return true;
    }
    if (text[0] < '0' || text[0] > '9')
        return false;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end)
        return false;
    if (bits == 32 && v > UINT32_MAX)
        return false;
    *out = (int64_t)v;
    return true;
}

/* Whether a float literal's digits are not all zero ("0.0e5", "-0x0p3" are
 * zero; "1e-50" is not, whatever it rounds to). */
static bool literal_nonzero(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    if (hex)
        s += 2;
    for (; *s && !(hex ? (*s == 'p' || *s == 'P') : (*s == 'e' || *s == 'E')); s++)
        if (hex ? isxdigit((unsigned char)*s) && *s != '0' : *s >= '1' && *s <= '9')
            return true;
    return false;
}

/* A float literal read whole (no leading space, nothing after), then judged:
 * a magnitude the type cannot hold is refused rather than made inf, and a
 * literal that is not 0 rather than made 0. "inf" and "nan" stay allowed. */
static const char *parse_float(const char *text, bool f32, double *out)
{
    const char *not_valid = f32 ? "is not a valid f32" : "is not a valid f64";
    if (!*text || isspace((unsigned char)*text))
        return not_valid;
    char *end;
    double v = f32 ? (double)strtof(text, &end) : strtod(text, &end);
    if (*end)
        return not_valid;
    const char *digits = text + (*text == '-' || *text == '+');
    if (isinf(v) && tolower((unsigned char)*digits) != 'i')
        return f32 ? "is out of range for f32 (beyond +-3.40282347e+38; write inf for infinity)"
                   : "is out of range for f64 (beyond +-1.7976931348623157e+308; write inf for "
                     "infinity)";
    if (v == 0 && literal_nonzero(text))
        return f32 ? "is too small for f32: it would be 0 (the smallest is 1.40129846e-45)"
                   : "is too small for f64: it would be 0 (the smallest is "
                     "4.9406564584124654e-324)";
    *out = v;
    return NULL;
}

bool cli_parse_value(const char *text, wb_type type, wb_value *out, const char **why)
{
    int64_t i;
    double d;
    out->type = type;
    *why = NULL;
    switch (type) {
    case WB_I32:
        if (!parse_int(text, 32, &i)) {
            *why = "is not a valid i32";
            return false;
        }
        out->of.i32 = (int32_t)(uint32_t)i;
        return true;
    case WB_I64:
        if (!parse_int(text, 64, &i)) {
            *why = "is not a valid i64";
            return false;
        }
        out->of.i64 = i;
        return true;
    case WB_F32:
        if ((*why = parse_float(text, true, &d)))
            return false;
        out->of.f32 = (float)d; /* exact: d came from strtof */
        return true;
    case WB_F64:
        if ((*why = parse_float(text, false, &d)))
            return false;
        out->of.f64 = d;
        return true;
    case WB_FUNCREF:
    case WB_EXTERNREF:
    case WB_EXNREF:
        if (strcmp(text, "null") != 0) {
            *why = "is not a valid reference (only null can be given)";
            return false;
        }
        out->of.ext = NULL;
        return true;
    case WB_V128:
        break;
    }
    *why = "cannot be given on the command line (v128)";
    return false;
}

/* NaNs are printed with their sign, and with their payload when it is not
 * the canonical one, so that no information is lost. */
static void format_nan(char *buf, size_t len, bool negative, uint64_t payload, uint64_t canonical)
{
    if (payload == canonical)
        snprintf(buf, len, "%snan", negative ? "-" : "");
    else
        snprintf(buf, len, "%snan:0x%" PRIx64, negative ? "-" : "", payload);
}

void cli_format_value(const wb_value *v, char *buf, size_t len)
{
    switch (v->type) {
    case WB_I32:
        snprintf(buf, len, "%" PRId32, v->of.i32);
        return;
    case WB_I64:
        snprintf(buf, len, "%" PRId64, v->of.i64);
        return;
    case WB_F32: {
        uint32_t bits;
        memcpy(&bits, &v->of.f32, 4);
        if (isnan(v->of.f32)) {
            format_nan(buf, len, bits >> 31, bits & 0x7FFFFF, 0x400000);
            return;
        }
        for (int prec = 1; prec <= 9; prec++) {
            snprintf(buf, len, "%.*g", prec, (double)v->of.f32);
            float back = strtof(buf, NULL);
            if (memcmp(&back, &v->of.f32, 4) == 0)
                return;
        }
        return;
    }
    case WB_F64: {
        uint64_t bits;
        memcpy(&bits, &v->of.f64, 8);
        if (isnan(v->of.f64)) {
            format_nan(buf, len, bits >> 63, bits & 0xFFFFFFFFFFFFFull, 0x8000000000000ull);
            return;
        }
        for (int prec = 1; prec <= 17; prec++) {
            snprintf(buf, len, "%.*g", prec, v->of.f64);
            double back = strtod(buf, NULL);
            if (memcmp(&back, &v->of.f64, 8) == 0)
                return;
        }
        return;
    }
    case WB_FUNCREF:
        snprintf(buf, len, "%s", v->of.func ? "funcref" : "null");
        return;
    case WB_EXTERNREF:
        snprintf(buf, len, "%s", v->of.ext ? "externref" : "null");
        return;
    case WB_EXNREF:
        snprintf(buf, len, "%s", v->of.exn ? "exnref" : "null");
        return;
    case WB_V128: {
        /* the text format's v128.const form, lanes as unsigned hex */
        uint32_t w[4];
        memcpy(w, v->of.v128, 16);
        snprintf(buf, len, "i32x4 0x%08x 0x%08x 0x%08x 0x%08x", (unsigned)w[0], (unsigned)w[1],
                 (unsigned)w[2], (unsigned)w[3]);
        return;
    }
    }
    snprintf(buf, len, "?");
}
