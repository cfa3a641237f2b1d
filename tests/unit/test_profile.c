/* The feature profile (vm.h, wb_features; vm/README.md "The feature
 * profile"): each switch where WebAssembly 2.0 and 3.0 contradict each
 * other, the same bytes loaded under both. The modules are written out
 * byte by byte below; the expected kinds and texts are the spec tests'
 * (2.0: shared/spec-testsuite, 3.0: shared/spec-testsuite-3.0, file and
 * line given with each), the offsets counted by hand from the bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../vm/vm.h"
#include "../../wat/wat.h"

#define HEADER 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00
/* type 0: [] -> []; function 0 of type 0 */
#define FUNC_OF_TYPE0 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00

static void expect_valid(const uint8_t *bytes, size_t len, wb_features f)
{
    wb_error err;
    memset(&err, 0, sizeof err);
    if (!wb_module_validate_features(bytes, len, f, &err))
        fail_msg("expected valid, got: %s", err.message);
}

static void expect_refused(const uint8_t *bytes, size_t len, wb_features f, wb_error_kind kind,
                           const char *message)
{
    wb_error err;
    memset(&err, 0, sizeof err);
    assert_false(wb_module_validate_features(bytes, len, f, &err));
    if (err.kind != kind || strcmp(err.message, message) != 0)
        fail_msg("expected kind %d \"%s\", got kind %d \"%s\"", kind, message, err.kind, err.message);
}

/* (global i32 (i32.const 5)) (global i32 (global.get 0)): 3.0 global.wast:373
 * is a module; 2.0 global.wast reads only imported globals. */
static void test_const_reads_earlier_module_global(void **state)
{
    (void)state;
    static const uint8_t m[] = {HEADER, 0x06, 0x0b, 0x02, 0x7f, 0x00, 0x41, 0x05, 0x0b,
                                0x7f, 0x00, 0x23, 0x00, 0x0b};
    expect_valid(m, sizeof m, WB_FEATURES_3_0);
    /* global.get is at 8 (header) + 2 (id, size) + 1 (count) + 5 + 2 = 0x12 */
    expect_refused(m, sizeof m, WB_FEATURES_2_0, WB_ERR_INVALID,
                   "global section, global 1, offset 0x12: unknown global 0");
    /* the default profile is 3.0 */
    wb_error err;
    assert_true(wb_module_validate(m, sizeof m, &err));
}

/* Only earlier globals, and only immutable ones (3.0 global.wast:362, 630,
 * 380). */
static void test_const_globals_to_the_letter(void **state)
{
    (void)state;
    /* (global i32 (global.get 1)) (global i32 (i32.const 0)) */
    static const uint8_t later[] = {HEADER, 0x06, 0x0b, 0x02, 0x7f, 0x00, 0x23, 0x01, 0x0b,
                                    0x7f, 0x00, 0x41, 0x00, 0x0b};
    expect_refused(later, sizeof later, WB_FEATURES_3_0, WB_ERR_INVALID,
                   "global section, global 0, offset 0xd: unknown global 1");
    /* (global i32 (global.get 0)): itself */
    static const uint8_t self[] = {HEADER, 0x06, 0x06, 0x01, 0x7f, 0x00, 0x23, 0x00, 0x0b};
    expect_refused(self, sizeof self, WB_FEATURES_3_0, WB_ERR_INVALID,
                   "global section, global 0, offset 0xd: unknown global 0");
    /* (global (mut i32) (i32.const 5)) (global i32 (global.get 0)) */
    static const uint8_t mut[] = {HEADER, 0x06, 0x0b, 0x02, 0x7f, 0x01, 0x41, 0x05, 0x0b,
                                  0x7f, 0x00, 0x23, 0x00, 0x0b};
    expect_refused(mut, sizeof mut, WB_FEATURES_3_0, WB_ERR_INVALID,
                   "global section, global 1, offset 0x12: constant expression required (global 0 "
                   "is mutable)");
}

/* (memory (export "m") 1) (global i32 (i32.const 8)) (data (global.get 0)
 * "x"): a segment sees every global the module defines (3.0 data.wast:89). */
static void test_segment_offset_reads_module_global(void **state)
{
    (void)state;
    static const uint8_t m[] = {HEADER, 0x05, 0x03, 0x01, 0x00, 0x01,
                                0x06, 0x06, 0x01, 0x7f, 0x00, 0x41, 0x08, 0x0b,
                                0x07, 0x05, 0x01, 0x01, 0x6d, 0x02, 0x00,
                                0x0b, 0x07, 0x01, 0x00, 0x23, 0x00, 0x0b, 0x01, 0x78};
    expect_valid(m, sizeof m, WB_FEATURES_3_0);
    /* data section at 0x1c: id, size, count, mode 0, then global.get at 0x20 */
    expect_refused(m, sizeof m, WB_FEATURES_2_0, WB_ERR_INVALID,
                   "data section, segment 0, offset 0x20: unknown global 0");

    /* a store loads under 3.0 unless told otherwise, and the offset is
     * the global's value at instantiation: 'x' lands at byte 8 */
    wb_store *s = wb_store_new(NULL);
    assert_non_null(s);
    assert_int_equal(wb_store_features(s), WB_FEATURES_3_0);
    wb_error err;
    wb_module *mod = wb_module_load(s, m, sizeof m, &err);
    assert_non_null(mod);
    wb_instance *inst = wb_instantiate(s, mod, NULL, 0, &err);
    assert_non_null(inst);
    wb_extern mem;
    assert_true(wb_instance_export(inst, "m", 1, &mem));
    assert_int_equal(mem.kind, WB_EXTERN_MEMORY);
    const uint8_t *data = wb_memory_data(mem.of.memory);
    assert_int_equal(data[7], 0);
    assert_int_equal(data[8], 'x');
    assert_int_equal(data[9], 0);
    wb_store_set_features(s, WB_FEATURES_2_0);
    assert_null(wb_module_load(s, m, sizeof m, &err));
    assert_int_equal(err.kind, WB_ERR_INVALID);
    wb_store_free(s);
}

/* Limits: 3.0 reads the flags as a byte and the sizes as u64 (binary.wast:
 * 633 "malformed limits flags"; memory.wast:78 "memory size"); 2.0 a 1-bit
 * LEB128 and u32s (binary.wast:831, memory.wast:80). */
static void test_limits_encoding(void **state)
{
    (void)state;
    /* memory section, one memory, flags 0x81 0x00 (flag 1 as a 2-byte LEB128) */
    static const uint8_t flags[] = {HEADER, 0x05, 0x05, 0x01, 0x81, 0x00, 0x00, 0x00};
    expect_refused(flags, sizeof flags, WB_FEATURES_3_0, WB_ERR_MALFORMED,
                   "memory section, offset 0xb: malformed limits flags");
    expect_refused(flags, sizeof flags, WB_FEATURES_2_0, WB_ERR_MALFORMED,
                   "memory section, offset 0xb: integer representation too long");
    /* minimum 2^32 pages: 80 80 80 80 10 */
    static const uint8_t big[] = {HEADER, 0x05, 0x07, 0x01, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10};
    expect_refused(big, sizeof big, WB_FEATURES_3_0, WB_ERR_INVALID,
                   "memory section, memory 0, offset 0xb: memory size must be at most 65536 pages "
                   "(4GiB)");
    expect_refused(big, sizeof big, WB_FEATURES_2_0, WB_ERR_MALFORMED,
                   "memory section, offset 0xc: integer too large");
    /* a table of 2^32 elements: 3.0 "table size" (table.wast:36) */
    static const uint8_t table[] = {HEADER, 0x04, 0x08, 0x01, 0x70, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10};
    wb_error err;
    assert_false(wb_module_validate_features(table, sizeof table, WB_FEATURES_3_0, &err));
    assert_int_equal(err.kind, WB_ERR_INVALID);
    assert_non_null(strstr(err.message, ": table size must be at most 2^32-1"));
}

/* (memory 1) (func (drop (i32.load align=4 offset=2^32 (i32.const 0)))),
 * and the same with the alignment field 0x20: 3.0 address.wast:214 and
 * align.wast:892 want them invalid, 2.0 binary-leb128 and align.wast:892
 * malformed. */
static void test_memarg_encoding(void **state)
{
    (void)state;
    static const uint8_t offset[] = {HEADER, FUNC_OF_TYPE0, 0x05, 0x03, 0x01, 0x00, 0x01,
                                     0x0a, 0x0e, 0x01, 0x0c, 0x00, 0x41, 0x00, 0x28, 0x02,
                                     0x80, 0x80, 0x80, 0x80, 0x10, 0x1a, 0x0b};
    /* type section 0x08, function section 0x0e, memory section 0x12, code
     * section 0x17: count 0x19, body size 0x1a, locals 0x1b, i32.const 0x1c,
     * i32.load 0x1e, its alignment 0x1f, its offset 0x20 */
    expect_refused(offset, sizeof offset, WB_FEATURES_3_0, WB_ERR_INVALID,
                   "function 0, offset 0x1e: offset out of range (i32.load: offset 4294967296)");
    expect_refused(offset, sizeof offset, WB_FEATURES_2_0, WB_ERR_MALFORMED,
                   "function 0, offset 0x20: integer too large");
    static const uint8_t align[] = {HEADER, FUNC_OF_TYPE0, 0x05, 0x03, 0x01, 0x00, 0x01,
                                    0x0a, 0x0a, 0x01, 0x08, 0x00, 0x41, 0x00, 0x28, 0x20,
                                    0x00, 0x1a, 0x0b};
    expect_refused(align, sizeof align, WB_FEATURES_3_0, WB_ERR_INVALID,
                   "function 0, offset 0x1e: alignment must not be larger than natural (i32.load: "
                   "2^32 > 2^2)");
    expect_refused(align, sizeof align, WB_FEATURES_2_0, WB_ERR_MALFORMED,
                   "function 0, offset 0x1e: malformed memop flags");
    /* a 6-byte LEB128 of offset 4: 3.0 reads it, 2.0 does not */
    static const uint8_t longleb[] = {HEADER, FUNC_OF_TYPE0, 0x05, 0x03, 0x01, 0x00, 0x01,
                                      0x0a, 0x0f, 0x01, 0x0d, 0x00, 0x41, 0x00, 0x28, 0x02,
                                      0x84, 0x80, 0x80, 0x80, 0x80, 0x00, 0x1a, 0x0b};
    expect_valid(longleb, sizeof longleb, WB_FEATURES_3_0);
    expect_refused(longleb, sizeof longleb, WB_FEATURES_2_0, WB_ERR_MALFORMED,
                   "function 0, offset 0x20: integer representation too long");
}

/* The texts that changed: global.set of an immutable global (3.0
 * global.wast:285 "immutable global", 2.0 global.wast:273 "global is
 * immutable"); an initializer cut short by its section (3.0 binary.wast:113
 * "unexpected end of section or function", 2.0 binary.wast:121 "illegal
 * opcode"). */
/* Multi-memory and memory64 each hang on one bit (WB_FEATURE_MULTI_MEMORY,
 * WB_FEATURE_MEMORY64): 3.0 reads them, 2.0 refuses them as 2.0's
 * binary.wast, align.wast and memory.wast want, and 3.0 without the bit
 * refuses them the same way. */
static void refused_containing(const uint8_t *bytes, size_t len, wb_features f, wb_error_kind kind,
                               const char *part)
{
    wb_error err;
    memset(&err, 0, sizeof err);
    assert_false(wb_module_validate_features(bytes, len, f, &err));
    if (err.kind != kind || !strstr(err.message, part))
        fail_msg("expected kind %d with \"%s\", got kind %d \"%s\"", kind, part, err.kind, err.message);
}

static void test_memory_features(void **state)
{
    (void)state;
    /* (memory i64 1) (func i64.const 0 i64.load offset=2^32 drop): a
     * 64-bit memory takes a u64 offset (3.0 address64.wast) */
    static const uint8_t m64[] = {HEADER, FUNC_OF_TYPE0, 0x05, 0x03, 0x01, 0x04, 0x01,
                                  0x0a, 0x0e, 0x01, 0x0c, 0x00, 0x42, 0x00, 0x29, 0x03,
                                  0x80, 0x80, 0x80, 0x80, 0x10, 0x1a, 0x0b};
    expect_valid(m64, sizeof m64, WB_FEATURES_3_0);
    /* the flags byte: 8 (header) + 10 (type, function) + 3 = 0x15 */
    static const char *limits64 = "memory section, offset 0x15: integer too large: limits flag "
                                  "0x04/0x05 (a 64-bit memory or table: memory64, WebAssembly 3.0) in a "
                                  "module read as 2.0";
    expect_refused(m64, sizeof m64, WB_FEATURES_2_0, WB_ERR_MALFORMED, limits64);
    expect_refused(m64, sizeof m64, WB_FEATURES_3_0 & ~WB_FEATURE_MEMORY64, WB_ERR_MALFORMED, limits64);
    /* two memories (3.0 multi-memory/memory-multi.wast; 2.0 memory.wast:
     * "multiple memories") */
    static const uint8_t two[] = {HEADER, 0x05, 0x05, 0x02, 0x00, 0x01, 0x00, 0x01};
    expect_valid(two, sizeof two, WB_FEATURES_3_0);
    refused_containing(two, sizeof two, WB_FEATURES_2_0, WB_ERR_INVALID, "multiple memories");
    refused_containing(two, sizeof two, WB_FEATURES_3_0 & ~WB_FEATURE_MULTI_MEMORY, WB_ERR_INVALID,
                       "multiple memories");
    /* i32.load with flag bit 6 and memory index 0 (2.0 align.wast / binary.wast:
     * "malformed memop flags") */
    static const uint8_t idx[] = {HEADER, FUNC_OF_TYPE0, 0x05, 0x03, 0x01, 0x00, 0x01,
                                  0x0a, 0x0b, 0x01, 0x09, 0x00, 0x41, 0x00, 0x28, 0x42,
                                  0x00, 0x00, 0x1a, 0x0b};
    expect_valid(idx, sizeof idx, WB_FEATURES_3_0);
    refused_containing(idx, sizeof idx, WB_FEATURES_2_0, WB_ERR_MALFORMED, "malformed memop flags");
    refused_containing(idx, sizeof idx, WB_FEATURES_3_0 & ~WB_FEATURE_MULTI_MEMORY, WB_ERR_MALFORMED,
                       "malformed memop flags");
    /* memory.size with memory index 1, under 2.0 "zero byte expected" */
    static const uint8_t size1[] = {HEADER, FUNC_OF_TYPE0, 0x05, 0x05, 0x02, 0x00, 0x01, 0x00, 0x01,
                                    0x0a, 0x07, 0x01, 0x05, 0x00, 0x3f, 0x01, 0x1a, 0x0b};
    expect_valid(size1, sizeof size1, WB_FEATURES_3_0);
    refused_containing(size1, sizeof size1, WB_FEATURES_3_0 & ~WB_FEATURE_MULTI_MEMORY,
                       WB_ERR_MALFORMED, "zero byte expected");
}

static void test_texts(void **state)
{
    (void)state;
    static const uint8_t set[] = {HEADER, FUNC_OF_TYPE0, 0x06, 0x06, 0x01, 0x7f, 0x00, 0x41, 0x00, 0x0b,
                                  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x01, 0x24, 0x00, 0x0b};
    /* global section 0x12-0x19, code section 0x1a: the body's global.set at 0x21 */
    expect_refused(set, sizeof set, WB_FEATURES_3_0, WB_ERR_INVALID,
                   "function 0, offset 0x21: immutable global: global.set of global 0");
    expect_refused(set, sizeof set, WB_FEATURES_2_0, WB_ERR_INVALID,
                   "function 0, offset 0x21: global is immutable: global.set of global 0");
    static const uint8_t cut[] = {HEADER, FUNC_OF_TYPE0, 0x06, 0x05, 0x01, 0x7f, 0x00, 0x41, 0x00,
                                  0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b};
    /* the global section (0x12) holds 5 bytes, 0x14-0x18: it ends at 0x19 */
    expect_refused(cut, sizeof cut, WB_FEATURES_3_0, WB_ERR_MALFORMED,
                   "global section, offset 0x19: unexpected end of section or function");
    wb_error err;
    assert_false(wb_module_validate_features(cut, sizeof cut, WB_FEATURES_2_0, &err));
    assert_int_equal(err.kind, WB_ERR_MALFORMED);
    assert_non_null(strstr(err.message, ": illegal opcode"));
}

/* Exception handling (WB_FEATURE_EXCEPTIONS): under 2.0 its section, kind,
 * type and opcodes are no such thing (2.0 binary.wast:113 "illegal opcode"
 * for 0x0a, :680 and :690 "malformed import kind" for kind 4); under 3.0
 * the same modules are valid. */
#define EXC_WHY ": exception handling is WebAssembly 3.0, not in the 2.0 profile"
static void test_exceptions(void **state)
{
    (void)state;
    /* (type []->[]) (tag (type 0)): the tag section's id at 8 + 6 = 0xe */
    static const uint8_t tag[] = {HEADER, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                  0x0d, 0x03, 0x01, 0x00, 0x00};
    expect_valid(tag, sizeof tag, WB_FEATURES_3_0);
    expect_refused(tag, sizeof tag, WB_FEATURES_2_0, WB_ERR_MALFORMED,
                   "module, offset 0xe: malformed section id 13 (the tag section)" EXC_WHY);
    /* (import "a" "b" (tag (type 0))): kind 4 at 0xe + 2 + 1 + 2 + 2 = 0x15 */
    static const uint8_t import[] = {HEADER, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x02, 0x08, 0x01,
                                     0x01, 0x61, 0x01, 0x62, 0x04, 0x00, 0x00};
    expect_valid(import, sizeof import, WB_FEATURES_3_0);
    expect_refused(import, sizeof import, WB_FEATURES_2_0, WB_ERR_MALFORMED,
                   "import section, offset 0x15: malformed import kind 4 (a tag)" EXC_WHY);
    /* (export "e" (tag 0)) alone: kind 4 at 8 + 2 + 1 + 2 = 0xd (3.0 finds
     * no tag 0, a validation error) */
    static const uint8_t export[] = {HEADER, 0x07, 0x05, 0x01, 0x01, 0x65, 0x04, 0x00};
    expect_refused(export, sizeof export, WB_FEATURES_2_0, WB_ERR_MALFORMED,
                   "export section, offset 0xd: malformed export kind 4 (a tag)" EXC_WHY);
    wb_error err;
    memset(&err, 0, sizeof err);
    assert_false(wb_module_validate_features(export, sizeof export, WB_FEATURES_3_0, &err));
    assert_int_equal(err.kind, WB_ERR_INVALID);
    /* (type (func (param exnref))): 0x69 at 8 + 2 + 3 = 0xd */
    static const uint8_t param[] = {HEADER, 0x01, 0x05, 0x01, 0x60, 0x01, 0x69, 0x00};
    expect_valid(param, sizeof param, WB_FEATURES_3_0);
    expect_refused(param, sizeof param, WB_FEATURES_2_0, WB_ERR_MALFORMED,
                   "type section, offset 0xd: malformed value type" EXC_WHY);
    /* a body `try_table end`: the code section at 8 + 10 = 0x12, the body's
     * locals at 0x16, try_table (0x1f) at 0x17 */
    static const uint8_t try_table[] = {HEADER, FUNC_OF_TYPE0, 0x0a, 0x08, 0x01, 0x06, 0x00,
                                        0x1f, 0x40, 0x00, 0x0b, 0x0b};
    expect_valid(try_table, sizeof try_table, WB_FEATURES_3_0);
    expect_refused(try_table, sizeof try_table, WB_FEATURES_2_0, WB_ERR_MALFORMED,
                   "function 0, offset 0x17: illegal opcode 0x1f: try_table (exception handling) "
                   "is WebAssembly 3.0, not in the 2.0 profile");
    /* a body `ref.null exn drop`: ref.null at 0x17 */
    static const uint8_t null_exn[] = {HEADER, FUNC_OF_TYPE0, 0x0a, 0x07, 0x01, 0x05, 0x00,
                                       0xd0, 0x69, 0x1a, 0x0b};
    expect_valid(null_exn, sizeof null_exn, WB_FEATURES_3_0);
    expect_refused(null_exn, sizeof null_exn, WB_FEATURES_2_0, WB_ERR_MALFORMED,
                   "function 0, offset 0x17: malformed reference type" EXC_WHY);
    /* exn's types in their typed-reference forms (valtype.h): (type (func
     * (param (ref exn)))), 0x64 0x69 at 0xd as above */
    static const uint8_t ref_exn[] = {HEADER, 0x01, 0x06, 0x01, 0x60, 0x01, 0x64, 0x69, 0x00};
    expect_valid(ref_exn, sizeof ref_exn, WB_FEATURES_3_0);
    expect_refused(ref_exn, sizeof ref_exn, WB_FEATURES_2_0, WB_ERR_MALFORMED,
                   "type section, offset 0xd: malformed value type" EXC_WHY);
    /* a body `block (result (ref null noexn)) ref.null noexn end drop`:
     * the block at 0x17 */
    static const uint8_t noexn[] = {HEADER, FUNC_OF_TYPE0, 0x0a, 0x0b, 0x01, 0x09, 0x00,
                                    0x02, 0x63, 0x74, 0xd0, 0x74, 0x0b, 0x1a, 0x0b};
    expect_valid(noexn, sizeof noexn, WB_FEATURES_3_0);
    expect_refused(noexn, sizeof noexn, WB_FEATURES_2_0, WB_ERR_MALFORMED,
                   "function 0, offset 0x17: malformed value type" EXC_WHY);
}

static void test_parse_names(void **state)
{
    (void)state;
    wb_features f = 12345;
    assert_true(wb_features_parse("2.0", &f));
    assert_int_equal(f, WB_FEATURES_2_0);
    assert_true(wb_features_parse("3.0", &f));
    assert_int_equal(f, WB_FEATURES_3_0);
    f = 12345;
    assert_false(wb_features_parse("2.5", &f));
    assert_false(wb_features_parse("", &f));
    assert_int_equal(f, 12345);
}

/* The text reader: 3.0 reads sizes and offsets of 2^32 as u64 (the
 * validator refuses them), 2.0 refuses the text (memory.wast:80, address.wast:216). */
static void test_text_sizes(void **state)
{
    (void)state;
    const char *mem = "(module (memory 0x1_0000_0000))";
    uint8_t *out = NULL;
    size_t len = 0;
    wat_error werr;
    assert_true(wat_to_wasm_profile(mem, strlen(mem), WAT_PROFILE_3_0, &out, &len, &werr));
    static const uint8_t want[] = {HEADER, 0x05, 0x07, 0x01, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10};
    assert_int_equal(len, sizeof want);
    assert_memory_equal(out, want, sizeof want);
    free(out);
    assert_false(wat_to_wasm_profile(mem, strlen(mem), WAT_PROFILE_2_0, &out, &len, &werr));
    assert_int_equal(werr.line, 1);
    assert_int_equal(werr.col, 17);

    const char *load = "(module (memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0)))))";
    assert_true(wat_to_wasm_profile(load, strlen(load), WAT_PROFILE_3_0, &out, &len, &werr));
    wb_error err;
    assert_false(wb_module_validate(out, len, &err));
    assert_int_equal(err.kind, WB_ERR_INVALID);
    assert_non_null(strstr(err.message, ": offset out of range"));
    free(out);
    assert_false(wat_to_wasm_profile(load, strlen(load), WAT_PROFILE_2_0, &out, &len, &werr));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_const_reads_earlier_module_global),
        cmocka_unit_test(test_const_globals_to_the_letter),
        cmocka_unit_test(test_segment_offset_reads_module_global),
        cmocka_unit_test(test_limits_encoding),
        cmocka_unit_test(test_memarg_encoding),
        cmocka_unit_test(test_memory_features),
        cmocka_unit_test(test_texts),
        cmocka_unit_test(test_exceptions),
        cmocka_unit_test(test_parse_names),
        cmocka_unit_test(test_text_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
