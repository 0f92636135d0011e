/*
 * disclosure.c - primary and complementary suppression of small counts on
 * plain cells (stats.h). The rules are deliberately simple and local, the
 * way CTDC applies k-anonymity to its published tables:
 *  1. a cell with 0 < n < k is suppressed (primary);
 *  2. in a group of cells bound by one linear relation, one suppressed
 *     cell could be recovered by subtraction, so while a group has exactly
 *     one, the smallest shown non-zero cell of that group is suppressed
 *     too (complementary). Suppression only ever grows, so iterating over
 *     the groups until a pass changes nothing terminates.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

/* Primary suppression: a count below k names too few people. */
size_t stats_suppress_primary(struct stats_cell *cells, size_t len, long k)
{
    size_t marked = 0;
    size_t i;

    for (i = 0; i < len; i++) {
        if (cells[i].suppressed == STATS_SHOWN && cells[i].n > 0 &&
            cells[i].n < k) {
            cells[i].suppressed = STATS_PRIMARY;
            marked++;
        }
    }
    return marked;
}

/* One pass over one group; returns 1 when it suppressed a cell. */
static int protect_group(struct stats_group *g)
{
    struct stats_cell *best = NULL;
    size_t hidden = 0;
    size_t i;

    for (i = 0; i < g->n; i++) {
        struct stats_cell *c = g->cells[i];

        if (c->suppressed != STATS_SHOWN) {
            hidden++;
        } else if (c->n > 0 && (best == NULL || c->n < best->n)) {
            best = c;
        }
    }
    if (hidden != 1 || best == NULL) {
        return 0;
    }
    best->suppressed = STATS_COMPLEMENTARY;
    return 1;
}

/* Complementary suppression to a fixed point: a cell suppressed for one
 * group may leave another group with a single hidden cell. */
size_t stats_suppress_complementary(struct stats_group *groups,
                                    size_t n_groups)
{
    size_t marked = 0;
    int changed = 1;

    while (changed) {
        size_t i;

        changed = 0;
        for (i = 0; i < n_groups; i++) {
            if (protect_group(&groups[i])) {
                marked++;
                changed = 1;
            }
        }
    }
    return marked;
}

/* ---- k-anonymity -------------------------------------------------------
 * Rows are grouped by a 64-bit key packing their codes (code + 1 in the
 * quasi-identifier's bits, so STATS_QI_SUPPRESSED packs as 0); sorting
 * (key, row) pairs gives every group as a run. */

struct keyed {
    uint64_t key;
    uint32_t row;
};

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a;
    const struct keyed *y = b;

    if (x->key != y->key) {
        return x->key < y->key ? -1 : 1;
    }
    return x->row < y->row ? -1 : x->row > y->row;
}

/* The published code of row value v at level lv. */
static int at_level(const struct stats_qi *q, int v, int lv)
{
    if (v == STATS_QI_SUPPRESSED || lv == 0) {
        return v;
    }
    return q->generalise(v, lv);
}

static uint64_t row_key(const struct stats_qi *qi, size_t n_qi,
                        const int *row, const int *level)
{
    uint64_t key = 0;
    size_t j;

    for (j = 0; j < n_qi; j++) {
        int v = level != NULL ? at_level(&qi[j], row[j], level[j]) : row[j];

        key = (key << qi[j].bits) | (uint64_t)(v + 1);
    }
    return key;
}

/* Sort ks[0..n) and write each row's group size into size[row]. Returns
 * the number of rows in groups smaller than k. */
static long group_sizes(struct keyed *ks, size_t n, long *size, long k)
{
    long unsafe = 0;
    size_t i = 0;

    qsort(ks, n, sizeof *ks, cmp_keyed);
    while (i < n) {
        size_t j = i;

        while (j < n && ks[j].key == ks[i].key) {
            j++;
        }
        if ((long)(j - i) < k) {
            unsafe += (long)(j - i);
        }
        if (size != NULL) {
            size_t m;

            for (m = i; m < j; m++) {
                size[ks[m].row] = (long)(j - i);
            }
        }
        i = j;
    }
    return unsafe;
}

static long unsafe_at(const struct stats_qi *qi, size_t n_qi,
                      const int *codes, size_t n_rows, const int *level,
                      struct keyed *ks, long k)
{
    size_t i;

    for (i = 0; i < n_rows; i++) {
        ks[i].key = row_key(qi, n_qi, codes + i * n_qi, level);
        ks[i].row = (uint32_t)i;
    }
    return group_sizes(ks, n_rows, NULL, k);
}

/* Step 1: greedy global recoding (see stats.h). */
static void choose_levels(struct stats_kanon *ka, const struct stats_qi *qi,
                          size_t n_qi, const int *codes, size_t n_rows,
                          struct keyed *ks)
{
    long unsafe = unsafe_at(qi, n_qi, codes, n_rows, ka->level, ks, ka->k);

    while (unsafe > ka->max_unsafe) {
        long best = unsafe;
        size_t best_j = n_qi;
        size_t j;

        for (j = 0; j < n_qi; j++) {
            long u;

            if (ka->level[j] >= qi[j].levels) {
                continue;
            }
            ka->level[j]++;
            u = unsafe_at(qi, n_qi, codes, n_rows, ka->level, ks, ka->k);
            ka->level[j]--;
            if (u < best) {
                best = u;
                best_j = j;
            }
        }
        if (best_j == n_qi) {
            break;
        }
        ka->level[best_j]++;
        unsafe = best;
    }
}

/* Generalise, suppress, drop: see stats.h. */
int stats_kanon_apply(struct stats_kanon *ka, const struct stats_qi *qi,
                      size_t n_qi, int *codes, size_t n_rows,
                      const int *suppress_order, unsigned char *dropped,
                      struct ctis_err *err)
{
    struct keyed *ks;
    long *size;
    unsigned char *touched;
    int bits = 0;
    size_t i;
    size_t j;
    size_t s;

    ka->values_generalised = 0;
    ka->values_suppressed = 0;
    ka->rows_suppressed = 0;
    ka->rows_dropped = 0;
    for (j = 0; j < STATS_QI_MAX; j++) {
        ka->level[j] = 0;
    }
    if (n_qi == 0 || n_qi > STATS_QI_MAX || n_rows > UINT32_MAX) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "k-anonymity needs 1 to %d quasi-identifiers",
                            STATS_QI_MAX);
    }
    for (j = 0; j < n_qi; j++) {
        if (qi[j].bits < 1 || qi[j].bits > 16) {
            return ctis_err_set(err, CTIS_EINVAL,
                                "quasi-identifier '%s' has bad width",
                                qi[j].name);
        }
        bits += qi[j].bits;
    }
    if (bits > 64) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "quasi-identifiers need more than 64 bits");
    }
    memset(dropped, 0, n_rows);
    if (ka->k <= 1 || n_rows == 0) {
        return 0;
    }
    ks = ctis_malloc(n_rows * sizeof *ks);
    size = ctis_malloc(n_rows * sizeof *size);
    touched = ctis_calloc(n_rows, 1);
    if (ks == NULL || size == NULL || touched == NULL) {
        ctis_free(ks);
        ctis_free(size);
        ctis_free(touched);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    choose_levels(ka, qi, n_qi, codes, n_rows, ks);
    /* Publish the chosen levels. */
    for (i = 0; i < n_rows; i++) {
        int *row = codes + i * n_qi;

        for (j = 0; j < n_qi; j++) {
            if (ka->level[j] > 0 && row[j] != STATS_QI_SUPPRESSED) {
                row[j] = qi[j].generalise(row[j], ka->level[j]);
                ka->values_generalised++;
            }
        }
    }
    /* Step 2: suppress one quasi-identifier at a time in unsafe rows. */
    for (s = 0; s <= n_qi; s++) {
        long unsafe;

        for (i = 0; i < n_rows; i++) {
            ks[i].key = row_key(qi, n_qi, codes + i * n_qi, NULL);
            ks[i].row = (uint32_t)i;
        }
        unsafe = group_sizes(ks, n_rows, size, ka->k);
        if (unsafe == 0 || s == n_qi) {
            break;
        }
        j = suppress_order != NULL ? (size_t)suppress_order[s]
                                   : n_qi - 1 - s;
        for (i = 0; i < n_rows; i++) {
            int *row = codes + i * n_qi;

            if (size[i] < ka->k && row[j] != STATS_QI_SUPPRESSED) {
                row[j] = STATS_QI_SUPPRESSED;
                ka->values_suppressed++;
                touched[i] = 1;
            }
        }
    }
    /* Step 3: what is still unsafe is a small group with nothing shown. */
    for (i = 0; i < n_rows; i++) {
        if (size[i] < ka->k) {
            dropped[i] = 1;
            ka->rows_dropped++;
        } else if (touched[i]) {
            ka->rows_suppressed++;
        }
    }
    ctis_free(ks);
    ctis_free(size);
    ctis_free(touched);
    return 0;
}

/* The one rule for which k an output gets; see stats.h. */
int stats_k_for(int public_out, long k_given, long *out,
                struct ctis_err *err)
{
    if (!public_out) {
        *out = k_given > 0 ? k_given : 0;
        return 0;
    }
    if (k_given >= 0 && k_given < STATS_K_PUBLIC_MIN) {
        return ctis_err_set(err, CTIS_EARG,
                            "--k %ld is refused for public output: public "
                            "counts need k of at least %d (default %d)",
                            k_given, STATS_K_PUBLIC_MIN, STATS_K_PUBLIC);
    }
    *out = k_given > STATS_K_PUBLIC ? k_given : STATS_K_PUBLIC;
    return 0;
}
