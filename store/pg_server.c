/*
 * pg_server.c - the API server's own state in the PostgreSQL backend
 * (migration 4): answers to idempotent creates and the agencies'
 * monitoring intervals. Written straight to the server (like the audit
 * trail), so such a transaction is not replayed after a lost connection.
 */
#include <stdio.h>
#include <string.h>

#include "pg_int.h"

static int flush_first(struct store_pg *p, struct ctis_err *err)
{
    int rc = 0;

    if (p->base.in_txn) {
        rc = pg_flush(p, err);
        if (rc != 0) {
            return pg_abort(p, rc, err);
        }
    }
    return 0;
}

int pg_idem_get(struct store *st, const char *user, const char *key,
                long since, int *status, struct ctis_buf *body,
                char *location, size_t location_n, char *etag,
                size_t etag_n, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    char s[24];
    const char *v[3];
    PGresult *r = NULL;
    int found = 0;
    int rc = flush_first(p, err);

    if (rc != 0) {
        return rc;
    }
    snprintf(s, sizeof s, "%ld", since);
    v[0] = user;
    v[1] = key;
    v[2] = s;
    rc = pg_query(p,
                  "SELECT status, body, location, etag FROM idempotency"
                  " WHERE \"user\" = $1 AND key = $2 AND at >= $3::bigint",
                  3, v, &r, "cannot read idempotency keys", err);
    if (rc == 0 && PQntuples(r) == 1) {
        *status = (int)pg_long(r, 0, 0, 0);
        ctis_buf_reset(body);
        if (ctis_buf_puts(body, PQgetvalue(r, 0, 1)) != 0) {
            rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        pg_text(r, 0, 2, location, location_n);
        pg_text(r, 0, 3, etag, etag_n);
        found = 1;
    }
    PQclear(r);
    if (rc != 0) {
        return p->base.in_txn ? pg_abort(p, rc, err) : rc;
    }
    return found;
}

int pg_idem_put(struct store *st, const char *user, const char *key, long at,
                int status, const char *body, const char *location,
                const char *etag, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    char a[24];
    char s[16];
    const char *v[7];
    PGresult *r = NULL;
    int rc = flush_first(p, err);

    if (rc != 0) {
        return rc;
    }
    p->replayable = 0;
    snprintf(a, sizeof a, "%ld", at);
    snprintf(s, sizeof s, "%d", status);
    v[0] = user;
    v[1] = key;
    v[2] = a;
    v[3] = s;
    v[4] = body;
    v[5] = location;
    v[6] = etag;
    rc = pg_query(p,
                  "INSERT INTO idempotency (\"user\", key, at, status, body,"
                  " location, etag) VALUES ($1, $2, $3::bigint,"
                  " $4::integer, $5, $6, $7) ON CONFLICT (\"user\", key) DO"
                  " UPDATE SET at = EXCLUDED.at, status = EXCLUDED.status,"
                  " body = EXCLUDED.body, location = EXCLUDED.location,"
                  " etag = EXCLUDED.etag",
                  7, v, &r, "cannot keep an idempotency key", err);
    PQclear(r);
    return rc != 0 ? pg_abort(p, rc, err) : 0;
}

int pg_each_idem(struct store *st, store_idem_fn fn, void *ctx,
                 struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    PGresult *r = NULL;
    int stop = 0;
    int i;
    int rc = flush_first(p, err);

    if (rc != 0) {
        return rc;
    }
    rc = pg_query(p,
                  "SELECT \"user\", key, at, status, body, location, etag"
                  " FROM idempotency ORDER BY \"user\", key",
                  0, NULL, &r, "cannot read idempotency keys", err);
    for (i = 0; rc == 0 && stop == 0 && i < PQntuples(r); i++) {
        stop = fn(ctx, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
                  pg_long(r, i, 2, 0), (int)pg_long(r, i, 3, 0),
                  PQgetvalue(r, i, 4),
                  PQgetisnull(r, i, 5) ? NULL : PQgetvalue(r, i, 5),
                  PQgetisnull(r, i, 6) ? NULL : PQgetvalue(r, i, 6));
    }
    PQclear(r);
    if (rc != 0) {
        return p->base.in_txn ? pg_abort(p, rc, err) : rc;
    }
    return stop;
}

int pg_get_monitoring(struct store *st, const char *agency, int *days,
                      struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    PGresult *r = NULL;
    int rc = flush_first(p, err);

    if (rc != 0) {
        return rc;
    }
    rc = pg_query(p, "SELECT days FROM agency_monitoring WHERE agency = $1",
                  1, &agency, &r, "cannot read monitoring intervals", err);
    if (rc == 0) {
        if (PQntuples(r) == 1) {
            *days = (int)pg_long(r, 0, 0, 0);
        } else {
            rc = CTIS_ENOTFOUND;
        }
    }
    PQclear(r);
    return rc;
}

int pg_put_monitoring(struct store *st, const char *agency, int days,
                      struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    char d[16];
    const char *v[2];
    PGresult *r = NULL;
    int rc = flush_first(p, err);

    if (rc != 0) {
        return rc;
    }
    p->replayable = 0;
    snprintf(d, sizeof d, "%d", days);
    v[0] = agency;
    v[1] = d;
    rc = pg_query(p,
                  "INSERT INTO agency_monitoring (agency, days) VALUES ($1,"
                  " $2::integer) ON CONFLICT (agency) DO UPDATE SET days ="
                  " EXCLUDED.days",
                  2, v, &r, "cannot store a monitoring interval", err);
    PQclear(r);
    return rc != 0 ? pg_abort(p, rc, err) : 0;
}

int pg_get_must_change(struct store *st, const char *username, int *out,
                       struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    PGresult *r = NULL;
    int rc = flush_first(p, err);

    *out = 0;
    if (rc != 0) {
        return rc;
    }
    rc = pg_query(p, "SELECT 1 FROM user_must_change WHERE username = $1", 1,
                  &username, &r, "cannot read users", err);
    if (rc == 0 && PQntuples(r) == 1) {
        *out = 1;
    }
    PQclear(r);
    return rc;
}

int pg_set_must_change(struct store *st, const char *username, int on,
                       struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    PGresult *r = NULL;
    int rc = flush_first(p, err);

    if (rc != 0) {
        return rc;
    }
    p->replayable = 0;
    rc = pg_query(p,
                  on ? "INSERT INTO user_must_change (username) VALUES ($1)"
                       " ON CONFLICT DO NOTHING"
                     : "DELETE FROM user_must_change WHERE username = $1",
                  1, &username, &r, "cannot store users", err);
    PQclear(r);
    return rc != 0 ? pg_abort(p, rc, err) : 0;
}
