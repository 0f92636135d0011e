/*
 * store_int.h - private to store/: the backend vtable that store.c
 * dispatches through, and the helpers the SQLite backend's files share.
 *
 * A backend embeds `struct store` as the first member of its own handle
 * and fills `ops`. store.c checks what every backend would check (NULL
 * arguments, writes outside a transaction, read-only handles) before it
 * calls down, so a backend may assume a write runs inside a transaction.
 * A backend that has to abandon a transaction (an error after a put has
 * started writing) rolls it back itself and clears `in_txn`.
 */
#ifndef CTIS_STORE_INT_H
#define CTIS_STORE_INT_H

#include <sqlite3.h>

#include "store/store.h"

/* The schema version the code expects (the last migration's number). */
#define STORE_SCHEMA_VERSION 4

struct store_ops {
    const char *name;
    void (*close)(struct store *st);
    int (*schema_version)(struct store *st);
    int (*begin)(struct store *st, struct ctis_err *err);
    int (*commit)(struct store *st, struct ctis_err *err);
    void (*rollback)(struct store *st);
    int (*put_agency)(struct store *st, const struct model_agency *a,
                      struct ctis_err *err);
    int (*put_case)(struct store *st, const struct model_case *c,
                    struct ctis_err *err);
    int (*put_criminal_case)(struct store *st,
                             const struct model_criminal_case *cc,
                             struct ctis_err *err);
    int (*put_activity)(struct store *st, const struct model_activity *a,
                        struct ctis_err *err);
    int (*put_instrument)(struct store *st, const struct model_instrument *in,
                          struct ctis_err *err);
    int (*add_event)(struct store *st, const char *case_id,
                     const struct model_event *e, struct ctis_err *err);
    int (*exists)(struct store *st, enum store_kind kind, const char *id,
                  struct ctis_err *err);
    int (*count)(struct store *st, enum store_kind kind, long *out,
                 struct ctis_err *err);
    int (*get_case)(struct store *st, const char *id, struct model_case *out,
                    struct ctis_err *err);
    int (*each_case)(struct store *st, const struct store_case_filter *f,
                     store_case_fn fn, void *ctx, struct ctis_err *err);
    int (*each_agency)(struct store *st, store_agency_fn fn, void *ctx,
                       struct ctis_err *err);
    int (*each_criminal_case)(struct store *st, store_criminal_case_fn fn,
                              void *ctx, struct ctis_err *err);
    int (*each_activity)(struct store *st, store_activity_fn fn, void *ctx,
                         struct ctis_err *err);
    int (*each_instrument)(struct store *st, store_instrument_fn fn,
                           void *ctx, struct ctis_err *err);
    int (*query)(struct store *st, enum store_query q, int from_year,
                 int to_year, struct store_table *out, struct ctis_err *err);
    int (*put_person_links)(struct store *st, const char *const *case_ids,
                            const long *persons, size_t n,
                            struct ctis_err *err);
    int (*each_person_link)(struct store *st, int from_year, int to_year,
                            store_link_fn fn, void *ctx,
                            struct ctis_err *err);
    int (*begin_read)(struct store *st, struct ctis_err *err);
    void (*end_read)(struct store *st);
    int (*lock)(struct store *st, int kind, const char *id,
                struct ctis_err *err);
    int (*add_version)(struct store *st, const struct store_version_in *v,
                       struct ctis_err *err);
    int (*current_version)(struct store *st, int kind, const char *id,
                           long *out, int *has_body, struct ctis_err *err);
    int (*fill_version)(struct store *st, int kind, const char *id,
                        long version, const char *body,
                        struct ctis_err *err);
    int (*each_version)(struct store *st, int kind, const char *id,
                        store_version_fn fn, void *ctx,
                        struct ctis_err *err);
    int (*put_user)(struct store *st, const struct store_user *u,
                    struct ctis_err *err);
    int (*get_user)(struct store *st, const char *username,
                    struct store_user *out, struct ctis_err *err);
    int (*each_user)(struct store *st, store_user_fn fn, void *ctx,
                     struct ctis_err *err);
    int (*add_referral)(struct store *st, const struct store_referral *r,
                        long *id, struct ctis_err *err);
    int (*decide_referral)(struct store *st, long id, int state,
                           const char *actor, long at, struct ctis_err *err);
    int (*each_referral)(struct store *st,
                         const struct store_referral_filter *f,
                         store_referral_fn fn, void *ctx,
                         struct ctis_err *err);
    /* The audit trail (audit.c chains; the backend stores): read the head
     * (last seq and hash, 0 and "" when empty) and hold it against other
     * appenders until commit; insert entries and move the head. */
    int (*audit_head)(struct store *st, long *seq, char hash[65],
                      struct ctis_err *err);
    int (*audit_insert)(struct store *st, const struct store_audit *e,
                        size_t n, struct ctis_err *err);
    int (*each_audit)(struct store *st, const struct store_audit_filter *f,
                      store_audit_fn fn, void *ctx, struct ctis_err *err);
    int (*idem_get)(struct store *st, const char *user, const char *key,
                    long since, int *status, struct ctis_buf *body,
                    char *location, size_t location_n, char *etag,
                    size_t etag_n, struct ctis_err *err);
    int (*idem_put)(struct store *st, const char *user, const char *key,
                    long at, int status, const char *body,
                    const char *location, const char *etag,
                    struct ctis_err *err);
    int (*get_monitoring)(struct store *st, const char *agency, int *days,
                          struct ctis_err *err);
    int (*put_monitoring)(struct store *st, const char *agency, int days,
                          struct ctis_err *err);
    int (*get_must_change)(struct store *st, const char *username, int *out,
                           struct ctis_err *err);
    int (*set_must_change)(struct store *st, const char *username, int on,
                           struct ctis_err *err);
};

/* Load libpq with dlopen, once per process (pq_shim.c); the PostgreSQL
 * backend may call libpq only after this returned 0. CTIS_EUNSUPPORTED with
 * a message when libpq5 is not installed. */
int store_pq_load(struct ctis_err *err);

/* The part of every handle that store.c reads. */
struct store {
    const struct store_ops *ops;
    int flags;   /* enum store_open_flags */
    int in_txn;  /* 1 between a successful begin and commit/rollback */
    int in_read; /* 1 between store_begin_read and store_end_read */
};

/* ---- the aggregate SQL (sql_queries.c) ---------------------------------
 * Every STORE_Q_* is one SELECT over the SQLite schema with two
 * parameters, ?1 and ?2: the first and last YYYYMMDD date of the period
 * (store_query_bounds). Each returns columns k0, k1, k2, year, n0, n1; a
 * key column is either text or an integer code of the model table that
 * store_query_keys names (NULL: text). Benchmarks print the same strings
 * for the sqlite3 shell. */
const char *store_query_sql(enum store_query q);
/* The code table of key column i (0..2) of query q, or NULL when that
 * column is text (or unused). */
const struct model_code *store_query_keys(enum store_query q, int i);
/* Number of STORE_Q_* values. */
#define STORE_QUERY_COUNT 12
/* Date bounds for a year period: [from, to], 0 unbounded. A case without a
 * date (0) falls inside only when both years are 0. */
void store_query_bounds(int from_year, int to_year, int *lo, int *hi);

/* Open the PostgreSQL database named by a postgresql:// URL (pg.c). */
int store_pg_open(struct store **out, const char *url, int flags,
                  struct ctis_err *err);

/* ---- the SQLite backend ------------------------------------------------ */

/* Prepared statements cached in the handle, prepared on first use. */
enum sq_stmt {
    SQ_AGENCY_PUT, SQ_AGENCY_EXISTS,
    SQ_CASE_PUT, SQ_CASE_DEL_EVENTS, SQ_PERSON_PUT, SQ_EVENT_PUT,
    SQ_CASE_EXISTS, SQ_CASE_GET, SQ_EVENTS_GET,
    SQ_CC_PUT, SQ_CC_DEL_OFF, SQ_CC_DEL_VIC, SQ_CC_DEL_EV, SQ_OFFENDER_PUT,
    SQ_CC_OFF_PUT, SQ_CC_VIC_PUT, SQ_CE_PUT,
    SQ_CC_OFF_GET, SQ_CC_VIC_GET, SQ_CE_GET,
    SQ_ACTIVITY_PUT, SQ_INS_PUT, SQ_INS_DEL_PARTIES, SQ_INS_PARTY_PUT,
    SQ_INS_PARTIES_GET, SQ_BEGIN, SQ_COMMIT, SQ_ROLLBACK,
    SQ_EXISTS_CC, SQ_EXISTS_OFFENDER, SQ_EXISTS_ACTIVITY, SQ_EXISTS_INS,
    SQ_COUNT_ADD, SQ_VERSION_PUT, SQ_VERSION_CUR,
    SQ_COUNT
};

struct sq_count;

struct store_sqlite {
    struct store base;
    sqlite3 *db;
    char *path;                   /* for messages; owned */
    sqlite3_stmt *stmt[SQ_COUNT]; /* cache; NULL until first use */
    int version;                  /* schema version after migrations */
    struct sq_count *counts;      /* pending counter deltas (hash table) */
    size_t count_cap;             /* slots, a power of two, or 0 */
    size_t count_len;             /* slots in use */
};

/* Open or create the SQLite database at path (sqlite.c). */
int store_sqlite_open(struct store **out, const char *path, int flags,
                      struct ctis_err *err);
/* Apply every pending migration in one transaction (migrate_sqlite.c).
 * Sets s->version. CTIS_EUNSUPPORTED for a newer schema than known. */
int sq_migrate(struct store_sqlite *s, struct ctis_err *err);
/* The cached statement k, reset and with bindings cleared; NULL with err
 * set on failure. Borrowed from the handle. */
sqlite3_stmt *sq_stmt(struct store_sqlite *s, enum sq_stmt k,
                      struct ctis_err *err);
/* The code sq_stmt left in err (CTIS_ENOMEM when err is NULL). */
int sq_errcode(const struct ctis_err *err);
/* Map a SQLite result code to a CTIS_E* code and write a message that
 * starts with what (no identifying data: callers pass ids only). */
int sq_fail(struct store_sqlite *s, int rc, const char *what,
            struct ctis_err *err);
/* Run one statement to completion (SQLITE_DONE or rows ignored). */
int sq_exec(struct store_sqlite *s, const char *sql, struct ctis_err *err);
/* After an error (code rc, already in err) in the middle of a put: roll
 * the whole transaction back so no record is half written, and say so in
 * err. Returns rc. */
int sq_abort(struct store_sqlite *s, int rc, struct ctis_err *err);

/* Binding helpers: an empty string or a negative "unknown" becomes NULL. */
int sq_bind_text(sqlite3_stmt *q, int i, const char *s);
int sq_bind_int_or_null(sqlite3_stmt *q, int i, long v);
/* Copy column i (NULL as "") into dst of size n. */
void sq_column_text(sqlite3_stmt *q, int i, char *dst, size_t n);

/* Aggregate counters (sqlite_count.c): add (sign +1) or take away (-1)
 * the contributions of case c to the pending deltas; write the deltas
 * into case_count within the open transaction; or drop them. */
int sq_counts_case(struct store_sqlite *s, const struct model_case *c,
                   int sign, struct ctis_err *err);
int sq_counts_flush(struct store_sqlite *s, struct ctis_err *err);
void sq_counts_clear(struct store_sqlite *s);
/* Recompute case_count from every case, within the open transaction (a
 * migration that changes the counting rules; repair). On failure the
 * caller must roll back. */
int sq_counts_rebuild(struct store_sqlite *s, struct ctis_err *err);

/* Writers (sqlite_put.c). */
int sq_put_agency(struct store *st, const struct model_agency *a,
                  struct ctis_err *err);
int sq_put_case(struct store *st, const struct model_case *c,
                struct ctis_err *err);
int sq_put_criminal_case(struct store *st,
                         const struct model_criminal_case *cc,
                         struct ctis_err *err);
int sq_put_activity(struct store *st, const struct model_activity *a,
                    struct ctis_err *err);
int sq_put_instrument(struct store *st, const struct model_instrument *in,
                      struct ctis_err *err);
int sq_add_event(struct store *st, const char *case_id,
                 const struct model_event *e, struct ctis_err *err);

/* Readers (sqlite_get.c). */
int sq_exists(struct store *st, enum store_kind kind, const char *id,
              struct ctis_err *err);
int sq_count(struct store *st, enum store_kind kind, long *out,
             struct ctis_err *err);
int sq_get_case(struct store *st, const char *id, struct model_case *out,
                struct ctis_err *err);
int sq_each_case(struct store *st, const struct store_case_filter *f,
                 store_case_fn fn, void *ctx, struct ctis_err *err);
int sq_each_agency(struct store *st, store_agency_fn fn, void *ctx,
                   struct ctis_err *err);
int sq_each_criminal_case(struct store *st, store_criminal_case_fn fn,
                          void *ctx, struct ctis_err *err);
int sq_each_activity(struct store *st, store_activity_fn fn, void *ctx,
                     struct ctis_err *err);
int sq_audit_head(struct store *st, long *seq, char hash[65],
                  struct ctis_err *err);
int sq_audit_insert(struct store *st, const struct store_audit *e, size_t n,
                    struct ctis_err *err);
int sq_each_audit(struct store *st, const struct store_audit_filter *f,
                  store_audit_fn fn, void *ctx, struct ctis_err *err);
int sq_idem_get(struct store *st, const char *user, const char *key,
                long since, int *status, struct ctis_buf *body,
                char *location, size_t location_n, char *etag,
                size_t etag_n, struct ctis_err *err);
int sq_idem_put(struct store *st, const char *user, const char *key, long at,
                int status, const char *body, const char *location,
                const char *etag, struct ctis_err *err);
int sq_get_monitoring(struct store *st, const char *agency, int *days,
                      struct ctis_err *err);
int sq_put_monitoring(struct store *st, const char *agency, int days,
                      struct ctis_err *err);
int sq_get_must_change(struct store *st, const char *username, int *out,
                       struct ctis_err *err);
int sq_set_must_change(struct store *st, const char *username, int on,
                       struct ctis_err *err);
int sq_each_instrument(struct store *st, store_instrument_fn fn, void *ctx,
                       struct ctis_err *err);

/* History, users, referrals, read transactions (sqlite_hist.c). */
int sq_begin_read(struct store *st, struct ctis_err *err);
void sq_end_read(struct store *st);
int sq_lock(struct store *st, int kind, const char *id,
            struct ctis_err *err);
int sq_add_version(struct store *st, const struct store_version_in *v,
                   struct ctis_err *err);
int sq_current_version(struct store *st, int kind, const char *id,
                       long *out, int *has_body, struct ctis_err *err);
int sq_fill_version(struct store *st, int kind, const char *id, long version,
                    const char *body, struct ctis_err *err);
int sq_each_version(struct store *st, int kind, const char *id,
                    store_version_fn fn, void *ctx, struct ctis_err *err);
int sq_put_user(struct store *st, const struct store_user *u,
                struct ctis_err *err);
int sq_get_user(struct store *st, const char *username,
                struct store_user *out, struct ctis_err *err);
int sq_each_user(struct store *st, store_user_fn fn, void *ctx,
                 struct ctis_err *err);
int sq_add_referral(struct store *st, const struct store_referral *r,
                    long *id, struct ctis_err *err);
int sq_decide_referral(struct store *st, long id, int state,
                       const char *actor, long at, struct ctis_err *err);
int sq_each_referral(struct store *st, const struct store_referral_filter *f,
                     store_referral_fn fn, void *ctx, struct ctis_err *err);

/* Aggregates (sqlite_query.c). */
int sq_put_person_links(struct store *st, const char *const *case_ids,
                        const long *persons, size_t n, struct ctis_err *err);
int sq_each_person_link(struct store *st, int from_year, int to_year,
                        store_link_fn fn, void *ctx, struct ctis_err *err);
int sq_query(struct store *st, enum store_query q, int from_year,
             int to_year, struct store_table *out, struct ctis_err *err);

#endif
