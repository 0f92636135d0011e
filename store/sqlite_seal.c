/*
 * sqlite_seal.c - the SQLite side of sealed identities: the key table,
 * blind index rows, re-sealing in batches (upgrade and rotation), search
 * by blind index, erasure and the online-backup snapshot.
 *
 * A re-seal batch takes up to `batch` person rows of one generation (0:
 * clear), opens each (or reads its clear columns), seals it again with
 * the write key under the case's current version, rewrites its blind
 * indexes and NULLs its clear columns, inside the caller's transaction:
 * the rows left to do are exactly those still of that generation, so a
 * batch killed before its commit is simply done again.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_int.h"

static int step_done(sqlite3_stmt *q)
{
    int rc = sqlite3_step(q);

    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* ---- the key table ------------------------------------------------------ */

static void blob_to(sqlite3_stmt *q, int i, unsigned char *dst, size_t n)
{
    const void *b = sqlite3_column_blob(q, i);
    size_t len = (size_t)sqlite3_column_bytes(q, i);

    memset(dst, 0, n);
    if (b != NULL) {
        memcpy(dst, b, len < n ? len : n);
    }
}

int sq_load_wraps(struct store *st, struct seal_wrap **out, int *n,
                  struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    struct seal_wrap *w = NULL;
    int cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    rc = sqlite3_prepare_v2(s->db,
                            "SELECT kek_id, kind, key_id, gen, salt, opslimit,"
                            " memlimit, nonce, wrapped FROM seal_key"
                            " ORDER BY gen DESC, kind, kek_id",
                            -1, &q, NULL);
    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot read the key table", err);
    }
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        struct seal_wrap *x;

        if (*n == cap) {
            struct seal_wrap *g = ctis_realloc(w, (size_t)(cap * 2 + 4) *
                                                      sizeof *w);

            if (g == NULL) {
                sqlite3_finalize(q);
                ctis_free(w);
                return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
            }
            w = g;
            cap = cap * 2 + 4;
        }
        x = &w[(*n)++];
        memset(x, 0, sizeof *x);
        sq_column_text(q, 0, x->kek_id, sizeof x->kek_id);
        x->kind = sqlite3_column_int(q, 1);
        sq_column_text(q, 2, x->key_id, sizeof x->key_id);
        x->gen = sqlite3_column_int(q, 3);
        blob_to(q, 4, x->salt, sizeof x->salt);
        x->opslimit = (uint64_t)sqlite3_column_int64(q, 5);
        x->memlimit = (uint64_t)sqlite3_column_int64(q, 6);
        blob_to(q, 7, x->nonce, sizeof x->nonce);
        blob_to(q, 8, x->wrapped, sizeof x->wrapped);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        ctis_free(w);
        *n = 0;
        return sq_fail(s, rc, "cannot read the key table", err);
    }
    *out = w;
    return 0;
}

int sq_put_wrap(struct store *st, const struct seal_wrap *w,
                struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(
        s->db,
        "INSERT OR REPLACE INTO seal_key(kek_id, kind, key_id, gen, salt,"
        " opslimit, memlimit, nonce, wrapped)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        -1, &q, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_text(q, 1, w->kek_id, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 2, w->kind);
        sqlite3_bind_text(q, 3, w->key_id, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 4, w->gen);
        sqlite3_bind_blob(q, 5, w->salt, sizeof w->salt, SQLITE_STATIC);
        sqlite3_bind_int64(q, 6, (sqlite3_int64)w->opslimit);
        sqlite3_bind_int64(q, 7, (sqlite3_int64)w->memlimit);
        sqlite3_bind_blob(q, 8, w->nonce, sizeof w->nonce, SQLITE_STATIC);
        sqlite3_bind_blob(q, 9, w->wrapped, sizeof w->wrapped,
                          SQLITE_STATIC);
        rc = step_done(q);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot write the key table", err);
    }
    return 0;
}

/* kek_id NULL: every wrap of generation gen. */
int sq_del_wraps(struct store *st, const char *kek_id, int gen,
                 struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                "DELETE FROM seal_key WHERE gen = ?1"
                                " AND (?2 IS NULL OR kek_id = ?2)",
                                -1, &q, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_int(q, 1, gen);
        if (kek_id != NULL) {
            sqlite3_bind_text(q, 2, kek_id, -1, SQLITE_STATIC);
        }
        rc = step_done(q);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot write the key table", err);
    }
    return 0;
}

/* ---- blind indexes ------------------------------------------------------ */

static int bidx_write(struct store_sqlite *s, struct ctis_err *err);

/* A case's rows are the values its person row lists (person_identity.bidx,
 * migration 9), each deleted by its key: person_bidx has no index by
 * case_rid, which was a second B-tree insert for every row of an import
 * (callgrind, 5,000 cases: 1.37x to 1.26x of the clear import without
 * it). A row whose list is NULL has no blind index row (a clear row, or
 * an erased one). */
int sq_bidx_drop(struct store_sqlite *s, sqlite3_int64 rid,
                 struct ctis_err *err)
{
    sqlite3_stmt *list;
    sqlite3_stmt *del;
    /* rows of rid may be pending (a case put twice in the transaction):
     * written first, so the list finds them in the table; a rid outside
     * the pending rows' range has none, and the batch keeps waiting (a
     * re-import replaces cases in rid order: a flush per case wrote the
     * rows a few at a time) */
    int rc = s->bidx_len > 0 && rid >= s->bidx_lo && rid <= s->bidx_hi
                 ? sq_bidx_flush(s, err)
                 : 0;

    if (rc != 0) {
        return rc;
    }
    del = sq_stmt(s, SQ_BIDX_DEL, err);
    list = del != NULL ? sq_stmt(s, SQ_BIDX_LIST, err) : NULL;
    if (list == NULL) {
        return sq_errcode(err);
    }
    sqlite3_bind_int64(list, 1, rid);
    rc = sqlite3_step(list);
    if (rc == SQLITE_ROW) {
        const unsigned char *h = sqlite3_column_blob(list, 0);
        size_t n = (size_t)sqlite3_column_bytes(list, 0) / SEAL_BLIND_BYTES;
        size_t i;

        rc = SQLITE_OK;
        for (i = 0; rc == SQLITE_OK && i < n; i++) {
            sqlite3_reset(del);
            sqlite3_bind_blob(del, 1, h + i * SEAL_BLIND_BYTES,
                              SEAL_BLIND_BYTES, SQLITE_STATIC);
            sqlite3_bind_int64(del, 2, rid);
            rc = step_done(del);
        }
        sqlite3_reset(del);
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    sqlite3_reset(list);
    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot store blind index", err);
    }
    return 0;
}

/* The new rows of a put wait in s->bidx until SQ_BIDX_PENDING wait or the
 * transaction commits (sq_bidx_flush), then go sorted by key, SQ_BIDX_ROWS
 * to an INSERT. One INSERT per row, each at a random place of the table,
 * cost about 10,000 instructions (callgrind, import of 5,000 cases: a
 * third of the sealed import's extra cost) and, on a table larger than
 * the caches, a miss at every level of the B-tree; in key order the
 * inserts of a batch walk the table once. Anything that reads or deletes
 * person_bidx inside the transaction flushes first (bidx_ready,
 * sq_bidx_drop), so it never misses them; a rollback forgets them. */
int sq_bidx_add(struct store_sqlite *s, sqlite3_int64 rid,
                const unsigned char *h, size_t n, struct ctis_err *err)
{
    size_t i;

    if (s->bidx_len + n > s->bidx_cap) {
        size_t cap = s->bidx_cap * 2 + STORE_BLIND_MAX + SQ_BIDX_ROWS;
        struct sq_bidx_row *g = ctis_realloc(s->bidx, cap * sizeof *g);

        if (g == NULL) {
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        s->bidx = g;
        s->bidx_cap = cap;
    }
    if (n > 0 && (s->bidx_len == 0 || rid < s->bidx_lo)) {
        s->bidx_lo = rid;
    }
    if (n > 0 && (s->bidx_len == 0 || rid > s->bidx_hi)) {
        s->bidx_hi = rid;
    }
    for (i = 0; i < n; i++) {
        memcpy(s->bidx[s->bidx_len].h, h + i * SEAL_BLIND_BYTES,
               SEAL_BLIND_BYTES);
        s->bidx[s->bidx_len].rid = rid;
        s->bidx_len++;
    }
    /* a sorted batch goes now: the memory held stays small */
    return s->bidx_len >= SQ_BIDX_PENDING ? bidx_write(s, err) : 0;
}

void sq_bidx_clear(struct store_sqlite *s)
{
    ctis_free(s->bidx);
    s->bidx = NULL;
    s->bidx_len = 0;
    s->bidx_cap = 0;
}

/* The INSERT of SQ_BIDX_ROWS rows, prepared on first use. */
static sqlite3_stmt *bidx_many(struct store_sqlite *s, struct ctis_err *err)
{
    char sql[64 + SQ_BIDX_ROWS * 8];
    size_t i;
    int rc;

    if (s->bidx_many != NULL) {
        sqlite3_reset(s->bidx_many);
        return s->bidx_many;
    }
    ctis_strlcpy(sql, "INSERT OR IGNORE INTO person_bidx(h, case_rid) VALUES ",
                 sizeof sql);
    for (i = 0; i < SQ_BIDX_ROWS; i++) {
        ctis_strlcpy(sql + strlen(sql), i == 0 ? "(?,?)" : ",(?,?)",
                     sizeof sql - strlen(sql));
    }
    rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                            &s->bidx_many, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(s->bidx_many);
        s->bidx_many = NULL;
        sq_fail(s, rc, "cannot prepare a statement", err);
        return NULL;
    }
    return s->bidx_many;
}

/* Rows in person_bidx's key order. */
static int bidx_cmp(const void *a, const void *b)
{
    const struct sq_bidx_row *x = a;
    const struct sq_bidx_row *y = b;
    int c = memcmp(x->h, y->h, SEAL_BLIND_BYTES);

    if (c != 0) {
        return c;
    }
    return (x->rid > y->rid) - (x->rid < y->rid);
}

/* Sort n rows by key. Many rows: by their first two bytes first (a
 * counting sort; keyed hashes are spread evenly), then each bucket by
 * qsort, since a name that many share puts all its rows in one bucket;
 * qsort of 16,384 rows alone cost 2.8% of a sealed import. Without the
 * memory for that, qsort alone. */
static void bidx_sort(struct sq_bidx_row *v, size_t n)
{
    struct sq_bidx_row *tmp = n >= 4096 ? ctis_malloc(n * sizeof *v) : NULL;
    size_t *at = tmp != NULL ? ctis_calloc(65536 + 1, sizeof *at) : NULL;
    size_t i;

    if (at == NULL) {
        ctis_free(tmp);
        if (n > 1) {
            qsort(v, n, sizeof *v, bidx_cmp);
        }
        return;
    }
    for (i = 0; i < n; i++) {
        at[((size_t)v[i].h[0] << 8 | v[i].h[1]) + 1]++;
    }
    for (i = 1; i <= 65536; i++) {
        at[i] += at[i - 1];
    }
    for (i = 0; i < n; i++) {
        tmp[at[(size_t)v[i].h[0] << 8 | v[i].h[1]]++] = v[i];
    }
    /* at[b] is now where bucket b ends */
    for (i = 0; i < 65536; i++) {
        size_t from = i == 0 ? 0 : at[i - 1];

        if (at[i] - from > 1) {
            qsort(tmp + from, at[i] - from, sizeof *tmp, bidx_cmp);
        }
    }
    memcpy(v, tmp, n * sizeof *v);
    ctis_free(tmp);
    ctis_free(at);
}

/* Write every pending row, sorted by key: SQ_BIDX_ROWS to an INSERT, the
 * last fewer one by one. */
static int bidx_write(struct store_sqlite *s, struct ctis_err *err)
{
    size_t i = 0;
    int rc = SQLITE_OK;

    bidx_sort(s->bidx, s->bidx_len);
    while (rc == SQLITE_OK && i < s->bidx_len) {
        size_t n = s->bidx_len - i >= SQ_BIDX_ROWS ? SQ_BIDX_ROWS : 1;
        sqlite3_stmt *q = n == SQ_BIDX_ROWS ? bidx_many(s, err)
                                            : sq_stmt(s, SQ_BIDX_PUT, err);
        size_t k;

        if (q == NULL) {
            return sq_errcode(err);
        }
        for (k = 0; k < n; k++, i++) {
            sqlite3_bind_blob(q, (int)(2 * k + 1), s->bidx[i].h,
                              SEAL_BLIND_BYTES, SQLITE_STATIC);
            sqlite3_bind_int64(q, (int)(2 * k + 2), s->bidx[i].rid);
        }
        rc = step_done(q);
        sqlite3_reset(q);
    }
    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot store blind index", err);
    }
    s->bidx_len = 0;
    return 0;
}

int sq_bidx_flush(struct store_sqlite *s, struct ctis_err *err)
{
    int rc = bidx_write(s, err);

    if (rc == 0) {
        sq_bidx_clear(s);
    }
    return rc;
}

/* ---- re-sealing --------------------------------------------------------- */

#define PERSON_ROW                                                          \
    "SELECT p.case_rid, c.id, c.rev, p.given_name, p.family_name,"         \
    " p.given_name_km, p.family_name_km, p.birth_date, p.birth_year,"      \
    " p.home_commune, p.home_village, p.phone, p.email, p.sealed,"         \
    " p.key_gen FROM person_identity p JOIN cases c ON c.rid = p.case_rid"

/* The identity of the current PERSON_ROW row into p. */
static int row_identity(struct store_sqlite *s, sqlite3_stmt *q,
                        struct model_person *p, struct ctis_err *err)
{
    char id[MODEL_ID_MAX];

    memset(p, 0, sizeof *p);
    p->age = -1;
    sq_column_text(q, 1, id, sizeof id);
    p->birth_year = sqlite3_column_int(q, 8);
    if (sqlite3_column_type(q, 13) != SQLITE_NULL) {
        return store_open_identity(&s->base, id, sqlite3_column_int64(q, 2),
                                   sqlite3_column_int(q, 14),
                                   sqlite3_column_blob(q, 13),
                                   (size_t)sqlite3_column_bytes(q, 13), p,
                                   err);
    }
    sq_column_text(q, 3, p->given_name, sizeof p->given_name);
    sq_column_text(q, 4, p->family_name, sizeof p->family_name);
    sq_column_text(q, 5, p->given_name_km, sizeof p->given_name_km);
    sq_column_text(q, 6, p->family_name_km, sizeof p->family_name_km);
    p->birth_date = sqlite3_column_int(q, 7);
    sq_column_text(q, 9, p->home_commune, sizeof p->home_commune);
    sq_column_text(q, 10, p->home_village, sizeof p->home_village);
    sq_column_text(q, 11, p->phone, sizeof p->phone);
    sq_column_text(q, 12, p->email, sizeof p->email);
    return 0;
}

static int reseal_row(struct store_sqlite *s, sqlite3_stmt *upd,
                      sqlite3_int64 rid, const char *id, long rev,
                      const struct model_person *p, struct ctis_err *err)
{
    unsigned char sealed[MODEL_IDENTITY_PACK_MAX + SEAL_OVERHEAD];
    unsigned char h[STORE_BLIND_MAX][SEAL_BLIND_BYTES];
    size_t len = 0;
    size_t nh;
    int rc = store_seal_identity(&s->base, id, rev, p, sealed, &len, err);

    if (rc == 0) {
        rc = sq_bidx_drop(s, rid, err);
    }
    if (rc != 0) {
        return rc;
    }
    nh = store_blind_person(store_key_write(&s->base), p, h);
    sqlite3_reset(upd);
    sqlite3_bind_blob(upd, 1, sealed, (int)len, SQLITE_STATIC);
    sqlite3_bind_int(upd, 2, seal_key_gen(store_key_write(&s->base)));
    sqlite3_bind_int64(upd, 3, rid);
    sqlite3_bind_int(upd, 4, MODEL_NAME_RULE);
    sqlite3_bind_blob(upd, 5, h, (int)(nh * SEAL_BLIND_BYTES), SQLITE_STATIC);
    rc = step_done(upd);
    sqlite3_reset(upd);
    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot re-seal a person", err);
    }
    return sq_bidx_add(s, rid, h[0], nh, err);
}

static int reseal_persons(struct store *st, int from_gen, int stale,
                          long batch, long *done, struct ctis_err *err);

/* Write a case's version body back: sealed in a sealed database. */
static int put_body(struct store_sqlite *s, const char *id, long version,
                    const char *body, struct ctis_err *err)
{
    unsigned char *sealed = NULL;
    size_t len = 0;
    sqlite3_stmt *q = NULL;
    int rc = 0;

    if (body != NULL && s->base.sealed) {
        rc = store_seal_body(&s->base, id, version, body, &sealed, &len, err);
    }
    if (rc != 0) {
        return rc;
    }
    rc = sqlite3_prepare_v2(s->db,
                            "UPDATE record_version SET body = ?1 WHERE"
                            " kind = 1 AND id = ?2 AND version = ?3",
                            -1, &q, NULL);
    if (rc == SQLITE_OK) {
        if (sealed != NULL) {
            sqlite3_bind_blob(q, 1, sealed, (int)len, SQLITE_STATIC);
        } else if (body != NULL) {
            sqlite3_bind_text(q, 1, body, -1, SQLITE_STATIC);
        }
        sqlite3_bind_text(q, 2, id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 3, version);
        rc = step_done(q);
    }
    sqlite3_finalize(q);
    ctis_free(sealed);
    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot re-seal a version", err);
    }
    return 0;
}

/* The body of the current row (id 0, version 1, body 2) into *out
 * (ctis_malloc'd): opened when sealed, copied when clear. */
static int row_body(struct store_sqlite *s, sqlite3_stmt *q, char **out,
                    struct ctis_err *err)
{
    char id[MODEL_ID_MAX];

    sq_column_text(q, 0, id, sizeof id);
    if (sqlite3_column_type(q, 2) == SQLITE_BLOB) {
        return store_open_body(&s->base, id, (long)sqlite3_column_int64(q, 1),
                               sqlite3_column_blob(q, 2),
                               (size_t)sqlite3_column_bytes(q, 2), out, err);
    }
    *out = ctis_strdup((const char *)sqlite3_column_text(q, 2));
    return *out == NULL ? ctis_err_set(err, CTIS_ENOMEM, "out of memory") : 0;
}

/* Re-seal up to batch case version bodies of generation from_gen (0:
 * clear text) with the write key. */
static int reseal_versions(struct store_sqlite *s, int from_gen, long batch,
                           long *done, struct ctis_err *err)
{
    struct vrow {
        char id[MODEL_ID_MAX];
        long version;
        char *body;
    } *rows = NULL;
    unsigned char g[4];
    sqlite3_stmt *q = NULL;
    long n = 0;
    long i;
    int rc;
    int step = SQLITE_DONE;

    *done = 0;
    g[0] = (unsigned char)from_gen;
    g[1] = (unsigned char)(from_gen >> 8);
    g[2] = (unsigned char)(from_gen >> 16);
    g[3] = (unsigned char)(from_gen >> 24);
    rows = ctis_calloc((size_t)batch, sizeof *rows);
    if (rows == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    rc = sqlite3_prepare_v2(
        s->db,
        "SELECT id, version, body FROM record_version WHERE kind = 1 AND"
        " CASE WHEN ?1 = 0 THEN typeof(body) = 'text' ELSE"
        " typeof(body) = 'blob' AND substr(body, 1, 4) = ?2 END LIMIT ?3",
        -1, &q, NULL);
    if (rc != SQLITE_OK) {
        ctis_free(rows);
        return sq_fail(s, rc, "cannot re-seal versions", err);
    }
    sqlite3_bind_int(q, 1, from_gen);
    sqlite3_bind_blob(q, 2, g, 4, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, batch);
    rc = 0;
    while (rc == 0 && n < batch && (step = sqlite3_step(q)) == SQLITE_ROW) {
        sq_column_text(q, 0, rows[n].id, sizeof rows[n].id);
        rows[n].version = (long)sqlite3_column_int64(q, 1);
        rc = row_body(s, q, &rows[n].body, err);
        if (rc == 0) {
            n++;
        }
    }
    if (rc == 0 && step != SQLITE_ROW && step != SQLITE_DONE) {
        rc = sq_fail(s, step, "cannot re-seal versions", err);
    }
    sqlite3_finalize(q);
    for (i = 0; rc == 0 && i < n; i++) {
        rc = put_body(s, rows[i].id, rows[i].version, rows[i].body, err);
    }
    for (i = 0; i < n; i++) {
        if (rows[i].body != NULL) {
            seal_wipe(rows[i].body, strlen(rows[i].body));
            ctis_free(rows[i].body);
        }
    }
    ctis_free(rows);
    if (rc == 0) {
        *done = n;
    }
    return rc;
}

/* Persons first, then the bodies of case versions, batch rows in all. */
int sq_reseal_batch(struct store *st, int from_gen, long batch, long *done,
                    struct ctis_err *err)
{
    long persons = 0;
    long versions = 0;
    int rc = reseal_persons(st, from_gen, 0, batch, &persons, err);

    if (rc == 0 && persons < batch) {
        rc = reseal_versions((struct store_sqlite *)st, from_gen,
                             batch - persons, &versions, err);
    }
    *done = persons + versions;
    return rc;
}

/* Sealed identities of generation gen whose blind indexes were made with
 * an older name rule (MODEL_NAME_RULE): up to batch of them sealed again
 * with the same key, their blind indexes made anew with this rule, inside
 * the caller's transaction. A row leaves the selection as it is done, so
 * a batch killed before its commit is done again. */
int sq_reindex_batch(struct store *st, int gen, long batch, long *done,
                     struct ctis_err *err)
{
    return reseal_persons(st, gen, 1, batch, done, err);
}

int sq_names_stale(struct store *st, int *out, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(
        s->db,
        "SELECT EXISTS (SELECT 1 FROM person_identity WHERE"
        " (name_rule IS NULL OR name_rule < ?1) AND sealed IS NOT NULL)",
        -1, &q, NULL);

    *out = 0;
    if (rc == SQLITE_OK) {
        sqlite3_bind_int(q, 1, MODEL_NAME_RULE);
        rc = sqlite3_step(q);
    }
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(q);
        return sq_fail(s, rc, "cannot read the blind index", err);
    }
    *out = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return 0;
}

/* Re-seal up to batch person rows of generation from_gen (0: clear); with
 * stale, only sealed rows of from_gen whose name rule is older. */
static int reseal_persons(struct store *st, int from_gen, int stale,
                          long batch, long *done, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    sqlite3_stmt *upd = NULL;
    int rc;

    *done = 0;
    rc = sqlite3_prepare_v2(
        s->db,
        from_gen == 0
            ? PERSON_ROW " WHERE p.key_gen IS NULL AND p.sealed IS NULL AND"
                         " coalesce(p.given_name, p.family_name,"
                         " p.given_name_km, p.family_name_km, p.birth_date,"
                         " p.home_commune, p.home_village, p.phone,"
                         " p.email) IS NOT NULL LIMIT ?2"
        : stale ? PERSON_ROW " WHERE p.key_gen = ?1 AND p.sealed IS NOT NULL"
                             " AND (p.name_rule IS NULL OR p.name_rule < ?3)"
                             " LIMIT ?2"
                : PERSON_ROW " WHERE p.key_gen = ?1 LIMIT ?2",
        -1, &q, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_prepare_v2(
            s->db,
            "UPDATE person_identity SET given_name = NULL,"
            " family_name = NULL, given_name_km = NULL,"
            " family_name_km = NULL, birth_date = NULL,"
            " home_commune = NULL, home_village = NULL, phone = NULL,"
            " email = NULL, sealed = ?1, key_gen = ?2, name_rule = ?4,"
            " bidx = ?5 WHERE case_rid = ?3",
            -1, &upd, NULL);
    }
    if (rc != SQLITE_OK) {
        sqlite3_finalize(q);
        return sq_fail(s, rc, "cannot re-seal", err);
    }
    if (from_gen != 0) {
        sqlite3_bind_int(q, 1, from_gen);
    }
    sqlite3_bind_int64(q, 2, batch);
    if (stale) {
        sqlite3_bind_int(q, 3, MODEL_NAME_RULE);
    }
    /* rows are collected first: the update changes what q selects */
    rc = 0;
    for (;;) {
        struct model_person p;
        char id[MODEL_ID_MAX];
        sqlite3_int64 rid;
        long rev;
        int step = sqlite3_step(q);

        if (step != SQLITE_ROW) {
            if (step != SQLITE_DONE) {
                rc = sq_fail(s, step, "cannot re-seal", err);
            }
            break;
        }
        rid = sqlite3_column_int64(q, 0);
        sq_column_text(q, 1, id, sizeof id);
        rev = (long)sqlite3_column_int64(q, 2);
        rc = row_identity(s, q, &p, err);
        if (rc == 0) {
            rc = reseal_row(s, upd, rid, id, rev, &p, err);
        }
        memset(&p, 0, sizeof p);
        if (rc != 0) {
            break;
        }
        (*done)++;
    }
    sqlite3_finalize(q);
    sqlite3_finalize(upd);
    return rc;
}

/* ---- search ------------------------------------------------------------- */

/* Before a read of person_bidx inside a write transaction: the rows of
 * its puts written first (sq_bidx_add). */
static int bidx_ready(struct store_sqlite *s, struct ctis_err *err)
{
    int rc = s->bidx_len > 0 ? sq_bidx_flush(s, err) : 0;

    return rc != 0 ? sq_abort(s, rc, err) : 0;
}

/* Sorted set of rids. */
struct rids {
    sqlite3_int64 *v;
    size_t n;
    size_t cap;
};

static int rids_add(struct rids *r, sqlite3_int64 x)
{
    if (r->n == r->cap) {
        size_t cap = r->cap * 2 + 64;
        sqlite3_int64 *g = ctis_realloc(r->v, cap * sizeof *g);

        if (g == NULL) {
            return CTIS_ENOMEM;
        }
        r->v = g;
        r->cap = cap;
    }
    r->v[r->n++] = x;
    return 0;
}

/* Rids whose blind index holds any of the n values h (rows in rid
 * order, duplicates removed). */
static int rids_of(struct store_sqlite *s, unsigned char h[][SEAL_BLIND_BYTES],
                   size_t n, struct rids *out, struct ctis_err *err)
{
    sqlite3_stmt *q = NULL;
    char sql[512];
    size_t i;
    int rc;
    int step;

    ctis_strlcpy(sql, "SELECT DISTINCT case_rid FROM person_bidx WHERE h IN (",
                 sizeof sql);
    if (n > 32) {
        n = 32;
    }
    for (i = 0; i < n; i++) {
        size_t len = strlen(sql);

        snprintf(sql + len, sizeof sql - len, i == 0 ? "?" : ",?");
    }
    ctis_strlcpy(sql + strlen(sql), ") ORDER BY case_rid",
                 sizeof sql - strlen(sql));
    rc = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL);
    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot search", err);
    }
    for (i = 0; i < n; i++) {
        sqlite3_bind_blob(q, (int)i + 1, h[i], SEAL_BLIND_BYTES,
                          SQLITE_STATIC);
    }
    out->n = 0;
    rc = 0;
    while (rc == 0 && (step = sqlite3_step(q)) == SQLITE_ROW) {
        if (rids_add(out, sqlite3_column_int64(q, 0)) != 0) {
            rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
    }
    if (rc == 0 && step != SQLITE_DONE) {
        rc = sq_fail(s, step, "cannot search", err);
    }
    sqlite3_finalize(q);
    return rc;
}

/* Every rid holding one of the n name values, as hits of which[i]. */
static int name_hits(struct store_sqlite *s,
                     unsigned char h[][SEAL_BLIND_BYTES],
                     const unsigned char *which, size_t n,
                     struct store_hits *out, struct ctis_err *err)
{
    sqlite3_stmt *q = NULL;
    size_t i;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT case_rid FROM person_bidx WHERE h = ?1",
                                -1, &q, NULL);

    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot search", err);
    }
    rc = 0;
    for (i = 0; rc == 0 && i < n; i++) {
        int step;

        sqlite3_reset(q);
        sqlite3_bind_blob(q, 1, h[i], SEAL_BLIND_BYTES, SQLITE_STATIC);
        while (rc == 0 && (step = sqlite3_step(q)) == SQLITE_ROW) {
            if (store_hits_add(out, sqlite3_column_int64(q, 0), which[i]) !=
                0) {
                rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
            }
        }
        if (rc == 0 && step != SQLITE_DONE) {
            rc = sq_fail(s, step, "cannot search", err);
        }
    }
    sqlite3_finalize(q);
    return rc;
}

/* Candidates on a sealed database: the rids holding any part's blind
 * values (within the year's when one is given), best bound first
 * (store_rank_hits). */
static int candidates(struct store_sqlite *s,
                      const struct store_person_query *q,
                      struct store_cand **out, size_t *n_out,
                      struct ctis_err *err)
{
    unsigned char names[STORE_QUERY_BLINDS][SEAL_BLIND_BYTES];
    unsigned char which[STORE_QUERY_BLINDS];
    unsigned char year[2][SEAL_BLIND_BYTES];
    struct rids yr = {NULL, 0, 0};
    struct store_hits h = {NULL, 0, 0};
    size_t nn = 0;
    size_t ny = 0;
    int rc;

    *out = NULL;
    *n_out = 0;
    store_query_blinds(&s->base, q, names, which, &nn, year, &ny);
    if (nn == 0) {
        return 0;
    }
    rc = bidx_ready(s, err);
    if (rc != 0) {
        return rc;
    }
    rc = name_hits(s, names, which, nn, &h, err);
    if (rc == 0 && ny > 0) {
        rc = rids_of(s, year, ny, &yr, err);
    }
    if (rc == 0) {
        rc = store_rank_hits(q, which, nn, &h, ny > 0 ? yr.v : NULL, yr.n,
                             out, n_out, err);
    }
    ctis_free(h.v);
    ctis_free(yr.v);
    return rc;
}

int sq_find(struct store *st, const struct store_person_query *q,
            store_case_fn fn, void *ctx, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    struct store_find f = {q, fn, ctx};
    struct store_cand *r = NULL;
    size_t nr = 0;
    struct model_case c;
    sqlite3_stmt *idq = NULL;
    size_t i;
    int rc;

    rc = candidates(s, q, &r, &nr, err);
    if (rc == 0 && nr > 0) {
        /* another agency's case is never opened */
        int prc = sqlite3_prepare_v2(s->db,
                                     "SELECT id FROM cases WHERE rid = ?1"
                                     " AND (?2 IS NULL OR agency = ?2)",
                                     -1, &idq, NULL);

        if (prc != SQLITE_OK) {
            rc = sq_fail(s, prc, "cannot search", err);
        }
    }
    model_case_init(&c);
    for (i = 0; rc == 0 && i < nr; i++) {
        char id[MODEL_ID_MAX];
        int step;

        if (q->enough != NULL && q->enough(ctx, r[i].bound)) {
            break;
        }
        sqlite3_reset(idq);
        sqlite3_bind_int64(idq, 1, r[i].rid);
        if (q->agency != NULL) {
            sqlite3_bind_text(idq, 2, q->agency, -1, SQLITE_STATIC);
        } else {
            sqlite3_bind_null(idq, 2);
        }
        step = sqlite3_step(idq);
        if (step == SQLITE_DONE) {
            continue;
        }
        if (step != SQLITE_ROW) {
            rc = sq_fail(s, step, "cannot search", err);
            break;
        }
        sq_column_text(idq, 0, id, sizeof id);
        sqlite3_reset(idq);
        rc = sq_get_case(st, id, &c, err);
        if (rc == 0) {
            rc = store_find_candidate(&f, &c);
        }
    }
    sqlite3_finalize(idq);
    model_case_release(&c);
    ctis_free(r);
    return rc;
}

/* ---- linkage's blocking --------------------------------------------------- */

int sq_blind_rows(struct store *st, int gen,
                  int (*fn)(void *ctx, const unsigned char *h,
                            const char *case_id),
                  void *ctx, struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    int rc;
    int step;

    rc = bidx_ready(s, err);
    if (rc != 0) {
        return rc;
    }
    /* every identity sealed under gen with this name rule: no clear row
     * waiting, none of another generation, none indexed by an older rule */
    rc = sqlite3_prepare_v2(
        s->db,
        "SELECT EXISTS (SELECT 1 FROM person_identity WHERE"
        " (sealed IS NOT NULL AND (key_gen IS NOT ?1 OR name_rule IS NULL"
        " OR name_rule < ?2)) OR (sealed IS NULL AND"
        " (given_name IS NOT NULL OR family_name IS NOT NULL"
        " OR given_name_km IS NOT NULL OR family_name_km IS NOT NULL)))",
        -1, &q, NULL);
    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot read the blind index", err);
    }
    sqlite3_bind_int(q, 1, gen);
    sqlite3_bind_int(q, 2, MODEL_NAME_RULE);
    step = sqlite3_step(q);
    rc = step == SQLITE_ROW ? sqlite3_column_int(q, 0) : -1;
    sqlite3_finalize(q);
    if (rc != 0) {
        return rc == 1 ? 1 : sq_fail(s, step, "cannot read the blind index",
                                     err);
    }
    rc = sqlite3_prepare_v2(s->db,
                            "SELECT b.h, c.id FROM person_bidx b"
                            " JOIN cases c ON c.rid = b.case_rid"
                            " ORDER BY b.h, b.case_rid",
                            -1, &q, NULL);
    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot read the blind index", err);
    }
    rc = 0;
    while (rc == 0 && (step = sqlite3_step(q)) == SQLITE_ROW) {
        char id[MODEL_ID_MAX];

        if (sqlite3_column_bytes(q, 0) != SEAL_BLIND_BYTES) {
            continue;
        }
        sq_column_text(q, 1, id, sizeof id);
        rc = fn(ctx, sqlite3_column_blob(q, 0), id);
    }
    if (rc == 0 && step != SQLITE_DONE) {
        rc = sq_fail(s, step, "cannot read the blind index", err);
    }
    sqlite3_finalize(q);
    return rc;
}

/* ---- erasure ------------------------------------------------------------ */

/* Every version body of the case rewritten without identity (however
 * many versions: a case past 4096 kept its later ones before). */
static int erase_bodies(struct store_sqlite *s, const char *case_id,
                        struct ctis_err *err)
{
    sqlite3_stmt *q = NULL;
    long *versions = NULL;
    char **bodies = NULL;
    size_t n = 0;
    size_t cap = 0;
    size_t i;
    int step = SQLITE_DONE;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT id, version, body FROM record_version"
                                " WHERE kind = 1 AND id = ?1 AND body IS NOT"
                                " NULL ORDER BY version",
                                -1, &q, NULL);

    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot erase the history", err);
    }
    sqlite3_bind_text(q, 1, case_id, -1, SQLITE_STATIC);
    rc = 0;
    while (rc == 0 && (step = sqlite3_step(q)) == SQLITE_ROW) {
        char *b = NULL;

        if (n == cap) {
            size_t c = cap == 0 ? 64 : cap * 2;
            long *v = ctis_realloc(versions, c * sizeof *v);
            char **bs = v != NULL ? ctis_realloc(bodies, c * sizeof *bs)
                                  : NULL;

            versions = v != NULL ? v : versions;
            if (bs == NULL) {
                rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
                break;
            }
            bodies = bs;
            cap = c;
        }
        versions[n] = (long)sqlite3_column_int64(q, 1);
        rc = row_body(s, q, &b, err);
        if (rc == 0) {
            bodies[n] = store_strip_identity(b);
            seal_wipe(b, strlen(b));
            ctis_free(b);
            n++;
        }
    }
    sqlite3_finalize(q);
    if (rc == 0 && step != SQLITE_DONE) {
        rc = sq_fail(s, step, "cannot erase the history", err);
    }
    for (i = 0; rc == 0 && i < n; i++) {
        rc = put_body(s, case_id, versions[i], bodies[i], err);
    }
    for (i = 0; i < n; i++) {
        ctis_free(bodies[i]);
    }
    ctis_free(bodies);
    ctis_free(versions);
    return rc;
}

int sq_erase(struct store *st, const char *case_id, const char *by,
             const char *reason, struct ctis_err *err)
{
    static const char *const sql[] = {
        "UPDATE person_identity SET given_name = NULL, family_name = NULL,"
        " given_name_km = NULL, family_name_km = NULL, birth_date = NULL,"
        " home_commune = NULL, home_village = NULL, phone = NULL,"
        " email = NULL, sealed = NULL, key_gen = NULL, bidx = NULL"
        " WHERE case_rid = ?1",
        /* a full scan (no index by case_rid): every row of the case,
         * listed or not */
        "DELETE FROM person_bidx WHERE case_rid = ?1",
        "DELETE FROM person_link WHERE case_rid = ?1"};
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3_stmt *q = NULL;
    sqlite3_int64 rid;
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    size_t i;
    int rc;

    rc = bidx_ready(s, err);
    if (rc != 0) {
        return rc;
    }
    rc = sqlite3_prepare_v2(s->db, "SELECT rid FROM cases WHERE id = ?1", -1,
                            &q, NULL);
    if (rc != SQLITE_OK) {
        return sq_fail(s, rc, "cannot erase", err);
    }
    sqlite3_bind_text(q, 1, case_id, -1, SQLITE_STATIC);
    rc = sqlite3_step(q);
    rid = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW) {
        return ctis_err_set(err, CTIS_ENOTFOUND, "no case has the id given");
    }
    for (i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        rc = sqlite3_prepare_v2(s->db, sql[i], -1, &q, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_int64(q, 1, rid);
            rc = step_done(q);
        }
        sqlite3_finalize(q);
        if (rc != SQLITE_OK) {
            return sq_abort(s, sq_fail(s, rc, "cannot erase", err), err);
        }
    }
    rc = erase_bodies(s, case_id, err);
    if (rc != 0) {
        return sq_abort(s, rc, err);
    }
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    rc = sqlite3_prepare_v2(s->db,
                            "INSERT INTO erasure(case_id, erased_at,"
                            " erased_by, reason) VALUES (?1, ?2, ?3, ?4)",
                            -1, &q, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(q, 1, case_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, when, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, by, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, reason, -1, SQLITE_STATIC);
        rc = step_done(q);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_OK) {
        return sq_abort(s, sq_fail(s, rc, "cannot log the erasure", err),
                        err);
    }
    s->checkpoint = 1;
    return 0;
}

/* ---- snapshot ----------------------------------------------------------- */

/* The online backup API copies the database page by page into memory
 * inside one read transaction: writers in other processes go on (WAL). */
int sq_snapshot(struct store *st, store_snapshot_fn fn, void *ctx,
                struct ctis_err *err)
{
    struct store_sqlite *s = (struct store_sqlite *)st;
    sqlite3 *mem = NULL;
    sqlite3_backup *b;
    unsigned char *data;
    sqlite3_int64 size = 0;
    FILE *in;
    sqlite3_int64 limit = (sqlite3_int64)1 << 46;
    int rc = bidx_ready(s, err);

    if (rc != 0) {
        return rc;
    }
    /* the memdb VFS keeps the copy in one buffer that serialize hands
     * over without copying (NOCOPY): the memory of one database, not two */
    rc = sqlite3_open_v2("file:ctis-snapshot?vfs=memdb", &mem,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                             SQLITE_OPEN_URI,
                         NULL);
    if (rc != SQLITE_OK) {
        sqlite3_close(mem);
        return ctis_err_set(err, CTIS_ENOMEM, "cannot open a snapshot");
    }
    /* memdb's default ceiling is 1 GiB */
    sqlite3_file_control(mem, "main", SQLITE_FCNTL_SIZE_LIMIT, &limit);
    b = sqlite3_backup_init(mem, "main", s->db, "main");
    if (b == NULL) {
        sqlite3_close(mem);
        return sq_fail(s, SQLITE_ERROR, "cannot start the backup", err);
    }
    rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        sqlite3_close(mem);
        return sq_fail(s, rc, "backup failed", err);
    }
    /* data belongs to mem: valid until mem is closed */
    data = sqlite3_serialize(mem, "main", &size, SQLITE_SERIALIZE_NOCOPY);
    if (data == NULL || size <= 0) {
        sqlite3_close(mem);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory for the backup");
    }
    in = fmemopen(data, (size_t)size, "rb");
    if (in == NULL) {
        sqlite3_close(mem);
        return ctis_err_set(err, CTIS_ENOMEM, "cannot read the snapshot");
    }
    rc = fn(ctx, in);
    fclose(in);
    sqlite3_close(mem);
    return rc;
}
