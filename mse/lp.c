/*
 * lp.c - existence and identifiability of a log-linear model's estimate.
 *
 * Identifiability: the model matrix over the cells kept in the fit (after
 * the cells of minus-infinity terms are dropped) must have full column
 * rank (tested by a Cholesky factorisation of X'X; X is 0/1, so X'X is
 * integer and a deficiency leaves a pivot at rounding level).
 *
 * Existence (Fienberg and Rinaldo 2012, as SparseMSE's checkident): the
 * Poisson likelihood has a maximum iff there is no direction d with
 * x_c.d = 0 on every cell c with a positive count and x_c.d >= 0 on the
 * observed zeros, strictly on one of them (along -d the likelihood keeps
 * rising while the zero cells' fitted values go to 0). We take the null
 * space N of the positive cells' rows (reduced row echelon form), so
 * d = N z; with M = X_0 N (zero rows and repeated rows dropped) we solve
 * the small linear program
 *     maximise 1'M z  subject to  M z >= 0,  -1 <= z <= 1
 * by a dense tableau simplex with Bland's rule (the origin is feasible, so
 * no first phase is needed; Bland's rule cannot cycle on these highly
 * degenerate programs). The optimum is positive iff some M z >= 0 is not
 * all zero, that is iff the MLE does not exist. Entries are small
 * integers or rationals, so fixed tolerances suffice.
 */
#include <math.h>
#include <string.h>

#include "mse_int.h"

#define LP_EPS 1e-9
#define RANK_EPS 1e-9

/* Dense row of cell r of d into x (p values). */
static void dense_row(const struct mse_design *d, int r, double *x)
{
    int a;

    memset(x, 0, (size_t)d->p * sizeof *x);
    for (a = 0; a < d->nact[r]; a++) {
        x[d->act[r * d->p + a]] = 1;
    }
}

/*
 * Reduce the n x p matrix a (row major, overwritten) to reduced row
 * echelon form with partial pivoting. OUT: pivcol[row] for each pivot row;
 * returns the rank.
 */
static int rref(double *a, int n, int p, int *pivcol)
{
    int row = 0;
    int col;

    for (col = 0; col < p && row < n; col++) {
        int best = row;
        int i;
        int j;
        double piv;

        for (i = row + 1; i < n; i++) {
            if (fabs(a[i * p + col]) > fabs(a[best * p + col])) {
                best = i;
            }
        }
        if (fabs(a[best * p + col]) < RANK_EPS) {
            continue;
        }
        if (best != row) {
            for (j = 0; j < p; j++) {
                double s = a[row * p + j];

                a[row * p + j] = a[best * p + j];
                a[best * p + j] = s;
            }
        }
        piv = a[row * p + col];
        for (j = 0; j < p; j++) {
            a[row * p + j] /= piv;
        }
        for (i = 0; i < n; i++) {
            double f = a[i * p + col];

            if (i == row || f == 0) {
                continue;
            }
            for (j = 0; j < p; j++) {
                a[i * p + j] -= f * a[row * p + j];
            }
            a[i * p + col] = 0;
        }
        pivcol[row] = col;
        row++;
    }
    return row;
}

/*
 * Maximise (1'M) z over M z >= 0, -1 <= z <= 1 (z = z+ - z-, each in
 * [0, 1]), with M the n0 x nf matrix of the file comment. The origin is
 * feasible and every right-hand side is >= 0, so the slack basis starts
 * the simplex. t has room for the tableau and the basis. Returns the
 * optimum, or -1 when the iteration limit is hit (never seen).
 */
static double lp_max(const double *m, int n0, int nf, double *t)
{
    int nv = 2 * nf; /* structural variables z+, z- */
    int rows = n0 + 2 * nf;
    int cols = nv + rows + 1; /* + slacks + right-hand side */
    int *basis = (int *)(t + (size_t)(rows + 1) * cols);
    double *obj = t + (size_t)rows * cols;
    int i;
    int j;
    long iter;

    memset(t, 0, (size_t)(rows + 1) * cols * sizeof *t);
    for (i = 0; i < n0; i++) {
        double *r = t + (size_t)i * cols;

        for (j = 0; j < nf; j++) {
            r[j] = -m[i * nf + j];
            r[nf + j] = m[i * nf + j];
            /* Objective row holds -c. */
            obj[j] -= m[i * nf + j];
            obj[nf + j] += m[i * nf + j];
        }
        r[nv + i] = 1;
    }
    for (j = 0; j < nv; j++) {
        double *u = t + (size_t)(n0 + j) * cols;

        u[j] = 1;
        u[nv + n0 + j] = 1;
        u[cols - 1] = 1;
    }
    for (i = 0; i < rows; i++) {
        basis[i] = nv + i;
    }
    for (iter = 0; iter < 1000000; iter++) {
        int enter = -1;
        int leave = -1;
        double best = 0;

        /* Bland's rule: the first improving column. */
        for (j = 0; j < nv + rows; j++) {
            if (obj[j] < -LP_EPS) {
                enter = j;
                break;
            }
        }
        if (enter < 0) {
            return obj[cols - 1];
        }
        for (i = 0; i < rows; i++) {
            double a = t[(size_t)i * cols + enter];

            if (a > LP_EPS) {
                double ratio = t[(size_t)i * cols + cols - 1] / a;

                if (leave < 0 || ratio < best - LP_EPS ||
                    (ratio < best + LP_EPS && basis[i] < basis[leave])) {
                    leave = i;
                    best = ratio;
                }
            }
        }
        if (leave < 0) {
            /* Unbounded cannot happen (z is boxed). */
            return -1;
        }
        {
            double *pr = t + (size_t)leave * cols;
            double piv = pr[enter];

            for (j = 0; j < cols; j++) {
                pr[j] /= piv;
            }
            for (i = 0; i <= rows; i++) {
                double *r = t + (size_t)i * cols;
                double f = r[enter];

                if (i == leave || f == 0) {
                    continue;
                }
                for (j = 0; j < cols; j++) {
                    r[j] -= f * pr[j];
                }
                r[enter] = 0;
            }
            basis[leave] = enter;
        }
    }
    return -1;
}

/* Rank first (cheap), then the program when some count is zero and the
 * positive cells alone leave a direction free. */
int mse_design_existence(const struct mse_design *d, int *code,
                         struct ctis_err *err)
{
    int p = d->p;
    int n = d->ncells;
    int npos = 0;
    int n0 = 0;
    int rank;
    int r;
    int i;
    int j;
    int nf;
    int *pivcol = NULL;
    int *isfree = NULL;
    double *a = NULL;
    double *nul = NULL;
    double *m = NULL;
    double *tab = NULL;
    double x[MSE_MAX_PARAMS];
    int rc = 0;

    *code = MSE_EXIST_OK;
    /* Fast paths: identifiability, and no zero cell or a positive part
     * of full rank (then only d = 0 solves the equalities). */
    rc = mse_design_full_rank(d, 0, &rank, err);
    if (rc != 0) {
        return rc;
    }
    if (!rank) {
        *code = MSE_EXIST_NOT_IDENT;
        return 0;
    }
    for (r = 0; r < n; r++) {
        n0 += d->y[r] > 0 ? 0 : 1;
    }
    if (n0 == 0) {
        return 0;
    }
    rc = mse_design_full_rank(d, 1, &rank, err);
    if (rc != 0 || rank) {
        return rc;
    }
    n0 = 0;
    a = ctis_malloc((size_t)(n > 0 ? n : 1) * p * sizeof *a);
    pivcol = ctis_malloc((size_t)p * sizeof *pivcol);
    isfree = ctis_malloc((size_t)p * sizeof *isfree);
    if (a == NULL || pivcol == NULL || isfree == NULL) {
        rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        goto out;
    }
    for (r = 0; r < n; r++) {
        if (d->y[r] > 0) {
            dense_row(d, r, a + (size_t)npos * p);
            npos++;
        } else {
            n0++;
        }
    }
    rank = rref(a, npos, p, pivcol);
    if (rank == p) {
        goto out;
    }
    /* Null space basis: one vector per non-pivot column. */
    for (j = 0; j < p; j++) {
        isfree[j] = 1;
    }
    for (i = 0; i < rank; i++) {
        isfree[pivcol[i]] = 0;
    }
    nf = p - rank;
    nul = ctis_calloc((size_t)p * nf, sizeof *nul);
    m = ctis_calloc((size_t)n0 * nf, sizeof *m);
    tab = ctis_malloc(
        ((size_t)(n0 + 2 * nf + 1) * (n0 + 4 * nf + 1) + (size_t)n0 + 2 * nf) *
        sizeof *tab);
    if (nul == NULL || m == NULL || tab == NULL) {
        rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        goto out;
    }
    {
        int f = 0;

        for (j = 0; j < p; j++) {
            if (!isfree[j]) {
                continue;
            }
            nul[j * nf + f] = 1;
            for (i = 0; i < rank; i++) {
                nul[pivcol[i] * nf + f] = -a[(size_t)i * p + j];
            }
            f++;
        }
    }
    i = 0;
    for (r = 0; r < n; r++) {
        int q;
        int nonzero;
        int dup;

        if (d->y[r] > 0) {
            continue;
        }
        dense_row(d, r, x);
        nonzero = 0;
        for (q = 0; q < nf; q++) {
            double s = 0;

            for (j = 0; j < p; j++) {
                s += x[j] * nul[j * nf + q];
            }
            m[i * nf + q] = fabs(s) < LP_EPS ? 0 : s;
            nonzero |= m[i * nf + q] != 0;
        }
        /* A zero row cannot move; a repeated row adds nothing. */
        for (dup = 0; dup < i && nonzero; dup++) {
            if (memcmp(m + (size_t)dup * nf, m + (size_t)i * nf,
                       (size_t)nf * sizeof *m) == 0) {
                break;
            }
        }
        if (nonzero && dup == i) {
            i++;
        }
    }
    {
        double opt = i > 0 ? lp_max(m, i, nf, tab) : 0;

        if (opt < 0) {
            rc = ctis_err_set(err, CTIS_EINTERNAL,
                              "existence check did not terminate");
            goto out;
        }
        if (opt > 1e-7) {
            *code = MSE_EXIST_NO_MLE;
        }
    }
out:
    ctis_free(a);
    ctis_free(pivcol);
    ctis_free(isfree);
    ctis_free(nul);
    ctis_free(m);
    ctis_free(tab);
    return rc;
}

/* Existence without a fit. */
int mse_check_existence(const struct mse_table *t, uint64_t pairs, int *code,
                        struct ctis_err *err)
{
    struct mse_design d;
    int rc;

    rc = mse_design_build(&d, t, pairs, pairs & mse_zero_overlaps(t), 0, err);
    if (rc != 0) {
        return rc;
    }
    rc = mse_design_existence(&d, code, err);
    mse_design_release(&d);
    return rc;
}
