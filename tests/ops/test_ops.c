/*
 * test_ops.c - the operations layer on real stores, each test on SQLite
 * and (with CTIS_TEST_PG) on PostgreSQL: access rules and users, a case
 * add refused without changing the case, merge patches and stale
 * versions, the history of updates, transfers and events, status from
 * closure and re_trafficked, 50 concurrent appends kept, the last copy of
 * an id in a file winning over a forward reference, readers during a
 * write.
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
#include <sqlite3.h>

#include "ops/ops.h"
#include "tests/support/support.h"

static char dir[256];
static char url[512];
static const char *pg_base;
static int seq;

/* A fresh database for each test. */
static void new_url(void)
{
    seq++;
    if (pg_base != NULL) {
        snprintf(url, sizeof url, "%s/ctis_ops_%d_%d", pg_base, (int)getpid(),
                 seq);
    } else {
        snprintf(url, sizeof url, "%s/t%d.db", dir, seq);
    }
}

static struct store *open_new(void)
{
    struct store *st = NULL;
    struct ctis_err err;

    new_url();
    assert_int_equal(store_open(&st, url, STORE_OPEN_CREATE, &err), 0);
    return st;
}

static struct store *reopen(int flags)
{
    struct store *st = NULL;
    struct ctis_err err;

    assert_int_equal(store_open(&st, url, flags, &err), 0);
    return st;
}

static void admin(struct ops *o, struct store *st)
{
    struct ops_caller who;

    ops_caller_local_admin(&who);
    ops_init(o, st, &who);
}

static void put_agency(struct ops *o, const char *id)
{
    struct io_record r;
    struct ctis_err err;

    memset(&r, 0, sizeof r);
    r.type = IO_REC_AGENCY;
    model_agency_init(&r.u.agency);
    ctis_strlcpy(r.u.agency.id, id, sizeof r.u.agency.id);
    ctis_strlcpy(r.u.agency.name, id, sizeof r.u.agency.name);
    r.u.agency.kind = MODEL_AK_NGO;
    assert_int_equal(store_begin(o->st, &err), 0);
    assert_int_equal(store_put_agency(o->st, &r.u.agency, &err), 0);
    assert_int_equal(store_commit(o->st, &err), 0);
}

static void make_case(struct model_case *c, const char *id,
                      const char *agency)
{
    struct model_event e;

    model_case_init(c);
    ctis_strlcpy(c->id, id, sizeof c->id);
    ctis_strlcpy(c->agency, agency, sizeof c->agency);
    ctis_strlcpy(c->person.given_name, "Sokha", MODEL_NAME_MAX);
    ctis_strlcpy(c->person.family_name, "Chan", MODEL_NAME_MAX);
    c->person.birth_year = 1990;
    c->person.sex = MODEL_SEX_FEMALE;
    memset(&e, 0, sizeof e);
    e.type = MODEL_EV_IDENTIFICATION;
    e.date = 20080301;
    assert_int_equal(model_case_add_event(c, &e), 0);
}

/* Two agencies and case C-1 of ngo-1 at version 1. */
static struct store *setup_case(struct ops *o)
{
    struct store *st = open_new();
    struct model_case c;
    struct ctis_err err;
    long v = 0;

    admin(o, st);
    put_agency(o, "ngo-1");
    put_agency(o, "ngo-2");
    make_case(&c, "C-1", "ngo-1");
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(ops_case_add(o, &c, NULL, &v, NULL, NULL, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(v, 1);
    model_case_release(&c);
    return st;
}

static long version_of(struct ops *o, const char *id)
{
    struct model_case c;
    struct ctis_err err;
    long v = 0;

    model_case_init(&c);
    assert_int_equal(store_begin_read(o->st, &err), 0);
    assert_int_equal(ops_case_get(o, id, 0, &c, &v, &err), 0);
    store_end_read(o->st);
    model_case_release(&c);
    return v;
}

/* ---- tests ------------------------------------------------------------- */

static void test_add_refused_unchanged(void **state)
{
    struct ops o;
    struct store *st = setup_case(&o);
    struct model_case partial;
    struct model_case now;
    struct ctis_err err;
    struct ops_write w = {1, 5};
    long v = 0;

    (void)state;
    model_case_init(&partial);
    ctis_strlcpy(partial.id, "C-1", sizeof partial.id);
    ctis_strlcpy(partial.agency, "ngo-2", sizeof partial.agency);
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(ops_case_add(&o, &partial, NULL, &v, NULL, NULL, &err),
                     CTIS_ECONFLICT);
    assert_int_equal(v, 1);
    assert_non_null(strstr(err.msg, "version 1"));
    assert_int_equal(ops_case_add(&o, &partial, &w, &v, NULL, NULL, &err),
                     CTIS_ECONFLICT);
    store_rollback(st);
    model_case_init(&now);
    assert_int_equal(store_get_case(st, "C-1", &now, &err), 0);
    assert_string_equal(now.agency, "ngo-1");
    assert_string_equal(now.person.given_name, "Sokha");
    assert_int_equal(now.n_events, 1);
    model_case_release(&now);
    /* With the right version the replace goes through. */
    w.if_version = 1;
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(ops_case_add(&o, &partial, &w, &v, NULL, NULL, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(v, 2);
    /* The replace changed the facts; the timeline stayed. */
    model_case_init(&now);
    assert_int_equal(store_get_case(st, "C-1", &now, &err), 0);
    assert_string_equal(now.agency, "ngo-2");
    assert_int_equal(now.n_events, 1);
    assert_int_equal(now.events[0].id, 1);
    /* A replace that rewrites a stored event is refused. */
    now.events[0].date = 20080302;
    w.if_version = 2;
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(ops_case_add(&o, &now, &w, &v, NULL, NULL, &err),
                     CTIS_EINVAL);
    store_rollback(st);
    model_case_release(&now);
    model_case_release(&partial);
    store_close(st);
}

static void test_patch_and_stale(void **state)
{
    struct ops o;
    struct store *st = setup_case(&o);
    struct model_case c;
    struct ctis_err err;
    long v = 0;

    (void)state;
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(ops_case_update(&o, "C-1",
                                     "{\"movement\":\"internal\","
                                     "\"person\":{\"family_name\":null}}",
                                     1, &v, NULL, &err),
                     0);
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(v, 2);
    model_case_init(&c);
    assert_int_equal(store_get_case(st, "C-1", &c, &err), 0);
    assert_int_equal(c.movement, MODEL_MOV_INTERNAL);
    assert_string_equal(c.person.family_name, "");
    assert_string_equal(c.person.given_name, "Sokha");
    model_case_release(&c);
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(ops_case_update(&o, "C-1", "{\"movement\":\"transit\"}",
                                     1, &v, NULL, &err),
                     CTIS_ECONFLICT);
    assert_int_equal(v, 2);
    assert_int_equal(ops_case_update(&o, "C-1", "{\"events\":[]}", -1, &v,
                                     NULL, &err),
                     CTIS_EINVAL);
    store_rollback(st);
    assert_int_equal(version_of(&o, "C-1"), 2);
    store_close(st);
}

struct hist_seen {
    int n;
    char ops[8][32];
    char changed[8][128];
};

static int take_hist(void *ctx, const struct ops_history_entry *h)
{
    struct hist_seen *s = ctx;

    if (s->n < 8) {
        ctis_strlcpy(s->ops[s->n], h->v->op, sizeof s->ops[0]);
        ctis_strlcpy(s->changed[s->n], h->changed, sizeof s->changed[0]);
    }
    s->n++;
    return 0;
}

static void test_history(void **state)
{
    struct ops o;
    struct store *st = setup_case(&o);
    struct model_event e;
    struct model_case old;
    struct hist_seen seen;
    struct ctis_err err;
    long v = 0;

    (void)state;
    memset(&e, 0, sizeof e);
    e.type = MODEL_EV_MONITORING_VISIT;
    e.date = 20080401;
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(ops_case_update(&o, "C-1", "{\"movement\":\"internal\"}",
                                     -1, &v, NULL, &err),
                     0);
    assert_int_equal(ops_case_transfer(&o, "C-1", "ngo-2", OPS_CONSENT_GIVEN,
                                       2, &v, &err),
                     0);
    assert_int_equal(ops_case_event(&o, "C-1", &e, NULL, &v, NULL, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(v, 4);
    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_begin_read(st, &err), 0);
    assert_int_equal(ops_case_history(&o, "C-1", take_hist, &seen, &err), 0);
    model_case_init(&old);
    assert_int_equal(ops_case_get(&o, "C-1", 2, &old, &v, &err), 0);
    store_end_read(st);
    assert_int_equal(seen.n, 4);
    assert_string_equal(seen.ops[0], "case.add");
    assert_string_equal(seen.changed[0], "(created)");
    assert_string_equal(seen.ops[1], "case.update");
    assert_string_equal(seen.changed[1], "movement");
    assert_string_equal(seen.ops[2], "case.transfer");
    assert_string_equal(seen.changed[2], "agency");
    assert_string_equal(seen.ops[3], "case.event");
    assert_string_equal(seen.changed[3], "events[1]");
    assert_int_equal(v, 2);
    assert_string_equal(old.agency, "ngo-1");
    assert_int_equal(old.movement, MODEL_MOV_INTERNAL);
    model_case_release(&old);
    /* A refused consent moves nothing. */
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(ops_case_transfer(&o, "C-1", "ngo-1",
                                       OPS_CONSENT_REFUSED, -1, &v, &err),
                     CTIS_EINVAL);
    store_rollback(st);
    store_close(st);
}

static int status_of(struct store *st, const char *id)
{
    struct model_case c;
    struct ctis_err err;
    int s;

    model_case_init(&c);
    assert_int_equal(store_get_case(st, id, &c, &err), 0);
    s = c.status;
    model_case_release(&c);
    return s;
}

static void add_event(struct ops *o, int type, int date, int supersedes)
{
    struct model_event e;
    struct ctis_err err;

    memset(&e, 0, sizeof e);
    e.type = type;
    e.date = date;
    e.supersedes = supersedes;
    if (type == MODEL_EV_REFERRAL) {
        e.referral = MODEL_REF_NGO;
    }
    assert_int_equal(store_begin(o->st, &err), 0);
    assert_int_equal(ops_case_event(o, "C-1", &e, NULL, NULL, NULL, &err), 0);
    assert_int_equal(store_commit(o->st, &err), 0);
}

static void test_status_follows_events(void **state)
{
    struct ops o;
    struct store *st = setup_case(&o);

    (void)state;
    assert_int_equal(status_of(st, "C-1"), MODEL_CS_OPEN);
    add_event(&o, MODEL_EV_CLOSURE, 20080601, 0);
    assert_int_equal(status_of(st, "C-1"), MODEL_CS_CLOSED);
    add_event(&o, MODEL_EV_RE_TRAFFICKED, 20090101, 0);
    assert_int_equal(status_of(st, "C-1"), MODEL_CS_OPEN);
    add_event(&o, MODEL_EV_REFERRAL, 20090201, 0);
    add_event(&o, MODEL_EV_CLOSURE, 20090301, 0);
    assert_int_equal(status_of(st, "C-1"), MODEL_CS_CLOSED_REFERRED);
    /* Event 5 (the last closure) corrected away: re_trafficked decides. */
    add_event(&o, MODEL_EV_MONITORING_VISIT, 20090301, 5);
    assert_int_equal(status_of(st, "C-1"), MODEL_CS_OPEN);
    store_close(st);
}

/* Rows of datasheet query q of year (0: any) with keys k0 and k1 (NULL:
 * any), summed. */
static long figure(struct store *st, enum store_query q, int year,
                   const char *k0, const char *k1)
{
    struct store_table t;
    struct ctis_err err;
    long n = 0;
    size_t i;

    store_table_init(&t);
    assert_int_equal(store_begin_read(st, &err), 0);
    assert_int_equal(store_query(st, q, 0, 0, &t, &err), 0);
    store_end_read(st);
    for (i = 0; i < t.len; i++) {
        const struct store_row *r = &t.rows[i];

        if ((year == 0 || r->year == year) &&
            (k0 == NULL || strcmp(r->key[0], k0) == 0) &&
            (k1 == NULL || strcmp(r->key[1], k1) == 0)) {
            n += r->n[0];
        }
    }
    store_table_release(&t);
    return n;
}

static void add_repatriation(struct ops *o, const char *from, int date,
                             int supersedes)
{
    struct model_event e;
    struct ctis_err err;

    memset(&e, 0, sizeof e);
    e.type = MODEL_EV_REPATRIATION;
    e.date = date;
    e.official = 1;
    e.supersedes = supersedes;
    ctis_strlcpy(e.from_country, from, sizeof e.from_country);
    ctis_strlcpy(e.to_country, "KH", sizeof e.to_country);
    assert_int_equal(store_begin(o->st, &err), 0);
    assert_int_equal(ops_case_event(o, "C-1", &e, NULL, NULL, NULL, &err), 0);
    assert_int_equal(store_commit(o->st, &err), 0);
}

/* The datasheet counts live events only: an identification, a rescue
 * and a repatriation corrected by later events (supersedes) move their
 * figures to the corrections' years and corridor. */
static void test_datasheet_corrections(void **state)
{
    struct ops o;
    struct store *st = setup_case(&o); /* event 1: identified 2008-03-01 */

    (void)state;
    add_event(&o, MODEL_EV_RESCUE, 20080305, 0);      /* 2 */
    add_event(&o, MODEL_EV_REFERRAL, 20080306, 0);    /* 3 */
    add_repatriation(&o, "TH", 20080401, 0);          /* 4 */
    assert_int_equal(figure(st, STORE_Q_CASES_BY_YEAR, 2008, NULL, NULL), 1);
    assert_int_equal(figure(st, STORE_Q_RESCUES, 2008, "ngo", NULL), 1);
    assert_int_equal(figure(st, STORE_Q_REPATRIATIONS, 2008, "TH", "KH"), 1);
    add_repatriation(&o, "VN", 20080401, 4);          /* 5 corrects 4 */
    add_event(&o, MODEL_EV_RESCUE, 20071230, 2);      /* 6 corrects 2 */
    add_event(&o, MODEL_EV_IDENTIFICATION, 20071229, 1); /* 7 corrects 1 */
    assert_int_equal(figure(st, STORE_Q_REPATRIATIONS, 0, "TH", NULL), 0);
    assert_int_equal(figure(st, STORE_Q_REPATRIATIONS, 2008, "VN", "KH"), 1);
    assert_int_equal(figure(st, STORE_Q_RESCUES, 2008, NULL, NULL), 0);
    assert_int_equal(figure(st, STORE_Q_RESCUES, 2007, "ngo", NULL), 1);
    assert_int_equal(figure(st, STORE_Q_CASES_BY_YEAR, 2008, NULL, NULL), 0);
    assert_int_equal(figure(st, STORE_Q_CASES_BY_YEAR, 2007, NULL, NULL), 1);
    store_close(st);
}

/* ---- concurrency ------------------------------------------------------- */

#define APPENDERS 50

static void *appender(void *arg)
{
    struct store *st = NULL;
    struct ops o;
    struct model_event e;
    struct ctis_err err;
    long i = (long)(size_t)arg;
    int tries;
    int rc = -1;

    if (store_open(&st, url, 0, &err) != 0) {
        fprintf(stderr, "# appender %ld: %s\n", i, err.msg);
        return (void *)1;
    }
    admin(&o, st);
    for (tries = 0; tries < 20 && rc != 0; tries++) {
        memset(&e, 0, sizeof e);
        e.type = MODEL_EV_MONITORING_VISIT;
        e.date = 20080401 + (int)(i % 28);
        rc = store_begin(st, &err);
        if (rc == 0) {
            rc = ops_case_event(&o, "C-1", &e, NULL, NULL, NULL, &err);
        }
        rc = rc == 0 ? store_commit(st, &err) : rc;
        if (rc != 0) {
            store_rollback(st);
            usleep(20000);
        }
    }
    if (rc != 0) {
        fprintf(stderr, "# appender %ld: %s\n", i, err.msg);
    }
    store_close(st);
    return rc == 0 ? NULL : (void *)1;
}

static void test_concurrent_appends(void **state)
{
    struct ops o;
    struct store *st = setup_case(&o);
    pthread_t t[APPENDERS];
    struct model_case c;
    struct ctis_err err;
    long i;
    int failed = 0;

    (void)state;
    for (i = 0; i < APPENDERS; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, appender,
                                        (void *)(size_t)i),
                         0);
    }
    for (i = 0; i < APPENDERS; i++) {
        void *r = NULL;

        pthread_join(t[i], &r);
        failed += r != NULL;
    }
    assert_int_equal(failed, 0);
    model_case_init(&c);
    assert_int_equal(store_get_case(st, "C-1", &c, &err), 0);
    assert_int_equal(c.n_events, 1 + APPENDERS);
    assert_int_equal(model_case_max_event_id(&c), 1 + APPENDERS);
    model_case_release(&c);
    assert_int_equal(version_of(&o, "C-1"), 1 + APPENDERS);
    store_close(st);
}

/* ---- access ------------------------------------------------------------ */

static int count_case(void *ctx, const struct model_case *c)
{
    (void)c;
    (*(int *)ctx)++;
    return 0;
}

static void test_roles(void **state)
{
    struct ops o;
    struct ops as;
    struct store *st = setup_case(&o);
    struct ops_caller who;
    struct model_case c;
    struct ctis_err err;
    long v = 0;

    (void)state;
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(ops_user_add(&o, "cw2", "ngo-2", OPS_ROLE_CASE_WORKER,
                                  "a long password", &err),
                     0);
    assert_int_equal(ops_user_add(&o, "an", "", OPS_ROLE_ANALYST, NULL, &err),
                     0);
    assert_int_equal(ops_user_add(&o, "cw2", "ngo-2", OPS_ROLE_CASE_WORKER,
                                  NULL, &err),
                     CTIS_ECONFLICT);
    assert_int_equal(ops_user_add(&o, "x", "nowhere", OPS_ROLE_VIEWER, NULL,
                                  &err),
                     CTIS_ENOTFOUND);
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(ops_login(st, "cw2", "a long password", &who, &err), 0);
    assert_int_equal(who.role, OPS_ROLE_CASE_WORKER);
    assert_int_equal(ops_login(st, "cw2", "wrong password", &who, &err),
                     CTIS_EPERM);
    assert_int_equal(ops_login(st, "nobody", "wrong password", &who, &err),
                     CTIS_EPERM);
    /* A case worker of ngo-2 does not see ngo-1's case. */
    assert_int_equal(ops_caller_of_user(st, "cw2", &who, &err), 0);
    ops_init(&as, st, &who);
    model_case_init(&c);
    assert_int_equal(ops_case_get(&as, "C-1", 0, &c, &v, &err),
                     CTIS_ENOTFOUND);
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(ops_case_update(&as, "C-1", "{\"movement\":\"internal\"}",
                                     -1, &v, NULL, &err),
                     CTIS_ENOTFOUND);
    assert_int_equal(ops_user_disable(&as, "an", &err), CTIS_EPERM);
    store_rollback(st);
    /* After a referral to ngo-2 it does, and accepts it. */
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(ops_case_refer(&o, "C-1", "ngo-2", MODEL_SVC_LEGAL, &v,
                                    NULL, &err),
                     0);
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(ops_case_get(&as, "C-1", 0, &c, NULL, &err), 0);
    assert_string_equal(c.person.given_name, "Sokha");
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(ops_referral_decide(&as, v, 1, &err), 0);
    assert_int_equal(ops_referral_decide(&as, v, 0, &err), CTIS_ECONFLICT);
    assert_int_equal(store_commit(st, &err), 0);
    /* The police see victims of criminal cases only, without names. */
    {
        struct model_criminal_case cc;
        char (*vic)[MODEL_ID_MAX] = ctis_calloc(1, MODEL_ID_MAX);
        int listed = 0;

        assert_int_equal(ops_user_add(&o, "pol", "ngo-1", OPS_ROLE_POLICE,
                                      NULL, &err),
                         CTIS_EINVAL); /* outside a transaction */
        assert_int_equal(store_begin(st, &err), 0);
        assert_int_equal(ops_user_add(&o, "pol", "ngo-1", OPS_ROLE_POLICE,
                                      NULL, &err),
                         0);
        assert_int_equal(store_commit(st, &err), 0);
        assert_int_equal(ops_caller_of_user(st, "pol", &who, &err), 0);
        ops_init(&as, st, &who);
        assert_int_equal(ops_case_get(&as, "C-1", 0, &c, NULL, &err),
                         CTIS_ENOTFOUND);
        assert_int_equal(ops_case_list(&as, NULL, count_case, &listed, &err),
                         0);
        assert_int_equal(listed, 0);
        model_criminal_case_init(&cc);
        ctis_strlcpy(cc.id, "K-1", sizeof cc.id);
        ctis_strlcpy(vic[0], "C-1", MODEL_ID_MAX);
        cc.victim_cases = vic;
        cc.n_victim_cases = 1;
        assert_int_equal(store_begin(st, &err), 0);
        assert_int_equal(store_put_criminal_case(st, &cc, &err), 0);
        assert_int_equal(store_commit(st, &err), 0);
        assert_int_equal(ops_case_get(&as, "C-1", 0, &c, NULL, &err), 0);
        assert_string_equal(c.person.given_name, "");
        assert_int_equal(ops_case_list(&as, NULL, count_case, &listed, &err),
                         0);
        assert_int_equal(listed, 1);
        ctis_free(vic);
    }
    /* An analyst reads no case; the report is fine. */
    assert_int_equal(ops_caller_of_user(st, "an", &who, &err), 0);
    ops_init(&as, st, &who);
    assert_int_equal(ops_case_get(&as, "C-1", 0, &c, NULL, &err), CTIS_EPERM);
    model_case_release(&c);
    store_close(st);
}

/* ---- import ------------------------------------------------------------ */

static void test_import_last_copy(void **state)
{
    struct ops o;
    struct store *st = open_new();
    struct io_import_opts io;
    struct io_import_stats stats;
    struct model_case c;
    struct hist_seen seen;
    struct ctis_err err;
    long v = 0;
    char path[300];
    FILE *f;

    (void)state;
    admin(&o, st);
    snprintf(path, sizeof path, "%s/dup%d.jsonl", dir, seq);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"type\":\"case\",\"id\":\"K-1\",\"agency\":\"ngo-9\","
          "\"movement\":\"internal\"}\n"
          "{\"type\":\"agency\",\"id\":\"ngo-9\",\"name\":\"N\","
          "\"kind\":\"ngo\"}\n"
          "{\"type\":\"case\",\"id\":\"K-1\",\"agency\":\"ngo-9\","
          "\"movement\":\"transit\"}\n",
          f);
    fclose(f);
    memset(&io, 0, sizeof io);
    memset(&stats, 0, sizeof stats);
    io.progress = -1;
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(ops_import(&o, path, &io, &stats, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(stats.by_type[IO_REC_CASE], 1);
    assert_int_equal(stats.superseded, 1);
    model_case_init(&c);
    assert_int_equal(store_get_case(st, "K-1", &c, &err), 0);
    assert_int_equal(c.movement, MODEL_MOV_TRANSIT);
    model_case_release(&c);
    assert_int_equal(version_of(&o, "K-1"), 1);
    /* A second import of the file: the agency exists now, so both copies
     * are written in turn, each with its next version (numbered from the
     * lookup the writer already made), and version 1 keeps what it was. */
    memset(&stats, 0, sizeof stats);
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(ops_import(&o, path, &io, &stats, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(version_of(&o, "K-1"), 3);
    memset(&seen, 0, sizeof seen);
    model_case_init(&c);
    assert_int_equal(store_begin_read(st, &err), 0);
    assert_int_equal(ops_case_history(&o, "K-1", take_hist, &seen, &err), 0);
    assert_int_equal(ops_case_get(&o, "K-1", 1, &c, &v, &err), 0);
    store_end_read(st);
    assert_int_equal(seen.n, 3);
    assert_string_equal(seen.ops[0], "import");
    assert_string_equal(seen.ops[2], "import");
    assert_string_equal(seen.changed[1], "movement");
    assert_int_equal(v, 1);
    assert_int_equal(c.movement, MODEL_MOV_TRANSIT);
    model_case_release(&c);
    store_close(st);
}

/* Import path into o's store in one transaction. */
static void import_file(struct ops *o, const char *path,
                        struct io_import_stats *stats)
{
    struct io_import_opts io;
    struct ctis_err err;

    memset(&io, 0, sizeof io);
    memset(stats, 0, sizeof *stats);
    io.progress = -1;
    assert_int_equal(store_begin(o->st, &err), 0);
    assert_int_equal(ops_import(o, path, &io, stats, &err), 0);
    assert_int_equal(store_commit(o->st, &err), 0);
}

/* The import's fast path for new cases: a case of ten events (written
 * eight and two to an INSERT) comes back whole, at version 1; on SQLite
 * a new id whose version 1 is taken already (a row written by hand)
 * gets version 2, not a refused import. */
static void test_import_new_cases(void **state)
{
    struct ops o;
    struct store *st = open_new();
    struct io_import_stats stats;
    struct model_case c;
    struct ctis_err err;
    char path[300];
    FILE *f;
    int i;

    (void)state;
    admin(&o, st);
    put_agency(&o, "ngo-1");
    snprintf(path, sizeof path, "%s/new%d.jsonl", dir, seq);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"type\":\"case\",\"id\":\"N-1\",\"agency\":\"ngo-1\","
          "\"events\":[{\"type\":\"identification\",\"date\":"
          "\"2008-03-01\"}",
          f);
    for (i = 2; i <= 10; i++) {
        fprintf(f,
                ",{\"type\":\"monitoring_visit\",\"date\":"
                "\"2008-04-%02d\"}",
                i);
    }
    fputs("]}\n{\"type\":\"case\",\"id\":\"N-2\",\"agency\":\"ngo-1\"}\n",
          f);
    fclose(f);
    if (pg_base == NULL) {
        sqlite3 *db = NULL;

        assert_int_equal(sqlite3_open(url, &db), SQLITE_OK);
        assert_int_equal(
            sqlite3_exec(db,
                         "INSERT INTO record_version(kind, id, version, at,"
                         " op) VALUES (1, 'N-2', 1, 0, 'by hand')",
                         NULL, NULL, NULL),
            SQLITE_OK);
        sqlite3_close(db);
    }
    import_file(&o, path, &stats);
    assert_int_equal(stats.by_type[IO_REC_CASE], 2);
    model_case_init(&c);
    assert_int_equal(store_get_case(st, "N-1", &c, &err), 0);
    assert_int_equal(c.n_events, 10);
    for (i = 0; i < 10; i++) {
        assert_int_equal(c.events[i].id, i + 1);
        assert_int_equal(c.events[i].date,
                         i == 0 ? 20080301 : 20080400 + i + 1);
    }
    model_case_release(&c);
    assert_int_equal(version_of(&o, "N-1"), 1);
    assert_int_equal(version_of(&o, "N-2"), pg_base == NULL ? 2 : 1);
    store_close(st);
}

/* ---- readers ----------------------------------------------------------- */


static void test_reader_during_write(void **state)
{
    struct ops o;
    struct ops r;
    struct store *st = setup_case(&o);
    struct store *ro = reopen(STORE_OPEN_READONLY);
    struct model_case c;
    struct ctis_err err;
    int n = 0;

    (void)state;
    admin(&r, ro);
    make_case(&c, "C-2", "ngo-1");
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(ops_case_add(&o, &c, NULL, NULL, NULL, NULL, &err), 0);
    assert_int_equal(store_count(st, STORE_CASE, &(long){0}, &err), 0);
    /* The writer holds its lock; the reader reads the old snapshot. */
    assert_int_equal(store_begin_read(ro, &err), 0);
    assert_int_equal(ops_case_list(&r, NULL, count_case, &n, &err), 0);
    store_end_read(ro);
    assert_int_equal(n, 1);
    assert_int_equal(store_commit(st, &err), 0);
    model_case_release(&c);
    store_close(ro);
    store_close(st);
}

/* ---- the estimate of a period ----------------------------------------- */

/* Persons 0..59 seen by up to three agencies (a fixed pattern), cases
 * identified in 2007 for even persons and 2008 for odd ones; with only,
 * the cases of that year alone. Links saved as record linkage would. */
static void fill_links(struct ops *o, int only)
{
    static const char *const ag[3] = {"ngo-a", "ngo-b", "ngo-c"};
    static const char *ids[180];
    static char names[180][16];
    long persons[180];
    struct model_case c;
    struct model_event e;
    struct ctis_err err;
    size_t n = 0;
    int p;
    int k;

    for (k = 0; k < 3; k++) {
        put_agency(o, ag[k]);
    }
    assert_int_equal(store_begin(o->st, &err), 0);
    for (p = 0; p < 60; p++) {
        int year = p % 2 == 0 ? 2007 : 2008;
        unsigned mask = (unsigned)(p % 7) + 1; /* 1..7: which agencies */

        if (only != 0 && year != only) {
            continue;
        }
        for (k = 0; k < 3; k++) {
            if (!(mask & (1u << k)) || (p % 5 == 0 && k == 2)) {
                continue;
            }
            model_case_init(&c);
            snprintf(names[n], sizeof names[n], "P%d-%d", p, k);
            ctis_strlcpy(c.id, names[n], sizeof c.id);
            ctis_strlcpy(c.agency, ag[k], sizeof c.agency);
            memset(&e, 0, sizeof e);
            e.type = MODEL_EV_IDENTIFICATION;
            e.date = year * 10000 + 501;
            assert_int_equal(model_case_add_event(&c, &e), 0);
            assert_int_equal(
                ops_case_add(o, &c, NULL, NULL, NULL, NULL, &err), 0);
            model_case_release(&c);
            ids[n] = names[n];
            persons[n] = p;
            n++;
        }
    }
    assert_int_equal(store_put_person_links(o->st, ids, persons, n, &err), 0);
    assert_int_equal(store_commit(o->st, &err), 0);
}

static void report_of(struct ops *o, int year, struct ctis_buf *out)
{
    struct ops_report_opts ro = {year, year, 0, 0, 0, 0, NULL};
    struct ctis_err err;

    ctis_buf_init(out);
    assert_int_equal(store_begin_read(o->st, &err), 0);
    assert_int_equal(ops_report(o, &ro, out, &err), 0);
    store_end_read(o->st);
}

static void test_estimate_of_period(void **state)
{
    struct ops all;
    struct ops one;
    struct store *a = open_new();
    struct store *b;
    struct ctis_buf ra;
    struct ctis_buf rb;
    struct ctis_buf r0;

    (void)state;
    admin(&all, a);
    fill_links(&all, 0);
    b = open_new();
    admin(&one, b);
    fill_links(&one, 2007);
    report_of(&all, 2007, &ra);
    report_of(&one, 2007, &rb);
    report_of(&all, 0, &r0);
    assert_non_null(strstr(ra.data, "\"estimated_total\": {"));
    /* The one-year report of all cases is the report of that year's
     * cases alone, estimate included; all years give another. */
    assert_string_equal(ra.data, rb.data);
    assert_string_not_equal(ra.data, r0.data);
    ctis_buf_release(&ra);
    ctis_buf_release(&rb);
    ctis_buf_release(&r0);
    store_close(a);
    store_close(b);
}

/* ---- search and duplicates --------------------------------------------- */

static void test_find_and_duplicate(void **state)
{
    struct ops o;
    struct store *st = setup_case(&o);
    struct ops_find_hit hits[4];
    struct ops_duplicate dup;
    struct model_case c;
    struct ctis_err err;
    size_t n = 0;

    (void)state;
    assert_int_equal(store_begin_read(st, &err), 0);
    assert_int_equal(ops_case_find(&o, "Chan Sokha", 1990, NULL, hits, 4, &n,
                                   &err),
                     0);
    assert_int_equal(n, 1);
    assert_string_equal(hits[0].case_id, "C-1");
    assert_int_equal(ops_case_find(&o, "Sokhar Chann", 0, NULL, hits, 4, &n,
                                   &err),
                     0);
    assert_int_equal(n, 1);
    assert_int_equal(ops_case_find(&o, "Dara Keo", 0, NULL, hits, 4, &n,
                                   &err),
                     0);
    assert_int_equal(n, 0);
    store_end_read(st);
    /* The same person registered again: warned with weight and id. */
    make_case(&c, "C-9", "ngo-2");
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(ops_case_add(&o, &c, NULL, NULL, &dup, NULL, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    assert_string_equal(dup.case_id, "C-1");
    assert_true(dup.weight >= OPS_DUPLICATE_WEIGHT);
    model_case_release(&c);
    store_close(st);
}

/* ---- users, referrals, export ----------------------------------------- */

static int count_user(void *ctx, const struct store_user *u)
{
    assert_string_equal(u->password_hash, "");
    (*(int *)ctx)++;
    return 0;
}

static int count_ref(void *ctx, const struct store_referral *r)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

static void test_users_referrals_export(void **state)
{
    struct ops o;
    struct ops as;
    struct store *st = setup_case(&o);
    struct store_referral_filter f = {0, NULL, NULL, -1};
    struct io_export_opts eo;
    struct ops_caller who;
    struct ctis_err err;
    char path[300];
    FILE *out;
    long ref = 0;
    int n = 0;

    (void)state;
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(ops_user_add(&o, "cw1", "ngo-1", OPS_ROLE_CASE_WORKER,
                                  "first password", &err),
                     0);
    assert_int_equal(ops_user_add(&o, "an", "", OPS_ROLE_ANALYST, NULL, &err),
                     0);
    assert_int_equal(ops_user_passwd(&o, "cw1", "second password", &err), 0);
    assert_int_equal(ops_user_passwd(&o, "cw1", "short", &err), CTIS_EINVAL);
    assert_int_equal(ops_case_refer(&o, "C-1", "ngo-2", MODEL_SVC_MEDICAL,
                                    &ref, NULL, &err),
                     0);
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(ops_login(st, "cw1", "first password", &who, &err),
                     CTIS_EPERM);
    assert_int_equal(ops_login(st, "cw1", "second password", &who, &err), 0);
    assert_int_equal(ops_user_list(&o, count_user, &n, &err), 0);
    assert_int_equal(n, 2);
    /* The case worker of ngo-1 sees the referral from its agency. */
    ops_init(&as, st, &who);
    n = 0;
    assert_int_equal(ops_referral_list(&as, &f, count_ref, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ops_user_list(&as, count_user, &n, &err), CTIS_EPERM);
    /* Only an admin exports identities; an analyst exports publicly. */
    assert_int_equal(ops_caller_of_user(st, "an", &who, &err), 0);
    ops_init(&as, st, &who);
    snprintf(path, sizeof path, "%s/export%d.jsonl", dir, seq);
    out = fopen(path, "w");
    assert_non_null(out);
    memset(&eo, 0, sizeof eo);
    eo.format = IO_FORMAT_JSONL;
    assert_int_equal(store_begin_read(st, &err), 0);
    assert_int_equal(ops_export(&as, out, &eo, NULL, &err), CTIS_EPERM);
    eo.public_only = 1;
    assert_int_equal(ops_export(&as, out, &eo, NULL, &err), 0);
    eo.public_only = 0;
    assert_int_equal(ops_export(&o, out, &eo, NULL, &err), 0);
    store_end_read(st);
    fclose(out);
    store_close(st);
}

static int group_setup(void **state)
{
    (void)state;
    io_init();
    return test_tmpdir_make(dir, sizeof dir, "ops");
}

/* PostgreSQL only. A write's audit entry whose session the server ended
 * (as a restart does) fails the write with a message that says what
 * failed and names the server (host:port/db, no password), never a bare
 * "connection failed": tests/pg/test_restart.sh saw one when a restart
 * hit an import at its last step, the file's audit entry, whose store
 * error went nowhere (ops_audit_note passed no ctis_err down). */
static void test_audit_lost_connection(void **state)
{
    struct store *st = open_new();
    struct ops o;
    struct ctis_err err;
    char cmd[1024];
    char where[300];
    const char *db = strrchr(url, '/') + 1;
    int rc;

    (void)state;
    admin(&o, st);
    put_agency(&o, "ngo-1");
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(ops_audit_note(&o, "import", "file", "", 0, 1, &err), 0);
    /* End the session from another one. */
    snprintf(cmd, sizeof cmd,
             "psql -qAt '%s' -c \"SELECT pg_terminate_backend(pid) FROM "
             "pg_stat_activity WHERE datname = '%s' AND pid <> "
             "pg_backend_pid()\" >/dev/null 2>&1",
             url, db);
    assert_int_equal(system(cmd), 0);
    ctis_err_clear(&err);
    rc = ops_audit_note(&o, "import", "file", "", 0, 1, &err);
    assert_int_equal(rc, CTIS_ECONN);
    snprintf(where, sizeof where, "'%s/%s'", strchr(pg_base, '@') + 1, db);
    if (strstr(err.msg, "lost the connection to PostgreSQL server") == NULL ||
        strstr(err.msg, where) == NULL) {
        fail_msg("message '%s' does not say what failed on %s", err.msg,
                 where);
    }
    store_rollback(st);
    store_close(st);
}

static int group_teardown(void **state)
{
    (void)state;
    return test_tmpdir_remove(dir);
}

/* ops_migrate: only an admin copies; the copy's check is all "ok"; a
 * target with records is refused without force and left as it was. */
static void test_migrate(void **state)
{
    struct ops o;
    struct ops cw;
    struct ops_caller who;
    struct ops_migrate_result res;
    struct store *st = setup_case(&o);
    struct store *to = open_new();
    struct ctis_err err;
    long n = 0;
    int i;

    (void)state;
    memset(&who, 0, sizeof who);
    ctis_strlcpy(who.user, "cw", sizeof who.user);
    ctis_strlcpy(who.agency, "ngo-1", sizeof who.agency);
    who.role = OPS_ROLE_CASE_WORKER;
    ops_init(&cw, st, &who);
    assert_int_equal(ops_migrate(&cw, to, 0, &res, &err), CTIS_EPERM);
    assert_int_equal(store_count(to, STORE_CASE, &n, &err), 0);
    assert_int_equal(n, 0);

    assert_int_equal(ops_migrate(&o, to, 0, &res, &err), 0);
    assert_int_equal(res.n, OPS_MIGRATE_LINES);
    for (i = 0; i < res.n; i++) {
        assert_string_equal(res.line[i].state, "ok");
        assert_int_equal(res.line[i].source, res.line[i].target);
    }
    assert_string_equal(res.line[1].what, "cases");
    assert_int_equal(res.line[1].target, 1);
    assert_string_equal(res.line[5].what, "versions");
    assert_true(res.line[5].target >= 1);

    assert_int_equal(ops_migrate(&o, to, 0, &res, &err), CTIS_EEXIST);
    assert_non_null(strstr(err.msg, "--force"));
    assert_int_equal(store_count(to, STORE_CASE, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ops_migrate(&o, to, 1, &res, &err), 0);
    store_close(to);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_refused_unchanged),
        cmocka_unit_test(test_patch_and_stale),
        cmocka_unit_test(test_history),
        cmocka_unit_test(test_status_follows_events),
        cmocka_unit_test(test_datasheet_corrections),
        cmocka_unit_test(test_concurrent_appends),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_import_last_copy),
        cmocka_unit_test(test_import_new_cases),
        cmocka_unit_test(test_reader_during_write),
        cmocka_unit_test(test_estimate_of_period),
        cmocka_unit_test(test_find_and_duplicate),
        cmocka_unit_test(test_users_referrals_export),
        cmocka_unit_test(test_migrate),
    };
    const char *pg = getenv("CTIS_TEST_PG");
    int rc = cmocka_run_group_tests_name("ops_sqlite", tests, group_setup,
                                         group_teardown);

    if (pg != NULL && pg[0] != '\0') {
        const struct CMUnitTest pg_tests[] = {
            cmocka_unit_test(test_audit_lost_connection),
        };

        pg_base = pg;
        rc += cmocka_run_group_tests_name("ops_postgresql", tests,
                                          group_setup, group_teardown);
        rc += cmocka_run_group_tests_name("ops_postgresql_only", pg_tests,
                                          group_setup, group_teardown);
    }
    return rc;
}
