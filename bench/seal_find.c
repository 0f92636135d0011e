/*
 * seal_find.c - 'case find' on a sealed store: ops_case_find, the
 * function the command runs, as the local administrator in one read
 * transaction per query (as the CLI runs it), for each query line of a
 * file ("CASE_ID<TAB>given family"), timed one by one. The reference,
 * measured in the same run on the same file: a plain indexed SQLite
 * lookup of the query's case and person rows by id (sqlite3 API, one
 * read transaction per lookup). Prints, on one line: the queries, the
 * find's median and 99th percentile in milliseconds, the lookup's
 * median and 99th percentile, the sealed candidates opened per query and
 * the hits per query. On a postgresql:// DB the reference is the read of
 * the query's case by id through the same store (store_get_case, one
 * indexed lookup and one identity opened), not counted in the opened
 * candidates.
 *
 * Usage: seal_find DB KEYFILE QUERIES
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ops/ops.h"

#define MAX_QUERIES 10000

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* One query line: the case id, a tab, the name. */
struct query {
    char id[MODEL_ID_MAX];
    char name[200];
};

static size_t read_queries(const char *path, struct query *q, size_t max)
{
    char line[256];
    size_t n = 0;
    FILE *f = fopen(path, "r");

    while (f != NULL && n < max && fgets(line, sizeof line, f) != NULL) {
        char *tab = strchr(line, '\t');

        line[strcspn(line, "\n")] = '\0';
        if (tab == NULL) {
            continue;
        }
        *tab = '\0';
        ctis_strlcpy(q[n].id, line, sizeof q[n].id);
        ctis_strlcpy(q[n].name, tab + 1, sizeof q[n].name);
        n++;
    }
    if (f != NULL) {
        fclose(f);
    }
    return n;
}

/* The reference: one indexed lookup of the case and person rows. */
static int lookups(const char *db, const struct query *q, size_t n,
                   double *ms)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *s = NULL;
    size_t i;
    long found = 0;

    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(h,
                           "SELECT c.id, c.agency, c.home_province, p.sealed"
                           " FROM cases c JOIN person_identity p"
                           " ON p.case_rid = c.rid WHERE c.id = ?1",
                           -1, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "seal_find: %s\n", sqlite3_errmsg(h));
        sqlite3_close(h);
        return -1;
    }
    for (i = 0; i < n; i++) {
        double t0 = now();

        sqlite3_exec(h, "BEGIN", NULL, NULL, NULL);
        sqlite3_bind_text(s, 1, q[i].id, -1, SQLITE_STATIC);
        while (sqlite3_step(s) == SQLITE_ROW) {
            found++;
        }
        sqlite3_reset(s);
        sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
        ms[i] = (now() - t0) * 1000;
    }
    sqlite3_finalize(s);
    sqlite3_close(h);
    return found == (long)n ? 0 : -1;
}

/* The reference on PostgreSQL: each query's case read by id. */
static int store_lookups(struct store *st, const struct query *q, size_t n,
                         double *ms)
{
    struct model_case c;
    struct ctis_err err;
    size_t i;
    int rc = 0;

    model_case_init(&c);
    for (i = 0; rc == 0 && i < n; i++) {
        double t0 = now();

        rc = store_begin_read(st, &err);
        if (rc == 0) {
            rc = store_get_case(st, q[i].id, &c, &err);
        }
        store_end_read(st);
        ms[i] = (now() - t0) * 1000;
    }
    if (rc != 0) {
        fprintf(stderr, "seal_find: %s\n", err.msg);
    }
    model_case_release(&c);
    return rc;
}

int main(int argc, char **argv)
{
    static struct query q[MAX_QUERIES];
    static double ms[MAX_QUERIES];
    static double ref[MAX_QUERIES];
    struct store *st = NULL;
    struct seal_kek *kek = NULL;
    struct ops_caller who;
    struct ops o;
    struct ctis_err err;
    long opened0;
    long hits = 0;
    size_t n;
    size_t i;

    if (argc != 4) {
        fprintf(stderr, "usage: seal_find DB KEYFILE QUERIES\n");
        return 2;
    }
    n = read_queries(argv[3], q, MAX_QUERIES);
    if (n == 0) {
        fprintf(stderr, "seal_find: no queries\n");
        return 1;
    }
    if (store_open(&st, argv[1], STORE_OPEN_READONLY, &err) != 0 ||
        seal_kek_from_file(&kek, argv[2], &err) != 0 ||
        store_unlock(st, kek, &err) != 0) {
        fprintf(stderr, "seal_find: %s\n", err.msg);
        return 1;
    }
    ops_caller_local_admin(&who);
    ops_init(&o, st, &who);
    opened0 = store_identities_opened(st);
    for (i = 0; i < n; i++) {
        struct ops_find_hit h[10];
        size_t nh = 0;
        double t0 = now();
        int rc = store_begin_read(st, &err);

        if (rc == 0) {
            rc = ops_case_find(&o, q[i].name, 0, NULL, h, 10, &nh, &err);
        }
        store_end_read(st);
        if (rc != 0) {
            fprintf(stderr, "seal_find: %s\n", err.msg);
            return 1;
        }
        ms[i] = (now() - t0) * 1000;
        hits += (long)nh;
    }
    printf("%zu", n);
    qsort(ms, n, sizeof ms[0], cmp_double);
    printf(" %.2f %.2f", ms[n / 2], ms[(n * 99) / 100]);
    opened0 = store_identities_opened(st) - opened0;
    if (strncmp(argv[1], "postgresql://", 13) == 0
            ? store_lookups(st, q, n, ref) != 0
            : lookups(argv[1], q, n, ref) != 0) {
        fprintf(stderr, "seal_find: the reference lookup failed\n");
        return 1;
    }
    qsort(ref, n, sizeof ref[0], cmp_double);
    printf(" %.3f %.3f %.1f %.1f\n", ref[n / 2], ref[(n * 99) / 100],
           (double)opened0 / (double)n,
           (double)hits / (double)n);
    store_close(st);
    seal_kek_free(kek);
    return 0;
}
