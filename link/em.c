/*
 * em.c - the Fellegi-Sunter model without labels: u from random pairs,
 * m fitted by EM on the distinct patterns of levels, the expected number
 * of matches and the prior.
 *
 * Model. The levels of every candidate pair are packed 3 bits a field
 * into one uint32 (a pattern). EM runs on the distinct patterns and their
 * counts, fitting m (matches), an in-block u and the share of matches
 * lambda; the match weight of a level is log2(m / u) with u measured on
 * random pairs (the in-block u is biased by blocking). The prior odds of a
 * random pair are lambda * candidates / (all pairs - lambda * candidates),
 * so that match probability = 1 / (1 + 2^-(prior + weight)).
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "link_int.h"

/* ---- u from random pairs ------------------------------------------------ */

static void count_levels(const struct link_set *s, uint32_t a, uint32_t b,
                         double cnt[][LINK_LEVELS])
{
    int lv[LINK_C_COUNT];
    int f;

    link_compare_any(s, a, b, lv);
    for (f = 0; f < s->model.n_fields; f++) {
        cnt[f][lv[f]] += 1;
    }
}

void link_estimate_u(struct link_set *s, const struct link_options *o)
{
    struct link_model *md = &s->model;
    double cnt[LINK_C_COUNT][LINK_LEVELS];
    uint64_t n = s->n;
    uint64_t total = n * (n - 1) / 2;
    struct ctis_rng rng;
    int f;
    int l;

    memset(cnt, 0, sizeof cnt);
    if (total <= (uint64_t)o->u_samples) {
        uint32_t a;
        uint32_t b;

        for (a = 0; a < n; a++) {
            for (b = a + 1; b < n; b++) {
                count_levels(s, a, b, cnt);
            }
        }
    } else {
        long i;

        ctis_rng_seed(&rng, o->seed);
        for (i = 0; i < o->u_samples; i++) {
            uint32_t a = (uint32_t)ctis_rng_below(&rng, n);
            uint32_t b = (uint32_t)ctis_rng_below(&rng, n - 1);

            if (b >= a) {
                b++;
            }
            count_levels(s, a, b, cnt);
        }
    }
    for (f = 0; f < md->n_fields; f++) {
        double nn = 0;

        for (l = 0; l < md->n_levels[f]; l++) {
            nn += cnt[f][l];
        }
        for (l = 0; l < md->n_levels[f]; l++) {
            md->u[f][l] = (cnt[f][l] + 0.5) / (nn + 0.5 * md->n_levels[f]);
        }
    }
}

/* ---- EM ----------------------------------------------------------------- */

/* Distinct patterns and their counts, by sorting a copy of the packed
 * levels. */
int link_patterns(const struct link_cands *c, struct link_pattern **out,
                  size_t *n_out)
{
    /* count in an open-addressing table keyed by the packed levels + 1:
     * one pass, no sort (there are at most a few hundred thousand
     * distinct patterns) */
    size_t cap = 1 << 16;
    uint32_t *key;
    double *cnt;
    struct link_pattern *p;
    size_t i;
    size_t np = 0;

    key = ctis_calloc(cap, sizeof *key);
    cnt = ctis_calloc(cap, sizeof *cnt);
    if (key == NULL || cnt == NULL) {
        ctis_free(key);
        ctis_free(cnt);
        return CTIS_ENOMEM;
    }
    for (i = 0; i < c->n; i++) {
        uint32_t k = c->v[i].lv + 1;
        size_t h = (size_t)(k * 2654435761u) & (cap - 1);

        while (key[h] != 0 && key[h] != k) {
            h = (h + 1) & (cap - 1);
        }
        if (key[h] == 0) {
            key[h] = k;
            np++;
            if (np * 2 > cap) {
                /* grow: rehash into a table twice as large */
                size_t ncap = cap * 2;
                uint32_t *nk = ctis_calloc(ncap, sizeof *nk);
                double *nc = ctis_calloc(ncap, sizeof *nc);
                size_t j;

                if (nk == NULL || nc == NULL) {
                    ctis_free(nk);
                    ctis_free(nc);
                    ctis_free(key);
                    ctis_free(cnt);
                    return CTIS_ENOMEM;
                }
                cnt[h] += 1;
                for (j = 0; j < cap; j++) {
                    if (key[j] != 0) {
                        size_t g = (size_t)(key[j] * 2654435761u) & (ncap - 1);

                        while (nk[g] != 0) {
                            g = (g + 1) & (ncap - 1);
                        }
                        nk[g] = key[j];
                        nc[g] = cnt[j];
                    }
                }
                ctis_free(key);
                ctis_free(cnt);
                key = nk;
                cnt = nc;
                cap = ncap;
                continue;
            }
        }
        cnt[h] += 1;
    }
    p = ctis_malloc((np > 0 ? np : 1) * sizeof *p);
    if (p == NULL) {
        ctis_free(key);
        ctis_free(cnt);
        return CTIS_ENOMEM;
    }
    np = 0;
    for (i = 0; i < cap; i++) {
        if (key[i] != 0) {
            p[np].lv = key[i] - 1;
            p[np].count = cnt[i];
            np++;
        }
    }
    ctis_free(key);
    ctis_free(cnt);
    *out = p;
    *n_out = np;
    return 0;
}

/* Levels are ordered, 0 the strongest agreement: the likelihood ratio
 * m / u must not grow with the level. Pool adjacent violators (weighted
 * by u) so that it does not; the pooled m keep their sum. Without this a
 * session can settle on a class that is not the matches (namesakes of
 * one province, say) and give disagreement more weight than agreement. */
static void monotone_ratio(double *m, const double *u, int nl)
{
    double bm[LINK_LEVELS];
    double bu[LINK_LEVELS];
    int start[LINK_LEVELS];
    int nb = 0;
    int l;
    int b;

    for (l = 0; l < nl; l++) {
        bm[nb] = m[l];
        bu[nb] = u[l];
        start[nb] = l;
        nb++;
        while (nb > 1 && bm[nb - 1] / bu[nb - 1] > bm[nb - 2] / bu[nb - 2]) {
            bm[nb - 2] += bm[nb - 1];
            bu[nb - 2] += bu[nb - 1];
            nb--;
        }
    }
    for (b = 0; b < nb; b++) {
        int end = b + 1 < nb ? start[b + 1] : nl;

        for (l = start[b]; l < end; l++) {
            m[l] = bm[b] / bu[b] * u[l];
        }
    }
}

/* One EM session on the patterns p (of which only those with keep(p)
 * count), over the fields in `fields` (a bit mask). m starts from md->m
 * when fix_m, else from a default; u starts from the random-pair u and
 * is refitted inside the session (the session's non-matches are not
 * random pairs). With fix_m only lambda and u move. Returns the
 * iterations; *lambda gets the share of matches. */
static int em(struct link_model *md, const struct link_pattern *p, size_t np,
              unsigned fields, int fix_m, int max_iter, double *lambda,
              double (*u_out)[LINK_LEVELS])
{
    double ub[LINK_C_COUNT][LINK_LEVELS];
    double lam = 0.2;
    int f;
    int l;
    int it;

    for (f = 0; f < md->n_fields; f++) {
        int nl = md->n_levels[f];

        for (l = 0; l < nl; l++) {
            if (!fix_m) {
                md->m[f][l] = l == 0 ? 0.6 : 0.4 / (nl - 1);
                if (l == nl - 1) {
                    md->m[f][l] = 0.4 / (nl - 1) / 4;
                }
            }
            ub[f][l] = md->u[f][l];
        }
    }
    for (it = 1; it <= max_iter; it++) {
        double sm[LINK_C_COUNT][LINK_LEVELS];
        double su[LINK_C_COUNT][LINK_LEVELS];
        double tot = 0;
        double totm = 0;
        double delta = 0;
        size_t i;

        memset(sm, 0, sizeof sm);
        memset(su, 0, sizeof su);
        for (i = 0; i < np; i++) {
            double lm = log(lam);
            double lu = log(1 - lam);
            double g;

            for (f = 0; f < md->n_fields; f++) {
                l = link_level_of(p[i].lv, f);
                if (l == LINK_LEVEL_NULL || !((fields >> f) & 1)) {
                    continue;
                }
                lm += log(md->m[f][l]);
                lu += log(ub[f][l]);
            }
            g = 1.0 / (1.0 + exp(lu - lm));
            tot += p[i].count;
            totm += p[i].count * g;
            for (f = 0; f < md->n_fields; f++) {
                l = link_level_of(p[i].lv, f);
                if (l == LINK_LEVEL_NULL || !((fields >> f) & 1)) {
                    continue;
                }
                sm[f][l] += p[i].count * g;
                su[f][l] += p[i].count * (1 - g);
            }
        }
        for (f = 0; f < md->n_fields; f++) {
            double nm = 0;
            double nu = 0;

            if (!((fields >> f) & 1)) {
                continue;
            }
            for (l = 0; l < md->n_levels[f]; l++) {
                nm += sm[f][l];
                nu += su[f][l];
            }
            for (l = 0; l < md->n_levels[f]; l++) {
                double m =
                    nm > 0 ? (sm[f][l] + 1e-3) / (nm + 1e-3 * md->n_levels[f])
                           : md->m[f][l];
                double u =
                    nu > 0 ? (su[f][l] + 1e-3) / (nu + 1e-3 * md->n_levels[f])
                           : ub[f][l];

                if (!fix_m) {
                    delta = fmax(delta, fabs(m - md->m[f][l]));
                    md->m[f][l] = m;
                }
                delta = fmax(delta, fabs(u - ub[f][l]));
                ub[f][l] = u;
            }
            if (!fix_m) {
                monotone_ratio(md->m[f], md->u[f], md->n_levels[f]);
            }
        }
        if (tot > 0) {
            double nl = fmin(fmax(totm / tot, 1e-9), 1 - 1e-9);

            delta = fmax(delta, fabs(nl - lam));
            lam = nl;
        }
        if (delta < 1e-6) {
            break;
        }
    }
    *lambda = lam;
    if (u_out != NULL) {
        memcpy(u_out, ub, sizeof ub);
    }
    return it > max_iter ? max_iter : it;
}

/* The patterns whose levels of field f are at most max_level (a session
 * blocked on that agreement), copied into q. */
static size_t select_patterns(const struct link_pattern *p, size_t np,
                              struct link_pattern *q, int f1, int f2,
                              int max_level)
{
    size_t i;
    size_t n = 0;

    for (i = 0; i < np; i++) {
        int l1 = link_level_of(p[i].lv, f1);
        int l2 = f2 >= 0 ? link_level_of(p[i].lv, f2) : 0;

        if (l1 <= max_level && l2 <= max_level && !(p[i].lv & LINK_WINDOWED)) {
            q[n++] = p[i];
        }
    }
    return n;
}

/* Keep, of the nq patterns in q, those of pairs not selected by their
 * births (LINK_NOT_BY_BIRTH), unless fewer than 100 pairs are left. Returns the
 * patterns kept. */
static size_t keep_not_by_birth(struct link_pattern *q, size_t nq)
{
    double pairs = 0;
    size_t i;
    size_t n = 0;

    for (i = 0; i < nq; i++) {
        if (q[i].lv & LINK_NOT_BY_BIRTH) {
            pairs += q[i].count;
        }
    }
    if (pairs < 100) {
        return nq;
    }
    for (i = 0; i < nq; i++) {
        if (q[i].lv & LINK_NOT_BY_BIRTH) {
            q[n++] = q[i];
        }
    }
    return n;
}

/* The patterns whose levels of fields f1, f2 and f3 are all at most
 * max_level, copied into q. */
static size_t select_patterns3(const struct link_pattern *p, size_t np,
                               struct link_pattern *q, int f1, int f2, int f3,
                               int max_level)
{
    size_t i;
    size_t n = 0;

    for (i = 0; i < np; i++) {
        if (!(p[i].lv & LINK_WINDOWED) &&
            link_level_of(p[i].lv, f1) <= max_level &&
            link_level_of(p[i].lv, f2) <= max_level &&
            link_level_of(p[i].lv, f3) <= max_level) {
            q[n++] = p[i];
        }
    }
    return n;
}

/* Fit m. Clear records: Splink's way, one session blocked on agreeing
 * names to learn the other fields, one blocked on the same birth date to
 * learn the names (a field a session is blocked on tells nothing there);
 * then lambda over all candidates with m fixed. Encoded records: one
 * session over all candidates. Returns the total iterations. */
int link_fit(struct link_model *md, const struct link_pattern *p, size_t np,
             int max_iter, int strict, int *status)
{
    double m[LINK_C_COUNT][LINK_LEVELS];
    struct link_pattern *q;
    size_t nq;
    double lam;
    unsigned all = (1u << md->n_fields) - 1;
    int its = 0;
    int f;
    int name_f1 = LINK_C_GIVEN;
    int name_f2 = LINK_C_FAMILY;
    int birth_f = LINK_C_BIRTH;

    *status = 0;
    if (md->clk) {
        name_f1 = LINK_CK_NAMES;
        name_f2 = LINK_CK_NAMES;
        birth_f = LINK_CK_BIRTH;
    }
    q = ctis_malloc((np > 0 ? np : 1) * sizeof *q);
    if (q == NULL) {
        *status = CTIS_ENOMEM;
        return 0;
    }
    /* session 1: names agree (same phonetic key; encoded: name Dice at
     * least 0.70) -> the other fields. Encoded, second try (strict, when
     * the first finds no matches): names (Dice at least 0.80) and the
     * province agree -> birth, as in the clear second try: among many
     * namesakes a class of "same village" can win over the matches so
     * that birth learns nothing. */
    if (md->clk && strict) {
        nq = select_patterns(p, np, q, LINK_CK_NAMES, LINK_CK_PROVINCE, 1);
        its += em(md, q, nq, 1u << LINK_CK_BIRTH, 0, max_iter, &lam, NULL);
    } else if (strict) {
        /* clear, second try: both names' keys and the province agree ->
         * birth (the names alone are, among hundreds of thousands of
         * records, mostly namesakes: a class of them can win over the
         * matches) */
        nq = select_patterns3(p, np, q, name_f1, name_f2, LINK_C_PROVINCE, 1);
        its += em(md, q, nq, 1u << LINK_C_BIRTH, 0, max_iter, &lam, NULL);
    } else {
        nq = select_patterns(p, np, q, name_f1, name_f2, md->clk ? 2 : 1);
        nq = keep_not_by_birth(q, nq);
        its += em(md, q, nq, all & ~((1u << name_f1) | (1u << name_f2)), 0,
                  max_iter, &lam, NULL);
    }
    memcpy(m, md->m, sizeof m);
    /* session 2: same birth date -> the names (strict: every field but
     * birth) */
    nq = select_patterns(p, np, q, birth_f, -1, 0);
    its += em(md, q, nq, all & ~(1u << birth_f), 0, max_iter, &lam, NULL);
    for (f = 0; f < md->n_fields; f++) {
        if (strict ? f == birth_f : f != name_f1 && f != name_f2) {
            memcpy(md->m[f], m[f], sizeof m[f]);
        }
    }
    ctis_free(q);
    return its;
}

/* Nonzero when a fit is not of the matches: no match at all, fewer
 * matches with the same birth date than with births years apart, or
 * hardly any (under 1%) with the same date. */
int link_fit_failed(const struct link_model *md, double matches)
{
    int b = md->clk ? LINK_CK_BIRTH : LINK_C_BIRTH;

    return matches < 1 || md->m[b][0] < md->m[b][md->n_levels[b] - 1] ||
           md->m[b][0] < 0.01;
}

/* The weight of each level: log2(m / u). */
void link_set_weights(struct link_model *md)
{
    int f;
    int l;

    for (f = 0; f < md->n_fields; f++) {
        for (l = 0; l < LINK_LEVELS; l++) {
            md->w[f][l] =
                l < md->n_levels[f] ? log2(md->m[f][l] / md->u[f][l]) : 0;
        }
    }
}

/* The share of matches among all pairs, given the weights: the fixed
 * point of pi = sum over candidates of P(match | weight, pi) / all pairs
 * (pairs that are not candidates count as non-matches). Returns the
 * expected number of matching pairs. */
double link_expected_matches(const struct link_model *md,
                             const struct link_pattern *p, size_t np,
                             double n_all)
{
    double pi = 1e-4;
    double m = 0;
    int it;
    size_t i;

    for (it = 0; it < 200; it++) {
        double prior = log2(pi / (1 - pi));
        double next;

        m = 0;
        for (i = 0; i < np; i++) {
            double w = prior;
            int f;

            for (f = 0; f < md->n_fields; f++) {
                int l = link_level_of(p[i].lv, f);

                if (l != LINK_LEVEL_NULL) {
                    w += log2(md->m[f][l] / md->u[f][l]);
                }
            }
            m += p[i].count / (1.0 + exp2(-w));
        }
        next = fmin(fmax(m / n_all, 1e-15), 0.5);
        if (fabs(next - pi) < 1e-9 * pi) {
            break;
        }
        pi = next;
    }
    return m;
}

/* Weights in bins of 1/16 bit over [-64, 64); at most PRIOR_SAMPLE
 * candidates are weighed (every k-th), each counting k. */
#define PRIOR_BINS 2048
#define PRIOR_LO (-64.0)
#define PRIOR_STEP (1.0 / 16)
#define PRIOR_SAMPLE 500000

/* The fixed point of pi = sum of P(match | weight, pi) / n_pairs over a
 * histogram of weights, as log2 prior odds. */
static double prior_fixed_point(const double *hist, double n_pairs,
                                double start)
{
    double pi = exp2(start) / (1 + exp2(start));
    double m = 0;
    int it;

    for (it = 0; it < 200; it++) {
        double prior = log2(pi / (1 - pi));
        double next;
        long b;

        m = 0;
        for (b = 0; b < PRIOR_BINS; b++) {
            if (hist[b] > 0) {
                double w = PRIOR_LO + (double)b * PRIOR_STEP;

                m += hist[b] / (1.0 + exp2(-(prior + w)));
            }
        }
        next = fmin(fmax(m / n_pairs, 1e-15), 0.5);
        if (fabs(next - pi) < 1e-9 * pi) {
            break;
        }
        pi = next;
    }
    return log2(fmax(m, 0.5) / fmax(n_pairs - m, 1));
}

/* Class priors: see link_int.h. The candidates' weights are those the
 * pairs are decided on (term frequencies and the name combination
 * included: namesakes are not independent agreements of two names), in
 * histograms per class; each class's prior is the fixed point of its own
 * expected matches, as link_expected_matches does for all pairs with the
 * fit's weights. */
int link_class_priors(const struct link_set *s, const struct link_cands *c,
                      struct link_model *md)
{
    double *hist = ctis_calloc(3 * PRIOR_BINS, sizeof *hist);
    double n_pairs[3] = {0, 0, 0};
    size_t step = c->n / PRIOR_SAMPLE + 1;
    size_t i;
    int k;

    if (hist == NULL) {
        return CTIS_ENOMEM;
    }
    {
        /* pairs of one list: the sum over lists of n_l (n_l - 1) / 2 */
        double *per =
            ctis_calloc(s->n_lists > 0 ? s->n_lists : 1, sizeof *per);

        if (per == NULL) {
            ctis_free(hist);
            return CTIS_ENOMEM;
        }
        for (i = 0; i < s->n; i++) {
            per[s->recs[i].list] += 1;
        }
        for (i = 0; i < s->n_lists; i++) {
            n_pairs[1] += per[i] * (per[i] - 1) / 2;
        }
        ctis_free(per);
        n_pairs[2] = (double)s->n * (double)(s->n - 1) / 2;
        n_pairs[0] = n_pairs[2] - n_pairs[1];
    }
    for (i = 0; i < c->n; i += step) {
        uint32_t a = c->v[i].a;
        uint32_t b = c->v[i].b;
        double w = link_weight_of(s, a, b, c->v[i].lv, NULL);
        int same = s->recs[a].list == s->recs[b].list;
        long bin = lround((w - PRIOR_LO) / PRIOR_STEP);

        bin = bin < 0 ? 0 : bin >= PRIOR_BINS ? PRIOR_BINS - 1 : bin;
        hist[same * PRIOR_BINS + bin] += (double)step;
        hist[2 * PRIOR_BINS + bin] += (double)step;
    }
    md->prior = prior_fixed_point(&hist[2 * PRIOR_BINS], n_pairs[2],
                                  md->prior);
    for (k = 0; k < 2; k++) {
        md->prior_pair[k] =
            n_pairs[k] < 1 ? md->prior
                           : prior_fixed_point(&hist[k * PRIOR_BINS],
                                               n_pairs[k], md->prior);
    }
    ctis_free(hist);
    return 0;
}
