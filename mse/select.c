/*
 * select.c - choosing the log-linear model.
 *
 * Stepwise (SparseMSE's estimatepopulation, method "stepwise"): start
 * from the main effects; at each step fit the current model plus each
 * two-list term not yet in it whose pair overlaps and whose estimate
 * exists; take the term with the smallest p-value of the likelihood-ratio
 * test (the drop in deviance against chi-square with 1 df); add it while
 * that p-value is below the threshold. Pairs without overlap are never
 * added (their term would be minus infinity). The likelihood-ratio
 * p-value, not the Wald one, reproduces SparseMSE's published UK model
 * (LA:NG, NG:GP, PFNCA:GP, LA:PFNCA, GO:GP, NG:GO in that order); with
 * Wald p-values the second step would already differ.
 *
 * AIC and BIC: every subset of the two-list terms, for at most
 * MSE_MAX_ALL_LISTS lists (2^15 models for six). Models whose estimate
 * does not exist, and models with a term of a pair without overlap (fixed
 * at minus infinity, which stepwise never adds either), are reported to
 * the callback but never chosen.
 */
#include <math.h>
#include <string.h>

#include "mse_int.h"

/* Defaults of the issue and of SparseMSE. */
void mse_options_init(struct mse_options *o)
{
    memset(o, 0, sizeof *o);
    o->method = MSE_METHOD_STEPWISE;
    o->pthresh = 0.02;
    o->ci = MSE_CI_NORMAL;
    o->level = 0.95;
    o->nboot = 1000;
    o->seed = 1;
}

/* P(chi-square(1) > x): the likelihood-ratio p-value of one added term. */
static double lr_pvalue(double x)
{
    return x > 0 ? erfc(sqrt(x / 2)) : 1;
}

static int stepwise(const struct mse_table *t, double pthresh,
                    struct mse_fit *best, mse_fit_cb cb, void *ctx,
                    struct ctis_err *err)
{
    uint64_t avail = ~mse_zero_overlaps(t);
    uint64_t cur = 0;
    int np = mse_npairs(t->k);
    struct mse_fit f;
    struct mse_fit cand;
    int rc;

    rc = mse_fit_model(t, 0, best, err);
    if (rc != 0 || best->existence != MSE_EXIST_OK) {
        return rc;
    }
    rc = cb != NULL ? cb(ctx, best) : 0;
    if (rc != 0) {
        return rc;
    }
    for (;;) {
        int q;
        int bestq = -1;
        double bestdrop = -INFINITY;

        for (q = 0; q < np; q++) {
            uint64_t bit = (uint64_t)1 << q;
            struct ctis_err e;
            double drop;

            if (!(avail & bit) || (cur & bit)) {
                continue;
            }
            rc = mse_fit_model(t, cur | bit, &f, &e);
            if (rc == CTIS_ENUMERIC ||
                (rc == 0 && f.existence != MSE_EXIST_OK)) {
                continue;
            }
            if (rc != 0) {
                return ctis_err_set(err, rc, "%s", e.msg);
            }
            /* The smallest p-value is the largest drop in deviance
             * (compared directly: p-values underflow to 0 together). */
            drop = best->deviance - f.deviance;
            if (drop > bestdrop) {
                bestdrop = drop;
                bestq = q;
                cand = f;
            }
        }
        if (bestq < 0 || !(lr_pvalue(bestdrop) < pthresh)) {
            break;
        }
        cur |= (uint64_t)1 << bestq;
        *best = cand;
        rc = cb != NULL ? cb(ctx, best) : 0;
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

static int all_models(const struct mse_table *t, int method,
                      struct mse_fit *best, mse_fit_cb cb, void *ctx,
                      struct ctis_err *err)
{
    int np = mse_npairs(t->k);
    uint64_t m;
    uint64_t nmodels;
    struct mse_fit f;
    int found = 0;
    int rc;

    if (t->k > MSE_MAX_ALL_LISTS) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%d lists: comparing every model is limited to "
                            "%d lists (use the stepwise method)",
                            t->k, MSE_MAX_ALL_LISTS);
    }
    nmodels = (uint64_t)1 << np;
    for (m = 0; m < nmodels; m++) {
        struct ctis_err e;
        double crit;

        rc = mse_fit_model(t, m, &f, &e);
        if (rc != 0 && rc != CTIS_ENUMERIC) {
            return ctis_err_set(err, rc, "%s", e.msg);
        }
        rc = cb != NULL ? cb(ctx, &f) : 0;
        if (rc != 0) {
            return rc;
        }
        if (f.existence != MSE_EXIST_OK || !isfinite(f.estimate) ||
            f.neginf != 0) {
            continue;
        }
        crit = method == MSE_METHOD_BIC ? f.bic : f.aic;
        if (!found ||
            crit < (method == MSE_METHOD_BIC ? best->bic : best->aic)) {
            *best = f;
            found = 1;
        }
    }
    if (!found) {
        /* Report the main effects model's reason. */
        rc = mse_fit_model(t, 0, best, err);
        if (rc == 0 && best->existence == MSE_EXIST_OK) {
            return ctis_err_set(err, CTIS_ENUMERIC,
                                "no model has a finite estimate");
        }
        return rc;
    }
    return 0;
}

/* Dispatch on the method. */
int mse_select(const struct mse_table *t, const struct mse_options *o,
               struct mse_fit *best, mse_fit_cb cb, void *ctx,
               struct ctis_err *err)
{
    int rc;

    switch (o->method) {
    case MSE_METHOD_STEPWISE:
        return stepwise(t, o->pthresh, best, cb, ctx, err);
    case MSE_METHOD_AIC:
    case MSE_METHOD_ALL:
        return all_models(t, MSE_METHOD_AIC, best, cb, ctx, err);
    case MSE_METHOD_BIC:
        return all_models(t, MSE_METHOD_BIC, best, cb, ctx, err);
    case MSE_METHOD_MAIN:
    case MSE_METHOD_GIVEN:
        rc = mse_fit_model(t, o->method == MSE_METHOD_MAIN ? 0 : o->model, best,
                           err);
        if (rc == 0 && cb != NULL) {
            rc = cb(ctx, best);
        }
        return rc;
    default:
        return ctis_err_set(err, CTIS_EINVAL, "unknown method %d", o->method);
    }
}
