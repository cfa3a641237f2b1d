/* Calls every WASI import (but proc_exit and poll_oneoff, which would end or
 * stall the run) many times with random arguments: small and huge fds,
 * pointers inside a scratch area, at the end of memory and far outside,
 * random lengths, and random paths built from "a", "b", ".", "..", "/" and
 * links. The host must survive all of it and keep everything confined; the
 * guest may scribble on its own scratch area and nothing else.
 * Usage: fuzz_calls SEED ITERATIONS */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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
W(fd_advise) i32 r_fd_advise(i32, i64, i64, i32);
W(fd_allocate) i32 r_fd_allocate(i32, i64, i64);
W(fd_close) i32 r_fd_close(i32);
W(fd_datasync) i32 r_fd_datasync(i32);
W(fd_fdstat_get) i32 r_fd_fdstat_get(i32, i32);
W(fd_fdstat_set_flags) i32 r_fd_fdstat_set_flags(i32, i32);
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
W(fd_sync) i32 r_fd_sync(i32);
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
W(proc_raise) i32 r_proc_raise(i32);
W(random_get) i32 r_random_get(i32, i32);
W(sched_yield) i32 r_sched_yield(void);
W(sock_accept) i32 r_sock_accept(i32, i32, i32);
W(sock_recv) i32 r_sock_recv(i32, i32, i32, i32, i32, i32);
W(sock_send) i32 r_sock_send(i32, i32, i32, i32, i32);
W(sock_shutdown) i32 r_sock_shutdown(i32, i32);

#define SCRATCH 65536
static uint8_t scratch[SCRATCH] __attribute__((aligned(16)));
static uint64_t state;

static uint32_t rnd(void)
{
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(state >> 33);
}
static uint64_t rnd64(void) { return (uint64_t)rnd() << 32 | rnd(); }

static i32 base(void) { return (i32)(uintptr_t)scratch; }

/* A small count/length most of the time, sometimes anything. */
static i32 len(void)
{
    uint32_t k = rnd() % 10;
    return k < 7 ? (i32)(rnd() % 64) : k < 9 ? (i32)(rnd() % 4096) : (i32)rnd();
}

/* A pointer in scratch whose range [p, p+n) stays in scratch, or a wild one. */
static i32 ptr_for(i32 n)
{
    uint32_t k = rnd() % 10;
    uint32_t end = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
    if (k < 8 && (uint32_t)n <= SCRATCH)
        return base() + (i32)(rnd() % (SCRATCH - (uint32_t)n + 1));
    if (k == 8)
        return (i32)(end - rnd() % 64);
    return (i32)rnd();
}

static i32 fd(void)
{
    uint32_t k = rnd() % 10;
    if (k < 5)
        return 3 + (i32)(rnd() % 2); /* the preopens: where paths resolve */
    return k < 8 ? (i32)(rnd() % 9) : k == 8 ? (i32)(rnd() % 1100) : (i32)rnd();
}

/* Rights: mostly valid bits, so opens get past the rights check. */
static i64 rights(void) { return (i64)(rnd() % 4 ? rnd64() & ((1ull << 30) - 1) : rnd64()); }

/* Writes a random path into scratch; returns its length. */
static const char *const parts[] = {"a", "b", "..", ".", "l", "m", "", "a/b", "x\001",
                                    "n", "n/o", "f", "f", "n", "data"};
static i32 path_at(i32 at)
{
    char *p = (char *)(uintptr_t)at;
    size_t n = 0, want = 1 + rnd() % 6;
    for (size_t i = 0; i < want && n < 200; i++) {
        const char *s = parts[rnd() % (sizeof parts / sizeof parts[0])];
        size_t l = strlen(s);
        memcpy(p + n, s, l);
        n += l;
        if (i + 1 < want)
            p[n++] = '/';
    }
    if (rnd() % 20 == 0)
        p[n++] = '/';
    if (rnd() % 30 == 0)
        p[0] = '/';
    if (n > 0 && p[n - 1] == '/' && rnd() % 2)
        n--; /* fewer trailing slashes than joins would give */
    return (i32)n;
}

/* A path argument: usually a well-formed random path in scratch. */
static void path_arg(i32 *p, i32 *n)
{
    if (rnd() % 5) {
        *p = base() + (i32)(rnd() % 1024) * 32;
        *n = path_at(*p);
    } else {
        *n = len();
        *p = ptr_for(*n);
    }
}

/* Fills part of scratch with iovecs pointing into scratch (sometimes not). */
static i32 iovs(i32 *count)
{
    i32 at = base() + SCRATCH - 512;
    uint32_t *v = (uint32_t *)(uintptr_t)at;
    *count = (i32)(rnd() % 8);
    for (i32 i = 0; i < *count; i++) {
        uint32_t l = rnd() % 256;
        v[2 * i] = rnd() % 10 ? (uint32_t)base() + rnd() % (SCRATCH - 1024) : rnd();
        v[2 * i + 1] = rnd() % 10 ? l : rnd();
    }
    if (rnd() % 10 == 0)
        *count = (i32)rnd();
    return rnd() % 10 ? at : ptr_for(*count * 8);
}

int main(int argc, char **argv)
{
    state = argc > 1 ? strtoull(argv[1], NULL, 10) : 1;
    long iters = argc > 2 ? strtol(argv[2], NULL, 10) : 20000;
    long calls[64] = {0};
    for (long it = 0; it < iters; it++) {
        i32 p1, n1, p2, n2, c;
        i32 out = ptr_for(64);
        uint32_t which = rnd() % 44;
        calls[which]++;
        switch (which) {
        case 0: r_args_get(ptr_for(64), ptr_for(64)); break;
        case 1: r_args_sizes_get(ptr_for(4), ptr_for(4)); break;
        case 2: r_environ_get(ptr_for(64), ptr_for(64)); break;
        case 3: r_environ_sizes_get(ptr_for(4), ptr_for(4)); break;
        case 4: r_clock_res_get((i32)(rnd() % 6), out); break;
        case 5: r_clock_time_get((i32)(rnd() % 6), (i64)rnd64(), out); break;
        case 6: r_fd_advise(fd(), (i64)rnd64(), (i64)rnd64(), (i32)(rnd() % 8)); break;
        case 7: r_fd_allocate(fd(), (i64)(rnd() % 100000), (i64)(rnd() % 100000)); break;
        case 8: if (rnd() % 4 == 0) r_fd_close(fd()); break;
        case 9: r_fd_datasync(fd()); break;
        case 10: r_fd_fdstat_get(fd(), out); break;
        case 11: r_fd_fdstat_set_flags(fd(), (i32)(rnd() % 64)); break;
        case 12: r_fd_fdstat_set_rights(fd(), rights(), rights()); break;
        case 13: r_fd_filestat_get(fd(), out); break;
        case 14: r_fd_filestat_set_size(fd(), (i64)(rnd() % 100000)); break;
        case 15: r_fd_filestat_set_times(fd(), (i64)rnd64(), (i64)rnd64(), (i32)(rnd() % 32)); break;
        case 16: p1 = iovs(&c); r_fd_pread(fd(), p1, c, (i64)(rnd() % 100000), out); break;
        case 17: r_fd_prestat_get(fd(), out); break;
        case 18: n1 = len(); r_fd_prestat_dir_name(fd(), ptr_for(n1), n1); break;
        case 19: p1 = iovs(&c); r_fd_pwrite(fd(), p1, c, (i64)(rnd() % 100000), out); break;
        case 20: p1 = iovs(&c); r_fd_read(fd(), p1, c, out); break;
        case 21: n1 = len(); r_fd_readdir(fd(), ptr_for(n1), n1, (i64)(rnd() % 5), out); break;
        case 22: if (rnd() % 4 == 0) r_fd_renumber(fd(), fd()); break;
        case 23: r_fd_seek(fd(), (i64)rnd64() % 100000, (i32)(rnd() % 4), out); break;
        case 24: r_fd_sync(fd()); break;
        case 25: r_fd_tell(fd(), out); break;
        case 26: p1 = iovs(&c); r_fd_write(fd(), p1, c, out); break;
        case 27: path_arg(&p1, &n1); r_path_create_directory(fd(), p1, n1); break;
        case 28: path_arg(&p1, &n1); r_path_filestat_get(fd(), (i32)(rnd() % 3), p1, n1, out); break;
        case 29: path_arg(&p1, &n1);
            r_path_filestat_set_times(fd(), (i32)(rnd() % 3), p1, n1, (i64)rnd64(), (i64)rnd64(),
                                      (i32)(rnd() % 16));
            break;
        case 30: path_arg(&p1, &n1); path_arg(&p2, &n2);
            r_path_link(fd(), (i32)(rnd() % 3), p1, n1, fd(), p2, n2);
            break;
        case 31: path_arg(&p1, &n1);
            /* oflags and fdflags: mostly valid bits, sometimes unknown ones */
            c = (i32)(rnd() % (rnd() % 8 ? 16 : 64));
            r_path_open(fd(), (i32)(rnd() % 3), p1, n1, c, rights(), rights(),
                        (i32)(rnd() % (rnd() % 8 ? 32 : 256)), out);
            break;
        case 32: path_arg(&p1, &n1); n2 = len();
            r_path_readlink(fd(), p1, n1, ptr_for(n2), n2, out);
            break;
        case 33: path_arg(&p1, &n1); r_path_remove_directory(fd(), p1, n1); break;
        case 34: path_arg(&p1, &n1); path_arg(&p2, &n2); r_path_rename(fd(), p1, n1, fd(), p2, n2); break;
        case 35: path_arg(&p1, &n1); path_arg(&p2, &n2); r_path_symlink(p1, n1, fd(), p2, n2); break;
        case 36: path_arg(&p1, &n1); r_path_unlink_file(fd(), p1, n1); break;
        case 37: r_proc_raise((i32)rnd()); break;
        case 38: n1 = (i32)(rnd() % 128); r_random_get(ptr_for(n1), n1); break;
        case 39: r_sched_yield(); break;
        case 40: r_sock_accept(fd(), (i32)rnd(), out); break;
        case 41: p1 = iovs(&c); r_sock_recv(fd(), p1, c, (i32)rnd(), out, out); break;
        case 42: p1 = iovs(&c); r_sock_send(fd(), p1, c, (i32)rnd(), out); break;
        case 43: r_sock_shutdown(fd(), (i32)rnd()); break;
        }
    }
    long total = 0;
    for (int i = 0; i < 44; i++)
        total += calls[i];
    fprintf(stderr, "fuzz done: %ld calls\n", total);
    printf("fuzz done\n");
    return 0;
}
