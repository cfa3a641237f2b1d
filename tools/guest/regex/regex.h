/* A linear-time regular expression engine for the guest tools (grep, sed,
 * find -regex, awk). Syntax: the Rust regex crate's (ripgrep's), documented in
 * README.md beside this file. Matching: a Pike VM (Thompson NFA simulation
 * with captures), so a search takes O(program size x text length) steps and
 * memory bounded by the program size, whatever the pattern and the text.
 *
 * Plain C11, no platform code: compiled for wasm32-wasi guests and for the host
 * (unit tests). A compiled program carries its own scratch memory, so searches
 * never allocate and never fail; one program must not be used by two threads
 * at once. */
#ifndef WB_REGEX_H
#define WB_REGEX_H

#include <stddef.h>
#include <stdint.h>

/* Flags for rx_compile; each is the same as the inline flag named. */
enum {
    RX_ICASE = 1u << 0,     /* (?i) case-insensitive (Unicode simple case folding) */
    RX_MULTILINE = 1u << 1, /* (?m) ^ and $ match at line starts and ends */
    RX_DOTALL = 1u << 2,    /* (?s) . matches \n too */
    RX_EXTENDED = 1u << 3,  /* (?x) whitespace ignored, # comments */
    RX_UNGREEDY = 1u << 4,  /* (?U) quantifiers lazy by default, x*? greedy */
    RX_CRLF = 1u << 5,      /* (?R) with m, \r\n ends a line too; . excludes \r */
    RX_LITERAL = 1u << 6,   /* the pattern is a fixed string (grep -F) */
    RX_LONGEST = 1u << 7,   /* POSIX leftmost-longest: of the matches starting
                               leftmost, the longest (awk, sed); rx_search and
                               rx_find_next with ncaps >= 1 only, groups as found */
};

/* Limits checked by rx_compile (errors say which). */
#define RX_MAX_INSTS 100000  /* instructions in the compiled program */
#define RX_MAX_DEPTH 250     /* nesting of groups and quantifiers */
#define RX_MAX_CLASS_DEPTH 32 /* nesting of classes: [a[b[c]]] */
#define RX_MAX_REPEAT 100000 /* a count in {n,m} */
/* Capture slots the VM keeps per search: thread-bearing instructions x
 * capture groups x 2 (bounds the scratch memory to 16 MiB on a 64-bit host). */
#define RX_MAX_SLOTS (1u << 21)

#define RX_NOPOS ((size_t)-1)

typedef struct rx_prog rx_prog;

typedef struct {
    size_t start, end; /* byte offsets; RX_NOPOS for a group that took no part */
} rx_span;

typedef struct {
    char msg[160]; /* e.g. "unclosed group", "backreferences (\\1) are not supported ..." */
    size_t pos;    /* byte offset in the pattern where the problem was seen */
} rx_error;

/* Compiles pattern (len bytes, not NUL-terminated, must be UTF-8) with flags.
 * Returns NULL and fills *err when the pattern is invalid, uses something not
 * supported (backreferences, look-around: the message says so), exceeds a
 * limit, or memory ran out. */
rx_prog *rx_compile(const char *pattern, size_t len, unsigned flags, rx_error *err);
void rx_free(rx_prog *p);

/* Leftmost-first search (Perl/RE2/Rust semantics) of text[start..len) with
 * text[0..start) as context for ^, \b and the like (\A matches only at 0).
 * Returns 1 and fills caps[0..ncaps) (group 0 is the whole match; groups past
 * rx_group_count get RX_NOPOS) or 0 when there is no match. ncaps may be 0. */
int rx_search(rx_prog *p, const char *text, size_t len, size_t start, rx_span *caps,
              size_t ncaps);

/* Whether text[0..len) contains a match anywhere: the fast path (stops at the
 * first match found, uses the pattern's literals to skip text). */
int rx_is_match(rx_prog *p, const char *text, size_t len);

/* For searching many lines of one buffer (grep): every match contains one of
 * a few literals the compiler found (the longest required one, or one per
 * alternation branch). Returns the first offset >= from where one of them
 * begins, so that no match lies wholly in text[from..returned) (from itself
 * when the pattern has none), or RX_NOPOS when no match can lie in
 * text[from..len). */
size_t rx_candidate(rx_prog *p, const char *text, size_t len, size_t from);

/* Successive non-overlapping matches, as Rust's find_iter and sed's s///g: an
 * empty match right where the previous match ended is skipped. Start with
 * *it = RX_ITER_INIT. */
typedef struct {
    size_t pos;      /* where the next search starts */
    size_t last_end; /* end of the previous match, RX_NOPOS before the first */
} rx_iter;
#define RX_ITER_INIT ((rx_iter){0, RX_NOPOS})
int rx_find_next(rx_prog *p, const char *text, size_t len, rx_iter *it, rx_span *caps,
                 size_t ncaps);

/* memchr, 8 bytes a step with 64-bit words: wasm32 libcs go 4 bytes (size_t)
 * a step, and the interpreter pays per instruction. Same result as memchr. */
const void *rx_memchr(const void *s, int c, size_t n);
/* Whether s[0..n) holds a zero byte (rx_memchr(s, 0, n) != NULL), at about
 * half its cost on ASCII text: grep's binary test runs over every file. */
int rx_has_nul(const void *s, size_t n);

/* Number of capture groups including group 0. */
size_t rx_group_count(const rx_prog *p);
/* Name of group i ((?P<name>...) or (?<name>...)), or NULL. */
const char *rx_group_name(const rx_prog *p, size_t i);
/* Index of the group called name, or -1. */
long rx_group_index(const rx_prog *p, const char *name);

/* Work done so far by searches with p: one step per VM instruction visited
 * and per thread advanced, and one per byte a literal scan looked at. Bounded by about 2 x program size x bytes searched; tests assert on
 * it instead of on time. */
uint64_t rx_steps(const rx_prog *p);
/* Instructions in the compiled program. */
size_t rx_program_size(const rx_prog *p);

#endif
