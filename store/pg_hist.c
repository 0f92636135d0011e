/*
 * pg_hist.c - the PostgreSQL backend's history (record_version), users,
 * referrals, record locks and read transactions (store.h).
 *
 * Version rows are buffered like every put (s_version, merged after the
 * records in the same batch, pg_put.c), so an import writes its history
 * in bulk. Users and referrals are written straight to the server; a
 * transaction that did so, or that took a record lock, is no longer
 * replayed after a deadlock or a lost connection (what it read under the
 * lock may have changed): it fails instead, and nothing of it is kept.
 *
 * A record lock is pg_advisory_xact_lock on a 64-bit hash of kind and
 * id: it works for a record that does not exist yet, and ends with the
 * transaction. After it, READ COMMITTED reads see what the previous
 * holder committed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_int.h"

/* A consistent snapshot that never writes: a read-only role or a hot
 * standby accepts it. */
int pg_begin_read(struct store *st, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    int rc = pg_exec(p,
                     "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
                     "cannot begin a read transaction", err);

    if (rc == CTIS_ECONN) {
        rc = pg_recover(p, err);
        if (rc == 0) {
            rc = pg_exec(p,
                         "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
                         "cannot begin a read transaction", err);
        }
    }
    if (rc == 0) {
        st->in_read = 1;
    }
    return rc;
}

/* Nothing to keep. */
void pg_end_read(struct store *st)
{
    struct store_pg *p = (struct store_pg *)st;

    if (p->conn != NULL && PQtransactionStatus(p->conn) != PQTRANS_IDLE) {
        PQclear(PQexec(p->conn, "ROLLBACK"));
    }
    st->in_read = 0;
}

/* Flush what is buffered, so a direct statement sees it. */
static int flushed(struct store_pg *p, struct ctis_err *err)
{
    int rc = 0;

    if (p->base.in_txn) {
        rc = pg_flush(p, err);
        if (rc != 0) {
            return pg_abort(p, rc, err);
        }
    }
    return rc;
}

/* A direct write: the transaction can no longer be replayed. A failure
 * abandons it. */
static int direct(struct store_pg *p, const char *sql, int n,
                  const char *const *params, PGresult **out,
                  const char *what, struct ctis_err *err)
{
    int rc = flushed(p, err);

    *out = NULL;
    if (rc != 0) {
        return rc;
    }
    p->replayable = 0;
    rc = pg_query(p, sql, n, params, out, what, err);
    return rc != 0 ? pg_abort(p, rc, err) : 0;
}

/* A read, inside or outside a transaction. */
static int reading(struct store_pg *p, const char *sql, int n,
                   const char *const *params, PGresult **out,
                   const char *what, struct ctis_err *err)
{
    int rc = flushed(p, err);

    *out = NULL;
    if (rc != 0) {
        return rc;
    }
    rc = pg_query(p, sql, n, params, out, what, err);
    if (rc != 0 && p->base.in_txn) {
        rc = pg_abort(p, rc, err);
    }
    return rc;
}

/* The advisory lock of (kind, id). */
int pg_lock(struct store *st, int kind, const char *id,
            struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    char key[MODEL_ID_MAX + 16];
    const char *params[1] = {key};
    PGresult *r = NULL;
    int rc;

    snprintf(key, sizeof key, "%d:%s", kind, id);
    rc = direct(p, "SELECT pg_advisory_xact_lock(hashtextextended($1, 7))",
                1, params, &r, "cannot lock a record", err);
    PQclear(r);
    return rc;
}

/* ---- versions ---------------------------------------------------------- */

/* Buffered; numbered in the merge. A case's body holds its person: in a
 * sealed database the whole version row stays in the process
 * (PG_S_BODY; only its case id is staged, PG_S_VID) until the merge has
 * numbered it, and its body is sealed under that number (pg_seal.c). */
int pg_add_version(struct store *st, const struct store_version_in *v,
                   struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    int seal = st->sealed && v->kind == STORE_CASE && v->body != NULL;
    struct ctis_buf *b = &p->buf[seal ? PG_S_VID : PG_S_VERSION];
    struct ctis_buf *sb = &p->buf[PG_S_BODY];
    struct ctis_buf cols;
    char key[MODEL_ID_MAX + 16];
    size_t len;
    size_t slen;
    int rc;

    if (seal && store_key_write(st) == NULL) {
        return ctis_err_set(err, CTIS_EKEY,
                            "identities are sealed and no key was given "
                            "(--key-file, CTIS_KEY_FILE or a passphrase)");
    }
    snprintf(key, sizeof key, "%d:%s", v->kind, v->id);
    rc = pg_make_room(p, 'v', key, err);
    if (rc != 0) {
        return rc;
    }
    len = b->len;
    slen = sb->len;
    ctis_buf_init(&cols);
    if (seal) {
        rc = pg_f_text(b, v->id) || pg_f_end(b) || pg_f_long(&cols, v->at) ||
             pg_f_text(&cols, v->actor) || pg_f_text(&cols, v->op) ||
             pg_f_text(&cols, v->note) ||
             pg_body_record(sb, v->id, cols.data, v->body) != 0;
    } else {
        rc = pg_f_long(b, v->kind) || pg_f_text(b, v->id) ||
             pg_f_long(b, v->at) || pg_f_text(b, v->actor) ||
             pg_f_text(b, v->op) || pg_f_text(b, v->note) ||
             pg_f_text(b, v->body) || pg_f_end(b);
    }
    ctis_buf_release(&cols);
    if (rc != 0 || pg_set_add(&p->pending, 'v', key) != 0) {
        b->len = len;
        if (b->cap > 0) {
            b->data[len] = '\0';
        }
        sb->len = slen;
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    return 0;
}

/* max(version) after a flush. */
int pg_current_version(struct store *st, int kind, const char *id,
                       long *out, int *has_body, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    char k[16];
    const char *params[2] = {k, id};
    PGresult *r = NULL;
    int rc;

    snprintf(k, sizeof k, "%d", kind);
    rc = reading(p,
                 "SELECT version, body IS NOT NULL FROM record_version"
                 " WHERE kind = $1::integer AND id = $2"
                 " ORDER BY version DESC LIMIT 1",
                 2, params, &r, "cannot read the version", err);
    if (rc == 0) {
        *out = PQntuples(r) > 0 ? pg_long(r, 0, 0, 0) : 0;
        *has_body = PQntuples(r) > 0 && strcmp(PQgetvalue(r, 0, 1), "t") == 0;
    }
    PQclear(r);
    return rc;
}

/* Only a missing body. */
int pg_fill_version(struct store *st, int kind, const char *id, long version,
                    const char *body, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    char k[16];
    char v[24];
    char *sealed = NULL;
    const char *params[4] = {k, id, v, body};
    PGresult *r = NULL;
    int rc;

    snprintf(k, sizeof k, "%d", kind);
    snprintf(v, sizeof v, "%ld", version);
    if (st->sealed && kind == STORE_CASE && body != NULL) {
        /* the body holds the person: sealed like add_version's */
        rc = store_seal_text(st, "record_version", id, version, body,
                             &sealed, err);
        if (rc != 0) {
            return rc;
        }
        params[3] = sealed;
    }
    rc = direct(p,
                "UPDATE record_version SET body = $4 WHERE kind = $1::integer"
                " AND id = $2 AND version = $3::integer AND body IS NULL",
                4, params, &r, "cannot store a version", err);
    PQclear(r);
    ctis_free(sealed);
    return rc;
}

/* Oldest first. */
int pg_each_version(struct store *st, int kind, const char *id,
                    store_version_fn fn, void *ctx, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    char k[16];
    const char *params[2] = {k, id};
    PGresult *r = NULL;
    int rc;
    int i;

    snprintf(k, sizeof k, "%d", kind);
    rc = reading(p,
                 "SELECT version, at, actor, op, note, body"
                 " FROM record_version WHERE kind = $1::integer"
                 " AND id = $2 ORDER BY version",
                 2, params, &r, "cannot read versions", err);
    for (i = 0; rc == 0 && i < PQntuples(r); i++) {
        struct store_version v;
        char *opened = NULL;

        memset(&v, 0, sizeof v);
        v.version = pg_long(r, i, 0, 0);
        v.at = pg_long(r, i, 1, 0);
        pg_text(r, i, 2, v.actor, sizeof v.actor);
        pg_text(r, i, 3, v.op, sizeof v.op);
        pg_text(r, i, 4, v.note, sizeof v.note);
        v.body = PQgetisnull(r, i, 5) ? NULL : PQgetvalue(r, i, 5);
        if (kind == STORE_CASE && store_text_is_sealed(v.body)) {
            rc = store_open_text(st, "record_version", id, v.version,
                                 v.body, &opened, err);
            v.body = opened;
        }
        if (rc == 0) {
            rc = fn(ctx, &v);
        }
        if (opened != NULL) {
            seal_wipe(opened, strlen(opened));
            ctis_free(opened);
        }
    }
    PQclear(r);
    return rc;
}

/* ---- users ------------------------------------------------------------- */

/* Upsert by name. */
int pg_put_user(struct store *st, const struct store_user *u,
                struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    char role[16];
    char created[24];
    const char *params[6];
    PGresult *r = NULL;
    int rc;

    snprintf(role, sizeof role, "%d", u->role);
    snprintf(created, sizeof created, "%ld", u->created);
    params[0] = u->username;
    params[1] = u->agency[0] != '\0' ? u->agency : NULL;
    params[2] = role;
    params[3] = u->disabled ? "1" : "0";
    params[4] = u->password_hash[0] != '\0' ? u->password_hash : NULL;
    params[5] = created;
    rc = direct(p,
                "INSERT INTO users(username, agency, role, disabled,"
                " password_hash, created) VALUES ($1, $2, $3::integer,"
                " $4::integer, $5, $6::bigint) ON CONFLICT (username)"
                " DO UPDATE SET agency = EXCLUDED.agency,"
                " role = EXCLUDED.role, disabled = EXCLUDED.disabled,"
                " password_hash = EXCLUDED.password_hash",
                6, params, &r, "cannot store user", err);
    PQclear(r);
    return rc;
}

static void read_user(PGresult *r, int i, struct store_user *u)
{
    memset(u, 0, sizeof *u);
    pg_text(r, i, 0, u->username, sizeof u->username);
    pg_text(r, i, 1, u->agency, sizeof u->agency);
    u->role = (int)pg_long(r, i, 2, 0);
    u->disabled = (int)pg_long(r, i, 3, 0);
    pg_text(r, i, 4, u->password_hash, sizeof u->password_hash);
    u->created = pg_long(r, i, 5, 0);
}

#define USER_COLS "username, agency, role, disabled, password_hash, created"

/* One user by name. */
int pg_get_user(struct store *st, const char *username,
                struct store_user *out, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    const char *params[1] = {username};
    PGresult *r = NULL;
    int rc = reading(p, "SELECT " USER_COLS " FROM users WHERE username = $1",
                     1, params, &r, "cannot read user", err);

    if (rc == 0 && PQntuples(r) == 0) {
        rc = ctis_err_set(err, CTIS_ENOTFOUND, "no user has the name given");
    } else if (rc == 0) {
        read_user(r, 0, out);
    }
    PQclear(r);
    return rc;
}

/* Every user by name. */
int pg_each_user(struct store *st, store_user_fn fn, void *ctx,
                 struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    PGresult *r = NULL;
    int rc = reading(p, "SELECT " USER_COLS " FROM users ORDER BY username",
                     0, NULL, &r, "cannot read users", err);
    int i;

    for (i = 0; rc == 0 && i < PQntuples(r); i++) {
        struct store_user u;

        read_user(r, i, &u);
        rc = fn(ctx, &u);
    }
    PQclear(r);
    return rc;
}

/* ---- referrals --------------------------------------------------------- */

/* Insert, returning the id. */
int pg_add_referral(struct store *st, const struct store_referral *r,
                    long *id, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    char service[16];
    char at[24];
    char given[24];
    const char *params[7];
    PGresult *res = NULL;
    int rc;

    snprintf(given, sizeof given, "%ld", r->id);
    snprintf(service, sizeof service, "%d", r->service);
    snprintf(at, sizeof at, "%ld", r->at);
    params[0] = r->case_id;
    params[1] = r->from_agency[0] != '\0' ? r->from_agency : NULL;
    params[2] = r->to_agency;
    params[3] = service;
    params[4] = at;
    params[5] = r->actor[0] != '\0' ? r->actor : NULL;
    params[6] = r->id > 0 ? given : NULL;
    rc = direct(p,
                "INSERT INTO referral(id, case_id, from_agency, to_agency,"
                " service, state, at, actor) VALUES (coalesce($7::bigint,"
                " nextval(pg_get_serial_sequence('referral', 'id'))), $1,"
                " $2, $3, $4::integer, 0, $5::bigint, $6) RETURNING id",
                7, params, &res, "cannot store referral", err);
    if (rc == 0) {
        *id = pg_long(res, 0, 0, 0);
    }
    PQclear(res);
    /* A given id moves the sequence past it, so the next one is free. */
    if (rc == 0 && r->id > 0) {
        res = NULL;
        rc = direct(p,
                    "SELECT setval(pg_get_serial_sequence('referral', 'id'),"
                    " (SELECT max(id) FROM referral))",
                    0, NULL, &res, "cannot store referral", err);
        PQclear(res);
    }
    return rc;
}

/* Only a pending referral changes. */
int pg_decide_referral(struct store *st, long id, int state,
                       const char *actor, long at, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    char ids[24];
    char sts[16];
    char ats[24];
    const char *params[4] = {ids, sts, ats, actor};
    PGresult *r = NULL;
    int rc;

    snprintf(ids, sizeof ids, "%ld", id);
    snprintf(sts, sizeof sts, "%d", state);
    snprintf(ats, sizeof ats, "%ld", at);
    rc = direct(p,
                "WITH u AS (UPDATE referral SET state = $2::integer,"
                " decided_at = $3::bigint, decided_by = $4"
                " WHERE id = $1::bigint AND state = 0 RETURNING 1)"
                " SELECT (SELECT count(*) FROM u),"
                " (SELECT count(*) FROM referral WHERE id = $1::bigint)",
                4, params, &r, "cannot store referral", err);
    if (rc == 0 && pg_long(r, 0, 0, 0) == 0) {
        rc = pg_long(r, 0, 1, 0) > 0
                 ? ctis_err_set(err, CTIS_ECONFLICT,
                                "referral %ld was decided already", id)
                 : ctis_err_set(err, CTIS_ENOTFOUND, "no referral %ld", id);
    }
    PQclear(r);
    return rc;
}

/* Filtered, in id order. */
int pg_each_referral(struct store *st, const struct store_referral_filter *f,
                     store_referral_fn fn, void *ctx, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    char ids[24];
    char sts[16];
    const char *params[4];
    PGresult *r = NULL;
    int rc;
    int i;

    snprintf(ids, sizeof ids, "%ld", f->id);
    snprintf(sts, sizeof sts, "%d", f->state);
    params[0] = ids;
    params[1] = f->case_id;
    params[2] = f->to_agency;
    params[3] = sts;
    rc = reading(p,
                 "SELECT id, case_id, from_agency, to_agency, service,"
                 " state, at, actor, decided_at, decided_by FROM referral"
                 " WHERE ($1::bigint <= 0 OR id = $1::bigint)"
                 " AND ($2::text IS NULL OR case_id = $2)"
                 " AND ($3::text IS NULL OR to_agency = $3)"
                 " AND ($4::integer < 0 OR state = $4::integer) ORDER BY id",
                 4, params, &r, "cannot read referrals", err);
    for (i = 0; rc == 0 && i < PQntuples(r); i++) {
        struct store_referral x;

        memset(&x, 0, sizeof x);
        x.id = pg_long(r, i, 0, 0);
        pg_text(r, i, 1, x.case_id, sizeof x.case_id);
        pg_text(r, i, 2, x.from_agency, sizeof x.from_agency);
        pg_text(r, i, 3, x.to_agency, sizeof x.to_agency);
        x.service = (int)pg_long(r, i, 4, 0);
        x.state = (int)pg_long(r, i, 5, 0);
        x.at = pg_long(r, i, 6, 0);
        pg_text(r, i, 7, x.actor, sizeof x.actor);
        x.decided_at = pg_long(r, i, 8, 0);
        pg_text(r, i, 9, x.decided_by, sizeof x.decided_by);
        rc = fn(ctx, &x);
    }
    PQclear(r);
    return rc;
}
