/* wb_wasi API: config checks, link errors that name the import, and host
 * functions called through the engine (bounds checks before any write,
 * args layout, the output limit with its single notice and audit event, a
 * cap of 0 passing nothing, and no cap; refusals audited as call.deny; a
 * write into a full pipe stopped by the interrupt, nothing written lost). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "../../vm/vm.h"
#include "../../wasi/wasi.h"

/* (module
 *   (import "wasi_snapshot_preview1" "random_get" (func (param i32 i32) (result i32)))
 *   (import "wasi_snapshot_preview1" "args_sizes_get" (func (param i32 i32) (result i32)))
 *   (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
 *   (memory (export "memory") 1)
 *   exports "rand", "argsizes", "write" forwarding their params to the imports) */
static const uint8_t forwarder[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0f, 0x02, 0x60, 0x02, 0x7f, 0x7f,
    0x01, 0x7f, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x02, 0x6f, 0x03, 0x16, 0x77,
    0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72,
    0x65, 0x76, 0x69, 0x65, 0x77, 0x31, 0x0a, 0x72, 0x61, 0x6e, 0x64, 0x6f, 0x6d, 0x5f, 0x67,
    0x65, 0x74, 0x00, 0x00, 0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73,
    0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65, 0x77, 0x31, 0x0e, 0x61, 0x72,
    0x67, 0x73, 0x5f, 0x73, 0x69, 0x7a, 0x65, 0x73, 0x5f, 0x67, 0x65, 0x74, 0x00, 0x00, 0x16,
    0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70,
    0x72, 0x65, 0x76, 0x69, 0x65, 0x77, 0x31, 0x08, 0x66, 0x64, 0x5f, 0x77, 0x72, 0x69, 0x74,
    0x65, 0x00, 0x01, 0x03, 0x04, 0x03, 0x00, 0x00, 0x01, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07,
    0x24, 0x04, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x04, 0x72, 0x61, 0x6e,
    0x64, 0x00, 0x03, 0x08, 0x61, 0x72, 0x67, 0x73, 0x69, 0x7a, 0x65, 0x73, 0x00, 0x04, 0x05,
    0x77, 0x72, 0x69, 0x74, 0x65, 0x00, 0x05, 0x0a, 0x20, 0x03, 0x08, 0x00, 0x20, 0x00, 0x20,
    0x01, 0x10, 0x00, 0x0b, 0x08, 0x00, 0x20, 0x00, 0x20, 0x01, 0x10, 0x01, 0x0b, 0x0c, 0x00,
    0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0x20, 0x03, 0x10, 0x02, 0x0b};

/* (module (import "env" "f" (func))) */
static const uint8_t foreign[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01,
                                  0x04, 0x01, 0x60, 0x00, 0x00, 0x02, 0x09, 0x01, 0x03,
                                  0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00};

/* (module (import "wasi_snapshot_preview1" "fd_write" (func (param i32) (result i32)))) */
static const uint8_t wrong_type[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f,
    0x01, 0x7f, 0x02, 0x23, 0x01, 0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61,
    0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65, 0x77, 0x31,
    0x08, 0x66, 0x64, 0x5f, 0x77, 0x72, 0x69, 0x74, 0x65, 0x00, 0x00};

static void test_config_errors(void **state)
{
    (void)state;
    char err[256];
    wb_wasi_dir d = {.host_path = "/nonexistent/wasmbox-dir", .guest_path = "/x"};
    wb_wasi_config c = wb_wasi_default_config();
    c.dirs = &d;
    c.ndirs = 1;
    assert_null(wb_wasi_new(&c, err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent/wasmbox-dir"));
    const char *env[] = {"NOEQUALS"};
    c = wb_wasi_default_config();
    c.env = env;
    c.nenv = 1;
    assert_null(wb_wasi_new(&c, err, sizeof err));
    assert_non_null(strstr(err, "KEY=VALUE"));
    d.host_path = "/tmp";
    d.guest_path = "";
    c = wb_wasi_default_config();
    c.dirs = &d;
    c.ndirs = 1;
    assert_null(wb_wasi_new(&c, err, sizeof err));
    c.stdin_fd = c.stdout_fd = c.stderr_fd = -1;
    d.guest_path = "/tmp";
    wb_wasi *w = wb_wasi_new(&c, err, sizeof err);
    assert_non_null(w);
    wb_wasi_free(w);
}

static void expect_link_error(const uint8_t *bytes, size_t len, const char *want)
{
    char err[256] = "";
    wb_wasi_config c = wb_wasi_default_config();
    wb_wasi *w = wb_wasi_new(&c, err, sizeof err);
    assert_non_null(w);
    wb_store *s = wb_store_new(NULL);
    wb_error e;
    wb_module *m = wb_module_load(s, bytes, len, &e);
    assert_non_null(m);
    wb_extern imports[4];
    assert_false(wb_wasi_link(w, s, m, imports, err, sizeof err));
    assert_non_null(strstr(err, want));
    wb_store_free(s);
    wb_wasi_free(w);
}

static void test_link_errors(void **state)
{
    (void)state;
    expect_link_error(foreign, sizeof foreign, "env.f");
    expect_link_error(wrong_type, sizeof wrong_type, "fd_write: type");
}

typedef struct fixture {
    wb_wasi *w;
    wb_store *s;
    wb_instance *inst;
    wb_memory *mem;
    int pipe[2];
    char log[64];          /* the audit log */
    wb_audit *audit;
} fixture;

/* How many records of `event` the audit log has so far; *last (if given)
 * gets the last one (the caller deletes it). */
static int audited(fixture *f, const char *event, cJSON **last)
{
    FILE *in = fopen(f->log, "r");
    assert_non_null(in);
    char line[4096];
    int n = 0;
    if (last)
        *last = NULL;
    while (fgets(line, sizeof line, in)) {
        cJSON *r = cJSON_Parse(line);
        assert_non_null(r);
        const cJSON *ev = cJSON_GetObjectItemCaseSensitive(r, "event");
        assert_true(cJSON_IsString(ev));
        if (!strcmp(ev->valuestring, event)) {
            n++;
            if (last) {
                cJSON_Delete(*last);
                *last = r;
                continue;
            }
        }
        cJSON_Delete(r);
    }
    fclose(in);
    return n;
}

/* The record's fields other than ts and event, as compact JSON. */
static void assert_fields(cJSON *r, const char *want)
{
    assert_non_null(r);
    cJSON_DeleteItemFromObjectCaseSensitive(r, "ts");
    cJSON_DeleteItemFromObjectCaseSensitive(r, "event");
    char *got = cJSON_PrintUnformatted(r);
    assert_string_equal(got, want);
    free(got);
    cJSON_Delete(r);
}

/* The output caps a fixture can be made with (its prestate); 5 by default. */
static const uint64_t cap_zero = 0, cap_none = WB_WASI_NO_OUTPUT_LIMIT;

static int setup(void **state)
{
    uint64_t cap = *state ? *(const uint64_t *)*state : 5;
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_int_equal(pipe(f->pipe), 0);
    fcntl(f->pipe[0], F_SETFL, O_NONBLOCK);
    static const char *args[] = {"prog", "ab"};
    char err[256];
    wb_wasi_config c = wb_wasi_default_config();
    c.args = args;
    c.nargs = 2;
    c.stdin_fd = -1;
    c.stdout_fd = f->pipe[1];
    c.stderr_fd = f->pipe[1];
    c.max_output = cap;
    snprintf(f->log, sizeof f->log, "/tmp/wb-wasi-audit-XXXXXX");
    int lfd = mkstemp(f->log);
    assert_true(lfd >= 0);
    close(lfd);
    f->audit = wb_audit_open(f->log, err, sizeof err);
    assert_non_null(f->audit);
    c.audit = f->audit;
    f->w = wb_wasi_new(&c, err, sizeof err);
    assert_non_null(f->w);
    f->s = wb_store_new(NULL);
    wb_error e;
    wb_module *m = wb_module_load(f->s, forwarder, sizeof forwarder, &e);
    assert_non_null(m);
    wb_extern imports[3];
    assert_true(wb_wasi_link(f->w, f->s, m, imports, err, sizeof err));
    f->inst = wb_instantiate(f->s, m, imports, 3, &e);
    assert_non_null(f->inst);
    wb_extern ex;
    assert_true(wb_instance_export(f->inst, "memory", 6, &ex));
    f->mem = ex.of.memory;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    wb_store_free(f->s);
    wb_wasi_free(f->w);
    wb_audit_close(f->audit);
    unlink(f->log);
    close(f->pipe[0]);
    close(f->pipe[1]);
    free(f);
    return 0;
}

static int32_t call(fixture *f, const char *name, int n, ...)
{
    wb_extern ex;
    assert_true(wb_instance_export(f->inst, name, strlen(name), &ex));
    wb_value args[4], res;
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        args[i].type = WB_I32;
        args[i].of.i32 = va_arg(ap, int32_t);
    }
    va_end(ap);
    assert_int_equal(wb_func_call(f->s, ex.of.func, args, (uint32_t)n, &res, 1), WB_OK);
    return res.of.i32;
}

static void test_bounds_before_writes(void **state)
{
    fixture *f = *state;
    uint8_t *mem = wb_memory_data(f->mem);
    memset(mem, 0xAA, 64);
    assert_int_equal(call(f, "rand", 2, (int32_t)0xFFFFFFF0, 16), 21);
    assert_int_equal(call(f, "rand", 2, 65536 - 8, 16), 21);
    assert_int_equal(call(f, "rand", 2, 65536 - 16, 16), 0); /* exactly to the end is fine */
    /* one good and one bad result pointer: nothing is written at all */
    assert_int_equal(call(f, "argsizes", 2, 0, 65534), 21);
    assert_int_equal(mem[0], 0xAA);
    assert_int_equal(call(f, "argsizes", 2, 65534, 0), 21);
    assert_int_equal(mem[0], 0xAA);
    /* every refusal is audited once, naming the call */
    cJSON *last;
    assert_int_equal(audited(f, "call.deny", &last), 4);
    assert_fields(last,
                  "{\"op\":\"args_sizes_get\",\"errno\":\"fault\",\"reason\":\"bad pointer\"}");
    assert_int_equal(call(f, "argsizes", 2, 0, 4), 0);
    uint32_t argc, size;
    memcpy(&argc, mem, 4);
    memcpy(&size, mem + 4, 4);
    assert_int_equal(argc, 2);
    assert_int_equal(size, 8); /* "prog\0ab\0" */
}

static void test_output_limit(void **state)
{
    fixture *f = *state;
    uint8_t *mem = wb_memory_data(f->mem);
    uint32_t iov[2] = {200, 10};
    memcpy(mem + 100, iov, sizeof iov);
    memcpy(mem + 200, "0123456789", 10);
    assert_int_equal(call(f, "write", 4, 1, 100, 1, 300), 0);
    uint32_t n;
    memcpy(&n, mem + 300, 4);
    assert_int_equal(n, 10); /* the guest is told all of it went */
    assert_int_equal(call(f, "write", 4, 2, 100, 1, 300), 0);
    char buf[512];
    ssize_t got = read(f->pipe[0], buf, sizeof buf - 1);
    assert_true(got > 5);
    buf[got] = 0;
    assert_memory_equal(buf, "01234", 5);
    const char *notice = strstr(buf + 5, "output limit of 5 bytes");
    assert_non_null(notice);
    assert_null(strstr(notice + 1, "output limit")); /* one notice only */
    assert_null(strchr(buf + 5, '5' + 1));           /* no byte past the limit: no "6" */
    cJSON *last;
    assert_int_equal(audited(f, "output.limit", &last), 1);
    assert_fields(last, "{\"max_output\":5}");
    assert_int_equal((int)wb_wasi_output_total(f->w), 20);
    /* an iovec running off the end of memory: EFAULT, nothing written */
    iov[0] = 65530;
    memcpy(mem + 100, iov, sizeof iov);
    assert_int_equal(call(f, "write", 4, 1, 100, 1, 300), 21);
    assert_int_equal(call(f, "write", 4, 1, 65532, 1, 300), 21);
    assert_int_equal(audited(f, "call.deny", &last), 2);
    assert_fields(last, "{\"op\":\"fd_write\",\"fd\":1,\"fd_path\":\"<stdout>\","
                        "\"errno\":\"fault\",\"reason\":\"bad pointer\"}");
    assert_int_equal(call(f, "write", 4, 9, 100, 1, 300), 8);
    assert_int_equal(audited(f, "call.deny", NULL), 2); /* a bad fd is an error, not a refusal */
}

/* Writes "0123456789" to fd (1 or 2) through the guest; it must be told all
 * ten bytes went, whatever the cap. */
static void write_ten(fixture *f, int32_t fd)
{
    uint8_t *mem = wb_memory_data(f->mem);
    uint32_t iov[2] = {200, 10};
    memcpy(mem + 100, iov, sizeof iov);
    memcpy(mem + 200, "0123456789", 10);
    assert_int_equal(call(f, "write", 4, fd, 100, 1, 300), 0);
    uint32_t n;
    memcpy(&n, mem + 300, 4);
    assert_int_equal(n, 10);
}

static void test_output_zero(void **state)
{
    fixture *f = *state;
    write_ten(f, 1);
    write_ten(f, 2);
    char buf[64];
    errno = 0;
    assert_int_equal(read(f->pipe[0], buf, sizeof buf), -1); /* nothing, not even a notice */
    assert_int_equal(errno, EAGAIN);
    assert_int_equal(audited(f, "output.limit", NULL), 1); /* but the cut is audited, once */
    assert_int_equal((int)wb_wasi_output_total(f->w), 20);
}

static void test_output_no_cap(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 3; i++)
        write_ten(f, 1 + i % 2);
    char buf[64];
    ssize_t got = read(f->pipe[0], buf, sizeof buf);
    assert_int_equal(got, 30); /* all of it, and no notice */
    assert_memory_equal(buf + 20, "0123456789", 10);
    assert_int_equal(audited(f, "output.limit", NULL), 0);
    wb_wasi_config c = wb_wasi_default_config();
    assert_true(c.max_output == WB_WASI_NO_OUTPUT_LIMIT); /* the default is no cap */
}

typedef struct full_pipe {
    wb_wasi *w;
    int read_end;
} full_pipe;

/* Interrupts once the pipe holds a whole page: the write is then waiting. */
static void *interrupt_when_full(void *arg)
{
    full_pipe *p = arg;
    int queued = 0;
    while (ioctl(p->read_end, FIONREAD, &queued) == 0 && queued < 4096) {
        struct timespec ts = {0, 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    wb_wasi_interrupt(p->w);
    return NULL;
}

/* stdout is a blocking pipe of one page that nobody reads: a 10000-byte
 * write must not block the host. The first page goes in whole; then the
 * call waits until the interrupt, which stops it with a trap; the bytes that
 * went are exactly the data's first page, and counted. (alarm: a write
 * blocked in the kernel would otherwise hang the test, not fail it.) */
static void test_full_pipe_interrupted(void **state)
{
    fixture *f = *state;
    alarm(20);
    assert_int_equal(fcntl(f->pipe[1], F_SETPIPE_SZ, 4096), 4096);
    uint8_t *mem = wb_memory_data(f->mem);
    for (int i = 0; i < 10000; i++)
        mem[1000 + i] = (uint8_t)(i * 7 + i / 251);
    uint32_t iov[2] = {1000, 10000};
    memcpy(mem + 100, iov, sizeof iov);
    full_pipe fp = {f->w, f->pipe[0]};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, interrupt_when_full, &fp), 0);
    wb_extern ex;
    assert_true(wb_instance_export(f->inst, "write", 5, &ex));
    wb_value args[4] = {{.type = WB_I32, .of.i32 = 1},
                        {.type = WB_I32, .of.i32 = 100},
                        {.type = WB_I32, .of.i32 = 1},
                        {.type = WB_I32, .of.i32 = 300}},
             res;
    assert_int_equal(wb_func_call(f->s, ex.of.func, args, 4, &res, 1), WB_TRAP_HOST);
    assert_string_equal(wb_store_trap_message(f->s), "interrupted");
    pthread_join(t, NULL);
    uint8_t got[8192];
    assert_int_equal(read(f->pipe[0], got, sizeof got), 4096);
    assert_memory_equal(got, mem + 1000, 4096);
    assert_int_equal((int)wb_wasi_output_total(f->w), 4096);
    /* once interrupted, a write does not even start, room or not */
    assert_int_equal(wb_func_call(f->s, ex.of.func, args, 4, &res, 1), WB_TRAP_HOST);
    assert_int_equal(read(f->pipe[0], got, sizeof got), -1);
    /* cleared, writes go through again */
    wb_wasi_clear_interrupt(f->w);
    iov[1] = 4096;
    memcpy(mem + 100, iov, sizeof iov);
    assert_int_equal(call(f, "write", 4, 1, 100, 1, 300), 0);
    assert_int_equal(read(f->pipe[0], got, sizeof got), 4096);
    alarm(0);
}

/* iovec lists longer than the few entries fd_write keeps in place (they are
 * then on the heap): every entry is written in order; past IOV_MAX (1,024)
 * entries the rest is a short write, as writev's limit makes it; a bad
 * entry anywhere in a long list is EFAULT with nothing written. */
static void test_long_iov_lists(void **state)
{
    fixture *f = *state;
    uint8_t *mem = wb_memory_data(f->mem);
    for (int i = 0; i < 1100; i++)
        mem[20000 + i] = (uint8_t)('a' + i % 26);
    /* 20 one-byte entries, backwards: "tsrqponmlkjihgfedcba" */
    for (uint32_t i = 0; i < 20; i++) {
        uint32_t e[2] = {20000 + 19 - i, 1};
        memcpy(mem + 1000 + 8 * i, e, sizeof e);
    }
    assert_int_equal(call(f, "write", 4, 1, 1000, 20, 300), 0);
    uint32_t n;
    memcpy(&n, mem + 300, 4);
    assert_int_equal(n, 20);
    char got[2048];
    assert_int_equal(read(f->pipe[0], got, sizeof got), 20);
    assert_memory_equal(got, "tsrqponmlkjihgfedcba", 20);
    /* 1,100 one-byte entries: the first 1,024 go */
    for (uint32_t i = 0; i < 1100; i++) {
        uint32_t e[2] = {20000 + i, 1};
        memcpy(mem + 1000 + 8 * i, e, sizeof e);
    }
    assert_int_equal(call(f, "write", 4, 1, 1000, 1100, 300), 0);
    memcpy(&n, mem + 300, 4);
    assert_int_equal(n, 1024);
    assert_int_equal(read(f->pipe[0], got, sizeof got), 1024);
    assert_memory_equal(got, mem + 20000, 1024);
    /* the 11th of 12 entries runs off the end of memory */
    uint32_t bad[2] = {65530, 10};
    memcpy(mem + 1000 + 8 * 10, bad, sizeof bad);
    assert_int_equal(call(f, "write", 4, 1, 1000, 12, 300), 21);
    errno = 0;
    assert_int_equal(read(f->pipe[0], got, sizeof got), -1);
    assert_int_equal(errno, EAGAIN);
    assert_int_equal((int)wb_wasi_output_total(f->w), 20 + 1024);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_link_errors),
        cmocka_unit_test_setup_teardown(test_bounds_before_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_output_limit, setup, teardown),
        cmocka_unit_test_prestate_setup_teardown(test_output_zero, setup, teardown,
                                                 (void *)&cap_zero),
        cmocka_unit_test_prestate_setup_teardown(test_output_no_cap, setup, teardown,
                                                 (void *)&cap_none),
        cmocka_unit_test_prestate_setup_teardown(test_full_pipe_interrupted, setup, teardown,
                                                 (void *)&cap_none),
        cmocka_unit_test_prestate_setup_teardown(test_long_iov_lists, setup, teardown,
                                                 (void *)&cap_none),
    };
    return cmocka_run_group_tests_name("wasi", tests, NULL, NULL);
}
