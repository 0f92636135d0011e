/*
 * pg.c - the PostgreSQL backend over libpq: connecting (a message names
 * host:port/dbname, never the password), creating the database for
 * STORE_OPEN_CREATE, the numbered migrations, transactions with replay
 * after a deadlock, a serialisation failure or a lost connection, and the
 * shared error and query helpers. Writes are buffered and merged in bulk
 * (pg_put.c); reads and aggregates are in pg_get.c.
 *
 * Transactions are READ COMMITTED. Every write is an upsert by id and
 * rows are merged in id order, so two writers wait for each other rather
 * than deadlock in most cases; a deadlock or serialisation failure that
 * still happens is retried by rolling back and replaying the transaction's
 * kept batches (pg_int.h), up to PG_RETRIES times.
 *
 * Commit: before COMMIT the transaction inserts a unique token into
 * ctis_txn. When the connection is lost while COMMIT is in flight, the
 * backend reconnects and looks the token up: present means committed;
 * absent means not done, and the transaction is replayed and committed
 * once more when its batches were kept, or reported as not done.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pg_int.h"

#define PG_RETRIES 5
#define ANALYZE_BYTES ((size_t)1 << 20)
#define MIGRATION_LOCK "7433001" /* pg_fill.c takes it too */

/* ---- messages ---------------------------------------------------------- */

/* "host:port/dbname" from the URL's parts, defaults filled in as libpq
 * would; the password is never read. */
static void describe(const char *url, char *out, size_t n)
{
    PQconninfoOption *opts = PQconninfoParse(url, NULL);
    const char *host = NULL;
    const char *port = NULL;
    const char *db = NULL;
    const char *user = NULL;
    PQconninfoOption *o;

    for (o = opts; o != NULL && o->keyword != NULL; o++) {
        if (o->val == NULL || o->val[0] == '\0') {
            continue;
        }
        if (strcmp(o->keyword, "host") == 0) {
            host = o->val;
        } else if (strcmp(o->keyword, "hostaddr") == 0 && host == NULL) {
            host = o->val;
        } else if (strcmp(o->keyword, "port") == 0) {
            port = o->val;
        } else if (strcmp(o->keyword, "dbname") == 0) {
            db = o->val;
        } else if (strcmp(o->keyword, "user") == 0) {
            user = o->val;
        }
    }
    snprintf(out, n, "%s:%s/%s", host != NULL ? host : "localhost",
             port != NULL ? port : "5432",
             db != NULL ? db : (user != NULL ? user : "?"));
    PQconninfoFree(opts);
}

/* The first line of a libpq message, without "ERROR:  " noise, redacted:
 * libpq and the server quote what they could not take (a URL, a password
 * that did not parse, a value that did not fit a column), so everything
 * between double quotes is replaced by "...", and a URL or a
 * "password=" anywhere in the line is cut off. Every libpq message goes
 * through here before it reaches a ctis_err. */
static void first_line(const char *m, char *out, size_t n)
{
    size_t len;
    size_t i;
    size_t j = 0;
    int quoted = 0;
    char *cut;

    if (m == NULL) {
        m = "";
    }
    if (strncmp(m, "ERROR:  ", 8) == 0) {
        m += 8;
    }
    len = strcspn(m, "\n");
    for (i = 0; i < len && j + 5 < n; i++) {
        if (m[i] == '"') {
            if (!quoted) {
                memcpy(out + j, "\"...", 4);
                j += 4;
            } else {
                out[j++] = '"';
            }
            quoted = !quoted;
            continue;
        }
        if (!quoted) {
            out[j++] = m[i];
        }
    }
    if (quoted) {
        out[j++] = '"';
    }
    out[j] = '\0';
    cut = strstr(out, "://");
    if (cut != NULL) {
        while (cut > out && cut[-1] != ' ' && cut[-1] != '\'') {
            cut--;
        }
        ctis_strlcpy(cut, "(URL not shown)", n - (size_t)(cut - out));
    }
    cut = strstr(out, "password=");
    if (cut != NULL) {
        ctis_strlcpy(cut, "(not shown)", n - (size_t)(cut - out));
    }
}

static int lost(const char *state, PGconn *conn)
{
    if (conn == NULL || PQstatus(conn) == CONNECTION_BAD) {
        return 1;
    }
    return state != NULL &&
           (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
            strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0);
}

/* Map the failure to a code; the message names the server. */
int pg_fail(struct store_pg *p, PGresult *res, const char *what,
            struct ctis_err *err)
{
    const char *state =
        res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    char line[160];

    first_line(res != NULL ? PQresultErrorMessage(res)
                           : PQerrorMessage(p->conn),
               line, sizeof line);
    if (lost(state, p->conn)) {
        return ctis_err_set(err, CTIS_ECONN,
                            "%s: lost the connection to PostgreSQL server "
                            "'%s'",
                            what, p->where);
    }
    if (state != NULL &&
        (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)) {
        return ctis_err_set(err, CTIS_ECONFLICT, "%s: %s on '%s'", what,
                            line, p->where);
    }
    if (state != NULL && strncmp(state, "53", 2) == 0) {
        return ctis_err_set(err, CTIS_EIO, "%s: %s on '%s'", what, line,
                            p->where);
    }
    if (state != NULL && strcmp(state, "42501") == 0) {
        return ctis_err_set(err, CTIS_EPERM, "%s: the database role may not "
                            "do this on '%s'", what, p->where);
    }
    if (state != NULL && strcmp(state, "25006") == 0) {
        return ctis_err_set(err, CTIS_EINVAL, "%s: database '%s' was opened "
                            "read-only", what, p->where);
    }
    return ctis_err_set(err, CTIS_EINTERNAL, "%s: %s on '%s'", what, line,
                        p->where);
}

/* Deadlocks, serialisation failures and lost connections. */
int pg_retryable(int code)
{
    return code == CTIS_ECONFLICT || code == CTIS_ECONN;
}

/* ---- running SQL ------------------------------------------------------- */

/* Drain the pending merge's results; the first failure is the answer. */
int pg_wait(struct store_pg *p, struct ctis_err *err)
{
    PGresult *r;
    int rc = 0;

    if (!p->busy) {
        return 0;
    }
    p->busy = 0;
    while ((r = PQgetResult(p->conn)) != NULL) {
        if (rc == 0 && PQresultStatus(r) != PGRES_COMMAND_OK &&
            PQresultStatus(r) != PGRES_TUPLES_OK) {
            rc = pg_fail(p, r, "cannot write", err);
        }
        PQclear(r);
    }
    if (rc == 0 && PQstatus(p->conn) == CONNECTION_BAD) {
        rc = pg_fail(p, NULL, "cannot write", err);
    }
    return rc;
}

/* Several statements, no rows. */
int pg_exec(struct store_pg *p, const char *sql, const char *what,
            struct ctis_err *err)
{
    PGresult *r;
    int rc = pg_wait(p, err);

    if (rc != 0) {
        return rc;
    }
    r = PQexec(p->conn, sql);

    if (r == NULL || (PQresultStatus(r) != PGRES_COMMAND_OK &&
                      PQresultStatus(r) != PGRES_TUPLES_OK)) {
        rc = pg_fail(p, r, what, err);
    }
    PQclear(r);
    return rc;
}

/* One statement with text parameters. */
int pg_query(struct store_pg *p, const char *sql, int n,
             const char *const *params, PGresult **out, const char *what,
             struct ctis_err *err)
{
    PGresult *r;
    int rc = pg_wait(p, err);

    *out = NULL;
    if (rc != 0) {
        return rc;
    }
    r = PQexecParams(p->conn, sql, n, NULL, params, NULL, NULL, 0);
    if (r == NULL || (PQresultStatus(r) != PGRES_COMMAND_OK &&
                      PQresultStatus(r) != PGRES_TUPLES_OK)) {
        rc = pg_fail(p, r, what, err);
        PQclear(r);
        return rc;
    }
    *out = r;
    return 0;
}

/* NULL as "". */
void pg_text(PGresult *r, int row, int col, char *dst, size_t n)
{
    ctis_strlcpy(dst, PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col),
                 n);
}

/* NULL as def. */
long pg_long(PGresult *r, int row, int col, long def)
{
    if (PQgetisnull(r, row, col)) {
        return def;
    }
    return strtol(PQgetvalue(r, row, col), NULL, 10);
}

/* ---- the schema -------------------------------------------------------- */

#define TXT " TEXT COLLATE \"C\""

/* migrations[i] takes the schema from version i to i + 1: the same
 * numbered migrations as migrate_sqlite.c, in PostgreSQL's dialect. Never
 * edit one that has shipped.
 *
 * The three big tables carry no foreign key triggers: a case's agency is
 * checked at the put (store.h's CTIS_ENOTFOUND), and a case's person and
 * events are only ever written by a join with cases (pg_put.c), so they
 * cannot dangle. Per-row triggers there would more than double the cost
 * of a bulk merge. The smaller tables keep theirs. */
static const char *const migrations[] = {
    /* 1: the first schema. */
    "CREATE TABLE agency ("
    " id" TXT " PRIMARY KEY, name" TXT ", kind INTEGER NOT NULL,"
    " pillars BIGINT NOT NULL, provinces BIGINT NOT NULL);"
    "CREATE TABLE cases ("
    " rid BIGSERIAL PRIMARY KEY, id" TXT " NOT NULL UNIQUE,"
    " agency" TXT ","
    " rev INTEGER NOT NULL DEFAULT 0,"
    " trafficking_status INTEGER NOT NULL, movement INTEGER NOT NULL,"
    " exploitation BIGINT NOT NULL, labour_sector INTEGER NOT NULL,"
    " means BIGINT NOT NULL, recruiter_relationship INTEGER NOT NULL,"
    " destination_country" TXT ", destination_province" TXT ","
    " destination_city" TXT ", status INTEGER NOT NULL,"
    " sex INTEGER NOT NULL, citizenship" TXT ", home_province" TXT ","
    " home_district" TXT ", age_at_identification INTEGER,"
    " age_group" TXT " NOT NULL, identification_date INTEGER NOT NULL);"
    "CREATE INDEX cases_agency ON cases(agency);"
    "CREATE TABLE person_identity ("
    " case_rid BIGINT PRIMARY KEY,"
    " given_name" TXT ", family_name" TXT ", given_name_km" TXT ","
    " family_name_km" TXT ", birth_date INTEGER, birth_year INTEGER,"
    " age INTEGER, home_commune" TXT ", home_village" TXT ", phone" TXT ","
    " email" TXT ");"
    "CREATE TABLE event ("
    " case_rid BIGINT NOT NULL,"
    " seq INTEGER NOT NULL, type INTEGER NOT NULL, date INTEGER NOT NULL,"
    " from_country" TXT ", to_country" TXT ", official INTEGER NOT NULL,"
    " service INTEGER NOT NULL, referral INTEGER NOT NULL,"
    " PRIMARY KEY (case_rid, seq));"
    /* Facts derived from a case's events at each put (pg_put.c), so the
     * rescue and repatriation tables are one scan each; cases that are
     * not_a_victim have none. */
    "CREATE TABLE rescue_fact ("
    " case_rid BIGINT NOT NULL, year INTEGER NOT NULL,"
    " referred_to INTEGER NOT NULL);"
    "CREATE INDEX rescue_fact_case ON rescue_fact(case_rid);"
    "CREATE TABLE repatriation_fact ("
    " case_rid BIGINT NOT NULL, year INTEGER NOT NULL,"
    " from_country" TXT ", to_country" TXT ");"
    "CREATE INDEX repatriation_fact_case ON repatriation_fact(case_rid);"
    "CREATE TABLE offender ("
    " id" TXT " PRIMARY KEY, sex INTEGER NOT NULL,"
    " citizenship" TXT ", role INTEGER NOT NULL);"
    "CREATE TABLE criminal_case ("
    " rid BIGSERIAL PRIMARY KEY, id" TXT " NOT NULL UNIQUE,"
    " rev INTEGER NOT NULL DEFAULT 0, kind INTEGER NOT NULL);"
    "CREATE TABLE criminal_case_offender ("
    " cc_rid BIGINT NOT NULL"
    "  REFERENCES criminal_case(rid) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL,"
    " offender_id" TXT " NOT NULL REFERENCES offender(id),"
    " PRIMARY KEY (cc_rid, seq));"
    "CREATE INDEX cco_offender ON criminal_case_offender(offender_id);"
    "CREATE TABLE criminal_case_victim ("
    " cc_rid BIGINT NOT NULL"
    "  REFERENCES criminal_case(rid) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL,"
    " case_id" TXT " NOT NULL REFERENCES cases(id),"
    " PRIMARY KEY (cc_rid, seq));"
    "CREATE INDEX ccv_case ON criminal_case_victim(case_id);"
    "CREATE TABLE crim_event ("
    " cc_rid BIGINT NOT NULL"
    "  REFERENCES criminal_case(rid) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL, type INTEGER NOT NULL, date INTEGER NOT NULL,"
    " offender" TXT ", sentence_months INTEGER, law_articles" TXT ","
    " PRIMARY KEY (cc_rid, seq));"
    "CREATE INDEX crim_event_type_date ON crim_event(type, date);"
    "CREATE TABLE activity ("
    " id" TXT " PRIMARY KEY, agency" TXT " REFERENCES agency(id),"
    " kind INTEGER NOT NULL, province" TXT ", start INTEGER NOT NULL,"
    " \"end\" INTEGER NOT NULL, reached BIGINT);"
    "CREATE INDEX activity_agency ON activity(agency);"
    "CREATE TABLE instrument ("
    " rid BIGSERIAL PRIMARY KEY, id" TXT " NOT NULL UNIQUE,"
    " title" TXT ", kind INTEGER NOT NULL, date INTEGER NOT NULL);"
    "CREATE TABLE instrument_party ("
    " ins_rid BIGINT NOT NULL"
    "  REFERENCES instrument(rid) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL, country" TXT " NOT NULL,"
    " PRIMARY KEY (ins_rid, seq));"
    "CREATE TABLE ctis_txn ("
    " token" TXT " PRIMARY KEY, at TIMESTAMPTZ NOT NULL DEFAULT now());"
    "CREATE INDEX ctis_txn_at ON ctis_txn(at);",
    /* 2: record linkage results (pg_link.c). */
    "CREATE TABLE person_link ("
    " case_rid BIGINT PRIMARY KEY REFERENCES cases(rid) ON DELETE CASCADE,"
    " person BIGINT NOT NULL);"
    "CREATE INDEX person_link_person ON person_link(person);",
    /* 3: versions and history, users, referrals, event ids and
     * corrections, the stored stage (migrate_sqlite.c says more). */
    "CREATE TABLE record_version ("
    " kind INTEGER NOT NULL, id" TXT " NOT NULL, version INTEGER NOT NULL,"
    " at BIGINT NOT NULL, actor" TXT ", op" TXT " NOT NULL, note" TXT ","
    " body" TXT ", PRIMARY KEY (kind, id, version));"
    "INSERT INTO record_version(kind, id, version, at, actor, op)"
    " SELECT 0, id, 1, extract(epoch FROM now())::bigint, '', 'migrated'"
    " FROM agency UNION ALL"
    " SELECT 1, id, 1, extract(epoch FROM now())::bigint, '', 'migrated'"
    " FROM cases UNION ALL"
    " SELECT 2, id, 1, extract(epoch FROM now())::bigint, '', 'migrated'"
    " FROM criminal_case UNION ALL"
    " SELECT 3, id, 1, extract(epoch FROM now())::bigint, '', 'migrated'"
    " FROM offender UNION ALL"
    " SELECT 4, id, 1, extract(epoch FROM now())::bigint, '', 'migrated'"
    " FROM activity UNION ALL"
    " SELECT 5, id, 1, extract(epoch FROM now())::bigint, '', 'migrated'"
    " FROM instrument;"
    "CREATE TABLE users ("
    " username" TXT " PRIMARY KEY, agency" TXT ", role INTEGER NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0, password_hash" TXT ","
    " created BIGINT NOT NULL);"
    "CREATE TABLE referral ("
    " id BIGSERIAL PRIMARY KEY, case_id" TXT " NOT NULL,"
    " from_agency" TXT ", to_agency" TXT " NOT NULL,"
    " service INTEGER NOT NULL, state INTEGER NOT NULL, at BIGINT NOT NULL,"
    " actor" TXT ", decided_at BIGINT, decided_by" TXT ");"
    "CREATE INDEX referral_case ON referral(case_id);"
    "CREATE INDEX referral_to ON referral(to_agency, state);"
    "ALTER TABLE event ADD COLUMN eid INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE event ADD COLUMN supersedes INTEGER NOT NULL DEFAULT 0;"
    "UPDATE event SET eid = seq + 1;"
    "ALTER TABLE cases ADD COLUMN stage" TXT ";",
    /* 4: the audit trail (pg_audit.c). */
    "CREATE TABLE audit ("
    " seq BIGINT PRIMARY KEY, at BIGINT NOT NULL, \"user\"" TXT " NOT NULL,"
    " role" TXT " NOT NULL, agency" TXT " NOT NULL, action" TXT " NOT NULL,"
    " kind" TXT " NOT NULL, record" TXT " NOT NULL, address" TXT " NOT NULL,"
    " status INTEGER NOT NULL, prev" TXT " NOT NULL, hash" TXT " NOT NULL);"
    "CREATE INDEX audit_record ON audit(record);"
    "CREATE TABLE audit_head ("
    " one INTEGER PRIMARY KEY CHECK (one = 1), seq BIGINT NOT NULL,"
    " hash" TXT " NOT NULL);"
    "INSERT INTO audit_head VALUES (1, 0, '');"
    "CREATE TABLE idempotency ("
    " \"user\"" TXT " NOT NULL, key" TXT " NOT NULL, at BIGINT NOT NULL,"
    " status INTEGER NOT NULL, body TEXT NOT NULL, location" TXT ","
    " etag" TXT ", PRIMARY KEY (\"user\", key));"
    "CREATE TABLE agency_monitoring ("
    " agency" TXT " PRIMARY KEY REFERENCES agency(id),"
    " days INTEGER NOT NULL);"
    "CREATE TABLE user_must_change (username" TXT " PRIMARY KEY);",
    /* 5: sealed identities (the schema of migrate_sqlite.c's 5; a sealed
     * case version body is text in body, pg_seal.c). */
    "ALTER TABLE person_identity ADD COLUMN sealed BYTEA;"
    "ALTER TABLE person_identity ADD COLUMN key_gen INTEGER;"
    "CREATE TABLE seal_key ("
    " kek_id" TXT " NOT NULL, kind INTEGER NOT NULL, key_id" TXT " NOT NULL,"
    " gen INTEGER NOT NULL, salt BYTEA, opslimit BIGINT, memlimit BIGINT,"
    " nonce BYTEA NOT NULL, wrapped BYTEA NOT NULL,"
    " PRIMARY KEY (kek_id, gen));"
    "CREATE TABLE person_bidx ("
    " h BYTEA NOT NULL,"
    " case_rid BIGINT NOT NULL REFERENCES cases(rid) ON DELETE CASCADE,"
    " PRIMARY KEY (h, case_rid));"
    "CREATE INDEX person_bidx_case ON person_bidx(case_rid);"
    "CREATE TABLE erasure ("
    " case_id" TXT " NOT NULL, erased_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
    " erased_by" TXT " NOT NULL, reason" TXT " NOT NULL);",
    /* 6: status, stage and facts of every case not written since 3 (no
     * stage) or with a superseded event, from its events: pg_fill.c,
     * which removes the marker when done (migrate_sqlite.c's 6). */
    "CREATE TABLE backfill (name" TXT " PRIMARY KEY);"
    "INSERT INTO backfill(name) VALUES ('stage');",
    /* 7: the name rule of each sealed identity's blind indexes
     * (migrate_sqlite.c's 7) */
    ("ALTER TABLE person_identity ADD COLUMN name_rule INTEGER;"
     "CREATE INDEX person_identity_name_rule ON person_identity(name_rule);"),
    /* 8: person_bidx loses its foreign key to cases (migrate_sqlite.c's
     * 8): its per-row trigger was 40% of a sealed batch's blind index
     * insert. Safe: pg_seal.c is the one place that writes the table, and
     * every row it writes names the rid that the same transaction's case
     * merge returned (s_rid, a missing case is refused) or a person row
     * it selected joined with cases and locked (re-sealing); erasure
     * deletes a case's rows itself; cases are never deleted, so the
     * cascade never ran. */
    ("ALTER TABLE person_bidx DROP CONSTRAINT IF EXISTS"
     " person_bidx_case_rid_fkey;"),
    /* 9: the column of migrate_sqlite.c's 9, each person row's list of
     * its blind values. Here it stays NULL (no list kept: a case's rows
     * are found by case_rid, through person_bidx_case, which PostgreSQL
     * keeps), so no row's list can be stale. */
    "ALTER TABLE person_identity ADD COLUMN IF NOT EXISTS bidx BYTEA;"};

_Static_assert(sizeof migrations / sizeof migrations[0] ==
                   STORE_SCHEMA_VERSION,
               "one PostgreSQL migration per schema version");

/* The session's staging tables for the bulk write path (pg_put.c). */
static const char staging_sql[] =
    "CREATE TEMP TABLE s_agency (id" TXT ", name" TXT ", kind INTEGER,"
    " pillars BIGINT, provinces BIGINT);"
    "CREATE TEMP TABLE s_case (id" TXT ", agency" TXT ","
    " trafficking_status INTEGER, movement INTEGER, exploitation BIGINT,"
    " labour_sector INTEGER, means BIGINT, recruiter_relationship INTEGER,"
    " destination_country" TXT ", destination_province" TXT ","
    " destination_city" TXT ", status INTEGER, sex INTEGER,"
    " citizenship" TXT ", home_province" TXT ", home_district" TXT ","
    " age_at_identification INTEGER, age_group" TXT ","
    " identification_date INTEGER, given_name" TXT ", family_name" TXT ","
    " given_name_km" TXT ", family_name_km" TXT ", birth_date INTEGER,"
    " birth_year INTEGER, age INTEGER, home_commune" TXT ","
    " home_village" TXT ", phone" TXT ", email" TXT ", stage" TXT ");"
    "CREATE TEMP TABLE s_event (case_id" TXT ", seq INTEGER,"
    " type INTEGER, date INTEGER, from_country" TXT ", to_country" TXT ","
    " official INTEGER, service INTEGER, referral INTEGER, eid INTEGER,"
    " supersedes INTEGER);"
    "CREATE TEMP TABLE s_rescue (case_id" TXT ", year INTEGER,"
    " referred_to INTEGER);"
    "CREATE TEMP TABLE s_repat (case_id" TXT ", year INTEGER,"
    " from_country" TXT ", to_country" TXT ");"
    "CREATE TEMP TABLE s_rid (id" TXT ", rid BIGINT, rev INTEGER);"
    "CREATE TEMP TABLE s_cc (id" TXT ", kind INTEGER);"
    "CREATE TEMP TABLE s_cc_off (ord BIGINT, cc_id" TXT ", seq INTEGER,"
    " offender_id" TXT ", sex INTEGER, citizenship" TXT ", role INTEGER);"
    "CREATE TEMP TABLE s_cc_vic (cc_id" TXT ", seq INTEGER,"
    " case_id" TXT ");"
    "CREATE TEMP TABLE s_crim_event (cc_id" TXT ", seq INTEGER,"
    " type INTEGER, date INTEGER, offender" TXT ","
    " sentence_months INTEGER, law_articles" TXT ");"
    "CREATE TEMP TABLE s_activity (id" TXT ", agency" TXT ","
    " kind INTEGER, province" TXT ", start INTEGER, \"end\" INTEGER,"
    " reached BIGINT);"
    "CREATE TEMP TABLE s_instrument (id" TXT ", title" TXT ","
    " kind INTEGER, date INTEGER);"
    "CREATE TEMP TABLE s_party (ins_id" TXT ", seq INTEGER,"
    " country" TXT ");"
    "CREATE TEMP TABLE s_version (kind INTEGER, id" TXT ", at BIGINT,"
    " actor" TXT ", op" TXT ", note" TXT ", body" TXT ");"
    /* sealed databases (pg_seal.c): values sealed under the numbers the
     * merge gave */
    "CREATE TEMP TABLE s_seal (case_rid BIGINT, birth_year INTEGER,"
    " age INTEGER, sealed BYTEA, key_gen INTEGER, name_rule INTEGER);"
    "CREATE TEMP TABLE s_bidx (h BYTEA, case_rid BIGINT);"
    "CREATE TEMP TABLE s_vid (id" TXT ");"
    "CREATE TEMP TABLE s_vbody (id" TXT ", version INTEGER, body TEXT);";

static int read_version(struct store_pg *p, int *out, struct ctis_err *err)
{
    PGresult *r = NULL;
    int rc = pg_query(p,
                      "SELECT coalesce(max(version), 0) FROM ctis_schema",
                      0, NULL, &r, "cannot read the schema version", err);

    if (rc == 0) {
        *out = (int)pg_long(r, 0, 0, 0);
    }
    PQclear(r);
    return rc;
}

static int has_schema_table(struct store_pg *p, int *out,
                            struct ctis_err *err)
{
    PGresult *r = NULL;
    int rc = pg_query(p, "SELECT to_regclass('ctis_schema') IS NOT NULL", 0,
                      NULL, &r, "cannot read the schema version", err);

    if (rc == 0) {
        *out = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    }
    PQclear(r);
    return rc;
}

static int apply(struct store_pg *p, struct ctis_err *err)
{
    char sql[96];
    int v = 0;
    int rc = pg_exec(p,
                     "BEGIN; SELECT pg_advisory_xact_lock(" MIGRATION_LOCK
                     "); CREATE TABLE IF NOT EXISTS ctis_schema"
                     " (version INTEGER NOT NULL)",
                     "cannot migrate", err);

    if (rc == 0) {
        rc = read_version(p, &v, err);
    }
    for (; rc == 0 && v < STORE_SCHEMA_VERSION; v++) {
        rc = pg_exec(p, migrations[v], "cannot migrate", err);
        if (rc != 0) {
            ctis_err_prefix(err, "migration %d", v + 1);
        }
    }
    if (rc == 0) {
        snprintf(sql, sizeof sql,
                 "DELETE FROM ctis_schema; INSERT INTO ctis_schema"
                 " VALUES (%d); COMMIT",
                 STORE_SCHEMA_VERSION);
        rc = pg_exec(p, sql, "cannot migrate", err);
    }
    if (rc != 0) {
        PQclear(PQexec(p->conn, "ROLLBACK"));
    }
    return rc;
}

/* Bring the schema to STORE_SCHEMA_VERSION; a read-only handle cannot. */
static int migrate(struct store_pg *p, struct ctis_err *err)
{
    int v = 0;
    int has = 0;
    int rc = has_schema_table(p, &has, err);

    if (rc == 0 && has) {
        rc = read_version(p, &v, err);
    }
    if (rc != 0) {
        return rc;
    }
    if (v > STORE_SCHEMA_VERSION) {
        return ctis_err_set(err, CTIS_EUNSUPPORTED,
                            "database '%s' has schema version %d, newer than "
                            "this program's %d",
                            p->where, v, STORE_SCHEMA_VERSION);
    }
    if (v < STORE_SCHEMA_VERSION) {
        if (p->base.flags & STORE_OPEN_READONLY) {
            return ctis_err_set(err, CTIS_EUNSUPPORTED,
                                "database '%s' needs migrating from schema "
                                "version %d; open it for writing",
                                p->where, v);
        }
        rc = apply(p, err);
        if (rc != 0) {
            return rc;
        }
    }
    p->version = STORE_SCHEMA_VERSION;
    return 0;
}

/* ---- connecting -------------------------------------------------------- */

static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* Every connection, the maintenance ones of create, drop and restore
 * included, is quiet: the server's NOTICEs (DROP DATABASE IF EXISTS on
 * a failed restore said "database ... does not exist, skipping") would
 * reach stderr through libpq's default processor. */
static PGconn *connect_to(const char *url, const char *dbname)
{
    const char *keys[] = {"dbname", "dbname", "connect_timeout",
                          "application_name", NULL};
    const char *vals[] = {url, dbname, "10", "ctis", NULL};
    PGconn *c;

    if (dbname == NULL) {
        keys[1] = "connect_timeout";
        vals[1] = "10";
    }
    c = PQconnectdbParams(keys, vals, 1);
    if (c != NULL) {
        PQsetNoticeProcessor(c, quiet, NULL);
    }
    return c;
}

/* Session settings, staging tables; again after every reconnect. JIT
 * compilation costs more than it saves on the datasheet's queries (half
 * a second of a second), and their sorts and hashes fit in 64 MB. */
static int setup_session(struct store_pg *p, struct ctis_err *err)
{
    int rc;

    PQsetNoticeProcessor(p->conn, quiet, NULL);
    rc = pg_exec(p, "SET jit = off; SET work_mem = '64MB'",
                 "cannot configure the session", err);
    if (rc == 0) {
        rc = pg_exec(p,
                 (p->base.flags & STORE_OPEN_FAST)
                     ? "SET synchronous_commit = off"
                     : "SET synchronous_commit = on",
                 "cannot configure the session", err);
    }
    if (rc == 0 && (p->base.flags & STORE_OPEN_READONLY)) {
        rc = pg_exec(p, "SET default_transaction_read_only = on",
                     "cannot configure the session", err);
    }
    p->staging = 0;
    if (rc == 0 && !(p->base.flags & STORE_OPEN_READONLY) &&
        p->version == STORE_SCHEMA_VERSION) {
        rc = pg_exec(p, staging_sql, "cannot create staging tables", err);
        p->staging = rc == 0;
    }
    return rc;
}

static int conn_error(struct store_pg *p, PGconn *c, struct ctis_err *err)
{
    char line[160];

    first_line(PQerrorMessage(c), line, sizeof line);
    if (strstr(line, "does not exist") != NULL &&
        strstr(line, "database") != NULL) {
        return ctis_err_set(err, CTIS_ENOTFOUND,
                            "database '%s' does not exist (run 'ctis init')",
                            p->where);
    }
    if (strstr(line, "password") != NULL ||
        strstr(line, "authentication") != NULL) {
        return ctis_err_set(err, CTIS_ECONN,
                            "cannot connect to PostgreSQL server '%s': "
                            "authentication failed",
                            p->where);
    }
    return ctis_err_set(err, CTIS_ECONN,
                        "cannot connect to PostgreSQL server '%s': %s",
                        p->where, line);
}

/* CREATE DATABASE through the maintenance database "postgres". The
 * collation is C so that text sorts by bytes, as in SQLite. A database
 * that another process created meanwhile is fine for an open (exclusive
 * 0), and CTIS_EEXIST for a restore (exclusive 1): that restore must not
 * write into it, nor drop it when it fails (a failed restore dropped the
 * database a concurrent one had just restored). */
static int create_database(struct store_pg *p, int exclusive,
                           struct ctis_err *err)
{
    PQconninfoOption *opts = PQconninfoParse(p->url, NULL);
    PQconninfoOption *o;
    char sql[512];
    char *ident = NULL;
    PGconn *c;
    PGresult *r;
    int rc = 0;

    c = connect_to(p->url, "postgres");
    if (PQstatus(c) != CONNECTION_OK) {
        rc = conn_error(p, c, err);
        PQfinish(c);
        PQconninfoFree(opts);
        return rc;
    }
    for (o = opts; o != NULL && o->keyword != NULL; o++) {
        if (strcmp(o->keyword, "dbname") == 0 && o->val != NULL) {
            ident = PQescapeIdentifier(c, o->val, strlen(o->val));
        }
    }
    PQconninfoFree(opts);
    if (ident == NULL) {
        PQfinish(c);
        return ctis_err_set(err, CTIS_EINVAL,
                            "no database name in the URL for '%s'", p->where);
    }
    snprintf(sql, sizeof sql,
             "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'"
             " LC_COLLATE 'C' LC_CTYPE 'C'",
             ident);
    PQfreemem(ident);
    r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);

        /* Another process may have created it meanwhile (42P04, or
         * 23505 when both inserted into pg_database at once). */
        if (st != NULL && exclusive &&
            (strcmp(st, "42P04") == 0 || strcmp(st, "23505") == 0)) {
            rc = ctis_err_set(err, CTIS_EEXIST,
                              "database '%s' exists; restore into a new one",
                              p->where);
        } else if (st == NULL ||
                   (strcmp(st, "42P04") != 0 && strcmp(st, "23505") != 0)) {
            char line[160];

            first_line(PQresultErrorMessage(r), line, sizeof line);
            rc = ctis_err_set(err, CTIS_EIO,
                              "cannot create database '%s': %s", p->where,
                              line);
        }
    }
    PQclear(r);
    PQfinish(c);
    return rc;
}

/* A handle that only names url (for the helpers above). */
static void bare(struct store_pg *p, const char *url)
{
    memset(p, 0, sizeof *p);
    p->url = (char *)url;
    describe(url, p->where, sizeof p->where);
}

int pg_create_new(const char *url, struct ctis_err *err)
{
    struct store_pg p;
    PGconn *c;
    int rc;

    bare(&p, url);
    c = connect_to(url, NULL);
    if (PQstatus(c) == CONNECTION_OK) {
        PQfinish(c);
        return ctis_err_set(err, CTIS_EEXIST,
                            "database '%s' exists; restore into a new one",
                            p.where);
    }
    rc = conn_error(&p, c, err);
    PQfinish(c);
    return rc == CTIS_ENOTFOUND ? create_database(&p, 1, err) : rc;
}

int pg_drop_new(const char *url, struct ctis_err *err)
{
    PQconninfoOption *opts = PQconninfoParse(url, NULL);
    PQconninfoOption *o;
    struct store_pg p;
    char sql[512] = "";
    PGconn *c = connect_to(url, "postgres");
    int rc = 0;

    bare(&p, url);
    for (o = opts; o != NULL && o->keyword != NULL; o++) {
        if (strcmp(o->keyword, "dbname") == 0 && o->val != NULL &&
            PQstatus(c) == CONNECTION_OK) {
            char *ident = PQescapeIdentifier(c, o->val, strlen(o->val));

            if (ident != NULL) {
                snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s",
                         ident);
                PQfreemem(ident);
            }
        }
    }
    PQconninfoFree(opts);
    if (sql[0] != '\0') {
        PGresult *r = PQexec(c, sql);

        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            rc = ctis_err_set(err, CTIS_EIO, "cannot drop database '%s'",
                              p.where);
        }
        PQclear(r);
    }
    PQfinish(c);
    return rc;
}

static int connect_db(struct store_pg *p, struct ctis_err *err)
{
    int rc;

    p->conn = connect_to(p->url, NULL);
    if (PQstatus(p->conn) == CONNECTION_OK) {
        return 0;
    }
    rc = conn_error(p, p->conn, err);
    if (rc == CTIS_ENOTFOUND && (p->base.flags & STORE_OPEN_CREATE)) {
        PQfinish(p->conn);
        p->conn = NULL;
        rc = create_database(p, 0, err);
        if (rc != 0) {
            return rc;
        }
        p->conn = connect_to(p->url, NULL);
        if (PQstatus(p->conn) == CONNECTION_OK) {
            return 0;
        }
        rc = conn_error(p, p->conn, err);
    }
    return rc;
}

/* Reconnect, waiting up to about ten seconds for a restarting server;
 * inside a transaction begin it again and replay its kept batches. */
int pg_recover(struct store_pg *p, struct ctis_err *err)
{
    int i;
    int rc;

    p->busy = 0;
    for (i = 0; i < 40; i++) {
        PQreset(p->conn);
        if (PQstatus(p->conn) == CONNECTION_OK) {
            break;
        }
        usleep(250000);
    }
    if (PQstatus(p->conn) != CONNECTION_OK) {
        return conn_error(p, p->conn, err);
    }
    rc = setup_session(p, err);
    if (rc != 0 || !p->base.in_txn) {
        return rc;
    }
    if (!p->replayable) {
        return ctis_err_set(err, CTIS_ECONN,
                            "lost the connection to PostgreSQL server '%s'; "
                            "the transaction was too large to retry and "
                            "was not done",
                            p->where);
    }
    rc = pg_exec(p, "BEGIN", "cannot begin a transaction", err);
    if (rc == 0) {
        rc = pg_replay(p, err);
    }
    return rc;
}

/* ---- transactions ------------------------------------------------------ */

/* Roll back and forget; the message says the transaction was not done. */
int pg_abort(struct store_pg *p, int rc, struct ctis_err *err)
{
    p->busy = 0; /* PQexec discards a pending result */
    if (p->conn != NULL && PQtransactionStatus(p->conn) != PQTRANS_IDLE &&
        PQstatus(p->conn) == CONNECTION_OK) {
        PQclear(PQexec(p->conn, "ROLLBACK"));
    }
    pg_reset_buffers(p);
    pg_set_clear(&p->agencies);
    p->bidx_defer = PG_BIDX_UNDECIDED;
    p->base.in_txn = 0;
    ctis_err_prefix(err, "transaction rolled back");
    return rc;
}

static int pg_begin(struct store *st, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    int rc = pg_exec(p, "BEGIN", "cannot begin a transaction", err);

    if (rc == CTIS_ECONN) {
        rc = pg_recover(p, err);
        if (rc == 0) {
            rc = pg_exec(p, "BEGIN", "cannot begin a transaction", err);
        }
    }
    if (rc != 0) {
        return rc;
    }
    pg_reset_buffers(p);
    p->replayable = 1;
    p->sent = 0;
    p->bidx_defer = PG_BIDX_UNDECIDED;
    PQclear(p->cases_agg);
    p->cases_agg = NULL;
    snprintf(p->token, sizeof p->token, "%ld-%ld-%.0f-%lx", (long)getpid(),
             (long)time(NULL), ctis_now() * 1e9,
             (unsigned long)(size_t)p);
    st->in_txn = 1;
    return 0;
}

/* The token row, then COMMIT. */
static int commit_once(struct store_pg *p, struct ctis_err *err)
{
    const char *params[1] = {p->token};
    PGresult *r = NULL;
    int rc = pg_flush(p, err);

    if (rc == 0) {
        rc = pg_bidx_build(p, err);
    }
    if (rc == 0) {
        rc = pg_query(p, "INSERT INTO ctis_txn(token) VALUES ($1)", 1,
                      params, &r, "commit failed", err);
        PQclear(r);
    }
    if (rc == 0) {
        rc = pg_exec(p, "COMMIT", "commit failed", err);
    }
    return rc;
}

/* 1 when the token row is there (the lost COMMIT happened). */
static int committed(struct store_pg *p, struct ctis_err *err)
{
    const char *params[1] = {p->token};
    PGresult *r = NULL;
    int rc = pg_query(p, "SELECT 1 FROM ctis_txn WHERE token = $1", 1,
                      params, &r, "cannot check the commit", err);

    if (rc == 0) {
        rc = PQntuples(r) > 0;
    }
    PQclear(r);
    return rc;
}

static int pg_commit(struct store *st, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    int rc = commit_once(p, err);
    int tries;

    for (tries = 0; rc != 0 && pg_retryable(rc) && tries < PG_RETRIES;
         tries++) {
        if (rc == CTIS_ECONN) {
            int was_in = st->in_txn;

            /* Reconnect without replaying, then ask. */
            st->in_txn = 0;
            rc = pg_recover(p, err);
            st->in_txn = was_in;
            if (rc == 0) {
                rc = committed(p, err);
            }
            if (rc == 1) {
                break;
            }
            if (rc < 0 || !p->replayable || tries > 0) {
                if (rc == 0) {
                    rc = ctis_err_set(err, CTIS_ECONN,
                                      "lost the connection to PostgreSQL "
                                      "server '%s' during commit; the "
                                      "transaction was not done",
                                      p->where);
                }
                break;
            }
        } else {
            PQclear(PQexec(p->conn, "ROLLBACK"));
            usleep(20000u * (unsigned)(tries + 1));
        }
        rc = pg_exec(p, "BEGIN", "cannot begin a transaction", err);
        if (rc == 0) {
            rc = pg_replay(p, err);
        }
        if (rc == 0) {
            rc = commit_once(p, err);
        }
    }
    if (rc < 0) {
        return pg_abort(p, rc, err);
    }
    pg_reset_buffers(p);
    st->in_txn = 0;
    /* After a bulk load the planner needs fresh statistics at once, not
     * when autovacuum gets round to it; a failure here loses nothing. */
    if (p->sent >= ANALYZE_BYTES) {
        PQclear(PQexec(p->conn, "ANALYZE"));
    }
    return 0;
}

static void pg_rollback(struct store *st)
{
    pg_abort((struct store_pg *)st, 0, NULL);
}

static void pg_close(struct store *st)
{
    struct store_pg *p = (struct store_pg *)st;
    int i;

    if (st->in_txn) {
        pg_rollback(st);
    }
    PQclear(p->cases_agg);
    PQfinish(p->conn);
    for (i = 0; i < PG_S_COUNT; i++) {
        ctis_buf_release(&p->buf[i]);
    }
    for (i = 0; i < 4; i++) {
        ctis_buf_release(&p->out[i]);
    }
    ctis_free(p->marks);
    pg_set_clear(&p->pending);
    pg_set_clear(&p->agencies);
    ctis_free(p->url);
    ctis_free(p);
}

static int pg_version(struct store *st)
{
    return ((struct store_pg *)st)->version;
}

static const struct store_ops pg_ops = {
    "postgresql", pg_close, pg_version, pg_begin, pg_commit, pg_rollback,
    pg_put_agency, pg_put_case, pg_put_criminal_case, pg_put_activity,
    pg_put_instrument, pg_add_event, pg_exists, pg_count, pg_get_case,
    pg_each_case, pg_each_agency, pg_each_criminal_case, pg_each_activity,
    pg_each_instrument, pg_query_agg, pg_put_person_links,
    pg_each_person_link, pg_begin_read, pg_end_read, pg_lock,
    pg_add_version, pg_current_version, pg_fill_version, pg_each_version, pg_put_user,
    pg_get_user, pg_each_user, pg_add_referral, pg_decide_referral,
    pg_each_referral,
    .audit_head = pg_audit_head,
    .audit_insert = pg_audit_insert, .each_audit = pg_each_audit,
    .idem_get = pg_idem_get, .idem_put = pg_idem_put, .each_idem = pg_each_idem,
    .get_monitoring = pg_get_monitoring, .put_monitoring = pg_put_monitoring,
    .get_must_change = pg_get_must_change,
    .set_must_change = pg_set_must_change,
    .load_wraps = pg_load_wraps, .put_wrap = pg_put_wrap,
    .del_wraps = pg_del_wraps, .reseal_batch = pg_reseal_batch,
    .reindex_batch = pg_reindex_batch, .names_stale = pg_names_stale,
    .find = pg_find, .erase = pg_erase, .snapshot = pg_snapshot,
    .blind_rows = pg_blind_rows};

/* A size from the environment (tuning and test knobs), 0 to 1 GiB, or
 * def. CTIS_PG_FLUSH_BYTES is the batch size, CTIS_PG_REPLAY_BYTES the
 * most a transaction keeps for a replay. */
static size_t env_bytes(const char *name, size_t def)
{
    const char *s = getenv(name);
    long v = 0;

    if (s != NULL && ctis_parse_long(s, 0, 1L << 30, &v) == 0) {
        return (size_t)v;
    }
    return def;
}

/* Connect (creating the database when asked), migrate, set up the
 * session; on failure everything is freed. */
int store_pg_open(struct store **out, const char *url, int flags,
                  struct ctis_err *err)
{
    struct store_pg *p;
    PQconninfoOption *parsed;
    char *perr = NULL;
    int rc;
    int i;

    /* libpq's reason for refusing a URL quotes the URL or the part that
     * failed, the password included: it is never shown. */
    parsed = PQconninfoParse(url, &perr);
    if (parsed == NULL) {
        if (perr != NULL) {
            PQfreemem(perr);
        }
        return ctis_err_set(err, CTIS_EARG,
                            "the PostgreSQL URL is not valid (not shown, "
                            "it may hold a password; see docs/deploy.md)");
    }
    PQconninfoFree(parsed);
    p = ctis_calloc(1, sizeof *p);
    if (p == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    p->base.ops = &pg_ops;
    p->base.flags = flags;
    for (i = 0; i < PG_S_COUNT; i++) {
        ctis_buf_init(&p->buf[i]);
    }
    for (i = 0; i < 4; i++) {
        ctis_buf_init(&p->out[i]);
    }
    pg_set_init(&p->pending);
    pg_set_init(&p->agencies);
    describe(url, p->where, sizeof p->where);
    p->flush_bytes = env_bytes("CTIS_PG_FLUSH_BYTES", PG_FLUSH_BYTES);
    p->replay_max = env_bytes("CTIS_PG_REPLAY_BYTES", PG_REPLAY_MAX);
    p->blind_page = env_bytes("CTIS_PG_BLIND_PAGE", PG_BLIND_PAGE);
    if (p->blind_page == 0) {
        p->blind_page = PG_BLIND_PAGE;
    }
    p->url = ctis_strdup(url);
    rc = p->url == NULL ? ctis_err_set(err, CTIS_ENOMEM, "out of memory")
                        : connect_db(p, err);
    if (rc == 0) {
        PQsetNoticeProcessor(p->conn, quiet, NULL);
        rc = migrate(p, err);
    }
    if (rc == 0) {
        rc = setup_session(p, err);
    }
    if (rc == 0 && !(flags & STORE_OPEN_READONLY)) {
        rc = pg_fill_stages(p, err);
    }
    if (rc == 0 && !(flags & STORE_OPEN_READONLY)) {
        rc = pg_exec(p,
                     "DELETE FROM ctis_txn WHERE at < now() - interval "
                     "'7 days'",
                     "cannot open", err);
    }
    if (rc != 0) {
        pg_close(&p->base);
        return rc;
    }
    *out = &p->base;
    return 0;
}
