/*
 * ops.c - callers, roles and the access policy (ops_allow), users and
 * passwords, and the one writer every operation goes through
 * (ops_put_record: numbered events, derived status, the version row).
 *
 * The policy is a table of what each role may do; agency scoping is one
 * rule on top: a case worker or viewer acts on the records of its own
 * agency, and any other agency's record is "not found" (so ids cannot be
 * probed), while an action the role may never take is "permission
 * denied".
 */
#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ops_int.h"

const struct model_code ops_role_codes[] = {
    {OPS_ROLE_ADMIN, "admin"},
    {OPS_ROLE_CASE_WORKER, "case_worker"},
    {OPS_ROLE_POLICE, "police"},
    {OPS_ROLE_ANALYST, "analyst"},
    {OPS_ROLE_VIEWER, "viewer"},
    {0, NULL}};

const struct model_code ops_consent_codes[] = {
    {OPS_CONSENT_GIVEN, "given"},
    {OPS_CONSENT_REFUSED, "refused"},
    {OPS_CONSENT_NOT_REQUIRED, "not_required"},
    {0, NULL}};

/* Fill the context; the store stays the caller's. */
void ops_init(struct ops *o, struct store *st, const struct ops_caller *who)
{
    memset(o, 0, sizeof *o);
    o->st = st;
    if (who != NULL) {
        o->who = *who;
    }
}

/* The clock, or the time a test fixed. */
long ops_now(const struct ops *o)
{
    return o->now != 0 ? o->now : (long)time(NULL);
}

/* $USER when it is a plain name, else "local". */
void ops_os_user(char *out, size_t n)
{
    uid_t uid = geteuid();
    struct passwd pw;
    struct passwd *res = NULL;
    char buf[1024];

    if (getpwuid_r(uid, &pw, buf, sizeof buf, &res) == 0 && res != NULL &&
        strlen(res->pw_name) < n && model_id_valid(res->pw_name)) {
        ctis_strlcpy(out, res->pw_name, n);
    } else {
        snprintf(out, n, "uid-%lu", (unsigned long)uid);
    }
}

void ops_caller_local_admin(struct ops_caller *out)
{
    memset(out, 0, sizeof *out);
    ops_os_user(out->user, sizeof out->user);
    out->role = OPS_ROLE_ADMIN;
}

const char *ops_actor(const struct ops *o)
{
    return o->actor != NULL && o->actor[0] != '\0' ? o->actor : o->who.user;
}

/* The stored user as a caller. */
int ops_caller_of_user(struct store *st, const char *username,
                       struct ops_caller *out, struct ctis_err *err)
{
    struct store_user u;
    int rc = store_get_user(st, username, &u, err);

    if (rc != 0) {
        return rc;
    }
    if (u.disabled) {
        return ctis_err_set(err, CTIS_EPERM, "user '%s' is disabled",
                            username);
    }
    memset(out, 0, sizeof *out);
    ctis_strlcpy(out->user, u.username, sizeof out->user);
    ctis_strlcpy(out->agency, u.agency, sizeof out->agency);
    out->role = u.role;
    return 0;
}

/* One message for every refusal, so a login cannot probe user names. */
int ops_login(struct store *st, const char *username, const char *password,
              struct ops_caller *out, struct ctis_err *err)
{
    struct store_user u;
    int rc = store_get_user(st, username, &u, NULL);

    if (rc == 0 && !u.disabled && u.password_hash[0] != '\0' &&
        sodium_init() >= 0 &&
        crypto_pwhash_str_verify(u.password_hash, password,
                                 strlen(password)) == 0) {
        return ops_caller_of_user(st, username, out, err);
    }
    if (rc != 0 && rc != CTIS_ENOTFOUND) {
        return ctis_err_set(err, rc, "cannot read users");
    }
    return ctis_err_set(err, CTIS_EPERM, "wrong user name or password");
}

/* ---- the policy -------------------------------------------------------- */

/* May role do action at all? Bit r of allowed[action] says so. */
#define R(role) (1u << (role))
static const unsigned allowed[] = {
    [OPS_CASE_READ] = R(OPS_ROLE_CASE_WORKER) | R(OPS_ROLE_VIEWER) |
                      R(OPS_ROLE_POLICE),
    [OPS_CASE_WRITE] = R(OPS_ROLE_CASE_WORKER),
    [OPS_CASE_LIST] = R(OPS_ROLE_CASE_WORKER) | R(OPS_ROLE_VIEWER) |
                      R(OPS_ROLE_POLICE),
    [OPS_REFERRAL_DECIDE] = R(OPS_ROLE_CASE_WORKER),
    [OPS_CRIMINAL_READ] = R(OPS_ROLE_POLICE),
    [OPS_IMPORT] = R(OPS_ROLE_CASE_WORKER),
    [OPS_EXPORT] = 0,
    [OPS_EXPORT_PUBLIC] = R(OPS_ROLE_ANALYST),
    [OPS_REPORT] = R(OPS_ROLE_ANALYST) | R(OPS_ROLE_POLICE),
    [OPS_LINK] = R(OPS_ROLE_ANALYST),
    [OPS_ADMIN] = 0};

/* Roles bound to their agency's records. */
static int scoped(int role)
{
    return role == OPS_ROLE_CASE_WORKER || role == OPS_ROLE_VIEWER;
}

/* The whole access policy; see ops.h. */
int ops_allow(const struct ops *o, int action, const char *agency,
              const char *id, struct ctis_err *err)
{
    int role = o->who.role;

    if (role == OPS_ROLE_ADMIN) {
        return 0;
    }
    if (action < 0 || (size_t)action >= sizeof allowed / sizeof allowed[0] ||
        role < 0 || role > OPS_ROLE_VIEWER || !(allowed[action] & R(role))) {
        return ctis_err_set(err, CTIS_EPERM,
                            "permission denied: role '%s' may not do this",
                            role >= 0 && role <= OPS_ROLE_VIEWER
                                ? model_code_name(ops_role_codes, role)
                                : "?");
    }
    if (scoped(role) && agency != NULL && agency[0] != '\0' &&
        strcmp(agency, o->who.agency) != 0) {
        if (id != NULL) {
            return ctis_err_set(err, CTIS_ENOTFOUND, "no case has the id given");
        }
        return ctis_err_set(err, CTIS_EPERM,
                            "permission denied: agency '%s' is not the "
                            "caller's",
                            agency);
    }
    return 0;
}

/* Admins and the scoped roles see names; police and analysts do not. */
int ops_sees_identity(const struct ops *o)
{
    return o->who.role == OPS_ROLE_ADMIN || scoped(o->who.role);
}

/* Every identifying field of model_person (the list issue 12 will make
 * the one list in model/). */
void ops_clear_identity(struct model_person *p)
{
    p->given_name[0] = '\0';
    p->family_name[0] = '\0';
    p->given_name_km[0] = '\0';
    p->family_name_km[0] = '\0';
    p->birth_date = 0;
    p->home_commune[0] = '\0';
    p->home_village[0] = '\0';
    p->phone[0] = '\0';
    p->email[0] = '\0';
}

/* ---- users ------------------------------------------------------------- */

static int hash_password(const char *password, char *out, size_t n,
                         struct ctis_err *err)
{
    if (strlen(password) < 8) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "a password needs at least 8 characters");
    }
    if (sodium_init() < 0 || n < crypto_pwhash_STRBYTES) {
        return ctis_err_set(err, CTIS_EINTERNAL, "libsodium failed");
    }
    if (crypto_pwhash_str(out, password, strlen(password),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        return ctis_err_set(err, CTIS_ENOMEM,
                            "out of memory hashing the password");
    }
    return 0;
}

/* Admin only; the agency must exist for the roles bound to one. */
int ops_user_add(struct ops *o, const char *username, const char *agency,
                 int role, const char *password, struct ctis_err *err)
{
    struct store_user u;
    int rc = ops_allow(o, OPS_ADMIN, NULL, NULL, err);

    if (rc != 0) {
        return rc;
    }
    if (username == NULL || !model_id_valid(username)) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "a user name is 1 to 63 of A-Z a-z 0-9 . _ : -");
    }
    if (role < 0 || role > OPS_ROLE_VIEWER) {
        return ctis_err_set(err, CTIS_EINVAL, "unknown role");
    }
    if (agency == NULL) {
        agency = "";
    }
    if (agency[0] == '\0' && (scoped(role) || role == OPS_ROLE_POLICE)) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "role '%s' needs an agency",
                            model_code_name(ops_role_codes, role));
    }
    if (agency[0] != '\0') {
        rc = store_exists(o->st, STORE_AGENCY, agency, err);
        if (rc == 0) {
            return ctis_err_set(err, CTIS_ENOTFOUND, "no agency has the id given");
        }
        if (rc < 0) {
            return rc;
        }
    }
    rc = store_get_user(o->st, username, &u, err);
    if (rc == 0) {
        return ctis_err_set(err, CTIS_ECONFLICT, "user '%s' exists",
                            username);
    }
    if (rc != CTIS_ENOTFOUND) {
        return rc;
    }
    memset(&u, 0, sizeof u);
    ctis_strlcpy(u.username, username, sizeof u.username);
    ctis_strlcpy(u.agency, agency, sizeof u.agency);
    u.role = role;
    u.created = ops_now(o);
    if (password != NULL) {
        rc = hash_password(password, u.password_hash,
                           sizeof u.password_hash, err);
        if (rc != 0) {
            return rc;
        }
    }
    rc = store_put_user(o->st, &u, err);
    return rc != 0 ? rc : ops_audit_note(o, "user.add", "user", username, 0, 1,
                                         err);
}

/* Oneself or, for an admin, anyone. */
int ops_user_passwd(struct ops *o, const char *username,
                    const char *password, struct ctis_err *err)
{
    struct store_user u;
    int rc = 0;

    if (strcmp(username, o->who.user) != 0) {
        rc = ops_allow(o, OPS_ADMIN, NULL, NULL, err);
    }
    if (rc == 0) {
        rc = store_get_user(o->st, username, &u, err);
    }
    if (rc == 0) {
        rc = hash_password(password, u.password_hash,
                           sizeof u.password_hash, err);
    }
    if (rc == 0) {
        rc = store_put_user(o->st, &u, err);
    }
    return rc != 0 ? rc
                   : ops_audit_note(o, "user.passwd", "user", username, 0,
                                    1, err);
}

/* Admin only. */
int ops_user_disable(struct ops *o, const char *username,
                     struct ctis_err *err)
{
    struct store_user u;
    int rc = ops_allow(o, OPS_ADMIN, NULL, NULL, err);

    if (rc == 0) {
        rc = store_get_user(o->st, username, &u, err);
    }
    if (rc != 0) {
        return rc;
    }
    u.disabled = 1;
    rc = store_put_user(o->st, &u, err);
    return rc != 0 ? rc : ops_audit_note(o, "user.disable", "user", username, 0,
                                         1, err);
}

struct user_list {
    store_user_fn fn;
    void *ctx;
};

static int list_user(void *ctx, const struct store_user *u)
{
    struct user_list *l = ctx;
    struct store_user copy = *u;

    memset(copy.password_hash, 0, sizeof copy.password_hash);
    return l->fn(l->ctx, &copy);
}

/* Admin only; hashes never leave. */
int ops_user_list(struct ops *o, store_user_fn fn, void *ctx,
                  struct ctis_err *err)
{
    struct user_list l = {fn, ctx};
    int rc = ops_allow(o, OPS_ADMIN, NULL, NULL, err);

    return rc != 0 ? rc : store_each_user(o->st, list_user, &l, err);
}

/* ---- the writer -------------------------------------------------------- */

static const int kind_of[] = {
    [IO_REC_AGENCY] = STORE_AGENCY, [IO_REC_CASE] = STORE_CASE,
    [IO_REC_CRIMINAL_CASE] = STORE_CRIMINAL_CASE,
    [IO_REC_ACTIVITY] = STORE_ACTIVITY,
    [IO_REC_INSTRUMENT] = STORE_INSTRUMENT};

static int put_plain(struct ops *o, const struct io_record *r,
                     struct ctis_err *err)
{
    switch (r->type) {
    case IO_REC_AGENCY:
        return store_put_agency(o->st, &r->u.agency, err);
    case IO_REC_CASE:
        return store_put_case(o->st, &r->u.kase, err);
    case IO_REC_CRIMINAL_CASE:
        return store_put_criminal_case(o->st, &r->u.criminal_case, err);
    case IO_REC_ACTIVITY:
        return store_put_activity(o->st, &r->u.activity, err);
    default:
        return store_put_instrument(o->st, &r->u.instrument, err);
    }
}

/* An offender's own version, with the criminal case that named it. */
static int offender_versions(struct ops *o,
                             const struct model_criminal_case *cc,
                             const char *op, long at, struct ctis_err *err)
{
    size_t i;
    int rc = 0;

    for (i = 0; rc == 0 && i < cc->n_offenders; i++) {
        const struct model_offender *f = &cc->offenders[i];
        json_t *j = json_pack("{s:s,s:s,s:s,s:s}", "type", "offender", "id",
                              f->id, "sex",
                              model_code_name(model_sex_codes, f->sex),
                              "role",
                              model_code_name(model_role_codes, f->role));
        char *body = NULL;
        struct store_version_in v;
        char note[MODEL_ID_MAX + 16];

        if (j != NULL && f->citizenship[0] != '\0') {
            json_object_set_new(j, "citizenship",
                                json_string(f->citizenship));
        }
        body = j != NULL ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER)
                         : NULL;
        json_decref(j);
        if (body == NULL) {
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        snprintf(note, sizeof note, "criminal_case=%s", cc->id);
        memset(&v, 0, sizeof v);
        v.kind = STORE_OFFENDER;
        v.id = f->id;
        v.at = at;
        v.actor = ops_actor(o);
        v.op = op;
        v.note = note;
        v.body = body;
        rc = store_add_version(o->st, &v, err);
        ctis_free(body);
    }
    return rc;
}

/* The JSON line of r without its newline into body (initialised). */
static int record_json(const struct io_record *r, struct ctis_buf *body,
                       struct ctis_err *err)
{
    if (io_jsonl_write(body, r, 0) != 0) {
        ctis_buf_release(body);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    if (body->len > 0 && body->data[body->len - 1] == '\n') {
        body->data[--body->len] = '\0';
    }
    return 0;
}

/* On a lazy store (store_versions_lazy) the latest version of a case has
 * no body: before the case changes, its live state becomes that
 * version's body. *cur is that version's number (0 for a new case), so
 * the new version needs no second lookup. */
static int keep_live_state(struct ops *o, const char *id, long *curp,
                           struct ctis_err *err)
{
    struct io_record old;
    struct ctis_buf body;
    long cur = 0;
    int has = 1;
    int rc = store_current_version(o->st, STORE_CASE, id, &cur, &has, err);

    *curp = cur;
    if (rc != 0 || cur == 0 || has) {
        return rc;
    }
    memset(&old, 0, sizeof old);
    old.type = IO_REC_CASE;
    model_case_init(&old.u.kase);
    rc = store_get_case(o->st, id, &old.u.kase, err);
    if (rc == CTIS_ENOTFOUND) {
        ctis_err_clear(err);
        rc = 0;
    } else if (rc == 0) {
        ctis_buf_init(&body);
        rc = record_json(&old, &body, err);
        if (rc == 0) {
            rc = store_fill_version(o->st, STORE_CASE, id, cur, body.data,
                                    err);
        }
        ctis_buf_release(&body);
    }
    model_case_release(&old.u.kase);
    return rc;
}

/* Derive, write, version. */
int ops_put_record(struct ops *o, struct io_record *r, const char *op,
                   const char *note, struct ctis_err *err)
{
    struct store_version_in v;
    struct ctis_buf body;
    int lazy = r->type == IO_REC_CASE && store_versions_lazy(o->st);
    long cur = 0;
    int rc = 0;

    if (r->type == IO_REC_CASE) {
        model_case_number_events(&r->u.kase);
        model_case_derive_status(&r->u.kase);
    }
    /* A case not in the store yet (most of an import) is written by the
     * store's fast path: it has no live state to keep and no version. */
    if (lazy) {
        rc = store_put_new_case(o->st, &r->u.kase, err);
        if (rc == 0) {
            rc = keep_live_state(o, r->u.kase.id, &cur, err);
            if (rc == 0) {
                rc = put_plain(o, r, err);
            }
        } else if (rc > 0) {
            rc = 0;
        }
    } else {
        rc = put_plain(o, r, err);
    }
    if (rc != 0) {
        return rc;
    }
    ctis_buf_init(&body);
    if (!lazy && record_json(r, &body, err) != 0) {
        return CTIS_ENOMEM;
    }
    memset(&v, 0, sizeof v);
    v.kind = kind_of[r->type];
    v.id = io_record_id(r);
    v.at = ops_now(o);
    v.actor = ops_actor(o);
    v.op = op;
    v.note = note != NULL ? note : "";
    v.body = lazy ? NULL : body.data;
    v.known = lazy;
    v.current = cur;
    rc = store_add_version(o->st, &v, err);
    ctis_buf_release(&body);
    if (rc == 0 && r->type == IO_REC_CRIMINAL_CASE) {
        rc = offender_versions(o, &r->u.criminal_case, op, v.at, err);
    }
    /* Every write's audit entry, in the write's transaction; a bulk load
     * (import, demo) has one entry for the whole file instead. */
    if (rc == 0 && strcmp(op, "import") != 0 && strcmp(op, "demo") != 0) {
        static const char *const kinds[] = {
            [IO_REC_AGENCY] = "agency", [IO_REC_CASE] = "case",
            [IO_REC_CRIMINAL_CASE] = "criminal_case",
            [IO_REC_ACTIVITY] = "activity",
            [IO_REC_INSTRUMENT] = "instrument"};

        rc = ops_audit_note(o, op, kinds[r->type], v.id, 0, 1, err);
    }
    return rc;
}

/* Lock first, then read: the version read stays current until commit. */
int ops_lock_version(struct ops *o, int kind, const char *id, long *version,
                     struct ctis_err *err)
{
    int rc = store_lock(o->st, kind, id, err);

    return rc != 0 ? rc : store_current_version(o->st, kind, id, version,
                                                NULL, err);
}

/* -1 accepts any version. */
int ops_check_version(const char *id, long if_version, long current,
                      struct ctis_err *err)
{
    if (if_version >= 0 && if_version != current) {
        return ctis_err_set(err, CTIS_ECONFLICT,
                            "'%s' is at version %ld, not %ld: read it again "
                            "and retry",
                            id, current, if_version);
    }
    return 0;
}
