/*
 * store_put.c - storage benchmark: put N synthetic cases (about four events
 * each) in one transaction and print cases per second; write the same rows
 * as CSV for the sqlite3 shell's .import; time the datasheet aggregates;
 * print their SQL for the shell. bench/store_put.sh runs the comparison.
 *
 * Usage: store_put put DB [N]     (N defaults to 200000)
 *        store_put csv DIR [N]    (DIR/cases.csv, DIR/events.csv)
 *        store_put query DB [R]   (every STORE_Q_*, unbounded, R times)
 *        store_put sql [R]        (the same queries as a shell script)
 */
#include <stdio.h>
#include <string.h>

#include "store/store.h"
#include "store/store_int.h"

#define AGENCIES 10

/* Fill c with synthetic case number i; the same i gives the same case. */
static void synth_case(struct model_case *c, long i)
{
    struct ctis_rng r;
    struct model_event e;
    int ident;
    int k;

    ctis_rng_seed(&r, (uint64_t)i * 7919u + 1);
    c->n_events = 0;
    snprintf(c->id, sizeof c->id, "C-%08ld", i);
    snprintf(c->agency, sizeof c->agency, "ag-%d", (int)(i % AGENCIES));
    snprintf(c->person.given_name, sizeof c->person.given_name, "Given%ld",
             i);
    snprintf(c->person.family_name, sizeof c->person.family_name,
             "Family%ld", i % 997);
    c->person.sex = 1 + (int)ctis_rng_below(&r, 2);
    c->person.birth_date = ctis_date_from_days(
        ctis_date_days(19700101) + (long)ctis_rng_below(&r, 12000));
    c->person.age = -1;
    ctis_strlcpy(c->person.citizenship, "KH", 3);
    ctis_strlcpy(c->person.home_province,
                 model_province_at(1 + (int)ctis_rng_below(&r, 25))->code,
                 sizeof c->person.home_province);
    ctis_strlcpy(c->person.home_district, "District", MODEL_PLACE_MAX);
    c->trafficking_status = (int)ctis_rng_below(&r, 3);
    c->movement = 1 + (int)ctis_rng_below(&r, 3);
    c->exploitation = 1u << ctis_rng_below(&r, 6);
    c->labour_sector = (c->exploitation & MODEL_EXP_FORCED_LABOUR)
                           ? 1 + (int)ctis_rng_below(&r, 9)
                           : 0;
    c->means = (unsigned)ctis_rng_below(&r, 1024);
    c->recruiter_relationship = (int)ctis_rng_below(&r, 8);
    ctis_strlcpy(c->destination_country,
                 c->movement == MODEL_MOV_CROSS_BORDER_OUT ? "TH" : "KH", 3);
    ctis_strlcpy(c->destination_province,
                 model_province_at(1 + (int)ctis_rng_below(&r, 25))->code,
                 sizeof c->destination_province);
    c->status = (int)ctis_rng_below(&r, 4);
    ident = ctis_date_from_days(ctis_date_days(20000101) +
                                (long)ctis_rng_below(&r, 8000));
    for (k = 0; k < 4; k++) {
        static const int types[] = {MODEL_EV_IDENTIFICATION, MODEL_EV_RESCUE,
                                    MODEL_EV_REFERRAL,
                                    MODEL_EV_REPATRIATION};

        memset(&e, 0, sizeof e);
        e.type = types[k];
        e.date = ctis_date_from_days(ctis_date_days(ident) + k * 3);
        if (e.type == MODEL_EV_REFERRAL) {
            e.referral = 1 + (int)ctis_rng_below(&r, 4);
        }
        if (e.type == MODEL_EV_REPATRIATION) {
            ctis_strlcpy(e.from_country, "TH", 3);
            ctis_strlcpy(e.to_country, "KH", 3);
            e.official = (int)ctis_rng_below(&r, 2);
        }
        model_case_add_event(c, &e);
    }
}

static int fail(const char *what, const struct ctis_err *err)
{
    fprintf(stderr, "store_put: %s: %s\n", what, err->msg);
    return 1;
}

static int put_agencies(struct store *st, struct ctis_err *err)
{
    struct model_agency a;
    int i;

    for (i = 0; i < AGENCIES; i++) {
        model_agency_init(&a);
        snprintf(a.id, sizeof a.id, "ag-%d", i);
        ctis_strlcpy(a.name, "Agency", sizeof a.name);
        if (store_put_agency(st, &a, err) != 0) {
            return -1;
        }
    }
    return 0;
}

static int run_put(const char *db, long n)
{
    struct store *st = NULL;
    struct model_case c;
    struct ctis_err err;
    double t0 = ctis_now();
    long i;
    int rc;

    remove(db);
    if (store_open(&st, db, STORE_OPEN_CREATE, &err) != 0) {
        return fail("open", &err);
    }
    model_case_init(&c);
    rc = store_begin(st, &err) != 0 || put_agencies(st, &err) != 0;
    for (i = 0; rc == 0 && i < n; i++) {
        synth_case(&c, i);
        rc = store_put_case(st, &c, &err);
    }
    if (rc == 0) {
        rc = store_commit(st, &err);
    }
    model_case_release(&c);
    store_close(st);
    if (rc != 0) {
        return fail("put", &err);
    }
    printf("store_put: %ld cases in %.2f s: %.0f cases/s\n", n,
           ctis_now() - t0, (double)n / (ctis_now() - t0));
    return 0;
}

static void csv_case(FILE *f, const struct model_case *c)
{
    const struct model_person *p = &c->person;

    fprintf(f,
            "%s,%s,%d,%d,%u,%d,%u,%d,%s,%s,,%d,%d,%s,%s,%s,,adult,%d,"
            "%s,%s,,,%d,,,,,,\n",
            c->id, c->agency, c->trafficking_status, c->movement,
            c->exploitation, c->labour_sector, c->means,
            c->recruiter_relationship, c->destination_country,
            c->destination_province, c->status, p->sex, p->citizenship,
            p->home_province, p->home_district, c->events[0].date,
            p->given_name, p->family_name, p->birth_date);
}

static int run_csv(const char *dir, long n)
{
    char path[512];
    FILE *fc;
    FILE *fe;
    struct model_case c;
    long i;
    size_t k;

    snprintf(path, sizeof path, "%s/cases.csv", dir);
    fc = fopen(path, "w");
    snprintf(path, sizeof path, "%s/events.csv", dir);
    fe = fopen(path, "w");
    if (fc == NULL || fe == NULL) {
        fprintf(stderr, "store_put: cannot write to '%s'\n", dir);
        return 1;
    }
    model_case_init(&c);
    for (i = 0; i < n; i++) {
        synth_case(&c, i);
        csv_case(fc, &c);
        for (k = 0; k < c.n_events; k++) {
            const struct model_event *e = &c.events[k];

            fprintf(fe, "%ld,%zu,%d,%d,%s,%s,%d,%d,%d\n", i + 1, k, e->type,
                    e->date, e->from_country, e->to_country, e->official,
                    e->service, e->referral);
        }
    }
    model_case_release(&c);
    fclose(fc);
    fclose(fe);
    return 0;
}

static int run_query(const char *db, long repeat)
{
    struct store *st = NULL;
    struct ctis_err err;
    double total = 0;
    int q;

    if (store_open(&st, db, STORE_OPEN_READONLY, &err) != 0) {
        return fail("open", &err);
    }
    for (q = 0; q < STORE_QUERY_COUNT * repeat; q++) {
        struct store_table t;
        double t0 = ctis_now();

        store_table_init(&t);
        if (store_query(st, (enum store_query)(q % STORE_QUERY_COUNT), 0, 0,
                        &t, &err) != 0) {
            store_table_release(&t);
            store_close(st);
            return fail("query", &err);
        }
        if (q < STORE_QUERY_COUNT) {
            printf("query %2d: %4zu rows %.4f s\n", q, t.len,
                   ctis_now() - t0);
        }
        total += ctis_now() - t0;
        store_table_release(&t);
    }
    store_close(st);
    printf("store_query: all %d queries %ld times in %.3f s\n",
           STORE_QUERY_COUNT, repeat, total);
    return 0;
}

static int run_sql(long repeat)
{
    int q;

    printf(".parameter init\n.parameter set ?1 0\n"
           ".parameter set ?2 99999999\n");
    for (q = 0; q < STORE_QUERY_COUNT * repeat; q++) {
        printf("%s;\n",
               store_query_sql((enum store_query)(q % STORE_QUERY_COUNT)));
    }
    return 0;
}

int main(int argc, char **argv)
{
    long n = 200000;
    long repeat = 1;
    const char *num = argc >= 4 ? argv[3] : NULL;

    if (argc == 3 && strcmp(argv[1], "sql") == 0) {
        num = argv[2];
    }
    if (num != NULL && ctis_parse_long(num, 1, 100000000, &n) != 0) {
        fprintf(stderr, "store_put: bad number '%s'\n", num);
        return 2;
    }
    if (num != NULL) {
        repeat = n;
    }
    if (argc >= 3 && strcmp(argv[1], "put") == 0) {
        return run_put(argv[2], n);
    }
    if (argc >= 3 && strcmp(argv[1], "csv") == 0) {
        return run_csv(argv[2], n);
    }
    if (argc >= 3 && strcmp(argv[1], "query") == 0) {
        return run_query(argv[2], repeat);
    }
    if (argc >= 2 && strcmp(argv[1], "sql") == 0) {
        return run_sql(repeat);
    }
    fprintf(stderr, "usage: store_put put DB [N] | csv DIR [N] | "
                    "query DB [R] | sql [R]\n");
    return 2;
}
