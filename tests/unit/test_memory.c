/* Linear memory through the public API: bounds at the edges, growth against
 * the module maximum, WB_MAX_PAGES and the store cap, peak memory (tables
 * sharing the cap: test_budget.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../vm/vm.h"

#define PAGE 65536u

static void test_new_is_zeroed_and_sized(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_memory *m = wb_memory_new(s, 2, 4);
    assert_non_null(m);
    assert_int_equal(wb_memory_size(m), 2 * PAGE);
    const uint8_t *d = wb_memory_data(m);
    for (size_t i = 0; i < 2 * PAGE; i += 4093)
        assert_int_equal(d[i], 0);
    assert_int_equal(d[2 * PAGE - 1], 0);
    wb_store_free(s);
}

static void test_read_write_edges(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_memory *m = wb_memory_new(s, 1, UINT64_MAX);
    assert_non_null(m);
    uint8_t b = 0xAB, out = 0, buf[8] = {1, 2, 3, 4, 5, 6, 7, 8};

    assert_true(wb_memory_write(m, PAGE - 1, &b, 1)); /* last byte */
    assert_true(wb_memory_read(m, PAGE - 1, &out, 1));
    assert_int_equal(out, 0xAB);
    assert_int_equal(wb_memory_data(m)[PAGE - 1], 0xAB);

    assert_false(wb_memory_write(m, PAGE, &b, 1)); /* one past the end */
    assert_false(wb_memory_read(m, PAGE, &out, 1));
    assert_true(wb_memory_read(m, PAGE, &out, 0));  /* empty at the end: fine */
    assert_false(wb_memory_read(m, PAGE + 1, &out, 0));

    /* a span crossing the end changes nothing */
    assert_false(wb_memory_write(m, PAGE - 4, buf, 8));
    assert_int_equal(wb_memory_data(m)[PAGE - 4], 0);
    assert_int_equal(wb_memory_data(m)[PAGE - 1], 0xAB);
    assert_true(wb_memory_write(m, PAGE - 8, buf, 8));
    uint8_t back[8];
    assert_true(wb_memory_read(m, PAGE - 8, back, 8));
    assert_memory_equal(back, buf, 8);

    /* offset + len wrapping around 64 bits must not pass */
    assert_false(wb_memory_read(m, UINT64_MAX, &out, 1));
    assert_false(wb_memory_read(m, UINT64_MAX - 3, back, 8));
    assert_false(wb_memory_write(m, 8, buf, SIZE_MAX));
    assert_false(wb_memory_read(m, 1, back, SIZE_MAX));
    wb_store_free(s);
}

static void test_empty_memory(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_memory *m = wb_memory_new(s, 0, UINT64_MAX);
    assert_non_null(m);
    assert_int_equal(wb_memory_size(m), 0);
    uint8_t b = 1;
    assert_true(wb_memory_read(m, 0, &b, 0));
    assert_false(wb_memory_read(m, 0, &b, 1));
    assert_false(wb_memory_write(m, 0, &b, 1));
    assert_int_equal(wb_memory_grow(m, 1), 0);
    assert_int_equal(wb_memory_size(m), PAGE);
    assert_true(wb_memory_write(m, PAGE - 1, &b, 1));
    wb_store_free(s);
}

static void test_grow_to_max_keeps_data(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_memory *m = wb_memory_new(s, 1, 3);
    uint32_t v = 0xDEADBEEF, w = 0;
    assert_true(wb_memory_write(m, 100, &v, 4));
    assert_int_equal(wb_memory_grow(m, 0), 1);
    assert_int_equal(wb_memory_grow(m, 2), 1);
    assert_int_equal(wb_memory_size(m), 3 * PAGE);
    assert_true(wb_memory_read(m, 100, &w, 4));
    assert_int_equal(w, 0xDEADBEEF);
    /* the new pages are zero */
    assert_int_equal(wb_memory_data(m)[PAGE], 0);
    assert_int_equal(wb_memory_data(m)[3 * PAGE - 1], 0);
    /* past the maximum: refused, size unchanged */
    assert_int_equal(wb_memory_grow(m, 1), -1);
    assert_int_equal(wb_memory_grow(m, UINT64_MAX), -1);
    assert_int_equal(wb_memory_size(m), 3 * PAGE);
    assert_int_equal(wb_memory_grow(m, 0), 3);
    wb_store_free(s);
}

static void test_grow_past_4gib_refused(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    wb_memory *m = wb_memory_new(s, 1, UINT64_MAX);
    assert_int_equal(wb_memory_grow(m, 65536), -1); /* 65537 pages > 4 GiB */
    assert_int_equal(wb_memory_grow(m, UINT64_MAX - 1), -1);
    assert_int_equal(wb_memory_size(m), PAGE);
    /* a maximum above the 32-bit space is not a valid memory type */
    assert_null(wb_memory_new(s, 1, 65537));
    assert_null(wb_memory_new(s, 3, 2));
    assert_null(wb_memory_new(s, 65537, UINT64_MAX));
    wb_store_free(s);
}

static void test_store_cap(void **state)
{
    (void)state;
    wb_limits l = wb_default_limits();
    l.max_memory = 4 * PAGE;
    wb_store *s = wb_store_new(&l);
    assert_null(wb_memory_new(s, 5, UINT64_MAX)); /* min over the cap */
    wb_memory *m = wb_memory_new(s, 1, UINT64_MAX);
    assert_non_null(m);
    assert_int_equal(wb_memory_grow(m, 3), 1);    /* exactly at the cap */
    assert_int_equal(wb_memory_grow(m, 1), -1);   /* past it */
    assert_int_equal(wb_memory_size(m), 4 * PAGE);
    wb_store_free(s);
}

static void test_peak_memory(void **state)
{
    (void)state;
    wb_store *s = wb_store_new(NULL);
    assert_int_equal(wb_store_peak_memory(s), 0);
    wb_memory *a = wb_memory_new(s, 2, UINT64_MAX);
    assert_int_equal(wb_store_peak_memory(s), 2 * PAGE);
    wb_memory *b = wb_memory_new(s, 1, UINT64_MAX);
    assert_int_equal(wb_store_peak_memory(s), 3 * PAGE); /* the sum of all memories */
    assert_int_equal(wb_memory_grow(b, 4), 1);
    assert_int_equal(wb_store_peak_memory(s), 7 * PAGE);
    assert_int_equal(wb_memory_grow(a, 70000), -1); /* refused growth is not a peak */
    assert_int_equal(wb_store_peak_memory(s), 7 * PAGE);
    wb_store_free(s);
}

static void test_big_grow_is_lazy(void **state)
{
    (void)state;
    /* 1 GiB: the pages are only reserved; touching both ends must work. */
    wb_store *s = wb_store_new(NULL);
    wb_memory *m = wb_memory_new(s, 0, UINT64_MAX);
    if (wb_memory_grow(m, 16384) == 0) {
        uint8_t b = 7, out = 0;
        assert_true(wb_memory_write(m, (uint64_t)16384 * PAGE - 1, &b, 1));
        assert_true(wb_memory_read(m, (uint64_t)16384 * PAGE - 1, &out, 1));
        assert_int_equal(out, 7);
        assert_int_equal(wb_memory_data(m)[0], 0);
        assert_int_equal(wb_store_peak_memory(s), (uint64_t)16384 * PAGE);
    } else {
        /* the host may refuse (address-space limits); then nothing changed */
        assert_int_equal(wb_memory_size(m), 0);
    }
    wb_store_free(s);
}

/* Every byte of a memory of `pages` pages (made on this thread) reads 0. */
static void all_zero(wb_memory *m)
{
    const uint8_t *d = wb_memory_data(m);
    for (uint64_t i = 0; i < wb_memory_size(m); i++)
        if (d[i])
            fail_msg("byte %llu of a new memory is 0x%02x, left by an earlier one",
                     (unsigned long long)i, d[i]);
}

/* A memory released on a thread lends its mapping to the next one made
 * there (memory.c "spare"): the next never sees the earlier one's bytes,
 * at its size, after it grows within the mapping, nor after it grows past
 * it; a memory of another store while the first is alive gets its own. */
static void test_reused_mapping_is_zeroed(void **state)
{
    (void)state;
    const uint8_t *first = NULL;
    for (int round = 0; round < 4; round++) {
        wb_store *s = wb_store_new(NULL);
        wb_memory *m = wb_memory_new(s, 1, UINT64_MAX);
        assert_non_null(m);
        all_zero(m);
        if (round == 0)
            first = wb_memory_data(m);
        else /* the same mapping came back (else this test tests nothing) */
            assert_ptr_equal(wb_memory_data(m), first);
        /* the earlier rounds left 5 pages written; this one sees 1 of them */
        assert_int_equal(wb_memory_grow(m, 2), 1);
        all_zero(m);
        assert_int_equal(wb_memory_grow(m, 2), 3);
        all_zero(m);
        /* a second live memory while this one is alive: its own pages */
        wb_store *s2 = wb_store_new(NULL);
        wb_memory *m2 = wb_memory_new(s2, 1, UINT64_MAX);
        assert_non_null(m2);
        assert_ptr_not_equal(wb_memory_data(m2), wb_memory_data(m));
        all_zero(m2);
        /* everything written, pattern by round: some pages touched, others not */
        uint8_t *d = wb_memory_data(m);
        memset(d, 0xA0 + round, wb_memory_size(m) - PAGE);
        d[wb_memory_size(m) - 1] = 0xEE;
        memset(wb_memory_data(m2), 0x55, PAGE);
        wb_store_free(s2); /* m2's mapping is kept: the next round's m must not get it */
        wb_store_free(s);
        /* m2 is the spare now, zeroed; m's mapping was unmapped (one spare) */
        wb_store *s3 = wb_store_new(NULL);
        wb_memory *m3 = wb_memory_new(s3, 1, UINT64_MAX);
        all_zero(m3);
        /* grown past the spare's size: a mapping of its own, zero too */
        assert_int_equal(wb_memory_grow(m3, 8), 1);
        all_zero(m3);
        memset(wb_memory_data(m3), 0x77, wb_memory_size(m3));
        wb_store_free(s3);
        first = NULL;
        /* the next round's first memory is m3's mapping (the spare now) */
        wb_store *s4 = wb_store_new(NULL);
        wb_memory *m4 = wb_memory_new(s4, 1, UINT64_MAX);
        all_zero(m4);
        first = wb_memory_data(m4);
        memset(wb_memory_data(m4), 0x99, PAGE);
        wb_store_free(s4);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_is_zeroed_and_sized),
        cmocka_unit_test(test_read_write_edges),
        cmocka_unit_test(test_empty_memory),
        cmocka_unit_test(test_grow_to_max_keeps_data),
        cmocka_unit_test(test_grow_past_4gib_refused),
        cmocka_unit_test(test_store_cap),
        cmocka_unit_test(test_peak_memory),
        cmocka_unit_test(test_big_grow_is_lazy),
        cmocka_unit_test(test_reused_mapping_is_zeroed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
