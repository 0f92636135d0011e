/*
 * test_stepwise.c - SparseMSE's stepwise rule (Poisson p-values of the
 * pairs' overlaps, terms at minus infinity), against SparseMSE's published
 * Netherlands estimate and two small tables worked by hand on which the
 * likelihood-ratio criterion chooses differently (on the second, each
 * criterion adds a term, a different one); the Poisson tail; the
 * next-best model, the warnings and the comparison of methods.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mse/mse.h"
#include "mse/mse_int.h" /* mse_candidates: the p-values of one step */

static void make_table(struct mse_table *t, int k, const char *const *names,
                       const int (*rows)[8], size_t nrows)
{
    size_t r;
    int i;

    assert_int_equal(mse_table_init(t, k, NULL), 0);
    for (i = 0; i < k; i++) {
        ctis_strlcpy(t->names[i], names[i], sizeof t->names[i]);
    }
    for (r = 0; r < nrows; r++) {
        int c = 0;

        for (i = 0; i < k; i++) {
            c |= rows[r][i] << i;
        }
        t->count[c] = rows[r][k];
    }
}

/*
 * Netherlands, six lists, 8234 persons (Silverman 2020, Table 2; the data
 * set Ned of the R package SparseMSE). SparseMSE's stepwise estimate is
 * 111,139; the likelihood-ratio rule gave 110,029.
 */
static const char *const ned_names[] = {"I", "K", "O", "P", "R", "Z"};
static const int ned_rows[][8] = {
    {1, 0, 1, 1, 0, 0, 4},   {1, 0, 1, 0, 0, 0, 1},    {1, 0, 0, 1, 0, 1, 4},
    {1, 0, 0, 1, 0, 0, 18},  {1, 0, 0, 0, 1, 0, 3},    {1, 0, 0, 0, 0, 1, 16},
    {1, 0, 0, 0, 0, 0, 352}, {0, 1, 1, 0, 0, 0, 1},    {0, 1, 0, 1, 0, 0, 44},
    {0, 1, 0, 0, 0, 1, 4},   {0, 1, 0, 0, 0, 0, 1299}, {0, 0, 1, 1, 1, 0, 2},
    {0, 0, 1, 1, 0, 1, 7},   {0, 0, 1, 1, 0, 0, 59},   {0, 0, 1, 0, 1, 0, 2},
    {0, 0, 1, 0, 0, 1, 57},  {0, 0, 1, 0, 0, 0, 403},  {0, 0, 0, 1, 1, 1, 1},
    {0, 0, 0, 1, 1, 0, 82},  {0, 0, 0, 1, 0, 1, 125},  {0, 0, 0, 1, 0, 0, 4466},
    {0, 0, 0, 0, 1, 1, 2},   {0, 0, 0, 0, 1, 0, 650},  {0, 0, 0, 0, 0, 1, 632}};

static uint64_t model_of(const struct mse_table *t, const char *s)
{
    uint64_t m = 0;

    assert_int_equal(mse_model_parse(t, s, &m, NULL), 0);
    return m;
}

struct steps {
    int n;
    uint64_t pairs[32];
    double p[32];
};

static int on_step(void *p, const struct mse_fit *f)
{
    struct steps *s = p;

    if (s->n < 32) {
        s->p[s->n] = f->entry_p;
        s->pairs[s->n++] = f->pairs;
    }
    return 0;
}

static void test_netherlands(void **state)
{
    static const char *order[] = {"O:Z", "P:Z", "I:Z", "P:R",
                                  "O:P", "K:R", "I:K", "K:O"};
    struct mse_table t;
    struct mse_options o;
    struct mse_fit f;
    struct steps s;
    uint64_t cur = 0;
    int i;

    (void)state;
    make_table(&t, 6, ned_names, ned_rows,
               sizeof ned_rows / sizeof ned_rows[0]);
    assert_true(mse_table_observed(&t) == 8234);
    mse_options_init(&o);
    memset(&s, 0, sizeof s);
    assert_int_equal(mse_select(&t, &o, &f, on_step, &s, NULL), 0);
    assert_int_equal(f.existence, MSE_EXIST_OK);
    /* SparseMSE: 111,139. */
    assert_true(round(f.estimate) == 111139);
    /* I:K and K:R have no overlap yet enter, at minus infinity. */
    assert_int_equal(f.pairs, model_of(&t, "I:K,I:Z,K:O,K:R,O:P,O:Z,P:R,P:Z"));
    assert_int_equal(f.neginf, model_of(&t, "I:K,K:R"));
    assert_true(isinf(f.coef[MSE_COEF_PAIR(6, mse_pair_index(6, 1, 4))]));
    assert_int_equal(s.n, 9);
    for (i = 0; i < 8; i++) {
        cur |= model_of(&t, order[i]);
        assert_int_equal(s.pairs[i + 1], cur);
        assert_true(s.p[i + 1] < 0.02);
    }
    /* The likelihood-ratio rule never adds a pair without overlap. */
    o.criterion = MSE_CRIT_LR;
    assert_int_equal(mse_select(&t, &o, &f, NULL, NULL, NULL), 0);
    assert_true(fabs(f.estimate - 110029.02) < 0.01);
    assert_int_equal(f.pairs, model_of(&t, "I:Z,K:O,K:P,O:P,O:Z,P:R,P:Z"));
    assert_int_equal(f.neginf, 0);
    mse_table_release(&t);
}

/*
 * A table on which the two criteria choose differently, worked by hand.
 *
 *     A B C  count          main effects fitted
 *     1 0 0  25             20
 *     0 1 0  20             40
 *     0 0 1  25             20
 *     1 1 0  35             20
 *     1 0 1   0             10
 *     0 1 1  35             20
 *     1 1 1   0             10
 *
 * Main effects: with exp(b0) = 40, exp(bA) = exp(bC) = 1/2, exp(bB) = 1
 * the fitted values (right) give the observed total 140 and list totals
 * A 60, B 90, C 60, so they are the maximum likelihood fit (the
 * likelihood equations of the Poisson log-linear model are these
 * totals); the estimate is 140 + 40 = 180.
 * Poisson p-values of the pairs under it, p = min(P(X <= n), P(X >= n))
 * for X ~ Poisson(mu), n observed on both lists, mu fitted on both
 * (ppois(n, mu) and 1 - ppois(n - 1, mu) in R):
 *     A:B  n = 35, mu = 20 + 10 = 30: P(X <= 35) = 0.8426,
 *                                     P(X >= 35) = 0.2027   p = 0.2027
 *     A:C  n = 0,  mu = 10 + 10 = 20: P(X <= 0) = exp(-20) = 2.06e-9,
 *                                     P(X >= 0) = 1         p = 2.06e-9
 *     B:C  n = 35, mu = 20 + 10 = 30: the same as A:B       p = 0.2027
 * A:C is the smallest, below 0.02, and its model exists (five positive
 * cells, four parameters), so A:C enters at minus infinity: cells AC and
 * ABC leave the fit. The main-effects model on the five cells left has
 * total 140, A 60, B 90, C 60; with exp(b0) = 100/7, exp(bA) = exp(bC) =
 * 7/4, exp(bB) = 7/5 it fits every cell exactly (25, 20, 25, 35, 35), so
 * the estimate is 140 + 100/7 = 154.2857. Next step (A:C is in):
 *     A:B  n = 35, mu = 35: P(X <= 35) = 0.5448, P(X >= 35) = 0.5225
 *     B:C  n = 35, mu = 35: the same                p = 0.5225
 * both above 0.02: no term enters.
 *
 * The likelihood-ratio rule cannot add A:C (no overlap) and A:B's
 * deviance drop, p = 0.054, is above 0.02: it stays at main effects, 180.
 */
static const char *const abc_names[] = {"A", "B", "C"};
static const int abc_rows[][8] = {
    {1, 0, 0, 25}, {0, 1, 0, 20}, {0, 0, 1, 25}, {1, 1, 0, 35}, {0, 1, 1, 35}};

static void test_poisson_and_lr_differ(void **state)
{
    struct mse_table t;
    struct mse_options o;
    struct mse_fit f;
    struct steps s;

    (void)state;
    make_table(&t, 3, abc_names, abc_rows,
               sizeof abc_rows / sizeof abc_rows[0]);
    mse_options_init(&o);
    memset(&s, 0, sizeof s);
    assert_int_equal(mse_select(&t, &o, &f, on_step, &s, NULL), 0);
    assert_int_equal(s.n, 2);
    assert_true(fabs(s.p[1] - exp(-20)) < 1e-12 * exp(-20));
    assert_int_equal(f.pairs, model_of(&t, "A:C"));
    assert_int_equal(f.neginf, f.pairs);
    assert_true(fabs(f.estimate - (140 + 100.0 / 7)) < 1e-6);
    assert_true(fabs(f.coef[0] - log(100.0 / 7)) < 1e-9);
    o.criterion = MSE_CRIT_LR;
    assert_int_equal(mse_select(&t, &o, &f, NULL, NULL, NULL), 0);
    assert_int_equal(f.pairs, 0);
    assert_true(fabs(f.estimate - 180) < 1e-6);
    assert_true(fabs(f.coef[MSE_COEF_MAIN(0)] - log(0.5)) < 1e-9);
    /* The thresholds at the edges: 0 gives main effects; 1 adds every
     * term that can enter. */
    o.criterion = MSE_CRIT_POISSON;
    o.pthresh = 0;
    assert_int_equal(mse_select(&t, &o, &f, NULL, NULL, NULL), 0);
    assert_int_equal(f.pairs, 0);
    o.pthresh = 1;
    assert_int_equal(mse_select(&t, &o, &f, NULL, NULL, NULL), 0);
    assert_int_equal(f.existence, MSE_EXIST_OK);
    assert_true((f.pairs & model_of(&t, "A:C")) != 0);
    mse_table_release(&t);
}

/*
 * A table on which both criteria add a term, each a different one: the
 * Poisson rule A:C (at minus infinity), the likelihood-ratio rule B:C.
 *
 *     A B C  count          main effects fitted
 *     1 0 0  12              7
 *     0 1 0  14             28
 *     0 0 1  30             28
 *     1 1 0  16              7
 *     1 0 1   0              7
 *     0 1 1  40             28
 *     1 1 1   0              7
 *
 * Main effects: exp(b0) = 28, exp(bA) = 1/4, exp(bB) = exp(bC) = 1 give
 * the fitted values (right), whose total 112 and list totals A 28, B 70,
 * C 70 are the observed ones: they are the maximum likelihood fit.
 * Estimate 112 + 28 = 140.
 * Poisson p-values, p = min(P(X <= n), P(X >= n)), X ~ Poisson(mu):
 *     A:B  n = 16, mu = 7 + 7 = 14:   P(X <= 16) = 0.7559,
 *                                     P(X >= 16) = 0.3306   p = 0.3306
 *     A:C  n = 0,  mu = 7 + 7 = 14:   P(X <= 0) = exp(-14) = 8.315e-7,
 *                                     P(X >= 0) = 1         p = 8.315e-7
 *     B:C  n = 40, mu = 28 + 7 = 35:  P(X <= 40) = 0.8249,
 *                                     P(X >= 40) = 0.2198   p = 0.2198
 * A:C is the smallest and below 0.02 (its model exists: five positive
 * cells, four parameters): it enters at minus infinity and cells AC, ABC
 * leave the fit. On the five cells left, 16 x 30 = 12 x 40 (AB C = A BC),
 * so main effects fit them exactly: exp(b0) = 10.5, exp(bA) = 8/7,
 * exp(bB) = 4/3, exp(bC) = 20/7 give 12, 14, 30, 16, 40. Estimate
 * 112 + 10.5 = 122.5. Next step:
 *     A:B  n = 16, mu = 16:  P(X <= 16) = 0.5660, P(X >= 16) = 0.5333
 *     B:C  n = 40, mu = 40:  P(X <= 40) = 0.5419, P(X >= 40) = 0.5210
 * both above 0.02: the Poisson rule stops at A:C, 122.5.
 *
 * The likelihood-ratio rule cannot add A:C (no overlap). With B:C, A is
 * independent of (B, C): the share of each (B, C) pattern seen by A is
 * r = (28 - 12) / (30 + 30 + 40) = 0.16, the fitted values are 12, 25.2,
 * 25.2, 4.8, 4.8, 33.6, 6.4, the deviance falls from 52.655 to 46.479
 * (6.176 on 1 df, p = 0.0129 < 0.02) and the estimate is 112 + 12 x
 * 0.84 / 0.16 = 175. With A:B instead it falls only to 51.821 (0.834,
 * p = 0.361). So B:C enters; nothing more does (the test checks it).
 */
static const int lr_rows[][8] = {
    {1, 0, 0, 12}, {0, 1, 0, 14}, {0, 0, 1, 30}, {1, 1, 0, 16}, {0, 1, 1, 40}};

static void test_criteria_add_different_terms(void **state)
{
    struct mse_table t;
    struct mse_options o;
    struct mse_fit f;
    struct steps s;
    double pv[MSE_MAX_PAIRS];
    int q;

    (void)state;
    make_table(&t, 3, abc_names, lr_rows, sizeof lr_rows / sizeof lr_rows[0]);
    /* The main-effects fit and the candidates' p-values of the comment. */
    assert_int_equal(mse_fit_model(&t, 0, &f, NULL), 0);
    assert_true(fabs(f.estimate - 140) < 1e-6);
    assert_true(fabs(f.coef[0] - log(28.0)) < 1e-9);
    assert_true(fabs(f.coef[MSE_COEF_MAIN(0)] - log(0.25)) < 1e-9);
    assert_true(fabs(f.deviance - 52.65507710812467) < 1e-8);
    assert_int_equal(mse_candidates(&t, &f, pv, &q, NULL), 0);
    assert_int_equal(q, mse_pair_index(3, 0, 2));
    assert_true(fabs(pv[mse_pair_index(3, 0, 1)] - 0.33064) < 1e-5);
    assert_true(fabs(pv[mse_pair_index(3, 0, 2)] - exp(-14)) <
                1e-12 * exp(-14));
    assert_true(fabs(pv[mse_pair_index(3, 1, 2)] - 0.21981) < 1e-5);
    /* Poisson: A:C at minus infinity, then stop. */
    mse_options_init(&o);
    memset(&s, 0, sizeof s);
    assert_int_equal(mse_select(&t, &o, &f, on_step, &s, NULL), 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(f.pairs, model_of(&t, "A:C"));
    assert_int_equal(f.neginf, f.pairs);
    assert_true(fabs(f.estimate - 122.5) < 1e-6);
    assert_true(fabs(f.coef[0] - log(10.5)) < 1e-9);
    assert_int_equal(mse_candidates(&t, &f, pv, &q, NULL), 0);
    assert_true(fabs(pv[mse_pair_index(3, 0, 1)] - 0.533255) < 1e-6);
    assert_true(fabs(pv[mse_pair_index(3, 1, 2)] - 0.521029) < 1e-6);
    /* Likelihood ratio: B:C, then stop. */
    o.criterion = MSE_CRIT_LR;
    memset(&s, 0, sizeof s);
    assert_int_equal(mse_select(&t, &o, &f, on_step, &s, NULL), 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(f.pairs, model_of(&t, "B:C"));
    assert_int_equal(f.neginf, 0);
    assert_true(fabs(s.p[1] - 0.012945812482624863) < 1e-8);
    assert_true(fabs(f.deviance - 46.47857732143951) < 1e-8);
    assert_true(fabs(f.estimate - 175) < 1e-6);
    assert_int_equal(mse_fit_model(&t, model_of(&t, "A:B"), &f, NULL), 0);
    assert_true(fabs(f.deviance - 51.82103681582018) < 1e-8);
    assert_true(fabs(f.estimate - 143.5) < 1e-6);
    mse_table_release(&t);
}

/* The smaller Poisson tail, against mpmath's incomplete gamma function
 * (40 digits). */
static void test_poisson_tail(void **state)
{
    static const struct {
        double n, mu, p;
    } cases[] = {{35, 30, 0.202691674516883},
                 {35, 35, 0.522481190429942},
                 {5, 50, 5.567756260698089e-16},
                 {10, 1, 1.1142547833872067e-07},
                 {1000, 500, 3.2982727970671e-86},
                 {1000, 2000, 1.370835287228024e-135},
                 {100000, 101000, 0.0008172078136772389}};
    size_t i;

    (void)state;
    assert_true(fabs(mse_ppois_tail(0, 20) - exp(-20)) < 1e-14 * exp(-20));
    assert_true(mse_ppois_tail(0, 0) == 1);
    assert_true(mse_ppois_tail(3, 0) == 0);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double p = mse_ppois_tail(cases[i].n, cases[i].mu);

        if (!(fabs(p - cases[i].p) < 1e-8 * cases[i].p)) {
            fail_msg("n %g mu %g: %.17g, expected %.17g", cases[i].n,
                     cases[i].mu, p, cases[i].p);
        }
    }
    /* Huge counts stay finite and ordered. */
    assert_true(mse_ppois_tail(1e12, 1e12) > 0.49);
    assert_true(mse_ppois_tail(1e12, 1.001e12) < 1e-100);
}

/* Next-best model and warnings. */
static void test_next_best(void **state)
{
    struct mse_table t;
    struct mse_options o;
    struct mse_result r;
    char text[CTIS_ERR_MSG_MAX];

    (void)state;
    make_table(&t, 3, abc_names, abc_rows,
               sizeof abc_rows / sizeof abc_rows[0]);
    mse_options_init(&o);
    /* Stepwise stopped before A:B (p 0.5225): adding it keeps every
     * fitted cell (the five cells are then saturated), so the estimate
     * does not move. */
    assert_int_equal(mse_estimate(&t, &o, &r, NULL, NULL, NULL), 0);
    assert_true(r.next.found);
    assert_int_equal(r.next.added, 1);
    assert_int_equal(r.next.pairs, model_of(&t, "A:B,A:C"));
    assert_true(fabs(r.next.p - 0.522481190429942) < 1e-8);
    assert_true(fabs(r.shift) < 1e-6);
    assert_int_equal(r.warnings, MSE_WARN_FEW_LISTS);
    mse_warning_text(&t, &r, MSE_WARN_FEW_LISTS, text, sizeof text);
    assert_non_null(strstr(text, "only 3 lists"));
    /* The likelihood-ratio rule stays at main effects (180, se 10.95);
     * its next-best adds A:B and gives 197.14: unstable. */
    o.criterion = MSE_CRIT_LR;
    assert_int_equal(mse_estimate(&t, &o, &r, NULL, NULL, NULL), 0);
    assert_int_equal(r.next.pairs, model_of(&t, "A:B"));
    assert_true(r.shift > 1);
    assert_true(r.warnings & MSE_WARN_UNSTABLE);
    mse_warning_text(&t, &r, MSE_WARN_UNSTABLE, text, sizeof text);
    assert_non_null(strstr(text, "(A:B) gives 197.14"));
    assert_string_equal(mse_warning_code(MSE_WARN_UNSTABLE), "unstable");
    /* A small list. */
    t.count[4] = 5;
    t.count[6] = 5;
    o.criterion = MSE_CRIT_POISSON;
    assert_int_equal(mse_estimate(&t, &o, &r, NULL, NULL, NULL), 0);
    assert_true(r.warnings & MSE_WARN_SMALL_LIST);
    mse_warning_text(&t, &r, MSE_WARN_SMALL_LIST, text, sizeof text);
    assert_non_null(strstr(text, "'C' (10)"));
    mse_table_release(&t);
}

/* Main effects, stepwise, AIC and BIC side by side. */
static void test_compare(void **state)
{
    struct mse_table t;
    struct mse_options o;
    struct mse_comparison *c = ctis_malloc(sizeof *c);
    int i;

    (void)state;
    assert_non_null(c);
    make_table(&t, 6, ned_names, ned_rows,
               sizeof ned_rows / sizeof ned_rows[0]);
    mse_options_init(&o);
    assert_int_equal(mse_compare(&t, &o, c, NULL), 0);
    assert_int_equal(c->method[0], MSE_METHOD_MAIN);
    assert_int_equal(c->method[1], MSE_METHOD_STEPWISE);
    for (i = 0; i < MSE_COMPARE_N; i++) {
        assert_int_equal(c->rc[i], 0);
        assert_true(c->r[i].ci.lower < c->r[i].fit.estimate);
        assert_true(c->r[i].fit.estimate < c->r[i].ci.upper);
    }
    assert_true(fabs(c->r[0].fit.estimate - 52823.46) < 0.01);
    assert_true(round(c->r[1].fit.estimate) == 111139);
    /* AIC and BIC never choose a term at minus infinity. */
    assert_int_equal(c->r[2].fit.neginf, 0);
    assert_int_equal(c->r[3].fit.neginf, 0);
    assert_true(c->r[3].fit.bic <= c->r[0].fit.bic);
    mse_table_release(&t);
    ctis_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_netherlands),
        cmocka_unit_test(test_poisson_and_lr_differ),
        cmocka_unit_test(test_criteria_add_different_terms),
        cmocka_unit_test(test_poisson_tail),
        cmocka_unit_test(test_next_best),
        cmocka_unit_test(test_compare),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
