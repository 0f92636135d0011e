/*
 * sqlite_audit.c - the audit trail's rows in the SQLite backend: the
 * audit and audit_head tables (migration 4). Appends run inside the
 * caller's write transaction, which SQLite's write lock serialises.
 */
#include <string.h>

#include "store_int.h"

int sq_audit_head(struct store *st, long *seq, char hash[65],
                  struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT seq, hash FROM audit_head WHERE one = 1",
                                -1, &q, NULL);

    *seq = 0;
    hash[0] = '\0';
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(q);
    }
    if (rc == SQLITE_ROW) {
        *seq = (long)sqlite3_column_int64(q, 0);
        sq_column_text(q, 1, hash, 65);
        rc = SQLITE_DONE;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        return sq_fail(s, rc, "cannot read the audit head", err);
    }
    return 0;
}

int sq_audit_insert(struct store *st, const struct store_audit *e, size_t n,
                    struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    size_t i;
    int rc = sqlite3_prepare_v2(
        s->db,
        "INSERT INTO audit (seq, at, user, role, agency, action, kind,"
        " record, address, status, prev, hash)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        -1, &q, NULL);

    for (i = 0; rc == SQLITE_OK && i < n; i++) {
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, e[i].seq);
        sqlite3_bind_int64(q, 2, e[i].at);
        sqlite3_bind_text(q, 3, e[i].user, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, e[i].role, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 5, e[i].agency, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 6, e[i].action, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 7, e[i].kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 8, e[i].record, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 9, e[i].address, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 10, e[i].status);
        sqlite3_bind_text(q, 11, e[i].prev, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 12, e[i].hash, -1, SQLITE_STATIC);
        rc = sqlite3_step(q);
        if (rc == SQLITE_DONE) {
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(q);
    q = NULL;
    if (rc == SQLITE_OK) {
        rc = sqlite3_prepare_v2(s->db,
                                "UPDATE audit_head SET seq = ?1, hash = ?2"
                                " WHERE one = 1",
                                -1, &q, NULL);
    }
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(q, 1, e[n - 1].seq);
        sqlite3_bind_text(q, 2, e[n - 1].hash, -1, SQLITE_STATIC);
        rc = sqlite3_step(q);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        return sq_abort(s, sq_fail(s, rc, "cannot append to the audit trail",
                                   err),
                        err);
    }
    return 0;
}

static void row(sqlite3_stmt *q, struct store_audit *e)
{
    memset(e, 0, sizeof *e);
    e->seq = (long)sqlite3_column_int64(q, 0);
    e->at = sqlite3_column_int64(q, 1);
    sq_column_text(q, 2, e->user, sizeof e->user);
    sq_column_text(q, 3, e->role, sizeof e->role);
    sq_column_text(q, 4, e->agency, sizeof e->agency);
    sq_column_text(q, 5, e->action, sizeof e->action);
    sq_column_text(q, 6, e->kind, sizeof e->kind);
    sq_column_text(q, 7, e->record, sizeof e->record);
    sq_column_text(q, 8, e->address, sizeof e->address);
    e->status = sqlite3_column_int(q, 9);
    sq_column_text(q, 10, e->prev, sizeof e->prev);
    sq_column_text(q, 11, e->hash, sizeof e->hash);
}

int sq_each_audit(struct store *st, const struct store_audit_filter *f,
                  store_audit_fn fn, void *ctx, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    struct store_audit e;
    int rc = sqlite3_prepare_v2(
        s->db,
        "SELECT seq, at, user, role, agency, action, kind, record, address,"
        " status, prev, hash FROM audit WHERE seq > ?1"
        " AND (?2 IS NULL OR user = ?2) AND (?3 IS NULL OR record = ?3)"
        " AND (?4 IS NULL OR action = ?4) ORDER BY seq LIMIT ?5",
        -1, &q, NULL);

    if (rc != SQLITE_OK) {
        sqlite3_finalize(q);
        return sq_fail(s, rc, "cannot read the audit trail", err);
    }
    sqlite3_bind_int64(q, 1, f->after);
    sq_bind_text(q, 2, f->user);
    sq_bind_text(q, 3, f->record);
    sq_bind_text(q, 4, f->action);
    sqlite3_bind_int64(q, 5, f->limit > 0 ? f->limit : -1);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int r;

        row(q, &e);
        r = fn(ctx, &e);
        if (r != 0) {
            sqlite3_finalize(q);
            return r;
        }
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        return sq_fail(s, rc, "cannot read the audit trail", err);
    }
    return 0;
}
