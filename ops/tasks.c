/*
 * tasks.c - a caller's work list: its agency's open cases and the
 * monitoring visits due (ops.h says when one is due), and the agencies'
 * monitoring intervals. The referrals waiting for the agency come from
 * ops_referral_list.
 */
#include <string.h>

#include "ops_int.h"

int ops_agency_monitoring(struct ops *o, const char *agency, int *days,
                          struct ctis_err *err)
{
    int rc;

    *days = OPS_MONITORING_DAYS;
    if (agency == NULL || agency[0] == '\0') {
        return 0;
    }
    rc = store_get_monitoring(o->st, agency, days, err);
    if (rc == CTIS_ENOTFOUND) {
        *days = OPS_MONITORING_DAYS;
        return 0;
    }
    return rc;
}

int ops_agency_set_monitoring(struct ops *o, const char *agency, int days,
                              struct ctis_err *err)
{
    int rc = ops_allow(o, OPS_ADMIN, NULL, NULL, err);

    if (rc != 0) {
        return rc;
    }
    if (days < 1 || days > 3650) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "field 'interval_days': must be 1 to 3650");
    }
    rc = store_exists(o->st, STORE_AGENCY, agency, err);
    if (rc == 0) {
        return ctis_err_set(err, CTIS_ENOTFOUND, "no agency has the id given");
    }
    if (rc < 0) {
        return rc;
    }
    rc = store_put_monitoring(o->st, agency, days, err);
    if (rc == 0) {
        rc = ops_audit_note(o, "agency.monitoring", "agency", agency, 0,
                            1, err);
    }
    return rc;
}

struct task_walk {
    struct ops *o;
    const struct ops_tasks_fns *fns;
    void *ctx;
    int today;
    int interval;         /* the caller's agency's; admins: per case */
    const char *agency;   /* of the cached interval */
    char cached[MODEL_ID_MAX];
    int cached_days;
    long given;
    struct ctis_err *err;
};

/* The date a case was last seen: its last monitoring visit or
 * reintegration, else its identification; 0 when it has none. */
static int last_seen(const struct model_case *c)
{
    int last = 0;
    int ident = 0;
    size_t i;

    for (i = 0; i < c->n_events; i++) {
        const struct model_event *e = &c->events[i];

        if ((e->type == MODEL_EV_MONITORING_VISIT ||
             e->type == MODEL_EV_REINTEGRATION) &&
            e->date > last) {
            last = e->date;
        }
        if (e->type == MODEL_EV_IDENTIFICATION && ident == 0) {
            ident = e->date;
        }
    }
    return last != 0 ? last : ident;
}

static int task_case(void *ctx, const struct model_case *c)
{
    struct task_walk *w = ctx;
    int days;
    int last;
    int rc;

    if (c->status != MODEL_CS_OPEN && c->status != MODEL_CS_FOLLOW_UP) {
        return 0;
    }
    if (w->given++ >= OPS_TASKS_MAX) {
        return 1;
    }
    rc = w->fns->open(w->ctx, c);
    if (rc != 0) {
        return rc;
    }
    if (strcmp(w->cached, c->agency) != 0) {
        rc = ops_agency_monitoring(w->o, c->agency, &w->cached_days, w->err);
        if (rc != 0) {
            return rc;
        }
        ctis_strlcpy(w->cached, c->agency, sizeof w->cached);
    }
    days = w->cached_days;
    last = last_seen(c);
    if (last != 0) {
        int due = ctis_date_from_days(ctis_date_days(last) + days);

        if (due <= w->today) {
            return w->fns->due(w->ctx, c->id, last, due);
        }
    }
    return 0;
}

int ops_tasks(struct ops *o, int today, const struct ops_tasks_fns *fns,
              void *ctx, int *interval, struct ctis_err *err)
{
    struct store_case_filter f;
    struct task_walk w;
    int rc = ops_allow(o, OPS_CASE_WRITE, NULL, NULL, err);

    if (rc != 0) {
        return rc;
    }
    rc = ops_agency_monitoring(o, o->who.agency, interval, err);
    if (rc != 0) {
        return rc;
    }
    memset(&w, 0, sizeof w);
    w.o = o;
    w.fns = fns;
    w.ctx = ctx;
    w.today = today;
    w.err = err;
    memset(&f, 0, sizeof f);
    f.status = -1;
    f.agency = o->who.agency[0] != '\0' ? o->who.agency : NULL;
    rc = ops_case_list(o, &f, task_case, &w, err);
    return rc > 0 ? 0 : rc;
}
