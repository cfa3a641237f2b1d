/* wasmbox wasi: instance setup (args, env, stdio, preopens), the guest fd
 * table, audit, guest-memory checks, and linking the imports to host
 * functions. The functions themselves live in fd.c, path.c and misc.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi_impl.h"

#define R_STDIO_COMMON (R_FD_FDSTAT_SET_FLAGS | R_FD_FILESTAT_GET | R_POLL_FD_READWRITE)

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

wb_wasi_config wb_wasi_default_config(void)
{
    wb_wasi_config c;
    memset(&c, 0, sizeof c);
    c.stdin_fd = 0;
    c.stdout_fd = 1;
    c.stderr_fd = 2;
    c.max_output = WB_WASI_NO_OUTPUT_LIMIT;
    return c;
}

uint8_t wasi_filetype_of(mode_t mode)
{
    if (S_ISREG(mode)) return FT_REG;
    if (S_ISDIR(mode)) return FT_DIR;
    if (S_ISCHR(mode)) return FT_CHAR;
    if (S_ISBLK(mode)) return FT_BLOCK;
    if (S_ISLNK(mode)) return FT_SYMLINK;
    if (S_ISSOCK(mode)) return FT_SOCK_STREAM;
    return FT_UNKNOWN; /* FIFOs have no WASI type */
}

static char **copy_strings(const char *const *src, size_t n)
{
    char **out = calloc(n + 1, sizeof *out);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        out[i] = strdup(src[i] ? src[i] : "");
        if (!out[i]) {
            for (size_t j = 0; j < i; j++)
                free(out[j]);
            free(out);
            return NULL;
        }
    }
    return out;
}

static bool grow_table(wb_wasi *w, uint32_t want)
{
    if (want <= w->nfds)
        return true;
    if (want > WASI_MAX_FDS)
        return false;
    uint32_t n = w->nfds ? w->nfds : 8;
    while (n < want)
        n *= 2;
    if (n > WASI_MAX_FDS)
        n = WASI_MAX_FDS;
    wasi_fd *f = realloc(w->fds, n * sizeof *f);
    if (!f)
        return false;
    memset(f + w->nfds, 0, (n - w->nfds) * sizeof *f);
    for (uint32_t i = w->nfds; i < n; i++)
        f[i].host = -1;
    w->fds = f;
    w->nfds = n;
    return true;
}

bool wasi_fd_reserve(wb_wasi *w, uint32_t want) { return grow_table(w, want); }

wasi_fd *wasi_fd_get(wb_wasi *w, uint32_t fd)
{
    if (fd >= w->nfds || w->fds[fd].kind == WFD_FREE)
        return NULL;
    return &w->fds[fd];
}

int64_t wasi_fd_alloc(wb_wasi *w)
{
    for (uint32_t i = 3; i < WASI_MAX_FDS; i++) {
        if (i >= w->nfds && !grow_table(w, i + 1))
            return -1;
        if (w->fds[i].kind == WFD_FREE)
            return i;
    }
    return -1;
}

void wasi_fd_release(wasi_fd *f)
{
    if (f->host >= 0)
        close(f->host);
    free(f->name);
    memset(f, 0, sizeof *f);
    f->host = -1;
}

static bool add_stdio(wb_wasi *w, uint32_t slot, int host, bool output, char *err, size_t errlen)
{
    wasi_fd *f = &w->fds[slot];
    if (host < 0)
        return true; /* left closed: the guest gets EBADF */
    int d = fcntl(host, F_DUPFD_CLOEXEC, 3);
    if (d < 0 && errno == EBADF)
        return true; /* the host has it closed: so does the guest */
    struct stat st;
    if (d < 0 || fstat(d, &st) < 0) {
        set_err(err, errlen, "stdio fd %d: %s", host, strerror(errno));
        if (d >= 0)
            close(d);
        return false;
    }
    f->kind = WFD_STDIO;
    f->host = d;
    f->filetype = wasi_filetype_of(st.st_mode);
    f->tty = isatty(d);
    /* no fd_sync/fd_datasync: stdio are streams, which those refuse */
    f->rights_base = R_STDIO_COMMON | (output ? R_FD_WRITE : R_FD_READ);
    f->rights_inheriting = 0;
    f->is_output = output;
    f->name = strdup(slot == 0 ? "<stdin>" : slot == 1 ? "<stdout>" : "<stderr>");
    return true;
}

wb_wasi *wb_wasi_new(const wb_wasi_config *cfg, char *err, size_t errlen)
{
    if (getenv("WASMBOX_WASI_NO_OPENAT2"))
        wasi_resolve_force_walk(true);
    if (!cfg || (cfg->nargs && !cfg->args) || (cfg->nenv && !cfg->env) ||
        (cfg->ndirs && !cfg->dirs)) {
        set_err(err, errlen, "wasi config: missing array");
        return NULL;
    }
    if (cfg->ndirs + 3 > WASI_MAX_FDS) {
        set_err(err, errlen, "wasi config: too many directories (%zu)", cfg->ndirs);
        return NULL;
    }
    for (size_t i = 0; i < cfg->nenv; i++) {
        if (!cfg->env[i] || !strchr(cfg->env[i], '=')) {
            set_err(err, errlen, "wasi config: env entry %zu is not KEY=VALUE", i);
            return NULL;
        }
    }
    wb_wasi *w = calloc(1, sizeof *w);
    if (!w) {
        set_err(err, errlen, "out of memory");
        return NULL;
    }
    w->notice_fd = -1;
    /* Blocking calls poll this with what they wait for, so an interrupt
     * wakes them at once (no polling in slices). */
    w->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (w->wake_fd < 0) {
        set_err(err, errlen, "wasi: cannot make the interrupt's eventfd: %s", strerror(errno));
        goto fail;
    }
    w->args = copy_strings(cfg->args, cfg->nargs);
    w->env = copy_strings(cfg->env, cfg->nenv);
    w->nargs = cfg->nargs;
    w->nenv = cfg->nenv;
    w->max_output = cfg->max_output;
    w->allow_symlink_dotdot = cfg->allow_symlink_dotdot;
    w->audit = cfg->audit;
    w->roots = calloc(cfg->ndirs + 1, sizeof *w->roots);
    if (!w->args || !w->env || !w->roots || !grow_table(w, (uint32_t)(3 + cfg->ndirs))) {
        set_err(err, errlen, "out of memory");
        goto fail;
    }
    if (!add_stdio(w, 0, cfg->stdin_fd, false, err, errlen) ||
        !add_stdio(w, 1, cfg->stdout_fd, true, err, errlen) ||
        !add_stdio(w, 2, cfg->stderr_fd, true, err, errlen))
        goto fail;
    /* our own dup: the guest may close or renumber its fds 1 and 2, and a
     * reused number must never receive the notice */
    int nf = cfg->stderr_fd >= 0 ? cfg->stderr_fd : cfg->stdout_fd;
    w->notice_fd = nf >= 0 ? fcntl(nf, F_DUPFD_CLOEXEC, 3) : -1;
    struct stat nst;
    w->notice_stream = w->notice_fd >= 0 && fstat(w->notice_fd, &nst) == 0 &&
                       !S_ISREG(nst.st_mode);
    for (size_t i = 0; i < cfg->ndirs; i++) {
        const wb_wasi_dir *d = &cfg->dirs[i];
        if (!d->host_path || !d->guest_path || !d->guest_path[0]) {
            set_err(err, errlen, "wasi config: directory %zu has no host or guest path", i);
            goto fail;
        }
        int h = open(d->host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (h < 0) {
            set_err(err, errlen, "directory %s: %s", d->host_path, strerror(errno));
            goto fail;
        }
        struct stat st;
        if (fstat(h, &st) < 0) {
            set_err(err, errlen, "directory %s: %s", d->host_path, strerror(errno));
            close(h);
            goto fail;
        }
        w->roots[w->nroots++] = (struct wasi_root){st.st_dev, st.st_ino};
        wasi_fd *f = &w->fds[3 + i];
        f->kind = WFD_DIR;
        f->host = h;
        f->filetype = FT_DIR;
        f->preopen = true;
        f->read_only = d->read_only;
        f->rights_base = d->read_only ? R_DIR_BASE & ~R_WRITES : R_DIR_BASE;
        /* Inheriting keeps the write rights even on a read-only map so that
         * libc asks for them and path_open can answer EROFS up front. */
        f->rights_inheriting = R_ALL;
        f->name = strdup(d->guest_path);
        if (!f->name) {
            set_err(err, errlen, "out of memory");
            goto fail;
        }
    }
    return w;
fail:
    wb_wasi_free(w);
    return NULL;
}

struct wasi_binding {
    struct wasi_binding *next;
    wb_wasi *w;
    const char *name; /* the WASI function, for call.deny records */
    uint16_t (*impl)(wctx *, const wb_value *);
    bool legacy;
    bool has_result;
};

void wb_wasi_free(wb_wasi *w)
{
    if (!w)
        return;
    for (size_t i = 0; w->args && i < w->nargs; i++)
        free(w->args[i]);
    for (size_t i = 0; w->env && i < w->nenv; i++)
        free(w->env[i]);
    free(w->args);
    free(w->env);
    for (uint32_t i = 0; i < w->nfds; i++)
        if (w->fds[i].kind != WFD_FREE)
            wasi_fd_release(&w->fds[i]);
    free(w->fds);
    free(w->roots);
    if (w->notice_fd >= 0)
        close(w->notice_fd);
    if (w->wake_fd >= 0)
        close(w->wake_fd);
    while (w->bindings) {
        struct wasi_binding *b = w->bindings;
        w->bindings = b->next;
        free(b);
    }
    free(w);
}

void wb_wasi_interrupt(wb_wasi *w)
{
    __atomic_store_n(&w->interrupted, 1, __ATOMIC_SEQ_CST);
    uint64_t one = 1; /* cannot block (EFD_NONBLOCK) nor overflow (one add per call) */
    (void)!write(w->wake_fd, &one, sizeof one);
}

void wb_wasi_clear_interrupt(wb_wasi *w)
{
    __atomic_store_n(&w->interrupted, 0, __ATOMIC_SEQ_CST);
    uint64_t n;
    (void)!read(w->wake_fd, &n, sizeof n); /* drains it; EAGAIN when it was not set */
}

bool wasi_is_interrupted(const wb_wasi *w)
{
    return __atomic_load_n(&w->interrupted, __ATOMIC_SEQ_CST) != 0;
}

uint64_t wb_wasi_output_total(const wb_wasi *w) { return w->output_total; }

bool wasi_is_map_root(const wb_wasi *w, const struct stat *st)
{
    for (size_t i = 0; i < w->nroots; i++)
        if (w->roots[i].dev == st->st_dev && w->roots[i].ino == st->st_ino)
            return true;
    return false;
}

const char *wasi_host_path(const wb_wasi *w, int dirfd, const char *name, char *buf, size_t len)
{
    if (!w->audit)
        return NULL; /* only the audit log wants it: spare the syscall */
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", dirfd);
    ssize_t n = readlink(proc, buf, len);
    if (n <= 0 || (size_t)n >= len)
        return NULL;
    buf[n] = 0;
    if (name && snprintf(buf + n, len - (size_t)n, "%s%s", n > 1 ? "/" : "", name) >=
                    (int)(len - (size_t)n))
        return NULL;
    return buf;
}

/* ---- guest memory ---- */

uint8_t *wasi_mem(wctx *x, uint64_t ptr, uint64_t len)
{
    wb_memory *m = wb_call_memory(x->call);
    if (!m)
        return NULL;
    uint64_t size = wb_memory_size(m);
    if (ptr > size || len > size - ptr)
        return NULL;
    uint8_t *d = wb_memory_data(m);
    static uint8_t empty[1];
    return d ? d + ptr : empty; /* a memory of size 0: only empty ranges pass */
}

uint16_t wasi_put32(wctx *x, uint32_t ptr, uint32_t v)
{
    uint8_t *p = wasi_mem(x, ptr, 4);
    if (!p)
        return WE_FAULT;
    wput32(p, v);
    return WE_SUCCESS;
}

uint16_t wasi_put64(wctx *x, uint32_t ptr, uint64_t v)
{
    uint8_t *p = wasi_mem(x, ptr, 8);
    if (!p)
        return WE_FAULT;
    wput64(p, v);
    return WE_SUCCESS;
}

uint16_t wasi_need(wctx *x, uint32_t fd, uint64_t rights, wasi_fd **out)
{
    wasi_fd *f = wasi_fd_get(x->w, fd);
    if (!f)
        return WE_BADF;
    if ((f->rights_base & rights) != rights)
        return WE_NOTCAPABLE;
    *out = f;
    return WE_SUCCESS;
}

uint16_t wasi_need_write(wctx *x, uint32_t fd, uint64_t rights, wasi_fd **out)
{
    wasi_fd *f = wasi_fd_get(x->w, fd);
    if (!f)
        return WE_BADF;
    if (f->read_only)
        return WE_ROFS;
    return wasi_need(x, fd, rights, out);
}

unsigned wasi_fd_kind_bit(const wasi_fd *f)
{
    switch (f->kind) {
    case WFD_FILE: return WK_FILE;
    case WFD_DIR: return WK_DIR;
    case WFD_STDIO: return f->is_output ? WK_STDOUT : WK_STDIN;
    default: return 0;
    }
}

uint16_t wasi_need_kind(wctx *x, uint32_t fd, wasi_kinds k, bool write, uint64_t rights,
                        wasi_fd **out)
{
    wasi_fd *f = wasi_fd_get(x->w, fd);
    if (!f)
        return WE_BADF;
    unsigned bit = wasi_fd_kind_bit(f);
    if (!(bit & k.ok))
        return bit == WK_STDIN ? k.stdin_err : bit == WK_STDOUT ? k.stdout_err : WE_BADF;
    return write ? wasi_need_write(x, fd, rights, out) : wasi_need(x, fd, rights, out);
}

void wasi_trap_interrupted(wctx *x)
{
    if (!x->stopped) {
        x->stop = wb_call_trap(x->call, "interrupted");
        x->stopped = true;
    }
}

/* ---- linking ---- */

typedef struct wasi_fn_desc {
    const char *name;
    const char *params; /* 'i' i32, 'I' i64 */
    bool has_result;    /* one i32 (errno) result; only proc_exit has none */
    uint16_t (*impl)(wctx *, const wb_value *);
} wasi_fn_desc;

#define F(n, p) {#n, p, true, wasi_##n}
static const wasi_fn_desc wasi_fns[] = {
    F(args_get, "ii"), F(args_sizes_get, "ii"), F(environ_get, "ii"),
    F(environ_sizes_get, "ii"), F(clock_res_get, "ii"), F(clock_time_get, "iIi"),
    F(fd_advise, "iIIi"), F(fd_allocate, "iII"), F(fd_close, "i"), F(fd_datasync, "i"),
    F(fd_fdstat_get, "ii"), F(fd_fdstat_set_flags, "ii"), F(fd_fdstat_set_rights, "iII"),
    F(fd_filestat_get, "ii"), F(fd_filestat_set_size, "iI"), F(fd_filestat_set_times, "iIIi"),
    F(fd_pread, "iiiIi"), F(fd_prestat_get, "ii"), F(fd_prestat_dir_name, "iii"),
    F(fd_pwrite, "iiiIi"), F(fd_read, "iiii"), F(fd_readdir, "iiiIi"), F(fd_renumber, "ii"),
    F(fd_seek, "iIii"), F(fd_sync, "i"), F(fd_tell, "ii"), F(fd_write, "iiii"),
    F(path_create_directory, "iii"), F(path_filestat_get, "iiiii"),
    F(path_filestat_set_times, "iiiiIIi"), F(path_link, "iiiiiii"),
    F(path_open, "iiiiiIIii"), F(path_readlink, "iiiiii"), F(path_remove_directory, "iii"),
    F(path_rename, "iiiiii"), F(path_symlink, "iiiii"), F(path_unlink_file, "iii"),
    F(poll_oneoff, "iiii"), {"proc_exit", "i", false, wasi_proc_exit}, F(proc_raise, "i"),
    F(sched_yield, ""), F(random_get, "ii"), F(sock_accept, "iii"),
    F(sock_recv, "iiiiii"), F(sock_send, "iiiii"), F(sock_shutdown, "ii"),
};
#undef F

/* The reason of a refusal that is a capability decision, or NULL for an
 * ordinary error (EBADF, ENOENT, ...), which is not audited. */
static const char *refusal(const wctx *x, uint16_t e)
{
    switch (e) {
    case WE_NOTCAPABLE: return x->why ? x->why : "not permitted by the fd's rights";
    case WE_ROFS: return "read-only map";
    case WE_FAULT: return "bad pointer";
    case WE_PERM:
    case WE_ACCES: return "refused";
    default: return NULL;
    }
}

/* Every refusal is audited: path calls say what they refused themselves
 * (fs.deny, with the path); any other call that refuses and has not
 * audited it gets one "call.deny" record naming the call (and its fd). */
static void audit_refusal(wctx *x, const struct wasi_binding *b, const wb_value *args,
                          uint16_t e, uint64_t events_before)
{
    const char *why = refusal(x, e);
    if (!why || x->w->audit_events != events_before)
        return;
    bool takes_fd = !strncmp(b->name, "fd_", 3) || !strncmp(b->name, "sock_", 5);
    const char *errname = wasi_errno_name(e);
    if (takes_fd) {
        uint32_t fd = (uint32_t)args[0].of.i32;
        const wasi_fd *f = wasi_fd_get(x->w, fd);
        WASI_AUDIT(x->w, "call.deny", WB_STR("op", b->name), WB_UINT("fd", fd),
                   WB_STR("fd_path", f ? f->name : NULL), WB_STR("errno", errname),
                   WB_STR("reason", why));
    } else
        WASI_AUDIT(x->w, "call.deny", WB_STR("op", b->name), WB_STR("errno", errname),
                   WB_STR("reason", why));
}

static int trampoline(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    struct wasi_binding *b = user;
    wctx x = {.call = call, .w = b->w, .legacy = b->legacy};
    uint64_t events_before = b->w->audit_events;
    uint16_t e = b->impl(&x, args);
    if (x.stopped)
        return x.stop;
    if (e)
        audit_refusal(&x, b, args, e, events_before);
    if (b->has_result) {
        results[0].type = WB_I32;
        results[0].of.i32 = e;
    }
    return 0;
}

static bool type_matches(const wasi_fn_desc *d, const wb_functype *t)
{
    size_t n = strlen(d->params);
    if (t->nparams != n || t->nresults != (d->has_result ? 1u : 0u))
        return false;
    for (size_t i = 0; i < n; i++)
        if (t->params[i] != (d->params[i] == 'I' ? WB_I64 : WB_I32))
            return false;
    return !d->has_result || t->results[0] == WB_I32;
}

static bool name_is(const char *s, size_t len, const char *lit)
{
    return len == strlen(lit) && !memcmp(s, lit, len);
}

bool wb_wasi_link(wb_wasi *w, wb_store *store, const wb_module *module, wb_extern *imports_out,
                  char *err, size_t errlen)
{
    uint32_t n = wb_module_import_count(module);
    for (uint32_t i = 0; i < n; i++) {
        wb_extern_desc d;
        wb_module_import(module, i, &d);
        int mlen = d.module_len > 200 ? 200 : (int)d.module_len;
        int nlen = d.name_len > 200 ? 200 : (int)d.name_len;
        bool preview1 = name_is(d.module, d.module_len, "wasi_snapshot_preview1");
        bool legacy = name_is(d.module, d.module_len, "wasi_unstable");
        if (!preview1 && !legacy) {
            set_err(err, errlen, "unresolved import %.*s.%.*s (only WASI is provided)", mlen,
                    d.module, nlen, d.name);
            return false;
        }
        /* WASI preview1 passes 32-bit pointers into memory 0 */
        if (wb_module_memory_is64(module, 0)) {
            set_err(err, errlen,
                    "import %.*s.%.*s: memory 0 is a 64-bit memory (memory64), and WASI preview1 "
                    "passes 32-bit pointers into memory 0: build the module for wasm32",
                    mlen, d.module, nlen, d.name);
            return false;
        }
        const wasi_fn_desc *fn = NULL;
        for (size_t k = 0; k < sizeof wasi_fns / sizeof wasi_fns[0]; k++)
            if (name_is(d.name, d.name_len, wasi_fns[k].name))
                fn = &wasi_fns[k];
        if (!fn || d.kind != WB_EXTERN_FUNC) {
            set_err(err, errlen, "unresolved import %.*s.%.*s (no such WASI function)", mlen,
                    d.module, nlen, d.name);
            return false;
        }
        if (!type_matches(fn, &d.func)) {
            set_err(err, errlen, "import %.*s.%.*s: type does not match WASI's", mlen, d.module,
                    nlen, d.name);
            return false;
        }
        struct wasi_binding *b = calloc(1, sizeof *b);
        if (!b) {
            set_err(err, errlen, "out of memory");
            return false;
        }
        b->w = w;
        b->name = fn->name;
        b->impl = fn->impl;
        b->legacy = legacy;
        b->has_result = fn->has_result;
        b->next = w->bindings;
        w->bindings = b;
        wb_func *f = wb_func_new_host(store, &d.func, trampoline, b);
        if (!f) {
            set_err(err, errlen, "import %.*s.%.*s: cannot create host function", mlen,
                    d.module, nlen, d.name);
            return false;
        }
        imports_out[i].kind = WB_EXTERN_FUNC;
        imports_out[i].of.func = f;
    }
    return true;
}

wb_status wb_wasi_run_start(wb_wasi *w, wb_store *store, wb_instance *inst, int *exit_code,
                            char *err, size_t errlen)
{
    *exit_code = 0;
    wb_extern ex;
    if (!wb_instance_export(inst, "_start", 6, &ex) || ex.kind != WB_EXTERN_FUNC) {
        set_err(err, errlen, "the module exports no _start function");
        return WB_BAD_CALL;
    }
    wb_status s = wb_func_call(store, ex.of.func, NULL, 0, NULL, 0);
    if (s == WB_EXIT) {
        *exit_code = wb_store_exit_code(store);
    } else if (s == WB_OK) {
        WASI_AUDIT_ONCE(w, "proc.exit", WB_INT("code", 0), WB_STR("via", "return"));
    } else {
        set_err(err, errlen, "%s", wb_store_trap_message(store));
        WASI_AUDIT_ONCE(w, "proc.trap", WB_STR("message", wb_store_trap_message(store)));
    }
    return s;
}
