/*
 * link_eval.c - pairwise precision, recall and F1 of a clusters file
 * (ctis link --output) against the truth column of the input lists.
 *
 *   link_eval --clusters C.csv [--id-column record_id]
 *             [--truth-column person_id] FILE...
 *
 * A record is named by its list (the file's base name) and id.
 */
#include <stdio.h>
#include <string.h>

#include "io/io.h"
#include "link/link.h"

struct rec {
    char key[160];
    uint32_t truth;
    uint32_t pred;
    int seen;
};

static size_t slot(struct rec *t, size_t cap, const char *key)
{
    size_t i = 0;
    const char *p;

    for (p = key; *p != '\0'; p++) {
        i = i * 131 + (unsigned char)*p;
    }
    i &= cap - 1;
    while (t[i].key[0] != '\0' && strcmp(t[i].key, key) != 0) {
        i = (i + 1) & (cap - 1);
    }
    return i;
}

static int column(const struct io_csv *r, const char *name)
{
    size_t i;

    for (i = 0; i < io_csv_nfields(r); i++) {
        if (strcmp(io_csv_field(r, i), name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

int main(int argc, char **argv)
{
    const char *clusters = NULL;
    const char *idc = "record_id";
    const char *tc = "person_id";
    const char *files[16];
    int nf = 0;
    size_t cap = 1 << 22;
    struct rec *t;
    uint32_t *pred;
    uint32_t *truth;
    size_t n = 0;
    struct link_eval ev;
    struct ctis_err err;
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--clusters") == 0 && i + 1 < argc) {
            clusters = argv[++i];
        } else if (strcmp(argv[i], "--id-column") == 0 && i + 1 < argc) {
            idc = argv[++i];
        } else if (strcmp(argv[i], "--truth-column") == 0 && i + 1 < argc) {
            tc = argv[++i];
        } else if (nf < 16) {
            files[nf++] = argv[i];
        }
    }
    if (clusters == NULL || nf == 0) {
        fprintf(stderr, "usage: link_eval --clusters C.csv FILE...\n");
        return 2;
    }
    t = ctis_calloc(cap, sizeof *t);
    if (t == NULL) {
        return 1;
    }
    for (i = 0; i < nf; i++) {
        struct io_csv *r;
        char list[128];
        const char *b = strrchr(files[i], '/');
        char *dot;
        int ci;
        int ct;

        ctis_strlcpy(list, b != NULL ? b + 1 : files[i], sizeof list);
        dot = strrchr(list, '.');
        if (dot != NULL) {
            *dot = '\0';
        }
        if (io_csv_open(&r, files[i], &err) != 0 || io_csv_next(r, &err) <= 0) {
            fprintf(stderr, "link_eval: cannot read '%s'\n", files[i]);
            return 1;
        }
        ci = column(r, idc);
        ct = column(r, tc);
        if (ci < 0 || ct < 0) {
            fprintf(stderr, "link_eval: '%s' lacks %s or %s\n", files[i],
                    idc, tc);
            return 1;
        }
        while (io_csv_next(r, &err) > 0) {
            char key[160];
            long v;
            size_t s;

            snprintf(key, sizeof key, "%s\x1f%s", list,
                     io_csv_field(r, (size_t)ci));
            s = slot(t, cap, key);
            ctis_strlcpy(t[s].key, key, sizeof t[s].key);
            ctis_parse_long(io_csv_field(r, (size_t)ct), 0, 4000000000L, &v);
            t[s].truth = (uint32_t)v;
        }
        io_csv_close(r);
    }
    {
        struct io_csv *r;

        if (io_csv_open(&r, clusters, &err) != 0 || io_csv_next(r, &err) <= 0) {
            fprintf(stderr, "link_eval: cannot read '%s'\n", clusters);
            return 1;
        }
        while (io_csv_next(r, &err) > 0) {
            char key[160];
            long v;
            size_t s;

            snprintf(key, sizeof key, "%s\x1f%s", io_csv_field(r, 0),
                     io_csv_field(r, 1));
            s = slot(t, cap, key);
            if (t[s].key[0] == '\0') {
                continue;
            }
            ctis_parse_long(io_csv_field(r, 2), 0, 4000000000L, &v);
            t[s].pred = (uint32_t)v;
            t[s].seen = 1;
        }
        io_csv_close(r);
    }
    pred = ctis_malloc(cap * sizeof *pred);
    truth = ctis_malloc(cap * sizeof *truth);
    for (i = 0; (size_t)i < cap; i++) {
        if (t[i].seen) {
            pred[n] = t[i].pred;
            truth[n] = t[i].truth;
            n++;
        }
    }
    link_evaluate(pred, truth, n, &ev, &err);
    printf("records %zu  true pairs %llu  found pairs %llu  correct %llu\n"
           "precision %.4f  recall %.4f  F1 %.4f\n", n,
           (unsigned long long)ev.true_pairs,
           (unsigned long long)ev.found_pairs,
           (unsigned long long)ev.correct_pairs, ev.precision, ev.recall,
           ev.f1);
    ctis_free(t);
    ctis_free(pred);
    ctis_free(truth);
    return 0;
}
