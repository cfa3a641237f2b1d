/* The two program generators: enumerated patterns (gen_enum.c) and random
 * programs built from the same pieces (gen_random.c), plus the arguments
 * and constants both use (gen_values.c). */
#ifndef DIFFTR_GEN_H
#define DIFFTR_GEN_H

#include "ast.h"
#include "rng.h"

/* ---- values ---- */

/* An edge-case or random value of a type (bits): `pick` selects among the
 * edge cases, the rest is random from r. */
uint64_t edge_value(uint8_t type, uint32_t pick, rng *r);
uint32_t edge_count(uint8_t type);
/* An edge-case v128 (lo: lanes 0..7's bytes, hi: 8..15's): lanes of one
 * shape (i8, i16, i32, i64, f32 with NaNs of both signs and payloads,
 * signalling NaNs, ±0, ±inf, f64 likewise) drawn from the scalar edge
 * cases and random values, or all zeros, all ones, alternating lanes. */
void edge_v128(rng *r, uint64_t *lo, uint64_t *hi);
/* Argument vector `vector` (0: small numbers that make in-bounds addresses,
 * 1..: edge cases and random values) for function f; args has ARGS_MAX
 * entries (a v128's high half at MAXP + i). */
void gen_args(const gfunc *f, uint64_t seed, unsigned vector, uint64_t *args);

/* ---- enumerated patterns ---- */

/* A family is a set of forms (one instruction pattern each) whose operand
 * holes are filled with every combination of sources, at every stack
 * height. Each item of a family is one function. */
unsigned enum_nfamilies(void);
const char *enum_family_name(unsigned fam);
uint64_t enum_family_size(unsigned fam);
/* Starts an enumeration module: the helper functions and the fixed memory
 * and globals every enumerated function sees. */
void enum_module_init(gmod *m);
/* Appends item idx of family fam to m as its next function. */
void enum_add_function(gmod *m, unsigned fam, uint64_t idx);

/* ---- random programs ---- */

/* Fills m with a random module: several functions (calling later ones, the
 * host, and each other through the table), memory and globals. */
void gen_random_module(gmod *m, uint64_t seed);
/* Whether random programs use typed function references (call_ref,
 * return_call_ref, br_on_null, br_on_non_null, ref.as_non_null: 3.0).
 * On by default; --samples writes modules without them for wabt, which
 * cannot check them (tests/difftr/README.md). */
extern bool gen_typed_refs;
/* Whether modules have the 64-bit table "table64" (table64, after table 0)
 * and programs use it. On by default; --samples writes modules without it
 * for wabt 1.0.32, which refuses 64-bit tables. */
extern bool gen_table64;

#endif
