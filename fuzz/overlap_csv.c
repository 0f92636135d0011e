/*
 * overlap_csv.c - fuzz target for the overlap table parser (mse/overlap.c)
 * and, on the tables it accepts, the default estimate (small tables only,
 * to keep each run fast): no crash, no leak, no undefined behaviour, and
 * never a NaN estimate reported as existing.
 *
 * Input: lines of comma-separated fields (no quoting; the CSV reader has
 * its own target). When the header has a column named "s" it is used as
 * the stratum column.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mse/mse.h"

#define MAX_FIELDS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t split(char *line, const char **fields)
{
    size_t n = 0;
    char *f = line;

    for (;;) {
        char *comma = strchr(f, ',');

        if (n == MAX_FIELDS) {
            break;
        }
        fields[n++] = f;
        if (comma == NULL) {
            break;
        }
        *comma = '\0';
        f = comma + 1;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = ctis_malloc(size + 1);
    char *line;
    struct mse_overlap *p = NULL;
    struct ctis_err err;
    long lineno = 0;
    int rc = 0;

    if (text == NULL) {
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    line = text;
    /* The stratum column is "s" when the header names one. */
    {
        const char *nl = strchr(text, '\n');
        size_t hl = nl != NULL ? (size_t)(nl - text) : size;
        int has_s = (hl == 1 && text[0] == 's') ||
                    (hl >= 2 && memcmp(text, "s,", 2) == 0) ||
                    (hl >= 2 && memcmp(text + hl - 2, ",s", 2) == 0);

        if (mse_overlap_new(&p, "fuzz", has_s ? "s" : NULL, &err) != 0) {
            ctis_free(text);
            return 0;
        }
    }
    while (line != NULL && rc == 0) {
        char *next = strchr(line, '\n');
        const char *fields[MAX_FIELDS];
        size_t n;

        if (next != NULL) {
            *next++ = '\0';
        }
        if (*line == '\0') {
            line = next;
            continue;
        }
        lineno++;
        n = split(line, fields);
        rc = lineno == 1 ? mse_overlap_header(p, n, fields, lineno, &err)
                         : mse_overlap_row(p, n, fields, lineno, &err);
        line = next;
    }
    if (rc == 0 && lineno > 0) {
        rc = mse_overlap_finish(p, &err);
    }
    if (rc == 0 && lineno > 0 && mse_overlap_nstrata(p) > 0) {
        const struct mse_table *t = mse_overlap_table(p, 0);

        if (t->k <= 4) {
            struct mse_summary s;

            rc = mse_default_estimate(t, &s, &err);
            if (rc == 0 && s.existence == MSE_EXIST_OK &&
                !(isfinite(s.estimate) && s.estimate >= s.observed)) {
                abort();
            }
            if (rc == 0 && s.existence != MSE_EXIST_OK && !isnan(s.estimate)) {
                abort();
            }
        }
    }
    mse_overlap_free(p);
    ctis_free(text);
    return 0;
}
