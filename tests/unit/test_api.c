/* The embedding API end to end: host functions called from modules, traps
 * and exits from the host, argument checking, linking errors, instantiation
 * traps that keep their effects, and the global/table/function objects.
 * Modules were built with wat2wasm from the text above each array. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../vm/runtime.h" /* for the type-interning contract test */
#include "../../vm/vm.h"

/*
 * (module
 *   (import "env" "add" (func $add (param i32 i32) (result i32)))
 *   (import "env" "fail" (func $fail))
 *   (import "env" "quit" (func $quit (param i32)))
 *   (import "env" "poke" (func $poke (param i32 i32)))
 *   (memory (export "mem") 1)
 *   (func (export "call_add") (param i32 i32) (result i32)
 *     (call $add (local.get 0) (local.get 1)))
 *   (func (export "call_fail") (result i32) (call $fail) (i32.const 1))
 *   (func (export "call_quit") (param i32) (call $quit (local.get 0)) unreachable)
 *   (func (export "poke_load") (param i32 i32) (result i32)
 *     (call $poke (local.get 0) (local.get 1)) (i32.load8_u (local.get 0)))
 *   (func (export "mix") (param i64 f32 f64) (result f64 f32 i64)
 *     local.get 2 local.get 1 local.get 0)
 * )
 */
static const uint8_t host_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x20, 0x06, 0x60,
    0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x00,
    0x60, 0x02, 0x7f, 0x7f, 0x00, 0x60, 0x00, 0x01, 0x7f, 0x60, 0x03, 0x7e,
    0x7d, 0x7c, 0x03, 0x7c, 0x7d, 0x7e, 0x02, 0x2c, 0x04, 0x03, 0x65, 0x6e,
    0x76, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x03, 0x65, 0x6e, 0x76, 0x04,
    0x66, 0x61, 0x69, 0x6c, 0x00, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x04, 0x71,
    0x75, 0x69, 0x74, 0x00, 0x02, 0x03, 0x65, 0x6e, 0x76, 0x04, 0x70, 0x6f,
    0x6b, 0x65, 0x00, 0x03, 0x03, 0x06, 0x05, 0x00, 0x04, 0x02, 0x00, 0x05,
    0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x3c, 0x06, 0x03, 0x6d, 0x65, 0x6d,
    0x02, 0x00, 0x08, 0x63, 0x61, 0x6c, 0x6c, 0x5f, 0x61, 0x64, 0x64, 0x00,
    0x04, 0x09, 0x63, 0x61, 0x6c, 0x6c, 0x5f, 0x66, 0x61, 0x69, 0x6c, 0x00,
    0x05, 0x09, 0x63, 0x61, 0x6c, 0x6c, 0x5f, 0x71, 0x75, 0x69, 0x74, 0x00,
    0x06, 0x09, 0x70, 0x6f, 0x6b, 0x65, 0x5f, 0x6c, 0x6f, 0x61, 0x64, 0x00,
    0x07, 0x03, 0x6d, 0x69, 0x78, 0x00, 0x08, 0x0a, 0x30, 0x05, 0x08, 0x00,
    0x20, 0x00, 0x20, 0x01, 0x10, 0x00, 0x0b, 0x06, 0x00, 0x10, 0x01, 0x41,
    0x01, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x10, 0x02, 0x00, 0x0b, 0x0d, 0x00,
    0x20, 0x00, 0x20, 0x01, 0x10, 0x03, 0x20, 0x00, 0x2d, 0x00, 0x00, 0x0b,
    0x08, 0x00, 0x20, 0x02, 0x20, 0x01, 0x20, 0x00, 0x0b,
};

/*
 * (module
 *   (import "m" "f" (func (param i32) (result i32)))
 *   (import "m" "t" (table 2 10 funcref))
 *   (import "m" "mem" (memory 1 4))
 *   (import "m" "g" (global (mut i64)))
 * )
 */
static const uint8_t link_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x02, 0x21, 0x04, 0x01, 0x6d, 0x01, 0x66, 0x00,
    0x00, 0x01, 0x6d, 0x01, 0x74, 0x01, 0x70, 0x01, 0x02, 0x0a, 0x01, 0x6d,
    0x03, 0x6d, 0x65, 0x6d, 0x02, 0x01, 0x01, 0x04, 0x01, 0x6d, 0x01, 0x67,
    0x03, 0x7e, 0x01,
};

/*
 * (module
 *   (import "env" "base" (global $base i32))
 *   (global $g (export "counter") (mut i32) (global.get $base))
 *   (global (export "pi") f64 (f64.const 3.5))
 *   (global (export "fref") funcref (ref.func $seven))
 *   (table $t (export "tab") 3 5 funcref)
 *   (elem (table $t) (i32.const 1) func $seven $bump)
 *   (type $v_i (func (result i32)))
 *   (func $seven (export "seven") (result i32) (i32.const 7))
 *   (func $bump (export "bump") (result i32)
 *     (global.set $g (i32.add (global.get $g) (i32.const 1))) (global.get $g))
 *   (func (export "call_at") (param i32) (result i32)
 *     (call_indirect (type $v_i) (local.get 0)))
 * )
 */
static const uint8_t objects_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x02, 0x60,
    0x00, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x02, 0x0d, 0x01, 0x03,
    0x65, 0x6e, 0x76, 0x04, 0x62, 0x61, 0x73, 0x65, 0x03, 0x7f, 0x00, 0x03,
    0x04, 0x03, 0x00, 0x00, 0x01, 0x04, 0x05, 0x01, 0x70, 0x01, 0x03, 0x05,
    0x06, 0x17, 0x03, 0x7f, 0x01, 0x23, 0x00, 0x0b, 0x7c, 0x00, 0x44, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x40, 0x0b, 0x70, 0x00, 0xd2, 0x00,
    0x0b, 0x07, 0x36, 0x07, 0x07, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x65, 0x72,
    0x03, 0x01, 0x02, 0x70, 0x69, 0x03, 0x02, 0x04, 0x66, 0x72, 0x65, 0x66,
    0x03, 0x03, 0x03, 0x74, 0x61, 0x62, 0x01, 0x00, 0x05, 0x73, 0x65, 0x76,
    0x65, 0x6e, 0x00, 0x00, 0x04, 0x62, 0x75, 0x6d, 0x70, 0x00, 0x01, 0x07,
    0x63, 0x61, 0x6c, 0x6c, 0x5f, 0x61, 0x74, 0x00, 0x02, 0x09, 0x08, 0x01,
    0x00, 0x41, 0x01, 0x0b, 0x02, 0x00, 0x01, 0x0a, 0x1a, 0x03, 0x04, 0x00,
    0x41, 0x07, 0x0b, 0x0b, 0x00, 0x23, 0x01, 0x41, 0x01, 0x6a, 0x24, 0x01,
    0x23, 0x01, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x11, 0x00, 0x00, 0x0b,
};

/*
 * (module
 *   (import "env" "tab" (table 2 funcref))
 *   (import "env" "mem" (memory 1))
 *   (func $f (result i32) (i32.const 11))
 *   (elem (i32.const 0) $f)
 *   (elem (i32.const 1) $f $f)
 *   (data (i32.const 0) "hi")
 * )
 */
static const uint8_t segtrap_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60,
    0x00, 0x01, 0x7f, 0x02, 0x18, 0x02, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x74,
    0x61, 0x62, 0x01, 0x70, 0x00, 0x02, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x6d,
    0x65, 0x6d, 0x02, 0x00, 0x01, 0x03, 0x02, 0x01, 0x00, 0x09, 0x0e, 0x02,
    0x00, 0x41, 0x00, 0x0b, 0x01, 0x00, 0x00, 0x41, 0x01, 0x0b, 0x02, 0x00,
    0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x0b, 0x0b, 0x0b, 0x08, 0x01,
    0x00, 0x41, 0x00, 0x0b, 0x02, 0x68, 0x69,
};

/*
 * (module
 *   (import "env" "mem" (memory 1))
 *   (data (i32.const 0) "ab")
 *   (data (i32.const 65535) "cd")
 *   (data (i32.const 4) "never")
 * )
 */
static const uint8_t datatrap_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x0c, 0x01, 0x03,
    0x65, 0x6e, 0x76, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x01, 0x0b, 0x1b,
    0x03, 0x00, 0x41, 0x00, 0x0b, 0x02, 0x61, 0x62, 0x00, 0x41, 0xff, 0xff,
    0x03, 0x0b, 0x02, 0x63, 0x64, 0x00, 0x41, 0x04, 0x0b, 0x05, 0x6e, 0x65,
    0x76, 0x65, 0x72,
};

/*
 * (module
 *   (import "env" "mem" (memory 1))
 *   (func $start (i32.store8 (i32.const 9) (i32.const 5)) unreachable)
 *   (start $start)
 * )
 */
static const uint8_t starttrap_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x02, 0x0c, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x6d, 0x65,
    0x6d, 0x02, 0x00, 0x01, 0x03, 0x02, 0x01, 0x00, 0x08, 0x01, 0x00, 0x0a,
    0x0c, 0x01, 0x0a, 0x00, 0x41, 0x09, 0x41, 0x05, 0x3a, 0x00, 0x00, 0x00,
    0x0b,
};

/*
 * (module (memory 10))
 */
static const uint8_t bigmem_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00,
    0x0a,
};

/*
 * (module
 *   (import "env" "cb" (func $cb (param i32) (result i32)))
 *   (memory 1)
 *   (table $t 2 funcref)
 *   (data $active (i32.const 0) "xyz")
 *   (data $passive "PQ")
 *   (elem $ea (table $t) (i32.const 0) func $double)
 *   (elem $ep func $double)
 *   (func $double (export "double") (param i32) (result i32)
 *     (i32.mul (local.get 0) (i32.const 2)))
 *   (func (export "via_host") (param i32) (result i32)
 *     (i32.add (call $cb (local.get 0)) (i32.const 1)))
 *   (func (export "init_active") (param i32)
 *     (memory.init $active (i32.const 100) (i32.const 0) (local.get 0)))
 *   (func (export "init_passive") (param i32 i32)
 *     (memory.init $passive (local.get 0) (i32.const 0) (local.get 1)))
 *   (func (export "tinit_active") (param i32)
 *     (table.init $t $ea (i32.const 1) (i32.const 0) (local.get 0)))
 *   (func (export "tinit_passive") (param i32 i32)
 *     (table.init $t $ep (local.get 0) (i32.const 0) (local.get 1)))
 *   (func (export "grow_table") (param i32) (result i32)
 *     (table.grow $t (ref.null func) (local.get 0)))
 *   (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
 * )
 */
static const uint8_t bulk_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0f, 0x03, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x02, 0x7f, 0x7f,
    0x00, 0x02, 0x0a, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x02, 0x63, 0x62, 0x00,
    0x00, 0x03, 0x09, 0x08, 0x00, 0x00, 0x01, 0x02, 0x01, 0x02, 0x00, 0x00,
    0x04, 0x04, 0x01, 0x70, 0x00, 0x02, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07,
    0x66, 0x08, 0x06, 0x64, 0x6f, 0x75, 0x62, 0x6c, 0x65, 0x00, 0x01, 0x08,
    0x76, 0x69, 0x61, 0x5f, 0x68, 0x6f, 0x73, 0x74, 0x00, 0x02, 0x0b, 0x69,
    0x6e, 0x69, 0x74, 0x5f, 0x61, 0x63, 0x74, 0x69, 0x76, 0x65, 0x00, 0x03,
    0x0c, 0x69, 0x6e, 0x69, 0x74, 0x5f, 0x70, 0x61, 0x73, 0x73, 0x69, 0x76,
    0x65, 0x00, 0x04, 0x0c, 0x74, 0x69, 0x6e, 0x69, 0x74, 0x5f, 0x61, 0x63,
    0x74, 0x69, 0x76, 0x65, 0x00, 0x05, 0x0d, 0x74, 0x69, 0x6e, 0x69, 0x74,
    0x5f, 0x70, 0x61, 0x73, 0x73, 0x69, 0x76, 0x65, 0x00, 0x06, 0x0a, 0x67,
    0x72, 0x6f, 0x77, 0x5f, 0x74, 0x61, 0x62, 0x6c, 0x65, 0x00, 0x07, 0x05,
    0x6c, 0x6f, 0x61, 0x64, 0x38, 0x00, 0x08, 0x09, 0x0b, 0x02, 0x00, 0x41,
    0x00, 0x0b, 0x01, 0x01, 0x01, 0x00, 0x01, 0x01, 0x0c, 0x01, 0x02, 0x0a,
    0x5a, 0x08, 0x07, 0x00, 0x20, 0x00, 0x41, 0x02, 0x6c, 0x0b, 0x09, 0x00,
    0x20, 0x00, 0x10, 0x00, 0x41, 0x01, 0x6a, 0x0b, 0x0d, 0x00, 0x41, 0xe4,
    0x00, 0x41, 0x00, 0x20, 0x00, 0xfc, 0x08, 0x00, 0x00, 0x0b, 0x0c, 0x00,
    0x20, 0x00, 0x41, 0x00, 0x20, 0x01, 0xfc, 0x08, 0x01, 0x00, 0x0b, 0x0c,
    0x00, 0x41, 0x01, 0x41, 0x00, 0x20, 0x00, 0xfc, 0x0c, 0x00, 0x00, 0x0b,
    0x0c, 0x00, 0x20, 0x00, 0x41, 0x00, 0x20, 0x01, 0xfc, 0x0c, 0x01, 0x00,
    0x0b, 0x09, 0x00, 0xd0, 0x70, 0x20, 0x00, 0xfc, 0x0f, 0x00, 0x0b, 0x07,
    0x00, 0x20, 0x00, 0x2d, 0x00, 0x00, 0x0b, 0x0b, 0x0d, 0x02, 0x00, 0x41,
    0x00, 0x0b, 0x03, 0x78, 0x79, 0x7a, 0x01, 0x02, 0x50, 0x51,
};

/* ---- helpers ---- */

static wb_module *load(wb_store *s, const uint8_t *bytes, size_t len)
{
    wb_error err;
    wb_module *m = wb_module_load(s, bytes, len, &err);
    if (!m)
        print_error("load failed: %s\n", err.message);
    assert_non_null(m);
    return m;
}

static wb_func *export_func(wb_instance *inst, const char *name)
{
    wb_extern ext;
    assert_true(wb_instance_export(inst, name, strlen(name), &ext));
    assert_int_equal(ext.kind, WB_EXTERN_FUNC);
    return ext.of.func;
}

static wb_value i32v(int32_t v) { return (wb_value){.type = WB_I32, .of.i32 = v}; }
static wb_value i64v(int64_t v) { return (wb_value){.type = WB_I64, .of.i64 = v}; }

static const wb_type ii[] = {WB_I32, WB_I32};
static const wb_type i_[] = {WB_I32};

/* ---- host functions ---- */

static int host_calls;

static int host_add(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    (void)call;
    host_calls++;
    results[0] = i32v(args[0].of.i32 + args[1].of.i32 + (int32_t)(intptr_t)user);
    return 0;
}

static int host_fail(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    (void)user, (void)args, (void)results;
    char msg[32];
    strcpy(msg, "no such file");
    int r = wb_call_trap(call, msg);
    memset(msg, 'x', sizeof msg - 1); /* the store must have its own copy */
    return r;
}

static int host_quit(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    (void)user, (void)results;
    return wb_call_exit(call, args[0].of.i32);
}

static int host_poke(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    (void)user, (void)results;
    assert_ptr_equal(wb_call_store(call), (wb_store *)user);
    wb_memory *mem = wb_call_memory(call);
    if (!mem)
        return wb_call_trap(call, "no memory");
    uint8_t b = (uint8_t)args[1].of.i32;
    if (!wb_memory_write(mem, (uint32_t)args[0].of.i32, &b, 1))
        return wb_call_trap(call, "poke out of bounds");
    return 0;
}

static int host_const5(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    (void)call, (void)user, (void)args;
    results[0] = i32v(5);
    return 0;
}

static int host_wrong_result(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    (void)call, (void)user, (void)args;
    results[0] = i64v(5); /* declared i32 */
    return 0;
}

/* ---- tests without modules ---- */

static void test_status_messages(void **state)
{
    (void)state;
    assert_string_equal(wb_status_message(WB_TRAP_UNREACHABLE), "unreachable");
    assert_string_equal(wb_status_message(WB_TRAP_DIV_ZERO), "integer divide by zero");
    assert_string_equal(wb_status_message(WB_TRAP_INT_OVERFLOW), "integer overflow");
    assert_string_equal(wb_status_message(WB_TRAP_INVALID_CONVERSION), "invalid conversion to integer");
    assert_string_equal(wb_status_message(WB_TRAP_MEMORY_OOB), "out of bounds memory access");
    assert_string_equal(wb_status_message(WB_TRAP_TABLE_OOB), "out of bounds table access");
    assert_string_equal(wb_status_message(WB_TRAP_INDIRECT_MISMATCH), "indirect call type mismatch");
    assert_string_equal(wb_status_message(WB_TRAP_UNDEFINED_ELEMENT), "undefined element");
    assert_string_equal(wb_status_message(WB_TRAP_UNINITIALIZED_ELEMENT), "uninitialized element");
    assert_string_equal(wb_status_message(WB_TRAP_STACK_EXHAUSTED), "call stack exhausted");
    assert_string_equal(wb_status_message(WB_TRAP_OUT_OF_FUEL), "out of fuel");
    assert_string_equal(wb_status_message(WB_TRAP_INTERRUPTED), "interrupted");
}

static void test_limits_and_fuel(void **state)
{
    (void)state;
    wb_limits l = wb_default_limits();
    assert_true(l.fuel == UINT64_MAX);
    assert_true(l.max_memory == (uint64_t)4 << 30);
    assert_true(l.max_stack == (size_t)8 << 20);
    assert_int_equal(l.max_call_depth, 10000);
    wb_store *s = wb_store_new(NULL);
    assert_true(wb_store_fuel_left(s) == UINT64_MAX);
    assert_int_equal(wb_store_fuel_used(s), 0);
    wb_store_set_fuel(s, 1000);
    assert_int_equal(wb_store_fuel_left(s), 1000);
    assert_int_equal(wb_store_fuel_used(s), 0);
    wb_store_interrupt(s);
    wb_store_clear_interrupt(s);
    wb_store_free(s);
}

static void test_host_direct_call(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_functype t = {2, 1, ii, i_};
    wb_func *f = wb_func_new_host(s, &t, host_add, (void *)(intptr_t)100);
    assert_non_null(f);
    wb_functype back;
    wb_func_type(f, &back);
    assert_int_equal(back.nparams, 2);
    assert_int_equal(back.nresults, 1);
    assert_int_equal(back.params[0], WB_I32);
    assert_int_equal(back.params[1], WB_I32);
    assert_int_equal(back.results[0], WB_I32);

    wb_value args[2] = {i32v(1), i32v(2)}, res[1];
    assert_int_equal(wb_func_call(s, f, args, 2, res, 1), WB_OK);
    assert_int_equal(res[0].type, WB_I32);
    assert_int_equal(res[0].of.i32, 103);
    wb_store_free(s);
}

static void test_bad_calls(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_functype t = {2, 1, ii, i_};
    wb_func *f = wb_func_new_host(s, &t, host_add, NULL);
    wb_value res[1];
    wb_value args[2] = {i32v(1), i32v(2)};
    wb_value wrong[2] = {i32v(1), i64v(2)};
    host_calls = 0;
    assert_int_equal(wb_func_call(s, f, args, 1, res, 1), WB_BAD_CALL);
    assert_int_equal(wb_func_call(s, f, args, 2, res, 0), WB_BAD_CALL);
    assert_int_equal(wb_func_call(s, f, wrong, 2, res, 1), WB_BAD_CALL);
    assert_non_null(strstr(wb_store_trap_message(s), "argument 1"));
    assert_int_equal(wb_func_call(s, NULL, args, 2, res, 1), WB_BAD_CALL);
    assert_int_equal(host_calls, 0); /* never reached the host */
    /* bad value types are refused when making the function (v128 is one
     * since SIMD; 0x7a is none) */
    const wb_type none_such[] = {(wb_type)0x7A};
    wb_functype bad = {1, 0, none_such, NULL};
    assert_null(wb_func_new_host(s, &bad, host_add, NULL));
    wb_store_free(s);
}

static void test_host_trap_and_exit_direct(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_functype none = {0, 0, NULL, NULL}, one = {1, 0, i_, NULL};
    wb_func *fail = wb_func_new_host(s, &none, host_fail, NULL);
    wb_func *quit = wb_func_new_host(s, &one, host_quit, NULL);
    assert_int_equal(wb_func_call(s, fail, NULL, 0, NULL, 0), WB_TRAP_HOST);
    assert_string_equal(wb_store_trap_message(s), "no such file");
    wb_value code = i32v(42);
    assert_int_equal(wb_func_call(s, quit, &code, 1, NULL, 0), WB_EXIT);
    assert_int_equal(wb_store_exit_code(s), 42);

    wb_functype ri = {0, 1, NULL, i_};
    wb_func *wrong = wb_func_new_host(s, &ri, host_wrong_result, NULL);
    wb_value r;
    assert_int_equal(wb_func_call(s, wrong, NULL, 0, &r, 1), WB_TRAP_HOST);
    wb_store_free(s);
}

static void test_globals_api(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_global *g = wb_global_new(s, WB_I64, true, i64v(-5));
    assert_non_null(g);
    assert_int_equal(wb_global_get(g).type, WB_I64);
    assert_int_equal(wb_global_get(g).of.i64, -5);
    assert_true(wb_global_set(g, i64v(INT64_MIN)));
    assert_true(wb_global_get(g).of.i64 == INT64_MIN);
    assert_false(wb_global_set(g, i32v(1))); /* wrong type */
    assert_true(wb_global_get(g).of.i64 == INT64_MIN);

    wb_global *c = wb_global_new(s, WB_I32, false, i32v(9));
    assert_false(wb_global_set(c, i32v(10))); /* immutable */
    assert_int_equal(wb_global_get(c).of.i32, 9);
    assert_null(wb_global_new(s, WB_I32, false, i64v(1))); /* value of another type */

    /* float bits survive, NaN payload included */
    wb_value nan = {.type = WB_F32};
    uint32_t bits = 0x7FA00001u, out;
    memcpy(&nan.of.f32, &bits, 4);
    wb_global *f = wb_global_new(s, WB_F32, true, nan);
    wb_value got = wb_global_get(f);
    memcpy(&out, &got.of.f32, 4);
    assert_int_equal(out, 0x7FA00001u);
    wb_store_free(s);
}

static void test_tables_api(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_value null_func = {.type = WB_FUNCREF, .of.func = NULL};
    wb_table *t = wb_table_new(s, WB_FUNCREF, 2, 4, true, null_func);
    assert_non_null(t);
    assert_int_equal(wb_table_size(t), 2);
    wb_value v;
    assert_true(wb_table_get(t, 1, &v));
    assert_int_equal(v.type, WB_FUNCREF);
    assert_null(v.of.func);
    assert_false(wb_table_get(t, 2, &v));

    wb_functype ty = {0, 1, NULL, i_};
    wb_func *f = wb_func_new_host(s, &ty, host_const5, NULL);
    wb_value fv = {.type = WB_FUNCREF, .of.func = f};
    assert_true(wb_table_set(t, 1, fv));
    assert_true(wb_table_get(t, 1, &v));
    assert_ptr_equal(v.of.func, f);
    assert_false(wb_table_set(t, 2, fv));
    wb_value ext = {.type = WB_EXTERNREF, .of.ext = &v};
    assert_false(wb_table_set(t, 0, ext)); /* element type mismatch */

    int marker;
    wb_value init = {.type = WB_EXTERNREF, .of.ext = &marker};
    wb_table *e = wb_table_new(s, WB_EXTERNREF, 3, 0, false, init);
    assert_non_null(e);
    assert_true(wb_table_get(e, 2, &v));
    assert_ptr_equal(v.of.ext, &marker);
    assert_null(wb_table_new(s, WB_FUNCREF, 1, 1, true, init)); /* init of the wrong type */
    assert_null(wb_table_new(s, WB_FUNCREF, 5, 4, true, null_func)); /* min > max */
    wb_store_free(s);
}

/* ---- tests with modules (need decoder, validator and interpreter) ---- */

static wb_instance *host_instance(wb_store *s)
{
    wb_module *m = load(s, host_wasm, sizeof host_wasm);
    wb_functype t_add = {2, 1, ii, i_}, t_none = {0, 0, NULL, NULL}, t_i = {1, 0, i_, NULL},
                t_ii = {2, 0, ii, NULL};
    wb_extern imports[4] = {
        {WB_EXTERN_FUNC, {.func = wb_func_new_host(s, &t_add, host_add, (void *)(intptr_t)1000)}},
        {WB_EXTERN_FUNC, {.func = wb_func_new_host(s, &t_none, host_fail, NULL)}},
        {WB_EXTERN_FUNC, {.func = wb_func_new_host(s, &t_i, host_quit, NULL)}},
        {WB_EXTERN_FUNC, {.func = wb_func_new_host(s, &t_ii, host_poke, s)}},
    };
    wb_error err;
    wb_instance *inst = wb_instantiate(s, m, imports, 4, &err);
    if (!inst)
        print_error("instantiate: %s\n", err.message);
    assert_non_null(inst);
    return inst;
}

static void test_host_called_from_module(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_instance *inst = host_instance(s);
    wb_value args[2] = {i32v(20), i32v(3)}, r;
    assert_int_equal(wb_func_call(s, export_func(inst, "call_add"), args, 2, &r, 1), WB_OK);
    assert_int_equal(r.of.i32, 1023);

    /* the host writes into the caller's memory; the guest reads it back */
    wb_value poke[2] = {i32v(77), i32v(0xAB)};
    assert_int_equal(wb_func_call(s, export_func(inst, "poke_load"), poke, 2, &r, 1), WB_OK);
    assert_int_equal(r.of.i32, 0xAB);
    wb_extern mem;
    assert_true(wb_instance_export(inst, "mem", 3, &mem));
    assert_int_equal(mem.kind, WB_EXTERN_MEMORY);
    assert_int_equal(wb_memory_data(mem.of.memory)[77], 0xAB);
    wb_value far[2] = {i32v(70000), i32v(1)};
    assert_int_equal(wb_func_call(s, export_func(inst, "poke_load"), far, 2, &r, 1), WB_TRAP_HOST);
    assert_string_equal(wb_store_trap_message(s), "poke out of bounds");
    wb_store_free(s);
}

static void test_host_trap_and_exit_from_module(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_instance *inst = host_instance(s);
    wb_value r;
    assert_int_equal(wb_func_call(s, export_func(inst, "call_fail"), NULL, 0, &r, 1), WB_TRAP_HOST);
    assert_string_equal(wb_store_trap_message(s), "no such file");
    wb_value code = i32v(3);
    assert_int_equal(wb_func_call(s, export_func(inst, "call_quit"), &code, 1, NULL, 0), WB_EXIT);
    assert_int_equal(wb_store_exit_code(s), 3);
    /* the store is usable after both */
    wb_value args[2] = {i32v(1), i32v(2)};
    assert_int_equal(wb_func_call(s, export_func(inst, "call_add"), args, 2, &r, 1), WB_OK);
    assert_int_equal(r.of.i32, 1003);
    wb_store_free(s);
}

static void test_module_args_and_results(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_instance *inst = host_instance(s);
    wb_func *mix = export_func(inst, "mix");
    wb_value args[3] = {i64v(INT64_MIN + 5), {.type = WB_F32}, {.type = WB_F64}};
    uint32_t fbits = 0xFFC00123u, fout;
    uint64_t dbits = 0x7FF4000000000042ull, dout;
    memcpy(&args[1].of.f32, &fbits, 4);
    memcpy(&args[2].of.f64, &dbits, 8);
    wb_value r[3];
    assert_int_equal(wb_func_call(s, mix, args, 3, r, 3), WB_OK);
    assert_int_equal(r[0].type, WB_F64);
    assert_int_equal(r[1].type, WB_F32);
    assert_int_equal(r[2].type, WB_I64);
    memcpy(&dout, &r[0].of.f64, 8);
    memcpy(&fout, &r[1].of.f32, 4);
    assert_true(dout == dbits);
    assert_int_equal(fout, fbits);
    assert_true(r[2].of.i64 == INT64_MIN + 5);

    /* wrong types to a wasm function */
    wb_value swapped[3] = {args[0], args[2], args[1]};
    assert_int_equal(wb_func_call(s, mix, swapped, 3, r, 3), WB_BAD_CALL);
    assert_int_equal(wb_func_call(s, mix, args, 3, r, 2), WB_BAD_CALL);
    assert_int_equal(wb_func_call(s, mix, args, 2, r, 3), WB_BAD_CALL);
    wb_store_free(s);
}

/* Instantiates link.wasm with imports[] and returns the error. */
static wb_error link_with(wb_store *s, wb_module *m, const wb_extern *imports, uint32_t n)
{
    wb_error err;
    memset(&err, 0, sizeof err);
    wb_instance *inst = wb_instantiate(s, m, imports, n, &err);
    assert_null(inst);
    return err;
}

static void test_link_errors(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_module *m = load(s, link_wasm, sizeof link_wasm);
    wb_functype t_ok = {1, 1, i_, i_}, t_bad = {2, 1, ii, i_};
    wb_func *f_ok = wb_func_new_host(s, &t_ok, host_const5, NULL);
    wb_func *f_bad = wb_func_new_host(s, &t_bad, host_add, NULL);
    wb_value nf = {.type = WB_FUNCREF};
    wb_table *t_ok_ = wb_table_new(s, WB_FUNCREF, 2, 10, true, nf);
    wb_table *t_small = wb_table_new(s, WB_FUNCREF, 1, 10, true, nf);
    wb_table *t_nomax = wb_table_new(s, WB_FUNCREF, 3, 0, false, nf);
    wb_table *t_bigmax = wb_table_new(s, WB_FUNCREF, 2, 11, true, nf);
    wb_value ne = {.type = WB_EXTERNREF};
    wb_table *t_ext = wb_table_new(s, WB_EXTERNREF, 2, 10, true, ne);
    wb_memory *mem_ok = wb_memory_new(s, 2, 3);
    wb_memory *mem_nomax = wb_memory_new(s, 1, UINT64_MAX);
    wb_memory *mem_bigmax = wb_memory_new(s, 1, 5);
    wb_memory *mem_small = wb_memory_new(s, 0, 4);
    wb_global *g_ok = wb_global_new(s, WB_I64, true, i64v(1));
    wb_global *g_const = wb_global_new(s, WB_I64, false, i64v(1));
    wb_global *g_i32 = wb_global_new(s, WB_I32, true, i32v(1));

    wb_extern good[4] = {{WB_EXTERN_FUNC, {.func = f_ok}},
                         {WB_EXTERN_TABLE, {.table = t_ok_}},
                         {WB_EXTERN_MEMORY, {.memory = mem_ok}},
                         {WB_EXTERN_GLOBAL, {.global = g_ok}}};
    wb_error err = link_with(s, m, good, 3);
    assert_int_equal(err.kind, WB_ERR_LINK);

    struct {
        unsigned slot;
        wb_extern ext;
        const char *names;
    } cases[] = {
        {0, {WB_EXTERN_FUNC, {.func = f_bad}}, "\"m\".\"f\""},
        {0, {WB_EXTERN_TABLE, {.table = t_ok_}}, "\"m\".\"f\""},
        {1, {WB_EXTERN_TABLE, {.table = t_small}}, "\"m\".\"t\""},
        {1, {WB_EXTERN_TABLE, {.table = t_nomax}}, "\"m\".\"t\""},
        {1, {WB_EXTERN_TABLE, {.table = t_bigmax}}, "\"m\".\"t\""},
        {1, {WB_EXTERN_TABLE, {.table = t_ext}}, "\"m\".\"t\""},
        {2, {WB_EXTERN_MEMORY, {.memory = mem_nomax}}, "\"m\".\"mem\""},
        {2, {WB_EXTERN_MEMORY, {.memory = mem_bigmax}}, "\"m\".\"mem\""},
        {2, {WB_EXTERN_MEMORY, {.memory = mem_small}}, "\"m\".\"mem\""},
        {3, {WB_EXTERN_GLOBAL, {.global = g_const}}, "\"m\".\"g\""},
        {3, {WB_EXTERN_GLOBAL, {.global = g_i32}}, "\"m\".\"g\""},
        {3, {WB_EXTERN_FUNC, {.func = f_ok}}, "\"m\".\"g\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wb_extern imports[4];
        memcpy(imports, good, sizeof imports);
        imports[cases[i].slot] = cases[i].ext;
        err = link_with(s, m, imports, 4);
        assert_int_equal(err.kind, WB_ERR_LINK);
        assert_non_null(strstr(err.message, "incompatible import type"));
        if (!strstr(err.message, cases[i].names))
            fail_msg("case %zu: message does not name the import: %s", i, err.message);
    }

    /* a table that grew to the required size, and a memory within the
     * required maximum, both match */
    assert_int_equal(wb_memory_grow(mem_small, 1), 0);
    wb_extern ok2[4];
    memcpy(ok2, good, sizeof ok2);
    ok2[2].of.memory = mem_small;
    wb_error e2;
    assert_non_null(wb_instantiate(s, m, ok2, 4, &e2));
    assert_non_null(wb_instantiate(s, m, good, 4, &e2));
    wb_store_free(s);
}

static void test_descriptions(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_module *m = load(s, link_wasm, sizeof link_wasm);
    assert_int_equal(wb_module_import_count(m), 4);
    assert_int_equal(wb_module_export_count(m), 0);
    wb_extern_desc d;
    wb_module_import(m, 0, &d);
    assert_int_equal(d.kind, WB_EXTERN_FUNC);
    assert_string_equal(d.module, "m");
    assert_string_equal(d.name, "f");
    assert_int_equal(d.name_len, 1);
    assert_int_equal(d.func.nparams, 1);
    assert_int_equal(d.func.params[0], WB_I32);
    assert_int_equal(d.func.nresults, 1);
    assert_int_equal(d.func.results[0], WB_I32);
    wb_module_import(m, 1, &d);
    assert_int_equal(d.kind, WB_EXTERN_TABLE);
    assert_int_equal(d.ref_type, WB_FUNCREF);
    assert_int_equal(d.limits.min, 2);
    assert_true(d.limits.has_max);
    assert_int_equal(d.limits.max, 10);
    wb_module_import(m, 2, &d);
    assert_int_equal(d.kind, WB_EXTERN_MEMORY);
    assert_int_equal(d.limits.min, 1);
    assert_int_equal(d.limits.max, 4);
    wb_module_import(m, 3, &d);
    assert_int_equal(d.kind, WB_EXTERN_GLOBAL);
    assert_int_equal(d.global_type, WB_I64);
    assert_true(d.global_mutable);

    wb_module *o = load(s, objects_wasm, sizeof objects_wasm);
    uint32_t n = wb_module_export_count(o);
    assert_int_equal(n, 7);
    bool saw_tab = false, saw_call_at = false;
    for (uint32_t i = 0; i < n; i++) {
        wb_module_export(o, i, &d);
        if (d.name_len == 3 && memcmp(d.name, "tab", 3) == 0) {
            saw_tab = true;
            assert_int_equal(d.kind, WB_EXTERN_TABLE);
            assert_int_equal(d.limits.min, 3);
            assert_int_equal(d.limits.max, 5);
        }
        if (d.name_len == 7 && memcmp(d.name, "call_at", 7) == 0) {
            saw_call_at = true;
            assert_int_equal(d.kind, WB_EXTERN_FUNC);
            assert_int_equal(d.func.nparams, 1);
            assert_int_equal(d.func.nresults, 1);
        }
    }
    assert_true(saw_tab && saw_call_at);
    wb_store_free(s);
}

static void test_objects_module(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_module *m = load(s, objects_wasm, sizeof objects_wasm);
    wb_global *base = wb_global_new(s, WB_I32, false, i32v(40));
    wb_extern imp = {WB_EXTERN_GLOBAL, {.global = base}};
    wb_error err;
    wb_instance *inst = wb_instantiate(s, m, &imp, 1, &err);
    assert_non_null(inst);
    assert_ptr_equal(wb_instance_module(inst), m);

    wb_extern ext;
    assert_true(wb_instance_export(inst, "counter", 7, &ext));
    wb_global *counter = ext.of.global;
    assert_int_equal(wb_global_get(counter).of.i32, 40); /* from the imported global */
    wb_value r;
    assert_int_equal(wb_func_call(s, export_func(inst, "bump"), NULL, 0, &r, 1), WB_OK);
    assert_int_equal(r.of.i32, 41);
    assert_true(wb_global_set(counter, i32v(100)));
    assert_int_equal(wb_func_call(s, export_func(inst, "bump"), NULL, 0, &r, 1), WB_OK);
    assert_int_equal(r.of.i32, 101);
    assert_true(wb_instance_export(inst, "pi", 2, &ext));
    assert_true(wb_global_get(ext.of.global).of.f64 == 3.5);
    assert_false(wb_global_set(ext.of.global, (wb_value){.type = WB_F64, .of.f64 = 1.0}));
    assert_true(wb_instance_export(inst, "fref", 4, &ext));
    assert_ptr_equal(wb_global_get(ext.of.global).of.func, export_func(inst, "seven"));
    assert_false(wb_instance_export(inst, "nope", 4, &ext));

    /* the element segment filled slots 1 and 2 */
    assert_true(wb_instance_export(inst, "tab", 3, &ext));
    wb_table *tab = ext.of.table;
    assert_int_equal(wb_table_size(tab), 3);
    wb_value v;
    assert_true(wb_table_get(tab, 0, &v));
    assert_null(v.of.func);
    assert_true(wb_table_get(tab, 1, &v));
    assert_ptr_equal(v.of.func, export_func(inst, "seven"));
    assert_int_equal(wb_func_call(s, v.of.func, NULL, 0, &r, 1), WB_OK);
    assert_int_equal(r.of.i32, 7);

    wb_func *call_at = export_func(inst, "call_at");
    wb_value at = i32v(1);
    assert_int_equal(wb_func_call(s, call_at, &at, 1, &r, 1), WB_OK);
    assert_int_equal(r.of.i32, 7);
    at = i32v(0);
    assert_int_equal(wb_func_call(s, call_at, &at, 1, &r, 1), WB_TRAP_UNINITIALIZED_ELEMENT);
    at = i32v(3);
    assert_int_equal(wb_func_call(s, call_at, &at, 1, &r, 1), WB_TRAP_UNDEFINED_ELEMENT);

    /* a host function of the same signature passes call_indirect's check
     * (canonical type ids), one of another signature does not */
    wb_functype t_ri = {0, 1, NULL, i_}, t_ii = {2, 1, ii, i_};
    wb_value h = {.type = WB_FUNCREF, .of.func = wb_func_new_host(s, &t_ri, host_const5, NULL)};
    assert_true(wb_table_set(tab, 0, h));
    at = i32v(0);
    assert_int_equal(wb_func_call(s, call_at, &at, 1, &r, 1), WB_OK);
    assert_int_equal(r.of.i32, 5);
    h.of.func = wb_func_new_host(s, &t_ii, host_add, NULL);
    assert_true(wb_table_set(tab, 0, h));
    assert_int_equal(wb_func_call(s, call_at, &at, 1, &r, 1), WB_TRAP_INDIRECT_MISMATCH);
    assert_string_equal(wb_store_trap_message(s), "indirect call type mismatch");
    wb_store_free(s);
}

static void test_segment_trap_keeps_effects(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_module *m = load(s, segtrap_wasm, sizeof segtrap_wasm);
    wb_value nf = {.type = WB_FUNCREF};
    wb_table *tab = wb_table_new(s, WB_FUNCREF, 2, 0, false, nf);
    wb_memory *mem = wb_memory_new(s, 1, UINT64_MAX);
    wb_extern imports[2] = {{WB_EXTERN_TABLE, {.table = tab}}, {WB_EXTERN_MEMORY, {.memory = mem}}};
    wb_error err;
    assert_null(wb_instantiate(s, m, imports, 2, &err));
    assert_int_equal(err.kind, WB_ERR_TRAP);
    assert_non_null(strstr(err.message, "out of bounds table access"));
    wb_value v;
    assert_true(wb_table_get(tab, 0, &v)); /* the first segment stays */
    assert_non_null(v.of.func);
    wb_value r;
    assert_int_equal(wb_func_call(s, v.of.func, NULL, 0, &r, 1), WB_OK);
    assert_int_equal(r.of.i32, 11);
    assert_true(wb_table_get(tab, 1, &v)); /* the failing one wrote nothing */
    assert_null(v.of.func);
    assert_int_equal(wb_memory_data(mem)[0], 0); /* data segments never ran */

    wb_module *d = load(s, datatrap_wasm, sizeof datatrap_wasm);
    assert_null(wb_instantiate(s, d, &imports[1], 1, &err));
    assert_int_equal(err.kind, WB_ERR_TRAP);
    assert_non_null(strstr(err.message, "out of bounds memory access"));
    const uint8_t *bytes = wb_memory_data(mem);
    assert_memory_equal(bytes, "ab", 2);
    assert_int_equal(bytes[65535], 0);
    assert_int_equal(bytes[4], 0);
    wb_store_free(s);
}

static void test_start_trap_keeps_effects(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_module *m = load(s, starttrap_wasm, sizeof starttrap_wasm);
    wb_memory *mem = wb_memory_new(s, 1, UINT64_MAX);
    wb_extern imp = {WB_EXTERN_MEMORY, {.memory = mem}};
    wb_error err;
    assert_null(wb_instantiate(s, m, &imp, 1, &err));
    assert_int_equal(err.kind, WB_ERR_TRAP);
    assert_non_null(strstr(err.message, "unreachable"));
    assert_int_equal(wb_memory_data(mem)[9], 5);
    wb_store_free(s);
}

static void test_memory_over_store_cap(void **state)
{
    (void)state;
    wb_limits l = wb_default_limits();
    l.max_memory = 5 * 65536;
    wb_store *s = wb_store_new(&l);
    wb_module *m = load(s, bigmem_wasm, sizeof bigmem_wasm);
    wb_error err;
    assert_null(wb_instantiate(s, m, NULL, 0, &err));
    assert_int_equal(err.kind, WB_ERR_LIMIT);
    assert_non_null(strstr(err.message, "memory 0"));
    wb_store_free(s);
}

static void test_load_errors(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_error err;
    static const uint8_t junk[] = {0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00};
    assert_null(wb_module_load(s, junk, sizeof junk, &err));
    assert_int_equal(err.kind, WB_ERR_MALFORMED);
    assert_false(wb_module_validate(junk, sizeof junk, &err));
    assert_true(wb_module_validate(host_wasm, sizeof host_wasm, &err));
    wb_store_free(s);
}

/* The host calls back into the module that called it. */
struct callback {
    wb_func *target;
};

static int host_callback(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    struct callback *cb = user;
    wb_value r;
    wb_status st = wb_func_call(wb_call_store(call), cb->target, args, 1, &r, 1);
    if (st != WB_OK)
        return wb_call_trap(call, "callback failed");
    results[0] = r;
    return 0;
}

static wb_instance *bulk_instance(wb_store *s, struct callback *cb)
{
    wb_module *m = load(s, bulk_wasm, sizeof bulk_wasm);
    wb_functype t = {1, 1, i_, i_};
    wb_extern imp = {WB_EXTERN_FUNC, {.func = wb_func_new_host(s, &t, host_callback, cb)}};
    wb_error err;
    wb_instance *inst = wb_instantiate(s, m, &imp, 1, &err);
    assert_non_null(inst);
    cb->target = export_func(inst, "double");
    return inst;
}

static wb_status call2(wb_store *s, wb_instance *inst, const char *name, int32_t a, int32_t b)
{
    wb_value args[2] = {i32v(a), i32v(b)};
    return wb_func_call(s, export_func(inst, name), args, 2, NULL, 0);
}

static wb_status call1(wb_store *s, wb_instance *inst, const char *name, int32_t a)
{
    wb_value arg = i32v(a);
    return wb_func_call(s, export_func(inst, name), &arg, 1, NULL, 0);
}

static void test_reentrant_host(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    struct callback cb;
    wb_instance *inst = bulk_instance(s, &cb);
    wb_value arg = i32v(5), r;
    assert_int_equal(wb_func_call(s, export_func(inst, "via_host"), &arg, 1, &r, 1), WB_OK);
    assert_int_equal(r.of.i32, 11);
    wb_store_free(s);
}

static void test_segments_after_instantiation(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    struct callback cb;
    wb_instance *inst = bulk_instance(s, &cb);
    wb_value arg, r;

    /* the active data segment ran, then was dropped: only n == 0 works */
    arg = i32v(0);
    assert_int_equal(wb_func_call(s, export_func(inst, "load8"), &arg, 1, &r, 1), WB_OK);
    assert_int_equal(r.of.i32, 'x');
    assert_int_equal(call1(s, inst, "init_active", 0), WB_OK);
    assert_int_equal(call1(s, inst, "init_active", 1), WB_TRAP_MEMORY_OOB);
    assert_string_equal(wb_store_trap_message(s), "out of bounds memory access");

    /* a passive segment: bounds at the very end of memory */
    assert_int_equal(call2(s, inst, "init_passive", 65534, 2), WB_OK);
    arg = i32v(65535);
    assert_int_equal(wb_func_call(s, export_func(inst, "load8"), &arg, 1, &r, 1), WB_OK);
    assert_int_equal(r.of.i32, 'Q');
    assert_int_equal(call2(s, inst, "init_passive", 65535, 2), WB_TRAP_MEMORY_OOB);
    assert_int_equal(call2(s, inst, "init_passive", 65536, 0), WB_OK);
    assert_int_equal(call2(s, inst, "init_passive", 65537, 0), WB_TRAP_MEMORY_OOB);
    assert_int_equal(call2(s, inst, "init_passive", -1, 1), WB_TRAP_MEMORY_OOB);

    /* element segments: the active one is dropped, the passive one is not */
    assert_int_equal(call1(s, inst, "tinit_active", 0), WB_OK);
    assert_int_equal(call1(s, inst, "tinit_active", 1), WB_TRAP_TABLE_OOB);
    assert_string_equal(wb_store_trap_message(s), "out of bounds table access");
    assert_int_equal(call2(s, inst, "tinit_passive", 1, 1), WB_OK);
    assert_int_equal(call2(s, inst, "tinit_passive", 2, 0), WB_OK);
    assert_int_equal(call2(s, inst, "tinit_passive", 2, 1), WB_TRAP_TABLE_OOB);
    assert_int_equal(call2(s, inst, "tinit_passive", 3, 0), WB_TRAP_TABLE_OOB);
    assert_int_equal(call2(s, inst, "tinit_passive", -1, 1), WB_TRAP_TABLE_OOB);
    wb_store_free(s);
}

static void test_table_grow_limits(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    struct callback cb;
    wb_instance *inst = bulk_instance(s, &cb);
    wb_func *grow = export_func(inst, "grow_table");
    wb_value arg = i32v(3), r;
    assert_int_equal(wb_func_call(s, grow, &arg, 1, &r, 1), WB_OK);
    assert_int_equal(r.of.i32, 2);
    arg = i32v(10000000); /* past the implementation cap */
    assert_int_equal(wb_func_call(s, grow, &arg, 1, &r, 1), WB_OK);
    assert_int_equal(r.of.i32, -1);
    arg = i32v(-1);
    assert_int_equal(wb_func_call(s, grow, &arg, 1, &r, 1), WB_OK);
    assert_int_equal(r.of.i32, -1);
    arg = i32v(0);
    assert_int_equal(wb_func_call(s, grow, &arg, 1, &r, 1), WB_OK);
    assert_int_equal(r.of.i32, 5);
    wb_store_free(s);
}

/* Canonical type ids (runtime.h contract): equal signatures, equal ids;
 * different ones, different ids; stable across many thousands of types. */
static void test_type_interning(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    enum { N = 5000 };
    static uint32_t ids[N];
    wb_vt params[4], results[1] = {WB_I32};
    static const wb_vt kinds[4] = {WB_I32, WB_I64, WB_F32, WB_F64};
    for (int round = 0; round < 2; round++) {
        for (uint32_t i = 0; i < N; i++) {
            /* i spelled in base 4 over the param types, plus the arity */
            uint32_t n = 1 + i % 4, v = i / 4;
            for (uint32_t k = 0; k < n; k++, v /= 4)
                params[k] = kinds[v % 4];
            wb_mtype t = {n, (i & 1) ? 1u : 0u, params, results, n, (i & 1) ? 1u : 0u, 0, 0}; /* no v128: a slot each */
            uint32_t id = wb_store_intern_type(s, &t);
            assert_true(id != UINT32_MAX);
            if (round == 0)
                ids[i] = id;
            else
                assert_int_equal(id, ids[i]);
        }
    }
    /* ids agree exactly when the signatures agree: a key that spells the
     * signature (arity, result count, the digits actually used) */
    static uint32_t keys[N];
    for (uint32_t i = 0; i < N; i++) {
        uint32_t n = 1 + i % 4, digits = (i / 4) % (1u << (2 * n));
        keys[i] = (n << 12) | ((i & 1) << 10) | digits;
    }
    uint32_t distinct = 0;
    for (uint32_t i = 0; i < N; i++) {
        bool first = true;
        for (uint32_t j = 0; j < i; j++) {
            assert_int_equal(ids[i] == ids[j], keys[i] == keys[j]);
            if (keys[i] == keys[j])
                first = false;
        }
        distinct += first;
    }
    assert_int_equal(distinct, 4 + 16 + 64 + 256); /* every spelling of 1..4 params */
    /* a host function's type gets the same id as the equal module type */
    wb_functype ft = {2, 1, ii, i_};
    wb_func *f = wb_func_new_host(s, &ft, host_add, NULL);
    wb_vt p2[2] = {WB_I32, WB_I32};
    wb_mtype mt = {2, 1, p2, results, 2, 1, 0, 0};
    assert_int_equal(f->type_id, wb_store_intern_type(s, &mt));
    wb_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_messages),
        cmocka_unit_test(test_limits_and_fuel),
        cmocka_unit_test(test_host_direct_call),
        cmocka_unit_test(test_bad_calls),
        cmocka_unit_test(test_host_trap_and_exit_direct),
        cmocka_unit_test(test_globals_api),
        cmocka_unit_test(test_tables_api),
        cmocka_unit_test(test_host_called_from_module),
        cmocka_unit_test(test_host_trap_and_exit_from_module),
        cmocka_unit_test(test_module_args_and_results),
        cmocka_unit_test(test_link_errors),
        cmocka_unit_test(test_descriptions),
        cmocka_unit_test(test_objects_module),
        cmocka_unit_test(test_segment_trap_keeps_effects),
        cmocka_unit_test(test_start_trap_keeps_effects),
        cmocka_unit_test(test_memory_over_store_cap),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_reentrant_host),
        cmocka_unit_test(test_segments_after_instantiation),
        cmocka_unit_test(test_table_grow_limits),
        cmocka_unit_test(test_type_interning),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
