/*
 * interval.c - intervals for the population total.
 *
 * Normal: on the intercept b0 (the log of the unobserved cell), so the
 * interval observed + exp(b0 -+ z se) is asymmetric and never below the
 * number observed.
 *
 * Profile likelihood, as the R package Rcapture (Cormack 1992): for a
 * total N the unobserved cell holds n0 = N - n, the model is fitted to the
 * complete 2^k table by Poisson IRLS, and the multinomial log-likelihood
 *     l(N) = lgamma(N + 1) - lgamma(n0 + 1) + sum_cells y log(mu / N)
 * is profiled; the interval is where 2 (max l - l(N)) is at most the
 * chi-square(1) quantile. We work in x = log(n0): the maximum by golden
 * section, each end bracketed by doubling steps of se(b0) and bisected to
 * 1e-11. When the lower end runs off to n0 = 0 the bound is the number
 * observed; when the upper end never drops enough it is infinite. (The
 * profile of the conditional Poisson likelihood in the intercept gives
 * 9907.8 to 13063.8 for the UK data; this one gives the published 9889.2
 * to 13063.1.)
 *
 * Bootstrap: the persons are resampled multinomially (n draws over the
 * cells with the observed proportions; above a million persons, cell by
 * cell as binomials of the persons left, by inversion or, where the
 * expected count passes 500, the normal approximation), the model is
 * chosen anew for each
 * replicate, and the percentile interval is read off the sorted estimates
 * (R's type 7 quantiles). BCa (Efron 1987) corrects the percentiles by
 * the bias z0 (share of replicates below the estimate) and the
 * acceleration a from the jackknife over persons (one person left out of
 * each non-empty cell in turn, weighted by the cell's count; a cell whose
 * leave-one-out table has no estimate is left out of the jackknife, and
 * with none left a = 0).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mse_int.h"

#define PROFILE_MAX_STEPS 60
/* Up to this many persons the bootstrap draws each person (exact); above,
 * cell by cell (resample_large). */
#define MSE_EXACT_RESAMPLE 1000000.0
/* Beyond exp(40) times the estimated unseen count the upper bound is
 * unbounded; past exp(10) a fit that gives out ends the search the same
 * way. */
#define PROFILE_FAR 40.0
/* log(1e-10): an unseen count below this is nil. */
#define PROFILE_XMIN (-23.0)
#define PROFILE_NEAR 10.0
#define ETA_LIMIT 700.0

/* b0 -+ z se(b0). */
int mse_interval_normal(const struct mse_fit *fit, double level,
                        struct mse_interval *out, struct ctis_err *err)
{
    double z = mse_qnorm(0.5 + level / 2);
    double b0 = fit->coef[0];
    double se = fit->se[0];

    memset(out, 0, sizeof *out);
    out->method = MSE_CI_NORMAL;
    out->level = level;
    if (fit->existence != MSE_EXIST_OK || !isfinite(b0) || !isfinite(se)) {
        return ctis_err_set(err, CTIS_ENUMERIC,
                            "no normal interval: the estimate does not "
                            "exist");
    }
    out->lower = fit->observed + exp(b0 - z * se);
    out->upper = fit->observed + exp(b0 + z * se);
    if (!isfinite(out->upper)) {
        out->upper = INFINITY;
    }
    return 0;
}

struct profile {
    struct mse_design d; /* the model over all 2^k cells, cell 0 last */
    double n;            /* persons observed */
    double *beta;        /* warm start and result, by column */
    struct ctis_err *err;
};

/*
 * lgamma(x + 1) - x log x + x, which Stirling's series gives as
 * log(2 pi x) / 2 + 1 / (12 x) - ... for large x without the cancellation
 * of the direct form.
 */
static double stirling_rest(double x)
{
    if (x <= 0) {
        return 0;
    }
    if (x < 1e6) {
        return lgamma(x + 1) - x * log(x) + x;
    }
    return 0.5 * log(2 * M_PI * x) + 1 / (12 * x) - 1 / (360 * x * x * x);
}

/*
 * Multinomial log-likelihood of N = n + exp(x), up to a constant: the
 * Poisson model fitted to the complete table with n0 = exp(x) in cell 0
 * gives fitted values mu summing to N and deviance D(N), and
 *     lgamma(N + 1) - lgamma(n0 + 1) + sum_cells y log(mu / N)
 *   = h(N) - h(n0) - D(N) / 2 + const,   h(x) = lgamma(x+1) - x log x + x
 * (using sum y log mu = sum y log y - D / 2 and sum y = N). Both h and the
 * deviance are computed without cancellation, so the drop of 1.92 that
 * bounds the interval is resolved even with counts of 10^14.
 */
static int profile_ll(struct profile *pr, double x, double *ll)
{
    struct mse_design *d = &pr->d;
    double n0 = exp(x);
    double pll;
    double dev;
    int it;
    int rc;

    d->y[d->ncells - 1] = n0;
    rc = mse_irls(d, 1, pr->beta, NULL, &pll, &dev, &it, pr->err);
    if (rc != 0) {
        return rc;
    }
    *ll = stirling_rest(pr->n + n0) - stirling_rest(n0) - dev / 2;
    return 0;
}

/* Golden-section search for the maximum in x over [a, b], widening the
 * bracket while the maximum sits on its edge. OUT: *xmax, *lmax. */
static int profile_max(struct profile *pr, double a, double b, double *xmax,
                       double *lmax)
{
    const double g = (sqrt(5.0) - 1) / 2;
    double la;
    double lb;
    double x1;
    double x2;
    double l1;
    double l2;
    int i;
    int rc;

    for (i = 0; i < 60; i++) {
        double mid = (a + b) / 2;
        double lm;

        rc = profile_ll(pr, a, &la);
        if (rc == 0) {
            rc = profile_ll(pr, b, &lb);
        }
        if (rc == 0) {
            rc = profile_ll(pr, mid, &lm);
        }
        if (rc != 0) {
            return rc;
        }
        if (lm >= la && lm >= lb) {
            break;
        }
        if (la > lb) {
            if (a <= PROFILE_XMIN) {
                /* Rising towards n0 = 0: the maximum is N = n. */
                break;
            }
            a = fmax(a - (b - a), PROFILE_XMIN);
        } else {
            b += (b - a);
        }
        if (b > ETA_LIMIT) {
            return ctis_err_set(pr->err, CTIS_ENUMERIC,
                                "the profile likelihood rises without "
                                "bound in the total");
        }
    }
    x1 = b - g * (b - a);
    x2 = a + g * (b - a);
    rc = profile_ll(pr, x1, &l1);
    if (rc == 0) {
        rc = profile_ll(pr, x2, &l2);
    }
    if (rc != 0) {
        return rc;
    }
    while (b - a > 1e-10 * (1 + fabs(a))) {
        if (l1 > l2) {
            b = x2;
            x2 = x1;
            l2 = l1;
            x1 = b - g * (b - a);
            rc = profile_ll(pr, x1, &l1);
        } else {
            a = x1;
            x1 = x2;
            l1 = l2;
            x2 = a + g * (b - a);
            rc = profile_ll(pr, x2, &l2);
        }
        if (rc != 0) {
            return rc;
        }
    }
    *xmax = (a + b) / 2;
    return profile_ll(pr, *xmax, lmax);
}

/* One end: dir -1 for the lower, +1 for the upper. The drop is
 * 2 (lmax - l(x)) - q. OUT: *x at the end (+-INFINITY when it runs
 * off). */
static int profile_end(struct profile *pr, double xmax, double lmax, double q,
                       double h, int dir, double anchor, double *x)
{
    double inner = xmax;
    double outer = xmax;
    double l;
    double drop = -1;
    int step;
    int rc;

    for (step = 0; step < PROFILE_MAX_STEPS; step++) {
        outer = xmax + dir * h;
        if (outer > ETA_LIMIT || outer < PROFILE_XMIN ||
            outer > anchor + PROFILE_FAR) {
            /* Below PROFILE_XMIN the unseen count is nil: the lower
             * bound is the number observed. */
            *x = dir * INFINITY;
            return 0;
        }
        rc = profile_ll(pr, outer, &l);
        if (rc == CTIS_ENUMERIC && outer > anchor + PROFILE_NEAR) {
            /* The fit gives out far from the maximum, where the
             * likelihood has not dropped enough: no bound there. */
            *x = dir * INFINITY;
            return 0;
        }
        if (rc != 0) {
            return rc;
        }
        drop = 2 * (lmax - l) - q;
        if (drop > 0) {
            break;
        }
        inner = outer;
        h *= 2;
    }
    if (drop <= 0) {
        *x = dir * INFINITY;
        return 0;
    }
    while (fabs(outer - inner) > 1e-11 * (1 + fabs(inner))) {
        double mid = (inner + outer) / 2;

        rc = profile_ll(pr, mid, &l);
        if (rc != 0) {
            return rc;
        }
        if (2 * (lmax - l) - q > 0) {
            outer = mid;
        } else {
            inner = mid;
        }
    }
    *x = (inner + outer) / 2;
    return 0;
}

/* Both ends of the profile interval. */
int mse_interval_profile(const struct mse_table *t, const struct mse_fit *fit,
                         double level, struct mse_interval *out,
                         struct ctis_err *err)
{
    struct profile pr;
    double beta[MSE_MAX_PARAMS];
    double z = mse_qnorm(0.5 + level / 2);
    double se = fit->se[0] > 0 && isfinite(fit->se[0]) ? fit->se[0] : 1;
    double b0 = fit->coef[0];
    double xmax = 0;
    double lmax = 0;
    double anchor;
    double lo = -INFINITY;
    double hi = INFINITY;
    int j;
    int rc;

    memset(out, 0, sizeof *out);
    out->method = MSE_CI_PROFILE;
    out->level = level;
    if (fit->existence != MSE_EXIST_OK || !isfinite(b0)) {
        return ctis_err_set(err, CTIS_ENUMERIC,
                            "no profile interval: the estimate does not "
                            "exist");
    }
    rc = mse_design_build(&pr.d, t, fit->pairs, fit->neginf, 1, err);
    if (rc != 0) {
        return rc;
    }
    for (j = 0; j < pr.d.p; j++) {
        beta[j] = fit->coef[pr.d.term[j]];
    }
    pr.n = fit->observed;
    pr.beta = beta;
    pr.err = err;
    rc = profile_max(&pr, fmax(b0 - 3 * se, PROFILE_XMIN),
                     fmax(b0 + 3 * se, PROFILE_XMIN + 1), &xmax, &lmax);
    /* The upper search gives up PROFILE_FAR beyond the larger of the
     * two maxima (conditional and multinomial). */
    anchor = fmax(xmax, b0);
    if (rc == 0) {
        rc = profile_end(&pr, xmax, lmax, z * z, se, -1, anchor, &lo);
    }
    if (rc == 0) {
        rc = profile_end(&pr, xmax, lmax, z * z, se, 1, anchor, &hi);
    }
    mse_design_release(&pr.d);
    if (rc != 0) {
        return ctis_err_prefix(err, "profile interval");
    }
    out->lower = fit->observed + (isfinite(lo) ? exp(lo) : 0);
    out->upper = isfinite(hi) ? fit->observed + exp(hi) : INFINITY;
    if (!isfinite(out->upper)) {
        out->upper = INFINITY;
    }
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return (x > y) - (x < y);
}

/* R's type 7 quantile of sorted x[0..n). */
static double quantile7(const double *x, int n, double p)
{
    double h = (n - 1) * p;
    int lo = (int)floor(h);

    if (lo < 0) {
        return x[0];
    }
    if (lo >= n - 1) {
        return x[n - 1];
    }
    return x[lo] + (h - lo) * (x[lo + 1] - x[lo]);
}

/* Estimate for one table by o's model choice; NAN when it has none.
 * Returns 0 or a hard error (out of memory). */
static int choose(const struct mse_table *t, const struct mse_options *o,
                  double *est, struct ctis_err *err)
{
    struct mse_fit f;
    struct ctis_err e;
    int rc;

    *est = NAN;
    rc = mse_select(t, o, &f, NULL, NULL, &e);
    if (rc == CTIS_ENUMERIC) {
        return 0;
    }
    if (rc != 0) {
        return ctis_err_set(err, rc, "%s", e.msg);
    }
    if (f.existence == MSE_EXIST_OK && isfinite(f.estimate)) {
        *est = f.estimate;
    }
    return 0;
}

/* Jackknife acceleration over persons. */
static int acceleration(const struct mse_table *t, const struct mse_options *o,
                        double *a, struct ctis_err *err)
{
    size_t n = (size_t)1 << t->k;
    size_t c;
    struct mse_table u;
    double *th;
    double sum = 0;
    double tot = 0;
    double mean;
    double s2 = 0;
    double s3 = 0;
    int rc;

    th = ctis_malloc(n * sizeof *th);
    if (th == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    rc = mse_table_copy(&u, t, err);
    if (rc != 0) {
        ctis_free(th);
        return rc;
    }
    for (c = 1; c < n; c++) {
        th[c] = NAN;
        if (t->count[c] < 1) {
            continue;
        }
        u.count[c] = t->count[c] - 1;
        rc = choose(&u, o, &th[c], err);
        u.count[c] = t->count[c];
        if (rc != 0) {
            goto out;
        }
        if (!isfinite(th[c])) {
            /* Leaving this person out leaves no estimate (a lone person
             * in an overlap): the jackknife goes on without the cell. */
            continue;
        }
        sum += t->count[c] * th[c];
        tot += t->count[c];
    }
    if (tot == 0) {
        *a = 0;
        goto out;
    }
    mean = sum / tot;
    for (c = 1; c < n; c++) {
        double dlt;

        if (t->count[c] < 1 || !isfinite(th[c])) {
            continue;
        }
        dlt = mean - th[c];
        s2 += t->count[c] * dlt * dlt;
        s3 += t->count[c] * dlt * dlt * dlt;
    }
    *a = s2 > 0 ? s3 / (6 * pow(s2, 1.5)) : 0;
out:
    mse_table_release(&u);
    ctis_free(th);
    return rc;
}

/* One multinomial resample of the persons of t into u. cum[c] is the
 * number of persons in cells 1..c. */
static void resample(const struct mse_table *t, const double *cum,
                     uint64_t npers, struct ctis_rng *rng, struct mse_table *u)
{
    size_t n = (size_t)1 << t->k;
    uint64_t i;

    memset(u->count, 0, n * sizeof *u->count);
    for (i = 0; i < npers; i++) {
        double r = (double)ctis_rng_below(rng, npers);
        size_t lo = 1;
        size_t hi = n - 1;

        /* First cell whose cumulative count exceeds r. */
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;

            if (cum[mid] > r) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        u->count[lo] += 1;
    }
}

/* A binomial(n, p) draw: exact by inversion when n min(p, 1-p) < 500,
 * else the normal approximation (continuity-rounded and clipped), whose
 * skewness is then below 0.07. */
static double binomial(struct ctis_rng *rng, double n, double p)
{
    double q = p > 0.5 ? 1 - p : p;
    double x = 0;

    if (n <= 0 || p <= 0) {
        return 0;
    }
    if (p >= 1) {
        return n;
    }
    if (n * q < 500) {
        /* Inversion (Kachitvichyanukul and Schmeiser's BINV). */
        double s = q / (1 - q);
        double a = (n + 1) * s;
        double r = exp(n * log1p(-q));
        double u = ctis_rng_double(rng);

        while (u > r && x < n) {
            u -= r;
            x += 1;
            r *= a / x - s;
        }
    } else {
        double u = ctis_rng_double(rng);

        x = floor(n * q +
                  sqrt(n * q * (1 - q)) * mse_qnorm(u > 0 ? u : 0x1.0p-60) +
                  0.5);
        x = fmin(fmax(x, 0), n);
    }
    return p > 0.5 ? n - x : x;
}

/* A multinomial resample of a large table: each cell in turn a binomial
 * draw of the persons left, with the cell's share of the counts left. */
static void resample_large(const struct mse_table *t, double npers,
                           struct ctis_rng *rng, struct mse_table *u)
{
    size_t n = (size_t)1 << t->k;
    size_t c;
    size_t last = 0;
    double left = npers;
    double rest = npers;

    memset(u->count, 0, n * sizeof *u->count);
    for (c = 1; c < n && left > 0; c++) {
        double x;

        if (t->count[c] <= 0) {
            continue;
        }
        x = binomial(rng, left, fmin(t->count[c] / rest, 1));
        u->count[c] = x;
        left -= x;
        rest -= t->count[c];
        last = c;
    }
    if (left > 0 && last > 0) {
        /* Rounding in the shares: the last cell takes what is left. */
        u->count[last] += left;
    }
}

/* The bootstrap of the file comment. */
int mse_bootstrap(const struct mse_table *t, const struct mse_options *o,
                  double estimate, struct mse_interval *pct,
                  struct mse_interval *bca, struct ctis_err *err)
{
    size_t n = (size_t)1 << t->k;
    size_t c;
    double obs = mse_table_observed(t);
    double alpha = (1 - o->level) / 2;
    double *cum = NULL;
    double *est = NULL;
    struct mse_table u;
    struct ctis_rng rng;
    uint64_t npers;
    int nok = 0;
    int nfail = 0;
    int b;
    int rc;

    if (pct != NULL) {
        memset(pct, 0, sizeof *pct);
    }
    if (bca != NULL) {
        memset(bca, 0, sizeof *bca);
    }
    if (o->nboot < 2) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "the bootstrap needs at least 2 replicates");
    }
    npers = (uint64_t)obs;
    rc = mse_table_copy(&u, t, err);
    if (rc != 0) {
        return rc;
    }
    cum = ctis_malloc(n * sizeof *cum);
    est = ctis_malloc((size_t)o->nboot * sizeof *est);
    if (cum == NULL || est == NULL) {
        rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        goto out;
    }
    cum[0] = 0;
    for (c = 1; c < n; c++) {
        cum[c] = cum[c - 1] + t->count[c];
    }
    ctis_rng_seed(&rng, o->seed);
    for (b = 0; b < o->nboot; b++) {
        double e;

        if (obs <= MSE_EXACT_RESAMPLE) {
            resample(t, cum, npers, &rng, &u);
        } else {
            resample_large(t, obs, &rng, &u);
        }
        rc = choose(&u, o, &e, err);
        if (rc != 0) {
            goto out;
        }
        if (isfinite(e)) {
            est[nok++] = e;
        } else {
            nfail++;
        }
    }
    if (nok < 2 || nfail > o->nboot / 2) {
        rc = ctis_err_set(err, CTIS_ENUMERIC,
                          "no bootstrap interval: %d of %d replicates have "
                          "no estimate",
                          nfail, o->nboot);
        goto out;
    }
    qsort(est, (size_t)nok, sizeof *est, cmp_double);
    if (pct != NULL) {
        pct->method = MSE_CI_BOOTSTRAP;
        pct->level = o->level;
        pct->nboot = nok;
        pct->nfailed = nfail;
        pct->lower = quantile7(est, nok, alpha);
        pct->upper = quantile7(est, nok, 1 - alpha);
    }
    if (bca != NULL) {
        int below = 0;
        int ties = 0;
        int i;
        double z0;
        double a = 0;
        double zl = mse_qnorm(alpha);
        double zu = mse_qnorm(1 - alpha);
        double a1;
        double a2;

        for (i = 0; i < nok; i++) {
            if (est[i] < estimate) {
                below++;
            } else if (est[i] == estimate) {
                ties++;
            }
        }
        z0 = mse_qnorm((below + 0.5 * ties) / nok);
        if (!isfinite(z0)) {
            rc = ctis_err_set(err, CTIS_ENUMERIC,
                              "no BCa interval: every replicate lies on one "
                              "side of the estimate");
            goto out;
        }
        rc = acceleration(t, o, &a, err);
        if (rc != 0) {
            goto out;
        }
        a1 = mse_pnorm(z0 + (z0 + zl) / (1 - a * (z0 + zl)));
        a2 = mse_pnorm(z0 + (z0 + zu) / (1 - a * (z0 + zu)));
        bca->method = MSE_CI_BCA;
        bca->level = o->level;
        bca->nboot = nok;
        bca->nfailed = nfail;
        bca->lower = quantile7(est, nok, a1);
        bca->upper = quantile7(est, nok, a2);
    }
out:
    mse_table_release(&u);
    ctis_free(cum);
    ctis_free(est);
    return rc;
}
