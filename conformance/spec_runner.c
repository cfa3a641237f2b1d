/* spec_runner: runs one wast2json JSON file of the official spec tests
 * against the engine, through vm/vm.h only.
 *
 *   spec_runner [-v] FILE.json     run it; one line per failed command, then
 *                                  "NAME.wast: P passed, F failed, T not run
 *                                  (text modules)"
 *   spec_runner --count FILE.json  print how many commands would be counted
 *
 * WASMBOX_OPT=0 in the environment: the reference translation.
 * WASMBOX_PROFILE=2.0: modules read as WebAssembly 2.0 (wb_store_set_profile).
 *
 * Exit status: 0 none failed, 2 some failed, 3 the file could not be read or
 * run at all. run_spec.sh treats anything else (a signal, a sanitizer's exit
 * 1) as a crash of the whole file, and judges the counts: a file that counts
 * nothing, or not what expected_counts.txt says, fails there.
 */
#include "spec_runner.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The largest JSON file of the suite is a few MB. */
#define MAX_JSON_BYTES (256u << 20)

#define EXIT_ALL_PASSED 0
#define EXIT_SOME_FAILED 2
#define EXIT_UNUSABLE 3

/* ---- crash report ----
 * A crash or a timeout ends the process; saying which command was running
 * saves the developer a bisection. Only async-signal-safe calls below. */

static char crash_name[256];

static void write_str(const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static void write_long(long v)
{
    char buf[24];
    size_t i = sizeof buf;
    buf[--i] = '\0';
    bool neg = v < 0;
    unsigned long u = neg ? 0UL - (unsigned long)v : (unsigned long)v;
    do {
        buf[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u && i > 1);
    if (neg && i > 0)
        buf[--i] = '-';
    write_str(buf + i);
}

static void on_fatal_signal(int sig)
{
    write_str("spec_runner: ");
    write_str(crash_name);
    write_str(": ");
    write_str(sig == SIGTERM || sig == SIGINT ? "stopped" : "crashed");
    write_str(" by signal ");
    write_long(sig);
    write_str(" while running the command of line ");
    write_long(spec_current_line);
    write_str("\n");
    signal(sig, SIG_DFL);
    raise(sig);
}

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif

static void install_crash_report(const char *name)
{
    snprintf(crash_name, sizeof crash_name, "%s", name);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
#ifndef HAVE_ASAN
    /* Under ASan its own report is far better; leave those signals to it.
     * The alternate stack lets the report survive a native stack overflow. */
    static char alt_stack[64 * 1024];
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_sp = alt_stack;
    ss.ss_size = sizeof alt_stack;
    if (sigaltstack(&ss, NULL) == 0)
        sa.sa_flags = SA_ONSTACK;
    int faults[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++)
        sigaction(faults[i], &sa, NULL);
#endif
}

/* Writes each module of a script read in-process to DIR/m<N>.wasm (N in
 * order of the script's modules, as wast2json numbers its files), to hold
 * the reader's bytes against wast2json's (conformance/README.md), and the
 * names of those given as (module binary ...) to DIR/binary.txt. */
static bool write_modules(const wast_script *script, const char *dir)
{
    char list[4096];
    snprintf(list, sizeof list, "%s/binary.txt", dir);
    FILE *lf = fopen(list, "w");
    if (!lf) {
        fprintf(stderr, "spec_runner: cannot write %s\n", list);
        return false;
    }
    for (size_t k = 0; k < script->nblobs; k++)
        if (!script->blobs[k].from_text)
            fprintf(lf, "%s\n", script->blobs[k].name);
    if (fclose(lf) != 0)
        return false;
    for (size_t k = 0; k < script->nblobs; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, script->blobs[k].name);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(script->blobs[k].bytes, 1, script->blobs[k].len, f) != script->blobs[k].len) {
            fprintf(stderr, "spec_runner: cannot write %s\n", path);
            if (f)
                fclose(f);
            return false;
        }
        if (fclose(f) != 0)
            return false;
    }
    return true;
}

/* ---- main ---- */

static void usage(void)
{
    fprintf(stderr, "usage: spec_runner [-v] FILE.json|FILE.wast\n"
                    "       spec_runner --count FILE.json|FILE.wast\n"
                    "       spec_runner --write-modules DIR FILE.wast   (then runs it)\n");
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The .wast name used in messages: from "source_filename", else the JSON's
 * own name with .json turned into .wast. */
static char *wast_name_of(const cJSON *root, const char *json_path)
{
    const char *src = spec_json_str(root, "source_filename");
    const char *base = base_name(src && *src ? src : json_path);
    size_t len = strlen(base);
    char *name = malloc(len + 6);
    if (!name)
        return NULL;
    memcpy(name, base, len + 1);
    if (!(src && *src) && len >= 5 && strcmp(base + len - 5, ".json") == 0)
        memcpy(name + len - 5, ".wast", 6);
    return name;
}

static char *dir_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

int main(int argc, char **argv)
{
    bool verbose = false, count_only = false;
    const char *modules_dir = NULL; /* --write-modules DIR: a .wast's modules as files */
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0)
            verbose = true;
        else if (strcmp(argv[i], "--count") == 0)
            count_only = true;
        else if (strcmp(argv[i], "--write-modules") == 0 && i + 1 < argc)
            modules_dir = argv[++i];
        else if (argv[i][0] == '-' || path) {
            usage();
            return EXIT_UNUSABLE;
        } else
            path = argv[i];
    }
    if (!path) {
        usage();
        return EXIT_UNUSABLE;
    }
    /* line-buffered so that failures printed before a crash are not lost */
    setvbuf(stdout, NULL, _IOLBF, 0);

    char why[512];
    size_t len = 0;
    uint8_t *text = spec_read_file(path, MAX_JSON_BYTES, &len, why, sizeof why);
    if (!text) {
        fprintf(stderr, "spec_runner: %s\n", why);
        return EXIT_UNUSABLE;
    }
    spec_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.verbose = verbose;
    /* A .wast is read in-process (wat/wast.h) into the same command list
     * wast2json writes, its modules kept in memory. */
    wast_script script;
    memset(&script, 0, sizeof script);
    size_t plen = strlen(path);
    if (plen > 5 && strcmp(path + plen - 5, ".wast") == 0) {
        wat_error werr;
        bool read = wast_read((const char *)text, len, base_name(path), &script, &werr);
        free(text);
        if (!read) {
            fprintf(stderr, "spec_runner: %s:%u:%u: %s\n", path, werr.line, werr.col, werr.message);
            return EXIT_UNUSABLE;
        }
        text = (uint8_t *)script.json;
        len = script.json_len;
        ctx.wast = &script;
        if (modules_dir && !write_modules(&script, modules_dir)) {
            wast_script_free(&script);
            return EXIT_UNUSABLE;
        }
    }
    bool parsed = spec_json_parse(&ctx.json, (const char *)text, len, why, sizeof why);
    if (!ctx.wast)
        free(text);
    if (!parsed) {
        fprintf(stderr, "spec_runner: %s: %s\n", path, why);
        wast_script_free(&script);
        return EXIT_UNUSABLE;
    }
    const cJSON *commands = cJSON_GetObjectItemCaseSensitive(ctx.json.root, "commands");
    if (!cJSON_IsArray(commands)) {
        fprintf(stderr, "spec_runner: %s: no \"commands\" array\n", path);
        spec_json_free(&ctx.json);
        wast_script_free(&script);
        return EXIT_UNUSABLE;
    }
    const cJSON *cmd;
    if (count_only) {
        unsigned long n = 0;
        cJSON_ArrayForEach(cmd, commands) n += spec_command_counts(cmd);
        printf("%lu\n", n);
        spec_json_free(&ctx.json);
        wast_script_free(&script);
        return EXIT_ALL_PASSED;
    }

    char *wast_name = wast_name_of(ctx.json.root, path);
    char *json_dir = dir_name(path);
    if (!wast_name || !json_dir) {
        fprintf(stderr, "spec_runner: out of memory\n");
        free(wast_name);
        free(json_dir);
        spec_json_free(&ctx.json);
        wast_script_free(&script);
        return EXIT_UNUSABLE;
    }
    ctx.wast_name = wast_name;
    ctx.json_dir = json_dir;
    install_crash_report(wast_name);

    int status = EXIT_UNUSABLE;
    ctx.store = wb_store_new(NULL);
    if (!ctx.store) {
        fprintf(stderr, "spec_runner: %s: wb_store_new failed\n", wast_name);
        goto done;
    }
    /* WASMBOX_OPT=0: the reference translation (run_spec.sh runs the suite
     * both ways) */
    const char *opt = getenv("WASMBOX_OPT");
    if (opt && strcmp(opt, "0") && strcmp(opt, "1")) {
        fprintf(stderr, "spec_runner: WASMBOX_OPT must be 0 or 1, not '%s'\n", opt);
        goto done;
    }
    if (opt && !strcmp(opt, "0"))
        wb_store_set_translation(ctx.store, WB_TRANSLATE_REFERENCE);
    /* WASMBOX_PROFILE=2.0: modules read as WebAssembly 2.0 where 3.0 reads
     * the same bytes otherwise (run_spec.sh sets it for the 2.0 suite;
     * default 3.0) */
    const char *profile = getenv("WASMBOX_PROFILE");
    if (profile && strcmp(profile, "2.0") && strcmp(profile, "3.0")) {
        fprintf(stderr, "spec_runner: WASMBOX_PROFILE must be 2.0 or 3.0, not '%s'\n", profile);
        goto done;
    }
    if (profile && !strcmp(profile, "2.0"))
        wb_store_set_profile(ctx.store, WB_PROFILE_2_0);
    ctx.host = spec_host_new(ctx.store);
    if (!ctx.host) {
        fprintf(stderr, "spec_runner: %s: out of memory for the spectest module\n", wast_name);
        goto done;
    }

    cJSON_ArrayForEach(cmd, commands) spec_run_command(&ctx, cmd);

    printf("%s: %lu passed, %lu failed, %lu not run (text modules)\n", wast_name, ctx.passed, ctx.failed,
           ctx.text_not_run);
    status = ctx.failed ? EXIT_SOME_FAILED : EXIT_ALL_PASSED;
done:
    spec_host_free(ctx.host);
    if (ctx.store)
        wb_store_free(ctx.store);
    spec_bindings_free(&ctx.named);
    spec_bindings_free(&ctx.registered);
    spec_definitions_free(&ctx.definitions);
    spec_json_free(&ctx.json);
    wast_script_free(&script);
    free(wast_name);
    free(json_dir);
    return status;
}
