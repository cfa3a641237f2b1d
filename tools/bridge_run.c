/* Running one tool call: a fresh store, WASI shim and instance of the tool's
 * shared compiled module, under the call's grant, with stdin, stdout and
 * stderr in memory.
 *
 * The three streams are memfd files (memory-backed, never on disk): the
 * input is written to one before the run, and the shim writes the tool's
 * output to the others as to any regular file, so a write never blocks
 * whatever the tool prints, and the shim's output cap (max_output, stdout and
 * stderr together) bounds how much memory they take. No change to wasi/ was
 * needed for that, and no thread per stream. The files are the calling
 * thread's, reset between its calls (bridge_stdio.c). */
#include "bridge_internal.h"

#include "../net/guest_http.h"
#include "../wasi/wasi.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Guest frame names are the guest's bytes: shown as printable ASCII only. */
static void frame_text(const wb_frame *f, char *buf, size_t len)
{
    char name[200] = "";
    if (f->name) {
        size_t at = 0;
        name[at++] = ' ';
        name[at++] = '<';
        for (const unsigned char *p = (const unsigned char *)f->name; *p && at + 8 < sizeof name;
             p++) {
            if (*p >= 0x20 && *p < 0x7F && *p != '\\')
                name[at++] = (char)*p;
            else
                at += (size_t)snprintf(name + at, sizeof name - at, "\\x%02x", *p);
        }
        name[at++] = '>';
        name[at] = 0;
    }
    snprintf(buf, len, "function %u%s at offset 0x%zx", f->func_index, name, f->offset);
}

/* The whole content of a memfd, NUL-terminated. */
static char *slurp(int fd, size_t *len)
{
    struct stat sb;
    *len = 0;
    if (fd < 0 || fstat(fd, &sb) != 0 || sb.st_size < 0)
        return NULL;
    size_t n = (size_t)sb.st_size;
    char *buf = malloc(n + 1);
    if (!buf)
        return NULL;
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, buf + got, n - got, (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    buf[got] = 0;
    *len = got;
    return buf;
}

static void set(wbt_run *r, wbt_status st, const char *limit, const char *fmt, const char *arg)
{
    r->status = st;
    r->limit = limit;
    snprintf(r->message, sizeof r->message, fmt, arg);
}

static bool link_wasi(void *wasi, wb_store *store, const wb_module *module, wb_extern *imports,
                      char *err, size_t errlen)
{
    return wb_wasi_link(wasi, store, module, imports, err, errlen);
}

/* limit.memory, as `wasmbox run` audits it. */
static void audit_budget(void *user, uint64_t requested, uint64_t used, uint64_t limit)
{
    WB_AUDIT((wb_audit *)user, "limit.memory", WB_UINT("requested_bytes", requested),
             WB_UINT("used_bytes", used), WB_UINT("max_memory", limit));
}

/* How a stopped run is told: the watchdog's reason first (an interrupted
 * blocking call reports itself as a host trap), then the engine's status. */
static void classify(wbt_run *r, wb_status st, const char *msg, wbt_stop why, const wb_policy *p,
                     wb_store *store)
{
    char text[160];
    if (why == WBT_STOP_CANCEL && (st == WB_TRAP_INTERRUPTED || st == WB_TRAP_HOST)) {
        set(r, WBT_CANCELLED, NULL, "%s", "cancelled");
    } else if (why == WBT_STOP_OUTPUT && (st == WB_TRAP_INTERRUPTED || st == WB_TRAP_HOST)) {
        snprintf(text, sizeof text,
                 "the tool's output passed its limit of %llu bytes (stdout and stderr together; "
                 "max_output)", (unsigned long long)p->max_output);
        set(r, WBT_LIMIT, "output", "%s", text);
    } else if (why == WBT_STOP_TIMEOUT && (st == WB_TRAP_INTERRUPTED || st == WB_TRAP_HOST)) {
        snprintf(text, sizeof text, "timeout after %llu ms", (unsigned long long)p->timeout_ms);
        set(r, WBT_LIMIT, "timeout", "%s", text);
    } else if (st == WB_TRAP_OUT_OF_FUEL) {
        set(r, WBT_LIMIT, "fuel", "%s", "out of fuel");
    } else {
        wb_frame f;
        if (wb_store_trap_frames(store, &f, 1) == 1) {
            char where[300];
            frame_text(&f, where, sizeof where);
            snprintf(r->message, sizeof r->message, "trap: %.500s in %s", msg, where);
            r->status = WBT_TRAP;
        } else {
            set(r, WBT_TRAP, NULL, "trap: %s", msg);
        }
    }
}

/* Instantiation reports a stop as text only. */
static wb_status instantiate_status(const char *msg)
{
    if (!strcmp(msg, wb_status_message(WB_TRAP_OUT_OF_FUEL)))
        return WB_TRAP_OUT_OF_FUEL;
    if (!strcmp(msg, wb_status_message(WB_TRAP_INTERRUPTED)) || !strcmp(msg, "interrupted"))
        return WB_TRAP_INTERRUPTED;
    return WB_TRAP_UNREACHABLE;
}

typedef struct parts {
    int in, out, err;
    int abort; /* eventfd: a cancel wakes guest HTTP waits */
    wbt_stdio io; /* the four above, the thread's kept set */
    wb_wasi *wasi;
    wb_store *store;
    wb_guest_http *http;
    wb_extern *imports;
} parts;

static void execute(const wbt_tool *t, const wbt_grant *g, parts *x, const wbt_call_opts *opts,
                    wbt_run *r)
{
    char err[512];
    wbt_watch_cfg wc = {.timeout_ms = g->policy.timeout_ms, .store = x->store, .wasi = x->wasi,
                        .cancel = opts ? opts->cancel : NULL,
                        .progress = opts ? opts->progress : NULL,
                        .progress_ud = opts ? opts->progress_ud : NULL,
                        .progress_ms = opts ? opts->progress_ms : 0,
                        .out_fd = x->out, .err_fd = x->err, .max_output = g->policy.max_output,
                        .http = x->http, .abort_fd = x->abort};
    uint64_t t0 = wbt_now_ms();
    wbt_watch *w = wbt_watch_start(&wc);
    if (!w) {
        set(r, WBT_ERROR, NULL, "%s", "cannot start the call's watchdog thread");
        return;
    }
    if (g->policy.timeout_ms != WB_UNLIMITED)
        wb_guest_http_set_deadline(x->http, wbt_watch_deadline_ms(w));
    wb_error werr;
    memset(&werr, 0, sizeof werr);
    wb_instance *inst = wb_instantiate(x->store, t->module, x->imports,
                                       wb_module_import_count(t->module), &werr);
    wb_status st = WB_OK;
    int code = 0;
    if (inst)
        st = wb_wasi_run_start(x->wasi, x->store, inst, &code, err, sizeof err);
    wbt_stop why = wbt_watch_stop(w);
    r->wall_ms = wbt_now_ms() - t0;
    if (!inst) {
        if (werr.kind == WB_ERR_LIMIT)
            set(r, WBT_LIMIT, "memory", "%s", werr.message);
        else if (werr.kind == WB_ERR_TRAP)
            classify(r, instantiate_status(werr.message), werr.message, why, &g->policy,
                     x->store);
        else
            set(r, WBT_ERROR, NULL, "cannot instantiate the tool's module: %s", werr.message);
    } else if (st == WB_OK || st == WB_EXIT) {
        r->status = WBT_EXITED;
        r->exit_code = code;
        r->message[0] = 0;
    } else {
        classify(r, st, err, why, &g->policy, x->store);
    }
}

void wbt_run_tool(const wbt_tool *t, const wbt_grant *g, const char *workspace, const char *input,
                  size_t input_len, const wbt_call_opts *opts, wb_audit *audit, wbt_run *r)
{
    memset(r, 0, sizeof *r);
    parts x = {.in = -1, .out = -1, .err = -1, .abort = -1,
               .io = {.in = -1, .out = -1, .err = -1, .abort = -1}};
    char err[512];
    const wb_policy *p = &g->policy;
    if (!wbt_stdio_take(&x.io, input, input_len)) {
        set(r, WBT_ERROR, NULL, "cannot make the tool's in-memory stdio: %s", strerror(errno));
        goto out;
    }
    x.in = x.io.in;
    x.out = x.io.out;
    x.err = x.io.err;
    x.abort = x.io.abort;
    const char *argv[] = {t->name};
    wb_wasi_dir dir = {.host_path = workspace, .guest_path = workspace,
                       .read_only = g->fs != WBT_FS_WRITE};
    wb_wasi_config wc = wb_wasi_default_config();
    wc.args = argv;
    wc.nargs = 1;
    wc.env = (const char *const *)p->env;
    wc.nenv = p->nenv;
    wc.dirs = &dir;
    wc.ndirs = g->fs != WBT_FS_NONE ? 1 : 0;
    wc.stdin_fd = x.in;
    wc.stdout_fd = x.out;
    wc.stderr_fd = x.err;
    wc.max_output = p->max_output == WB_UNLIMITED ? WB_WASI_NO_OUTPUT_LIMIT : p->max_output;
    wc.allow_symlink_dotdot = p->allow_symlink_dotdot;
    wc.audit = audit;
    x.wasi = wb_wasi_new(&wc, err, sizeof err);
    if (!x.wasi) {
        set(r, WBT_ERROR, NULL, "%s", err);
        goto out;
    }
    wb_limits lim = wb_default_limits();
    if (p->fuel != WB_UNLIMITED)
        lim.fuel = p->fuel;
    if (p->max_memory != WB_UNLIMITED)
        lim.max_memory = p->max_memory;
    lim.max_stack = p->max_stack > SIZE_MAX ? SIZE_MAX : (size_t)p->max_stack;
    x.store = wb_store_new(&lim);
    uint32_t nimports = wb_module_import_count(t->module);
    x.imports = calloc(nimports + 1, sizeof *x.imports);
    wb_net_options nopts;
    wb_net_options_init(&nopts, p);
    nopts.audit = audit;
    nopts.abort_fd = x.abort;
    x.http = wb_guest_http_new(&nopts, p->timeout_ms);
    if (!x.store || !x.imports || !x.http) {
        set(r, WBT_ERROR, NULL, "%s", "out of memory");
        goto out;
    }
    if (audit)
        wb_store_on_budget_refusal(x.store, audit_budget, audit);
    if (nimports && !wb_guest_http_link(x.http, x.store, t->module, link_wasi, x.wasi, x.imports,
                                        err, sizeof err)) {
        set(r, WBT_ERROR, NULL, "cannot link the tool's module: %s", err);
        goto out;
    }
    execute(t, g, &x, opts, r);
    r->fuel_used = wb_store_fuel_used(x.store);
    r->peak_memory = wb_store_peak_memory(x.store);
    r->output_cut = p->max_output != WB_UNLIMITED && wb_wasi_output_total(x.wasi) > p->max_output;
out:
    r->out = slurp(x.out, &r->out_len);
    r->err = slurp(x.err, &r->err_len);
    wb_guest_http_free(x.http);
    free(x.imports);
    wb_store_free(x.store);
    wb_wasi_free(x.wasi);
    wbt_stdio_give(&x.io);
}

void wbt_run_free(wbt_run *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}
