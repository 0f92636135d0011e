/*
 * block.c - candidate pairs from several blocking keys (docs/linkage.md,
 * "Blocking"), and the blocking recall against exhaustive comparison.
 *
 * Candidate pairs. For each blocking key the (key, record) entries are
 * sorted and each run of equal keys is a block. A pair met in block k is
 * compared only when no earlier key j < k puts both records in one block
 * that is enumerated (not over block_cap): so the union of the keys'
 * pairs is compared, each pair once, with no table of pairs seen. Blocks
 * are split between two threads; each keeps its own pair array.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "link_int.h"

struct entry {
    uint64_t key;
    uint32_t sk; /* order inside a block: the record's sort key */
    uint32_t rs; /* record << 2 | which value of the record's key */
};

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

static int cands_push(struct link_cands *c, uint32_t a, uint32_t b, uint32_t lv)
{
    if (c->n == c->cap) {
        size_t cap = c->cap == 0 ? 4096 : c->cap * 2;
        struct link_cand *p = ctis_realloc(c->v, cap * sizeof *p);

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

/* ---- candidate pairs -- */

struct block_job {
    const struct link_set *s;
    const struct entry *e;
    size_t lo, hi; /* entries of this job (whole blocks) */
    int key;
    long cap;
    const struct blocks *bl;
    struct link_cands *out;
    struct ctis_progress *progress; /* thread 0 only */
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

/* LINK_NOT_BY_BIRTH when records a and b share a value of a key without birth
 * in a block compared whole, else 0. */
static uint32_t not_by_birth(const struct link_set *s, const struct blocks *bl,
                             uint32_t a, uint32_t b)
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
                    return LINK_NOT_BY_BIRTH;
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
            size_t w =
                (long)(k - i) <= j->cap ? k - i : (size_t)j->bl->window + 1;
            uint32_t windowed = (long)(k - i) <= j->cap ? 0 : LINK_WINDOWED;

            for (x = i; x < k; x++) {
                uint32_t a = ENTRY_REC(j->e[x]);
                size_t end = x + w < k ? x + w : k;

                for (y = x + 1; y < end; y++) {
                    uint32_t b = ENTRY_REC(j->e[y]);

                    if (a == b || seen_before(s, j->bl, a, b, j->key, v)) {
                        continue;
                    }
                    link_compare_any(s, a, b, lv);
                    if (cands_push(j->out, a < b ? a : b, a < b ? b : a,
                                   link_pack(lv, nf) | windowed |
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
static int build_blocks(const struct link_set *s, const struct link_options *o,
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
            for (v = 0; v < LINK_KEY_VALUES && s->recs[i].tok[k][v] != 0; v++) {
                m++;
            }
        }
        ke[k] = ctis_malloc((m > 0 ? m : 1) * sizeof *ke[k]);
        if (ke[k] == NULL) {
            return CTIS_ENOMEM;
        }
        m = 0;
        for (i = 0; i < n; i++) {
            for (v = 0; v < LINK_KEY_VALUES && s->recs[i].tok[k][v] != 0; v++) {
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
                    bl->rank =
                        ctis_calloc(n * LINK_BLOCK_KEYS * LINK_KEY_VALUES,
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
                                 LINK_KEY_VALUES +
                             (size_t)slot] = (uint32_t)(x - i);
                }
            }
            i = j;
        }
    }
    return 0;
}

/* Sort the entries of every key, mark over-cap blocks, then enumerate. */
int link_candidates(struct link_set *s, const struct link_options *o,
                    struct link_cands *out, uint64_t *skipped_blocks,
                    struct ctis_err *err)
{
    size_t n = s->n;
    struct entry *ke[LINK_BLOCK_KEYS];
    size_t kn[LINK_BLOCK_KEYS];
    struct blocks bl;
    struct link_cands part[2];
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

        while (mid > 0 && mid < kn[k] && ke[k][mid].key == ke[k][mid - 1].key) {
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
        if (threaded &&
            pthread_create(&th, NULL, block_worker, &jobs[1]) == 0) {
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
int link_blocking_recall(const struct link_set *s, const struct link_options *o,
                         double accept_weight, uint64_t *accepted,
                         uint64_t *lost, struct ctis_err *err)
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
