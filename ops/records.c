/*
 * records.c - the smaller record kinds as operations: agencies,
 * activities, instruments and criminal cases listed, read and added, and
 * offenders as the criminal cases name them. Who may do what is
 * ops_allow's; adding goes through ops_put_record like every write, so
 * each new record has its version 1 and its audit entry.
 */
#include <string.h>

#include "ops_int.h"

static const int store_kind_of[] = {
    [IO_REC_AGENCY] = STORE_AGENCY, [IO_REC_CASE] = STORE_CASE,
    [IO_REC_CRIMINAL_CASE] = STORE_CRIMINAL_CASE,
    [IO_REC_ACTIVITY] = STORE_ACTIVITY,
    [IO_REC_INSTRUMENT] = STORE_INSTRUMENT};

/* Reading criminal cases needs OPS_CRIMINAL_READ; the others any role. */
static int may_read(struct ops *o, int type, struct ctis_err *err)
{
    if (type == IO_REC_CASE || type < 0 || type > IO_REC_INSTRUMENT) {
        return ctis_err_set(err, CTIS_EINVAL, "not a record type here");
    }
    return type == IO_REC_CRIMINAL_CASE
               ? ops_allow(o, OPS_CRIMINAL_READ, NULL, NULL, err)
               : 0;
}

/* Admins write agencies and instruments; police (and admins) criminal
 * cases; case workers the activities of their own agency. */
static int may_add(struct ops *o, const struct io_record *r,
                   struct ctis_err *err)
{
    switch (r->type) {
    case IO_REC_CRIMINAL_CASE:
        return o->who.role == OPS_ROLE_POLICE
                   ? 0
                   : ops_allow(o, OPS_ADMIN, NULL, NULL, err);
    case IO_REC_ACTIVITY:
        if (o->who.role == OPS_ROLE_CASE_WORKER) {
            return strcmp(r->u.activity.agency, o->who.agency) == 0
                       ? 0
                       : ctis_err_set(err, CTIS_EPERM,
                                      "permission denied: agency '%s' is "
                                      "not the caller's",
                                      r->u.activity.agency);
        }
        return ops_allow(o, OPS_ADMIN, NULL, NULL, err);
    default:
        return ops_allow(o, OPS_ADMIN, NULL, NULL, err);
    }
}

struct walk {
    struct ops *o;
    int type;
    const char *id;        /* one record, or NULL */
    long skip;
    long limit;
    long given;
    ops_record_fn fn;
    void *ctx;
    struct io_record *out; /* ops_record_get */
    struct ctis_err *err;
};

static int give(struct walk *w, struct io_record *r, const char *id)
{
    long version = 0;
    int rc;

    if (w->id != NULL && strcmp(w->id, id) != 0) {
        return 0;
    }
    if (w->skip > 0) {
        w->skip--;
        return 0;
    }
    rc = store_current_version(w->o->st, store_kind_of[w->type], id,
                               &version, NULL, w->err);
    if (rc != 0) {
        return rc;
    }
    rc = w->fn(w->ctx, r, version);
    if (rc != 0) {
        return rc;
    }
    w->given++;
    return w->limit > 0 && w->given >= w->limit ? 1 : 0;
}

static int each_agency(void *ctx, const struct model_agency *a)
{
    struct io_record r;

    memset(&r, 0, sizeof r);
    r.type = IO_REC_AGENCY;
    r.u.agency = *a;
    return give(ctx, &r, a->id);
}

static int each_cc(void *ctx, const struct model_criminal_case *cc)
{
    struct io_record r;

    memset(&r, 0, sizeof r);
    r.type = IO_REC_CRIMINAL_CASE;
    r.u.criminal_case = *cc;
    return give(ctx, &r, cc->id);
}

static int each_activity(void *ctx, const struct model_activity *a)
{
    struct io_record r;

    memset(&r, 0, sizeof r);
    r.type = IO_REC_ACTIVITY;
    r.u.activity = *a;
    return give(ctx, &r, a->id);
}

static int each_instrument(void *ctx, const struct model_instrument *in)
{
    struct io_record r;

    memset(&r, 0, sizeof r);
    r.type = IO_REC_INSTRUMENT;
    r.u.instrument = *in;
    return give(ctx, &r, in->id);
}

static int walk_all(struct walk *w)
{
    int rc;

    switch (w->type) {
    case IO_REC_AGENCY:
        rc = store_each_agency(w->o->st, each_agency, w, w->err);
        break;
    case IO_REC_CRIMINAL_CASE:
        rc = store_each_criminal_case(w->o->st, each_cc, w, w->err);
        break;
    case IO_REC_ACTIVITY:
        rc = store_each_activity(w->o->st, each_activity, w, w->err);
        break;
    default:
        rc = store_each_instrument(w->o->st, each_instrument, w, w->err);
        break;
    }
    return rc > 0 ? 0 : rc;
}

int ops_record_list(struct ops *o, int type, long offset, long limit,
                    ops_record_fn fn, void *ctx, struct ctis_err *err)
{
    struct walk w;
    int rc = may_read(o, type, err);

    if (rc != 0) {
        return rc;
    }
    memset(&w, 0, sizeof w);
    w.o = o;
    w.type = type;
    w.skip = offset;
    w.limit = limit;
    w.fn = fn;
    w.ctx = ctx;
    w.err = err;
    return walk_all(&w);
}

/* Keep a deep copy of the one record found: through its JSON line, the
 * copy owns its arrays. */
struct found {
    struct io_record *out;
    long version;
    int hit;
};

static int keep(void *ctx, const struct io_record *r, long version)
{
    struct found *f = ctx;
    struct model_problems pr;
    struct ctis_buf b;
    int rc;

    ctis_buf_init(&b);
    rc = io_jsonl_write(&b, r, 0);
    if (rc == 0) {
        rc = io_jsonl_parse(b.data, b.len > 0 ? b.len - 1 : 0, f->out, &pr);
    }
    ctis_buf_release(&b);
    if (rc != 0) {
        return CTIS_ENOMEM;
    }
    f->version = version;
    f->hit = 1;
    return 1;
}

int ops_record_get(struct ops *o, int type, const char *id,
                   struct io_record *out, long *version,
                   struct ctis_err *err)
{
    struct found f = {out, 0, 0};
    struct walk w;
    int rc = may_read(o, type, err);

    if (rc != 0) {
        return rc;
    }
    memset(&w, 0, sizeof w);
    w.o = o;
    w.type = type;
    w.id = id;
    w.fn = keep;
    w.ctx = &f;
    w.err = err;
    rc = walk_all(&w);
    if (rc != 0) {
        return rc;
    }
    if (!f.hit) {
        return ctis_err_set(err, CTIS_ENOTFOUND, "no record has the id given");
    }
    *version = f.version;
    return 0;
}

int ops_record_add(struct ops *o, struct io_record *r, long *version,
                   struct ctis_err *err)
{
    static const char *const ops_names[] = {
        [IO_REC_AGENCY] = "agency.add", [IO_REC_CASE] = "case.add",
        [IO_REC_CRIMINAL_CASE] = "criminal_case.add",
        [IO_REC_ACTIVITY] = "activity.add",
        [IO_REC_INSTRUMENT] = "instrument.add"};
    const char *id = io_record_id(r);
    long current = 0;
    int rc;

    if (r->type == IO_REC_CASE) {
        return ctis_err_set(err, CTIS_EINVAL, "cases are added with "
                                              "ops_case_add");
    }
    rc = may_add(o, r, err);
    if (rc == 0) {
        rc = ops_lock_version(o, store_kind_of[r->type], id, &current, err);
    }
    if (rc == 0) {
        rc = store_exists(o->st, store_kind_of[r->type], id, err);
        if (rc > 0) {
            return ctis_err_set(err, CTIS_ECONFLICT,
                                "'%s' exists (version %ld)", id, current);
        }
    }
    if (rc == 0) {
        rc = ops_put_record(o, r, ops_names[r->type], "", err);
    }
    if (rc == 0) {
        rc = store_current_version(o->st, store_kind_of[r->type], id,
                                   version, NULL, err);
    }
    return rc;
}

struct off_walk {
    const char *id;
    long skip;
    long limit;
    long given;
    ops_offender_fn fn;
    void *ctx;
    struct ctis_buf seen;   /* "\n" + id + "\n" of each offender given */
};

static int each_offender(void *ctx, const struct model_criminal_case *cc)
{
    struct off_walk *w = ctx;
    size_t i;
    int rc;

    for (i = 0; i < cc->n_offenders; i++) {
        const struct model_offender *f = &cc->offenders[i];
        char key[MODEL_ID_MAX + 3];

        if (w->id != NULL) {
            if (strcmp(f->id, w->id) == 0) {
                rc = w->fn(w->ctx, f, cc->id);
                if (rc != 0) {
                    return rc;
                }
            }
            continue;
        }
        snprintf(key, sizeof key, "\n%s\n", f->id);
        if (w->seen.data != NULL && strstr(w->seen.data, key) != NULL) {
            continue;
        }
        if (ctis_buf_puts(&w->seen, key + (w->seen.len > 0 ? 1 : 0)) != 0) {
            return CTIS_ENOMEM;
        }
        if (w->skip > 0) {
            w->skip--;
            continue;
        }
        rc = w->fn(w->ctx, f, cc->id);
        if (rc != 0) {
            return rc;
        }
        if (w->limit > 0 && ++w->given >= w->limit) {
            return 1;
        }
    }
    return 0;
}

int ops_offender_list(struct ops *o, const char *id, long offset, long limit,
                      ops_offender_fn fn, void *ctx, struct ctis_err *err)
{
    struct off_walk w;
    int rc = ops_allow(o, OPS_CRIMINAL_READ, NULL, NULL, err);

    if (rc != 0) {
        return rc;
    }
    memset(&w, 0, sizeof w);
    w.id = id;
    w.skip = offset;
    w.limit = limit;
    w.fn = fn;
    w.ctx = ctx;
    ctis_buf_init(&w.seen);
    rc = store_each_criminal_case(o->st, each_offender, &w, err);
    ctis_buf_release(&w.seen);
    return rc > 0 ? 0 : rc;
}
