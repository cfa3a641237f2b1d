/* Unit tests for the grep core (tools/guest/grep/): globs, .gitignore rules,
 * grep_run over a directory tree built in a temporary directory, and the
 * step-by-step API with GNU grep's ways (the shell's grep), with every
 * expected output written by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../tools/guest/grep/globmatch.h"
#include "../../tools/guest/grep/grep.h"
#include "../../tools/guest/grep/ignore.h"

/* ---- globs ---- */

static void expect_glob(const char *pat, const char *path, int want) {
    int got = glob_match(pat, strlen(pat), path, strlen(path));
    if (got != want) fail_msg("glob '%s' on '%s': %d, want %d", pat, path, got, want);
}

static void test_glob(void **state) {
    (void)state;
    expect_glob("*.c", "main.c", 1);
    expect_glob("*.c", "main.h", 0);
    expect_glob("*.c", "src/main.c", 0); /* * does not cross / */
    expect_glob("*", "", 1);
    expect_glob("?.c", "a.c", 1);
    expect_glob("?.c", "ab.c", 0);
    expect_glob("?", "/", 0);
    expect_glob("[abc].txt", "b.txt", 1);
    expect_glob("[a-c].txt", "d.txt", 0);
    expect_glob("[!a-c].txt", "d.txt", 1);
    expect_glob("[^a-c].txt", "a.txt", 0);
    expect_glob("[]].txt", "].txt", 1);
    expect_glob("\\*.txt", "*.txt", 1);
    expect_glob("\\*.txt", "a.txt", 0);
    expect_glob("**/*.c", "main.c", 1); /* a leading ** may be no directory at all */
    expect_glob("**/*.c", "a/b/main.c", 1);
    expect_glob("src/**", "src/a/b.c", 1);
    expect_glob("src/**", "src", 0);
    expect_glob("a/**/b", "a/b", 1);
    expect_glob("a/**/b", "a/x/y/b", 1);
    expect_glob("a/**/b", "a/x/y/c", 0);
    expect_glob("*.{c,h}", "x.h", 1);
    expect_glob("*.{c,h}", "x.cpp", 0);
    expect_glob("{src,lib}/**/*.{ts,tsx}", "lib/a/b.tsx", 1);
    expect_glob("a*b*c*d*e*f*g*h*i*j*k", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0);
    expect_glob("**/**/**/**/**/**/x", "a/b/c/d/e/f/g/h/i/j/k/l/m/y", 0);
    expect_glob("caf\xc3\xa9.txt", "caf\xc3\xa9.txt", 1);
}

static void expect_ignored(const char *gitignore, const char *path, int is_dir, int want) {
    ignore_stack st = {0};
    assert_true(ignore_push(&st, "", gitignore, strlen(gitignore)) >= 0);
    int got = ignore_match(&st, path, is_dir);
    if (got != want)
        fail_msg("gitignore [%s] on '%s' (dir %d): %d, want %d", gitignore, path, is_dir, got, want);
    ignore_free(&st);
}

static void test_gitignore_rules(void **state) {
    (void)state;
    expect_ignored("*.log\n", "a.log", 0, 1);
    expect_ignored("*.log\n", "deep/er/a.log", 0, 1); /* no slash: any level */
    expect_ignored("/top\n", "top", 0, 1);
    expect_ignored("/top\n", "sub/top", 0, 0);       /* leading slash: anchored */
    expect_ignored("doc/*.txt\n", "doc/a.txt", 0, 1);
    expect_ignored("doc/*.txt\n", "x/doc/a.txt", 0, 0); /* a middle slash anchors too */
    expect_ignored("build/\n", "build", 1, 1);
    expect_ignored("build/\n", "build", 0, 0);       /* trailing slash: directories only */
    expect_ignored("*.log\n!keep.log\n", "keep.log", 0, 0);
    expect_ignored("!keep.log\n*.log\n", "keep.log", 0, 1); /* the last match decides */
    expect_ignored("# *.c\n\n", "a.c", 0, 0);
    expect_ignored("\\#x\n", "#x", 0, 1);
    expect_ignored("\\!x\n", "!x", 0, 1);
    expect_ignored("a.c   \n", "a.c", 0, 1);        /* trailing spaces trimmed */
    expect_ignored("a\\ \n", "a ", 0, 1);           /* unless escaped */
    expect_ignored("**/gen/*.c\n", "x/y/gen/a.c", 0, 1);
    expect_ignored("a.c\r\n", "a.c", 0, 1);          /* CRLF files */
    /* The shapes decided without the glob matcher (ignore.h: exact names,
     * '*' then a suffix), at their edges. */
    expect_ignored("Makefile\n", "sub/Makefile", 0, 1);
    expect_ignored("Makefile\n", "sub/Makefile.in", 0, 0);
    expect_ignored("Makefile\n", "aMakefile", 0, 0);
    expect_ignored("src/gen\n", "src/gen", 1, 1);
    expect_ignored("src/gen\n", "x/src/gen", 1, 0);
    expect_ignored("src/gen\n", "src/generated", 0, 0);
    expect_ignored("*.tar.gz\n", "x/a.tar.gz", 0, 1);
    expect_ignored("*.tar.gz\n", "a.tar.gzz", 0, 0);
    expect_ignored("*.tar.gz\n", "tar.gz", 0, 0);
    expect_ignored("*.c\n", ".c", 0, 1); /* the star matches nothing too */
    expect_ignored("*\n", "any/thing", 0, 1);
    expect_ignored("*/x\n", "a/b/x", 0, 0); /* anchored: the star stays in one component */
    expect_ignored("*/x\n", "a/x", 0, 1);
    ignore_stack st = {0};
    assert_int_equal(ignore_push(&st, "", "# only a comment\n\n", 18), 0);
    assert_int_equal(st.n, 0);
    /* A deeper file's rules come first; they see paths relative to it. */
    assert_int_equal(ignore_push(&st, "", "*.md\n", 5), 1);
    assert_int_equal(ignore_push(&st, "sub", "!keep.md\n/only\n", 15), 1);
    assert_int_equal(ignore_match(&st, "sub/keep.md", 0), 0);
    assert_int_equal(ignore_match(&st, "sub/other.md", 0), 1);
    assert_int_equal(ignore_match(&st, "keep.md", 0), 1);
    assert_int_equal(ignore_match(&st, "sub/only", 0), 1);
    assert_int_equal(ignore_match(&st, "only", 0), 0);
    assert_int_equal(ignore_match(&st, "subway/only", 0), 0);
    /* the walk's form, lengths given: the same answers (name_len: the
     * bytes after the last '/') */
    assert_int_equal(ignore_match_n(&st, "sub/keep.md", 11, 7, 0), 0);
    assert_int_equal(ignore_match_n(&st, "sub/other.md", 12, 8, 0), 1);
    assert_int_equal(ignore_match_n(&st, "keep.md", 7, 7, 0), 1);
    assert_int_equal(ignore_match_n(&st, "sub/only", 8, 4, 0), 1);
    assert_int_equal(ignore_match_n(&st, "subway/only", 11, 4, 0), 0);
    /* a length shorter than the string: only those bytes are the path */
    assert_int_equal(ignore_match_n(&st, "sub/keep.mdx", 11, 7, 0), 0);
    assert_int_equal(ignore_match_n(&st, "a.mdX", 4, 4, 0), 1);
    ignore_free(&st);
    ignore_stack none = {0};
    assert_int_equal(ignore_match_n(&none, "x.md", 4, 4, 0), 0);
}

/* ---- grep_run over a tree ---- */

typedef struct {
    char *s;
    size_t n;
} buf;

static void buf_write(void *ctx, const char *s, size_t n) {
    buf *b = ctx;
    b->s = realloc(b->s, b->n + n + 1);
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
}

static char tree[256];
static char cwd_before[4096];

static void put(const char *rel, const char *content, size_t len) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tree, rel);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(content, 1, len, f), len);
    fclose(f);
}
#define PUT(rel, s) put(rel, s, sizeof(s) - 1)

static int make_tree(void **state) {
    (void)state;
    snprintf(tree, sizeof tree, "/tmp/wb_grep_XXXXXX");
    if (!mkdtemp(tree)) return -1;
    char path[512];
    const char *dirs[] = {"build", "sub", "sub/x", ".git", "ctx"};
    for (size_t k = 0; k < sizeof dirs / sizeof dirs[0]; k++) {
        snprintf(path, sizeof path, "%s/%s", tree, dirs[k]);
        if (mkdir(path, 0755) != 0) return -1;
    }
    PUT(".gitignore", "*.log\nbuild/\n/top.txt\n!keep.log\nsub/**/deep.txt\nctx/\n# a comment\n");
    PUT("a.c", "int main(void) {\n    return 0;\n}\n");
    PUT("b.py", "def main():\n    print('hello world')\n");
    PUT("notes.md", "Hello\nworld\nHELLO again\n");
    PUT("top.txt", "hello top\n");
    PUT("x.log", "hello log\n");
    PUT("keep.log", "hello keep\n");
    PUT("build/out.c", "hello build\n");
    PUT("bin.dat", "hello\0binary\n");
    PUT("sub/top.txt", "hello sub top\n");
    PUT("sub/x/deep.txt", "hello deep\n");
    PUT("sub/.gitignore", "*.md\n");
    PUT("sub/readme.md", "hello readme\n");
    PUT(".git/config", "hello git\n");
    PUT(".hidden", "hello hidden\n");
    PUT("ctx/ten.txt", "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n");
    PUT("ctx/ml.txt", "alpha\nfoo\nbar\nbeta\nfoo\nbaz\n");
    PUT("ctx/crlf.txt", "end\r\nbend\r\n");
    PUT("ctx/noeol.txt", "first\nlast hello");
    snprintf(path, sizeof path, "%s/link", tree);
    if (symlink("a.c", path) != 0) return -1;
    if (!getcwd(cwd_before, sizeof cwd_before) || chdir(tree) != 0) return -1;
    return 0;
}

static int remove_tree(void **state) {
    (void)state;
    if (chdir(cwd_before) != 0) return -1;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tree);
    return system(cmd) == 0 ? 0 : -1;
}

static grep_opts opts(const char *pattern) {
    grep_opts o;
    memset(&o, 0, sizeof o);
    o.pattern = pattern;
    o.pattern_len = strlen(pattern);
    return o;
}

/* Runs grep with o; checks the output, the return code and the error text. */
static void expect_grep(const grep_opts *o, const char *want_out, int want_rc,
                        const char *want_err) {
    buf out = {0}, err = {0};
    grep_sink so = {buf_write, &out}, se = {buf_write, &err};
    grep_result res;
    int rc = grep_run(o, &so, &se, &res);
    const char *got = out.s ? out.s : "";
    const char *got_err = err.s ? err.s : "";
    if (strcmp(got, want_out) != 0)
        fail_msg("grep /%s/: output\n[%s]\nwant\n[%s]", o->pattern, got, want_out);
    if (rc != want_rc) fail_msg("grep /%s/: rc %d, want %d (%s)", o->pattern, rc, want_rc, res.error);
    if (strcmp(got_err, want_err) != 0)
        fail_msg("grep /%s/: errors [%s], want [%s]", o->pattern, got_err, want_err);
    free(out.s);
    free(err.s);
}

static void test_walk_and_ignore(void **state) {
    (void)state;
    grep_opts o = opts("hello");
    o.line_numbers = 1;
    /* Sorted by name; .git, ignored files, the binary file and the symlink
     * are left out; hidden files are searched; sub/.gitignore hides readme.md. */
    expect_grep(&o,
                ".hidden:1:hello hidden\n"
                "b.py:2:    print('hello world')\n"
                "keep.log:1:hello keep\n"
                "sub/top.txt:1:hello sub top\n",
                0, "");
    grep_result res;
    buf out = {0};
    grep_sink so = {buf_write, &out};
    assert_int_equal(grep_run(&o, &so, NULL, &res), 0);
    assert_int_equal(res.files_matched, 4);
    assert_int_equal(res.lines_selected, 4);
    assert_int_equal(res.binary_skipped, 1);
    assert_int_equal(res.ignored, 6); /* build, ctx, top.txt, x.log, sub/readme.md, sub/x/deep.txt */
    free(out.s);

    o.no_ignore = 1;
    o.mode = GREP_FILES_WITH_MATCHES;
    expect_grep(&o,
                ".hidden\nb.py\nbuild/out.c\nctx/noeol.txt\nkeep.log\nsub/readme.md\nsub/top.txt\n"
                "sub/x/deep.txt\ntop.txt\nx.log\n",
                0, "");
}

/* lazy_binary: after the first selected file, a file without the pattern's
 * literal is counted as searched, not tested for binary; everything printed
 * is the same, and the counts are exact while nothing was selected. */
static grep_result run_quiet(const grep_opts *o, const char *want_out) {
    buf out = {0};
    grep_sink so = {buf_write, &out};
    grep_result res;
    grep_run(o, &so, NULL, &res);
    const char *got = out.s ? out.s : "";
    if (strcmp(got, want_out) != 0)
        fail_msg("grep /%s/ (lazy %d): output\n[%s]\nwant\n[%s]", o->pattern, o->lazy_binary, got,
                 want_out);
    free(out.s);
    return res;
}

static void test_lazy_binary(void **state) {
    (void)state;
    for (int lazy = 0; lazy < 2; lazy++) {
        grep_opts o = opts("main");
        o.mode = GREP_FILES_WITH_MATCHES;
        o.lazy_binary = lazy;
        /* a.c is selected before bin.dat ("hello\0binary\n", no "main") */
        grep_result r = run_quiet(&o, "a.c\nb.py\n");
        assert_int_equal(r.files_matched, 2);
        assert_int_equal(r.binary_skipped, lazy ? 0 : 1);
        assert_int_equal(r.files_searched, lazy ? 9 : 8); /* lazy: bin.dat too */
        /* a file with the literal is tested: bin.dat holds "hello" */
        o.pattern = "hello", o.pattern_len = 5;
        r = run_quiet(&o, ".hidden\nb.py\nkeep.log\nsub/top.txt\n");
        assert_int_equal(r.binary_skipped, 1);
        /* nothing selected: every file tested, the counts exact */
        o.pattern = "binary", o.pattern_len = 6;
        r = run_quiet(&o, "");
        assert_int_equal(r.binary_skipped, 1);
        assert_int_equal(r.files_searched, 8);
        /* modes whose output names files without a match test every file */
        o.pattern = "main", o.pattern_len = 4;
        o.mode = GREP_FILES_WITHOUT_MATCH;
        r = run_quiet(&o, ".gitignore\n.hidden\nkeep.log\nnotes.md\nsub/.gitignore\nsub/top.txt\n");
        assert_int_equal(r.binary_skipped, 1);
    }
}

/* A directory's names in byte order (as strcmp): names that share their
 * first 8 bytes (the walk's sort key) and differ after, or end there; bytes
 * >= 0x80; more entries than the sort's first runs of 4, an odd count. */
static void test_walk_order(void **state) {
    (void)state;
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/wb_grep_order_XXXXXX");
    assert_non_null(mkdtemp(dir));
    const char *names[] = {"abcdefgh", "abcdefg", "abcdefghi", "abcdefgha", "abcdefgh0", "B", "a",
                           "\xc3\xa9.txt", "z", "aa", "ab", "abcdefgi", "abcdefgh~", "_x", "0",
                           "abcdefgh00", "y", "abcdefgh!", "abcdefgh0a"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs("hit\n", f);
        fclose(f);
    }
    grep_opts o = opts("hit");
    o.mode = GREP_FILES_WITH_MATCHES;
    o.filenames = -1;
    const char *paths[] = {dir};
    o.paths = paths, o.npaths = 1;
    buf out = {0};
    grep_sink so = {buf_write, &out};
    grep_result res;
    assert_int_equal(grep_run(&o, &so, NULL, &res), 0);
    char want[1024];
    const char *order[] = {"0", "B", "_x", "a", "aa", "ab", "abcdefg", "abcdefgh", "abcdefgh!",
                           "abcdefgh0", "abcdefgh00", "abcdefgh0a", "abcdefgha", "abcdefghi",
                           "abcdefgh~", "abcdefgi", "y", "z", "\xc3\xa9.txt"};
    size_t w = 0;
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
        w += (size_t)snprintf(want + w, sizeof want - w, "%s/%s\n", dir, order[k]);
    if (!out.s || strcmp(out.s, want) != 0) fail_msg("order:\n[%s]\nwant\n[%s]", out.s, want);
    free(out.s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_modes(void **state) {
    (void)state;
    grep_opts o = opts("hello");
    o.case_insensitive = 1;
    o.mode = GREP_COUNT;
    expect_grep(&o, ".hidden:1\nb.py:1\nkeep.log:1\nnotes.md:2\nsub/top.txt:1\n", 0, "");
    o.count_zero = 1;
    const char *const one[] = {"a.c", "notes.md"};
    o.paths = one;
    o.npaths = 2;
    expect_grep(&o, "a.c:0\nnotes.md:2\n", 0, "");
    o.mode = GREP_FILES_WITHOUT_MATCH;
    expect_grep(&o, "a.c\n", 0, "");
    o.mode = GREP_CONTENT;
    o.npaths = 1;
    o.paths = one + 1; /* one file: no names unless asked */
    expect_grep(&o, "Hello\nHELLO again\n", 0, "");
    o.filenames = 1;
    expect_grep(&o, "notes.md:Hello\nnotes.md:HELLO again\n", 0, "");
    o.filenames = 0;
    o.invert = 1;
    expect_grep(&o, "world\n", 0, "");
    o.invert = 0;
    o.only_matching = 1;
    o.line_numbers = 1;
    expect_grep(&o, "1:Hello\n3:HELLO\n", 0, "");
    o.quiet = 1;
    expect_grep(&o, "", 0, "");
    o = opts("nothing like this");
    expect_grep(&o, "", 1, "");
}

static void test_filters(void **state) {
    (void)state;
    grep_opts o = opts("main");
    o.mode = GREP_FILES_WITH_MATCHES;
    expect_grep(&o, "a.c\nb.py\n", 0, "");
    o.type = "c";
    expect_grep(&o, "a.c\n", 0, "");
    o.type = "py";
    expect_grep(&o, "b.py\n", 0, "");
    o.type = "cobol";
    buf out = {0};
    grep_sink so = {buf_write, &out};
    grep_result res;
    assert_int_equal(grep_run(&o, &so, NULL, &res), 2);
    assert_non_null(strstr(res.error, "unknown file type 'cobol'; known types: c cpp"));
    assert_null(out.s);
    o.type = NULL;
    const char *const py[] = {"*.py"};
    o.globs = py;
    o.nglobs = 1;
    expect_grep(&o, "b.py\n", 0, "");
    o = opts("hello");
    o.mode = GREP_FILES_WITH_MATCHES;
    const char *const nolog[] = {"!*.log", "!sub"};
    o.globs = nolog;
    o.nglobs = 2;
    expect_grep(&o, ".hidden\nb.py\n", 0, "");
    const char *const deep[] = {"sub/**/*.txt"};
    o.globs = deep;
    o.nglobs = 1;
    o.no_ignore = 1;
    expect_grep(&o, "sub/top.txt\nsub/x/deep.txt\n", 0, "");
    /* A glob whose braces go past the limits is refused, not matched in part:
     * 1 + 4 + 16 + 64 groups expanded is within 256; one more group is not. */
    assert_true(glob_within_limits("{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}", 36));
    assert_false(glob_within_limits("{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}", 45));
    assert_true(glob_within_limits("*.c", 3));
    char long_glob[1100];
    memset(long_glob, 'x', sizeof long_glob);
    memcpy(long_glob, "{a,b}", 5);
    assert_false(glob_within_limits(long_glob, sizeof long_glob)); /* past 1 KiB with braces */
    assert_true(glob_within_limits(long_glob + 5, sizeof long_glob - 5)); /* without */
    const char *const bomb[] = {"!{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}"};
    o.globs = bomb;
    o.nglobs = 1;
    out.s = NULL;
    assert_int_equal(grep_run(&o, &so, NULL, &res), 2);
    assert_string_equal(res.error, "glob '!{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}': its braces make more "
                                   "than 256 patterns to try (or one longer than 1 KiB); split the search");
    assert_null(out.s);
}

static void test_paths(void **state) {
    (void)state;
    grep_opts o = opts("hello");
    o.mode = GREP_FILES_WITH_MATCHES;
    const char *const dot[] = {"."};
    o.paths = dot;
    o.npaths = 1;
    expect_grep(&o, "./.hidden\n./b.py\n./keep.log\n./sub/top.txt\n", 0, "");
    /* A subdirectory as the root: the .gitignore above it still applies
     * (the rule for deep.txt is in the top one). */
    const char *const sub[] = {"sub"};
    o.paths = sub;
    expect_grep(&o, "sub/top.txt\n", 0, "");
    /* Named files are searched whatever the ignore rules say; symlinks too. */
    const char *const named[] = {"x.log", "link", "missing.txt", "bin.dat"};
    o.paths = named;
    o.npaths = 4;
    o.mode = GREP_CONTENT;
    o.pattern = "hello|main";
    o.pattern_len = strlen(o.pattern);
    expect_grep(&o, "x.log:hello log\nlink:int main(void) {\n", 0,
                "missing.txt: No such file or directory\n");
    o.binary = GREP_BINARY_MATCHES;
    expect_grep(&o, "x.log:hello log\nlink:int main(void) {\nBinary file bin.dat matches\n", 0,
                "missing.txt: No such file or directory\n");
    /* Absolute roots work the same. */
    char abs[600];
    snprintf(abs, sizeof abs, "%s/sub", tree);
    const char *const absolute[] = {abs};
    o.paths = absolute;
    o.npaths = 1;
    o.pattern = "hello";
    o.pattern_len = 5;
    o.mode = GREP_FILES_WITH_MATCHES;
    char want[700];
    /* The tree's .gitignore is an ancestor of this root too: deep.txt stays out. */
    snprintf(want, sizeof want, "%s/sub/top.txt\n", tree);
    expect_grep(&o, want, 0, "");
}

static void test_context(void **state) {
    (void)state;
    grep_opts o = opts("^(three|four|eight)$");
    const char *const ten[] = {"ctx/ten.txt"};
    o.paths = ten;
    o.npaths = 1;
    o.line_numbers = 1;
    o.before = o.after = 1;
    expect_grep(&o, "2-two\n3:three\n4:four\n5-five\n--\n7-seven\n8:eight\n9-nine\n", 0, "");
    o.before = 2, o.after = 0;
    expect_grep(&o, "1-one\n2-two\n3:three\n4:four\n--\n6-six\n7-seven\n8:eight\n", 0, "");
    /* Groups of different files are apart too (GNU grep, ripgrep). */
    const char *const two[] = {"ctx/ten.txt", "ctx/ml.txt"};
    grep_opts t2 = opts("^(two|bar)$");
    t2.paths = two;
    t2.npaths = 2;
    t2.line_numbers = 1;
    t2.before = 1;
    expect_grep(&t2, "ctx/ten.txt-1-one\nctx/ten.txt:2:two\n--\nctx/ml.txt-2-foo\nctx/ml.txt:3:bar\n", 0,
                "");
    t2.before = 0;
    expect_grep(&t2, "ctx/ten.txt:2:two\nctx/ml.txt:3:bar\n", 0, "");
    o.before = 0, o.after = 3;
    expect_grep(&o, "3:three\n4:four\n5-five\n6-six\n7-seven\n8:eight\n9-nine\n10-ten\n", 0, "");
    o.before = o.after = 0;
    o.head_limit = 2;
    grep_result res;
    buf out = {0};
    grep_sink so = {buf_write, &out};
    assert_int_equal(grep_run(&o, &so, NULL, &res), 0);
    assert_string_equal(out.s, "3:three\n4:four\n");
    assert_int_equal(res.truncated, 1);
    free(out.s);
    o.head_limit = 0;
    o.max_count = 1;
    expect_grep(&o, "3:three\n", 0, "");
    o.max_count = 0;
    /* Inverted with context. */
    o = opts("e");
    o.paths = ten;
    o.npaths = 1;
    o.invert = 1;
    o.line_numbers = 1;
    o.after = 1;
    expect_grep(&o, "2:two\n3-three\n4:four\n5-five\n6:six\n7-seven\n", 0, "");
    /* Long lines are cut. */
    o = opts("four");
    o.paths = ten;
    o.npaths = 1;
    o.max_columns = 2;
    expect_grep(&o, "fo [... 2 more bytes]\n", 0, "");
}

static void test_line_semantics(void **state) {
    (void)state;
    const char *const crlf[] = {"ctx/crlf.txt"};
    const char *const noeol[] = {"ctx/noeol.txt"};
    grep_opts o = opts("end");
    o.paths = crlf;
    o.npaths = 1;
    o.word = 1;
    expect_grep(&o, "end\r\n", 0, ""); /* "bend" is not the word */
    o.word = 0;
    o.whole_line = 1;
    o.pattern = "end\r";
    o.pattern_len = 4;
    expect_grep(&o, "end\r\n", 0, "");
    o = opts("hello$");
    o.paths = noeol;
    o.npaths = 1;
    o.line_numbers = 1;
    expect_grep(&o, "2:last hello\n", 0, ""); /* the last line needs no \n */
    o = opts("^");
    o.paths = noeol;
    o.npaths = 1;
    o.mode = GREP_COUNT;
    expect_grep(&o, "2\n", 0, "");
    /* -F: metacharacters are literal; several lines are alternatives. */
    o = opts("(x)|[\nlast");
    o.paths = noeol;
    o.npaths = 1;
    o.fixed_strings = 1;
    expect_grep(&o, "last hello\n", 0, "");
    o.fixed_strings = 0;
    o.pattern = "first\nla(";
    o.pattern_len = strlen(o.pattern);
    buf out = {0};
    grep_sink so = {buf_write, &out};
    grep_result res;
    assert_int_equal(grep_run(&o, &so, NULL, &res), 2);
    assert_string_equal(res.error, "invalid pattern at offset 8: unclosed group: expected )");
    o.pattern = "\\1";
    o.pattern_len = 2;
    assert_int_equal(grep_run(&o, &so, NULL, &res), 2);
    assert_non_null(strstr(res.error, "backreferences"));
    assert_null(out.s);
    /* -w and -o: adjacent words are each found. */
    o = opts("o");
    o.paths = noeol;
    o.npaths = 1;
    o.word = 1;
    expect_grep(&o, "", 1, "");
    o = opts("[a-z]+");
    o.paths = noeol;
    o.npaths = 1;
    o.word = 1;
    o.only_matching = 1;
    expect_grep(&o, "first\nlast\nhello\n", 0, "");
}

/* Runs a step-by-step session over paths (NULL: none) and a buffer (NULL:
 * none), comparing bytes (outputs may hold NULs). */
static void expect_steps(const grep_opts *o, const char *const *paths, size_t npaths,
                         const char *data, size_t dlen, const char *want_out, size_t want_n,
                         int want_rc, const char *want_err) {
    buf out = {0}, err = {0};
    grep_sink so = {buf_write, &out}, se = {buf_write, &err};
    grep_result res;
    grep_session *g = grep_begin(o, &so, &se, &res);
    assert_non_null(g);
    for (size_t k = 0; k < npaths; k++) grep_path(g, paths[k]);
    if (data) grep_bytes(g, "(standard input)", data, dlen);
    int rc = grep_end(g);
    if (out.n != want_n || (want_n && memcmp(out.s, want_out, want_n) != 0))
        fail_msg("grep /%s/: output [%.*s] (%zu bytes), want [%.*s] (%zu bytes)", o->pattern,
                 (int)out.n, out.s ? out.s : "", out.n, (int)want_n, want_out, want_n);
    if (rc != want_rc) fail_msg("grep /%s/: rc %d, want %d", o->pattern, rc, want_rc);
    const char *got_err = err.s ? err.s : "";
    if (strcmp(got_err, want_err) != 0)
        fail_msg("grep /%s/: errors [%s], want [%s]", o->pattern, got_err, want_err);
    free(out.s);
    free(err.s);
}
#define WANT(s) s, sizeof(s) - 1

/* GNU grep's ways, for the shell's grep: .git walked, --include/--exclude/
 * --exclude-dir, the binary note on the error sink, NUL lines, -Z, -R. */
static void test_gnu_ways(void **state) {
    (void)state;
    grep_opts o = opts("hello");
    o.no_ignore = 1;
    o.enter_git = 1;
    o.binary = GREP_BINARY_NOTE;
    o.filenames = 1;
    o.mode = GREP_FILES_WITH_MATCHES;
    const char *excl[] = {"e:*.log", "d:sub", "d:ctx"};
    o.gnu_filters = excl;
    o.ngnu_filters = 3;
    const char *here[] = {""};
    expect_steps(&o, here, 1, NULL, 0,
                 WANT(".git/config\n.hidden\nb.py\nbin.dat\nbuild/out.c\ntop.txt\n"), 0, "");
    /* an include first: only what it names; the last matching filter decides */
    const char *incl[] = {"i:*.py", "i:*.log", "e:k*"};
    o.gnu_filters = incl;
    expect_steps(&o, here, 1, NULL, 0, WANT("b.py\nx.log\n"), 0, "");
    assert_int_equal(gnu_filter_pass(&o, "keep.log", 0), 0);
    assert_int_equal(gnu_filter_pass(&o, "any", 1), 1); /* directories see only exclude-dir */
    o.gnu_filters = NULL;
    o.ngnu_filters = 0;

    /* the binary note goes to the error sink; the status is a match */
    o.mode = GREP_CONTENT;
    o.filenames = -1;
    const char *bin[] = {"bin.dat"};
    expect_steps(&o, bin, 1, NULL, 0, WANT(""), 0, "bin.dat: binary file matches\n");
    o.binary = GREP_BINARY_TEXT;
    expect_steps(&o, bin, 1, NULL, 0, WANT("hello\0binary\n"), 0, "");

    /* NUL-terminated lines: a NUL is no binary sign, and ends each output line */
    grep_opts z = opts("b");
    z.nul_lines = 1;
    z.binary = GREP_BINARY_NOTE;
    z.filenames = -1;
    z.line_numbers = 1;
    expect_steps(&z, NULL, 0, "a\0b1\0c\nb\0", 9, WANT("2:b1\0" "3:c\nb\0"), 0, "");
    z.invert = 1;
    z.line_numbers = 0;
    expect_steps(&z, NULL, 0, "a\0b1\0", 5, WANT("a\0"), 0, "");

    /* -Z: a NUL after names, in every mode */
    grep_opts n = opts("hello");
    n.null_after_name = 1;
    n.filenames = 1;
    const char *two[] = {"top.txt", "keep.log"};
    expect_steps(&n, two, 2, NULL, 0, WANT("top.txt\0hello top\nkeep.log\0hello keep\n"), 0, "");
    n.mode = GREP_COUNT;
    expect_steps(&n, two, 2, NULL, 0, WANT("top.txt\0" "1\nkeep.log\0" "1\n"), 0, "");
    n.mode = GREP_FILES_WITH_MATCHES;
    expect_steps(&n, two, 2, NULL, 0, WANT("top.txt\0keep.log\0"), 0, "");

    /* -R follows links met in the walk; a directory being walked again is a
     * warning, not an error (the status stays 0) */
    assert_int_equal(mkdir("rloop", 0755), 0);
    PUT("rloop/f", "hello loop\n");
    assert_int_equal(symlink("../a.c", "rloop/c"), 0);
    assert_int_equal(symlink(".", "rloop/self"), 0);
    grep_opts r = opts("hello|int");
    r.no_ignore = 1;
    r.follow_links = 1;
    r.filenames = 1;
    const char *rl[] = {"rloop"};
    expect_steps(&r, rl, 1, NULL, 0, WANT("rloop/c:int main(void) {\nrloop/f:hello loop\n"), 0,
                 "rloop/self: warning: recursive directory loop\n");
    r.follow_links = 0; /* without -R the links are left alone */
    expect_steps(&r, rl, 1, NULL, 0, WANT("rloop/f:hello loop\n"), 0, "");
    assert_int_equal(unlink("rloop/self"), 0);
    assert_int_equal(unlink("rloop/c"), 0);
    assert_int_equal(unlink("rloop/f"), 0);
    assert_int_equal(rmdir("rloop"), 0);
}

static void test_multiline(void **state) {
    (void)state;
    const char *const ml[] = {"ctx/ml.txt"};
    grep_opts o = opts("foo\\nba[rz]");
    o.paths = ml;
    o.npaths = 1;
    o.multiline = 1;
    o.line_numbers = 1;
    expect_grep(&o, "2:foo\n3:bar\n5:foo\n6:baz\n", 0, "");
    o.before = 1;
    expect_grep(&o, "1-alpha\n2:foo\n3:bar\n4-beta\n5:foo\n6:baz\n", 0, "");
    o.before = 0;
    o.only_matching = 1;
    expect_grep(&o, "2:foo\nbar\n5:foo\nbaz\n", 0, "");
    o.only_matching = 0;
    o.mode = GREP_COUNT;
    expect_grep(&o, "2\n", 0, "");
    o.mode = GREP_CONTENT;
    /* ^ and $ are line anchors; . stops at \n unless (?s). */
    o.pattern = "^bar$";
    o.pattern_len = 5;
    expect_grep(&o, "3:bar\n", 0, "");
    o.pattern = "alpha.foo";
    o.pattern_len = 9;
    expect_grep(&o, "", 1, "");
    o.pattern = "(?s)alpha.foo";
    o.pattern_len = 13;
    expect_grep(&o, "1:alpha\n2:foo\n", 0, "");
    /* Without multiline, \n in a class never matches (lines are searched alone). */
    o.multiline = 0;
    o.pattern = "foo\\sbar";
    o.pattern_len = 8;
    expect_grep(&o, "", 1, "");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_glob),
        cmocka_unit_test(test_gitignore_rules),
        cmocka_unit_test(test_walk_and_ignore),
        cmocka_unit_test(test_lazy_binary),
        cmocka_unit_test(test_walk_order),
        cmocka_unit_test(test_modes),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_context),
        cmocka_unit_test(test_line_semantics),
        cmocka_unit_test(test_multiline),
        cmocka_unit_test(test_gnu_ways),
    };
    return cmocka_run_group_tests(tests, make_tree, remove_tree);
}
