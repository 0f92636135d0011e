/*
 * cluster.c - accepted pairs into persons.
 *
 * Clustering. Accepted pairs, strongest first, join union-find sets. Each
 * set keeps the lists of its records as a bit mask: joining two sets that
 * share a list (two records of one list in one person) needs the pair's
 * weight to exceed the acceptance threshold by strong_weight bits. A
 * reviewer's non-match keeps the two records' sets apart; a match joins
 * them.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "link_int.h"

/* ---- clustering -- */

struct uf {
    uint32_t *parent;
    uint64_t *lists;
    uint32_t *next; /* members of a set as a circular list */
    uint32_t *size;
};

/* Mean weight of the pairs across two sets (at most 256 pairs looked at;
 * larger merges are judged by the joining pair alone). */
static int mean_cross_weight(const struct link_set *s, const struct uf *u,
                             uint32_t ra, uint32_t rb, double *mean,
                             double *min, double *same_min,
                             double *same_mean, int *conflict)
{
    uint32_t x = ra;
    double sum = 0;
    double same_sum = 0;
    long same_n = 0;
    long n = 0;
    int bf = s->model.clk ? LINK_CK_BIRTH : LINK_C_BIRTH;
    int worst = s->model.n_levels[bf] - 1;

    *min = 1e9;
    *same_min = 1e9;
    *same_mean = 1e9;
    *conflict = 0;

    if ((uint64_t)u->size[ra] * u->size[rb] > 1024) {
        return 0;
    }
    do {
        uint32_t y = rb;

        do {
            int lv[LINK_C_COUNT];
            double w =
                link_pair_weight(s, x < y ? x : y, x < y ? y : x, lv, NULL);

            /* births years apart: two persons, whatever the names say */
            *conflict |= lv[bf] == worst;
            sum += w;
            *min = w < *min ? w : *min;
            if (s->recs[x].list == s->recs[y].list) {
                *same_min = w < *same_min ? w : *same_min;
                same_sum += w;
                same_n++;
            }
            n++;
            y = u->next[y];
        } while (y != rb);
        x = u->next[x];
    } while (x != ra);
    *mean = sum / (double)n;
    if (same_n > 0) {
        *same_mean = same_sum / (double)same_n;
    }
    return 1;
}

/* The birth level of a joining pair. */
static int joining_birth(const struct link_set *s, const struct link_pair *p)
{
    int lv[LINK_C_COUNT];

    if (p->weight >= 999) {
        return 0; /* a reviewer's match */
    }
    link_pair_weight(s, p->a, p->b, lv, NULL);
    return lv[s->model.clk ? LINK_CK_BIRTH : LINK_C_BIRTH];
}

static uint32_t uf_find(struct uf *u, uint32_t x)
{
    while (u->parent[x] != x) {
        u->parent[x] = u->parent[u->parent[x]];
        x = u->parent[x];
    }
    return x;
}

int link_cmp_pair_desc(const void *x, const void *y)
{
    const struct link_pair *a = x;
    const struct link_pair *b = y;

    if (a->weight != b->weight) {
        return a->weight > b->weight ? -1 : 1;
    }
    if (a->a != b->a) {
        return a->a < b->a ? -1 : 1;
    }
    return a->b < b->b ? -1 : a->b > b->b;
}

/* Nonzero when a reviewer said two records of sets ra and rb differ. */
static int kept_apart(const struct link_set *s, struct uf *u, uint32_t ra,
                      uint32_t rb)
{
    size_t i;

    for (i = 0; i < s->n_decisions; i++) {
        const struct link_decision *d = &s->decisions[i];
        uint32_t x;
        uint32_t y;

        if (d->match) {
            continue;
        }
        x = uf_find(u, d->a);
        y = uf_find(u, d->b);
        if ((x == ra && y == rb) || (x == rb && y == ra)) {
            return 1;
        }
    }
    return 0;
}

/* Competing candidates: a record is at most one person, so it has one
 * match in another list, not two (a duplicate inside a list is the rare
 * exception). The odds o = 2^(prior + w) of pair (a, b) of lists la, lb
 * (the prior of its class, link_prior_of)
 * are shared with a's other candidates in lb and b's in la: P(b is a's
 * match) = o / (1 + the sum of a's odds in lb), and the pair keeps the
 * smaller of its two sides. Pairs of one list are left as they are. The
 * pairs kept are those whose probability then reaches accept; their prob
 * is the competing one. */
int link_compete(const struct link_set *s, struct link_pair *v, size_t *n,
                 double accept)
{
    size_t nl = s->n_lists > 0 ? s->n_lists : 1;
    double *sum = ctis_calloc(s->n * nl, sizeof *sum);
    size_t i;
    size_t k = 0;

    if (sum == NULL) {
        return CTIS_ENOMEM;
    }
    for (i = 0; i < *n; i++) {
        uint32_t la = s->recs[v[i].a].list;
        uint32_t lb = s->recs[v[i].b].list;
        double o = exp2(link_prior_of(s, v[i].a, v[i].b) + v[i].weight);

        if (la != lb) {
            sum[(size_t)v[i].a * nl + lb] += o;
            sum[(size_t)v[i].b * nl + la] += o;
        }
    }
    for (i = 0; i < *n; i++) {
        uint32_t la = s->recs[v[i].a].list;
        uint32_t lb = s->recs[v[i].b].list;
        double o = exp2(link_prior_of(s, v[i].a, v[i].b) + v[i].weight);
        double p = o / (1 + o);

        if (la != lb) {
            double sa = sum[(size_t)v[i].a * nl + lb];
            double sb = sum[(size_t)v[i].b * nl + la];

            p = o / (1 + (sa > sb ? sa : sb));
        }
        if (p >= accept) {
            v[k] = v[i];
            v[k].prob = (float)p;
            k++;
        }
    }
    *n = k;
    ctis_free(sum);
    return 0;
}

int link_cluster(const struct link_set *s, struct link_pair *acc, size_t n_acc,
                 double strong, double dup_floor, double mean_floor,
                 double min_floor, struct link_result *res)
{
    struct uf u;
    size_t i;
    uint32_t *id;
    uint32_t next = 0;

    u.parent = ctis_malloc((s->n > 0 ? s->n : 1) * sizeof *u.parent);
    u.lists = ctis_malloc((s->n > 0 ? s->n : 1) * sizeof *u.lists);
    u.next = ctis_malloc((s->n > 0 ? s->n : 1) * sizeof *u.next);
    u.size = ctis_malloc((s->n > 0 ? s->n : 1) * sizeof *u.size);
    id = ctis_malloc((s->n > 0 ? s->n : 1) * sizeof *id);
    if (u.parent == NULL || u.lists == NULL || id == NULL || u.next == NULL ||
        u.size == NULL) {
        ctis_free(u.parent);
        ctis_free(u.lists);
        ctis_free(u.next);
        ctis_free(u.size);
        ctis_free(id);
        return CTIS_ENOMEM;
    }
    for (i = 0; i < s->n; i++) {
        u.parent[i] = (uint32_t)i;
        u.next[i] = (uint32_t)i;
        u.size[i] = 1;
        u.lists[i] = 1ULL << (s->recs[i].list % 64);
        res->match_weight[i] = NAN;
        id[i] = UINT32_MAX;
    }
    /* No pair accepted leaves acc NULL: qsort(NULL, 0) is undefined. */
    if (n_acc > 0) {
        qsort(acc, n_acc, sizeof *acc, link_cmp_pair_desc);
    }
    for (i = 0; i < n_acc; i++) {
        uint32_t ra = uf_find(&u, acc[i].a);
        uint32_t rb = uf_find(&u, acc[i].b);
        float *wa = &res->match_weight[acc[i].a];
        float *wb = &res->match_weight[acc[i].b];
        int shared;

        if (ra == rb) {
            continue;
        }
        shared = (u.lists[ra] & u.lists[rb]) != 0;
        if (s->n_decisions > 0 && kept_apart(s, &u, ra, rb)) {
            continue;
        }
        if (acc[i].weight < 999 && (shared || u.size[ra] + u.size[rb] > 2)) {
            double mean;
            double min;
            double same_min;
            double same_mean;
            int conflict;
            /* average linkage: the pairs across the two sets must agree
             * on the whole; a single pair against them vetoes the join
             * only when the joining pair is not near-certain */
            int jb = joining_birth(s, &acc[i]);
            int looked = mean_cross_weight(s, &u, ra, rb, &mean, &min, &same_min, &same_mean, &conflict);

            /* two records of one list in one person (a duplicate inside
             * a list): each such pair strong evidence itself, or the
             * joining pair near-certain and the pairs of one list across
             * at least as good on average as average linkage wants (when
             * the sets are too large to look, the joining pair must be
             * near-certain) */
            if (shared &&
                !(looked ? same_min >= dup_floor ||
                               (acc[i].weight >= strong &&
                                same_mean >= mean_floor)
                         : acc[i].weight >= strong)) {
                continue;
            }
            if (looked && u.size[ra] + u.size[rb] > 2 &&
                (mean < mean_floor ||
                 (min < min_floor && !(acc[i].weight >= strong && jb <= 2)) ||
                 (conflict && jb == LINK_LEVEL_NULL))) {
                continue;
            }
        }
        u.parent[rb] = ra;
        u.lists[ra] |= u.lists[rb];
        u.size[ra] += u.size[rb];
        {
            uint32_t t = u.next[ra];

            u.next[ra] = u.next[rb];
            u.next[rb] = t;
        }
        res->n_accepted++;
        if (isnan(*wa) || *wa < acc[i].weight) {
            *wa = acc[i].weight;
        }
        if (isnan(*wb) || *wb < acc[i].weight) {
            *wb = acc[i].weight;
        }
    }
    for (i = 0; i < s->n; i++) {
        uint32_t r = uf_find(&u, (uint32_t)i);

        if (id[r] == UINT32_MAX) {
            id[r] = next++;
        }
        res->cluster[i] = id[r];
    }
    res->n_clusters = next;
    ctis_free(u.parent);
    ctis_free(u.lists);
    ctis_free(u.next);
    ctis_free(u.size);
    ctis_free(id);
    return 0;
}
