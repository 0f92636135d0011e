/*
 * seal_find.c - the search of a sealed store: store_find_persons for each
 * query line of a file ("given family"), timed one by one; prints the
 * median and the 99th percentile in milliseconds and the mean number of
 * candidates opened. Usage: seal_find DB KEYFILE QUERIES
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"

static int count(void *ctx, const struct model_case *c)
{
    (void)c;
    (*(long *)ctx)++;
    return 0;
}

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

int main(int argc, char **argv)
{
    struct store *st = NULL;
    struct seal_kek *kek = NULL;
    struct ctis_err err;
    char line[256];
    double ms[10000];
    long hits = 0;
    size_t n = 0;
    FILE *q;

    if (argc != 4) {
        fprintf(stderr, "usage: seal_find DB KEYFILE QUERIES\n");
        return 2;
    }
    if (store_open(&st, argv[1], STORE_OPEN_READONLY, &err) != 0 ||
        seal_kek_from_file(&kek, argv[2], &err) != 0 ||
        store_unlock(st, kek, &err) != 0) {
        fprintf(stderr, "seal_find: %s\n", err.msg);
        return 1;
    }
    q = fopen(argv[3], "r");
    while (q != NULL && n < 10000 && fgets(line, sizeof line, q) != NULL) {
        struct store_person_query pq;
        double t0;

        line[strcspn(line, "\n")] = '\0';
        pq.name = line;
        pq.birth_year = 0;
        t0 = now();
        if (store_find_persons(st, &pq, count, &hits, &err) != 0) {
            fprintf(stderr, "seal_find: %s\n", err.msg);
            return 1;
        }
        ms[n++] = (now() - t0) * 1000;
    }
    if (q != NULL) {
        fclose(q);
    }
    if (n == 0) {
        fprintf(stderr, "seal_find: no queries\n");
        return 1;
    }
    qsort(ms, n, sizeof ms[0], cmp_double);
    printf("%zu %.2f %.2f %.1f\n", n, ms[n / 2], ms[(n * 99) / 100],
           (double)hits / (double)n);
    store_close(st);
    seal_kek_free(kek);
    return 0;
}
