/*
 * test_mse.c - multiple systems estimation against published results
 * (shared/data/mse/README.md: SparseMSE and Rcapture on the UK 2013
 * five-list data; the existence codes of SparseMSE's checkident on an
 * artificial three-list table) and against properties that hold exactly:
 * Petersen's two-list estimate, recovery of N from exact expected
 * counts, scale invariance, huge and separated counts, reproducible
 * bootstraps and clean out-of-memory failures.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mse/mse.h"

/* UK 2013: LA, NG, PFNCA, GO, GP; rows of the published CSV. */
static const int uk_rows[][6] = {
    {1, 0, 0, 0, 0, 54},  {0, 1, 0, 0, 0, 463}, {0, 0, 1, 0, 0, 995},
    {0, 0, 0, 1, 0, 695}, {0, 0, 0, 0, 1, 316}, {1, 1, 0, 0, 0, 15},
    {1, 0, 1, 0, 0, 19},  {1, 0, 0, 1, 0, 3},   {0, 1, 1, 0, 0, 62},
    {0, 1, 0, 1, 0, 19},  {0, 1, 0, 0, 1, 1},   {0, 0, 1, 1, 0, 76},
    {0, 0, 1, 0, 1, 11},  {0, 0, 0, 1, 1, 8},   {1, 1, 1, 0, 0, 1},
    {1, 1, 0, 1, 0, 1},   {0, 1, 1, 1, 0, 4},   {1, 1, 1, 1, 0, 1}};

static void uk_table(struct mse_table *t)
{
    static const char *names[] = {"LA", "NG", "PFNCA", "GO", "GP"};
    size_t r;
    int i;

    assert_int_equal(mse_table_init(t, 5, NULL), 0);
    for (i = 0; i < 5; i++) {
        ctis_strlcpy(t->names[i], names[i], sizeof t->names[i]);
    }
    for (r = 0; r < sizeof uk_rows / sizeof uk_rows[0]; r++) {
        int c = 0;

        for (i = 0; i < 5; i++) {
            c |= uk_rows[r][i] << i;
        }
        t->count[c] = uk_rows[r][5];
    }
}

static void artificial_table(struct mse_table *t)
{
    assert_int_equal(mse_table_init(t, 3, NULL), 0);
    ctis_strlcpy(t->names[0], "A", sizeof t->names[0]);
    ctis_strlcpy(t->names[1], "B", sizeof t->names[1]);
    ctis_strlcpy(t->names[2], "C", sizeof t->names[2]);
    t->count[1] = 40;
    t->count[2] = 30;
    t->count[4] = 20;
    t->count[3] = 6;
}

/* x printed with `digits` decimals reads `expected`. */
static void assert_printed(double x, int digits, double expected)
{
    double scale = pow(10, digits);
    double r = round(x * scale) / scale;

    if (fabs(r - expected) > 1e-9 * (1 + fabs(expected))) {
        fail_msg("%.*f printed, %.*f published", digits + 3, x, digits,
                 expected);
    }
}

static uint64_t model_of(const struct mse_table *t, const char *s)
{
    uint64_t m = 0;

    assert_int_equal(mse_model_parse(t, s, &m, NULL), 0);
    return m;
}

struct steps {
    int n;
    uint64_t pairs[16];
};

static int on_step(void *p, const struct mse_fit *f)
{
    struct steps *s = p;

    if (s->n < 16) {
        s->pairs[s->n++] = f->pairs;
    }
    return 0;
}

/* SparseMSE's published UK fit, every figure to its printed precision. */
static void test_uk_stepwise(void **state)
{
    struct mse_table t;
    struct mse_options o;
    struct mse_fit f;
    struct mse_interval iv;
    struct steps s;
    static const char *order[] = {"LA:NG",    "NG:GP", "PFNCA:GP",
                                  "LA:PFNCA", "GO:GP", "NG:GO"};
    uint64_t cur = 0;
    int i;

    (void)state;
    uk_table(&t);
    mse_options_init(&o);
    memset(&s, 0, sizeof s);
    assert_int_equal(mse_select(&t, &o, &f, on_step, &s, NULL), 0);
    assert_int_equal(f.existence, MSE_EXIST_OK);
    assert_int_equal(f.pairs,
                     model_of(&t, "LA:NG,NG:GP,PFNCA:GP,LA:PFNCA,GO:GP,"
                                  "NG:GO"));
    /* The terms entered in the published order. */
    assert_int_equal(s.n, 7);
    assert_int_equal(s.pairs[0], 0);
    for (i = 0; i < 6; i++) {
        cur |= model_of(&t, order[i]);
        assert_int_equal(s.pairs[i + 1], cur);
    }
    assert_printed(f.estimate, 2, 11312.99);
    assert_printed(f.coef[0], 7, 9.0559052);
    assert_printed(f.se_estimate, 4, 802.7264);
    assert_printed(f.deviance, 5, 16.35138);
    assert_int_equal(f.df, 19);
    assert_printed(f.aic, 4, 127.5986);
    assert_int_equal(mse_interval_normal(&f, 0.95, &iv, NULL), 0);
    assert_printed(iv.lower, 1, 9884.4);
    assert_printed(iv.upper, 1, 13027.4);
    assert_int_equal(mse_interval_profile(&t, &f, 0.95, &iv, NULL), 0);
    assert_printed(iv.lower, 1, 9889.2);
    assert_printed(iv.upper, 1, 13063.1);
    /* The likelihood-ratio criterion picks the same terms in the same
     * order here. */
    o.criterion = MSE_CRIT_LR;
    memset(&s, 0, sizeof s);
    assert_int_equal(mse_select(&t, &o, &f, on_step, &s, NULL), 0);
    assert_int_equal(s.n, 7);
    assert_int_equal(s.pairs[6], cur);
    assert_printed(f.estimate, 2, 11312.99);
    mse_table_release(&t);
}

/* The summary the datasheet uses gives the same figures. */
static void test_default_estimate(void **state)
{
    struct mse_table t;
    struct mse_summary s;

    (void)state;
    uk_table(&t);
    assert_int_equal(mse_default_estimate(&t, &s, NULL), 0);
    assert_int_equal(s.existence, MSE_EXIST_OK);
    assert_printed(s.estimate, 2, 11312.99);
    assert_printed(s.se, 4, 802.7264);
    assert_printed(s.normal_lower, 1, 9884.4);
    assert_printed(s.normal_upper, 1, 13027.4);
    assert_printed(s.profile_lower, 1, 9889.2);
    assert_printed(s.profile_upper, 1, 13063.1);
    assert_int_equal(s.df, 19);
    /* The next-best model adds LA:GP (p 0.113): 11174.83, 0.17 standard
     * errors below; stable, and five lists of 54 persons or more carry
     * no warning. */
    assert_true(s.next.found && s.next.added);
    assert_int_equal(s.next.pairs, s.pairs | model_of(&t, "LA:GP"));
    assert_int_equal(s.next_existence, MSE_EXIST_OK);
    assert_printed(s.next.p, 3, 0.113);
    assert_printed(s.next_estimate, 2, 11174.83);
    assert_printed(s.shift, 2, -0.17);
    assert_int_equal(mse_stable(s.shift), 1);
    assert_int_equal(s.warnings, 0);
    mse_table_release(&t);
}

/* The datasheet's summary of a four-list table whose estimate is
 * unstable, with a list of 8 persons (tests/report/data/unstable.csv,
 * lists police, shelter, ministry, clinic): the same next-best model,
 * shift and warnings as mse_estimate, and the small list's size hidden
 * under a disclosure threshold of 11. */
static void test_summary_unstable(void **state)
{
    static const int rows[][5] = {
        {0, 1, 0, 1, 2},  {1, 0, 0, 0, 11}, {0, 1, 0, 0, 31}, {1, 1, 1, 0, 6},
        {0, 0, 1, 0, 39}, {0, 0, 1, 1, 3},  {1, 1, 0, 0, 18}, {0, 1, 1, 0, 18},
        {1, 0, 1, 0, 6},  {0, 0, 0, 1, 2},  {1, 0, 0, 1, 1}};
    static const char *names[] = {"police", "shelter", "ministry", "clinic"};
    struct mse_table t;
    struct mse_summary s;
    struct mse_options o;
    struct mse_result r;
    char text[CTIS_ERR_MSG_MAX];
    char want[CTIS_ERR_MSG_MAX];
    size_t i;

    (void)state;
    assert_int_equal(mse_table_init(&t, 4, NULL), 0);
    for (i = 0; i < 4; i++) {
        ctis_strlcpy(t.names[i], names[i], sizeof t.names[i]);
    }
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        t.count[rows[i][0] | rows[i][1] << 1 | rows[i][2] << 2 |
                rows[i][3] << 3] = rows[i][4];
    }
    assert_int_equal(mse_default_estimate(&t, &s, NULL), 0);
    assert_int_equal(s.existence, MSE_EXIST_OK);
    assert_int_equal(s.pairs, 0);
    assert_printed(s.estimate, 2, 191.07);
    assert_true(s.next.found && s.next.added);
    assert_int_equal(s.next.pairs, model_of(&t, "police:shelter"));
    assert_printed(s.next_estimate, 2, 215.77);
    assert_printed(s.shift, 2, 1.75);
    assert_int_equal(mse_stable(s.shift), 0);
    assert_int_equal(s.warnings, MSE_WARN_SMALL_LIST | MSE_WARN_UNSTABLE);
    mse_options_init(&o);
    assert_int_equal(mse_estimate(&t, &o, &r, NULL, NULL, NULL), 0);
    assert_int_equal(r.warnings, s.warnings);
    assert_true(r.shift == s.shift && r.next_fit.estimate == s.next_estimate);
    for (i = 0; i < 3; i++) {
        unsigned w = 1u << i;

        mse_warning_text(&t, &r, w, want, sizeof want);
        mse_summary_warning_text(&t, &s, w, 0, text, sizeof text);
        assert_string_equal(text, want);
    }
    mse_summary_warning_text(&t, &s, MSE_WARN_SMALL_LIST, 0, text,
                             sizeof text);
    assert_non_null(strstr(text, "'clinic' (8)"));
    mse_summary_warning_text(&t, &s, MSE_WARN_SMALL_LIST, 11, text,
                             sizeof text);
    assert_non_null(strstr(text, "'clinic' (under 11)"));
    assert_null(strstr(text, "(8)"));
    mse_summary_warning_text(&t, &s, MSE_WARN_UNSTABLE, 11, text,
                             sizeof text);
    assert_string_equal(text, "unstable: the next-best model "
                              "(police:shelter) gives 215.77, 1.75 "
                              "standard errors away");
    assert_int_equal(mse_stable(NAN), -1);
    assert_int_equal(mse_stable(-1.0), 1);
    assert_int_equal(mse_stable(1.0001), 0);
    mse_table_release(&t);
}

/* checkident's codes for artificial_3.csv. */
static void test_existence_codes(void **state)
{
    static const struct {
        const char *model;
        int code;
    } cases[] = {{"A:B,A:C,B:C", MSE_EXIST_NOT_IDENT},
                 {"A:B", MSE_EXIST_NO_MLE},
                 {"A:C,B:C", MSE_EXIST_OK},
                 {"main", MSE_EXIST_OK}};
    struct mse_table t;
    size_t i;

    (void)state;
    artificial_table(&t);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct mse_fit f;
        int code = -1;

        assert_int_equal(
            mse_check_existence(&t, model_of(&t, cases[i].model), &code, NULL),
            0);
        assert_int_equal(code, cases[i].code);
        assert_int_equal(
            mse_fit_model(&t, model_of(&t, cases[i].model), &f, NULL), 0);
        assert_int_equal(f.existence, cases[i].code);
        if (cases[i].code != MSE_EXIST_OK) {
            assert_true(isnan(f.estimate));
        } else {
            assert_true(isfinite(f.estimate));
        }
    }
    mse_table_release(&t);
}

/* A model whose estimate does not exist is never chosen; with A:C and
 * B:C at minus infinity the fit is 40 + 30 + 20 + 6 cells, saturated. */
static void test_artificial_choice(void **state)
{
    struct mse_table t;
    struct mse_options o;
    struct mse_fit f;
    struct mse_result r;
    struct ctis_err err;

    (void)state;
    artificial_table(&t);
    mse_options_init(&o);
    assert_int_equal(mse_select(&t, &o, &f, NULL, NULL, NULL), 0);
    assert_int_equal(f.pairs, 0);
    /* AIC never chooses a term of a pair without overlap (A:C, B:C) and
     * A:B has no estimate: main effects again. */
    o.method = MSE_METHOD_AIC;
    assert_int_equal(mse_select(&t, &o, &f, NULL, NULL, NULL), 0);
    assert_int_equal(f.existence, MSE_EXIST_OK);
    assert_int_equal(f.pairs, 0);
    /* Fitted on its own, A:C,B:C drops the cells of both pairs and is
     * saturated on A, B, C, AB: 40 30 / 6 = 200 unseen (Petersen for A
     * and B). */
    assert_int_equal(mse_fit_model(&t, model_of(&t, "A:C,B:C"), &f, NULL), 0);
    assert_int_equal(f.existence, MSE_EXIST_OK);
    assert_int_equal(f.neginf, f.pairs);
    assert_true(fabs(f.estimate - 296) < 1e-6);
    o.method = MSE_METHOD_GIVEN;
    o.model = model_of(&t, "A:B");
    assert_int_equal(mse_estimate(&t, &o, &r, NULL, NULL, &err), CTIS_ENUMERIC);
    assert_int_equal(r.fit.existence, MSE_EXIST_NO_MLE);
    assert_non_null(strstr(err.msg, "does not exist"));
    mse_table_release(&t);
}

/* Two lists: the independence model is Petersen's n1 n2 / m. */
static void test_petersen(void **state)
{
    struct mse_table t;
    struct mse_fit f;
    struct mse_interval iv;

    (void)state;
    assert_int_equal(mse_table_init(&t, 2, NULL), 0);
    t.count[1] = 70;
    t.count[2] = 50;
    t.count[3] = 30;
    assert_int_equal(mse_fit_model(&t, 0, &f, NULL), 0);
    assert_int_equal(f.existence, MSE_EXIST_OK);
    assert_true(fabs(f.estimate - 100.0 * 80.0 / 30.0) < 1e-8);
    assert_int_equal(f.df, 0);
    assert_true(fabs(f.deviance) < 1e-8);
    assert_int_equal(mse_interval_profile(&t, &f, 0.95, &iv, NULL), 0);
    assert_true(iv.lower < f.estimate && f.estimate < iv.upper);
    /* No overlap: the two-list estimate does not exist. */
    t.count[3] = 0;
    assert_int_equal(mse_fit_model(&t, 0, &f, NULL), 0);
    assert_int_equal(f.existence, MSE_EXIST_NO_MLE);
    assert_true(isnan(f.estimate));
    mse_table_release(&t);
}

/* Three lists with every two-list term: the model is saturated on the
 * seven observable cells and the classic closed form holds,
 * n000 = n100 n010 n001 n111 / (n110 n101 n011). */
static void test_three_list_closed_form(void **state)
{
    struct mse_table t;
    struct mse_fit f;
    double n0;

    (void)state;
    assert_int_equal(mse_table_init(&t, 3, NULL), 0);
    t.count[1] = 120;
    t.count[2] = 85;
    t.count[4] = 64;
    t.count[3] = 21;
    t.count[5] = 17;
    t.count[6] = 11;
    t.count[7] = 6;
    n0 = 120.0 * 85 * 64 * 6 / (21.0 * 17 * 11);
    assert_int_equal(mse_fit_model(&t, 7, &f, NULL), 0);
    assert_int_equal(f.existence, MSE_EXIST_OK);
    assert_int_equal(f.df, 0);
    assert_true(fabs(f.estimate - (mse_table_observed(&t) + n0)) < 1e-7);
    /* Without anyone on all three lists the estimate does not exist. */
    t.count[7] = 0;
    assert_int_equal(mse_fit_model(&t, 7, &f, NULL), 0);
    assert_int_equal(f.existence, MSE_EXIST_NO_MLE);
    mse_table_release(&t);
}

/* Exact expected counts of a log-linear model give back its N. */
static void test_recovers_truth(void **state)
{
    struct mse_table t;
    struct mse_fit f;
    double pr[4] = {0.3, 0.5, 0.2, 0.6};
    double n = 5000;
    double p0 = 1;
    uint64_t ab;
    int c;
    int i;

    (void)state;
    assert_int_equal(mse_table_init(&t, 4, NULL), 0);
    for (c = 0; c < 16; c++) {
        double m = n;

        for (i = 0; i < 4; i++) {
            m *= (c >> i & 1) ? pr[i] : 1 - pr[i];
        }
        /* A positive dependence between lists 1 and 2. */
        if ((c & 3) == 3) {
            m *= 2.5;
        }
        if (c == 0) {
            p0 = m;
        } else {
            t.count[c] = m;
        }
    }
    ab = (uint64_t)1 << mse_pair_index(4, 0, 1);
    assert_int_equal(mse_fit_model(&t, ab, &f, NULL), 0);
    assert_true(fabs(f.estimate - mse_table_observed(&t) - p0) < 1e-6);
    assert_true(fabs(f.coef[MSE_COEF_PAIR(4, 0)] - log(2.5)) < 1e-9);
    /* Stepwise finds the one interaction there is. */
    {
        struct mse_options o;

        mse_options_init(&o);
        assert_int_equal(mse_select(&t, &o, &f, NULL, NULL, NULL), 0);
        assert_int_equal(f.pairs, ab);
    }
    mse_table_release(&t);
}

/* Multiplying every count by s multiplies the estimate and the deviance
 * by s and leaves the model alone, up to 1e15 per cell. */
static void test_scale(void **state)
{
    struct mse_table t;
    struct mse_fit f;
    struct mse_fit g;
    uint64_t m;
    double s = 1e11;
    int c;

    (void)state;
    uk_table(&t);
    m = model_of(&t, "LA:NG,NG:GP,PFNCA:GP,LA:PFNCA,GO:GP,NG:GO");
    assert_int_equal(mse_fit_model(&t, m, &f, NULL), 0);
    for (c = 1; c < 32; c++) {
        t.count[c] *= s;
    }
    assert_int_equal(mse_fit_model(&t, m, &g, NULL), 0);
    assert_int_equal(g.existence, MSE_EXIST_OK);
    assert_true(fabs(g.estimate / (s * f.estimate) - 1) < 1e-9);
    assert_true(fabs(g.deviance / (s * f.deviance) - 1) < 1e-6);
    /* The profile interval still resolves a drop of 1.92 in a
     * log-likelihood of size 1e13: it holds the estimate and is about as
     * wide as the normal one. */
    {
        struct mse_interval pr;
        struct mse_interval nm;

        assert_int_equal(mse_interval_profile(&t, &g, 0.95, &pr, NULL), 0);
        assert_int_equal(mse_interval_normal(&g, 0.95, &nm, NULL), 0);
        assert_true(pr.lower < g.estimate && g.estimate < pr.upper);
        assert_true(fabs((pr.upper - pr.lower) / (nm.upper - nm.lower) - 1) <
                    0.1);
    }
    mse_table_release(&t);
}

/* Sparse tables with ones and zeros: never a NaN estimate. */
static void test_sparse(void **state)
{
    struct mse_table t;
    struct mse_options o;
    struct mse_result r;
    int c;
    int method;

    (void)state;
    assert_int_equal(mse_table_init(&t, 4, NULL), 0);
    for (c = 1; c < 16; c++) {
        t.count[c] = (c == 1 || c == 2 || c == 4 || c == 8) ? 1 : 0;
    }
    t.count[3] = 1;
    mse_options_init(&o);
    for (method = MSE_METHOD_STEPWISE; method <= MSE_METHOD_MAIN; method++) {
        int rc;

        o.method = method;
        rc = mse_estimate(&t, &o, &r, NULL, NULL, NULL);
        if (rc == 0) {
            assert_int_equal(r.fit.existence, MSE_EXIST_OK);
            assert_true(isfinite(r.fit.estimate));
            assert_true(r.fit.estimate >= r.fit.observed);
        } else {
            assert_int_equal(rc, CTIS_ENUMERIC);
        }
    }
    mse_table_release(&t);
}

/* Same seed, same replicates; the intervals bracket the estimate. */
static void test_bootstrap(void **state)
{
    struct mse_table t;
    struct mse_options o;
    struct mse_fit f;
    struct mse_interval p1;
    struct mse_interval p2;
    struct mse_interval b1;

    (void)state;
    uk_table(&t);
    mse_options_init(&o);
    o.nboot = 60;
    o.seed = 7;
    assert_int_equal(mse_select(&t, &o, &f, NULL, NULL, NULL), 0);
    assert_int_equal(mse_bootstrap(&t, &o, f.estimate, &p1, &b1, NULL), 0);
    assert_int_equal(mse_bootstrap(&t, &o, f.estimate, &p2, NULL, NULL), 0);
    assert_true(p1.lower == p2.lower && p1.upper == p2.upper);
    assert_true(p1.lower < f.estimate && f.estimate < p1.upper);
    assert_true(b1.lower < b1.upper);
    assert_true(b1.lower > f.observed);
    assert_int_equal(p1.nboot + p1.nfailed, 60);
    o.seed = 8;
    assert_int_equal(mse_bootstrap(&t, &o, f.estimate, &p2, NULL, NULL), 0);
    assert_true(p1.lower != p2.lower || p1.upper != p2.upper);
    mse_table_release(&t);
}

/* Above a million persons the bootstrap draws cell by cell: its
 * percentile interval agrees with the normal one (Petersen, 1.5 million
 * persons). */
static void test_bootstrap_large(void **state)
{
    struct mse_table t;
    struct mse_options o;
    struct mse_fit f;
    struct mse_interval nm;
    struct mse_interval pct;

    (void)state;
    assert_int_equal(mse_table_init(&t, 2, NULL), 0);
    t.count[1] = 700000;
    t.count[2] = 500000;
    t.count[3] = 300000;
    mse_options_init(&o);
    o.nboot = 400;
    assert_int_equal(mse_fit_model(&t, 0, &f, NULL), 0);
    assert_int_equal(mse_interval_normal(&f, 0.95, &nm, NULL), 0);
    assert_int_equal(mse_bootstrap(&t, &o, f.estimate, &pct, NULL, NULL), 0);
    assert_int_equal(pct.nfailed, 0);
    assert_true(fabs(pct.lower - nm.lower) < 0.15 * (f.estimate - nm.lower));
    assert_true(fabs(pct.upper - nm.upper) < 0.15 * (nm.upper - f.estimate));
    mse_table_release(&t);
}

/* Every allocation failure is a clean CTIS_ENOMEM (ASan checks leaks). */
static void test_oom(void **state)
{
    struct mse_table t;
    struct mse_summary s;
    long n;
    int rc = -1;

    (void)state;
    uk_table(&t);
    for (n = 0; n < 100000; n++) {
        struct ctis_err err;

        ctis_alloc_fail_after(n);
        rc = mse_default_estimate(&t, &s, &err);
        ctis_alloc_fail_reset();
        if (rc == 0) {
            break;
        }
        assert_int_equal(rc, CTIS_ENOMEM);
    }
    assert_int_equal(rc, 0);
    assert_printed(s.estimate, 2, 11312.99);
    mse_table_release(&t);
}

/* The bootstrap fails cleanly at every allocation too. */
static void test_oom_bootstrap(void **state)
{
    struct mse_table t;
    struct mse_options o;
    struct mse_interval pct;
    long n;
    int rc = -1;

    (void)state;
    artificial_table(&t);
    mse_options_init(&o);
    o.nboot = 3;
    for (n = 0; n < 100000; n++) {
        struct ctis_err err;

        ctis_alloc_fail_after(n);
        rc = mse_bootstrap(&t, &o, 539.0, &pct, NULL, &err);
        ctis_alloc_fail_reset();
        if (rc == 0) {
            break;
        }
        assert_int_equal(rc, CTIS_ENOMEM);
    }
    assert_int_equal(rc, 0);
    assert_true(pct.lower <= pct.upper);
    mse_table_release(&t);
}

/* Model names round trip; bad terms are refused. */
static void test_model_names(void **state)
{
    struct mse_table t;
    struct ctis_err err;
    uint64_t m;
    char buf[256];

    (void)state;
    uk_table(&t);
    assert_int_equal(mse_model_parse(&t, "GP:LA,NG:GO", &m, NULL), 0);
    mse_model_format(&t, m, buf, sizeof buf);
    assert_string_equal(buf, "LA:GP,NG:GO");
    assert_int_equal(mse_model_parse(&t, "LA:XX", &m, &err), CTIS_EINVAL);
    assert_non_null(strstr(err.msg, "'LA:XX'"));
    assert_int_equal(mse_model_parse(&t, "LA", &m, &err), CTIS_EINVAL);
    assert_int_equal(mse_model_parse(&t, "LA:LA", &m, &err), CTIS_EINVAL);
    assert_int_equal(mse_zero_overlaps(&t),
                     (uint64_t)1 << mse_pair_index(5, 0, 4));
    mse_table_release(&t);
}

static void test_normal_quantile(void **state)
{
    (void)state;
    assert_true(fabs(mse_qnorm(0.975) - 1.959963984540054) < 1e-13);
    assert_true(fabs(mse_qnorm(0.5)) < 1e-15);
    assert_true(fabs(mse_qnorm(1e-10) + 6.361340902404056) < 1e-9);
    assert_true(fabs(mse_pnorm(-1.959963984540054) - 0.025) < 1e-15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uk_stepwise),
        cmocka_unit_test(test_default_estimate),
        cmocka_unit_test(test_summary_unstable),
        cmocka_unit_test(test_existence_codes),
        cmocka_unit_test(test_artificial_choice),
        cmocka_unit_test(test_petersen),
        cmocka_unit_test(test_three_list_closed_form),
        cmocka_unit_test(test_recovers_truth),
        cmocka_unit_test(test_scale),
        cmocka_unit_test(test_sparse),
        cmocka_unit_test(test_bootstrap),
        cmocka_unit_test(test_bootstrap_large),
        cmocka_unit_test(test_oom),
        cmocka_unit_test(test_oom_bootstrap),
        cmocka_unit_test(test_model_names),
        cmocka_unit_test(test_normal_quantile),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
