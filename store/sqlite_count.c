/*
 * sqlite_count.c - the aggregate counters of the SQLite backend.
 *
 * Every case-based STORE_Q_* is answered from the table case_count: one
 * row per (query, year, key0, key1) holding how many cases (excluding
 * not_a_victim) contribute to it. A put computes the case's contributions
 * (sq_counts_case) and adds them, +1 for the new version and -1 for the
 * version it replaces, into an in-memory table of deltas on the handle;
 * commit writes the deltas with one upsert per distinct key just before
 * COMMIT, inside the same transaction, so the counters change exactly
 * when the cases do. Rollback drops the deltas. A query inside an open
 * transaction flushes first, so it sees the transaction's own writes.
 *
 * Why counters and not indexes: one covering index per aggregate costs a
 * B-tree insert per case per aggregate (about 2x the whole import), while a
 * hash increment costs nanoseconds; and a datasheet then reads a few
 * hundred rows instead of scanning a million (bench/store_put.sh).
 *
 * Years: the identification year for case tables (0 when unknown), the
 * event's year for RESCUES and REPATRIATIONS. Keys are the model's string
 * codes ("" unknown); s0 and s1 hold the keys' enum order for sorting.
 */
#include <string.h>

#include "store_int.h"

/* One pending delta, or an empty slot when q < 0. */
struct sq_count {
    int q;
    int year;
    char k0[STORE_KEY_MAX];
    char k1[STORE_KEY_MAX];
    int s0;
    int s1;
    long n;
};

static uint64_t hash_key(int q, int year, const char *k0, const char *k1)
{
    uint64_t h = 1469598103934665603u;
    const char *p;

    h = (h ^ (uint64_t)(q + 1)) * 1099511628211u;
    h = (h ^ (uint64_t)(unsigned)year) * 1099511628211u;
    for (p = k0; *p != '\0'; p++) {
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    }
    h = (h ^ 0xff) * 1099511628211u;
    for (p = k1; *p != '\0'; p++) {
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    }
    return h;
}

static struct sq_count *find_slot(struct sq_count *t, size_t cap, int q,
                                  int year, const char *k0, const char *k1)
{
    size_t i = (size_t)hash_key(q, year, k0, k1) & (cap - 1);

    for (;;) {
        struct sq_count *c = &t[i];

        if (c->q < 0 || (c->q == q && c->year == year &&
                         strcmp(c->k0, k0) == 0 && strcmp(c->k1, k1) == 0)) {
            return c;
        }
        i = (i + 1) & (cap - 1);
    }
}

static int grow(struct store_sqlite *s)
{
    size_t cap = s->count_cap > 0 ? s->count_cap * 2 : 256;
    struct sq_count *t = ctis_malloc(cap * sizeof *t);
    size_t i;

    if (t == NULL) {
        return CTIS_ENOMEM;
    }
    for (i = 0; i < cap; i++) {
        t[i].q = -1;
    }
    for (i = 0; i < s->count_cap; i++) {
        struct sq_count *c = &s->counts[i];

        if (c->q >= 0) {
            *find_slot(t, cap, c->q, c->year, c->k0, c->k1) = *c;
        }
    }
    ctis_free(s->counts);
    s->counts = t;
    s->count_cap = cap;
    return 0;
}

/* Add n to one key. Keys longer than STORE_KEY_MAX - 1 are cut (codes
 * never are). */
static int add(struct store_sqlite *s, int q, int year, const char *k0,
               int s0, const char *k1, int s1, long n)
{
    char a[STORE_KEY_MAX];
    char b[STORE_KEY_MAX];
    struct sq_count *c;

    if (2 * (s->count_len + 1) > s->count_cap && grow(s) != 0) {
        return CTIS_ENOMEM;
    }
    ctis_strlcpy(a, k0 != NULL ? k0 : "", sizeof a);
    ctis_strlcpy(b, k1 != NULL ? k1 : "", sizeof b);
    c = find_slot(s->counts, s->count_cap, q, year, a, b);
    if (c->q < 0) {
        c->q = q;
        c->year = year;
        memcpy(c->k0, a, sizeof a);
        memcpy(c->k1, b, sizeof b);
        c->s0 = s0;
        c->s1 = s1;
        c->n = 0;
        s->count_len++;
    }
    c->n += n;
    return 0;
}

static const char *code(const struct model_code *t, int v)
{
    const char *name = model_code_name(t, v);

    return name != NULL ? name : "unknown";
}

struct fact_ctx {
    struct store_sqlite *s;
    long n;
};

/* A rescue or repatriation of the case (model_case_facts: live events
 * only) as its counter. */
static int add_fact(void *ctx, const struct model_fact *f)
{
    struct fact_ctx *x = ctx;

    if (f->kind == MODEL_FACT_RESCUE) {
        return add(x->s, STORE_Q_RESCUES, f->year,
                   code(model_referral_codes, f->referral), f->referral, "",
                   0, x->n);
    }
    return add(x->s, STORE_Q_REPATRIATIONS, f->year, f->from_country, 0,
               f->to_country, 0, x->n);
}

static int add_events(struct store_sqlite *s, const struct model_case *c,
                      long n)
{
    struct fact_ctx x = {s, n};

    return model_case_facts(c, add_fact, &x);
}

static int age_order(const char *g)
{
    return strcmp(g, "child") == 0 ? 0 : strcmp(g, "adult") == 0 ? 1 : 2;
}

static int add_places(struct store_sqlite *s, const struct model_case *c,
                      int y, long n)
{
    int m = c->movement;
    int rc = 0;

    if (m == MODEL_MOV_INTERNAL || m == MODEL_MOV_CROSS_BORDER_OUT) {
        rc = add(s, STORE_Q_SOURCE_PROVINCES, y, c->person.home_province, 0,
                 "", 0, n);
    }
    if (rc == 0 &&
        (m == MODEL_MOV_INTERNAL || m == MODEL_MOV_CROSS_BORDER_IN)) {
        rc = add(s, STORE_Q_DEST_PROVINCES, y, c->destination_province, 0, "",
                 0, n);
    }
    if (rc == 0 && m == MODEL_MOV_CROSS_BORDER_OUT) {
        rc = add(s, STORE_Q_DEST_COUNTRIES, y, c->destination_country, 0, "",
                 0, n);
    }
    return rc;
}

static int add_facts(struct store_sqlite *s, const struct model_case *c,
                     int y, const char *age, long n)
{
    const struct model_code *x;
    int rc = add(s, STORE_Q_SEX_AGE, y, code(model_sex_codes, c->person.sex),
                 c->person.sex, age, age_order(age), n);

    if (rc == 0) {
        rc = add(s, STORE_Q_MOVEMENT, y,
                 code(model_movement_codes, c->movement), c->movement, "", 0,
                 n);
    }
    if (rc == 0) {
        rc = add(s, STORE_Q_CASES_BY_YEAR, y, "", 0, "", 0, n);
    }
    for (x = model_exploitation_codes; rc == 0 && x->code != NULL; x++) {
        if (c->exploitation & (unsigned)x->value) {
            rc = add(s, STORE_Q_EXPLOITATION, y, x->code, x->value, "", 0, n);
        }
    }
    if (rc == 0 && (c->exploitation & MODEL_EXP_FORCED_LABOUR)) {
        rc = add(s, STORE_Q_SECTORS, y,
                 code(model_sector_codes, c->labour_sector), c->labour_sector,
                 "", 0, n);
    }
    return rc;
}

/* Add (sign +1) or take away (-1) everything case c counts for. */
int sq_counts_case(struct store_sqlite *s, const struct model_case *c,
                   int sign, struct ctis_err *err)
{
    int ident;
    int rc;

    if (c->trafficking_status == MODEL_TS_NOT_A_VICTIM) {
        return 0;
    }
    ident = model_case_first_date(c, MODEL_EV_IDENTIFICATION);
    rc = add_places(s, c, ident / 10000, sign);
    if (rc == 0) {
        rc = add_facts(s, c, ident / 10000, model_age_group(&c->person, ident),
                       sign);
    }
    if (rc == 0) {
        rc = add_events(s, c, sign);
    }
    if (rc != 0) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    return 0;
}

/* Forget every pending delta (rollback). */
void sq_counts_clear(struct store_sqlite *s)
{
    ctis_free(s->counts);
    s->counts = NULL;
    s->count_cap = 0;
    s->count_len = 0;
}

static int flush_one(struct store_sqlite *s, const struct sq_count *c,
                     struct ctis_err *err)
{
    sqlite3_stmt *q = sq_stmt(s, SQ_COUNT_ADD, err);
    int rc;

    if (q == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_int(q, 1, c->q);
    sqlite3_bind_int(q, 2, c->year);
    sqlite3_bind_text(q, 3, c->k0, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, c->k1, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 5, c->s0);
    sqlite3_bind_int(q, 6, c->s1);
    sqlite3_bind_int64(q, 7, c->n);
    rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        return sq_fail(s, rc, "cannot update the aggregate counters", err);
    }
    return 0;
}

/* Write the pending deltas into case_count (inside the open transaction)
 * and forget them. On failure the caller must roll back. */
int sq_counts_flush(struct store_sqlite *s, struct ctis_err *err)
{
    size_t i;

    for (i = 0; i < s->count_cap; i++) {
        const struct sq_count *c = &s->counts[i];

        if (c->q >= 0 && c->n != 0) {
            int rc = flush_one(s, c, err);

            if (rc != 0) {
                return rc;
            }
        }
    }
    sq_counts_clear(s);
    return 0;
}

/* Recompute case_count from every stored case, inside the open
 * transaction: for a migration that changes what a case counts for, or
 * to repair counters after the file was changed behind the store's back.
 * Reads each case back, so it costs about one store_get_case per case. */
int sq_counts_rebuild(struct store_sqlite *s, struct ctis_err *err)
{
    sqlite3_stmt *q = NULL;
    struct model_case c;
    char id[MODEL_ID_MAX];
    int step = SQLITE_DONE;
    int rc = sq_exec(s, "DELETE FROM case_count", err);

    sq_counts_clear(s);
    if (rc == 0 && sqlite3_prepare_v2(s->db, "SELECT id FROM cases", -1, &q,
                                      NULL) != SQLITE_OK) {
        rc = sq_fail(s, sqlite3_errcode(s->db), "cannot recount", err);
    }
    model_case_init(&c);
    while (rc == 0) {
        step = sqlite3_step(q);
        if (step != SQLITE_ROW) {
            break;
        }
        sq_column_text(q, 0, id, sizeof id);
        /* without the identity: counting needs no key (sq_put_case
         * takes the old counts away the same way) */
        rc = sq_get_case_ex(&s->base, id, &c, 0, err);
        if (rc == 0) {
            rc = sq_counts_case(s, &c, 1, err);
        }
    }
    if (rc == 0 && step != SQLITE_DONE) {
        rc = sq_fail(s, step, "cannot recount", err);
    }
    sqlite3_finalize(q);
    model_case_release(&c);
    return rc == 0 ? sq_counts_flush(s, err) : rc;
}
