/*
 * ops_append.c - single-event appends per second through ops/ (each in
 * its own transaction, as 'ctis case event' or one HTTP request does
 * it: record lock, read, append, derive the status, write, version
 * row), beside the same appends through store_add_event alone (no lock,
 * no version, no rules): the reference measured in the same run.
 *
 * usage: ops_append URL N CASES
 * N appends spread round-robin over CASES cases (so each case's timeline
 * stays short, as in the field). Prints one line per path and the ratio.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/ops.h"

static int setup(struct store *st, long cases, struct ctis_err *err)
{
    struct model_agency a;
    struct model_case c;
    struct model_event e;
    long i;
    int rc;

    model_agency_init(&a);
    ctis_strlcpy(a.id, "ngo-1", sizeof a.id);
    a.kind = MODEL_AK_NGO;
    rc = store_begin(st, err);
    if (rc == 0) {
        rc = store_put_agency(st, &a, err);
    }
    for (i = 0; rc == 0 && i < 2 * cases; i++) {
        model_case_init(&c);
        snprintf(c.id, sizeof c.id, "C-%06ld", i);
        ctis_strlcpy(c.agency, "ngo-1", sizeof c.agency);
        memset(&e, 0, sizeof e);
        e.id = 1;
        e.type = MODEL_EV_IDENTIFICATION;
        e.date = 20080301;
        rc = model_case_add_event(&c, &e);
        if (rc == 0) {
            rc = store_put_case(st, &c, err);
        }
        model_case_release(&c);
    }
    return rc == 0 ? store_commit(st, err) : rc;
}

static double run(struct store *st, struct ops *o, long n, long cases,
                  long offset, struct ctis_err *err)
{
    double t0 = ctis_now();
    long i;

    for (i = 0; i < n; i++) {
        struct model_event e;
        char id[32];
        int rc;

        memset(&e, 0, sizeof e);
        e.type = MODEL_EV_MONITORING_VISIT;
        e.date = 20080401 + (int)(i % 28);
        snprintf(id, sizeof id, "C-%06ld", offset + i % cases);
        rc = store_begin(st, err);
        if (rc == 0) {
            rc = o != NULL ? ops_case_event(o, id, &e, NULL, NULL, NULL, err)
                           : store_add_event(st, id, &e, err);
        }
        if (rc == 0) {
            rc = store_commit(st, err);
        } else {
            store_rollback(st);
        }
        if (rc != 0) {
            fprintf(stderr, "ops_append: %s\n", err->msg);
            return -1;
        }
    }
    return ctis_now() - t0;
}

int main(int argc, char **argv)
{
    struct store *st = NULL;
    struct ops_caller who;
    struct ops o;
    struct ctis_err err;
    long n;
    long cases;
    double t_ops;
    double t_store;

    if (argc != 4 || ctis_parse_long(argv[2], 1, 100000000, &n) != 0 ||
        ctis_parse_long(argv[3], 1, 1000000, &cases) != 0) {
        fprintf(stderr, "usage: ops_append URL N CASES\n");
        return 2;
    }
    io_init();
    if (store_open(&st, argv[1], STORE_OPEN_CREATE, &err) != 0 ||
        setup(st, cases, &err) != 0) {
        fprintf(stderr, "ops_append: %s\n", err.msg);
        store_close(st);
        return 1;
    }
    ops_caller_local_admin(&who);
    ops_init(&o, st, &who);
    t_ops = run(st, &o, n, cases, 0, &err);
    t_store = t_ops < 0 ? -1 : run(st, NULL, n, cases, cases, &err);
    store_close(st);
    if (t_ops < 0 || t_store < 0) {
        return 1;
    }
    printf("%s: %ld single-event appends through ops/ in %.2f s: %.0f/s\n",
           strncmp(argv[1], "postgres", 8) == 0 ? "postgresql" : "sqlite", n, t_ops, n / t_ops);
    printf("%s: the same through store_add_event alone in %.2f s: %.0f/s "
           "(ops/ costs %.2fx)\n",
           strncmp(argv[1], "postgres", 8) == 0 ? "postgresql" : "sqlite", t_store, n / t_store,
           t_ops / t_store);
    return 0;
}
