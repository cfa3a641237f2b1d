/* The reader's text forms of 3.0 instructions the engine's opcode table has
 * no rows for yet (exceptions, typed function references, GC): this file
 * compiles the reader's instruction code (wat/instr.c) with the extra rows
 * of wat_rows3.def, so these forms are tested before the rows land in
 * vm/opcodes.def; the rest of the reader comes from libwbwat.a. Every
 * expected byte is written by hand from the 3.0 binary format (try_table's
 * catch clauses, legacy try/catch/delegate, the 0xFB sub-opcodes, br_on_cast
 * flags), never captured from the reader. */
#define WAT_OPCODES_DEF "../tests/unit/wat_rows3.def"
#include "../../wat/instr.c"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wat_expect.h"

/* try_table bt vec(catch) instr* end: catch 0 (tag, label), catch_all 2
 * (label); the labels resolved outside the try_table; throw's tag index */
static void test_try_table(void **state)
{
    (void)state;
    expect_bytes("(module (tag $e) (func (block $out (try_table (catch $e $out) (catch_all $out) (nop)))))",
                 B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0D, 0x03, 0x01, 0x00,
                   0x00, 0x0A, 0x11, 0x01, 0x0F, 0x00, 0x02, 0x40, 0x1F, 0x40, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00,
                   0x01, 0x0B, 0x0B, 0x0B));
    expect_bytes("(module (tag $e (param i32))\n"
                 "  (func try_table (result i32) (catch $e 0) (throw $e (i32.const 1)) end))",
                 B(HDR, 0x01, 0x08, 0x02, 0x60, 0x01, 0x7F, 0x00, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x01,
                   0x0D, 0x03, 0x01, 0x00, 0x00, 0x0A, 0x0F, 0x01, 0x0D, 0x00, 0x1F, 0x7F, 0x01, 0x00, 0x00, 0x00,
                   0x41, 0x01, 0x08, 0x00, 0x0B, 0x0B));
}

/* legacy: 0x06 bt instr* (0x07 tag instr*)* (0x19 instr*)? 0x0B, or
 * 0x06 bt instr* 0x18 label (its label counted outside the try) */
static void test_legacy_try(void **state)
{
    (void)state;
    expect_bytes("(module (tag $e) (func (block $b\n"
                 "  (try (do (try (do nop) (delegate $b))) (catch $e) (catch_all)))))",
                 B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0D, 0x03, 0x01, 0x00,
                   0x00, 0x0A, 0x12, 0x01, 0x10, 0x00, 0x02, 0x40, 0x06, 0x40, 0x06, 0x40, 0x01, 0x18, 0x01, 0x07,
                   0x00, 0x19, 0x0B, 0x0B, 0x0B));
    expect_bytes("(module (tag $e) (func try $l catch $e rethrow $l catch_all end))",
                 B(HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0D, 0x03, 0x01, 0x00,
                   0x00, 0x0A, 0x0C, 0x01, 0x0A, 0x00, 0x06, 0x40, 0x07, 0x00, 0x09, 0x00, 0x19, 0x0B, 0x0B));
    /* delegate ends a try without handlers only */
    expect_error("(module (tag $e) (func (try (do) (catch $e) (delegate 0))))", 1, 45, "expected ')'");
    expect_error("(module (func catch_all))", 1, 15, "expected ')'");
}

/* call_ref's type index, br_on_null's label */
static void test_typed_function_references(void **state)
{
    (void)state;
    expect_bytes("(module (type $f (func)) (func (param (ref null $f))\n"
                 "  (block $l (br_on_null $l (local.get 0)) (call_ref $f))))",
                 B(HDR, 0x01, 0x09, 0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x63, 0x00, 0x00, 0x03, 0x02, 0x01,
                   0x01, 0x0A, 0x0D, 0x01, 0x0B, 0x00, 0x02, 0x40, 0x20, 0x00, 0xD5, 0x00, 0x14, 0x00, 0x0B,
                   0x0B));
}

/* 0xFB: type and field indices (a field by name), a data segment (the data
 * count section then), ref.test/ref.cast with the nullable form one
 * sub-opcode up, br_on_cast's flags (bit 0: first type nullable) */
static void test_gc_instructions(void **state)
{
    (void)state;
    expect_bytes("(module (type $s (struct (field $a i32) (field $b (mut i64)))) (type $v (array i8))\n"
                 "  (data $d \"xy\")\n"
                 "  (func (drop (struct.get $s $b (struct.new_default $s)))\n"
                 "    (drop (array.new_data $v $d (i32.const 0) (i32.const 2)))\n"
                 "    (drop (ref.test (ref null $s) (ref.null none)))\n"
                 "    (drop (ref.cast i31ref (ref.null none)))))",
                 B(HDR, 0x01, 0x0D, 0x03, 0x5F, 0x02, 0x7F, 0x00, 0x7E, 0x01, 0x5E, 0x78, 0x00, 0x60, 0x00,
                   0x00, 0x03, 0x02, 0x01, 0x02, 0x0C, 0x01, 0x01, 0x0A, 0x21, 0x01, 0x1F, 0x00, 0xFB, 0x01, 0x00,
                   0xFB, 0x02, 0x00, 0x01, 0x1A, 0x41, 0x00, 0x41, 0x02, 0xFB, 0x09, 0x01, 0x00, 0x1A, 0xD0, 0x71,
                   0xFB, 0x15, 0x00, 0x1A, 0xD0, 0x71, 0xFB, 0x17, 0x6C, 0x1A, 0x0B, 0x0B, 0x05, 0x01, 0x01, 0x02,
                   0x78, 0x79));
    expect_bytes("(module (func (param anyref) (block $l (br_on_cast $l anyref (ref i31) (local.get 0)) drop)))",
                 B(HDR, 0x01, 0x05, 0x01, 0x60, 0x01, 0x6E, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0A, 0x10, 0x01, 0x0E,
                   0x00, 0x02, 0x40, 0x20, 0x00, 0xFB, 0x18, 0x01, 0x00, 0x6E, 0x6C, 0x1A, 0x0B, 0x0B));
    expect_error("(module (type $s (struct (field $a i32))) (func (drop (struct.get $s $zz (ref.null $s)))))", 1,
                 70, "unknown field '$zz' of type 0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_try_table),
        cmocka_unit_test(test_legacy_try),
        cmocka_unit_test(test_typed_function_references),
        cmocka_unit_test(test_gc_instructions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
