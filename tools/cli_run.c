/* `wasmbox run [OPTIONS] FILE.wasm [ARGS...]`: run a WASI command (its
 * `_start`) or, with --invoke, one export called with values from the command
 * line, inside the sandbox a policy describes.
 *
 * Order of work: options → policy (file, then flags over it, then check) →
 * report file → module → sandbox (WASI, limits, audit) → link → timer →
 * instantiate → call → outcome (stderr line, exit code, report, audit).
 * Nothing of the guest runs until the whole policy has passed. Every failure
 * is an outcome with a message, so once the report path is known a report is
 * written whatever happens (unless that path itself is unusable). */
#include "cli.h"
#include "cli_opts.h"
#include "cli_wasmtime.h"
#include "code_cache.h"
#include "module_digest.h"
#include "../net/guest_http.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct run_opts {
    const char *invoke;
    const char *policy_file;
    const char *report;
    const char *opt;    /* --opt: "0" the reference translation, "1" the default */
    const char *version; /* --wasm-version: "2.0" or "3.0" (the default) */
    wb_features features; /* what version names (vm.h, the feature profile) */
    const char *argv0;  /* --argv0: the guest's argv[0] instead of the file name */
    const char *path;   /* the module file; "-" is stdin */
    char **args; /* after FILE: guest argv[1..], or --invoke's values */
    int nargs;
    cli_flag_list flags; /* policy flags and -W keys, applied after --policy */
    bool help;           /* -h/--help: print it, run nothing */
} run_opts;

enum { R_INVOKE, R_POLICY, R_REPORT, R_OPT, R_VERSION, R_ARGV0, R_WASM, R_WASI };

static const cli_opt run_table[] = {
    {"--policy", NULL, "FILE", "the policy file (JSON; policy/README.md)", R_POLICY},
    {"--invoke", NULL, "NAME", "call export NAME with ARGS as its values, print the results",
     R_INVOKE},
    {"--argv0", NULL, "NAME", "the guest's argv[0] (default: the module's file name)", R_ARGV0},
    {"--report", NULL, "FILE", "write how the run ended as JSON", R_REPORT},
    {"--opt", NULL, "0|1", "0: the reference translation; 1: optimised (default; WASMBOX_OPT)",
     R_OPT},
    {"--wasm-version", NULL, "2.0|3.0",
     "the rules where WebAssembly 2.0 and 3.0 differ (default 3.0; vm/README.md)", R_VERSION},
    {"--wasm", "-W", "KEY=VALUE[,...]",
     "Wasmtime's spelling: fuel, timeout, max-memory-size, max-wasm-stack", R_WASM},
    {"--wasi", "-S", "KEY[=VALUE][,...]",
     "Wasmtime's spelling: cli (always on); inherit-env, inherit-network refused", R_WASI},
};

const cli_command cli_cmd_run = {
    "run", "[OPTIONS] FILE.wasm [ARGS...]",
    "run a WASI command (_start) in a sandbox; ARGS are its argv[1..];\n"
    "FILE - reads the module from stdin",
    CLI_OPTS(run_table), true,
    "Wasmtime's spellings are read as ours: -W fuel=N,timeout=5s,\n"
    "max-memory-size=64MiB,max-wasm-stack=1MiB; --dir HOST (the same path in\n"
    "the guest; . at /); --env NAME.\n"
    "exit codes: the guest's own; 1 rejected input (bad module or policy),\n"
    "2 usage, 133 uncaught exception, 134 trap, 137 limit (fuel, timeout)\n",
};

/* The module's exported function `name`, from its descriptors (so arguments
 * can be checked before anything is instantiated). */
static bool find_export(const wb_module *m, const char *name, wb_functype *type)
{
    size_t len = strlen(name);
    for (uint32_t i = 0; i < wb_module_export_count(m); i++) {
        wb_extern_desc d;
        wb_module_export(m, i, &d);
        if (d.kind == WB_EXTERN_FUNC && d.name_len == len && !memcmp(d.name, name, len)) {
            *type = d.func;
            return true;
        }
    }
    return false;
}

/* The run's moving parts, freed together. */
typedef struct run {
    run_opts o;
    wb_policy policy;
    cli_sandbox sb;
    bool have_sb;
    FILE *report;
    uint8_t *bytes;
    size_t len;
    wb_store *store;
    wb_wasi *wasi;
    wb_guest_http *http; /* the wasmbox_http imports, under the same policy */
    wb_module *module;
    wb_extern *imports;
    wb_value *args, *results;
    wb_functype type;
    cli_code_cache cache; /* policy cache_dir (code_cache.h) */
    cli_timer *timer;    /* with a timeout: lives until the run's end is written */
    uint64_t t0;         /* when the guest started (cli_now_ms) */
    cli_outcome out;
    bool show_usage; /* a command-line mistake: print the usage too */
} run;

/* The run did not happen: the command line, the policy, the report path,
 * load, link or set-up failed. The message says why; it is never empty (it
 * goes to stderr, the report and the audit log). */
__attribute__((format(printf, 3, 4))) static void set_error(run *r, int exit_code,
                                                            const char *fmt, ...)
{
    r->out.status = CLI_STATUS_ERROR;
    r->out.exit_code = exit_code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->out.message, sizeof r->out.message, fmt, ap);
    va_end(ap);
}

/* A mistake on the command line: the message, then the usage. */
#define usage_error(r, ...)                                                                  \
    do {                                                                                     \
        set_error(r, CLI_EXIT_USAGE, __VA_ARGS__);                                           \
        (r)->show_usage = true;                                                              \
    } while (0)

/* An option naming one thing (a file, an export) given twice would silently
 * drop one of them. */
static bool set_once(run *r, const char **field, const char *name, const char *value)
{
    if (*field) {
        usage_error(r, "%s given twice ('%s', then '%s'); give it once", name, *field, value);
        return false;
    }
    *field = value;
    return true;
}

/* Reads the options. Policy flags (and -W keys) are collected and applied
 * after the --policy file wherever it stands, so that flags always win over
 * the file. On a mistake, what was read before it (a --report path) stays in
 * r->o. */
static bool parse_opts(run *r, int argc, char **argv)
{
    run_opts *o = &r->o;
    int i = 0;
    while (i < argc) {
        cli_arg a;
        int at = i;
        cli_arg_kind k = cli_next_arg(&cli_cmd_run, argc, argv, &i, &a);
        if (k == CLI_ARG_POSITIONAL) {
            i = at;
            break;
        }
        if (k == CLI_ARG_DASHDASH)
            break;
        if (k == CLI_ARG_HELP) {
            o->help = true;
            return false;
        }
        if (k == CLI_ARG_ERROR) {
            usage_error(r, "%s", a.msg);
            return false;
        }
        if (k == CLI_ARG_POLICY) {
            if (!cli_flag_list_add(&o->flags, cli_policy_flag_name(a.name), a.name, NULL,
                                   a.value)) {
                set_error(r, CLI_EXIT_FAIL, "out of memory");
                return false;
            }
            continue;
        }
        bool ok = true;
        char err[512];
        switch (a.opt->id) {
        case R_INVOKE: ok = set_once(r, &o->invoke, a.name, a.value); break;
        case R_POLICY: ok = set_once(r, &o->policy_file, a.name, a.value); break;
        case R_REPORT: ok = set_once(r, &o->report, a.name, a.value); break;
        case R_OPT: ok = set_once(r, &o->opt, a.name, a.value); break;
        case R_VERSION: ok = set_once(r, &o->version, a.name, a.value); break;
        case R_ARGV0: ok = set_once(r, &o->argv0, a.name, a.value); break;
        case R_WASM:
        case R_WASI:
            if (!cli_wasmtime_expand(a.opt->id == R_WASM ? "-W" : "-S", a.value, &o->flags, err,
                                     sizeof err)) {
                usage_error(r, "%s", err);
                return false;
            }
            break;
        }
        if (!ok)
            return false;
    }
    if (!o->opt)
        o->opt = getenv("WASMBOX_OPT");
    if (o->opt && strcmp(o->opt, "0") && strcmp(o->opt, "1")) {
        usage_error(r, "--opt (or WASMBOX_OPT) must be 0 (reference translation) or 1 "
                       "(optimised, the default), not '%s'", o->opt);
        return false;
    }
    o->features = WB_FEATURES_3_0;
    if (o->version && !wb_features_parse(o->version, &o->features)) {
        usage_error(r, "--wasm-version must be 2.0 or 3.0 (the default), not '%s'", o->version);
        return false;
    }
    if (i >= argc) {
        usage_error(r, "no module file given");
        return false;
    }
    o->path = argv[i++];
    o->args = argv + i;
    o->nargs = argc - i;
    return true;
}

/* Builds the policy: file, flags, guest arguments, then the whole-policy check. */
static bool build_policy(run *r)
{
    const run_opts *o = &r->o;
    wb_policy *p = &r->policy;
    char err[WB_POLICY_ERR_MAX];
    bool ok = !o->policy_file || wb_policy_load_file(p, o->policy_file, err, sizeof err);
    for (size_t i = 0; ok && i < o->flags.count; i++) {
        const cli_flag *f = &o->flags.items[i];
        ok = wb_policy_apply_flag_as(p, f->flag, f->origin, f->value, err, sizeof err);
    }
    for (int i = 0; ok && !o->invoke && i < o->nargs; i++)
        ok = wb_policy_add_arg(p, o->args[i], err, sizeof err);
    ok = ok && wb_policy_check(p, err, sizeof err);
    if (!ok)
        set_error(r, CLI_EXIT_FAIL, "%s", err);
    return ok;
}

/* Whether path and other name the same existing file. */
static bool same_file(const char *path, const char *other)
{
    struct stat a, b;
    return other && stat(path, &a) == 0 && stat(other, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

/* Opens (and so truncates) the report file: from here on no failure can
 * leave an older run's report behind. A path that is one of the run's own
 * files is refused before anything is truncated. */
static bool open_report(run *r, char *err, size_t errlen)
{
    const char *path = r->o.report;
    static const char *const roles[] = {"the module", "the policy file", "the audit log"};
    const char *files[] = {r->o.path, r->o.policy_file, r->policy.audit};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        if (same_file(path, files[i])) {
            snprintf(err, errlen, "--report: %s is %s; give another path", path, roles[i]);
            return false;
        }
    }
    r->report = fopen(path, "w");
    if (!r->report) {
        snprintf(err, errlen, "--report: %s: %s", path, strerror(errno));
        return false;
    }
    return true;
}

/* Guest exit codes outside 0..255 cannot be a process's; they become 1 so a
 * failure never reads as success (the report keeps the real one). */
static int process_code(int guest)
{
    return guest >= 0 && guest <= 255 ? guest : 1;
}

static void set_exited(run *r, int guest)
{
    r->out.status = CLI_STATUS_EXITED;
    r->out.guest_exit_code = guest;
    r->out.exit_code = process_code(guest);
}

static void set_limit(run *r, const char *limit, const char *msg)
{
    r->out.status = CLI_STATUS_LIMIT;
    r->out.exit_code = CLI_EXIT_LIMIT;
    r->out.limit = limit;
    snprintf(r->out.message, sizeof r->out.message, "%s", msg);
}

static void set_trap(run *r, const char *msg)
{
    r->out.status = CLI_STATUS_TRAP;
    r->out.exit_code = CLI_EXIT_TRAP;
    snprintf(r->out.message, sizeof r->out.message, "%s", msg);
}

/* An exception nothing caught: its own status and exit code; the message
 * names the tag (the store's text after "uncaught exception: "). */
static void set_exception(run *r, const char *msg)
{
    static const char prefix[] = "uncaught exception: ";
    r->out.status = CLI_STATUS_EXCEPTION;
    r->out.exit_code = CLI_EXIT_EXCEPTION;
    if (!strncmp(msg, prefix, sizeof prefix - 1))
        msg += sizeof prefix - 1;
    snprintf(r->out.message, sizeof r->out.message, "%s", msg);
}

static void set_timeout(run *r)
{
    char text[64];
    snprintf(text, sizeof text, "timeout after %llu ms", (unsigned long long)r->policy.timeout_ms);
    set_limit(r, "timeout", text);
}

/* A stop of the guest's code: a limit when fuel or the clock ran out (the
 * shim's blocking calls report an interrupt as a host trap), else a trap. */
static void classify_stop(run *r, wb_status st, const char *msg, bool timed_out)
{
    if (timed_out && (st == WB_TRAP_INTERRUPTED || st == WB_TRAP_HOST)) {
        set_timeout(r);
    } else if (st == WB_TRAP_OUT_OF_FUEL) {
        set_limit(r, "fuel", wb_status_message(st));
    } else if (st == WB_TRAP_INTERRUPTED) {
        set_limit(r, "interrupt", msg);
    } else if (st == WB_EXCEPTION) {
        set_exception(r, msg);
    } else {
        set_trap(r, msg);
    }
}

/* The status behind a failed instantiation, which reports only text. */
static wb_status instantiate_status(const run *r)
{
    const char *msg = wb_store_trap_message(r->store);
    static const wb_status known[] = {WB_TRAP_OUT_OF_FUEL, WB_TRAP_INTERRUPTED};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (!strcmp(msg, wb_status_message(known[i])))
            return known[i];
    if (!strncmp(msg, "uncaught exception", strlen("uncaught exception")))
        return WB_EXCEPTION; /* the start function threw */
    return strcmp(msg, "interrupted") ? WB_TRAP_UNREACHABLE : WB_TRAP_HOST;
}

static bool parse_invoke_args(run *r)
{
    const run_opts *o = &r->o;
    if ((uint32_t)o->nargs != r->type.nparams) {
        set_error(r, CLI_EXIT_USAGE, "%s takes %u argument(s), %d given", o->invoke,
                  r->type.nparams, o->nargs);
        return false;
    }
    r->args = calloc(r->type.nparams + 1, sizeof *r->args);
    r->results = calloc(r->type.nresults + 1, sizeof *r->results);
    if (!r->args || !r->results) {
        set_error(r, CLI_EXIT_FAIL, "out of memory");
        return false;
    }
    for (uint32_t i = 0; i < r->type.nparams; i++) {
        const char *why = NULL;
        if (!cli_parse_value(o->args[i], r->type.params[i], &r->args[i], &why)) {
            set_error(r, CLI_EXIT_USAGE, "argument %u: '%s' %s", i + 1, o->args[i], why);
            return false;
        }
    }
    return true;
}

static void hard_stop(void *user, bool guest_stopped);

/* Instantiates and calls, under the timer. Fills r->out. */
static void execute(run *r)
{
    char err[512];
    uint32_t nimports = wb_module_import_count(r->module);
    r->t0 = cli_now_ms();
    if (r->policy.timeout_ms != WB_UNLIMITED) {
        r->timer = cli_timer_start(r->policy.timeout_ms, r->store, r->wasi, hard_stop, r, err,
                                   sizeof err);
        if (!r->timer) {
            set_error(r, CLI_EXIT_FAIL, "%s", err);
            return;
        }
        wb_guest_http_set_deadline(r->http, cli_timer_deadline_ms(r->timer));
    }
    wb_error werr;
    memset(&werr, 0, sizeof werr);
    wb_instance *inst = wb_instantiate(r->store, r->module, r->imports, nimports, &werr);
    wb_status st = WB_OK;
    int guest_code = 0;
    const char *msg = "";
    if (inst && !r->o.invoke) {
        st = wb_wasi_run_start(r->wasi, r->store, inst, &guest_code, err, sizeof err);
        msg = err;
    } else if (inst) {
        wb_extern ext;
        wb_instance_export(inst, r->o.invoke, strlen(r->o.invoke), &ext);
        st = wb_func_call(r->store, ext.of.func, r->args, r->type.nparams, r->results,
                          r->type.nresults);
        if (st == WB_EXIT)
            guest_code = wb_store_exit_code(r->store);
        msg = wb_store_trap_message(r->store);
    }
    bool timed_out = cli_timer_stop(r->timer);
    r->out.wall_ms = cli_now_ms() - r->t0;

    if (!inst) {
        if (werr.kind == WB_ERR_TRAP)
            classify_stop(r, instantiate_status(r), werr.message, timed_out);
        else if (werr.kind == WB_ERR_LIMIT)
            set_limit(r, "memory", werr.message);
        else
            set_error(r, CLI_EXIT_FAIL, "%s: %s", r->o.path, werr.message);
    } else if (st == WB_OK || st == WB_EXIT) {
        set_exited(r, guest_code);
        for (uint32_t i = 0; r->o.invoke && st == WB_OK && i < r->type.nresults; i++) {
            char buf[64];
            cli_format_value(&r->results[i], buf, sizeof buf);
            printf("%s\n", buf);
        }
    } else if (st == WB_BAD_CALL) {
        set_error(r, CLI_EXIT_FAIL, "%s: %s", r->o.path, msg);
    } else {
        classify_stop(r, st, msg, timed_out);
    }
}

static void finish_numbers(run *r)
{
    if (r->store) {
        r->out.fuel_used = wb_store_fuel_used(r->store);
        r->out.peak_memory = wb_store_peak_memory(r->store);
        if (r->out.status == CLI_STATUS_TRAP || r->out.status == CLI_STATUS_LIMIT ||
            r->out.status == CLI_STATUS_EXCEPTION)
            r->out.nframes = wb_store_trap_frames(r->store, r->out.frames, WB_MAX_TRAP_FRAMES);
    }
    if (r->wasi)
        r->out.output_bytes = wb_wasi_output_total(r->wasi);
}

/* WASI links every import that is not wasmbox_http's. */
static bool link_wasi(void *wasi, wb_store *store, const wb_module *module, wb_extern *imports,
                      char *err, size_t errlen)
{
    return wb_wasi_link(wasi, store, module, imports, err, errlen);
}

/* Loads, links and runs; every failure after the policy passed is an outcome
 * (reported and audited), not an early return. */
static void load_and_run(run *r)
{
    char err[512];
    /* The cache and the audit log both want the module's SHA-256: taken
     * piece by piece as the file is read (module_digest.h), once for both. */
    cli_module_digest digest;
    cli_read_hook hook = {cli_module_digest_read, &digest, false};
    bool hashing = r->policy.cache_dir || r->policy.audit;
    if (hashing)
        cli_module_digest_begin(&digest);
    r->bytes = cli_read_file_hooked(r->o.path, &r->len, hashing ? &hook : NULL, err, sizeof err);
    unsigned char sha256[32];
    const unsigned char *hashed = NULL; /* NULL: each user hashes the bytes itself */
    if (hashing) {
        /* a text module's digest is of its binary, hashed later */
        bool same = r->bytes && hook.whole;
        if (cli_module_digest_end(&digest, r->bytes, same ? r->len : 0, sha256) && same)
            hashed = sha256;
    }
    if (!r->bytes) {
        set_error(r, CLI_EXIT_FAIL, "%s", err);
        return;
    }
    if (!cli_sandbox_init(&r->sb, &r->policy, r->o.path, err, sizeof err)) {
        set_error(r, CLI_EXIT_FAIL, "%s", err);
        return;
    }
    r->have_sb = true;
    if (r->o.argv0)
        r->sb.argv[0] = r->o.argv0;
    cli_sandbox_audit_start(&r->sb, &r->policy, r->o.path, r->bytes, r->len, hashed);
    r->wasi = wb_wasi_new(&r->sb.wasi, err, sizeof err);
    if (!r->wasi) {
        set_error(r, CLI_EXIT_FAIL, "%s", err);
        return;
    }
    r->store = wb_store_new(&r->sb.limits);
    if (!r->store) {
        set_error(r, CLI_EXIT_FAIL, "out of memory");
        return;
    }
    cli_sandbox_watch_store(&r->sb, r->store);
    if (r->o.opt && !strcmp(r->o.opt, "0"))
        wb_store_set_translation(r->store, WB_TRANSLATE_REFERENCE);
    wb_store_set_features(r->store, r->o.features);
    cli_cache_open(&r->cache, r->policy.cache_dir, r->bytes, r->len, hashed,
                   r->o.opt && !strcmp(r->o.opt, "0") ? WB_TRANSLATE_REFERENCE : WB_TRANSLATE_OPTIMIZED,
                   r->sb.audit);
    wb_error werr;
    memset(&werr, 0, sizeof werr);
    const char *kind = cli_module_kind_problem(r->bytes, r->len);
    if (kind) {
        set_error(r, CLI_EXIT_FAIL, "%s: %s", r->o.path, kind);
        return;
    }
    /* the module takes the file's bytes over: a large module is in memory
     * once, not twice. An authenticated cache entry vouches that these
     * exact bytes validated before, and gives the offsets of its bodies:
     * each body's entry is then decoded and checked just before its first
     * use instead of all now (code_cache.h). */
    r->module = cli_cache_load_module(&r->cache, r->store, r->bytes, r->len, &werr);
    r->bytes = NULL;
    if (!r->module) {
        set_error(r, CLI_EXIT_FAIL, "%s: %s", r->o.path, werr.message);
        return;
    }
    cli_cache_load(&r->cache, r->module);
    const char *name = r->o.invoke ? r->o.invoke : "_start";
    if (!find_export(r->module, name, &r->type)) {
        set_error(r, CLI_EXIT_FAIL, "%s: no exported function '%s'", r->o.path, name);
        return;
    }
    if (!r->o.invoke && (r->type.nparams || r->type.nresults)) {
        set_error(r, CLI_EXIT_FAIL, "%s: _start must take and return nothing", r->o.path);
        return;
    }
    if (r->o.invoke && !parse_invoke_args(r))
        return;
    uint32_t nimports = wb_module_import_count(r->module);
    r->imports = calloc(nimports + 1, sizeof *r->imports);
    if (!r->imports) {
        set_error(r, CLI_EXIT_FAIL, "out of memory");
        return;
    }
    wb_net_options nopts;
    wb_net_options_init(&nopts, &r->policy);
    nopts.audit = r->sb.audit;
    r->http = wb_guest_http_new(&nopts, r->policy.timeout_ms);
    if (!r->http) {
        set_error(r, CLI_EXIT_FAIL, "out of memory");
        return;
    }
    if (nimports && !wb_guest_http_link(r->http, r->store, r->module, link_wasi, r->wasi,
                                        r->imports, err, sizeof err)) {
        set_error(r, CLI_EXIT_FAIL, "%s: %s", r->o.path, err);
        return;
    }
    execute(r);
}

/* The closing lines on stderr. After a deadline they must not wait long for
 * a reader that stopped reading (wait_ms; -1 without a deadline). */
static void print_outcome(const run *r, int wait_ms)
{
    const cli_outcome *o = &r->out;
    switch (o->status) {
    case CLI_STATUS_EXITED: break;
    case CLI_STATUS_TRAP: cli_print_stop(2, wait_ms, "trap", o); break;
    case CLI_STATUS_EXCEPTION: cli_print_stop(2, wait_ms, "uncaught exception", o); break;
    case CLI_STATUS_LIMIT: cli_write_line(2, wait_ms, "wasmbox: limit: %s", o->message); break;
    case CLI_STATUS_ERROR:
        cli_write_line(2, wait_ms, "wasmbox: %s", o->message);
        if (r->show_usage)
            cli_write_line(2, wait_ms,
                           "usage: wasmbox run %s\n(`wasmbox run --help` lists the options)",
                           cli_cmd_run.synopsis);
        break;
    }
}

/* The timer's last resort (cli_timer.c), on its thread; the process exits
 * with CLI_EXIT_LIMIT right after. Either the guest was still not stopped
 * CLI_HARD_STOP_MS after its deadline (stuck in a host call nothing
 * interrupts), or the run's end could not be written by then. In the first
 * case the main thread is stuck inside the guest's call and touches nothing
 * of r until cli_timer_stop, which never returns now: so the outcome, the
 * report and the audit records are written here, the numbers as far as the
 * guest got. In the second the main thread is in the middle of writing them:
 * only a line is added. */
static void hard_stop(void *user, bool guest_stopped)
{
    run *r = user;
    /* Each piece may block (CLI_BACKSTOP_MS ends them all): the report
     * first, the lines with a short wait, the audit log (whose lock the
     * stuck thread may hold) last. */
    int wait = CLI_BACKSTOP_MS / 4;
    if (guest_stopped) {
        cli_write_line(2, wait,
                       "wasmbox: limit: timeout after %llu ms (the run's results, report or "
                       "audit log could not be written within %d ms: is their reader stuck?)",
                       (unsigned long long)r->policy.timeout_ms, CLI_HARD_STOP_MS);
        return;
    }
    set_timeout(r);
    r->out.wall_ms = cli_now_ms() - r->t0;
    finish_numbers(r);
    char err[512];
    bool reported = !r->report ||
                    cli_report_write(r->report, r->o.report, r->o.path, &r->out, err, sizeof err);
    print_outcome(r, wait);
    cli_write_line(2, wait,
                   "wasmbox: the guest was still in a host call %d ms after the deadline; "
                   "ended the process",
                   CLI_HARD_STOP_MS);
    if (!reported)
        cli_write_line(2, wait, "wasmbox: %s", err);
    cli_report_audit(&r->sb, &r->out);
}

/* The store (the module, its instance, their memories) is the one thing a
 * run's end frees that is large: main returns right after, and the OS takes
 * the process's memory back at once, so freeing a large module's objects
 * one by one first is work for nothing (the 56 MB module's 47,826
 * functions: ~10M instructions, bench/README.md "Large modules").
 * cli_run is called once, by main. Sanitizer builds still free it, so
 * their leak check sees whatever a run would leak. */
#if defined(__SANITIZE_ADDRESS__)
#define FREE_STORE_AT_EXIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FREE_STORE_AT_EXIT 1
#endif
#endif
#ifndef FREE_STORE_AT_EXIT
#define FREE_STORE_AT_EXIT 0
#endif

int cli_run(int argc, char **argv)
{
    run r;
    memset(&r, 0, sizeof r);
    wb_policy_init(&r.policy);
    bool ready = parse_opts(&r, argc, argv) && build_policy(&r);
    if (r.o.help) {
        cli_help(stdout, &cli_cmd_run);
        cli_flag_list_free(&r.o.flags);
        wb_policy_free(&r.policy);
        return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
    }
    /* The report is wanted most when the run fails before it starts: it is
     * opened whenever its path was read, even after a mistake. */
    char err[512], report_err[512] = "";
    if (r.o.report && !open_report(&r, report_err, sizeof report_err)) {
        if (ready)
            set_error(&r, CLI_EXIT_FAIL, "%s", report_err);
        ready = false;
    }
    if (ready) {
        /* A guest writing to a closed pipe gets EPIPE, not a killed host. */
        signal(SIGPIPE, SIG_IGN);
        load_and_run(&r);
        /* what this run translated, for the next (before the closing
         * audit records: they end the log) */
        cli_cache_store(&r.cache, r.module);
    }
    cli_cache_close(&r.cache);
    /* what the CLI printed goes before the outcome line; asked only when
     * something is waiting, since fflush's code is in a 64 KB window of
     * libc that a run otherwise leaves alone (bench/README.md) */
    if (__fpending(stdout))
        fflush(stdout);
    finish_numbers(&r);
    print_outcome(&r, r.timer ? CLI_CLOSING_LINE_WAIT_MS : -1);
    if (report_err[0] && strcmp(report_err, r.out.message) != 0)
        fprintf(stderr, "wasmbox: %s\n", report_err); /* besides the first mistake */
    cli_report_audit(&r.sb, &r.out);
    int rc = r.out.exit_code;
    if (r.report && !cli_report_write(r.report, r.o.report, r.o.path, &r.out, err, sizeof err)) {
        fprintf(stderr, "wasmbox: %s\n", err);
        if (rc == CLI_EXIT_OK)
            rc = CLI_EXIT_FAIL;
    }
    cli_timer_free(r.timer); /* the run's end is written: no hard stop now */
    free(r.args);
    free(r.results);
    free(r.imports);
    if (r.store && FREE_STORE_AT_EXIT)
        wb_store_free(r.store);
    wb_wasi_free(r.wasi);
    wb_guest_http_free(r.http);
    if (r.have_sb)
        cli_sandbox_free(&r.sb);
    free(r.bytes);
    wb_policy_free(&r.policy);
    cli_flag_list_free(&r.o.flags);
    return rc;
}
