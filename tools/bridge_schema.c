/* The JSON Schema subset tool schemas use: checking a manifest's schema when
 * it is loaded, and validating a call's input against it.
 *
 * A keyword outside the subset is a load error, never silently ignored: a
 * schema that says "pattern" or "oneOf" would otherwise promise a check
 * nobody makes. Inputs are untrusted: every step is bounded (depth, number
 * of messages) and every message cut to fit. */
#include "bridge_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_ERRORS 16

static const char *const type_names[] = {"object", "array",   "string", "integer",
                                         "number", "boolean", "null"};

static bool known_type(const char *s)
{
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (!strcmp(s, type_names[i]))
            return true;
    return false;
}

static bool fail(char *err, size_t errlen, const char *where, const char *key, const char *fmt,
                 ...)
{
    char why[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    snprintf(err, errlen, "%s%s%s: %s", where, key ? "." : "", key ? key : "", why);
    return false;
}

static bool is_nonneg_int(const cJSON *v)
{
    return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble <= 9007199254740992.0 &&
           wbt_is_whole(v->valuedouble);
}

static bool check_at(const cJSON *s, const char *where, int depth, char *err, size_t errlen);

static bool check_type_kw(const cJSON *v, const char *where, char *err, size_t errlen)
{
    if (cJSON_IsString(v)) {
        if (!known_type(v->valuestring))
            return fail(err, errlen, where, "type",
                        "unknown type \"%.64s\" (use object, array, string, integer, number, "
                        "boolean or null)", v->valuestring);
        return true;
    }
    if (!cJSON_IsArray(v) || !cJSON_GetArraySize(v))
        return fail(err, errlen, where, "type", "must be a type name or a non-empty array of them");
    const cJSON *e;
    cJSON_ArrayForEach(e, v) {
        if (!cJSON_IsString(e) || !known_type(e->valuestring))
            return fail(err, errlen, where, "type",
                        "every entry must be one of object, array, string, integer, number, "
                        "boolean, null");
    }
    return true;
}

/* One keyword of a schema object. */
static bool check_keyword(const cJSON *kw, const char *where, int depth, char *err, size_t errlen)
{
    const char *k = kw->string;
    char sub[512];
    if (!strcmp(k, "description") || !strcmp(k, "title")) {
        if (!cJSON_IsString(kw))
            return fail(err, errlen, where, k, "must be a string");
        return true;
    }
    if (!strcmp(k, "default") || !strcmp(k, "examples") || !strcmp(k, "enum") ||
        !strcmp(k, "const")) {
        if (!strcmp(k, "enum") && (!cJSON_IsArray(kw) || !cJSON_GetArraySize(kw)))
            return fail(err, errlen, where, k, "must be a non-empty array of values");
        if (!strcmp(k, "examples") && !cJSON_IsArray(kw))
            return fail(err, errlen, where, k, "must be an array");
        return true;
    }
    if (!strcmp(k, "type"))
        return check_type_kw(kw, where, err, errlen);
    if (!strcmp(k, "minimum") || !strcmp(k, "maximum")) {
        if (!cJSON_IsNumber(kw))
            return fail(err, errlen, where, k, "must be a number");
        return true;
    }
    if (!strcmp(k, "minLength") || !strcmp(k, "maxLength")) {
        if (!is_nonneg_int(kw))
            return fail(err, errlen, where, k, "must be an integer >= 0");
        return true;
    }
    if (!strcmp(k, "required")) {
        if (!cJSON_IsArray(kw))
            return fail(err, errlen, where, k, "must be an array of property names");
        const cJSON *e;
        cJSON_ArrayForEach(e, kw) {
            if (!cJSON_IsString(e))
                return fail(err, errlen, where, k, "must be an array of property names");
        }
        return true;
    }
    if (!strcmp(k, "properties")) {
        if (!cJSON_IsObject(kw))
            return fail(err, errlen, where, k, "must be an object of schemas");
        const cJSON *p;
        cJSON_ArrayForEach(p, kw) {
            snprintf(sub, sizeof sub, "%s.properties.%s", where, p->string);
            if (!check_at(p, sub, depth + 1, err, errlen))
                return false;
        }
        return true;
    }
    if (!strcmp(k, "items")) {
        snprintf(sub, sizeof sub, "%s.items", where);
        return check_at(kw, sub, depth + 1, err, errlen);
    }
    if (!strcmp(k, "additionalProperties")) {
        if (cJSON_IsBool(kw))
            return true;
        snprintf(sub, sizeof sub, "%s.additionalProperties", where);
        return check_at(kw, sub, depth + 1, err, errlen);
    }
    return fail(err, errlen, where, k,
                "unknown schema keyword (the bridge checks type, properties, required, enum, "
                "const, minimum, maximum, minLength, maxLength, items, additionalProperties; "
                "remove it or express the rule with these)");
}

static bool check_at(const cJSON *s, const char *where, int depth, char *err, size_t errlen)
{
    if (depth > WBT_SCHEMA_MAX_DEPTH)
        return fail(err, errlen, where, NULL, "nested deeper than %d levels", WBT_SCHEMA_MAX_DEPTH);
    if (!cJSON_IsObject(s))
        return fail(err, errlen, where, NULL, "must be a schema (a JSON object)");
    const cJSON *kw;
    cJSON_ArrayForEach(kw, s) {
        if (!check_keyword(kw, where, depth, err, errlen))
            return false;
    }
    return true;
}

bool wbt_schema_check(const cJSON *schema, const char *where, char *err, size_t errlen)
{
    return check_at(schema, where, 0, err, errlen);
}

/* ---- validation ---- */

typedef struct vstate {
    char *err;
    size_t errlen, used, count;
} vstate;

__attribute__((format(printf, 3, 4))) static void report(vstate *st, const char *path,
                                                         const char *fmt, ...)
{
    st->count++;
    if (st->count > MAX_ERRORS || !st->errlen)
        return;
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (st->used >= st->errlen - 1)
        return;
    int n = snprintf(st->err + st->used, st->errlen - st->used, "%s%s: %s",
                     st->used ? "\n" : "", path, why);
    if (n > 0)
        st->used += (size_t)n < st->errlen - st->used ? (size_t)n : st->errlen - st->used - 1;
}

/* A value shown in a message: JSON, cut at 60 bytes on a character boundary. */
static void show(const cJSON *v, char *buf, size_t len)
{
    char *text = cJSON_PrintUnformatted(v);
    if (!text) {
        snprintf(buf, len, "?");
        return;
    }
    size_t n = strlen(text);
    if (n > 60) {
        size_t cut = 60;
        while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
            cut--;
        snprintf(buf, len, "%.*s...", (int)cut, text);
    } else {
        snprintf(buf, len, "%s", text);
    }
    cJSON_free(text);
}

static bool is_integer(const cJSON *v)
{
    return cJSON_IsNumber(v) && isfinite(v->valuedouble) &&
           wbt_is_whole(v->valuedouble);
}

static bool has_type(const cJSON *v, const char *t)
{
    if (!strcmp(t, "object")) return cJSON_IsObject(v);
    if (!strcmp(t, "array")) return cJSON_IsArray(v);
    if (!strcmp(t, "string")) return cJSON_IsString(v);
    if (!strcmp(t, "integer")) return is_integer(v);
    if (!strcmp(t, "number")) return cJSON_IsNumber(v);
    if (!strcmp(t, "boolean")) return cJSON_IsBool(v);
    if (!strcmp(t, "null")) return cJSON_IsNull(v);
    return false;
}

/* "a string", "an integer", ... for messages. */
static const char *article(const char *t)
{
    return t[0] == 'a' || t[0] == 'i' || t[0] == 'o' ? "an" : "a";
}

/* "a string", "an integer", "true or false", "null". */
static int one_type(char *buf, size_t len, const char *sep, const char *t)
{
    if (!strcmp(t, "null"))
        return snprintf(buf, len, "%snull", sep);
    if (!strcmp(t, "boolean"))
        return snprintf(buf, len, "%strue or false", sep);
    return snprintf(buf, len, "%s%s %s", sep, article(t), t);
}

static const char *kind_of(const cJSON *v)
{
    if (cJSON_IsObject(v)) return "an object";
    if (cJSON_IsArray(v)) return "an array";
    if (cJSON_IsString(v)) return "a string";
    if (cJSON_IsNumber(v)) return is_integer(v) ? "an integer" : "a number";
    if (cJSON_IsBool(v)) return "a boolean";
    return "null";
}

/* The type words of a schema ("an integer", "a string or null"). */
static void type_words(const cJSON *type, char *buf, size_t len)
{
    buf[0] = 0;
    if (cJSON_IsString(type)) {
        one_type(buf, len, "", type->valuestring);
        return;
    }
    size_t n = (size_t)cJSON_GetArraySize(type), i = 0, used = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, type) {
        const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
        int w = one_type(buf + used, len - used, sep, e->valuestring);
        if (w < 0 || (size_t)w >= len - used)
            return;
        used += (size_t)w;
        i++;
    }
}

static bool type_ok(const cJSON *type, const cJSON *v)
{
    if (cJSON_IsString(type))
        return has_type(v, type->valuestring);
    const cJSON *e;
    cJSON_ArrayForEach(e, type) {
        if (has_type(v, e->valuestring))
            return true;
    }
    return false;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void fmt_num(double d, char *buf, size_t len)
{
    if (wbt_is_whole(d) && fabs(d) < 1e15)
        snprintf(buf, len, "%.0f", d);
    else
        snprintf(buf, len, "%.17g", d);
}

static void validate_at(const cJSON *s, const cJSON *v, const char *path, int depth, vstate *st);

static void check_range(const cJSON *s, const cJSON *v, const char *path, vstate *st)
{
    const cJSON *mn = cJSON_GetObjectItemCaseSensitive(s, "minimum");
    const cJSON *mx = cJSON_GetObjectItemCaseSensitive(s, "maximum");
    if (!cJSON_IsNumber(v) || (!mn && !mx))
        return;
    double d = v->valuedouble;
    if ((!mn || d >= mn->valuedouble) && (!mx || d <= mx->valuedouble))
        return;
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(s, "type");
    const char *what = type && cJSON_IsString(type) && !strcmp(type->valuestring, "integer")
                           ? "an integer" : "a number";
    char lo[40], hi[40], got[80];
    show(v, got, sizeof got);
    if (mn)
        fmt_num(mn->valuedouble, lo, sizeof lo);
    if (mx)
        fmt_num(mx->valuedouble, hi, sizeof hi);
    if (mn && mx)
        report(st, path, "must be %s from %s to %s (got %s)", what, lo, hi, got);
    else if (mn)
        report(st, path, "must be %s >= %s (got %s)", what, lo, got);
    else
        report(st, path, "must be %s <= %s (got %s)", what, hi, got);
}

static void check_length(const cJSON *s, const cJSON *v, const char *path, vstate *st)
{
    const cJSON *mn = cJSON_GetObjectItemCaseSensitive(s, "minLength");
    const cJSON *mx = cJSON_GetObjectItemCaseSensitive(s, "maxLength");
    if (!cJSON_IsString(v) || (!mn && !mx))
        return;
    size_t n = utf8_chars(v->valuestring);
    if (mn && n == 0 && mn->valuedouble == 1)
        report(st, path, "must not be empty");
    else if (mn && (double)n < mn->valuedouble)
        report(st, path, "must be at least %.0f characters long (got %zu)", mn->valuedouble, n);
    if (mx && (double)n > mx->valuedouble)
        report(st, path, "must be at most %.0f characters long (got %zu)", mx->valuedouble, n);
}

static void check_enum(const cJSON *s, const cJSON *v, const char *path, vstate *st)
{
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(s, "enum");
    const cJSON *cn = cJSON_GetObjectItemCaseSensitive(s, "const");
    char got[80];
    if (cn && !cJSON_Compare(cn, v, true)) {
        char want[80];
        show(cn, want, sizeof want);
        show(v, got, sizeof got);
        report(st, path, "must be %s (got %s)", want, got);
    }
    if (!en)
        return;
    const cJSON *e;
    cJSON_ArrayForEach(e, en) {
        if (cJSON_Compare(e, v, true))
            return;
    }
    char list[400];
    size_t used = 0;
    list[0] = 0;
    cJSON_ArrayForEach(e, en) {
        char one[80];
        show(e, one, sizeof one);
        int w = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", one);
        if (w < 0 || (size_t)w >= sizeof list - used)
            break;
        used += (size_t)w;
    }
    show(v, got, sizeof got);
    report(st, path, "must be one of %s (got %s)", list, got);
}

static void check_object(const cJSON *s, const cJSON *v, const char *path, int depth, vstate *st)
{
    if (!cJSON_IsObject(v))
        return;
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(s, "properties");
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(s, "required");
    const cJSON *addl = cJSON_GetObjectItemCaseSensitive(s, "additionalProperties");
    char sub[512];
    const cJSON *e;
    cJSON_ArrayForEach(e, req) {
        if (!cJSON_GetObjectItemCaseSensitive(v, e->valuestring)) {
            const cJSON *ps = props ? cJSON_GetObjectItemCaseSensitive(props, e->valuestring) : NULL;
            const cJSON *type = ps ? cJSON_GetObjectItemCaseSensitive(ps, "type") : NULL;
            char want[160] = "";
            if (type)
                type_words(type, want, sizeof want);
            snprintf(sub, sizeof sub, "%s.%s", path, e->valuestring);
            if (want[0])
                report(st, sub, "required, missing (expected %s)", want);
            else
                report(st, sub, "required, missing");
        }
    }
    const cJSON *m;
    cJSON_ArrayForEach(m, v) {
        snprintf(sub, sizeof sub, "%s.%.200s", path, m->string);
        const cJSON *ps = props ? cJSON_GetObjectItemCaseSensitive(props, m->string) : NULL;
        if (ps) {
            validate_at(ps, m, sub, depth + 1, st);
        } else if (cJSON_IsFalse(addl)) {
            char list[400];
            size_t used = 0;
            list[0] = 0;
            const cJSON *p;
            cJSON_ArrayForEach(p, props) {
                int w = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "",
                                 p->string);
                if (w < 0 || (size_t)w >= sizeof list - used)
                    break;
                used += (size_t)w;
            }
            report(st, sub, "unknown field (this tool takes: %s)", used ? list : "no fields");
        } else if (cJSON_IsObject(addl)) {
            validate_at(addl, m, sub, depth + 1, st);
        }
    }
}

static void validate_at(const cJSON *s, const cJSON *v, const char *path, int depth, vstate *st)
{
    if (depth > WBT_SCHEMA_MAX_DEPTH) {
        report(st, path, "nested deeper than %d levels", WBT_SCHEMA_MAX_DEPTH);
        return;
    }
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(s, "type");
    if (type && !type_ok(type, v)) {
        char want[160], got[80];
        type_words(type, want, sizeof want);
        if (cJSON_IsNumber(v))
            show(v, got, sizeof got);
        else
            snprintf(got, sizeof got, "%s", kind_of(v));
        report(st, path, "must be %s (got %s)", want, got);
        return; /* the other rules would only repeat it */
    }
    check_enum(s, v, path, st);
    check_range(s, v, path, st);
    check_length(s, v, path, st);
    check_object(s, v, path, depth, st);
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(s, "items");
    if (items && cJSON_IsArray(v)) {
        int i = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, v) {
            char sub[512];
            snprintf(sub, sizeof sub, "%s[%d]", path, i++);
            validate_at(items, e, sub, depth + 1, st);
            if (st->count > MAX_ERRORS)
                return;
        }
    }
}

size_t wbt_schema_validate(const cJSON *schema, const cJSON *value, const char *root, char *err,
                           size_t errlen)
{
    vstate st = {.err = err, .errlen = errlen};
    if (errlen)
        err[0] = 0;
    validate_at(schema, value, root, 0, &st);
    if (st.count > MAX_ERRORS && st.used + 1 < errlen)
        snprintf(err + st.used, errlen - st.used, "\n(%zu more problems not listed)",
                 st.count - MAX_ERRORS);
    return st.count;
}
