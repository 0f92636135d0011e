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
#include <math.h>
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

/* ---- secondary suppression audit ---------------------------------------
 * Equations over the suppressed cells: for each group, the sum of its
 * suppressed totals minus the sum of its suppressed parts is known. A cell
 * is determined exactly when adding its unit row to the matrix leaves the
 * rank unchanged. Matrices are small (a datasheet has tens of groups and
 * hidden cells), so plain Gaussian elimination on doubles serves; the
 * coefficients are 0 and +-1 and the ranks are exact at this size. */

static int coef(const struct stats_group *g, size_t i)
{
    int total = g->totals_last ? i >= g->n - g->n_totals : i < g->n_totals;

    return total ? 1 : -1;
}

static size_t rank_of(double *m, size_t rows, size_t cols)
{
    size_t rank = 0;
    size_t c;

    for (c = 0; c < cols && rank < rows; c++) {
        size_t best = rank;
        size_t r;

        for (r = rank + 1; r < rows; r++) {
            if (fabs(m[r * cols + c]) > fabs(m[best * cols + c])) {
                best = r;
            }
        }
        if (fabs(m[best * cols + c]) < 1e-9) {
            continue;
        }
        if (best != rank) {
            size_t k;

            for (k = 0; k < cols; k++) {
                double t = m[rank * cols + k];

                m[rank * cols + k] = m[best * cols + k];
                m[best * cols + k] = t;
            }
        }
        for (r = rank + 1; r < rows; r++) {
            double f = m[r * cols + c] / m[rank * cols + c];
            size_t k;

            if (f == 0.0) {
                continue;
            }
            for (k = c; k < cols; k++) {
                m[r * cols + k] -= f * m[rank * cols + k];
            }
        }
        rank++;
    }
    return rank;
}

/* The index of cell c among the hidden cells, or -1. */
static long hidden_index(struct stats_cell *const *hidden, size_t n,
                         const struct stats_cell *c)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (hidden[i] == c) {
            return (long)i;
        }
    }
    return -1;
}

/* One round: find a determined cell and protect it. 1 when a cell was
 * marked, 0 when none is determined (or none can be protected), -1 out
 * of memory. */
static int audit_round(struct stats_group *groups, size_t n_groups)
{
    struct stats_cell **hidden = NULL;
    size_t n_hidden = 0;
    size_t cap = 0;
    double *m = NULL;
    double *work = NULL;
    size_t rows = n_groups;
    size_t g;
    size_t i;
    size_t v;
    size_t base;
    int rc = 0;

    for (g = 0; g < n_groups; g++) {
        for (i = 0; i < groups[g].n; i++) {
            struct stats_cell *c = groups[g].cells[i];

            if (c->suppressed == STATS_SHOWN ||
                hidden_index(hidden, n_hidden, c) >= 0) {
                continue;
            }
            if (n_hidden == cap) {
                size_t nc = cap > 0 ? cap * 2 : 32;
                void *p = ctis_realloc(hidden, nc * sizeof *hidden);

                if (p == NULL) {
                    ctis_free(hidden);
                    return -1;
                }
                hidden = p;
                cap = nc;
            }
            hidden[n_hidden++] = c;
        }
    }
    if (n_hidden == 0) {
        ctis_free(hidden);
        return 0;
    }
    m = ctis_calloc((rows + 1) * n_hidden, sizeof *m);
    work = ctis_malloc((rows + 1) * n_hidden * sizeof *work);
    if (m == NULL || work == NULL) {
        ctis_free(hidden);
        ctis_free(m);
        ctis_free(work);
        return -1;
    }
    for (g = 0; g < n_groups; g++) {
        for (i = 0; i < groups[g].n; i++) {
            long h = hidden_index(hidden, n_hidden, groups[g].cells[i]);

            if (h >= 0) {
                m[g * n_hidden + (size_t)h] += coef(&groups[g], i);
            }
        }
    }
    memcpy(work, m, rows * n_hidden * sizeof *work);
    base = rank_of(work, rows, n_hidden);
    for (v = 0; v < n_hidden && rc == 0; v++) {
        memcpy(work, m, rows * n_hidden * sizeof *work);
        memset(work + rows * n_hidden, 0, n_hidden * sizeof *work);
        work[rows * n_hidden + v] = 1.0;
        if (rank_of(work, rows + 1, n_hidden) > base) {
            continue; /* free: it can take a range of values */
        }
        /* Determined: hide the smallest shown non-zero cell of a group
         * that holds it. */
        for (g = 0; g < n_groups && rc == 0; g++) {
            struct stats_cell *best = NULL;
            int holds = 0;

            for (i = 0; i < groups[g].n; i++) {
                struct stats_cell *c = groups[g].cells[i];

                holds |= c == hidden[v];
                if (c->suppressed == STATS_SHOWN && c->n > 0 &&
                    (best == NULL || c->n < best->n)) {
                    best = c;
                }
            }
            if (holds && best != NULL) {
                best->suppressed = STATS_COMPLEMENTARY;
                rc = 1;
            }
        }
    }
    ctis_free(hidden);
    ctis_free(m);
    ctis_free(work);
    return rc;
}

/* Rounds until no suppressed cell is determined; see stats.h. */
long stats_suppress_audit(struct stats_group *groups, size_t n_groups)
{
    long marked = 0;
    int rc;

    while ((rc = audit_round(groups, n_groups)) == 1) {
        marked++;
    }
    return rc < 0 ? -1 : marked;
}
