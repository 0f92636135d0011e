/*
 * mse.c - benchmarks of multiple systems estimation:
 *   1. fitting every two-list-interaction model of six lists (2^15
 *      models, each with its existence check) on a synthetic table of
 *      20,000 persons drawn from a known log-linear model (target: < 2 s),
 *      and on a sparse one of 60 persons where many models need the
 *      existence linear program;
 *   2. a 1,000-replicate bootstrap with stepwise selection on the UK 2013
 *      five-list data (percentile and BCa intervals), with SparseMSE's
 *      Poisson criterion and, as the reference of the ratio, the
 *      likelihood-ratio one;
 *   3. the side-by-side comparison of methods on the UK data.
 * Prints the figures: wall clock (ctis_now) and CPU time of this process
 * (clock), the latter being the fairer figure on a shared machine.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mse/mse.h"

static const int uk_rows[][6] = {
    {1, 0, 0, 0, 0, 54},  {0, 1, 0, 0, 0, 463}, {0, 0, 1, 0, 0, 995},
    {0, 0, 0, 1, 0, 695}, {0, 0, 0, 0, 1, 316}, {1, 1, 0, 0, 0, 15},
    {1, 0, 1, 0, 0, 19},  {1, 0, 0, 1, 0, 3},   {0, 1, 1, 0, 0, 62},
    {0, 1, 0, 1, 0, 19},  {0, 1, 0, 0, 1, 1},   {0, 0, 1, 1, 0, 76},
    {0, 0, 1, 0, 1, 11},  {0, 0, 0, 1, 1, 8},   {1, 1, 1, 0, 0, 1},
    {1, 1, 0, 1, 0, 1},   {0, 1, 1, 1, 0, 4},   {1, 1, 1, 1, 0, 1}};

struct count {
    long models;
    long exist;
};

static int on_fit(void *p, const struct mse_fit *f)
{
    struct count *c = p;

    c->models++;
    if (f->existence == MSE_EXIST_OK) {
        c->exist++;
    }
    return 0;
}

/* Six lists, 20,000 persons; lists 0-1 and 2-3 positively dependent. */
static int six_lists(struct mse_table *t, double *truth)
{
    static const double pr[6] = {0.12, 0.2, 0.15, 0.25, 0.1, 0.3};
    struct ctis_rng rng;
    double cum[64];
    double tot = 0;
    int c;
    int i;
    long n;

    if (mse_table_init(t, 6, NULL) != 0) {
        return -1;
    }
    for (c = 0; c < 64; c++) {
        double m = 1;

        for (i = 0; i < 6; i++) {
            m *= (c >> i & 1) ? pr[i] : 1 - pr[i];
        }
        if ((c & 3) == 3) {
            m *= 3;
        }
        if ((c & 12) == 12) {
            m *= 2;
        }
        tot += m;
        cum[c] = tot;
    }
    ctis_rng_seed(&rng, 42);
    *truth = 20000;
    for (n = 0; n < 20000; n++) {
        double u = ctis_rng_double(&rng) * tot;

        for (c = 0; c < 63 && cum[c] <= u; c++) {
        }
        if (c > 0) {
            t->count[c] += 1;
        }
    }
    return 0;
}

/* 60 persons over six lists seen rarely: many empty cells. */
static int sparse_six_lists(struct mse_table *t)
{
    struct ctis_rng rng;
    int n;

    if (mse_table_init(t, 6, NULL) != 0) {
        return -1;
    }
    ctis_rng_seed(&rng, 7);
    for (n = 0; n < 60; n++) {
        int c = 0;

        while (c == 0) {
            int i;

            for (i = 0; i < 6; i++) {
                if (ctis_rng_double(&rng) < 0.15) {
                    c |= 1 << i;
                }
            }
        }
        t->count[c] += 1;
    }
    return 0;
}

static int empty_cells(const struct mse_table *t)
{
    int c;
    int n = 0;

    for (c = 1; c < 64; c++) {
        n += t->count[c] == 0;
    }
    return n;
}

int main(void)
{
    struct mse_table t;
    struct mse_options o;
    struct mse_fit best;
    struct mse_interval pct;
    struct mse_interval bca;
    struct count cnt;
    struct ctis_err err;
    char model[512];
    double truth;
    double t0;
    double dt;
    clock_t c0;
    double cpu;
    size_t r;
    int i;

    /* 1. Every model of six lists. */
    if (six_lists(&t, &truth) != 0) {
        return 1;
    }
    mse_options_init(&o);
    o.method = MSE_METHOD_AIC;
    memset(&cnt, 0, sizeof cnt);
    t0 = ctis_now();
    c0 = clock();
    if (mse_select(&t, &o, &best, on_fit, &cnt, &err) != 0) {
        fprintf(stderr, "bench: %s\n", err.msg);
        return 1;
    }
    dt = ctis_now() - t0;
    cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
    mse_model_format(&t, best.pairs, model, sizeof model);
    printf("all models, 6 lists: %ld models (%ld with an estimate) in "
           "%.3f s wall, %.3f s CPU (%.1f us/model; target < 2 s: %s)\n",
           cnt.models, cnt.exist, dt, cpu, 1e6 * cpu / cnt.models,
           cpu < 2 ? "met" : "MISSED");
    printf("  observed %.0f, true total %.0f, best AIC %s: %.1f\n",
           best.observed, truth, model, best.estimate);
    mse_table_release(&t);

    /* 1b. The same on a sparse table, where the existence check has to
     * solve its linear program for many models. */
    if (sparse_six_lists(&t) != 0) {
        return 1;
    }
    o.method = MSE_METHOD_AIC;
    memset(&cnt, 0, sizeof cnt);
    t0 = ctis_now();
    c0 = clock();
    if (mse_select(&t, &o, &best, on_fit, &cnt, &err) != 0) {
        fprintf(stderr, "bench: %s\n", err.msg);
        return 1;
    }
    dt = ctis_now() - t0;
    cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
    printf("all models, 6 lists, sparse (%d of 63 cells empty): %ld models "
           "(%ld with an estimate) in %.3f s wall, %.3f s CPU\n",
           empty_cells(&t), cnt.models, cnt.exist, dt, cpu);
    mse_table_release(&t);

    /* 2. Bootstrap on the UK data. */
    if (mse_table_init(&t, 5, NULL) != 0) {
        return 1;
    }
    for (r = 0; r < sizeof uk_rows / sizeof uk_rows[0]; r++) {
        int c = 0;

        for (i = 0; i < 5; i++) {
            c |= uk_rows[r][i] << i;
        }
        t.count[c] = uk_rows[r][5];
    }
    {
        static const char *names[] = {"Poisson (SparseMSE)",
                                      "likelihood-ratio"};
        double ref = 0;
        int crit;

        for (crit = MSE_CRIT_LR; crit >= MSE_CRIT_POISSON; crit--) {
            mse_options_init(&o);
            o.criterion = crit;
            o.nboot = 1000;
            o.seed = 1;
            if (mse_select(&t, &o, &best, NULL, NULL, &err) != 0) {
                fprintf(stderr, "bench: %s\n", err.msg);
                return 1;
            }
            t0 = ctis_now();
            c0 = clock();
            if (mse_bootstrap(&t, &o, best.estimate, &pct, &bca, &err) != 0) {
                fprintf(stderr, "bench: %s\n", err.msg);
                return 1;
            }
            dt = ctis_now() - t0;
            cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
            if (crit == MSE_CRIT_LR) {
                ref = cpu;
            }
            printf("bootstrap, UK 2013, stepwise by %s, 1000 replicates (+ "
                   "18 jackknife selections for BCa): %.3f s wall, %.3f s "
                   "CPU (%.2f ms/replicate; %.2fx the likelihood-ratio "
                   "rule's CPU)\n",
                   names[crit], dt, cpu, cpu, ref > 0 ? cpu / ref : 0);
            printf("  estimate %.2f; percentile 95%% %.1f to %.1f; BCa %.1f "
                   "to %.1f; %d replicates without an estimate\n",
                   best.estimate, pct.lower, pct.upper, bca.lower, bca.upper,
                   pct.nfailed);
        }
    }
    {
        struct mse_comparison *cmp = ctis_malloc(sizeof *cmp);

        if (cmp == NULL) {
            return 1;
        }
        mse_options_init(&o);
        t0 = ctis_now();
        c0 = clock();
        if (mse_compare(&t, &o, cmp, &err) != 0) {
            fprintf(stderr, "bench: %s\n", err.msg);
            ctis_free(cmp);
            return 1;
        }
        dt = ctis_now() - t0;
        cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
        printf("compare (main, stepwise, AIC, BIC; 2 x 1024 models), UK "
               "2013: %.3f s wall, %.3f s CPU; estimates %.2f %.2f %.2f "
               "%.2f\n",
               dt, cpu, cmp->r[0].fit.estimate, cmp->r[1].fit.estimate,
               cmp->r[2].fit.estimate, cmp->r[3].fit.estimate);
        ctis_free(cmp);
    }
    mse_table_release(&t);
    return 0;
}
