/*
 * test_base.c - the base layer: dates, numbers, UTF-8, buffers, arena,
 * errors, the allocator's fault injection, the line reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>

#include "base/base.h"
#include "tests/support/support.h"

static void test_dates(void **state)
{
    int d = 0;
    char text[11];

    (void)state;
    assert_int_equal(ctis_date_parse("2008-02-29", &d), 0);
    assert_int_equal(d, 20080229);
    assert_int_not_equal(ctis_date_parse("2007-02-29", &d), 0);
    assert_int_not_equal(ctis_date_parse("2007-13-01", &d), 0);
    assert_int_not_equal(ctis_date_parse("2007-1-01", &d), 0);
    assert_int_not_equal(ctis_date_parse("2007-01-01x", &d), 0);
    assert_int_not_equal(ctis_date_parse("1899-12-31", &d), 0);
    ctis_date_format(20070302, text);
    assert_string_equal(text, "2007-03-02");
    assert_int_equal(ctis_date_age(19900402, 20080401), 17);
    assert_int_equal(ctis_date_age(19900402, 20080402), 18);
    assert_int_equal(ctis_date_days(19700101), 0);
    assert_int_equal(ctis_date_from_days(ctis_date_days(20081231) + 1),
                     20090101);
    assert_int_equal(ctis_date_from_days(ctis_date_days(20000228) + 1),
                     20000229);
}

static void test_numbers(void **state)
{
    long v = 0;
    double x = 0;

    (void)state;
    assert_int_equal(ctis_parse_long("42", 0, 100, &v), 0);
    assert_int_equal(v, 42);
    assert_int_not_equal(ctis_parse_long("101", 0, 100, &v), 0);
    assert_int_not_equal(ctis_parse_long("4x", 0, 100, &v), 0);
    assert_int_not_equal(ctis_parse_long("", 0, 100, &v), 0);
    assert_int_not_equal(ctis_parse_long(" 4", 0, 100, &v), 0);
    assert_int_equal(ctis_parse_double("0.95", &x), 0);
    assert_true(x > 0.949 && x < 0.951);
    assert_int_not_equal(ctis_parse_double("nan", &x), 0);
    assert_int_not_equal(ctis_parse_double("1e999", &x), 0);
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(ctis_utf8_valid("abc", 3));
    assert_true(ctis_utf8_valid("សុខា", strlen("សុខា")));
    assert_false(ctis_utf8_valid("\xC0\x80", 2));         /* overlong */
    assert_false(ctis_utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
    assert_false(ctis_utf8_valid("\xE1\x9E", 2));         /* truncated */
    assert_false(ctis_utf8_valid("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
}

static void test_buf_and_arena(void **state)
{
    struct ctis_buf b;
    struct ctis_arena a;
    int i;
    char *s;

    (void)state;
    ctis_buf_init(&b);
    for (i = 0; i < 1000; i++) {
        assert_int_equal(ctis_buf_printf(&b, "%d,", i), 0);
    }
    assert_int_equal(strncmp(b.data, "0,1,2,", 6), 0);
    assert_int_equal(b.len, strlen(b.data));
    ctis_buf_release(&b);
    ctis_arena_init(&a, 64);
    for (i = 0; i < 100; i++) {
        s = ctis_arena_strdup(&a, "a string in the arena");
        assert_non_null(s);
        assert_int_equal((uintptr_t)s % 16, 0);
    }
    assert_non_null(ctis_arena_alloc(&a, 100000));
    ctis_arena_release(&a);
}

static void test_errors(void **state)
{
    struct ctis_err err;

    (void)state;
    assert_int_equal(ctis_err_set(&err, CTIS_EINVAL, "bad '%s'", "x"),
                     CTIS_EINVAL);
    ctis_err_prefix(&err, "file.jsonl:%d", 3);
    assert_string_equal(err.msg, "file.jsonl:3: bad 'x'");
    assert_int_equal(err.code, CTIS_EINVAL);
    assert_string_equal(ctis_strerror(CTIS_ENOMEM), "out of memory");
    assert_int_equal(ctis_err_set(NULL, CTIS_EIO, "x"), CTIS_EIO);
}

static void test_alloc_fault_injection(void **state)
{
    struct ctis_buf b;
    long n;

    (void)state;
    for (n = 0;; n++) {
        int rc;

        ctis_alloc_fail_after(n);
        ctis_buf_init(&b);
        rc = ctis_buf_puts(&b, "hello");
        if (rc == 0) {
            rc = ctis_buf_printf(&b, "%0200d", 1);
        }
        ctis_buf_release(&b);
        if (!ctis_alloc_failed()) {
            assert_int_equal(rc, 0);
            break;
        }
        assert_int_equal(rc, CTIS_ENOMEM);
    }
    ctis_alloc_fail_reset();
    assert_true(n >= 1);
}

static void test_lines(void **state)
{
    FILE *f = tmpfile();
    struct ctis_lines l;

    (void)state;
    fputs("one\r\ntwo\n\nthree", f);
    rewind(f);
    assert_int_equal(ctis_lines_init(&l, f), 0);
    assert_int_equal(ctis_lines_next(&l, 100), 1);
    assert_string_equal(l.line.data, "one");
    assert_int_equal(ctis_lines_next(&l, 100), 1);
    assert_string_equal(l.line.data, "two");
    assert_int_equal(ctis_lines_next(&l, 100), 1);
    assert_string_equal(l.line.data, "");
    assert_int_equal(ctis_lines_next(&l, 100), 1);
    assert_string_equal(l.line.data, "three");
    assert_int_equal(l.lineno, 4);
    assert_int_equal(ctis_lines_next(&l, 100), 0);
    ctis_lines_release(&l);
    rewind(f);
    assert_int_equal(ctis_lines_init(&l, f), 0);
    assert_int_equal(ctis_lines_next(&l, 2), CTIS_EINVAL);
    ctis_lines_release(&l);
    fclose(f);
}

static void test_rng(void **state)
{
    struct ctis_rng a;
    struct ctis_rng b;
    int i;

    (void)state;
    ctis_rng_seed(&a, 7);
    ctis_rng_seed(&b, 7);
    for (i = 0; i < 100; i++) {
        uint64_t x = ctis_rng_below(&a, 10);

        assert_int_equal(x, ctis_rng_below(&b, 10));
        assert_true(x < 10);
    }
}

/* Files in dir, "." and ".." excepted. */
static int files_in(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    }
    closedir(d);
    return n;
}

/* A commit that must not replace: a file that appears at the path after
 * the output was opened (a restore's target made meanwhile) stays as it
 * was, the commit says CTIS_EEXIST, and no temporary file is left; with
 * the path free it lands there. Names: a side file of a database is the
 * same name whether or not it exists. */
static void test_atomic_no_replace(void **state)
{
    char dir[256];
    char path[512];
    char other[512];
    struct ctis_atomic_file a;
    struct ctis_err err;
    char text[16] = "";
    FILE *f;

    (void)state;
    assert_int_equal(test_tmpdir_make(dir, sizeof dir, "atomic"), 0);
    snprintf(path, sizeof path, "%s/new.db", dir);
    assert_int_equal(ctis_atomic_open(&a, path, &err), 0);
    fputs("restored", a.f);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("meanwhile", f);
    fclose(f);
    assert_int_equal(ctis_atomic_commit_new(&a, &err), CTIS_EEXIST);
    f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(text, sizeof text, f));
    fclose(f);
    assert_string_equal(text, "meanwhile");
    assert_int_equal(files_in(dir), 1);
    assert_int_equal(remove(path), 0);
    assert_int_equal(ctis_atomic_open(&a, path, &err), 0);
    fputs("restored", a.f);
    assert_int_equal(ctis_atomic_commit_new(&a, &err), 0);
    assert_int_equal(files_in(dir), 1);
    snprintf(other, sizeof other, "%s/./new.db-wal", dir);
    snprintf(path, sizeof path, "%s/new.db-wal", dir);
    assert_true(ctis_same_name(path, other));
    assert_false(ctis_same_name(path, "new.db-wal"));
    assert_int_equal(test_tmpdir_remove(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_buf_and_arena),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_alloc_fault_injection),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_rng),
        cmocka_unit_test(test_atomic_no_replace),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
