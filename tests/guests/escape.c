/* The escape suite: every way out of the mapped directories we could think
 * of, each printed as "label errno" for the e2e script to compare (WASI errno
 * numbers: 0 ok, 8 badf, 21 fault, 28 inval, 32 loop, 37 nametoolong,
 * 44 noent, 52 nosys, 54 notdir, 69 rofs, 76 notcapable).
 *
 * Expects fd 3 = /box (writable) and fd 4 = /ro (read-only), laid out by
 * tests/e2e/wasi_escape.sh. Calls the imports directly, with raw pointers,
 * so that out-of-bounds pointers reach the host untouched by libc. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define W(n) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#n)))
typedef int32_t i32;
typedef int64_t i64;
W(args_get) i32 r_args_get(i32, i32);
W(args_sizes_get) i32 r_args_sizes_get(i32, i32);
W(environ_get) i32 r_environ_get(i32, i32);
W(environ_sizes_get) i32 r_environ_sizes_get(i32, i32);
W(clock_res_get) i32 r_clock_res_get(i32, i32);
W(clock_time_get) i32 r_clock_time_get(i32, i64, i32);
W(fd_allocate) i32 r_fd_allocate(i32, i64, i64);
W(fd_close) i32 r_fd_close(i32);
W(fd_fdstat_get) i32 r_fd_fdstat_get(i32, i32);
W(fd_fdstat_set_rights) i32 r_fd_fdstat_set_rights(i32, i64, i64);
W(fd_filestat_get) i32 r_fd_filestat_get(i32, i32);
W(fd_filestat_set_size) i32 r_fd_filestat_set_size(i32, i64);
W(fd_filestat_set_times) i32 r_fd_filestat_set_times(i32, i64, i64, i32);
W(fd_pread) i32 r_fd_pread(i32, i32, i32, i64, i32);
W(fd_prestat_get) i32 r_fd_prestat_get(i32, i32);
W(fd_prestat_dir_name) i32 r_fd_prestat_dir_name(i32, i32, i32);
W(fd_pwrite) i32 r_fd_pwrite(i32, i32, i32, i64, i32);
W(fd_read) i32 r_fd_read(i32, i32, i32, i32);
W(fd_readdir) i32 r_fd_readdir(i32, i32, i32, i64, i32);
W(fd_renumber) i32 r_fd_renumber(i32, i32);
W(fd_seek) i32 r_fd_seek(i32, i64, i32, i32);
W(fd_tell) i32 r_fd_tell(i32, i32);
W(fd_write) i32 r_fd_write(i32, i32, i32, i32);
W(path_create_directory) i32 r_path_create_directory(i32, i32, i32);
W(path_filestat_get) i32 r_path_filestat_get(i32, i32, i32, i32, i32);
W(path_filestat_set_times) i32 r_path_filestat_set_times(i32, i32, i32, i32, i64, i64, i32);
W(path_link) i32 r_path_link(i32, i32, i32, i32, i32, i32, i32);
W(path_open) i32 r_path_open(i32, i32, i32, i32, i32, i64, i64, i32, i32);
W(path_readlink) i32 r_path_readlink(i32, i32, i32, i32, i32, i32);
W(path_remove_directory) i32 r_path_remove_directory(i32, i32, i32);
W(path_rename) i32 r_path_rename(i32, i32, i32, i32, i32, i32);
W(path_symlink) i32 r_path_symlink(i32, i32, i32, i32, i32);
W(path_unlink_file) i32 r_path_unlink_file(i32, i32, i32);
W(poll_oneoff) i32 r_poll_oneoff(i32, i32, i32, i32);
W(proc_raise) i32 r_proc_raise(i32);
W(random_get) i32 r_random_get(i32, i32);
W(sock_accept) i32 r_sock_accept(i32, i32, i32);
W(sock_recv) i32 r_sock_recv(i32, i32, i32, i32, i32, i32);
W(sock_shutdown) i32 r_sock_shutdown(i32, i32);

#define BOX 3
#define RO 4
#define FOLLOW 1
#define O_CREAT_ 1
#define O_DIR_ 2
#define O_EXCL_ 4
#define O_TRUNC_ 8
#define APPEND_ 1
#define RT_READ ((i64)1 << 1)
#define RT_SEEK ((i64)1 << 2)
#define RT_WRITE ((i64)1 << 6)
#define RT_PATH_CREATE_FILE ((i64)1 << 10)
#define RT_PATH_OPEN ((i64)1 << 13)
#define RT_READDIR ((i64)1 << 14)
#define RT_ALL (((i64)1 << 30) - 1)
#define RD (RT_READ | RT_SEEK | ((i64)1 << 5) | ((i64)1 << 21) | RT_READDIR)
#define WR (RD | RT_WRITE | ((i64)1 << 8) | ((i64)1 << 22) | ((i64)1 << 23))

static i32 P(const void *p) { return (i32)(uintptr_t)p; }
static i32 L(const char *s) { return (i32)strlen(s); }
static i32 memsize(void) { return (i32)(__builtin_wasm_memory_size(0) * 65536u); }
#define BAD ((i32)0xFFFFFFF0u)

static uint32_t result;
static i32 R = 0; /* address of `result`, set in main */

/* After each result, a marker the host refuses (an absolute path) without
 * touching anything, so that it lands in the audit log as
 * an fs.deny of op "stat", dir "/box", path "/#LABEL": the script checks
 * that every refusal is audited between the previous marker and its own. */
static void T(const char *label, i32 e)
{
    printf("%s %d\n", label, (int)e);
    char mark[128];
    snprintf(mark, sizeof mark, "/#%s", label);
    uint8_t st[64];
    r_path_filestat_get(BOX, 0, P(mark), L(mark), P(st));
}

/* path_open relative to dir, the new fd in `result` */
static i32 op(i32 dir, i32 flags, const char *path, i32 oflags, i64 rights, i32 fdflags)
{
    return r_path_open(dir, flags, P(path), L(path), oflags, rights, RT_ALL, fdflags, R);
}

static void escapes(void)
{
    T("open_dotdot", op(BOX, FOLLOW, "..", O_DIR_, RD, 0));
    T("open_dotdot_secret", op(BOX, FOLLOW, "../outside/secret.txt", 0, RD, 0));
    T("open_sub_dotdot", op(BOX, FOLLOW, "sub/../../outside/secret.txt", 0, RD, 0));
    T("open_out_and_back", op(BOX, FOLLOW, "sub/../../box/file.txt", 0, RD, 0));
    T("open_absolute", op(BOX, FOLLOW, "/etc/passwd", 0, RD, 0));
    T("open_absolute_box", op(BOX, FOLLOW, "/box/file.txt", 0, RD, 0));
    T("open_link_abs", op(BOX, FOLLOW, "link_abs", 0, RD, 0));
    T("open_link_rel_out", op(BOX, FOLLOW, "link_rel_out", 0, RD, 0));
    T("open_chain", op(BOX, FOLLOW, "chain1", 0, RD, 0));
    T("open_dirlink_out", op(BOX, FOLLOW, "dirlink_out/outside/secret.txt", 0, RD, 0));
    T("open_sub_up", op(BOX, FOLLOW, "sub/up/secret.txt", 0, RD, 0));
    T("open_proc_link", op(BOX, FOLLOW, "proc_link/etc/passwd", 0, RD, 0));
    T("open_proc_self", op(BOX, FOLLOW, "../../../../../proc/self/environ", 0, RD, 0));
    T("open_loop", op(BOX, FOLLOW, "loop1", 0, RD, 0));
    T("open_nofollow_link", op(BOX, 0, "link_in", 0, RD, 0));
    T("open_trailing_slash_file", op(BOX, FOLLOW, "file.txt/", 0, RD, 0));
    T("open_nul", r_path_open(BOX, FOLLOW, P("file.txt\0x"), 10, 0, RD, RT_ALL, 0, R));
    static char longp[5001];
    for (int i = 0; i < 5000; i++)
        longp[i] = (i & 1) ? '/' : 'a';
    T("open_long_path", op(BOX, FOLLOW, longp, 0, RD, 0));
    static char longn[301];
    memset(longn, 'n', 300);
    T("open_long_name", op(BOX, FOLLOW, longn, 0, RD, 0));
    T("open_empty", r_path_open(BOX, FOLLOW, P(""), 0, 0, RD, RT_ALL, 0, R));
    i32 e = op(BOX, FOLLOW, "sub/../file.txt", 0, RD, 0);
    T("open_inside", e);
    if (!e)
        r_fd_close((i32)result);
    /* libc's view: the same refusals come back as errno */
    errno = 0;
    FILE *f = fopen("/box/../outside/secret.txt", "r");
    T("libc_fopen_dotdot", f ? 0 : errno);
    errno = 0;
    f = fopen("/box/link_abs", "r");
    T("libc_fopen_link_abs", f ? 0 : errno);

    /* writing through links */
    T("write_link_out", op(BOX, FOLLOW, "link_rel_out", O_CREAT_ | O_TRUNC_, WR, 0));
    T("create_dangling_out", op(BOX, FOLLOW, "dangling_out", O_CREAT_, WR, 0));
    T("write_chain", op(BOX, FOLLOW, "chain1", O_TRUNC_, WR, 0));
    T("write_link_abs_append", op(BOX, FOLLOW, "link_abs", 0, WR, APPEND_));

    /* every other path call */
    uint8_t st[64];
    T("stat_link_abs_follow",
      r_path_filestat_get(BOX, FOLLOW, P("link_abs"), L("link_abs"), P(st)));
    T("stat_link_abs_nofollow", r_path_filestat_get(BOX, 0, P("link_abs"), L("link_abs"), P(st)));
    T("stat_dotdot", r_path_filestat_get(BOX, FOLLOW, P(".."), 2, P(st)));
    const char *p;
    p = "../outside/newdir";
    T("mkdir_out", r_path_create_directory(BOX, P(p), L(p)));
    p = "dirlink_out/newdir2";
    T("mkdir_via_link", r_path_create_directory(BOX, P(p), L(p)));
    p = "../outside/secret.txt";
    T("unlink_out", r_path_unlink_file(BOX, P(p), L(p)));
    p = "sub/up/secret.txt";
    T("unlink_via_link", r_path_unlink_file(BOX, P(p), L(p)));
    p = "sub/../..";
    T("rmdir_dotdot", r_path_remove_directory(BOX, P(p), L(p)));
    p = "sub/up";
    T("rmdir_link_out", r_path_remove_directory(BOX, P("sub/up/"), L("sub/up/")));
    const char *q = "../outside/moved";
    T("rename_out", r_path_rename(BOX, P("file.txt"), L("file.txt"), BOX, P(q), L(q)));
    p = "../outside/secret.txt";
    T("rename_in", r_path_rename(BOX, P(p), L(p), BOX, P("stolen"), L("stolen")));
    p = "sub/up/secret.txt";
    T("rename_via_link", r_path_rename(BOX, P(p), L(p), BOX, P("stolen"), L("stolen")));
    T("settimes_link_abs",
      r_path_filestat_set_times(BOX, FOLLOW, P("link_abs"), L("link_abs"), 0, 0, 2 | 8));
    p = "../outside/secret.txt";
    T("settimes_out", r_path_filestat_set_times(BOX, 0, P(p), L(p), 0, 0, 2 | 8));
    char buf[256];
    p = "../outside/x";
    T("readlink_out", r_path_readlink(BOX, P(p), L(p), P(buf), sizeof buf, R));
    T("link_follow_out", r_path_link(BOX, FOLLOW, P("link_abs"), L("link_abs"), BOX, P("hl1"), 3));
    p = "../outside/secret.txt";
    T("link_src_out", r_path_link(BOX, 0, P(p), L(p), BOX, P("hl2"), 3));
    q = "../outside/hl3";
    T("link_dst_out", r_path_link(BOX, 0, P("file.txt"), L("file.txt"), BOX, P(q), L(q)));
    T("link_symlink_itself",
      r_path_link(BOX, 0, P("link_rel_out"), L("link_rel_out"), BOX, P("hl4"), 3));
    T("open_via_linked_symlink", op(BOX, FOLLOW, "hl4", 0, RD, 0));

    /* symlinks the guest makes */
    p = "/etc/passwd";
    T("gsym_abs", r_path_symlink(P(p), L(p), BOX, P("g_abs"), L("g_abs")));
    p = "../outside/secret.txt";
    T("gsym_rel_out", r_path_symlink(P(p), L(p), BOX, P("g_rel"), L("g_rel")));
    p = "../../outside/secret.txt";
    T("gsym_sub_out", r_path_symlink(P(p), L(p), BOX, P("sub/g_sub"), L("sub/g_sub")));
    p = "sub/../../outside";
    T("gsym_tricky", r_path_symlink(P(p), L(p), BOX, P("g_tricky"), L("g_tricky")));
    T("gsym_nul", r_path_symlink(P("a\0b"), 3, BOX, P("g_nul"), L("g_nul")));
    p = "sub/inner.txt";
    T("gsym_ok", r_path_symlink(P(p), L(p), BOX, P("g_ok"), L("g_ok")));
    e = op(BOX, FOLLOW, "g_ok", 0, RD, 0);
    T("gsym_ok_open", e);
    if (!e)
        r_fd_close((i32)result);
    p = "../file.txt";
    T("gsym_up_ok", r_path_symlink(P(p), L(p), BOX, P("sub/g_up"), L("sub/g_up")));
    e = op(BOX, FOLLOW, "sub/g_up", 0, RD, 0);
    T("gsym_up_open", e);
    if (!e)
        r_fd_close((i32)result);
    p = "../dirlink_out";
    T("gsym_chain", r_path_symlink(P(p), L(p), BOX, P("sub/g_c1"), L("sub/g_c1")));
    T("gsym_chain_open", op(BOX, FOLLOW, "sub/g_c1/outside/secret.txt", 0, RD, 0));
    /* the spelling of the link's path lies about its depth: a/a/a is the root */
    T("gsym_dot", r_path_symlink(P("."), 1, BOX, P("g_dot"), L("g_dot")));
    p = "../../../outside/secret.txt";
    q = "g_dot/g_dot/g_dot/g_esc";
    T("gsym_fake_depth", r_path_symlink(P(p), L(p), BOX, P(q), L(q)));
    p = "../inner.txt";
    q = "g_dot/sub/g_real_depth";
    T("gsym_real_depth_ok", r_path_symlink(P(p), L(p), BOX, P(q), L(q)));
    p = "sub/made_via_link";
    T("gsym_dangle", r_path_symlink(P(p), L(p), BOX, P("g_dangle"), L("g_dangle")));
    e = op(BOX, FOLLOW, "g_dangle", O_CREAT_, WR, 0);
    T("gsym_dangle_create", e);
    if (!e)
        r_fd_close((i32)result);
}

static void read_only(void)
{
    T("ro_open_write", op(RO, FOLLOW, "data.txt", 0, WR, 0));
    T("ro_creat", op(RO, FOLLOW, "new.txt", O_CREAT_, RD, 0));
    T("ro_trunc", op(RO, FOLLOW, "data.txt", O_TRUNC_, RD, 0));
    T("ro_append", op(RO, FOLLOW, "data.txt", 0, RD, APPEND_));
    T("ro_excl", op(RO, FOLLOW, "data.txt", O_CREAT_ | O_EXCL_, RD, 0));
    i32 e = op(RO, FOLLOW, "data.txt", 0, RD, 0);
    T("ro_open_read", e);
    i32 fd = (i32)result;
    char buf[64] = {0};
    uint32_t iov[2] = {(uint32_t)P(buf), sizeof buf - 1};
    T("ro_read", r_fd_read(fd, P(iov), 1, R));
    printf("ro_read_data %s", buf);
    T("ro_fd_write", r_fd_write(fd, P(iov), 1, R));
    T("ro_fd_pwrite", r_fd_pwrite(fd, P(iov), 1, 0, R));
    T("ro_fd_set_size", r_fd_filestat_set_size(fd, 0));
    T("ro_fd_set_times", r_fd_filestat_set_times(fd, 0, 0, 2 | 8));
    T("ro_fd_allocate", r_fd_allocate(fd, 0, 100));
    r_fd_close(fd);
    const char *p = "newdir";
    T("ro_mkdir", r_path_create_directory(RO, P(p), L(p)));
    T("ro_rmdir", r_path_remove_directory(RO, P("sub"), 3));
    T("ro_unlink", r_path_unlink_file(RO, P("victim"), 6));
    T("ro_rename", r_path_rename(RO, P("victim"), 6, RO, P("v2"), 2));
    T("ro_rename_into", r_path_rename(BOX, P("file.txt"), 8, RO, P("x"), 1));
    T("ro_rename_out", r_path_rename(RO, P("victim"), 6, BOX, P("x"), 1));
    T("ro_symlink", r_path_symlink(P("data.txt"), 8, RO, P("s"), 1));
    T("ro_link_into", r_path_link(BOX, 0, P("file.txt"), 8, RO, P("x"), 1));
    T("ro_link_out", r_path_link(RO, 0, P("data.txt"), 8, BOX, P("stolen"), 6));
    T("ro_set_times", r_path_filestat_set_times(RO, FOLLOW, P("data.txt"), 8, 0, 0, 2 | 8));
    T("ro_dir_set_times", r_fd_filestat_set_times(RO, 0, 0, 2 | 8));
    /* what libc asks for an O_RDONLY open: everything but the data writes */
    e = op(RO, FOLLOW, "sub", O_DIR_, RT_ALL & ~(i64)((1 << 0) | (1 << 6) | (1 << 8) | (1 << 22)), 0);
    T("ro_open_subdir", e);
    fd = (i32)result;
    T("ro_subdir_mkdir", r_path_create_directory(fd, P("x"), 1));
    T("ro_subdir_creat", op(fd, FOLLOW, "y", O_CREAT_, RD, 0));
    r_fd_close(fd);
    errno = 0;
    FILE *f = fopen("/ro/data.txt", "w");
    T("libc_ro_fopen_w", f ? 0 : errno);
    errno = 0;
    T("libc_ro_unlink", remove("/ro/victim") == 0 ? 0 : errno);
}

static void fds_and_rights(void)
{
    char buf[16];
    uint32_t iov[2] = {(uint32_t)P(buf), sizeof buf};
    T("badf_close", r_fd_close(99));
    T("badf_read", r_fd_read(123456, P(iov), 1, R));
    T("badf_write_huge", r_fd_write(0x7fffffff, P(iov), 1, R));
    T("badf_negative", r_fd_close(-1));
    T("badf_prestat_stdin", r_fd_prestat_get(0, R));
    i32 e = op(BOX, FOLLOW, "file.txt", 0, RD, 0);
    i32 fa = (i32)result;
    T("path_on_file_fd", op(fa, FOLLOW, "x", 0, RD, 0));
    /* preview1: the target must be open (it is closed first) */
    T("renumber_to_unused", r_fd_renumber(fa, 50));
    T("renumber_unused_still_closed", r_fd_read(50, P(iov), 1, R));
    e = op(BOX, FOLLOW, "file.txt", 0, RD, 0);
    i32 fc = (i32)result;
    T("renumber_to_open", r_fd_renumber(fa, fc));
    T("renumber_read_new", r_fd_read(fc, P(iov), 1, R));
    T("renumber_read_old", r_fd_read(fa, P(iov), 1, R));
    T("renumber_out_of_range", r_fd_renumber(fc, 1 << 20));
    T("renumber_closed", r_fd_renumber(fa, 51));
    (void)e;

    e = op(BOX, FOLLOW, "file.txt", 0, RD, 0);
    i32 fb = (i32)result;
    /* what a file fd holds of RD (no fd_readdir: that is a directory's) */
    T("rights_drop", r_fd_fdstat_set_rights(fb, RD & ~RT_READ & ~RT_READDIR, 0));
    T("rights_read_dropped", r_fd_read(fb, P(iov), 1, R));
    T("rights_regain", r_fd_fdstat_set_rights(fb, RD, 0));
    r_fd_close(fb);
    e = op(BOX, FOLLOW, "sub", O_DIR_, RD | RT_PATH_OPEN, 0);
    i32 fd = (i32)result;
    /* a dir fd whose inheriting rights lack write (its base rights are the
     * directory's part of RD: fd_read, fd_seek and fd_tell are not) */
    i64 dir_rd = (RD | RT_PATH_OPEN) & ~(RT_READ | RT_SEEK | ((i64)1 << 5));
    T("rights_dir_drop", r_fd_fdstat_set_rights(fd, dir_rd, RD));
    T("rights_inherit_write", op(fd, FOLLOW, "inner.txt", 0, WR, 0));
    T("rights_no_create", op(fd, FOLLOW, "new", O_CREAT_, RD, 0));
    r_fd_close(fd);
    T("stdin_seek", r_fd_seek(0, 0, 0, R));
    T("proc_raise", r_proc_raise(9));
    T("sock_accept_dir", r_sock_accept(BOX, 0, R));
    T("sock_recv_badf", r_sock_recv(99, P(iov), 1, 0, R, R));
    T("sock_shutdown_stdout", r_sock_shutdown(1, 3));
    /* renumber onto a preopen: the preopen is closed, the file takes its place */
    T("renumber_onto_preopen", r_fd_renumber(fc, RO));
    T("prestat_after_renumber", r_fd_prestat_get(RO, R));
    T("read_after_renumber", r_fd_read(RO, P(iov), 1, R));
}

static void bad_pointers(void)
{
    i32 end = memsize();
    i32 ok = R;
    char buf[64];
    uint32_t iov_end[2] = {(uint32_t)(end - 4), 8};      /* runs off the end */
    uint32_t iov_wrap[2] = {0xFFFFFFFFu, 2};              /* wraps in 32 bits */
    uint32_t iov_ok[2] = {(uint32_t)P(buf), sizeof buf};
    T("oob_args_sizes_1", r_args_sizes_get(BAD, ok));
    T("oob_args_sizes_2", r_args_sizes_get(ok, end - 2));
    T("oob_args_get_argv", r_args_get(BAD, P(buf)));
    T("oob_args_get_buf", r_args_get(P(buf), end - 1));
    T("oob_environ_sizes", r_environ_sizes_get(BAD, ok));
    T("oob_environ_sizes_2", r_environ_sizes_get(ok, BAD));
    T("oob_environ_get", r_environ_get(P(buf), BAD));
    T("oob_environ_get_ptrs", r_environ_get(end - 2, P(buf)));
    T("oob_clock_time", r_clock_time_get(0, 1, BAD));
    T("oob_clock_res", r_clock_res_get(0, end - 4));
    T("oob_fdstat", r_fd_fdstat_get(1, BAD));
    T("oob_filestat", r_fd_filestat_get(BOX, end - 32));
    T("oob_prestat", r_fd_prestat_get(BOX, BAD));
    T("oob_prestat_name", r_fd_prestat_dir_name(BOX, end - 2, 4));
    i32 e = op(BOX, FOLLOW, "file.txt", 0, WR, 0);
    i32 fd = (i32)result;
    (void)e;
    T("oob_read_iovs", r_fd_read(fd, BAD, 1, ok));
    T("oob_read_iov_end", r_fd_read(fd, P(iov_end), 1, ok));
    T("oob_read_iov_wrap", r_fd_read(fd, P(iov_wrap), 1, ok));
    T("oob_read_result", r_fd_read(fd, P(iov_ok), 1, BAD));
    T("oob_read_many_iovs", r_fd_read(fd, P(iov_ok), 0x20000000, ok));
    T("oob_pread_iovs", r_fd_pread(fd, end - 4, 1, 0, ok));
    T("oob_pread_iov", r_fd_pread(fd, P(iov_end), 1, 0, ok));
    T("oob_pread_result", r_fd_pread(fd, P(iov_ok), 1, 0, end));
    T("oob_write_iovs", r_fd_write(1, BAD, 1, ok));
    T("oob_write_iov", r_fd_write(1, P(iov_end), 1, ok));
    T("oob_write_iov_wrap", r_fd_write(1, P(iov_wrap), 1, ok));
    T("oob_write_result", r_fd_write(fd, P(iov_ok), 1, BAD));
    T("oob_pwrite_iovs", r_fd_pwrite(fd, end, 1, 0, ok));
    T("oob_pwrite_iov", r_fd_pwrite(fd, P(iov_wrap), 1, 0, ok));
    T("oob_pwrite_result", r_fd_pwrite(fd, P(iov_ok), 1, 0, BAD));
    T("oob_seek_result", r_fd_seek(fd, 0, 0, BAD));
    T("oob_tell_result", r_fd_tell(fd, end - 7));
    r_fd_close(fd);
    T("oob_readdir_buf", r_fd_readdir(BOX, end - 10, 100, 0, ok));
    T("oob_readdir_result", r_fd_readdir(BOX, P(buf), sizeof buf, 0, BAD));
    T("oob_open_path", r_path_open(BOX, FOLLOW, BAD, 8, 0, RD, RT_ALL, 0, ok));
    T("oob_open_path_end", r_path_open(BOX, FOLLOW, end - 3, 10, 0, RD, RT_ALL, 0, ok));
    T("oob_open_result_creat", r_path_open(BOX, FOLLOW, P("fault_created"),
                                           L("fault_created"), O_CREAT_, WR, RT_ALL, 0, BAD));
    uint8_t st[64];
    T("oob_open_created_nothing",
      r_path_filestat_get(BOX, 0, P("fault_created"), L("fault_created"), P(st)));
    T("oob_mkdir_path", r_path_create_directory(BOX, BAD, 3));
    T("oob_stat_path", r_path_filestat_get(BOX, 0, BAD, 3, P(st)));
    T("oob_stat_result", r_path_filestat_get(BOX, 0, P("file.txt"), 8, end - 8));
    T("oob_settimes_path", r_path_filestat_set_times(BOX, 0, BAD, 3, 0, 0, 2));
    T("oob_link_old", r_path_link(BOX, 0, BAD, 3, BOX, P("l1"), 2));
    T("oob_link_new", r_path_link(BOX, 0, P("file.txt"), 8, BOX, BAD, 2));
    T("oob_readlink_path", r_path_readlink(BOX, BAD, 3, P(buf), 10, ok));
    T("oob_readlink_buf", r_path_readlink(BOX, P("link_in"), 7, end - 2, 10, ok));
    T("oob_readlink_result", r_path_readlink(BOX, P("link_in"), 7, P(buf), 10, BAD));
    T("oob_rmdir_path", r_path_remove_directory(BOX, BAD, 3));
    T("oob_rename_old", r_path_rename(BOX, BAD, 3, BOX, P("x"), 1));
    T("oob_rename_new", r_path_rename(BOX, P("file.txt"), 8, BOX, BAD, 1));
    T("oob_symlink_target", r_path_symlink(BAD, 3, BOX, P("s1"), 2));
    T("oob_symlink_path", r_path_symlink(P("file.txt"), 8, BOX, BAD, 2));
    T("oob_unlink_path", r_path_unlink_file(BOX, end, 1));
    T("oob_poll_in", r_poll_oneoff(BAD, P(buf), 1, ok));
    T("oob_poll_out", r_poll_oneoff(P(buf), end - 16, 1, ok));
    T("oob_poll_result", r_poll_oneoff(P(buf), P(buf), 1, BAD));
    T("oob_random", r_random_get(BAD, 16));
    T("oob_random_end", r_random_get(end - 8, 16));
}

int main(void)
{
    R = P(&result);
    escapes();
    read_only();
    bad_pointers();
    fds_and_rights(); /* last: it gives away the /ro preopen */
    printf("done\n");
    return 0;
}
