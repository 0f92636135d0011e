/*
 * export.c - every record of the store to a stream, in the import formats,
 * so that export then import gives the same database. Output goes through
 * one buffer flushed every 64 KiB.
 */
#include <string.h>

#include "io_int.h"
#include "stats/stats.h"

struct exporter {
    FILE *out;
    int public_only;
    int format;
    struct ctis_buf buf;
    struct io_record rec;
    struct io_pub_set pub;
    struct ctis_err *err;
};

static int flush(struct exporter *ex, int force)
{
    if (ex->buf.len == 0 || (!force && ex->buf.len < 65536)) {
        return 0;
    }
    if (fwrite(ex->buf.data, 1, ex->buf.len, ex->out) != ex->buf.len) {
        return ctis_err_set(ex->err, CTIS_EFILE, "cannot write the export");
    }
    ctis_buf_reset(&ex->buf);
    return 0;
}

/* The record is borrowed: copy its struct shallowly into rec to write it
 * without taking ownership of its arrays. */
static int emit(struct exporter *ex, int type, const void *record,
                size_t size)
{
    int rc;

    ex->rec.type = type;
    memcpy(&ex->rec.u, record, size);
    rc = io_jsonl_write(&ex->buf, &ex->rec, ex->public_only);
    if (rc != 0) {
        return ctis_err_set(ex->err, rc, "out of memory");
    }
    return flush(ex, 0);
}

static int on_agency(void *ctx, const struct model_agency *a)
{
    return emit(ctx, IO_REC_AGENCY, a, sizeof *a);
}

static int on_case(void *ctx, const struct model_case *c)
{
    struct exporter *ex = ctx;

    if (ex->format == IO_FORMAT_HTCDS || ex->format == IO_FORMAT_HTCDS_CSV) {
        if (io_htcds_write(&ex->buf, c, ex->format == IO_FORMAT_HTCDS) != 0) {
            return ctis_err_set(ex->err, CTIS_ENOMEM, "out of memory");
        }
        return flush(ex, 0);
    }
    if (ex->format == IO_FORMAT_CSV) {
        if (io_case_csv_write_row(&ex->buf, c, ex->public_only) != 0) {
            return ctis_err_set(ex->err, CTIS_ENOMEM, "out of memory");
        }
        return flush(ex, 0);
    }
    return emit(ctx, IO_REC_CASE, c, sizeof *c);
}

static int on_criminal_case(void *ctx, const struct model_criminal_case *cc)
{
    return emit(ctx, IO_REC_CRIMINAL_CASE, cc, sizeof *cc);
}

static int on_activity(void *ctx, const struct model_activity *a)
{
    return emit(ctx, IO_REC_ACTIVITY, a, sizeof *a);
}

static int on_instrument(void *ctx, const struct model_instrument *in)
{
    return emit(ctx, IO_REC_INSTRUMENT, in, sizeof *in);
}

static int on_pub_case(void *ctx, const struct model_case *c)
{
    struct exporter *ex = ctx;

    if (io_pub_add(&ex->pub, c) != 0) {
        return ctis_err_set(ex->err, CTIS_ENOMEM, "out of memory");
    }
    return 0;
}

/* Row-level exports of the public view: CTDC, or the public case list. */
static int export_pub(struct exporter *ex, struct store *st,
                      const struct io_export_opts *o,
                      struct io_export_stats *stats)
{
    struct store_case_filter all = {NULL, -1, 0, 0, NULL, 0, 0, 1};
    struct io_export_stats local;
    long k = o->public_only ? (o->k > 0 ? o->k : STATS_K_PUBLIC) : 0;
    int ctdc = o->format == IO_FORMAT_CTDC;
    size_t i;
    int rc;

    rc = store_each_case(st, &all, on_pub_case, ex, ex->err);
    if (rc == 0) {
        rc = io_pub_protect(&ex->pub, ctdc ? IO_QI_PROVINCE : IO_QI_N, k,
                            stats != NULL ? stats : &local, ex->err);
    }
    if (rc == 0) {
        rc = ctdc ? io_ctdc_write_header(&ex->buf)
                  : o->format == IO_FORMAT_CSV ? io_pub_csv_header(&ex->buf)
                                               : 0;
        if (rc != 0) {
            rc = ctis_err_set(ex->err, CTIS_ENOMEM, "out of memory");
        }
    }
    for (i = 0; rc == 0 && i < ex->pub.n; i++) {
        if (ex->pub.dropped[i]) {
            continue;
        }
        rc = ctdc ? io_ctdc_write_row(&ex->buf, &ex->pub, &ex->pub.rows[i])
                  : io_pub_write_row(&ex->buf, &ex->pub, &ex->pub.rows[i],
                                     o->format == IO_FORMAT_JSONL);
        if (rc != 0) {
            rc = ctis_err_set(ex->err, CTIS_ENOMEM, "out of memory");
        } else {
            rc = flush(ex, 0);
        }
    }
    io_pub_set_release(&ex->pub);
    return rc;
}

/* The format named s; see io.h. */
int io_format_parse(const char *s)
{
    static const struct model_code formats[] = {
        {IO_FORMAT_JSONL, "jsonl"},         {IO_FORMAT_CSV, "csv"},
        {IO_FORMAT_CTDC, "ctdc"},           {IO_FORMAT_HTCDS, "htcds"},
        {IO_FORMAT_HTCDS_CSV, "htcds-csv"}, {IO_FORMAT_XLSX, "xlsx"},
        {0, NULL}};

    const struct model_code *f;

    /* Plain comparison: format names are not vocabulary codes ("-"). */
    for (f = formats; f->code != NULL; f++) {
        if (strcmp(f->code, s) == 0) {
            return f->value;
        }
    }
    return -1;
}

int io_export(struct store *st, FILE *out, int format, int public_only,
              struct ctis_err *err)
{
    struct io_export_opts o;

    memset(&o, 0, sizeof o);
    o.format = format;
    o.public_only = public_only;
    return io_export_with(st, out, &o, NULL, err);
}

/* Agencies first so the file re-imports in one pass. */
int io_export_with(struct store *st, FILE *out,
                   const struct io_export_opts *opts,
                   struct io_export_stats *stats, struct ctis_err *err)
{
    int format = opts->format;
    int public_only = opts->public_only;
    struct exporter ex;
    struct store_case_filter all = {NULL, -1, 0, 0, NULL, 0, 0, 0};
    int rc;

    memset(&ex, 0, sizeof ex);
    ex.out = out;
    ex.public_only = public_only;
    ex.format = format == IO_FORMAT_CSV ? IO_FORMAT_CSV : IO_FORMAT_JSONL;
    ex.err = err;
    ctis_buf_init(&ex.buf);
    if (public_only || format == IO_FORMAT_CTDC) {
        if (format != IO_FORMAT_CTDC && format != IO_FORMAT_CSV &&
            format != IO_FORMAT_JSONL) {
            ctis_buf_release(&ex.buf);
            return ctis_err_set(err, CTIS_EUNSUPPORTED,
                                "--public is for the ctdc, csv and jsonl "
                                "formats; HTCDS and XLSX exports stay "
                                "inside the agency");
        }
        ex.format = format;
        rc = export_pub(&ex, st, opts, stats);
    } else if (format == IO_FORMAT_HTCDS || format == IO_FORMAT_HTCDS_CSV) {
        ex.format = format;
        rc = format == IO_FORMAT_HTCDS_CSV ? io_htcds_csv_header(&ex.buf) : 0;
        if (rc == 0) {
            rc = store_each_case(st, &all, on_case, &ex, err);
        }
    } else if (format == IO_FORMAT_XLSX) {
        ctis_buf_release(&ex.buf);
        return io_xlsx_export(st, opts->path, err);
    } else if (ex.format == IO_FORMAT_CSV) {
        rc = io_case_csv_write_header(&ex.buf);
        if (rc == 0) {
            rc = store_each_case(st, &all, on_case, &ex, err);
        }
    } else {
        rc = store_each_agency(st, on_agency, &ex, err);
        if (rc == 0) {
            rc = store_each_case(st, &all, on_case, &ex, err);
        }
        if (rc == 0) {
            rc = store_each_criminal_case(st, on_criminal_case, &ex, err);
        }
        if (rc == 0) {
            rc = store_each_activity(st, on_activity, &ex, err);
        }
        if (rc == 0) {
            rc = store_each_instrument(st, on_instrument, &ex, err);
        }
    }
    if (rc == 0) {
        rc = flush(&ex, 1);
    }
    if (rc == 0 && fflush(out) != 0) {
        rc = ctis_err_set(err, CTIS_EFILE, "cannot write the export");
    }
    ctis_buf_release(&ex.buf);
    return rc;
}
