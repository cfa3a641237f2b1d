/* Confined path resolution (wasi/resolve.c), run twice: with openat2 and
 * with the component walk forced. Each case builds on a tree with a secret
 * file just outside the sandbox and links of every kind pointing at it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../wasi/wasi_impl.h"

static char top[PATH_MAX];
static int box = -1;

static void must(int r) { assert_true(r == 0); }

static int setup_tree(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/wasi_resolve_XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    strcpy(top, tmpl);
    int t = open(top, O_RDONLY | O_DIRECTORY);
    assert_true(t >= 0);
    int s = openat(t, "secret.txt", O_CREAT | O_WRONLY, 0600);
    assert_true(s >= 0);
    assert_int_equal(write(s, "secret", 6), 6);
    close(s);
    must(mkdirat(t, "box", 0755));
    box = openat(t, "box", O_RDONLY | O_DIRECTORY);
    assert_true(box >= 0);
    close(t);
    int f = openat(box, "file.txt", O_CREAT | O_WRONLY, 0644);
    assert_true(f >= 0);
    close(f);
    must(mkdirat(box, "sub", 0755));
    f = openat(box, "sub/inner.txt", O_CREAT | O_WRONLY, 0644);
    assert_true(f >= 0);
    close(f);
    char abs_secret[PATH_MAX + 16];
    snprintf(abs_secret, sizeof abs_secret, "%s/secret.txt", top);
    must(symlinkat(abs_secret, box, "link_abs"));
    must(symlinkat("../secret.txt", box, "link_rel_out"));
    must(symlinkat("sub/inner.txt", box, "link_in"));
    must(symlinkat("chain2", box, "chain1"));
    must(symlinkat("sub/../link_rel_out", box, "chain2"));
    must(symlinkat("ok2", box, "ok1"));
    must(symlinkat("sub/../file.txt", box, "ok2"));
    must(symlinkat("loop2", box, "loop1"));
    must(symlinkat("loop1", box, "loop2"));
    must(symlinkat("sub", box, "dirlink"));
    must(symlinkat("..", box, "dirlink_out"));
    must(symlinkat("../newfile", box, "dangling_out"));
    must(symlinkat("created_inside", box, "dangling_in"));
    must(symlinkat("../../secret.txt", box, "sub/up2"));
    return 0;
}

static int teardown_tree(void **state)
{
    (void)state;
    close(box);
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
    assert_int_equal(system(cmd), 0);
    return 0;
}

static int use_openat2(void **state) { wasi_resolve_force_walk(false); return setup_tree(state); }
static int use_walk(void **state)
{
    wasi_resolve_force_walk(true);
    assert_true(wasi_resolve_using_walk());
    return setup_tree(state);
}

static uint16_t open_r(const char *path, bool follow)
{
    int fd = -1;
    uint16_t e = wasi_resolve_open(box, path, O_RDONLY, 0, follow, &fd);
    if (fd >= 0)
        close(fd);
    return e;
}

static void test_path_check(void **state)
{
    (void)state;
    char out[PATH_MAX];
    assert_int_equal(wasi_path_check((const uint8_t *)"a", 0, out, sizeof out), WE_NOENT);
    assert_int_equal(wasi_path_check((const uint8_t *)"a\0b", 3, out, sizeof out), WE_INVAL);
    assert_int_equal(wasi_path_check((const uint8_t *)"/etc/passwd", 11, out, sizeof out),
                     WE_NOTCAPABLE);
    static uint8_t longp[PATH_MAX + 10];
    memset(longp, 'a', sizeof longp);
    assert_int_equal(wasi_path_check(longp, sizeof longp, out, sizeof out), WE_NAMETOOLONG);
    assert_int_equal(wasi_path_check(longp, NAME_MAX + 1, out, sizeof out), WE_NAMETOOLONG);
    assert_int_equal(wasi_path_check(longp, NAME_MAX, out, sizeof out), WE_SUCCESS);
    assert_int_equal(wasi_path_check((const uint8_t *)"sub/x", 5, out, sizeof out), WE_SUCCESS);
    assert_string_equal(out, "sub/x");
}

static void test_inside(void **state)
{
    (void)state;
    assert_int_equal(open_r("file.txt", true), WE_SUCCESS);
    assert_int_equal(open_r("sub/../file.txt", true), WE_SUCCESS);
    assert_int_equal(open_r("./sub/./inner.txt", true), WE_SUCCESS);
    assert_int_equal(open_r("link_in", true), WE_SUCCESS);
    assert_int_equal(open_r("ok1", true), WE_SUCCESS);
    assert_int_equal(open_r("dirlink/inner.txt", true), WE_SUCCESS);
    assert_int_equal(open_r("sub//inner.txt", true), WE_SUCCESS);
    assert_int_equal(open_r("missing", true), WE_NOENT);
}

static void test_escapes(void **state)
{
    (void)state;
    assert_int_equal(open_r("..", true), WE_NOTCAPABLE);
    assert_int_equal(open_r("../secret.txt", true), WE_NOTCAPABLE);
    assert_int_equal(open_r("sub/../../secret.txt", true), WE_NOTCAPABLE);
    assert_int_equal(open_r("sub/../../box/file.txt", true), WE_NOTCAPABLE);
    assert_int_equal(open_r("link_abs", true), WE_NOTCAPABLE);
    assert_int_equal(open_r("link_rel_out", true), WE_NOTCAPABLE);
    assert_int_equal(open_r("chain1", true), WE_NOTCAPABLE);
    assert_int_equal(open_r("dirlink_out/secret.txt", true), WE_NOTCAPABLE);
    assert_int_equal(open_r("sub/up2", true), WE_NOTCAPABLE);
    /* creating through a dangling link that points out */
    int fd = -1;
    assert_int_equal(wasi_resolve_open(box, "dangling_out", O_WRONLY | O_CREAT, 0644, true, &fd),
                     WE_NOTCAPABLE);
    assert_int_equal(fd, -1);
    struct stat st;
    char p[PATH_MAX + 16];
    snprintf(p, sizeof p, "%s/newfile", top);
    assert_int_equal(stat(p, &st), -1);
}

static void test_links_and_types(void **state)
{
    (void)state;
    assert_int_equal(open_r("loop1", true), WE_LOOP);
    assert_int_equal(open_r("link_in", false), WE_LOOP); /* no follow: the link itself */
    assert_int_equal(open_r("file.txt/", true), WE_NOTDIR);
    assert_int_equal(open_r("file.txt/x", true), WE_NOTDIR);
    int fd = -1;
    /* O_PATH without follow opens the symlink itself */
    assert_int_equal(wasi_resolve_open(box, "link_abs", O_PATH, 0, false, &fd), WE_SUCCESS);
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    close(fd);
    /* creating through a dangling link that stays inside works */
    assert_int_equal(wasi_resolve_open(box, "dangling_in", O_WRONLY | O_CREAT, 0644, true, &fd),
                     WE_SUCCESS);
    close(fd);
    assert_int_equal(fstatat(box, "created_inside", &st, 0), 0);
    must(unlinkat(box, "created_inside", 0));
}

static void test_parent(void **state)
{
    (void)state;
    int p = -1;
    char name[NAME_MAX + 1];
    bool tr;
    assert_int_equal(wasi_resolve_parent(box, "sub/inner.txt", &p, name, sizeof name, &tr),
                     WE_SUCCESS);
    assert_string_equal(name, "inner.txt");
    assert_false(tr);
    struct stat st;
    assert_int_equal(fstatat(p, name, &st, 0), 0);
    close(p);
    assert_int_equal(wasi_resolve_parent(box, "..", &p, name, sizeof name, &tr), WE_NOTCAPABLE);
    assert_int_equal(wasi_resolve_parent(box, "sub/../..", &p, name, sizeof name, &tr),
                     WE_NOTCAPABLE);
    assert_int_equal(wasi_resolve_parent(box, "dirlink_out/x", &p, name, sizeof name, &tr),
                     WE_NOTCAPABLE);
    assert_int_equal(wasi_resolve_parent(box, "file.txt/", &p, name, sizeof name, &tr),
                     WE_NOTDIR);
    assert_int_equal(wasi_resolve_parent(box, "link_in/", &p, name, sizeof name, &tr),
                     WE_NOTDIR);
    assert_int_equal(wasi_resolve_parent(box, "sub/", &p, name, sizeof name, &tr), WE_SUCCESS);
    assert_true(tr);
    assert_string_equal(name, "sub");
    close(p);
    /* "sub/.." names the box itself, acted on as "." */
    assert_int_equal(wasi_resolve_parent(box, "sub/..", &p, name, sizeof name, &tr), WE_SUCCESS);
    assert_string_equal(name, ".");
    struct stat a, b;
    assert_int_equal(fstat(p, &a), 0);
    assert_int_equal(fstat(box, &b), 0);
    assert_true(a.st_ino == b.st_ino);
    close(p);
    /* the link itself is the last component: never followed */
    assert_int_equal(wasi_resolve_parent(box, "link_abs", &p, name, sizeof name, &tr), WE_SUCCESS);
    assert_string_equal(name, "link_abs");
    close(p);
}

/* The text part of the rule for guest-made symlinks: names only by default;
 * with ".." allowed, only leading ones, counted; never absolute. */
static uint16_t rule(const char *target, bool allow, size_t *climb)
{
    const char *why = NULL;
    uint16_t e = wasi_symlink_target_rule(target, allow, climb, &why);
    assert_true((e == WE_PERM) == (why != NULL));
    return e;
}

static void test_symlink_targets(void **state)
{
    (void)state;
    size_t c = 99;
    for (int allow = 0; allow < 2; allow++) {
        assert_int_equal(rule("/etc/passwd", allow, &c), WE_PERM);
        assert_int_equal(rule("/", allow, &c), WE_PERM);
        assert_int_equal(rule("", allow, &c), WE_NOENT);
        assert_int_equal(rule("a/./b//c/", allow, &c), WE_SUCCESS);
        assert_int_equal(c, 0);
        assert_int_equal(rule(".", allow, &c), WE_SUCCESS);
        assert_int_equal(c, 0);
        assert_int_equal(rule("...", allow, &c), WE_SUCCESS); /* a name */
        assert_int_equal(rule("..x/y..", allow, &c), WE_SUCCESS);
        /* a name then "..": what the name is can change after the check */
        assert_int_equal(rule("d/d/../outside/secret.txt", allow, &c), WE_PERM);
        assert_int_equal(rule("d/d/d/d/../../../..", allow, &c), WE_PERM);
        assert_int_equal(rule("a/..", allow, &c), WE_PERM);
        assert_int_equal(rule("../a/../b", allow, &c), WE_PERM);
    }
    assert_int_equal(rule("..", false, &c), WE_PERM);
    assert_int_equal(rule("../x", false, &c), WE_PERM);
    assert_int_equal(rule("./../x", false, &c), WE_PERM);
    assert_int_equal(rule("..", true, &c), WE_SUCCESS);
    assert_int_equal(c, 1);
    assert_int_equal(rule("./..//.././x", true, &c), WE_SUCCESS);
    assert_int_equal(c, 2);
    assert_int_equal(rule("../../pkg/bin/cli.js", true, &c), WE_SUCCESS);
    assert_int_equal(c, 2);
}

/* A kernel without openat2 (simulated with a seccomp filter answering
 * ENOSYS, in a child process): the resolver notices and walks, with the same
 * answers. */
static void test_fallback_on_enosys(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct sock_filter prog[] = {
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        struct sock_fprog fp = {.len = sizeof prog / sizeof prog[0], .filter = prog};
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp))
            _exit(10);
        wasi_resolve_force_walk(false);
        if (wasi_resolve_using_walk())
            _exit(11);
        if (open_r("file.txt", true) != WE_SUCCESS)
            _exit(12);
        if (!wasi_resolve_using_walk())
            _exit(13); /* it must have fallen back */
        if (open_r("link_rel_out", true) != WE_NOTCAPABLE || open_r("..", true) != WE_NOTCAPABLE ||
            open_r("chain1", true) != WE_NOTCAPABLE || open_r("ok1", true) != WE_SUCCESS)
            _exit(14);
        _exit(0);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
}

#define CASES                                                    \
    cmocka_unit_test(test_path_check), cmocka_unit_test(test_inside), \
        cmocka_unit_test(test_escapes), cmocka_unit_test(test_links_and_types), \
        cmocka_unit_test(test_parent), cmocka_unit_test(test_symlink_targets), \
        cmocka_unit_test(test_fallback_on_enosys)

int main(void)
{
    const struct CMUnitTest tests[] = {CASES};
    int r = cmocka_run_group_tests_name("resolve/openat2", tests, use_openat2, teardown_tree);
    r += cmocka_run_group_tests_name("resolve/walk", tests, use_walk, teardown_tree);
    return r;
}
