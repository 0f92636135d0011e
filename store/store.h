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
#include "seal/seal.h"

struct store;

enum store_open_flags {
    STORE_OPEN_CREATE = 1 << 0,   /* create the database if absent */
    STORE_OPEN_READONLY = 1 << 1, /* no writes allowed */
    STORE_OPEN_FAST = 1 << 2,     /* synchronous=NORMAL (bulk loads, demo) */
    STORE_OPEN_LEAN = 1 << 3      /* a 2 MiB page cache instead of 64 MiB:
                                     one of many handles of a server, which
                                     leaves caching to the OS */
};

/* Open the database named by url: a file path (SQLite) or a
 * postgresql:// URL. Applies pending migrations. On success *out owns the
 * handle (close with store_close). Errors: CTIS_ENOTFOUND (no such file and
 * no STORE_OPEN_CREATE), CTIS_EARG (empty or unparsable URL), CTIS_EIO,
 * CTIS_ECORRUPT, CTIS_ECONN, CTIS_ENOMEM. A new SQLite file is created
 * owner-only (0600), and so are its -wal and -shm files. */
int store_open(struct store **out, const char *url, int flags,
               struct ctis_err *err);
/* Nonzero when url holds a password ("postgresql://u:pw@h/db",
 * "?password=", "password=" in key=value form). The command line refuses
 * such a URL: any local user can read a process's arguments
 * (docs/deploy.md); the password belongs in PGPASSFILE or ~/.pgpass. */
int store_url_has_password(const char *url);
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

/* A read transaction: every read until store_end_read sees one snapshot,
 * and no write lock is taken, so readers run while another process
 * writes (SQLite WAL readers; PostgreSQL REPEATABLE READ, READ ONLY,
 * which a read-only role or a replica allows). Writes inside one fail
 * with CTIS_EINVAL. Works on a handle opened STORE_OPEN_READONLY.
 * store_end_read accepts a handle with no read transaction. */
int store_begin_read(struct store *st, struct ctis_err *err);
void store_end_read(struct store *st);

/* Serialise read-modify-write of one record: inside a write
 * transaction, wait until no other transaction holds the lock on
 * (kind, id), and hold it until commit or rollback. The record need not
 * exist. A caller that reads a record to write a new version of it takes
 * this lock first, so two such writers never both build on the same old
 * version (SQLite's write lock already serialises writers; PostgreSQL
 * takes a transaction-scoped advisory lock). */
int store_lock(struct store *st, int kind, const char *id,
               struct ctis_err *err);

/* Upserts. The record is copied; the caller keeps ownership. References
 * (a case's agency, a criminal case's victim cases) must exist in the store
 * by commit time: CTIS_ENOTFOUND names the missing id otherwise. */
int store_put_agency(struct store *st, const struct model_agency *a,
                     struct ctis_err *err);
int store_put_case(struct store *st, const struct model_case *c,
                   struct ctis_err *err);

/* A person's blind index values made ahead of its put, off the thread
 * that writes (io/import.c makes them on its parser thread): they depend
 * only on the key and the person. Keyed hashes, nothing identifying
 * without the key. */
#define STORE_BLIND_MAX 48
struct store_blind {
    const struct seal_key *key; /* made with this key; NULL: none made */
    char id[MODEL_ID_MAX];      /* of this case's person */
    size_t n;
    unsigned char h[STORE_BLIND_MAX][SEAL_BLIND_BYTES];
};
/* The key the handle's puts seal with, for store_prepare_person; NULL on
 * a clear database or without a key. Call on the handle's thread; the key
 * stays valid while the handle is open and no rotation starts. */
const struct seal_key *store_blind_key(struct store *st);
/* The blind values of c's person with k into out (out->n 0 and out->key
 * NULL when k is NULL). Only reads k and c: safe on any thread. */
void store_prepare_person(const struct seal_key *k, const struct model_case *c,
                          struct store_blind *out);
/* Until called again (b NULL), a put of case b->id uses b's values, made
 * by store_prepare_person from the person it puts (the caller's promise:
 * the same person, unchanged since), instead of making them; values made
 * with another key than the put seals with are made anew. b stays the
 * caller's. */
void store_use_blind(struct store *st, const struct store_blind *b);
/* Write c if no case has its id yet, the cheapest way the backend has (a
 * bulk import of new cases): 1 when written, 0 when nothing was written,
 * because the id exists or the backend has no such fast path (then use
 * store_put_case); negative on error. */
int store_put_new_case(struct store *st, const struct model_case *c,
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

/*
 * Versions (the history of a record). Every change to an agency, case,
 * criminal case, offender, activity or instrument appends one row: the
 * version number (1, 2, ... per kind and id, given by the store as one
 * more than the last), when, who, through which operation, a short note
 * and the record as it was after the change (body: the JSON line that
 * ops/ wrote; NULL for the rows migration 3 made for records that existed
 * before history was kept, and on SQLite for the latest version of a case,
 * whose state is the live record until store_fill_version records it).
 * Rows are never deleted, and only a missing body is ever filled in.
 *
 * The body holds a person's identifying fields: a backend that seals
 * identities at rest (issue 12) must seal it like person_identity.
 */
struct store_version_in {
    int kind;            /* enum store_kind */
    const char *id;
    long at;             /* seconds since 1970 */
    const char *actor;   /* user name, or "" */
    const char *op;      /* "case.add", "import", ... */
    const char *note;    /* "to=ngo-2 consent=given", or "" */
    const char *body;    /* NUL-terminated JSON, or NULL */
    /* When known is 1, current is the last version number of (kind, id),
     * read with store_current_version in this write transaction (or 0
     * for a record store_put_new_case just wrote), and the store numbers
     * the row current + 1 without looking it up; should that number be
     * taken, it looks the last one up after all. */
    int known;
    long current;
};
struct store_version {
    long version;
    long at;
    char actor[64];
    char op[32];
    char note[160];
    const char *body;    /* borrowed during the callback; NULL if none */
};
/* Append a version row inside a write transaction. The number is
 * assigned by the store: read it back with store_current_version. */
int store_add_version(struct store *st, const struct store_version_in *v,
                      struct ctis_err *err);
/* The last version number of (kind, id) into *out, 0 when it has none;
 * *has_body (may be NULL) is 1 when that row holds a body. */
int store_current_version(struct store *st, int kind, const char *id,
                          long *out, int *has_body, struct ctis_err *err);
/* Nonzero when the latest version of a case may be written without its
 * body (which is then the live record) and filled in by the next writer
 * with store_fill_version: SQLite, where reading inside the write
 * transaction costs microseconds, so an import of new cases writes no
 * second copy of each. PostgreSQL buffers writes and a read costs a round
 * trip: there every version carries its body. */
int store_versions_lazy(const struct store *st);
/* Give version `version` of (kind, id) its body, when it has none (a
 * write; the one update a version row ever gets). */
int store_fill_version(struct store *st, int kind, const char *id,
                       long version, const char *body, struct ctis_err *err);
/* fn once per version of (kind, id), oldest first; a non-zero return
 * stops and is returned. */
typedef int (*store_version_fn)(void *ctx, const struct store_version *v);
int store_each_version(struct store *st, int kind, const char *id,
                       store_version_fn fn, void *ctx, struct ctis_err *err);

/*
 * Users of the system (ops/ checks their role and agency). The password
 * hash is libsodium's crypto_pwhash_str (argon2id) text, "" when the user
 * has none (a local user of the command line). Putting a user replaces
 * it by username.
 */
struct store_user {
    char username[64];
    char agency[MODEL_ID_MAX];  /* "" for none (admins, analysts) */
    int role;                   /* enum ops_role (ops.h) */
    int disabled;
    char password_hash[128];
    long created;               /* seconds since 1970 */
};
int store_put_user(struct store *st, const struct store_user *u,
                   struct ctis_err *err);
/* CTIS_ENOTFOUND when there is no such user. */
int store_get_user(struct store *st, const char *username,
                   struct store_user *out, struct ctis_err *err);
typedef int (*store_user_fn)(void *ctx, const struct store_user *u);
int store_each_user(struct store *st, store_user_fn fn, void *ctx,
                    struct ctis_err *err);

/*
 * Referrals of a case's person to another agency for a service. Added
 * pending; the receiving agency accepts or declines it once.
 */
enum store_referral_state { STORE_REF_PENDING, STORE_REF_ACCEPTED,
                            STORE_REF_DECLINED };
struct store_referral {
    long id;                         /* given by the store */
    char case_id[MODEL_ID_MAX];
    char from_agency[MODEL_ID_MAX];
    char to_agency[MODEL_ID_MAX];
    int service;                     /* enum model_service */
    int state;                       /* enum store_referral_state */
    long at;
    char actor[64];
    long decided_at;                 /* 0 while pending */
    char decided_by[64];
};
/* Insert r pending and give its id in *id: the next one, or r->id when
 * it is above 0 (a copy of another store's referral, ctis migrate; an id
 * that is taken fails, and later ids given by the store follow it). */
int store_add_referral(struct store *st, const struct store_referral *r,
                       long *id, struct ctis_err *err);
/* Record the decision on a pending referral: CTIS_ENOTFOUND when there is
 * no such referral, CTIS_ECONFLICT when it was decided already. */
int store_decide_referral(struct store *st, long id, int state,
                          const char *actor, long at, struct ctis_err *err);
/* Referrals matching every non-empty field of the filter (id > 0, case
 * id, receiving agency, state >= 0), in id order. */
struct store_referral_filter {
    long id;
    const char *case_id;
    const char *to_agency;
    int state;
};
typedef int (*store_referral_fn)(void *ctx, const struct store_referral *r);
int store_each_referral(struct store *st,
                        const struct store_referral_filter *f,
                        store_referral_fn fn, void *ctx,
                        struct ctis_err *err);

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
    /* Zero in each of these means any (so older initialisers that name
     * only the fields above keep meaning "every case"). */
    int movement;         /* 1 + enum model_movement; 0: any */
    const char *province; /* home province "KH-n"; NULL: any */
    int year;             /* year of identification; 0: any */
    long offset;          /* skip this many matching cases first */
    int no_identity;      /* 1: identifying fields left empty, so a
                             sealed database needs no key (public
                             exports); the person's age is then the
                             stored age at identification and the
                             birth year 0, so model_age_at gives the
                             same age as with the birth date */
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
/* fn is called once per linked case identified in the period (years,
 * inclusive, 0 unbounded; with a bound, a case without an identification
 * date is outside) with its agency and person, ordered by person then
 * agency; a non-zero return stops and is returned. */
typedef int (*store_link_fn)(void *ctx, const char *agency, long person);
int store_each_person_link(struct store *st, int from_year, int to_year,
                           store_link_fn fn, void *ctx,
                           struct ctis_err *err);

/*
 * The audit trail (migration 4): who did what to which record, from
 * where; never a value of the record. Entries are numbered 1, 2, ... by
 * the store and chained: each holds the SHA-256 of the previous entry
 * (prev) and its own (hash, over its number, its fields and prev), and a
 * head row holds the last number and hash. Appends happen inside the
 * caller's write transaction, so an entry commits with the write it
 * describes (or with a batch of read entries); appends are serialised
 * (SQLite's write lock, a row lock on PostgreSQL's head row), so the
 * chain has no forks. Rows are never updated or deleted by ctis.
 */
struct store_audit {
    long seq;                     /* given by the store */
    long long at;                 /* milliseconds since 1970 (UTC) */
    char user[64];
    char role[24];
    char agency[MODEL_ID_MAX];
    char action[40];              /* "case.update", "case.read", ... */
    char kind[24];                /* "case", "user", ... or "" */
    char record[MODEL_ID_MAX];    /* the record's id, or "" */
    char address[80];             /* the client's IP address, "cli", or
                                     "cli as USER" (--as USER) */
    int status;                   /* the answer: 200, 201, 404, ... */
    char prev[65];                /* hex SHA-256; given by the store */
    char hash[65];
};
/* Append n entries, in order, inside a write transaction: fills each
 * entry's seq, prev and hash. */
int store_audit_append(struct store *st, struct store_audit *e, size_t n,
                       struct ctis_err *err);
/* Entries with seq > after (0: from the first), in seq order, at most
 * limit (0: all), matching every non-empty field of the filter. */
struct store_audit_filter {
    long after;
    long limit;
    const char *user;
    const char *record;
    const char *action;
};
typedef int (*store_audit_fn)(void *ctx, const struct store_audit *e);
int store_each_audit(struct store *st, const struct store_audit_filter *f,
                     store_audit_fn fn, void *ctx, struct ctis_err *err);
/* Walk the chain from the first entry: 0 when intact (*checked entries),
 * CTIS_ECORRUPT with a message naming the first entry that was altered,
 * deleted or moved, and its number in *bad (0 when the tail was cut). */
int store_audit_verify(struct store *st, long *checked, long *bad,
                       struct ctis_err *err);
/* The hash of entry e given its prev (64 hex digits + NUL into out). */
void store_audit_hash(const struct store_audit *e, char out[65]);

/*
 * State the API server keeps beside the records (migration 4): answers
 * to idempotent creates, by user and key (store_idem_get gives 1 and the
 * answer when one was kept after `since`, seconds since 1970, else 0),
 * and each agency's monitoring interval in days (CTIS_ENOTFOUND when the
 * agency set none). Puts are writes.
 */
int store_idem_get(struct store *st, const char *user, const char *key,
                   long since, int *status, struct ctis_buf *body,
                   char *location, size_t location_n, char *etag,
                   size_t etag_n, struct ctis_err *err);
int store_idem_put(struct store *st, const char *user, const char *key,
                   long at, int status, const char *body,
                   const char *location, const char *etag,
                   struct ctis_err *err);
int store_get_monitoring(struct store *st, const char *agency, int *days,
                         struct ctis_err *err);
int store_put_monitoring(struct store *st, const char *agency, int days,
                         struct ctis_err *err);
/* Whether a user must change its password at the next login (*out 0 or
 * 1), and setting it (a write). */
int store_get_must_change(struct store *st, const char *username, int *out,
                          struct ctis_err *err);
int store_set_must_change(struct store *st, const char *username, int on,
                          struct ctis_err *err);

/*
 * Sealed identities (docs/security.md). A database is sealed once it has
 * a data key (store_key_init): from then on every person's identifying
 * fields (model_identity_fields) are stored as one sealed value per case
 * version, with blind indexes for search, and reading or writing them
 * needs the key: store_unlock first, else CTIS_EKEY. Aggregates, links,
 * agencies and case facts never need it. A database without a key keeps
 * identities in clear (databases made before sealing existed);
 * store_key_init seals it.
 *
 * The functions marked "own transactions" must be called outside a
 * transaction and commit in batches, so a crash loses at most one batch
 * of work and calling again resumes.
 */

/* 1 when the database has a data key (identities sealed). */
int store_is_sealed(const struct store *st);
/* 1 when the handle holds the unlocked data key. */
int store_is_unlocked(const struct store *st);
/* Unwrap the data key with kek. CTIS_EKEY when kek opens no wrap (the
 * message names no secret), CTIS_EINVAL on a database without a key. */
int store_unlock(struct store *st, const struct seal_kek *kek,
                 struct ctis_err *err);
/* Make the data key of a database that has none, wrapped by kek, then
 * seal every clear identity (store_seal_pending). Own transactions. */
int store_key_init(struct store *st, const struct seal_kek *kek,
                   struct ctis_err *err);
/* Seal the identities still in clear, batch rows per transaction;
 * *done gets how many were sealed. Needs the key. Own transactions. */
int store_seal_pending(struct store *st, long batch, long *done,
                       struct ctis_err *err);
/* Wrap the unlocked data key under one more key-encryption key. */
int store_key_add(struct store *st, const struct seal_kek *kek,
                  struct ctis_err *err);
/* Remove the wrap of key-encryption key kek_id. The last one cannot be
 * removed (CTIS_EINVAL): the data would be lost. */
int store_key_remove(struct store *st, const char *kek_id,
                     struct ctis_err *err);

/* One wrap, as 'ctis key list' prints it. */
struct store_key_row {
    char kek_id[SEAL_ID_MAX];   /* key file id or passphrase slot */
    int kind;                   /* enum seal_kek_kind; 0: the next data
                                   key, wrapped by the current one during
                                   a rotation */
    char key_id[SEAL_ID_MAX];   /* the data key it opens */
    int gen;
};
typedef int (*store_key_fn)(void *ctx, const struct store_key_row *k);
int store_key_list(struct store *st, store_key_fn fn, void *ctx,
                   struct ctis_err *err);
/* The wraps of the current data key (for a backup's header): up to max
 * into out, their number into *n. */
int store_key_wraps(struct store *st, struct seal_wrap *out, int max,
                    int *n, struct ctis_err *err);
/* Rotate: make a new data key (or resume the rotation a crash stopped),
 * re-seal every identity and blind index with it in batches, then keep
 * only the new key, wrapped by kek (the key that unlocked): other
 * key-encryption keys must be added again. *resealed counts the values
 * re-sealed by this call. Needs the key. Own transactions. */
int store_key_rotate(struct store *st, const struct seal_kek *kek,
                     long batch, long *resealed, struct ctis_err *err);
/* Blind indexes made with an older name rule (MODEL_NAME_RULE: the
 * romanisation or phonetic key changed since) would miss names they now
 * read otherwise, so store_find_persons refuses (CTIS_EBUSY) while any is
 * left and linkage's blocking reads the identities instead. Re-index:
 * every such identity sealed again with the same key and indexed anew,
 * in batches (its name rule recorded with it, so calling again resumes);
 * *done counts them. A rotation re-indexes too; during one, CTIS_EBUSY.
 * Needs the key. Own transactions. */
int store_reindex_names(struct store *st, long batch, long *done,
                        struct ctis_err *err);
/* The upgrade at open: on a handle that may write, unlocked, the blind
 * indexes of an older name rule made anew (store_reindex_names in
 * batches of 1000), so searching works again without an administrator's
 * command. Nothing when none is stale, and nothing during a rotation
 * (which re-indexes itself). *done (may be NULL) counts them. */
int store_upgrade_names(struct store *st, long *done, struct ctis_err *err);
/* 1 in *out while a sealed identity's blind indexes are of an older name
 * rule; 0 on a clear database. */
int store_names_stale(struct store *st, int *out, struct ctis_err *err);
/* Test hook: stop (CTIS_EINTERNAL) after this many committed batches of
 * a rotation, sealing or re-indexing run; 0 never. */
void store_set_batch_limit(struct store *st, long batches);

/* How many sealed identities (person rows and history versions) were
 * opened, or tried, through st since store_open: what a search or a
 * linkage decrypted (tests and benchmarks count it). */
long store_identities_opened(const struct store *st);

/* Linkage's blocking by blind index (docs/security.md): fn once per
 * case in id order, as store_each_case with no filter gives them, but
 * the identity is opened only for a person who shares a normalised name
 * part or a phonetic key of one (any script) with another case's person;
 * the others come with no identifying field, no birth year and no age,
 * so they meet nobody in linkage. On a sealed database that is decided
 * from the blind index alone; on a clear one (or one whose identities are
 * not all indexed under the current key) by the same rule over the
 * identities read, so both give the same records. *with_identity gets
 * the cases given with their identity. Needs the key on a sealed
 * database (CTIS_EKEY). */
int store_each_linkable_case(struct store *st, store_case_fn fn, void *ctx,
                             long *with_identity, struct ctis_err *err);

/* A search of persons by name parts and birth year. The fields after
 * birth_year may stay zero: then every candidate is given, and any
 * agency's. */
struct store_person_query {
    const char *name;    /* any script; split into normalised parts */
    int birth_year;      /* 0: any */
    const char *agency;  /* only this agency's cases (the others are
                            not opened); NULL: any */
    /* The bound of a candidate's weight from what the blind index says
     * of each query part: w_text when a part of the person equals it,
     * w_phon when only a phonetic key does, w_none when neither, summed
     * over the query's parts, plus w_bonus. On a sealed database (either
     * backend: store_rank_hits) the candidates come best bound first (then in rid order), and
     * before each is opened enough(ctx, bound) may end the search
     * (nonzero): the caller's ranking no longer needs any candidate of
     * that bound or lower. NULL: every candidate. */
    double w_text, w_phon, w_none, w_bonus;
    int (*enough)(void *ctx, double bound);
};
/* The candidates of a search: fn is called once per case whose person
 * has at least one name part of q equal to one of theirs after
 * normalisation (model_name_normalise) or by phonetic key, and the birth
 * year when q gives one (within q->agency when given), in rid order, or
 * on a sealed database best bound first; the caller ranks them
 * and must not depend on the order. On a
 * sealed database only the blind indexes are searched and only these
 * candidates are opened; on a clear one every person is compared by the
 * same rule, so both give the same candidates. */
int store_find_persons(struct store *st, const struct store_person_query *q,
                       store_case_fn fn, void *ctx, struct ctis_err *err);

/* Erase the identity of case_id's person: every identifying field of
 * every stored version, its blind indexes and its person links; the case
 * facts stay (aggregates unchanged). Records who (by) and why (reason)
 * in the erasure log. Inside a transaction; no key needed. */
int store_erase_person(struct store *st, const char *case_id,
                       const char *by, const char *reason,
                       struct ctis_err *err);

/* A consistent snapshot of the whole database while others write: fn is
 * called once and reads it from in to the end. SQLite: the database image
 * (the online backup API, in memory); PostgreSQL: pg_dump's custom
 * format, streamed from the child (pg_dump.c, docs/security.md). A
 * failure of the dump after fn returned is still the call's failure. */
typedef int (*store_snapshot_fn)(void *ctx, FILE *in);
/* Write a snapshot into url, a database that must not exist yet: fn
 * writes the snapshot's bytes to out. SQLite: a new file (0600, written
 * atomically); PostgreSQL: a new database fed to pg_restore in one
 * transaction. On failure nothing is left (the database is dropped).
 * CTIS_EEXIST when url exists. */
typedef int (*store_restore_fn)(void *ctx, FILE *out);
int store_restore(const char *url, store_restore_fn fn, void *ctx,
                  struct ctis_err *err);
/* Before store_restore: the backup's plaintext begins with head (n
 * bytes, STORE_BACKUP_HEAD or fewer). CTIS_EINVAL when it is not a
 * database of url's backend (a SQLite image restored into a postgresql://
 * URL, a pg_dump into a file, or neither), saying which it is and how to
 * restore it; 0 otherwise. */
#define STORE_BACKUP_HEAD 16
int store_restore_check(const char *url, const unsigned char *head,
                        size_t n, struct ctis_err *err);
/* The unlocked current data key (a backup is sealed with it), borrowed
 * until store_close; NULL when locked. */
const struct seal_key *store_backup_key(const struct store *st);
int store_snapshot(struct store *st, store_snapshot_fn fn, void *ctx,
                   struct ctis_err *err);

#endif
