/*
 * sqlite_hist.c - the SQLite backend's history (record_version), users,
 * referrals and read transactions (store.h).
 *
 * A read transaction is a deferred BEGIN: the first read takes a WAL
 * snapshot and no lock that blocks a writer, so readers work during an
 * import. A record lock is a no-op here: BEGIN IMMEDIATE already holds
 * the database's one write lock for the whole write transaction.
 *
 * Version numbers are the last + 1, read under the write lock (the
 * database's one writer), so two writers never give out the same number;
 * the primary key refuses a duplicate all the same.
 */
#include <string.h>

#include "store_int.h"

/* Deferred BEGIN: a snapshot at the first read, no write lock. */
int sq_begin_read(struct store *st, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    int rc = sq_exec(s, "BEGIN", err);

    if (rc == 0) {
        st->in_read = 1;
    }
    return rc;
}

/* A read transaction has nothing to keep: roll it back. */
void sq_end_read(struct store *st)
{
    struct store_sqlite *s = (struct store_sqlite *)st;

    if (sqlite3_get_autocommit(s->db) == 0) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    }
    st->in_read = 0;
}

/* The write lock is the database's: nothing more to take. */
int sq_lock(struct store *st, int kind, const char *id,
            struct ctis_err *err)
{
    (void)st;
    (void)kind;
    (void)id;
    (void)err;
    return 0;
}

/* One statement prepared for this call (the rarely used ones). */
static sqlite3_stmt *prepare(struct store_sqlite *s, const char *sql,
                             struct ctis_err *err)
{
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL);

    if (rc != SQLITE_OK) {
        sqlite3_finalize(q);
        sq_fail(s, rc, "cannot prepare a statement", err);
        return NULL;
    }
    return q;
}

/* Step a write to its end; a failure rolls the transaction back. */
static int write_done(struct store_sqlite *s, sqlite3_stmt *q,
                      const char *what, struct ctis_err *err)
{
    int rc = sqlite3_step(q);

    if (rc != SQLITE_DONE) {
        rc = sq_fail(s, rc, what, err);
        sqlite3_reset(q);
        return sq_abort(s, rc, err);
    }
    sqlite3_reset(q);
    return 0;
}

/* ---- versions ---------------------------------------------------------- */

/* Insert version cur + 1 of v (its body sealed with that number as
 * associated data in a sealed database): 1 written, 0 when that number
 * is taken (INSERT OR IGNORE: nothing written), negative on error. */
static int insert_version(struct store_sqlite *s,
                          const struct store_version_in *v, long cur,
                          struct ctis_err *err)
{
    struct store *st = &s->base;
    unsigned char *sealed = NULL;
    size_t len = 0;
    sqlite3_stmt *q;
    int rc = 0;

    if (st->sealed && v->kind == STORE_CASE && v->body != NULL) {
        rc = store_seal_body(st, v->id, cur + 1, v->body, &sealed, &len, err);
        if (rc != 0) {
            return rc;
        }
    }
    q = sq_stmt(s, SQ_VERSION_PUT, err);
    if (q == NULL) {
        ctis_free(sealed);
        return sq_errcode(err);
    }
    sqlite3_bind_int(q, 1, v->kind);
    sqlite3_bind_text(q, 2, v->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, v->at);
    sq_bind_text(q, 4, v->actor);
    sqlite3_bind_text(q, 5, v->op, -1, SQLITE_STATIC);
    sq_bind_text(q, 6, v->note);
    if (sealed != NULL) {
        sqlite3_bind_blob(q, 7, sealed, (int)len, SQLITE_STATIC);
    } else {
        sq_bind_text(q, 7, v->body);
    }
    sqlite3_bind_int64(q, 8, cur + 1);
    rc = write_done(s, q, "cannot store a version", err);
    ctis_free(sealed);
    return rc != 0 ? rc : sqlite3_changes(s->db) > 0;
}

/* Append a version numbered one past the last. The last is looked up
 * unless the caller knows it; an INSERT ... SELECT max() from the table
 * it inserts into costs SQLite a temporary table per row (seven times
 * the instructions of a lookup and a plain insert). The write
 * transaction keeps the number current between the two. A number the
 * caller gave that is taken after all (the row is not inserted: INSERT
 * OR IGNORE) is looked up and the row inserted once more.
 * A case's version body holds its person: in a sealed database it is
 * sealed (store_seal_body) like the identity, the version it will get as
 * associated data. */
int sq_add_version(struct store *st, const struct store_version_in *v,
                   struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    long cur = v->current;
    int has = 0;
    int rc = v->known ? 0
                      : sq_current_version(st, v->kind, v->id, &cur, &has,
                                           err);

    if (rc == 0) {
        rc = insert_version(s, v, cur, err);
    }
    if (rc == 0 && v->known) {
        rc = sq_current_version(st, v->kind, v->id, &cur, &has, err);
        if (rc == 0) {
            rc = insert_version(s, v, cur, err);
        }
    }
    if (rc == 0) {
        return sq_abort(s, ctis_err_set(err, CTIS_EINTERNAL,
                                        "cannot store a version of '%s'",
                                        v->id),
                        err);
    }
    return rc < 0 ? rc : 0;
}

/* max(version), 0 when none. */
int sq_current_version(struct store *st, int kind, const char *id,
                       long *out, int *has_body, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = sq_stmt(s, SQ_VERSION_CUR, err);
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_int(q, 1, kind);
    sqlite3_bind_text(q, 2, id, -1, SQLITE_STATIC);
    rc = sqlite3_step(q);
    *out = rc == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : 0;
    *has_body = rc == SQLITE_ROW ? sqlite3_column_int(q, 1) : 0;
    sqlite3_reset(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return sq_fail(s, rc, "cannot read the version", err);
    }
    return 0;
}

/* Only a missing body. */
int sq_fill_version(struct store *st, int kind, const char *id, long version,
                    const char *body, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = prepare(s,
                              "UPDATE record_version SET body = ?4"
                              " WHERE kind = ?1 AND id = ?2 AND version = ?3"
                              " AND body IS NULL",
                              err);
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_int(q, 1, kind);
    sqlite3_bind_text(q, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, version);
    if (st->sealed && kind == STORE_CASE) {
        unsigned char *sealed = NULL;
        size_t len = 0;

        /* the body holds the person: sealed like add_version's */
        rc = store_seal_body(st, id, version, body, &sealed, &len, err);
        if (rc != 0) {
            sqlite3_finalize(q);
            return rc;
        }
        sqlite3_bind_blob(q, 4, sealed, (int)len, ctis_free);
    } else {
        sqlite3_bind_text(q, 4, body, -1, SQLITE_STATIC);
    }
    rc = write_done(s, q, "cannot store a version", err);
    sqlite3_finalize(q);
    return rc;
}

/* Oldest first. */
int sq_each_version(struct store *st, int kind, const char *id,
                    store_version_fn fn, void *ctx, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = prepare(s,
                              "SELECT version, at, actor, op, note, body"
                              " FROM record_version WHERE kind = ?1"
                              " AND id = ?2 ORDER BY version",
                              err);
    int rc;
    int stop = 0;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_int(q, 1, kind);
    sqlite3_bind_text(q, 2, id, -1, SQLITE_STATIC);
    for (rc = sqlite3_step(q); rc == SQLITE_ROW && stop == 0;
         rc = sqlite3_step(q)) {
        struct store_version v;
        char *opened = NULL;

        memset(&v, 0, sizeof v);
        v.version = (long)sqlite3_column_int64(q, 0);
        v.at = (long)sqlite3_column_int64(q, 1);
        sq_column_text(q, 2, v.actor, sizeof v.actor);
        sq_column_text(q, 3, v.op, sizeof v.op);
        sq_column_text(q, 4, v.note, sizeof v.note);
        if (sqlite3_column_type(q, 5) == SQLITE_BLOB) {
            stop = store_open_body(st, id, v.version,
                                   sqlite3_column_blob(q, 5),
                                   (size_t)sqlite3_column_bytes(q, 5),
                                   &opened, err);
            if (stop != 0) {
                break;
            }
            v.body = opened;
        } else {
            v.body = (const char *)sqlite3_column_text(q, 5);
        }
        stop = fn(ctx, &v);
        if (opened != NULL) {
            seal_wipe(opened, strlen(opened));
            ctis_free(opened);
        }
    }
    sqlite3_finalize(q);
    if (stop != 0) {
        return stop;
    }
    if (rc != SQLITE_DONE) {
        return sq_fail(s, rc, "cannot read versions", err);
    }
    return 0;
}

/* ---- users ------------------------------------------------------------- */

/* Upsert by name. */
int sq_put_user(struct store *st, const struct store_user *u,
                struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = prepare(s,
                              "INSERT INTO users(username, agency, role,"
                              " disabled, password_hash, created)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                              " ON CONFLICT(username) DO UPDATE SET"
                              " agency = ?2, role = ?3, disabled = ?4,"
                              " password_hash = ?5",
                              err);
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_text(q, 1, u->username, -1, SQLITE_STATIC);
    sq_bind_text(q, 2, u->agency);
    sqlite3_bind_int(q, 3, u->role);
    sqlite3_bind_int(q, 4, u->disabled != 0);
    sq_bind_text(q, 5, u->password_hash);
    sqlite3_bind_int64(q, 6, u->created);
    rc = write_done(s, q, "cannot store user", err);
    sqlite3_finalize(q);
    return rc;
}

static void read_user(sqlite3_stmt *q, struct store_user *u)
{
    memset(u, 0, sizeof *u);
    sq_column_text(q, 0, u->username, sizeof u->username);
    sq_column_text(q, 1, u->agency, sizeof u->agency);
    u->role = sqlite3_column_int(q, 2);
    u->disabled = sqlite3_column_int(q, 3);
    sq_column_text(q, 4, u->password_hash, sizeof u->password_hash);
    u->created = (long)sqlite3_column_int64(q, 5);
}

#define USER_COLS "username, agency, role, disabled, password_hash, created"

/* One user by name. */
int sq_get_user(struct store *st, const char *username,
                struct store_user *out, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = prepare(s,
                              "SELECT " USER_COLS
                              " FROM users WHERE username = ?1",
                              err);
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_text(q, 1, username, -1, SQLITE_STATIC);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        read_user(q, out);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = ctis_err_set(err, CTIS_ENOTFOUND, "no user has the name given");
    } else {
        rc = sq_fail(s, rc, "cannot read user", err);
    }
    sqlite3_finalize(q);
    return rc;
}

/* Every user by name. */
int sq_each_user(struct store *st, store_user_fn fn, void *ctx,
                 struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = prepare(s,
                              "SELECT " USER_COLS
                              " FROM users ORDER BY username",
                              err);
    int rc;
    int stop = 0;

    if (q == NULL) {
        return sq_errcode(err);
    }
    for (rc = sqlite3_step(q); rc == SQLITE_ROW && stop == 0;
         rc = sqlite3_step(q)) {
        struct store_user u;

        read_user(q, &u);
        stop = fn(ctx, &u);
    }
    sqlite3_finalize(q);
    if (stop != 0) {
        return stop;
    }
    return rc == SQLITE_DONE ? 0 : sq_fail(s, rc, "cannot read users", err);
}

/* ---- referrals --------------------------------------------------------- */

/* Insert; the id is the row id. */
int sq_add_referral(struct store *st, const struct store_referral *r,
                    long *id, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = prepare(s,
                              "INSERT INTO referral(id, case_id,"
                              " from_agency, to_agency, service, state,"
                              " at, actor)"
                              " VALUES (?8, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                              err);
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_text(q, 1, r->case_id, -1, SQLITE_STATIC);
    sq_bind_text(q, 2, r->from_agency);
    sqlite3_bind_text(q, 3, r->to_agency, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 4, r->service);
    sqlite3_bind_int(q, 5, STORE_REF_PENDING);
    sqlite3_bind_int64(q, 6, r->at);
    sq_bind_text(q, 7, r->actor);
    sq_bind_int_or_null(q, 8, r->id > 0 ? r->id : -1);
    rc = write_done(s, q, "cannot store referral", err);
    sqlite3_finalize(q);
    if (rc == 0) {
        *id = (long)sqlite3_last_insert_rowid(s->db);
    }
    return rc;
}

/* Only a pending referral changes. */
int sq_decide_referral(struct store *st, long id, int state,
                       const char *actor, long at, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = prepare(s,
                              "UPDATE referral SET state = ?2,"
                              " decided_at = ?3, decided_by = ?4"
                              " WHERE id = ?1 AND state = 0",
                              err);
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int(q, 2, state);
    sqlite3_bind_int64(q, 3, at);
    sq_bind_text(q, 4, actor);
    rc = write_done(s, q, "cannot store referral", err);
    sqlite3_finalize(q);
    if (rc == 0 && sqlite3_changes(s->db) == 0) {
        q = prepare(s, "SELECT 1 FROM referral WHERE id = ?1", err);
        if (q == NULL) {
            return sq_errcode(err);
        }
        sqlite3_bind_int64(q, 1, id);
        rc = sqlite3_step(q) == SQLITE_ROW
                 ? ctis_err_set(err, CTIS_ECONFLICT,
                                "referral %ld was decided already", id)
                 : ctis_err_set(err, CTIS_ENOTFOUND, "no referral %ld", id);
        sqlite3_finalize(q);
    }
    return rc;
}

/* Filtered, in id order. */
int sq_each_referral(struct store *st, const struct store_referral_filter *f,
                     store_referral_fn fn, void *ctx, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = prepare(s,
                              "SELECT id, case_id, from_agency, to_agency,"
                              " service, state, at, actor, decided_at,"
                              " decided_by FROM referral"
                              " WHERE (?1 <= 0 OR id = ?1)"
                              " AND (?2 IS NULL OR case_id = ?2)"
                              " AND (?3 IS NULL OR to_agency = ?3)"
                              " AND (?4 < 0 OR state = ?4) ORDER BY id",
                              err);
    int rc;
    int stop = 0;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_int64(q, 1, f->id);
    sq_bind_text(q, 2, f->case_id);
    sq_bind_text(q, 3, f->to_agency);
    sqlite3_bind_int(q, 4, f->state);
    for (rc = sqlite3_step(q); rc == SQLITE_ROW && stop == 0;
         rc = sqlite3_step(q)) {
        struct store_referral r;

        memset(&r, 0, sizeof r);
        r.id = (long)sqlite3_column_int64(q, 0);
        sq_column_text(q, 1, r.case_id, sizeof r.case_id);
        sq_column_text(q, 2, r.from_agency, sizeof r.from_agency);
        sq_column_text(q, 3, r.to_agency, sizeof r.to_agency);
        r.service = sqlite3_column_int(q, 4);
        r.state = sqlite3_column_int(q, 5);
        r.at = (long)sqlite3_column_int64(q, 6);
        sq_column_text(q, 7, r.actor, sizeof r.actor);
        r.decided_at = (long)sqlite3_column_int64(q, 8);
        sq_column_text(q, 9, r.decided_by, sizeof r.decided_by);
        stop = fn(ctx, &r);
    }
    sqlite3_finalize(q);
    if (stop != 0) {
        return stop;
    }
    return rc == SQLITE_DONE ? 0
                             : sq_fail(s, rc, "cannot read referrals", err);
}
