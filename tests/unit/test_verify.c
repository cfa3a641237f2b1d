/* The translated-code verifier (vm/verify.c): it accepts what the
 * translator makes, and each kind of damage to translated code makes it
 * abort with a message naming the problem (checked in a child process).
 *
 * Module (wat2wasm, embedded below):
 * (module
 *   (memory 1)
 *   (func $sum (param $n i32) (result i32)
 *     (local $i i32) (local $s i32)
 *     (block $done
 *       (loop $l
 *         (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
 *         (local.set $s (i32.add (local.get $s) (i32.load (i32.shl (local.get $i) (i32.const 2)))))
 *         (local.set $i (i32.add (local.get $i) (i32.const 1)))
 *         (br $l)))
 *     (local.get $s))
 *   (func (export "pick") (param i32) (result i32)
 *     (block $a (result i32)
 *       (drop (block $b (result i32)
 *         (br_table $a $b $a (i32.const 7) (local.get 0))))
 *       (i32.add (call $sum (i32.const 3)) (i32.const 100)))))
 *
 * and one with each tail call (TCALL_DEF, TCALL_ANY, TCALL_IND):
 * (module
 *   (type $t (func (param i32) (result i32)))
 *   (import "env" "h" (func $h (param i32) (result i32)))
 *   (table 1 funcref)
 *   (func $a (param i32) (result i32) (return_call $b (local.get 0)))
 *   (func $b (param i32) (result i32) (return_call $h (local.get 0)))
 *   (func $c (param i32) (result i32)
 *     (return_call_indirect (type $t) (local.get 0) (i32.const 0))))
 *
 * and one with a handler table (wasmbox wat2wasm: a try_table's pad, a
 * legacy catch_all's FUEL cell, and a joined pair of two ADD_I before them):
 * (module
 *   (tag $e (param i32))
 *   (func (param i32) (result i32) (local i32 i32)
 *     (local.set 1 (i32.add (local.get 0) (i32.const 1)))
 *     (local.set 2 (i32.add (local.get 1) (i32.const 2)))
 *     (block $h (result i32)
 *       (try_table (catch $e $h)
 *         (try (do (throw $e (local.get 2))) (catch_all)))
 *       (i32.const 0))))
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../vm/code_walk.h"
#include "../../vm/runtime.h"

static const uint8_t ver_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x03, 0x03, 0x02, 0x00, 0x00, 0x05, 0x03, 0x01,
    0x00, 0x01, 0x07, 0x08, 0x01, 0x04, 0x70, 0x69, 0x63, 0x6b, 0x00, 0x01,
    0x0a, 0x46, 0x02, 0x29, 0x01, 0x02, 0x7f, 0x02, 0x40, 0x03, 0x40, 0x20,
    0x01, 0x20, 0x00, 0x4f, 0x0d, 0x01, 0x20, 0x02, 0x20, 0x01, 0x41, 0x02,
    0x74, 0x28, 0x02, 0x00, 0x6a, 0x21, 0x02, 0x20, 0x01, 0x41, 0x01, 0x6a,
    0x21, 0x01, 0x0c, 0x00, 0x0b, 0x0b, 0x20, 0x02, 0x0b, 0x1a, 0x00, 0x02,
    0x7f, 0x02, 0x7f, 0x41, 0x07, 0x20, 0x00, 0x0e, 0x02, 0x01, 0x00, 0x01,
    0x0b, 0x1a, 0x41, 0x03, 0x10, 0x00, 0x41, 0xe4, 0x00, 0x6a, 0x0b, 0x0b
};

static const uint8_t tail_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x02, 0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01,
    0x68, 0x00, 0x00, 0x03, 0x04, 0x03, 0x00, 0x00, 0x00, 0x04, 0x04, 0x01,
    0x70, 0x00, 0x01, 0x0a, 0x19, 0x03, 0x06, 0x00, 0x20, 0x00, 0x12, 0x02,
    0x0b, 0x06, 0x00, 0x20, 0x00, 0x12, 0x00, 0x0b, 0x09, 0x00, 0x20, 0x00,
    0x41, 0x00, 0x13, 0x00, 0x00, 0x0b
};

static const uint8_t exc_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x02, 0x60,
    0x01, 0x7f, 0x00, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x01,
    0x0d, 0x03, 0x01, 0x00, 0x00, 0x0a, 0x28, 0x01, 0x26, 0x01, 0x02, 0x7f,
    0x20, 0x00, 0x41, 0x01, 0x6a, 0x21, 0x01, 0x20, 0x01, 0x41, 0x02, 0x6a,
    0x21, 0x02, 0x02, 0x7f, 0x1f, 0x40, 0x01, 0x00, 0x00, 0x00, 0x06, 0x40,
    0x20, 0x02, 0x08, 0x00, 0x19, 0x0b, 0x0b, 0x41, 0x00, 0x0b, 0x0b
};

typedef struct fixture {
    wb_store *store;
    wb_module *module;
    wb_module *tail; /* tail_wasm */
    wb_module *exc;  /* exc_wasm */
    wb_code_walker walker;
} fixture;

static int setup(void **state)
{
    static fixture f;
    f.store = wb_store_new(NULL);
    wb_error err;
    f.module = wb_module_load(f.store, ver_wasm, sizeof ver_wasm, &err);
    /* functions are translated on first call: the damage tests need code */
    if (!f.module || !wb_module_translate_all(f.module, &err))
        return -1;
    f.tail = wb_module_load(f.store, tail_wasm, sizeof tail_wasm, &err);
    if (!f.tail || !wb_module_translate_all(f.tail, &err))
        return -1;
    f.exc = wb_module_load(f.store, exc_wasm, sizeof exc_wasm, &err);
    if (!f.exc || !wb_module_translate_all(f.exc, &err) || !f.exc->compiled[0]->exc)
        return -1;
    wb_code_walker_init(&f.walker);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    wb_store_free(f->store);
    return 0;
}

/* The first instruction of defined function `def` whose op is `op`: its
 * cell, or -1. */
static long find_in(const fixture *f, const wb_module *m, uint32_t def, unsigned op)
{
    const struct wb_compiled *c = m->compiled[def];
    for (size_t at = 0; at < c->ncells;) {
        wb_code_instr in;
        if (!wb_code_decode(&f->walker, c->code, c->ncells, at, &in))
            return -1;
        if (in.op == op)
            return (long)at;
        at += in.cells;
    }
    return -1;
}

static long find(const fixture *f, uint32_t def, unsigned op) { return find_in(f, f->module, def, op); }

/* Runs wb_verify_module in a child after `damage` changed the code; the
 * child must abort, saying `expect`. */
static void expect_abort(fixture *f, void (*damage)(fixture *), const char *expect)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(stderr);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        damage(f);
        wb_verify_module(f->module);
        wb_verify_module(f->tail);
        wb_verify_module(f->exc);
        _exit(0); /* not caught: the parent fails */
    }
    close(fds[1]);
    char text[1024] = {0};
    size_t n = 0;
    ssize_t k;
    while (n < sizeof text - 1 && (k = read(fds[0], text + n, sizeof text - 1 - n)) > 0)
        n += (size_t)k;
    close(fds[0]);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGABRT || !strstr(text, expect))
        fail_msg("expected an abort saying '%s', got status %d and '%s'", expect, st, text);
}

static void test_accepts_translated_code(void **state)
{
    fixture *f = *state;
    wb_verify_module(f->module); /* returns: nothing to report */
    for (unsigned opt = 0; opt < 2; opt++) {
        wb_store *s = wb_store_new(NULL);
        wb_store_set_translation(s, opt ? WB_TRANSLATE_OPTIMIZED : WB_TRANSLATE_REFERENCE);
        wb_error err;
        wb_module *m = wb_module_load(s, ver_wasm, sizeof ver_wasm, &err);
        assert_non_null(m);
        assert_true(wb_module_translate_all(m, &err));
        wb_verify_module(m);
        m = wb_module_load(s, exc_wasm, sizeof exc_wasm, &err);
        assert_non_null(m);
        assert_true(wb_module_translate_all(m, &err));
        wb_verify_module(m);
        wb_store_free(s);
    }
}

static void no_fuel_poll(fixture *f) { f->module->compiled[0]->code[0].h = wb_interp_handlers()[WB_XOP_FUEL]; }

static void loop_target_off_by_one(fixture *f)
{
    long at = find(f, 0, WB_XOP_JMP_L);
    assert_true(at > 0);
    f->module->compiled[0]->code[at + 1].p.a += 1;
}

static void forward_target_not_fuel(fixture *f)
{
    /* the loop's exit branch lands on a FUEL cell; move it to the MOV after */
    long at = find(f, 0, WB_XOP_BRC_GE_U);
    assert_true(at > 0);
    f->module->compiled[0]->code[at + 2].p.a += 2;
}

static void slot_outside_frame(fixture *f)
{
    long at = find(f, 0, WB_XOP_SHL_I);
    assert_true(at > 0);
    f->module->compiled[0]->code[at + 2].p.a = f->module->compiled[0]->frame_slots;
}

static void wrong_record(fixture *f)
{
    long at = find(f, 0, WB_XOP_RET1);
    assert_true(at > 0);
    f->module->compiled[0]->code[at + 2].u += 1;
}

static void call_elsewhere(fixture *f)
{
    long at = find(f, 1, WB_XOP_CALL_DEF);
    assert_true(at > 0);
    f->module->compiled[1]->code[at + 1].ptr = f;
}

/* the br_table's targets are all forward: BR_TAB_F, which charges the FUEL
 * cell it lands on */
static void table_target_inside(fixture *f)
{
    long at = find(f, 1, WB_XOP_BR_TAB_F);
    assert_true(at > 0);
    f->module->compiled[1]->code[at + 4].p.a += 1;
}

/* the entry chain's cost (the FUEL_POLL cell's CC) at 2^30: the
 * interpreter charges from a 32-bit counter whose sign is the test */
static void huge_fuel_cost(fixture *f) { f->module->compiled[0]->code[1].u = 1ull << 30; }

/* what a taken branch charges (its [t c] cell's c), 2^30 or more either
 * way: a refund that large could wrap the counter */
static void huge_branch_charge(fixture *f)
{
    long at = find(f, 0, WB_XOP_BRC_GE_U);
    assert_true(at > 0);
    f->module->compiled[0]->code[at + 2].p.b = (uint32_t)-(int32_t)(1u << 30);
}

static void table_target_not_fuel(fixture *f)
{
    /* the default entry onto the instruction after its FUEL cell */
    long at = find(f, 1, WB_XOP_BR_TAB_F);
    assert_true(at > 0);
    f->module->compiled[1]->code[at + 5].p.a += 2;
}

static void unknown_handler(fixture *f)
{
    long at = find(f, 0, WB_XOP_SHL_I);
    f->module->compiled[0]->code[at].h = f;
}

/* a joined pair's handler (opfamilies.h WB_JOINS) whose second step is not
 * the next instruction: SHL_I given J_ADD_I_ADD_I's handler (same layout),
 * followed by anything but an ADD_I */
static void joined_without_second(fixture *f)
{
    long at = find(f, 0, WB_XOP_SHL_I);
    assert_true(at > 0);
    f->module->compiled[0]->code[at].h = wb_interp_handlers()[WB_XOP_J_ADD_I_ADD_I];
}

/* the same for a joined triple (opfamilies.h WB_JOINS3): SHL_I given the
 * handler of ADD_I, I32_LOAD8_U_BR_Z, MOV (its first step's layout) */
static void triple_without_second(fixture *f)
{
    long at = find(f, 0, WB_XOP_SHL_I);
    assert_true(at > 0);
    f->module->compiled[0]->code[at].h = wb_interp_handlers()[WB_XOP_J3_ADD_I_I32_LOAD8_U_BR_Z_MOV];
}

/* tail calls: the record they carry over, and every index they hold */
static void tail_wrong_record(fixture *f)
{
    long at = find_in(f, f->tail, 0, WB_XOP_TCALL_DEF);
    assert_true(at > 0);
    f->tail->compiled[0]->code[at + 3].u += 1;
}

static void tail_call_elsewhere(fixture *f)
{
    long at = find_in(f, f->tail, 0, WB_XOP_TCALL_DEF);
    assert_true(at > 0);
    f->tail->compiled[0]->code[at + 1].ptr = f;
}

static void tail_import_out_of_range(fixture *f)
{
    long at = find_in(f, f->tail, 1, WB_XOP_TCALL_ANY);
    assert_true(at > 0);
    f->tail->compiled[1]->code[at + 1].u = 99;
}

static void tail_type_out_of_range(fixture *f)
{
    long at = find_in(f, f->tail, 2, WB_XOP_TCALL_IND);
    assert_true(at > 0);
    f->tail->compiled[2]->code[at + 1].p.b = 99;
}

static void tail_table_out_of_range(fixture *f)
{
    long at = find_in(f, f->tail, 2, WB_XOP_TCALL_IND);
    assert_true(at > 0);
    f->tail->compiled[2]->code[at + 1].p.a = 5;
}

static void tail_args_outside_frame(fixture *f)
{
    long at = find_in(f, f->tail, 1, WB_XOP_TCALL_ANY);
    assert_true(at > 0);
    f->tail->compiled[1]->code[at + 2].u = f->tail->compiled[1]->frame_slots + 1;
}

/* the handler table: each clause's landing point is held to a branch
 * target's rules, and its regions, tag and slots must be in range */
static wb_exc_catch *exc_clause(fixture *f, uint8_t kind)
{
    wb_exc_table *x = f->exc->compiled[0]->exc;
    for (uint32_t i = 0; i < x->ncatches; i++)
        if (x->catches[i].kind == kind)
            return &x->catches[i];
    fail_msg("no catch clause of kind %u", kind);
    return NULL;
}

static void landing_on_joined_second(fixture *f)
{
    long at = find_in(f, f->exc, 0, WB_XOP_J_ADD_I_ADD_I);
    assert_true(at > 0);
    exc_clause(f, 0)->target = (uint32_t)at + WB_JCELLS_ADD_I; /* the second ADD_I */
}

static void landing_inside_instruction(fixture *f) { exc_clause(f, 0)->target += 1; }

static void legacy_landing_not_fuel(fixture *f)
{
    exc_clause(f, 2)->target = exc_clause(f, 0)->target; /* the catch_all to the pad, a JMP */
}

/* a try_table's clause into the middle of a chain: onto the first ADD_I
 * (an instruction, no joined second, no branch) */
static void pad_landing_mid_chain(fixture *f)
{
    long at = find_in(f, f->exc, 0, WB_XOP_J_ADD_I_ADD_I);
    assert_true(at > 0);
    exc_clause(f, 0)->target = (uint32_t)at;
}

static void clause_tag_out_of_range(fixture *f) { exc_clause(f, 0)->tag = 99; }

static void exn_slot_outside_frame(fixture *f)
{
    exc_clause(f, 2)->exn_slot = f->exc->compiled[0]->frame_slots;
}

static void region_past_the_code(fixture *f)
{
    f->exc->compiled[0]->exc->regions[0].end = (uint32_t)f->exc->compiled[0]->ncells + 1;
}

static void test_rejects_damage(void **state)
{
    fixture *f = *state;
    expect_abort(f, no_fuel_poll, "does not start with FUEL_POLL");
    expect_abort(f, loop_target_off_by_one, "is not an instruction");
    expect_abort(f, forward_target_not_fuel, "is not a FUEL cell");
    expect_abort(f, slot_outside_frame, "outside the frame");
    expect_abort(f, wrong_record, "frame record at slot");
    expect_abort(f, call_elsewhere, "no function of the module");
    expect_abort(f, table_target_inside, "is not an instruction");
    expect_abort(f, table_target_not_fuel, "is not a FUEL cell");
    expect_abort(f, unknown_handler, "no known instruction here");
    expect_abort(f, tail_wrong_record, "frame record at slot");
    expect_abort(f, tail_call_elsewhere, "no function of the module");
    expect_abort(f, tail_import_out_of_range, "call of function 99, out of range");
    expect_abort(f, tail_type_out_of_range, "call_indirect of type 99, out of range");
    expect_abort(f, tail_table_out_of_range, "table 5 out of range");
    expect_abort(f, tail_args_outside_frame, "outside the frame");
    expect_abort(f, huge_fuel_cost, "is 2^30 or more");
    expect_abort(f, huge_branch_charge, "fuel charge -1073741824 is 2^30 or more in size");
    expect_abort(f, joined_without_second, "is not followed by its second instruction");
    expect_abort(f, triple_without_second, "J3_ADD_I_I32_LOAD8_U_BR_Z_MOV is not followed by its second instruction");
    expect_abort(f, landing_on_joined_second, "is the second of a joined pair");
    expect_abort(f, landing_inside_instruction, "is not an instruction");
    expect_abort(f, legacy_landing_not_fuel, "continues at no FUEL cell");
    expect_abort(f, pad_landing_mid_chain, "try_table catch clause 0 continues at no JMP, BR_ADJ or RET");
    expect_abort(f, clause_tag_out_of_range, "tag 99 out of range");
    expect_abort(f, exn_slot_outside_frame, "outside the frame");
    expect_abort(f, region_past_the_code, "outside the code");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_translated_code),
        cmocka_unit_test(test_rejects_damage),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
