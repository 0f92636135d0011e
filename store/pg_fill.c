/*
 * pg_fill.c - migration 6's fill on PostgreSQL: the status and stage of
 * every case that has no stage (not written since migration 3 added it)
 * or has a superseded event (whose facts counted it), from its events by
 * model/'s one derivation (model_case_derive_status, model_case_stage,
 * model_case_facts), and its rescue and repatriation facts written again.
 *
 * Batches of FILL_BATCH cases by rid, each in its own transaction: three
 * reads (the cases, their events), one UPDATE and the facts' DELETE and
 * INSERT, each over arrays of the batch. An interrupted fill goes on at
 * the next open for writing; the marker row of backfill goes when a batch
 * finds nothing left.
 */
#include <string.h>

#include "pg_int.h"

#define FILL_BATCH 500

struct fill {
    long rid[FILL_BATCH];
    int nav[FILL_BATCH];          /* not_a_victim: no facts */
    struct model_case c[FILL_BATCH];
    int n;
    struct ctis_buf rids;         /* "{1,2,...}" of the batch */
    struct ctis_buf upd[3];       /* rid, status, stage arrays */
    struct ctis_buf res[3];       /* rescue facts: rid, year, referred_to */
    struct ctis_buf rep[4];       /* repatriations: rid, year, from, to */
};

/* Append item to the array literal b ("{" first, "," after). NULL is
 * the SQL NULL; codes are letters, digits, '_' and '-' only. */
static int arr_add(struct ctis_buf *b, const char *item)
{
    const char *s;

    if (item != NULL) {
        for (s = item; *s != '\0'; s++) {
            if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                  (*s >= '0' && *s <= '9') || *s == '_' || *s == '-')) {
                return CTIS_EINVAL;
            }
        }
    }
    return ctis_buf_puts(b, b->len == 0 ? "{" : ",") != 0 ||
                   ctis_buf_puts(b, item == NULL || item[0] == '\0'
                                        ? "NULL"
                                        : item) != 0
               ? CTIS_ENOMEM
               : 0;
}

static int arr_long(struct ctis_buf *b, long v)
{
    char t[24];

    snprintf(t, sizeof t, "%ld", v);
    return arr_add(b, t);
}

/* Close the literal ("{}" when empty). */
static int arr_end(struct ctis_buf *b)
{
    return ctis_buf_puts(b, b->len == 0 ? "{}" : "}") != 0 ? CTIS_ENOMEM : 0;
}

struct fact_ctx {
    struct fill *f;
    long rid;
};

static int add_fact(void *ctx, const struct model_fact *x)
{
    struct fact_ctx *fc = ctx;
    struct fill *f = fc->f;

    if (x->kind == MODEL_FACT_RESCUE) {
        return arr_long(&f->res[0], fc->rid) ||
               arr_long(&f->res[1], x->year) ||
               arr_long(&f->res[2], x->referral);
    }
    return arr_long(&f->rep[0], fc->rid) || arr_long(&f->rep[1], x->year) ||
           arr_add(&f->rep[2], x->from_country) ||
           arr_add(&f->rep[3], x->to_country);
}

static void fill_reset(struct fill *f)
{
    int i;

    for (i = 0; i < f->n; i++) {
        model_case_release(&f->c[i]);
    }
    f->n = 0;
    ctis_buf_reset(&f->rids);
    for (i = 0; i < 3; i++) {
        ctis_buf_reset(&f->upd[i]);
        ctis_buf_reset(&f->res[i]);
    }
    for (i = 0; i < 4; i++) {
        ctis_buf_reset(&f->rep[i]);
    }
}

/* The batch's cases after rid *after, then their events. */
static int read_batch(struct store_pg *p, struct fill *f, long after,
                      struct ctis_err *err)
{
    char a[24];
    char lim[16];
    const char *params[2] = {a, lim};
    PGresult *r = NULL;
    int rc;
    int i;
    int k = 0;

    snprintf(a, sizeof a, "%ld", after);
    snprintf(lim, sizeof lim, "%d", FILL_BATCH);
    rc = pg_query(p,
                  "SELECT c.rid, c.status, c.trafficking_status FROM cases c"
                  " WHERE c.rid > $1::bigint AND (c.stage IS NULL OR EXISTS"
                  " (SELECT 1 FROM event e WHERE e.case_rid = c.rid"
                  " AND e.supersedes <> 0)) ORDER BY c.rid LIMIT $2::int",
                  2, params, &r, "cannot fill stages", err);
    for (i = 0; rc == 0 && i < PQntuples(r) && i < FILL_BATCH; i++) {
        f->rid[i] = pg_long(r, i, 0, 0);
        model_case_init(&f->c[i]);
        f->c[i].status = (int)pg_long(r, i, 1, 0);
        f->nav[i] = pg_long(r, i, 2, 0) == MODEL_TS_NOT_A_VICTIM;
        f->n++;
        rc = arr_long(&f->rids, f->rid[i]);
    }
    PQclear(r);
    if (rc == 0) {
        rc = arr_end(&f->rids);
    }
    if (rc != 0 || f->n == 0) {
        return rc != 0 ? ctis_err_set(err, CTIS_ENOMEM, "out of memory") : 0;
    }
    params[0] = f->rids.data;
    rc = pg_query(p,
                  "SELECT case_rid, type, date, from_country, to_country,"
                  " official, service, referral, eid, supersedes FROM event"
                  " WHERE case_rid = ANY($1::bigint[])"
                  " ORDER BY case_rid, date, seq",
                  1, params, &r, "cannot fill stages", err);
    for (i = 0; rc == 0 && i < PQntuples(r); i++) {
        long rid = pg_long(r, i, 0, 0);
        struct model_event e;

        while (k < f->n && f->rid[k] != rid) {
            k++;
        }
        if (k == f->n) {
            break;
        }
        pg_event_at(r, i, &e);
        if (model_case_add_event(&f->c[k], &e) != 0) {
            rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
    }
    PQclear(r);
    return rc;
}

/* Derive every case of the batch and write status, stage and facts. */
static int write_batch(struct store_pg *p, struct fill *f,
                       struct ctis_err *err)
{
    const char *params[4];
    PGresult *r = NULL;
    int rc = 0;
    int i;

    for (i = 0; rc == 0 && i < f->n; i++) {
        struct fact_ctx fc = {f, f->rid[i]};

        model_case_derive_status(&f->c[i]);
        rc = arr_long(&f->upd[0], f->rid[i]) ||
             arr_long(&f->upd[1], f->c[i].status) ||
             arr_add(&f->upd[2], model_case_stage(&f->c[i]));
        if (rc == 0 && !f->nav[i]) {
            rc = model_case_facts(&f->c[i], add_fact, &fc);
        }
    }
    for (i = 0; rc == 0 && i < 4; i++) {
        rc = (i < 3 && (arr_end(&f->upd[i]) || arr_end(&f->res[i]))) ||
             arr_end(&f->rep[i]);
    }
    if (rc != 0) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "cannot fill stages: a code that is not one");
    }
    params[0] = f->upd[0].data;
    params[1] = f->upd[1].data;
    params[2] = f->upd[2].data;
    rc = pg_query(p,
                  "UPDATE cases c SET status = v.s, stage = v.g FROM"
                  " unnest($1::bigint[], $2::int[], $3::text[]) AS v(r, s, g)"
                  " WHERE c.rid = v.r",
                  3, params, &r, "cannot fill stages", err);
    PQclear(r);
    params[0] = f->rids.data;
    if (rc == 0) {
        rc = pg_query(p, "DELETE FROM rescue_fact"
                         " WHERE case_rid = ANY($1::bigint[])",
                      1, params, &r, "cannot fill stages", err);
        PQclear(r);
    }
    if (rc == 0) {
        rc = pg_query(p, "DELETE FROM repatriation_fact"
                         " WHERE case_rid = ANY($1::bigint[])",
                      1, params, &r, "cannot fill stages", err);
        PQclear(r);
    }
    params[0] = f->res[0].data;
    params[1] = f->res[1].data;
    params[2] = f->res[2].data;
    if (rc == 0) {
        rc = pg_query(p,
                      "INSERT INTO rescue_fact(case_rid, year, referred_to)"
                      " SELECT * FROM unnest($1::bigint[], $2::int[],"
                      " $3::int[])",
                      3, params, &r, "cannot fill stages", err);
        PQclear(r);
    }
    for (i = 0; i < 4; i++) {
        params[i] = f->rep[i].data;
    }
    if (rc == 0) {
        rc = pg_query(p,
                      "INSERT INTO repatriation_fact(case_rid, year,"
                      " from_country, to_country) SELECT * FROM"
                      " unnest($1::bigint[], $2::int[], $3::text[],"
                      " $4::text[])",
                      4, params, &r, "cannot fill stages", err);
        PQclear(r);
    }
    return rc;
}

/* 1 while the marker is there. */
static int pending(struct store_pg *p, struct ctis_err *err)
{
    PGresult *r = NULL;
    int rc = pg_query(p, "SELECT 1 FROM backfill WHERE name = 'stage'", 0,
                      NULL, &r, "cannot read backfill", err);
    int n = rc == 0 ? PQntuples(r) : 0;

    PQclear(r);
    return rc != 0 ? rc : n > 0;
}

int pg_fill_stages(struct store_pg *p, struct ctis_err *err)
{
    struct fill *f;
    long after = 0;
    int rc = pending(p, err);
    int i;

    if (rc <= 0) {
        return rc;
    }
    f = ctis_calloc(1, sizeof *f);
    if (f == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    ctis_buf_init(&f->rids);
    for (i = 0; i < 4; i++) {
        ctis_buf_init(&f->rep[i]);
        if (i < 3) {
            ctis_buf_init(&f->upd[i]);
            ctis_buf_init(&f->res[i]);
        }
    }
    for (;;) {
        /* One filler at a time (two would both write a case's facts):
         * the lock of the migrations, until this batch commits. */
        rc = pg_exec(p, "BEGIN; SELECT pg_advisory_xact_lock(7433001)",
                     "cannot fill stages", err);
        if (rc == 0) {
            rc = read_batch(p, f, after, err);
        }
        if (rc == 0 && f->n > 0) {
            rc = write_batch(p, f, err);
        } else if (rc == 0) {
            rc = pg_exec(p, "DELETE FROM backfill WHERE name = 'stage'",
                         "cannot fill stages", err);
        }
        if (rc == 0) {
            rc = pg_exec(p, "COMMIT", "cannot fill stages", err);
        }
        if (rc != 0) {
            PQclear(PQexec(p->conn, "ROLLBACK"));
            break;
        }
        if (f->n == 0) {
            break;
        }
        after = f->rid[f->n - 1];
        fill_reset(f);
    }
    fill_reset(f);
    ctis_buf_release(&f->rids);
    for (i = 0; i < 4; i++) {
        ctis_buf_release(&f->rep[i]);
        if (i < 3) {
            ctis_buf_release(&f->upd[i]);
            ctis_buf_release(&f->res[i]);
        }
    }
    ctis_free(f);
    return rc;
}
