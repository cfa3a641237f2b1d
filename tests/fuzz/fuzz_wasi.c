/* the WASI host calls (wasi/) with random arguments over a fixed guest memory
 * Every WASI function, under both module names (wasi_snapshot_preview1 and
 * wasi_unstable), can be called: the functions an input calls are imported
 * by a module built for it, whose exports forward their arguments to the
 * imports, so each call reaches the wasi/ host function from wasm code with
 * the instance's one-page memory, exactly as a guest's would. The input is a
 * program (see decode): byte 0 picks the resolver (openat2 or the component
 * walk); then each op either calls a function with arguments built from the
 * input (small numbers, our fds, pointers into a scratch area, into a table
 * of paths or of iovecs, near the end of memory, raw 32/64-bit values, all
 * rights), or writes a path or raw bytes into guest memory.
 *
 * The tree, under a temporary directory of the harness's own:
 *   map/  mapped read-write at /map: files, dirs, and links that lead out
 *         (relative, absolute, through a subdirectory), loops, dangling
 *   ro/   mapped read-only at /ro
 *   outside/secret  reachable only by escaping
 * is rebuilt before every input. Properties checked after every input:
 * nothing outside the maps appeared, changed or vanished (names, inodes,
 * sizes, link counts, times of change); nothing under the read-only map
 * changed; no host fd leaked; every audit record is one line of JSON of a
 * known event; and no crash, leak or sanitizer report. poll_oneoff is called
 * with the interrupt flag set so it never waits.
 *
 * As a second fence, where the kernel has Landlock the process may create,
 * write, rename or remove files only beneath its temporary directory and the
 * directories libFuzzer writes to (the corpus and artifact directories named
 * on its command line). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/landlock.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../vm/vm.h"
#include "../../wasi/wasi.h"
#include "../../wasi/wasi_impl.h"

#include <cjson/cJSON.h>

#define FAIL(...) (fprintf(stderr, "fuzz_wasi: " __VA_ARGS__), fputc('\n', stderr), abort())

/* ---- the functions and the forwarding module ---- */

/* name and params ('i' i32, 'I' i64) of every WASI preview1 function; all but
 * proc_exit return an i32 errno (the table in wasi/wasi.c) */
static const struct wfn {
    const char *name, *params;
} fns[] = {
    {"args_get", "ii"}, {"args_sizes_get", "ii"}, {"environ_get", "ii"},
    {"environ_sizes_get", "ii"}, {"clock_res_get", "ii"}, {"clock_time_get", "iIi"},
    {"fd_advise", "iIIi"}, {"fd_allocate", "iII"}, {"fd_close", "i"}, {"fd_datasync", "i"},
    {"fd_fdstat_get", "ii"}, {"fd_fdstat_set_flags", "ii"}, {"fd_fdstat_set_rights", "iII"},
    {"fd_filestat_get", "ii"}, {"fd_filestat_set_size", "iI"}, {"fd_filestat_set_times", "iIIi"},
    {"fd_pread", "iiiIi"}, {"fd_prestat_get", "ii"}, {"fd_prestat_dir_name", "iii"},
    {"fd_pwrite", "iiiIi"}, {"fd_read", "iiii"}, {"fd_readdir", "iiiIi"}, {"fd_renumber", "ii"},
    {"fd_seek", "iIii"}, {"fd_sync", "i"}, {"fd_tell", "ii"}, {"fd_write", "iiii"},
    {"path_create_directory", "iii"}, {"path_filestat_get", "iiiii"},
    {"path_filestat_set_times", "iiiiIIi"}, {"path_link", "iiiiiii"},
    {"path_open", "iiiiiIIii"}, {"path_readlink", "iiiiii"}, {"path_remove_directory", "iii"},
    {"path_rename", "iiiiii"}, {"path_symlink", "iiiii"}, {"path_unlink_file", "iii"},
    {"poll_oneoff", "iiii"}, {"proc_exit", "i"}, {"proc_raise", "i"}, {"sched_yield", ""},
    {"random_get", "ii"}, {"sock_accept", "iii"}, {"sock_recv", "iiiiii"},
    {"sock_send", "iiiii"}, {"sock_shutdown", "ii"},
};
#define NFNS (sizeof fns / sizeof fns[0])
#define NCALLS (2 * NFNS) /* preview1, then wasi_unstable */
static const char *const module_names[2] = {"wasi_snapshot_preview1", "wasi_unstable"};

typedef struct buf {
    uint8_t *p;
    size_t n, cap;
} buf;

static void put(buf *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            abort();
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
}
static void byte(buf *b, uint8_t v) { put(b, &v, 1); }
static void leb(buf *b, uint32_t v)
{
    do {
        uint8_t c = v & 0x7f;
        v >>= 7;
        byte(b, c | (v ? 0x80 : 0));
    } while (v);
}
static void name(buf *b, const char *s)
{
    leb(b, (uint32_t)strlen(s));
    put(b, s, strlen(s));
}
static void section(buf *out, uint8_t id, buf *body)
{
    byte(out, id);
    leb(out, (uint32_t)body->n);
    put(out, body->p, body->n);
    body->n = 0;
}

static bool has_result(size_t f) { return strcmp(fns[f].name, "proc_exit") != 0; }

/* The calls an input makes, in the order of their first use: the module
 * imports and forwards only those (loading all 92 every time would cost most
 * of each run). */
typedef struct used {
    uint16_t call[NCALLS];  /* i-th import: call index */
    int16_t slot[NCALLS];   /* call index -> import index, or -1 */
    uint32_t n;
} used;

/* (module (import M N (func $i (type i))) ... (memory (export "memory") 1 1)
 *   (func (export "f<i>") (type i) local.get 0 ... call $i) ...) */
static buf forwarder_module(const used *u)
{
    buf out = {0}, s = {0};
    put(&out, "\0asm\1\0\0\0", 8);
    leb(&s, u->n); /* types: one per import */
    for (size_t i = 0; i < u->n; i++) {
        size_t f = u->call[i] % NFNS;
        byte(&s, 0x60);
        leb(&s, (uint32_t)strlen(fns[f].params));
        for (const char *c = fns[f].params; *c; c++)
            byte(&s, *c == 'I' ? 0x7e : 0x7f);
        leb(&s, has_result(f));
        if (has_result(f))
            byte(&s, 0x7f);
    }
    section(&out, 1, &s);
    leb(&s, u->n);
    for (size_t i = 0; i < u->n; i++) {
        name(&s, module_names[u->call[i] / NFNS]);
        name(&s, fns[u->call[i] % NFNS].name);
        byte(&s, 0x00);
        leb(&s, (uint32_t)i);
    }
    section(&out, 2, &s);
    leb(&s, u->n);
    for (size_t i = 0; i < u->n; i++)
        leb(&s, (uint32_t)i);
    section(&out, 3, &s);
    put(&s, "\1\1\1\1", 4); /* one memory, min 1 max 1 page */
    section(&out, 5, &s);
    leb(&s, u->n + 1);
    name(&s, "memory");
    byte(&s, 0x02);
    leb(&s, 0);
    for (size_t i = 0; i < u->n; i++) {
        char n[16];
        snprintf(n, sizeof n, "f%zu", i);
        name(&s, n);
        byte(&s, 0x00);
        leb(&s, (uint32_t)(u->n + i));
    }
    section(&out, 7, &s);
    leb(&s, u->n);
    for (size_t i = 0; i < u->n; i++) {
        buf body = {0};
        size_t np = strlen(fns[u->call[i] % NFNS].params);
        leb(&body, 0); /* no locals */
        for (size_t k = 0; k < np; k++) {
            byte(&body, 0x20);
            leb(&body, (uint32_t)k);
        }
        byte(&body, 0x10);
        leb(&body, (uint32_t)i);
        byte(&body, 0x0b);
        leb(&s, (uint32_t)body.n);
        put(&s, body.p, body.n);
        free(body.p);
    }
    section(&out, 10, &s);
    free(s.p);
    return out;
}

/* ---- guest memory layout ---- */

enum {
    MEM = 65536,
    SCRATCH = 0, SCRATCH_LEN = 32768,  /* results, buffers, iovec targets */
    PATHS = 32768, NPATHS = 16, PATH_STRIDE = 256,
    IOVS = PATHS + NPATHS * PATH_STRIDE, NIOVS = 4, IOV_ENTRIES = 4, /* 4 arrays of 4 */
    SUBS = IOVS + NIOVS * IOV_ENTRIES * 8, /* two poll subscriptions, 48 bytes each */
};

static const char *const default_paths[NPATHS] = {
    "f", "a", "a/b", "l/secret", "abs/secret", "..", "a/up", "new", "new/x", "f/",
    "self/self/f", "loop1", "dangling", "a/../f", "l", "."};

/* The layout every input starts from: the paths above, iovec arrays into
 * scratch (entry e of array a: 16 << e bytes at 1024 * (4a + e)), and two
 * poll subscriptions (a relative 1 ns clock, an fd_read on fd 3). */
static void guest_layout(uint8_t *m)
{
    for (int k = 0; k < NPATHS; k++)
        memcpy(m + PATHS + k * PATH_STRIDE, default_paths[k], strlen(default_paths[k]));
    for (int a = 0; a < NIOVS; a++)
        for (int e = 0; e < IOV_ENTRIES; e++) {
            wput32(m + IOVS + (a * IOV_ENTRIES + e) * 8, SCRATCH + 1024u * (a * IOV_ENTRIES + e));
            wput32(m + IOVS + (a * IOV_ENTRIES + e) * 8 + 4, 16u << e);
        }
    uint8_t *s = m + SUBS;
    wput64(s, 1);
    s[8] = 0;
    wput32(s + 16, 1);
    wput64(s + 24, 1);
    wput64(s + 48, 2);
    s[56] = 1;
    wput32(s + 64, 3);
}

/* ---- the input, decoded into a program ---- */

typedef struct input {
    const uint8_t *p;
    size_t n;
} input;

static uint8_t in8(input *in)
{
    if (!in->n)
        return 0;
    in->n--;
    return *in->p++;
}
static uint64_t in_bytes(input *in, int k)
{
    uint64_t v = 0;
    for (int i = 0; i < k; i++)
        v |= (uint64_t)in8(in) << (8 * i);
    return v;
}

enum { MAX_OPS = 256 };

typedef struct op {
    bool write;             /* bytes into guest memory, else a call */
    uint16_t call;          /* index into fns, + NFNS for wasi_unstable */
    uint64_t args[9];
    uint32_t at, n;         /* write: n bytes at guest address at ... */
    const uint8_t *bytes;   /* ... taken from the input */
} op;

typedef struct program {
    bool walk;              /* the component walk instead of openat2 */
    op ops[MAX_OPS];
    int nops;
    used u;
} program;

static uint64_t argument(input *in, const uint32_t *path_len)
{
    uint8_t shape = in8(in);
    switch (shape % 13) {
    case 0: return 0;
    case 1: return in8(in);                                  /* small number, stdio fds */
    case 2: return 3 + in8(in) % 8;                          /* preopens and opened fds */
    case 3: return SCRATCH + in_bytes(in, 2) % SCRATCH_LEN;  /* a pointer into scratch */
    case 4: return PATHS + (in8(in) % NPATHS) * PATH_STRIDE; /* a path */
    case 5: return path_len[in8(in) % NPATHS];               /* a path's length */
    case 6: return IOVS + (in8(in) % NIOVS) * IOV_ENTRIES * 8; /* an iovec array */
    case 7: return 1 + in8(in) % IOV_ENTRIES;                /* an iovec count */
    case 8: return MEM - in8(in) % 16;                       /* at the end of memory */
    case 9: return in_bytes(in, 4);                          /* anything 32-bit */
    case 10: return in_bytes(in, 8);                         /* anything 64-bit */
    case 11: return R_ALL;                                   /* every right */
    default: return SUBS;                                    /* poll subscriptions */
    }
}

/* Byte 0: bit 0 picks the walk. Then ops: 0xF0-0xFF raw bytes (2-byte
 * address, count, bytes); 0xE0-0xEF a path of up to 63 bytes into path slot
 * op & 15 (length, bytes); else call op % NCALLS, one argument per param. */
static void decode(const uint8_t *data, size_t size, program *p)
{
    input in = {data, size};
    uint32_t path_len[NPATHS];
    for (int k = 0; k < NPATHS; k++)
        path_len[k] = (uint32_t)strlen(default_paths[k]);
    memset(p, 0, sizeof *p);
    memset(p->u.slot, -1, sizeof p->u.slot);
    p->walk = in8(&in) & 1;
    while (in.n && p->nops < MAX_OPS) {
        op *o = &p->ops[p->nops++];
        uint8_t code = in8(&in);
        if (code >= 0xE0) {
            o->write = true;
            if (code >= 0xF0) {
                o->at = (uint32_t)in_bytes(&in, 2);
                o->n = in8(&in);
            } else {
                o->at = PATHS + (code & 15u) * PATH_STRIDE;
                o->n = in8(&in) % 64;
            }
            o->bytes = in.p;
            o->n = o->n < in.n ? o->n : (uint32_t)in.n;
            o->n = o->at + o->n <= MEM ? o->n : MEM - o->at;
            in.p += o->n;
            in.n -= o->n;
            if (code < 0xF0)
                path_len[code & 15] = o->n;
            continue;
        }
        o->call = code % NCALLS;
        if (p->u.slot[o->call] < 0) {
            p->u.slot[o->call] = (int16_t)p->u.n;
            p->u.call[p->u.n++] = o->call;
        }
        for (size_t i = 0; i < strlen(fns[o->call % NFNS].params); i++)
            o->args[i] = argument(&in, path_len);
    }
}

/* ---- the tree ---- */

static char root[4096], map_dir[4200], ro_dir[4200], outside_dir[4200];
static char audit_path[4300]; /* the audit log of the current input (check_audit) */

static void make_file(const char *dir, const char *rel, const char *text)
{
    char p[8400];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || close(fd) != 0)
        FAIL("cannot write %s: %s", p, strerror(errno));
}
static void make_dir(const char *dir, const char *rel)
{
    char p[8400];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    if (mkdir(p, 0755) != 0 && errno != EEXIST)
        FAIL("cannot make %s: %s", p, strerror(errno));
}
static void make_link(const char *dir, const char *rel, const char *target)
{
    char p[8400];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    if (symlink(target, p) != 0)
        FAIL("cannot link %s: %s", p, strerror(errno));
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    if (ftw->level == 0) /* the map itself stays */
        return 0;
    if (type == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

static void build_map(void)
{
    if (nftw(map_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
        FAIL("cannot empty %s: %s", map_dir, strerror(errno));
    make_dir(map_dir, "a");
    make_dir(map_dir, "a/b");
    make_file(map_dir, "f", "hello\n");
    make_file(map_dir, "a/b/g", "deeper\n");
    make_link(map_dir, "l", "../outside");
    make_link(map_dir, "abs", outside_dir);
    make_link(map_dir, "a/up", "../../outside/secret");
    make_link(map_dir, "self", ".");
    make_link(map_dir, "loop1", "loop2");
    make_link(map_dir, "loop2", "loop1");
    make_link(map_dir, "dangling", "nowhere");
}

/* What must never change: the tree above and beside the read-write map. */
typedef struct snapshot {
    char text[4096];
} snapshot;

static void snap_stat(snapshot *s, const char *path)
{
    struct stat st;
    size_t n = strlen(s->text);
    if (lstat(path, &st) != 0)
        snprintf(s->text + n, sizeof s->text - n, "%s: missing\n", path);
    else
        snprintf(s->text + n, sizeof s->text - n, "%s: ino %lu mode %o size %ld nlink %lu "
                 "mtime %ld.%09ld ctime %ld.%09ld\n", path, (unsigned long)st.st_ino,
                 st.st_mode, (long)st.st_size, (unsigned long)st.st_nlink,
                 (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (long)st.st_ctim.tv_sec,
                 st.st_ctim.tv_nsec);
}
static void snap_list(snapshot *s, const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = strlen(s->text);
    snprintf(s->text + n, sizeof s->text - n, "%s:", dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        n = strlen(s->text);
        snprintf(s->text + n, sizeof s->text - n, " %s", e->d_name);
    }
    if (d)
        closedir(d);
    n = strlen(s->text);
    snprintf(s->text + n, sizeof s->text - n, "\n");
}
static void snap_file(snapshot *s, const char *path)
{
    char data[64] = "";
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0) {
        ssize_t r = read(fd, data, sizeof data - 1);
        data[r > 0 ? r : 0] = '\0';
        close(fd);
    }
    size_t n = strlen(s->text);
    snprintf(s->text + n, sizeof s->text - n, "%s contains %s", path, data);
}

static void take_snapshot(snapshot *s)
{
    char p[8400];
    s->text[0] = '\0';
    snap_stat(s, root);
    snap_list(s, root);
    snap_stat(s, outside_dir);
    snap_list(s, outside_dir);
    snprintf(p, sizeof p, "%s/secret", outside_dir);
    snap_stat(s, p);
    snap_file(s, p);
    snap_stat(s, ro_dir);
    snap_list(s, ro_dir);
    snprintf(p, sizeof p, "%s/data", ro_dir);
    snap_stat(s, p);
    snap_file(s, p);
    snprintf(p, sizeof p, "%s/sub", ro_dir);
    snap_stat(s, p);
    snap_list(s, p);
}

static int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    while (d && readdir(d))
        n++;
    if (d)
        closedir(d);
    return n;
}

/* ---- the second fence: Landlock ---- */

static void allow_beneath(int ruleset, const char *dir, uint64_t access)
{
    struct landlock_path_beneath_attr pb = {.allowed_access = access};
    pb.parent_fd = open(dir, O_PATH | O_CLOEXEC | O_DIRECTORY);
    if (pb.parent_fd < 0)
        return; /* not a directory: nothing to allow */
    if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) != 0)
        FAIL("landlock_add_rule %s: %s", dir, strerror(errno));
    close(pb.parent_fd);
}

static void fence(int argc, char **argv)
{
    int abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (abi < 1) {
        fprintf(stderr, "fuzz_wasi: no Landlock here (%s); confinement rests on wasi/ alone\n",
                strerror(errno));
        return;
    }
    uint64_t writes = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |
                      LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR |
                      LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
                      LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |
                      LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM;
#ifdef LANDLOCK_ACCESS_FS_REFER
    if (abi >= 2)
        writes |= LANDLOCK_ACCESS_FS_REFER;
#endif
#ifdef LANDLOCK_ACCESS_FS_TRUNCATE
    if (abi >= 3)
        writes |= LANDLOCK_ACCESS_FS_TRUNCATE;
#endif
    struct landlock_ruleset_attr attr = {.handled_access_fs = writes};
    int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (rs < 0)
        FAIL("landlock_create_ruleset: %s", strerror(errno));
    allow_beneath(rs, root, writes);
    bool artifacts_named = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *eq = strchr(a, '=');
        char dir[4096];
        if (a[0] != '-') { /* a corpus directory (files are only read) */
            allow_beneath(rs, a, writes);
        } else if (eq && (!strncmp(a, "-artifact_prefix=", 17) ||
                          !strncmp(a, "-exact_artifact_path=", 21))) {
            snprintf(dir, sizeof dir, "%s", eq + 1);
            char *slash = strrchr(dir, '/');
            if (slash)
                *slash = '\0';
            allow_beneath(rs, slash ? dir : ".", writes);
            artifacts_named = true;
        }
    }
    if (!artifacts_named) /* libFuzzer writes crash-* files to the current directory */
        allow_beneath(rs, ".", writes);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        syscall(SYS_landlock_restrict_self, rs, 0) != 0)
        FAIL("landlock_restrict_self: %s", strerror(errno));
    close(rs);
    /* the fence must hold: no directory may be made beside the root */
    char probe[4200];
    snprintf(probe, sizeof probe, "%s.fence-probe", root);
    if (mkdir(probe, 0700) == 0) {
        rmdir(probe);
        FAIL("Landlock is on, yet %s could be made", probe);
    }
}

/* ---- set-up and one run ---- */

static bool trace; /* FUZZ_WASI_TRACE=1: print every call (for writing seeds) */
static snapshot before;
static int devnull = -1;

/* Removes the temporary directory once this process has ended, however it
 * ended (a crash included): a child made before the fence, waiting for the
 * end of a pipe whose other end only this process holds. (The fenced process
 * could not remove the directory itself: that is a write to its parent.) */
static void start_janitor(void)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0)
        FAIL("pipe: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0)
        FAIL("fork: %s", strerror(errno));
    if (pid == 0) {
        close(p[1]);
        char c;
        ssize_t r;
        do
            r = read(p[0], &c, 1);
        while (r > 0 || (r < 0 && errno == EINTR));
        nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        rmdir(root);
        _exit(0);
    }
    close(p[0]); /* p[1] stays open, unused, until this process ends */
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(root, sizeof root, "%s/wasmbox-fuzz-wasi.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(root))
        FAIL("mkdtemp %s: %s", root, strerror(errno));
    start_janitor();
    snprintf(map_dir, sizeof map_dir, "%s/map", root);
    snprintf(ro_dir, sizeof ro_dir, "%s/ro", root);
    snprintf(outside_dir, sizeof outside_dir, "%s/outside", root);
    make_dir(root, "map");
    make_dir(root, "ro");
    make_dir(root, "ro/sub");
    make_dir(root, "outside");
    make_file(ro_dir, "data", "data\n");
    make_file(outside_dir, "secret", "secret\n");
    /* Files the guest makes stay small: writes, truncates and fd_allocate
     * past 8 MiB fail with EFBIG (the scratch tree may live in memory).
     * SIGXFSZ is ignored at the first input (libFuzzer handles it after this). */
    struct rlimit fsize = {8u << 20, 8u << 20};
    if (setrlimit(RLIMIT_FSIZE, &fsize) != 0)
        FAIL("setrlimit: %s", strerror(errno));
    devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (devnull < 0)
        FAIL("cannot open /dev/null");
    trace = getenv("FUZZ_WASI_TRACE") != NULL;
    /* made before the snapshot, so that emptying it later changes no listing */
    snprintf(audit_path, sizeof audit_path, "%s/audit.log", root);
    make_file(root, "audit.log", "");
    fence(*argc, *argv);
    take_snapshot(&before);
    return 0;
}

static const char *const events[] = {"fs.open", "fs.change", "fs.deny", "call.deny",
                                     "output.limit", "proc.exit", "proc.trap",
                                     "audit.suppressed"};

/* The audit log of one input (audit_path, emptied before each): every record
 * is one line of JSON (no byte below 0x20 in it: the writer escapes what the
 * guest's strings hold) and a known event. */

static void check_audit(void)
{
    FILE *f = fopen(audit_path, "r");
    if (!f)
        FAIL("cannot read the audit log: %s", strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] != '\n')
            FAIL("audit record without its newline: \"%s\"", line);
        for (ssize_t i = 0; i < n - 1; i++)
            if ((unsigned char)line[i] < 0x20) /* JSON escapes these; a newline would split it */
                FAIL("audit record holds byte 0x%02x: \"%s\"", (unsigned char)line[i], line);
        cJSON *r = cJSON_Parse(line);
        const cJSON *ev = cJSON_GetObjectItemCaseSensitive(r, "event");
        if (!cJSON_IsString(ev))
            FAIL("audit record is not JSON with an event: \"%s\"", line);
        bool known = false;
        for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
            known = known || !strcmp(ev->valuestring, events[i]);
        if (!known)
            FAIL("unknown audit event \"%s\"", ev->valuestring);
        cJSON_Delete(r);
    }
    free(line);
    fclose(f);
}

static void trace_call(const op *o, wb_status st, const wb_value *res)
{
    const struct wfn *f = &fns[o->call % NFNS];
    fprintf(stderr, "%s%s(", o->call >= NFNS ? "unstable " : "", f->name);
    for (size_t i = 0; i < strlen(f->params); i++)
        fprintf(stderr, "%s%lld", i ? ", " : "",
                f->params[i] == 'I' ? (long long)o->args[i] : (long long)(uint32_t)o->args[i]);
    fprintf(stderr, ") -> status %d errno %d\n", st, st == WB_OK ? res[0].of.i32 : -1);
}

static void run_call(wb_wasi *w, wb_store *s, wb_instance *inst, const program *p, const op *o)
{
    const struct wfn *f = &fns[o->call % NFNS];
    size_t np = strlen(f->params);
    bool result = has_result(o->call % NFNS);
    wb_value args[9], res[1] = {{0}};
    for (size_t i = 0; i < np; i++) {
        args[i].type = f->params[i] == 'I' ? WB_I64 : WB_I32;
        if (f->params[i] == 'I')
            args[i].of.i64 = (int64_t)o->args[i];
        else
            args[i].of.i32 = (int32_t)(uint32_t)o->args[i];
    }
    char fname[16];
    wb_extern ex;
    snprintf(fname, sizeof fname, "f%d", p->u.slot[o->call]);
    if (!wb_instance_export(inst, fname, strlen(fname), &ex))
        FAIL("no export %s", fname);
    bool poll = !strcmp(f->name, "poll_oneoff");
    if (poll) /* never wait: blocking ends as soon as it would start */
        wb_wasi_interrupt(w);
    wb_status st = wb_func_call(s, ex.of.func, args, (uint32_t)np, res, result);
    if (poll)
        wb_wasi_clear_interrupt(w);
    if (trace)
        trace_call(o, st, res);
    if (st == WB_OK && result && (uint32_t)res[0].of.i32 > WE_NOTCAPABLE)
        FAIL("%s returned errno %d", f->name, res[0].of.i32);
    if (st != WB_OK && st != WB_EXIT && st != WB_TRAP_HOST)
        FAIL("%s ended with status %d: %s", f->name, st, wb_store_trap_message(s));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static program p;
    static bool started;
    if (!started) { /* a file grown past RLIMIT_FSIZE is EFBIG to the guest, not a crash */
        signal(SIGXFSZ, SIG_IGN);
        started = true;
    }
    decode(data, size, &p);
    int fds_before = open_fds();
    build_map();
    const char *args[] = {"tool", "--flag", "x y"};
    const char *env[] = {"A=1", "EMPTY="};
    wb_wasi_dir dirs[] = {{map_dir, "/map", false}, {ro_dir, "/ro", true}};
    wb_wasi_config cfg = wb_wasi_default_config();
    cfg.args = args;
    cfg.nargs = 3;
    cfg.env = env;
    cfg.nenv = 2;
    cfg.dirs = dirs;
    cfg.ndirs = 2;
    cfg.stdin_fd = -1;
    cfg.stdout_fd = cfg.stderr_fd = devnull;
    cfg.max_output = 4096;
    char err[256];
    if (truncate(audit_path, 0) != 0)
        FAIL("cannot empty the audit log: %s", strerror(errno));
    wb_audit *aud = wb_audit_open(audit_path, err, sizeof err);
    if (!aud)
        FAIL("wb_audit_open: %s", err);
    cfg.audit = aud;
    wb_wasi *w = wb_wasi_new(&cfg, err, sizeof err);
    if (!w)
        FAIL("wb_wasi_new: %s", err);
    wasi_resolve_force_walk(p.walk);
    wb_limits lim = wb_default_limits();
    lim.max_stack = 64 * 1024; /* forwarders need a few slots; a big stack costs per input */
    wb_store *s = wb_store_new(&lim);
    buf module = forwarder_module(&p.u);
    wb_error e;
    wb_module *m = wb_module_load(s, module.p, module.n, &e);
    if (!m)
        FAIL("forwarder module: %s", e.message);
    wb_extern imports[NCALLS], ex;
    if (!wb_wasi_link(w, s, m, imports, err, sizeof err))
        FAIL("link: %s", err);
    wb_instance *inst = wb_instantiate(s, m, imports, p.u.n, &e);
    if (!inst || !wb_instance_export(inst, "memory", 6, &ex))
        FAIL("instantiate: %s", e.message);
    guest_layout(wb_memory_data(ex.of.memory));
    for (int i = 0; i < p.nops; i++) {
        const op *o = &p.ops[i];
        if (o->write)
            memcpy(wb_memory_data(ex.of.memory) + o->at, o->bytes, o->n);
        else
            run_call(w, s, inst, &p, o);
    }
    free(module.p);
    wb_store_free(s);
    wb_wasi_free(w);
    wb_audit_close(aud);
    check_audit();
    snapshot after;
    take_snapshot(&after);
    if (strcmp(before.text, after.text))
        FAIL("outside the read-write map something changed\n--- before\n%s--- after\n%s",
             before.text, after.text);
    if (open_fds() != fds_before)
        FAIL("%d host fds open before the run, %d after", fds_before, open_fds());
    return 0;
}
