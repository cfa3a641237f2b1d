/* Parsing, matching and printing spec-test values. */
#include "spec_value.h"

#include "spec_json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define F32_EXP_MASK 0x7F800000u
#define F32_QUIET 0x00400000u
#define F64_EXP_MASK 0x7FF0000000000000ull
#define F64_QUIET 0x0008000000000000ull

static bool parse_type(const char *s, wb_type *out)
{
    static const struct {
        const char *name;
        wb_type type;
    } types[] = {
        {"i32", WB_I32},         {"i64", WB_I64},         {"f32", WB_F32}, {"f64", WB_F64},
        {"externref", WB_EXTERNREF}, {"funcref", WB_FUNCREF}, {"v128", WB_V128}, {"exnref", WB_EXNREF},
    };
    for (size_t i = 0; s && i < sizeof types / sizeof types[0]; i++) {
        if (strcmp(s, types[i].name) == 0) {
            *out = types[i].type;
            return true;
        }
    }
    return false;
}

const char *spec_type_name(wb_type type)
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

/* Decimal digits only, no sign or spaces, at most max. */
static bool parse_decimal(const char *s, uint64_t max, uint64_t *out)
{
    if (!s || !*s)
        return false;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

/* Fills out from a type and a plain (non-NaN-class) value string. */
static bool parse_plain(wb_type type, const char *s, wb_value *out, char *why, size_t why_len)
{
    uint64_t bits;
    memset(out, 0, sizeof *out);
    out->type = type;
    switch (type) {
    case WB_I32:
    case WB_F32:
        if (!parse_decimal(s, UINT32_MAX, &bits))
            goto bad;
        if (type == WB_I32) {
            out->of.i32 = (int32_t)(uint32_t)bits;
        } else {
            uint32_t b = (uint32_t)bits;
            memcpy(&out->of.f32, &b, sizeof b);
        }
        return true;
    case WB_I64:
    case WB_F64:
        if (!parse_decimal(s, UINT64_MAX, &bits))
            goto bad;
        if (type == WB_I64)
            out->of.i64 = (int64_t)bits;
        else
            memcpy(&out->of.f64, &bits, sizeof bits);
        return true;
    case WB_EXTERNREF:
        if (s && strcmp(s, "null") == 0) {
            out->of.ext = NULL;
            return true;
        }
        if (!parse_decimal(s, UINTPTR_MAX - 1, &bits))
            goto bad;
        out->of.ext = (void *)(uintptr_t)(bits + 1);
        return true;
    case WB_FUNCREF:
        if (s && strcmp(s, "null") == 0) {
            out->of.func = NULL;
            return true;
        }
        snprintf(why, why_len, "funcref value \"%s\" cannot be made by the runner", s ? s : "");
        return false;
    case WB_EXNREF:
        if (s && strcmp(s, "null") == 0) {
            out->of.exn = NULL;
            return true;
        }
        snprintf(why, why_len, "exnref value \"%s\" cannot be made by the runner", s ? s : "");
        return false;
    case WB_V128:
        break; /* parse_v128 */
    }
bad:
    snprintf(why, why_len, "bad %s value \"%.40s\"", spec_type_name(type), s ? s : "(missing)");
    return false;
}

static bool parse_typed(const cJSON *item, wb_type *type, const char **value, char *why,
                        size_t why_len)
{
    if (!cJSON_IsObject(item)) {
        snprintf(why, why_len, "value is not a JSON object");
        return false;
    }
    const char *type_name = spec_json_str(item, "type");
    if (!parse_type(type_name, type)) {
        snprintf(why, why_len, "unknown value type \"%.40s\"", type_name ? type_name : "(missing)");
        return false;
    }
    /* a non-string "value" (v128 lanes are an array: parse_v128) is caught
     * as missing */
    *value = spec_json_str(item, "value");
    return true;
}

/* A v128 value: its lane shape, then each lane's decimal bits into out's 16
 * bytes (little-endian, lane 0 first); with `e`, a float lane may be
 * "nan:canonical" or "nan:arithmetic" (recorded in e->lane_match). */
static bool parse_v128(const cJSON *item, wb_value *out, spec_expect *e, char *why, size_t why_len)
{
    static const struct {
        const char *name;
        uint8_t size;
        bool is_float;
    } shapes[] = {{"i8", 1, false}, {"i16", 2, false}, {"i32", 4, false},
                  {"i64", 8, false}, {"f32", 4, true},  {"f64", 8, true}};
    const char *lt = spec_json_str(item, "lane_type");
    const cJSON *lanes = cJSON_GetObjectItemCaseSensitive(item, "value");
    size_t k = 0;
    while (k < sizeof shapes / sizeof shapes[0] && !(lt && strcmp(lt, shapes[k].name) == 0))
        k++;
    if (k == sizeof shapes / sizeof shapes[0] || !cJSON_IsArray(lanes) ||
        cJSON_GetArraySize(lanes) != 16 / shapes[k].size) {
        snprintf(why, why_len, "bad v128 value (lane_type \"%.10s\", %d lanes)", lt ? lt : "(missing)",
                 cJSON_IsArray(lanes) ? cJSON_GetArraySize(lanes) : -1);
        return false;
    }
    memset(out, 0, sizeof *out);
    out->type = WB_V128;
    uint8_t size = shapes[k].size, n = (uint8_t)(16 / size);
    if (e) {
        e->lanes = n;
        e->lane_size = size;
        e->lane_float = shapes[k].is_float;
    }
    for (uint8_t i = 0; i < n; i++) {
        const cJSON *lane = cJSON_GetArrayItem(lanes, i);
        const char *s = cJSON_IsString(lane) ? lane->valuestring : NULL;
        uint64_t bits = 0;
        if (e)
            e->lane_match[i] = SPEC_MATCH_EXACT;
        if (e && shapes[k].is_float && s && strcmp(s, "nan:canonical") == 0) {
            e->lane_match[i] = SPEC_MATCH_NAN_CANONICAL;
        } else if (e && shapes[k].is_float && s && strcmp(s, "nan:arithmetic") == 0) {
            e->lane_match[i] = SPEC_MATCH_NAN_ARITHMETIC;
        } else if (!parse_decimal(s, size == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * size)) - 1, &bits)) {
            snprintf(why, why_len, "bad v128 lane %u \"%.40s\"", i, s ? s : "(missing)");
            return false;
        }
        memcpy(out->of.v128 + i * size, &bits, size); /* little-endian host (the engine's too) */
    }
    return true;
}

bool spec_parse_arg(const cJSON *item, wb_value *out, char *why, size_t why_len)
{
    wb_type type;
    const char *value;
    if (!parse_typed(item, &type, &value, why, why_len))
        return false;
    if (type == WB_V128)
        return parse_v128(item, out, NULL, why, why_len);
    return parse_plain(type, value, out, why, why_len);
}

void spec_expect_free(spec_expect *e)
{
    for (int k = 0; k < e->nalts; k++)
        spec_expect_free(&e->alts[k]);
    free(e->alts);
    e->alts = NULL;
    e->nalts = 0;
}

/* {"type": "either", "values": [V, ...]}: one choice per value, each a plain
 * expectation (an either inside an either is refused). */
static bool parse_either(const cJSON *item, spec_expect *out, char *why, size_t why_len)
{
    const cJSON *values = cJSON_GetObjectItemCaseSensitive(item, "values");
    int n = cJSON_IsArray(values) ? cJSON_GetArraySize(values) : 0;
    memset(out, 0, sizeof *out);
    if (n == 0) {
        snprintf(why, why_len, "either: no \"values\" array of choices");
        return false;
    }
    out->alts = calloc((size_t)n, sizeof *out->alts);
    if (!out->alts) {
        snprintf(why, why_len, "either: out of memory");
        return false;
    }
    out->match = SPEC_MATCH_EITHER;
    const cJSON *v;
    cJSON_ArrayForEach(v, values)
    {
        const char *t = spec_json_str(v, "type");
        if ((t && strcmp(t, "either") == 0) || !spec_parse_expect(v, &out->alts[out->nalts], why, why_len)) {
            if (t && strcmp(t, "either") == 0)
                snprintf(why, why_len, "either: a choice is itself an either");
            spec_expect_free(out);
            return false;
        }
        out->nalts++;
    }
    out->value.type = out->alts[0].value.type;
    return true;
}

bool spec_parse_expect(const cJSON *item, spec_expect *out, char *why, size_t why_len)
{
    wb_type type;
    const char *value;
    const char *tname = cJSON_IsObject(item) ? spec_json_str(item, "type") : NULL;
    if (tname && strcmp(tname, "either") == 0)
        return parse_either(item, out, why, why_len);
    if (tname && strcmp(tname, "ref.null") == 0) {
        /* `(ref.null)` with no heap type: any null reference (wat/wast.c
         * writes it so); funcref stands in as its type for messages */
        memset(out, 0, sizeof *out);
        out->match = SPEC_MATCH_ANY_NULL;
        out->value.type = WB_FUNCREF;
        return true;
    }
    if (!parse_typed(item, &type, &value, why, why_len))
        return false;
    memset(out, 0, sizeof *out);
    out->value.type = type;
    out->match = SPEC_MATCH_EXACT;
    if (type == WB_V128)
        return parse_v128(item, &out->value, out, why, why_len);
    if ((type == WB_F32 || type == WB_F64) && value && strncmp(value, "nan:", 4) == 0) {
        if (strcmp(value, "nan:canonical") == 0) {
            out->match = SPEC_MATCH_NAN_CANONICAL;
            return true;
        }
        if (strcmp(value, "nan:arithmetic") == 0) {
            out->match = SPEC_MATCH_NAN_ARITHMETIC;
            return true;
        }
    }
    /* `ref.func` (any function) has no value, or one naming no null */
    if (type == WB_FUNCREF && (!value || strcmp(value, "null") != 0)) {
        out->match = SPEC_MATCH_NONNULL_REF;
        return true;
    }
    return parse_plain(type, value, &out->value, why, why_len);
}

static uint32_t f32_bits(float f)
{
    uint32_t b;
    memcpy(&b, &f, sizeof b);
    return b;
}

static uint64_t f64_bits(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

static bool nan_class(spec_match m, uint64_t bits, uint8_t size)
{
    if (size == 4) {
        uint32_t b = (uint32_t)bits;
        return m == SPEC_MATCH_NAN_CANONICAL ? (b & 0x7FFFFFFFu) == (F32_EXP_MASK | F32_QUIET)
                                             : (b & (F32_EXP_MASK | F32_QUIET)) == (F32_EXP_MASK | F32_QUIET);
    }
    return m == SPEC_MATCH_NAN_CANONICAL
               ? (bits & 0x7FFFFFFFFFFFFFFFull) == (F64_EXP_MASK | F64_QUIET)
               : (bits & (F64_EXP_MASK | F64_QUIET)) == (F64_EXP_MASK | F64_QUIET);
}

/* Lane by lane: the same bits, or a NaN of the class a float lane expects. */
static bool v128_matches(const spec_expect *e, const wb_value *got)
{
    for (uint8_t i = 0; i < e->lanes; i++) {
        uint64_t g = 0, w = 0;
        memcpy(&g, got->of.v128 + i * e->lane_size, e->lane_size);
        memcpy(&w, e->value.of.v128 + i * e->lane_size, e->lane_size);
        if (e->lane_match[i] == SPEC_MATCH_EXACT ? g != w : !nan_class(e->lane_match[i], g, e->lane_size))
            return false;
    }
    return true;
}

bool spec_value_matches(const spec_expect *expect, const wb_value *got)
{
    if (expect->match == SPEC_MATCH_EITHER) {
        for (int k = 0; k < expect->nalts; k++)
            if (spec_value_matches(&expect->alts[k], got))
                return true;
        return false;
    }
    if (expect->match == SPEC_MATCH_ANY_NULL)
        return (got->type == WB_FUNCREF && !got->of.func) || (got->type == WB_EXTERNREF && !got->of.ext);
    wb_type type = expect->value.type;
    if (got->type != type)
        return false;
    if (type == WB_V128)
        return v128_matches(expect, got);
    switch (expect->match) {
    case SPEC_MATCH_NAN_CANONICAL:
        if (type == WB_F32)
            return (f32_bits(got->of.f32) & 0x7FFFFFFFu) == (F32_EXP_MASK | F32_QUIET);
        return (f64_bits(got->of.f64) & 0x7FFFFFFFFFFFFFFFull) == (F64_EXP_MASK | F64_QUIET);
    case SPEC_MATCH_NAN_ARITHMETIC:
        if (type == WB_F32)
            return (f32_bits(got->of.f32) & (F32_EXP_MASK | F32_QUIET)) == (F32_EXP_MASK | F32_QUIET);
        return (f64_bits(got->of.f64) & (F64_EXP_MASK | F64_QUIET)) == (F64_EXP_MASK | F64_QUIET);
    case SPEC_MATCH_NONNULL_REF:
        return type == WB_FUNCREF ? got->of.func != NULL
               : type == WB_EXNREF ? got->of.exn != NULL
                                   : got->of.ext != NULL;
    case SPEC_MATCH_EITHER: /* handled above */
    case SPEC_MATCH_ANY_NULL:
    case SPEC_MATCH_EXACT:
        break;
    }
    switch (type) {
    case WB_I32: return got->of.i32 == expect->value.of.i32;
    case WB_I64: return got->of.i64 == expect->value.of.i64;
    case WB_F32: return f32_bits(got->of.f32) == f32_bits(expect->value.of.f32);
    case WB_F64: return f64_bits(got->of.f64) == f64_bits(expect->value.of.f64);
    case WB_FUNCREF: return got->of.func == expect->value.of.func;
    case WB_EXTERNREF: return got->of.ext == expect->value.of.ext;
    case WB_EXNREF: return got->of.exn == expect->value.of.exn;
    case WB_V128: return false;
    }
    return false;
}

void spec_format_value(const wb_value *v, char *buf, size_t buf_len)
{
    switch (v->type) {
    case WB_I32:
        snprintf(buf, buf_len, "i32:%" PRIu32 " (0x%08" PRIx32 ")", (uint32_t)v->of.i32,
                 (uint32_t)v->of.i32);
        return;
    case WB_I64:
        snprintf(buf, buf_len, "i64:%" PRIu64 " (0x%016" PRIx64 ")", (uint64_t)v->of.i64,
                 (uint64_t)v->of.i64);
        return;
    case WB_F32:
        snprintf(buf, buf_len, "f32:%.9g (0x%08" PRIx32 ")", (double)v->of.f32, f32_bits(v->of.f32));
        return;
    case WB_F64:
        snprintf(buf, buf_len, "f64:%.17g (0x%016" PRIx64 ")", v->of.f64, f64_bits(v->of.f64));
        return;
    case WB_FUNCREF:
        if (!v->of.func)
            snprintf(buf, buf_len, "funcref:null");
        else
            snprintf(buf, buf_len, "funcref:%p", (void *)v->of.func);
        return;
    case WB_EXTERNREF:
        if (!v->of.ext)
            snprintf(buf, buf_len, "externref:null");
        else
            snprintf(buf, buf_len, "externref:%" PRIuPTR, (uintptr_t)v->of.ext - 1);
        return;
    case WB_EXNREF:
        snprintf(buf, buf_len, v->of.exn ? "exnref:%p" : "exnref:null", (void *)v->of.exn);
        return;
    case WB_V128: {
        /* as i32x4 words, lane 0 first */
        uint32_t w[4];
        memcpy(w, v->of.v128, sizeof w);
        snprintf(buf, buf_len, "v128:i32x4 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32,
                 w[0], w[1], w[2], w[3]);
        return;
    }
    }
    snprintf(buf, buf_len, "value of unknown type 0x%x", (unsigned)v->type);
}

void spec_format_expect(const spec_expect *e, char *buf, size_t buf_len)
{
    const char *t = spec_type_name(e->value.type);
    switch (e->match) {
    case SPEC_MATCH_NAN_CANONICAL: snprintf(buf, buf_len, "%s:nan:canonical", t); return;
    case SPEC_MATCH_NAN_ARITHMETIC: snprintf(buf, buf_len, "%s:nan:arithmetic", t); return;
    case SPEC_MATCH_NONNULL_REF: snprintf(buf, buf_len, "%s:non-null", t); return;
    case SPEC_MATCH_EXACT: spec_format_value(&e->value, buf, buf_len); return;
    case SPEC_MATCH_ANY_NULL: snprintf(buf, buf_len, "ref.null (any type)"); return;
    case SPEC_MATCH_EITHER: {
        size_t used = (size_t)snprintf(buf, buf_len, "either(");
        for (int k = 0; k < e->nalts && used < buf_len; k++) {
            char one[96];
            spec_format_expect(&e->alts[k], one, sizeof one);
            used += (size_t)snprintf(buf + used, buf_len - used, "%s%s", k ? " | " : "", one);
        }
        if (used < buf_len)
            snprintf(buf + used, buf_len - used, ")");
        return;
    }
    }
}
