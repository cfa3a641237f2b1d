/* Durations and sizes as people write them: "500ms", "5s", "2m"; "64M",
 * "64MiB", "1GiB". One parser for every flag and policy key that takes one,
 * strict: the whole text is read or it is an error, never a different value. */
#include "policy.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* The leading digits of text as a number; false if there are none or they
 * overflow. *rest points after them. */
static bool whole_number(const char *text, uint64_t *out, const char **rest, bool *overflow)
{
    const char *s = text;
    uint64_t v = 0;
    *overflow = false;
    if (!isdigit((unsigned char)*s))
        return false;
    for (; isdigit((unsigned char)*s); s++) {
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            *overflow = true;
        else
            v = v * 10 + d;
    }
    *out = v;
    *rest = s;
    return true;
}

static bool times(uint64_t v, uint64_t by, uint64_t *out)
{
    if (by && v > UINT64_MAX / by)
        return false;
    *out = v * by;
    return true;
}

bool wb_parse_duration_ms(const char *text, uint64_t bare_unit_ms, uint64_t *out,
                          const char **why)
{
    static const struct {
        const char *suffix;
        uint64_t ms;
    } units[] = {{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}};
    uint64_t v;
    const char *rest;
    bool overflow;
    if (!text || !whole_number(text, &v, &rest, &overflow)) {
        *why = "is not a duration (a whole number with a unit: 500ms, 5s, 2m, 1h)";
        return false;
    }
    uint64_t unit = 0;
    if (!*rest)
        unit = bare_unit_ms;
    for (size_t i = 0; !unit && i < sizeof units / sizeof units[0]; i++)
        if (!strcmp(rest, units[i].suffix))
            unit = units[i].ms;
    if (!unit) {
        *why = "is not a duration (a whole number with a unit: 500ms, 5s, 2m, 1h)";
        return false;
    }
    if (overflow || !times(v, unit, out)) {
        *why = "is too large";
        return false;
    }
    return true;
}

bool wb_parse_size(const char *text, uint64_t *out, const char **why)
{
    static const char letters[] = "KMGT";
    uint64_t v;
    const char *rest;
    bool overflow;
    if (!text || !whole_number(text, &v, &rest, &overflow)) {
        *why = "is not a size (bytes, or with a unit: 64K, 64M, 64MiB, 1GiB)";
        return false;
    }
    unsigned shift = 0;
    if (*rest) {
        const char *l = strchr(letters, toupper((unsigned char)*rest));
        if (!l) {
            *why = "is not a size (bytes, or with a unit: 64K, 64M, 64MiB, 1GiB)";
            return false;
        }
        shift = 10u * (unsigned)(l - letters + 1);
        rest++;
        if (!strcasecmp(rest, "B")) {
            *why = "is ambiguous (1000- or 1024-based?): write KiB, MiB, GiB or TiB "
                   "(1024-based)";
            return false;
        }
        if (*rest && strcmp(rest, "iB") && strcmp(rest, "ib")) {
            *why = "is not a size (bytes, or with a unit: 64K, 64M, 64MiB, 1GiB)";
            return false;
        }
    }
    if (overflow || (shift && v > (UINT64_MAX >> shift))) {
        *why = "is too large";
        return false;
    }
    *out = v << shift;
    return true;
}
