/* shell.h: what a utility of the sandbox shell sees (README.md next to this
 * file: "Adding a utility").
 *
 * A utility is one function in utils/NAME.c,
 *
 *     int util_NAME(shctx *sh, int argc, char **argv);
 *
 * listed once in utils/utils.def. It reads and writes only through the
 * streams below (never stdio, never fds 0-2: those are the tool's own), and
 * returns its exit status as GNU's utility would (0, 1, 2 for usage...). It
 * keeps no state in static variables: one shell run calls a utility many
 * times, and each call starts fresh. It never calls exit(): a broken pipe or
 * a write error is seen as sh_write returning false, and the utility
 * returns (the shell turns a broken pipe into status 141 itself).
 *
 * Everything here compiles for the host as well as for wasm32-wasi. */
#ifndef SH_SHELL_H
#define SH_SHELL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct shctx shctx;
typedef struct sh_stream sh_stream;

/* ---- growable buffer -------------------------------------------------------
 * data is NUL-terminated whenever it is not NULL. Allocation failure ends the
 * run with an "out of memory" result (sh_oom), so adds never fail. */
typedef struct {
    char *data;
    size_t len, cap;
} sh_buf;

void sh_buf_add(sh_buf *b, const void *p, size_t n);
void sh_buf_addc(sh_buf *b, char c);
void sh_buf_adds(sh_buf *b, const char *s);
void sh_buf_printf(sh_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sh_buf_vprintf(sh_buf *b, const char *fmt, va_list ap);
void sh_buf_reserve(sh_buf *b, size_t extra);
/* Returns data (an empty string when nothing was added) and gives it to the
 * caller (free it); the buffer is empty after. */
char *sh_buf_take(sh_buf *b);
void sh_buf_free(sh_buf *b);

/* Allocation that never returns NULL (sh_oom ends the run instead). */
void *sh_malloc(size_t n);
void *sh_calloc(size_t n, size_t size);
void *sh_realloc(void *p, size_t n);
char *sh_strdup(const char *s);
char *sh_strndup(const char *s, size_t n);
/* Ends the run: prints the result so far with "out of memory" (main.c). */
_Noreturn void sh_oom(void);

/* ---- streams -----------------------------------------------------------------
 * The current command's standard streams. Output to a pipe that is full
 * (README.md "Pipelines") fails with EPIPE, as writing to a closed pipe does. */
sh_stream *sh_stdin(shctx *sh);
sh_stream *sh_stdout(shctx *sh);
sh_stream *sh_stderr(shctx *sh);
/* The stream on the shell's file descriptor fd (0-9), or NULL if closed. */
sh_stream *sh_fd_stream(shctx *sh, int fd);

/* false on error, errno set (EPIPE: broken pipe; the rest of the output is
 * dropped and the utility should stop). */
bool sh_write(sh_stream *s, const void *p, size_t n);
bool sh_puts(sh_stream *s, const char *str);
bool sh_putc(sh_stream *s, char c);
bool sh_printf(sh_stream *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool sh_vprintf(sh_stream *s, const char *fmt, va_list ap);
/* Pushes buffered output to its file. */
bool sh_flush(sh_stream *s);
/* Up to n bytes; 0 at end of input; -1 on error (errno). */
ssize_t sh_read(sh_stream *s, void *p, size_t n);
/* One line of any length, up to and including delim (not added at the end
 * of input without one), into line (replacing its contents). Returns the
 * length, 0 at end of input, -1 on error (errno). */
ssize_t sh_getdelim(sh_stream *s, sh_buf *line, int delim);
/* A whole stream into out (appended); false on error (errno). max bounds it
 * (EFBIG past it); SH_NO_LIMIT leaves it to the sandbox's memory limit. */
#define SH_NO_LIMIT ((size_t)-1 / 2)
bool sh_read_all(sh_stream *s, sh_buf *out, size_t max);

/* Opens a file for a utility, relative to the shell's working directory.
 * flags as open(2)'s (O_RDONLY, O_WRONLY|O_CREAT|O_TRUNC, O_APPEND ...).
 * /dev/null, /dev/zero, /dev/urandom, /dev/random, /dev/stdin, /dev/stdout,
 * /dev/stderr and /dev/fd/N work as on Linux. NULL and errno on failure. */
sh_stream *sh_open(shctx *sh, const char *path, int flags);
/* Closes a stream from sh_open (flushing output); false if a write or the
 * flush failed (errno). */
bool sh_close(sh_stream *s);
/* The stream's file descriptor, or -1 for a pipe, /dev/null and the like. */
int sh_stream_fd(const sh_stream *s);
/* True once a write to it failed (the error is errno-like, in *err). */
bool sh_stream_failed(const sh_stream *s, int *err);

/* An input operand: "-" is the command's stdin, anything else is opened;
 * NULL after printing "NAME: FILE: reason" (the caller sets status 1).
 * Close it with sh_input_close (which leaves stdin open). */
sh_stream *sh_input(shctx *sh, const char *path);
void sh_input_close(shctx *sh, sh_stream *s);
/* True when s reads a regular file (then *size is its size). */
bool sh_stream_regular(sh_stream *s, int64_t *size);

/* ---- messages, GNU style -----------------------------------------------------
 * "NAME: message\n" on the command's stderr, NAME the utility's name. */
void sh_err(shctx *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "NAME: message: strerror(e)\n". */
void sh_errno(shctx *sh, int e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "Try 'NAME --help' for more information.\n" */
void sh_try_help(shctx *sh);
/* strerror, with the sandbox's refusal (ENOTCAPABLE) said in words. */
const char *sh_strerror(int e);
/* A file name quoted as GNU's messages quote it: sh_quote always ('x',
 * 'a b', "it's"), as in "cannot access 'x'"; sh_quote_maybe only when
 * needed (x, 'a b'), as in "cat: x: No such file". The result lives until
 * the fourth call after. */
const char *sh_quote(shctx *sh, const char *name);
const char *sh_quote_maybe(shctx *sh, const char *name);
/* The name the utility was called by. */
const char *sh_name(shctx *sh);

/* ---- options (getopt-like, GNU long options, arguments permuted) ----------- */
enum { SH_NO_ARG, SH_REQ_ARG, SH_OPT_ARG };
typedef struct {
    const char *name; /* without "--" */
    int has_arg;
    int val;          /* returned by sh_getopt */
} sh_longopt;
typedef struct {
    int ind;          /* next argument to look at; operands are argv[ind..argc) at the end */
    const char *arg;  /* the option's argument */
    int opt;          /* the option character that was wrong, for messages */
    /* private */
    int pos, nonopt_start, nonopt_end;
} sh_getopt_state;
#define SH_GETOPT_INIT {1, NULL, 0, 0, -1, -1}
/* Returns the next option (its character, or the long option's val), -1
 * after the last (operands are then argv[st->ind..argc), options moved
 * before them), or '?' after printing a GNU message ("NAME: invalid option
 * -- 'z'", "NAME: option requires an argument -- 'n'", "NAME: unrecognized
 * option '--x'") and the "Try" line. shortopts as getopt's ("n:c:v");
 * a leading '+' stops at the first operand (no permutation). "--help" is
 * the caller's (list it in longopts). */
int sh_getopt(shctx *sh, sh_getopt_state *st, int argc, char **argv, const char *shortopts,
              const sh_longopt *longopts);

/* ---- numbers ------------------------------------------------------------------ */
/* Whole string a decimal integer (leading blanks and a sign allowed), in range. */
bool sh_parse_int(const char *s, int64_t *out);
/* A count with GNU's multiplier suffixes (head -c 1K): b 512, kB 1000,
 * K/KiB 1024, MB, M/MiB, G, T, P, E; no sign. False when it is not one or
 * does not fit (*out is then INT64_MAX for "too large"). */
bool sh_parse_size(const char *s, int64_t *out);

/* ---- the shell, for utilities that need it -------------------------------- */
/* An exported variable's value (as a command's environment has it), or NULL. */
const char *sh_getenv(shctx *sh, const char *name);
/* The exported environment as "NAME=value" strings, sorted; free with
 * sh_strv_free. */
char **sh_environ(shctx *sh);
void sh_strv_free(char **v);
/* Sets a shell variable (printf -v); false, with a message, if it is
 * readonly or not a valid name. */
bool sh_setvar(shctx *sh, const char *name, const char *value);
/* The shell's working directory (absolute, normalized). */
const char *sh_cwd(shctx *sh);
/* path made absolute with every symlink resolved (canon.c): NULL and *err
 * (an errno value) when a component is missing (which ones may be, mode
 * says) or a loop. */
enum { SH_CANON_ALL, SH_CANON_ALL_BUT_LAST, SH_CANON_MISSING };
char *sh_canonicalize(shctx *sh, const char *path, int mode, int *err);
/* path (absolute, normalized) relative to base (the same): "../x". */
char *sh_relative_path(const char *path, const char *base);

/* ---- copying (copy.c), for cp and mv ------------------------------------------ */
typedef struct {
    bool recursive, dereference, follow_args, preserve, force, no_clobber, update, verbose;
} sh_copy_opts;
/* Copies src to dst (a file, a symlink as a symlink, a directory tree
 * with recursive), with GNU cp's messages; false after an error. */
bool sh_copy(shctx *sh, const char *src, const char *dst, const sh_copy_opts *o);
/* Is path dir itself or inside it (symlinks resolved)? */
bool sh_inside(shctx *sh, const char *dir, const char *path);
/* dir/basename(src) */
char *sh_path_into(const char *dir, const char *src);

/* ---- orders and formats shared by utilities ---------------------------------- */
/* memcmp, eight bytes at a time where they are equal (wasi-libc's goes
 * byte by byte, and every comparison of sort and uniq goes through it). */
int sh_memcmp(const void *a, const void *b, size_t n);
/* v in decimal into buf (at least 21 bytes), no terminator; the length.
 * For loops that print numbers by the thousand (snprintf costs more). */
size_t sh_fmt_u64(char *buf, uint64_t v);
/* A stable merge sort with a context for the comparison (qsort has none,
 * and a utility keeps no static state). */
void sh_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *, void *), void *ctx);
/* GNU's version order (sort -V, ls -v): <0, 0, >0. */
int sh_filevercmp(const char *a, size_t an, const char *b, size_t bn);
/* A size as GNU's -h shows it: 999, 1.5K, 12K, 3.0M. */
void sh_human_size(char *buf, size_t n, uint64_t v);
/* A date as GNU's date -d reads it (datetime.c): @SECONDS, now, today,
 * yesterday, tomorrow, ISO 8601 (2024-01-02, 2024-01-02 03:04:05,
 * 2024-01-02T03:04:05Z, with +HH:MM), "Jan 2 2024", "2 Jan 2024 10:00",
 * times alone (today), relative items ("1 day ago", "+3 hours", "next
 * week"), in UTC. False when it cannot be read. */
bool sh_parse_date(const char *s, int64_t now_sec, int64_t *sec, long *nsec);
/* strftime with GNU date's extensions (%N, %:z, %-d, %_H, %^a, %s) in UTC. */
void sh_format_date(sh_buf *out, const char *fmt, int64_t sec, long nsec);
/* Runs argv as a program, as xargs and env do: with the current streams,
 * in a copy of the shell's state (a new process: what it changes is
 * dropped), never a shell function; the exit status (127 when there is no
 * such command). */
int sh_run_program(shctx *sh, int argc, char **argv);
/* True when the run has to stop (a broken pipe on the current output):
 * loops that could run long check it. */
bool sh_interrupted(shctx *sh);

/* A POSIX basic (ere false) or extended regular expression rewritten into
 * the syntax of the guest regex engine (tools/guest/regex/regex.h), groups
 * kept in order (posix_regex.c). sed_escapes: \n \t \r \f \v \a mean the
 * control characters, as in GNU sed. NULL on success, else GNU's message
 * ("Unmatched ( or \\("); back-references are refused, saying why. */
const char *sh_posix_regex(const char *p, size_t n, bool ere, bool sed_escapes, sh_buf *out);

typedef int sh_util_fn(shctx *sh, int argc, char **argv);

#endif
