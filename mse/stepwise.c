/*
 * stepwise.c - SparseMSE's stepwise model choice (its stepwisefit, the
 * default of estimatepopulation), and the Poisson tail it ranks terms by.
 *
 * The rule, step by step (docs/mse.md):
 *  1. Fit the main-effects model.
 *  2. For each pair (i, j) of lists not yet in the model, in pair order
 *     (0,1), (0,2), ..., (0,k-1), (1,2), ...: n is the number of persons
 *     seen by both lists (in any pattern) and mu the sum of the current
 *     model's fitted values over the cells of the fit that hold both
 *     lists (cells dropped for a term at minus infinity count 0). Its
 *     p-value is the smaller Poisson tail, min(P(X <= n), P(X >= n)) for
 *     X ~ Poisson(mu); for n = 0 that is exp(-mu). When the model with
 *     the pair added fails the existence check (mse_check_existence,
 *     SparseMSE's checkident), its p-value is 1.
 *  3. Take the smallest p-value (on ties, the first pair in pair order).
 *     If it is not below the threshold, stop. Otherwise add the pair,
 *     refit and go back to 2. A pair without overlap enters as a term
 *     fixed at minus infinity (n = 0 yet mu large: the lists avoid each
 *     other); its cells leave the fit.
 * A threshold of 0 gives the main-effects model. A threshold of 1 gives
 * the model with every pair when its estimate exists, and otherwise the
 * rule above (everything that can enter enters), as SparseMSE.
 *
 * Departures, all at the edges: the main-effects model is checked for
 * existence like every other (SparseMSE fits it unchecked and would print
 * a number where we report that there is none); a candidate whose fit
 * does not converge is treated as failing the existence check (p = 1).
 * Our fits converge more tightly than R's glm, so a p-value that is
 * within about 1e-8 of the threshold, or two that tie to 1e-8, could in
 * principle be ordered differently from SparseMSE's.
 */
#include <math.h>
#include <string.h>

#include "mse_int.h"

/* Above this shape the incomplete gamma function is taken from Temme's
 * uniform asymptotic expansion (the series and continued fraction need
 * of the order of sqrt(a) terms). */
#define GAMMA_ASYMPTOTIC 1e5
#define GAMMA_EPS 1e-16
#define GAMMA_ITER 100000

/* Stirling's error lgamma(a + 1) - (a + 1/2) log(a) + a - log(sqrt(2 pi)),
 * by its series for large a (Loader 2000). */
static double stirlerr(double a)
{
    double a2;

    if (a <= 15) {
        return lgamma(a + 1) - (a + 0.5) * log(a) + a - 0.5 * log(2 * M_PI);
    }
    a2 = a * a;
    return (1.0 / 12 -
            (1.0 / 360 -
             (1.0 / 1260 - (1.0 / 1680 - 1.0 / 1188 / a2) / a2) / a2) /
                a2) /
           a;
}

/* x log(x / m) + m - x without cancellation when x is near m (Loader). */
static double bd0(double x, double m)
{
    if (fabs(x - m) < 0.1 * (x + m)) {
        double v = (x - m) / (x + m);
        double s = (x - m) * v;
        double ej = 2 * x * v;
        int j;

        v *= v;
        for (j = 1; j < 1000; j++) {
            double s1;

            ej *= v;
            s1 = s + ej / (2 * j + 1);
            if (s1 == s) {
                break;
            }
            s = s1;
        }
        return s;
    }
    return x * log(x / m) + m - x;
}

/* x^a e^-x / Gamma(a + 1), accurate for large a and x (a > 0). */
static double dpois_raw(double a, double x)
{
    return exp(-stirlerr(a) - bd0(a, x)) / sqrt(2 * M_PI * a);
}

/* Regularised incomplete gamma functions P(a, x) and Q(a, x) = 1 - P
 * for a > 0, x > 0. The smaller of the two is computed directly (never
 * as 1 minus the other), so small tails keep their precision down to
 * underflow. */
static void gamma_pq(double a, double x, double *p, double *q)
{
    if (a > GAMMA_ASYMPTOTIC) {
        /* Temme (DLMF 8.12.3, 8.12.8): Q = erfc(eta sqrt(a/2)) / 2 +
         * exp(-a eta^2 / 2) / sqrt(2 pi a) c0(eta) + O(a^-3/2). */
        double d = (x - a) / a; /* lambda - 1 */
        double h;               /* lambda - 1 - log(lambda) */
        double eta;
        double c0;
        double r;

        if (fabs(d) < 1e-4) {
            h = d * d * (0.5 - d / 3 + d * d / 4);
        } else {
            h = d - log1p(d);
        }
        eta = (d < 0 ? -1 : 1) * sqrt(2 * h);
        if (fabs(eta) < 1e-3) {
            c0 = -1.0 / 3 + eta / 12 - 23.0 / 540 * eta * eta;
        } else {
            c0 = 1 / d - 1 / eta;
        }
        r = exp(-a * eta * eta / 2) / sqrt(2 * M_PI * a) * c0;
        *q = 0.5 * erfc(eta * sqrt(a / 2)) + r;
        *p = 0.5 * erfc(-eta * sqrt(a / 2)) - r;
        return;
    }
    if (x < a + 1) {
        /* Series: P = x^a e^-x / Gamma(a + 1) * sum x^k / (a+1)...(a+k) */
        double sum = 1;
        double term = 1;
        int k;

        for (k = 1; k < GAMMA_ITER; k++) {
            term *= x / (a + k);
            sum += term;
            if (term < sum * GAMMA_EPS) {
                break;
            }
        }
        *p = dpois_raw(a, x) * sum;
        if (*p > 1) {
            *p = 1;
        }
        *q = 1 - *p;
    } else {
        /* Continued fraction for Q (modified Lentz). */
        double tiny = 1e-300;
        double b = x + 1 - a;
        double c = 1 / tiny;
        double dd = 1 / b;
        double f = dd;
        int k;

        for (k = 1; k < GAMMA_ITER; k++) {
            double an = -k * (k - a);
            double del;

            b += 2;
            dd = an * dd + b;
            if (fabs(dd) < tiny) {
                dd = tiny;
            }
            c = b + an / c;
            if (fabs(c) < tiny) {
                c = tiny;
            }
            dd = 1 / dd;
            del = dd * c;
            f *= del;
            if (fabs(del - 1) < GAMMA_EPS) {
                break;
            }
        }
        *q = a * dpois_raw(a, x) * f;
        if (*q > 1) {
            *q = 1;
        }
        *p = 1 - *q;
    }
}

/* P(X <= n) = Q(n + 1, mu) and P(X >= n) = P(n, mu). */
double mse_ppois_tail(double n, double mu)
{
    double p;
    double q;
    double le;
    double ge;

    if (!(mu > 0)) {
        /* X is 0: P(X <= n) = 1, P(X >= n) = 1 only for n = 0. */
        return n > 0 ? 0 : 1;
    }
    gamma_pq(n + 1, mu, &p, &q);
    le = q;
    if (n < 1) {
        ge = 1;
    } else {
        gamma_pq(n, mu, &p, &q);
        ge = p;
    }
    return le < ge ? le : ge;
}

/* The fitted value of cell c under f: exp of the sum of its terms; 0 in
 * a cell dropped for a term at minus infinity (its coefficient is
 * -INFINITY, and exp(-inf) is 0). */
static double fitted(const struct mse_fit *f, size_t c)
{
    int k = f->k;
    int q;
    int np = mse_npairs(k);
    double eta = f->coef[0];
    int i;

    for (i = 0; i < k; i++) {
        if (c >> i & 1) {
            eta += f->coef[MSE_COEF_MAIN(i)];
        }
    }
    for (q = 0; q < np; q++) {
        int a;
        int b;

        if (!(f->pairs & ((uint64_t)1 << q))) {
            continue;
        }
        mse_pair_lists(k, q, &a, &b);
        if ((c >> a & 1) && (c >> b & 1)) {
            eta += f->coef[MSE_COEF_PAIR(k, q)];
        }
    }
    return exp(eta);
}

/* Step 2 of the file comment for the model of f. */
int mse_candidates(const struct mse_table *t, const struct mse_fit *f,
                   double *pv, int *best, struct ctis_err *err)
{
    int k = t->k;
    int np = mse_npairs(k);
    size_t n = (size_t)1 << k;
    double mu[MSE_MAX_PAIRS];
    size_t c;
    int q;

    *best = -1;
    memset(mu, 0, sizeof mu);
    for (c = 1; c < n; c++) {
        double m = fitted(f, c);

        if (m == 0) {
            continue;
        }
        for (q = 0; q < np; q++) {
            int a;
            int b;

            mse_pair_lists(k, q, &a, &b);
            if ((c >> a & 1) && (c >> b & 1)) {
                mu[q] += m;
            }
        }
    }
    for (q = 0; q < np; q++) {
        uint64_t bit = (uint64_t)1 << q;
        int code;
        int rc;

        pv[q] = 1;
        if (f->pairs & bit) {
            continue;
        }
        rc = mse_check_existence(t, f->pairs | bit, &code, err);
        if (rc != 0) {
            return rc;
        }
        if (code != MSE_EXIST_OK) {
            continue;
        }
        pv[q] = mse_ppois_tail(mse_pair_overlap(t, q), mu[q]);
        if (*best < 0 || pv[q] < pv[*best]) {
            *best = q;
        }
    }
    return 0;
}

/* No next-best model (yet). Accepts NULL. */
void mse_next_clear(struct mse_next *n)
{
    if (n != NULL) {
        memset(n, 0, sizeof *n);
        n->term = -1;
        n->p = NAN;
    }
}

/* The next-best model is `pairs` with term q added (or removed). */
void mse_next_term(struct mse_next *n, uint64_t pairs, int q, int added,
                   double p)
{
    uint64_t bit = (uint64_t)1 << q;

    n->found = 1;
    n->pairs = added ? pairs | bit : pairs & ~bit;
    n->term = q;
    n->added = added;
    n->p = p;
}

/* The first pair of smallest p-value among those not yet tried. */
static int smallest(const double *pv, int np, uint64_t skip)
{
    int best = -1;
    int q;

    for (q = 0; q < np; q++) {
        if (skip & ((uint64_t)1 << q)) {
            continue;
        }
        if (best < 0 || pv[q] < pv[best]) {
            best = q;
        }
    }
    return best;
}

/* The loop of the file comment. */
int mse_stepwise_poisson(const struct mse_table *t, double pthresh,
                         struct mse_fit *best, struct mse_next *next,
                         mse_fit_cb cb, void *ctx, struct ctis_err *err)
{
    int np = mse_npairs(t->k);
    uint64_t all = np == 64 ? ~(uint64_t)0 : ((uint64_t)1 << np) - 1;
    int last = -1;
    struct mse_fit f;
    int rc;

    mse_next_clear(next);
    if (pthresh >= 1) {
        int code;

        rc = mse_check_existence(t, all, &code, err);
        if (rc != 0) {
            return rc;
        }
        if (code == MSE_EXIST_OK) {
            rc = mse_fit_model(t, all, best, err);
            if (rc == 0 && cb != NULL) {
                rc = cb(ctx, best);
            }
            return rc;
        }
    }
    rc = mse_fit_model(t, 0, best, err);
    if (rc != 0 || best->existence != MSE_EXIST_OK) {
        return rc;
    }
    rc = cb != NULL ? cb(ctx, best) : 0;
    if (rc != 0) {
        return rc;
    }
    for (;;) {
        double pv[MSE_MAX_PAIRS];
        uint64_t tried = best->pairs;
        int q;

        rc = mse_candidates(t, best, pv, &q, err);
        if (rc != 0) {
            return rc;
        }
        for (;;) {
            struct ctis_err e;

            q = smallest(pv, np, tried);
            if (q < 0 || !(pv[q] < pthresh)) {
                break;
            }
            rc = mse_fit_model(t, best->pairs | (uint64_t)1 << q, &f, &e);
            if (rc == 0 && f.existence == MSE_EXIST_OK) {
                break;
            }
            if (rc != 0 && rc != CTIS_ENUMERIC) {
                return ctis_err_set(err, rc, "%s", e.msg);
            }
            /* Not fittable after all: as if it failed the check. */
            pv[q] = 1;
            tried |= (uint64_t)1 << q;
        }
        if (q < 0 || !(pv[q] < pthresh)) {
            /* Stop. The decision not to add q (when a term could enter)
             * is the one whose reversal gives the next-best model. */
            if (next != NULL && q >= 0 && pv[q] < 1) {
                mse_next_term(next, best->pairs, q, 1, pv[q]);
            } else if (next != NULL && last >= 0) {
                mse_next_term(next, best->pairs, last, 0, best->entry_p);
            }
            return 0;
        }
        f.entry_term = q;
        f.entry_p = pv[q];
        *best = f;
        last = q;
        rc = cb != NULL ? cb(ctx, best) : 0;
        if (rc != 0) {
            return rc;
        }
    }
}
