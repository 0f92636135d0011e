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
#define STORE_SCHEMA_VERSION 9

/* One kept answer of an idempotent create (each_idem); body is the
 * stored text (sealed in a sealed database); non-zero stops. */
typedef int (*store_idem_fn)(void *ctx, const char *user, const char *key,
                             long at, int status, const char *body,
                             const char *location, const char *etag);

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
    /* Every kept answer, in (user, key) order, for an erasure. */
    int (*each_idem)(struct store *st, store_idem_fn fn, void *ctx,
                     struct ctis_err *err);
    int (*get_monitoring)(struct store *st, const char *agency, int *days,
                          struct ctis_err *err);
    int (*put_monitoring)(struct store *st, const char *agency, int days,
                          struct ctis_err *err);
    int (*get_must_change)(struct store *st, const char *username, int *out,
                           struct ctis_err *err);
    int (*set_must_change)(struct store *st, const char *username, int on,
                           struct ctis_err *err);
    /* Sealing (NULL: not supported by the backend). Key table writes run
     * inside the caller's transaction; store.c brackets them. */
    int (*load_wraps)(struct store *st, struct seal_wrap **out, int *n,
                      struct ctis_err *err);
    int (*put_wrap)(struct store *st, const struct seal_wrap *w,
                    struct ctis_err *err);
    int (*del_wraps)(struct store *st, const char *kek_id, int gen,
                     struct ctis_err *err);
    int (*reseal_batch)(struct store *st, int from_gen, long batch,
                        long *done, struct ctis_err *err);
    /* The blind indexes of up to batch sealed identities of generation
     * gen made with a name rule older than MODEL_NAME_RULE, made anew
     * (store_reindex_names); names_stale: 1 in *out while any is left. */
    int (*reindex_batch)(struct store *st, int gen, long batch, long *done,
                         struct ctis_err *err);
    int (*names_stale)(struct store *st, int *out, struct ctis_err *err);
    int (*find)(struct store *st, const struct store_person_query *q,
                store_case_fn fn, void *ctx, struct ctis_err *err);
    int (*erase)(struct store *st, const char *case_id, const char *by,
                 const char *reason, struct ctis_err *err);
    int (*snapshot)(struct store *st, store_snapshot_fn fn, void *ctx,
                    struct ctis_err *err);
    /* Every blind index row of a fully sealed database, in the order of
     * its value: fn(ctx, value, case id) for each. Returns 1 without a
     * call when some identity is not indexed under generation gen alone
     * (a clear row waiting to be sealed, a rotation not finished, blind
     * indexes of an older name rule), so
     * the caller must read the identities instead. NULL: never. */
    int (*blind_rows)(struct store *st, int gen,
                      int (*fn)(void *ctx, const unsigned char *h,
                                const char *case_id),
                      void *ctx, struct ctis_err *err);
    /* NULL: no fast path (store_put_new_case answers 0). */
    int (*put_new_case)(struct store *st, const struct model_case *c,
                        struct ctis_err *err);
};

/* Load libpq with dlopen, once per process (pq_shim.c); the PostgreSQL
 * backend may call libpq only after this returned 0. CTIS_EUNSUPPORTED with
 * a message when libpq5 is not installed. */
int store_pq_load(struct ctis_err *err);

/* The part of every handle that store.c reads. */
struct store_idset;

struct store {
    const struct store_ops *ops;
    int flags;   /* enum store_open_flags */
    int in_txn;  /* 1 between a successful begin and commit/rollback */
    int in_read; /* 1 between store_begin_read and store_end_read */
    /* Sealing (store_seal.c): set by the backend at open. */
    int sealed;              /* the database has a data key */
    int gen;                 /* its current generation, 0 if none */
    struct seal_key *key;    /* unlocked current data key, or NULL */
    struct seal_key *next;   /* the next one during a rotation, or NULL */
    struct seal_nonces *nonces; /* nonce pool, made at the first seal
                                   (store_nonces) */
    const struct store_blind *blind; /* store_use_blind: a person's
                                   blind values made ahead, or NULL */
    long batch_limit;        /* test hook, store_set_batch_limit */
    long opened;             /* sealed identities opened through this
                                handle (store_identities_opened) */
    const struct store_idset *want;  /* during store_each_linkable_case:
                                the cases whose identity is read; NULL
                                outside it */
};

/* ---- sealing helpers for the backends (store_seal.c) ------------------- */

/* Read the key table into st->sealed and st->gen (store_open). */
int store_seal_state(struct store *st, struct ctis_err *err);
/* The data key that opens values of generation gen: st->key or st->next;
 * NULL with CTIS_EKEY in err when the handle has neither. */
const struct seal_key *store_key_for(struct store *st, int gen,
                                     struct ctis_err *err);
/* The key new values are sealed with (the next key during a rotation). */
const struct seal_key *store_key_write(struct store *st);
/* The handle's nonce pool, made on first use; NULL (each nonce drawn
 * alone) when it cannot be made. */
struct seal_nonces *store_nonces(struct store *st);
/* The blind index values of c's person for its put, n returned, into
 * out: those store_use_blind gave (st->blind) when made for this case
 * with the key the put seals with, else made here (store_blind_person). */
size_t store_blind_for_put(struct store *st, const struct model_case *c,
                           unsigned char out[][SEAL_BLIND_BYTES]);
/* Associated data of a person's sealed identity: table, case id and
 * version. Returns its length; ad must hold STORE_AD_MAX bytes. */
#define STORE_AD_MAX 96
size_t store_identity_ad(const char *case_id, long version,
                         unsigned char *ad);
/* Seal p's identity for case_id at version into out (caller's,
 * MODEL_IDENTITY_PACK_MAX + SEAL_OVERHEAD bytes); *len its length. */
int store_seal_identity(struct store *st, const char *case_id, long version,
                        const struct model_person *p, unsigned char *out,
                        size_t *len, struct ctis_err *err);
/* Open a sealed identity into p's identifying fields. CTIS_EKEY without
 * the key; CTIS_ECORRUPT (naming the case) when it does not open. */
int store_open_identity(struct store *st, const char *case_id, long version,
                        int gen, const unsigned char *in, size_t len,
                        struct model_person *p, struct ctis_err *err);
/* A case's history body sealed for version: out (ctis_malloc'd, the
 * caller frees) = generation (4 bytes, little-endian) || sealed value,
 * associated data "record_version|ID|VERSION". */
int store_seal_body(struct store *st, const char *case_id, long version,
                    const char *body, unsigned char **out, size_t *len,
                    struct ctis_err *err);
/* Open one into *out (NUL-terminated, ctis_malloc'd). CTIS_EKEY without
 * the key, CTIS_ECORRUPT when it does not open. */
int store_open_body(struct store *st, const char *case_id, long version,
                    const unsigned char *in, size_t len, char **out,
                    struct ctis_err *err);

/* Sealed text, for a TEXT column (PostgreSQL's version bodies, the
 * answers kept for idempotency keys): "sealed:GEN:" and the hex of the
 * generation (4 bytes) and the value sealed with "TABLE|ID|VERSION" as
 * associated data. *out is ctis_malloc'd, NUL-terminated. Opening gives
 * CTIS_EKEY without the key, CTIS_ECORRUPT when it does not open (the
 * message names table and id, never the text). */
int store_text_is_sealed(const char *text);
/* The id an answer kept for an idempotency key is sealed under: "USER\nKEY"
 * (ctis_malloc'd). */
int store_idem_id(const char *user, const char *key, char **out,
                  struct ctis_err *err);
int store_seal_text(struct store *st, const char *table, const char *id,
                    long version, const char *text, char **out,
                    struct ctis_err *err);
int store_open_text(struct store *st, const char *table, const char *id,
                    long version, const char *text, char **out,
                    struct ctis_err *err);
/* Bytes as lower-case hex, appended to b; hex text into dst (cap bytes):
 * its length, or -1 when it is not hex or does not fit. */
int store_hex(struct ctis_buf *b, const unsigned char *d, size_t n);
long store_unhex(const char *s, unsigned char *dst, size_t cap);

/* The blind index values of p (name parts, their phonetic keys, birth
 * year) with key k, each once, at most STORE_BLIND_MAX (store.h) into
 * out; returns how many. */
size_t store_blind_person(const struct seal_key *k,
                          const struct model_person *p,
                          unsigned char out[][SEAL_BLIND_BYTES]);
/* The same without the birth year: the first values store_blind_person
 * writes (its name parts and their phonetic keys). */
size_t store_blind_names(const struct seal_key *k,
                         const struct model_person *p,
                         unsigned char out[][SEAL_BLIND_BYTES]);
/* 0 when a backend reading cases for store_each_linkable_case should
 * leave case_id's identity closed (not open it); 1 otherwise, and
 * always outside that call. */
int store_wants_identity(const struct store *st, const char *case_id);
/* The query's name parts as blind values: for part i, out[2i] its
 * normalised form, out[2i+1] its phonetic key; returns the number of
 * parts (at most STORE_BLIND_MAX / 2). With k NULL (a clear database),
 * parts/keys go to text instead. */
#define STORE_PART_MAX 64
size_t store_query_parts(const char *name, char parts[][STORE_PART_MAX],
                         char keys[][STORE_PART_MAX], size_t max);
/* A search in progress, and the callback that re-checks each candidate
 * (store_person_matches: a blind value may collide) before passing it to
 * fn. A backend's find runs on sealed databases only; store.c scans a
 * clear one. */
struct store_find {
    const struct store_person_query *q;
    store_case_fn fn;
    void *ctx;
};
int store_find_candidate(void *ctx, const struct model_case *c);
/* The blind values a search for q looks up, under every key the handle
 * has: names (a person holding any is a candidate, at most
 * STORE_QUERY_BLINDS) and, when q has a birth year, year (at most 2; the
 * candidate must hold one of them too). When which is not NULL,
 * which[i] tells what names[i] is: STORE_QUERY_PHON set for a phonetic
 * key (else the part's text), and the query part's index (below
 * STORE_QUERY_PARTS) in the other bits. */
#define STORE_QUERY_BLINDS 32
#define STORE_QUERY_PARTS (STORE_QUERY_BLINDS / 4)
#define STORE_QUERY_PHON 0x80
void store_query_blinds(struct store *st, const struct store_person_query *q,
                        unsigned char names[][SEAL_BLIND_BYTES],
                        unsigned char *which, size_t *n_names,
                        unsigned char year[][SEAL_BLIND_BYTES],
                        size_t *n_year);
/* Ranking a sealed search's candidates (store_seal.c, both backends): a
 * backend looks up the query's name values and gives each (rid, which)
 * it met as a store_hit, which being store_query_blinds' which[] of the
 * value; store_rank_hits makes one candidate per rid with the bound of
 * its weight, best first, and the backend opens them in that order until
 * q->enough says no remaining one can enter the hits. */
struct store_hit {
    long long rid;
    unsigned char which;
};
struct store_hits {
    struct store_hit *v;
    size_t n;
    size_t cap;
};
struct store_cand {
    long long rid;
    double bound;
};
/* Append a hit; CTIS_ENOMEM (h unchanged) when out of memory. */
int store_hits_add(struct store_hits *h, long long rid, unsigned char which);
/* The candidates of the h->n hits for q, whose name values' which[] are
 * the n_which of store_query_blinds: one per rid, within year (n_year
 * rids in ascending order) when year is not NULL; each bound is, over
 * the query's parts, w_text when the best value meeting the part was its
 * text, w_phon when its phonetic key, w_none when none, plus w_bonus;
 * best bound first, then by rid. Sorts h->v in place. OUT: *out
 * (ctis_malloc'd, the caller's to ctis_free; NULL when none) and *n_out.
 * 0, or CTIS_ENOMEM with err set. */
int store_rank_hits(const struct store_person_query *q,
                    const unsigned char *which, size_t n_which,
                    struct store_hits *h, const long long *year,
                    size_t n_year, struct store_cand **out, size_t *n_out,
                    struct ctis_err *err);
/* A case version body (JSON) without the person's identifying fields
 * (model/'s list), ctis_malloc'd; NULL on out of memory or a body that is
 * not JSON (an erasure then drops it whole). */
char *store_strip_identity(const char *body);
/* 1 when person p is a candidate for query q by the rule of
 * store_find_persons (clear databases; re-checking opened candidates). */
int store_person_matches(const struct model_person *p,
                         const struct store_person_query *q);

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

/* A new PostgreSQL database restored from a dump (pg_dump.c). */
int store_pg_restore(const char *url, store_restore_fn fn, void *ctx,
                     struct ctis_err *err);
/* Open the PostgreSQL database named by a postgresql:// URL (pg.c). */
int store_pg_open(struct store **out, const char *url, int flags,
                  struct ctis_err *err);

/* ---- the SQLite backend ------------------------------------------------ */

/* Prepared statements cached in the handle, prepared on first use. */
enum sq_stmt {
    SQ_AGENCY_PUT, SQ_AGENCY_EXISTS,
    SQ_CASE_PUT, SQ_CASE_DEL_EVENTS, SQ_PERSON_PUT,
    SQ_CASE_EXISTS, SQ_CASE_GET, SQ_EVENTS_GET,
    SQ_CC_PUT, SQ_CC_DEL_OFF, SQ_CC_DEL_VIC, SQ_CC_DEL_EV, SQ_OFFENDER_PUT,
    SQ_CC_OFF_PUT, SQ_CC_VIC_PUT, SQ_CE_PUT,
    SQ_CC_OFF_GET, SQ_CC_VIC_GET, SQ_CE_GET,
    SQ_ACTIVITY_PUT, SQ_INS_PUT, SQ_INS_DEL_PARTIES, SQ_INS_PARTY_PUT,
    SQ_INS_PARTIES_GET, SQ_BEGIN, SQ_COMMIT, SQ_ROLLBACK,
    SQ_EXISTS_CC, SQ_EXISTS_OFFENDER, SQ_EXISTS_ACTIVITY, SQ_EXISTS_INS,
    SQ_COUNT_ADD, SQ_VERSION_PUT, SQ_VERSION_CUR, SQ_BIDX_DEL, SQ_BIDX_PUT,
    SQ_BIDX_LIST, SQ_CASE_ADD, SQ_COUNT
};

/* Rows written by one multi-row INSERT (sq_rows_stmt): a case's events
 * (callgrind, 20,000 cases: 2.6% fewer instructions for the import than
 * one INSERT per event; a person's blind indexes the same way cost 5%
 * more: they go SQ_BIDX_ROWS at a time across persons instead,
 * sq_bidx_flush). */
enum sq_rows { SQ_ROWS_EVENT, SQ_ROWS_COUNT };
#define SQ_ROWS_MAX 8

struct sq_count;

/* A blind index row waiting for sq_bidx_flush. */
struct sq_bidx_row {
    unsigned char h[SEAL_BLIND_BYTES];
    sqlite3_int64 rid;
};

/* Blind index rows written by one INSERT of sq_bidx_flush, and the rows
 * that may wait before it is called by the put itself (384 KiB). */
#define SQ_BIDX_ROWS 32
#define SQ_BIDX_PENDING 16384

struct store_sqlite {
    struct store base;
    sqlite3 *db;
    char *path;                   /* for messages; owned */
    sqlite3_stmt *stmt[SQ_COUNT]; /* cache; NULL until first use */
    sqlite3_stmt *rows_stmt[SQ_ROWS_COUNT][SQ_ROWS_MAX]; /* [w][n - 1] */
    int version;                  /* schema version after migrations */
    struct sq_count *counts;      /* pending counter deltas (hash table) */
    size_t count_cap;             /* slots, a power of two, or 0 */
    size_t count_len;             /* slots in use */
    int checkpoint;               /* after commit: checkpoint and truncate
                                     the WAL (an erasure leaves no old
                                     page image behind) */
    struct sq_bidx_row *bidx;     /* pending blind index rows */
    size_t bidx_len;              /* rows in bidx */
    size_t bidx_cap;              /* rows bidx has room for */
    sqlite3_int64 bidx_lo;        /* the least and the greatest rid of */
    sqlite3_int64 bidx_hi;        /* the pending rows (when bidx_len) */
    sqlite3_stmt *bidx_many;      /* INSERT of SQ_BIDX_ROWS rows; NULL
                                     until first use */
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
/* The cached INSERT of n rows (1 to SQ_ROWS_MAX) of kind w, reset, its
 * parameters numbered row by row (row k's first is k * columns + 1);
 * NULL with err set on failure. Borrowed from the handle. */
sqlite3_stmt *sq_rows_stmt(struct store_sqlite *s, enum sq_rows w, size_t n,
                           struct ctis_err *err);
/* The number of columns of one row of kind w. */
int sq_rows_columns(enum sq_rows w);
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
/* Append the events of the case of row rid to c (sqlite_get.c). */
int sq_read_events(struct store_sqlite *s, sqlite3_int64 rid,
                   struct model_case *c, struct ctis_err *err);
/* Migration 6's fill (migrate_sqlite.c): status and stage of every case
 * that has no stage, from its events, in batches that each commit. */
int sq_fill_stages(struct store_sqlite *s, struct ctis_err *err);
int sq_put_new_case(struct store *st, const struct model_case *c,
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
int sq_get_case_ex(struct store *st, const char *id, struct model_case *out,
                   int with_identity, struct ctis_err *err);
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
int sq_each_idem(struct store *st, store_idem_fn fn, void *ctx,
                 struct ctis_err *err);
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
/* Sealing (sqlite_seal.c). */
int sq_load_wraps(struct store *st, struct seal_wrap **out, int *n,
                  struct ctis_err *err);
int sq_put_wrap(struct store *st, const struct seal_wrap *w,
                struct ctis_err *err);
int sq_del_wraps(struct store *st, const char *kek_id, int gen,
                 struct ctis_err *err);
int sq_reindex_batch(struct store *st, int gen, long batch, long *done,
                     struct ctis_err *err);
int sq_names_stale(struct store *st, int *out, struct ctis_err *err);
int sq_reseal_batch(struct store *st, int from_gen, long batch, long *done,
                    struct ctis_err *err);
int sq_find(struct store *st, const struct store_person_query *q,
            store_case_fn fn, void *ctx, struct ctis_err *err);
int sq_erase(struct store *st, const char *case_id, const char *by,
             const char *reason, struct ctis_err *err);
int sq_snapshot(struct store *st, store_snapshot_fn fn, void *ctx,
                struct ctis_err *err);
int sq_blind_rows(struct store *st, int gen,
                  int (*fn)(void *ctx, const unsigned char *h,
                            const char *case_id),
                  void *ctx, struct ctis_err *err);
/* Delete the blind index rows of case rid that its person row lists
 * (person_identity.bidx), by their key; call before the person row is
 * rewritten. Pending rows are written first. */
int sq_bidx_drop(struct store_sqlite *s, sqlite3_int64 rid,
                 struct ctis_err *err);
/* Add the n blind index rows h of case rid (a sealed database only),
 * the values its person row lists: they wait in memory (s->bidx) until
 * sq_bidx_flush. */
int sq_bidx_add(struct store_sqlite *s, sqlite3_int64 rid,
                const unsigned char *h, size_t n, struct ctis_err *err);
/* Write the pending blind index rows into person_bidx, inside the open
 * transaction, SQ_BIDX_ROWS to a statement: before the commit and before
 * anything reads or deletes person_bidx. On failure the caller must roll
 * back. */
int sq_bidx_flush(struct store_sqlite *s, struct ctis_err *err);
/* Forget the pending rows (rollback, close). */
void sq_bidx_clear(struct store_sqlite *s);

/* Aggregates (sqlite_query.c). */
int sq_put_person_links(struct store *st, const char *const *case_ids,
                        const long *persons, size_t n, struct ctis_err *err);
int sq_each_person_link(struct store *st, int from_year, int to_year,
                        store_link_fn fn, void *ctx, struct ctis_err *err);
int sq_query(struct store *st, enum store_query q, int from_year,
             int to_year, struct store_table *out, struct ctis_err *err);

#endif
