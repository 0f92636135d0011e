/*
 * mse.h - multiple systems estimation: the size of a hidden population
 * from the overlap of several lists (docs/mse.md).
 *
 * Input is an overlap table: for k lists (2..MSE_MAX_LISTS) the number of
 * persons seen on exactly each combination of lists. A pattern is a bit
 * mask, bit i set when list i saw the person; pattern 0 (seen by no list)
 * is what we estimate. Models are Poisson log-linear models over the
 * 2^k - 1 observable cells with an intercept, the k main effects and a
 * set of two-list interactions, held as a bit mask over the k(k-1)/2 pairs
 * in the order (0,1), (0,2), ..., (0,k-1), (1,2), ... (mse_pair_index).
 * The estimate of the total is observed + exp(intercept).
 *
 * A two-list term whose pair has no overlap (no one seen by both lists)
 * is fixed at minus infinity, as in SparseMSE: the cells with both lists
 * leave the fit. Before each fit the existence and identifiability of the
 * maximum likelihood estimate are checked (Fienberg and Rinaldo's linear
 * program, as SparseMSE's checkident): a fit whose estimate does not exist
 * carries a non-zero existence code and no estimate.
 *
 * Nothing here reads files or a database: plain arrays in, structs out.
 * Parsing an overlap CSV from its fields is mse_overlap_*.
 */
#ifndef CTIS_MSE_H
#define CTIS_MSE_H

#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

#define MSE_MAX_LISTS 11
#define MSE_MAX_PAIRS 55  /* MSE_MAX_LISTS * (MSE_MAX_LISTS - 1) / 2 */
#define MSE_MAX_PARAMS 67 /* 1 + MSE_MAX_LISTS + MSE_MAX_PAIRS */
#define MSE_NAME_MAX 64
/* Largest count accepted in one cell (exact in a double). */
#define MSE_MAX_COUNT 1000000000000000.0

/* Existence codes, SparseMSE's checkident numbering. */
enum mse_existence {
    MSE_EXIST_OK = 0,       /* the estimate exists and is identifiable */
    MSE_EXIST_NO_MLE = 1,   /* the maximum likelihood estimate does not
                             * exist (some fitted cell goes to zero) */
    MSE_EXIST_NOT_IDENT = 2 /* the model is not identifiable */
};

/* Model choice. */
enum mse_method {
    MSE_METHOD_STEPWISE = 0, /* SparseMSE's stepwise rule (default) */
    MSE_METHOD_AIC,          /* smallest AIC over every model */
    MSE_METHOD_BIC,          /* smallest BIC over every model */
    MSE_METHOD_MAIN,         /* main effects only (independence) */
    MSE_METHOD_ALL,          /* every model reported; the best AIC chosen */
    MSE_METHOD_GIVEN         /* the model in mse_options.model */
};

/* How stepwise ranks the terms it could add. */
enum mse_criterion {
    MSE_CRIT_POISSON = 0, /* SparseMSE: Poisson p-value of the pair's
                           * overlap under the current model (default) */
    MSE_CRIT_LR           /* likelihood-ratio test of the added term */
};

/* Interval kinds. */
enum mse_ci {
    MSE_CI_NORMAL = 0, /* exp(intercept +- z se) + observed */
    MSE_CI_PROFILE,    /* profile likelihood in the intercept */
    MSE_CI_BOOTSTRAP,  /* percentile of a multinomial bootstrap */
    MSE_CI_BCA         /* bias-corrected and accelerated bootstrap */
};

/* ---- Overlap tables ---------------------------------------------------- */

struct mse_table {
    int k;                                   /* number of lists */
    char names[MSE_MAX_LISTS][MSE_NAME_MAX]; /* list names */
    double *count; /* 1 << k counts by pattern; count[0] is 0. Owned. */
};

/* Fill t as k lists named "L1".."Lk" with all counts 0. 0, CTIS_EINVAL
 * (k outside 2..MSE_MAX_LISTS) or CTIS_ENOMEM. Release with
 * mse_table_release. */
int mse_table_init(struct mse_table *t, int k, struct ctis_err *err);
/* Free t's counts. Accepts NULL. */
void mse_table_release(struct mse_table *t);
/* Deep copy of src into dst (uninitialised). 0 or CTIS_ENOMEM. */
int mse_table_copy(struct mse_table *dst, const struct mse_table *src,
                   struct ctis_err *err);
/* Number of persons seen by at least one list. */
double mse_table_observed(const struct mse_table *t);

/* Number of pairs of k lists, k(k-1)/2. */
int mse_npairs(int k);
/* Index of the pair of lists i < j (or j < i) among k lists. */
int mse_pair_index(int k, int i, int j);
/* The two lists (OUT: *i < *j) of pair idx among k lists. */
void mse_pair_lists(int k, int idx, int *i, int *j);
/* Persons on both lists of pair q (in any pattern). */
double mse_pair_overlap(const struct mse_table *t, int q);
/* Persons on list i (in any pattern). */
double mse_list_size(const struct mse_table *t, int i);
/* Mask of the pairs of t with no overlap (no one on both lists). */
uint64_t mse_zero_overlaps(const struct mse_table *t);
/* Write the model's two-list terms as "A:B,A:C" (empty for main effects)
 * into out of size n; always NUL-terminated. Returns the length needed. */
size_t mse_model_format(const struct mse_table *t, uint64_t pairs, char *out,
                        size_t n);
/* Parse "A:B,B:C" (list names; "main" or "" for none) into *pairs.
 * 0 or CTIS_EINVAL naming the bad term. */
int mse_model_parse(const struct mse_table *t, const char *s, uint64_t *pairs,
                    struct ctis_err *err);

/* ---- One model --------------------------------------------------------- */

/* Coefficient layout of mse_fit.coef: 0 the intercept, 1..k the main
 * effects, 1 + k + pair index the two-list terms. */
#define MSE_COEF_MAIN(i) (1 + (i))
#define MSE_COEF_PAIR(k, idx) (1 + (k) + (idx))

struct mse_fit {
    uint64_t pairs;  /* two-list terms of the model */
    uint64_t neginf; /* of those, terms fixed at -inf (no overlap) */
    int k;
    int existence;  /* enum mse_existence */
    int npar;       /* parameters fitted */
    int ncells;     /* cells in the fit (after -inf terms) */
    int df;         /* ncells - npar */
    int iterations; /* IRLS iterations */
    /* The fields below are set only when existence is MSE_EXIST_OK;
     * otherwise they are NaN. coef of a term not in the model is 0, of a
     * term fixed at minus infinity -INFINITY (its se and p are NaN). */
    double coef[MSE_MAX_PARAMS];
    double se[MSE_MAX_PARAMS];
    double p[MSE_MAX_PARAMS]; /* two-sided Wald p-values */
    double deviance;
    double loglik;      /* Poisson log-likelihood of the counts */
    double aic;         /* -2 loglik + 2 npar */
    double bic;         /* -2 loglik + npar log(observed) */
    double observed;    /* persons seen */
    double estimate;    /* observed + exp(intercept) */
    double se_estimate; /* sqrt(exp(2 b0) se(b0)^2 + exp(b0)) */
    /* Stepwise: the pair (index) that entered last and its p-value at
     * entry (Poisson or likelihood-ratio); -1 and NaN otherwise. */
    int entry_term;
    double entry_p;
};

/* Check the existence and identifiability of the model's estimate for t
 * without fitting it. OUT: *code, an enum mse_existence. 0 or
 * CTIS_ENOMEM. */
int mse_check_existence(const struct mse_table *t, uint64_t pairs, int *code,
                        struct ctis_err *err);

/* Fit the model with main effects and the two-list terms in pairs to t by
 * iteratively reweighted least squares (Cholesky on the normal
 * equations), after the existence check. Returns 0 with out filled (look
 * at out->existence: when not MSE_EXIST_OK, nothing was fitted), or
 * CTIS_ENUMERIC when the fit does not converge or the estimate is not
 * finite, or CTIS_ENOMEM. */
int mse_fit_model(const struct mse_table *t, uint64_t pairs,
                  struct mse_fit *out, struct ctis_err *err);

/* ---- Model choice and estimate ----------------------------------------- */

struct mse_options {
    int method;     /* enum mse_method; default stepwise */
    int criterion;  /* enum mse_criterion; default Poisson */
    double pthresh; /* stepwise threshold, in [0, 1]; default 0.02 */
    uint64_t model; /* for MSE_METHOD_GIVEN */
    int ci;         /* enum mse_ci; default normal */
    double level;   /* default 0.95 */
    int nboot;      /* bootstrap replicates; default 1000 */
    uint64_t seed;  /* bootstrap seed; default 1 */
};

/* Fill o with the defaults above. */
void mse_options_init(struct mse_options *o);

/* Called with each fit considered: for stepwise, the model of each step
 * (main effects first); for AIC, BIC and all, every model. The fit is
 * borrowed for the call. A non-zero return stops the selection and is
 * returned. */
typedef int (*mse_fit_cb)(void *ctx, const struct mse_fit *fit);

/* Choose a model for t by o->method and fit it into *best. cb (may be
 * NULL) sees the fits considered. Returns 0 (best->existence tells
 * whether the chosen model's estimate exists: for stepwise that fails
 * only when the main-effects model has none), CTIS_EINVAL (AIC, BIC or
 * all with more than MSE_MAX_ALL_LISTS lists), CTIS_ENUMERIC or
 * CTIS_ENOMEM. */
#define MSE_MAX_ALL_LISTS 6
int mse_select(const struct mse_table *t, const struct mse_options *o,
               struct mse_fit *best, mse_fit_cb cb, void *ctx,
               struct ctis_err *err);

struct mse_interval {
    int method; /* enum mse_ci */
    double level;
    double lower; /* of the total population; upper may be INFINITY */
    double upper; /* when the profile likelihood never drops enough */
    int nboot;    /* bootstrap replicates used (0 otherwise) */
    int nfailed;  /* replicates whose chosen model had no estimate */
};

/* Normal interval on the intercept: observed + exp(b0 -+ z se(b0)). fit
 * must exist. 0 or CTIS_ENUMERIC. */
int mse_interval_normal(const struct mse_fit *fit, double level,
                        struct mse_interval *out, struct ctis_err *err);
/* Profile likelihood interval for the total N, as the R package
 * Rcapture: the multinomial likelihood of N with the model refitted to
 * the complete table for each N, bounded where twice its drop reaches
 * the chi-square(1) quantile. The upper end may be INFINITY. 0,
 * CTIS_ENUMERIC or CTIS_ENOMEM. */
int mse_interval_profile(const struct mse_table *t, const struct mse_fit *fit,
                         double level, struct mse_interval *out,
                         struct ctis_err *err);
/* Bootstrap: o->nboot multinomial resamples of t's persons, each redoing
 * the model choice of o; OUT: the percentile interval *pct and the BCa
 * interval *bca (jackknife acceleration over persons); either may be
 * NULL. estimate is the estimate from t itself. Reproducible from
 * o->seed. 0, CTIS_EINVAL (fewer than 2 replicates), CTIS_ENUMERIC (more
 * than half the replicates without an estimate, or BCa undefined) or
 * CTIS_ENOMEM. */
int mse_bootstrap(const struct mse_table *t, const struct mse_options *o,
                  double estimate, struct mse_interval *pct,
                  struct mse_interval *bca, struct ctis_err *err);

/*
 * The next-best model: the one the method would have chosen had its
 * closest decision gone the other way (docs/mse.md, "Stability").
 *  - stepwise: the chosen model plus the term that came nearest to
 *    entering at the last step (added = 1); when no term could enter,
 *    the chosen model without its last term (added = 0);
 *  - main effects and a given model: the model plus the term stepwise
 *    would add first (the smallest Poisson p-value);
 *  - AIC, BIC, all: the model of second smallest AIC or BIC (term -1).
 */
struct mse_next {
    int found;      /* 0: there is no alternative (nothing else exists) */
    uint64_t pairs; /* its two-list terms */
    int term;       /* the pair added or removed, or -1 */
    int added;      /* 1: term added to the chosen model; 0: removed */
    double p;       /* term's p-value at that decision (NaN for AIC/BIC) */
};

/* Warnings every estimate carries (bits of mse_result.warnings). */
#define MSE_WARN_FEW_LISTS 1u  /* fewer than MSE_FEW_LISTS lists */
#define MSE_WARN_SMALL_LIST 2u /* a list has under MSE_SMALL_LIST persons */
#define MSE_WARN_UNSTABLE                                                      \
    4u /* the next-best model's estimate is more                               \
        * than one standard error away */
#define MSE_FEW_LISTS 4
#define MSE_SMALL_LIST 20

struct mse_result {
    struct mse_fit fit;      /* the chosen model */
    struct mse_interval ci;  /* the interval of o->ci */
    struct mse_next next;    /* the next-best model's terms... */
    struct mse_fit next_fit; /* ...and fit (when next.found) */
    /* (next_fit.estimate - fit.estimate) / fit.se_estimate; NaN when
     * there is no next-best model or it has no estimate. */
    double shift;
    unsigned warnings; /* MSE_WARN_* */
};

/* Model choice, fit, the interval asked in o, the next-best model and the
 * warnings. Returns 0 with out->fit.existence MSE_EXIST_OK, or
 * CTIS_ENUMERIC when the chosen model's estimate does not exist
 * (out->fit.existence says why; the message too) or its interval could
 * not be computed, or another negative code. cb as in mse_select (it
 * does not see the next-best model's fit). */
int mse_estimate(const struct mse_table *t, const struct mse_options *o,
                 struct mse_result *out, mse_fit_cb cb, void *ctx,
                 struct ctis_err *err);

/* The default estimate, for reports: stepwise (p 0.02), with the 95%
 * normal and profile intervals, the next-best model and the warnings. */
struct mse_summary {
    int existence;     /* enum mse_existence; the rest is NaN unless OK */
    unsigned warnings; /* MSE_WARN_*, as mse_result */
    double shift;      /* as mse_result */
    uint64_t pairs;    /* the chosen model */
    struct mse_next next; /* the next-best model (next.found 0: none) */
    int next_existence;   /* its existence code (when next.found) */
    double next_estimate; /* its estimate; NaN when it has none */
    double observed;
    double estimate;
    double se;
    double deviance;
    int df;
    double aic;
    double level; /* 0.95 */
    double normal_lower, normal_upper;
    double profile_lower, profile_upper; /* upper may be INFINITY */
};

/*
 * Main effects, stepwise, AIC and BIC on one table, side by side, each
 * with the interval (and criterion, threshold, bootstrap settings) of o.
 */
#define MSE_COMPARE_N 4
struct mse_comparison {
    int method[MSE_COMPARE_N]; /* MSE_METHOD_MAIN, _STEPWISE, _AIC, _BIC */
    struct mse_result r[MSE_COMPARE_N];
    /* 0, or why method i gave no figure: CTIS_ENUMERIC (no estimate or
     * no interval: r[i] says how far it got), CTIS_EINVAL (AIC and BIC
     * beyond MSE_MAX_ALL_LISTS lists). */
    int rc[MSE_COMPARE_N];
    char msg[MSE_COMPARE_N][CTIS_ERR_MSG_MAX];
};

/* Fill *out. Returns 0 (look at out->rc), or CTIS_EINVAL for a bad
 * level, or CTIS_ENOMEM. */
int mse_compare(const struct mse_table *t, const struct mse_options *o,
                struct mse_comparison *out, struct ctis_err *err);

/* The stable code of a warning bit ("few_lists", "small_list",
 * "unstable"), for JSON. */
const char *mse_warning_code(unsigned warning);
/* One line of text for warning bit w of r (computed for t): what is
 * wrong, with the figures, e.g. "list 'B' has 6 persons (under 20)".
 * Written into out of size n, always NUL-terminated. */
void mse_warning_text(const struct mse_table *t, const struct mse_result *r,
                      unsigned w, char *out, size_t n);

/* The same line for a default estimate s of t. List sizes below
 * hide_below are written as "under HIDE_BELOW" (disclosure control: a
 * published report shows no count under its threshold); 0 writes every
 * size. */
void mse_summary_warning_text(const struct mse_table *t,
                              const struct mse_summary *s, unsigned w,
                              double hide_below, char *out, size_t n);
/* Whether an estimate whose next-best model moves it by shift standard
 * errors (mse_result.shift) is stable: 1 stable, 0 unstable (the
 * MSE_WARN_UNSTABLE rule), -1 not assessed (shift is NaN). */
int mse_stable(double shift);

/* The stable code of an existence value: "ok", "mle_does_not_exist" or
 * "not_identifiable" (the JSON and report value). */
const char *mse_existence_code(int existence);

/* Fill *out with the default estimate for t. Returns 0 (check
 * out->existence), or a negative code with err set: CTIS_ENUMERIC when an
 * interval could not be computed (the estimate and whatever was computed
 * before are filled in, the rest is NaN), CTIS_ENOMEM. */
int mse_default_estimate(const struct mse_table *t, struct mse_summary *out,
                         struct ctis_err *err);

/* ---- Overlap CSV parsing -----------------------------------------------
 * Turns the rows of an overlap CSV (as fields, so no file is needed) into
 * tables: a header of list columns, a "count" column and optionally a
 * stratum column; each row one pattern of 0/1 values and its count.
 * Missing patterns count 0. Refused, as "NAME:LINE: field 'COL': reason":
 * a value other than 0 or 1, a count that is not a whole number >= 0, a
 * duplicate pattern, fewer than two lists, an all-zero pattern, a list
 * with no one on it. */
struct mse_overlap;

/* New parser; name is used in messages (copied); strata_column names the
 * stratum column or is NULL. *out owned by the caller (mse_overlap_free).
 * 0 or CTIS_ENOMEM. */
int mse_overlap_new(struct mse_overlap **out, const char *name,
                    const char *strata_column, struct ctis_err *err);
/* Free. Accepts NULL. */
void mse_overlap_free(struct mse_overlap *p);
/* Give the header row (fields borrowed for the call), read at line.
 * 0 or CTIS_EINVAL. */
int mse_overlap_header(struct mse_overlap *p, size_t nfields,
                       const char *const *fields, long line,
                       struct ctis_err *err);
/* Give one data row. 0, CTIS_EINVAL or CTIS_ENOMEM. */
int mse_overlap_row(struct mse_overlap *p, size_t nfields,
                    const char *const *fields, long line, struct ctis_err *err);
/* After the last row: check the lists. 0 or CTIS_EINVAL. */
int mse_overlap_finish(struct mse_overlap *p, struct ctis_err *err);
/* Number of strata (1 without a stratum column). */
size_t mse_overlap_nstrata(const struct mse_overlap *p);
/* Stratum i's value ("" without a stratum column), in order of first
 * appearance; borrowed until mse_overlap_free. */
const char *mse_overlap_stratum(const struct mse_overlap *p, size_t i);
/* Stratum i's table; borrowed until mse_overlap_free. */
const struct mse_table *mse_overlap_table(const struct mse_overlap *p,
                                          size_t i);

/* ---- Small numerical helpers ------------------------------------------- */

/* min(P(X <= n), P(X >= n)) for X ~ Poisson(mu): SparseMSE's p-value of
 * an observed overlap n whose model expectation is mu (n >= 0, mu >= 0;
 * mu = 0 gives 1 for n = 0, else 0). */
double mse_ppois_tail(double n, double mu);

/* Standard normal distribution function and its inverse (p in (0,1)). */
double mse_pnorm(double x);
double mse_qnorm(double p);

#endif
