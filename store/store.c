/*
 * store.c - the public storage API: picks a backend from the URL, checks
 * what every backend would check (arguments, transactions, read-only
 * handles) and dispatches through the backend's vtable (store_int.h).
 *
 * Invariant: a backend's write function is only ever called with
 * st->in_txn set, so backends need not repeat the check.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_int.h"

static int has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

/* After a backend opened: read whether the database is sealed. */
static int opened(struct store **out, struct ctis_err *err)
{
    int rc = store_seal_state(*out, err);

    if (rc != 0) {
        store_close(*out);
        *out = NULL;
    }
    return rc;
}

/* A postgresql:// URL selects the server backend; anything else is a
 * SQLite file path. */
int store_open(struct store **out, const char *url, int flags,
               struct ctis_err *err)
{
    int rc;

    *out = NULL;
    if (url == NULL || url[0] == '\0') {
        return ctis_err_set(err, CTIS_EARG, "no database given (an empty "
                            "--db or CTIS_DB)");
    }
    if (has_prefix(url, "postgresql://") || has_prefix(url, "postgres://")) {
        int rc = store_pq_load(err);

        rc = rc != 0 ? rc : store_pg_open(out, url, flags, err);
        return rc != 0 ? rc : opened(out, err);
    }
    rc = store_sqlite_open(out, url, flags, err);
    return rc != 0 ? rc : opened(out, err);
}

/* A new SQLite database goes where nothing is: no database, and no
 * journal, WAL or shared-memory file left by another one, which SQLite
 * would replay onto the restored pages at the first open (the restored
 * database then shows the other one's rows and reports itself damaged).
 * 0 or CTIS_EEXIST naming the file. */
static int sqlite_restore_target(const char *url, struct ctis_err *err)
{
    static const char *const side[] = {"", "-wal", "-shm", "-journal"};
    char path[CTIS_PATH_MAX + 16];
    struct stat sb;
    size_t i;

    for (i = 0; i < sizeof side / sizeof side[0]; i++) {
        snprintf(path, sizeof path, "%s%s", url, side[i]);
        if (lstat(path, &sb) == 0) {
            return ctis_err_set(err, CTIS_EEXIST,
                                i == 0 ? "database '%s' exists; restore "
                                         "into a new one"
                                       : "'%s' is left from another "
                                         "database; remove it or restore "
                                         "elsewhere",
                                path);
        }
    }
    return 0;
}

/* The restored bytes begin as a SQLite database does: a backup of a
 * PostgreSQL database (pg_dump's "PGDMP") restored into a file name was
 * written as it was, and the file then opened as "damaged". Read back
 * through a descriptor of its own, checked to be the same file. */
static int restored_is_sqlite(struct ctis_atomic_file *af,
                              struct ctis_err *err)
{
    static const char magic[16] = "SQLite format 3";
    char head[16];
    struct stat a;
    struct stat b;
    int fd;
    int ok;

    if (fflush(af->f) != 0) {
        return ctis_err_set(err, CTIS_EFILE, "cannot write '%s'", af->path);
    }
    fd = open(af->tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        return ctis_err_set(err, CTIS_EFILE, "cannot read back '%s'",
                            af->path);
    }
    ok = fstat(fd, &a) == 0 && fstat(fileno(af->f), &b) == 0 &&
         a.st_dev == b.st_dev && a.st_ino == b.st_ino &&
         pread(fd, head, sizeof head, 0) == (ssize_t)sizeof head &&
         memcmp(head, magic, sizeof magic) == 0;
    close(fd);
    if (!ok) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "the backup is not of a SQLite database (a "
                            "PostgreSQL one restores into a postgresql:// "
                            "URL); nothing written");
    }
    return 0;
}

int store_restore_check(const char *url, const unsigned char *head,
                        size_t n, struct ctis_err *err)
{
    static const char sqlite[16] = "SQLite format 3";
    static const char pgdmp[5] = {'P', 'G', 'D', 'M', 'P'};
    int is_sqlite = n >= sizeof sqlite && memcmp(head, sqlite, 16) == 0;
    int is_pg = n >= sizeof pgdmp && memcmp(head, pgdmp, 5) == 0;
    int to_pg = url != NULL && (has_prefix(url, "postgresql://") ||
                                has_prefix(url, "postgres://"));

    if (!is_sqlite && !is_pg) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "the backup holds neither a SQLite database nor "
                            "a PostgreSQL dump (not made by 'ctis backup'?); "
                            "nothing written");
    }
    if (is_sqlite && to_pg) {
        return ctis_err_set(
            err, CTIS_EINVAL,
            "the backup is of a SQLite database and restores only into a "
            "file: restore it into a new file (--db NEW.db), then copy that "
            "into PostgreSQL with 'ctis migrate --from NEW.db --to "
            "postgresql://...' (with the same key); nothing written");
    }
    if (is_pg && !to_pg) {
        return ctis_err_set(
            err, CTIS_EINVAL,
            "the backup is of a PostgreSQL database (pg_dump) and restores "
            "only into PostgreSQL: restore it into a new database (--db "
            "postgresql://HOST/NEW), then copy that into a file with 'ctis "
            "migrate --from postgresql://HOST/NEW --to NEW.db' (with the "
            "same key); nothing written");
    }
    return 0;
}

/* PostgreSQL: pg_restore into a new database; SQLite: a new file, written
 * atomically, owner-only, beside no side file, and linked into place so
 * that a database which appeared at url meanwhile is never replaced. */
int store_restore(const char *url, store_restore_fn fn, void *ctx,
                  struct ctis_err *err)
{
    struct ctis_atomic_file af;
    int rc;

    if (url == NULL || url[0] == '\0') {
        return ctis_err_set(err, CTIS_EARG, "no database given");
    }
    if (has_prefix(url, "postgresql://") || has_prefix(url, "postgres://")) {
        return store_pg_restore(url, fn, ctx, err);
    }
    if (strlen(url) >= CTIS_PATH_MAX) {
        return ctis_err_set(err, CTIS_EARG, "database path too long");
    }
    rc = sqlite_restore_target(url, err);
    if (rc != 0) {
        return rc;
    }
    rc = ctis_atomic_open(&af, url, err);
    if (rc != 0) {
        return rc;
    }
    fchmod(fileno(af.f), 0600);
    rc = fn(ctx, af.f);
    if (rc == 0) {
        rc = restored_is_sqlite(&af, err);
    }
    if (rc == 0) {
        /* again: a side file may have appeared while the backup was read */
        rc = sqlite_restore_target(url, err);
    }
    if (rc == 0) {
        return ctis_atomic_commit_new(&af, err);
    }
    ctis_atomic_abort(&af);
    return rc;
}

/* A password in the authority ("user:pw@host") or in the query
 * ("?password=..."), or a "password=" keyword of a key=value conninfo. */
int store_url_has_password(const char *url)
{
    const char *a;
    const char *end;
    const char *at = NULL;
    const char *q;

    if (url == NULL) {
        return 0;
    }
    if (strstr(url, "password=") != NULL) {
        return 1;
    }
    a = strstr(url, "://");
    if (a == NULL) {
        return 0;
    }
    a += 3;
    end = a + strcspn(a, "/?");
    for (q = a; q < end; q++) {
        if (*q == '@') {
            at = q;
        }
    }
    if (at == NULL) {
        /* No '@' before the path: a malformed authority such as
         * "u:pw@[::1/db" keeps its '@' past the first '/'. */
        at = strchr(a, '@');
    }
    return at != NULL && memchr(a, ':', (size_t)(at - a)) != NULL;
}

/* Close through the backend, which rolls back an open transaction. */
void store_close(struct store *st)
{
    if (st == NULL) {
        return;
    }
    seal_key_free(st->key);
    seal_key_free(st->next);
    st->key = NULL;
    st->next = NULL;
    seal_nonces_free(st->nonces);
    st->nonces = NULL;
    st->ops->close(st);
}

/* The backend's name. */
const char *store_backend(const struct store *st)
{
    return st->ops->name;
}

/* Schema version after migrations. */
int store_schema_version(struct store *st)
{
    return st->ops->schema_version(st);
}

/* A read transaction; not inside another transaction. */
int store_begin_read(struct store *st, struct ctis_err *err)
{
    if (st->in_txn || st->in_read) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "a transaction is already open");
    }
    return st->ops->begin_read(st, err);
}

/* End the read transaction, if any. */
void store_end_read(struct store *st)
{
    if (st == NULL || !st->in_read) {
        return;
    }
    st->ops->end_read(st);
}

/* One transaction at a time per handle. */
int store_begin(struct store *st, struct ctis_err *err)
{
    if (st->flags & STORE_OPEN_READONLY) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "database was opened read-only");
    }
    if (st->in_txn || st->in_read) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "a transaction is already open");
    }
    return st->ops->begin(st, err);
}

/* Commit the open transaction. */
int store_commit(struct store *st, struct ctis_err *err)
{
    if (!st->in_txn) {
        return ctis_err_set(err, CTIS_EINVAL, "no transaction is open");
    }
    return st->ops->commit(st, err);
}

/* Roll back, or do nothing without a transaction. */
void store_rollback(struct store *st)
{
    if (st == NULL || !st->in_txn) {
        return;
    }
    st->ops->rollback(st);
}

/* Shared guard of every write: a transaction must be open. */
static int check_write(struct store *st, const void *rec, const char *what,
                       struct ctis_err *err)
{
    if (rec == NULL) {
        return ctis_err_set(err, CTIS_EINVAL, "no %s given", what);
    }
    if (!st->in_txn) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "cannot write %s outside a transaction", what);
    }
    return 0;
}

/* Upsert an agency. */
int store_put_agency(struct store *st, const struct model_agency *a,
                     struct ctis_err *err)
{
    int rc = check_write(st, a, "an agency", err);

    return rc != 0 ? rc : st->ops->put_agency(st, a, err);
}

/* Upsert a case with its person and events. */
int store_put_case(struct store *st, const struct model_case *c,
                   struct ctis_err *err)
{
    int rc = check_write(st, c, "a case", err);

    return rc != 0 ? rc : st->ops->put_case(st, c, err);
}

void store_use_blind(struct store *st, const struct store_blind *b)
{
    st->blind = b;
}

/* A new case by the backend's fast path, if it has one. */
int store_put_new_case(struct store *st, const struct model_case *c,
                       struct ctis_err *err)
{
    int rc = check_write(st, c, "a case", err);

    if (rc != 0 || st->ops->put_new_case == NULL) {
        return rc;
    }
    return st->ops->put_new_case(st, c, err);
}

/* Upsert a criminal case with its offenders, victims and events. */
int store_put_criminal_case(struct store *st,
                            const struct model_criminal_case *cc,
                            struct ctis_err *err)
{
    int rc = check_write(st, cc, "a criminal case", err);

    return rc != 0 ? rc : st->ops->put_criminal_case(st, cc, err);
}

/* Upsert an activity. */
int store_put_activity(struct store *st, const struct model_activity *a,
                       struct ctis_err *err)
{
    int rc = check_write(st, a, "an activity", err);

    return rc != 0 ? rc : st->ops->put_activity(st, a, err);
}

/* Upsert an instrument with its parties. */
int store_put_instrument(struct store *st, const struct model_instrument *in,
                         struct ctis_err *err)
{
    int rc = check_write(st, in, "an instrument", err);

    return rc != 0 ? rc : st->ops->put_instrument(st, in, err);
}

/* Append one event to a case. */
int store_add_event(struct store *st, const char *case_id,
                    const struct model_event *e, struct ctis_err *err)
{
    int rc = check_write(st, e, "an event", err);

    if (rc == 0 && case_id == NULL) {
        rc = ctis_err_set(err, CTIS_EINVAL, "no case id given");
    }
    return rc != 0 ? rc : st->ops->add_event(st, case_id, e, err);
}

/* 1, 0 or a negative error. */
int store_exists(struct store *st, enum store_kind kind, const char *id,
                 struct ctis_err *err)
{
    if (id == NULL) {
        return ctis_err_set(err, CTIS_EINVAL, "no id given");
    }
    return st->ops->exists(st, kind, id, err);
}

/* Number of records of a kind. */
int store_count(struct store *st, enum store_kind kind, long *out,
                struct ctis_err *err)
{
    return st->ops->count(st, kind, out, err);
}

/* Read one case. */
int store_get_case(struct store *st, const char *id, struct model_case *out,
                   struct ctis_err *err)
{
    if (id == NULL) {
        return ctis_err_set(err, CTIS_EINVAL, "no case id given");
    }
    return st->ops->get_case(st, id, out, err);
}

/* Iterate cases in id order. */
int store_each_case(struct store *st, const struct store_case_filter *f,
                    store_case_fn fn, void *ctx, struct ctis_err *err)
{
    return st->ops->each_case(st, f, fn, ctx, err);
}

/* Iterate agencies in id order. */
int store_each_agency(struct store *st, store_agency_fn fn, void *ctx,
                      struct ctis_err *err)
{
    return st->ops->each_agency(st, fn, ctx, err);
}

/* Iterate criminal cases in id order. */
int store_each_criminal_case(struct store *st, store_criminal_case_fn fn,
                             void *ctx, struct ctis_err *err)
{
    return st->ops->each_criminal_case(st, fn, ctx, err);
}

/* Iterate activities in id order. */
int store_each_activity(struct store *st, store_activity_fn fn, void *ctx,
                        struct ctis_err *err)
{
    return st->ops->each_activity(st, fn, ctx, err);
}

/* Iterate instruments in id order. */
int store_each_instrument(struct store *st, store_instrument_fn fn,
                          void *ctx, struct ctis_err *err)
{
    return st->ops->each_instrument(st, fn, ctx, err);
}

/* Run one aggregate. */
int store_query(struct store *st, enum store_query q, int from_year,
                int to_year, struct store_table *out, struct ctis_err *err)
{
    if ((int)q < 0 || (int)q >= STORE_QUERY_COUNT) {
        return ctis_err_set(err, CTIS_EINVAL, "unknown query %d", (int)q);
    }
    return st->ops->query(st, q, from_year, to_year, out, err);
}

/* Replace the person links; a write like any put. */
int store_put_person_links(struct store *st, const char *const *case_ids,
                           const long *persons, size_t n,
                           struct ctis_err *err)
{
    int rc = check_write(st, n > 0 ? (const void *)case_ids : "",
                         "person links", err);

    if (rc != 0) {
        return rc;
    }
    if (n > 0 && persons == NULL) {
        return ctis_err_set(err, CTIS_EINVAL, "no persons given");
    }
    return st->ops->put_person_links(st, case_ids, persons, n, err);
}

/* Iterate the person links. */
int store_each_person_link(struct store *st, int from_year, int to_year,
                           store_link_fn fn, void *ctx,
                           struct ctis_err *err)
{
    if (fn == NULL) {
        return ctis_err_set(err, CTIS_EINVAL, "no callback given");
    }
    return st->ops->each_person_link(st, from_year, to_year, fn, ctx, err);
}

/* The advisory lock of one record, inside a write transaction. */
int store_lock(struct store *st, int kind, const char *id,
               struct ctis_err *err)
{
    int rc = check_write(st, id, "a lock", err);

    return rc != 0 ? rc : st->ops->lock(st, kind, id, err);
}

/* Append one version row. */
int store_add_version(struct store *st, const struct store_version_in *v,
                      struct ctis_err *err)
{
    int rc = check_write(st, v, "a version", err);

    if (rc == 0 && (v->id == NULL || v->op == NULL)) {
        rc = ctis_err_set(err, CTIS_EINVAL, "a version needs an id and op");
    }
    return rc != 0 ? rc : st->ops->add_version(st, v, err);
}

/* The last version number, 0 when none. */
int store_current_version(struct store *st, int kind, const char *id,
                          long *out, int *has_body, struct ctis_err *err)
{
    int ignored;

    if (id == NULL) {
        return ctis_err_set(err, CTIS_EINVAL, "no id given");
    }
    return st->ops->current_version(st, kind, id, out,
                                    has_body != NULL ? has_body : &ignored,
                                    err);
}

/* SQLite only (see store.h). */
int store_versions_lazy(const struct store *st)
{
    return strcmp(st->ops->name, "sqlite") == 0;
}

/* Fill a missing body. */
int store_fill_version(struct store *st, int kind, const char *id,
                       long version, const char *body, struct ctis_err *err)
{
    int rc = check_write(st, body, "a version body", err);

    return rc != 0 ? rc : st->ops->fill_version(st, kind, id, version, body,
                                                err);
}

/* Every version, oldest first. */
int store_each_version(struct store *st, int kind, const char *id,
                       store_version_fn fn, void *ctx, struct ctis_err *err)
{
    if (id == NULL || fn == NULL) {
        return ctis_err_set(err, CTIS_EINVAL, "no id or callback given");
    }
    return st->ops->each_version(st, kind, id, fn, ctx, err);
}

/* Upsert a user by name. */
int store_put_user(struct store *st, const struct store_user *u,
                   struct ctis_err *err)
{
    int rc = check_write(st, u, "a user", err);

    return rc != 0 ? rc : st->ops->put_user(st, u, err);
}

/* Read one user. */
int store_get_user(struct store *st, const char *username,
                   struct store_user *out, struct ctis_err *err)
{
    if (username == NULL) {
        return ctis_err_set(err, CTIS_EINVAL, "no user name given");
    }
    return st->ops->get_user(st, username, out, err);
}

/* Every user by name. */
int store_each_user(struct store *st, store_user_fn fn, void *ctx,
                    struct ctis_err *err)
{
    return st->ops->each_user(st, fn, ctx, err);
}

/* Insert a referral. */
int store_add_referral(struct store *st, const struct store_referral *r,
                       long *id, struct ctis_err *err)
{
    int rc = check_write(st, r, "a referral", err);

    return rc != 0 ? rc : st->ops->add_referral(st, r, id, err);
}

/* Decide a pending referral. */
int store_decide_referral(struct store *st, long id, int state,
                          const char *actor, long at, struct ctis_err *err)
{
    int rc = check_write(st, actor, "a referral decision", err);

    if (rc == 0 && state != STORE_REF_ACCEPTED &&
        state != STORE_REF_DECLINED) {
        rc = ctis_err_set(err, CTIS_EINVAL, "a decision accepts or declines");
    }
    return rc != 0 ? rc : st->ops->decide_referral(st, id, state, actor, at,
                                                   err);
}

/* Referrals matching the filter. */
int store_each_referral(struct store *st,
                        const struct store_referral_filter *f,
                        store_referral_fn fn, void *ctx,
                        struct ctis_err *err)
{
    if (f == NULL || fn == NULL) {
        return ctis_err_set(err, CTIS_EINVAL, "no filter or callback given");
    }
    return st->ops->each_referral(st, f, fn, ctx, err);
}

/* The API server's own state (store.h): checked here, stored below. */
/* The kept answer of a create holds the record it made, a person's
 * identity included: in a sealed database it is sealed text (table
 * "idempotency", the user and key as id). */
int store_idem_id(const char *user, const char *key, char **out,
                  struct ctis_err *err)
{
    size_t n = strlen(user) + strlen(key) + 2;

    *out = ctis_malloc(n);
    if (*out == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    snprintf(*out, n, "%s\n%s", user, key);
    return 0;
}

int store_idem_get(struct store *st, const char *user, const char *key,
                   long since, int *status, struct ctis_buf *body,
                   char *location, size_t location_n, char *etag,
                   size_t etag_n, struct ctis_err *err)
{
    char *id = NULL;
    char *opened = NULL;
    int found = st->ops->idem_get(st, user, key, since, status, body,
                                  location, location_n, etag, etag_n, err);
    int rc;

    if (found <= 0 || body->len == 0 || !store_text_is_sealed(body->data)) {
        return found;
    }
    rc = store_idem_id(user, key, &id, err);
    if (rc == 0) {
        rc = store_open_text(st, "idempotency", id, 0, body->data, &opened,
                             err);
    }
    if (rc == 0) {
        ctis_buf_reset(body);
        rc = ctis_buf_puts(body, opened) != 0
                 ? ctis_err_set(err, CTIS_ENOMEM, "out of memory")
                 : 0;
        seal_wipe(opened, strlen(opened));
    }
    ctis_free(opened);
    ctis_free(id);
    return rc != 0 ? rc : found;
}

int store_idem_put(struct store *st, const char *user, const char *key,
                   long at, int status, const char *body,
                   const char *location, const char *etag,
                   struct ctis_err *err)
{
    char *id = NULL;
    char *sealed = NULL;
    int rc = check_write(st, key, "an idempotency key", err);

    if (rc == 0 && st->sealed && body != NULL && body[0] != '\0') {
        rc = store_idem_id(user, key, &id, err);
        if (rc == 0) {
            rc = store_seal_text(st, "idempotency", id, 0, body, &sealed,
                                 err);
        }
    }
    if (rc == 0) {
        rc = st->ops->idem_put(st, user, key, at, status,
                               sealed != NULL ? sealed : body, location,
                               etag, err);
    }
    ctis_free(sealed);
    ctis_free(id);
    return rc;
}

int store_get_monitoring(struct store *st, const char *agency, int *days,
                         struct ctis_err *err)
{
    return st->ops->get_monitoring(st, agency, days, err);
}

int store_put_monitoring(struct store *st, const char *agency, int days,
                         struct ctis_err *err)
{
    int rc = check_write(st, agency, "a monitoring interval", err);

    return rc != 0 ? rc : st->ops->put_monitoring(st, agency, days, err);
}

int store_get_must_change(struct store *st, const char *username, int *out,
                          struct ctis_err *err)
{
    return st->ops->get_must_change(st, username, out, err);
}

int store_set_must_change(struct store *st, const char *username, int on,
                          struct ctis_err *err)
{
    int rc = check_write(st, username, "a user flag", err);

    return rc != 0 ? rc : st->ops->set_must_change(st, username, on, err);
}
