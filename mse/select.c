/*
 * select.c - choosing the log-linear model.
 *
 * Stepwise (the default) is SparseMSE's rule, in stepwise.c: terms are
 * ranked by the Poisson p-value of their pair's overlap under the current
 * model. With criterion MSE_CRIT_LR this file's older rule is used
 * instead: at each step fit the current model plus each two-list term
 * not yet in it whose pair overlaps and whose estimate exists; take the
 * term with the smallest p-value of the likelihood-ratio test (the drop
 * in deviance against chi-square with 1 df); add it while that p-value is
 * below the threshold. It never adds a pair without overlap. The two
 * agree on the UK 2013 five-list data (LA:NG, NG:GP, PFNCA:GP, LA:PFNCA,
 * GO:GP, NG:GO in that order) and differ on sparse tables, where a pair
 * with no overlap but a large expected one enters SparseMSE's model at
 * minus infinity (tests/mse/test_mse.c has a table worked by hand).
 *
 * AIC and BIC: every subset of the two-list terms, for at most
 * MSE_MAX_ALL_LISTS lists (2^15 models for six). Models whose estimate
 * does not exist, and models with a term of a pair without overlap (fixed
 * at minus infinity), are reported to the callback but never chosen.
 *
 * Each method also names its next-best model (struct mse_next, mse.h).
 */
#include <math.h>
#include <string.h>

#include "mse_int.h"

/* Defaults of the issue and of SparseMSE. */
void mse_options_init(struct mse_options *o)
{
    memset(o, 0, sizeof *o);
    o->method = MSE_METHOD_STEPWISE;
    o->criterion = MSE_CRIT_POISSON;
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

static int stepwise_lr(const struct mse_table *t, double pthresh,
                       struct mse_fit *best, struct mse_next *next,
                       mse_fit_cb cb, void *ctx, struct ctis_err *err)
{
    uint64_t avail = ~mse_zero_overlaps(t);
    uint64_t cur = 0;
    int np = mse_npairs(t->k);
    struct mse_fit f;
    struct mse_fit cand;
    int last = -1;
    int rc;

    mse_next_clear(next);
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
            if (next != NULL && bestq >= 0) {
                mse_next_term(next, cur, bestq, 1, lr_pvalue(bestdrop));
            } else if (next != NULL && last >= 0) {
                mse_next_term(next, cur, last, 0, best->entry_p);
            }
            break;
        }
        cur |= (uint64_t)1 << bestq;
        last = bestq;
        *best = cand;
        best->entry_term = bestq;
        best->entry_p = lr_pvalue(bestdrop);
        rc = cb != NULL ? cb(ctx, best) : 0;
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

static int all_models(const struct mse_table *t, int method,
                      struct mse_fit *best, struct mse_next *next,
                      mse_fit_cb cb, void *ctx, struct ctis_err *err)
{
    int np = mse_npairs(t->k);
    uint64_t m;
    uint64_t nmodels;
    struct mse_fit f;
    int found = 0;
    double crit2 = INFINITY; /* the runner-up's criterion */
    int rc;

    mse_next_clear(next);
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
            if (found && next != NULL) {
                next->found = 1;
                next->pairs = best->pairs;
                crit2 = method == MSE_METHOD_BIC ? best->bic : best->aic;
            }
            *best = f;
            found = 1;
        } else if (next != NULL && crit < crit2) {
            next->found = 1;
            next->pairs = f.pairs;
            crit2 = crit;
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

/* A fixed model's next-best: plus the term stepwise would add first. */
static int fixed(const struct mse_table *t, uint64_t pairs,
                 struct mse_fit *best, struct mse_next *next, mse_fit_cb cb,
                 void *ctx, struct ctis_err *err)
{
    double pv[MSE_MAX_PAIRS];
    int q;
    int rc;

    mse_next_clear(next);
    rc = mse_fit_model(t, pairs, best, err);
    if (rc == 0 && cb != NULL) {
        rc = cb(ctx, best);
    }
    if (rc != 0 || next == NULL || best->existence != MSE_EXIST_OK) {
        return rc;
    }
    rc = mse_candidates(t, best, pv, &q, err);
    if (rc == 0 && q >= 0) {
        mse_next_term(next, pairs, q, 1, pv[q]);
    }
    return rc;
}

/* Dispatch on the method. */
int mse_select_next(const struct mse_table *t, const struct mse_options *o,
                    struct mse_fit *best, struct mse_next *next, mse_fit_cb cb,
                    void *ctx, struct ctis_err *err)
{
    if (!(o->pthresh >= 0 && o->pthresh <= 1)) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "threshold %g is not a probability", o->pthresh);
    }
    switch (o->method) {
    case MSE_METHOD_STEPWISE:
        if (o->criterion == MSE_CRIT_LR) {
            return stepwise_lr(t, o->pthresh, best, next, cb, ctx, err);
        }
        return mse_stepwise_poisson(t, o->pthresh, best, next, cb, ctx, err);
    case MSE_METHOD_AIC:
    case MSE_METHOD_ALL:
        return all_models(t, MSE_METHOD_AIC, best, next, cb, ctx, err);
    case MSE_METHOD_BIC:
        return all_models(t, MSE_METHOD_BIC, best, next, cb, ctx, err);
    case MSE_METHOD_MAIN:
        return fixed(t, 0, best, next, cb, ctx, err);
    case MSE_METHOD_GIVEN:
        return fixed(t, o->model, best, next, cb, ctx, err);
    default:
        return ctis_err_set(err, CTIS_EINVAL, "unknown method %d", o->method);
    }
}

/* Without the next-best model. */
int mse_select(const struct mse_table *t, const struct mse_options *o,
               struct mse_fit *best, mse_fit_cb cb, void *ctx,
               struct ctis_err *err)
{
    return mse_select_next(t, o, best, NULL, cb, ctx, err);
}
