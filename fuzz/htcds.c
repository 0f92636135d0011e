/*
 * htcds.c - fuzz target for the HTCDS 2.0 readers: the input is tried as
 * JSON Lines (each line a record) and as CSV (header, then rows); every
 * accepted record is written back in both forms.
 */
#include <stddef.h>
#include <string.h>

#include "io/io_int.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    struct io_htcds *h = NULL;
    struct io_csv *r = NULL;
    struct model_case c;
    struct model_problems problems;
    struct ctis_err err;
    struct ctis_buf out;
    const char *p = (const char *)data;
    const char *end = p + size;
    long line = 0;
    int rc;

    io_init();
    ctis_buf_init(&out);
    if (io_htcds_open(&h, "fuzz", NULL) == 0) {
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

            model_problems_clear(&problems);
            if (io_htcds_parse(h, p, len, ++line, &c, &problems) == 0) {
                io_htcds_write(&out, &c, 1);
                io_htcds_write(&out, &c, 0);
            }
            model_case_release(&c);
            p += len + 1;
        }
        io_htcds_free(h);
        h = NULL;
    }
    if (io_csv_open_mem(&r, "fuzz.csv", (const char *)data, size, &err) == 0) {
        rc = io_csv_next(r, &err);
        if (rc > 0) {
            rc = io_htcds_header(&h, r, "fuzz", NULL, &err);
        }
        while (rc == 0 && io_csv_next(r, &err) > 0) {
            model_problems_clear(&problems);
            if (io_htcds_row(h, r, &c, &problems) == 0) {
                io_htcds_write(&out, &c, 0);
            }
            model_case_release(&c);
        }
        io_htcds_free(h);
        io_csv_close(r);
    }
    ctis_buf_release(&out);
    return 0;
}
