/* Values of the spec tests: parsing wast2json's {"type":..,"value":..}
 * objects, matching results against expectations, and printing both.
 *
 * wast2json writes numbers as the decimal of their bit pattern (u32/u64), so
 * floats are compared by bits; NaN expectations match a class of patterns.
 * An externref `ref.extern N` is the host pointer N + 1, so that N = 0 is not
 * the null reference. A v128 is {"type":"v128","lane_type":"i8".."f64",
 * "value":[one string per lane]}, each lane as its own numbers are.
 */
#ifndef WASMBOX_SPEC_VALUE_H
#define WASMBOX_SPEC_VALUE_H

#include "../vm/vm.h"

#include <cjson/cJSON.h>

#include <stdbool.h>
#include <stddef.h>

typedef enum spec_match {
    SPEC_MATCH_EXACT,          /* same type and bits */
    SPEC_MATCH_NAN_CANONICAL,  /* exponent all ones, only the top mantissa bit, any sign */
    SPEC_MATCH_NAN_ARITHMETIC, /* exponent all ones, top mantissa bit set */
    SPEC_MATCH_NONNULL_REF,    /* any non-null reference of the type (ref.func) */
    SPEC_MATCH_EITHER,         /* any one of alts ((either ...): relaxed SIMD's choices) */
    SPEC_MATCH_ANY_NULL,       /* a null reference of any type (3.0's `(ref.null)` pattern) */
} spec_match;

typedef struct spec_expect {
    spec_match match;
    /* v128: its lanes (wast2json's lane_type), and a match per lane (a float
     * lane may expect a NaN class; value has 0 bits there) */
    uint8_t lanes, lane_size;
    bool lane_float;
    spec_match lane_match[16];
    wb_value value; /* value.type is always set (for either: the first choice's) */
    struct spec_expect *alts; /* SPEC_MATCH_EITHER: nalts choices, owned */
    int nalts;
} spec_expect;

/* Parses an argument of an action. false with why on a bad or unsupported value. */
bool spec_parse_arg(const cJSON *item, wb_value *out, char *why, size_t why_len);
/* Parses one expected result ({"type": "either", "values": [...]} too);
 * spec_expect_free frees what it holds. */
bool spec_parse_expect(const cJSON *item, spec_expect *out, char *why, size_t why_len);
void spec_expect_free(spec_expect *e);

bool spec_value_matches(const spec_expect *expect, const wb_value *got);

const char *spec_type_name(wb_type type);
void spec_format_value(const wb_value *value, char *buf, size_t buf_len);
void spec_format_expect(const spec_expect *expect, char *buf, size_t buf_len);

#endif
