/*
 * estimate.c - the whole estimate: model choice, fit and interval, the
 * next-best model and the warnings every estimate carries, the
 * comparison of methods, and the default summary the datasheet report
 * uses.
 *
 * Warnings (docs/mse.md, "Warnings"): fewer than MSE_FEW_LISTS lists; a
 * list with fewer than MSE_SMALL_LIST persons; an unstable estimate, one
 * that the next-best model (struct mse_next) moves by more than its
 * standard error.
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

/* The warnings that depend on the table alone. */
static unsigned table_warnings(const struct mse_table *t)
{
    unsigned w = 0;
    int i;

    if (t->k < MSE_FEW_LISTS) {
        w |= MSE_WARN_FEW_LISTS;
    }
    for (i = 0; i < t->k; i++) {
        if (mse_list_size(t, i) < MSE_SMALL_LIST) {
            w |= MSE_WARN_SMALL_LIST;
        }
    }
    return w;
}

/* Fit the next-best model and measure how far it moves the estimate. */
static int stability(const struct mse_table *t, struct mse_result *out,
                     struct ctis_err *err)
{
    struct ctis_err e;
    int rc;

    out->shift = NAN;
    if (!out->next.found) {
        return 0;
    }
    rc = mse_fit_model(t, out->next.pairs, &out->next_fit, &e);
    if (rc == CTIS_ENUMERIC) {
        return 0;
    }
    if (rc != 0) {
        return ctis_err_set(err, rc, "%s", e.msg);
    }
    if (out->next_fit.existence == MSE_EXIST_OK &&
        isfinite(out->next_fit.estimate) && out->fit.se_estimate > 0) {
        out->shift =
            (out->next_fit.estimate - out->fit.estimate) / out->fit.se_estimate;
        if (mse_stable(out->shift) == 0) {
            out->warnings |= MSE_WARN_UNSTABLE;
        }
    }
    return 0;
}

/* Choose, check, the next-best model, then the interval asked for. */
int mse_estimate(const struct mse_table *t, const struct mse_options *o,
                 struct mse_result *out, mse_fit_cb cb, void *ctx,
                 struct ctis_err *err)
{
    int rc;

    memset(out, 0, sizeof *out);
    out->fit.estimate = NAN;
    out->fit.se_estimate = NAN;
    out->fit.coef[0] = NAN;
    out->fit.entry_term = -1;
    out->fit.entry_p = NAN;
    out->next_fit = out->fit;
    out->shift = NAN;
    mse_next_clear(&out->next);
    out->ci.method = o->ci;
    out->ci.level = o->level;
    out->ci.lower = NAN;
    out->ci.upper = NAN;
    if (!(o->level > 0 && o->level < 1)) {
        return ctis_err_set(err, CTIS_EINVAL, "level %g is not between 0 and 1",
                            o->level);
    }
    out->warnings = table_warnings(t);
    rc = mse_select_next(t, o, &out->fit, &out->next, cb, ctx, err);
    if (rc != 0) {
        return rc;
    }
    if (out->fit.existence != MSE_EXIST_OK) {
        return ctis_err_set(err, CTIS_ENUMERIC, "no estimate: %s",
                            existence_text(out->fit.existence));
    }
    rc = stability(t, out, err);
    if (rc != 0) {
        return rc;
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

/* The four methods in turn; a method's own failure is kept, not
 * returned. */
int mse_compare(const struct mse_table *t, const struct mse_options *o,
                struct mse_comparison *out, struct ctis_err *err)
{
    static const int methods[MSE_COMPARE_N] = {
        MSE_METHOD_MAIN, MSE_METHOD_STEPWISE, MSE_METHOD_AIC, MSE_METHOD_BIC};
    int i;

    memset(out, 0, sizeof *out);
    for (i = 0; i < MSE_COMPARE_N; i++) {
        struct mse_options oo = *o;
        struct ctis_err e;
        int rc;

        ctis_err_clear(&e);
        oo.method = methods[i];
        out->method[i] = methods[i];
        rc = mse_estimate(t, &oo, &out->r[i], NULL, NULL, &e);
        if (rc == CTIS_EINVAL && !(o->level > 0 && o->level < 1)) {
            return ctis_err_set(err, rc, "%s", e.msg);
        }
        if (rc != 0 && rc != CTIS_ENUMERIC && rc != CTIS_EINVAL) {
            return ctis_err_set(err, rc, "%s", e.msg);
        }
        out->rc[i] = rc;
        ctis_strlcpy(out->msg[i], rc != 0 ? e.msg : "", CTIS_ERR_MSG_MAX);
    }
    return 0;
}

/* Stepwise with both analytic intervals. */
int mse_default_estimate(const struct mse_table *t, struct mse_summary *out,
                         struct ctis_err *err)
{
    struct mse_options o;
    struct mse_result r;
    struct mse_interval iv;
    int rc;

    mse_options_init(&o);
    memset(out, 0, sizeof *out);
    out->level = o.level;
    out->estimate = NAN;
    out->se = NAN;
    out->deviance = NAN;
    out->aic = NAN;
    out->shift = NAN;
    out->next_estimate = NAN;
    mse_next_clear(&out->next);
    out->normal_lower = NAN;
    out->normal_upper = NAN;
    out->profile_lower = NAN;
    out->profile_upper = NAN;
    out->observed = mse_table_observed(t);
    rc = mse_estimate(t, &o, &r, NULL, NULL, err);
    out->existence = r.fit.existence;
    out->pairs = r.fit.pairs;
    out->warnings = r.warnings;
    if (rc == CTIS_ENUMERIC && r.fit.existence != MSE_EXIST_OK) {
        return 0;
    }
    if (rc != 0 && !(rc == CTIS_ENUMERIC && isfinite(r.fit.estimate))) {
        return rc;
    }
    out->estimate = r.fit.estimate;
    out->se = r.fit.se_estimate;
    out->deviance = r.fit.deviance;
    out->df = r.fit.df;
    out->aic = r.fit.aic;
    out->shift = r.shift;
    out->next = r.next;
    out->next_existence = r.next_fit.existence;
    if (r.next.found && r.next_fit.existence == MSE_EXIST_OK) {
        out->next_estimate = r.next_fit.estimate;
    }
    if (rc != 0) {
        return rc;
    }
    out->normal_lower = r.ci.lower;
    out->normal_upper = r.ci.upper;
    rc = mse_interval_profile(t, &r.fit, o.level, &iv, err);
    if (rc != 0) {
        return rc;
    }
    out->profile_lower = iv.lower;
    out->profile_upper = iv.upper;
    return 0;
}

/* JSON codes of the warnings. */
const char *mse_warning_code(unsigned warning)
{
    switch (warning) {
    case MSE_WARN_FEW_LISTS:
        return "few_lists";
    case MSE_WARN_SMALL_LIST:
        return "small_list";
    case MSE_WARN_UNSTABLE:
        return "unstable";
    default:
        return "unknown";
    }
}

/* The figures behind each warning, in words: the table's, and the
 * next-best model's terms, estimate and shift. */
static void warning_text(const struct mse_table *t, uint64_t next_pairs,
                         double next_estimate, double shift, unsigned w,
                         double hide_below, char *out, size_t n)
{
    size_t len;
    int i;

    if (n == 0) {
        return;
    }
    out[0] = '\0';
    switch (w) {
    case MSE_WARN_FEW_LISTS:
        if (t->k == 2) {
            snprintf(out, n,
                     "only 2 lists: they are assumed independent, which "
                     "the data cannot test");
        } else {
            snprintf(out, n,
                     "only %d lists: too few to test how they depend on "
                     "each other (%d or more are advised)",
                     t->k, MSE_FEW_LISTS);
        }
        return;
    case MSE_WARN_SMALL_LIST:
        len = (size_t)snprintf(out, n,
                               "lists with under %d persons:", MSE_SMALL_LIST);
        for (i = 0; i < t->k && len < n; i++) {
            double s = mse_list_size(t, i);

            if (s >= MSE_SMALL_LIST) {
                continue;
            }
            if (s < hide_below) {
                len += (size_t)snprintf(out + len, n - len,
                                        " '%s' (under %.0f)", t->names[i],
                                        hide_below);
            } else {
                len += (size_t)snprintf(out + len, n - len, " '%s' (%.0f)",
                                        t->names[i], s);
            }
        }
        if (len < n) {
            snprintf(out + len, n - len,
                     "; terms that involve them rest on very few persons");
        }
        return;
    case MSE_WARN_UNSTABLE: {
        char model[512];

        mse_model_format(t, next_pairs, model, sizeof model);
        snprintf(out, n,
                 "unstable: the next-best model (%s) gives %.2f, %.2f "
                 "standard errors away",
                 model[0] != '\0' ? model : "main effects", next_estimate,
                 fabs(shift));
        return;
    }
    default:
        return;
    }
}

/* For ctis estimate: every figure shown. */
void mse_warning_text(const struct mse_table *t, const struct mse_result *r,
                      unsigned w, char *out, size_t n)
{
    warning_text(t, r->next.pairs, r->next_fit.estimate, r->shift, w, 0, out,
                 n);
}

/* For the datasheet: small list sizes hidden below its threshold. */
void mse_summary_warning_text(const struct mse_table *t,
                              const struct mse_summary *s, unsigned w,
                              double hide_below, char *out, size_t n)
{
    warning_text(t, s->next.pairs, s->next_estimate, s->shift, w, hide_below,
                 out, n);
}

/* One rule, used by the warning and by every output that says "stable". */
int mse_stable(double shift)
{
    if (!isfinite(shift)) {
        return -1;
    }
    return fabs(shift) <= 1 ? 1 : 0;
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
