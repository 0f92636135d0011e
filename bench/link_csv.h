/*
 * link_csv.h - reading a linkage CSV into a link_set for the bench tools
 * (link_recall, link_oracle): the columns by their standard names
 * (link_field_name), the list the file's base name, and any extra columns
 * the tool asks for, handed to it row by row.
 *
 * The bench tools are one file each (the Makefile builds bench/X.c into
 * build/bench/X), so the one reader they share is a static function in
 * this header, included by each.
 */
#ifndef CTIS_BENCH_LINK_CSV_H
#define CTIS_BENCH_LINK_CSV_H

#include <string.h>

#include "io/io.h"
#include "link/link.h"

#define BENCH_CSV_EXTRA_MAX 8

/* Called once per record added, rec its index in the set, extra[k] the
 * row's value of column extra_names[k] (NULL when the column is absent or
 * the row short); non-zero stops the read with that error. */
typedef int (*bench_csv_row_fn)(void *ctx, size_t rec,
                                const char *const *extra,
                                struct ctis_err *err);

/* Read the CSV at path into s. The first nreq of the nextra extra columns
 * must be in the header line. row may be NULL when nextra is 0. */
static int bench_link_csv(struct link_set *s, const char *path,
                          const char *const *extra_names, size_t nextra,
                          size_t nreq, bench_csv_row_fn row, void *ctx,
                          struct ctis_err *err)
{
    struct io_csv *r = NULL;
    int col[LINK_F_COUNT];
    int xcol[BENCH_CSV_EXTRA_MAX];
    char list[128];
    const char *base = strrchr(path, '/');
    char *dot;
    size_t i;
    size_t k;
    int f;
    int rc;

    if (nextra > BENCH_CSV_EXTRA_MAX) {
        return ctis_err_set(err, CTIS_EINVAL, "too many extra columns");
    }
    ctis_strlcpy(list, base != NULL ? base + 1 : path, sizeof list);
    dot = strrchr(list, '.');
    if (dot != NULL) {
        *dot = '\0';
    }
    if (io_csv_open(&r, path, err) != 0 || io_csv_next(r, err) <= 0) {
        io_csv_close(r);
        return -1;
    }
    for (f = 0; f < LINK_F_COUNT; f++) {
        col[f] = -1;
    }
    for (k = 0; k < nextra; k++) {
        xcol[k] = -1;
    }
    for (i = 0; i < io_csv_nfields(r); i++) {
        const char *name = io_csv_field(r, i);

        for (f = 0; f < LINK_F_COUNT; f++) {
            if (strcmp(name, link_field_name(f)) == 0) {
                col[f] = (int)i;
            }
        }
        for (k = 0; k < nextra; k++) {
            if (strcmp(name, extra_names[k]) == 0) {
                xcol[k] = (int)i;
            }
        }
    }
    for (k = 0; k < nreq; k++) {
        if (xcol[k] < 0) {
            io_csv_close(r);
            return ctis_err_set(err, CTIS_EINVAL, "%s:1: no column '%s'",
                                path, extra_names[k]);
        }
    }
    while ((rc = io_csv_next(r, err)) > 0) {
        const char *v[LINK_F_COUNT];
        const char *x[BENCH_CSV_EXTRA_MAX];
        size_t n = link_set_size(s);

        for (f = 0; f < LINK_F_COUNT; f++) {
            v[f] = col[f] >= 0 && (size_t)col[f] < io_csv_nfields(r)
                       ? io_csv_field(r, (size_t)col[f])
                       : NULL;
        }
        v[LINK_F_LIST] = list;
        if (link_set_add(s, v, path, err) != 0) {
            rc = -1;
            break;
        }
        for (k = 0; k < nextra; k++) {
            x[k] = xcol[k] >= 0 && (size_t)xcol[k] < io_csv_nfields(r)
                       ? io_csv_field(r, (size_t)xcol[k])
                       : NULL;
        }
        if (row != NULL && row(ctx, n, x, err) != 0) {
            rc = -1;
            break;
        }
    }
    io_csv_close(r);
    return rc < 0 ? -1 : 0;
}

#endif
