/*
 * bulk.c - the operations on many records: import, export, the demo data
 * set, and the datasheet. Import and demo write through ops_put_record,
 * so every record they write has its version and its derived status,
 * exactly as a record registered one by one.
 */
#include <string.h>

#include "ops_int.h"
#include "report/report.h"
#include "stats/stats.h"

struct import_ctx {
    struct ops *o;
};

/* io_import's writer: the caller's rights on each record, then the one
 * writer. Case workers import cases of their own agency only. */
static int import_put(void *ctx, struct io_record *r, struct ctis_err *err)
{
    struct import_ctx *ic = ctx;
    int rc = 0;

    if (ic->o->who.role != OPS_ROLE_ADMIN) {
        rc = r->type == IO_REC_CASE
                 ? ops_allow(ic->o, OPS_CASE_WRITE, r->u.kase.agency, NULL,
                             err)
                 : ops_allow(ic->o, OPS_ADMIN, NULL, NULL, err);
        if (rc == 0 && r->type == IO_REC_CASE) {
            rc = store_lock(ic->o->st, STORE_CASE, r->u.kase.id, err);
        }
        if (rc == 0 && r->type == IO_REC_CASE) {
            struct model_case old;

            /* Replacing another agency's case is refused as not found. */
            model_case_init(&old);
            rc = store_get_case(ic->o->st, r->u.kase.id, &old, err);
            if (rc == 0) {
                rc = ops_allow(ic->o, OPS_CASE_WRITE, old.agency,
                               r->u.kase.id, err);
            } else if (rc == CTIS_ENOTFOUND) {
                ctis_err_clear(err);
                rc = 0;
            }
            model_case_release(&old);
        }
    }
    return rc != 0 ? rc : ops_put_record(ic->o, r, "import", "", err);
}

/* Import through the writer above. */
int ops_import(struct ops *o, const char *path,
               const struct io_import_opts *opts,
               struct io_import_stats *stats, struct ctis_err *err)
{
    struct io_import_opts mine = *opts;
    struct import_ctx ic = {o};
    int rc = ops_allow(o, OPS_IMPORT, NULL, NULL, err);

    if (rc != 0) {
        return rc;
    }
    mine.put = import_put;
    mine.put_ctx = &ic;
    rc = io_import(o->st, path, &mine, stats, err);
    return rc != 0 ? rc : ops_audit_note(o, "import", "file", "", 0, 1, err);
}

/* Identities only for those who may see them. */
int ops_export(struct ops *o, FILE *out, const struct io_export_opts *eo,
               struct io_export_stats *stats, struct ctis_err *err)
{
    int rc = ops_allow(o, eo->public_only ? OPS_EXPORT_PUBLIC : OPS_EXPORT,
                       NULL, NULL, err);

    if (rc == 0 && !eo->public_only) {
        rc = ops_audit_note(o, "export", "", "", 0, 0, err);
    }
    return rc != 0 ? rc : io_export_with(o->st, out, eo, stats, err);
}

/* ---- demo -------------------------------------------------------------- */

struct demo_ctx {
    struct ops *o;
    long *counts;
    struct ctis_err *err;
};

/* The generator's record is borrowed: the writer works on a copy (a
 * case's events array stays the generator's, numbered in place). */
static int demo_put(void *p, int type, const void *rec, size_t size)
{
    struct demo_ctx *d = p;
    struct io_record r;

    memset(&r, 0, sizeof r);
    r.type = type;
    memcpy(&r.u, rec, size);
    d->counts[type]++;
    return ops_put_record(d->o, &r, "demo", "", d->err);
}

static int demo_agency(void *p, const struct model_agency *a)
{
    return demo_put(p, IO_REC_AGENCY, a, sizeof *a);
}

static int demo_case(void *p, const struct model_case *c)
{
    return demo_put(p, IO_REC_CASE, c, sizeof *c);
}

static int demo_cc(void *p, const struct model_criminal_case *cc)
{
    return demo_put(p, IO_REC_CRIMINAL_CASE, cc, sizeof *cc);
}

static int demo_activity(void *p, const struct model_activity *a)
{
    return demo_put(p, IO_REC_ACTIVITY, a, sizeof *a);
}

static int demo_instrument(void *p, const struct model_instrument *in)
{
    return demo_put(p, IO_REC_INSTRUMENT, in, sizeof *in);
}

/* Admin only. */
int ops_demo(struct ops *o, uint64_t seed, long counts[5],
             struct ctis_err *err)
{
    long mine[5] = {0, 0, 0, 0, 0};
    struct demo_ctx d = {o, counts != NULL ? counts : mine, err};
    struct io_demo_sink sink = {&d,      demo_agency,   demo_case,
                                demo_cc, demo_activity, demo_instrument};
    int rc = ops_allow(o, OPS_ADMIN, NULL, NULL, err);

    /* Synthetic records never go over or among real ones. */
    if (rc == 0) {
        rc = io_demo_check_empty(o->st, err);
    }
    if (rc == 0) {
        rc = io_demo_generate(seed, &sink, err);
    }
    return rc != 0 ? rc : ops_audit_note(o, "demo", "", "", 0, 1, err);
}

/* ---- the datasheet ----------------------------------------------------- */

/* Gather from the store (the estimate over the same period), render. */
int ops_report(struct ops *o, const struct ops_report_opts *ro,
               struct ctis_buf *out, struct ctis_err *err)
{
    struct stats_datasheet ds;
    int rc = ops_allow(o, OPS_REPORT, NULL, NULL, err);

    if (rc != 0) {
        return rc;
    }
    stats_datasheet_init(&ds, ro->from, ro->to, ro->k);
    rc = report_gather(o->st, &ds, err);
    if (rc == 0) {
        struct report_doc_opts d;

        d.km = ro->km;
        d.chart = ro->chart;
        if (ro->format == REPORT_XLSX) {
            rc = report_write_workbook(&ds, &d, ro->path, err);
        } else if (ro->format == REPORT_PDF || ro->format == REPORT_SVG) {
            rc = report_render_doc(&ds, ro->format, &d, out, err);
        } else {
            rc = report_render(&ds, ro->format, out, err);
        }
    }
    stats_datasheet_release(&ds);
    return rc;
}
