/*
 * sqlite_server.c - the API server's own state in the SQLite backend
 * (migration 4): answers to idempotent creates and the agencies'
 * monitoring intervals.
 */
#include <string.h>

#include "store_int.h"

int sq_idem_get(struct store *st, const char *user, const char *key,
                long since, int *status, struct ctis_buf *body,
                char *location, size_t location_n, char *etag,
                size_t etag_n, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    int found = 0;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT status, body, location, etag FROM"
                                " idempotency WHERE user = ?1 AND key = ?2"
                                " AND at >= ?3",
                                -1, &q, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_text(q, 1, user, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 3, since);
        rc = sqlite3_step(q);
    }
    if (rc == SQLITE_ROW) {
        const void *b = sqlite3_column_blob(q, 1);

        *status = sqlite3_column_int(q, 0);
        ctis_buf_reset(body);
        if (b != NULL &&
            ctis_buf_append(body, b, (size_t)sqlite3_column_bytes(q, 1)) !=
                0) {
            sqlite3_finalize(q);
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        sq_column_text(q, 2, location, location_n);
        sq_column_text(q, 3, etag, etag_n);
        found = 1;
        rc = SQLITE_DONE;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        return sq_fail(s, rc, "cannot read idempotency keys", err);
    }
    return found;
}

int sq_idem_put(struct store *st, const char *user, const char *key, long at,
                int status, const char *body, const char *location,
                const char *etag, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(
        s->db,
        "INSERT OR REPLACE INTO idempotency (user, key, at, status, body,"
        " location, etag) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        -1, &q, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_text(q, 1, user, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 3, at);
        sqlite3_bind_int(q, 4, status);
        sqlite3_bind_text(q, 5, body, -1, SQLITE_STATIC);
        sq_bind_text(q, 6, location);
        sq_bind_text(q, 7, etag);
        rc = sqlite3_step(q);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        return sq_abort(s, sq_fail(s, rc, "cannot keep an idempotency key",
                                   err),
                        err);
    }
    /* Forget old keys now and then (one in 64 puts). */
    if ((at & 63) == 0) {
        char sql[96];

        snprintf(sql, sizeof sql, "DELETE FROM idempotency WHERE at < %ld",
                 at - 2 * 24 * 3600L);
        sq_exec(s, sql, NULL);
    }
    return 0;
}

int sq_each_idem(struct store *st, store_idem_fn fn, void *ctx,
                 struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    int stop = 0;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT user, key, at, status, body,"
                                " location, etag FROM idempotency"
                                " ORDER BY user, key",
                                -1, &q, NULL);

    while (rc == SQLITE_OK && stop == 0 &&
           (rc = sqlite3_step(q)) == SQLITE_ROW) {
        stop = fn(ctx, (const char *)sqlite3_column_text(q, 0),
                  (const char *)sqlite3_column_text(q, 1),
                  (long)sqlite3_column_int64(q, 2), sqlite3_column_int(q, 3),
                  (const char *)sqlite3_column_text(q, 4),
                  (const char *)sqlite3_column_text(q, 5),
                  (const char *)sqlite3_column_text(q, 6));
        rc = SQLITE_OK;
    }
    sqlite3_finalize(q);
    if (stop != 0) {
        return stop;
    }
    if (rc != SQLITE_DONE) {
        return sq_fail(s, rc, "cannot read idempotency keys", err);
    }
    return 0;
}

int sq_get_monitoring(struct store *st, const char *agency, int *days,
                      struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(
        s->db, "SELECT days FROM agency_monitoring WHERE agency = ?1", -1, &q,
        NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_text(q, 1, agency, -1, SQLITE_STATIC);
        rc = sqlite3_step(q);
    }
    if (rc == SQLITE_ROW) {
        *days = sqlite3_column_int(q, 0);
        sqlite3_finalize(q);
        return 0;
    }
    sqlite3_finalize(q);
    if (rc == SQLITE_DONE) {
        return CTIS_ENOTFOUND;
    }
    return sq_fail(s, rc, "cannot read monitoring intervals", err);
}

int sq_put_monitoring(struct store *st, const char *agency, int days,
                      struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(
        s->db,
        "INSERT OR REPLACE INTO agency_monitoring (agency, days)"
        " VALUES (?1, ?2)",
        -1, &q, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_text(q, 1, agency, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 2, days);
        rc = sqlite3_step(q);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        return sq_abort(s, sq_fail(s, rc, "cannot store a monitoring "
                                          "interval", err),
                        err);
    }
    return 0;
}

int sq_get_must_change(struct store *st, const char *username, int *out,
                       struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(
        s->db, "SELECT 1 FROM user_must_change WHERE username = ?1", -1, &q,
        NULL);

    *out = 0;
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(q, 1, username, -1, SQLITE_STATIC);
        rc = sqlite3_step(q);
    }
    if (rc == SQLITE_ROW) {
        *out = 1;
        rc = SQLITE_DONE;
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? 0 : sq_fail(s, rc, "cannot read users", err);
}

int sq_set_must_change(struct store *st, const char *username, int on,
                       struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(
        s->db,
        on ? "INSERT OR IGNORE INTO user_must_change (username) VALUES (?1)"
           : "DELETE FROM user_must_change WHERE username = ?1",
        -1, &q, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_text(q, 1, username, -1, SQLITE_STATIC);
        rc = sqlite3_step(q);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        return sq_abort(s, sq_fail(s, rc, "cannot store users", err), err);
    }
    return 0;
}
