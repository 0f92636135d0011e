/*
 * glm.c - the Poisson log-linear model of one overlap table: its design
 * and the iteratively reweighted least squares fit.
 *
 * The design keeps, for each cell, the list of columns that are 1 in its
 * row (the model matrix is 0/1), so the normal equations X'WX cost the sum
 * of the squared row weights rather than cells * columns^2: fitting all
 * 2^15 models of six lists stays well under a second or two.
 *
 * IRLS as R's glm: start from mu = y + 0.1, solve (X'WX) b = X'Wz by a
 * Cholesky factorisation, stop when the relative change of the deviance
 * is below 1e-12 (tighter than R, to reproduce published figures to their
 * printed precision); a step that makes the deviance non-finite or larger
 * is halved. The variances of the coefficients are the diagonal of the
 * inverse of X'WX at the optimum.
 */
#include <math.h>
#include <string.h>

#include "mse_int.h"

#define IRLS_MAX_ITER 200
#define IRLS_TOL 1e-12
#define ETA_MAX 700.0
#define CHOL_TOL 1e-13 /* pivot relative to its diagonal entry in IRLS */
#define RANK_TOL 1e-10 /* the same for the integer Gram matrix X'X */

/* Cells without the lists of any -inf term; columns intercept, main
 * effects, then the model's remaining pairs. */
int mse_design_build(struct mse_design *d, const struct mse_table *t,
                     uint64_t pairs, uint64_t neginf, int with0,
                     struct ctis_err *err)
{
    int k = t->k;
    size_t ncell = ((size_t)1 << k) - 1;
    size_t c;
    int np = mse_npairs(k);
    int q;
    int pi[MSE_MAX_PAIRS];
    int pj[MSE_MAX_PAIRS];
    int pcol[MSE_MAX_PAIRS];
    int npc = 0;
    int n = 0;

    memset(d, 0, sizeof *d);
    d->k = k;
    d->term[0] = 0;
    for (q = 0; q < k; q++) {
        d->term[1 + q] = MSE_COEF_MAIN(q);
    }
    d->p = 1 + k;
    for (q = 0; q < np; q++) {
        uint64_t bit = (uint64_t)1 << q;

        if (!(pairs & bit) || (neginf & bit)) {
            continue;
        }
        mse_pair_lists(k, q, &pi[npc], &pj[npc]);
        pcol[npc] = d->p;
        d->term[d->p] = MSE_COEF_PAIR(k, q);
        d->p++;
        npc++;
    }
    d->cell = ctis_malloc((ncell + 1) * sizeof *d->cell);
    d->y = ctis_malloc((ncell + 1) * sizeof *d->y);
    d->nact = ctis_malloc((ncell + 1) * sizeof *d->nact);
    d->act = ctis_malloc((ncell + 1) * (size_t)d->p * sizeof *d->act);
    if (d->cell == NULL || d->y == NULL || d->nact == NULL || d->act == NULL) {
        mse_design_release(d);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    for (c = 1; c <= ncell; c++) {
        int skip = 0;
        int *a = d->act + (size_t)n * d->p;
        int m = 0;

        for (q = 0; q < np && !skip && neginf != 0; q++) {
            int i;
            int j;
            size_t both;

            if (!(neginf & ((uint64_t)1 << q))) {
                continue;
            }
            mse_pair_lists(k, q, &i, &j);
            both = ((size_t)1 << i) | ((size_t)1 << j);
            skip = (c & both) == both;
        }
        if (skip) {
            continue;
        }
        a[m++] = 0;
        for (q = 0; q < k; q++) {
            if (c & ((size_t)1 << q)) {
                a[m++] = 1 + q;
            }
        }
        for (q = 0; q < npc; q++) {
            if ((c >> pi[q] & 1) && (c >> pj[q] & 1)) {
                a[m++] = pcol[q];
            }
        }
        d->cell[n] = (int)c;
        d->y[n] = t->count[c];
        d->nact[n] = m;
        n++;
    }
    if (with0) {
        d->cell[n] = 0;
        d->y[n] = 0;
        d->nact[n] = 1;
        d->act[(size_t)n * d->p] = 0;
        n++;
    }
    d->ncells = n;
    return 0;
}

/* Free the arrays; the struct stays. */
void mse_design_release(struct mse_design *d)
{
    if (d == NULL) {
        return;
    }
    ctis_free(d->cell);
    ctis_free(d->y);
    ctis_free(d->nact);
    ctis_free(d->act);
    d->cell = NULL;
    d->y = NULL;
    d->nact = NULL;
    d->act = NULL;
}

/* 2 (y log(y / mu) - (y - mu)) without cancellation: with r = y / mu - 1
 * it is 2 mu ((1 + r) log1p(r) - r), by its series when r is small. */
static double unit_deviance(double y, double mu)
{
    double r;

    if (y <= 0) {
        return 2 * mu;
    }
    r = (y - mu) / mu;
    if (fabs(r) < 1e-3) {
        return 2 * mu * r * r * (0.5 - r / 6 + r * r / 12 - r * r * r / 20);
    }
    return 2 * mu * ((1 + r) * log1p(r) - r);
}

/* The saturated model's log-likelihood of one count,
 * y log y - y - log y!, by Stirling's series for large y (where the
 * three terms nearly cancel). */
static double saturated_loglik(double y)
{
    if (y <= 0) {
        return 0;
    }
    if (y < 1e6) {
        return y * log(y) - y - lgamma(y + 1);
    }
    return -0.5 * log(2 * M_PI * y) - 1 / (12 * y) + 1 / (360 * y * y * y);
}

/* In-place Cholesky of the m x m matrix a (lower triangle used). Returns
 * 0, or -1 when a pivot is not above tol times its diagonal entry. */
static int cholesky(double *a, int m, double tol)
{
    int i;
    int j;
    int l;

    for (j = 0; j < m; j++) {
        double s = a[j * m + j];
        double dj;

        for (l = 0; l < j; l++) {
            s -= a[j * m + l] * a[j * m + l];
        }
        if (!(s > tol * (fabs(a[j * m + j]) + 1e-300))) {
            return -1;
        }
        dj = sqrt(s);
        a[j * m + j] = dj;
        for (i = j + 1; i < m; i++) {
            double v = a[i * m + j];

            for (l = 0; l < j; l++) {
                v -= a[i * m + l] * a[j * m + l];
            }
            a[i * m + j] = v / dj;
        }
    }
    return 0;
}

/* Replace the lower triangle L (m x m) by L^-1, also lower triangular. */
static void chol_invert(double *l, int m)
{
    int i;
    int j;
    int q;

    for (j = 0; j < m; j++) {
        l[j * m + j] = 1 / l[j * m + j];
        for (i = j + 1; i < m; i++) {
            double s = 0;

            for (q = j; q < i; q++) {
                s += l[i * m + q] * l[q * m + j];
            }
            l[i * m + j] = -s / l[i * m + i];
        }
    }
}

/* Solve L L' x = b in place (b becomes x). */
static void chol_solve(const double *l, int m, double *b)
{
    int i;
    int j;

    for (i = 0; i < m; i++) {
        double s = b[i];

        for (j = 0; j < i; j++) {
            s -= l[i * m + j] * b[j];
        }
        b[i] = s / l[i * m + i];
    }
    for (i = m - 1; i >= 0; i--) {
        double s = b[i];

        for (j = i + 1; j < m; j++) {
            s -= l[j * m + i] * b[j];
        }
        b[i] = s / l[i * m + i];
    }
}

/*
 * Accumulate X'WX (lower triangle) and X'Wz over the free columns
 * (columns >= f0, shifted by f0) of d, with weights w and working
 * response z.
 */
static void normal_equations(const struct mse_design *d, int f0,
                             const double *w, const double *z, double *a,
                             double *b)
{
    int m = d->p - f0;
    int r;

    memset(a, 0, (size_t)m * m * sizeof *a);
    memset(b, 0, (size_t)m * sizeof *b);
    for (r = 0; r < d->ncells; r++) {
        const int *act = d->act + (size_t)r * d->p;
        int na = d->nact[r];
        double wr = w[r];
        int u;
        int v;

        /* act is increasing and starts with the intercept (column 0):
         * with f0 = 1 skip it; then cu >= cv for v <= u. */
        for (u = f0; u < na; u++) {
            int cu = act[u] - f0;
            double *row = a + (size_t)cu * m;

            b[cu] += wr * z[r];
            for (v = f0; v <= u; v++) {
                row[act[v] - f0] += wr;
            }
        }
    }
}

/* eta = X beta for every cell (with a fixed intercept, beta[0] holds
 * it); mu = exp(eta); returns the deviance. */
static double linear_predictor(const struct mse_design *d, const double *beta,
                               const double *ylogy, double *eta, double *mu)
{
    int r;
    double dev = 0;

    for (r = 0; r < d->ncells; r++) {
        const int *act = d->act + (size_t)r * d->p;
        double e = 0;
        int u;

        for (u = 0; u < d->nact[r]; u++) {
            e += beta[act[u]];
        }
        if (e > ETA_MAX) {
            e = ETA_MAX;
        }
        eta[r] = e;
        mu[r] = exp(e);
        /* unit_deviance without a logarithm per cell and iteration */
        dev +=
            2 * (mu[r] - d->y[r] + (d->y[r] > 0 ? ylogy[r] - d->y[r] * e : 0));
    }
    return dev;
}

/* Largest change between two coefficient vectors, relative to size. */
static double max_change(const double *a, const double *b, int m)
{
    double mx = 0;
    int j;

    for (j = 0; j < m; j++) {
        double c = fabs(a[j] - b[j]) / (1 + fabs(b[j]));

        if (c > mx) {
            mx = c;
        }
    }
    return mx;
}

/* The IRLS loop of the file comment. beta is indexed by column. (f0,
 * the number of leading columns held fixed, is 0 here; normal_equations
 * supports holding the intercept.) */
int mse_irls(const struct mse_design *d, int warm, double *beta, double *var,
             double *loglik, double *dev, int *iters, struct ctis_err *err)
{
    int n = d->ncells;
    int p = d->p;
    int f0 = 0;
    int m = p;
    double *work;
    double *eta;
    double *mu;
    double *w;
    double *z;
    double *a;
    double *b;
    double *old;
    double *ylogy;
    double ysum = 0;
    double devold;
    double devnew = 0;
    int it;
    int r;
    int j;
    int rc = 0;

    work = ctis_malloc(((size_t)5 * n + (size_t)m * m + (size_t)2 * p + 1) *
                       sizeof *work);
    if (work == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    eta = work;
    mu = eta + n;
    w = mu + n;
    z = w + n;
    a = z + n;
    b = a + (size_t)m * m;
    old = b + p;
    ylogy = old + p;
    for (r = 0; r < n; r++) {
        ylogy[r] = d->y[r] > 0 ? d->y[r] * log(d->y[r]) : 0;
        ysum += d->y[r];
    }
    if (warm) {
        devold = linear_predictor(d, beta, ylogy, eta, mu);
    } else {
        for (r = 0; r < n; r++) {
            mu[r] = d->y[r] + 0.1;
            eta[r] = log(mu[r]);
        }
        devold = INFINITY;
    }
    for (it = 1; it <= IRLS_MAX_ITER; it++) {
        int half;

        for (r = 0; r < n; r++) {
            w[r] = mu[r];
            z[r] = eta[r] + (d->y[r] - mu[r]) / mu[r];
        }
        normal_equations(d, f0, w, z, a, b);
        if (cholesky(a, m, CHOL_TOL) != 0) {
            rc = ctis_err_set(err, CTIS_ENUMERIC,
                              "the model is numerically singular (its fitted "
                              "counts span too many orders of magnitude)");
            goto out;
        }
        chol_solve(a, m, b);
        memcpy(old, beta, (size_t)p * sizeof *beta);
        for (j = 0; j < m; j++) {
            beta[f0 + j] = b[j];
        }
        devnew = linear_predictor(d, beta, ylogy, eta, mu);
        for (half = 0; half < 40 && isfinite(devold) &&
                       !(devnew <= devold * (1 + 1e-10) + 1e-10);
             half++) {
            for (j = f0; j < p; j++) {
                beta[j] = (beta[j] + old[j]) / 2;
            }
            devnew = linear_predictor(d, beta, ylogy, eta, mu);
        }
        if (!isfinite(devnew)) {
            rc = ctis_err_set(err, CTIS_ENUMERIC,
                              "the fit diverged (deviance not finite)");
            goto out;
        }
        if (isfinite(devold) &&
            (fabs(devnew - devold) / (fabs(devnew) + 0.1) < IRLS_TOL ||
             fabs(devnew - devold) < 1e-13 * ysum ||
             max_change(old + f0, beta + f0, m) < 1e-11)) {
            /* Converged: by the deviance, or, for huge counts whose
             * deviance is rounding noise, by the data's scale or the
             * coefficients. */
            break;
        }
        devold = devnew;
    }
    if (it > IRLS_MAX_ITER) {
        rc = ctis_err_set(err, CTIS_ENUMERIC,
                          "the fit did not converge in %d iterations",
                          IRLS_MAX_ITER);
        goto out;
    }
    *iters = it;
    /* Report the deviance and log-likelihood computed stably (the
     * iteration's figure can be rounding noise with huge counts). */
    *dev = 0;
    *loglik = 0;
    for (r = 0; r < n; r++) {
        double u = unit_deviance(d->y[r], mu[r]);

        *dev += u;
        *loglik += saturated_loglik(d->y[r]) - u / 2;
    }
    if (var != NULL) {
        /* Diagonal of the inverse of X'WX at the optimum: with X'WX =
         * L L', it is the squared row norms of the columns of L^-1. */
        for (r = 0; r < n; r++) {
            w[r] = mu[r];
            z[r] = 0;
        }
        normal_equations(d, f0, w, z, a, b);
        if (cholesky(a, m, CHOL_TOL) != 0) {
            rc = ctis_err_set(err, CTIS_ENUMERIC,
                              "the model is numerically singular (its fitted "
                              "counts span too many orders of magnitude)");
            goto out;
        }
        chol_invert(a, m);
        for (j = 0; j < p; j++) {
            var[j] = 0;
        }
        for (j = 0; j < m; j++) {
            int i;

            for (i = j; i < m; i++) {
                var[f0 + j] += a[i * m + j] * a[i * m + j];
            }
        }
    }
out:
    ctis_free(work);
    return rc;
}

static int popcount(uint64_t x)
{
    int n = 0;

    while (x != 0) {
        x &= x - 1;
        n++;
    }
    return n;
}

/* Full column rank of the rows of d (only those with a positive count
 * when positive_only), by a Cholesky factorisation of X'X: the Gram
 * matrix of a 0/1 design is integer, so a rank deficiency shows as a
 * pivot at rounding level. */
int mse_design_full_rank(const struct mse_design *d, int positive_only,
                         int *full, struct ctis_err *err)
{
    double *work;
    int n = d->ncells;
    int p = d->p;
    int r;

    work = ctis_malloc(((size_t)2 * n + (size_t)p * p + p) * sizeof *work);
    if (work == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    for (r = 0; r < n; r++) {
        work[r] = !positive_only || d->y[r] > 0 ? 1 : 0;
        work[n + r] = 0;
    }
    normal_equations(d, 0, work, work + n, work + 2 * n,
                     work + 2 * n + (size_t)p * p);
    *full = cholesky(work + 2 * n, p, RANK_TOL) == 0;
    ctis_free(work);
    return 0;
}

static void fit_clear(struct mse_fit *f, const struct mse_table *t,
                      uint64_t pairs, uint64_t neginf)
{
    int i;

    memset(f, 0, sizeof *f);
    f->pairs = pairs;
    f->neginf = neginf;
    f->k = t->k;
    for (i = 0; i < MSE_MAX_PARAMS; i++) {
        f->coef[i] = NAN;
        f->se[i] = NAN;
        f->p[i] = NAN;
    }
    f->deviance = NAN;
    f->loglik = NAN;
    f->aic = NAN;
    f->bic = NAN;
    f->observed = mse_table_observed(t);
    f->estimate = NAN;
    f->se_estimate = NAN;
    f->entry_term = -1;
    f->entry_p = NAN;
}

/* Existence first; then IRLS and the summaries of the fit. */
int mse_fit_model(const struct mse_table *t, uint64_t pairs,
                  struct mse_fit *out, struct ctis_err *err)
{
    struct mse_design d;
    uint64_t neginf = pairs & mse_zero_overlaps(t);
    double beta[MSE_MAX_PARAMS];
    double var[MSE_MAX_PARAMS];
    double ll;
    double dev;
    int it;
    int code;
    int rc;
    int j;

    fit_clear(out, t, pairs, neginf);
    rc = mse_design_build(&d, t, pairs, neginf, 0, err);
    if (rc != 0) {
        return rc;
    }
    out->npar = d.p;
    out->ncells = d.ncells;
    out->df = d.ncells - d.p;
    rc = mse_design_existence(&d, &code, err);
    if (rc != 0) {
        goto out;
    }
    out->existence = code;
    if (code != MSE_EXIST_OK) {
        goto out;
    }
    memset(beta, 0, sizeof beta);
    rc = mse_irls(&d, 0, beta, var, &ll, &dev, &it, err);
    if (rc != 0) {
        goto out;
    }
    /* Terms not in the model are 0; -inf terms are -inf. */
    for (j = 0; j < MSE_MAX_PARAMS; j++) {
        out->coef[j] = 0;
    }
    for (j = 0; j < mse_npairs(t->k); j++) {
        if (neginf & ((uint64_t)1 << j)) {
            out->coef[MSE_COEF_PAIR(t->k, j)] = -INFINITY;
        }
    }
    for (j = 0; j < d.p; j++) {
        int c = d.term[j];
        double se = sqrt(var[j]);

        out->coef[c] = beta[j];
        out->se[c] = se;
        out->p[c] = 2 * mse_pnorm(-fabs(beta[j] / se));
    }
    out->iterations = it;
    out->deviance = dev;
    out->loglik = ll;
    /* A term fixed at -inf was estimated too (on the boundary): it counts
     * as a parameter in the information criteria, not in npar. */
    out->aic = -2 * ll + 2 * (d.p + popcount(neginf));
    out->bic = -2 * ll + (d.p + popcount(neginf)) * log(out->observed);
    out->estimate = out->observed + exp(beta[0]);
    /* Var(N) = Var(exp(b0)) + exp(b0): the delta method for the fitted
     * unobserved cell plus its Poisson variance. This is SparseMSE's
     * standard error (802.7264 for the UK 2013 data; the delta term alone
     * would be 797.37). */
    out->se_estimate =
        sqrt(exp(2 * beta[0]) * out->se[0] * out->se[0] + exp(beta[0]));
    if (!isfinite(out->estimate) || !isfinite(out->se_estimate) ||
        beta[0] >= ETA_MAX) {
        out->estimate = NAN;
        out->se_estimate = NAN;
        rc = ctis_err_set(err, CTIS_ENUMERIC,
                          "the estimate is not finite (the unobserved cell's "
                          "fitted value overflows)");
    }
out:
    mse_design_release(&d);
    return rc;
}
