/* Families of instructions defined once and expanded everywhere they are
 * needed: the comparisons, the i32 operations that have an immediate form,
 * the loads and stores, and the fused pairs. The interpreter builds the
 * handlers of every member from these rows (the wasm instructions' and the
 * translator-only forms' alike), xops.def builds the translator-only
 * instructions, and the translator its rewrite tables (negations, operand
 * swaps, immediate and fused forms). Internal to vm/.
 *
 * Each list takes a macro X and calls it once per member. */
#ifndef WASMBOX_VM_OPFAMILIES_H
#define WASMBOX_VM_OPFAMILIES_H

/* The ten integer comparisons: X(NAME, SIGNED, C_OPERATOR, NEGATION, SWAPPED).
 * SIGNED is S or U (how the operands are read: eq and ne read them either
 * way); NEGATION is the comparison true exactly when NAME is false (a branch
 * on "not NAME"); SWAPPED is NAME with its operands exchanged (a constant
 * first operand becomes an immediate second one). For i32 and i64 alike:
 * wasm's iNN.NAME, the translator's NAME_I (i32 against a constant),
 * BRC_NAME, BRC_NAME_I and BRC64_NAME (compare and branch). */
#define WB_CMPS(X) WB_CMPS_WITH(WB_CMP_ROW, X, _, _)
#define WB_CMP_ROW(X, u1, u2, name, sg, rel, neg, swp) X(name, sg, rel, neg, swp)
/* The same rows with three leading arguments passed through:
 * X(A1, A2, A3, NAME, SIGNED, C_OPERATOR, NEGATION, SWAPPED), for families
 * that are one comparison per member of another family. */
#define WB_CMPS_WITH(X, a1, a2, a3)                                          \
    X(a1, a2, a3, EQ, U, ==, NE, EQ)                                         \
    X(a1, a2, a3, NE, U, !=, EQ, NE)                                         \
    X(a1, a2, a3, LT_S, S, <, GE_S, GT_S)                                    \
    X(a1, a2, a3, LT_U, U, <, GE_U, GT_U)                                    \
    X(a1, a2, a3, GT_S, S, >, LE_S, LT_S)                                    \
    X(a1, a2, a3, GT_U, U, >, LE_U, LT_U)                                    \
    X(a1, a2, a3, LE_S, S, <=, GT_S, GE_S)                                   \
    X(a1, a2, a3, LE_U, U, <=, GT_U, GE_U)                                   \
    X(a1, a2, a3, GE_S, S, >=, LT_S, LE_S)                                   \
    X(a1, a2, a3, GE_U, U, >=, LT_U, LE_U)

/* i32 operations that also exist with a constant second operand, NAME_I
 * [a k][dst]: X(NAME, EXPRESSION of uint32_t a and b, COMMUTES). COMMUTES
 * (1/0): a constant first operand may become the immediate. The wasm
 * instruction i32.NAME and NAME_I share the expression. */
#define WB_ALU32_IMM(X)                                                      \
    X(ADD, a + b, 1)                                                         \
    X(SUB, a - b, 0)                                                         \
    X(MUL, a * b, 1)                                                         \
    X(AND, a & b, 1)                                                         \
    X(OR, a | b, 1)                                                          \
    X(XOR, a ^ b, 1)                                                         \
    X(SHL, a << (b & 31), 0)                                                 \
    X(SHR_S, (uint32_t)((int32_t)a >> (b & 31)), 0)                          \
    X(SHR_U, a >> (b & 31), 0)                                               \
    X(ROTL, wb_rotl32(a, b), 0)                                              \
    X(ROTR, wb_rotr32(a, b), 0)

/* Loads: X(NAME, C type in memory, the slot's value from `v`). Stores:
 * X(NAME, C type in memory). Each has two translator-only forms besides
 * the wasm one: NAME_A, whose address is a pending x + K, and NAME_X,
 * whose address is the i32.add of two slots. */
#define WB_LOADS(X)                                                          \
    X(I32_LOAD, uint32_t, v)                                                 \
    X(I64_LOAD, uint64_t, v)                                                 \
    X(F32_LOAD, uint32_t, v)                                                 \
    X(F64_LOAD, uint64_t, v)                                                 \
    X(I32_LOAD8_S, int8_t, (uint32_t)(int32_t)v)                             \
    X(I32_LOAD8_U, uint8_t, v)                                               \
    X(I32_LOAD16_S, int16_t, (uint32_t)(int32_t)v)                           \
    X(I32_LOAD16_U, uint16_t, v)                                             \
    X(I64_LOAD8_S, int8_t, (uint64_t)(int64_t)v)                             \
    X(I64_LOAD8_U, uint8_t, v)                                               \
    X(I64_LOAD16_S, int16_t, (uint64_t)(int64_t)v)                           \
    X(I64_LOAD16_U, uint16_t, v)                                             \
    X(I64_LOAD32_S, int32_t, (uint64_t)(int64_t)v)                           \
    X(I64_LOAD32_U, uint32_t, v)
#define WB_STORES(X)                                                         \
    X(I32_STORE, uint32_t)                                                   \
    X(I64_STORE, uint64_t)                                                   \
    X(F32_STORE, uint32_t)                                                   \
    X(F64_STORE, uint64_t)                                                   \
    X(I32_STORE8, uint8_t)                                                   \
    X(I32_STORE16, uint16_t)                                                 \
    X(I64_STORE8, uint8_t)                                                   \
    X(I64_STORE16, uint16_t)                                                 \
    X(I64_STORE32, uint32_t)

/* Loads whose value a branch tests (`while (p)` after `p = p->next`, a
 * byte loop's `if (*s)`): NAME_BR_NZ and NAME_BR_Z load into their result
 * slot as the plain load does, then branch when the value is non-zero
 * (zero). X(NAME, C type in memory): a subset of WB_LOADS, i32 results. */
#define WB_LOAD_BRANCHES(X)                                                  \
    X(I32_LOAD, uint32_t)                                                    \
    X(I32_LOAD8_U, uint8_t)

/* Loads whose value a multiply-add takes as a factor (`s += a[i] * b`, the
 * matrix kernels): NAME_MADD loads as NAME from (x + K) mod 2^32 + offset
 * (a plain load is K = 0), multiplies by one slot, adds another and writes
 * the sum; the loaded value itself is not kept (it was a fresh result that
 * only the multiply read). X(NAME, C type in memory, the i32 from `v`): a
 * subset of WB_LOADS. */
#define WB_LOAD_MADDS(X)                                                     \
    X(I32_LOAD, uint32_t, v)                                                 \
    X(I32_LOAD8_S, int8_t, (uint32_t)(int32_t)v)                             \
    X(I32_LOAD8_U, uint8_t, v)                                               \
    X(I32_LOAD16_S, int16_t, (uint32_t)(int32_t)v)                           \
    X(I32_LOAD16_U, uint16_t, v)

/* An f64.load whose fresh result an f64 add, sub or mul takes as one
 * operand (nbody's `a->x - b->x`, `v + dx * m`): NAME [x b][end K][dst _]
 * loads the f64 at (x + K) mod 2^32 + offset (a plain load is K = 0; the
 * bounds check and its trap are the load's), combines it with the slot b
 * and writes the result; the loaded value itself is not kept (a fresh
 * result only the operation read). X(NAME, OUTER, LOADED, EXPRESSION of l,
 * the loaded value, and b): OUTER the wasm operation (WB_OP_*), LOADED
 * which of its operands the load was (1 first, 2 second). EXPRESSION keeps
 * wasm's operand order, so a NaN result is the same NaN (interp_ops.h);
 * the handler runs in two passes like the plain f64 operations
 * (interp.c F64_RESULT), its NaN pass reading the memory again (nothing
 * is written before the result). */
#define WB_LOAD_F64_OPS(X)                                                   \
    X(F64_LOAD_ADD, WB_OP_F64_ADD, 1, wb_f64_add(l, b))                      \
    X(F64_LOAD_RADD, WB_OP_F64_ADD, 2, wb_f64_add(b, l))                     \
    X(F64_LOAD_SUB, WB_OP_F64_SUB, 1, wb_f64_sub(l, b))                      \
    X(F64_LOAD_RSUB, WB_OP_F64_SUB, 2, wb_f64_sub(b, l))                     \
    X(F64_LOAD_MUL, WB_OP_F64_MUL, 1, wb_f64_mul(l, b))                      \
    X(F64_LOAD_RMUL, WB_OP_F64_MUL, 2, wb_f64_mul(b, l))

/* nbody's velocity updates, eighth session (issue 12): an f64 memory
 * location updated by a product of three, `a->v -= dx * m * mag` and
 * `b->v += dx * m * mag` (a load, F64_MUL3 and an add or sub of the two,
 * stored back where it was loaded): NAME [x a][end K][b c] reads the f64 m
 * at (x + K) mod 2^32 + offset (a plain access is K = 0; the bounds check
 * and its trap are the load's: the store has the same address and end),
 * p = (a * b) * c, and writes EXPRESSION of m and p back there. No slot is
 * written: the loaded value, the product and the sum were fresh results
 * that only the next instruction read. X(NAME, OUTER, PRODUCT, EXPRESSION):
 * OUTER the wasm add or sub (WB_OP_*), PRODUCT which of its operands the
 * product was (1 first, 2 second). Each product and the result are rounded
 * once, in wasm's order, so the value is the four instructions'; it runs
 * in two passes like the plain f64 operations (interp.c F64_RESULT), its
 * NaN pass reading the memory again (nothing is written before the
 * result). */
#define WB_F64_RMW_NBODY2(X)                                                 \
    X(F64_RMW_ADD_MUL3, WB_OP_F64_ADD, 2, wb_f64_add(m, wb_f64_mul(wb_f64_mul(a, b), c))) \
    X(F64_RMW_RADD_MUL3, WB_OP_F64_ADD, 1, wb_f64_add(wb_f64_mul(wb_f64_mul(a, b), c), m)) \
    X(F64_RMW_SUB_MUL3, WB_OP_F64_SUB, 2, wb_f64_sub(m, wb_f64_mul(wb_f64_mul(a, b), c))) \
    X(F64_RMW_RSUB_MUL3, WB_OP_F64_SUB, 1, wb_f64_sub(wb_f64_mul(wb_f64_mul(a, b), c), m))

/* A quotient by a product with a square root (nbody's `dt / (d2 *
 * sqrt(d2))`, eighth session): f64.sqrt, f64.mul taking its fresh result as
 * the second operand, and the div whose divisor that product is (the
 * F64_RMDIV pair, one dispatch fewer): NAME [a b][c dst], EXPRESSION of a,
 * b and c in wasm's order, each operation rounded once, sqrt the
 * interpreter's own (FUN64 F64_SQRT's). X(NAME, EXPRESSION). */
#define WB_F64_SQRT_NBODY2(X) X(F64_RMDIV_SQRT, wb_f64_div(c, wb_f64_mul(a, sqrt(b))))

/* Loads whose value an i32 comparison with a slot tests in a branch
 * (`while (p->key < k)`): NAME_BRC_CMP [x y][end K][t c] loads as NAME from
 * (x + K) mod 2^32 + offset (a plain load is K = 0) and jumps to t when the
 * loaded value CMP y (the translator swaps the comparison when the loaded
 * value was its second operand), else charges c. The loaded value is not
 * kept (a fresh result only the comparison read). X(NAME, C type in
 * memory, the i32 from `v`): loads of WB_LOAD_MADDS; each has the ten
 * comparisons of WB_CMPS and their loop forms. */
#define WB_LOAD_CMP_BRANCHES(X)                                              \
    X(I32_LOAD, uint32_t, v)                                                 \
    X(I32_LOAD8_U, uint8_t, v)                                               \
    X(I32_LOAD16_S, int16_t, (uint32_t)(int32_t)v)                           \
    X(I32_LOAD16_U, uint16_t, v)

/* Pairs of immediate forms: an i32 op with a constant whose operand is the
 * fresh result of another op with a constant becomes one [a k1][k2 dst]
 * instruction: X(NAME, OUTER, INNER, EXPRESSION of a, k1 (INNER's
 * constant) and k2 (OUTER's)), OUTER and INNER as WB_XOP_*_I. The pairs
 * measured in clang -O2 code (issue 12): bit-field extracts, a hash's
 * multiply-add, shifts of a flipped value. An add of a constant to an add
 * of a constant needs no instruction of its own: the translator adds the
 * constants (ADD_I with k1 + k2). */
#define WB_IMM_PAIRS(X)                                                      \
    X(MUL_ADD_I, WB_XOP_ADD_I, WB_XOP_MUL_I, a * k1 + k2)                    \
    X(ADD_SHR_U_I, WB_XOP_SHR_U_I, WB_XOP_ADD_I, (a + k1) >> (k2 & 31))      \
    X(SHR_U_AND_I, WB_XOP_AND_I, WB_XOP_SHR_U_I, (a >> (k1 & 31)) & k2)      \
    X(AND_SHR_U_I, WB_XOP_SHR_U_I, WB_XOP_AND_I, (a & k1) >> (k2 & 31))      \
    X(XOR_SHL_I, WB_XOP_SHL_I, WB_XOP_XOR_I, (a ^ k1) << (k2 & 31))          \
    X(SHL_XOR_I, WB_XOP_XOR_I, WB_XOP_SHL_I, (a << (k1 & 31)) ^ k2)          \
    X(SHL_SHR_S_I, WB_XOP_SHR_S_I, WB_XOP_SHL_I,                             \
      (uint32_t)((int32_t)(a << (k1 & 31)) >> (k2 & 31)))

/* Fused pairs: a binary op whose operand is the fresh result of the op
 * emitted just before (INNER) becomes one [a b][c dst] instruction:
 * X(NAME, OUTER, INNER, WHERE, TYPE, B, EXPRESSION), OUTER and INNER as
 * handler numbers (WB_OP_* or WB_XOP_*). WHERE says which of
 * OUTER's operands INNER's result must be (ANY, FIRST, SECOND); TYPE is U32
 * or F64 (how the slots are read and written); B is SLOT, or IMM when INNER
 * is an immediate form (b is then the constant). EXPRESSION combines a and b
 * (INNER's operands) with c (OUTER's other operand). f64 products are
 * rounded before the add, as the two instructions do (no FMA: -std=c11
 * means -ffp-contract=off), and the f64 helpers keep the plain
 * instructions' operand order, so a NaN result is the same NaN
 * (interp_ops.h). F64_MUL3/F64_RMUL3: a product of three (nbody's
 * `dx * b->mass * mag`), each product rounded, in the wasm order;
 * F64_RMDIV: a quotient by a product (nbody's `dt / (d2 * sqrt(d2))`). */
#define WB_FUSED_PAIRS(X)                                                    \
    X(MADD, WB_OP_I32_ADD, WB_OP_I32_MUL, ANY, U32, SLOT, a * b + c)                     \
    X(ADD3, WB_OP_I32_ADD, WB_OP_I32_ADD, ANY, U32, SLOT, a + b + c)                     \
    X(AND_ADD, WB_OP_I32_ADD, WB_OP_I32_AND, ANY, U32, SLOT, (a & b) + c)                \
    X(XOR_ADD, WB_OP_I32_ADD, WB_OP_I32_XOR, ANY, U32, SLOT, (a ^ b) + c)                \
    X(XOR3, WB_OP_I32_XOR, WB_OP_I32_XOR, ANY, U32, SLOT, a ^ b ^ c)                     \
    X(ROTL_XOR, WB_OP_I32_XOR, WB_XOP_ROTL_I, ANY, U32, IMM, wb_rotl32(a, b) ^ c)         \
    X(F64_MADD, WB_OP_F64_ADD, WB_OP_F64_MUL, FIRST, F64, SLOT, wb_f64_add(wb_f64_mul(a, b), c)) \
    X(F64_RMADD, WB_OP_F64_ADD, WB_OP_F64_MUL, SECOND, F64, SLOT, wb_f64_add(c, wb_f64_mul(a, b))) \
    X(F64_MSUB, WB_OP_F64_SUB, WB_OP_F64_MUL, FIRST, F64, SLOT, wb_f64_sub(wb_f64_mul(a, b), c)) \
    X(F64_RMSUB, WB_OP_F64_SUB, WB_OP_F64_MUL, SECOND, F64, SLOT, wb_f64_sub(c, wb_f64_mul(a, b))) \
    X(F64_MUL3, WB_OP_F64_MUL, WB_OP_F64_MUL, FIRST, F64, SLOT, wb_f64_mul(wb_f64_mul(a, b), c)) \
    X(F64_RMUL3, WB_OP_F64_MUL, WB_OP_F64_MUL, SECOND, F64, SLOT, wb_f64_mul(c, wb_f64_mul(a, b))) \
    X(F64_RMDIV, WB_OP_F64_DIV, WB_OP_F64_MUL, SECOND, F64, SLOT, wb_f64_div(c, wb_f64_mul(a, b)))

/* Joined pairs (issue 12): two instructions that follow each other in the
 * code, neither of them deleted or changed, run by one handler. The
 * translator's last step (translate.c join_pairs) gives the first the
 * joined handler, which does the first's work, steps pc over its cells,
 * does the second's, and dispatches after both: one dispatch fewer, same
 * cells, same trap locations, same fuel. The second must not be a branch
 * target (none of these is: targets are FUEL, FUEL_POLL, RET cells and
 * return addresses), which the verifier checks. X(FIRST, SECOND), each a
 * step named below; the pairs are the most frequent adjacent ones of
 * CoreMark and the CoreMark-style mix (`make bench-pairs`), and of nbody
 * (f64.store followed by the next update's f64.load or address; two
 * loads of a body's fields; `v - dx * m * mag` and `v + dx * m * mag`
 * after their load fused; a position's update and its store). A forward
 * conditional branch may be a first step too (the four rows from
 * BRC_EQ_I, BR_TAB_F): taken,
 * it goes to its target as itself; not taken, the instruction it falls
 * into runs (that is never a branch target: targets are FUEL cells). */
#define WB_JOINS(X)                                                          \
    X(ADD_I, ADD_I)                                                          \
    X(I32_STORE, MOV)                                                        \
    X(MOV, I32_LOAD)                                                         \
    X(I32_LOAD, I32_STORE)                                                   \
    X(MOVI, MOV)                                                             \
    X(I32_LOAD, ADD_I)                                                       \
    X(ADD_I, I32_STORE)                                                      \
    X(I32_LOAD, I32_LOAD8_U)                                                 \
    X(I32_LOAD, I32_LOAD16_U)                                                \
    X(I32_LOAD16_U, I32_LOAD16_U)                                            \
    X(I32_LOAD16_U, AND_I)                                                   \
    X(I32_LOAD8_U, AND_I)                                                    \
    X(SUB_I, AND_I)                                                          \
    X(I32_XOR, AND_I)                                                        \
    X(AND_I, I32_XOR)                                                        \
    X(AND_I, SEL)                                                            \
    X(SHR_U_AND_I, XOR_I)                                                    \
    X(XOR_I, SHR_U_I)                                                        \
    X(SHR_U_I, I32_XOR)                                                      \
    X(MUL_ADD_I, SHR_U_I)                                                    \
    X(I32_STORE, ADD_I)                                                      \
    X(ADD_I, I32_ADD)                                                        \
    X(I32_ADD, SUB_I)                                                        \
    X(I32_LOAD16_S_MADD, I32_LOAD16_S_MADD)                                  \
    X(I32_GT_S, SEL)                                                         \
    X(LT_S_I, SEL)                                                           \
    X(I32_MUL, SHR_U_AND_I)                                                  \
    X(F64_STORE, F64_LOAD)                                                   \
    X(F64_STORE, SUB_I)                                                      \
    X(F64_LOAD, F64_LOAD)                                                    \
    X(F64_MUL3, F64_SUB)                                                     \
    X(F64_MUL3, F64_LOAD_RADD)                                               \
    X(F64_LOAD_RADD, F64_STORE)                                              \
    X(MOV, I32_LOAD_BR_Z)                                                    \
    X(MOV, BR_NZ_L)                                                          \
    X(SUB_I, BR_NZ_L)                                                        \
    X(ADD_I, BRC_NE_L)                                                       \
    X(ADD_I, BRC_NE_I_L)                                                     \
    X(ADD_I, I32_LOAD8_U_BR_Z)                                               \
    X(I32_XOR, BR_Z)                                                         \
    X(AND_I, BRC_EQ)                                                         \
    X(BRC_EQ_I, BR_TAB_F)                                                    \
    X(BRC_EQ_I, MOVI)                                                        \
    X(BR_Z, I32_LOAD_BR_NZ_L)                                                \
    X(BRC_EQ, I32_LOAD_BR_NZ_L)                                              \
    X(SHR_U_AND_I, SHR_U_AND_I)                                              \
    WB_JOINS_KERNELS(X)                                                      \
    WB_JOINS_NBODY2(X)
/* opfamilies.h WB_JOINS3_KERNELS says what these are */
#define WB_JOINS_KERNELS(X)                                                  \
    X(XOR_I, AND_ADD)                                                        \
    X(XOR_ADD, I32_LOAD_A)

/* Joined pairs of nbody's inner loop (eighth session, after its
 * read-modify-writes and F64_RMDIV_SQRT; `wasmbox disasm` of `advance`):
 * the differences' loads and the products that take them (`dx * m`,
 * `dz * dz`, then `dx * dx` and dy's load), the sum of squares' last two
 * adds, `mag` and a->vx's update, its store and a->vy's update, each
 * update and the next one's address (`b->v`'s `p - 24`, ...) or the
 * pointer's step. 22 dispatches an iteration -> 12. */
#define WB_JOINS_NBODY2(X)                                                   \
    X(F64_LOAD_RSUB, F64_MUL)                                                \
    X(F64_MUL, F64_LOAD_RSUB)                                                \
    X(F64_RMADD, F64_ADD)                                                    \
    X(F64_RMDIV_SQRT, F64_RMSUB)                                             \
    X(F64_STORE, F64_RMW_SUB_MUL3)                                           \
    X(F64_RMW_SUB_MUL3, SUB_I)                                               \
    X(F64_RMW_RADD_MUL3, SUB_I)                                              \
    X(F64_RMW_RADD_MUL3, ADD_I)

/* Joined triples (issue 12): three adjacent instructions, one handler, as
 * joined pairs with one step more (translate.c join_pairs tries them
 * first). The middle step may branch (a forward branch or a
 * load-and-branch): taken, it goes to its target as itself; not taken, the
 * third runs (no branch targets it, the verifier checks). X(FIRST, SECOND,
 * THIRD); the triples are the most frequent runs of three of CoreMark and
 * the mix (`make bench-pairs`: a joined pair followed by an instruction). */
#define WB_JOINS3(X)                                                         \
    X(MOV, I32_LOAD_BR_Z, I32_LOAD16_S_BRC_LT_S_L)                           \
    X(I32_STORE, MOV, BR_NZ_L)                                               \
    X(ADD_I, I32_LOAD8_U_BR_Z, MOV)                                          \
    X(I32_LOAD, ADD_I, I32_STORE)                                            \
    X(MADD, ADD_I, I32_ADD)                                                  \
    X(I32_LOAD16_U, I32_LOAD16_U, I32_MUL)                                   \
    X(AND_I, SEL, SHR_U_AND_I)                                               \
    X(XOR_I, SHR_U_I, I32_XOR)                                               \
    X(I32_LOAD, I32_LOAD16_U, AND_I)                                         \
    X(I32_LOAD, I32_LOAD8_U, AND_I)                                          \
    X(I32_XOR, BR_Z, I32_LOAD_BR_NZ_L)                                       \
    X(SUB_I, AND_I, BRC_GE_U_I)                                              \
    X(SUB_I, AND_I, BRC_GT_U_I)                                              \
    WB_JOINS3_KERNELS(X)

/* Joined triples of the kernels sha256 and sieve (issue 12, seventh
 * session; `make bench-pairs` on bench/run.py's sizes): sieve's inner loop
 * `for (k = i + i; k <= SIZE; k += i) flags[k] = 0` is one dispatch an
 * iteration (was three) and its outer loop's `i++; if (i == end) break;
 * flags[i]` one (was three); sha256's rounds (its Sigma and sigma
 * functions, joined triples of rotates in the seventh session, are one
 * instruction each since the eighth: WB_ROT_CHAINS): the round's last
 * two adds with its `i != 63` test, its next w[i] load with the index
 * step and the first of the eight-variable rotation's MOV2s, the other
 * three MOV2s, the round's `K[i]` load with the first two adds (the last
 * an and-add of Ch), Maj's `((b ^ c) & a)` and `b & c`; the schedule's
 * `w[i - 15]` address, load and add, and its store, index step and loop
 * test. Two joined pairs besides (WB_JOINS_KERNELS): Ch's `~e` and its
 * and-add, the schedule's sigma0 sum and the `w[i - 2]` load. */
#define WB_JOINS3_KERNELS(X)                                                 \
    X(I32_STORE8_X, I32_ADD, BRC_LT_U_I_L)                                   \
    X(ADD_I, BRC_EQ_I, I32_LOAD8_U_X)                                        \
    X(I32_ADD, I32_ADD, BRC_NE_I)                                            \
    X(I32_LOAD_X, ADD_I, MOV2)                                               \
    X(MOV2, MOV2, MOV2)                                                      \
    X(I32_LOAD_A, I32_ADD, AND_ADD)                                          \
    X(I32_XOR, I32_AND, I32_AND)                                             \
    X(SUB_I, I32_LOAD_A, I32_ADD)                                            \
    X(I32_STORE, ADD_I, BRC_NE_I_L)                                          \
    WB_JOINS3_ROT(X)                                                         \
    WB_JOINS3_NBODY2(X)

/* Joined triples around the rotate chains (WB_ROT_CHAINS, eighth session):
 * sha256's round `Sigma1(e) + ... ; Sigma0(a)` (ROTL3_XOR, the ADD3 that
 * takes its result, the next ROTL3_XOR) and its schedule's `w[i - 15]`
 * load, sigma0 and the add of it (twice a round, sigma1 with `w[i - 2]`). */
#define WB_JOINS3_ROT(X)                                                     \
    X(ROTL3_XOR, ADD3, ROTL3_XOR)                                            \
    X(I32_LOAD_A, ROTL2_SHR_U_XOR, I32_ADD)

/* Rotate chains (issue 12, eighth session): sha256's Sigma functions
 * ror(e,6) ^ ror(e,11) ^ ror(e,25) and its schedule's sigmas
 * ror(x,7) ^ ror(x,18) ^ (x >> 3), which clang emits as i32.rotl of one
 * operand by constants, xor'ed together: one instruction that reads the
 * operand once and writes one slot (the joined ROTL_I, ROTL_XOR, ROTL_XOR
 * wrote three and read two of them back). translate.c emit_rot_chain
 * builds them where the ROTL_XOR fusion would be emitted and the rotate
 * just before it rotates the same slot into the xor's other operand:
 * ROTL_I then ROTL_XOR make ROTL2_XOR [a k1][k2 dst]; ROTL2_XOR then
 * ROTL_XOR make ROTL3_XOR [a k1][k2 k3][dst _]; ROTL2_XOR then a
 * SHR_U_I of the same slot xor'ed in make ROTL2_SHR_U_XOR (the same
 * layout). X(NAME, LAYOUT, EXPRESSION of uint32_t a, k1, k2, k3); the
 * constants are kept as written (wb_rotl32 and the shift take them mod 32,
 * as i32.rotl and i32.shr_u do). */
#define WB_ROT_CHAINS(X)                                                     \
    X(ROTL2_XOR, "rk kw", wb_rotl32(a, k1) ^ wb_rotl32(a, k2))               \
    X(ROTL3_XOR, "rk kk w_", wb_rotl32(a, k1) ^ wb_rotl32(a, k2) ^ wb_rotl32(a, k3)) \
    X(ROTL2_SHR_U_XOR, "rk kk w_", wb_rotl32(a, k1) ^ wb_rotl32(a, k2) ^ (a >> (k3 & 31)))

/* Joined triples of nbody (eighth session): `advance`'s position updates,
 * `x += dt * vx` for each coordinate of each body (15 a step, clang
 * unrolls the loop): F64_LOAD_MUL, F64_LOAD_RADD, f64.store, one dispatch
 * (was two: F64_LOAD_MUL and the joined pair of the other two). */
#define WB_JOINS3_NBODY2(X) X(F64_LOAD_MUL, F64_LOAD_RADD, F64_STORE)

/* The steps: WB_JOP_<step> its handler number, WB_JLAY_<step> its layout
 * in xops.def's notation (a joined handler's layout is its first step's:
 * the code walker and the verifier then read the second as itself), and
 * WB_JCELLS_<step> its cells (compiled.h checks they agree). */
#define WB_JOP_ADD_I WB_XOP_ADD_I
#define WB_JLAY_ADD_I "rk w_"
#define WB_JCELLS_ADD_I WB_CELLS_X_ADD_I
#define WB_JOP_SUB_I WB_XOP_SUB_I
#define WB_JLAY_SUB_I "rk w_"
#define WB_JCELLS_SUB_I WB_CELLS_X_SUB_I
#define WB_JOP_AND_I WB_XOP_AND_I
#define WB_JLAY_AND_I "rk w_"
#define WB_JCELLS_AND_I WB_CELLS_X_AND_I
#define WB_JOP_XOR_I WB_XOP_XOR_I
#define WB_JLAY_XOR_I "rk w_"
#define WB_JCELLS_XOR_I WB_CELLS_X_XOR_I
#define WB_JOP_SHR_U_I WB_XOP_SHR_U_I
#define WB_JLAY_SHR_U_I "rk w_"
#define WB_JCELLS_SHR_U_I WB_CELLS_X_SHR_U_I
#define WB_JOP_SHR_U_AND_I WB_XOP_SHR_U_AND_I
#define WB_JLAY_SHR_U_AND_I "rk kw"
#define WB_JCELLS_SHR_U_AND_I WB_CELLS_X_SHR_U_AND_I
#define WB_JOP_MUL_ADD_I WB_XOP_MUL_ADD_I
#define WB_JLAY_MUL_ADD_I "rk kw"
#define WB_JCELLS_MUL_ADD_I WB_CELLS_X_MUL_ADD_I
#define WB_JOP_MOV WB_XOP_MOV
#define WB_JLAY_MOV "rw"
#define WB_JCELLS_MOV WB_CELLS_X_MOV
#define WB_JOP_MOVI WB_XOP_MOVI
#define WB_JLAY_MOVI "w_ KK"
#define WB_JCELLS_MOVI WB_CELLS_X_MOVI
#define WB_JOP_SEL WB_XOP_SEL
#define WB_JLAY_SEL "rr rw"
#define WB_JCELLS_SEL WB_CELLS_X_SEL
#define WB_JOP_I32_ADD WB_OP_I32_ADD
#define WB_JLAY_I32_ADD "rr w_"
#define WB_JCELLS_I32_ADD WB_CELLS_I32_ADD
#define WB_JOP_I32_XOR WB_OP_I32_XOR
#define WB_JLAY_I32_XOR "rr w_"
#define WB_JCELLS_I32_XOR WB_CELLS_I32_XOR
#define WB_JOP_I32_LOAD WB_OP_I32_LOAD
#define WB_JLAY_I32_LOAD "rw EE"
#define WB_JCELLS_I32_LOAD WB_CELLS_I32_LOAD
#define WB_JOP_I32_LOAD8_U WB_OP_I32_LOAD8_U
#define WB_JLAY_I32_LOAD8_U "rw EE"
#define WB_JCELLS_I32_LOAD8_U WB_CELLS_I32_LOAD8_U
#define WB_JOP_I32_LOAD16_U WB_OP_I32_LOAD16_U
#define WB_JLAY_I32_LOAD16_U "rw EE"
#define WB_JCELLS_I32_LOAD16_U WB_CELLS_I32_LOAD16_U
#define WB_JOP_I32_STORE WB_OP_I32_STORE
#define WB_JLAY_I32_STORE "rr EE"
#define WB_JCELLS_I32_STORE WB_CELLS_I32_STORE
#define WB_JOP_F64_LOAD WB_OP_F64_LOAD
#define WB_JLAY_F64_LOAD "rw EE"
#define WB_JCELLS_F64_LOAD WB_CELLS_F64_LOAD
#define WB_JOP_F64_STORE WB_OP_F64_STORE
#define WB_JLAY_F64_STORE "rr EE"
#define WB_JCELLS_F64_STORE WB_CELLS_F64_STORE
#define WB_JOP_F64_SUB WB_OP_F64_SUB
#define WB_JLAY_F64_SUB "rr w_"
#define WB_JCELLS_F64_SUB WB_CELLS_F64_SUB
#define WB_JOP_F64_MUL3 WB_XOP_F64_MUL3
#define WB_JLAY_F64_MUL3 "rr rw"
#define WB_JCELLS_F64_MUL3 WB_CELLS_X_F64_MUL3
#define WB_JOP_F64_LOAD_RADD WB_XOP_F64_LOAD_RADD
#define WB_JLAY_F64_LOAD_RADD "rr ek w_"
#define WB_JCELLS_F64_LOAD_RADD WB_CELLS_X_F64_LOAD_RADD
#define WB_JOP_I32_GT_S WB_OP_I32_GT_S
#define WB_JLAY_I32_GT_S "rr w_"
#define WB_JCELLS_I32_GT_S WB_CELLS_I32_GT_S
#define WB_JOP_I32_MUL WB_OP_I32_MUL
#define WB_JLAY_I32_MUL "rr w_"
#define WB_JCELLS_I32_MUL WB_CELLS_I32_MUL
#define WB_JOP_LT_S_I WB_XOP_LT_S_I
#define WB_JLAY_LT_S_I "rk w_"
#define WB_JCELLS_LT_S_I WB_CELLS_X_LT_S_I
#define WB_JOP_I32_LOAD16_S_MADD WB_XOP_I32_LOAD16_S_MADD
#define WB_JLAY_I32_LOAD16_S_MADD "rr ek rw"
#define WB_JCELLS_I32_LOAD16_S_MADD WB_CELLS_X_I32_LOAD16_S_MADD
/* branches (a joined handler's layout is its first's); only forward
 * ones are first steps (verify.c: a join's targets are FUEL cells) */
#define WB_JOP_BR_NZ_L WB_XOP_BR_NZ_L
#define WB_JLAY_BR_NZ_L "r_ tc"
#define WB_JCELLS_BR_NZ_L WB_CELLS_X_BR_NZ_L
#define WB_JOP_BRC_EQ WB_XOP_BRC_EQ
#define WB_JLAY_BRC_EQ "rr tc"
#define WB_JCELLS_BRC_EQ WB_CELLS_X_BRC_EQ
#define WB_JOP_BR_Z WB_XOP_BR_Z
#define WB_JLAY_BR_Z "r_ tc"
#define WB_JCELLS_BR_Z WB_CELLS_X_BR_Z
#define WB_JOP_BRC_NE_L WB_XOP_BRC_NE_L
#define WB_JLAY_BRC_NE_L "rr tc"
#define WB_JCELLS_BRC_NE_L WB_CELLS_X_BRC_NE_L
#define WB_JOP_BRC_NE_I_L WB_XOP_BRC_NE_I_L
#define WB_JLAY_BRC_NE_I_L "rk tc"
#define WB_JCELLS_BRC_NE_I_L WB_CELLS_X_BRC_NE_I_L
#define WB_JOP_I32_LOAD_BR_Z WB_XOP_I32_LOAD_BR_Z
#define WB_JLAY_I32_LOAD_BR_Z "rw EE tc"
#define WB_JCELLS_I32_LOAD_BR_Z WB_CELLS_X_I32_LOAD_BR_Z
#define WB_JOP_I32_LOAD8_U_BR_Z WB_XOP_I32_LOAD8_U_BR_Z
#define WB_JLAY_I32_LOAD8_U_BR_Z "rw EE tc"
#define WB_JCELLS_I32_LOAD8_U_BR_Z WB_CELLS_X_I32_LOAD8_U_BR_Z
#define WB_JOP_BRC_EQ_I WB_XOP_BRC_EQ_I
#define WB_JLAY_BRC_EQ_I "rk tc"
#define WB_JCELLS_BRC_EQ_I WB_CELLS_X_BRC_EQ_I
#define WB_JOP_I32_LOAD_BR_NZ_L WB_XOP_I32_LOAD_BR_NZ_L
#define WB_JLAY_I32_LOAD_BR_NZ_L "rw EE tc"
#define WB_JCELLS_I32_LOAD_BR_NZ_L WB_CELLS_X_I32_LOAD_BR_NZ_L
#define WB_JOP_BR_TAB_F WB_XOP_BR_TAB_F
#define WB_JLAY_BR_TAB_F "rn rn TT"
#define WB_JCELLS_BR_TAB_F WB_CELLS_X_BR_TAB_F
#define WB_JOP_I32_LOAD16_S_BRC_LT_S_L WB_XOP_I32_LOAD16_S_BRC_LT_S_L
#define WB_JLAY_I32_LOAD16_S_BRC_LT_S_L "rr ek tc"
#define WB_JCELLS_I32_LOAD16_S_BRC_LT_S_L WB_CELLS_X_I32_LOAD16_S_BRC_LT_S_L
#define WB_JOP_BRC_GE_U_I WB_XOP_BRC_GE_U_I
#define WB_JLAY_BRC_GE_U_I "rk tc"
#define WB_JCELLS_BRC_GE_U_I WB_CELLS_X_BRC_GE_U_I
#define WB_JOP_BRC_GT_U_I WB_XOP_BRC_GT_U_I
#define WB_JLAY_BRC_GT_U_I "rk tc"
#define WB_JCELLS_BRC_GT_U_I WB_CELLS_X_BRC_GT_U_I
#define WB_JOP_MADD WB_XOP_MADD
#define WB_JLAY_MADD "rr rw"
#define WB_JCELLS_MADD WB_CELLS_X_MADD
/* the steps of WB_JOINS3_KERNELS */
#define WB_JOP_MOV2 WB_XOP_MOV2
#define WB_JLAY_MOV2 "rw rw"
#define WB_JCELLS_MOV2 WB_CELLS_X_MOV2
#define WB_JOP_I32_LOAD_X WB_XOP_I32_LOAD_X
#define WB_JLAY_I32_LOAD_X "rw er"
#define WB_JCELLS_I32_LOAD_X WB_CELLS_X_I32_LOAD_X
#define WB_JOP_I32_LOAD8_U_X WB_XOP_I32_LOAD8_U_X
#define WB_JLAY_I32_LOAD8_U_X "rw er"
#define WB_JCELLS_I32_LOAD8_U_X WB_CELLS_X_I32_LOAD8_U_X
#define WB_JOP_I32_STORE8_X WB_XOP_I32_STORE8_X
#define WB_JLAY_I32_STORE8_X "rr er"
#define WB_JCELLS_I32_STORE8_X WB_CELLS_X_I32_STORE8_X
#define WB_JOP_BRC_NE_I WB_XOP_BRC_NE_I
#define WB_JLAY_BRC_NE_I "rk tc"
#define WB_JCELLS_BRC_NE_I WB_CELLS_X_BRC_NE_I
#define WB_JOP_BRC_LT_U_I_L WB_XOP_BRC_LT_U_I_L
#define WB_JLAY_BRC_LT_U_I_L "rk tc"
#define WB_JCELLS_BRC_LT_U_I_L WB_CELLS_X_BRC_LT_U_I_L
#define WB_JOP_I32_LOAD_A WB_XOP_I32_LOAD_A
#define WB_JLAY_I32_LOAD_A "rw ek"
#define WB_JCELLS_I32_LOAD_A WB_CELLS_X_I32_LOAD_A
#define WB_JOP_AND_ADD WB_XOP_AND_ADD
#define WB_JLAY_AND_ADD "rr rw"
#define WB_JCELLS_AND_ADD WB_CELLS_X_AND_ADD
#define WB_JOP_XOR_ADD WB_XOP_XOR_ADD
#define WB_JLAY_XOR_ADD "rr rw"
#define WB_JCELLS_XOR_ADD WB_CELLS_X_XOR_ADD
#define WB_JOP_I32_AND WB_OP_I32_AND
#define WB_JLAY_I32_AND "rr w_"
#define WB_JCELLS_I32_AND WB_CELLS_I32_AND
/* the steps of WB_JOINS3_ROT */
#define WB_JOP_ROTL3_XOR WB_XOP_ROTL3_XOR
#define WB_JLAY_ROTL3_XOR "rk kk w_"
#define WB_JCELLS_ROTL3_XOR WB_CELLS_X_ROTL3_XOR
#define WB_JOP_ROTL2_SHR_U_XOR WB_XOP_ROTL2_SHR_U_XOR
#define WB_JLAY_ROTL2_SHR_U_XOR "rk kk w_"
#define WB_JCELLS_ROTL2_SHR_U_XOR WB_CELLS_X_ROTL2_SHR_U_XOR
#define WB_JOP_ADD3 WB_XOP_ADD3
#define WB_JLAY_ADD3 "rr rw"
#define WB_JCELLS_ADD3 WB_CELLS_X_ADD3
/* the steps of WB_JOINS_NBODY2 and WB_JOINS3_NBODY2 */
#define WB_JOP_F64_LOAD_MUL WB_XOP_F64_LOAD_MUL
#define WB_JLAY_F64_LOAD_MUL "rr ek w_"
#define WB_JCELLS_F64_LOAD_MUL WB_CELLS_X_F64_LOAD_MUL
#define WB_JOP_F64_LOAD_RSUB WB_XOP_F64_LOAD_RSUB
#define WB_JLAY_F64_LOAD_RSUB "rr ek w_"
#define WB_JCELLS_F64_LOAD_RSUB WB_CELLS_X_F64_LOAD_RSUB
#define WB_JOP_F64_MUL WB_OP_F64_MUL
#define WB_JLAY_F64_MUL "rr w_"
#define WB_JCELLS_F64_MUL WB_CELLS_F64_MUL
#define WB_JOP_F64_ADD WB_OP_F64_ADD
#define WB_JLAY_F64_ADD "rr w_"
#define WB_JCELLS_F64_ADD WB_CELLS_F64_ADD
#define WB_JOP_F64_RMADD WB_XOP_F64_RMADD
#define WB_JLAY_F64_RMADD "rr rw"
#define WB_JCELLS_F64_RMADD WB_CELLS_X_F64_RMADD
#define WB_JOP_F64_RMSUB WB_XOP_F64_RMSUB
#define WB_JLAY_F64_RMSUB "rr rw"
#define WB_JCELLS_F64_RMSUB WB_CELLS_X_F64_RMSUB
#define WB_JOP_F64_RMDIV_SQRT WB_XOP_F64_RMDIV_SQRT
#define WB_JLAY_F64_RMDIV_SQRT "rr rw"
#define WB_JCELLS_F64_RMDIV_SQRT WB_CELLS_X_F64_RMDIV_SQRT
#define WB_JOP_F64_RMW_SUB_MUL3 WB_XOP_F64_RMW_SUB_MUL3
#define WB_JLAY_F64_RMW_SUB_MUL3 "rr ek rr"
#define WB_JCELLS_F64_RMW_SUB_MUL3 WB_CELLS_X_F64_RMW_SUB_MUL3
#define WB_JOP_F64_RMW_RADD_MUL3 WB_XOP_F64_RMW_RADD_MUL3
#define WB_JLAY_F64_RMW_RADD_MUL3 "rr ek rr"
#define WB_JCELLS_F64_RMW_RADD_MUL3 WB_CELLS_X_F64_RMW_RADD_MUL3

#endif
