/*
 * export.c - every record of the store to a stream, in the import formats,
 * so that export then import gives the same database. Output goes through
 * one buffer flushed every 64 KiB.
 */
#include <string.h>

#include "io.h"

struct exporter {
    FILE *out;
    int public_only;
    int format;
    struct ctis_buf buf;
    struct io_record rec;
    struct ctis_err *err;
};

static int flush(struct exporter *ex, int force)
{
    if (ex->buf.len == 0 || (!force && ex->buf.len < 65536)) {
        return 0;
    }
    if (fwrite(ex->buf.data, 1, ex->buf.len, ex->out) != ex->buf.len) {
        return ctis_err_set(ex->err, CTIS_EIO, "cannot write the export");
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

/* Agencies first so the file re-imports in one pass. */
int io_export(struct store *st, FILE *out, int format, int public_only,
              struct ctis_err *err)
{
    struct exporter ex;
    struct store_case_filter all = {NULL, -1, 0};
    int rc;

    memset(&ex, 0, sizeof ex);
    ex.out = out;
    ex.public_only = public_only;
    ex.format = format == IO_FORMAT_CSV ? IO_FORMAT_CSV : IO_FORMAT_JSONL;
    ex.err = err;
    ctis_buf_init(&ex.buf);
    if (ex.format == IO_FORMAT_CSV) {
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
        rc = ctis_err_set(err, CTIS_EIO, "cannot write the export");
    }
    ctis_buf_release(&ex.buf);
    return rc;
}
