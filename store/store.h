/*
 * store.h - the whole contract of the storage layer: the only way to the
 * data. Backends (SQLite now, PostgreSQL later) sit behind it; callers never
 * know which one they have.
 *
 * Transactions: every write happens between store_begin and store_commit.
 * A write called outside one fails with CTIS_EINVAL. store_rollback undoes
 * everything since store_begin. Writes are upserts by id: putting a record
 * again replaces it (and a case's events) wholly.
 *
 * Identifying fields of a person (names, birth date, village, contacts) are
 * kept apart from the case facts; aggregate queries never read them.
 */
#ifndef CTIS_STORE_H
#define CTIS_STORE_H

#include <stddef.h>

#include "base/base.h"
#include "model/model.h"

struct store;

enum store_open_flags {
    STORE_OPEN_CREATE = 1 << 0,   /* create the database if absent */
    STORE_OPEN_READONLY = 1 << 1, /* no writes allowed */
    STORE_OPEN_FAST = 1 << 2      /* synchronous=NORMAL (bulk loads, demo) */
};

/* Open the database named by url: a file path (SQLite) or a
 * postgresql:// URL. Applies pending migrations. On success *out owns the
 * handle (close with store_close). Errors: CTIS_ENOTFOUND (no such file and
 * no STORE_OPEN_CREATE), CTIS_EIO, CTIS_ECORRUPT, CTIS_ECONN, CTIS_ENOMEM. */
int store_open(struct store **out, const char *url, int flags,
               struct ctis_err *err);
/* Close the handle, rolling back an open transaction. Accepts NULL. */
void store_close(struct store *st);
/* "sqlite" or "postgresql". */
const char *store_backend(const struct store *st);
/* Schema version after migrations. */
int store_schema_version(struct store *st);

/* Begin, commit or roll back a write transaction. store_rollback accepts a
 * handle with no open transaction and does nothing. */
int store_begin(struct store *st, struct ctis_err *err);
int store_commit(struct store *st, struct ctis_err *err);
void store_rollback(struct store *st);

/* Upserts. The record is copied; the caller keeps ownership. References
 * (a case's agency, a criminal case's victim cases) must exist in the store
 * by commit time: CTIS_ENOTFOUND names the missing id otherwise. */
int store_put_agency(struct store *st, const struct model_agency *a,
                     struct ctis_err *err);
int store_put_case(struct store *st, const struct model_case *c,
                   struct ctis_err *err);
int store_put_criminal_case(struct store *st,
                            const struct model_criminal_case *cc,
                            struct ctis_err *err);
int store_put_activity(struct store *st, const struct model_activity *a,
                       struct ctis_err *err);
int store_put_instrument(struct store *st, const struct model_instrument *in,
                         struct ctis_err *err);
/* Append one event to an existing case (CTIS_ENOTFOUND if none). */
int store_add_event(struct store *st, const char *case_id,
                    const struct model_event *e, struct ctis_err *err);

enum store_kind {
    STORE_AGENCY, STORE_CASE, STORE_CRIMINAL_CASE, STORE_OFFENDER,
    STORE_ACTIVITY, STORE_INSTRUMENT, STORE_EVENT
};

/* 1 if a record of the kind with that id exists, 0 if not, negative on
 * error. */
int store_exists(struct store *st, enum store_kind kind, const char *id,
                 struct ctis_err *err);
/* Number of records of a kind into *out. */
int store_count(struct store *st, enum store_kind kind, long *out,
                struct ctis_err *err);

/* Read one case, its person and its events (sorted by date) into out,
 * which must be initialised; release it with model_case_release.
 * CTIS_ENOTFOUND if no such id. */
int store_get_case(struct store *st, const char *id, struct model_case *out,
                   struct ctis_err *err);

/* Iteration: fn is called once per record in id order, with a record that
 * is valid only during the call. A non-zero return from fn stops the
 * iteration and is returned. */
struct store_case_filter {
    const char *agency;   /* NULL: any */
    int status;           /* enum model_case_status, -1: any */
    long limit;           /* 0: no limit */
};
typedef int (*store_case_fn)(void *ctx, const struct model_case *c);
typedef int (*store_agency_fn)(void *ctx, const struct model_agency *a);
typedef int (*store_criminal_case_fn)(void *ctx,
                                      const struct model_criminal_case *cc);
typedef int (*store_activity_fn)(void *ctx, const struct model_activity *a);
typedef int (*store_instrument_fn)(void *ctx,
                                   const struct model_instrument *in);

int store_each_case(struct store *st, const struct store_case_filter *f,
                    store_case_fn fn, void *ctx, struct ctis_err *err);
int store_each_agency(struct store *st, store_agency_fn fn, void *ctx,
                      struct ctis_err *err);
int store_each_criminal_case(struct store *st, store_criminal_case_fn fn,
                             void *ctx, struct ctis_err *err);
int store_each_activity(struct store *st, store_activity_fn fn, void *ctx,
                        struct ctis_err *err);
int store_each_instrument(struct store *st, store_instrument_fn fn,
                          void *ctx, struct ctis_err *err);

/*
 * Aggregates for the datasheet, computed by the database. Each query fills
 * a table of rows with up to three string keys, a year and two counts.
 * Years are inclusive; from_year/to_year of 0 mean unbounded. Every case
 * table counts cases of any trafficking_status except not_a_victim.
 *
 *  STORE_Q_REPATRIATIONS   key0 from_country, key1 to_country, year,
 *                          n0 distinct cases with an official repatriation
 *                          event of that corridor in that year
 *  STORE_Q_RESCUES         year, key0 referred_to (family, ngo, ministry,
 *                          other, none: the `to` of the first referral on
 *                          or after the case's first rescue in the year),
 *                          n0 cases
 *  STORE_Q_INVESTIGATIONS  key0 kind, n0 criminal cases whose first
 *                          investigation is in the period, n1 distinct
 *                          offenders of those cases
 *  STORE_Q_CONVICTIONS     key0 kind, n0 criminal cases with a conviction
 *                          in the period, n1 distinct offenders convicted
 *  STORE_Q_SOURCE_PROVINCES   key0 home province, n0 cases identified in
 *                          the period with movement internal or
 *                          cross_border_out, descending n0
 *  STORE_Q_DEST_PROVINCES  key0 destination province (internal or
 *                          cross_border_in), descending
 *  STORE_Q_DEST_COUNTRIES  key0 destination country (cross_border_out),
 *                          descending
 *  STORE_Q_SEX_AGE         key0 sex, key1 age group (child, adult,
 *                          unknown) at identification, n0 cases
 *  STORE_Q_EXPLOITATION    key0 exploitation code, n0 cases
 *  STORE_Q_MOVEMENT        key0 movement, n0 cases
 *  STORE_Q_CASES_BY_YEAR   year of identification, n0 cases
 *  STORE_Q_SECTORS         key0 labour sector, n0 cases (forced labour)
 */
enum store_query {
    STORE_Q_REPATRIATIONS, STORE_Q_RESCUES, STORE_Q_INVESTIGATIONS,
    STORE_Q_CONVICTIONS, STORE_Q_SOURCE_PROVINCES, STORE_Q_DEST_PROVINCES,
    STORE_Q_DEST_COUNTRIES, STORE_Q_SEX_AGE, STORE_Q_EXPLOITATION,
    STORE_Q_MOVEMENT, STORE_Q_CASES_BY_YEAR, STORE_Q_SECTORS
};

#define STORE_KEY_MAX 32
struct store_row {
    char key[3][STORE_KEY_MAX];
    int year;
    long n[2];
};

struct store_table {
    struct store_row *rows;
    size_t len;
    size_t cap;
};

/* Empty table; allocates nothing. */
void store_table_init(struct store_table *t);
/* Free the rows. Accepts NULL. */
void store_table_release(struct store_table *t);
/* Append a zeroed row and return it, or NULL on out of memory. */
struct store_row *store_table_add(struct store_table *t);

/* Run one aggregate into out (appended to). */
int store_query(struct store *st, enum store_query q, int from_year,
                int to_year, struct store_table *out, struct ctis_err *err);

/*
 * Record linkage across agencies ('ctis link --from-db --save'): the
 * person each case was found to be. Putting links replaces every earlier
 * link (a write, inside a transaction); a link names a case by id, and a
 * case id that does not exist is CTIS_ENOTFOUND. Links survive a re-put of
 * their case and go with its deletion. They are derived data: 'ctis
 * migrate' does not copy them; link again on the target.
 */
int store_put_person_links(struct store *st, const char *const *case_ids,
                           const long *persons, size_t n,
                           struct ctis_err *err);
/* fn is called once per linked case with its agency and person, ordered
 * by person then agency; a non-zero return stops and is returned. */
typedef int (*store_link_fn)(void *ctx, const char *agency, long person);
int store_each_person_link(struct store *st, store_link_fn fn, void *ctx,
                           struct ctis_err *err);

#endif
