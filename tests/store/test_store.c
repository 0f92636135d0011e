/*
 * test_store.c - the SQLite backend against store.h: opening, migrations,
 * round trips of every record type, upserts, transactions, reference
 * errors, every aggregate on hand-made data, and out-of-memory. Real
 * database files in a mkdtemp directory.
 *
 * With CTIS_TEST_PG set to a PostgreSQL server's base URL
 * (postgresql://USER@HOST:PORT, as scripts/test.sh exports it) the
 * backend-neutral tests run a second time against the PostgreSQL backend,
 * each on a database of its own that store_open creates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/support/support.h"

#include "store/store.h"

static char dir[64];
static int serial;
static const char *pg_base; /* NULL: the SQLite group is running */

/* A fresh database path (or PostgreSQL URL) for each use. */
static void db_path(char *out, size_t n)
{
    if (pg_base != NULL) {
        snprintf(out, n, "%s/ctis_t%d_%d", pg_base, (int)getpid(),
                 ++serial);
        return;
    }
    snprintf(out, n, "%s/t%d.db", dir, ++serial);
}

static int group_setup(void **state)
{
    (void)state;
    return test_tmpdir_make(dir, sizeof dir, "store");
}

static int group_teardown(void **state)
{
    (void)state;
    return test_tmpdir_remove(dir);
}

static struct store *open_new(char *path, size_t n)
{
    struct store *st = NULL;
    struct ctis_err err;

    db_path(path, n);
    assert_int_equal(store_open(&st, path, STORE_OPEN_CREATE, &err), 0);
    return st;
}

static void put_agency(struct store *st, const char *id)
{
    struct model_agency a;
    struct ctis_err err;

    model_agency_init(&a);
    ctis_strlcpy(a.id, id, sizeof a.id);
    ctis_strlcpy(a.name, "Agency", sizeof a.name);
    a.kind = MODEL_AK_NGO;
    assert_int_equal(store_put_agency(st, &a, &err), 0);
}

static void add_ev(struct model_case *c, int type, int date, int ref)
{
    struct model_event e;

    memset(&e, 0, sizeof e);
    e.type = type;
    e.date = date;
    e.referral = ref;
    assert_int_equal(model_case_add_event(c, &e), 0);
}

static void add_repat(struct model_case *c, int date, const char *from,
                      const char *to, int official)
{
    struct model_event e;

    memset(&e, 0, sizeof e);
    e.type = MODEL_EV_REPATRIATION;
    e.date = date;
    ctis_strlcpy(e.from_country, from, sizeof e.from_country);
    ctis_strlcpy(e.to_country, to, sizeof e.to_country);
    e.official = official;
    assert_int_equal(model_case_add_event(c, &e), 0);
}

/* A case with every field set. */
static void full_case(struct model_case *c, const char *id)
{
    struct model_person *p = &c->person;
    struct model_event e;

    model_case_init(c);
    ctis_strlcpy(c->id, id, sizeof c->id);
    ctis_strlcpy(c->agency, "ngo-1", sizeof c->agency);
    ctis_strlcpy(p->given_name, "Sokha", sizeof p->given_name);
    ctis_strlcpy(p->family_name, "Chan", sizeof p->family_name);
    ctis_strlcpy(p->given_name_km, "\xe1\x9e\x9f", sizeof p->given_name_km);
    ctis_strlcpy(p->family_name_km, "\xe1\x9e\x85", sizeof p->family_name_km);
    p->sex = MODEL_SEX_FEMALE;
    p->birth_date = 19950412;
    p->birth_year = 1995;
    p->age = 15;
    ctis_strlcpy(p->citizenship, "KH", sizeof p->citizenship);
    ctis_strlcpy(p->home_province, "KH-14", sizeof p->home_province);
    ctis_strlcpy(p->home_district, "District", sizeof p->home_district);
    ctis_strlcpy(p->home_commune, "Commune", sizeof p->home_commune);
    ctis_strlcpy(p->home_village, "Village", sizeof p->home_village);
    ctis_strlcpy(p->phone, "+855 12 345 678", sizeof p->phone);
    ctis_strlcpy(p->email, "x@example.org", sizeof p->email);
    c->trafficking_status = MODEL_TS_ACTUAL;
    c->movement = MODEL_MOV_CROSS_BORDER_OUT;
    c->exploitation = MODEL_EXP_SEXUAL | MODEL_EXP_FORCED_LABOUR;
    c->labour_sector = MODEL_SECTOR_FISHING;
    c->means = MODEL_MEANS_FRAUD | MODEL_MEANS_DEBT_BONDAGE;
    c->recruiter_relationship = MODEL_REL_ACQUAINTANCE;
    ctis_strlcpy(c->destination_country, "TH", sizeof c->destination_country);
    ctis_strlcpy(c->destination_province, "KH-12",
                 sizeof c->destination_province);
    ctis_strlcpy(c->destination_city, "Bangkok", sizeof c->destination_city);
    c->status = MODEL_CS_FOLLOW_UP;
    add_ev(c, MODEL_EV_IDENTIFICATION, 20100301, 0);
    add_repat(c, 20100401, "TH", "KH", 1);
    memset(&e, 0, sizeof e);
    e.type = MODEL_EV_SERVICE;
    e.date = 20100402;
    e.service = MODEL_SVC_LEGAL;
    assert_int_equal(model_case_add_event(c, &e), 0);
    add_ev(c, MODEL_EV_REFERRAL, 20100403, MODEL_REF_MINISTRY);
}

static void test_open_missing(void **state)
{
    struct store *st = NULL;
    struct ctis_err err;
    char path[128];

    (void)state;
    db_path(path, sizeof path);
    assert_int_equal(store_open(&st, path, 0, &err), CTIS_ENOTFOUND);
    assert_null(st);
    assert_non_null(strstr(err.msg, "does not exist (run 'ctis init')"));
    assert_non_null(strstr(err.msg, pg_base != NULL
                                        ? strrchr(path, '/') + 1
                                        : path));
    assert_int_equal(access(path, F_OK), -1);
}

/* No server listens on port 1: the message names host:port/dbname and
 * never the password. */
static void test_open_postgres(void **state)
{
    struct store *st = NULL;
    struct ctis_err err;

    (void)state;
    assert_int_equal(store_open(&st, "postgresql://u:s3cret@127.0.0.1:1/db",
                                0, &err),
                     CTIS_ECONN);
    assert_null(st);
    assert_non_null(strstr(err.msg, "'127.0.0.1:1/db'"));
    assert_null(strstr(err.msg, "s3cret"));
    assert_int_equal(store_open(&st, "postgres://127.0.0.1:1/db", 0, &err),
                     CTIS_ECONN);
}

static void test_open_create_reopen(void **state)
{
    struct store *st;
    struct ctis_err err;
    char path[128];

    (void)state;
    st = open_new(path, sizeof path);
    assert_string_equal(store_backend(st),
                        pg_base != NULL ? "postgresql" : "sqlite");
    assert_int_equal(store_schema_version(st), 9);
    store_close(st);
    assert_int_equal(store_open(&st, path, 0, &err), 0);
    assert_int_equal(store_schema_version(st), 9);
    store_close(st);
    assert_int_equal(store_open(&st, path, STORE_OPEN_CREATE, &err), 0);
    assert_int_equal(store_schema_version(st), 9);
    store_close(st);
    assert_int_equal(store_open(&st, path, STORE_OPEN_READONLY, &err), 0);
    assert_int_equal(store_begin(st, &err), CTIS_EINVAL);
    store_close(st);
    store_close(NULL);
}

static void test_not_a_database(void **state)
{
    struct store *st = NULL;
    struct ctis_err err;
    char path[128];
    FILE *f;
    int i;

    (void)state;
    db_path(path, sizeof path);
    f = fopen(path, "wb");
    assert_non_null(f);
    for (i = 0; i < 512; i++) {
        fputs("this is not a database ", f);
    }
    fclose(f);
    assert_int_equal(store_open(&st, path, 0, &err), CTIS_ECORRUPT);
    assert_null(st);
    assert_non_null(strstr(err.msg, path));
}

static void test_write_outside_txn(void **state)
{
    struct store *st;
    struct model_agency a;
    struct model_case c;
    struct ctis_err err;
    char path[128];

    (void)state;
    st = open_new(path, sizeof path);
    model_agency_init(&a);
    ctis_strlcpy(a.id, "ngo-1", sizeof a.id);
    assert_int_equal(store_put_agency(st, &a, &err), CTIS_EINVAL);
    model_case_init(&c);
    ctis_strlcpy(c.id, "C-1", sizeof c.id);
    assert_int_equal(store_put_case(st, &c, &err), CTIS_EINVAL);
    assert_int_equal(store_commit(st, &err), CTIS_EINVAL);
    store_rollback(st);
    assert_int_equal(store_exists(st, STORE_AGENCY, "ngo-1", &err), 0);
    store_close(st);
}

static void check_person(const struct model_person *a,
                         const struct model_person *b)
{
    assert_string_equal(a->given_name, b->given_name);
    assert_string_equal(a->family_name, b->family_name);
    assert_string_equal(a->given_name_km, b->given_name_km);
    assert_string_equal(a->family_name_km, b->family_name_km);
    assert_int_equal(a->sex, b->sex);
    assert_int_equal(a->birth_date, b->birth_date);
    assert_int_equal(a->birth_year, b->birth_year);
    assert_int_equal(a->age, b->age);
    assert_string_equal(a->citizenship, b->citizenship);
    assert_string_equal(a->home_province, b->home_province);
    assert_string_equal(a->home_district, b->home_district);
    assert_string_equal(a->home_commune, b->home_commune);
    assert_string_equal(a->home_village, b->home_village);
    assert_string_equal(a->phone, b->phone);
    assert_string_equal(a->email, b->email);
}

static void check_case(const struct model_case *a, const struct model_case *b)
{
    size_t i;

    assert_string_equal(a->id, b->id);
    assert_string_equal(a->agency, b->agency);
    check_person(&a->person, &b->person);
    assert_int_equal(a->trafficking_status, b->trafficking_status);
    assert_int_equal(a->movement, b->movement);
    assert_int_equal(a->exploitation, b->exploitation);
    assert_int_equal(a->labour_sector, b->labour_sector);
    assert_int_equal(a->means, b->means);
    assert_int_equal(a->recruiter_relationship, b->recruiter_relationship);
    assert_string_equal(a->destination_country, b->destination_country);
    assert_string_equal(a->destination_province, b->destination_province);
    assert_string_equal(a->destination_city, b->destination_city);
    assert_int_equal(a->status, b->status);
    assert_int_equal(a->n_events, b->n_events);
    for (i = 0; i < a->n_events; i++) {
        assert_memory_equal(&a->events[i], &b->events[i], sizeof a->events[i]);
    }
}

static void test_case_roundtrip(void **state)
{
    struct store *st;
    struct model_case c;
    struct model_case got;
    struct ctis_err err;
    char path[128];
    long n;

    (void)state;
    st = open_new(path, sizeof path);
    full_case(&c, "C-1");
    assert_int_equal(store_begin(st, &err), 0);
    put_agency(st, "ngo-1");
    assert_int_equal(store_put_case(st, &c, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    store_close(st);

    assert_int_equal(store_open(&st, path, STORE_OPEN_READONLY, &err), 0);
    model_case_init(&got);
    assert_int_equal(store_get_case(st, "C-1", &got, &err), 0);
    check_case(&c, &got);
    assert_int_equal(store_get_case(st, "C-2", &got, &err), CTIS_ENOTFOUND);
    assert_int_equal(store_exists(st, STORE_CASE, "C-1", &err), 1);
    assert_int_equal(store_exists(st, STORE_CASE, "C-2", &err), 0);
    assert_int_equal(store_count(st, STORE_EVENT, &n, &err), 0);
    assert_int_equal(n, 4);
    assert_int_equal(store_count(st, STORE_CASE, &n, &err), 0);
    assert_int_equal(n, 1);
    model_case_release(&got);
    model_case_release(&c);
    store_close(st);
}

static void test_upsert_replaces(void **state)
{
    struct store *st;
    struct model_case c;
    struct model_case got;
    struct ctis_err err;
    char path[128];
    long n;

    (void)state;
    st = open_new(path, sizeof path);
    full_case(&c, "C-1");
    assert_int_equal(store_begin(st, &err), 0);
    put_agency(st, "ngo-1");
    assert_int_equal(store_put_case(st, &c, &err), 0);
    assert_int_equal(store_put_case(st, &c, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(store_count(st, STORE_EVENT, &n, &err), 0);
    assert_int_equal(n, 4);

    c.n_events = 2;
    c.status = MODEL_CS_CLOSED;
    c.person.phone[0] = '\0';
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(store_put_case(st, &c, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    model_case_init(&got);
    assert_int_equal(store_get_case(st, "C-1", &got, &err), 0);
    check_case(&c, &got);
    assert_int_equal(store_count(st, STORE_EVENT, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(store_count(st, STORE_CASE, &n, &err), 0);
    assert_int_equal(n, 1);
    model_case_release(&got);
    model_case_release(&c);
    store_close(st);
}

struct link_seen {
    char agency[8][MODEL_ID_MAX];
    long person[8];
    int n;
};

static int take_link(void *ctx, const char *agency, long person)
{
    struct link_seen *s = ctx;

    if (s->n < 8) {
        ctis_strlcpy(s->agency[s->n], agency, MODEL_ID_MAX);
        s->person[s->n++] = person;
    }
    return 0;
}

/* Person links: stored, replaced wholly, kept across a re-put of their
 * case, refused for an unknown case (the transaction is abandoned). */
static void test_person_links(void **state)
{
    static const char *const ids[] = {"C-2", "C-1", "C-3"};
    static const long persons[] = {7, 7, 3};
    static const char *const bad[] = {"C-1", "C-9"};
    struct store *st;
    struct model_case c;
    struct link_seen seen;
    struct ctis_err err;
    char path[128];

    (void)state;
    st = open_new(path, sizeof path);
    assert_int_equal(store_begin(st, &err), 0);
    put_agency(st, "ngo-1");
    put_agency(st, "ngo-2");
    full_case(&c, "C-1");
    assert_int_equal(store_put_case(st, &c, &err), 0);
    model_case_release(&c);
    full_case(&c, "C-2");
    ctis_strlcpy(c.agency, "ngo-2", sizeof c.agency);
    assert_int_equal(store_put_case(st, &c, &err), 0);
    model_case_release(&c);
    full_case(&c, "C-3");
    assert_int_equal(store_put_case(st, &c, &err), 0);
    assert_int_equal(store_put_person_links(st, ids, persons, 3, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(store_put_person_links(st, ids, persons, 3, &err),
                     CTIS_EINVAL);

    /* A re-put keeps the case's link. */
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(store_put_case(st, &c, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_each_person_link(st, 0, 0, take_link, &seen, &err), 0);
    assert_int_equal(seen.n, 3);
    assert_int_equal(seen.person[0], 3);
    assert_string_equal(seen.agency[0], "ngo-1");
    assert_int_equal(seen.person[1], 7);
    assert_string_equal(seen.agency[1], "ngo-1");
    assert_string_equal(seen.agency[2], "ngo-2");

    /* An unknown case: nothing of the new links is kept. */
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(store_put_person_links(st, bad, persons, 2, &err),
                     CTIS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "C-9"));
    store_rollback(st);
    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_each_person_link(st, 0, 0, take_link, &seen, &err), 0);
    assert_int_equal(seen.n, 3);

    /* Replacing by an empty set removes every link. */
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(store_put_person_links(st, NULL, NULL, 0, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_each_person_link(st, 0, 0, take_link, &seen, &err), 0);
    assert_int_equal(seen.n, 0);
    model_case_release(&c);
    store_close(st);
}

static void test_rollback(void **state)
{
    struct store *st;
    struct model_case c;
    struct ctis_err err;
    char path[128];

    (void)state;
    st = open_new(path, sizeof path);
    full_case(&c, "C-1");
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(store_begin(st, &err), CTIS_EINVAL);
    put_agency(st, "ngo-1");
    assert_int_equal(store_put_case(st, &c, &err), 0);
    store_rollback(st);
    store_rollback(st);
    assert_int_equal(store_exists(st, STORE_CASE, "C-1", &err), 0);
    assert_int_equal(store_exists(st, STORE_AGENCY, "ngo-1", &err), 0);
    /* Closing with an open transaction rolls it back too. */
    assert_int_equal(store_begin(st, &err), 0);
    put_agency(st, "ngo-1");
    store_close(st);
    assert_int_equal(store_open(&st, path, 0, &err), 0);
    assert_int_equal(store_exists(st, STORE_AGENCY, "ngo-1", &err), 0);
    model_case_release(&c);
    store_close(st);
}

static void test_reference_errors(void **state)
{
    struct store *st;
    struct model_case c;
    struct model_criminal_case cc;
    struct model_activity a;
    char victims[1][MODEL_ID_MAX] = {"C-9"};
    struct ctis_err err;
    char path[128];

    (void)state;
    st = open_new(path, sizeof path);
    full_case(&c, "C-1");
    ctis_strlcpy(c.agency, "ngo-9", sizeof c.agency);
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(store_put_case(st, &c, &err), CTIS_ENOTFOUND);
    assert_string_equal(err.msg,
                        "agency 'ngo-9' named by case 'C-1' does not exist");
    model_criminal_case_init(&cc);
    ctis_strlcpy(cc.id, "CC-1", sizeof cc.id);
    cc.victim_cases = victims;
    cc.n_victim_cases = 1;
    assert_int_equal(store_put_criminal_case(st, &cc, &err), CTIS_ENOTFOUND);
    assert_string_equal(err.msg, "case 'C-9' named by criminal case 'CC-1' "
                                 "does not exist");
    model_activity_init(&a);
    ctis_strlcpy(a.id, "A-1", sizeof a.id);
    ctis_strlcpy(a.agency, "gov-2", sizeof a.agency);
    assert_int_equal(store_put_activity(st, &a, &err), CTIS_ENOTFOUND);
    assert_string_equal(err.msg,
                        "agency 'gov-2' named by activity 'A-1' does not "
                        "exist");
    /* The transaction is still usable after a reference error. */
    put_agency(st, "ngo-9");
    assert_int_equal(store_put_case(st, &c, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(store_exists(st, STORE_CASE, "C-1", &err), 1);
    assert_int_equal(store_exists(st, STORE_CRIMINAL_CASE, "CC-1", &err), 0);
    model_case_release(&c);
    store_close(st);
}

/* ---- criminal cases, activities, instruments, agencies ----------------- */

struct seen {
    int n;
    struct model_criminal_case cc;
    struct model_activity act;
    struct model_instrument ins;
    struct model_agency ag;
    char ids[8][MODEL_ID_MAX];
};

static int copy_cc(void *ctx, const struct model_criminal_case *cc)
{
    struct seen *s = ctx;
    size_t i;

    ctis_strlcpy(s->ids[s->n++], cc->id, MODEL_ID_MAX);
    assert_string_equal(cc->id, "CC-1");
    assert_int_equal(cc->kind, MODEL_CK_CROSS_BORDER);
    assert_int_equal(cc->n_offenders, 2);
    for (i = 0; i < 2; i++) {
        assert_memory_equal(&cc->offenders[i], &s->cc.offenders[i],
                            sizeof cc->offenders[i]);
    }
    assert_int_equal(cc->n_victim_cases, 1);
    assert_string_equal(cc->victim_cases[0], "C-1");
    assert_int_equal(cc->n_events, 2);
    for (i = 0; i < 2; i++) {
        assert_memory_equal(&cc->events[i], &s->cc.events[i],
                            sizeof cc->events[i]);
    }
    return 0;
}

static int copy_act(void *ctx, const struct model_activity *a)
{
    struct seen *s = ctx;

    assert_memory_equal(a, &s->act, sizeof *a);
    s->n++;
    return 0;
}

static int copy_ins(void *ctx, const struct model_instrument *in)
{
    struct seen *s = ctx;

    assert_memory_equal(in, &s->ins, sizeof *in);
    s->n++;
    return 0;
}

static int copy_ag(void *ctx, const struct model_agency *a)
{
    struct seen *s = ctx;

    assert_memory_equal(a, &s->ag, sizeof *a);
    s->n++;
    return 0;
}

static void make_cc(struct model_criminal_case *cc,
                    struct model_offender *o, char (*v)[MODEL_ID_MAX],
                    struct model_crim_event *e)
{
    model_criminal_case_init(cc);
    ctis_strlcpy(cc->id, "CC-1", sizeof cc->id);
    cc->kind = MODEL_CK_CROSS_BORDER;
    memset(o, 0, 2 * sizeof *o);
    ctis_strlcpy(o[0].id, "O-1", sizeof o[0].id);
    o[0].sex = MODEL_SEX_MALE;
    ctis_strlcpy(o[0].citizenship, "TH", sizeof o[0].citizenship);
    o[0].role = MODEL_ROLE_BROKER;
    ctis_strlcpy(o[1].id, "O-2", sizeof o[1].id);
    o[1].role = MODEL_ROLE_RECRUITER;
    cc->offenders = o;
    cc->n_offenders = 2;
    ctis_strlcpy(v[0], "C-1", MODEL_ID_MAX);
    cc->victim_cases = v;
    cc->n_victim_cases = 1;
    memset(e, 0, 2 * sizeof *e);
    e[0].type = MODEL_CE_INVESTIGATION;
    e[0].date = 20100105;
    e[0].sentence_months = -1;
    e[1].type = MODEL_CE_SENTENCE;
    e[1].date = 20110105;
    ctis_strlcpy(e[1].offender, "O-1", sizeof e[1].offender);
    e[1].sentence_months = 84;
    ctis_strlcpy(e[1].law_articles, "art. 8, art. 15",
                 sizeof e[1].law_articles);
    cc->events = e;
    cc->n_events = 2;
}

static void test_other_roundtrips(void **state)
{
    struct store *st;
    struct model_case c;
    struct model_offender o[2];
    char v[1][MODEL_ID_MAX];
    struct model_crim_event e[2];
    struct seen s;
    struct ctis_err err;
    char path[128];
    long n;

    (void)state;
    memset(&s, 0, sizeof s);
    st = open_new(path, sizeof path);
    full_case(&c, "C-1");
    make_cc(&s.cc, o, v, e);
    model_agency_init(&s.ag);
    ctis_strlcpy(s.ag.id, "ngo-1", sizeof s.ag.id);
    ctis_strlcpy(s.ag.name, "Friends", sizeof s.ag.name);
    s.ag.kind = MODEL_AK_NGO;
    s.ag.pillars = MODEL_PILLAR_PROTECTION | MODEL_PILLAR_PREVENTION;
    s.ag.provinces = (1UL << 12) | (1UL << 25);
    model_activity_init(&s.act);
    ctis_strlcpy(s.act.id, "A-1", sizeof s.act.id);
    ctis_strlcpy(s.act.agency, "ngo-1", sizeof s.act.agency);
    s.act.kind = MODEL_ACT_SAFE_MIGRATION;
    ctis_strlcpy(s.act.province, "KH-2", sizeof s.act.province);
    s.act.start = 20100101;
    s.act.end = 20101231;
    s.act.reached = 1200;
    model_instrument_init(&s.ins);
    ctis_strlcpy(s.ins.id, "MOU-1", sizeof s.ins.id);
    ctis_strlcpy(s.ins.title, "MOU on trafficking", sizeof s.ins.title);
    s.ins.kind = MODEL_INS_MOU;
    s.ins.date = 20030531;
    ctis_strlcpy(s.ins.parties[0], "KH", 3);
    ctis_strlcpy(s.ins.parties[1], "TH", 3);
    s.ins.n_parties = 2;

    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(store_put_agency(st, &s.ag, &err), 0);
    assert_int_equal(store_put_agency(st, &s.ag, &err), 0);
    assert_int_equal(store_put_case(st, &c, &err), 0);
    assert_int_equal(store_put_criminal_case(st, &s.cc, &err), 0);
    assert_int_equal(store_put_criminal_case(st, &s.cc, &err), 0);
    assert_int_equal(store_put_activity(st, &s.act, &err), 0);
    assert_int_equal(store_put_activity(st, &s.act, &err), 0);
    assert_int_equal(store_put_instrument(st, &s.ins, &err), 0);
    assert_int_equal(store_put_instrument(st, &s.ins, &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    store_close(st);

    assert_int_equal(store_open(&st, path, 0, &err), 0);
    assert_int_equal(store_each_criminal_case(st, copy_cc, &s, &err), 0);
    assert_int_equal(s.n, 1);
    s.n = 0;
    assert_int_equal(store_each_activity(st, copy_act, &s, &err), 0);
    assert_int_equal(store_each_instrument(st, copy_ins, &s, &err), 0);
    assert_int_equal(store_each_agency(st, copy_ag, &s, &err), 0);
    assert_int_equal(s.n, 3);
    assert_int_equal(store_exists(st, STORE_OFFENDER, "O-2", &err), 1);
    assert_int_equal(store_exists(st, STORE_INSTRUMENT, "MOU-1", &err), 1);
    assert_int_equal(store_exists(st, STORE_ACTIVITY, "A-1", &err), 1);
    assert_int_equal(store_exists(st, STORE_EVENT, "x", &err), CTIS_EINVAL);
    assert_int_equal(store_count(st, STORE_OFFENDER, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(store_count(st, STORE_CRIMINAL_CASE, &n, &err), 0);
    assert_int_equal(n, 1);
    model_case_release(&c);
    store_close(st);
}

/* ---- iteration and add_event ------------------------------------------- */

static int collect(void *ctx, const struct model_case *c)
{
    struct seen *s = ctx;

    ctis_strlcpy(s->ids[s->n++], c->id, MODEL_ID_MAX);
    assert_int_equal(c->n_events, 4);
    return s->n == 3 ? 42 : 0;
}

static void test_each_case_and_add_event(void **state)
{
    static const char *const ids[] = {"C-3", "C-1", "C-4", "C-2"};
    struct store *st;
    struct model_case c;
    struct model_event e;
    struct store_case_filter f = {NULL, -1, 0, 0, NULL, 0, 0, 0};
    struct store_table t;
    struct seen s;
    struct ctis_err err;
    char path[128];
    size_t i;

    (void)state;
    st = open_new(path, sizeof path);
    assert_int_equal(store_begin(st, &err), 0);
    put_agency(st, "ngo-1");
    put_agency(st, "ngo-2");
    for (i = 0; i < 4; i++) {
        full_case(&c, ids[i]);
        if (i == 2) {
            ctis_strlcpy(c.agency, "ngo-2", sizeof c.agency);
        }
        assert_int_equal(store_put_case(st, &c, &err), 0);
        model_case_release(&c);
    }
    assert_int_equal(store_commit(st, &err), 0);
    memset(&s, 0, sizeof s);
    assert_int_equal(store_each_case(st, &f, collect, &s, &err), 42);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.ids[0], "C-1");
    assert_string_equal(s.ids[2], "C-3");
    memset(&s, 0, sizeof s);
    f.agency = "ngo-2";
    assert_int_equal(store_each_case(st, &f, collect, &s, &err), 0);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.ids[0], "C-4");
    f.agency = NULL;
    f.limit = 2;
    memset(&s, 0, sizeof s);
    assert_int_equal(store_each_case(st, &f, collect, &s, &err), 0);
    assert_int_equal(s.n, 2);

    /* An earlier identification makes C-1 a child at identification. */
    memset(&e, 0, sizeof e);
    e.type = MODEL_EV_IDENTIFICATION;
    e.date = 20090101;
    assert_int_equal(store_add_event(st, "C-1", &e, &err), CTIS_EINVAL);
    assert_int_equal(store_begin(st, &err), 0);
    assert_int_equal(store_add_event(st, "C-1", &e, &err), 0);
    assert_int_equal(store_add_event(st, "C-9", &e, &err), CTIS_ENOTFOUND);
    assert_int_equal(store_commit(st, &err), 0);
    model_case_init(&c);
    assert_int_equal(store_get_case(st, "C-1", &c, &err), 0);
    assert_int_equal(c.n_events, 5);
    assert_int_equal(c.events[0].date, 20090101);
    model_case_release(&c);
    store_table_init(&t);
    assert_int_equal(store_query(st, STORE_Q_CASES_BY_YEAR, 0, 0, &t, &err),
                     0);
    assert_int_equal(t.len, 2);
    assert_int_equal(t.rows[0].year, 2009);
    assert_int_equal(t.rows[0].n[0], 1);
    assert_int_equal(t.rows[1].year, 2010);
    assert_int_equal(t.rows[1].n[0], 3);
    store_table_release(&t);
    store_close(st);
}

#include "test_store_query.inc"
#include "test_store_oom.inc"

int main(void)
{
    const struct CMUnitTest neutral[] = {
        cmocka_unit_test(test_open_missing),
        cmocka_unit_test(test_open_create_reopen),
        cmocka_unit_test(test_write_outside_txn),
        cmocka_unit_test(test_case_roundtrip),
        cmocka_unit_test(test_upsert_replaces),
        cmocka_unit_test(test_person_links),
        cmocka_unit_test(test_rollback),
        cmocka_unit_test(test_reference_errors),
        cmocka_unit_test(test_other_roundtrips),
        cmocka_unit_test(test_each_case_and_add_event),
        cmocka_unit_test(test_queries),
        cmocka_unit_test(test_queries_period),
        cmocka_unit_test(test_oom_put_case),
    };
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_missing),
        cmocka_unit_test(test_open_postgres),
        cmocka_unit_test(test_open_create_reopen),
        cmocka_unit_test(test_not_a_database),
        cmocka_unit_test(test_write_outside_txn),
        cmocka_unit_test(test_case_roundtrip),
        cmocka_unit_test(test_upsert_replaces),
        cmocka_unit_test(test_person_links),
        cmocka_unit_test(test_rollback),
        cmocka_unit_test(test_reference_errors),
        cmocka_unit_test(test_other_roundtrips),
        cmocka_unit_test(test_each_case_and_add_event),
        cmocka_unit_test(test_queries),
        cmocka_unit_test(test_queries_period),
        cmocka_unit_test(test_oom_put_case),
        cmocka_unit_test(test_oom_open),
    };

    const char *pg = getenv("CTIS_TEST_PG");
    int rc = cmocka_run_group_tests_name("store_sqlite", tests, group_setup,
                                         group_teardown);

    if (pg != NULL && pg[0] != '\0') {
        pg_base = pg;
        rc += cmocka_run_group_tests_name("store_postgresql", neutral,
                                          group_setup, group_teardown);
    }
    return rc;
}
