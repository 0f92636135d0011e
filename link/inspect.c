/*
 * inspect.c - a run looked at from outside, for benchmarks: every
 * candidate pair with its levels, field weights and name frequencies
 * (link_each_candidate), and the clustering of link_run applied to pairs
 * scored by someone else (link_cluster_scored), so that a classifier
 * fitted with the truth can be measured through the same clustering.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "link_int.h"

static double logit2(double p)
{
    p = fmin(fmax(p, 1e-12), 1 - 1e-12);
    return log2(p / (1 - p));
}

int link_each_candidate(struct link_set *s, const struct link_options *o,
                        link_candidate_fn fn, void *ctx, struct ctis_err *err)
{
    const struct link_model *md = &s->model;
    struct link_cands c;
    struct link_candidate_view v;
    uint64_t skipped = 0;
    size_t i;
    int rc;

    if (!md->fitted) {
        return ctis_err_set(err, CTIS_EINVAL, "no fitted model to inspect");
    }
    memset(&c, 0, sizeof c);
    rc = link_candidates(s, o, &c, &skipped, err);
    if (rc != 0) {
        return rc;
    }
    for (i = 0; i < c.n && rc == 0; i++) {
        uint32_t a = c.v[i].a < c.v[i].b ? c.v[i].a : c.v[i].b;
        uint32_t b = c.v[i].a < c.v[i].b ? c.v[i].b : c.v[i].a;
        int f;
        int t;

        memset(&v, 0, sizeof v);
        v.a = a;
        v.b = b;
        v.n_fields = md->n_fields;
        for (f = 0; f < md->n_fields; f++) {
            v.level[f] = link_level_of(c.v[i].lv, f);
        }
        v.weight = link_weight_of(s, a, b, c.v[i].lv, v.field_weight);
        v.prior = link_prior_of(s, a, b);
        v.same_list = s->recs[a].list == s->recs[b].list;
        for (t = 0; t < LINK_TF_TAGS && md->tf_rec != NULL; t++) {
            v.freq_a[t] = md->tf_rec[(size_t)a * LINK_TF_TAGS + (size_t)t];
            v.freq_b[t] = md->tf_rec[(size_t)b * LINK_TF_TAGS + (size_t)t];
        }
        v.birth_a = s->recs[a].blo != 0 || s->recs[a].bhi != 0;
        v.birth_b = s->recs[b].blo != 0 || s->recs[b].bhi != 0;
        rc = fn(ctx, &v);
    }
    ctis_free(c.v);
    return rc;
}

int link_cluster_scored(struct link_set *s, const struct link_options *o,
                        struct link_pair *pairs, size_t n,
                        struct link_result *res, struct ctis_err *err)
{
    const struct link_model *md = &s->model;
    size_t i;
    size_t k = 0;
    int rc;

    if (!md->fitted || res->cluster == NULL) {
        return ctis_err_set(err, CTIS_EINVAL, "no fitted model to cluster");
    }
    for (i = 0; i < n; i++) {
        if (pairs[i].weight >= res->review_low_weight) {
            pairs[i].prob = (float)(1.0 / (1.0 + exp2(-(link_prior_of(
                                                    s, pairs[i].a, pairs[i].b) +
                                                pairs[i].weight))));
            pairs[k++] = pairs[i];
        }
    }
    rc = link_compete(s, pairs, &k, o->accept_prob);
    if (rc == 0) {
        rc = link_cluster(s, pairs, k, res->accept_weight + o->strong_weight,
                          logit2(o->accept_prob) - md->prior_pair[1],
                          res->accept_weight + o->mean_offset, o->min_weight,
                          res);
    }
    if (rc != 0) {
        return ctis_err_set(err, rc, "out of memory");
    }
    return 0;
}
