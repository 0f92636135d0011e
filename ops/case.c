/*
 * case.c - the operations on cases: list, read (current or an old
 * version), register, merge-patch update, append an event, transfer,
 * refer and decide referrals, history.
 *
 * Every write follows one sequence, so no write can build on a version
 * it did not read:
 *   1. lock the record (store_lock) and read its current version number;
 *   2. refuse a stale if_version (CTIS_ECONFLICT);
 *   3. read the current record and check the caller may change it;
 *   4. build the new record, validate it, derive its status;
 *   5. write it and its version row (ops_put_record).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ops_int.h"

/* ---- visibility -------------------------------------------------------- */

struct ref_seen {
    const char *agency;
    int found;
};

static int ref_to_me(void *ctx, const struct store_referral *r)
{
    struct ref_seen *s = ctx;

    if (strcmp(r->to_agency, s->agency) == 0 &&
        r->state != STORE_REF_DECLINED) {
        s->found = 1;
    }
    return 0;
}

struct victim_seen {
    const char *id;
    int found;
};

static int is_victim(void *ctx, const struct model_criminal_case *cc)
{
    struct victim_seen *v = ctx;
    size_t i;

    for (i = 0; i < cc->n_victim_cases; i++) {
        if (strcmp(cc->victim_cases[i], v->id) == 0) {
            v->found = 1;
            return 1;
        }
    }
    return 0;
}

/* ops_allow, plus: a case worker reads a case referred to its agency
 * (pending or accepted); the police read only the cases of victims of a
 * criminal case (a scan of the criminal cases, which are few). */
static int case_allowed(struct ops *o, int action,
                        const struct model_case *c, struct ctis_err *err)
{
    int rc = ops_allow(o, action, c->agency, c->id, err);

    if (rc == 0 && o->who.role == OPS_ROLE_POLICE) {
        struct victim_seen v = {c->id, 0};
        int r2 = store_each_criminal_case(o->st, is_victim, &v, err);

        if (r2 < 0) {
            return r2;
        }
        return v.found ? 0 : ctis_err_set(err, CTIS_ENOTFOUND,
                                           "no case has the id given");
    }
    if (rc == CTIS_ENOTFOUND && action == OPS_CASE_READ &&
        o->who.role == OPS_ROLE_CASE_WORKER) {
        struct store_referral_filter f = {0, c->id, o->who.agency, -1};
        struct ref_seen s = {o->who.agency, 0};
        int r2 = store_each_referral(o->st, &f, ref_to_me, &s, NULL);

        if (r2 == 0 && s.found) {
            ctis_err_clear(err);
            return 0;
        }
    }
    return rc;
}

/* The current case, if the caller may act on it. */
static int read_case(struct ops *o, const char *id, int action,
                     struct model_case *c, struct ctis_err *err)
{
    int rc = store_get_case(o->st, id, c, err);

    if (rc == CTIS_ENOTFOUND) {
        return ctis_err_set(err, CTIS_ENOTFOUND, "no case has the id given");
    }
    return rc != 0 ? rc : case_allowed(o, action, c, err);
}

/* ---- list and read ----------------------------------------------------- */

struct list_ctx {
    struct ops *o;
    store_case_fn fn;
    void *ctx;
    char (*victims)[MODEL_ID_MAX]; /* police: the cases they may see */
    size_t n_victims;
    size_t cap_victims;
    int rc;
};

static int cmp_id(const void *a, const void *b)
{
    return strcmp(a, b);
}

static int add_victims(void *ctx, const struct model_criminal_case *cc)
{
    struct list_ctx *l = ctx;
    size_t i;

    for (i = 0; i < cc->n_victim_cases; i++) {
        if (l->n_victims == l->cap_victims) {
            size_t cap = l->cap_victims > 0 ? 2 * l->cap_victims : 64;
            void *p = ctis_realloc(l->victims, cap * MODEL_ID_MAX);

            if (p == NULL) {
                l->rc = CTIS_ENOMEM;
                return 1;
            }
            l->victims = p;
            l->cap_victims = cap;
        }
        ctis_strlcpy(l->victims[l->n_victims++], cc->victim_cases[i],
                     MODEL_ID_MAX);
    }
    return 0;
}

static int list_one(void *ctx, const struct model_case *c)
{
    struct list_ctx *l = ctx;
    struct model_case copy;

    if (l->o->who.role == OPS_ROLE_POLICE &&
        (l->n_victims == 0 ||
         bsearch(c->id, l->victims, l->n_victims, MODEL_ID_MAX, cmp_id) ==
             NULL)) {
        return 0;
    }

    if (ops_sees_identity(l->o)) {
        return l->fn(l->ctx, c);
    }
    copy = *c;
    ops_clear_identity(&copy.person);
    return l->fn(l->ctx, &copy);
}

/* Scoped roles list their own agency. */
int ops_case_list(struct ops *o, const struct store_case_filter *f,
                  store_case_fn fn, void *ctx, struct ctis_err *err)
{
    struct store_case_filter mine = {NULL, -1, 0, 0, NULL, 0, 0, 0};
    struct list_ctx l;
    int rc = ops_allow(o, OPS_CASE_LIST, NULL, NULL, err);

    if (rc != 0) {
        return rc;
    }
    memset(&l, 0, sizeof l);
    l.o = o;
    l.fn = fn;
    l.ctx = ctx;
    if (o->who.role == OPS_ROLE_POLICE) {
        rc = store_each_criminal_case(o->st, add_victims, &l, err);
        if (rc == 1 || l.rc != 0) {
            ctis_free(l.victims);
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        if (rc != 0) {
            ctis_free(l.victims);
            return rc;
        }
        if (l.n_victims > 0) {
            qsort(l.victims, l.n_victims, MODEL_ID_MAX, cmp_id);
        }
    }
    if (f != NULL) {
        mine = *f;
    }
    if (o->who.role == OPS_ROLE_CASE_WORKER ||
        o->who.role == OPS_ROLE_VIEWER) {
        if (mine.agency != NULL && strcmp(mine.agency, o->who.agency) != 0) {
            return 0;
        }
        mine.agency = o->who.agency;
    }
    rc = store_each_case(o->st, &mine, list_one, &l, err);
    ctis_free(l.victims);
    return rc;
}

struct version_pick {
    long want;
    long found;
    int unrecorded;
    struct model_case *out;
    struct model_problems problems;
    int rc;
    struct ctis_err *err;
};

static int pick_version(void *ctx, const struct store_version *v)
{
    struct version_pick *p = ctx;
    json_t *j;

    if (v->version != p->want) {
        return 0;
    }
    p->found = v->version;
    if (v->body == NULL) {
        p->unrecorded = 1;
        return 1;
    }
    j = json_loads(v->body, 0, NULL);
    if (j == NULL) {
        p->rc = ctis_err_set(p->err, CTIS_ECORRUPT,
                             "version %ld of a case cannot be read",
                             v->version);
        return 1;
    }
    model_problems_clear(&p->problems);
    p->rc = ops_case_from_json(j, p->out, &p->problems, p->err);
    json_decref(j);
    return 1;
}

/* The current version, or an old one out of the history. */
int ops_case_get(struct ops *o, const char *id, long version,
                 struct model_case *out, long *version_out,
                 struct ctis_err *err)
{
    struct version_pick p;
    long cur = 0;
    int rc = read_case(o, id, OPS_CASE_READ, out, err);

    if (rc == CTIS_ENOTFOUND || rc == CTIS_EPERM) {
        /* Refused reads are noted too: probing shows in the trail. */
        ops_audit_note(o, "case.read", "case", id, rc, 0, NULL);
    }
    if (rc == 0) {
        rc = store_current_version(o->st, STORE_CASE, id, &cur, NULL, err);
    }
    if (rc != 0) {
        return rc;
    }
    if (version > 0 && version != cur) {
        memset(&p, 0, sizeof p);
        p.want = version;
        p.out = out;
        p.err = err;
        rc = store_each_version(o->st, STORE_CASE, id, pick_version, &p,
                                err);
        if (rc < 0) {
            return rc;
        }
        if (p.rc != 0) {
            return p.rc;
        }
        if (p.found == 0) {
            return ctis_err_set(err, CTIS_ENOTFOUND,
                                "case '%s' has no version %ld", id, version);
        }
        if (p.unrecorded) {
            return ctis_err_set(err, CTIS_EUNSUPPORTED,
                                "version %ld of case '%s' predates the "
                                "history: its state was not recorded",
                                version, id);
        }
        cur = version;
    }
    if (!ops_sees_identity(o)) {
        ops_clear_identity(&out->person);
    } else {
        /* A read of the person's identifying fields. */
        rc = ops_audit_note(o, "case.read", "case", id, 0, 0, err);
        if (rc != 0) {
            return ctis_err_set(err, rc, "cannot note the read");
        }
    }
    if (version_out != NULL) {
        *version_out = cur;
    }
    return 0;
}

/* ---- writes ------------------------------------------------------------ */

static int invalid(const struct model_case *c, struct model_problems *pr,
                   struct ctis_err *err)
{
    struct model_problems local;

    if (pr == NULL) {
        pr = &local;
    }
    model_problems_clear(pr);
    if (model_case_validate(c, pr) > 0) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "case '%s' is invalid: field '%s': %s", c->id,
                            pr->items[0].path, pr->items[0].msg);
    }
    return 0;
}

/* Write a case through the one writer; *version the new number: one
 * past cur, the version read under the record's lock. */
static int write_case(struct ops *o, struct model_case *c, long cur,
                      const char *op, const char *note, long *version,
                      struct ctis_err *err)
{
    struct io_record rec;
    int rc;

    memset(&rec, 0, sizeof rec);
    rec.type = IO_REC_CASE;
    rec.u.kase = *c;
    rc = ops_put_record(o, &rec, op, note, err);
    *c = rec.u.kase; /* the writer may have grown nothing, but numbered */
    if (rc == 0 && version != NULL) {
        *version = cur + 1;
    }
    return rc;
}

/* The likeliest other person, by the search of find.c. */
static void find_duplicate(struct ops *o, const struct model_case *c,
                           struct ops_duplicate *dup)
{
    struct ops_find_hit hits[4];
    char name[2 * MODEL_NAME_MAX + 2];
    const struct model_person *p = &c->person;
    size_t n = 0;
    size_t i;
    int born = p->birth_year != 0 ? p->birth_year : p->birth_date / 10000;

    memset(dup, 0, sizeof *dup);
    snprintf(name, sizeof name, "%s %s",
             p->given_name[0] != '\0' ? p->given_name : p->given_name_km,
             p->family_name[0] != '\0' ? p->family_name : p->family_name_km);
    if (strspn(name, " ") == strlen(name) ||
        ops_case_find(o, name, born, p->home_province, hits, 4, &n, NULL) !=
            0) {
        return;
    }
    for (i = 0; i < n; i++) {
        if (strcmp(hits[i].case_id, c->id) != 0 &&
            hits[i].weight >= OPS_DUPLICATE_WEIGHT) {
            ctis_strlcpy(dup->case_id, hits[i].case_id,
                         sizeof dup->case_id);
            dup->weight = hits[i].weight;
            return;
        }
    }
}

static int same_event(const struct model_event *a,
                      const struct model_event *b)
{
    return a->id == b->id && a->supersedes == b->supersedes &&
           a->type == b->type && a->date == b->date &&
           strcmp(a->from_country, b->from_country) == 0 &&
           strcmp(a->to_country, b->to_country) == 0 &&
           (a->official != 0) == (b->official != 0) &&
           a->service == b->service && a->referral == b->referral;
}

/* A replace keeps the timeline append-only: every event of old stays
 * (an event of c with an old id must be that event unchanged), and the
 * events of c that are new follow, numbered after the old ones. */
static int carry_events(struct model_case *c, const struct model_case *old,
                        struct ctis_err *err)
{
    struct model_case merged;
    size_t i;
    size_t j;
    int rc = 0;

    model_case_init(&merged);
    for (i = 0; rc == 0 && i < old->n_events; i++) {
        rc = model_case_add_event(&merged, &old->events[i]);
    }
    for (j = 0; rc == 0 && j < c->n_events; j++) {
        const struct model_event *e = &c->events[j];
        const struct model_event *was = NULL;

        for (i = 0; e->id != 0 && i < old->n_events; i++) {
            if (old->events[i].id == e->id) {
                was = &old->events[i];
            }
        }
        if (was == NULL) {
            struct model_event copy = *e;

            copy.id = 0;
            rc = model_case_add_event(&merged, &copy);
        } else if (!same_event(was, e)) {
            model_case_release(&merged);
            return ctis_err_set(err, CTIS_EINVAL,
                                "case '%s': event %d differs from the stored "
                                "one: events are appended, never rewritten "
                                "(add a correction with supersedes)",
                                c->id, e->id);
        }
    }
    if (rc != 0) {
        model_case_release(&merged);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    model_case_number_events(&merged);
    ctis_free(c->events);
    c->events = merged.events;
    c->n_events = merged.n_events;
    c->cap_events = merged.cap_events;
    return 0;
}

/* Register, or replace the version named. */
int ops_case_add(struct ops *o, struct model_case *c,
                 const struct ops_write *w, long *version,
                 struct ops_duplicate *dup, struct model_problems *problems,
                 struct ctis_err *err)
{
    struct ops_write any = {0, -1};
    struct model_case old;
    long cur = 0;
    long ignored;
    int rc;

    if (w == NULL) {
        w = &any;
    }
    if (version == NULL) {
        version = &ignored;
    }
    if (dup != NULL) {
        memset(dup, 0, sizeof *dup);
    }
    rc = ops_allow(o, OPS_CASE_WRITE, c->agency, NULL, err);
    if (rc == 0) {
        rc = invalid(c, problems, err);
    }
    if (rc == 0) {
        rc = ops_lock_version(o, STORE_CASE, c->id, &cur, err);
    }
    if (rc != 0) {
        return rc;
    }
    rc = store_exists(o->st, STORE_CASE, c->id, err);
    if (rc < 0) {
        return rc;
    }
    if (rc == 1) {
        *version = cur;
        model_case_init(&old);
        rc = read_case(o, c->id, OPS_CASE_WRITE, &old, err);
        if (rc == 0 && (!w->replace || w->if_version < 0)) {
            rc = ctis_err_set(err, CTIS_ECONFLICT,
                              "case '%s' exists (version %ld); nothing "
                              "changed: to replace it give --replace "
                              "--if-version %ld",
                              c->id, cur, cur);
        }
        if (rc == 0) {
            rc = ops_check_version(c->id, w->if_version, cur, err);
        }
        if (rc == 0) {
            rc = carry_events(c, &old, err);
        }
        if (rc == 0) {
            rc = invalid(c, problems, err);
        }
        model_case_release(&old);
        if (rc != 0) {
            return rc;
        }
    } else if (w->if_version > 0) {
        return ctis_err_set(err, CTIS_ENOTFOUND, "no case has the id given");
    }
    if (dup != NULL && cur == 0) {
        find_duplicate(o, c, dup);
    }
    return write_case(o, c, cur, cur > 0 ? "case.replace" : "case.add", "",
                      version, err);
}

/* Patch the JSON of the current version; read it back through io/. */
int ops_case_update(struct ops *o, const char *id, const char *patch,
                    long if_version, long *version,
                    struct model_problems *problems, struct ctis_err *err)
{
    static const char *const fixed[] = {"id", "type", "events", NULL};
    struct model_case c;
    json_error_t jerr;
    json_t *p = NULL;
    json_t *doc = NULL;
    long cur = 0;
    long ignored;
    size_t i;
    int rc;

    if (version == NULL) {
        version = &ignored;
    }
    p = json_loads(patch, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(p)) {
        json_decref(p);
        return ctis_err_set(err, CTIS_EINVAL,
                            "the patch is not a JSON object (line %d, "
                            "column %d)",
                            jerr.line, jerr.column);
    }
    for (i = 0; fixed[i] != NULL; i++) {
        if (json_object_get(p, fixed[i]) != NULL) {
            json_decref(p);
            return ctis_err_set(err, CTIS_EINVAL,
                                "field '%s' cannot be patched%s", fixed[i],
                                strcmp(fixed[i], "events") == 0
                                    ? ": events are appended with 'case "
                                      "event', never rewritten"
                                    : "");
        }
    }
    model_case_init(&c);
    rc = ops_lock_version(o, STORE_CASE, id, &cur, err);
    if (rc == 0) {
        rc = read_case(o, id, OPS_CASE_WRITE, &c, err);
    }
    if (rc == 0) {
        *version = cur;
        rc = ops_check_version(id, if_version, cur, err);
    }
    if (rc == 0) {
        doc = ops_case_json(&c);
        rc = doc == NULL || ops_merge_patch(doc, p) != 0
                 ? ctis_err_set(err, CTIS_ENOMEM, "out of memory")
                 : 0;
    }
    if (rc == 0) {
        struct model_problems local;

        if (problems == NULL) {
            problems = &local;
        }
        model_problems_clear(problems);
        rc = ops_case_from_json(doc, &c, problems, err);
        if (rc == CTIS_EINVAL && problems->n > 0) {
            rc = ctis_err_set(err, CTIS_EINVAL,
                              "case '%s' after the patch: field '%s': %s", id,
                              problems->items[0].path,
                              problems->items[0].msg);
        }
    }
    if (rc == 0) {
        rc = ops_allow(o, OPS_CASE_WRITE, c.agency, id, err);
    }
    if (rc == 0) {
        rc = write_case(o, &c, cur, "case.update", "", version, err);
    }
    json_decref(p);
    json_decref(doc);
    model_case_release(&c);
    return rc;
}

/* Lock, read, append, derive, write. */
int ops_case_event(struct ops *o, const char *id, struct model_event *e,
                   int *event_id, long *version,
                   struct model_problems *problems, struct ctis_err *err)
{
    struct model_case c;
    long cur = 0;
    int rc;

    model_case_init(&c);
    rc = ops_lock_version(o, STORE_CASE, id, &cur, err);
    if (rc == 0) {
        rc = read_case(o, id, OPS_CASE_WRITE, &c, err);
    }
    if (rc == 0) {
        e->id = model_case_max_event_id(&c) + 1;
        rc = model_case_add_event(&c, e) != 0
                 ? ctis_err_set(err, CTIS_ENOMEM, "out of memory")
                 : 0;
    }
    if (rc == 0) {
        rc = invalid(&c, problems, err);
    }
    if (rc == 0) {
        char note[48];

        snprintf(note, sizeof note, "event=%d", e->id);
        rc = write_case(o, &c, cur, "case.event", note, version, err);
    }
    if (rc == 0 && event_id != NULL) {
        *event_id = e->id;
    }
    model_case_release(&c);
    return rc;
}

/* The new owner must exist; a refused consent moves nothing. */
int ops_case_transfer(struct ops *o, const char *id, const char *to,
                      int consent, long if_version, long *version,
                      struct ctis_err *err)
{
    struct model_case c;
    char note[160];
    long cur = 0;
    int rc;

    if (model_code_name(ops_consent_codes, consent) == NULL) {
        return ctis_err_set(err, CTIS_EINVAL, "unknown consent");
    }
    if (consent == OPS_CONSENT_REFUSED) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "the person refused consent: case '%s' stays "
                            "with its agency",
                            id);
    }
    model_case_init(&c);
    rc = ops_lock_version(o, STORE_CASE, id, &cur, err);
    if (rc == 0) {
        rc = read_case(o, id, OPS_CASE_WRITE, &c, err);
    }
    if (rc == 0) {
        if (version != NULL) {
            *version = cur;
        }
        rc = ops_check_version(id, if_version, cur, err);
    }
    if (rc == 0) {
        rc = store_exists(o->st, STORE_AGENCY, to, err);
        if (rc == 0) {
            rc = ctis_err_set(err, CTIS_ENOTFOUND, "no agency has the id given "
                                                 "(--to)");
        } else if (rc == 1) {
            rc = strcmp(to, c.agency) == 0
                     ? ctis_err_set(err, CTIS_EINVAL,
                                    "case '%s' is with agency '%s' already",
                                    id, to)
                     : 0;
        }
    }
    if (rc == 0) {
        snprintf(note, sizeof note, "from=%s to=%s consent=%s", c.agency, to,
                 model_code_name(ops_consent_codes, consent));
        ctis_strlcpy(c.agency, to, sizeof c.agency);
        rc = write_case(o, &c, cur, "case.transfer", note, version, err);
    }
    model_case_release(&c);
    return rc;
}

/* The date of ops_now, UTC, as YYYYMMDD. */
static int today(const struct ops *o)
{
    time_t t = (time_t)ops_now(o);
    struct tm tm;

    gmtime_r(&t, &tm);
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* The referral event's "to" follows the receiving agency's kind. */
static int referral_code(const struct model_agency *a)
{
    if (a->kind == MODEL_AK_NGO) {
        return MODEL_REF_NGO;
    }
    return a->kind == MODEL_AK_GOVERNMENT ? MODEL_REF_MINISTRY
                                          : MODEL_REF_OTHER;
}

struct agency_find {
    const char *id;
    struct model_agency a;
    int found;
};

static int agency_is(void *ctx, const struct model_agency *a)
{
    struct agency_find *f = ctx;

    if (strcmp(a->id, f->id) == 0) {
        f->a = *a;
        f->found = 1;
        return 1;
    }
    return 0;
}

/* A pending referral and a referral event, in one version. */
int ops_case_refer(struct ops *o, const char *id, const char *to,
                   int service, long *referral_id, long *version,
                   struct ctis_err *err)
{
    struct model_case c;
    struct model_event e;
    struct store_referral r;
    struct agency_find af;
    char note[160];
    long cur = 0;
    long ref = 0;
    int rc;

    if (model_code_name(model_service_codes, service) == NULL ||
        service == MODEL_SVC_NONE) {
        return ctis_err_set(err, CTIS_EINVAL, "unknown service");
    }
    memset(&af, 0, sizeof af);
    af.id = to;
    model_case_init(&c);
    rc = ops_lock_version(o, STORE_CASE, id, &cur, err);
    if (rc == 0) {
        rc = read_case(o, id, OPS_CASE_WRITE, &c, err);
    }
    if (rc == 0) {
        rc = store_each_agency(o->st, agency_is, &af, err);
        rc = rc < 0 ? rc
                    : (!af.found ? ctis_err_set(err, CTIS_ENOTFOUND,
                                                "no agency has the id given "
                                                "(--to)")
                                 : 0);
    }
    if (rc == 0) {
        memset(&r, 0, sizeof r);
        ctis_strlcpy(r.case_id, id, sizeof r.case_id);
        ctis_strlcpy(r.from_agency, c.agency, sizeof r.from_agency);
        ctis_strlcpy(r.to_agency, to, sizeof r.to_agency);
        r.service = service;
        r.at = ops_now(o);
        ctis_strlcpy(r.actor, ops_actor(o), sizeof r.actor);
        rc = store_add_referral(o->st, &r, &ref, err);
    }
    if (rc == 0) {
        memset(&e, 0, sizeof e);
        e.type = MODEL_EV_REFERRAL;
        e.date = today(o);
        e.referral = referral_code(&af.a);
        e.service = service;
        e.id = model_case_max_event_id(&c) + 1;
        rc = model_case_add_event(&c, &e) != 0
                 ? ctis_err_set(err, CTIS_ENOMEM, "out of memory")
                 : 0;
    }
    if (rc == 0) {
        snprintf(note, sizeof note, "referral=%ld to=%s service=%s", ref, to,
                 model_code_name(model_service_codes, service));
        rc = write_case(o, &c, cur, "case.refer", note, version, err);
    }
    if (rc == 0 && referral_id != NULL) {
        *referral_id = ref;
    }
    model_case_release(&c);
    return rc;
}

struct ref_one {
    struct store_referral r;
    int found;
};

static int ref_take(void *ctx, const struct store_referral *r)
{
    struct ref_one *x = ctx;

    x->r = *r;
    x->found = 1;
    return 1;
}

/* Only the receiving agency decides; the case's history says so. */
int ops_referral_decide(struct ops *o, long ref, int accept,
                        struct ctis_err *err)
{
    struct store_referral_filter f = {ref, NULL, NULL, -1};
    struct ref_one x;
    struct model_case c;
    char note[160];
    int rc;

    memset(&x, 0, sizeof x);
    rc = ref > 0 ? store_each_referral(o->st, &f, ref_take, &x, err)
                 : CTIS_EINVAL;
    if (rc < 0 && rc != 1) {
        return rc == CTIS_EINVAL
                   ? ctis_err_set(err, rc, "a referral id is 1 or more")
                   : rc;
    }
    if (!x.found) {
        return ctis_err_set(err, CTIS_ENOTFOUND, "no referral %ld", ref);
    }
    rc = ops_allow(o, OPS_REFERRAL_DECIDE, x.r.to_agency, NULL, err);
    if (rc == CTIS_EPERM && o->who.role == OPS_ROLE_CASE_WORKER) {
        rc = ctis_err_set(err, CTIS_ENOTFOUND, "no referral %ld", ref);
    }
    if (rc == 0) {
        rc = store_lock(o->st, STORE_CASE, x.r.case_id, err);
    }
    if (rc == 0) {
        rc = store_decide_referral(o->st, ref,
                                   accept ? STORE_REF_ACCEPTED
                                          : STORE_REF_DECLINED,
                                   ops_actor(o), ops_now(o), err);
    }
    model_case_init(&c);
    if (rc == 0) {
        rc = store_get_case(o->st, x.r.case_id, &c, err);
    }
    if (rc == 0) {
        snprintf(note, sizeof note, "referral=%ld %s by=%s", ref,
                 accept ? "accepted" : "declined", x.r.to_agency);
        rc = write_case(o, &c, 0, accept ? "referral.accept"
                                         : "referral.decline",
                        note, NULL, err);
    }
    model_case_release(&c);
    return rc;
}

struct ref_list {
    struct ops *o;
    store_referral_fn fn;
    void *ctx;
};

static int ref_visible(void *ctx, const struct store_referral *r)
{
    struct ref_list *l = ctx;
    const char *me = l->o->who.agency;

    if (l->o->who.role != OPS_ROLE_ADMIN && strcmp(r->to_agency, me) != 0 &&
        strcmp(r->from_agency, me) != 0) {
        return 0;
    }
    return l->fn(l->ctx, r);
}

/* Admins see all; case workers those to or from their agency. */
int ops_referral_list(struct ops *o, const struct store_referral_filter *f,
                      store_referral_fn fn, void *ctx,
                      struct ctis_err *err)
{
    struct ref_list l = {o, fn, ctx};
    int rc = ops_allow(o, OPS_REFERRAL_DECIDE, NULL, NULL, err);

    return rc != 0 ? rc : store_each_referral(o->st, f, ref_visible, &l, err);
}

/* ---- history ----------------------------------------------------------- */

struct hist {
    struct ops *o;
    ops_history_fn fn;
    void *ctx;
    long cur;        /* the latest version: its state may be the live one */
    json_t *live;    /* the live record */
    json_t *prev;
    int any;
    struct ctis_buf changed;
    struct ctis_err *err;
};

static int hist_one(void *ctx, const struct store_version *v)
{
    struct hist *h = ctx;
    struct ops_history_entry e;
    json_t *cur = v->body != NULL ? json_loads(v->body, 0, NULL) : NULL;
    int rc = 0;

    if (v->body == NULL && v->version == h->cur) {
        cur = json_incref(h->live);
    }
    ctis_buf_reset(&h->changed);
    if (cur == NULL && v->body == NULL) {
        rc = ctis_buf_puts(&h->changed, "(not recorded)");
    } else if (cur == NULL) {
        rc = ctis_buf_puts(&h->changed, "(unreadable)");
    } else if (!h->any) {
        rc = ctis_buf_puts(&h->changed, "(created)");
    } else {
        rc = ops_json_diff(h->prev, cur, "", &h->changed);
        if (rc == 0 && h->changed.len == 0) {
            rc = ctis_buf_puts(&h->changed, "(no field)");
        }
    }
    json_decref(h->prev);
    h->prev = cur;
    h->any = 1;
    if (rc != 0) {
        return ctis_err_set(h->err, CTIS_ENOMEM, "out of memory");
    }
    {
        struct store_version shown = *v;

        if (!ops_sees_identity(h->o)) {
            shown.body = NULL; /* bodies hold identifying fields */
        }
        e.v = &shown;
        e.changed = h->changed.data;
        return h->fn(h->ctx, &e);
    }
}

/* Versions oldest first, each with what it changed. */
int ops_case_history(struct ops *o, const char *id, ops_history_fn fn,
                     void *ctx, struct ctis_err *err)
{
    struct model_case c;
    struct hist h;
    int rc;

    memset(&h, 0, sizeof h);
    model_case_init(&c);
    rc = read_case(o, id, OPS_CASE_READ, &c, err);
    if (rc == 0) {
        rc = store_current_version(o->st, STORE_CASE, id, &h.cur, NULL, err);
    }
    if (rc == 0) {
        h.live = ops_case_json(&c);
        rc = h.live == NULL ? ctis_err_set(err, CTIS_ENOMEM, "out of memory")
                            : 0;
    }
    model_case_release(&c);
    if (rc != 0) {
        return rc;
    }
    h.o = o;
    h.fn = fn;
    h.ctx = ctx;
    h.err = err;
    ctis_buf_init(&h.changed);
    rc = store_each_version(o->st, STORE_CASE, id, hist_one, &h, err);
    json_decref(h.prev);
    json_decref(h.live);
    ctis_buf_release(&h.changed);
    return rc;
}

int ops_person_erase(struct ops *o, const char *id, const char *reason,
                     struct ctis_err *err)
{
    int rc = ops_allow(o, OPS_ADMIN, NULL, NULL, err);
    size_t n = reason != NULL ? strlen(reason) : 0;

    if (rc == 0 && (n == 0 || n > OPS_ERASE_REASON_MAX ||
                    !ctis_utf8_valid(reason, n))) {
        rc = ctis_err_set(err, CTIS_EINVAL,
                          "the reason must be UTF-8 text of 1 to %d bytes",
                          OPS_ERASE_REASON_MAX);
    }
    if (rc == 0) {
        rc = store_lock(o->st, STORE_CASE, id, err);
    }
    if (rc == 0) {
        rc = store_erase_person(o->st, id,
                                ops_actor(o)[0] != '\0'
                                    ? ops_actor(o)
                                    : "local administrator",
                                reason, err);
    }
    if (rc == 0) {
        rc = ops_audit_note(o, "person.erase", "case", id, 0, 1, err);
    }
    return rc;
}
