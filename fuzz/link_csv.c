/*
 * link_csv.c - fuzz target for the linkage input parser (link/input.c:
 * names, Khmer romanisation, the phonetic key, dates, ages, codes) read
 * through the CSV reader, then, on small sets, the whole linker (blocking,
 * comparisons, EM, clustering, explain): no crash, no leak, no undefined
 * behaviour; an error message always names a place.
 *
 * Input: a CSV file with a header row of linkage column names.
 */
#include <stdint.h>
#include <string.h>

#include "io/io.h"
#include "link/link.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct io_csv *r = NULL;
    struct link_set *s = NULL;
    struct ctis_err err;
    int col[LINK_F_COUNT];
    size_t i;
    int f;
    int rc;

    if (io_csv_open_mem(&r, "fuzz.csv", (const char *)data, size, &err) !=
        0) {
        return 0;
    }
    if (io_csv_next(r, &err) <= 0 || link_set_new(&s, &err) != 0) {
        io_csv_close(r);
        return 0;
    }
    for (f = 0; f < LINK_F_COUNT; f++) {
        col[f] = -1;
    }
    for (i = 0; i < io_csv_nfields(r); i++) {
        f = link_field_parse(io_csv_field(r, i));
        if (f >= 0) {
            col[f] = (int)i;
        }
    }
    while (link_set_size(s) < 200) {
        const char *fields[LINK_F_COUNT];
        char where[64];

        rc = io_csv_next(r, &err);
        if (rc <= 0) {
            break;
        }
        for (f = 0; f < LINK_F_COUNT; f++) {
            fields[f] = col[f] >= 0 ? io_csv_field(r, (size_t)col[f]) : NULL;
        }
        if (fields[LINK_F_LIST] == NULL || fields[LINK_F_LIST][0] == '\0') {
            fields[LINK_F_LIST] = "fuzz";
        }
        snprintf(where, sizeof where, "fuzz.csv:%ld", io_csv_line(r));
        if (link_set_add(s, fields, where, &err) != 0 &&
            strncmp(err.msg, "fuzz.csv:", 9) != 0) {
            __builtin_trap();
        }
    }
    if (link_set_size(s) >= 2) {
        struct link_options o;
        struct link_result res;

        link_options_init(&o);
        o.progress = -1;
        o.threads = 1;
        o.u_samples = 2000;
        o.em_max_iter = 30;
        link_result_init(&res);
        if (link_run(s, &o, &res, &err) == 0) {
            struct ctis_buf b;

            ctis_buf_init(&b);
            link_explain(s, 0, 1, &b, &err);
            ctis_buf_release(&b);
            for (i = 0; i < link_set_size(s); i++) {
                if (res.cluster[i] >= res.n_clusters) {
                    __builtin_trap();
                }
            }
        }
        link_result_release(&res);
    }
    link_set_free(s);
    io_csv_close(r);
    return 0;
}
