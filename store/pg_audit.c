/*
 * pg_audit.c - the audit trail's rows in the PostgreSQL backend (the
 * audit and audit_head tables, migration 4). Inside a write transaction
 * the head row is read FOR UPDATE, so concurrent appenders queue on it
 * and the chain never forks. Entries are written straight to the server,
 * not through the COPY buffers: a transaction that appended entries is no
 * longer replayed after a lost connection but reported as not done.
 */
#include <stdio.h>
#include <string.h>

#include "pg_int.h"

int pg_audit_head(struct store *st, long *seq, char hash[65],
                  struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    PGresult *r = NULL;
    int rc = 0;

    *seq = 0;
    hash[0] = '\0';
    if (p->base.in_txn) {
        rc = pg_flush(p, err);
        if (rc != 0) {
            return pg_abort(p, rc, err);
        }
        p->replayable = 0;
    }
    rc = pg_query(p,
                  p->base.in_txn
                      ? "SELECT seq, hash FROM audit_head WHERE one = 1"
                        " FOR UPDATE"
                      : "SELECT seq, hash FROM audit_head WHERE one = 1",
                  0, NULL, &r, "cannot read the audit head", err);
    if (rc == 0 && PQntuples(r) == 1) {
        *seq = pg_long(r, 0, 0, 0);
        pg_text(r, 0, 1, hash, 65);
    }
    PQclear(r);
    return rc != 0 && p->base.in_txn ? pg_abort(p, rc, err) : rc;
}

int pg_audit_insert(struct store *st, const struct store_audit *e, size_t n,
                    struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    size_t i;
    int rc = 0;

    for (i = 0; rc == 0 && i < n; i++) {
        char seq[24];
        char at[24];
        char status[16];
        const char *v[12];
        PGresult *r = NULL;

        snprintf(seq, sizeof seq, "%ld", e[i].seq);
        snprintf(at, sizeof at, "%lld", e[i].at);
        snprintf(status, sizeof status, "%d", e[i].status);
        v[0] = seq;
        v[1] = at;
        v[2] = e[i].user;
        v[3] = e[i].role;
        v[4] = e[i].agency;
        v[5] = e[i].action;
        v[6] = e[i].kind;
        v[7] = e[i].record;
        v[8] = e[i].address;
        v[9] = status;
        v[10] = e[i].prev;
        v[11] = e[i].hash;
        rc = pg_query(p,
                      "INSERT INTO audit (seq, at, \"user\", role, agency,"
                      " action, kind, record, address, status, prev, hash)"
                      " VALUES ($1::bigint, $2::bigint, $3, $4, $5, $6, $7,"
                      " $8, $9, $10::integer, $11, $12)",
                      12, v, &r, "cannot append to the audit trail", err);
        PQclear(r);
        if (rc == 0 && i == n - 1) {
            const char *h[2];

            h[0] = seq;
            h[1] = e[i].hash;
            rc = pg_query(p,
                          "UPDATE audit_head SET seq = $1::bigint, hash = $2"
                          " WHERE one = 1",
                          2, h, &r, "cannot append to the audit trail", err);
            PQclear(r);
        }
    }
    return rc != 0 ? pg_abort(p, rc, err) : 0;
}

int pg_each_audit(struct store *st, const struct store_audit_filter *f,
                  store_audit_fn fn, void *ctx, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    char after[24];
    char limit[24];
    const char *v[5];
    PGresult *r = NULL;
    int rc;
    int i;

    snprintf(after, sizeof after, "%ld", f->after);
    snprintf(limit, sizeof limit, "%ld", f->limit > 0 ? f->limit : 0);
    v[0] = after;
    v[1] = f->user != NULL && f->user[0] != '\0' ? f->user : NULL;
    v[2] = f->record != NULL && f->record[0] != '\0' ? f->record : NULL;
    v[3] = f->action != NULL && f->action[0] != '\0' ? f->action : NULL;
    v[4] = f->limit > 0 ? limit : NULL;
    rc = pg_query(p,
                  "SELECT seq, at, \"user\", role, agency, action, kind,"
                  " record, address, status, prev, hash FROM audit"
                  " WHERE seq > $1::bigint"
                  " AND ($2::text IS NULL OR \"user\" = $2)"
                  " AND ($3::text IS NULL OR record = $3)"
                  " AND ($4::text IS NULL OR action = $4)"
                  " ORDER BY seq LIMIT $5::bigint",
                  5, v, &r, "cannot read the audit trail", err);
    for (i = 0; rc == 0 && i < PQntuples(r); i++) {
        struct store_audit e;

        memset(&e, 0, sizeof e);
        e.seq = pg_long(r, i, 0, 0);
        e.at = (long long)pg_long(r, i, 1, 0);
        pg_text(r, i, 2, e.user, sizeof e.user);
        pg_text(r, i, 3, e.role, sizeof e.role);
        pg_text(r, i, 4, e.agency, sizeof e.agency);
        pg_text(r, i, 5, e.action, sizeof e.action);
        pg_text(r, i, 6, e.kind, sizeof e.kind);
        pg_text(r, i, 7, e.record, sizeof e.record);
        pg_text(r, i, 8, e.address, sizeof e.address);
        e.status = (int)pg_long(r, i, 9, 0);
        pg_text(r, i, 10, e.prev, sizeof e.prev);
        pg_text(r, i, 11, e.hash, sizeof e.hash);
        rc = fn(ctx, &e);
    }
    PQclear(r);
    return rc;
}
