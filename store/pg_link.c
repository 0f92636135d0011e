/*
 * pg_link.c - record linkage results in the PostgreSQL backend: the
 * person_link table (migration 2). Links are written straight to the
 * server, not through the COPY buffers, so a transaction that wrote links
 * is no longer kept for a replay after a lost connection: it is reported
 * as not done instead.
 */
#include <stdio.h>
#include <string.h>

#include "pg_int.h"

#define LINK_BATCH 500

/* Name the first id of a batch that has no case. */
static int missing_case(struct store_pg *p, const char *const *ids, size_t n,
                        struct ctis_err *err)
{
    size_t i;

    for (i = 0; i < n; i++) {
        int rc = pg_exists(&p->base, STORE_CASE, ids[i], err);

        if (rc < 0) {
            return rc;
        }
        if (rc == 0) {
            return ctis_err_set(err, CTIS_ENOTFOUND,
                                "case '%s' named by a person link does not "
                                "exist", ids[i]);
        }
    }
    return ctis_err_set(err, CTIS_EINTERNAL, "person links were not stored");
}

/* One INSERT ... SELECT over a VALUES list of up to LINK_BATCH pairs. */
static int put_batch(struct store_pg *p, const char *const *ids,
                     const long *persons, size_t n, struct ctis_err *err)
{
    static const char head[] = "INSERT INTO person_link (case_rid, person)"
                               " SELECT c.rid, v.p::bigint FROM (VALUES ";
    const char *params[2 * LINK_BATCH];
    char numbers[LINK_BATCH][24];
    struct ctis_buf sql;
    PGresult *r = NULL;
    size_t i;
    int rc = 0;

    ctis_buf_init(&sql);
    rc = ctis_buf_puts(&sql, head);
    for (i = 0; rc == 0 && i < n; i++) {
        snprintf(numbers[i], sizeof numbers[i], "%ld", persons[i]);
        params[2 * i] = ids[i];
        params[2 * i + 1] = numbers[i];
        rc = ctis_buf_printf(&sql, "%s($%zu::text,$%zu::text)",
                             i > 0 ? "," : "", 2 * i + 1, 2 * i + 2);
    }
    if (rc == 0) {
        rc = ctis_buf_puts(&sql, ") AS v(id, p) JOIN cases c ON c.id = v.id"
                                 " RETURNING 1");
    }
    if (rc != 0) {
        ctis_buf_release(&sql);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    rc = pg_query(p, sql.data, (int)(2 * n), params, &r,
                  "cannot store links", err);
    ctis_buf_release(&sql);
    if (rc == 0 && (size_t)PQntuples(r) != n) {
        rc = missing_case(p, ids, n, err);
    }
    PQclear(r);
    return rc;
}

/* Replace every link, inside the caller's transaction. */
int pg_put_person_links(struct store *st, const char *const *case_ids,
                        const long *persons, size_t n, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    size_t done;
    int rc = pg_flush(p, err);

    if (rc == 0) {
        p->replayable = 0;
        rc = pg_exec(p, "DELETE FROM person_link", "cannot store links",
                     err);
    }
    for (done = 0; rc == 0 && done < n; done += LINK_BATCH) {
        size_t k = n - done < LINK_BATCH ? n - done : LINK_BATCH;

        rc = put_batch(p, case_ids + done, persons + done, k, err);
    }
    return rc != 0 ? pg_abort(p, rc, err) : 0;
}

/* Every link with its case's agency, by person then agency (bytewise, as
 * SQLite orders). */
int pg_each_person_link(struct store *st, int from_year, int to_year,
                        store_link_fn fn, void *ctx, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    PGresult *r = NULL;
    char los[16];
    char his[16];
    const char *params[2] = {los, his};
    int lo;
    int hi;
    int rc = 0;
    int i;

    store_query_bounds(from_year, to_year, &lo, &hi);
    snprintf(los, sizeof los, "%d", lo);
    snprintf(his, sizeof his, "%d", hi);
    if (p->base.in_txn) {
        rc = pg_flush(p, err);
        if (rc != 0) {
            return pg_abort(p, rc, err);
        }
    }
    rc = pg_query(p,
                  "SELECT c.agency, l.person FROM person_link l"
                  " JOIN cases c ON c.rid = l.case_rid"
                  " WHERE c.identification_date BETWEEN $1::integer"
                  " AND $2::integer"
                  " ORDER BY l.person, c.agency COLLATE \"C\"",
                  2, params, &r, "cannot read links", err);
    for (i = 0; rc == 0 && i < PQntuples(r); i++) {
        char agency[MODEL_ID_MAX];

        pg_text(r, i, 0, agency, sizeof agency);
        rc = fn(ctx, agency, pg_long(r, i, 1, 0));
    }
    PQclear(r);
    return rc;
}
