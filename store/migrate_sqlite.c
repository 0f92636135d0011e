/*
 * migrate_sqlite.c - the numbered schema migrations of the SQLite backend.
 *
 * migrations[v] takes the schema from version v to v + 1; PRAGMA
 * user_version holds the version reached. At open, every pending migration
 * runs inside one BEGIN IMMEDIATE transaction together with the new
 * user_version, so a crash leaves the old schema or the new one, never a
 * mix. Never edit a migration that has shipped: append a new one and bump
 * STORE_SCHEMA_VERSION (store_int.h). docs/storage.md describes the schema.
 *
 * Codes are stored as the model's small integer enum values (model.h says
 * their numbers never change), dates as YYYYMMDD integers, unknown as NULL.
 */
#include "store_int.h"

/* 1: the first schema. One string per statement. */
static const char *const migration_1[] = {
    "CREATE TABLE agency ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " name TEXT, kind INTEGER NOT NULL, pillars INTEGER NOT NULL,"
    " provinces INTEGER NOT NULL);",
    "CREATE TABLE cases ("
    " rid INTEGER PRIMARY KEY,"
    " id TEXT NOT NULL UNIQUE,"
    " agency TEXT REFERENCES agency(id),"
    " rev INTEGER NOT NULL DEFAULT 0,"
    " trafficking_status INTEGER NOT NULL, movement INTEGER NOT NULL,"
    " exploitation INTEGER NOT NULL, labour_sector INTEGER NOT NULL,"
    " means INTEGER NOT NULL, recruiter_relationship INTEGER NOT NULL,"
    " destination_country TEXT, destination_province TEXT,"
    " destination_city TEXT, status INTEGER NOT NULL,"
    " sex INTEGER NOT NULL, citizenship TEXT, home_province TEXT,"
    " home_district TEXT, age_at_identification INTEGER,"
    " age_group TEXT NOT NULL, identification_date INTEGER NOT NULL);",
    "CREATE TABLE person_identity ("
    " case_rid INTEGER PRIMARY KEY"
    "  REFERENCES cases(rid) ON DELETE CASCADE,"
    " given_name TEXT, family_name TEXT, given_name_km TEXT,"
    " family_name_km TEXT, birth_date INTEGER, birth_year INTEGER,"
    " age INTEGER, home_commune TEXT, home_village TEXT, phone TEXT,"
    " email TEXT);",
    "CREATE TABLE event ("
    " case_rid INTEGER NOT NULL REFERENCES cases(rid) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL, type INTEGER NOT NULL, date INTEGER NOT NULL,"
    " from_country TEXT, to_country TEXT, official INTEGER NOT NULL,"
    " service INTEGER NOT NULL, referral INTEGER NOT NULL,"
    " PRIMARY KEY (case_rid, seq)) WITHOUT ROWID;",
    /* Aggregate counters kept by every put (sqlite_count.c). */
    "CREATE TABLE case_count ("
    " q INTEGER NOT NULL, year INTEGER NOT NULL, k0 TEXT NOT NULL,"
    " k1 TEXT NOT NULL, s0 INTEGER NOT NULL, s1 INTEGER NOT NULL,"
    " n INTEGER NOT NULL,"
    " PRIMARY KEY (q, year, k0, k1)) WITHOUT ROWID;",
    "CREATE TABLE offender ("
    " id TEXT PRIMARY KEY NOT NULL, sex INTEGER NOT NULL,"
    " citizenship TEXT, role INTEGER NOT NULL);",
    "CREATE TABLE criminal_case ("
    " rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " rev INTEGER NOT NULL DEFAULT 0, kind INTEGER NOT NULL);",
    "CREATE TABLE criminal_case_offender ("
    " cc_rid INTEGER NOT NULL"
    "  REFERENCES criminal_case(rid) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL,"
    " offender_id TEXT NOT NULL REFERENCES offender(id),"
    " PRIMARY KEY (cc_rid, seq)) WITHOUT ROWID;",
    "CREATE INDEX cco_offender ON criminal_case_offender(offender_id);",
    "CREATE TABLE criminal_case_victim ("
    " cc_rid INTEGER NOT NULL"
    "  REFERENCES criminal_case(rid) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL,"
    " case_id TEXT NOT NULL REFERENCES cases(id),"
    " PRIMARY KEY (cc_rid, seq)) WITHOUT ROWID;",
    "CREATE INDEX ccv_case ON criminal_case_victim(case_id);",
    "CREATE TABLE crim_event ("
    " cc_rid INTEGER NOT NULL"
    "  REFERENCES criminal_case(rid) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL, type INTEGER NOT NULL, date INTEGER NOT NULL,"
    " offender TEXT, sentence_months INTEGER, law_articles TEXT,"
    " PRIMARY KEY (cc_rid, seq)) WITHOUT ROWID;",
    "CREATE INDEX crim_event_type_date ON crim_event(type, date);",
    "CREATE TABLE activity ("
    " id TEXT PRIMARY KEY NOT NULL,"
    " agency TEXT REFERENCES agency(id),"
    " kind INTEGER NOT NULL, province TEXT, start INTEGER NOT NULL,"
    " end INTEGER NOT NULL, reached INTEGER);",
    "CREATE INDEX activity_agency ON activity(agency);",
    "CREATE TABLE instrument ("
    " rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " title TEXT, kind INTEGER NOT NULL, date INTEGER NOT NULL);",
    "CREATE TABLE instrument_party ("
    " ins_rid INTEGER NOT NULL"
    "  REFERENCES instrument(rid) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL, country TEXT NOT NULL,"
    " PRIMARY KEY (ins_rid, seq)) WITHOUT ROWID;",
    NULL};

/* 2: record linkage results, the person each case was found to be. */
static const char *const migration_2[] = {
    "CREATE TABLE person_link ("
    " case_rid INTEGER PRIMARY KEY REFERENCES cases(rid) ON DELETE CASCADE,"
    " person INTEGER NOT NULL)",
    "CREATE INDEX person_link_person ON person_link(person)",
    NULL};

/* 3: versions and history, users, referrals; event ids and corrections;
 * the stage stored beside the status. Records that exist get a version
 * 1 without a body ("migrated": their state before history was kept). */
#define MIGRATED(kind, table)                                            \
    "INSERT INTO record_version(kind, id, version, at, actor, op)"       \
    " SELECT " #kind ", id, 1, CAST(strftime('%s', 'now') AS INTEGER),"  \
    " '', 'migrated' FROM " table
static const char *const migration_3[] = {
    "CREATE TABLE record_version ("
    " kind INTEGER NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,"
    " at INTEGER NOT NULL, actor TEXT, op TEXT NOT NULL, note TEXT,"
    " body TEXT, PRIMARY KEY (kind, id, version)) WITHOUT ROWID",
    MIGRATED(0, "agency"), MIGRATED(1, "cases"),
    MIGRATED(2, "criminal_case"), MIGRATED(3, "offender"),
    MIGRATED(4, "activity"), MIGRATED(5, "instrument"),
    "CREATE TABLE users ("
    " username TEXT PRIMARY KEY NOT NULL, agency TEXT,"
    " role INTEGER NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,"
    " password_hash TEXT, created INTEGER NOT NULL)",
    "CREATE TABLE referral ("
    " id INTEGER PRIMARY KEY, case_id TEXT NOT NULL, from_agency TEXT,"
    " to_agency TEXT NOT NULL, service INTEGER NOT NULL,"
    " state INTEGER NOT NULL, at INTEGER NOT NULL, actor TEXT,"
    " decided_at INTEGER, decided_by TEXT)",
    "CREATE INDEX referral_case ON referral(case_id)",
    "CREATE INDEX referral_to ON referral(to_agency, state)",
    "ALTER TABLE event ADD COLUMN eid INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE event ADD COLUMN supersedes INTEGER NOT NULL DEFAULT 0",
    "UPDATE event SET eid = seq + 1",
    "ALTER TABLE cases ADD COLUMN stage TEXT",
    NULL};

/* 4: the audit trail (store.h, audit.c): entries chained by hash, and
 * the head, the last entry's number and hash. */
static const char *const migration_4[] = {
    "CREATE TABLE audit ("
    " seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, user TEXT NOT NULL,"
    " role TEXT NOT NULL, agency TEXT NOT NULL, action TEXT NOT NULL,"
    " kind TEXT NOT NULL, record TEXT NOT NULL, address TEXT NOT NULL,"
    " status INTEGER NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL)",
    "CREATE INDEX audit_record ON audit(record)",
    "CREATE TABLE audit_head ("
    " one INTEGER PRIMARY KEY CHECK (one = 1), seq INTEGER NOT NULL,"
    " hash TEXT NOT NULL)",
    "INSERT INTO audit_head VALUES (1, 0, '')",
    /* Answers to idempotent creates, and agencies' monitoring intervals. */
    "CREATE TABLE idempotency ("
    " user TEXT NOT NULL, key TEXT NOT NULL, at INTEGER NOT NULL,"
    " status INTEGER NOT NULL, body TEXT NOT NULL, location TEXT,"
    " etag TEXT, PRIMARY KEY (user, key)) WITHOUT ROWID",
    "CREATE TABLE agency_monitoring ("
    " agency TEXT PRIMARY KEY NOT NULL REFERENCES agency(id),"
    " days INTEGER NOT NULL)",
    /* Users who must change their password at the next login. */
    "CREATE TABLE user_must_change (username TEXT PRIMARY KEY NOT NULL)",
    NULL};

/* 5: sealed identities (store_seal.c, sqlite_seal.c). A sealed row keeps
 * its identifying columns NULL and holds them in `sealed`, opened with
 * the data key of generation key_gen; rows written before the database
 * had a key keep them in clear (key_gen NULL) until sealed. */
static const char *const migration_5[] = {
    "ALTER TABLE person_identity ADD COLUMN sealed BLOB",
    "ALTER TABLE person_identity ADD COLUMN key_gen INTEGER",
    "CREATE TABLE seal_key ("
    " kek_id TEXT NOT NULL, kind INTEGER NOT NULL, key_id TEXT NOT NULL,"
    " gen INTEGER NOT NULL, salt BLOB, opslimit INTEGER, memlimit INTEGER,"
    " nonce BLOB NOT NULL, wrapped BLOB NOT NULL,"
    " PRIMARY KEY (kek_id, gen))",
    "CREATE TABLE person_bidx ("
    " h BLOB NOT NULL,"
    " case_rid INTEGER NOT NULL REFERENCES cases(rid) ON DELETE CASCADE,"
    " PRIMARY KEY (h, case_rid)) WITHOUT ROWID",
    "CREATE INDEX person_bidx_case ON person_bidx(case_rid)",
    "CREATE INDEX person_identity_gen ON person_identity(key_gen)",
    "CREATE TABLE erasure ("
    " case_id TEXT NOT NULL, erased_at TEXT NOT NULL,"
    " erased_by TEXT NOT NULL, reason TEXT NOT NULL)",
    NULL};

/* 6: status and stage of every case from its events (model/'s one
 * derivation), for cases not written since migration 3 added the stage
 * (NULL): the marker row 'stage' of backfill is removed by
 * sq_fill_stages when no case is left without one. The counters are
 * rebuilt, as superseded events no longer count (model_case_facts). */
static const char *const migration_6[] = {
    "CREATE TABLE backfill (name TEXT PRIMARY KEY NOT NULL)",
    "INSERT INTO backfill(name) VALUES ('stage')",
    NULL};

/* 7: the name rule (MODEL_NAME_RULE) each sealed identity's blind indexes
 * were made with; NULL for those made before it was recorded (rule 1).
 * Rows made with an older rule are found by the index and recomputed by
 * store_reindex_names. */
static const char *const migration_7[] = {
    "ALTER TABLE person_identity ADD COLUMN name_rule INTEGER",
    "CREATE INDEX person_identity_name_rule ON person_identity(name_rule)",
    NULL};

/* 8: person_bidx without its foreign key to cases, rebuilt (SQLite
 * cannot drop a constraint): the key's check was a lookup in cases for
 * each of a person's five or so blind index rows. Safe, as on PostgreSQL
 * (pg.c's 8): sq_bidx_add is the one place that writes the table, always
 * with the rid of the case row it has just written or read in the same
 * transaction; erasure deletes a case's rows itself; cases are never
 * deleted, so the cascade never ran. */
static const char *const migration_8[] = {
    "CREATE TABLE person_bidx_8 ("
    " h BLOB NOT NULL, case_rid INTEGER NOT NULL,"
    " PRIMARY KEY (h, case_rid)) WITHOUT ROWID",
    "INSERT INTO person_bidx_8(h, case_rid) SELECT h, case_rid FROM"
    " person_bidx"
    " ORDER BY h, case_rid",
    "DROP TABLE person_bidx",
    "ALTER TABLE person_bidx_8 RENAME TO person_bidx",
    "CREATE INDEX person_bidx_case ON person_bidx(case_rid)",
    NULL};

/* 9: each person row lists its blind values (bidx: SEAL_BLIND_BYTES
 * each, those person_bidx holds for the case), so a case's rows are
 * deleted by their key, and person_bidx loses its index by case_rid
 * (fill_bidx_lists drops it once the lists are written): that index
 * was a second B-tree insert for every blind index row of an import.
 * Erasure still deletes by case_rid, with a full scan. PostgreSQL's 9
 * adds the column only (pg.c). */
static const char *const migration_9[] = {
    "ALTER TABLE person_identity ADD COLUMN bidx BLOB", NULL};

static int fill_bidx_lists(struct store_sqlite *s, struct ctis_err *err);

/* migrations[v] takes the schema from version v to v + 1: its statements,
 * then its fill when it has one, then, when recount is set, case_count
 * rebuilt from every case (for a migration that changes what a case
 * counts for). */
struct migration {
    const char *const *sql;
    int (*fill)(struct store_sqlite *s, struct ctis_err *err);
    int recount;
};

static const struct migration migrations[STORE_SCHEMA_VERSION] = {
    {migration_1, NULL, 0}, {migration_2, NULL, 0},
    {migration_3, NULL, 0}, {migration_4, NULL, 0},
    {migration_5, NULL, 0}, {migration_6, NULL, 1},
    {migration_7, NULL, 0}, {migration_8, NULL, 0},
    {migration_9, fill_bidx_lists, 0}};

static int read_version(struct store_sqlite *s, int *out,
                        struct ctis_err *err)
{
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL);

    if (rc == SQLITE_OK) {
        rc = sqlite3_step(q);
    }
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(q);
        return sq_fail(s, rc, "cannot read the schema version", err);
    }
    *out = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return 0;
}

static int run_migration(struct store_sqlite *s, int v,
                         struct ctis_err *err)
{
    const char *const *stmt;
    int rc = 0;

    for (stmt = migrations[v].sql; rc == 0 && *stmt != NULL; stmt++) {
        rc = sq_exec(s, *stmt, err);
    }
    if (rc == 0 && migrations[v].fill != NULL) {
        rc = migrations[v].fill(s, err);
    }
    if (rc == 0 && migrations[v].recount) {
        rc = sq_counts_rebuild(s, err);
    }
    if (rc != 0) {
        ctis_err_prefix(err, "migration %d", v + 1);
    }
    return rc;
}

static int apply(struct store_sqlite *s, int from, struct ctis_err *err)
{
    char sql[64];
    int rc;
    int v;

    rc = sq_exec(s, "BEGIN IMMEDIATE", err);
    if (rc != 0) {
        return rc;
    }
    /* Another process may have migrated while we waited for the lock. */
    rc = read_version(s, &from, err);
    for (v = from; rc == 0 && v < STORE_SCHEMA_VERSION; v++) {
        rc = run_migration(s, v, err);
    }
    if (rc == 0) {
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
                 STORE_SCHEMA_VERSION);
        rc = sq_exec(s, sql, err);
    }
    if (rc == 0) {
        rc = sq_exec(s, "COMMIT", err);
    }
    if (rc != 0) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        sq_counts_clear(s);
        sq_bidx_clear(s);
    }
    return rc;
}

/* ---- migration 9's fill ------------------------------------------------ */

static int write_list(sqlite3_stmt *upd, sqlite3_int64 rid,
                      const struct ctis_buf *b)
{
    int rc;

    sqlite3_reset(upd);
    sqlite3_bind_blob(upd, 1, b->data, (int)b->len, SQLITE_STATIC);
    sqlite3_bind_int64(upd, 2, rid);
    rc = sqlite3_step(upd);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Every case's blind index rows into its person row's list, read in
 * case_rid order through the index by case_rid, which is then dropped.
 * Inside the migration's transaction. */
static int fill_bidx_lists(struct store_sqlite *s, struct ctis_err *err)
{
    sqlite3_stmt *q = NULL;
    sqlite3_stmt *upd = NULL;
    struct ctis_buf b;
    sqlite3_int64 cur = 0;
    int more = 1;
    int rc;

    ctis_buf_init(&b);
    rc = sqlite3_prepare_v2(s->db,
                            "SELECT case_rid, h FROM person_bidx"
                            " ORDER BY case_rid",
                            -1, &q, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_prepare_v2(s->db,
                                "UPDATE person_identity SET bidx = ?1"
                                " WHERE case_rid = ?2",
                                -1, &upd, NULL);
    }
    while (rc == SQLITE_OK && more) {
        sqlite3_int64 rid;

        rc = sqlite3_step(q);
        more = rc == SQLITE_ROW;
        if (rc != SQLITE_ROW) {
            rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
            continue;
        }
        rc = SQLITE_OK;
        rid = sqlite3_column_int64(q, 0);
        if (b.len > 0 && rid != cur) {
            rc = write_list(upd, cur, &b);
            ctis_buf_reset(&b);
        }
        cur = rid;
        if (rc == SQLITE_OK && sqlite3_column_bytes(q, 1) == SEAL_BLIND_BYTES &&
            ctis_buf_append(&b, sqlite3_column_blob(q, 1),
                            SEAL_BLIND_BYTES) != 0) {
            rc = SQLITE_NOMEM;
        }
    }
    if (rc == SQLITE_OK && b.len > 0) {
        rc = write_list(upd, cur, &b);
    }
    sqlite3_finalize(q);
    sqlite3_finalize(upd);
    ctis_buf_release(&b);
    if (rc != SQLITE_OK) {
        return rc == SQLITE_NOMEM
                   ? ctis_err_set(err, CTIS_ENOMEM, "out of memory")
                   : sq_fail(s, rc, "cannot list blind index rows", err);
    }
    return sq_exec(s, "DROP INDEX IF EXISTS person_bidx_case", err);
}

/* ---- migration 6's fill ------------------------------------------------ */

#define FILL_BATCH 500

/* 1 while the marker row of the fill is there, 0 once done. */
static int fill_pending(struct store_sqlite *s, struct ctis_err *err)
{
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT 1 FROM backfill WHERE name = 'stage'",
                                -1, &q, NULL);

    if (rc == SQLITE_OK) {
        rc = sqlite3_step(q);
    }
    sqlite3_finalize(q);
    if (rc == SQLITE_ROW) {
        return 1;
    }
    return rc == SQLITE_DONE ? 0 : sq_fail(s, rc, "cannot read backfill", err);
}

/* Derive and write the status and stage of case rid (status as stored). */
static int fill_one(struct store_sqlite *s, sqlite3_stmt *upd,
                    sqlite3_int64 rid, int status, struct ctis_err *err)
{
    struct model_case c;
    int rc;

    model_case_init(&c);
    c.status = status;
    rc = sq_read_events(s, rid, &c, err);
    if (rc == 0) {
        model_case_derive_status(&c);
        sqlite3_bind_int(upd, 1, c.status);
        sqlite3_bind_text(upd, 2, model_case_stage(&c), -1, SQLITE_STATIC);
        sqlite3_bind_int64(upd, 3, rid);
        rc = sqlite3_step(upd);
        sqlite3_reset(upd);
        rc = rc == SQLITE_DONE ? 0 : sq_fail(s, rc, "cannot fill stage", err);
    }
    model_case_release(&c);
    return rc;
}

/* One batch of up to FILL_BATCH cases without a stage, after row *after,
 * in its own transaction: *n cases filled, *after moved on. */
static int fill_batch(struct store_sqlite *s, sqlite3_int64 *after, int *n,
                      struct ctis_err *err)
{
    sqlite3_int64 rids[FILL_BATCH];
    int status[FILL_BATCH];
    sqlite3_stmt *q = NULL;
    sqlite3_stmt *upd = NULL;
    int rc = sq_exec(s, "BEGIN IMMEDIATE", err);
    int i;

    *n = 0;
    if (rc != 0) {
        return rc;
    }
    if (sqlite3_prepare_v2(s->db,
                           "SELECT rid, status FROM cases WHERE rid > ?1"
                           " AND stage IS NULL ORDER BY rid LIMIT ?2",
                           -1, &q, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "UPDATE cases SET status = ?1, stage = ?2"
                           " WHERE rid = ?3",
                           -1, &upd, NULL) != SQLITE_OK) {
        rc = sq_fail(s, sqlite3_errcode(s->db), "cannot fill stage", err);
    }
    if (rc == 0) {
        sqlite3_bind_int64(q, 1, *after);
        sqlite3_bind_int(q, 2, FILL_BATCH);
        while (*n < FILL_BATCH && sqlite3_step(q) == SQLITE_ROW) {
            rids[*n] = sqlite3_column_int64(q, 0);
            status[*n] = sqlite3_column_int(q, 1);
            (*n)++;
        }
        sqlite3_reset(q);
    }
    for (i = 0; rc == 0 && i < *n; i++) {
        rc = fill_one(s, upd, rids[i], status[i], err);
    }
    if (rc == 0 && *n == 0) {
        rc = sq_exec(s, "DELETE FROM backfill WHERE name = 'stage'", err);
    }
    sqlite3_finalize(q);
    sqlite3_finalize(upd);
    if (rc == 0) {
        rc = sq_exec(s, "COMMIT", err);
    }
    if (rc != 0) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    if (*n > 0) {
        *after = rids[*n - 1];
    }
    return 0;
}

/* Batches until no case is left without a stage; each commits, so an
 * interrupted fill goes on at the next open for writing. */
int sq_fill_stages(struct store_sqlite *s, struct ctis_err *err)
{
    sqlite3_int64 after = 0;
    int n = 1;
    int rc = fill_pending(s, err);

    if (rc <= 0 || (s->base.flags & STORE_OPEN_READONLY)) {
        return rc < 0 ? rc : 0;
    }
    rc = 0;
    while (rc == 0 && n > 0) {
        rc = fill_batch(s, &after, &n, err);
    }
    return rc;
}

/* Bring the schema to STORE_SCHEMA_VERSION. A read-only handle cannot
 * migrate, so an old schema is an error there. */
int sq_migrate(struct store_sqlite *s, struct ctis_err *err)
{
    int v = 0;
    int rc = read_version(s, &v, err);

    if (rc != 0) {
        return rc;
    }
    if (v > STORE_SCHEMA_VERSION) {
        return ctis_err_set(err, CTIS_EUNSUPPORTED,
                            "database '%s' has schema version %d, newer than "
                            "this program's %d",
                            s->path, v, STORE_SCHEMA_VERSION);
    }
    if (v < STORE_SCHEMA_VERSION) {
        if (s->base.flags & STORE_OPEN_READONLY) {
            return ctis_err_set(err, CTIS_EUNSUPPORTED,
                                "database '%s' needs migrating from schema "
                                "version %d; open it for writing",
                                s->path, v);
        }
        rc = apply(s, v, err);
        if (rc != 0) {
            return rc;
        }
    }
    s->version = STORE_SCHEMA_VERSION;
    return sq_fill_stages(s, err);
}
