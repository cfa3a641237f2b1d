/* The audit log writer: one well-formed JSON object per line, appended, with
 * typed values; strings cut to WB_AUDIT_MAX_TEXT bytes of valid UTF-8 with
 * the cut said in "truncated"; at most WB_AUDIT_MAX_RECORDS records and
 * WB_AUDIT_MAX_BYTES, the rest counted exactly (also from several threads);
 * once-a-run records past the cap, but only the first of each name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../policy/policy.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/wb-audit-test-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/audit.log", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    rmdir(dir);
    return 0;
}

/* The whole log as one string. */
static char *slurp(void)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    int c;
    while ((c = fgetc(f)) != EOF)
        fputc(c, out);
    fclose(f);
    fclose(out);
    return buf;
}

/* Reads the log and parses each line (at most max); returns the number of
 * lines, which must each end in a newline. lines may be NULL to count only. */
static size_t read_lines(cJSON **lines, size_t max)
{
    char *all = slurp();
    size_t n = 0;
    for (char *p = all; *p;) {
        char *nl = strchr(p, '\n');
        assert_non_null(nl); /* every record ends its line */
        *nl = 0;
        if (lines) {
            assert_true(n < max);
            lines[n] = cJSON_Parse(p);
            assert_non_null(lines[n]);
        }
        n++;
        p = nl + 1;
    }
    free(all);
    return n;
}

static void free_lines(cJSON **lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cJSON_Delete(lines[i]);
}

static const char *field(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

static double number(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    assert_true(cJSON_IsNumber(v));
    return v->valuedouble;
}

static wb_audit *open_log(void)
{
    char err[WB_POLICY_ERR_MAX] = "";
    wb_audit *a = wb_audit_open(path, err, sizeof err);
    assert_non_null(a);
    return a;
}

static void test_typed_fields(void **state)
{
    (void)state;
    wb_audit *a = open_log();
    const char *list[] = {"a", NULL, "c"};
    cJSON *obj = cJSON_CreateObject();
    cJSON_AddStringToObject(obj, "guest", "/data");
    assert_true(WB_AUDIT(a, "typed", WB_STR("s", "evil\"quote\nnewline\\back\x01"),
                         WB_STRN("n", "ab\0cd", 5), WB_STR("nothing", NULL), WB_NULL("z"),
                         WB_INT("neg", INT64_MIN), WB_UINT("big", UINT64_MAX),
                         WB_UINT("small", 42), WB_LIMIT("unl", WB_UNLIMITED),
                         WB_LIMIT("lim", 9007199254740993ull), WB_BOOL("t", true),
                         WB_BOOL("f", false), WB_STRS("list", list, 3),
                         WB_STRS("empty", NULL, 0), WB_JSON("obj", obj), WB_JSON("nul", NULL)));
    /* the record's own keys cannot be forged */
    assert_true(WB_AUDIT(a, "forge", WB_STR("ts", "forged"), WB_STR("event", "forged"),
                         WB_STR("truncated", "forged")));
    wb_audit_close(a);

    /* integers are exact: every digit, beyond what a double holds */
    char *all = slurp();
    assert_non_null(strstr(all, "\"neg\":-9223372036854775808,"));
    assert_non_null(strstr(all, "\"big\":18446744073709551615,"));
    assert_non_null(strstr(all, "\"lim\":9007199254740993,"));
    free(all);

    cJSON *lines[4];
    size_t n = read_lines(lines, 4);
    assert_int_equal(n, 2);
    const cJSON *r = lines[0];
    assert_string_equal(field(r, "event"), "typed");
    /* a timestamp like 2026-11-24T21:00:00.123Z */
    const char *ts = field(r, "ts");
    assert_int_equal(strlen(ts), 24);
    assert_true(ts[4] == '-' && ts[10] == 'T' && ts[19] == '.' && ts[23] == 'Z');
    assert_string_equal(field(r, "s"), "evil\"quote\nnewline\\back\x01");
    assert_string_equal(field(r, "n"), "ab\xEF\xBF\xBD" "cd"); /* NUL is no text: U+FFFD */
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r, "nothing")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r, "z")));
    assert_true(number(r, "small") == 42);
    assert_string_equal(field(r, "unl"), "unlimited");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "t")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(r, "f")));
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(r, "list");
    assert_int_equal(cJSON_GetArraySize(l), 3);
    assert_string_equal(cJSON_GetArrayItem(l, 0)->valuestring, "a");
    assert_true(cJSON_IsNull(cJSON_GetArrayItem(l, 1)));
    assert_string_equal(cJSON_GetArrayItem(l, 2)->valuestring, "c");
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(r, "empty");
    assert_true(cJSON_IsArray(e) && cJSON_GetArraySize(e) == 0);
    assert_string_equal(field(cJSON_GetObjectItemCaseSensitive(r, "obj"), "guest"), "/data");
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r, "nul")));
    assert_null(cJSON_GetObjectItemCaseSensitive(r, "truncated")); /* nothing was cut */
    /* ts, event, 15 fields */
    assert_int_equal(cJSON_GetArraySize(r), 17);

    r = lines[1];
    assert_string_equal(field(r, "event"), "forge");
    assert_string_equal(field(r, "field_ts"), "forged");
    assert_string_equal(field(r, "field_event"), "forged");
    assert_string_equal(field(r, "field_truncated"), "forged");
    assert_string_not_equal(field(r, "ts"), "forged");
    free_lines(lines, n);

    /* reopening appends; the file is private to its owner */
    a = open_log();
    assert_true(WB_AUDIT(a, "again", WB_BOOL("x", true)));
    wb_audit_close(a);
    n = read_lines(lines, 4);
    assert_int_equal(n, 3);
    assert_string_equal(field(lines[2], "event"), "again");
    free_lines(lines, n);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
}

/* The length in bytes of the original, from "truncated", or -1 if the field
 * was not cut. */
static long cut_length(const cJSON *r, const char *key)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(r, "truncated");
    const cJSON *v = t ? cJSON_GetObjectItemCaseSensitive(t, key) : NULL;
    if (!v)
        return -1;
    assert_true(cJSON_IsNumber(v));
    return (long)v->valuedouble;
}

static void test_strings_cut_and_made_utf8(void **state)
{
    (void)state;
    enum { MAX = WB_AUDIT_MAX_TEXT };
    static char url[8200], exact[MAX + 1], over[MAX + 2], euro[MAX + 3];
    memset(url, 'u', sizeof url - 1);
    memset(exact, 'e', MAX);
    memset(over, 'o', MAX + 1);
    /* "€" is 3 bytes: 341 of them fill 1023 bytes, a 342nd does not fit */
    for (int i = 0; i < 342; i++)
        memcpy(euro + 3 * i, "\xE2\x82\xAC", 3);
    const char *list[] = {"short", over};
    wb_audit *a = open_log();
    assert_true(WB_AUDIT(a, "cut", WB_STR("url", url), WB_STR("exact", exact),
                         WB_STR("over", over), WB_STR("euro", euro), WB_STRS("list", list, 2)));
    /* not UTF-8: a lone continuation byte, a truncated sequence, an overlong
     * "/", a UTF-16 surrogate, a code point above U+10FFFF, bytes F5-FF; and
     * well-formed 2-, 3- and 4-byte characters, which stay */
    const char bad[] = "a\x80" "b\xC3" "c\xC0\xAF" "d\xED\xA0\x80" "e\xF4\x90\x80\x80" "f\xFF"
                       "g\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
    assert_true(WB_AUDIT(a, "utf8", WB_STRN("bad", bad, sizeof bad - 1)));
    wb_audit_close(a);

    cJSON *lines[2];
    size_t n = read_lines(lines, 2);
    assert_int_equal(n, 2);
    const cJSON *r = lines[0];
    assert_int_equal(strlen(field(r, "url")), MAX);
    assert_int_equal(cut_length(r, "url"), 8199);
    assert_string_equal(field(r, "exact"), exact); /* exactly the maximum: whole */
    assert_int_equal(cut_length(r, "exact"), -1);
    assert_int_equal(strlen(field(r, "over")), MAX);
    assert_int_equal(cut_length(r, "over"), MAX + 1);
    /* cut before the character that does not fit, never inside it */
    assert_int_equal(strlen(field(r, "euro")), 1023);
    assert_memory_equal(field(r, "euro"), euro, 1023);
    assert_int_equal(cut_length(r, "euro"), 1026);
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(r, "list");
    assert_string_equal(cJSON_GetArrayItem(l, 0)->valuestring, "short");
    assert_int_equal(strlen(cJSON_GetArrayItem(l, 1)->valuestring), MAX);
    assert_int_equal(cut_length(r, "list"), MAX + 1);

#define FFFD "\xEF\xBF\xBD"
    assert_string_equal(field(lines[1], "bad"),
                        "a" FFFD "b" FFFD "c" FFFD FFFD "d" FFFD FFFD FFFD "e" FFFD FFFD FFFD FFFD
                        "f" FFFD "g\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
#undef FFFD
    assert_null(cJSON_GetObjectItemCaseSensitive(lines[1], "truncated"));
    free_lines(lines, n);
}

/* Counts the records of each kind in the log. */
static void count_events(size_t *capped, size_t *notices, size_t *once, size_t *lines_out)
{
    char *all = slurp();
    *capped = *notices = *once = *lines_out = 0;
    for (char *p = all; *p;) {
        char *nl = strchr(p, '\n');
        assert_non_null(nl);
        *nl = 0;
        cJSON *r = cJSON_Parse(p);
        assert_non_null(r);
        const char *ev = field(r, "event");
        if (!strcmp(ev, "audit.suppressed")) {
            (*notices)++;
            assert_true(number(r, "max_records") == WB_AUDIT_MAX_RECORDS);
            assert_true(number(r, "max_bytes") == WB_AUDIT_MAX_BYTES);
        } else if (!strncmp(ev, "once", 4))
            (*once)++;
        else
            (*capped)++;
        (*lines_out)++;
        cJSON_Delete(r);
        p = nl + 1;
    }
    free(all);
}

static void test_cap(void **state)
{
    (void)state;
    wb_audit *a = open_log();
    assert_true(WB_AUDIT_ONCE(a, "once.start", WB_BOOL("x", true)));
    for (unsigned i = 0; i < WB_AUDIT_MAX_RECORDS + 7; i++)
        assert_true(WB_AUDIT(a, "decision", WB_UINT("i", i)));
    /* past the cap: a once-a-run record is still written ... */
    assert_true(WB_AUDIT_ONCE(a, "once.exit", WB_BOOL("x", true)));
    /* ... but only the first of its name: a second one is capped, counted */
    assert_true(WB_AUDIT_ONCE(a, "once.start", WB_BOOL("x", true)));
    /* a JSON value of a left-out record is freed all the same (ASan) */
    assert_true(WB_AUDIT(a, "decision", WB_JSON("j", cJSON_CreateString("x"))));
    assert_int_equal(wb_audit_suppressed(a), 7 + 1 + 1);
    wb_audit_close(a);

    size_t capped, notices, once, lines;
    count_events(&capped, &notices, &once, &lines);
    assert_int_equal(capped, WB_AUDIT_MAX_RECORDS);
    assert_int_equal(notices, 1);
    assert_int_equal(once, 2);
    assert_int_equal(lines, WB_AUDIT_MAX_RECORDS + 3);
    /* the kept ones are the first ones */
    cJSON *last = NULL;
    char *all = slurp();
    char *p = all, *end;
    for (size_t i = 0; i < WB_AUDIT_MAX_RECORDS; i++)
        p = strchr(p, '\n') + 1;
    end = strchr(p, '\n');
    *end = 0;
    last = cJSON_Parse(p); /* line MAX+1: the last kept decision */
    free(all);
    assert_non_null(last);
    assert_true(number(last, "i") == WB_AUDIT_MAX_RECORDS - 1);
    cJSON_Delete(last);
}

/* Big records meet the byte cap before the record cap: the log keeps as many
 * whole records as fit in WB_AUDIT_MAX_BYTES, and counts the rest. */
static void test_cap_bytes(void **state)
{
    (void)state;
    static char big[1000];
    memset(big, 'b', sizeof big - 1);
    wb_audit *a = open_log();
    enum { N = 2500 };
    for (unsigned i = 0; i < N; i++)
        assert_true(WB_AUDIT(a, "decision", WB_UINT("i", 1000 + i % 9000), WB_STR("a", big),
                             WB_STR("b", big), WB_STR("c", big), WB_STR("d", big),
                             WB_STR("e", big), WB_STR("f", big), WB_STR("g", big),
                             WB_STR("h", big), WB_STR("i2", big), WB_STR("j", big)));
    uint64_t suppressed = wb_audit_suppressed(a);
    wb_audit_close(a);
    char *all = slurp();
    size_t line = (size_t)(strchr(all, '\n') - all) + 1; /* every decision line is as long */
    size_t fit = WB_AUDIT_MAX_BYTES / line;
    assert_true(fit < N && fit < WB_AUDIT_MAX_RECORDS); /* the test is about bytes */
    free(all);
    size_t capped, notices, once, lines;
    count_events(&capped, &notices, &once, &lines);
    assert_int_equal(capped, fit);
    assert_int_equal(notices, 1);
    assert_int_equal(suppressed, N - fit);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true((size_t)st.st_size - fit * line < 512); /* the rest is the notice */
}

typedef struct writer_arg {
    wb_audit *a;
    unsigned n;
} writer_arg;

static void *writer(void *arg)
{
    writer_arg *w = arg;
    for (unsigned i = 0; i < w->n; i++)
        WB_AUDIT(w->a, "decision", WB_UINT("i", i));
    return NULL;
}

/* The count stays exact with several threads writing at once. */
static void test_cap_threads(void **state)
{
    (void)state;
    wb_audit *a = open_log();
    enum { THREADS = 4, EACH = 4000 };
    pthread_t t[THREADS];
    writer_arg arg = {a, EACH};
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, writer, &arg), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(wb_audit_suppressed(a), THREADS * EACH - WB_AUDIT_MAX_RECORDS);
    wb_audit_close(a);
    size_t capped, notices, once, lines;
    count_events(&capped, &notices, &once, &lines);
    assert_int_equal(capped, WB_AUDIT_MAX_RECORDS);
    assert_int_equal(notices, 1);
    assert_int_equal(lines, WB_AUDIT_MAX_RECORDS + 1);
}

static void test_null_and_errors(void **state)
{
    (void)state;
    /* a NULL audit is a no-op (and frees a JSON value given to it: ASan) */
    assert_true(WB_AUDIT(NULL, "anything", WB_STR("k", "v"), WB_JSON("j", cJSON_CreateArray())));
    assert_int_equal(wb_audit_suppressed(NULL), 0);
    wb_audit_close(NULL);
    char err[WB_POLICY_ERR_MAX] = "";
    assert_null(wb_audit_open("/nonexistent-wasmbox-dir/audit.log", err, sizeof err));
    assert_string_equal(err, "audit: cannot open \"/nonexistent-wasmbox-dir/audit.log\": No such "
                             "file or directory");
    assert_null(wb_audit_open("", err, sizeof err));
    assert_string_equal(err, "audit: no file name");
    /* a NULL key is refused, not dereferenced, and nothing is written */
    wb_audit *a = open_log();
    assert_false(WB_AUDIT(a, "bad", WB_STR("ok", "v"), WB_STR(NULL, "v"),
                          WB_JSON("j", cJSON_CreateArray())));
    assert_false(wb_audit_write(a, NULL, 0, NULL, 0));
    wb_audit_close(a);
    assert_int_equal(read_lines(NULL, 0), 0);
}

/* After wb_audit_seal nothing more reaches the log, capped or once-a-run,
 * and a dropped record is not an error: the run's end stays the last line
 * (a hard stop writes it while the guest's thread may still write). */
static void test_seal(void **state)
{
    (void)state;
    wb_audit *a = open_log();
    assert_true(WB_AUDIT(a, "before", WB_UINT("n", 1)));
    assert_true(WB_AUDIT_ONCE(a, "run.exit", WB_STR("status", "limit")));
    wb_audit_seal(a);
    assert_true(WB_AUDIT(a, "after", WB_UINT("n", 2)));
    assert_true(WB_AUDIT_ONCE(a, "proc.trap", WB_STR("message", "interrupted")));
    assert_true(WB_AUDIT_ONCE(a, "run.exit", WB_STR("status", "exited")));
    wb_audit_seal(a); /* twice is fine */
    wb_audit_seal(NULL);
    assert_int_equal(wb_audit_suppressed(a), 0); /* dropped, not counted as capped */
    wb_audit_close(a);
    cJSON *lines[4] = {0};
    size_t n = read_lines(lines, 4);
    assert_int_equal(n, 2);
    assert_string_equal(field(lines[0], "event"), "before");
    assert_string_equal(field(lines[1], "event"), "run.exit");
    assert_string_equal(field(lines[1], "status"), "limit");
    free_lines(lines, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_typed_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strings_cut_and_made_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cap_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cap_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_null_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seal, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
