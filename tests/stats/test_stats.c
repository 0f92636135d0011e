/*
 * test_stats.c - disclosure control on plain cells (primary, complementary,
 * the fixed point across groups) and the datasheet built from hand-made
 * store_table rows: merging, sorting, totals, suppression, bad rows and
 * out of memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "stats/stats.h"

static void test_primary(void **state)
{
    struct stats_cell c[6] = {{0, 0}, {1, 0}, {10, 0}, {11, 0}, {100, 0},
                              {-1, 0}};

    (void)state;
    assert_int_equal(stats_suppress_primary(c, 6, 0), 0);
    assert_int_equal(stats_suppress_primary(c, 6, 1), 0);
    assert_int_equal(stats_suppress_primary(c, 6, 11), 2);
    assert_int_equal(c[0].suppressed, STATS_SHOWN); /* zero is shown */
    assert_int_equal(c[1].suppressed, STATS_PRIMARY);
    assert_int_equal(c[2].suppressed, STATS_PRIMARY);
    assert_int_equal(c[3].suppressed, STATS_SHOWN); /* k itself is shown */
    assert_int_equal(c[4].suppressed, STATS_SHOWN);
    assert_int_equal(c[5].suppressed, STATS_SHOWN);
    /* Values are kept: the renderers withhold them. */
    assert_int_equal(c[1].n, 1);
    /* Marking again marks nothing new. */
    assert_int_equal(stats_suppress_primary(c, 6, 11), 0);
}

static void test_complementary_one_group(void **state)
{
    /* total 100 = 5 + 40 + 0 + 55: the 5 is primary; the smallest shown
     * non-zero other cell (40, not the 0) hides with it. */
    struct stats_cell c[5] = {{100, 0}, {5, 0}, {40, 0}, {0, 0}, {55, 0}};
    struct stats_cell *p[5] = {&c[0], &c[1], &c[2], &c[3], &c[4]};
    struct stats_group g = {p, 5, 1, 0};

    (void)state;
    assert_int_equal(stats_suppress_primary(c, 5, 11), 1);
    assert_int_equal(stats_suppress_complementary(&g, 1), 1);
    assert_int_equal(c[0].suppressed, STATS_SHOWN);
    assert_int_equal(c[1].suppressed, STATS_PRIMARY);
    assert_int_equal(c[2].suppressed, STATS_COMPLEMENTARY);
    assert_int_equal(c[3].suppressed, STATS_SHOWN);
    assert_int_equal(c[4].suppressed, STATS_SHOWN);
    /* Stable: another pass changes nothing. */
    assert_int_equal(stats_suppress_complementary(&g, 1), 0);
}

static void test_complementary_total_only(void **state)
{
    /* total 7 = 7 + 0: both primary, nothing more to hide. A group whose
     * parts are all shown but whose total is hidden gives the total away
     * by addition: a part hides. */
    struct stats_cell a[3] = {{7, 0}, {7, 0}, {0, 0}};
    struct stats_cell *pa[3] = {&a[0], &a[1], &a[2]};
    struct stats_cell b[3] = {{30, STATS_PRIMARY}, {12, 0}, {18, 0}};
    struct stats_cell *pb[3] = {&b[0], &b[1], &b[2]};
    struct stats_group g[2] = {{pa, 3, 1, 0}, {pb, 3, 1, 0}};

    (void)state;
    assert_int_equal(stats_suppress_primary(a, 3, 11), 2);
    assert_int_equal(stats_suppress_complementary(g, 2), 1);
    assert_int_equal(a[2].suppressed, STATS_SHOWN);
    assert_int_equal(b[1].suppressed, STATS_COMPLEMENTARY);
    assert_int_equal(b[2].suppressed, STATS_SHOWN);
}

/* Three totals over three cells, each cell in two of them:
 * 20 = x + y, 30 = x + z, 40 = y + z with x = 5, y = 15, z = 25 and x,
 * y, z hidden. Every group hides two cells, so the one-group rule sees
 * nothing to do, yet the three equations give x = 5 back. The audit must
 * hide a total. Each group also has a shown part (an "other" cell) so that
 * hiding it is possible. */
static void test_audit_triangle(void **state)
{
    struct stats_cell t[3] = {{26, 0}, {36, 0}, {46, 0}};
    struct stats_cell x = {5, STATS_PRIMARY};
    struct stats_cell y = {15, STATS_PRIMARY};
    struct stats_cell z = {25, STATS_PRIMARY};
    struct stats_cell o[3] = {{6, 0}, {6, 0}, {6, 0}};
    struct stats_cell *a[4] = {&t[0], &x, &y, &o[0]};
    struct stats_cell *b[4] = {&t[1], &x, &z, &o[1]};
    struct stats_cell *c[4] = {&t[2], &y, &z, &o[2]};
    struct stats_group g[3] = {{a, 4, 1, 0}, {b, 4, 1, 0}, {c, 4, 1, 0}};
    int hidden = 0;
    int i;

    (void)state;
    /* x, y, z hidden but o shown: 26 - 6 = x + y and so on; solvable. */
    assert_int_equal(stats_suppress_complementary(g, 3), 0);
    assert_true(stats_suppress_audit(g, 3) > 0);
    for (i = 0; i < 3; i++) {
        hidden += o[i].suppressed != STATS_SHOWN;
        hidden += t[i].suppressed != STATS_SHOWN;
    }
    assert_true(hidden >= 1);
    /* Stable, and now nothing is determined. */
    assert_int_equal(stats_suppress_audit(g, 3), 0);
}

static void test_complementary_fixed_point(void **state)
{
    /* A: t1 = 5 = 5 + 0 (both primary). B: g = t1 + t2 (105 = 5 + 100),
     * so t2 must hide; C: t2 = 60 + 40, so then 40 must hide. */
    struct stats_cell t1 = {5, 0};
    struct stats_cell a1 = {5, 0};
    struct stats_cell a2 = {0, 0};
    struct stats_cell gt = {105, 0};
    struct stats_cell t2 = {100, 0};
    struct stats_cell b1 = {60, 0};
    struct stats_cell b2 = {40, 0};
    struct stats_cell *ga[3] = {&t1, &a1, &a2};
    struct stats_cell *gb[3] = {&gt, &t1, &t2};
    struct stats_cell *gc[3] = {&t2, &b1, &b2};
    /* C first, so a single pass would miss it. */
    struct stats_group g[3] = {{gc, 3, 1, 0}, {gb, 3, 1, 0}, {ga, 3, 1, 0}};

    (void)state;
    assert_int_equal(stats_suppress_primary(&t1, 1, 11), 1);
    assert_int_equal(stats_suppress_primary(&a1, 1, 11), 1);
    assert_int_equal(stats_suppress_complementary(g, 3), 2);
    assert_int_equal(t2.suppressed, STATS_COMPLEMENTARY);
    assert_int_equal(b2.suppressed, STATS_COMPLEMENTARY);
    assert_int_equal(b1.suppressed, STATS_SHOWN);
    assert_int_equal(gt.suppressed, STATS_SHOWN);
}

static void row(struct store_table *t, const char *k0, const char *k1,
                int year, long n0, long n1)
{
    struct store_row *r = store_table_add(t);

    assert_non_null(r);
    ctis_strlcpy(r->key[0], k0, STORE_KEY_MAX);
    ctis_strlcpy(r->key[1], k1, STORE_KEY_MAX);
    r->year = year;
    r->n[0] = n0;
    r->n[1] = n1;
}

/* The rows of a small datasheet of every kind of table, deliberately out
 * of order; consecutive rows of one query form one table. */
struct spec {
    enum store_query q;
    const char *k0;
    const char *k1;
    int year;
    long n0;
    long n1;
};

static const struct spec specs[] = {
    {STORE_Q_REPATRIATIONS, "KH", "VN", 2005, 12, 0},
    {STORE_Q_REPATRIATIONS, "LA", "KH", 2005, 2, 0},
    {STORE_Q_REPATRIATIONS, "VN", "KH", 2006, 113, 0},
    {STORE_Q_REPATRIATIONS, "TH", "KH", 2006, 252, 0},
    {STORE_Q_REPATRIATIONS, "TH", "KH", 2005, 186, 0},
    {STORE_Q_REPATRIATIONS, "MY", "KH", 2005, 19, 0},
    {STORE_Q_RESCUES, "ministry", "", 2008, 5, 0},
    {STORE_Q_RESCUES, "family", "", 2008, 580, 0},
    {STORE_Q_RESCUES, "ngo", "", 2008, 89, 0},
    {STORE_Q_RESCUES, "none", "", 2007, 3, 0},
    {STORE_Q_INVESTIGATIONS, "cross_border", "", 0, 43, 70},
    {STORE_Q_SOURCE_PROVINCES, "KH-3", "", 0, 40, 0},
    {STORE_Q_SOURCE_PROVINCES, "KH-14", "", 0, 40, 0},
    {STORE_Q_SOURCE_PROVINCES, "KH-12", "", 0, 60, 0},
    {STORE_Q_SOURCE_PROVINCES, "unknown", "", 0, 4, 0},
    {STORE_Q_MOVEMENT, "internal", "", 0, 100, 0},
    {STORE_Q_MOVEMENT, "cross_border_out", "", 0, 44, 0},
    {STORE_Q_SEX_AGE, "male", "unknown", 0, 20, 0},
    {STORE_Q_SEX_AGE, "male", "child", 0, 30, 0},
    {STORE_Q_SEX_AGE, "female", "adult", 0, 94, 0},
    {STORE_Q_CASES_BY_YEAR, "", "", 2006, 44, 0},
    {STORE_Q_CASES_BY_YEAR, "", "", 2005, 100, 0},
};

/* The tables are built before any fault is injected (fill's own
 * allocations are what the out-of-memory test exercises). */
struct tables {
    struct store_table t[sizeof specs / sizeof specs[0]];
    enum store_query q[sizeof specs / sizeof specs[0]];
    size_t n;
};

static void tables_build(struct tables *ts)
{
    size_t i;

    ts->n = 0;
    for (i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        const struct spec *s = &specs[i];

        if (i == 0 || specs[i - 1].q != s->q) {
            store_table_init(&ts->t[ts->n]);
            ts->q[ts->n] = s->q;
            ts->n++;
        }
        row(&ts->t[ts->n - 1], s->k0, s->k1, s->year, s->n0, s->n1);
    }
}

static void tables_release(struct tables *ts)
{
    size_t i;

    for (i = 0; i < ts->n; i++) {
        store_table_release(&ts->t[i]);
    }
}

static int fill(struct stats_datasheet *ds, const struct tables *ts,
                struct ctis_err *err)
{
    struct model_instrument in;
    struct model_agency a;
    struct model_activity act;
    size_t i;
    int rc = 0;

    for (i = 0; i < ts->n && rc == 0; i++) {
        rc = stats_datasheet_put_table(ds, ts->q[i], &ts->t[i], err);
    }
    if (rc != 0) {
        return rc;
    }
    model_agency_init(&a);
    a.kind = MODEL_AK_UN;
    a.pillars = MODEL_PILLAR_PREVENTION | MODEL_PILLAR_POLICY;
    stats_datasheet_add_agency(ds, &a);
    model_activity_init(&act);
    act.kind = MODEL_ACT_AWARENESS;
    act.reached = 40;
    stats_datasheet_add_activity(ds, &act);
    act.reached = -1;
    stats_datasheet_add_activity(ds, &act);
    model_instrument_init(&in);
    ctis_strlcpy(in.id, "B", sizeof in.id);
    in.date = 0;
    rc = stats_datasheet_add_instrument(ds, &in, err);
    if (rc == 0) {
        ctis_strlcpy(in.id, "A", sizeof in.id);
        in.date = 20080101;
        rc = stats_datasheet_add_instrument(ds, &in, err);
    }
    if (rc == 0) {
        ctis_strlcpy(in.id, "C", sizeof in.id);
        in.date = 19930101;
        rc = stats_datasheet_add_instrument(ds, &in, err);
    }
    if (rc == 0) {
        rc = stats_datasheet_finish(ds, err);
    }
    return rc;
}

static int fill_new(struct stats_datasheet *ds, struct ctis_err *err)
{
    struct tables ts;
    int rc;

    tables_build(&ts);
    rc = fill(ds, &ts, err);
    tables_release(&ts);
    return rc;
}

static void test_datasheet_internal(void **state)
{
    struct stats_datasheet ds;
    struct ctis_err err;
    static const char *const order[][2] = {{"TH", "KH"}, {"TH", "KH"},
                                           {"VN", "KH"}, {"MY", "KH"},
                                           {"LA", "KH"}, {"KH", "VN"}};
    size_t i;

    (void)state;
    stats_datasheet_init(&ds, 2005, 2008, 0);
    assert_int_equal(fill_new(&ds, &err), 0);
    /* Corridors in the seed's order, years ascending within. */
    assert_int_equal(ds.n_repatriations, 6);
    for (i = 0; i < 6; i++) {
        assert_string_equal(ds.repatriations[i].from, order[i][0]);
        assert_string_equal(ds.repatriations[i].to, order[i][1]);
    }
    assert_int_equal(ds.repatriations[0].year, 2005);
    assert_int_equal(ds.repatriations[1].year, 2006);
    assert_int_equal(ds.n_corridors, 5);
    assert_int_equal(ds.corridors[0].persons.n, 438);
    assert_int_equal(ds.repatriated.n, 584);
    /* Rescues merged per year, sorted. */
    assert_int_equal(ds.n_rescues, 2);
    assert_int_equal(ds.rescues[0].year, 2007);
    assert_int_equal(ds.rescues[0].persons.n, 3);
    assert_int_equal(ds.rescues[0].referred[4].n, 3);
    assert_int_equal(ds.rescues[1].persons.n, 674);
    assert_int_equal(ds.rescues[1].referred[0].n, 580);
    assert_int_equal(ds.rescues[1].referred[1].n, 89);
    assert_int_equal(ds.rescues[1].referred[2].n, 5);
    /* Both kinds always present. */
    assert_string_equal(ds.investigations[0].kind, "domestic");
    assert_int_equal(ds.investigations[0].cases.n, 0);
    assert_int_equal(ds.investigations[1].cases.n, 43);
    assert_int_equal(ds.investigations[1].offenders.n, 70);
    /* Descending, ties by key. */
    assert_string_equal(ds.source_provinces.rows[0].key, "KH-12");
    assert_string_equal(ds.source_provinces.rows[1].key, "KH-14");
    assert_string_equal(ds.source_provinces.rows[2].key, "KH-3");
    assert_string_equal(ds.source_provinces.rows[3].key, "unknown");
    assert_string_equal(ds.sex_age.rows[0].key, "female");
    assert_string_equal(ds.sex_age.rows[1].key2, "child");
    assert_string_equal(ds.sex_age.rows[2].key2, "unknown");
    assert_int_equal(ds.cases_by_year.rows[0].year, 2005);
    assert_int_equal(ds.cases.n, 144);
    /* Reference tables. */
    assert_int_equal(ds.agencies[MODEL_AK_UN], 1);
    assert_int_equal(ds.agencies_pillar[MODEL_AK_UN][0], 1);
    assert_int_equal(ds.agencies_pillar[MODEL_AK_UN][1], 0);
    assert_int_equal(ds.agencies_pillar[MODEL_AK_UN][3], 1);
    assert_int_equal(ds.activities[MODEL_ACT_AWARENESS].count, 2);
    assert_int_equal(ds.activities[MODEL_ACT_AWARENESS].reached, 40);
    assert_int_equal(ds.n_instruments, 3);
    assert_string_equal(ds.instruments[0].id, "C");
    assert_string_equal(ds.instruments[1].id, "A");
    assert_string_equal(ds.instruments[2].id, "B"); /* undated last */
    /* k = 0: nothing suppressed. */
    assert_int_equal(ds.suppressed, 0);
    assert_int_equal(ds.repatriations[5].persons.suppressed, STATS_SHOWN);
    stats_datasheet_release(&ds);
    stats_datasheet_release(NULL);
}

static void test_datasheet_public(void **state)
{
    struct stats_datasheet ds;
    struct ctis_err err;

    (void)state;
    stats_datasheet_init(&ds, 2005, 2008, STATS_K_PUBLIC);
    assert_int_equal(fill_new(&ds, &err), 0);
    /* Rescues 2008: ministry 5 is primary; the smallest other non-zero
     * count of the row, NGOs 89, hides with it; the total stays. */
    assert_int_equal(ds.rescues[1].referred[2].suppressed, STATS_PRIMARY);
    assert_int_equal(ds.rescues[1].referred[1].suppressed,
                     STATS_COMPLEMENTARY);
    assert_int_equal(ds.rescues[1].referred[0].suppressed, STATS_SHOWN);
    assert_int_equal(ds.rescues[1].persons.suppressed, STATS_SHOWN);
    /* Rescues 2007: total 3 and none 3 both primary. */
    assert_int_equal(ds.rescues[0].persons.suppressed, STATS_PRIMARY);
    assert_int_equal(ds.rescues[0].referred[4].suppressed, STATS_PRIMARY);
    /* Laos 2 is alone in its corridor: its total 2 is primary too; then
     * the grand total would give the Laos total away, so the smallest
     * other corridor total (KH->VN 12) hides, and then its only year. */
    assert_int_equal(ds.repatriations[4].persons.suppressed, STATS_PRIMARY);
    assert_int_equal(ds.corridors[3].persons.suppressed, STATS_PRIMARY);
    assert_int_equal(ds.corridors[4].persons.suppressed,
                     STATS_COMPLEMENTARY);
    assert_int_equal(ds.repatriations[5].persons.suppressed,
                     STATS_COMPLEMENTARY);
    assert_int_equal(ds.corridors[0].persons.suppressed, STATS_SHOWN);
    assert_int_equal(ds.repatriated.suppressed, STATS_SHOWN);
    /* Source provinces: unknown 4 is primary; the partition equals
     * internal + outward movement, so the smallest other (40) hides. */
    assert_int_equal(ds.source_provinces.rows[3].cases.suppressed, STATS_PRIMARY);
    assert_int_equal(ds.source_provinces.rows[1].cases.suppressed +
                         ds.source_provinces.rows[2].cases.suppressed,
                     STATS_COMPLEMENTARY);
    assert_true(ds.suppressed >= 9);
    stats_datasheet_release(&ds);
}

static void test_bad_rows(void **state)
{
    struct stats_datasheet ds;
    struct store_table t;
    struct ctis_err err;

    (void)state;
    stats_datasheet_init(&ds, 0, 0, 0);
    store_table_init(&t);
    row(&t, "neighbour", "", 2008, 1, 0);
    assert_int_equal(stats_datasheet_put_table(&ds, STORE_Q_RESCUES, &t,
                                               &err),
                     CTIS_EINVAL);
    assert_non_null(strstr(err.msg, "neighbour"));
    assert_int_equal(stats_datasheet_put_table(&ds, STORE_Q_INVESTIGATIONS,
                                               &t, &err),
                     CTIS_EINVAL);
    assert_int_equal(stats_datasheet_put_table(&ds, (enum store_query)99, &t,
                                               &err),
                     CTIS_EINVAL);
    store_table_release(&t);
    /* An empty datasheet finishes. */
    assert_int_equal(stats_datasheet_finish(&ds, &err), 0);
    assert_int_equal(ds.n_corridors, 0);
    stats_datasheet_release(&ds);
}

static void test_out_of_memory(void **state)
{
    long n;

    (void)state;
    for (n = 0;; n++) {
        struct stats_datasheet ds;
        struct ctis_err err;
        struct tables ts;
        int rc;

        tables_build(&ts);
        stats_datasheet_init(&ds, 2005, 2008, STATS_K_PUBLIC);
        ctis_alloc_fail_after(n);
        rc = fill(&ds, &ts, &err);
        ctis_alloc_fail_reset();
        stats_datasheet_release(&ds);
        tables_release(&ts);
        if (rc == 0) {
            break;
        }
        assert_int_equal(rc, CTIS_ENOMEM);
        assert_int_equal(err.code, CTIS_ENOMEM);
    }
    assert_true(n > 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_primary),
        cmocka_unit_test(test_complementary_one_group),
        cmocka_unit_test(test_complementary_total_only),
        cmocka_unit_test(test_complementary_fixed_point),
        cmocka_unit_test(test_audit_triangle),
        cmocka_unit_test(test_datasheet_internal),
        cmocka_unit_test(test_datasheet_public),
        cmocka_unit_test(test_bad_rows),
        cmocka_unit_test(test_out_of_memory),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
