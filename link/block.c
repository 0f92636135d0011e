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
    uint32_t key;
    uint32_t sk; /* order inside a block: the record's sort key */
    uint32_t rs; /* record << 2 | which value of the record's key */
};

/* Blocking keys that hold no birth information (compare.c). */
static int key_without_birth(int k)
{
    return k == 1 || k == 4 || k == 5 || k == 6 || (k >= 10 && k != 14);
}

#define ENTRY_REC(e) ((e).rs >> 2)
#define ENTRY_SLOT(e) ((int)((e).rs & 3))

/* What enumeration knows of the blocks: per record, a bit
 * k * LINK_KEY_VALUES + v set when the block of its value v of key k is
 * too large to be compared whole; for each such bit, the record's rank in
 * that block and which of its sub-blocks are compared whole (RANK_SUB),
 * at rank[off[rec] + the bits of win[rec] below it]; the window.
 *
 * A block too large is split: its records are ordered by birth,
 * province and place, and each is compared with the next `window`
 * records; and records of the same birth year, of the same province or
 * of the same place (its sub-blocks) are compared all with all when they
 * are at most the cap. A pair is compared once: by the window, else by
 * the first sub-block that holds both. */
struct blocks {
    uint64_t *win;
    uint64_t *off;
    uint32_t *rank;
    uint64_t *sig;
    long window;
};

#define SUBS 3             /* sub-blocks: birth year, province, place */
#define RANK_SUB 29        /* bits 29-31 of a rank: sub-block compared */
#define RANK_MASK ((1u << RANK_SUB) - 1)

/* The encoded word of bit `first`, folded to 32 bits; 0 when empty. */
static uint32_t clk_word(const struct link_rec *r, int first)
{
    uint64_t w = r->bloom[first / 64];
    uint32_t k = (uint32_t)(w ^ (w >> 32));

    return w == 0 ? 0 : (k != 0 ? k : 1);
}

/* Sub-block key st of record r: its birth year (the later of two), home
 * province or place; 0 when unknown. Encoded, the same from its filter:
 * the word of its birth years (equal years set equal bits; a stated
 * age, two years, is a sub-block of its own), of its province, of the
 * bigrams of its place. */
static uint32_t sub_key(const struct link_rec *r, int st)
{
    if (r->bloom != NULL) {
        return clk_word(r, st == 0   ? LINK_BIRTH_YEARS
                           : st == 1 ? LINK_SEG_PROVINCE
                                     : LINK_SEG_PLACE);
    }
    switch (st) {
    case 0:
        return r->by != 0 ? (uint32_t)r->by : (uint32_t)(uint16_t)r->yhi;
    case 1:
        return r->prov;
    default:
        return r->place != NULL ? (r->placeh != 0 ? r->placeh : 1) : 0;
    }
}

/* The rank word of record rec's windowed value at bit (see blocks). */
static uint32_t *rank_at(const struct blocks *bl, uint32_t rec, int bit)
{
    uint64_t below = bl->win[rec] & ((1ULL << bit) - 1);

    return &bl->rank[bl->off[rec] + (uint64_t)__builtin_popcountll(below)];
}

/* Nonzero when a windowed block compares the records of rank words ra
 * and rb: a window apart, or in one sub-block compared whole. */
static int window_pair(const struct blocks *bl, const struct link_rec *a,
                       const struct link_rec *b, uint32_t ra, uint32_t rb)
{
    uint32_t xa = ra & RANK_MASK;
    uint32_t xb = rb & RANK_MASK;
    uint32_t both = (ra >> RANK_SUB) & (rb >> RANK_SUB);
    int st;

    if ((xa > xb ? xa - xb : xb - xa) <= (uint32_t)bl->window) {
        return 1;
    }
    for (st = 0; st < SUBS; st++) {
        if ((both >> st) & 1) {
            uint32_t k = sub_key(a, st);

            if (k != 0 && k == sub_key(b, st)) {
                return 1;
            }
        }
    }
    return 0;
}

/* A record's signature: for each key j, bit 4 j + (t & 3) of each of its
 * values t. Two records share a value of key j only when their
 * signatures share a bit of that key's nibble: most keys of a pair are
 * ruled out without looking at their values. */
#if LINK_BLOCK_KEYS * 4 > 64
#error "the signature holds 16 keys at most"
#endif
static uint64_t rec_sig(const struct link_rec *r)
{
    uint64_t g = 0;
    int j;
    int x;

    for (j = 0; j < LINK_BLOCK_KEYS; j++) {
        for (x = 0; x < LINK_KEY_VALUES && r->tok[j][x] != 0; x++) {
            g |= 1ULL << (4 * j + (int)(r->tok[j][x] & 3));
        }
    }
    return g;
}

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
                if (!windowed ||
                    window_pair(bl, a, b,
                                *rank_at(bl, ia, j * LINK_KEY_VALUES + x),
                                *rank_at(bl, ib, j * LINK_KEY_VALUES + y))) {
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
    uint64_t m = bl->sig[a] & bl->sig[b];
    int j;

    for (j = 0; j <= key; j++) {
        if (((m >> (4 * j)) & 0xF) != 0 &&
            shares(bl, a, b, &s->recs[a], &s->recs[b], j, key, v)) {
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

/* An entry of a block by one of its sub-block keys. */
struct sub_ent {
    uint32_t key;
    uint32_t x; /* rank in the block */
};

static int cmp_sub(const void *x, const void *y)
{
    const struct sub_ent *a = x;
    const struct sub_ent *b = y;

    if (a->key != b->key) {
        return a->key < b->key ? -1 : 1;
    }
    return a->x < b->x ? -1 : a->x > b->x;
}

/* The entries [0, m) of block e by sub-block key st (unknown left out),
 * sorted, into *buf (grown as needed); their number, or -1 out of
 * memory. */
static long sub_sort(const struct link_set *s, const struct entry *e,
                     size_t m, int st, struct sub_ent **buf, size_t *cap)
{
    size_t n = 0;
    size_t x;

    if (m > *cap) {
        struct sub_ent *p = ctis_realloc(*buf, m * sizeof *p);

        if (p == NULL) {
            return -1;
        }
        *buf = p;
        *cap = m;
    }
    for (x = 0; x < m; x++) {
        uint32_t k = sub_key(&s->recs[ENTRY_REC(e[x])], st);

        if (k != 0) {
            (*buf)[n].key = k;
            (*buf)[n].x = (uint32_t)x;
            n++;
        }
    }
    if (n > 1) {
        qsort(*buf, n, sizeof **buf, cmp_sub);
    }
    return (long)n;
}

/* The end of the run of equal keys of b[0, n) that starts at i. */
static long run_end(const struct sub_ent *b, long n, long i)
{
    long k = i;

    while (k < n && b[k].key == b[i].key) {
        k++;
    }
    return k;
}

/* Compare a and b of block value v into the job's pairs unless an
 * earlier block did; windowed: the LINK_WINDOWED bit. */
static int emit(struct block_job *j, uint32_t a, uint32_t b, uint64_t v,
                uint32_t windowed)
{
    const struct link_set *s = j->s;
    int lv[LINK_C_COUNT];

    if (a == b || seen_before(s, j->bl, a, b, j->key, v)) {
        return 0;
    }
    link_compare_any(s, a, b, lv);
    return cands_push(j->out, a < b ? a : b, a < b ? b : a,
                      link_pack(lv, s->model.n_fields) | windowed |
                          not_by_birth(s, j->bl, a, b));
}

/* The pairs of a block too large to compare whole (see struct blocks):
 * entries e[0, m) of value v. */
static int split_block(struct block_job *j, const struct entry *e, size_t m,
                       uint64_t v, struct sub_ent **buf, size_t *cap)
{
    const struct link_set *s = j->s;
    size_t w = (size_t)j->bl->window;
    size_t x;
    size_t y;
    int st;

    for (x = 0; x < m; x++) {
        size_t end = x + w + 1 < m ? x + w + 1 : m;

        for (y = x + 1; y < end; y++) {
            if (emit(j, ENTRY_REC(e[x]), ENTRY_REC(e[y]), v, LINK_WINDOWED) !=
                0) {
                return CTIS_ENOMEM;
            }
        }
    }
    for (st = 0; st < SUBS; st++) {
        long n = sub_sort(s, e, m, st, buf, cap);
        long i = 0;

        if (n < 0) {
            return CTIS_ENOMEM;
        }
        while (i < n) {
            long k = run_end(*buf, n, i);
            long p;
            long q;

            if (k - i > j->cap) {
                i = k;
                continue;
            }
            for (p = i; p < k; p++) {
                for (q = p + 1; q < k; q++) {
                    const struct sub_ent *u = &(*buf)[p];
                    const struct sub_ent *t = &(*buf)[q];
                    uint32_t a = ENTRY_REC(e[u->x]);
                    uint32_t b = ENTRY_REC(e[t->x]);
                    uint32_t ra = *rank_at(j->bl, a,
                                           j->key * LINK_KEY_VALUES +
                                               ENTRY_SLOT(e[u->x]));
                    uint32_t rb = *rank_at(j->bl, b,
                                           j->key * LINK_KEY_VALUES +
                                               ENTRY_SLOT(e[t->x]));
                    uint32_t both = (ra >> RANK_SUB) & (rb >> RANK_SUB);
                    int earlier = t->x - u->x <= (uint32_t)w;
                    int o;

                    /* compared by the window or an earlier sub-block */
                    for (o = 0; o < st && !earlier; o++) {
                        uint32_t sk = sub_key(&s->recs[a], o);

                        earlier = ((both >> o) & 1) && sk != 0 &&
                                  sk == sub_key(&s->recs[b], o);
                    }
                    if (!earlier &&
                        emit(j, a, b, v, LINK_WINDOWED) != 0) {
                        return CTIS_ENOMEM;
                    }
                }
            }
            i = k;
        }
    }
    return 0;
}

static void *block_worker(void *arg)
{
    struct block_job *j = arg;
    size_t i = j->lo;
    struct sub_ent *buf = NULL;
    size_t cap = 0;

    while (i < j->hi && !j->out->oom) {
        size_t k = i;
        size_t x;
        size_t y;
        uint64_t v = j->e[i].key;

        while (k < j->hi && j->e[k].key == v) {
            k++;
        }
        if ((long)(k - i) > j->cap) {
            if (split_block(j, j->e + i, k - i, v, &buf, &cap) != 0) {
                j->out->oom = 1;
                break;
            }
        } else {
            for (x = i; x < k; x++) {
                for (y = x + 1; y < k; y++) {
                    if (emit(j, ENTRY_REC(j->e[x]), ENTRY_REC(j->e[y]), v,
                             0) != 0) {
                        j->out->oom = 1;
                        break;
                    }
                }
            }
        }
        if (j->progress != NULL) {
            ctis_progress_update(j->progress, j->base + (k - j->lo));
        }
        i = k;
    }
    ctis_free(buf);
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

    if (k == 6 || (k >= 9 && k <= 12) || k == 14) {
        return cap / 4 > 2 ? cap / 4 : 2;
    }
    return cap > 2 ? cap : 2;
}

/* Rank words of the records of block e[0, m) of key k (see struct
 * blocks): rank, and which of their sub-blocks are compared whole. */
static int rank_block(const struct link_set *s, const struct entry *e,
                      size_t m, int k, long cap, struct blocks *bl,
                      struct sub_ent **buf, size_t *bcap)
{
    size_t x;
    int st;

    for (x = 0; x < m; x++) {
        *rank_at(bl, ENTRY_REC(e[x]), k * LINK_KEY_VALUES + ENTRY_SLOT(e[x])) =
            (uint32_t)x;
    }
    for (st = 0; st < SUBS; st++) {
        long n = sub_sort(s, e, m, st, buf, bcap);
        long i = 0;

        if (n < 0) {
            return CTIS_ENOMEM;
        }
        while (i < n) {
            long j = run_end(*buf, n, i);
            long y;

            for (y = i; j - i >= 2 && j - i <= cap && y < j; y++) {
                const struct entry *t = &e[(*buf)[y].x];

                *rank_at(bl, ENTRY_REC(*t),
                         k * LINK_KEY_VALUES + ENTRY_SLOT(*t)) |=
                    1u << (RANK_SUB + st);
            }
            i = j;
        }
    }
    return 0;
}

/* Sort the entries of every key into ke[k] (kn[k] of them), mark the
 * record values whose blocks are over the cap in bl->win and note their
 * rank words (bl->off, bl->rank). */
static int build_blocks(const struct link_set *s, const struct link_options *o,
                        struct entry **ke, size_t *kn, struct blocks *bl,
                        uint64_t *skipped_blocks)
{
    size_t n = s->n;
    size_t ri;
    uint64_t total = 0;
    struct sub_ent *buf = NULL;
    size_t bcap = 0;
    int k;
    int rc = 0;

    for (ri = 0; ri < n; ri++) {
        bl->sig[ri] = rec_sig(&s->recs[ri]);
    }
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
                for (x = i; x < j; x++) {
                    bl->win[ENTRY_REC(ke[k][x])] |=
                        1ULL << (k * LINK_KEY_VALUES + ENTRY_SLOT(ke[k][x]));
                }
            }
            i = j;
        }
    }
    /* a rank word per windowed value */
    bl->off = ctis_malloc((n > 0 ? n : 1) * sizeof *bl->off);
    if (bl->off == NULL) {
        return CTIS_ENOMEM;
    }
    for (ri = 0; ri < n; ri++) {
        bl->off[ri] = total;
        total += (uint64_t)__builtin_popcountll(bl->win[ri]);
    }
    if (total == 0) {
        return 0;
    }
    bl->rank = ctis_malloc((size_t)total * sizeof *bl->rank);
    if (bl->rank == NULL) {
        return CTIS_ENOMEM;
    }
    for (k = 0; k < LINK_BLOCK_KEYS && rc == 0; k++) {
        size_t i = 0;
        long cap = key_cap(o, k, n);

        while (i < kn[k] && rc == 0) {
            size_t j = i;

            while (j < kn[k] && ke[k][j].key == ke[k][i].key) {
                j++;
            }
            if ((long)(j - i) > cap) {
                rc = rank_block(s, ke[k] + i, j - i, k, cap, bl, &buf, &bcap);
            }
            i = j;
        }
    }
    ctis_free(buf);
    return rc;
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
    if (n >= (1u << 27)) {
        /* ranks in a block take 29 bits (struct blocks) */
        return ctis_err_set(err, CTIS_EINVAL, "too many records to link");
    }
    bl.win = ctis_calloc(n > 0 ? n : 1, sizeof *bl.win);
    bl.rank = NULL;
    bl.off = NULL;
    bl.sig = ctis_malloc((n > 0 ? n : 1) * sizeof *bl.sig);
    bl.window = o->block_window > 0 ? o->block_window : 1;
    if (bl.win == NULL || bl.sig == NULL) {
        ctis_free(bl.win);
        ctis_free(bl.sig);
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
    /* join the two parts: one array of exactly their size (a large
     * realloc grows in place), then free the second part */
    *out = part[0];
    memset(&part[0], 0, sizeof part[0]);
    if (out->n + part[1].n > 0) {
        size_t total_n = out->n + part[1].n;
        struct link_cand *v = ctis_realloc(out->v, total_n * sizeof *v);

        if (v == NULL) {
            rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
            goto done;
        }
        if (part[1].n > 0) {
            memcpy(v + out->n, part[1].v, part[1].n * sizeof *v);
        }
        out->v = v;
        out->n = total_n;
        out->cap = total_n;
    }
done:
    for (k = 0; k < LINK_BLOCK_KEYS; k++) {
        ctis_free(ke[k]);
    }
    ctis_free(part[0].v);
    ctis_free(part[1].v);
    ctis_free(bl.win);
    ctis_free(bl.rank);
    ctis_free(bl.off);
    ctis_free(bl.sig);
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
    bl.off = NULL;
    bl.sig = ctis_malloc((s->n > 0 ? s->n : 1) * sizeof *bl.sig);
    bl.window = o->block_window > 0 ? o->block_window : 1;
    memset(ke, 0, sizeof ke);
    if (bl.win == NULL || bl.sig == NULL) {
        ctis_free(bl.win);
        ctis_free(bl.sig);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    rc = build_blocks(s, o, ke, kn, &bl, &nskip);
    for (k = 0; k < LINK_BLOCK_KEYS; k++) {
        ctis_free(ke[k]);
    }
    if (rc != 0) {
        ctis_free(bl.win);
        ctis_free(bl.rank);
        ctis_free(bl.off);
        ctis_free(bl.sig);
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
    ctis_free(bl.off);
    ctis_free(bl.sig);
    return 0;
}
