/*
 * link_gen.c - write generated agency lists of Cambodian persons with the
 * true person beside each record (link/gen.c), for linkage tests and
 * benchmarks.
 *
 *   link_gen --persons N [--lists 3] [--dup 0.03] [--seed S] --out DIR
 *
 * writes DIR/police.csv, DIR/ngo.csv, DIR/ministry.csv (and DIR/iom.csv
 * with 4 lists) in the linkage input columns plus person_id, the truth.
 */
#include <stdio.h>
#include <string.h>

#include "io/io.h"
#include "link/link.h"

struct sink {
    FILE *files[4];
    struct ctis_buf line;
    long records;
};

static int put(void *vctx, int list, const char *const *f, uint32_t person)
{
    struct sink *s = vctx;
    char pid[24];
    int i;
    int rc = 0;

    ctis_buf_reset(&s->line);
    for (i = LINK_F_RECORD_ID; i < LINK_F_COUNT && rc == 0; i++) {
        rc = io_csv_put_field(&s->line, f[i] != NULL ? f[i] : "");
        if (rc == 0) {
            rc = ctis_buf_putc(&s->line, ',');
        }
    }
    snprintf(pid, sizeof pid, "%u\n", (unsigned)person);
    if (rc == 0) {
        rc = ctis_buf_puts(&s->line, pid);
    }
    if (rc == 0 && fwrite(s->line.data, 1, s->line.len, s->files[list]) !=
                       s->line.len) {
        rc = CTIS_EIO;
    }
    s->records++;
    return rc;
}

int main(int argc, char **argv)
{
    static const char *const names[] = {"police", "ngo", "ministry", "iom"};
    struct link_gen_options o;
    struct sink s;
    struct ctis_err err;
    const char *out = NULL;
    int i;
    int rc;

    memset(&o, 0, sizeof o);
    o.persons = 1000;
    o.lists = 3;
    o.dup_rate = 0.03;
    o.seed = 1;
    for (i = 1; i + 1 < argc; i += 2) {
        long v;
        double d;

        if (strcmp(argv[i], "--persons") == 0 &&
            ctis_parse_long(argv[i + 1], 1, 100000000L, &v) == 0) {
            o.persons = v;
        } else if (strcmp(argv[i], "--lists") == 0 &&
                   ctis_parse_long(argv[i + 1], 1, 4, &v) == 0) {
            o.lists = (int)v;
        } else if (strcmp(argv[i], "--seed") == 0 &&
                   ctis_parse_long(argv[i + 1], 0, 1L << 30, &v) == 0) {
            o.seed = (uint64_t)v;
        } else if (strcmp(argv[i], "--dup") == 0 &&
                   ctis_parse_double(argv[i + 1], &d) == 0) {
            o.dup_rate = d;
        } else if (strcmp(argv[i], "--out") == 0) {
            out = argv[i + 1];
        } else {
            fprintf(stderr, "link_gen: bad option '%s'\n", argv[i]);
            return 2;
        }
    }
    if (out == NULL) {
        fprintf(stderr, "usage: link_gen --persons N [--lists 3] [--dup R] "
                        "[--seed S] --out DIR\n");
        return 2;
    }
    memset(&s, 0, sizeof s);
    ctis_buf_init(&s.line);
    for (i = 0; i < o.lists; i++) {
        char path[4096];
        int k;

        snprintf(path, sizeof path, "%s/%s.csv", out, names[i]);
        s.files[i] = fopen(path, "w");
        if (s.files[i] == NULL) {
            fprintf(stderr, "link_gen: cannot create '%s'\n", path);
            return 1;
        }
        for (k = LINK_F_RECORD_ID; k < LINK_F_COUNT; k++) {
            fprintf(s.files[i], "%s,", link_field_name(k));
        }
        fprintf(s.files[i], "person_id\n");
    }
    rc = link_generate(&o, put, &s, &err);
    for (i = 0; i < o.lists; i++) {
        if (fclose(s.files[i]) != 0) {
            rc = CTIS_EIO;
        }
    }
    ctis_buf_release(&s.line);
    if (rc != 0) {
        fprintf(stderr, "link_gen: %s\n", ctis_strerror(rc));
        return 1;
    }
    fprintf(stderr, "link_gen: %ld records of %ld persons in %d lists\n",
            s.records, o.persons, o.lists);
    return 0;
}
