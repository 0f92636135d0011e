/*
 * pg_int.h - private to the PostgreSQL backend (store/pg*.c): the handle,
 * the write buffer, and the helpers its files share.
 *
 * Writes are buffered (pg_put.c): each put appends rows in COPY text
 * format to one buffer per staging table and returns; a flush (before any
 * read, when the buffer is large, and at commit) sends the buffers with
 * COPY into session-local staging tables and merges them into the real
 * tables with INSERT ... ON CONFLICT, in id order so that two writers
 * take their row locks in the same order. Within one batch an id appears
 * once per kind: putting an id that is already buffered flushes first. A
 * flush made because the buffer is full sends the merge without waiting
 * for it (the client parses the next batch meanwhile); its result is read
 * before anything else is sent, and a flush before a read or at commit
 * waits.
 *
 * The buffers of every batch of the open transaction are kept (up to
 * PG_REPLAY_MAX bytes) so that the whole transaction can be replayed after
 * a deadlock, a serialisation failure or a lost connection: every write is
 * an upsert and no write deletes a record, so replaying is safe.
 */
#ifndef CTIS_PG_INT_H
#define CTIS_PG_INT_H

#include <libpq-fe.h>

#include "store/store_int.h"

/* Staging tables, in merge order (parents before children). */
enum pg_stage {
    PG_S_AGENCY, PG_S_CASE, PG_S_EVENT, PG_S_RESCUE, PG_S_REPAT,
    PG_S_CC, PG_S_CC_OFF, PG_S_CC_VIC,
    PG_S_CRIM_EVENT, PG_S_ACTIVITY, PG_S_INSTRUMENT, PG_S_PARTY,
    PG_S_VERSION,
    /* In a sealed database, the ids of the cases whose versions have a
     * body: numbered by the merge, their rows never staged (pg_seal.c). */
    PG_S_VID,
    /* Client-only, in a sealed database: identities and case versions
     * with their bodies, sealed when the batch's rows are numbered and
     * then copied into their tables (pg_seal.c). */
    PG_S_IDENT, PG_S_BODY,
    PG_S_COUNT
};

/* pg_seal_batch's rows: of person_identity (new cases), s_seal (cases
 * that existed), person_bidx and record_version. */
enum { PG_O_FRESH, PG_O_SEAL, PG_O_BIDX, PG_O_VERS };

/* Buffered bytes that trigger a flush, and the most kept for replay. */
#define PG_FLUSH_BYTES (8u << 20)
#define PG_REPLAY_MAX ((size_t)256 << 20)
/* Rows of person_bidx a page of pg_blind_rows reads: a few megabytes of
 * result at a time, whatever the size of the store. */
#define PG_BLIND_PAGE ((size_t)20000)

/* Where each buffer stood at the end of one flushed batch. */
struct pg_mark {
    size_t off[PG_S_COUNT];
};

/* A set of strings (ids buffered in the current batch, agencies known to
 * exist); keys live in an arena. */
struct pg_set {
    char **slots;
    size_t cap;
    size_t len;
    struct ctis_arena arena;
};

struct store_pg {
    struct store base;
    PGconn *conn;
    char *url;        /* owned; passed to libpq only, never printed */
    char where[192];  /* "host:port/dbname" for messages */
    int version;
    int staging;      /* staging tables exist in this session */
    long ord;         /* put counter: later puts win within a batch */
    struct ctis_buf buf[PG_S_COUNT];
    /* the rows pg_seal_batch makes (PG_O_*), kept for their memory */
    struct ctis_buf out[4];
    size_t flushed[PG_S_COUNT]; /* buf[i] up to here is in the database */
    struct pg_mark *marks;      /* one per flushed batch, for replay */
    size_t n_marks;
    size_t cap_marks;
    int replayable;   /* the whole transaction is still in buf */
    size_t flush_bytes; /* PG_FLUSH_BYTES, or $CTIS_PG_FLUSH_BYTES */
    size_t replay_max;  /* PG_REPLAY_MAX, or $CTIS_PG_REPLAY_BYTES */
    size_t blind_page;  /* rows a page of pg_blind_rows reads:
                           PG_BLIND_PAGE, or $CTIS_PG_BLIND_PAGE */
    size_t sent;      /* bytes merged by this transaction */
    int busy;         /* a merge was sent and its result not yet read */
    int bidx_defer;   /* PG_BIDX_*: person_bidx's indexes this transaction */
    PGresult *cases_agg; /* every case table of one period (pg_get.c) */
    int agg_lo;       /* its period */
    int agg_hi;
    double agg_at;    /* when it was read (ctis_now) */
    struct pg_set pending; /* kind letter + id, for the current batch */
    struct pg_set agencies; /* agencies known to exist */
    char token[64];   /* marks this transaction's commit (ctis_txn) */
};

/* Set err from a failed result or connection: CTIS_ECONN when the
 * connection is gone, CTIS_ECONFLICT for serialisation failures and
 * deadlocks, CTIS_EINTERNAL otherwise. The message starts with what and
 * names the server (never the password). res may be NULL. */
int pg_fail(struct store_pg *p, PGresult *res, const char *what,
            struct ctis_err *err);
/* Nonzero when the last failure may be cured by replaying the
 * transaction (deadlock, serialisation failure, lost connection). */
int pg_retryable(int code);
/* Read the result of a merge sent without waiting (pg_put.c sends one
 * and goes on buffering the next batch while the server works); 0 when
 * none is pending. pg_exec and pg_query call it first. */
int pg_wait(struct store_pg *p, struct ctis_err *err);
/* Run SQL expecting no rows (several statements allowed). */
int pg_exec(struct store_pg *p, const char *sql, const char *what,
            struct ctis_err *err);
/* Run one statement with text parameters; *out owns the result
 * (PQclear) on success. */
int pg_query(struct store_pg *p, const char *sql, int n,
             const char *const *params, PGresult **out, const char *what,
             struct ctis_err *err);
/* Reconnect after a lost connection (waiting a little for a restarting
 * server), then, inside a transaction, begin again and replay it. */
int pg_recover(struct store_pg *p, struct ctis_err *err);
/* Abandon the transaction after a failure: roll back, clear the buffers,
 * say so in err. Returns rc. */
int pg_abort(struct store_pg *p, int rc, struct ctis_err *err);

/* Migration 6's fill (pg_fill.c): status, stage and facts of every case
 * without a stage or with a superseded event, from its events, in
 * batches that each commit; done once (the backfill marker). */
int pg_fill_stages(struct store_pg *p, struct ctis_err *err);

/* The event of a result row: columns 1 to 9 type, date, from_country,
 * to_country, official, service, referral, eid, supersedes (pg_get.c). */
void pg_event_at(PGresult *r, int row, struct model_event *e);

/* Column helpers: a NULL reads as "" / def. */
void pg_text(PGresult *r, int row, int col, char *dst, size_t n);
long pg_long(PGresult *r, int row, int col, long def);

/* String sets (pg_put.c). */
void pg_set_init(struct pg_set *s);
void pg_set_clear(struct pg_set *s);
/* 1 if present, 0 if not. */
int pg_set_has(const struct pg_set *s, char kind, const char *id);
/* 0 or CTIS_ENOMEM. */
int pg_set_add(struct pg_set *s, char kind, const char *id);

/* Buffered writes (pg_put.c). */
int pg_put_agency(struct store *st, const struct model_agency *a,
                  struct ctis_err *err);
int pg_put_case(struct store *st, const struct model_case *c,
                struct ctis_err *err);
int pg_put_criminal_case(struct store *st,
                         const struct model_criminal_case *cc,
                         struct ctis_err *err);
int pg_put_activity(struct store *st, const struct model_activity *a,
                    struct ctis_err *err);
int pg_put_instrument(struct store *st, const struct model_instrument *in,
                      struct ctis_err *err);
int pg_add_event(struct store *st, const char *case_id,
                 const struct model_event *e, struct ctis_err *err);
/* Send the buffered batch to the database and wait for every merge sent
 * so far. Retries a deadlock or serialisation failure by replaying. */
int pg_flush(struct store_pg *p, struct ctis_err *err);
/* Send every kept batch again (after a fresh BEGIN). */
int pg_replay(struct store_pg *p, struct ctis_err *err);
/* Forget the buffers (after commit or rollback). */
void pg_reset_buffers(struct store_pg *p);

/* History, users, referrals, read transactions (pg_hist.c). */
int pg_begin_read(struct store *st, struct ctis_err *err);
void pg_end_read(struct store *st);
int pg_lock(struct store *st, int kind, const char *id,
            struct ctis_err *err);
int pg_add_version(struct store *st, const struct store_version_in *v,
                   struct ctis_err *err);
int pg_current_version(struct store *st, int kind, const char *id,
                       long *out, int *has_body, struct ctis_err *err);
int pg_fill_version(struct store *st, int kind, const char *id, long version,
                    const char *body, struct ctis_err *err);
int pg_each_version(struct store *st, int kind, const char *id,
                    store_version_fn fn, void *ctx, struct ctis_err *err);
int pg_put_user(struct store *st, const struct store_user *u,
                struct ctis_err *err);
int pg_get_user(struct store *st, const char *username,
                struct store_user *out, struct ctis_err *err);
int pg_each_user(struct store *st, store_user_fn fn, void *ctx,
                 struct ctis_err *err);
int pg_add_referral(struct store *st, const struct store_referral *r,
                    long *id, struct ctis_err *err);
int pg_decide_referral(struct store *st, long id, int state,
                       const char *actor, long at, struct ctis_err *err);
int pg_each_referral(struct store *st, const struct store_referral_filter *f,
                     store_referral_fn fn, void *ctx, struct ctis_err *err);
/* The COPY text helpers of pg_put.c, for pg_hist.c's buffered rows. */
int pg_f_text(struct ctis_buf *b, const char *s);
int pg_f_long(struct ctis_buf *b, long v);
int pg_f_end(struct ctis_buf *b);
/* Flush first when (kind, id) is in the batch already or it is full. */
int pg_make_room(struct store_pg *p, char kind, const char *id,
                 struct ctis_err *err);

/* Readers and aggregates (pg_get.c). */
int pg_exists(struct store *st, enum store_kind kind, const char *id,
              struct ctis_err *err);
int pg_count(struct store *st, enum store_kind kind, long *out,
             struct ctis_err *err);
int pg_get_case(struct store *st, const char *id, struct model_case *out,
                struct ctis_err *err);
int pg_each_case(struct store *st, const struct store_case_filter *f,
                 store_case_fn fn, void *ctx, struct ctis_err *err);
/* The cases of the n rids (at most PG_FIND_BATCH) in one query with their
 * events, in the order of rids (a rid without a case is skipped). Before
 * the identity of rids[i] is opened, go(ctx, i) says whether to: 1 opens
 * it and passes the case to fn, 0 ends the reading (returns 0); so no
 * identity is opened past the point the caller stops at. */
#define PG_FIND_BATCH 64
int pg_each_case_of_rids(struct store *st, const long long *rids, size_t n,
                         int (*go)(void *ctx, size_t i), store_case_fn fn,
                         void *ctx, struct ctis_err *err);
int pg_each_agency(struct store *st, store_agency_fn fn, void *ctx,
                   struct ctis_err *err);
int pg_each_criminal_case(struct store *st, store_criminal_case_fn fn,
                          void *ctx, struct ctis_err *err);
int pg_each_activity(struct store *st, store_activity_fn fn, void *ctx,
                     struct ctis_err *err);
int pg_each_instrument(struct store *st, store_instrument_fn fn, void *ctx,
                       struct ctis_err *err);
/* Record linkage results (pg_link.c). */
int pg_put_person_links(struct store *st, const char *const *case_ids,
                        const long *persons, size_t n, struct ctis_err *err);
int pg_each_person_link(struct store *st, int from_year, int to_year,
                        store_link_fn fn, void *ctx, struct ctis_err *err);
int pg_audit_head(struct store *st, long *seq, char hash[65],
                  struct ctis_err *err);
int pg_audit_insert(struct store *st, const struct store_audit *e, size_t n,
                    struct ctis_err *err);
int pg_each_audit(struct store *st, const struct store_audit_filter *f,
                  store_audit_fn fn, void *ctx, struct ctis_err *err);
int pg_idem_get(struct store *st, const char *user, const char *key,
                long since, int *status, struct ctis_buf *body,
                char *location, size_t location_n, char *etag,
                size_t etag_n, struct ctis_err *err);
int pg_idem_put(struct store *st, const char *user, const char *key, long at,
                int status, const char *body, const char *location,
                const char *etag, struct ctis_err *err);
int pg_each_idem(struct store *st, store_idem_fn fn, void *ctx,
                 struct ctis_err *err);
int pg_get_monitoring(struct store *st, const char *agency, int *days,
                      struct ctis_err *err);
int pg_put_monitoring(struct store *st, const char *agency, int days,
                      struct ctis_err *err);
int pg_get_must_change(struct store *st, const char *username, int *out,
                       struct ctis_err *err);
int pg_set_must_change(struct store *st, const char *username, int on,
                       struct ctis_err *err);

/* Sealed identities (pg_seal.c). */
/* Open the sealed identity in column col of row (col + 1 its key_gen,
 * col + 2 the case's rev) into out; a NULL leaves out as it is. */
int pg_open_identity(struct store_pg *p, PGresult *r, int row, int col,
                     const char *case_id, struct model_person *out,
                     struct ctis_err *err);
/* Append c's identity, or a case version (cols: its at, actor, op and
 * note as COPY text fields) and its body, to a client-only buffer. */
int pg_ident_record(struct ctis_buf *b, const struct model_case *c);
int pg_body_record(struct ctis_buf *b, const char *id, const char *cols,
                   const char *body);
/* person_bidx's indexes in a transaction (pg_seal.c): not yet asked, as
 * they were, or dropped at its first sealed bulk batch to be built again
 * before it commits. */
enum { PG_BIDX_UNDECIDED, PG_BIDX_KEPT, PG_BIDX_DROPPED };

/* At a transaction's first sealed bulk batch, before it writes: when
 * person_bidx is empty, lock it and drop its two indexes, so the batches
 * fill a bare heap and pg_bidx_build sorts the whole lot once. */
int pg_bidx_defer(struct store_pg *p, struct ctis_err *err);
/* Before COMMIT: person_bidx's indexes again if pg_bidx_defer dropped
 * them (a duplicate blind row fails the commit here). */
int pg_bidx_build(struct store_pg *p, struct ctis_err *err);

/* A sealed batch, its staging rows sent: run head (the batch's merges up
 * to s_rid), read the numbers it gave, and run rest (the other merges
 * and the emptying of the staging tables), in one round trip; the client
 * seals the client-only buffers' records [from, to) under the numbers
 * while the server runs rest, then COPYs the sealed rows into their
 * tables (a case that existed through s_seal). With async the last COPY
 * or statement is not waited for (pg_wait reads its result). */
int pg_seal_batch(struct store_pg *p, const char *head, const char *rest,
                  const size_t *from, const size_t *to, int async,
                  struct ctis_err *err);
int pg_load_wraps(struct store *st, struct seal_wrap **out, int *n,
                  struct ctis_err *err);
int pg_put_wrap(struct store *st, const struct seal_wrap *w,
                struct ctis_err *err);
int pg_del_wraps(struct store *st, const char *kek_id, int gen,
                 struct ctis_err *err);
int pg_reindex_batch(struct store *st, int gen, long batch, long *done,
                     struct ctis_err *err);
int pg_names_stale(struct store *st, int *out, struct ctis_err *err);
int pg_reseal_batch(struct store *st, int from_gen, long batch, long *done,
                    struct ctis_err *err);
int pg_find(struct store *st, const struct store_person_query *q,
            store_case_fn fn, void *ctx, struct ctis_err *err);
int pg_erase(struct store *st, const char *case_id, const char *by,
             const char *reason, struct ctis_err *err);
/* store_ops.blind_rows: every row of person_bidx in the order of its
 * value, or 1 when some identity is not indexed under gen alone. */
int pg_blind_rows(struct store *st, int gen,
                  int (*fn)(void *ctx, const unsigned char *h,
                            const char *case_id),
                  void *ctx, struct ctis_err *err);

/* Snapshots (pg_dump.c). */
int pg_snapshot(struct store *st, store_snapshot_fn fn, void *ctx,
                struct ctis_err *err);
/* Create the database of url, which must not exist (CTIS_EEXIST), empty,
 * without migrating it; drop it again after a failed restore (pg.c). */
int pg_create_new(const char *url, struct ctis_err *err);
int pg_drop_new(const char *url, struct ctis_err *err);

int pg_query_agg(struct store *st, enum store_query q, int from_year,
                 int to_year, struct store_table *out, struct ctis_err *err);

#endif
