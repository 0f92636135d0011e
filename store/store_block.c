/*
 * store_block.c - linkage's blocking by blind index, over any backend:
 * which persons of the store can meet another one at all, so that only
 * their identities are opened (store_each_linkable_case).
 *
 * Two persons meet when they share a name value: a normalised name part
 * or its phonetic key, in any script (store_blind_names, the values of
 * the blind index without the birth year). Every blocking key of link/
 * but the contacts and the birth date with province needs a name, and
 * two records whose names share neither a part nor a phonetic key are
 * then left to those keys alone; a person who meets nobody is a person
 * of their own, and linkage is given their case without the identity.
 *
 * Sealed, fully indexed database: the blind index rows are read in the
 * order of their value (the table's key), the birth-year values (whose
 * keyed hashes the handle can compute for every possible year) are
 * skipped, and every run of two or more cases on one value marks them.
 * Nothing is opened for that. Otherwise (a clear database, or one with
 * clear rows waiting to be sealed or a rotation half done, where values
 * sit under two keys) the identities are read and the same values made
 * under a throwaway key, sorted and marked the same way: clear and
 * sealed stores give the same persons to linkage, hence the same
 * clusters.
 *
 * The marked cases are kept as a sorted array of 64-bit hashes of their
 * ids: a collision can only open one more identity than needed, on
 * either kind of store alike.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* Birth years whose blind values are recognised and skipped; model/
 * accepts none outside. */
#define YEAR_FIRST 1800
#define YEAR_LAST 2200

struct store_idset {
    uint64_t *v;
    size_t n;
    size_t cap;
};

/* FNV-1a, 64 bits. */
static uint64_t id_hash(const char *id)
{
    uint64_t h = 14695981039346656037ULL;

    for (; *id != '\0'; id++) {
        h ^= (unsigned char)*id;
        h *= 1099511628211ULL;
    }
    return h;
}

static int push_id(struct store_idset *s, uint64_t x)
{
    if (s->n == s->cap) {
        size_t cap = s->cap * 2 + 1024;
        uint64_t *g = ctis_realloc(s->v, cap * sizeof *g);

        if (g == NULL) {
            return CTIS_ENOMEM;
        }
        s->v = g;
        s->cap = cap;
    }
    s->v[s->n++] = x;
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a;
    uint64_t y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

static int idset_has(const struct store_idset *s, const char *id)
{
    uint64_t h = id_hash(id);

    return s->n > 0 && bsearch(&h, s->v, s->n, sizeof h, cmp_u64) != NULL;
}

int store_wants_identity(const struct store *st, const char *case_id)
{
    return st->want == NULL || idset_has(st->want, case_id);
}

/* ---- runs of equal values ----------------------------------------------- */

/* Values arrive in order; the cases of the current run wait in cur and go
 * to out when the run has two or more. */
struct runs {
    unsigned char h[SEAL_BLIND_BYTES];
    int have;
    struct store_idset cur;
    struct store_idset *out;
    /* sealed path: the birth-year values, sorted */
    unsigned char (*years)[SEAL_BLIND_BYTES];
    size_t n_years;
};

static int flush(struct runs *r)
{
    size_t i;

    if (r->cur.n >= 2) {
        for (i = 0; i < r->cur.n; i++) {
            if (push_id(r->out, r->cur.v[i]) != 0) {
                return CTIS_ENOMEM;
            }
        }
    }
    r->cur.n = 0;
    return 0;
}

static int feed(struct runs *r, const unsigned char *h, uint64_t id)
{
    if (!r->have || memcmp(h, r->h, SEAL_BLIND_BYTES) != 0) {
        if (flush(r) != 0) {
            return CTIS_ENOMEM;
        }
        memcpy(r->h, h, SEAL_BLIND_BYTES);
        r->have = 1;
    }
    return push_id(&r->cur, id);
}

static int cmp_blind(const void *a, const void *b)
{
    return memcmp(a, b, SEAL_BLIND_BYTES);
}

/* One blind index row (sealed path): skipped when it is a year. */
static int on_row(void *ctx, const unsigned char *h, const char *case_id)
{
    struct runs *r = ctx;

    if (bsearch(h, r->years, r->n_years, SEAL_BLIND_BYTES, cmp_blind) !=
        NULL) {
        return 0;
    }
    return feed(r, h, id_hash(case_id)) != 0 ? CTIS_ENOMEM : 0;
}

/* ---- the clear path ------------------------------------------------------ */

struct entry {
    unsigned char h[SEAL_BLIND_BYTES];
    uint64_t id;
};

struct collect {
    const struct seal_key *k;
    struct entry *v;
    size_t n;
    size_t cap;
};

static int on_case(void *ctx, const struct model_case *c)
{
    struct collect *cl = ctx;
    unsigned char h[STORE_BLIND_MAX][SEAL_BLIND_BYTES];
    size_t n = store_blind_names(cl->k, &c->person, h);
    uint64_t id = id_hash(c->id);
    size_t i;

    if (cl->n + n > cl->cap) {
        size_t cap = (cl->cap + n) * 2 + 4096;
        struct entry *g = ctis_realloc(cl->v, cap * sizeof *g);

        if (g == NULL) {
            return CTIS_ENOMEM;
        }
        cl->v = g;
        cl->cap = cap;
    }
    for (i = 0; i < n; i++) {
        memcpy(cl->v[cl->n].h, h[i], SEAL_BLIND_BYTES);
        cl->v[cl->n].id = id;
        cl->n++;
    }
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    const struct entry *x = a;
    const struct entry *y = b;
    int c = memcmp(x->h, y->h, SEAL_BLIND_BYTES);

    return c != 0 ? c : (x->id < y->id ? -1 : x->id > y->id);
}

/* Read every identity, make its name values, sort and mark. */
static int mark_clear(struct store *st, struct runs *r, struct ctis_err *err)
{
    struct store_case_filter all = {NULL, -1, 0, 0, NULL, 0, 0, 0};
    struct collect cl;
    struct seal_key *k = NULL;
    size_t i;
    int rc = seal_key_new(&k, 1, err);

    memset(&cl, 0, sizeof cl);
    cl.k = k;
    if (rc == 0) {
        rc = st->ops->each_case(st, &all, on_case, &cl, err);
        if (rc == CTIS_ENOMEM) {
            ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
    }
    seal_key_free(k);
    if (rc == 0 && cl.n > 0) {
        qsort(cl.v, cl.n, sizeof *cl.v, cmp_entry);
    }
    for (i = 0; rc == 0 && i < cl.n; i++) {
        if (feed(r, cl.v[i].h, cl.v[i].id) != 0) {
            rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
    }
    ctis_free(cl.v);
    return rc;
}

/* The sealed path: 0 done, 1 when the caller must read identities. */
static int mark_sealed(struct store *st, struct runs *r, struct ctis_err *err)
{
    size_t n = YEAR_LAST - YEAR_FIRST + 1;
    int y;
    int rc;

    if (st->ops->blind_rows == NULL || st->next != NULL || st->key == NULL) {
        return 1;
    }
    r->years = ctis_malloc(n * SEAL_BLIND_BYTES);
    if (r->years == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    for (y = YEAR_FIRST; y <= YEAR_LAST; y++) {
        char text[12];

        snprintf(text, sizeof text, "%d", y);
        seal_blind(st->key, "year", text, r->years[y - YEAR_FIRST]);
    }
    qsort(r->years, n, SEAL_BLIND_BYTES, cmp_blind);
    r->n_years = n;
    rc = st->ops->blind_rows(st, st->gen, on_row, r, err);
    if (rc == CTIS_ENOMEM) {
        ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    return rc;
}

/* ---- the iteration ------------------------------------------------------- */

struct pass {
    const struct store_idset *set;
    store_case_fn fn;
    void *ctx;
    long opened;
};

/* A person who meets nobody: the case without identity (and without
 * birth), whatever the backend read. */
static int on_pass(void *ctx, const struct model_case *c)
{
    struct pass *p = ctx;
    struct model_case m;

    if (idset_has(p->set, c->id)) {
        p->opened++;
        return p->fn(p->ctx, c);
    }
    m = *c; /* shares the events, read only */
    model_person_clear_identity(&m.person);
    m.person.birth_year = 0;
    m.person.age = -1;
    return p->fn(p->ctx, &m);
}

int store_each_linkable_case(struct store *st, store_case_fn fn, void *ctx,
                             long *with_identity, struct ctis_err *err)
{
    struct store_case_filter all = {NULL, -1, 0, 0, NULL, 0, 0, 0};
    struct store_idset set = {NULL, 0, 0};
    struct runs r;
    struct pass p = {&set, fn, ctx, 0};
    int rc = 0;

    *with_identity = 0;
    if (st->sealed && store_key_for(st, st->gen, err) == NULL) {
        return CTIS_EKEY;
    }
    memset(&r, 0, sizeof r);
    r.out = &set;
    if (st->sealed) {
        rc = mark_sealed(st, &r, err);
    } else {
        rc = 1;
    }
    if (rc == 1) {
        r.have = 0;
        r.cur.n = 0;
        rc = mark_clear(st, &r, err);
    }
    if (rc == 0 && flush(&r) != 0) {
        rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    ctis_free(r.cur.v);
    ctis_free(r.years);
    if (rc == 0 && set.n > 1) {
        size_t i;
        size_t k = 1;

        qsort(set.v, set.n, sizeof *set.v, cmp_u64);
        for (i = 1; i < set.n; i++) {
            if (set.v[i] != set.v[k - 1]) {
                set.v[k++] = set.v[i];
            }
        }
        set.n = k;
    }
    if (rc == 0) {
        st->want = &set;
        rc = st->ops->each_case(st, &all, on_pass, &p, err);
        st->want = NULL;
        *with_identity = p.opened;
    }
    ctis_free(set.v);
    return rc;
}
