/*
 * run.c - the linking pipeline: u from random pairs, candidate pairs from
 * several blocking keys, EM for m, scoring with term-frequency adjustment,
 * clustering of accepted pairs into persons, the review band, explain.
 *
 * Candidate pairs. For each blocking key the (key, record) entries are
 * sorted and each run of equal keys is a block. A pair met in block k is
 * compared only when no earlier key j < k puts both records in one block
 * that is enumerated (not over block_cap): so the union of the keys'
 * pairs is compared, each pair once, with no table of pairs seen. Blocks
 * are split between two threads; each keeps its own pair array.
 *
 * Model. The levels of every candidate pair are packed 3 bits a field
 * into one uint32 (a pattern). EM runs on the distinct patterns and their
 * counts, fitting m (matches), an in-block u and the share of matches
 * lambda; the match weight of a level is log2(m / u) with u measured on
 * random pairs (the in-block u is biased by blocking). The prior odds of a
 * random pair are lambda * candidates / (all pairs - lambda * candidates),
 * so that match probability = 1 / (1 + 2^-(prior + weight)).
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

/* Term-frequency tags: given, family, their keys, the combination. */
#define TF_TAGS 5

struct pattern {
    uint32_t lv;
    double count;
};

struct cand {
    uint32_t a, b;
    uint32_t lv;  /* packed levels */
};

struct cands {
    struct cand *v;
    size_t n;
    size_t cap;
    int oom;
};

struct entry {
    uint64_t key;
    uint32_t sk;    /* order inside a block: the record's sort key */
    uint32_t rs;    /* record << 2 | which value of the record's key */
};

/* A candidate met only in a block compared by windows: sorted by birth,
 * its pairs are blocked on near births and teach EM nothing (the bit is
 * above the packed levels). */
#define WINDOWED (1u << 31)
/* A candidate that shares a block compared whole of a key without birth
 * (names and province, names alone, contacts, place): a population of
 * pairs not selected by their births, from which EM learns birth. */
#define NOT_BY_BIRTH (1u << 30)

/* Blocking keys that hold no birth information (compare.c). */
static int key_without_birth(int k)
{
    return k == 1 || k == 4 || k == 5 || k == 6 || k >= 10;
}

#define ENTRY_REC(e) ((e).rs >> 2)
#define ENTRY_SLOT(e) ((int)((e).rs & 3))

/* What enumeration knows of the blocks: per record, a bit
 * k * LINK_KEY_VALUES + v set when the block of its value v of key k is
 * too large and enumerated by windows; the record's rank in that block
 * (rank[(rec * LINK_BLOCK_KEYS + k) * LINK_KEY_VALUES + v]); the window. */
struct blocks {
    uint64_t *win;
    uint32_t *rank;
    long window;
};

static const int clear_levels[LINK_C_COUNT] = {6, 6, 6, 2, 2, 3, 2, 3};
static const int clk_levels[LINK_CK_COUNT] = {5, 5, 5};
static const char *const clk_names[LINK_CK_COUNT] = {"clk_names",
                                                     "clk_birth",
                                                     "clk_other"};
static const char *const clear_names[LINK_C_COUNT] = {
    "given_name", "family_name", "birth", "sex", "home_province", "place",
    "phone", "email",
};

static int cmp_entry(const void *x, const void *y)
{
    const struct entry *a = x;
    const struct entry *b = y;

    if (a->key != b->key) {
        return a->key < b->key ? -1 : 1;
    }
    if (a->sk != b->sk) {
        return a->sk < b->sk ? -1 : 1;
    }
    return a->rs < b->rs ? -1 : a->rs > b->rs;
}

static uint32_t pack(const int *lv, int nf)
{
    uint32_t p = 0;
    int f;

    for (f = 0; f < nf; f++) {
        p |= (uint32_t)lv[f] << (3 * f);
    }
    return p;
}

static int level_of(uint32_t p, int f)
{
    return (int)((p >> (3 * f)) & 7);
}

static void compare_any(const struct link_set *s, uint32_t a, uint32_t b,
                        int *lv)
{
    if (s->model.clk) {
        link_compare_clk(&s->recs[a], &s->recs[b], lv);
    } else {
        link_compare(&s->recs[a], &s->recs[b], lv);
    }
}

static int cands_push(struct cands *c, uint32_t a, uint32_t b, uint32_t lv)
{
    if (c->n == c->cap) {
        size_t cap = c->cap == 0 ? 4096 : c->cap * 2;
        struct cand *p = ctis_realloc(c->v, cap * sizeof *p);

        if (p == NULL) {
            c->oom = 1;
            return CTIS_ENOMEM;
        }
        c->v = p;
        c->cap = cap;
    }
    c->v[c->n].a = a;
    c->v[c->n].b = b;
    c->v[c->n].lv = lv;
    c->n++;
    return 0;
}

/* ---- u from random pairs ------------------------------------------------ */

static void count_levels(const struct link_set *s, uint32_t a, uint32_t b,
                         double cnt[][LINK_LEVELS])
{
    int lv[LINK_C_COUNT];
    int f;

    compare_any(s, a, b, lv);
    for (f = 0; f < s->model.n_fields; f++) {
        cnt[f][lv[f]] += 1;
    }
}

static void estimate_u(struct link_set *s, const struct link_options *o)
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

/* ---- candidate pairs -- */

struct block_job {
    const struct link_set *s;
    const struct entry *e;
    size_t lo, hi;          /* entries of this job (whole blocks) */
    int key;
    long cap;
    const struct blocks *bl;
    struct cands *out;
    struct ctis_progress *progress;  /* thread 0 only */
    uint64_t base;
};

/* Nonzero when records a and b share a value of key j whose block
 * enumerates them (a block under the cap, or a windowed block where they
 * are at most a window apart) and, for j == key, that value is smaller
 * than v (so that block comes first). */
static int shares(const struct blocks *bl, uint32_t ia, uint32_t ib,
                  const struct link_rec *a, const struct link_rec *b, int j,
                  int key, uint64_t v)
{
    uint64_t wa = bl->win[ia];
    int x;
    int y;

    for (x = 0; x < LINK_KEY_VALUES && a->tok[j][x] != 0; x++) {
        uint64_t t = a->tok[j][x];
        int windowed = (int)((wa >> (j * LINK_KEY_VALUES + x)) & 1);

        if (j == key && t >= v) {
            continue;
        }
        for (y = 0; y < LINK_KEY_VALUES && b->tok[j][y] != 0; y++) {
            if (b->tok[j][y] == t) {
                uint32_t ra;
                uint32_t rb;

                if (!windowed) {
                    return 1;
                }
                ra = bl->rank[((size_t)ia * LINK_BLOCK_KEYS + (size_t)j) *
                                  LINK_KEY_VALUES +
                              (size_t)x];
                rb = bl->rank[((size_t)ib * LINK_BLOCK_KEYS + (size_t)j) *
                                  LINK_KEY_VALUES +
                              (size_t)y];
                if ((ra > rb ? ra - rb : rb - ra) <= (uint32_t)bl->window) {
                    return 1;
                }
            }
        }
    }
    return 0;
}

/* Nonzero when the pair is enumerated elsewhere first: by an earlier key
 * or by a smaller shared value of this key. */
static int seen_before(const struct link_set *s, const struct blocks *bl,
                       uint32_t a, uint32_t b, int key, uint64_t v)
{
    int j;

    for (j = 0; j <= key; j++) {
        if (shares(bl, a, b, &s->recs[a], &s->recs[b], j, key, v)) {
            return 1;
        }
    }
    return 0;
}

/* NOT_BY_BIRTH when records a and b share a value of a key without birth
 * in a block compared whole, else 0. */
static uint32_t not_by_birth(const struct link_set *s,
                             const struct blocks *bl, uint32_t a, uint32_t b)
{
    const struct link_rec *ra = &s->recs[a];
    const struct link_rec *rb = &s->recs[b];
    int k;

    for (k = 0; k < LINK_BLOCK_KEYS; k++) {
        int x;

        if (!key_without_birth(k)) {
            continue;
        }
        for (x = 0; x < LINK_KEY_VALUES && ra->tok[k][x] != 0; x++) {
            int y;

            if ((bl->win[a] >> (k * LINK_KEY_VALUES + x)) & 1) {
                continue;
            }
            for (y = 0; y < LINK_KEY_VALUES && rb->tok[k][y] != 0; y++) {
                if (rb->tok[k][y] == ra->tok[k][x]) {
                    return NOT_BY_BIRTH;
                }
            }
        }
    }
    return 0;
}

static void *block_worker(void *arg)
{
    struct block_job *j = arg;
    const struct link_set *s = j->s;
    size_t i = j->lo;
    int lv[LINK_C_COUNT];
    int nf = s->model.n_fields;

    while (i < j->hi && !j->out->oom) {
        size_t k = i;
        size_t x;
        size_t y;
        uint64_t v = j->e[i].key;

        while (k < j->hi && j->e[k].key == v) {
            k++;
        }
        {
            /* a block over the cap: each record with the next `window`
             * records in the order of birth, province and place */
            size_t w = (long)(k - i) <= j->cap ? k - i
                                               : (size_t)j->bl->window + 1;
            uint32_t windowed = (long)(k - i) <= j->cap ? 0 : WINDOWED;

            for (x = i; x < k; x++) {
                uint32_t a = ENTRY_REC(j->e[x]);
                size_t end = x + w < k ? x + w : k;

                for (y = x + 1; y < end; y++) {
                    uint32_t b = ENTRY_REC(j->e[y]);

                    if (a == b || seen_before(s, j->bl, a, b, j->key, v)) {
                        continue;
                    }
                    compare_any(s, a, b, lv);
                    if (cands_push(j->out, a < b ? a : b, a < b ? b : a,
                                   pack(lv, nf) | windowed |
                                       not_by_birth(s, j->bl, a, b)) != 0) {
                        return NULL;
                    }
                }
            }
        }
        if (j->progress != NULL) {
            ctis_progress_update(j->progress, j->base + (k - j->lo));
        }
        i = k;
    }
    return NULL;
}

/* The keys whose blocks grow with the data (names alone, a name with a
 * year or a province) are enumerated only in blocks of up to a quarter
 * of block_cap records; the others up to block_cap. */
static long key_cap(const struct link_options *o, int k, size_t n)
{
    /* past 100,000 records the cap falls with the square root of the
     * records, so that the pairs compared grow about linearly: larger
     * blocks are compared by windows, never skipped */
    double scale = n > 100000 ? sqrt(100000.0 / (double)n) : 1.0;
    long cap = (long)((double)o->block_cap * scale);

    if (k == 6 || (k >= 9 && k <= 12)) {
        return cap / 4 > 2 ? cap / 4 : 2;
    }
    return cap > 2 ? cap : 2;
}

/* Sort the entries of every key into ke[k] (kn[k] of them), mark the
 * record values whose blocks are over the cap in bl->win and note their
 * ranks (bl->rank, allocated when a block is over the cap). */
static int build_blocks(const struct link_set *s,
                        const struct link_options *o,
                        struct entry **ke, size_t *kn, struct blocks *bl,
                        uint64_t *skipped_blocks)
{
    size_t n = s->n;
    int k;

    for (k = 0; k < LINK_BLOCK_KEYS; k++) {
        size_t i;
        size_t m = 0;
        int v;

        for (i = 0; i < n; i++) {
            for (v = 0; v < LINK_KEY_VALUES && s->recs[i].tok[k][v] != 0;
                 v++) {
                m++;
            }
        }
        ke[k] = ctis_malloc((m > 0 ? m : 1) * sizeof *ke[k]);
        if (ke[k] == NULL) {
            return CTIS_ENOMEM;
        }
        m = 0;
        for (i = 0; i < n; i++) {
            for (v = 0; v < LINK_KEY_VALUES && s->recs[i].tok[k][v] != 0;
                 v++) {
                ke[k][m].key = s->recs[i].tok[k][v];
                ke[k][m].sk = s->recs[i].sortkey;
                ke[k][m].rs = (uint32_t)i << 2 | (uint32_t)v;
                m++;
            }
        }
        kn[k] = m;
        if (m > 0) {
            qsort(ke[k], m, sizeof *ke[k], cmp_entry);
        }
        i = 0;
        while (i < m) {
            size_t j = i;

            while (j < m && ke[k][j].key == ke[k][i].key) {
                j++;
            }
            if ((long)(j - i) > key_cap(o, k, n)) {
                size_t x;

                (*skipped_blocks)++;
                if (bl->rank == NULL) {
                    bl->rank = ctis_calloc(n * LINK_BLOCK_KEYS *
                                               LINK_KEY_VALUES,
                                           sizeof *bl->rank);
                    if (bl->rank == NULL) {
                        return CTIS_ENOMEM;
                    }
                }
                for (x = i; x < j; x++) {
                    uint32_t r = ENTRY_REC(ke[k][x]);
                    int slot = ENTRY_SLOT(ke[k][x]);

                    bl->win[r] |= 1ULL << (k * LINK_KEY_VALUES + slot);
                    bl->rank[((size_t)r * LINK_BLOCK_KEYS + (size_t)k) *
                                 LINK_KEY_VALUES + (size_t)slot] =
                        (uint32_t)(x - i);
                }
            }
            i = j;
        }
    }
    return 0;
}

/* Sort the entries of every key, mark over-cap blocks, then enumerate. */
static int candidates(struct link_set *s, const struct link_options *o,
                      struct cands *out, uint64_t *skipped_blocks,
                      struct ctis_err *err)
{
    size_t n = s->n;
    struct entry *ke[LINK_BLOCK_KEYS];
    size_t kn[LINK_BLOCK_KEYS];
    struct blocks bl;
    struct cands part[2];
    struct ctis_progress prog;
    uint64_t total = 0;
    uint64_t done = 0;
    int k;
    int rc = 0;

    memset(ke, 0, sizeof ke);
    memset(part, 0, sizeof part);
    if (n >= (1u << 30)) {
        return ctis_err_set(err, CTIS_EINVAL, "too many records to link");
    }
    bl.win = ctis_calloc(n > 0 ? n : 1, sizeof *bl.win);
    bl.rank = NULL;
    bl.window = o->block_window > 0 ? o->block_window : 1;
    if (bl.win == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    if (build_blocks(s, o, ke, kn, &bl, skipped_blocks) != 0) {
        rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        goto done;
    }
    for (k = 0; k < LINK_BLOCK_KEYS; k++) {
        total += kn[k];
    }
    ctis_progress_start(&prog, "link: comparing", total, o->progress);
    for (k = 0; k < LINK_BLOCK_KEYS; k++) {
        struct block_job jobs[2];
        pthread_t th;
        int threaded = o->threads > 1 && kn[k] > 10000;
        size_t mid = threaded ? kn[k] / 2 : kn[k];
        int t;

        while (mid > 0 && mid < kn[k] &&
               ke[k][mid].key == ke[k][mid - 1].key) {
            mid++;
        }
        for (t = 0; t < 2; t++) {
            jobs[t].s = s;
            jobs[t].e = ke[k];
            jobs[t].lo = t == 0 ? 0 : mid;
            jobs[t].hi = t == 0 ? mid : kn[k];
            jobs[t].key = k;
            jobs[t].cap = key_cap(o, k, n);
            jobs[t].bl = &bl;
            jobs[t].out = &part[t];
            jobs[t].progress = t == 0 ? &prog : NULL;
            jobs[t].base = done;
        }
        if (threaded && pthread_create(&th, NULL, block_worker,
                                       &jobs[1]) == 0) {
            block_worker(&jobs[0]);
            pthread_join(th, NULL);
        } else {
            block_worker(&jobs[0]);
            block_worker(&jobs[1]);
        }
        done += kn[k];
        if (part[0].oom || part[1].oom) {
            rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
            goto done;
        }
    }
    ctis_progress_finish(&prog);
    /* join the two parts */
    *out = part[0];
    memset(&part[0], 0, sizeof part[0]);
    if (part[1].n > 0) {
        size_t i;

        for (i = 0; i < part[1].n; i++) {
            if (cands_push(out, part[1].v[i].a, part[1].v[i].b,
                           part[1].v[i].lv) != 0) {
                rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
                goto done;
            }
        }
    }
done:
    for (k = 0; k < LINK_BLOCK_KEYS; k++) {
        ctis_free(ke[k]);
    }
    ctis_free(part[0].v);
    ctis_free(part[1].v);
    ctis_free(bl.win);
    ctis_free(bl.rank);
    return rc;
}

/* ---- EM ----------------------------------------------------------------- */


/* Distinct patterns and their counts, by sorting a copy of the packed
 * levels. */
static int patterns(const struct cands *c, struct pattern **out,
                    size_t *n_out)
{
    /* count in an open-addressing table keyed by the packed levels + 1:
     * one pass, no sort (there are at most a few hundred thousand
     * distinct patterns) */
    size_t cap = 1 << 16;
    uint32_t *key;
    double *cnt;
    struct pattern *p;
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
                        size_t g = (size_t)(key[j] * 2654435761u) &
                                   (ncap - 1);

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
static int em(struct link_model *md, const struct pattern *p, size_t np,
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
                l = level_of(p[i].lv, f);
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
                l = level_of(p[i].lv, f);
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
                double m = nm > 0 ? (sm[f][l] + 1e-3) /
                                        (nm + 1e-3 * md->n_levels[f])
                                  : md->m[f][l];
                double u = nu > 0 ? (su[f][l] + 1e-3) /
                                        (nu + 1e-3 * md->n_levels[f])
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
static size_t select_patterns(const struct pattern *p, size_t np,
                              struct pattern *q, int f1, int f2,
                              int max_level)
{
    size_t i;
    size_t n = 0;

    for (i = 0; i < np; i++) {
        int l1 = level_of(p[i].lv, f1);
        int l2 = f2 >= 0 ? level_of(p[i].lv, f2) : 0;

        if (l1 <= max_level && l2 <= max_level && !(p[i].lv & WINDOWED)) {
            q[n++] = p[i];
        }
    }
    return n;
}

/* Keep, of the nq patterns in q, those of pairs not selected by their
 * births (NOT_BY_BIRTH), unless fewer than 100 pairs are left. Returns the
 * patterns kept. */
static size_t keep_not_by_birth(struct pattern *q, size_t nq)
{
    double pairs = 0;
    size_t i;
    size_t n = 0;

    for (i = 0; i < nq; i++) {
        if (q[i].lv & NOT_BY_BIRTH) {
            pairs += q[i].count;
        }
    }
    if (pairs < 100) {
        return nq;
    }
    for (i = 0; i < nq; i++) {
        if (q[i].lv & NOT_BY_BIRTH) {
            q[n++] = q[i];
        }
    }
    return n;
}

/* The patterns whose levels of fields f1, f2 and f3 are all at most
 * max_level, copied into q. */
static size_t select_patterns3(const struct pattern *p, size_t np,
                               struct pattern *q, int f1, int f2, int f3,
                               int max_level)
{
    size_t i;
    size_t n = 0;

    for (i = 0; i < np; i++) {
        if (!(p[i].lv & WINDOWED) && level_of(p[i].lv, f1) <= max_level &&
            level_of(p[i].lv, f2) <= max_level &&
            level_of(p[i].lv, f3) <= max_level) {
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
static int fit(struct link_model *md, const struct pattern *p, size_t np,
               int max_iter, int strict, int *status)
{
    double m[LINK_C_COUNT][LINK_LEVELS];
    struct pattern *q;
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
     * the first finds no matches): names and the rest agree (Dice at
     * least 0.80 and 0.70) -> birth; the rest lumps sex, province, place
     * and contacts into one similarity, and among many namesakes a class
     * of "same village" can win over the matches so that birth learns
     * nothing. */
    if (md->clk && strict) {
        nq = select_patterns(p, np, q, LINK_CK_NAMES, LINK_CK_OTHER, 1);
        its += em(md, q, nq, 1u << LINK_CK_BIRTH, 0, max_iter, &lam, NULL);
    } else if (strict) {
        /* clear, second try: both names' keys and the province agree ->
         * birth (the names alone are, among hundreds of thousands of
         * records, mostly namesakes: a class of them can win over the
         * matches) */
        nq = select_patterns3(p, np, q, name_f1, name_f2,
                              LINK_C_PROVINCE, 1);
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
static int fit_failed(const struct link_model *md, double matches)
{
    int b = md->clk ? LINK_CK_BIRTH : LINK_C_BIRTH;

    return matches < 1 || md->m[b][0] < md->m[b][md->n_levels[b] - 1] ||
           md->m[b][0] < 0.01;
}

/* The weight of each level: log2(m / u). */
static void set_weights(struct link_model *md)
{
    int f;
    int l;

    for (f = 0; f < md->n_fields; f++) {
        for (l = 0; l < LINK_LEVELS; l++) {
            md->w[f][l] = l < md->n_levels[f]
                              ? log2(md->m[f][l] / md->u[f][l])
                              : 0;
        }
    }
}

/* The share of matches among all pairs, given the weights: the fixed
 * point of pi = sum over candidates of P(match | weight, pi) / all pairs
 * (pairs that are not candidates count as non-matches). Returns the
 * expected number of matching pairs. */
static double expected_matches(const struct link_model *md,
                               const struct pattern *p, size_t np,
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
                int l = level_of(p[i].lv, f);

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
    static const uint32_t mix[TF_TAGS] = {0, 0x5bd1e995u, 0x1b873593u,
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

/* Whether record r has the value of tf tag t, and its hash. Encoded
 * records have only the combination: the keyed token of both names'
 * skeletons (blocking key 6), equal when the names' skeletons are. */
static int tf_value(const struct link_rec *r, int t, uint32_t *h)
{
    if (r->bloom != NULL) {
        *h = r->tok[6][0];
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
static int build_tf(struct link_set *s, const uint32_t *cluster)
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
    for (t = 0; t < TF_TAGS; t++) {
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
                double f = md->tf_count[tf_slot(md, tf_key(v[k].h, t))] /
                           md->tf_n[t];

                md->tf_sq[t] += f / md->tf_n[t];
            }
        }
    }
    ctis_free(v);
    md->tf_rec = ctis_malloc((s->n > 0 ? s->n : 1) * TF_TAGS *
                             sizeof *md->tf_rec);
    if (md->tf_rec == NULL) {
        return CTIS_ENOMEM;
    }
    for (i = 0; i < s->n; i++) {
        float *f = &md->tf_rec[i * TF_TAGS];

        for (t = 0; t < TF_TAGS; t++) {
            uint32_t h;

            f[t] = tf_value(&s->recs[i], t, &h) ? (float)tf_freq(md, h, t)
                                                : 0;
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
    double fa = md->tf_rec[(size_t)(a - s->recs) * TF_TAGS + (size_t)tag];
    double fb = md->tf_rec[(size_t)(b - s->recs) * TF_TAGS + (size_t)tag];
    double fr;

    if (fa <= 0 || fb <= 0 || md->tf_sq[tag] <= 0) {
        return md->w[f][l];
    }
    fr = sqrt(fa * fb);
    return log2(md->m[f][l] / (md->u[f][l] * fr / md->tf_sq[tag]));
}

/* Weight of a packed pattern of pair (a, b), with the term-frequency
 * adjustment of agreeing names; fw gets each field's weight. */
static double weight_of(const struct link_set *s, uint32_t a, uint32_t b,
                        uint32_t p, double *fw)
{
    const struct link_model *md = &s->model;
    double w = 0;
    int f;

    for (f = 0; f < md->n_fields; f++) {
        int l = level_of(p, f);
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
    if (md->clk && level_of(p, LINK_CK_NAMES) <= 1 &&
        s->recs[a].tok[6][0] != 0 &&
        s->recs[a].tok[6][0] == s->recs[b].tok[6][0]) {
        /* encoded: the same for the names' filter segment, from the
         * frequency of the keyed token of both names */
        double fa = md->tf_rec[(size_t)a * TF_TAGS + 4];
        double others = floor(fa * md->tf_n[4] + 0.5) - md->tf_self;
        int l = level_of(p, LINK_CK_NAMES);
        double joint = log2(md->m[LINK_CK_NAMES][l] /
                            (fmax(others, 1) / md->tf_n[4]));

        if (others >= 3 && joint < md->w[LINK_CK_NAMES][l]) {
            w += joint - md->w[LINK_CK_NAMES][l];
            if (fw != NULL) {
                fw[LINK_CK_NAMES] = joint;
            }
        }
    } else if (!md->clk && level_of(p, LINK_C_GIVEN) <= 1 &&
               level_of(p, LINK_C_FAMILY) <= 1) {
        /* both names agree: the chance that a non-match does is the
         * frequency of the combination among the other records, which is
         * not the product of the names' frequencies when names go
         * together (families, namesakes) */
        double fa = md->tf_rec[(size_t)a * TF_TAGS + 4];
        double fb = md->tf_rec[(size_t)b * TF_TAGS + 4];

        if (fa > 0 && fb > 0) {
            int lg = level_of(p, LINK_C_GIVEN);
            int lf = level_of(p, LINK_C_FAMILY);
            /* the pair's own records (or person) are not namesakes */
            double others = floor(sqrt(fa * fb) * md->tf_n[4] + 0.5) -
                            md->tf_self;
            double fr = fmax(others, 1) / md->tf_n[4];
            double joint = log2(md->m[LINK_C_GIVEN][lg] *
                                md->m[LINK_C_FAMILY][lf] / fr);
            double both = tf_weight(s, &s->recs[a], &s->recs[b],
                                    LINK_C_GIVEN, lg) +
                          tf_weight(s, &s->recs[a], &s->recs[b],
                                    LINK_C_FAMILY, lf);

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

/* Weight of any pair under the fitted model. */
double link_pair_weight(const struct link_set *s, uint32_t a, uint32_t b,
                        int *lv, double *fw)
{
    int l[LINK_C_COUNT];

    compare_any(s, a, b, l);
    if (lv != NULL) {
        memcpy(lv, l, sizeof l);
    }
    return weight_of(s, a, b, pack(l, s->model.n_fields), fw);
}

/* ---- clustering -- */

struct uf {
    uint32_t *parent;
    uint64_t *lists;
    uint32_t *next;   /* members of a set as a circular list */
    uint32_t *size;
};

/* Mean weight of the pairs across two sets (at most 256 pairs looked at;
 * larger merges are judged by the joining pair alone). */
static int mean_cross_weight(const struct link_set *s, const struct uf *u,
                             uint32_t ra, uint32_t rb, double *mean,
                             double *min, int *conflict)
{
    uint32_t x = ra;
    double sum = 0;
    long n = 0;
    int bf = s->model.clk ? LINK_CK_BIRTH : LINK_C_BIRTH;
    int worst = s->model.n_levels[bf] - 1;

    *min = 1e9;
    *conflict = 0;

    if ((uint64_t)u->size[ra] * u->size[rb] > 1024) {
        return 0;
    }
    do {
        uint32_t y = rb;

        do {
            int lv[LINK_C_COUNT];
            double w = link_pair_weight(s, x < y ? x : y, x < y ? y : x,
                                        lv, NULL);

            /* births years apart: two persons, whatever the names say */
            *conflict |= lv[bf] == worst;
            sum += w;
            *min = w < *min ? w : *min;
            n++;
            y = u->next[y];
        } while (y != rb);
        x = u->next[x];
    } while (x != ra);
    *mean = sum / (double)n;
    return 1;
}

/* The birth level of a joining pair. */
static int joining_birth(const struct link_set *s, const struct link_pair *p)
{
    int lv[LINK_C_COUNT];

    if (p->weight >= 999) {
        return 0;  /* a reviewer's match */
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

static int cmp_pair_desc(const void *x, const void *y)
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

static int cluster(const struct link_set *s, struct link_pair *acc,
                   size_t n_acc, double strong, double mean_floor,
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
    if (u.parent == NULL || u.lists == NULL || id == NULL ||
        u.next == NULL || u.size == NULL) {
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
        qsort(acc, n_acc, sizeof *acc, cmp_pair_desc);
    }
    for (i = 0; i < n_acc; i++) {
        uint32_t ra = uf_find(&u, acc[i].a);
        uint32_t rb = uf_find(&u, acc[i].b);
        float *wa = &res->match_weight[acc[i].a];
        float *wb = &res->match_weight[acc[i].b];

        if (ra == rb) {
            continue;
        }
        if ((u.lists[ra] & u.lists[rb]) != 0 && acc[i].weight < strong) {
            continue;
        }
        if (s->n_decisions > 0 && kept_apart(s, &u, ra, rb)) {
            continue;
        }
        if (acc[i].weight < 999 && u.size[ra] + u.size[rb] > 2) {
            double mean;
            double min;
            int conflict;

            /* average linkage: the pairs across the two sets must agree
             * on the whole; a single pair against them vetoes the join
             * only when the joining pair is not near-certain */
            int jb = joining_birth(s, &acc[i]);

            if (mean_cross_weight(s, &u, ra, rb, &mean, &min, &conflict) &&
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

/* Link: see the file comment. */
int link_run(struct link_set *s, const struct link_options *o,
             struct link_result *res, struct ctis_err *err)
{
    struct link_model *md = &s->model;
    struct cands c;
    struct pattern *pat = NULL;
    size_t np = 0;
    struct link_pair *acc = NULL;
    size_t n_acc = 0;
    size_t cap_acc = 0;
    size_t cap_rev = 0;
    double n_all;
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
    estimate_u(s, o);
    res->seconds[0] = ctis_now() - t0;
    t0 = ctis_now();
    rc = candidates(s, o, &c, &res->n_skipped_blocks, err);
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
    rc = patterns(&c, &pat, &np);
    if (rc != 0) {
        ctis_err_set(err, rc, "out of memory");
        goto fail;
    }
    n_all = (double)s->n * (double)(s->n - 1) / 2;
    for (f = 0; f < 2; f++) {
        /* encoded: a fit that finds no match at all is tried again with
         * the strict sessions (see fit) */
        res->em_iterations += fit(md, pat, np, o->em_max_iter, f, &rc);
        if (rc != 0) {
            ctis_err_set(err, rc, "out of memory");
            goto fail;
        }
        set_weights(md);
        matches = expected_matches(md, pat, np, n_all);
        if (!fit_failed(md, matches)) {
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
    res->prior_weight = md->prior;
    res->accept_weight = logit2(o->accept_prob) - md->prior;
    res->review_low_weight = logit2(o->review_low) - md->prior;
    res->review_high_weight = logit2(o->review_high) - md->prior;
    rc = build_tf(s, NULL);
    if (rc != 0) {
        ctis_err_set(err, rc, "out of memory");
        goto fail;
    }
    res->seconds[2] = ctis_now() - t0;
    t0 = ctis_now();

singletons:
    /* Two passes: the first counts name frequencies per record, the
     * second per person found by the first (a person listed three times
     * is one namesake, not three); each scores the candidates, keeps the
     * accepted pairs and the review band, and clusters. */
    for (pass = 0; pass < 2; pass++) {
        n_acc = 0;
        res->n_review = 0;
        res->n_accepted = 0;
        for (i = 0; i < c.n; i++) {
            struct link_pair p;
            double w = weight_of(s, c.v[i].a, c.v[i].b, c.v[i].lv, NULL);
            uint32_t a = c.v[i].a < c.v[i].b ? c.v[i].a : c.v[i].b;
            uint32_t b = c.v[i].a < c.v[i].b ? c.v[i].b : c.v[i].a;

            if (w < res->review_low_weight) {
                continue;
            }
            p.a = a;
            p.b = b;
            p.weight = (float)w;
            p.prob = (float)(1.0 / (1.0 + exp2(-(md->prior + w))));
            if (s->n_decisions > 0 && is_decided(s, a, b)) {
                continue;
            }
            if (w >= res->accept_weight &&
                push_pair(&acc, &n_acc, &cap_acc, &p) != 0) {
                rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
                goto fail;
            }
            if (w < res->review_high_weight &&
                push_pair(&res->review, &res->n_review, &cap_rev, &p) !=
                    0) {
                rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
                goto fail;
            }
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
        rc = cluster(s, acc, n_acc, res->accept_weight + o->strong_weight,
                     res->accept_weight + o->mean_offset, o->min_weight,
                     res);
        if (rc != 0) {
            ctis_err_set(err, rc, "out of memory");
            goto fail;
        }
        res->seconds[4] += ctis_now() - t0;
        t0 = ctis_now();
        if (pass > 0 || c.n == 0) {
            break;
        }
        rc = build_tf(s, res->cluster);
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
              cmp_pair_desc);
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
    rc |= ctis_buf_printf(out, "%-14s %5s %9s %9s %8s\n", "field", "level",
                          "m", "u", "weight");
    for (f = 0; f < md->n_fields; f++) {
        const char *name = md->clk ? clk_names[f] : clear_names[f];

        if (lv[f] == LINK_LEVEL_NULL) {
            rc |= ctis_buf_printf(out, "%-14s %5s %9s %9s %8.2f\n", name,
                                  "null", "-", "-", 0.0);
        } else {
            rc |= ctis_buf_printf(out, "%-14s %5d %9.6f %9.6f %8.2f\n",
                                  name, lv[f], md->m[f][lv[f]],
                                  md->u[f][lv[f]], fw[f]);
        }
    }
    rc |= ctis_buf_printf(out, "%-14s %5s %9s %9s %8.2f\n", "prior", "", "",
                          "", md->prior);
    rc |= ctis_buf_printf(out, "%-14s %5s %9s %9s %8.2f\n", "total", "", "",
                          "", w);
    rc |= ctis_buf_printf(out, "match probability %.4f\n",
                          1.0 / (1.0 + exp2(-(md->prior + w))));
    if (rc != 0) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    return 0;
}

/* ---- blocking recall -- */

struct recall_job {
    const struct link_set *s;
    const struct blocks *bl;
    double accept;
    uint32_t a0, step;
    uint64_t accepted, lost;
};

/* Nonzero when blocking enumerates the pair. */
static int is_candidate(const struct link_set *s, const struct blocks *bl,
                        uint32_t a, uint32_t b)
{
    return seen_before(s, bl, a, b, LINK_BLOCK_KEYS - 1, UINT64_MAX);
}

static void *recall_worker(void *arg)
{
    struct recall_job *j = arg;
    const struct link_set *s = j->s;
    uint32_t a;
    uint32_t b;

    for (a = j->a0; a < s->n; a += j->step) {
        for (b = a + 1; b < s->n; b++) {
            double w = link_pair_weight(s, a, b, NULL, NULL);

            if (w < j->accept) {
                continue;
            }
            j->accepted++;
            if (!is_candidate(s, j->bl, a, b)) {
                j->lost++;
            }
        }
    }
    return NULL;
}

/* Compare every pair exhaustively under the fitted model. */
int link_blocking_recall(const struct link_set *s,
                         const struct link_options *o, double accept_weight,
                         uint64_t *accepted, uint64_t *lost,
                         struct ctis_err *err)
{
    struct entry *ke[LINK_BLOCK_KEYS];
    size_t kn[LINK_BLOCK_KEYS];
    struct blocks bl;
    uint64_t nskip = 0;
    struct recall_job jobs[2];
    pthread_t th;
    int k;
    int t;
    int rc;

    if (!s->model.fitted) {
        return ctis_err_set(err, CTIS_EINVAL, "no fitted model");
    }
    bl.win = ctis_calloc(s->n > 0 ? s->n : 1, sizeof *bl.win);
    bl.rank = NULL;
    bl.window = o->block_window > 0 ? o->block_window : 1;
    memset(ke, 0, sizeof ke);
    if (bl.win == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    rc = build_blocks(s, o, ke, kn, &bl, &nskip);
    for (k = 0; k < LINK_BLOCK_KEYS; k++) {
        ctis_free(ke[k]);
    }
    if (rc != 0) {
        ctis_free(bl.win);
        ctis_free(bl.rank);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    for (t = 0; t < 2; t++) {
        jobs[t].s = s;
        jobs[t].bl = &bl;
        jobs[t].accept = accept_weight;
        jobs[t].a0 = (uint32_t)t;
        jobs[t].step = 2;
        jobs[t].accepted = 0;
        jobs[t].lost = 0;
    }
    if (pthread_create(&th, NULL, recall_worker, &jobs[1]) == 0) {
        recall_worker(&jobs[0]);
        pthread_join(th, NULL);
    } else {
        recall_worker(&jobs[0]);
        recall_worker(&jobs[1]);
    }
    *accepted = jobs[0].accepted + jobs[1].accepted;
    *lost = jobs[0].lost + jobs[1].lost;
    ctis_free(bl.win);
    ctis_free(bl.rank);
    return 0;
}
