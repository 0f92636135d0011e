/*
 * sqlite.c - the SQLite backend: opening (allocator, pragmas, migrations),
 * the statement cache, transactions and the shared error helpers. The
 * readers, writers and aggregates live in sqlite_get.c, sqlite_put.c and
 * sqlite_query.c.
 *
 * Allocator: SQLite's memory comes from ctis_malloc (an 8-byte size header
 * in front of each block), so the test-only fault injector reaches inside
 * SQLite too. SQLITE_CONFIG_MALLOC only works before sqlite3_initialize;
 * the first store_open does it and later calls see SQLITE_MISUSE and leave
 * things as they are. The first store_open must therefore happen before a
 * program starts threads that use SQLite.
 *
 * Transactions: begin is BEGIN IMMEDIATE (take the write lock now, not at
 * the first write, so a busy database fails early). A failure after a put
 * has started writing rolls the whole transaction back (sq_abort): SQLite
 * may already have done so itself on out-of-memory or I/O errors, and a
 * half-written case must never be committed.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_int.h"

/* ---- allocator --------------------------------------------------------- */

#define HDR 8

static void *mem_malloc(int n)
{
    unsigned char *p = ctis_malloc((size_t)n + HDR);

    if (p == NULL) {
        return NULL;
    }
    memcpy(p, &(sqlite3_int64){n}, sizeof(sqlite3_int64));
    return p + HDR;
}

static void mem_free(void *p)
{
    if (p != NULL) {
        ctis_free((unsigned char *)p - HDR);
    }
}

static void *mem_realloc(void *p, int n)
{
    unsigned char *q = ctis_realloc((unsigned char *)p - HDR, (size_t)n + HDR);

    if (q == NULL) {
        return NULL;
    }
    memcpy(q, &(sqlite3_int64){n}, sizeof(sqlite3_int64));
    return q + HDR;
}

static int mem_size(void *p)
{
    sqlite3_int64 n;

    if (p == NULL) {
        return 0;
    }
    memcpy(&n, (unsigned char *)p - HDR, sizeof n);
    return (int)n;
}

static int mem_roundup(int n)
{
    return (n + 7) & ~7;
}

static int mem_init(void *unused)
{
    (void)unused;
    return SQLITE_OK;
}

static void mem_shutdown(void *unused)
{
    (void)unused;
}

static const sqlite3_mem_methods mem_methods = {
    mem_malloc, mem_free, mem_realloc, mem_size, mem_roundup,
    mem_init, mem_shutdown, NULL};

/* SQLITE_MISUSE means SQLite is already initialised: keep what it has.
 * Memory statistics are off: they take a global mutex on every
 * allocation, which costs bulk imports several per cent. */
static void use_ctis_allocator(void)
{
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mem_methods) == SQLITE_OK) {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    }
}

/* ---- errors ------------------------------------------------------------ */

/* Map SQLite's code (extended or primary) to ours, with SQLite's message
 * (which names tables and constraints, never values). */
int sq_fail(struct store_sqlite *s, int rc, const char *what,
            struct ctis_err *err)
{
    const char *m = s->db != NULL ? sqlite3_errmsg(s->db) : "";
    int code;

    switch (rc & 0xff) {
    case SQLITE_NOMEM:
        code = CTIS_ENOMEM;
        m = "out of memory";
        break;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
        code = CTIS_EIO;
        break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return ctis_err_set(err, CTIS_ECORRUPT,
                            "%s: '%s' is not a ctis database or is damaged",
                            what, s->path);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = CTIS_EBUSY;
        break;
    case SQLITE_CONSTRAINT:
        code = CTIS_ECONFLICT;
        break;
    default:
        code = CTIS_EINTERNAL;
        break;
    }
    return ctis_err_set(err, code, "%s: %s", what, m);
}

/* What a NULL from sq_stmt meant. */
int sq_errcode(const struct ctis_err *err)
{
    return err != NULL && err->code != 0 ? err->code : CTIS_ENOMEM;
}

/* ROLLBACK through the statement prepared at open, which needs no
 * memory to run, so it works even when the failure was out of memory. */
static void rollback_now(struct store_sqlite *s)
{
    sqlite3_stmt *q = s->stmt[SQ_ROLLBACK];

    if (s->db == NULL || sqlite3_get_autocommit(s->db) != 0) {
        return;
    }
    if (q != NULL) {
        sqlite3_reset(q);
        sqlite3_step(q);
        sqlite3_reset(q);
    }
    if (sqlite3_get_autocommit(s->db) == 0) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    }
}

/* Roll back after a failure half-way through a write. */
int sq_abort(struct store_sqlite *s, int rc, struct ctis_err *err)
{
    rollback_now(s);
    sq_counts_clear(s);
    sq_bidx_clear(s);
    s->base.in_txn = 0;
    ctis_err_prefix(err, "transaction rolled back");
    return rc;
}

/* Run SQL (possibly several statements) ignoring rows. */
int sq_exec(struct store_sqlite *s, const char *sql, struct ctis_err *err)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "sql failed", err);
    }
    return 0;
}

/* ---- binding ----------------------------------------------------------- */

/* Empty strings are stored as NULL. Static: the record outlives the step. */
int sq_bind_text(sqlite3_stmt *q, int i, const char *s)
{
    if (s == NULL || s[0] == '\0') {
        return sqlite3_bind_null(q, i);
    }
    return sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC);
}

/* Negative means unknown, stored as NULL. */
int sq_bind_int_or_null(sqlite3_stmt *q, int i, long v)
{
    if (v < 0) {
        return sqlite3_bind_null(q, i);
    }
    return sqlite3_bind_int64(q, i, v);
}

/* NULL reads back as "". */
void sq_column_text(sqlite3_stmt *q, int i, char *dst, size_t n)
{
    const unsigned char *t = sqlite3_column_text(q, i);

    ctis_strlcpy(dst, t != NULL ? (const char *)t : "", n);
}

/* ---- statement cache --------------------------------------------------- */

static const char *const stmt_sql[SQ_COUNT] = {
    [SQ_AGENCY_PUT] =
        "INSERT INTO agency(id, name, kind, pillars, provinces)"
        " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(id) DO UPDATE SET"
        " name = ?2, kind = ?3, pillars = ?4, provinces = ?5",
    [SQ_AGENCY_EXISTS] = "SELECT 1 FROM agency WHERE id = ?1",
    [SQ_CASE_PUT] =
        "INSERT INTO cases(id, agency, trafficking_status, movement,"
        " exploitation, labour_sector, means, recruiter_relationship,"
        " destination_country, destination_province, destination_city,"
        " status, sex, citizenship, home_province, home_district,"
        " age_at_identification, age_group, identification_date, stage)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
        " ?14, ?15, ?16, ?17, ?18, ?19, ?20) ON CONFLICT(id) DO UPDATE SET"
        " agency = ?2, trafficking_status = ?3, movement = ?4,"
        " exploitation = ?5, labour_sector = ?6, means = ?7,"
        " recruiter_relationship = ?8, destination_country = ?9,"
        " destination_province = ?10, destination_city = ?11, status = ?12,"
        " sex = ?13, citizenship = ?14, home_province = ?15,"
        " home_district = ?16, age_at_identification = ?17,"
        " age_group = ?18, identification_date = ?19, stage = ?20,"
        " rev = rev + 1"
        " RETURNING rid, rev",
    [SQ_CASE_DEL_EVENTS] = "DELETE FROM event WHERE case_rid = ?1",
    [SQ_PERSON_PUT] =
        "INSERT OR REPLACE INTO person_identity(case_rid, given_name,"
        " family_name, given_name_km, family_name_km, birth_date,"
        " birth_year, age, home_commune, home_village, phone, email,"
        " sealed, key_gen, name_rule, bidx)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
        " ?14, ?15, ?16)",
    [SQ_CASE_EXISTS] = "SELECT rid FROM cases WHERE id = ?1",
    [SQ_CASE_GET] =
        "SELECT c.rid, c.id, c.agency, c.trafficking_status, c.movement,"
        " c.exploitation, c.labour_sector, c.means,"
        " c.recruiter_relationship, c.destination_country,"
        " c.destination_province, c.destination_city, c.status, c.sex,"
        " c.citizenship, c.home_province, c.home_district, p.given_name,"
        " p.family_name, p.given_name_km, p.family_name_km, p.birth_date,"
        " p.birth_year, p.age, p.home_commune, p.home_village, p.phone,"
        " p.email, p.sealed, p.key_gen, c.rev FROM cases c"
        " LEFT JOIN person_identity p ON p.case_rid = c.rid WHERE c.id = ?1",
    [SQ_EVENTS_GET] =
        "SELECT type, date, from_country, to_country, official, service,"
        " referral, eid, supersedes FROM event WHERE case_rid = ?1"
        " ORDER BY date, seq",
    [SQ_CC_PUT] =
        "INSERT INTO criminal_case(id, kind) VALUES (?1, ?2)"
        " ON CONFLICT(id) DO UPDATE SET kind = ?2, rev = rev + 1"
        " RETURNING rid, rev",
    [SQ_CC_DEL_OFF] = "DELETE FROM criminal_case_offender WHERE cc_rid = ?1",
    [SQ_CC_DEL_VIC] = "DELETE FROM criminal_case_victim WHERE cc_rid = ?1",
    [SQ_CC_DEL_EV] = "DELETE FROM crim_event WHERE cc_rid = ?1",
    [SQ_OFFENDER_PUT] =
        "INSERT INTO offender(id, sex, citizenship, role)"
        " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(id) DO UPDATE SET"
        " sex = ?2, citizenship = ?3, role = ?4",
    [SQ_CC_OFF_PUT] =
        "INSERT INTO criminal_case_offender(cc_rid, seq, offender_id)"
        " VALUES (?1, ?2, ?3)",
    [SQ_CC_VIC_PUT] =
        "INSERT INTO criminal_case_victim(cc_rid, seq, case_id)"
        " VALUES (?1, ?2, ?3)",
    [SQ_CE_PUT] =
        "INSERT INTO crim_event(cc_rid, seq, type, date, offender,"
        " sentence_months, law_articles) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [SQ_CC_OFF_GET] =
        "SELECT o.id, o.sex, o.citizenship, o.role"
        " FROM criminal_case_offender x JOIN offender o"
        " ON o.id = x.offender_id WHERE x.cc_rid = ?1 ORDER BY x.seq",
    [SQ_CC_VIC_GET] =
        "SELECT case_id FROM criminal_case_victim WHERE cc_rid = ?1"
        " ORDER BY seq",
    [SQ_CE_GET] =
        "SELECT type, date, offender, sentence_months, law_articles"
        " FROM crim_event WHERE cc_rid = ?1 ORDER BY seq",
    [SQ_ACTIVITY_PUT] =
        "INSERT INTO activity(id, agency, kind, province, start, end,"
        " reached) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        " ON CONFLICT(id) DO UPDATE SET agency = ?2, kind = ?3,"
        " province = ?4, start = ?5, end = ?6, reached = ?7",
    [SQ_INS_PUT] =
        "INSERT INTO instrument(id, title, kind, date)"
        " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(id) DO UPDATE SET"
        " title = ?2, kind = ?3, date = ?4 RETURNING rid",
    [SQ_INS_DEL_PARTIES] = "DELETE FROM instrument_party WHERE ins_rid = ?1",
    [SQ_INS_PARTY_PUT] =
        "INSERT INTO instrument_party(ins_rid, seq, country)"
        " VALUES (?1, ?2, ?3)",
    [SQ_INS_PARTIES_GET] =
        "SELECT country FROM instrument_party WHERE ins_rid = ?1"
        " ORDER BY seq",
    [SQ_BEGIN] = "BEGIN IMMEDIATE",
    [SQ_COMMIT] = "COMMIT",
    [SQ_ROLLBACK] = "ROLLBACK",
    [SQ_EXISTS_CC] = "SELECT rid FROM criminal_case WHERE id = ?1",
    [SQ_EXISTS_OFFENDER] = "SELECT 1 FROM offender WHERE id = ?1",
    [SQ_EXISTS_ACTIVITY] = "SELECT 1 FROM activity WHERE id = ?1",
    [SQ_EXISTS_INS] = "SELECT rid FROM instrument WHERE id = ?1",
    [SQ_COUNT_ADD] =
        "INSERT INTO case_count(q, year, k0, k1, s0, s1, n)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        " ON CONFLICT(q, year, k0, k1) DO UPDATE SET n = n + ?7",
    [SQ_VERSION_PUT] =
        "INSERT OR IGNORE INTO record_version(kind, id, version, at, actor,"
        " op, note,"
        " body) VALUES (?1, ?2, ?8, ?3, ?4, ?5, ?6, ?7)",
    [SQ_VERSION_CUR] =
        "SELECT version, body IS NOT NULL FROM record_version"
        " WHERE kind = ?1 AND id = ?2 ORDER BY version DESC LIMIT 1",
    /* one row by its key: a case's rows are those its person row lists
     * (migration 9: no index by case_rid) */
    [SQ_BIDX_DEL] = "DELETE FROM person_bidx WHERE h = ?1 AND case_rid = ?2",
    [SQ_BIDX_LIST] = "SELECT bidx FROM person_identity WHERE case_rid = ?1",
    [SQ_BIDX_PUT] =
        "INSERT OR IGNORE INTO person_bidx(h, case_rid) VALUES (?1, ?2)",
    /* A new case only: no row when the id exists (sqlite3_changes). */
    [SQ_CASE_ADD] =
        "INSERT OR IGNORE INTO cases(id, agency, trafficking_status,"
        " movement, exploitation, labour_sector, means,"
        " recruiter_relationship, destination_country,"
        " destination_province, destination_city, status, sex, citizenship,"
        " home_province, home_district, age_at_identification, age_group,"
        " identification_date, stage)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
        " ?14, ?15, ?16, ?17, ?18, ?19, ?20)"};

/* Prepared once per handle, then reset for each use. */
sqlite3_stmt *sq_stmt(struct store_sqlite *s, enum sq_stmt k,
                      struct ctis_err *err)
{
    sqlite3_stmt *q = s->stmt[k];
    int rc;

    if (q != NULL) {
        sqlite3_reset(q);
        sqlite3_clear_bindings(q);
        return q;
    }
    rc = sqlite3_prepare_v3(s->db, stmt_sql[k], -1, SQLITE_PREPARE_PERSISTENT,
                            &q, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(q);
        sq_fail(s, rc, "cannot prepare a statement", err);
        return NULL;
    }
    s->stmt[k] = q;
    return q;
}

static const struct {
    const char *head;
    const char *row;
    int columns;
} rows_sql[SQ_ROWS_COUNT] = {
    [SQ_ROWS_EVENT] = {"INSERT INTO event(case_rid, seq, type, date,"
                       " from_country, to_country, official, service,"
                       " referral, eid, supersedes) VALUES ",
                       "(?,?,?,?,?,?,?,?,?,?,?)", 11}};

int sq_rows_columns(enum sq_rows w)
{
    return rows_sql[w].columns;
}

/* Built once per handle and size: head, then n rows joined by commas. */
sqlite3_stmt *sq_rows_stmt(struct store_sqlite *s, enum sq_rows w, size_t n,
                           struct ctis_err *err)
{
    sqlite3_stmt *q = s->rows_stmt[w][n - 1];
    struct ctis_buf sql;
    size_t i;
    int rc;

    assert(n >= 1 && n <= SQ_ROWS_MAX);
    if (q != NULL) {
        sqlite3_reset(q);
        return q;
    }
    ctis_buf_init(&sql);
    rc = ctis_buf_puts(&sql, rows_sql[w].head);
    for (i = 0; rc == 0 && i < n; i++) {
        rc = ctis_buf_puts(&sql, i > 0 ? "," : "");
        if (rc == 0) {
            rc = ctis_buf_puts(&sql, rows_sql[w].row);
        }
    }
    if (rc != 0) {
        ctis_buf_release(&sql);
        ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        return NULL;
    }
    rc = sqlite3_prepare_v3(s->db, sql.data, (int)sql.len,
                            SQLITE_PREPARE_PERSISTENT, &q, NULL);
    ctis_buf_release(&sql);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(q);
        sq_fail(s, rc, "cannot prepare a statement", err);
        return NULL;
    }
    s->rows_stmt[w][n - 1] = q;
    return q;
}

/* ---- open, close, transactions ----------------------------------------- */

static void sq_close(struct store *st)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    int i;

    rollback_now(s);
    sq_counts_clear(s);
    sq_bidx_clear(s);
    sqlite3_finalize(s->bidx_many);
    for (i = 0; i < SQ_COUNT; i++) {
        sqlite3_finalize(s->stmt[i]);
    }
    for (i = 0; i < SQ_ROWS_COUNT * SQ_ROWS_MAX; i++) {
        sqlite3_finalize(s->rows_stmt[i / SQ_ROWS_MAX][i % SQ_ROWS_MAX]);
    }
    sqlite3_close_v2(s->db);
    ctis_free(s->path);
    ctis_free(s);
}

static int sq_version(struct store *st)
{
    return ((struct store_sqlite *)st)->version;
}

static int sq_begin(struct store *st, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = sq_stmt(s, SQ_BEGIN, err);
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        rollback_now(s);
        return sq_fail(s, rc, "cannot begin a transaction", err);
    }
    st->in_txn = 1;
    return 0;
}

/* The pending blind index rows and counter deltas are written first, in
 * the same transaction. A
 * failed COMMIT may leave the transaction open (SQLITE_BUSY): roll it
 * back so the handle is usable and the caller knows nothing was kept. */
static int sq_commit(struct store *st, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = sq_stmt(s, SQ_COMMIT, err);
    int rc;

    if (q == NULL) {
        return sq_abort(s, sq_errcode(err), err);
    }
    rc = sq_bidx_flush(s, err);
    if (rc == 0) {
        rc = sq_counts_flush(s, err);
    }
    if (rc != 0) {
        return sq_abort(s, rc, err);
    }
    rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        return sq_abort(s, sq_fail(s, rc, "commit failed", err), err);
    }
    st->in_txn = 0;
    if (s->checkpoint) {
        s->checkpoint = 0;
        sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
                                  NULL, NULL);
    }
    return 0;
}

static void sq_rollback(struct store *st)
{
    rollback_now((struct store_sqlite *)st);
    sq_counts_clear((struct store_sqlite *)st);
    sq_bidx_clear((struct store_sqlite *)st);
    st->in_txn = 0;
}

static const struct store_ops sqlite_ops = {
    "sqlite", sq_close, sq_version, sq_begin, sq_commit, sq_rollback,
    sq_put_agency, sq_put_case, sq_put_criminal_case, sq_put_activity,
    sq_put_instrument, sq_add_event, sq_exists, sq_count, sq_get_case,
    sq_each_case, sq_each_agency, sq_each_criminal_case, sq_each_activity,
    sq_each_instrument, sq_query, sq_put_person_links, sq_each_person_link,
    sq_begin_read, sq_end_read, sq_lock, sq_add_version, sq_current_version,
    sq_fill_version,
    sq_each_version, sq_put_user, sq_get_user, sq_each_user,
    sq_add_referral, sq_decide_referral, sq_each_referral,
    .audit_head = sq_audit_head, .audit_insert = sq_audit_insert,
    .each_audit = sq_each_audit, .idem_get = sq_idem_get,
    .idem_put = sq_idem_put, .each_idem = sq_each_idem, .get_monitoring = sq_get_monitoring,
    .put_monitoring = sq_put_monitoring,
    .get_must_change = sq_get_must_change,
    .set_must_change = sq_set_must_change,
    .load_wraps = sq_load_wraps, .put_wrap = sq_put_wrap,
    .del_wraps = sq_del_wraps, .reseal_batch = sq_reseal_batch,
    .reindex_batch = sq_reindex_batch, .names_stale = sq_names_stale,
    .find = sq_find, .erase = sq_erase, .snapshot = sq_snapshot,
    .blind_rows = sq_blind_rows,
    .put_new_case = sq_put_new_case};

/* The pragmas of DESIGN.md: WAL, enforced foreign keys, durable commits
 * (unless STORE_OPEN_FAST), a patient busy handler and a 64 MiB cache
 * (2 MiB with STORE_OPEN_LEAN); temporary tables in memory and deleted
 * content zeroed (secure_delete), so no identity in clear outlives its
 * row in a file. */
static int set_pragmas(struct store_sqlite *s, struct ctis_err *err)
{
    const char *sync = (s->base.flags & STORE_OPEN_FAST)
                           ? "PRAGMA synchronous = NORMAL;"
                           : "PRAGMA synchronous = FULL;";
    int rc;

    sqlite3_busy_timeout(s->db, 5000);
    rc = sq_exec(s,
                 (s->base.flags & STORE_OPEN_LEAN)
                     ? "PRAGMA foreign_keys = ON; PRAGMA cache_size = -2048;"
                       " PRAGMA temp_store = MEMORY;"
                       " PRAGMA secure_delete = ON;"
                     : "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;"
                       " PRAGMA temp_store = MEMORY;"
                       " PRAGMA secure_delete = ON;",
                 err);
    if (rc == 0 && !(s->base.flags & STORE_OPEN_READONLY)) {
        rc = sq_exec(s, "PRAGMA journal_mode = WAL", err);
    } else if (rc == 0) {
        rc = sq_exec(s, "PRAGMA query_only = ON", err);
    }
    if (rc == 0) {
        rc = sq_exec(s, sync, err);
    }
    return rc;
}

/* A database file of another user, in a folder others may write to (a
 * shared, sticky one like /tmp), may have been put there for us: another
 * user who created ctis.db (or a database with a key of their own) where
 * an administrator then ran ctis received every record written. It is
 * refused, as is a database file that every user may write. A database
 * of another user in a folder only its owner writes (root working on the
 * service user's database) is fine. */
static int check_planted(const char *path, const struct stat *sb,
                         struct ctis_err *err)
{
    char real[CTIS_PATH_MAX];
    char *slash;
    struct stat dir;

    if (sb->st_uid != geteuid() && realpath(path, real) != NULL &&
        (slash = strrchr(real, '/')) != NULL) {
        if (slash == real) {
            slash[1] = '\0';
        } else {
            *slash = '\0';
        }
    } else {
        real[0] = '\0';
    }
    if (real[0] != '\0' && stat(real, &dir) == 0 &&
        (dir.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        return ctis_err_set(err, CTIS_EIO,
                            "database '%s' belongs to another user (uid %ld) "
                            "and lies in a folder others may write to; it "
                            "may have been put there for you to write into: "
                            "use a database of your own",
                            path, (long)sb->st_uid);
    }
    if (sb->st_mode & S_IWOTH) {
        return ctis_err_set(err, CTIS_EIO,
                            "database '%s' may be written by every user "
                            "(mode %03o); make it the owner's only (chmod "
                            "600)",
                            path, (unsigned)(sb->st_mode & 0777));
    }
    return 0;
}

/* A file path that exists must be a file; a new database file is
 * created here, owner-only, before SQLite opens it, since SQLite would
 * create it 0644 (less the umask) and gives its -wal and -shm files the
 * database file's mode. *created tells the caller to remove it again if
 * the open fails. */
static int check_file(const char *path, int flags, int *created,
                      struct ctis_err *err)
{
    struct stat sb;

    *created = 0;
    if (strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0) {
        return 0;
    }
    if (stat(path, &sb) != 0) {
        if (errno == ENOENT && (flags & STORE_OPEN_CREATE)) {
            int rc = ctis_create_private(path, err);

            *created = rc == 0;
            return rc;
        }
        if (errno == ENOENT) {
            return ctis_err_set(err, CTIS_ENOTFOUND,
                                "database '%s' does not exist (run 'ctis "
                                "init')",
                                path);
        }
        return ctis_err_set(err, CTIS_EIO, "cannot open database '%s': %s",
                            path, strerror(errno));
    }
    if (S_ISDIR(sb.st_mode)) {
        return ctis_err_set(err, CTIS_EARG,
                            "database '%s' is a directory, not a file", path);
    }
    return check_planted(path, &sb, err);
}

/* A file that is not a database (a symlink to /etc/passwd) is refused
 * before anything is made beside it: its first 16 bytes are read through
 * the connection's own file (closing a descriptor of our own would drop
 * the locks this process's other connections hold on it, and readers
 * then saw a database written under them as damaged). An empty file is a
 * database still to be made. 0, or CTIS_ECORRUPT naming the path. */
static int check_header(struct store_sqlite *s, const char *path,
                        struct ctis_err *err)
{
    static const char magic[16] = "SQLite format 3";
    char head[16];
    sqlite3_file *f = NULL;
    sqlite3_int64 size = 0;

    if (sqlite3_file_control(s->db, "main", SQLITE_FCNTL_FILE_POINTER, &f) !=
            SQLITE_OK ||
        f == NULL || f->pMethods == NULL ||
        f->pMethods->xFileSize(f, &size) != SQLITE_OK || size == 0) {
        return 0; /* in memory, or SQLite's own read says why */
    }
    if (f->pMethods->xRead(f, head, sizeof head, 0) == SQLITE_OK &&
        memcmp(head, magic, sizeof head) == 0) {
        return 0;
    }
    return ctis_err_set(err, CTIS_ECORRUPT,
                        "'%s' is not a ctis database or is damaged", path);
}

/* SQLite's side files (-wal, -shm, -journal) are opened by name, and an
 * existing one is used as it is: in a folder others may write to (a
 * shared, sticky one) another user could create one before ctis does and
 * so read every page written to the WAL, or write frames (the WAL) or a
 * wal-index (-shm) that SQLite then reads as the database's. So an
 * existing side file must be a plain file (no symlink, one link) of the
 * database file's owner that grants nobody more than the database file
 * does, and a missing -wal and -shm are created here first, exclusively,
 * with the database file's owner and mode (as SQLite would), so that
 * nobody can slip in between this check and SQLite's open. A folder we
 * may not write to is left as it is (SQLite cannot create them there
 * either). It runs after check_header and before SQLite's first read,
 * which is when SQLite opens them. 0, or CTIS_EIO naming the file (never
 * its content). */
static int guard_side_files(const char *path, struct ctis_err *err)
{
    static const char *const side[] = {"-wal", "-shm", "-journal"};
    char real[CTIS_PATH_MAX];
    char name[CTIS_PATH_MAX + 16];
    struct stat db;
    struct stat sb;
    size_t i;

    if (strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0 ||
        stat(path, &db) != 0) {
        return 0;
    }
    if (realpath(path, real) == NULL) {
        ctis_strlcpy(real, path, sizeof real);
    }
    for (i = 0; i < sizeof side / sizeof side[0]; i++) {
        int tries;

        snprintf(name, sizeof name, "%s%s", real, side[i]);
        for (tries = 0; tries < 2; tries++) {
            int fd;

            if (lstat(name, &sb) == 0) {
                break;
            }
            if (errno != ENOENT || i == 2) {
                break; /* no journal is made here: an empty one is fine,
                        * but SQLite makes it when it needs one */
            }
            fd = open(name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                      db.st_mode & 0666);
            if (fd < 0) {
                if (errno == EEXIST) {
                    continue; /* someone was quicker: check theirs */
                }
                break;
            }
            if (fchmod(fd, db.st_mode & 0666) != 0 ||
                (geteuid() == 0 && db.st_uid != 0 &&
                 fchown(fd, db.st_uid, db.st_gid) != 0)) {
                close(fd);
                unlink(name);
                return ctis_err_set(err, CTIS_EIO,
                                    "cannot create '%s' as the database's "
                                    "own",
                                    name);
            }
            close(fd);
            errno = ENOENT;
            break;
        }
        if (lstat(name, &sb) != 0) {
            continue;
        }
        if (!S_ISREG(sb.st_mode) || sb.st_nlink != 1) {
            return ctis_err_set(err, CTIS_EIO,
                                "'%s' beside the database is not a plain "
                                "file (a symlink, a hard link or other); it "
                                "may have been planted: remove it when no "
                                "ctis is running",
                                name);
        }
        if (sb.st_uid != db.st_uid) {
            return ctis_err_set(err, CTIS_EIO,
                                "'%s' beside the database belongs to another "
                                "user (uid %ld, the database's is %ld); it may "
                                "have been planted: remove it when no ctis is "
                                "running",
                                name, (long)sb.st_uid, (long)db.st_uid);
        }
        if ((sb.st_mode & 0777 & ~db.st_mode) != 0) {
            return ctis_err_set(err, CTIS_EIO,
                                "'%s' beside the database is open to more "
                                "users (mode %03o) than the database (%03o); "
                                "remove it when no ctis is running",
                                name, (unsigned)(sb.st_mode & 0777),
                                (unsigned)(db.st_mode & 0777));
        }
    }
    return 0;
}

static int open_db(struct store_sqlite *s, const char *path,
                   struct ctis_err *err)
{
    int oflags = SQLITE_OPEN_NOMUTEX;
    int rc;

    if (s->base.flags & STORE_OPEN_READONLY) {
        /* read-write, but no statement may write (query_only, in
         * set_pragmas): a read-only connection cannot remove the -wal
         * and -shm files when it is the last to close, and every
         * report, export or case show left an empty pair behind; SQLite
         * opens a file we may not write read-only by itself */
        oflags |= SQLITE_OPEN_READWRITE;
    } else {
        oflags |= SQLITE_OPEN_READWRITE;
        if (s->base.flags & STORE_OPEN_CREATE) {
            oflags |= SQLITE_OPEN_CREATE;
        }
    }
    rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(s->db, 1);
        return 0;
    }
    if (rc == SQLITE_NOMEM) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    return ctis_err_set(err, rc == SQLITE_CANTOPEN ? CTIS_EIO : CTIS_ECORRUPT,
                        "cannot open database '%s': %s", path,
                        s->db != NULL ? sqlite3_errmsg(s->db) : "failed");
}

/* The transaction statements are prepared up front so that ending a
 * transaction never needs memory. */
static int prepare_txn(struct store_sqlite *s, struct ctis_err *err)
{
    if (sq_stmt(s, SQ_BEGIN, err) == NULL ||
        sq_stmt(s, SQ_COMMIT, err) == NULL ||
        sq_stmt(s, SQ_ROLLBACK, err) == NULL) {
        return sq_errcode(err);
    }
    return 0;
}

/* Open, configure and migrate; on any failure everything is freed. */
int store_sqlite_open(struct store **out, const char *path, int flags,
                      struct ctis_err *err)
{
    struct store_sqlite *s;
    int created;
    int rc = check_file(path, flags, &created, err);

    if (rc != 0) {
        return rc;
    }
    use_ctis_allocator();
    s = ctis_calloc(1, sizeof *s);
    if (s == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    s->base.ops = &sqlite_ops;
    s->base.flags = flags;
    s->path = ctis_strdup(path);
    rc = s->path == NULL ? ctis_err_set(err, CTIS_ENOMEM, "out of memory")
                         : open_db(s, path, err);
    if (rc == 0) {
        rc = check_header(s, path, err);
    }
    if (rc == 0) {
        rc = guard_side_files(path, err);
    }
    if (rc == 0) {
        rc = set_pragmas(s, err);
    }
    if (rc == 0) {
        rc = sq_migrate(s, err);
    }
    if (rc == 0) {
        rc = prepare_txn(s, err);
    }
    if (rc != 0) {
        sq_close(&s->base);
        if (created) {
            unlink(path);
        }
        return rc;
    }
    *out = &s->base;
    return 0;
}
