/*
 * ctdc.c - fuzz target for the CTDC column reader: the first record is
 * the header, every later one a row turned into a case, validated and
 * written back through the public view as a CTDC row.
 */
#include <stddef.h>
#include <string.h>

#include "io/io_int.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    struct io_csv *r = NULL;
    struct io_ctdc *h = NULL;
    struct io_pub_set set;
    struct model_case c;
    struct model_problems problems;
    struct ctis_err err;
    struct ctis_buf out;
    int rc;

    if (io_csv_open_mem(&r, "fuzz.csv", (const char *)data, size, &err)) {
        return 0;
    }
    memset(&set, 0, sizeof set);
    ctis_buf_init(&out);
    rc = io_csv_next(r, &err);
    if (rc > 0) {
        rc = io_ctdc_header(&h, r, "fuzz", NULL, &err);
    }
    while (rc == 0 && io_csv_next(r, &err) > 0) {
        model_problems_clear(&problems);
        if (io_ctdc_row(h, r, &c, &problems) == 0) {
            io_pub_add(&set, &c);
        }
        model_case_release(&c);
    }
    if (io_pub_protect(&set, IO_QI_PROVINCE, 2, NULL, &err) == 0) {
        size_t i;

        for (i = 0; i < set.n; i++) {
            if (!set.dropped[i]) {
                io_ctdc_write_row(&out, &set, &set.rows[i]);
            }
        }
    }
    io_pub_set_release(&set);
    ctis_buf_release(&out);
    io_ctdc_free(h);
    io_csv_close(r);
    return 0;
}
