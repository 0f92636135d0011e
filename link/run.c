/*
 * run.c - the linking pipeline: u from random pairs (em.c), candidate
 * pairs (block.c), EM (em.c), scoring (weight.c), clustering (cluster.c),
 * the review band; explain.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "link_int.h"

static const int clear_levels[LINK_C_COUNT] = {6, 6, 7, 2, 2, 3, 2, 3};
static const int clk_levels[LINK_CK_COUNT] = {7, 5, 2, 2, 3, 3};
static const char *const clk_names[LINK_CK_COUNT] = {
    "clk_names", "clk_birth", "clk_sex", "clk_province", "clk_place",
    "clk_contact"};
static const char *const clear_names[LINK_C_COUNT] = {
    "given_name",    "family_name", "birth", "sex",
    "home_province", "place",       "phone", "email",
};

/* ---- the run ------------------------------------------------------------ */

/* An empty result owns nothing. */
void link_result_init(struct link_result *r)
{
    memset(r, 0, sizeof *r);
}

/* Free what a run allocated; the result is empty again. */
void link_result_release(struct link_result *r)
{
    if (r == NULL) {
        return;
    }
    ctis_free(r->cluster);
    ctis_free(r->match_weight);
    ctis_free(r->review);
    link_result_init(r);
}

static double logit2(double p)
{
    p = fmin(fmax(p, 1e-12), 1 - 1e-12);
    return log2(p / (1 - p));
}

static int push_pair(struct link_pair **v, size_t *n, size_t *cap,
                     const struct link_pair *p)
{
    if (*n == *cap) {
        size_t c = *cap == 0 ? 1024 : *cap * 2;
        struct link_pair *q = ctis_realloc(*v, c * sizeof *q);

        if (q == NULL) {
            return CTIS_ENOMEM;
        }
        *v = q;
        *cap = c;
    }
    (*v)[(*n)++] = *p;
    return 0;
}

static int is_decided(const struct link_set *s, uint32_t a, uint32_t b)
{
    size_t i;

    for (i = 0; i < s->n_decisions; i++) {
        if (s->decisions[i].a == a && s->decisions[i].b == b) {
            return 1;
        }
    }
    return 0;
}

/* ---- scoring ------------------------------------------------------------ */

/* One thread's share of the candidates: [lo, hi) of c, scored into its
 * own accepted pairs and review band; with drop, the candidates that stay
 * for the next pass are moved to the front of its share (kept of them). */
struct score_job {
    const struct link_set *s;
    struct link_cand *v;
    size_t lo, hi;
    int drop;
    double low, high;
    struct link_pair *acc, *rev;
    size_t n_acc, cap_acc, n_rev, cap_rev;
    size_t kept;
    int oom;
};

static void *score_worker(void *arg)
{
    struct score_job *j = arg;
    const struct link_set *s = j->s;
    size_t i;

    j->kept = j->lo;
    for (i = j->lo; i < j->hi; i++) {
        struct link_cand cd = j->v[i];
        struct link_pair p;
        double w = link_weight_of(s, cd.a, cd.b, cd.lv, NULL);

        if (j->drop) {
            if (w >= j->low || link_weight_uses_tf(s, cd.lv)) {
                j->v[j->kept++] = cd;
            }
        }
        if (w < j->low) {
            continue;
        }
        p.a = cd.a < cd.b ? cd.a : cd.b;
        p.b = cd.a < cd.b ? cd.b : cd.a;
        p.weight = (float)w;
        p.prob =
            (float)(1.0 / (1.0 + exp2(-(link_prior_of(s, p.a, p.b) + w))));
        if (s->n_decisions > 0 && is_decided(s, p.a, p.b)) {
            continue;
        }
        /* every pair of the review band and above competes (see
         * link_compete); those that reach accept_prob are kept */
        if (push_pair(&j->acc, &j->n_acc, &j->cap_acc, &p) != 0) {
            j->oom = 1;
            return NULL;
        }
        if (w < j->high &&
            push_pair(&j->rev, &j->n_rev, &j->cap_rev, &p) != 0) {
            j->oom = 1;
            return NULL;
        }
    }
    j->kept -= j->lo;
    return NULL;
}

/* Append n pairs of src to *v (n, cap as push_pair). */
static int append_pairs(struct link_pair **v, size_t *n, size_t *cap,
                        const struct link_pair *src, size_t k)
{
    if (*n + k > *cap) {
        size_t c = *n + k;
        struct link_pair *q = ctis_realloc(*v, (c > 0 ? c : 1) * sizeof *q);

        if (q == NULL) {
            return CTIS_ENOMEM;
        }
        *v = q;
        *cap = c;
    }
    if (k > 0) {
        memcpy(*v + *n, src, k * sizeof *src);
    }
    *n += k;
    return 0;
}

/* Score every candidate of c on o->threads threads (the same pairs in the
 * same order whatever their number): the accepted pairs into acc, the
 * review band into res->review; drop: see link_run. */
static int score(const struct link_set *s, const struct link_options *o,
                 struct link_cands *c, int drop, struct link_result *res,
                 struct link_pair **acc, size_t *n_acc, size_t *cap_acc,
                 size_t *cap_rev)
{
    struct score_job jobs[2];
    pthread_t th;
    int threaded = o->threads > 1 && c->n > 20000;
    size_t mid = threaded ? c->n / 2 : c->n;
    int rc = 0;
    int t;

    for (t = 0; t < 2; t++) {
        memset(&jobs[t], 0, sizeof jobs[t]);
        jobs[t].s = s;
        jobs[t].v = c->v;
        jobs[t].lo = t == 0 ? 0 : mid;
        jobs[t].hi = t == 0 ? mid : c->n;
        jobs[t].drop = drop;
        jobs[t].low = res->review_low_weight;
        jobs[t].high = res->review_high_weight;
    }
    if (threaded && pthread_create(&th, NULL, score_worker, &jobs[1]) == 0) {
        score_worker(&jobs[0]);
        pthread_join(th, NULL);
    } else {
        score_worker(&jobs[0]);
        score_worker(&jobs[1]);
    }
    for (t = 0; t < 2 && rc == 0; t++) {
        if (jobs[t].oom ||
            append_pairs(acc, n_acc, cap_acc, jobs[t].acc, jobs[t].n_acc) != 0 ||
            append_pairs(&res->review, &res->n_review, cap_rev, jobs[t].rev,
                         jobs[t].n_rev) != 0) {
            rc = CTIS_ENOMEM;
        }
    }
    if (rc == 0 && drop && jobs[1].kept > 0) {
        memmove(c->v + jobs[0].kept, c->v + mid,
                jobs[1].kept * sizeof *c->v);
    }
    if (rc == 0 && drop) {
        c->n = jobs[0].kept + jobs[1].kept;
    }
    for (t = 0; t < 2; t++) {
        ctis_free(jobs[t].acc);
        ctis_free(jobs[t].rev);
    }
    return rc;
}

/* Link: see the file comment. Two records of one list are one person (a
 * duplicate inside the list) only when their own pair reaches the
 * acceptance threshold under the prior of one-list pairs (learned: such
 * duplicates are rarer than a match across lists, and a namesake of the
 * same list is the usual alternative). */

int link_run(struct link_set *s, const struct link_options *o,
             struct link_result *res, struct ctis_err *err)
{
    struct link_model *md = &s->model;
    struct link_cands c;
    struct link_pattern *pat = NULL;
    size_t np = 0;
    struct link_pair *acc = NULL;
    size_t n_acc = 0;
    size_t cap_acc = 0;
    size_t cap_rev = 0;
    double n_all;
    double top;
    double matches = 0;
    double t0;
    size_t i;
    int pass;
    int f;
    int rc;

    link_result_release(res);
    memset(&c, 0, sizeof c);
    if (s->n < 2) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "linking needs at least two records");
    }
    md->fitted = 0;
    md->clk = s->mode == 2;
    md->n_fields = md->clk ? LINK_CK_COUNT : LINK_C_COUNT;
    for (f = 0; f < md->n_fields; f++) {
        md->n_levels[f] = md->clk ? clk_levels[f] : clear_levels[f];
    }
    res->cluster = ctis_malloc(s->n * sizeof *res->cluster);
    res->match_weight = ctis_malloc(s->n * sizeof *res->match_weight);
    if (res->cluster == NULL || res->match_weight == NULL) {
        link_result_release(res);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    t0 = ctis_now();
    link_estimate_u(s, o);
    res->seconds[0] = ctis_now() - t0;
    t0 = ctis_now();
    rc = link_candidates(s, o, &c, &res->n_skipped_blocks, err);
    res->seconds[1] = ctis_now() - t0;
    t0 = ctis_now();
    if (rc != 0) {
        goto fail;
    }
    res->n_candidates = c.n;
    if (c.n == 0) {
        /* no two records share a blocking key: every record is a person
         * of its own (reviewers' matches still join) */
        goto singletons;
    }
    rc = link_patterns(&c, &pat, &np);
    if (rc != 0) {
        ctis_err_set(err, rc, "out of memory");
        goto fail;
    }
    n_all = (double)s->n * (double)(s->n - 1) / 2;
    for (f = 0; f < 2; f++) {
        /* encoded: a fit that finds no match at all is tried again with
         * the strict sessions (see fit) */
        res->em_iterations += link_fit(md, pat, np, o->em_max_iter, f, &rc);
        if (rc != 0) {
            ctis_err_set(err, rc, "out of memory");
            goto fail;
        }
        link_set_weights(md);
        matches = link_expected_matches(md, pat, np, n_all);
        if (!link_fit_failed(md, matches)) {
            break;
        }
    }
    md->lambda = matches / (double)c.n;
    ctis_free(pat);
    pat = NULL;
    /* with no matches at all the prior is that of half a pair: nothing
     * but a reviewer's match will be joined */
    md->prior = log2(fmax(matches, 0.5) / fmax(n_all - matches, 1));
    md->fitted = 1;
    res->lambda = md->lambda;
    rc = link_build_tf(s, NULL);
    if (rc != 0) {
        ctis_err_set(err, rc, "out of memory");
        goto fail;
    }
    /* the prior again, from the weights the pairs are decided on, and
     * per class of pair (two lists, one list) */
    rc = link_class_priors(s, &c, md);
    if (rc != 0) {
        ctis_err_set(err, rc, "out of memory");
        goto fail;
    }
    res->prior_weight = md->prior;
    /* the lowest weights accepted and reviewed: those of the class with
     * the higher prior */
    top = fmax(md->prior_pair[0], md->prior_pair[1]);
    res->accept_weight = logit2(o->accept_prob) - top;
    res->review_low_weight = logit2(o->review_low) - top;
    res->review_high_weight = logit2(o->review_high) - md->prior;
    res->seconds[2] = ctis_now() - t0;
    t0 = ctis_now();

singletons:
    /* Two passes: the first counts name frequencies per record, the
     * second per person found by the first (a person listed three times
     * is one namesake, not three); each scores the candidates, keeps the
     * accepted pairs and the review band, and clusters. The first pass
     * also drops the candidates whose weight cannot change in the second
     * (it does not depend on name frequencies) and is below the review
     * band: the second scores only what can still matter. */
    for (pass = 0; pass < 2; pass++) {
        n_acc = 0;
        res->n_review = 0;
        res->n_accepted = 0;
        rc = score(s, o, &c, pass == 0, res, &acc, &n_acc, &cap_acc,
                   &cap_rev);
        if (rc == 0) {
            rc = link_compete(s, acc, &n_acc, o->accept_prob);
        }
        if (rc != 0) {
            ctis_err_set(err, rc, "out of memory");
            goto fail;
        }
        for (i = 0; i < s->n_decisions; i++) {
            struct link_pair p;

            if (!s->decisions[i].match) {
                continue;
            }
            p.a = s->decisions[i].a;
            p.b = s->decisions[i].b;
            p.weight = 1000;
            p.prob = 1;
            if (push_pair(&acc, &n_acc, &cap_acc, &p) != 0) {
                rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
                goto fail;
            }
        }
        res->seconds[3] += ctis_now() - t0;
        t0 = ctis_now();
        rc = link_cluster(s, acc, n_acc, res->accept_weight + o->strong_weight,
                          logit2(o->accept_prob) - md->prior_pair[1],
                          res->accept_weight + o->mean_offset, o->min_weight,
                          res);
        if (rc != 0) {
            ctis_err_set(err, rc, "out of memory");
            goto fail;
        }
        res->seconds[4] += ctis_now() - t0;
        t0 = ctis_now();
        if (pass > 0 || res->n_candidates == 0) {
            break;
        }
        rc = link_build_tf(s, res->cluster);
        if (rc != 0) {
            ctis_err_set(err, rc, "out of memory");
            goto fail;
        }
    }
    ctis_free(c.v);
    c.v = NULL;
    ctis_free(acc);
    if (res->n_review > 0) {
        qsort(res->review, res->n_review, sizeof *res->review,
              link_cmp_pair_desc);
    }
    return 0;
fail:
    ctis_free(c.v);
    ctis_free(pat);
    ctis_free(acc);
    link_result_release(res);
    return rc;
}

/* One line per field: level, m, u, weight; then the total. */
int link_explain(const struct link_set *s, size_t a, size_t b,
                 struct ctis_buf *out, struct ctis_err *err)
{
    const struct link_model *md = &s->model;
    int lv[LINK_C_COUNT];
    double fw[LINK_C_COUNT];
    double w;
    int f;
    int rc = 0;

    if (!md->fitted || a >= s->n || b >= s->n) {
        return ctis_err_set(err, CTIS_EINVAL, "no fitted model to explain");
    }
    w = link_pair_weight(s, (uint32_t)a, (uint32_t)b, lv, fw);
    rc |= ctis_buf_printf(out, "%-14s %5s %9s %9s %8s\n", "field", "level", "m",
                          "u", "weight");
    for (f = 0; f < md->n_fields; f++) {
        const char *name = md->clk ? clk_names[f] : clear_names[f];

        if (lv[f] == LINK_LEVEL_NULL) {
            rc |= ctis_buf_printf(out, "%-14s %5s %9s %9s %8.2f\n", name,
                                  "null", "-", "-", 0.0);
        } else {
            rc |=
                ctis_buf_printf(out, "%-14s %5d %9.6f %9.6f %8.2f\n", name,
                                lv[f], md->m[f][lv[f]], md->u[f][lv[f]], fw[f]);
        }
    }
    rc |= ctis_buf_printf(out, "%-14s %5s %9s %9s %8.2f\n", "prior", "", "", "",
                          link_prior_of(s, (uint32_t)a, (uint32_t)b));
    rc |= ctis_buf_printf(out, "%-14s %5s %9s %9s %8.2f\n", "total", "", "", "",
                          w);
    rc |= ctis_buf_printf(out, "match probability %.4f\n",
                          1.0 / (1.0 + exp2(-(link_prior_of(s, (uint32_t)a,
                                                            (uint32_t)b) +
                                              w))));
    if (rc != 0) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    return 0;
}
