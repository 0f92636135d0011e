/*
 * sqlite_get_cc.c - reading criminal cases back with their offenders,
 * victim case ids and events, for store_each_criminal_case.
 */
#include <string.h>

#include "store_int.h"

/* Grow an array of n items of size sz by one; NULL on out of memory. */
static void *grow(void *p, size_t n, size_t sz)
{
    return ctis_realloc(p, (n + 1) * sz);
}

static int read_offenders(struct store_sqlite *s, sqlite3_int64 rid,
                          struct model_criminal_case *cc,
                          struct ctis_err *err)
{
    sqlite3_stmt *q = sq_stmt(s, SQ_CC_OFF_GET, err);
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_int64(q, 1, rid);
    for (rc = sqlite3_step(q); rc == SQLITE_ROW; rc = sqlite3_step(q)) {
        struct model_offender *o =
            grow(cc->offenders, cc->n_offenders, sizeof *o);

        if (o == NULL) {
            sqlite3_reset(q);
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        cc->offenders = o;
        o = &cc->offenders[cc->n_offenders++];
        memset(o, 0, sizeof *o);
        sq_column_text(q, 0, o->id, sizeof o->id);
        o->sex = sqlite3_column_int(q, 1);
        sq_column_text(q, 2, o->citizenship, sizeof o->citizenship);
        o->role = sqlite3_column_int(q, 3);
    }
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? 0 : sq_fail(s, rc, "cannot read offenders",
                                           err);
}

static int read_victims(struct store_sqlite *s, sqlite3_int64 rid,
                        struct model_criminal_case *cc, struct ctis_err *err)
{
    sqlite3_stmt *q = sq_stmt(s, SQ_CC_VIC_GET, err);
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_int64(q, 1, rid);
    for (rc = sqlite3_step(q); rc == SQLITE_ROW; rc = sqlite3_step(q)) {
        char(*v)[MODEL_ID_MAX] =
            grow(cc->victim_cases, cc->n_victim_cases, sizeof *v);

        if (v == NULL) {
            sqlite3_reset(q);
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        cc->victim_cases = v;
        sq_column_text(q, 0, cc->victim_cases[cc->n_victim_cases++],
                       MODEL_ID_MAX);
    }
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? 0 : sq_fail(s, rc, "cannot read victims",
                                           err);
}

static int read_crim_events(struct store_sqlite *s, sqlite3_int64 rid,
                            struct model_criminal_case *cc,
                            struct ctis_err *err)
{
    sqlite3_stmt *q = sq_stmt(s, SQ_CE_GET, err);
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_int64(q, 1, rid);
    for (rc = sqlite3_step(q); rc == SQLITE_ROW; rc = sqlite3_step(q)) {
        struct model_crim_event *e = grow(cc->events, cc->n_events, sizeof *e);

        if (e == NULL) {
            sqlite3_reset(q);
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        cc->events = e;
        e = &cc->events[cc->n_events++];
        memset(e, 0, sizeof *e);
        e->type = sqlite3_column_int(q, 0);
        e->date = sqlite3_column_int(q, 1);
        sq_column_text(q, 2, e->offender, sizeof e->offender);
        e->sentence_months = sqlite3_column_type(q, 3) == SQLITE_NULL
                                 ? -1
                                 : sqlite3_column_int(q, 3);
        sq_column_text(q, 4, e->law_articles, sizeof e->law_articles);
    }
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? 0 : sq_fail(s, rc, "cannot read events", err);
}

static int read_cc(struct store_sqlite *s, sqlite3_stmt *q,
                   struct model_criminal_case *cc, struct ctis_err *err)
{
    sqlite3_int64 rid = sqlite3_column_int64(q, 0);
    int rc;

    model_criminal_case_release(cc);
    sq_column_text(q, 1, cc->id, sizeof cc->id);
    cc->kind = sqlite3_column_int(q, 2);
    rc = read_offenders(s, rid, cc, err);
    if (rc == 0) {
        rc = read_victims(s, rid, cc, err);
    }
    if (rc == 0) {
        rc = read_crim_events(s, rid, cc, err);
    }
    return rc;
}

/* One record reused (released) from row to row. */
int sq_each_criminal_case(struct store *st, store_criminal_case_fn fn,
                          void *ctx, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    struct model_criminal_case cc;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT rid, id, kind FROM criminal_case"
                                " ORDER BY id",
                                -1, &q, NULL);
    int step = SQLITE_DONE;

    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot list criminal cases", err);
    }
    model_criminal_case_init(&cc);
    while (rc == 0) {
        step = sqlite3_step(q);
        if (step != SQLITE_ROW) {
            break;
        }
        rc = read_cc(s, q, &cc, err);
        if (rc == 0) {
            rc = fn(ctx, &cc);
        }
    }
    if (rc == 0 && step != SQLITE_DONE) {
        rc = sq_fail(s, step, "cannot list criminal cases", err);
    }
    sqlite3_finalize(q);
    model_criminal_case_release(&cc);
    return rc;
}
