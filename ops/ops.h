/*
 * ops.h - the operations layer: every action a user can take, as one
 * function over a caller context. cli/ (the ctis command) and http/ (the
 * server) parse their input, call exactly these functions and print or
 * answer what they return; neither checks a role, computes a rule or
 * writes a record itself.
 *
 * This is the one place where
 *   - access rules are enforced: who (role) may do what to which record
 *     (the agency that owns it): ops_allow, used by every function;
 *   - the invariants of actions hold: an existing case is never replaced
 *     by accident, a stale version is refused, events are appended,
 *     status follows the events (model_case_derive_status);
 *   - the history is written: each change appends a version (who, when,
 *     which operation) through store_add_version.
 *
 * Transactions belong to the caller, who knows how many operations make
 * one unit of work (one HTTP request, one CLI command, a whole import):
 *   writers  run between store_begin and store_commit (roll back on any
 *            error: a failed operation may have written part of its work);
 *   readers  run between store_begin_read and store_end_read, so they
 *            never take the write lock (they work during an import and
 *            on a read-only PostgreSQL role or replica).
 * Each function below says which it is. A writer on a handle without a
 * write transaction fails with CTIS_EINVAL.
 *
 * Errors: 0 or a negative CTIS_E* code with err set (base.h). Codes an
 * entry point should map (cli.c and http/ each have one table):
 *   CTIS_EPERM      the caller's role may not do this at all (403)
 *   CTIS_ENOTFOUND  no such record, or one of another agency that the
 *                   caller may not see (404: ids cannot be probed)
 *   CTIS_ECONFLICT  the record exists / the version given is stale
 *                   (409/412); the current version is in the OUT param
 *   CTIS_EINVAL     the record or patch is invalid: problems lists each
 *                   field path and reason (400/422), never a value
 * Messages never hold a name, birth date or contact of a person.
 *
 * Identity (issue 12): ops/ handles persons as struct model_person in
 * clear; sealing happens below the store interface, so nothing here
 * changes when it does. Bodies of versions (store_add_version) hold
 * identifying fields and must be sealed by the store too.
 */
#ifndef CTIS_OPS_H
#define CTIS_OPS_H

#include <stdint.h>
#include <stdio.h>

#include "base/base.h"
#include "io/io.h"
#include "link/link.h"
#include "model/model.h"
#include "mse/mse.h"
#include "store/store.h"

/* ---- callers, roles, access -------------------------------------------- */

/* The roles of issue 11. Their numbers are stored in the users table and
 * never change. */
enum ops_role {
    OPS_ROLE_ADMIN,       /* users, agencies, everything */
    OPS_ROLE_CASE_WORKER, /* cases of its agency, and cases transferred or
                             referred to it: create, update, events,
                             transfer, refer, accept/decline referrals */
    OPS_ROLE_POLICE,      /* criminal cases and offenders; of victims'
                             cases only the non-identifying facts */
    OPS_ROLE_ANALYST,     /* the report, estimates, linkage, public
                             export: never a person's identifying fields */
    OPS_ROLE_VIEWER       /* reads the cases of its own agency */
};
extern const struct model_code ops_role_codes[];

/* Who acts. The CLI's caller is the local administrator unless --as
 * names a user (ops_caller_of_user); http/ fills it from the session. */
struct ops_caller {
    char user[64];              /* user name, for the history */
    char agency[MODEL_ID_MAX];  /* "" when the role has none */
    int role;                   /* enum ops_role */
};

/* Everything an operation needs: the store (borrowed, open, with the
 * transaction the function's comment names) and the caller. now is the
 * time written into history rows (seconds since 1970); 0 means "ask the
 * clock at each call". Fill it with ops_init. */
struct ops {
    struct store *st;
    struct ops_caller who;
    long now;
    const char *address;       /* the client's address for the audit
                                  trail (http/); NULL: "cli" */
    const char *actor;         /* the name history rows and the audit
                                  trail give as the actor; NULL: who.user.
                                  The CLI gives its OS account here when
                                  --as names the user whose rules apply
                                  (docs/security.md, "Who acted") */
    struct ops_audit *audit;   /* the group commit of read entries
                                  (http/); NULL: reads are not noted */
};

void ops_init(struct ops *o, struct store *st, const struct ops_caller *who);

/* The local administrator, named by the process's OS account
 * (ops_os_user): what the CLI acts as without --as. */
void ops_caller_local_admin(struct ops_caller *out);

/* The name of the process's effective OS account (getpwuid(geteuid())),
 * or "uid-N" when it has none that is a valid id; never $USER, which
 * anyone sets. out holds at least 64 bytes. */
void ops_os_user(char *out, size_t n);

/* Who acted: o->actor, else the caller's user name. */
const char *ops_actor(const struct ops *o);

/* The caller for an existing, enabled user (reader). CTIS_ENOTFOUND for
 * no such user; CTIS_EPERM for a disabled one. */
int ops_caller_of_user(struct store *st, const char *username,
                       struct ops_caller *out, struct ctis_err *err);

/* Check a password against the user's argon2id hash (reader) and fill
 * the caller: for http/'s login. A wrong password, an unknown user and a
 * disabled one all give CTIS_EPERM with the same message. */
int ops_login(struct store *st, const char *username, const char *password,
              struct ops_caller *out, struct ctis_err *err);

/* What a caller may do. ops_allow is the whole access policy: every
 * function below calls it before touching a record. */
enum ops_action {
    OPS_CASE_READ,       /* see a case (identity depends on the role) */
    OPS_CASE_WRITE,      /* create, update, add events, transfer, refer */
    OPS_CASE_LIST,       /* list or search cases */
    OPS_REFERRAL_DECIDE, /* accept or decline a referral to the agency */
    OPS_CRIMINAL_READ,   /* criminal cases and offenders */
    OPS_IMPORT,          /* import files (case workers: own cases only) */
    OPS_EXPORT,          /* export every record with identities */
    OPS_EXPORT_PUBLIC,   /* export without identifying fields */
    OPS_REPORT,          /* the datasheet and estimates */
    OPS_LINK,            /* link the store's persons (ids out, no names) */
    OPS_ADMIN            /* users, agencies, demo data, init */
};

/* 0 when the caller may do action on a record owned by agency (NULL or
 * "" for no particular record). CTIS_EPERM when the role may not do the
 * action at all; CTIS_ENOTFOUND ("no case 'ID'") when it may, but not on
 * another agency's record (id names the record for that message; NULL
 * otherwise). */
int ops_allow(const struct ops *o, int action, const char *agency,
              const char *id, struct ctis_err *err);

/* Nonzero when the caller sees persons' identifying fields (admin,
 * case workers and viewers on their cases); police and analysts get
 * cases with them cleared (ops_case_get). */
int ops_sees_identity(const struct ops *o);

/* ---- users (admin) ----------------------------------------------------- */

/* Add a user (writer). password may be NULL (a local user of the CLI,
 * who cannot log in over HTTP) or at least 8 bytes; it is hashed with
 * argon2id (libsodium crypto_pwhash_str, interactive limits) and never
 * stored. agency must exist for case_worker, police and viewer.
 * CTIS_ECONFLICT when the user exists. */
int ops_user_add(struct ops *o, const char *username, const char *agency,
                 int role, const char *password, struct ctis_err *err);
/* Set a new password (writer); CTIS_ENOTFOUND for no such user. A user
 * may change its own password; an admin anyone's. */
int ops_user_passwd(struct ops *o, const char *username,
                    const char *password, struct ctis_err *err);
/* Disable a user (writer): it can no longer act or log in. */
int ops_user_disable(struct ops *o, const char *username,
                     struct ctis_err *err);
/* Every user by name (reader); the hash is cleared before fn sees it. */
int ops_user_list(struct ops *o, store_user_fn fn, void *ctx,
                  struct ctis_err *err);

/* ---- cases ------------------------------------------------------------- */

/* List cases in id order (reader). Case workers and viewers see their
 * agency's cases only (f->agency is overridden). fn gets cases whose
 * identifying fields are cleared unless ops_sees_identity. */
int ops_case_list(struct ops *o, const struct store_case_filter *f,
                  store_case_fn fn, void *ctx, struct ctis_err *err);

/* Read case id (reader) into out (initialised; release it with
 * model_case_release): the current version when version is 0, else that
 * version from the history. *version_out (may be NULL) receives the
 * number read. CTIS_ENOTFOUND for no such case, version, or a case the
 * caller may not see; CTIS_EUNSUPPORTED for a version made by migration
 * 3 (its state was not recorded). */
int ops_case_get(struct ops *o, const char *id, long version,
                 struct model_case *out, long *version_out,
                 struct ctis_err *err);

/* How a write names what it changes. */
struct ops_write {
    int replace;      /* case add: replace an existing case */
    long if_version;  /* -1: any; else refuse unless the current version
                         is this one (CTIS_ECONFLICT) */
};

/* A likely duplicate found when registering (never the name). */
struct ops_duplicate {
    char case_id[MODEL_ID_MAX];
    double weight;    /* the match weight of ops_case_find; 0 when none */
};

/* Register case c (writer). c is changed: its events are numbered and
 * its status derived from them. A case with that id that exists is
 * refused with CTIS_ECONFLICT and its version in *version, unless
 * w->replace and w->if_version equals that version (replace without
 * if_version is refused too: a replace must name what it replaces). A
 * replace changes the case's facts and person; its timeline stays
 * append-only: the stored events are kept, c's events with their ids
 * must equal them (CTIS_EINVAL otherwise), c's other events are added.
 * Invalid records: CTIS_EINVAL and every problem in problems. On success
 * *version is the new version. dup (may be NULL) receives the likeliest
 * existing person of another case when its match weight is at least
 * OPS_DUPLICATE_WEIGHT, else weight 0. */
#define OPS_DUPLICATE_WEIGHT 12.0
int ops_case_add(struct ops *o, struct model_case *c,
                 const struct ops_write *w, long *version,
                 struct ops_duplicate *dup, struct model_problems *problems,
                 struct ctis_err *err);

/* Apply an RFC 7386 JSON merge patch (patch: a JSON object, NUL-ended)
 * to the current version of case id (writer): members replace, null
 * deletes, objects merge. "id", "type" and "events" cannot be patched
 * (events are appended with ops_case_event). if_version as in
 * struct ops_write (-1 any). *version gets the new version, or the
 * current one on CTIS_ECONFLICT. */
int ops_case_update(struct ops *o, const char *id, const char *patch,
                    long if_version, long *version,
                    struct model_problems *problems, struct ctis_err *err);

/* Append event e to case id (writer), safe under any concurrency (the
 * record lock serialises appends on PostgreSQL). e->id is given by the
 * case (the next number; *event_id receives it); e->supersedes, when
 * set, names an earlier event this one corrects. Status follows
 * (closure closes, re_trafficked reopens). *version gets the new
 * version. */
int ops_case_event(struct ops *o, const char *id, struct model_event *e,
                   int *event_id, long *version,
                   struct model_problems *problems, struct ctis_err *err);

/* Consent of the person to a transfer. */
enum ops_consent { OPS_CONSENT_GIVEN, OPS_CONSENT_REFUSED,
                   OPS_CONSENT_NOT_REQUIRED };
extern const struct model_code ops_consent_codes[];

/* Transfer case id to agency to (writer): the case changes owner; who,
 * when, from where to where and the consent are in the new version's
 * note. A refused consent moves nothing (CTIS_EINVAL). if_version as
 * above. */
int ops_case_transfer(struct ops *o, const char *id, const char *to,
                      int consent, long if_version, long *version,
                      struct ctis_err *err);

/* Refer the person of case id to agency to for a service (writer): a
 * pending referral (*referral_id) and a referral event on the case. The
 * receiving agency's case workers may then read the case and decide. */
int ops_case_refer(struct ops *o, const char *id, const char *to,
                   int service, long *referral_id, long *version,
                   struct ctis_err *err);

/* Accept (accept != 0) or decline referral ref (writer): only the
 * receiving agency (or an admin). CTIS_ECONFLICT when decided already. */
int ops_referral_decide(struct ops *o, long ref, int accept,
                        struct ctis_err *err);

/* Referrals matching f that the caller may see (reader): case workers
 * see those to or from their agency. */
int ops_referral_list(struct ops *o, const struct store_referral_filter *f,
                      store_referral_fn fn, void *ctx,
                      struct ctis_err *err);

/* One entry of a case's history: the version row and the fields that
 * version changed against the one before, as field paths joined by
 * ", " ("agency, person.home_province, events[3]"), "(created)" for the
 * first recorded version, "(not recorded)" for migration 3's rows.
 * v->body (the record as a JSON line) is NULL for callers who may not
 * see identities, and for the latest version on SQLite, whose state is
 * the live record (ops_case_get with version 0). Borrowed during the
 * callback. */
struct ops_history_entry {
    const struct store_version *v;
    const char *changed;
};
typedef int (*ops_history_fn)(void *ctx, const struct ops_history_entry *h);
/* Every version of case id, oldest first (reader). */
int ops_case_history(struct ops *o, const char *id, ops_history_fn fn,
                     void *ctx, struct ctis_err *err);

/* A person search hit: the case and its match weight (higher is more
 * likely the same person). */
struct ops_find_hit {
    char case_id[MODEL_ID_MAX];
    char agency[MODEL_ID_MAX];
    double weight;
};
/* Find existing persons by name (reader): Latin or Khmer script, any
 * order of given and family names, romanisation variants (link/'s
 * normalisation and phonetic key). born (0 any) and province ("" or
 * NULL any) narrow and add weight. Up to max hits into hits, best
 * first; *n the number filled. Only cases the caller may list. */
int ops_case_find(struct ops *o, const char *name, int born,
                  const char *province, struct ops_find_hit *hits,
                  size_t max, size_t *n, struct ctis_err *err);

/* Erase the person of case id (admin, writer): store_erase_person with
 * the caller as who, the record locked first, and an entry
 * "person.erase" in the audit trail (the reason is logged by the store,
 * never in the trail). The reason is UTF-8 text of 1 to
 * OPS_ERASE_REASON_MAX bytes (CTIS_EINVAL otherwise). */
#define OPS_ERASE_REASON_MAX 1000
int ops_person_erase(struct ops *o, const char *id, const char *reason,
                     struct ctis_err *err);

/* ---- bulk: import, export, demo ---------------------------------------- */

/* Import one file (writer) through the same writer as ops_case_add with
 * replace allowed (import is how records are updated in bulk): every
 * record gets a version; case workers may import only cases of their own
 * agency. See io_import for formats, rejects and problems. */
int ops_import(struct ops *o, const char *path,
               const struct io_import_opts *opts,
               struct io_import_stats *stats, struct ctis_err *err);

/* Write every record to out (reader) as io_export_with does: with
 * eo->public_only without identifying fields and k-anonymous
 * (OPS_EXPORT_PUBLIC; stats filled, may be NULL), otherwise OPS_EXPORT. */
int ops_export(struct ops *o, FILE *out, const struct io_export_opts *eo,
               struct io_export_stats *stats, struct ctis_err *err);

/* The deterministic demo data set (writer, admin), every record
 * versioned; counts[t] (may be NULL) gets the records written per enum
 * io_record_type. */
int ops_demo(struct ops *o, uint64_t seed, long counts[5],
             struct ctis_err *err);

/* ---- copying a whole database (migrate.c) ------------------------------ */

/* One line of the check after a copy: a kind of record or of what is
 * kept beside the records, its count on each side and the checksum of
 * the target's (no checksum for events and offenders, which are
 * counted only). */
struct ops_migrate_line {
    const char *what;     /* "cases", "versions", "events", ... */
    long source;
    long target;
    int has_checksum;
    uint64_t checksum;
    const char *state;    /* "ok", "DIFFERS" or "(merged)" */
    long kept;            /* target records of no source record */
};
#define OPS_MIGRATE_LINES 12
struct ops_migrate_result {
    struct ops_migrate_line line[OPS_MIGRATE_LINES];
    int n;
};

/* Copy every record of o's store, with its versions, users, referrals,
 * audit trail and monitoring intervals, into to (admin). The copy is
 * one transaction on to, begun and committed here (nothing is written
 * on an error; o's store is only read, in no transaction of the
 * caller's). Then to is read back and compared per kind into res.
 * CTIS_EEXIST when to holds records and force is 0; CTIS_ECORRUPT when
 * a count or checksum differs (res filled). */
int ops_migrate(struct ops *o, struct store *to, int force,
                struct ops_migrate_result *res, struct ctis_err *err);

/* ---- the datasheet, estimates, linkage --------------------------------- */

struct ops_report_opts {
    int from;        /* years, 0 unbounded */
    int to;
    int k;           /* disclosure control threshold, 0 none */
    int format;      /* enum report_format (report.h) */
    int km;          /* pdf, svg, xlsx: in Khmer */
    int chart;       /* svg: which chart (report_chart_parse) */
    const char *path; /* xlsx: the workbook written (out is not used) */
};
/* The datasheet of the store (reader) rendered into out (appended), or
 * for XLSX written at ro->path. The
 * estimated total uses the person links of cases identified in the
 * period only. */
int ops_report(struct ops *o, const struct ops_report_opts *ro,
               struct ctis_buf *out, struct ctis_err *err);

/* Record linkage ('ctis link'). The inputs are files, or with from_db
 * the persons of o->st (a reader; with save a writer that replaces the
 * store's person links). Outputs are written whole or not at all. */
#define OPS_LINK_MAX_INPUTS 64
#define OPS_LINK_POOLED "pooled"  /* the overlap column of pooled lists */
struct ops_link_args {
    const char *inputs[OPS_LINK_MAX_INPUTS];
    int n_inputs;
    const char *output;     /* list,record_id,cluster_id,match_weight */
    const char *overlap;    /* capture histories, or NULL */
    size_t overlap_lists;   /* at most this many overlap columns: the
                               largest lists, the others pooled as
                               OPS_LINK_POOLED (0: one per list) */
    const char *review;     /* pairs to review, or NULL */
    const char *decisions;  /* a reviewed file, or NULL */
    const char *secret;     /* encode: the secret file */
    const char *list;       /* encode: list name */
    const char *pair[2];    /* explain: LIST:ID twice */
    int map[LINK_F_COUNT];  /* index into map_cols, -1 none */
    char map_cols[LINK_F_COUNT][128];
    const char *truth_col;  /* print precision and recall against the true
                             * person in this column, or NULL */
    int from_db;
    int save;
    struct link_options lo;
};
int ops_link(struct ops *o, const struct ops_link_args *a,
             struct ctis_err *err);
int ops_link_encode(struct ops *o, const struct ops_link_args *a,
                    struct ctis_err *err);
int ops_link_explain(struct ops *o, const struct ops_link_args *a, FILE *out,
                     struct ctis_err *err);

/* Multiple systems estimation from an overlap table file ('ctis
 * estimate'; needs no store: o->st may be NULL). */
struct ops_estimate_args {
    const char *input;   /* the overlap CSV */
    const char *strata;  /* column to estimate per value of, or NULL */
    const char *model;   /* terms of a given model, or NULL */
    int json;            /* print JSON instead of text */
    int compare;         /* main, stepwise, AIC and BIC side by side */
    struct mse_options o;
};
/* Read, estimate each stratum and print text or JSON to out. Returns 0;
 * CTIS_ENUMERIC (after printing) when an estimate does not exist; the
 * error of reading the file otherwise. *bad_model is set when the model
 * terms do not parse (a usage error of the caller's). */
int ops_estimate(struct ops *o, const struct ops_estimate_args *args,
                 FILE *out, int *bad_model, struct ctis_err *err);

/* ---- the audit trail (audit.c) ------------------------------------------
 * Every write an operation makes and every read of a person's identifying
 * fields is noted with who (o->who), from where (o->address), what
 * (action: "case.update", "case.read", ...), which record (kind, id) and
 * how it ended (status: 0 done, else the CTIS_E* code of a refusal),
 * never with a value. A write's entry goes into the write's own
 * transaction (write = 1: the caller holds one), so it commits with the
 * write or not at all; a read's entry (write = 0) is queued to o->audit,
 * the group commit of read entries (a crash can lose at most the last
 * 100 ms of them). Without o->audit (the CLI) reads are not noted.
 * Entries are chained by hash in the store (store.h): ctis audit verify.
 */
struct ops_audit;

/* Open db_url for the writer of read entries and start its thread. *out
 * owned by the caller (ops_audit_close). */
int ops_audit_open(struct ops_audit **out, const char *db_url,
                   struct ctis_err *err);
/* Write what is queued, stop the thread, close. Accepts NULL. */
void ops_audit_close(struct ops_audit *a);
/* Queue a copy of a read's entry. 0 or CTIS_ENOMEM; waits when full. */
int ops_audit_read(struct ops_audit *a, const struct store_audit *e);
/* Wait until everything queued before the call is written. */
int ops_audit_sync(struct ops_audit *a, struct ctis_err *err);
/* Milliseconds since 1970, for an entry's time. */
long long ops_audit_now_ms(void);
/* Note one action of o's caller (see above). 0 or an error of the store
 * with err set (a write's entry that cannot be appended fails the write,
 * and says why: a lost connection names the server). A read's entry is
 * queued and never fails here; err may then be NULL, as for a note of
 * an action that already failed, whose message it must not replace. */
int ops_audit_note(struct ops *o, const char *action, const char *kind,
                   const char *id, int status, int write,
                   struct ctis_err *err);
/* Note an administrator's action on the keys or on the database whole,
 * which runs in no transaction of the caller's and changes no record:
 * key.init, key.add, key.remove, key.rotate, key.reindex (id: the key's
 * id, as 'ctis key list' prints it), backup and restore (id: the data
 * key's id). Its entry is appended to st in a transaction of its own,
 * after the action succeeded: st is the database the action was on (for
 * a restore, the new one). Never a key, passphrase or file name. */
int ops_audit_admin(struct ops *o, struct store *st, const char *action,
                    const char *kind, const char *id, struct ctis_err *err);
/* Walk the chain (admin only): store_audit_verify. */
int ops_audit_verify(struct ops *o, long *checked, long *bad,
                     struct ctis_err *err);
/* The entries matching f (admin only), oldest first. */
int ops_audit_list(struct ops *o, const struct store_audit_filter *f,
                   store_audit_fn fn, void *ctx, struct ctis_err *err);

/* ---- other records (records.c) ------------------------------------------
 * Agencies, activities, instruments (any role may read; admins write,
 * case workers add their own agency's activities) and criminal cases
 * (admin and police). Records come as io_record with their version. */
typedef int (*ops_record_fn)(void *ctx, const struct io_record *r,
                             long version);
/* Records of one type (IO_REC_*, not cases) in id order, skipping offset
 * and giving at most limit (0: all) (reader). */
int ops_record_list(struct ops *o, int type, long offset, long limit,
                    ops_record_fn fn, void *ctx, struct ctis_err *err);
/* One record by id into out (initialised) (reader). CTIS_ENOTFOUND. */
int ops_record_get(struct ops *o, int type, const char *id,
                   struct io_record *out, long *version,
                   struct ctis_err *err);
/* Add a new record (writer); CTIS_ECONFLICT when the id exists. */
int ops_record_add(struct ops *o, struct io_record *r, long *version,
                   struct ctis_err *err);
/* Offenders of the criminal cases (admin and police), in id order; fn
 * gets each offender with the criminal case naming it, once per case
 * when id names one offender (NULL: every offender once). */
typedef int (*ops_offender_fn)(void *ctx, const struct model_offender *f,
                               const char *criminal_case);
int ops_offender_list(struct ops *o, const char *id, long offset, long limit,
                      ops_offender_fn fn, void *ctx, struct ctis_err *err);

/* ---- work lists (tasks.c) -------------------------------------------------
 * A monitoring visit is due when an open or follow_up case has had no
 * monitoring_visit for its agency's interval (OPS_MONITORING_DAYS unless
 * the agency sets another) since its last monitoring visit, reintegration
 * or, failing both, its identification. */
#define OPS_MONITORING_DAYS 90
struct ops_tasks_fns {
    int (*open)(void *ctx, const struct model_case *c);
    int (*due)(void *ctx, const char *case_id, int last, int due);
};
/* The caller's open cases (its agency's; an admin's: every agency's, at
 * most OPS_TASKS_MAX) and monitoring visits due by today (YYYYMMDD)
 * (reader). *interval gets the caller's agency's interval in days. */
#define OPS_TASKS_MAX 500
int ops_tasks(struct ops *o, int today, const struct ops_tasks_fns *fns,
              void *ctx, int *interval, struct ctis_err *err);
/* The monitoring interval of an agency (reader) and setting it (writer,
 * admin). */
int ops_agency_monitoring(struct ops *o, const char *agency, int *days,
                          struct ctis_err *err);
int ops_agency_set_monitoring(struct ops *o, const char *agency, int days,
                              struct ctis_err *err);

/* ---- idempotent creates (idem.c) -----------------------------------------
 * The answer to a create made with an idempotency key, kept 24 hours per
 * user and key, in the create's own transaction: the same key again gets
 * the same answer and creates nothing. */
struct ops_idem {
    int status;
    struct ctis_buf body;     /* caller-owned */
    char location[128];
    char etag[32];
};
/* 1 and *out filled when key was answered before, 0 when not (writer:
 * inside the create's transaction, which holds the key's lock). */
int ops_idem_get(struct ops *o, const char *key, struct ops_idem *out,
                 struct ctis_err *err);
/* Keep the answer (writer, in the create's transaction). */
int ops_idem_put(struct ops *o, const char *key, const struct ops_idem *in,
                 struct ctis_err *err);

/* ---- first passwords ---------------------------------------------------- */
/* Whether o's caller must change its password before anything else
 * (reader), and setting it for a user (writer, admin or the user). */
int ops_must_change_password(struct ops *o, int *out, struct ctis_err *err);
int ops_user_set_must_change(struct ops *o, const char *username, int on,
                             struct ctis_err *err);

#endif
