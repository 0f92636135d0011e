/*
 * test_find_sealed.c - 'case find' (ops_case_find) on real SQLite files,
 * sealed and clear, with the same 600 persons: the same hits in the same
 * order for every query and limit, birth year, province and agency;
 * on the sealed store fewer identities opened than candidates exist,
 * since candidates come best bound first and the search stops when no
 * more can enter the list; a case worker's search opens no other
 * agency's person. The same on PostgreSQL (CTIS_TEST_PG).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ops/ops.h"
#include "tests/support/support.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    return test_tmpdir_make(dir, sizeof dir, "findsealed");
}

static int teardown(void **state)
{
    (void)state;
    return test_tmpdir_remove(dir);
}

#define PERSONS 600

static const char *const given[] = {"Sokha", "Sokhar", "Dara", "Sophea",
                                    "Sopheap", "Vanna", "Bopha", "Srey"};
static const char *const family[] = {"Chan", "Chann", "Sok", "Kim", "Heng",
                                     "Chea", "Ly"};
static const char *const provinces[] = {"KH-1", "KH-2", "KH-3"};

static void put_persons(struct store *st)
{
    struct model_agency a;
    struct ctis_rng r;
    int i;

    ctis_rng_seed(&r, 7);
    assert_int_equal(store_begin(st, NULL), 0);
    for (i = 1; i <= 2; i++) {
        model_agency_init(&a);
        snprintf(a.id, sizeof a.id, "ngo-%d", i);
        ctis_strlcpy(a.name, "NGO", sizeof a.name);
        assert_int_equal(store_put_agency(st, &a, NULL), 0);
    }
    for (i = 0; i < PERSONS; i++) {
        struct model_case c;
        struct model_event e;

        model_case_init(&c);
        snprintf(c.id, sizeof c.id, "F-%04d", i);
        snprintf(c.agency, sizeof c.agency, "ngo-%d",
                 1 + (int)ctis_rng_below(&r, 2));
        ctis_strlcpy(c.person.given_name,
                     given[ctis_rng_below(&r, sizeof given / sizeof *given)],
                     sizeof c.person.given_name);
        ctis_strlcpy(
            c.person.family_name,
            family[ctis_rng_below(&r, sizeof family / sizeof *family)],
            sizeof c.person.family_name);
        c.person.birth_year = 1985 + (int)ctis_rng_below(&r, 8);
        ctis_strlcpy(c.person.home_province,
                     provinces[ctis_rng_below(&r, 3)],
                     sizeof c.person.home_province);
        memset(&e, 0, sizeof e);
        e.type = MODEL_EV_IDENTIFICATION;
        e.date = 20070301;
        assert_int_equal(model_case_add_event(&c, &e), 0);
        assert_int_equal(store_put_case(st, &c, NULL), 0);
        model_case_release(&c);
    }
    assert_int_equal(store_commit(st, NULL), 0);
}

static void find(struct ops *o, const char *name, int born,
                 const char *province, size_t max,
                 struct ops_find_hit *hits, size_t *n)
{
    struct ctis_err err;

    assert_int_equal(store_begin_read(o->st, &err), 0);
    assert_int_equal(ops_case_find(o, name, born, province, hits, max, n,
                                   &err),
                     0);
    store_end_read(o->st);
}

/* The same persons on a clear and a sealed store of one backend (two
 * SQLite files, or two PostgreSQL databases). */
static void same_hits(const char *clear, const char *sealed, int k)
{
    static const struct {
        const char *name;
        int born;
        const char *province;
    } queries[] = {{"Sokha Chan", 0, NULL},   {"Chan Sokha", 1988, NULL},
                   {"sophea sok", 0, "KH-2"}, {"Dara", 0, NULL},
                   {"Heng Srey", 1990, "KH-1"}, {"Vanna Kimm", 0, NULL},
                   {"Nobody Here", 0, NULL}};
    static const size_t limits[] = {1, 3, 10, 100};
    char kpath[512];
    struct store *a = NULL;
    struct store *b = NULL;
    struct seal_kek *kek = NULL;
    struct ops_caller who;
    struct ops oa;
    struct ops ob;
    struct ctis_err err;
    long before;
    size_t q;
    size_t l;

    snprintf(kpath, sizeof kpath, "%s/kf-%d", dir, k);
    assert_int_equal(seal_keyfile_create(kpath, &err), 0);
    assert_int_equal(seal_kek_from_file(&kek, kpath, &err), 0);
    assert_int_equal(store_open(&a, clear, STORE_OPEN_CREATE, &err), 0);
    assert_int_equal(store_open(&b, sealed, STORE_OPEN_CREATE, &err), 0);
    assert_int_equal(store_key_init(b, kek, &err), 0);
    put_persons(a);
    put_persons(b);
    ops_caller_local_admin(&who);
    ops_init(&oa, a, &who);
    ops_init(&ob, b, &who);
    for (q = 0; q < sizeof queries / sizeof *queries; q++) {
        for (l = 0; l < sizeof limits / sizeof *limits; l++) {
            struct ops_find_hit ha[100];
            struct ops_find_hit hb[100];
            size_t na = 0;
            size_t nb = 0;
            size_t i;

            find(&oa, queries[q].name, queries[q].born, queries[q].province,
                 limits[l], ha, &na);
            find(&ob, queries[q].name, queries[q].born, queries[q].province,
                 limits[l], hb, &nb);
            assert_int_equal(na, nb);
            for (i = 0; i < na; i++) {
                assert_string_equal(ha[i].case_id, hb[i].case_id);
                assert_true(ha[i].weight == hb[i].weight);
                if (i > 0) {
                    /* best first, ties by case id */
                    assert_true(ha[i - 1].weight > ha[i].weight ||
                                (ha[i - 1].weight == ha[i].weight &&
                                 strcmp(ha[i - 1].case_id, ha[i].case_id) <
                                     0));
                }
            }
        }
    }
    /* "Sokha Chan" meets about half of the persons by a name part; three
     * hits need only the best of them opened */
    {
        struct ops_find_hit h[3];
        size_t n = 0;

        before = store_identities_opened(b);
        find(&ob, "Sokha Chan", 0, NULL, 3, h, &n);
        assert_int_equal(n, 3);
        assert_true(store_identities_opened(b) - before < PERSONS / 10);
    }
    /* a case worker of ngo-1 opens no person of ngo-2 */
    {
        struct ops_caller w;
        struct ops ow;
        struct ops_find_hit h[100];
        size_t n = 0;
        size_t i;

        memset(&w, 0, sizeof w);
        ctis_strlcpy(w.user, "worker", sizeof w.user);
        ctis_strlcpy(w.agency, "ngo-1", sizeof w.agency);
        w.role = OPS_ROLE_CASE_WORKER;
        ops_init(&ow, b, &w);
        before = store_identities_opened(b);
        find(&ow, "Dara", 0, NULL, 100, h, &n);
        assert_true(n > 0);
        for (i = 0; i < n; i++) {
            assert_string_equal(h[i].agency, "ngo-1");
        }
        assert_int_equal(store_identities_opened(b) - before, (long)n);
    }
    store_close(a);
    store_close(b);
    seal_kek_free(kek);
}

static void test_same_hits(void **state)
{
    char clear[512];
    char sealed[512];

    (void)state;
    snprintf(clear, sizeof clear, "%s/clear.db", dir);
    snprintf(sealed, sizeof sealed, "%s/sealed.db", dir);
    same_hits(clear, sealed, 0);
}

/* PostgreSQL ranks its candidates by the same shared code
 * (store_rank_hits) and stops as early. Needs CTIS_TEST_PG
 * (scripts/test.sh starts a cluster). */
static void test_pg_same_hits(void **state)
{
    char clear[512];
    char sealed[512];

    (void)state;
    if (test_pg_url(clear, sizeof clear, "findc") != 0 ||
        test_pg_url(sealed, sizeof sealed, "finds") != 0) {
        fail_msg("CTIS_TEST_PG is not set (run through make test)");
    }
    same_hits(clear, sealed, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_hits),
        cmocka_unit_test(test_pg_same_hits),
    };

    return cmocka_run_group_tests_name("find_sealed", tests, setup,
                                       teardown);
}
