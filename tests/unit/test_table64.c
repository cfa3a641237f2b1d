/* 64-bit tables (table64; vm/README.md "64-bit tables"): what the
 * validator refuses on them (i32 operands where the table's address type
 * is i64, a segment offset of the wrong type, minimum over maximum) and
 * import matching by address type. The modules are written out byte by
 * byte; the offsets are counted by hand from the bytes (given with each),
 * the texts are the validator's usual ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../vm/vm.h"

#define HEADER 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00
/* 0x08: type 0 [] -> []; 0x0e: function 0 of type 0 */
#define FUNC_OF_TYPE0 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00
/* 0x12: (table i64 1 funcref), its flags byte at 0x16 */
#define TABLE64 0x04, 0x04, 0x01, 0x70, 0x04, 0x01

static void expect_valid(const uint8_t *bytes, size_t len)
{
    wb_error err;
    memset(&err, 0, sizeof err);
    if (!wb_module_validate(bytes, len, &err))
        fail_msg("expected valid, got: %s", err.message);
}

static void expect_refused(const uint8_t *bytes, size_t len, wb_error_kind kind, size_t offset,
                           const char *message)
{
    wb_error err;
    memset(&err, 0, sizeof err);
    assert_false(wb_module_validate(bytes, len, &err));
    if (err.kind != kind || err.offset != offset || strcmp(err.message, message) != 0)
        fail_msg("expected kind %d at 0x%zx \"%s\", got kind %d at 0x%zx \"%s\"", kind, offset,
                 message, err.kind, (size_t)err.offset, err.message);
}

/* table.get and call_indirect on a 64-bit table take an i64 index:
 * code section at 0x18, the body's locals at 0x1c, the instruction at 0x1f */
static void test_index_is_i64(void **state)
{
    (void)state;
    static const uint8_t get64[] = {HEADER, FUNC_OF_TYPE0, TABLE64, 0x0a, 0x09, 0x01, 0x07, 0x00,
                                    0x42, 0x00, 0x25, 0x00, 0x1a, 0x0b};
    expect_valid(get64, sizeof get64);
    static const uint8_t get32[] = {HEADER, FUNC_OF_TYPE0, TABLE64, 0x0a, 0x09, 0x01, 0x07, 0x00,
                                    0x41, 0x00, 0x25, 0x00, 0x1a, 0x0b};
    expect_refused(get32, sizeof get32, WB_ERR_INVALID, 0x1f,
                   "function 0, offset 0x1f: type mismatch: expected i64, got i32");
    static const uint8_t call64[] = {HEADER, FUNC_OF_TYPE0, TABLE64, 0x0a, 0x09, 0x01, 0x07, 0x00,
                                     0x42, 0x00, 0x11, 0x00, 0x00, 0x0b};
    expect_valid(call64, sizeof call64);
    static const uint8_t call32[] = {HEADER, FUNC_OF_TYPE0, TABLE64, 0x0a, 0x09, 0x01, 0x07, 0x00,
                                     0x41, 0x00, 0x11, 0x00, 0x00, 0x0b};
    expect_refused(call32, sizeof call32, WB_ERR_INVALID, 0x1f,
                   "function 0, offset 0x1f: type mismatch: expected i64, got i32");
    /* table.size of a 64-bit table is an i64: as i32.eqz's operand (0x45,
     * after table.size's three bytes at 0x1d) it is a mismatch at 0x20 */
    static const uint8_t size[] = {HEADER, FUNC_OF_TYPE0, TABLE64, 0x0a, 0x09, 0x01, 0x07, 0x00,
                                   0xfc, 0x10, 0x00, 0x45, 0x1a, 0x0b};
    expect_refused(size, sizeof size, WB_ERR_INVALID, 0x20,
                   "function 0, offset 0x20: type mismatch: expected i32, got i64");
}

/* table.copy between a 32-bit (0) and a 64-bit (1) table: the destination
 * index i32, the source i64, the length i32 (the smaller address type).
 * Tables at 0x12 (size 7), code at 0x1b, table.copy at 0x26. */
static void test_copy_mixed(void **state)
{
    (void)state;
    static const uint8_t ok[] = {HEADER, FUNC_OF_TYPE0, 0x04, 0x07, 0x02, 0x70, 0x00, 0x01, 0x70,
                                 0x04, 0x01, 0x0a, 0x0e, 0x01, 0x0c, 0x00, 0x41, 0x00, 0x42, 0x00,
                                 0x41, 0x00, 0xfc, 0x0e, 0x00, 0x01, 0x0b};
    expect_valid(ok, sizeof ok);
    static const uint8_t len64[] = {HEADER, FUNC_OF_TYPE0, 0x04, 0x07, 0x02, 0x70, 0x00, 0x01, 0x70,
                                    0x04, 0x01, 0x0a, 0x0e, 0x01, 0x0c, 0x00, 0x41, 0x00, 0x42, 0x00,
                                    0x42, 0x00, 0xfc, 0x0e, 0x00, 0x01, 0x0b};
    expect_refused(len64, sizeof len64, WB_ERR_INVALID, 0x26,
                   "function 0, offset 0x26: type mismatch: expected i32, got i64");
}

/* (table i64 1 funcref) (elem (i32.const 0)): the offset must be an i64.
 * Table section at 0x08, element section at 0x0e: flags 0x11, i32.const
 * 0x12, its end 0x14 (a mismatch is found at the end) */
static void test_segment_offset(void **state)
{
    (void)state;
    static const uint8_t i64_off[] = {HEADER, 0x04, 0x04, 0x01, 0x70, 0x04, 0x01,
                                      0x09, 0x06, 0x01, 0x00, 0x42, 0x00, 0x0b, 0x00};
    expect_valid(i64_off, sizeof i64_off);
    static const uint8_t i32_off[] = {HEADER, 0x04, 0x04, 0x01, 0x70, 0x04, 0x01,
                                      0x09, 0x06, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x00};
    wb_error err;
    memset(&err, 0, sizeof err);
    assert_false(wb_module_validate(i32_off, sizeof i32_off, &err));
    assert_int_equal(err.kind, WB_ERR_INVALID);
    assert_int_equal(err.offset, 0x14);
    assert_non_null(strstr(err.message, "type mismatch"));
    assert_non_null(strstr(err.message, "element section"));
}

/* Limits of a 64-bit table: any u64 (2^32 is valid), minimum not over the
 * maximum (flags at 0x0c) */
static void test_limits(void **state)
{
    (void)state;
    static const uint8_t big[] = {HEADER, 0x04, 0x08, 0x01, 0x70, 0x04,
                                  0x80, 0x80, 0x80, 0x80, 0x10};
    expect_valid(big, sizeof big);
    static const uint8_t over[] = {HEADER, 0x04, 0x05, 0x01, 0x70, 0x05, 0x02, 0x01};
    expect_refused(over, sizeof over, WB_ERR_INVALID, 0x0c,
                   "table section, table 0, offset 0xc: size minimum must not be greater than maximum");
}

/* Imports match a table of the same address type only:
 * (import "h" "t" (table i64 1 funcref)) */
static void test_import_address_type(void **state)
{
    (void)state;
    static const uint8_t imp64[] = {HEADER, 0x02, 0x09, 0x01, 0x01, 'h', 0x01, 't',
                                    0x01, 0x70, 0x04, 0x01};
    static const uint8_t imp32[] = {HEADER, 0x02, 0x09, 0x01, 0x01, 'h', 0x01, 't',
                                    0x01, 0x70, 0x00, 0x01};
    wb_store *s = wb_store_new(NULL);
    assert_non_null(s);
    wb_value null_func;
    memset(&null_func, 0, sizeof null_func);
    null_func.type = WB_FUNCREF;
    wb_table *t32 = wb_table_new(s, WB_FUNCREF, 2, 0, false, null_func);
    wb_table *t64 = wb_table_new64(s, WB_FUNCREF, 2, UINT64_MAX, null_func);
    assert_non_null(t32);
    assert_non_null(t64);
    assert_false(wb_table_is64(t32));
    assert_true(wb_table_is64(t64));
    /* over the cap of 10,000,000 elements: no table */
    assert_null(wb_table_new64(s, WB_FUNCREF, (uint64_t)1 << 32, UINT64_MAX, null_func));
    wb_error err;
    wb_extern ext;
    memset(&ext, 0, sizeof ext);
    ext.kind = WB_EXTERN_TABLE;

    wb_module *m64 = wb_module_load(s, imp64, sizeof imp64, &err);
    assert_non_null(m64);
    ext.of.table = t64;
    assert_non_null(wb_instantiate(s, m64, &ext, 1, &err));
    ext.of.table = t32;
    assert_null(wb_instantiate(s, m64, &ext, 1, &err));
    assert_int_equal(err.kind, WB_ERR_LINK);
    assert_string_equal(err.message, "import 0 \"h\".\"t\", offset 0xb: incompatible import type "
                                     "(expected a table, got a 32-bit table for a 64-bit one (i64 "
                                     "indices))");

    wb_module *m32 = wb_module_load(s, imp32, sizeof imp32, &err);
    assert_non_null(m32);
    ext.of.table = t32;
    assert_non_null(wb_instantiate(s, m32, &ext, 1, &err));
    ext.of.table = t64;
    assert_null(wb_instantiate(s, m32, &ext, 1, &err));
    assert_string_equal(err.message, "import 0 \"h\".\"t\", offset 0xb: incompatible import type "
                                     "(expected a table, got a 64-bit table (i64 indices) for a "
                                     "32-bit one)");
    wb_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index_is_i64),      cmocka_unit_test(test_copy_mixed),
        cmocka_unit_test(test_segment_offset),    cmocka_unit_test(test_limits),
        cmocka_unit_test(test_import_address_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
