/*
 * estimate.c - the whole estimate: model choice, fit and interval, and
 * the default summary the datasheet report uses.
 */
#include <math.h>
#include <string.h>

#include "mse_int.h"

static const char *existence_text(int code)
{
    return code == MSE_EXIST_NO_MLE
               ? "the maximum likelihood estimate does not exist"
               : "the model is not identifiable";
}

/* Choose, check, then the interval asked for. */
int mse_estimate(const struct mse_table *t, const struct mse_options *o,
                 struct mse_result *out, mse_fit_cb cb, void *ctx,
                 struct ctis_err *err)
{
    int rc;

    memset(out, 0, sizeof *out);
    out->fit.estimate = NAN;
    out->fit.se_estimate = NAN;
    out->fit.coef[0] = NAN;
    out->ci.method = o->ci;
    out->ci.level = o->level;
    out->ci.lower = NAN;
    out->ci.upper = NAN;
    if (!(o->level > 0 && o->level < 1)) {
        return ctis_err_set(err, CTIS_EINVAL, "level %g is not between 0 and 1",
                            o->level);
    }
    rc = mse_select(t, o, &out->fit, cb, ctx, err);
    if (rc != 0) {
        return rc;
    }
    if (out->fit.existence != MSE_EXIST_OK) {
        return ctis_err_set(err, CTIS_ENUMERIC, "no estimate: %s",
                            existence_text(out->fit.existence));
    }
    switch (o->ci) {
    case MSE_CI_NORMAL:
        return mse_interval_normal(&out->fit, o->level, &out->ci, err);
    case MSE_CI_PROFILE:
        return mse_interval_profile(t, &out->fit, o->level, &out->ci, err);
    case MSE_CI_BOOTSTRAP:
        return mse_bootstrap(t, o, out->fit.estimate, &out->ci, NULL, err);
    case MSE_CI_BCA:
        return mse_bootstrap(t, o, out->fit.estimate, NULL, &out->ci, err);
    default:
        return ctis_err_set(err, CTIS_EINVAL, "unknown interval %d", o->ci);
    }
}

/* Stepwise with both analytic intervals. */
int mse_default_estimate(const struct mse_table *t, struct mse_summary *out,
                         struct ctis_err *err)
{
    struct mse_options o;
    struct mse_fit f;
    struct mse_interval iv;
    int rc;

    mse_options_init(&o);
    memset(out, 0, sizeof *out);
    out->level = o.level;
    out->estimate = NAN;
    out->se = NAN;
    out->deviance = NAN;
    out->aic = NAN;
    out->normal_lower = NAN;
    out->normal_upper = NAN;
    out->profile_lower = NAN;
    out->profile_upper = NAN;
    out->observed = mse_table_observed(t);
    rc = mse_select(t, &o, &f, NULL, NULL, err);
    if (rc != 0) {
        return rc;
    }
    out->existence = f.existence;
    out->pairs = f.pairs;
    if (f.existence != MSE_EXIST_OK) {
        return 0;
    }
    out->estimate = f.estimate;
    out->se = f.se_estimate;
    out->deviance = f.deviance;
    out->df = f.df;
    out->aic = f.aic;
    rc = mse_interval_normal(&f, o.level, &iv, err);
    if (rc != 0) {
        return rc;
    }
    out->normal_lower = iv.lower;
    out->normal_upper = iv.upper;
    rc = mse_interval_profile(t, &f, o.level, &iv, err);
    if (rc != 0) {
        return rc;
    }
    out->profile_lower = iv.lower;
    out->profile_upper = iv.upper;
    return 0;
}

/* One table of the codes every output uses. */
const char *mse_existence_code(int existence)
{
    switch (existence) {
    case MSE_EXIST_OK:
        return "ok";
    case MSE_EXIST_NO_MLE:
        return "mle_does_not_exist";
    default:
        return "not_identifiable";
    }
}
