/*
 * estimate.c - multiple systems estimation of the hidden total from an
 * overlap table file (docs/mse.md), for 'ctis estimate' and the server
 * (moved from cli/cmd_estimate.c, which keeps the option parsing).
 *
 * Reads the CSV with io_csv, turns its rows into tables with the
 * mse_overlap parser (one per stratum), estimates each with mse_estimate
 * and prints text or JSON. With strata the total is the sum of the
 * strata's estimates, its standard error the root of the summed
 * variances (strata are independent) and its interval the normal one on
 * that sum. An estimate that does not exist is printed as null with its
 * existence code, never as a number, and the command then fails (exit 1).
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mse/mse.h"
#include "ops_int.h"

#define est_args ops_estimate_args

/* What one stratum (or the whole table) gave. */
struct est_out {
    const struct mse_table *t;
    struct mse_result r;
    int rc; /* 0, or the error of mse_estimate */
    char msg[CTIS_ERR_MSG_MAX];
    json_t *fits;          /* array of fit objects */
    struct ctis_buf steps; /* text lines of the fits */
};

static const char *ci_name(int ci)
{
    static const char *names[] = {"normal", "profile", "bootstrap", "bca"};

    return ci >= 0 && ci <= MSE_CI_BCA ? names[ci] : "?";
}

static const char *method_name(int m)
{
    static const char *names[] = {"stepwise", "aic", "bic",
                                  "main",     "all", "model"};

    return m >= 0 && m <= MSE_METHOD_GIVEN ? names[m] : "?";
}

/* A whole count as a JSON integer (counts are below 2^53 per cell; a
 * larger sum stays a real). */
static json_t *count_json(double x)
{
    return x < 9007199254740992.0 ? json_integer((json_int_t)x) : json_real(x);
}

/* A finite number or JSON null: NaN and infinities are never printed. */
static json_t *num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *model_terms(const struct mse_table *t, uint64_t pairs)
{
    json_t *a = json_array();
    int q;

    for (q = 0; q < mse_npairs(t->k) && a != NULL; q++) {
        int i;
        int j;
        char term[2 * MSE_NAME_MAX + 2];

        if (!(pairs & ((uint64_t)1 << q))) {
            continue;
        }
        mse_pair_lists(t->k, q, &i, &j);
        snprintf(term, sizeof term, "%s:%s", t->names[i], t->names[j]);
        json_array_append_new(a, json_string(term));
    }
    return a;
}

/* The fitted terms: intercept, main effects, two-list terms of the
 * model (those at minus infinity are listed apart). */
static json_t *coefficients(const struct mse_table *t, const struct mse_fit *f)
{
    json_t *a = json_array();
    int j;

    for (j = 0; j < MSE_COEF_PAIR(t->k, mse_npairs(t->k)) && a != NULL; j++) {
        char term[2 * MSE_NAME_MAX + 2];

        if (j == 0) {
            snprintf(term, sizeof term, "(intercept)");
        } else if (j <= t->k) {
            snprintf(term, sizeof term, "%s", t->names[j - 1]);
        } else {
            int q = j - 1 - t->k;
            int a1;
            int a2;

            if (!(f->pairs & ((uint64_t)1 << q)) ||
                (f->neginf & ((uint64_t)1 << q))) {
                continue;
            }
            mse_pair_lists(t->k, q, &a1, &a2);
            snprintf(term, sizeof term, "%s:%s", t->names[a1], t->names[a2]);
        }
        json_array_append_new(a, json_pack("{s:s, s:o, s:o, s:o}", "term", term,
                                           "estimate", num(f->coef[j]), "se",
                                           num(f->se[j]), "p", num(f->p[j])));
    }
    return a;
}

static json_t *fit_json(const struct mse_table *t, const struct mse_fit *f)
{
    int ok = f->existence == MSE_EXIST_OK && isfinite(f->estimate);
    json_t *o = json_pack(
        "{s:o, s:s, s:o, s:o, s:o, s:i, s:o, s:o}", "model",
        model_terms(t, f->pairs), "existence", mse_existence_code(f->existence),
        "estimate", num(ok ? f->estimate : NAN), "se",
        num(ok ? f->se_estimate : NAN), "deviance", num(ok ? f->deviance : NAN),
        "df", f->df, "aic", num(ok ? f->aic : NAN), "bic",
        num(ok ? f->bic : NAN));

    if (o != NULL && f->entry_term >= 0) {
        /* A stepwise step: the term that entered and its p-value. */
        json_object_set_new(o, "entered",
                            model_terms(t, (uint64_t)1 << f->entry_term));
        json_object_set_new(o, "p", num(f->entry_p));
    }
    return o;
}

static void fit_text(struct ctis_buf *b, const struct mse_table *t,
                     const struct mse_fit *f)
{
    char model[1024];

    mse_model_format(t, f->pairs, model, sizeof model);
    if (f->existence == MSE_EXIST_OK && isfinite(f->estimate)) {
        char p[32] = "";

        if (f->entry_term >= 0) {
            snprintf(p, sizeof p, "%10.3g", f->entry_p);
        }
        ctis_buf_printf(b, "  %-40s %12.2f %10.2f %10.4f %3d %10.4f %s\n",
                        model[0] != '\0' ? model : "(main effects)",
                        f->estimate, f->se_estimate, f->deviance, f->df, f->aic,
                        p);
    } else {
        ctis_buf_printf(b, "  %-40s %s\n",
                        model[0] != '\0' ? model : "(main effects)",
                        mse_existence_code(f->existence));
    }
}

/* mse_fit_cb: keep each fit considered. */
static int on_fit(void *p, const struct mse_fit *f)
{
    struct est_out *e = p;
    json_t *j = fit_json(e->t, f);

    if (j == NULL || json_array_append_new(e->fits, j) != 0) {
        return CTIS_ENOMEM;
    }
    fit_text(&e->steps, e->t, f);
    return 0;
}

/* The next-best model, its estimate and the warnings. */
static json_t *checks_json(const struct mse_table *t,
                           const struct mse_result *r)
{
    json_t *o = json_object();
    json_t *w = json_array();
    unsigned bit;

    if (o == NULL || w == NULL) {
        json_decref(o);
        json_decref(w);
        return NULL;
    }
    for (bit = 1; bit <= MSE_WARN_UNSTABLE; bit <<= 1) {
        char text[CTIS_ERR_MSG_MAX];

        if (!(r->warnings & bit)) {
            continue;
        }
        mse_warning_text(t, r, bit, text, sizeof text);
        json_array_append_new(w, json_pack("{s:s, s:s}", "code",
                                           mse_warning_code(bit), "message",
                                           text));
    }
    json_object_set_new(o, "warnings", w);
    if (r->next.found) {
        json_t *n = fit_json(t, &r->next_fit);
        char term[2 * MSE_NAME_MAX + 2] = "";

        if (n != NULL && r->next.term >= 0) {
            int i;
            int j;

            mse_pair_lists(t->k, r->next.term, &i, &j);
            snprintf(term, sizeof term, "%s:%s", t->names[i], t->names[j]);
            json_object_set_new(n, "term", json_string(term));
            json_object_set_new(n, "change",
                                json_string(r->next.added ? "add" : "remove"));
            json_object_set_new(n, "p", num(r->next.p));
        }
        if (n != NULL) {
            json_object_set_new(n, "shift_se", num(r->shift));
        }
        json_object_set_new(o, "next_best", n != NULL ? n : json_null());
    } else {
        json_object_set_new(o, "next_best", json_null());
    }
    json_object_set_new(o, "stable",
                        mse_stable(r->shift) >= 0
                            ? json_boolean(mse_stable(r->shift))
                            : json_null());
    return o;
}

/* The same as text lines. */
static void checks_text(FILE *f, const struct mse_table *t,
                        const struct mse_result *r)
{
    char model[1024];
    unsigned bit;

    if (r->next.found) {
        char why[160] = "";

        mse_model_format(t, r->next.pairs, model, sizeof model);
        if (r->next.term >= 0) {
            int i;
            int j;

            mse_pair_lists(t->k, r->next.term, &i, &j);
            snprintf(why, sizeof why, ", %s %s:%s at p %.3g",
                     r->next.added ? "adds" : "removes", t->names[i],
                     t->names[j], r->next.p);
        }
        if (isfinite(r->shift)) {
            fprintf(f, "next best     %s (%.2f%s)\n",
                    model[0] != '\0' ? model : "main effects",
                    r->next_fit.estimate, why);
            fprintf(f,
                    "stability     %s: the next-best model moves it by "
                    "%.2f standard errors\n",
                    mse_stable(r->shift) ? "stable" : "unstable",
                    fabs(r->shift));
        } else {
            fprintf(f, "next best     %s (no estimate: %s%s)\n",
                    model[0] != '\0' ? model : "main effects",
                    mse_existence_code(r->next_fit.existence), why);
            fprintf(f, "stability     not assessed\n");
        }
    } else {
        fprintf(f, "stability     not assessed (no other model to "
                   "compare)\n");
    }
    for (bit = 1; bit <= MSE_WARN_UNSTABLE; bit <<= 1) {
        char text[CTIS_ERR_MSG_MAX];

        if (r->warnings & bit) {
            mse_warning_text(t, r, bit, text, sizeof text);
            fprintf(f, "warning       %s\n", text);
        }
    }
}

static int run_one(const struct mse_table *t, const struct est_args *a,
                   struct est_out *e)
{
    struct ctis_err err;

    ctis_err_clear(&err);
    memset(e, 0, sizeof *e);
    e->t = t;
    e->fits = json_array();
    ctis_buf_init(&e->steps);
    if (e->fits == NULL) {
        return CTIS_ENOMEM;
    }
    e->rc = mse_estimate(t, &a->o, &e->r, on_fit, e, &err);
    ctis_strlcpy(e->msg, err.msg, sizeof e->msg);
    /* CTIS_ENUMERIC is an answer (no estimate, or no interval) to print;
     * anything else stops the command. */
    return e->rc == CTIS_ENUMERIC ? 0 : e->rc;
}

/* The estimate exists; its interval may still have failed. */
static int has_estimate(const struct est_out *e)
{
    return e->r.fit.existence == MSE_EXIST_OK && isfinite(e->r.fit.estimate);
}

static json_t *result_json(const struct est_out *e, const struct est_args *a)
{
    const struct mse_fit *f = &e->r.fit;
    int ok = has_estimate(e);
    int ci_ok = ok && e->rc == 0;
    json_t *ci;
    json_t *o;

    ci = json_pack("{s:s, s:f, s:o, s:o}", "method", ci_name(a->o.ci), "level",
                   a->o.level, "lower", num(ci_ok ? e->r.ci.lower : NAN),
                   "upper", num(ci_ok ? e->r.ci.upper : NAN));
    if (ci != NULL && ci_ok && isinf(e->r.ci.upper)) {
        json_object_set_new(ci, "upper_unbounded", json_true());
    }
    if (ci != NULL && ci_ok &&
        (a->o.ci == MSE_CI_BOOTSTRAP || a->o.ci == MSE_CI_BCA)) {
        json_object_set_new(ci, "replicates", json_integer(e->r.ci.nboot));
        json_object_set_new(ci, "failed", json_integer(e->r.ci.nfailed));
        json_object_set_new(ci, "seed", json_integer((json_int_t)a->o.seed));
    }
    if (ci != NULL && !ci_ok && e->msg[0] != '\0') {
        json_object_set_new(ci, "error", json_string(e->msg));
    }
    o = json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:s}", "observed",
        count_json(f->observed), "estimate", num(ok ? f->estimate : NAN),
        "dark_figure", num(ok ? f->estimate - f->observed : NAN), "se",
        num(ok ? f->se_estimate : NAN), "model", model_terms(e->t, f->pairs),
        "ci", ci, "existence", mse_existence_code(f->existence), "method",
        method_name(a->o.method));
    if (o == NULL) {
        return NULL;
    }
    json_object_set_new(o, "intercept", num(ok ? f->coef[0] : NAN));
    json_object_set_new(o, "se_intercept", num(ok ? f->se[0] : NAN));
    json_object_set_new(o, "deviance", num(ok ? f->deviance : NAN));
    json_object_set_new(o, "df", json_integer(f->df));
    json_object_set_new(o, "aic", num(ok ? f->aic : NAN));
    json_object_set_new(o, "bic", num(ok ? f->bic : NAN));
    if (f->neginf != 0) {
        json_object_set_new(o, "minus_infinity", model_terms(e->t, f->neginf));
    }
    if (ok) {
        json_object_set_new(o, "coefficients", coefficients(e->t, f));
    }
    if (!ok && e->msg[0] != '\0') {
        json_object_set_new(o, "error", json_string(e->msg));
    }
    {
        json_t *c = checks_json(e->t, &e->r);

        if (c != NULL) {
            json_object_update(o, c);
            json_decref(c);
        }
    }
    json_object_set(o, "fits", e->fits);
    return o;
}

static void fmt_bound(char *out, size_t n, double x)
{
    if (isfinite(x)) {
        snprintf(out, n, "%.1f", x);
    } else {
        snprintf(out, n, "%s", x > 0 ? "unbounded" : "-");
    }
}

static void result_text(FILE *f, const struct est_out *e,
                        const struct est_args *a, const char *stratum)
{
    const struct mse_fit *ft = &e->r.fit;
    char model[1024];
    char lo[32];
    char hi[32];

    if (stratum != NULL) {
        fprintf(f, "stratum %s\n", stratum);
    }
    mse_model_format(e->t, ft->pairs, model, sizeof model);
    if (e->steps.len > 0 &&
        (a->o.method == MSE_METHOD_STEPWISE || a->o.method == MSE_METHOD_ALL)) {
        fprintf(f, "%s:\n  %-40s %12s %10s %10s %3s %10s %10s\n%s\n",
                a->o.method == MSE_METHOD_ALL ? "models" : "steps", "model",
                "estimate", "se", "deviance", "df", "AIC",
                a->o.method == MSE_METHOD_ALL ? "" : "p (entry)",
                e->steps.data);
    }
    fprintf(f, "observed      %.0f\n", ft->observed);
    if (!has_estimate(e)) {
        unsigned bit;

        fprintf(f,
                "model         %s\nexistence     %s\nestimate      "
                "none (%s)\n",
                model[0] != '\0' ? model : "main effects",
                mse_existence_code(ft->existence), e->msg);
        for (bit = 1; bit <= MSE_WARN_UNSTABLE; bit <<= 1) {
            char text[CTIS_ERR_MSG_MAX];

            if (e->r.warnings & bit) {
                mse_warning_text(e->t, &e->r, bit, text, sizeof text);
                fprintf(f, "warning       %s\n", text);
            }
        }
        return;
    }
    fprintf(f, "estimate      %.2f\n", ft->estimate);
    fprintf(f, "dark figure   %.2f\n", ft->estimate - ft->observed);
    fprintf(f, "se            %.4f\n", ft->se_estimate);
    fprintf(f, "model         %s (%s%s)\n",
            model[0] != '\0' ? model : "main effects", method_name(a->o.method),
            a->o.method != MSE_METHOD_STEPWISE ? ""
            : a->o.criterion == MSE_CRIT_LR    ? ", likelihood-ratio"
                                               : ", Poisson overlap p-values");
    if (ft->neginf != 0) {
        mse_model_format(e->t, ft->neginf, model, sizeof model);
        fprintf(f, "minus inf     %s (no overlap: cells dropped)\n", model);
    }
    fprintf(f, "deviance      %.5f on %d df\n", ft->deviance, ft->df);
    fprintf(f, "AIC           %.4f\n", ft->aic);
    if (e->rc == 0) {
        fmt_bound(lo, sizeof lo, e->r.ci.lower);
        fmt_bound(hi, sizeof hi, e->r.ci.upper);
        fprintf(f, "%g%% interval  %s to %s (%s)\n", 100 * a->o.level, lo, hi,
                ci_name(a->o.ci));
        if (e->r.ci.nfailed > 0) {
            fprintf(f,
                    "              %d of %d replicates had no estimate "
                    "and were left out\n",
                    e->r.ci.nfailed, e->r.ci.nfailed + e->r.ci.nboot);
        }
    } else {
        fprintf(f, "interval      none (%s)\n", e->msg);
    }
    fprintf(f, "existence     %s\n", mse_existence_code(ft->existence));
    checks_text(f, e->t, &e->r);
}

/* Read the whole CSV into the parser. */
static int read_overlap(const char *path, struct mse_overlap *p,
                        struct ctis_err *err)
{
    struct io_csv *r = NULL;
    const char **fields = NULL;
    size_t cap = 0;
    long bad_lines = 0;
    int header = 1;
    int rc;

    rc = io_csv_open(&r, path, err);
    if (rc != 0) {
        return rc;
    }
    for (;;) {
        size_t n;
        size_t i;

        rc = io_csv_next(r, err);
        if (rc < 0 && !header && io_csv_recoverable(r)) {
            if (++bad_lines <= 100) {
                fprintf(stderr, "ctis: %s\n", err->msg);
            }
            continue;
        }
        if (rc <= 0) {
            break;
        }
        n = io_csv_nfields(r);
        if (n > cap) {
            const char **f = ctis_realloc(fields, n * sizeof *f);

            if (f == NULL) {
                rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
                break;
            }
            fields = f;
            cap = n;
        }
        for (i = 0; i < n; i++) {
            fields[i] = io_csv_field(r, i);
        }
        if (header) {
            rc = mse_overlap_header(p, n, fields, io_csv_line(r), err);
            header = 0;
        } else {
            rc = mse_overlap_row(p, n, fields, io_csv_line(r), err);
            if (rc == CTIS_EINVAL) {
                /* Every bad line is reported, up to 100, as import does. */
                if (++bad_lines <= 100) {
                    fprintf(stderr, "ctis: %s\n", err->msg);
                }
                rc = 0;
            }
        }
        if (rc != 0) {
            break;
        }
    }
    if (rc >= 0 && bad_lines > 0) {
        rc = ctis_err_set(err, CTIS_EINVAL,
                          "%ld invalid line(s) in '%s'%s; nothing estimated",
                          bad_lines, path,
                          bad_lines > 100 ? " (the first 100 shown)" : "");
    }
    if (rc == 0) {
        rc = mse_overlap_finish(p, err);
    }
    ctis_free(fields);
    io_csv_close(r);
    return rc;
}

/* Sum over strata: estimates add, variances add. */
static json_t *total_json(struct est_out *outs, size_t n,
                          const struct est_args *a, double *est, double *se,
                          double *lo, double *hi, int *code)
{
    double obs = 0;
    double v = 0;
    double sum = 0;
    double z = mse_qnorm(0.5 + a->o.level / 2);
    size_t i;

    *code = MSE_EXIST_OK;
    for (i = 0; i < n; i++) {
        obs += outs[i].r.fit.observed;
        if (!has_estimate(&outs[i])) {
            if (*code == MSE_EXIST_OK) {
                *code = outs[i].r.fit.existence != MSE_EXIST_OK
                            ? outs[i].r.fit.existence
                            : MSE_EXIST_NOT_IDENT;
            }
            continue;
        }
        sum += outs[i].r.fit.estimate;
        v += outs[i].r.fit.se_estimate * outs[i].r.fit.se_estimate;
    }
    if (*code != MSE_EXIST_OK) {
        sum = NAN;
        v = NAN;
    }
    *est = sum;
    *se = sqrt(v);
    *lo = sum - z * *se;
    if (*lo < obs) {
        *lo = obs;
    }
    *hi = sum + z * *se;
    return json_pack("{s:o, s:o, s:o, s:o, s:{s:s, s:f, s:o, s:o}, s:s}",
                     "observed", count_json(obs), "estimate", num(sum),
                     "dark_figure", num(sum - obs), "se", num(*se), "ci",
                     "method", "normal_sum", "level", a->o.level, "lower",
                     num(*lo), "upper", num(*hi), "existence",
                     mse_existence_code(*code));
}

static void release_outs(struct est_out *outs, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        json_decref(outs[i].fits);
        ctis_buf_release(&outs[i].steps);
    }
    ctis_free(outs);
}

/* One method of a comparison as the JSON of a single estimate. */
static json_t *compare_one(const struct mse_table *t,
                           const struct mse_comparison *c, int i,
                           const struct est_args *a)
{
    struct est_args aa = *a;
    struct est_out *e;
    json_t *o;

    if (c->rc[i] == CTIS_EINVAL) {
        return json_pack("{s:s, s:n, s:s}", "method", method_name(c->method[i]),
                         "estimate", "error", c->msg[i]);
    }
    e = ctis_calloc(1, sizeof *e);
    if (e == NULL) {
        return NULL;
    }
    e->t = t;
    e->r = c->r[i];
    e->rc = c->rc[i];
    ctis_strlcpy(e->msg, c->msg[i], sizeof e->msg);
    e->fits = json_array();
    aa.o.method = c->method[i];
    o = e->fits != NULL ? result_json(e, &aa) : NULL;
    if (o != NULL) {
        json_object_del(o, "fits");
    }
    json_decref(e->fits);
    ctis_free(e);
    return o;
}

/* main effects, stepwise, AIC and BIC of one table, side by side. */
static int compare_print(FILE *out, struct ctis_err *err,
                         const struct mse_table *t,
                         const struct est_args *a, const char *stratum,
                         json_t *arr, int *any)
{
    struct mse_comparison *c = ctis_malloc(sizeof *c);
    int rc;
    int i;

    if (c == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    rc = mse_compare(t, &a->o, c, err);
    if (rc != 0) {
        ctis_free(c);
        return rc;
    }
    for (i = 0; i < MSE_COMPARE_N; i++) {
        if (c->rc[i] == 0) {
            *any = 1;
        }
    }
    if (arr != NULL) {
        json_t *o = json_object();
        json_t *m = json_array();

        for (i = 0; i < MSE_COMPARE_N && m != NULL; i++) {
            json_array_append_new(m, compare_one(t, c, i, a));
        }
        if (o == NULL || m == NULL) {
            json_decref(o);
            json_decref(m);
            ctis_free(c);
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        if (stratum != NULL) {
            json_object_set_new(o, "stratum", json_string(stratum));
        }
        json_object_set_new(o, "observed", count_json(mse_table_observed(t)));
        json_object_set_new(o, "compare", m);
        json_array_append_new(arr, o);
        ctis_free(c);
        return 0;
    }
    if (stratum != NULL) {
        fprintf(out, "stratum %s\n", stratum);
    }
    fprintf(out,
            "observed %.0f; %g%% intervals (%s)\n  %-9s %12s %10s %-23s "
            "%10s %10s %-8s %s\n",
            mse_table_observed(t), 100 * a->o.level, ci_name(a->o.ci), "method",
            "estimate", "se", "interval", "AIC", "BIC", "stable", "model");
    for (i = 0; i < MSE_COMPARE_N; i++) {
        const struct mse_result *r = &c->r[i];
        char model[1024];
        char iv[80];
        char lo[32];
        char hi[32];

        if (!(r->fit.existence == MSE_EXIST_OK && isfinite(r->fit.estimate))) {
            fprintf(out, "  %-9s none (%s)\n", method_name(c->method[i]),
                    c->msg[i]);
            continue;
        }
        mse_model_format(t, r->fit.pairs, model, sizeof model);
        if (c->rc[i] == 0) {
            fmt_bound(lo, sizeof lo, r->ci.lower);
            fmt_bound(hi, sizeof hi, r->ci.upper);
            snprintf(iv, sizeof iv, "%s to %s", lo, hi);
        } else {
            snprintf(iv, sizeof iv, "none");
        }
        fprintf(out, "  %-9s %12.2f %10.2f %-23s %10.4f %10.4f %-8s %s\n",
                method_name(c->method[i]), r->fit.estimate, r->fit.se_estimate,
                iv, r->fit.aic, r->fit.bic,
                mse_stable(r->shift) < 0    ? "-"
                : mse_stable(r->shift) == 0 ? "no"
                                            : "yes",
                model[0] != '\0' ? model : "main effects");
    }
    for (i = 0; i < MSE_COMPARE_N; i++) {
        unsigned bit;

        for (bit = 1; bit <= MSE_WARN_UNSTABLE; bit <<= 1) {
            char text[CTIS_ERR_MSG_MAX];

            /* The table's own warnings once, under the first method. */
            if (!(c->r[i].warnings & bit) ||
                (i > 0 && bit != MSE_WARN_UNSTABLE)) {
                continue;
            }
            mse_warning_text(t, &c->r[i], bit, text, sizeof text);
            fprintf(out, "warning   %s%s%s\n",
                    bit == MSE_WARN_UNSTABLE ? method_name(c->method[i]) : "",
                    bit == MSE_WARN_UNSTABLE ? ": " : "", text);
        }
    }
    fprintf(out, "existence check: every estimate above passed it; "
                      "'none' names the reason\n");
    ctis_free(c);
    return 0;
}

/* --compare: every stratum's comparison. Exit 1 when no method gave an
 * estimate. */
static int compare_all(FILE *out, struct ctis_err *err,
                       const struct est_args *a, const struct mse_overlap *p)
{
    size_t ns = mse_overlap_nstrata(p);
    json_t *arr = a->json ? json_array() : NULL;
    int any = 0;
    size_t i;
    int rc = 0;

    if (a->json && arr == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    for (i = 0; i < ns && rc == 0; i++) {
        if (!a->json && i > 0) {
            fputc('\n', out);
        }
        rc = compare_print(out, err, mse_overlap_table(p, i), a,
                           a->strata != NULL ? mse_overlap_stratum(p, i) : NULL,
                           arr, &any);
    }
    if (rc == 0 && arr != NULL) {
        json_t *doc = a->strata != NULL
                          ? json_pack("{s:s, s:O}", "strata_column", a->strata,
                                      "strata", arr)
                          : json_incref(json_array_get(arr, 0));

        if (doc == NULL) {
            rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        } else {
            json_dumpf(doc, out,
                       JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                           JSON_REAL_PRECISION(15));
            fputc('\n', out);
            json_decref(doc);
        }
    }
    json_decref(arr);
    fflush(out);
    if (rc != 0) {
        return rc;
    }
    if (!any) {
        return ctis_err_set(err, CTIS_ENUMERIC, "no method gave an estimate");
    }
    return 0;
}

/* Read, estimate every stratum, print; see ops.h. */
int ops_estimate(struct ops *o, const struct ops_estimate_args *args,
                 FILE *out, int *bad_model, struct ctis_err *err)
{
    struct est_args a = *args;
    struct mse_overlap *p = NULL;
    struct est_out *outs = NULL;
    size_t ns;
    size_t i;
    int failed = 0;
    int rc;

    *bad_model = 0;
    rc = ops_allow(o, OPS_REPORT, NULL, NULL, err);
    if (rc != 0) {
        return rc;
    }
    rc = mse_overlap_new(&p, a.input, a.strata, err);
    if (rc == 0) {
        rc = read_overlap(a.input, p, err);
    }
    if (rc != 0) {
        mse_overlap_free(p);
        return rc;
    }
    if (a.model != NULL) {
        rc = mse_model_parse(mse_overlap_table(p, 0), a.model, &a.o.model,
                             err);
        if (rc != 0) {
            mse_overlap_free(p);
            *bad_model = 1;
            return rc;
        }
        a.o.method = MSE_METHOD_GIVEN;
    }
    if (a.compare) {
        rc = compare_all(out, err, &a, p);
        mse_overlap_free(p);
        return rc;
    }
    ns = mse_overlap_nstrata(p);
    outs = ctis_calloc(ns, sizeof *outs);
    if (outs == NULL) {
        mse_overlap_free(p);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    for (i = 0; i < ns; i++) {
        rc = run_one(mse_overlap_table(p, i), &a, &outs[i]);
        if (rc != 0) {
            if (outs[i].msg[0] != '\0') {
                ctis_err_set(err, rc, "%s", outs[i].msg);
            } else {
                ctis_err_set(err, rc, "%s", ctis_strerror(rc));
            }
            release_outs(outs, i + 1);
            mse_overlap_free(p);
            return rc;
        }
        if (outs[i].rc != 0) {
            failed = 1;
        }
    }
    if (a.json) {
        json_t *doc;
        double est;
        double se;
        double lo;
        double hi;
        int code;

        if (a.strata == NULL) {
            doc = result_json(&outs[0], &a);
        } else {
            json_t *arr = json_array();

            doc = total_json(outs, ns, &a, &est, &se, &lo, &hi, &code);
            for (i = 0; i < ns && doc != NULL && arr != NULL; i++) {
                json_t *s = result_json(&outs[i], &a);

                if (s != NULL) {
                    json_object_set_new(s, "stratum",
                                        json_string(mse_overlap_stratum(p, i)));
                }
                json_array_append_new(arr, s);
            }
            if (doc != NULL) {
                json_object_set_new(doc, "strata_column",
                                    json_string(a.strata));
                json_object_set_new(doc, "strata", arr);
            } else {
                json_decref(arr);
            }
        }
        if (doc == NULL) {
            release_outs(outs, ns);
            mse_overlap_free(p);
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        json_dumpf(doc, out,
                   JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                       JSON_REAL_PRECISION(15));
        fputc('\n', out);
        json_decref(doc);
    } else if (a.strata == NULL) {
        result_text(out, &outs[0], &a, NULL);
    } else {
        double est;
        double se;
        double lo;
        double hi;
        int code;
        json_t *tot;

        for (i = 0; i < ns; i++) {
            result_text(out, &outs[i], &a, mse_overlap_stratum(p, i));
            fputc('\n', out);
        }
        tot = total_json(outs, ns, &a, &est, &se, &lo, &hi, &code);
        json_decref(tot);
        if (code == MSE_EXIST_OK) {
            fprintf(out,
                    "total (sum of %zu strata)\nestimate      "
                    "%.2f\nse            %.4f\n%g%% interval  "
                    "%.1f to %.1f (normal, on the sum)\n",
                    ns, est, se, 100 * a.o.level, lo, hi);
        } else {
            fprintf(out, "total: none (a stratum has no estimate)\n");
        }
    }
    fflush(out);
    if (failed) {
        for (i = 0; i < ns; i++) {
            if (outs[i].rc != 0) {
                if (a.strata != NULL) {
                    ctis_err_set(err, outs[i].rc, "stratum '%s': %s",
                                 mse_overlap_stratum(p, i), outs[i].msg);
                } else {
                    ctis_err_set(err, outs[i].rc, "%s", outs[i].msg);
                }
                rc = outs[i].rc;
                break;
            }
        }
    }
    release_outs(outs, ns);
    mse_overlap_free(p);
    return failed ? rc : 0;
}
