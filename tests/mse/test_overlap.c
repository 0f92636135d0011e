/*
 * test_overlap.c - the overlap table parser: good tables, strata, and
 * each kind of bad input refused with "FILE:LINE: field 'NAME': reason".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mse/mse.h"

/*
 * Feed text (lines of comma-separated fields, no quoting) to a new
 * parser. Returns the first error code (0 when all went well); *out gets
 * the parser, to be freed by the caller.
 */
static int parse(const char *text, const char *strata, struct mse_overlap **out,
                 struct ctis_err *err)
{
    char buf[4096];
    char *line = buf;
    long lineno = 0;
    int rc;

    ctis_strlcpy(buf, text, sizeof buf);
    rc = mse_overlap_new(out, "t.csv", strata, err);
    if (rc != 0) {
        return rc;
    }
    while (line != NULL && *line != '\0') {
        char *next = strchr(line, '\n');
        const char *fields[32];
        size_t n = 0;
        char *f = line;

        if (next != NULL) {
            *next++ = '\0';
        }
        lineno++;
        for (;;) {
            char *comma = strchr(f, ',');

            fields[n++] = f;
            if (comma == NULL) {
                break;
            }
            *comma = '\0';
            f = comma + 1;
        }
        rc = lineno == 1 ? mse_overlap_header(*out, n, fields, lineno, err)
                         : mse_overlap_row(*out, n, fields, lineno, err);
        if (rc != 0) {
            return rc;
        }
        line = next;
    }
    return mse_overlap_finish(*out, err);
}

static void test_good(void **state)
{
    struct mse_overlap *p = NULL;
    const struct mse_table *t;

    (void)state;
    assert_int_equal(parse("A,B,C,count\n1,0,0,40\n0,1,0,30\n0,0,1,20\n"
                           "1,1,0,6\n",
                           NULL, &p, NULL),
                     0);
    assert_int_equal(mse_overlap_nstrata(p), 1);
    t = mse_overlap_table(p, 0);
    assert_int_equal(t->k, 3);
    assert_string_equal(t->names[2], "C");
    assert_true(t->count[1] == 40 && t->count[3] == 6 && t->count[7] == 0);
    mse_overlap_free(p);
    /* Count first, other case, explicit zero rows. */
    assert_int_equal(parse("Count,X,Y\n5,1,0\n7,0,1\n0,1,1\n", NULL, &p, NULL),
                     0);
    t = mse_overlap_table(p, 0);
    assert_true(t->count[1] == 5 && t->count[2] == 7 && t->count[3] == 0);
    mse_overlap_free(p);
}

static void test_strata(void **state)
{
    struct mse_overlap *p = NULL;

    (void)state;
    assert_int_equal(parse("A,B,sex,count\n1,0,F,4\n0,1,F,5\n1,1,F,2\n"
                           "1,0,M,3\n0,1,M,3\n1,1,M,1\n",
                           "sex", &p, NULL),
                     0);
    assert_int_equal(mse_overlap_nstrata(p), 2);
    assert_string_equal(mse_overlap_stratum(p, 1), "M");
    assert_true(mse_overlap_table(p, 1)->count[3] == 1);
    mse_overlap_free(p);
}

static void expect_error(const char *text, const char *strata, const char *msg)
{
    struct mse_overlap *p = NULL;
    struct ctis_err err;

    ctis_err_clear(&err);
    assert_int_equal(parse(text, strata, &p, &err), CTIS_EINVAL);
    if (strcmp(err.msg, msg) != 0) {
        fail_msg("got '%s', expected '%s'", err.msg, msg);
    }
    mse_overlap_free(p);
}

static void test_bad_input(void **state)
{
    (void)state;
    expect_error("A,B,count\n1,0,3\n0,2,4\n", NULL,
                 "t.csv:3: field 'B': not 0 or 1 (a stratum column? name it "
                 "with --strata)");
    expect_error("A,B,count\n1,0,3\n0,1,-4\n", NULL,
                 "t.csv:3: field 'count': negative count");
    expect_error("A,B,count\n1,0,3\n0,1,4.5\n", NULL,
                 "t.csv:3: field 'count': not a whole number");
    expect_error("A,B,count\n1,0,3\n0,1,4\n1,0,2\n", NULL,
                 "t.csv:4: field 'count': duplicate pattern (first on line "
                 "2)");
    expect_error("A,count\n1,3\n", NULL,
                 "t.csv:1: field 'A': fewer than two lists");
    expect_error("A,B,count\n1,0,3\n0,0,4\n", NULL,
                 "t.csv:3: field 'A': the pattern has no list (all zero)");
    expect_error("A,B,C,count\n1,0,0,3\n0,1,0,4\n1,1,0,1\n0,0,1,0\n", NULL,
                 "t.csv:1: field 'C': no one is on this list");
    expect_error("A,B\n1,0\n", NULL, "t.csv:1: field 'count': missing column");
    expect_error("A,B,count\n1,0\n", NULL,
                 "t.csv:2: field 'count': 2 fields where the header has 3");
    expect_error("A,B,count\n", NULL, "t.csv:1: field 'count': no data rows");
    expect_error("A,A,count\n1,0,1\n", NULL,
                 "t.csv:1: field 'A': duplicate column");
    expect_error("A,B,count\n1,0,1\n", "year",
                 "t.csv:1: field 'year': no such column (named as the "
                 "stratum)");
    expect_error("A,B,count\n1,0,99999999999999999\n", NULL,
                 "t.csv:2: field 'count': larger than 1000000000000000");
    expect_error("A:1,B,count\n1,0,1\n", NULL,
                 "t.csv:1: field 'A:1': a list name may not hold ':' or ','");
}

/* Every allocation failure is a clean CTIS_ENOMEM (ASan checks leaks). */
static void test_oom(void **state)
{
    struct mse_overlap *p = NULL;
    long n;
    int rc = -1;

    (void)state;
    for (n = 0; n < 10000; n++) {
        struct ctis_err err;

        ctis_alloc_fail_after(n);
        rc = parse("A,B,s,count\n1,0,x,4\n0,1,y,5\n1,1,z,2\n1,0,w,3\n"
                   "0,1,v,1\n",
                   "s", &p, &err);
        ctis_alloc_fail_reset();
        mse_overlap_free(p);
        p = NULL;
        if (rc == 0) {
            break;
        }
        assert_int_equal(rc, CTIS_ENOMEM);
    }
    assert_int_equal(rc, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_strata),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_oom),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
