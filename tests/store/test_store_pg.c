/*
 * test_store_pg.c - what only the PostgreSQL backend has: two handles on
 * one database deadlocking on each other's rows (the server aborts one;
 * the backend rolls back and replays it, so both commits succeed and the
 * rows end in the state of the transaction that committed last), and
 * several write batches in one transaction seen by reads and rolled back
 * together. Needs CTIS_TEST_PG (scripts/test.sh starts a cluster); the
 * backend-neutral tests are in test_store.c.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/store.h"

static char url[256];

static int setup(void **state)
{
    const char *base = getenv("CTIS_TEST_PG");

    (void)state;
    if (base == NULL || base[0] == '\0') {
        fprintf(stderr, "CTIS_TEST_PG is not set (run through make test)\n");
        return -1;
    }
    snprintf(url, sizeof url, "%s/ctis_pgunit_%d", base, (int)getpid());
    return 0;
}

static void make_case(struct model_case *c, const char *id, int status)
{
    struct model_event e;

    model_case_init(c);
    ctis_strlcpy(c->id, id, sizeof c->id);
    ctis_strlcpy(c->agency, "ngo-1", sizeof c->agency);
    c->status = status;
    memset(&e, 0, sizeof e);
    e.type = MODEL_EV_IDENTIFICATION;
    e.date = 20100301;
    assert_int_equal(model_case_add_event(c, &e), 0);
}

/* Put a case and flush it (store_count reads, so it flushes): the
 * transaction now holds the row lock. */
static void put_locked(struct store *st, const char *id, int status)
{
    struct model_case c;
    struct ctis_err err;
    long n;

    make_case(&c, id, status);
    assert_int_equal(store_put_case(st, &c, &err), 0);
    assert_int_equal(store_count(st, STORE_CASE, &n, &err), 0);
    model_case_release(&c);
}

struct side {
    struct store *st;
    const char *id;
    int status;
    int rc;
    struct ctis_err err;
};

/* Put the other side's row and commit: blocks on its lock. */
static void *finish(void *arg)
{
    struct side *s = arg;
    struct model_case c;

    make_case(&c, s->id, s->status);
    s->rc = store_put_case(s->st, &c, &s->err);
    if (s->rc == 0) {
        s->rc = store_commit(s->st, &s->err);
    }
    model_case_release(&c);
    return NULL;
}

static void test_deadlock_retried(void **state)
{
    struct store *a = NULL;
    struct store *b = NULL;
    struct model_agency ag;
    struct model_case c1;
    struct model_case c2;
    struct ctis_err err;
    struct side sa = {NULL, "C-2", MODEL_CS_OPEN, -1, {0, ""}};
    struct side sb = {NULL, "C-1", MODEL_CS_CLOSED, -1, {0, ""}};
    pthread_t ta;
    pthread_t tb;

    (void)state;
    assert_int_equal(store_open(&a, url, STORE_OPEN_CREATE, &err), 0);
    assert_int_equal(store_open(&b, url, 0, &err), 0);
    assert_string_equal(store_backend(a), "postgresql");
    model_agency_init(&ag);
    ctis_strlcpy(ag.id, "ngo-1", sizeof ag.id);
    assert_int_equal(store_begin(a, &err), 0);
    assert_int_equal(store_put_agency(a, &ag, &err), 0);
    assert_int_equal(store_commit(a, &err), 0);

    assert_int_equal(store_begin(a, &err), 0);
    put_locked(a, "C-1", MODEL_CS_OPEN);
    assert_int_equal(store_begin(b, &err), 0);
    put_locked(b, "C-2", MODEL_CS_CLOSED);
    sa.st = a;
    sb.st = b;
    assert_int_equal(pthread_create(&ta, NULL, finish, &sa), 0);
    usleep(100000);
    assert_int_equal(pthread_create(&tb, NULL, finish, &sb), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    if (sa.rc != 0) {
        fail_msg("first: %s", sa.err.msg);
    }
    if (sb.rc != 0) {
        fail_msg("second: %s", sb.err.msg);
    }
    model_case_init(&c1);
    model_case_init(&c2);
    assert_int_equal(store_get_case(a, "C-1", &c1, &err), 0);
    assert_int_equal(store_get_case(a, "C-2", &c2, &err), 0);
    /* Both rows from the same (the last committed) transaction. */
    assert_int_equal(c1.status, c2.status);
    assert_int_equal(c1.n_events, 1);
    model_case_release(&c1);
    model_case_release(&c2);
    store_close(a);
    store_close(b);
}

/* Many batches (the flush threshold is 4 KiB here), a re-put of the
 * same id across batches, reads between them, then a rollback of all. */
static void test_batches_and_rollback(void **state)
{
    struct store *st = NULL;
    struct model_agency ag;
    struct model_case c;
    struct ctis_err err;
    char id[32];
    long before = 0;
    long n = 0;
    int i;

    (void)state;
    setenv("CTIS_PG_FLUSH_BYTES", "4096", 1);
    assert_int_equal(store_open(&st, url, STORE_OPEN_CREATE, &err), 0);
    unsetenv("CTIS_PG_FLUSH_BYTES");
    model_agency_init(&ag);
    ctis_strlcpy(ag.id, "ngo-1", sizeof ag.id);
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(store_put_agency(st, &ag, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(store_count(st, STORE_CASE, &before, &err), 0);
    assert_int_equal(store_begin(st, &err), 0);
    for (i = 0; i < 300; i++) {
        snprintf(id, sizeof id, "B-%04d", i % 200);
        make_case(&c, id, i < 200 ? MODEL_CS_OPEN : MODEL_CS_CLOSED);
        assert_int_equal(store_put_case(st, &c, &err), 0);
        model_case_release(&c);
        if (i % 97 == 0) {
            assert_int_equal(store_exists(st, STORE_CASE, id, &err), 1);
        }
    }
    assert_int_equal(store_count(st, STORE_CASE, &n, &err), 0);
    assert_int_equal(n, before + 200);
    assert_int_equal(store_count(st, STORE_EVENT, &n, &err), 0);
    model_case_init(&c);
    assert_int_equal(store_get_case(st, "B-0050", &c, &err), 0);
    assert_int_equal(c.status, MODEL_CS_CLOSED);
    assert_int_equal(c.n_events, 1);
    assert_int_equal(store_get_case(st, "B-0150", &c, &err), 0);
    assert_int_equal(c.status, MODEL_CS_OPEN);
    model_case_release(&c);
    store_rollback(st);
    assert_int_equal(store_count(st, STORE_CASE, &n, &err), 0);
    assert_int_equal(n, before);
    assert_int_equal(store_exists(st, STORE_CASE, "B-0001", &err), 0);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadlock_retried),
        cmocka_unit_test(test_batches_and_rollback),
    };

    return cmocka_run_group_tests_name("store_pg", tests, setup, NULL);
}
