/*
 * test_counts.c - the aggregate counters of the SQLite backend
 * (store/sqlite_count.c) against an oracle: the same aggregates computed
 * by plain SQL over the base tables of the same file. Random cases are
 * put, re-put, extended with store_add_event, committed or rolled back,
 * and after each transaction every counter query must equal its oracle
 * for several periods. Then the counters are damaged behind the store's
 * back and rebuilt (sq_counts_rebuild, store/store_int.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/support.h"
#include <sqlite3.h>

#include "store/store.h"
#include "store/store_int.h"

static char dir[64];

static int group_setup(void **state)
{
    (void)state;
    return test_tmpdir_make(dir, sizeof dir, "counts");
}

static int group_teardown(void **state)
{
    (void)state;
    return test_tmpdir_remove(dir);
}

#define CASES_WHERE                                                         \
    " FROM cases WHERE trafficking_status <> 2"                             \
    " AND identification_date BETWEEN ?1 AND ?2"

/* The oracle: the aggregates of store.h as plain SQL on the base tables;
 * integer codes, decoded with codes[q]. */
static const char *const oracle_sql[] = {
    [STORE_Q_REPATRIATIONS] =
        "SELECT e.from_country, e.to_country, e.date / 10000,"
        " count(DISTINCT e.case_rid) FROM event e JOIN cases c"
        " ON c.rid = e.case_rid WHERE e.type = 4 AND e.official = 1"
        " AND e.date BETWEEN ?1 AND ?2 AND c.trafficking_status <> 2"
        " GROUP BY 1, 2, 3",
    [STORE_Q_RESCUES] =
        "WITH r AS (SELECT e.case_rid AS rid, e.date / 10000 AS y,"
        " min(e.date) AS d FROM event e JOIN cases c ON c.rid = e.case_rid"
        " WHERE e.type = 1 AND e.date BETWEEN ?1 AND ?2"
        " AND c.trafficking_status <> 2 GROUP BY e.case_rid, y),"
        " k AS (SELECT r.y AS y, coalesce((SELECT f.referral FROM event f"
        " WHERE f.case_rid = r.rid AND f.type = 10 AND f.date >= r.d"
        " ORDER BY f.date, f.seq LIMIT 1), 0) AS k FROM r)"
        " SELECT k, NULL, y, count(*) FROM k GROUP BY y, k",
    [STORE_Q_INVESTIGATIONS] = NULL,
    [STORE_Q_CONVICTIONS] = NULL,
    [STORE_Q_SOURCE_PROVINCES] =
        "SELECT home_province, NULL, 0, count(*)" CASES_WHERE
        " AND movement IN (1, 2) GROUP BY 1",
    [STORE_Q_DEST_PROVINCES] =
        "SELECT destination_province, NULL, 0, count(*)" CASES_WHERE
        " AND movement IN (1, 3) GROUP BY 1",
    [STORE_Q_DEST_COUNTRIES] =
        "SELECT destination_country, NULL, 0, count(*)" CASES_WHERE
        " AND movement = 2 GROUP BY 1",
    [STORE_Q_SEX_AGE] =
        "SELECT sex, age_group, 0, count(*)" CASES_WHERE " GROUP BY 1, 2",
    [STORE_Q_EXPLOITATION] =
        "WITH b(k) AS (VALUES (1), (2), (4), (8), (16), (32))"
        " SELECT b.k, NULL, 0, count(*) FROM b JOIN cases"
        " ON (exploitation & b.k) <> 0 WHERE trafficking_status <> 2"
        " AND identification_date BETWEEN ?1 AND ?2 GROUP BY 1",
    [STORE_Q_MOVEMENT] =
        "SELECT movement, NULL, 0, count(*)" CASES_WHERE " GROUP BY 1",
    [STORE_Q_CASES_BY_YEAR] =
        "SELECT NULL, NULL, identification_date / 10000, count(*)"
        CASES_WHERE " GROUP BY 3",
    [STORE_Q_SECTORS] =
        "SELECT labour_sector, NULL, 0, count(*)" CASES_WHERE
        " AND (exploitation & 2) <> 0 GROUP BY 1"};

static const struct model_code *oracle_codes(int q)
{
    switch (q) {
    case STORE_Q_RESCUES:
        return model_referral_codes;
    case STORE_Q_SEX_AGE:
        return model_sex_codes;
    case STORE_Q_EXPLOITATION:
        return model_exploitation_codes;
    case STORE_Q_MOVEMENT:
        return model_movement_codes;
    case STORE_Q_SECTORS:
        return model_sector_codes;
    default:
        return NULL;
    }
}

static const char *key_text(sqlite3_stmt *q, int col,
                            const struct model_code *t)
{
    const char *s;

    if (sqlite3_column_type(q, col) == SQLITE_INTEGER && t != NULL) {
        s = model_code_name(t, sqlite3_column_int(q, col));
        return s != NULL ? s : "unknown";
    }
    s = (const char *)sqlite3_column_text(q, col);
    return s == NULL || s[0] == '\0' ? "unknown" : s;
}

static int cmp_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted "k0|k1|year|n" lines of a result, joined, into b. */
static void join_sorted(char **lines, size_t n, struct ctis_buf *b)
{
    size_t i;

    qsort(lines, n, sizeof *lines, cmp_lines);
    for (i = 0; i < n; i++) {
        assert_int_equal(ctis_buf_puts(b, lines[i]), 0);
        ctis_free(lines[i]);
    }
}

static void oracle(sqlite3 *db, int q, int lo, int hi, struct ctis_buf *b)
{
    sqlite3_stmt *st = NULL;
    char *lines[512];
    size_t n = 0;
    int k1 = q == STORE_Q_SEX_AGE || q == STORE_Q_REPATRIATIONS;

    assert_int_equal(sqlite3_prepare_v2(db, oracle_sql[q], -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int(st, 1, lo);
    sqlite3_bind_int(st, 2, hi);
    while (sqlite3_step(st) == SQLITE_ROW) {
        char line[160];

        assert_true(n < 512);
        snprintf(line, sizeof line, "%s|%s|%d|%lld\n",
                 q == STORE_Q_CASES_BY_YEAR
                     ? ""
                     : key_text(st, 0, oracle_codes(q)),
                 k1 ? key_text(st, 1, NULL) : "", sqlite3_column_int(st, 2),
                 sqlite3_column_int64(st, 3));
        lines[n++] = ctis_strdup(line);
    }
    assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
    join_sorted(lines, n, b);
}

static void counted(struct store *st, int q, int from, int to,
                    struct ctis_buf *b)
{
    struct store_table t;
    struct ctis_err err;
    char *lines[512];
    size_t i;

    store_table_init(&t);
    assert_int_equal(store_query(st, (enum store_query)q, from, to, &t, &err),
                     0);
    assert_true(t.len < 512);
    for (i = 0; i < t.len; i++) {
        char line[160];

        snprintf(line, sizeof line, "%s|%s|%d|%ld\n", t.rows[i].key[0],
                 t.rows[i].key[1], t.rows[i].year, t.rows[i].n[0]);
        lines[i] = ctis_strdup(line);
    }
    join_sorted(lines, t.len, b);
    store_table_release(&t);
}

/* Every counter query equals its oracle for several periods. */
static void check_all(struct store *st, const char *path)
{
    static const int periods[][2] = {
        {0, 0}, {2010, 0}, {0, 2010}, {2011, 2011}, {2009, 2012}};
    sqlite3 *db = NULL;
    size_t p;
    int q;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    for (p = 0; p < sizeof periods / sizeof periods[0]; p++) {
        int lo;
        int hi;

        lo = periods[p][0] == 0 && periods[p][1] == 0
                 ? 0
                 : (periods[p][0] != 0 ? periods[p][0] * 10000 + 101 : 1);
        hi = periods[p][1] != 0 ? periods[p][1] * 10000 + 1231 : 99999999;
        for (q = 0; q < 12; q++) {
            struct ctis_buf want;
            struct ctis_buf got;

            if (oracle_sql[q] == NULL) {
                continue;
            }
            ctis_buf_init(&want);
            ctis_buf_init(&got);
            oracle(db, q, lo, hi, &want);
            counted(st, q, periods[p][0], periods[p][1], &got);
            if (strcmp(want.len ? want.data : "", got.len ? got.data : "")) {
                fail_msg("query %d period %d-%d:\nwant\n%sgot\n%s", q,
                         periods[p][0], periods[p][1],
                         want.len ? want.data : "", got.len ? got.data : "");
            }
            ctis_buf_release(&want);
            ctis_buf_release(&got);
        }
    }
    sqlite3_close(db);
}

static const char *pick(struct ctis_rng *r, const char *const *v, int n)
{
    return v[ctis_rng_below(r, (uint64_t)n)];
}

static int rand_date(struct ctis_rng *r)
{
    return (2009 + (int)ctis_rng_below(r, 4)) * 10000 +
           (1 + (int)ctis_rng_below(r, 12)) * 100 +
           1 + (int)ctis_rng_below(r, 28);
}

static void rand_event(struct ctis_rng *r, struct model_event *e)
{
    static const int types[] = {MODEL_EV_IDENTIFICATION, MODEL_EV_RESCUE,
                                MODEL_EV_REFERRAL, MODEL_EV_REPATRIATION,
                                MODEL_EV_SERVICE};
    static const char *const cty[] = {"TH", "VN", "KH"};

    memset(e, 0, sizeof *e);
    e->type = types[ctis_rng_below(r, 5)];
    e->date = rand_date(r);
    e->referral = (int)ctis_rng_below(r, 5);
    e->official = (int)ctis_rng_below(r, 2);
    ctis_strlcpy(e->from_country, pick(r, cty, 3), 3);
    ctis_strlcpy(e->to_country, pick(r, cty, 3), 3);
}

static void rand_case(struct ctis_rng *r, int i, struct model_case *c)
{
    static const char *const prov[] = {"", "KH-1", "KH-2", "KH-12"};
    static const char *const cty[] = {"", "TH", "VN"};
    struct model_event e;
    int n = (int)ctis_rng_below(r, 7);

    model_case_release(c);
    snprintf(c->id, sizeof c->id, "C-%03d", i);
    ctis_strlcpy(c->agency, "ngo-1", sizeof c->agency);
    c->trafficking_status = (int)ctis_rng_below(r, 3);
    c->movement = (int)ctis_rng_below(r, 5);
    c->exploitation = (unsigned)ctis_rng_below(r, 64);
    c->labour_sector = (int)ctis_rng_below(r, 10);
    c->person.sex = (int)ctis_rng_below(r, 4);
    if (ctis_rng_below(r, 3) == 0) {
        c->person.birth_date = 19900101 + 10000 * (int)ctis_rng_below(r, 20);
    } else if (ctis_rng_below(r, 2) == 0) {
        c->person.birth_year = 1990 + (int)ctis_rng_below(r, 20);
    } else if (ctis_rng_below(r, 2) == 0) {
        c->person.age = (int)ctis_rng_below(r, 40);
    }
    ctis_strlcpy(c->person.home_province, pick(r, prov, 4), 6);
    ctis_strlcpy(c->destination_province, pick(r, prov, 4), 6);
    ctis_strlcpy(c->destination_country, pick(r, cty, 3), 3);
    while (n-- > 0) {
        rand_event(r, &e);
        assert_int_equal(model_case_add_event(c, &e), 0);
    }
}

/* One random transaction of puts and appended events; committed or, one
 * time in four, rolled back (after a query that flushed its counters). */
static void random_txn(struct store *st, struct ctis_rng *r,
                       struct model_case *c)
{
    struct ctis_err err;
    struct store_table t;
    int k;

    assert_int_equal(store_begin(st, &err), 0);
    for (k = 0; k < 15; k++) {
        int id = (int)ctis_rng_below(r, 40);

        rand_case(r, id, c);
        assert_int_equal(store_put_case(st, c, &err), 0);
        if (ctis_rng_below(r, 3) == 0) {
            struct model_event e;

            rand_event(r, &e);
            assert_int_equal(store_add_event(st, c->id, &e, &err), 0);
        }
    }
    store_table_init(&t);
    assert_int_equal(store_query(st, STORE_Q_MOVEMENT, 0, 0, &t, &err), 0);
    store_table_release(&t);
    if (ctis_rng_below(r, 4) == 0) {
        store_rollback(st);
    } else {
        assert_int_equal(store_commit(st, &err), 0);
    }
}

static void test_counts_match_oracle(void **state)
{
    struct store *st = NULL;
    struct model_agency a;
    struct model_case c;
    struct ctis_rng r;
    struct ctis_err err;
    char path[128];
    int i;

    (void)state;
    snprintf(path, sizeof path, "%s/counts.db", dir);
    assert_int_equal(store_open(&st, path, STORE_OPEN_CREATE, &err), 0);
    model_agency_init(&a);
    ctis_strlcpy(a.id, "ngo-1", sizeof a.id);
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(store_put_agency(st, &a, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    ctis_rng_seed(&r, 2026);
    model_case_init(&c);
    for (i = 0; i < 40; i++) {
        random_txn(st, &r, &c);
        check_all(st, path);
    }
    store_close(st);
    assert_int_equal(store_open(&st, path, 0, &err), 0);
    check_all(st, path);
    model_case_release(&c);
    store_close(st);
}

/* Counters damaged behind the store's back are repaired by a rebuild. */
static void test_counts_rebuild(void **state)
{
    struct store *st = NULL;
    struct ctis_err err;
    sqlite3 *db = NULL;
    char path[128];

    (void)state;
    snprintf(path, sizeof path, "%s/counts.db", dir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "UPDATE case_count SET n = n + 3;"
                                  " DELETE FROM case_count WHERE q = 1;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(store_open(&st, path, 0, &err), 0);
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(sq_counts_rebuild((struct store_sqlite *)st, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    check_all(st, path);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_match_oracle),
        cmocka_unit_test(test_counts_rebuild),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
