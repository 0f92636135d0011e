/*
 * weight.c - the weight of a pair: its levels under the fitted model,
 * with the term-frequency adjustment of agreeing names and of the name
 * combination (docs/linkage.md, "Term frequencies").
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "link_int.h"

/* The levels of a pair whatever record comes first: the comparison of
 * names crosswise gives the given name's level to the first record's
 * given name, so the records are taken in the order of the set. */
void link_compare_any(const struct link_set *s, uint32_t a, uint32_t b, int *lv)
{
    if (a > b) {
        uint32_t t = a;

        a = b;
        b = t;
    }
    if (s->model.clk) {
        link_compare_clk(&s->recs[a], &s->recs[b], lv);
    } else {
        link_compare(&s->recs[a], &s->recs[b], lv);
    }
}

/* ---- term frequencies --------------------------------------------------- */

/* The tf table counts given names (tag 0), family names (1), given name
 * keys (2) and family name keys (3): key = hash mixed with the tag. */
static size_t tf_slot(const struct link_model *md, uint32_t key)
{
    size_t mask = md->tf_cap - 1;
    size_t i = (size_t)(key * 2654435761u) & mask;

    while (md->tf_key[i] != 0 && md->tf_key[i] != key) {
        i = (i + 1) & mask;
    }
    return i;
}

static uint32_t tf_key(uint32_t h, int tag)
{
    static const uint32_t mix[LINK_TF_TAGS] = {0, 0x5bd1e995u, 0x1b873593u,
                                               0xcc9e2d51u, 0x85ebca6bu};
    uint32_t k = h ^ mix[tag];

    return k == 0 ? 1 : k;
}

static void tf_count(struct link_model *md, uint32_t h, int tag)
{
    size_t slot = tf_slot(md, tf_key(h, tag));

    md->tf_key[slot] = tf_key(h, tag);
    md->tf_count[slot]++;
    md->tf_n[tag] += 1;
}

static double tf_freq(const struct link_model *md, uint32_t h, int tag);

/* The names of an encoded record as one value: the keyed token of the
 * whole name's key (blocking key 11, given and family name in both
 * orders: the smaller is order-free), equal when the names' keys are
 * under one secret; 0 when it has none. */
static uint32_t clk_names_token(const struct link_rec *r)
{
    uint32_t x = r->tok[10][0];
    uint32_t y = r->tok[10][1];

    return y != 0 && y < x ? y : x;
}

/* Whether record r has the value of tf tag t, and its hash. Encoded
 * records have only the combination (clk_names_token). */
static int tf_value(const struct link_rec *r, int t, uint32_t *h)
{
    if (r->bloom != NULL) {
        *h = clk_names_token(r);
        return t == 4 && *h != 0;
    }
    switch (t) {
    case 0:
        *h = r->gh;
        return r->given != NULL;
    case 1:
        *h = r->fh;
        return r->family != NULL;
    case 2:
        *h = r->gkh;
        return r->given != NULL;
    case 3:
        *h = r->fkh;
        return r->family != NULL;
    default:
        *h = r->ckh;
        return r->given != NULL && r->family != NULL;
    }
}

struct tf_unit {
    uint32_t h;
    uint32_t unit;
};

static int cmp_tf_unit(const void *x, const void *y)
{
    const struct tf_unit *a = x;
    const struct tf_unit *b = y;

    if (a->h != b->h) {
        return a->h < b->h ? -1 : 1;
    }
    return a->unit < b->unit ? -1 : a->unit > b->unit;
}

/* Count the values of every tag, each once per unit: per record when
 * cluster is NULL, else per cluster (a person of three records counts
 * once: the frequency of a name among the other persons). */
int link_build_tf(struct link_set *s, const uint32_t *cluster)
{
    struct link_model *md = &s->model;
    struct tf_unit *v = ctis_malloc((s->n > 0 ? s->n : 1) * sizeof *v);
    size_t cap = 1024;
    size_t i;
    int t;

    if (v == NULL) {
        return CTIS_ENOMEM;
    }
    while (cap < s->n * 8 + 16) {
        cap *= 2;
    }
    ctis_free(md->tf_key);
    ctis_free(md->tf_count);
    ctis_free(md->tf_rec);
    md->tf_rec = NULL;
    md->tf_key = ctis_calloc(cap, sizeof *md->tf_key);
    md->tf_count = ctis_calloc(cap, sizeof *md->tf_count);
    if (md->tf_key == NULL || md->tf_count == NULL) {
        ctis_free(v);
        return CTIS_ENOMEM;
    }
    md->tf_cap = cap;
    md->tf_self = cluster != NULL ? 1 : 2;
    md->n_records = s->n;
    memset(md->tf_n, 0, sizeof md->tf_n);
    memset(md->tf_sq, 0, sizeof md->tf_sq);
    for (t = 0; t < LINK_TF_TAGS; t++) {
        size_t n = 0;
        size_t k;

        for (i = 0; i < s->n; i++) {
            uint32_t h;

            if (tf_value(&s->recs[i], t, &h)) {
                v[n].h = h;
                v[n].unit = cluster != NULL ? cluster[i] : (uint32_t)i;
                n++;
            }
        }
        if (cluster != NULL) {
            qsort(v, n, sizeof *v, cmp_tf_unit);
        }
        for (k = 0; k < n; k++) {
            if (cluster != NULL && k > 0 && v[k].h == v[k - 1].h &&
                v[k].unit == v[k - 1].unit) {
                continue;
            }
            tf_count(md, v[k].h, t);
        }
        /* sum of squared frequencies over values: each unit adds its
         * value's frequency over the units */
        for (k = 0; k < n; k++) {
            if (cluster != NULL && k > 0 && v[k].h == v[k - 1].h &&
                v[k].unit == v[k - 1].unit) {
                continue;
            }
            if (md->tf_n[t] > 0) {
                double f =
                    md->tf_count[tf_slot(md, tf_key(v[k].h, t))] / md->tf_n[t];

                md->tf_sq[t] += f / md->tf_n[t];
            }
        }
    }
    ctis_free(v);
    md->tf_rec =
        ctis_malloc((s->n > 0 ? s->n : 1) * LINK_TF_TAGS * sizeof *md->tf_rec);
    if (md->tf_rec == NULL) {
        return CTIS_ENOMEM;
    }
    for (i = 0; i < s->n; i++) {
        float *f = &md->tf_rec[i * LINK_TF_TAGS];

        for (t = 0; t < LINK_TF_TAGS; t++) {
            uint32_t h;

            f[t] = tf_value(&s->recs[i], t, &h) ? (float)tf_freq(md, h, t) : 0;
        }
    }
    return 0;
}

static double tf_freq(const struct link_model *md, uint32_t h, int tag)
{
    if (md->tf_cap == 0 || md->tf_n[tag] <= 0) {
        return 0;
    }
    return md->tf_count[tf_slot(md, tf_key(h, tag))] / md->tf_n[tag];
}

/* Term-frequency adjusted weight of a name field agreeing at level l
 * (0 exact, 1 phonetic): u scaled by how common the names are against
 * the average (Splink's adjustment, also for keys). */
static double tf_weight(const struct link_set *s, const struct link_rec *a,
                        const struct link_rec *b, int f, int l)
{
    const struct link_model *md = &s->model;
    int fam = f == LINK_C_FAMILY;
    int tag = fam + 2 * l;
    double fa = md->tf_rec[(size_t)(a - s->recs) * LINK_TF_TAGS + (size_t)tag];
    double fb = md->tf_rec[(size_t)(b - s->recs) * LINK_TF_TAGS + (size_t)tag];
    double fr;

    if (fa <= 0 || fb <= 0 || md->tf_sq[tag] <= 0) {
        return md->w[f][l];
    }
    fr = sqrt(fa * fb);
    return log2(md->m[f][l] / (md->u[f][l] * fr / md->tf_sq[tag]));
}

/* Weight of a packed pattern of pair (a, b), with the term-frequency
 * adjustment of agreeing names; fw gets each field's weight. */
double link_weight_of(const struct link_set *s, uint32_t a, uint32_t b,
                      uint32_t p, double *fw)
{
    const struct link_model *md = &s->model;
    double w = 0;
    int f;

    for (f = 0; f < md->n_fields; f++) {
        int l = link_level_of(p, f);
        double x = 0;

        if (l != LINK_LEVEL_NULL) {
            x = md->w[f][l];
            if (!md->clk && l <= 1 &&
                (f == LINK_C_GIVEN || f == LINK_C_FAMILY)) {
                x = tf_weight(s, &s->recs[a], &s->recs[b], f, l);
            }
        }
        if (fw != NULL) {
            fw[f] = x;
        }
        w += x;
    }
    if (md->clk && link_level_of(p, LINK_CK_NAMES) <= 1 &&
        clk_names_token(&s->recs[a]) != 0 &&
        clk_names_token(&s->recs[a]) == clk_names_token(&s->recs[b])) {
        /* encoded: the names' segment agrees and so does the keyed token
         * of the names (clk_names_token), counted like a clear value, as
         * the combination of the clear mode's keys is. A common
         * combination weighs what a non-match sharing it makes likely
         * among the other units (three at least); a rare one (fewer
         * others) has u scaled by its frequency over the average, as a
         * clear name's (Splink's adjustment), when that weighs more */
        double fa = md->tf_rec[(size_t)a * LINK_TF_TAGS + 4];
        double others = floor(fa * md->tf_n[4] + 0.5) - md->tf_self;
        int l = link_level_of(p, LINK_CK_NAMES);
        double x = md->w[LINK_CK_NAMES][l];

        if (others >= 3) {
            double joint = log2(md->m[LINK_CK_NAMES][l] /
                                (others / md->tf_n[4]));

            x = joint < x ? joint : x;
        } else if (fa > 0 && md->tf_sq[4] > 0) {
            double rare = log2(md->m[LINK_CK_NAMES][l] /
                               (md->u[LINK_CK_NAMES][l] * fa / md->tf_sq[4]));

            x = rare > x ? rare : x;
        }
        w += x - md->w[LINK_CK_NAMES][l];
        if (fw != NULL) {
            fw[LINK_CK_NAMES] = x;
        }
    } else if (!md->clk && link_level_of(p, LINK_C_GIVEN) <= 1 &&
               link_level_of(p, LINK_C_FAMILY) <= 1) {
        /* both names agree: the chance that a non-match does is the
         * frequency of the combination among the other records, which is
         * not the product of the names' frequencies when names go
         * together (families, namesakes) */
        double fa = md->tf_rec[(size_t)a * LINK_TF_TAGS + 4];
        double fb = md->tf_rec[(size_t)b * LINK_TF_TAGS + 4];

        if (fa > 0 && fb > 0) {
            int lg = link_level_of(p, LINK_C_GIVEN);
            int lf = link_level_of(p, LINK_C_FAMILY);
            /* the pair's own records (or person) are not namesakes */
            double others =
                floor(sqrt(fa * fb) * md->tf_n[4] + 0.5) - md->tf_self;
            double fr = fmax(others, 1) / md->tf_n[4];
            double joint =
                log2(md->m[LINK_C_GIVEN][lg] * md->m[LINK_C_FAMILY][lf] / fr);
            double both =
                tf_weight(s, &s->recs[a], &s->recs[b], LINK_C_GIVEN, lg) +
                tf_weight(s, &s->recs[a], &s->recs[b], LINK_C_FAMILY, lf);

            /* with fewer than three other units of that combination the
             * count says little (a person split over two clusters, typos):
             * the names' frequencies are all there is to go on */
            if (others >= 3 && joint < both) {
                w += joint - both;
                if (fw != NULL) {
                    fw[LINK_C_GIVEN] = joint / 2;
                    fw[LINK_C_FAMILY] = joint / 2;
                }
            }
        }
    }
    return w;
}

/* Nonzero when link_weight_of's weight of packed levels p depends on the
 * name frequencies (a name field at level 0 or 1, or the encoded names'
 * segment): pairs without it weigh the same in both passes of link_run. */
int link_weight_uses_tf(const struct link_set *s, uint32_t p)
{
    if (s->model.clk) {
        return link_level_of(p, LINK_CK_NAMES) <= 1;
    }
    return link_level_of(p, LINK_C_GIVEN) <= 1 ||
           link_level_of(p, LINK_C_FAMILY) <= 1;
}

/* Weight of any pair under the fitted model. */
double link_pair_weight(const struct link_set *s, uint32_t a, uint32_t b,
                        int *lv, double *fw)
{
    int l[LINK_C_COUNT];

    link_compare_any(s, a, b, l);
    if (lv != NULL) {
        memcpy(lv, l, sizeof l);
    }
    return link_weight_of(s, a, b, link_pack(l, s->model.n_fields), fw);
}
