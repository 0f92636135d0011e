/*
 * test_import.c - io_import into a real SQLite file under injected
 * allocation failures: every failure is a clean CTIS_ENOMEM, the rolled
 * back database holds nothing of the file, and the loop ends with the
 * whole file imported. Also the pipeline's order: problems come in line
 * order and a forward reference resolves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/support.h"

#include "io/io.h"

static const char *const lines =
    "{\"type\":\"case\",\"id\":\"C-0\",\"agency\":\"ngo-1\","
    "\"events\":[{\"type\":\"rescue\",\"date\":\"2008-01-02\"}]}\n"
    "{\"type\":\"agency\",\"id\":\"ngo-1\",\"name\":\"N\",\"kind\":\"ngo\"}\n"
    "{\"type\":\"case\",\"id\":\"C-1\",\"agency\":\"ngo-1\",\"person\":"
    "{\"given_name\":\"Sokha\",\"sex\":\"female\",\"birth_year\":1990},"
    "\"events\":[{\"type\":\"identification\",\"date\":\"2008-01-01\"},"
    "{\"type\":\"referral\",\"date\":\"2008-01-09\",\"to\":\"ngo\"}]}\n"
    "{\"type\":\"criminal_case\",\"id\":\"P-1\",\"kind\":\"domestic\","
    "\"offenders\":[{\"id\":\"O-1\",\"role\":\"broker\"}],"
    "\"victim_cases\":[\"C-1\",\"C-0\"],\"events\":[{\"type\":"
    "\"investigation\",\"date\":\"2008-02-01\"}]}\n";

struct fixture {
    char dir[64];
    char db[96];
    char file[96];
};

static int setup(void **state)
{
    struct fixture *f = ctis_calloc(1, sizeof *f);
    FILE *out;

    if (f == NULL || test_tmpdir_make(f->dir, sizeof f->dir, "import")) {
        return -1;
    }
    snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
    snprintf(f->file, sizeof f->file, "%s/in.jsonl", f->dir);
    out = fopen(f->file, "w");
    if (out == NULL) {
        return -1;
    }
    fputs(lines, out);
    fclose(out);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    int rc = test_tmpdir_remove(f->dir);

    ctis_free(f);
    return rc;
}

static long count(struct store *st, enum store_kind kind)
{
    long n = -1;

    assert_int_equal(store_count(st, kind, &n, NULL), 0);
    return n;
}

static void test_out_of_memory(void **state)
{
    struct fixture *f = *state;
    struct store *st = NULL;
    struct io_import_opts opts;
    long n;
    int failures = 0;

    memset(&opts, 0, sizeof opts);
    opts.progress = -1;
    assert_int_equal(store_open(&st, f->db, STORE_OPEN_CREATE, NULL), 0);
    for (n = 0; n < 100000; n++) {
        struct io_import_stats stats;
        struct ctis_err err;
        int rc;

        memset(&stats, 0, sizeof stats);
        ctis_err_clear(&err);
        ctis_alloc_fail_after(n);
        rc = store_begin(st, &err);
        if (rc == 0) {
            rc = io_import(st, f->file, &opts, &stats, &err);
        }
        if (rc == 0) {
            rc = store_commit(st, &err);
        }
        if (rc != 0) {
            store_rollback(st);
        }
        ctis_alloc_fail_reset();
        if (rc == 0) {
            break;
        }
        failures++;
        if (rc != CTIS_ENOMEM) {
            print_error("n=%ld: rc %d: %s\n", n, rc, err.msg);
        }
        assert_int_equal(rc, CTIS_ENOMEM);
        assert_int_equal(count(st, STORE_AGENCY), 0);
        assert_int_equal(count(st, STORE_CASE), 0);
        assert_int_equal(count(st, STORE_CRIMINAL_CASE), 0);
    }
    assert_true(failures > 10);
    assert_int_equal(count(st, STORE_AGENCY), 1);
    assert_int_equal(count(st, STORE_CASE), 2);
    assert_int_equal(count(st, STORE_CRIMINAL_CASE), 1);
    store_close(st);
}

struct seen {
    char text[8][160];
    int n;
};

static void collect(void *ctx, const char *problem)
{
    struct seen *s = ctx;

    if (s->n < 8) {
        ctis_strlcpy(s->text[s->n++], problem, sizeof s->text[0]);
    }
}

static void test_problems_in_line_order(void **state)
{
    struct fixture *f = *state;
    struct store *st = NULL;
    struct io_import_opts opts;
    struct io_import_stats stats;
    struct seen seen;
    struct ctis_err err;
    FILE *out = fopen(f->file, "w");
    int i;

    assert_non_null(out);
    for (i = 0; i < 2000; i++) {
        if (i == 700 || i == 1500) {
            fprintf(out, "{\"type\":\"case\",\"id\":\"B-%d\"}\n", i);
        } else {
            fprintf(out, "{\"type\":\"agency\",\"id\":\"a-%d\",\"name\":"
                         "\"x\",\"kind\":\"ngo\"}\n", i);
        }
    }
    fclose(out);
    memset(&opts, 0, sizeof opts);
    memset(&stats, 0, sizeof stats);
    memset(&seen, 0, sizeof seen);
    opts.progress = -1;
    opts.report = collect;
    opts.report_ctx = &seen;
    assert_int_equal(store_open(&st, f->db, STORE_OPEN_CREATE, NULL), 0);
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(io_import(st, f->file, &opts, &stats, &err),
                     CTIS_EINVAL);
    store_rollback(st);
    assert_int_equal(seen.n, 2);
    assert_non_null(strstr(seen.text[0], "in.jsonl:701: field 'agency'"));
    assert_non_null(strstr(seen.text[1], "in.jsonl:1501: field 'agency'"));
    assert_int_equal(stats.lines, 2000);
    assert_int_equal(stats.rejected, 2);
    assert_int_equal(count(st, STORE_AGENCY), 0);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_out_of_memory, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_problems_in_line_order, setup,
                                        teardown),
    };

    io_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
