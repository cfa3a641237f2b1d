/* wasi_run: runs a wasm32-wasi command module under wasmbox's WASI, for the
 * end-to-end tests (the real `wasmbox run` wires the same API to a policy).
 *
 *   wasi_run [options] module.wasm [args...]
 *     --dir HOST::GUEST[:ro]   map a host directory (repeatable)
 *     --env KEY=VALUE          one environment variable (repeatable; nothing is inherited)
 *     --fuel N                 instruction budget
 *     --max-output N           bytes of stdout+stderr passed through
 *     --timeout-ms N           wall-clock limit (interrupts blocking calls too)
 *     --audit FILE             append one line per capability decision
 *
 * Exit status: the guest's exit code; 124 timeout; 125 usage/load/link error;
 * 126 trap. argv[0] of the guest is the module path as given.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../vm/vm.h"
#include "../../wasi/wasi.h"

#define MAX_LIST 256

typedef struct timer {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool done, fired;
    long ms;
    wb_store *store;
    wb_wasi *wasi;
} timer;

static void *timer_main(void *arg)
{
    timer *t = arg;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += t->ms / 1000;
    until.tv_nsec += (t->ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&t->mu);
    while (!t->done) {
        if (pthread_cond_timedwait(&t->cv, &t->mu, &until) == ETIMEDOUT) {
            if (!t->done) {
                t->fired = true;
                wb_wasi_interrupt(t->wasi);
                wb_store_interrupt(t->store);
            }
            break;
        }
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

static void audit_to_file(void *user, const char *event, const char *detail)
{
    FILE *f = user;
    fprintf(f, "%s %s\n", event, detail);
    fflush(f);
}

static int usage(const char *msg)
{
    fprintf(stderr, "wasi_run: %s\nusage: wasi_run [--dir HOST::GUEST[:ro]] [--env K=V] "
                    "[--fuel N] [--max-output N] [--timeout-ms N] [--audit FILE] module.wasm "
                    "[args...]\n", msg);
    return 125;
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (n < cap)
            break;
        uint8_t *nb = realloc(buf, cap *= 2);
        if (!nb)
            free(buf);
        buf = nb;
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN); /* a closed stdout is the guest's EPIPE, not our death */
    wb_wasi_dir dirs[MAX_LIST];
    const char *env[MAX_LIST];
    char *dir_specs[MAX_LIST];
    size_t ndirs = 0, nenv = 0;
    uint64_t fuel = UINT64_MAX, max_output = 0;
    long timeout_ms = 0;
    FILE *audit = NULL;
    int i = 1;
    for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
        const char *opt = argv[i];
        if (!strcmp(opt, "--")) {
            i++;
            break;
        }
        if (i + 1 >= argc)
            return usage("option needs a value");
        const char *val = argv[++i];
        if (!strcmp(opt, "--dir")) {
            if (ndirs == MAX_LIST)
                return usage("too many --dir");
            char *spec = strdup(val);
            char *sep = spec ? strstr(spec, "::") : NULL;
            if (!sep)
                return usage("--dir wants HOST::GUEST[:ro]");
            *sep = 0;
            char *guest = sep + 2;
            size_t gl = strlen(guest);
            bool ro = gl > 3 && !strcmp(guest + gl - 3, ":ro");
            if (ro)
                guest[gl - 3] = 0;
            dir_specs[ndirs] = spec;
            dirs[ndirs++] = (wb_wasi_dir){.host_path = spec, .guest_path = guest, .read_only = ro};
        } else if (!strcmp(opt, "--env")) {
            if (nenv == MAX_LIST)
                return usage("too many --env");
            env[nenv++] = val;
        } else if (!strcmp(opt, "--fuel")) {
            fuel = strtoull(val, NULL, 10);
        } else if (!strcmp(opt, "--max-output")) {
            max_output = strtoull(val, NULL, 10);
        } else if (!strcmp(opt, "--timeout-ms")) {
            timeout_ms = strtol(val, NULL, 10);
        } else if (!strcmp(opt, "--audit")) {
            audit = fopen(val, "a");
            if (!audit)
                return usage("cannot open the audit file");
        } else {
            return usage("unknown option");
        }
    }
    if (i >= argc)
        return usage("no module");
    const char *path = argv[i];
    size_t len;
    uint8_t *bytes = read_file(path, &len);
    if (!bytes) {
        fprintf(stderr, "wasi_run: %s: %s\n", path, strerror(errno));
        return 125;
    }

    wb_wasi_config cfg = wb_wasi_default_config();
    cfg.args = (const char *const *)(argv + i);
    cfg.nargs = (size_t)(argc - i);
    cfg.env = env;
    cfg.nenv = nenv;
    cfg.dirs = dirs;
    cfg.ndirs = ndirs;
    cfg.max_output = max_output;
    cfg.audit = audit ? audit_to_file : NULL;
    cfg.audit_user = audit;
    char err[512];
    int rc = 125;
    wb_wasi *wasi = wb_wasi_new(&cfg, err, sizeof err);
    if (!wasi) {
        fprintf(stderr, "wasi_run: %s\n", err);
        free(bytes);
        return 125;
    }
    wb_limits lim = wb_default_limits();
    lim.fuel = fuel;
    wb_store *store = wb_store_new(&lim);
    wb_error werr;
    wb_module *mod = store ? wb_module_load(store, bytes, len, &werr) : NULL;
    wb_extern *imports = NULL;
    wb_instance *inst = NULL;
    if (!mod) {
        fprintf(stderr, "wasi_run: %s: %s\n", path, store ? werr.message : "out of memory");
        goto out;
    }
    uint32_t nimp = wb_module_import_count(mod);
    imports = calloc(nimp ? nimp : 1, sizeof *imports);
    if (!imports || !wb_wasi_link(wasi, store, mod, imports, err, sizeof err)) {
        fprintf(stderr, "wasi_run: %s: %s\n", path, imports ? err : "out of memory");
        goto out;
    }
    inst = wb_instantiate(store, mod, imports, nimp, &werr);
    if (!inst) {
        fprintf(stderr, "wasi_run: %s: %s\n", path, werr.message);
        goto out;
    }
    timer t = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER,
               .ms = timeout_ms, .store = store, .wasi = wasi};
    pthread_t th;
    bool timed = timeout_ms > 0 && pthread_create(&th, NULL, timer_main, &t) == 0;
    int code;
    wb_status s = wb_wasi_run_start(wasi, store, inst, &code, err, sizeof err);
    if (timed) {
        pthread_mutex_lock(&t.mu);
        t.done = true;
        pthread_cond_signal(&t.cv);
        pthread_mutex_unlock(&t.mu);
        pthread_join(th, NULL);
    }
    fflush(stdout);
    if (s == WB_OK || s == WB_EXIT) {
        rc = code & 0xFF;
    } else if (timed && t.fired) {
        fprintf(stderr, "wasi_run: timeout after %ld ms (%s)\n", timeout_ms, err);
        rc = 124;
    } else {
        fprintf(stderr, "wasi_run: trap: %s\n", err);
        rc = 126;
    }
out:
    free(imports);
    if (store)
        wb_store_free(store);
    wb_wasi_free(wasi);
    free(bytes);
    for (size_t k = 0; k < ndirs; k++)
        free(dir_specs[k]);
    if (audit)
        fclose(audit);
    return rc;
}
