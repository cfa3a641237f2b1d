/* awk.h: the awk utility's insides (utils/awk.c is its entry point). The
 * POSIX awk language: a lexer (awk_lex.c) and a recursive-descent parser
 * (awk_parse.c) build a tree that a tree walker (awk_eval.c) runs, with
 * values and arrays in awk_value.c, records and fields in awk_fields.c,
 * files, pipes and getline in awk_io.c, the built-in functions and printf
 * in awk_builtin.c, and EREs translated for the shared regex engine in
 * awk_regex.c. Everything lives in one awk_state per run: no static state. */
#ifndef SH_AWK_H
#define SH_AWK_H

#include "../../shell.h"
#include "../../../regex/regex.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Nesting bounds, so that a hostile program ends with awk's error, not a
 * trap of the engine (its call stack has 10,000 frames, shared with the
 * shell around awk). Each counted level costs a few C frames. */
#define AWK_MAX_CALL_DEPTH 300   /* user function calls nested */
#define AWK_MAX_EVAL_NEST 1000   /* expressions and statements nested while running */
/* One level of the shell's nesting costs about as many engine frames as
 * this many of awk's: awk started deep in the shell gets fewer levels, and
 * a command awk runs is charged awk's levels (awk calling awk cannot add up). */
#define AWK_LEVELS_PER_SHELL_LEVEL 3
#define AWK_MAX_PARSE_DEPTH 200  /* syntax nesting */
/* Bytes of one input record: past it awk stops with an error (rather than
 * running out of memory, which loses the run's whole output). */
#define AWK_MAX_RECORD ((size_t)64 << 20)
/* Bytes one output pipe (print | "cmd") collects before its command runs. */
#define AWK_PIPE_MAX ((size_t)64 << 20)

/* ---- strings and values ---------------------------------------------------- */
/* A reference-counted string, NUL-terminated (it may hold NULs too). */
typedef struct astr {
    size_t ref, len;
    char s[];
} astr;

astr *astr_new(const char *s, size_t n);
astr *astr_cstr(const char *s);
static inline astr *astr_ref(astr *a)
{
    if (a)
        a->ref++;
    return a;
}
void astr_unref(astr *a);

/* flags: none is an uninitialized value (0 and ""); AV_NUM a number;
 * AV_STR a string; AV_STR|AV_STRNUM a string from input that looks like a
 * number (compared as one: POSIX's "numeric string"), num its value;
 * AV_STR|AV_MAYBE a string from input not yet looked at (most fields are
 * never compared: the look is left until one is, aval_numeric_str). */
enum { AV_NUM = 1, AV_STR = 2, AV_STRNUM = 4, AV_MAYBE = 8 };
typedef struct {
    unsigned char flags;
    double num;
    astr *str;
} aval;

/* ---- arrays: hashed, iterated in insertion order ------------------------------ */
typedef struct aelem {
    astr *key;
    aval v;
    struct aelem *hnext, *prev, *next;
} aelem;
typedef struct aarr {
    aelem **tab;
    size_t nb, n;
    aelem *first, *last;
} aarr;

/* A variable: untyped until used, then a scalar or an array. A function's
 * parameter given an untyped variable refers to it (K_REF), so that the
 * callee can make it an array the caller then sees. */
enum { K_UNTYPED, K_SCALAR, K_ARRAY, K_REF };
typedef struct acell {
    unsigned char kind;
    aval v;
    aarr *arr;
    struct acell *ref;
} acell;

/* ---- the program tree ------------------------------------------------------- */
enum {
    /* expressions */
    E_NUM, E_STR, E_REGEX, E_VAR, E_LOCAL, E_FIELD, E_INDEX, E_ASSIGN, E_COND, E_AND, E_OR,
    E_NOT, E_BINOP, E_CMP, E_MATCH, E_IN, E_CONCAT, E_NEG, E_UPLUS, E_PREINC, E_PREDEC,
    E_POSTINC, E_POSTDEC, E_CALL, E_BUILTIN, E_GETLINE, E_GROUP, E_GROUPLIST,
    /* statements */
    S_EXPR, S_PRINT, S_PRINTF, S_IF, S_WHILE, S_DO, S_FOR, S_FORIN, S_BLOCK, S_NEXT,
    S_NEXTFILE, S_EXIT, S_RETURN, S_BREAK, S_CONTINUE, S_DELETE
};
/* getline's forms (E_GETLINE's sub). */
enum { GL_PLAIN, GL_FILE, GL_CMD };
/* print's redirections (S_PRINT's sub). */
enum { RD_NONE, RD_FILE, RD_APPEND, RD_PIPE };

typedef struct anode {
    unsigned char op;
    int sub;              /* operator, builtin, variable index, redirection ... */
    int line;
    struct anode *a, *b, *c, *d;
    struct anode *next;   /* lists: arguments, statements, subscripts */
    double num;
    astr *str;
    rx_prog *re;
    struct anode *alloc_next; /* every node of a program, for freeing */
} anode;

/* Built-in functions (E_BUILTIN's sub). */
enum {
    B_LENGTH, B_SUBSTR, B_INDEX, B_SPLIT, B_SUB, B_GSUB, B_MATCH, B_SPRINTF, B_SIN, B_COS,
    B_ATAN2, B_EXP, B_LOG, B_SQRT, B_INT, B_RAND, B_SRAND, B_TOLOWER, B_TOUPPER, B_SYSTEM,
    B_CLOSE, B_FFLUSH
};

typedef struct {
    char *name;
    int nparams;
    char **params;
    anode *body;
    bool defined;
    int line;
} afunc;

typedef struct {
    anode *pattern, *pattern2; /* NULL: every record; pattern2: a range */
    anode *action;             /* NULL: print $0 */
} aitem;

/* The special variables have fixed indices among the globals. */
enum {
    V_NF, V_NR, V_FNR, V_FS, V_OFS, V_ORS, V_RS, V_SUBSEP, V_RSTART, V_RLENGTH, V_FILENAME,
    V_CONVFMT, V_OFMT, V_ENVIRON, V_ARGC, V_ARGV, V_NSPECIAL
};

typedef struct {
    aitem *begin, *end, *main;
    int nbegin, nend, nmain;
    afunc *funcs;
    int nfuncs;
    char **globals; /* names, by index */
    int nglobals;
    anode *all;     /* every node, for freeing */
} aprog;

/* ---- input and output ------------------------------------------------------- */
/* A source of records: a file, stdin, a command's captured output. */
typedef struct {
    sh_stream *in;   /* NULL: reading from data only */
    bool own;        /* close in when done */
    sh_buf buf;      /* bytes read, from pos */
    size_t pos;
    bool eof;
} areader;

enum { IO_OUT, IO_APPEND, IO_PIPE_OUT, IO_IN, IO_PIPE_IN };
typedef struct aio {
    char *name;
    int kind;
    sh_stream *s;     /* files */
    bool own;
    sh_buf out;       /* output not yet written (files), or all of it (pipes) */
    areader rd;       /* inputs */
    int status;       /* a command's exit status (input pipes) */
    struct aio *next;
} aio;

/* A cached compiled regex (dynamic regexes, FS, RS). */
typedef struct {
    astr *src;
    rx_prog *re;
} arx_cache;
#define AWK_RX_CACHE 32

/* One field of the current record: either a slice of the record (off, len)
 * not yet made into a value, or a value. */
typedef struct {
    aval v;
    bool made;
    size_t off, len;
} afield;

typedef struct awk_state {
    shctx *sh;
    aprog *prog;
    const char *src_name; /* "cmd. line" or the -f file, for messages */
    acell *globals;
    int nglobals;
    /* the running function's parameters and locals (one block per call,
     * so that a callee's reference to a caller's local stays valid) */
    acell *locals;
    int call_depth, nest;
    int nest_limit;        /* AWK_MAX_EVAL_NEST less what the shell around awk uses */
    /* control */
    int jump;              /* AJ_ below */
    bool fatal;            /* a runtime error was reported: stop */
    int exit_code;
    bool in_end;
    bool in_main;          /* running the main rules: next is allowed */
    aval retval;
    /* the record */
    astr *record;          /* $0 */
    bool record_strnum;    /* $0 from input: a numeric string if it looks like one */
    afield *fields;        /* $1..$NF at [1..] */
    size_t nf, capfields;
    bool split_done;
    /* with FS " " or one character, fields are split only as far as one is
     * asked for ($1 does not split the rest): scanning goes on from here */
    bool split_lazy, split_end;
    size_t split_pos;
    astr *split_fs;        /* FS when the record was read (applies to its split) */
    bool paragraph;        /* RS was "" when the record was read */
    /* main input */
    int argi;              /* next ARGV index */
    areader main;
    bool main_open, main_done;
    bool used_stdin;       /* stdin was read, or a file operand seen: stdin is not read by default */
    aio *ios;
    sh_buf out;            /* stdout, buffered */
    sh_buf line;           /* the line print is building (kept: one allocation) */
    arx_cache rxc[AWK_RX_CACHE];
    int rxc_next;
    uint64_t rand_state;
    double seed;           /* srand's, returned by the next srand */
    int cur_line;          /* the line of the statement running, for messages */
} awk_state;

enum { AJ_NONE, AJ_NEXT, AJ_NEXTFILE, AJ_EXIT, AJ_RETURN, AJ_BREAK, AJ_CONTINUE };

/* ---- awk_lex.c / awk_parse.c ------------------------------------------------- */
/* Parses src (name for messages). NULL after printing the syntax error. */
aprog *awk_parse(shctx *sh, const char *src, size_t len, const char *name);
void awk_prog_free(aprog *p);
/* Escape sequences of a string literal or -v value (\n \t \" \\ \/ \ddd ...);
 * unknown ones keep their backslash (so "\." still means a dot to a regex). */
void awk_unescape(sh_buf *out, const char *s, size_t n);

/* ---- awk_value.c ---------------------------------------------------------------- */
void aval_free(aval *v);
aval aval_copy(const aval *v);
aval aval_num(double d);
aval aval_str(astr *s);          /* takes the reference */
aval aval_strnum(astr *s);       /* input: numeric string if it looks like one */
double aval_to_num(const aval *v);
/* Is v a numeric string (POSIX)? Its value in *num when it is. */
bool aval_numeric_str(const aval *v, double *num);
/* The string value (a new reference), numbers through CONVFMT (or OFMT for
 * output when ofmt). */
astr *aval_to_str(awk_state *a, const aval *v, bool ofmt);
bool aval_true(const aval *v);
/* POSIX's comparison: numeric when both are numbers or numeric strings. */
int aval_compare(awk_state *a, const aval *x, const aval *y);
/* Leading number of s as awk reads strings ("3x" is 3, "x" 0). */
double awk_str_to_num(const char *s, size_t n);
/* Whether s[0..n) is a whole number with blanks around (a numeric string). */
bool awk_looks_numeric(const char *s, size_t n, double *out);
/* Formats d as awk does with fmt (CONVFMT/OFMT): integers as integers. */
void awk_fmt_num(sh_buf *b, const char *fmt, double d);

aarr *aarr_new(void);
void aarr_free(aarr *t);
void aarr_clear(aarr *t);
aelem *aarr_get(aarr *t, const char *k, size_t n, bool create);
void aarr_delete(aarr *t, const char *k, size_t n);

/* ---- awk_regex.c ------------------------------------------------------------------ */
/* Compiles an awk ERE; NULL after printing the error (with where). */
rx_prog *awk_rx_compile(shctx *sh, const char *ere, size_t n, const char *where);
/* A dynamic regex from a string value, cached; NULL: error printed, a->fatal. */
rx_prog *awk_rx_dynamic(awk_state *a, astr *s);
/* Whether re matches anywhere in s. */
bool awk_rx_match(rx_prog *re, const char *s, size_t n);

/* ---- awk_fields.c ------------------------------------------------------------------- */
void awk_set_record(awk_state *a, astr *rec, bool from_input);
void awk_split_record(awk_state *a);
/* $i as a value (a new copy); i >= 0. */
aval awk_get_field(awk_state *a, size_t i);
void awk_set_field(awk_state *a, size_t i, aval v);
/* $i's bytes while it is still a slice of the record ($0 too): print $1
 * copies them without making a value. False when $i is a value or absent. */
bool awk_field_slice(awk_state *a, size_t i, const char **p, size_t *n);
void awk_set_nf(awk_state *a, double nf);
/* Splits s with separator fs (awk's rules: " " blanks, one character,
 * "" characters, else an ERE) into an array of numeric strings. The count,
 * or -1 after an error. */
long awk_split_into(awk_state *a, const char *s, size_t n, astr *fs, bool paragraph, aarr *out);
/* Rebuilds $0 from the fields with OFS. */
void awk_rebuild_record(awk_state *a);

/* ---- awk_io.c --------------------------------------------------------------------------- */
/* The next record of r with the current RS into *rec (new); false at end. */
bool awk_read_record(awk_state *a, areader *r, astr **rec);
void areader_free(areader *r);
/* An operand NAME=value: assigns it (escapes processed, a numeric string)
 * and returns true; false when arg is not an assignment. */
bool awk_operand_assign(awk_state *a, const char *arg);
/* Stops reading the current main input file (nextfile). */
void awk_close_main(awk_state *a);
/* The next record of the main input (ARGV's files, assignments done on
 * the way); false at the end. */
bool awk_next_main(awk_state *a, astr **rec);
/* Writes output for print/printf: redirection kind RD_*, target name. */
bool awk_output(awk_state *a, int rd, astr *target, const char *p, size_t n);
/* The reader for getline < file / cmd | getline; NULL: cannot open. */
areader *awk_input(awk_state *a, bool cmd, astr *name);
/* close(name): the status, -1 when nothing by that name is open. */
int awk_close(awk_state *a, astr *name);
/* Flushes awk's stdout buffer (and every file with a name when all). */
bool awk_flush(awk_state *a, bool all);
/* Closes everything at the end, running output pipes; false on a write error. */
bool awk_close_all(awk_state *a);
/* Runs cmd in the shell ("sh -c"), with stdin the given bytes (NULL: the
 * current stdin) and its output captured into out (NULL: the current
 * stdout). The status. */
int awk_run_shell(awk_state *a, const char *cmd, const char *in, size_t inlen, sh_buf *out);

/* ---- awk_eval.c ----------------------------------------------------------------------------- */
aval awk_eval(awk_state *a, anode *n);
/* Runs a statement list; the jump that stopped it (J_*) or AJ_NONE. */
int awk_exec(awk_state *a, anode *s);
/* Runtime error: "awk: cmd. line:N: fatal: MSG"; sets a->fatal. */
void awk_fatal(awk_state *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The cell of a global/local variable node (following refs). */
acell *awk_cell(awk_state *a, anode *var);
aarr *awk_cell_array(awk_state *a, acell *c, const char *name);
astr *awk_subscript(awk_state *a, anode *subs);
/* Assigns to an lvalue node (variable, element, field). */
void awk_assign(awk_state *a, anode *lv, aval v);
void awk_set_global(awk_state *a, int idx, aval v);

/* The regex of a function argument: a regex literal itself, or the value
 * of any other expression as a dynamic regex (NULL: error, a->fatal). */
rx_prog *awk_regex_arg(awk_state *a, anode *n);

/* ---- awk_builtin.c ----------------------------------------------------------------------------- */
aval awk_builtin(awk_state *a, anode *n);
/* printf's formatting of args (a list of nodes) by fmt into out. */
void awk_format(awk_state *a, sh_buf *out, const char *fmt, size_t fmtlen, anode *args);

#endif
