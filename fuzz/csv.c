/*
 * csv.c - fuzz target for the CSV reader and the flat case-list parser:
 * the first record is the header, every later one a case row.
 */
#include <stddef.h>

#include "io/io.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    struct io_csv *r = NULL;
    struct io_case_csv *h = NULL;
    struct model_case c;
    struct model_problems problems;
    struct ctis_err err;
    struct ctis_buf out;
    int rc;

    if (io_csv_open_mem(&r, "fuzz.csv", (const char *)data, size, &err)) {
        return 0;
    }
    model_case_init(&c);
    ctis_buf_init(&out);
    rc = io_csv_next(r, &err);
    if (rc > 0) {
        rc = io_case_csv_header(&h, r, &err);
    }
    while (rc == 0 && io_csv_next(r, &err) > 0) {
        size_t i;

        for (i = 0; i < io_csv_nfields(r); i++) {
            io_csv_put_field(&out, io_csv_field(r, i));
        }
        model_problems_clear(&problems);
        if (io_case_csv_row(h, r, &c, &problems) == 0) {
            io_case_csv_write_row(&out, &c, 0);
        }
        ctis_buf_reset(&out);
    }
    model_case_release(&c);
    io_case_csv_free(h);
    io_csv_close(r);
    ctis_buf_release(&out);
    return 0;
}
