/* The search core shared by the `grep` tool and the shell's `grep`: walks
 * files and directories, skips binary and ignored files, matches lines with
 * the regex engine (tools/guest/regex/) and writes ripgrep/GNU-grep style
 * output to a sink. Plain C11 + POSIX directory calls (opendir, lstat), so
 * it builds for wasm32-wasi guests and for the host (unit tests). */
#ifndef WB_GREP_H
#define WB_GREP_H

#include <stddef.h>

typedef enum {
    GREP_CONTENT,            /* matching lines (the default) */
    GREP_FILES_WITH_MATCHES, /* -l: names of files with a match */
    GREP_FILES_WITHOUT_MATCH,/* -L: names of files without one */
    GREP_COUNT,              /* -c: path:count per file */
} grep_mode;

typedef enum {
    GREP_BINARY_SKIP,    /* as ripgrep: files with a NUL in the first 8 KiB are skipped */
    GREP_BINARY_MATCHES, /* as GNU grep: searched; a match prints "Binary file X matches" */
    GREP_BINARY_NOTE,    /* as GNU grep 3.8: searched; a match writes "X: binary file matches"
                          * on the error sink (not counted as an error), nothing on out */
    GREP_BINARY_TEXT,    /* grep -a: binary files are searched and printed as text */
} grep_binary;

/* Output goes through write(ctx, bytes, n). */
typedef struct {
    void (*write)(void *ctx, const char *s, size_t n);
    void *ctx;
} grep_sink;

typedef struct {
    const char *pattern; /* lines of it (split at \n) are alternatives, as grep -e a -e b */
    size_t pattern_len;
    const char *const *paths; /* files or directories; none: the current directory */
    size_t npaths;
    grep_mode mode;
    int case_insensitive; /* -i */
    int fixed_strings;    /* -F: the pattern lines are literal strings */
    int word;             /* -w: matches must not touch word characters */
    int whole_line;       /* -x */
    int invert;           /* -v: select non-matching lines (not with multiline) */
    int only_matching;    /* -o: print each match, not the line */
    int multiline;        /* matches may span lines; ^ and $ match at line ends */
    int line_numbers;     /* -n */
    int filenames;        /* 0: when searching a directory or several paths; 1 always (-H); -1 never (-h) */
    int count_zero;       /* count mode prints files with no match (GNU); 0: not (ripgrep) */
    size_t before, after; /* -B, -A context lines */
    size_t head_limit;    /* stop after this many output lines (0: no limit) */
    size_t max_count;     /* -m: selected lines per file (0: no limit) */
    size_t max_columns;   /* lines longer than this are cut with a marker (0: never) */
    const char *const *globs; /* include globs, or !glob to exclude (ripgrep's --glob) */
    size_t nglobs;
    const char *type;     /* a file type from grep_types (NULL: all files) */
    int no_ignore;        /* do not read .gitignore files */
    grep_binary binary;
    /* GREP_BINARY_SKIP only: once a file was selected, a file that cannot
     * match (the literal every match holds is not in it) is counted as
     * searched without the binary test, whose verdict would then change
     * nothing but binary_skipped. For a caller that shows the counts only
     * when nothing was selected (the tool): then every file was tested. */
    int lazy_binary;
    int quiet;            /* -q: no output, stop at the first match */
    /* GNU grep's ways, for the shell's grep (0 keeps ripgrep's). */
    char eol;             /* the line terminator when nul_lines: '\0' (-z); else '\n' */
    int nul_lines;        /* -z: lines end with NUL (input and output); no binary test */
    int enter_git;        /* walk into .git directories too */
    int follow_links;     /* -R: follow symlinks met in the walk (a loop is reported) */
    int null_after_name;  /* -Z: a NUL, not ':' or a newline, after each file name */
    /* --include/--exclude/--exclude-dir in order: "i:GLOB", "e:GLOB", "d:GLOB",
     * matched against base names (gnu_filter_pass says how). */
    const char *const *gnu_filters;
    size_t ngnu_filters;
} grep_opts;

typedef struct {
    size_t files_searched;
    size_t files_matched;
    size_t lines_selected;  /* matching lines (non-matching with invert; matches with multiline) */
    size_t binary_skipped;
    size_t ignored;         /* files and directories left out by .gitignore */
    size_t errors;          /* unreadable paths (each reported on the error sink) */
    int truncated;          /* head_limit stopped the output */
    char error[256];        /* why grep_run returned 2 before searching (bad pattern, type, ...) */
} grep_result;

/* Runs the search. Output on out; one line per unreadable path on err
 * ("PATH: reason"). Returns 0 if something was selected, 1 if nothing was,
 * 2 if the options were invalid (res->error says why: the regex error with
 * its position, an unknown type with the list of known ones). Unreadable
 * paths do not stop the search; res->errors counts them. */
int grep_run(const grep_opts *o, const grep_sink *out, const grep_sink *err, grep_result *res);

/* The same in steps, for a caller that reads some inputs itself (the shell's
 * grep reads stdin and /dev/... through its own streams): grep_begin
 * compiles (NULL, res->error set, when the options are invalid; filenames
 * must then be 1 or -1, since the caller knows the paths), grep_path
 * searches a file or walks a directory as grep_run does, grep_bytes searches
 * a buffer shown as name, grep_end frees and returns the status as grep_run. */
typedef struct grep_state grep_session;
grep_session *grep_begin(const grep_opts *o, const grep_sink *out, const grep_sink *err,
                         grep_result *res);
void grep_path(grep_session *g, const char *path);
void grep_bytes(grep_session *g, const char *name, const char *buf, size_t len);
/* True once nothing more needs searching (quiet and found, head_limit, or
 * grep_stop: the caller's output failed). */
int grep_done(const grep_session *g);
void grep_stop(grep_session *g);
/* Whether names are shown from now on (1) or not (-1). */
void grep_set_filenames(grep_session *g, int filenames);
int grep_end(grep_session *g);
/* GNU grep's --include/--exclude (files) and --exclude-dir (directories):
 * the last filter that matches name decides; none matching includes a file
 * unless the first filter is an include. */
int gnu_filter_pass(const grep_opts *o, const char *name, int is_dir);

/* The known file types, "name: globs" one per entry, NULL-terminated. */
extern const char *const grep_types[];

#endif
