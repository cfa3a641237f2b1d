/* Internal to the function-body checker (validate_code.c, validate_stack.c):
 * the checker's state and the spec algorithm's stack operations. */
#ifndef WASMBOX_VM_VALIDATE_CODE_H
#define WASMBOX_VM_VALIDATE_CODE_H

#include "instr.h"
#include "validate_internal.h"

/* label_key of a label whose types are checked every time (typed references) */
#define WB_VC_NO_KEY UINT32_MAX

typedef struct wb_vc_frame {
    wb_op kind;            /* BLOCK, LOOP, IF, ELSE, or END for the function itself;
                            * TRY, CATCH, CATCH_ALL (legacy exceptions, validate_exc.c) */
    bool unreachable;
    uint32_t nparams, nresults;
    const wb_vt *params, *results; /* results NULL: one typed reference, in single_result */
    wb_vt single_result;
    size_t height;         /* operand stack height at entry */
    /* br_table: which type vector this frame's label is (see label_key) */
    uint32_t label_key;
    size_t set_height;     /* set_log's length at entry: what the end undoes */
} wb_vc_frame;

struct wb_code_checker {
    const wb_vctx *v;
    wb_vt *vals;
    size_t nvals, capvals;
    wb_vc_frame *ctrls;
    size_t nctrls, capctrls;
    /* locals: end index (exclusive) of each declared group, after the params */
    uint64_t *group_end;
    size_t capgroups;
    /* br_table: per label key, the last br_table that checked it */
    uint64_t *key_stamp;
    size_t nkeys;
    uint64_t br_table_serial;
    /* the function being checked */
    const wb_mtype *type;
    const wb_code *code;
    uint64_t nlocals;      /* params + declared locals */
    uint64_t local_slots;  /* frame slots of the declared locals: a v128 takes two */
    char where[32];
    size_t off;            /* offset of the current instruction */
    wb_error *err;
    uint32_t nconsts;      /* constant instructions of the body checked last */
    /* the types of locals 0 .. WB_VC_FIRST_LOCALS - 1 (params included), as
     * far as the function has them */
#define WB_VC_FIRST_LOCALS 32
    wb_vt first_locals[WB_VC_FIRST_LOCALS];
    /* non-defaultable locals (3.0): which are set on the current path */
    uint8_t *local_set;
    size_t nlocal_set;
    uint32_t *set_log;     /* locals set since each open block began, in order */
    size_t nset_log, capset_log;
    bool has_nondefault;
    /* per op, its signature as types, worked out on the op's first use by
     * this checker rather than per instruction (nor for every op up front:
     * that was 10% of an empty module's start-up); typed false: the
     * validator types it by hand ('*' in its signature, or none) */
    struct wb_vc_sig {
        bool made;
        bool typed;
        uint8_t npop, npush;
        uint8_t t[8];      /* operands in order, then results: numbers and v128 only,
                            * whose words are their bytes (valtype.h); bytes keep the
                            * checker, which is zeroed at every load, small */
    } sigs[WB_OP_COUNT];
};

/* A block type's params and results, and their label keys (validate_code.c). */
typedef struct wb_vc_blocktype {
    uint32_t np, nr;
    const wb_vt *p, *r;
    uint32_t params_key, results_key;
    wb_vt single;          /* a typed reference result: r points here */
} wb_vc_blocktype;
bool wb_vc_block_type(wb_code_checker *c, int64_t bt, wb_vc_blocktype *out);
/* validate_exc.c: throw, throw_ref, try_table, try, catch, catch_all,
 * delegate, rethrow. */
bool wb_vc_check_exc(wb_code_checker *c, const wb_instr *in);
/* `end` of a legacy try, catch or catch_all frame. */
bool wb_vc_end_exc(wb_code_checker *c);

/* Fails with `kind` at the current instruction, in the current function. */
bool wb_vc_fail_kind(wb_code_checker *c, wb_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define wb_vc_fail(c, ...) wb_vc_fail_kind((c), WB_ERR_INVALID, __VA_ARGS__)

/* Operand stack. Pops check against `want` (WB_VT_UNKNOWN: any). */
bool wb_vc_reserve(wb_code_checker *c, size_t extra);
bool wb_vc_push(wb_code_checker *c, wb_vt t);
bool wb_vc_push_n(wb_code_checker *c, const wb_vt *ts, uint32_t n);
bool wb_vc_pop_expect(wb_code_checker *c, wb_vt want, wb_vt *got);
bool wb_vc_pop(wb_code_checker *c, wb_vt want);
bool wb_vc_pop_n(wb_code_checker *c, const wb_vt *ts, uint32_t n);

/* Control stack. */
bool wb_vc_push_ctrl(wb_code_checker *c, wb_op kind, uint32_t np, const wb_vt *p, uint32_t nr,
                     const wb_vt *r, uint32_t label_key);
bool wb_vc_pop_ctrl(wb_code_checker *c, wb_vc_frame *out);
void wb_vc_set_unreachable(wb_code_checker *c);
void wb_vc_label_types(const wb_vc_frame *f, uint32_t *n, const wb_vt **ts);
/* A frame's result types (one typed reference is kept in the frame). */
static inline const wb_vt *wb_vc_results(const wb_vc_frame *f)
{
    return f->results ? f->results : &f->single_result;
}
bool wb_vc_label(wb_code_checker *c, uint32_t depth, const wb_vc_frame **out);

/* A block (or one arm of it) ended: the non-defaultable locals it set are
 * unset again (what a block initialises is known inside it only). */
static inline void wb_vc_undo_sets(wb_code_checker *c, size_t height)
{
    while (c->nset_log > height)
        c->local_set[c->set_log[--c->nset_log]] = 0;
}

#endif
