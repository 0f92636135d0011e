/*
 * test_block.c - linkage's blocking by blind index on real SQLite files
 * (store_each_linkable_case, store_block.c): a sealed store opens only
 * the identities of persons who share a name part or phonetic key with
 * another, in Latin or Khmer script; a clear store gives the same cases
 * with the same identities by the same rule; a person who meets nobody
 * comes without identity, birth or age; out-of-memory failures are a
 * clean CTIS_ENOMEM on both. The same on PostgreSQL (CTIS_TEST_PG).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "seal/seal.h"
#include "store/store.h"
#include "tests/support/support.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    return test_tmpdir_make(dir, sizeof dir, "block");
}

static int teardown(void **state)
{
    (void)state;
    return test_tmpdir_remove(dir);
}

/* sokha in Khmer script */
#define KM_SOKHA "\xe1\x9e\x9f\xe1\x9e\xbb\xe1\x9e\x81\xe1\x9e\xb6"

static const char *const people[][3] = {
    {"B-1", "Sokha", "Chan"},   {"B-2", "Sokhar", "Vrombleq"},
    {"B-3", KM_SOKHA, ""},      {"B-4", "Qwerzuv", "Xylbrot"},
    {"B-5", "Jupwekk", "Chan"}, {"B-6", "Blorgat", "Vizquem"}};
/* who shares a name value with another: B-1 (sokha, chan), B-2 (the
 * phonetic key of sokha), B-3 (romanised sokha), B-5 (chan) */
static const int linkable[] = {1, 1, 1, 0, 1, 0};

static void put_people(struct store *st)
{
    /* every person born the same year: a year is not a name */
    static const int born[] = {19900102, 19900102, 19900102,
                               19900102, 19900102, 19900102};

    assert_int_equal(test_put_people(st, people, 6, born), 0);
}

struct seen {
    char ids[8][MODEL_ID_MAX];
    int named[8];
    int born[8];
    int n;
};

static int on_case(void *ctx, const struct model_case *c)
{
    struct seen *s = ctx;

    if (s->n < 8) {
        ctis_strlcpy(s->ids[s->n], c->id, MODEL_ID_MAX);
        s->named[s->n] = c->person.given_name[0] != '\0' ||
                         c->person.given_name_km[0] != '\0';
        s->born[s->n] = c->person.birth_date != 0 ||
                        c->person.birth_year != 0 || c->person.age >= 0;
        s->n++;
    }
    return 0;
}

/* Run it with every allocation failing in turn until it succeeds. */
static void each_linkable(struct store *st, struct seen *s, long *named)
{
    struct ctis_err err;
    long fail;
    int rc = -1;

    for (fail = 0; rc != 0; fail++) {
        assert_true(fail < 100000);
        memset(s, 0, sizeof *s);
        ctis_alloc_fail_after(fail);
        rc = store_each_linkable_case(st, on_case, s, named, &err);
        ctis_alloc_fail_reset();
        if (rc != 0) {
            assert_int_equal(rc, CTIS_ENOMEM);
        }
    }
}

/* The same people on a clear and a sealed store of one backend (two
 * SQLite files, or two PostgreSQL databases). */
static void sealed_as_clear(const char *clear, const char *sealed)
{
    char kpath[512];
    struct store *a = NULL;
    struct store *b = NULL;
    struct seal_kek *kek = NULL;
    struct ctis_err err;
    struct seen sa;
    struct seen sb;
    long na = 0;
    long nb = 0;
    long opened;
    int i;

    snprintf(kpath, sizeof kpath, "%s/kf-%d", dir, clear[0] == 'p');
    assert_int_equal(seal_keyfile_create(kpath, &err), 0);
    assert_int_equal(seal_kek_from_file(&kek, kpath, &err), 0);
    assert_int_equal(store_open(&a, clear, STORE_OPEN_CREATE, &err), 0);
    assert_int_equal(store_open(&b, sealed, STORE_OPEN_CREATE, &err), 0);
    assert_int_equal(store_key_init(b, kek, &err), 0);
    put_people(a);
    put_people(b);

    each_linkable(a, &sa, &na);
    opened = store_identities_opened(b);
    memset(&sb, 0, sizeof sb);
    assert_int_equal(store_each_linkable_case(b, on_case, &sb, &nb, &err),
                     0);
    /* the blind index decided: only the persons who meet are opened */
    assert_int_equal(store_identities_opened(b) - opened, 4);
    assert_int_equal(na, 4);
    assert_int_equal(nb, 4);
    assert_int_equal(sa.n, 6);
    assert_int_equal(sb.n, 6);
    for (i = 0; i < 6; i++) {
        assert_string_equal(sa.ids[i], people[i][0]);
        assert_string_equal(sb.ids[i], people[i][0]);
        assert_int_equal(sa.named[i], linkable[i]);
        assert_int_equal(sb.named[i], linkable[i]);
        assert_int_equal(sa.born[i], linkable[i]);
        assert_int_equal(sb.born[i], linkable[i]);
    }
    each_linkable(b, &sb, &nb);
    assert_int_equal(nb, 4);
    store_close(b);

    /* without the key: refused, nothing read */
    assert_int_equal(store_open(&b, sealed, 0, &err), 0);
    memset(&sb, 0, sizeof sb);
    assert_int_equal(store_each_linkable_case(b, on_case, &sb, &nb, &err),
                     CTIS_EKEY);
    assert_int_equal(sb.n, 0);
    store_close(a);
    store_close(b);
    seal_kek_free(kek);
}

static void test_sealed_as_clear(void **state)
{
    char clear[512];
    char sealed[512];

    (void)state;
    snprintf(clear, sizeof clear, "%s/clear.db", dir);
    snprintf(sealed, sizeof sealed, "%s/sealed.db", dir);
    sealed_as_clear(clear, sealed);
}

/* PostgreSQL gives the blind rows (pg_blind_rows) and leaves the persons
 * who meet nobody closed (pg_each_case): the same four opened. Needs
 * CTIS_TEST_PG (scripts/test.sh starts a cluster). */
static void test_pg_sealed_as_clear(void **state)
{
    char clear[512];
    char sealed[512];

    (void)state;
    if (test_pg_url(clear, sizeof clear, "blockc") != 0 ||
        test_pg_url(sealed, sizeof sealed, "blocks") != 0) {
        fail_msg("CTIS_TEST_PG is not set (run through make test)");
    }
    sealed_as_clear(clear, sealed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sealed_as_clear),
        cmocka_unit_test(test_pg_sealed_as_clear),
    };

    return cmocka_run_group_tests_name("block", tests, setup, teardown);
}
