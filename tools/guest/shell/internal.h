/* internal.h: the shell's language (AST, parser, expansion, evaluator) and
 * its state, shared by the shell's own sources and builtins. Utilities see
 * only shell.h. README.md: the language, limits and the pipeline model. */
#ifndef SH_INTERNAL_H
#define SH_INTERNAL_H

#include "shell.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- limits (README.md "Limits") ----------------------------------------- */
/* Every level of nesting costs wasm call frames, and the engine stops a
 * module at 10000 frames (a trap: the tool would fail without a result).
 * The shell stops first, with an error (README.md "Limits"):
 * - SH_MAX_DEPTH: function calls, subshells, command substitutions,
 *   pipeline stages, eval and source, nested in each other;
 * - SH_MAX_NEST: evaluation steps nested (every command, compound command
 *   and word expansion inside another); at most ~7 frames each;
 * - SH_MAX_PARSE_DEPTH: the syntax's nesting (at most ~8 frames each), and
 *   arithmetic's (arith.c), which fit in what remains. */
#define SH_MAX_DEPTH 400
#define SH_MAX_NEST 1000
#define SH_MAX_PARSE_DEPTH 150
/* Bytes a pipe or a command substitution holds: a writer past it gets a
 * broken pipe (README.md "Pipelines"). */
#define SH_PIPE_MAX ((size_t)64 << 20)
/* Bytes of one expanded word, variable or here-document. */
#define SH_MAX_STRING ((size_t)64 << 20)
/* Fields one word may expand to (globbing, "$@", splitting). */
#define SH_MAX_FIELDS 1000000
/* File descriptors a script can name (0-9, as POSIX requires). */
#define SH_NFD 10
/* The fixed process ids the shell reports ($$, $PPID, $!). */
#define SH_PID 2
#define SH_PPID 1

/* ---- AST -------------------------------------------------------------------
 * Every node, word and string of one parse lives in its unit's arena; a
 * function definition keeps its unit alive (units are reference counted). */
typedef struct sh_unit sh_unit;
typedef struct node node;
typedef struct word word;

/* Tilde prefixes are found at expansion time, in unquoted literals. A
 * WP_PARAM with a NULL name is a ${...} that could not be parsed: bash
 * reports "bad substitution" when it is expanded, so does this shell (the
 * text is in arg). */
enum wpart_kind { WP_LIT, WP_PARAM, WP_CMDSUB, WP_ARITH, WP_PROCSUB };

/* Parameter expansion operators: ${name OP arg}. */
enum param_op {
    P_PLAIN,      /* $x ${x} */
    P_LENGTH,     /* ${#x} */
    P_DEFAULT,    /* ${x-w} ${x:-w} */
    P_ASSIGN,     /* ${x=w} ${x:=w} */
    P_ALT,        /* ${x+w} ${x:+w} */
    P_ERROR,      /* ${x?w} ${x:?w} */
    P_RM_SPRE,    /* ${x#p} */
    P_RM_LPRE,    /* ${x##p} */
    P_RM_SSUF,    /* ${x%p} */
    P_RM_LSUF,    /* ${x%%p} */
    P_SUB_ONE,    /* ${x/p/s} */
    P_SUB_ALL,    /* ${x//p/s} */
    P_SUB_PRE,    /* ${x/#p/s} */
    P_SUB_SUF,    /* ${x/%p/s} */
    P_SUBSTR,     /* ${x:off} ${x:off:len} (arg, arg2 arithmetic) */
    P_UPPER1,     /* ${x^} */
    P_UPPER,      /* ${x^^} */
    P_LOWER1,     /* ${x,} */
    P_LOWER       /* ${x,,} */
};

typedef struct wpart {
    unsigned char kind;
    bool quoted; /* inside "..." (or a quoting construct): no splitting, no globbing */
    union {
        struct {
            const char *s;
            size_t n;
        } lit;
        struct {
            const char *name; /* identifier, digits, or one of @ * # ? - $ ! 0 */
            unsigned char op;
            bool colon;       /* the ':' forms: empty counts as unset */
            bool indirect;    /* ${!name} */
            word *arg, *arg2;
        } param;
        node *cmd;         /* WP_CMDSUB, WP_PROCSUB <(...) (NULL: empty) */
        word *arith;       /* WP_ARITH: the expression, expanded then evaluated */
    } u;
} wpart;

struct word {
    wpart *parts;
    int nparts;
};

enum redir_op {
    R_IN,         /* < */
    R_OUT,        /* > */
    R_CLOBBER,    /* >| */
    R_APPEND,     /* >> */
    R_RDWR,       /* <> */
    R_DUPIN,      /* <& */
    R_DUPOUT,     /* >& */
    R_HEREDOC,    /* << <<- */
    R_HERESTR,    /* <<< */
    R_OUTERR,     /* &> (and >& FILE) */
    R_APPENDERR   /* &>> */
};

typedef struct redir {
    unsigned char op;
    int fd;           /* the fd redirected */
    word *target;     /* file, fd number or "-", here-string; heredoc: the body */
    bool heredoc_literal; /* quoted delimiter: the body is not expanded */
    struct redir *next;
} redir;

enum node_kind {
    N_SIMPLE,
    N_PIPELINE,
    N_AND,
    N_OR,
    N_LIST,
    N_SUBSHELL,
    N_GROUP,
    N_IF,
    N_WHILE,
    N_UNTIL,
    N_FOR,
    N_CFOR,
    N_CASE,
    N_FUNCDEF,
    N_ARITH,
    N_COND
};

typedef struct assign {
    const char *name;
    word *value;      /* NULL: empty */
    bool append;      /* += */
} assign;

enum case_end { CASE_BREAK, CASE_FALL, CASE_TEST }; /* ;;  ;&  ;;& */
typedef struct case_item {
    word **pats;
    int npats;
    node *body; /* may be NULL */
    unsigned char end;
} case_item;

enum cond_op { C_AND, C_OR, C_NOT, C_UNARY, C_BINARY, C_WORD };
typedef struct cond {
    unsigned char op;
    const char *opname; /* "-f", "==", "=~", ... */
    struct cond *l, *r;
    word *a, *b;
} cond;

struct node {
    unsigned char kind;
    int line;
    redir *redirs; /* compound commands and simple commands alike */
    union {
        struct {
            assign *assigns;
            int nassigns;
            word **words;
            int nwords;
        } simple;
        struct {
            node **cmds;
            int n;
            bool bang;
        } pipe;
        struct {
            node *l, *r;
        } andor;
        struct {
            node **items;
            bool *async;
            int n;
        } list;
        struct {
            node *body; /* may be NULL: "{ }" is a syntax error but ( ) bodies from $() are not */
        } group;
        struct {
            node *cond, *then, *els;
        } if_;
        struct {
            node *cond, *body;
        } loop;
        struct {
            const char *var;
            word **words;
            int nwords;
            bool has_in;
            node *body;
        } for_;
        struct {
            word *init, *test, *step; /* NULL when empty */
            node *body;
        } cfor;
        struct {
            word *subject;
            case_item *items;
            int nitems;
        } case_;
        struct {
            const char *name;
            node *body;
            const char *text; /* the definition as written (type, declare -f) */
        } func;
        struct {
            word *expr;
        } arith;
        struct {
            cond *c;
        } cond;
    } u;
};

/* ---- parsing ---------------------------------------------------------------- */
typedef struct parser parser;
/* A parser over src[0..len) (its own copy), for one script. name is what
 * syntax errors start with after "shell: " ("-c" for the tool's command,
 * the file for a script). first_line numbers the first line. */
parser *sh_parser_new(shctx *sh, const char *src, size_t len, const char *name, int first_line);
void sh_parser_free(parser *p);
/* The next complete command (a line's worth, with its here-documents), or
 * NULL at the end or on a syntax error (*err set: the message is printed).
 * *unit is the unit the command belongs to (take a reference to keep it). */
node *sh_parse_next(parser *p, bool *err, sh_unit **unit);
void sh_unit_ref(sh_unit *u);
void sh_unit_unref(sh_unit *u);

/* ---- variables ---------------------------------------------------------------- */
enum {
    V_EXPORT = 1,
    V_READONLY = 2,
    V_INTEGER = 4, /* declare -i: assignments are evaluated */
    V_UNSET = 8    /* declared (local x, export x) but no value */
};
typedef struct var {
    char *name;
    char *value;
    unsigned flags;
    struct var *next;
} var;
typedef struct vartab vartab;

vartab *vars_new(void);
vartab *vars_clone(const vartab *t);
void vars_free(vartab *t);
var *vars_get(vartab *t, const char *name);
/* Sets (creating); false if readonly (message printed by the caller). */
var *vars_set(vartab *t, const char *name, const char *value, unsigned addflags);
void vars_remove(vartab *t, const char *name);
/* All variables, sorted by name (a malloc'd array the caller frees). */
var **vars_list(vartab *t, size_t *n);

typedef struct func {
    char *name;
    node *body;
    const char *text; /* the definition as written (in the unit) */
    sh_unit *unit;
    struct func *next;
} func;
typedef struct functab functab;
functab *funcs_new(void);
functab *funcs_clone(const functab *t);
void funcs_free(functab *t);
func *funcs_get(functab *t, const char *name);
void funcs_set(functab *t, const char *name, node *body, const char *text, sh_unit *unit);
bool funcs_remove(functab *t, const char *name);
func **funcs_list(functab *t, size_t *n);

/* A variable saved by `local`, restored when its function returns. */
typedef struct local_save {
    char *name;
    var *saved;   /* a copy of the outer variable, or NULL when it was unset */
    int depth;    /* the function call depth it belongs to */
    struct local_save *next;
} local_save;

/* ---- shell state ----------------------------------------------------------------- */
typedef struct {
    bool errexit, nounset, xtrace, pipefail, noglob, noclobber, allexport, noexec, verbose;
    /* shopt */
    bool nullglob, failglob, dotglob, globstar, nocaseglob, nocasematch, extglob, expand_aliases;
} sh_options;

/* How control leaves the code running: J_ABORT is bash's reaction to an
 * expansion error (bad substitution, arithmetic): the rest of the
 * top-level line is dropped (a subshell ends with status 1), and the next
 * line runs. */
enum jump { J_NONE, J_BREAK, J_CONTINUE, J_RETURN, J_EXIT, J_ABORT };

/* What a subshell copies and gets back (exec.c: subshell_enter/leave). */
typedef struct {
    vartab *vars;
    functab *funcs;
    char **pos; /* positional parameters $1..., NULL-terminated */
    int npos;
    char *cwd;
    sh_options opt;
    sh_stream *fds[SH_NFD];
    local_save *locals;
    char *exit_trap;
    unsigned umask; /* umask's value: kept, inherited, but WASI files have no modes */
} sh_state;

struct shctx {
    sh_state st;
    char *arg0;               /* $0 */
    const char *script_name;  /* for "NAME: line N:" (NULL: the tool's command) */
    int status;               /* $? */
    int lineno;               /* $LINENO */
    int depth;                /* nesting (SH_MAX_DEPTH) */
    int nest;                 /* evaluation nesting (SH_MAX_NEST) */
    int func_depth;
    int source_depth;         /* `return' is allowed in a sourced file */
    int subshell;             /* $BASH_SUBSHELL */
    int loop_depth;
    int errexit_off;          /* > 0: in a condition, -e does not apply */
    enum jump jump;
    int jump_n;               /* break/continue N, exit/return status */
    bool fatal;               /* a limit was hit: the run stops (is_error) */
    char *fatal_msg;
    bool sigpipe;             /* the current command wrote to a broken pipe */
    const char *cmd_name;     /* the running builtin/utility, for messages */
    unsigned cmd_flags;       /* ... and its CMD_ flags */
    int bg_status;            /* status of the last `cmd &` ($! / wait) */
    bool have_bg;
    uint64_t random_state;    /* $RANDOM */
    int64_t start_time;       /* $SECONDS */
    char *home;               /* the workspace: $HOME, cd's default */
    sh_stream *captures[2];   /* the tool's stdout and stderr */
    char **maps;              /* the mapped directories (guest paths) */
    int nmaps;
    int pipestatus[64];       /* $PIPESTATUS of the last pipeline */
    int npipestatus;
    sh_unit *unit;            /* the unit of the code running (function definitions keep it) */
    const char *arith_prefix; /* "((" or "let": leads arithmetic error messages */
    int cmdsub_status;        /* status of the last $(...) (-1: none yet) */
    unsigned procsub_fds;     /* fds holding <(...) output, closed after the command */
    int getopts_pos;          /* getopts: the place in a group of options */
    int64_t getopts_optind;   /* ... valid while OPTIND is still this */
    char quote_buf[4][256];   /* sh_quote's results (rotating) */
    int quote_next;
};

/* ---- streams (stream.c) ----------------------------------------------------------- */
sh_stream *stream_null(void);
sh_stream *stream_fd(int fd, bool own, bool writable);
/* An in-memory pipe / capture holding at most max bytes (then EPIPE). */
sh_stream *stream_pipe(shctx *sh, size_t max);
/* A capture of the tool's stdout/stderr: keeps the first and last keep/2
 * bytes and counts the rest. */
sh_stream *stream_capture(size_t keep);
/* An input stream over bytes (here-documents): takes data. */
sh_stream *stream_bytes(char *data, size_t n);
sh_stream *stream_ref(sh_stream *s);
/* Drops a reference; the last one closes (flushing). */
void stream_unref(sh_stream *s);
/* Pipes: the bytes written (for $(...)), and whether a writer was cut off. */
const char *stream_pipe_data(sh_stream *s, size_t *n);
bool stream_pipe_cut(sh_stream *s);
bool stream_at_eof(sh_stream *s);
/* Captures: the text kept (with a note where bytes were cut) and the total. */
void stream_capture_text(sh_stream *s, sh_buf *out, uint64_t *total);

/* ---- expansion (expand.c, param.c, arith.c, pattern.c) ------------------------------ */
/* argv from words: every expansion, splitting, globbing. NULL on a fatal
 * expansion error (sh->jump is J_EXIT). *argc fields, NULL-terminated. */
char **expand_words(shctx *sh, word **words, int n, int *argc);
/* One string: no splitting, no globbing ("$@" joined by spaces). NULL on error. */
char *expand_string(shctx *sh, const word *w);
/* A pattern: quoted characters escaped with '\' for fnmatch. */
char *expand_pattern(shctx *sh, const word *w);
/* A here-document body. */
char *expand_heredoc(shctx *sh, const word *w);
/* Assignment values: tilde after '=' and ':' too. */
char *expand_assign(shctx *sh, const word *w);
/* The text of a parameter and its operators (param.c). Appends the value
 * to the builder; false on error. */
typedef struct fieldbuf fieldbuf;
bool expand_param(shctx *sh, const wpart *p, fieldbuf *fb, bool quoted);
/* Adds a value to the field being built (expand.c). */
void fb_add(fieldbuf *fb, const char *s, size_t n, bool quoted);
void fb_break(fieldbuf *fb);           /* ends the field ("$@") */
/* An operator's word (${x:-word}) expanded into the same fields. */
bool expand_param_word(shctx *sh, const word *w, fieldbuf *fb, bool quoted);
/* The expansion of the text of a $(...) (exec.c). NULL on error. */
char *command_subst(shctx *sh, node *cmd);
/* <(...): runs cmd, puts its output, every byte, on a free fd and returns
 * "/dev/fd/N" (the fd is closed when the command using it ends). NULL on
 * error. */
char *process_subst(shctx *sh, node *cmd);
/* Arithmetic (arith.c): evaluates expr; false and a message on error. */
bool arith_eval(shctx *sh, const char *expr, int64_t *out);
/* Pattern matching (pattern.c). pat as from expand_pattern. */
bool pattern_match(shctx *sh, const char *pat, const char *s);
/* Strips the escaping backslashes of a pattern (a glob that matched nothing). */
char *pattern_unescape(const char *pat);
/* Pathname expansion (glob.c): the sorted matches of pat appended to out
 * (*n grows); false when nothing matched. */
bool glob_expand(shctx *sh, const char *pat, char ***out, int *n, int *cap);

/* ---- variables as the shell sees them (vars.c) ------------------------------------ */
/* A parameter's value: variables, positional and special parameters.
 * NULL when unset. *tmp may receive an allocated string to free. */
const char *param_get(shctx *sh, const char *name, char **tmp);
/* Sets a shell variable; false (and a message) if it is readonly. */
bool var_assign(shctx *sh, const char *name, const char *value, unsigned flags);
bool var_unset(shctx *sh, const char *name);
const char *var_value(shctx *sh, const char *name);
bool is_name(const char *s);
bool is_name_n(const char *s, size_t n);
void locals_pop(shctx *sh, int depth);
/* declare/local/export/readonly's "declare -x NAME="value"" listing. */
void var_print_decl(shctx *sh, sh_stream *out, const var *v, const char *cmd);
/* Sets $PWD and chdir()s; false with errno. */
bool shell_chdir(shctx *sh, const char *abs);

/* ---- evaluation (exec.c) ---------------------------------------------------------- */
int eval_node(shctx *sh, node *n);
/* Parses and runs src; status. name: "-c", the script, "eval". toplevel:
 * this is a shell's own command loop (the tool's command, sh -c, a
 * script), where J_ABORT ends only the current line. */
int run_source(shctx *sh, const char *src, size_t len, const char *name, int first_line, bool toplevel);
/* Runs argv (already expanded) with the current fds. */
int run_command(shctx *sh, int argc, char **argv, bool skip_functions);
/* Enter/leave a subshell: a copy of the state, restored after. */
void subshell_enter(shctx *sh, sh_state *saved);
int subshell_leave(shctx *sh, sh_state *saved, int status);
/* Redirections (redir.c): applied around a command, what they replace
 * saved in an fdsave (NULL: they stay, as after `exec >file`). */
typedef struct {
    sh_stream *saved[SH_NFD];
    bool touched[SH_NFD];
} fdsave;
bool apply_redirs(shctx *sh, const redir *r, fdsave *sv);
void restore_redirs(shctx *sh, fdsave *sv);
/* Pipelines (subshell.c), [[ ]] (cond.c). */
int eval_pipeline(shctx *sh, node *n);
int eval_cond_node(shctx *sh, node *n);
/* Closes the <(...) fds opened since before (a mask from sh->procsub_fds). */
void procsub_close(shctx *sh, unsigned before);
/* set -x (messages.c): PS4 repeated per subshell level, then the words. */
void xtrace_prefix(shctx *sh, sh_buf *b);
void xtrace_write(shctx *sh, sh_buf *b);
void xtrace_argv(shctx *sh, char **assigns, int nassigns, int argc, char **argv);
/* Runs the EXIT trap, once. */
void run_exit_trap(shctx *sh);
/* Depth accounting; false (and the run stops) past SH_MAX_DEPTH. */
bool depth_enter(shctx *sh, const char *what);
void depth_leave(shctx *sh);
/* Evaluation nesting; false (and the run stops) past SH_MAX_NEST. */
bool nest_enter(shctx *sh);
/* Stops the whole run: a limit was hit. */
void shell_fatal(shctx *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- messages ----------------------------------------------------------------------- */
/* "NAME: WHERE" + "line N: " (when line > 0) + message, on the shell's
 * stderr; NAME is $0 ("shell", or the script's name). */
void shell_msg(shctx *sh, const char *where, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "NAME: line N: " + message, N the current line. */
void shell_error(shctx *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A builtin's usage line as bash prints it: "NAME: usage: TEXT". */
void builtin_usage(shctx *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, for a builtin: "shell: line N: NAME: message". */
void builtin_error(shctx *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A word quoted for the shell (xtrace, set, declare -p, printf %q). */
void shell_quote(sh_buf *out, const char *s, bool always);

/* ---- commands (commands.c) ---------------------------------------------------------- */
enum {
    CMD_BUILTIN = 1, /* a bash builtin: `type` says "shell builtin", and writing to a
                        broken pipe ends the (sub)shell, not just the command */
    CMD_SPECIAL = 2, /* a POSIX special builtin */
    CMD_STATE = 4,   /* reads or changes the shell's state (builtins.def) */
    CMD_PROGRAM = 8  /* a program on Linux too: `which` and `command -v` show
                        /usr/bin/NAME, and /bin/NAME, /usr/bin/NAME run it */
};
typedef struct {
    const char *name;
    sh_util_fn *fn;
    unsigned flags;
} sh_cmd;
const sh_cmd *command_find(const char *name);
/* Every command, sorted by name. */
const sh_cmd *command_list(size_t *n);
/* /bin/NAME, /usr/bin/NAME ...: the NAME a path names, or NULL. */
const char *command_from_path(const char *path);

/* ---- test's operators (utils/test.c), for [[ ]] too ----------------------------
 * 0 true, 1 false, 2 error (message printed). */
int test_unary_op(shctx *sh, const char *op, const char *arg);
int test_binary_op(shctx *sh, const char *op, const char *a, const char *b);

/* ---- helpers ------------------------------------------------------------------------- */
int64_t now_ms(void);
/* Lexical normalization of an absolute path. */
char *path_normalize(const char *abs);
char *path_join(const char *base, const char *rel);
bool path_in_maps(shctx *sh, const char *abs);
char **strv_dup(char **v, int n);

#endif
