/*
 * migrate.c - ops_migrate: copy a whole database into another (a SQLite
 * file and a PostgreSQL database, either way, or two of the same kind)
 * through store.h, then verify the copy.
 *
 * The copy is one transaction on the target: agencies, cases, criminal
 * cases, activities and instruments in that order, so every reference is
 * in place when it is written, each with its versions (the history, and
 * an agency's monitoring interval); then users (password hashes, so they
 * log in as before), referrals (same ids) and the audit trail (appended
 * in order: on an empty target the same chain). While copying, each
 * record's JSON Lines form (every field, identifying ones included;
 * never printed) is hashed; the hashes are summed per kind (order does
 * not matter) and kept per id. After the commit the target is read back
 * and every record whose id came from the source is hashed again: counts
 * and checksums per kind must be equal, and so must the event and
 * offender counts. A target that already holds records is refused unless
 * force, which writes the source's records over the target's of the same
 * id and keeps the rest (they are counted, and left out of the
 * comparison).
 */
#include <stdint.h>
#include <string.h>

#include "ops_int.h"

#define N_KINDS 5
#define N_SIDES_MAX 5

static const char *const kind_name[N_KINDS] = {
    "agencies", "cases", "criminal cases", "activities", "instruments"};

/* One id seen in the source: its kind, its hash. */
struct seen_id {
    char *key;    /* kind letter + id; NULL for a free slot */
    uint64_t h;
};

struct tally {
    long n[N_KINDS > N_SIDES_MAX ? N_KINDS : N_SIDES_MAX];
    uint64_t sum[N_KINDS > N_SIDES_MAX ? N_KINDS : N_SIDES_MAX];
};

/* What is kept beside the records, copied and compared the same way. */
enum side { SIDE_VERSIONS, SIDE_USERS, SIDE_REFERRALS, SIDE_AUDIT,
            SIDE_MONITORING, N_SIDES };

static const char *const side_name[N_SIDES] = {
    "versions", "users", "referrals", "audit entries", "monitoring"};

struct migration {
    struct store *from;
    struct store *to;
    struct tally side_src;       /* n and sum per enum side */
    struct tally side_dst;
    int fresh;                   /* the target was empty: ids kept */
    struct ctis_buf buf;
    struct io_record rec;
    struct seen_id *ids;
    size_t cap;
    size_t len;
    struct ctis_arena arena;
    struct tally src;
    struct tally dst;
    long extra[N_KINDS];  /* target records with no source record */
    int reading_target;
    struct ctis_err *err;
};

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    size_t i;

    for (i = 0; i < n; i++) {
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    }
    return h;
}

static size_t slot(const struct migration *m, const char *key)
{
    size_t i = (size_t)fnv(key, strlen(key)) & (m->cap - 1);

    while (m->ids[i].key != NULL && strcmp(m->ids[i].key, key) != 0) {
        i = (i + 1) & (m->cap - 1);
    }
    return i;
}

static int grow(struct migration *m)
{
    size_t cap = m->cap > 0 ? m->cap * 2 : 4096;
    struct seen_id *old = m->ids;
    size_t ocap = m->cap;
    size_t i;

    m->ids = ctis_calloc(cap, sizeof *m->ids);
    if (m->ids == NULL) {
        m->ids = old;
        return CTIS_ENOMEM;
    }
    m->cap = cap;
    for (i = 0; i < ocap; i++) {
        if (old[i].key != NULL) {
            m->ids[slot(m, old[i].key)] = old[i];
        }
    }
    ctis_free(old);
    return 0;
}

/* Remember key (kind letter + id) with hash h. */
static int remember(struct migration *m, const char *key, uint64_t h)
{
    size_t i;
    size_t n = strlen(key) + 1;

    if ((m->len + 1) * 2 > m->cap && grow(m) != 0) {
        return CTIS_ENOMEM;
    }
    i = slot(m, key);
    if (m->ids[i].key == NULL) {
        m->ids[i].key = ctis_arena_alloc(&m->arena, n);
        if (m->ids[i].key == NULL) {
            return CTIS_ENOMEM;
        }
        memcpy(m->ids[i].key, key, n);
        m->len++;
    }
    m->ids[i].h = h;
    return 0;
}

/* The record's hash (of its JSON line) into *h. */
static int hash_record(struct migration *m, int type, const void *record,
                       size_t size, uint64_t *h)
{
    m->rec.type = type;
    memcpy(&m->rec.u, record, size);
    ctis_buf_reset(&m->buf);
    if (io_jsonl_write(&m->buf, &m->rec, 0) != 0) {
        return ctis_err_set(m->err, CTIS_ENOMEM, "out of memory");
    }
    *h = fnv(m->buf.data, m->buf.len);
    return 0;
}

/* ---- history, users, referrals, audit, monitoring ---------------------- */

/* Add one item of a side to the tally of the store being read. */
static void tally_side(struct migration *m, enum side k, const char *text,
                       size_t n)
{
    struct tally *t = m->reading_target ? &m->side_dst : &m->side_src;

    t->n[k]++;
    t->sum[k] += fnv(text, n);
}

struct vwalk {
    struct migration *m;
    int kind;
    const char *id;
    long last;          /* the source's latest version */
    const char *live;   /* the record's JSON line, no newline */
};

/* One version: tallied by its number, time, actor, operation and note;
 * on the source side written to the target (numbered there one past the
 * last, so on an empty target the same number). The latest version of a
 * record may have no body (SQLite keeps the live record instead, and
 * migration 3's rows had none): it gets the live record's JSON, which is
 * that version's state. */
static int on_version(void *ctx, const struct store_version *v)
{
    struct vwalk *w = ctx;
    struct store_version_in in;
    char meta[512];
    int n = snprintf(meta, sizeof meta, "%d %s %ld %ld %s %s %s", w->kind,
                     w->id, v->version, v->at, v->actor, v->op, v->note);

    tally_side(w->m, SIDE_VERSIONS, meta,
               n > 0 && (size_t)n < sizeof meta ? (size_t)n : sizeof meta);
    if (w->m->reading_target) {
        return 0;
    }
    memset(&in, 0, sizeof in);
    in.kind = w->kind;
    in.id = w->id;
    in.at = v->at;
    in.actor = v->actor;
    in.op = v->op;
    in.note = v->note;
    in.body = v->body != NULL || v->version != w->last ? v->body : w->live;
    return store_add_version(w->m->to, &in, w->m->err);
}

/* Every version of (kind, id) of the store being read. */
static int copy_versions(struct migration *m, int kind, const char *id,
                         const char *live)
{
    struct store *st = m->reading_target ? m->to : m->from;
    struct vwalk w = {m, kind, id, 0, live};
    int rc = store_current_version(st, kind, id, &w.last, NULL, m->err);

    return rc != 0 ? rc : store_each_version(st, kind, id, on_version, &w,
                                             m->err);
}

/* The offenders a criminal case names, each once in the migration. */
static int offender_versions(struct migration *m,
                             const struct model_criminal_case *cc)
{
    size_t i;

    for (i = 0; i < cc->n_offenders; i++) {
        char key[MODEL_ID_MAX + 1];
        size_t k;
        int rc;

        key[0] = m->reading_target ? 'Z' : 'z';
        ctis_strlcpy(key + 1, cc->offenders[i].id, sizeof key - 1);
        if (m->cap > 0) {
            k = slot(m, key);
            if (m->ids[k].key != NULL) {
                continue;
            }
        }
        if (remember(m, key, 0) != 0) {
            return ctis_err_set(m->err, CTIS_ENOMEM, "out of memory");
        }
        rc = copy_versions(m, STORE_OFFENDER, cc->offenders[i].id, NULL);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

static int on_user(void *ctx, const struct store_user *u)
{
    struct migration *m = ctx;
    char text[512];
    int must = 0;
    int rc = store_get_must_change(m->reading_target ? m->to : m->from,
                                   u->username, &must, m->err);
    int n;

    if (rc != 0) {
        return rc;
    }
    n = snprintf(text, sizeof text, "%s %s %d %d %s %ld %d", u->username,
                 u->agency, u->role, u->disabled, u->password_hash,
                 u->created, must);
    tally_side(m, SIDE_USERS, text,
               n > 0 && (size_t)n < sizeof text ? (size_t)n : sizeof text);
    if (m->reading_target) {
        return 0;
    }
    rc = store_put_user(m->to, u, m->err);
    return rc != 0 ? rc : store_set_must_change(m->to, u->username, must,
                                                m->err);
}

/* A referral keeps its id on an empty target; its decision follows. */
static int on_referral(void *ctx, const struct store_referral *r)
{
    struct migration *m = ctx;
    struct store_referral copy = *r;
    char text[512];
    long id = 0;
    int n = snprintf(text, sizeof text, "%ld %s %s %s %d %d %ld %s %ld %s",
                     m->fresh ? r->id : 0, r->case_id, r->from_agency,
                     r->to_agency, r->service, r->state, r->at, r->actor,
                     r->decided_at, r->decided_by);
    int rc;

    tally_side(m, SIDE_REFERRALS, text,
               n > 0 && (size_t)n < sizeof text ? (size_t)n : sizeof text);
    if (m->reading_target) {
        return 0;
    }
    copy.id = m->fresh ? r->id : 0;
    rc = store_add_referral(m->to, &copy, &id, m->err);
    if (rc == 0 && r->state != STORE_REF_PENDING) {
        rc = store_decide_referral(m->to, id, r->state, r->decided_by,
                                   r->decided_at, m->err);
    }
    return rc;
}

/* Audit entries are appended in order: on an empty target the chain is
 * rebuilt entry for entry, the same numbers and hashes. */
static int on_audit(void *ctx, const struct store_audit *e)
{
    struct migration *m = ctx;
    struct store_audit copy = *e;
    char text[512];
    int n = snprintf(text, sizeof text, "%lld %s %s %s %s %s %s %s %d %s",
                     e->at, e->user, e->role, e->agency, e->action, e->kind,
                     e->record, e->address, e->status,
                     m->fresh ? e->hash : "");

    tally_side(m, SIDE_AUDIT, text,
               n > 0 && (size_t)n < sizeof text ? (size_t)n : sizeof text);
    return m->reading_target ? 0 : store_audit_append(m->to, &copy, 1,
                                                      m->err);
}

/* An agency's monitoring interval, when it set one. */
static int monitoring(struct migration *m, const char *agency)
{
    char text[MODEL_ID_MAX + 16];
    int days = 0;
    int rc = store_get_monitoring(m->reading_target ? m->to : m->from,
                                  agency, &days, m->err);
    int n;

    if (rc == CTIS_ENOTFOUND) {
        ctis_err_clear(m->err);
        return 0;
    }
    if (rc != 0) {
        return rc;
    }
    n = snprintf(text, sizeof text, "%s %d", agency, days);
    tally_side(m, SIDE_MONITORING, text,
               n > 0 && (size_t)n < sizeof text ? (size_t)n : sizeof text);
    return m->reading_target ? 0 : store_put_monitoring(m->to, agency, days,
                                                        m->err);
}

/* Users, referrals and the audit trail of the store being read. */
static int each_beside(struct migration *m, struct store *st)
{
    struct store_referral_filter rf = {0, NULL, NULL, -1};
    struct store_audit_filter af = {0, 0, NULL, NULL, NULL};
    int rc = store_each_user(st, on_user, m, m->err);

    if (rc == 0) {
        rc = store_each_referral(st, &rf, on_referral, m, m->err);
    }
    if (rc == 0) {
        rc = store_each_audit(st, &af, on_audit, m, m->err);
    }
    return rc;
}

/* A record's versions (its JSON line in m->buf, from hash_record), its
 * offenders' versions and an agency's monitoring interval. */
static int beside_record(struct migration *m, int type, const void *record)
{
    static const int kind_of[N_KINDS] = {STORE_AGENCY, STORE_CASE,
                                         STORE_CRIMINAL_CASE, STORE_ACTIVITY,
                                         STORE_INSTRUMENT};
    int rc;

    if (m->buf.len > 0 && m->buf.data[m->buf.len - 1] == '\n') {
        m->buf.data[--m->buf.len] = '\0';
    }
    rc = copy_versions(m, kind_of[type], io_record_id(&m->rec), m->buf.data);
    if (rc == 0 && type == IO_REC_CRIMINAL_CASE) {
        rc = offender_versions(m, record);
    }
    if (rc == 0 && type == IO_REC_AGENCY) {
        rc = monitoring(m, ((const struct model_agency *)record)->id);
    }
    return rc;
}

/* Source side: hash, remember, write into the target. Target side: hash
 * and compare with what the source gave that id. */
static int take(struct migration *m, int type, const void *record,
                size_t size)
{
    char key[MODEL_ID_MAX + 1];
    uint64_t h = 0;
    int rc = hash_record(m, type, record, size, &h);

    if (rc != 0) {
        return rc;
    }
    key[0] = (char)('a' + type);
    ctis_strlcpy(key + 1, io_record_id(&m->rec), sizeof key - 1);
    if (m->reading_target) {
        if (m->cap == 0 || m->ids[slot(m, key)].key == NULL) {
            m->extra[type]++;
            return 0;
        }
        m->dst.n[type]++;
        m->dst.sum[type] += h;
        return beside_record(m, type, record);
    }
    if (remember(m, key, h) != 0) {
        return ctis_err_set(m->err, CTIS_ENOMEM, "out of memory");
    }
    m->src.n[type]++;
    m->src.sum[type] += h;
    switch (type) {
    case IO_REC_AGENCY:
        rc = store_put_agency(m->to, record, m->err);
        break;
    case IO_REC_CASE:
        rc = store_put_case(m->to, record, m->err);
        break;
    case IO_REC_CRIMINAL_CASE:
        rc = store_put_criminal_case(m->to, record, m->err);
        break;
    case IO_REC_ACTIVITY:
        rc = store_put_activity(m->to, record, m->err);
        break;
    default:
        rc = store_put_instrument(m->to, record, m->err);
        break;
    }
    return rc != 0 ? rc : beside_record(m, type, record);
}

static int on_agency(void *ctx, const struct model_agency *a)
{
    return take(ctx, IO_REC_AGENCY, a, sizeof *a);
}

static int on_case(void *ctx, const struct model_case *c)
{
    return take(ctx, IO_REC_CASE, c, sizeof *c);
}

static int on_cc(void *ctx, const struct model_criminal_case *cc)
{
    return take(ctx, IO_REC_CRIMINAL_CASE, cc, sizeof *cc);
}

static int on_activity(void *ctx, const struct model_activity *a)
{
    return take(ctx, IO_REC_ACTIVITY, a, sizeof *a);
}

static int on_instrument(void *ctx, const struct model_instrument *in)
{
    return take(ctx, IO_REC_INSTRUMENT, in, sizeof *in);
}

/* Every record of st through the callbacks, parents first. */
static int each_record(struct migration *m, struct store *st)
{
    struct store_case_filter all = {NULL, -1, 0, 0, NULL, 0, 0, 0};
    int rc = store_each_agency(st, on_agency, m, m->err);

    if (rc == 0) {
        rc = store_each_case(st, &all, on_case, m, m->err);
    }
    if (rc == 0) {
        rc = store_each_criminal_case(st, on_cc, m, m->err);
    }
    if (rc == 0) {
        rc = store_each_activity(st, on_activity, m, m->err);
    }
    if (rc == 0) {
        rc = store_each_instrument(st, on_instrument, m, m->err);
    }
    return rc != 0 ? rc : each_beside(m, st);
}

/* Total records of every kind in st into *n. */
static int total(struct store *st, long *n, struct ctis_err *err)
{
    static const enum store_kind kinds[] = {
        STORE_AGENCY, STORE_CASE, STORE_CRIMINAL_CASE, STORE_OFFENDER,
        STORE_ACTIVITY, STORE_INSTRUMENT, STORE_EVENT};
    size_t i;

    *n = 0;
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        long k = 0;
        int rc = store_count(st, kinds[i], &k, err);

        if (rc != 0) {
            return rc;
        }
        *n += k;
    }
    return 0;
}

/* Append one line of the comparison to res. */
static void add_line(struct ops_migrate_result *res, const char *what,
                     long source, long target, const uint64_t *checksum,
                     const char *state, long kept)
{
    struct ops_migrate_line *l;

    if (res->n >= OPS_MIGRATE_LINES) {
        return;
    }
    l = &res->line[res->n++];
    l->what = what;
    l->source = source;
    l->target = target;
    l->has_checksum = checksum != NULL;
    l->checksum = checksum != NULL ? *checksum : 0;
    l->state = state;
    l->kept = kept;
}

/* Counts and checksums per kind into res; 0 when they all agree. */
static int compare(struct migration *m, int was_empty,
                   struct ops_migrate_result *res, struct ctis_err *err)
{
    static const enum store_kind sub[] = {STORE_EVENT, STORE_OFFENDER};
    static const char *const sub_name[] = {"events", "offenders"};
    int bad = 0;
    int i;

    for (i = 0; i < N_KINDS; i++) {
        int same = m->src.n[i] == m->dst.n[i] &&
                   m->src.sum[i] == m->dst.sum[i];

        add_line(res, kind_name[i], m->src.n[i], m->dst.n[i],
                 &m->dst.sum[i], same ? "ok" : "DIFFERS", m->extra[i]);
        bad |= !same;
    }
    /* Written over a target that held records, the history, referrals
     * and audit entries follow the target's own: shown, not compared. */
    for (i = 0; i < N_SIDES; i++) {
        int same = m->side_src.n[i] == m->side_dst.n[i] &&
                   m->side_src.sum[i] == m->side_dst.sum[i];

        add_line(res, side_name[i], m->side_src.n[i], m->side_dst.n[i],
                 &m->side_dst.sum[i],
                 same ? "ok" : was_empty ? "DIFFERS" : "(merged)", 0);
        bad |= !same && was_empty;
    }
    for (i = 0; i < 2; i++) {
        long a = 0;
        long b = 0;
        int rc = store_count(m->from, sub[i], &a, err);

        if (rc == 0) {
            rc = store_count(m->to, sub[i], &b, err);
        }
        if (rc != 0) {
            return rc;
        }
        add_line(res, sub_name[i], a, b, NULL,
                 a == b || (!was_empty && b > a) ? "ok" : "DIFFERS", 0);
        bad |= a != b && (was_empty || b < a);
    }
    if (bad) {
        return ctis_err_set(err, CTIS_ECORRUPT,
                            "the copy differs from the source");
    }
    return 0;
}

static int run(struct migration *m, int force,
               struct ops_migrate_result *res, struct ctis_err *err)
{
    long n = 0;
    int rc = total(m->to, &n, err);

    if (rc != 0) {
        return rc;
    }
    if (n > 0 && !force) {
        return ctis_err_set(err, CTIS_EEXIST,
                            "the target is not empty (%ld rows); use "
                            "--force to write over it",
                            n);
    }
    m->fresh = n == 0;
    rc = store_begin(m->to, err);
    if (rc == 0) {
        rc = each_record(m, m->from);
        if (rc == 0) {
            rc = store_commit(m->to, err);
        } else {
            store_rollback(m->to);
        }
    }
    if (rc != 0) {
        return ctis_err_prefix(err, "copy failed, nothing written");
    }
    m->reading_target = 1;
    rc = each_record(m, m->to);
    if (rc == 0) {
        rc = compare(m, n == 0, res, err);
    }
    return rc;
}

int ops_migrate(struct ops *o, struct store *to, int force,
                struct ops_migrate_result *res, struct ctis_err *err)
{
    struct migration m;
    int rc = ops_allow(o, OPS_ADMIN, NULL, NULL, err);

    memset(res, 0, sizeof *res);
    if (rc != 0) {
        return rc;
    }
    memset(&m, 0, sizeof m);
    m.from = o->st;
    m.to = to;
    m.err = err;
    ctis_buf_init(&m.buf);
    io_record_init(&m.rec);
    ctis_arena_init(&m.arena, 256 * 1024);
    rc = run(&m, force, res, err);
    /* rec's arrays were borrowed from the stores' records: not freed. */
    ctis_buf_release(&m.buf);
    ctis_free(m.ids);
    ctis_arena_release(&m.arena);
    return rc;
}
