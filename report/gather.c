/*
 * gather.c - the datasheet from an open store: each aggregate through
 * store_query, the agencies, activities and instruments through
 * store_each_*, then stats_datasheet_finish. No SQL here.
 */
#include "report.h"
#include "report_int.h"

static int on_agency(void *ctx, const struct model_agency *a)
{
    stats_datasheet_add_agency(ctx, a);
    return 0;
}

/* An activity counts when it overlaps the period (an unknown start or end
 * is taken as open). */
static int on_activity(void *ctx, const struct model_activity *a)
{
    struct stats_datasheet *ds = ctx;

    if (ds->to_year != 0 && a->start != 0 && a->start / 10000 > ds->to_year) {
        return 0;
    }
    if (ds->from_year != 0 && a->end != 0 &&
        a->end / 10000 < ds->from_year) {
        return 0;
    }
    stats_datasheet_add_activity(ds, a);
    return 0;
}

struct ins_ctx {
    struct stats_datasheet *ds;
    struct ctis_err *err;
};

static int on_instrument(void *ctx, const struct model_instrument *in)
{
    struct ins_ctx *c = ctx;

    return stats_datasheet_add_instrument(c->ds, in, c->err);
}

/* Run every aggregate, then walk the reference records. */
int report_gather(struct store *st, struct stats_datasheet *ds,
                  struct ctis_err *err)
{
    static const enum store_query queries[] = {
        STORE_Q_REPATRIATIONS, STORE_Q_RESCUES, STORE_Q_INVESTIGATIONS,
        STORE_Q_CONVICTIONS, STORE_Q_SOURCE_PROVINCES,
        STORE_Q_DEST_PROVINCES, STORE_Q_DEST_COUNTRIES, STORE_Q_SEX_AGE,
        STORE_Q_EXPLOITATION, STORE_Q_MOVEMENT, STORE_Q_CASES_BY_YEAR,
        STORE_Q_SECTORS};
    struct ins_ctx ic = {ds, err};
    size_t i;
    int rc = 0;

    for (i = 0; i < sizeof queries / sizeof queries[0] && rc == 0; i++) {
        struct store_table t;

        store_table_init(&t);
        rc = store_query(st, queries[i], ds->from_year, ds->to_year, &t,
                         err);
        if (rc == 0) {
            rc = stats_datasheet_put_table(ds, queries[i], &t, err);
        }
        store_table_release(&t);
    }
    if (rc == 0) {
        rc = store_each_agency(st, on_agency, ds, err);
    }
    if (rc == 0) {
        rc = store_each_activity(st, on_activity, ds, err);
    }
    if (rc == 0) {
        rc = store_each_instrument(st, on_instrument, &ic, err);
    }
    if (rc == 0) {
        rc = report_gather_estimate(st, ds->from_year, ds->to_year,
                                    &ds->estimate, ds->k, err);
    }
    if (rc == 0) {
        rc = stats_datasheet_finish(ds, err);
    }
    return rc;
}
